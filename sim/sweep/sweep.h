/* sweep.h: `jzsim sweep`, a family of runs over a few parameters of one experiment.
 *
 * A sweep file (docs/formats.md, "Sweep files") names a base experiment and axes: dotted
 * paths into the experiment (or, under `platform.`, into the platform file it names), each
 * with a list of values. The variants are the Cartesian product of the axes, except that the
 * axes of one `zip:` group move together; with `replicas: K` every variant runs K times, replica
 * r > 0 on a day block bootstrap of each trace with seed r (replica 0 is the trace as is).
 *
 * The stages, one file each, coupled only through the output directory DIR:
 *   spec.c     read the sweep file, resolve every axis path in the base trees, check every value
 *              (kind, then the real experiment and platform loaders on the base with that value)
 *   variant.c  write DIR/runs/NAME/{experiment,platform}.yaml for every run, each loaded again
 *              by the real loaders, their input hash (files + traces' sha256) in
 *              NAME/inputs.sha256, and the manifest DIR/sweep.tsv
 *   runner.c   run the runs whose NAME/done does not hold their input hash: `jzsim run` in
 *              child processes (at most N at once; forked without exec, each distinct trace
 *              read once for all), NAME/done written after a run succeeds
 *   results.c  DIR/results.csv, DIR/results.md and the --target table, from the manifest and
 *              each run's summary.json
 *   plot.c     DIR/<metric>.png/.svg with gnuplot
 * so an external launcher (a Slurm array task) runs `jzsim sweep run-variant DIR I` and
 * `jzsim sweep collect DIR` builds the results. */
#ifndef JZ_SWEEP_H
#define JZ_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* ---- spec.c ------------------------------------------------------------------------- */

typedef struct jz_sweep jz_sweep_t;

/* Read and check path. Every error is "path:line:col: ..." in the sweep file. */
int jz_sweep_load(const char *path, jz_sweep_t **out, jz_error_t *err);
void jz_sweep_free(jz_sweep_t *s);

size_t jz_sweep_n_axes(const jz_sweep_t *s);
const char *jz_sweep_axis_name(const jz_sweep_t *s, size_t a);
/* The axis's group: axes of one zip group share it (groups numbered from 0 in file order). */
int jz_sweep_axis_group(const jz_sweep_t *s, size_t a);
/* Variants (combinations of axis values) and replicas; runs = variants * replicas. */
size_t jz_sweep_n_variants(const jz_sweep_t *s);
int jz_sweep_replicas(const jz_sweep_t *s);
/* The value index of axis a in variant v (the last group moves fastest). */
size_t jz_sweep_value_index(const jz_sweep_t *s, size_t v, size_t a);
const char *jz_sweep_value_text(const jz_sweep_t *s, size_t a, size_t i);
/* The sweep file's metrics (NULL-terminated, may be empty) and target (NULL if none). */
const char *const *jz_sweep_metrics(const jz_sweep_t *s);
const char *jz_sweep_target(const jz_sweep_t *s);

/* The experiment and platform trees of variant v, replica r (caller frees both with
 * jz_yamlx_node_free): every path in them absolute except `platform: platform.yaml`. */
struct jz_yamlx_node;
int jz_sweep_variant_trees(const jz_sweep_t *s, size_t v, int r, struct jz_yamlx_node **exp,
                           struct jz_yamlx_node **plat, jz_error_t *err);

/* Load dir/experiment.yaml with its platform.yaml through the real loaders (as `jzsim run`
 * does before it simulates). On error err holds the loader's message. */
int jz_sweep_check_files(const char *dir, jz_error_t *err);

/* ---- variant.c ---------------------------------------------------------------------- */

/* Write every run of s under dir (DIR/runs/NAME/...) and DIR/sweep.tsv; metrics and target
 * override the sweep file's when not NULL. A run's files are rewritten only when their bytes
 * change. */
int jz_sweep_write(const jz_sweep_t *s, const char *dir, const char *const *metrics,
                   const char *target, jz_error_t *err);

/* The manifest DIR/sweep.tsv, read back by the runner and the collector. */
typedef struct jz_manifest {
  char *dir;
  char **axes;
  int *group;     /* per axis: axes of one zip group share it */
  size_t n_axes;
  char **metrics;
  size_t n_metrics;
  char *target; /* NULL if none */
  int replicas;
  size_t n_runs;
  char **names;   /* per run: "0007" or "0007-r2" */
  int *replica;   /* per run */
  char **values;  /* per run, n_axes value texts: values[run * n_axes + a] */
} jz_manifest_t;

int jz_manifest_load(const char *dir, jz_manifest_t *m, jz_error_t *err);
void jz_manifest_free(jz_manifest_t *m);

/* ---- runner.c ----------------------------------------------------------------------- */

typedef struct jz_sweep_run_opts {
  /* `jzsim run`'s main (cli/run.c): each run is a child forked without exec that calls it,
   * the run's traces read once in this process beforehand (runner.c). */
  int (*run_main)(int argc, char **argv);
  int jobs;         /* children at once, >= 1 */
  bool progress;    /* live line on stderr */
  bool force;       /* rerun even what is done */
  /* Called once with the summary.json of the first run found done or completed (NULL: none),
   * so that a misspelt metric stops the sweep early; an error stops it. */
  int (*check)(const char *summary, void *ctx, jz_error_t *err);
  void *ctx;
  /* Timings (NULL: none): called in each child before run_main with where run_main is to
   * store its event loops' CPU seconds (jz_cli_report_loop_cpu); the runner adds them up with
   * the children's CPU time (wait4) in the stats. */
  void (*child_report)(double *loop_cpu);
} jz_sweep_run_opts_t;

