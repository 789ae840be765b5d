/* test_order.c: queue orders (--order) on a 5-job case, under FCFS, EASY and conservative.
 *
 * One 8-core node. J0 (8 cores, 1000 s) runs 0-1000. Five jobs arrive while it runs; each needs
 * more than half the node, so they run one at a time in the order the policy takes them, and
 * no backfilling is possible (FCFS and EASY give the same schedule; conservative places each
 * job on arrival and uses the order when it compresses: last test):
 *   J1: 6 cores, 500 s, at 1      J2: 5 cores, 300 s, at 2      J3: 8 cores, 10 s, at 995
 *   J4: 7 cores, 400 s, at 4      J5: 5 cores, 200 s, at 5      (each runs its requested time)
 *   submit: J1 J2 J4 J5 J3 -> starts 1000, 1500, 1800, 2200, 2400
 *   sjf:    J3 J5 J2 J4 J1 -> J3 1000, J5 1010, J2 1210, J4 1510, J1 1910
 *   ljf:    J1 J4 J2 J5 J3 -> J1 1000, J4 1500, J2 1900, J5 2200, J3 2400
 *   small:  J2 J5 J1 J4 J3 (J2 and J5 tie at 5 cores: submission) -> J2 1000, J5 1300,
 *           J1 1500, J4 2000, J3 2400
 *   large:  J3 J4 J1 J2 J5 (J2, J5 tie) -> J3 1000, J4 1010, J1 1410, J2 1910, J5 2210
 *   wfp3:   priority (wait / requested)^3 x cores, at each instant:
 *     t=1000: J1 (999/500)^3*6 = 47.9, J2 (998/300)^3*5 = 184.1, J3 (5/10)^3*8 = 1.0,
 *             J4 (996/400)^3*7 = 108.1, J5 (995/200)^3*5 = 615.7   -> J5 runs 1000-1200
 *     t=1200: J3 (205/10)^3*8 = 68921 leads (J2 318.4, J4 179.4, J1 82.7) -> J3 1200-1210
 *     t=1210: J2 (1208/300)^3*5 = 326.4, J4 (1206/400)^3*7 = 191.8, J1 84.8 -> J2 1210-1510
 *     t=1510: J4 (1506/400)^3*7 = 373.6, J1 (1509/500)^3*6 = 164.9 -> J4 1510-1910, J1 1910
 *   Sorting once at 1000 would have run J3 last (priority 1.0 then): re-evaluation matters. */
#include "jz_test.h"

static const int NODES1[] = {1}, CORES8[] = {8};

static void check_policies(jz_order_t order, const double *want, const char *const *pols, int npols,
                           double j0_runtime) {
  jz_platform_t *p = jz_test_platform(1, NODES1, CORES8);
  for (int k = 0; k < npols; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    jz_test_job(&t, 0, j0_runtime, 1000, 8);
    jz_test_job(&t, 1, 500, 500, 6);
    jz_test_job(&t, 2, 300, 300, 5);
    jz_test_job(&t, 995, 10, 10, 8);
    jz_test_job(&t, 4, 400, 400, 7);
    jz_test_job(&t, 5, 200, 200, 5);
    jz_test_sim_t sim;
    jz_test_simulate_order(&sim, p, &t, pols[k], order);
    assert_int_equal(sim.rc, 0);
    for (int i = 1; i <= 5; i++) {
      uint32_t id = jz_test_find(&t, i + 1); /* trace ids are 1-based: J0 is 1 */
      if (sim.s.run[id].start != want[i - 1])
        print_error("%s/%s: J%d starts at %.17g, expected %.17g\n", pols[k], jz_order_name(order),
                    i, sim.s.run[id].start, want[i - 1]);
      jz_assert_double_eq(sim.s.run[id].start, want[i - 1]);
    }
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_test_platform_free(p);
}

static void check_order(jz_order_t order, const double *want) {
  static const char *const pols[] = {"fcfs", "easy"};
  check_policies(order, want, pols, 2, 1000);
}

static void test_submit(void **state) {
  (void)state;
  check_order(JZ_ORDER_SUBMIT, (const double[]){1000, 1500, 2400, 1800, 2200});
}

static void test_sjf(void **state) {
  (void)state;
  check_order(JZ_ORDER_SJF, (const double[]){1910, 1210, 1000, 1510, 1010});
}

static void test_ljf(void **state) {
  (void)state;
  check_order(JZ_ORDER_LJF, (const double[]){1000, 1900, 2400, 1500, 2200});
}

static void test_small(void **state) {
  (void)state;
  check_order(JZ_ORDER_SMALL, (const double[]){1500, 1000, 2400, 2000, 1300});
}

static void test_large(void **state) {
  (void)state;
  check_order(JZ_ORDER_LARGE, (const double[]){1410, 1910, 1000, 1010, 2210});
}

static void test_wfp3(void **state) {
  (void)state;
  check_order(JZ_ORDER_WFP3, (const double[]){1910, 1210, 1200, 1510, 1000});
}

/* Conservative uses the order to compress. J0 ends at 900, 100 s early; J3 has not arrived
 * yet. On arrival the others were reserved in submission order: J1 [1000, 1500),
 * J2 [1500, 1800), J4 [1800, 2200), J5 [2200, 2400).
 * submit (J1 J2 J4 J5): J1 moves to 900 (8 cores free until J2's 1500) and starts; J2 moves
 *   to 1400 (J1's requested end), J4 to 1700, J5 to 2100. J3, at 995: [2300, 2310).
 * sjf (J5 J2 J4 J1): J5 (200 s), J2 (300 s) and J4 (400 s) find no room before their slots
 *   (only [900, 1000) is free, 100 s, J1's reservation after): they stay. J1, last, moves to
 *   900 and starts. Its requested end 1400 leaves [1400, 1500) free, too late for J2 (already
 *   compressed): J3 (10 s), arriving at 995, is reserved there: 1400. J2 1500, J4 1800,
 *   J5 2200. */
static void test_conservative_compresses_in_order(void **state) {
  (void)state;
  static const char *const pols[] = {"conservative"};
  check_policies(JZ_ORDER_SUBMIT, (const double[]){900, 1400, 2300, 1700, 2100}, pols, 1, 900);
  check_policies(JZ_ORDER_SJF, (const double[]){900, 1500, 1400, 1800, 2200}, pols, 1, 900);
}

/* Names round-trip, and unknown names are refused. */
static void test_names(void **state) {
  (void)state;
  for (int o = 0; o < JZ_ORDER_COUNT; o++) assert_int_equal(jz_order_find(jz_order_name((jz_order_t)o)), o);
  assert_int_equal(jz_order_find("SJF"), -1);
  assert_int_equal(jz_order_find(""), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_submit), cmocka_unit_test(test_sjf),   cmocka_unit_test(test_ljf),
      cmocka_unit_test(test_small),  cmocka_unit_test(test_large), cmocka_unit_test(test_wfp3),
      cmocka_unit_test(test_conservative_compresses_in_order), cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
