/* compare.c: `jzsim compare BASE NEW`, the regression gate: the metrics of two runs'
 * summary.json side by side against tolerances, and with --jobs the per-job start changes
 * from their jobs.csv. Exit 0 all within tolerance, 1 a regression, 2 bad input. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compare/jobdiff.h"
#include "compare/metric.h"
#include "compare/tolerance.h"
#include "units.h"

#define EXIT_REGRESSION 1

static const char HELP_COMPARE[] =
    "usage: jzsim compare BASE_DIR NEW_DIR [--metric NAME[:TOLERANCE]]... [--jobs]\n"
    "\n"
    "Compares two runs' outputs (DIR/summary.json, and DIR/jobs.csv with --jobs) and prints a\n"
    "table: metric, base, new, change, tolerance, verdict. The runs must have replayed the\n"
    "same inputs (same workload files by sha256, scale, offset, max_jobs, procs_per_node,\n"
    "lenient); different policies, platforms, experiment files and other options are\n"
    "allowed and named in the header.\n"
    "\n"
    "  --metric NAME[:TOL]  a metric to compare; repeatable; replaces the defaults. Without\n"
    "                       :TOL it is reported, not gated.\n"
    "  --jobs               also pair the jobs of both jobs.csv (by workload_name and job_id)\n"
    "                       and report how many start later or earlier, by how much, and the\n"
    "                       10 most delayed (informative: does not change the exit status)\n"
    "\n"
    "NAME: a short name (mean_wait median_wait p95_wait max_wait mean_bounded_slowdown\n"
    "max_bounded_slowdown makespan energy; utilisation and gpu_utilisation: one row per\n"
    "partition that ran jobs) or the dotted path of any number in summary.json, short names\n"
    "allowed at any level: wait.p95, queues.qos_gpu-t3.mean_wait,\n"
    "partitions.gpu_p13.gpu_utilisation, inputs.workloads.0.jobs; keys containing '.' or ':'\n"
    "in double quotes: 'queues.\"qos.a\".mean_wait:+5%'.\n"
    "\n"
    "TOL: a sign then an amount. '+' means higher is worse (new may be at most that much above\n"
    "base), '-' lower is worse (at most that much below). Amount: N% of |base|, a number N in\n"
    "the metric's unit, or a duration for metrics in seconds (ns us ms s min h d w): +5%,\n"
    "-1%, +60s, +2h, -0.01. A value exactly at the limit passes.\n"
    "\n"
    "defaults: mean_wait:+5% p95_wait:+10% mean_bounded_slowdown:+5% utilisation:-1%\n"
    "\n"
    "exit status: 0 every gated metric within tolerance, 1 at least one regression,\n"
    "2 bad input (missing or malformed files, unknown metric, runs of different inputs).\n";

static void help_compare(FILE *f) { fputs(HELP_COMPARE, f); }

static const char *const default_metrics[] = {"mean_wait:+5%", "p95_wait:+10%",
                                              "mean_bounded_slowdown:+5%", "utilisation:-1%"};

typedef struct row {
  char name[160], base[40], new_[40], change[64], tol[40];
  jz_verdict_t verdict;
  const char *spec; /* the --metric that made it */
} row_t;

/* "NAME:TOL" split at its last ':' outside double quotes (name keeps its quotes). */
static void split_spec(const char *spec, char *name, size_t len, const char **tol) {
  const char *colon = NULL;
  bool quoted = false;
  for (const char *c = spec; *c; c++) {
    if (*c == '"') quoted = !quoted;
    if (*c == ':' && !quoted) colon = c;
  }
  size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
  if (n >= len) n = len - 1;
  memcpy(name, spec, n);
  name[n] = '\0';
  *tol = colon ? colon + 1 : NULL;
}

static void change_text(double base, double nw, char *buf, size_t len) {
  char d[40];
  double diff = nw - base;
  if (diff == 0) {
    snprintf(buf, len, "0");
    return;
  }
  jz_tol_fmt_num(diff, true, d);
  if (base != 0)
    snprintf(buf, len, "%s (%+.2f%%)", d, 100.0 * diff / (base < 0 ? -base : base));
  else
    snprintf(buf, len, "%s", d);
}

