/* reader.h: the trace readers' ops table, format detection and the record of defaults.
 *
 * One reader per format (swf.c, itp.c, philly.c, openb.c, sacct.c, native.c), statically
 * registered in reader.c. `jzsim run --workload PART=FILE` picks the reader from the file's
 * content (detect), or the one named with --format. A reader appends trace facts to a job
 * table; what the trace lacks is left unknown (walltime 0, user/account/queue -1) and is
 * filled later by the run's documented defaults, never silently (see jz_read_info_t). */
#ifndef JZ_READER_H
#define JZ_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "job.h"

typedef struct jz_read_opts {
  long max_jobs;           /* read only the first N job records (0 = all) */
  bool lenient;            /* skip malformed records (counted in jobs->malformed) */
  double missing_walltime; /* SWF only: requested time when the trace has none; <= 0: runtime */
  int16_t workload;        /* stored in each job's workload field */
} jz_read_opts_t;

#define JZ_READ_MAX_NOTES 8

typedef struct jz_read_info {
  long lines;     /* physical lines read */
  long job_lines; /* job records read (before skipping) */
  /* Fields the format does not carry, e.g. "requested time", "user", "account", "queue":
   * the run fills them with its defaults and summary.json says which default filled what. */
  const char *missing[JZ_READ_MAX_NOTES];
  int n_missing;
  /* Free-form facts worth recording, e.g. "gpu_milli rounded up to whole GPUs: 3078 pods". */
  char notes[JZ_READ_MAX_NOTES][128];
  int n_notes;
} jz_read_info_t;

/* A trace opened once and read once from its start. Pipes, process substitutions
 * (`<(zcat x.swf.gz)`) and FIFOs cannot be reopened or rewound: the first 4 KiB
 * (decompressed: gzip is recognised from its bytes, not the name) are read at open into a
 * buffer that detection looks at and the reader then goes on from, so no byte is read twice.
 * A FIFO with no writer is waited for, as cat does; after one second a line on stderr says
 * so. path is borrowed: it must outlive the input. */
typedef struct jz_input jz_input_t;

int jz_input_open(const char *path, jz_input_t **in, jz_error_t *err);
void jz_input_close(jz_input_t *in); /* NULL is fine */
const char *jz_input_path(const jz_input_t *in);
/* A regular file (it could be read again, e.g. hashed); false for pipes, FIFOs, devices. */
bool jz_input_regular(const jz_input_t *in);

typedef struct jz_reader {
  const char *name;    /* "swf", "itp", "philly", "openb", "sacct", "jobs-csv", "jobs-yaml" */
  const char *summary; /* one line for `jzsim help run` */
  /* Confidence 0..100 that `head` (the first bytes of the decompressed file) is this format. */
  int (*detect)(const char *head, size_t n);
  /* Read the whole of in (from its start: nothing of it was consumed yet). */
  int (*read)(jz_input_t *in, const jz_read_opts_t *o, jz_job_table_t *t, jz_read_info_t *info,
              jz_error_t *err);
} jz_reader_t;

/* NULL-terminated list of readers, lookup by name, and detection. A name that says its format
 * decides: "x.swf", "x.swf.gz" are swf, "x.yaml", "x.yml" (.gz) jobs-yaml (any case); else
 * the input's first 4 KiB (gzip looked through) are shown to every reader. detect returns NULL
 * and fills err when no reader claims the file: "path: cannot tell the format (use --format
 * NAME: swf, itp, ...)". jz_reader_detect opens path, detects and closes it: for regular
 * files; a stream must go through jz_reader_detect_input and be read from the same input. */
const jz_reader_t *const *jz_reader_list(void);
const jz_reader_t *jz_reader_find(const char *name);
const jz_reader_t *jz_reader_detect(const char *path, jz_error_t *err);
const jz_reader_t *jz_reader_detect_input(jz_input_t *in, jz_error_t *err);
/* Open path, read it with r, close it. */
int jz_reader_read_path(const jz_reader_t *r, const char *path, const jz_read_opts_t *o,
                        jz_job_table_t *t, jz_read_info_t *info, jz_error_t *err);

#endif
