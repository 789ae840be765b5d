/* jobs_csv.h: jobs.csv written while the simulation runs.
 *
 * A job's row is final once it has ended (or was rejected at submission): nothing the engine
 * does later changes its fields. After every instant (the engine's on_instant hook) the rows
 * of the ended jobs that come before the first job still queued or running are handed, a
 * batch at a time, to a writer thread on the second core, which formats them with the same
 * row writer as jz_report_jobs_csv (report.h): the same bytes, but the file is mostly written
 * by the time the simulation ends instead of after it. Allocation texts are copied when a job
 * is handed over (the engine's text buffer moves as it grows).
 *
 * Threads: start, note, finish, join and abort are called by the simulation's thread; the
 * writer only reads the rows handed to it. */
#ifndef JZ_JOBS_CSV_H
#define JZ_JOBS_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "metrics/report.h"

typedef struct jz_csvstream jz_csvstream_t;

/* A writer of jobs.csv for the jobs of s (t: their strings, e: workload names) into f, or NULL
 * (no memory or no thread): then write it after the simulation with jz_report_jobs_csv. */
jz_csvstream_t *jz_csvstream_start(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                                   const jz_experiment_t *e);
/* The engine's on_instant hook (ctx = the stream): 0, or -JZ_ENOMEM. */
int jz_csvstream_note(void *ctx, const jz_sched_t *s);
/* After the simulation: hand over every remaining row (returns at once; the writer goes on). */
void jz_csvstream_finish(jz_csvstream_t *c);
/* Wait for the writer and free: 0, -JZ_EIO (f has an error) or -JZ_ENOMEM. */
int jz_csvstream_join(jz_csvstream_t *c);
/* How many leading rows it knows to be final (tests). */
uint32_t jz_csvstream_ended(const jz_csvstream_t *c);
/* On an error path: stop the writer (its file is abandoned) and free. NULL is fine. */
void jz_csvstream_abort(jz_csvstream_t *c);

#endif