/* Rows of one --metric spec. */
static int metric_rows(const char *spec, const jz_sumdoc_t *b, const jz_sumdoc_t *n, row_t **rows,
                       int *nrows, int *cap, jz_error_t *err) {
  char name[512];
  const char *ttext;
  split_spec(spec, name, sizeof name, &ttext);
  jz_tol_t tol = {.kind = JZ_TOL_NONE};
  if (ttext) {
    jz_error_t e2;
    if (jz_tol_parse(ttext, &tol, &e2))
      return jz_error_set(err, e2.code, "--metric '%s': %s", spec, e2.msg);
  }
  jz_metric_list_t l = {0};
  int rc = jz_metric_resolve(b, name, &l, err);
  for (int k = 0; rc == 0 && k < l.n; k++) {
    const jz_metric_t *m = &l.v[k];
    if (tol.time_unit && !m->seconds) {
      rc = jz_error_set(err, -JZ_EUNIT,
                        "--metric '%s': a duration tolerance, but '%s' is not in seconds (use a "
                        "percentage or a plain number)",
                        spec, m->name);
      break;
    }
    /* A metric named twice (twice the same --metric, or a pattern and a name): one row; with
     * two tolerances, which gate would hold is ambiguous, so that is an error. */
    const char *tt = ttext ? tol.text : "-";
    bool dup = false;
    for (int q = 0; q < *nrows && !dup; q++) {
      const row_t *o = &(*rows)[q];
      if (strcmp(o->name, m->name) != 0) continue;
      if (strcmp(o->tol, tt) != 0) {
        rc = jz_error_set(err, -JZ_EINVAL, "--metric '%s': metric '%s' is compared already, by --metric '%s', "
                          "with another tolerance (%s)", spec, m->name, o->spec, o->tol);
        break;
      }
      dup = true;
    }
    if (rc) break;
    if (dup) continue;
    double vb, vn;
    if ((rc = jz_metric_value(b, m, &vb, err)) || (rc = jz_metric_value(n, m, &vn, err))) break;
    if (*nrows == *cap) {
      *cap = *cap ? 2 * *cap : 16;
      row_t *r = realloc(*rows, (size_t)*cap * sizeof *r);
      if (!r) {
        rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
        break;
      }
      *rows = r;
    }
    row_t *r = &(*rows)[(*nrows)++];
    snprintf(r->name, sizeof r->name, "%s", m->name);
    jz_tol_fmt_num(vb, false, r->base);
    jz_tol_fmt_num(vn, false, r->new_);
    change_text(vb, vn, r->change, sizeof r->change);
    snprintf(r->tol, sizeof r->tol, "%s", tt);
    r->spec = spec;
    r->verdict = jz_tol_check(&tol, vb, vn, NULL);
  }
  jz_metric_list_free(&l);
  return rc;
}

static int width(int w, const char *s) {
  int n = (int)strlen(s);
  return n > w ? n : w;
}

static const char *verdict_text(jz_verdict_t v) {
  return v == JZ_VERDICT_OK ? "ok" : (v == JZ_VERDICT_REGRESSION ? "REGRESSION" : "-");
}

/* The table and its one-line result; returns the number of regressions. */
static int print_table(FILE *f, const row_t *rows, int n) {
  int w[5] = {6, 4, 3, 6, 9}; /* metric base new change tolerance */
  for (int i = 0; i < n; i++) {
    w[0] = width(w[0], rows[i].name);
    w[1] = width(w[1], rows[i].base);
    w[2] = width(w[2], rows[i].new_);
    w[3] = width(w[3], rows[i].change);
    w[4] = width(w[4], rows[i].tol);
  }
  fprintf(f, "%-*s  %*s  %*s  %*s  %*s  verdict\n", w[0], "metric", w[1], "base", w[2], "new",
          w[3], "change", w[4], "tolerance");
  int gated = 0, bad = 0;
  for (int i = 0; i < n; i++) {
    const row_t *r = &rows[i];
    fprintf(f, "%-*s  %*s  %*s  %*s  %*s  %s\n", w[0], r->name, w[1], r->base, w[2], r->new_,
            w[3], r->change, w[4], r->tol, verdict_text(r->verdict));
    gated += r->verdict != JZ_VERDICT_INFO;
    bad += r->verdict == JZ_VERDICT_REGRESSION;
  }
  if (bad) {
    fprintf(f, "result: %d of %d gated metrics regressed:", bad, gated);
    for (int i = 0; i < n; i++)
      if (rows[i].verdict == JZ_VERDICT_REGRESSION) fprintf(f, " %s", rows[i].name);
    fputc('\n', f);
  } else {
    fprintf(f, "result: ok, %d gated metric%s within tolerance\n", gated, gated == 1 ? "" : "s");
  }
  return bad;
}

