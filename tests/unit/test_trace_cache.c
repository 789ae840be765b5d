/* test_trace_cache.c: the trace cache (workload/cache.h) gives a job table what the reader
 * itself gives it, with strings interned in the table the reader would have used; it is used
 * only for the same read options and an unchanged file. */
#include <sys/stat.h>
#include <utime.h>

#include "jz_reader_test.h"
#include "sha256.h"
#include "workload/cache.h"

/* Four jobs: one skipped (runtime 0), a text id, a work profile with a storage tier, strings
 * shared with what the table holds before ("alice", "flash") and new ones. */
static const char JOBS[] =
    "jobs:\n"
    "  - {id: 1, submit: 0s, runtime: 1h, walltime: 2h, cores: 4, queue: normal, account: proj-a, user: alice}\n"
    "  - {submit: 5s, runtime: 0s, cores: 1}\n"
    "  - {id: job-3, submit: 1min, walltime: 1h, nodes: 2, exclusive: true, account: proj-b, user: bob,"
    " profile: ai_training, iterations: 10, flops_per_iteration: 1Gf, gradient: 1GB, tier: flash}\n"
    "  - {id: 4, submit: 2min, runtime: 10min, cores: 2, user: alice, queue: long}\n";

/* A table that already holds a workload's strings, as when the trace is the second one read. */
static void prefill(jz_job_table_t *t) {
  jz_job_table_init(t);
  assert_int_equal(jz_strtab_intern(&t->strings, "flash", 5), 0);
  assert_int_equal(jz_strtab_intern(&t->strings, "zed", 3), 1);
  assert_int_equal(jz_strtab_intern(&t->strings, "alice", 5), 2);
  assert_non_null(jz_job_table_push(t)); /* a job of the first workload */
}

static void test_append_is_the_read(void **state) {
  jz_rt_t *f = *state;
  const char *path = jz_rt_write(f, "jobs.yaml", JOBS, sizeof JOBS - 1);
  const jz_reader_t *rd = jz_reader_find("jobs-yaml");
  jz_read_opts_t o = {.workload = 1};
  jz_job_table_t direct, cached;
  jz_read_info_t di = {0}, ci = {0};
  prefill(&direct);
  prefill(&cached);
  assert_int_equal(jz_reader_read_path(rd, path, &o, &direct, &di, &f->err), 0);
  jz_read_opts_t o0 = o;
  o0.workload = 0; /* the cache key ignores the workload index */
  assert_int_equal(jz_trace_cache_fill(path, NULL, &o0, &f->err), 0);
  assert_int_equal(jz_trace_cache_size(), 1);
  const jz_reader_t *used = NULL;
  assert_int_equal(jz_trace_cache_append(path, NULL, &o, &cached, &ci, &used, &f->err), 1);
  assert_ptr_equal(used, rd); /* detected from the name */
  /* By hand: 1 + 3 jobs (the runtime-0 record is skipped before any string is interned). The
   * reader interns a job's tier, queue, account, user, then its text id: after the 3 strings
   * there, normal 3, proj-a 4 (job 1), proj-b 5, bob 6, job-3 7 (job 3), long 8 (job 4);
   * "alice" and "flash" keep their ids 2 and 0. */
  assert_int_equal(cached.n, 4);
  assert_int_equal(cached.strings.n, 9);
  assert_int_equal(cached.jobs[1].user, 2);
  assert_int_equal(cached.jobs[1].queue, 3);
  assert_int_equal(cached.jobs[1].account, 4);
  assert_int_equal(cached.jobs[2].account, 5);
  assert_int_equal(cached.jobs[2].user, 6);
  assert_int_equal(cached.jobs[2].label, 7);
  assert_int_equal(cached.jobs[3].queue, 8);
  assert_int_equal(cached.jobs[3].workload, 1);
  assert_int_equal(jz_job_profile(&cached, 2)->tier, 0);
  assert_true(cached.jobs[2].flags & JZ_JOB_FLOW);
  /* And all of it as the reader left it. */
  assert_int_equal(cached.n, direct.n);
  for (size_t k = 0; k < direct.n; k++) {
    assert_memory_equal(&cached.jobs[k], &direct.jobs[k], sizeof direct.jobs[k]);
    const jz_profile_t *a = jz_job_profile(&cached, k), *b = jz_job_profile(&direct, k);
    assert_int_equal(a != NULL, b != NULL);
    if (a) assert_memory_equal(a, b, sizeof *a);
  }
  assert_int_equal(cached.strings.n, direct.strings.n);
  for (size_t s = 0; s < direct.strings.n; s++) assert_string_equal(cached.strings.strs[s], direct.strings.strs[s]);
  assert_int_equal(cached.n_skip_reasons, 1);
  assert_int_equal(cached.n_skip_reasons, direct.n_skip_reasons);
  assert_string_equal(cached.skipped[0].reason, direct.skipped[0].reason);
  assert_int_equal(cached.skipped[0].count, 1);
  assert_int_equal(cached.malformed, direct.malformed);
  assert_int_equal(ci.lines, di.lines);
  assert_int_equal(ci.job_lines, 4);
  assert_int_equal(ci.n_missing, di.n_missing);
  /* Its hash is the file's. */
  char want[65], got[65];
  long long wb, gb;
  assert_int_equal(jz_sha256_file(path, want, &wb), 0);
  assert_true(jz_trace_cache_sha256(path, got, &gb));
  assert_string_equal(got, want);
  assert_int_equal(gb, (long long)(sizeof JOBS - 1));
  jz_job_table_free(&direct);
  jz_job_table_free(&cached);
  jz_trace_cache_clear();
}

