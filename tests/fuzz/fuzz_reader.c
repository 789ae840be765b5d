/* fuzz_reader.c: one trace reader (JZ_FUZZ_FORMAT: "swf", "itp", "philly", "openb", "sacct",
 * "jobs-csv", "jobs-yaml"; one harness each) on arbitrary bytes, strict and lenient.
 *
 * Properties: an error is one line "path:..." and leaves the table as it was (empty); a
 * success appends jobs with finite times, a run time > 0, a requested time >= 0 (0 = the trace
 * has none), counts >= 0, a source line within the lines read; a lenient read of a file that
 * reads strictly gives the same jobs and skips nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "job.h"
#include "workload/reader.h"

#ifndef JZ_FUZZ_FORMAT
#error "define JZ_FUZZ_FORMAT"
#endif

static int read_once(const jz_reader_t *rd, const char *path, bool lenient, jz_job_table_t *t,
                     jz_read_info_t *info) {
  jz_read_opts_t o = {.lenient = lenient};
  jz_error_t err = {0};
  jz_job_table_init(t);
  memset(info, 0, sizeof *info);
  jz_input_t *in = NULL;
  int rc = jz_input_open(path, &in, &err);
  if (rc == 0) rc = rd->read(in, &o, t, info, &err);
  jz_input_close(in);
  if (rc != 0) {
    jz_fuzz_check_error(rc, &err, path);
    JZ_FUZZ_CHECK(t->n == 0, "%s: a failed read left %zu jobs", JZ_FUZZ_FORMAT, t->n);
    return rc;
  }
  JZ_FUZZ_CHECK(info->job_lines >= 0 && info->lines >= 0, "negative line counts");
  for (size_t i = 0; i < t->n; i++) {
    const jz_job_t *j = &t->jobs[i];
    JZ_FUZZ_CHECK(isfinite(j->submit), "job %zu: submit %g", i, j->submit);
    JZ_FUZZ_CHECK(isfinite(j->runtime) && j->runtime > 0, "job %zu: runtime %g", i, j->runtime);
    JZ_FUZZ_CHECK(isfinite(j->walltime) && j->walltime >= 0, "job %zu: walltime %g", i,
                  j->walltime);
    JZ_FUZZ_CHECK(j->procs >= 0 && j->nodes >= 0 && j->gpus >= 0 && j->cores_per_gpu >= 0,
                  "job %zu: procs %d nodes %d gpus %d cores_per_gpu %d", i, j->procs, j->nodes,
                  j->gpus, j->cores_per_gpu);
    JZ_FUZZ_CHECK(j->line >= 1 && (long)j->line <= info->lines, "job %zu: line %u of %ld", i,
                  j->line, info->lines);
    char buf[32];
    JZ_FUZZ_CHECK(jz_job_id_text(t, j, buf, sizeof buf)[0] != '\0', "job %zu: empty id", i);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const jz_reader_t *rd = jz_reader_find(JZ_FUZZ_FORMAT);
  JZ_FUZZ_CHECK(rd != NULL, "no reader '%s'", JZ_FUZZ_FORMAT);
  const char *path = jz_fuzz_file("trace", data, size);
  jz_job_table_t strict, lenient;
  jz_read_info_t is, il;
  int rs = read_once(rd, path, false, &strict, &is);
  int rl = read_once(rd, path, true, &lenient, &il);
  if (rs == 0) {
    JZ_FUZZ_CHECK(rl == 0, "strict read succeeds, lenient read fails");
    JZ_FUZZ_CHECK(lenient.malformed == 0, "lenient read skipped lines a strict read accepts");
    JZ_FUZZ_CHECK(strict.n == lenient.n, "strict read %zu jobs, lenient %zu", strict.n,
                  lenient.n);
    JZ_FUZZ_CHECK(strict.n == 0 || memcmp(strict.jobs, lenient.jobs,
                                          strict.n * sizeof *strict.jobs) == 0,
                  "strict and lenient reads differ");
  }
  jz_job_table_free(&strict);
  jz_job_table_free(&lenient);
  return 0;
}
