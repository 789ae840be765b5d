/* reader.c: the trace readers' registry, format detection, the SWF adapter and the helpers
 * every reader shares (see reader_internal.h): the frame of a read, the line driver and the
 * driver of the delimited formats.
 *
 * Detection reads the first 4 KiB of the file through zlib (so "x.csv.gz" is looked through)
 * and asks every reader how sure it is (0..100) that this is its format: the highest score of
 * at least 50 wins, ties going to the earlier reader of the registry (swf, itp, philly, openb,
 * sacct, jobs-csv, jobs-yaml). The readers' detect functions recognise a header, never data
 * alone (except SWF, whose headerless files start with an 18-integer line), so a CSV with a
 * foreign header is refused with the list of names for --format rather than misread.
 *
 * SWF adapter: jz_swf_read does the work (DESIGN §6 cleaning); the adapter copies its line
 * counts, records "account" as missing (SWF has none; user and group are numbers, queue names
 * come from the header's Queue lines when present), and notes the header's machine size. */
#include "reader_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "suggest.h"
#include "units.h"
#include "workload/prefetch.h"
#include "workload/swf.h"

#define DETECT_BYTES 4096
#define DETECT_MIN 50
#define BLOCK (1u << 20)     /* bytes asked of gzread at a time */
#define MAX_LINE (16u << 20) /* a longer "line" is not a trace: stop instead of buffering */

/* ---- registry ---------------------------------------------------------------------------- */

static const jz_reader_t *const readers[] = {
    &jz__reader_swf,   &jz__reader_itp,      &jz__reader_philly,    &jz__reader_openb,
    &jz__reader_sacct, &jz__reader_jobs_csv, &jz__reader_jobs_yaml, NULL,
};

const jz_reader_t *const *jz_reader_list(void) { return readers; }

const jz_reader_t *jz_reader_find(const char *name) {
  if (!name) return NULL;
  for (const jz_reader_t *const *r = readers; *r; r++)
    if (strcmp((*r)->name, name) == 0) return *r;
  return NULL;
}

/* ---- zlib -------------------------------------------------------------------------------- */

/* zlib prefixes its messages with the name it was opened with ("<fd:3>: "); ours is the path. */
static int gz_fail(const char *path, gzFile gz, jz_error_t *err) {
  int errnum = Z_OK;
  const char *m = gzerror(gz, &errnum);
  if (errnum == Z_MEM_ERROR) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (errnum == Z_ERRNO) m = strerror(errno);
  else if (m[0] == '<') {
    const char *p = strstr(m, ">: ");
    if (p) m = p + 3;
  }
  return jz_error_at(err, -JZ_EIO, path, 0, 0, "%s", m);
}

/* gzread that also reports the silent Z_BUF_ERROR of a truncated stream: bytes read, 0 at
 * the end, negative on error (err filled). */
static int gz_block(const char *path, gzFile gz, char *buf, unsigned want, jz_error_t *err) {
  int n = gzread(gz, buf, want);
  if (n < 0) return gz_fail(path, gz, err);
  if (n == 0) {
    int errnum = Z_OK;
    gzerror(gz, &errnum);
    if (errnum != Z_OK) return gz_fail(path, gz, err);
  }
  return n;
}

/* ---- inputs: a trace opened once ---------------------------------------------------------- */

struct jz_input {
  const char *path; /* the caller's, for messages */
  gzFile gz;
  bool regular;
  bool prefetch_tried;
  jz_prefetch_t *prefetch; /* the rest of a regular file, inflated ahead on a second thread */
  size_t head_n, head_pos;
  char head[DETECT_BYTES]; /* the first decompressed bytes: detection looks, readers go on */
};

/* A FIFO nobody writes to yet: wait for data or for the end, like cat, but say so after a
 * second (a pipe whose writer is just slow to start never hears of it). */
static int wait_for_writer(const char *path, int fd, jz_error_t *err) {
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  bool told = false;
  for (;;) {
    int n = poll(&pfd, 1, told ? -1 : 1000);
    if (n > 0) return 0; /* data, or POLLHUP: a writer came and went (read gives the end) */
    if (n < 0 && errno != EINTR)
      return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    if (n == 0 && !told) {
      fprintf(stderr, "jzsim: %s: a FIFO with nothing to read yet: waiting for its writer "
                      "(Ctrl-C stops)\n", path);
      told = true;
    }
  }
}

