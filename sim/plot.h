/* plot.h: `jzsim plot DIR`: charts of a run's outputs (queue length, utilisation, wait CDF),
 * drawn by gnuplot as PNG and SVG next to the CSVs they come from.
 *
 * Reads DIR/queues.csv, DIR/utilisation.csv and DIR/jobs.csv (columns found by header name,
 * extra columns ignored) and writes DIR/queue_length, DIR/utilisation and DIR/waits, each as
 * .png and/or .svg. The CSVs are parsed and reduced in C; gnuplot only draws. Outputs appear
 * all together or not at all: gnuplot writes NAME.tmp.EXT, renamed once every chart is done. */
#ifndef JZ_PLOT_H
#define JZ_PLOT_H

#include <stdbool.h>

#include "error.h"

typedef struct jz_plot_opts {
  const char *gnuplot; /* program, looked up in PATH unless it holds a '/'; NULL or "" = "gnuplot" */
  bool png, svg;       /* formats to write; neither set (or opts NULL) = both */
} jz_plot_opts_t;

/* Plot the run outputs in dir. 0 or -JZ_E* with err filled, e.g.
 * "out/queues.csv:12: column 'time': 'x' is not a number" or "gnuplot failed: ...". */
int jz_plot_dir(const char *dir, const jz_plot_opts_t *o, jz_error_t *err);

#endif