typedef struct jz_sweep_run_stats {
  size_t total, skipped, ran, failed;
  double seconds;
  /* With child_report, over the runs that succeeded: their processes' CPU seconds (user and
   * system, every thread) and their event loops' (the loop thread's CPU time); and this
   * process's own CPU seconds until the runs ended. */
  double run_cpu, loop_cpu, self_cpu;
} jz_sweep_run_stats_t;

/* Run every run first..last-1 of m whose NAME/done differs from NAME/inputs.sha256. A failed run is named in err (its stderr kept in NAME/run.log); a signal
 * (SIGINT, SIGTERM, SIGHUP) stops the children and returns -JZ_EINTR-like -JZ_EIO with
 * "interrupted". */
int jz_sweep_run(const jz_manifest_t *m, size_t first, size_t last, const jz_sweep_run_opts_t *o,
                 jz_sweep_run_stats_t *st, jz_error_t *err);

/* The signal that stopped the last jz_sweep_run, or 0. */
int jz_sweep_interrupted(void);

/* ---- results.c, plot.c ------------------------------------------------------------- */

/* Write DIR/results.csv and DIR/results.md (and DIR/target.csv when m has a target); print the
 * target's answers on out (if not NULL); with plot, DIR/<metric>.png/.svg for each of m's
 * metrics and the target's, drawn by gnuplot (NULL: "gnuplot" from PATH). Every run must be
 * done. */
int jz_sweep_collect(const jz_manifest_t *m, FILE *out, bool plot, const char *gnuplot, jz_error_t *err);
/* Resolve m's metrics and its target's metric on one run's summary.json (a jz_sweep_run_opts_t
 * check, ctx = m): the errors of `jzsim compare` ("unknown metric ..."), before the sweep ends. */
int jz_sweep_check_metrics(const char *summary, void *m, jz_error_t *err);

/* ---- state.c, slurm.c: where each run stands; a Slurm job array ---------------------- */

typedef enum { JZ_RUN_DONE, JZ_RUN_RUNNING, JZ_RUN_FAILED, JZ_RUN_PENDING } jz_run_state_t;

/* A sweep submitted with --slurm: DIR/slurm.json (docs/formats.md). */
typedef struct jz_sweep_slurm {
  char job_id[32];  /* the array's job id, as sbatch printed it */
  size_t per_task;  /* runs per array task: task t runs t*per_task .. t*per_task+per_task-1 */
  size_t tasks;
  size_t array_limit; /* tasks at once, 0 for no limit */
} jz_sweep_slurm_t;

typedef struct jz_sweep_status {
  size_t n[4];            /* runs per jz_run_state_t */
  jz_run_state_t *state;  /* per run */
  char **why;             /* per run: for a failed run what is known (malloc'd), else NULL */
  bool slurm;             /* DIR/slurm.json read into job */
  jz_sweep_slurm_t job;
  bool squeue;            /* squeue answered: task states come from it */
  size_t tasks_running, tasks_pending; /* of job, from squeue */
} jz_sweep_status_t;

/* Where every run of m stands, from the runs' files (NAME/done, NAME/running, NAME/failed:
 * state.c) and, for a Slurm sweep, the array's tasks in `squeue` when it answers: a run not
 * done whose task has left the queue failed. Never runs anything. */
int jz_sweep_status(const jz_manifest_t *m, jz_sweep_status_t *st, jz_error_t *err);
void jz_sweep_status_free(jz_sweep_status_t *st);
/* The Slurm log of run i's task (DIR/slurm/JOB_TASK.out) into buf; false when st is not a
 * Slurm sweep's. */
bool jz_sweep_slurm_log(const jz_manifest_t *m, const jz_sweep_status_t *st, size_t i, char *buf, size_t len);

typedef struct jz_sweep_slurm_opts {
  const char *exe;          /* absolute path of the jzsim the tasks run */
  size_t per_task;          /* >= 1 */
  size_t array_limit;       /* 0: no limit */
  const char *sbatch_args;  /* NULL or sbatch options, split as a shell would ('-p gpu --qos=x') */
  bool dry_run;             /* write and print the script, submit nothing */
} jz_sweep_slurm_opts_t;

/* Before anything is written: o's sbatch options and the paths the script will hold (dir as
 * given, relative to the working directory or absolute; o->exe) are usable. */
int jz_sweep_slurm_check(const char *dir, const jz_sweep_slurm_opts_t *o, jz_error_t *err);
/* Write DIR/sweep.sbatch (a job array over m's runs), then submit it with `sbatch --parsable`
 * and record the array in DIR/slurm.json (job filled); with dry_run print the script on out
 * instead. Refuses while the array recorded before still has tasks in the queue. */
int jz_sweep_slurm_submit(const jz_manifest_t *m, const jz_sweep_slurm_opts_t *o, FILE *out,
                          jz_sweep_slurm_t *job, jz_error_t *err);

#endif