int jz_input_open(const char *path, jz_input_t **out, jz_error_t *err) {
  *out = NULL;
  /* O_NONBLOCK: opening a FIFO without a writer would block in open(), where nothing can be
   * said; it is cleared once the file is open, so reads block as usual. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  struct stat st;
  int rc = 0;
  if (fstat(fd, &st) != 0)
    rc = jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  else if (S_ISDIR(st.st_mode))
    rc = jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(EISDIR));
  else if (S_ISFIFO(st.st_mode))
    rc = wait_for_writer(path, fd, err);
  int fl = rc ? 0 : fcntl(fd, F_GETFL);
  if (rc == 0 && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0))
    rc = jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  jz_input_t *in = rc ? NULL : calloc(1, sizeof *in);
  if (rc == 0 && !in) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (rc) {
    close(fd);
    return rc;
  }
  in->path = path;
  in->regular = S_ISREG(st.st_mode);
  if (!(in->gz = gzdopen(fd, "rb"))) {
    close(fd);
    free(in);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  /* zlib inflates a read shorter than twice this size into its own buffer, all of it: a
   * 256 KiB buffer made the 4 KiB head read below inflate 512 KiB (a third of a small log)
   * before the reader could start. With 64 KiB, the head costs 128 KiB at most, and the
   * prefetch chunks (128 KiB) and the line driver's reads (1 MiB) inflate straight into the
   * caller's buffer. */
  gzbuffer(in->gz, 64u << 10);
  while (in->head_n < sizeof in->head) {
    int got = gz_block(path, in->gz, in->head + in->head_n, (unsigned)(sizeof in->head - in->head_n),
                       err);
    if (got < 0) {
      jz_input_close(in);
      return got;
    }
    if (got == 0) break;
    in->head_n += (size_t)got;
  }
  *out = in;
  return 0;
}

void jz_input_close(jz_input_t *in) {
  if (!in) return;
  jz_prefetch_stop(in->prefetch);
  gzclose_r(in->gz);
  free(in);
}

const char *jz_input_path(const jz_input_t *in) { return in->path; }
bool jz_input_regular(const jz_input_t *in) { return in->regular; }

static int gz_fill(void *src, char *buf, unsigned want, jz_error_t *err) {
  jz_input_t *in = src;
  return gz_block(in->path, in->gz, buf, want, err);
}

/* The next bytes of the decompressed stream: the head first, then zlib. As gz_block. Past
 * the head of a regular file, zlib runs on a second thread a few chunks ahead of the reader
 * (prefetch.h: inflating is about half the cost of a read). Not for a pipe or a FIFO: a reader
 * that stops early (--max-jobs) must not wait at close for a writer that may never write. */
static int input_read(jz_input_t *in, char *buf, unsigned want, jz_error_t *err) {
  if (in->head_pos < in->head_n) {
    size_t n = in->head_n - in->head_pos;
    if (n > want) n = want;
    memcpy(buf, in->head + in->head_pos, n);
    in->head_pos += n;
    return (int)n;
  }
  if (!in->prefetch_tried) {
    in->prefetch_tried = true;
    if (in->regular && in->head_n == sizeof in->head) in->prefetch = jz_prefetch_start(gz_fill, in);
  }
  if (in->prefetch) return jz_prefetch_read(in->prefetch, buf, want, err);
  return gz_block(in->path, in->gz, buf, want, err);
}

int jz_reader_read_path(const jz_reader_t *r, const char *path, const jz_read_opts_t *o,
                        jz_job_table_t *t, jz_read_info_t *info, jz_error_t *err) {
  jz_input_t *in;
  int rc = jz_input_open(path, &in, err);
  if (rc < 0) return rc;
  rc = r->read(in, o, t, info, err);
  jz_input_close(in);
  return rc;
}

/* ---- the frame of a read ------------------------------------------------------------------ */

int jz__read_frame(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                   jz_read_info_t *info, jz__body_fn body, void *ctx, jz_error_t *err) {
  static const jz_read_opts_t defaults = {0};
  jz_read_info_t local;
  if (!o) o = &defaults;
  if (!info) info = &local;
  memset(info, 0, sizeof *info);
  jz__mark_t mark;
  jz__mark(t, &mark);
  int rc = body(ctx, in, o, t, info, err);
  if (rc < 0) {
    jz__rollback(t, &mark);
    return rc;
  }
  jz__info_scan_missing(info, t, mark.n);
  return 0;
}

/* jz__record_done, inlined into the line driver (once per line of a 300,000-line trace). */
static inline int record_done(const jz_read_opts_t *o, jz_job_table_t *t,
                              const jz_read_info_t *info, long before, int rc, bool fatal,
                              jz_error_t *lerr, jz_error_t *err) {
  if (rc < 0) {
    if (!o->lenient || fatal || rc == -JZ_ENOMEM) {
      if (lerr != err && err) *err = *lerr;
      return rc;
    }
    t->malformed++;
    rc = 0;
  }
  if (rc) return 1;
  if (o->max_jobs > 0 && info->job_lines > before && info->job_lines >= o->max_jobs) return 1;
  return 0;
}

