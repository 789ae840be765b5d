/* jobdiff.c: jobs.csv parsed in place (RFC 4180 quotes, CRLF) and paired by (workload, id).
 *
 * Speed: the file is read whole and scanned once, fields are cut in place (no copy, no
 * allocation per row); pairing is a lockstep walk when both files list the jobs in the same
 * order (runs of the same inputs do: jobs.csv is in submission order), else one hash table
 * of the new file's keys: O(rows) either way. 300,000 rows take well under a second. */
#include "compare/jobdiff.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

typedef struct row {
  const char *id, *wl;
  double start;
  uint32_t line;
  bool rejected;
} row_t;

struct jz_jobs_csv {
  char *buf; /* the file, cut in place */
  char *name;
  row_t *rows;
  long n;
};

enum { COL_ID, COL_WL, COL_START, COL_STATE, NCOLS };
static const char *const col_names[NCOLS] = {"job_id", "workload_name", "starting_time",
                                             "final_state"};

typedef struct cursor {
  char *p, *end;
  long line;
  char *line_start;
} cursor_t;

/* Cuts the next field at c->p (unquoting in place). *eol tells whether it ended its record
 * (a line end or the end of the text). */
static int next_field(cursor_t *c, const char *name, char **field, bool *eol, jz_error_t *err) {
  char *p = c->p;
  if (p < c->end && *p == '"') {
    long qline = c->line;
    long qcol = (long)(p - c->line_start) + 1;
    char *w = p, *r = p + 1;
    *field = w;
    for (;;) {
      if (r >= c->end)
        return jz_error_at(err, -JZ_ESYNTAX, name, qline, qcol, "unterminated quoted field");
      if (*r == '"') {
        if (r + 1 < c->end && r[1] == '"') {
          *w++ = '"';
          r += 2;
          continue;
        }
        r++;
        break;
      }
      if (*r == '\n') {
        c->line++;
        c->line_start = r + 1;
      }
      *w++ = *r++;
    }
    if (r < c->end && *r == '\r' && r + 1 < c->end && r[1] == '\n') r++;
    if (r < c->end && *r != ',' && *r != '\n')
      return jz_error_at(err, -JZ_ESYNTAX, name, c->line, (long)(r - c->line_start) + 1,
                         "text after a closing quote");
    *w = '\0';
    p = r;
    *eol = p >= c->end || *p == '\n';
  } else {
    *field = p;
    while (p < c->end && *p != ',' && *p != '\n') p++;
    char *e = p;
    if (e > *field && e[-1] == '\r' && (p == c->end || *p == '\n')) e--;
    char *q = memchr(*field, '"', (size_t)(e - *field));
    if (q)
      return jz_error_at(err, -JZ_ESYNTAX, name, c->line, (long)(q - c->line_start) + 1,
                         "quote inside an unquoted field");
    *eol = p >= c->end || *p == '\n';
    *e = '\0'; /* overwrites the ',' / '\r' / '\n' that ended it (end has a spare byte) */
  }
  c->p = p < c->end ? p + 1 : p;
  if (*eol && p < c->end) {
    c->line++;
    c->line_start = c->p;
  }
  return 0;
}

