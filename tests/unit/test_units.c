/* test_units.c: quantity parsing (every unit kind, exact values, strict rejections with their
 * messages), strict integers and decimals, shortest round-trip and human formatting. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "metrics/outbuf.h"
#include "units.h"

/* cmocka 1.1.5's assert_float_equal compares as float: compare doubles exactly ourselves. */
#define assert_double_eq(a, b) assert_double_eq_at((a), (b), __FILE__, __LINE__)
static void assert_double_eq_at(double a, double b, const char *file, int line) {
  if (a == b) return;
  fail_msg("%s:%d: %.17g != %.17g", file, line, a, b);
}

static double q(const char *s, jz_unit_kind_t k) {
  double v = -1;
  char why[256] = "";
  int rc = jz_units_parse(s, k, &v, why, sizeof why);
  if (rc != 0) fail_msg("'%s' rejected: %d %s", s, rc, why);
  return v;
}

/* Parse must fail with code and exactly this reason. */
static void bad(const char *s, jz_unit_kind_t k, int code, const char *why_expected) {
  double v = 12345;
  char why[256] = "";
  int rc = jz_units_parse(s, k, &v, why, sizeof why);
  if (rc != code) fail_msg("'%s': rc %d, expected %d (%s)", s, rc, code, why);
  assert_double_eq(v, 12345); /* untouched on error */
  if (why_expected) assert_string_equal(why, why_expected);
}

static void test_flops(void **state) {
  (void)state;
  assert_double_eq(q("2.5Gf", JZ_UNIT_FLOPS), 2.5e9);
  assert_double_eq(q("80Gf", JZ_UNIT_FLOPS), 8e10);
  assert_double_eq(q("1f", JZ_UNIT_FLOPS), 1);
  assert_double_eq(q("3kf", JZ_UNIT_FLOPS), 3e3);
  assert_double_eq(q("7Mf", JZ_UNIT_FLOPS), 7e6);
  assert_double_eq(q("15.7Tf", JZ_UNIT_FLOPS), 15.7e12);
  assert_double_eq(q("1Pf", JZ_UNIT_FLOPS), 1e15);
  assert_double_eq(q("1Ef", JZ_UNIT_FLOPS), 1e18); /* 'E' is the unit here, not an exponent */
  assert_double_eq(q("1E3f", JZ_UNIT_FLOPS), 1e3);
  assert_double_eq(q("2.5e3Gf", JZ_UNIT_FLOPS), 2.5e12);
  assert_double_eq(q("0Gf", JZ_UNIT_FLOPS), 0);
  assert_double_eq(q("007Gf", JZ_UNIT_FLOPS), 7e9);
}

static void test_bandwidth(void **state) {
  (void)state;
  assert_double_eq(q("100Gbps", JZ_UNIT_BANDWIDTH), 12.5e9); /* bits */
  assert_double_eq(q("100GBps", JZ_UNIT_BANDWIDTH), 100e9);  /* bytes */
  assert_double_eq(q("1.2TBps", JZ_UNIT_BANDWIDTH), 1.2e12);
  assert_double_eq(q("400Gbps", JZ_UNIT_BANDWIDTH), 50e9);
  assert_double_eq(q("8bps", JZ_UNIT_BANDWIDTH), 1);
  assert_double_eq(q("1bps", JZ_UNIT_BANDWIDTH), 0.125);
  assert_double_eq(q("8kbps", JZ_UNIT_BANDWIDTH), 1000);
  assert_double_eq(q("8Mbps", JZ_UNIT_BANDWIDTH), 1e6);
  assert_double_eq(q("8Tbps", JZ_UNIT_BANDWIDTH), 1e12);
  assert_double_eq(q("1Bps", JZ_UNIT_BANDWIDTH), 1);
  assert_double_eq(q("1kBps", JZ_UNIT_BANDWIDTH), 1e3);
  assert_double_eq(q("1MBps", JZ_UNIT_BANDWIDTH), 1e6);
  assert_double_eq(q("1KiBps", JZ_UNIT_BANDWIDTH), 1024);
  assert_double_eq(q("1MiBps", JZ_UNIT_BANDWIDTH), 1048576);
  assert_double_eq(q("1GiBps", JZ_UNIT_BANDWIDTH), 1073741824);
  assert_double_eq(q("1TiBps", JZ_UNIT_BANDWIDTH), 1099511627776.0);
  assert_double_eq(q("8Kibps", JZ_UNIT_BANDWIDTH), 1024);
  assert_double_eq(q("8Mibps", JZ_UNIT_BANDWIDTH), 1048576);
  assert_double_eq(q("8Gibps", JZ_UNIT_BANDWIDTH), 1073741824);
  assert_double_eq(q("8Tibps", JZ_UNIT_BANDWIDTH), 1099511627776.0);
  /* 1.1 Gb/s = 137.5 MB/s exactly, although 1.1 is not exact in binary. */
  assert_double_eq(q("1.1Gbps", JZ_UNIT_BANDWIDTH), 137500000);
}

