/* test_plot.c: `jzsim plot`: the six charts from tests/data/good/plot, every error message,
 * and nothing half-written (no .tmp output, no temporary directory) after success or failure. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "jz_test.h"
#include "plot.h"

#define PLOT_DATA JZ_TEST_DATA "/good/plot/"
#define NOT_FOUND "gnuplot not found: install gnuplot-nox (scripts/demo.sh does)"

static const char *const charts[] = {"queue_length", "utilisation", "waits"};

/* ---- fixtures ---------------------------------------------------------------------------- */

typedef struct fixture {
  char dir[64];  /* the run directory handed to jz_plot_dir */
  char tmp[64];  /* TMPDIR while the test runs: jz_plot_dir's private directory goes here */
  char path[256];
  jz_error_t err;
} fixture_t;

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  assert_non_null(in);
  assert_non_null(out);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
  fclose(in);
  assert_int_equal(fclose(out), 0);
}

static void write_file(fixture_t *f, const char *name, const char *text) {
  snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
  FILE *out = fopen(f->path, "w");
  assert_non_null(out);
  fputs(text, out);
  assert_int_equal(fclose(out), 0);
}

static int setup(void **state) {
  fixture_t *f = calloc(1, sizeof *f);
  if (!f) return -1;
  strcpy(f->dir, "/tmp/jz_test_plot_XXXXXX");
  strcpy(f->tmp, "/tmp/jz_test_plot_tmp_XXXXXX");
  if (!mkdtemp(f->dir) || !mkdtemp(f->tmp)) {
    free(f);
    return -1;
  }
  setenv("TMPDIR", f->tmp, 1);
  static const char *const inputs[] = {"queues.csv", "utilisation.csv", "jobs.csv"};
  char from[256], to[256];
  for (int i = 0; i < 3; i++) {
    snprintf(from, sizeof from, "%s%s", PLOT_DATA, inputs[i]);
    snprintf(to, sizeof to, "%s/%s", f->dir, inputs[i]);
    copy_file(from, to);
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture_t *f = *state;
  jz_test_rmtree(f->dir);
  jz_test_rmtree(f->tmp);
  unsetenv("TMPDIR");
  free(f);
  return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int count_entries(const char *dir, const char *containing) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.' && strstr(e->d_name, containing)) n++;
  closedir(d);
  return n;
}

/* Nothing half-written in DIR and nothing left in TMPDIR, whatever happened. */
static void assert_clean(const fixture_t *f) {
  assert_int_equal(count_entries(f->dir, ".tmp"), 0);
  assert_int_equal(count_entries(f->tmp, ""), 0);
}

static int plot(fixture_t *f, const jz_plot_opts_t *o) {
  memset(&f->err, 0, sizeof f->err);
  return jz_plot_dir(f->dir, o, &f->err);
}

/* The good-path tests need a gnuplot; without one they are skipped, not failed. */
static void plot_or_skip(fixture_t *f, const jz_plot_opts_t *o) {
  int rc = plot(f, o);
  if (rc != 0 && strcmp(f->err.msg, NOT_FOUND) == 0) skip();
  if (rc != 0) print_error("%s\n", f->err.msg);
  assert_int_equal(rc, 0);
}

static void assert_error(fixture_t *f, const jz_plot_opts_t *o, int code, const char *fmt) {
  char want[512];
  snprintf(want, sizeof want, fmt, f->dir);
  assert_int_equal(plot(f, o), code);
  assert_string_equal(f->err.msg, want);
  assert_int_equal(f->err.code, code);
  assert_clean(f);
  for (int c = 0; c < 3; c++) { /* all or nothing: no chart appears on failure */
    snprintf(f->path, sizeof f->path, "%s/%s.png", f->dir, charts[c]);
    assert_int_equal(file_size(f->path), -1);
  }
}

static void assert_png(fixture_t *f, const char *chart) {
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  unsigned char head[8] = {0};
  snprintf(f->path, sizeof f->path, "%s/%s.png", f->dir, chart);
  FILE *in = fopen(f->path, "rb");
  assert_non_null(in);
  assert_int_equal(fread(head, 1, 8, in), 8);
  fclose(in);
  assert_memory_equal(head, sig, 8);
}

static void assert_svg(fixture_t *f, const char *chart) {
  snprintf(f->path, sizeof f->path, "%s/%s.svg", f->dir, chart);
  FILE *in = fopen(f->path, "rb");
  assert_non_null(in);
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, in);
  fclose(in);
  buf[n] = '\0';
  assert_non_null(strstr(buf, "<svg"));
}

