/* test_sweep.c: sweep files (axis paths, product and zip expansion, the variant trees), the
 * yamlx writer they rely on, targets, and the day block bootstrap of replicas. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "jz_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "workload/resample.h"
#include "yamlx.h"

static char *emit(const jz_yamlx_node_t *n) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(jz_yamlx_emit(n, f), 0);
  fclose(f);
  return buf;
}

static jz_sweep_t *load(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/sweep/%s", JZ_TEST_DATA, name);
  jz_sweep_t *s = NULL;
  jz_error_t err = {0};
  if (jz_sweep_load(path, &s, &err)) fail_msg("%s", err.msg);
  return s;
}

/* The experiment and platform of variant v, replica r of s, as the files would hold them. */
static void variant_text(const jz_sweep_t *s, size_t v, int r, char **e, char **p) {
  jz_yamlx_node_t *exp, *plat;
  jz_error_t err = {0};
  if (jz_sweep_variant_trees(s, v, r, &exp, &plat, &err)) fail_msg("%s", err.msg);
  *e = emit(exp);
  *p = emit(plat);
  jz_yamlx_node_free(exp);
  jz_yamlx_node_free(plat);
}

/* zip.yaml: groups {nodes, max_walltime} (3 values) and {policy} (2) and {scale} (1), in the
 * order of their first axis: variant v = nodes index * 2 + policy index. */
static void test_zip_product(void **state) {
  (void)state;
  jz_sweep_t *s = load("zip.yaml");
  assert_int_equal(jz_sweep_n_axes(s), 4);
  assert_int_equal(jz_sweep_n_variants(s), 6);
  assert_int_equal(jz_sweep_replicas(s), 2);
  static const size_t nodes[6] = {0, 0, 1, 1, 2, 2}, policy[6] = {0, 1, 0, 1, 0, 1};
  for (size_t v = 0; v < 6; v++) {
    assert_int_equal(jz_sweep_value_index(s, v, 0), nodes[v]);
    assert_int_equal(jz_sweep_value_index(s, v, 1), policy[v]);
    assert_int_equal(jz_sweep_value_index(s, v, 2), nodes[v]); /* zipped with nodes */
    assert_int_equal(jz_sweep_value_index(s, v, 3), 0);
  }
  assert_string_equal(jz_sweep_value_text(s, 2, 1), "2h");
  jz_sweep_free(s);
}

/* nodes.yaml: plain product, the second axis the fastest. */
static void test_product(void **state) {
  (void)state;
  jz_sweep_t *s = load("nodes.yaml");
  assert_int_equal(jz_sweep_n_variants(s), 10);
  assert_int_equal(jz_sweep_value_index(s, 7, 0), 3);
  assert_int_equal(jz_sweep_value_index(s, 7, 1), 1);
  assert_string_equal(jz_sweep_metrics(s)[1], "max_wait");
  assert_string_equal(jz_sweep_target(s), "max_wait <= 0");
  jz_sweep_free(s);
}

/* Variant 3 replica 1 of zip.yaml: nodes 2, easy, 2h, scale 1 (a key the base lacks), the
 * platform file named locally, the trace absolute, resampled with seed 1. */
static void test_variant_trees(void **state) {
  (void)state;
  jz_sweep_t *s = load("zip.yaml");
  char *e, *p;
  variant_text(s, 3, 1, &e, &p);
  char want[4096];
  char *trace = realpath(JZ_TEST_DATA "/sweep/four.swf", NULL);
  snprintf(want, sizeof want,
           "platform: platform.yaml\npolicy: easy\nworkloads:\n  - partition: p\n    file: %s\n"
           "    scale: 1\n    resample: days\n    seed: 1\n",
           trace);
  free(trace);
  assert_string_equal(e, want);
  assert_non_null(strstr(p, "  p:\n    node_type: core1\n    nodes: 2\n    fabric: net\n"));
  assert_non_null(strstr(p, "    max_walltime: 2h\n"));
  free(e);
  free(p);
  jz_sweep_free(s);
}

/* paths.yaml, variant 1: item 0 of workloads by index (its new key scale), item 0 of a list
 * in the platform, a quoted key, and the same workload by name (a new key offset). */
