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
/* The value of a single-valued option FLAG of command CMD: a usage error (returned, printed)
 * when it is empty (a shell variable that expanded to nothing) or when the option was given
 * before (*seen: "the last one wins" would run another experiment than the one meant,
 * silently); else 0, and *seen is set. */
int jz_cli_once(const char *cmd, const char *flag, const char *val, int *seen);
/* Monotonic wall-clock seconds (for --timings; never written to outputs). */
double jz_cli_wall(void);
/* Where the next `jzsim run` in this process stores its event loops' CPU seconds (NULL:
 * nowhere): `jzsim sweep --timings` (a jz_sweep_run_opts_t child_report). */
void jz_cli_report_loop_cpu(double *slot);

#endif
