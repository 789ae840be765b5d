/* units.c: strict parsing and formatting of quantities with SimGrid-style units.
 *
 * Accepted quantity text (no other form; in the spirit of Redis' string2ll):
 *
 *     digits [ '.' digits ] [ ('e'|'E') ['+'|'-'] digits ] unit
 *
 * with at least one digit on each side of a '.', nothing before the first digit (no space,
 * no '+'; a '-' is reported as "negative"), nothing after the unit, and the unit spelled
 * exactly as SimGrid spells it (case-sensitive: "Gbps" is gigabits/s, "GBps" gigabytes/s).
 * An exponent is only taken when a digit follows the 'e' (or a sign then a digit), so "1Ef" is
 * one exaflop/s. "nan", "inf", "0x10", ".5", "5." and "" are all rejected.
 *
 * Every unit is an exact rational multiplier M x 10^k with M an integer ("Gbps" = 125 x 10^6
 * bytes/s, "GiB" = 1073741824, "h" = 3600). The digits of the number are multiplied by M in
 * decimal and the result is converted once by strtod, so the value is the double nearest to
 * the exact decimal quantity: "0.1h" is exactly 360, "4.3PB" is exactly 4.3e15. */
#include "units.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

typedef struct unit {
  const char *name;
  const char *mult; /* exact integer multiplier, decimal digits */
  int pow10;        /* times 10^pow10 */
} unit_t;

static const unit_t flops_units[] = {
    {"f", "1", 0},   {"kf", "1", 3},  {"Mf", "1", 6},  {"Gf", "1", 9},
    {"Tf", "1", 12}, {"Pf", "1", 15}, {"Ef", "1", 18}, {NULL, NULL, 0},
};

/* Bits per second are bytes per second divided by 8 = x 125 x 10^-3. */
static const unit_t bandwidth_units[] = {
    {"bps", "125", -3},          {"kbps", "125", 0},         {"Mbps", "125", 3},
    {"Gbps", "125", 6},          {"Tbps", "125", 9},         {"Kibps", "128", 0},
    {"Mibps", "131072", 0},      {"Gibps", "134217728", 0},  {"Tibps", "137438953472", 0},
    {"Bps", "1", 0},             {"kBps", "1", 3},           {"MBps", "1", 6},
    {"GBps", "1", 9},            {"TBps", "1", 12},          {"KiBps", "1024", 0},
    {"MiBps", "1048576", 0},     {"GiBps", "1073741824", 0}, {"TiBps", "1099511627776", 0},
    {NULL, NULL, 0},
};

static const unit_t size_units[] = {
    {"B", "1", 0},
    {"kB", "1", 3},
    {"MB", "1", 6},
    {"GB", "1", 9},
    {"TB", "1", 12},
    {"PB", "1", 15},
    {"EB", "1", 18},
    {"KiB", "1024", 0},
    {"MiB", "1048576", 0},
    {"GiB", "1073741824", 0},
    {"TiB", "1099511627776", 0},
    {"PiB", "1125899906842624", 0},
    {"EiB", "1152921504606846976", 0},
    {NULL, NULL, 0},
};

static const unit_t time_units[] = {
    {"ns", "1", -9}, {"us", "1", -6},    {"ms", "1", -3},    {"s", "1", 0},      {"min", "60", 0},
    {"h", "3600", 0}, {"d", "86400", 0}, {"w", "604800", 0}, {NULL, NULL, 0},
};

static const unit_t power_units[] = {
    {"W", "1", 0}, {"kW", "1", 3}, {"MW", "1", 6}, {NULL, NULL, 0},
};

typedef struct kind_info {
  const unit_t *units;
  const char *what;    /* "a flop rate" */
  const char *example; /* unit used in hints */
} kind_info_t;

