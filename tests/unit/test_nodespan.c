/* test_nodespan.c: per-core requests spread over nodes (nodespan.h): hand-computed cases (the
 * node cap, a closed node, a bound), then random reservations against a brute-force model of
 * free cores per node and integer time. */
#include "jz_test.h"

#include <math.h>
#include <stdlib.h>

#include "sched/nodespan.h"

static double always(void *ctx, int32_t n, double t) {
  (void)ctx, (void)n;
  return t;
}

/* Node 2 may be started on from 30 on only. */
static double node2_from_30(void *ctx, int32_t n, double t) {
  (void)ctx;
  return n == 2 && t < 30 ? 30 : t;
}

/* Three 4-core nodes; nodes 0 and 1 have 3 cores taken over [0, 100). */
static void setup3(jz_nodeplan_t *np, jz_avail_t *all) {
  assert_int_equal(jz_nodeplan_init(np, 3, 4, 0, 0), 0);
  assert_int_equal(jz_avail_init(all, 12, 0), 0);
  const int32_t busy[] = {0, 1};
  assert_int_equal(jz_nodeplan_add(np, busy, 2, 3, 0, 0, 100, -1, +1, 0), 0);
  assert_int_equal(jz_avail_add(all, 0, 100, -6, +1), 0);
}

static double ask(jz_nodeplan_t *np, const jz_avail_t *all, int32_t cores, int32_t cap, double w,
                  double latest, jz_nodeplan_open_fn open, int32_t *nodes, int32_t *got, int32_t *n) {
  jz_nodespan_t sp;
  assert_int_equal(jz_nodespan_init(&sp, np->nodes, np->cpn), 0);
  jz_spanask_t a = {.cores = cores, .max_nodes = cap, .w = w, .latest = latest, .open = open, .total = all};
  double t = jz_nodespan_earliest(&sp, np, &a, 0, nodes, got, n);
  jz_nodespan_free(&sp);
  return t;
}

/* The picks are these nodes, with these cores on each. */
static void expect(const int32_t *nodes, const int32_t *cores, int32_t n, int32_t wn, const int32_t *wnodes,
                   const int32_t *wcores) {
  assert_int_equal(n, wn);
  for (int32_t i = 0; i < n; i++) {
    assert_int_equal(nodes[i], wnodes[i]);
    assert_int_equal(cores[i], wcores[i]);
  }
}

/* 5 cores for 50 s at 0: nodes 0, 1, 2 give 1, 1, 4. Uncapped: the lowest-numbered nodes
 * first, each what it has, the last the rest: 1 + 1 + 3. Capped at 2 nodes: the lowest-numbered
 * placement spans 3, so the nodes with the most cores: node 2 (4), then node 0 (1). */
static void test_cap(void **state) {
  (void)state;
  jz_nodeplan_t np;
  jz_avail_t all;
  setup3(&np, &all);
  int32_t nodes[3], cores[3], n;
  jz_assert_double_eq(ask(&np, &all, 5, 0, 50, INFINITY, always, nodes, cores, &n), 0);
  expect(nodes, cores, n, 3, (const int32_t[]){0, 1, 2}, (const int32_t[]){1, 1, 3});
  jz_assert_double_eq(ask(&np, &all, 5, 2, 50, INFINITY, always, nodes, cores, &n), 0);
  expect(nodes, cores, n, 2, (const int32_t[]){0, 2}, (const int32_t[]){1, 4});
  /* Capped at 1 node: no node has 5 cores, ever (rejected at submit in a run). */
  jz_assert_double_eq(ask(&np, &all, 5, 1, 50, INFINITY, always, nodes, cores, &n), INFINITY);
  jz_nodeplan_free(&np);
  jz_avail_free(&all);
}

/* 10 cores for 50 s: 1 + 1 + 4 = 6 at 0; nodes 0 and 1 give more from 100 only (4 each):
 * at 100, 4 + 4 + 2. By 99 at the latest: none, and the lists are left alone. */
