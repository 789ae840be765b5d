/* test_queues.c: queue routing, defaults, per-user limits, priorities and checkpoint/restart
 * chains, hand-computed on tests/data/good/queues1.yaml: one 4-core node; queue `short` (1 h,
 * priority 10) and queue `long` (10 h, one running job per user, 2 cores per job, default). */
#include "jz_test.h"

#include <string.h>

static jz_job_t *job(jz_job_table_t *t, double submit, double run, double wall, int cores,
                     const char *user) {
  jz_job_t *j = jz_test_job(t, submit, run, wall, cores);
  j->user = jz_test_str(t, user);
  return j;
}

static const char *key_of(const jz_test_sim_t *sim, uint32_t i) {
  return sim->s.keys[sim->s.run[i].key].name;
}

/* One expected row of a chain test, found by its id text. */
typedef struct {
  const char *id;
  double start, finish, walltime;
  int state;
} row_t;

/* The table holds exactly these n rows, each with its times, request and final state. */
static void check_rows(const jz_test_sim_t *sim, const jz_job_table_t *t, const row_t *want, size_t n) {
  assert_int_equal(t->n, n);
  for (size_t w = 0; w < n; w++) {
    uint32_t i = 0;
    char buf[32];
    while (i < t->n && strcmp(jz_job_id_text(t, &t->jobs[i], buf, sizeof buf), want[w].id) != 0) i++;
    if (i == t->n) fail_msg("no row %s", want[w].id);
    jz_assert_double_eq(sim->s.run[i].start, want[w].start);
    jz_assert_double_eq(sim->s.run[i].finish, want[w].finish);
    jz_assert_double_eq(t->jobs[i].walltime, want[w].walltime);
    assert_int_equal(sim->s.run[i].state, want[w].state);
  }
}

/* J1 (u1, 1 core, runs 2 h, no requested time): too long for short -> long, asks for long's
 *    10 h (a recorded default); starts at 0.
 * J2 (u1, 1 core, 1 h of 4 h): long; held by long's one-job-per-user limit while J1 runs,
 *    without blocking anyone; starts when J1 ends at 7200.
 * J3 (u2, 1 core, 30 min of 1 h) at 10: short; starts at 10.
 * J4 (u3, 20 h): no queue admits it: REJECTED.
 * J5 (u4, 3 cores, 10 min) at 20: short (long allows 2 cores per job); 2 cores free: waits
 *    for J3 (ends 1810), then runs 1810-2410.
 * The same under conservative: J2, held, holds no reservation; J5 is reserved at J3's
 * requested end 3610 and moves to 1810 when J3 ends early; J2 is placed when J1's end
 * loosens the limit, and starts at once. */
