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
 *   num_gpus  -> procs and gpus (0 skipped as "no processors"; negative: "is negative")
 *   cluster   -> account: Philly's hashed virtual cluster, the tenant (team) whose GPU quota
 *                the job ran under, which is what a Slurm account is (optional column)
 *   gpu_time  is duration x num_gpus: ignored, like any other extra column.
 *   trace_id = the 1-based record number, status -1, nodes 0.
 * No requested time, user or queue: walltime 0, user/queue -1, listed in info->missing.
 * Rows are not in time order; the caller sorts the table. */
#include <stdint.h>

#include "reader_internal.h"

enum { C_TIME, C_DURATION, C_GPUS, C_CLUSTER, N_COLS };

static const jz__colspec_t cols[N_COLS] = {
    {"timestamp", true}, {"duration", true}, {"num_gpus", true}, {"cluster", false}};
static const char *const col_names[] = {"timestamp", "duration", "num_gpus", "gpu_time",
                                        "cluster"};

_Static_assert(N_COLS <= JZ__MAX_COLS, "philly: too many columns");

static int philly_record(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, jz_error_t *err) {
  long rec = c->info->job_lines;
  const jz__field_t *ft = &f[c->idx[C_TIME]];
  int64_t when, gpus;
  double runtime;
  if (!jz__parse_datetime(ft->s, ft->len, ' ', &when))
    return jz__bad_field(err, -JZ_ESYNTAX, c->path, ln->no, ft, "column", "timestamp",
                         "is not a date and time (YYYY-MM-DD HH:MM:SS)");
  int rc;
  if ((rc = jz__field_num(c->path, ln->no, &f[c->idx[C_DURATION]], "column", "duration",
                          &runtime, err)) < 0 ||
      (rc = jz__field_int(c->path, ln->no, &f[c->idx[C_GPUS]], "column", "num_gpus", 0,
                          INT32_MAX, &gpus, err)) < 0)
    return rc;
  if (runtime <= 0) {
    jz_job_table_skip(c->t, "runtime <= 0");
    return 0;
  }
  if (gpus == 0) {
    jz_job_table_skip(c->t, "no processors");
    return 0;
  }
  int32_t account = -1;
  if (c->idx[C_CLUSTER] >= 0) {
    const jz__field_t *fc = &f[c->idx[C_CLUSTER]];
    if ((rc = jz__intern(c->t, fc->s, fc->len, &account, err)) < 0) return rc;
  }
  jz_job_t *j = jz_job_table_push(c->t);
  if (!j) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  j->trace_id = rec;
  j->submit = (double)when; /* absolute until the end of the read (philly_finish) */
  j->runtime = runtime;
  j->procs = j->gpus = (int32_t)gpus;
  j->account = account;
  j->status = -1;
  j->line = (uint32_t)ln->no;
  j->workload = c->o->workload;
  return 0;
}

static void philly_finish(jz__csv_t *c, size_t n0) {
  jz__info_origin(c->info, c->t, n0, "earliest timestamp; time zone not stated");
}

static const jz__csv_format_t philly_format = {
    .delim = ',', .quotes = true, .cols = cols, .ncols = N_COLS, .what = "column",
    .record = philly_record, .finish = philly_finish,
};

static int philly_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                       jz_read_info_t *info, jz_error_t *err) {
  return jz__read_csv(in, o, t, info, &philly_format, NULL, err);
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
