/* engine.c: event loop (finishes, submissions, one pass) and the SimGrid scheduler actor. */
#include "sched/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <xbt/log.h>

#include "exec/flow.h"
#include "simgrid_xml.h"

XBT_LOG_NEW_DEFAULT_CATEGORY(jz_engine, "jzsim event loop and scheduler actor");

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct progress {
  bool on;
  double t0, last;
} progress_t;

static void progress_tick(progress_t *p, const jz_sched_t *s, uint32_t done) {
  double w = wall_now();
  if (w - p->last < 1.0) return;
  p->last = w;
  fprintf(stderr, "\rjzsim: t=%.0f s, %u/%u jobs submitted, %u running, %u waiting, %.0f jobs/s   ",
          s->now, done, s->njobs, s->running, s->qlen, done / (w - p->t0));
}

static int push_due(uint32_t **due, size_t *n, size_t *cap, uint32_t id, jz_error_t *err) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 64;
    uint32_t *m = realloc(*due, c * sizeof *m);
    if (!m) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    *due = m;
    *cap = c;
  }
  (*due)[(*n)++] = id;
  return 0;
}

int jz_engine_loop(jz_sched_t *s, const jz_policy_t *pol, const jz_engine_opts_t *o,
                   jz_engine_stats_t *st, jz_error_t *err) {
  void *pstate = NULL;
  int rc = pol->init_ctx ? pol->init_ctx(&pstate, pol->ctx, s, err) : pol->init(&pstate, s, err);
  if (rc) return rc;
  progress_t pg = {o && o->progress, wall_now(), wall_now()};
  jz_engine_stats_t local = {0};
  double w0 = wall_now();
  uint32_t next_submit = 0;
  jz_decisions_t d = {s, 0};
  /* Chain segments due at this instant, in the order their predecessors ended. */
  uint32_t *due = NULL;
  size_t ndue = 0, capdue = 0;
  double t_wake = INFINITY; /* the policy's next_wakeup, asked after each pass */
  jz_flow_t *fl = o ? o->flow : NULL;
  if (fl) jz_flow_begin(fl);
  for (;;) {
    double t_fin = jz_heap_empty(&s->finishing) ? INFINITY : jz_heap_top(&s->finishing).key;
    double t_sub = next_submit < s->n_static ? s->jobs[next_submit].submit : INFINITY;
    double t = t_fin < t_sub ? t_fin : t_sub;
    /* Window boundaries matter only while a job waits: a window opening or closing changes
     * which nodes a waiting job may take, and nothing else. While none waits the loop jumps
     * straight to the next finish or submission, and jz_sched_advance integrates the skipped
     * windows in closed form: a first submission at 1e15 s with a daily window used to visit
     * 2.3e10 boundaries on the way. */
    if (s->qlen > 0) {
      double t_bnd = jz_sched_next_boundary(s);
      if (t_bnd < t) t = t_bnd;
      /* A wake-up time passed while nothing waited is stale: the next pass asks again. */
      if (t_wake > s->now && t_wake < t) t = t_wake;
    }
    /* Work in flight may end first: it then moves its job's end to that instant. */
    if (fl && jz_flow_inflight(fl) > 0) t = jz_flow_wait(fl, s, t);
    if (t == INFINITY) break;
    jz_sched_advance(s, t);
    s->now = t;
    ndue = 0;
    while (!jz_heap_empty(&s->finishing) && jz_heap_top(&s->finishing).key == t) {
      uint32_t id = jz_sched_finish_next(s);
      local.events++;
      uint32_t nx = s->run[id].chain_next;
      bool flow = s->jobs[id].flags & JZ_JOB_FLOW;
      if (fl && flow) jz_flow_end(fl, s, id);
      if (nx == JZ_NONE) continue;
      if (flow && s->run[id].work_done) {
        /* The chain's work is done: its later segments are not needed. */
        for (uint32_t x = nx; x != JZ_NONE; x = s->run[x].chain_next)
          s->run[x].reject = JZ_REJECT_CHAIN_DONE;
        if ((rc = push_due(&due, &ndue, &capdue, nx, err))) goto out;
        for (uint32_t x = s->run[nx].chain_next; x != JZ_NONE; x = s->run[x].chain_next)
          if ((rc = push_due(&due, &ndue, &capdue, x, err))) goto out;
        continue;
      }
      if ((rc = push_due(&due, &ndue, &capdue, nx, err))) goto out;
    }
    /* A segment is submitted the instant its predecessor ends, before the trace's jobs of
     * that instant. */
    for (size_t k = 0; k < ndue; k++) {
      if ((rc = jz_sched_submit(s, due[k]))) goto out;
      local.events++;
    }
    while (next_submit < s->n_static && s->jobs[next_submit].submit == t) {
      if ((rc = jz_sched_submit(s, next_submit))) goto out;
      next_submit++;
      local.events++;
    }
    bool woken = t == t_wake;
    if (s->qlen > 0 && (s->pending || woken)) {
      if ((rc = pol->schedule(pstate, s, &d))) {
        const char *why = pol->error ? pol->error(pstate) : NULL;
        if (why)
          jz_error_set(err, rc, "%s", why);
        else if (rc == -JZ_EINTERNAL)
          jz_error_set(err, rc, "policy '%s' made an invalid decision at t=%.17g", pol->name, t);
        else
          jz_error_set(err, rc, "%s during the scheduling pass at t=%.17g", jz_strerror(rc), t);
        goto out;
      }
      jz_sched_pass_done(s);
      local.passes++;
      if (pol->next_wakeup) {
        t_wake = pol->next_wakeup(pstate, t);
        if (!(t_wake > t)) {
          rc = jz_error_set(err, -JZ_EINTERNAL, "policy '%s' asked to be woken at t=%.17g, not after t=%.17g",
                            pol->name, t_wake, t);
          goto out;
        }
      }
    }
    if (fl && (rc = jz_flow_start_new(fl, s))) {
      jz_error_set(err, rc, "%s while starting flow jobs at t=%.17g", jz_strerror(rc), t);
      goto out;
    }
    s->n_flow_started = 0; /* without a flow module, flow jobs run to their walltime */
    if (o && o->on_instant && (rc = o->on_instant(o->ctx, s))) {
      jz_error_set(err, rc, "%s while recording outputs at t=%.17g", jz_strerror(rc), t);
      goto out;
    }
    local.last_event = t;
    if (pg.on && (local.events & 0xffff) < 2) progress_tick(&pg, s, next_submit);
  }
  if (s->qlen != 0 || s->running != 0) {
    rc = jz_error_set(err, -JZ_EINTERNAL, "simulation ended with %u waiting and %u running jobs",
                      s->qlen, s->running);
  }
out:
  free(due);
  if (pg.on && wall_now() - pg.t0 >= 1.0) fputc('\n', stderr);
  pol->fini(pstate);
  local.wall_loop = wall_now() - w0;
  if (st) *st = local;
  return rc;
}

