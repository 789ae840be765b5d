/* results.c: a finished sweep's table (sweep.h): DIR/results.csv, DIR/results.md and, with a
 * target, DIR/target.csv and the answer printed.
 *
 * Columns of results.csv: run, replica, one per axis (the value as written in the sweep file),
 * then the metrics, named as `jzsim compare` names them (compare/metric.h): wait.mean, wait.p95,
 * wait.max, bounded_slowdown.mean, time.makespan, energy_joules; per partition where some run
 * ran jobs, partitions.P.utilisation (and .gpu_utilisation with GPUs, .energy_joules); per
 * queue where some run ran jobs, queues.Q.jobs, .wait.mean, .wait.p95, .wait.max,
 * .mean_bounded_slowdown; per dedicated allocation, reservations.R.utilisation and its
 * accounts' wait.mean and wait.p95; with a baseline, price_of_dedication's waits and slowdown
 * with and without the allocations; then the sweep's own metrics not listed yet; then
 * target_met. A cell is empty where a run's summary.json lacks the number.
 *
 * The target ("METRIC OP VALUE"): a run meets it when its metric satisfies the comparison; a
 * variant meets it when all its replicas do (the conservative reading: capacity that is enough
 * for every resampled trace). For each combination of the other axes, the answer is the
 * smallest value of the first axis (numerically when all its values are numbers or quantities,
 * else in the order written) whose variant meets the target, or "none". */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/metric.h"
#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "units.h"

typedef struct column {
  char *name;
  jz_metric_t metric; /* resolved for the sweep's own metrics */
  bool resolved;
} column_t;

typedef struct table {
  column_t *cols;
  size_t n_cols, cap_cols;
  double *vals;       /* n_runs x cap_vals_cols, NAN when absent */
  size_t vals_stride; /* columns allocated per run */
  size_t n_runs;
} table_t;

static int col_index(table_t *t, const char *name, bool add) {
  for (size_t i = 0; i < t->n_cols; i++)
    if (!strcmp(t->cols[i].name, name)) return (int)i;
  if (!add) return -1;
  if (t->n_cols == t->cap_cols) {
    size_t cap = t->cap_cols ? 2 * t->cap_cols : 64;
    column_t *c = realloc(t->cols, cap * sizeof *c);
    if (!c) return -1;
    t->cols = c;
    t->cap_cols = cap;
  }
  if (t->n_cols == t->vals_stride) {
    /* Widen every row: columns are found while rows are read. */
    size_t ns = t->vals_stride ? 2 * t->vals_stride : 64;
    double *v = malloc((t->n_runs ? t->n_runs : 1) * ns * sizeof *v);
    if (!v) return -1;
    for (size_t r = 0; r < t->n_runs; r++)
      for (size_t c = 0; c < ns; c++) v[r * ns + c] = c < t->vals_stride ? t->vals[r * t->vals_stride + c] : NAN;
    free(t->vals);
    t->vals = v;
    t->vals_stride = ns;
  }
  t->cols[t->n_cols] = (column_t){.name = strdup(name)};
  if (!t->cols[t->n_cols].name) return -1;
  return (int)t->n_cols++;
}

static int put(table_t *t, size_t run, const char *name, const json_t *v) {
  if (!json_is_number(v)) return 0;
  int c = col_index(t, name, true);
  if (c < 0) return -JZ_ENOMEM;
  t->vals[run * t->vals_stride + (size_t)c] = json_number_value(v);
  return 0;
}

/* obj.a.b... (keys), then put it under prefix + suffix. */
static const json_t *get(const json_t *o, const char *const *keys) {
  for (; *keys && o; keys++) o = json_object_get(o, *keys);
  return o;
}

