/* test_native.c: jzsim's own job formats, jobs-csv and jobs-yaml: the same four jobs written
 * both ways (jobs-small.csv, jobs-small.yaml), every key, and the errors with line:col. */
#include "jz_reader_test.h"

typedef struct want {
  int64_t id;
  const char *label;
  double submit, runtime, walltime;
  int procs, gpus, nodes, cpg;
  bool exclusive;
  const char *queue, *account, *user;
  int status;
} want_t;

/* Both files hold these jobs, then a fifth with runtime 0 (skipped). */
static const want_t small[] = {
    /* walltime "2h" = 7200 */
    {1, "(none)", 0, 3600, 7200, 40, 0, 0, 0, false, "normal", "proj-a", "alice", 1},
    /* runtime "1.5h" = 5400; no walltime; procs = gpus; status not given: -1 */
    {2, "(none)", 10, 5400, 0, 4, 4, 0, 10, false, "long", "proj-b", "bob", -1},
    /* id "job-3" is text: label, trace_id = record 3; submit "1min" = 60; procs = nodes */
    {3, "job-3", 60, 600, 900, 2, 0, 2, 0, true, "(none)", "proj-a", "alice", 0},
};

static void check_job(const jz_rt_t *f, size_t i, const want_t *w, uint32_t line) {
  const jz_job_t *j = &f->t.jobs[i];
  assert_int_equal(j->trace_id, w->id);
  assert_string_equal(jz_rt_str(&f->t, j->label), w->label);
  jz_assert_double_eq(j->submit, w->submit);
  jz_assert_double_eq(j->runtime, w->runtime);
  jz_assert_double_eq(j->walltime, w->walltime);
  assert_int_equal(j->procs, w->procs);
  assert_int_equal(j->gpus, w->gpus);
  assert_int_equal(j->nodes, w->nodes);
  assert_int_equal(j->cores_per_gpu, w->cpg);
  assert_int_equal(j->flags & JZ_JOB_EXCLUSIVE, w->exclusive ? JZ_JOB_EXCLUSIVE : 0);
  assert_string_equal(jz_rt_str(&f->t, j->queue), w->queue);
  assert_string_equal(jz_rt_str(&f->t, j->account), w->account);
  assert_string_equal(jz_rt_str(&f->t, j->user), w->user);
  assert_int_equal(j->status, w->status);
  assert_int_equal(j->line, line);
}

static void test_csv_small(void **state) {
  jz_rt_t *f = *state;
  jz_read_opts_t o = {.workload = 1};
  assert_int_equal(jz_rt_read(f, "jobs-csv", JZ_GOOD "jobs-small.csv", &o), 0);
  assert_int_equal(f->info.lines, 8);
  assert_int_equal(f->info.job_lines, 5);
  assert_int_equal(f->t.n, 4);
  check_job(f, 0, &small[0], 3);
  check_job(f, 1, &small[1], 4);
  check_job(f, 2, &small[2], 6); /* after a blank line */
  /* job 4: quoted cells ("120", "carol"), no account, status 5 */
  static const want_t w4 = {4, "(none)", 120, 30, 60, 1, 0, 0, 0, false,
                            "normal", "(none)", "carol", 5};
  check_job(f, 3, &w4, 7);
  assert_int_equal(f->t.jobs[0].workload, 1);
  assert_int_equal(jz_rt_skipped(&f->t, "runtime <= 0"), 1);
  assert_int_equal(f->info.n_missing, 3);
  assert_true(jz_rt_missing(&f->info, "requested time"));
  assert_true(jz_rt_missing(&f->info, "account"));
  assert_true(jz_rt_missing(&f->info, "queue"));
}

static void test_yaml_small(void **state) {
  jz_rt_t *f = *state;
  assert_int_equal(jz_rt_read(f, "jobs-yaml", JZ_GOOD "jobs-small.yaml", NULL), 0);
  assert_int_equal(f->info.lines, 13);
  assert_int_equal(f->info.job_lines, 4);
  assert_int_equal(f->t.n, 3);
  check_job(f, 0, &small[0], 3);
  check_job(f, 1, &small[1], 4);
  check_job(f, 2, &small[2], 12);
  assert_int_equal(jz_rt_skipped(&f->t, "runtime <= 0"), 1);
  assert_true(jz_rt_missing(&f->info, "requested time"));
  assert_true(jz_rt_missing(&f->info, "queue"));
  assert_false(jz_rt_missing(&f->info, "account"));
}

