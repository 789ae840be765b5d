/* jzsim/policy.h: the public, versioned seam between jzsim and a batch-scheduling policy.
 *
 * A policy is a table of functions (jzsim_policy_t). jzsim calls schedule() once per
 * scheduling pass, after the job ends and submissions of that instant; the policy reads a
 * narrow, read-only view of the scheduler (jzsim_view_t) and answers with decisions
 * (jzsim_decisions_t): start job J now, optionally on given nodes. jzsim checks every decision
 * before applying it. The built-in `fcfs` policy is written against this header alone
 * (sim/sched/fcfs.c), so whatever it can do, a plugin can.
 *
 * A plugin is a shared object that defines, through JZSIM_POLICY_DEFINE(ops), two symbols:
 * `jzsim_policy_abi_version` (the JZSIM_POLICY_ABI_VERSION it was built with) and
 * `jzsim_policy_ops()` (its table). It is loaded with
 *     jzsim run --policy-plugin ./libmine.so[:key=value,...] ...
 * The view and the decisions reach the plugin as opaque handles with their own function
 * tables, so a plugin needs no symbol from the jzsim executable, and jzsim's internal structs
 * can change without breaking it. Include nothing else from jzsim.
 *
 * Versioning: JZSIM_POLICY_ABI_VERSION changes whenever a struct below changes layout or a
 * function changes meaning; jzsim refuses a plugin built for another version. Function tables
 * start with their size, so a later version may append functions without breaking older
 * plugins (a plugin then checks `size` before calling a function it did not know).
 *
 * Model in a few lines (docs/policies.md, "Writing a policy plugin", says more):
 *  - Partitions are independent machines: node n of partition p is (p, n), 0-based; a job runs
 *    in the partition its trace was mapped to. Nodes have cores, and GPUs on GPU partitions.
 *  - Pools: the independent queues a policy orders jobs in. Pools 0 .. partitions-1 are the
 *    partitions; pool partitions + k is dedicated allocation k (a reservation in the platform):
 *    while its window is open, the jobs of its accounts wait in that pool and are served in its
 *    nodes first, so they neither block nor are blocked by the rest of the partition.
 *  - Waiting jobs of a partition come in queue order: queue priority (QoS, higher first), then
 *    submission. jzsim_first/jzsim_next walk that order across the partition's pools; ask
 *    jzsim_pool_of for a job's pool. Jobs held by a queue limit that has not loosened since
 *    they were found held are left out of the walk (nothing could start them).
 *  - A queue limit (Slurm QoS MaxJobsPerUser, MaxTRESPerUser, ...) may hold a waiting job: ask
 *    jzsim_held(d, J) before starting it. jzsim records Slurm's reason for jobs.csv when a
 *    policy asks, and a start of a held job is an invalid decision.
 *  - Change hints: a partition is "released" when resources were freed there, a limit
 *    loosened, a dedicated window opened or closed, or a job was queued ahead of older ones
 *    since the last pass; otherwise only its jobs submitted since the last pass (from
 *    jzsim_first_new) can start, if the policy's rule is monotone in free resources as FCFS
 *    and EASY are. A policy may ignore the hints and walk everything: slower, same result.
 *  - Running jobs: their start and requested time (start + requested = the requested end the
 *    policy may plan with; the actual end is unknown to it), and the nodes they hold.
 *
 * Example (a complete policy: start every waiting job that fits, in queue order, never
 * blocking): see tests/plugins/greedy... in the repository, and tests/plugins/saf.c for
 * smallest-area-first backfilling with parameters.
 *
 *     static int greedy_schedule(void *st, const jzsim_view_t *v, jzsim_decisions_t *d) {
 *       for (int p = 0; p < jzsim_n_partitions(v); p++)
 *         for (jzsim_job_t j = jzsim_first(v, p), n; j != JZSIM_NONE; j = n) {
 *           n = jzsim_next(v, j);                       // read before a start unlinks j
 *           if (jzsim_held(d, j) || !jzsim_fits(v, j)) continue;
 *           int rc = jzsim_start(d, j);
 *           if (rc) return rc;                          // invalid: jzsim stops the run
 *         }
 *       return 0;
 *     }
 *     static const jzsim_policy_t greedy = {JZSIM_POLICY_ABI_VERSION, sizeof greedy,
 *         "greedy", "start whatever fits", NULL, greedy_schedule, NULL};
 *     JZSIM_POLICY_DEFINE(greedy)
 */
