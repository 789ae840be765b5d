/* slurm.h: the `slurm` policy's module: its configuration (an experiment file's `slurm:`
 * section, with slurm.conf's own names and units), Slurm's multifactor priority
 * (slurm_priority.c), its fair-share factor, classic and Fair Tree (slurm_fairshare.c), and
 * the policy itself, main pass + backfill pass (slurm.c). Parsing: slurm_conf.c.
 *
 * What each part follows is in its file's header and in docs/policies.md ("slurm"). */
#ifndef JZ_SLURM_H
#define JZ_SLURM_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "job.h"

struct jz_yamlx_node;

/* ---- configuration ---------------------------------------------------------------------- */

typedef struct jz_slurm_account {
  char *name;
  char *parent_name; /* NULL: root */
  long shares;       /* Fairshare= of the association, >= 1 */
  int parent;        /* index in accounts, -1 = root; accounts are stored parents first */
} jz_slurm_account_t;

typedef struct jz_slurm_part {
  char *name;
  long factor; /* PriorityJobFactor */
  long line, col;
} jz_slurm_part_t;

typedef struct jz_slurm_conf {
  /* Multifactor priority (weights are integers, every one 0 by default as in Slurm). */
  long w_age, w_fs, w_js, w_part, w_qos, w_tres_cpu, w_tres_node, w_tres_gpu;
  double max_age;      /* PriorityMaxAge, seconds (default 7-0) */
  bool favor_small;    /* PriorityFavorSmall */
  bool fair_tree;      /* false with PriorityFlags=NO_FAIR_TREE */
  double decay_hl;     /* PriorityDecayHalfLife, seconds (0 = no decay) */
  double calc_period;  /* PriorityCalcPeriod, seconds (default 5 min) */
  double reset_period; /* PriorityUsageResetPeriod, seconds (0 = NONE) */
  long damp;           /* FairShareDampeningFactor */
  /* SchedulerParameters. */
  double bf_interval, bf_window, bf_resolution, sched_interval; /* seconds */
  long bf_max_job_test, bf_max_job_user, default_queue_depth;
  bool bf_continue;
  /* The controller's latency (jzsim's own keys, under `controller:`; not slurm.conf): the
   * main pass that a job end triggers runs end_latency seconds after it (the node stays
   * COMPLETING until slurmd's epilog-complete message), the one a submission triggers
   * submit_latency seconds after it (the background loop's one-second tick); both 0 by
   * default: a pass at the event. */
  double end_latency, submit_latency;
  /* Accounts (the association tree under root) and partitions' PriorityJobFactor. */
  jz_slurm_account_t *accounts;
  int n_accounts;
  jz_slurm_part_t *parts;
  int n_parts;
  /* Bound before the run (run.c): the job table's strings, to find the accounts by name. */
  const jz_strtab_t *strings;
} jz_slurm_conf_t;

/* Slurm's defaults. */
void jz_slurm_conf_default(jz_slurm_conf_t *c);
/* Read a `slurm:` section (a mapping); errors are "path:line:col: message". */
int jz_slurm_conf_load(jz_slurm_conf_t *c, const char *path, const struct jz_yamlx_node *sec,
                       jz_error_t *err);
void jz_slurm_conf_free(jz_slurm_conf_t *c);
/* Every partition named in the section exists on the platform. */
struct jz_platform;
int jz_slurm_conf_check(const jz_slurm_conf_t *c, const struct jz_platform *p, const char *path,
                        jz_error_t *err);

/* ---- multifactor priority --------------------------------------------------------------- */

/* Every factor in [0, 1]. */
typedef struct jz_slurm_factors {
  double age, fairshare, jobsize, partition, qos, tres_cpu, tres_node, tres_gpu;
  long nice;
} jz_slurm_factors_t;

/* min(waited, max_age) / max_age (1 when max_age is 0). */
double jz_slurm_age_factor(const jz_slurm_conf_t *c, double waited);
/* (n/N + c/C)/2, or ((N-n)/N + (C-c)/C)/2 with PriorityFavorSmall. */
double jz_slurm_size_factor(const jz_slurm_conf_t *c, double nodes, double total_nodes,
                            double cpus, double total_cpus);
/* The weighted sum minus nice, truncated; values below 1 become 1 (0 is for held jobs). */
uint32_t jz_slurm_priority(const jz_slurm_conf_t *c, const jz_slurm_factors_t *f);

/* ---- fair-share ------------------------------------------------------------------------- */

/* The association tree: node 0 is root; every node's parent has a smaller index. Users are
 * leaves (one per account and user). Usage is raw (core-seconds), decayed. */
typedef struct jz_fs_node {
  int32_t parent;
  int32_t first_child, last_child, next_sibling; /* -1 = none; children in insertion order */
  long shares;
  bool user;
  double usage;  /* own usage for users; sum of the subtree for accounts (jz_fs_compute) */
  double factor; /* users: the fair-share factor after jz_fs_compute */
  double lf;     /* scratch: Fair Tree's level fair-share; classic: effective usage */
  double kids_shares; /* accounts: sum of the children's shares (jz_fs_compute) */
} jz_fs_node_t;

typedef struct jz_fs {
  jz_fs_node_t *n;
  int32_t len, cap;
} jz_fs_t;

int jz_fs_init(jz_fs_t *fs);     /* root only; 0 or -JZ_ENOMEM */
void jz_fs_free(jz_fs_t *fs);
/* Add an account or a user under parent; returns its index or -JZ_ENOMEM. */
int32_t jz_fs_add(jz_fs_t *fs, int32_t parent, long shares, bool user);
/* Multiply every user's usage by Slurm's decay over dt seconds: (1 - ln2/halflife)^dt. */
void jz_fs_decay(jz_fs_t *fs, double dt, double halflife);
/* Sum usage up the tree and compute every user's factor: Fair Tree, or classic
 * F = 2^(-UE/S/damp). */
int jz_fs_compute(jz_fs_t *fs, bool fair_tree, double damp);

#endif
