/* sched.h: the scheduler's world, without SimGrid: waiting queues, running jobs, resources,
 * queue (QoS) limits, dedicated allocations, per-job run state, and the decisions a policy
 * may push.
 *
 * A policy sees this through `const jz_sched_t *` (the view) and acts only through
 * jz_decide_*(), which check each decision and apply it at once, so the view stays consistent
 * within one scheduling pass. The engine (engine.c) drives time: it calls jz_sched_submit /
 * jz_sched_finish_next / jz_sched_advance and then one policy pass. Everything here is pure C
 * and is unit-tested on hand-built job tables.
 *
 * Waiting order: each partition has its own waiting jobs (partitions are independent pools of
 * resources, so a pass looks only at the partitions where something changed). Within a
 * partition, queues (QoS) carry a priority; waiting jobs are ordered by their queue's priority
 * (higher first), then by submission. Each distinct priority is a level with its own list, so
 * submitting is O(levels) and walking the order is O(1) per job. Within a level the order is
 * the run's queue order (order.h): submission by default (lists appended to), a static key
 * (a job is linked in at its place, found in O(log n)), or WFP3 (lists sorted again at each
 * instant). Under an order other than submission, held jobs are not hidden from walks and
 * EASY does not jump through the waiting-list index (both assume submission order). */
#ifndef JZ_SCHED_H
#define JZ_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "job.h"
#include "sched/heap.h"
#include "sched/limits.h"
#include "sched/order.h"
#include "sched/postree.h"
#include "sched/resources.h"

#define JZ_NONE UINT32_MAX

/* Job states, named as they appear in jobs.csv where they are final. */
typedef enum jz_job_state {
  JZ_STATE_PENDING = 0, /* not yet submitted */
  JZ_STATE_WAITING,
  JZ_STATE_RUNNING,
  JZ_STATE_COMPLETED_SUCCESSFULLY,
  JZ_STATE_COMPLETED_FAILED,
  JZ_STATE_COMPLETED_WALLTIME_REACHED,
  JZ_STATE_REJECTED,
} jz_job_state_t;

const char *jz_job_state_name(jz_job_state_t s);

typedef enum jz_reject {
  JZ_REJECT_NONE = 0,
  JZ_REJECT_TOO_BIG,      /* larger than its partition */
  JZ_REJECT_NO_PARTITION,
  JZ_REJECT_WALLTIME,     /* requested time above every admitting queue's max walltime */
  JZ_REJECT_QUEUE_SIZE,   /* above every queue's per-job GPU/core/node limits */
  JZ_REJECT_NAMED_QUEUE,  /* the queue it names does not admit it */
  JZ_REJECT_CHAIN_DONE,   /* a later segment of a flow job's chain whose work is done */
  JZ_REJECT_COUNT
} jz_reject_t;

const char *jz_reject_reason(jz_reject_t r);

/* Why a waiting job may not start although resources might fit: Slurm's reason names. */
typedef enum jz_hold {
  JZ_HOLD_NONE = 0,
  JZ_HOLD_JOBS_USER,
  JZ_HOLD_GPUS_USER,
  JZ_HOLD_CORES_USER,
  JZ_HOLD_JOBS_ACCOUNT,
  JZ_HOLD_GPUS_ACCOUNT,
  JZ_HOLD_CORES_ACCOUNT,
  JZ_HOLD_COUNT
} jz_hold_t;

const char *jz_hold_reason(jz_hold_t h);

/* Why a waiting job did not start, as a policy that knows it records it (slurm): Slurm's
 * scheduling reasons. jobs.csv's held_reason shows a queue limit's reason first, else this. */
typedef enum jz_reason {
  JZ_REASON_NONE = 0,
  JZ_REASON_PRIORITY,  /* jobs of higher priority wait in its pool */
  JZ_REASON_RESOURCES, /* the first of its pool, waiting for resources */
} jz_reason_t;

const char *jz_reason_name(jz_reason_t r);

/* What the run decided for a job before the simulation (experiment.c fills it). */
typedef struct jz_plan {
  jz_request_t req;
  int16_t key;         /* queue key (jz_qkey_t index) */
  int16_t resv;        /* reservation whose accounts include the job's, -1 = none */
  uint8_t reject;      /* jz_reject_t decided before the run (routing), 0 = none */
  uint32_t chain_next; /* next checkpoint/restart segment, submitted when this one ends */
} jz_plan_t;

