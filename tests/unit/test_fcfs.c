/* test_fcfs.c: FCFS on hand-computed schedules. */
#include "jz_test.h"

/* The example of fcfs.c's header, 4 cores: A (3 cores, 10 s) at 0, B (2 cores, 5 s) at 1,
 * C (1 core, 5 s) at 2. A 0-10; B waits for A; C waits behind B although a core is idle:
 * B 10-15 and C 10-15 (3 cores free at 10: B takes 2, C takes 1). */
static void test_head_blocks(void **state) {
  (void)state;
  int nodes[] = {1}, cores[] = {4};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 10, 10, 3);
  jz_test_job(&t, 1, 5, 5, 2);
  jz_test_job(&t, 2, 5, 5, 1);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "fcfs");
  assert_int_equal(sim.rc, 0);
  double start[] = {0, 10, 10}, finish[] = {10, 15, 15};
  for (int i = 0; i < 3; i++) {
    jz_assert_double_eq(sim.s.run[i].start, start[i]);
    jz_assert_double_eq(sim.s.run[i].finish, finish[i]);
  }
  /* One node: every job runs on node 0. */
  assert_string_equal(sim.s.text + sim.s.run[1].alloc_text, "0");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* Jobs arriving out of order in the file are replayed by submit time, ties in file order:
 * the table is sorted before the run. Two 1-core nodes: X (submit 5), Y (submit 0),
 * Z (submit 0): Y and Z start at 0, X waits for Y (100 s) and starts at 100. */
static void test_sorted_by_submit(void **state) {
  (void)state;
  int nodes[] = {2}, cores[] = {1};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 5, 10, 10, 1)->trace_id = 30;
  jz_test_job(&t, 0, 100, 100, 1)->trace_id = 10;
  jz_test_job(&t, 0, 200, 200, 1)->trace_id = 20;
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "fcfs");
  assert_int_equal(sim.rc, 0);
  assert_int_equal(t.jobs[0].trace_id, 10);
  assert_int_equal(t.jobs[1].trace_id, 20);
  assert_int_equal(t.jobs[2].trace_id, 30);
  jz_assert_double_eq(sim.s.run[0].start, 0);
  jz_assert_double_eq(sim.s.run[1].start, 0);
  jz_assert_double_eq(sim.s.run[2].start, 100);
  assert_string_equal(sim.s.text + sim.s.run[0].alloc_text, "0");
  assert_string_equal(sim.s.text + sim.s.run[1].alloc_text, "1");
  assert_string_equal(sim.s.text + sim.s.run[2].alloc_text, "0");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_head_blocks),
      cmocka_unit_test(test_sorted_by_submit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
