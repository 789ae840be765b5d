/* test_reader.c: the readers' registry, format detection (plain and gzipped, every format,
 * the real traces, files no reader claims) and the SWF adapter's record of defaults. */
#include <sys/stat.h>

#include "jz_reader_test.h"

static void test_registry(void **state) {
  (void)state;
  static const char *const names[] = {"swf",   "itp",      "philly",    "openb",
                                      "sacct", "jobs-csv", "jobs-yaml"};
  const jz_reader_t *const *list = jz_reader_list();
  size_t n = 0;
  for (; list[n]; n++) {
    assert_true(n < 7);
    assert_string_equal(list[n]->name, names[n]);
    assert_non_null(list[n]->summary);
    assert_ptr_equal(jz_reader_find(names[n]), list[n]);
  }
  assert_int_equal(n, 7);
  assert_null(jz_reader_find("csv"));
  assert_null(jz_reader_find(NULL));
}

static const char *detect_name(jz_rt_t *f, const char *path) {
  memset(&f->err, 0, sizeof f->err);
  const jz_reader_t *r = jz_reader_detect(path, &f->err);
  return r ? r->name : NULL;
}

/* Every shipped example is recognised, and so is its gzipped copy. */
static void test_detect_good(void **state) {
  jz_rt_t *f = *state;
  static const struct {
    const char *file, *format;
  } cases[] = {
      {"small.swf", "swf"},          {"small.swf.gz", "swf"},
      {"itp-small.csv", "itp"},      {"philly-small.csv", "philly"},
      {"openb-small.csv", "openb"},  {"sacct-small.txt", "sacct"},
      {"jobs-small.csv", "jobs-csv"}, {"jobs-small.yaml", "jobs-yaml"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s%s", JZ_GOOD, cases[i].file);
    const char *got = detect_name(f, path);
    if (!got) print_error("%s: %s\n", path, f->err.msg);
    assert_non_null(got);
    assert_string_equal(got, cases[i].format);
    /* The same bytes gzipped. */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    if (strstr(cases[i].file, ".gz")) continue;
    char gzname[128];
    snprintf(gzname, sizeof gzname, "%s.gz", cases[i].file);
    const char *gz = jz_rt_write(f, gzname, buf, n);
    got = detect_name(f, gz);
    assert_non_null(got);
    assert_string_equal(got, cases[i].format);
  }
}

static void test_detect_variants(void **state) {
  jz_rt_t *f = *state;
  /* SWF without a header (RICC, METACENTRUM): a first line of 18 numbers. */
  const char *p = JZ_RT_WRITE(f, "a.swf", "1 0 10 100 4 -1 -1 4 200 -1 1 1 1 -1 1 -1 -1 -1\n");
  assert_string_equal(detect_name(f, p), "swf");
  /* sacct's --parsable (trailing '|'), lower-case names. */
  p = JZ_RT_WRITE(f, "s.txt", "jobid|submit|end|state|\n1|x|y|z|\n");
  assert_string_equal(detect_name(f, p), "sacct");
  /* A job YAML after comments and a document marker. */
  p = JZ_RT_WRITE(f, "j.yaml", "# workload\n---\njobs:\n  - {submit: 0s}\n");
  assert_string_equal(detect_name(f, p), "jobs-yaml");
  /* A job CSV behind comment lines; one misspelt column still makes it ours. */
  p = JZ_RT_WRITE(f, "j.csv", "# made by hand\n\nsubmit,runtime,gpu\n0,1,1\n");
  assert_string_equal(detect_name(f, p), "jobs-csv");
  /* ITP with one misspelt column: still ITP (the reader then names the column). */
  p = JZ_RT_WRITE(f, "i.csv", "job_id,submission_time,duraton,num_gpu\n");
  assert_string_equal(detect_name(f, p), "itp");
  /* CRLF headers. */
  p = JZ_RT_WRITE(f, "p.csv", "timestamp,duration,num_gpus,gpu_time,cluster\r\n");
  assert_string_equal(detect_name(f, p), "philly");
}

static void test_detect_unknown(void **state) {
  jz_rt_t *f = *state;
  static const char *const texts[] = {
      "hello world\nthis is not a job trace\n",
      "",
      "a,b,c\n1,2,3\n",
      "  jobs:\n",               /* not a top-level key */
      "1 2 3\n",                /* too few SWF fields */
      "sn,cpu_milli,memory_mib,gpu,model\n", /* the OpenB node list */
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    const char *p = jz_rt_write(f, "u.txt", texts[i], strlen(texts[i]));
    assert_null(detect_name(f, p));
    char want[400];
    snprintf(want, sizeof want,
             "%s: cannot tell the format (use --format NAME: swf, itp, philly, openb, sacct, "
             "jobs-csv, jobs-yaml)",
             p);
    assert_string_equal(f->err.msg, want);
    assert_int_equal(f->err.code, -JZ_EINVAL);
  }
  assert_null(detect_name(f, "/nonexistent/trace.swf"));
  assert_string_equal(f->err.msg, "/nonexistent/trace.swf: cannot open: No such file or directory");
  assert_int_equal(f->err.code, -JZ_EIO);
  assert_null(detect_name(f, f->dir));
  assert_int_equal(f->err.code, -JZ_EIO);
}

static void test_detect_real(void **state) {
  jz_rt_t *f = *state;
  static const struct {
    const char *path, *format;
  } cases[] = {
      {JZ_GPU_TRACES "microsoft-itp-elasticflow-2021/cluster01.csv", "itp"},
      {JZ_GPU_TRACES "microsoft-itp-elasticflow-2021/cluster10.csv", "itp"},
      {JZ_GPU_TRACES "philly-pollux-2017/philly.csv.gz", "philly"},
      {JZ_GPU_TRACES "alibaba-openb-2023/openb_pod_list_default.csv", "openb"},
      {JZ_SOURCE_DIR "/../shared/traces/swf/KTH-SP2-1996-2.1-cln.swf.gz", "swf"},
      {JZ_SOURCE_DIR "/../shared/traces/swf/RICC-2010-2.swf.gz", "swf"},
  };
  if (!jz_rt_have(cases[0].path)) skip();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (access(cases[i].path, R_OK) != 0) continue;
    const char *got = detect_name(f, cases[i].path);
    assert_non_null(got);
    assert_string_equal(got, cases[i].format);
  }
  assert_null(detect_name(f, JZ_GPU_TRACES "alibaba-openb-2023/openb_node_list_all_node.csv"));
}

