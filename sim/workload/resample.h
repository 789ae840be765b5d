/* resample.h: a block bootstrap of whole days of one workload's jobs (`resample=days,seed=N`),
 * so the replicas of a sweep see different but equally plausible demand.
 *
 * The workload's jobs (t->jobs[first..t->n)) span D days counted from its first submission
 * (day d holds the jobs submitted in [first + d*86400, first + (d+1)*86400)). Output day
 * k = 0..D-1 is a copy of a source day s_k drawn uniformly with replacement, its jobs shifted
 * by (k - s_k) days, in file order; so the span and the mean daily load are those of the trace,
 * while busy and quiet days come in another order and mix. Every copy is labelled
 * "ID@k" (its trace id and output day), so ids stay unique when a day is drawn twice.
 *
 * The draws come from splitmix64 (Steele, Lea & Flood 2014) seeded with seed and the
 * workload's index, and an unbiased bounded draw (rejection), so they are the same on every
 * machine and differ across workloads of one experiment. seed 0 is not resampling: the caller
 * keeps the trace as is. */
#ifndef JZ_RESAMPLE_H
#define JZ_RESAMPLE_H

#include <stdint.h>

#include "error.h"
#include "job.h"

int jz_resample_days(jz_job_table_t *t, long first, unsigned long long seed, int workload,
                     jz_error_t *err);

/* The PRNG, for tests: the next 64-bit value of state. */
uint64_t jz_splitmix64(uint64_t *state);

#endif
