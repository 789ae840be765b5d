/* platform.c: `jzsim platform show|xml FILE.yaml`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "platform.h"
#include "simgrid_xml.h"

static const char HELP_PLATFORM[] =
    "usage: jzsim platform show FILE.yaml\n"
    "       jzsim platform xml FILE.yaml\n"
    "\n"
    "show: partitions (nodes, cores, GPUs), fabrics, storage tiers and totals (peak PF FP64,\n"
    "      GPU count, PB per tier).\n"
    "xml:  the SimGrid platform XML that `run` loads, on stdout.\n";

static void help_platform(FILE *f) { fputs(HELP_PLATFORM, f); }

static int cmd_platform(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[0], "show") != 0 && strcmp(argv[0], "xml") != 0))
    return jz_cli_usage("%s%s", "usage: jzsim platform show|xml FILE.yaml", "");
  jz_error_t err = {0};
  jz_platform_t *p = NULL;
  if (jz_platform_load(argv[1], &p, &err)) return jz_cli_fail(&err);
  int rc = 0;
  if (strcmp(argv[0], "show") == 0) {
    jz_platform_print(p, stdout);
  } else if (jz_simgrid_xml_write(p, stdout, &err)) {
    rc = jz_cli_fail(&err);
  }
  jz_platform_free(p);
  return rc;
}

const jz_cli_command_t jz_cli_platform = {
    .name = "platform",
    .summary = "  platform show    print a platform's partitions, fabrics, storage and totals\n"
               "  platform xml     print the SimGrid XML generated from a platform\n",
    .main = cmd_platform,
    .help = help_platform,
};
