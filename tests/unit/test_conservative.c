/* test_conservative.c: conservative backfilling on hand-computed schedules (one 4-core node),
 * each against EASY on the same jobs. Each case states the arithmetic; times are exact. */
#include "jz_test.h"

static const int NODES1[] = {1}, CORES4[] = {4};

typedef struct jobspec {
  double submit, runtime, walltime;
  int procs;
} jobspec_t;

/* Simulate the jobs under `policy` and check every start time. */
static void run_case(const jobspec_t *js, int n, const char *policy, const double *starts) {
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES4);
  jz_job_table_t t;
  jz_job_table_init(&t);
  for (int i = 0; i < n; i++) jz_test_job(&t, js[i].submit, js[i].runtime, js[i].walltime, js[i].procs);
  jz_test_sim_t sim;
  jz_test_simulate(&sim, p, &t, policy);
  assert_int_equal(sim.rc, 0);
  for (int i = 0; i < n; i++) {
    if (sim.s.run[i].start != starts[i])
      print_error("%s: job %d starts at %.17g, expected %.17g\n", policy, i + 1, sim.s.run[i].start, starts[i]);
    jz_assert_double_eq(sim.s.run[i].start, starts[i]);
  }
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* A job EASY backfills and conservative must not: it would delay the SECOND waiting job.
 *   R (2 cores, 100 s) runs 0-100. A (3 cores, 10 s) at 1, B (4 cores, 10 s) at 2,
 *   C (1 core, 500 s) at 3. Every job runs its requested time.
 * EASY: A is the head: shadow 100 (R's 2 cores back: 4 free), extra = 4 - 3 = 1. C fits now
 *   (2 cores free), ends at 503 > 100 but uses 1 <= extra core: backfilled at 3. A runs
 *   100-110. B needs all 4 cores: C holds one until 503, so B runs 503-513.
 * Conservative: A reserved [100, 110), B [110, 120) (the whole node after A). C: 1 core is
 *   free over [3, 110) but none over [110, 120) (B): its 500 s fit from 120 only. So C does
 *   not start at 3: A 100, B 110, C 120 (B's reservation, made before C arrived, holds). */
static void test_easy_backfill_that_delays_second(void **state) {
  (void)state;
  const jobspec_t js[] = {{0, 100, 100, 2}, {1, 10, 10, 3}, {2, 10, 10, 4}, {3, 500, 500, 1}};
  const double easy[] = {0, 100, 503, 3}, cons[] = {0, 100, 110, 120};
  run_case(js, 4, "easy", easy);
  run_case(js, 4, "conservative", cons);
}

/* The reverse: conservative starts a job that EASY would not start at the same moment.
 *   R1 (2 cores, requested 100, runs 100) and R2 (2 cores, requested 200, runs 20) at 0;
 *   H (4 cores, 100 s) at 1; K (2 cores, 90 s) at 2; X (2 cores, 150 s) at 3.
 * Conservative, at arrival: free is 0 until 100, 2 until 200, then 4. H: [200, 300). K: 2
 *   cores over [100, 190), before H: reserved there. X: nothing 150 s long before H (K takes
 *   [100, 190), H [200, 300)): [300, 450).
 *   At 20 R2 ends 180 s early: 2 more cores on [20, 200). Compression in arrival order:
 *   H needs 4 cores: [20, 100) has 2 (R1), [100, 190) has 2 (K's reservation), [190, 200)
 *   has 4: H moves 200 -> 190. K: 2 cores are free over [20, 110): starts at 20.
 *   X: [20, 100) is full, then H holds [190, 290): X moves 300 -> 290.
 *   R1 and K then end on time (no compression: nothing ended early), so the hole K left at
 *   [110, 190) stays empty: H starts at 190 as reserved, X at 290.
 * EASY at 20: H is the head; shadow = 100 (R1's requested end: 2 free now + 2 = 4), extra 0.
 *   K fits now but ends at 110 > 100 and needs 2 > 0 extra cores: not started. X likewise.
 *   H runs 100-200; K and X start at 200 (2 + 2 cores).
 * So at 20 conservative starts K where EASY does not: EASY reserves for H from the running
 * jobs alone, conservative keeps K's reservation, made before R2 ended, and H may not take it.
 * (With one priority level, no job that conservative starts in a pass is refused by EASY in
 * the same state unless, as here, an earlier reservation keeps the head later than EASY's
 * shadow.) */
static void test_conservative_starts_what_easy_does_not(void **state) {
  (void)state;
  const jobspec_t js[] = {{0, 100, 100, 2}, {0, 20, 200, 2}, {1, 100, 100, 4}, {2, 90, 90, 2},
                          {3, 150, 150, 2}};
  const double easy[] = {0, 0, 100, 200, 200}, cons[] = {0, 0, 190, 20, 290};
  run_case(js, 5, "easy", easy);
  run_case(js, 5, "conservative", cons);
}

/* Compression after an early end (the worked example of conservative.c).
 *   R (2 cores, requested 100, runs 40) at 0; A (4 cores, 50 s) at 1; B (2 cores, 30 s) at 2;
 *   C (2 cores, 200 s) at 3.
 * Arrival: A reserved [100, 150); B fits over [2, 32) before A: starts at 2; C: 2 cores free
 *   over [32, 100) only, then A: reserved [150, 350). B ends on time at 32: nothing moves.
 * At 40 R ends 60 s early: A taken out, 4 cores over [40, 90): starts at 40 (100 -> 40);
 *   C taken out: 2 cores from 90 on: reserved [90, 290) (150 -> 90), started then.
 * Without compression A would start at 100 and C at 150. */
static void test_compression_after_early_end(void **state) {
  (void)state;
  const jobspec_t js[] = {{0, 40, 100, 2}, {1, 50, 50, 4}, {2, 30, 30, 2}, {3, 200, 200, 2}};
  const double cons[] = {0, 40, 2, 90};
  run_case(js, 4, "conservative", cons);
}

/* A reservation that starts at a time no job ends or arrives at: the policy's wakeup.
 *   R1 (2 cores, requested 100, runs 10), R2 (2 cores, requested 50, runs 50) at 0;
 *   J (4 cores, 10 s) at 1: free is 0 until 50, 2 until 100: reserved [100, 110).
 *   K (2 cores, 30 s) at 2: 2 cores over [50, 80): reserved there.
 * At 10 R1 ends 90 s early: 2 more cores on [10, 100). Compression in arrival order:
 *   J needs 4 cores: 2 on [10, 50) (R2), 2 on [50, 80) (K's reservation), 4 from 80: J moves
 *   100 -> 80. K: 2 cores over [10, 40): starts at 10 (its old slot is given back, too late
 *   for J, placed before it: the next compression would use it, but nothing ends early).
 * K ends at 40 and R2 at 50, on time; nothing happens at 80, yet J must start there: the
 * engine wakes the policy at its next reservation. Without that wakeup J would start at the
 * next event, and here there is none (the run would end with J waiting). */
static void test_reservation_starts_on_time(void **state) {
  (void)state;
  const jobspec_t js[] = {{0, 10, 100, 2}, {0, 50, 50, 2}, {1, 10, 10, 4}, {2, 30, 30, 2}};
  const double cons[] = {0, 0, 80, 10};
  run_case(js, 4, "conservative", cons);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_easy_backfill_that_delays_second),
      cmocka_unit_test(test_conservative_starts_what_easy_does_not),
      cmocka_unit_test(test_compression_after_early_end),
      cmocka_unit_test(test_reservation_starts_on_time),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