static void test_csv_minimal(void **state) {
  jz_rt_t *f = *state;
  const char *p = JZ_RT_WRITE(f, "m.csv", "runtime,submit,gpus\n3600,0.5,2\n1e3,1d,1\n");
  assert_int_equal(jz_rt_read(f, "jobs-csv", p, NULL), 0);
  assert_int_equal(f->t.n, 2);
  assert_int_equal(f->t.jobs[0].trace_id, 1); /* no id column: the record number */
  jz_assert_double_eq(f->t.jobs[0].submit, 0.5);
  jz_assert_double_eq(f->t.jobs[1].runtime, 1000);
  jz_assert_double_eq(f->t.jobs[1].submit, 86400);
  assert_int_equal(f->t.jobs[1].procs, 1);
  assert_int_equal(f->t.jobs[1].status, -1);
  assert_int_equal(f->info.n_missing, 4);
}

static void test_csv_errors(void **state) {
  jz_rt_t *f = *state;
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores,gpu\n", -JZ_EUNKNOWNKEY,
                     "1:22: unknown column 'gpu' (did you mean 'gpus'?)");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores,color\n", -JZ_EUNKNOWNKEY,
                     "1:22: unknown column 'color'");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "# no runtime\nsubmit,cores\n", -JZ_EINVAL,
                     "2: missing required column 'runtime'");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,,runtime\n", -JZ_ESYNTAX,
                     "1:8: empty column name");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores\n0,12x,1\n", -JZ_EUNIT,
                     "2:3: column 'runtime': unknown duration unit 'x' in '12x' (expected one "
                     "of: ns us ms s min h d w)");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores\n-5,1,1\n", -JZ_ERANGE,
                     "2:1: column 'submit': '-5' is negative");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores\n0,1,1.5\n", -JZ_ESYNTAX,
                     "2:5: column 'cores': '1.5' is not an integer");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores\n0,1,-2\n", -JZ_ERANGE,
                     "2:5: column 'cores': '-2' is negative");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores,exclusive\n0,1,1,yes\n",
                     -JZ_EINVAL, "2:7: column 'exclusive': 'yes' must be 0, 1, true or false");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores\n0,,1\n", -JZ_EINVAL,
                     "2:3: column 'runtime' has no value");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,cores,queue\n0,10,0,q\n",
                     -JZ_EINVAL, "2: job 1: needs cores, gpus or nodes");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,queue,cores\n0,10,\"q\"x,1\n",
                     -JZ_ESYNTAX, "2:9: text after a closing quote");
}

static void test_yaml_errors(void **state) {
  jz_rt_t *f = *state;
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs:\n  - {submit: 0s, runtime: 1h, gpu: 1}\n",
                     -JZ_EUNKNOWNKEY, "2:31: job 1: unknown key 'gpu' (did you mean 'gpus'?)");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs:\n  - {submit: 0, runtime: 1h, cores: 1}\n",
                     -JZ_EUNIT, "2:14: job 1: 'submit': '0' needs a unit, e.g. '0s'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, runtime: 2hours, cores: 4}\n", -JZ_EUNIT,
                     "2:27: job 1: 'runtime': unknown duration unit 'hours' in '2hours' "
                     "(expected one of: ns us ms s min h d w)");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs:\n  - {submit: 0s, cores: 1}\n", -JZ_EINVAL,
                     "2:5: job 1: missing required key 'runtime'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs:\n  - {submit: 0s, runtime: 1s}\n",
                     -JZ_EINVAL, "2:5: job 1: needs cores, gpus or nodes");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs:\n  - 42\n", -JZ_ESYNTAX,
                     "2:5: job 1: expected a mapping, found '42'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, runtime: 1s, cores: [1]}\n", -JZ_ESYNTAX,
                     "2:38: job 1: 'cores': expected a scalar, found a sequence");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs:\n  - {submit: 0s, runtime: 1s, cores: }\n",
                     -JZ_EINVAL, "2:38: job 1: 'cores' has no value");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "job:\n  - {submit: 0s, runtime: 1s, cores: 1}\n",
                     -JZ_EUNKNOWNKEY, "1:1: unknown key 'job' (did you mean 'jobs'?)");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "jobs: 3\n", -JZ_ESYNTAX,
                     "1:7: 'jobs': expected a sequence, found '3'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "# nothing\n", -JZ_ESYNTAX,
                     " expected a mapping with a 'jobs' list, found an empty document");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml", "{}\n", -JZ_EINVAL,
                     "1:1: missing required key 'jobs'");
}

