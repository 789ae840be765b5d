/* plot/script.c: the gnuplot script of `jzsim plot` (see script.h). */
#include "plot/script.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

const char *const jz_plot_chart_names[JZ_PLOT_NCHARTS] = {"queue_length", "utilisation", "waits"};

/* ---- growable text ----------------------------------------------------------------------- */

static void sb_grow(jz_plot_text_t *b, size_t need) {
  if (b->oom || b->n + need + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + need + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return;
  }
  b->p = p;
  b->cap = cap;
}

static void sb_printf(jz_plot_text_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(jz_plot_text_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (k < 0) {
    b->oom = true;
    return;
  }
  sb_grow(b, (size_t)k);
  if (b->oom) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
  va_end(ap);
  b->n += (size_t)k;
}

/* A gnuplot single-quoted string: only '' is special there, so names and paths go through
 * verbatim; control characters (a newline would end the command) become '?'. */
static void sb_quote(jz_plot_text_t *b, const char *s) {
  sb_grow(b, 2 * strlen(s) + 2);
  if (b->oom) return;
  b->p[b->n++] = '\'';
  for (; *s; s++) {
    if (*s == '\'') b->p[b->n++] = '\'';
    b->p[b->n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
  }
  b->p[b->n++] = '\'';
  b->p[b->n] = '\0';
}

/* ---- charts ------------------------------------------------------------------------------ */

void jz_plot_data_path(const jz_plot_t *p, char tag, size_t i, char *buf, size_t len) {
  snprintf(buf, len, "%s/%c%zu.dat", p->tmp, tag, i);
}

/* Ten distinct colours (Tableau 10), then the same ten with a dash pattern, and so on: dozens
 * of series stay apart. Plain dots come last: on a jagged series they read as scatter. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
static const char *const dashes[] = {"1", "(10,5)", "(12,4,3,4)", "(5,4)", "(2,3)"};

static void chart_common(jz_plot_text_t *b, size_t nseries) {
  sb_printf(b, "reset\n"
               "set encoding utf8\n"
               "set border 3 lw 1 lc rgb '#404040'\n"
               "set tics nomirror out scale 0.6\n"
               "set grid back xtics ytics lt 1 lw 1 lc rgb '#e0e0e0'\n"
               "set title font ',13'\n"
               "set lmargin 11\n");
  /* The key goes outside, right of the frame, so it never hides data; gnuplot adds columns
   * when the entries do not fit one, and the font shrinks with their number. */
  sb_printf(b, "set key outside right top vertical Left reverse noenhanced samplen 2.5 "
               "spacing 1.05 font ',%d'\n",
            nseries > 40 ? 7 : nseries > 20 ? 8 : 10);
  for (size_t i = 0; i < nseries; i++)
    sb_printf(b, "set style line %zu lc rgb '%s' lw 1.6 dt %s\n", i + 1, palette[i % 10],
              dashes[(i / 10) % 5]);
}

static void chart_empty(jz_plot_text_t *b, const char *what) {
  sb_printf(b, "set label 1 ");
  sb_quote(b, what);
  sb_printf(b, " at graph 0.5, graph 0.5 center font ',12' tc rgb '#808080'\n"
               "unset key\nunset grid\nunset xtics\nunset ytics\nunset logscale\n"
               "set xrange [0:1]\nset yrange [0:1]\nplot -1 notitle\n");
}

static void chart_plot_series(jz_plot_text_t *b, const jz_plot_t *p, char tag, const jz_plot_sset_t *ss,
                              const char *const *titles) {
  sb_printf(b, "plot ");
  for (size_t i = 0; i < ss->n; i++) {
    char path[sizeof p->tmp + 32];
    jz_plot_data_path(p, tag, i, path, sizeof path);
    sb_quote(b, path);
    /* A lone point (one row, at the last time) has no step to draw: mark it. */
    bool lone = ss->s[i].n == 1;
    sb_printf(b, " using 1:2 with %s ls %zu%s title ", lone ? "points" : "steps", i + 1,
              lone ? " pt 7" : "");
    sb_quote(b, titles[i]);
    sb_printf(b, "%s", i + 1 < ss->n ? ", \\\n     " : "\n");
  }
}

/* The time axis: days since the first row, which is said in the label when it is not 0. */
static void chart_time_axis(jz_plot_text_t *b, const jz_plot_steps_t *st) {
  double span = st->t1 - st->t0;
  if (span < 0) { /* no rows: a frame with a note, no range to speak of */
    sb_printf(b, "set xlabel 'time (days)'\n");
    return;
  }
  if (st->t0 == 0)
    sb_printf(b, "set xlabel 'time (days)'\n");
  else
    sb_printf(b, "set xlabel 'time since the first record at t = %.15g s (days)'\n", st->t0);
  sb_printf(b, "set xrange [0:%.17g]\n", span > 0 ? span / JZ_PLOT_SECONDS_PER_DAY : 1.0);
}

static int chart_queues(jz_plot_text_t *b, const jz_plot_t *p) {
  const jz_plot_sset_t *ss = &p->q.ss;
  chart_common(b, ss->n);
  sb_printf(b, "set title 'Queue length: waiting jobs per queue'\n"
               "set ylabel 'waiting jobs'\n"
               "set key title 'queue (peak)'\n");
  chart_time_axis(b, &p->q);
  if (ss->n == 0) {
    chart_empty(b, "no rows in queues.csv");
    return 0;
  }
  double ymax = 0;
  for (size_t i = 0; i < ss->n; i++) ymax = fmax(ymax, ss->s[i].ymax);
  sb_printf(b, "set yrange [0:%.17g]\n", ymax > 0 ? ymax * 1.05 : 1.0);
  if (ymax <= 10) sb_printf(b, "set ytics 1\n"); /* counts: no fractional ticks */
  char **titles = calloc(ss->n, sizeof *titles);
  if (!titles) return -JZ_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ss->n && rc == 0; i++) {
    size_t len = strlen(ss->s[i].name) + 32;
    if (!(titles[i] = malloc(len))) rc = -JZ_ENOMEM;
    else snprintf(titles[i], len, "%s (%.15g)", ss->s[i].name, ss->s[i].ymax);
  }
  if (rc == 0) chart_plot_series(b, p, 'q', ss, (const char *const *)titles);
  for (size_t i = 0; i < ss->n; i++) free(titles[i]);
  free(titles);
  return rc;
}

