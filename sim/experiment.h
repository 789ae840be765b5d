/* experiment.h: what one run is made of — platform, workloads, policy, queues, dedicated
 * allocations, options — from the command line and/or an experiment YAML file, and the
 * mapping of every trace job onto the machine (partition, request, queue, reservation,
 * defaults for what the trace lacks, checkpoint/restart chains).
 *
 * The mapping rules (README "How jobs are mapped"):
 *  - a workload runs on the partition named in `--workload PART=FILE` (default: the platform's
 *    first partition without GPUs); several workloads are aligned so that each one's first job
 *    is at time 0, then shifted by its offset; scale=k multiplies its arrival rate by k
 *    (submit = first + (submit - first) / k, to the microsecond);
 *  - GPU jobs take GPUs and cores_per_gpu cores each (default: the node's cores / GPUs) on one
 *    node when they fit in one, whole nodes otherwise or when they ask to be exclusive; CPU jobs
 *    take cores (whole nodes with --procs-per-node);
 *  - a job goes to the queue it names, else to the queue of its partition with the smallest
 *    max walltime that admits it (walltime, GPUs, cores, nodes per job; ties: the default
 *    queue, then file order); a job no queue admits is REJECTED, or with --split-long-jobs
 *    replays W = min(run time, request) in the longest queue admitting its size (max walltime
 *    M): if W <= M its request is cut to M (a noted default, still one job), else it becomes
 *    a chain of ceil(W / M) segments "ID/1".."ID/k" of at most M, the trace's outcome (failed,
 *    cancelled, timed out) on the last one only;
 *  - a job whose trace has no requested time asks for its queue's max walltime (the run time
 *    where the partition has no queue, or --missing-walltime); a job with no account is
 *    charged to an account named after its workload (so a dedicated allocation can name a
 *    whole workload) but is under no per-account limit; a job with no user is under no
 *    per-user limit. Every default that fills a field is counted in summary.json;
 *  - a job the trace says its time limit killed (sacct TIMEOUT) but which ran less than its
 *    final request ends COMPLETED_FAILED at its run time (counted, field "outcome");
 *  - queue=Q must name a queue serving the workload's partition (checked when read). */
#ifndef JZ_EXPERIMENT_H
#define JZ_EXPERIMENT_H

#include <stdbool.h>

#include "error.h"
#include "exec/derive.h"
#include "job.h"
#include "platform.h"
#include "sched/sched.h"
#include "sched/slurm.h"
#include "workload/reader.h"

typedef struct jz_workload_spec {
  char *partition; /* NULL: the default partition */
  char *partition_at; /* "file:line:col" of an experiment file's partition, for messages */
  char *path;
  char *format;    /* NULL: recognised from the content */
  double scale;    /* arrival-rate factor, > 0 (default 1) */
  double offset;   /* seconds added to every submission (default 0) */
  /* Values for what the trace lacks, overriding the defaults (NULL / 0: the defaults). */
  char *account, *user, *queue;
  char *queue_at;  /* where queue= was given ("--workload '...'" or "file:line:col"), for messages */
  double walltime;
  /* resample=days,seed=N: a block bootstrap of whole days of the trace (docs/formats.md,
   * "Resampling"); seed 0 = the trace as is. */
  bool resample_days;
  bool seed_given; /* seed=N was given (it must come with resample=days) */
  unsigned long long seed;
  jz_derive_rule_t derive; /* profile=ai_training,...: work profiles for its GPU jobs */
  /* Filled when read. */
  int part;
  char name[128];  /* workload_name: file name without directories and suffixes */
  const char *format_used;
  jz_read_info_t info;
  double shift;    /* seconds added to align it (several workloads), before the offset */
  long first_job, n_jobs; /* its jobs in the table before sorting */
} jz_workload_spec_t;

typedef struct jz_experiment {
  const char *path;          /* experiment YAML, or NULL */
  char *platform_path;
  char *policy;
  char *order;               /* queue order (order.h), NULL = submit */
  char *policy_plugin;       /* "path[:key=value,...]" of a policy plugin, or NULL (sched/plugin.h) */
  jz_workload_spec_t *workloads;
  int n_workloads;
  long procs_per_node;       /* SWF: processors per node (0 = processors are cores) */
  long max_jobs;             /* per workload, 0 = all */
  double missing_walltime;   /* <= 0: rule above */
  bool lenient;
  bool split_long_jobs;
  double restart_cost;       /* s of run time added to chain segments 2..k (options.restart_cost) */
  bool baseline;             /* also run without reservations (--baseline without-reservations) */
  char *format;              /* default --format for every workload */
  char *network_model;       /* SimGrid network model for flow jobs (exec/flow.h), NULL: default */
  struct jz_yamlx_doc *doc;  /* the experiment file, kept for its queues/reservations */
  const struct jz_yamlx_node *queues, *reservations;
  jz_slurm_conf_t slurm;     /* the `slurm:` section (Slurm's defaults without one) */
} jz_experiment_t;

void jz_experiment_init(jz_experiment_t *e);
void jz_workload_spec_free(jz_workload_spec_t *w);
void jz_experiment_free(jz_experiment_t *e);

/* Parse one --workload value: "[PART=]FILE[:key=value,...]" with keys scale, offset, format,
 * and account, user, queue, walltime (what the trace lacks, instead of the defaults), and
 * profile, recorded_on, split, efficiency, tier, precision (work profiles: exec/derive.h). */
int jz_experiment_add_workload(jz_experiment_t *e, const char *spec, jz_error_t *err);

/* Read an experiment YAML file (keys: platform, policy, policy_plugin, order, workloads, queues,
 * reservations, options, slurm); queues and reservations are kept as text positions until the
 * platform is known. */
int jz_experiment_load(jz_experiment_t *e, const char *path, jz_error_t *err);

/* A workload's name: path without directories and the suffixes .gz .swf .csv .txt .yaml .yml. */
void jz_experiment_workload_name(const char *path, char *buf, size_t len);

/* Replace the platform's queues/reservations by those of the experiment file, if it has any. */
int jz_experiment_apply_sections(const jz_experiment_t *e, jz_platform_t *p, jz_error_t *err);

/* A default that filled a field, for summary.json. */
typedef struct jz_default_note {
  int workload;
  const char *field; /* "requested time", "account", "user", "queue" */
  char rule[112];
  long jobs;
} jz_default_note_t;

typedef struct jz_mapping {
  jz_plan_t *plans;        /* one per job of the (final) table */
  uint32_t n_static;       /* jobs before the chain segments */
  jz_default_note_t *notes;
  int n_notes, cap_notes;
  long chains, segments;   /* --split-long-jobs: jobs split (k >= 2 segments), all segments */
} jz_mapping_t;

/* Read every workload into t (sorted by submit time), checking GPU requests against the
 * partitions ("path:line: job ID: asks for 4 GPUs, partition cpu_p1 has none"). */
int jz_experiment_read(jz_experiment_t *e, const jz_platform_t *p, jz_job_table_t *t,
                       jz_error_t *err);

/* Route, fill defaults and split chains (appending segments to t); plans sized to the final
 * table. The sched must then be initialised on t and given the plans (jz_mapping_apply). */
int jz_experiment_map(jz_experiment_t *e, const jz_platform_t *p, jz_job_table_t *t,
                      jz_mapping_t *m, jz_error_t *err);
void jz_mapping_apply(const jz_mapping_t *m, jz_sched_t *s);
void jz_mapping_free(jz_mapping_t *m);

#endif
