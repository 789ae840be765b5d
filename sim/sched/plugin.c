/* plugin.c: the public policy seam over the scheduler (the view's and the decisions' function
 * tables), the adapter that runs a public-seam policy as an engine policy, the built-ins on
 * the seam, and the single dlopen site.
 *
 * Every decision is checked before anything changes: jz_decide_start refuses a job that is not
 * waiting, that a queue limit holds, or that does not fit, without touching the state; a node
 * list is checked whole (jz_resources_plan_on) before it is taken. The first refusal is
 * recorded with the job and the time; later decisions of that pass are refused too, and the
 * pass fails even if the policy ignored the refusal, so a run never continues on a decision
 * that was not applied. */
#include "sched/plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched.h"

/* ---- the view ---------------------------------------------------------------------------- */

static const jz_sched_t *S(const void *h) { return h; }

static bool is_job(const jz_sched_t *s, jzsim_job_t j) { return j < s->njobs; }
static bool is_waiting(const jz_sched_t *s, jzsim_job_t j) {
  return j < s->njobs && s->run[j].state == JZ_STATE_WAITING;
}
static bool is_part(const jz_sched_t *s, int p) { return p >= 0 && p < s->res.n_parts; }

static double v_now(const void *h) { return S(h)->now; }
static int v_n_partitions(const void *h) { return S(h)->res.n_parts; }

static void v_partition(const void *h, int part, jzsim_partition_info_t *o) {
  const jz_sched_t *s = S(h);
  memset(o, 0, sizeof *o);
  if (!is_part(s, part)) return;
  const jz_part_res_t *p = &s->res.parts[part];
  *o = (jzsim_partition_info_t){.name = s->platform->partitions[part].name,
                                .nodes = p->nodes,
                                .cores_per_node = p->cores_per_node,
                                .gpus_per_node = p->gpus_per_node,
                                .free_cores = p->free_total,
                                .free_gpus = p->free_gpus_total,
                                .free_nodes = p->free_nodes,
                                .first_node = s->platform->partitions[part].first_node};
}

static int32_t v_node_free_cores(const void *h, int part, int32_t node) {
  const jz_sched_t *s = S(h);
  if (!is_part(s, part) || node < 0 || node >= s->res.parts[part].nodes) return -1;
  return s->res.parts[part].free_cores[node];
}

static int32_t v_node_free_gpus(const void *h, int part, int32_t node) {
  const jz_sched_t *s = S(h);
  if (!is_part(s, part) || node < 0 || node >= s->res.parts[part].nodes) return -1;
  return s->res.parts[part].free_gpus[node];
}

static int v_n_pools(const void *h) { return jz_view_n_pools(S(h)); }

static void v_pool(const void *h, int pool, jzsim_pool_info_t *o) {
  const jz_sched_t *s = S(h);
  memset(o, 0, sizeof *o);
  if (pool < 0 || pool >= jz_view_n_pools(s)) return;
  int part = jz_view_pool_partition(s, pool), k = pool - s->res.n_parts;
  o->partition = part;
  o->reservation = k >= 0;
  o->name = k >= 0 ? s->platform->reservations[k].name : s->platform->partitions[part].name;
  o->open = k < 0 || (s->with_reservations && s->resv[k].active);
  o->waiting = jz_view_pool_waiting(s, pool);
}

static const char *v_queue_name(const void *h, int q) {
  const jz_sched_t *s = S(h);
  return q >= 0 && q < s->n_keys ? s->keys[q].name : "";
}

static jzsim_job_t v_first(const void *h, int part) {
  return is_part(S(h), part) ? jz_view_first(S(h), part) : JZSIM_NONE;
}

static jzsim_job_t v_next(const void *h, jzsim_job_t j) {
  return is_waiting(S(h), j) ? jz_view_next(S(h), j) : JZSIM_NONE;
}

static int v_pool_of(const void *h, jzsim_job_t j) { return is_job(S(h), j) ? jz_view_pool(S(h), j) : -1; }

static const char *str(const jz_sched_t *s, int32_t id) {
  return s->strings && id >= 0 ? jz_strtab_get(s->strings, id) : "";
}