static void print_jobs(FILE *f, const jz_jobdiff_t *d) {
  char a[40], b[40], c[40];
  fprintf(f, "\njobs         %ld paired by workload_name and job_id, %ld started in both runs\n",
          d->jobs, d->started);
  fprintf(f, "  later      %ld, mean delay %s s\n", d->later, jz_tol_fmt_num(d->later_mean, false, a));
  fprintf(f, "  earlier    %ld, mean advance %s s\n", d->earlier,
          jz_tol_fmt_num(d->earlier_mean, false, a));
  fprintf(f, "  unchanged  %ld\n", d->unchanged);
  fprintf(f, "  rejected   %ld in both, %ld only in base, %ld only in new\n", d->rejected_both,
          d->rejected_base_only, d->rejected_new_only);
  if (d->started)
    fprintf(f, "  delay (s)  mean %s, p95 %s, max %s (new start - base start)\n",
            jz_tol_fmt_num(d->delay.mean, true, a), jz_tol_fmt_num(d->delay.p95, true, b),
            jz_tol_fmt_num(d->delay.max, true, c));
  if (!d->n_worst) return;
  int w[4] = {6, 8, 10, 9};
  char t[JZ_JOBDIFF_WORST][3][32];
  for (int i = 0; i < d->n_worst; i++) {
    jz_units_fmt_double(d->worst[i].base_start, t[i][0]);
    jz_units_fmt_double(d->worst[i].new_start, t[i][1]);
    jz_units_fmt_double(d->worst[i].delay, t[i][2]);
    w[0] = width(w[0], d->worst[i].job_id);
    w[1] = width(w[1], d->worst[i].workload);
    w[2] = width(w[2], t[i][0]);
    w[3] = width(w[3], t[i][1]);
  }
  fprintf(f, "most delayed\n  %-*s  %-*s  %*s  %*s  delay\n", w[0], "job_id", w[1], "workload",
          w[2], "base_start", w[3], "new_start");
  for (int i = 0; i < d->n_worst; i++)
    fprintf(f, "  %-*s  %-*s  %*s  %*s  +%s\n", w[0], d->worst[i].job_id, w[1],
            d->worst[i].workload, w[2], t[i][0], w[3], t[i][1], t[i][2]);
}

/* DIR/NAME, without doubling a '/' that ends DIR (messages quote the path). */
static void in_dir(char *buf, size_t len, const char *dir, const char *name) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  snprintf(buf, len, "%.*s/%s", (int)n, dir, name);
}

/* The runs replayed the same files in the same order (checked); a file the new run knows under
 * another name has its rows renamed to the base's name, when the names map one to one (two
 * files of one name in a run are left as they are). */
static int pair_workload_names(jz_jobs_csv_t *tn, const jz_sumdoc_t *b, const jz_sumdoc_t *n,
                               jz_error_t *err) {
  size_t k = jz_sumdoc_workloads(b), m = 0;
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < k; j++) {
      const char *bi = jz_sumdoc_workload_name(b, i), *bj = jz_sumdoc_workload_name(b, j);
      const char *ni = jz_sumdoc_workload_name(n, i), *nj = jz_sumdoc_workload_name(n, j);
      if (!bi || !bj || !ni || !nj || (strcmp(bi, bj) == 0) != (strcmp(ni, nj) == 0)) return 0;
    }
  const char **from = malloc((k ? k : 1) * sizeof *from), **to = malloc((k ? k : 1) * sizeof *to);
  if (!from || !to) {
    free(from);
    free(to);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < k; i++)
    if (strcmp(jz_sumdoc_workload_name(b, i), jz_sumdoc_workload_name(n, i)) != 0) {
      from[m] = jz_sumdoc_workload_name(n, i);
      to[m++] = jz_sumdoc_workload_name(b, i);
    }
  if (m) jz_jobs_csv_rename_workloads(tn, from, to, m);
  free(from);
  free(to);
  return 0;
}

