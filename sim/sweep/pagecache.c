/* pagecache.c: a sweep's finished runs give their output pages back (sweep_internal.h).
 *
 * A sweep writes every run's jobs.csv and time series once and reads them back rarely, if
 * ever (results come from summary.json): 6 MB a run and 11 GB for the 1,728-variant bench.
 * Left to the kernel, each run's pages stay cached and every later run's writes take fresh
 * free memory. Fresh memory is the expensive kind: the kernel zeroes or reclaims it, and on a
 * virtual machine that hands free memory back to its host (virtio-balloon free page
 * reporting) the first touch of each page also faults in the host. Measured on the 2-core
 * development VM: writing 2 GB into the page cache costs 4.8-5.5 s of system time from fresh
 * memory, 0.5 s from pages just freed.
 *
 * So the runner asks the kernel to drop a run's outputs (POSIX_FADV_DONTNEED) twice: as the
 * run ends, which starts their writeback (dirty pages cannot be dropped) and drops what is
 * clean already, and again LAG runs later, when writeback is long done. The pages go back to
 * the free lists warm and the next runs' writes reuse them. summary.json stays cached: the
 * sweep and `collect` read it. The files themselves are untouched: this is advice only, and a
 * failure to give it changes nothing but speed. */
#define _DEFAULT_SOURCE /* DT_REG */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"

static void drop_run(const jz_manifest_t *m, size_t i) {
  char dir[4400];
  jz__sweep_run_path(m, i, "out", dir, sizeof dir);
  DIR *d = opendir(dir);
  if (!d) return;
  int dfd = dirfd(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) continue;
    if (e->d_name[0] == '.' || strcmp(e->d_name, "summary.json") == 0) continue;
    int fd = openat(dfd, e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
  closedir(d);
}

void jz__sweep_pages_init(jz_sweep_pages_t *p, const jz_manifest_t *m) {
  memset(p, 0, sizeof *p);
  p->m = m;
}

void jz__sweep_pages_done(jz_sweep_pages_t *p, size_t i) {
  drop_run(p->m, i);
  size_t k = p->n % JZ_SWEEP_PAGES_LAG;
  if (p->n >= JZ_SWEEP_PAGES_LAG) drop_run(p->m, p->ring[k]);
  p->ring[k] = i;
  p->n++;
}

void jz__sweep_pages_flush(jz_sweep_pages_t *p) {
  size_t n = p->n < JZ_SWEEP_PAGES_LAG ? p->n : JZ_SWEEP_PAGES_LAG;
  for (size_t k = 0; k < n; k++) drop_run(p->m, p->ring[k]);
  p->n = 0;
}
