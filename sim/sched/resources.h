/* resources.h: node, core and GPU accounting per partition.
 *
 * Three kinds of request:
 *  - cores: C cores on any nodes, lowest-numbered nodes first (CPU jobs; allocation per core),
 *    on at most `max_nodes` nodes when a queue limits the nodes per job (below);
 *  - one node's share: G GPUs and C cores on a single node, the lowest-numbered node that has
 *    both (GPU jobs that fit in one node share it with others);
 *  - whole nodes: N completely free nodes, lowest-numbered first (exclusive jobs, multi-node
 *    GPU jobs, --procs-per-node traces).
 * Allocation never exceeds a node's cores or GPUs. Free nodes are found through two-level
 * bitmaps (bitset.h) kept per threshold — "has a free core", "completely free", "has at least
 * g free GPUs" — so a job of k nodes costs O(k) updates and never a scan of the partition.
 * Allocations are lists of (node, cores, gpus) pieces in a pool with power-of-two size classes:
 * no malloc per job once the pool has grown. */
#ifndef JZ_RESOURCES_H
#define JZ_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"
#include "sched/bitset.h"

typedef struct jz_request {
  int32_t cores; /* cores wanted (total for a cores request, on the node for a share) */
  int32_t gpus;  /* > 0 with nodes == 0: a one-node share of that many GPUs */
  int32_t nodes; /* > 0: that many whole nodes (cores and gpus ignored) */
  int32_t max_nodes; /* cores request: spread over at most this many nodes (0 = any number) */
} jz_request_t;

/* A node limit on a cores request binds only below `cores` nodes (every node gives >= 1 core).
 * Such a request fits only where some max_nodes nodes hold its cores, as Slurm places a job
 * whose QoS caps its node count (acct_policy.c sets the job's max nodes to the limit). Its
 * placement: lowest-numbered nodes first, as any job, when that spans at most max_nodes
 * nodes; otherwise the fewest nodes: those with the most free cores (lowest-numbered among
 * equals), the last one partly. */
static inline bool jz_request_spread_limited(const jz_request_t *q) {
  return q->nodes == 0 && q->gpus == 0 && q->max_nodes > 0 && q->max_nodes < q->cores;
}

/* `count` consecutive nodes from `node`, each giving `cores` cores and `gpus` GPUs. Runs of
 * more than one node are always whole nodes, taken and given back a word of bitmap at a time:
 * a 1,000-node job costs a handful of runs, not 1,000 updates. */
typedef struct jz_piece {
  int32_t node;  /* first node index inside the partition */
  int32_t count; /* nodes in the run (>= 1) */
  int16_t cores; /* cores taken on each node */
  int16_t gpus;  /* GPUs taken on each node */
} jz_piece_t;

/* A growable list of pieces. */
typedef struct jz_pieces {
  jz_piece_t *v;
  uint32_t n, cap;
} jz_pieces_t;

void jz_pieces_free(jz_pieces_t *ps);

typedef struct jz_alloc {
  uint32_t off; /* first piece in the pool */
  uint32_t n;   /* number of pieces */
  uint32_t nodes; /* nodes in all pieces */
} jz_alloc_t;

#define JZ_MAX_GPUS_PER_NODE 16
#define JZ_MAX_ZONES 64

/* A zone is a contiguous range of a partition's nodes: zone 0 is the shared pool, and each
 * dedicated allocation (reservation) of the partition owns one zone at the top of the range.
 * Requests name the zones they may use as a bit mask; counters are kept per zone so that
 * "does it fit in these zones" stays O(zones). */
typedef struct jz_zone {
  int32_t lo, hi;               /* nodes [lo, hi) */
  int64_t free_cores, free_gpus;
  int32_t free_nodes;
} jz_zone_t;

#define JZ_ZONES_ALL (~UINT64_C(0))

typedef struct jz_part_res {
  int32_t nodes, cores_per_node, gpus_per_node;
  int16_t *free_cores; /* per node */
  int8_t *free_gpus;   /* per node */
  jz_bitset_t has_core;                        /* free_cores >= 1 */
  jz_bitset_t idle;                            /* nothing allocated */
  jz_bitset_t gpu_ge[JZ_MAX_GPUS_PER_NODE + 1]; /* [g]: free_gpus >= g, g >= 1 */
  int64_t free_total, total_cores; /* cores */
  int64_t free_gpus_total, total_gpus;
  int32_t free_nodes; /* completely free nodes */
  jz_zone_t zones[JZ_MAX_ZONES];
  int n_zones;
  uint8_t *zone_of; /* per node */
  int32_t *core_hist; /* [zone * (cores_per_node + 1) + c]: nodes of the zone with c free cores,
                         for node-limited requests (the most cores k nodes can give) */
} jz_part_res_t;

