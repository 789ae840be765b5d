/* error.c: error code names and message formatting. */
#include "error.h"

#include <stdio.h>
#include <string.h>

static const char *const err_names[] = {
    "OK",
#define JZ__ERR_NAME(name, text) #name,
    JZ_ERRNO_MAP(JZ__ERR_NAME)
#undef JZ__ERR_NAME
};
static const char *const err_texts[] = {
    "success",
#define JZ__ERR_TEXT(name, text) text,
    JZ_ERRNO_MAP(JZ__ERR_TEXT)
#undef JZ__ERR_TEXT
};

#define N_ERRS ((int)(sizeof err_names / sizeof err_names[0]))

const char *jz_err_name(int code) {
  int i = -code;
  return (i >= 0 && i < N_ERRS) ? err_names[i] : "EUNKNOWN";
}

const char *jz_strerror(int code) {
  int i = -code;
  return (i >= 0 && i < N_ERRS) ? err_texts[i] : "unknown error";
}

int jz_error_vat(jz_error_t *err, int code, const char *file, long line, long col,
                 const char *fmt, va_list ap) {
  if (!err) return code;
  size_t n = 0;
  err->code = code;
  err->msg[0] = '\0';
  if (file) {
    if (line > 0 && col > 0)
      n = (size_t)snprintf(err->msg, sizeof err->msg, "%s:%ld:%ld: ", file, line, col);
    else if (line > 0)
      n = (size_t)snprintf(err->msg, sizeof err->msg, "%s:%ld: ", file, line);
    else
      n = (size_t)snprintf(err->msg, sizeof err->msg, "%s: ", file);
  }
  if (n < sizeof err->msg) vsnprintf(err->msg + n, sizeof err->msg - n, fmt, ap);
  /* Keep the message on one line whatever the quoted text held. */
  for (char *p = err->msg; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  return code;
}

int jz_error_at(jz_error_t *err, int code, const char *file, long line, long col,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  jz_error_vat(err, code, file, line, col, fmt, ap);
  va_end(ap);
  return code;
}

int jz_error_set(jz_error_t *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  jz_error_vat(err, code, NULL, 0, 0, fmt, ap);
  va_end(ap);
  return code;
}
