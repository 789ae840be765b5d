/* metric.h: a run's summary.json read with jansson, the metric names of `jzsim compare`
 * resolved to its numbers, and the check that two runs replayed the same inputs.
 *
 * A metric name is a dotted path from the top of summary.json to a number:
 * `wait.p95`, `partitions.gpu_p13.gpu_utilisation`, `inputs.workloads.0.jobs` (an array
 * element by its 0-based index). A key containing '.' or ':' is written in double quotes:
 * `queues."qos.gpu".wait.mean`; any key may be (`jobs.skipped_by_reason."runtime <= 0"`).
 * A key containing '"' cannot be named (jzsim writes none).
 *
 * Short names, tried at any level where the word is not a key of the object there:
 *     mean_wait median_wait p95_wait max_wait   -> wait.mean, wait.median, wait.p95, wait.max
 *     mean_bounded_slowdown max_bounded_slowdown -> bounded_slowdown.mean, bounded_slowdown.max
 *     makespan -> time.makespan        energy -> energy_joules
 * so `p95_wait` is `wait.p95` and `queues.qos_gpu-t3.mean_wait` is `queues.qos_gpu-t3.wait.mean`
 * (queue and allocation groups have `mean_bounded_slowdown` as a key of their own). At the top
 * only, `utilisation` and `gpu_utilisation` stand for one metric per partition where the base
 * run ran jobs (with GPUs, for gpu_utilisation): `partitions.cpu_p1.utilisation`, ... */
#ifndef JZ_METRIC_H
#define JZ_METRIC_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

typedef struct jz_sumdoc jz_sumdoc_t; /* a parsed summary.json */

/* Read and parse path. Errors: "path: cannot open: ...", jansson's "path:L:C: what" (no
 * duplicate keys), "path: not a jzsim summary.json (no 'inputs.workloads')". */
int jz_sumdoc_load(const char *path, jz_sumdoc_t **out, jz_error_t *err);
/* The same from text (tests); name stands for the file in messages. */
int jz_sumdoc_parse(const char *text, const char *name, jz_sumdoc_t **out, jz_error_t *err);
void jz_sumdoc_free(jz_sumdoc_t *d);
/* The parsed document (a jansson json_t *), for readers that walk it (jzsim sweep's columns). */
const void *jz_sumdoc_json(const jz_sumdoc_t *d);
/* inputs.workloads: how many, and the i-th one's name (NULL when absent). */
size_t jz_sumdoc_workloads(const jz_sumdoc_t *d);
const char *jz_sumdoc_workload_name(const jz_sumdoc_t *d, size_t i);

typedef struct jz_metric {
  char name[160]; /* as printed: the name typed, or one partition's expansion */
  char path[256]; /* canonical path of the number: keys only, quoted where needed */
  bool seconds;   /* the number is in seconds (waits, times): duration tolerances apply */
} jz_metric_t;

typedef struct jz_metric_list {
  jz_metric_t *v;
  int n, cap;
} jz_metric_list_t;

/* Resolve name in d and append its metric(s) to l. Errors name d's file: "unknown metric
 * 'queues.qos_gpu-t9.mean_wait' in base/summary.json: no 'qos_gpu-t9' in 'queues' (did you
 * mean 'queues.qos_gpu-t3.mean_wait'?)", "metric 'wait' is an object, not a number (its
 * numbers: wait.mean, wait.median, wait.p95, wait.max)", "... is a string, not a number". */
int jz_metric_resolve(const jz_sumdoc_t *d, const char *name, jz_metric_list_t *l,
                      jz_error_t *err);
void jz_metric_list_free(jz_metric_list_t *l);

/* The number at m->path in d (exact keys, no short names). Errors: "new/summary.json: no
 * metric 'x' (path) in this file", "... metric 'energy' (energy_joules) is null, not a number". */
int jz_metric_value(const jz_sumdoc_t *d, const jz_metric_t *m, double *v, jz_error_t *err);

/* The inputs of both runs must be the same: per workload (same count, in order) the sha256
 * of its file, scale, offset and resample_days_seed; and options max_jobs, procs_per_node, lenient (which jobs
 * the traces become). Otherwise -JZ_EINVAL naming the first difference: "runs of different
 * inputs: workload 1 (kth-sp2-1k): sha256 7c59d804c0df in base/summary.json, 0a1b2c3d4e5f in
 * new/summary.json". Allowed differences (policy, platform, experiment file, other options,
 * jzsim version) are described on f, one header line each, as are the shared inputs. */
int jz_sumdoc_check_inputs(const jz_sumdoc_t *base, const jz_sumdoc_t *nw, FILE *f,
                           jz_error_t *err);

#endif
