/* outbuf.h: a buffered writer for the outputs that grow with the trace (jobs.csv, the time
 * series): text is assembled in a 64 KiB block by hand and written a block at a time, with no
 * printf parsing per field. Write errors surface through ferror(f) after jz_outbuf_flush. */
#ifndef JZ_OUTBUF_H
#define JZ_OUTBUF_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

#define JZ_OUTBUF_SIZE (1 << 16)

typedef struct jz_outbuf {
  FILE *f;
  char *data, *p, *end;
} jz_outbuf_t;

/* 0, or -1 if the block cannot be allocated. */
static inline int jz_outbuf_init(jz_outbuf_t *b, FILE *f) {
  b->f = f;
  b->data = b->p = malloc(JZ_OUTBUF_SIZE);
  b->end = b->data ? b->data + JZ_OUTBUF_SIZE : NULL;
  return b->data ? 0 : -1;
}

static inline void jz_outbuf_flush(jz_outbuf_t *b) {
  if (b->p > b->data) fwrite(b->data, 1, (size_t)(b->p - b->data), b->f);
  b->p = b->data;
}

static inline void jz_outbuf_free(jz_outbuf_t *b) {
  free(b->data);
  b->data = b->p = b->end = NULL;
}

/* Make room for a short append (a number needs at most 32 bytes). */
static inline void jz_outbuf_room(jz_outbuf_t *b) {
  if (b->end - b->p < 64) jz_outbuf_flush(b);
}

static inline void jz_outbuf_mem(jz_outbuf_t *b, const char *s, size_t n) {
  while (n > 0) {
    if (b->p == b->end) jz_outbuf_flush(b);
    size_t k = (size_t)(b->end - b->p) < n ? (size_t)(b->end - b->p) : n;
    memcpy(b->p, s, k);
    b->p += k;
    s += k;
    n -= k;
  }
}

static inline void jz_outbuf_char(jz_outbuf_t *b, char c) {
  jz_outbuf_room(b);
  *b->p++ = c;
}

static inline void jz_outbuf_int(jz_outbuf_t *b, int64_t v) {
  jz_outbuf_room(b);
  b->p += jz_units_fmt_int(v, b->p);
}

/* jz_units_fmt_double_n's text (no NUL): integral values below 2^53 (trace times) go straight
 * to the integer formatter, as jz_units_fmt_double_n would send them after its NaN and
 * infinity tests; NaN fails the comparison and takes the general path. */
static inline size_t jz_outbuf_fmt_num(double v, char *buf) {
  if (fabs(v) < 9007199254740992.0 && (double)(int64_t)v == v) return jz_units_fmt_int((int64_t)v, buf);
  return jz_units_fmt_double_n(v, buf);
}

static inline void jz_outbuf_num(jz_outbuf_t *b, double v) {
  jz_outbuf_room(b);
  b->p += jz_outbuf_fmt_num(v, b->p);
}

#endif
