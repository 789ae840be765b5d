/* plot/gnuplot.h: run one gnuplot process on a script file, and turn its failure into one
 * line ("gnuplot failed: undefined variable: foo (in 'plot foo')"). Folder-private to
 * sim/plot/. */
#ifndef JZ_PLOT_GNUPLOT_H
#define JZ_PLOT_GNUPLOT_H

#include "error.h"

#define JZ_PLOT_NOT_FOUND_MSG "gnuplot not found: install gnuplot-nox (scripts/demo.sh does)"

/* Run prog (looked up in PATH unless it holds a '/') with the file script on its standard
 * input, its standard output discarded and its standard error kept in errpath for the
 * message. 0, or -JZ_EIO with err filled. */
int jz_plot_run_gnuplot(const char *prog, const char *script, const char *errpath,
                        jz_error_t *err);

#endif