/* Per-job simulation state and results (the job table itself stays immutable). */
typedef struct jz_jobrun {
  double submit;          /* when it entered the queue (a chain segment: its predecessor's end) */
  double start, finish;   /* -1 until known */
  jz_request_t req;       /* what the job asks of its partition */
  int64_t units;          /* EASY's accounting unit: GPUs on GPU partitions, cores elsewhere */
  int32_t gpus;           /* GPUs it occupies */
  int32_t cores;          /* cores it occupies */
  jz_alloc_t alloc;       /* while running */
  uint64_t zones;         /* zones of its allocation while running */
  uint32_t prev, next;    /* waiting-list links (JZ_NONE at the ends) */
  uint32_t pos;           /* position in its waiting list's index (postree.h) */
  uint32_t hleaf[2];      /* its leaf in its user's [0] and account's [1] held tree, or JZ_NONE */
  uint32_t htree[2];      /* those held trees (jz_sched_t.ht), or JZ_NONE */
  uint32_t chain_next;
  uint32_t alloc_text;    /* offset of its allocated_resources text in jz_sched_t.text */
  uint32_t nodes;         /* nodes it ran on */
  int16_t key, resv;
  uint8_t state;          /* jz_job_state_t */
  uint8_t reject;         /* jz_reject_t */
  uint8_t hold;           /* current jz_hold_t while waiting */
  uint8_t first_hold;     /* the first reason that held it (jobs.csv held_reason) */
  uint8_t reason;         /* the first jz_reason_t a policy recorded for it */
  uint8_t level;          /* priority level index */
  uint8_t hkind;          /* while hidden: the held tree it is in (0 user, 1 account) */
  bool hidden;            /* held by a limit, and in that limit's held tree: walks skip it
                             unless the limit has loosened enough for it since */
  bool work_done;         /* a flow job (JZ_JOB_FLOW) whose work ended before its walltime */
} jz_jobrun_t;

/* A queue as the outputs see it: a platform queue, or a partition without queues. */
typedef struct jz_qkey {
  const char *name;
  int queue;     /* platform queue index, -1 for a partition's pseudo-queue */
  int partition; /* for a pseudo-queue; the first listed partition for a real queue */
  int priority;
  int level;
  bool limited;  /* its queue has a per-user or per-account limit */
  int64_t waiting_jobs, waiting_cores, waiting_gpus, running_jobs, held_jobs;
} jz_qkey_t;

/* The jobs of one (queue, user or account, partition) that its limit holds, hidden from the
 * waiting lists' walks. A postree over that group's waiting jobs in submission order (so in
 * waiting-list order: one queue is one priority level) whose "units" are the job's cores and
 * whose "wall" is its GPUs: a leaf is present while the job is hidden here. When the limit
 * loosens (a job of the group ends) the tree is opened: walks then also look in it, for the
 * first hidden job the limit would now let through, and show that one job only. Showing every
 * held job of the group at once and hiding them again one by one as walks revisit them (one
 * start puts the group back at its limit) was linear in the group's held jobs per job end:
 * 281 M hides on RICC. */
typedef struct jz_heldtree {
  jz_postree_t t;
  uint32_t *pos;  /* waiting-list position of each leaf's job, increasing (t.n of them) */
  uint32_t cap;
  int32_t queue, entity;
  int part;
  uint8_t kind; /* 0 user, 1 account */
  bool open;    /* in its (partition, level)'s open list */
} jz_heldtree_t;

/* A dedicated allocation's run state. */
typedef struct jz_resv_state {
  int zone;                 /* zone index within its partition */
  bool active;              /* inside a window now */
  int64_t waiting_members;  /* jobs of its accounts waiting in its partition */
  int64_t lent_units;       /* units of its zone held by jobs of other accounts (borrowers) */
  double busy_units_s;      /* integral over active windows of the units of its zone its own
                               accounts' jobs hold (borrowers are not its use) */
  double lent_units_s;      /* the same for borrowers (lend_idle) */
  double window_s;          /* time spent inside windows */
} jz_resv_state_t;

