/* bad.c: a policy plugin that makes one wrong decision on purpose, to test that jzsim refuses
 * it with one error line naming the plugin, the job and the time, and exits with status 2.
 *
 *   --policy-plugin ./libbad.so:mistake=M   with M one of
 *     nofit        start the first waiting job even if it does not fit
 *     twice        start the first waiting job that fits, then start it again
 *     unknown-node start the first waiting job on node 7
 *     short-list   start the first waiting job on node 0 only
 *     long-list    start the first waiting job on nodes 0 and 1
 *     ignore       start a job that does not fit, ignore the refusal and report success
 *     fail         return 7 from the pass (the policy's own failure)
 *     held         start the first waiting job that a queue limit holds */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jzsim/policy.h>

static const char *const mistakes[] = {"nofit", "twice", "unknown-node", "short-list", "long-list",
                                       "ignore", "fail", "held", NULL};

static int bad_init(void **state, const jzsim_view_t *v, const jzsim_param_t *p, size_t n, char *err,
                    size_t errlen) {
  (void)v;
  for (int k = 0; n == 1 && strcmp(p[0].key, "mistake") == 0 && mistakes[k]; k++)
    if (strcmp(p[0].value, mistakes[k]) == 0) {
      *state = (void *)mistakes[k];
      return 0;
    }
  snprintf(err, errlen, "give mistake=M (nofit, twice, unknown-node, short-list, long-list, ignore, fail, held)");
  return -1;
}

static int bad_schedule(void *state, const jzsim_view_t *v, jzsim_decisions_t *d) {
  const char *m = state;
  jzsim_job_t j = jzsim_first(v, 0);
  if (j == JZSIM_NONE) return 0;
  if (strcmp(m, "fail") == 0) return 7;
  if (strcmp(m, "held") == 0) {
    for (; j != JZSIM_NONE; j = jzsim_next(v, j))
      if (jzsim_would_hold(v, j)) return jzsim_start(d, j);
    j = jzsim_first(v, 0);
    return jzsim_fits(v, j) ? jzsim_start(d, j) : 0;
  }
  if (strcmp(m, "twice") == 0) {
    if (!jzsim_fits(v, j)) return 0;
    int rc = jzsim_start(d, j);
    return rc ? rc : jzsim_start(d, j);
  }
  if (strcmp(m, "unknown-node") == 0) return jzsim_start_on(d, j, (const int32_t[]){7}, 1);
  if (strcmp(m, "short-list") == 0) return jzsim_start_on(d, j, (const int32_t[]){0}, 1);
  if (strcmp(m, "long-list") == 0) { /* the 2-core job J2 on both nodes: node 0 holds it alone */
    jzsim_job_info_t ji;
    jzsim_job(v, j, &ji);
    if (ji.cores > 2 || !jzsim_fits(v, j)) return ji.cores > 2 && jzsim_fits(v, j) ? jzsim_start(d, j) : 0;
    return jzsim_start_on(d, j, (const int32_t[]){1, 0}, 2);
  }
  if (jzsim_fits(v, j)) return jzsim_start(d, j); /* nofit, ignore: wait for a job that does not */
  int rc = jzsim_start(d, j);
  return strcmp(m, "ignore") == 0 ? 0 : rc;
}

static const jzsim_policy_t bad = {
    .abi_version = JZSIM_POLICY_ABI_VERSION,
    .size = sizeof(jzsim_policy_t),
    .name = "bad",
    .summary = "makes one wrong decision on purpose (tests)",
    .init = bad_init,
    .schedule = bad_schedule,
};

JZSIM_POLICY_DEFINE(bad)
