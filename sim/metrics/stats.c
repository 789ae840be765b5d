/* stats.c: waits, slowdowns, utilisation and counts from the final job states. */
#include "metrics/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void jz_dist_compute(double *v, long n, jz_dist_t *out) {
  memset(out, 0, sizeof *out);
  out->n = n;
  if (n == 0) return;
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  /* Sum in sorted order: the result does not depend on the order jobs were read in. */
  double sum = 0;
  for (long i = 0; i < n; i++) sum += v[i];
  out->mean = sum / (double)n;
  out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  long rank = (long)ceil(0.95 * (double)n); /* 1-based nearest rank */
  if (rank < 1) rank = 1;
  out->p95 = v[rank - 1];
  out->max = v[n - 1];
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