static const kind_info_t kinds[] = {
    [JZ_UNIT_FLOPS] = {flops_units, "flop rate", "Gf"},
    [JZ_UNIT_BANDWIDTH] = {bandwidth_units, "bandwidth", "Gbps"},
    [JZ_UNIT_SIZE] = {size_units, "size", "GiB"},
    [JZ_UNIT_TIME] = {time_units, "duration", "s"},
    [JZ_UNIT_POWER] = {power_units, "power", "W"},
};
#define N_KINDS ((int)(sizeof kinds / sizeof kinds[0]))

/* Longest digit string we multiply; longer numbers are refused rather than truncated. */
#define MAX_DIGITS 200

static void say(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t whylen, const char *fmt, ...) {
  if (!why || whylen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, whylen, fmt, ap);
  va_end(ap);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Scan the unsigned number grammar at s. On success *end points past it, digits[] holds the
 * significant digits (integer then fraction, leading zeros stripped, at least "0") and *exp10
 * the power of ten to apply to them. Returns false if s does not start with a valid number. */
static bool scan_number(const char *s, const char **end, char *digits, size_t *ndigits, long *exp10,
                        bool *too_long) {
  const char *p = s;
  size_t n = 0;
  long e = 0;
  *too_long = false;
  if (!is_digit(*p)) return false;
  for (; is_digit(*p); p++) {
    if (n == 0 && *p == '0') continue; /* leading zero adds nothing */
    if (n >= MAX_DIGITS) {
      *too_long = true;
      return false;
    }
    digits[n++] = *p;
  }
  if (*p == '.') {
    if (!is_digit(p[1])) return false; /* "5." and "5.e3" are not numbers here */
    for (p++; is_digit(*p); p++) {
      if (n == 0 && *p == '0') {
        e--;
        continue;
      }
      if (n >= MAX_DIGITS) {
        *too_long = true;
        return false;
      }
      digits[n++] = *p;
      e--;
    }
  }
  /* An exponent only when a digit follows, so the 'E' of "1Ef" stays part of the unit. */
  if ((*p == 'e' || *p == 'E') &&
      (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
    p++;
    int sign = 1;
    if (*p == '+' || *p == '-') sign = (*p++ == '-') ? -1 : 1;
    long x = 0;
    for (; is_digit(*p); p++)
      if (x < 1000000) x = x * 10 + (*p - '0'); /* beyond this strtod says out of range anyway */
    e += sign * x;
  }
  if (n == 0) { /* the number is zero */
    digits[n++] = '0';
    e = 0;
  }
  digits[n] = '\0';
  *ndigits = n;
  *exp10 = e;
  *end = p;
  return true;
}

/* digits (n, no leading zero unless "0") x mult (decimal) -> out, a NUL-terminated decimal. */
static void mul_decimal(const char *digits, size_t n, const char *mult, char *out) {
  size_t m = strlen(mult);
  int acc[MAX_DIGITS + 32] = {0};
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < m; j++) acc[i + j + 1] += (digits[i] - '0') * (mult[j] - '0');
  for (size_t k = n + m - 1; k > 0; k--) {
    acc[k - 1] += acc[k] / 10;
    acc[k] %= 10;
  }
  size_t k = 0;
  while (k + 1 < n + m && acc[k] == 0) k++;
  size_t o = 0;
  for (; k < n + m; k++) out[o++] = (char)('0' + acc[k]);
  out[o] = '\0';
}

/* Decimal digits x 10^exp10 -> nearest double. Returns 0 or -JZ_ERANGE. */
static int to_double(const char *digits, long exp10, double *out) {
  char buf[MAX_DIGITS + 64];
  snprintf(buf, sizeof buf, "%se%ld", digits, exp10);
  errno = 0;
  double v = strtod(buf, NULL);
  /* ERANGE covers overflow to infinity and underflow to zero or a subnormal. */
  if (errno == ERANGE || !isfinite(v)) return -JZ_ERANGE;
  *out = v;
  return 0;
}

static const unit_t *find_unit(const unit_t *t, const char *name) {
  for (; t->name; t++)
    if (strcmp(t->name, name) == 0) return t;
  return NULL;
}

static bool same_nocase(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return false;
  }
  return *a == *b;
}

