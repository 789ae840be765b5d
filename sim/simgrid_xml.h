/* simgrid_xml.h: platform model -> SimGrid 3.32 platform XML (DTD 4.1).
 *
 * Each partition becomes a <cluster> on its fabric (links_per_node x fabric bandwidth as the
 * per-node injection bandwidth), each storage tier a host carrying one disk, plus one
 * controller host where the scheduler actor lives. Output is deterministic (file order,
 * fixed number formatting). Host names: "<partition>-<i>" for node i of a partition,
 * "<tier>" for a storage tier, JZ_SIMGRID_CONTROLLER for the controller. */
#ifndef JZ_SIMGRID_XML_H
#define JZ_SIMGRID_XML_H

#include <stdio.h>

#include "platform.h"

#define JZ_SIMGRID_CONTROLLER "jzsim-controller"

int jz_simgrid_xml_write(const jz_platform_t *p, FILE *out, jz_error_t *err);

/* Write the XML to a fresh temporary file; *path_out (malloc'd) names it; caller unlinks. */
int jz_simgrid_xml_tempfile(const jz_platform_t *p, char **path_out, jz_error_t *err);

#endif
