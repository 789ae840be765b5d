/* test_resources.c: per-core packing on lowest-numbered nodes, whole-node requests, release. */
#include "jz_test.h"

#include "sched/resources.h"

static void test_core_packing(void **state) {
  (void)state;
  int nodes[] = {4}, cores[] = {4};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_resources_t r;
  assert_int_equal(jz_resources_init(&r, p, false, NULL), 0);
  jz_alloc_t a, b, c;
  /* 6 cores: all of node 0, 2 of node 1. */
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 6}, JZ_ZONES_ALL, &a), 0);
  assert_int_equal(a.n, 2);
  const jz_piece_t *pa = jz_resources_pieces(&r, &a);
  assert_int_equal(pa[0].node, 0);
  assert_int_equal(pa[0].cores, 4);
  assert_int_equal(pa[1].node, 1);
  assert_int_equal(pa[1].cores, 2);
  assert_int_equal(r.parts[0].free_total, 10);
  assert_int_equal(r.parts[0].free_nodes, 2);
  /* 3 cores: the 2 left on node 1 first, then 1 on node 2. */
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 3}, JZ_ZONES_ALL, &b), 0);
  const jz_piece_t *pb = jz_resources_pieces(&r, &b);
  assert_int_equal(b.n, 2);
  assert_int_equal(pb[0].node, 1);
  assert_int_equal(pb[0].cores, 2);
  assert_int_equal(pb[1].node, 2);
  assert_int_equal(pb[1].cores, 1);
  /* A whole node: node 3 is the only completely free one. */
  assert_true(jz_resources_fits(&r, 0, &(jz_request_t){.nodes = 1}, JZ_ZONES_ALL));
  assert_false(jz_resources_fits(&r, 0, &(jz_request_t){.nodes = 2}, JZ_ZONES_ALL));
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.nodes = 1}, JZ_ZONES_ALL, &c), 0);
  assert_int_equal(jz_resources_pieces(&r, &c)[0].node, 3);
  assert_int_equal(r.parts[0].free_total, 3);
  /* Too big now. */
  jz_alloc_t d;
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 4}, JZ_ZONES_ALL, &d), -JZ_EINTERNAL);
  /* Releasing the first job frees node 0 entirely and 2 cores of node 1. */
  jz_resources_release(&r, 0, &a);
  assert_int_equal(r.parts[0].free_total, 9);
  assert_int_equal(r.parts[0].free_nodes, 1);
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 1}, JZ_ZONES_ALL, &d), 0);
  assert_int_equal(jz_resources_pieces(&r, &d)[0].node, 0);
  jz_resources_release(&r, 0, &b);
  jz_resources_release(&r, 0, &c);
  jz_resources_release(&r, 0, &d);
  assert_int_equal(r.parts[0].free_total, 16);
  assert_int_equal(r.parts[0].free_nodes, 4);
  jz_resources_free(&r);
  jz_test_platform_free(p);
}

static void test_possible(void **state) {
  (void)state;
  int nodes[] = {3, 2}, cores[] = {2, 8};
  jz_platform_t *p = jz_test_platform(2, nodes, cores);
  jz_resources_t r;
  assert_int_equal(jz_resources_init(&r, p, false, NULL), 0);
  assert_true(jz_resources_possible(&r, 0, &(jz_request_t){.cores = 6}));
  assert_false(jz_resources_possible(&r, 0, &(jz_request_t){.cores = 7}));
  assert_true(jz_resources_possible(&r, 1, &(jz_request_t){.nodes = 2}));
  assert_false(jz_resources_possible(&r, 1, &(jz_request_t){.nodes = 3}));
  assert_int_equal(jz_resources_request_cores(&r, 1, &(jz_request_t){.nodes = 2}), 16);
  jz_resources_free(&r);
  jz_test_platform_free(p);
}

/* Many nodes, fragmented: the segment tree must find free cores past full nodes. */
static void test_fragmented_large(void **state) {
  (void)state;
  int nodes[] = {1000}, cores[] = {16};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_resources_t r;
  assert_int_equal(jz_resources_init(&r, p, false, NULL), 0);
  static jz_alloc_t a[1000];
  for (int i = 0; i < 1000; i++) assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.nodes = 1}, JZ_ZONES_ALL, &a[i]), 0);
  assert_int_equal(r.parts[0].free_total, 0);
  jz_resources_release(&r, 0, &a[997]);
  jz_resources_release(&r, 0, &a[500]);
  jz_alloc_t b;
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 20}, JZ_ZONES_ALL, &b), 0);
  const jz_piece_t *pb = jz_resources_pieces(&r, &b);
  assert_int_equal(pb[0].node, 500);
  assert_int_equal(pb[0].cores, 16);
  assert_int_equal(pb[1].node, 997);
  assert_int_equal(pb[1].cores, 4);
  jz_resources_free(&r);
  jz_test_platform_free(p);
}

