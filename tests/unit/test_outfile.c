/* test_outfile.c: the output directory committed as one unit (sim/outfile.c). The kills are
 * in tests/e2e/outputs.sh; here the states before and after each step, and the clean-up of
 * work directories left by killed runs (locked: a live run's, kept; unlocked: removed). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jz_test.h"
#include "outfile.h"

typedef struct fx {
  char root[64];
  char out[128];
  jz_error_t err;
} fx_t;

static const char *const names[] = {"jobs.csv", "summary.json"};

static int setup(void **state) {
  fx_t *f = calloc(1, sizeof *f);
  if (!f) return -1;
  strcpy(f->root, "/tmp/jz_test_outfile_XXXXXX");
  if (!mkdtemp(f->root)) return -1;
  snprintf(f->out, sizeof f->out, "%s/out", f->root);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx_t *f = *state;
  jz_test_rmtree(f->root);
  free(f);
  return 0;
}

/* Entries of dir, sorted, joined by ' ' ("" when empty or missing). */
static void listing(const char *dir, char *buf, size_t len) {
  buf[0] = '\0';
  struct dirent **v;
  int n = scandir(dir, &v, NULL, alphasort);
  for (int i = 0; i < n; i++) {
    if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, "..")) {
      if (buf[0]) strncat(buf, " ", len - strlen(buf) - 1);
      strncat(buf, v[i]->d_name, len - strlen(buf) - 1);
    }
    free(v[i]);
  }
  if (n >= 0) free(v);
}

static void slurp(const char *dir, const char *name, char *buf, size_t len) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *fp = fopen(p, "r");
  assert_non_null(fp);
  size_t n = fread(buf, 1, len - 1, fp);
  buf[n] = '\0';
  fclose(fp);
}

/* A run writing `text` in both files, committed. */
static void run(fx_t *f, const char *text) {
  jz_outdir_t d;
  assert_int_equal(jz_outdir_open(&d, f->out, names, 2, &f->err), 0);
  for (int k = 0; k < 2; k++) fputs(text, d.f[k]);
  assert_int_equal(jz_outdir_commit(&d, &f->err), 0);
}

static void test_fresh_then_replace(void **state) {
  fx_t *f = *state;
  char ls[512], got[64];
  run(f, "first\n");
  listing(f->root, ls, sizeof ls);
  assert_string_equal(ls, "out"); /* no work directory left */
  listing(f->out, ls, sizeof ls);
  assert_string_equal(ls, "jobs.csv summary.json");
  /* A second run: while it writes, out/ is still the first; after commit, the second. */
  jz_outdir_t d;
  assert_int_equal(jz_outdir_open(&d, f->out, names, 2, &f->err), 0);
  for (int k = 0; k < 2; k++) fputs("second\n", d.f[k]);
  slurp(f->out, "jobs.csv", got, sizeof got);
  assert_string_equal(got, "first\n");
  listing(f->root, ls, sizeof ls);
  assert_int_equal(strncmp(ls, ".out.jzsim-", 11), 0); /* the work directory, beside out */
  assert_int_equal(jz_outdir_commit(&d, &f->err), 0);
  slurp(f->out, "jobs.csv", got, sizeof got);
  assert_string_equal(got, "second\n");
  slurp(f->out, "summary.json", got, sizeof got);
  assert_string_equal(got, "second\n");
  listing(f->root, ls, sizeof ls);
  assert_string_equal(ls, "out");
}

static void test_abort_keeps_previous(void **state) {
  fx_t *f = *state;
  char ls[512], got[64];
  run(f, "first\n");
  jz_outdir_t d;
  assert_int_equal(jz_outdir_open(&d, f->out, names, 2, &f->err), 0);
  fputs("half", d.f[0]);
  jz_outdir_abort(&d);
  jz_outdir_abort(&d); /* twice is fine */
  listing(f->root, ls, sizeof ls);
  assert_string_equal(ls, "out");
  slurp(f->out, "jobs.csv", got, sizeof got);
  assert_string_equal(got, "first\n");
}

static void test_refuses_foreign(void **state) {
  fx_t *f = *state;
  char p[256], ls[512];
  run(f, "first\n");
  snprintf(p, sizeof p, "%s/notes.txt", f->out);
  FILE *fp = fopen(p, "w");
  assert_non_null(fp);
  fclose(fp);
  jz_outdir_t d;
  assert_int_equal(jz_outdir_check(f->out, &f->err), -JZ_EIO);
  assert_int_equal(jz_outdir_open(&d, f->out, names, 2, &f->err), -JZ_EIO);
  char want[512];
  snprintf(want, sizeof want,
           "%s: holds 'notes.txt', which jzsim did not write: a run replaces its output "
           "directory as a whole (choose another --out, or empty it)",
           f->out);
  assert_string_equal(f->err.msg, want);
  listing(f->root, ls, sizeof ls);
  assert_string_equal(ls, "out");
  /* A regular file as --out. */
  assert_int_equal(jz_outdir_check(p, &f->err), -JZ_EIO);
  snprintf(want, sizeof want, "%s: not a directory", p);
  assert_string_equal(f->err.msg, want);
}

/* Work directories of killed runs: unlocked ones are removed by the next run, a locked one
 * (a run still writing) is left alone. */
static void test_stale_work_dirs(void **state) {
  fx_t *f = *state;
  char dead[256], live[256], p[300], ls[512];
  snprintf(dead, sizeof dead, "%s/.out.jzsim-dead01", f->root);
  snprintf(live, sizeof live, "%s/.out.jzsim-live01", f->root);
  assert_int_equal(mkdir(dead, 0777), 0);
  assert_int_equal(mkdir(live, 0777), 0);
  snprintf(p, sizeof p, "%s/jobs.csv", dead);
  fclose(fopen(p, "w"));
  int lock = open(live, O_RDONLY | O_DIRECTORY);
  assert_true(lock >= 0);
  assert_int_equal(flock(lock, LOCK_EX), 0);
  run(f, "first\n");
  listing(f->root, ls, sizeof ls);
  assert_string_equal(ls, ".out.jzsim-live01 out");
  close(lock);
  run(f, "second\n");
  listing(f->root, ls, sizeof ls);
  assert_string_equal(ls, "out");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_fresh_then_replace, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_keeps_previous, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refuses_foreign, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stale_work_dirs, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