typedef struct jz_resources {
  jz_part_res_t *parts;
  int n_parts;
  jz_piece_t *pool;
  uint32_t pool_n, pool_cap;
  uint32_t free_class[32]; /* free block lists per size class, UINT32_MAX = empty */
  jz_pieces_t scratch;     /* pieces being chosen before they go to the pool */
} jz_resources_t;

/* Zones come from the platform's reservations: reservation k of partition P gets the next
 * `nodes` nodes below the previous ones, counted from the top of P. resv_zone[k] receives
 * reservation k's zone index (1-based within its partition). with_reservations = false
 * leaves every partition a single shared zone (the --baseline run). */
int jz_resources_init(jz_resources_t *r, const jz_platform_t *p, bool with_reservations,
                      int *resv_zone); /* 0 or -JZ_ENOMEM / -JZ_ERANGE */
void jz_resources_free(jz_resources_t *r);

/* What a request occupies, in cores and in GPUs. */
int64_t jz_resources_request_cores(const jz_resources_t *r, int part, const jz_request_t *q);
int64_t jz_resources_request_gpus(const jz_resources_t *r, int part, const jz_request_t *q);
/* Could the request ever run on the empty partition? */
bool jz_resources_possible(const jz_resources_t *r, int part, const jz_request_t *q);
/* Does it fit in what is free now in the zones of `zones` (a bit mask)? O(zones) for cores
 * and whole nodes; a bitmap search for one-node shares. */
bool jz_resources_fits(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones);
/* The pieces an allocation would take now (lowest-numbered nodes first), without taking them:
 * jz_resources_alloc takes exactly these. -JZ_EINTERNAL if it does not fit, -JZ_ENOMEM. */
int jz_resources_plan(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                      jz_pieces_t *out, uint32_t *nodes);
/* Take resources in those zones, lowest-numbered nodes first; -JZ_EINTERNAL if the request
 * does not fit now, -JZ_ENOMEM. */
int jz_resources_alloc(jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                       jz_alloc_t *out);
/* The same on the given nodes (increasing, 0-based in the partition), all in `zones`: whole
 * nodes (exactly q->nodes free nodes), a one-node share (one node holding it), or cores (each
 * node gives all its free cores, the last one the rest; at most max_nodes nodes when limited).
 * -JZ_EINVAL with the reason in why[len] when the list does not hold the request, -JZ_ENOMEM. */
int jz_resources_plan_on(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                         const int32_t *nodes, uint32_t n, jz_pieces_t *out, char *why, size_t len);
int jz_resources_alloc_on(jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                          const int32_t *nodes, uint32_t n, jz_alloc_t *out, char *why, size_t len);
/* The same for a cores request with exactly cores[i] cores on nodes[i] (NULL: as above), so a
 * planner that promised other cores of those nodes to later jobs gets just what it planned. */
int jz_resources_alloc_cores_on(jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                                const int32_t *nodes, const int32_t *cores, uint32_t n,
                                jz_alloc_t *out, char *why, size_t len);
/* Zones an allocation touches (bit mask). */
uint64_t jz_resources_alloc_zones(const jz_resources_t *r, int part, const jz_alloc_t *a);
/* The most cores k nodes can give, from counts of nodes by free cores (hist[c], c = 0..cpn):
 * O(cpn). A node-limited request fits where this reaches its cores. */
int64_t jz_resources_best_cores(const int32_t *hist, int32_t cpn, int32_t k);
/* Free cores / GPUs / whole nodes in the zones of a mask. */
int64_t jz_resources_free_cores(const jz_resources_t *r, int part, uint64_t zones);
int64_t jz_resources_free_gpus(const jz_resources_t *r, int part, uint64_t zones);
void jz_resources_release(jz_resources_t *r, int part, jz_alloc_t *a);
static inline const jz_piece_t *jz_resources_pieces(const jz_resources_t *r, const jz_alloc_t *a) {
  return r->pool + a->off;
}

#endif