static void test_size(void **state) {
  (void)state;
  assert_double_eq(q("4.3PB", JZ_UNIT_SIZE), 4.3e15);
  assert_double_eq(q("4.3PB", JZ_UNIT_SIZE), strtod("4300000000000000", NULL));
  assert_double_eq(q("39PB", JZ_UNIT_SIZE), 39e15);
  assert_double_eq(q("192GiB", JZ_UNIT_SIZE), 192.0 * 1073741824.0);
  assert_double_eq(q("1B", JZ_UNIT_SIZE), 1);
  assert_double_eq(q("1kB", JZ_UNIT_SIZE), 1e3);
  assert_double_eq(q("1MB", JZ_UNIT_SIZE), 1e6);
  assert_double_eq(q("1GB", JZ_UNIT_SIZE), 1e9);
  assert_double_eq(q("1TB", JZ_UNIT_SIZE), 1e12);
  assert_double_eq(q("1EB", JZ_UNIT_SIZE), 1e18);
  assert_double_eq(q("1KiB", JZ_UNIT_SIZE), 1024);
  assert_double_eq(q("1MiB", JZ_UNIT_SIZE), 1048576);
  assert_double_eq(q("1TiB", JZ_UNIT_SIZE), 1099511627776.0);
  assert_double_eq(q("1PiB", JZ_UNIT_SIZE), 1125899906842624.0);
  assert_double_eq(q("1EiB", JZ_UNIT_SIZE), 1152921504606846976.0);
  assert_double_eq(q("0.5KiB", JZ_UNIT_SIZE), 512);
}

static void test_time_power(void **state) {
  (void)state;
  assert_double_eq(q("20h", JZ_UNIT_TIME), 72000);
  assert_double_eq(q("0.1h", JZ_UNIT_TIME), 360); /* exact, not 360.00000000000006 */
  assert_double_eq(q("1.5min", JZ_UNIT_TIME), 90);
  assert_double_eq(q("90s", JZ_UNIT_TIME), 90);
  assert_double_eq(q("1d", JZ_UNIT_TIME), 86400);
  assert_double_eq(q("2w", JZ_UNIT_TIME), 1209600);
  assert_double_eq(q("1us", JZ_UNIT_TIME), 1e-6);
  assert_double_eq(q("10us", JZ_UNIT_TIME), 1e-5);
  assert_double_eq(q("5ms", JZ_UNIT_TIME), 5e-3);
  assert_double_eq(q("3ns", JZ_UNIT_TIME), 3e-9);
  assert_double_eq(q("1e-3s", JZ_UNIT_TIME), 1e-3);
  assert_double_eq(q("1E+2s", JZ_UNIT_TIME), 100);
  assert_double_eq(q("400W", JZ_UNIT_POWER), 400);
  assert_double_eq(q("0.4kW", JZ_UNIT_POWER), 400);
  assert_double_eq(q("1.7kW", JZ_UNIT_POWER), 1700);
  assert_double_eq(q("2MW", JZ_UNIT_POWER), 2e6);
}

