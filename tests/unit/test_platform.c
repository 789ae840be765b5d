/* test_platform.c: the platform YAML reader (schema v1), its validation messages (every one
 * exactly, with line and column), printing, topology helpers, and the yamlx tree it uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "platform.h"
#include "yamlx.h"

#define assert_double_eq(a, b) assert_double_eq_at((a), (b), __FILE__, __LINE__)
static void assert_double_eq_at(double a, double b, const char *file, int line) {
  if (a == b) return;
  fail_msg("%s:%d: %.17g != %.17g", file, line, a, b);
}

static const double GiB = 1073741824.0;

/* Paths in messages are relative to the repository root, as `jzsim` is run there by the
 * bad-input tests. */
static int chdir_root(void **state) {
  (void)state;
  return chdir(JZ_SOURCE_DIR);
}

static jz_platform_t *load_ok(const char *path) {
  jz_error_t err = {0};
  jz_platform_t *p = NULL;
  int rc = jz_platform_load(path, &p, &err);
  if (rc != 0) fail_msg("%s: rc %d: %s", path, rc, err.msg);
  assert_non_null(p);
  return p;
}

/* Write text to a fresh temporary file; returns its malloc'd path. */
static char *write_tmp(const char *text) {
  const char *dir = getenv("TMPDIR");
  char *path = malloc(512);
  assert_non_null(path);
  snprintf(path, 512, "%s/jz-test-platform-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  size_t len = strlen(text);
  assert_true(write(fd, text, len) == (ssize_t)len);
  close(fd);
  return path;
}

/* Load YAML text; on success return the platform. */
static jz_platform_t *load_text_ok(const char *text) {
  char *path = write_tmp(text);
  jz_platform_t *p = load_ok(path);
  unlink(path);
  free(path);
  return p;
}

/* Loading text must fail with code and "<tmp path>:<expected>". */
/* Mismatches are counted, not fatal, so one run lists every one of them. */
#define check_err(text, code, expected) (failures += check_err_at((text), (code), (expected), __LINE__))
static int check_err_at(const char *text, int code, const char *expected, int line) {
  char *path = write_tmp(text);
  jz_error_t err = {0};
  jz_platform_t *p = (jz_platform_t *)(uintptr_t)1;
  int rc = jz_platform_load(path, &p, &err);
  char want[600];
  snprintf(want, sizeof want, "%s:%s", path, expected);
  unlink(path);
  free(path);
  if (p != NULL) {
    print_error("line %d: *out not NULL on error\n", line);
    return 1;
  }
  if (rc != code || err.code != code) {
    print_error("line %d: rc %d (%s), expected %d (%s): %s\n", line, rc, jz_err_name(rc), code,
                jz_err_name(code), err.msg);
    return 1;
  }
  if (strcmp(err.msg, want) != 0) {
    print_error("line %d:\n  got:  %s\n  want: %s\n", line, err.msg, want);
    return 1;
  }
  return 0;
}

/* A valid prefix the error cases below extend. */
#define BASE                                      \
  "name: t\n"                                     \
  "node_types:\n"                                 \
  "  cpu: {cores: 4, core_speed: 1Gf}\n"          \
  "fabrics:\n"                                    \
  "  eth: {bandwidth: 10Gbps, latency: 10us}\n"   \
  "partitions:\n"                                 \
  "  p: {node_type: cpu, nodes: 10, fabric: eth}\n"

/* ------------------------------------------------------------------------------------------ */

static void test_tiny(void **state) {
  (void)state;
  jz_platform_t *p = load_ok("tests/data/good/tiny.yaml");
  assert_string_equal(p->name, "tiny");
  assert_string_equal(p->path, "tests/data/good/tiny.yaml");
  assert_int_equal(p->n_node_types, 1);
  const jz_node_type_t *t = &p->node_types[0];
  assert_string_equal(t->name, "cpu4");
  assert_int_equal(t->cores, 4);
  assert_double_eq(t->core_speed, 1e9);
  assert_double_eq(t->memory, 0);
  assert_int_equal(t->gpus, 0);
  assert_null(t->gpu_model);
  assert_false(t->has_power);
  assert_int_equal(t->pos.line, 4);
  assert_int_equal(t->pos.col, 3);
  assert_int_equal(p->n_fabrics, 1);
  assert_string_equal(p->fabrics[0].name, "eth");
  assert_double_eq(p->fabrics[0].bandwidth, 1.25e9);
  assert_double_eq(p->fabrics[0].latency, 1e-5);
  assert_int_equal(p->fabrics[0].topology, JZ_TOPO_FLAT);
  assert_null(p->fabrics[0].topology_parameters);
  assert_int_equal(p->n_partitions, 1);
  const jz_partition_t *q = &p->partitions[0];
  assert_string_equal(q->name, "p");
  assert_int_equal(q->node_type, 0);
  assert_int_equal(q->nodes, 4);
  assert_int_equal(q->fabric, 0);
  assert_int_equal(q->links_per_node, 1);
  assert_int_equal(q->first_node, 0);
  assert_int_equal(q->pos.line, 8);
  assert_int_equal(q->pos.col, 3);
  assert_int_equal(p->n_storage, 0);
  assert_int_equal(p->n_queues, 0);
  assert_int_equal(p->n_reservations, 0);
  assert_int_equal(jz_platform_total_nodes(p), 4);
  assert_int_equal(jz_platform_find_partition(p, "p"), 0);
  assert_int_equal(jz_platform_find_partition(p, "q"), -1);
  assert_int_equal(jz_platform_first_cpu_partition(p), 0);
  assert_double_eq(jz_platform_peak_flops(p), 16e9);
  jz_platform_free(p);
}

static void test_flat1(void **state) {
  (void)state;
  jz_platform_t *p = load_ok("tests/data/good/flat1.yaml");
  assert_string_equal(p->name, "flat1");
  assert_int_equal(p->n_partitions, 1);
  assert_string_equal(p->partitions[0].name, "p");
  assert_int_equal(p->partitions[0].nodes, 10);
  assert_int_equal(p->node_types[0].cores, 1);
  assert_double_eq(p->fabrics[0].bandwidth, 1e9);
  assert_double_eq(p->fabrics[0].latency, 0);
  jz_platform_free(p);
}

static void test_mixed(void **state) {
  (void)state;
  jz_platform_t *p = load_ok("tests/data/good/mixed.yaml");
  assert_string_equal(p->name, "mixed");
  assert_int_equal(p->n_node_types, 2);
  const jz_node_type_t *c = &p->node_types[0], *g = &p->node_types[1];
  assert_string_equal(c->name, "cpu8");
  assert_int_equal(c->cores, 8);
  assert_double_eq(c->core_speed, 50e9);
  assert_double_eq(c->memory, 64 * GiB);
  assert_int_equal(c->gpus, 0);
  assert_true(c->has_power);
  assert_double_eq(c->power_idle, 100);
  assert_double_eq(c->power_max, 400);
  assert_string_equal(g->name, "gpu4");
  assert_int_equal(g->cores, 16);
  assert_double_eq(g->core_speed, 40e9);
  assert_double_eq(g->memory, 256 * GiB);
  assert_int_equal(g->gpus, 4);
  assert_string_equal(g->gpu_model, "TestGPU-40GB");
  assert_double_eq(g->gpu_speed, 10e12);
  assert_double_eq(g->gpu_memory, 40 * GiB);
  assert_double_eq(g->power_idle, 300);
  assert_double_eq(g->power_max, 1500);

  assert_int_equal(p->n_fabrics, 2);
  assert_double_eq(p->fabrics[0].bandwidth, 3.125e9);
  assert_double_eq(p->fabrics[0].latency, 5e-6);
  assert_int_equal(p->fabrics[0].topology, JZ_TOPO_FLAT);
  assert_double_eq(p->fabrics[1].bandwidth, 25e9);
  assert_int_equal(p->fabrics[1].topology, JZ_TOPO_FAT_TREE);
  assert_string_equal(p->fabrics[1].topology_parameters, "2;2,2;1,2;1,1");

  assert_int_equal(p->n_partitions, 2);
  assert_string_equal(p->partitions[0].name, "cpu");
  assert_int_equal(p->partitions[0].nodes, 8);
  assert_int_equal(p->partitions[0].first_node, 0);
  assert_int_equal(p->partitions[0].links_per_node, 1);
  assert_string_equal(p->partitions[1].name, "gpu");
  assert_int_equal(p->partitions[1].node_type, 1);
  assert_int_equal(p->partitions[1].fabric, 1);
  assert_int_equal(p->partitions[1].nodes, 4);
  assert_int_equal(p->partitions[1].links_per_node, 2);
  assert_int_equal(p->partitions[1].first_node, 8);

  assert_int_equal(p->n_storage, 3);
  const jz_storage_t *s = p->storage;
  assert_string_equal(s[0].name, "scratch");
  assert_int_equal(s[0].kind, JZ_STORAGE_FLASH);
  assert_double_eq(s[0].capacity, 100e12);
  assert_double_eq(s[0].read_bandwidth, 50e9);
  assert_double_eq(s[0].write_bandwidth, 40e9);
  assert_double_eq(s[0].mount_latency, 0);
  assert_int_equal(s[1].kind, JZ_STORAGE_DISK);
  assert_double_eq(s[1].capacity, 1e15);
  assert_string_equal(s[2].name, "archive");
  assert_int_equal(s[2].kind, JZ_STORAGE_TAPE);
  assert_double_eq(s[2].capacity, 10e15);
  assert_double_eq(s[2].read_bandwidth, 2e9);
  assert_double_eq(s[2].write_bandwidth, 1e9);
  assert_double_eq(s[2].mount_latency, 90);

  assert_int_equal(p->n_queues, 2);
  const jz_queue_t *n = &p->queues[0], *l = &p->queues[1];
  assert_string_equal(n->name, "normal");
  assert_int_equal(n->n_partitions, 2);
  assert_int_equal(n->partitions[0], 0);
  assert_int_equal(n->partitions[1], 1);
  assert_double_eq(n->max_walltime, 72000);
  assert_int_equal(n->max_gpus_per_job, 8);
  assert_int_equal(n->max_cores_per_job, 64);
  assert_int_equal(n->max_nodes_per_job, 4);
  assert_int_equal(n->max_jobs_per_user, 10);
  assert_int_equal(n->max_gpus_per_user, 8);
  assert_int_equal(n->max_cores_per_user, 128);
  assert_int_equal(n->max_jobs_per_account, 20);
  assert_int_equal(n->max_gpus_per_account, 16);
  assert_int_equal(n->max_cores_per_account, 256);
  assert_int_equal(n->priority, 0);
  assert_true(n->is_default);
  assert_string_equal(l->name, "long");
  assert_int_equal(l->n_partitions, 1);
  assert_int_equal(l->partitions[0], 1);
  assert_double_eq(l->max_walltime, 360000);
  assert_int_equal(l->max_gpus_per_job, 4);
  assert_int_equal(l->max_cores_per_job, 0);
  assert_int_equal(l->priority, -10);
  assert_false(l->is_default);

  assert_int_equal(p->n_reservations, 1);
  const jz_reservation_t *r = &p->reservations[0];
  assert_string_equal(r->name, "project-a");
  assert_int_equal(r->partition, 1);
  assert_double_eq(r->fraction, 0.5);
  assert_int_equal(r->nodes, 2);
  assert_int_equal(r->n_accounts, 2);
  assert_string_equal(r->accounts[0], "proj-a");
  assert_string_equal(r->accounts[1], "proj-b");
  assert_double_eq(r->start, 3600);
  assert_double_eq(r->end, 86400);
  assert_double_eq(r->period, 604800);
  assert_false(r->overflow);
  assert_true(r->lend_idle);

  assert_int_equal(jz_platform_total_nodes(p), 12);
  assert_int_equal(jz_platform_first_cpu_partition(p), 0);
  assert_int_equal(jz_platform_find_partition(p, "gpu"), 1);
  assert_double_eq(jz_platform_peak_flops(p), 8 * 8 * 50e9 + 4 * (16 * 40e9 + 4 * 10e12));
  jz_platform_free(p);
}

static void test_jean_zay(void **state) {
  (void)state;
  jz_platform_t *p = load_ok("platforms/jean-zay-2024.yaml");
  static const struct {
    const char *name, *type;
    int nodes, first, cores, gpus, links;
  } want[] = {
      {"cpu_p1", "csl-2x20", 720, 0, 40, 0, 1},    {"gpu_p13", "v100-4", 396, 720, 40, 4, 4},
      {"gpu_p2", "v100-8", 31, 1116, 24, 8, 4},    {"gpu_p5", "a100-8", 52, 1147, 64, 8, 4},
      {"gpu_p6", "h100-4", 364, 1199, 96, 4, 4},
  };
  assert_int_equal(p->n_partitions, 5);
  for (int i = 0; i < 5; i++) {
    const jz_partition_t *q = &p->partitions[i];
    const jz_node_type_t *t = &p->node_types[q->node_type];
    assert_string_equal(q->name, want[i].name);
    assert_string_equal(t->name, want[i].type);
    assert_int_equal(q->nodes, want[i].nodes);
    assert_int_equal(q->first_node, want[i].first);
    assert_int_equal(t->cores, want[i].cores);
    assert_int_equal(t->gpus, want[i].gpus);
    assert_int_equal(q->links_per_node, want[i].links);
    assert_true(t->has_power);
    assert_int_equal(p->fabrics[q->fabric].topology, JZ_TOPO_FAT_TREE);
  }
  assert_double_eq(p->node_types[0].core_speed, 80e9);
  assert_double_eq(p->fabrics[p->partitions[4].fabric].bandwidth, 50e9);
  assert_int_equal(jz_platform_total_nodes(p), 1563);
  assert_int_equal(p->n_storage, 3);
  assert_double_eq(p->storage[0].capacity, 4.3e15);
  assert_double_eq(p->storage[0].read_bandwidth, 1.2e12);
  assert_double_eq(p->storage[1].capacity, 39e15);
  assert_double_eq(p->storage[2].capacity, 100e15);
  /* Jean Zay's QoS: CPU, V100, A100 and H100 sets; no dedicated allocation in the platform. */
  assert_int_equal(p->n_queues, 11);
  assert_int_equal(p->n_reservations, 0);
  const jz_queue_t *t4 = &p->queues[5];
  assert_string_equal(t4->name, "qos_gpu-t4");
  assert_double_eq(t4->max_walltime, 100 * 3600.0);
  assert_int_equal(t4->max_gpus_per_job, 16);
  assert_int_equal(t4->n_partitions, 2);
  /* The published 2024 peak is 125.9 PF; the model lands within 0.2 %. */
  double peak = jz_platform_peak_flops(p);
  assert_true(peak > 125.9e15 * 0.998 && peak < 125.9e15 * 1.002);
  jz_platform_free(p);
}

static char *print_to_string(const jz_platform_t *p) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  jz_platform_print(p, f);
  fclose(f);
  return buf;
}

