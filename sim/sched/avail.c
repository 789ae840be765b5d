/* avail.c: availability profile as a treap of steps keyed by time, each node holding the
 * change of free units at its time (avail.h). */
#include "sched/avail.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "error.h"

#define NIL 0u
#define N(x) (p->n[(x)])

/* Subtree sums and the smallest / largest running sum (a step's free units, less what the
 * steps before the subtree add) from its children. */
static void pull(jz_avail_t *p, uint32_t x) {
  uint32_t l = N(x).l, r = N(x).r;
  int64_t s = N(l).sum + N(x).d, mn = s, mx = s;
  if (l != NIL) {
    if (N(l).mn < mn) mn = N(l).mn;
    if (N(l).mx > mx) mx = N(l).mx;
    N(x).lo = N(l).lo;
  } else {
    N(x).lo = N(x).t;
  }
  if (r != NIL) {
    if (s + N(r).mn < mn) mn = s + N(r).mn;
    if (s + N(r).mx > mx) mx = s + N(r).mx;
  }
  N(x).sum = s + N(r).sum;
  N(x).mn = mn;
  N(x).mx = mx;
}

/* xorshift64*: fixed seed, so the tree's shape (and the run) is deterministic. */
static uint32_t next_pri(jz_avail_t *p) {
  p->rng ^= p->rng >> 12;
  p->rng ^= p->rng << 25;
  p->rng ^= p->rng >> 27;
  return (uint32_t)((p->rng * UINT64_C(2685821657736338717)) >> 32);
}

static uint32_t new_node(jz_avail_t *p, double t, int64_t d) {
  uint32_t x = p->freelist;
  if (x != NIL) {
    p->freelist = N(x).l;
  } else {
    if (p->used == p->cap) {
      uint32_t cap = p->cap * 2;
      jz_anode_t *n = realloc(p->n, (size_t)cap * sizeof *n);
      if (!n) return NIL;
      p->n = n;
      jz_aframe_t *path = realloc(p->path, (size_t)cap * sizeof *path);
      if (!path) return NIL;
      p->path = path;
      p->cap = cap;
    }
    x = p->used++;
  }
  N(x) = (jz_anode_t){.t = t, .lo = t, .d = d, .sum = d, .mn = d, .mx = d, .pri = next_pri(p), .ref = 1};
  return x;
}

static void free_tree(jz_avail_t *p, uint32_t x) {
  if (x == NIL) return;
  free_tree(p, N(x).r);
  uint32_t l = N(x).l;
  N(x).l = p->freelist;
  p->freelist = x;
  free_tree(p, l);
}

/* Split x into keys before `key` (< key when strict, <= key otherwise) and the rest. */
static void split(jz_avail_t *p, uint32_t x, double key, int strict, uint32_t *a, uint32_t *b) {
  if (x == NIL) {
    *a = *b = NIL;
    return;
  }
  if (strict ? N(x).t < key : N(x).t <= key) {
    uint32_t r;
    split(p, N(x).r, key, strict, &r, b);
    N(x).r = r;
    pull(p, x);
    *a = x;
  } else {
    uint32_t l;
    split(p, N(x).l, key, strict, a, &l);
    N(x).l = l;
    pull(p, x);
    *b = x;
  }
}

static uint32_t merge(jz_avail_t *p, uint32_t a, uint32_t b) {
  if (a == NIL) return b;
  if (b == NIL) return a;
  if (N(a).pri > N(b).pri) {
    N(a).r = merge(p, N(a).r, b);
    pull(p, a);
    return a;
  }
  N(b).l = merge(p, a, N(b).l);
  pull(p, b);
  return b;
}

/* Free units on the step containing t (the last node with key <= t), or just before t
 * (strict: the last node with key < t). */
static int64_t value_at(const jz_avail_t *p, double t, int strict) {
  int64_t off = 0, val = 0;
  for (uint32_t x = p->root; x != NIL;) {
    if (strict ? N(x).t < t : N(x).t <= t) {
      val = off + N(N(x).l).sum + N(x).d;
      off = val;
      x = N(x).r;
    } else {
      x = N(x).l;
    }
  }
  return val;
}

int jz_avail_init(jz_avail_t *p, int64_t total, double now) {
  *p = (jz_avail_t){.cap = 64, .used = 1, .rng = UINT64_C(0x9e3779b97f4a7c15), .now = now};
  p->n = malloc((size_t)p->cap * sizeof *p->n);
  p->path = malloc((size_t)p->cap * sizeof *p->path);
  if (!p->n || !p->path) {
    jz_avail_free(p);
    return -JZ_ENOMEM;
  }
  p->n[NIL] = (jz_anode_t){.mn = INT64_MAX, .mx = INT64_MIN};
  p->root = new_node(p, -INFINITY, total);
  return 0;
}

