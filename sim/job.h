/* job.h: the job record and the job table, one array indexed by dense id.
 *
 * Readers append trace facts (what the trace says), the table is then sorted by submit time
 * (stable: ties keep file order) and never changes during the simulation; simulation results
 * live apart (sched/engine.h), so the table can be shared by several runs. Strings (users,
 * accounts, queue names) are interned once in the table's string table. */
#ifndef JZ_JOB_H
#define JZ_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "exec/profile.h"

typedef uint32_t jz_job_id_t; /* dense index into jz_job_table_t.jobs after sorting */

enum {
  JZ_JOB_EXCLUSIVE = 1u << 0,       /* asks for whole nodes */
  JZ_JOB_DEFAULT_ACCOUNT = 1u << 1, /* account filled by a default: per-account limits skip it */
  JZ_JOB_TIMED_OUT = 1u << 2,       /* the trace says its time limit killed it (sacct TIMEOUT):
                                       it ends COMPLETED_WALLTIME_REACHED even when its run time
                                       equals its requested time */
  JZ_JOB_FLOW = 1u << 3,            /* has a work profile (exec/profile.h): it runs as SimGrid
                                       activities, its end is what the model says */
};

typedef struct jz_job {
  double submit;   /* seconds from the trace origin */
  double runtime;  /* seconds the job really ran in the trace (> 0) */
  double walltime; /* requested time in seconds (> 0) */
  int64_t trace_id;  /* job number as written in the trace */
  int32_t procs;     /* processors as the trace counts them (> 0) */
  int32_t nodes;     /* requested nodes, 0 = not said */
  int32_t gpus;      /* requested GPUs, 0 = none */
  int32_t cores_per_gpu; /* 0 = the node type's default share */
  int32_t user;      /* interned string id, -1 = unknown */
  int32_t group;     /* interned string id, -1 = unknown */
  int32_t account;   /* interned string id, -1 = unknown */
  int32_t queue;     /* interned queue name from the trace, -1 = none */
  int32_t label;     /* interned job id text when the trace's ids are not integers ("123_4"),
                        -1 = print trace_id */
  int32_t status;    /* SWF status field (1 completed, 0 failed, 5 cancelled, -1 unknown); a
                        time-limit kill is the flag JZ_JOB_TIMED_OUT (SWF has no code for it) */
  uint32_t line;     /* 1-based source line */
  int16_t workload;  /* index of the workload file it came from */
  int16_t partition; /* platform partition index, -1 until mapped */
  uint16_t flags;    /* JZ_JOB_* */
} jz_job_t;

/* Interned strings: id -> text, text -> id. */
typedef struct jz_strtab {
  char **strs;
  size_t n, cap;
  uint32_t *slots; /* open addressing, values id+1, 0 = empty */
  size_t nslots;
} jz_strtab_t;

int32_t jz_strtab_intern(jz_strtab_t *t, const char *s, size_t len); /* -1 on ENOMEM */
int32_t jz_strtab_find(const jz_strtab_t *t, const char *s);         /* -1 if absent */
const char *jz_strtab_get(const jz_strtab_t *t, int32_t id);         /* "" for -1 */
void jz_strtab_free(jz_strtab_t *t);

#define JZ_MAX_SKIP_REASONS 16

typedef struct jz_skip_count {
  const char *reason; /* static string, e.g. "runtime <= 0" */
  long count;
} jz_skip_count_t;

typedef struct jz_job_table {
  jz_job_t *jobs;
  size_t n, cap;
  jz_strtab_t strings;
  jz_skip_count_t skipped[JZ_MAX_SKIP_REASONS]; /* jobs dropped while reading, by reason */
  int n_skip_reasons;
  long malformed; /* lines skipped with --lenient */
  /* Work profiles, a side table so that delay jobs cost nothing: prof_of[id] indexes profs
   * (UINT32_MAX: none). NULL until a job gets one; kept in step by push and sort. */
  uint32_t *prof_of;
  jz_profile_t *profs;
  size_t nprof, capprof;
} jz_job_table_t;

void jz_job_table_init(jz_job_table_t *t);
void jz_job_table_free(jz_job_table_t *t);
/* Append a zeroed record (user/group/account/queue = -1, partition = -1); NULL on ENOMEM. */
jz_job_t *jz_job_table_push(jz_job_table_t *t);
/* Count a dropped job under a static reason string. */
void jz_job_table_skip(jz_job_table_t *t, const char *reason);
long jz_job_table_skipped_total(const jz_job_table_t *t);
/* A job's id as messages and jobs.csv show it: its label ("123_4", a UUID) if it has one,
 * else its number (written into buf). */
const char *jz_job_id_text(const jz_job_table_t *t, const jz_job_t *j, char *buf, size_t len);
/* Give job id (< t->n) the profile p; a non-delay profile flags it JZ_JOB_FLOW. 0 or
 * -JZ_ENOMEM. */
int jz_job_table_set_profile(jz_job_table_t *t, size_t id, const jz_profile_t *p);
/* Job id's profile, NULL if it has none (a delay job). */
static inline const jz_profile_t *jz_job_profile(const jz_job_table_t *t, size_t id) {
  return t->prof_of && t->prof_of[id] != UINT32_MAX ? &t->profs[t->prof_of[id]] : NULL;
}
static inline jz_profile_t *jz_job_profile_mut(jz_job_table_t *t, size_t id) {
  return t->prof_of && t->prof_of[id] != UINT32_MAX ? &t->profs[t->prof_of[id]] : NULL;
}
/* Stable sort by submit time (ties keep insertion order). 0 or -JZ_ENOMEM. */
int jz_job_table_sort(jz_job_table_t *t);

#endif
