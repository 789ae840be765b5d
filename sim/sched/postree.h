/* postree.h: the waiting jobs of one (partition, priority level) list, indexed by position in
 * the list, for EASY's backfill search: "the next waiting job after position x that could pass
 * the backfill rule" (units <= F and (walltime <= W or units <= E)) in O(log n) per job found,
 * instead of a walk over every waiting job. A max-overloaded partition has a queue of 100,000
 * jobs and a pass after every job end; without this index the search is quadratic.
 *
 * A segment tree over positions keeps, per subtree, the smallest units and the smallest
 * walltime among its waiting jobs; a subtree is skipped when no job in it can pass the rule.
 * Positions are handed out in submission order and never reused; the tree doubles as needed. */
#ifndef JZ_POSTREE_H
#define JZ_POSTREE_H

#include <stdint.h>

typedef struct jz_postree {
  uint32_t *ids;   /* job id at each position */
  int64_t *units;  /* 2*cap: node i covers children 2i, 2i+1; leaves from cap; INT64_MAX = gone */
  double *wall;    /* 2*cap, same shape; INFINITY = gone */
  uint32_t n, cap;
} jz_postree_t;

void jz_postree_init(jz_postree_t *t);
void jz_postree_free(jz_postree_t *t);
/* Append a waiting job; returns its position, or UINT32_MAX on ENOMEM. units = INT64_MAX and
 * wall = INFINITY append it absent (removed), in O(1). */
uint32_t jz_postree_push(jz_postree_t *t, uint32_t id, int64_t units, double wall);
/* The job at pos left the waiting list (or is hidden: held by a queue limit). */
void jz_postree_remove(jz_postree_t *t, uint32_t pos);
/* Make the job at pos visible again with its values. */
void jz_postree_restore(jz_postree_t *t, uint32_t pos, int64_t units, double wall);
/* Smallest position >= from holding a job with units <= F and (wall <= W or units <= E);
 * UINT32_MAX if none. */
uint32_t jz_postree_next(const jz_postree_t *t, uint32_t from, int64_t F, double W, int64_t E);

#endif
