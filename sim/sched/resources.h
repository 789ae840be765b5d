/* resources.h: node, core and GPU accounting per partition.
 *
 * Allocation is per core: a job takes free cores on any nodes of its partition, lowest-numbered
 * nodes first; a whole-node request takes the lowest-numbered completely free nodes. Free nodes
 * are found with a max-segment tree over each node's free cores, so an allocation of k nodes
 * costs O(k log n), never a scan of the partition (a Curie-sized partition has 5,832 nodes,
 * an exascale one tens of thousands). Allocations are lists of (node, cores, gpus) pieces kept
 * in a pool with power-of-two size classes: no malloc per job once the pool has grown. */
#ifndef JZ_RESOURCES_H
#define JZ_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

typedef struct jz_request {
  int32_t cores; /* cores wanted when nodes == 0 */
  int32_t nodes; /* > 0: that many whole nodes */
} jz_request_t;

typedef struct jz_piece {
  int32_t node;  /* node index inside the partition */
  int32_t cores; /* cores taken on that node */
} jz_piece_t;

typedef struct jz_alloc {
  uint32_t off; /* first piece in the pool */
  uint32_t n;   /* number of pieces */
} jz_alloc_t;

typedef struct jz_part_res {
  int32_t nodes, cores_per_node;
  int32_t *free_cores;   /* per node */
  int32_t *tree;         /* max-segment tree over free_cores, 2*size entries */
  int32_t size;          /* leaves (power of two >= nodes) */
  int64_t free_total;    /* free cores in the partition */
  int64_t total_cores;
  int32_t free_nodes;    /* completely free nodes */
} jz_part_res_t;

typedef struct jz_resources {
  jz_part_res_t *parts;
  int n_parts;
  jz_piece_t *pool;
  uint32_t pool_n, pool_cap;
  uint32_t free_class[32]; /* free block lists per size class, UINT32_MAX = empty */
} jz_resources_t;

int jz_resources_init(jz_resources_t *r, const jz_platform_t *p); /* 0 or -JZ_ENOMEM */
void jz_resources_free(jz_resources_t *r);

/* Cores a request occupies (nodes x cores_per_node for whole-node requests). */
int64_t jz_resources_request_cores(const jz_resources_t *r, int part, const jz_request_t *q);
/* Could the request ever run on an empty partition? */
bool jz_resources_possible(const jz_resources_t *r, int part, const jz_request_t *q);
/* Does it fit in what is free now? O(1). */
bool jz_resources_fits(const jz_resources_t *r, int part, const jz_request_t *q);
/* Take resources; -JZ_EINTERNAL if the request does not fit now, -JZ_ENOMEM. */
int jz_resources_alloc(jz_resources_t *r, int part, const jz_request_t *q, jz_alloc_t *out);
void jz_resources_release(jz_resources_t *r, int part, jz_alloc_t *a);
static inline const jz_piece_t *jz_resources_pieces(const jz_resources_t *r, const jz_alloc_t *a) {
  return r->pool + a->off;
}

#endif
