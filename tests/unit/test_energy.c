/* test_energy.c: the node power model and its split among jobs (metrics/energy.h), on
 * hand-computed cases, and its agreement with SimGrid's host energy plugin. SimGrid can be
 * initialised once per process, so exactly one test runs it. */
#include "jz_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/plugins/energy.h>

#include "metrics/energy.h"
#include "metrics/report.h"
#include "metrics/stats.h"
#include "simgrid_xml.h"

static void assert_rel(double got, double want, double tol, const char *what) {
  if (!(fabs(got - want) <= tol * fabs(want)))
    fail_msg("%s: got %.17g, want %.17g (relative tolerance %g)", what, got, want, tol);
}

/* energy2.yaml: node type c8 (8 cores, 100 W idle, 400 W full), g4 (4 GPUs, 8 cores, 200 W
 * idle, 1000 W full). */
static void test_node_hour(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("energy2.yaml");
  const jz_node_type_t *c8 = &p->node_types[0], *g4 = &p->node_types[1];
  /* A fully idle node for an hour: 100 W x 3600 s = 0.36 MJ; fully busy: 400 W x 3600 s. */
  jz_assert_double_eq(jz_energy_idle(c8, 3600), 360000);
  jz_assert_double_eq(jz_energy_job(c8, 8, 0, 3600), 1440000);
  /* A job on half the cores: half the node's 400 W (dynamic 150 W + idle 50 W) = 720 kJ; the
   * other half idles at 50 W = 180 kJ; the node model gives 100 + 300 x 1/2 = 250 W = 900 kJ. */
  jz_assert_double_eq(jz_energy_share(c8, 4, 0), 0.5);
  jz_assert_double_eq(jz_energy_job(c8, 4, 0, 3600), 720000);
  jz_assert_double_eq(jz_energy_job(c8, 4, 0, 3600) + jz_energy_idle(c8, 0.5 * 3600), 900000);
  /* Two whole nodes for half an hour: 2 x 400 W x 1800 s. */
  jz_assert_double_eq(jz_energy_job(c8, 16, 0, 1800), 1440000);
  /* GPU nodes are shared by GPUs: 1 GPU of 4 (with 2 of 8 cores) is a quarter of 1000 W;
   * cores without a GPU are no share of a GPU node. */
  jz_assert_double_eq(jz_energy_job(g4, 2, 1, 3600), 900000);
  jz_assert_double_eq(jz_energy_job(g4, 8, 0, 3600), 0);
  jz_platform_free(p);
  /* No power model: no energy. */
  p = jz_test_load_platform("tiny.yaml");
  jz_assert_double_eq(jz_energy_job(&p->node_types[0], 4, 0, 10), -1);
  jz_assert_double_eq(jz_energy_idle(&p->node_types[0], 10), -1);
  jz_platform_free(p);
}

/* The last field of each data row of jobs.csv, in row order. */
static void csv_energies(const char *csv, double *out, int n) {
  const char *line = strchr(csv, '\n');
  assert_non_null(line);
  assert_true(strncmp(line - 14, ",energy_joules", 14) == 0); /* the header ends with it */
  for (int i = 0; i < n; i++) {
    const char *end = strchr(line + 1, '\n');
    assert_non_null(end);
    const char *comma = end;
    while (comma[-1] != ',') comma--;
    out[i] = comma == end ? -1 : strtod(comma, NULL);
    line = end;
  }
}

/* energy2.yaml under FCFS, all jobs submitted at 0:
 *   A  cpu, 4 cores, 3600 s        -> node cpu-0 (half)   400 x 0.5 x 3600  =   720,000 J
 *   B  cpu, 1 core exclusive, 1800 s -> node cpu-1 whole  400 x 1   x 1800  =   720,000 J
 *   C  gpu, 1 GPU, 3600 s          -> node gpu-0          1000 x 0.25 x 3600 =  900,000 J
 *   D  gpu, 2 cores no GPU, 3600 s -> node gpu-0          no GPU share      =         0 J
 * Span 3600 s. cpu: B = (4 x 3600 + 8 x 1800) / 8 = 3600 busy node-seconds;
 *   total 2 x 100 x 3600 + 300 x 3600 = 1,800,000; busy 1,440,000; idle 100 x (7200 - 3600)
 *   = 360,000. gpu: B = 3600 / 4 = 900; total 200 x 3600 + 800 x 900 = 1,440,000; busy
 *   900,000; idle 200 x (3600 - 900) = 540,000. All: 3,240,000 J = 0.0009 MWh, of which a
 *   quarter, 810,000 J, is reused as heat. */
