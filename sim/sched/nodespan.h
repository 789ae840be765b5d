/* nodespan.h: per-core requests spread over several nodes, on node-by-node profiles
 * (nodeplan.h), for conservative backfilling (conservative.c) where its reservations must
 * name their nodes: CPU partitions that also run whole-node or node-capped jobs, GPU
 * partitions with per-core jobs larger than a node.
 *
 * A job of C cores for w seconds may start at T when the nodes open to it at T give C cores
 * together, each node n giving at most a_n(T), the fewest cores free on it all over
 * [T, T + w); with a cap of k nodes (max_nodes_per_job), the k largest a_n(T) together. Its
 * reservation then takes a fixed number of cores on each of its nodes (it is started on
 * exactly those: jz_decide_start_cores_on), as FCFS and EASY place a per-core job: the
 * lowest-numbered nodes first, each giving what it has, the last one the rest; when that
 * spans more nodes than the cap, the nodes with the most cores (lowest-numbered among equals).
 *
 * The search: from T = now, compute every node's a_n(T); if they hold the job, done. Else the
 * next candidate is the smallest, over nodes, of the earliest time node n can give a_n(T) + 1
 * cores for w (and, for a node not open at T, of the time it opens): before it no node gives
 * more than at T, so no time in between holds the job either. Each round costs, with N nodes
 * of s steps and c cores each, O(N log c log s) (a_n by bisection on the node's profile,
 * through avail.h's public searches only); rounds are bounded by the distinct candidate times
 * passed over; each candidate is first moved to the earliest time from it at which all nodes
 * together have the job's cores free over its requested time (`total`, O(log s) per stretch of
 * busy steps), which settles in one step the jobs that cannot move at all. When the job fits at
 * now the scan stops at the first nodes that hold it. */
#ifndef JZ_NODESPAN_H
#define JZ_NODESPAN_H

#include <stdint.h>

#include "sched/nodeplan.h"

typedef struct jz_spanask {
  int32_t cores;            /* cores in all */
  int32_t max_nodes;        /* at most this many nodes; 0: any number */
  int32_t pref_lo, pref_hi; /* nodes [lo, hi) are taken first (a member's allocation) */
  double w, latest;         /* requested time; give up past `latest` (INFINITY: never) */
  const jz_avail_t *total;  /* the free cores of all nodes together, or NULL: a start needs
                               `cores` free there over its whole time (a cheap necessary test
                               that skips the times the machine is simply too full) */
  jz_nodeplan_open_fn open;
  void *ctx;
} jz_spanask_t;

/* Scratch for the searches on one node plan: per node, and per core count. */
typedef struct jz_nodespan {
  int32_t *a;    /* per node: a_n at the candidate time */
  int32_t *hist; /* [c]: nodes with a_n == c, c = 0..cores per node */
  struct jz_spanpick *pick; /* the nodes chosen, before they are sorted */
} jz_nodespan_t;

int jz_nodespan_init(jz_nodespan_t *sp, int32_t nodes, int32_t cpn); /* 0 or -JZ_ENOMEM */
void jz_nodespan_free(jz_nodespan_t *sp);
/* The earliest start >= now of the ask on np (INFINITY if none by a->latest); its nodes
 * (increasing) in nodes[*n] and the cores taken on each in cores[*n] (both sized for every
 * node of the plan). Written only when a start is found. */
double jz_nodespan_earliest(jz_nodespan_t *sp, const jz_nodeplan_t *np, const jz_spanask_t *a,
                            double now, int32_t *nodes, int32_t *cores, int32_t *n);

#endif
