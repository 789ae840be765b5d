/* plot.c: `jzsim plot DIR`: parse a run's CSVs, reduce them to what a chart can show, and have
 * one gnuplot process draw queue length, utilisation and wait CDF as PNG and SVG.
 *
 * Pipeline: DIR/{queues,utilisation,jobs}.csv -> series (one per queue or partition) -> data
 * files and a script in a private mkdtemp directory -> `gnuplot < script` (stderr kept for the
 * error message) -> DIR/NAME.tmp.EXT renamed to DIR/NAME.EXT once every chart exists.
 *
 * Step series (queues.csv, utilisation.csv) are exact: each row's value holds until the next
 * row of the same series, drawn `with steps`, and the last value is carried to the last row of
 * the file. Rows that change nothing are dropped (lossless). Only a series of more than
 * STEP_MAX_POINTS changes is reduced, to the first, last, lowest and highest value of each of
 * STEP_BUCKETS time buckets (several buckets per pixel, so the drawing does not change).
 * Wait CDFs keep every distinct wait up to CDF_MAX_POINTS, else the last one of each of
 * CDF_MAX_POINTS equal bins of log(wait): a 300,000-job run plots in well under a second. */
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ; /* POSIX leaves its declaration to the program */

#define STEP_MAX_POINTS 20000
#define STEP_BUCKETS 4000
#define CDF_MAX_POINTS 2000
#define SECONDS_PER_DAY 86400.0
#define SECONDS_PER_HOUR 3600.0

#define NOT_FOUND_MSG "gnuplot not found: install gnuplot-nox (scripts/demo.sh does)"

/* ---- growable text ----------------------------------------------------------------------- */

typedef struct sbuf {
  char *p;
  size_t n, cap;
  bool oom; /* sticky: checked once when the text is complete */
} sbuf_t;

static void sb_grow(sbuf_t *b, size_t need) {
  if (b->oom || b->n + need + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + need + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return;
  }
  b->p = p;
  b->cap = cap;
}

static void sb_printf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (k < 0) {
    b->oom = true;
    return;
  }
  sb_grow(b, (size_t)k);
  if (b->oom) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
  va_end(ap);
  b->n += (size_t)k;
}

/* A gnuplot single-quoted string: only '' is special there, so names and paths go through
 * verbatim; control characters (a newline would end the command) become '?'. */
static void sb_quote(sbuf_t *b, const char *s) {
  sb_grow(b, 2 * strlen(s) + 2);
  if (b->oom) return;
  b->p[b->n++] = '\'';
  for (; *s; s++) {
    if (*s == '\'') b->p[b->n++] = '\'';
    b->p[b->n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
  }
  b->p[b->n++] = '\'';
  b->p[b->n] = '\0';
}

static char *path_join(const char *dir, const char *name) {
  size_t nd = strlen(dir), nn = strlen(name);
  bool slash = nd > 0 && dir[nd - 1] == '/';
  char *p = malloc(nd + nn + 2);
  if (p) snprintf(p, nd + nn + 2, "%s%s%s", dir, slash ? "" : "/", name);
  return p;
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* The whole file in memory, split record by record in place: unquoting only shrinks a field,
 * so every field is rewritten where it starts and NUL-terminated where its separator was. */
typedef struct csv {
  char *path; /* as shown in messages: "DIR/queues.csv" */
  char *data; /* len bytes + a NUL, so the last field can be terminated too */
  size_t len, pos;
  long line;      /* line where the current record starts, 1-based */
  long next_line; /* line where the next record starts */
  char **f;       /* fields of the current record */
  size_t nf, capf;
} csv_t;

static void csv_close(csv_t *c) {
  free(c->path);
  free(c->data);
  free(c->f);
  memset(c, 0, sizeof *c);
}

static int csv_open(csv_t *c, const char *dir, const char *name, jz_error_t *err) {
  memset(c, 0, sizeof *c);
  c->next_line = 1;
  c->path = path_join(dir, name);
  if (!c->path) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  FILE *fp = fopen(c->path, "rb");
  if (!fp) return jz_error_at(err, -JZ_EIO, c->path, 0, 0, "cannot open: %s", strerror(errno));
  size_t cap = 1 << 16;
  c->data = malloc(cap);
  for (;;) {
    if (!c->data) {
      fclose(fp);
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
    c->len += fread(c->data + c->len, 1, cap - c->len - 1, fp);
    if (c->len < cap - 1) break;
    cap *= 2;
    char *p = realloc(c->data, cap);
    if (!p) free(c->data);
    c->data = p;
  }
  int bad = ferror(fp);
  fclose(fp);
  if (bad) return jz_error_at(err, -JZ_EIO, c->path, 0, 0, "read error");
  c->data[c->len] = '\0';
  if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0) c->pos = 3; /* UTF-8 BOM */
  return 0;
}

static int csv_push_field(csv_t *c, char *s) {
  if (c->nf == c->capf) {
    size_t cap = c->capf ? 2 * c->capf : 32;
    char **f = realloc(c->f, cap * sizeof *f);
    if (!f) return -JZ_ENOMEM;
    c->f = f;
    c->capf = cap;
  }
  c->f[c->nf++] = s;
  return 0;
}

/* Next record (RFC 4180: fields may be quoted, "" is a quote, CRLF or LF line ends; blank
 * lines are skipped). 1 = a record, 0 = end of file, negative = error. */
static int csv_next(csv_t *c, jz_error_t *err) {
  char *end = c->data + c->len;
  for (;;) {
    if (c->pos >= c->len) return 0;
    char *r = c->data + c->pos;
    c->line = c->next_line;
    if (*r == '\n' || (*r == '\r' && r + 1 < end && r[1] == '\n')) {
      c->pos += *r == '\n' ? 1 : 2;
      c->next_line++;
      continue;
    }
    c->nf = 0;
    for (;;) {
      char *start = r, *w;
      if (csv_push_field(c, start) != 0) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
      if (r < end && *r == '"') {
        w = start;
        r++;
        for (;;) {
          if (r >= end)
            return jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0,
                               "unterminated quoted field");
          if (*r == '"') {
            if (r + 1 < end && r[1] == '"') {
              *w++ = '"';
              r += 2;
              continue;
            }
            r++;
            break;
          }
          if (*r == '\n') c->next_line++;
          *w++ = *r++;
        }
        if (r + 1 < end && r[0] == '\r' && r[1] == '\n') r++;
        if (r < end && *r != ',' && *r != '\n')
          return jz_error_at(err, -JZ_ESYNTAX, c->path, c->next_line, 0,
                             "unexpected '%c' after a closing quote", *r);
      } else {
        while (r < end && *r != ',' && *r != '\n') r++;
        w = r;
        if (w > start && w[-1] == '\r' && (r == end || *r == '\n')) w--;
      }
      bool more = r < end && *r == ',';
      *w = '\0';
      if (r < end) r++;
      if (!more) break;
    }
    c->next_line++;
    c->pos = (size_t)(r - c->data);
    return 1;
  }
}

/* Read the header and find each named column; idx[i] = its 0-based position. */
static int csv_header(csv_t *c, const char *const *names, size_t n, int *idx, jz_error_t *err) {
  int rc = csv_next(c, err);
  if (rc < 0) return rc;
  if (rc == 0)
    return jz_error_at(err, -JZ_ESYNTAX, c->path, 1, 0, "empty file: no header line");
  for (size_t i = 0; i < n; i++) {
    idx[i] = -1;
    for (size_t k = 0; k < c->nf && idx[i] < 0; k++)
      if (strcmp(c->f[k], names[i]) == 0) idx[i] = (int)k;
    if (idx[i] < 0) return jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0, "no column '%s'", names[i]);
  }
  return 0;
}

