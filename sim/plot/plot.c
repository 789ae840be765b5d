/* plot/plot.c: `jzsim plot DIR`: read a run's CSVs, reduce them to what a chart can show, and
 * have one gnuplot process draw queue length, utilisation and wait CDF as PNG and SVG.
 *
 * Pipeline: DIR/{queues,utilisation,jobs}.csv (plot/csv.c) -> series, one per queue or
 * partition (plot/inputs.c, plot/series.c) -> data files and a script (plot/script.c) in a
 * private mkdtemp directory -> `gnuplot < script` (plot/gnuplot.c, stderr kept for the error
 * message) -> DIR/NAME.tmp.EXT renamed to DIR/NAME.EXT once every chart exists. A
 * 300,000-job run plots in well under a second. */
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/csv.h"
#include "plot/gnuplot.h"
#include "plot/inputs.h"
#include "plot/script.h"

static char *path_join(const char *dir, const char *name) {
  size_t nd = strlen(dir), nn = strlen(name);
  bool slash = nd > 0 && dir[nd - 1] == '/';
  char *p = malloc(nd + nn + 2);
  if (p) snprintf(p, nd + nn + 2, "%s%s%s", dir, slash ? "" : "/", name);
  return p;
}

/* DIR/name read by the reader of its kind: 'q' queues.csv, 'u' utilisation.csv, 'w' jobs.csv. */
static int read_input(const char *dir, char which, jz_plot_t *p, jz_error_t *err) {
  static const char *const names[] = {"queues.csv", "utilisation.csv", "jobs.csv"};
  const char *name = names[which == 'q' ? 0 : which == 'u' ? 1 : 2];
  char *path = path_join(dir, name);
  if (!path) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  jz_plot_csv_t c;
  int rc = jz_plot_csv_open(&c, path, err);
  free(path);
  if (rc == 0) {
    if (which == 'w')
      rc = jz_plot_read_waits(&c, &p->w, err);
    else
      rc = jz_plot_read_steps(&c, which == 'q' ? JZ_PLOT_STEPS_QUEUES : JZ_PLOT_STEPS_UTIL,
                              which == 'q' ? &p->q : &p->u, err);
  }
  jz_plot_csv_close(&c);
  return rc;
}

/* One data file per series: "x y" lines, x shifted by x0 and divided by xscale. */
static int write_data(const jz_plot_t *p, char tag, size_t i, const jz_plot_series_t *s,
                      double x0, double xscale, jz_error_t *err) {
  char path[sizeof p->tmp + 32];
  jz_plot_data_path(p, tag, i, path, sizeof path);
  FILE *f = fopen(path, "w");
  if (!f) return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
  for (size_t k = 0; k < s->n; k++) fprintf(f, "%.17g %.17g\n", (s->x[k] - x0) / xscale, s->y[k]);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) return jz_error_at(err, -JZ_EIO, path, 0, 0, "write error");
  return 0;
}


static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *f = path_join(dir, e->d_name);
      if (f) unlink(f);
      free(f);
    }
    closedir(d);
  }
  rmdir(dir);
}

static int make_tmpdir(jz_plot_t *p, jz_error_t *err) {
  const char *base = getenv("TMPDIR");
  if (!base || base[0] != '/') base = "/tmp";
  int k = snprintf(p->tmp, sizeof p->tmp, "%s/jzsim-plot-XXXXXX", base);
  if (k < 0 || (size_t)k >= sizeof p->tmp)
    return jz_error_set(err, -JZ_EINVAL, "TMPDIR is too long");
  if (!mkdtemp(p->tmp)) {
    int e = errno;
    char b[sizeof p->tmp];
    snprintf(b, sizeof b, "%s", p->tmp);
    p->tmp[0] = '\0';
    return jz_error_at(err, -JZ_EIO, b, 0, 0, "cannot create a temporary directory: %s", strerror(e));
  }
  return 0;
}

