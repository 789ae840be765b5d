/* slurm_priority.c: Slurm's multifactor priority (priority/multifactor, doc
 * priority_multifactor.shtml):
 *
 *   priority = site + Wage·age + Wfs·fairshare + Wjs·jobsize + Wpart·partition + Wqos·qos
 *              + Σ Wtres·tres − nice
 *
 * every factor in [0, 1], weights integers (all 0 by default), the sum truncated to an integer,
 * and at least 1 (0 means held). site and the association factor are 0 here (no per-job site
 * factor or association priority in a trace).
 *
 * Worked example (SLURM-NOTES): weights age 1000, fs 10000, js 1000, part 1000, qos 2000; a job
 * that waited 2 of PriorityMaxAge's 7 days (age 2/7: 285.7), fair-share 0.5 (5000), 10 of 100
 * nodes and 320 of 3200 CPUs (job size (0.1 + 0.1)/2: 100), partition factor 10 of 20 (500),
 * QoS 50 of 100 (1000): 6885.7, priority 6885. With PriorityFavorSmall=YES the size factor is
 * (0.9 + 0.9)/2 (900): priority 7685. */
#include <math.h>

#include "sched/slurm.h"

double jz_slurm_age_factor(const jz_slurm_conf_t *c, double waited) {
  if (c->max_age <= 0) return 1;
  if (waited < 0) waited = 0;
  return waited >= c->max_age ? 1 : waited / c->max_age;
}

double jz_slurm_size_factor(const jz_slurm_conf_t *c, double nodes, double total_nodes,
                            double cpus, double total_cpus) {
  double fn = total_nodes > 0 ? nodes / total_nodes : 0;
  double fc = total_cpus > 0 ? cpus / total_cpus : 0;
  if (fn > 1) fn = 1;
  if (fc > 1) fc = 1;
  return c->favor_small ? ((1 - fn) + (1 - fc)) / 2 : (fn + fc) / 2;
}

uint32_t jz_slurm_priority(const jz_slurm_conf_t *c, const jz_slurm_factors_t *f) {
  double p = (double)c->w_age * f->age + (double)c->w_fs * f->fairshare +
             (double)c->w_js * f->jobsize + (double)c->w_part * f->partition +
             (double)c->w_qos * f->qos + (double)c->w_tres_cpu * f->tres_cpu +
             (double)c->w_tres_node * f->tres_node + (double)c->w_tres_gpu * f->tres_gpu -
             (double)f->nice;
  if (!(p >= 1)) return 1;
  if (p >= 4294967295.0) return UINT32_MAX;
  return (uint32_t)p;
}
