/* nodespan.c: per-core requests spread over nodes, on node-by-node profiles (nodespan.h). */
#include "sched/nodespan.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "error.h"
#include "sched/resources.h"

typedef struct jz_spanpick {
  int32_t node, cores;
} jz_spanpick_t;

int jz_nodespan_init(jz_nodespan_t *sp, int32_t nodes, int32_t cpn) {
  size_t n = nodes > 0 ? (size_t)nodes : 1;
  sp->a = malloc(n * sizeof *sp->a);
  sp->hist = malloc(((size_t)(cpn > 0 ? cpn : 0) + 1) * sizeof *sp->hist);
  sp->pick = malloc(n * sizeof *sp->pick);
  return sp->a && sp->hist && sp->pick ? 0 : -JZ_ENOMEM;
}

void jz_nodespan_free(jz_nodespan_t *sp) {
  free(sp->a);
  free(sp->hist);
  free(sp->pick);
  *sp = (jz_nodespan_t){0};
}

/* The fewest cores free on node n all over [t, t + w): the largest u the node's profile holds
 * from t, by bisection on "u cores free over [t, t + w)" (a search that gives up past t). */
static int32_t node_cores(const jz_nodeplan_t *np, int32_t n, double w, double t) {
  const jz_avail_t *p = &np->cores[n];
  /* A full node (most of them, on a busy machine) and an idle one in one question each. */
  if (jz_avail_earliest_from(p, 1, w, t, t) != t) return 0;
  if (jz_avail_earliest_from(p, np->cpn, w, t, t) == t) return np->cpn;
  int32_t lo = 1, hi = np->cpn; /* lo holds, hi does not */
  while (hi - lo > 1) {
    int32_t mid = lo + (hi - lo) / 2;
    if (jz_avail_earliest_from(p, mid, w, t, t) == t)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

static int32_t span_nth(const jz_spanask_t *a, int32_t k) { return jz_node_order_nth(a->pref_lo, a->pref_hi, k); }

static int cmp_pick(const void *x, const void *y) {
  int32_t a = ((const jz_spanpick_t *)x)->node, b = ((const jz_spanpick_t *)y)->node;
  return (a > b) - (a < b);
}

/* Take from each node in search order whose a_n passes `keep` its cores (at most what is left)
 * into the picks; the cores still to place. */
static int64_t pick_pass(jz_nodespan_t *sp, const jz_nodeplan_t *np, const jz_spanask_t *a,
                         int32_t above, int32_t equal, int64_t left, int32_t *m) {
  for (int32_t k = 0; k < np->nodes && left > 0; k++) {
    int32_t v = span_nth(a, k), an = sp->a[v];
    if (an <= 0 || (above >= 0 && an <= above) || (equal >= 0 && an != equal)) continue;
    int32_t c = an < left ? an : (int32_t)left;
    sp->pick[(*m)++] = (jz_spanpick_t){v, c};
    left -= c;
  }
  return left;
}

double jz_nodespan_earliest(jz_nodespan_t *sp, const jz_nodeplan_t *np, const jz_spanask_t *a,
                            double now, int32_t *nodes, int32_t *cores, int32_t *n) {
  int32_t N = np->nodes, cpn = np->cpn;
  int32_t cap = a->max_nodes > 0 && a->max_nodes < N ? a->max_nodes : N;
  for (double T = now; T <= a->latest;) {
    if (a->total && (T = jz_avail_earliest_from(a->total, a->cores, a->w, T, a->latest)) == INFINITY) break;
    double next = INFINITY;
    int64_t sum = 0;
    int32_t used = 0, m = 0;
    bool lowest = false; /* the lowest-numbered placement holds it within the cap */
    for (int32_t k = 0; k < N && !lowest; k++) {
      int32_t v = span_nth(a, k), an = 0;
      double o = a->open(a->ctx, v, T);
      if (o > T) {
        if (o < next) next = o; /* closed to the job until then */
      } else {
        an = node_cores(np, v, a->w, T);
        if (an < cpn) { /* when it may give one core more */
          double bound = next < a->latest ? next : a->latest;
          double t = jz_avail_earliest_from(&np->cores[v], an + 1, a->w, T, bound);
          if (t < next) next = t;
        }
      }
      sp->a[v] = an;
      if (an > 0 && sum < a->cores) {
        sum += an;
        used++;
        lowest = sum >= a->cores && used <= cap;
      }
    }
    int64_t left = a->cores;
    if (lowest) {
      left = pick_pass(sp, np, a, -1, -1, left, &m);
    } else if (sum >= a->cores) {
      /* The lowest-numbered nodes that hold it are too many: the cap's nodes with the most
       * cores. Level L: the cap-th largest a_n; those above it, then those at it. */
      for (int32_t c = 0; c <= cpn; c++) sp->hist[c] = 0;
      for (int32_t v = 0; v < N; v++) sp->hist[sp->a[v]]++;
      if (jz_resources_best_cores(sp->hist, cpn, cap) >= a->cores) {
        int32_t L = cpn, above = 0;
        for (; L > 0 && above + sp->hist[L] < cap; L--) above += sp->hist[L];
        left = pick_pass(sp, np, a, L, -1, left, &m);
        left = pick_pass(sp, np, a, -1, L, left, &m);
      }
    }
    if (left == 0) {
      qsort(sp->pick, (size_t)m, sizeof *sp->pick, cmp_pick); /* increasing, to start on */
      for (int32_t i = 0; i < m; i++) {
        nodes[i] = sp->pick[i].node;
        cores[i] = sp->pick[i].cores;
      }
      *n = m;
      return T;
    }
    if (!(next > T)) return INFINITY; /* cannot happen: every candidate is later than T */
    T = next;
  }
  return INFINITY;
}