static int csv_get(const csv_t *c, int col, const char *name, const char **out, jz_error_t *err) {
  if ((size_t)col >= c->nf)
    return jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0,
                       "column '%s': missing (the row has %zu fields)", name, c->nf);
  *out = c->f[col];
  return 0;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* A decimal number as writers print it: optional sign, digits with an optional fraction,
 * optional exponent, and nothing else: "", " 1", "1x", "0x10", "inf" and "nan" are rejected,
 * and so is a value that overflows a double. */
static bool parse_num(const char *s, double *out) {
  const char *p = s;
  int digits = 0;
  if (*p == '+' || *p == '-') p++;
  for (; is_digit(*p); p++) digits++;
  if (*p == '.')
    for (p++; is_digit(*p); p++) digits++;
  if (digits == 0) return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!is_digit(*p)) return false;
    while (is_digit(*p)) p++;
  }
  if (*p != '\0') return false;
  double v = strtod(s, NULL);
  if (!isfinite(v)) return false;
  *out = v;
  return true;
}

static int csv_num(const csv_t *c, int col, const char *name, double *out, jz_error_t *err) {
  const char *s = "";
  int rc = csv_get(c, col, name, &s, err);
  if (rc < 0) return rc;
  if (!parse_num(s, out))
    return jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0, "column '%s': '%.80s' is not a number",
                       name, s);
  return 0;
}

/* ---- series ------------------------------------------------------------------------------ */

typedef struct series {
  char *name;
  double *x, *y;
  size_t n, cap;
  bool gpu;     /* utilisation: measured in GPUs (else cores) */
  double ymax;  /* highest value seen, before any reduction */
  double mean;  /* utilisation: time-weighted mean over the series' span, NAN if none */
  size_t count; /* waits: jobs */
  size_t zeros; /* waits: jobs that did not wait */
} series_t;

/* Series by name: an array plus an open-addressing index (dozens of series, millions of rows). */
typedef struct sset {
  series_t *s;
  size_t n, cap;
  uint32_t *slot; /* 0 = empty, else index + 1 */
  size_t nslot;   /* a power of two, more than twice n */
} sset_t;

static void sset_free(sset_t *ss) {
  for (size_t i = 0; i < ss->n; i++) {
    free(ss->s[i].name);
    free(ss->s[i].x);
    free(ss->s[i].y);
  }
  free(ss->s);
  free(ss->slot);
  memset(ss, 0, sizeof *ss);
}

