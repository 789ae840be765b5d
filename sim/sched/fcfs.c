/* fcfs.c: first come, first served, per pool (a partition, or the jobs of an open dedicated
 * allocation: see <jzsim/policy.h>). Written against the public policy header alone, like a
 * plugin: it is the proof that the seam carries a real policy (built in through plugin.c, and
 * also built as a plugin, libjzsim-fcfs.so, to measure what the seam costs).
 *
 * Jobs start in queue order (queue priority, then submission); the first job of a pool that
 * does not fit blocks every later job of that pool (pools are independent, so a blocked CPU
 * job never holds back a GPU job). A job held by a queue limit waits without blocking, and a
 * head that a later start holds stops blocking at once ("Held heads" below).
 *
 * Example on 4 cores: A (3 cores, 10 s) submitted at 0, B (2 cores) at 1, C (1 core) at 2.
 * A runs from 0 to 10; B waits for A; C waits behind B although a core is idle, so B and C
 * both start at 10. Backfilling (easy.c) would start C at 2.
 *
 * Only partitions where something changed are walked. After a release (or a change of order)
 * a partition's walk starts at its head; otherwise only its jobs submitted since the last pass
 * can start (older ones were tested against the same free resources and did not fit, or wait
 * behind a head that did not), so the walk starts at its first new job. A pool is closed once
 * its first job does not fit or all its waiting jobs were seen; a partition's walk ends when
 * all its pools are closed.
 *
 * Held heads. A pool's head becomes held by a queue limit when a job of the same queue and
 * user (or account) starts after it, in its pool or another one, of its partition or another
 * partition of the queue. It then no longer blocks: the partition is walked again from its
 * top, at once when the start was in the same partition, at the end of the pass for the other
 * partitions. This is rare (2 walks again in the whole Curie log on Jean Zay's queues).
 *
 * Cost: a pass after a finish walks that partition's queue until every pool with waiting jobs
 * is blocked; a pass after submissions only looks at the new jobs when nothing was released. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jzsim/policy.h>

typedef struct fcfs {
  int npools, nparts;
  jzsim_job_t *heads; /* per pool: its first waiting job that does not fit, which blocks the
                         rest (JZSIM_NONE: not blocked; kept between passes) */
  int *pool_part;     /* partition of each pool */
  int64_t *left;      /* waiting jobs of each pool not yet visited (walks from the head) */
  bool *closed;
  bool *only;         /* partitions to walk again from their heads */
} fcfs_t;

/* One walk over the partitions, job by job. */
typedef struct walk {
  fcfs_t *f;
  const jzsim_view_t *v;
  const bool *only; /* NULL: the partitions that changed; else these, from their heads */
  int part;
  jzsim_job_t id;
  int live;         /* pools of the partition still open with jobs left; < 0 = not tracked */
} walk_t;

static void fcfs_fini(void *state) {
  fcfs_t *f = state;
  if (!f) return;
  free(f->heads);
  free(f->pool_part);
  free(f->left);
  free(f->closed);
  free(f->only);
  free(f);
}

static int fcfs_init(void **state, const jzsim_view_t *v, const jzsim_param_t *params, size_t n,
                     char *err, size_t errlen) {
  if (n > 0) {
    snprintf(err, errlen, "fcfs takes no parameter (got '%s')", params[0].key);
    return -1;
  }
  fcfs_t *f = calloc(1, sizeof *f);
  if (!f) goto oom;
  f->npools = jzsim_n_pools(v);
  f->nparts = jzsim_n_partitions(v);
  size_t np = (size_t)f->npools;
  f->heads = malloc(np * sizeof *f->heads);
  f->pool_part = malloc(np * sizeof *f->pool_part);
  f->left = calloc(np, sizeof *f->left);
  f->closed = calloc(np, sizeof *f->closed);
  f->only = calloc((size_t)f->nparts, sizeof *f->only);
  if (!f->heads || !f->pool_part || !f->left || !f->closed || !f->only) goto oom;
  for (int q = 0; q < f->npools; q++) {
    jzsim_pool_info_t pi;
    jzsim_pool(v, q, &pi);
    f->heads[q] = JZSIM_NONE;
    f->pool_part[q] = pi.partition;
  }
  *state = f;
  return 0;
oom:
  fcfs_fini(f);
  snprintf(err, errlen, "out of memory");
  return -1;
}

/* Does the walk of partition p start at its head? */
static bool from_head(const walk_t *w, int p) { return w->only ? w->only[p] : jzsim_released(w->v, p); }

/* Set up the walk of the current partition from its head; false if nothing to walk there. */
static bool begin_at_head(walk_t *w) {
  fcfs_t *f = w->f;
  w->live = 0;
  for (int q = 0; q < f->npools; q++) {
    if (f->pool_part[q] != w->part) continue;
    jzsim_pool_info_t pi;
    jzsim_pool(w->v, q, &pi);
    f->left[q] = pi.waiting;
    f->closed[q] = false;
    w->live += pi.waiting > 0;
  }
  /* Every waiting job may be hidden (held): then there is nothing to walk here. */
  return w->live > 0 && (w->id = jzsim_first(w->v, w->part)) != JZSIM_NONE;
}

