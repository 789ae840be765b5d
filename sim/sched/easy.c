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
 * limit is skipped: it neither starts, nor blocks, nor gets the reservation (as in Slurm).
 *
 * Worked example, 4 cores. Running: R (2 cores, requested end 100). Waiting in order:
 * H (4 cores), X (2 cores, 50 s), Y (2 cores, 200 s), Z (1 core, 200 s), all at now = 0.
 * H does not fit: shadow = 100 (R's cores free then: 2 free now + 2 = 4), extra = 0.
 * X fits and ends at 50 <= 100: starts (rule 1). Y and Z no longer fit (0 cores free) and
 * would not pass rule (2) anyway (extra = 0): they wait. H starts at 100 at the latest.
 *
 * On whole-node and GPU partitions the count is exact only when units are interchangeable;
 * node fragmentation (a 4-GPU share needs its 4 GPUs on one node) can make the head start later
 * than its shadow time. The reservation is recomputed at every pass after a release.
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

typedef struct easy_pool {
  bool blocked;   /* has a head with a reservation */
  bool known;     /* shadow and extra computed (lazily: only once a candidate fits) */
  uint32_t head;
  double shadow;  /* head's reserved start */
  int64_t extra;  /* units free at the shadow time beyond the head's need */
} easy_pool_t;

typedef struct easy {
  int npools;
  easy_pool_t *p; /* kept between passes: the reservation holds until something is freed */
  int64_t *left;
  bool *closed;
  jz_heap_walk_t walk;
} easy_t;

static void easy_fini(void *state) {
  easy_t *e = state;
  if (!e) return;
  jz_heap_walk_free(&e->walk);
  free(e->p);
  free(e->left);
  free(e->closed);
  free(e);
}

static int easy_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  easy_t *e = calloc(1, sizeof *e);
  if (e) e->p = calloc((size_t)jz_view_n_pools(v), sizeof *e->p);
  if (!e || !e->p || jz_scan_alloc(v, &e->left, &e->closed)) {
    easy_fini(e);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  e->npools = jz_view_n_pools(v);
  *state = e;
  return 0;
}

/* Compute the head's shadow time and extra units, counting what is free now in the zones the
 * head may use and what running jobs there give back, in requested-end order. Done only when
 * a candidate fits: nothing starts between the head blocking and that moment, so the result
 * is the same as computing it at once, and a saturated partition never pays for the walk. */
static void reserve(easy_t *e, const jz_sched_t *v, int pool) {
  easy_pool_t *ep = &e->p[pool];
  uint32_t h = ep->head;
  int part = v->jobs[h].partition;
  uint64_t t1, zones;
  jz_view_zones(v, h, &t1, &zones);
  int64_t need = v->run[h].units;
  int64_t avail = jz_view_free_units(v, part, zones);
  jz_heap_entry_t r;
  bool found = false;
  ep->known = true;
  ep->shadow = v->now;
  jz_heap_walk_start(&e->walk, &v->rend[part]);
  while (jz_heap_walk_next(&e->walk, &r)) {
    if (found && r.key > ep->shadow) break;
    if (!(v->run[r.id].zones & zones)) continue;
    avail += v->run[r.id].units;
    if (!found && avail >= need) {
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
  if (before_shadow || units <= ep->extra) {
    int rc = jz_decide_start(out, id);
    if (rc) return rc;
    if (!before_shadow) ep->extra -= units;
  }
  return 0;
}

/* Is `pool` the only pool of its partition now (no open dedicated allocation there)? */
static bool sole_pool(const jz_sched_t *v, int part) {
  for (int k = 0; v->with_reservations && k < v->platform->n_reservations; k++)
    if (v->platform->reservations[k].partition == part && v->resv[k].active) return false;
  return true;
}

/* The rest of a partition whose only pool is blocked: only backfill can happen, so instead of
 * walking every waiting job, jump through the waiting-list index (postree.h) to the jobs that
 * could pass rule (1) or (2). Same decisions as the walk, in the same order. */
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
      uint32_t pos = jz_postree_next(t, from, F, W, E);
      if (pos == UINT32_MAX) break;
      uint32_t id = t->ids[pos];
      from = pos + 1;
      if (jz_decide_held(out, id)) continue;
      int rc = try_backfill(e, v, out, pool, id);
      if (rc) return rc;
    }
  }
  return 0;
}

static int easy_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  easy_t *e = state;
  jz_scan_t sc;
  jz_scan_begin(&sc, v, e->left, e->closed);
  /* A partition walked from its head starts its pools afresh. */
  for (int p = 0; p < e->npools; p++)
    if (v->released[jz_view_pool_partition(v, p)]) e->p[p].blocked = false;
  for (uint32_t id; (id = jz_scan_job(&sc)) != JZ_NONE;) {
    uint32_t next = jz_view_next(v, id);
    int pool = jz_view_pool(v, id), part = v->jobs[id].partition;
    easy_pool_t *ep = &e->p[pool];
    if (jz_decide_held(out, id)) {
      /* Held by a queue limit: waits without blocking or reserving (as Slurm). */
    } else if (!ep->blocked) {
      if (jz_view_fits(v, id)) {
        int rc = jz_decide_start(out, id);
        if (rc) return rc;
      } else {
        ep->blocked = true;
        ep->known = false;
        ep->head = id;
      }
    } else {
      int rc = try_backfill(e, v, out, pool, id);
      if (rc) return rc;
    }
    if (ep->blocked && pool == part && sole_pool(v, part)) {
      int rc = backfill_rest(e, v, out, pool, id);
      if (rc) return rc;
      jz_scan_skip_partition(&sc);
      continue;
    }
    /* Free cores only shrink during a pass, and every job needs one: a blocked pool whose
     * partition has none left is done. */
    if (ep->blocked && jz_resources_free_cores(&v->res, part, JZ_ZONES_ALL) == 0)
      jz_scan_close(&sc, pool);
    jz_scan_advance(&sc, pool, next);
  }
  return 0;
}

const jz_policy_t jz_policy_easy = {
    .name = "easy",
    .summary = "EASY backfilling: FCFS plus backfill that does not delay the first waiting job",
    .init = easy_init,
    .schedule = easy_schedule,
    .fini = easy_fini,
};
