/* scan.h: the walk over the waiting jobs that every queue-ordered policy does, with an early
 * exit once no pool (sched.h) can start anything more in this pass.
 *
 * After resources were released (or the order changed) the walk starts at the head of the
 * order; otherwise only the jobs submitted since the last pass can start (older ones were
 * tested against the same free resources and did not fit), so it starts at the first new
 * job. A pool is closed when the policy says nothing more can start there in this pass (FCFS:
 * its first job does not fit; EASY: it is blocked and its partition has no free unit left) or
 * when all its waiting jobs were seen. */
#ifndef JZ_SCAN_H
#define JZ_SCAN_H

#include <stdbool.h>
#include <stdlib.h>

#include "sched/sched.h"

typedef struct jz_scan {
  const jz_sched_t *v;
  uint32_t id;    /* current job, JZ_NONE when done */
  int64_t *left;  /* waiting jobs of each pool not yet visited (full walks only) */
  bool *closed;
  int live;       /* pools still open with jobs left; < 0 = not tracked */
  int npools;
} jz_scan_t;

/* Scratch arrays of jz_view_n_pools entries are owned by the caller (policy state). */
static inline void jz_scan_begin(jz_scan_t *sc, const jz_sched_t *v, int64_t *left, bool *closed) {
  sc->v = v;
  sc->npools = jz_view_n_pools(v);
  sc->left = left;
  sc->closed = closed;
  if (v->released) {
    sc->id = jz_view_first(v);
    sc->live = 0;
    for (int p = 0; p < sc->npools; p++) {
      left[p] = jz_view_pool_waiting(v, p);
      closed[p] = false;
      sc->live += left[p] > 0;
    }
    if (sc->live == 0) sc->id = JZ_NONE;
  } else {
    sc->id = v->first_new;
    sc->live = -1;
  }
}

/* Next job to consider (JZ_NONE at the end). Call jz_scan_advance after handling it. */
static inline uint32_t jz_scan_job(const jz_scan_t *sc) { return sc->id; }

static inline void jz_scan_close(jz_scan_t *sc, int pool) {
  if (sc->live >= 0 && !sc->closed[pool] && sc->left[pool] > 0) sc->live--;
  sc->closed[pool] = true;
}

/* Move past the current job, of the given pool; `next` is its successor, read before a
 * decision unlinked it. */
static inline void jz_scan_advance(jz_scan_t *sc, int pool, uint32_t next) {
  sc->id = next;
  if (sc->live < 0) return;
  if (--sc->left[pool] == 0 && !sc->closed[pool]) sc->live--;
  if (sc->live == 0) sc->id = JZ_NONE;
}

/* Allocate the scratch arrays for a view's pools. */
static inline int jz_scan_alloc(const jz_sched_t *v, int64_t **left, bool **closed) {
  size_t n = (size_t)jz_view_n_pools(v);
  *left = calloc(n, sizeof **left);
  *closed = calloc(n, sizeof **closed);
  return (*left && *closed) ? 0 : -1;
}

#endif
