/* report.h: writers of jobs.csv and summary.json (DESIGN §4) and the printed summary.
 *
 * jobs.csv: one row per job read, in submission order, Batsim's column names first so that
 * existing tools (evalys) read it, then jzsim's own columns. summary.json: the identity of the
 * inputs, counts, waits, slowdown and utilisation, per partition, queue and dedicated
 * allocation, the defaults that filled missing trace fields, and the price of dedication. Both are pure functions of the inputs:
 * no wall-clock time, no absolute paths beyond what the user typed. */
#ifndef JZ_REPORT_H
#define JZ_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "experiment.h"
#include "job.h"
#include "sha256.h"
#include "metrics/stats.h"
#include "sched/engine.h"
#include "sched/sched.h"

typedef struct jz_run_desc {
  const jz_experiment_t *e;          /* platform path, workloads (with what their readers saw) */
  const jz_mapping_t *m;             /* defaults that filled fields, chains */
  const char *platform_name;
  const jz_file_id_t *platform_id;   /* size and hash */
  const jz_file_id_t *workload_ids;  /* one per workload */
  const jz_file_id_t *experiment_id; /* NULL without an experiment file */
  const char *policy;
  const jz_file_id_t *plugin_id;     /* the policy plugin's file, or NULL */
  const char *plugin_params;         /* its "key=value,..." as given */
  /* With --baseline: the same run without dedicated allocations, for the price of dedication. */
  const jz_summary_t *baseline;
  /* With flow jobs (work profiles): the SimGrid network model that priced them, and how many
   * jobs had one; NULL and 0 otherwise (and summary.json says nothing about it). */
  const char *network_model;
  long flow_jobs;
} jz_run_desc_t;

int jz_report_jobs_csv(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                       const jz_run_desc_t *d);
int jz_report_summary_json(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                           const jz_run_desc_t *d, const jz_summary_t *sm,
                           const jz_engine_stats_t *es);
void jz_report_print(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                     const jz_run_desc_t *d, const jz_summary_t *sm);


#endif