/* Explain an unknown unit: a case slip, a unit of another kind, or the list of valid ones. */
static void explain_unit(const char *s, const char *unit, jz_unit_kind_t kind, char *why,
                         size_t whylen) {
  const kind_info_t *k = &kinds[kind];
  char hint[160] = "";
  size_t h = 0;
  int nsug = 0;
  for (const unit_t *u = k->units; u->name; u++) {
    if (!same_nocase(u->name, unit)) continue;
    h += (size_t)snprintf(hint + h, sizeof hint - h, "%s'%s'", nsug ? " or " : "", u->name);
    nsug++;
    if (h >= sizeof hint) break;
  }
  if (nsug) {
    say(why, whylen, "unknown %s unit '%s' in '%s' (did you mean %s?)", k->what, unit, s, hint);
    return;
  }
  for (int o = 0; o < N_KINDS; o++) {
    if (o == (int)kind || !find_unit(kinds[o].units, unit)) continue;
    say(why, whylen, "'%s' is a %s, expected a %s such as '%.*s%s'", s, kinds[o].what, k->what,
        (int)(unit - s), s, k->example);
    return;
  }
  h = 0;
  for (const unit_t *u = k->units; u->name && h < sizeof hint; u++)
    h += (size_t)snprintf(hint + h, sizeof hint - h, "%s%s", u == k->units ? "" : " ", u->name);
  say(why, whylen, "unknown %s unit '%s' in '%s' (expected one of: %s)", k->what, unit, s, hint);
}

int jz_units_parse(const char *s, jz_unit_kind_t kind, double *out, char *why, size_t whylen) {
  if ((int)kind < 0 || (int)kind >= N_KINDS) {
    say(why, whylen, "unknown unit kind %d", (int)kind);
    return -JZ_EINVAL;
  }
  const kind_info_t *k = &kinds[kind];
  if (!s || !*s) {
    say(why, whylen, "empty value, expected a %s such as '1%s'", k->what, k->example);
    return -JZ_ESYNTAX;
  }
  const char *start = s;
  bool negative = false;
  if (s[0] == '-' && is_digit(s[1])) {
    negative = true;
    start = s + 1;
  }
  char digits[MAX_DIGITS + 1];
  size_t nd;
  long e10;
  const char *end;
  bool too_long;
  if (!scan_number(start, &end, digits, &nd, &e10, &too_long)) {
    if (too_long)
      say(why, whylen, "'%s' has too many digits", s);
    else
      say(why, whylen, "'%s' is not a number followed by a unit, e.g. '2.5%s'", s, k->example);
    return -JZ_ESYNTAX;
  }
  if (negative) {
    say(why, whylen, "'%s' is negative", s);
    return -JZ_ERANGE;
  }
  if (*end == '\0') {
    say(why, whylen, "'%s' needs a unit, e.g. '%s%s'", s, s, k->example);
    return -JZ_EUNIT;
  }
  if (*end == ' ' || *end == '\t') {
    say(why, whylen, "'%s': no space allowed between the number and the unit", s);
    return -JZ_EUNIT;
  }
  const unit_t *u = find_unit(k->units, end);
  if (!u) {
    explain_unit(s, end, kind, why, whylen);
    return -JZ_EUNIT;
  }
  char prod[MAX_DIGITS + 32];
  mul_decimal(digits, nd, u->mult, prod);
  double v;
  if (to_double(prod, e10 + u->pow10, &v) < 0) {
    say(why, whylen, "'%s' is out of range", s);
    return -JZ_ERANGE;
  }
  *out = v;
  return 0;
}

