/* swf.c: Standard Workload Format reader: a hand-written tokenizer over the raw lines of the
 * readers' line driver (jz__read_lines: zlib block reads, lenient mode, max_jobs), the header
 * keys jzsim needs and the cleaning rules of DESIGN §6.
 *
 * What a data line must be: exactly 18 fields separated by spaces or tabs (a CR counts as a
 * blank, so CRLF files read as they look), each a decimal integer `-?[0-9]+`
 * that fits in 64 bits (fields 5, 8 and 11 in 32 bits). Fields 6 (average CPU time) and
 * 7 (used memory) are per-processor averages, and real logs (HPC2N, SDSC-BLUE) write them
 * with decimals ("1234.56"), so these two also accept `-?[0-9]*.?[0-9]*` with a digit; jzsim
 * does not use them. Anything else (a NUL, a control byte, a non-ASCII byte) is an error that
 * names the line and byte column: a damaged trace must not replay silently. Comment lines
 * (`;`) are free text, only NUL is refused there. */
#include "swf.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

#define SWF_FIELDS 18
#define SWF_CACHE 4096 /* user/group/queue numbers below this skip the hash */

enum { COL_USER, COL_GROUP, COL_QUEUE, N_CACHED_COLS };

/* Names as in the PWA's format description, for messages ("field 4 (run time)"). */
static const char *const field_names[SWF_FIELDS] = {
    "job number",       "submit time",         "wait time",
    "run time",         "allocated processors", "average CPU time",
    "used memory",      "requested processors", "requested time",
    "requested memory", "status",              "user id",
    "group id",         "executable number",   "queue number",
    "partition number", "preceding job number", "think time",
};

static const char SKIP_RUNTIME[] = "runtime <= 0";
static const char SKIP_PROCS[] = "no processors";
static const char SKIP_SUBMIT[] = "negative submit time";

typedef struct swf_reader {
  const char *path;
  const jz_swf_options_t *opt;
  jz_job_table_t *jobs;
  jz_swf_header_t *hdr;
  jz_read_info_t *info; /* the driver's line counts */
  jz_error_t *err;      /* the current line's: the caller's, or a scratch one in lenient mode */
  long line;            /* current physical line, 1-based */
  int32_t *cache;       /* [N_CACHED_COLS][SWF_CACHE]: interned id + 1 by number, 0 = not yet */
} swf_reader_t;

static inline bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }
static inline bool is_text(unsigned char c) { return c >= 0x21 && c <= 0x7e; }

/* `-?[0-9]*.?[0-9]*` with at least one digit: the decimal averages of fields 6 and 7. */
static bool is_decimal(const char *s, size_t n) {
  size_t i = (n > 0 && s[0] == '-') ? 1 : 0;
  bool digit = false, dot = false;
  for (; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') digit = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return digit;
}

static size_t fmt_i64(char *buf, int64_t v) {
  char tmp[24];
  size_t n = 0, len = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) buf[len++] = '-';
  while (n) buf[len++] = tmp[--n];
  buf[len] = '\0';
  return len;
}

static int bad_byte(swf_reader_t *r, size_t col0, unsigned char c) {
  return jz_error_at(r->err, -JZ_ESYNTAX, r->path, r->line, (long)col0 + 1,
                     "unexpected byte 0x%02x", c);
}

/* ---- header ------------------------------------------------------------------------------ */

static bool key_is(const char *k, size_t klen, const char *want) {
  return strlen(want) == klen && memcmp(k, want, klen) == 0;
}

/* "Queue: 3 normal" / "Partition: 1 pbatch": store the name by number. The header is
 * descriptive text, so a number out of [0, JZ_SWF_MAX_NAMED) or an empty name (Curie writes
 * "Queue:  1  ") just leaves the number unnamed. */
static int header_name(swf_reader_t *r, char **names, const char *v, size_t vlen) {
  size_t i = 0;
  while (i < vlen && !is_space((unsigned char)v[i])) i++;
  int64_t num;
  if (jz__parse_int(v, i, &num) != 0 || num < 0 || num >= JZ_SWF_MAX_NAMED) return 0;
  while (i < vlen && is_space((unsigned char)v[i])) i++;
  if (i == vlen) return 0;
  char *name = malloc(vlen - i + 1);
  if (!name) return jz_error_set(r->err, -JZ_ENOMEM, "out of memory");
  memcpy(name, v + i, vlen - i);
  name[vlen - i] = '\0';
  free(names[num]);
  names[num] = name;
  if (names == r->hdr->queue_names) /* ids cached under the old meaning are stale */
    memset(r->cache + COL_QUEUE * SWF_CACHE, 0, SWF_CACHE * sizeof *r->cache);
  return 0;
}

