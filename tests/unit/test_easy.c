/* test_easy.c: EASY backfilling on hand-computed schedules (4-core partition unless said).
 * Each case states the arithmetic; times are exact. */
#include "jz_test.h"

static const int NODES1[] = {1}, CORES4[] = {4};

typedef struct expect {
  double start, finish;
  jz_job_state_t state;
} expect_t;

static void check(const jz_test_sim_t *sim, const expect_t *e, int n) {
  assert_int_equal(sim->rc, 0);
  for (int i = 0; i < n; i++) {
    jz_assert_double_eq(sim->s.run[i].start, e[i].start);
    jz_assert_double_eq(sim->s.run[i].finish, e[i].finish);
    assert_string_equal(jz_job_state_name((jz_job_state_t)sim->s.run[i].state),
                        jz_job_state_name(e[i].state));
  }
}

/* J1 (2 cores, 100 s) runs 0-100. J2 (4 cores) at 1 cannot start: shadow = 100, extra 0.
 * J3 (2 cores, 50 s) at 2 fits and ends at 52 <= 100: backfilled at 2.
 * J2 starts at 100. Under FCFS J3 would wait behind J2 and start at 110. */
static void test_backfill_ends_before_shadow(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  const char *pol[] = {"easy", "fcfs"};
  const expect_t want[2][3] = {
      {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY}, {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
       {2, 52, JZ_STATE_COMPLETED_SUCCESSFULLY}},
      {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY}, {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
       {110, 160, JZ_STATE_COMPLETED_SUCCESSFULLY}},
  };
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    jz_test_job(&t, 0, 100, 100, 2);
    jz_test_job(&t, 1, 10, 10, 4);
    jz_test_job(&t, 2, 50, 50, 2);
    jz_test_sim_t sim;
    jz_test_simulate(&sim, p, &t, pol[k]);
    check(&sim, want[k], 3);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_test_platform_free(p);
}

/* Same, but J3 asks for 200 s: it would end at 202 > shadow 100 and needs 2 cores > extra 0,
 * so it is not backfilled: J2 100-110, J3 110-160 (it runs its 50 s). */
static void test_no_backfill_past_shadow(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 100, 100, 2);
  jz_test_job(&t, 1, 10, 10, 4);
  jz_test_job(&t, 2, 50, 200, 2);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {110, 160, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 3);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* Extra cores. J1 (2 cores, 100 s) at 0. J2 (3 cores, 10 s) at 1: shadow 100, at which
 * 4 cores are free, extra = 4 - 3 = 1. J3 (1 core, 500 s) at 2: ends after the shadow but
 * uses 1 <= extra core: starts at 2, extra becomes 0. J4 (1 core, 500 s) at 3: 1 core is free
 * but it ends after the shadow and extra is 0: waits. At 100 J1 ends, 3 cores free: J2 runs
 * 100-110 (its reservation held). At 110 J4 starts, ends 610. */
static void test_backfill_on_extra_cores(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 100, 100, 2);
  jz_test_job(&t, 1, 10, 10, 3);
  jz_test_job(&t, 2, 500, 500, 1);
  jz_test_job(&t, 3, 500, 500, 1);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {2, 502, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {110, 610, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 4);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* The shadow edge: a candidate ending exactly at the shadow time is allowed (<=).
 * J1 (2 cores, 100 s), J2 (4 cores), J3 (2 cores, requested 100 s,
 * runs 100) at 0: now + 100 = 100 = shadow, so it starts at 0. Both end at 100, J2 100-110. */
static void test_shadow_edge_inclusive(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 100, 100, 2);
  jz_test_job(&t, 0, 10, 10, 4);
  jz_test_job(&t, 0, 100, 100, 2);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 3);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* Inaccurate estimate: J1 (4 cores) requests 1000 s but runs 30 s. J2 (4 cores) waits for it
 * and starts at 30, when J1 really ends, not at the requested 1000. */
static void test_early_finish_releases(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 30, 1000, 4);
  jz_test_job(&t, 5, 10, 10, 4);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 30, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {30, 40, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 2);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* Walltime kill: runs 100 s in the trace but asked for 60: killed at 60. A failed (status 0)
 * job keeps its state. */
static void test_walltime_kill_and_failed(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 100, 60, 4);
  jz_test_job(&t, 1, 5, 10, 2)->status = 0;
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 60, JZ_STATE_COMPLETED_WALLTIME_REACHED},
                           {60, 65, JZ_STATE_COMPLETED_FAILED}};
  check(&sim, want, 2);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* Equal times: a finish and a submission at t = 10 — the finish is handled first, so J2 sees
 * the 4 freed cores and starts at 10. Two submissions at the same instant keep file order. */
