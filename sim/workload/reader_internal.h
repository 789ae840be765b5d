/* reader_internal.h: helpers shared by the trace readers of sim/workload/ (implemented in
 * reader.c): the frame of every read (defaults, rollback, "missing" fields), block line reading
 * through zlib, the driver of the delimited formats (header, records, lenient mode, max_jobs),
 * delimited-field splitting, header mapping with "did you mean", strict numbers, messages that
 * quote the offending text and a timezone-free calendar.
 *
 * Folder-private: only the readers include it. Names are jz__ (cross-file internal). */
#ifndef JZ_READER_INTERNAL_H
#define JZ_READER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "workload/swf.h"

/* The readers, registered by reader.c in this order. */
extern const jz_reader_t jz__reader_swf;
extern const jz_reader_t jz__reader_itp;
extern const jz_reader_t jz__reader_philly;
extern const jz_reader_t jz__reader_openb;
extern const jz_reader_t jz__reader_sacct;
extern const jz_reader_t jz__reader_jobs_csv;
extern const jz_reader_t jz__reader_jobs_yaml;

/* jz_swf_read on an input already open (swf.c). */
int jz__swf_read(jz_input_t *in, const jz_swf_options_t *opt, jz_job_table_t *jobs,
                 jz_swf_header_t *hdr, jz_error_t *err);

#define JZ__QUOTE_MAX 40   /* longest text quoted verbatim in a message */
#define JZ__MAX_FIELDS 256 /* fields kept per line (sacct --format=ALL has about 110) */

/* ---- the frame of a read ------------------------------------------------------------------ */

/* A reader's work, between the frame's set-up and clean-up: append to t, fill info. o and info
 * are never NULL (info is zeroed). 0 or a negative JZ_E* with err filled. */
typedef int (*jz__body_fn)(void *ctx, jz_input_t *in, const jz_read_opts_t *o,
                           jz_job_table_t *t, jz_read_info_t *info, jz_error_t *err);

/* What every reader's read does around its body: o NULL reads with the defaults, info NULL
 * when the caller does not want it; on error t goes back to how it was (nothing half-read is
 * left to replay), on success the fields the appended jobs lack are listed in info->missing
 * (jz__info_scan_missing). */
int jz__read_frame(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                   jz_read_info_t *info, jz__body_fn body, void *ctx, jz_error_t *err);

/* After one record (a line, a YAML item) that returned rc (0 go on, 1 stop, negative JZ_E*
 * with lerr filled): in lenient mode a failed record is counted in t->malformed and skipped,
 * unless it is fatal (a header) or -JZ_ENOMEM; a failure is copied from lerr (the scratch
 * error of lenient mode) to err. Then stops once o->max_jobs records were counted in
 * info->job_lines, if this one was (info->job_lines > before). Returns 0 to go on, 1 to stop,
 * or the negative rc. */
int jz__record_done(const jz_read_opts_t *o, jz_job_table_t *t, const jz_read_info_t *info,
                    long before, int rc, bool fatal, jz_error_t *lerr, jz_error_t *err);

/* ---- lines ------------------------------------------------------------------------------- */

typedef struct jz__line {
  char *s;    /* the line without its '\n' (and, unless raw, one trailing '\r'); s[len] is
                 '\0', or in raw mode the '\n' (written after a last unended line) */
  size_t len; /* may hold NUL bytes: jz__split refuses them */
  long no;    /* 1-based physical line number */
  bool fatal; /* set by the callback before failing: even a lenient read stops (headers) */
} jz__line_t;

/* Called once per physical line: 0 to go on, 1 to stop, negative JZ_E* on error (err filled;
 * in lenient mode err is a scratch record and the line is counted in t->malformed unless
 * ln->fatal was set). The callback counts job records in info->job_lines; the driver stops
 * once o->max_jobs of them were read (jz__record_done). */
typedef int (*jz__line_fn)(void *ctx, jz__line_t *ln, jz_error_t *err);

/* Read in (plain or gzip, from its buffered head on) in 1 MiB blocks and call fn per line; counts info->lines. Unless
 * raw, a UTF-8 byte order mark before line 1 is dropped (so columns count what an editor
 * shows) and so is one '\r' ending a line. raw is for SWF, whose tokenizer counts a '\r' as a
 * blank, reports any other byte as bad and reads up to the '\n' sentinel. Errors: "path:
 * cannot open: ...", zlib's, "path:L: line longer than ..." and fn's. */
int jz__read_lines(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                   jz_read_info_t *info, bool raw, jz__line_fn fn, void *ctx, jz_error_t *err);

