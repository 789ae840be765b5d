/* suggest.c: "did you mean" by edit distance (see suggest.h). */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

size_t jz_suggest_distance(const char *a, const char *b, bool nocase) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return (size_t)-1; /* names this long are never typos of ours */
  size_t row[65]; /* one row of the Wagner-Fischer table, updated in place */
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      int x = (unsigned char)a[i - 1], y = (unsigned char)b[j - 1];
      if (nocase) {
        x = lower(x);
        y = lower(y);
      }
      size_t best = diag + (x != y);
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

const char *jz_suggest_closest(const char *s, const void *names, size_t n, size_t stride,
                               bool nocase) {
  const char *best = NULL;
  size_t bestd = JZ_SUGGEST_MAX_EDITS + 1;
  for (size_t i = 0; i < n; i++) {
    const char *cand = *(const char *const *)((const char *)names + i * stride);
    if (!cand) continue;
    size_t d = jz_suggest_distance(s, cand, nocase);
    if (d < bestd) {
      bestd = d;
      best = cand;
    }
  }
  return best;
}

const char *jz_suggest_hint(char *buf, size_t len, const char *cand) {
  if (!cand) return "";
  snprintf(buf, len, " (did you mean '%s'?)", cand);
  return buf;
}
