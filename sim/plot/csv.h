/* plot/csv.h: the CSV reader of `jzsim plot` (RFC 4180 records, header lookup, strict numbers).
 *
 * The whole file is held in memory and split record by record in place. Messages name the
 * file and the record's first line: "out/queues.csv:12: column 'time': 'x' is not a number".
 * Folder-private to sim/plot/ (and the fuzz harness tests/fuzz/fuzz_plot_csv.c). */
#ifndef JZ_PLOT_CSV_H
#define JZ_PLOT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Unquoting only shrinks a field, so every field is rewritten where it starts and
 * NUL-terminated where its separator was. */
typedef struct jz_plot_csv {
  char *path; /* as shown in messages: "DIR/queues.csv" */
  char *data; /* len bytes + a NUL, so the last field can be terminated too */
  size_t len, pos;
  long line;      /* line where the current record starts, 1-based */
  long next_line; /* line where the next record starts */
  char **f;       /* fields of the current record */
  size_t nf, capf;
} jz_plot_csv_t;

/* Read the file at path. 0, or -JZ_EIO "path: cannot open: ..." / -JZ_ENOMEM; c is safe to
 * close either way. */
int jz_plot_csv_open(jz_plot_csv_t *c, const char *path, jz_error_t *err);
/* The same from len bytes in memory (copied); path is only used in messages. */
int jz_plot_csv_open_mem(jz_plot_csv_t *c, const char *path, const char *data, size_t len,
                         jz_error_t *err);
void jz_plot_csv_close(jz_plot_csv_t *c);

/* Next record (RFC 4180: fields may be quoted, "" is a quote, CRLF or LF line ends; blank
 * lines are skipped): 1 = a record in c->f[0..c->nf), 0 = end of file, negative = error. */
int jz_plot_csv_next(jz_plot_csv_t *c, jz_error_t *err);

/* Read the header and find each named column; idx[i] = its 0-based position. */
int jz_plot_csv_header(jz_plot_csv_t *c, const char *const *names, size_t n, int *idx,
                       jz_error_t *err);

/* Field col of the current record ("column 'name': missing ..." when the row is short). */
int jz_plot_csv_get(const jz_plot_csv_t *c, int col, const char *name, const char **out,
                    jz_error_t *err);
/* The same, as a number (jz_plot_parse_num). */
int jz_plot_csv_num(const jz_plot_csv_t *c, int col, const char *name, double *out,
                    jz_error_t *err);

/* A decimal number as writers print it: optional sign, digits with an optional fraction,
 * optional exponent, and nothing else: "", " 1", "1x", "0x10", "inf" and "nan" are rejected,
 * and so is a value that overflows a double. */
bool jz_plot_parse_num(const char *s, double *out);

#endif
