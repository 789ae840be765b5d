/* test_sweep_pages.c: a sweep's finished runs give their output pages back (sweep/pagecache.c).
 * Residency is read with mincore: a run's big outputs leave the page cache when the run is
 * reported done (written back already here: fsync), or JZ_SWEEP_PAGES_LAG runs later when they
 * were still dirty then, or at the flush that ends a sweep; summary.json stays cached (the
 * sweep reads it); a run without outputs is no error. The checks need a filesystem whose page
 * cache takes the advice (ext4, xfs, btrfs, overlayfs over them); elsewhere (tmpfs, where
 * advice has no effect; network filesystems) the test skips. */
#define _GNU_SOURCE
#include "jz_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"

#define RUNS (JZ_SWEEP_PAGES_LAG + 4)
/* statfs f_type of the filesystems the checks hold on (linux/magic.h). */
static bool advisable(long type) {
  return type == 0xEF53 /* ext2/3/4 */ || type == 0x58465342 /* xfs */ ||
         type == 0x9123683E /* btrfs */ || type == 0x794c7630 /* overlayfs */;
}

static char dir[256];
static char *names[RUNS];

static void path_of(char *buf, size_t len, int run, const char *file) {
  snprintf(buf, len, "%s/runs/%s/out%s%s", dir, names[run], file ? "/" : "", file ? file : "");
}

/* Write run's outputs: 1 MiB of jobs.csv, 64 KiB of queues.csv, 8 KiB of summary.json. */
static void write_run(int run, bool sync) {
  char p[512];
  snprintf(p, sizeof p, "%s/runs/%s", dir, names[run]);
  assert_int_equal(mkdir(p, 0777), 0);
  path_of(p, sizeof p, run, NULL);
  assert_int_equal(mkdir(p, 0777), 0);
  const char *files[3] = {"jobs.csv", "queues.csv", "summary.json"};
  const size_t sizes[3] = {1 << 20, 64 << 10, 8 << 10};
  char *buf = malloc(1 << 20);
  assert_non_null(buf);
  memset(buf, 'x', 1 << 20);
  for (int f = 0; f < 3; f++) {
    path_of(p, sizeof p, run, files[f]);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, sizes[f]), (ssize_t)sizes[f]);
    if (sync) assert_int_equal(fsync(fd), 0);
    close(fd);
  }
  free(buf);
}

static void sync_run(int run) {
  const char *files[3] = {"jobs.csv", "queues.csv", "summary.json"};
  for (int f = 0; f < 3; f++) {
    char p[512];
    path_of(p, sizeof p, run, files[f]);
    int fd = open(p, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(fsync(fd), 0);
    close(fd);
  }
}

/* Pages of run's file in the page cache. */
static size_t resident(int run, const char *file) {
  char p[512];
  path_of(p, sizeof p, run, file);
  int fd = open(p, O_RDONLY);
  assert_true(fd >= 0);
  struct stat st;
  assert_int_equal(fstat(fd, &st), 0);
  void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  assert_true(map != MAP_FAILED);
  long page = sysconf(_SC_PAGESIZE);
  size_t n = ((size_t)st.st_size + (size_t)page - 1) / (size_t)page, in = 0;
  unsigned char *vec = malloc(n);
  assert_non_null(vec);
  assert_int_equal(mincore(map, (size_t)st.st_size, vec), 0);
  for (size_t k = 0; k < n; k++) in += vec[k] & 1;
  free(vec);
  munmap(map, (size_t)st.st_size);
  close(fd);
  return in;
}

static void test_pages(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "test_sweep_pages.XXXXXX"); /* the build tree: a disk, not /tmp */
  assert_non_null(mkdtemp(dir));
  struct statfs sf;
  char p[512];
  snprintf(p, sizeof p, "%s/runs", dir);
  assert_int_equal(mkdir(p, 0777), 0);
  for (int r = 0; r < RUNS; r++) {
    names[r] = malloc(8);
    snprintf(names[r], 8, "%04d", r);
  }
  bool other_fs = statfs(dir, &sf) != 0 || !advisable((long)sf.f_type);
  jz_manifest_t m = {.dir = dir, .n_runs = RUNS, .names = names};
  jz_sweep_pages_t pg;
  jz__sweep_pages_init(&pg, &m);

  /* Run 0, written back already: dropped as it is reported done, summary.json kept. */
  write_run(0, true);
  if (other_fs || resident(0, "jobs.csv") == 0) {
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    assert_int_equal(system(p), 0);
    for (int r = 0; r < RUNS; r++) free(names[r]);
    skip();
  }
  jz__sweep_pages_done(&pg, 0);
  assert_int_equal(resident(0, "jobs.csv"), 0);
  assert_int_equal(resident(0, "queues.csv"), 0);
  assert_int_equal(resident(0, "summary.json"), 2);

  /* Run 1, dirty when reported done (its pages cannot go yet), written back afterwards: gone
   * once LAG more runs are done. Runs 2..LAG have no outputs at all (a run's out/ may be
   * missing): no error. */
  write_run(1, false);
  jz__sweep_pages_done(&pg, 1);
  sync_run(1);
  for (int r = 2; r <= 1 + JZ_SWEEP_PAGES_LAG; r++) jz__sweep_pages_done(&pg, (size_t)r);
  assert_int_equal(resident(1, "jobs.csv"), 0);
  assert_int_equal(resident(1, "summary.json"), 2);

  /* The last runs of a sweep: dropped again by the flush that ends it. */
  write_run(RUNS - 1, false);
  jz__sweep_pages_done(&pg, RUNS - 1);
  sync_run(RUNS - 1);
  jz__sweep_pages_flush(&pg);
  assert_int_equal(resident(RUNS - 1, "jobs.csv"), 0);
  assert_int_equal(resident(RUNS - 1, "queues.csv"), 0);
  /* The files themselves are whole. */
  struct stat st;
  path_of(p, sizeof p, RUNS - 1, "jobs.csv");
  assert_int_equal(stat(p, &st), 0);
  assert_int_equal(st.st_size, 1 << 20);

  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  for (int r = 0; r < RUNS; r++) free(names[r]);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_pages)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