/* The SWF adapter: jz_swf_read's counts, "account" always missing, the jobs whose requested
 * time the cleaning rule filled (jobs 2 and 8 of small.swf), the header's size noted. */
static void test_swf_adapter(void **state) {
  jz_rt_t *f = *state;
  jz_read_opts_t o = {.workload = 2, .missing_walltime = 0};
  assert_int_equal(jz_rt_read(f, "swf", JZ_GOOD "small.swf", &o), 0);
  assert_int_equal(f->info.lines, 22);
  assert_int_equal(f->info.job_lines, 9);
  assert_int_equal(f->t.n, 5);
  assert_int_equal(f->t.jobs[0].workload, 2);
  assert_int_equal(f->t.jobs[0].label, -1);
  assert_true(jz_rt_missing(&f->info, "account"));
  assert_false(jz_rt_missing(&f->info, "requested time"));
  assert_int_equal(f->info.n_notes, 2);
  assert_string_equal(f->info.notes[0], "requested time (field 9) missing for 2 jobs: set to their run time");
  assert_string_equal(f->info.notes[1], "SWF header: MaxNodes 4, MaxProcs 16");
  /* Errors come through unchanged. */
  assert_int_equal(jz_rt_read(f, "swf", "/nonexistent/x.swf", NULL), -JZ_EIO);
  assert_string_equal(f->err.msg, "/nonexistent/x.swf: cannot open: No such file or directory");
}

/* Each real GPU trace is detected, read and sorted into submit order (Philly's rows are not). */
static void test_real_all(void **state) {
  jz_rt_t *f = *state;
  static const char *const paths[] = {
      JZ_GPU_TRACES "microsoft-itp-elasticflow-2021/cluster04.csv",
      JZ_GPU_TRACES "philly-pollux-2017/philly.csv.gz",
      JZ_GPU_TRACES "alibaba-openb-2023/openb_pod_list_default.csv",
  };
  if (!jz_rt_have(paths[0])) skip();
  for (size_t i = 0; i < 3; i++) {
    const jz_reader_t *r = jz_reader_detect(paths[i], &f->err);
    assert_non_null(r);
    assert_int_equal(jz_rt_read(f, r->name, paths[i], NULL), 0);
    assert_true(f->t.n > 0);
    assert_int_equal(jz_job_table_sort(&f->t), 0);
    for (size_t k = 1; k < f->t.n; k++) assert_true(f->t.jobs[k - 1].submit <= f->t.jobs[k].submit);
  }
}

/* A name that says its format decides, whatever the bytes (issue 8, item 10): the reader
 * then reports what is wrong at its line, instead of "cannot tell the format". Names that
 * several formats share (.csv, .txt) leave it to the content. */
static void test_detect_by_name(void **state) {
  jz_rt_t *f = *state;
  static const struct {
    const char *file, *format;
  } cases[] = {
      {"noise.swf", "swf"},   {"noise.swf.gz", "swf"}, {"NOISE.SWF", "swf"},
      {"noise.yaml", "jobs-yaml"}, {"noise.yml.gz", "jobs-yaml"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *p = jz_rt_write(f, cases[i].file, "hello world\n", 12);
    const char *got = detect_name(f, p);
    assert_non_null(got);
    assert_string_equal(got, cases[i].format);
  }
  /* ".swf" must end the name (after an optional .gz), and a directory's name says nothing. */
  static const char *const unnamed[] = {"noise.swf.txt", "noise.csv", "noise.gz", "swf"};
  for (size_t i = 0; i < sizeof unnamed / sizeof *unnamed; i++) {
    const char *p = jz_rt_write(f, unnamed[i], "hello world\n", 12);
    assert_null(detect_name(f, p));
    assert_non_null(strstr(f->err.msg, "cannot tell the format"));
  }
  char dir[128];
  snprintf(dir, sizeof dir, "%s/x.swf", f->dir);
  assert_int_equal(mkdir(dir, 0777), 0);
  char p[256];
  snprintf(p, sizeof p, "%s/noise", dir);
  FILE *fp = fopen(p, "w");
  assert_non_null(fp);
  fputs("hello world\n", fp);
  fclose(fp);
  assert_null(detect_name(f, p));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registry),
      cmocka_unit_test_setup_teardown(test_detect_good, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_detect_variants, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_detect_unknown, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_detect_by_name, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_detect_real, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_swf_adapter, jz_rt_setup, jz_rt_teardown),
      cmocka_unit_test_setup_teardown(test_real_all, jz_rt_setup, jz_rt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
