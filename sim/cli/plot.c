/* plot.c: `jzsim plot DIR`, the charts of a run drawn with gnuplot. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "plot.h"

static const char HELP_PLOT[] =
    "usage: jzsim plot DIR [--png-only | --svg-only] [--gnuplot PROGRAM]\n"
    "\n"
    "Draws, with gnuplot, the outputs of a run in DIR: queue_length (waiting jobs over time per\n"
    "queue), utilisation (busy share per partition: GPUs where nodes have GPUs, cores\n"
    "elsewhere) and waits (wait-time distribution per queue), as DIR/NAME.png and .svg.\n";

static void help_plot(FILE *f) { fputs(HELP_PLOT, f); }

static int cmd_plot(int argc, char **argv) {
  jz_plot_opts_t po = {.gnuplot = NULL, .png = false, .svg = false};
  const char *dir = NULL;
  int seen_gnuplot = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--png-only") == 0) {
      po.png = true;
    } else if (strcmp(argv[i], "--svg-only") == 0) {
      po.svg = true;
    } else if (strcmp(argv[i], "--gnuplot") == 0 && i + 1 < argc) {
      if (jz_cli_once("plot", argv[i], po.gnuplot = argv[i + 1], &seen_gnuplot)) return JZ_EXIT_BAD;
      i++;
    } else if (argv[i][0] == '-') {
      return jz_cli_usage("plot: unknown option '%s'%s", argv[i], " (see 'jzsim help plot')");
    } else if (!dir) {
      dir = argv[i];
    } else {
      return jz_cli_usage("plot: one directory only (got '%s' after '%s')", argv[i], dir);
    }
  }
  /* Both would draw both: the user asked for one of them and would silently get two. */
  if (po.png && po.svg) return jz_cli_usage("plot: give --png-only or --svg-only, not both%s%s", "", "");
  if (!dir) return jz_cli_usage("%s%s", "usage: jzsim plot DIR [--png-only | --svg-only] [--gnuplot PROGRAM]", "");
  jz_error_t err = {0};
  if (jz_plot_dir(dir, &po, &err)) return jz_cli_fail(&err);
  printf("plots             %s/{queue_length,utilisation,waits}.{%s}\n", dir,
         po.png && !po.svg ? "png" : (po.svg && !po.png ? "svg" : "png,svg"));
  return 0;
}

const jz_cli_command_t jz_cli_plot = {
    .name = "plot",
    .summary = "  plot DIR         draw queue lengths, utilisation and waits of a run with gnuplot\n",
    .main = cmd_plot,
    .help = help_plot,
};