static int chart_util(jz_plot_text_t *b, const jz_plot_t *p) {
  const jz_plot_sset_t *ss = &p->u.ss;
  chart_common(b, ss->n);
  sb_printf(b, "set title \"Utilisation per partition\\n{/*0.8 busy GPUs / total GPUs on GPU "
               "partitions, busy cores / total cores otherwise}\" enhanced\n"
               "set ylabel 'busy fraction'\n"
               "set key title 'partition (time-weighted mean)'\n"
               "set yrange [0:1.04]\nset ytics 0.2\nset format y '%%.1f'\n");
  chart_time_axis(b, &p->u);
  if (ss->n == 0) {
    chart_empty(b, "no rows in utilisation.csv");
    return 0;
  }
  char **titles = calloc(ss->n, sizeof *titles);
  if (!titles) return -JZ_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ss->n && rc == 0; i++) {
    const jz_plot_series_t *s = &ss->s[i];
    size_t len = strlen(s->name) + 48;
    if (!(titles[i] = malloc(len))) {
      rc = -JZ_ENOMEM;
    } else if (isnan(s->mean)) {
      snprintf(titles[i], len, "%s, %s", s->name, s->gpu ? "GPUs" : "cores");
    } else {
      snprintf(titles[i], len, "%s, %s (%.2f)", s->name, s->gpu ? "GPUs" : "cores", s->mean);
    }
  }
  if (rc == 0) chart_plot_series(b, p, 'u', ss, (const char *const *)titles);
  for (size_t i = 0; i < ss->n; i++) free(titles[i]);
  free(titles);
  return rc;
}

