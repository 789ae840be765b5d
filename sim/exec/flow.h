/* flow.h: running flow jobs (exec.h) inside the scheduler actor's simulation.
 *
 * One SimGrid actor per running flow job, on its first node, runs its model's phases with
 * blocking calls; when its work ends it queues the job id and, if the scheduler sleeps,
 * releases a semaphore. The scheduler sleeps with sg_sem_acquire_timeout until its own next
 * event (PLATFORM-NOTES B.7: O(1) per wake-up; sg_exec_wait_any_for is broken in 3.32). While
 * no flow job runs, the engine never calls in here and keeps its own clock (delay jobs cost
 * SimGrid nothing); SimGrid's clock is brought to the engine's before a flow job starts.
 *
 * Times: a run's time 0 is SimGrid's clock when jz_flow_begin is called (a --baseline run
 * follows the main run in the same SimGrid simulation). */
#ifndef JZ_FLOW_H
#define JZ_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "job.h"
#include "platform.h"
#include "sched/sched.h"

/* SimGrid network models jzsim knows how to drive (--network-model). */
typedef enum jz_netmodel {
  JZ_NET_L07 = 0, /* host/model:ptask_L07, TCP-gamma 0: the closed forms, exactly (default) */
  JZ_NET_CM02,    /* network/model:CM02, crosstraffic 0, TCP-gamma 0: the closed forms too */
  JZ_NET_LV08,    /* SimGrid's default model, untouched: LV08 factors, crosstraffic, gamma */
  JZ_NET_COUNT
} jz_netmodel_t;

const char *jz_netmodel_name(jz_netmodel_t m);
/* -1 if unknown. */
int jz_netmodel_find(const char *name);
/* The --cfg arguments that select model m (NULL-terminated, static strings); SimGrid must
 * read them before the platform loads, and before the user's own --cfg. */
const char *const *jz_netmodel_cfg(jz_netmodel_t m);

typedef struct jz_flow jz_flow_t;

/* After the platform is loaded: look up hosts and tiers. t gives the profiles. */
int jz_flow_new(jz_flow_t **f, const jz_platform_t *p, const jz_job_table_t *t, jz_netmodel_t m,
                jz_error_t *err);
void jz_flow_free(jz_flow_t *f);

/* Inside the scheduler actor, before the run's first event: its time 0 is now. */
void jz_flow_begin(jz_flow_t *f);
/* Flow jobs whose work is running. */
uint32_t jz_flow_inflight(const jz_flow_t *f);
/* Start the work of every flow job started since the last call (s->flow_started). */
int jz_flow_start_new(jz_flow_t *f, jz_sched_t *s);
/* Sleep until `until` (run time, may be INFINITY only with work in flight) or until work
 * ends, whichever is first; ended work is reported to s (jz_sched_work_done). Returns the run
 * time reached, <= until. */
double jz_flow_wait(jz_flow_t *f, jz_sched_t *s, double until);
/* Flow job id has finished (its work done, or killed at its walltime: its actor is killed and
 * its activities cancelled). A killed ai_training segment hands its last checkpoint to the
 * next segment of its chain. */
void jz_flow_end(jz_flow_t *f, jz_sched_t *s, uint32_t id);

#endif