static void test_only_same_options_and_file(void **state) {
  jz_rt_t *f = *state;
  const char *path = jz_rt_write(f, "jobs.yaml", JOBS, sizeof JOBS - 1);
  char p[256];
  snprintf(p, sizeof p, "%s", path);
  jz_read_opts_t o = {.max_jobs = 2};
  assert_int_equal(jz_trace_cache_fill(p, NULL, &o, &f->err), 0);
  assert_int_equal(jz_trace_cache_fill(p, NULL, &o, &f->err), 0); /* there already */
  assert_int_equal(jz_trace_cache_size(), 1);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_read_info_t info = {0};
  const jz_reader_t *used;
  /* Other read options, another reader asked for: not this entry. */
  jz_read_opts_t all = {0}, lenient = {.max_jobs = 2, .lenient = true}, mw = {.max_jobs = 2, .missing_walltime = 60};
  assert_int_equal(jz_trace_cache_append(p, NULL, &all, &t, &info, &used, &f->err), 0);
  assert_int_equal(jz_trace_cache_append(p, NULL, &lenient, &t, &info, &used, &f->err), 0);
  assert_int_equal(jz_trace_cache_append(p, NULL, &mw, &t, &info, &used, &f->err), 0);
  assert_int_equal(jz_trace_cache_append(p, jz_reader_find("jobs-yaml"), &o, &t, &info, &used, &f->err), 0);
  assert_int_equal(t.n, 0);
  assert_int_equal(jz_trace_cache_append(p, NULL, &o, &t, &info, &used, &f->err), 1);
  assert_int_equal(t.n, 1); /* max_jobs 2: job 1, and the second record skipped */
  /* The file changes (same size, another modification time): read again, not from the cache. */
  struct utimbuf old = {.actime = 1000000000, .modtime = 1000000000};
  assert_int_equal(utime(p, &old), 0);
  assert_int_equal(jz_trace_cache_append(p, NULL, &o, &t, &info, &used, &f->err), 0);
  char h[65];
  long long b;
  assert_false(jz_trace_cache_sha256(p, h, &b));
  assert_int_equal(t.n, 1);
  /* A file that cannot be read is not cached, and is no error: its run reports it. */
  assert_int_equal(jz_trace_cache_fill("/nonexistent/x.swf", NULL, &o, &f->err), 0);
  char bad[300];
  snprintf(bad, sizeof bad, "%s/bad.swf", f->dir);
  FILE *w = fopen(bad, "w");
  assert_non_null(w);
  fputs("1 0 -1 x\n", w);
  fclose(w);
  assert_int_equal(jz_trace_cache_fill(bad, NULL, &o, &f->err), 0);
  assert_int_equal(jz_trace_cache_size(), 1);
  jz_job_table_free(&t);
  jz_trace_cache_clear();
  assert_int_equal(jz_trace_cache_size(), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_append_is_the_read, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_only_same_options_and_file, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
