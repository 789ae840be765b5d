/* test_openb.c: the Alibaba OpenB pod list reader: GPU shares rounded up, CPU-only pods,
 * pending pods and long-running services skipped with their reasons, and the real list. */
#include "jz_reader_test.h"

static void check_job(const jz_rt_t *f, size_t i, int64_t id, const char *label, double submit,
                      double runtime, int procs, int gpus, const char *queue, int status,
                      uint32_t line) {
  const jz_job_t *j = &f->t.jobs[i];
  assert_int_equal(j->trace_id, id);
  assert_string_equal(jz_rt_str(&f->t, j->label), label);
  jz_assert_double_eq(j->submit, submit);
  jz_assert_double_eq(j->runtime, runtime);
  jz_assert_double_eq(j->walltime, 0);
  assert_int_equal(j->procs, procs);
  assert_int_equal(j->gpus, gpus);
  assert_int_equal(j->cores_per_gpu, 0);
  assert_string_equal(jz_rt_str(&f->t, j->queue), queue);
  assert_int_equal(j->user, -1);
  assert_int_equal(j->account, -1);
  assert_int_equal(j->status, status);
  assert_int_equal(j->line, line);
}

/* openb-small.csv: the window is [100, 5000] (first deletion: the pending pod 0002; last:
 * pods 0000 and 0006). Pods 0000, 0006 (deleted at 5000) and 0007 (no deletion time) are
 * alive at the end; 0001 was created at 50 < 100, before the window; 0002 is pending; 0008
 * ran 0 s. Kept: 0003 (460 milli -> 1 GPU, 1400 - 210 = 1190 s), 0004 (8 GPUs, 2000 s),
 * 0005 (CPU only: 2500 milli -> 3 cores, 500 - 450 = 50 s), 0009 (500 milli, 4000 - 950). */
static void test_small(void **state) {
  jz_rt_t *f = *state;
  assert_int_equal(jz_rt_read(f, "openb", JZ_GOOD "openb-small.csv", NULL), 0);
  assert_int_equal(f->info.lines, 11);
  assert_int_equal(f->info.job_lines, 10);
  assert_int_equal(f->t.n, 4);
  check_job(f, 0, 4, "openb-pod-0003", 200, 1190, 1, 1, "LS", -1, 5);
  check_job(f, 1, 5, "openb-pod-0004", 300, 2000, 8, 8, "BE", 1, 6);
  check_job(f, 2, 6, "openb-pod-0005", 400, 50, 3, 0, "Burstable", 0, 7);
  check_job(f, 3, 10, "openb-pod-0009", 900, 3050, 1, 1, "LS", 1, 11);
  assert_int_equal(jz_rt_skipped(&f->t, "pending pod (never scheduled)"), 1);
  assert_int_equal(jz_rt_skipped(&f->t, "alive at trace end (long-running service)"), 3);
  assert_int_equal(jz_rt_skipped(&f->t, "alive at trace start (long-running service)"), 1);
  assert_int_equal(jz_rt_skipped(&f->t, "runtime <= 0"), 1);
  assert_int_equal(jz_job_table_skipped_total(&f->t), 6);
  assert_int_equal(f->info.n_notes, 2);
  assert_string_equal(f->info.notes[0], "gpu_milli < 1000 rounded up to 1 whole GPU: 2 pods");
  assert_string_equal(f->info.notes[1], "CPU-only pods (num_gpu 0) kept as core jobs: 1 pods");
  assert_true(jz_rt_missing(&f->info, "requested time"));
  assert_true(jz_rt_missing(&f->info, "user"));
  assert_true(jz_rt_missing(&f->info, "account"));
  assert_false(jz_rt_missing(&f->info, "queue"));
}

/* Without qos and pod_phase columns: queue and status unknown. */
static void test_optional_columns(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_RT_WRITE(f, "o.csv",
                              "scheduled_time,deletion_time,creation_time,gpu_milli,num_gpu,"
                              "cpu_milli,name\n"
                              "0,10,0,1000,1,100,a\n"
                              "5,20,5,1000,4,100,b\n"
                              "6,30,6,1000,2,100,c\n");
  assert_int_equal(jz_rt_read(f, "openb", p, NULL), 0);
  /* window [10, 30]: a created at 0 and b at 5 predate it, c ends at its end. */
  assert_int_equal(f->t.n, 0);
  p = JZ_RT_WRITE(f, "o.csv",
                  "scheduled_time,deletion_time,creation_time,gpu_milli,num_gpu,cpu_milli,name\n"
                  "10,12,10,1000,1,100,a\n"
                  "15,25,12,1000,4,100,b\n"
                  "16,30,16,1000,2,100,c\n");
  assert_int_equal(jz_rt_read(f, "openb", p, NULL), 0);
  /* window [12, 30]: a was created at 10, before it; c ends at its end; b is kept. */
  assert_int_equal(f->t.n, 1);
  check_job(f, 0, 2, "b", 12, 10, 4, 4, "(none)", -1, 3);
  assert_true(jz_rt_missing(&f->info, "queue"));
}

static void test_errors(void **state) {
  jz_rt_t *f = *state;
  static const char hdr[] = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,"
                            "creation_time,deletion_time,scheduled_time\n";
  char text[400];
  int n = snprintf(text, sizeof text, "%sp,1000,1,one,1000,,LS,Running,0,10,0\n", hdr);
  jz_rt_expect_error(f, "openb", "e.csv", text, (size_t)n, -JZ_ESYNTAX,
                     "2:10: column 'num_gpu': 'one' is not an integer");
  n = snprintf(text, sizeof text, "%sp,1000,1,-1,1000,,LS,Running,0,10,0\n", hdr);
  jz_rt_expect_error(f, "openb", "e.csv", text, (size_t)n, -JZ_ERANGE,
                     "2:10: column 'num_gpu': '-1' is negative");
  n = snprintf(text, sizeof text, "%sp,1000,1,1,1000,,LS,Running,0,1e,0\n", hdr);
  jz_rt_expect_error(f, "openb", "e.csv", text, (size_t)n, -JZ_ESYNTAX,
                     "2:31: column 'deletion_time': '1e' is not a number");
  JZ_RT_EXPECT_ERROR(f, "openb", "e.csv",
                     "name,cpu_milli,memory_mib,num_gpus,gpu_milli,gpu_spec,qos,pod_phase,"
                     "creation_time,deletion_time,scheduled_time\n",
                     -JZ_EINVAL, "1:27: missing required column 'num_gpu' (found 'num_gpus')");
}

static void test_real(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_GPU_TRACES "alibaba-openb-2023/openb_pod_list_default.csv";
  if (!jz_rt_have(p)) skip();
  assert_int_equal(jz_rt_read(f, "openb", p, NULL), 0);
  assert_int_equal(f->info.job_lines, 8152);
  assert_int_equal(jz_rt_skipped(&f->t, "pending pod (never scheduled)"), 897);
  assert_int_equal(jz_rt_skipped(&f->t, "alive at trace end (long-running service)"), 34);
  assert_int_equal(jz_rt_skipped(&f->t, "alive at trace start (long-running service)"), 16);
  assert_int_equal(f->t.n, 7205);
  assert_string_equal(f->info.notes[0], "gpu_milli < 1000 rounded up to 1 whole GPU: 2557 pods");
  assert_string_equal(f->info.notes[1], "CPU-only pods (num_gpu 0) kept as core jobs: 1050 pods");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_small, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_optional_columns, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_errors, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_real, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
