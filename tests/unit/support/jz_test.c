/* jz_test.c: test builders (see jz_test.h). */
#include "jz_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sched/policy.h"

void jz__assert_double_eq(double a, double b, const char *expr, const char *file, int line) {
  if (a == b) return;
  print_error("%s:%d: %s = %.17g, expected %.17g\n", file, line, expr, a, b);
  fail();
}

void jz_test_rmtree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char p[1024];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
      jz_test_rmtree(p);
    else
      unlink(p);
  }
  closedir(d);
  rmdir(dir);
}

jz_platform_t *jz_test_platform(int nparts, const int *nodes, const int *cores) {
  jz_platform_t *p = calloc(1, sizeof *p);
  assert_non_null(p);
  p->name = strdup("test");
  p->n_node_types = nparts;
  p->node_types = calloc((size_t)nparts, sizeof *p->node_types);
  p->n_fabrics = 1;
  p->fabrics = calloc(1, sizeof *p->fabrics);
  p->fabrics[0].name = strdup("net");
  p->fabrics[0].bandwidth = 1.25e9;
  p->fabrics[0].latency = 1e-6;
  p->n_partitions = nparts;
  p->partitions = calloc((size_t)nparts, sizeof *p->partitions);
  int first = 0;
  for (int i = 0; i < nparts; i++) {
    char name[32];
    snprintf(name, sizeof name, "t%d", i);
    p->node_types[i].name = strdup(name);
    p->node_types[i].cores = cores[i];
    p->node_types[i].core_speed = 1e9;
    snprintf(name, sizeof name, "p%d", i);
    p->partitions[i].name = strdup(name);
    p->partitions[i].node_type = i;
    p->partitions[i].nodes = nodes[i];
    p->partitions[i].links_per_node = 1;
    p->partitions[i].first_node = first;
    first += nodes[i];
  }
  return p;
}

void jz_test_platform_free(jz_platform_t *p) {
  if (!p) return;
  for (int i = 0; i < p->n_partitions; i++) {
    free(p->node_types[i].name);
    free(p->partitions[i].name);
  }
  free(p->fabrics[0].name);
  free(p->fabrics);
  free(p->node_types);
  free(p->partitions);
  free(p->name);
  free(p);
}

jz_job_t *jz_test_job(jz_job_table_t *t, double submit, double runtime, double walltime, int procs) {
  jz_job_t *j = jz_job_table_push(t);
  assert_non_null(j);
  j->trace_id = (int64_t)t->n;
  j->submit = submit;
  j->runtime = runtime;
  j->walltime = walltime;
  j->procs = procs;
  j->status = 1;
  j->partition = 0;
  j->line = (uint32_t)t->n;
  return j;
}

void jz_test_simulate(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                      const char *policy) {
  jz_test_simulate_order(sim, p, t, policy, JZ_ORDER_SUBMIT);
}

void jz_test_simulate_order(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                            const char *policy, jz_order_t order) {
  memset(sim, 0, sizeof *sim);
  assert_int_equal(jz_job_table_sort(t), 0);
  assert_int_equal(jz_sched_init(&sim->s, p, t->jobs, (uint32_t)t->n, true), 0);
  assert_int_equal(jz_sched_set_order(&sim->s, order), 0);
  for (uint32_t i = 0; i < t->n; i++) {
    jz_request_t rq = {.cores = t->jobs[i].procs, .nodes = 0};
    if (t->jobs[i].flags & JZ_JOB_EXCLUSIVE) {
      rq.nodes = t->jobs[i].nodes;
      rq.cores = 0;
    }
    jz_sched_set_request(&sim->s, i, rq);
  }
  const jz_policy_t *pol = jz_policy_find(policy);
  assert_non_null(pol);
  jz_error_t err = {0};
  jz_engine_opts_t o = {.progress = false};
  sim->rc = jz_engine_loop(&sim->s, pol, &o, &sim->st, &err);
  if (sim->rc) print_error("engine: %s\n", err.msg);
}

void jz_test_sim_free(jz_test_sim_t *sim) {
  jz_sched_free(&sim->s);
  jz_mapping_free(&sim->m);
  jz_experiment_free(&sim->e);
}

jz_platform_t *jz_test_load_platform(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/good/%s", JZ_TEST_DATA, name);
  jz_platform_t *p = NULL;
  jz_error_t err = {0};
  if (jz_platform_load(path, &p, &err)) print_error("%s\n", err.msg);
  assert_non_null(p);
  return p;
}

static void simulate_mapped(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                            const char *policy, bool split, double restart_cost,
                            int (*on_instant)(void *, const jz_sched_t *), void *ctx) {
  memset(sim, 0, sizeof *sim);
  jz_experiment_init(&sim->e);
  sim->e.split_long_jobs = split;
  sim->e.restart_cost = restart_cost;
  assert_int_equal(jz_experiment_add_workload(&sim->e, "w.csv", NULL), 0);
  sim->e.workloads[0].format_used = "test";
  snprintf(sim->e.workloads[0].name, sizeof sim->e.workloads[0].name, "w");
  assert_int_equal(jz_job_table_sort(t), 0);
  jz_error_t err = {0};
  int rc = jz_experiment_map(&sim->e, p, t, &sim->m, &err);
  if (rc) print_error("map: %s\n", err.msg);
  assert_int_equal(rc, 0);
  assert_int_equal(jz_sched_init(&sim->s, p, t->jobs, (uint32_t)t->n, true), 0);
  jz_mapping_apply(&sim->m, &sim->s);
  const jz_policy_t *pol = jz_policy_find(policy);
  assert_non_null(pol);
  jz_engine_opts_t o = {.progress = false, .on_instant = on_instant, .ctx = ctx};
  sim->rc = jz_engine_loop(&sim->s, pol, &o, &sim->st, &err);
  if (sim->rc) print_error("engine: %s\n", err.msg);
}

void jz_test_simulate_mapped(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                             const char *policy, bool split,
                             int (*on_instant)(void *, const jz_sched_t *), void *ctx) {
  simulate_mapped(sim, p, t, policy, split, 0, on_instant, ctx);
}

void jz_test_simulate_chains(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                             const char *policy, double restart_cost) {
  simulate_mapped(sim, p, t, policy, true, restart_cost, NULL, NULL);
}

int32_t jz_test_str(jz_job_table_t *t, const char *s) {
  int32_t id = jz_strtab_intern(&t->strings, s, strlen(s));
  assert_true(id >= 0);
  return id;
}

uint32_t jz_test_find(const jz_job_table_t *t, int64_t id) {
  for (uint32_t i = 0; i < t->n; i++)
    if (t->jobs[i].trace_id == id) return i;
  fail_msg("no job %lld", (long long)id);
  return 0;
}