static void test_paths(void **state) {
  (void)state;
  jz_sweep_t *s = load("paths.yaml");
  assert_int_equal(jz_sweep_n_variants(s), 2);
  char *e, *p;
  variant_text(s, 1, 0, &e, &p);
  assert_non_null(strstr(e, "\n    scale: 2.5\n    offset: 1d\n"));
  assert_null(strstr(e, "resample")); /* replica 0: the trace as is */
  assert_non_null(strstr(p, "  p:\n    node_type: core1\n    nodes: 3\n"));
  assert_non_null(strstr(p, "  short:\n    partitions:\n      - p\n    max_walltime: 1h\n"));
  free(e);
  free(p);
  jz_sweep_free(s);
}

/* The writer: plain where safe, quoted otherwise, nulls and empty collections; and reading
 * the text back gives it again. */
static void test_emit(void **state) {
  (void)state;
  static const char in[] =
      "a: {x: 1, \"y z\": 'it''s', n: ~, q: \"null\", e: [], m: {}}\n"
      "l: [1, [2, 3], {k: v, w: -5}, '-', \"#x\", a:b]\n";
  static const char want[] =
      "a:\n  x: 1\n  \"y z\": \"it's\"\n  n: ~\n  q: \"null\"\n  e: []\n  m: {}\n"
      "l:\n  - 1\n  - - 2\n    - 3\n  - k: v\n    w: -5\n  - \"-\"\n  - \"#x\"\n  - \"a:b\"\n";
  jz_yamlx_doc_t *d, *d2;
  jz_error_t err = {0};
  assert_int_equal(jz_yamlx_load_string("t", in, strlen(in), &d, &err), 0);
  char *out = emit(d->root);
  assert_string_equal(out, want);
  assert_int_equal(jz_yamlx_load_string("t2", out, strlen(out), &d2, &err), 0);
  char *again = emit(d2->root);
  assert_string_equal(again, want);
  free(out);
  free(again);
  jz_yamlx_free(d);
  jz_yamlx_free(d2);
}

static void test_map_set(void **state) {
  (void)state;
  jz_yamlx_doc_t *d;
  jz_error_t err = {0};
  assert_int_equal(jz_yamlx_load_string("t", "a: 1\nb: [x, y]\n", 15, &d, &err), 0);
  assert_int_equal(jz_yamlx_map_set(d->root, "a", jz_yamlx_new_scalar("2", false)), 0);
  assert_int_equal(jz_yamlx_map_set(d->root, "c", jz_yamlx_new_scalar("3", false)), 0);
  assert_int_equal(jz_yamlx_seq_set((jz_yamlx_node_t *)jz_yamlx_map_get(d->root, "b"), 1,
                                    jz_yamlx_new_scalar("z", false)), 0);
  assert_int_equal(jz_yamlx_seq_set((jz_yamlx_node_t *)jz_yamlx_map_get(d->root, "b"), 2,
                                    jz_yamlx_new_scalar("w", false)), -JZ_EINVAL);
  char *out = emit(d->root);
  assert_string_equal(out, "a: 2\nb:\n  - x\n  - z\nc: 3\n");
  free(out);
  jz_yamlx_free(d);
}

static void test_target(void **state) {
  (void)state;
  jz_target_t t;
  jz_error_t err = {0};
  assert_int_equal(jz__sweep_parse_target("queues.qos_gpu-t3.p95_wait <= 1h", &t, &err), 0);
  assert_string_equal(t.metric, "queues.qos_gpu-t3.p95_wait");
  jz_assert_double_eq(t.value, 3600);
  assert_true(jz__sweep_target_met(&t, 3600));
  assert_false(jz__sweep_target_met(&t, 3600.5));
  assert_int_equal(jz__sweep_parse_target("utilisation>0.5", &t, &err), 0);
  assert_false(jz__sweep_target_met(&t, 0.5));
  assert_true(jz__sweep_target_met(&t, 0.51));
  assert_int_not_equal(jz__sweep_parse_target("p95_wait 1h", &t, &err), 0);
  assert_int_not_equal(jz__sweep_parse_target("p95_wait <= 1x", &t, &err), 0);
  assert_int_not_equal(jz__sweep_parse_target("<= 3", &t, &err), 0);
}

/* splitmix64's published outputs for seed 1234567 (Vigna's reference implementation). */
static void test_splitmix(void **state) {
  (void)state;
  uint64_t s = 1234567;
  assert_true(jz_splitmix64(&s) == 6457827717110365317ull);
  assert_true(jz_splitmix64(&s) == 3203168211198807973ull);
  assert_true(jz_splitmix64(&s) == 9817491932198370423ull);
}

