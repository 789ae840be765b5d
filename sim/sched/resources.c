/* resources.c: per-partition node/core/GPU accounting with threshold bitmaps, and the pool. */
#include "sched/resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define POOL_NONE UINT32_MAX

/* Zones of partition `part`: shared pool first, then the reservations from the lowest node up
 * (the first reservation of the file holds the topmost nodes). */
static int make_zones(jz_part_res_t *p, const jz_platform_t *pf, int part, bool with_resv,
                      int *resv_zone) {
  int32_t top = p->nodes;
  int idx[JZ_MAX_ZONES];
  int n = 0;
  for (int k = 0; with_resv && k < pf->n_reservations; k++) {
    if (pf->reservations[k].partition != part) continue;
    if (n + 1 >= JZ_MAX_ZONES || pf->reservations[k].nodes > top) return -JZ_ERANGE;
    top -= pf->reservations[k].nodes;
    idx[n++] = k;
  }
  p->n_zones = n + 1;
  p->zones[0] = (jz_zone_t){.lo = 0, .hi = top};
  /* idx[n-1] holds the lowest range: it becomes zone 1, and so on upwards. */
  int32_t lo = top;
  for (int z = 1; z <= n; z++) {
    int k = idx[n - z];
    p->zones[z] = (jz_zone_t){.lo = lo, .hi = lo + pf->reservations[k].nodes};
    lo = p->zones[z].hi;
    if (resv_zone) resv_zone[k] = z;
  }
  p->core_hist = calloc((size_t)p->n_zones * (size_t)(p->cores_per_node + 1), sizeof *p->core_hist);
  if (!p->core_hist) return -JZ_ENOMEM;
  for (int z = 0; z < p->n_zones; z++) {
    jz_zone_t *zn = &p->zones[z];
    for (int32_t i = zn->lo; i < zn->hi; i++) p->zone_of[i] = (uint8_t)z;
    zn->free_nodes = zn->hi - zn->lo;
    zn->free_cores = (int64_t)zn->free_nodes * p->cores_per_node;
    zn->free_gpus = (int64_t)zn->free_nodes * p->gpus_per_node;
    p->core_hist[z * (p->cores_per_node + 1) + p->cores_per_node] = zn->free_nodes;
  }
  return 0;
}

/* Nodes of zone z with c free cores. */
static inline int32_t *hist_at(const jz_part_res_t *p, int z, int32_t c) {
  return &p->core_hist[z * (p->cores_per_node + 1) + c];
}

int jz_resources_init(jz_resources_t *r, const jz_platform_t *pf, bool with_reservations,
                      int *resv_zone) {
  memset(r, 0, sizeof *r);
  for (int c = 0; c < 32; c++) r->free_class[c] = POOL_NONE;
  r->parts = calloc((size_t)pf->n_partitions, sizeof *r->parts);
  if (!r->parts) return -JZ_ENOMEM;
  r->n_parts = pf->n_partitions;
  for (int i = 0; i < pf->n_partitions; i++) {
    jz_part_res_t *p = &r->parts[i];
    const jz_node_type_t *nt = &pf->node_types[pf->partitions[i].node_type];
    p->nodes = pf->partitions[i].nodes;
    p->cores_per_node = nt->cores;
    p->gpus_per_node = nt->gpus;
    if (nt->cores > INT16_MAX || nt->gpus > JZ_MAX_GPUS_PER_NODE) return -JZ_ERANGE;
    p->free_cores = malloc((size_t)p->nodes * sizeof *p->free_cores);
    p->free_gpus = malloc((size_t)p->nodes * sizeof *p->free_gpus);
    p->zone_of = malloc((size_t)p->nodes * sizeof *p->zone_of);
    if (!p->free_cores || !p->free_gpus || !p->zone_of) return -JZ_ENOMEM;
    for (int32_t n = 0; n < p->nodes; n++) {
      p->free_cores[n] = (int16_t)p->cores_per_node;
      p->free_gpus[n] = (int8_t)p->gpus_per_node;
    }
    if (jz_bitset_init(&p->has_core, p->nodes, true) || jz_bitset_init(&p->idle, p->nodes, true))
      return -JZ_ENOMEM;
    for (int g = 1; g <= p->gpus_per_node; g++)
      if (jz_bitset_init(&p->gpu_ge[g], p->nodes, true)) return -JZ_ENOMEM;
    p->total_cores = (int64_t)p->nodes * p->cores_per_node;
    p->free_total = p->total_cores;
    p->total_gpus = (int64_t)p->nodes * p->gpus_per_node;
    p->free_gpus_total = p->total_gpus;
    p->free_nodes = p->nodes;
    int rc = make_zones(p, pf, i, with_reservations, resv_zone);
    if (rc) return rc;
  }
  return 0;
}

