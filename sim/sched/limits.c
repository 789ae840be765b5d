/* limits.c: (queue, entity) -> usage counters, open addressing with linear probing. */
#include "sched/limits.h"

#include <stdlib.h>

static inline uint64_t make_key(int32_t queue, int32_t entity) {
  return ((uint64_t)(uint32_t)(queue + 1) << 32) | (uint32_t)entity;
}

static inline uint32_t slot_of(uint64_t key, uint32_t cap) {
  key ^= key >> 33;
  key *= UINT64_C(0xff51afd7ed558ccd);
  key ^= key >> 33;
  return (uint32_t)key & (cap - 1);
}

void jz_usage_map_init(jz_usage_map_t *m) {
  m->keys = NULL;
  m->vals = NULL;
  m->cap = m->n = 0;
}

void jz_usage_map_free(jz_usage_map_t *m) {
  free(m->keys);
  free(m->vals);
  jz_usage_map_init(m);
}

static int grow(jz_usage_map_t *m) {
  uint32_t cap = m->cap ? m->cap * 2 : 256;
  uint64_t *keys = calloc(cap, sizeof *keys);
  jz_usage_t *vals = calloc(cap, sizeof *vals);
  if (!keys || !vals) {
    free(keys);
    free(vals);
    return -1;
  }
  for (uint32_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    uint32_t s = slot_of(m->keys[i], cap);
    while (keys[s]) s = (s + 1) & (cap - 1);
    keys[s] = m->keys[i];
    vals[s] = m->vals[i];
  }
  free(m->keys);
  free(m->vals);
  m->keys = keys;
  m->vals = vals;
  m->cap = cap;
  return 0;
}

jz_usage_t *jz_usage_get(jz_usage_map_t *m, int32_t queue, int32_t entity) {
  if ((m->n + 1) * 2 > m->cap && grow(m) != 0) return NULL;
  uint64_t key = make_key(queue, entity);
  uint32_t s = slot_of(key, m->cap);
  while (m->keys[s] && m->keys[s] != key) s = (s + 1) & (m->cap - 1);
  if (!m->keys[s]) {
    m->keys[s] = key;
    m->vals[s] = (jz_usage_t){0, 0, 0, UINT32_MAX};
    m->n++;
  }
  return &m->vals[s];
}

jz_usage_t jz_usage_peek(const jz_usage_map_t *m, int32_t queue, int32_t entity) {
  jz_usage_t zero = {0, 0, 0, UINT32_MAX};
  if (m->cap == 0) return zero;
  uint64_t key = make_key(queue, entity);
  uint32_t s = slot_of(key, m->cap);
  while (m->keys[s]) {
    if (m->keys[s] == key) return m->vals[s];
    s = (s + 1) & (m->cap - 1);
  }
  return zero;
}