typedef struct jz_sched {
  const jz_job_t *jobs;
  uint32_t njobs;
  uint32_t n_static; /* jobs [0, n_static) are submitted at their trace time, sorted; the rest
                        are later segments of checkpoint/restart chains */
  jz_jobrun_t *run;
  const jz_platform_t *platform;
  const void *policy_conf; /* the policy's own configuration (slurm: jz_slurm_conf_t), or NULL */
  bool with_reservations;
  jz_resources_t res;
  /* Queue keys and priority levels. */
  jz_qkey_t *keys;
  int n_keys;
  int n_levels;
  uint32_t *lhead, *ltail; /* waiting list of each (partition, level): [part * n_levels + l] */
  jz_postree_t *wtree;     /* the same lists indexed for EASY's backfill search */
  size_t n_wtrees;
  uint32_t qlen;
  uint32_t *qlen_part; /* waiting jobs per partition */
  /* QoS usage counters per (queue, user) and (queue, account). */
  jz_usage_map_t by_user, by_account;
  /* Held trees; ht_index[kind] maps (queue * n_parts + part, entity) to a tree (aux field). */
  jz_heldtree_t *ht;
  uint32_t n_ht, cap_ht;
  jz_usage_map_t ht_index[2];
  /* Open held trees per (partition, level) list: [part * n_levels + l]. Sized for every tree
   * of the list when the tree is created, so that a job end (opening trees) never allocates. */
  uint32_t **open;
  uint32_t *n_open, *cap_open, *n_trees;
  /* Dedicated allocations (platform->reservations order). */
  jz_resv_state_t *resv;
  /* Running jobs per partition, keyed by requested end (start + walltime): EASY's view. */
  jz_heap_t *rend;
  uint32_t *rend_pos;
  /* Running jobs keyed by actual end: the engine's finish events. */
  jz_heap_t finishing;
  uint32_t *fin_pos;
  double now;
  double last_advance; /* time up to which the integrals are accumulated */
  /* Change tracking between passes, per partition, so a policy skips what cannot change. */
  bool *released;      /* resources freed, a limit loosened, a window opened or closed, or a
                          job queued ahead of older ones: the partition's walk starts at its head */
  uint32_t *first_new; /* first job submitted since the last pass, or JZ_NONE */
  bool pending;        /* some partition has something to look at */
  uint32_t running;
  int64_t *busy_units; /* per partition, for utilisation series: busy cores */
  int64_t *busy_gpus;
  uint32_t *running_part;
  /* Flow jobs (JZ_JOB_FLOW) started since the engine last looked: it starts their work. */
  uint32_t *flow_started;
  uint32_t n_flow_started, cap_flow_started;
  /* allocated_resources texts ("0-3 7"), one after the other, NUL-separated. */
  char *text;
  size_t text_n, text_cap;
  /* Queue order within a level (order.h); JZ_ORDER_SUBMIT unless jz_sched_set_order. */
  jz_order_t order;
  jz_oindex_t oidx;   /* static orders: the place of each waiting job */
  uint32_t *oroot;    /* static orders: one tree per waiting list */
  uint32_t oseq;      /* submissions so far: ties between equal keys */
  struct jz_osort *osort; /* wfp3: scratch for sorting a list */
  /* The job table's strings (users, accounts, text job ids) for the public policy view and
   * its messages; NULL when the caller has none (names are then ""). */
  const jz_strtab_t *strings;
} jz_sched_t;

/* with_reservations = false runs the same inputs on a machine without dedicated allocations
 * (the --baseline run). */
int jz_sched_init(jz_sched_t *s, const jz_platform_t *p, const jz_job_t *jobs, uint32_t njobs,
                  bool with_reservations);
void jz_sched_free(jz_sched_t *s);
/* Order the waiting jobs by o within each priority level (before any submission). 0 or
 * -JZ_ENOMEM. */
int jz_sched_set_order(jz_sched_t *s, jz_order_t o);

/* The pseudo-queue key of a partition that has no queue, or -1 if it has queues. */
int jz_sched_partition_key(const jz_sched_t *s, int part);

/* Set what the run decided for job id (before submission). */
void jz_sched_plan(jz_sched_t *s, uint32_t id, const jz_plan_t *plan);
/* Shorthand used by tests: a request on the partition's pseudo-queue, no reservation. */
void jz_sched_set_request(jz_sched_t *s, uint32_t id, jz_request_t req);

