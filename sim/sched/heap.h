/* heap.h: indexed binary min-heap of (key, id), ties broken by id, with removal by id.
 *
 * Deterministic by construction (libuv's timer heap breaks ties by a sequence number; here
 * the dense job id plays that role). The position of each id lives in a caller-owned array
 * so one array can serve several heaps that never hold the same id at once. */
#ifndef JZ_HEAP_H
#define JZ_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JZ_HEAP_NONE UINT32_MAX

typedef struct jz_heap_entry {
  double key;
  uint32_t id;
} jz_heap_entry_t;

typedef struct jz_heap {
  jz_heap_entry_t *a;
  uint32_t n, cap;
  uint32_t *pos; /* pos[id] = index in a, or JZ_HEAP_NONE; caller-owned, may be shared */
} jz_heap_t;

void jz_heap_init(jz_heap_t *h, uint32_t *pos);
void jz_heap_free(jz_heap_t *h);
int jz_heap_push(jz_heap_t *h, double key, uint32_t id); /* 0 or -JZ_ENOMEM */
jz_heap_entry_t jz_heap_pop(jz_heap_t *h);               /* heap must not be empty */
void jz_heap_remove(jz_heap_t *h, uint32_t id);          /* id must be in h */
static inline bool jz_heap_empty(const jz_heap_t *h) { return h->n == 0; }
static inline jz_heap_entry_t jz_heap_top(const jz_heap_t *h) { return h->a[0]; }

/* In-order walk of the smallest entries without modifying the heap: each call to
 * jz_heap_walk_next yields the next entry in (key, id) order, in O(log k) for the k-th.
 * The walker owns a small scratch heap; reuse one walker to avoid allocations. */
typedef struct jz_heap_walk {
  const jz_heap_t *h;
  uint32_t *idx; /* scratch min-heap of indices into h->a */
  uint32_t n, cap;
} jz_heap_walk_t;

void jz_heap_walk_start(jz_heap_walk_t *w, const jz_heap_t *h);
bool jz_heap_walk_next(jz_heap_walk_t *w, jz_heap_entry_t *out); /* false when exhausted */
void jz_heap_walk_free(jz_heap_walk_t *w);

#endif