static void test_print_tiny(void **state) {
  (void)state;
  jz_platform_t *p = load_ok("tests/data/good/tiny.yaml");
  char *s = print_to_string(p);
  assert_string_equal(s,
                      "platform 'tiny' (tests/data/good/tiny.yaml)\n"
                      "\n"
                      "partitions\n"
                      "  name  node type  nodes  cores/node  GPUs/node  fabric\n"
                      "  p     cpu4           4           4  -          eth, 1 x 1.25 GB/s\n"
                      "\n"
                      "node types\n"
                      "  name  cores  core speed  memory  GPUs  GPU speed  GPU memory  power idle/max\n"
                      "  cpu4      4  1.00 Gf     -          0  -          -           -\n"
                      "\n"
                      "fabrics\n"
                      "  name  topology  bandwidth/link  latency  parameters\n"
                      "  eth   flat      1.25 GB/s       10 us    -\n"
                      "\n"
                      "totals\n"
                      "  4 nodes, 16 cores, 0 GPUs, peak 16.0 Gf FP64\n");
  free(s);
  jz_platform_free(p);
}

static void test_print_mixed_and_jean_zay(void **state) {
  (void)state;
  jz_platform_t *p = load_ok("tests/data/good/mixed.yaml");
  char *s = print_to_string(p);
  assert_non_null(strstr(s, "  gpu   gpu4           4          16  4 x TestGPU-40GB  ib, 2 x 25.0 GB/s\n"));
  assert_non_null(strstr(s, "  archive  tape   10.0 PB   2.00 GB/s  1.00 GB/s  90 s\n"));
  assert_non_null(strstr(s, "\nqueues\n"));
  assert_non_null(strstr(s, "  long    gpu         100 h              -10  no       gpus/job 4\n"));
  assert_non_null(strstr(s, "\nreservations\n"));
  assert_non_null(strstr(s, "  project-a  gpu            2  proj-a,proj-b  1 h    1 d  7 d     no        yes\n"));
  assert_non_null(strstr(s, "  12 nodes, 128 cores, 16 GPUs, peak 0.17 PF FP64\n"));
  assert_non_null(strstr(s, "  storage: scratch 0.10 PB, work 1.00 PB, archive 10.0 PB\n"));
  free(s);
  jz_platform_free(p);

  p = load_ok("platforms/jean-zay-2024.yaml");
  s = print_to_string(p);
  assert_non_null(strstr(s, "  gpu_p6   h100-4       364          96  4 x H100-SXM5-80GB  ndr, 4 x 50.0 GB/s\n"));
  assert_non_null(strstr(s, "  1563 nodes, 83656 cores, 3704 GPUs, peak 126.09 PF FP64\n"));
  assert_non_null(strstr(s, "  storage: flash 4.30 PB, disk 39.0 PB, tape 100 PB\n"));
  assert_non_null(strstr(s, "\nqueues\n"));
  assert_non_null(strstr(s, "  qos_gpu-t4        gpu_p13,gpu_p2  100 h                0  no       gpus/job 16"));
  free(s);
  jz_platform_free(p);
}

