/* test_jobdiff.c: jobs.csv parsing (quotes, CRLF, errors) and per-job start comparison of
 * `jzsim compare --jobs`, against hand-computed pairings and delays. */
#include "jz_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/jobdiff.h"

#define HDR "job_id,workload_name,submission_time,final_state,starting_time,extra\n"

static jz_jobs_csv_t *csv(const char *text, const char *name) {
  jz_jobs_csv_t *t;
  jz_error_t err = {0};
  if (jz_jobs_csv_parse(text, strlen(text), name, &t, &err)) fail_msg("%s", err.msg);
  return t;
}

static void csv_err(const char *text, const char *msg) {
  jz_jobs_csv_t *t = NULL;
  jz_error_t err = {0};
  assert_true(jz_jobs_csv_parse(text, strlen(text), "j.csv", &t, &err) < 0);
  assert_null(t);
  assert_string_equal(err.msg, msg);
}

static void diff_ok(const char *b, const char *n, jz_jobdiff_t *d, jz_jobs_csv_t **tb) {
  jz_jobs_csv_t *tn = csv(n, "n.csv");
  *tb = csv(b, "b.csv");
  jz_error_t err = {0};
  if (jz_jobdiff_compute(*tb, tn, d, &err)) fail_msg("%s", err.msg);
  jz_jobs_csv_free(tn);
}

/* The worked example of jobdiff.h. */
static void test_worked_example(void **state) {
  (void)state;
  jz_jobdiff_t d;
  jz_jobs_csv_t *tb;
  diff_ok(HDR "a,w,0,COMPLETED_SUCCESSFULLY,0,x\n"
              "b,w,0,COMPLETED_SUCCESSFULLY,10,x\n"
              "c,w,0,COMPLETED_SUCCESSFULLY,20,x\n",
          HDR "a,w,0,COMPLETED_SUCCESSFULLY,0,y\n"
              "b,w,0,COMPLETED_SUCCESSFULLY,40,y\n"
              "c,w,0,COMPLETED_FAILED,15,y\n",
          &d, &tb);
  assert_int_equal(d.jobs, 3);
  assert_int_equal(d.started, 3);
  assert_int_equal(d.later, 1);
  assert_int_equal(d.earlier, 1);
  assert_int_equal(d.unchanged, 1);
  jz_assert_double_eq(d.delay.mean, 25.0 / 3.0);
  jz_assert_double_eq(d.delay.p95, 30); /* ceil(0.95 x 3) = 3rd smallest of {-5, 0, 30} */
  jz_assert_double_eq(d.delay.max, 30);
  jz_assert_double_eq(d.later_mean, 30);
  jz_assert_double_eq(d.earlier_mean, 5);
  assert_int_equal(d.n_worst, 1);
  assert_string_equal(d.worst[0].job_id, "b");
  jz_assert_double_eq(d.worst[0].base_start, 10);
  jz_assert_double_eq(d.worst[0].new_start, 40);
  jz_jobs_csv_free(tb);
}

/* Rows in another order, duplicate ids (paired in file order), two workloads with the same
 * ids, rejected jobs, quoted fields and CRLF line ends. */
static void test_pairing(void **state) {
  (void)state;
  jz_jobdiff_t d;
  jz_jobs_csv_t *tb;
  diff_ok(HDR "1,w,0,COMPLETED_SUCCESSFULLY,100,x\r\n"
              "1,v,0,COMPLETED_SUCCESSFULLY,200,x\r\n"
              "2,w,0,COMPLETED_SUCCESSFULLY,300,x\r\n"
              "2,w,0,COMPLETED_SUCCESSFULLY,400,x\r\n"
              "\"3\",\"w\",0,REJECTED,-1,\"a,\"\"b\"\"\nc\"\r\n"
              "4,w,0,REJECTED,-1,x\r\n"
              "5,w,0,COMPLETED_SUCCESSFULLY,50,x\r\n",
          HDR "5,w,0,REJECTED,-1,x\n"
              "2,w,0,COMPLETED_SUCCESSFULLY,310,x\n"
              "1,v,0,COMPLETED_SUCCESSFULLY,150,x\n"
              "4,w,0,COMPLETED_SUCCESSFULLY,7,x\n"
              "1,w,0,COMPLETED_SUCCESSFULLY,100,x\n"
              "3,w,0,REJECTED,-1,x\n"
              "2,w,0,COMPLETED_SUCCESSFULLY,390,x", /* no final line end */
          &d, &tb);
  assert_int_equal(d.jobs, 7);
  /* 1/w 100->100, 1/v 200->150, 2/w#1 300->310, 2/w#2 400->390. */
  assert_int_equal(d.started, 4);
  assert_int_equal(d.later, 1);
  assert_int_equal(d.earlier, 2);
  assert_int_equal(d.unchanged, 1);
  assert_int_equal(d.rejected_both, 1);
  assert_int_equal(d.rejected_base_only, 1);
  assert_int_equal(d.rejected_new_only, 1);
  jz_assert_double_eq(d.delay.mean, (0 - 50 + 10 - 10) / 4.0);
  jz_assert_double_eq(d.delay.max, 10);
  assert_int_equal(d.n_worst, 1);
  assert_string_equal(d.worst[0].job_id, "2");
  jz_assert_double_eq(d.worst[0].new_start, 310);
  jz_jobs_csv_free(tb);
}

