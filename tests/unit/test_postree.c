/* test_postree.c: the backfill search index against a linear scan, on random jobs. */
#include "jz_test.h"

#include <math.h>
#include <stdlib.h>

#include "sched/postree.h"

static void test_random(void **state) {
  (void)state;
  enum { N = 3000 };
  static int64_t units[N];
  static double wall[N];
  static bool gone[N];
  jz_postree_t t;
  jz_postree_init(&t);
  srand(11);
  for (uint32_t i = 0; i < N; i++) {
    units[i] = 1 + rand() % 64;
    wall[i] = 60.0 * (1 + rand() % 1000);
    assert_int_equal(jz_postree_push(&t, 1000 + i, units[i], wall[i]), i);
    assert_int_equal(t.ids[i], 1000 + i);
  }
  for (int q = 0; q < 20000; q++) {
    if (rand() % 3 == 0) {
      uint32_t k = (uint32_t)rand() % N;
      if (!gone[k]) {
        jz_postree_remove(&t, k);
        gone[k] = true;
      }
    }
    uint32_t from = (uint32_t)rand() % (N + 10);
    int64_t F = rand() % 70, E = rand() % 8;
    double W = rand() % 2 ? INFINITY : 60.0 * (rand() % 1000);
    uint32_t want = UINT32_MAX;
    for (uint32_t i = from; i < N && want == UINT32_MAX; i++)
      if (!gone[i] && units[i] <= F && (wall[i] <= W || units[i] <= E)) want = i;
    assert_int_equal(jz_postree_next(&t, from, F, W, E), want);
  }
  jz_postree_free(&t);
}

/* Leaves pushed absent (units INT64_MAX, wall INFINITY: the held trees of sched.c push every
 * job so) are found by no search until restored, across the tree's growth; restoring one
 * makes it findable with its values. */
static void test_absent_push(void **state) {
  (void)state;
  enum { N = 1500 };
  static int64_t units[N];
  static double wall[N];
  static bool here[N];
  jz_postree_t t;
  jz_postree_init(&t);
  srand(7);
  for (uint32_t i = 0; i < N; i++) {
    units[i] = 1 + rand() % 64;
    wall[i] = 60.0 * (1 + rand() % 1000);
    here[i] = rand() % 4 == 0;
    if (here[i])
      assert_int_equal(jz_postree_push(&t, i, units[i], wall[i]), i);
    else
      assert_int_equal(jz_postree_push(&t, i, INT64_MAX, INFINITY), i);
    /* The newest leaf is found exactly when present. */
    assert_int_equal(jz_postree_next(&t, i, INT64_MAX - 1, INFINITY, 0), here[i] ? i : UINT32_MAX);
  }
  for (int q = 0; q < 20000; q++) {
    uint32_t k = (uint32_t)rand() % N;
    if (!here[k] && rand() % 2) {
      jz_postree_restore(&t, k, units[k], wall[k]);
      here[k] = true;
    } else if (here[k] && rand() % 2) {
      jz_postree_remove(&t, k);
      here[k] = false;
    }
    uint32_t from = (uint32_t)rand() % N;
    int64_t F = rand() % 70;
    double W = rand() % 2 ? INFINITY : 60.0 * (rand() % 1000);
    uint32_t want = UINT32_MAX;
    for (uint32_t i = from; i < N && want == UINT32_MAX; i++)
      if (here[i] && units[i] <= F && wall[i] <= W) want = i;
    assert_int_equal(jz_postree_next(&t, from, F, W, -1), want);
  }
  jz_postree_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_random), cmocka_unit_test(test_absent_push)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
