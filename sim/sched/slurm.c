/* slurm.c: the `slurm` policy: what Slurm's controller does with priority/multifactor and
 * sched/backfill (SLURM-NOTES.md; docs/policies.md "slurm").
 *
 * Priorities. Every waiting job has Slurm's multifactor priority (slurm_priority.c), computed
 * when the policy first sees it and recomputed for all every PriorityCalcPeriod, on a grid of
 * that period from time 0, together with the fair-share factors (slurm_fairshare.c): at each
 * recalculation the users' usage decays by PriorityDecayHalfLife over the time since the
 * last one, then takes the core-seconds their jobs used since then. Between recalculations the
 * order is fixed, as in Slurm. Ties: submission, then job index.
 *
 * Main pass (at every event, like Slurm's scheduler on submissions and job ends): jobs in
 * priority order, at most default_queue_depth of them, all of them every sched_interval
 * seconds (on a grid from time 0, when a pass stopped at that depth since); a job held by a queue limit waits
 * without blocking (QOS... reason); the first job of a pool (a partition, or an open dedicated
 * allocation's members) that does not fit blocks that pool (reason Resources), and every later
 * job of it waits (reason Priority).
 *
 * Backfill pass, bf_interval seconds after the previous one (the first at bf_interval) when
 * something changed since (a submission, a start or an end: Slurm's "more work" test), else
 * at the first change after that, as Slurm's backfill_agent, which sleeps bf_interval and then
 * looks every second (on a clock from time 0: a pass falls on a whole second, bf_due).
 * Optionally the controller's latency (controller: end_latency, submit_latency): the main
 * pass an end or a submission triggers runs that long after it (noticed). Jobs in
 * priority order, at most bf_max_job_test (bf_max_job_user per user); each one gets the
 * earliest start in a plan of free units over time, per partition: now what is free, then the
 * running jobs' requested ends, and the reservations of the jobs tested before it. A job whose
 * earliest start is now and which fits starts; any other gets a reservation in the plan if
 * that start is within bf_window: every tested job is planned, which makes Slurm's backfill
 * closer to conservative backfilling than to EASY. Plan times are on bf_resolution's grid:
 * a planned job holds [floor(S), floor(S + limit)), at least one grid step, and a running
 * job frees its units at floor(requested end), never before the next grid step. A job
 * tested at s needs its units over the closed window [s, s + limit], its end unrounded: as in
 * backfill.c, a plan record that begins at or before that end collides. The plan ends at
 * now + bf_window, as Slurm's: what ends later is held to that end. A reservation holds
 * whole nodes (its node count times a node's units), as Slurm's plan records are node
 * bitmaps: no later job of the pass may use the rest of those nodes' cores over its
 * interval (on a shared node too: select/cons_tres shares nodes by cores, but the plan does
 * not see cores). Running jobs, and jobs the pass starts, hold their units only, as in
 * Slurm, where the select plugin counts their cores and the plan holds only exclusive ones.
 *
 * Example (tests/unit/test_slurm.c), 4 cores, bf_interval 30, bf_resolution 60: J1 (2 cores,
 * 100 s) runs from 0; J2 (4 cores, 10 s) at 1 blocks the partition; J3 (2 cores, 50 s) at 2
 * waits (Priority). The pass at 30 plans J2 at 60 (J1's end 100 floored) for [60, 120); J3 at
 * 30 would run to 80, past 60 where J2's record leaves no core: it is planned at 120. J2
 * starts when J1 ends, 100, and J3 at J2's end, 110. EASY, which backfills at every event,
 * starts J3 at 2.
 *
 * Not modelled (docs/policies.md): the plan counts units (cores, or GPUs on GPU partitions)
 * per partition, not which nodes (every start is still checked node by node; a reservation
 * takes whole nodes' worth of units, exact on one node, an approximation on several: see
 * plan_take); the will-run test's grouping of running jobs; bf_continue (a pass takes no simulated time, so there are
 * no lock releases to continue after: accepted, no effect).
 *
 * Cost: a main pass stops at the first job of each pool that does not fit (a full pass walks
 * the whole queue, to give every job its reason); a backfill pass is O(running) to build the
 * plan (ends summed per grid step, the distinct steps sorted) plus O(plan steps) per tested
 * job (less when a job asks what an earlier one of the pass asked), and stops as soon as
 * nothing is free now in any tested partition. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sched/policy.h"
#include "sched/slurm.h"

typedef struct step {
  double t;
  int64_t d; /* change of free units at t */
} step_t;

typedef struct plan {
  double *t;     /* step start times, t[0] = now */
  int64_t *f;    /* free units from t[i] to t[i+1] (below 0: none, plan_take) */
  uint32_t n, cap;
  bool built;
} plan_t;

/* qsort has no context: sort (priority, submit, id) keys instead. */
typedef struct okey {
  uint32_t prio;
  uint32_t id;
  double submit;
} okey_t;

/* One remembered plan_find answer (plan_find_now). */
typedef struct memo {
  int64_t units;
  double limit, t; /* the earliest start found for (part, units, limit) */
  uint64_t pass;
  int part;
} memo_t;
#define JZ_SLURM_MEMO 512