void jz_resources_free(jz_resources_t *r) {
  for (int i = 0; i < r->n_parts; i++) {
    jz_part_res_t *p = &r->parts[i];
    free(p->free_cores);
    free(p->free_gpus);
    free(p->zone_of);
    free(p->core_hist);
    jz_bitset_free(&p->has_core);
    jz_bitset_free(&p->idle);
    for (int g = 1; g <= JZ_MAX_GPUS_PER_NODE; g++) jz_bitset_free(&p->gpu_ge[g]);
  }
  free(r->parts);
  free(r->pool);
  jz_pieces_free(&r->scratch);
  memset(r, 0, sizeof *r);
}

int64_t jz_resources_request_cores(const jz_resources_t *r, int part, const jz_request_t *q) {
  return q->nodes > 0 ? (int64_t)q->nodes * r->parts[part].cores_per_node : q->cores;
}

int64_t jz_resources_request_gpus(const jz_resources_t *r, int part, const jz_request_t *q) {
  return q->nodes > 0 ? (int64_t)q->nodes * r->parts[part].gpus_per_node : q->gpus;
}

bool jz_resources_possible(const jz_resources_t *r, int part, const jz_request_t *q) {
  const jz_part_res_t *p = &r->parts[part];
  if (q->nodes > 0) return q->nodes <= p->nodes;
  if (q->gpus > 0) return q->gpus <= p->gpus_per_node && q->cores <= p->cores_per_node;
  if (jz_request_spread_limited(q) && (int64_t)q->max_nodes * p->cores_per_node < q->cores)
    return false;
  return q->cores <= p->total_cores;
}

/* Zones of a mask, in node order. */
#define FOR_ZONES(p, zones, z)                        \
  for (int z = 0; z < (p)->n_zones; z++)              \
    if (((zones) >> z) & 1u)

int64_t jz_resources_free_cores(const jz_resources_t *r, int part, uint64_t zones) {
  const jz_part_res_t *p = &r->parts[part];
  if (p->n_zones == 1) return (zones & 1u) ? p->free_total : 0;
  int64_t sum = 0;
  FOR_ZONES(p, zones, z) sum += p->zones[z].free_cores;
  return sum;
}

int64_t jz_resources_free_gpus(const jz_resources_t *r, int part, uint64_t zones) {
  const jz_part_res_t *p = &r->parts[part];
  int64_t sum = 0;
  FOR_ZONES(p, zones, z) sum += p->zones[z].free_gpus;
  return sum;
}

static int32_t free_nodes_in(const jz_part_res_t *p, uint64_t zones) {
  if (p->n_zones == 1) return (zones & 1u) ? p->free_nodes : 0;
  int32_t sum = 0;
  FOR_ZONES(p, zones, z) sum += p->zones[z].free_nodes;
  return sum;
}

int64_t jz_resources_best_cores(const int32_t *hist, int32_t cpn, int32_t k) {
  int64_t sum = 0;
  for (int32_t c = cpn; c > 0 && k > 0; c--) {
    int32_t take = hist[c] < k ? hist[c] : k;
    sum += (int64_t)take * c;
    k -= take;
  }
  return sum;
}

/* Nodes of the zones of a mask with c free cores. */
static int64_t hist_count(const jz_part_res_t *p, uint64_t zones, int32_t c) {
  int64_t n = 0;
  FOR_ZONES(p, zones, z) n += *hist_at(p, z, c);
  return n;
}

