/* cli.h: what the subcommands of the jzsim command line share.
 *
 * One file per subcommand (run.c, platform.c, plot.c, compare.c, help.c), each exporting one
 * jz_cli_command_t; main.c only dispatches. Only these files print errors and choose the exit
 * status: 0 ok, 1 a `compare` regression, 2 bad input or usage (DESIGN §5). */
#ifndef JZ_CLI_H
#define JZ_CLI_H

#include <stdio.h>

#include "error.h"

#define JZ_EXIT_BAD 2

typedef struct jz_cli_command {
  const char *name;    /* "run" */
  const char *summary; /* one line for `jzsim help` */
  int (*main)(int argc, char **argv); /* argv after the command name */
  void (*help)(FILE *f);              /* `jzsim help NAME` */
} jz_cli_command_t;

extern const jz_cli_command_t jz_cli_run, jz_cli_platform, jz_cli_plot, jz_cli_compare,
    jz_cli_sweep, jz_cli_help;

/* NULL-terminated, in the order `jzsim help` lists them. */
const jz_cli_command_t *const *jz_cli_commands(void);
const jz_cli_command_t *jz_cli_find(const char *name);

/* Print "jzsim: error: MSG" and return JZ_EXIT_BAD. */
int jz_cli_fail(const jz_error_t *err);
/* Print "jzsim: error: " + fmt with two string arguments, and return JZ_EXIT_BAD. */
int jz_cli_usage(const char *fmt, const char *a, const char *b);
/* Monotonic wall-clock seconds (for --timings; never written to outputs). */
double jz_cli_wall(void);

#endif