static int parse(jz_jobs_csv_t *t, size_t len, jz_error_t *err) {
  cursor_t c = {t->buf, t->buf + len, 1, t->buf};
  if (len >= 3 && memcmp(c.p, "\xEF\xBB\xBF", 3) == 0) c.p += 3, c.line_start = c.p;
  int idx[NCOLS] = {-1, -1, -1, -1};
  int ncol = 0;
  for (bool eol = false; !eol; ncol++) {
    char *f;
    int rc = next_field(&c, t->name, &f, &eol, err);
    if (rc) return rc;
    for (int k = 0; k < NCOLS; k++)
      if (strcmp(f, col_names[k]) == 0 && idx[k] < 0) idx[k] = ncol;
  }
  for (int k = 0; k < NCOLS; k++)
    if (idx[k] < 0)
      return jz_error_at(err, -JZ_ESYNTAX, t->name, 1, 0, "missing column '%s'", col_names[k]);
  /* Rows: at most one per remaining line end, plus one unended. */
  size_t cap = 1;
  for (char *q = c.p; (q = memchr(q, '\n', (size_t)(c.end - q))); q++) cap++;
  t->rows = malloc(cap * sizeof *t->rows);
  if (!t->rows) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  while (c.p < c.end) {
    if (*c.p == '\n' || (*c.p == '\r' && c.p + 1 < c.end && c.p[1] == '\n')) { /* blank */
      c.p += *c.p == '\r' ? 2 : 1;
      c.line++;
      c.line_start = c.p;
      continue;
    }
    long line = c.line;
    char *fields[NCOLS] = {0};
    long start_col = 0;
    int nf = 0;
    for (bool eol = false; !eol; nf++) {
      char *f;
      long col = (long)(c.p - c.line_start) + 1;
      int rc = next_field(&c, t->name, &f, &eol, err);
      if (rc) return rc;
      for (int k = 0; k < NCOLS; k++)
        if (idx[k] == nf) {
          fields[k] = f;
          if (k == COL_START) start_col = col;
        }
    }
    if (nf != ncol)
      return jz_error_at(err, -JZ_ESYNTAX, t->name, line, 0, "%d fields, the header has %d",
                         nf, ncol);
    row_t *r = &t->rows[t->n++];
    r->id = fields[COL_ID];
    r->wl = fields[COL_WL];
    r->line = (uint32_t)line;
    r->rejected = strcmp(fields[COL_STATE], "REJECTED") == 0;
    if (jz_units_parse_double(fields[COL_START], &r->start) != 0)
      return jz_error_at(err, -JZ_ESYNTAX, t->name, line, start_col,
                         "column 'starting_time': '%.40s' is not a number", fields[COL_START]);
  }
  return 0;
}