static int header_int(swf_reader_t *r, const char *line, const char *key, const char *v,
                      size_t vlen, long long *out) {
  int64_t x;
  int rc = jz__parse_int(v, vlen, &x);
  if (rc == 1) {
    int shown = (int)(vlen > JZ__QUOTE_MAX ? JZ__QUOTE_MAX : vlen);
    return jz_error_at(r->err, -JZ_ESYNTAX, r->path, r->line, (long)(v - line) + 1,
                       "%s: '%.*s%s' is not an integer", key, shown, v,
                       vlen > JZ__QUOTE_MAX ? "..." : "");
  }
  if (rc == 2 || x > LONG_MAX || x < LONG_MIN)
    return jz_error_at(r->err, -JZ_ERANGE, r->path, r->line, (long)(v - line) + 1,
                       "%s: '%.*s' is out of range", key, (int)vlen, v);
  *out = (long long)x;
  return 0;
}

/* `; Key: value`: the keys jzsim uses are read strictly, other text is ignored. */
static int header_line(swf_reader_t *r, const char *s, size_t len, size_t i) {
  const char *nul = memchr(s, '\0', len);
  if (nul) return bad_byte(r, (size_t)(nul - s), 0);
  while (i < len && is_space((unsigned char)s[i])) i++;
  size_t k0 = i;
  while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9')))
    i++;
  if (i == k0 || i == len || s[i] != ':') return 0; /* free text */
  const char *key = s + k0;
  size_t klen = i - k0;
  i++;
  while (i < len && is_space((unsigned char)s[i])) i++;
  size_t end = len;
  while (end > i && is_space((unsigned char)s[end - 1])) end--;
  const char *v = s + i;
  size_t vlen = end - i;
  jz_swf_header_t *h = r->hdr;
  long long x;
  int rc;
  if (key_is(key, klen, "MaxNodes")) {
    if ((rc = header_int(r, s, "MaxNodes", v, vlen, &x)) < 0) return rc;
    h->max_nodes = (long)x;
  } else if (key_is(key, klen, "MaxProcs")) {
    if ((rc = header_int(r, s, "MaxProcs", v, vlen, &x)) < 0) return rc;
    h->max_procs = (long)x;
  } else if (key_is(key, klen, "UnixStartTime")) {
    if ((rc = header_int(r, s, "UnixStartTime", v, vlen, &x)) < 0) return rc;
    h->unix_start = x;
  } else if (key_is(key, klen, "Queue")) {
    return header_name(r, h->queue_names, v, vlen);
  } else if (key_is(key, klen, "Partition")) {
    return header_name(r, h->partition_names, v, vlen);
  }
  return 0;
}

/* ---- data lines -------------------------------------------------------------------------- */

/* Interned decimal text of a user/group/queue number (or the queue's header name); -1 stays
 * -1. Numbers are small and repeat, so a direct-mapped cache avoids hashing on most lines. */
static int intern_num(swf_reader_t *r, int col, int64_t v, int32_t *out) {
  if (v == -1) {
    *out = -1;
    return 0;
  }
  int32_t *slot = (v >= 0 && v < SWF_CACHE) ? &r->cache[col * SWF_CACHE + v] : NULL;
  if (slot && *slot) {
    *out = *slot - 1;
    return 0;
  }
  char buf[24];
  const char *text = buf;
  size_t len;
  if (col == COL_QUEUE && v >= 0 && v < JZ_SWF_MAX_NAMED && r->hdr->queue_names[v]) {
    text = r->hdr->queue_names[v];
    len = strlen(text);
  } else {
    len = fmt_i64(buf, v);
  }
  int32_t id = jz_strtab_intern(&r->jobs->strings, text, len);
  if (id < 0) return jz_error_set(r->err, -JZ_ENOMEM, "out of memory");
  if (slot) *slot = id + 1;
  *out = id;
  return 0;
}

/* The full check of a data line, in the order errors are reported: a bad byte anywhere, then
 * the field count, then each field left to right. Fills v on success. */