static void test_later(void **state) {
  (void)state;
  jz_nodeplan_t np;
  jz_avail_t all;
  setup3(&np, &all);
  int32_t nodes[3] = {-1, -1, -1}, cores[3] = {-1, -1, -1}, n = -1;
  jz_assert_double_eq(ask(&np, &all, 10, 0, 50, 99, always, nodes, cores, &n), INFINITY);
  assert_int_equal(n, -1), assert_int_equal(nodes[0], -1), assert_int_equal(cores[0], -1);
  jz_assert_double_eq(ask(&np, &all, 10, 0, 50, INFINITY, always, nodes, cores, &n), 100);
  expect(nodes, cores, n, 3, (const int32_t[]){0, 1, 2}, (const int32_t[]){4, 4, 2});
  /* Without the total profile the same answers (it only skips times). */
  jz_assert_double_eq(ask(&np, NULL, 10, 0, 50, INFINITY, always, nodes, cores, &n), 100);
  jz_nodeplan_free(&np);
  jz_avail_free(&all);
}

/* Node 2 closed to the job before 30: 5 cores capped at 2 nodes: at 0 nodes give 1, 1 and
 * (closed) 0; node 2 opens at 30 (before nodes 0 and 1 give more, at 100): at 30 node 2 (4)
 * and node 0 (1). */
static void test_closed_node(void **state) {
  (void)state;
  jz_nodeplan_t np;
  jz_avail_t all;
  setup3(&np, &all);
  int32_t nodes[3], cores[3], n;
  jz_assert_double_eq(ask(&np, &all, 5, 2, 50, INFINITY, node2_from_30, nodes, cores, &n), 30);
  expect(nodes, cores, n, 2, (const int32_t[]){0, 2}, (const int32_t[]){1, 4});
  jz_nodeplan_free(&np);
  jz_avail_free(&all);
}

/* ---- random reservations against a brute-force model ---- */
enum { T = 300, NODES = 5, CPN = 4, NR = 100 };

static int mc[NODES][T]; /* free cores; past T everything is free */

/* Node 4 may be started on only at t in [40, 80) or t >= 200. */
static double open_fn(void *ctx, int32_t n, double t) {
  (void)ctx;
  if (n != 4 || (t >= 40 && t < 80) || t >= 200) return t;
  return t < 40 ? 40 : 200;
}

static int node_min(int n, int t, int w) {
  if (open_fn(NULL, n, t) != t) return 0;
  int m = CPN;
  for (int x = t; x < t + w && x < T; x++)
    if (mc[n][x] < m) m = mc[n][x];
  return m;
}

/* Earliest t >= now at which the cap's best nodes hold c cores over [t, t + w); a[] gets
 * each node's cores there. */
static double model(int now, int c, int cap, int w, int *a) {
  for (int t = now; t <= T; t++) {
    int v[NODES];
    for (int n = 0; n < NODES; n++) v[n] = a[n] = node_min(n, t, w);
    /* the cap largest: selection by repeated maximum */
    int sum = 0;
    for (int k = 0; k < cap; k++) {
      int b = 0;
      for (int n = 1; n < NODES; n++)
        if (v[n] > v[b]) b = n;
      sum += v[b];
      v[b] = -1;
    }
    if (sum >= c) return t;
  }
  return INFINITY;
}

typedef struct rsv { double a, b; int32_t n, nodes[NODES], cores[NODES]; bool on; } rsv_t;

static void apply(const rsv_t *r, int sign) {
  for (int k = 0; k < r->n; k++)
    for (int x = (int)r->a; x < r->b && x < T; x++) mc[r->nodes[k]][x] += sign * r->cores[k];
}

