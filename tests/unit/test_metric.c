/* test_metric.c: summary.json metric paths, short names, quoting, per-partition expansion,
 * suggestions, and the same-inputs check of `jzsim compare`. */
#include "jz_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/metric.h"

/* An abridged summary.json with the shapes report.c writes, plus keys that need quoting. */
static const char SUMMARY[] =
    "{\"jzsim_version\": \"0.1.0\",\n"
    " \"inputs\": {\"platform\": {\"file\": \"p.yaml\", \"bytes\": 10, \"sha256\": \"aaaa\"},\n"
    "   \"workloads\": [{\"file\": \"w.swf\", \"bytes\": 5, \"sha256\": \"0123456789abcdef\",\n"
    "                   \"name\": \"w\", \"scale\": 1, \"offset\": 0, \"jobs\": 3}],\n"
    "   \"policy\": \"fcfs\",\n"
    "   \"options\": {\"procs_per_node\": 0, \"max_jobs\": 0, \"lenient\": false,\n"
    "               \"split_long_jobs\": false}},\n"
    " \"jobs\": {\"read\": 3, \"skipped_by_reason\": {\"runtime <= 0\": 2}},\n"
    " \"time\": {\"first_submit\": 0, \"last_finish\": 100, \"makespan\": 100},\n"
    " \"wait\": {\"mean\": 10.5, \"median\": 2, \"p95\": 30, \"max\": 40},\n"
    " \"bounded_slowdown\": {\"tau\": 10, \"mean\": 1.5, \"max\": 4},\n"
    " \"energy_joules\": null,\n"
    " \"partitions\": {\n"
    "   \"cpu\": {\"gpus\": 0, \"jobs\": 3, \"utilisation\": 0.5, \"gpu_utilisation\": 0},\n"
    "   \"gpu.a\": {\"gpus\": 8, \"jobs\": 2, \"utilisation\": 0.25, \"gpu_utilisation\": 0.75},\n"
    "   \"idle\": {\"gpus\": 4, \"jobs\": 0, \"utilisation\": 0, \"gpu_utilisation\": 0}},\n"
    " \"queues\": {\"qos_gpu-t3\": {\"jobs\": 2, \"wait\": {\"mean\": 7, \"median\": 7, \"p95\": 9,\n"
    "   \"max\": 9}, \"mean_bounded_slowdown\": 1.25},\n"
    "   \"qos_gpu-t4\": {\"jobs\": 1, \"wait\": {\"mean\": 1, \"median\": 1, \"p95\": 1, \"max\": 1},\n"
    "   \"mean_bounded_slowdown\": 1}}\n"
    "}\n";

static jz_sumdoc_t *doc_of(const char *text, const char *name) {
  jz_sumdoc_t *d;
  jz_error_t err = {0};
  if (jz_sumdoc_parse(text, name, &d, &err)) fail_msg("%s", err.msg);
  return d;
}

/* Resolves name and returns its value in d; path/seconds checked when given. */
static double value_of(jz_sumdoc_t *d, const char *name, const char *path, int seconds) {
  jz_metric_list_t l = {0};
  jz_error_t err = {0};
  if (jz_metric_resolve(d, name, &l, &err)) fail_msg("%s: %s", name, err.msg);
  assert_int_equal(l.n, 1);
  assert_string_equal(l.v[0].name, name);
  if (path) assert_string_equal(l.v[0].path, path);
  if (seconds >= 0) assert_int_equal(l.v[0].seconds, seconds);
  double v;
  if (jz_metric_value(d, &l.v[0], &v, &err)) fail_msg("%s: %s", name, err.msg);
  jz_metric_list_free(&l);
  return v;
}

static void resolve_err(jz_sumdoc_t *d, const char *name, const char *msg) {
  jz_metric_list_t l = {0};
  jz_error_t err = {0};
  assert_true(jz_metric_resolve(d, name, &l, &err) < 0);
  assert_string_equal(err.msg, msg);
  jz_metric_list_free(&l);
}

