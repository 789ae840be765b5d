/* test_slurm.c: the slurm policy's parts against values computed by hand from Slurm's
 * formulas (SLURM-NOTES.md's worked examples), and its two passes on hand-computed schedules. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jz_test.h"
#include "sched/policy.h"
#include "sched/slurm.h"
#include "yamlx.h"

static void assert_near(double got, double want, double tol) {
  if (fabs(got - want) > tol) fail_msg("got %.17g, want %.17g (+-%g)", got, want, tol);
}

/* ---- multifactor priority --------------------------------------------------------------- */

/* Weights age 1000, fs 10000, js 1000, part 1000, qos 2000; 2 of 7 days waited: 285.71;
 * fs 0.5: 5000; 10/100 nodes, 320/3200 CPUs: (0.1 + 0.1)/2 * 1000 = 100; partition 10/20:
 * 500; QoS 50/100: 1000. Sum 6885.71 -> 6885. Favor small: (0.9 + 0.9)/2 * 1000 = 900 -> 7685. */
static void test_priority_worked_example(void **state) {
  (void)state;
  jz_slurm_conf_t c;
  jz_slurm_conf_default(&c);
  c.w_age = 1000;
  c.w_fs = 10000;
  c.w_js = 1000;
  c.w_part = 1000;
  c.w_qos = 2000;
  jz_slurm_factors_t f = {.age = jz_slurm_age_factor(&c, 2 * 86400),
                          .fairshare = 0.5,
                          .jobsize = jz_slurm_size_factor(&c, 10, 100, 320, 3200),
                          .partition = 10.0 / 20,
                          .qos = 50.0 / 100};
  assert_near(f.age, 2.0 / 7, 1e-15);
  assert_near(f.jobsize, 0.1, 1e-15);
  assert_int_equal(jz_slurm_priority(&c, &f), 6885);
  c.favor_small = true;
  f.jobsize = jz_slurm_size_factor(&c, 10, 100, 320, 3200);
  assert_near(f.jobsize, 0.9, 1e-15);
  assert_int_equal(jz_slurm_priority(&c, &f), 7685);
  /* Past PriorityMaxAge the age factor is 1; nice subtracts; never below 1. */
  assert_near(jz_slurm_age_factor(&c, 30 * 86400), 1, 0);
  f.nice = 100;
  assert_int_equal(jz_slurm_priority(&c, &f), 7585);
  f.nice = 1000000;
  assert_int_equal(jz_slurm_priority(&c, &f), 1);
  jz_slurm_factors_t zero = {0};
  jz_slurm_conf_default(&c); /* every weight 0 by default */
  f.nice = 0;
  assert_int_equal(jz_slurm_priority(&c, &f), 1);
  assert_int_equal(jz_slurm_priority(&c, &zero), 1);
}

/* ---- fair-share ------------------------------------------------------------------------- */

typedef struct tree {
  jz_fs_t fs;
  int32_t u1, u2, u4, u5;
} tree_t;

/* root -> A (40) {u1, u2}, D (60) {u4, u5}, one share per user. */
static void build(tree_t *t, double a1, double a2, double a4, double a5) {
  assert_int_equal(jz_fs_init(&t->fs), 0);
  int32_t A = jz_fs_add(&t->fs, 0, 40, false), D = jz_fs_add(&t->fs, 0, 60, false);
  t->u1 = jz_fs_add(&t->fs, A, 1, true);
  t->u2 = jz_fs_add(&t->fs, A, 1, true);
  t->u4 = jz_fs_add(&t->fs, D, 1, true);
  t->u5 = jz_fs_add(&t->fs, D, 1, true);
  t->fs.n[t->u1].usage = a1;
  t->fs.n[t->u2].usage = a2;
  t->fs.n[t->u4].usage = a4;
  t->fs.n[t->u5].usage = a5;
}

