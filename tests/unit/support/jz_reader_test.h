/* jz_reader_test.h: fixtures for the trace readers' tests (test_reader.c, test_itp.c, ...):
 * a temporary directory for written files, a job table, reads by format name, and exact
 * error checks. Header-only (static inline), so only the tests that include it carry it. */
#ifndef JZ_READER_TEST_H
#define JZ_READER_TEST_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "jz_test.h"
#include "workload/reader.h"

#define JZ_GOOD JZ_TEST_DATA "/good/"
#define JZ_GPU_TRACES JZ_SOURCE_DIR "/../shared/traces/gpu/"

typedef struct jz_rt {
  char dir[64];   /* a fresh temporary directory for files written by the test */
  char path[256]; /* the last file written */
  jz_job_table_t t;
  jz_read_info_t info;
  jz_error_t err;
} jz_rt_t;

static inline int jz_rt_setup(void **state) {
  jz_rt_t *f = calloc(1, sizeof *f);
  if (!f) return -1;
  strcpy(f->dir, "/tmp/jz_test_reader_XXXXXX");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  jz_job_table_init(&f->t);
  *state = f;
  return 0;
}

static inline int jz_rt_teardown(void **state) {
  jz_rt_t *f = *state;
  jz_test_rmtree(f->dir);
  jz_job_table_free(&f->t);
  free(f);
  return 0;
}

/* Write text to dir/name (gzipped when name ends in ".gz"); returns the path. */
static inline const char *jz_rt_write(jz_rt_t *f, const char *name, const char *text,
                                      size_t len) {
  snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
  size_t nl = strlen(name);
  if (nl > 3 && strcmp(name + nl - 3, ".gz") == 0) {
    gzFile gz = gzopen(f->path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
  } else {
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
  }
  return f->path;
}
#define JZ_RT_WRITE(f, name, lit) jz_rt_write((f), (name), (lit), sizeof(lit) - 1)

/* Read path with the named reader into a fresh table. */
static inline int jz_rt_read(jz_rt_t *f, const char *format, const char *path,
                             const jz_read_opts_t *o) {
  const jz_reader_t *r = jz_reader_find(format);
  assert_non_null(r);
  jz_job_table_free(&f->t);
  jz_job_table_init(&f->t);
  memset(&f->err, 0, sizeof f->err);
  return jz_reader_read_path(r, path, o, &f->t, &f->info, &f->err);
}

/* Write text as dir/name, read it with format strictly: it must fail with code and exactly
 * "<path>:<where>", leaving the table empty. */
static inline void jz_rt_expect_error(jz_rt_t *f, const char *format, const char *name,
                                      const char *text, size_t len, int code, const char *where) {
  const char *p = jz_rt_write(f, name, text, len);
  char path[256];
  snprintf(path, sizeof path, "%s", p);
  int rc = jz_rt_read(f, format, path, NULL);
  char want[700];
  snprintf(want, sizeof want, "%s:%s", path, where);
  assert_string_equal(f->err.msg, want);
  assert_int_equal(rc, code);
  assert_int_equal(f->t.n, 0);
  assert_int_equal(f->t.n_skip_reasons, 0);
}
#define JZ_RT_EXPECT_ERROR(f, format, name, lit, code, where) \
  jz_rt_expect_error((f), (format), (name), (lit), sizeof(lit) - 1, (code), (where))

static inline long jz_rt_skipped(const jz_job_table_t *t, const char *reason) {
  for (int i = 0; i < t->n_skip_reasons; i++)
    if (strcmp(t->skipped[i].reason, reason) == 0) return t->skipped[i].count;
  return 0;
}

/* Interned text, or "(none)" for -1. */
static inline const char *jz_rt_str(const jz_job_table_t *t, int32_t id) {
  return id < 0 ? "(none)" : jz_strtab_get(&t->strings, id);
}

static inline bool jz_rt_missing(const jz_read_info_t *info, const char *name) {
  for (int i = 0; i < info->n_missing; i++)
    if (strcmp(info->missing[i], name) == 0) return true;
  return false;
}

/* The real traces live beside the repository (../shared); tests on them skip without it. */
static inline bool jz_rt_have(const char *path) {
  if (access(path, R_OK) == 0) return true;
  print_message("skipped: %s is absent\n", path);
  return false;
}

#endif
