/* fuzz.h: what every harness of tests/fuzz/ shares.
 *
 * A harness defines LLVMFuzzerTestOneInput: it runs one reader or parser (or the whole
 * pipeline) on the bytes it is given and checks properties of the result; a broken property
 * aborts (jz_fuzz_fail), which libFuzzer reports like a crash and saves the input. The same
 * harness is linked either with libFuzzer (cmake -DJZ_FUZZ=ON, clang) or with replay.c, which
 * runs it on files (the seeds and tests/fuzz/regress/<harness>/ in ctest). */
#ifndef JZ_FUZZ_H
#define JZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with "fuzz: property failed: <message>" on stderr. */
void jz_fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define JZ_FUZZ_CHECK(cond, ...)        \
  do {                                  \
    if (!(cond)) jz_fuzz_fail(__VA_ARGS__); \
  } while (0)

/* The bytes as a file the readers can open, in a private directory removed at exit; name is
 * the file's name there ("trace", "platform.yaml"): the same file is rewritten each call. */
const char *jz_fuzz_file(const char *name, const uint8_t *data, size_t size);

/* The bytes as a NUL-terminated string (malloc'ed; embedded NULs end it early). */
char *jz_fuzz_str(const uint8_t *data, size_t size);

/* An error a reader returned: negative code, one non-empty line, and (unless out of memory)
 * naming where: starts with prefix when prefix is not NULL. */
void jz_fuzz_check_error(int rc, const jz_error_t *err, const char *prefix);

/* Abort unless buf[0..len) is one valid JSON text (RFC 8259); what names it in the message. */
void jz_fuzz_check_json(const char *what, const char *buf, size_t len);

/* Abort unless every cross reference of a validated platform is in range: partitions' node
 * types and fabrics, queues' partitions, reservations' partitions and node counts. */
void jz_fuzz_check_platform_refs(const jz_platform_t *p);

/* A platform of tests/data/good/ (by file name) or platforms/, loaded once and kept. */
const jz_platform_t *jz_fuzz_platform(const char *relpath);

#endif