/* Every tests/data/bad/platform_*.yaml: the code, the exact message, and that the .err file the
 * CLI test compares against says the same. */
static void test_bad_files(void **state) {
  (void)state;
  static const struct {
    const char *name;
    int code;
    const char *msg; /* after "tests/data/bad/platform_<name>.yaml:" */
  } cases[] = {
      {"unknown_key", -JZ_EUNKNOWNKEY, "9:5: partition 'p': unknown key 'nodez' (did you mean 'nodes'?)"},
      {"unknown_top_key", -JZ_EUNKNOWNKEY, "4:1: unknown key 'fabric' (did you mean 'fabrics'?)"},
      {"missing_field", -JZ_EINVAL, "8:5: partition 'p': missing required key 'fabric'"},
      {"missing_partitions", -JZ_EINVAL, "1:1: missing required key 'partitions'"},
      {"empty_partitions", -JZ_EINVAL, "2:13: 'partitions' must define at least one partition"},
      {"gpus_missing_model", -JZ_EINVAL, "5:11: node_type 'gpu': 'gpus': missing required key 'model'"},
      {"empty_value", -JZ_EINVAL, "4:11: node_type 'cpu': 'cores' has no value"},
      {"bare_number", -JZ_EUNIT, "5:17: node_type 'cpu': 'core_speed': '2.5' needs a unit, e.g. '2.5Gf'"},
      {"bad_unit", -JZ_EUNIT,
       "5:20: fabric 'eth': 'bandwidth': unknown bandwidth unit 'Gx' in '10Gx' (expected one of: bps "
       "kbps Mbps Gbps Tbps Kibps Mibps Gibps Tibps Bps kBps MBps GBps TBps KiBps MiBps GiBps TiBps)"},
      {"unit_case", -JZ_EUNIT,
       "5:20: fabric 'eth': 'bandwidth': unknown bandwidth unit 'gbps' in '10gbps' (did you mean 'Gbps' or 'GBps'?)"},
      {"unit_kind", -JZ_EUNIT,
       "3:31: node_type 'cpu': 'core_speed': '2.5GB' is a size, expected a flop rate such as '2.5Gf'"},
      {"zero_count", -JZ_ERANGE, "7:30: partition 'p': 'nodes' must be > 0, got '0'"},
      {"negative_count", -JZ_ERANGE, "4:12: node_type 'cpu': 'cores' must be > 0, got '-4'"},
      {"fractional_count", -JZ_ESYNTAX, "7:30: partition 'p': 'nodes': '4.5' is not an integer"},
      {"dangling_node_type", -JZ_EINVAL,
       "9:24: partition 'gpu_p13': unknown node_type 'v100-8' (did you mean 'v100-4'?)"},
      {"dangling_fabric", -JZ_EINVAL, "7:41: partition 'p': unknown fabric 'ib'"},
      {"yaml_syntax", -JZ_ESYNTAX,
       "4:8: did not find expected ',' or '}' (while parsing a flow mapping at 3:8)"},
      {"yaml_indent", -JZ_ESYNTAX, "5:4: did not find expected key (while parsing a block mapping at 3:3)"},
      {"tab", -JZ_ESYNTAX, "5:1: found character that cannot start any token"},
      {"empty_file", -JZ_ESYNTAX, "1:1: empty file, expected a mapping with 'name' and 'partitions'"},
      {"two_documents", -JZ_ESYNTAX, "8:1: a second YAML document; expected exactly one"},
      {"alias", -JZ_ESYNTAX, "4:9: YAML aliases ('*cpu') are not supported"},
      {"wrong_type", -JZ_ESYNTAX, "7:3: 'partitions': expected a mapping, found a sequence"},
      {"wrong_type_field", -JZ_ESYNTAX, "5:11: node_type 'gpu': 'gpus': expected a mapping, found a sequence"},
      {"top_level_sequence", -JZ_ESYNTAX, "1:1: expected a mapping at the top level, found a sequence"},
      {"duplicate_key", -JZ_ESYNTAX, "9:3: duplicate key 'p' (first at 7:3)"},
      {"bad_name", -JZ_EINVAL,
       "7:3: partition name 'cpu p1' must be 1 to 64 letters, digits, '_', '-' or '.'"},
      {"bad_topology", -JZ_EINVAL,
       "5:52: fabric 'ib': 'topology' must be one of flat, fat-tree, torus, dragonfly, got 'fattree' "
       "(did you mean 'fat-tree'?)"},
      {"bad_topology_parameters", -JZ_ESYNTAX,
       "5:80: fabric 'ib': bad torus 'topology_parameters' '4,x,4': expected positive dimensions 'X,Y,...'"},
      {"topology_mismatch", -JZ_EINVAL,
       "7:42: partition 'p': fabric 'ib' topology_parameters '2;4,4;1,2;1,2' describe 16 hosts, not 10"},
      {"fat_tree_prime", -JZ_ERANGE,
       "7:30: partition 'p': no 2-level fat-tree fits 131 nodes with at most 128 per leaf switch; set "
       "'topology_parameters' on fabric 'ib' or use topology flat"},
      {"power_idle_above_max", -JZ_ERANGE, "5:19: node_type 'cpu': 'power': 'idle' '500W' exceeds 'max' '0.4kW'"},
      {"bad_bool", -JZ_EINVAL, "9:38: queue 'normal': 'default' must be true or false, got 'yes'"},
      {"queue_unknown_partition", -JZ_EINVAL,
       "9:29: queue 'qos_gpu-t3': unknown partition 'gpu_p1' (did you mean 'gpu_p13'?)"},
      {"queue_empty_partitions", -JZ_EINVAL, "9:24: queue 'normal': 'partitions' must list at least one partition"},
      {"two_default_queues", -JZ_EINVAL,
       "11:57: queue 'long': second default queue for partition 'q' (queue 'short' is already its default)"},
      {"reservation_too_big", -JZ_ERANGE, "9:30: reservation 'big': 'nodes' asks for 5 nodes, partition 'p' has 4"},
      {"reservation_nodes_and_fraction", -JZ_EINVAL, "13:5: reservation 'r': give 'nodes' or 'fraction', not both"},
      {"reservation_fraction_range", -JZ_ERANGE, "9:31: reservation 'r': 'fraction' must be in [0, 1], got '1.5'"},
      {"reservation_end_before_start", -JZ_ERANGE, "9:67: reservation 'r': 'end' '36h' must be after 'start' '2d'"},
      {"reservation_short_period", -JZ_ERANGE,
       "9:80: reservation 'r': 'period' '12h' must be at least 1min longer than the window it repeats (12 h)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[256], want[700], errpath[256], filemsg[800] = "";
    snprintf(path, sizeof path, "tests/data/bad/platform_%s.yaml", cases[i].name);
    snprintf(want, sizeof want, "%s:%s", path, cases[i].msg);
    jz_error_t err = {0};
    jz_platform_t *p = (jz_platform_t *)(uintptr_t)1;
    int rc = jz_platform_load(path, &p, &err);
    if (p != NULL) fail_msg("%s: *out not NULL", cases[i].name);
    if (rc != cases[i].code)
      fail_msg("%s: rc %s, expected %s: %s", cases[i].name, jz_err_name(rc), jz_err_name(cases[i].code), err.msg);
    if (strcmp(err.msg, want)) fail_msg("%s:\n  got:  %s\n  want: %s", cases[i].name, err.msg, want);
    /* The CLI test compares stderr with the .err file: keep both in step. */
    snprintf(errpath, sizeof errpath, "tests/data/bad/platform_%s.err", cases[i].name);
    FILE *f = fopen(errpath, "r");
    if (!f) fail_msg("%s missing", errpath);
    size_t n = fread(filemsg, 1, sizeof filemsg - 1, f);
    fclose(f);
    filemsg[n] = '\0';
    char line[800];
    snprintf(line, sizeof line, "jzsim: error: %s\n", want);
    if (strcmp(filemsg, line)) fail_msg("%s:\n  file: %s  want: %s", errpath, filemsg, line);
  }
}

static void test_unreadable(void **state) {
  (void)state;
  jz_error_t err = {0};
  jz_platform_t *p = NULL;
  assert_int_equal(jz_platform_load("tests/data/bad/platform_does_not_exist.yaml", &p, &err), -JZ_EIO);
  assert_null(p);
  assert_string_equal(err.msg, "tests/data/bad/platform_does_not_exist.yaml: cannot open: No such file or directory");
  assert_int_equal(jz_platform_load("tests/data", &p, &err), -JZ_EIO);
  assert_string_equal(err.msg, "tests/data: cannot read: Is a directory");
}

static void test_more_errors(void **state) {
  (void)state;
  int failures = 0;
  /* top level */
  check_err("name:\npartitions: {p: {}}\n", -JZ_EINVAL, "1:6: 'name' has no value");
  check_err("name: {a: 1}\npartitions: {}\n", -JZ_ESYNTAX, "1:7: 'name': expected a scalar, found a mapping");
  check_err("name: x\npartitions:\n", -JZ_EINVAL, "2:12: 'partitions' has no value");
  check_err("name: x\npartitions: 4\n", -JZ_ESYNTAX, "2:13: 'partitions': expected a mapping, found '4'");
  check_err("42\n", -JZ_ESYNTAX, "1:1: expected a mapping at the top level, found '42'");
  check_err("name: x\nname: y\n", -JZ_ESYNTAX, "2:1: duplicate key 'name' (first at 1:1)");
  /* elements */
  check_err(BASE "  q:\n", -JZ_ESYNTAX, "8:5: partition 'q': expected a mapping, found an empty value");
  check_err(BASE "  q: 4\n", -JZ_ESYNTAX, "8:6: partition 'q': expected a mapping, found '4'");
  check_err(BASE "  q: {node_type: cpu, nodes: 3000000000, fabric: eth}\n", -JZ_ERANGE,
            "8:30: partition 'q': 'nodes': '3000000000' is too large (at most 200000)");
  check_err(BASE "  q: {node_type: cpu, nodes: 2, fabric: eth, links_per_node: 0}\n", -JZ_ERANGE,
            "8:62: partition 'q': 'links_per_node' must be > 0, got '0'");
  check_err(BASE "  q: {node_type: cpu, nodes: 2, fabric: eth, colour: red}\n", -JZ_EUNKNOWNKEY,
            "8:46: partition 'q': unknown key 'colour'");
  check_err(BASE "  q: {node_type: [cpu], nodes: 2, fabric: eth}\n", -JZ_ESYNTAX,
            "8:18: partition 'q': 'node_type': expected a scalar, found a sequence");
  check_err(BASE "  \"\": {node_type: cpu, nodes: 2, fabric: eth}\n", -JZ_EINVAL,
            "8:3: partition name '' must be 1 to 64 letters, digits, '_', '-' or '.'");
  /* node types */
  check_err("name: t\nnode_types:\n  g: {cores: 4, gpus: {model: X, count: 0}}\npartitions: {}\n", -JZ_ERANGE,
            "3:41: node_type 'g': 'gpus': 'count' must be > 0, got '0'");
  check_err("name: t\nnode_types:\n  g: {cores: 4, gpus: {modle: X, count: 1}}\npartitions: {}\n",
            -JZ_EUNKNOWNKEY, "3:24: node_type 'g': 'gpus': unknown key 'modle' (did you mean 'model'?)");
  check_err("name: t\nnode_types:\n  g: {cores: 4, memory: 192}\npartitions: {}\n", -JZ_EUNIT,
            "3:25: node_type 'g': 'memory': '192' needs a unit, e.g. '192GiB'");
  check_err("name: t\nnode_types:\n  g: {cores: 4, core_speed: 0Gf}\npartitions: {}\n", -JZ_ERANGE,
            "3:29: node_type 'g': 'core_speed' must be > 0, got '0Gf'");
  check_err("name: t\nnode_types:\n  g: {cores: 4, power: {idle: 1W}}\npartitions: {}\n", -JZ_EINVAL,
            "3:24: node_type 'g': 'power': missing required key 'max'");
  check_err("name: t\nnode_types:\n  g: {cores: 4, power: 300W}\npartitions: {}\n", -JZ_ESYNTAX,
            "3:24: node_type 'g': 'power': expected a mapping, found '300W'");
  /* fabrics */
  check_err("name: t\nfabrics:\n  f: {bandwidth: 0Gbps, latency: 1us}\npartitions: {}\n", -JZ_ERANGE,
            "3:18: fabric 'f': 'bandwidth' must be > 0, got '0Gbps'");
  check_err("name: t\nfabrics:\n  f: {bandwidth: 1Gbps, latency: -1us}\npartitions: {}\n", -JZ_ERANGE,
            "3:34: fabric 'f': 'latency': '-1us' is negative");
  check_err("name: t\nfabrics:\n  f: {bandwidth: 1Gbps, latency: 1us, topology_parameters: \"4,4\"}\npartitions: {}\n",
            -JZ_EINVAL, "3:60: fabric 'f': 'topology_parameters' only apply to fat-tree, torus and dragonfly");
  check_err("name: t\nfabrics:\n  f: {bandwidth: 1Gbps, latency: 1us, topology: torus}\npartitions: {}\n",
            -JZ_EINVAL, "3:49: fabric 'f': topology 'torus' needs 'topology_parameters'");
  check_err("name: t\nfabrics:\n  f: {bandwidth: 1Gbps, latency: 1us, topology: dragonfly, topology_parameters: \"3,4;4,3;5\"}\npartitions: {}\n",
            -JZ_ESYNTAX,
            "3:81: fabric 'f': bad dragonfly 'topology_parameters' '3,4;4,3;5': expected "
            "'groups,links;chassis,links;routers,links;nodes'");
  check_err("name: t\nfabrics:\n  f: {bandwidth: 1Gbps, latency: 1us, topology: fat-tree, topology_parameters: \"2;4,4;1;1,2\"}\npartitions: {}\n",
            -JZ_ESYNTAX,
            "3:80: fabric 'f': bad fat-tree 'topology_parameters' '2;4,4;1;1,2': each of down, up and "
            "parallel needs one positive integer per level");
  /* storage */
  check_err(BASE "storage:\n  s: {kind: ssd, capacity: 1PB, read_bandwidth: 1GBps, write_bandwidth: 1GBps}\n",
            -JZ_EINVAL, "9:13: storage tier 's': 'kind' must be one of flash, disk, tape, got 'ssd'");
  check_err(BASE "storage:\n  s: {kind: disk, read_bandwidth: 1GBps, write_bandwidth: 1GBps}\n", -JZ_EINVAL,
            "9:6: storage tier 's': missing required key 'capacity'");
  check_err(BASE "storage:\n  s: {kind: tape, capacity: 1PB, read_bandwidth: 1GBps, write_bandwidth: 1GBps, mount_latency: 90}\n",
            -JZ_EUNIT, "9:96: storage tier 's': 'mount_latency': '90' needs a unit, e.g. '90s'");
  check_err(BASE "storage:\n  s: [flash]\n", -JZ_ESYNTAX, "9:6: storage tier 's': expected a mapping, found a sequence");
  /* queues */
  check_err(BASE "queues:\n  q: {partitions: [p], max_gpus_per_job: 0}\n", -JZ_ERANGE,
            "9:42: queue 'q': 'max_gpus_per_job' must be > 0, got '0'");
  check_err(BASE "queues:\n  q: {partitions: [p], max_walltime: 20}\n", -JZ_EUNIT,
            "9:38: queue 'q': 'max_walltime': '20' needs a unit, e.g. '20s'");
  check_err(BASE "queues:\n  q: {partitions: [p], priority: high}\n", -JZ_ESYNTAX,
            "9:34: queue 'q': 'priority': 'high' is not an integer");
  check_err(BASE "queues:\n  q: {partitions: [p], priority: 99999999999}\n", -JZ_ERANGE,
            "9:34: queue 'q': 'priority': '99999999999' is out of range");
  check_err(BASE "queues:\n  q: {partitions: [p, p]}\n", -JZ_EINVAL, "9:23: queue 'q': 'partitions' lists 'p' twice");
  check_err(BASE "queues:\n  q: {partitions: p}\n", -JZ_ESYNTAX,
            "9:19: queue 'q': 'partitions': expected a sequence, found 'p'");
  check_err(BASE "queues:\n  q: {partitions: [{a: 1}]}\n", -JZ_ESYNTAX,
            "9:20: queue 'q': 'partitions': expected a scalar, found a mapping");
  check_err(BASE "queues:\n  q: {max_walltime: 1h}\n", -JZ_EINVAL, "9:6: queue 'q': missing required key 'partitions'");
  check_err(BASE "queues:\n  q: {partitions: [p], max_jobs_per_usr: 3}\n", -JZ_EUNKNOWNKEY,
            "9:24: queue 'q': unknown key 'max_jobs_per_usr' (did you mean 'max_jobs_per_user'?)");
  /* reservations */
#define RSV BASE "reservations:\n  r: "
  check_err(RSV "{partition: p, accounts: [a], start: 0s, end: 1h}\n", -JZ_EINVAL,
            "9:6: reservation 'r': missing required key 'nodes' (or 'fraction')");
  check_err(RSV "{partition: p, fraction: 0.5, nodes: 1, accounts: [a], start: 0s, end: 1h}\n", -JZ_EINVAL,
            "9:36: reservation 'r': give 'nodes' or 'fraction', not both");
  check_err(RSV "{partition: p, fraction: half, accounts: [a], start: 0s, end: 1h}\n", -JZ_ESYNTAX,
            "9:31: reservation 'r': 'fraction': 'half' is not a number");
  check_err(RSV "{partition: p, fraction: -0.1, accounts: [a], start: 0s, end: 1h}\n", -JZ_ERANGE,
            "9:31: reservation 'r': 'fraction' must be in [0, 1], got '-0.1'");
  check_err(RSV "{partition: p, nodes: -1, accounts: [a], start: 0s, end: 1h}\n", -JZ_ERANGE,
            "9:28: reservation 'r': 'nodes' must be 0 or more, got '-1'");
  check_err(RSV "{partition: q, nodes: 1, accounts: [a], start: 0s, end: 1h}\n", -JZ_EINVAL,
            "9:18: reservation 'r': unknown partition 'q' (did you mean 'p'?)");
  check_err(RSV "{partition: p, nodes: 1, accounts: [], start: 0s, end: 1h}\n", -JZ_EINVAL,
            "9:41: reservation 'r': 'accounts' must list at least one account");
  check_err(RSV "{partition: p, nodes: 1, accounts: [a, b, a], start: 0s, end: 1h}\n", -JZ_EINVAL,
            "9:48: reservation 'r': 'accounts' lists 'a' twice");
  check_err(RSV "{partition: p, nodes: 1, accounts: [a], start: 1h, end: 1h}\n", -JZ_ERANGE,
            "9:62: reservation 'r': 'end' '1h' must be after 'start' '1h'");
  check_err(RSV "{partition: p, nodes: 1, accounts: [a], end: 1h}\n", -JZ_EINVAL,
            "9:6: reservation 'r': missing required key 'start'");
  check_err(RSV "{partition: p, nodes: 1, accounts: [a], start: 0s, end: 1h, overflow: maybe}\n", -JZ_EINVAL,
            "9:76: reservation 'r': 'overflow' must be true or false, got 'maybe'");
#undef RSV
  assert_int_equal(failures, 0);
}

static void test_defaults_and_edges(void **state) {
  (void)state;
  /* A dedicated allocation of 0 nodes, by count or by fraction, is accepted: no allocation
   * (platform.h), overflow forced on. */
  for (int k = 0; k < 2; k++) {
    jz_platform_t *z = load_text_ok(k ? BASE "reservations:\n  r: {partition: p, fraction: 0, "
                                        "accounts: [a], start: 0s, end: 1h, overflow: false}\n"
                                      : BASE "reservations:\n  r: {partition: p, nodes: 0, "
                                        "accounts: [a], start: 0s, end: 1h, overflow: false}\n");
    assert_int_equal(z->n_reservations, 1);
    assert_int_equal(z->reservations[0].nodes, 0);
    assert_true(z->reservations[0].overflow);
    jz_platform_free(z);
  }
  /* Optional sections may be empty; quoted numbers are numbers; defaults apply. */
  jz_platform_t *p = load_text_ok(
      "name: \"edge case\"\n"
      "node_types:\n"
      "  cpu: {cores: \"4\", power: {idle: 0W, max: 1W}}\n"
      "fabrics:\n"
      "  eth: {bandwidth: '10Gbps', latency: 0s}\n"
      "partitions:\n"
      "  p: {node_type: cpu, nodes: 10, fabric: eth}\n"
      "  q: {node_type: cpu, nodes: 10, fabric: eth}\n"
      "storage:\n"
      "queues:\n"
      "  a: {partitions: [p], default: true}\n"
      "  b: {partitions: [q], default: TRUE}\n"
      "  c: {partitions: [p, q]}\n"
      "reservations:\n"
      "  r1: {partition: p, fraction: 0.7, accounts: [x], start: 0s, end: 1h}\n"
      "  r2: {partition: p, fraction: 0.25, accounts: [x], start: 0s, end: 1h, period: 1d}\n"
      "  r3: {partition: p, fraction: 0.01, accounts: [x], start: 0s, end: 1h}\n"
      "  r4: {partition: q, fraction: 1, accounts: [x], start: 0s, end: 1h}\n");
  assert_string_equal(p->name, "edge case");
  assert_int_equal(p->node_types[0].cores, 4);
  assert_double_eq(p->node_types[0].core_speed, 0);
  assert_double_eq(p->node_types[0].power_idle, 0);
  assert_int_equal(p->fabrics[0].topology, JZ_TOPO_FLAT);
  assert_int_equal(p->partitions[1].first_node, 10);
  assert_int_equal(p->partitions[1].links_per_node, 1);
  assert_int_equal(p->n_storage, 0);
  assert_int_equal(p->n_queues, 3);
  assert_true(p->queues[0].is_default);
  assert_true(p->queues[1].is_default);
  assert_false(p->queues[2].is_default);
  assert_int_equal(p->queues[2].priority, 0);
  assert_double_eq(p->queues[2].max_walltime, 0);
  assert_int_equal(p->n_reservations, 4);
  assert_int_equal(p->reservations[0].nodes, 7); /* not 8: 0.7 x 10 = 7.000000000000001 */
  assert_int_equal(p->reservations[1].nodes, 3); /* ceil(2.5) */
  assert_int_equal(p->reservations[2].nodes, 1); /* ceil(0.1) */
  assert_int_equal(p->reservations[3].nodes, 10);
  assert_true(p->reservations[0].overflow);
  assert_false(p->reservations[0].lend_idle);
  assert_double_eq(p->reservations[0].period, 0);
  assert_double_eq(p->reservations[1].period, 86400);
  assert_int_equal(jz_platform_first_cpu_partition(p), 0);
  jz_platform_free(p);

  /* No CPU-only partition. */
  p = load_text_ok("name: g\nnode_types:\n  g: {cores: 8, gpus: {model: X, count: 2}}\n"
                   "fabrics:\n  f: {bandwidth: 1Gbps, latency: 1us, topology: torus, topology_parameters: \"2,2\"}\n"
                   "partitions:\n  gp: {node_type: g, nodes: 4, fabric: f}\n");
  assert_int_equal(jz_platform_first_cpu_partition(p), -1);
  assert_string_equal(p->node_types[0].gpu_model, "X");
  assert_double_eq(p->node_types[0].gpu_speed, 0);
  jz_platform_free(p);

  /* The queries accept NULL. */
  assert_int_equal(jz_platform_find_partition(NULL, "p"), -1);
  assert_int_equal(jz_platform_total_nodes(NULL), 0);
  jz_platform_free(NULL);
}

static void test_topology_helpers(void **state) {
  (void)state;
  char b[64];
  assert_int_equal(jz_platform_fat_tree_params(720, b, sizeof b), 0);
  assert_string_equal(b, "2;30,24;1,30;1,1");
  assert_int_equal(jz_platform_fat_tree_params(396, b, sizeof b), 0);
  assert_string_equal(b, "2;22,18;1,22;1,1");
  assert_int_equal(jz_platform_fat_tree_params(364, b, sizeof b), 0);
  assert_string_equal(b, "2;26,14;1,26;1,1");
  assert_int_equal(jz_platform_fat_tree_params(31, b, sizeof b), 0); /* prime: one leaf switch */
  assert_string_equal(b, "2;31,1;1,1;1,1");
  assert_int_equal(jz_platform_fat_tree_params(1, b, sizeof b), 0);
  assert_string_equal(b, "2;1,1;1,1;1,1");
  assert_int_equal(jz_platform_fat_tree_params(16384, b, sizeof b), 0);
  assert_string_equal(b, "2;128,128;1,128;1,1");
  assert_int_equal(jz_platform_fat_tree_params(131, b, sizeof b), -JZ_ERANGE);
  assert_int_equal(jz_platform_fat_tree_params(16512, b, sizeof b), -JZ_ERANGE); /* 129 x 128 */
  assert_int_equal(jz_platform_fat_tree_params(2147483647, b, sizeof b), -JZ_ERANGE);
  assert_int_equal(jz_platform_fat_tree_params(0, b, sizeof b), -JZ_ERANGE);

  long h = 0;
  char why[128];
  assert_int_equal(jz_platform_topology_hosts(JZ_TOPO_FAT_TREE, "2;4,4;1,2;1,2", &h, why, sizeof why), 0);
  assert_int_equal(h, 16);
  assert_int_equal(jz_platform_topology_hosts(JZ_TOPO_FAT_TREE, "2;30,24;1,30;1,1", &h, why, sizeof why), 0);
  assert_int_equal(h, 720);
  assert_int_equal(jz_platform_topology_hosts(JZ_TOPO_TORUS, "4,4,4", &h, why, sizeof why), 0);
  assert_int_equal(h, 64);
  assert_int_equal(jz_platform_topology_hosts(JZ_TOPO_DRAGONFLY, "3,4;4,3;5,1;2", &h, why, sizeof why), 0);
  assert_int_equal(h, 120);
  static const struct {
    jz_topology_t t;
    const char *s;
  } bad[] = {
      {JZ_TOPO_FAT_TREE, ""},           {JZ_TOPO_FAT_TREE, "2;4,4;1,2"},   {JZ_TOPO_FAT_TREE, "0;;;"},
      {JZ_TOPO_FAT_TREE, "2;4,0;1,2;1,2"}, {JZ_TOPO_FAT_TREE, "2;4,4;1,2;1,2,"}, {JZ_TOPO_TORUS, "4,,4"},
      {JZ_TOPO_TORUS, "4;4"},           {JZ_TOPO_TORUS, "-4"},            {JZ_TOPO_DRAGONFLY, "3,4;4,3;5,1;2,2"},
      {JZ_TOPO_FLAT, "4"},              {JZ_TOPO_TORUS, "100000,100000,100000"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (jz_platform_topology_hosts(bad[i].t, bad[i].s, &h, why, sizeof why) != -JZ_ESYNTAX)
      fail_msg("'%s' accepted", bad[i].s);
  assert_string_equal(jz_platform_topology_name(JZ_TOPO_DRAGONFLY), "dragonfly");
  assert_string_equal(jz_platform_storage_kind_name(JZ_STORAGE_TAPE), "tape");
}

/* ------------------------------------------------------------------------------------------ */
/* yamlx                                                                                      */

static int yx_err(const char *text, size_t len, char *msg) {
  jz_error_t err = {0};
  jz_yamlx_doc_t *d = (jz_yamlx_doc_t *)(uintptr_t)1;
  int rc = jz_yamlx_load_string("t.yaml", text, len, &d, &err);
  assert_null(d);
  strcpy(msg, err.msg);
  return rc;
}

static void test_yamlx_tree(void **state) {
  (void)state;
  const char *text = "a: 1\nb:\n  - x\n  - 'null'\n  - ~\nc: {d: \"q\", e: }\n";
  jz_error_t err = {0};
  jz_yamlx_doc_t *d = NULL;
  assert_int_equal(jz_yamlx_load_string("t.yaml", text, strlen(text), &d, &err), 0);
  const jz_yamlx_node_t *r = d->root;
  assert_true(jz_yamlx_is_mapping(r));
  assert_int_equal(jz_yamlx_len(r), 3);
  assert_int_equal(r->line, 1);
  assert_int_equal(r->col, 1);
  assert_string_equal(jz_yamlx_str(jz_yamlx_map_key(r, 1)), "b");
  assert_string_equal(jz_yamlx_str(jz_yamlx_map_get(r, "a")), "1");
  const jz_yamlx_node_t *b = jz_yamlx_map_get(r, "b");
  assert_true(jz_yamlx_is_sequence(b));
  assert_int_equal(b->line, 3);
  assert_int_equal(b->col, 3);
  assert_int_equal(jz_yamlx_len(b), 3);
  const jz_yamlx_node_t *x = jz_yamlx_seq_item(b, 0);
  assert_int_equal(x->line, 3);
  assert_int_equal(x->col, 5);
  assert_false(x->quoted);
  assert_true(jz_yamlx_seq_item(b, 1)->quoted);
  assert_false(jz_yamlx_is_null(jz_yamlx_seq_item(b, 1))); /* quoted 'null' is a string */
  assert_true(jz_yamlx_is_null(jz_yamlx_seq_item(b, 2)));
  assert_null(jz_yamlx_seq_item(b, 3));
  const jz_yamlx_node_t *c = jz_yamlx_map_value(r, 2);
  assert_int_equal(c->line, 6);
  assert_int_equal(c->col, 4);
  assert_true(jz_yamlx_is_null(jz_yamlx_map_get(c, "e")));
  assert_null(jz_yamlx_map_get(c, "zz"));
  assert_null(jz_yamlx_map_get(b, "a"));
  assert_null(jz_yamlx_str(c));
  char buf[64];
  assert_string_equal(jz_yamlx_describe(c, buf, sizeof buf), "a mapping");
  assert_string_equal(jz_yamlx_describe(b, buf, sizeof buf), "a sequence");
  assert_string_equal(jz_yamlx_describe(jz_yamlx_map_get(c, "e"), buf, sizeof buf), "an empty value");
  assert_string_equal(jz_yamlx_describe(jz_yamlx_map_get(c, "d"), buf, sizeof buf), "'q'");
  jz_yamlx_free(d);

  /* An empty stream has no root. */
  assert_int_equal(jz_yamlx_load_string("e.yaml", "", 0, &d, &err), 0);
  assert_null(d->root);
  jz_yamlx_free(d);
}

static void test_yamlx_errors(void **state) {
  (void)state;
  char msg[600];
  assert_int_equal(yx_err("a: 1\nb: [1, 2\n", 12, msg), -JZ_ESYNTAX);
  assert_string_equal(msg, "t.yaml:3:1: did not find expected node content");
  assert_int_equal(yx_err("? [a]\n: 1\n", 10, msg), -JZ_ESYNTAX);
  assert_string_equal(msg, "t.yaml:1:3: mapping keys must be scalars, found a sequence");
  assert_int_equal(yx_err("a: \"x\\0y\"\n", 10, msg), -JZ_ESYNTAX);
  assert_string_equal(msg, "t.yaml:1:4: NUL character in a scalar");
  assert_int_equal(yx_err("a: b\nc: \xff\n", 9, msg), -JZ_ESYNTAX);
  assert_string_equal(msg, "t.yaml:2:4: invalid leading UTF-8 octet (byte 0xff)");
  /* Nesting is bounded. */
  char deep[200];
  memset(deep, '[', 70);
  memset(deep + 70, ']', 70);
  assert_int_equal(yx_err(deep, 140, msg), -JZ_ESYNTAX);
  assert_string_equal(msg, "t.yaml:1:65: nesting deeper than 64 levels");
  /* Repeated keys are found in large mappings too (sorted path), reporting the first repeat. */
  char big[4000];
  size_t n = 0;
  for (int i = 0; i < 100; i++) n += (size_t)snprintf(big + n, sizeof big - n, "k%d: %d\n", i % 90 == 89 ? 5 : i, i);
  assert_int_equal(yx_err(big, n, msg), -JZ_ESYNTAX);
  assert_string_equal(msg, "t.yaml:90:1: duplicate key 'k5' (first at 6:1)");
  /* Distinct keys that share a prefix are not duplicates. */
  jz_error_t err = {0};
  jz_yamlx_doc_t *d = NULL;
  assert_int_equal(jz_yamlx_load_string("t.yaml", "a: 1\naa: 2\n", 10, &d, &err), 0);
  jz_yamlx_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tiny),
      cmocka_unit_test(test_flat1),
      cmocka_unit_test(test_mixed),
      cmocka_unit_test(test_jean_zay),
      cmocka_unit_test(test_print_tiny),
      cmocka_unit_test(test_print_mixed_and_jean_zay),
      cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_unreadable),
      cmocka_unit_test(test_more_errors),
      cmocka_unit_test(test_defaults_and_edges),
      cmocka_unit_test(test_topology_helpers),
      cmocka_unit_test(test_yamlx_tree),
      cmocka_unit_test(test_yamlx_errors),
  };
  return cmocka_run_group_tests(tests, chdir_root, NULL);
}