static void test_rejections(void **state) {
  (void)state;
  bad("2.5", JZ_UNIT_FLOPS, -JZ_EUNIT, "'2.5' needs a unit, e.g. '2.5Gf'");
  bad("100", JZ_UNIT_BANDWIDTH, -JZ_EUNIT, "'100' needs a unit, e.g. '100Gbps'");
  bad("64", JZ_UNIT_SIZE, -JZ_EUNIT, "'64' needs a unit, e.g. '64GiB'");
  bad("20", JZ_UNIT_TIME, -JZ_EUNIT, "'20' needs a unit, e.g. '20s'");
  bad("400", JZ_UNIT_POWER, -JZ_EUNIT, "'400' needs a unit, e.g. '400W'");
  bad(" 12Gf", JZ_UNIT_FLOPS, -JZ_ESYNTAX, "' 12Gf' is not a number followed by a unit, e.g. '2.5Gf'");
  bad("12Gf ", JZ_UNIT_FLOPS, -JZ_EUNIT, "unknown flop rate unit 'Gf ' in '12Gf ' (expected one of: f kf Mf Gf Tf Pf Ef)");
  bad("12x", JZ_UNIT_FLOPS, -JZ_EUNIT, "unknown flop rate unit 'x' in '12x' (expected one of: f kf Mf Gf Tf Pf Ef)");
  bad("12 Gf", JZ_UNIT_FLOPS, -JZ_EUNIT, "'12 Gf': no space allowed between the number and the unit");
  bad("1e999Gf", JZ_UNIT_FLOPS, -JZ_ERANGE, "'1e999Gf' is out of range");
  bad("1e-400s", JZ_UNIT_TIME, -JZ_ERANGE, "'1e-400s' is out of range");
  bad("nan", JZ_UNIT_FLOPS, -JZ_ESYNTAX, "'nan' is not a number followed by a unit, e.g. '2.5Gf'");
  bad("inf", JZ_UNIT_TIME, -JZ_ESYNTAX, "'inf' is not a number followed by a unit, e.g. '2.5s'");
  bad("NaNGf", JZ_UNIT_FLOPS, -JZ_ESYNTAX, NULL);
  bad("", JZ_UNIT_SIZE, -JZ_ESYNTAX, "empty value, expected a size such as '1GiB'");
  bad("-1Gf", JZ_UNIT_FLOPS, -JZ_ERANGE, "'-1Gf' is negative");
  bad("-0s", JZ_UNIT_TIME, -JZ_ERANGE, "'-0s' is negative");
  bad("+5Gf", JZ_UNIT_FLOPS, -JZ_ESYNTAX, NULL);
  bad(".5Gf", JZ_UNIT_FLOPS, -JZ_ESYNTAX, NULL);
  bad("5.Gf", JZ_UNIT_FLOPS, -JZ_ESYNTAX, NULL);
  bad("0x10Gf", JZ_UNIT_FLOPS, -JZ_EUNIT, NULL);
  bad("Gf", JZ_UNIT_FLOPS, -JZ_ESYNTAX, NULL);
  bad("1eGf", JZ_UNIT_FLOPS, -JZ_EUNIT, "unknown flop rate unit 'eGf' in '1eGf' (expected one of: f kf Mf Gf Tf Pf Ef)");
  bad("10gbps", JZ_UNIT_BANDWIDTH, -JZ_EUNIT, "unknown bandwidth unit 'gbps' in '10gbps' (did you mean 'Gbps' or 'GBps'?)");
  bad("10KB", JZ_UNIT_SIZE, -JZ_EUNIT, "unknown size unit 'KB' in '10KB' (did you mean 'kB'?)");
  bad("2.5GB", JZ_UNIT_FLOPS, -JZ_EUNIT, "'2.5GB' is a size, expected a flop rate such as '2.5Gf'");
  bad("1h", JZ_UNIT_SIZE, -JZ_EUNIT, "'1h' is a duration, expected a size such as '1GiB'");
  bad("10Gx", JZ_UNIT_BANDWIDTH, -JZ_EUNIT,
      "unknown bandwidth unit 'Gx' in '10Gx' (expected one of: bps kbps Mbps Gbps Tbps Kibps "
      "Mibps Gibps Tibps Bps kBps MBps GBps TBps KiBps MiBps GiBps TiBps)");
  /* A reason buffer is optional. */
  double v;
  assert_int_equal(jz_units_parse("1x", JZ_UNIT_TIME, &v, NULL, 0), -JZ_EUNIT);
  /* 200 digits are fine, more are refused rather than silently truncated. */
  char big[260];
  memset(big, '1', 201);
  strcpy(big + 201, "f");
  bad(big, JZ_UNIT_FLOPS, -JZ_ESYNTAX, NULL);
  big[200] = 'f';
  big[201] = '\0';
  assert_double_eq(q(big, JZ_UNIT_FLOPS), strtod("1111111111111111111111111111111111111111111111111111"
                                                 "1111111111111111111111111111111111111111111111111111"
                                                 "1111111111111111111111111111111111111111111111111111"
                                                 "11111111111111111111111111111111111111111111", NULL));
}

