/* platform.c: read a platform YAML file (DESIGN §3, schema v1) into jz_platform_t, validating
 * everything and reporting the first problem as "path:line:col: message quoting the text".
 *
 * Each mapping is read in two passes: first its keys (unknown keys fail, with the closest
 * valid key when it is at most 2 edits away; missing required keys fail at the mapping), then
 * its values in the order of the key table. Sections are read in dependency order (node_types,
 * fabrics, partitions, storage, queues, reservations) so that references resolve to indices
 * as they are met. Every message starts with its subject ("partition 'gpu_p13': ..."). */
#include "platform.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "units.h"
#include "yamlx.h"

static void free_queues_and_reservations(jz_platform_t *p);

typedef struct ctx {
  const char *path;
  jz_error_t *err;
  jz_platform_t *p;
} ctx_t;

typedef struct keyspec {
  const char *name;
  bool required;
} keyspec_t;

#define NKEYS(t) (sizeof(t) / sizeof((t)[0]))

/* ------------------------------------------------------------------------------------------ */
/* Messages                                                                                   */

static int fail(ctx_t *c, int code, const jz_yamlx_node_t *at, const char *subj, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static int fail(ctx_t *c, int code, const jz_yamlx_node_t *at, const char *subj, const char *fmt,
                ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  long line = at ? at->line : 0, col = at ? at->col : 0;
  if (subj && *subj) return jz_error_at(c->err, code, c->path, line, col, "%s: %s", subj, msg);
  return jz_error_at(c->err, code, c->path, line, col, "%s", msg);
}

/* ------------------------------------------------------------------------------------------ */
/* Shapes and scalars                                                                         */

/* Fail unless node n is of kind k. key (may be NULL) names the field inside subj. */
static int expect(ctx_t *c, const jz_yamlx_node_t *n, jz_yamlx_kind_t k, const char *subj,
                  const char *key) {
  if (n->kind == k && !(k == JZ_YAMLX_SCALAR && n->is_null)) return 0;
  const char *what = k == JZ_YAMLX_MAPPING ? "a mapping" : k == JZ_YAMLX_SEQUENCE ? "a sequence" : "a scalar";
  if (k == JZ_YAMLX_SCALAR && n->is_null && key)
    return fail(c, -JZ_EINVAL, n, subj, "'%s' has no value", key);
  char d[96];
  jz_yamlx_describe(n, d, sizeof d);
  if (key) return fail(c, -JZ_ESYNTAX, n, subj, "'%s': expected %s, found %s", key, what, d);
  return fail(c, -JZ_ESYNTAX, n, subj, "expected %s, found %s", what, d);
}

/* First pass over a mapping: unknown keys fail, values land in slots[] by key index, then
 * missing required keys fail (reported at the mapping itself). */
static int take_keys(ctx_t *c, const jz_yamlx_node_t *map, const char *subj, const keyspec_t *keys,
                     size_t nkeys, const jz_yamlx_node_t **slots) {
  for (size_t k = 0; k < nkeys; k++) slots[k] = NULL;
  for (size_t i = 0; i < map->n_pairs; i++) {
    const jz_yamlx_node_t *key = map->pairs[i].key;
    size_t k = 0;
    while (k < nkeys && strcmp(keys[k].name, key->text) != 0) k++;
    if (k == nkeys) {
      char sb[96];
      const char *cand = jz_suggest_closest(key->text, keys, nkeys, sizeof *keys, false);
      return fail(c, -JZ_EUNKNOWNKEY, key, subj, "unknown key '%s'%s", key->text,
                  jz_suggest_hint(sb, sizeof sb, cand));
    }
    slots[k] = map->pairs[i].value;
  }
  for (size_t k = 0; k < nkeys; k++)
    if (keys[k].required && !slots[k])
      return fail(c, -JZ_EINVAL, map, subj, "missing required key '%s'", keys[k].name);
  return 0;
}

/* Names become SimGrid host/zone ids and CSV fields: keep them to a safe alphabet, and short
 * enough that the ids built from them (a fat tree's router repeats its partition's name twice)
 * fit the generator's fixed buffers. */
#define NAME_MAX_LEN 64
static bool good_name(const char *s) {
  if (!*s || strlen(s) > NAME_MAX_LEN) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_' || *s == '-' || *s == '.'))
      return false;
  return true;
}

static int get_string(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                      char **out) {
  int rc = expect(c, n, JZ_YAMLX_SCALAR, subj, key);
  if (rc < 0) return rc;
  if (!*n->text) return fail(c, -JZ_EINVAL, n, subj, "'%s' has no value", key);
  *out = strdup(n->text);
  if (!*out) return fail(c, -JZ_ENOMEM, n, subj, "out of memory");
  return 0;
}

/* A count: a plain integer > 0 (no unit), at most max. */
static int get_count(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                     long long max, long long *out) {
  int rc = expect(c, n, JZ_YAMLX_SCALAR, subj, key);
  if (rc < 0) return rc;
  long long v;
  rc = jz_units_parse_ll(n->text, &v);
  if (rc == -JZ_ESYNTAX)
    return fail(c, -JZ_ESYNTAX, n, subj, "'%s': '%s' is not an integer", key, n->text);
  if (rc == 0 && v <= 0)
    return fail(c, -JZ_ERANGE, n, subj, "'%s' must be > 0, got '%s'", key, n->text);
  if (rc < 0 || v > max)
    return fail(c, -JZ_ERANGE, n, subj, "'%s': '%s' is too large (at most %lld)", key, n->text, max);
  *out = v;
  return 0;
}

static int get_int_count(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                         int *out) {
  long long v;
  int rc = get_count(c, n, subj, key, INT_MAX, &v);
  if (rc == 0) *out = (int)v;
  return rc;
}

static int get_long_count(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                          long *out) {
  long long v;
  int rc = get_count(c, n, subj, key, LONG_MAX, &v);
  if (rc == 0) *out = (long)v;
  return rc;
}

/* A quantity with a unit; positive = must be > 0 (else >= 0). */
static int get_qty(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                   jz_unit_kind_t kind, bool positive, double *out) {
  int rc = expect(c, n, JZ_YAMLX_SCALAR, subj, key);
  if (rc < 0) return rc;
  char why[300];
  rc = jz_units_parse(n->text, kind, out, why, sizeof why);
  if (rc < 0) return fail(c, rc, n, subj, "'%s': %s", key, why);
  if (positive && *out <= 0)
    return fail(c, -JZ_ERANGE, n, subj, "'%s' must be > 0, got '%s'", key, n->text);
  return 0;
}

/* A time of a platform or experiment file: a duration of at most JZ_TIME_MAX. */
static int get_time(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                    bool positive, double *out) {
  int rc = get_qty(c, n, subj, key, JZ_UNIT_TIME, positive, out);
  if (rc == 0 && *out > JZ_TIME_MAX)
    return fail(c, -JZ_ERANGE, n, subj, "'%s' '%s' is beyond %.0f s (2^32 s, about 136 years)",
                key, n->text, JZ_TIME_MAX);
  return rc;
}

static int get_bool(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                    bool *out) {
  int rc = expect(c, n, JZ_YAMLX_SCALAR, subj, key);
  if (rc < 0) return rc;
  const char *t = n->text;
  if (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "TRUE")) {
    *out = true;
    return 0;
  }
  if (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "FALSE")) {
    *out = false;
    return 0;
  }
  return fail(c, -JZ_EINVAL, n, subj, "'%s' must be true or false, got '%s'", key, t);
}

