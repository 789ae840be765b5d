/* sweep_internal.h: what the files of sim/sweep/ share and nothing else uses. */
#ifndef JZ_SWEEP_INTERNAL_H
#define JZ_SWEEP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "yamlx.h"

/* dir/rel (rel when absolute); malloc'd, NULL on ENOMEM. */
char *jz__sweep_join(const char *dir, const char *rel);
/* Emit tree into path unless path already holds exactly those bytes (tmp + rename). */
int jz__sweep_write_if_changed(const char *path, const jz_yamlx_node_t *tree, jz_error_t *err);
/* Write bytes into path unless it already holds exactly them (tmp + rename). */
int jz__sweep_put_file(const char *path, const char *bytes, size_t len, jz_error_t *err);
/* Read a whole small file (NUL-terminated); NULL if it cannot be read. */
char *jz__sweep_slurp(const char *path, size_t *len);
int jz__sweep_write_trees(const char *dir, const jz_yamlx_node_t *exp, const jz_yamlx_node_t *plat,
                          jz_error_t *err);

/* A target "METRIC OP VALUE": OP one of <= < >= > ==, VALUE a number or a duration (20h). */
typedef enum { JZ_TGT_LE, JZ_TGT_LT, JZ_TGT_GE, JZ_TGT_GT, JZ_TGT_EQ } jz_target_op_t;
typedef struct jz_target {
  char metric[160];
  jz_target_op_t op;
  double value;
  char op_text[3], value_text[64];
} jz_target_t;

int jz__sweep_parse_target(const char *text, jz_target_t *t, jz_error_t *err);
bool jz__sweep_target_met(const jz_target_t *t, double v);

struct jz_manifest;
/* Runs a and b agree on every axis that does not move with the first (its zip group). */
bool jz__sweep_same_others(const struct jz_manifest *m, size_t a, size_t b);
/* A first-axis value as a number: a plain number, or a duration in seconds. */
bool jz__sweep_axis_number(const char *s, double *v);
/* One chart (plot.c): vals[r * stride] is run r's value of metric, NAN when absent. */
int jz__sweep_plot_metric(const struct jz_manifest *m, const char *metric, bool seconds,
                          const double *vals, size_t stride, const char *gnuplot, jz_error_t *err);

/* The runner's markers (state.c): NAME/running holds "HOST PID" while a run's child lives;
 * NAME/failed says how the last attempt failed. mark_end after a child exits (status from
 * waitpid; interrupted: stopped by the sweep's own signal, so neither done nor failed). */
void jz__sweep_mark_start(const struct jz_manifest *m, size_t i, pid_t pid);
void jz__sweep_mark_end(const struct jz_manifest *m, size_t i, int status, bool interrupted);
/* runner.c: run i's input hash (caller frees) and whether it is done; the last line of its
 * run.log (without our "jzsim: error: " prefix). */
int jz__sweep_run_state(const struct jz_manifest *m, size_t i, char **hash, bool *done, jz_error_t *err);
void jz__sweep_log_line(const struct jz_manifest *m, size_t i, char *buf, size_t len);
/* state.c: DIR/runs/NAME/name of run i in buf ("out/summary.json", "done", ...). */
void jz__sweep_run_path(const struct jz_manifest *m, size_t i, const char *name, char *buf, size_t len);
/* runner.c: set up the heap of a run's forked child (one arena, no trimming, 64 MiB of room
 * advised for transparent huge pages, the free chunks below it set aside); returns the size of that room, at *room, or 0 where
 * there is none (not glibc, a sanitizer's allocator, no THP). Process-wide: children only. */
size_t jz__sweep_child_heap(void **room);
/* pagecache.c: finished runs' outputs (all but summary.json) leave the page cache, as each
 * run ends and again JZ_SWEEP_PAGES_LAG runs later, once written back. Advice only. */
#define JZ_SWEEP_PAGES_LAG 16
typedef struct jz_sweep_pages {
  const struct jz_manifest *m;
  size_t ring[JZ_SWEEP_PAGES_LAG];
  size_t n; /* runs done so far */
} jz_sweep_pages_t;
void jz__sweep_pages_init(jz_sweep_pages_t *p, const struct jz_manifest *m);
void jz__sweep_pages_done(jz_sweep_pages_t *p, size_t i);
void jz__sweep_pages_flush(jz_sweep_pages_t *p);
/* Slurm (slurm.c): read DIR/slurm.json; 1 if there is none. */
struct jz_sweep_slurm;
int jz__sweep_slurm_load(const char *dir, struct jz_sweep_slurm *job, jz_error_t *err);
/* The states of job's tasks in squeue (one char per task: 'R' running or completing, 'P'
 * pending or otherwise queued, 0 not in the queue); false if squeue did not answer. */
bool jz__sweep_squeue(const struct jz_sweep_slurm *job, char *task_state);

#endif