static int put_path(table_t *t, size_t run, const json_t *o, const char *prefix, const char *path) {
  char name[400], buf[200];
  const char *keys[8];
  int n = 0;
  snprintf(buf, sizeof buf, "%s", path);
  for (char *k = strtok(buf, "."); k && n < 7; k = strtok(NULL, ".")) keys[n++] = k;
  keys[n] = NULL;
  snprintf(name, sizeof name, "%s%s", prefix, path);
  return put(t, run, name, get(o, keys));
}

/* The fixed columns of one run (see the header). */
static int standard_columns(table_t *t, size_t run, const json_t *root) {
  static const char *const top[] = {"wait.mean", "wait.p95", "wait.max", "bounded_slowdown.mean",
                                    "time.makespan", "energy_joules"};
  int rc = 0;
  for (size_t i = 0; i < 6 && !rc; i++) rc = put_path(t, run, root, "", top[i]);
  const char *k;
  json_t *v;
  char prefix[300];
  json_object_foreach((json_t *)json_object_get(root, "partitions"), k, v) {
    if (rc || json_integer_value(json_object_get(v, "jobs")) <= 0) continue;
    snprintf(prefix, sizeof prefix, "partitions.%s.", k);
    rc = put_path(t, run, v, prefix, "utilisation");
    if (!rc && json_integer_value(json_object_get(v, "gpus")) > 0) rc = put_path(t, run, v, prefix, "gpu_utilisation");
    if (!rc) rc = put_path(t, run, v, prefix, "energy_joules");
  }
  static const char *const q[] = {"jobs", "wait.mean", "wait.p95", "wait.max", "mean_bounded_slowdown"};
  json_object_foreach((json_t *)json_object_get(root, "queues"), k, v) {
    if (rc || json_integer_value(json_object_get(v, "jobs")) <= 0) continue;
    snprintf(prefix, sizeof prefix, "queues.%s.", k);
    for (size_t i = 0; i < 5 && !rc; i++) rc = put_path(t, run, v, prefix, q[i]);
  }
  static const char *const r[] = {"utilisation", "accounts_jobs.wait.mean", "accounts_jobs.wait.p95"};
  json_object_foreach((json_t *)json_object_get(root, "reservations"), k, v) {
    snprintf(prefix, sizeof prefix, "reservations.%s.", k);
    for (size_t i = 0; i < 3 && !rc; i++) rc = put_path(t, run, v, prefix, r[i]);
  }
  static const char *const p[] = {"with_reservations.wait.mean", "with_reservations.wait.p95",
                                  "with_reservations.mean_bounded_slowdown",
                                  "without_reservations.wait.mean", "without_reservations.wait.p95",
                                  "without_reservations.mean_bounded_slowdown"};
  const json_t *pod = json_object_get(root, "price_of_dedication");
  for (size_t i = 0; pod && i < 6 && !rc; i++) rc = put_path(t, run, pod, "price_of_dedication.", p[i]);
  return rc;
}

int jz__sweep_parse_target(const char *text, jz_target_t *t, jz_error_t *err) {
  memset(t, 0, sizeof *t);
  static const char *const ops[] = {"<=", ">=", "==", "<", ">"};
  static const jz_target_op_t codes[] = {JZ_TGT_LE, JZ_TGT_GE, JZ_TGT_EQ, JZ_TGT_LT, JZ_TGT_GT};
  const char *at = NULL;
  int which = -1;
  for (int i = 0; i < 5 && which < 0; i++)
    if ((at = strstr(text, ops[i]))) which = i;
  if (which < 0)
    return jz_error_set(err, -JZ_EINVAL, "'%s' is not METRIC OP VALUE (OP: <=, <, >=, >, ==)", text);
  const char *m0 = text, *m1 = at;
  while (*m0 == ' ') m0++;
  while (m1 > m0 && m1[-1] == ' ') m1--;
  const char *v0 = at + strlen(ops[which]);
  while (*v0 == ' ') v0++;
  size_t vl = strlen(v0);
  while (vl && v0[vl - 1] == ' ') vl--;
  if (m1 == m0 || (size_t)(m1 - m0) >= sizeof t->metric)
    return jz_error_set(err, -JZ_EINVAL, "'%s': no metric before '%s'", text, ops[which]);
  if (vl == 0 || vl >= sizeof t->value_text)
    return jz_error_set(err, -JZ_EINVAL, "'%s': no value after '%s'", text, ops[which]);
  memcpy(t->metric, m0, (size_t)(m1 - m0));
  memcpy(t->value_text, v0, vl);
  snprintf(t->op_text, sizeof t->op_text, "%s", ops[which]);
  t->op = codes[which];
  char why[96];
  if (jz_units_parse_double(t->value_text, &t->value) != 0 &&
      jz_units_parse(t->value_text, JZ_UNIT_TIME, &t->value, why, sizeof why) != 0)
    return jz_error_set(err, -JZ_EINVAL, "'%s': '%s' is not a number or a duration (e.g. 1h)", text,
                        t->value_text);
  return 0;
}