/* The fewest nodes that hold `cores` cores in the zones (taking nodes with the most free cores
 * first): every node with more than `*level` free cores, and `*at_level` nodes with exactly
 * `*level`. Returns that node count, or INT64_MAX if the zones do not hold the cores.
 * O(cpn x zones). */
static int64_t fewest_nodes(const jz_part_res_t *p, uint64_t zones, int64_t cores, int32_t *level,
                            int64_t *at_level) {
  int64_t nodes = 0;
  for (int32_t c = p->cores_per_node; c > 0; c--) {
    int64_t cnt = hist_count(p, zones, c);
    if (cnt * c >= cores) {
      *level = c;
      *at_level = (cores + c - 1) / c;
      return nodes + *at_level;
    }
    cores -= cnt * c;
    nodes += cnt;
  }
  return INT64_MAX;
}

/* Lowest node of the zones with >= g free GPUs and >= c free cores; -1 if none. */
static int32_t find_share(const jz_part_res_t *p, uint64_t zones, int32_t g, int32_t c) {
  FOR_ZONES(p, zones, z) {
    const jz_zone_t *zn = &p->zones[z];
    if (zn->free_gpus < g || zn->free_cores < c) continue;
    for (int32_t n = jz_bitset_next(&p->gpu_ge[g], zn->lo, zn->hi); n >= 0;
         n = jz_bitset_next(&p->gpu_ge[g], n + 1, zn->hi))
      if (p->free_cores[n] >= c) return n;
  }
  return -1;
}

