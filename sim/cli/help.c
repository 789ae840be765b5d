/* help.c: `jzsim help [COMMAND]`. */
#include <string.h>

#include "cli/cli.h"

static void help_main(FILE *f) {
  fputs("usage: jzsim COMMAND [OPTIONS]\n"
        "\n"
        "Discrete-event simulator of a converged HPC/AI supercomputer (SimGrid 3.32).\n"
        "\n"
        "commands:\n",
        f);
  for (const jz_cli_command_t *const *c = jz_cli_commands(); *c; c++) fprintf(f, "%s", (*c)->summary);
  fputs("\n"
        "  jzsim --version  print the version\n",
        f);
}

static int help_cmd(int argc, char **argv) {
  const char *topic = argc > 0 ? argv[0] : NULL;
  if (argc > 1) return jz_cli_usage("help: one command only (got '%s' after '%s')", argv[1], topic);
  if (!topic) {
    help_main(stdout);
    return 0;
  }
  const jz_cli_command_t *c = jz_cli_find(topic);
  if (!c) {
    char names[256] = "";
    for (const jz_cli_command_t *const *k = jz_cli_commands(); *k; k++) {
      if (names[0]) strncat(names, ", ", sizeof names - strlen(names) - 1);
      strncat(names, (*k)->name, sizeof names - strlen(names) - 1);
    }
    return jz_cli_usage("help: unknown command '%s' (commands: %s)", topic, names);
  }
  c->help(stdout);
  return 0;
}

const jz_cli_command_t jz_cli_help = {
    .name = "help",
    .summary = "  help [COMMAND]   this text, or the options of COMMAND\n",
    .main = help_cmd,
    .help = help_main,
};
