/* test_philly.c: the Philly per-job CSV reader: timestamps to seconds from the earliest one
 * (hand-computed across month, year and leap-year edges), cluster as account, errors, and
 * the real philly.csv.gz. */
#include "jz_reader_test.h"

static void check_job(const jz_rt_t *f, size_t i, int64_t id, double submit, double runtime,
                      int gpus, const char *account, uint32_t line) {
  const jz_job_t *j = &f->t.jobs[i];
  assert_int_equal(j->trace_id, id);
  assert_int_equal(j->label, -1);
  jz_assert_double_eq(j->submit, submit);
  jz_assert_double_eq(j->runtime, runtime);
  jz_assert_double_eq(j->walltime, 0);
  assert_int_equal(j->procs, gpus);
  assert_int_equal(j->gpus, gpus);
  assert_string_equal(jz_rt_str(&f->t, j->account), account);
  assert_int_equal(j->user, -1);
  assert_int_equal(j->queue, -1);
  assert_int_equal(j->status, -1);
  assert_int_equal(j->line, line);
}

/* Origin: 2017-02-28 23:59:59 (row 4); 2017 is not a leap year. Days after Feb 28:
 * Mar 1 is 1, Oct 1 is 1 + 31+30+31+30+31+31+30 = 215, so 2017-09-30 23:59:59 is 214 days
 * = 18,489,600 s and 2017-10-01 00:00:00 one second more. 2017-10-09 07:01:55 is 223 days
 * minus (23:59:59 - 07:01:55 = 61,084 s) = 19,267,200 - 61,084 = 19,206,116 s.
 * 2017-12-31 23:59:59 is 215 + 31 + 30 + 30 = 306 days = 26,438,400 s. */
static void test_small(void **state) {
  jz_rt_t *f = *state;
  assert_int_equal(jz_rt_read(f, "philly", JZ_GOOD "philly-small.csv", NULL), 0);
  assert_int_equal(f->info.lines, 7);
  assert_int_equal(f->info.job_lines, 6);
  assert_int_equal(f->t.n, 5);
  check_job(f, 0, 1, 19206116, 66, 1, "11cb48", 2);
  check_job(f, 1, 2, 18489600, 2951, 2, "6214e9", 3);
  check_job(f, 2, 3, 18489601, 10.5, 4, "6214e9", 4);
  check_job(f, 3, 4, 0, 100, 8, "b436b2", 5);
  check_job(f, 4, 6, 26438400, 3600, 128, "6c71a0", 7);
  assert_int_equal(jz_rt_skipped(&f->t, "runtime <= 0"), 1);
  assert_int_equal(f->info.n_missing, 3);
  assert_true(jz_rt_missing(&f->info, "requested time"));
  assert_true(jz_rt_missing(&f->info, "user"));
  assert_true(jz_rt_missing(&f->info, "queue"));
  assert_false(jz_rt_missing(&f->info, "account"));
  assert_int_equal(f->info.n_notes, 1);
  assert_string_equal(f->info.notes[0],
                      "time 0 = 2017-02-28 23:59:59 (earliest timestamp; time zone not stated)");
}

/* Leap days: 2016-02-29 exists, 2000 was a leap year, 1900 was not. */
static void test_calendar(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_RT_WRITE(f, "c.csv",
                              "timestamp,duration,num_gpus\n"
                              "2016-02-28 00:00:00,1,1\n"
                              "2016-03-01 00:00:00,1,1\n"
                              "2000-02-28 00:00:00,1,1\n"
                              "2000-03-01 00:00:00,1,1\n"
                              "1970-01-01 00:00:00,1,1\n");
  assert_int_equal(jz_rt_read(f, "philly", p, NULL), 0);
  assert_int_equal(f->t.n, 5);
  /* 1970-01-01 is the origin: the others are plain Unix times. */
  jz_assert_double_eq(f->t.jobs[0].submit, 1456617600);
  jz_assert_double_eq(f->t.jobs[1].submit, 1456617600 + 2 * 86400);
  jz_assert_double_eq(f->t.jobs[2].submit, 951696000);
  jz_assert_double_eq(f->t.jobs[3].submit, 951696000 + 2 * 86400);
  jz_assert_double_eq(f->t.jobs[4].submit, 0);
  assert_int_equal(f->t.jobs[0].account, -1); /* no cluster column */
  assert_true(jz_rt_missing(&f->info, "account"));
}

static void test_errors(void **state) {
  jz_rt_t *f = *state;
  static const char *const bad[] = {
      "2017-02-29 10:00:00", "2017-13-01 10:00:00", "2017-00-10 10:00:00",
      "2017-04-31 10:00:00", "2017-01-01 24:00:00", "2017-01-01 10:60:00",
      "2017-01-01T10:00:00", "2017-1-01 10:00:00",  "2017-01-01 10:00",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[200], where[200];
    int n = snprintf(text, sizeof text, "timestamp,duration,num_gpus\n%s,1.0,1\n", bad[i]);
    snprintf(where, sizeof where,
             "2:1: column 'timestamp': '%s' is not a date and time (YYYY-MM-DD HH:MM:SS)", bad[i]);
    jz_rt_expect_error(f, "philly", "e.csv", text, (size_t)n, -JZ_ESYNTAX, where);
  }
  JZ_RT_EXPECT_ERROR(f, "philly", "e.csv",
                     "timestamp,duration,num_gpus\n2017-01-01 00:00:00,1.5x,1\n", -JZ_ESYNTAX,
                     "2:21: column 'duration': '1.5x' is not a number");
  JZ_RT_EXPECT_ERROR(f, "philly", "e.csv", "timestamp,duration\n", -JZ_EINVAL,
                     "1: missing required column 'num_gpus'");
}

static void test_gzip(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_RT_WRITE(f, "p.csv.gz",
                              "timestamp,duration,num_gpus,gpu_time,cluster\n"
                              "2017-10-09 07:01:55,66.0,1,66.0,11cb48\n"
                              "2017-10-09 07:00:00,6.0,2,12.0,11cb48\n");
  assert_int_equal(jz_rt_read(f, "philly", p, NULL), 0);
  assert_int_equal(f->t.n, 2);
  jz_assert_double_eq(f->t.jobs[0].submit, 115);
  jz_assert_double_eq(f->t.jobs[1].submit, 0);
}

static void test_real(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_GPU_TRACES "philly-pollux-2017/philly.csv.gz";
  if (!jz_rt_have(p)) skip();
  assert_int_equal(jz_rt_read(f, "philly", p, NULL), 0);
  assert_int_equal(f->info.job_lines, 82247);
  assert_int_equal(f->t.n, 82247);
  int maxg = 0;
  double maxs = 0;
  for (size_t i = 0; i < f->t.n; i++) {
    if (f->t.jobs[i].gpus > maxg) maxg = f->t.jobs[i].gpus;
    if (f->t.jobs[i].submit > maxs) maxs = f->t.jobs[i].submit;
  }
  assert_int_equal(maxg, 128);
  /* 2017-09-04 10:30:41 -> 2017-12-22 08:02:11: 108 days + 21:31:30 = 9,408,690 s. */
  jz_assert_double_eq(maxs, 9408690);
  assert_string_equal(f->info.notes[0],
                      "time 0 = 2017-09-04 10:30:41 (earliest timestamp; time zone not stated)");
  assert_int_equal(f->t.strings.n, 15); /* the 15 virtual clusters */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_small, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_calendar, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_errors, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_gzip, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_real, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