static void test_paths(void **state) {
  (void)state;
  jz_sumdoc_t *d = doc_of(SUMMARY, "b/summary.json");
  jz_assert_double_eq(value_of(d, "mean_wait", "wait.mean", 1), 10.5);
  jz_assert_double_eq(value_of(d, "p95_wait", "wait.p95", 1), 30);
  jz_assert_double_eq(value_of(d, "median_wait", "wait.median", 1), 2);
  jz_assert_double_eq(value_of(d, "max_wait", "wait.max", 1), 40);
  jz_assert_double_eq(value_of(d, "mean_bounded_slowdown", "bounded_slowdown.mean", 0), 1.5);
  jz_assert_double_eq(value_of(d, "max_bounded_slowdown", "bounded_slowdown.max", 0), 4);
  jz_assert_double_eq(value_of(d, "makespan", "time.makespan", 1), 100);
  jz_assert_double_eq(value_of(d, "wait.p95", "wait.p95", 1), 30);
  jz_assert_double_eq(value_of(d, "bounded_slowdown.tau", NULL, 1), 10);
  /* Short names below the top: a queue's group. */
  jz_assert_double_eq(value_of(d, "queues.qos_gpu-t3.mean_wait", "queues.qos_gpu-t3.wait.mean", 1), 7);
  jz_assert_double_eq(value_of(d, "queues.qos_gpu-t3.mean_bounded_slowdown", NULL, 0), 1.25);
  jz_assert_double_eq(value_of(d, "partitions.cpu.utilisation", NULL, 0), 0.5);
  /* Quoted keys: a dot inside a name, spaces and '<' in a reason. */
  jz_assert_double_eq(value_of(d, "partitions.\"gpu.a\".gpu_utilisation",
                               "partitions.\"gpu.a\".gpu_utilisation", 0), 0.75);
  jz_assert_double_eq(value_of(d, "jobs.skipped_by_reason.\"runtime <= 0\"", NULL, 0), 2);
  jz_assert_double_eq(value_of(d, "\"wait\".\"max\"", "wait.max", 1), 40);
  /* Array elements by index. */
  jz_assert_double_eq(value_of(d, "inputs.workloads.0.jobs", NULL, 0), 3);
  jz_sumdoc_free(d);
}

static void test_expansion(void **state) {
  (void)state;
  jz_sumdoc_t *d = doc_of(SUMMARY, "b/summary.json");
  jz_metric_list_t l = {0};
  jz_error_t err = {0};
  /* The partitions that ran jobs, in file order: not "idle". */
  assert_int_equal(jz_metric_resolve(d, "utilisation", &l, &err), 0);
  assert_int_equal(l.n, 2);
  assert_string_equal(l.v[0].name, "partitions.cpu.utilisation");
  assert_string_equal(l.v[1].name, "partitions.\"gpu.a\".utilisation");
  /* Appends: then only the GPU partitions that ran jobs. */
  assert_int_equal(jz_metric_resolve(d, "gpu_utilisation", &l, &err), 0);
  assert_int_equal(l.n, 3);
  assert_string_equal(l.v[2].path, "partitions.\"gpu.a\".gpu_utilisation");
  double v;
  assert_int_equal(jz_metric_value(d, &l.v[2], &v, &err), 0);
  jz_assert_double_eq(v, 0.75);
  jz_metric_list_free(&l);
  jz_sumdoc_free(d);
}

static void test_errors(void **state) {
  (void)state;
  jz_sumdoc_t *d = doc_of(SUMMARY, "b/summary.json");
  resolve_err(d, "mean_wiat",
              "b/summary.json: unknown metric 'mean_wiat': no 'mean_wiat' at the top level (did "
              "you mean 'mean_wait'?)");
  resolve_err(d, "queues.qos_gpu-t9.mean_wait",
              "b/summary.json: unknown metric 'queues.qos_gpu-t9.mean_wait': no 'qos_gpu-t9' in "
              "'queues' (did you mean 'queues.qos_gpu-t3.mean_wait' or "
              "'queues.qos_gpu-t4.mean_wait'?)");
  resolve_err(d, "partitions.gpu.a.utilisation",
              "b/summary.json: unknown metric 'partitions.gpu.a.utilisation': no 'gpu' in "
              "'partitions' (did you mean 'partitions.\"gpu.a\".utilisation' or "
              "'partitions.cpu.a.utilisation'?)");
  resolve_err(d, "wait",
              "b/summary.json: metric 'wait' is an object, not a number (its numbers: wait.mean, "
              "wait.median, wait.p95, wait.max)");
  resolve_err(d, "inputs.policy", "b/summary.json: metric 'inputs.policy' is a string, not a number");
  resolve_err(d, "energy", "b/summary.json: metric 'energy' is null, not a number");
  resolve_err(d, "wait.p95.x",
              "b/summary.json: unknown metric 'wait.p95.x': 'wait.p95' is a number, it has no 'x'");
  resolve_err(d, "inputs.workloads.1.jobs",
              "b/summary.json: unknown metric 'inputs.workloads.1.jobs': 'inputs.workloads' is an "
              "array of 1, '1' is not an index (0 to 0)");
  resolve_err(d, "wait..p95", "metric 'wait..p95': empty key at column 6");
  resolve_err(d, "wait.", "metric 'wait.': ends with '.'");
  resolve_err(d, "\"wait", "metric '\"wait': unterminated quote");
  resolve_err(d, "\"wait\"x", "metric '\"wait\"x': '.' expected after the quoted key \"wait\"");
  resolve_err(d, "", "b/summary.json: empty metric name");
  jz_sumdoc_free(d);

  jz_error_t err = {0};
  /* jansson's own position: line 3, column 8 is the 'x'. */
  assert_true(jz_sumdoc_parse("{\n  \"a\": 1,\n  \"b\": x\n}\n", "s.json", &d, &err) < 0);
  assert_string_equal(err.msg, "s.json:3:8: invalid token near 'x'");
  assert_true(jz_sumdoc_parse("{\"a\": 1, \"a\": 2}", "s.json", &d, &err) < 0);
  assert_string_equal(err.msg, "s.json:1:12: duplicate object key near '\"a\"'");
  assert_true(jz_sumdoc_parse("{\"a\": 1}", "s.json", &d, &err) < 0);
  assert_string_equal(err.msg, "s.json: not a jzsim summary.json (no 'inputs.workloads')");
}

