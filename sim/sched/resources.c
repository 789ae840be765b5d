/* resources.c: per-partition core accounting with a max-segment tree, and the piece pool. */
#include "sched/resources.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define POOL_NONE UINT32_MAX

static void tree_set(jz_part_res_t *p, int32_t node, int32_t v) {
  uint32_t i = (uint32_t)(p->size + node);
  p->tree[i] = v;
  for (i /= 2; i >= 1; i /= 2) {
    int32_t l = p->tree[2 * i], rr = p->tree[2 * i + 1];
    int32_t m = l > rr ? l : rr;
    if (p->tree[i] == m) break; /* ancestors unchanged */
    p->tree[i] = m;
  }
}

/* First node >= from whose free cores are >= k, or -1. */
static int32_t tree_find(const jz_part_res_t *p, int32_t from, int32_t k) {
  if (from >= p->nodes) return -1;
  /* Climb from the leaf `from` to find the first subtree to its right (inclusive) holding a
   * value >= k, then descend to its leftmost such leaf. */
  uint32_t i = (uint32_t)(p->size + from);
  if (p->tree[i] >= k) return from;
  for (;;) {
    /* Move to the next subtree on the right at this level. */
    while (i & 1) { /* right child: go up until we are a left child */
      i /= 2;
      if (i == 0) return -1;
    }
    i++; /* sibling to the right */
    if (p->tree[i] >= k) break;
  }
  while (i < (uint32_t)p->size) {
    i = 2 * i;
    if (p->tree[i] < k) i++;
  }
  int32_t node = (int32_t)(i - (uint32_t)p->size);
  return node < p->nodes ? node : -1;
}

int jz_resources_init(jz_resources_t *r, const jz_platform_t *pf) {
  memset(r, 0, sizeof *r);
  for (int c = 0; c < 32; c++) r->free_class[c] = POOL_NONE;
  r->parts = calloc((size_t)pf->n_partitions, sizeof *r->parts);
  if (!r->parts) return -JZ_ENOMEM;
  r->n_parts = pf->n_partitions;
  for (int i = 0; i < pf->n_partitions; i++) {
    jz_part_res_t *p = &r->parts[i];
    p->nodes = pf->partitions[i].nodes;
    p->cores_per_node = pf->node_types[pf->partitions[i].node_type].cores;
    p->size = 1;
    while (p->size < p->nodes) p->size *= 2;
    p->free_cores = malloc((size_t)p->nodes * sizeof *p->free_cores);
    p->tree = malloc((size_t)p->size * 2 * sizeof *p->tree);
    if (!p->free_cores || !p->tree) return -JZ_ENOMEM;
    for (int32_t n = 0; n < p->size; n++) p->tree[p->size + n] = n < p->nodes ? p->cores_per_node : -1;
    for (int32_t n = 0; n < p->nodes; n++) p->free_cores[n] = p->cores_per_node;
    for (int32_t n = p->size - 1; n >= 1; n--) {
      int32_t l = p->tree[2 * n], rr = p->tree[2 * n + 1];
      p->tree[n] = l > rr ? l : rr;
    }
    p->tree[0] = 0;
    p->total_cores = (int64_t)p->nodes * p->cores_per_node;
    p->free_total = p->total_cores;
    p->free_nodes = p->nodes;
  }
  return 0;
}

void jz_resources_free(jz_resources_t *r) {
  for (int i = 0; i < r->n_parts; i++) {
    free(r->parts[i].free_cores);
    free(r->parts[i].tree);
  }
  free(r->parts);
  free(r->pool);
  memset(r, 0, sizeof *r);
}

int64_t jz_resources_request_cores(const jz_resources_t *r, int part, const jz_request_t *q) {
  return q->nodes > 0 ? (int64_t)q->nodes * r->parts[part].cores_per_node : q->cores;
}