/* The whole decompressed file in a malloc'ed, NUL-terminated buffer (for YAML). */
int jz__slurp(jz_input_t *in, char **buf, size_t *len, jz_error_t *err);

/* ---- fields ------------------------------------------------------------------------------ */

typedef struct jz__field {
  char *s;    /* NUL-terminated in place, surrounding blanks trimmed, quotes removed */
  size_t len;
  long col;   /* 1-based byte column of the first character (of the quote when quoted) */
} jz__field_t;

/* Split ln->s at delim into f[0..max) (in place). quotes: RFC 4180 double quotes ("a,b",
 * "say ""hi""") within one line. Returns the number of fields, which may exceed max (only max
 * are stored), or a negative JZ_E* with err filled ("path:L:C: unexpected byte 0x00",
 * "unterminated quote", "text after a closing quote"). */
int jz__split(const char *path, jz__line_t *ln, char delim, bool quotes, jz__field_t *f, int max,
              jz_error_t *err);

typedef struct jz__colspec {
  const char *name;
  bool required;
} jz__colspec_t;

/* Map header fields f[0..nf) to spec[0..nspec): idx[k] = field index of spec k, or -1.
 * nocase: names compare without case. strict: every name must be one of spec's: an empty
 * name is an error "empty <what> name" and an unknown one "unknown <what> 'x' (did you mean
 * 'y'?)"; else both are ignored (sacct -p ends each line with '|'). Errors: duplicates,
 * unknown (strict), missing required (see jz__missing). what is the word used in messages:
 * "column" or "field". Sets ln->fatal. */
int jz__header(const char *path, jz__line_t *ln, const jz__field_t *f, int nf,
               const jz__colspec_t *spec, int nspec, bool nocase, bool strict, const char *what,
               int *idx, jz_error_t *err);

/* "path:L[:C]: missing required <what> 'name'": when a header name that is none of spec's is
 * a near miss of it (jz_suggest_closest), C points at it and the message ends " (found 'x')". */
int jz__missing(const char *path, const jz__line_t *ln, const jz__field_t *f, int nf,
                const jz__colspec_t *spec, int nspec, bool nocase, const char *name,
                const char *what, jz_error_t *err);

/* "path:L:C: <what> '<name>': '<text>' <problem>" with the text quoted (cut at 40 bytes). */
int jz__bad_field(jz_error_t *err, int code, const char *path, long line,
                  const jz__field_t *f, const char *what, const char *name, const char *problem);

/* A field that must be an integer in [lo, hi] / a decimal number, with the messages
 * "<what> '<name>': '<text>' is not an integer" (or "is not a number", "is out of range", and
 * "is negative" for a count, lo 0, below 0). */
int jz__field_int(const char *path, long line, const jz__field_t *f, const char *what,
                  const char *name, int64_t lo, int64_t hi, int64_t *out, jz_error_t *err);
int jz__field_num(const char *path, long line, const jz__field_t *f, const char *what,
                  const char *name, double *out, jz_error_t *err);

/* ---- delimited formats: header line, then one record per line ---------------------------- */

#define JZ__MAX_COLS 32 /* names a format's header maps (jz__csv_format_t.cols) */

typedef struct jz__csv jz__csv_t;

/* What distinguishes one delimited format from another; jz__read_csv does the rest. */
typedef struct jz__csv_format {
  char delim;                /* ',' or '|' */
  bool quotes;               /* RFC 4180 double quotes (jz__split) */
  char comment;              /* lines whose first non-blank byte is this are skipped; 0: none */
  const jz__colspec_t *cols; /* the names the header maps (jz__header), at most JZ__MAX_COLS */
  int ncols;
  bool nocase, strict;       /* as for jz__header */
  const char *what;          /* "column" or "field", in messages */
  /* false: every record line is a job record, counted in info->job_lines before its width is
   * checked. true: record() counts the lines that are records (sacct folds job steps). */
  bool self_counted;
  /* Optional: more checks of the header line once jz__header mapped it (ln->fatal is set). */
  int (*header)(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, int nf, jz_error_t *err);
  /* One record line, of the header's width (f[c->ncols]): append to c->t or skip. 0 or a
   * negative JZ_E* with err filled. The record number is c->info->job_lines. */
  int (*record)(jz__csv_t *c, jz__line_t *ln, const jz__field_t *f, jz_error_t *err);
  /* Optional: after a read without error, on the jobs appended, t->jobs[n0..t->n). */
  void (*finish)(jz__csv_t *c, size_t n0);
} jz__csv_format_t;

