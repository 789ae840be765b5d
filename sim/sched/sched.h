/* sched.h: the scheduler's world, without SimGrid: waiting queue, running jobs, resources,
 * per-job run state, and the decisions a policy may push.
 *
 * A policy sees this through `const jz_sched_t *` (the view) and acts only through
 * jz_decide_start(), which checks the decision and applies it at once, so the view stays
 * consistent within one scheduling pass. The engine (engine.c) drives time: it calls
 * jz_sched_submit / jz_sched_finish and then one policy pass. Everything here is pure C and
 * is unit-tested on hand-built job tables. */
#ifndef JZ_SCHED_H
#define JZ_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "job.h"
#include "sched/heap.h"
#include "sched/resources.h"

#define JZ_NONE UINT32_MAX

/* Job states, named as they appear in jobs.csv where they are final. */
typedef enum jz_job_state {
  JZ_STATE_PENDING = 0, /* not yet submitted */
  JZ_STATE_WAITING,
  JZ_STATE_RUNNING,
  JZ_STATE_COMPLETED_SUCCESSFULLY,
  JZ_STATE_COMPLETED_FAILED,
  JZ_STATE_COMPLETED_WALLTIME_REACHED,
  JZ_STATE_REJECTED,
} jz_job_state_t;

const char *jz_job_state_name(jz_job_state_t s);

/* Per-job simulation state and results (the job table itself stays immutable). */
typedef struct jz_jobrun {
  double start, finish;   /* -1 until known */
  jz_request_t req;       /* what the job asks of its partition */
  int64_t units;          /* cores it occupies (req.cores, or nodes x cores per node) */
  jz_alloc_t alloc;       /* while running */
  uint32_t prev, next;    /* waiting-queue links (JZ_NONE at the ends) */
  uint32_t alloc_text;    /* offset of its allocated_resources text in jz_sched_t.text */
  uint32_t nodes;         /* nodes it ran on */
  uint8_t state;          /* jz_job_state_t */
  uint8_t reject;         /* jz_reject_t */
} jz_jobrun_t;

typedef enum jz_reject {
  JZ_REJECT_NONE = 0,
  JZ_REJECT_TOO_BIG,    /* larger than its partition */
  JZ_REJECT_NO_PARTITION,
} jz_reject_t;

const char *jz_reject_reason(jz_reject_t r);

typedef struct jz_sched {
  const jz_job_t *jobs;
  uint32_t njobs;
  jz_jobrun_t *run;
  const jz_platform_t *platform;
  jz_resources_t res;
  /* Waiting queue in submission order (a doubly linked list through run[].prev/next). */
  uint32_t qhead, qtail, qlen;
  uint32_t *qlen_part; /* waiting jobs per partition */
  /* Running jobs per partition, keyed by requested end (start + walltime): EASY's view. */
  jz_heap_t *rend;
  uint32_t *rend_pos;
  /* Running jobs keyed by actual end: the engine's finish events. */
  jz_heap_t finishing;
  uint32_t *fin_pos;
  double now;
  /* Change tracking between passes, so a policy can skip work that cannot change anything. */
  bool released;     /* a job finished (or resources were freed) since the last pass */
  uint32_t first_new; /* first job submitted since the last pass, or JZ_NONE */
  uint32_t running;
  /* allocated_resources texts ("0-3 7"), one after the other, NUL-separated. */
  char *text;
  size_t text_n, text_cap;
} jz_sched_t;

int jz_sched_init(jz_sched_t *s, const jz_platform_t *p, const jz_job_t *jobs, uint32_t njobs);
void jz_sched_free(jz_sched_t *s);

/* Set what job id asks of its partition (before submission). */
void jz_sched_set_request(jz_sched_t *s, uint32_t id, jz_request_t req);

/* The engine's side. submit queues the job, or rejects it if it can never run. */
int jz_sched_submit(jz_sched_t *s, uint32_t id);
/* Finish the running job whose actual end is earliest; returns its id. */
uint32_t jz_sched_finish_next(jz_sched_t *s);
/* Mark the start of a policy pass as seen (resets change tracking). */
void jz_sched_pass_done(jz_sched_t *s);

/* The policy's side. */
typedef struct jz_decisions {
  jz_sched_t *s;
  uint32_t started;
} jz_decisions_t;

/* Start waiting job id now on its partition. 0, or -JZ_EINTERNAL if it is not waiting or does
 * not fit (the engine treats that as a policy bug), or -JZ_ENOMEM. */
int jz_decide_start(jz_decisions_t *d, uint32_t id);

/* Read-only helpers for policies. */
static inline uint32_t jz_view_first(const jz_sched_t *s) { return s->qhead; }
static inline uint32_t jz_view_next(const jz_sched_t *s, uint32_t id) { return s->run[id].next; }
static inline bool jz_view_fits(const jz_sched_t *s, uint32_t id) {
  const jz_job_t *j = &s->jobs[id];
  return jz_resources_fits(&s->res, j->partition, &s->run[id].req);
}
static inline int64_t jz_view_free_cores(const jz_sched_t *s, int part) {
  return s->res.parts[part].free_total;
}

#endif
