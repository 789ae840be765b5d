/* easy.c: EASY backfilling (Mu'alem & Feitelson 2001), per pool (a partition, or the jobs of
 * an open dedicated allocation: see sched.h).
 *
 * Jobs start in queue order (queue priority, then submission) while they fit. The first job of
 * a pool that does not fit (the head) gets a reservation: its shadow time is the earliest
 * requested end of running jobs at which enough units are free for it, and the extra units are
 * those free at the shadow time beyond what the head needs (counting every job whose requested
 * end is at or before the shadow time). Units are cores on CPU partitions and GPUs on GPU
 * partitions; only the zones the head may use count. A later job of that pool starts now if it
 * fits in what is free and
 *   (1) it ends (now + requested time) no later than the shadow time — extra unchanged, or
 *   (2) it uses no more than the extra units — which it then consumes.
 * Rule (1) is tried before rule (2), as in the textbook formulation. A job held by a queue
 * limit is skipped: it neither starts, nor blocks, nor gets the reservation (as in Slurm). A
 * head that a later start holds (a backfilled job of its user took the user's last running-job
 * slot, say) gives up the reservation at once: the pool is walked again from its top and the
 * reservation goes to the first job that is not held (scan.h, "Held heads").
 *
 * A head whose queue caps its nodes per job (resources.h) is reserved node by node, like the
 * non-interchangeable cases below: it needs some max_nodes nodes holding its cores at the
 * shadow time, which a count of free cores does not tell.
 *
 * Worked example, 4 cores. Running: R (2 cores, requested end 100). Waiting in order:
 * H (4 cores), X (2 cores, 50 s), Y (2 cores, 200 s), Z (1 core, 200 s), all at now = 0.
 * H does not fit: shadow = 100 (R's cores free then: 2 free now + 2 = 4), extra = 0.
 * X fits and ends at 50 <= 100: starts (rule 1). Y and Z no longer fit (0 cores free) and
 * would not pass rule (2) anyway (extra = 0): they wait. H starts at 100 at the latest.
 *
 * Where units are not interchangeable (the head asks for a GPU share on one node or for whole
 * nodes, or the partition has GPUs) a count can be wrong: 5 free GPUs spread over two nodes do
 * not hold a 4-GPU share. There the reservation is node by node: the walk gives each running
 * job's nodes back to a copy of the free state until the head fits in it, and a job backfilled
 * under rule (2) must leave the head its fit on that state at the shadow time ("it uses only
 * nodes the reservation does not need", DESIGN §6). CPU partitions of per-core jobs keep the
 * count, which is exact there and cheaper.
 *
 * Cost: the shadow walk visits running jobs in requested-end order from an indexed heap
 * (O(k log k) for the k jobs walked). A pass after a release walks the waiting jobs; a pass
 * with only new submissions tests only the new jobs against the reservation kept from the
 * previous pass (nothing that could change the outcome for older jobs has happened: nothing
 * was freed, and `now` only grew, which makes rule (1) stricter). */
#include <math.h>
#include <stdlib.h>

#include "sched/policy.h"
#include "sched/scan.h"

/* What is free at the shadow time, node by node, in the zones the head may use: kept for
 * heads whose units are not interchangeable (GPU shares, whole nodes), so that a backfilled
 * job is checked against the nodes the head will need, not against a count. */
typedef struct exact {
  int32_t *cores, *gpus; /* per node of the partition */
  int32_t *hist;         /* nodes by free cores, [0, cpn]: for a head with a node limit */
  int32_t nodes, cpn;
  uint64_t zones;
  int64_t idle;  /* completely free nodes */
  int64_t sat;   /* nodes where the head's one-node share fits */
  int64_t free;  /* free cores */
} exact_t;

typedef struct easy_pool {
  bool known;     /* shadow and extra computed (lazily: only once a candidate fits) */
  bool exact;     /* the reservation is node by node (ex), not a count */
  double shadow;  /* head's reserved start */
  int64_t extra;  /* units free at the shadow time beyond the head's need (an upper bound when
                     exact: a job using more can never pass rule 2) */
  exact_t ex;
} easy_pool_t;

typedef struct easy {
  int npools;
  easy_pool_t *p; /* kept between passes: the reservation holds until something is freed */
  uint32_t *heads; /* per pool: the job holding the reservation (the pool is blocked), or JZ_NONE */
  int64_t *left;
  bool *closed;
  bool *only;
  jz_heap_walk_t walk;
  jz_pieces_t plan;
} easy_t;

