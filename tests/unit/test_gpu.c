/* test_gpu.c: GPU jobs on shared and whole nodes, hand-computed (tests/data/good/gpu2.yaml:
 * partition gpu = nodes 0-1, 4 GPUs and 8 cores each, 2 cores per GPU by default; partition
 * cpu = nodes 2-3, 4 cores each). */
#include "jz_test.h"

#include <string.h>

/* Jobs, all submitted at 0 and running 100 s (job 7: 50 s):
 *  1: 1 GPU            -> node 0 (1 GPU, 2 cores)
 *  2: 2 GPUs           -> node 0 (now 3 GPUs, 6 cores used)
 *  3: 2 GPUs           -> node 1 (node 0 has 1 GPU left)
 *  4: 1 GPU            -> node 0 (full: 4 GPUs, 8 cores)
 *  5: 1 GPU, exclusive -> a whole node: none idle, waits for 100
 *  6: 8 GPUs           -> two whole nodes
 *  7: 6 cores on cpu   -> 4 cores of node 2 + 2 of node 3, starts at 0 (its own pool)
 *  8: 1 GPU with 8 cores per GPU -> a node with 8 free cores
 * FCFS: at 100 job 5 takes node 0 whole; 6 blocks until 5 ends (200), runs 200-300; 8 waits
 * behind 6: 300. EASY: at 100 job 6 is the head, shadow 200 (job 5's end), extra 0; job 8 fits
 * on idle node 1 and ends by 200: backfilled at 100. */
static void build(jz_job_table_t *t) {
  jz_job_table_init(t);
  for (int i = 1; i <= 8; i++) {
    jz_job_t *j = jz_test_job(t, 0, i == 7 ? 50 : 100, i == 7 ? 50 : 100, 0);
    static const int gpus[] = {0, 1, 2, 2, 1, 1, 8, 0, 1};
    j->gpus = gpus[i];
    j->procs = gpus[i];
  }
  t->jobs[4].flags = JZ_JOB_EXCLUSIVE;
  t->jobs[6].partition = 1;
  t->jobs[6].procs = 6;
  t->jobs[7].cores_per_gpu = 8;
}

static void check(const jz_test_sim_t *sim, const double *start, const char *const *alloc) {
  assert_int_equal(sim->rc, 0);
  for (int i = 0; i < 8; i++) {
    jz_assert_double_eq(sim->s.run[i].start, start[i]);
    if (alloc[i]) assert_string_equal(sim->s.text + sim->s.run[i].alloc_text, alloc[i]);
  }
}

static void test_fcfs(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("gpu2.yaml");
  jz_job_table_t t;
  build(&t);
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  const double start[] = {0, 0, 0, 0, 100, 200, 0, 300};
  const char *alloc[] = {"0", "0", "1", "0", "0", "0-1", "2-3", "0"};
  check(&sim, start, alloc);
  /* What each job occupies. */
  const int gpus[] = {1, 2, 2, 1, 4, 8, 0, 1}, cores[] = {2, 4, 4, 2, 8, 16, 6, 8};
  for (int i = 0; i < 8; i++) {
    assert_int_equal(sim.s.run[i].gpus, gpus[i]);
    assert_int_equal(sim.s.run[i].cores, cores[i]);
  }
  /* EASY counts GPUs on the GPU partition, cores on the CPU one. */
  assert_int_equal(sim.s.run[5].units, 8);
  assert_int_equal(sim.s.run[6].units, 6);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

static void test_easy(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("gpu2.yaml");
  jz_job_table_t t;
  build(&t);
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, NULL, NULL);
  const double start[] = {0, 0, 0, 0, 100, 200, 0, 100};
  const char *alloc[] = {"0", "0", "1", "0", "0", "0-1", "2-3", "1"};
  check(&sim, start, alloc);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* A request never exceeds a node: 5 GPUs on 4-GPU nodes is two whole nodes; 3 GPUs with
 * 3 cores per GPU (9 > 8 cores) is one whole node. */
static void test_requests(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("gpu2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  jz_job_t *a = jz_test_job(&t, 0, 10, 10, 5);
  a->gpus = 5;
  jz_job_t *b = jz_test_job(&t, 0, 10, 10, 3);
  b->gpus = 3;
  b->cores_per_gpu = 3;
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  assert_int_equal(sim.s.run[0].req.nodes, 2);
  assert_int_equal(sim.s.run[1].req.nodes, 1);
  jz_assert_double_eq(sim.s.run[1].start, 10);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* EASY's reservation is node by node on GPU partitions. A (3 GPUs, 100 s) and B (3 GPUs,
 * 200 s) at 0 take nodes 0 and 1, leaving 1 GPU on each. H (4 GPUs on one node) at 1 is the
 * head: at 100, when A ends, node 0 has its 4 GPUs back: shadow 100. C (1 GPU, 1000 s) at 2
 * fits now on node 0 and a count says 1 GPU is spare at 100 (5 free - 4): but it would take
 * the GPU H needs on node 0, so it is not backfilled. H runs 100-200 on node 0, and C starts at
 * 100 too, on node 1. (Counting alone would start C at 2 and push H to 200.) */
static void test_easy_node_exact(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("gpu2.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  const double submit[] = {0, 0, 1, 2}, run[] = {100, 200, 100, 1000};
  const int gpus[] = {3, 3, 4, 1};
  for (int i = 0; i < 4; i++) {
    jz_job_t *j = jz_test_job(&t, submit[i], run[i], run[i], gpus[i]);
    j->gpus = gpus[i];
  }
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "easy", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  jz_assert_double_eq(sim.s.run[0].start, 0);
  jz_assert_double_eq(sim.s.run[1].start, 0);
  jz_assert_double_eq(sim.s.run[2].start, 100);
  jz_assert_double_eq(sim.s.run[3].start, 100);
  assert_string_equal(sim.s.text + sim.s.run[2].alloc_text, "0");
  assert_string_equal(sim.s.text + sim.s.run[3].alloc_text, "1");
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fcfs),
      cmocka_unit_test(test_easy),
      cmocka_unit_test(test_requests),
      cmocka_unit_test(test_easy_node_exact),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
