/* test_itp.c: the Microsoft ITP CSV reader: hand-computed fields of itp-small.csv, header
 * handling, errors with line:col, lenient mode, max_jobs, and the real cluster04 trace. */
#include "jz_reader_test.h"

static void check_job(const jz_rt_t *f, size_t i, int64_t id, const char *label, double submit,
                      double runtime, int gpus, uint32_t line) {
  const jz_job_t *j = &f->t.jobs[i];
  assert_int_equal(j->trace_id, id);
  assert_string_equal(jz_rt_str(&f->t, j->label), label);
  jz_assert_double_eq(j->submit, submit);
  jz_assert_double_eq(j->runtime, runtime);
  jz_assert_double_eq(j->walltime, 0);
  assert_int_equal(j->procs, gpus);
  assert_int_equal(j->gpus, gpus);
  assert_int_equal(j->nodes, 0);
  assert_int_equal(j->user, -1);
  assert_int_equal(j->account, -1);
  assert_int_equal(j->queue, -1);
  assert_int_equal(j->status, -1);
  assert_int_equal(j->line, line);
}

static void test_small(void **state) {
  jz_rt_t *f = *state;
  jz_read_opts_t o = {.workload = 3};
  assert_int_equal(jz_rt_read(f, "itp", JZ_GOOD "itp-small.csv", &o), 0);
  assert_int_equal(f->info.lines, 7);
  assert_int_equal(f->info.job_lines, 6);
  assert_int_equal(f->t.n, 4);
  /* UUIDs become labels with the record number as trace_id; the integer id 7 is kept. */
  check_job(f, 0, 1, "a1b2c3d4-0000-4000-8000-000000000001", 0, 600, 1, 2);
  check_job(f, 1, 2, "a1b2c3d4-0000-4000-8000-000000000002", 30, 1200, 8, 3);
  check_job(f, 2, 7, "(none)", 90, 3600, 4, 5);
  check_job(f, 3, 6, "a1b2c3d4-0000-4000-8000-000000000006", 150, 86400.5, 64, 7);
  for (size_t i = 0; i < f->t.n; i++) assert_int_equal(f->t.jobs[i].workload, 3);
  assert_int_equal(jz_rt_skipped(&f->t, "runtime <= 0"), 1);
  assert_int_equal(jz_rt_skipped(&f->t, "no processors"), 1);
  assert_int_equal(f->info.n_missing, 4);
  assert_true(jz_rt_missing(&f->info, "requested time"));
  assert_true(jz_rt_missing(&f->info, "user"));
  assert_true(jz_rt_missing(&f->info, "account"));
  assert_true(jz_rt_missing(&f->info, "queue"));
}

/* Columns in another order, an extra column, CRLF line ends, no final newline, gzip. */
static void test_layout(void **state) {
  jz_rt_t *f = *state;
  static const char text[] = "num_gpu,model,duration,job_id,submission_time\r\n"
                             "2,resnet,100,x,5\r\n"
                             "\r\n"
                             "4,bert,200,y,6";
  const char *names[] = {"a.csv", "a.csv.gz"};
  for (int k = 0; k < 2; k++) {
    const char *p = jz_rt_write(f, names[k], text, sizeof text - 1);
    assert_int_equal(jz_rt_read(f, "itp", p, NULL), 0);
    assert_int_equal(f->info.lines, 4);
    assert_int_equal(f->t.n, 2);
    assert_string_equal(jz_rt_str(&f->t, f->t.jobs[1].label), "y");
    jz_assert_double_eq(f->t.jobs[1].submit, 6);
    jz_assert_double_eq(f->t.jobs[1].runtime, 200);
    assert_int_equal(f->t.jobs[1].gpus, 4);
    assert_int_equal(f->t.jobs[1].line, 4);
  }
}

/* A UTF-8 byte order mark (spreadsheets write one) is not part of the first column's name. */
static void test_bom(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_RT_WRITE(f, "b.csv", "\xEF\xBB\xBFjob_id,submission_time,duration,num_gpu\n"
                                          "a,1,2,3\n");
  assert_int_equal(jz_rt_read(f, "itp", p, NULL), 0);
  assert_int_equal(f->t.n, 1);
  assert_string_equal(jz_rt_str(&f->t, f->t.jobs[0].label), "a");
  memset(&f->err, 0, sizeof f->err);
  const jz_reader_t *r = jz_reader_detect(p, &f->err);
  assert_non_null(r);
  assert_string_equal(r->name, "itp");
}