static int jobs_section(FILE *f, const char *bdir, const char *ndir, const jz_sumdoc_t *sb,
                        const jz_sumdoc_t *sn, jz_error_t *err) {
  char pb[4096], pn[4096];
  in_dir(pb, sizeof pb, bdir, "jobs.csv");
  in_dir(pn, sizeof pn, ndir, "jobs.csv");
  jz_jobs_csv_t *tb = NULL, *tn = NULL;
  jz_jobdiff_t d;
  int rc = jz_jobs_csv_load(pb, &tb, err);
  if (!rc) rc = jz_jobs_csv_load(pn, &tn, err);
  if (!rc) rc = pair_workload_names(tn, sb, sn, err);
  if (!rc) rc = jz_jobdiff_compute(tb, tn, &d, err);
  if (!rc) print_jobs(f, &d); /* before the tables are freed: d points into tb */
  jz_jobs_csv_free(tb);
  jz_jobs_csv_free(tn);
  return rc;
}

static int cmd_compare(int argc, char **argv) {
  const char *dirs[2] = {NULL, NULL};
  const size_t ndef = sizeof default_metrics / sizeof *default_metrics;
  const char **specs = calloc((size_t)argc + ndef, sizeof *specs);
  int nspecs = 0;
  bool jobs = false;
  if (!specs) return jz_cli_usage("%s%s", "out of memory", "");
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--jobs") == 0) {
      jobs = true;
    } else if (strcmp(a, "--metric") == 0) {
      if (i + 1 == argc) {
        free(specs);
        return jz_cli_usage("compare: %s needs a value%s", a, " (--metric NAME[:TOLERANCE])");
      }
      specs[nspecs++] = argv[++i];
    } else if (strncmp(a, "--metric=", 9) == 0) {
      specs[nspecs++] = a + 9;
    } else if (a[0] == '-' && a[1]) {
      free(specs);
      return jz_cli_usage("compare: unknown option '%s'%s", a, " (see 'jzsim help compare')");
    } else if (!dirs[0] || !dirs[1]) {
      dirs[dirs[0] ? 1 : 0] = a;
    } else {
      free(specs);
      return jz_cli_usage("compare: two directories only (got '%s' after '%s')", a, dirs[1]);
    }
  }
  if (!dirs[1]) {
    free(specs);
    return jz_cli_usage("%s%s", "usage: jzsim compare BASE_DIR NEW_DIR [--metric NAME[:TOL]]... [--jobs]", "");
  }
  if (nspecs == 0)
    for (size_t k = 0; k < ndef; k++)
      specs[nspecs++] = default_metrics[k];

  jz_error_t err = {0};
  jz_sumdoc_t *doc[2] = {NULL, NULL};
  row_t *rows = NULL;
  int nrows = 0, cap = 0, rc = 0, bad = 0;
  char *out = NULL;
  size_t outlen = 0;
  FILE *f = open_memstream(&out, &outlen); /* printed only when everything succeeded */
  if (!f) rc = jz_error_set(&err, -JZ_ENOMEM, "out of memory");
  for (int k = 0; k < 2 && !rc; k++) {
    char path[4096];
    in_dir(path, sizeof path, dirs[k], "summary.json");
    rc = jz_sumdoc_load(path, &doc[k], &err);
  }
  if (!rc) {
    fprintf(f, "jzsim compare: base %s, new %s\n", dirs[0], dirs[1]);
    rc = jz_sumdoc_check_inputs(doc[0], doc[1], f, &err);
  }
  for (int k = 0; k < nspecs && !rc; k++) rc = metric_rows(specs[k], doc[0], doc[1], &rows, &nrows, &cap, &err);
  if (!rc) {
    fputc('\n', f);
    bad = print_table(f, rows, nrows);
    if (jobs) rc = jobs_section(f, dirs[0], dirs[1], doc[0], doc[1], &err);
  }
  if (f) fclose(f);
  if (!rc) fwrite(out, 1, outlen, stdout);
  free(out);
  free(rows);
  free(specs);
  jz_sumdoc_free(doc[0]);
  jz_sumdoc_free(doc[1]);
  if (rc) return jz_cli_fail(&err);
  return bad ? EXIT_REGRESSION : 0;
}

const jz_cli_command_t jz_cli_compare = {
    .name = "compare",
    .summary = "  compare BASE NEW compare two runs against tolerances (exit 1 on a regression)\n",
    .main = cmd_compare,
    .help = help_compare,
};