#ifndef JZSIM_POLICY_H
#define JZSIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JZSIM_POLICY_ABI_VERSION 1

/* A job: a dense index, stable for the whole run. JZSIM_NONE ends a walk. */
typedef uint32_t jzsim_job_t;
#define JZSIM_NONE UINT32_MAX

/* A decision jzsim refused (the run stops with one error line naming the policy, the job and
 * the time); a policy returns it from schedule(). */
#define JZSIM_EREFUSED (-100)

typedef enum jzsim_job_state {
  JZSIM_JOB_PENDING = 0, /* not submitted yet */
  JZSIM_JOB_WAITING = 1,
  JZSIM_JOB_RUNNING = 2,
  JZSIM_JOB_DONE = 3,    /* completed, failed, killed at its requested time, or rejected */
} jzsim_job_state_t;

/* What a job asks for and where it stands. Strings are owned by jzsim, valid for the run. */
typedef struct jzsim_job_info {
  int64_t trace_id;    /* its number in the trace (the job_id of jobs.csv) */
  double submit;       /* when it entered the queue, s */
  double requested;    /* requested time (walltime), s: it is killed after that long */
  double start;        /* when it started, or -1 */
  int32_t cores;       /* cores it occupies when running */
  int32_t gpus;        /* GPUs it occupies */
  int32_t nodes;       /* > 0: that many whole nodes; 0: cores anywhere or a one-node GPU share */
  int32_t max_nodes;   /* a cores request may span at most this many nodes (0: any number) */
  int32_t partition;
  int32_t pool;        /* the pool it waits in now (see above) */
  int32_t queue;       /* queue index (jzsim_queue_name), its priority level: `level` */
  int32_t level;       /* 0 = the highest priority level */
  const char *user;    /* "" when the trace has none */
  const char *account; /* "" when the trace has none */
  jzsim_job_state_t state;
  bool queue_limited;  /* its queue has per-user or per-account limits: starting it may hold
                          other waiting jobs of its user or account */
} jzsim_job_info_t;

typedef struct jzsim_partition_info {
  const char *name;
  int32_t nodes, cores_per_node, gpus_per_node;
  int64_t free_cores, free_gpus; /* in the whole partition, now */
  int32_t free_nodes;            /* completely free nodes */
  int64_t first_node;            /* global number of its node 0 (jobs.csv allocated_resources) */
} jzsim_partition_info_t;

typedef struct jzsim_pool_info {
  const char *name;   /* the partition's, or the dedicated allocation's */
  int32_t partition;
  bool reservation;   /* a dedicated allocation's pool */
  bool open;          /* its window is open now (always true for a partition) */
  int64_t waiting;    /* jobs waiting in it (held ones included) */
} jzsim_pool_info_t;

/* One node a running job holds, and what it takes there. */
typedef struct jzsim_node_use {
  int32_t node;       /* 0-based within the job's partition */
  int32_t cores, gpus;
} jzsim_node_use_t;

/* The read-only view. Every function takes the handle as its first argument; use the inline
 * wrappers below. Costs: all O(1) unless said. */