/* One of names[0..n-1]; the index goes to *out. */
static int get_enum(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                    const char *const *names, size_t nn, int *out) {
  int rc = expect(c, n, JZ_YAMLX_SCALAR, subj, key);
  if (rc < 0) return rc;
  char list[128] = "", sb[96];
  size_t len = 0;
  for (size_t i = 0; i < nn; i++) {
    if (!strcmp(names[i], n->text)) {
      *out = (int)i;
      return 0;
    }
    len += (size_t)snprintf(list + len, len < sizeof list ? sizeof list - len : 0, "%s%s",
                            i ? ", " : "", names[i]);
  }
  const char *cand = jz_suggest_closest(n->text, names, nn, sizeof *names, false);
  return fail(c, -JZ_EINVAL, n, subj, "'%s' must be one of %s, got '%s'%s", key, list, n->text,
              jz_suggest_hint(sb, sizeof sb, cand));
}

/* A reference to an element of an array of structs whose first member is the name. */
static int resolve(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                   const char *what, const void *arr, int count, size_t stride, int *out) {
  int rc = expect(c, n, JZ_YAMLX_SCALAR, subj, key);
  if (rc < 0) return rc;
  for (int i = 0; i < count; i++)
    if (!strcmp(*(const char *const *)((const char *)arr + (size_t)i * stride), n->text)) {
      *out = i;
      return 0;
    }
  char sb[96];
  const char *cand = jz_suggest_closest(n->text, arr, (size_t)count, stride, false);
  return fail(c, -JZ_EINVAL, n, subj, "unknown %s '%s'%s", what, n->text,
              jz_suggest_hint(sb, sizeof sb, cand));
}

