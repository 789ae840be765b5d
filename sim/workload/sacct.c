/* sacct.c: Slurm accounting records as printed by `sacct --parsable2` ('|'-separated, first
 * line naming the fields). The command that makes such a file is in docs/formats.md:
 *
 *     JobID|Submit|Start|End|Elapsed|Timelimit|NNodes|NCPUS|AllocTRES|QOS|Account|User|State
 *     1001|2024-01-01T00:00:00|2024-01-01T00:00:10|2024-01-01T01:00:10|01:00:00|02:00:00|1|40|
 *       billing=40,cpu=40,mem=160G,node=1|qos_cpu-t3|proj-a|alice|COMPLETED    (one line)
 *
 * Fields are found by name, case-insensitively, in any order; other fields are ignored.
 * Required: JobID, Submit, End, Timelimit, NCPUS (or AllocCPUS), NNodes, State, and Elapsed
 * or Start. Optional: AllocTRES, ReqTRES, QOS, Account, User. `sacct --parsable` (with a
 * trailing '|') reads too.
 *
 * Mapping:
 *   JobID     "123" -> trace_id 123. "123_4" (array task) -> label "123_4", trace_id = the
 *             1-based job record number. Steps ("123.batch", "123.extern", "123.0",
 *             "123_4.0") are folded into their job: the job's own line already holds its
 *             allocation and times, so step lines are ignored and not counted as records.
 *             "123_[1-5]" (an array whose pending tasks were not expanded) is skipped as
 *             "pending array"; "123+0" (a heterogeneous job component) is skipped as
 *             "heterogeneous job (not supported)": one job on two resource shapes is
 *             beyond the resource model.
 *   Submit    -> submit: "YYYY-MM-DDTHH:MM:SS" counted in seconds from the earliest Submit of
 *             the jobs kept, with a calendar computed here (no mktime/TZ; sacct prints the
 *             local time of where it ran: see docs/formats.md for TZ=UTC). Recorded in notes.
 *   Elapsed   -> runtime ("[D-]HH:MM:SS", "MM:SS", "MM", "D-HH", "D-HH:MM"); without an
 *             Elapsed field, End - Start.
 *   Timelimit -> walltime (same forms); "UNLIMITED" and "Partition_Limit" -> 0 (unknown,
 *             then "requested time" is listed in info->missing).
 *   NCPUS     -> procs; NNodes -> nodes.
 *   AllocTRES -> gpus: "gres/gpu=N", or the sum of "gres/gpu:model=N" when the generic count
 *             is absent; from ReqTRES when AllocTRES is absent or empty; 0 without either.
 *   QOS -> queue, Account -> account, User -> user (interned; empty -> -1 and listed in
 *             info->missing). Partition is not used: a run maps a whole workload file to one
 *             platform partition (--workload PART=FILE), so split the sacct output per
 *             partition (sacct -r) to replay several.
 *   State     -> status: COMPLETED 1; TIMEOUT 1 with the flag JZ_JOB_TIMED_OUT (the replay
 *             ends it COMPLETED_WALLTIME_REACHED: Slurm kills at the limit, so Elapsed is
 *             often exactly the Timelimit, and runtime > walltime alone would call that a
 *             success; one that ran less than its final request ends COMPLETED_FAILED at its
 *             run time instead, jz_experiment_map); FAILED, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE 0; CANCELLED
 *             (also "CANCELLED by 123"), PREEMPTED, REQUEUED 5.
 *             A trailing '+' (a cut state in non-parsable output) is accepted.
 * Skipped, with their reasons, in this order: "pending array", "heterogeneous job (not
 * supported)", "pending" (PENDING, REQUEUE_HOLD, ...), "running (not ended)" (RUNNING,
 * SUSPENDED, ... or End "Unknown"), "revoked (federated sibling)", "unknown submit time",
 * "never started" (Start "Unknown"/"None", e.g. cancelled while pending), "runtime <= 0",
 * "no processors". */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "reader_internal.h"

enum {
  C_JOBID,
  C_SUBMIT,
  C_START,
  C_END,
  C_ELAPSED,
  C_TIMELIMIT,
  C_NCPUS,
  C_ALLOCCPUS,
  C_NNODES,
  C_STATE,
  C_ALLOCTRES,
  C_REQTRES,
  C_QOS,
  C_ACCOUNT,
  C_USER,
  N_COLS
};

