/* nodeplan.c: node-by-node availability profiles and earliest slots (nodeplan.h). */
#include "sched/nodeplan.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

int jz_nodeplan_init(jz_nodeplan_t *np, int32_t nodes, int32_t cpn, int32_t gpn, double now) {
  *np = (jz_nodeplan_t){.nodes = nodes, .cpn = cpn, .gpn = gpn};
  size_t n = nodes > 0 ? (size_t)nodes : 1;
  np->cores = calloc(n, sizeof *np->cores);
  np->gpus = calloc(n, sizeof *np->gpus);
  np->e = malloc(n * sizeof *np->e);
  np->sorted = malloc(n * sizeof *np->sorted);
  if (!np->cores || !np->gpus || !np->e || !np->sorted) return -JZ_ENOMEM;
  for (int32_t i = 0; i < nodes; i++)
    if (jz_avail_init(&np->cores[i], cpn, now) || jz_avail_init(&np->gpus[i], gpn, now)) return -JZ_ENOMEM;
  return 0;
}

void jz_nodeplan_free(jz_nodeplan_t *np) {
  for (int32_t i = 0; i < np->nodes; i++) {
    if (np->cores) jz_avail_free(&np->cores[i]);
    if (np->gpus) jz_avail_free(&np->gpus[i]);
  }
  free(np->cores);
  free(np->gpus);
  free(np->e);
  free(np->sorted);
  *np = (jz_nodeplan_t){0};
}

/* The earliest t in [x, latest] at which the job may start on node n and finds its cores and
 * GPUs there over [t, t + w); INFINITY if none. */
static double node_from(jz_nodeplan_t *np, const jz_nodeask_t *a, int32_t n, double x, double now,
                        double latest) {
  (void)now; /* searched from x >= now: the past steps left in a profile are never looked at
                (they are dropped when a job is placed on the node) */
  for (;;) {
    if ((x = a->open(a->ctx, n, x)) > latest) return INFINITY;
    double t = jz_avail_earliest_from(&np->cores[n], a->cores, a->w, x, latest);
    if (t != INFINITY && a->gpus > 0) {
      double g = jz_avail_earliest_from(&np->gpus[n], a->gpus, a->w, t, latest);
      if (g != t) { /* GPUs free only later: both from there */
        x = g;
        if (g == INFINITY) return g;
        continue;
      }
    }
    if (t == INFINITY || a->open(a->ctx, n, t) == t) return t;
    x = t; /* it fits from t, but may not start there: the next time it may */
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int32_t nth(const jz_nodeask_t *a, int32_t k) { return jz_node_order_nth(a->pref_lo, a->pref_hi, k); }

static int cmp_int32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

double jz_nodeplan_earliest(jz_nodeplan_t *np, const jz_nodeask_t *a, double now, int32_t *nodes) {
  if (a->count <= 1) {
    double best = INFINITY;
    for (int32_t k = 0; k < np->nodes && best > now; k++) {
      int32_t n = nth(a, k);
      /* Only a strictly earlier start beats the node already found (lowest first on ties). */
      double bound = best < a->latest ? best : a->latest;
      double t = node_from(np, a, n, now, now, bound);
      if (t < best) {
        best = t;
        nodes[0] = n;
      }
    }
    return best;
  }
  for (double T = now;;) {
    int32_t at = 0, m = 0;
    for (int32_t n = 0; n < np->nodes; n++) {
      double t = node_from(np, a, n, T, now, a->latest);
      np->e[n] = t;
      at += t == T;
      if (t < INFINITY) np->sorted[m++] = t;
    }
    if (at >= a->count) {
      for (int32_t i = 0, k = 0; k < a->count; i++) {
        int32_t n = nth(a, i);
        if (np->e[n] == T) nodes[k++] = n;
      }
      qsort(nodes, (size_t)a->count, sizeof *nodes, cmp_int32); /* increasing, to start on */
      return T;
    }
    if (m < a->count) return INFINITY;
    qsort(np->sorted, (size_t)m, sizeof *np->sorted, cmp_double);
    T = np->sorted[a->count - 1]; /* > T: fewer than count nodes start at T */
  }
}

int jz_nodeplan_add(jz_nodeplan_t *np, const int32_t *nodes, int32_t n, int32_t cores,
                    int32_t gpus, double a, double b, int sign, int ref, double now) {
  for (int32_t k = 0; k < n; k++) {
    jz_avail_trim(&np->cores[nodes[k]], now);
    jz_avail_trim(&np->gpus[nodes[k]], now);
    if (jz_avail_add(&np->cores[nodes[k]], a, b, sign * (int64_t)cores, ref)) return -JZ_ENOMEM;
    if (gpus > 0 && jz_avail_add(&np->gpus[nodes[k]], a, b, sign * (int64_t)gpus, ref)) return -JZ_ENOMEM;
  }
  return 0;
}