int jz_units_parse_ll(const char *s, long long *out) {
  if (!s) return -JZ_ESYNTAX;
  const char *p = s;
  bool neg = false;
  if (*p == '-') {
    neg = true;
    p++;
  }
  if (!is_digit(*p)) return -JZ_ESYNTAX;
  /* Accumulate as a negative number: its range includes LLONG_MIN. */
  long long v = 0;
  for (; is_digit(*p); p++) {
    int d = *p - '0';
    if (v < (LLONG_MIN + d) / 10) return -JZ_ERANGE;
    v = v * 10 - d;
  }
  if (*p) return -JZ_ESYNTAX;
  if (!neg) {
    if (v == LLONG_MIN) return -JZ_ERANGE;
    v = -v;
  }
  *out = v;
  return 0;
}

int jz_units_parse_double(const char *s, double *out) {
  if (!s) return -JZ_ESYNTAX;
  const char *p = s[0] == '-' ? s + 1 : s;
  char digits[MAX_DIGITS + 1];
  size_t nd;
  long e10;
  const char *end;
  bool too_long;
  if (!scan_number(p, &end, digits, &nd, &e10, &too_long) || *end) return -JZ_ESYNTAX;
  double v;
  if (to_double(digits, e10, &v) < 0) return -JZ_ERANGE;
  *out = (p != s) ? -v : v;
  return 0;
}

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
static const uint64_t pow10_u64[20] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
    1000000000000000000ull, 10000000000000000000ull};

size_t jz_units_fmt_int(int64_t v, char *buf) {
  /* Two digits at a time, written in place from the end once the length is known (no copy
   * through a scratch buffer): this formats a dozen numbers per job in jobs.csv and five per
   * row of the time series, a third of them single digits (idle queues' zeros), which return
   * at once. The length is floor(log10(u)) + 1 from the bit length (x 1233 / 4096 is log10(2)
   * by default, one comparison corrects it); below 2^32 the divisions are 32-bit. About 16 %
   * fewer instructions than a digit-counting loop on the time series' values. */
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  char *p = buf;
  if (v < 0) *p++ = '-';
  if (u < 10) {
    *p = (char)('0' + u);
    return (size_t)(p - buf) + 1;
  }
  unsigned t = ((64u - (unsigned)__builtin_clzll(u)) * 1233u) >> 12;
  unsigned n = t + (u >= pow10_u64[t]);
  char *q = p + n;
  while (u >= 4294967296u) {
    unsigned d = (unsigned)(u % 100) * 2;
    u /= 100;
    q -= 2;
    memcpy(q, digit_pairs + d, 2);
  }
  uint32_t w = (uint32_t)u;
  while (w >= 100) {
    uint32_t d = (w % 100) * 2;
    w /= 100;
    q -= 2;
    memcpy(q, digit_pairs + d, 2);
  }
  if (w >= 10)
    memcpy(q - 2, digit_pairs + w * 2, 2);
  else
    q[-1] = (char)('0' + w);
  return (size_t)(p - buf) + n;
}