typedef struct jzsim_view_ops {
  size_t size; /* sizeof(jzsim_view_ops_t) of the jzsim that made it */
  double (*now)(const void *h);
  int (*n_partitions)(const void *h);
  void (*partition)(const void *h, int part, jzsim_partition_info_t *out);
  int32_t (*node_free_cores)(const void *h, int part, int32_t node);
  int32_t (*node_free_gpus)(const void *h, int part, int32_t node);
  int (*n_pools)(const void *h);
  void (*pool)(const void *h, int pool, jzsim_pool_info_t *out);
  const char *(*queue_name)(const void *h, int queue);
  /* Waiting jobs of a partition in queue order (amortised O(1) a step). */
  jzsim_job_t (*first)(const void *h, int part);
  jzsim_job_t (*next)(const void *h, jzsim_job_t j);
  int (*pool_of)(const void *h, jzsim_job_t j);
  void (*job)(const void *h, jzsim_job_t j, jzsim_job_info_t *out);
  /* Would waiting job j fit now in what is free, in the nodes open to it? */
  bool (*fits)(const void *h, jzsim_job_t j);
  /* Running jobs of a partition, in no particular order: index 0 .. n_running - 1. A start
   * renumbers them: read them before deciding, or read them again after. */
  uint32_t (*n_running)(const void *h, int part);
  jzsim_job_t (*running)(const void *h, int part, uint32_t i);
  /* The nodes running job j holds, in increasing order: writes at most cap of them and
   * returns how many there are. O(nodes). */
  uint32_t (*job_nodes)(const void *h, jzsim_job_t j, jzsim_node_use_t *out, uint32_t cap);
  /* Change hints since the last pass (see the header comment). */
  bool (*released)(const void *h, int part);
  jzsim_job_t (*first_new)(const void *h, int part);
  /* Would a queue limit hold job j now? false unless j is waiting. Unlike jzsim_held, records
   * nothing: for a policy that re-checks a job it already asked about (a blocked head). */
  bool (*would_hold)(const void *h, jzsim_job_t j);
} jzsim_view_ops_t;

typedef struct jzsim_view {
  const jzsim_view_ops_t *ops;
  const void *handle;
} jzsim_view_t;

/* Decisions, applied at once (the view shows them immediately). Each returns 0 or
 * JZSIM_EREFUSED: the job is not waiting, a queue limit holds it, it does not fit, or a node
 * list is invalid; jzsim then stops the run with one error line, whatever the policy does. */
typedef struct jzsim_decide_ops {
  size_t size;
  /* Start waiting job j now; jzsim places it (lowest-numbered nodes first). */
  int (*start)(void *h, jzsim_job_t j);
  /* Start it on these nodes of its partition (any order, no repeats). Whole-node requests list
   * exactly `nodes` free nodes; a one-node GPU share lists one node; a cores request lists the
   * nodes whose free cores it takes, in increasing node order, each giving all its free cores
   * but the last, which gives the rest (so every listed node gives at least one core, and at
   * most max_nodes nodes when the queue caps them). */
  int (*start_on)(void *h, jzsim_job_t j, const int32_t *nodes, uint32_t n);
  /* Would a queue limit hold waiting job j now? Records the reason for jobs.csv. */
  bool (*held)(void *h, jzsim_job_t j);
} jzsim_decide_ops_t;

typedef struct jzsim_decisions {
  const jzsim_decide_ops_t *ops;
  void *handle;
} jzsim_decisions_t;

/* One `key=value` of `--policy-plugin lib.so:key=value,...` (or the experiment file's
 * policy_params), in the order given. */
typedef struct jzsim_param {
  const char *key, *value;
} jzsim_param_t;

/* The table a policy exports. Optional functions may be NULL. */
typedef struct jzsim_policy {
  uint32_t abi_version; /* JZSIM_POLICY_ABI_VERSION */
  size_t size;          /* sizeof(jzsim_policy_t) */
  const char *name;     /* short, for outputs and messages ("saf") */
  const char *summary;  /* one line */
  /* Optional. Make the policy's state (*state, passed back to the other functions). Reject
   * unknown keys and bad values: write one line (no newline) into err (errlen bytes) and
   * return non-zero; jzsim prints it and exits with status 2. */
  int (*init)(void **state, const jzsim_view_t *v, const jzsim_param_t *params, size_t n_params,
              char *err, size_t errlen);
  /* One pass at jzsim_now(v): 0, or a non-zero code that stops the run (JZSIM_EREFUSED as a
   * decision returned it; any other value is reported as the policy's own failure). */
  int (*schedule)(void *state, const jzsim_view_t *v, jzsim_decisions_t *d);
  void (*fini)(void *state); /* optional */
} jzsim_policy_t;