/* Work profiles: every key, units, the side table (delay jobs have none) and the sort. */
static void test_profiles(void **state) {
  jz_rt_t *f = *state;
  static const char csv[] =
      "id,submit,runtime,walltime,nodes,profile,flops,iterations,flops_per_iteration,gradient,"
      "checkpoint,checkpoint_every,dataset,comm,pattern,tier,read,write\n"
      /* submitted last, listed first: the sort must carry its profile along */
      "1,50,,1h,2,compute,3Pf,,,,,,,,,,,\n"
      "2,0,100,,1,,,,,,,,,,,,,\n"
      "3,10,,2h,4,ai_training,,100,2Tf,1GiB,10GB,25,1TB,,,flash,,\n"
      "4,20,,10min,2,mpi,1e12,,,,,,,5e9,all-to-all,,,\n"
      "5,30,,1h,1,io,,,,,,,,,,tape,1TiB,2MB\n";
  const char *path = JZ_RT_WRITE(f, "p.csv", csv);
  assert_int_equal(jz_rt_read(f, "jobs-csv", path, NULL), 0);
  assert_int_equal(f->t.n, 5);
  assert_int_equal(jz_job_table_sort(&f->t), 0);
  /* sorted: 2 (0 s), 3 (10 s), 4 (20 s), 5 (30 s), 1 (50 s) */
  assert_int_equal(f->t.jobs[0].trace_id, 2);
  assert_null(jz_job_profile(&f->t, 0));
  assert_int_equal(f->t.jobs[0].flags & JZ_JOB_FLOW, 0);
  const jz_profile_t *ai = jz_job_profile(&f->t, 1);
  assert_non_null(ai);
  assert_int_equal(ai->kind, JZ_PROF_AI);
  jz_assert_double_eq(ai->iterations, 100);
  jz_assert_double_eq(ai->flops_per_iteration, 2e12);
  jz_assert_double_eq(ai->gradient, 1073741824.0);
  jz_assert_double_eq(ai->checkpoint, 1e10);
  jz_assert_double_eq(ai->checkpoint_every, 25);
  jz_assert_double_eq(ai->dataset, 1e12);
  assert_string_equal(jz_rt_str(&f->t, ai->tier), "flash");
  /* no runtime: its walltime stands in for it */
  jz_assert_double_eq(f->t.jobs[1].runtime, 7200);
  assert_int_equal(f->t.jobs[1].flags & JZ_JOB_FLOW, JZ_JOB_FLOW);
  const jz_profile_t *mpi = jz_job_profile(&f->t, 2);
  assert_int_equal(mpi->kind, JZ_PROF_MPI);
  jz_assert_double_eq(mpi->flops, 1e12);
  jz_assert_double_eq(mpi->comm, 5e9);
  assert_int_equal(mpi->pattern, JZ_PATTERN_ALLTOALL);
  const jz_profile_t *io = jz_job_profile(&f->t, 3);
  assert_int_equal(io->kind, JZ_PROF_IO);
  jz_assert_double_eq(io->read, 1099511627776.0);
  jz_assert_double_eq(io->write, 2e6);
  assert_string_equal(jz_rt_str(&f->t, io->tier), "tape");
  assert_int_equal(f->t.jobs[4].trace_id, 1);
  const jz_profile_t *c = jz_job_profile(&f->t, 4);
  assert_int_equal(c->kind, JZ_PROF_COMPUTE);
  jz_assert_double_eq(c->flops, 3e15);
  assert_int_equal(c->tier, -1);

  /* A table of delay jobs carries no side table at all. */
  assert_int_equal(jz_rt_read(f, "jobs-csv", JZ_GOOD "jobs-small.csv", NULL), 0);
  assert_null(f->t.prof_of);
}

