/* test_sacct.c: the Slurm sacct --parsable2 reader: sacct-small.txt job by job (steps folded,
 * array tasks, pending array, heterogeneous components, TIMEOUT, CANCELLED by, GPUs from
 * AllocTRES or ReqTRES), every duration form, field order and aliases, and the errors. */
#include "jz_reader_test.h"

typedef struct want {
  int64_t id;
  const char *label;
  double submit, runtime, walltime;
  int procs, nodes, gpus;
  const char *queue, *account, *user;
  int status;
  uint32_t line;
} want_t;

static void check_job(const jz_rt_t *f, size_t i, const want_t *w) {
  const jz_job_t *j = &f->t.jobs[i];
  assert_int_equal(j->trace_id, w->id);
  assert_string_equal(jz_rt_str(&f->t, j->label), w->label);
  jz_assert_double_eq(j->submit, w->submit);
  jz_assert_double_eq(j->runtime, w->runtime);
  jz_assert_double_eq(j->walltime, w->walltime);
  assert_int_equal(j->procs, w->procs);
  assert_int_equal(j->nodes, w->nodes);
  assert_int_equal(j->gpus, w->gpus);
  assert_string_equal(jz_rt_str(&f->t, j->queue), w->queue);
  assert_string_equal(jz_rt_str(&f->t, j->account), w->account);
  assert_string_equal(jz_rt_str(&f->t, j->user), w->user);
  assert_int_equal(j->status, w->status);
  assert_int_equal(j->line, w->line);
}

/* Time 0 = 2024-01-01T00:00:00 (job 1001; the pending 1007 submitted the day before is
 * skipped, so it does not set the origin). Job records are numbered 1..15 (steps are not
 * records): the array tasks 1010_1 and 1010_2 are records 9 and 10. */
static void test_small(void **state) {
  jz_rt_t *f = *state;
  static const want_t w[] = {
      /* 1001: 01:00:00 run, 02:00:00 limit; its .batch and .extern steps are folded. */
      {1001, "(none)", 0, 3600, 7200, 40, 1, 0, "qos_cpu-t3", "proj-a", "alice", 1, 2},
      /* 1002: 1-02:03:04 = 86400 + 7200 + 180 + 4 = 93784; 2-00:00:00 = 172800; gres/gpu=8
       * is the generic count (not 8 + the typed gres/gpu:v100=8). */
      {1002, "(none)", 300, 93784, 172800, 80, 2, 8, "qos_gpu-t4", "proj-b", "bob", 1, 5},
      /* 1003 TIMEOUT: 00:30:27 > 00:30:00, status 1 and flagged timed out; gres/gpu:a100=1
       * only. */
      {1003, "(none)", 3600, 1827, 1800, 10, 1, 1, "qos_gpu-t3", "proj-b", "bob", 1, 8},
      /* 1004 "CANCELLED by 5001": Elapsed "20:00" is MM:SS = 1200; Timelimit "1-12" is
       * D-HH = 36 h = 129600. */
      {1004, "(none)", 7200, 1200, 129600, 4, 1, 0, "qos_cpu-t3", "proj-a", "alice", 5, 10},
      /* 1006 FAILED: Timelimit "90" is minutes = 5400. */
      {1006, "(none)", 10800, 5, 5400, 8, 1, 0, "qos_cpu-dev", "proj-c", "carol", 0, 12},
      /* 1010_1: Timelimit "1-02:30" is D-HH:MM = 86400 + 9000 = 95400. */
      {9, "1010_1", 14400, 600, 95400, 2, 1, 0, "qos_cpu-t3", "proj-a", "dave", 1, 15},
      /* 1010_2 OUT_OF_MEMORY, UNLIMITED: walltime unknown. */
      {10, "1010_2", 14400, 300, 0, 2, 1, 0, "qos_cpu-t3", "proj-a", "dave", 0, 17},
      /* 1030 NODE_FAIL: AllocTRES empty, GPUs from ReqTRES; no QOS/Account/User text. */
      {1030, "(none)", 21600, 2700, 3600, 4, 1, 2, "(none)", "(none)", "(none)", 0, 22},
      /* 1040: 2024 is a leap year: Jan 31 + Feb 28 = 59 days, + 12 h = 5,140,800 s. */
      {1040, "(none)", 5140800, 3600, 3600, 1, 1, 0, "qos_cpu-t3", "proj-c", "carol", 1, 23},
  };
  assert_int_equal(jz_rt_read(f, "sacct", JZ_GOOD "sacct-small.txt", NULL), 0);
  assert_int_equal(f->info.lines, 23);
  assert_int_equal(f->info.job_lines, 15);
  assert_int_equal(f->t.n, sizeof w / sizeof w[0]);
  for (size_t i = 0; i < f->t.n; i++) check_job(f, i, &w[i]);
  /* Only the TIMEOUT job carries the time-limit kill. */
  for (size_t i = 0; i < f->t.n; i++)
    assert_int_equal(f->t.jobs[i].flags & JZ_JOB_TIMED_OUT,
                     f->t.jobs[i].trace_id == 1003 ? JZ_JOB_TIMED_OUT : 0);
  assert_int_equal(jz_rt_skipped(&f->t, "never started"), 1);      /* 1005 */
  assert_int_equal(jz_rt_skipped(&f->t, "pending"), 1);            /* 1007 */
  assert_int_equal(jz_rt_skipped(&f->t, "running (not ended)"), 1); /* 1008 */
  assert_int_equal(jz_rt_skipped(&f->t, "pending array"), 1);      /* 1010_[3-5%2] */
  assert_int_equal(jz_rt_skipped(&f->t, "heterogeneous job (not supported)"), 2);
  assert_int_equal(jz_job_table_skipped_total(&f->t), 6);
  assert_string_equal(f->info.notes[0],
                      "time 0 = 2024-01-01 00:00:00 (earliest Submit, sacct's local time)");
  /* 1010_2 has no time limit and 1030 no QOS, account or user. */
  assert_int_equal(f->info.n_missing, 4);
  assert_true(jz_rt_missing(&f->info, "requested time"));
  assert_true(jz_rt_missing(&f->info, "queue"));
}

