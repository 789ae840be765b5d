/* report.h: writers of jobs.csv and summary.json (DESIGN §4) and the printed summary.
 *
 * jobs.csv: one row per job read, in submission order, Batsim's column names first so that
 * existing tools (evalys) read it, then jzsim's own columns. summary.json: the identity of the
 * inputs, counts, waits, slowdown and utilisation. Both are pure functions of the inputs:
 * no wall-clock time, no absolute paths beyond what the user typed. */
#ifndef JZ_REPORT_H
#define JZ_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "job.h"
#include "sha256.h"
#include "metrics/stats.h"
#include "sched/engine.h"
#include "sched/sched.h"

typedef struct jz_workload_desc {
  const char *path;      /* as given on the command line */
  const jz_file_id_t *id; /* size and hash */
  const char *name;      /* workload_name column: file name without directories and suffixes */
  const char *format;    /* "swf" */
  const char *partition; /* partition its jobs run on */
  long lines, job_lines; /* what the reader saw */
} jz_workload_desc_t;

typedef struct jz_run_desc {
  const char *platform_path;
  const jz_file_id_t *platform_id;
  const char *platform_name;
  const jz_workload_desc_t *workloads;
  int n_workloads;
  const char *policy;
  long procs_per_node;    /* 0 = processors are cores */
  long max_jobs;          /* 0 = all */
  bool lenient;
  double missing_walltime; /* <= 0: runtime */
} jz_run_desc_t;

int jz_report_jobs_csv(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                       const jz_run_desc_t *d);
int jz_report_summary_json(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                           const jz_run_desc_t *d, const jz_summary_t *sm,
                           const jz_engine_stats_t *es);
void jz_report_print(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                     const jz_run_desc_t *d, const jz_summary_t *sm);

#endif
