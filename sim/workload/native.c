/* native.c: jzsim's own job formats, for hand-made and synthetic workloads: "jobs-csv" (a
 * header naming the columns) and "jobs-yaml" (a `jobs:` list of mappings). Schema and
 * examples in docs/formats.md.
 *
 *     id,submit,runtime,walltime,gpus,queue      jobs:
 *     1,0,3600,2h,4,long                           - {id: 1, submit: 0s, runtime: 1h, gpus: 4,
 *                                                     walltime: 2h, queue: long}
 *
 * Keys (CSV columns in any order, YAML keys in any order; both formats share them):
 *   submit, runtime   required durations: submit = seconds from the workload's origin,
 *                     runtime = how long the job really runs (<= 0 skipped "runtime <= 0")
 *   walltime          requested time (absent, empty or 0: unknown, filled by the run)
 *   cores, gpus, nodes, cores_per_gpu   counts >= 0 (0 = not said); a job needs one of
 *                     cores, gpus or nodes. procs = cores, else gpus, else nodes.
 *   exclusive         0/1/true/false -> JZ_JOB_EXCLUSIVE (whole nodes)
 *   id                an integer becomes trace_id; other text the label (trace_id = the
 *                     1-based record number); absent: trace_id = the record number
 *   queue, account, user   text, interned (absent or empty: -1, filled by the run)
 *   status            SWF status code (1 completed, 0 failed, 5 cancelled; default -1)
 * Durations: CSV takes seconds as plain numbers ("3600", "0.5") or unit strings ("20h",
 * "1.5d": jz_units_parse); YAML, like the platform files, wants the unit ("3600s"). Unknown
 * columns or keys are errors with a "did you mean". In CSV, blank lines and lines starting
 * with '#' are comments; cells may be double-quoted (RFC 4180). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"
#include "suggest.h"
#include "units.h"
#include "yamlx.h"

enum {
  K_ID,
  K_SUBMIT,
  K_RUNTIME,
  K_WALLTIME,
  K_CORES,
  K_GPUS,
  K_NODES,
  K_CPG,
  K_EXCLUSIVE,
  K_QUEUE,
  K_ACCOUNT,
  K_USER,
  K_STATUS,
  K_PROF0, /* the profile keys (exec/profile.h), in jz_prof_key_t order */
  N_KEYS = K_PROF0 + JZ_PK_COUNT
};

/* runtime is required unless the job has a work profile (checked per job). */
static const jz__colspec_t keys[N_KEYS] = {
    {"id", false},        {"submit", true},   {"runtime", false},  {"walltime", false},
    {"cores", false},     {"gpus", false},    {"nodes", false},    {"cores_per_gpu", false},
    {"exclusive", false}, {"queue", false},   {"account", false},  {"user", false},
    {"status", false},
    {"profile", false},   {"flops", false},   {"iterations", false},
    {"flops_per_iteration", false}, {"gradient", false}, {"checkpoint", false},
    {"checkpoint_every", false}, {"dataset", false}, {"comm", false}, {"pattern", false},
    {"tier", false},      {"read", false},    {"write", false},   {"precision", false},
};
static const char *const key_names[N_KEYS] = {
    "id",    "submit", "runtime",       "walltime",  "cores",   "gpus",  "nodes",
    "cores_per_gpu", "exclusive", "queue", "account", "user", "status",
    "profile", "flops", "iterations", "flops_per_iteration", "gradient", "checkpoint",
    "checkpoint_every", "dataset", "comm", "pattern", "tier", "read", "write", "precision",
};

/* One job's values as read, before the checks that need all of them. */
typedef struct njob {
  bool has[N_KEYS];
  double submit, runtime, walltime;
  int64_t cores, gpus, nodes, cpg, status;
  bool exclusive;
  const char *text[N_KEYS]; /* id, queue, account, user, tier */
  size_t tlen[N_KEYS];
  jz_profile_t prof;
} njob_t;

static bool is_duration(int k) { return k == K_SUBMIT || k == K_RUNTIME || k == K_WALLTIME; }
static bool is_count(int k) { return k == K_CORES || k == K_GPUS || k == K_NODES || k == K_CPG; }