static int fields_checked(swf_reader_t *r, const char *s, size_t len, int64_t *v) {
  const char *tok[SWF_FIELDS];
  size_t tlen[SWF_FIELDS];
  int nf = 0;
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (is_space(c)) {
      i++;
      continue;
    }
    if (!is_text(c)) return bad_byte(r, i, c);
    size_t start = i;
    while (i < len && is_text((unsigned char)s[i])) i++;
    if (nf < SWF_FIELDS) {
      tok[nf] = s + start;
      tlen[nf] = i - start;
    }
    nf++;
  }
  if (nf != SWF_FIELDS)
    return jz_error_at(r->err, -JZ_ESYNTAX, r->path, r->line, 0, "expected %d fields, found %d",
                       SWF_FIELDS, nf);

  char what[64];
  for (int f = 0; f < SWF_FIELDS; f++) {
    int code = 0;
    const char *msg = NULL;
    if (f == 5 || f == 6) {
      v[f] = 0; /* unused: only validated */
      if (!is_decimal(tok[f], tlen[f])) {
        code = -JZ_ESYNTAX;
        msg = "is not a number";
      }
    } else {
      int rc = jz__parse_int(tok[f], tlen[f], &v[f]);
      /* Processors and status are stored in 32 bits. A processor count is -1 ("unknown",
       * the standard's marker) or >= 0: any other negative count is malformed, as in every
       * reader (docs/formats.md). */
      if (rc == 0 && (f == 4 || f == 7 || f == 10) && (v[f] > INT32_MAX || v[f] < INT32_MIN))
        rc = 2;
      if (rc == 0 && (f == 4 || f == 7) && v[f] < -1) rc = 3;
      if (rc == 1) {
        code = -JZ_ESYNTAX;
        msg = "is not an integer";
      } else if (rc == 2) {
        code = -JZ_ERANGE;
        msg = "is out of range";
      } else if (rc == 3) {
        code = -JZ_ERANGE;
        msg = "is negative (the one negative count is -1, unknown)";
      }
    }
    if (code) {
      snprintf(what, sizeof what, "field %d (%s)", f + 1, field_names[f]);
      int shown = (int)(tlen[f] > JZ__QUOTE_MAX ? JZ__QUOTE_MAX : tlen[f]);
      return jz_error_at(r->err, code, r->path, r->line, (long)(tok[f] - s) + 1,
                         "%s: '%.*s%s' %s", what, shown, tok[f],
                         tlen[f] > JZ__QUOTE_MAX ? "..." : "", msg);
    }
  }
  return 0;
}

/* One pass that tokenizes and converts at once, for the lines that are plainly well formed
 * (almost all of them). Anything unusual (a sign other than a leading '-', over 18 digits,
 * a byte outside the grammar, a wrong count, a 32-bit field out of range) returns false and
 * the line goes through fields_checked, which alone decides what is an error. s[len] must be
 * readable and be '\n': that sentinel ends every scan without a bounds check. */
/* The first byte at or after p that is not a blank. SWF logs align their columns with runs
 * of spaces (58 of a line's 92 bytes in the PWA's cleaned logs): eight bytes at a time while
 * the line has them (end: its '\n'), a byte at a time for tabs and the last few bytes. */
static inline const char *skip_blanks(const char *p, const char *end) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
  while (end - p >= 8) {
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t m = x ^ UINT64_C(0x2020202020202020); /* zero bytes where spaces are */
    if (m) {
      p += __builtin_ctzll(m) >> 3; /* the first byte that is not a space */
      break;
    }
    p += 8;
  }
#else
  (void)end;
#endif
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

static bool fields_fast(const char *s, size_t len, int64_t *v) {
  const char *p = s, *end = s + len;
  int nf = 0;
  for (;;) {
    p = skip_blanks(p, end);
    if (*p == '\n' || *p == '\r') break; /* a CR may only end the line here */
    if (nf == SWF_FIELDS) return false;
    bool neg = *p == '-';
    if (neg) p++;
    const char *d0 = p;
    uint64_t x = 0;
    while ((unsigned)(*p - '0') <= 9) x = x * 10 + (unsigned)(*p++ - '0');
    if (p == d0 || p - d0 > 18) return false; /* 18 digits cannot overflow int64 */
    if ((nf == 5 || nf == 6) && *p == '.') { /* decimal averages, not stored */
      p++;
      while ((unsigned)(*p - '0') <= 9) p++;
    }
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return false;
    v[nf++] = neg ? -(int64_t)x : (int64_t)x;
  }
  if (p != s + len && !(*p == '\r' && p + 1 == s + len)) return false; /* NUL or inner CR */
  if (nf != SWF_FIELDS) return false;
  for (int f = 4; f <= 10; f += 3) /* fields 5, 8 and 11 are stored in 32 bits */
    if (v[f] > INT32_MAX || v[f] < INT32_MIN) return false;
  if (v[4] < -1 || v[7] < -1) return false; /* processor counts: -1 (unknown) or >= 0 */
  return true;
}