static char *slurp(const char *path, long *len) {
  *len = file_size(path);
  assert_true(*len > 0);
  char *p = malloc((size_t)*len);
  FILE *in = fopen(path, "rb");
  assert_non_null(p);
  assert_non_null(in);
  assert_int_equal(fread(p, 1, (size_t)*len, in), (size_t)*len);
  fclose(in);
  return p;
}

/* ---- good inputs ------------------------------------------------------------------------- */

static void test_six_charts(void **state) {
  fixture_t *f = *state;
  plot_or_skip(f, NULL);
  for (int c = 0; c < 3; c++) {
    assert_png(f, charts[c]);
    assert_svg(f, charts[c]);
  }
  assert_int_equal(count_entries(f->dir, ""), 3 + 6);
  assert_clean(f);
}

static void test_png_only(void **state) {
  fixture_t *f = *state;
  jz_plot_opts_t o = {.png = true};
  plot_or_skip(f, &o);
  for (int c = 0; c < 3; c++) assert_png(f, charts[c]);
  assert_int_equal(count_entries(f->dir, ".svg"), 0);
  assert_int_equal(count_entries(f->dir, ".png"), 3);
  assert_clean(f);
}

/* Same inputs, same bytes: nothing in the charts depends on the time or the temp dir name. */
static void test_deterministic(void **state) {
  fixture_t *f = *state;
  static const char *const outs[] = {"queue_length.png", "queue_length.svg", "waits.svg"};
  char *first[3];
  long len[3];
  plot_or_skip(f, NULL);
  for (int i = 0; i < 3; i++) {
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, outs[i]);
    first[i] = slurp(f->path, &len[i]);
  }
  assert_int_equal(plot(f, NULL), 0);
  for (int i = 0; i < 3; i++) {
    long n;
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, outs[i]);
    char *again = slurp(f->path, &n);
    assert_int_equal(n, len[i]);
    assert_memory_equal(again, first[i], (size_t)n);
    free(again);
    free(first[i]);
  }
}

/* Header-only files: empty frames with a note, not an error. */
static void test_empty_inputs(void **state) {
  fixture_t *f = *state;
  write_file(f, "queues.csv", "time,queue,waiting_jobs,waiting_cores,waiting_gpus,running_jobs,held_jobs\n");
  write_file(f, "utilisation.csv", "time,partition,busy_cores,total_cores,busy_gpus,total_gpus,running_jobs\n");
  write_file(f, "jobs.csv", "job_id,waiting_time,queue,final_state\n"
                            "1,-1,q,REJECTED\n");
  plot_or_skip(f, NULL);
  for (int c = 0; c < 3; c++) {
    assert_png(f, charts[c]);
    assert_svg(f, charts[c]);
  }
  assert_clean(f);
}

/* Extra columns in any order, CRLF line ends, quoted fields and a name needing escapes. */
static void test_lenient_layout(void **state) {
  fixture_t *f = *state;
  write_file(f, "queues.csv", "extra,waiting_jobs,queue,time\r\n"
                              "x,1,\"it's \"\"q\"\", a\",0\r\n"
                              "x,0,\"it's \"\"q\"\", a\",3600.25\r\n"
                              "x,2,,7200\r\n");
  plot_or_skip(f, NULL);
  assert_png(f, "queue_length");
  assert_clean(f);
}

