/* plot/series.h: named (x, y) series for `jzsim plot`: a set looked up by name, step series
 * that drop lossless repeats, their reduction for drawing, and the legend's natural order.
 *
 * Step series are exact: each value holds until the next point of the same series. Rows that
 * change nothing are dropped (lossless). Only a series of more than JZ_PLOT_STEP_MAX_POINTS
 * changes is reduced, to the first, last, lowest and highest value of each of
 * JZ_PLOT_STEP_BUCKETS time buckets (several buckets per pixel, so the drawing does not
 * change). Folder-private to sim/plot/. */
#ifndef JZ_PLOT_SERIES_H
#define JZ_PLOT_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JZ_PLOT_STEP_MAX_POINTS 20000
#define JZ_PLOT_STEP_BUCKETS 4000

typedef struct jz_plot_series {
  char *name;
  double *x, *y;
  size_t n, cap;
  bool gpu;     /* utilisation: measured in GPUs (else cores) */
  double ymax;  /* highest value seen, before any reduction */
  double mean;  /* utilisation: time-weighted mean over the series' span, NAN if none */
  size_t count; /* waits: jobs */
  size_t zeros; /* waits: jobs that did not wait */
} jz_plot_series_t;

/* Series by name: an array plus an open-addressing index (dozens of series, millions of rows). */
typedef struct jz_plot_sset {
  jz_plot_series_t *s;
  size_t n, cap;
  uint32_t *slot; /* 0 = empty, else index + 1 */
  size_t nslot;   /* a power of two, more than twice n */
} jz_plot_sset_t;

void jz_plot_sset_free(jz_plot_sset_t *ss);
/* The series named name, created empty on first sight. NULL when out of memory. */
jz_plot_series_t *jz_plot_sset_get(jz_plot_sset_t *ss, const char *name);
/* Legend order: by name in natural order (qos-t2 before qos-t10), so the output does not
 * depend on the order rows appear in. Lookups by name are over afterwards. */
void jz_plot_sset_sort(jz_plot_sset_t *ss);

/* Append a point. 0 or -JZ_ENOMEM. */
int jz_plot_series_append(jz_plot_series_t *s, double x, double y);
/* A step change to v at time t (t never before the previous point's). 0 or -JZ_ENOMEM. */
int jz_plot_series_step(jz_plot_series_t *s, double t, double v);
/* Reduce a step series spanning [t0, t1] when it has too many points (see above). */
void jz_plot_series_reduce(jz_plot_series_t *s, double t0, double t1);

#endif