static void easy_fini(void *state) {
  easy_t *e = state;
  if (!e) return;
  jz_heap_walk_free(&e->walk);
  jz_pieces_free(&e->plan);
  for (int i = 0; e->p && i < e->npools; i++) {
    free(e->p[i].ex.cores);
    free(e->p[i].ex.gpus);
    free(e->p[i].ex.hist);
  }
  free(e->p);
  free(e->heads);
  free(e->left);
  free(e->closed);
  free(e->only);
  free(e);
}

static int easy_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  easy_t *e = calloc(1, sizeof *e);
  bool ok = e && (e->p = calloc((size_t)jz_view_n_pools(v), sizeof *e->p)) != NULL;
  if (ok) e->npools = jz_view_n_pools(v);
  for (int i = 0; ok && i < e->npools; i++) {
    /* Node-by-node reservations where units are not interchangeable: GPU partitions, and any
     * partition as soon as a head asks for whole nodes (decided per head). */
    const jz_part_res_t *pr = &v->res.parts[jz_view_pool_partition(v, i)];
    exact_t *x = &e->p[i].ex;
    x->nodes = pr->nodes;
    x->cpn = pr->cores_per_node;
    x->cores = malloc((size_t)x->nodes * sizeof *x->cores);
    x->gpus = malloc((size_t)x->nodes * sizeof *x->gpus);
    x->hist = malloc((size_t)(x->cpn + 1) * sizeof *x->hist);
    ok = x->cores && x->gpus && x->hist;
  }
  if (!ok || jz_scan_alloc(v, &e->left, &e->closed, &e->heads, &e->only)) {
    easy_fini(e);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  *state = e;
  return 0;
}

/* Node n's contribution to the exact counts, for the head's request q. */
static void exact_count(exact_t *x, const jz_part_res_t *p, const jz_request_t *q, int32_t n, int sign) {
  int32_t c = x->cores[n], g = x->gpus[n];
  x->free += sign * c;
  x->hist[c] += sign;
  x->idle += sign * (c == p->cores_per_node && g == p->gpus_per_node);
  x->sat += sign * (q->gpus > 0 && g >= q->gpus && c >= q->cores);
}

/* Add (sign +1) or take (-1) pieces on the exact state, nodes of its zones only. */
static void exact_apply(exact_t *x, const jz_part_res_t *p, const jz_request_t *q,
                        const jz_piece_t *pc, uint32_t n, int sign) {
  for (uint32_t k = 0; k < n; k++)
    for (int32_t node = pc[k].node; node < pc[k].node + pc[k].count; node++) {
      if (!((x->zones >> p->zone_of[node]) & 1u)) continue;
      exact_count(x, p, q, node, -1);
      x->cores[node] += sign * pc[k].cores;
      x->gpus[node] += sign * pc[k].gpus;
      exact_count(x, p, q, node, +1);
    }
}

static bool exact_fits(const exact_t *x, const jz_request_t *q) {
  if (q->nodes > 0) return x->idle >= q->nodes;
  if (q->gpus > 0) return x->sat > 0;
  return x->free >= q->cores &&
         (!jz_request_spread_limited(q) || jz_resources_best_cores(x->hist, x->cpn, q->max_nodes) >= q->cores);
}

/* Would the head still fit at the shadow time if these pieces stayed taken? */
static bool exact_fits_without(exact_t *x, const jz_part_res_t *p, const jz_request_t *q,
                               const jz_piece_t *pc, uint32_t n) {
  exact_apply(x, p, q, pc, n, -1);
  bool ok = exact_fits(x, q);
  exact_apply(x, p, q, pc, n, +1);
  return ok;
}

/* Compute the head's shadow time and extra units, counting what is free now in the zones the
 * head may use and what running jobs there give back, in requested-end order. Done only when
 * a candidate fits: nothing starts between the head blocking and that moment, so the result
 * is the same as computing it at once, and a saturated partition never pays for the walk.
 * Where units are not interchangeable (the head wants a GPU share or whole nodes, or the
 * partition has GPUs) the walk gives back each running job's nodes to a copy of the free
 * state and the shadow time is when the head fits there, node by node. */