static uint64_t hash_str(const char *s) {
  uint64_t h = 14695981039346656037ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int sset_rehash(sset_t *ss, size_t nslot) {
  uint32_t *slot = calloc(nslot, sizeof *slot);
  if (!slot) return -JZ_ENOMEM;
  for (size_t i = 0; i < ss->n; i++) {
    size_t k = (size_t)hash_str(ss->s[i].name) & (nslot - 1);
    while (slot[k]) k = (k + 1) & (nslot - 1);
    slot[k] = (uint32_t)(i + 1);
  }
  free(ss->slot);
  ss->slot = slot;
  ss->nslot = nslot;
  return 0;
}

/* The series named name, created empty on first sight. NULL when out of memory. */
static series_t *sset_get(sset_t *ss, const char *name) {
  if (ss->nslot) {
    size_t k = (size_t)hash_str(name) & (ss->nslot - 1);
    for (; ss->slot[k]; k = (k + 1) & (ss->nslot - 1))
      if (strcmp(ss->s[ss->slot[k] - 1].name, name) == 0) return &ss->s[ss->slot[k] - 1];
  }
  if (2 * (ss->n + 1) >= ss->nslot && sset_rehash(ss, ss->nslot ? 2 * ss->nslot : 64) != 0)
    return NULL;
  if (ss->n == ss->cap) {
    size_t cap = ss->cap ? 2 * ss->cap : 16;
    series_t *s = realloc(ss->s, cap * sizeof *s);
    if (!s) return NULL;
    ss->s = s;
    ss->cap = cap;
  }
  series_t *s = &ss->s[ss->n];
  memset(s, 0, sizeof *s);
  s->name = strdup(name);
  if (!s->name) return NULL;
  s->mean = NAN;
  size_t k = (size_t)hash_str(name) & (ss->nslot - 1);
  while (ss->slot[k]) k = (k + 1) & (ss->nslot - 1);
  ss->slot[k] = (uint32_t)(++ss->n);
  return s;
}

/* Natural order: runs of digits compare as numbers, so qos-t2 comes before qos-t10; names
 * equal that way (t02, t2) fall back to strcmp, so the order stays total. */
static int natcmp(const char *a, const char *b) {
  const char *p = a, *q = b;
  while (*p && *q) {
    if (is_digit(*p) && is_digit(*q)) {
      while (*p == '0') p++;
      while (*q == '0') q++;
      size_t np = 0, nq = 0;
      while (is_digit(p[np])) np++;
      while (is_digit(q[nq])) nq++;
      if (np != nq) return np < nq ? -1 : 1;
      int c = memcmp(p, q, np);
      if (c) return c;
      p += np;
      q += nq;
    } else {
      if (*p != *q) return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
      p++;
      q++;
    }
  }
  if (*p || *q) return *p ? 1 : -1;
  return strcmp(a, b);
}

static int cmp_series(const void *a, const void *b) {
  return natcmp(((const series_t *)a)->name, ((const series_t *)b)->name);
}

/* Legend order: by name, so the output does not depend on the order rows appear in. */
static void sset_sort(sset_t *ss) {
  if (ss->n > 1) qsort(ss->s, ss->n, sizeof *ss->s, cmp_series);
  free(ss->slot); /* indices are stale now; lookups are over */
  ss->slot = NULL;
  ss->nslot = 0;
}

static int series_append(series_t *s, double x, double y) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    double *nx = realloc(s->x, cap * sizeof *nx);
    if (!nx) return -JZ_ENOMEM;
    s->x = nx;
    double *ny = realloc(s->y, cap * sizeof *ny);
    if (!ny) return -JZ_ENOMEM;
    s->y = ny;
    s->cap = cap;
  }
  s->x[s->n] = x;
  s->y[s->n] = y;
  s->n++;
  return 0;
}

/* A step change at time t. Several rows at one time: only the last one's value is ever in
 * force. A value equal to the one in force changes nothing. Both drops are lossless. */
static int series_step(series_t *s, double t, double v) {
  if (s->n == 0 || v > s->ymax) s->ymax = v;
  if (s->n > 0 && s->x[s->n - 1] == t) {
    s->y[s->n - 1] = v;
    if (s->n >= 2 && s->y[s->n - 2] == v) s->n--;
    return 0;
  }
  if (s->n > 0 && s->y[s->n - 1] == v) return 0;
  return series_append(s, t, v);
}

/* Keep, per time bucket, the points holding the first, lowest, highest and last value, in
 * time order: with several buckets per pixel the steps drawn are the same. In place: the
 * points kept from a bucket are never before the points already written. */
static void series_reduce(series_t *s, double t0, double t1) {
  if (s->n <= STEP_MAX_POINTS || !(t1 > t0)) return;
  size_t w = 0, i = 0;
  while (i < s->n) {
    long b = (long)((s->x[i] - t0) / (t1 - t0) * STEP_BUCKETS);
    size_t first = i, lo = i, hi = i, last = i;
    for (i++; i < s->n && (long)((s->x[i] - t0) / (t1 - t0) * STEP_BUCKETS) == b; i++) {
      if (s->y[i] < s->y[lo]) lo = i;
      if (s->y[i] > s->y[hi]) hi = i;
      last = i;
    }
    size_t keep[4] = {first, lo < hi ? lo : hi, lo < hi ? hi : lo, last};
    for (int k = 0; k < 4; k++) {
      if (k > 0 && keep[k] <= keep[k - 1]) continue;
      s->x[w] = s->x[keep[k]];
      s->y[w] = s->y[keep[k]];
      w++;
    }
  }
  s->n = w;
}

