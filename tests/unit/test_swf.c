/* test_swf.c: the SWF reader: header keys, cleaning counts, gz = plain, every error message. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "jz_test.h"

#include "workload/swf.h"

#define GOOD JZ_TEST_DATA "/good/"
#define KTH JZ_SOURCE_DIR "/../shared/traces/swf/KTH-SP2-1996-2.1-cln.swf.gz"

/* cmocka 1.1.5's assert_float_equal compares as float; times need all their bits. */
#define assert_double_eq(a, b) assert_double_eq_((a), (b), __FILE__, __LINE__)
static void assert_double_eq_(double a, double b, const char *file, int line) {
  if (a != b) {
    print_error("%.17g != %.17g\n", a, b);
    _fail(file, line);
  }
}

/* ---- fixtures ---------------------------------------------------------------------------- */

typedef struct fixture {
  char dir[64]; /* a fresh temporary directory for files written by the test */
  char path[128];
  jz_job_table_t jobs;
  jz_swf_header_t hdr;
  jz_error_t err;
} fixture_t;

static int setup(void **state) {
  fixture_t *f = calloc(1, sizeof *f);
  if (!f) return -1;
  strcpy(f->dir, "/tmp/jz_test_swf_XXXXXX");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  jz_job_table_init(&f->jobs);
  f->err.code = 12345; /* a sentinel: lenient reads must not touch err */
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture_t *f = *state;
  jz_test_rmtree(f->dir);
  jz_swf_header_free(&f->hdr);
  jz_job_table_free(&f->jobs);
  free(f);
  return 0;
}