int jz__record_done(const jz_read_opts_t *o, jz_job_table_t *t, const jz_read_info_t *info,
                    long before, int rc, bool fatal, jz_error_t *lerr, jz_error_t *err) {
  return record_done(o, t, info, before, rc, fatal, lerr, err);
}

/* ---- lines ------------------------------------------------------------------------------- */

typedef struct driver {
  const char *path;
  const jz_read_opts_t *o;
  jz_job_table_t *t;
  jz_read_info_t *info;
  long max_jobs; /* o->max_jobs, at hand */
  bool raw;
  jz__line_fn fn;
  void *ctx;
  jz_error_t *lerr; /* what fn fills: the caller's, or a scratch one in lenient mode */
  jz_error_t *err;  /* the caller's */
  long line;
} driver_t;

/* s[len] is the '\n' (or a spare byte set to '\n'). 0 go on, 1 stop, negative on error. */
static int handle_line(driver_t *d, char *s, size_t len) {
  d->line++;
  if (!d->raw) {
    if (d->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 BOM */
      s += 3;
      len -= 3;
    }
    if (len > 0 && s[len - 1] == '\r') len--;
    s[len] = '\0';
  }
  jz__line_t ln = {.s = s, .len = len, .no = d->line, .fatal = false};
  long before = d->max_jobs > 0 ? d->info->job_lines : 0;
  int rc = d->fn(d->ctx, &ln, d->lerr);
  if (rc == 0 && d->max_jobs <= 0) return 0; /* most lines: nothing for record_done to do */
  return record_done(d->o, d->t, d->info, before, rc, ln.fatal, d->lerr, d->err);
}