/* ---- readers ----------------------------------------------------------------------------- */

typedef struct steps {
  sset_t ss;
  double t0, t1; /* first and last row's time; t0 > t1 when the file has no rows */
} steps_t;

typedef enum { STEPS_QUEUES, STEPS_UTIL } steps_kind_t;

/* queues.csv -> waiting jobs per queue; utilisation.csv -> busy fraction per partition. */
static int read_steps(const char *dir, steps_kind_t kind, steps_t *out, jz_error_t *err) {
  static const char *const qcols[] = {"time", "queue", "waiting_jobs"};
  static const char *const ucols[] = {"time", "partition", "busy_cores", "total_cores",
                                      "busy_gpus", "total_gpus"};
  const char *const *cols = kind == STEPS_QUEUES ? qcols : ucols;
  size_t ncols = kind == STEPS_QUEUES ? 3 : 6;
  int idx[6];
  csv_t c;
  memset(out, 0, sizeof *out);
  out->t0 = 1;
  out->t1 = 0;
  int rc = csv_open(&c, dir, kind == STEPS_QUEUES ? "queues.csv" : "utilisation.csv", err);
  if (rc == 0) rc = csv_header(&c, cols, ncols, idx, err);
  bool first = true;
  while (rc == 0 && (rc = csv_next(&c, err)) == 1) {
    double t = 0, v[4] = {0};
    const char *name = "";
    rc = csv_num(&c, idx[0], cols[0], &t, err);
    if (rc == 0) rc = csv_get(&c, idx[1], cols[1], &name, err);
    for (size_t k = 2; rc == 0 && k < ncols; k++) rc = csv_num(&c, idx[k], cols[k], &v[k - 2], err);
    if (rc < 0) break;
    if (!first && t < out->t1) {
      rc = jz_error_at(err, -JZ_ESYNTAX, c.path, c.line, 0,
                       "column 'time': '%s' is before the previous row's time (rows must be "
                       "sorted by time)", c.f[idx[0]]);
      break;
    }
    if (first) out->t0 = t;
    first = false;
    out->t1 = t;
    series_t *s = sset_get(&out->ss, name[0] ? name : "(none)");
    if (!s) {
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      break;
    }
    double y = v[0];
    if (kind == STEPS_UTIL) {
      /* GPUs are what a GPU partition is for: its cores are mostly idle by design. A
       * partition with neither (empty) is idle: there is nothing to divide. */
      if (v[3] > 0) {
        y = v[2] / v[3];
        s->gpu = true;
      } else {
        y = v[1] > 0 ? v[0] / v[1] : 0;
      }
    }
    if (series_step(s, t, y) < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  csv_close(&c);
  if (rc < 0) {
    sset_free(&out->ss);
    return rc;
  }
  sset_sort(&out->ss);
  for (size_t i = 0; i < out->ss.n; i++) {
    series_t *s = &out->ss.s[i];
    /* Carry the last value to the end of the record, so every series spans the run. */
    if (s->x[s->n - 1] < out->t1 && series_append(s, out->t1, s->y[s->n - 1]) < 0)
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    if (kind == STEPS_UTIL && s->x[s->n - 1] > s->x[0]) {
      double sum = 0;
      for (size_t k = 0; k + 1 < s->n; k++) sum += s->y[k] * (s->x[k + 1] - s->x[k]);
      s->mean = sum / (s->x[s->n - 1] - s->x[0]);
    }
    series_reduce(s, out->t0, out->t1);
  }
  return 0;
}

typedef struct waits {
  sset_t ss;       /* x = waits (s), then CDF points (h, fraction) */
  size_t jobs;     /* jobs counted (not rejected) */
  double floor_s;  /* where waits of 0 are drawn on the log axis */
  double max_h;    /* longest wait, hours (0 if none) */
} waits_t;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Replace sorted waits (s) by the points of their empirical CDF (hours, fraction of jobs
 * waiting at most that long), starting at the floor with the share of jobs that never
 * waited and ending at x_end with 1. */
static int cdf_points(series_t *s, double floor_s, double x_end_h) {
  size_t n = s->n, z = 0;
  while (z < n && s->x[z] == 0) z++;
  s->zeros = z;
  s->count = n;
  series_t out = {0};
  int rc = series_append(&out, floor_s / SECONDS_PER_HOUR, (double)z / (double)n);
  size_t distinct = 0;
  for (size_t i = z; i < n; i++) distinct += i + 1 == n || s->x[i + 1] != s->x[i];
  double lo = z < n ? log(s->x[z]) : 0, hi = n > 0 ? log(s->x[n - 1]) : 0;
  long bin_prev = -1;
  for (size_t i = z; rc == 0 && i < n; i++) {
    if (i + 1 < n && s->x[i + 1] == s->x[i]) continue; /* the last of equal waits has the CDF */
    double xh = s->x[i] / SECONDS_PER_HOUR, f = (double)(i + 1) / (double)n;
    if (distinct > CDF_MAX_POINTS && hi > lo) {
      long bin = (long)((log(s->x[i]) - lo) / (hi - lo) * (CDF_MAX_POINTS - 1));
      if (bin == bin_prev) {
        out.x[out.n - 1] = xh;
        out.y[out.n - 1] = f;
        continue;
      }
      bin_prev = bin;
    }
    rc = series_append(&out, xh, f);
  }
  if (rc == 0 && out.x[out.n - 1] < x_end_h) rc = series_append(&out, x_end_h, 1.0);
  free(s->x);
  free(s->y);
  s->x = out.x;
  s->y = out.y;
  s->n = out.n;
  s->cap = out.cap;
  return rc;
}

static int read_waits(const char *dir, waits_t *out, jz_error_t *err) {
  static const char *const cols[] = {"waiting_time", "queue", "final_state"};
  int idx[3];
  csv_t c;
  memset(out, 0, sizeof *out);
  int rc = csv_open(&c, dir, "jobs.csv", err);
  if (rc == 0) rc = csv_header(&c, cols, 3, idx, err);
  while (rc == 0 && (rc = csv_next(&c, err)) == 1) {
    const char *state = "", *queue = "";
    double w = 0;
    rc = csv_get(&c, idx[2], cols[2], &state, err);
    if (rc < 0) break;
    if (strcmp(state, "REJECTED") == 0) continue; /* never waited: its waiting_time is -1 */
    rc = csv_num(&c, idx[0], cols[0], &w, err);
    if (rc == 0) rc = csv_get(&c, idx[1], cols[1], &queue, err);
    if (rc < 0) break;
    if (w < 0) {
      rc = jz_error_at(err, -JZ_ESYNTAX, c.path, c.line, 0, "column 'waiting_time': '%s' is negative",
                       c.f[idx[0]]);
      break;
    }
    series_t *s = sset_get(&out->ss, queue[0] ? queue : "(none)");
    if (!s || series_append(s, w, 0) < 0) {
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      break;
    }
    out->jobs++;
  }
  csv_close(&c);
  if (rc < 0) {
    sset_free(&out->ss);
    return rc;
  }
  sset_sort(&out->ss);
  /* Zero waits go to the power of ten a decade or less below the shortest positive wait (1 s
   * when that is 10 s or more), apart from every real wait on the log axis. */
  double minpos = INFINITY, max = 0;
  for (size_t i = 0; i < out->ss.n; i++) {
    series_t *s = &out->ss.s[i];
    qsort(s->x, s->n, sizeof *s->x, cmp_double);
    for (size_t k = 0; k < s->n; k++)
      if (s->x[k] > 0) {
        if (s->x[k] < minpos) minpos = s->x[k];
        break;
      }
    if (s->n && s->x[s->n - 1] > max) max = s->x[s->n - 1];
  }
  out->floor_s = pow(10, ceil(log10(fmin(minpos, 10))) - 1);
  out->max_h = max / SECONDS_PER_HOUR;
  for (size_t i = 0; i < out->ss.n; i++)
    if (cdf_points(&out->ss.s[i], out->floor_s, out->max_h) < 0)
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}

/* ---- data files and script --------------------------------------------------------------- */

typedef struct plot {
  char tmp[4096]; /* private mkdtemp directory */
  steps_t q, u;
  waits_t w;
} plot_t;

/* One data file per series: "x y" lines, x shifted by x0 and divided by xscale. */
static int write_data(const plot_t *p, char tag, size_t i, const series_t *s, double x0,
                      double xscale, jz_error_t *err) {
  char path[sizeof p->tmp + 32];
  snprintf(path, sizeof path, "%s/%c%zu.dat", p->tmp, tag, i);
  FILE *f = fopen(path, "w");
  if (!f) return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
  for (size_t k = 0; k < s->n; k++) fprintf(f, "%.17g %.17g\n", (s->x[k] - x0) / xscale, s->y[k]);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) return jz_error_at(err, -JZ_EIO, path, 0, 0, "write error");
  return 0;
}

/* Ten distinct colours (Tableau 10), then the same ten with a dash pattern, and so on: dozens
 * of series stay apart. Plain dots come last: on a jagged series they read as scatter. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
static const char *const dashes[] = {"1", "(10,5)", "(12,4,3,4)", "(5,4)", "(2,3)"};

static void chart_common(sbuf_t *b, size_t nseries) {
  sb_printf(b, "reset\n"
               "set encoding utf8\n"
               "set border 3 lw 1 lc rgb '#404040'\n"
               "set tics nomirror out scale 0.6\n"
               "set grid back xtics ytics lt 1 lw 1 lc rgb '#e0e0e0'\n"
               "set title font ',13'\n"
               "set lmargin 11\n");
  /* The key goes outside, right of the frame, so it never hides data; gnuplot adds columns
   * when the entries do not fit one, and the font shrinks with their number. */
  sb_printf(b, "set key outside right top vertical Left reverse noenhanced samplen 2.5 "
               "spacing 1.05 font ',%d'\n",
            nseries > 40 ? 7 : nseries > 20 ? 8 : 10);
  for (size_t i = 0; i < nseries; i++)
    sb_printf(b, "set style line %zu lc rgb '%s' lw 1.6 dt %s\n", i + 1, palette[i % 10],
              dashes[(i / 10) % 5]);
}

