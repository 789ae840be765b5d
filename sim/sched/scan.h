/* scan.h: the walk over the waiting queue that every queue-ordered policy does, with an
 * early exit once no partition can start anything more in this pass.
 *
 * After resources were released the walk starts at the head of the queue; otherwise only the
 * jobs submitted since the last pass can start (older ones were tested against the same free
 * resources and did not fit), so it starts at the first new job. A partition is closed when
 * the policy says nothing more can start there in this pass (FCFS: its first job does not
 * fit; EASY: it is blocked and has no free core left) or when all its waiting jobs were seen. */
#ifndef JZ_SCAN_H
#define JZ_SCAN_H

#include <stdbool.h>
#include <stdlib.h>

#include "sched/sched.h"

typedef struct jz_scan {
  const jz_sched_t *v;
  uint32_t id;      /* current job, JZ_NONE when done */
  uint32_t *left;   /* waiting jobs of each partition not yet visited (full walks only) */
  bool *closed;
  int live;         /* partitions still open with jobs left; < 0 = not tracked */
  int nparts;
} jz_scan_t;

/* Scratch arrays of n_parts entries are owned by the caller (policy state). */
static inline void jz_scan_begin(jz_scan_t *sc, const jz_sched_t *v, uint32_t *left, bool *closed) {
  sc->v = v;
  sc->nparts = v->res.n_parts;
  sc->left = left;
  sc->closed = closed;
  if (v->released) {
    sc->id = v->qhead;
    sc->live = 0;
    for (int p = 0; p < sc->nparts; p++) {
      left[p] = v->qlen_part[p];
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

static inline void jz_scan_close(jz_scan_t *sc, int part) {
  if (sc->live >= 0 && !sc->closed[part] && sc->left[part] > 0) sc->live--;
  sc->closed[part] = true;
}

/* Move past job `cur` (read its successor before a decision unlinks it: pass it in). */
static inline void jz_scan_advance(jz_scan_t *sc, int part, uint32_t next) {
  sc->id = next;
  if (sc->live < 0) return;
  if (--sc->left[part] == 0 && !sc->closed[part]) sc->live--;
  if (sc->live == 0) sc->id = JZ_NONE;
}

#endif
