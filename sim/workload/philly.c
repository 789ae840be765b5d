/* philly.c: the Microsoft Philly per-job table of the Pollux/ElasticFlow artifacts
 * (philly.csv, one row per job, usually gzipped).
 *
 *     timestamp,duration,num_gpus,gpu_time,cluster
 *     2017-10-09 07:01:55,66.0,1,66.0,11cb48
 *
 * Mapping (columns in any order; timestamp, duration and num_gpus required):
 *   timestamp -> submit: the wall-clock "YYYY-MM-DD HH:MM:SS" (time zone not stated) counted
 *                in seconds from the earliest timestamp of the jobs read, with a calendar
 *                computed here (days from civil date), never mktime/TZ: the same file gives
 *                the same times on every machine. The origin is recorded in info->notes.
 *   duration  -> runtime (s, decimals allowed; <= 0 skipped as "runtime <= 0")
 *   num_gpus  -> procs and gpus (<= 0 skipped as "no processors")
 *   cluster   -> account: Philly's hashed virtual cluster, the tenant (team) whose GPU quota
 *                the job ran under, which is what a Slurm account is (optional column)
 *   gpu_time  is duration x num_gpus: ignored, like any other extra column.
 *   trace_id = the 1-based record number, status -1, nodes 0.
 * No requested time, user or queue: walltime 0, user/queue -1, listed in info->missing.
 * Rows are not in time order; the caller sorts the table. */
#include <stdint.h>
#include <string.h>

#include "reader_internal.h"

enum { C_TIME, C_DURATION, C_GPUS, C_CLUSTER, N_COLS };

static const jz__colspec_t cols[N_COLS] = {
    {"timestamp", true}, {"duration", true}, {"num_gpus", true}, {"cluster", false}};
static const char *const col_names[] = {"timestamp", "duration", "num_gpus", "gpu_time",
                                        "cluster"};

typedef struct philly {
  const char *path;
  const jz_read_opts_t *o;
  jz_job_table_t *t;
  jz_read_info_t *info;
  int idx[N_COLS];
  int ncols;
  bool have_header;
  int64_t origin; /* earliest timestamp of the jobs kept */
} philly_t;

static int philly_record(philly_t *r, jz__line_t *ln, const jz__field_t *f, int nf,
                         jz_error_t *err) {
  long rec = ++r->info->job_lines;
  if (nf != r->ncols)
    return jz_error_at(err, -JZ_ESYNTAX, r->path, ln->no, 0, "expected %d columns, found %d",
                       r->ncols, nf);
  const jz__field_t *ft = &f[r->idx[C_TIME]];
  int64_t when, gpus;
  double runtime;
  if (!jz__parse_datetime(ft->s, ft->len, ' ', &when))
    return jz__bad_field(err, -JZ_ESYNTAX, r->path, ln->no, ft, "column", "timestamp",
                         "is not a date and time (YYYY-MM-DD HH:MM:SS)");
  int rc;
  if ((rc = jz__field_num(r->path, ln->no, &f[r->idx[C_DURATION]], "column", "duration",
                          &runtime, err)) < 0 ||
      (rc = jz__field_int(r->path, ln->no, &f[r->idx[C_GPUS]], "column", "num_gpus", INT64_MIN,
                          INT32_MAX, &gpus, err)) < 0)
    return rc;
  if (runtime <= 0) {
    jz_job_table_skip(r->t, "runtime <= 0");
    return 0;
  }
  if (gpus <= 0) {
    jz_job_table_skip(r->t, "no processors");
    return 0;
  }
  int32_t account = -1;
  if (r->idx[C_CLUSTER] >= 0) {
    const jz__field_t *fc = &f[r->idx[C_CLUSTER]];
    if ((rc = jz__intern(r->t, fc->s, fc->len, &account, err)) < 0) return rc;
  }
  jz_job_t *j = jz_job_table_push(r->t);
  if (!j) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  j->trace_id = rec;
  j->submit = (double)when; /* absolute until the end of the read */
  j->runtime = runtime;
  j->procs = j->gpus = (int32_t)gpus;
  j->account = account;
  j->status = -1;
  j->line = (uint32_t)ln->no;
  j->workload = r->o->workload;
  if (when < r->origin) r->origin = when;
  return 0;
}

static int philly_line(void *ctx, jz__line_t *ln, jz_error_t *err) {
  philly_t *r = ctx;
  if (jz__blank(ln)) return 0;
  jz__field_t f[JZ__MAX_FIELDS];
  int nf = jz__split(r->path, ln, ',', true, f, JZ__MAX_FIELDS, err);
  if (nf < 0) {
    ln->fatal = !r->have_header;
    return nf;
  }
  if (r->have_header) return philly_record(r, ln, f, nf, err);
  r->have_header = true;
  r->ncols = nf;
  return jz__header(r->path, ln, f, nf, cols, N_COLS, false, false, "column", r->idx, err);
}

static int philly_read(const char *path, const jz_read_opts_t *o, jz_job_table_t *t,
                       jz_read_info_t *info, jz_error_t *err) {
  static const jz_read_opts_t defaults = {0};
  jz_read_info_t local;
  if (!o) o = &defaults;
  if (!info) info = &local;
  memset(info, 0, sizeof *info);
  jz__mark_t mark;
  jz__mark(t, &mark);
  philly_t r = {.path = path, .o = o, .t = t, .info = info, .origin = INT64_MAX};
  int rc = jz__read_lines(path, o, t, info, philly_line, &r, err);
  if (rc == 0 && !r.have_header)
    rc = jz_error_at(err, -JZ_ESYNTAX, path, 0, 0, "empty file: no header line");
  if (rc < 0) {
    jz__rollback(t, &mark);
    return rc;
  }
  if (t->n > mark.n) {
    /* Timestamps are whole seconds below 2^53: the differences are exact. */
    for (size_t i = mark.n; i < t->n; i++) t->jobs[i].submit -= (double)r.origin;
    char when[32];
    jz__fmt_datetime(r.origin, when);
    jz__info_note(info, "time 0 = %s (earliest timestamp; time zone not stated)", when);
  }
  jz__info_scan_missing(info, t, mark.n);
  return 0;
}

static int philly_detect(const char *head, size_t n) {
  size_t pos = 0, len;
  const char *l = jz__head_line(head, n, &pos, 0, &len);
  if (!l) return 0;
  int m = jz__head_matches(l, len, ',', col_names, 5, false);
  /* timestamp, duration, num_gpus (+ gpu_time, cluster): 3 named of the 5 is still Philly. */
  return m >= 4 ? 95 : m == 3 ? 60 : 0;
}

const jz_reader_t jz__reader_philly = {
    .name = "philly",
    .summary = "Microsoft Philly per-job CSV (timestamp,duration,num_gpus,gpu_time,cluster)",
    .detect = philly_detect,
    .read = philly_read,
};
