/* test_nodeplan.c: node-by-node availability (nodeplan.h) against a brute-force model of
 * free cores and GPUs per node and integer time, on random reservations of one-node shares
 * and whole nodes, with a node that may be started on only in some intervals. */
#include "jz_test.h"

#include <math.h>
#include <stdlib.h>

#include "sched/nodeplan.h"

enum { T = 300, NODES = 5, CPN = 8, GPN = 4, NR = 120 };

static int mc[NODES][T], mg[NODES][T]; /* free cores / GPUs; past T everything is free */

/* Node 4 may be started on only at t in [40, 80) or t >= 200 (a window-like rule). */
static double open_fn(void *ctx, int32_t n, double t) {
  (void)ctx;
  if (n != 4 || (t >= 40 && t < 80) || t >= 200) return t;
  return t < 40 ? 40 : 200;
}

static bool node_ok(int n, int t, int c, int g, int w) {
  if (open_fn(NULL, n, t) != t) return false;
  for (int x = t; x < t + w; x++)
    if (x < T && (mc[n][x] < c || mg[n][x] < g)) return false;
  return true;
}

/* Earliest t >= now where `count` nodes hold c cores and g GPUs each (lowest nodes). */
static double model(int now, int c, int g, int count, int w, int32_t *nodes) {
  for (int t = now; t <= T; t++) {
    int k = 0;
    for (int n = 0; n < NODES && k < count; n++)
      if (node_ok(n, t, c, g, w)) nodes[k++] = n;
    if (k == count) return t;
  }
  return INFINITY;
}

typedef struct rsv { double a, b; int32_t c, g, n, nodes[NODES]; bool on; } rsv_t;

static void apply(rsv_t *r, int sign) {
  for (int k = 0; k < r->n; k++)
    for (int x = (int)r->a; x < r->b && x < T; x++) {
      mc[r->nodes[k]][x] += sign * r->c;
      mg[r->nodes[k]][x] += sign * r->g;
    }
}

static void test_random(void **state) {
  (void)state;
  static rsv_t r[NR];
  jz_nodeplan_t np;
  assert_int_equal(jz_nodeplan_init(&np, NODES, CPN, GPN, 0), 0);
  for (int n = 0; n < NODES; n++)
    for (int t = 0; t < T; t++) mc[n][t] = CPN, mg[n][t] = GPN;
  srand(11);
  int now = 0;
  for (int step = 0; step < 6000; step++) {
    int k = rand() % NR, op = rand() % 10;
    if (op == 0 && now < T - 60) {
      now += 1 + rand() % 3;
    } else if (!r[k].on) {
      bool whole = rand() % 4 == 0;
      int32_t g = whole ? GPN : rand() % (GPN + 1), c = whole ? CPN : (g ? 2 * g : 1 + rand() % CPN);
      int32_t count = whole ? 1 + rand() % 3 : 1, want[NODES], got[NODES];
      int w = 1 + rand() % 30;
      jz_nodeask_t a = {.cores = c, .gpus = g, .count = count, .w = w, .latest = INFINITY,
                        .open = open_fn};
      double t = jz_nodeplan_earliest(&np, &a, now, got), m = model(now, c, g, count, w, want);
      assert_true(t == m);
      if (t == INFINITY || t + w >= T) continue;
      /* The k-node search takes the lowest nodes free at t, like the model. */
      for (int i = 0; i < count; i++) assert_int_equal(got[i], want[i]);
      r[k] = (rsv_t){.a = t, .b = t + w, .c = c, .g = g, .n = count, .on = true};
      for (int i = 0; i < count; i++) r[k].nodes[i] = got[i];
      assert_int_equal(jz_nodeplan_add(&np, got, count, c, g, t, t + w, -1, +1, now), 0);
      apply(&r[k], -1);
    } else {
      assert_int_equal(jz_nodeplan_add(&np, r[k].nodes, r[k].n, r[k].c, r[k].g, r[k].a, r[k].b, +1, -1, now), 0);
      apply(&r[k], +1);
      r[k].on = false;
    }
  }
  jz_nodeplan_free(&np);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_random)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