static void v_job(const void *h, jzsim_job_t j, jzsim_job_info_t *o) {
  const jz_sched_t *s = S(h);
  memset(o, 0, sizeof *o);
  if (!is_job(s, j)) return;
  const jz_job_t *jb = &s->jobs[j];
  const jz_jobrun_t *r = &s->run[j];
  jzsim_job_state_t st = r->state == JZ_STATE_PENDING   ? JZSIM_JOB_PENDING
                         : r->state == JZ_STATE_WAITING ? JZSIM_JOB_WAITING
                         : r->state == JZ_STATE_RUNNING ? JZSIM_JOB_RUNNING
                                                        : JZSIM_JOB_DONE;
  *o = (jzsim_job_info_t){.trace_id = jb->trace_id,
                          .submit = r->submit,
                          .requested = jb->walltime,
                          .start = r->start,
                          .cores = r->cores,
                          .gpus = r->gpus,
                          .nodes = r->req.nodes,
                          .max_nodes = jz_request_spread_limited(&r->req) ? r->req.max_nodes : 0,
                          .partition = jb->partition,
                          .pool = jb->partition >= 0 ? jz_view_pool(s, j) : -1,
                          .queue = r->key,
                          .level = r->key >= 0 ? s->keys[r->key].level : 0,
                          .user = str(s, jb->user),
                          .account = str(s, jb->account),
                          .state = st,
                          .queue_limited = r->key >= 0 && s->keys[r->key].limited};
}

static bool v_fits(const void *h, jzsim_job_t j) { return is_waiting(S(h), j) && jz_view_fits(S(h), j); }

static uint32_t v_n_running(const void *h, int part) { return is_part(S(h), part) ? S(h)->rend[part].n : 0; }

static jzsim_job_t v_running(const void *h, int part, uint32_t i) {
  const jz_sched_t *s = S(h);
  return is_part(s, part) && i < s->rend[part].n ? s->rend[part].a[i].id : JZSIM_NONE;
}

static uint32_t v_job_nodes(const void *h, jzsim_job_t j, jzsim_node_use_t *out, uint32_t cap) {
  const jz_sched_t *s = S(h);
  if (!is_job(s, j) || s->run[j].state != JZ_STATE_RUNNING) return 0;
  const jz_alloc_t *a = &s->run[j].alloc;
  const jz_piece_t *pc = jz_resources_pieces(&s->res, a);
  uint32_t n = 0;
  for (uint32_t k = 0; k < a->n; k++)
    for (int32_t i = 0; i < pc[k].count; i++, n++)
      if (n < cap) out[n] = (jzsim_node_use_t){pc[k].node + i, pc[k].cores, pc[k].gpus};
  return n;
}

static bool v_released(const void *h, int part) { return is_part(S(h), part) && S(h)->released[part]; }

static jzsim_job_t v_first_new(const void *h, int part) {
  return is_part(S(h), part) ? S(h)->first_new[part] : JZSIM_NONE;
}

static bool v_would_hold(const void *h, jzsim_job_t j) { return is_waiting(S(h), j) && jz_view_held(S(h), j); }

static const jzsim_view_ops_t view_ops = {
    .size = sizeof(jzsim_view_ops_t),
    .now = v_now,
    .n_partitions = v_n_partitions,
    .partition = v_partition,
    .node_free_cores = v_node_free_cores,
    .node_free_gpus = v_node_free_gpus,
    .n_pools = v_n_pools,
    .pool = v_pool,
    .queue_name = v_queue_name,
    .first = v_first,
    .next = v_next,
    .pool_of = v_pool_of,
    .job = v_job,
    .fits = v_fits,
    .n_running = v_n_running,
    .running = v_running,
    .job_nodes = v_job_nodes,
    .released = v_released,
    .first_new = v_first_new,
    .would_hold = v_would_hold,
};

/* ---- the adapter: a seam policy as an engine policy -------------------------------------- */

typedef struct seam_state {
  const jz_seam_t *seam;
  void *pstate;
  const jz_sched_t *s;
  jz_decisions_t *d;  /* during a pass */
  jzsim_view_t view;
  jzsim_decisions_t dec;
  int refused;        /* the first refusal's code, 0 if none */
  int32_t *sorted;    /* a node list in increasing order */
  uint32_t cap;
  char msg[768];
} seam_state_t;