/* Parse s[0..len) (NUL-terminated, non-empty) as key k into nj. Returns 0 or a negative code
 * with why (the message after "'key': ") filled. bare: durations may be plain seconds. */
static int parse_value(int k, const char *s, size_t len, bool bare, njob_t *nj, char *why,
                       size_t wl) {
  int q = (int)(len > JZ__QUOTE_MAX ? JZ__QUOTE_MAX : len);
  const char *more = len > JZ__QUOTE_MAX ? "..." : "";
  if (k >= K_PROF0) {
    int rc = jz_profile_set(&nj->prof, (jz_prof_key_t)(k - K_PROF0), s, len, bare, &nj->text[k],
                            &nj->tlen[k], why, wl);
    if (rc < 0) return rc;
  } else if (is_duration(k)) {
    double v = 0;
    int rc = bare ? jz__parse_num(s, len, &v) : 1;
    if (rc == 2) {
      snprintf(why, wl, "'%.*s%s' is out of range", q, s, more);
      return -JZ_ERANGE;
    }
    if (rc == 1) {
      rc = jz_units_parse(s, JZ_UNIT_TIME, &v, why, wl);
      if (rc < 0) return rc;
    }
    if (v < 0) {
      snprintf(why, wl, "'%.*s%s' is negative", q, s, more);
      return -JZ_ERANGE;
    }
    if (k == K_SUBMIT) nj->submit = v;
    else if (k == K_RUNTIME) nj->runtime = v;
    else nj->walltime = v;
  } else if (is_count(k) || k == K_STATUS) {
    int64_t v;
    int rc = jz__parse_int(s, len, &v);
    if (rc == 1) {
      snprintf(why, wl, "'%.*s%s' is not an integer", q, s, more);
      return -JZ_ESYNTAX;
    }
    if (rc == 2 || v > INT32_MAX || v < INT32_MIN) {
      snprintf(why, wl, "'%.*s%s' is out of range", q, s, more);
      return -JZ_ERANGE;
    }
    if (is_count(k) && v < 0) {
      snprintf(why, wl, "'%.*s%s' is negative", q, s, more);
      return -JZ_ERANGE;
    }
    if (k == K_CORES) nj->cores = v;
    else if (k == K_GPUS) nj->gpus = v;
    else if (k == K_NODES) nj->nodes = v;
    else if (k == K_CPG) nj->cpg = v;
    else nj->status = v;
  } else if (k == K_EXCLUSIVE) {
    if (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
      nj->exclusive = true;
    } else if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "False") ||
               !strcmp(s, "FALSE")) {
      nj->exclusive = false;
    } else {
      snprintf(why, wl, "'%.*s%s' must be 0, 1, true or false", q, s, more);
      return -JZ_EINVAL;
    }
  } else { /* id, queue, account, user */
    nj->text[k] = s;
    nj->tlen[k] = len;
  }
  nj->has[k] = true;
  return 0;
}