bool jz_resources_fits(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones) {
  const jz_part_res_t *p = &r->parts[part];
  if (q->nodes > 0) return q->nodes <= free_nodes_in(p, zones);
  if (q->gpus > 0)
    return q->gpus <= p->gpus_per_node && q->gpus <= p->free_gpus_total &&
           q->cores <= p->free_total && find_share(p, zones, q->gpus, q->cores) >= 0;
  if (q->cores > jz_resources_free_cores(r, part, zones)) return false;
  if (!jz_request_spread_limited(q)) return true;
  int64_t whole = (q->cores + p->cores_per_node - 1) / p->cores_per_node;
  if (whole <= q->max_nodes && free_nodes_in(p, zones) >= whole) return true; /* idle nodes */
  int32_t level;
  int64_t at_level;
  return fewest_nodes(p, zones, q->cores, &level, &at_level) <= q->max_nodes;
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

/* Change a node's free cores and GPUs by (dc, dg), keeping counters and bitmaps in step. */
static void node_add(jz_part_res_t *p, int32_t n, int32_t dc, int32_t dg) {
  int32_t c0 = p->free_cores[n], g0 = p->free_gpus[n];
  int32_t c1 = c0 + dc, g1 = g0 + dg;
  bool idle0 = c0 == p->cores_per_node && g0 == p->gpus_per_node;
  bool idle1 = c1 == p->cores_per_node && g1 == p->gpus_per_node;
  jz_zone_t *zn = &p->zones[p->zone_of[n]];
  (*hist_at(p, p->zone_of[n], c0))--;
  (*hist_at(p, p->zone_of[n], c1))++;
  p->free_cores[n] = (int16_t)c1;
  p->free_gpus[n] = (int8_t)g1;
  p->free_total += dc;
  p->free_gpus_total += dg;
  zn->free_cores += dc;
  zn->free_gpus += dg;
  if ((c0 > 0) != (c1 > 0)) {
    if (c1 > 0) jz_bitset_set(&p->has_core, n); else jz_bitset_clear(&p->has_core, n);
  }
  if (idle0 != idle1) {
    if (idle1) jz_bitset_set(&p->idle, n); else jz_bitset_clear(&p->idle, n);
    p->free_nodes += idle1 ? 1 : -1;
    zn->free_nodes += idle1 ? 1 : -1;
  }
  for (int32_t g = g0 + 1; g <= g1; g++) jz_bitset_set(&p->gpu_ge[g], n);
  for (int32_t g = g1 + 1; g <= g0; g++) jz_bitset_clear(&p->gpu_ge[g], n);
}

/* Whole nodes [a, e) change hands: bitmaps a word at a time, counters once. */
static void run_take(jz_part_res_t *p, int32_t a, int32_t e) {
  for (int32_t n = a; n < e; n++) {
    p->free_cores[n] = 0;
    p->free_gpus[n] = 0;
  }
  jz_bitset_clear_range(&p->has_core, a, e);
  jz_bitset_clear_range(&p->idle, a, e);
  for (int g = 1; g <= p->gpus_per_node; g++) jz_bitset_clear_range(&p->gpu_ge[g], a, e);
  p->free_total -= (int64_t)(e - a) * p->cores_per_node;
  p->free_gpus_total -= (int64_t)(e - a) * p->gpus_per_node;
  p->free_nodes -= e - a;
  jz_zone_t *zn = &p->zones[p->zone_of[a]]; /* runs never cross a zone boundary */
  *hist_at(p, p->zone_of[a], p->cores_per_node) -= e - a;
  *hist_at(p, p->zone_of[a], 0) += e - a;
  zn->free_cores -= (int64_t)(e - a) * p->cores_per_node;
  zn->free_gpus -= (int64_t)(e - a) * p->gpus_per_node;
  zn->free_nodes -= e - a;
}

static void run_give(jz_part_res_t *p, int32_t a, int32_t e) {
  for (int32_t n = a; n < e; n++) {
    p->free_cores[n] = (int16_t)p->cores_per_node;
    p->free_gpus[n] = (int8_t)p->gpus_per_node;
  }
  jz_bitset_set_range(&p->has_core, a, e);
  jz_bitset_set_range(&p->idle, a, e);
  for (int g = 1; g <= p->gpus_per_node; g++) jz_bitset_set_range(&p->gpu_ge[g], a, e);
  p->free_total += (int64_t)(e - a) * p->cores_per_node;
  p->free_gpus_total += (int64_t)(e - a) * p->gpus_per_node;
  p->free_nodes += e - a;
  jz_zone_t *zn = &p->zones[p->zone_of[a]];
  *hist_at(p, p->zone_of[a], 0) -= e - a;
  *hist_at(p, p->zone_of[a], p->cores_per_node) += e - a;
  zn->free_cores += (int64_t)(e - a) * p->cores_per_node;
  zn->free_gpus += (int64_t)(e - a) * p->gpus_per_node;
  zn->free_nodes += e - a;
}

static int push_piece(jz_pieces_t *ps, jz_piece_t pc) {
  if (ps->n == ps->cap) {
    uint32_t cap = ps->cap ? ps->cap * 2 : 256;
    jz_piece_t *v = realloc(ps->v, (size_t)cap * sizeof *v);
    if (!v) return -JZ_ENOMEM;
    ps->v = v;
    ps->cap = cap;
  }
  ps->v[ps->n++] = pc;
  return 0;
}

void jz_pieces_free(jz_pieces_t *ps) {
  free(ps->v);
  ps->v = NULL;
  ps->n = ps->cap = 0;
}

/* Whole nodes: the lowest-numbered idle nodes, in runs. */
static int plan_nodes(const jz_part_res_t *p, const jz_request_t *q, uint64_t zones,
                      jz_pieces_t *out) {
  const int16_t cpn = (int16_t)p->cores_per_node, gpn = (int16_t)p->gpus_per_node;
  int32_t left = q->nodes;
  int rc = 0;
  FOR_ZONES(p, zones, z) {
    const jz_zone_t *zn = &p->zones[z];
    for (int32_t n = zn->lo; left > 0 && rc == 0;) {
      n = jz_bitset_next(&p->idle, n, zn->hi);
      if (n < 0) break;
      int32_t e = jz_bitset_next_zero(&p->idle, n, zn->hi);
      if (e - n > left) e = n + left;
      rc = push_piece(out, (jz_piece_t){n, e - n, cpn, gpn});
      left -= e - n;
      n = e;
    }
  }
  return rc;
}

/* Cores, lowest-numbered nodes with free cores first; runs of idle nodes go whole when the job
 * still needs at least a node's worth (only on CPU partitions: elsewhere the GPUs of a node
 * whose cores are all taken stay free, so the node is not whole). Stops once the pieces span
 * more than max_nodes nodes (the caller then places the job on the fewest nodes). */
static int plan_cores_lowest(const jz_part_res_t *p, const jz_request_t *q, uint64_t zones,
                             uint32_t max_nodes, jz_pieces_t *out, uint32_t *nodes) {
  const int16_t cpn = (int16_t)p->cores_per_node, gpn = (int16_t)p->gpus_per_node;
  int32_t left = q->cores;
  int rc = 0;
  FOR_ZONES(p, zones, z) {
    const jz_zone_t *zn = &p->zones[z];
    for (int32_t n = zn->lo; left > 0 && rc == 0 && *nodes <= max_nodes;) {
      n = jz_bitset_next(&p->has_core, n, zn->hi);
      if (n < 0) break;
      if (gpn == 0 && left >= cpn && jz_bitset_get(&p->idle, n)) {
        int32_t e = jz_bitset_next_zero(&p->idle, n, zn->hi);
        if (e - n > left / cpn) e = n + left / cpn;
        rc = push_piece(out, (jz_piece_t){n, e - n, cpn, 0});
        left -= (e - n) * cpn;
        *nodes += (uint32_t)(e - n);
        n = e;
      } else {
        int32_t t = p->free_cores[n] < left ? p->free_cores[n] : left;
        rc = push_piece(out, (jz_piece_t){n, 1, (int16_t)t, 0});
        left -= t;
        (*nodes)++;
        n++;
      }
    }
  }
  return rc;
}

/* Append c cores of node n, merging whole CPU nodes next to each other into one run (a run
 * never crosses a zone boundary: run_take counts it in its first node's zone). */
static int push_cores(jz_pieces_t *out, const jz_part_res_t *p, int32_t n, int32_t c) {
  if (p->gpus_per_node == 0 && c == p->cores_per_node && out->n > 0) {
    jz_piece_t *last = &out->v[out->n - 1];
    if (last->cores == c && last->node + last->count == n && p->zone_of[last->node] == p->zone_of[n]) {
      last->count++;
      return 0;
    }
  }
  return push_piece(out, (jz_piece_t){n, 1, (int16_t)c, 0});
}

/* Cores on the fewest nodes (a node-limited request the lowest-numbered placement spreads too
 * far): every node with more free cores than the level fewest_nodes finds, then the
 * lowest-numbered nodes at that level, the last of them partly. Visits the nodes with free
 * cores in node order up to the last one taken: O(nodes) at worst, paid only by a node-limited
 * job at its start. */
static int plan_cores_fewest(const jz_part_res_t *p, const jz_request_t *q, uint64_t zones,
                             jz_pieces_t *out, uint32_t *nodes) {
  int32_t level = 0;
  int64_t at_level = 0, rest = q->cores;
  int64_t m = fewest_nodes(p, zones, q->cores, &level, &at_level);
  for (int32_t c = p->cores_per_node; c > level; c--) rest -= hist_count(p, zones, c) * c;
  int64_t taken = 0;
  int rc = 0;
  FOR_ZONES(p, zones, z) {
    const jz_zone_t *zn = &p->zones[z];
    for (int32_t n = zn->lo; taken < m && rc == 0; n++) {
      n = jz_bitset_next(&p->has_core, n, zn->hi);
      if (n < 0) break;
      int32_t f = p->free_cores[n];
      if (f < level || (f == level && at_level == 0)) continue;
      int32_t c = f;
      if (f == level) {
        c = at_level == 1 ? (int32_t)rest : level;
        rest -= c;
        at_level--;
      }
      rc = push_cores(out, p, n, c);
      taken++;
    }
  }
  *nodes = (uint32_t)taken;
  return rc;
}

int jz_resources_plan(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                      jz_pieces_t *out, uint32_t *nodes_out) {
  const jz_part_res_t *p = &r->parts[part];
  out->n = 0;
  if (!jz_resources_fits(r, part, q, zones)) return -JZ_EINTERNAL;
  uint32_t nodes = 0;
  int rc = 0;
  if (q->nodes > 0) {
    rc = plan_nodes(p, q, zones, out);
    nodes = (uint32_t)q->nodes;
  } else if (q->gpus > 0) {
    int32_t n = find_share(p, zones, q->gpus, q->cores);
    rc = push_piece(out, (jz_piece_t){n, 1, (int16_t)q->cores, (int16_t)q->gpus});
    nodes = 1;
  } else {
    bool limited = jz_request_spread_limited(q);
    rc = plan_cores_lowest(p, q, zones, limited ? (uint32_t)q->max_nodes : UINT32_MAX, out, &nodes);
    if (rc == 0 && limited && nodes > (uint32_t)q->max_nodes) {
      out->n = 0;
      rc = plan_cores_fewest(p, q, zones, out, &nodes);
    }
  }
  if (nodes_out) *nodes_out = nodes;
  return rc;
}

/* Take the pieces in r->scratch (a plan of `nodes` nodes) and record them in the pool. */
static int take_scratch(jz_resources_t *r, int part, uint32_t nodes, jz_alloc_t *out) {
  jz_part_res_t *p = &r->parts[part];
  uint32_t off = 0;
  const jz_piece_t *pc = r->scratch.v;
  uint32_t k = r->scratch.n;
  for (uint32_t i = 0; i < k; i++) {
    if (pc[i].count > 1)
      run_take(p, pc[i].node, pc[i].node + pc[i].count);
    else
      node_add(p, pc[i].node, -pc[i].cores, -pc[i].gpus);
  }
  int rc = pool_get(r, k, &off);
  if (rc) return rc; /* out of memory: the run is lost anyway */
  memcpy(r->pool + off, pc, (size_t)k * sizeof *pc);
  out->off = off;
  out->n = k;
  out->nodes = nodes;
  return 0;
}

int jz_resources_alloc(jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                       jz_alloc_t *out) {
  uint32_t nodes = 0;
  int rc = jz_resources_plan(r, part, q, zones, &r->scratch, &nodes);
  if (rc) return rc;
  return take_scratch(r, part, nodes, out);
}

/* jz_resources_plan_on, and with `cores` (a cores request) exactly cores[i] on nodes[i]. */
static int plan_list(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                     const int32_t *nodes, const int32_t *cores, uint32_t n, jz_pieces_t *out,
                     char *why, size_t len) {
  const jz_part_res_t *p = &r->parts[part];
  out->n = 0;
  if (n == 0) return snprintf(why, len, "an empty node list"), -JZ_EINVAL;
  for (uint32_t i = 0; i < n; i++) {
    int32_t v = nodes[i];
    if (v < 0 || v >= p->nodes)
      return snprintf(why, len, "unknown node %d (its partition has nodes 0-%d)", (int)v, (int)p->nodes - 1),
             -JZ_EINVAL;
    if (i > 0 && v == nodes[i - 1]) return snprintf(why, len, "node %d listed twice", (int)v), -JZ_EINVAL;
    if (!((zones >> p->zone_of[v]) & 1u))
      return snprintf(why, len, "node %d belongs to a dedicated allocation the job may not use now", (int)v),
             -JZ_EINVAL;
  }
  int rc = 0;
  if (q->nodes > 0) {
    if ((int32_t)n != q->nodes)
      return snprintf(why, len, "%u nodes listed, the job asks for %d whole nodes", n, (int)q->nodes), -JZ_EINVAL;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
      int32_t v = nodes[i];
      if (p->free_cores[v] != p->cores_per_node || p->free_gpus[v] != p->gpus_per_node)
        return snprintf(why, len, "node %d is not free (whole nodes asked)", (int)v), -JZ_EINVAL;
      rc = push_piece(out, (jz_piece_t){v, 1, (int16_t)p->cores_per_node, (int16_t)p->gpus_per_node});
    }
    return rc;
  }
  if (q->gpus > 0) {
    if (n != 1) return snprintf(why, len, "%u nodes listed, a one-node GPU share takes 1", n), -JZ_EINVAL;
    int32_t v = nodes[0];
    if (p->free_gpus[v] < q->gpus || p->free_cores[v] < q->cores)
      return snprintf(why, len, "node %d has %d free GPUs and %d free cores, the job needs %d and %d", (int)v,
                      (int)p->free_gpus[v], (int)p->free_cores[v], (int)q->gpus, (int)q->cores),
             -JZ_EINVAL;
    return push_piece(out, (jz_piece_t){v, 1, (int16_t)q->cores, (int16_t)q->gpus});
  }
  if (jz_request_spread_limited(q) && (int32_t)n > q->max_nodes)
    return snprintf(why, len, "%u nodes listed, its queue allows at most %d", n, (int)q->max_nodes), -JZ_EINVAL;
  int32_t left = q->cores;
  for (uint32_t i = 0; i < n && rc == 0; i++) {
    int32_t v = nodes[i], f = p->free_cores[v];
    if (left == 0)
      return snprintf(why, len, "%u nodes listed, the first %u hold its %d cores", n, i, (int)q->cores), -JZ_EINVAL;
    if (f == 0) return snprintf(why, len, "node %d has no free core", (int)v), -JZ_EINVAL;
    int32_t c = f < left ? f : left;
    if (cores) {
      if (cores[i] <= 0 || cores[i] > f || cores[i] > left)
        return snprintf(why, len, "node %d has %d free cores, %d asked there (%d left to place)", (int)v,
                        (int)f, (int)cores[i], (int)left),
               -JZ_EINVAL;
      c = cores[i];
    }
    rc = push_cores(out, p, v, c);
    left -= c;
  }
  if (rc == 0 && left > 0)
    return snprintf(why, len, "the %u nodes listed have %d free cores, the job needs %d", n,
                    (int)(q->cores - left), (int)q->cores),
           -JZ_EINVAL;
  return rc;
}