/* The engine's side. submit queues the job at s->now, or rejects it if it can never run. */
int jz_sched_submit(jz_sched_t *s, uint32_t id);
/* A flow job's work ended at t (<= its walltime end): it becomes the job's end. */
int jz_sched_work_done(jz_sched_t *s, uint32_t id, double t);
/* Finish the running job whose actual end is earliest; returns its id. A flow job that did
 * not end its work by then is killed at its walltime. */
uint32_t jz_sched_finish_next(jz_sched_t *s);
/* Accumulate time integrals up to t and open/close reservation windows at t. */
void jz_sched_advance(jz_sched_t *s, double t);
/* Next time > now at which a reservation window opens or closes (INFINITY if none). */
double jz_sched_next_boundary(const jz_sched_t *s);
/* Mark a policy pass as done (resets change tracking). */
void jz_sched_pass_done(jz_sched_t *s);

/* Is reservation k's window open at time t? Next window start after t (INFINITY if none).
 * End of the window open at t (t inside a window). */
bool jz_sched_resv_active(const jz_sched_t *s, int k, double t);
double jz_sched_resv_next_start(const jz_sched_t *s, int k, double t);
double jz_sched_resv_window_end(const jz_sched_t *s, int k, double t);
/* Units (GPUs on GPU partitions, cores elsewhere) of reservation k's nodes. */
int64_t jz_sched_resv_units(const jz_sched_t *s, int k);

/* The policy's side. */
typedef struct jz_decisions {
  jz_sched_t *s;
  uint32_t started;
} jz_decisions_t;

/* Start waiting job id now. 0, or -JZ_EINTERNAL if it is not waiting, is held by a limit or
 * does not fit (the engine treats that as a policy bug), or -JZ_ENOMEM. */
int jz_decide_start(jz_decisions_t *d, uint32_t id);
/* Record why waiting job id did not start (the first reason recorded is kept). */
static inline void jz_decide_reason(jz_decisions_t *d, uint32_t id, jz_reason_t r) {
  if (!d->s->run[id].reason) d->s->run[id].reason = (uint8_t)r;
}
/* The same within some of the zones open to it now (a bit mask: one dedicated allocation's
 * nodes, say); -JZ_EINTERNAL if a zone is not open to it or it does not fit there. */
int jz_decide_start_in(jz_decisions_t *d, uint32_t id, uint64_t zones);
/* The same on the given nodes of its partition (increasing: jz_resources_plan_on); -JZ_EINVAL
 * with the reason in why[len] when the list does not hold the job. */
int jz_decide_start_on(jz_decisions_t *d, uint32_t id, const int32_t *nodes, uint32_t n, char *why,
                       size_t len);
/* The same for a per-core job with exactly cores[i] of its cores on nodes[i] (conservative's
 * node-by-node plans: the other free cores of those nodes may be promised to later jobs). */
int jz_decide_start_cores_on(jz_decisions_t *d, uint32_t id, const int32_t *nodes, const int32_t *cores,
                             uint32_t n, char *why, size_t len);
/* Would a queue limit hold job id now? Records the reason for the outputs. */
jz_hold_t jz_decide_held(jz_decisions_t *d, uint32_t id);
/* The same question, read-only (no record, no hiding). */
bool jz_view_held(const jz_sched_t *s, uint32_t id);

/* Read-only helpers for policies. The first waiting job of a partition, and the next one in
 * its order (JZ_NONE at the end). Jobs held by a queue limit that has not loosened since they
 * were found held are skipped (hidden): nothing could make them start, and an overloaded
 * partition can hold tens of thousands of them. Once their limit loosens, a walk shows the
 * first of them that the limit would now let through (a lazy step: the view is logically
 * unchanged, see jz_heldtree_t). */
uint32_t jz__view_visible(const jz_sched_t *s, int part, int level, uint32_t from);
/* The smallest position >= from of (part, level) holding a visible job that may pass EASY's
 * backfill filter (postree.h: units <= F and (walltime <= W or units <= E)); UINT32_MAX if
 * none. Its id is wtree[part * n_levels + level].ids[pos]. */