static void reserve(easy_t *e, const jz_sched_t *v, int pool) {
  easy_pool_t *ep = &e->p[pool];
  uint32_t h = e->heads[pool];
  int part = v->jobs[h].partition;
  const jz_part_res_t *p = &v->res.parts[part];
  const jz_request_t *q = &v->run[h].req;
  uint64_t t1, zones;
  jz_view_zones(v, h, &t1, &zones);
  int64_t need = v->run[h].units;
  int64_t avail = jz_view_free_units(v, part, zones);
  exact_t *x = &ep->ex;
  ep->exact = p->gpus_per_node > 0 || q->nodes > 0 || q->gpus > 0 || jz_request_spread_limited(q);
  if (ep->exact) {
    x->zones = zones;
    x->idle = x->sat = x->free = 0;
    for (int32_t c = 0; c <= x->cpn; c++) x->hist[c] = 0;
    for (int32_t n = 0; n < p->nodes; n++) {
      x->cores[n] = p->free_cores[n];
      x->gpus[n] = p->free_gpus[n];
      if ((zones >> p->zone_of[n]) & 1u) exact_count(x, p, q, n, +1);
    }
  }
  jz_heap_entry_t r;
  bool found = false;
  ep->known = true;
  ep->shadow = v->now;
  jz_heap_walk_start(&e->walk, &v->rend[part]);
  while (jz_heap_walk_next(&e->walk, &r)) {
    if (found && r.key > ep->shadow) break;
    if (!(v->run[r.id].zones & zones)) continue;
    avail += v->run[r.id].units;
    if (ep->exact) {
      const jz_alloc_t *a = &v->run[r.id].alloc;
      exact_apply(x, p, q, jz_resources_pieces(&v->res, a), a->n, +1);
    }
    if (!found && (ep->exact ? exact_fits(x, q) : avail >= need)) {
      found = true;
      ep->shadow = r.key;
    }
  }
  /* Not found: the head waits for a window to close or for nodes it may not count (a lent
   * zone); no backfill may then outlast it, so reserve at infinity with no extra units. */
  if (!found) ep->shadow = INFINITY;
  ep->extra = found ? avail - need : 0;
}

/* Try to backfill job id of a blocked pool: rules (1) and (2). */
static int try_backfill(easy_t *e, const jz_sched_t *v, jz_decisions_t *out, int pool, uint32_t id) {
  easy_pool_t *ep = &e->p[pool];
  if (!jz_view_fits(v, id)) return 0;
  if (!ep->known) reserve(e, v, pool);
  int64_t units = v->run[id].units;
  bool before_shadow = v->now + v->jobs[id].walltime <= ep->shadow;
  if (!before_shadow && units > ep->extra) return 0;
  const jz_part_res_t *p = &v->res.parts[v->jobs[id].partition];
  const jz_request_t *hq = &v->run[e->heads[pool]].req;
  if (!before_shadow && ep->exact) {
    /* Rule 2, node by node: the nodes it would take now must leave the head its fit at the
     * shadow time (it still runs then). */
    uint64_t t1, t2;
    jz_view_zones(v, id, &t1, &t2);
    uint64_t zones = jz_resources_fits(&v->res, v->jobs[id].partition, &v->run[id].req, t1) ? t1 : t2;
    int rc = jz_resources_plan(&v->res, v->jobs[id].partition, &v->run[id].req, zones, &e->plan, NULL);
    if (rc == -JZ_ENOMEM) return rc;
    if (rc || !exact_fits_without(&ep->ex, p, hq, e->plan.v, e->plan.n)) return 0;
  }
  int rc = jz_decide_start(out, id);
  if (rc) return rc;
  if (!before_shadow) {
    ep->extra -= units;
    if (ep->exact) exact_apply(&ep->ex, p, hq, e->plan.v, e->plan.n, -1);
  }
  return 0;
}

/* Is `pool` the only pool of its partition now (no open dedicated allocation there)? */
static bool sole_pool(const jz_sched_t *v, int part) {
  for (int k = 0; v->with_reservations && k < v->platform->n_reservations; k++)
    if (v->platform->reservations[k].partition == part && v->resv[k].active) return false;
  return true;
}

/* Did the decision that moved out->started past `before` start job id and so hold the head
 * of a pool of its partition (scan.h, "Held heads")? */
static bool holds_a_head(const easy_t *e, const jz_sched_t *v, const jz_decisions_t *out,
                         uint32_t before, uint32_t id) {
  return out->started != before && jz_scan_head_now_held(v, e->heads, id);
}

/* The rest of a partition whose only pool is blocked: only backfill can happen, so instead of
 * walking every waiting job, jump through the waiting-list index (postree.h) to the jobs that
 * could pass rule (1) or (2). Same decisions as the walk, in the same order. Returns 1 when a
 * start held the head: the partition must be walked again from its top. */
