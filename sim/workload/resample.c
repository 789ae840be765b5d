/* resample.c: the day block bootstrap of resample.h. */
#include "workload/resample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400.0

uint64_t jz_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, n), n >= 1: reject the top partial block so that every value is as likely. */
static uint64_t bounded(uint64_t *state, uint64_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = jz_splitmix64(state);
  while (x >= limit);
  return x % n;
}

int jz_resample_days(jz_job_table_t *t, long first, unsigned long long seed, int workload,
                     jz_error_t *err) {
  size_t n = t->n - (size_t)first;
  if (n == 0) return 0;
  jz_job_t *src = malloc(n * sizeof *src);
  /* Work profiles live in a side table by job id (job.h): each copy gets its source's. */
  uint32_t *prof = t->prof_of ? malloc(n * sizeof *prof) : NULL;
  double t0 = INFINITY;
  for (size_t i = 0; src && i < n; i++) {
    src[i] = t->jobs[(size_t)first + i];
    if (prof) prof[i] = t->prof_of[(size_t)first + i];
    if (src[i].submit < t0) t0 = src[i].submit;
  }
  /* Days, and the jobs of each in file order (counting sort). */
  long days = 0;
  long *day = src ? malloc(n * sizeof *day) : NULL;
  for (size_t i = 0; day && i < n; i++) {
    day[i] = (long)floor((src[i].submit - t0) / DAY);
    if (day[i] + 1 > days) days = day[i] + 1;
  }
  size_t *start = day ? calloc((size_t)days + 1, sizeof *start) : NULL;
  size_t *order = start ? malloc(n * sizeof *order) : NULL;
  int rc = 0;
  if (!order || (t->prof_of && !prof)) {
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < n; i++) start[day[i] + 1]++;
  for (long d = 0; d < days; d++) start[d + 1] += start[d];
  {
    size_t *fill = malloc((size_t)days * sizeof *fill);
    if (!fill) {
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      goto out;
    }
    memcpy(fill, start, (size_t)days * sizeof *fill);
    for (size_t i = 0; i < n; i++) order[fill[day[i]]++] = i;
    free(fill);
  }
  uint64_t state = (uint64_t)seed ^ ((uint64_t)(workload + 1) * 0xD1B54A32D192ED03ull);
  t->n = (size_t)first;
  for (long k = 0; k < days; k++) {
    long s = (long)bounded(&state, (uint64_t)days);
    for (size_t r = start[s]; r < start[s + 1]; r++) {
      const jz_job_t *o = &src[order[r]];
      char id[96], lab[160];
      /* Copied out: interning may move t's string table. */
      snprintf(id, sizeof id, "%s", jz_job_id_text(t, o, lab, sizeof lab));
      int len = snprintf(lab, sizeof lab, "%s@%ld", id, k);
      if (len >= (int)sizeof lab) len = (int)sizeof lab - 1;
      int32_t l = jz_strtab_intern(&t->strings, lab, (size_t)len);
      jz_job_t *j = l < 0 ? NULL : jz_job_table_push(t);
      if (!j) {
        rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
        goto out;
      }
      *j = *o;
      j->submit = o->submit + (double)(k - s) * DAY;
      j->label = l;
      if (prof && prof[order[r]] != UINT32_MAX) {
        jz_profile_t pr = t->profs[prof[order[r]]]; /* copied: setting one may move profs */
        if (jz_job_table_set_profile(t, t->n - 1, &pr)) {
          rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
          goto out;
        }
      }
    }
  }
out:
  free(src);
  free(prof);
  free(day);
  free(start);
  free(order);
  return rc;
}