size_t jz_units_fmt_g15(double v, char *buf) {
  /* %.15g prints fixed-point when the exponent X of v rounded to 15 significant digits has
   * -4 <= X < 15. N = v * 10^(14 - X), rounded, is then the 15 digits. Powers 10^0..10^18 are
   * exact in long double (5^18 < 2^64) and the product has a relative error below 2^-64, so
   * below 10^15 its absolute error is under 1e-4: away from a fractional part of 0.5 (within
   * 1e-3: snprintf decides), rounding the product rounds the exact value the same way, as
   * printf does (it rounds the exact binary value). */
  static const long double p10[19] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,
                                      1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
                                      1e14L, 1e15L, 1e16L, 1e17L, 1e18L};
  double a = fabs(v);
  if (a >= 1e-4 && a < 1e15) {
    /* x = floor(log10(a)) exactly: log10 may round across a power of ten. A double is never
     * a negative power of ten, so comparing a * 10^-x with 1 in long double decides. */
    int x = (int)floor(log10(a));
    long double la = a;
    if (x >= 0 ? la < p10[x] : la * p10[-x] < 1) x--;
    else if (x + 1 >= 0 ? la >= p10[x + 1] : la * p10[-x - 1] >= 1) x++;
    if (x >= -4 && x <= 14) {
      long double p = la * p10[14 - x], f = floorl(p), fr = p - f; /* p in [10^14, 10^15) */
      long double n = fr > 0.5L ? f + 1 : f;
      bool tie = fabsl(fr - 0.5L) < 1e-3L; /* near a tie: let printf decide */
      if (n >= 1e15L) { /* 9.99...95 rounded up to 10^(x+1) */
        n = 1e14L;
        x++;
      }
      if (!tie && x <= 14) {
        char d[20];
        jz_units_fmt_int((int64_t)n, d); /* n in [10^14, 10^15): 15 digits */
        int last = 14; /* trailing zeros are not printed (no '#' flag) */
        while (last > 0 && d[last] == '0') last--;
        char *q = buf;
        if (v < 0) *q++ = '-';
        if (x >= 0) {
          memcpy(q, d, (size_t)x + 1);
          q += x + 1;
          if (last > x) {
            *q++ = '.';
            memcpy(q, d + x + 1, (size_t)(last - x));
            q += last - x;
          }
        } else {
          *q++ = '0';
          *q++ = '.';
          for (int i = 0; i < -x - 1; i++) *q++ = '0';
          memcpy(q, d, (size_t)last + 1);
          q += last + 1;
        }
        return (size_t)(q - buf);
      }
    }
  }
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%.15g", v);
  memcpy(buf, tmp, (size_t)n);
  return (size_t)n;
}

char *jz_units_fmt_double(double v, char *buf) {
  jz_units_fmt_double_n(v, buf);
  return buf;
}

size_t jz_units_fmt_double_n(double v, char *buf) {
  if (isnan(v)) return strlen(strcpy(buf, "nan"));
  if (isinf(v)) return strlen(strcpy(buf, v < 0 ? "-inf" : "inf"));
  /* Integers below 2^53 (every time a trace holds): the hot path of jobs.csv. The test by
   * conversion (exact below 2^53) is floor()'s without a call into libm; -0 prints "0". */
  if (fabs(v) < 9007199254740992.0 && (double)(int64_t)v == v) {
    size_t n = jz_units_fmt_int((int64_t)v, buf);
    buf[n] = '\0';
    return n;
  }
  if (v == floor(v) && fabs(v) < 1e21) return (size_t)snprintf(buf, 32, "%.0f", v);
  /* Fixed-point fast path: the fewest decimals (up to 9) whose value reads back as v. m / 10^k
   * is correctly rounded, as strtod of the same decimal is, so the test is exact; and in this
   * range it gives the digits "%.15g" would, without printf's big-number arithmetic (times
   * rescaled with scale=K, fractional run times of AI traces). */
  double a = fabs(v);
  if (a >= 1e-4 && a < 1e9) {
    static const double p10[9] = {1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    for (int k = 0; k < 9; k++) {
      double m = nearbyint(a * p10[k]);
      if (m >= 9007199254740992.0) break;
      if (m / p10[k] != a) continue;
      unsigned long long im = (unsigned long long)m, scale = 1;
      for (int d = 0; d <= k; d++) scale *= 10;
      char *p = buf;
      if (v < 0) *p++ = '-';
      p += jz_units_fmt_double_n((double)(im / scale), p);
      *p++ = '.';
      unsigned long long frac = im % scale;
      for (int d = k; d >= 0; d--) { /* k + 1 digits, leading zeros kept */
        p[d] = (char)('0' + frac % 10);
        frac /= 10;
      }
      p += k + 1;
      *p = '\0';
      return (size_t)(p - buf);
    }
  }
  /* 15 significant digits read back exactly for most values; 17 always do. */
  /* Through a local buffer: GCC 12 with UBSan wrongly reports "null destination pointer"
   * (-Wformat-truncation) for snprintf(buf, ...) in this loop, which breaks -Werror builds. */
  char tmp[32];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, v);
    if (prec == 17 || strtod(tmp, NULL) == v) break;
  }
  size_t len = strlen(tmp);
  memcpy(buf, tmp, len + 1);
  return len;
}