/* Everything the actor needs, handed over with sg_actor_set_data (no globals). */
typedef struct actor_ctx {
  jz_engine_run_t *runs;
  int n;
  jz_error_t *err;
  int rc;
} actor_ctx_t;

static void scheduler_actor(int argc, char **argv) {
  (void)argc;
  (void)argv;
  actor_ctx_t *c = sg_actor_self_get_data();
  double last = 0;
  for (int i = 0; i < c->n && c->rc == 0; i++) {
    jz_engine_run_t *r = &c->runs[i];
    c->rc = jz_engine_loop(r->s, r->pol, &r->opts, &r->stats, c->err);
    if (r->stats.last_event > last) last = r->stats.last_event;
    XBT_VERB("run %d done at t=%g after %llu events", i, r->stats.last_event,
             (unsigned long long)r->stats.events);
  }
  /* Bring SimGrid's clock to the last event so both clocks tell the same makespan. */
  if (c->rc == 0 && last > simgrid_get_clock()) sg_actor_sleep_until(last);
}

void jz_engine_init(int *argc, char **argv) { simgrid_init(argc, argv); }

/* The controller alone: what a run whose jobs are all delays needs of SimGrid (its clock). */
static const char CONTROLLER_ONLY_XML[] =
    "<?xml version='1.0'?>\n"
    "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    "<platform version=\"4.1\">\n"
    "  <zone id=\"jzsim\" routing=\"Full\">\n"
    "    <host id=\"" JZ_SIMGRID_CONTROLLER "\" speed=\"1Gf\"/>\n"
    "  </zone>\n"
    "</platform>\n";

int jz_engine_load_platform(const jz_platform_t *p, bool full, jz_error_t *err) {
  char *xml = NULL;
  int rc = 0;
  if (full) {
    rc = jz_simgrid_xml_tempfile(p, &xml, err);
  } else {
    const char *dir = getenv("TMPDIR");
    size_t n = strlen(dir && *dir ? dir : "/tmp") + 32;
    if (!(xml = malloc(n))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    snprintf(xml, n, "%s/jzsim-ctl-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(xml);
    size_t len = sizeof CONTROLLER_ONLY_XML - 1;
    if (fd < 0 || write(fd, CONTROLLER_ONLY_XML, len) != (ssize_t)len) rc = -JZ_EIO;
    if (fd >= 0) close(fd);
    if (rc) {
      if (fd >= 0) unlink(xml);
      free(xml);
      return jz_error_set(err, rc, "cannot write the SimGrid platform in %s", dir && *dir ? dir : "/tmp");
    }
  }
  if (rc) return rc;
  simgrid_load_platform(xml);
  unlink(xml);
  free(xml);
  if (!sg_host_by_name(JZ_SIMGRID_CONTROLLER))
    return jz_error_set(err, -JZ_EINTERNAL, "controller host missing from the platform");
  return 0;
}

int jz_engine_run(jz_engine_run_t *runs, int n, jz_error_t *err) {
  actor_ctx_t ctx = {runs, n, err, 0};
  sg_actor_t a = sg_actor_init("scheduler", sg_host_by_name(JZ_SIMGRID_CONTROLLER));
  sg_actor_set_data(a, &ctx);
  sg_actor_start(a, scheduler_actor, 0, NULL);
  simgrid_run();
  return ctx.rc;
}
