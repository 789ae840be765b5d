/* avail.c: availability profile as a treap of steps with lazy range addition (avail.h). */
#include "sched/avail.h"

#include <math.h>
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

/* First node with key >= k (strict: > k) whose free value is below u (below: 1) or at least u
 * (below: 0), in the subtree x whose ancestors add acc. O(depth): a subtree wholly in range
 * is entered only when its min (or max) says it holds a match. */
static uint32_t first_match(const jz_avail_t *p, uint32_t x, double k, int strict, int64_t u,
                            int below, int64_t acc) {
  if (x == NIL) return NIL;
  if (below ? N(x).mn + acc >= u : N(x).mx + acc < u) return NIL;
  int64_t down = acc + N(x).lazy;
  if (strict ? N(x).t <= k : N(x).t < k) return first_match(p, N(x).r, k, strict, u, below, down);
  uint32_t r = first_match(p, N(x).l, k, strict, u, below, down);
  if (r != NIL) return r;
  int64_t v = N(x).v + acc;
  if (below ? v < u : v >= u) return x;
  return first_match(p, N(x).r, k, strict, u, below, down);
}

static double earliest(const jz_avail_t *p, int64_t u, double w, double from, double horizon,
                       double latest) {
  double start = from > p->now ? from : p->now; /* the candidate start */
  for (;;) {
    if (start >= horizon) return horizon;
    if (start > latest) return INFINITY;
    double end = start + w < horizon ? start + w : horizon;
    /* The first too-busy step over [start, end): the one holding start, or a later one. */
    double bad = start;
    if (value_at(p, p->root, start) >= u) {
      uint32_t b = first_match(p, p->root, start, 1, u, 1, 0);
      if (b == NIL || N(b).t >= end) return start;
      bad = N(b).t;
    }
    uint32_t g = first_match(p, p->root, bad, 1, u, 0, 0);
    if (g == NIL) return horizon;
    start = N(g).t;
  }
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

/* Last node with key < k whose free value is at least u. */
static uint32_t last_good(const jz_avail_t *p, uint32_t x, double k, int64_t u, int64_t acc) {
  if (x == NIL || N(x).mx + acc < u) return NIL;
  int64_t down = acc + N(x).lazy;
  if (N(x).t >= k) return last_good(p, N(x).l, k, u, down);
  uint32_t r = last_good(p, N(x).r, k, u, down);
  if (r != NIL) return r;
  if (N(x).v + acc >= u) return x;
  return last_good(p, N(x).l, k, u, down);
}

double jz_avail_short_before(const jz_avail_t *p, int64_t u, double b) {
  uint32_t g = last_good(p, p->root, b, u, 0);
  if (g == NIL) return p->now;
  double after = INFINITY; /* the next boundary after g's */
  for (uint32_t x = p->root; x != NIL;) {
    if (N(x).t > N(g).t) {
      after = N(x).t;
      x = N(x).l;
    } else {
      x = N(x).r;
    }
  }
  return after < b ? after : b;
}

int64_t jz_avail_free_now(const jz_avail_t *p) { return value_at(p, p->root, -INFINITY); }

int64_t jz_avail_min(const jz_avail_t *p) { return N(p->root).mn; }

static uint32_t count(const jz_avail_t *p, uint32_t x) {
  return x == NIL ? 0 : 1 + count(p, N(x).l) + count(p, N(x).r);
}

uint32_t jz_avail_steps(const jz_avail_t *p) { return count(p, p->root); }
