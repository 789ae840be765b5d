/* test_heap.c: indexed heap ordering, tie-breaks, removal and the in-order walker. */
#include "jz_test.h"

#include <stdlib.h>

#include "sched/heap.h"

static void test_order_and_ties(void **state) {
  (void)state;
  uint32_t pos[10];
  jz_heap_t h;
  jz_heap_init(&h, pos);
  /* Equal keys come out by id, whatever the insertion order. */
  assert_int_equal(jz_heap_push(&h, 5.0, 7), 0);
  assert_int_equal(jz_heap_push(&h, 5.0, 2), 0);
  assert_int_equal(jz_heap_push(&h, 1.0, 9), 0);
  assert_int_equal(jz_heap_push(&h, 5.0, 4), 0);
  uint32_t want[] = {9, 2, 4, 7};
  for (int i = 0; i < 4; i++) assert_int_equal(jz_heap_pop(&h).id, want[i]);
  assert_true(jz_heap_empty(&h));
  jz_heap_free(&h);
}

static void test_remove(void **state) {
  (void)state;
  uint32_t pos[100];
  jz_heap_t h;
  jz_heap_init(&h, pos);
  for (uint32_t i = 0; i < 100; i++) assert_int_equal(jz_heap_push(&h, (double)((i * 37) % 101), i), 0);
  for (uint32_t i = 0; i < 100; i += 3) jz_heap_remove(&h, i);
  double last = -1;
  uint32_t n = 0;
  while (!jz_heap_empty(&h)) {
    jz_heap_entry_t e = jz_heap_pop(&h);
    assert_true(e.id % 3 != 0);
    assert_true(e.key >= last);
    last = e.key;
    n++;
  }
  assert_int_equal(n, 66);
  jz_heap_free(&h);
}

static int cmp_entry(const void *a, const void *b) {
  const jz_heap_entry_t *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static void test_walk_in_order(void **state) {
  (void)state;
  enum { N = 500 };
  uint32_t pos[N];
  jz_heap_entry_t ref[N];
  jz_heap_t h;
  jz_heap_init(&h, pos);
  srand(42);
  for (uint32_t i = 0; i < N; i++) {
    ref[i] = (jz_heap_entry_t){(double)(rand() % 50), i};
    assert_int_equal(jz_heap_push(&h, ref[i].key, i), 0);
  }
  qsort(ref, N, sizeof ref[0], cmp_entry);
  jz_heap_walk_t w = {0};
  jz_heap_walk_start(&w, &h);
  jz_heap_entry_t e;
  for (int i = 0; i < N; i++) {
    assert_true(jz_heap_walk_next(&w, &e));
    assert_int_equal(e.id, ref[i].id);
  }
  assert_false(jz_heap_walk_next(&w, &e));
  assert_int_equal(h.n, N); /* the walk leaves the heap untouched */
  jz_heap_walk_free(&w);
  jz_heap_free(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_order_and_ties),
      cmocka_unit_test(test_remove),
      cmocka_unit_test(test_walk_in_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
