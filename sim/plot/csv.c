/* plot/csv.c: the CSV reader of `jzsim plot` (see csv.h). */
#include "plot/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jz_plot_csv_close(jz_plot_csv_t *c) {
  free(c->path);
  free(c->data);
  free(c->f);
  memset(c, 0, sizeof *c);
}

static int csv_init(jz_plot_csv_t *c, const char *path, jz_error_t *err) {
  memset(c, 0, sizeof *c);
  c->next_line = 1;
  c->path = strdup(path);
  if (!c->path) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}

static void csv_skip_bom(jz_plot_csv_t *c) {
  c->data[c->len] = '\0';
  if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0) c->pos = 3; /* UTF-8 BOM */
}

int jz_plot_csv_open(jz_plot_csv_t *c, const char *path, jz_error_t *err) {
  int rc = csv_init(c, path, err);
  if (rc) return rc;
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
  csv_skip_bom(c);
  return 0;
}

int jz_plot_csv_open_mem(jz_plot_csv_t *c, const char *path, const char *data, size_t len,
                         jz_error_t *err) {
  int rc = csv_init(c, path, err);
  if (rc) return rc;
  if (!(c->data = malloc(len + 1))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (len) memcpy(c->data, data, len);
  c->len = len;
  csv_skip_bom(c);
  return 0;
}

static int csv_push_field(jz_plot_csv_t *c, char *s) {
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

int jz_plot_csv_next(jz_plot_csv_t *c, jz_error_t *err) {
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

int jz_plot_csv_header(jz_plot_csv_t *c, const char *const *names, size_t n, int *idx,
                       jz_error_t *err) {
  int rc = jz_plot_csv_next(c, err);
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

int jz_plot_csv_get(const jz_plot_csv_t *c, int col, const char *name, const char **out,
                    jz_error_t *err) {
  if ((size_t)col >= c->nf)
    return jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0,
                       "column '%s': missing (the row has %zu fields)", name, c->nf);
  *out = c->f[col];
  return 0;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

bool jz_plot_parse_num(const char *s, double *out) {
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

int jz_plot_csv_num(const jz_plot_csv_t *c, int col, const char *name, double *out,
                    jz_error_t *err) {
  const char *s = "";
  int rc = jz_plot_csv_get(c, col, name, &s, err);
  if (rc < 0) return rc;
  if (!jz_plot_parse_num(s, out))
    return jz_error_at(err, -JZ_ESYNTAX, c->path, c->line, 0, "column '%s': '%.80s' is not a number",
                       name, s);
  return 0;
}
