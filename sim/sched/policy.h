/* policy.h: the ops table every batch policy implements, and the registry of policies.
 *
 * A policy is pure C over a read-only view (jz_sched_t: the waiting queue in order, free
 * resources per partition, running jobs by requested end) and acts only by pushing decisions
 * (jz_decide_start). It never calls SimGrid, so it is unit-tested on hand-built job tables.
 * Adding a policy = one file defining a jz_policy_t + one line in registry.c.
 *
 * Policies on the public seam (<jzsim/policy.h>: the built-in fcfs, and plugins loaded with
 * --policy-plugin) reach the engine through an adapter (plugin.c) that fills init_ctx, ctx
 * and error instead of init. */
#ifndef JZ_POLICY_H
#define JZ_POLICY_H

#include "error.h"
#include "sched/sched.h"

typedef struct jz_policy {
  const char *name;    /* "fcfs", "easy", "conservative", "slurm" */
  const char *summary; /* one line for `jzsim help run` */
  int (*init)(void **state, const jz_sched_t *view, jz_error_t *err); /* 0 or -JZ_E* */
  /* Optional: can the policy run these jobs on this platform at all? Called before the
   * simulation starts (init checks again), so a refusal is a plain input error. */
  int (*check)(const jz_sched_t *view, jz_error_t *err);
  /* One scheduling pass at view->now, after the finishes and submissions of that instant. */
  int (*schedule)(void *state, const jz_sched_t *view, jz_decisions_t *out);
  /* Optional (NULL: passes at events only). While jobs wait, the engine also runs a pass at
   * the time this returns (> now; INFINITY for none), asked after every pass: a policy with
   * periodic work (slurm's backfill every bf_interval) or a planned start (a conservative
   * reservation that begins when nothing ends) is woken without an event. */
  double (*next_wakeup)(void *state, double now);
  void (*fini)(void *state);
  /* Set instead of init by plugin.c's adapter: init with its context (ctx). */
  int (*init_ctx)(void **state, const void *ctx, const jz_sched_t *view, jz_error_t *err);
  const void *ctx;
  /* Optional: after schedule failed, the one-line reason (naming the job and the time). */
  const char *(*error)(void *state);
} jz_policy_t;

extern const jz_policy_t jz_policy_fcfs;
extern const jz_policy_t jz_policy_easy;
extern const jz_policy_t jz_policy_slurm;
extern const jz_policy_t jz_policy_conservative;

/* NULL-terminated list of registered policies, and lookup by name (NULL if unknown). */
const jz_policy_t *const *jz_policy_list(void);
const jz_policy_t *jz_policy_find(const char *name);
/* "fcfs, easy, ...": the registered names, for messages (cut to len - 1 bytes). */
const char *jz_policy_names(char *buf, size_t len);

/* A flow job's end moves earlier when its work ends (jz_sched_work_done), after a policy keyed
 * it by its requested end: policies keep their running flow jobs in an unordered array and,
 * each pass, take out those no longer running with this (cursor *k from 0; JZ_NONE when none
 * is left), O(running flow jobs) per pass. */
static inline uint32_t jz_flow_next_ended(const jz_sched_t *v, uint32_t *flow, uint32_t *n, uint32_t *k) {
  while (*k < *n) {
    uint32_t id = flow[*k];
    if (v->run[id].state != JZ_STATE_RUNNING) {
      flow[*k] = flow[--*n];
      return id;
    }
    ++*k;
  }
  return JZ_NONE;
}

#endif
