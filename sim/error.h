/* error.h: error codes (one X-macro table) and the one-line error message carried up to main.
 *
 * Functions return 0 or a negative JZ_E* code and fill a jz_error_t; only main prints it
 * (prefixed "jzsim: error: ") and picks the exit status. Messages follow the GNU style
 * "file:line:col: what, quoting the text", lines and columns 1-based. */
#ifndef JZ_ERROR_H
#define JZ_ERROR_H

#include <stdarg.h>

#define JZ_ERRNO_MAP(X)                                   \
  X(EINVAL, "invalid argument")                           \
  X(ESYNTAX, "syntax error")                              \
  X(EUNKNOWNKEY, "unknown key")                           \
  X(ERANGE, "value out of range")                         \
  X(EUNIT, "bad or missing unit")                         \
  X(EIO, "input/output error")                            \
  X(ENOMEM, "out of memory")                              \
  X(EUNSUPPORTED, "not supported")                        \
  X(EINTERNAL, "internal error")

enum {
  JZ_OK = 0,
#define JZ__ERR_ENUM(name, text) JZ_##name,
  JZ_ERRNO_MAP(JZ__ERR_ENUM)
#undef JZ__ERR_ENUM
};

typedef struct jz_error {
  int code;      /* 0 or negative JZ_E* */
  char msg[512]; /* one line, no trailing newline */
} jz_error_t;

/* Name ("EINVAL") and description of a negative code. */
const char *jz_err_name(int code);
const char *jz_strerror(int code);

/* Fill err (if not NULL) and return code, so callers write `return jz_error_set(...)`. */
int jz_error_set(jz_error_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, prefixed "file:line:col: "; line <= 0 drops ":line", col <= 0 drops ":col". */
int jz_error_at(jz_error_t *err, int code, const char *file, long line, long col,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int jz_error_vat(jz_error_t *err, int code, const char *file, long line, long col,
                 const char *fmt, va_list ap);

#endif
