/* plot.c: one gnuplot chart per chosen metric of a sweep: the metric against the first axis,
 * one line per combination of the other axes; with replicas, the line joins the replicas'
 * mean and the error bar spans their min and max.
 *
 * The first axis is a numeric x axis when all its values are numbers or durations (in seconds),
 * else categories in the order written. The data and the script go into a private mkdtemp
 * directory; gnuplot (run by sim/plot's runner) writes DIR/NAME.tmp.png and .svg, renamed once
 * both are complete. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot/gnuplot.h"
#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "units.h"

/* A gnuplot single-quoted string: only '' is special there. */
static void gq(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'') fputc('\'', f);
    fputc(*s, f);
  }
  fputc('\'', f);
}

/* File name from a metric name: [A-Za-z0-9_.-] kept, anything else '_'. */
static void file_name(const char *metric, char *buf, size_t len) {
  size_t i = 0;
  for (; metric[i] && i + 1 < len; i++) {
    char c = metric[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_.-", c);
    buf[i] = ok ? c : '_';
  }
  buf[i] = '\0';
}

int jz__sweep_plot_metric(const jz_manifest_t *m, const char *metric, bool seconds, const double *vals,
                          size_t stride, const char *gnuplot, jz_error_t *err) {
  if (!gnuplot || !*gnuplot) gnuplot = "gnuplot";
  if (m->n_axes == 0 || m->n_runs == 0) return 0;
  const char *td = getenv("TMPDIR");
  char tdir[4096];
  snprintf(tdir, sizeof tdir, "%s/jzsim-sweep-plot-XXXXXX", td && *td ? td : "/tmp");
  if (!mkdtemp(tdir)) return jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", tdir, strerror(errno));
  bool numeric = true;
  double d;
  for (size_t r = 0; r < m->n_runs && numeric; r++) numeric = jz__sweep_axis_number(m->values[r * m->n_axes], &d);
  /* Series: combinations of the other axes, in order of first appearance. */
  size_t *series = malloc(m->n_runs * sizeof *series), n_series = 0;
  size_t *xs = malloc(m->n_runs * sizeof *xs), n_x = 0; /* runs with distinct first-axis values */
  int rc = (!series || !xs) ? jz_error_set(err, -JZ_ENOMEM, "out of memory") : 0;
  for (size_t r = 0; !rc && r < m->n_runs; r++) {
    size_t k = 0;
    while (k < n_series && !jz__sweep_same_others(m, series[k], r)) k++;
    if (k == n_series) series[n_series++] = r;
    k = 0;
    while (k < n_x && strcmp(m->values[xs[k] * m->n_axes], m->values[r * m->n_axes])) k++;
    if (k == n_x) xs[n_x++] = r;
  }
  char base[200], script[4200];
  file_name(metric, base, sizeof base);
  snprintf(script, sizeof script, "%s/plot.gp", tdir);
  FILE *g = rc ? NULL : fopen(script, "w");
  if (!rc && !g) rc = jz_error_set(err, -JZ_EIO, "%s: cannot create", script);
  for (size_t k = 0; !rc && k < n_series; k++) {
    char dp[4200];
    snprintf(dp, sizeof dp, "%s/s%zu.dat", tdir, k);
    FILE *f = fopen(dp, "w");
    if (!f) {
      rc = jz_error_set(err, -JZ_EIO, "%s: cannot create", dp);
      break;
    }
    for (size_t x = 0; x < n_x; x++) {
      double sum = 0, lo = INFINITY, hi = -INFINITY;
      int n = 0;
      for (size_t r = 0; r < m->n_runs; r++) {
        if (!jz__sweep_same_others(m, series[k], r) || strcmp(m->values[r * m->n_axes], m->values[xs[x] * m->n_axes])) continue;
        double v = vals[r * stride];
        if (isnan(v)) continue;
        sum += v;
        n++;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!n) continue;
      double xv = (double)x;
      if (numeric) jz__sweep_axis_number(m->values[xs[x] * m->n_axes], &xv);
      fprintf(f, "%.17g %.17g %.17g %.17g \"%s\"\n", xv, sum / n, lo, hi, m->values[xs[x] * m->n_axes]);
    }
    if (fclose(f) != 0) rc = jz_error_set(err, -JZ_EIO, "%s: cannot write", dp);
  }
  if (!rc) {
    const char *const term[2] = {"pngcairo noenhanced size 900,560 font 'sans,10'",
                                  "svg noenhanced size 900,560 font 'sans,10'"};
    const char *const ext[2] = {"png", "svg"};
    for (int t = 0; t < 2; t++) {
      fprintf(g, "set terminal %s\nset output ", term[t]);
      char outp[4400];
      snprintf(outp, sizeof outp, "%s/%s.tmp.%s", m->dir, base, ext[t]);
      gq(g, outp);
      fputs("\nset grid\nset key below\nset title ", g);
      gq(g, metric);
      fputs("\nset xlabel ", g);
      gq(g, m->axes[0]);
      fputs("\nset ylabel ", g);
      char yl[300];
      snprintf(yl, sizeof yl, "%s%s", metric, seconds ? " (s)" : "");
      gq(g, yl);
      if (numeric) fputs("\nset offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n", g);
      else fprintf(g, "\nset offsets 0, 0, graph 0.05, graph 0.05\nset xrange [-0.5:%zu.5]\n", n_x - 1);
      fputs("plot ", g);
      for (size_t k = 0; k < n_series; k++) {
        char dp[4200], title[600] = "";
        snprintf(dp, sizeof dp, "%s/s%zu.dat", tdir, k);
        for (size_t a = 1; a < m->n_axes; a++) {
          if (m->group[a] == m->group[0]) continue; /* moves with the x axis */
          size_t u = strlen(title);
          snprintf(title + u, sizeof title - u, "%s%s=%s", u ? ", " : "", m->axes[a], m->values[series[k] * m->n_axes + a]);
        }
        if (k) fputs(", \\\n     ", g);
        gq(g, dp);
        fputs(numeric ? " using 1:2:3:4 with yerrorlines pt 7 title " : " using 1:2:3:4:xtic(5) with yerrorlines pt 7 title ", g);
        gq(g, *title ? title : metric);
      }
      fputs("\nunset output\n", g);
    }
  }
  if (g && fclose(g) != 0 && !rc) rc = jz_error_set(err, -JZ_EIO, "%s: cannot write", script);
  char errpath[4200];
  snprintf(errpath, sizeof errpath, "%s/gnuplot.err", tdir);
  if (!rc) rc = jz_plot_run_gnuplot(gnuplot, script, errpath, err); /* sim/plot's runner */
  unlink(errpath);
  for (int t = 0; t < 2; t++) {
    const char *ext = t ? "svg" : "png";
    char a[4400], b[4400];
    snprintf(a, sizeof a, "%s/%s.tmp.%s", m->dir, base, ext);
    snprintf(b, sizeof b, "%s/%s.%s", m->dir, base, ext);
    if (!rc && rename(a, b) != 0) rc = jz_error_set(err, -JZ_EIO, "%s: cannot write: %s", b, strerror(errno));
    if (rc) unlink(a);
  }
  for (size_t k = 0; k < n_series; k++) {
    char dp[4200];
    snprintf(dp, sizeof dp, "%s/s%zu.dat", tdir, k);
    unlink(dp);
  }
  unlink(script);
  rmdir(tdir);
  free(series);
  free(xs);
  return rc;
}
