/* plot/script.h: the gnuplot script that draws a run's three charts (queue length,
 * utilisation, wait CDF), from the series of plot/inputs.h written as data files into the
 * run's private temporary directory (TMP/q0.dat, TMP/u0.dat, TMP/w0.dat...).
 *
 * Names and paths go through gnuplot single-quoted strings verbatim (control characters
 * become '?'), so a queue named "it's" or a path with spaces draws as it is. Folder-private
 * to sim/plot/. */
#ifndef JZ_PLOT_SCRIPT_H
#define JZ_PLOT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "plot/inputs.h"

/* What the charts are drawn from. */
typedef struct jz_plot {
  char tmp[4096]; /* private mkdtemp directory holding the data files */
  jz_plot_steps_t q, u;
  jz_plot_waits_t w;
} jz_plot_t;

#define JZ_PLOT_NCHARTS 3
/* "queue_length", "utilisation", "waits": the charts' file names without extension. */
extern const char *const jz_plot_chart_names[JZ_PLOT_NCHARTS];

/* Growable text. */
typedef struct jz_plot_text {
  char *p;
  size_t n, cap;
  bool oom; /* sticky: checked once when the text is complete */
} jz_plot_text_t;

/* The data file of series i of a chart ('q', 'u' or 'w'): "TMP/q0.dat" into buf. */
void jz_plot_data_path(const jz_plot_t *p, char tag, size_t i, char *buf, size_t len);

/* Append to b the script drawing every chart c into outs[f][c] (f: 0 PNG, 1 SVG; a format
 * whose outs[f][0] is NULL is not drawn). 0 or -JZ_ENOMEM. */
int jz_plot_script(const jz_plot_t *p, char *outs[2][JZ_PLOT_NCHARTS], jz_plot_text_t *b);

#endif