static void test_routing_limits(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues1.yaml");
  const char *pol[] = {"fcfs", "easy", "conservative"};
  for (int k = 0; k < 3; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 7200, 0, 1, "u1");
    job(&t, 0, 3600, 14400, 1, "u1");
    job(&t, 10, 1800, 3600, 1, "u2");
    job(&t, 0, 72000, 72000, 1, "u3");
    job(&t, 20, 600, 600, 3, "u4");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    uint32_t j1 = jz_test_find(&t, 1), j2 = jz_test_find(&t, 2), j3 = jz_test_find(&t, 3),
             j4 = jz_test_find(&t, 4), j5 = jz_test_find(&t, 5);
    jz_assert_double_eq(sim.s.run[j1].start, 0);
    jz_assert_double_eq(t.jobs[j1].walltime, 36000);
    jz_assert_double_eq(sim.s.run[j2].start, 7200);
    jz_assert_double_eq(sim.s.run[j3].start, 10);
    jz_assert_double_eq(sim.s.run[j5].start, 1810);
    assert_string_equal(key_of(&sim, j1), "long");
    assert_string_equal(key_of(&sim, j2), "long");
    assert_string_equal(key_of(&sim, j3), "short");
    assert_string_equal(key_of(&sim, j5), "short");
    assert_int_equal(sim.s.run[j4].state, JZ_STATE_REJECTED);
    assert_int_equal(sim.s.run[j4].reject, JZ_REJECT_WALLTIME);
    assert_string_equal(jz_hold_reason((jz_hold_t)sim.s.run[j2].first_hold), "QOSMaxJobsPerUserLimit");
    assert_int_equal(sim.s.run[j1].first_hold, 0);
    /* The default that filled J1's requested time is recorded. */
    bool noted = false;
    for (int i = 0; i < sim.m.n_notes; i++)
      if (strcmp(sim.m.notes[i].field, "requested time") == 0) {
        assert_string_equal(sim.m.notes[i].rule, "the max walltime of its queue (long)");
        assert_int_equal(sim.m.notes[i].jobs, 1);
        noted = true;
      }
    assert_true(noted);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* K1 (short, 4 cores, 100 s) runs 0-100. K2 (long, 2 cores) at 10 and K3 (short, 4 cores,
 * 100 s) at 20 wait. At 100, K3 goes first (short has the higher priority although K2 came
 * first): K3 100-200, then K2 at 200. A job naming its queue goes there: K4 names `long`. */
static void test_priority(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  job(&t, 0, 100, 3600, 4, "u1");
  job(&t, 10, 100, 7200, 2, "u2");
  job(&t, 20, 100, 3600, 4, "u3");
  job(&t, 30, 10, 600, 1, "u4")->queue = jz_test_str(&t, "long");
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  jz_assert_double_eq(sim.s.run[0].start, 0);
  jz_assert_double_eq(sim.s.run[2].start, 100);
  jz_assert_double_eq(sim.s.run[1].start, 200);
  jz_assert_double_eq(sim.s.run[3].start, 200); /* behind K2 in long, fits beside it */
  assert_string_equal(key_of(&sim, 3), "long");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* --split-long-jobs: J4 (20 h) becomes two 10 h segments in `long`; the second is submitted
 * when the first ends (36000) and starts at once. Rows are labelled 4/1 and 4/2. */
static void test_chain(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  job(&t, 5, 72000, 72000, 1, "u3")->trace_id = 4;
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", true, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  assert_int_equal(t.n, 2);
  assert_int_equal(sim.m.chains, 1);
  assert_int_equal(sim.m.segments, 2);
  assert_string_equal(jz_strtab_get(&t.strings, t.jobs[0].label), "4/1");
  assert_string_equal(jz_strtab_get(&t.strings, t.jobs[1].label), "4/2");
  jz_assert_double_eq(sim.s.run[0].start, 5);
  jz_assert_double_eq(sim.s.run[0].finish, 36005);
  jz_assert_double_eq(sim.s.run[1].submit, 36005);
  jz_assert_double_eq(sim.s.run[1].start, 36005);
  jz_assert_double_eq(sim.s.run[1].finish, 72005);
  assert_int_equal(sim.s.run[0].state, JZ_STATE_COMPLETED_SUCCESSFULLY);
  assert_int_equal(sim.s.run[1].state, JZ_STATE_COMPLETED_SUCCESSFULLY);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* --split-long-jobs on queues1.yaml (the longest queue, `long`, allows 10 h = 36000 s): chain
 * ids, requests that are only cut, and where the trace's outcome goes. One core each, four
 * users (long allows one running job per user), so nothing waits:
 *  - "long-A" (a text id), failed in the trace, ran 25 h of 25 h: ceil(90000 / 36000) = 3
 *    segments 0-36000, 36000-72000, 72000-90000 (the last runs 90000 - 2 * 36000 = 18000).
 *    The failure ends the trace job: only long-A/3 is COMPLETED_FAILED.
 *  - "long-B" (text), completed, the same shape at 1: long-B/1..3 end 36001, 72001, 90001.
 *  - 77 (a number), ran 5 h of 20 h asked: the run fits in 10 h, so it is no chain: its
 *    request is cut to 36000 (a noted default), its id stays "77", it runs 2-18002.
 *  - 78 (a number), timed out in the trace at its 15 h: 2 segments, 3-36003 and 36003-54003;
 *    only 78/2 is COMPLETED_WALLTIME_REACHED.
 *  - 79 (a number) at 20000, once 77 has freed the fourth core, ran 30 h of 25 h asked
 *    (killed at its request in the trace): the chain replays the 25 h it was allowed,
 *    20000-56000, 56000-92000, 92000-110000, and its last segment is
 *    COMPLETED_WALLTIME_REACHED.
 * Chains: 4 (77 is not one), segments 3 + 3 + 2 + 3 = 11. A chain asks for the job's request in
 * all: every segment asks for 36000 s but the last, which asks for what is left of the request
 * (long-A, long-B, 79: 90000 - 2 x 36000 = 18000; 78: 54000 - 36000 = 18000), so 78/2 and 79/3
 * are killed exactly at their own requested time. */
static void test_chain_ids_outcomes(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_job_t *a = job(&t, 0, 90000, 90000, 1, "ua");
  a->label = jz_test_str(&t, "long-A");
  a->status = 0;
  job(&t, 1, 90000, 90000, 1, "ub")->label = jz_test_str(&t, "long-B");
  job(&t, 2, 18000, 72000, 1, "uc")->trace_id = 77;
  jz_job_t *d = job(&t, 3, 54000, 54000, 1, "ud");
  d->trace_id = 78;
  d->flags |= JZ_JOB_TIMED_OUT;
  job(&t, 20000, 108000, 90000, 1, "ue")->trace_id = 79;
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", true, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  assert_int_equal(sim.m.chains, 4);
  assert_int_equal(sim.m.segments, 11);
  static const row_t want[] = {
      {"long-A/1", 0, 36000, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"long-A/2", 36000, 72000, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"long-A/3", 72000, 90000, 18000, JZ_STATE_COMPLETED_FAILED},
      {"long-B/1", 1, 36001, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"long-B/2", 36001, 72001, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"long-B/3", 72001, 90001, 18000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"77", 2, 18002, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"78/1", 3, 36003, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"78/2", 36003, 54003, 18000, JZ_STATE_COMPLETED_WALLTIME_REACHED},
      {"79/1", 20000, 56000, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"79/2", 56000, 92000, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"79/3", 92000, 110000, 18000, JZ_STATE_COMPLETED_WALLTIME_REACHED},
  };
  check_rows(&sim, &t, want, sizeof want / sizeof want[0]);
  /* The cut request is a default, said once; it is not a chain. */
  int cut = 0;
  for (int i = 0; i < sim.m.n_notes; i++)
    if (strcmp(sim.m.notes[i].field, "requested time") == 0) {
      assert_string_equal(sim.m.notes[i].rule,
                          "cut to the max walltime of its queue (long): the run fits in it");
      assert_int_equal(sim.m.notes[i].jobs, 1);
      cut++;
    }
  assert_int_equal(cut, 1);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* options.restart_cost = 1 h on queues1.yaml (`long`: M = 36000 s): segments 2..k spend
 * C = 3600 s reloading, so they do M - C = 32400 s of work, the first 36000 s;
 * k = 1 + ceil((work - M) / (M - C)). One core each, three users, nothing waits:
 *  - A (completed, 25 h = 90000 s of work): k = 1 + ceil(54000 / 32400) = 3; work done before
 *    the last is 36000 + 32400 = 68400, the last does 21600 and runs 3600 + 21600 = 25200:
 *    0-36000, 36000-72000, 72000-97200 (2 restarts: 7200 s more than the 90000 s of work).
 *    The last asks for 3600 + 90000 - 68400 = 25200.
 *  - B (killed in the trace at its 20 h request after running 30 h): work 72000, k = 1 +
 *    ceil(36000 / 32400) = 3; the last does 72000 - 68400 = 3600 and runs 7200, asking for
 *    3600 + 72000 - 68400 = 7200: 1-36001, 36001-72001, 72001-79201, killed at its limit.
 *  - C (19 h = 68400 s, exactly one segment of M plus one of M - C): k = 2; the last runs
 *    3600 + 32400 = 36000 and asks for 36000: 2-36002, 36002-72002.
 * Without the cost A would end at 90000 and C at 68402. */
static void test_chain_restart_cost(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  job(&t, 0, 90000, 90000, 1, "ua")->label = jz_test_str(&t, "A");
  jz_job_t *b = job(&t, 1, 108000, 72000, 1, "ub");
  b->label = jz_test_str(&t, "B");
  job(&t, 2, 68400, 68400, 1, "uc")->label = jz_test_str(&t, "C");
  jz_test_sim_t sim;
  jz_test_simulate_chains(&sim, p, &t, "easy", 3600);
  assert_int_equal(sim.rc, 0);
  assert_int_equal(sim.m.chains, 3);
  assert_int_equal(sim.m.segments, 8);
  static const row_t want[] = {
      {"A/1", 0, 36000, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"A/2", 36000, 72000, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"A/3", 72000, 97200, 25200, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"B/1", 1, 36001, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"B/2", 36001, 72001, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"B/3", 72001, 79201, 7200, JZ_STATE_COMPLETED_WALLTIME_REACHED},
      {"C/1", 2, 36002, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
      {"C/2", 36002, 72002, 36000, JZ_STATE_COMPLETED_SUCCESSFULLY},
  };
  check_rows(&sim, &t, want, sizeof want / sizeof want[0]);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* Held jobs are hidden from later walks until their limit loosens; a partition whose waiting
 * jobs are all hidden must not stop the pass. queues2.yaml: J0 (u2) on p 0-50; J1 (u1) on p
 * 0-100; J2 (u1) on p at 1: held (one job per user) and hidden. At 50, J0 ends (p is walked:
 * only hidden J2 waits) and J3 arrives on r: it starts at 50. At 100, J1 ends: J2 is shown
 * again and starts. */
static void test_hidden_partition(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues2.yaml");
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 50, 600, 1, "u2");
    job(&t, 0, 100, 600, 1, "u1");
    job(&t, 1, 10, 600, 1, "u1");
    job(&t, 50, 10, 600, 4, "u3")->partition = 1;
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    jz_assert_double_eq(sim.s.run[jz_test_find(&t, 3)].start, 100);
    jz_assert_double_eq(sim.s.run[jz_test_find(&t, 4)].start, 50);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* Held-job cases on queues3.yaml (one 16-core node, u1 limited to 3 jobs and 4 cores): each
 * job's start and first hold reason, under FCFS and EASY; the watch (may be NULL) checks the
 * state after the pass at an instant. */
typedef struct held_job {
  double submit, run;
  int cores;
  const char *user;
  double start;
  jz_hold_t first_hold;
} held_job_t;

typedef struct held_watch {
  const jz_job_table_t *t;
  int seen;
} held_watch_t;

static void held_case(const held_job_t *jobs, int n, held_watch_t *w,
                      int (*watch)(void *, const jz_sched_t *)) {
  jz_platform_t *p = jz_test_load_platform("queues3.yaml");
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    for (int i = 0; i < n; i++) job(&t, jobs[i].submit, jobs[i].run, 600, jobs[i].cores, jobs[i].user);
    if (w) *w = (held_watch_t){&t, 0};
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, watch, w);
    assert_int_equal(sim.rc, 0);
    if (w) assert_int_equal(w->seen, 1);
    for (int i = 0; i < n; i++) {
      const jz_jobrun_t *r = &sim.s.run[jz_test_find(&t, i + 1)];
      jz_assert_double_eq(r->start, jobs[i].start);
      assert_int_equal(r->first_hold, jobs[i].first_hold);
    }
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

/* A loosened limit shows the first held job it now lets through, wherever it is in the queue:
 * not only the first held job.
 * J1 (u1, 3 cores, 0-100) starts; J2, J3 (u1, 2 cores) at 1, 2: held (3 + 2 > 4 cores);
 * J4 (u1, 1 core) at 3 starts (4 cores), ends at 50; J5 (u1, 1 core) at 4: held.
 * At 50 J4 ends: 1 core of room: J2 and J3 still do not pass, J5 does and starts at 50.
 * At 100 J1 ends: 3 cores of room: J2 starts (3 of 4 cores used); J3 waits for J2's end at 200.
 * J6 (u2, 4 cores) at 5: another user's limit, starts at once. */
static void test_held_later_job(void **state) {
  (void)state;
  const held_job_t jobs[] = {{0, 100, 3, "u1", 0, JZ_HOLD_NONE},
                             {1, 100, 2, "u1", 100, JZ_HOLD_CORES_USER},
                             {2, 100, 2, "u1", 200, JZ_HOLD_CORES_USER},
                             {3, 47, 1, "u1", 3, JZ_HOLD_NONE},
                             {4, 450, 1, "u1", 50, JZ_HOLD_CORES_USER},
                             {5, 10, 4, "u2", 5, JZ_HOLD_NONE}};
  held_case(jobs, 6, NULL, NULL);
}

/* A job end does not make walks revisit the held jobs its limit still holds (held trees,
 * sched.h): revisiting one would re-record why it is held. */
static int watch_held(void *ctx, const jz_sched_t *s) {
  held_watch_t *w = ctx;
  const jz_jobrun_t *r = &s->run[jz_test_find(w->t, 4)];
  if (s->now == 50) { /* J3 ended: J4 still cannot pass (cores) */
    assert_true(r->hidden);
    assert_int_equal(r->hold, JZ_HOLD_JOBS_USER); /* not re-checked (it would say cores) */
    w->seen++;
  }
  return 0;
}

/* J1 (u1, 2 cores, 0-100), J2 (u1, 1 core, 0-100) and J3 (u1, 1 core, 0-50) start at 0: 3
 * jobs, 4 cores. J4 (u1, 2 cores) at 1: held by the job count. At 50 J3 ends: 2 jobs and 3
 * cores; J4 passes the job count but not the cores (3 + 2 > 4): it stays hidden and is not
 * checked again, so its current reason is still the job count (a revisit would have recorded
 * the cores). At 100 J1 and J2 end: J4 starts. */
static void test_held_not_revisited(void **state) {
  (void)state;
  const held_job_t jobs[] = {{0, 100, 2, "u1", 0, JZ_HOLD_NONE},
                             {0, 100, 1, "u1", 0, JZ_HOLD_NONE},
                             {0, 50, 1, "u1", 0, JZ_HOLD_NONE},
                             {1, 10, 2, "u1", 100, JZ_HOLD_JOBS_USER}};
  held_watch_t w;
  held_case(jobs, 4, &w, watch_held);
}

/* --workload options fill what the trace lacks instead of the defaults, and say so. */
static void test_workload_overrides(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues1.yaml");
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_error_t err = {0};
  assert_int_equal(jz_experiment_add_workload(&e, "p=w.csv:account=proj,user=ann,queue=long,walltime=2h", &err), 0);
  jz_workload_spec_t *w = &e.workloads[0];
  assert_string_equal(w->partition, "p");
  assert_string_equal(w->path, "w.csv");
  assert_string_equal(w->account, "proj");
  jz_assert_double_eq(w->walltime, 7200);
  w->format_used = "test";
  snprintf(w->name, sizeof w->name, "w");
  assert_int_equal(jz_experiment_add_workload(&e, "w.csv:color=red", &err), -JZ_EINVAL);
  assert_string_equal(err.msg, "--workload 'w.csv:color=red': unknown option 'color' (options: scale, "
                               "offset, format, account, user, queue, walltime, profile, recorded_on, split, "
                               "efficiency, tier, precision, resample, seed)");
  e.n_workloads = 1;
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_test_job(&t, 0, 60, 0, 1); /* short enough for `short`, but the option names `long` */
  jz_mapping_t m;
  assert_int_equal(jz_experiment_map(&e, p, &t, &m, &err), 0);
  assert_string_equal(jz_strtab_get(&t.strings, t.jobs[0].account), "proj");
  assert_string_equal(jz_strtab_get(&t.strings, t.jobs[0].user), "ann");
  jz_assert_double_eq(t.jobs[0].walltime, 7200);
  assert_int_equal(m.plans[0].key, 1); /* long */
  assert_int_equal(m.n_notes, 4);
  jz_mapping_free(&m);
  jz_job_table_free(&t);
  jz_workload_spec_free(&e.workloads[1]);
  e.n_workloads = 1;
  jz_experiment_free(&e);
  jz_platform_free(p);
}

/* Option values of any length are kept whole: they were cut at 255 bytes, silently, which
 * made a 300-character account another account and "2.000...0x" (bad) a valid scale of 2. */
static void test_workload_option_length(void **state) {
  (void)state;
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_error_t err = {0};
  char spec[700], acc[301], scale[301];
  memset(acc, 'a', 300);
  acc[300] = '\0';
  scale[0] = '2';
  scale[1] = '.';
  memset(scale + 2, '0', 297);
  scale[299] = 'x';
  scale[300] = '\0';
  snprintf(spec, sizeof spec, "w.csv:account=%s", acc);
  assert_int_equal(jz_experiment_add_workload(&e, spec, &err), 0);
  assert_int_equal(strlen(e.workloads[0].account), 300);
  snprintf(spec, sizeof spec, "w.csv:scale=%s", scale);
  assert_int_equal(jz_experiment_add_workload(&e, spec, &err), -JZ_EINVAL);
  /* The message quotes the whole spec and value: cut at the message's 512 bytes. */
  assert_non_null(strstr(err.msg, ": scale '2.000"));
  jz_experiment_free(&e);
}

static const char *alloc_of(const jz_test_sim_t *sim, uint32_t i) {
  return sim->s.text + sim->s.run[i].alloc_text;
}

/* A queue's node limit holds on the allocation (issue 7, item 2). queues5.yaml: three 4-core
 * nodes, queue `nl` of at most 2 nodes per job. Runs equal requested times.
 * Case A (the issue's): J1 (2 cores, 100 s) node 0; J2 (6 cores, 10 s) takes node 0's other 2
 *   cores and node 1; J3 (2 cores, 200 s) node 2. At 10 J2 ends: 2 + 4 + 2 cores free. J4
 *   (8 cores, 50 s, at 5) would spread over 3 nodes: it waits until two nodes hold 8 cores, at
 *   100 (J1 ends: 4 + 4 + 2), and runs on nodes 0-1, 100-150. (Before the fix: 10, on 0-2.)
 * Case B: K1 (2 cores, 1000 s) node 0; K2 and K3 (4 cores, 10 s each) take 2 + 2 on nodes 0-1
 *   and 2 + 2 on nodes 1-2. At 10 they end: 2 + 4 + 4 free. K4 (8 cores, 50 s, at 5): the
 *   lowest-numbered placement 2 + 4 + 2 spans 3 nodes; the fewest nodes are 1 and 2: K4 runs
 *   there, 10-60. (Before the fix: on 0-2.) */
static void test_node_limit(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("queues5.yaml");
  const char *pol[] = {"fcfs", "easy"};
  for (int k = 0; k < 2; k++) {
    jz_job_table_t t;
    jz_job_table_init(&t);
    job(&t, 0, 100, 100, 2, "u");
    job(&t, 0, 10, 10, 6, "u");
    job(&t, 0, 200, 200, 2, "u");
    job(&t, 5, 50, 50, 8, "u");
    jz_test_sim_t sim;
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    uint32_t j2 = jz_test_find(&t, 2), j4 = jz_test_find(&t, 4);
    assert_string_equal(alloc_of(&sim, j2), "0-1");
    jz_assert_double_eq(sim.s.run[j4].start, 100);
    assert_string_equal(alloc_of(&sim, j4), "0-1");
    assert_int_equal(sim.s.run[j4].nodes, 2);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);

    jz_job_table_init(&t);
    job(&t, 0, 1000, 1000, 2, "u");
    job(&t, 0, 10, 10, 4, "u");
    job(&t, 0, 10, 10, 4, "u");
    job(&t, 5, 50, 50, 8, "u");
    jz_test_simulate_mapped(&sim, p, &t, pol[k], false, NULL, NULL);
    assert_int_equal(sim.rc, 0);
    uint32_t k3 = jz_test_find(&t, 3), k4 = jz_test_find(&t, 4);
    assert_string_equal(alloc_of(&sim, k3), "1-2");
    jz_assert_double_eq(sim.s.run[k4].start, 10);
    assert_string_equal(alloc_of(&sim, k4), "1-2");
    assert_int_equal(sim.s.run[k4].nodes, 2);
    jz_test_sim_free(&sim);
    jz_job_table_free(&t);
  }
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_routing_limits),
      cmocka_unit_test(test_priority),
      cmocka_unit_test(test_chain),
      cmocka_unit_test(test_chain_ids_outcomes),
      cmocka_unit_test(test_chain_restart_cost),
      cmocka_unit_test(test_hidden_partition),
      cmocka_unit_test(test_held_later_job),
      cmocka_unit_test(test_held_not_revisited),
      cmocka_unit_test(test_workload_overrides),
      cmocka_unit_test(test_workload_option_length),
      cmocka_unit_test(test_node_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
