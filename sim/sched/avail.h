/* avail.h: an availability profile, free units as a step function of future time, for
 * conservative backfilling (conservative.c).
 *
 * The steps live in a treap keyed by time (a node = a step: from its time to the next node's,
 * `free` units are free), each subtree keeping the smallest and largest free value of its steps
 * and a pending addition for its children (lazy propagation). So, with n steps:
 *   - taking or giving back u units over [a, b) costs O(log n) (two step boundaries at most are
 *     created or, when no range starts or ends there any more, removed: each boundary counts
 *     the ranges that start or end at it);
 *   - "the earliest t >= now with at least u units free all over [t, t + w)" costs O(log n) per
 *     stretch of too-busy steps it jumps over (first step below u from t, then first step at or
 *     above u after it), never a scan of the profile;
 *   - "the most units free at some time in [now, b)" costs O(log n).
 * The past is dropped as time advances (jz_avail_trim): the first node then stands for "now"
 * and ranges that began before now start there. Nodes come from one growing pool: no malloc
 * per operation once it has grown. Treap priorities come from a fixed-seed generator, so runs
 * are deterministic. */
#ifndef JZ_AVAIL_H
#define JZ_AVAIL_H

#include <stdint.h>

typedef struct jz_anode {
  double t;          /* step start; -INFINITY for the first node ("now") */
  int64_t v;         /* free units on the step (pending additions of ancestors excluded) */
  int64_t mn, mx;    /* smallest / largest v in the subtree, same convention */
  int64_t lazy;      /* still to add to both children's subtrees */
  double lo, hi;     /* smallest and largest step start in the subtree */
  uint32_t l, r, pri;
  uint32_t ref;      /* ranges starting or ending here */
} jz_anode_t;

typedef struct jz_avail {
  jz_anode_t *n; /* n[0] is the nil node */
  uint32_t cap, used, freelist, root;
  uint64_t rng;
  double now;
} jz_avail_t;

/* total units free at every time, from `now` on. 0 or -JZ_ENOMEM. */
int jz_avail_init(jz_avail_t *p, int64_t total, double now);
void jz_avail_free(jz_avail_t *p);
/* Forget the steps that end at or before `now` (now never decreases). */
void jz_avail_trim(jz_avail_t *p, double now);
/* Add `delta` units over [a, b) (b may be INFINITY); a <= now means "from now". ref = +1 when
 * a range is placed (its boundaries are created), -1 when the same range is taken back (they
 * are removed once nothing else starts or ends there). 0 or -JZ_ENOMEM. */
int jz_avail_add(jz_avail_t *p, double a, double b, int64_t delta, int ref);
/* Earliest t >= now with at least u units free over [t, min(t + w, horizon)); horizon if no
 * t before it qualifies (INFINITY: the earliest slot, INFINITY if there is none).
 * With a finite horizon, this asks whether a job holding u units from `horizon` for w could
 * move earlier, without taking it out: past its own start, its own units are free for it,
 * so only [t, horizon) has to be checked. Read-only. */
double jz_avail_earliest(const jz_avail_t *p, int64_t u, double w, double horizon);
/* The same, giving up (returning INFINITY) once the candidate start would pass `latest`. */
double jz_avail_earliest_by(const jz_avail_t *p, int64_t u, double w, double latest);
/* The earliest t >= max(now, from) with at least u units free over [t, t + w), giving up
 * (INFINITY) once t would pass `latest`: a search that starts later, for jobs that may start
 * only at some times, or on one node among others when a better one is already known. */
double jz_avail_earliest_from(const jz_avail_t *p, int64_t u, double w, double from, double latest);
/* Where the stretch of time just before b > now with fewer than u units free begins: b if u
 * units are free just before b, now if fewer are free all the way from now. O(log n). */
double jz_avail_short_before(const jz_avail_t *p, int64_t u, double b);
/* Most units free at some time in [now, b). */
int64_t jz_avail_max_before(const jz_avail_t *p, double b);
/* Units free now, and the smallest free value anywhere (for checks: never negative). */
int64_t jz_avail_free_now(const jz_avail_t *p);
int64_t jz_avail_min(const jz_avail_t *p);
/* Number of steps (for tests). */
uint32_t jz_avail_steps(const jz_avail_t *p);

#endif