/* Usage 200, 250, 250, 0 (total 700). Classic: S(u1) = S(u2) = 0.4 * 0.5 = 0.2,
 * S(u4) = S(u5) = 0.3; UE(A) = 450/700, UE(D) = 250/700;
 * UE(u1) = 200/700 + (450 - 200)/700 * 0.5 = 325/700 -> 2^(-325/700/0.2) = 0.200
 * UE(u2) = 250/700 + (450 - 250)/700 * 0.5 = 350/700 -> 2^(-2.5)          = 0.177
 * UE(u4) = 250/700 + 0                      = 250/700 -> 2^(-250/700/0.3) = 0.438
 * UE(u5) = 0 + 250/700 * 0.5                = 125/700 -> 2^(-125/700/0.3) = 0.662 */
static void test_fairshare_classic(void **state) {
  (void)state;
  tree_t t;
  build(&t, 200, 250, 250, 0);
  assert_int_equal(jz_fs_compute(&t.fs, false, 1), 0);
  assert_near(t.fs.n[t.u1].factor, pow(2, -(325.0 / 700) / 0.2), 1e-12);
  assert_near(t.fs.n[t.u2].factor, pow(2, -2.5), 1e-12);
  assert_near(t.fs.n[t.u4].factor, pow(2, -(250.0 / 700) / 0.3), 1e-12);
  assert_near(t.fs.n[t.u5].factor, pow(2, -(125.0 / 700) / 0.3), 1e-12);
  /* SLURM-NOTES' rounded values. */
  assert_near(t.fs.n[t.u1].factor, 0.200, 5e-4);
  assert_near(t.fs.n[t.u2].factor, 0.177, 5e-4);
  assert_near(t.fs.n[t.u4].factor, 0.438, 5e-4);
  assert_near(t.fs.n[t.u5].factor, 0.662, 5e-4);
  /* FairShareDampeningFactor 2 halves every exponent. */
  assert_int_equal(jz_fs_compute(&t.fs, false, 2), 0);
  assert_near(t.fs.n[t.u2].factor, pow(2, -1.25), 1e-12);
  jz_fs_free(&t.fs);
}

/* LF(A) = 0.4 / (450/700) = 0.62 < LF(D) = 0.6 / (250/700) = 1.68: D's users first, u5
 * (usage 0: LF infinite) then u4 (0.5); then A's u1 (0.5 / (200/450) = 1.125), u2 (0.9).
 * Ranks 4, 3, 2, 1 of 4. */
static void test_fairshare_fair_tree(void **state) {
  (void)state;
  tree_t t;
  build(&t, 200, 250, 250, 0);
  assert_int_equal(jz_fs_compute(&t.fs, true, 1), 0);
  assert_near(t.fs.n[t.u1].factor, 0.50, 0);
  assert_near(t.fs.n[t.u2].factor, 0.25, 0);
  assert_near(t.fs.n[t.u4].factor, 0.75, 0);
  assert_near(t.fs.n[t.u5].factor, 1.00, 0);
  /* Sibling users with equal LF share a rank. Usage 200, 200, 150, 150: LF(A) =
   * 0.4 / (400/700) = 0.7 < LF(D) = 0.6 / (300/700) = 1.4; u4 and u5 both 0.5 / 0.5 = 1:
   * rank 4 (1.0); u1 and u2 both 1: rank 4 - 2 = 2 (0.5). */
  jz_fs_free(&t.fs);
  build(&t, 200, 200, 150, 150);
  assert_int_equal(jz_fs_compute(&t.fs, true, 1), 0);
  assert_near(t.fs.n[t.u4].factor, 1.0, 0);
  assert_near(t.fs.n[t.u5].factor, 1.0, 0);
  assert_near(t.fs.n[t.u1].factor, 0.5, 0);
  assert_near(t.fs.n[t.u2].factor, 0.5, 0);
  jz_fs_free(&t.fs);
}

