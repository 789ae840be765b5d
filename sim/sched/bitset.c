/* bitset.c: two-level bitmap (see bitset.h). */
#include "sched/bitset.h"

#include <stdlib.h>

#include "error.h"

int jz_bitset_init(jz_bitset_t *b, int32_t n, bool all_set) {
  b->n = n;
  b->nw = (n + 63) / 64;
  b->ns = (b->nw + 63) / 64;
  b->w = calloc((size_t)(b->nw ? b->nw : 1), sizeof *b->w);
  b->s = calloc((size_t)(b->ns ? b->ns : 1), sizeof *b->s);
  if (!b->w || !b->s) {
    jz_bitset_free(b);
    return -JZ_ENOMEM;
  }
  if (all_set)
    for (int32_t i = 0; i < n; i++) jz_bitset_set(b, i);
  return 0;
}

void jz_bitset_free(jz_bitset_t *b) {
  free(b->w);
  free(b->s);
  b->w = b->s = NULL;
  b->n = b->nw = b->ns = 0;
}

int32_t jz_bitset_next(const jz_bitset_t *b, int32_t from, int32_t hi) {
  if (hi > b->n) hi = b->n;
  if (from < 0) from = 0;
  if (from >= hi) return -1;
  int32_t wi = from >> 6;
  uint64_t m = b->w[wi] & (~UINT64_C(0) << (from & 63));
  if (!m) {
    /* Next non-empty word after wi, through the summary. */
    int32_t nx = wi + 1;
    if (nx >= b->nw) return -1;
    int32_t si = nx >> 6;
    uint64_t sm = b->s[si] & (~UINT64_C(0) << (nx & 63));
    while (!sm) {
      if (++si >= b->ns) return -1;
      if ((si << 12) >= hi) return -1;
      sm = b->s[si];
    }
    wi = (si << 6) + __builtin_ctzll(sm);
    m = b->w[wi];
  }
  int32_t i = (wi << 6) + __builtin_ctzll(m);
  return i < hi ? i : -1;
}

int32_t jz_bitset_next_zero(const jz_bitset_t *b, int32_t from, int32_t hi) {
  if (hi > b->n) hi = b->n;
  if (from >= hi) return hi;
  int32_t wi = from >> 6;
  uint64_t m = ~b->w[wi] & (~UINT64_C(0) << (from & 63));
  while (!m) {
    if (++wi >= b->nw || (wi << 6) >= hi) return hi;
    m = ~b->w[wi];
  }
  int32_t i = (wi << 6) + __builtin_ctzll(m);
  return i < hi ? i : hi;
}

/* Mask of bits [lo, hi) within the word holding lo (hi at most the next word boundary). */
static inline uint64_t span_mask(int32_t lo, int32_t hi) {
  int32_t a = lo & 63, n = hi - lo;
  return (n >= 64 ? ~UINT64_C(0) : ((UINT64_C(1) << n) - 1)) << a;
}

void jz_bitset_set_range(jz_bitset_t *b, int32_t lo, int32_t hi) {
  while (lo < hi) {
    int32_t end = ((lo >> 6) + 1) << 6;
    if (end > hi) end = hi;
    b->w[lo >> 6] |= span_mask(lo, end);
    b->s[lo >> 12] |= UINT64_C(1) << ((lo >> 6) & 63);
    lo = end;
  }
}

void jz_bitset_clear_range(jz_bitset_t *b, int32_t lo, int32_t hi) {
  while (lo < hi) {
    int32_t end = ((lo >> 6) + 1) << 6;
    if (end > hi) end = hi;
    uint64_t *w = &b->w[lo >> 6];
    *w &= ~span_mask(lo, end);
    if (*w == 0) b->s[lo >> 12] &= ~(UINT64_C(1) << ((lo >> 6) & 63));
    lo = end;
  }
}
