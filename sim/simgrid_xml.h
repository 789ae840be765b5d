/* simgrid_xml.h: platform model -> SimGrid 3.32 platform XML (DTD 4.1).
 *
 * Each partition becomes a <cluster> on its fabric (links_per_node x fabric bandwidth as the
 * per-node injection bandwidth), each storage tier a host carrying one disk, plus one
 * controller host where the scheduler actor lives. Output is deterministic (file order,
 * fixed number formatting). Host names: "<partition>-<i>" for node i of a partition,
 * "<tier>" for a storage tier, JZ_SIMGRID_CONTROLLER for the controller.
 *
 * Storage ports: SimGrid 3.32 gives TORUS and DRAGONFLY clusters no router, so their only way
 * to other zones is one of their hosts, whose links would carry the whole partition's storage
 * traffic. Such a partition therefore also gets a flat cluster "<partition>-io" of ports, one
 * per node ("<partition>-io-<i>", a link at the node's injection bandwidth each), whose router
 * reaches the storage tiers over the partition's uplink. A job's storage traffic leaves node
 * i through port i (exec/phase.c); its messages keep the torus or dragonfly links. */
#ifndef JZ_SIMGRID_XML_H
#define JZ_SIMGRID_XML_H

#include <stdbool.h>
#include <stdio.h>

#include "platform.h"

#define JZ_SIMGRID_CONTROLLER "jzsim-controller"

#define JZ_SIMGRID_PORTS_SUFFIX "-io"

/* Whether partition i's storage traffic goes through storage ports (torus and dragonfly). */
bool jz_simgrid_has_storage_ports(const jz_platform_t *p, int i);

int jz_simgrid_xml_write(const jz_platform_t *p, FILE *out, jz_error_t *err);

/* Write the XML to a fresh temporary file; *path_out (malloc'd) names it; caller unlinks. */
int jz_simgrid_xml_tempfile(const jz_platform_t *p, char **path_out, jz_error_t *err);

#endif
