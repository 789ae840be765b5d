/* openb.c: Alibaba "OpenB" GPU pod lists (alibaba/clusterdata cluster-trace-gpu-v2023,
 * openb_pod_list_*.csv), one Kubernetes pod per row.
 *
 *     name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,
 *       deletion_time,scheduled_time               (one line in the file)
 *     openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
 *
 * Mapping (columns in any order; qos and pod_phase optional, others ignored):
 *   name           -> label; trace_id = the 1-based record number
 *   creation_time  -> submit (s)
 *   deletion_time - scheduled_time -> runtime (<= 0 skipped as "runtime <= 0")
 *   num_gpu        -> gpus and procs. gpu_milli is the share of one GPU a pod asks for, and
 *                     only means something when num_gpu is 1: a pod with gpu_milli < 1000 is
 *                     given one whole GPU (jzsim does not share GPUs); the count of such pods
 *                     is recorded in info->notes.
 *                     num_gpu 0 (CPU-only pods): gpus 0 and procs = cores = ceil(cpu_milli /
 *                     1000), also counted in info->notes. For GPU pods cpu_milli is ignored:
 *                     it is sized for Alibaba's 96-core nodes, and the platform's node type
 *                     gives the cores that go with a GPU (cores_per_gpu 0).
 *   qos            -> queue (LS, BE, Burstable, Guaranteed: the Kubernetes QoS class)
 *   pod_phase      -> status: Succeeded 1, Failed 0, anything else -1 (Running means the pod
 *                     was running when it was deleted, which says nothing of its outcome)
 * No requested time, user or account: walltime 0, user/account -1, listed in info->missing.
 *
 * Which pods are not jobs, decided from the data (8,152 pods of the default list):
 *   - pending pods: scheduled_time empty (897) -> skipped, "pending pod (never scheduled)".
 *   - long-running service pods. Every pod has a deletion_time, and deletion times all lie in
 *     the last 34 days (9,964,972 .. 12,902,960 s) while creation times go back 149 days: the
 *     list holds the pods alive during an observation window [first deletion, last deletion].
 *     A pod still alive at the window's end carries the last deletion time, a cut, not its end
 *     (34 pods, all Running, LS for 28 of them); a pod created before the window opened is a
 *     survivor from before it (16 more, e.g. openb-pod-0000, created at 0 and deleted after
 *     145 days). Their "runtimes" are artefacts of the window, and keeping them would add
 *     a 115-day prelude with a few dozen month-long services to the replay. Both are skipped,
 *     counted as "alive at trace end (long-running service)" and "alive at trace start
 *     (long-running service)" (a pod with no deletion_time counts as alive at the end).
 *     Neither qos LS nor pod_phase Running marks a service: LS pods and Running pods are most
 *     of the trace (4,647 and 5,193 pods) and those scheduled ran a median 15 and 14 minutes.
 * The window is computed from the records read (with max_jobs, from the first N). On the
 * default list this keeps 7,205 jobs. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

enum {
  C_NAME,
  C_CPU,
  C_GPUS,
  C_MILLI,
  C_CREATED,
  C_DELETED,
  C_SCHEDULED,
  C_QOS,
  C_PHASE,
  N_COLS
};

static const jz__colspec_t cols[N_COLS] = {
    {"name", true},          {"cpu_milli", true},     {"num_gpu", true},
    {"gpu_milli", true},     {"creation_time", true}, {"deletion_time", true},
    {"scheduled_time", true}, {"qos", false},         {"pod_phase", false},
};
static const char *const col_names[] = {
    "name",      "cpu_milli", "memory_mib",    "num_gpu",       "gpu_milli",      "gpu_spec",
    "qos",       "pod_phase", "creation_time", "deletion_time", "scheduled_time",
};
#define N_NAMES ((int)(sizeof col_names / sizeof col_names[0]))

static const char SKIP_PENDING[] = "pending pod (never scheduled)";
static const char SKIP_END[] = "alive at trace end (long-running service)";
static const char SKIP_START[] = "alive at trace start (long-running service)";

/* What the post-pass needs of each job appended. */
typedef struct pod {
  double deleted; /* NAN when the pod has no deletion time */
  bool rounded;   /* gpu_milli < 1000 rounded up to one GPU */
  bool cpu_only;
} pod_t;

_Static_assert(N_COLS <= JZ__MAX_COLS, "openb: too many columns");

typedef struct openb {
  double first_del, last_del; /* the observation window */
  pod_t *pods;                /* one per job appended */
  size_t npods, cap;
} openb_t;

/* A time column: empty -> NAN, else a number. */
static int time_col(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, int k, double *out,
                    jz_error_t *err) {
  const jz__field_t *x = &f[c->idx[k]];
  if (x->len == 0) {
    *out = NAN;
    return 0;
  }
  return jz__field_num(c->path, ln->no, x, "column", cols[k].name, out, err);
}