/* text with one substring replaced, in buf. */
static const char *subst(const char *text, const char *from, const char *to, char *buf, size_t len) {
  const char *at = strstr(text, from);
  assert_non_null(at);
  snprintf(buf, len, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  return buf;
}

static jz_sumdoc_t *variant(const char *from, const char *to) {
  char buf[sizeof SUMMARY + 256];
  return doc_of(subst(SUMMARY, from, to, buf, sizeof buf), "n/summary.json");
}

static char *inputs_header(jz_sumdoc_t *b, jz_sumdoc_t *n, int *rc, jz_error_t *err) {
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  *rc = jz_sumdoc_check_inputs(b, n, f, err);
  fclose(f);
  return out;
}

static void expect_inputs_err(jz_sumdoc_t *b, const char *from, const char *to, const char *msg) {
  jz_sumdoc_t *n = variant(from, to);
  jz_error_t err = {0};
  int rc;
  free(inputs_header(b, n, &rc, &err));
  assert_int_equal(rc, -JZ_EINVAL);
  assert_string_equal(err.msg, msg);
  jz_sumdoc_free(n);
}

static void test_inputs(void **state) {
  (void)state;
  jz_sumdoc_t *b = doc_of(SUMMARY, "b/summary.json");
  /* Another policy, platform and option: allowed, and said. */
  jz_sumdoc_t *n = variant("\"policy\": \"fcfs\"", "\"policy\": \"easy\"");
  jz_error_t err = {0};
  int rc;
  char *h = inputs_header(b, n, &rc, &err);
  assert_int_equal(rc, 0);
  assert_string_equal(h, "workloads   same: w (sha256 0123456789ab)\n"
                         "policy      fcfs -> easy (differs)\n"
                         "platform    same: p.yaml (sha256 aaaa)\n");
  free(h);
  jz_sumdoc_free(n);
  char t1[sizeof SUMMARY + 256], t2[sizeof SUMMARY + 256];
  subst(SUMMARY, "\"split_long_jobs\": false", "\"split_long_jobs\": true", t1, sizeof t1);
  subst(t1, "\"p.yaml\", \"bytes\": 10, \"sha256\": \"aaaa\"", "\"q.yaml\", \"sha256\": \"bbbb\"",
        t2, sizeof t2);
  n = doc_of(t2, "n/summary.json");
  h = inputs_header(b, n, &rc, &err);
  assert_int_equal(rc, 0);
  assert_string_equal(h, "workloads   same: w (sha256 0123456789ab)\n"
                         "policy      same: fcfs\n"
                         "platform    p.yaml (sha256 aaaa) -> q.yaml (sha256 bbbb) (differs)\n"
                         "option      split_long_jobs: false -> true (differs)\n");
  free(h);
  jz_sumdoc_free(n);
  /* Different inputs: refused, naming the difference. */
  expect_inputs_err(b, "0123456789abcdef", "0123456789abffff",
                    "runs of different inputs: workload 1 (w): sha256 0123456789abc in "
                    "b/summary.json, 0123456789abf in n/summary.json");
  expect_inputs_err(b, "0123456789abcdef", "fedcba",
                    "runs of different inputs: workload 1 (w): sha256 0123456789ab in "
                    "b/summary.json, fedcba in n/summary.json");
  expect_inputs_err(b, "\"sha256\": \"0123456789abcdef\",", "",
                    "workload 1 (w): no sha256 in n/summary.json: its file could not be read when "
                    "that run hashed it, so the inputs cannot be shown to be the same");
  expect_inputs_err(b, "\"scale\": 1", "\"scale\": 2",
                    "runs of different inputs: workload 1 (w): scale 1 in b/summary.json, 2 in "
                    "n/summary.json");
  /* A replica of a sweep (a day resampling, seed 3) is not the trace as recorded. */
  expect_inputs_err(b, "\"offset\": 0,", "\"offset\": 0, \"resample_days_seed\": 3,",
                    "runs of different inputs: workload 1 (w): resample_days_seed (none) in "
                    "b/summary.json, 3 in n/summary.json");
  expect_inputs_err(b, "\"max_jobs\": 0", "\"max_jobs\": 100",
                    "runs of different inputs: options.max_jobs 0 in b/summary.json, 100 in "
                    "n/summary.json");
  expect_inputs_err(b, "\"workloads\": [", "\"workloads\": [{\"sha256\": \"x\"}, ",
                    "runs of different inputs: 1 workload(s) in b/summary.json, 2 in "
                    "n/summary.json");
  jz_sumdoc_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_paths),
      cmocka_unit_test(test_expansion),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_inputs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
