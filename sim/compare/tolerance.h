/* tolerance.h: the tolerances of `jzsim compare` ("+5%", "-1%", "+60s", "-0.01") and the
 * verdict of one metric against its tolerance.
 *
 * Grammar (exactly this, no spaces; docs/formats.md "jzsim compare"):
 *
 *     tolerance := sign amount
 *     sign      := '+'          higher is worse: new may be at most `amount` above base
 *                | '-'          lower is worse: new may be at most `amount` below base
 *     amount    := number '%'   relative to |base|
 *                | number       absolute, in the metric's own unit
 *                | number unit  absolute, a duration (ns us ms s min h d w): only for metrics
 *                               measured in seconds (waits, times)
 *     number    := digits ['.' digits] [('e'|'E') ['+'|'-'] digits]
 *
 * Worked example: base 200 s, "+5%": the limit is 200 + 5 % x 200 = 210; new 210 passes,
 * 210.001 is a regression. "-1%" on base 0.80: limit 0.792; new 0.792 passes, 0.7919 fails.
 * "+1min" on base 200 s: limit 260 s. A relative tolerance on a base of 0 allows no change
 * at all in the bad direction (5 % of nothing is nothing): use an absolute one there. */
#ifndef JZ_TOLERANCE_H
#define JZ_TOLERANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum jz_tol_kind {
  JZ_TOL_NONE, /* no tolerance: the metric is reported, not gated */
  JZ_TOL_REL,  /* amount is a percentage of |base| */
  JZ_TOL_ABS,  /* amount in the metric's unit (seconds when time_unit) */
} jz_tol_kind_t;

typedef struct jz_tol {
  jz_tol_kind_t kind;
  int dir;        /* +1: higher is worse; -1: lower is worse */
  double amount;  /* >= 0, finite */
  bool time_unit; /* written with a duration unit: the metric must be in seconds */
  char text[40];  /* as typed (for the table); "" for JZ_TOL_NONE */
} jz_tol_t;

typedef enum jz_verdict {
  JZ_VERDICT_OK,         /* within tolerance */
  JZ_VERDICT_REGRESSION, /* beyond it in the bad direction */
  JZ_VERDICT_INFO,       /* not gated */
} jz_verdict_t;

/* Parse s (grammar above) into *t. 0, or -JZ_ESYNTAX / -JZ_EUNIT with err filled:
 * "tolerance '5%': needs a direction: '+5%' (higher is worse) or '-5%' (lower is worse)". */
int jz_tol_parse(const char *s, jz_tol_t *t, jz_error_t *err);

/* Verdict of new against base under t; *limit (may be NULL) gets the worst value allowed.
 * A value exactly at the limit in decimal passes: the comparison allows a relative slack of
 * 1e-12 (binary rounding of "5 % of 18.467" is about 1e-16 relative; a real change of the
 * metrics compared here is far above 1e-12). */
jz_verdict_t jz_tol_check(const jz_tol_t *t, double base, double new_value, double *limit);

/* Numbers as the compare table prints them: 6 significant digits without an exponent for
 * 1e-4 <= |v| < 1e15 (trailing zeros dropped: 893885, 18.467, 0.00224116, 1.52756), %.6g
 * otherwise; plus: a '+' before positive values. buf needs 40 bytes. Returns buf. */
char *jz_tol_fmt_num(double v, bool plus, char *buf);

#endif
