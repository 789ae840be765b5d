/* order.c: queue order names and the ordered index of a waiting list (order.h). */
#include "sched/order.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define NIL UINT32_MAX

static const char *const names[JZ_ORDER_COUNT] = {"submit", "sjf", "ljf", "small", "large", "wfp3"};

const char *jz_order_name(jz_order_t o) { return o < JZ_ORDER_COUNT ? names[o] : "?"; }

int jz_order_find(const char *name) {
  for (int k = 0; k < JZ_ORDER_COUNT; k++)
    if (strcmp(names[k], name) == 0) return k;
  return -1;
}

int jz_oindex_init(jz_oindex_t *x, uint32_t njobs) {
  size_t n = njobs ? njobs : 1;
  x->key = malloc(n * sizeof *x->key);
  x->seq = malloc(n * sizeof *x->seq);
  x->l = malloc(n * sizeof *x->l);
  x->r = malloc(n * sizeof *x->r);
  x->pri = malloc(n * sizeof *x->pri);
  if (!x->key || !x->seq || !x->l || !x->r || !x->pri) return -JZ_ENOMEM;
  /* Fixed priorities from the job id (a multiplicative hash): deterministic shapes. */
  for (uint32_t i = 0; i < n; i++) x->pri[i] = (uint32_t)((i + 1) * UINT64_C(2654435761) >> 7);
  return 0;
}

void jz_oindex_free(jz_oindex_t *x) {
  free(x->key);
  free(x->seq);
  free(x->l);
  free(x->r);
  free(x->pri);
  memset(x, 0, sizeof *x);
}

static bool before(const jz_oindex_t *x, uint32_t a, uint32_t b) {
  return x->key[a] < x->key[b] || (x->key[a] == x->key[b] && x->seq[a] < x->seq[b]);
}

/* Split t into the nodes before job id (or at it too, when `with`) and the rest. */
static void split(jz_oindex_t *x, uint32_t t, uint32_t id, bool with, uint32_t *a, uint32_t *b) {
  if (t == NIL) {
    *a = *b = NIL;
  } else if (before(x, t, id) || (with && t == id)) {
    split(x, x->r[t], id, with, &x->r[t], b);
    *a = t;
  } else {
    split(x, x->l[t], id, with, a, &x->l[t]);
    *b = t;
  }
}

static uint32_t merge(jz_oindex_t *x, uint32_t a, uint32_t b) {
  if (a == NIL) return b;
  if (b == NIL) return a;
  if (x->pri[a] > x->pri[b]) {
    x->r[a] = merge(x, x->r[a], b);
    return a;
  }
  x->l[b] = merge(x, a, x->l[b]);
  return b;
}

uint32_t jz_oindex_insert(jz_oindex_t *x, uint32_t *root, uint32_t id, double key, uint32_t seq) {
  x->key[id] = key;
  x->seq[id] = seq;
  x->l[id] = x->r[id] = NIL;
  uint32_t pred = NIL;
  for (uint32_t t = *root; t != NIL;) {
    if (before(x, t, id)) {
      pred = t;
      t = x->r[t];
    } else {
      t = x->l[t];
    }
  }
  uint32_t a, b;
  split(x, *root, id, false, &a, &b);
  *root = merge(x, merge(x, a, id), b);
  return pred;
}

void jz_oindex_remove(jz_oindex_t *x, uint32_t *root, uint32_t id) {
  uint32_t a, m, b;
  split(x, *root, id, false, &a, &m);
  split(x, m, id, true, &m, &b);
  *root = merge(x, a, b);
}