static void test_max_jobs(void **state) {
  jz_rt_t *f = *state;
  jz_read_opts_t o = {.max_jobs = 2};
  assert_int_equal(jz_rt_read(f, "sacct", JZ_GOOD "sacct-small.txt", &o), 0);
  assert_int_equal(f->info.job_lines, 2); /* 1001 and 1002: the steps between do not count */
  assert_int_equal(f->t.n, 2);
  assert_int_equal(f->info.lines, 5);
}

/* One job "1" with the given Elapsed and Timelimit. */
static int read_times(jz_rt_t *f, const char *elapsed, const char *limit) {
  char text[400];
  int n = snprintf(text, sizeof text,
                   "JobID|Submit|Start|End|Elapsed|Timelimit|NNodes|NCPUS|State\n"
                   "1|2024-01-01T00:00:00|2024-01-01T00:00:00|2024-01-01T01:00:00|%s|%s|1|1|"
                   "COMPLETED\n",
                   elapsed, limit);
  const char *p = jz_rt_write(f, "t.txt", text, (size_t)n);
  return jz_rt_read(f, "sacct", p, NULL);
}

static void test_durations(void **state) {
  jz_rt_t *f = *state;
  static const struct {
    const char *text;
    double secs;
  } ok[] = {
      {"1-02:03:04", 93784}, {"02:03:04", 7384}, {"100:00:00", 360000}, {"03:04", 184},
      {"90", 5400},          {"1-02", 93600},    {"1-02:03", 93780},    {"0-00:00:01", 1},
      {"00:00:01.5", 1.5},   {"10-00:00:00", 864000},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(read_times(f, ok[i].text, ok[i].text), 0);
    assert_int_equal(f->t.n, 1);
    jz_assert_double_eq(f->t.jobs[0].runtime, ok[i].secs);
    jz_assert_double_eq(f->t.jobs[0].walltime, ok[i].secs);
  }
  static const char *const unknown[] = {"UNLIMITED", "Partition_Limit", "partition_limit"};
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(read_times(f, "01:00:00", unknown[i]), 0);
    jz_assert_double_eq(f->t.jobs[0].walltime, 0);
    assert_true(jz_rt_missing(&f->info, "requested time"));
  }
  static const char *const bad[] = {"1-24:00:00", "00:60:00", "1:61",   "1-",  "-5", "1:2:3:4",
                                    "abc",        "",         "1-2:3:4:5", "1.5", "1:00:00x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(read_times(f, "01:00:00", bad[i]), -JZ_ESYNTAX);
    char want[400];
    snprintf(want, sizeof want, "%s:2:72: field 'Timelimit': '%s' is not a duration ([D-]HH:MM:SS)",
             f->path, bad[i]);
    assert_string_equal(f->err.msg, want);
  }
  /* UNLIMITED is a time limit, not an elapsed time. */
  assert_int_equal(read_times(f, "UNLIMITED", "01:00:00"), -JZ_ESYNTAX);
}