typedef struct slurm {
  jz_slurm_conf_t defaults;
  const jz_slurm_conf_t *c;
  jz_fs_t fs;
  int32_t *leaf;     /* per job: its user node in the association tree */
  double *fresh_use; /* per tree node: core-seconds used since the last recalculation */
  uint32_t *prio;    /* per job */
  uint32_t *wait, n_wait, cap_wait; /* waiting jobs in priority order (some may have left) */
  uint32_t *fresh, n_fresh, cap_fresh;
  uint32_t *arrived, n_arrived, cap_arrived; /* the jobs merged at this instant */
  uint32_t cursor;   /* next static job not yet seen */
  jz_heap_t fin;     /* jobs this policy started, by actual end */
  uint32_t *flow, n_flow, cap_flow; /* those of them that are flow jobs, while running */
  uint32_t *fin_pos;
  double last_calc, next_calc, next_reset;
  double last_bf;    /* time of the last backfill pass (0: the controller's start) */
  /* When the main pass that the events so far have triggered runs (used with the
   * controller's latency, `lag`), and when the backfill agent sees the first change since
   * its last pass (a submission, a start or an end; INFINITY: nothing changed). */
  bool lag;
  double main_due, bf_seen;
  /* Factors' constants. */
  double total_nodes, total_cpus, total_gpus;
  double *qos;  /* per queue key */
  double *part; /* per partition */
  /* Scratch. */
  bool *blocked;      /* per pool: main pass */
  bool *dead;         /* per partition: backfill pass */
  plan_t *plans;      /* per partition */
  step_t *steps;
  uint32_t cap_steps;
  memo_t memo[JZ_SLURM_MEMO];
  uint64_t pass;        /* backfill passes so far: memo entries of older passes are stale */
  int64_t *cells;       /* plan_build: units freed per grid step of the window */
  uint32_t cap_cells;
  uint32_t *user_tests; /* per user string id + 1 */
  uint32_t *touched;    /* users counted in user_tests this pass (at most bf_max_job_test) */
  uint32_t *deferred, n_deferred; /* jobs tested before their partition's plan was built */
  uint32_t *wait2;      /* merge_fresh's other buffer */
  okey_t *keys;         /* sort scratch */
  double horizon;       /* end of the plan: now + bf_window */
  uint32_t cap_keys;
  uint32_t n_users;
  int n_parts;
  double next_full;   /* next sched_interval full main pass */
  bool depth_cut;     /* a main pass stopped at default_queue_depth since the last full one */
} slurm_t;

static int cmp_prio(const slurm_t *S, const jz_sched_t *v, uint32_t a, uint32_t b) {
  if (S->prio[a] != S->prio[b]) return S->prio[a] > S->prio[b] ? -1 : 1;
  double sa = v->run[a].submit, sb = v->run[b].submit;
  if (sa != sb) return sa < sb ? -1 : 1;
  return a < b ? -1 : a > b;
}

