/* fuzz_experiment.c: an experiment YAML file on arbitrary bytes: load it, then apply its
 * queues and reservations to a fresh copy of tests/data/good/mixed.yaml (two partitions,
 * queues, a recurring reservation). Properties: errors are one line "path:..."; an applied
 * experiment leaves every cross reference of the platform in range. */
#include <string.h>

#include "experiment.h"
#include "fuzz.h"
#include "platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = jz_fuzz_file("experiment.yaml", data, size);
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_error_t err = {0};
  int rc = jz_experiment_load(&e, path, &err);
  if (rc != 0) {
    jz_fuzz_check_error(rc, &err, path);
    jz_experiment_free(&e);
    return 0;
  }
  for (int i = 0; i < e.n_workloads; i++)
    JZ_FUZZ_CHECK(e.workloads[i].path && e.workloads[i].scale > 0, "workload %d", i);
  jz_platform_t *p = NULL;
  char ppath[1024];
  snprintf(ppath, sizeof ppath, "%s/tests/data/good/mixed.yaml", JZ_SOURCE_DIR);
  if (jz_platform_load(ppath, &p, &err) != 0) jz_fuzz_fail("%s", err.msg);
  rc = jz_experiment_apply_sections(&e, p, &err);
  if (rc != 0) {
    jz_fuzz_check_error(rc, &err, path);
  } else {
    jz_fuzz_check_platform_refs(p);
  }
  jz_platform_free(p);
  jz_experiment_free(&e);
  return 0;
}
