/* saf.c: smallest-area-first backfilling, a complete policy plugin for jzsim.
 *
 * At each pass, in every partition where something could start, the waiting jobs that no
 * queue limit holds are sorted by area = cores x requested time (smallest first; ties in
 * queue order: queue priority, then submission), and each one starts at once if it fits.
 * No job ever holds a reservation, so a large job may wait as long as smaller ones keep
 * arriving: this is the classic trade-off of the policy, not a bug. Pools (dedicated
 * allocations) need no special care: jzsim_fits already counts only the nodes a job may use.
 *
 * Parameters (--policy-plugin ./libsaf.so:key=value,...):
 *   order=area|cores|requested  the sort key (default area)
 *   place=low|high              low: jzsim places jobs (lowest-numbered nodes first);
 *                               high: the plugin lists the highest-numbered nodes with free
 *                               cores (jzsim_start_on), for cores requests on one partition
 *                               (whole-node and GPU requests are placed by jzsim)
 *
 * Worked example (tests/plugins/expected/saf-low.txt), one partition of 2 nodes x 2 cores:
 * J1 4 cores 10 s at t=0; J2 2 cores 100 s at 1; J3 3 cores 20 s at 2; J4 1 core 50 s at 3;
 * J5 2 cores 10 s at 4 (requested = run times). J1 runs 0-10. At 10 the areas are J5 20,
 * J4 50, J3 60, J2 200: J5 and J4 start (3 cores), J3 and J2 do not fit. At 20 J5 ends: J3
 * (3 cores free) starts. At 40 J3 ends: J2 starts. FCFS would start J2 at 10 instead.
 *
 * Cost: a pass sorts the waiting jobs of the partitions that changed, O(W log W); a partition
 * with no release and no new job is skipped (nothing there can start: free resources only
 * shrank). Build: see README.md in this folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jzsim/policy.h>

typedef enum { ORDER_AREA, ORDER_CORES, ORDER_REQUESTED } order_t;

typedef struct cand {
  double key;
  uint32_t rank; /* position in queue order: the tie-break */
  jzsim_job_t job;
} cand_t;

typedef struct saf {
  order_t order;
  bool high;
  cand_t *c;
  size_t cap;
  int32_t *nodes;
  size_t ncap;
} saf_t;

static void saf_fini(void *state) {
  saf_t *s = state;
  if (!s) return;
  free(s->c);
  free(s->nodes);
  free(s);
}

static int saf_init(void **state, const jzsim_view_t *v, const jzsim_param_t *p, size_t n, char *err,
                    size_t errlen) {
  (void)v;
  saf_t *s = calloc(1, sizeof *s);
  if (!s) return snprintf(err, errlen, "out of memory"), -1;
  for (size_t i = 0; i < n; i++) {
    const char *k = p[i].key, *val = p[i].value;
    if (strcmp(k, "order") == 0 && strcmp(val, "area") == 0) s->order = ORDER_AREA;
    else if (strcmp(k, "order") == 0 && strcmp(val, "cores") == 0) s->order = ORDER_CORES;
    else if (strcmp(k, "order") == 0 && strcmp(val, "requested") == 0) s->order = ORDER_REQUESTED;
    else if (strcmp(k, "place") == 0 && strcmp(val, "low") == 0) s->high = false;
    else if (strcmp(k, "place") == 0 && strcmp(val, "high") == 0) s->high = true;
    else if (strcmp(k, "order") == 0 || strcmp(k, "place") == 0) {
      snprintf(err, errlen, "%s: bad value '%s' (%s)", k, val,
               k[0] == 'o' ? "area, cores or requested" : "low or high");
      saf_fini(s);
      return -1;
    } else {
      snprintf(err, errlen, "unknown parameter '%s' (parameters: order, place)", k);
      saf_fini(s);
      return -1;
    }
  }
  *state = s;
  return 0;
}

static int by_key(const void *a, const void *b) {
  const cand_t *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Start job j (a cores request) on high-numbered nodes that hold its cores. jzsim takes all
 * the free cores of each listed node in increasing order, the highest one giving the rest, so
 * a list where the nodes below the highest already hold the job is refused: take nodes from
 * the top until they hold it, then drop the highest while the others still do. */
static int start_high(saf_t *s, const jzsim_view_t *v, jzsim_decisions_t *d, jzsim_job_t j,
                      const jzsim_job_info_t *ji) {
  jzsim_partition_info_t pi;
  jzsim_partition(v, ji->partition, &pi);
  if ((size_t)pi.nodes > s->ncap) {
    int32_t *n = realloc(s->nodes, (size_t)pi.nodes * sizeof *n);
    if (!n) return -1;
    s->nodes = n;
    s->ncap = (size_t)pi.nodes;
  }
  uint32_t k = 0, first = 0; /* s->nodes[first .. k) in decreasing node order */
  int64_t sum = 0;
  for (int32_t node = pi.nodes - 1; node >= 0 && sum < ji->cores; node--) {
    int32_t f = jzsim_node_free_cores(v, ji->partition, node);
    if (f <= 0) continue;
    s->nodes[k++] = node;
    sum += f;
  }
  while (k - first > 1 && sum - jzsim_node_free_cores(v, ji->partition, s->nodes[first]) >= ji->cores)
    sum -= jzsim_node_free_cores(v, ji->partition, s->nodes[first++]);
  return jzsim_start_on(d, j, s->nodes + first, k - first); /* any order: jzsim sorts the list */
}

static int saf_schedule(void *state, const jzsim_view_t *v, jzsim_decisions_t *d) {
  saf_t *s = state;
  for (int part = 0; part < jzsim_n_partitions(v); part++) {
    if (!jzsim_released(v, part) && jzsim_first_new(v, part) == JZSIM_NONE) continue;
    size_t n = 0;
    uint32_t rank = 0;
    for (jzsim_job_t j = jzsim_first(v, part); j != JZSIM_NONE; j = jzsim_next(v, j), rank++) {
      if (jzsim_held(d, j)) continue;
      jzsim_job_info_t ji;
      jzsim_job(v, j, &ji);
      if (n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        cand_t *c = realloc(s->c, cap * sizeof *c);
        if (!c) return -1;
        s->c = c;
        s->cap = cap;
      }
      double key = s->order == ORDER_CORES       ? (double)ji.cores
                   : s->order == ORDER_REQUESTED ? ji.requested
                                                 : (double)ji.cores * ji.requested;
      s->c[n++] = (cand_t){key, rank, j};
    }
    qsort(s->c, n, sizeof *s->c, by_key);
    for (size_t i = 0; i < n; i++) {
      jzsim_job_t j = s->c[i].job;
      /* A start may have brought another candidate to its user's limit. */
      if (!jzsim_fits(v, j) || jzsim_would_hold(v, j)) continue;
      jzsim_job_info_t ji;
      jzsim_job(v, j, &ji);
      int rc = s->high && ji.nodes == 0 && ji.gpus == 0 && ji.max_nodes == 0 ? start_high(s, v, d, j, &ji)
                                                                           : jzsim_start(d, j);
      if (rc) return rc;
    }
  }
  return 0;
}

static const jzsim_policy_t saf = {
    .abi_version = JZSIM_POLICY_ABI_VERSION,
    .size = sizeof(jzsim_policy_t),
    .name = "saf",
    .summary = "smallest-area-first backfilling: start waiting jobs by cores x requested time whenever they fit",
    .init = saf_init,
    .schedule = saf_schedule,
    .fini = saf_fini,
};

JZSIM_POLICY_DEFINE(saf)
