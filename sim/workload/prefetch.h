/* prefetch.h: a byte stream produced ahead on a second thread, a few chunks at a time.
 *
 * Reading a compressed trace is two jobs of about the same size: inflating it (zlib, with its
 * CRC) and parsing its lines. The trace readers run while the main thread has little to do
 * (SimGrid's start), so a second thread inflates the next chunks while the reader parses the
 * current one: the read takes about the longer of the two instead of their sum.
 *
 * The producer calls fill(src, buf, want, err) for chunks of JZ_PREFETCH_CHUNK bytes, in
 * order, into a ring of JZ_PREFETCH_SLOTS chunks, until it returns 0 (the end) or a negative
 * error (its jz_error_t is kept with the chunk); the consumer gets the same bytes in the same
 * order, then the same end or error, as calling fill itself would give it. Only the producer
 * calls fill once started. */
#ifndef JZ_PREFETCH_H
#define JZ_PREFETCH_H

#include "error.h"

#define JZ_PREFETCH_CHUNK (128u << 10)
#define JZ_PREFETCH_SLOTS 4

typedef int (*jz_prefetch_fill_fn)(void *src, char *buf, unsigned want, jz_error_t *err);
typedef struct jz_prefetch jz_prefetch_t;

/* The producer started on src, or NULL if no memory or no thread: then the caller reads
 * directly, with the same result. */
jz_prefetch_t *jz_prefetch_start(jz_prefetch_fill_fn fill, void *src);
/* Up to want bytes (at least 1 unless at the end): bytes copied, 0 at the end, or the
 * producer's negative error (err filled); the end and an error repeat on later calls. */
int jz_prefetch_read(jz_prefetch_t *p, char *buf, unsigned want, jz_error_t *err);
/* Stop the producer (it finishes the chunk it is filling), join it, free. NULL is fine. */
void jz_prefetch_stop(jz_prefetch_t *p);

#endif