static void chart_empty(sbuf_t *b, const char *what) {
  sb_printf(b, "set label 1 ");
  sb_quote(b, what);
  sb_printf(b, " at graph 0.5, graph 0.5 center font ',12' tc rgb '#808080'\n"
               "unset key\nunset grid\nunset xtics\nunset ytics\nunset logscale\n"
               "set xrange [0:1]\nset yrange [0:1]\nplot -1 notitle\n");
}

static void chart_plot_series(sbuf_t *b, const plot_t *p, char tag, const sset_t *ss,
                              const char *const *titles) {
  sb_printf(b, "plot ");
  for (size_t i = 0; i < ss->n; i++) {
    char path[sizeof p->tmp + 32];
    snprintf(path, sizeof path, "%s/%c%zu.dat", p->tmp, tag, i);
    sb_quote(b, path);
    /* A lone point (one row, at the last time) has no step to draw: mark it. */
    bool lone = ss->s[i].n == 1;
    sb_printf(b, " using 1:2 with %s ls %zu%s title ", lone ? "points" : "steps", i + 1,
              lone ? " pt 7" : "");
    sb_quote(b, titles[i]);
    sb_printf(b, "%s", i + 1 < ss->n ? ", \\\n     " : "\n");
  }
}

/* The time axis: days since the first row, which is said in the label when it is not 0. */
static void chart_time_axis(sbuf_t *b, const steps_t *st) {
  double span = st->t1 - st->t0;
  if (span < 0) { /* no rows: a frame with a note, no range to speak of */
    sb_printf(b, "set xlabel 'time (days)'\n");
    return;
  }
  if (st->t0 == 0)
    sb_printf(b, "set xlabel 'time (days)'\n");
  else
    sb_printf(b, "set xlabel 'time since the first record at t = %.15g s (days)'\n", st->t0);
  sb_printf(b, "set xrange [0:%.17g]\n", span > 0 ? span / SECONDS_PER_DAY : 1.0);
}