/* A non-empty sequence of distinct non-empty scalars. *items points into the tree. */
static int get_list(ctx_t *c, const jz_yamlx_node_t *n, const char *subj, const char *key,
                    const char *what) {
  int rc = expect(c, n, JZ_YAMLX_SEQUENCE, subj, key);
  if (rc < 0) return rc;
  if (n->n_items == 0) return fail(c, -JZ_EINVAL, n, subj, "'%s' must list at least one %s", key, what);
  for (size_t i = 0; i < n->n_items; i++) {
    const jz_yamlx_node_t *it = n->items[i];
    if (it->is_null || (it->kind == JZ_YAMLX_SCALAR && !*it->text))
      return fail(c, -JZ_EINVAL, it, subj, "'%s' has an empty item", key);
    rc = expect(c, it, JZ_YAMLX_SCALAR, subj, key);
    if (rc < 0) return rc;
    for (size_t j = 0; j < i; j++)
      if (!strcmp(n->items[j]->text, it->text))
        return fail(c, -JZ_EINVAL, it, subj, "'%s' lists '%s' twice", key, it->text);
  }
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Topology parameters                                                                        */

static const char *const topo_names[] = {"flat", "fat-tree", "torus", "dragonfly"};
static const char *const storage_kind_names[] = {"flash", "disk", "tape"};

const char *jz_platform_topology_name(jz_topology_t t) {
  return (unsigned)t < NKEYS(topo_names) ? topo_names[t] : "?";
}

const char *jz_platform_storage_kind_name(jz_storage_kind_t k) {
  return (unsigned)k < NKEYS(storage_kind_names) ? storage_kind_names[k] : "?";
}

/* Parse "a,b,c" (exactly want values if want > 0) of positive ints between s and end. */
static int int_list(const char *s, const char *end, long *vals, int maxv, int want, int *count) {
  int n = 0;
  const char *p = s;
  while (p <= end) {
    const char *q = p;
    while (q < end && *q != ',') q++;
    if (q == p || n >= maxv) return -1;
    long v = 0;
    for (const char *d = p; d < q; d++) {
      if (*d < '0' || *d > '9' || v > 1000000) return -1;
      v = v * 10 + (*d - '0');
    }
    if (v <= 0) return -1;
    vals[n++] = v;
    p = q + 1;
  }
  if (want > 0 && n != want) return -1;
  *count = n;
  return 0;
}

static int topo_why(char *why, size_t whylen, const char *msg) {
  if (why && whylen) snprintf(why, whylen, "%s", msg);
  return -JZ_ESYNTAX;
}

/* Multiply with a cap: topologies beyond 2^31 hosts are nonsense and would overflow. */
static bool mul_capped(long *acc, long v) {
  if (*acc > INT_MAX / v) return false;
  *acc *= v;
  return true;
}

int jz_platform_topology_hosts(jz_topology_t t, const char *params, long *hosts, char *why,
                               size_t whylen) {
  enum { MAXF = 8, MAXV = 16 };
  const char *field[MAXF], *fend[MAXF];
  int nf = 0;
  if (!params || !*params) return topo_why(why, whylen, "empty");
  for (const char *p = params;;) {
    const char *q = strchr(p, ';');
    if (nf >= MAXF) return topo_why(why, whylen, "too many ';'-separated fields");
    field[nf] = p;
    fend[nf] = q ? q : p + strlen(p);
    nf++;
    if (!q) break;
    p = q + 1;
  }
  long v[MAXV], h = 1;
  double links = 0; /* links SimGrid creates for the topology: a memory bomb otherwise */
  int n;
  switch (t) {
  case JZ_TOPO_FAT_TREE: {
    if (nf != 4)
      return topo_why(why, whylen, "expected 'levels;down,...;up,...;parallel,...' (4 fields)");
    if (int_list(field[0], fend[0], v, 1, 1, &n) < 0 || v[0] > MAXV)
      return topo_why(why, whylen, "the level count must be an integer from 1 to 16");
    int levels = (int)v[0];
    long lv[3][MAXV];
    for (int f = 1; f <= 3; f++)
      if (int_list(field[f], fend[f], lv[f - 1], MAXV, levels, &n) < 0)
        return topo_why(why, whylen, "each of down, up and parallel needs one positive integer per level");
    for (int i = 0; i < n; i++)
      if (!mul_capped(&h, lv[0][i])) return topo_why(why, whylen, "too many hosts");
    /* Nodes of level i (0 = hosts) each have up[i] x parallel[i] links to level i+1, and
     * level i+1 has nodes(i) x up[i] / down[i] nodes (SimGrid's FatTreeZone). */
    double nodes = (double)h;
    for (int i = 0; i < n; i++) {
      links += nodes * (double)lv[1][i] * (double)lv[2][i];
      nodes = nodes * (double)lv[1][i] / (double)lv[0][i];
    }
    break;
  }
  case JZ_TOPO_TORUS:
    if (nf != 1 || int_list(field[0], fend[0], v, MAXV, 0, &n) < 0)
      return topo_why(why, whylen, "expected positive dimensions 'X,Y,...'");
    for (int i = 0; i < n; i++)
      if (!mul_capped(&h, v[i])) return topo_why(why, whylen, "too many hosts");
    links = (double)h * n; /* one link per host and dimension */
    break;
  case JZ_TOPO_DRAGONFLY: {
    if (nf != 4) return topo_why(why, whylen, "expected 'groups,links;chassis,links;routers,links;nodes'");
    double g[4][2] = {{0}};
    for (int f = 0; f < 4; f++) {
      if (int_list(field[f], fend[f], v, 2, f < 3 ? 2 : 1, &n) < 0)
        return topo_why(why, whylen, "expected 'groups,links;chassis,links;routers,links;nodes' with positive integers");
      if (!mul_capped(&h, v[0])) return topo_why(why, whylen, "too many hosts");
      g[f][0] = (double)v[0];
      g[f][1] = n > 1 ? (double)v[1] : 0;
    }
    /* Host links, routers all-to-all in a chassis, chassis all-to-all in a group, groups
     * all-to-all, each pair with its number of parallel links. */
    double G = g[0][0], C = g[1][0], R = g[2][0];
    links = (double)h + G * C * R * (R - 1) / 2 * g[2][1] + G * R * C * (C - 1) / 2 * g[1][1] +
            G * (G - 1) / 2 * g[0][1];
    break;
  }
  default: return topo_why(why, whylen, "flat clusters take no parameters");
  }
  if (links > JZ_PLATFORM_MAX_TOPOLOGY_LINKS) {
    if (why && whylen)
      snprintf(why, whylen, "they make %.3g links, at most %d are supported", links,
               JZ_PLATFORM_MAX_TOPOLOGY_LINKS);
    return -JZ_ESYNTAX;
  }
  *hosts = h;
  return 0;
}

int jz_platform_fat_tree_params(int nodes, char *buf, size_t len) {
  if (nodes <= 0) return -JZ_ERANGE;
  /* Smallest divisor h with h*h >= nodes: as many leaves as possible, each leaf no smaller
   * than the number of leaves, so both switch levels stay of similar radix. */
  long n = nodes, h = 1;
  while (h * h < n) h++;
  while (n % h && h <= JZ_FAT_TREE_MAX_LEAF) h++;
  if (h > JZ_FAT_TREE_MAX_LEAF) return -JZ_ERANGE;
  long leaves = n / h;
  /* Non-blocking: each leaf has one uplink per host, i.e. h spine switches; a single leaf
   * needs no spine bandwidth, one spine keeps SimGrid's 2-level shape. */
  snprintf(buf, len, "2;%ld,%ld;1,%ld;1,1", h, leaves, leaves > 1 ? h : 1L);
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Sections                                                                                   */

typedef int (*elem_fn)(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                       const jz_yamlx_node_t *val, const char *subj);

/* A named section: a mapping name -> mapping. Allocates *arr (count elements of size elem).
 * A missing or empty-valued section yields no element. */
static int section(ctx_t *c, const jz_yamlx_node_t *n, const char *key, const char *kind,
                   void **arr, int *count, size_t elem, elem_fn fn) {
  *count = 0;
  if (!n || n->is_null) return 0;
  int rc = expect(c, n, JZ_YAMLX_MAPPING, "", key);
  if (rc < 0) return rc;
  if (n->n_pairs == 0) return 0;
  static const struct { const char *key; int max; } limits[] = {
      {"node_types", JZ_PLATFORM_MAX_NODE_TYPES}, {"fabrics", JZ_PLATFORM_MAX_FABRICS},
      {"partitions", JZ_PLATFORM_MAX_PARTITIONS}, {"storage", JZ_PLATFORM_MAX_STORAGE},
      {"queues", JZ_PLATFORM_MAX_QUEUES},         {"reservations", JZ_PLATFORM_MAX_RESERVATIONS}};
  for (size_t k = 0; k < NKEYS(limits); k++)
    if (!strcmp(limits[k].key, key) && n->n_pairs > (size_t)limits[k].max)
      return fail(c, -JZ_ERANGE, n->pairs[limits[k].max].key, "",
                  "'%s' has %zu entries, at most %d are supported", key, n->n_pairs, limits[k].max);
  *arr = calloc(n->n_pairs, elem);
  if (!*arr) return fail(c, -JZ_ENOMEM, n, "", "out of memory");
  for (size_t i = 0; i < n->n_pairs; i++) {
    const jz_yamlx_node_t *k = n->pairs[i].key, *v = n->pairs[i].value;
    if (!good_name(k->text))
      return fail(c, -JZ_EINVAL, k, "",
                  "%s name '%.80s%s' must be 1 to %d letters, digits, '_', '-' or '.'", kind, k->text,
                  strlen(k->text) > 80 ? "..." : "", NAME_MAX_LEN);
    char subj[160];
    snprintf(subj, sizeof subj, "%s '%s'", kind, k->text);
    rc = expect(c, v, JZ_YAMLX_MAPPING, subj, NULL);
    if (rc < 0) return rc;
    /* The name is the element's first member; set it first so free() finds it on error. */
    char **name = (char **)((char *)*arr + i * elem);
    *name = strdup(k->text);
    *count = (int)i + 1;
    if (!*name) return fail(c, -JZ_ENOMEM, k, "", "out of memory");
    rc = fn(c, (int)i, k->text, k, v, subj);
    if (rc < 0) return rc;
  }
  return 0;
}

static jz_srcpos_t pos_of(const jz_yamlx_node_t *k) { return (jz_srcpos_t){k->line, k->col}; }

static int parse_node_type(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                           const jz_yamlx_node_t *val, const char *subj) {
  static const keyspec_t keys[] = {{"cores", true},  {"core_speed", false}, {"memory", false},
                                   {"gpus", false},  {"power", false}};
  static const keyspec_t gpu_keys[] = {{"model", true}, {"count", true}, {"speed", false},
                                       {"memory", false}, {"fp64", false}, {"bf16", false}};
  static const keyspec_t power_keys[] = {{"idle", true}, {"max", true}};
  jz_node_type_t *t = &c->p->node_types[i];
  const jz_yamlx_node_t *s[NKEYS(keys)], *g[NKEYS(gpu_keys)], *w[NKEYS(power_keys)];
  (void)name;
  t->pos = pos_of(key);
  int rc = take_keys(c, val, subj, keys, NKEYS(keys), s);
  long long v = 0;
  if (rc == 0) rc = get_count(c, s[0], subj, "cores", JZ_PLATFORM_MAX_CORES_PER_NODE, &v);
  t->cores = (int)v;
  if (rc == 0 && s[1]) rc = get_qty(c, s[1], subj, "core_speed", JZ_UNIT_FLOPS, true, &t->core_speed);
  if (rc == 0 && s[2]) rc = get_qty(c, s[2], subj, "memory", JZ_UNIT_SIZE, true, &t->memory);
  if (rc == 0 && s[3]) {
    char sub[200];
    snprintf(sub, sizeof sub, "%s: 'gpus'", subj);
    rc = expect(c, s[3], JZ_YAMLX_MAPPING, subj, "gpus");
    if (rc == 0) rc = take_keys(c, s[3], sub, gpu_keys, NKEYS(gpu_keys), g);
    if (rc == 0) rc = get_string(c, g[0], sub, "model", &t->gpu_model);
    if (rc == 0) rc = get_count(c, g[1], sub, "count", JZ_PLATFORM_MAX_GPUS_PER_NODE, &v);
    t->gpus = (int)v;
    if (rc == 0 && g[2]) rc = get_qty(c, g[2], sub, "speed", JZ_UNIT_FLOPS, true, &t->gpu_speed);
    if (rc == 0 && g[3]) rc = get_qty(c, g[3], sub, "memory", JZ_UNIT_SIZE, true, &t->gpu_memory);
    /* Per-precision rates, for work profiles and re-targeting (docs/models.md). */
    if (rc == 0 && g[4]) rc = get_qty(c, g[4], sub, "fp64", JZ_UNIT_FLOPS, true, &t->gpu_fp64);
    if (rc == 0 && g[5]) rc = get_qty(c, g[5], sub, "bf16", JZ_UNIT_FLOPS, true, &t->gpu_bf16);
  }
  if (rc == 0 && s[4]) {
    char sub[200];
    snprintf(sub, sizeof sub, "%s: 'power'", subj);
    rc = expect(c, s[4], JZ_YAMLX_MAPPING, subj, "power");
    if (rc == 0) rc = take_keys(c, s[4], sub, power_keys, NKEYS(power_keys), w);
    if (rc == 0) rc = get_qty(c, w[0], sub, "idle", JZ_UNIT_POWER, false, &t->power_idle);
    if (rc == 0) rc = get_qty(c, w[1], sub, "max", JZ_UNIT_POWER, true, &t->power_max);
    if (rc == 0 && t->power_idle > t->power_max)
      rc = fail(c, -JZ_ERANGE, w[0], sub, "'idle' '%s' exceeds 'max' '%s'", w[0]->text, w[1]->text);
    t->has_power = rc == 0;
  }
  return rc;
}

static int parse_fabric(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                        const jz_yamlx_node_t *val, const char *subj) {
  static const keyspec_t keys[] = {{"bandwidth", true}, {"latency", true}, {"topology", false},
                                   {"topology_parameters", false}};
  jz_fabric_t *f = &c->p->fabrics[i];
  const jz_yamlx_node_t *s[NKEYS(keys)];
  (void)name;
  f->pos = pos_of(key);
  int rc = take_keys(c, val, subj, keys, NKEYS(keys), s);
  if (rc == 0) rc = get_qty(c, s[0], subj, "bandwidth", JZ_UNIT_BANDWIDTH, true, &f->bandwidth);
  if (rc == 0) rc = get_qty(c, s[1], subj, "latency", JZ_UNIT_TIME, false, &f->latency);
  int topo = JZ_TOPO_FLAT;
  if (rc == 0 && s[2]) rc = get_enum(c, s[2], subj, "topology", topo_names, NKEYS(topo_names), &topo);
  f->topology = (jz_topology_t)topo;
  if (rc == 0 && s[3]) rc = get_string(c, s[3], subj, "topology_parameters", &f->topology_parameters);
  if (rc < 0) return rc;
  if (f->topology == JZ_TOPO_FLAT && s[3])
    return fail(c, -JZ_EINVAL, s[3], subj,
                "'topology_parameters' only apply to fat-tree, torus and dragonfly");
  if ((f->topology == JZ_TOPO_TORUS || f->topology == JZ_TOPO_DRAGONFLY) && !s[3])
    return fail(c, -JZ_EINVAL, s[2], subj, "topology '%s' needs 'topology_parameters'",
                topo_names[f->topology]);
  if (s[3]) {
    long hosts;
    char why[160];
    if (jz_platform_topology_hosts(f->topology, f->topology_parameters, &hosts, why, sizeof why) < 0)
      return fail(c, -JZ_ESYNTAX, s[3], subj, "bad %s 'topology_parameters' '%s': %s",
                  topo_names[f->topology], f->topology_parameters, why);
  }
  return 0;
}

static int parse_partition(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                           const jz_yamlx_node_t *val, const char *subj) {
  static const keyspec_t keys[] = {{"node_type", true}, {"nodes", true}, {"fabric", true},
                                   {"links_per_node", false}};
  jz_platform_t *p = c->p;
  jz_partition_t *q = &p->partitions[i];
  const jz_yamlx_node_t *s[NKEYS(keys)];
  (void)name;
  q->pos = pos_of(key);
  q->links_per_node = 1;
  int rc = take_keys(c, val, subj, keys, NKEYS(keys), s);
  if (rc == 0)
    rc = resolve(c, s[0], subj, "node_type", "node_type", p->node_types, p->n_node_types,
                 sizeof *p->node_types, &q->node_type);
  long long v = 0;
  if (rc == 0) rc = get_count(c, s[1], subj, "nodes", JZ_PLATFORM_MAX_NODES_PER_PARTITION, &v);
  q->nodes = (int)v;
  if (rc == 0)
    rc = resolve(c, s[2], subj, "fabric", "fabric", p->fabrics, p->n_fabrics, sizeof *p->fabrics,
                 &q->fabric);
  if (rc == 0 && s[3]) rc = get_int_count(c, s[3], subj, "links_per_node", &q->links_per_node);
  if (rc < 0) return rc;
  /* Node numbering is global and follows the file order of partitions. */
  q->first_node = i == 0 ? 0 : p->partitions[i - 1].first_node + p->partitions[i - 1].nodes;
  if (q->first_node > JZ_PLATFORM_MAX_NODES - q->nodes)
    return fail(c, -JZ_ERANGE, s[1], subj, "%d nodes here make more than %d in all partitions",
                q->nodes, JZ_PLATFORM_MAX_NODES);
  /* The SimGrid cluster of this partition must hold exactly `nodes` hosts. */
  const jz_fabric_t *f = &p->fabrics[q->fabric];
  if (f->topology_parameters) {
    long hosts = 0;
    jz_platform_topology_hosts(f->topology, f->topology_parameters, &hosts, NULL, 0);
    if (hosts != q->nodes)
      return fail(c, -JZ_EINVAL, s[2], subj,
                  "fabric '%s' topology_parameters '%s' describe %ld hosts, not %d", f->name,
                  f->topology_parameters, hosts, q->nodes);
  } else if (f->topology == JZ_TOPO_FAT_TREE) {
    char tp[64];
    if (jz_platform_fat_tree_params(q->nodes, tp, sizeof tp) < 0)
      return fail(c, -JZ_ERANGE, s[1], subj,
                  "no 2-level fat-tree fits %d nodes with at most %d per leaf switch; set "
                  "'topology_parameters' on fabric '%s' or use topology flat",
                  q->nodes, JZ_FAT_TREE_MAX_LEAF, f->name);
  }
  return 0;
}

static int parse_storage(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                         const jz_yamlx_node_t *val, const char *subj) {
  static const keyspec_t keys[] = {{"kind", true},           {"capacity", true},
                                   {"read_bandwidth", true}, {"write_bandwidth", true},
                                   {"mount_latency", false}, {"drives", false}};
  jz_storage_t *st = &c->p->storage[i];
  const jz_yamlx_node_t *s[NKEYS(keys)];
  (void)name;
  st->pos = pos_of(key);
  int kind = 0;
  int rc = take_keys(c, val, subj, keys, NKEYS(keys), s);
  if (rc == 0) rc = get_enum(c, s[0], subj, "kind", storage_kind_names, NKEYS(storage_kind_names), &kind);
  st->kind = (jz_storage_kind_t)kind;
  if (rc == 0) rc = get_qty(c, s[1], subj, "capacity", JZ_UNIT_SIZE, true, &st->capacity);
  if (rc == 0) rc = get_qty(c, s[2], subj, "read_bandwidth", JZ_UNIT_BANDWIDTH, true, &st->read_bandwidth);
  if (rc == 0) rc = get_qty(c, s[3], subj, "write_bandwidth", JZ_UNIT_BANDWIDTH, true, &st->write_bandwidth);
  if (rc == 0 && s[4]) rc = get_qty(c, s[4], subj, "mount_latency", JZ_UNIT_TIME, false, &st->mount_latency);
  if (rc == 0 && s[5]) {
    if (st->kind != JZ_STORAGE_TAPE)
      return fail(c, -JZ_EINVAL, s[5], subj, "'drives' applies to tape tiers only (kind: %s)",
                  jz_platform_storage_kind_name(st->kind));
    rc = get_int_count(c, s[5], subj, "drives", &st->drives);
    if (rc == 0 && st->drives == 0)
      return fail(c, -JZ_ERANGE, s[5], subj, "'drives' must be at least 1");
  }
  return rc;
}

/* Queue keys, in the order their values are checked. */
enum {
  QK_PARTITIONS,
  QK_MAX_WALLTIME,
  QK_FIRST_LIMIT, /* the nine max_* counts follow, in jz_queue_t order */
  QK_PRIORITY = QK_FIRST_LIMIT + 9,
  QK_DEFAULT,
  QK_N
};

static int parse_queue(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                       const jz_yamlx_node_t *val, const char *subj) {
  static const keyspec_t keys[QK_N] = {
      {"partitions", true},           {"max_walltime", false},
      {"max_gpus_per_job", false},    {"max_cores_per_job", false},
      {"max_nodes_per_job", false},   {"max_jobs_per_user", false},
      {"max_gpus_per_user", false},   {"max_cores_per_user", false},
      {"max_jobs_per_account", false}, {"max_gpus_per_account", false},
      {"max_cores_per_account", false}, {"priority", false},
      {"default", false}};
  jz_platform_t *p = c->p;
  jz_queue_t *q = &p->queues[i];
  long *limits[9] = {&q->max_gpus_per_job,     &q->max_cores_per_job,    &q->max_nodes_per_job,
                     &q->max_jobs_per_user,    &q->max_gpus_per_user,    &q->max_cores_per_user,
                     &q->max_jobs_per_account, &q->max_gpus_per_account, &q->max_cores_per_account};
  const jz_yamlx_node_t *s[QK_N];
  (void)name;
  q->pos = pos_of(key);
  int rc = take_keys(c, val, subj, keys, QK_N, s);
  if (rc == 0) rc = get_list(c, s[QK_PARTITIONS], subj, "partitions", "partition");
  if (rc < 0) return rc;
  const jz_yamlx_node_t *list = s[QK_PARTITIONS];
  q->partitions = calloc(list->n_items, sizeof *q->partitions);
  if (!q->partitions) return fail(c, -JZ_ENOMEM, list, subj, "out of memory");
  for (size_t k = 0; k < list->n_items && rc == 0; k++) {
    rc = resolve(c, list->items[k], subj, "partitions", "partition", p->partitions,
                 p->n_partitions, sizeof *p->partitions, &q->partitions[k]);
    if (rc == 0) q->n_partitions++;
  }
  if (rc == 0 && s[QK_MAX_WALLTIME])
    rc = get_time(c, s[QK_MAX_WALLTIME], subj, "max_walltime", true, &q->max_walltime);
  for (int k = 0; k < 9 && rc == 0; k++)
    if (s[QK_FIRST_LIMIT + k])
      rc = get_long_count(c, s[QK_FIRST_LIMIT + k], subj, keys[QK_FIRST_LIMIT + k].name, limits[k]);
  if (rc == 0 && s[QK_PRIORITY]) {
    const jz_yamlx_node_t *n = s[QK_PRIORITY];
    long long v = 0;
    rc = expect(c, n, JZ_YAMLX_SCALAR, subj, "priority");
    if (rc == 0) rc = jz_units_parse_ll(n->text, &v);
    if (rc == -JZ_ESYNTAX)
      rc = fail(c, rc, n, subj, "'priority': '%s' is not an integer", n->text);
    else if (rc == -JZ_ERANGE || v < INT_MIN || v > INT_MAX)
      rc = fail(c, -JZ_ERANGE, n, subj, "'priority': '%s' is out of range", n->text);
    q->priority = (int)v;
  }
  if (rc == 0 && s[QK_DEFAULT]) rc = get_bool(c, s[QK_DEFAULT], subj, "default", &q->is_default);
  if (rc < 0 || !q->is_default) return rc;
  /* At most one default queue per partition: jobs naming no queue must route uniquely. */
  for (int k = 0; k < q->n_partitions; k++)
    for (int j = 0; j < i; j++) {
      const jz_queue_t *o = &p->queues[j];
      if (!o->is_default) continue;
      for (int m = 0; m < o->n_partitions; m++)
        if (o->partitions[m] == q->partitions[k])
          return fail(c, -JZ_EINVAL, s[QK_DEFAULT], subj,
                      "second default queue for partition '%s' (queue '%s' is already its default)",
                      p->partitions[q->partitions[k]].name, o->name);
    }
  return 0;
}

static int parse_reservation(ctx_t *c, int i, const char *name, const jz_yamlx_node_t *key,
                             const jz_yamlx_node_t *val, const char *subj) {
  enum { RK_PARTITION, RK_NODES, RK_FRACTION, RK_ACCOUNTS, RK_START, RK_END, RK_PERIOD,
         RK_OVERFLOW, RK_LEND, RK_N };
  static const keyspec_t keys[RK_N] = {
      {"partition", true}, {"nodes", false}, {"fraction", false}, {"accounts", true},
      {"start", true},     {"end", true},    {"period", false},   {"overflow", false},
      {"lend_idle", false}};
  jz_platform_t *p = c->p;
  jz_reservation_t *r = &p->reservations[i];
  const jz_yamlx_node_t *s[RK_N];
  (void)name;
  r->pos = pos_of(key);
  r->overflow = true;
  int rc = take_keys(c, val, subj, keys, RK_N, s);
  if (rc < 0) return rc;
  if (s[RK_NODES] && s[RK_FRACTION]) {
    /* Point at whichever of the two comes second in the file. */
    const jz_yamlx_node_t *later = s[RK_NODES];
    for (size_t k = 0; k < val->n_pairs; k++)
      if (val->pairs[k].value == s[RK_NODES] || val->pairs[k].value == s[RK_FRACTION])
        later = val->pairs[k].key;
    return fail(c, -JZ_EINVAL, later, subj, "give 'nodes' or 'fraction', not both");
  }
  if (!s[RK_NODES] && !s[RK_FRACTION])
    return fail(c, -JZ_EINVAL, val, subj, "missing required key 'nodes' (or 'fraction')");
  rc = resolve(c, s[RK_PARTITION], subj, "partition", "partition", p->partitions, p->n_partitions,
               sizeof *p->partitions, &r->partition);
  if (rc < 0) return rc;
  const jz_partition_t *part = &p->partitions[r->partition];
  int same = 0;
  for (int k = 0; k < i; k++) same += p->reservations[k].partition == r->partition;
  if (same >= JZ_PLATFORM_MAX_RESV_PER_PARTITION)
    return fail(c, -JZ_ERANGE, s[RK_PARTITION], subj,
                "partition '%s' already has %d reservations, the most one partition supports",
                part->name, JZ_PLATFORM_MAX_RESV_PER_PARTITION);
  if (s[RK_NODES]) {
    /* 0 is an allocation of no node (a sweep's "no allocation" point, docs/studies.md study
     * 2): its accounts' jobs run on the shared nodes like everyone else's, and are still
     * reported as its accounts' jobs. */
    const jz_yamlx_node_t *n = s[RK_NODES];
    long long v = 1;
    if (n->kind == JZ_YAMLX_SCALAR && jz_units_parse_ll(n->text, &v) == 0 && v <= 0)
      rc = v == 0 ? 0 : fail(c, -JZ_ERANGE, n, subj, "'nodes' must be 0 or more, got '%s'", n->text);
    else
      rc = get_int_count(c, n, subj, "nodes", &r->nodes);
    if (rc == 0 && r->nodes > part->nodes)
      rc = fail(c, -JZ_ERANGE, s[RK_NODES], subj, "'nodes' asks for %d nodes, partition '%s' has %d",
                r->nodes, part->name, part->nodes);
  } else {
    const jz_yamlx_node_t *n = s[RK_FRACTION];
    rc = expect(c, n, JZ_YAMLX_SCALAR, subj, "fraction");
    if (rc == 0) rc = jz_units_parse_double(n->text, &r->fraction);
    if (rc == -JZ_ESYNTAX)
      rc = fail(c, rc, n, subj, "'fraction': '%s' is not a number", n->text);
    else if (rc < 0 || !(r->fraction >= 0 && r->fraction <= 1))
      rc = fail(c, -JZ_ERANGE, n, subj, "'fraction' must be in [0, 1], got '%s'", n->text);
    if (rc == 0 && r->fraction == 0) {
      r->nodes = 0; /* as nodes: 0 */
    } else if (rc == 0) {
      /* ceil, forgiving the last-bit error of the product (0.7 x 10 = 7.000000000000001). */
      double x = r->fraction * part->nodes, near = nearbyint(x);
      double v = fabs(x - near) <= 1e-9 * (near > 1 ? near : 1) ? near : ceil(x);
      r->nodes = v < 1 ? 1 : (int)v;
    }
  }
  if (rc == 0) rc = get_list(c, s[RK_ACCOUNTS], subj, "accounts", "account");
  if (rc == 0) {
    const jz_yamlx_node_t *list = s[RK_ACCOUNTS];
    r->accounts = calloc(list->n_items, sizeof *r->accounts);
    if (!r->accounts) return fail(c, -JZ_ENOMEM, list, subj, "out of memory");
    for (size_t k = 0; k < list->n_items; k++) {
      r->accounts[k] = strdup(list->items[k]->text);
      if (!r->accounts[k]) return fail(c, -JZ_ENOMEM, list, subj, "out of memory");
      r->n_accounts++;
    }
  }
  if (rc == 0) rc = get_time(c, s[RK_START], subj, "start", false, &r->start);
  if (rc == 0) rc = get_time(c, s[RK_END], subj, "end", false, &r->end);
  if (rc == 0 && r->end <= r->start)
    rc = fail(c, -JZ_ERANGE, s[RK_END], subj, "'end' '%s' must be after 'start' '%s'",
              s[RK_END]->text, s[RK_START]->text);
  /* Window boundaries are events while a job waits (engine.c): a window and the gap between
   * two windows last at least a minute (Slurm's reservations are minute-grained), so a job
   * waiting a day visits at most 2,880 boundaries, not 10^11 of a microsecond period. */
  if (rc == 0 && r->end - r->start < JZ_RESV_MIN_S)
    rc = fail(c, -JZ_ERANGE, s[RK_END], subj, "'end' '%s' must be at least 1min after 'start' '%s'",
              s[RK_END]->text, s[RK_START]->text);
  if (rc == 0 && s[RK_PERIOD]) {
    rc = get_time(c, s[RK_PERIOD], subj, "period", true, &r->period);
    if (rc == 0 && r->period - (r->end - r->start) < JZ_RESV_MIN_S) {
      char h[48];
      rc = fail(c, -JZ_ERANGE, s[RK_PERIOD], subj,
                "'period' '%s' must be at least 1min longer than the window it repeats (%s)",
                s[RK_PERIOD]->text, jz_units_fmt_human(r->end - r->start, JZ_UNIT_TIME, h, sizeof h));
    }
  }
  if (rc == 0 && s[RK_OVERFLOW]) rc = get_bool(c, s[RK_OVERFLOW], subj, "overflow", &r->overflow);
  if (r->nodes == 0) r->overflow = true; /* with no node of its own, its jobs run on the shared ones */
  if (rc == 0 && s[RK_LEND]) rc = get_bool(c, s[RK_LEND], subj, "lend_idle", &r->lend_idle);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Load and free                                                                              */

void jz_platform_free(jz_platform_t *p) {
  if (!p) return;
  free(p->name);
  free(p->path);
  for (int i = 0; i < p->n_node_types; i++) {
    free(p->node_types[i].name);
    free(p->node_types[i].gpu_model);
  }
  free(p->node_types);
  for (int i = 0; i < p->n_fabrics; i++) {
    free(p->fabrics[i].name);
    free(p->fabrics[i].topology_parameters);
  }
  free(p->fabrics);
  for (int i = 0; i < p->n_partitions; i++) free(p->partitions[i].name);
  free(p->partitions);
  for (int i = 0; i < p->n_storage; i++) free(p->storage[i].name);
  free(p->storage);
  free_queues_and_reservations(p);
  free(p);
}

/* heat_reuse: {fraction: F}, F in [0, 1]: the share of the energy recovered for heating. */
static int parse_heat_reuse(ctx_t *c, const jz_yamlx_node_t *val) {
  static const keyspec_t keys[] = {{"fraction", true}};
  const char *subj = "'heat_reuse'";
  const jz_yamlx_node_t *s[NKEYS(keys)];
  int rc = expect(c, val, JZ_YAMLX_MAPPING, "", "heat_reuse");
  if (rc == 0) rc = take_keys(c, val, subj, keys, NKEYS(keys), s);
  if (rc == 0) rc = expect(c, s[0], JZ_YAMLX_SCALAR, subj, "fraction");
  if (rc < 0) return rc;
  double f;
  rc = jz_units_parse_double(s[0]->text, &f);
  if (rc == -JZ_ESYNTAX) return fail(c, rc, s[0], subj, "'fraction': '%s' is not a number", s[0]->text);
  if (rc < 0 || !(f >= 0 && f <= 1))
    return fail(c, -JZ_ERANGE, s[0], subj, "'fraction' must be in [0, 1], got '%s'", s[0]->text);
  c->p->has_heat_reuse = true;
  c->p->heat_reuse_fraction = f;
  return 0;
}

static int parse_root(ctx_t *c, const jz_yamlx_node_t *root) {
  static const keyspec_t keys[] = {{"name", true},     {"node_types", false}, {"fabrics", false},
                                   {"partitions", true}, {"storage", false},  {"queues", false},
                                   {"reservations", false}, {"heat_reuse", false}};
  jz_platform_t *p = c->p;
  const jz_yamlx_node_t *s[NKEYS(keys)];
  if (!root) {
    static const jz_yamlx_node_t start = {.line = 1, .col = 1};
    return fail(c, -JZ_ESYNTAX, &start, "", "empty file, expected a mapping with 'name' and 'partitions'");
  }
  if (root->kind != JZ_YAMLX_MAPPING) {
    char d[96];
    return fail(c, -JZ_ESYNTAX, root, "", "expected a mapping at the top level, found %s",
                jz_yamlx_describe(root, d, sizeof d));
  }
  int rc = take_keys(c, root, "", keys, NKEYS(keys), s);
  if (rc == 0) rc = get_string(c, s[0], "", "name", &p->name);
  if (rc == 0)
    rc = section(c, s[1], "node_types", "node_type", (void **)&p->node_types, &p->n_node_types,
                 sizeof *p->node_types, parse_node_type);
  if (rc == 0)
    rc = section(c, s[2], "fabrics", "fabric", (void **)&p->fabrics, &p->n_fabrics,
                 sizeof *p->fabrics, parse_fabric);
  if (rc == 0)
    rc = section(c, s[3], "partitions", "partition", (void **)&p->partitions, &p->n_partitions,
                 sizeof *p->partitions, parse_partition);
  if (rc == 0 && p->n_partitions == 0) {
    if (s[3]->kind == JZ_YAMLX_SCALAR)
      return fail(c, -JZ_EINVAL, s[3], "", "'partitions' has no value");
    return fail(c, -JZ_EINVAL, s[3], "", "'partitions' must define at least one partition");
  }
  if (rc == 0)
    rc = section(c, s[4], "storage", "storage tier", (void **)&p->storage, &p->n_storage,
                 sizeof *p->storage, parse_storage);
  if (rc == 0)
    rc = section(c, s[5], "queues", "queue", (void **)&p->queues, &p->n_queues, sizeof *p->queues,
                 parse_queue);
  if (rc == 0)
    rc = section(c, s[6], "reservations", "reservation", (void **)&p->reservations,
                 &p->n_reservations, sizeof *p->reservations, parse_reservation);
  if (rc == 0 && s[7]) rc = parse_heat_reuse(c, s[7]);
  return rc;
}

int jz_platform_load(const char *path, jz_platform_t **out, jz_error_t *err) {
  *out = NULL;
  jz_yamlx_doc_t *doc;
  int rc = jz_yamlx_load_file(path, &doc, err);
  if (rc < 0) return rc;
  ctx_t c = {.path = path, .err = err, .p = calloc(1, sizeof(jz_platform_t))};
  if (!c.p || !(c.p->path = strdup(path))) {
    rc = jz_error_at(err, -JZ_ENOMEM, path, 0, 0, "out of memory");
  } else {
    rc = parse_root(&c, doc->root);
  }
  jz_yamlx_free(doc);
  if (rc < 0) {
    jz_platform_free(c.p);
    return rc;
  }
  *out = c.p;
  return 0;
}

static void free_queues(jz_platform_t *p) {
  for (int i = 0; i < p->n_queues; i++) {
    free(p->queues[i].name);
    free(p->queues[i].partitions);
  }
  free(p->queues);
  p->queues = NULL;
  p->n_queues = 0;
}

static void free_reservations(jz_platform_t *p) {
  for (int i = 0; i < p->n_reservations; i++) {
    free(p->reservations[i].name);
    for (int k = 0; k < p->reservations[i].n_accounts; k++) free(p->reservations[i].accounts[k]);
    free(p->reservations[i].accounts);
  }
  free(p->reservations);
  p->reservations = NULL;
  p->n_reservations = 0;
}

static void free_queues_and_reservations(jz_platform_t *p) {
  free_queues(p);
  free_reservations(p);
}

int jz_platform_replace_sections(jz_platform_t *p, const char *path,
                                 const struct jz_yamlx_node *queues,
                                 const struct jz_yamlx_node *reservations, jz_error_t *err) {
  ctx_t c = {.path = path, .err = err, .p = p};
  int rc = 0;
  if (queues) {
    free_queues(p);
    rc = section(&c, queues, "queues", "queue", (void **)&p->queues, &p->n_queues,
                 sizeof *p->queues, parse_queue);
  }
  if (rc == 0 && reservations) {
    free_reservations(p);
    rc = section(&c, reservations, "reservations", "reservation", (void **)&p->reservations,
                 &p->n_reservations, sizeof *p->reservations, parse_reservation);
  }
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Queries                                                                                    */

int jz_platform_find_partition(const jz_platform_t *p, const char *name) {
  for (int i = 0; p && name && i < p->n_partitions; i++)
    if (!strcmp(p->partitions[i].name, name)) return i;
  return -1;
}

int jz_platform_first_cpu_partition(const jz_platform_t *p) {
  for (int i = 0; p && i < p->n_partitions; i++)
    if (p->node_types[p->partitions[i].node_type].gpus == 0) return i;
  return -1;
}

long jz_platform_total_nodes(const jz_platform_t *p) {
  long n = 0;
  for (int i = 0; p && i < p->n_partitions; i++) n += p->partitions[i].nodes;
  return n;
}

double jz_platform_peak_flops(const jz_platform_t *p) {
  double f = 0;
  for (int i = 0; p && i < p->n_partitions; i++) {
    const jz_node_type_t *t = &p->node_types[p->partitions[i].node_type];
    f += p->partitions[i].nodes * (t->cores * t->core_speed + t->gpus * t->gpu_speed);
  }
  return f;
}

/* ------------------------------------------------------------------------------------------ */
/* Printing                                                                                   */

/* A text table: cells appended row by row, columns padded to their widest cell. */
typedef struct table {
  int ncols;
  unsigned right; /* bit i: right-align column i (numbers) */
  char **cells;
  size_t n, cap;
} table_t;

static void cell(table_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(table_t *t, const char *fmt, ...) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 32;
    char **c = realloc(t->cells, cap * sizeof *c);
    if (!c) return; /* printing is best effort; a short table beats a crash */
    t->cells = c;
    t->cap = cap;
  }
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  t->cells[t->n] = strdup(buf);
  if (t->cells[t->n]) t->n++;
}

static void table_print(table_t *t, FILE *out) {
  size_t w[16] = {0};
  for (size_t i = 0; i < t->n; i++) {
    size_t l = strlen(t->cells[i]);
    if (l > w[i % (size_t)t->ncols]) w[i % (size_t)t->ncols] = l;
  }
  for (size_t i = 0; i < t->n; i++) {
    size_t col = i % (size_t)t->ncols;
    bool last = col + 1 == (size_t)t->ncols || i + 1 == t->n;
    if (col == 0) fputs("  ", out);
    if ((t->right >> col) & 1u)
      fprintf(out, "%*s", (int)w[col], t->cells[i]);
    else if (last)
      fputs(t->cells[i], out); /* no trailing blanks */
    else
      fprintf(out, "%-*s", (int)w[col], t->cells[i]);
    fputs(last ? "\n" : "  ", out);
    free(t->cells[i]);
  }
  free(t->cells);
  t->cells = NULL;
  t->n = t->cap = 0;
}

static const char *human(double v, jz_unit_kind_t k, char *buf, size_t len) {
  return jz_units_fmt_human(v, k, buf, len);
}

/* "4.30 PB" / "39.0 PB" / "100 PB": capacities stay in PB whatever their size. */
static const char *petabytes(double bytes, char *buf, size_t len) {
  double pb = bytes / 1e15;
  if (pb < 0.01)
    snprintf(buf, len, "%.3g PB", pb);
  else
    snprintf(buf, len, "%.*f PB", pb < 9.995 ? 2 : pb < 99.95 ? 1 : 0, pb);
  return buf;
}

void jz_platform_print(const jz_platform_t *p, FILE *out) {
  char a[48], b[48], d[48];
  fprintf(out, "platform '%s' (%s)\n", p->name, p->path ? p->path : "-");

  table_t t = {.ncols = 6, .right = (1u << 2) | (1u << 3)};
  fprintf(out, "\npartitions\n");
  cell(&t, "name"), cell(&t, "node type"), cell(&t, "nodes"), cell(&t, "cores/node");
  cell(&t, "GPUs/node"), cell(&t, "fabric");
  for (int i = 0; i < p->n_partitions; i++) {
    const jz_partition_t *q = &p->partitions[i];
    const jz_node_type_t *nt = &p->node_types[q->node_type];
    const jz_fabric_t *f = &p->fabrics[q->fabric];
    cell(&t, "%s", q->name), cell(&t, "%s", nt->name), cell(&t, "%d", q->nodes);
    cell(&t, "%d", nt->cores);
    if (nt->gpus)
      cell(&t, "%d x %s", nt->gpus, nt->gpu_model);
    else
      cell(&t, "-");
    cell(&t, "%s, %d x %s", f->name, q->links_per_node, human(f->bandwidth, JZ_UNIT_BANDWIDTH, a, sizeof a));
  }
  table_print(&t, out);

  t = (table_t){.ncols = 8, .right = (1u << 1) | (1u << 4)};
  fprintf(out, "\nnode types\n");
  cell(&t, "name"), cell(&t, "cores"), cell(&t, "core speed"), cell(&t, "memory"), cell(&t, "GPUs");
  cell(&t, "GPU speed"), cell(&t, "GPU memory"), cell(&t, "power idle/max");
  for (int i = 0; i < p->n_node_types; i++) {
    const jz_node_type_t *nt = &p->node_types[i];
    cell(&t, "%s", nt->name), cell(&t, "%d", nt->cores);
    cell(&t, "%s", nt->core_speed > 0 ? human(nt->core_speed, JZ_UNIT_FLOPS, a, sizeof a) : "-");
    cell(&t, "%s", nt->memory > 0 ? human(nt->memory, JZ_UNIT_SIZE, a, sizeof a) : "-");
    cell(&t, "%d", nt->gpus);
    cell(&t, "%s", nt->gpu_speed > 0 ? human(nt->gpu_speed, JZ_UNIT_FLOPS, a, sizeof a) : "-");
    cell(&t, "%s", nt->gpu_memory > 0 ? human(nt->gpu_memory, JZ_UNIT_SIZE, a, sizeof a) : "-");
    if (nt->has_power)
      cell(&t, "%s / %s", human(nt->power_idle, JZ_UNIT_POWER, a, sizeof a),
           human(nt->power_max, JZ_UNIT_POWER, b, sizeof b));
    else
      cell(&t, "-");
  }
  table_print(&t, out);

  t = (table_t){.ncols = 5};
  fprintf(out, "\nfabrics\n");
  cell(&t, "name"), cell(&t, "topology"), cell(&t, "bandwidth/link"), cell(&t, "latency");
  cell(&t, "parameters");
  for (int i = 0; i < p->n_fabrics; i++) {
    const jz_fabric_t *f = &p->fabrics[i];
    cell(&t, "%s", f->name), cell(&t, "%s", topo_names[f->topology]);
    cell(&t, "%s", human(f->bandwidth, JZ_UNIT_BANDWIDTH, a, sizeof a));
    cell(&t, "%s", human(f->latency, JZ_UNIT_TIME, a, sizeof a));
    cell(&t, "%s", f->topology_parameters ? f->topology_parameters
                   : f->topology == JZ_TOPO_FAT_TREE ? "derived per partition" : "-");
  }
  table_print(&t, out);

  if (p->n_storage) {
    t = (table_t){.ncols = 6};
    fprintf(out, "\nstorage\n");
    cell(&t, "name"), cell(&t, "kind"), cell(&t, "capacity"), cell(&t, "read"), cell(&t, "write");
    cell(&t, "mount latency");
    for (int i = 0; i < p->n_storage; i++) {
      const jz_storage_t *s = &p->storage[i];
      cell(&t, "%s", s->name), cell(&t, "%s", storage_kind_names[s->kind]);
      cell(&t, "%s", petabytes(s->capacity, a, sizeof a));
      cell(&t, "%s", human(s->read_bandwidth, JZ_UNIT_BANDWIDTH, a, sizeof a));
      cell(&t, "%s", human(s->write_bandwidth, JZ_UNIT_BANDWIDTH, a, sizeof a));
      cell(&t, "%s", s->mount_latency > 0 ? human(s->mount_latency, JZ_UNIT_TIME, a, sizeof a) : "-");
    }
    table_print(&t, out);
  }

  if (p->n_queues) {
    static const char *const lim_names[9] = {"gpus/job",     "cores/job",     "nodes/job",
                                             "jobs/user",    "gpus/user",     "cores/user",
                                             "jobs/account", "gpus/account", "cores/account"};
    t = (table_t){.ncols = 6, .right = 1u << 3};
    fprintf(out, "\nqueues\n");
    cell(&t, "name"), cell(&t, "partitions"), cell(&t, "max walltime"), cell(&t, "priority");
    cell(&t, "default"), cell(&t, "limits");
    for (int i = 0; i < p->n_queues; i++) {
      const jz_queue_t *q = &p->queues[i];
      const long lims[9] = {q->max_gpus_per_job,     q->max_cores_per_job,    q->max_nodes_per_job,
                            q->max_jobs_per_user,    q->max_gpus_per_user,    q->max_cores_per_user,
                            q->max_jobs_per_account, q->max_gpus_per_account, q->max_cores_per_account};
      char parts[200] = "", lims_s[240] = "";
      size_t n = 0;
      for (int k = 0; k < q->n_partitions && n < sizeof parts; k++)
        n += (size_t)snprintf(parts + n, sizeof parts - n, "%s%s", k ? "," : "",
                              p->partitions[q->partitions[k]].name);
      n = 0;
      for (int k = 0; k < 9 && n < sizeof lims_s; k++)
        if (lims[k])
          n += (size_t)snprintf(lims_s + n, sizeof lims_s - n, "%s%s %ld", n ? ", " : "",
                                lim_names[k], lims[k]);
      cell(&t, "%s", q->name), cell(&t, "%s", parts);
      cell(&t, "%s", q->max_walltime > 0 ? human(q->max_walltime, JZ_UNIT_TIME, a, sizeof a) : "-");
      cell(&t, "%d", q->priority), cell(&t, "%s", q->is_default ? "yes" : "no");
      cell(&t, "%s", n ? lims_s : "-");
    }
    table_print(&t, out);
  }

  if (p->n_reservations) {
    t = (table_t){.ncols = 9, .right = 1u << 2};
    fprintf(out, "\nreservations\n");
    cell(&t, "name"), cell(&t, "partition"), cell(&t, "nodes"), cell(&t, "accounts");
    cell(&t, "start"), cell(&t, "end"), cell(&t, "period"), cell(&t, "overflow");
    cell(&t, "lend idle");
    for (int i = 0; i < p->n_reservations; i++) {
      const jz_reservation_t *r = &p->reservations[i];
      char acc[200] = "";
      size_t n = 0;
      for (int k = 0; k < r->n_accounts && n < sizeof acc; k++)
        n += (size_t)snprintf(acc + n, sizeof acc - n, "%s%s", k ? "," : "", r->accounts[k]);
      cell(&t, "%s", r->name), cell(&t, "%s", p->partitions[r->partition].name);
      cell(&t, "%d", r->nodes), cell(&t, "%s", acc);
      cell(&t, "%s", human(r->start, JZ_UNIT_TIME, a, sizeof a));
      cell(&t, "%s", human(r->end, JZ_UNIT_TIME, b, sizeof b));
      cell(&t, "%s", r->period > 0 ? human(r->period, JZ_UNIT_TIME, d, sizeof d) : "-");
      cell(&t, "%s", r->overflow ? "yes" : "no"), cell(&t, "%s", r->lend_idle ? "yes" : "no");
    }
    table_print(&t, out);
  }

  long nodes = 0, cores = 0, gpus = 0;
  for (int i = 0; i < p->n_partitions; i++) {
    const jz_partition_t *q = &p->partitions[i];
    nodes += q->nodes;
    cores += (long)q->nodes * p->node_types[q->node_type].cores;
    gpus += (long)q->nodes * p->node_types[q->node_type].gpus;
  }
  double peak = jz_platform_peak_flops(p);
  if (peak >= 1e13)
    snprintf(a, sizeof a, "%.2f PF", peak / 1e15);
  else
    human(peak, JZ_UNIT_FLOPS, a, sizeof a); /* small test machines: "16.0 Gf", not "0.00 PF" */
  fprintf(out, "\ntotals\n  %ld nodes, %ld cores, %ld GPUs, peak %s FP64\n", nodes, cores, gpus, a);
  if (p->n_storage) {
    fputs("  storage:", out);
    for (int i = 0; i < p->n_storage; i++)
      fprintf(out, "%s %s %s", i ? "," : "", p->storage[i].name,
              petabytes(p->storage[i].capacity, a, sizeof a));
    fputc('\n', out);
  }
}