/* One half-life (7 days) multiplies usage by (1 - ln2/604800)^604800 = 0.4999998 (Slurm's
 * per-second decay); a uniform decay leaves both factors as they were (usage is relative).
 * Then u5 uses 350 more: usage 100, 125, 125, 350 (total 700).
 * Classic: UE(u1) = 100/700 + (225 - 100)/700 * 0.5 = 162.5/700, F = 2^(-162.5/700/0.2);
 * UE(u5) = 350/700 + (475 - 350)/700 * 0.5 = 412.5/700, F = 2^(-412.5/700/0.3).
 * Fair Tree: LF(A) = 0.4 / (225/700) = 1.24 > LF(D) = 0.6 / (475/700) = 0.88: A first;
 * u1 (0.5 / (100/225) = 1.125) before u2 (0.9); u4 (0.5 / (125/475) = 1.9) before u5 (0.68):
 * u1 1.0, u2 0.75, u4 0.5, u5 0.25. */
static void test_fairshare_decay(void **state) {
  (void)state;
  tree_t t;
  build(&t, 200, 250, 250, 0);
  double hl = 7 * 86400;
  jz_fs_decay(&t.fs, hl, hl);
  double half = pow(1 - log(2) / hl, hl);
  assert_near(half, 0.5, 1e-6);
  assert_near(t.fs.n[t.u1].usage, 200 * half, 1e-9);
  assert_near(t.fs.n[t.u2].usage, 125, 1e-3);
  assert_int_equal(jz_fs_compute(&t.fs, false, 1), 0);
  assert_near(t.fs.n[t.u1].factor, pow(2, -(325.0 / 700) / 0.2), 1e-9);
  assert_near(t.fs.n[t.u5].factor, pow(2, -(125.0 / 700) / 0.3), 1e-9);
  t.fs.n[t.u5].usage += 350;
  assert_int_equal(jz_fs_compute(&t.fs, false, 1), 0);
  assert_near(t.fs.n[t.u1].factor, pow(2, -(162.5 / 700) / 0.2), 1e-6);
  assert_near(t.fs.n[t.u5].factor, pow(2, -(412.5 / 700) / 0.3), 1e-6);
  assert_int_equal(jz_fs_compute(&t.fs, true, 1), 0);
  assert_near(t.fs.n[t.u1].factor, 1.0, 0);
  assert_near(t.fs.n[t.u2].factor, 0.75, 0);
  assert_near(t.fs.n[t.u4].factor, 0.5, 0);
  assert_near(t.fs.n[t.u5].factor, 0.25, 0);
  /* Two more half-lives: a quarter (u4: 250 * half^3). No half-life: no decay. */
  jz_fs_decay(&t.fs, 2 * hl, hl);
  assert_near(t.fs.n[t.u4].usage, 250 * pow(half, 3), 1e-9);
  assert_near(t.fs.n[t.u4].usage, 31.25, 1e-4);
  jz_fs_decay(&t.fs, hl, 0);
  assert_near(t.fs.n[t.u4].usage, 250 * pow(half, 3), 1e-9);
  jz_fs_free(&t.fs);
}

/* ---- the passes ------------------------------------------------------------------------- */

static const int NODES1[] = {1}, NODES2[] = {2}, CORES4[] = {4};

/* Simulate table t on 4 cores under `policy` with conf (NULL: Slurm's defaults). */
static void simulate(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t, const char *policy,
                     const jz_slurm_conf_t *conf) {
  memset(sim, 0, sizeof *sim);
  assert_int_equal(jz_job_table_sort(t), 0);
  assert_int_equal(jz_sched_init(&sim->s, p, t->jobs, (uint32_t)t->n, true), 0);
  for (uint32_t i = 0; i < t->n; i++)
    jz_sched_set_request(&sim->s, i, (jz_request_t){.cores = t->jobs[i].procs});
  sim->s.policy_conf = conf;
  jz_error_t err = {0};
  jz_engine_opts_t o = {.progress = false};
  sim->rc = jz_engine_loop(&sim->s, jz_policy_find(policy), &o, &sim->st, &err);
  if (sim->rc) fail_msg("engine: %s", err.msg);
}

/* One job of a hand-computed case and what it must get. */
typedef struct tjob {
  double submit, runtime, walltime;
  int cores;
  double start;
  const char *reason; /* NULL: not checked */
} tjob_t;

/* Replay jobs[n] on `nodes` (1 or 2) 4-core nodes under slurm with conf (NULL: the
 * defaults) and check every start, and the reasons given. */
