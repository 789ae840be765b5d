/* avail.c: availability profile as a treap of steps with lazy range addition (avail.h). */
#include "sched/avail.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "error.h"

#define NIL 0u
#define N(x) (p->n[(x)])

static int64_t min3(int64_t a, int64_t b, int64_t c) { return a < b ? (a < c ? a : c) : (b < c ? b : c); }
static int64_t max3(int64_t a, int64_t b, int64_t c) { return a > b ? (a > c ? a : c) : (b > c ? b : c); }

static void apply(jz_avail_t *p, uint32_t x, int64_t d) {
  if (x == NIL) return;
  N(x).v += d;
  N(x).mn += d;
  N(x).mx += d;
  N(x).lazy += d;
}

static void push(jz_avail_t *p, uint32_t x) {
  if (N(x).lazy) {
    apply(p, N(x).l, N(x).lazy);
    apply(p, N(x).r, N(x).lazy);
    N(x).lazy = 0;
  }
}

static void pull(jz_avail_t *p, uint32_t x) {
  N(x).mn = min3(N(x).v, N(N(x).l).mn, N(N(x).r).mn);
  N(x).mx = max3(N(x).v, N(N(x).l).mx, N(N(x).r).mx);
  N(x).lo = N(x).l != NIL ? N(N(x).l).lo : N(x).t;
  N(x).hi = N(x).r != NIL ? N(N(x).r).hi : N(x).t;
}

/* xorshift64*: fixed seed, so the tree's shape (and the run) is deterministic. */
static uint32_t next_pri(jz_avail_t *p) {
  p->rng ^= p->rng >> 12;
  p->rng ^= p->rng << 25;
  p->rng ^= p->rng >> 27;
  return (uint32_t)((p->rng * UINT64_C(2685821657736338717)) >> 32);
}

static uint32_t new_node(jz_avail_t *p, double t, int64_t v) {
  uint32_t x = p->freelist;
  if (x != NIL) {
    p->freelist = N(x).l;
  } else {
    if (p->used == p->cap) {
      uint32_t cap = p->cap * 2;
      jz_anode_t *n = realloc(p->n, (size_t)cap * sizeof *n);
      if (!n) return NIL;
      p->n = n;
      p->cap = cap;
    }
    x = p->used++;
  }
  N(x) = (jz_anode_t){.t = t, .v = v, .mn = v, .mx = v, .lo = t, .hi = t, .pri = next_pri(p), .ref = 1};
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
  push(p, x);
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
    push(p, a);
    N(a).r = merge(p, N(a).r, b);
    pull(p, a);
    return a;
  }
  push(p, b);
  N(b).l = merge(p, a, N(b).l);
  pull(p, b);
  return b;
}

/* Free units on the step containing t (the last node with key <= t). */
static int64_t value_at(const jz_avail_t *p, uint32_t x, double t) {
  int64_t acc = 0, val = 0;
  while (x != NIL) {
    if (N(x).t <= t) {
      val = N(x).v + acc;
      acc += N(x).lazy;
      x = N(x).r;
    } else {
      acc += N(x).lazy;
      x = N(x).l;
    }
  }
  return val;
}

int jz_avail_init(jz_avail_t *p, int64_t total, double now) {
  *p = (jz_avail_t){.cap = 64, .used = 1, .rng = UINT64_C(0x9e3779b97f4a7c15), .now = now};
  p->n = malloc((size_t)p->cap * sizeof *p->n);
  if (!p->n) return -JZ_ENOMEM;
  p->n[NIL] = (jz_anode_t){.mn = INT64_MAX, .mx = INT64_MIN};
  p->root = new_node(p, -INFINITY, total);
  return 0;
}

void jz_avail_free(jz_avail_t *p) {
  free(p->n);
  p->n = NULL;
}

void jz_avail_trim(jz_avail_t *p, double now) {
  if (now <= p->now) return;
  p->now = now;
  uint32_t a, b;
  split(p, p->root, now, 0, &a, &b);
  int64_t v = value_at(p, a, now);
  free_tree(p, a); /* a holds the old first node: the new one reuses a freed slot */
  p->root = merge(p, new_node(p, -INFINITY, v), b);
}

