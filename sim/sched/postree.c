/* postree.c: min-units / min-walltime segment tree over waiting-list positions. */
#include "sched/postree.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void jz_postree_init(jz_postree_t *t) { memset(t, 0, sizeof *t); }

void jz_postree_free(jz_postree_t *t) {
  free(t->ids);
  free(t->units);
  free(t->wall);
  memset(t, 0, sizeof *t);
}

static void pull(jz_postree_t *t, uint32_t i) {
  int64_t a = t->units[2 * i], b = t->units[2 * i + 1];
  double x = t->wall[2 * i], y = t->wall[2 * i + 1];
  t->units[i] = a < b ? a : b;
  t->wall[i] = x < y ? x : y;
}

static int grow(jz_postree_t *t) {
  uint32_t cap = t->cap ? t->cap * 2 : 256;
  uint32_t *ids = realloc(t->ids, (size_t)cap * sizeof *ids);
  int64_t *units = malloc((size_t)cap * 2 * sizeof *units);
  double *wall = malloc((size_t)cap * 2 * sizeof *wall);
  if (!ids || !units || !wall) {
    if (ids) t->ids = ids;
    free(units);
    free(wall);
    return -1;
  }
  for (uint32_t i = 0; i < cap; i++) {
    units[cap + i] = i < t->n ? t->units[t->cap + i] : INT64_MAX;
    wall[cap + i] = i < t->n ? t->wall[t->cap + i] : INFINITY;
  }
  free(t->units);
  free(t->wall);
  t->ids = ids;
  t->units = units;
  t->wall = wall;
  t->cap = cap;
  for (uint32_t i = cap - 1; i >= 1; i--) pull(t, i);
  return 0;
}

static void fix_up(jz_postree_t *t, uint32_t leaf) {
  for (uint32_t i = leaf / 2; i >= 1; i /= 2) pull(t, i);
}

uint32_t jz_postree_push(jz_postree_t *t, uint32_t id, int64_t units, double wall) {
  if (t->n == t->cap && grow(t) != 0) return UINT32_MAX;
  uint32_t pos = t->n++;
  t->ids[pos] = id;
  /* Leaves past n are already absent (grow): pushing an absent one changes no minimum. */
  if (units == INT64_MAX && wall == INFINITY) return pos;
  t->units[t->cap + pos] = units;
  t->wall[t->cap + pos] = wall;
  fix_up(t, t->cap + pos);
  return pos;
}

void jz_postree_remove(jz_postree_t *t, uint32_t pos) {
  t->units[t->cap + pos] = INT64_MAX;
  t->wall[t->cap + pos] = INFINITY;
  fix_up(t, t->cap + pos);
}

void jz_postree_restore(jz_postree_t *t, uint32_t pos, int64_t units, double wall) {
  t->units[t->cap + pos] = units;
  t->wall[t->cap + pos] = wall;
  fix_up(t, t->cap + pos);
}

static inline int may_pass(const jz_postree_t *t, uint32_t i, int64_t F, double W, int64_t E) {
  return t->units[i] <= F && (t->wall[i] <= W || t->units[i] <= E);
}

uint32_t jz_postree_next(const jz_postree_t *t, uint32_t from, int64_t F, double W, int64_t E) {
  if (from >= t->n) return UINT32_MAX;
  /* Walk right from the leaf: climb while the remaining part of each subtree cannot hold a
   * candidate, then descend into the first subtree that may. A subtree's minima are a
   * necessary condition only (the smallest units and the shortest walltime may belong to
   * different jobs), so the descent can fail and resume to the right. */
  uint32_t i = t->cap + from;
  for (;;) {
    if (may_pass(t, i, F, W, E)) {
      bool found = true;
      while (i < t->cap) {
        uint32_t l = 2 * i;
        if (may_pass(t, l, F, W, E)) {
          i = l;
        } else if (may_pass(t, l + 1, F, W, E)) {
          i = l + 1;
        } else { /* neither child can: resume to the right of this subtree */
          i = l + 1;
          found = false;
          break;
        }
      }
      if (found) {
        uint32_t pos = i - t->cap;
        return pos < t->n ? pos : UINT32_MAX;
      }
    }
    /* Next subtree to the right of i. */
    while (i & 1) {
      i /= 2;
      if (i <= 1) return UINT32_MAX;
    }
    i++;
  }
}