static int chart_queues(sbuf_t *b, const plot_t *p) {
  const sset_t *ss = &p->q.ss;
  chart_common(b, ss->n);
  sb_printf(b, "set title 'Queue length: waiting jobs per queue'\n"
               "set ylabel 'waiting jobs'\n"
               "set key title 'queue (peak)'\n");
  chart_time_axis(b, &p->q);
  if (ss->n == 0) {
    chart_empty(b, "no rows in queues.csv");
    return 0;
  }
  double ymax = 0;
  for (size_t i = 0; i < ss->n; i++) ymax = fmax(ymax, ss->s[i].ymax);
  sb_printf(b, "set yrange [0:%.17g]\n", ymax > 0 ? ymax * 1.05 : 1.0);
  if (ymax <= 10) sb_printf(b, "set ytics 1\n"); /* counts: no fractional ticks */
  char **titles = calloc(ss->n, sizeof *titles);
  if (!titles) return -JZ_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ss->n && rc == 0; i++) {
    size_t len = strlen(ss->s[i].name) + 32;
    if (!(titles[i] = malloc(len))) rc = -JZ_ENOMEM;
    else snprintf(titles[i], len, "%s (%.15g)", ss->s[i].name, ss->s[i].ymax);
  }
  if (rc == 0) chart_plot_series(b, p, 'q', ss, (const char *const *)titles);
  for (size_t i = 0; i < ss->n; i++) free(titles[i]);
  free(titles);
  return rc;
}

static int chart_util(sbuf_t *b, const plot_t *p) {
  const sset_t *ss = &p->u.ss;
  chart_common(b, ss->n);
  sb_printf(b, "set title \"Utilisation per partition\\n{/*0.8 busy GPUs / total GPUs on GPU "
               "partitions, busy cores / total cores otherwise}\" enhanced\n"
               "set ylabel 'busy fraction'\n"
               "set key title 'partition (time-weighted mean)'\n"
               "set yrange [0:1.04]\nset ytics 0.2\nset format y '%%.1f'\n");
  chart_time_axis(b, &p->u);
  if (ss->n == 0) {
    chart_empty(b, "no rows in utilisation.csv");
    return 0;
  }
  char **titles = calloc(ss->n, sizeof *titles);
  if (!titles) return -JZ_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ss->n && rc == 0; i++) {
    const series_t *s = &ss->s[i];
    size_t len = strlen(s->name) + 48;
    if (!(titles[i] = malloc(len))) {
      rc = -JZ_ENOMEM;
    } else if (isnan(s->mean)) {
      snprintf(titles[i], len, "%s, %s", s->name, s->gpu ? "GPUs" : "cores");
    } else {
      snprintf(titles[i], len, "%s, %s (%.2f)", s->name, s->gpu ? "GPUs" : "cores", s->mean);
    }
  }
  if (rc == 0) chart_plot_series(b, p, 'u', ss, (const char *const *)titles);
  for (size_t i = 0; i < ss->n; i++) free(titles[i]);
  free(titles);
  return rc;
}

