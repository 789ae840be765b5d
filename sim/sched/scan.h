/* scan.h: the walk over the waiting jobs that every queue-ordered policy does, partition by
 * partition, with an early exit once no pool (sched.h) of a partition can start anything more.
 *
 * Only partitions where something changed are walked. After a release (or a change of order)
 * a partition's walk starts at its head; otherwise only its jobs submitted since the last pass
 * can start (older ones were tested against the same free resources and did not fit), so the
 * walk starts at its first new job. A pool is closed when the policy says nothing more can
 * start there in this pass (FCFS: its first job does not fit; EASY: it is blocked and its
 * partition has no free core left) or when all its waiting jobs were seen; a partition's walk
 * ends when all its pools are closed. */
#ifndef JZ_SCAN_H
#define JZ_SCAN_H

#include <stdbool.h>
#include <stdlib.h>

#include "sched/sched.h"

typedef struct jz_scan {
  const jz_sched_t *v;
  int part;       /* partition being walked */
  uint32_t id;    /* current job, JZ_NONE when done */
  int64_t *left;  /* waiting jobs of each pool not yet visited (full walks only) */
  bool *closed;
  int live;       /* pools of the partition still open with jobs left; < 0 = not tracked */
} jz_scan_t;

/* Start the walk of the next partition that has something to look at. */
static inline void jz__scan_next_partition(jz_scan_t *sc) {
  const jz_sched_t *v = sc->v;
  sc->id = JZ_NONE;
  for (sc->part++; sc->part < v->res.n_parts; sc->part++) {
    int p = sc->part;
    if (v->released[p]) {
      sc->live = 0;
      for (int q = 0; q < jz_view_n_pools(v); q++) {
        if (jz_view_pool_partition(v, q) != p) continue;
        sc->left[q] = jz_view_pool_waiting(v, q);
        sc->closed[q] = false;
        sc->live += sc->left[q] > 0;
      }
      /* Every waiting job may be hidden (held): then there is nothing to walk here. */
      if (sc->live > 0 && (sc->id = jz_view_first(v, p)) != JZ_NONE) return;
    } else if (v->first_new[p] != JZ_NONE) {
      sc->live = -1;
      sc->id = v->first_new[p];
      return;
    }
  }
}

/* Scratch arrays of jz_view_n_pools entries are owned by the caller (policy state). */
static inline void jz_scan_begin(jz_scan_t *sc, const jz_sched_t *v, int64_t *left, bool *closed) {
  sc->v = v;
  sc->left = left;
  sc->closed = closed;
  sc->part = -1;
  jz__scan_next_partition(sc);
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
  if (sc->live >= 0) {
    if (--sc->left[pool] == 0 && !sc->closed[pool]) sc->live--;
    if (sc->live == 0) sc->id = JZ_NONE;
  }
  if (sc->id == JZ_NONE) jz__scan_next_partition(sc);
}

/* Leave the current partition: the policy handled the rest of it another way. */
static inline void jz_scan_skip_partition(jz_scan_t *sc) { jz__scan_next_partition(sc); }

/* Allocate the scratch arrays for a view's pools. */
static inline int jz_scan_alloc(const jz_sched_t *v, int64_t **left, bool **closed) {
  size_t n = (size_t)jz_view_n_pools(v);
  *left = calloc(n, sizeof **left);
  *closed = calloc(n, sizeof **closed);
  return (*left && *closed) ? 0 : -1;
}

#endif
