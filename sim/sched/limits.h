/* limits.h: running-job counters per (queue, user) and (queue, account), for Slurm-QoS-like
 * limits (MaxJobsPerUser, MaxTRESPerUser=gres/gpu, cpu; the same per account).
 *
 * An open-addressing hash map from (queue, entity) to {jobs, cores, gpus}; entries are never
 * removed (a pair that ran once is likely to run again), so lookups stay O(1) on average with
 * no per-event allocation once the map has grown. */
#ifndef JZ_LIMITS_H
#define JZ_LIMITS_H

#include <stdint.h>

typedef struct jz_usage {
  int64_t jobs, cores, gpus;
  uint32_t aux; /* the caller's (sched.c: a held tree's index), UINT32_MAX when created */
} jz_usage_t;

typedef struct jz_usage_map {
  uint64_t *keys; /* (queue + 1) << 32 | entity, 0 = empty slot */
  jz_usage_t *vals;
  uint32_t cap, n;
} jz_usage_map_t;

void jz_usage_map_init(jz_usage_map_t *m);
void jz_usage_map_free(jz_usage_map_t *m);
/* The counters of (queue, entity), created at zero; NULL on ENOMEM. entity >= 0. */
jz_usage_t *jz_usage_get(jz_usage_map_t *m, int32_t queue, int32_t entity);
/* Read-only lookup: zero counters when absent. */
jz_usage_t jz_usage_peek(const jz_usage_map_t *m, int32_t queue, int32_t entity);

#endif