static int data_line(swf_reader_t *r, const char *s, size_t len) {
  int64_t v[SWF_FIELDS];
  if (!fields_fast(s, len, v)) {
    int rc = fields_checked(r, s, len, v);
    if (rc < 0) return rc;
  }

  /* DESIGN §6 cleaning: one reason per dropped job, the first that applies. */
  int64_t runtime = v[3];
  int64_t procs = v[4] > 0 ? v[4] : v[7];
  const char *skip = NULL;
  if (runtime <= 0) skip = SKIP_RUNTIME;
  else if (procs <= 0) skip = SKIP_PROCS;
  else if (v[1] < 0) skip = SKIP_SUBMIT;
  if (skip) {
    jz_job_table_skip(r->jobs, skip);
    return 0;
  }

  int32_t user, group, queue;
  int rc;
  if ((rc = intern_num(r, COL_USER, v[11], &user)) < 0 ||
      (rc = intern_num(r, COL_GROUP, v[12], &group)) < 0 ||
      (rc = intern_num(r, COL_QUEUE, v[14], &queue)) < 0)
    return rc;
  jz_job_t *j = jz_job_table_push(r->jobs);
  if (!j) return jz_error_set(r->err, -JZ_ENOMEM, "out of memory");
  j->trace_id = v[0];
  j->submit = (double)v[1];
  j->runtime = (double)runtime;
  /* Runtime is not capped at the request: the engine kills at walltime, and that kill is a
   * result worth reporting (COMPLETED_WALLTIME_REACHED). */
  if (v[8] > 0) {
    j->walltime = (double)v[8];
  } else {
    j->walltime = r->opt->missing_walltime > 0 ? r->opt->missing_walltime : (double)runtime;
    r->hdr->no_request++; /* a default filled it: say so (summary.json) */
  }
  j->procs = (int32_t)procs;
  j->status = (int32_t)v[10];
  j->user = user;
  j->group = group;
  j->queue = queue;
  j->line = (uint32_t)r->line;
  j->workload = r->opt->workload;
  return 0;
}

/* One raw physical line (ln->s[len] is its '\n'): blank, header comment or data line. */
static int swf_line(void *ctx, jz__line_t *ln, jz_error_t *err) {
  swf_reader_t *r = ctx;
  const char *s = ln->s;
  size_t len = ln->len;
  r->line = ln->no;
  r->err = err;
  size_t i = 0;
  while (i < len && is_space((unsigned char)s[i])) i++;
  if (i == len) return 0; /* blank */
  if (s[i] == ';') return header_line(r, s, len, i + 1);
  r->info->job_lines++;
  return data_line(r, s, len);
}

/* ---- file -------------------------------------------------------------------------------- */

void jz_swf_header_free(jz_swf_header_t *hdr) {
  if (!hdr) return;
  for (int i = 0; i < JZ_SWF_MAX_NAMED; i++) {
    free(hdr->queue_names[i]);
    free(hdr->partition_names[i]);
    hdr->queue_names[i] = hdr->partition_names[i] = NULL;
  }
}

static void header_init(jz_swf_header_t *hdr) {
  memset(hdr, 0, sizeof *hdr);
  hdr->max_nodes = hdr->max_procs = -1;
  hdr->unix_start = -1;
}

int jz_swf_read(const char *path, const jz_swf_options_t *opt, jz_job_table_t *jobs,
                jz_swf_header_t *hdr, jz_error_t *err) {
  jz_input_t *in;
  int rc = jz_input_open(path, &in, err);
  if (rc < 0) {
    if (hdr) header_init(hdr);
    return rc;
  }
  rc = jz__swf_read(in, opt, jobs, hdr, err);
  jz_input_close(in);
  return rc;
}

int jz__swf_read(jz_input_t *in, const jz_swf_options_t *opt, jz_job_table_t *jobs,
                 jz_swf_header_t *hdr, jz_error_t *err) {
  const char *path = jz_input_path(in);
  static const jz_swf_options_t defaults = {0};
  jz_swf_header_t local;
  if (!opt) opt = &defaults;
  if (!hdr) hdr = &local;
  header_init(hdr);

  /* On error the table goes back to how it was (nothing half-read is left to replay). */
  jz__mark_t mark;
  jz__mark(jobs, &mark);
  jz_read_opts_t ro = {.max_jobs = opt->max_jobs, .lenient = opt->lenient};
  jz_read_info_t info = {0};
  swf_reader_t r = {.path = path, .opt = opt, .jobs = jobs, .hdr = hdr, .info = &info};
  int rc;
  r.cache = calloc((size_t)N_CACHED_COLS * SWF_CACHE, sizeof *r.cache);
  if (!r.cache) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  else rc = jz__read_lines(in, &ro, jobs, &info, true, swf_line, &r, err);
  free(r.cache);
  hdr->lines = info.lines;
  hdr->job_lines = info.job_lines;

  if (rc < 0) {
    jz__rollback(jobs, &mark);
    jz_swf_header_free(hdr);
  }
  if (hdr == &local) jz_swf_header_free(hdr);
  return rc;
}
