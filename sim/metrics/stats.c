/* stats.c: waits, slowdowns, utilisation and counts from the final job states. */
#include "metrics/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

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

int jz_summary_compute(const jz_sched_t *s, jz_summary_t *sm) {
  memset(sm, 0, sizeof *sm);
  sm->n_parts = s->res.n_parts;
  sm->parts = calloc((size_t)sm->n_parts, sizeof *sm->parts);
  double *waits = malloc((s->njobs ? s->njobs : 1) * sizeof *waits);
  if (!sm->parts || !waits) {
    free(waits);
    return -JZ_ENOMEM;
  }
  sm->read = s->njobs;
  sm->first_submit = s->njobs ? s->jobs[0].submit : 0;
  sm->last_finish = sm->first_submit;
  double bsld_sum = 0;
  for (uint32_t i = 0; i < s->njobs; i++) {
    const jz_jobrun_t *r = &s->run[i];
    const jz_job_t *j = &s->jobs[i];
    int p = j->partition;
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
    double wait = r->start - j->submit, exec = r->finish - r->start;
    waits[sm->ran++] = wait;
    double bsld = (wait + exec) / (exec > JZ_BSLD_TAU ? exec : JZ_BSLD_TAU);
    if (bsld < 1) bsld = 1;
    bsld_sum += bsld;
    if (bsld > sm->max_bsld) sm->max_bsld = bsld;
    if (r->finish > sm->last_finish) sm->last_finish = r->finish;
    sm->parts[p].jobs++;
    sm->parts[p].core_seconds += (double)r->units * exec;
  }
  sm->span = sm->last_finish - sm->first_submit;
  sm->mean_bsld = sm->ran ? bsld_sum / (double)sm->ran : 0;
  jz_dist_compute(waits, sm->ran, &sm->wait);
  free(waits);
  for (int p = 0; p < sm->n_parts; p++) {
    double cap = (double)s->res.parts[p].total_cores * sm->span;
    sm->parts[p].utilisation = cap > 0 ? sm->parts[p].core_seconds / cap : 0;
  }
  return 0;
}

void jz_summary_free(jz_summary_t *sm) {
  free(sm->parts);
  memset(sm, 0, sizeof *sm);
}