/* Readable wrappers. */
static inline double jzsim_now(const jzsim_view_t *v) { return v->ops->now(v->handle); }
static inline int jzsim_n_partitions(const jzsim_view_t *v) { return v->ops->n_partitions(v->handle); }
static inline void jzsim_partition(const jzsim_view_t *v, int part, jzsim_partition_info_t *o) {
  v->ops->partition(v->handle, part, o);
}
static inline int32_t jzsim_node_free_cores(const jzsim_view_t *v, int part, int32_t node) {
  return v->ops->node_free_cores(v->handle, part, node);
}
static inline int32_t jzsim_node_free_gpus(const jzsim_view_t *v, int part, int32_t node) {
  return v->ops->node_free_gpus(v->handle, part, node);
}
static inline int jzsim_n_pools(const jzsim_view_t *v) { return v->ops->n_pools(v->handle); }
static inline void jzsim_pool(const jzsim_view_t *v, int pool, jzsim_pool_info_t *o) {
  v->ops->pool(v->handle, pool, o);
}
static inline const char *jzsim_queue_name(const jzsim_view_t *v, int q) {
  return v->ops->queue_name(v->handle, q);
}
static inline jzsim_job_t jzsim_first(const jzsim_view_t *v, int part) { return v->ops->first(v->handle, part); }
static inline jzsim_job_t jzsim_next(const jzsim_view_t *v, jzsim_job_t j) { return v->ops->next(v->handle, j); }
static inline int jzsim_pool_of(const jzsim_view_t *v, jzsim_job_t j) { return v->ops->pool_of(v->handle, j); }
static inline void jzsim_job(const jzsim_view_t *v, jzsim_job_t j, jzsim_job_info_t *o) {
  v->ops->job(v->handle, j, o);
}
static inline bool jzsim_fits(const jzsim_view_t *v, jzsim_job_t j) { return v->ops->fits(v->handle, j); }
static inline uint32_t jzsim_n_running(const jzsim_view_t *v, int part) {
  return v->ops->n_running(v->handle, part);
}
static inline jzsim_job_t jzsim_running(const jzsim_view_t *v, int part, uint32_t i) {
  return v->ops->running(v->handle, part, i);
}
static inline uint32_t jzsim_job_nodes(const jzsim_view_t *v, jzsim_job_t j, jzsim_node_use_t *o,
                                       uint32_t cap) {
  return v->ops->job_nodes(v->handle, j, o, cap);
}
static inline bool jzsim_released(const jzsim_view_t *v, int part) { return v->ops->released(v->handle, part); }
static inline jzsim_job_t jzsim_first_new(const jzsim_view_t *v, int part) {
  return v->ops->first_new(v->handle, part);
}
static inline bool jzsim_would_hold(const jzsim_view_t *v, jzsim_job_t j) {
  return v->ops->would_hold(v->handle, j);
}
static inline int jzsim_start(jzsim_decisions_t *d, jzsim_job_t j) { return d->ops->start(d->handle, j); }
static inline int jzsim_start_on(jzsim_decisions_t *d, jzsim_job_t j, const int32_t *nodes, uint32_t n) {
  return d->ops->start_on(d->handle, j, nodes, n);
}
static inline bool jzsim_held(jzsim_decisions_t *d, jzsim_job_t j) { return d->ops->held(d->handle, j); }

/* What a plugin's shared object exports (once, in one of its files). */
#if defined(__GNUC__)
#define JZSIM_EXPORT __attribute__((visibility("default")))
#else
#define JZSIM_EXPORT
#endif
#define JZSIM_POLICY_DEFINE(ops)                                                        \
  JZSIM_EXPORT extern const uint32_t jzsim_policy_abi_version;                          \
  JZSIM_EXPORT const uint32_t jzsim_policy_abi_version = JZSIM_POLICY_ABI_VERSION;      \
  JZSIM_EXPORT const jzsim_policy_t *jzsim_policy_ops(void);                            \
  JZSIM_EXPORT const jzsim_policy_t *jzsim_policy_ops(void) { return &(ops); }

#ifdef __cplusplus
}
#endif

#endif