static int write_all_data(const jz_plot_t *p, jz_error_t *err) {
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < p->q.ss.n; i++)
    rc = write_data(p, 'q', i, &p->q.ss.s[i], p->q.t0, JZ_PLOT_SECONDS_PER_DAY, err);
  for (size_t i = 0; rc == 0 && i < p->u.ss.n; i++)
    rc = write_data(p, 'u', i, &p->u.ss.s[i], p->u.t0, JZ_PLOT_SECONDS_PER_DAY, err);
  for (size_t i = 0; rc == 0 && i < p->w.ss.n; i++)
    rc = write_data(p, 'w', i, &p->w.ss.s[i], 0, 1, err);
  return rc;
}

int jz_plot_dir(const char *dir, const jz_plot_opts_t *o, jz_error_t *err) {
  static const char *const exts[2] = {"png", "svg"};
  if (!dir || !dir[0]) return jz_error_set(err, -JZ_EINVAL, "plot: no directory given");
  if (strpbrk(dir, "\n\r"))
    return jz_error_set(err, -JZ_EINVAL, "plot: a directory name with a line break is not supported");
  const char *prog = o && o->gnuplot && o->gnuplot[0] ? o->gnuplot : "gnuplot";
  bool want[2] = {o ? o->png : true, o ? o->svg : true};
  if (!want[0] && !want[1]) want[0] = want[1] = true;

  jz_plot_t p;
  memset(&p, 0, sizeof p);
  char *outs[2][JZ_PLOT_NCHARTS] = {{NULL}};
  jz_plot_text_t script = {0};
  int rc = read_input(dir, 'q', &p, err);
  if (rc == 0) rc = read_input(dir, 'u', &p, err);
  if (rc == 0) rc = read_input(dir, 'w', &p, err);
  for (int f = 0; rc == 0 && f < 2; f++)
    for (int c = 0; want[f] && rc == 0 && c < JZ_PLOT_NCHARTS; c++) {
      char name[64];
      snprintf(name, sizeof name, "%s.tmp.%s", jz_plot_chart_names[c], exts[f]);
      if (!(outs[f][c] = path_join(dir, name))) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
  if (rc == 0) rc = make_tmpdir(&p, err);
  if (rc == 0) rc = write_all_data(&p, err);
  if (rc == 0 && jz_plot_script(&p, outs, &script) < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  char *gp = NULL, *gperr = NULL;
  if (rc == 0) {
    gp = path_join(p.tmp, "plot.gp");
    gperr = path_join(p.tmp, "gnuplot.err");
    if (!gp || !gperr) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (rc == 0) {
    FILE *f = fopen(gp, "w");
    if (!f) {
      rc = jz_error_at(err, -JZ_EIO, gp, 0, 0, "cannot create: %s", strerror(errno));
    } else {
      size_t wr = fwrite(script.p, 1, script.n, f);
      if (fclose(f) != 0 || wr != script.n) rc = jz_error_at(err, -JZ_EIO, gp, 0, 0, "write error");
    }
  }
  if (rc == 0) rc = jz_plot_run_gnuplot(prog, gp, gperr, err);
  /* Every chart must exist before any replaces a previous one: all or nothing. */
  struct stat st;
  for (int f = 0; rc == 0 && f < 2; f++)
    for (int c = 0; rc == 0 && c < JZ_PLOT_NCHARTS; c++)
      if (outs[f][c] && (stat(outs[f][c], &st) != 0 || st.st_size == 0))
        rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: it did not write %s", outs[f][c]);
  for (int f = 0; f < 2; f++)
    for (int c = 0; c < JZ_PLOT_NCHARTS; c++) {
      if (!outs[f][c]) continue;
      if (rc == 0) {
        char name[64];
        snprintf(name, sizeof name, "%s.%s", jz_plot_chart_names[c], exts[f]);
        char *final = path_join(dir, name);
        if (!final)
          rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
        else if (rename(outs[f][c], final) != 0)
          rc = jz_error_at(err, -JZ_EIO, final, 0, 0, "cannot rename into place: %s", strerror(errno));
        free(final);
      }
      if (rc != 0) unlink(outs[f][c]);
      free(outs[f][c]);
    }
  if (p.tmp[0]) remove_tree(p.tmp);
  free(gp);
  free(gperr);
  free(script.p);
  jz_plot_sset_free(&p.q.ss);
  jz_plot_sset_free(&p.u.ss);
  jz_plot_sset_free(&p.w.ss);
  return rc;
}
