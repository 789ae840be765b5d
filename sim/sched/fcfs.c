/* fcfs.c: first come, first served, per pool (a partition, or the jobs of an open dedicated
 * allocation: see sched.h).
 *
 * Jobs start in queue order (queue priority, then submission); the first job of a pool that
 * does not fit blocks every later job of that pool (pools are independent, so a blocked CPU
 * job never holds back a GPU job). A job held by a queue limit waits without blocking, and a
 * head that a later start holds stops blocking at once (scan.h, "Held heads").
 *
 * Example on 4 cores: A (3 cores, 10 s) submitted at 0, B (2 cores) at 1, C (1 core) at 2.
 * A runs from 0 to 10; B waits for A; C waits behind B although a core is idle, so B and C
 * both start at 10. Backfilling (easy.c) would start C at 2.
 *
 * Cost: a pass after a finish walks that partition's queue until every pool with waiting jobs is
 * blocked; a pass after submissions only looks at the new jobs when nothing was released. */
#include <stdlib.h>

#include "sched/policy.h"
#include "sched/scan.h"

typedef struct fcfs {
  uint32_t *heads; /* per pool: its first waiting job that does not fit, which blocks the rest
                      (JZ_NONE: not blocked; kept between passes) */
  int64_t *left;
  bool *closed;
  bool *only;
} fcfs_t;

static void fcfs_fini(void *state) {
  fcfs_t *f = state;
  if (!f) return;
  free(f->heads);
  free(f->left);
  free(f->closed);
  free(f->only);
  free(f);
}

static int fcfs_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  fcfs_t *f = calloc(1, sizeof *f);
  if (!f || jz_scan_alloc(v, &f->left, &f->closed, &f->heads, &f->only)) {
    fcfs_fini(f);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  *state = f;
  return 0;
}

/* Forget the heads of the pools of partition part: its walk starts from the top. */
static void unblock(fcfs_t *f, const jz_sched_t *v, int part) {
  for (int q = 0; q < jz_view_n_pools(v); q++)
    if (jz_view_pool_partition(v, q) == part) f->heads[q] = JZ_NONE;
}

/* One walk: the partitions that changed (only == NULL) or those of `only`, from their heads. */
static int fcfs_walk(fcfs_t *f, const jz_sched_t *v, jz_decisions_t *out, const bool *only) {
  jz_scan_t sc;
  /* A partition walked from its head starts its pools afresh. */
  for (int p = 0; p < v->res.n_parts; p++)
    if (jz_scan_from_head(v, only, p)) unblock(f, v, p);
  jz_scan_begin(&sc, v, f->left, f->closed, only);
  for (uint32_t id; (id = jz_scan_job(&sc)) != JZ_NONE;) {
    uint32_t next = jz_view_next(v, id);
    int pool = jz_view_pool(v, id);
    /* A job held by a queue limit waits without blocking the jobs behind it (as Slurm). */
    if (f->heads[pool] == JZ_NONE && !jz_decide_held(out, id)) {
      if (jz_view_fits(v, id)) {
        int rc = jz_decide_start(out, id);
        if (rc) return rc;
        if (jz_scan_head_now_held(v, f->heads, id)) { /* it held another pool's head */
          unblock(f, v, v->jobs[id].partition);
          jz_scan_restart(&sc);
          continue;
        }
      } else {
        f->heads[pool] = id;
        jz_scan_close(&sc, pool);
      }
    }
    jz_scan_advance(&sc, pool, next);
  }
  return 0;
}

static int fcfs_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  fcfs_t *f = state;
  int rc = fcfs_walk(f, v, out, NULL);
  /* A start in one partition may have held the head of another (a queue over several). */
  while (rc == 0 && jz_scan_held_partitions(v, f->heads, f->only)) rc = fcfs_walk(f, v, out, f->only);
  return rc;
}

const jz_policy_t jz_policy_fcfs = {
    .name = "fcfs",
    .summary = "first come, first served per partition; the first job that does not fit blocks the rest",
    .init = fcfs_init,
    .schedule = fcfs_schedule,
    .fini = fcfs_fini,
};