static const jz__colspec_t cols[N_COLS] = {
    {"JobID", true},     {"Submit", true},    {"Start", false},    {"End", true},
    {"Elapsed", false},  {"Timelimit", true}, {"NCPUS", false},    {"AllocCPUS", false},
    {"NNodes", true},    {"State", true},     {"AllocTRES", false}, {"ReqTRES", false},
    {"QOS", false},      {"Account", false},  {"User", false},
};
static const char *const detect_names[] = {"Submit", "Start",  "End",   "Elapsed",
                                           "Timelimit", "NCPUS", "NNodes", "State"};

/* What a State means for the replay. */
enum { ST_ENDED, ST_PENDING, ST_RUNNING, ST_REVOKED };

static const struct state {
  const char *name;
  size_t len;
  int kind;
  int status;     /* for ST_ENDED */
  uint16_t flags; /* JZ_JOB_* the state implies */
} states[] = {
#define S(name, kind, status) {name, sizeof name - 1, kind, status, 0}
    S("COMPLETED", ST_ENDED, 1),
    {"TIMEOUT", sizeof "TIMEOUT" - 1, ST_ENDED, 1, JZ_JOB_TIMED_OUT},
    S("FAILED", ST_ENDED, 0),         S("NODE_FAIL", ST_ENDED, 0),
    S("OUT_OF_MEMORY", ST_ENDED, 0),  S("BOOT_FAIL", ST_ENDED, 0),
    S("DEADLINE", ST_ENDED, 0),       S("SPECIAL_EXIT", ST_ENDED, 0),
    S("CANCELLED", ST_ENDED, 5),      S("PREEMPTED", ST_ENDED, 5),
    S("REQUEUED", ST_ENDED, 5),       S("PENDING", ST_PENDING, 0),
    S("REQUEUE_HOLD", ST_PENDING, 0), S("REQUEUE_FED", ST_PENDING, 0),
    S("RESV_DEL_HOLD", ST_PENDING, 0), S("RUNNING", ST_RUNNING, 0),
    S("SUSPENDED", ST_RUNNING, 0),    S("RESIZING", ST_RUNNING, 0),
    S("STOPPED", ST_RUNNING, 0),      S("COMPLETING", ST_RUNNING, 0),
    S("CONFIGURING", ST_RUNNING, 0),  S("SIGNALING", ST_RUNNING, 0),
    S("STAGE_OUT", ST_RUNNING, 0),    S("REVOKED", ST_REVOKED, 0),
#undef S
};

/* JobID shapes (sacct(1), JobID: JobID[.JobStep], ArrayJobID_ArrayTaskID, HetJobID+Offset). */
enum { ID_BAD, ID_JOB, ID_TASK, ID_PENDING_ARRAY, ID_HET, ID_STEP };

_Static_assert(N_COLS <= JZ__MAX_COLS, "sacct: too many fields");

static bool all_digits(const char *s, size_t a, size_t b) {
  if (a >= b) return false;
  for (size_t i = a; i < b; i++)
    if ((unsigned)(unsigned char)s[i] - '0' > 9) return false;
  return true;
}

static int jobid_kind(const char *s, size_t len, int64_t *id) {
  size_t i = 0;
  while (i < len && (unsigned)(unsigned char)s[i] - '0' <= 9) i++;
  if (i == 0 || jz__parse_int(s, i, id) != 0) return ID_BAD;
  if (i == len) return ID_JOB;
  const char *dot = memchr(s + i, '.', len - i);
  size_t end = dot ? (size_t)(dot - s) : len; /* the job part, before any step */
  if (dot && dot + 1 == s + len) return ID_BAD;
  if (s[i] == '.') return ID_STEP;
  if (s[i] == '_') {
    if (i + 1 < end && s[i + 1] == '[')
      return (!dot && s[len - 1] == ']' && len > i + 3) ? ID_PENDING_ARRAY : ID_BAD;
    if (!all_digits(s, i + 1, end)) return ID_BAD;
  } else if (s[i] == '+') {
    if (!all_digits(s, i + 1, end)) return ID_BAD;
  } else {
    return ID_BAD;
  }
  if (dot) return ID_STEP;
  return s[i] == '_' ? ID_TASK : ID_HET;
}