static int make(char *buf, size_t len, const char *name, jz_jobs_csv_t **out, jz_error_t *err) {
  jz_jobs_csv_t *t = calloc(1, sizeof *t);
  char *n = strdup(name);
  if (!t || !n) {
    free(t);
    free(n);
    free(buf);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  t->buf = buf;
  t->name = n;
  int rc = parse(t, len, err);
  if (rc) {
    jz_jobs_csv_free(t);
    return rc;
  }
  *out = t;
  return 0;
}

int jz_jobs_csv_load(const char *path, jz_jobs_csv_t **out, jz_error_t *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  size_t cap = 1 << 20, len = 0;
  char *buf = malloc(cap + 1);
  for (;;) {
    if (!buf) {
      fclose(f);
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    cap *= 2;
    char *nb = realloc(buf, cap + 1);
    if (!nb) free(buf);
    buf = nb;
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return jz_error_at(err, -JZ_EIO, path, 0, 0, "read error");
  }
  buf[len] = '\0'; /* the spare byte: a last unended field is cut there */
  return make(buf, len, path, out, err);
}

int jz_jobs_csv_parse(const char *text, size_t len, const char *name, jz_jobs_csv_t **out,
                      jz_error_t *err) {
  *out = NULL;
  char *buf = malloc(len + 1);
  if (!buf) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  memcpy(buf, text, len);
  buf[len] = '\0';
  return make(buf, len, name, out, err);
}

void jz_jobs_csv_free(jz_jobs_csv_t *t) {
  if (!t) return;
  free(t->buf);
  free(t->name);
  free(t->rows);
  free(t);
}

long jz_jobs_csv_rows(const jz_jobs_csv_t *t) { return t->n; }

void jz_jobs_csv_rename_workloads(jz_jobs_csv_t *t, const char *const *from, const char *const *to,
                                  size_t k) {
  for (long r = 0; r < t->n; r++)
    for (size_t i = 0; i < k; i++)
      if (strcmp(t->rows[r].wl, from[i]) == 0) {
        t->rows[r].wl = to[i];
        break;
      }
}

/* ---- pairing ------------------------------------------------------------------------------ */

static bool same_key(const row_t *a, const row_t *b) {
  return strcmp(a->id, b->id) == 0 && strcmp(a->wl, b->wl) == 0;
}

static uint64_t key_hash(const row_t *r) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a over "workload\0id" */
  for (const unsigned char *s = (const unsigned char *)r->wl; *s; s++) h = (h ^ *s) * 1099511628211ull;
  h *= 1099511628211ull;
  for (const unsigned char *s = (const unsigned char *)r->id; *s; s++) h = (h ^ *s) * 1099511628211ull;
  return h;
}

static int missing(const jz_jobs_csv_t *in, const row_t *r, const jz_jobs_csv_t *other,
                   jz_error_t *err) {
  return jz_error_set(err, -JZ_EINVAL, "job sets differ: job %s of workload '%s' (%s:%lu) is not in %s",
                      r->id, r->wl, in->name, (unsigned long)r->line, other->name);
}

/* The slot of r's key in an open-addressing table of n's keys (key[slot] is the first row of
 * n with that key, -1 for an empty slot). */
static size_t slot_of(const jz_jobs_csv_t *n, const long *key, size_t mask, const row_t *r) {
  size_t s = key_hash(r) & mask;
  while (key[s] >= 0 && !same_key(&n->rows[key[s]], r)) s = (s + 1) & mask;
  return s;
}

/* pair[i] = the row of n paired with row i of b. */
static int pair_rows(const jz_jobs_csv_t *b, const jz_jobs_csv_t *n, long *pair, jz_error_t *err) {
  long i = 0;
  for (; i < b->n && i < n->n && same_key(&b->rows[i], &n->rows[i]); i++) pair[i] = i;
  if (i == b->n && i == n->n) return 0;
  /* Different orders: per key of n, head[slot] is its next unpaired row and next[row] the
   * following row of the same key, in file order (last[slot] builds that chain). */
  size_t size = 16;
  while (size < 2 * (size_t)n->n) size *= 2;
  long *key = malloc(size * sizeof *key), *head = malloc(size * sizeof *head);
  long *last = malloc(size * sizeof *last), *next = malloc(((size_t)n->n + 1) * sizeof *next);
  bool *used = calloc((size_t)n->n + 1, 1);
  int rc = 0;
  if (!key || !head || !last || !next || !used) {
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t s = 0; s < size; s++) key[s] = -1;
  for (long r = 0; r < n->n; r++) {
    next[r] = -1;
    size_t s = slot_of(n, key, size - 1, &n->rows[r]);
    if (key[s] < 0)
      key[s] = head[s] = last[s] = r;
    else {
      next[last[s]] = r;
      last[s] = r;
    }
  }
  for (long k = 0; k < b->n; k++) {
    size_t s = slot_of(n, key, size - 1, &b->rows[k]);
    if (key[s] < 0 || head[s] < 0) {
      rc = missing(b, &b->rows[k], n, err);
      goto done;
    }
    pair[k] = head[s];
    used[head[s]] = true;
    head[s] = next[head[s]];
  }
  for (long r = 0; r < n->n; r++)
    if (!used[r]) {
      rc = missing(n, &n->rows[r], b, err);
      goto done;
    }
done:
  free(key);
  free(head);
  free(last);
  free(next);
  free(used);
  return rc;
}

int jz_jobdiff_compute(const jz_jobs_csv_t *b, const jz_jobs_csv_t *n, jz_jobdiff_t *out,
                       jz_error_t *err) {
  memset(out, 0, sizeof *out);
  long *pair = malloc(((size_t)b->n + 1) * sizeof *pair);
  double *delay = malloc(((size_t)b->n + 1) * sizeof *delay);
  int rc = 0;
  if (!pair || !delay) {
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    goto done;
  }
  rc = pair_rows(b, n, pair, err);
  if (rc) goto done;
  out->jobs = b->n;
  double later = 0, earlier = 0;
  for (long i = 0; i < b->n; i++) {
    const row_t *rb = &b->rows[i], *rn = &n->rows[pair[i]];
    if (rb->rejected || rn->rejected) {
      if (rb->rejected && rn->rejected)
        out->rejected_both++;
      else if (rb->rejected)
        out->rejected_base_only++;
      else
        out->rejected_new_only++;
      continue;
    }
    double d = rn->start - rb->start;
    delay[out->started++] = d;
    if (d > 0) {
      out->later++;
      later += d;
    } else if (d < 0) {
      out->earlier++;
      earlier -= d;
    } else {
      out->unchanged++;
    }
    if (d <= 0) continue;
    /* Keep the largest delays, earlier rows first among equals. */
    int at = out->n_worst;
    while (at > 0 && out->worst[at - 1].delay < d) at--;
    if (at == JZ_JOBDIFF_WORST) continue;
    if (out->n_worst < JZ_JOBDIFF_WORST) out->n_worst++;
    memmove(&out->worst[at + 1], &out->worst[at],
            (size_t)(out->n_worst - 1 - at) * sizeof out->worst[0]);
    out->worst[at] = (jz_jobdiff_worst_t){rb->id, rb->wl, rb->start, rn->start, d};
  }
  out->later_mean = out->later ? later / (double)out->later : 0;
  out->earlier_mean = out->earlier ? earlier / (double)out->earlier : 0;
  jz_dist_compute(delay, out->started, &out->delay);
done:
  free(pair);
  free(delay);
  return rc;
}
