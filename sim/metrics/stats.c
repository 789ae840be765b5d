/* stats.c: waits, slowdowns, utilisation and counts from the final job states. */
#include "metrics/stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "metrics/energy.h"

/* k-th smallest (0-based) of v[lo..hi], by quickselect with a median-of-three pivot: O(n)
 * expected, and deterministic since the pivot rule has no randomness. Reorders v. */
static double select_kth(double *v, long lo, long hi, long k) {
  while (lo < hi) {
    long mid = lo + (hi - lo) / 2;
    double a = v[lo], b = v[mid], c = v[hi];
    double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    long i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return v[k];
  }
  return v[k];
}

void jz_dist_compute(double *v, long n, jz_dist_t *out) {
  memset(out, 0, sizeof *out);
  out->n = n;
  if (n == 0) return;
  /* Summed in job order, which is fixed, so two runs agree to the bit. */
  double sum = 0, max = v[0];
  for (long i = 0; i < n; i++) {
    sum += v[i];
    if (v[i] > max) max = v[i];
  }
  out->mean = sum / (double)n;
  out->max = max;
  long rank = (long)ceil(0.95 * (double)n); /* 1-based nearest rank */
  if (rank < 1) rank = 1;
  out->p95 = select_kth(v, 0, n - 1, rank - 1);
  double hi = select_kth(v, 0, n - 1, n / 2);
  if (n % 2) {
    out->median = hi;
  } else {
    /* The lower middle is the largest value below position n/2 after the selection. */
    double lo = v[0];
    for (long i = 1; i < n / 2; i++)
      if (v[i] > lo) lo = v[i];
    out->median = (lo + hi) / 2;
  }
}

/* Per-group statistics: bucket the jobs by group, then one distribution per bucket. */
static int group_stats(const jz_sched_t *s, const double *wait, const double *bsld,
                       const int *group, int ngroups, jz_group_stats_t *out) {
  long *count = calloc((size_t)ngroups + 1, sizeof *count);
  double *buf = malloc((s->njobs ? s->njobs : 1) * sizeof *buf);
  if (!count || !buf) {
    free(count);
    free(buf);
    return -JZ_ENOMEM;
  }
  for (uint32_t i = 0; i < s->njobs; i++)
    if (group[i] >= 0 && s->run[i].state != JZ_STATE_REJECTED) count[group[i] + 1]++;
  for (int g = 0; g < ngroups; g++) count[g + 1] += count[g];
  /* count[g] is now the first slot of group g; fill in job order. */
  long *fill = malloc(((size_t)ngroups + 1) * sizeof *fill);
  if (!fill) {
    free(count);
    free(buf);
    return -JZ_ENOMEM;
  }
  memcpy(fill, count, ((size_t)ngroups + 1) * sizeof *fill);
  for (int g = 0; g < ngroups; g++) out[g] = (jz_group_stats_t){0};
  for (uint32_t i = 0; i < s->njobs; i++) {
    int g = group[i];
    if (g < 0) continue;
    if (s->run[i].state == JZ_STATE_REJECTED) {
      out[g].rejected++;
      continue;
    }
    buf[fill[g]++] = wait[i];
    out[g].mean_bsld += bsld[i];
  }
  for (int g = 0; g < ngroups; g++) {
    long n = count[g + 1] - count[g];
    out[g].jobs = n;
    out[g].mean_bsld = n ? out[g].mean_bsld / (double)n : 0;
    jz_dist_compute(buf + count[g], n, &out[g].wait);
  }
  free(fill);
  free(count);
  free(buf);
  return 0;
}

/* The chains' turnarounds and waits (stats.h): one walk of each chain from its first segment,
 * which is a job read (below n_static); segments that did not run (a flow chain's unneeded
 * tail) add nothing. O(jobs). */
static int chain_stats(const jz_sched_t *s, jz_summary_t *sm) {
  long n = 0;
  for (uint32_t i = 0; i < s->n_static; i++)
    if (s->run[i].chain_next != JZ_NONE && s->run[i].state != JZ_STATE_REJECTED) n++;
  sm->chains = n;
  if (n == 0) return 0;
  double *turn = malloc((size_t)n * sizeof *turn), *wait = malloc((size_t)n * sizeof *wait);
  if (!turn || !wait) {
    free(turn);
    free(wait);
    return -JZ_ENOMEM;
  }
  long c = 0;
  for (uint32_t i = 0; i < s->n_static; i++) {
    const jz_jobrun_t *r = &s->run[i];
    if (r->chain_next == JZ_NONE || r->state == JZ_STATE_REJECTED) continue;
    double end = r->finish, w = 0;
    for (uint32_t x = i; x != JZ_NONE; x = s->run[x].chain_next) {
      const jz_jobrun_t *g = &s->run[x];
      if (g->state == JZ_STATE_REJECTED) continue;
      w += g->start - g->submit;
      if (g->finish > end) end = g->finish;
    }
    turn[c] = end - r->submit;
    wait[c++] = w;
  }
  jz_dist_compute(turn, n, &sm->chain_turnaround);
  jz_dist_compute(wait, n, &sm->chain_wait);
  free(turn);
  free(wait);
  return 0;
}