/* "1 s", "0.1 s", "0.001 s": the floor is a power of ten. */
static void fmt_seconds(char *buf, size_t n, double s) { snprintf(buf, n, "%.10g s", s); }

static int chart_waits(sbuf_t *b, const plot_t *p) {
  const sset_t *ss = &p->w.ss;
  char fl[64];
  fmt_seconds(fl, sizeof fl, p->w.floor_s);
  chart_common(b, ss->n);
  sb_printf(b, "set xlabel 'wait (hours, log scale)'\n"
               "set ylabel 'fraction of jobs that waited at most x'\n"
               "set key title 'queue (jobs, share with no wait)'\n"
               "set yrange [0:1.02]\nset ytics 0.2\nset format y '%%.1f'\n");
  if (ss->n == 0) {
    sb_printf(b, "set title 'Wait time distribution per queue (empirical CDF)'\n");
    chart_empty(b, "no jobs in jobs.csv (rejected jobs excluded)");
    return 0;
  }
  sb_printf(b, "set title \"Wait time distribution per queue (empirical CDF of %zu jobs, "
               "rejected jobs excluded)\\n{/*0.8 jobs that did not wait are drawn at %s "
               "(dotted line)}\" enhanced\n",
            p->w.jobs, fl);
  double lo = p->w.floor_s / SECONDS_PER_HOUR, hi = fmax(p->w.max_h, lo * 10);
  sb_printf(b, "set logscale x 10\nset format x '%%g'\n"
               "set xrange [%.17g:%.17g]\n"
               "set arrow 1 from %.17g, graph 0 to %.17g, graph 1 nohead dt 3 lw 1 lc rgb '#808080' back\n",
            lo / 1.5, hi * 1.5, lo, lo);
  /* Familiar durations on the top axis: hours alone are hard to read at both ends. */
  sb_printf(b, "set logscale x2 10\nset x2range [%.17g:%.17g]\n"
               "set x2tics out scale 0.6 nomirror font ',9' "
               "('1 s' 1./3600, '10 s' 1./360, '1 min' 1./60, '10 min' 1./6, '1 h' 1, '1 d' 24, '1 week' 168, '30 d' 720)\n",
            lo / 1.5, hi * 1.5);
  char **titles = calloc(ss->n, sizeof *titles);
  if (!titles) return -JZ_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ss->n && rc == 0; i++) {
    const series_t *s = &ss->s[i];
    size_t len = strlen(s->name) + 64;
    if (!(titles[i] = malloc(len)))
      rc = -JZ_ENOMEM;
    else
      snprintf(titles[i], len, "%s (%zu, %.0f%%)", s->name, s->count,
               100.0 * (double)s->zeros / (double)s->count);
  }
  if (rc == 0) chart_plot_series(b, p, 'w', ss, (const char *const *)titles);
  for (size_t i = 0; i < ss->n; i++) free(titles[i]);
  free(titles);
  return rc;
}

/* ---- running gnuplot --------------------------------------------------------------------- */

static const char *const chart_names[] = {"queue_length", "utilisation", "waits"};
#define NCHARTS 3

/* The line of gnuplot's stderr that says what went wrong: it prints the command, a caret and
 * "line N: message"; keep the message and name the command. */
static void gnuplot_message(const char *errpath, char *out, size_t n) {
  out[0] = '\0';
  FILE *f = fopen(errpath, "r");
  if (!f) return;
  char line[1024], cmd[256] = "", first[1024] = "";
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *s = line + strspn(line, " \t");
    if (!*s || *s == '^') continue;
    if (!first[0]) snprintf(first, sizeof first, "%s", s);
    if (strncmp(s, "gnuplot> ", 9) == 0) {
      snprintf(cmd, sizeof cmd, "%s", s + 9);
      continue;
    }
    char *m = strstr(s, "line ");
    if (m && strstr(s, "warning:") == NULL) {
      char *colon = strchr(m, ':');
      if (colon) {
        m = colon + 1 + strspn(colon + 1, " ");
        if (cmd[0])
          snprintf(out, n, "%.250s (in '%.100s')", m, cmd);
        else
          snprintf(out, n, "%.300s", m);
        fclose(f);
        return;
      }
    }
  }
  fclose(f);
  snprintf(out, n, "%.300s", first);
}

