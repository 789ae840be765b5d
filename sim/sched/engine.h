/* engine.h: the event loop and the SimGrid scheduler actor that drives it.
 *
 * Events at one instant are handled in a fixed order: every job end (by job id), then the
 * checkpoint/restart segments those ends release, then every trace submission (by job id),
 * then one scheduling pass of the policy; the opening and closing of a dedicated allocation's
 * window is an instant of its own. Delay jobs last their trace run time (capped at the
 * requested time), so while no flow job runs the loop advances its own clock through its
 * event heap and SimGrid's clock is synchronised only when work starts and at the end
 * (DESIGN §1: one context switch per event would cap a replay near 500,000 jobs/s). While
 * flow jobs run (exec/flow.h), the loop sleeps in SimGrid until its own next event or the
 * first end of their work, whichever comes first; an ended work is a job end like any other. */
#ifndef JZ_ENGINE_H
#define JZ_ENGINE_H

#include <stdbool.h>

#include "error.h"
#include "sched/policy.h"
#include "sched/sched.h"

typedef struct jz_engine_stats {
  double last_event;  /* simulated time of the last event */
  uint64_t events;    /* finishes + submissions */
  uint64_t passes;    /* scheduling passes */
  double wall_loop;   /* wall-clock seconds in the event loop (never written to outputs) */
} jz_engine_stats_t;

struct jz_flow;

typedef struct jz_engine_opts {
  bool progress; /* report progress on stderr every second of wall time */
  /* Runs flow jobs (JZ_JOB_FLOW) as SimGrid activities (exec/flow.h); NULL when no job has a
   * work profile, and outside SimGrid (unit tests): then the loop never touches SimGrid. */
  struct jz_flow *flow;
  /* Called at the end of every instant (after its pass), e.g. to record time series. */
  int (*on_instant)(void *ctx, const jz_sched_t *s);
  void *ctx;
} jz_engine_opts_t;

/* One simulation to run inside the scheduler actor. */
typedef struct jz_engine_run {
  jz_sched_t *s;
  const jz_policy_t *pol;
  jz_engine_opts_t opts;
  jz_engine_stats_t stats;
} jz_engine_run_t;

/* Run the whole simulation on s without SimGrid (tests, and the body of the actor). */
int jz_engine_loop(jz_sched_t *s, const jz_policy_t *pol, const jz_engine_opts_t *o,
                   jz_engine_stats_t *st, jz_error_t *err);

/* Initialise SimGrid with the given args (--cfg=, --log= are consumed). Call once per process,
 * from the thread that will run the simulation; traces can be read meanwhile. */
void jz_engine_init(int *argc, char **argv);

/* Load the platform into SimGrid (after jz_engine_init): the generated XML of the whole machine
 * when some job runs as SimGrid work (full), else the controller host alone. Jobs that are
 * delays never touch SimGrid, and loading the machine costs 22 us a host (23 ms for Jean Zay's
 * 1,500 hosts), most of the start-up of a small replay. */
int jz_engine_load_platform(const jz_platform_t *p, bool full, jz_error_t *err);

/* Run jz_engine_loop for each of runs[0..n) one after the other inside one actor on the
 * controller host (a --baseline comparison is a second run), and bring SimGrid's clock to the
 * last event. After jz_engine_load. */
int jz_engine_run(jz_engine_run_t *runs, int n, jz_error_t *err);

#endif