/* The node whose step starts at t, or NIL. */
static uint32_t find(const jz_avail_t *p, double t) {
  uint32_t x = p->root;
  while (x != NIL && N(x).t != t) x = t < N(x).t ? N(x).l : N(x).r;
  return x;
}

/* Insert node m (no such key yet) into subtree x, by priority. */
static uint32_t insert(jz_avail_t *p, uint32_t x, uint32_t m) {
  if (x == NIL) return m;
  if (N(m).pri > N(x).pri) {
    uint32_t l, r;
    split(p, x, N(m).t, 1, &l, &r);
    N(m).l = l;
    N(m).r = r;
    pull(p, m);
    return m;
  }
  push(p, x);
  if (N(m).t < N(x).t)
    N(x).l = insert(p, N(x).l, m);
  else
    N(x).r = insert(p, N(x).r, m);
  pull(p, x);
  return x;
}

/* Remove the node with key t from subtree x (it exists). */
static uint32_t erase(jz_avail_t *p, uint32_t x, double t) {
  push(p, x);
  if (N(x).t == t) {
    uint32_t y = merge(p, N(x).l, N(x).r);
    N(x).l = p->freelist;
    p->freelist = x;
    return y;
  }
  if (t < N(x).t)
    N(x).l = erase(p, N(x).l, t);
  else
    N(x).r = erase(p, N(x).r, t);
  pull(p, x);
  return x;
}

/* A boundary at t > now: counted once more, created with the value of the step it cuts (the
 * path to it is pushed on the way down, so its value needs no correction). */
static int ensure(jz_avail_t *p, double t) {
  uint32_t m = find(p, t);
  if (m != NIL) {
    N(m).ref++;
    return 0;
  }
  int64_t v = value_at(p, p->root, t);
  if ((m = new_node(p, t, v)) == NIL) return -JZ_ENOMEM;
  p->root = insert(p, p->root, m);
  return 0;
}

/* One range less starts or ends at t > now: remove the boundary when it was the last. The
 * steps on both sides then have the same value (nothing else changes there). */
static void unref(jz_avail_t *p, double t) {
  uint32_t m = find(p, t);
  if (m != NIL && --N(m).ref == 0) p->root = erase(p, p->root, t);
}

/* Add d to the steps of subtree x that start in [a, b). O(log n): a subtree wholly inside
 * takes the addition lazily, one wholly outside is not entered. */
static void range_add(jz_avail_t *p, uint32_t x, double a, double b, int64_t d) {
  if (x == NIL || N(x).hi < a || N(x).lo >= b) return;
  if (a <= N(x).lo && N(x).hi < b) {
    apply(p, x, d);
    return;
  }
  push(p, x);
  if (a <= N(x).t && N(x).t < b) N(x).v += d;
  range_add(p, N(x).l, a, b, d);
  range_add(p, N(x).r, a, b, d);
  pull(p, x);
}

int jz_avail_add(jz_avail_t *p, double a, double b, int64_t delta, int ref) {
  if (b <= p->now) return 0; /* wholly in the past */
  int has_a = a > p->now, has_b = b < INFINITY;
  if (ref > 0) {
    if (has_a && ensure(p, a)) return -JZ_ENOMEM;
    if (has_b && ensure(p, b)) return -JZ_ENOMEM;
  }
  range_add(p, p->root, has_a ? a : -INFINITY, b, delta);
  if (ref < 0) {
    if (has_a) unref(p, a);
    if (has_b) unref(p, b);
  }
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
  double cand; /* start of the current run of steps with u units free, or NAN */
  double res;  /* the answer, once settled */
} seek_t;

/* Settle the seek at the step (or subtree) beginning at t, whose values are all below u
 * (`bad`) or not known to be: 1 when the answer is known. */
