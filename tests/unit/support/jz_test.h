/* jz_test.h: builders for unit tests: in-memory platforms and job tables, a double
 * comparison that prints both values in full, and a one-call simulation without SimGrid. */
#ifndef JZ_TEST_H
#define JZ_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "experiment.h"
#include "job.h"
#include "platform.h"
#include "sched/engine.h"
#include "sched/sched.h"

/* cmocka 1.1.5's assert_float_equal compares as float: simulated times need doubles. */
#define jz_assert_double_eq(a, b) jz__assert_double_eq((a), (b), #a, __FILE__, __LINE__)
void jz__assert_double_eq(double a, double b, const char *expr, const char *file, int line);

/* Remove a directory and everything below it (test fixtures' temporary directories). */
void jz_test_rmtree(const char *dir);

/* A platform built in memory: partitions of `nodes[i]` nodes with `cores[i]` cores each. */
jz_platform_t *jz_test_platform(int nparts, const int *nodes, const int *cores);
void jz_test_platform_free(jz_platform_t *p);

/* Append a job (trace id = its position + 1, partition 0, status 1). */
jz_job_t *jz_test_job(jz_job_table_t *t, double submit, double runtime, double walltime, int procs);

/* A finished simulation of table t (already sorted) on p under the named policy. */
typedef struct jz_test_sim {
  jz_sched_t s;
  jz_engine_stats_t st;
  jz_mapping_t m;
  jz_experiment_t e;
  int rc;
} jz_test_sim_t;

void jz_test_simulate(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                      const char *policy);
/* The same under a queue order (order.h). */
void jz_test_simulate_order(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                            const char *policy, jz_order_t order);
void jz_test_sim_free(jz_test_sim_t *sim);

/* The whole pipeline on a platform file: sort, map (routing, defaults, chains with `split`),
 * then simulate; jobs go on the partitions their `partition` field names. The on_instant hook
 * (may be NULL) sees every instant. */
jz_platform_t *jz_test_load_platform(const char *name); /* from tests/data/good */
void jz_test_simulate_mapped(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                             const char *policy, bool split,
                             int (*on_instant)(void *, const jz_sched_t *), void *ctx);
/* The same with --split-long-jobs and options.restart_cost = restart_cost seconds. */
void jz_test_simulate_chains(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                             const char *policy, double restart_cost);
/* Intern a string in t (user, account, queue names). */
int32_t jz_test_str(jz_job_table_t *t, const char *s);
/* Index of the first job whose trace id is `id`. */
uint32_t jz_test_find(const jz_job_table_t *t, int64_t id);

#endif