/* The checks that need the whole job, then the append. subject: "job N" for messages. */
static int add_job(const char *path, const jz_read_opts_t *o, jz_job_table_t *t, njob_t *nj,
                   long record, long line, long col, jz_error_t *err) {
  if (nj->cores <= 0 && nj->gpus <= 0 && nj->nodes <= 0)
    return jz_error_at(err, -JZ_EINVAL, path, line, col, "job %ld: needs cores, gpus or nodes",
                       record);
  bool flow = nj->prof.kind != JZ_PROF_DELAY;
  char why[200];
  if (jz_profile_check(&nj->prof, why, sizeof why) < 0)
    return jz_error_at(err, -JZ_EINVAL, path, line, col, "job %ld: %s", record, why);
  if (!nj->has[K_RUNTIME] && !flow)
    return jz_error_at(err, -JZ_EINVAL, path, line, col, "job %ld: missing required key 'runtime'",
                       record);
  if (flow && !nj->has[K_RUNTIME]) {
    /* The model says how long it runs; the run time only stands in for a missing request. */
    if (nj->walltime <= 0)
      return jz_error_at(err, -JZ_EINVAL, path, line, col,
                         "job %ld: profile '%s' without a runtime needs a walltime", record,
                         jz_prof_kind_name((jz_prof_kind_t)nj->prof.kind));
    nj->runtime = nj->walltime;
  }
  if (nj->runtime <= 0) {
    jz_job_table_skip(t, "runtime <= 0");
    return 0;
  }
  int32_t queue, account, user, tier = -1;
  int rc;
  if (nj->text[K_PROF0 + JZ_PK_TIER] &&
      (rc = jz__intern(t, nj->text[K_PROF0 + JZ_PK_TIER], nj->tlen[K_PROF0 + JZ_PK_TIER], &tier,
                       err)) < 0)
    return rc;
  nj->prof.tier = tier;
  if ((rc = jz__intern(t, nj->text[K_QUEUE], nj->tlen[K_QUEUE], &queue, err)) < 0 ||
      (rc = jz__intern(t, nj->text[K_ACCOUNT], nj->tlen[K_ACCOUNT], &account, err)) < 0 ||
      (rc = jz__intern(t, nj->text[K_USER], nj->tlen[K_USER], &user, err)) < 0)
    return rc;
  jz_job_t *j = jz_job_table_push(t);
  if (!j) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  jz__field_t id = {.s = (char *)nj->text[K_ID], .len = nj->tlen[K_ID]};
  if ((rc = jz__job_id(t, j, nj->text[K_ID] ? &id : NULL, record, err)) < 0) return rc;
  j->submit = nj->submit;
  j->runtime = nj->runtime;
  j->walltime = nj->walltime;
  j->procs = (int32_t)(nj->cores > 0 ? nj->cores : nj->gpus > 0 ? nj->gpus : nj->nodes);
  j->gpus = (int32_t)nj->gpus;
  j->nodes = (int32_t)nj->nodes;
  j->cores_per_gpu = (int32_t)nj->cpg;
  j->queue = queue;
  j->account = account;
  j->user = user;
  j->status = nj->has[K_STATUS] ? (int32_t)nj->status : -1;
  j->flags = nj->exclusive ? JZ_JOB_EXCLUSIVE : 0;
  j->line = (uint32_t)line;
  j->workload = o->workload;
  if (nj->prof.has && jz_job_table_set_profile(t, t->n - 1, &nj->prof))
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}

/* ---- jobs-csv ---------------------------------------------------------------------------- */

_Static_assert(N_KEYS <= JZ__MAX_COLS, "jobs-csv: too many columns");

static int csv_record(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, jz_error_t *err) {
  long rec = c->info->job_lines;
  njob_t nj = {0};
  char why[320];
  const jz__field_t *no_runtime = NULL; /* an empty runtime cell: fine for a work profile */
  for (int k = 0; k < N_KEYS; k++) {
    if (c->idx[k] < 0) continue;
    const jz__field_t *x = &f[c->idx[k]];
    if (x->len == 0) {
      if (keys[k].required)
        return jz_error_at(err, -JZ_EINVAL, c->path, ln->no, x->col, "column '%s' has no value",
                           keys[k].name);
      if (k == K_RUNTIME) no_runtime = x;
      continue;
    }
    int rc = parse_value(k, x->s, x->len, true, &nj, why, sizeof why);
    if (rc < 0)
      return jz_error_at(err, rc, c->path, ln->no, x->col, "column '%s': %s", keys[k].name, why);
  }
  if (no_runtime && nj.prof.kind == JZ_PROF_DELAY)
    return jz_error_at(err, -JZ_EINVAL, c->path, ln->no, no_runtime->col,
                       "column 'runtime' has no value");
  return add_job(c->path, c->o, c->t, &nj, rec, ln->no, 0, err);
}

/* A runtime column is required, unless a profile column may give the jobs their work. */
static int csv_header(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, int nf,
                      jz_error_t *err) {
  if (c->idx[K_RUNTIME] < 0 && c->idx[K_PROF0 + JZ_PK_PROFILE] < 0)
    return jz__missing(c->path, ln, f, nf, keys, N_KEYS, false, "runtime", "column", err);
  return 0;
}

