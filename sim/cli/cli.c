/* cli.c: the command table and the error printing every subcommand shares. */
#include <string.h>
#include <time.h>

#include "cli/cli.h"

static const jz_cli_command_t *const commands[] = {&jz_cli_run,     &jz_cli_plot, &jz_cli_platform,
                                                   &jz_cli_compare, &jz_cli_sweep, &jz_cli_help, NULL};

const jz_cli_command_t *const *jz_cli_commands(void) { return commands; }

const jz_cli_command_t *jz_cli_find(const char *name) {
  for (const jz_cli_command_t *const *c = commands; *c; c++)
    if (strcmp((*c)->name, name) == 0) return *c;
  return NULL;
}

int jz_cli_fail(const jz_error_t *err) {
  fprintf(stderr, "jzsim: error: %s\n", err->msg);
  return JZ_EXIT_BAD;
}

int jz_cli_usage(const char *fmt, const char *a, const char *b) {
  fputs("jzsim: error: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return JZ_EXIT_BAD;
}

int jz_cli_once(const char *cmd, const char *flag, const char *val, int *seen) {
  char what[96];
  snprintf(what, sizeof what, "%s: option '%s'", cmd, flag);
  if (!val || !*val) return jz_cli_usage("%s needs a value%s", what, "");
  if (*seen) return jz_cli_usage("%s given twice%s", what, " (give it once)");
  *seen = 1;
  return 0;
}

double jz_cli_wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

