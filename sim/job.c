/* job.c: the job table (one growable array), its string interning and its stable submit sort. */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string table ------------------------------------------------------------------------ */

/* FNV-1a: short keys (user ids, queue names), good enough spread for linear probing. */
static uint64_t str_hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* Rebuild the slot array at nslots (a power of two); the strings themselves do not move. */
static int strtab_rehash(jz_strtab_t *t, size_t nslots) {
  uint32_t *slots = calloc(nslots, sizeof *slots);
  if (!slots) return -1;
  for (size_t id = 0; id < t->n; id++) {
    size_t i = (size_t)str_hash(t->strs[id], strlen(t->strs[id])) & (nslots - 1);
    while (slots[i]) i = (i + 1) & (nslots - 1);
    slots[i] = (uint32_t)id + 1;
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = nslots;
  return 0;
}

/* Stored strings hold no NUL (intern cuts there), so stopping at the stored terminator keeps
 * every read in bounds whatever the stored length. */
static bool str_eq(const char *stored, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (stored[i] != s[i] || stored[i] == '\0') return false;
  return stored[len] == '\0';
}

int32_t jz_strtab_intern(jz_strtab_t *t, const char *s, size_t len) {
  len = strnlen(s, len); /* the text is a C string: it ends at a NUL within len, if any */
  uint64_t h = str_hash(s, len);
  if (t->nslots) {
    for (size_t i = (size_t)h & (t->nslots - 1); t->slots[i]; i = (i + 1) & (t->nslots - 1)) {
      uint32_t id = t->slots[i] - 1;
      if (str_eq(t->strs[id], s, len)) return (int32_t)id;
    }
  }
  if (t->n >= (size_t)INT32_MAX) return -1;
  /* Keep the load factor at most 1/2 so probes stay short. */
  if ((t->n + 1) * 2 > t->nslots && strtab_rehash(t, t->nslots ? t->nslots * 2 : 64) < 0)
    return -1;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    char **strs = realloc(t->strs, cap * sizeof *strs);
    if (!strs) return -1;
    t->strs = strs;
    t->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy) return -1;
  memcpy(copy, s, len);
  copy[len] = '\0';
  size_t i = (size_t)h & (t->nslots - 1);
  while (t->slots[i]) i = (i + 1) & (t->nslots - 1);
  t->strs[t->n] = copy;
  t->slots[i] = (uint32_t)t->n + 1;
  return (int32_t)t->n++;
}

int32_t jz_strtab_find(const jz_strtab_t *t, const char *s) {
  if (!t->nslots) return -1;
  size_t len = strlen(s);
  for (size_t i = (size_t)str_hash(s, len) & (t->nslots - 1); t->slots[i];
       i = (i + 1) & (t->nslots - 1)) {
    uint32_t id = t->slots[i] - 1;
    if (str_eq(t->strs[id], s, len)) return (int32_t)id;
  }
  return -1;
}

const char *jz_strtab_get(const jz_strtab_t *t, int32_t id) {
  if (id < 0 || (size_t)id >= t->n) return "";
  return t->strs[id];
}

void jz_strtab_free(jz_strtab_t *t) {
  for (size_t i = 0; i < t->n; i++) free(t->strs[i]);
  free(t->strs);
  free(t->slots);
  memset(t, 0, sizeof *t);
}

/* ---- job table --------------------------------------------------------------------------- */

void jz_job_table_init(jz_job_table_t *t) { memset(t, 0, sizeof *t); }

void jz_job_table_free(jz_job_table_t *t) {
  free(t->jobs);
  free(t->prof_of);
  free(t->profs);
  jz_strtab_free(&t->strings);
  memset(t, 0, sizeof *t);
}

jz_job_t *jz_job_table_push(jz_job_table_t *t) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 1024;
    /* Ids are uint32_t: refuse to grow past what they can index. */
    if (cap > (size_t)UINT32_MAX) cap = (size_t)UINT32_MAX;
    if (cap <= t->n || cap > SIZE_MAX / sizeof *t->jobs) return NULL;
    jz_job_t *jobs = realloc(t->jobs, cap * sizeof *jobs);
    if (!jobs) return NULL;
    t->jobs = jobs;
    if (t->prof_of) {
      uint32_t *po = realloc(t->prof_of, cap * sizeof *po);
      if (!po) return NULL;
      t->prof_of = po;
    }
    t->cap = cap;
  }
  if (t->prof_of) t->prof_of[t->n] = UINT32_MAX;
  jz_job_t *j = &t->jobs[t->n++];
  memset(j, 0, sizeof *j);
  j->user = j->group = j->account = j->queue = j->label = -1;
  j->partition = -1;
  return j;
}