/* "1 s", "0.1 s", "0.001 s": the floor is a power of ten. */
static void fmt_seconds(char *buf, size_t n, double s) { snprintf(buf, n, "%.10g s", s); }

static int chart_waits(jz_plot_text_t *b, const jz_plot_t *p) {
  const jz_plot_sset_t *ss = &p->w.ss;
  char fl[64];
  fmt_seconds(fl, sizeof fl, p->w.floor_s);
  chart_common(b, ss->n);
  sb_printf(b, "set xlabel 'wait (hours, log scale)'\n"
               "set ylabel 'fraction of jobs that waited at most x'\n"
               "set key title 'queue (jobs, share with no wait)'\n"
               "set yrange [0:1.02]\nset ytics 0.2\nset format y '%%.1f'\n");
  if (ss->n == 0) {
    sb_printf(b, "set title 'Wait time distribution per queue (empirical CDF)'\n");
    chart_empty(b, "no jobs in jobs.csv (rejected jobs excluded)");
    return 0;
  }
  sb_printf(b, "set title \"Wait time distribution per queue (empirical CDF of %zu jobs, "
               "rejected jobs excluded)\\n{/*0.8 jobs that did not wait are drawn at %s "
               "(dotted line)}\" enhanced\n",
            p->w.jobs, fl);
  double lo = p->w.floor_s / JZ_PLOT_SECONDS_PER_HOUR, hi = fmax(p->w.max_h, lo * 10);
  sb_printf(b, "set logscale x 10\nset format x '%%g'\n"
               "set xrange [%.17g:%.17g]\n"
               "set arrow 1 from %.17g, graph 0 to %.17g, graph 1 nohead dt 3 lw 1 lc rgb '#808080' back\n",
            lo / 1.5, hi * 1.5, lo, lo);
  /* Familiar durations on the top axis: hours alone are hard to read at both ends. */
  sb_printf(b, "set logscale x2 10\nset x2range [%.17g:%.17g]\n"
               "set x2tics out scale 0.6 nomirror font ',9' "
               "('1 s' 1./3600, '10 s' 1./360, '1 min' 1./60, '10 min' 1./6, '1 h' 1, '1 d' 24, '1 week' 168, '30 d' 720)\n",
            lo / 1.5, hi * 1.5);
  char **titles = calloc(ss->n, sizeof *titles);
  if (!titles) return -JZ_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ss->n && rc == 0; i++) {
    const jz_plot_series_t *s = &ss->s[i];
    size_t len = strlen(s->name) + 64;
    if (!(titles[i] = malloc(len)))
      rc = -JZ_ENOMEM;
    else
      snprintf(titles[i], len, "%s (%zu, %.0f%%)", s->name, s->count,
               100.0 * (double)s->zeros / (double)s->count);
  }
  if (rc == 0) chart_plot_series(b, p, 'w', ss, (const char *const *)titles);
  for (size_t i = 0; i < ss->n; i++) free(titles[i]);
  free(titles);
  return rc;
}

int jz_plot_script(const jz_plot_t *p, char *outs[2][JZ_PLOT_NCHARTS], jz_plot_text_t *b) {
  static const char *const terms[2] = {
      "set terminal pngcairo size 1280,720 font 'sans,10' enhanced background rgb 'white'\n",
      "set terminal svg size 1280,720 font 'sans,10' enhanced background rgb 'white'\n"};
  for (int f = 0; f < 2; f++) {
    if (!outs[f][0]) continue;
    sb_printf(b, "%s", terms[f]);
    for (int c = 0; c < JZ_PLOT_NCHARTS; c++) {
      sb_printf(b, "set output ");
      sb_quote(b, outs[f][c]);
      sb_printf(b, "\n");
      int rc = c == 0 ? chart_queues(b, p) : c == 1 ? chart_util(b, p) : chart_waits(b, p);
      if (rc < 0) return rc;
      sb_printf(b, "unset output\n");
    }
  }
  return b->oom ? -JZ_ENOMEM : 0;
}