static void test_errors(void **state) {
  jz_rt_t *f = *state;
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,duration,num_gpu\na,1,12x,1\n",
                     -JZ_ESYNTAX, "2:5: column 'duration': '12x' is not a number");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,duration,num_gpu\na,1,2,1.5\n",
                     -JZ_ESYNTAX, "2:7: column 'num_gpu': '1.5' is not an integer");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv",
                     "job_id,submission_time,duration,num_gpu\na,1,2,99999999999\n", -JZ_ERANGE,
                     "2:7: column 'num_gpu': '99999999999' is out of range");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,duration,num_gpu\na,1,2\n",
                     -JZ_ESYNTAX, "2: expected 4 columns, found 3");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,duraton,num_gpu\n", -JZ_EINVAL,
                     "1:24: missing required column 'duration' (found 'duraton')");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,num_gpu\n", -JZ_EINVAL,
                     "1: missing required column 'duration'");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,job_id,submission_time,duration,num_gpu\n",
                     -JZ_EINVAL, "1:8: duplicate column 'job_id'");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,duration,num_gpu\n\"a,1,2,3\n",
                     -JZ_ESYNTAX, "2:1: unterminated quote");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "job_id,submission_time,duration,num_gpu\na,1\0,2,3\n",
                     -JZ_ESYNTAX, "2:4: unexpected byte 0x00");
  JZ_RT_EXPECT_ERROR(f, "itp", "e.csv", "\n\n", -JZ_ESYNTAX, " empty file: no header line");
}

static void test_missing_file(void **state) {
  jz_rt_t *f = *state;
  assert_int_equal(jz_rt_read(f, "itp", "/nonexistent/x.csv", NULL), -JZ_EIO);
  assert_string_equal(f->err.msg, "/nonexistent/x.csv: cannot open: No such file or directory");
}

/* Lenient: bad records are counted and skipped; a bad header still fails. */
static void test_lenient(void **state) {
  jz_rt_t *f = *state;
  jz_read_opts_t o = {.lenient = true};
  const char *p = JZ_RT_WRITE(f, "l.csv",
                              "job_id,submission_time,duration,num_gpu\n"
                              "a,1,x,1\nb,2,10,1\nc,3\nd,4,10,2\n");
  assert_int_equal(jz_rt_read(f, "itp", p, &o), 0);
  assert_int_equal(f->t.n, 2);
  assert_int_equal(f->t.malformed, 2);
  assert_int_equal(f->info.job_lines, 4);
  p = JZ_RT_WRITE(f, "h.csv", "job_id,submission_time,duration\na,1,2\n");
  assert_int_equal(jz_rt_read(f, "itp", p, &o), -JZ_EINVAL);
  char want[300];
  snprintf(want, sizeof want, "%s:1: missing required column 'num_gpu'", p);
  assert_string_equal(f->err.msg, want);
}

static void test_max_jobs(void **state) {
  jz_rt_t *f = *state;
  jz_read_opts_t o = {.max_jobs = 3};
  assert_int_equal(jz_rt_read(f, "itp", JZ_GOOD "itp-small.csv", &o), 0);
  assert_int_equal(f->info.job_lines, 3); /* records read, kept or not */
  assert_int_equal(f->t.n, 2);
  assert_int_equal(jz_rt_skipped(&f->t, "runtime <= 0"), 1);
}

static void test_real_cluster04(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_GPU_TRACES "microsoft-itp-elasticflow-2021/cluster04.csv";
  if (!jz_rt_have(p)) skip();
  assert_int_equal(jz_rt_read(f, "itp", p, NULL), 0);
  assert_int_equal(f->info.job_lines, 15802);
  assert_int_equal(f->t.n, 15802);
  assert_int_equal(jz_job_table_skipped_total(&f->t), 0);
  int maxg = 0;
  for (size_t i = 0; i < f->t.n; i++)
    if (f->t.jobs[i].gpus > maxg) maxg = f->t.jobs[i].gpus;
  assert_int_equal(maxg, 64);
  assert_string_equal(jz_rt_str(&f->t, f->t.jobs[0].label), "c9c620ea-4336-c1a9-8abe-e26bd13076b8");
  jz_assert_double_eq(f->t.jobs[0].submit, 5810);
  jz_assert_double_eq(f->t.jobs[0].runtime, 288476);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_small, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_layout, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_bom, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_errors, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_missing_file, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_lenient, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_max_jobs, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_real_cluster04, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
