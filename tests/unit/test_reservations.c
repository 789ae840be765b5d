/* test_reservations.c: dedicated allocations holding, lending and giving back nodes,
 * hand-computed on four one-core nodes (0-3) whose nodes 2-3 are dedicated to account `a` from
 * 100 s to 1000 s (tests/data/good/resv1.yaml: no overflow, no lending; resv2.yaml: lending
 * and overflow). Accounts other than `a` are "others". */
#include "jz_test.h"

#include "metrics/stats.h"

static jz_job_t *job(jz_job_table_t *t, double submit, double run, int cores, const char *account) {
  jz_job_t *j = jz_test_job(t, submit, run, run, cores);
  j->account = jz_test_str(t, account);
  return j;
}

static void expect(const jz_test_sim_t *sim, const jz_job_table_t *t, int64_t id, double start,
                   const char *alloc) {
  uint32_t i = jz_test_find(t, id);
  jz_assert_double_eq(sim->s.run[i].start, start);
  assert_string_equal(sim->s.text + sim->s.run[i].alloc_text, alloc);
}

/* 1 (b, 3 cores, 50 s) at 0: ends before the window opens at 100, so it may use the dedicated
 *   nodes: 0-2, 0-50.
 * 2 (b, 1 core, 500 s) at 0: would still run at 100: shared nodes only, none free: waits;
 *   at 50 it takes node 0 (50-550).
 * 3 (a, 2 cores, 200 s) at 0: before the window it is an ordinary job (would run past 100:
 *   shared only; 1 shared node free at 50): waits; at 100 the window opens and it takes its
 *   nodes 2-3 (100-300).
 * 4 (b, 1 core, 100 s) at 150: window open, no lending: shared node 1 (150-250).
 * 5 (a, 1 core, 100 s) at 160: its nodes are busy and it may not overflow: waits for 3 (300).
 * 6 (b, 1 core, 10 s) at 170: shared nodes busy: waits for 4 (250); job 5 waiting in its own
 *   pool does not hold it back. */
static void test_hold(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv1.yaml");
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 50, 3, "b");
    job(&t, 0, 500, 1, "b");
    job(&t, 0, 200, 2, "a");
    job(&t, 150, 100, 1, "b");
    job(&t, 160, 100, 1, "a");
    job(&t, 170, 10, 1, "b");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    expect(&sim, &t, 1, 0, "0-2");
    expect(&sim, &t, 2, 50, "0");
    expect(&sim, &t, 3, 100, "2-3");
    expect(&sim, &t, 4, 150, "1");
    expect(&sim, &t, 5, 300, "2");
    expect(&sim, &t, 6, 250, "1");
    /* Member jobs are 3 and 5. Window 100-1000 at a run's end (550): 450 s held. Busy
     * node-seconds in the zone while held: job 3 2x200 + job 5 1x100 = 500 of 2x450. */
    assert_int_equal(sim.s.run[2].resv, 0);
    assert_int_equal(sim.s.run[0].resv, -1);
    jz_assert_double_eq(sim.s.resv[0].window_s, 450);
    jz_assert_double_eq(sim.s.resv[0].busy_units_s, 500);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* resv2.yaml (lending and overflow):
 * 1 (b, 2 cores, 5000 s) at 0: runs past 100: shared nodes 0-1 (0-5000).
 * 2 (b, 1 core, 100 s) at 150: window open, nodes 2-3 idle and no job of `a` waiting: lent
 *   node 2 (150-250).
 * 3 (a, 2 cores, 100 s) at 160: 1 node free in its zone, none shared to overflow to: waits for
 *   the lent job to end: 250-350 on 2-3.
 * 4 (b, 1 core, 10 s) at 170: a job of `a` waits, so nothing is lent: waits until 350, when
 *   job 3 ends and the idle zone can be lent again: node 2 (350-360). */