static void next_partition(walk_t *w) {
  w->id = JZSIM_NONE;
  for (w->part++; w->part < w->f->nparts; w->part++) {
    if (from_head(w, w->part)) {
      if (begin_at_head(w)) return;
      w->id = JZSIM_NONE;
    } else if (!w->only && (w->id = jzsim_first_new(w->v, w->part)) != JZSIM_NONE) {
      w->live = -1;
      return;
    }
  }
}

static void close_pool(walk_t *w, int pool) {
  fcfs_t *f = w->f;
  if (w->live >= 0 && !f->closed[pool] && f->left[pool] > 0) w->live--;
  f->closed[pool] = true;
}

/* Move past the current job, of the given pool, to `next` (read before a start unlinked it). */
static void advance(walk_t *w, int pool, jzsim_job_t next) {
  fcfs_t *f = w->f;
  w->id = next;
  if (w->live >= 0) {
    if (--f->left[pool] == 0 && !f->closed[pool]) w->live--;
    if (w->live == 0) w->id = JZSIM_NONE;
  }
  if (w->id == JZSIM_NONE) next_partition(w);
}

/* After job `started` of partition part started: is some pool of part now headed by a job a
 * queue limit holds? Only a start in a queue with per-user or per-account limits can hold one,
 * and only a blocked pool has a head (asked first: it is the cheap, common answer). */
static bool head_now_held(const fcfs_t *f, const jzsim_view_t *v, int part, jzsim_job_t started) {
  bool blocked = false;
  for (int q = 0; q < f->npools && !blocked; q++) blocked = f->pool_part[q] == part && f->heads[q] != JZSIM_NONE;
  if (!blocked) return false;
  jzsim_job_info_t ji;
  jzsim_job(v, started, &ji);
  if (!ji.queue_limited) return false;
  for (int q = 0; q < f->npools; q++)
    if (f->pool_part[q] == part && f->heads[q] != JZSIM_NONE && jzsim_would_hold(v, f->heads[q]))
      return true;
  return false;
}

/* Forget the heads of the pools of partition part: its walk starts from the top. */
static void unblock(fcfs_t *f, int part) {
  for (int q = 0; q < f->npools; q++)
    if (f->pool_part[q] == part) f->heads[q] = JZSIM_NONE;
}

/* One walk: the partitions that changed (only == NULL) or those of `only`, from their heads. */
static int fcfs_walk(fcfs_t *f, const jzsim_view_t *v, jzsim_decisions_t *d, const bool *only) {
  walk_t w = {f, v, only, -1, JZSIM_NONE, 0};
  /* A partition walked from its head starts its pools afresh. */
  for (int p = 0; p < f->nparts; p++)
    if (from_head(&w, p)) unblock(f, p);
  next_partition(&w);
  while (w.id != JZSIM_NONE) {
    jzsim_job_t id = w.id, next = jzsim_next(v, id);
    int pool = jzsim_pool_of(v, id);
    /* A job held by a queue limit waits without blocking the jobs behind it (as Slurm). */
    if (f->heads[pool] == JZSIM_NONE && !jzsim_held(d, id)) {
      if (jzsim_fits(v, id)) {
        int rc = jzsim_start(d, id);
        if (rc) return rc;
        if (head_now_held(f, v, w.part, id)) { /* it held another pool's head */
          unblock(f, w.part);
          if (!begin_at_head(&w)) next_partition(&w);
          continue;
        }
      } else {
        f->heads[pool] = id;
        close_pool(&w, pool);
      }
    }
    advance(&w, pool, next);
  }
  return 0;
}

/* At the end of a pass: the partitions with a pool headed by a held job (a job of another
 * partition started after the head was found); false if there is none. O(pools). */
static bool held_partitions(fcfs_t *f, const jzsim_view_t *v) {
  bool any = false;
  memset(f->only, 0, (size_t)f->nparts * sizeof *f->only);
  for (int q = 0; q < f->npools; q++)
    if (f->heads[q] != JZSIM_NONE && jzsim_would_hold(v, f->heads[q])) any = f->only[f->pool_part[q]] = true;
  return any;
}

static int fcfs_schedule(void *state, const jzsim_view_t *v, jzsim_decisions_t *d) {
  fcfs_t *f = state;
  int rc = fcfs_walk(f, v, d, NULL);
  /* A start in one partition may have held the head of another (a queue over several). */
  while (rc == 0 && held_partitions(f, v)) rc = fcfs_walk(f, v, d, f->only);
  return rc;
}

const jzsim_policy_t jz__fcfs_ops = {
    .abi_version = JZSIM_POLICY_ABI_VERSION,
    .size = sizeof(jzsim_policy_t),
    .name = "fcfs",
    .summary = "first come, first served per partition; the first job that does not fit blocks the rest",
    .init = fcfs_init,
    .schedule = fcfs_schedule,
    .fini = fcfs_fini,
};

#ifdef JZSIM_FCFS_PLUGIN /* the same policy as a plugin (libjzsim-fcfs.so), for scripts/bench.sh */
JZSIM_POLICY_DEFINE(jz__fcfs_ops)
#endif
