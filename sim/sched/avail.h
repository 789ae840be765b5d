/* avail.h: an availability profile, free units as a step function of future time, for
 * conservative backfilling (conservative.c).
 *
 * The steps live in a treap keyed by time (a node = a step boundary: from its time to the
 * next node's, the free units are the sum of the changes of every node up to it). A node
 * holds its change, not its value, and each subtree the sum of its changes and the smallest
 * and largest running sum over its nodes in time order: so a range of units taken or given
 * back changes two nodes, never the steps between, and a step's value is summed on the way
 * down. With n steps:
 *   - taking or giving back u units over [a, b) costs O(log n): one descent to each of its two
 *     boundaries, created or, when no range starts or ends there any more, removed (each
 *     boundary counts the ranges that start or end at it; its change is then 0);
 *   - "the earliest t >= now with at least u units free all over [t, t + w)" is one walk over
 *     the steps after the first candidate in time order, jumping over every subtree that all
 *     has u units (while a candidate stands) or none (while none does): O(log n) per stretch
 *     of too-busy steps jumped over, never a scan of the profile;
 *   - "the most units free at some time in [now, b)" and "where does the stretch just before
 *     b short of u units begin" cost O(log n).
 * The past is dropped as time advances (jz_avail_trim): the first node then stands for "now"
 * and ranges that began before now start there. Nodes come from one growing pool: no malloc
 * per operation once it has grown. Treap priorities come from a fixed-seed generator, so runs
 * are deterministic. */
#ifndef JZ_AVAIL_H
#define JZ_AVAIL_H

#include <stdint.h>

typedef struct jz_anode {
  double t;          /* step start; -INFINITY for the first node ("now") */
  double lo;         /* smallest step start in the subtree */
  int64_t d;         /* change of free units at t (the first node: its free units) */
  int64_t sum;       /* sum of d over the subtree */
  int64_t mn, mx;    /* smallest / largest running sum of d over the subtree's nodes */
  uint32_t l, r, pri;
  uint32_t ref;      /* ranges starting or ending here */
} jz_anode_t;

/* A node on the way down a walk, and what the steps before its subtree add up to. */
typedef struct jz_aframe {
  uint32_t x;
  int64_t off;
} jz_aframe_t;

typedef struct jz_avail {
  jz_anode_t *n;     /* n[0] is the nil node */
  jz_aframe_t *path; /* scratch for walks, as many frames as nodes: no depth overflows it */
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
 * a range is placed (its boundaries are created), -1 when the same range, placed with +1, is
 * taken back (they are removed once nothing else starts or ends there). 0 or -JZ_ENOMEM. */
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
/* Units free just before b > now (on the step that ends at or holds b). O(log n). */
int64_t jz_avail_free_before(const jz_avail_t *p, double b);
/* Most units free at some time in [now, b). */
int64_t jz_avail_max_before(const jz_avail_t *p, double b);
/* Units free now, and the smallest free value anywhere (for checks: never negative). */
int64_t jz_avail_free_now(const jz_avail_t *p);
int64_t jz_avail_min(const jz_avail_t *p);
/* Number of steps (for tests). */
uint32_t jz_avail_steps(const jz_avail_t *p);

#endif
