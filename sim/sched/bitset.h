/* bitset.h: a two-level bitmap over node indices with O(1) set/clear and a fast
 * "next set bit at or after i": one 64-bit word per 64 nodes, and a summary word per 4,096
 * nodes telling which words are non-empty. Finding the next free node of a 100,000-node
 * partition reads at most a few dozen words, whatever the fragmentation. */
#ifndef JZ_BITSET_H
#define JZ_BITSET_H

#include <stdbool.h>
#include <stdint.h>

typedef struct jz_bitset {
  uint64_t *w; /* bit i of word i/64 */
  uint64_t *s; /* bit j of summary word j/64: word j is non-zero */
  int32_t n;   /* bits */
  int32_t nw, ns;
} jz_bitset_t;

int jz_bitset_init(jz_bitset_t *b, int32_t n, bool all_set); /* 0 or -JZ_ENOMEM */
void jz_bitset_free(jz_bitset_t *b);

static inline bool jz_bitset_get(const jz_bitset_t *b, int32_t i) {
  return (b->w[i >> 6] >> (i & 63)) & 1u;
}

static inline void jz_bitset_set(jz_bitset_t *b, int32_t i) {
  b->w[i >> 6] |= UINT64_C(1) << (i & 63);
  b->s[i >> 12] |= UINT64_C(1) << ((i >> 6) & 63);
}

static inline void jz_bitset_clear(jz_bitset_t *b, int32_t i) {
  uint64_t *w = &b->w[i >> 6];
  *w &= ~(UINT64_C(1) << (i & 63));
  if (*w == 0) b->s[i >> 12] &= ~(UINT64_C(1) << ((i >> 6) & 63));
}

/* Smallest set index in [from, hi), or -1. */
int32_t jz_bitset_next(const jz_bitset_t *b, int32_t from, int32_t hi);
/* Smallest clear index in [from, hi), or hi: the end of the run of set bits at from. */
int32_t jz_bitset_next_zero(const jz_bitset_t *b, int32_t from, int32_t hi);
/* Set or clear every bit of [lo, hi), a word at a time. */
void jz_bitset_set_range(jz_bitset_t *b, int32_t lo, int32_t hi);
void jz_bitset_clear_range(jz_bitset_t *b, int32_t lo, int32_t hi);

#endif
