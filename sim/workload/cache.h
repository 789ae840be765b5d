/* cache.h: traces read once per process, replayed from memory into later runs' job tables.
 *
 * `jzsim sweep` runs each variant in a child forked from the sweep process (sweep/runner.c).
 * Before forking it reads every distinct trace the variant names into this cache, once for the
 * whole sweep; the child inherits the cache and jz_experiment_read appends the cached records
 * instead of reading and parsing the file again. What a variant changes (partition, scale,
 * offset, resampling, work profiles, queues) is applied after the read, in the child, as for a
 * fresh read: the cache holds only what the reader itself produced.
 *
 * An entry is keyed by the path, the reader asked for (NULL: detected) and the read options
 * that change what a reader produces (max_jobs, lenient, missing_walltime); it is used only
 * while the file has the device, inode, size and modification time it had when read, so a
 * trace edited during a sweep is read again. Appending an entry gives the job table exactly
 * what the reader would have appended (records, interned strings in the same order, skipped
 * and malformed counts, work profiles), so outputs are byte-identical to a fresh read. */
#ifndef JZ_WORKLOAD_CACHE_H
#define JZ_WORKLOAD_CACHE_H

#include <stdbool.h>

#include "error.h"
#include "job.h"
#include "workload/reader.h"

/* Read path with reader r (NULL: detect the format) and options o into the cache, with the
 * file's SHA-256, unless it is there already. A trace that cannot be read, or is not a regular
 * file, is simply not cached (0): the run that reads it reports its error itself. -JZ_ENOMEM
 * only when memory runs out. */
int jz_trace_cache_fill(const char *path, const jz_reader_t *r, const jz_read_opts_t *o, jz_error_t *err);

/* If (path, r, o) is cached and the file unchanged: append its records to t as the reader
 * would (each job's workload field set to o->workload), fill *info and *used (the reader that
 * read it) and return 1. 0 when it is not cached (the caller reads the file); -JZ_ENOMEM. */
int jz_trace_cache_append(const char *path, const jz_reader_t *r, const jz_read_opts_t *o, jz_job_table_t *t,
                          jz_read_info_t *info, const jz_reader_t **used, jz_error_t *err);

/* The SHA-256 (64 hex digits) and size of a cached trace whose file is unchanged; false if
 * there is none. */
bool jz_trace_cache_sha256(const char *path, char out[65], long long *bytes);

/* Entries in the cache; free them all. */
int jz_trace_cache_size(void);
void jz_trace_cache_clear(void);

#endif