uint32_t jz_view_next_candidate(const jz_sched_t *s, int part, int level, uint32_t from,
                                int64_t F, double W, int64_t E);

static inline uint32_t jz__view_head(const jz_sched_t *s, int part, int l) {
  size_t i = (size_t)part * (size_t)s->n_levels + (size_t)l;
  uint32_t h = s->lhead[i];
  /* Under another order than submission nothing is hidden and the index (in submission
   * order) is not the walk's order: follow the list. */
  if (h == JZ_NONE || s->order != JZ_ORDER_SUBMIT) return h;
  return s->run[h].hidden || s->n_open[i] ? jz__view_visible(s, part, l, 0) : h;
}

static inline uint32_t jz_view_first(const jz_sched_t *s, int part) {
  for (int l = 0; l < s->n_levels; l++) {
    uint32_t h = jz__view_head(s, part, l);
    if (h != JZ_NONE) return h;
  }
  return JZ_NONE;
}

static inline uint32_t jz_view_next(const jz_sched_t *s, uint32_t id) {
  const jz_jobrun_t *r = &s->run[id];
  uint32_t n = r->next;
  int part = s->jobs[id].partition;
  size_t i = (size_t)part * (size_t)s->n_levels + r->level;
  if (s->order != JZ_ORDER_SUBMIT) { /* nothing hidden; the index is not in this order */
    if (n != JZ_NONE) return n;
  } else {
    if (n != JZ_NONE && !s->run[n].hidden && !s->n_open[i]) return n;
    if (n != JZ_NONE || s->n_open[i]) return jz__view_visible(s, part, r->level, r->pos + 1);
  }
  for (int l = r->level + 1; l < s->n_levels; l++) {
    uint32_t h = jz__view_head(s, part, l);
    if (h != JZ_NONE) return h;
  }
  return JZ_NONE;
}

/* Pools: the independent queues of resources a policy orders jobs in. A partition is a pool;
 * while a dedicated allocation's window is open, its accounts' jobs form a pool of their own
 * (they are served first in its zone), so a member job waiting for the allocation does not
 * hold back the rest of the partition, nor the reverse. */
static inline int jz_view_n_pools(const jz_sched_t *s) {
  return s->res.n_parts + s->platform->n_reservations;
}

static inline int jz_view_pool(const jz_sched_t *s, uint32_t id) {
  int k = s->run[id].resv;
  if (k >= 0 && s->with_reservations && s->resv[k].active) return s->res.n_parts + k;
  return s->jobs[id].partition;
}

/* The partition of a pool. */
static inline int jz_view_pool_partition(const jz_sched_t *s, int pool) {
  return pool < s->res.n_parts ? pool : s->platform->reservations[pool - s->res.n_parts].partition;
}

/* Waiting jobs in a pool. */
static inline int64_t jz_view_pool_waiting(const jz_sched_t *s, int pool) {
  if (pool >= s->res.n_parts) {
    const jz_resv_state_t *rs = &s->resv[pool - s->res.n_parts];
    return s->with_reservations && rs->active ? rs->waiting_members : 0;
  }
  int64_t n = s->qlen_part[pool];
  for (int k = 0; s->with_reservations && k < s->platform->n_reservations; k++)
    if (s->resv[k].active && s->platform->reservations[k].partition == pool)
      n -= s->resv[k].waiting_members;
  return n;
}

/* Zones job id may use now: tier 1 (its reservation's zone, or every zone open to it) and
 * tier 2 (what it may overflow to; equal to tier 1 when there is nothing more). */
void jz_view_zones(const jz_sched_t *s, uint32_t id, uint64_t *tier1, uint64_t *tier2);
/* Does job id fit now in the zones open to it? */
bool jz__view_fits_zoned(const jz_sched_t *s, uint32_t id);
static inline bool jz_view_fits(const jz_sched_t *s, uint32_t id) {
  int part = s->jobs[id].partition;
  if (s->res.parts[part].n_zones == 1) /* no dedicated allocation here: the common case */
    return jz_resources_fits(&s->res, part, &s->run[id].req, 1);
  return jz__view_fits_zoned(s, id);
}
/* Free units (GPUs on GPU partitions, cores elsewhere) in the given zones of a partition. */
int64_t jz_view_free_units(const jz_sched_t *s, int part, uint64_t zones);

#endif