/* Write len bytes to dir/name and leave its path in f->path. */
static const char *write_file(fixture_t *f, const char *name, const char *data, size_t len) {
  snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
  FILE *fp = fopen(f->path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
  return f->path;
}

static int read_text(fixture_t *f, const char *text, const jz_swf_options_t *opt) {
  write_file(f, "t.swf", text, strlen(text));
  jz_swf_header_free(&f->hdr);
  return jz_swf_read(f->path, opt, &f->jobs, &f->hdr, &f->err);
}

/* Read a file that must fail strictly with code and exactly "<path>:<where>". */
static void expect_error(fixture_t *f, const char *data, size_t len, int code, const char *where) {
  write_file(f, "e.swf", data, len);
  jz_swf_header_free(&f->hdr);
  int rc = jz_swf_read(f->path, NULL, &f->jobs, &f->hdr, &f->err);
  char want[512];
  snprintf(want, sizeof want, "%s:%s", f->path, where);
  assert_string_equal(f->err.msg, want);
  assert_int_equal(rc, code);
  assert_int_equal(f->err.code, code);
}
/* text is a literal, so sizeof counts the NULs some cases embed. */
#define EXPECT_ERROR(f, text, code, where) \
  expect_error((f), (text), sizeof(text) - 1, (code), (where))

static long skipped(const jz_job_table_t *t, const char *reason) {
  for (int i = 0; i < t->n_skip_reasons; i++)
    if (strcmp(t->skipped[i].reason, reason) == 0) return t->skipped[i].count;
  return 0;
}

static const char *str(const jz_job_table_t *t, int32_t id) {
  return id < 0 ? "(none)" : jz_strtab_get(&t->strings, id);
}

#define OK_LINE "1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n"

/* ---- tests/data/good/small.swf ----------------------------------------------------------- */

static void test_small_header(void **state) {
  fixture_t *f = *state;
  assert_int_equal(jz_swf_read(GOOD "small.swf", NULL, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->hdr.max_nodes, 4);
  assert_int_equal(f->hdr.max_procs, 16);
  assert_true(f->hdr.unix_start == 1000000000LL);
  assert_string_equal(f->hdr.queue_names[0], "interactive");
  assert_string_equal(f->hdr.queue_names[1], "batch"); /* trailing blanks trimmed */
  assert_null(f->hdr.queue_names[2]);                  /* "Queue:  2  " names nothing */
  assert_null(f->hdr.queue_names[3]);
  assert_null(f->hdr.partition_names[0]);
  assert_string_equal(f->hdr.partition_names[1], "cpu");
  assert_int_equal(f->hdr.lines, 22);
  assert_int_equal(f->hdr.job_lines, 9);
  assert_int_equal(f->jobs.malformed, 0);
}

static void test_small_cleaning(void **state) {
  fixture_t *f = *state;
  jz_swf_options_t opt = {.workload = 3};
  assert_int_equal(jz_swf_read(GOOD "small.swf", &opt, &f->jobs, &f->hdr, &f->err), 0);
  jz_job_table_t *t = &f->jobs;
  assert_int_equal(skipped(t, "runtime <= 0"), 2);        /* jobs 3 (0) and 4 (-1) */
  assert_int_equal(skipped(t, "no processors"), 1);       /* job 5: fields 5 and 8 are -1 */
  assert_int_equal(skipped(t, "negative submit time"), 1); /* job 6 */
  assert_int_equal(t->n_skip_reasons, 3);
  assert_int_equal(jz_job_table_skipped_total(t), 4);
  assert_int_equal(t->n, 5);

  /* File order before the sort. */
  static const int64_t file_order[] = {1, 2, 7, 8, 9};
  for (int i = 0; i < 5; i++) assert_int_equal(t->jobs[i].trace_id, file_order[i]);
  assert_int_equal(jz_job_table_sort(t), 0);
  /* Submits 90, 100, 100, 130, 130: ties keep file order. */
  static const int64_t sorted[] = {2, 1, 7, 8, 9};
  for (int i = 0; i < 5; i++) assert_int_equal(t->jobs[i].trace_id, sorted[i]);

  const jz_job_t *j = &t->jobs[1]; /* job 1: everything given */
  assert_double_eq(j->submit, 100);
  assert_double_eq(j->runtime, 50);
  assert_double_eq(j->walltime, 60);
  assert_int_equal(j->procs, 4);
  assert_int_equal(j->status, 1);
  assert_string_equal(str(t, j->user), "1");
  assert_string_equal(str(t, j->group), "1");
  assert_string_equal(str(t, j->queue), "batch"); /* named in the header */
  assert_int_equal(j->line, 13);
  assert_int_equal(j->workload, 3);
  assert_int_equal(j->partition, -1);
  assert_int_equal(j->account, -1);
  assert_int_equal(j->nodes, 0);
  assert_int_equal(j->gpus, 0);

  j = &t->jobs[0]; /* job 2: procs from field 8, no requested time */
  assert_int_equal(j->procs, 8);
  assert_double_eq(j->walltime, 30); /* = the runtime */
  assert_string_equal(str(t, j->queue), "interactive");
  assert_string_equal(str(t, j->user), "2");
  assert_int_equal(j->line, 14);

  j = &t->jobs[2]; /* job 7: decimals in 6 and 7, runtime > request, unknowns */
  assert_double_eq(j->runtime, 70);
  assert_double_eq(j->walltime, 60); /* not capped: the engine kills at walltime */
  assert_int_equal(j->procs, 2);
  assert_int_equal(j->status, 0);
  assert_int_equal(j->user, -1);
  assert_int_equal(j->group, -1);
  assert_string_equal(str(t, j->queue), "7"); /* unnamed number: its decimal text */
  assert_int_equal(j->line, 20);

  j = &t->jobs[3]; /* job 8: field 5 = 0, field 9 = 0, queue -1 */
  assert_int_equal(j->procs, 1);
  assert_double_eq(j->walltime, 10);
  assert_int_equal(j->queue, -1);
  assert_int_equal(j->status, 5);

  j = &t->jobs[4]; /* job 9: tab-separated, queue with an empty header name */
  assert_int_equal(j->procs, 3);
  assert_string_equal(str(t, j->user), "12");
  assert_string_equal(str(t, j->group), "10");
  assert_string_equal(str(t, j->queue), "2");
  assert_int_equal(j->line, 22);

  /* Same user number, same interned id. */
  assert_int_equal(t->jobs[0].user, t->jobs[3].user);
  assert_int_equal(jz_strtab_find(&t->strings, "2"), t->jobs[0].user);
}

static void test_missing_walltime(void **state) {
  fixture_t *f = *state;
  jz_swf_options_t opt = {.missing_walltime = 3600};
  assert_int_equal(jz_swf_read(GOOD "small.swf", &opt, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->jobs.n, 5);
  assert_double_eq(f->jobs.jobs[0].walltime, 60);   /* job 1: given */
  assert_double_eq(f->jobs.jobs[1].walltime, 3600); /* job 2: field 9 = -1 */
  assert_double_eq(f->jobs.jobs[3].walltime, 3600); /* job 8: field 9 = 0 */
}

static void test_max_jobs(void **state) {
  fixture_t *f = *state;
  /* Counted on data lines before cleaning: 3 lines = jobs 1, 2 kept and job 3 skipped. */
  jz_swf_options_t opt = {.max_jobs = 3};
  assert_int_equal(jz_swf_read(GOOD "small.swf", &opt, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->hdr.job_lines, 3);
  assert_int_equal(f->hdr.lines, 15);
  assert_int_equal(f->jobs.n, 2);
  assert_int_equal(jz_job_table_skipped_total(&f->jobs), 1);

  jz_job_table_free(&f->jobs);
  jz_swf_header_free(&f->hdr);
  opt.max_jobs = 6; /* through the blank line 16 up to job 6 on line 19 */
  assert_int_equal(jz_swf_read(GOOD "small.swf", &opt, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->hdr.job_lines, 6);
  assert_int_equal(f->hdr.lines, 19);
  assert_int_equal(f->jobs.n, 2);
  assert_int_equal(jz_job_table_skipped_total(&f->jobs), 4);

  jz_job_table_free(&f->jobs);
  jz_swf_header_free(&f->hdr);
  opt.max_jobs = 1000; /* more than there are */
  assert_int_equal(jz_swf_read(GOOD "small.swf", &opt, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->hdr.job_lines, 9);
  assert_int_equal(f->jobs.n, 5);
}

static void test_gz_equals_plain(void **state) {
  fixture_t *f = *state;
  jz_job_table_t z;
  jz_swf_header_t zh;
  jz_job_table_init(&z);
  assert_int_equal(jz_swf_read(GOOD "small.swf", NULL, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(jz_swf_read(GOOD "small.swf.gz", NULL, &z, &zh, &f->err), 0);
  assert_int_equal(z.n, f->jobs.n);
  for (size_t i = 0; i < z.n; i++) {
    const jz_job_t *a = &f->jobs.jobs[i], *b = &z.jobs[i];
    assert_int_equal(a->trace_id, b->trace_id);
    assert_double_eq(a->submit, b->submit);
    assert_double_eq(a->runtime, b->runtime);
    assert_double_eq(a->walltime, b->walltime);
    assert_int_equal(a->procs, b->procs);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->line, b->line);
    assert_string_equal(str(&f->jobs, a->user), str(&z, b->user));
    assert_string_equal(str(&f->jobs, a->group), str(&z, b->group));
    assert_string_equal(str(&f->jobs, a->queue), str(&z, b->queue));
  }
  assert_int_equal(z.n_skip_reasons, f->jobs.n_skip_reasons);
  for (int i = 0; i < z.n_skip_reasons; i++) {
    assert_string_equal(z.skipped[i].reason, f->jobs.skipped[i].reason);
    assert_int_equal(z.skipped[i].count, f->jobs.skipped[i].count);
  }
  assert_int_equal(zh.lines, f->hdr.lines);
  assert_int_equal(zh.job_lines, f->hdr.job_lines);
  assert_int_equal(zh.max_procs, f->hdr.max_procs);
  assert_string_equal(zh.queue_names[1], f->hdr.queue_names[1]);
  jz_swf_header_free(&zh);
  jz_job_table_free(&z);
}

/* ---- accepted variations ----------------------------------------------------------------- */

static void test_formats_accepted(void **state) {
  fixture_t *f = *state;
  /* CRLF, no final newline, leading blanks, an empty line of tabs, a header-less file. */
  const char *text = "1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\r\n"
                     "\t \t\r\n"
                     "   2 5 0 20 2 0.5 .5 2 0 -1 1 1 1 -1 1 -1 -1 -1\r\n"
                     "3 -0 0 30 3 7. -1 3 90 -1 1 007 1 -1 1 -1 -1 -1";
  assert_int_equal(read_text(f, text, NULL), 0);
  assert_int_equal(f->hdr.lines, 4);
  assert_int_equal(f->hdr.job_lines, 3);
  assert_int_equal(f->hdr.max_procs, -1);
  assert_int_equal(f->hdr.max_nodes, -1);
  assert_true(f->hdr.unix_start == -1);
  assert_int_equal(f->jobs.n, 3);
  assert_double_eq(f->jobs.jobs[1].runtime, 20);
  assert_double_eq(f->jobs.jobs[1].walltime, 20);
  assert_double_eq(f->jobs.jobs[2].submit, 0);
  assert_int_equal(f->jobs.jobs[2].line, 4);
  assert_string_equal(str(&f->jobs, f->jobs.jobs[2].user), "7"); /* the number, not its text */
  assert_int_equal(jz_strtab_find(&f->jobs.strings, "007"), -1);
}

/* Runs of blanks of every length from 0 to 17 before each field, spaces with a tab at every
 * position of an eight-byte block (the fast path skips spaces eight at a time and must stop at
 * a tab, at a digit and at the line's end), and a trailing run: each line's 18 fields read
 * back as written. */
static void test_blank_runs(void **state) {
  fixture_t *f = *state;
  char text[1 << 16];
  size_t k = 0;
  int lines = 0;
  for (int run = 0; run < 18; run++) {
    for (int tab = -1; tab < 9; tab++, lines++) {
      for (int fld = 0; fld < 18; fld++) {
        int n = (fld == 0 && run == 0) ? 0 : (run == 0 ? 1 : run);
        for (int b = 0; b < n; b++) text[k++] = (b == tab) ? '\t' : ' ';
        /* two digits or more everywhere: a digit lost would still make a valid line */
        long val = fld == 0 ? 100 + lines : fld == 1 ? 100 + lines : fld == 3 ? 10 + run : fld == 4 ? 11 + tab : 11;
        k += (size_t)snprintf(text + k, sizeof text - k, "%ld", val);
      }
      for (int b = 0; b < run % 11; b++) text[k++] = ' ';
      text[k++] = '\n';
    }
  }
  text[k] = '\0';
  assert_int_equal(read_text(f, text, NULL), 0);
  assert_int_equal(f->jobs.n, (size_t)lines);
  for (int i = 0; i < lines; i++) {
    const jz_job_t *j = &f->jobs.jobs[i];
    int run = i / 10, tab = i % 10 - 1;
    assert_int_equal(j->trace_id, 100 + i);
    assert_double_eq(j->submit, 100 + i);
    assert_double_eq(j->runtime, 10 + run);
    assert_int_equal(j->procs, 11 + tab);
  }
}

static void test_empty_file(void **state) {
  fixture_t *f = *state;
  assert_int_equal(read_text(f, "", NULL), 0);
  assert_int_equal(f->hdr.lines, 0);
  assert_int_equal(f->jobs.n, 0);
  assert_int_equal(read_text(f, ";\n", NULL), 0);
  assert_int_equal(f->hdr.lines, 1);
  assert_int_equal(f->hdr.job_lines, 0);
}

static void test_header_names(void **state) {
  fixture_t *f = *state;
  const char *text = "; Queue: 63 last  \n"
                     "; Queue: 64 too-far\n"   /* beyond JZ_SWF_MAX_NAMED: left unnamed */
                     "; Queue: -1 negative\n"
                     "; Queue: x notanumber\n" /* free text, ignored */
                     "; Partition: 33 crypto/munge\n"
                     "; Partition: 19 `;\n"
                     ";MaxProcs:12\n"
                     "; maxprocs: 99\n" /* keys are case-sensitive */
                     "1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 64 -1 -1 -1\n"
                     "2 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 63 -1 -1 -1\n"
                     "3 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n"
                     "; Queue: 1 late\n" /* a name given after use applies from here on */
                     "4 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n";
  assert_int_equal(read_text(f, text, NULL), 0);
  assert_string_equal(f->hdr.queue_names[63], "last");
  assert_string_equal(f->hdr.partition_names[33], "crypto/munge");
  assert_string_equal(f->hdr.partition_names[19], "`;");
  assert_string_equal(f->hdr.queue_names[1], "late");
  assert_int_equal(f->hdr.max_procs, 12);
  assert_int_equal(f->jobs.n, 4);
  assert_string_equal(str(&f->jobs, f->jobs.jobs[0].queue), "64");
  assert_string_equal(str(&f->jobs, f->jobs.jobs[1].queue), "last");
  assert_string_equal(str(&f->jobs, f->jobs.jobs[2].queue), "1");
  assert_string_equal(str(&f->jobs, f->jobs.jobs[3].queue), "late");
}

static void test_null_header_and_options(void **state) {
  fixture_t *f = *state;
  assert_int_equal(jz_swf_read(GOOD "small.swf.gz", NULL, &f->jobs, NULL, &f->err), 0);
  assert_int_equal(f->jobs.n, 5);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void test_error_field_count(void **state) {
  fixture_t *f = *state;
  EXPECT_ERROR(f, OK_LINE "1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1\n", -JZ_ESYNTAX,
               "2: expected 18 fields, found 17");
  EXPECT_ERROR(f, "; c\n1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1 5 6\n", -JZ_ESYNTAX,
               "2: expected 18 fields, found 20");
  EXPECT_ERROR(f, "1\n", -JZ_ESYNTAX, "1: expected 18 fields, found 1");
}

static void test_error_not_integer(void **state) {
  fixture_t *f = *state;
  EXPECT_ERROR(f, OK_LINE OK_LINE "2 5 0 12x 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "3:7: field 4 (run time): '12x' is not an integer");
  EXPECT_ERROR(f, "2 5 0 12.5 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "1:7: field 4 (run time): '12.5' is not an integer");
  EXPECT_ERROR(f, "2 +5 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "1:3: field 2 (submit time): '+5' is not an integer");
  EXPECT_ERROR(f, "  2\t5 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -\n", -JZ_ESYNTAX,
               "1:45: field 18 (think time): '-' is not an integer");
  EXPECT_ERROR(f, "2 5 0 12 1 -1 -1 1 60 -1 1 alice 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "1:28: field 12 (user id): 'alice' is not an integer");
  EXPECT_ERROR(f, "2 5 0 12 1 1.2.3 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "1:12: field 6 (average CPU time): '1.2.3' is not a number");
  EXPECT_ERROR(f, "2 5 0 12 1 1 . 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "1:14: field 7 (used memory): '.' is not a number");
  /* A long token is quoted up to 40 bytes. */
  EXPECT_ERROR(f,
               "2 5 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 "
               "0123456789012345678901234567890123456789x123\n",
               -JZ_ESYNTAX,
               "1:43: field 18 (think time): '0123456789012345678901234567890123456789...' is "
               "not an integer");
}

static void test_error_range(void **state) {
  fixture_t *f = *state;
  EXPECT_ERROR(f, "2 5 0 12 3000000000 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ERANGE,
               "1:10: field 5 (allocated processors): '3000000000' is out of range");
  EXPECT_ERROR(f, "2 99999999999999999999 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n",
               -JZ_ERANGE, "1:3: field 2 (submit time): '99999999999999999999' is out of range");
  EXPECT_ERROR(f, "2 99999999999999999999x 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n",
               -JZ_ESYNTAX,
               "1:3: field 2 (submit time): '99999999999999999999x' is not an integer");
  /* 19 digits that fit in int64 are fine (the fast path hands them to the checked one). */
  assert_int_equal(read_text(f, "9223372036854775807 5 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n",
                             NULL),
                   0);
  assert_true(f->jobs.jobs[f->jobs.n - 1].trace_id == INT64_MAX);
}

static void test_error_bad_bytes(void **state) {
  fixture_t *f = *state;
  EXPECT_ERROR(f, OK_LINE "2 5 0 1\0002 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "2:8: unexpected byte 0x00");
  EXPECT_ERROR(f, "2 5 0 12 1 -1 -1 1 60 -1 1 \xc3\xa9 1 -1 1 -1 -1 -1\n", -JZ_ESYNTAX,
               "1:28: unexpected byte 0xc3");
  EXPECT_ERROR(f, "2 5 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\x7f\n", -JZ_ESYNTAX,
               "1:45: unexpected byte 0x7f");
  EXPECT_ERROR(f, "2 5\v0 12\n", -JZ_ESYNTAX, "1:4: unexpected byte 0x0b"); /* before the count */
  EXPECT_ERROR(f, "2 5 0 12 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\r2\n", -JZ_ESYNTAX,
               "1: expected 18 fields, found 19"); /* a lone CR is a blank, not a line end */
  EXPECT_ERROR(f, "; Note: a\000b\n", -JZ_ESYNTAX, "1:10: unexpected byte 0x00");
  EXPECT_ERROR(f, "\xff\n", -JZ_ESYNTAX, "1:1: unexpected byte 0xff");
}

static void test_error_header(void **state) {
  fixture_t *f = *state;
  EXPECT_ERROR(f, "; Version: 2.2\n; MaxProcs: 1152 (144 nodes)\n", -JZ_ESYNTAX,
               "2:13: MaxProcs: '1152 (144 nodes)' is not an integer");
  EXPECT_ERROR(f, ";MaxNodes:\n", -JZ_ESYNTAX, "1:11: MaxNodes: '' is not an integer");
  EXPECT_ERROR(f, "; UnixStartTime: 99999999999999999999\n", -JZ_ERANGE,
               "1:18: UnixStartTime: '99999999999999999999' is out of range");
}

static void test_error_open(void **state) {
  fixture_t *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/absent.swf", f->dir);
  assert_int_equal(jz_swf_read(path, NULL, &f->jobs, &f->hdr, &f->err), -JZ_EIO);
  char want[256];
  snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
  assert_string_equal(f->err.msg, want);
  assert_int_equal(jz_swf_read(f->dir, NULL, &f->jobs, &f->hdr, &f->err), -JZ_EIO);
  snprintf(want, sizeof want, "%s: cannot open: Is a directory", f->dir);
  assert_string_equal(f->err.msg, want);
}

static void test_error_gzip(void **state) {
  fixture_t *f = *state;
  const char *trunc = JZ_TEST_DATA "/bad/swf_truncated.swf.gz";
  assert_int_equal(jz_swf_read(trunc, NULL, &f->jobs, &f->hdr, &f->err), -JZ_EIO);
  assert_string_equal(f->err.msg, JZ_TEST_DATA "/bad/swf_truncated.swf.gz: unexpected end of file");
  jz_swf_header_free(&f->hdr);
  /* Lenient mode forgives lines, not a damaged file. */
  jz_swf_options_t opt = {.lenient = true};
  assert_int_equal(jz_swf_read(trunc, &opt, &f->jobs, &f->hdr, &f->err), -JZ_EIO);
  assert_string_equal(f->err.msg, JZ_TEST_DATA "/bad/swf_truncated.swf.gz: unexpected end of file");
  jz_swf_header_free(&f->hdr);

  /* Flipped bytes in the deflate data: zlib's own words, after the path. */
  FILE *fp = fopen(GOOD "small.swf.gz", "rb");
  assert_non_null(fp);
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, fp);
  fclose(fp);
  assert_true(n > 40);
  for (size_t i = 20; i < n - 12; i += 7) buf[i] = (char)~buf[i];
  write_file(f, "corrupt.swf.gz", buf, n);
  assert_int_equal(jz_swf_read(f->path, NULL, &f->jobs, &f->hdr, &f->err), -JZ_EIO);
  char prefix[160];
  snprintf(prefix, sizeof prefix, "%s: ", f->path);
  assert_memory_equal(f->err.msg, prefix, strlen(prefix));
  assert_true(strlen(f->err.msg) > strlen(prefix));
  assert_null(strstr(f->err.msg, "<fd:"));
}

/* A compressed trace bigger than a few prefetch chunks (workload/prefetch.h: the rest of a
 * file past its first 4 KiB is inflated on a second thread): whole, every job in order;
 * truncated in its middle, zlib's error after the path, and nothing kept. */
static void test_gzip_prefetched(void **state) {
  fixture_t *f = *state;
  enum { N = 60000 };
  size_t cap = (size_t)N * 64, k = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  for (int i = 0; i < N; i++)
    k += (size_t)snprintf(text + k, cap - k, "%d %d -1 %d 4 -1 -1 4 %d -1 1 %d 1 -1 1 -1 -1 -1\n", i + 1, i,
                          1 + i % 977, 2000 + i % 13, i % 50);
  snprintf(f->path, sizeof f->path, "%s/big.swf.gz", f->dir);
  gzFile gz = gzopen(f->path, "wb");
  assert_non_null(gz);
  assert_int_equal(gzwrite(gz, text, (unsigned)k), (int)k);
  assert_int_equal(gzclose(gz), Z_OK);
  assert_int_equal(jz_swf_read(f->path, NULL, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->jobs.n, N);
  for (int i = 0; i < N; i += 997) {
    assert_int_equal(f->jobs.jobs[i].trace_id, i + 1);
    assert_double_eq(f->jobs.jobs[i].runtime, 1 + i % 977);
  }
  jz_swf_header_free(&f->hdr);
  jz_job_table_free(&f->jobs);
  jz_job_table_init(&f->jobs);

  FILE *fp = fopen(f->path, "rb");
  assert_non_null(fp);
  char *z = malloc(k);
  assert_non_null(z);
  size_t zn = fread(z, 1, k, fp);
  fclose(fp);
  assert_true(zn > 3 * 4096);
  write_file(f, "cut.swf.gz", z, zn * 3 / 5);
  assert_int_equal(jz_swf_read(f->path, NULL, &f->jobs, &f->hdr, &f->err), -JZ_EIO);
  char want[600];
  snprintf(want, sizeof want, "%s: unexpected end of file", f->path);
  assert_string_equal(f->err.msg, want);
  assert_int_equal(f->jobs.n, 0);
  jz_swf_header_free(&f->hdr);
  free(z);
  free(text);
}

static void test_error_leaves_table(void **state) {
  fixture_t *f = *state;
  assert_int_equal(jz_swf_read(GOOD "small.swf", NULL, &f->jobs, &f->hdr, &f->err), 0);
  jz_swf_header_free(&f->hdr);
  size_t n = f->jobs.n;
  long total = jz_job_table_skipped_total(&f->jobs);
  /* A good job and a skipped one before the error: neither may stay. */
  EXPECT_ERROR(f, "; Queue: 1 q\n" OK_LINE "2 5 0 0 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n"
               "3 5 0 12x 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n",
               -JZ_ESYNTAX, "4:7: field 4 (run time): '12x' is not an integer");
  assert_int_equal(f->jobs.n, n);
  assert_int_equal(jz_job_table_skipped_total(&f->jobs), total);
  assert_null(f->hdr.queue_names[1]); /* freed: no leak if the caller does not free on error */
}

static void test_lenient(void **state) {
  fixture_t *f = *state;
  jz_swf_options_t opt = {.lenient = true};
  const char *text = "; MaxProcs: oops\n"                                       /* malformed */
                     "; MaxNodes: 8\n"
                     "1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n"          /* kept */
                     "2 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1\n"             /* 17 fields */
                     "3 0 0 1x 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n"          /* not an integer */
                     "4 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 \001\n"       /* bad byte */
                     "5 0 0 0 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n"           /* runtime 0 */
                     "6 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 1 -1 -1 -1\n";         /* kept */
  assert_int_equal(read_text(f, text, &opt), 0);
  assert_int_equal(f->err.code, 12345); /* untouched */
  assert_int_equal(f->jobs.malformed, 4);
  assert_int_equal(f->jobs.n, 2);
  assert_int_equal(f->jobs.jobs[0].trace_id, 1);
  assert_int_equal(f->jobs.jobs[1].trace_id, 6);
  assert_int_equal(f->jobs.jobs[1].line, 8);
  assert_int_equal(skipped(&f->jobs, "runtime <= 0"), 1);
  assert_int_equal(f->hdr.max_procs, -1);
  assert_int_equal(f->hdr.max_nodes, 8);
  assert_int_equal(f->hdr.job_lines, 6); /* malformed data lines still count as read */
  /* max_jobs counts malformed data lines too. */
  jz_job_table_free(&f->jobs);
  opt.max_jobs = 3;
  assert_int_equal(read_text(f, text, &opt), 0);
  assert_int_equal(f->jobs.n, 1);
  assert_int_equal(f->jobs.malformed, 3);
  assert_int_equal(f->hdr.lines, 5);
}

/* ---- real traces ------------------------------------------------------------------------- */

static void test_kth_whole_log(void **state) {
  fixture_t *f = *state;
  if (access(KTH, R_OK) != 0) {
    print_message("skipping: %s is absent (the shared traces are not checked out)\n", KTH);
    skip();
  }
  assert_int_equal(jz_swf_read(KTH, NULL, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->jobs.n, 27992);
  assert_int_equal(f->hdr.job_lines, 27992);
  assert_int_equal(f->hdr.lines, 28016);
  assert_int_equal(f->hdr.max_procs, 100);
  assert_int_equal(f->hdr.max_nodes, 100);
  assert_true(f->hdr.unix_start == 843480031LL);
  assert_int_equal(jz_job_table_skipped_total(&f->jobs), 0);
  assert_int_equal(f->jobs.jobs[0].trace_id, 15);
  assert_int_equal(f->jobs.jobs[0].line, 25);
  assert_double_eq(f->jobs.jobs[0].submit, 599850);
  assert_double_eq(f->jobs.jobs[0].walltime, 53940);
  assert_int_equal(jz_job_table_sort(&f->jobs), 0);
  for (size_t i = 1; i < f->jobs.n; i++)
    assert_true(f->jobs.jobs[i - 1].submit <= f->jobs.jobs[i].submit);
}

static void test_shipped_slices(void **state) {
  fixture_t *f = *state;
  assert_int_equal(jz_swf_read(JZ_SOURCE_DIR "/workloads/curie-2012-5k.swf.gz", NULL, &f->jobs,
                               &f->hdr, &f->err),
                   0);
  assert_int_equal(f->hdr.job_lines, 5000);
  assert_int_equal(f->hdr.max_procs, 93312);
  assert_int_equal(f->hdr.max_nodes, 5544);
  assert_int_equal(f->jobs.n + (size_t)jz_job_table_skipped_total(&f->jobs), 5000);
  jz_swf_header_free(&f->hdr);
  jz_job_table_free(&f->jobs);
  assert_int_equal(
      jz_swf_read(JZ_SOURCE_DIR "/workloads/kth-sp2-1k.swf", NULL, &f->jobs, &f->hdr, &f->err), 0);
  assert_int_equal(f->hdr.job_lines, 1000);
  assert_int_equal(f->jobs.n, 1000);
  assert_int_equal(f->hdr.max_procs, 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_small_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_small_cleaning, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_walltime, setup, teardown),
      cmocka_unit_test_setup_teardown(test_max_jobs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gz_equals_plain, setup, teardown),
      cmocka_unit_test_setup_teardown(test_formats_accepted, setup, teardown),
      cmocka_unit_test_setup_teardown(test_blank_runs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_header_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_null_header_and_options, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_field_count, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_not_integer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_range, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_bad_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_open, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_gzip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gzip_prefetched, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_leaves_table, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lenient, setup, teardown),
      cmocka_unit_test_setup_teardown(test_kth_whole_log, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shipped_slices, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
