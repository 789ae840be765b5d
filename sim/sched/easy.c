/* easy.c: EASY backfilling (Mu'alem & Feitelson 2001), per partition.
 *
 * Jobs start in submission order while they fit. The first job of a partition that does not
 * fit (the head) gets a reservation: its shadow time is the earliest requested end of running
 * jobs at which enough cores are free for it, and the extra cores are those free at the shadow
 * time beyond what the head needs (counting every job whose requested end is at or before the
 * shadow time). A later job of that partition starts now if it fits in what is free and
 *   (1) it ends (now + requested time) no later than the shadow time — extra cores unchanged, or
 *   (2) it uses no more than the extra cores — which it then consumes.
 * Rule (1) is tried before rule (2), as in the textbook formulation.
 *
 * Worked example, 4 cores. Running: R (2 cores, requested end 100). Waiting in order:
 * H (4 cores), X (2 cores, 50 s), Y (2 cores, 200 s), Z (1 core, 200 s), all at now = 0.
 * H does not fit: shadow = 100 (R's cores free then: 2 free now + 2 = 4), extra = 0.
 * X fits and ends at 50 <= 100: starts (rule 1). Y and Z no longer fit (0 cores free) and
 * would not pass rule (2) anyway (extra = 0): they wait. H starts at 100 at the latest.
 *
 * Cost: the shadow walk visits running jobs in requested-end order from an indexed heap
 * (O(k log k) for the k jobs walked). A pass after a finish walks the waiting queue; a pass
 * with only new submissions tests only the new jobs against the reservation kept from the
 * previous pass (nothing that could change the outcome for older jobs has happened: no cores
 * were freed, and `now` only grew, which makes rule (1) stricter). */
#include <stdlib.h>

#include "sched/policy.h"
#include "sched/scan.h"

typedef struct easy_part {
  bool blocked;   /* has a head with a reservation */
  bool known;     /* shadow and extra computed (lazily: only once a candidate fits) */
  uint32_t head;
  double shadow;  /* head's reserved start */
  int64_t extra;  /* cores free at the shadow time beyond the head's need */
} easy_part_t;

typedef struct easy {
  int nparts;
  easy_part_t *p; /* kept between passes: the reservation holds until cores are freed */
  uint32_t *left;
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
  size_t n = (size_t)v->res.n_parts;
  easy_t *e = calloc(1, sizeof *e);
  if (e) {
    e->p = calloc(n, sizeof *e->p);
    e->left = calloc(n, sizeof *e->left);
    e->closed = calloc(n, sizeof *e->closed);
  }
  if (!e || !e->p || !e->left || !e->closed) {
    easy_fini(e);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  e->nparts = v->res.n_parts;
  *state = e;
  return 0;
}

/* Compute the head's shadow time and extra cores. Done only when a candidate fits: nothing
 * starts between the head blocking and that moment, so the result is the same as computing
 * it at once, and a saturated partition never pays for the walk. */
static void reserve(easy_t *e, const jz_sched_t *v, int part) {
  easy_part_t *ep = &e->p[part];
  int64_t need = v->run[ep->head].units;
  int64_t avail = jz_view_free_cores(v, part);
  jz_heap_entry_t r;
  bool found = false;
  ep->known = true;
  ep->shadow = v->now;
  jz_heap_walk_start(&e->walk, &v->rend[part]);
  while (jz_heap_walk_next(&e->walk, &r)) {
    if (found && r.key > ep->shadow) break;
    avail += v->run[r.id].units;
    if (!found && avail >= need) {
      found = true;
      ep->shadow = r.key;
    }
  }
  /* The head fits in an empty partition (checked at submission), so found is true. */
  ep->extra = avail - need;
}

static int easy_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  easy_t *e = state;
  jz_scan_t sc;
  jz_scan_begin(&sc, v, e->left, e->closed);
  if (v->released)
    for (int p = 0; p < e->nparts; p++) e->p[p].blocked = false;
  for (uint32_t id; (id = jz_scan_job(&sc)) != JZ_NONE;) {
    uint32_t next = jz_view_next(v, id);
    int part = v->jobs[id].partition;
    easy_part_t *ep = &e->p[part];
    if (!ep->blocked) {
      if (jz_view_fits(v, id)) {
        int rc = jz_decide_start(out, id);
        if (rc) return rc;
      } else {
        ep->blocked = true;
        ep->known = false;
        ep->head = id;
      }
    } else if (jz_view_fits(v, id)) {
      if (!ep->known) reserve(e, v, part);
      int64_t units = v->run[id].units;
      bool before_shadow = v->now + v->jobs[id].walltime <= ep->shadow;
      if (before_shadow || units <= ep->extra) {
        int rc = jz_decide_start(out, id);
        if (rc) return rc;
        if (!before_shadow) ep->extra -= units;
      }
    }
    /* Free cores only shrink during a pass: a blocked partition with none left is done. */
    if (ep->blocked && jz_view_free_cores(v, part) == 0) jz_scan_close(&sc, part);
    jz_scan_advance(&sc, part, next);
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