/* Job j as jobs.csv names it. */
static void job_name(const jz_sched_t *s, jzsim_job_t j, char *out, size_t len) {
  if (!is_job(s, j))
    snprintf(out, len, "handle %u (out of range: %u jobs)", j, s->njobs);
  else if (s->jobs[j].label >= 0 && s->strings)
    snprintf(out, len, "%s", jz_strtab_get(s->strings, s->jobs[j].label));
  else
    snprintf(out, len, "%lld", (long long)s->jobs[j].trace_id);
}

/* Record the first refusal (the rest of the pass is refused too) and tell the policy. */
static int refuse(seam_state_t *st, int code, jzsim_job_t j, const char *why) {
  if (!st->refused) {
    char name[128];
    job_name(st->s, j, name, sizeof name);
    snprintf(st->msg, sizeof st->msg, "%s: job %s at t=%.17g: cannot start: %s", st->seam->who, name,
             st->s->now, why);
    st->refused = code;
  }
  return JZSIM_EREFUSED;
}

static const char *state_word(uint8_t state) {
  switch (state) {
    case JZ_STATE_PENDING: return "not submitted yet";
    case JZ_STATE_RUNNING: return "already running";
    default: return "finished";
  }
}

/* Why jz_decide_start refused waiting job j. */
static int refused_start(seam_state_t *st, jzsim_job_t j, int rc) {
  if (rc != -JZ_EINTERNAL) return refuse(st, rc, j, jz_strerror(rc));
  char why[256];
  jz_hold_t hold = jz_decide_held(st->d, j);
  if (hold) {
    snprintf(why, sizeof why, "held by a queue limit (%s)", jz_hold_reason(hold));
  } else {
    const jz_jobrun_t *r = &st->s->run[j];
    int part = st->s->jobs[j].partition;
    const jz_part_res_t *p = &st->s->res.parts[part];
    if (r->req.nodes > 0)
      snprintf(why, sizeof why, "does not fit: asks %d whole nodes, %d free", (int)r->req.nodes, (int)p->free_nodes);
    else
      snprintf(why, sizeof why, "does not fit: asks %d cores and %d GPUs, %lld cores and %lld GPUs free in its partition",
               (int)r->cores, (int)r->gpus, (long long)p->free_total, (long long)p->free_gpus_total);
  }
  return refuse(st, -JZ_EINVAL, j, why);
}

static int check_waiting(seam_state_t *st, jzsim_job_t j) {
  if (st->refused) return JZSIM_EREFUSED;
  if (!is_job(st->s, j)) return refuse(st, -JZ_EINVAL, j, "no such job");
  if (st->s->run[j].state != JZ_STATE_WAITING)
    return refuse(st, -JZ_EINVAL, j, state_word(st->s->run[j].state));
  return 0;
}

