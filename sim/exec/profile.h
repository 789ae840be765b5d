/* profile.h: a job's execution profile, the work it does instead of a trace run time.
 *
 * The native job formats (workload/native.c) accept the keys below next to the usual ones;
 * docs/models.md gives each model's formulas and cost. Profiles live in a side table of the
 * job table (job.h: jz_job_table_t.prof_of), so a delay job costs no byte more than before.
 *
 *   profile             delay | compute | ai_training | mpi | io        (default delay)
 *   flops               compute, mpi: work per node (flop)
 *   iterations          ai_training: iteration count (integer >= 1)
 *   flops_per_iteration ai_training: work per node and iteration (flop)
 *   gradient            ai_training: all-reduce size per iteration (bytes)
 *   checkpoint          ai_training: checkpoint size, written to `tier` (bytes)
 *   checkpoint_every    ai_training: iterations between checkpoints (0: only at the end)
 *   dataset             ai_training: bytes read from `tier` at start
 *   comm                mpi: bytes each node sends per run
 *   pattern             mpi: ring | all-to-all                            (default ring)
 *   tier                io, ai_training: storage tier name (platform `storage:`)
 *   read, write         io: bytes read from and written to `tier` (the job's total)
 *   precision           compute, ai_training, mpi on GPUs: fp64 | bf16 (the GPU rate used;
 *                       default bf16 for ai_training, fp64 otherwise)
 *
 * Amounts take units (`10GB`, `1TiB`, `3Pf` for 3e15 flop); in CSV a bare number is bytes or
 * flop, as a bare duration there is seconds. Pure C, no SimGrid. */
#ifndef JZ_PROFILE_H
#define JZ_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

typedef enum jz_prof_kind {
  JZ_PROF_DELAY = 0,
  JZ_PROF_COMPUTE,
  JZ_PROF_AI,
  JZ_PROF_MPI,
  JZ_PROF_IO,
  JZ_PROF_COUNT
} jz_prof_kind_t;

typedef enum jz_pattern { JZ_PATTERN_RING = 0, JZ_PATTERN_ALLTOALL } jz_pattern_t;
typedef enum jz_precision { JZ_PREC_DEFAULT = 0, JZ_PREC_FP64, JZ_PREC_BF16 } jz_precision_t;

/* The profile keys, in the order native readers list them. */
typedef enum jz_prof_key {
  JZ_PK_PROFILE = 0,
  JZ_PK_FLOPS,
  JZ_PK_ITERATIONS,
  JZ_PK_FLOPS_PER_ITERATION,
  JZ_PK_GRADIENT,
  JZ_PK_CHECKPOINT,
  JZ_PK_CHECKPOINT_EVERY,
  JZ_PK_DATASET,
  JZ_PK_COMM,
  JZ_PK_PATTERN,
  JZ_PK_TIER,
  JZ_PK_READ,
  JZ_PK_WRITE,
  JZ_PK_PRECISION,
  JZ_PK_COUNT
} jz_prof_key_t;

typedef struct jz_profile {
  uint8_t kind;     /* jz_prof_kind_t */
  uint8_t pattern;  /* jz_pattern_t */
  uint8_t precision; /* jz_precision_t */
  uint16_t has;     /* bit k: key k was given */
  int32_t tier;     /* interned tier name until mapped, then the platform's storage index;
                       -1 none */
  double flops, iterations, flops_per_iteration, gradient, checkpoint, checkpoint_every,
      dataset, comm, read, write;
} jz_profile_t;

extern const char *const jz_prof_key_names[JZ_PK_COUNT];

const char *jz_prof_kind_name(jz_prof_kind_t k);

/* The precision a profile computes in: its own, else bf16 for ai_training, fp64 otherwise. */
static inline jz_precision_t jz_profile_precision(const jz_profile_t *p) {
  if (p->precision != JZ_PREC_DEFAULT) return (jz_precision_t)p->precision;
  return p->kind == JZ_PROF_AI ? JZ_PREC_BF16 : JZ_PREC_FP64;
}

/* Flop/s of one GPU of node type t in precision pr: its `fp64` or `bf16` rate, else its
 * `speed` (the model's reference rate). */
static inline double jz_gpu_rate(const jz_node_type_t *t, jz_precision_t pr) {
  double r = pr == JZ_PREC_BF16 ? t->gpu_bf16 : t->gpu_fp64;
  return r > 0 ? r : t->gpu_speed;
}

/* Parse s (NUL-terminated, length len, non-empty) as key k into p. bare: amounts may be plain
 * numbers. A tier name is returned through tier_text and tier_len (the caller interns it).
 * 0, or a negative JZ_E* with the reason (what follows "'key': ") in why. */
int jz_profile_set(jz_profile_t *p, jz_prof_key_t k, const char *s, size_t len, bool bare,
                   const char **tier_text, size_t *tier_len, char *why, size_t wl);

/* "fp64" or "bf16" into *out (a jz_precision_t); else -JZ_EINVAL with the reason in why. */
int jz_precision_parse(const char *s, uint8_t *out, char *why, size_t wl);

/* The checks that need the whole profile: the keys its kind needs are there, no key of another
 * kind is. 0, or a negative JZ_E* with the message (after "job N: ") in why. */
int jz_profile_check(const jz_profile_t *p, char *why, size_t wl);

#endif
