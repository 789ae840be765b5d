/* test_plugin.c: the public policy seam (<jzsim/policy.h> over sched/plugin.c): what the view
 * shows at given instants of a hand-computed run, starts on given nodes, and a refused
 * decision that leaves the scheduler untouched. The policy under test is written here against
 * the public header, as a plugin would be. */
#include <string.h>

#include <jzsim/policy.h>

#include "jz_test.h"
#include "sched/plugin.h"
#include "sched/policy.h"

/* One partition p0 of 2 nodes x 4 cores. A (4 cores, runs 100 s, requests 200 s) and B (2 cores,
 * runs 50 s, requests 60 s) at t=0; C (8 cores, runs 10 s) at t=10.
 * t=0: the policy starts B on node 0 by name, then A where jzsim places it: lowest-numbered
 *      nodes first, so the 2 cores left on node 0 and 2 on node 1.
 * t=10: C waits (2 cores free, on node 1); the policy looks at the view, and with `refuse` set
 *      starts C anyway: refused.
 * t=50: B ends: released; t=100: A ends; C starts at 100 (FCFS), ends at 110. */
typedef struct obs {
  bool refuse;
  int passes;
  bool seen10, seen50;
  int refused_rc;
  jzsim_job_t a, b; /* seen waiting at t=0 */
} obs_t;

static obs_t g_obs; /* the test's observation, read by the test functions */

static int obs_schedule(void *state, const jzsim_view_t *v, jzsim_decisions_t *d) {
  obs_t *o = state;
  o->passes++;
  double now = jzsim_now(v);
  jzsim_job_t a = JZSIM_NONE, b = JZSIM_NONE, c = JZSIM_NONE;
  for (jzsim_job_t j = jzsim_first(v, 0); j != JZSIM_NONE; j = jzsim_next(v, j)) {
    jzsim_job_info_t ji;
    jzsim_job(v, j, &ji);
    if (ji.trace_id == 1) a = j;
    if (ji.trace_id == 2) b = j;
    if (ji.trace_id == 3) c = j;
  }
  if (now == 0) {
    assert_int_not_equal(a, JZSIM_NONE);
    assert_int_not_equal(b, JZSIM_NONE);
    assert_true(jzsim_released(v, 0) == false);
    assert_int_equal(jzsim_first_new(v, 0), a); /* both new: the first in queue order */
    assert_int_equal(jzsim_start_on(d, b, (const int32_t[]){0}, 1), 0);
    assert_int_equal(jzsim_start(d, a), 0);
    o->a = a;
    o->b = b;
    /* A decision shows at once. */
    jzsim_job_info_t ji;
    jzsim_job(v, a, &ji);
    assert_int_equal(ji.state, JZSIM_JOB_RUNNING);
    assert_true(ji.start == 0);
    return 0;
  }
  if (now == 10) {
    o->seen10 = true;
    a = o->a;
    b = o->b;
    assert_int_not_equal(c, JZSIM_NONE);
    assert_int_equal(jzsim_first(v, 0), c);
    assert_int_equal(jzsim_next(v, c), JZSIM_NONE);
    assert_false(jzsim_released(v, 0));
    assert_int_equal(jzsim_first_new(v, 0), c);
    jzsim_partition_info_t pi;
    jzsim_partition(v, 0, &pi);
    assert_string_equal(pi.name, "p0");
    assert_int_equal(pi.nodes, 2);
    assert_int_equal(pi.cores_per_node, 4);
    assert_int_equal(pi.free_cores, 2);
    assert_int_equal(pi.free_nodes, 0);
    assert_int_equal(jzsim_node_free_cores(v, 0, 0), 0);
    assert_int_equal(jzsim_node_free_cores(v, 0, 1), 2);
    assert_int_equal(jzsim_node_free_cores(v, 0, 2), -1); /* no such node */
    assert_int_equal(jzsim_n_pools(v), 1);
    jzsim_pool_info_t po;
    jzsim_pool(v, 0, &po);
    assert_int_equal(po.waiting, 1);
    assert_true(po.open && !po.reservation);
    jzsim_job_info_t ji;
    jzsim_job(v, c, &ji);
    assert_int_equal(ji.cores, 8);
    assert_true(ji.submit == 10 && ji.requested == 10 && ji.start == -1);
    assert_int_equal(ji.state, JZSIM_JOB_WAITING);
    assert_false(jzsim_fits(v, c));
    assert_false(jzsim_would_hold(v, c));
    /* Running: A and B, with their nodes. */
    assert_int_equal(jzsim_n_running(v, 0), 2);
    bool got_a = false, got_b = false;
    for (uint32_t i = 0; i < 2; i++) {
      jzsim_job_t r = jzsim_running(v, 0, i);
      jzsim_node_use_t u[4];
      uint32_t n = jzsim_job_nodes(v, r, u, 4);
      jzsim_job(v, r, &ji);
      if (r == a) {
        got_a = true;
        assert_true(ji.start + ji.requested == 200); /* its requested end */
        assert_int_equal(n, 2);
        assert_int_equal(u[0].node, 0);
        assert_int_equal(u[0].cores, 2);
        assert_int_equal(u[1].node, 1);
        assert_int_equal(u[1].cores, 2);
      } else {
        got_b = r == b;
        assert_int_equal(n, 1);
        assert_int_equal(u[0].node, 0);
        assert_int_equal(u[0].cores, 2);
      }
    }
    assert_true(got_a && got_b);
    assert_int_equal(jzsim_running(v, 0, 2), JZSIM_NONE);
    if (o->refuse) {
      o->refused_rc = jzsim_start(d, c);
      /* Every later decision of the pass is refused too. */
      assert_int_equal(jzsim_start_on(d, c, (const int32_t[]){1}, 1), JZSIM_EREFUSED);
      return 0; /* ignoring the refusal does not make the pass succeed */
    }
    return 0;
  }
  if (now == 50) {
    o->seen50 = true;
    assert_true(jzsim_released(v, 0));
    assert_int_equal(jzsim_first_new(v, 0), JZSIM_NONE);
  }
  if (c != JZSIM_NONE && jzsim_fits(v, c) && !jzsim_held(d, c)) return jzsim_start(d, c);
  return 0;
}