static void test_profile_errors(void **state) {
  jz_rt_t *f = *state;
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, walltime: 1h, nodes: 1, profile: gpu}\n", -JZ_EINVAL,
                     "2:51: job 1: 'profile': unknown profile 'gpu' (profiles: delay, compute, "
                     "ai_training, mpi, io)");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, walltime: 1h, nodes: 1, profile: compute}\n",
                     -JZ_EINVAL, "2:5: job 1: profile 'compute' needs 'flops'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, walltime: 1h, nodes: 1, profile: io, tier: flash,"
                     " read: 10GX}\n",
                     -JZ_EUNIT, "2:74: job 1: 'read': unknown size unit 'GX' in '10GX' (expected "
                                "one of: B kB MB GB TB PB EB KiB MiB GiB TiB PiB EiB)");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, walltime: 1h, nodes: 1, profile: io, tier: flash}\n",
                     -JZ_EINVAL, "2:5: job 1: profile 'io' needs 'read' or 'write'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, runtime: 1h, nodes: 1, gradient: 1GB}\n",
                     -JZ_EINVAL, "2:5: job 1: 'gradient' does not apply to profile 'delay'");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, nodes: 1, profile: compute, flops: 1Tf}\n",
                     -JZ_EINVAL, "2:5: job 1: profile 'compute' without a runtime needs a walltime");
  JZ_RT_EXPECT_ERROR(f, "jobs-yaml", "e.yaml",
                     "jobs:\n  - {submit: 0s, walltime: 1h, nodes: 1, profile: ai_training, "
                     "iterations: 0, flops_per_iteration: 1Tf}\n",
                     -JZ_ERANGE, "2:76: job 1: 'iterations': '0' is out of range (at least 1)");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,runtime,nodes,profile\n0,,1,\n", -JZ_EINVAL,
                     "2:3: column 'runtime' has no value");
  JZ_RT_EXPECT_ERROR(f, "jobs-csv", "e.csv", "submit,nodes,profile\n0,1,delay\n", -JZ_EINVAL,
                     "2: job 1: missing required key 'runtime'");
}

static void test_lenient_and_max(void **state) {
  jz_rt_t *f = *state;
  static const char csv[] = "submit,runtime,cores\n0,1,1\n0,x,1\n0,2,0\n5,3,2\n6,4,2\n";
  static const char yaml[] = "jobs:\n"
                             "  - {submit: 0s, runtime: 1s, cores: 1}\n"
                             "  - {submit: 0s, runtime: x, cores: 1}\n"
                             "  - {submit: 0s, runtime: 2s, cores: 0}\n"
                             "  - {submit: 5s, runtime: 3s, cores: 2}\n"
                             "  - {submit: 6s, runtime: 4s, cores: 2}\n";
  const char *names[] = {"jobs-csv", "jobs-yaml"};
  for (int k = 0; k < 2; k++) {
    const char *p = k == 0 ? JZ_RT_WRITE(f, "l.csv", csv) : JZ_RT_WRITE(f, "l.yaml", yaml);
    jz_read_opts_t o = {.lenient = true};
    assert_int_equal(jz_rt_read(f, names[k], p, &o), 0);
    assert_int_equal(f->t.n, 3);
    assert_int_equal(f->t.malformed, 2);
    assert_int_equal(f->info.job_lines, 5);
    jz_read_opts_t m = {.max_jobs = 4, .lenient = true};
    assert_int_equal(jz_rt_read(f, names[k], p, &m), 0);
    assert_int_equal(f->t.n, 2);
    assert_int_equal(f->info.job_lines, 4);
    assert_int_equal(f->t.jobs[1].trace_id, 4);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_csv_small, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_yaml_small, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_csv_minimal, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_csv_errors, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_yaml_errors, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_lenient_and_max, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_profiles, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_profile_errors, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