static int read_stream(driver_t *d, jz_input_t *in) {
  size_t cap = BLOCK, have = 0;
  char *buf = malloc(cap + 1); /* + 1: room for the '\n' sentinel after a last unended line */
  if (!buf) return jz_error_set(d->err, -JZ_ENOMEM, "out of memory");
  int rc = 0;
  for (;;) {
    size_t want = cap - have;
    if (want > BLOCK) want = BLOCK;
    int n = input_read(in, buf + have, (unsigned)want, d->err);
    if (n < 0) {
      rc = n;
      break;
    }
    have += (size_t)n;
    size_t pos = 0;
    char *nl;
    while ((nl = memchr(buf + pos, '\n', have - pos)) != NULL) {
      rc = handle_line(d, buf + pos, (size_t)(nl - (buf + pos)));
      pos = (size_t)(nl - buf) + 1;
      if (rc) break;
    }
    if (rc) break;
    if (n == 0) {
      if (pos < have) { /* no final newline */
        buf[have] = '\n';
        rc = handle_line(d, buf + pos, have - pos);
      }
      break;
    }
    memmove(buf, buf + pos, have - pos);
    have -= pos;
    if (have == cap) {
      if (cap >= MAX_LINE) {
        rc = jz_error_at(d->err, -JZ_ESYNTAX, d->path, d->line + 1, 0, "line longer than %u bytes",
                         MAX_LINE);
        break;
      }
      char *bigger = realloc(buf, cap * 2 + 1);
      if (!bigger) {
        rc = jz_error_set(d->err, -JZ_ENOMEM, "out of memory");
        break;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  free(buf);
  return rc < 0 ? rc : 0;
}

int jz__read_lines(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                   jz_read_info_t *info, bool raw, jz__line_fn fn, void *ctx, jz_error_t *err) {
  jz_error_t scratch = {0};
  driver_t d = {.path = in->path, .o = o, .t = t, .info = info, .max_jobs = o->max_jobs, .raw = raw,
                .fn = fn, .ctx = ctx, .lerr = o->lenient ? &scratch : err, .err = err};
  int rc = read_stream(&d, in);
  info->lines += d.line; /* here rather than per line: the hot loop stays in registers */
  return rc;
}

int jz__slurp(jz_input_t *in, char **out, size_t *outlen, jz_error_t *err) {
  const char *path = in->path;
  int rc = 0;
  size_t cap = 64u << 10, have = 0;
  char *buf = malloc(cap + 1);
  if (!buf) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  while (rc == 0) {
    if (have == cap) {
      if (cap > ((size_t)1 << 40)) {
        rc = jz_error_at(err, -JZ_ERANGE, path, 0, 0, "file too large");
        break;
      }
      char *bigger = realloc(buf, cap * 2 + 1);
      if (!bigger) {
        rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t want = cap - have;
    int n = input_read(in, buf + have, (unsigned)(want > BLOCK ? BLOCK : want), err);
    if (n < 0) rc = n;
    else if (n == 0) break;
    else have += (size_t)n;
  }
  if (rc < 0) {
    free(buf);
    return rc;
  }
  buf[have] = '\0';
  *out = buf;
  *outlen = have;
  return 0;
}

/* ---- fields ------------------------------------------------------------------------------ */

static inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

static int nul_byte(const char *path, const jz__line_t *ln, size_t i, jz_error_t *err) {
  return jz_error_at(err, -JZ_ESYNTAX, path, ln->no, (long)i + 1, "unexpected byte 0x00");
}

int jz__split(const char *path, jz__line_t *ln, char delim, bool quotes, jz__field_t *f, int max,
              jz_error_t *err) {
  /* One pass, byte by byte: fields are short, so a loop beats a memchr call per field, and
   * the NUL sentinel at s[len] ends every scan (a NUL before it is an error). */
  char *s = ln->s;
  size_t len = ln->len, i = 0;
  int nf = 0;
  for (;;) {
    while (is_blank(s[i])) i++;
    size_t start, flen;
    long col = (long)i + 1;
    if (quotes && s[i] == '"') {
      size_t q = i++, w = i;
      for (;;) {
        if (s[i] == '\0') {
          if (i < len) return nul_byte(path, ln, i, err);
          return jz_error_at(err, -JZ_ESYNTAX, path, ln->no, (long)q + 1, "unterminated quote");
        }
        if (s[i] == '"') {
          if (s[i + 1] == '"') {
            s[w++] = '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s[w++] = s[i++];
      }
      start = q + 1;
      flen = w - start;
      while (is_blank(s[i])) i++;
      if (i < len && s[i] != delim) {
        if (s[i] == '\0') return nul_byte(path, ln, i, err);
        return jz_error_at(err, -JZ_ESYNTAX, path, ln->no, (long)i + 1,
                           "text after a closing quote");
      }
    } else {
      start = i;
      while (s[i] != delim && s[i] != '\0') i++;
      if (i < len && s[i] == '\0') return nul_byte(path, ln, i, err);
      size_t e = i;
      while (e > start && is_blank(s[e - 1])) e--;
      flen = e - start;
    }
    bool more = i < len; /* s[i] is the delimiter */
    s[start + flen] = '\0';
    if (nf < max) f[nf] = (jz__field_t){.s = s + start, .len = flen, .col = col};
    nf++;
    if (!more) break;
    i++;
  }
  return nf;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

static bool name_eq(const char *a, const char *b, bool nocase) {
  if (!nocase) return strcmp(a, b) == 0;
  for (; *a && *b; a++, b++)
    if (lower((unsigned char)*a) != lower((unsigned char)*b)) return false;
  return *a == *b;
}

static int spec_index(const jz__colspec_t *spec, int nspec, const char *name, bool nocase) {
  for (int k = 0; k < nspec; k++)
    if (name_eq(name, spec[k].name, nocase)) return k;
  return -1;
}

int jz__missing(const char *path, const jz__line_t *ln, const jz__field_t *f, int nf,
                const jz__colspec_t *spec, int nspec, bool nocase, const char *name,
                const char *what, jz_error_t *err) {
  /* The candidates are the header's names that are none of spec's. */
  const char *names[JZ__MAX_FIELDS] = {NULL};
  int n = nf < JZ__MAX_FIELDS ? nf : JZ__MAX_FIELDS;
  for (int i = 0; i < n; i++)
    names[i] = f[i].len && spec_index(spec, nspec, f[i].s, nocase) < 0 ? f[i].s : NULL;
  const char *cand = jz_suggest_closest(name, names, (size_t)n, sizeof *names, nocase);
  for (int i = 0; cand && i < n; i++) {
    if (names[i] != cand) continue;
    int shown = (int)(f[i].len > JZ__QUOTE_MAX ? JZ__QUOTE_MAX : f[i].len);
    return jz_error_at(err, -JZ_EINVAL, path, ln->no, f[i].col,
                       "missing required %s '%s' (found '%.*s')", what, name, shown, f[i].s);
  }
  return jz_error_at(err, -JZ_EINVAL, path, ln->no, 0, "missing required %s '%s'", what, name);
}

int jz__header(const char *path, jz__line_t *ln, const jz__field_t *f, int nf,
               const jz__colspec_t *spec, int nspec, bool nocase, bool strict, const char *what,
               int *idx, jz_error_t *err) {
  ln->fatal = true;
  if (strict)
    for (int i = 0; i < nf && i < JZ__MAX_FIELDS; i++)
      if (f[i].len == 0)
        return jz_error_at(err, -JZ_ESYNTAX, path, ln->no, f[i].col, "empty %s name", what);
  if (nf > JZ__MAX_FIELDS)
    return jz_error_at(err, -JZ_ERANGE, path, ln->no, 0, "more than %d %ss in the header",
                       JZ__MAX_FIELDS, what);
  for (int k = 0; k < nspec; k++) idx[k] = -1;
  for (int i = 0; i < nf; i++) {
    if (!f[i].len) continue;
    int k = spec_index(spec, nspec, f[i].s, nocase);
    int shown = (int)(f[i].len > JZ__QUOTE_MAX ? JZ__QUOTE_MAX : f[i].len);
    if (k >= 0) {
      if (idx[k] >= 0)
        return jz_error_at(err, -JZ_EINVAL, path, ln->no, f[i].col, "duplicate %s '%.*s'", what,
                           shown, f[i].s);
      idx[k] = i;
    } else if (strict) {
      char sb[96];
      const char *cand = jz_suggest_closest(f[i].s, spec, (size_t)nspec, sizeof *spec, nocase);
      return jz_error_at(err, -JZ_EUNKNOWNKEY, path, ln->no, f[i].col, "unknown %s '%.*s'%s",
                         what, shown, f[i].s, jz_suggest_hint(sb, sizeof sb, cand));
    }
  }
  for (int k = 0; k < nspec; k++)
    if (spec[k].required && idx[k] < 0)
      return jz__missing(path, ln, f, nf, spec, nspec, nocase, spec[k].name, what, err);
  return 0;
}

int jz__bad_field(jz_error_t *err, int code, const char *path, long line,
                  const jz__field_t *f, const char *what, const char *name, const char *problem) {
  int shown = (int)(f->len > JZ__QUOTE_MAX ? JZ__QUOTE_MAX : f->len);
  return jz_error_at(err, code, path, line, f->col, "%s '%s': '%.*s%s' %s", what, name, shown,
                     f->s, f->len > JZ__QUOTE_MAX ? "..." : "", problem);
}

int jz__field_int(const char *path, long line, const jz__field_t *f, const char *what,
                  const char *name, int64_t lo, int64_t hi, int64_t *out, jz_error_t *err) {
  int rc = jz__parse_int(f->s, f->len, out);
  if (rc == 1)
    return jz__bad_field(err, -JZ_ESYNTAX, path, line, f, what, name, "is not an integer");
  /* A count below 0 says "is negative" in every reader, as the native formats do. */
  if (rc == 0 && lo == 0 && *out < 0)
    return jz__bad_field(err, -JZ_ERANGE, path, line, f, what, name, "is negative");
  if (rc == 2 || *out < lo || *out > hi)
    return jz__bad_field(err, -JZ_ERANGE, path, line, f, what, name, "is out of range");
  return 0;
}

int jz__field_num(const char *path, long line, const jz__field_t *f, const char *what,
                  const char *name, double *out, jz_error_t *err) {
  int rc = jz__parse_num(f->s, f->len, out);
  if (rc == 1) return jz__bad_field(err, -JZ_ESYNTAX, path, line, f, what, name, "is not a number");
  if (rc == 2) return jz__bad_field(err, -JZ_ERANGE, path, line, f, what, name, "is out of range");
  return 0;
}

/* ---- delimited formats ------------------------------------------------------------------- */

/* Blank (spaces and tabs only), or a comment: its first non-blank byte is `comment` (not 0). */
static bool skipped_line(const jz__line_t *ln, char comment) {
  size_t i = 0;
  while (i < ln->len && is_blank(ln->s[i])) i++;
  return i == ln->len || (comment && ln->s[i] == comment);
}

static int csv_line(void *ctx, jz__line_t *ln, jz_error_t *err) {
  jz__csv_t *c = ctx;
  const jz__csv_format_t *fmt = c->fmt;
  if (skipped_line(ln, fmt->comment)) return 0;
  jz__field_t f[JZ__MAX_FIELDS];
  int nf = jz__split(c->path, ln, fmt->delim, fmt->quotes, f, JZ__MAX_FIELDS, err);
  if (nf < 0) {
    ln->fatal = !c->have_header;
    return nf;
  }
  if (c->have_header) {
    if (!fmt->self_counted) c->info->job_lines++;
    if (nf != c->ncols)
      return jz_error_at(err, -JZ_ESYNTAX, c->path, ln->no, 0, "expected %d %ss, found %d",
                         c->ncols, fmt->what, nf);
    return fmt->record(c, ln, f, err);
  }
  c->have_header = true;
  c->ncols = nf;
  int rc = jz__header(c->path, ln, f, nf, fmt->cols, fmt->ncols, fmt->nocase, fmt->strict,
                      fmt->what, c->idx, err);
  if (rc < 0 || !fmt->header) return rc;
  return fmt->header(c, ln, f, nf, err);
}

static int csv_body(void *ctx, jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                    jz_read_info_t *info, jz_error_t *err) {
  jz__csv_t *c = ctx;
  const char *path = in->path;
  c->o = o;
  c->info = info;
  size_t n0 = t->n;
  int rc = jz__read_lines(in, o, t, info, false, csv_line, c, err);
  if (rc == 0 && !c->have_header)
    rc = jz_error_at(err, -JZ_ESYNTAX, path, 0, 0, "empty file: no header line");
  if (rc == 0 && c->fmt->finish) c->fmt->finish(c, n0);
  return rc;
}

int jz__read_csv(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                 jz_read_info_t *info, const jz__csv_format_t *fmt, void *ctx, jz_error_t *err) {
  jz__csv_t c = {.path = in->path, .t = t, .ctx = ctx, .fmt = fmt};
  return jz__read_frame(in, o, t, info, csv_body, &c, err);
}

/* ---- numbers and dates ------------------------------------------------------------------- */

int jz__parse_int(const char *s, size_t len, int64_t *out) {
  size_t i = 0;
  bool neg = false;
  if (len > 0 && s[0] == '-') {
    neg = true;
    i = 1;
  }
  if (i == len) return 1;
  uint64_t v = 0;
  for (; i < len; i++) {
    unsigned d = (unsigned)(unsigned char)s[i] - '0';
    if (d > 9) return 1;
    if (v > ((uint64_t)INT64_MAX - d) / 10) {
      /* Keep scanning: "99999999999999999999x" is "not an integer", not "out of range". */
      for (i++; i < len; i++)
        if ((unsigned)(unsigned char)s[i] - '0' > 9) return 1;
      return 2;
    }
    v = v * 10 + d;
  }
  *out = neg ? -(int64_t)v : (int64_t)v;
  return 0;
}

int jz__parse_num(const char *s, size_t len, double *out) {
  static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  /* Fast path: at most 15 digits, no exponent. m and 10^k are exact doubles, so m / 10^k is
   * the correctly rounded value of the decimal (one IEEE division), as strtod would give. */
  size_t i = (len > 0 && s[0] == '-') ? 1 : 0, d0 = i;
  uint64_t m = 0;
  int nd = 0, frac = 0;
  while (i < len && (unsigned)(s[i] - '0') <= 9) {
    m = m * 10 + (unsigned)(s[i++] - '0');
    nd++;
    if (nd > 15) goto slow;
  }
  if (i == d0) goto slow;
  if (i < len && s[i] == '.') {
    size_t f0 = ++i;
    while (i < len && (unsigned)(s[i] - '0') <= 9) {
      m = m * 10 + (unsigned)(s[i++] - '0');
      nd++;
      frac++;
      if (nd > 15) goto slow;
    }
    if (i == f0) goto slow;
  }
  if (i != len) goto slow;
  {
    double v = (double)m / pow10[frac];
    *out = d0 ? -v : v;
    return 0;
  }
slow:
  if (memchr(s, '\0', len)) return 1;
  int rc = jz_units_parse_double(s, out);
  return rc == 0 ? 0 : rc == -JZ_ERANGE ? 2 : 1;
}

int64_t jz__days_from_civil(int64_t y, int m, int d) {
  /* H. Hinnant's algorithm: years start in March so the leap day ends the year. */
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    unsigned d = (unsigned)(unsigned char)s[i] - '0';
    if (d > 9) return false;
    v = v * 10 + (int)d;
  }
  *out = v;
  return true;
}

bool jz__parse_datetime(const char *s, size_t len, char sep, int64_t *out) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, mo, d, h, mi, se;
  if (len != 19 || s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':')
    return false;
  if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
      !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[mo - 1] + (mo == 2 && leap)) return false;
  *out = jz__days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

void jz__fmt_datetime(int64_t t, char *buf) {
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400, y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, 32, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y, m, d, (int)(secs / 3600),
           (int)(secs / 60 % 60), (int)(secs % 60));
}

/* ---- table bookkeeping ------------------------------------------------------------------- */

void jz__mark(const jz_job_table_t *t, jz__mark_t *m) {
  m->n = t->n;
  memcpy(m->skipped, t->skipped, sizeof m->skipped);
  m->n_skip_reasons = t->n_skip_reasons;
  m->malformed = t->malformed;
}

void jz__rollback(jz_job_table_t *t, const jz__mark_t *m) {
  t->n = m->n;
  memcpy(t->skipped, m->skipped, sizeof m->skipped);
  t->n_skip_reasons = m->n_skip_reasons;
  t->malformed = m->malformed;
}

int jz__intern(jz_job_table_t *t, const char *s, size_t len, int32_t *out, jz_error_t *err) {
  if (len == 0) {
    *out = -1;
    return 0;
  }
  int32_t id = jz_strtab_intern(&t->strings, s, len);
  if (id < 0) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  *out = id;
  return 0;
}

int jz__job_id(jz_job_table_t *t, jz_job_t *j, const jz__field_t *f, long record,
               jz_error_t *err) {
  int64_t v;
  j->trace_id = record;
  if (!f || f->len == 0) return 0;
  if (jz__parse_int(f->s, f->len, &v) == 0) {
    j->trace_id = v;
    return 0;
  }
  return jz__intern(t, f->s, f->len, &j->label, err);
}

void jz__info_missing(jz_read_info_t *info, const char *name) {
  for (int i = 0; i < info->n_missing; i++)
    if (strcmp(info->missing[i], name) == 0) return;
  if (info->n_missing < JZ_READ_MAX_NOTES) info->missing[info->n_missing++] = name;
}

void jz__info_note(jz_read_info_t *info, const char *fmt, ...) {
  if (info->n_notes >= JZ_READ_MAX_NOTES) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(info->notes[info->n_notes++], sizeof info->notes[0], fmt, ap);
  va_end(ap);
}

void jz__info_scan_missing(jz_read_info_t *info, const jz_job_table_t *t, size_t from) {
  bool wall = false, user = false, account = false, queue = false;
  for (size_t i = from; i < t->n; i++) {
    const jz_job_t *j = &t->jobs[i];
    wall |= j->walltime <= 0;
    user |= j->user < 0;
    account |= j->account < 0;
    queue |= j->queue < 0;
  }
  if (wall) jz__info_missing(info, "requested time");
  if (user) jz__info_missing(info, "user");
  if (account) jz__info_missing(info, "account");
  if (queue) jz__info_missing(info, "queue");
}

void jz__info_origin(jz_read_info_t *info, jz_job_table_t *t, size_t from, const char *why) {
  if (t->n <= from) return;
  double origin = t->jobs[from].submit;
  for (size_t i = from + 1; i < t->n; i++)
    if (t->jobs[i].submit < origin) origin = t->jobs[i].submit;
  /* Whole seconds below 2^53: the minimum and the differences are exact. */
  for (size_t i = from; i < t->n; i++) t->jobs[i].submit -= origin;
  char when[32];
  jz__fmt_datetime((int64_t)origin, when);
  jz__info_note(info, "time 0 = %s (%s)", when, why);
}

/* ---- detection --------------------------------------------------------------------------- */

const char *jz__head_line(const char *head, size_t n, size_t *pos, char comment, size_t *len) {
  while (*pos < n) {
    size_t i = *pos;
    const char *nl = memchr(head + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - head) : n;
    *pos = nl ? end + 1 : n;
    while (i < end && is_blank(head[i])) i++;
    size_t e = end;
    while (e > i && (is_blank(head[e - 1]) || head[e - 1] == '\r')) e--;
    if (i == e || (comment && head[i] == comment)) continue;
    *len = e - i;
    return head + i;
  }
  return NULL;
}

int jz__head_matches(const char *line, size_t len, char delim, const char *const *names,
                     int nnames, bool nocase) {
  int found = 0;
  size_t i = 0;
  while (i <= len) {
    const char *d = memchr(line + i, delim, len - i);
    size_t end = d ? (size_t)(d - line) : len, a = i, b = end;
    while (a < b && is_blank(line[a])) a++;
    while (b > a && is_blank(line[b - 1])) b--;
    if (b > a + 1 && line[a] == '"' && line[b - 1] == '"') { /* a quoted name */
      a++;
      b--;
    }
    for (int k = 0; k < nnames; k++) {
      size_t kl = strlen(names[k]);
      if (kl != b - a) continue;
      bool eq = true;
      for (size_t c = 0; c < kl && eq; c++) {
        int x = (unsigned char)line[a + c], y = (unsigned char)names[k][c];
        eq = nocase ? lower(x) == lower(y) : x == y;
      }
      if (eq) {
        found++;
        break;
      }
    }
    i = end + 1;
  }
  return found;
}

int jz__head_fields(const char *line, size_t len, char delim) {
  int n = 1;
  for (size_t i = 0; i < len; i++) n += line[i] == delim;
  return n;
}

/* The reader a file's name asks for: "x.swf" and "x.swf.gz" are SWF, "x.yaml"/"x.yml" (.gz)
 * are jobs-yaml, the one YAML trace format. Other suffixes (.csv, .txt) are shared by several
 * formats and say nothing. Case does not matter ("X.SWF"). */
static bool ends_with(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  if (n <= m) return false;
  for (size_t k = 0; k < m; k++)
    if (lower((unsigned char)s[n - m + k]) != suffix[k]) return false;
  return true;
}

static const jz_reader_t *by_name(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (ends_with(base, n, ".gz")) n -= 3;
  if (ends_with(base, n, ".swf")) return &jz__reader_swf;
  if (ends_with(base, n, ".yaml") || ends_with(base, n, ".yml")) return &jz__reader_jobs_yaml;
  return NULL;
}

const jz_reader_t *jz_reader_detect(const char *path, jz_error_t *err) {
  jz_input_t *in;
  if (jz_input_open(path, &in, err) < 0) return NULL;
  const jz_reader_t *r = jz_reader_detect_input(in, err);
  jz_input_close(in);
  return r;
}

const jz_reader_t *jz_reader_detect_input(jz_input_t *in, jz_error_t *err) {
  const char *path = in->path;
  const jz_reader_t *named = by_name(path);
  if (named) return named;
  size_t n = in->head_n;
  const char *h = in->head;
  if (n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 BOM, as spreadsheets write */
    h += 3;
    n -= 3;
  }
  const jz_reader_t *best = NULL;
  int best_score = DETECT_MIN - 1;
  for (const jz_reader_t *const *r = readers; *r; r++) {
    int score = (*r)->detect(h, n);
    if (score > best_score) { /* strictly: ties keep the earlier reader */
      best_score = score;
      best = *r;
    }
  }
  if (best) return best;
  char names[160] = "";
  size_t len = 0;
  for (const jz_reader_t *const *r = readers; *r && len < sizeof names; r++)
    len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", r == readers ? "" : ", ",
                            (*r)->name);
  jz_error_at(err, -JZ_EINVAL, path, 0, 0, "cannot tell the format (use --format NAME: %s)",
              names);
  return NULL;
}

/* ---- SWF --------------------------------------------------------------------------------- */

/* A header comment (';') or a first line of 18 numbers (RICC and METACENTRUM have no header). */
static int swf_detect(const char *head, size_t n) {
  size_t pos = 0, len;
  const char *l = jz__head_line(head, n, &pos, 0, &len);
  if (!l) return 0;
  if (l[0] == ';') return 80;
  int fields = 0;
  size_t i = 0;
  while (i < len) {
    while (i < len && (is_blank(l[i]) || l[i] == '\r')) i++;
    if (i == len) break;
    size_t a = i;
    while (i < len && !is_blank(l[i]) && l[i] != '\r') {
      char c = l[i++];
      if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return 0;
    }
    if (i > a) fields++;
  }
  return fields == 18 ? 90 : 0;
}

static int swf_body(void *ctx, jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                    jz_read_info_t *info, jz_error_t *err) {
  (void)ctx;
  jz_swf_options_t so = {.max_jobs = o->max_jobs, .lenient = o->lenient,
                         .missing_walltime = o->missing_walltime, .workload = o->workload};
  jz_swf_header_t hdr;
  int rc = jz__swf_read(in, &so, t, &hdr, err);
  if (rc < 0) return rc;
  info->lines = hdr.lines;
  info->job_lines = hdr.job_lines;
  jz__info_missing(info, "account");
  if (hdr.no_request > 0)
    jz__info_note(info, "requested time (field 9) missing for %ld jobs: %s", hdr.no_request,
                  o->missing_walltime > 0 ? "set by --missing-walltime" : "set to their run time");
  if (hdr.max_nodes > 0 || hdr.max_procs > 0)
    jz__info_note(info, "SWF header: MaxNodes %ld, MaxProcs %ld", hdr.max_nodes, hdr.max_procs);
  jz_swf_header_free(&hdr);
  return 0;
}

static int swf_read(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                    jz_read_info_t *info, jz_error_t *err) {
  return jz__read_frame(in, o, t, info, swf_body, NULL, err);
}

const jz_reader_t jz__reader_swf = {
    .name = "swf",
    .summary = "Standard Workload Format (Parallel Workloads Archive), plain or .gz",
    .detect = swf_detect,
    .read = swf_read,
};
