/* test_job.c: job table growth, skip counts, string interning and the stable submit sort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "job.h"

/* cmocka 1.1.5's assert_float_equal compares as float; times need all their bits. */
#define assert_double_eq(a, b) assert_double_eq_((a), (b), __FILE__, __LINE__)
static void assert_double_eq_(double a, double b, const char *file, int line) {
  if (a != b) {
    print_error("%.17g != %.17g\n", a, b);
    _fail(file, line);
  }
}

static void test_strtab_intern(void **state) {
  (void)state;
  jz_strtab_t t = {0}; /* a zeroed table is a valid empty one */
  assert_int_equal(jz_strtab_find(&t, "alice"), -1);
  assert_string_equal(jz_strtab_get(&t, -1), "");
  assert_string_equal(jz_strtab_get(&t, 0), "");

  int32_t a = jz_strtab_intern(&t, "alice", 5);
  int32_t b = jz_strtab_intern(&t, "bob", 3);
  assert_int_equal(a, 0);
  assert_int_equal(b, 1);
  assert_int_equal(jz_strtab_intern(&t, "alice", 5), a);
  /* len, not the NUL, delimits the key: "bobby" cut at 3 is "bob". */
  assert_int_equal(jz_strtab_intern(&t, "bobby", 3), b);
  /* A prefix of a stored string is another string. */
  int32_t al = jz_strtab_intern(&t, "alice", 2);
  assert_int_not_equal(al, a);
  assert_string_equal(jz_strtab_get(&t, al), "al");
  int32_t empty = jz_strtab_intern(&t, "", 0);
  assert_true(empty >= 0);
  assert_string_equal(jz_strtab_get(&t, empty), "");
  assert_int_equal(jz_strtab_find(&t, ""), empty);
  /* The text ends at a NUL inside len, as a C string would. */
  assert_int_equal(jz_strtab_intern(&t, "bob\0tail", 8), b);

  assert_int_equal(jz_strtab_find(&t, "alice"), a);
  assert_int_equal(jz_strtab_find(&t, "bob"), b);
  assert_int_equal(jz_strtab_find(&t, "carol"), -1);
  assert_string_equal(jz_strtab_get(&t, a), "alice");
  assert_string_equal(jz_strtab_get(&t, b), "bob");
  assert_string_equal(jz_strtab_get(&t, 1000), "");
  jz_strtab_free(&t);
  assert_int_equal(t.n, 0);
  assert_null(t.slots);
  /* Usable again after free. */
  assert_int_equal(jz_strtab_intern(&t, "x", 1), 0);
  jz_strtab_free(&t);
}

static void test_strtab_many(void **state) {
  (void)state;
  jz_strtab_t t = {0};
  char buf[32];
  /* Enough strings to force several rehashes; ids are dense, in first-seen order. */
  for (int i = 0; i < 20000; i++) {
    int n = snprintf(buf, sizeof buf, "user%d", i);
    assert_int_equal(jz_strtab_intern(&t, buf, (size_t)n), i);
  }
  assert_int_equal(t.n, 20000);
  for (int i = 19999; i >= 0; i--) {
    int n = snprintf(buf, sizeof buf, "user%d", i);
    assert_int_equal(jz_strtab_intern(&t, buf, (size_t)n), i);
    assert_int_equal(jz_strtab_find(&t, buf), i);
    assert_string_equal(jz_strtab_get(&t, i), buf);
  }
  assert_int_equal(t.n, 20000);
  assert_true(t.nslots >= 2 * t.n);
  jz_strtab_free(&t);
}

static void test_push_defaults(void **state) {
  (void)state;
  jz_job_table_t t;
  jz_job_table_init(&t);
  for (int i = 0; i < 5000; i++) { /* crosses several doublings */
    jz_job_t *j = jz_job_table_push(&t);
    assert_non_null(j);
    assert_int_equal(j->user, -1);
    assert_int_equal(j->group, -1);
    assert_int_equal(j->account, -1);
    assert_int_equal(j->queue, -1);
    assert_int_equal(j->partition, -1);
    assert_int_equal(j->procs, 0);
    assert_int_equal(j->flags, 0);
    assert_double_eq(j->submit, 0.0);
    j->trace_id = i;
  }
  assert_int_equal(t.n, 5000);
  assert_true(t.cap >= t.n);
  for (int i = 0; i < 5000; i++) assert_int_equal(t.jobs[i].trace_id, i);
  jz_job_table_free(&t);
  assert_null(t.jobs);
  assert_int_equal(t.n, 0);
}

static void test_skip_counts(void **state) {
  (void)state;
  jz_job_table_t t;
  jz_job_table_init(&t);
  assert_int_equal(jz_job_table_skipped_total(&t), 0);
  jz_job_table_skip(&t, "runtime <= 0");
  jz_job_table_skip(&t, "no processors");
  jz_job_table_skip(&t, "runtime <= 0");
  char same[] = "runtime <= 0"; /* equal text at another address counts as the same reason */
  jz_job_table_skip(&t, same);
  assert_int_equal(t.n_skip_reasons, 2);
  assert_string_equal(t.skipped[0].reason, "runtime <= 0");
  assert_int_equal(t.skipped[0].count, 3);
  assert_string_equal(t.skipped[1].reason, "no processors");
  assert_int_equal(t.skipped[1].count, 1);
  assert_int_equal(jz_job_table_skipped_total(&t), 4);
  jz_job_table_free(&t);
}