/* A failed run leaves the previous charts as they were. */
static void test_failure_keeps_previous(void **state) {
  fixture_t *f = *state;
  plot_or_skip(f, NULL);
  snprintf(f->path, sizeof f->path, "%s/waits.png", f->dir);
  long before = file_size(f->path);
  jz_plot_opts_t o = {.gnuplot = "/nonexistent/gnuplot"};
  assert_int_equal(plot(f, &o), -JZ_EIO);
  assert_string_equal(f->err.msg, NOT_FOUND);
  assert_int_equal(file_size(f->path), before);
  assert_clean(f);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void test_missing_file(void **state) {
  fixture_t *f = *state;
  snprintf(f->path, sizeof f->path, "%s/queues.csv", f->dir);
  unlink(f->path);
  assert_error(f, NULL, -JZ_EIO, "%s/queues.csv: cannot open: No such file or directory");
}

static void test_missing_column(void **state) {
  fixture_t *f = *state;
  write_file(f, "queues.csv", "time,queue,waiting_cores\n0,q,1\n");
  assert_error(f, NULL, -JZ_ESYNTAX, "%s/queues.csv:1: no column 'waiting_jobs'");
}

static void test_bad_number(void **state) {
  fixture_t *f = *state;
  write_file(f, "queues.csv", "time,queue,waiting_jobs\n0,q,1\nx,q,2\n");
  assert_error(f, NULL, -JZ_ESYNTAX, "%s/queues.csv:3: column 'time': 'x' is not a number");
}

static void test_bad_numbers_strict(void **state) {
  fixture_t *f = *state;
  static const char *const bad[] = {" 2", "2x", "0x10", "inf", "nan", "1e999", "", "."};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[128], want[256];
    snprintf(text, sizeof text,
             "time,partition,busy_cores,total_cores,busy_gpus,total_gpus\n0,p,%s,4,0,0\n", bad[i]);
    write_file(f, "utilisation.csv", text);
    snprintf(want, sizeof want, "%%s/utilisation.csv:2: column 'busy_cores': '%s' is not a number",
             bad[i]);
    assert_error(f, NULL, -JZ_ESYNTAX, want);
  }
}

static void test_unsorted(void **state) {
  fixture_t *f = *state;
  write_file(f, "utilisation.csv", "time,partition,busy_cores,total_cores,busy_gpus,total_gpus\n"
                                   "10,p,1,4,0,0\n5,p,2,4,0,0\n");
  assert_error(f, NULL, -JZ_ESYNTAX,
               "%s/utilisation.csv:3: column 'time': '5' is before the previous row's time "
               "(rows must be sorted by time)");
}

static void test_jobs_errors(void **state) {
  fixture_t *f = *state;
  write_file(f, "jobs.csv", "waiting_time,queue,final_state\n1,q,COMPLETED_SUCCESSFULLY\n"
                            "2,\"q\n,COMPLETED_SUCCESSFULLY\n");
  assert_error(f, NULL, -JZ_ESYNTAX, "%s/jobs.csv:3: unterminated quoted field");
  write_file(f, "jobs.csv", "waiting_time,queue,final_state\n-1,q,COMPLETED_FAILED\n");
  assert_error(f, NULL, -JZ_ESYNTAX, "%s/jobs.csv:2: column 'waiting_time': '-1' is negative");
  write_file(f, "jobs.csv", "waiting_time,queue,final_state\n1,q\n");
  assert_error(f, NULL, -JZ_ESYNTAX,
               "%s/jobs.csv:2: column 'final_state': missing (the row has 2 fields)");
  write_file(f, "jobs.csv", "");
  assert_error(f, NULL, -JZ_ESYNTAX, "%s/jobs.csv:1: empty file: no header line");
}

static void test_gnuplot_not_found(void **state) {
  fixture_t *f = *state;
  jz_plot_opts_t o = {.gnuplot = "/nonexistent/gnuplot"};
  assert_error(f, &o, -JZ_EIO, NOT_FOUND);
}

/* gnuplot that runs and fails: its exit status or message, and no .tmp left behind. */
static void test_gnuplot_fails(void **state) {
  fixture_t *f = *state;
  jz_plot_opts_t o = {.gnuplot = "false"};
  assert_error(f, &o, -JZ_EIO, "gnuplot failed: exit status 1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_six_charts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_png_only, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_inputs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lenient_layout, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failure_keeps_previous, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_column, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_number, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_numbers_strict, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unsorted, setup, teardown),
      cmocka_unit_test_setup_teardown(test_jobs_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gnuplot_not_found, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gnuplot_fails, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
