/* stats.h: the numbers a run reports, computed once from the final job states.
 *
 * Definitions (also in README "Output formats"):
 *   wait = start - submit; turnaround = finish - submit; execution = finish - start;
 *   bounded slowdown = max(1, turnaround / max(execution, tau)), tau = 10 s;
 *   median = mean of the two middle values for an even count; p95 = nearest rank
 *   (the ceil(0.95 n)-th smallest); statistics cover the jobs that ran (not rejected);
 *   span = last finish - first submit over all jobs read; utilisation of a partition =
 *   core-seconds (GPU-seconds) used / (its cores (GPUs) x its own span, from the first
 *   submission to the last end of the jobs it ran), so traces of different lengths combined
 *   in one run each get a meaningful figure; "other jobs" (who pays for dedication) are the
 *   jobs of no dedicated allocation on partitions that have one;
 *   energy of a partition over the run's span (first submission to last end), with each node's
 *   power linear between its idle and max power in its busy share (GPUs on GPU nodes, cores
 *   elsewhere): nodes x idle x span + (max - idle) x busy unit-seconds / units per node, exact
 *   for that model because it is linear; the machine is counted on all the time (no power-off);
 *   split into busy (the sum of the jobs' shares) and idle (unused capacity at idle power) as
 *   metrics/energy.h defines them; heat reused = the platform's heat_reuse fraction x energy;
 *   a chain (--split-long-jobs) is one job for its turnaround (first submission to last end). */
#ifndef JZ_STATS_H
#define JZ_STATS_H

#include "job.h"
#include "sched/engine.h"
#include "sched/sched.h"

#define JZ_BSLD_TAU 10.0

typedef struct jz_dist {
  long n;
  double mean, median, p95, max;
} jz_dist_t;

typedef struct jz_part_stats {
  long jobs;             /* jobs that ran there */
  long rejected;
  double core_seconds;   /* sum of cores x execution time */
  double utilisation;    /* in [0, 1] */
  double gpu_seconds;    /* sum of GPUs x execution time */
  double gpu_utilisation;
  double span;           /* its last finish - its first submission */
  double energy;         /* joules over the run's span; < 0 when its node type has no power */
  double energy_busy;    /* of it, the jobs' shares (metrics/energy.h); < 0 without power */
  double energy_idle;    /* of it, the idle power of unused capacity; < 0 without power */
} jz_part_stats_t;

/* Waits and slowdowns of a group of jobs (a queue, a reservation's accounts, the others). */
typedef struct jz_group_stats {
  long jobs, rejected;
  jz_dist_t wait;
  double mean_bsld;
} jz_group_stats_t;

typedef struct jz_summary {
  long read;        /* jobs kept by the readers (a chain counts once) */
  long ran;         /* started and finished */
  long completed, failed, walltime, rejected;
  long rejected_by[JZ_REJECT_COUNT]; /* indexed by jz_reject_t */
  double first_submit, last_finish, span;
  jz_dist_t wait;
  double mean_bsld, max_bsld;
  jz_part_stats_t *parts; /* one per platform partition */
  int n_parts;
  jz_group_stats_t *queues; /* one per queue key (jz_sched_t.keys) */
  int n_queues;
  jz_group_stats_t *members; /* one per reservation: the jobs of its accounts */
  double *resv_utilisation;  /* busy units in its zone / units over its open windows */
  int n_resv;
  jz_group_stats_t others;   /* jobs of no allocation's accounts on partitions with one */
  long held;                 /* jobs that a queue limit held at least once */
  /* Checkpoint/restart chains whose first segment ran, each counted once: its turnaround is
   * its last segment's end - its first segment's submission (the trace job's), its wait the
   * sum of its segments' waits (turnaround - that sum = the run time of its segments). */
  long chains;
  jz_dist_t chain_turnaround, chain_wait;
  double energy;             /* joules, all partitions with a power model; < 0 if none has one */
  double energy_busy, energy_idle; /* its split (metrics/energy.h); < 0 if none has a model */
  double heat_reused;        /* joules: heat_reuse fraction x energy; < 0 if either is missing */
} jz_summary_t;

int jz_summary_compute(const jz_sched_t *s, jz_summary_t *out);
void jz_summary_free(jz_summary_t *sm);

/* Distribution of values (reordered in place). */
void jz_dist_compute(double *v, long n, jz_dist_t *out);

#endif
