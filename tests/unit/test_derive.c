/* test_derive.c: work profiles derived from trace run times (exec/derive.h), on the platform of
 * the flow-retarget case: V100 nodes (125 Tf bf16) on 25 GB/s, H100 nodes (990 Tf) on
 * 50 GB/s, 1 us links, a 10 GB/s flash tier. Expected values from derive.h's formulas. */
#include <string.h>

#include "exec/derive.h"
#include "jz_test.h"

#define PLATFORM JZ_SOURCE_DIR "/tests/e2e/cases/flow-retarget/platform.yaml"

static jz_platform_t *load(void) {
  jz_platform_t *p = NULL;
  jz_error_t err = {0};
  assert_int_equal(jz_platform_load(PLATFORM, &p, &err), 0);
  return p;
}

static void set(jz_derive_rule_t *r, const char *k, const char *v) {
  char why[200];
  assert_int_equal(jz_derive_option(r, k, strlen(k), v, why, sizeof why), 0);
}

static void test_retarget(void **state) {
  (void)state;
  jz_platform_t *p = load();
  jz_derive_rule_t r = {0};
  set(&r, "profile", "ai_training");
  set(&r, "recorded_on", "V100");
  jz_derive_ctx_t v, h;
  jz_error_t err = {0};
  assert_int_equal(jz_derive_resolve(&r, p, 0, "w", &v, &err), 0);
  assert_int_equal(jz_derive_resolve(&r, p, 1, "w", &h, &err), 0);
  jz_job_t j = {.runtime = 1000, .gpus = 8};
  jz_profile_t pv, ph;
  assert_int_equal(jz_derive_job(&v, &j, &pv), 0);
  assert_int_equal(jz_derive_job(&h, &j, &ph), 0);
  /* 2 nodes: gradient from 150 s of comm over 100 iterations on V100's fabric */
  jz_assert_double_eq(pv.gradient, (1.5 - 4e-6) * 2 * 25e9 / 2);
  jz_assert_double_eq(ph.gradient, pv.gradient); /* the work, not its time, is carried */
  jz_assert_double_eq(pv.dataset, 50 * 10e9);
  /* compute: 800 s of 4 V100s per node; on H100 800 / 7.92 s of 4 H100s */
  jz_assert_double_eq(pv.flops_per_iteration * 100, 800 * 4 * 125e12);
  jz_assert_double_eq(ph.flops_per_iteration * 100, 800 / (990.0 / 125) * 4 * 990e12);
  assert_int_equal(ph.tier, 0);
  /* efficiency 0.5: S = 1 + 0.5 x (7.92 - 1) = 4.46 */
  set(&r, "efficiency", "0.5");
  assert_int_equal(jz_derive_resolve(&r, p, 1, "w", &h, &err), 0);
  assert_int_equal(jz_derive_job(&h, &j, &ph), 0);
  jz_assert_double_eq(ph.flops_per_iteration * 100 / (4 * 990e12), 800 / 4.46);
  /* one node: the comm share joins the compute; a CPU job keeps its run time */
  jz_job_t one = {.runtime = 1000, .gpus = 2};
  assert_int_equal(jz_derive_job(&v, &one, &pv), 0);
  jz_assert_double_eq(pv.gradient, 0);
  jz_assert_double_eq(pv.flops_per_iteration * 100, 950 * 2 * 125e12);
  jz_job_t cpu = {.runtime = 1000, .procs = 4};
  assert_int_equal(jz_derive_job(&v, &cpu, &pv), 1);
  jz_derive_rule_free(&r);
  jz_platform_free(p);
}

static void test_options(void **state) {
  (void)state;
  jz_derive_rule_t r = {0};
  char why[200];
  assert_int_equal(jz_derive_option(&r, "scale", 5, "2", why, sizeof why), 1);
  assert_int_equal(jz_derive_option(&r, "profile", 7, "compute", why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "profile 'compute' cannot be derived from a trace (only ai_training)");
  assert_int_equal(jz_derive_option(&r, "split", 5, "80/20", why, sizeof why), -JZ_EINVAL);
  assert_int_equal(jz_derive_option(&r, "efficiency", 10, "1.5", why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "efficiency '1.5' is not a number in (0, 1]");
  assert_int_equal(jz_derive_option(&r, "split", 5, "6/3/1", why, sizeof why), 0);
  jz_assert_double_eq(r.share[0], 0.6);
  jz_assert_double_eq(r.share[2], 0.1);
  jz_derive_rule_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_retarget),
      cmocka_unit_test(test_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