static int d_start(void *h, jzsim_job_t j) {
  seam_state_t *st = h;
  int rc = check_waiting(st, j);
  if (rc) return rc;
  if ((rc = jz_decide_start(st->d, j))) return refused_start(st, j, rc);
  return 0;
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static int d_start_on(void *h, jzsim_job_t j, const int32_t *nodes, uint32_t n) {
  seam_state_t *st = h;
  int rc = check_waiting(st, j);
  if (rc) return rc;
  if (n > 0 && !nodes) return refuse(st, -JZ_EINVAL, j, "no node list");
  if (n > st->cap) {
    int32_t *v = realloc(st->sorted, (size_t)n * sizeof *v);
    if (!v) return refuse(st, -JZ_ENOMEM, j, "out of memory");
    st->sorted = v;
    st->cap = n;
  }
  if (n) memcpy(st->sorted, nodes, (size_t)n * sizeof *nodes);
  qsort(st->sorted, n, sizeof *st->sorted, cmp_i32);
  if (jz_view_held(st->s, j)) return refused_start(st, j, -JZ_EINTERNAL);
  char why[256];
  rc = jz_decide_start_on(st->d, j, st->sorted, n, why, sizeof why);
  if (rc == -JZ_EINVAL) return refuse(st, rc, j, why);
  if (rc) return refused_start(st, j, rc);
  return 0;
}

static bool d_held(void *h, jzsim_job_t j) {
  seam_state_t *st = h;
  return is_waiting(st->s, j) && jz_decide_held(st->d, j) != JZ_HOLD_NONE;
}

static const jzsim_decide_ops_t decide_ops = {
    .size = sizeof(jzsim_decide_ops_t),
    .start = d_start,
    .start_on = d_start_on,
    .held = d_held,
};

static void seam_fini(void *state) {
  seam_state_t *st = state;
  if (!st) return;
  if (st->seam->ops->fini) st->seam->ops->fini(st->pstate);
  free(st->sorted);
  free(st);
}

static int seam_init(void **state, const void *ctx, const jz_sched_t *s, jz_error_t *err) {
  const jz_seam_t *seam = ctx;
  seam_state_t *st = calloc(1, sizeof *st);
  if (!st) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  st->seam = seam;
  st->s = s;
  st->view = (jzsim_view_t){&view_ops, s};
  st->dec = (jzsim_decisions_t){&decide_ops, st};
  if (seam->ops->init) {
    char why[512] = "";
    if (seam->ops->init(&st->pstate, &st->view, seam->params, seam->n_params, why, sizeof why)) {
      free(st);
      return jz_error_set(err, -JZ_EINVAL, "%s: %s", seam->who, why[0] ? why : "init failed");
    }
  }
  *state = st;
  return 0;
}

static int seam_schedule(void *state, const jz_sched_t *s, jz_decisions_t *out) {
  seam_state_t *st = state;
  (void)s;
  st->d = out;
  int rc = st->seam->ops->schedule(st->pstate, &st->view, &st->dec);
  st->d = NULL;
  if (st->refused) return st->refused;
  if (rc) {
    snprintf(st->msg, sizeof st->msg, "%s: its scheduling pass failed (returned %d) at t=%.17g", st->seam->who,
             rc, st->s->now);
    return -JZ_EINVAL;
  }
  return 0;
}

static const char *seam_error(void *state) {
  seam_state_t *st = state;
  return st->msg[0] ? st->msg : NULL;
}

static int no_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  (void)state;
  (void)v;
  return jz_error_set(err, -JZ_EINTERNAL, "a seam policy started without its adapter");
}

/* The engine policy of a seam policy (name and summary repeated: a static initialiser cannot
 * read them from another file's table). */
#define SEAM_POLICY(name_, summary_, seam_)                                                    \
  {.name = (name_), .summary = (summary_), .init = no_init, .schedule = seam_schedule,       \
   .fini = seam_fini, .init_ctx = seam_init, .ctx = &(seam_), .error = seam_error}

jz_policy_t jz_seam_policy(const char *name, const char *summary, const jz_seam_t *seam) {
  return (jz_policy_t)SEAM_POLICY(name, summary, *seam);
}

/* ---- built-ins on the seam --------------------------------------------------------------- */

extern const jzsim_policy_t jz__fcfs_ops;
static const jz_seam_t fcfs_seam = {&jz__fcfs_ops, "policy 'fcfs'", NULL, 0};
const jz_policy_t jz_policy_fcfs = SEAM_POLICY(
    "fcfs", "first come, first served per partition; the first job that does not fit blocks the rest", fcfs_seam);

/* ---- plugins ------------------------------------------------------------------------------ */

void jz_plugin_close(jz_plugin_t *p) {
  if (!p) return;
  if (p->dl) dlclose(p->dl);
  free(p->path);
  free(p->name);
  free(p->params_text);
  free(p->buf);
  free(p->params);
  free(p);
}