/* Fields in another order and case, AllocCPUS for NCPUS, no Elapsed (End - Start), extra
 * fields, `--parsable`'s trailing '|', a cut state "CANCELLED+". */
static void test_layout(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_RT_WRITE(f, "l.txt",
                              "state|jobid|jobname|allocCPUS|nnodes|timelimit|end|start|submit|\n"
                              "CANCELLED+|77|my job|16|2|1-00:00:00|2024-03-01T10:00:00|"
                              "2024-03-01T09:00:00|2024-03-01T08:00:00|\n"
                              "COMPLETED|78|x|1|1|5|2024-03-01T10:00:10|2024-03-01T10:00:00|"
                              "2024-03-01T09:00:00|\n");
  assert_int_equal(jz_rt_read(f, "sacct", p, NULL), 0);
  assert_int_equal(f->t.n, 2);
  static const want_t w0 = {77, "(none)", 0, 3600, 86400, 16, 2, 0,
                            "(none)", "(none)", "(none)", 5, 2};
  check_job(f, 0, &w0);
  static const want_t w1 = {78, "(none)", 3600, 10, 300, 1, 1, 0,
                            "(none)", "(none)", "(none)", 1, 3};
  check_job(f, 1, &w1);
  assert_true(jz_rt_missing(&f->info, "user"));
  assert_true(jz_rt_missing(&f->info, "account"));
}

/* A TIMEOUT job is killed at its limit whatever Elapsed says; the replay, on one 4-core node
 * where nothing waits, ends each job as the trace did:
 *   1 TIMEOUT,   Elapsed 01:00:00 = Timelimit: 0-3600, COMPLETED_WALLTIME_REACHED (it once
 *     replayed as a success: runtime > walltime is false);
 *   2 COMPLETED, Elapsed 01:00:00 = Timelimit: 0-3600, COMPLETED_SUCCESSFULLY (a job may end
 *     on its last second);
 *   3 TIMEOUT,   Elapsed 01:00:30 > Timelimit 01:00:00 (Slurm's grace): killed at 3600;
 *   4 TIMEOUT,   Elapsed 00:59:59 < Timelimit 01:00:00 (a limit lowered while it ran, rounding):
 *     ends at 3599, still COMPLETED_WALLTIME_REACHED: the trace says the limit ended it. */
