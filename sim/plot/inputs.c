/* plot/inputs.c: queues.csv, utilisation.csv and jobs.csv reduced to step series and wait
 * CDFs (see inputs.h). */
#include "plot/inputs.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int jz_plot_read_steps(jz_plot_csv_t *c, jz_plot_steps_kind_t kind, jz_plot_steps_t *out,
                       jz_error_t *err) {
  static const char *const qcols[] = {"time", "queue", "waiting_jobs"};
  static const char *const ucols[] = {"time", "partition", "busy_cores", "total_cores",
                                      "busy_gpus", "total_gpus"};
  const char *const *cols = kind == JZ_PLOT_STEPS_QUEUES ? qcols : ucols;
  size_t ncols = kind == JZ_PLOT_STEPS_QUEUES ? 3 : 6;
  int idx[6];
  memset(out, 0, sizeof *out);
  out->t0 = 1;
  out->t1 = 0;
  int rc = jz_plot_csv_header(c, cols, ncols, idx, err);
  bool first = true;
  while (rc == 0 && (rc = jz_plot_csv_next(c, err)) == 1) {
    double t = 0, v[4] = {0};
    const char *name = "";
    rc = jz_plot_csv_num(c, idx[0], cols[0], &t, err);
    if (rc == 0) rc = jz_plot_csv_get(c, idx[1], cols[1], &name, err);
    for (size_t k = 2; rc == 0 && k < ncols; k++)
      rc = jz_plot_csv_num(c, idx[k], cols[k], &v[k - 2], err);
    if (rc < 0) break;
    if (!first && t < out->t1) {
      rc = jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0,
                       "column 'time': '%s' is before the previous row's time (rows must be "
                       "sorted by time)", c->f[idx[0]]);
      break;
    }
    if (first) out->t0 = t;
    first = false;
    out->t1 = t;
    jz_plot_series_t *s = jz_plot_sset_get(&out->ss, name[0] ? name : "(none)");
    if (!s) {
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      break;
    }
    double y = v[0];
    if (kind == JZ_PLOT_STEPS_UTIL) {
      /* GPUs are what a GPU partition is for: its cores are mostly idle by design. A
       * partition with neither (empty) is idle: there is nothing to divide. */
      if (v[3] > 0) {
        y = v[2] / v[3];
        s->gpu = true;
      } else {
        y = v[1] > 0 ? v[0] / v[1] : 0;
      }
    }
    if (jz_plot_series_step(s, t, y) < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (rc < 0) {
    jz_plot_sset_free(&out->ss);
    return rc;
  }
  jz_plot_sset_sort(&out->ss);
  for (size_t i = 0; i < out->ss.n; i++) {
    jz_plot_series_t *s = &out->ss.s[i];
    /* Carry the last value to the end of the record, so every series spans the run. */
    if (s->x[s->n - 1] < out->t1 && jz_plot_series_append(s, out->t1, s->y[s->n - 1]) < 0)
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    if (kind == JZ_PLOT_STEPS_UTIL && s->x[s->n - 1] > s->x[0]) {
      double sum = 0;
      for (size_t k = 0; k + 1 < s->n; k++) sum += s->y[k] * (s->x[k + 1] - s->x[k]);
      s->mean = sum / (s->x[s->n - 1] - s->x[0]);
    }
    jz_plot_series_reduce(s, out->t0, out->t1);
  }
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Replace sorted waits (s) by the points of their empirical CDF (hours, fraction of jobs
 * waiting at most that long), starting at the floor with the share of jobs that never
 * waited and ending at x_end with 1. */
static int cdf_points(jz_plot_series_t *s, double floor_s, double x_end_h) {
  size_t n = s->n, z = 0;
  while (z < n && s->x[z] == 0) z++;
  s->zeros = z;
  s->count = n;
  jz_plot_series_t out = {0};
  int rc = jz_plot_series_append(&out, floor_s / JZ_PLOT_SECONDS_PER_HOUR, (double)z / (double)n);
  size_t distinct = 0;
  for (size_t i = z; i < n; i++) distinct += i + 1 == n || s->x[i + 1] != s->x[i];
  double lo = z < n ? log(s->x[z]) : 0, hi = n > 0 ? log(s->x[n - 1]) : 0;
  long bin_prev = -1;
  for (size_t i = z; rc == 0 && i < n; i++) {
    if (i + 1 < n && s->x[i + 1] == s->x[i]) continue; /* the last of equal waits has the CDF */
    double xh = s->x[i] / JZ_PLOT_SECONDS_PER_HOUR, f = (double)(i + 1) / (double)n;
    if (distinct > JZ_PLOT_CDF_MAX_POINTS && hi > lo) {
      long bin = (long)((log(s->x[i]) - lo) / (hi - lo) * (JZ_PLOT_CDF_MAX_POINTS - 1));
      if (bin == bin_prev) {
        out.x[out.n - 1] = xh;
        out.y[out.n - 1] = f;
        continue;
      }
      bin_prev = bin;
    }
    rc = jz_plot_series_append(&out, xh, f);
  }
  if (rc == 0 && out.x[out.n - 1] < x_end_h) rc = jz_plot_series_append(&out, x_end_h, 1.0);
  free(s->x);
  free(s->y);
  s->x = out.x;
  s->y = out.y;
  s->n = out.n;
  s->cap = out.cap;
  return rc;
}

int jz_plot_read_waits(jz_plot_csv_t *c, jz_plot_waits_t *out, jz_error_t *err) {
  static const char *const cols[] = {"waiting_time", "queue", "final_state"};
  int idx[3];
  memset(out, 0, sizeof *out);
  int rc = jz_plot_csv_header(c, cols, 3, idx, err);
  while (rc == 0 && (rc = jz_plot_csv_next(c, err)) == 1) {
    const char *state = "", *queue = "";
    double w = 0;
    rc = jz_plot_csv_get(c, idx[2], cols[2], &state, err);
    if (rc < 0) break;
    if (strcmp(state, "REJECTED") == 0) continue; /* never waited: its waiting_time is -1 */
    rc = jz_plot_csv_num(c, idx[0], cols[0], &w, err);
    if (rc == 0) rc = jz_plot_csv_get(c, idx[1], cols[1], &queue, err);
    if (rc < 0) break;
    if (w < 0) {
      rc = jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0,
                       "column 'waiting_time': '%s' is negative", c->f[idx[0]]);
      break;
    }
    jz_plot_series_t *s = jz_plot_sset_get(&out->ss, queue[0] ? queue : "(none)");
    if (!s || jz_plot_series_append(s, w, 0) < 0) {
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      break;
    }
    out->jobs++;
  }
  if (rc < 0) {
    jz_plot_sset_free(&out->ss);
    return rc;
  }
  jz_plot_sset_sort(&out->ss);
  /* Zero waits go to the power of ten a decade or less below the shortest positive wait (1 s
   * when that is 10 s or more), apart from every real wait on the log axis. */
  double minpos = INFINITY, max = 0;
  for (size_t i = 0; i < out->ss.n; i++) {
    jz_plot_series_t *s = &out->ss.s[i];
    qsort(s->x, s->n, sizeof *s->x, cmp_double);
    for (size_t k = 0; k < s->n; k++)
      if (s->x[k] > 0) {
        if (s->x[k] < minpos) minpos = s->x[k];
        break;
      }
    if (s->n && s->x[s->n - 1] > max) max = s->x[s->n - 1];
  }
  out->floor_s = pow(10, ceil(log10(fmin(minpos, 10))) - 1);
  out->max_h = max / JZ_PLOT_SECONDS_PER_HOUR;
  for (size_t i = 0; i < out->ss.n; i++)
    if (cdf_points(&out->ss.s[i], out->floor_s, out->max_h) < 0)
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}