/* Three days of jobs: day 0 one job, day 1 two, day 2 three (submit = day + job * 60 s). */
static void three_days(jz_job_table_t *t) {
  jz_job_table_init(t);
  int id = 1;
  for (int day = 0; day < 3; day++)
    for (int k = 0; k <= day; k++) {
      jz_job_t *j = jz_test_job(t, day * 86400.0 + k * 60.0 + 100, 10, 10, 1);
      j->trace_id = id++;
    }
}

/* Every output day is a whole source day, shifted; ids "ID@k"; same seed, same draw. */
static void test_resample_days(void **state) {
  (void)state;
  jz_job_table_t a, b, c;
  jz_error_t err = {0};
  three_days(&a);
  three_days(&b);
  three_days(&c);
  assert_int_equal(jz_resample_days(&a, 0, 7, 0, &err), 0);
  assert_int_equal(jz_resample_days(&b, 0, 7, 0, &err), 0);
  size_t r = 0;
  for (int k = 0; k < 3; k++) {
    /* The day this output day copies is told by its first job's id: 1 -> 0, 2 -> 1, 4 -> 2. */
    int64_t first = a.jobs[r].trace_id;
    int src = first == 1 ? 0 : first == 2 ? 1 : 2;
    assert_true(first == 1 || first == 2 || first == 4);
    for (int q = 0; q <= src; q++, r++) {
      assert_true(a.jobs[r].trace_id == first + q);
      jz_assert_double_eq(a.jobs[r].submit, k * 86400.0 + q * 60.0 + 100);
      char id[64], want[64];
      snprintf(want, sizeof want, "%lld@%d", (long long)(first + q), k);
      assert_string_equal(jz_job_id_text(&a, &a.jobs[r], id, sizeof id), want);
      assert_true(b.jobs[r].trace_id == a.jobs[r].trace_id); /* deterministic for its seed */
    }
  }
  assert_int_equal(a.n, r);
  /* Some seed among the next few draws other days (the chance that 8 seeds all draw the
   * same three days is nil). */
  bool differs = false;
  for (unsigned long long seed = 8; seed < 16 && !differs; seed++) {
    jz_job_table_t d;
    three_days(&d);
    assert_int_equal(jz_resample_days(&d, 0, seed, 0, &err), 0);
    differs = d.n != a.n;
    for (size_t i = 0; i < d.n && !differs; i++) differs = d.jobs[i].trace_id != a.jobs[i].trace_id;
    jz_job_table_free(&d);
  }
  assert_true(differs);
  jz_job_table_free(&a);
  jz_job_table_free(&b);
  jz_job_table_free(&c);
}

/* A job's work profile follows every copy of it (profiles are a side table by job id). */
static void test_resample_profiles(void **state) {
  (void)state;
  jz_job_table_t a;
  jz_error_t err = {0};
  three_days(&a);
  jz_profile_t pr = {.kind = JZ_PROF_AI, .tier = -1, .flops = 1234};
  assert_int_equal(jz_job_table_set_profile(&a, 1, &pr), 0); /* trace id 2, day 1 */
  assert_int_equal(jz_resample_days(&a, 0, 1, 0, &err), 0);
  /* Seed 1, workload 0 draws days [1, 0, 0] (as in tests/sweep/sweep.sh): trace id 2 once. */
  int seen = 0;
  for (size_t i = 0; i < a.n; i++) {
    const jz_profile_t *q = jz_job_profile(&a, i);
    if (a.jobs[i].trace_id == 2) {
      seen++;
      assert_non_null(q);
      jz_assert_double_eq(q->flops, 1234);
      assert_true(a.jobs[i].flags & JZ_JOB_FLOW);
    } else {
      assert_null(q);
    }
  }
  assert_int_equal(seen, 1);
  jz_job_table_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zip_product),  cmocka_unit_test(test_product),
      cmocka_unit_test(test_variant_trees), cmocka_unit_test(test_paths),
      cmocka_unit_test(test_emit),
      cmocka_unit_test(test_map_set),      cmocka_unit_test(test_target),
      cmocka_unit_test(test_splitmix),     cmocka_unit_test(test_resample_days),
      cmocka_unit_test(test_resample_profiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
