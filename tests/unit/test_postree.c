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

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_random)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