/* Node limits (issue 7, item 2), four 4-core nodes. Free cores shaped by jobs taken then given
 * back: Y1 (3) and Y2 (1) fill node 0, Y3 (1) + Y4 (3) node 1, Y5 (1) + Y6 (3) node 2, Y7 (2)
 * + Y8 (2) node 3; giving back Y2, Y4, Y6, Y8 leaves 1, 3, 3, 2 free cores (9).
 * - 5 cores on at most 2 nodes: lowest-numbered first would take 1 + 3 + 1 on nodes 0-2
 *   (3 nodes); the fewest nodes are the two with 3 free: node 1 (3 cores) and node 2 (2).
 * - 7 cores on at most 2 nodes: the best two nodes hold 3 + 3 = 6 < 7: does not fit, although
 *   9 cores are free; on at most 3 nodes (3 + 3 + 2 = 8) it fits, and the lowest-numbered
 *   placement 1 + 3 + 3 (nodes 0-2) is within the limit, so it is kept.
 * - Never possible: 9 cores on 2 nodes of 4. */
static void test_node_limit(void **state) {
  (void)state;
  int nodes[] = {4}, cores[] = {4};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_resources_t r;
  assert_int_equal(jz_resources_init(&r, p, false, NULL), 0);
  const int32_t take[8] = {3, 1, 1, 3, 1, 3, 2, 2};
  jz_alloc_t y[8], a;
  for (int i = 0; i < 8; i++)
    assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = take[i]}, JZ_ZONES_ALL, &y[i]), 0);
  assert_int_equal(r.parts[0].free_total, 0);
  for (int i = 1; i < 8; i += 2) jz_resources_release(&r, 0, &y[i]);
  assert_int_equal(r.parts[0].free_total, 9);
  const int32_t *h = r.parts[0].core_hist;
  assert_int_equal(h[1], 1);
  assert_int_equal(h[2], 1);
  assert_int_equal(h[3], 2);
  assert_int_equal(jz_resources_best_cores(h, 4, 2), 6);
  assert_int_equal(jz_resources_best_cores(h, 4, 3), 8);

  jz_request_t q5 = {.cores = 5, .max_nodes = 2}, q7 = {.cores = 7, .max_nodes = 2},
               q7b = {.cores = 7, .max_nodes = 3};
  assert_true(jz_resources_fits(&r, 0, &q5, JZ_ZONES_ALL));
  assert_false(jz_resources_fits(&r, 0, &q7, JZ_ZONES_ALL));
  assert_true(jz_resources_fits(&r, 0, &(jz_request_t){.cores = 7}, JZ_ZONES_ALL));
  assert_true(jz_resources_fits(&r, 0, &q7b, JZ_ZONES_ALL));
  jz_pieces_t pl = {0};
  uint32_t n = 0;
  assert_int_equal(jz_resources_plan(&r, 0, &q7b, JZ_ZONES_ALL, &pl, &n), 0);
  assert_int_equal(n, 3);
  assert_int_equal(pl.n, 3);
  assert_int_equal(pl.v[0].node, 0);
  assert_int_equal(pl.v[2].cores, 3);
  assert_int_equal(jz_resources_plan(&r, 0, &q7, JZ_ZONES_ALL, &pl, &n), -JZ_EINTERNAL);
  jz_pieces_free(&pl);

  assert_int_equal(jz_resources_alloc(&r, 0, &q5, JZ_ZONES_ALL, &a), 0);
  assert_int_equal(a.nodes, 2);
  assert_int_equal(a.n, 2);
  const jz_piece_t *pa = jz_resources_pieces(&r, &a);
  assert_int_equal(pa[0].node, 1);
  assert_int_equal(pa[0].cores, 3);
  assert_int_equal(pa[1].node, 2);
  assert_int_equal(pa[1].cores, 2);
  assert_int_equal(r.parts[0].free_cores[2], 1);

  assert_false(jz_resources_possible(&r, 0, &(jz_request_t){.cores = 9, .max_nodes = 2}));
  assert_true(jz_resources_possible(&r, 0, &(jz_request_t){.cores = 8, .max_nodes = 2}));

  /* Everything given back: every node whole again in the counts. */
  jz_resources_release(&r, 0, &a);
  for (int i = 0; i < 8; i += 2) jz_resources_release(&r, 0, &y[i]);
  assert_int_equal(h[4], 4);
  assert_int_equal(h[0] + h[1] + h[2] + h[3], 0);
  /* Whole free nodes merge into one run: 8 cores on at most 2 nodes, node 0 partly taken. */
  jz_alloc_t b, c;
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 2}, JZ_ZONES_ALL, &b), 0);
  assert_int_equal(jz_resources_alloc(&r, 0, &(jz_request_t){.cores = 8, .max_nodes = 2}, JZ_ZONES_ALL, &c), 0);
  assert_int_equal(c.n, 1);
  assert_int_equal(jz_resources_pieces(&r, &c)[0].node, 1);
  assert_int_equal(jz_resources_pieces(&r, &c)[0].count, 2);
  assert_int_equal(r.parts[0].free_nodes, 1);
  jz_resources_free(&r);
  jz_test_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_core_packing),
      cmocka_unit_test(test_possible),
      cmocka_unit_test(test_fragmented_large),
      cmocka_unit_test(test_node_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
