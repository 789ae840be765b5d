/* jz_test.h: builders for unit tests: in-memory platforms and job tables, a double
 * comparison that prints both values in full, and a one-call simulation without SimGrid. */
#ifndef JZ_TEST_H
#define JZ_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "job.h"
#include "platform.h"
#include "sched/engine.h"
#include "sched/sched.h"

/* cmocka 1.1.5's assert_float_equal compares as float: simulated times need doubles. */
#define jz_assert_double_eq(a, b) jz__assert_double_eq((a), (b), #a, __FILE__, __LINE__)
void jz__assert_double_eq(double a, double b, const char *expr, const char *file, int line);

/* A platform built in memory: partitions of `nodes[i]` nodes with `cores[i]` cores each. */
jz_platform_t *jz_test_platform(int nparts, const int *nodes, const int *cores);
void jz_test_platform_free(jz_platform_t *p);

/* Append a job (trace id = its position + 1, partition 0, status 1). */
jz_job_t *jz_test_job(jz_job_table_t *t, double submit, double runtime, double walltime, int procs);

/* A finished simulation of table t (already sorted) on p under the named policy. */
typedef struct jz_test_sim {
  jz_sched_t s;
  jz_engine_stats_t st;
  int rc;
} jz_test_sim_t;

void jz_test_simulate(jz_test_sim_t *sim, const jz_platform_t *p, jz_job_table_t *t,
                      const char *policy);
void jz_test_sim_free(jz_test_sim_t *sim);

#endif
