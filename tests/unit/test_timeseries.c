/* test_timeseries.c: queues.csv and utilisation.csv are exact, change-only step series.
 * tests/data/good/tiny.yaml (partition p: 16 cores). A (16 cores) runs 0-10; B (8 cores)
 * arrives at 5, waits, runs 10-13. */
#include "jz_test.h"

#include <stdio.h>
#include <stdlib.h>

#include "metrics/timeseries.h"

static char *slurp(FILE *f) {
  long n = ftell(f);
  char *buf = calloc((size_t)n + 1, 1);
  assert_non_null(buf);
  rewind(f);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  return buf;
}

static void test_rows(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("tiny.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 10, 10, 16);
  jz_test_job(&t, 5, 3, 3, 8);
  FILE *q = tmpfile(), *u = tmpfile();
  assert_non_null(q);
  assert_non_null(u);
  /* The recorder needs the sched's queue keys: initialise it from a first simulation's state. */
  jz_test_sim_t sim;
  jz_ts_t ts;
  jz_sched_t probe;
  assert_int_equal(jz_sched_init(&probe, p, t.jobs, (uint32_t)t.n, true), 0);
  assert_int_equal(jz_ts_init(&ts, &probe, q, u), 0);
  jz_sched_free(&probe);
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, jz_ts_record, &ts);
  assert_int_equal(sim.rc, 0);
  assert_int_equal(jz_ts_flush(&ts), 0);
  char *qs = slurp(q), *us = slurp(u);
  assert_string_equal(qs,
                      "time,queue,waiting_jobs,waiting_cores,waiting_gpus,running_jobs,held_jobs\n"
                      "0,p,0,0,0,1,0\n"
                      "5,p,1,8,0,1,0\n"
                      "10,p,0,0,0,1,0\n"
                      "13,p,0,0,0,0,0\n");
  assert_string_equal(us,
                      "time,partition,busy_cores,total_cores,busy_gpus,total_gpus,running_jobs\n"
                      "0,p,16,16,0,0,1\n"
                      "10,p,8,16,0,0,1\n"
                      "13,p,0,16,0,0,0\n");
  free(qs);
  free(us);
  fclose(q);
  fclose(u);
  jz_ts_free(&ts);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_rows)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
