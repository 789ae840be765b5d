/* fuzz_platform.c: a platform YAML file on arbitrary bytes: load and validate, then everything
 * downstream of a valid platform that needs no SimGrid: `platform show`, the SimGrid XML, and
 * the scheduler's resource model. Properties: an error is one line "path:..."; a valid
 * platform has consistent cross references and counts; the XML and the show text are written
 * without error. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "platform.h"
#include "sched/sched.h"
#include "simgrid_xml.h"

static FILE *devnull(void) {
  static FILE *f;
  if (!f && !(f = fopen("/dev/null", "w"))) jz_fuzz_fail("cannot open /dev/null");
  return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = jz_fuzz_file("platform.yaml", data, size);
  jz_platform_t *p = NULL;
  jz_error_t err = {0};
  int rc = jz_platform_load(path, &p, &err);
  if (rc != 0) {
    jz_fuzz_check_error(rc, &err, path);
    JZ_FUZZ_CHECK(p == NULL, "a failed load returned a platform");
    return 0;
  }
  JZ_FUZZ_CHECK(p->n_partitions >= 1 && p->n_node_types >= 1 && p->n_fabrics >= 1,
                "a valid platform without partitions, node types or fabrics");
  jz_fuzz_check_platform_refs(p);
  long total = 0;
  for (int i = 0; i < p->n_partitions; i++) {
    const jz_partition_t *q = &p->partitions[i];
    JZ_FUZZ_CHECK(q->nodes >= 1 && q->first_node == total, "partition %s: nodes %d first %d",
                  q->name, q->nodes, q->first_node);
    total += q->nodes;
  }
  JZ_FUZZ_CHECK(total == jz_platform_total_nodes(p), "total nodes");
  for (int i = 0; i < p->n_node_types; i++)
    JZ_FUZZ_CHECK(p->node_types[i].cores >= 1 && p->node_types[i].gpus >= 0, "node type %s",
                  p->node_types[i].name);
  jz_platform_print(p, devnull());
  /* The resource model allocates per node: only for platforms of a size a fuzz input should
   * reach (a million-node platform is valid but not what this harness is for). */
  if (total <= 100000) {
    rc = jz_simgrid_xml_write(p, devnull(), &err);
    JZ_FUZZ_CHECK(rc == 0, "XML of a valid platform: %s", err.msg);
    jz_sched_t s;
    memset(&s, 0, sizeof s);
    rc = jz_sched_init(&s, p, NULL, 0, true);
    JZ_FUZZ_CHECK(rc == 0, "scheduler state of a valid platform: %d", rc);
    jz_sched_free(&s);
  }
  jz_platform_free(p);
  return 0;
}
