/* units.h: strict parsing of quantities with SimGrid-style units ("2.5Gf", "100Gbps",
 * "4.3PB", "20h", "400W") and of plain counts, shared by every reader and the CLI.
 *
 * Accepted: an optional sign-free decimal number (digits, optional fraction, optional exponent)
 * immediately followed by a unit of the requested kind; no spaces, no trailing text, no NaN or
 * infinity. A bare number is an error for every kind except counts. */
#ifndef JZ_UNITS_H
#define JZ_UNITS_H

#include <stddef.h>
#include <stdint.h>

typedef enum jz_unit_kind {
  JZ_UNIT_FLOPS,     /* f kf Mf Gf Tf Pf Ef (flop/s)              -> flop/s          */
  JZ_UNIT_BANDWIDTH, /* bps kbps Mbps Gbps Tbps, Bps kBps ... TBps, KiBps ... -> bytes/s */
  JZ_UNIT_SIZE,      /* B kB MB GB TB PB EB, KiB MiB GiB TiB PiB    -> bytes           */
  JZ_UNIT_TIME,      /* ns us ms s min h d w                        -> seconds         */
  JZ_UNIT_POWER,     /* W kW MW                                     -> watts           */
} jz_unit_kind_t;

/* Parse s as a quantity of the given kind into *out (SI base unit above).
 * Returns 0, or -JZ_EUNIT (unknown/missing unit) or -JZ_ESYNTAX (not a number) or -JZ_ERANGE
 * (negative, overflow, NaN); on error writes a short reason into why (may be NULL). */
int jz_units_parse(const char *s, jz_unit_kind_t kind, double *out, char *why, size_t whylen);

/* Strict integer: optional '-', digits only, no spaces, fits in long long. 0 or -JZ_ESYNTAX/-JZ_ERANGE. */
int jz_units_parse_ll(const char *s, long long *out);

/* Strict decimal number (digits, optional fraction and exponent, optional leading '-'). */
int jz_units_parse_double(const char *s, double *out);

/* Text that reads back to exactly v ("%.15g" if it round-trips, else "%.16g", else "%.17g").
 * Integral values print without a decimal point. buf needs 32 bytes. Returns buf. */
char *jz_units_fmt_double(double v, char *buf);
/* Same, returning the length written. */
size_t jz_units_fmt_double_n(double v, char *buf);
/* Decimal text of an integer (no NUL written); returns its length (at most 20). */
size_t jz_units_fmt_int(int64_t v, char *buf);
/* Exactly snprintf(buf, 32, "%.15g", v) (no NUL written: returns the length), without printf's
 * positional and big-number machinery for values in [1e-4, 1e15) that are not near a rounding
 * tie (jobs.csv's stretch: one per job); others go through snprintf. */
size_t jz_units_fmt_g15(double v, char *buf);

/* Human-readable forms for `platform show`: "2.50 Gf", "1.20 TB/s", "4.30 PB", "20 h". */
char *jz_units_fmt_human(double v, jz_unit_kind_t kind, char *buf, size_t len);

#endif
