/* test_tolerance.c: the tolerance grammar of `jzsim compare` and verdicts at the limit. */
#include "jz_test.h"

#include <math.h>
#include <string.h>

#include "compare/tolerance.h"

static jz_tol_t parse_ok(const char *s) {
  jz_tol_t t;
  jz_error_t err = {0};
  int rc = jz_tol_parse(s, &t, &err);
  if (rc) fail_msg("'%s': %s", s, err.msg);
  return t;
}

static void parse_err(const char *s, const char *msg) {
  jz_tol_t t;
  jz_error_t err = {0};
  assert_true(jz_tol_parse(s, &t, &err) < 0);
  assert_string_equal(err.msg, msg);
}

static void test_grammar(void **state) {
  (void)state;
  jz_tol_t t = parse_ok("+5%");
  assert_int_equal(t.kind, JZ_TOL_REL);
  assert_int_equal(t.dir, 1);
  jz_assert_double_eq(t.amount, 5);
  assert_string_equal(t.text, "+5%");
  t = parse_ok("-1.5%");
  assert_int_equal(t.kind, JZ_TOL_REL);
  assert_int_equal(t.dir, -1);
  jz_assert_double_eq(t.amount, 1.5);
  t = parse_ok("-0.01");
  assert_int_equal(t.kind, JZ_TOL_ABS);
  assert_false(t.time_unit);
  jz_assert_double_eq(t.amount, 0.01);
  t = parse_ok("+60s");
  assert_int_equal(t.kind, JZ_TOL_ABS);
  assert_true(t.time_unit);
  jz_assert_double_eq(t.amount, 60);
  t = parse_ok("+2h");
  jz_assert_double_eq(t.amount, 7200);
  t = parse_ok("+1.5min");
  jz_assert_double_eq(t.amount, 90);
  t = parse_ok("+0");
  jz_assert_double_eq(t.amount, 0);
  t = parse_ok("+1e3");
  jz_assert_double_eq(t.amount, 1000);

  parse_err("5%", "tolerance '5%': needs a direction: '+5%' (higher is worse) or '-5%' (lower is "
                  "worse)");
  parse_err("", "empty tolerance: expected e.g. '+5%', '-1%', '+60s' or '-0.01'");
  parse_err("+", "tolerance '+': expected a sign then a number: '+5%', '-1%', '+60s', '-0.01'");
  parse_err("+-5%", "tolerance '+-5%': expected a sign then a number: '+5%', '-1%', '+60s', "
                    "'-0.01'");
  parse_err("+x%", "tolerance '+x%': 'x' is not a number");
  parse_err("+5 %", "tolerance '+5 %': '5 ' is not a number");
  parse_err("+nan%", "tolerance '+nan%': 'nan' is not a number");
  parse_err("+60sec",
            "tolerance '+60sec': unknown duration unit 'sec' in '60sec' (expected one of: ns us ms "
            "s min h d w) (expected a percentage '5%', a number '0.01' or a duration '60s')");
}

static jz_verdict_t check(const char *tol, double base, double nw) {
  jz_tol_t t = parse_ok(tol);
  return jz_tol_check(&t, base, nw, NULL);
}

static void test_boundaries(void **state) {
  (void)state;
  /* +5% of 200 is 10: 210 passes, anything above fails. */
  assert_int_equal(check("+5%", 200, 210), JZ_VERDICT_OK);
  assert_int_equal(check("+5%", 200, 210.001), JZ_VERDICT_REGRESSION);
  assert_int_equal(check("+5%", 200, 150), JZ_VERDICT_OK); /* better */
  /* Exactly +5% in decimal, inexact in binary: 18.467 x 1.05 = 19.39035. */
  assert_int_equal(check("+5%", 18.467, 19.39035), JZ_VERDICT_OK);
  assert_int_equal(check("+5%", 18.467, 19.3904), JZ_VERDICT_REGRESSION);
  /* -1% of 0.8 is 0.008: 0.792 passes, 0.7919 fails; higher is never worse. */
  assert_int_equal(check("-1%", 0.8, 0.792), JZ_VERDICT_OK);
  assert_int_equal(check("-1%", 0.8, 0.7919), JZ_VERDICT_REGRESSION);
  assert_int_equal(check("-1%", 0.8, 0.95), JZ_VERDICT_OK);
  /* Absolute: +60s on 100 s allows 160 s. */
  assert_int_equal(check("+60s", 100, 160), JZ_VERDICT_OK);
  assert_int_equal(check("+60s", 100, 160.5), JZ_VERDICT_REGRESSION);
  assert_int_equal(check("-0.01", 0.5, 0.49), JZ_VERDICT_OK);
  assert_int_equal(check("-0.01", 0.5, 0.4899), JZ_VERDICT_REGRESSION);
  /* A relative tolerance on a base of 0 allows no increase. */
  assert_int_equal(check("+10%", 0, 0), JZ_VERDICT_OK);
  assert_int_equal(check("+10%", 0, 1), JZ_VERDICT_REGRESSION);
  /* +0: no change at all in the bad direction. */
  assert_int_equal(check("+0%", 7, 7), JZ_VERDICT_OK);
  assert_int_equal(check("+0%", 7, 7.000001), JZ_VERDICT_REGRESSION);
  /* The limit reported. */
  jz_tol_t t = parse_ok("-1%");
  double lim;
  jz_tol_check(&t, 0.8, 0.8, &lim);
  jz_assert_double_eq(lim, 0.8 - 0.008);
  jz_tol_t none = {.kind = JZ_TOL_NONE};
  assert_int_equal(jz_tol_check(&none, 1, 1e9, NULL), JZ_VERDICT_INFO);
}

static void test_fmt(void **state) {
  (void)state;
  char b[40];
  assert_string_equal(jz_tol_fmt_num(893885, false, b), "893885");
  assert_string_equal(jz_tol_fmt_num(18.467, false, b), "18.467");
  assert_string_equal(jz_tol_fmt_num(0.002241156735921163, false, b), "0.00224116");
  assert_string_equal(jz_tol_fmt_num(1.527555208401489, false, b), "1.52756");
  assert_string_equal(jz_tol_fmt_num(656337294926.0, false, b), "656337294926");
  assert_string_equal(jz_tol_fmt_num(0, true, b), "0");
  assert_string_equal(jz_tol_fmt_num(12.5, true, b), "+12.5");
  assert_string_equal(jz_tol_fmt_num(-12.5, true, b), "-12.5");
  assert_string_equal(jz_tol_fmt_num(2e-5, false, b), "2e-05");
  assert_string_equal(jz_tol_fmt_num(1e15, false, b), "1e+15");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grammar),
      cmocka_unit_test(test_boundaries),
      cmocka_unit_test(test_fmt),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