/* A read in progress, as the format's callbacks see it. */
struct jz__csv {
  const char *path;
  const jz_read_opts_t *o;
  jz_job_table_t *t;
  jz_read_info_t *info;
  void *ctx;                    /* the reader's own state (jz__read_csv's ctx), or NULL */
  const jz__csv_format_t *fmt;
  int idx[JZ__MAX_COLS];        /* field index of each of fmt->cols, -1 when absent */
  int ncols;                    /* fields in the header: every record must have as many */
  bool have_header;
};

/* A whole read of a delimited file (through jz__read_frame and jz__read_lines): blank lines
 * (and comments) are skipped, the first other line is the header, each later line is split
 * and, if it has the header's width ("path:L: expected N columns, found M" otherwise), handed
 * to fmt->record. A file without a header line is an error "path: empty file: no header
 * line". A line that cannot be split is fatal before the header, malformed after it. */
int jz__read_csv(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t,
                 jz_read_info_t *info, const jz__csv_format_t *fmt, void *ctx, jz_error_t *err);

/* ---- numbers and dates ------------------------------------------------------------------- */

/* `-?[0-9]+` (the whole of s[0..len)): 0 ok, 1 not an integer, 2 out of int64 range. */
int jz__parse_int(const char *s, size_t len, int64_t *out);
/* A decimal number `-?digits[.digits][e[+-]digits]` (s[len] must be '\0'): 0, 1 not a number,
 * 2 out of range. Exact: short decimals by one correctly rounded division, others by strtod. */
int jz__parse_num(const char *s, size_t len, double *out);

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (no time zone). */
int64_t jz__days_from_civil(int64_t y, int m, int d);
/* "YYYY-MM-DD<sep>HH:MM:SS" (exactly 19 bytes, sep ' ' or 'T') -> seconds since
 * 1970-01-01 00:00:00 of the same (unstated) zone. False if not a valid date and time. */
bool jz__parse_datetime(const char *s, size_t len, char sep, int64_t *out);
/* Inverse, "YYYY-MM-DD HH:MM:SS" into buf (at least 32 bytes). */
void jz__fmt_datetime(int64_t t, char *buf);

/* ---- table bookkeeping ------------------------------------------------------------------- */

/* The table as it was before a read, so a failed read leaves nothing half-read behind. */
typedef struct jz__mark {
  size_t n;
  jz_skip_count_t skipped[JZ_MAX_SKIP_REASONS];
  int n_skip_reasons;
  long malformed;
} jz__mark_t;

void jz__mark(const jz_job_table_t *t, jz__mark_t *m);
void jz__rollback(jz_job_table_t *t, const jz__mark_t *m);

/* Intern s[0..len) (-1 if len == 0); -JZ_ENOMEM as a negative return with err filled. */
int jz__intern(jz_job_table_t *t, const char *s, size_t len, int32_t *out, jz_error_t *err);

/* The job's identity from an id field (NULL or empty: none): an integer becomes trace_id;
 * other text (a UUID, "123_4") becomes the label and trace_id the 1-based record number. */
int jz__job_id(jz_job_table_t *t, jz_job_t *j, const jz__field_t *f, long record,
               jz_error_t *err);

/* Record that the format lacks a field (once per name; name is a static string). */
void jz__info_missing(jz_read_info_t *info, const char *name);
/* Add a free-form note (cut at 127 bytes). */
void jz__info_note(jz_read_info_t *info, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* List "requested time", "user", "account", "queue" when a job appended since `from` lacks it. */
void jz__info_scan_missing(jz_read_info_t *info, const jz_job_table_t *t, size_t from);
/* Count the submit times of the jobs appended since `from` (absolute, whole seconds) from the
 * earliest of them, and note "time 0 = YYYY-MM-DD HH:MM:SS (why)". Nothing if none was. */
void jz__info_origin(jz_read_info_t *info, jz_job_table_t *t, size_t from, const char *why);

/* ---- detection --------------------------------------------------------------------------- */

/* The next line of head[*pos..n) that is neither blank nor (if comment != 0) a comment starting
 * with that byte; *pos advances past it. Returns its start and sets *len (no '\r'), or NULL.
 * A line cut by the end of head still counts (headers are short). */
const char *jz__head_line(const char *head, size_t n, size_t *pos, char comment, size_t *len);
/* How many of names[0..nnames) appear as fields of line (split at delim, blanks trimmed). */
int jz__head_matches(const char *line, size_t len, char delim, const char *const *names,
                     int nnames, bool nocase);
/* Number of fields of line when split at delim. */
int jz__head_fields(const char *line, size_t len, char delim);

#endif
