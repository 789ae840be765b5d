/* heap.c: indexed binary min-heap with (key, id) ordering and an in-order walker. */
#include "sched/heap.h"

#include <stdlib.h>

#include "error.h"

static inline bool less(const jz_heap_entry_t *x, const jz_heap_entry_t *y) {
  return x->key < y->key || (x->key == y->key && x->id < y->id);
}

static inline void place(jz_heap_t *h, uint32_t i, jz_heap_entry_t e) {
  h->a[i] = e;
  h->pos[e.id] = i;
}

static void sift_up(jz_heap_t *h, uint32_t i) {
  jz_heap_entry_t e = h->a[i];
  while (i > 0) {
    uint32_t p = (i - 1) / 2;
    if (!less(&e, &h->a[p])) break;
    place(h, i, h->a[p]);
    i = p;
  }
  place(h, i, e);
}

static void sift_down(jz_heap_t *h, uint32_t i) {
  jz_heap_entry_t e = h->a[i];
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && less(&h->a[c + 1], &h->a[c])) c++;
    if (!less(&h->a[c], &e)) break;
    place(h, i, h->a[c]);
    i = c;
  }
  place(h, i, e);
}

void jz_heap_init(jz_heap_t *h, uint32_t *pos) {
  h->a = NULL;
  h->n = h->cap = 0;
  h->pos = pos;
}

void jz_heap_free(jz_heap_t *h) {
  free(h->a);
  h->a = NULL;
  h->n = h->cap = 0;
}

int jz_heap_push(jz_heap_t *h, double key, uint32_t id) {
  if (h->n == h->cap) {
    uint32_t cap = h->cap ? h->cap * 2 : 64;
    jz_heap_entry_t *a = realloc(h->a, (size_t)cap * sizeof *a);
    if (!a) return -JZ_ENOMEM;
    h->a = a;
    h->cap = cap;
  }
  h->a[h->n] = (jz_heap_entry_t){key, id};
  h->pos[id] = h->n;
  h->n++;
  sift_up(h, h->n - 1);
  return 0;
}

jz_heap_entry_t jz_heap_pop(jz_heap_t *h) {
  jz_heap_entry_t top = h->a[0];
  h->pos[top.id] = JZ_HEAP_NONE;
  if (--h->n > 0) {
    h->a[0] = h->a[h->n];
    sift_down(h, 0);
  }
  return top;
}

void jz_heap_remove(jz_heap_t *h, uint32_t id) {
  uint32_t i = h->pos[id];
  h->pos[id] = JZ_HEAP_NONE;
  if (i == --h->n) return;
  jz_heap_entry_t last = h->a[h->n];
  jz_heap_entry_t old = h->a[i];
  place(h, i, last);
  if (less(&last, &old))
    sift_up(h, i);
  else
    sift_down(h, i);
}

/* Walker: a second heap over indices of h->a; popping index i pushes its children. */
static inline bool wless(const jz_heap_walk_t *w, uint32_t x, uint32_t y) {
  return less(&w->h->a[x], &w->h->a[y]);
}

static void walk_push(jz_heap_walk_t *w, uint32_t v) {
  if (w->n == w->cap) {
    uint32_t cap = w->cap ? w->cap * 2 : 64;
    uint32_t *idx = realloc(w->idx, (size_t)cap * sizeof *idx);
    if (!idx) abort(); /* a few hundred bytes; treat as fatal rather than thread ENOMEM */
    w->idx = idx;
    w->cap = cap;
  }
  uint32_t i = w->n++;
  while (i > 0) {
    uint32_t p = (i - 1) / 2;
    if (!wless(w, v, w->idx[p])) break;
    w->idx[i] = w->idx[p];
    i = p;
  }
  w->idx[i] = v;
}

static uint32_t walk_pop(jz_heap_walk_t *w) {
  uint32_t top = w->idx[0];
  uint32_t v = w->idx[--w->n];
  uint32_t i = 0;
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= w->n) break;
    if (c + 1 < w->n && wless(w, w->idx[c + 1], w->idx[c])) c++;
    if (!wless(w, w->idx[c], v)) break;
    w->idx[i] = w->idx[c];
    i = c;
  }
  if (w->n > 0) w->idx[i] = v;
  return top;
}

void jz_heap_walk_start(jz_heap_walk_t *w, const jz_heap_t *h) {
  w->h = h;
  w->n = 0;
  if (h->n > 0) walk_push(w, 0);
}

bool jz_heap_walk_next(jz_heap_walk_t *w, jz_heap_entry_t *out) {
  if (w->n == 0) return false;
  uint32_t i = walk_pop(w);
  *out = w->h->a[i];
  uint32_t c = 2 * i + 1;
  if (c < w->h->n) walk_push(w, c);
  if (c + 1 < w->h->n) walk_push(w, c + 1);
  return true;
}

void jz_heap_walk_free(jz_heap_walk_t *w) {
  free(w->idx);
  w->idx = NULL;
  w->n = w->cap = 0;
}