void jz_avail_free(jz_avail_t *p) {
  free(p->n);
  free(p->path);
  p->n = NULL;
  p->path = NULL;
}

void jz_avail_trim(jz_avail_t *p, double now) {
  if (now <= p->now) return;
  p->now = now;
  uint32_t a, b;
  split(p, p->root, now, 0, &a, &b);
  int64_t v = N(a).sum; /* the free units at now: every change up to it */
  free_tree(p, a); /* a holds the old first node: the new one reuses a freed slot */
  p->root = merge(p, new_node(p, -INFINITY, v), b);
}

/* d more units free from t on. An existing boundary is counted once more (ref +1) or once
 * less (-1), and removed when no range starts or ends there any more (its change is then 0:
 * the ranges that met there cancel out, so the steps on both sides have the same value). A
 * new one (ref +1) goes where a treap insertion puts it: in place of the first node on the
 * way down with a lower priority, that node's subtree split around it. One descent, then the
 * sums on the way back up. */
static int change_at(jz_avail_t *p, double t, int64_t d, int ref) {
  uint32_t n = 0, x = p->root, k, y;
  while (x != NIL && N(x).t != t) {
    p->path[n++].x = x;
    x = t < N(x).t ? N(x).l : N(x).r;
  }
  if (x != NIL) {
    N(x).d += d;
    N(x).ref += (uint32_t)ref;
    if (N(x).ref == 0) {
      y = merge(p, N(x).l, N(x).r);
      N(x).l = p->freelist;
      p->freelist = x;
    } else {
      pull(p, x);
      y = x;
    }
    k = n;
  } else if (ref > 0) {
    if ((y = new_node(p, t, d)) == NIL) return -JZ_ENOMEM;
    for (k = 0; k < n && N(y).pri <= N(p->path[k].x).pri;) k++;
    if (k < n) {
      uint32_t l, r;
      split(p, p->path[k].x, t, 1, &l, &r);
      N(y).l = l;
      N(y).r = r;
      pull(p, y);
    }
  } else {
    return 0; /* not a boundary: never asked (ranges are taken back as placed) */
  }
  if (k == 0) {
    p->root = y;
  } else {
    uint32_t up = p->path[k - 1].x;
    if (t < N(up).t)
      N(up).l = y;
    else
      N(up).r = y;
  }
  while (k > 0) pull(p, p->path[--k].x);
  return 0;
}

int jz_avail_add(jz_avail_t *p, double a, double b, int64_t delta, int ref) {
  if (b <= p->now) return 0; /* wholly in the past */
  /* From now: a change of the first node, which no range starts at. */
  if (change_at(p, a > p->now ? a : -INFINITY, delta, a > p->now ? ref : 0)) return -JZ_ENOMEM;
  if (b < INFINITY && change_at(p, b, -delta, ref)) return -JZ_ENOMEM;
  return 0;
}

/* The earliest search walks the steps after the candidate start in key order, once, as an
 * in-order traversal that jumps over whole subtrees: while a candidate stands, a subtree
 * whose steps all have u units free (its min) only lengthens its run, and one that starts at
 * or after the candidate's end settles it; while none stands, a subtree with no step of u
 * units (its max) is jumped over. So the cost is one descent plus O(log n) per stretch of
 * steps changing from enough to too few units or back, without going back to the root for
 * each (as two "first step below / at least u after t" descents per stretch would). */
typedef struct seek {
  int64_t u;
  double w, from, horizon, latest;
  double cand, end; /* start of the current run of steps with u units free, and where it is
                       long enough (cand + w, or the horizon) */
  bool on;           /* such a run stands */
  double res;        /* the answer, once settled */
} seek_t;

/* Settle the seek at the step (or subtree) beginning at t, whose values are all below u
 * (`bad`) or not known to be: 1 when the answer is known. */
static int seek_step(seek_t *s, double t, int64_t v) {
  if (s->on) {
    if (t >= s->end) {
      s->res = s->cand;
      return 1;
    }
    s->on = v >= s->u;
    return 0;
  }
  if (v < s->u) return 0;
  s->cand = t;
  s->on = true;
  s->end = t + s->w < s->horizon ? t + s->w : s->horizon;
  if (t >= s->horizon) {
    s->res = s->horizon;
    return 1;
  }
  if (t > s->latest) {
    s->res = INFINITY;
    return 1;
  }
  return 0;
}

/* Walk the steps after s->from in key order, in order from the root with the nodes still to
 * visit (after their left subtree) on p->path. */