/* Cut "k=v,k=v" (in p->buf) into p->params. */
static int parse_params(jz_plugin_t *p, jz_error_t *err) {
  if (!p->buf[0]) return 0;
  size_t n = 1;
  for (const char *c = p->buf; *c; c++) n += *c == ',';
  if (!(p->params = calloc(n, sizeof *p->params))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  /* Split by hand, not strtok_r: it skips empty items, so "k=v," and "a=1,,b=2" passed as if
   * nothing had been dropped. A key given twice is refused too, as in --workload options: which
   * one the plugin keeps is its own business and would be invisible in the outputs. */
  for (char *item = p->buf, *next; item; item = next) {
    char *comma = strchr(item, ',');
    next = comma ? comma + 1 : NULL;
    if (comma) *comma = '\0';
    if (!*item) return jz_error_set(err, -JZ_EINVAL, "plugin %s: empty parameter (a stray ',')", p->path);
    char *eq = strchr(item, '=');
    if (!eq || eq == item)
      return jz_error_set(err, -JZ_EINVAL, "plugin %s: parameter '%s' is not key=value", p->path, item);
    *eq = '\0';
    for (size_t k = 0; k < p->n_params; k++)
      if (strcmp(p->params[k].key, item) == 0)
        return jz_error_set(err, -JZ_EINVAL, "plugin %s: parameter '%s' given twice", p->path, item);
    p->params[p->n_params++] = (jzsim_param_t){item, eq + 1};
  }
  return 0;
}

int jz_plugin_open(jz_plugin_t **out, const char *spec, jz_error_t *err) {
  *out = NULL;
  jz_plugin_t *p = calloc(1, sizeof *p);
  if (!p) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  const char *slash = strrchr(spec, '/');
  const char *colon = strchr(slash ? slash : spec, ':');
  size_t plen = colon ? (size_t)(colon - spec) : strlen(spec);
  p->path = strndup(spec, plen);
  p->params_text = strdup(colon ? colon + 1 : "");
  p->buf = strdup(colon ? colon + 1 : "");
  int rc = 0;
  if (!p->path || !p->params_text || !p->buf) {
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    goto fail;
  }
  if (!p->path[0]) {
    rc = jz_error_set(err, -JZ_EINVAL, "--policy-plugin: no path in '%s'", spec);
    goto fail;
  }
  if ((rc = parse_params(p, err))) goto fail;
  /* RTLD_LOCAL: a plugin's symbols stay its own, so two plugins (or a plugin and jzsim) may
   * use the same names. RTLD_NOW: an unresolved symbol is an error now, not a crash later. */
  p->dl = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
  if (!p->dl) {
    const char *why = dlerror();
    rc = jz_error_set(err, -JZ_EINVAL, "plugin %s: cannot load it: %s", p->path, why ? why : "dlopen failed");
    goto fail;
  }
  const uint32_t *abi = dlsym(p->dl, "jzsim_policy_abi_version");
  if (!abi) {
    rc = jz_error_set(err, -JZ_EINVAL,
                      "plugin %s: no symbol 'jzsim_policy_abi_version' (define the policy with JZSIM_POLICY_DEFINE)",
                      p->path);
    goto fail;
  }
  if (*abi != JZSIM_POLICY_ABI_VERSION) {
    rc = jz_error_set(err, -JZ_EINVAL,
                      "plugin %s: built for policy ABI version %u, this jzsim has version %u (rebuild it "
                      "against this jzsim's <jzsim/policy.h>)",
                      p->path, (unsigned)*abi, (unsigned)JZSIM_POLICY_ABI_VERSION);
    goto fail;
  }
  /* dlsym returns a data pointer; POSIX guarantees it converts to a function pointer. */
  const jzsim_policy_t *(*get)(void);
  *(void **)&get = dlsym(p->dl, "jzsim_policy_ops");
  if (!get) {
    rc = jz_error_set(err, -JZ_EINVAL,
                      "plugin %s: no symbol 'jzsim_policy_ops' (define the policy with JZSIM_POLICY_DEFINE)", p->path);
    goto fail;
  }
  const jzsim_policy_t *ops = get();
  if (!ops || ops->abi_version != JZSIM_POLICY_ABI_VERSION || ops->size < sizeof *ops || !ops->name ||
      !ops->name[0] || !ops->schedule) {
    rc = jz_error_set(err, -JZ_EINVAL,
                      "plugin %s: its policy table is incomplete (needs abi_version %u, size, name and schedule)",
                      p->path, (unsigned)JZSIM_POLICY_ABI_VERSION);
    goto fail;
  }
  if (!(p->name = strdup(ops->name))) {
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    goto fail;
  }
  snprintf(p->who, sizeof p->who, "plugin %s (%s)", p->path, p->name);
  p->seam = (jz_seam_t){ops, p->who, p->params, p->n_params};
  p->pol = jz_seam_policy(p->name, ops->summary ? ops->summary : "", &p->seam);
  *out = p;
  return 0;
fail:
  jz_plugin_close(p);
  return rc;
}