bool jz__sweep_target_met(const jz_target_t *t, double v) {
  if (isnan(v)) return false;
  switch (t->op) {
  case JZ_TGT_LE: return v <= t->value;
  case JZ_TGT_LT: return v < t->value;
  case JZ_TGT_GE: return v >= t->value;
  case JZ_TGT_GT: return v > t->value;
  default: return v == t->value;
  }
}

static void table_free(table_t *t) {
  for (size_t i = 0; i < t->n_cols; i++) free(t->cols[i].name);
  free(t->cols);
  free(t->vals);
}

/* Read every run's summary.json into t: the standard columns, then the sweep's metrics and
 * the target's (resolved on the first run: short names, per-partition expansion). */
static int read_runs(const jz_manifest_t *m, const jz_target_t *tg, table_t *t, int *tcol, jz_error_t *err) {
  t->n_runs = m->n_runs;
  int rc = 0;
  jz_metric_list_t own = {0};
  for (size_t r = 0; r < m->n_runs && !rc; r++) {
    char path[4400];
    jz__sweep_run_path(m, r, "inputs.sha256", path, sizeof path);
    char *want = jz__sweep_slurp(path, NULL);
    jz__sweep_run_path(m, r, "done", path, sizeof path);
    char *got = jz__sweep_slurp(path, NULL);
    bool done = want && got && !strcmp(want, got);
    free(want);
    free(got);
    if (!done) {
      rc = jz_error_set(err, -JZ_EINVAL, "%s/runs/%s: not done (run it: jzsim sweep run-variant %s %zu)", m->dir,
                        m->names[r], m->dir, r);
      break;
    }
    jz__sweep_run_path(m, r, "out/summary.json", path, sizeof path);
    jz_sumdoc_t *d;
    if ((rc = jz_sumdoc_load(path, &d, err))) break;
    if (t->vals_stride == 0 && col_index(t, "wait.mean", true) < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    if (!rc) rc = standard_columns(t, r, jz_sumdoc_json(d));
    if (rc == -JZ_ENOMEM) jz_error_set(err, rc, "out of memory");
    if (!rc && r == 0) {
      for (size_t i = 0; i < m->n_metrics && !rc; i++) rc = jz_metric_resolve(d, m->metrics[i], &own, err);
      if (!rc && tg) {
        jz_metric_list_t one = {0};
        rc = jz_metric_resolve(d, tg->metric, &one, err);
        if (!rc && one.n != 1)
          rc = jz_error_set(err, -JZ_EINVAL, "target metric '%s' stands for %d metrics; name one (e.g. %s)",
                            tg->metric, one.n, one.v[0].name);
        if (!rc) {
          *tcol = col_index(t, one.v[0].path, true);
          if (*tcol < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
          else {
            t->cols[*tcol].metric = one.v[0];
            t->cols[*tcol].resolved = true;
          }
        }
        jz_metric_list_free(&one);
      }
      for (int i = 0; i < own.n && !rc; i++) {
        int c = col_index(t, own.v[i].path, true);
        if (c < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
        else {
          t->cols[c].metric = own.v[i];
          t->cols[c].resolved = true;
        }
      }
    }
    for (size_t c = 0; c < t->n_cols && !rc; c++) {
      if (!t->cols[c].resolved) continue;
      double v;
      jz_error_t e2;
      if (jz_metric_value(d, &t->cols[c].metric, &v, &e2) == 0) t->vals[r * t->vals_stride + c] = v;
    }
    jz_sumdoc_free(d);
  }
  jz_metric_list_free(&own);
  return rc;
}

int jz_sweep_check_metrics(const char *summary, void *ctx, jz_error_t *err) {
  const jz_manifest_t *m = ctx;
  jz_sumdoc_t *d;
  int rc = jz_sumdoc_load(summary, &d, err);
  jz_metric_list_t l = {0};
  for (size_t i = 0; !rc && i < m->n_metrics; i++) rc = jz_metric_resolve(d, m->metrics[i], &l, err);
  jz_target_t tg;
  if (!rc && m->target && !(rc = jz__sweep_parse_target(m->target, &tg, err))) {
    jz_metric_list_t one = {0};
    rc = jz_metric_resolve(d, tg.metric, &one, err);
    if (!rc && one.n != 1)
      rc = jz_error_set(err, -JZ_EINVAL, "target metric '%s' stands for %d metrics; name one (e.g. %s)",
                        tg.metric, one.n, one.v[0].name);
    jz_metric_list_free(&one);
  }
  jz_metric_list_free(&l);
  jz_sumdoc_free(d);
  return rc;
}

static void print_num(FILE *f, double v) {
  char b[40];
  if (!isnan(v)) fputs(jz_units_fmt_double(v, b), f);
}

/* A CSV field, quoted when it holds a comma or a quote. */
static void csv_field(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

typedef struct combo {
  size_t first_run; /* a run of the combination, for its other axes' values */
  long best;        /* run whose first-axis value is the smallest meeting the target, -1 none */
} combo_t;

/* met[v] per variant (all replicas meet), then the answer per combination of other axes. */
static int answer(const jz_manifest_t *m, const table_t *t, const jz_target_t *tg, int tcol,
                  bool *met, combo_t **out, size_t *n_out) {
  int reps = m->replicas > 0 ? m->replicas : 1;
  for (size_t r = 0; r < m->n_runs; r++) {
    bool ok = jz__sweep_target_met(tg, t->vals[r * t->vals_stride + (size_t)tcol]);
    met[r / (size_t)reps] = (r % (size_t)reps == 0 ? true : met[r / (size_t)reps]) && ok;
  }
  bool numeric = m->n_axes > 0;
  double dummy;
  for (size_t r = 0; r < m->n_runs && numeric; r++) numeric = jz__sweep_axis_number(m->values[r * m->n_axes], &dummy);
  combo_t *c = calloc(m->n_runs ? m->n_runs : 1, sizeof *c);
  if (!c) return -JZ_ENOMEM;
  size_t n = 0;
  for (size_t r = 0; r < m->n_runs; r += (size_t)reps) {
    size_t k = 0;
    while (k < n && !jz__sweep_same_others(m, c[k].first_run, r)) k++;
    if (k == n) c[n++] = (combo_t){.first_run = r, .best = -1};
    if (!met[r / (size_t)reps]) continue;
    if (c[k].best < 0) {
      c[k].best = (long)r;
    } else if (numeric) {
      double a, b;
      jz__sweep_axis_number(m->values[r * m->n_axes], &a);
      jz__sweep_axis_number(m->values[(size_t)c[k].best * m->n_axes], &b);
      if (a < b) c[k].best = (long)r;
    } /* else: the first in the order written stays */
  }
  *out = c;
  *n_out = n;
  return 0;
}

/* Axes of the target table: all but the first and those zipped with it. */
static bool other_axis(const jz_manifest_t *m, size_t a) { return a > 0 && m->group[a] != m->group[0]; }

static int write_target(const jz_manifest_t *m, const jz_target_t *tg, const combo_t *c, size_t n,
                        FILE *csv, FILE *md, FILE *out) {
  size_t n_other = 0;
  for (size_t a = 0; a < m->n_axes; a++) {
    if (!other_axis(m, a)) continue;
    n_other++;
    csv_field(csv, m->axes[a]);
    fputc(',', csv);
  }
  fputs("smallest ", csv);
  csv_field(csv, m->axes[0]);
  fputc('\n', csv);
  fprintf(md, "\n## Target: %s %s %s\n\n|", tg->metric, tg->op_text, tg->value_text);
  for (size_t a = 0; a < m->n_axes; a++)
    if (other_axis(m, a)) fprintf(md, " %s |", m->axes[a]);
  fprintf(md, " smallest %s |\n|", m->axes[0]);
  for (size_t a = 0; a <= n_other; a++) fputs(" --- |", md);
  fputc('\n', md);
  if (out) fprintf(out, "target %s %s %s: smallest %s meeting it (every replica)\n", tg->metric, tg->op_text,
                   tg->value_text, m->axes[0]);
  for (size_t k = 0; k < n; k++) {
    const char *best = c[k].best < 0 ? "none" : m->values[(size_t)c[k].best * m->n_axes];
    fputc('|', md);
    if (out) fputs("  ", out);
    bool first = true;
    for (size_t a = 0; a < m->n_axes; a++) {
      if (!other_axis(m, a)) continue;
      const char *v = m->values[c[k].first_run * m->n_axes + a];
      csv_field(csv, v);
      fputc(',', csv);
      fprintf(md, " %s |", v);
      if (out) fprintf(out, "%s%s=%s", first ? "" : ", ", m->axes[a], v);
      first = false;
    }
    csv_field(csv, best);
    fputc('\n', csv);
    fprintf(md, " %s |\n", best);
    if (out) fprintf(out, "%s%s\n", n_other ? ": " : "", best);
  }
  return 0;
}

/* Open path.tmp for writing; committed by finish(). */
static FILE *start(const char *dir, const char *name, char *tmp, size_t len) {
  snprintf(tmp, len, "%s/%s.tmp", dir, name);
  return fopen(tmp, "w");
}

static int finish(FILE *f, const char *tmp, jz_error_t *err) {
  bool bad = ferror(f) != 0;
  bad = (fclose(f) != 0) || bad;
  char dst[4400];
  snprintf(dst, sizeof dst, "%.*s", (int)(strlen(tmp) - 4), tmp);
  if (bad || rename(tmp, dst) != 0) {
    unlink(tmp);
    return jz_error_set(err, -JZ_EIO, "%s: cannot write", dst);
  }
  return 0;
}

int jz_sweep_collect(const jz_manifest_t *m, FILE *out, bool plot, const char *gnuplot, jz_error_t *err) {
  jz_target_t tg;
  bool has_target = m->target != NULL;
  if (has_target && jz__sweep_parse_target(m->target, &tg, err)) return err->code;
  table_t t = {0};
  int tcol = -1;
  int rc = read_runs(m, has_target ? &tg : NULL, &t, &tcol, err);
  int reps = m->replicas > 0 ? m->replicas : 1;
  bool *met = calloc(m->n_runs / (size_t)reps + 1, sizeof *met);
  combo_t *combos = NULL;
  size_t n_combos = 0;
  if (!rc && !met) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (!rc && has_target && answer(m, &t, &tg, tcol, met, &combos, &n_combos))
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  char tc[4400], tm[4400], tt[4400];
  FILE *csv = rc ? NULL : start(m->dir, "results.csv", tc, sizeof tc);
  FILE *md = csv ? start(m->dir, "results.md", tm, sizeof tm) : NULL;
  FILE *tf = md && has_target ? start(m->dir, "target.csv", tt, sizeof tt) : NULL;
  if (!rc && (!csv || !md || (has_target && !tf))) rc = jz_error_set(err, -JZ_EIO, "%s: cannot write its results", m->dir);
  if (!rc) {
    /* results.csv: every column. */
    fputs("run,replica", csv);
    for (size_t a = 0; a < m->n_axes; a++) {
      fputc(',', csv);
      csv_field(csv, m->axes[a]);
    }
    for (size_t c = 0; c < t.n_cols; c++) {
      fputc(',', csv);
      csv_field(csv, t.cols[c].name); /* the canonical path: stable whatever was typed */
    }
    if (has_target) fputs(",target_met", csv);
    fputc('\n', csv);
    /* results.md: the axes and the chosen metrics (the sweep's, else four standard ones). */
    size_t shown[64], n_shown = 0;
    for (size_t c = 0; c < t.n_cols && n_shown < 64; c++)
      if (t.cols[c].resolved) shown[n_shown++] = c;
    for (size_t c = 0; n_shown == 0 && c < 4 && c < t.n_cols; c++) shown[c] = c;
    if (!n_shown) n_shown = t.n_cols < 4 ? t.n_cols : 4;
    fputs("| run | replica |", md);
    for (size_t a = 0; a < m->n_axes; a++) fprintf(md, " %s |", m->axes[a]);
    for (size_t i = 0; i < n_shown; i++)
      fprintf(md, " %s |", t.cols[shown[i]].resolved ? t.cols[shown[i]].metric.name : t.cols[shown[i]].name);
    fprintf(md, "%s\n|", has_target ? " target met |" : "");
    for (size_t i = 0; i < 2 + m->n_axes + n_shown + has_target; i++) fputs(" --- |", md);
    fputc('\n', md);
    for (size_t r = 0; r < m->n_runs; r++) {
      fprintf(csv, "%s,%d", m->names[r], m->replica[r]);
      fprintf(md, "| %s | %d |", m->names[r], m->replica[r]);
      for (size_t a = 0; a < m->n_axes; a++) {
        fputc(',', csv);
        csv_field(csv, m->values[r * m->n_axes + a]);
        fprintf(md, " %s |", m->values[r * m->n_axes + a]);
      }
      for (size_t c = 0; c < t.n_cols; c++) {
        fputc(',', csv);
        print_num(csv, t.vals[r * t.vals_stride + c]);
      }
      for (size_t i = 0; i < n_shown; i++) {
        /* For reading: 4 significant digits, whole numbers from 1000 (results.csv has every digit). */
        double v = t.vals[r * t.vals_stride + shown[i]];
        if (isnan(v)) fputs("  |", md);
        else fprintf(md, fabs(v) >= 1000 ? " %.0f |" : " %.4g |", v);
      }
      if (has_target) {
        bool ok = jz__sweep_target_met(&tg, t.vals[r * t.vals_stride + (size_t)tcol]);
        fprintf(csv, ",%s", ok ? "yes" : "no");
        fprintf(md, " %s |", ok ? "yes" : "no");
      }
      fputc('\n', csv);
      fputc('\n', md);
    }
    if (has_target) write_target(m, &tg, combos, n_combos, tf, md, out);
  }
  if (csv && !rc) rc = finish(csv, tc, err);
  if (md && !rc) rc = finish(md, tm, err);
  if (tf && !rc) rc = finish(tf, tt, err);
  for (size_t c = 0; plot && !rc && c < t.n_cols; c++)
    if (t.cols[c].resolved)
      rc = jz__sweep_plot_metric(m, t.cols[c].metric.name, t.cols[c].metric.seconds, t.vals + c,
                                 t.vals_stride, gnuplot, err);
  free(combos);
  free(met);
  table_free(&t);
  return rc;
}