static void test_timeout_replay(void **state) {
  jz_rt_t *f = *state;
  const char *path =
      JZ_RT_WRITE(f, "to.txt",
                  "JobID|Submit|Start|End|Elapsed|Timelimit|NNodes|NCPUS|State\n"
                  "1|2024-01-01T00:00:00|2024-01-01T00:00:00|2024-01-01T01:00:00|01:00:00|01:00:00|1|1|TIMEOUT\n"
                  "2|2024-01-01T00:00:00|2024-01-01T00:00:00|2024-01-01T01:00:00|01:00:00|01:00:00|1|1|COMPLETED\n"
                  "3|2024-01-01T00:00:00|2024-01-01T00:00:00|2024-01-01T01:00:30|01:00:30|01:00:00|1|1|TIMEOUT\n"
                  "4|2024-01-01T00:00:00|2024-01-01T00:00:00|2024-01-01T00:59:59|00:59:59|01:00:00|1|1|TIMEOUT\n");
  assert_int_equal(jz_rt_read(f, "sacct", path, NULL), 0);
  assert_int_equal(f->t.n, 4);
  for (size_t i = 0; i < f->t.n; i++) f->t.jobs[i].partition = 0;
  const int nodes[] = {1}, cores[] = {4};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &f->t, "fcfs");
  assert_int_equal(sim.rc, 0);
  static const struct {
    double finish;
    int state;
  } want[] = {
      {3600, JZ_STATE_COMPLETED_WALLTIME_REACHED},
      {3600, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {3600, JZ_STATE_COMPLETED_WALLTIME_REACHED},
      {3599, JZ_STATE_COMPLETED_WALLTIME_REACHED},
  };
  for (uint32_t i = 0; i < 4; i++) {
    assert_int_equal(f->t.jobs[i].trace_id, (int64_t)i + 1);
    jz_assert_double_eq(sim.s.run[i].start, 0);
    jz_assert_double_eq(sim.s.run[i].finish, want[i].finish);
    assert_int_equal(sim.s.run[i].state, want[i].state);
  }
  jz_test_sim_free(&sim);
  jz_test_platform_free(p);
}

static void test_errors(void **state) {
  jz_rt_t *f = *state;
#define HDR "JobID|Submit|Start|End|Elapsed|Timelimit|NNodes|NCPUS|AllocTRES|State\n"
#define TIMES "|2024-01-01T00:00:00|2024-01-01T00:00:00|2024-01-01T01:00:00|01:00:00|02:00:00|1|4|"
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt", HDR "12x" TIMES "|COMPLETED\n", -JZ_ESYNTAX,
                     "2:1: field 'JobID': '12x' is not a Slurm job id");
  static const char *const ids[] = {"123_", "123+", "123_x", "123.", "_1", "123_[1-2", "123-4"};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    char text[300], where[100];
    int n = snprintf(text, sizeof text, HDR "%s" TIMES "|COMPLETED\n", ids[i]);
    snprintf(where, sizeof where, "2:1: field 'JobID': '%s' is not a Slurm job id", ids[i]);
    jz_rt_expect_error(f, "sacct", "e.txt", text, (size_t)n, -JZ_ESYNTAX, where);
  }
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt", HDR "1" TIMES "|DONE\n", -JZ_ESYNTAX,
                     "2:86: field 'State': 'DONE' is not a Slurm job state");
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt", HDR "1" TIMES "cpu=4,gres/gpu=x|COMPLETED\n",
                     -JZ_ESYNTAX, "2:91: field 'AllocTRES': 'gres/gpu=x' is not a GPU count");
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt",
                     HDR "1|2024-01-01 00:00:00|2024-01-01T00:00:00|2024-01-01T01:00:00|"
                         "01:00:00|02:00:00|1|4||COMPLETED\n",
                     -JZ_ESYNTAX,
                     "2:3: field 'Submit': '2024-01-01 00:00:00' is not a date and time "
                     "(YYYY-MM-DDTHH:MM:SS)");
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt", HDR "1" TIMES "|COMPLETED|extra\n", -JZ_ESYNTAX,
                     "2: expected 10 fields, found 11");
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt", "JobID|Submit|Start|End|Elapsed|Timelimit|NNodes|State\n",
                     -JZ_EINVAL, "1: missing required field 'NCPUS'");
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt", "JobID|Submit|End|Timelimit|NNodes|NCPUS|State\n",
                     -JZ_EINVAL, "1: missing required field 'Elapsed'");
  JZ_RT_EXPECT_ERROR(f, "sacct", "e.txt",
                     "JobID|Submit|Start|End|Elapsed|Timelimit|NNodes|NCPUS|Stat\n", -JZ_EINVAL,
                     "1:55: missing required field 'State' (found 'Stat')");
#undef HDR
#undef TIMES
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_small, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_max_jobs, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_durations, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_layout, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_timeout_replay, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_errors, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