static void test_skip_overflow(void **state) {
  (void)state;
  static const char *const reasons[] = {"r0",  "r1",  "r2",  "r3",  "r4",  "r5",  "r6",
                                        "r7",  "r8",  "r9",  "r10", "r11", "r12", "r13",
                                        "r14", "r15", "r16", "r17", "r18", "r19"};
  jz_job_table_t t;
  jz_job_table_init(&t);
  for (int i = 0; i < 20; i++) jz_job_table_skip(&t, reasons[i]);
  jz_job_table_skip(&t, "r0");
  jz_job_table_skip(&t, "r19");
  /* Past the table's size every new reason lands in "other": nothing is lost. */
  assert_int_equal(t.n_skip_reasons, JZ_MAX_SKIP_REASONS);
  assert_string_equal(t.skipped[JZ_MAX_SKIP_REASONS - 1].reason, "other");
  assert_int_equal(t.skipped[JZ_MAX_SKIP_REASONS - 1].count, 20 - (JZ_MAX_SKIP_REASONS - 1) + 1);
  assert_int_equal(t.skipped[0].count, 2);
  assert_int_equal(jz_job_table_skipped_total(&t), 22);
  jz_job_table_free(&t);
}

static void push_job(jz_job_table_t *t, double submit, int64_t id) {
  jz_job_t *j = jz_job_table_push(t);
  assert_non_null(j);
  j->submit = submit;
  j->trace_id = id;
}

static void test_sort_ties(void **state) {
  (void)state;
  jz_job_table_t t;
  jz_job_table_init(&t);
  static const double submits[] = {5, 1, 5, 1, 3, 5, 0, 3};
  for (int i = 0; i < 8; i++) push_job(&t, submits[i], i);
  assert_int_equal(jz_job_table_sort(&t), 0);
  /* By submit, equal submits in insertion order. */
  static const int64_t want[] = {6, 1, 3, 4, 7, 0, 2, 5};
  assert_int_equal(t.n, 8);
  for (int i = 0; i < 8; i++) assert_int_equal(t.jobs[i].trace_id, want[i]);
  assert_double_eq(t.jobs[7].submit, 5.0);
  /* Still a working table: pushing after sorting grows it. */
  push_job(&t, 2, 99);
  assert_int_equal(t.n, 9);
  assert_int_equal(t.jobs[8].trace_id, 99);
  jz_job_table_free(&t);
}

static void test_sort_trivial(void **state) {
  (void)state;
  jz_job_table_t t;
  jz_job_table_init(&t);
  assert_int_equal(jz_job_table_sort(&t), 0); /* empty */
  push_job(&t, 7, 1);
  assert_int_equal(jz_job_table_sort(&t), 0);
  assert_int_equal(t.jobs[0].trace_id, 1);
  push_job(&t, 7, 2);
  push_job(&t, 8, 3); /* already sorted, with a tie */
  assert_int_equal(jz_job_table_sort(&t), 0);
  for (int i = 0; i < 3; i++) assert_int_equal(t.jobs[i].trace_id, i + 1);
  jz_job_table_free(&t);
}

/* xorshift: a fixed sequence, so the test is the same on every run. */
static uint64_t next_rand(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static void test_sort_large(void **state) {
  (void)state;
  jz_job_table_t t;
  jz_job_table_init(&t);
  uint64_t seed = 88172645463325252ull;
  const int n = 200003; /* not a multiple of the run length or of a power of two */
  for (int i = 0; i < n; i++) {
    /* Few distinct submits: long runs of ties, plus a mostly sorted trend like real traces. */
    double submit = (double)(i / 50) + (double)(next_rand(&seed) % 200);
    push_job(&t, submit, i);
    t.jobs[i].procs = (int32_t)(i % 1000); /* the whole record moves with its key */
  }
  assert_int_equal(jz_job_table_sort(&t), 0);
  assert_int_equal(t.n, (size_t)n);
  char *seen = calloc((size_t)n, 1);
  assert_non_null(seen);
  for (int i = 0; i < n; i++) {
    const jz_job_t *j = &t.jobs[i];
    assert_int_equal(j->procs, j->trace_id % 1000);
    assert_false(seen[j->trace_id]);
    seen[j->trace_id] = 1;
    if (i > 0) {
      const jz_job_t *p = &t.jobs[i - 1];
      assert_true(p->submit <= j->submit);
      if (p->submit == j->submit) assert_true(p->trace_id < j->trace_id);
    }
  }
  free(seen);
  jz_job_table_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strtab_intern), cmocka_unit_test(test_strtab_many),
      cmocka_unit_test(test_push_defaults), cmocka_unit_test(test_skip_counts),
      cmocka_unit_test(test_skip_overflow), cmocka_unit_test(test_sort_ties),
      cmocka_unit_test(test_sort_trivial),  cmocka_unit_test(test_sort_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