static void test_parse_ll(void **state) {
  (void)state;
  long long v = 0;
  assert_int_equal(jz_units_parse_ll("12", &v), 0);
  assert_true(v == 12);
  assert_int_equal(jz_units_parse_ll("-12", &v), 0);
  assert_true(v == -12);
  assert_int_equal(jz_units_parse_ll("0", &v), 0);
  assert_true(v == 0);
  assert_int_equal(jz_units_parse_ll("007", &v), 0);
  assert_true(v == 7);
  assert_int_equal(jz_units_parse_ll("9223372036854775807", &v), 0);
  assert_true(v == INT64_MAX);
  assert_int_equal(jz_units_parse_ll("-9223372036854775808", &v), 0);
  assert_true(v == INT64_MIN);
  v = 5;
  assert_int_equal(jz_units_parse_ll("9223372036854775808", &v), -JZ_ERANGE);
  assert_int_equal(jz_units_parse_ll("-9223372036854775809", &v), -JZ_ERANGE);
  assert_int_equal(jz_units_parse_ll("99999999999999999999999", &v), -JZ_ERANGE);
  assert_int_equal(jz_units_parse_ll(" 12", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("12 ", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("12x", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("+1", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("-", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("1.0", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll("1e3", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_ll(NULL, &v), -JZ_ESYNTAX);
  assert_true(v == 5); /* untouched on error */
}

static void test_parse_double(void **state) {
  (void)state;
  double v = 0;
  assert_int_equal(jz_units_parse_double("0.5", &v), 0);
  assert_double_eq(v, 0.5);
  assert_int_equal(jz_units_parse_double("-2.5e3", &v), 0);
  assert_double_eq(v, -2500);
  assert_int_equal(jz_units_parse_double("1", &v), 0);
  assert_double_eq(v, 1);
  assert_int_equal(jz_units_parse_double("0.1", &v), 0);
  assert_double_eq(v, 0.1);
  assert_int_equal(jz_units_parse_double("1E-2", &v), 0);
  assert_double_eq(v, 0.01);
  v = 7;
  assert_int_equal(jz_units_parse_double("1e999", &v), -JZ_ERANGE);
  assert_int_equal(jz_units_parse_double("nan", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("inf", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("-inf", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double(".5", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("5.", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double(" 1", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("1 ", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("+1", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("1e", &v), -JZ_ESYNTAX);
  assert_int_equal(jz_units_parse_double("0x1p3", &v), -JZ_ESYNTAX);
  assert_double_eq(v, 7);
}

static void test_fmt_double(void **state) {
  (void)state;
  char b[32];
  assert_string_equal(jz_units_fmt_double(3, b), "3");
  assert_string_equal(jz_units_fmt_double(0, b), "0");
  assert_string_equal(jz_units_fmt_double(-2, b), "-2");
  assert_string_equal(jz_units_fmt_double(0.1, b), "0.1");
  assert_string_equal(jz_units_fmt_double(-0.5, b), "-0.5");
  assert_string_equal(jz_units_fmt_double(2.5e9, b), "2500000000");
  assert_string_equal(jz_units_fmt_double(1e20, b), "100000000000000000000");
  assert_string_equal(jz_units_fmt_double(1e21, b), "1e+21");
  assert_string_equal(jz_units_fmt_double(1e-6, b), "1e-06");
  assert_string_equal(jz_units_fmt_double(0.1 + 0.2, b), "0.30000000000000004");
  assert_string_equal(jz_units_fmt_double(1.0 / 3, b), "0.3333333333333333");
  assert_string_equal(jz_units_fmt_double(1.7976931348623157e308, b), "1.7976931348623157e+308");
  /* Round trip over many magnitudes (a fixed LCG keeps the test deterministic). */
  uint64_t x = 88172645463325252u;
  for (int i = 0; i < 20000; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    double v;
    uint64_t bits = x & ~(UINT64_C(0x7FF) << 52); /* keep the exponent finite */
    bits |= (UINT64_C(900) + (x >> 53) % 250) << 52;
    memcpy(&v, &bits, sizeof v);
    jz_units_fmt_double(v, b);
    if (strtod(b, NULL) != v) fail_msg("%.17g printed as %s", v, b);
  }
}

static void test_fmt_human(void **state) {
  (void)state;
  char b[48];
  assert_string_equal(jz_units_fmt_human(2.5e9, JZ_UNIT_FLOPS, b, sizeof b), "2.50 Gf");
  assert_string_equal(jz_units_fmt_human(67e12, JZ_UNIT_FLOPS, b, sizeof b), "67.0 Tf");
  assert_string_equal(jz_units_fmt_human(999.7, JZ_UNIT_FLOPS, b, sizeof b), "1.00 kf");
  assert_string_equal(jz_units_fmt_human(1.2e12, JZ_UNIT_BANDWIDTH, b, sizeof b), "1.20 TB/s");
  assert_string_equal(jz_units_fmt_human(12.5e9, JZ_UNIT_BANDWIDTH, b, sizeof b), "12.5 GB/s");
  assert_string_equal(jz_units_fmt_human(300e9, JZ_UNIT_BANDWIDTH, b, sizeof b), "300 GB/s");
  assert_string_equal(jz_units_fmt_human(4.3e15, JZ_UNIT_SIZE, b, sizeof b), "4.30 PB");
  assert_string_equal(jz_units_fmt_human(39e15, JZ_UNIT_SIZE, b, sizeof b), "39.0 PB");
  assert_string_equal(jz_units_fmt_human(192.0 * 1073741824, JZ_UNIT_SIZE, b, sizeof b), "192 GiB");
  assert_string_equal(jz_units_fmt_human(4000, JZ_UNIT_SIZE, b, sizeof b), "4.00 kB");
  assert_string_equal(jz_units_fmt_human(72000, JZ_UNIT_TIME, b, sizeof b), "20 h");
  assert_string_equal(jz_units_fmt_human(360000, JZ_UNIT_TIME, b, sizeof b), "100 h");
  assert_string_equal(jz_units_fmt_human(90 * 86400.0, JZ_UNIT_TIME, b, sizeof b), "90 d");
  assert_string_equal(jz_units_fmt_human(5400, JZ_UNIT_TIME, b, sizeof b), "90 min");
  assert_string_equal(jz_units_fmt_human(90, JZ_UNIT_TIME, b, sizeof b), "90 s");
  assert_string_equal(jz_units_fmt_human(1.5, JZ_UNIT_TIME, b, sizeof b), "1.5 s");
  assert_string_equal(jz_units_fmt_human(1e-5, JZ_UNIT_TIME, b, sizeof b), "10 us");
  assert_string_equal(jz_units_fmt_human(0, JZ_UNIT_TIME, b, sizeof b), "0 s");
  assert_string_equal(jz_units_fmt_human(400, JZ_UNIT_POWER, b, sizeof b), "400 W");
  assert_string_equal(jz_units_fmt_human(1500, JZ_UNIT_POWER, b, sizeof b), "1.50 kW");
  assert_string_equal(jz_units_fmt_human(-2e9, JZ_UNIT_FLOPS, b, sizeof b), "-2.00 Gf");
}

/* The integer formatter against printf, on every digit-count boundary (9, 10, 99, 100, ...
 * and their negatives), the 32-bit and 64-bit limits and a spread of values between. */
static void check_int(int64_t v) {
  char want[32], area[48], *got = area + 8; /* room on both sides to catch stray writes */
  snprintf(want, sizeof want, "%lld", (long long)v);
  memset(area, 'x', sizeof area);
  size_t n = jz_units_fmt_int(v, got);
  if (n != strlen(want) || memcmp(got, want, n) != 0)
    fail_msg("%s printed as '%.*s' (%zu bytes)", want, (int)(n < 32 ? n : 32), got, n);
  for (size_t i = 0; i < sizeof area; i++)
    if ((area + i < got || area + i >= got + n) && area[i] != 'x')
      fail_msg("%s: wrote outside its %zu bytes", want, n);
}

static void test_fmt_int(void **state) {
  (void)state;
  static const int64_t edges[] = {0, 1, -1, 7, -7, 4294967295LL, 4294967296LL, -4294967296LL,
                                  2147483647LL, -2147483648LL, INT64_MAX, INT64_MIN,
                                  INT64_MIN + 1, 9007199254740992LL, 1000000000000000000LL};
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) check_int(edges[i]);
  int64_t p = 1; /* 10^d, d = 0..18 (10^19 does not fit) */
  for (int d = 0; d < 19; d++) {
    for (int64_t k = -2; k <= 2; k++) {
      check_int(p + k);
      check_int(-(p + k));
    }
    if (d < 18) p *= 10;
  }
  uint64_t x = 88172645463325252u;
  for (int i = 0; i < 20000; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    check_int((int64_t)(x >> (x % 64)));
    check_int(-(int64_t)(x >> (1 + x % 63)));
  }
}

/* The outputs' inline number path gives jz_units_fmt_double_n's text byte for byte: integral
 * values take the integer formatter, everything else the general one. */
static void test_outbuf_num(void **state) {
  (void)state;
  static const double vals[] = {0.0, -0.0, 1, -1, 1451, 0.5, -0.5, 1e-9, 123456.789,
                                9007199254740991.0, 9007199254740992.0, -9007199254740992.0,
                                9007199254740994.0, 1e20, 1e21, 4294967296.0, -4294967296.5,
                                NAN, INFINITY, -INFINITY, 1.0 / 3, 2.5e9};
  for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
    char want[40], got[40];
    size_t wn = jz_units_fmt_double_n(vals[i], want);
    size_t gn = jz_outbuf_fmt_num(vals[i], got);
    if (gn != wn || memcmp(got, want, wn) != 0)
      fail_msg("%.17g: '%s' expected, '%.*s' written", vals[i], want, (int)gn, got);
  }
  char b[40];
  size_t n = jz_outbuf_fmt_num(-0.0, b);
  assert_int_equal(n, 1);
  assert_memory_equal(b, "0", 1);
  n = jz_outbuf_fmt_num(-86400, b);
  assert_memory_equal(b, "-86400", n);
}


/* jz_units_fmt_g15 is snprintf's "%.15g" byte for byte: random magnitudes across the fixed-point
 * range and beyond, ratios of integers (what jobs.csv's stretch is), values next to rounding
 * ties and powers of ten, signs, zeros and non-finite values. */
static void check_g15(double v) {
  char want[64], got[64];
  snprintf(want, sizeof want, "%.15g", v);
  size_t n = jz_units_fmt_g15(v, got);
  got[n] = '\0';
  if (strcmp(want, got) != 0) fail_msg("%%.15g of %.17g: want %s, got %s", v, want, got);
}

static void test_fmt_g15(void **state) {
  (void)state;
  static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.0 / 3, 2.0 / 3, 0.1, 0.0001, 0.00012345,
                                 9.99999999999999e14, 999999999999999.4, 999999999999999.5,
                                 99999999999999.95, 9.9999999999999995, 0.99999999999999995,
                                 1e15, 1e14, 123456789012345.6, 1.000000000000005, 2.5e-5,
                                 0.000099999999999999999, 1.25, 1e-4 * (1 + 1e-15), 12345.678901234567};
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
    check_g15(fixed[i]);
    check_g15(-fixed[i]);
    check_g15(nextafter(fixed[i], INFINITY));
    check_g15(nextafter(fixed[i], 0));
  }
  check_g15(NAN);
  check_g15(INFINITY);
  check_g15(-INFINITY);
  for (int k = -6; k <= 17; k++) { /* powers of ten and their neighbours */
    double p = pow(10, k);
    check_g15(p);
    check_g15(nextafter(p, 0));
    check_g15(nextafter(p, INFINITY));
  }
  uint64_t r = 88172645463325252ull; /* xorshift64: fixed, so a failure repeats */
  for (int i = 0; i < 300000; i++) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    double m = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
    int e = (int)(r % 26) - 7;
    check_g15((1 + m) * pow(10, e));
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    double num = (double)(r % 10000000), den = (double)((r >> 24) % 1000000 + 1);
    check_g15(num / den);
    check_g15((num + 10) / 10); /* stretches: (wait + run) / run with short runs */
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_flops),       cmocka_unit_test(test_bandwidth),
      cmocka_unit_test(test_size),        cmocka_unit_test(test_time_power),
      cmocka_unit_test(test_rejections),  cmocka_unit_test(test_parse_ll),
      cmocka_unit_test(test_parse_double), cmocka_unit_test(test_fmt_double),
      cmocka_unit_test(test_fmt_human),   cmocka_unit_test(test_fmt_int),
      cmocka_unit_test(test_outbuf_num), cmocka_unit_test(test_fmt_g15),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
