/* energy.c: the node power model's split among jobs (model and identity in energy.h). */
#include "metrics/energy.h"

double jz_energy_share(const jz_node_type_t *nt, int64_t cores, int64_t gpus) {
  if (nt->gpus > 0) return (double)gpus / nt->gpus;
  return (double)cores / nt->cores;
}

double jz_energy_job(const jz_node_type_t *nt, int64_t cores, int64_t gpus, double seconds) {
  if (!nt->has_power) return -1;
  return nt->power_max * jz_energy_share(nt, cores, gpus) * seconds;
}

double jz_energy_idle(const jz_node_type_t *nt, double node_seconds) {
  if (!nt->has_power) return -1;
  return nt->power_idle * node_seconds;
}