/* Three significant digits without an exponent, as a table reader expects ("2.50", "39.0"). */
static void fmt3(double x, const char *unit, char *buf, size_t len) {
  int prec = x < 9.995 ? 2 : x < 99.95 ? 1 : 0;
  snprintf(buf, len, "%.*f %s", prec, x, unit);
}

char *jz_units_fmt_human(double v, jz_unit_kind_t kind, char *buf, size_t len) {
  static const char *const flops[] = {"f", "kf", "Mf", "Gf", "Tf", "Pf", "Ef", NULL};
  static const char *const bw[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s", "EB/s", NULL};
  static const char *const size[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", NULL};
  static const char *const power[] = {"W", "kW", "MW", "GW", NULL};
  const char *const *names = NULL;
  if (!buf || len == 0) return buf;
  if (!isfinite(v)) {
    snprintf(buf, len, "%g", v);
    return buf;
  }
  switch (kind) {
  case JZ_UNIT_FLOPS: names = flops; break;
  case JZ_UNIT_BANDWIDTH: names = bw; break;
  case JZ_UNIT_SIZE: names = size; break;
  case JZ_UNIT_POWER: names = power; break;
  case JZ_UNIT_TIME: {
    /* Largest unit that divides exactly ("100 h", "90 d"), else 3 digits in the largest <= v. */
    static const struct {
      const char *name;
      double secs;
    } t[] = {{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
    size_t nt = sizeof t / sizeof t[0];
    if (v == 0) {
      snprintf(buf, len, "0 s");
      return buf;
    }
    for (size_t i = 0; i < nt; i++) {
      /* Sub-second units are not exact in binary (1e-5 / 1e-6 is not 10): allow 1e-9. */
      double q = v / t[i].secs, r = nearbyint(q);
      if (fabs(v) >= 1 && t[i].secs < 1) break; /* "1.5 s", not "1500 ms" */
      if (fabs(v) >= t[i].secs * (1 - 1e-9) && fabs(q - r) <= 1e-9 * fabs(r) && fabs(q) < 1e15) {
        snprintf(buf, len, "%.0f %s", r, t[i].name);
        return buf;
      }
    }
    for (size_t i = 0; i < nt; i++)
      if (fabs(v) >= t[i].secs || i + 1 == nt) {
        snprintf(buf, len, "%.3g %s", v / t[i].secs, t[i].name);
        return buf;
      }
    return buf;
  }
  default: snprintf(buf, len, "%g", v); return buf;
  }
  double x = fabs(v);
  int i = 0;
  if (kind == JZ_UNIT_SIZE) {
    /* Sizes that are whole binary multiples (memory: 64 GiB) read better in binary units;
     * decimal ones (storage: 4.3 PB) stay decimal. */
    static const char *const bin[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double m = 1;
    int k = 0;
    while (k < 6 && x >= m * 1024) {
      m *= 1024;
      k++;
    }
    if (k > 0 && fmod(x, m) == 0) {
      fmt3(x / m, bin[k], buf, len);
      names = NULL;
    }
  }
  while (names && names[i + 1] && x >= 999.5) {
    x /= 1000;
    i++;
  }
  if (names) fmt3(x, names[i], buf, len);
  if (v < 0) {
    size_t n = strlen(buf);
    if (n + 1 < len) {
      memmove(buf + 1, buf, n + 1);
      buf[0] = '-';
    }
  }
  return buf;
}
