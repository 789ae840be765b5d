/* plot/series.c: named series for `jzsim plot` (see series.h). */
#include "plot/series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

void jz_plot_sset_free(jz_plot_sset_t *ss) {
  for (size_t i = 0; i < ss->n; i++) {
    free(ss->s[i].name);
    free(ss->s[i].x);
    free(ss->s[i].y);
  }
  free(ss->s);
  free(ss->slot);
  memset(ss, 0, sizeof *ss);
}

static uint64_t hash_str(const char *s) {
  uint64_t h = 14695981039346656037ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int sset_rehash(jz_plot_sset_t *ss, size_t nslot) {
  uint32_t *slot = calloc(nslot, sizeof *slot);
  if (!slot) return -JZ_ENOMEM;
  for (size_t i = 0; i < ss->n; i++) {
    size_t k = (size_t)hash_str(ss->s[i].name) & (nslot - 1);
    while (slot[k]) k = (k + 1) & (nslot - 1);
    slot[k] = (uint32_t)(i + 1);
  }
  free(ss->slot);
  ss->slot = slot;
  ss->nslot = nslot;
  return 0;
}

jz_plot_series_t *jz_plot_sset_get(jz_plot_sset_t *ss, const char *name) {
  if (ss->nslot) {
    size_t k = (size_t)hash_str(name) & (ss->nslot - 1);
    for (; ss->slot[k]; k = (k + 1) & (ss->nslot - 1))
      if (strcmp(ss->s[ss->slot[k] - 1].name, name) == 0) return &ss->s[ss->slot[k] - 1];
  }
  if (2 * (ss->n + 1) >= ss->nslot && sset_rehash(ss, ss->nslot ? 2 * ss->nslot : 64) != 0)
    return NULL;
  if (ss->n == ss->cap) {
    size_t cap = ss->cap ? 2 * ss->cap : 16;
    jz_plot_series_t *s = realloc(ss->s, cap * sizeof *s);
    if (!s) return NULL;
    ss->s = s;
    ss->cap = cap;
  }
  jz_plot_series_t *s = &ss->s[ss->n];
  memset(s, 0, sizeof *s);
  s->name = strdup(name);
  if (!s->name) return NULL;
  s->mean = NAN;
  size_t k = (size_t)hash_str(name) & (ss->nslot - 1);
  while (ss->slot[k]) k = (k + 1) & (ss->nslot - 1);
  ss->slot[k] = (uint32_t)(++ss->n);
  return s;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* Natural order: runs of digits compare as numbers, so qos-t2 comes before qos-t10; names
 * equal that way (t02, t2) fall back to strcmp, so the order stays total. */
static int natcmp(const char *a, const char *b) {
  const char *p = a, *q = b;
  while (*p && *q) {
    if (is_digit(*p) && is_digit(*q)) {
      while (*p == '0') p++;
      while (*q == '0') q++;
      size_t np = 0, nq = 0;
      while (is_digit(p[np])) np++;
      while (is_digit(q[nq])) nq++;
      if (np != nq) return np < nq ? -1 : 1;
      int c = memcmp(p, q, np);
      if (c) return c;
      p += np;
      q += nq;
    } else {
      if (*p != *q) return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
      p++;
      q++;
    }
  }
  if (*p || *q) return *p ? 1 : -1;
  return strcmp(a, b);
}

static int cmp_series(const void *a, const void *b) {
  return natcmp(((const jz_plot_series_t *)a)->name, ((const jz_plot_series_t *)b)->name);
}

void jz_plot_sset_sort(jz_plot_sset_t *ss) {
  if (ss->n > 1) qsort(ss->s, ss->n, sizeof *ss->s, cmp_series);
  free(ss->slot); /* indices are stale now; lookups are over */
  ss->slot = NULL;
  ss->nslot = 0;
}

int jz_plot_series_append(jz_plot_series_t *s, double x, double y) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    double *nx = realloc(s->x, cap * sizeof *nx);
    if (!nx) return -JZ_ENOMEM;
    s->x = nx;
    double *ny = realloc(s->y, cap * sizeof *ny);
    if (!ny) return -JZ_ENOMEM;
    s->y = ny;
    s->cap = cap;
  }
  s->x[s->n] = x;
  s->y[s->n] = y;
  s->n++;
  return 0;
}

/* Several rows at one time: only the last one's value is ever in force. A value equal to the
 * one in force changes nothing. Both drops are lossless. */
int jz_plot_series_step(jz_plot_series_t *s, double t, double v) {
  if (s->n == 0 || v > s->ymax) s->ymax = v;
  if (s->n > 0 && s->x[s->n - 1] == t) {
    s->y[s->n - 1] = v;
    if (s->n >= 2 && s->y[s->n - 2] == v) s->n--;
    return 0;
  }
  if (s->n > 0 && s->y[s->n - 1] == v) return 0;
  return jz_plot_series_append(s, t, v);
}

/* Keep, per time bucket, the points holding the first, lowest, highest and last value, in
 * time order: with several buckets per pixel the steps drawn are the same. In place: the
 * points kept from a bucket are never before the points already written. */
void jz_plot_series_reduce(jz_plot_series_t *s, double t0, double t1) {
  if (s->n <= JZ_PLOT_STEP_MAX_POINTS || !(t1 > t0)) return;
  size_t w = 0, i = 0;
  while (i < s->n) {
    long b = (long)((s->x[i] - t0) / (t1 - t0) * JZ_PLOT_STEP_BUCKETS);
    size_t first = i, lo = i, hi = i, last = i;
    for (i++; i < s->n && (long)((s->x[i] - t0) / (t1 - t0) * JZ_PLOT_STEP_BUCKETS) == b; i++) {
      if (s->y[i] < s->y[lo]) lo = i;
      if (s->y[i] > s->y[hi]) hi = i;
      last = i;
    }
    size_t keep[4] = {first, lo < hi ? lo : hi, lo < hi ? hi : lo, last};
    for (int k = 0; k < 4; k++) {
      if (k > 0 && keep[k] <= keep[k - 1]) continue;
      s->x[w] = s->x[keep[k]];
      s->y[w] = s->y[keep[k]];
      w++;
    }
  }
  s->n = w;
}
