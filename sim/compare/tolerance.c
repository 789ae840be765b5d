/* tolerance.c: parsing "+5%" / "-1%" / "+60s" / "-0.01" and judging a metric against it. */
#include "compare/tolerance.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

#define QUOTE_MAX 32 /* longest tolerance text quoted in a message */

int jz_tol_parse(const char *s, jz_tol_t *t, jz_error_t *err) {
  memset(t, 0, sizeof *t);
  size_t n = strlen(s);
  if (n == 0)
    return jz_error_set(err, -JZ_ESYNTAX,
                        "empty tolerance: expected e.g. '+5%%', '-1%%', '+60s' or '-0.01'");
  if (n >= sizeof t->text)
    return jz_error_set(err, -JZ_ESYNTAX, "tolerance '%.*s...' is too long", QUOTE_MAX, s);
  memcpy(t->text, s, n + 1);
  if (s[0] != '+' && s[0] != '-')
    return jz_error_set(err, -JZ_ESYNTAX,
                        "tolerance '%s': needs a direction: '+%s' (higher is worse) or '-%s' "
                        "(lower is worse)",
                        s, s, s);
  t->dir = s[0] == '+' ? 1 : -1;
  const char *a = s + 1;
  char num[sizeof t->text];
  size_t an = strlen(a);
  /* jz_units_parse_double takes a leading '-': a second sign is refused before it sees it. */
  if (an == 0 || a[0] == '+' || a[0] == '-')
    return jz_error_set(err, -JZ_ESYNTAX,
                        "tolerance '%s': expected a sign then a number: '+5%%', '-1%%', "
                        "'+60s', '-0.01'",
                        s);
  if (a[an - 1] == '%') {
    memcpy(num, a, an - 1);
    num[an - 1] = '\0';
    if (jz_units_parse_double(num, &t->amount) != 0 || !isfinite(t->amount))
      return jz_error_set(err, -JZ_ESYNTAX, "tolerance '%s': '%s' is not a number", s, num);
    t->kind = JZ_TOL_REL;
    return 0;
  }
  if (jz_units_parse_double(a, &t->amount) == 0) {
    if (!isfinite(t->amount))
      return jz_error_set(err, -JZ_ESYNTAX, "tolerance '%s': out of range", s);
    t->kind = JZ_TOL_ABS;
    return 0;
  }
  char why[160];
  if (jz_units_parse(a, JZ_UNIT_TIME, &t->amount, why, sizeof why) != 0)
    return jz_error_set(err, -JZ_EUNIT,
                        "tolerance '%s': %s (expected a percentage '5%%', a number '0.01' or a "
                        "duration '60s')",
                        s, why);
  t->kind = JZ_TOL_ABS;
  t->time_unit = true;
  return 0;
}

jz_verdict_t jz_tol_check(const jz_tol_t *t, double base, double new_value, double *limit) {
  if (t->kind == JZ_TOL_NONE) {
    if (limit) *limit = NAN;
    return JZ_VERDICT_INFO;
  }
  double room = t->kind == JZ_TOL_REL ? fabs(base) * t->amount / 100.0 : t->amount;
  double lim = base + t->dir * room;
  if (limit) *limit = lim;
  double slack = 1e-12 * fmax(fabs(base), fabs(new_value));
  bool bad = t->dir > 0 ? new_value > lim + slack : new_value < lim - slack;
  return bad ? JZ_VERDICT_REGRESSION : JZ_VERDICT_OK;
}

char *jz_tol_fmt_num(double v, bool plus, char *buf) {
  const char *sign = plus && v > 0 ? "+" : "";
  double a = fabs(v);
  if (v == 0 || !isfinite(v) || a < 1e-4 || a >= 1e15) {
    snprintf(buf, 40, "%s%.6g", sign, v == 0 ? 0.0 : v);
    return buf;
  }
  int decimals = 5 - (int)floor(log10(a));
  if (decimals < 0) decimals = 0;
  int len = snprintf(buf, 40, "%s%.*f", sign, decimals, v);
  if (decimals > 0) {
    while (len > 0 && buf[len - 1] == '0') buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.') buf[--len] = '\0';
  }
  /* "-0.000001" rounds to "-0": print what it is, zero. */
  if (strcmp(buf, "-0") == 0 || strcmp(buf, "+0") == 0) strcpy(buf, "0");
  return buf;
}