static int run_gnuplot(const char *prog, const char *script, const char *errpath, jz_error_t *err) {
  int in = open(script, O_RDONLY | O_CLOEXEC);
  int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
  int er = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int rc = 0;
  if (in < 0 || nul < 0 || er < 0) {
    rc = jz_error_set(err, -JZ_EIO, "cannot prepare gnuplot's input and output: %s", strerror(errno));
  } else {
    /* Descriptors opened here (not by path in the child) so that ENOENT means the program. */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_adddup2(&fa, nul, 1);
    posix_spawn_file_actions_adddup2(&fa, er, 2);
    char *argv[] = {(char *)prog, NULL};
    pid_t pid;
    int e = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e == ENOENT) {
      rc = jz_error_set(err, -JZ_EIO, NOT_FOUND_MSG);
    } else if (e != 0) {
      rc = jz_error_set(err, -JZ_EIO, "cannot run '%s': %s", prog, strerror(e));
    } else {
      int st = 0;
      pid_t w;
      while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
      }
      if (w < 0) {
        rc = jz_error_set(err, -JZ_EIO, "cannot wait for gnuplot: %s", strerror(errno));
      } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char msg[400];
        gnuplot_message(errpath, msg, sizeof msg);
        if (msg[0])
          rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: %s", msg);
        else if (WIFSIGNALED(st))
          rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: killed by signal %d", WTERMSIG(st));
        else
          rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: exit status %d", WEXITSTATUS(st));
      }
    }
  }
  if (in >= 0) close(in);
  if (nul >= 0) close(nul);
  if (er >= 0) close(er);
  return rc;
}

/* ---- jz_plot_dir ------------------------------------------------------------------------- */

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

static int make_tmpdir(plot_t *p, jz_error_t *err) {
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

static int write_all_data(const plot_t *p, jz_error_t *err) {
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < p->q.ss.n; i++)
    rc = write_data(p, 'q', i, &p->q.ss.s[i], p->q.t0, SECONDS_PER_DAY, err);
  for (size_t i = 0; rc == 0 && i < p->u.ss.n; i++)
    rc = write_data(p, 'u', i, &p->u.ss.s[i], p->u.t0, SECONDS_PER_DAY, err);
  for (size_t i = 0; rc == 0 && i < p->w.ss.n; i++)
    rc = write_data(p, 'w', i, &p->w.ss.s[i], 0, 1, err);
  return rc;
}

/* outs[f][c]: DIR/NAME.tmp.EXT for format f (png, svg) and chart c; NULL when not drawn. */
static int build_script(const plot_t *p, char *outs[2][NCHARTS], sbuf_t *b) {
  static const char *const terms[2] = {
      "set terminal pngcairo size 1280,720 font 'sans,10' enhanced background rgb 'white'\n",
      "set terminal svg size 1280,720 font 'sans,10' enhanced background rgb 'white'\n"};
  for (int f = 0; f < 2; f++) {
    if (!outs[f][0]) continue;
    sb_printf(b, "%s", terms[f]);
    for (int c = 0; c < NCHARTS; c++) {
      sb_printf(b, "set output ");
      sb_quote(b, outs[f][c]);
      sb_printf(b, "\n");
      int rc = c == 0 ? chart_queues(b, p) : c == 1 ? chart_util(b, p) : chart_waits(b, p);
      if (rc < 0) return rc;
      sb_printf(b, "unset output\n");
    }
  }
  return b->oom ? -JZ_ENOMEM : 0;
}

int jz_plot_dir(const char *dir, const jz_plot_opts_t *o, jz_error_t *err) {
  static const char *const exts[2] = {"png", "svg"};
  if (!dir || !dir[0]) return jz_error_set(err, -JZ_EINVAL, "plot: no directory given");
  if (strpbrk(dir, "\n\r"))
    return jz_error_set(err, -JZ_EINVAL, "plot: a directory name with a line break is not supported");
  const char *prog = o && o->gnuplot && o->gnuplot[0] ? o->gnuplot : "gnuplot";
  bool want[2] = {o ? o->png : true, o ? o->svg : true};
  if (!want[0] && !want[1]) want[0] = want[1] = true;

  plot_t p;
  memset(&p, 0, sizeof p);
  char *outs[2][NCHARTS] = {{NULL}};
  sbuf_t script = {0};
  int rc = read_steps(dir, STEPS_QUEUES, &p.q, err);
  if (rc == 0) rc = read_steps(dir, STEPS_UTIL, &p.u, err);
  if (rc == 0) rc = read_waits(dir, &p.w, err);
  for (int f = 0; rc == 0 && f < 2; f++)
    for (int c = 0; want[f] && rc == 0 && c < NCHARTS; c++) {
      char name[64];
      snprintf(name, sizeof name, "%s.tmp.%s", chart_names[c], exts[f]);
      if (!(outs[f][c] = path_join(dir, name))) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
  if (rc == 0) rc = make_tmpdir(&p, err);
  if (rc == 0) rc = write_all_data(&p, err);
  if (rc == 0 && build_script(&p, outs, &script) < 0) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
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
  if (rc == 0) rc = run_gnuplot(prog, gp, gperr, err);
  /* Every chart must exist before any replaces a previous one: all or nothing. */
  struct stat st;
  for (int f = 0; rc == 0 && f < 2; f++)
    for (int c = 0; rc == 0 && c < NCHARTS; c++)
      if (outs[f][c] && (stat(outs[f][c], &st) != 0 || st.st_size == 0))
        rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: it did not write %s", outs[f][c]);
  for (int f = 0; f < 2; f++)
    for (int c = 0; c < NCHARTS; c++) {
      if (!outs[f][c]) continue;
      if (rc == 0) {
        char name[64];
        snprintf(name, sizeof name, "%s.%s", chart_names[c], exts[f]);
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
  sset_free(&p.q.ss);
  sset_free(&p.u.ss);
  sset_free(&p.w.ss);
  return rc;
}