static int backfill_rest(easy_t *e, const jz_sched_t *v, jz_decisions_t *out, int pool,
                         uint32_t after) {
  easy_pool_t *ep = &e->p[pool];
  int part = v->jobs[after].partition;
  uint32_t from = v->run[after].pos + 1;
  for (int l = v->run[after].level; l < v->n_levels; l++, from = 0) {
    const jz_postree_t *t = &v->wtree[(size_t)part * (size_t)v->n_levels + (size_t)l];
    for (;;) {
      int64_t F = jz_view_free_units(v, part, JZ_ZONES_ALL);
      if (jz_resources_free_cores(&v->res, part, JZ_ZONES_ALL) == 0) return 0;
      /* Until a candidate fits the reservation is not known: filter on size alone. The
       * filter errs on the permissive side (time rounding); try_backfill decides exactly. */
      double W = ep->known ? ep->shadow - v->now + 1e-6 * (1 + fabs(ep->shadow)) : INFINITY;
      int64_t E = ep->known ? ep->extra : INT64_MAX;
      uint32_t pos = jz_view_next_candidate(v, part, l, from, F, W, E);
      if (pos == UINT32_MAX) break;
      uint32_t id = t->ids[pos], before = out->started;
      from = pos + 1;
      if (jz_decide_held(out, id)) continue;
      int rc = try_backfill(e, v, out, pool, id);
      if (rc) return rc;
      if (holds_a_head(e, v, out, before, id)) return 1;
    }
  }
  return 0;
}

/* Forget the reservations of the pools of partition part: its walk starts from the top. */
static void unblock(easy_t *e, const jz_sched_t *v, int part) {
  for (int q = 0; q < e->npools; q++)
    if (jz_view_pool_partition(v, q) == part) e->heads[q] = JZ_NONE;
}

/* One walk: the partitions that changed (only == NULL) or those of `only`, from their heads. */
static int easy_walk(easy_t *e, const jz_sched_t *v, jz_decisions_t *out, const bool *only) {
  jz_scan_t sc;
  /* A partition walked from its head starts its pools afresh. */
  for (int p = 0; p < v->res.n_parts; p++)
    if (jz_scan_from_head(v, only, p)) unblock(e, v, p);
  jz_scan_begin(&sc, v, e->left, e->closed, only);
  for (uint32_t id; (id = jz_scan_job(&sc)) != JZ_NONE;) {
    uint32_t next = jz_view_next(v, id), before = out->started;
    int pool = jz_view_pool(v, id), part = v->jobs[id].partition;
    easy_pool_t *ep = &e->p[pool];
    int rc = 0;
    if (jz_decide_held(out, id)) {
      /* Held by a queue limit: waits without blocking or reserving (as Slurm). */
    } else if (e->heads[pool] == JZ_NONE) {
      if (jz_view_fits(v, id)) {
        rc = jz_decide_start(out, id);
      } else {
        e->heads[pool] = id;
        ep->known = false;
      }
    } else {
      rc = try_backfill(e, v, out, pool, id);
    }
    if (rc) return rc;
    bool blocked = e->heads[pool] != JZ_NONE, held_head = holds_a_head(e, v, out, before, id);
    /* The index is in submission order: other queue orders walk. */
    if (!held_head && blocked && pool == part && sole_pool(v, part) && v->order == JZ_ORDER_SUBMIT) {
      if ((rc = backfill_rest(e, v, out, pool, id)) < 0) return rc;
      if (rc == 0) {
        jz_scan_skip_partition(&sc);
        continue;
      }
      held_head = true;
    }
    if (held_head) {
      /* The reservation belongs to the first job that is not held: walk again from the top. */
      unblock(e, v, part);
      jz_scan_restart(&sc);
      continue;
    }
    /* Free cores only shrink during a pass, and every job needs one: a blocked pool whose
     * partition has none left is done. */
    if (blocked && jz_resources_free_cores(&v->res, part, JZ_ZONES_ALL) == 0)
      jz_scan_close(&sc, pool);
    jz_scan_advance(&sc, pool, next);
  }
  return 0;
}

static int easy_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  easy_t *e = state;
  int rc = easy_walk(e, v, out, NULL);
  /* A start in one partition may have held the head of another (a queue over several). */
  while (rc == 0 && jz_scan_held_partitions(v, e->heads, e->only)) rc = easy_walk(e, v, out, e->only);
  return rc;
}

const jz_policy_t jz_policy_easy = {
    .name = "easy",
    .summary = "EASY backfilling: FCFS plus backfill that does not delay the first waiting job",
    .init = easy_init,
    .schedule = easy_schedule,
    .fini = easy_fini,
};