static int obs_init(void **state, const jzsim_view_t *v, const jzsim_param_t *p, size_t n, char *err,
                    size_t len) {
  (void)v, (void)p, (void)n, (void)err, (void)len;
  *state = &g_obs;
  return 0;
}

static const jzsim_policy_t obs_ops = {JZSIM_POLICY_ABI_VERSION, sizeof(jzsim_policy_t), "observer", "",
                                       obs_init, obs_schedule, NULL};

static void run(jz_test_sim_t *sim, jz_job_table_t *t, jz_platform_t **p, jz_error_t *err) {
  int nodes[] = {2}, cores[] = {4};
  *p = jz_test_platform(1, nodes, cores);
  jz_job_table_init(t);
  jz_test_job(t, 0, 100, 200, 4);
  jz_test_job(t, 0, 50, 60, 2);
  jz_test_job(t, 10, 10, 10, 8);
  memset(sim, 0, sizeof *sim);
  assert_int_equal(jz_job_table_sort(t), 0);
  assert_int_equal(jz_sched_init(&sim->s, *p, t->jobs, (uint32_t)t->n, true), 0);
  for (uint32_t i = 0; i < t->n; i++) jz_sched_set_request(&sim->s, i, (jz_request_t){.cores = t->jobs[i].procs});
  jz_seam_t seam = {&obs_ops, "policy 'observer'", NULL, 0};
  jz_policy_t pol = jz_seam_policy("observer", "", &seam);
  jz_engine_opts_t o = {.progress = false};
  sim->rc = jz_engine_loop(&sim->s, &pol, &o, &sim->st, err);
}

static void test_view(void **state) {
  (void)state;
  g_obs = (obs_t){0};
  jz_test_sim_t sim;
  jz_job_table_t t;
  jz_platform_t *p;
  jz_error_t err = {0};
  run(&sim, &t, &p, &err);
  assert_int_equal(sim.rc, 0);
  assert_true(g_obs.seen10 && g_obs.seen50);
  double start[] = {0, 0, 100};
  for (int i = 0; i < 3; i++) jz_assert_double_eq(sim.s.run[i].start, start[i]);
  assert_string_equal(sim.s.text + sim.s.run[0].alloc_text, "0-1");
  assert_string_equal(sim.s.text + sim.s.run[1].alloc_text, "0");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* C does not fit at t=10: the start is refused with one line naming the policy, the job and
 * the time, nothing changed (C still waits, 2 cores still free), and the run stops. */
static void test_refused(void **state) {
  (void)state;
  g_obs = (obs_t){.refuse = true};
  jz_test_sim_t sim;
  jz_job_table_t t;
  jz_platform_t *p;
  jz_error_t err = {0};
  run(&sim, &t, &p, &err);
  assert_int_equal(g_obs.refused_rc, JZSIM_EREFUSED);
  assert_int_equal(sim.rc, -JZ_EINVAL);
  assert_string_equal(err.msg, "policy 'observer': job 3 at t=10: cannot start: does not fit: asks 8 cores and 0 GPUs, "
                               "2 cores and 0 GPUs free in its partition");
  assert_int_equal(sim.s.run[2].state, JZ_STATE_WAITING);
  assert_int_equal(sim.s.res.parts[0].free_total, 2);
  assert_int_equal(sim.s.running, 2);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_test_platform_free(p);
}

/* The built-in fcfs runs through the adapter: `jzsim help run` shows its table's summary. */
extern const jzsim_policy_t jz__fcfs_ops;
static void test_builtin_fcfs(void **state) {
  (void)state;
  const jz_policy_t *p = jz_policy_find("fcfs");
  assert_non_null(p);
  assert_non_null(p->init_ctx);
  assert_string_equal(p->summary, jz__fcfs_ops.summary);
  assert_string_equal(p->name, jz__fcfs_ops.name);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_fcfs),
      cmocka_unit_test(test_view),
      cmocka_unit_test(test_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