int jz_summary_compute(const jz_sched_t *s, jz_summary_t *sm) {
  memset(sm, 0, sizeof *sm);
  sm->n_parts = s->res.n_parts;
  sm->n_queues = s->n_keys;
  sm->n_resv = s->platform->n_reservations;
  sm->parts = calloc((size_t)sm->n_parts, sizeof *sm->parts);
  sm->queues = calloc((size_t)(sm->n_queues ? sm->n_queues : 1), sizeof *sm->queues);
  sm->members = calloc((size_t)(sm->n_resv ? sm->n_resv : 1), sizeof *sm->members);
  sm->resv_utilisation = calloc((size_t)(sm->n_resv ? sm->n_resv : 1), sizeof *sm->resv_utilisation);
  size_t nj = s->njobs ? s->njobs : 1;
  double *jwait = malloc(nj * sizeof *jwait), *jbsld = malloc(nj * sizeof *jbsld);
  int *gq = malloc(nj * sizeof *gq), *gr = malloc(nj * sizeof *gr), *gall = calloc(nj, sizeof *gall);
  double *pfirst = malloc((size_t)sm->n_parts * sizeof *pfirst);
  double *plast = malloc((size_t)sm->n_parts * sizeof *plast);
  bool *has_resv = calloc((size_t)sm->n_parts, sizeof *has_resv);
  int rc = -JZ_ENOMEM;
  if (!pfirst || !plast || !has_resv) goto out;
  for (int k = 0; k < sm->n_resv; k++) has_resv[s->platform->reservations[k].partition] = true;
  for (int k = 0; k < sm->n_parts; k++) pfirst[k] = plast[k] = NAN;
  if (!sm->parts || !sm->queues || !sm->members || !sm->resv_utilisation || !jwait || !jbsld ||
      !gq || !gr || !gall)
    goto out;
  sm->read = s->n_static; /* jobs read; chain segments beyond the first are extra rows */
  sm->first_submit = s->njobs ? s->jobs[0].submit : 0;
  sm->last_finish = sm->first_submit;
  for (uint32_t i = 0; i < s->njobs; i++) {
    const jz_jobrun_t *r = &s->run[i];
    const jz_job_t *j = &s->jobs[i];
    int p = j->partition;
    gq[i] = r->key;
    /* Reservation groups: 0..n_resv-1 its accounts' jobs, n_resv the others. */
    gr[i] = r->resv >= 0 ? r->resv : (has_resv[p] ? sm->n_resv : -1);
    jwait[i] = jbsld[i] = 0;
    if (p >= 0 && !(r->submit >= pfirst[p])) pfirst[p] = r->submit; /* NaN compares false */
    if (r->first_hold) sm->held++;
    switch (r->state) {
      case JZ_STATE_REJECTED:
        sm->rejected++;
        sm->rejected_by[r->reject]++;
        if (p >= 0) sm->parts[p].rejected++;
        continue;
      case JZ_STATE_COMPLETED_SUCCESSFULLY: sm->completed++; break;
      case JZ_STATE_COMPLETED_FAILED: sm->failed++; break;
      case JZ_STATE_COMPLETED_WALLTIME_REACHED: sm->walltime++; break;
      default: break;
    }
    double wait = r->start - r->submit, exec = r->finish - r->start;
    sm->ran++;
    double bsld = (wait + exec) / (exec > JZ_BSLD_TAU ? exec : JZ_BSLD_TAU);
    if (bsld < 1) bsld = 1;
    jwait[i] = wait;
    jbsld[i] = bsld;
    if (bsld > sm->max_bsld) sm->max_bsld = bsld;
    if (r->finish > sm->last_finish) sm->last_finish = r->finish;
    if (!(r->finish <= plast[p])) plast[p] = r->finish;
    sm->parts[p].jobs++;
    sm->parts[p].core_seconds += (double)r->cores * exec;
    sm->parts[p].gpu_seconds += (double)r->gpus * exec;
    /* Summed in job order: the busy energy is the sum of the jobs.csv column, to the bit. */
    const jz_node_type_t *nt = &s->platform->node_types[s->platform->partitions[p].node_type];
    if (nt->has_power) sm->parts[p].energy_busy += jz_energy_job(nt, r->cores, r->gpus, exec);
  }
  sm->span = sm->last_finish - sm->first_submit;
  /* The whole run is one group (gall: every job in group 0). */
  jz_group_stats_t all;
  if ((rc = group_stats(s, jwait, jbsld, gall, 1, &all))) goto out;
  sm->wait = all.wait;
  sm->mean_bsld = all.mean_bsld;
  for (int p = 0; p < sm->n_parts; p++) {
    /* Over the partition's own span: traces of different lengths share one run. */
    double span = plast[p] - pfirst[p];
    if (!(span > 0)) span = 0;
    sm->parts[p].span = span;
    double cap = (double)s->res.parts[p].total_cores * span;
    double gcap = (double)s->res.parts[p].total_gpus * span;
    sm->parts[p].utilisation = cap > 0 ? sm->parts[p].core_seconds / cap : 0;
    sm->parts[p].gpu_utilisation = gcap > 0 ? sm->parts[p].gpu_seconds / gcap : 0;
  }
  sm->energy = sm->energy_busy = sm->energy_idle = sm->heat_reused = -1;
  for (int p = 0; p < sm->n_parts; p++) {
    const jz_partition_t *pa = &s->platform->partitions[p];
    const jz_node_type_t *nt = &s->platform->node_types[pa->node_type];
    jz_part_stats_t *ps = &sm->parts[p];
    if (!nt->has_power) {
      ps->energy = ps->energy_busy = ps->energy_idle = -1;
      continue;
    }
    bool gpus = nt->gpus > 0;
    double busy = gpus ? ps->gpu_seconds / nt->gpus : ps->core_seconds / nt->cores;
    ps->energy = pa->nodes * nt->power_idle * sm->span + (nt->power_max - nt->power_idle) * busy;
    /* A partition busy all along can round its busy node-seconds an ulp above nodes x span
     * (6 x 0.1 / 3 > 2 x 0.1): its idle energy is 0, not a negative that reads as "none". */
    double unused = pa->nodes * sm->span - busy;
    ps->energy_idle = jz_energy_idle(nt, unused > 0 ? unused : 0);
    sm->energy = (sm->energy < 0 ? 0 : sm->energy) + ps->energy;
    sm->energy_busy = (sm->energy_busy < 0 ? 0 : sm->energy_busy) + ps->energy_busy;
    sm->energy_idle = (sm->energy_idle < 0 ? 0 : sm->energy_idle) + ps->energy_idle;
  }
  if (sm->energy >= 0 && s->platform->has_heat_reuse)
    sm->heat_reused = s->platform->heat_reuse_fraction * sm->energy;
  if ((rc = group_stats(s, jwait, jbsld, gq, sm->n_queues, sm->queues))) goto out;
  if ((rc = chain_stats(s, sm))) goto out;
  jz_group_stats_t *rg = calloc((size_t)sm->n_resv + 1, sizeof *rg);
  if (!rg) {
    rc = -JZ_ENOMEM;
    goto out;
  }
  if ((rc = group_stats(s, jwait, jbsld, gr, sm->n_resv + 1, rg)) == 0) {
    memcpy(sm->members, rg, (size_t)sm->n_resv * sizeof *rg);
    sm->others = rg[sm->n_resv];
  }
  free(rg);
  for (int k = 0; k < sm->n_resv && s->with_reservations; k++) {
    const jz_resv_state_t *rs = &s->resv[k];
    const jz_part_res_t *pr = &s->res.parts[s->platform->reservations[k].partition];
    const jz_zone_t *z = &pr->zones[rs->zone];
    double units = (double)(z->hi - z->lo) * (pr->gpus_per_node ? pr->gpus_per_node : pr->cores_per_node);
    sm->resv_utilisation[k] = units * rs->window_s > 0 ? rs->busy_units_s / (units * rs->window_s) : 0;
  }
out:
  free(gall);
  free(pfirst);
  free(plast);
  free(has_resv);
  free(jwait);
  free(jbsld);
  free(gq);
  free(gr);
  return rc;
}

void jz_summary_free(jz_summary_t *sm) {
  free(sm->parts);
  free(sm->queues);
  free(sm->members);
  free(sm->resv_utilisation);
  memset(sm, 0, sizeof *sm);
}