int jz_job_table_set_profile(jz_job_table_t *t, size_t id, const jz_profile_t *p) {
  if (!t->prof_of) {
    if (!(t->prof_of = malloc((t->cap ? t->cap : 1) * sizeof *t->prof_of))) return -JZ_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) t->prof_of[i] = UINT32_MAX;
  }
  if (t->nprof == t->capprof) {
    size_t cap = t->capprof ? t->capprof * 2 : 64;
    jz_profile_t *np = realloc(t->profs, cap * sizeof *np);
    if (!np) return -JZ_ENOMEM;
    t->profs = np;
    t->capprof = cap;
  }
  t->profs[t->nprof] = *p;
  t->prof_of[id] = (uint32_t)t->nprof++;
  if (p->kind != JZ_PROF_DELAY) t->jobs[id].flags |= JZ_JOB_FLOW;
  return 0;
}

void jz_job_table_skip(jz_job_table_t *t, const char *reason) {
  for (int i = 0; i < t->n_skip_reasons; i++) {
    if (t->skipped[i].reason == reason || strcmp(t->skipped[i].reason, reason) == 0) {
      t->skipped[i].count++;
      return;
    }
  }
  /* The last slot becomes "other" once the others are taken, so an unexpected number of
   * reasons still counts every dropped job (the summary must never lose one). */
  if (t->n_skip_reasons == JZ_MAX_SKIP_REASONS) {
    t->skipped[JZ_MAX_SKIP_REASONS - 1].count++;
    return;
  }
  if (t->n_skip_reasons == JZ_MAX_SKIP_REASONS - 1) reason = "other";
  t->skipped[t->n_skip_reasons].reason = reason;
  t->skipped[t->n_skip_reasons].count = 1;
  t->n_skip_reasons++;
}

long jz_job_table_skipped_total(const jz_job_table_t *t) {
  long total = 0;
  for (int i = 0; i < t->n_skip_reasons; i++) total += t->skipped[i].count;
  return total;
}

/* ---- stable sort ------------------------------------------------------------------------- */

/* Sorting 16-byte (key, index) pairs instead of ~80-byte records keeps the merge passes
 * cheap; the records are then moved once. Taking the left element on equal keys in every
 * merge, and starting from insertion order, makes the result stable. */
typedef struct sort_key {
  double submit;
  uint32_t idx;
} sort_key_t;

#define SORT_RUN 32

static void insertion_sort(sort_key_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    sort_key_t k = a[i];
    size_t j = i;
    while (j > 0 && a[j - 1].submit > k.submit) { /* strict: equal keys stay in order */
      a[j] = a[j - 1];
      j--;
    }
    a[j] = k;
  }
}

static void merge(const sort_key_t *src, sort_key_t *dst, size_t lo, size_t mid, size_t hi) {
  if (mid == hi || !(src[mid].submit < src[mid - 1].submit)) { /* already in order: common */
    memcpy(dst + lo, src + lo, (hi - lo) * sizeof *src);
    return;
  }
  size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) dst[k++] = (src[j].submit < src[i].submit) ? src[j++] : src[i++];
  while (i < mid) dst[k++] = src[i++];
  while (j < hi) dst[k++] = src[j++];
}

int jz_job_table_sort(jz_job_table_t *t) {
  size_t n = t->n;
  size_t i = 1;
  /* Most traces are already in submit order: detect that in one pass and do nothing. */
  while (i < n && !(t->jobs[i].submit < t->jobs[i - 1].submit)) i++;
  if (i >= n) return 0;

  sort_key_t *a = malloc(n * sizeof *a);
  sort_key_t *b = malloc(n * sizeof *b);
  if (!a || !b) {
    free(a);
    free(b);
    return -JZ_ENOMEM;
  }
  for (i = 0; i < n; i++) a[i] = (sort_key_t){t->jobs[i].submit, (uint32_t)i};
  for (i = 0; i < n; i += SORT_RUN) insertion_sort(a + i, (n - i < SORT_RUN) ? n - i : SORT_RUN);
  for (size_t width = SORT_RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = (lo + width < n) ? lo + width : n;
      size_t hi = (lo + 2 * width < n) ? lo + 2 * width : n;
      merge(a, b, lo, mid, hi);
    }
    sort_key_t *tmp = a;
    a = b;
    b = tmp;
  }
  free(b);
  /* Move the records in place along the permutation's cycles (slot k takes record a[k].idx):
   * no second copy of the table, whose first-touch page faults cost more than the sort. A slot
   * is marked done by pointing it at itself. */
  for (i = 0; i < n; i++) {
    if (a[i].idx == i) continue;
    jz_job_t held = t->jobs[i];
    uint32_t held_prof = t->prof_of ? t->prof_of[i] : 0;
    size_t k = i;
    for (;;) {
      size_t src = a[k].idx;
      a[k].idx = (uint32_t)k;
      if (src == i) {
        t->jobs[k] = held;
        if (t->prof_of) t->prof_of[k] = held_prof;
        break;
      }
      t->jobs[k] = t->jobs[src];
      if (t->prof_of) t->prof_of[k] = t->prof_of[src];
      k = src;
    }
  }
  free(a);
  return 0;
}

const char *jz_job_id_text(const jz_job_table_t *t, const jz_job_t *j, char *buf, size_t len) {
  if (j->label >= 0) return jz_strtab_get(&t->strings, j->label);
  snprintf(buf, len, "%lld", (long long)j->trace_id);
  return buf;
}