static int cmp_okey(const void *x, const void *y) {
  const okey_t *a = x, *b = y;
  if (a->prio != b->prio) return a->prio > b->prio ? -1 : 1;
  if (a->submit != b->submit) return a->submit < b->submit ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

static int sort_ids(slurm_t *S, const jz_sched_t *v, uint32_t *ids, uint32_t n) {
  if (n < 2) return 0;
  if (n > S->cap_keys) {
    uint32_t cap = n * 2;
    okey_t *m = realloc(S->keys, (size_t)cap * sizeof *m);
    if (!m) return -JZ_ENOMEM;
    S->keys = m;
    S->cap_keys = cap;
  }
  okey_t *k = S->keys;
  for (uint32_t i = 0; i < n; i++) k[i] = (okey_t){S->prio[ids[i]], ids[i], v->run[ids[i]].submit};
  qsort(k, n, sizeof *k, cmp_okey);
  for (uint32_t i = 0; i < n; i++) ids[i] = k[i].id;
  return 0;
}

static void slurm_fini(void *state) {
  slurm_t *S = state;
  if (!S) return;
  jz_fs_free(&S->fs);
  jz_heap_free(&S->fin);
  for (int p = 0; S->plans && p < S->n_parts; p++) {
    free(S->plans[p].t);
    free(S->plans[p].f);
  }
  free(S->plans);
  free(S->fresh_use);
  free(S->prio);
  free(S->wait);
  free(S->fresh);
  free(S->arrived);
  free(S->flow);
  free(S->fin_pos);
  free(S->qos);
  free(S->part);
  free(S->blocked);
  free(S->dead);
  free(S->leaf);
  free(S->user_tests);
  free(S->touched);
  free(S->deferred);
  free(S->wait2);
  free(S->keys);
  free(S->steps);
  free(S->cells);
  free(S);
}

static bool push(uint32_t **a, uint32_t *n, uint32_t *cap, uint32_t x) {
  if (*n == *cap) {
    uint32_t c = *cap ? *cap * 2 : 256;
    uint32_t *m = realloc(*a, (size_t)c * sizeof *m);
    if (!m) return false;
    *a = m;
    *cap = c;
  }
  (*a)[(*n)++] = x;
  return true;
}

/* The association tree: the configured accounts, then one user node per (account, user) of
 * the jobs; a job's account that is not configured hangs under root with 1 share, and every
 * user has 1 share (Slurm's default Fairshare=1). */
typedef struct pair {
  int64_t key; /* account id << 32 | user id (ids + 1, so -1 sorts first) */
  uint32_t job;
} pair_t;

static int cmp_pair(const void *x, const void *y) {
  const pair_t *a = x, *b = y;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return a->job < b->job ? -1 : a->job > b->job;
}

static int build_tree(slurm_t *S, const jz_sched_t *v) {
  const jz_slurm_conf_t *c = S->c;
  if (jz_fs_init(&S->fs)) return -JZ_ENOMEM;
  int32_t *conf_node = malloc((size_t)(c->n_accounts ? c->n_accounts : 1) * sizeof *conf_node);
  pair_t *pr = malloc((size_t)(v->njobs ? v->njobs : 1) * sizeof *pr);
  int rc = conf_node && pr ? 0 : -JZ_ENOMEM;
  for (int i = 0; !rc && i < c->n_accounts; i++) {
    int32_t parent = c->accounts[i].parent >= 0 ? conf_node[c->accounts[i].parent] : 0;
    if ((conf_node[i] = jz_fs_add(&S->fs, parent, c->accounts[i].shares, false)) < 0) rc = -JZ_ENOMEM;
  }
  for (uint32_t j = 0; !rc && j < v->njobs; j++)
    pr[j] = (pair_t){((int64_t)(v->jobs[j].account + 1) << 32) | (uint32_t)(v->jobs[j].user + 1), j};
  if (!rc) qsort(pr, v->njobs, sizeof *pr, cmp_pair);
  int64_t last_acct = INT64_MIN, last_key = INT64_MIN;
  int32_t acct = 0, user = 0;
  for (uint32_t k = 0; !rc && k < v->njobs; k++) {
    int64_t a = pr[k].key >> 32;
    if (a != last_acct) {
      last_acct = a;
      acct = -1;
      const char *name = c->strings && a > 0 ? c->strings->strs[a - 1] : NULL;
      for (int i = 0; name && i < c->n_accounts && acct < 0; i++)
        if (!strcmp(c->accounts[i].name, name)) acct = conf_node[i];
      if (acct < 0 && (acct = jz_fs_add(&S->fs, 0, 1, false)) < 0) rc = -JZ_ENOMEM;
    }
    if (!rc && pr[k].key != last_key) {
      last_key = pr[k].key;
      if ((user = jz_fs_add(&S->fs, acct, 1, true)) < 0) rc = -JZ_ENOMEM;
    }
    S->leaf[pr[k].job] = user;
  }
  free(conf_node);
  free(pr);
  if (!rc && !(S->fresh_use = calloc((size_t)S->fs.len, sizeof *S->fresh_use))) rc = -JZ_ENOMEM;
  return rc ? rc : jz_fs_compute(&S->fs, c->fair_tree, (double)c->damp);
}

static int slurm_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  slurm_t *S = calloc(1, sizeof *S);
  if (!S) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  jz_slurm_conf_default(&S->defaults);
  S->c = v->policy_conf ? v->policy_conf : &S->defaults;
  S->n_parts = v->res.n_parts;
  uint32_t n = v->njobs ? v->njobs : 1;
  int32_t max_user = 0;
  for (uint32_t j = 0; j < v->njobs; j++)
    if (v->jobs[j].user > max_user) max_user = v->jobs[j].user;
  S->n_users = (uint32_t)max_user + 2;
  bool ok = (S->leaf = malloc(n * sizeof *S->leaf)) && (S->prio = calloc(n, sizeof *S->prio)) &&
            (S->fin_pos = malloc(n * sizeof *S->fin_pos)) &&
            (S->qos = calloc((size_t)v->n_keys + 1, sizeof *S->qos)) &&
            (S->part = calloc((size_t)v->res.n_parts, sizeof *S->part)) &&
            (S->blocked = calloc((size_t)jz_view_n_pools(v), sizeof *S->blocked)) &&
            (S->dead = calloc((size_t)v->res.n_parts, sizeof *S->dead)) &&
            (S->plans = calloc((size_t)v->res.n_parts, sizeof *S->plans)) &&
            (S->user_tests = calloc(S->n_users, sizeof *S->user_tests)) &&
            (S->touched = malloc((size_t)S->c->bf_max_job_test * sizeof *S->touched)) &&
            (S->deferred = malloc((size_t)S->c->bf_max_job_test * sizeof *S->deferred));
  if (ok) {
    for (uint32_t j = 0; j < n; j++) S->fin_pos[j] = JZ_HEAP_NONE;
    jz_heap_init(&S->fin, S->fin_pos);
    ok = build_tree(S, v) == 0;
  }
  if (!ok) {
    slurm_fini(S);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  /* QoS factor: the queue's priority over the largest; partition factor: PriorityJobFactor
   * over the largest (1 for partitions not configured). */
  int maxq = 0;
  for (int k = 0; k < v->n_keys; k++)
    if (v->keys[k].priority > maxq) maxq = v->keys[k].priority;
  for (int k = 0; k < v->n_keys; k++)
    S->qos[k] = maxq > 0 && v->keys[k].priority > 0 ? (double)v->keys[k].priority / maxq : 0;
  long maxp = 0;
  for (int p = 0; p < v->res.n_parts; p++) {
    long f = 1;
    for (int i = 0; i < S->c->n_parts; i++)
      if (!strcmp(S->c->parts[i].name, v->platform->partitions[p].name)) f = S->c->parts[i].factor;
    S->part[p] = (double)f;
    if (f > maxp) maxp = f;
  }
  for (int p = 0; p < v->res.n_parts; p++) S->part[p] = maxp > 0 ? S->part[p] / (double)maxp : 0;
  for (int p = 0; p < v->res.n_parts; p++) {
    const jz_part_res_t *pr = &v->res.parts[p];
    S->total_nodes += pr->nodes;
    S->total_cpus += (double)pr->total_cores;
    S->total_gpus += (double)pr->total_gpus;
  }
  S->next_calc = S->c->calc_period;
  S->lag = S->c->end_latency > 0 || S->c->submit_latency > 0;
  S->main_due = S->bf_seen = INFINITY;
  /* The controller's own full pass at its start comes before any submission it acts on. */
  if (S->lag) S->next_full = S->c->sched_interval;
  S->next_reset = S->c->reset_period > 0 ? S->c->reset_period : INFINITY;
  *state = S;
  return 0;
}

static uint32_t job_priority(const slurm_t *S, const jz_sched_t *v, uint32_t id) {
  const jz_slurm_conf_t *c = S->c;
  const jz_jobrun_t *r = &v->run[id];
  const jz_part_res_t *pr = &v->res.parts[v->jobs[id].partition];
  double cpus = r->cores;
  double nodes = r->req.nodes > 0 ? r->req.nodes : ceil(cpus / (pr->cores_per_node ? pr->cores_per_node : 1));
  jz_slurm_factors_t f = {
      .age = jz_slurm_age_factor(c, v->now - r->submit),
      .fairshare = S->fs.n[S->leaf[id]].factor,
      .jobsize = jz_slurm_size_factor(c, nodes, S->total_nodes, cpus, S->total_cpus),
      .partition = S->part[v->jobs[id].partition],
      .qos = S->qos[r->key],
      .tres_cpu = S->total_cpus > 0 ? cpus / S->total_cpus : 0,
      .tres_node = S->total_nodes > 0 ? nodes / S->total_nodes : 0,
      .tres_gpu = S->total_gpus > 0 ? r->gpus / S->total_gpus : 0,
  };
  return jz_slurm_priority(c, &f);
}

/* An event the controller acts on at time t: its main pass then, and the backfill agent's
 * "more work" from then. */
static void noticed(slurm_t *S, double t) {
  if (t < S->main_due) S->main_due = t;
  if (t < S->bf_seen) S->bf_seen = t;
}

/* Jobs this policy started that have ended by now: their use since the last recalculation,
 * and the checkpoint/restart segments their ends submitted. */
static int ended(slurm_t *S, const jz_sched_t *v, uint32_t id) {
  const jz_jobrun_t *r = &v->run[id];
  double from = r->start > S->last_calc ? r->start : S->last_calc;
  if (r->finish > from) S->fresh_use[S->leaf[id]] += r->cores * (r->finish - from);
  noticed(S, r->finish + S->c->end_latency);
  uint32_t nx = r->chain_next;
  if (nx != JZ_NONE && v->run[nx].state == JZ_STATE_WAITING && !push(&S->fresh, &S->n_fresh, &S->cap_fresh, nx))
    return -JZ_ENOMEM;
  return 0;
}

static int drain_finished(slurm_t *S, const jz_sched_t *v) {
  /* A flow job's end moves earlier when its work ends: its heap key is then stale. */
  for (uint32_t k = 0, id; (id = jz_flow_next_ended(v, S->flow, &S->n_flow, &k)) != JZ_NONE;) {
    jz_heap_remove(&S->fin, id);
    int rc = ended(S, v, id);
    if (rc) return rc;
  }
  while (!jz_heap_empty(&S->fin) && jz_heap_top(&S->fin).key <= v->now) {
    jz_heap_entry_t e = jz_heap_pop(&S->fin);
    int rc = ended(S, v, e.id);
    if (rc) return rc;
  }
  while (S->cursor < v->n_static && v->run[S->cursor].state != JZ_STATE_PENDING) {
    if (v->run[S->cursor].state == JZ_STATE_WAITING && !push(&S->fresh, &S->n_fresh, &S->cap_fresh, S->cursor))
      return -JZ_ENOMEM;
    S->cursor++;
  }
  for (uint32_t i = 0; i < S->n_fresh; i++) noticed(S, v->run[S->fresh[i]].submit + S->c->submit_latency);
  return 0;
}

/* PriorityCalcPeriod: decay, new usage, fair-share factors, every waiting job's priority. */
static int recalc(slurm_t *S, const jz_sched_t *v) {
  double now = v->now;
  if (now >= S->next_reset) {
    for (int32_t i = 0; i < S->fs.len; i++) S->fs.n[i].usage = S->fresh_use[i] = 0;
    S->next_reset = (floor(now / S->c->reset_period) + 1) * S->c->reset_period;
  }
  jz_fs_decay(&S->fs, now - S->last_calc, S->c->decay_hl);
  for (uint32_t k = 0; k < S->fin.n; k++) {
    uint32_t id = S->fin.a[k].id;
    const jz_jobrun_t *r = &v->run[id];
    double from = r->start > S->last_calc ? r->start : S->last_calc;
    if (now > from) S->fresh_use[S->leaf[id]] += r->cores * (now - from);
  }
  for (int32_t i = 0; i < S->fs.len; i++) {
    S->fs.n[i].usage += S->fresh_use[i];
    S->fresh_use[i] = 0;
  }
  S->last_calc = now;
  S->next_calc = (floor(now / S->c->calc_period) + 1) * S->c->calc_period;
  /* Without an age or fair-share weight no priority changes with time: nothing to redo. */
  if (!S->c->w_age && !S->c->w_fs) return 0;
  int rc = S->c->w_fs ? jz_fs_compute(&S->fs, S->c->fair_tree, (double)S->c->damp) : 0;
  if (rc) return rc;
  uint32_t m = 0;
  for (uint32_t i = 0; i < S->n_wait; i++) {
    uint32_t id = S->wait[i];
    if (v->run[id].state != JZ_STATE_WAITING) continue;
    S->prio[id] = job_priority(S, v, id);
    S->wait[m++] = id;
  }
  S->n_wait = m;
  return sort_ids(S, v, S->wait, S->n_wait);
}

/* Merge the new jobs into the waiting order, dropping jobs that left it. */
static int merge_fresh(slurm_t *S, const jz_sched_t *v) {
  S->n_arrived = 0;
  if (!S->n_fresh) return 0;
  for (uint32_t i = 0; i < S->n_fresh; i++) S->prio[S->fresh[i]] = job_priority(S, v, S->fresh[i]);
  int rc = sort_ids(S, v, S->fresh, S->n_fresh);
  if (rc) return rc;
  uint32_t total = S->n_wait + S->n_fresh;
  if (total > S->cap_wait) { /* both buffers grow together */
    uint32_t cap = total * 2;
    uint32_t *a = realloc(S->wait, (size_t)cap * sizeof *a);
    if (!a) return -JZ_ENOMEM;
    S->wait = a;
    uint32_t *b2 = realloc(S->wait2, (size_t)cap * sizeof *b2);
    if (!b2) return -JZ_ENOMEM;
    S->wait2 = b2;
    S->cap_wait = cap;
  }
  uint32_t *out = S->wait2;
  uint32_t i = 0, j = 0, m = 0;
  while (i < S->n_wait || j < S->n_fresh) {
    if (i < S->n_wait && v->run[S->wait[i]].state != JZ_STATE_WAITING) {
      i++;
      continue;
    }
    if (j == S->n_fresh || (i < S->n_wait && cmp_prio(S, v, S->wait[i], S->fresh[j]) < 0))
      out[m++] = S->wait[i++];
    else
      out[m++] = S->fresh[j++];
  }
  S->wait2 = S->wait;
  S->wait = out;
  S->n_wait = m;
  /* Kept for after the main pass (arrivals): the buffers swap roles. */
  uint32_t *a = S->arrived;
  uint32_t cap = S->cap_arrived;
  S->arrived = S->fresh;
  S->cap_arrived = S->cap_fresh;
  S->n_arrived = S->n_fresh;
  S->fresh = a;
  S->cap_fresh = cap;
  S->n_fresh = 0;
  return 0;
}

static int start(slurm_t *S, jz_decisions_t *out, uint32_t id) {
  int rc = jz_decide_start(out, id);
  if (rc) return rc;
  if (out->s->now < S->bf_seen) S->bf_seen = out->s->now;
  if ((out->s->jobs[id].flags & JZ_JOB_FLOW) && !push(&S->flow, &S->n_flow, &S->cap_flow, id)) return -JZ_ENOMEM;
  return jz_heap_push(&S->fin, out->s->run[id].finish, id);
}

/* ---- main pass -------------------------------------------------------------------------- */

/* The jobs that arrived now and that the main pass did not reach (past its depth). Slurm
 * looks at a job when it is submitted (job_allocate): a limit holds it (QOS... reason), or a
 * higher-priority job of its partition waits (_top_priority: Priority) -- here, when its pool
 * is blocked. (A job past the depth in a pool that is not blocked waits for the next pass
 * without a reason: whether it is its partition's top job would need the whole queue.) */
static void submitted(slurm_t *S, const jz_sched_t *v, jz_decisions_t *out) {
  for (uint32_t k = 0; k < S->n_arrived; k++) {
    uint32_t id = S->arrived[k];
    if (v->run[id].state != JZ_STATE_WAITING || v->run[id].reason) continue;
    if (!jz_decide_held(out, id) && S->blocked[jz_view_pool(v, id)])
      jz_decide_reason(out, id, JZ_REASON_PRIORITY);
  }
}

/* full: a sched_interval pass, with no depth limit. */
static int main_pass(slurm_t *S, const jz_sched_t *v, jz_decisions_t *out, bool full) {
  int npools = jz_view_n_pools(v), open = 0;
  for (int q = 0; q < npools; q++) {
    S->blocked[q] = false;
    open += jz_view_pool_waiting(v, q) > 0;
  }
  long depth = 0, max = full ? LONG_MAX : S->c->default_queue_depth;
  uint32_t i = 0;
  /* A pass walks its whole depth, and a full pass the whole queue, even once every pool is
   * blocked: the jobs behind a blocked pool get their reason (Priority), as in Slurm's
   * _schedule, which marks every job of a failed partition. */
  for (; i < S->n_wait && depth < max; i++) {
    uint32_t id = S->wait[i];
    if (v->run[id].state != JZ_STATE_WAITING) continue;
    depth++;
    int pool = jz_view_pool(v, id);
    if (S->blocked[pool]) {
      jz_decide_reason(out, id, JZ_REASON_PRIORITY);
      continue;
    }
    if (jz_decide_held(out, id)) continue;
    if (jz_view_fits(v, id)) {
      int rc = start(S, out, id);
      if (rc) return rc;
    } else {
      S->blocked[pool] = true;
      open--;
      jz_decide_reason(out, id, JZ_REASON_RESOURCES);
    }
  }
  /* Stopped at the depth with jobs left that might start: the next full pass looks at them. */
  if (depth >= max && open > 0 && i < S->n_wait) S->depth_cut = true;
  if (i < S->n_wait) submitted(S, v, out);
  return 0;
}

/* ---- backfill pass ---------------------------------------------------------------------- */

static double grid_floor(double t, double res) { return floor(t / res) * res; }

static int cmp_step(const void *x, const void *y) {
  const step_t *a = x, *b = y;
  return a->t < b->t ? -1 : a->t > b->t;
}

static int cmp_u32(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return a < b ? -1 : a > b;
}

static bool plan_reserve(plan_t *pl, uint32_t n) {
  if (n <= pl->cap) return true;
  uint32_t c = pl->cap ? pl->cap : 64;
  while (c < n) c *= 2;
  double *t = realloc(pl->t, (size_t)c * sizeof *t);
  if (!t) return false;
  pl->t = t;
  int64_t *f = realloc(pl->f, (size_t)c * sizeof *f);
  if (!f) return false;
  pl->f = f;
  pl->cap = c;
  return true;
}

/* Free units of partition part from now on: now's, then each running job's at its requested
 * end on the grid (never before the next grid step). */
static int plan_build(slurm_t *S, const jz_sched_t *v, int part) {
  plan_t *pl = &S->plans[part];
  const jz_heap_t *h = &v->rend[part];
  double res = S->c->bf_resolution, next = grid_floor(v->now, res) + res;
  if (h->n + 1 > S->cap_steps) {
    uint32_t c = (h->n + 1) * 2;
    step_t *m = realloc(S->steps, (size_t)c * sizeof *m);
    if (!m) return -JZ_ENOMEM;
    S->steps = m;
    S->cap_steps = c;
  }
  if (!plan_reserve(pl, h->n + 1)) return -JZ_ENOMEM;
  pl->n = 1;
  pl->t[0] = v->now;
  pl->f[0] = jz_view_free_units(v, part, JZ_ZONES_ALL);
  /* Integer grid (the usual case) and not many more grid steps in the window than running
   * jobs: add the ends up per grid step, and sort the distinct steps only (a few dozen on
   * Curie) instead of every running job. Both ways give the same plan, to the bit (the step
   * times are the same integers). */
  double span = (S->horizon - next) / res;
  if (res == floor(res) && next == floor(next) && span < 2.0 * h->n + 4096) {
    uint32_t cells = span > 0 ? (uint32_t)ceil(span) : 0, nu = 0;
    if (cells > S->cap_cells) { /* kept all zero between builds */
      free(S->cells);
      if (!(S->cells = calloc((size_t)cells * 2, sizeof *S->cells))) return -JZ_ENOMEM;
      S->cap_cells = cells * 2;
    }
    uint32_t *used = (uint32_t *)S->steps; /* the grid steps with ends, at most h->n */
    for (uint32_t k = 0; k < h->n; k++) {
      double e = grid_floor(h->a[k].key, res);
      if (e < next) e = next;
      if (e >= S->horizon) continue;
      uint32_t c = (uint32_t)((e - next) / res);
      if (!S->cells[c]) used[nu++] = c; /* units > 0: a cell is zero until its first end */
      S->cells[c] += v->run[h->a[k].id].units;
    }
    qsort(used, nu, sizeof *used, cmp_u32);
    for (uint32_t k = 0; k < nu; k++) {
      pl->t[pl->n] = next + used[k] * res;
      pl->f[pl->n] = pl->f[pl->n - 1] + S->cells[used[k]];
      S->cells[used[k]] = 0;
      pl->n++;
    }
    pl->built = true;
    return 0;
  }
  uint32_t n = 0;
  for (uint32_t k = 0; k < h->n; k++) {
    double e = grid_floor(h->a[k].key, res);
    if (e < next) e = next;
    if (e < S->horizon) S->steps[n++] = (step_t){e, v->run[h->a[k].id].units};
  }
  qsort(S->steps, n, sizeof *S->steps, cmp_step);
  for (uint32_t k = 0; k < n; k++) {
    if (S->steps[k].t != pl->t[pl->n - 1]) {
      pl->t[pl->n] = S->steps[k].t;
      pl->f[pl->n] = pl->f[pl->n - 1];
      pl->n++;
    }
    pl->f[pl->n - 1] += S->steps[k].d;
  }
  pl->built = true;
  return 0;
}

/* Index of the first step at or after t from step lo on, inserting a step at t (a copy of the
 * step before) if none starts there; lo >= 1. */
static int plan_split(plan_t *pl, uint32_t lo, double t, uint32_t *at) {
  uint32_t hi = pl->n;
  while (lo < hi) { /* first step with t[i] >= t */
    uint32_t mid = (lo + hi) / 2;
    if (pl->t[mid] < t) lo = mid + 1; else hi = mid;
  }
  if (lo < pl->n && pl->t[lo] == t) {
    *at = lo;
    return 0;
  }
  if (!plan_reserve(pl, pl->n + 1)) return -JZ_ENOMEM;
  memmove(pl->t + lo + 1, pl->t + lo, (size_t)(pl->n - lo) * sizeof *pl->t);
  memmove(pl->f + lo + 1, pl->f + lo, (size_t)(pl->n - lo) * sizeof *pl->f);
  pl->t[lo] = t;
  pl->f[lo] = pl->f[lo - 1];
  pl->n++;
  *at = lo;
  return 0;
}

/* The interval a job planned at s holds: [s, floor(s + limit)), at least to the next grid step. */
static double plan_end(const slurm_t *S, double s, double limit) {
  double res = S->c->bf_resolution, e = grid_floor(s + limit, res), min = grid_floor(s, res) + res;
  if (e < min) e = min;
  return e < S->horizon ? e : S->horizon;
}

/* Earliest step index where units stay free for the job's interval; n if none. */
static uint32_t plan_find(const slurm_t *S, const plan_t *pl, uint32_t from, int64_t units, double limit) {
  uint32_t i = from;
  while (i < pl->n && pl->t[i] < S->horizon) {
    if (pl->f[i] < units) {
      i++;
      continue;
    }
    /* Slurm's test (backfill.c): a job starting at s collides with every plan record that
     * begins at or before s + limit, its end unrounded: the closed window [s, s + limit]. */
    double end = pl->t[i] + limit;
    uint32_t j = i + 1;
    while (j < pl->n && pl->t[j] <= end && pl->f[j] >= units) j++;
    if (j == pl->n || pl->t[j] > end) return i;
    i = j + 1; /* step j is too full: no start before it can work */
  }
  return pl->n;
}

/* Take units from step a (a start: now, or an earliest start plan_find found) for the
 * interval plan_end gives (it ends after step a's time): only its end may need a new step.
 * A started job holds its units. A reservation holds whole nodes (`whole` units: its nodes
 * times the units of a node), as Slurm's node_space records, which are node bitmaps: while it
 * holds them no other job may use any core of them, also the cores running jobs free there.
 * Those freed cores were not counted as free when they were busy, so taking a whole node's
 * units may overshoot the free count: a negative count reads as nothing free (a pass only
 * takes units, and every test asks for at least one, so a count below 0 means the same as
 * 0, without a clamp in this loop). On one node this is exact (a reservation leaves
 * nothing); on several it may hold back units of other nodes that a running job frees during
 * the reservation (which nodes those are, a count cannot tell). */
static int plan_take(const slurm_t *S, plan_t *pl, uint32_t a, double limit, int64_t units) {
  double end = plan_end(S, pl->t[a], limit);
  uint32_t b;
  int rc = plan_split(pl, a + 1, end, &b);
  if (rc) return rc;
  for (uint32_t k = a; k < b; k++) pl->f[k] -= units;
  return 0;
}

/* The units of the whole nodes a reservation for job id holds: its nodes (whole-node
 * requests), else the fewest nodes its units fit on, times the units of a node. */
static int64_t whole_units(const jz_sched_t *v, uint32_t id) {
  const jz_part_res_t *p = &v->res.parts[v->jobs[id].partition];
  int64_t per = p->gpus_per_node > 0 ? p->gpus_per_node : p->cores_per_node;
  const jz_jobrun_t *r = &v->run[id];
  int64_t nodes = r->req.nodes > 0 ? r->req.nodes : (r->units + per - 1) / per;
  return (nodes > 0 ? nodes : 1) * per;
}

/* Plan job id (its partition's plan is built): start it if its earliest start is now and it
 * fits node by node, else reserve its earliest start within the plan (bf_window). */
/* First step at or after time t. */
static uint32_t plan_at(const plan_t *pl, double t) {
  uint32_t lo = 0, hi = pl->n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (pl->t[mid] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* plan_find from now, remembering answers within the pass: a plan only loses free units
 * during a pass, so a job asking what an earlier one asked (same partition, units and limit)
 * cannot start before that one's answer. Jobs of one user or array often ask the same. */
static uint32_t plan_find_now(slurm_t *S, const plan_t *pl, int part, int64_t units, double limit) {
  uint64_t h = ((uint64_t)units * 0x9E3779B97F4A7C15u) ^ ((uint64_t)limit * 0xC2B2AE3D27D4EB4Fu) ^ (uint64_t)part;
  memo_t *m = &S->memo[(h >> 32) % JZ_SLURM_MEMO];
  uint32_t from = 0;
  if (m->pass == S->pass && m->units == units && m->limit == limit && m->part == part)
    from = m->t >= S->horizon ? pl->n : plan_at(pl, m->t);
  uint32_t k = from < pl->n ? plan_find(S, pl, from, units, limit) : pl->n;
  *m = (memo_t){units, limit, k < pl->n ? pl->t[k] : S->horizon, S->pass, part};
  return k;
}

static int plan_job(slurm_t *S, const jz_sched_t *v, jz_decisions_t *out, plan_t *pl, uint32_t id) {
  const jz_jobrun_t *r = &v->run[id];
  double limit = v->jobs[id].walltime;
  uint32_t k = plan_find_now(S, pl, v->jobs[id].partition, r->units, limit);
  if (k == 0 && jz_view_fits(v, id)) {
    int rc = start(S, out, id);
    return rc ? rc : plan_take(S, pl, 0, limit, r->units);
  }
  /* Free by count now but not node by node: plan it from the next step. */
  if (k == 0) k = plan_find(S, pl, 1, r->units, limit);
  if (k < pl->n && pl->t[k] < S->horizon) return plan_take(S, pl, k, limit, whole_units(v, id));
  return 0;
}

/* The plan of a partition is built lazily, when a tested job could start now (free units by
 * count, and a fit node by node): the jobs tested before it there are planned first, in
 * order, which gives the same plan as building it at once. A saturated partition, where no
 * tested job fits, never pays for it. */
static int backfill_pass(slurm_t *S, const jz_sched_t *v, jz_decisions_t *out) {
  const jz_slurm_conf_t *c = S->c;
  S->horizon = v->now + c->bf_window;
  S->pass++;
  long tested = 0;
  int live = 0; /* partitions where something may still start now */
  for (int p = 0; p < v->res.n_parts; p++) {
    S->plans[p].built = false;
    S->dead[p] = jz_view_free_units(v, p, JZ_ZONES_ALL) <= 0;
    live += !S->dead[p];
  }
  S->n_deferred = 0;
  uint32_t n_touched = 0;
  int rc = 0;
  for (uint32_t i = 0; i < S->n_wait && tested < c->bf_max_job_test && live > 0 && !rc; i++) {
    uint32_t id = S->wait[i];
    const jz_jobrun_t *r = &v->run[id];
    if (r->state != JZ_STATE_WAITING) continue;
    if (jz_decide_held(out, id)) continue;
    uint32_t u = (uint32_t)(v->jobs[id].user + 1);
    if (c->bf_max_job_user > 0) {
      if (S->user_tests[u] >= (uint32_t)c->bf_max_job_user) continue;
      if (S->user_tests[u]++ == 0) S->touched[n_touched++] = u;
    }
    tested++;
    int part = v->jobs[id].partition;
    /* Its reservation could only hold back jobs that cannot start now anyway. */
    if (S->dead[part]) continue;
    plan_t *pl = &S->plans[part];
    if (!pl->built) {
      if (r->units > jz_view_free_units(v, part, JZ_ZONES_ALL) || !jz_view_fits(v, id)) {
        S->deferred[S->n_deferred++] = id;
        continue;
      }
      if ((rc = plan_build(S, v, part))) break;
      for (uint32_t d = 0; d < S->n_deferred && !rc; d++)
        if (v->jobs[S->deferred[d]].partition == part) rc = plan_job(S, v, out, pl, S->deferred[d]);
      if (rc) break;
    }
    rc = plan_job(S, v, out, pl, id);
    if (pl->f[0] <= 0) {
      S->dead[part] = true;
      live--;
    }
  }
  for (uint32_t t = 0; t < n_touched; t++) S->user_tests[S->touched[t]] = 0;
  return rc;
}

/* ---- the pass and the wake-ups ---------------------------------------------------------- */

/* When the backfill agent runs its next pass, once something changed since the last one:
 * it sleeps bf_interval after a pass, then wakes every second to look for more work, its
 * clock started with the controller (time 0), so a pass falls on a whole second: the first
 * at or after both bf_interval since the last pass and the change (as the controller notices
 * it, with latency). On whole-second traces that is the change's instant. */
static double bf_due(const slurm_t *S) {
  double t = S->last_bf + S->c->bf_interval;
  if (S->bf_seen > t) t = S->bf_seen;
  return ceil(t);
}

static int slurm_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  slurm_t *S = state;
  int rc = drain_finished(S, v);
  if (!rc && v->now >= S->next_calc) rc = recalc(S, v);
  if (!rc) rc = merge_fresh(S, v);
  bool full = v->now >= S->next_full, cut = S->depth_cut;
  if (full) {
    S->next_full = (floor(v->now / S->c->sched_interval) + 1) * S->c->sched_interval;
    S->depth_cut = false;
  }
  /* Without latency a main pass runs at every call (every event); with it, when the
   * earliest event not yet acted on is noticed, or for the sched_interval pass after one
   * stopped at its depth (a call at another event is not a pass: it has its own time). */
  if (!rc && (!S->lag || v->now >= S->main_due || (full && cut))) {
    if (v->now >= S->main_due) S->main_due = INFINITY;
    rc = main_pass(S, v, out, full);
  }
  if (rc) return rc;
  /* Slurm's backfill_agent sleeps bf_interval after a pass, then looks every second for
   * more work: a pass runs bf_interval after the previous one if something changed since,
   * else at the first change after that (here, at the change's instant, or when the
   * controller notices it). */
  if (v->now >= bf_due(S)) {
    if ((rc = backfill_pass(S, v, out))) return rc;
    /* Its own starts are no new work for the next pass (nothing else changed). */
    S->bf_seen = INFINITY;
    S->last_bf = v->now;
  }
  return 0;
}

static double slurm_next_wakeup(void *state, double now) {
  const slurm_t *S = state;
  double bf = bf_due(S);
  double t = bf > now ? bf : INFINITY;
  if (S->lag && S->main_due > now && S->main_due < t) t = S->main_due;
  if (S->depth_cut && S->next_full > now && S->next_full < t) t = S->next_full;
  bool dynamic = S->c->w_age || S->c->w_fs;
  return dynamic && S->next_calc < t && S->next_calc > now ? S->next_calc : t;
}

const jz_policy_t jz_policy_slurm = {
    .name = "slurm",
    .summary = "Slurm: multifactor priority (fair-share), main pass + backfill every bf_interval",
    .init = slurm_init,
    .schedule = slurm_schedule,
    .next_wakeup = slurm_next_wakeup,
    .fini = slurm_fini,
};