bool jz_resources_possible(const jz_resources_t *r, int part, const jz_request_t *q) {
  const jz_part_res_t *p = &r->parts[part];
  return q->nodes > 0 ? q->nodes <= p->nodes : q->cores <= p->total_cores;
}

bool jz_resources_fits(const jz_resources_t *r, int part, const jz_request_t *q) {
  const jz_part_res_t *p = &r->parts[part];
  return q->nodes > 0 ? q->nodes <= p->free_nodes : q->cores <= p->free_total;
}

static unsigned size_class(uint32_t n) {
  unsigned c = 0;
  while ((1u << c) < n) c++;
  return c;
}

static int pool_get(jz_resources_t *r, uint32_t n, uint32_t *off) {
  unsigned c = size_class(n);
  if (r->free_class[c] != POOL_NONE) {
    *off = r->free_class[c];
    r->free_class[c] = (uint32_t)r->pool[*off].node; /* next link stored in the first piece */
    return 0;
  }
  uint32_t need = r->pool_n + (1u << c);
  if (need > r->pool_cap) {
    uint32_t cap = r->pool_cap ? r->pool_cap : 1024;
    while (cap < need) cap *= 2;
    jz_piece_t *pool = realloc(r->pool, (size_t)cap * sizeof *pool);
    if (!pool) return -JZ_ENOMEM;
    r->pool = pool;
    r->pool_cap = cap;
  }
  *off = r->pool_n;
  r->pool_n = need;
  return 0;
}

static void take(jz_part_res_t *p, int32_t node, int32_t cores) {
  if (p->free_cores[node] == p->cores_per_node) p->free_nodes--;
  p->free_cores[node] -= cores;
  p->free_total -= cores;
  tree_set(p, node, p->free_cores[node]);
}

int jz_resources_alloc(jz_resources_t *r, int part, const jz_request_t *q, jz_alloc_t *out) {
  jz_part_res_t *p = &r->parts[part];
  if (!jz_resources_fits(r, part, q)) return -JZ_EINTERNAL;
  /* Count the pieces first so the pool block is sized exactly once. */
  uint32_t npieces;
  if (q->nodes > 0) {
    npieces = (uint32_t)q->nodes;
  } else {
    npieces = 0;
    int64_t left = q->cores;
    for (int32_t n = tree_find(p, 0, 1); left > 0; n = tree_find(p, n + 1, 1)) {
      left -= p->free_cores[n];
      npieces++;
    }
  }
  uint32_t off;
  int rc = pool_get(r, npieces, &off);
  if (rc) return rc;
  jz_piece_t *pc = r->pool + off;
  if (q->nodes > 0) {
    int32_t n = -1;
    for (uint32_t k = 0; k < npieces; k++) {
      n = tree_find(p, n + 1, p->cores_per_node);
      pc[k] = (jz_piece_t){n, p->cores_per_node};
      take(p, n, p->cores_per_node);
    }
  } else {
    int32_t left = q->cores, n = -1;
    for (uint32_t k = 0; k < npieces; k++) {
      n = tree_find(p, n + 1, 1);
      int32_t t = p->free_cores[n] < left ? p->free_cores[n] : left;
      pc[k] = (jz_piece_t){n, t};
      take(p, n, t);
      left -= t;
    }
  }
  out->off = off;
  out->n = npieces;
  return 0;
}

void jz_resources_release(jz_resources_t *r, int part, jz_alloc_t *a) {
  jz_part_res_t *p = &r->parts[part];
  jz_piece_t *pc = r->pool + a->off;
  for (uint32_t k = 0; k < a->n; k++) {
    int32_t node = pc[k].node;
    p->free_cores[node] += pc[k].cores;
    p->free_total += pc[k].cores;
    if (p->free_cores[node] == p->cores_per_node) p->free_nodes++;
    tree_set(p, node, p->free_cores[node]);
  }
  unsigned c = size_class(a->n);
  pc[0].node = (int32_t)r->free_class[c];
  r->free_class[c] = a->off;
  a->n = 0;
}