static void hold(jz_nodeplan_t *np, jz_avail_t *all, const rsv_t *r, int sign, int ref, int now) {
  int total = 0;
  for (int k = 0; k < r->n; k++) {
    assert_int_equal(jz_nodeplan_add(np, &r->nodes[k], 1, r->cores[k], 0, r->a, r->b, sign, ref, now), 0);
    total += r->cores[k];
  }
  jz_avail_trim(all, now);
  assert_int_equal(jz_avail_add(all, r->a, r->b, sign * total, ref), 0);
}

static void test_random(void **state) {
  (void)state;
  static rsv_t r[NR];
  jz_nodeplan_t np;
  jz_avail_t all;
  jz_nodespan_t sp;
  assert_int_equal(jz_nodeplan_init(&np, NODES, CPN, 0, 0), 0);
  assert_int_equal(jz_avail_init(&all, NODES * CPN, 0), 0);
  assert_int_equal(jz_nodespan_init(&sp, NODES, CPN), 0);
  for (int n = 0; n < NODES; n++)
    for (int t = 0; t < T; t++) mc[n][t] = CPN;
  srand(7);
  int now = 0, found = 0, capped = 0;
  for (int step = 0; step < 6000; step++) {
    int k = rand() % NR, op = rand() % 10;
    if (op == 0 && now < T - 60) {
      now += 1 + rand() % 3;
    } else if (!r[k].on) {
      int c = 1 + rand() % (NODES * CPN), w = 1 + rand() % 30;
      int cap = rand() % 3 == 0 ? 1 + rand() % NODES : 0, a[NODES];
      int32_t nodes[NODES], cores[NODES], n = 0;
      jz_spanask_t q = {.cores = c, .max_nodes = cap, .w = w, .latest = INFINITY, .open = open_fn,
                        .total = rand() % 2 ? &all : NULL};
      double t = jz_nodespan_earliest(&sp, &np, &q, now, nodes, cores, &n);
      double m = model(now, c, cap ? cap : NODES, w, a);
      if (t != m)
        print_error("step %d: %d cores cap %d for %d s from %d: %g, model %g\n", step, c, cap, w, now, t, m);
      assert_true(t == m);
      if (t == INFINITY || t + w >= T) continue;
      found++;
      /* Its picks: increasing nodes, each within what the node gives, c in all, within the
       * cap; the lowest-numbered placement when that is within the cap. */
      int sum = 0, lowest[NODES] = {0}, nl = 0, left = c;
      for (int v = 0; v < NODES && left > 0; v++)
        if (a[v] > 0) {
          lowest[v] = a[v] < left ? a[v] : left;
          left -= lowest[v];
          nl++;
        }
      assert_true(n >= 1 && (cap == 0 || n <= cap));
      for (int i = 0; i < n; i++) {
        assert_true(i == 0 || nodes[i] > nodes[i - 1]);
        assert_true(cores[i] >= 1 && cores[i] <= a[nodes[i]]);
        sum += cores[i];
        if (cap == 0 || nl <= cap) assert_int_equal(cores[i], lowest[nodes[i]]);
      }
      assert_int_equal(sum, c);
      capped += cap > 0 && nl > cap;
      r[k] = (rsv_t){.a = t, .b = t + w, .n = n, .on = true};
      for (int i = 0; i < n; i++) r[k].nodes[i] = nodes[i], r[k].cores[i] = cores[i];
      hold(&np, &all, &r[k], -1, +1, now);
      apply(&r[k], -1);
    } else {
      hold(&np, &all, &r[k], +1, -1, now);
      apply(&r[k], +1);
      r[k].on = false;
    }
  }
  /* The random walk reached both kinds of placement often enough to mean something. */
  assert_true(found > 500);
  assert_true(capped > 20);
  jz_nodespan_free(&sp);
  jz_nodeplan_free(&np);
  jz_avail_free(&all);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cap),
      cmocka_unit_test(test_later),
      cmocka_unit_test(test_closed_node),
      cmocka_unit_test(test_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
