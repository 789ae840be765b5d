/* fuzz_units.c: the small string parsers: quantities with units (every kind), strict integers
 * and decimals, and a `--workload` value. Properties: a parsed quantity is finite and >= 0; a
 * failure says why; an accepted integer prints back as the same text (no leading zeros or
 * sign of zero aside); jz_units_fmt_double reads back to exactly the value; a workload spec
 * either parses or fails with one line naming it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "fuzz.h"
#include "units.h"

static void check_roundtrip(double v) {
  char buf[32];
  jz_units_fmt_double(v, buf);
  double back = 0;
  JZ_FUZZ_CHECK(jz_units_parse_double(buf, &back) == 0, "'%s' (from %.17g) does not parse", buf,
                v);
  JZ_FUZZ_CHECK(back == v, "'%s' reads back as %.17g, not %.17g", buf, back, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = jz_fuzz_str(data, size);
  for (int k = JZ_UNIT_FLOPS; k <= JZ_UNIT_POWER; k++) {
    double v = -1;
    char why[128] = "";
    int rc = jz_units_parse(s, (jz_unit_kind_t)k, &v, why, sizeof why);
    if (rc == 0) {
      JZ_FUZZ_CHECK(isfinite(v) && v >= 0, "kind %d: '%s' -> %g", k, s, v);
      char human[64];
      jz_units_fmt_human(v, (jz_unit_kind_t)k, human, sizeof human);
      check_roundtrip(v);
    } else {
      JZ_FUZZ_CHECK(rc == -JZ_EUNIT || rc == -JZ_ESYNTAX || rc == -JZ_ERANGE,
                    "kind %d: '%s': code %d", k, s, rc);
      JZ_FUZZ_CHECK(why[0] != '\0', "kind %d: '%s': no reason", k, s);
    }
  }
  long long ll;
  if (jz_units_parse_ll(s, &ll) == 0) {
    char buf[32];
    size_t n = jz_units_fmt_int(ll, buf);
    buf[n] = '\0';
    const char *t = s;
    bool neg = *t == '-';
    if (neg) t++;
    while (t[0] == '0' && t[1] != '\0') t++;
    char canon[64];
    snprintf(canon, sizeof canon, "%s%s", neg && strcmp(t, "0") != 0 ? "-" : "", t);
    JZ_FUZZ_CHECK(strcmp(buf, canon) == 0, "'%s' parsed as %lld, prints '%s'", s, ll, buf);
  }
  double d;
  if (jz_units_parse_double(s, &d) == 0) {
    JZ_FUZZ_CHECK(isfinite(d), "'%s' -> %g", s, d);
    check_roundtrip(d);
  }
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_error_t err = {0};
  int rc = jz_experiment_add_workload(&e, s, &err);
  if (rc != 0) jz_fuzz_check_error(rc, &err, NULL);
  else JZ_FUZZ_CHECK(e.n_workloads == 1 && e.workloads[0].path, "'%s': no workload", s);
  jz_experiment_free(&e);
  free(s);
  return 0;
}
