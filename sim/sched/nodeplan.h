/* nodeplan.h: node-by-node availability, for conservative backfilling (conservative.c) on
 * partitions whose units are not interchangeable (GPU partitions: a 4-GPU share needs 4 free
 * GPUs on ONE node, a whole-node job needs nodes with everything free).
 *
 * Each node has two availability profiles (avail.h): its free cores and its free GPUs over
 * time. A reservation names its nodes, so it holds: the job is started on exactly those nodes
 * (jz_decide_start_on) and nothing else is promised them over its interval.
 *
 * Earliest slots, with s steps per node profile and N nodes in the partition:
 *   - one node holding c cores and g GPUs for w seconds: each node is searched from now with
 *     the best start found so far as a bound (O(log s) per stretch of busy steps jumped over,
 *     a node that cannot beat the bound gives up at it), stopping at the first node that fits
 *     now: O(N log s) in the worst case, O(k log s) when the k-th node fits at once;
 *   - k whole nodes: from T = now, each node's earliest fully free start from T; if k nodes
 *     start at T, done; else T becomes the k-th smallest of those starts (never past the
 *     earliest feasible T: the k nodes free there all start by it) and again: O(N log s +
 *     N log N) per round, rounds bounded by the distinct starts passed over.
 * Linear in nodes per search: the per-node profiles are exact, an index over nodes (a
 * tournament tree of per-node earliest starts) would be the next step.
 * Which nodes a job may start on at a time (dedicated allocations' windows) is the caller's:
 * `open(ctx, node, t)` is the earliest t' >= t at which the job may start on that node. */
#ifndef JZ_NODEPLAN_H
#define JZ_NODEPLAN_H

#include <stdint.h>

#include "sched/avail.h"

typedef double (*jz_nodeplan_open_fn)(void *ctx, int32_t node, double t);

typedef struct jz_nodeplan {
  int32_t nodes, cpn, gpn;
  jz_avail_t *cores, *gpus; /* per node */
  double *e;                /* scratch: per node earliest start (k-node searches) */
  double *sorted;
} jz_nodeplan_t;

/* What a job asks: `cores` and `gpus` on each of `count` nodes (count > 1: whole nodes), for
 * w seconds, starting by `latest` (INFINITY: no bound). */
typedef struct jz_nodeask {
  int32_t cores, gpus, count;
  int32_t pref_lo, pref_hi; /* nodes [lo, hi) are preferred on ties (a member's allocation) */
  double w, latest;
  jz_nodeplan_open_fn open;
  void *ctx;
} jz_nodeask_t;

/* The k-th node in search order: the preferred ones [pref_lo, pref_hi) first, then the
 * others, each increasing (nodeplan.c and nodespan.c search in this order). */
static inline int32_t jz_node_order_nth(int32_t pref_lo, int32_t pref_hi, int32_t k) {
  int32_t np = pref_hi - pref_lo;
  if (k < np) return pref_lo + k;
  k -= np;
  return k < pref_lo ? k : k + np;
}

/* Every node free from now. 0 or -JZ_ENOMEM (then free it). */
int jz_nodeplan_init(jz_nodeplan_t *np, int32_t nodes, int32_t cpn, int32_t gpn, double now);
void jz_nodeplan_free(jz_nodeplan_t *np);
/* The earliest start >= now of the ask, its nodes (increasing) in nodes[count]; INFINITY if
 * none by a->latest. */
double jz_nodeplan_earliest(jz_nodeplan_t *np, const jz_nodeask_t *a, double now, int32_t *nodes);
/* Take (sign -1) or give back (+1) cores and GPUs on each listed node over [a, b): ref as in
 * jz_avail_add (+1 placing, -1 taking the same range back). 0 or -JZ_ENOMEM. */
int jz_nodeplan_add(jz_nodeplan_t *np, const int32_t *nodes, int32_t n, int32_t cores,
                    int32_t gpus, double a, double b, int sign, int ref, double now);

#endif
