/* main.c: the jzsim command line: dispatch to one file per subcommand (sim/cli/). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    jz_cli_help.help(stderr);
    return JZ_EXIT_BAD;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    /* `jzsim --version extra` is a mistyped command line, not a request for the version. */
    if (argc > 2) return jz_cli_usage("%s takes no operand (got '%s')", cmd, argv[2]);
    printf("jzsim %s (SimGrid 3.32)\n", JZ_VERSION);
    return 0;
  }
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) cmd = "help";
  const jz_cli_command_t *c = jz_cli_find(cmd);
  if (!c) return jz_cli_usage("unknown command '%s'%s", cmd, " (see 'jzsim help')");
  return c->main(argc - 2, argv + 2);
}
