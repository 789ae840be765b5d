/* plot/inputs.h: a run's CSVs reduced to what `jzsim plot` draws.
 *
 * queues.csv -> waiting jobs per queue and utilisation.csv -> busy fraction per partition, as
 * exact step series (each value holds until the next row of its series; the last value is
 * carried to the last row of the file); jobs.csv -> the empirical CDF of waits per queue
 * (rejected jobs excluded), every distinct wait up to JZ_PLOT_CDF_MAX_POINTS, else the last
 * one of each of JZ_PLOT_CDF_MAX_POINTS equal bins of log(wait). Folder-private to sim/plot/. */
#ifndef JZ_PLOT_INPUTS_H
#define JZ_PLOT_INPUTS_H

#include <stddef.h>

#include "error.h"
#include "plot/csv.h"
#include "plot/series.h"

#define JZ_PLOT_CDF_MAX_POINTS 2000
#define JZ_PLOT_SECONDS_PER_DAY 86400.0
#define JZ_PLOT_SECONDS_PER_HOUR 3600.0

typedef struct jz_plot_steps {
  jz_plot_sset_t ss;
  double t0, t1; /* first and last row's time; t0 > t1 when the file has no rows */
} jz_plot_steps_t;

typedef enum { JZ_PLOT_STEPS_QUEUES, JZ_PLOT_STEPS_UTIL } jz_plot_steps_kind_t;

typedef struct jz_plot_waits {
  jz_plot_sset_t ss; /* x = waits (s), then CDF points (h, fraction) */
  size_t jobs;       /* jobs counted (not rejected) */
  double floor_s;    /* where waits of 0 are drawn on the log axis */
  double max_h;      /* longest wait, hours (0 if none) */
} jz_plot_waits_t;

/* Read an opened queues.csv or utilisation.csv (c at its start) into out, sorted by name.
 * 0, or negative with err filled ("DIR/queues.csv:3: no column 'time'", rows out of time
 * order, numbers); out holds no series on error. */
int jz_plot_read_steps(jz_plot_csv_t *c, jz_plot_steps_kind_t kind, jz_plot_steps_t *out,
                       jz_error_t *err);
/* Read an opened jobs.csv into the CDF of waits per queue. Same contract. */
int jz_plot_read_waits(jz_plot_csv_t *c, jz_plot_waits_t *out, jz_error_t *err);

#endif
