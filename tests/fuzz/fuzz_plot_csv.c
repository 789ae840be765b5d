/* fuzz_plot_csv.c: `jzsim plot`'s CSV reader (sim/plot/csv.h) on arbitrary bytes, read as
 * queues.csv, utilisation.csv and jobs.csv in turn, then the gnuplot script built from what
 * was read (gnuplot itself is not run).
 *
 * Properties: an error is one line "out/NAME:..."; step series have finite, nondecreasing
 * times within [t0, t1], finite values (a busy fraction has no NaN), at most
 * JZ_PLOT_STEP_MAX_POINTS points once reduced; a wait CDF has finite, nondecreasing x and
 * fractions in [0, 1] ending at 1; the script is built. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "plot/csv.h"
#include "plot/inputs.h"
#include "plot/script.h"

static void check_steps(const jz_plot_steps_t *st) {
  for (size_t i = 0; i < st->ss.n; i++) {
    const jz_plot_series_t *s = &st->ss.s[i];
    JZ_FUZZ_CHECK(s->n >= 1, "series '%s' without points", s->name);
    JZ_FUZZ_CHECK(s->n <= JZ_PLOT_STEP_MAX_POINTS || !(st->t1 > st->t0),
                  "series '%s': %zu points after reduction", s->name, s->n);
    for (size_t k = 0; k < s->n; k++) {
      JZ_FUZZ_CHECK(isfinite(s->x[k]) && s->x[k] >= st->t0 && s->x[k] <= st->t1,
                    "series '%s': time %g outside [%g, %g]", s->name, s->x[k], st->t0, st->t1);
      JZ_FUZZ_CHECK(!isnan(s->y[k]), "series '%s': NaN value", s->name);
      JZ_FUZZ_CHECK(k == 0 || s->x[k] >= s->x[k - 1], "series '%s': time goes back", s->name);
    }
  }
}

static void check_waits(const jz_plot_waits_t *w) {
  for (size_t i = 0; i < w->ss.n; i++) {
    const jz_plot_series_t *s = &w->ss.s[i];
    JZ_FUZZ_CHECK(s->n >= 1 && s->count >= 1 && s->zeros <= s->count, "CDF '%s'", s->name);
    for (size_t k = 0; k < s->n; k++) {
      JZ_FUZZ_CHECK(isfinite(s->x[k]) && s->y[k] >= 0 && s->y[k] <= 1,
                    "CDF '%s': point (%g, %g)", s->name, s->x[k], s->y[k]);
      JZ_FUZZ_CHECK(k == 0 || (s->y[k] >= s->y[k - 1]), "CDF '%s' decreases", s->name);
    }
    JZ_FUZZ_CHECK(s->y[s->n - 1] == 1, "CDF '%s' ends at %g", s->name, s->y[s->n - 1]);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[3] = {"out/queues.csv", "out/utilisation.csv", "out/jobs.csv"};
  jz_plot_t p;
  memset(&p, 0, sizeof p);
  strcpy(p.tmp, "/nonexistent/jzsim-plot-fuzz");
  int ok = 0;
  for (int k = 0; k < 3; k++) {
    jz_plot_csv_t c;
    jz_error_t err = {0};
    int rc = jz_plot_csv_open_mem(&c, names[k], (const char *)data, size, &err);
    JZ_FUZZ_CHECK(rc == 0, "open_mem: %s", err.msg);
    if (k == 2)
      rc = jz_plot_read_waits(&c, &p.w, &err);
    else
      rc = jz_plot_read_steps(&c, k == 0 ? JZ_PLOT_STEPS_QUEUES : JZ_PLOT_STEPS_UTIL,
                              k == 0 ? &p.q : &p.u, &err);
    jz_plot_csv_close(&c);
    if (rc != 0) {
      jz_fuzz_check_error(rc, &err, names[k]);
      continue;
    }
    ok |= 1 << k;
    if (k == 2)
      check_waits(&p.w);
    else
      check_steps(k == 0 ? &p.q : &p.u);
  }
  char *outs[2][JZ_PLOT_NCHARTS] = {{"q.png", "u.png", "w.png"}, {NULL, NULL, NULL}};
  jz_plot_text_t script = {0};
  JZ_FUZZ_CHECK(jz_plot_script(&p, outs, &script) == 0, "script: out of memory");
  JZ_FUZZ_CHECK(script.n > 0 && strlen(script.p) == script.n, "script has a NUL byte");
  (void)ok;
  free(script.p);
  jz_plot_sset_free(&p.q.ss);
  jz_plot_sset_free(&p.u.ss);
  jz_plot_sset_free(&p.w.ss);
  return 0;
}
