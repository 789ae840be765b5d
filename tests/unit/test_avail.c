/* test_avail.c: the availability profile (avail.h) against a brute-force step array, on
 * random reservations placed, moved and taken back, with time advancing. */
#include "jz_test.h"

#include <math.h>
#include <stdlib.h>

#include "sched/avail.h"

enum { T = 400, TOTAL = 16, NR = 300 };

/* The model: free units at each integer time [now, T), the rest is TOTAL. */
static int64_t model[T];

static int64_t model_at(double t) { return t >= T ? TOTAL : model[(int)t]; }

static double model_earliest(int now, int64_t u, double w, double horizon) {
  for (int t = now; t < horizon && t <= T; t++) {
    bool ok = true;
    for (int x = t; x < t + w && x < horizon && ok; x++) ok = model_at(x) >= u;
    if (ok) return t;
  }
  return horizon;
}

/* The same from `from`, giving up past `latest` (jz_avail_earliest_from). */
static double model_earliest_from(int now, int64_t u, double w, double from, double latest) {
  for (int t = from > now ? (int)from : now; t <= latest; t++) {
    if (t >= T) return t; /* everything is free there */
    bool ok = true;
    for (int x = t; x < t + w && ok; x++) ok = model_at(x) >= u;
    if (ok) return t;
  }
  return INFINITY;
}

/* Where the stretch just before b with fewer than u units free begins (jz_avail_short_before). */
static double model_short_before(int now, int64_t u, double b) {
  int x = (int)b;
  while (x > now && model_at(x - 1) < u) x--;
  return x;
}

typedef struct rsv { double a, b; int64_t u; bool on; } rsv_t;

static void test_random(void **state) {
  (void)state;
  static rsv_t r[NR];
  jz_avail_t p;
  assert_int_equal(jz_avail_init(&p, TOTAL, 0), 0);
  for (int t = 0; t < T; t++) model[t] = TOTAL;
  srand(7);
  int now = 0;
  for (int step = 0; step < 20000; step++) {
    int k = rand() % NR, op = rand() % 10;
    if (op == 0 && now < T - 50) { /* time advances */
      now += 1 + rand() % 3;
      jz_avail_trim(&p, now);
    } else if (!r[k].on) { /* place at the earliest slot, as conservative does */
      int64_t u = 1 + rand() % TOTAL;
      double w = 1 + rand() % 40;
      double t = jz_avail_earliest(&p, u, w, INFINITY);
      assert_true(t == model_earliest(now, u, w, INFINITY));
      if (t + w >= T) continue;
      r[k] = (rsv_t){t, t + w, u, true};
      assert_int_equal(jz_avail_add(&p, t, t + w, -u, +1), 0);
      for (int x = (int)t; x < t + w; x++) model[x] -= u;
    } else { /* take back (what is left of) it */
      assert_int_equal(jz_avail_add(&p, r[k].a, r[k].b, r[k].u, -1), 0);
      for (int x = (int)r[k].a; x < r[k].b; x++) model[x] += r[k].u;
      r[k].on = false;
    }
    /* Queries: the capped search (could a job at some slot move earlier?) and the prefix max. */
    int64_t u = 1 + rand() % TOTAL;
    double w = 1 + rand() % 40, h = now + rand() % 100;
    assert_true(jz_avail_earliest(&p, u, w, h) == model_earliest(now, u, w, h));
    double from = now + rand() % 60, latest = rand() % 3 ? from + rand() % 120 : INFINITY;
    if (latest > T) latest = INFINITY; /* past the model's horizon everything is free */
    assert_true(jz_avail_earliest_from(&p, u, w, from, latest) == model_earliest_from(now, u, w, from, latest));
    double b = now + 1 + rand() % 120;
    assert_true(jz_avail_short_before(&p, u, b) == model_short_before(now, u, b));
    assert_int_equal(jz_avail_free_before(&p, b), model_at(b - 1));
    int64_t mx = INT64_MIN;
    for (int x = now; x < h && x < T; x++) mx = model[x] > mx ? model[x] : mx;
    if (h > now) assert_int_equal(jz_avail_max_before(&p, h), mx);
    assert_int_equal(jz_avail_free_now(&p), model[now]);
    assert_true(jz_avail_min(&p) >= 0);
  }
  /* Everything taken back: one step is left (boundaries with no range are removed). */
  for (int k = 0; k < NR; k++)
    if (r[k].on) assert_int_equal(jz_avail_add(&p, r[k].a, r[k].b, r[k].u, -1), 0);
  assert_int_equal(jz_avail_steps(&p), 1);
  assert_int_equal(jz_avail_free_now(&p), TOTAL);
  jz_avail_free(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_random)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
