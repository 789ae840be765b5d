/* profile.c: availability profile as a treap of steps with lazy range addition (profile.h). */
#include "sched/profile.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

#define NIL 0u
#define N(x) (p->n[(x)])

static int64_t min3(int64_t a, int64_t b, int64_t c) { return a < b ? (a < c ? a : c) : (b < c ? b : c); }
static int64_t max3(int64_t a, int64_t b, int64_t c) { return a > b ? (a > c ? a : c) : (b > c ? b : c); }

static void apply(jz_profile_t *p, uint32_t x, int64_t d) {
  if (x == NIL) return;
  N(x).v += d;
  N(x).mn += d;
  N(x).mx += d;
  N(x).lazy += d;
}

static void push(jz_profile_t *p, uint32_t x) {
  if (N(x).lazy) {
    apply(p, N(x).l, N(x).lazy);
    apply(p, N(x).r, N(x).lazy);
    N(x).lazy = 0;
  }
}

static void pull(jz_profile_t *p, uint32_t x) {
  N(x).mn = min3(N(x).v, N(N(x).l).mn, N(N(x).r).mn);
  N(x).mx = max3(N(x).v, N(N(x).l).mx, N(N(x).r).mx);
}

/* xorshift64*: fixed seed, so the tree's shape (and the run) is deterministic. */
static uint32_t next_pri(jz_profile_t *p) {
  p->rng ^= p->rng >> 12;
  p->rng ^= p->rng << 25;
  p->rng ^= p->rng >> 27;
  return (uint32_t)((p->rng * UINT64_C(2685821657736338717)) >> 32);
}

static uint32_t new_node(jz_profile_t *p, double t, int64_t v) {
  uint32_t x = p->freelist;
  if (x != NIL) {
    p->freelist = N(x).l;
  } else {
    if (p->used == p->cap) {
      uint32_t cap = p->cap * 2;
      jz_pnode_t *n = realloc(p->n, (size_t)cap * sizeof *n);
      if (!n) return NIL;
      p->n = n;
      p->cap = cap;
    }
    x = p->used++;
  }
  N(x) = (jz_pnode_t){.t = t, .v = v, .mn = v, .mx = v, .pri = next_pri(p), .ref = 1};
  return x;
}

static void free_tree(jz_profile_t *p, uint32_t x) {
  if (x == NIL) return;
  free_tree(p, N(x).r);
  uint32_t l = N(x).l;
  N(x).l = p->freelist;
  p->freelist = x;
  free_tree(p, l);
}

/* Split x into keys before `key` (< key when strict, <= key otherwise) and the rest. */
static void split(jz_profile_t *p, uint32_t x, double key, int strict, uint32_t *a, uint32_t *b) {
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

static uint32_t merge(jz_profile_t *p, uint32_t a, uint32_t b) {
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
static int64_t value_at(const jz_profile_t *p, uint32_t x, double t) {
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

int jz_profile_init(jz_profile_t *p, int64_t total, double now) {
  *p = (jz_profile_t){.cap = 64, .used = 1, .rng = UINT64_C(0x9e3779b97f4a7c15), .now = now};
  p->n = malloc((size_t)p->cap * sizeof *p->n);
  if (!p->n) return -JZ_ENOMEM;
  p->n[NIL] = (jz_pnode_t){.mn = INT64_MAX, .mx = INT64_MIN};
  p->root = new_node(p, -INFINITY, total);
  return 0;
}

void jz_profile_free(jz_profile_t *p) {
  free(p->n);
  p->n = NULL;
}

void jz_profile_trim(jz_profile_t *p, double now) {
  if (now <= p->now) return;
  p->now = now;
  uint32_t a, b;
  split(p, p->root, now, 0, &a, &b);
  int64_t v = value_at(p, a, now);
  free_tree(p, a); /* a holds the old first node: the new one reuses a freed slot */
  p->root = merge(p, new_node(p, -INFINITY, v), b);
}

/* A boundary at t > now: counted once more, created with the value of the step it cuts. */
static int ensure(jz_profile_t *p, double t) {
  uint32_t a, m, c;
  int64_t v = value_at(p, p->root, t);
  split(p, p->root, t, 1, &a, &m);
  split(p, m, t, 0, &m, &c);
  if (m != NIL) {
    N(m).ref++;
  } else if ((m = new_node(p, t, v)) == NIL) {
    p->root = merge(p, a, c);
    return -JZ_ENOMEM;
  }
  p->root = merge(p, merge(p, a, m), c);
  return 0;
}

/* One range less starts or ends at t > now: remove the boundary when it was the last. The
 * steps on both sides then have the same value (nothing else changes there). */
static void unref(jz_profile_t *p, double t) {
  uint32_t a, m, c;
  split(p, p->root, t, 1, &a, &m);
  split(p, m, t, 0, &m, &c);
  if (m != NIL && --N(m).ref == 0) {
    N(m).l = p->freelist;
    p->freelist = m;
    m = NIL;
  }
  p->root = merge(p, merge(p, a, m), c);
}

int jz_profile_add(jz_profile_t *p, double a, double b, int64_t delta, int ref) {
  if (b <= p->now) return 0; /* wholly in the past */
  int has_a = a > p->now, has_b = b < INFINITY;
  if (ref > 0) {
    if (has_a && ensure(p, a)) return -JZ_ENOMEM;
    if (has_b && ensure(p, b)) return -JZ_ENOMEM;
  }
  uint32_t left = NIL, mid = p->root, right = NIL;
  if (has_a) split(p, p->root, a, 1, &left, &mid);
  if (has_b) split(p, mid, b, 1, &mid, &right);
  apply(p, mid, delta);
  p->root = merge(p, merge(p, left, mid), right);
  if (ref < 0) {
    if (has_a) unref(p, a);
    if (has_b) unref(p, b);
  }
  return 0;
}

/* First node with key >= k (strict: > k) whose free value is below u (below: 1) or at least u
 * (below: 0), in the subtree x whose ancestors add acc. O(depth): a subtree wholly in range
 * is entered only when its min (or max) says it holds a match. */
static uint32_t first_match(const jz_profile_t *p, uint32_t x, double k, int strict, int64_t u,
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

double jz_profile_earliest(const jz_profile_t *p, int64_t u, double w, double horizon) {
  double key = -INFINITY; /* the step where the candidate start lies */
  for (;;) {
    double start = key == -INFINITY ? p->now : key;
    if (start >= horizon) return horizon;
    double end = start + w < horizon ? start + w : horizon;
    uint32_t b = first_match(p, p->root, key, 0, u, 1, 0);
    if (b == NIL || (N(b).t != -INFINITY && N(b).t >= end)) return start;
    uint32_t g = first_match(p, p->root, N(b).t, 1, u, 0, 0);
    if (g == NIL) return horizon;
    key = N(g).t;
  }
}

int64_t jz_profile_max_before(const jz_profile_t *p, double b) {
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

int64_t jz_profile_free_before(const jz_profile_t *p, double b) {
  int64_t acc = 0, val = 0;
  for (uint32_t x = p->root; x != NIL;) {
    if (N(x).t < b) {
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

int64_t jz_profile_free_now(const jz_profile_t *p) { return value_at(p, p->root, -INFINITY); }

int64_t jz_profile_min(const jz_profile_t *p) { return N(p->root).mn; }

static uint32_t count(const jz_profile_t *p, uint32_t x) {
  return x == NIL ? 0 : 1 + count(p, N(x).l) + count(p, N(x).r);
}

uint32_t jz_profile_steps(const jz_profile_t *p) { return count(p, p->root); }
