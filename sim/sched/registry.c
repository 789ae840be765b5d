/* registry.c: the statically registered policies. */
#include <stdio.h>
#include <string.h>

#include "sched/policy.h"

static const jz_policy_t *const policies[] = {&jz_policy_fcfs, &jz_policy_easy,
                                              &jz_policy_conservative, &jz_policy_slurm, NULL};

const jz_policy_t *const *jz_policy_list(void) { return policies; }

const char *jz_policy_names(char *buf, size_t len) {
  size_t n = 0;
  buf[0] = '\0';
  for (const jz_policy_t *const *p = policies; *p; p++) {
    int w = snprintf(buf + n, len - n, "%s%s", p == policies ? "" : ", ", (*p)->name);
    if (w < 0 || (size_t)w >= len - n) break; /* cut: what fits stays */
    n += (size_t)w;
  }
  return buf;
}

const jz_policy_t *jz_policy_find(const char *name) {
  for (const jz_policy_t *const *p = policies; *p; p++)
    if (strcmp((*p)->name, name) == 0) return *p;
  return NULL;
}