int jz_resources_plan_on(const jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                         const int32_t *nodes, uint32_t n, jz_pieces_t *out, char *why, size_t len) {
  return plan_list(r, part, q, zones, nodes, NULL, n, out, why, len);
}

int jz_resources_alloc_on(jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                          const int32_t *nodes, uint32_t n, jz_alloc_t *out, char *why, size_t len) {
  return jz_resources_alloc_cores_on(r, part, q, zones, nodes, NULL, n, out, why, len);
}

int jz_resources_alloc_cores_on(jz_resources_t *r, int part, const jz_request_t *q, uint64_t zones,
                                const int32_t *nodes, const int32_t *cores, uint32_t n,
                                jz_alloc_t *out, char *why, size_t len) {
  if (cores && (q->nodes > 0 || q->gpus > 0))
    return snprintf(why, len, "cores per node given for a request that is not per core"), -JZ_EINVAL;
  int rc = plan_list(r, part, q, zones, nodes, cores, n, &r->scratch, why, len);
  if (rc) return rc;
  return take_scratch(r, part, n, out);
}

void jz_resources_release(jz_resources_t *r, int part, jz_alloc_t *a) {
  jz_part_res_t *p = &r->parts[part];
  jz_piece_t *pc = r->pool + a->off;
  for (uint32_t k = 0; k < a->n; k++) {
    if (pc[k].count > 1)
      run_give(p, pc[k].node, pc[k].node + pc[k].count);
    else
      node_add(p, pc[k].node, pc[k].cores, pc[k].gpus);
  }
  unsigned c = size_class(a->n);
  pc[0].node = (int32_t)r->free_class[c];
  r->free_class[c] = a->off;
  a->n = 0;
}

uint64_t jz_resources_alloc_zones(const jz_resources_t *r, int part, const jz_alloc_t *a) {
  const jz_part_res_t *p = &r->parts[part];
  if (p->n_zones == 1) return 1;
  uint64_t m = 0;
  const jz_piece_t *pc = r->pool + a->off;
  for (uint32_t k = 0; k < a->n; k++) m |= UINT64_C(1) << p->zone_of[pc[k].node];
  return m;
}