static void test_split(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("energy2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_job_t *a = jz_test_job(&t, 0, 3600, 3600, 4);
  jz_job_t *b = jz_test_job(&t, 0, 1800, 1800, 1);
  b->flags = JZ_JOB_EXCLUSIVE;
  jz_job_t *c = jz_test_job(&t, 0, 3600, 3600, 1);
  c->gpus = 1;
  c->partition = 1;
  jz_job_t *d = jz_test_job(&t, 0, 3600, 3600, 2);
  d->partition = 1;
  (void)a;
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  for (int i = 0; i < 4; i++) jz_assert_double_eq(sim.s.run[i].start, 0);
  assert_int_equal(sim.s.run[1].cores, 8); /* exclusive: the whole node */

  jz_summary_t sm;
  assert_int_equal(jz_summary_compute(&sim.s, &sm), 0);
  jz_assert_double_eq(sm.parts[0].energy, 1800000);
  jz_assert_double_eq(sm.parts[0].energy_busy, 1440000);
  jz_assert_double_eq(sm.parts[0].energy_idle, 360000);
  jz_assert_double_eq(sm.parts[1].energy, 1440000);
  jz_assert_double_eq(sm.parts[1].energy_busy, 900000);
  jz_assert_double_eq(sm.parts[1].energy_idle, 540000);
  jz_assert_double_eq(sm.energy, 3240000);
  jz_assert_double_eq(sm.energy_busy, 2340000);
  jz_assert_double_eq(sm.energy_idle, 900000);
  jz_assert_double_eq(sm.heat_reused, 810000);

  /* jobs.csv: the last column, and the identity sum(jobs) + idle = total. */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  jz_run_desc_t desc = {.e = &sim.e, .m = &sim.m, .platform_name = "energy2", .policy = "fcfs"};
  assert_int_equal(jz_report_jobs_csv(f, &sim.s, &t, &desc), 0);
  fclose(f);
  double e[4];
  csv_energies(buf, e, 4);
  free(buf);
  const double want[4] = {720000, 720000, 900000, 0};
  for (int i = 0; i < 4; i++) jz_assert_double_eq(e[i], want[i]);
  jz_assert_double_eq(e[0] + e[1] + e[2] + e[3] + sm.energy_idle, sm.energy);

  /* summary.json, in MWh: 3,240,000 J = 0.0009 MWh, etc. (each a correctly rounded quotient
   * printed in its shortest round-trip form). The test harness leaves the workload's
   * partition unset: the summary names it. */
  sim.e.workloads[0].part = 0;
  jz_file_id_t none = {.rc = -1};
  desc.platform_id = &none;
  desc.workload_ids = &none;
  buf = NULL;
  f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(jz_report_summary_json(f, &sim.s, &t, &desc, &sm, &sim.st), 0);
  fclose(f);
  static const char *const json[] = {
      "\n  \"energy_joules\": 3240000,\n  \"energy_mwh\": 0.0009,\n  \"energy_busy_mwh\": 0.00065,\n"
      "  \"energy_idle_mwh\": 0.00025,\n  \"heat_reuse_fraction\": 0.25,\n  \"heat_reused_mwh\": 0.000225,\n",
      "\n      \"energy_joules\": 1800000,\n      \"energy_mwh\": 0.0005,\n      \"energy_busy_mwh\": 0.0004,\n"
      "      \"energy_idle_mwh\": 0.0001\n",
      "\n      \"energy_joules\": 1440000,\n      \"energy_mwh\": 0.0004,\n      \"energy_busy_mwh\": 0.00025,\n"
      "      \"energy_idle_mwh\": 0.00015\n",
  };
  for (size_t k = 0; k < sizeof json / sizeof *json; k++)
    if (!strstr(buf, json[k])) fail_msg("summary.json lacks:%s\nin:\n%s", json[k], buf);
  free(buf);

  /* The printed summary, in MWh. */
  buf = NULL;
  f = open_memstream(&buf, &len);
  assert_non_null(f);
  jz_report_print(f, &sim.s, &t, &desc, &sm);
  fclose(f);
  if (!strstr(buf, "  all partitions               0.0 MWh busy (jobs' shares),       0.0 MWh idle\n") ||
      !strstr(buf, "  heat reused                  0.0 MWh recovered for heating (heat_reuse fraction 0.25)\n"))
    fail_msg("printed summary:\n%s", buf);
  free(buf);

  jz_summary_free(&sm);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* One job submitted at 0 on the first partition of a tests/data/good platform, under FCFS. */
typedef struct one_run {
  jz_platform_t *p;
  jz_job_table_t t;
  jz_test_sim_t sim;
  jz_summary_t sm;
} one_run_t;

static void one_job(one_run_t *o, const char *platform, double runtime, int procs) {
  o->p = jz_test_load_platform(platform);
  jz_job_table_init(&o->t);
  jz_test_job(&o->t, 0, runtime, runtime, procs);
  jz_test_simulate_mapped(&o->sim, o->p, &o->t, "fcfs", false, NULL, NULL);
  assert_int_equal(o->sim.rc, 0);
  assert_int_equal(jz_summary_compute(&o->sim.s, &o->sm), 0);
}

static void one_job_free(one_run_t *o) {
  jz_summary_free(&o->sm);
  jz_test_sim_free(&o->sim);
  jz_job_table_free(&o->t);
  jz_platform_free(o->p);
}

/* A platform without heat_reuse reuses nothing; without a power model there is no energy. */
static void test_no_heat_reuse(void **state) {
  (void)state;
  one_run_t o;
  one_job(&o, "power1.yaml", 100, 4);
  assert_false(o.p->has_heat_reuse);
  /* 2 nodes x 100 W x 100 s + 200 W x 100 s x 4/4 = 40,000 J; busy 300 W x 100 s. */
  jz_assert_double_eq(o.sm.energy, 40000);
  jz_assert_double_eq(o.sm.energy_busy, 30000);
  jz_assert_double_eq(o.sm.energy_idle, 10000);
  jz_assert_double_eq(o.sm.heat_reused, -1);
  one_job_free(&o);

  one_job(&o, "tiny.yaml", 100, 4);
  jz_assert_double_eq(o.sm.energy, -1);
  jz_assert_double_eq(o.sm.energy_busy, -1);
  jz_assert_double_eq(o.sm.parts[0].energy_idle, -1);
  one_job_free(&o);
}

/* A machine busy all along has no idle energy, even when its busy node-seconds round above
 * nodes x span: power3.yaml, one job on all 6 cores for 0.1 s: core-seconds 6 x 0.1 =
 * 0.6000000000000001, / 3 = 0.20000000000000004 > 2 x 0.1. Idle is 0, not a tiny negative
 * (which would print as null and drop out of the run's sum). */
static void test_full_machine_rounding(void **state) {
  (void)state;
  one_run_t o;
  one_job(&o, "power3.yaml", 0.1, 6);
  jz_assert_double_eq(o.sm.span, 0.1);
  jz_assert_double_eq(o.sm.parts[0].energy_idle, 0);
  jz_assert_double_eq(o.sm.energy_idle, 0);
  assert_rel(o.sm.energy_busy, 80, 1e-15, "busy: 2 nodes x 400 W x 0.1 s");
  one_job_free(&o);
}

/* heat_reuse's bounds are accepted: 0 and 1 (the refusals are tests/data/bad/platform_heat_reuse_*). */
static void test_heat_reuse_bounds(void **state) {
  (void)state;
  static const char *const text[] = {"0", "1", "0.5e-1"};
  static const double want[] = {0, 1, 0.05};
  for (int k = 0; k < 3; k++) {
    char path[] = "/tmp/jzsim-test-energy-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "name: h\nnode_types:\n  c: {cores: 1, power: {idle: 1W, max: 2W}}\n"
               "fabrics:\n  n: {bandwidth: 1Gbps, latency: 1us}\n"
               "partitions:\n  p: {node_type: c, nodes: 1, fabric: n}\nheat_reuse: {fraction: %s}\n", text[k]);
    fclose(f);
    jz_platform_t *p = NULL;
    jz_error_t err = {0};
    int rc = jz_platform_load(path, &p, &err);
    unlink(path);
    if (rc) fail_msg("fraction %s: %s", text[k], err.msg);
    assert_true(p->has_heat_reuse);
    jz_assert_double_eq(p->heat_reuse_fraction, want[k]);
    jz_platform_free(p);
  }
}

/* ---- SimGrid's host energy plugin ---------------------------------------------------------- */

#define HOUR 3600.0

typedef struct sg_run {
  int cores;       /* per node */
  double speed;    /* flop/s per core */
  double joules[3]; /* consumed by cpu-0 (all cores busy), cpu-1 (half), cpu-2 (idle) */
  double clock;
} sg_run_t;

/* Keep cpu-0 busy on all its cores and cpu-1 on half of them for an hour (one single-core exec
 * per busy core), leave cpu-2 idle, then read what the plugin metered. */
static void busy_hour(int argc, char **argv) {
  (void)argc;
  (void)argv;
  sg_run_t *r = sg_actor_get_data(sg_actor_self());
  sg_host_t h[3] = {sg_host_by_name("cpu-0"), sg_host_by_name("cpu-1"), sg_host_by_name("cpu-2")};
  int n = r->cores + r->cores / 2;
  sg_exec_t *ex = malloc((size_t)n * sizeof *ex);
  for (int i = 0; i < n; i++) {
    ex[i] = sg_actor_exec_init(r->speed * HOUR);
    sg_exec_set_host(ex[i], i < r->cores ? h[0] : h[1]);
    sg_exec_start(ex[i]);
  }
  for (int i = 0; i < n; i++) sg_exec_wait(ex[i]);
  free(ex);
  r->clock = simgrid_get_clock();
  for (int i = 0; i < 3; i++) r->joules[i] = sg_host_get_consumed_energy(h[i]);
}

static void test_simgrid_plugin_agrees(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("energy-sg.yaml");
  const jz_node_type_t *nt = &p->node_types[0];
  jz_error_t err = {0};
  char *path = NULL;
  if (jz_simgrid_xml_tempfile(p, &path, &err) != 0) fail_msg("%s", err.msg);
  int argc = 1;
  char arg0[] = "test_energy";
  char *argv[] = {arg0, NULL};
  simgrid_init(&argc, argv);
  sg_host_energy_plugin_init();
  simgrid_load_platform(path);
  unlink(path);
  free(path);
  sg_run_t r = {.cores = nt->cores, .speed = nt->core_speed};
  sg_actor_t actor = sg_actor_init("energy", sg_host_by_name(JZ_SIMGRID_CONTROLLER));
  sg_actor_set_data(actor, &r);
  sg_actor_start(actor, busy_hour, 0, NULL);
  simgrid_run();
  jz_assert_double_eq(r.clock, HOUR);

  /* By hand: 450 W x 3600 s; (120 + 330 / 2) W x 3600 s; 120 W x 3600 s. */
  const double hand[3] = {1620000, 1026000, 432000};
  /* jzsim's accounting: the node's jobs' shares plus its unused capacity at idle power. */
  const double ours[3] = {
      jz_energy_job(nt, nt->cores, 0, HOUR),
      jz_energy_job(nt, nt->cores / 2, 0, HOUR) + jz_energy_idle(nt, 0.5 * HOUR),
      jz_energy_idle(nt, HOUR),
  };
  for (int i = 0; i < 3; i++) {
    char what[64];
    snprintf(what, sizeof what, "cpu-%d: SimGrid vs jzsim", i);
    assert_rel(r.joules[i], ours[i], 1e-9, what);
    snprintf(what, sizeof what, "cpu-%d: jzsim vs by hand", i);
    assert_rel(ours[i], hand[i], 1e-12, what);
  }
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_node_hour),
      cmocka_unit_test(test_split),
      cmocka_unit_test(test_no_heat_reuse),
      cmocka_unit_test(test_full_machine_rounding),
      cmocka_unit_test(test_heat_reuse_bounds),
      cmocka_unit_test(test_simgrid_plugin_agrees),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
