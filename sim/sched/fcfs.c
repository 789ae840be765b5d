/* fcfs.c: first come, first served, per partition.
 *
 * Jobs start in submission order; the first job of a partition that does not fit blocks every
 * later job of that partition (partitions are independent pools, so a blocked CPU job never
 * holds back a GPU job). Example on 4 cores: A (3 cores, 10 s) submitted at 0, B (2 cores) at
 * 1, C (1 core) at 2. A runs from 0 to 10; B waits for A; C waits behind B although a core is
 * idle, so B and C both start at 10. Backfilling (easy.c) would start C at 2.
 *
 * Cost: a pass after a finish walks the queue until every partition with waiting jobs is
 * blocked; a pass after submissions only looks at the new jobs when nothing was released. */
#include <stdlib.h>

#include "sched/policy.h"
#include "sched/scan.h"

typedef struct fcfs {
  bool *blocked; /* per partition: its first waiting job does not fit (kept between passes) */
  uint32_t *left;
  bool *closed;
} fcfs_t;

static void fcfs_fini(void *state) {
  fcfs_t *f = state;
  if (!f) return;
  free(f->blocked);
  free(f->left);
  free(f->closed);
  free(f);
}

static int fcfs_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  size_t n = (size_t)v->res.n_parts;
  fcfs_t *f = calloc(1, sizeof *f);
  if (f) {
    f->blocked = calloc(n, sizeof *f->blocked);
    f->left = calloc(n, sizeof *f->left);
    f->closed = calloc(n, sizeof *f->closed);
  }
  if (!f || !f->blocked || !f->left || !f->closed) {
    fcfs_fini(f);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  *state = f;
  return 0;
}

static int fcfs_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  fcfs_t *f = state;
  jz_scan_t sc;
  jz_scan_begin(&sc, v, f->left, f->closed);
  if (v->released)
    for (int p = 0; p < v->res.n_parts; p++) f->blocked[p] = false;
  for (uint32_t id; (id = jz_scan_job(&sc)) != JZ_NONE;) {
    uint32_t next = jz_view_next(v, id);
    int p = v->jobs[id].partition;
    if (!f->blocked[p]) {
      if (jz_view_fits(v, id)) {
        int rc = jz_decide_start(out, id);
        if (rc) return rc;
      } else {
        f->blocked[p] = true;
        jz_scan_close(&sc, p);
      }
    }
    jz_scan_advance(&sc, p, next);
  }
  return 0;
}

const jz_policy_t jz_policy_fcfs = {
    .name = "fcfs",
    .summary = "first come, first served per partition; the first job that does not fit blocks the rest",
    .init = fcfs_init,
    .schedule = fcfs_schedule,
    .fini = fcfs_fini,
};