static void check_slurm_on(int nodes, const jz_slurm_conf_t *conf, const tjob_t *jobs, int n) {
  jz_platform_t *p = jz_test_platform(1, nodes == 2 ? NODES2 : NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  for (int j = 0; j < n; j++) jz_test_job(&t, jobs[j].submit, jobs[j].runtime, jobs[j].walltime, jobs[j].cores);
  jz_test_sim_t sim;
  simulate(&sim, p, &t, "slurm", conf);
  for (int j = 0; j < n; j++) {
    jz_assert_double_eq(sim.s.run[j].start, jobs[j].start);
    if (jobs[j].reason)
      assert_string_equal(jz_reason_name((jz_reason_t)sim.s.run[j].reason), jobs[j].reason);
  }
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

static void check_slurm(const jz_slurm_conf_t *conf, const tjob_t *jobs, int n) {
  check_slurm_on(1, conf, jobs, n);
}

/* J1 (2 cores, 100 s) at 0; J2 (4 cores, 10 s) at 1; J3 (2 cores, 50 s) at 2.
 * slurm (bf_interval 30, bf_resolution 60): J1 runs 0-100. J2 does not fit at 1 (Resources);
 * J3 waits behind it at 2 (Priority: the main pass stops at J2). No event until the
 * backfill pass at 30: J1's end 100 is floored to 60 in the plan, J2 is planned at 60 for
 * [60, 120). J3 at 30 would run to 30 + 50 = 80, and Slurm's test takes every plan record
 * that begins at or before that unrounded end (backfill.c: begin_time <= end_time): J2's at
 * 60 leaves no core, so J3 is planned at 120 and does not start. J2 starts when J1 ends, at
 * 100, ends 110; J3 starts then, at 110 (the main pass at J2's end).
 * EASY backfills at each event: J3 starts at 2 (ends 52 <= shadow 100).
 * slurm with bf_interval 1, bf_resolution 1: the pass at 2 plans J2 at 100, J3 [2, 52]
 * collides with nothing: 2. */
static void test_backfill_interval(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_slurm_conf_t slow, fast;
  jz_slurm_conf_default(&slow);
  jz_slurm_conf_default(&fast);
  fast.bf_interval = 1;
  fast.bf_resolution = 1;
  struct {
    const char *pol;
    const jz_slurm_conf_t *c;
    double j3;
  } cases[] = {{"slurm", &slow, 110}, {"slurm", NULL, 110}, {"easy", NULL, 2}, {"slurm", &fast, 2}};
  for (int k = 0; k < 4; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    jz_test_job(&t, 0, 100, 100, 2);
    jz_test_job(&t, 1, 10, 10, 4);
    jz_test_job(&t, 2, 50, 50, 2);
    jz_test_sim_t sim;
    simulate(&sim, p, &t, cases[k].pol, cases[k].c);
    jz_assert_double_eq(sim.s.run[0].start, 0);
    jz_assert_double_eq(sim.s.run[1].start, 100);
    jz_assert_double_eq(sim.s.run[1].finish, 110);
    jz_assert_double_eq(sim.s.run[2].start, cases[k].j3);
    jz_assert_double_eq(sim.s.run[2].finish, cases[k].j3 + 50);
    if (strcmp(cases[k].pol, "slurm") == 0) {
      assert_string_equal(jz_reason_name((jz_reason_t)sim.s.run[1].reason), "Resources");
      /* The main pass at 2 runs before that instant's backfill pass. */
      assert_string_equal(jz_reason_name((jz_reason_t)sim.s.run[2].reason), "Priority");
      assert_int_equal(sim.s.run[0].reason, JZ_REASON_NONE);
    }
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_test_platform_free(p);
}

/* The edge of Slurm's test, bf_interval 1, bf_resolution 1: J1 (2 cores, 100 s) at 0, J2 (4
 * cores, 10 s) at 1 is planned at 100 for [100, 110). J3 (2 cores) at 2 with a limit of 97 s
 * ends at 99 < 100: it starts at 2. With 98 s it would end at 100, the very second J2's
 * record begins, and Slurm counts that record (begin_time <= end_time): J3 is planned after
 * J2 and starts at J2's end, 110. */
static void test_backfill_edge(void **state) {
  (void)state;
  jz_slurm_conf_t fast;
  jz_slurm_conf_default(&fast);
  fast.bf_interval = 1;
  fast.bf_resolution = 1;
  for (int k = 0; k < 2; k++) {
    double limit = k ? 98 : 97;
    const tjob_t jobs[] = {{0, 100, 100, 2, 0, NULL},
                           {1, 10, 10, 4, 100, NULL},
                           {2, limit, limit, 2, k ? 110 : 2, NULL}};
    check_slurm(&fast, jobs, 3);
  }
}

/* Whole-node reservations (bf_interval 1, bf_resolution 1), one 4-core node: J1 (2 cores,
 * 100 s) runs 0-100; J2 (3 cores, 10 s) at 1 does not fit (2 free) and is planned at 100 for
 * [100, 110). Slurm's plan records are node bitmaps: J2's record takes the node out of the
 * plan over [100, 110), all 4 cores, not 3. J3 (1 core, limit 150 s) at 2 would run over
 * [2, 152], across that record: it may not backfill, although a core would be left beside
 * J2 (counting cores, it would start at 2 and J2 still at 100). J3 is planned at 110; at
 * J1's end, 100, the main pass starts J2 and then J3 on the fourth core. J4 (1 core, limit
 * 90 s) at 3 ends by 93 < 100: it backfills at 3 on a free core.
 * Two 4-core nodes: J1 (4 cores, 100 s) at 0 fills node 0; J2 (5 cores, 10 s) at 1 does not
 * fit (4 free) and is planned at 100 on both nodes (5 cores need 2 nodes): the plan holds 8
 * cores over [100, 110), not 5. J3 (1 core, limit 150 s) at 2 crosses that record and waits
 * (counting cores, 3 would be left: it started at 2); at 100 the main pass starts J2, then
 * J3 on the eighth core. */
static void test_backfill_whole_node(void **state) {
  (void)state;
  jz_slurm_conf_t fast;
  jz_slurm_conf_default(&fast);
  fast.bf_interval = 1;
  fast.bf_resolution = 1;
  const tjob_t jobs[] = {{0, 100, 100, 2, 0, NULL},
                         {1, 10, 10, 3, 100, NULL},
                         {2, 150, 150, 1, 100, NULL},
                         {3, 90, 90, 1, 3, NULL}};
  check_slurm(&fast, jobs, 4);
  const tjob_t two[] = {{0, 100, 100, 4, 0, NULL}, {1, 10, 10, 5, 100, NULL}, {2, 150, 150, 1, 100, NULL}};
  check_slurm_on(2, &fast, two, 3);
}

/* When the backfill pass runs (defaults: bf_interval 30, bf_resolution 60): J1 (2 cores,
 * 100 s) at 0, J2 (4 cores, 10 s) at 1 blocks. The first pass, at 30 (bf_interval after the
 * start, with work since 1), plans J2 at 120 (J1's end 100 floored to 60, never before the
 * next grid step 60) and finds nothing to start. J3 (2 cores, 10 s) arrives at 75: more than
 * bf_interval after the last pass, so Slurm's backfill_agent (which looks every second once
 * it has slept bf_interval) runs a pass at once: J3 fits before J2's record, starts at 75, ends
 * at 85. (A pass on a grid from 0 would wait until 90.) J2 starts at J1's end, 100. */
static void test_backfill_agent(void **state) {
  (void)state;
  const tjob_t jobs[] = {{0, 100, 100, 2, 0, NULL}, {1, 10, 10, 4, 100, NULL}, {75, 10, 10, 2, 75, NULL}};
  check_slurm(NULL, jobs, 3);
}

/* Every job that waits has a reason, also past the main pass's depth.
 * A, default_queue_depth 2: J1 (4 cores, 100 s) at 0; J2 (4 cores, 10 s) at 1 blocks
 * (Resources); J3 (1 core, 10 s) at 2 waits behind it (Priority); J4 (1 core) at 3 is past the
 * depth (J2, J3), but a higher-priority job of its partition waits: Priority at submission, as
 * Slurm's job_allocate gives it. J2 100-110, J3 and J4 at 110.
 * B, default_queue_depth 1: J1 (1 core, 100 s) at 0; at 1 J2 (1 core, 200 s), J3 (4 cores,
 * 10 s), J4 (1 core, 50 s, limit 1000 s). The pass at 1 starts J2 and stops at its depth with
 * J3 and J4 unseen (the pool is not blocked). The backfill pass at 30 plans J3 at 180 (J2's
 * end 201 on the 60 s grid) and J4 finds no core over [30, 1030]. The full pass at 60
 * (sched_interval, after a pass cut at its depth) blocks on J3 (Resources) and still walks on:
 * J4 gets Priority. J3 starts at J2's end, 201; J4 at J3's end, 211. */
static void test_reasons(void **state) {
  (void)state;
  jz_slurm_conf_t c;
  jz_slurm_conf_default(&c);
  c.default_queue_depth = 2;
  const tjob_t a[] = {{0, 100, 100, 4, 0, NULL},
                      {1, 10, 10, 4, 100, "Resources"},
                      {2, 10, 10, 1, 110, "Priority"},
                      {3, 10, 10, 1, 110, "Priority"}};
  check_slurm(&c, a, 4);
  c.default_queue_depth = 1;
  const tjob_t b[] = {{0, 100, 100, 1, 0, NULL},
                      {1, 200, 200, 1, 1, NULL},
                      {1, 10, 10, 4, 201, "Resources"},
                      {1, 50, 1000, 1, 211, "Priority"}};
  check_slurm(&c, b, 4);
}

/* J1 (4 cores, 100 s) at 0; J2 (4 cores, 50 s) at 1; J3 (1 core, 10 s) at 2.
 * Every weight 0 (Slurm's default): priorities tie, submission decides: J2 100-150, J3
 * 150-160 (J3 cannot backfill: J2 is planned at 100 on all 4 cores, no core is free before).
 * PriorityWeightJobSize 1000 with PriorityFavorSmall: J3 (1 of 4 cores, 1 of 1 node:
 * ((1 - 1/1) + (1 - 1/4)) / 2 * 1000 = 375) outranks J2 (0): at 100 J3 starts first and J2,
 * which no longer fits, waits until 110: J3 100-110, J2 110-160. */
static void test_priority_order(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_slurm_conf_t small;
  jz_slurm_conf_default(&small);
  small.w_js = 1000;
  small.favor_small = true;
  const jz_slurm_conf_t *confs[] = {NULL, &small};
  const double want[2][2] = {{100, 150}, {110, 100}};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    jz_test_job(&t, 0, 100, 100, 4);
    jz_test_job(&t, 1, 50, 50, 4);
    jz_test_job(&t, 2, 10, 10, 1);
    jz_test_sim_t sim;
    simulate(&sim, p, &t, "slurm", confs[k]);
    jz_assert_double_eq(sim.s.run[1].start, want[k][0]);
    jz_assert_double_eq(sim.s.run[2].start, want[k][1]);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_test_platform_free(p);
}

/* ---- the `slurm:` section ---------------------------------------------------------------- */

static int load(const char *text, jz_slurm_conf_t *c, jz_error_t *err) {
  jz_yamlx_doc_t *doc = NULL;
  assert_int_equal(jz_yamlx_load_string("x.yaml", text, strlen(text), &doc, err), 0);
  jz_slurm_conf_default(c);
  int rc = jz_slurm_conf_load(c, "x.yaml", jz_yamlx_map_get(doc->root, "slurm"), err);
  jz_yamlx_free(doc);
  return rc;
}

/* The controller's latency (controller: end_latency 0.3, submit_latency 0.75; job size
 * weight 1000, so a 4-core job (priority 1000) goes before a 2-core one (750)), one 4-core
 * node: A (4 cores, 10 s) at 0; B (2 cores, 10 s) at 1; C (4 cores, 10 s) at 10.8.
 * With latency: A's submission is acted on at 0.75 (A runs 0.75-10.75); B's at 1.75, where
 * it does not fit (Resources). A ends at 10.75, acted on at 11.05; C, submitted at 10.8, is
 * already queued then and goes first: C runs 11.05-21.05, B does not fit (Resources), starts at
 * 21.35. Without latency (a pass at each event): A 0-10, B at A's end 10, and C, submitted
 * at 10.8 with 2 cores free, waits for B's end: 20. This is the fork seen on the real
 * slurmctld (docs/policies.md "Against a real slurmctld").
 * Backfill (bf_interval 1, bf_resolution 1): J1 (2 cores, 100 s) at 0 starts at 0.75; J2 (4
 * cores) at 1 is planned at 100 by the backfill pass at 1; J3 (2 cores, 50 s) at 2 is
 * blocked behind J2 in the main pass at 2.75 and backfilled by the agent's first pass after
 * it notices J3, on its one-second clock: 3 (without latency: 2, at J3's submission). J1
 * ends at 100.75 (its limit) and J2 starts when that is acted on, 101.05 (the periodic
 * sched_interval pass, due since 60, is not a pass at that end). */
static void test_controller_latency(void **state) {
  (void)state;
  jz_slurm_conf_t lag, none;
  jz_slurm_conf_default(&lag);
  jz_slurm_conf_default(&none);
  lag.w_js = none.w_js = 1000;
  lag.end_latency = 0.3;
  lag.submit_latency = 0.75;
  const tjob_t with[] = {{0, 10, 60, 4, 0.75, NULL}, {1, 10, 60, 2, 21.35, "Resources"}, {10.8, 10, 60, 4, 11.05, NULL}};
  check_slurm(&lag, with, 3);
  const tjob_t without[] = {{0, 10, 60, 4, 0, NULL}, {1, 10, 60, 2, 10, NULL}, {10.8, 10, 60, 4, 20, "Resources"}};
  check_slurm(&none, without, 3);
  lag.w_js = none.w_js = 0;
  lag.bf_interval = none.bf_interval = 1;
  lag.bf_resolution = none.bf_resolution = 1;
  const tjob_t bf_lag[] = {{0, 100, 100, 2, 0.75, NULL}, {1, 10, 10, 4, 101.05, NULL}, {2, 50, 50, 2, 3, NULL}};
  check_slurm(&lag, bf_lag, 3);
  const tjob_t bf_none[] = {{0, 100, 100, 2, 0, NULL}, {1, 10, 10, 4, 100, NULL}, {2, 50, 50, 2, 2, NULL}};
  check_slurm(&none, bf_none, 3);
}

static void test_conf(void **state) {
  (void)state;
  jz_slurm_conf_t c;
  jz_error_t err = {0};
  jz_slurm_conf_default(&c);
  /* Slurm's defaults. */
  assert_int_equal(c.w_age, 0);
  assert_near(c.max_age, 7 * 86400, 0);
  assert_near(c.decay_hl, 7 * 86400, 0);
  assert_near(c.bf_interval, 30, 0);
  assert_near(c.bf_window, 1440 * 60, 0);
  assert_near(c.bf_resolution, 60, 0);
  assert_int_equal(c.bf_max_job_test, 500);
  assert_int_equal(c.bf_max_job_user, 0);
  assert_true(c.fair_tree);
  assert_false(c.bf_continue);
  assert_int_equal(load("slurm:\n"
                        "  PriorityWeightAge: 1000\n"
                        "  PriorityMaxAge: 1-12\n"
                        "  PriorityDecayHalfLife: '90'\n"
                        "  PriorityCalcPeriod: 0:30\n"
                        "  PriorityFavorSmall: YES\n"
                        "  PriorityFlags: NO_FAIR_TREE\n"
                        "  PriorityWeightTRES: CPU=7,GRES/gpu=9\n"
                        "  PriorityUsageResetPeriod: WEEKLY\n"
                        "  SchedulerParameters: bf_interval=10,bf_window=60,bf_continue,bf_max_job_user=3\n"
                        "  accounts: {B: {shares: 2, parent: A}, A: {shares: 40}}\n",
                        &c, &err),
                   0);
  assert_int_equal(c.w_age, 1000);
  assert_near(c.max_age, 36 * 3600, 0);
  assert_near(c.decay_hl, 90 * 60, 0);
  assert_near(c.calc_period, 30, 0);
  assert_true(c.favor_small);
  assert_false(c.fair_tree);
  assert_int_equal(c.w_tres_cpu, 7);
  assert_int_equal(c.w_tres_gpu, 9);
  assert_near(c.reset_period, 7 * 86400, 0);
  assert_near(c.bf_interval, 10, 0);
  assert_near(c.bf_window, 3600, 0);
  assert_true(c.bf_continue);
  assert_int_equal(c.bf_max_job_user, 3);
  /* Parents first. */
  assert_int_equal(c.n_accounts, 2);
  assert_string_equal(c.accounts[0].name, "A");
  assert_int_equal(c.accounts[0].parent, -1);
  assert_string_equal(c.accounts[1].name, "B");
  assert_int_equal(c.accounts[1].parent, 0);
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  SchedulerParameters: {bf_resolution: 600, bf_max_job_test: 7}\n", &c, &err), 0);
  assert_near(c.bf_resolution, 600, 0);
  assert_int_equal(c.bf_max_job_test, 7);
  jz_slurm_conf_free(&c);
  /* Empty items, as slurm.conf may have them (",,", a trailing comma): skipped, as slurmctld
   * does; the columns of what follows them are still right. */
  assert_int_equal(load("slurm:\n  SchedulerParameters: bf_interval=10,,bf_continue,\n", &c, &err), 0);
  assert_near(c.bf_interval, 10, 0);
  assert_true(c.bf_continue);
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  SchedulerParameters: ',bf_continue,,bf_nope=1'\n", &c, &err), -JZ_EUNKNOWNKEY);
  assert_true(strncmp(err.msg, "x.yaml:2:39: SchedulerParameters: unknown key 'bf_nope'", 55) == 0);
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  SchedulerParameters: bf_interval=0\n", &c, &err), -JZ_ERANGE);
  assert_string_equal(err.msg, "x.yaml:2:36: bf_interval: '0' is out of range (1 .. 10800)");
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  controller: {end_latency: 0.3, submit_latency: '2'}\n", &c, &err), 0);
  assert_near(c.end_latency, 0.3, 0);
  assert_near(c.submit_latency, 2, 0);
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  controller: {end_latency: -1}\n", &c, &err), -JZ_EINVAL);
  assert_string_equal(err.msg, "x.yaml:2:29: end_latency: '-1' is not a number of seconds");
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  controller: {submit_latency: 4000}\n", &c, &err), -JZ_ERANGE);
  assert_string_equal(err.msg, "x.yaml:2:32: submit_latency: '4000' is out of range (0 .. 3600 seconds)");
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  controller: {end_latncy: 1}\n", &c, &err), -JZ_EUNKNOWNKEY);
  assert_string_equal(err.msg, "x.yaml:2:16: controller: unknown key 'end_latncy' (did you mean 'end_latency'?)");
  jz_slurm_conf_free(&c);
  assert_int_equal(load("slurm:\n  accounts: {A: {parent: B}, B: {parent: A}}\n", &c, &err), -JZ_EINVAL);
  assert_string_equal(err.msg, "x.yaml:2:14: account 'A': its parents form a cycle");
  jz_slurm_conf_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_priority_worked_example),
      cmocka_unit_test(test_fairshare_classic),
      cmocka_unit_test(test_fairshare_fair_tree),
      cmocka_unit_test(test_fairshare_decay),
      cmocka_unit_test(test_backfill_interval),
      cmocka_unit_test(test_backfill_edge),
      cmocka_unit_test(test_reasons),
      cmocka_unit_test(test_backfill_agent),
      cmocka_unit_test(test_backfill_whole_node),
      cmocka_unit_test(test_priority_order),
      cmocka_unit_test(test_controller_latency),
      cmocka_unit_test(test_conf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
