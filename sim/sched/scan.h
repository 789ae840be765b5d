/* scan.h: the walk over the waiting jobs that every queue-ordered policy does, partition by
 * partition, with an early exit once no pool (sched.h) of a partition can start anything more.
 * For policies on the internal view (easy.c); fcfs.c does the same walk on the public seam
 * (<jzsim/policy.h>), which cannot include this file.
 *
 * Only partitions where something changed are walked. After a release (or a change of order)
 * a partition's walk starts at its head; otherwise only its jobs submitted since the last pass
 * can start (older ones were tested against the same free resources and did not fit), so the
 * walk starts at its first new job. A pool is closed when the policy says nothing more can
 * start there in this pass (FCFS: its first job does not fit; EASY: it is blocked and its
 * partition has no free core left) or when all its waiting jobs were seen; a partition's walk
 * ends when all its pools are closed.
 *
 * Held heads. A pool's first job that does not fit (its head: FCFS blocks behind it, EASY
 * reserves for it) becomes held by a queue limit when a job of the same queue and user (or
 * account) starts after it, in its pool or another one, of its partition or another partition
 * of the queue. It is then no longer the first job that may start: the pool is walked again
 * from its top, at once when the start was in the same partition (jz_scan_restart), at the end
 * of the pass for the other partitions (jz_scan_held_partitions, then a walk of just those).
 * A walk again follows a start that held a head, and a job starts once: the pass ends. It is
 * rare (2 walks again in the whole Curie log on Jean Zay's queues) and costs one walk of the
 * partition (EASY: through the waiting-list index). */
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
  const bool *only; /* NULL, or the partitions to walk (each from its head), all others skipped */
} jz_scan_t;

/* Set up the walk of the current partition from its head; false if nothing there to walk. */
static inline bool jz__scan_from_head(jz_scan_t *sc) {
  const jz_sched_t *v = sc->v;
  int p = sc->part;
  sc->live = 0;
  for (int q = 0; q < jz_view_n_pools(v); q++) {
    if (jz_view_pool_partition(v, q) != p) continue;
    sc->left[q] = jz_view_pool_waiting(v, q);
    sc->closed[q] = false;
    sc->live += sc->left[q] > 0;
  }
  /* Every waiting job may be hidden (held): then there is nothing to walk here. */
  return sc->live > 0 && (sc->id = jz_view_first(v, p)) != JZ_NONE;
}

/* Does the walk of partition p start at its head (true), at its new jobs, or not at all? */
static inline bool jz_scan_from_head(const jz_sched_t *v, const bool *only, int p) {
  return only ? only[p] : v->released[p];
}

/* Start the walk of the next partition that has something to look at. */
static inline void jz__scan_next_partition(jz_scan_t *sc) {
  const jz_sched_t *v = sc->v;
  sc->id = JZ_NONE;
  for (sc->part++; sc->part < v->res.n_parts; sc->part++) {
    int p = sc->part;
    if (jz_scan_from_head(v, sc->only, p)) {
      if (jz__scan_from_head(sc)) return;
      sc->id = JZ_NONE;
    } else if (!sc->only && v->first_new[p] != JZ_NONE) {
      sc->live = -1;
      sc->id = v->first_new[p];
      return;
    }
  }
}

/* Scratch arrays of jz_view_n_pools entries are owned by the caller (policy state). `only`:
 * NULL for a pass (the partitions where something changed), or the partitions to walk again
 * from their heads. */
static inline void jz_scan_begin(jz_scan_t *sc, const jz_sched_t *v, int64_t *left, bool *closed,
                                 const bool *only) {
  sc->v = v;
  sc->left = left;
  sc->closed = closed;
  sc->only = only;
  sc->part = -1;
  jz__scan_next_partition(sc);
}

/* Walk the current partition again from its head (a head became held). */
static inline void jz_scan_restart(jz_scan_t *sc) {
  if (!jz__scan_from_head(sc)) jz__scan_next_partition(sc);
}

/* Is waiting job h (a pool's head) held by a queue limit now? */
static inline bool jz__scan_held(const jz_sched_t *v, uint32_t h) {
  return h != JZ_NONE && v->run[h].state == JZ_STATE_WAITING && jz_view_held(v, h);
}

/* After job `started` started: is some pool of its partition now headed by a held job? Only a
 * start in a queue with per-user or per-account limits can hold anything. heads[pool] is the
 * pool's head, JZ_NONE when it has none. */
static inline bool jz_scan_head_now_held(const jz_sched_t *v, const uint32_t *heads, uint32_t started) {
  if (!v->keys[v->run[started].key].limited) return false;
  int part = v->jobs[started].partition;
  for (int q = 0; q < jz_view_n_pools(v); q++)
    if (jz_view_pool_partition(v, q) == part && jz__scan_held(v, heads[q])) return true;
  return false;
}

/* At the end of a pass: mark in only[] the partitions with a pool headed by a held job (a job
 * of another partition started after the head was found); false if there is none. O(pools). */
static inline bool jz_scan_held_partitions(const jz_sched_t *v, const uint32_t *heads, bool *only) {
  bool any = false;
  for (int p = 0; p < v->res.n_parts; p++) only[p] = false;
  for (int q = 0; q < jz_view_n_pools(v); q++)
    if (jz__scan_held(v, heads[q])) any = only[jz_view_pool_partition(v, q)] = true;
  return any;
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

/* Allocate the scratch arrays: per pool (left, closed, heads: JZ_NONE) and per partition
 * (only). */
static inline int jz_scan_alloc(const jz_sched_t *v, int64_t **left, bool **closed,
                                uint32_t **heads, bool **only) {
  size_t n = (size_t)jz_view_n_pools(v);
  *left = calloc(n, sizeof **left);
  *closed = calloc(n, sizeof **closed);
  *heads = malloc(n * sizeof **heads);
  *only = calloc((size_t)v->res.n_parts, sizeof **only);
  if (!*left || !*closed || !*heads || !*only) return -1;
  for (size_t q = 0; q < n; q++) (*heads)[q] = JZ_NONE;
  return 0;
}

#endif
