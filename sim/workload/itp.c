/* itp.c: Microsoft ITP GPU cluster CSVs (microsoft/elasticflow-traces raw-traces, cluster01..10).
 *
 * The file starts with a header naming its columns (any order; extra columns such as the
 * synthetic ones of the ElasticFlow variant are ignored):
 *
 *     job_id,submission_time,duration,num_gpu
 *     965d744f-0445-c1a8-12af-97e4c536c66e,1932025,2429,64
 *
 * Mapping (every column is required):
 *   job_id          -> label (the ids are UUIDs; an integer id becomes trace_id instead)
 *   submission_time -> submit (s since the collection start; may have decimals)
 *   duration        -> runtime (s; <= 0 is skipped as "runtime <= 0")
 *   num_gpu         -> procs and gpus (0 is skipped as "no processors"; a negative count is
 *                      malformed, "is negative", as in every reader: docs/formats.md)
 *   trace_id = the 1-based record number, status -1 (unknown), nodes 0 (not said).
 * The traces carry no requested time, user, account (virtual cluster) or queue: walltime stays
 * 0 and those are listed in info->missing for the run's defaults. A negative submission time
 * is skipped as "negative submit time" (as SWF does). */
#include <stdint.h>

#include "reader_internal.h"

enum { C_ID, C_SUBMIT, C_DURATION, C_GPUS, N_COLS };

static const jz__colspec_t cols[N_COLS] = {
    {"job_id", true}, {"submission_time", true}, {"duration", true}, {"num_gpu", true}};
static const char *const col_names[N_COLS] = {"job_id", "submission_time", "duration", "num_gpu"};

_Static_assert(N_COLS <= JZ__MAX_COLS, "itp: too many columns");

static int itp_record(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, jz_error_t *err) {
  long rec = c->info->job_lines;
  double submit, runtime;
  int64_t gpus;
  int rc;
  if ((rc = jz__field_num(c->path, ln->no, &f[c->idx[C_SUBMIT]], "column", "submission_time",
                          &submit, err)) < 0 ||
      (rc = jz__field_num(c->path, ln->no, &f[c->idx[C_DURATION]], "column", "duration", &runtime,
                          err)) < 0 ||
      (rc = jz__field_int(c->path, ln->no, &f[c->idx[C_GPUS]], "column", "num_gpu", 0,
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
  if (submit < 0) {
    jz_job_table_skip(c->t, "negative submit time");
    return 0;
  }
  jz_job_t *j = jz_job_table_push(c->t);
  if (!j) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if ((rc = jz__job_id(c->t, j, &f[c->idx[C_ID]], rec, err)) < 0) return rc;
  j->submit = submit;
  j->runtime = runtime;
  j->procs = j->gpus = (int32_t)gpus;
  j->status = -1;
  j->line = (uint32_t)ln->no;
  j->workload = c->o->workload;
  return 0;
}

static const jz__csv_format_t itp_format = {
    .delim = ',', .quotes = true, .cols = cols, .ncols = N_COLS, .what = "column",
    .record = itp_record,
};

static int itp_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                    jz_read_info_t *info, jz_error_t *err) {
  return jz__read_csv(in, o, t, info, &itp_format, NULL, err);
}

/* The header line names job_id, submission_time, duration and num_gpu (3 of 4: still ours,
 * so a misspelt column gets the reader's precise message). */
static int itp_detect(const char *head, size_t n) {
  size_t pos = 0, len;
  const char *l = jz__head_line(head, n, &pos, 0, &len);
  if (!l) return 0;
  int m = jz__head_matches(l, len, ',', col_names, N_COLS, false);
  return m == N_COLS ? 95 : m == N_COLS - 1 ? 60 : 0;
}

const jz_reader_t jz__reader_itp = {
    .name = "itp",
    .summary = "Microsoft ITP GPU cluster CSV (job_id,submission_time,duration,num_gpu)",
    .detect = itp_detect,
    .read = itp_read,
};