static bool eq_nocase(const char *a, size_t n, const char *b) {
  if (strlen(b) != n) return false;
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = (char)(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = (char)(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

static bool is_unknown(const jz__field_t *f) {
  return f->len == 0 || eq_nocase(f->s, f->len, "Unknown") || eq_nocase(f->s, f->len, "None");
}

/* A date-time field: *known false for Unknown/None/empty. */
static int time_field(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, int k, int64_t *out,
                      bool *known, jz_error_t *err) {
  const jz__field_t *x = &f[c->idx[k]];
  *known = !is_unknown(x);
  if (*known && !jz__parse_datetime(x->s, x->len, 'T', out))
    return jz__bad_field(err, -JZ_ESYNTAX, c->path, ln->no, x, "field", cols[k].name,
                         "is not a date and time (YYYY-MM-DDTHH:MM:SS)");
  return 0;
}

/* Slurm's duration forms: "[D-]HH:MM:SS", "D-HH", "D-HH:MM", "HH:MM:SS", "MM:SS", "MM"
 * (sbatch --time), seconds possibly with a fraction. After the leading unit, hours are < 24
 * and minutes and seconds < 60. */
static bool parse_duration(const char *s, size_t len, double *out) {
  const char *dash = memchr(s, '-', len);
  int64_t days = 0;
  size_t i = 0;
  if (dash) {
    size_t dl = (size_t)(dash - s);
    if (dl == 0 || dl > 9 || !all_digits(s, 0, dl) || jz__parse_int(s, dl, &days) != 0)
      return false;
    i = dl + 1;
  }
  int64_t v[3];
  int k = 0;
  size_t fdot = 0; /* position of a '.' of fractional seconds, 0 = none */
  for (;;) {
    size_t a = i;
    while (i < len && (unsigned)(unsigned char)s[i] - '0' <= 9) i++;
    if (i == a || i - a > 9 || k == 3) return false;
    jz__parse_int(s + a, i - a, &v[k++]);
    if (i == len) break;
    if (s[i] == '.') {
      fdot = i;
      if (!all_digits(s, i + 1, len)) return false;
      break;
    }
    if (s[i++] != ':') return false;
  }
  int64_t h = 0, m = 0, sec = 0;
  if (dash) { /* D-HH, D-HH:MM, D-HH:MM:SS */
    h = v[0];
    m = k > 1 ? v[1] : 0;
    sec = k > 2 ? v[2] : 0;
    if (h > 23 || m > 59 || sec > 59 || (fdot && k < 3)) return false;
  } else if (k == 1) { /* MM */
    m = v[0];
    if (fdot) return false;
  } else if (k == 2) { /* MM:SS */
    m = v[0];
    sec = v[1];
    if (sec > 59) return false;
  } else { /* HH:MM:SS */
    h = v[0];
    m = v[1];
    sec = v[2];
    if (m > 59 || sec > 59) return false;
  }
  double frac = 0;
  if (fdot) { /* microseconds at most: one correctly rounded division */
    size_t nd = len - fdot - 1;
    int64_t fx;
    if (nd > 9 || jz__parse_int(s + fdot + 1, nd, &fx) != 0) return false;
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    frac = (double)fx / p10[nd];
  }
  *out = (double)(((days * 24 + h) * 60 + m) * 60 + sec) + frac;
  return true;
}

static int duration_field(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, int k, double *out,
                          jz_error_t *err) {
  const jz__field_t *x = &f[c->idx[k]];
  if (k == C_TIMELIMIT &&
      (eq_nocase(x->s, x->len, "UNLIMITED") || eq_nocase(x->s, x->len, "Partition_Limit"))) {
    *out = 0;
    return 0;
  }
  if (!parse_duration(x->s, x->len, out))
    return jz__bad_field(err, -JZ_ESYNTAX, c->path, ln->no, x, "field", cols[k].name,
                         "is not a duration ([D-]HH:MM:SS)");
  return 0;
}

/* GPUs of a TRES list "billing=40,cpu=40,gres/gpu=4,gres/gpu:a100=4,mem=160G,node=1": the
 * generic gres/gpu count, else the sum of the typed ones, else 0. */
static int tres_gpus(jz__csv_t *c, jz__line_t *ln, const jz__field_t *x, const char *name,
                     int64_t *gpus, jz_error_t *err) {
  int64_t generic = -1, typed = 0;
  size_t i = 0;
  while (i < x->len) {
    const char *comma = memchr(x->s + i, ',', x->len - i);
    size_t end = comma ? (size_t)(comma - x->s) : x->len;
    const char *item = x->s + i;
    size_t ilen = end - i;
    const char *eq = memchr(item, '=', ilen);
    size_t klen = eq ? (size_t)(eq - item) : ilen;
    bool gen = klen == 8 && memcmp(item, "gres/gpu", 8) == 0;
    bool typ = klen > 9 && memcmp(item, "gres/gpu:", 9) == 0;
    if (gen || typ) {
      int64_t v;
      if (!eq || jz__parse_int(eq + 1, ilen - klen - 1, &v) != 0 || v < 0 || v > INT32_MAX) {
        jz__field_t it = {.s = (char *)item, .len = ilen, .col = x->col + (long)i};
        return jz__bad_field(err, -JZ_ESYNTAX, c->path, ln->no, &it, "field", name,
                             "is not a GPU count");
      }
      if (gen) generic = v;
      else typed += v;
    }
    i = end + 1;
  }
  *gpus = generic >= 0 ? generic : typed;
  if (*gpus > INT32_MAX) *gpus = INT32_MAX;
  return 0;
}

static int text_field(jz__csv_t *c, const jz__field_t *f, int k, int32_t *out, jz_error_t *err) {
  *out = -1;
  if (c->idx[k] < 0) return 0;
  return jz__intern(c->t, f[c->idx[k]].s, f[c->idx[k]].len, out, err);
}

static int sacct_record(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, jz_error_t *err) {
  const jz__field_t *fid = &f[c->idx[C_JOBID]];
  int64_t id;
  int kind = jobid_kind(fid->s, fid->len, &id);
  if (kind == ID_STEP) return 0; /* folded into its job */
  long rec = ++c->info->job_lines;
  if (kind == ID_BAD)
    return jz__bad_field(err, -JZ_ESYNTAX, c->path, ln->no, fid, "field", "JobID",
                         "is not a Slurm job id");

  /* Every field is checked before any skip: a damaged line is an error whatever its job. */
  const jz__field_t *fs = &f[c->idx[C_STATE]];
  size_t sl = 0;
  while (sl < fs->len && fs->s[sl] != ' ' && fs->s[sl] != '+') sl++;
  const struct state *st = NULL;
  for (size_t k = 0; k < sizeof states / sizeof states[0] && !st; k++)
    if (states[k].len == sl && memcmp(states[k].name, fs->s, sl) == 0) st = &states[k];
  if (!st)
    return jz__bad_field(err, -JZ_ESYNTAX, c->path, ln->no, fs, "field", "State",
                         "is not a Slurm job state");
  int64_t submit = 0, start = 0, end = 0, ncpus, nnodes, gpus = 0;
  bool submit_known, start_known = true, end_known;
  double runtime = 0, walltime;
  int rc;
  int cpu_col = c->idx[C_NCPUS] >= 0 ? C_NCPUS : C_ALLOCCPUS;
  if ((rc = time_field(c, ln, f, C_SUBMIT, &submit, &submit_known, err)) < 0 ||
      (c->idx[C_START] >= 0 &&
       (rc = time_field(c, ln, f, C_START, &start, &start_known, err)) < 0) ||
      (rc = time_field(c, ln, f, C_END, &end, &end_known, err)) < 0 ||
      (c->idx[C_ELAPSED] >= 0 && (rc = duration_field(c, ln, f, C_ELAPSED, &runtime, err)) < 0) ||
      (rc = duration_field(c, ln, f, C_TIMELIMIT, &walltime, err)) < 0 ||
      (rc = jz__field_int(c->path, ln->no, &f[c->idx[cpu_col]], "field", cols[cpu_col].name, 0,
                          INT32_MAX, &ncpus, err)) < 0 ||
      (rc = jz__field_int(c->path, ln->no, &f[c->idx[C_NNODES]], "field", "NNodes", 0, INT32_MAX,
                          &nnodes, err)) < 0)
    return rc;
  int tres = c->idx[C_ALLOCTRES] >= 0 && f[c->idx[C_ALLOCTRES]].len > 0 ? C_ALLOCTRES
             : c->idx[C_REQTRES] >= 0                                  ? C_REQTRES
                                                                       : -1;
  if (tres >= 0 && (rc = tres_gpus(c, ln, &f[c->idx[tres]], cols[tres].name, &gpus, err)) < 0)
    return rc;
  if (c->idx[C_ELAPSED] < 0 && start_known && end_known) runtime = (double)(end - start);

  const char *skip = NULL;
  if (kind == ID_PENDING_ARRAY) skip = "pending array";
  else if (kind == ID_HET) skip = "heterogeneous job (not supported)";
  else if (st->kind == ST_PENDING) skip = "pending";
  else if (st->kind == ST_RUNNING || !end_known) skip = "running (not ended)";
  else if (st->kind == ST_REVOKED) skip = "revoked (federated sibling)";
  else if (!submit_known) skip = "unknown submit time";
  else if (!start_known) skip = "never started";
  else if (runtime <= 0) skip = "runtime <= 0";
  else if (ncpus <= 0) skip = "no processors";
  if (skip) {
    jz_job_table_skip(c->t, skip);
    return 0;
  }
  int32_t queue, account, user, label = -1;
  if ((rc = text_field(c, f, C_QOS, &queue, err)) < 0 ||
      (rc = text_field(c, f, C_ACCOUNT, &account, err)) < 0 ||
      (rc = text_field(c, f, C_USER, &user, err)) < 0 ||
      (kind == ID_TASK && (rc = jz__intern(c->t, fid->s, fid->len, &label, err)) < 0))
    return rc;
  jz_job_t *j = jz_job_table_push(c->t);
  if (!j) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  j->trace_id = kind == ID_TASK ? rec : id;
  j->label = label;
  j->submit = (double)submit; /* absolute until the end of the read (sacct_finish) */
  j->runtime = runtime;
  j->walltime = walltime;
  j->procs = (int32_t)ncpus;
  j->nodes = (int32_t)nnodes;
  j->gpus = (int32_t)gpus;
  j->queue = queue;
  j->account = account;
  j->user = user;
  j->status = st->status;
  j->flags |= st->flags;
  j->line = (uint32_t)ln->no;
  j->workload = c->o->workload;
  return 0;
}

/* Either CPU count and either way to the runtime: jz__header only knows single names. */
static int sacct_header(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, int nf,
                        jz_error_t *err) {
  if (c->idx[C_NCPUS] < 0 && c->idx[C_ALLOCCPUS] < 0)
    return jz__missing(c->path, ln, f, nf, cols, N_COLS, true, "NCPUS", "field", err);
  if (c->idx[C_ELAPSED] < 0 && c->idx[C_START] < 0)
    return jz__missing(c->path, ln, f, nf, cols, N_COLS, true, "Elapsed", "field", err);
  return 0;
}

static void sacct_finish(jz__csv_t *c, size_t n0) {
  jz__info_origin(c->info, c->t, n0, "earliest Submit, sacct's local time");
}

/* Records are counted by sacct_record: a step line is no record. */
static const jz__csv_format_t sacct_format = {
    .delim = '|', .quotes = false, .cols = cols, .ncols = N_COLS, .nocase = true,
    .what = "field", .self_counted = true, .header = sacct_header, .record = sacct_record,
    .finish = sacct_finish,
};

static int sacct_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                      jz_read_info_t *info, jz_error_t *err) {
  return jz__read_csv(in, o, t, info, &sacct_format, NULL, err);
}

/* A '|'-separated header naming JobID, or at least 4 of the other fields jzsim needs. */
static int sacct_detect(const char *head, size_t n) {
  static const char *const jobid[] = {"JobID"};
  size_t pos = 0, len;
  const char *l = jz__head_line(head, n, &pos, 0, &len);
  if (!l || !memchr(l, '|', len)) return 0;
  if (jz__head_matches(l, len, '|', jobid, 1, true)) return 95;
  return jz__head_matches(l, len, '|', detect_names, 8, true) >= 4 ? 60 : 0;
}

const jz_reader_t jz__reader_sacct = {
    .name = "sacct",
    .summary = "Slurm `sacct --parsable2` output with a header line (docs/formats.md)",
    .detect = sacct_detect,
    .read = sacct_read,
};