/* Blank lines and '#' comments are skipped; every header name must be one of keys. */
static const jz__csv_format_t csv_format = {
    .delim = ',', .quotes = true, .comment = '#', .cols = keys, .ncols = N_KEYS,
    .strict = true, .what = "column", .header = csv_header, .record = csv_record,
};

static int csv_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                    jz_read_info_t *info, jz_error_t *err) {
  return jz__read_csv(in, o, t, info, &csv_format, NULL, err);
}

/* The first line that is not a comment names submit and runtime among comma-separated
 * columns; most of its names are ours. */
static int csv_detect(const char *head, size_t n) {
  static const char *const req[] = {"submit", "runtime"};
  size_t pos = 0, len;
  const char *l = jz__head_line(head, n, &pos, '#', &len);
  if (!l || memchr(l, '|', len)) return 0;
  int all = jz__head_fields(l, len, ',');
  int ours = jz__head_matches(l, len, ',', key_names, N_KEYS, false);
  if (jz__head_matches(l, len, ',', req, 2, false) == 2) return ours == all ? 90 : 80;
  return ours * 2 >= all && ours >= 2 ? 55 : 0;
}

const jz_reader_t jz__reader_jobs_csv = {
    .name = "jobs-csv",
    .summary = "jzsim job CSV: header submit,runtime[,walltime,cores,gpus,nodes,...]",
    .detect = csv_detect,
    .read = csv_read,
};

/* ---- jobs-yaml --------------------------------------------------------------------------- */