static double seek_walk(const jz_avail_t *p, seek_t *s) {
  uint32_t n = 0, x = p->root;
  int64_t off = 0;
  for (;;) {
    while (x != NIL) {
      int64_t val = off + N(N(x).l).sum + N(x).d; /* x's free units */
      if (N(x).t <= s->from) { /* x and its left subtree are at or before the start */
        x = N(x).r;
        off = val;
        continue;
      }
      if (N(x).lo > s->from) { /* the whole subtree is after the start: maybe jump over it */
        if (s->on) {
          if (N(x).lo >= s->end) return s->cand;
          if (off + N(x).mn >= s->u) break;
        } else if (off + N(x).mx < s->u) {
          break;
        }
      }
      p->path[n++] = (jz_aframe_t){x, off};
      x = N(x).l;
    }
    if (n == 0) return s->on ? s->cand : s->horizon; /* the last step lasts for ever */
    jz_aframe_t f = p->path[--n];
    x = f.x;
    off = f.off + N(N(x).l).sum + N(x).d;
    if (seek_step(s, N(x).t, off)) return s->res;
    x = N(x).r;
  }
}

static double earliest(const jz_avail_t *p, int64_t u, double w, double from, double horizon,
                       double latest) {
  double start = from > p->now ? from : p->now; /* the candidate start */
  if (start >= horizon) return horizon;
  if (start > latest) return INFINITY;
  seek_t s = {.u = u, .w = w, .from = start, .horizon = horizon, .latest = latest, .cand = start,
              .end = start + w < horizon ? start + w : horizon, .on = value_at(p, start, 0) >= u};
  return seek_walk(p, &s);
}

int64_t jz_avail_max_before(const jz_avail_t *p, double b) {
  int64_t best = INT64_MIN, off = 0;
  for (uint32_t x = p->root; x != NIL;) {
    if (N(x).t < b) {
      uint32_t l = N(x).l;
      if (l != NIL && off + N(l).mx > best) best = off + N(l).mx;
      off += N(l).sum + N(x).d;
      if (off > best) best = off;
      x = N(x).r;
    } else {
      x = N(x).l;
    }
  }
  return best;
}

double jz_avail_earliest(const jz_avail_t *p, int64_t u, double w, double horizon) {
  return earliest(p, u, w, -INFINITY, horizon, INFINITY);
}

double jz_avail_earliest_by(const jz_avail_t *p, int64_t u, double w, double latest) {
  return earliest(p, u, w, -INFINITY, INFINITY, latest);
}

double jz_avail_earliest_from(const jz_avail_t *p, int64_t u, double w, double from, double latest) {
  return earliest(p, u, w, from, INFINITY, latest);
}

/* The last step before b with u units free is the last such one in key order among the
 * nodes where the descent towards b turns right, each followed by its left subtree: one
 * descent keeps the latest (a node, or a left subtree whose max says it holds one), then one
 * more finds the last good node in that subtree. The boundary after it is its right subtree's
 * first key, else the key where the descent last turned left above it. */
double jz_avail_short_before(const jz_avail_t *p, int64_t u, double b) {
  uint32_t x = p->root, cand = NIL;
  int64_t off = 0, coff = 0;
  double nxt = INFINITY, cnxt = INFINITY;
  bool sub = false;
  while (x != NIL && off + N(x).mx >= u) {
    uint32_t l = N(x).l;
    if (N(x).t < b) {
      int64_t val = off + N(l).sum + N(x).d;
      if (val >= u) {
        cand = x, coff = off, cnxt = nxt, sub = false;
      } else if (l != NIL && off + N(l).mx >= u) {
        cand = l, coff = off, cnxt = N(x).t, sub = true;
      }
      off = val;
      x = N(x).r;
    } else {
      nxt = N(x).t;
      x = l;
    }
  }
  if (cand == NIL) return p->now;
  for (x = cand, off = coff, nxt = cnxt; sub;) { /* the last good node of the subtree */
    int64_t val = off + N(N(x).l).sum + N(x).d;
    if (N(x).r != NIL && val + N(N(x).r).mx >= u) {
      off = val;
      x = N(x).r;
    } else if (val >= u) {
      break;
    } else {
      nxt = N(x).t;
      x = N(x).l;
    }
  }
  double after = N(x).r != NIL ? N(N(x).r).lo : nxt;
  return after < b ? after : b;
}

int64_t jz_avail_free_before(const jz_avail_t *p, double b) { return value_at(p, b, 1); }

int64_t jz_avail_free_now(const jz_avail_t *p) { return value_at(p, -INFINITY, 0); }

int64_t jz_avail_min(const jz_avail_t *p) { return N(p->root).mn; }

static uint32_t count(const jz_avail_t *p, uint32_t x) {
  return x == NIL ? 0 : 1 + count(p, N(x).l) + count(p, N(x).r);
}

uint32_t jz_avail_steps(const jz_avail_t *p) { return count(p, p->root); }
