/* test_bitset.c: the two-level bitmap against a plain array, on random operations. */
#include "jz_test.h"

#include <stdlib.h>

#include "sched/bitset.h"

static int32_t ref_next(const bool *a, int32_t n, int32_t from, int32_t hi, bool want) {
  if (hi > n) hi = n;
  for (int32_t i = from < 0 ? 0 : from; i < hi; i++)
    if (a[i] == want) return i;
  return want ? -1 : hi;
}

static void test_random(void **state) {
  (void)state;
  enum { N = 9000 }; /* three summary words, a partial last word */
  static bool ref[N];
  jz_bitset_t b;
  assert_int_equal(jz_bitset_init(&b, N, false), 0);
  srand(7);
  for (int step = 0; step < 20000; step++) {
    int32_t lo = rand() % N, len = rand() % 200, hi = lo + len > N ? N : lo + len;
    switch (rand() % 4) {
      case 0: jz_bitset_set(&b, lo); ref[lo] = true; break;
      case 1: jz_bitset_clear(&b, lo); ref[lo] = false; break;
      case 2: jz_bitset_set_range(&b, lo, hi); for (int32_t i = lo; i < hi; i++) ref[i] = true; break;
      case 3: jz_bitset_clear_range(&b, lo, hi); for (int32_t i = lo; i < hi; i++) ref[i] = false; break;
    }
    int32_t from = rand() % N, to = from + rand() % N;
    assert_int_equal(jz_bitset_next(&b, from, to), ref_next(ref, N, from, to, true));
    assert_int_equal(jz_bitset_next_zero(&b, from, to), ref_next(ref, N, from, to, false));
    assert_int_equal(jz_bitset_get(&b, from), ref[from]);
  }
  jz_bitset_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_random)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