static void test_equal_time_order(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 10, 10, 4);
  jz_test_job(&t, 10, 5, 5, 3);
  jz_test_job(&t, 10, 5, 5, 3);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 10, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {10, 15, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {15, 20, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 3);
  assert_int_equal(sim.st.passes, 3); /* at 0, 10 and 15: one pass per instant */
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* A job larger than its partition is rejected at submission; the others do not notice. */
static void test_rejected(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 10, 10, 5);
  jz_test_job(&t, 1, 10, 10, 4);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  assert_int_equal(sim.rc, 0);
  assert_int_equal(sim.s.run[0].state, JZ_STATE_REJECTED);
  assert_string_equal(jz_reject_reason((jz_reject_t)sim.s.run[0].reject), "larger than its partition");
  jz_assert_double_eq(sim.s.run[1].start, 1);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* Partitions are independent: a blocked job of p0 does not hold back p1. */
static void test_partitions_independent(void **state) {
  (void)state;
  int nodes[] = {1, 1}, cores[] = {4, 4};
  jz_platform_t *p = jz_test_platform(2, nodes, cores);
  const char *pol[] = {"easy", "fcfs"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    jz_test_job(&t, 0, 100, 100, 4);
    jz_test_job(&t, 1, 10, 10, 4);                 /* p0: waits for job 1 */
    jz_test_job(&t, 2, 10, 10, 4)->partition = 1;  /* p1: starts at once */
    jz_test_sim_t sim;
    jz_test_simulate(&sim, p, &t, pol[k]);
    assert_int_equal(sim.rc, 0);
    jz_assert_double_eq(sim.s.run[1].start, 100);
    jz_assert_double_eq(sim.s.run[2].start, 2);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_test_platform_free(p);
}

/* Whole-node jobs (--procs-per-node): 3 nodes x 2 cores. J1 takes 2 nodes (0-100); J2 wants 2
 * nodes: shadow 100, extra = 3 - 2 = 1 node's cores; J3 (1 node, 500 s) uses the extra node. */
static void test_whole_nodes(void **state) {
  (void)state;
  int nodes[] = {3}, cores[] = {2};
  jz_platform_t *p = jz_test_platform(1, nodes, cores);
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_job_t *j;
  j = jz_test_job(&t, 0, 100, 100, 2); j->nodes = 2; j->flags = JZ_JOB_EXCLUSIVE;
  j = jz_test_job(&t, 1, 10, 10, 2);   j->nodes = 2; j->flags = JZ_JOB_EXCLUSIVE;
  j = jz_test_job(&t, 2, 500, 500, 1); j->nodes = 1; j->flags = JZ_JOB_EXCLUSIVE;
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, "easy");
  const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {2, 502, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 3);
  assert_int_equal(sim.s.run[2].units, 2);
  assert_string_equal(sim.s.text + sim.s.run[0].alloc_text, "0-1");
  assert_string_equal(sim.s.text + sim.s.run[2].alloc_text, "2");
  assert_string_equal(sim.s.text + sim.s.run[1].alloc_text, "0-1");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

static jz_job_t *user_job(jz_job_table_t *t, double submit, double run, int cores, const char *user) {
  jz_job_t *j = jz_test_job(t, submit, run, run, cores);
  j->user = jz_test_str(t, user);
  return j;
}

/* A head whose queue limits its nodes is reserved node by node (issue 7, item 2).
 * queues5.yaml: three 4-core nodes, at most 2 nodes per job; runs equal requested times.
 * At 0: A (1 core, 1 s) and B (3 cores, 100 s) fill node 0, C1 (1 core, 1 s) and D (3 cores,
 * 100 s) node 1, E (4 cores, 100 s) node 2. At 1, A and C1 end: 1 core free on nodes 0 and 1.
 * H (8 cores, 50 s) at 1 does not fit: shadow 100 (B, D, E end), when nodes 0 and 1 are whole.
 * X (2 cores, 1000 s) at 1 fits now (1 core of node 0 and 1 of node 1), ends after the shadow,
 * and uses 2 of the 12 - 8 = 4 extra cores: a count would backfill it, but its cores would
 * leave 3 + 3 + 4 at the shadow, and no 2 nodes would hold H's 8 cores (H would wait until
 * 1001). Node by node, X waits: H runs 100-150 on nodes 0-1, X 100-1100 on node 2. */
static void test_node_limited_head(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues5.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  user_job(&t, 0, 1, 1, "u");
  user_job(&t, 0, 100, 3, "u");
  user_job(&t, 0, 1, 1, "u");
  user_job(&t, 0, 100, 3, "u");
  user_job(&t, 0, 100, 4, "u");
  user_job(&t, 1, 50, 8, "u");
  user_job(&t, 1, 1000, 2, "u");
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  uint32_t h = jz_test_find(&t, 6), x = jz_test_find(&t, 7);
  jz_assert_double_eq(sim.s.run[h].start, 100);
  assert_string_equal(sim.s.text + sim.s.run[h].alloc_text, "0-1");
  jz_assert_double_eq(sim.s.run[x].start, 100);
  assert_string_equal(sim.s.text + sim.s.run[x].alloc_text, "2");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* A head that becomes held gives up its reservation (issue 7, item 6). queues2.yaml: one
 * 4-core node p, queue lq: one running job per user. Runs equal requested times.
 * R (v, 2 cores, 100 s) at 0 runs 0-100. H (u, 4 cores, 10 s) at 1 does not fit: head, shadow
 * 100, extra 0. B (u, 1 core, 50 s) at 2 ends by the shadow: backfilled, 2-52; u now has its
 * one running job, so H is held. C (w, 1 core, 200 s) at 3 fits (1 core free): the reservation
 * belongs to the first job that is not held, and there is none now, so C starts at 3 (before
 * the fix H's stale reservation kept it waiting until H ran, 100-110, and C 110-310). At 52 B
 * ends and H is no longer held; R and C hold 3 cores until 100 and 203: H runs 203-213. */
static void test_held_head(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  user_job(&t, 0, 100, 2, "v");
  user_job(&t, 1, 10, 4, "u");
  user_job(&t, 2, 50, 1, "u");
  user_job(&t, 3, 200, 1, "w");
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, NULL, NULL);
  const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {203, 213, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {2, 52, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {3, 203, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 4);
  assert_string_equal(jz_hold_reason((jz_hold_t)sim.s.run[1].first_hold), "QOSMaxJobsPerUserLimit");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* The same across partitions, for both policies. queues4.yaml: partitions p and r (one 4-core
 * node each) share queue lq (one running job per user). R (v, p, 2 cores, 100 s) at 0. H (u, p,
 * 4 cores, 10 s) at 1: head of p. C (w, p, 1 core, 200 s) at 2: behind H (FCFS blocks; EASY:
 * ends after the shadow 100 with no extra core). B (u, r, 1 core, 50 s) at 3 starts on r: H is
 * now held, so p's walk starts again and C starts at 3 (before the fix: H 100-110, C 110-310).
 * At 53 B ends; R and C hold 3 cores of p until 100 and 203: H runs 203-213. */
static void test_held_head_other_partition(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues4.yaml");
  const char *pol[] = {"easy", "fcfs"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    user_job(&t, 0, 100, 2, "v");
    user_job(&t, 1, 10, 4, "u");
    user_job(&t, 2, 200, 1, "w");
    user_job(&t, 3, 50, 1, "u")->partition = 1;
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                             {203, 213, JZ_STATE_COMPLETED_SUCCESSFULLY},
                             {3, 203, JZ_STATE_COMPLETED_SUCCESSFULLY},
                             {3, 53, JZ_STATE_COMPLETED_SUCCESSFULLY}};
    check(&sim, want, 4);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* The reservation moves at once, not at the end of the pass: no job may start on the stale
 * reservation of a head that became held. queues2.yaml (one 4-core node, one running job per
 * user); runs equal requested times. R (v, 2 cores, 100 s) at 0: 0-100. H (u, 4 cores, 10 s)
 * at 1: head, shadow 100. At 2, in this order: B (u, 1 core, 10 s) ends by 100: backfilled,
 * 2-12, and H is held. C (w, 2 cores, 10 s) is now the first job that is not held; it does not
 * fit (1 core free): it gets the reservation, shadow 12 (B's end), extra 0. D (x, 1 core, 80 s)
 * fits but ends at 82 > 12 and needs 1 > 0 extra core: waits. (Still under H's stale
 * reservation, D would pass rule 1, 82 <= 100, start at 2 and delay C to 82.) At 12 B ends, H
 * is no longer held and is the head again (shadow 100); C ends by then: 12-22. At 22 D would
 * end at 102 > 100 with no extra core: it waits for H (100-110) and runs 110-190. */
static void test_held_head_at_once(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  user_job(&t, 0, 100, 2, "v");
  user_job(&t, 1, 10, 4, "u");
  user_job(&t, 2, 10, 1, "u");
  user_job(&t, 2, 10, 2, "w");
  user_job(&t, 2, 80, 1, "x");
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, NULL, NULL);
  const expect_t want[] = {{0, 100, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {100, 110, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {2, 12, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {12, 22, JZ_STATE_COMPLETED_SUCCESSFULLY},
                           {110, 190, JZ_STATE_COMPLETED_SUCCESSFULLY}};
  check(&sim, want, 5);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_backfill_ends_before_shadow),
      cmocka_unit_test(test_no_backfill_past_shadow),
      cmocka_unit_test(test_backfill_on_extra_cores),
      cmocka_unit_test(test_shadow_edge_inclusive),
      cmocka_unit_test(test_early_finish_releases),
      cmocka_unit_test(test_walltime_kill_and_failed),
      cmocka_unit_test(test_equal_time_order),
      cmocka_unit_test(test_rejected),
      cmocka_unit_test(test_partitions_independent),
      cmocka_unit_test(test_whole_nodes),
      cmocka_unit_test(test_node_limited_head),
      cmocka_unit_test(test_held_head),
      cmocka_unit_test(test_held_head_other_partition),
      cmocka_unit_test(test_held_head_at_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