static int yaml_fail(jz_error_t *err, int code, const char *path, const jz_yamlx_node_t *at,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int yaml_fail(jz_error_t *err, int code, const char *path, const jz_yamlx_node_t *at,
                     const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return jz_error_at(err, code, path, at ? at->line : 0, at ? at->col : 0, "%s", msg);
}

static int yaml_job(const char *path, const jz_read_opts_t *o, jz_job_table_t *t, long rec,
                    const jz_yamlx_node_t *item, jz_error_t *err) {
  char d[96];
  if (!jz_yamlx_is_mapping(item))
    return yaml_fail(err, -JZ_ESYNTAX, path, item, "job %ld: expected a mapping, found %s", rec,
                     jz_yamlx_describe(item, d, sizeof d));
  njob_t nj = {0};
  char why[320];
  for (size_t i = 0; i < item->n_pairs; i++) {
    const jz_yamlx_node_t *key = item->pairs[i].key, *val = item->pairs[i].value;
    int k = 0;
    while (k < N_KEYS && strcmp(key_names[k], key->text) != 0) k++;
    if (k == N_KEYS) {
      char sb[96];
      const char *cand =
          jz_suggest_closest(key->text, key_names, N_KEYS, sizeof *key_names, false);
      return yaml_fail(err, -JZ_EUNKNOWNKEY, path, key, "job %ld: unknown key '%s'%s", rec,
                       key->text, jz_suggest_hint(sb, sizeof sb, cand));
    }
    if (!jz_yamlx_is_scalar(val))
      return yaml_fail(err, -JZ_ESYNTAX, path, val, "job %ld: '%s': expected a scalar, found %s",
                       rec, key->text, jz_yamlx_describe(val, d, sizeof d));
    if (val->is_null || val->len == 0)
      return yaml_fail(err, -JZ_EINVAL, path, val, "job %ld: '%s' has no value", rec, key->text);
    int rc = parse_value(k, val->text, val->len, false, &nj, why, sizeof why);
    if (rc < 0) return yaml_fail(err, rc, path, val, "job %ld: '%s': %s", rec, key->text, why);
  }
  for (int k = 0; k < N_KEYS; k++)
    if (keys[k].required && !nj.has[k])
      return yaml_fail(err, -JZ_EINVAL, path, item, "job %ld: missing required key '%s'", rec,
                       keys[k].name);
  return add_job(path, o, t, &nj, rec, item->line, item->col, err);
}

static int yaml_jobs(const char *path, const jz_read_opts_t *o, jz_job_table_t *t,
                     jz_read_info_t *info, const jz_yamlx_doc_t *doc, jz_error_t *err) {
  static const char *const top[] = {"jobs"};
  const jz_yamlx_node_t *root = doc->root;
  char d[96];
  if (!jz_yamlx_is_mapping(root))
    return yaml_fail(err, -JZ_ESYNTAX, path, root,
                     "expected a mapping with a 'jobs' list, found %s",
                     root ? jz_yamlx_describe(root, d, sizeof d) : "an empty document");
  for (size_t i = 0; i < root->n_pairs; i++) {
    const jz_yamlx_node_t *key = root->pairs[i].key;
    if (strcmp(key->text, "jobs") == 0) continue;
    char sb[96];
    const char *cand = jz_suggest_closest(key->text, top, 1, sizeof *top, false);
    /* A file named .yaml is read as a job trace (reader.h): say what one looks like, for
     * the platform or experiment file given as a workload by mistake. */
    return yaml_fail(err, -JZ_EUNKNOWNKEY, path, key, "unknown key '%s'%s", key->text,
                     cand ? jz_suggest_hint(sb, sizeof sb, cand)
                          : " (a job trace in YAML has one top-level key, 'jobs')");
  }
  const jz_yamlx_node_t *jobs = jz_yamlx_map_get(root, "jobs");
  if (!jobs) return yaml_fail(err, -JZ_EINVAL, path, root, "missing required key 'jobs'");
  if (!jz_yamlx_is_sequence(jobs))
    return yaml_fail(err, -JZ_ESYNTAX, path, jobs, "'jobs': expected a sequence, found %s",
                     jz_yamlx_describe(jobs, d, sizeof d));
  jz_error_t scratch = {0};
  jz_error_t *lerr = o->lenient ? &scratch : err;
  for (size_t i = 0; i < jobs->n_items; i++) {
    long rec = ++info->job_lines;
    int rc = yaml_job(path, o, t, rec, jobs->items[i], lerr);
    rc = jz__record_done(o, t, info, rec - 1, rc, false, lerr, err);
    if (rc) return rc < 0 ? rc : 0;
  }
  return 0;
}

static int yaml_body(void *ctx, jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                     jz_read_info_t *info, jz_error_t *err) {
  (void)ctx;
  const char *path = jz_input_path(in);
  char *text;
  size_t len;
  int rc = jz__slurp(in, &text, &len, err);
  if (rc < 0) return rc;
  for (size_t i = 0; i < len; i++) info->lines += text[i] == '\n';
  if (len > 0 && text[len - 1] != '\n') info->lines++;
  jz_yamlx_doc_t *doc = NULL;
  rc = jz_yamlx_load_string(path, text, len, &doc, err);
  free(text);
  if (rc < 0) return rc;
  rc = yaml_jobs(path, o, t, info, doc, err);
  jz_yamlx_free(doc);
  return rc;
}

static int yaml_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                     jz_read_info_t *info, jz_error_t *err) {
  return jz__read_frame(in, o, t, info, yaml_body, NULL, err);
}

/* The first significant line (after comments, "---" and "%" directives) is "jobs:". */
static int yaml_detect(const char *head, size_t n) {
  size_t pos = 0, len;
  const char *l;
  while ((l = jz__head_line(head, n, &pos, '#', &len)) != NULL) {
    if (l[0] == '%' || (len >= 3 && memcmp(l, "---", 3) == 0 && (len == 3 || l[3] == ' ')))
      continue;
    if (l != head && l[-1] != '\n') return 0; /* indented: not a top-level key */
    if (len >= 5 && memcmp(l, "jobs:", 5) == 0) return 90;
    if (len >= 7 && (memcmp(l, "\"jobs\":", 7) == 0 || memcmp(l, "'jobs':", 7) == 0)) return 90;
    return 0;
  }
  return 0;
}

const jz_reader_t jz__reader_jobs_yaml = {
    .name = "jobs-yaml",
    .summary = "jzsim job YAML: a `jobs:` list of {submit, runtime, walltime, cores, gpus, ...}",
    .detect = yaml_detect,
    .read = yaml_read,
};