static int seek_step(seek_t *s, double t, int64_t v) {
  if (!isnan(s->cand)) {
    double end = s->cand + s->w < s->horizon ? s->cand + s->w : s->horizon;
    if (t >= end) {
      s->res = s->cand;
      return 1;
    }
    if (v < s->u) s->cand = NAN;
    return 0;
  }
  if (v < s->u) return 0;
  s->cand = t;
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

/* Walk the steps of subtree x (ancestors add acc) that begin after s->from, in key order. */
static int seek_walk(const jz_avail_t *p, uint32_t x, int64_t acc, seek_t *s) {
  while (x != NIL) {
    int64_t down = acc + N(x).lazy;
    if (N(x).t <= s->from) { /* x and its left subtree are at or before the start */
      x = N(x).r;
      acc = down;
      continue;
    }
    if (N(x).lo > s->from) { /* the whole subtree is after the start: maybe jump over it */
      if (!isnan(s->cand)) {
        double end = s->cand + s->w < s->horizon ? s->cand + s->w : s->horizon;
        if (N(x).lo >= end) {
          s->res = s->cand;
          return 1;
        }
        if (N(x).mn + acc >= s->u) return 0;
      } else if (N(x).mx + acc < s->u) {
        return 0;
      }
    }
    if (seek_walk(p, N(x).l, down, s)) return 1;
    if (seek_step(s, N(x).t, N(x).v + acc)) return 1;
    x = N(x).r; /* the right subtree in the loop: no recursion there */
    acc = down;
  }
  return 0;
}

static double earliest(const jz_avail_t *p, int64_t u, double w, double from, double horizon,
                       double latest) {
  double start = from > p->now ? from : p->now; /* the candidate start */
  if (start >= horizon) return horizon;
  if (start > latest) return INFINITY;
  seek_t s = {.u = u, .w = w, .from = start, .horizon = horizon, .latest = latest,
              .cand = value_at(p, p->root, start) >= u ? start : NAN};
  if (seek_walk(p, p->root, 0, &s)) return s.res;
  return isnan(s.cand) ? horizon : s.cand; /* the last step lasts for ever */
}

int64_t jz_avail_max_before(const jz_avail_t *p, double b) {
  int64_t best = INT64_MIN, acc = 0;
  for (uint32_t x = p->root; x != NIL;) {
    int64_t down = acc + N(x).lazy;
    if (N(x).t < b) {
      if (N(x).v + acc > best) best = N(x).v + acc;
      if (N(x).l != NIL && N(N(x).l).mx + down > best) best = N(N(x).l).mx + down;
      x = N(x).r;
    } else {
      x = N(x).l;
    }
    acc = down;
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
  int64_t acc = 0, cacc = 0;
  double nxt = INFINITY, cnxt = INFINITY;
  bool sub = false;
  while (x != NIL && N(x).mx + acc >= u) {
    int64_t down = acc + N(x).lazy;
    if (N(x).t < b) {
      if (N(x).v + acc >= u) {
        cand = x, cacc = acc, cnxt = nxt, sub = false;
      } else if (N(x).l != NIL && N(N(x).l).mx + down >= u) {
        cand = N(x).l, cacc = down, cnxt = N(x).t, sub = true;
      }
      x = N(x).r;
    } else {
      nxt = N(x).t;
      x = N(x).l;
    }
    acc = down;
  }
  if (cand == NIL) return p->now;
  for (x = cand, acc = cacc, nxt = cnxt; sub;) { /* the last good node of the subtree */
    int64_t down = acc + N(x).lazy;
    if (N(x).r != NIL && N(N(x).r).mx + down >= u) {
      x = N(x).r;
    } else if (N(x).v + acc >= u) {
      break;
    } else {
      nxt = N(x).t;
      x = N(x).l;
    }
    acc = down;
  }
  double after = N(x).r != NIL ? N(N(x).r).lo : nxt;
  return after < b ? after : b;
}

int64_t jz_avail_free_now(const jz_avail_t *p) { return value_at(p, p->root, -INFINITY); }

int64_t jz_avail_min(const jz_avail_t *p) { return N(p->root).mn; }

static uint32_t count(const jz_avail_t *p, uint32_t x) {
  return x == NIL ? 0 : 1 + count(p, N(x).l) + count(p, N(x).r);
}

uint32_t jz_avail_steps(const jz_avail_t *p) { return count(p, p->root); }
