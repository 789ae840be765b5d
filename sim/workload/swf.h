/* swf.h: Standard Workload Format reader (Parallel Workloads Archive), plain or gzipped.
 *
 * Reads the 18 fields of every data line and the header keys MaxNodes, MaxProcs,
 * UnixStartTime, Queue and Partition, applies the cleaning rules of DESIGN §6 and appends the
 * kept jobs to a job table (unsorted: the caller sorts). */
#ifndef JZ_SWF_H
#define JZ_SWF_H

#include <stdbool.h>

#include "job.h"

#define JZ_SWF_MAX_NAMED 64

typedef struct jz_swf_options {
  long max_jobs;           /* read only the first N job lines (0 = all) */
  bool lenient;            /* skip malformed lines (counted in jobs->malformed) instead of failing */
  double missing_walltime; /* requested time when field 9 <= 0; <= 0 means "use the runtime" */
  int16_t workload;        /* stored in each job's workload field */
} jz_swf_options_t;

typedef struct jz_swf_header {
  long max_nodes, max_procs; /* -1 when absent */
  long long unix_start;      /* -1 when absent */
  char *queue_names[JZ_SWF_MAX_NAMED];     /* "Queue: N name" lines, by number (NULL if none) */
  char *partition_names[JZ_SWF_MAX_NAMED]; /* "Partition: N name" lines */
  long lines;      /* physical lines read */
  long job_lines;  /* data lines read */
  long no_request; /* kept jobs whose requested time (field 9) was missing: filled by the rule */
} jz_swf_header_t;

int jz_swf_read(const char *path, const jz_swf_options_t *opt, jz_job_table_t *jobs,
                jz_swf_header_t *hdr, jz_error_t *err);
void jz_swf_header_free(jz_swf_header_t *hdr);

#endif