static void test_lend(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  job(&t, 0, 5000, 2, "b");
  job(&t, 150, 100, 1, "b");
  job(&t, 160, 100, 2, "a");
  job(&t, 170, 10, 1, "b");
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  expect(&sim, &t, 1, 0, "0-1");
  expect(&sim, &t, 2, 150, "2");
  expect(&sim, &t, 3, 250, "2-3");
  expect(&sim, &t, 4, 350, "2");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* Overflow: with resv2.yaml, a job of `a` (3 cores) in the window uses its 2 nodes plus a
 * shared one; without reservations (the baseline) the same job takes nodes 0-2. */
static void test_overflow_and_baseline(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  job(&t, 200, 10, 3, "a");
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  expect(&sim, &t, 1, 200, "0-2");
  assert_int_equal(sim.s.run[0].zones, 3); /* shared zone 0 and the allocation's zone 1 */
  jz_sched_t base;
  assert_int_equal(jz_sched_init(&base, p, t.jobs, (uint32_t)t.n, false), 0);
  assert_int_equal(base.res.parts[0].n_zones, 1);
  jz_sched_free(&base);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* Recurring windows: start 100, end 200, period 1000 -> open in [1100, 1200). */
static void test_windows(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv1.yaml");
  p->reservations[0].end = 200;
  p->reservations[0].period = 1000;
  jz_job_table_t t;
  jz_job_table_init(&t);
  job(&t, 0, 1, 1, "a");
  jz_sched_t s;
  assert_int_equal(jz_sched_init(&s, p, t.jobs, (uint32_t)t.n, true), 0);
  assert_false(jz_sched_resv_active(&s, 0, 99));
  assert_true(jz_sched_resv_active(&s, 0, 100));
  assert_false(jz_sched_resv_active(&s, 0, 200));
  assert_true(jz_sched_resv_active(&s, 0, 1150));
  jz_assert_double_eq(jz_sched_resv_next_start(&s, 0, 150), 1100);
  jz_assert_double_eq(jz_sched_resv_window_end(&s, 0, 150), 200);
  jz_assert_double_eq(jz_sched_resv_window_end(&s, 0, 1150), 1200);
  s.now = 150;
  jz_assert_double_eq(jz_sched_next_boundary(&s), 200);
  s.now = 200;
  jz_assert_double_eq(jz_sched_next_boundary(&s), 1100);
  /* Far beyond the input limit (a clock pushed there by a long queue), where the spacing of
   * doubles (2 s at 2^53) swallows a 1 s period: the next boundary still lies after now. */
  p->reservations[0].start = 0;
  p->reservations[0].end = 0.5;
  p->reservations[0].period = 1;
  s.now = 9007199254740992.0; /* 2^53 */
  assert_true(jz_sched_next_boundary(&s) > s.now);
  jz_sched_free(&s);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* Lending is bounded by the window's close (issue 7, item 3). resv2.yaml: window 100-1000 on
 * nodes 2-3 for `a`, lent while idle, overflow allowed. Runs equal requested times.
 * 1 (b, 2 cores, 5000 s) at 0: runs past 100: shared nodes 0-1, 0-5000.
 * 2 (b, 1 core, 100 s) at 150: requested end 250, by the close: lent node 2, 150-250.
 * 3 (b, 1 core, 900 s) at 160: requested end 1060, after the close: not lent (before the fix it
 *   took node 3 until 1060). It waits for the close: at 1000 the nodes are free to jobs that end
 *   before the next window (none): node 2, 1000-1900.
 * 4 (a, 2 cores, 100 s) at 200: node 3 is free, node 2 lent until 250 at the latest, nothing
 *   shared to overflow to: 250-350 on 2-3 (before the fix: 1060, after its window).
 * Busy figure over the window (900 s of 2 units): `a`'s job 4 holds 2 x 100 = 200 unit-s, the
 * borrower 2 holds 1 x 100 = 100 (job 3 runs after the close): utilisation 200 / 1800, lent
 * 100 / 1800 (before the fix the borrowers counted as the allocation's use). */
static void test_lend_bounded(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv2.yaml");
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 5000, 2, "b");
    job(&t, 150, 100, 1, "b");
    job(&t, 160, 900, 1, "b");
    job(&t, 200, 100, 2, "a");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    expect(&sim, &t, 1, 0, "0-1");
    expect(&sim, &t, 2, 150, "2");
    expect(&sim, &t, 3, 1000, "2");
    expect(&sim, &t, 4, 250, "2-3");
    jz_assert_double_eq(sim.s.resv[0].window_s, 900);
    jz_assert_double_eq(sim.s.resv[0].busy_units_s, 200);
    jz_assert_double_eq(sim.s.resv[0].lent_units_s, 100);
    jz_summary_t sm;
    assert_int_equal(jz_summary_compute(&sim.s, &sm), 0);
    jz_assert_double_eq(sm.resv_utilisation[0], 200.0 / 1800.0);
    jz_summary_free(&sm);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* Recurring windows, the case: resv2.yaml with windows 100-200, 500-600, 900-1000, ...
 * (period 400). Runs equal requested times.
 * 1 (b, 2 cores, 5000 s) at 0: shared nodes 0-1, 0-5000.
 * 2 (b, 1 core, 150 s) at 100: requested end 250, after the close at 200: not lent (before the
 *   fix: node 2, 100-250). At 200 the window closes and it ends before the next one opens
 *   (350 <= 500): node 2, 200-350.
 * 3 (b, 1 core, 600 s) at 110: ends neither by a close nor before the next opening: never on
 *   the allocation's nodes (before the fix: lent node 3, 110-710, through the second window).
 *   It waits for job 1: node 0, 5000-5600.
 * 4 (a, 2 cores, 50 s) at 120: its nodes are idle: 120-170 on 2-3 (before the fix: 250).
 * 5 (a, 2 cores, 50 s) at 500, in the second window: 500-550 on 2-3 (before the fix: 710,
 *   after its window closed).
 * Busy figure: the run ends at 5600; windows open at 100 + 400 k <= 5300 (k = 0..13): 1400 s.
 * `a` holds 2 x 50 twice: 200 unit-s; nothing is lent. */
static void test_lend_recurring(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv2.yaml");
  p->reservations[0].end = 200;
  p->reservations[0].period = 400;
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 5000, 2, "b");
    job(&t, 100, 150, 1, "b");
    job(&t, 110, 600, 1, "b");
    job(&t, 120, 50, 2, "a");
    job(&t, 500, 50, 2, "a");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    expect(&sim, &t, 1, 0, "0-1");
    expect(&sim, &t, 2, 200, "2");
    expect(&sim, &t, 3, 5000, "0");
    expect(&sim, &t, 4, 120, "2-3");
    expect(&sim, &t, 5, 500, "2-3");
    jz_assert_double_eq(sim.s.resv[0].window_s, 1400);
    jz_assert_double_eq(sim.s.resv[0].busy_units_s, 200);
    jz_assert_double_eq(sim.s.resv[0].lent_units_s, 0);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* A member's start holds the head of the other pool of its partition (issue 7, item 6).
 * resv3.yaml: nodes 2-3 for `a` over 0-1000, queue lq: one running job per user. Runs equal
 * requested times. R (v, b, 1 core, 100 s) at 0: shared node 0. H (u, b, 2 cores, 10 s) at 1:
 * one shared node free: head of the shared pool. C (w, b, 1 core, 200 s) at 2: behind H (FCFS
 * blocks; EASY: ends after the shadow 100, no extra core). M (u, a, 1 core, 50 s) at 3: its
 * node 2 is free, it starts, and u's one running job now holds H: the shared pool is walked
 * again at once and C starts on node 1 at 3 (before the fix: H 100-110 and C 110-310). At 53 M
 * ends; R and C hold the shared nodes until 100 and 203: H runs 203-213 on 0-1. */
static void test_member_holds_head(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv3.yaml");
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 100, 1, "b")->user = jz_test_str(&t, "v");
    job(&t, 1, 10, 2, "b")->user = jz_test_str(&t, "u");
    job(&t, 2, 200, 1, "b")->user = jz_test_str(&t, "w");
    job(&t, 3, 50, 1, "a")->user = jz_test_str(&t, "u");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    expect(&sim, &t, 1, 0, "0");
    expect(&sim, &t, 2, 203, "0-1");
    expect(&sim, &t, 3, 3, "1");
    expect(&sim, &t, 4, 3, "2");
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

static int count_instants(void *ctx, const jz_sched_t *s) {
  (void)s;
  ++*(long *)ctx;
  return 0;
}

/* Far from the origin (issue 8): windows open in [100 + 1000k, 200 + 1000k) and the first job
 * comes at T = 1e9 + 1120, a million windows later. The loop used to visit every boundary on
 * the way (2 million instants here; with a first submission at 1e15 s it never finished). Now
 * it visits only the jobs' instants and integrates the skipped windows in closed form, also
 * while a job runs and none waits. Jobs of account a:
 * case 1: 1 (2 cores, 50 s) at T, inside window 1e6+1 [1e9+1100, 1e9+1200): nodes 2-3,
 *   T..T+50; 2 (1 core, 10 s) at T+5000 = 1e9+6120, inside window 1e6+6: node 2, until
 *   T+5010. Window time from T to T+5010: 80 (rest of 1e6+1) + 4 x 100 (1e6+2..5) + 30 (the
 *   first 30 s of 1e6+6) = 510 s; busy core-seconds 2 x 50 + 1 x 10 = 110. Instants: T, T+50,
 *   T+5000, T+5010.
 * case 2: 1 (2 cores, 2500 s) at T runs on nodes 2-3 until T+2500 = 1e9+3620 across skipped
 *   windows. Window time in [T, T+2500): 80 + 100 (1e6+2) + 100 (1e6+3) = 280 s, both cores
 *   busy throughout: 560. Instants: T, T+2500. */
static void test_far_from_origin(void **state) {
  (void)state;
  const double T = 1e9 + 1120;
  static const struct {
    double run[2];
    int cores[2];
    long instants;
    double window, busy;
  } cases[] = {{{50, 10}, {2, 1}, 4, 510, 110}, {{2500, 0}, {2, 0}, 2, 280, 560}};
  jz_platform_t *p = jz_test_load_platform("resv1.yaml");
  p->reservations[0].end = 200;
  p->reservations[0].period = 1000;
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, T, cases[c].run[0], cases[c].cores[0], "a");
    if (cases[c].cores[1]) job(&t, T + 5000, cases[c].run[1], cases[c].cores[1], "a");
    jz_test_sim_t sim;
    long instants = 0;
    jz_test_simulate_mapped(&sim, p, &t, "easy", false, count_instants, &instants);
    assert_int_equal(sim.rc, 0);
    assert_int_equal(instants, cases[c].instants);
    expect(&sim, &t, 1, T, "2-3");
    if (cases[c].cores[1]) expect(&sim, &t, 2, T + 5000, "2");
    jz_assert_double_eq(sim.s.resv[0].window_s, cases[c].window);
    jz_assert_double_eq(sim.s.resv[0].busy_units_s, cases[c].busy);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* An allocation of 0 nodes (resv0.yaml, window 0-1000 s, written with overflow: false) is no
 * allocation: its account's jobs are scheduled as everyone else's, in the partition's one
 * pool, and only reported apart (the "no allocation" point of a sweep, docs/studies.md). FCFS:
 * 1 (b, 3 cores, 100 s) at 0: nodes 0-2, 0-100.
 * 2 (b, 2 cores, 100 s) at 10: 1 core free: waits, the queue's head; at 100 nodes 0-1.
 * 3 (a, 1 core, 50 s) at 20: behind 2 (were its allocation a pool of its own it would start
 *   at 20 on node 3; with no overflow it would never start): at 100 on node 2.
 * Its accounts' jobs: 3, wait 80; the others: waits 0 and 90. The window never opens (no node
 * to hold): 0 s held. Before 0 was accepted the platform was refused ('nodes' must be > 0). */
static void test_zero_nodes(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("resv0.yaml");
  assert_non_null(p);
  assert_int_equal(p->reservations[0].nodes, 0);
  assert_true(p->reservations[0].overflow);
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 100, 3, "b");
    job(&t, 10, 100, 2, "b");
    job(&t, 20, 50, 1, "a");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    expect(&sim, &t, 1, 0, "0-2");
    expect(&sim, &t, 2, 100, "0-1");
    /* EASY: 3 would pass rule 1? It ends at 20 + 50 = 70 <= shadow 100: it backfills on
     * node 3 at 20, exactly as an ordinary job of `b` would. FCFS never backfills. */
    expect(&sim, &t, 3, k == 0 ? 100 : 20, k == 0 ? "2" : "3");
    assert_int_equal(sim.s.run[2].resv, 0);
    jz_summary_t sm;
    assert_int_equal(jz_summary_compute(&sim.s, &sm), 0);
    assert_int_equal(sm.members[0].jobs, 1);
    jz_assert_double_eq(sm.members[0].wait.mean, k == 0 ? 80 : 0);
    assert_int_equal(sm.others.jobs, 2);
    jz_assert_double_eq(sm.others.wait.mean, 45);
    jz_assert_double_eq(sim.s.resv[0].window_s, 0);
    jz_summary_free(&sm);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hold),
      cmocka_unit_test(test_lend),
      cmocka_unit_test(test_overflow_and_baseline),
      cmocka_unit_test(test_windows),
      cmocka_unit_test(test_lend_bounded),
      cmocka_unit_test(test_lend_recurring),
      cmocka_unit_test(test_member_holds_head),
      cmocka_unit_test(test_far_from_origin),
      cmocka_unit_test(test_zero_nodes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
