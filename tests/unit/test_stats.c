/* test_stats.c: the summary's statistics on hand-computed cases. */
#include "jz_test.h"

#include <math.h>
#include <stdlib.h>

#include "metrics/stats.h"

/* Nearest-rank p95, mean of the two middles for the median, in any input order. */
static void test_dist(void **state) {
  (void)state;
  double v[] = {9, 1, 7, 3, 5, 0, 8, 2, 6, 4}; /* 0..9 */
  jz_dist_t d;
  jz_dist_compute(v, 10, &d);
  jz_assert_double_eq(d.mean, 4.5);
  jz_assert_double_eq(d.median, 4.5);
  jz_assert_double_eq(d.p95, 9); /* ceil(9.5) = 10th smallest */
  jz_assert_double_eq(d.max, 9);
  double w[] = {5, 5, 5, 1, 5};
  jz_dist_compute(w, 5, &d);
  jz_assert_double_eq(d.median, 5);
  jz_assert_double_eq(d.p95, 5);
  jz_dist_compute(NULL, 0, &d);
  assert_int_equal(d.n, 0);
}

/* power1.yaml: 2 nodes x 4 cores, 100 W idle, 300 W full. A (4 cores, 100 s) at 0 and
 * B (8 cores, 50 s) at 0: A runs 0-100 on node 0; B waits for 8 free cores: 100-150.
 * Waits 0 and 100; bounded slowdowns 1 and (100 + 50) / 50 = 3; span 150.
 * Core-seconds 4 x 100 + 8 x 50 = 800: utilisation 800 / (8 x 150) = 2/3.
 * Energy: 2 nodes x 100 W x 150 s + 200 W x 800 / 4 = 30,000 + 40,000 = 70,000 J. */
static void test_summary(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("power1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 100, 100, 4);
  jz_test_job(&t, 0, 50, 50, 8);
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  jz_summary_t sm;
  assert_int_equal(jz_summary_compute(&sim.s, &sm), 0);
  assert_int_equal(sm.ran, 2);
  jz_assert_double_eq(sm.wait.mean, 50);
  jz_assert_double_eq(sm.mean_bsld, 2);
  jz_assert_double_eq(sm.max_bsld, 3);
  jz_assert_double_eq(sm.span, 150);
  jz_assert_double_eq(sm.parts[0].core_seconds, 800);
  assert_true(fabs(sm.parts[0].utilisation - 2.0 / 3.0) < 1e-15);
  jz_assert_double_eq(sm.parts[0].energy, 70000);
  jz_assert_double_eq(sm.energy, 70000);
  /* The queue group (the partition's implicit queue) holds both jobs. */
  assert_int_equal(sm.queues[0].jobs, 2);
  jz_assert_double_eq(sm.queues[0].wait.max, 100);
  jz_summary_free(&sm);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dist),
      cmocka_unit_test(test_summary),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