static int openb_record(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, jz_error_t *err) {
  openb_t *r = c->ctx;
  long rec = c->info->job_lines;
  int64_t cpu, gpus, milli;
  double created, deleted, scheduled;
  int rc;
  if ((rc = jz__field_int(c->path, ln->no, &f[c->idx[C_CPU]], "column", "cpu_milli", 0,
                          INT64_MAX, &cpu, err)) < 0 ||
      (rc = jz__field_int(c->path, ln->no, &f[c->idx[C_GPUS]], "column", "num_gpu", 0,
                          INT32_MAX, &gpus, err)) < 0 ||
      (rc = jz__field_int(c->path, ln->no, &f[c->idx[C_MILLI]], "column", "gpu_milli", 0,
                          INT64_MAX, &milli, err)) < 0 ||
      (rc = jz__field_num(c->path, ln->no, &f[c->idx[C_CREATED]], "column", "creation_time",
                          &created, err)) < 0 ||
      (rc = time_col(c, ln, f, C_DELETED, &deleted, err)) < 0 ||
      (rc = time_col(c, ln, f, C_SCHEDULED, &scheduled, err)) < 0)
    return rc;
  if (!isnan(deleted)) {
    if (deleted < r->first_del) r->first_del = deleted;
    if (deleted > r->last_del) r->last_del = deleted;
  }
  if (isnan(scheduled)) {
    jz_job_table_skip(c->t, SKIP_PENDING);
    return 0;
  }
  if (created < 0) {
    jz_job_table_skip(c->t, "negative submit time");
    return 0;
  }
  int64_t procs = gpus > 0 ? gpus : (cpu + 999) / 1000;
  if (procs <= 0 || procs > INT32_MAX) {
    jz_job_table_skip(c->t, "no processors");
    return 0;
  }
  int32_t queue = -1, status = -1;
  if (c->idx[C_QOS] >= 0) {
    const jz__field_t *q = &f[c->idx[C_QOS]];
    if ((rc = jz__intern(c->t, q->s, q->len, &queue, err)) < 0) return rc;
  }
  if (c->idx[C_PHASE] >= 0) {
    const char *ph = f[c->idx[C_PHASE]].s;
    if (strcmp(ph, "Succeeded") == 0) status = 1;
    else if (strcmp(ph, "Failed") == 0) status = 0;
  }
  if (r->npods == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 1024;
    pod_t *p = realloc(r->pods, cap * sizeof *p);
    if (!p) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    r->pods = p;
    r->cap = cap;
  }
  jz_job_t *j = jz_job_table_push(c->t);
  if (!j) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  r->pods[r->npods++] = (pod_t){.deleted = deleted,
                                .rounded = gpus == 1 && milli < 1000,
                                .cpu_only = gpus == 0};
  if ((rc = jz__job_id(c->t, j, &f[c->idx[C_NAME]], rec, err)) < 0) return rc;
  j->submit = created;
  j->runtime = isnan(deleted) ? 0 : deleted - scheduled;
  j->procs = (int32_t)procs;
  j->gpus = (int32_t)gpus;
  j->queue = queue;
  j->status = status;
  j->line = (uint32_t)ln->no;
  j->workload = c->o->workload;
  return 0;
}

/* Drop the pods outside the observation window (see the file header), compacting the table. */
static void openb_window(jz__csv_t *c, size_t n0) {
  const openb_t *r = c->ctx;
  jz_job_table_t *t = c->t;
  size_t w = n0;
  long rounded = 0, cpu_only = 0;
  for (size_t k = n0; k < t->n; k++) {
    const pod_t *p = &r->pods[k - n0];
    const jz_job_t *j = &t->jobs[k];
    const char *skip = NULL;
    if (isnan(p->deleted) || p->deleted >= r->last_del) skip = SKIP_END;
    else if (j->submit < r->first_del) skip = SKIP_START;
    else if (j->runtime <= 0) skip = "runtime <= 0";
    if (skip) {
      jz_job_table_skip(t, skip);
      continue;
    }
    rounded += p->rounded;
    cpu_only += p->cpu_only;
    t->jobs[w++] = *j;
  }
  t->n = w;
  if (rounded)
    jz__info_note(c->info, "gpu_milli < 1000 rounded up to 1 whole GPU: %ld pods", rounded);
  if (cpu_only)
    jz__info_note(c->info, "CPU-only pods (num_gpu 0) kept as core jobs: %ld pods", cpu_only);
}

static const jz__csv_format_t openb_format = {
    .delim = ',', .quotes = true, .cols = cols, .ncols = N_COLS, .what = "column",
    .record = openb_record, .finish = openb_window,
};

static int openb_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                      jz_read_info_t *info, jz_error_t *err) {
  openb_t r = {.first_del = INFINITY, .last_del = -INFINITY};
  int rc = jz__read_csv(in, o, t, info, &openb_format, &r, err);
  free(r.pods);
  return rc;
}

static int openb_detect(const char *head, size_t n) {
  size_t pos = 0, len;
  const char *l = jz__head_line(head, n, &pos, 0, &len);
  if (!l) return 0;
  int m = jz__head_matches(l, len, ',', col_names, N_NAMES, false);
  return m >= N_NAMES - 2 ? 95 : m >= 6 ? 60 : 0;
}

const jz_reader_t jz__reader_openb = {
    .name = "openb",
    .summary = "Alibaba OpenB GPU pod list CSV (cluster-trace-gpu-v2023)",
    .detect = openb_detect,
    .read = openb_read,
};