/* The 10 largest delays, ties in base row order. */
static void test_worst(void **state) {
  (void)state;
  char b[4096] = HDR, n[4096] = HDR;
  /* Job k (1..14) starts at 0 in base and at (k % 7) x 10 in new: delays 10..60 twice, 0. */
  for (int k = 1; k <= 14; k++) {
    size_t lb = strlen(b), ln = strlen(n);
    snprintf(b + lb, sizeof b - lb, "%d,w,0,COMPLETED_SUCCESSFULLY,0,x\n", k);
    snprintf(n + ln, sizeof n - ln, "%d,w,0,COMPLETED_SUCCESSFULLY,%d,x\n", k, (k % 7) * 10);
  }
  jz_jobdiff_t d;
  jz_jobs_csv_t *tb;
  diff_ok(b, n, &d, &tb);
  assert_int_equal(d.later, 12);
  assert_int_equal(d.unchanged, 2);
  assert_int_equal(d.n_worst, 10);
  const char *ids[10] = {"6", "13", "5", "12", "4", "11", "3", "10", "2", "9"};
  for (int i = 0; i < 10; i++) assert_string_equal(d.worst[i].job_id, ids[i]);
  jz_assert_double_eq(d.worst[9].delay, 20);
  jz_jobs_csv_free(tb);
}

static void test_job_sets_differ(void **state) {
  (void)state;
  jz_jobs_csv_t *tb = csv(HDR "1,w,0,COMPLETED_SUCCESSFULLY,0,x\n"
                              "2,w,0,COMPLETED_SUCCESSFULLY,0,x\n",
                          "b.csv");
  jz_jobs_csv_t *tn = csv(HDR "1,w,0,COMPLETED_SUCCESSFULLY,0,x\n"
                              "2,v,0,COMPLETED_SUCCESSFULLY,0,x\n",
                          "n.csv");
  jz_jobs_csv_t *tn2 = csv(HDR "2,w,0,COMPLETED_SUCCESSFULLY,0,x\n"
                               "1,w,0,COMPLETED_SUCCESSFULLY,0,x\n"
                               "3,w,0,COMPLETED_SUCCESSFULLY,0,x\n",
                           "n2.csv");
  jz_jobdiff_t d;
  jz_error_t err = {0};
  assert_int_equal(jz_jobdiff_compute(tb, tn, &d, &err), -JZ_EINVAL);
  assert_string_equal(err.msg, "job sets differ: job 2 of workload 'w' (b.csv:3) is not in n.csv");
  assert_int_equal(jz_jobdiff_compute(tb, tn2, &d, &err), -JZ_EINVAL);
  assert_string_equal(err.msg, "job sets differ: job 3 of workload 'w' (n2.csv:4) is not in b.csv");
  jz_jobs_csv_free(tb);
  jz_jobs_csv_free(tn);
  jz_jobs_csv_free(tn2);
}

static void test_csv_errors(void **state) {
  (void)state;
  csv_err("job_id,workload_name,final_state\n1,w,X\n", "j.csv:1: missing column 'starting_time'");
  csv_err(HDR "1,w,0,COMPLETED_SUCCESSFULLY,0\n", "j.csv:2: 5 fields, the header has 6");
  csv_err(HDR "1,w,0,COMPLETED_SUCCESSFULLY,12x,a\n",
          "j.csv:2:30: column 'starting_time': '12x' is not a number");
  csv_err(HDR "1,w,0,COMPLETED_SUCCESSFULLY,0,\"abc\n", "j.csv:2:32: unterminated quoted field");
  csv_err(HDR "1,\"w\"x,0,COMPLETED_SUCCESSFULLY,0,a\n", "j.csv:2:6: text after a closing quote");
  csv_err(HDR "1,w\"x,0,COMPLETED_SUCCESSFULLY,0,a\n", "j.csv:2:4: quote inside an unquoted field");
  /* A quoted line break counts: the bad start is on line 4. */
  csv_err(HDR "1,w,0,COMPLETED_SUCCESSFULLY,0,\"a\nb\"\n2,w,0,REJECTED,?,x\n",
          "j.csv:4:16: column 'starting_time': '?' is not a number");
  jz_jobs_csv_t *t;
  jz_error_t err = {0};
  assert_int_equal(jz_jobs_csv_load("/nonexistent/jobs.csv", &t, &err), -JZ_EIO);
  assert_string_equal(err.msg, "/nonexistent/jobs.csv: cannot open: No such file or directory");
  /* Blank lines and a byte order mark are fine. */
  t = csv("\xEF\xBB\xBF" HDR "\n1,w,0,REJECTED,-1,x\n\r\n", "j.csv");
  assert_int_equal(jz_jobs_csv_rows(t), 1);
  jz_jobs_csv_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_worked_example), cmocka_unit_test(test_pairing),
      cmocka_unit_test(test_worst),          cmocka_unit_test(test_job_sets_differ),
      cmocka_unit_test(test_csv_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
