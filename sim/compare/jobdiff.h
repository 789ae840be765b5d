/* jobdiff.h: per-job comparison of two runs' jobs.csv for `jzsim compare --jobs`.
 *
 * Jobs are matched by (workload_name, job_id); both files must hold the same jobs (the k-th
 * row of a key in one file pairs with the k-th row of that key in the other, so duplicate ids
 * within a workload pair in file order). The delay of a job is new starting_time - base
 * starting_time, over the jobs that started in both runs (a REJECTED job has no start).
 *
 * Worked example: base starts {a: 0, b: 10, c: 20}, new {a: 0, b: 40, c: 15}: 1 later (b,
 * +30), 1 earlier (c, -5), 1 unchanged; delays {0, 30, -5}: mean 25/3, p95 (nearest rank,
 * the 3rd smallest) 30, max 30; worst: b. */
#ifndef JZ_JOBDIFF_H
#define JZ_JOBDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "metrics/stats.h"

typedef struct jz_jobs_csv jz_jobs_csv_t; /* the rows of one jobs.csv, parsed in place */

/* Read path whole and parse it. Errors: "path: cannot open: ...", "path:L: missing column
 * 'starting_time'", "path:L:C: unterminated quoted field", "path:L:C: text after a closing
 * quote", "path:L: 12 fields, the header has 25", "path:L:C: column 'starting_time': 'x' is
 * not a number". L and C 1-based (C a byte column). */
int jz_jobs_csv_load(const char *path, jz_jobs_csv_t **out, jz_error_t *err);
/* The same on text[0..len) (tests); the table takes a copy. */
int jz_jobs_csv_parse(const char *text, size_t len, const char *name, jz_jobs_csv_t **out,
                      jz_error_t *err);
void jz_jobs_csv_free(jz_jobs_csv_t *t);
/* Data rows. */
long jz_jobs_csv_rows(const jz_jobs_csv_t *t);
/* Rows whose workload_name is from[i] take the name to[i] (the first i that matches; the names
 * are kept by the caller while t lives), all in one pass so that renames do not chain (a swap
 * of two names works): the same trace file under another name in the other run pairs with its
 * rows. O(rows x k). */
void jz_jobs_csv_rename_workloads(jz_jobs_csv_t *t, const char *const *from, const char *const *to,
                                  size_t k);

#define JZ_JOBDIFF_WORST 10

typedef struct jz_jobdiff_worst {
  const char *job_id, *workload; /* point into the base table */
  double base_start, new_start, delay;
} jz_jobdiff_worst_t;

typedef struct jz_jobdiff {
  long jobs;                         /* rows paired (every row of each file) */
  long started;                      /* started in both runs */
  long later, earlier, unchanged;    /* of those */
  long rejected_both, rejected_base_only, rejected_new_only;
  jz_dist_t delay;                   /* of new - base start, jobs started in both (n = started) */
  double later_mean;                 /* mean delay of the later jobs (0 if none) */
  double earlier_mean;               /* mean advance (> 0) of the earlier jobs (0 if none) */
  jz_jobdiff_worst_t worst[JZ_JOBDIFF_WORST]; /* largest delays > 0, ties in base row order */
  int n_worst;
} jz_jobdiff_t;

/* Pair the rows of b and n and compare their starts. Errors (-JZ_EINVAL): "job sets differ:
 * job 7 of workload 'kth' (base/jobs.csv:9) is not in new/jobs.csv", naming the first such
 * row of the base file, else of the new one. */
int jz_jobdiff_compute(const jz_jobs_csv_t *b, const jz_jobs_csv_t *n, jz_jobdiff_t *out,
                       jz_error_t *err);

#endif
