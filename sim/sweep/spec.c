/* spec.c: read a sweep file, resolve its axes in the base experiment and platform, check every
 * value before anything runs, and build the trees of each variant (sweep.h).
 *
 * An axis path is split at dots ("queues.\"qos.gpu\".max_walltime" quotes a key holding one).
 * The first key `platform` followed by more keys reaches into the platform file; `platform`
 * alone is the experiment's platform file. Under `workloads`, a key is an item's index or its
 * workload name (file name without directories and suffixes). Every key but the last must exist
 * in the base; the last may be new in a mapping (e.g. `workloads.philly.scale` where the base
 * says no scale), and then the loaders decide whether the key is allowed. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment.h"
#include "platform.h"
#include "sched/policy.h"
#include "suggest.h"
#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "units.h"
#include "yamlx.h"

#define MAX_KEYS 16

typedef struct axis {
  char *name;                   /* as written */
  const jz_yamlx_node_t *key;   /* in the sweep file */
  const jz_yamlx_node_t *list;  /* the values */
  jz_yamlx_node_t **values;     /* owned copies, file paths made absolute */
  size_t n_values;
  bool in_platform;             /* path goes into the platform file */
  char *keys[MAX_KEYS];         /* path keys, "platform" dropped; workload names -> index */
  int n_keys;
  int group;                    /* axes of one group move together */
} axis_t;

struct jz_sweep {
  char *path;
  jz_yamlx_doc_t *doc;
  jz_yamlx_doc_t *exp, *plat;   /* base experiment (paths made absolute) and its platform */
  char *base_dir;               /* absolute */
  char *plat_abs;               /* the base platform's absolute path (plat->name: as shown) */
  axis_t *axes;
  size_t n_axes;
  int n_groups;
  size_t *group_len;            /* values per group */
  size_t n_variants;
  int replicas;
  char **metrics;               /* NULL-terminated */
  char *target;
};

static int at(jz_error_t *err, const jz_sweep_t *s, const jz_yamlx_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int at(jz_error_t *err, const jz_sweep_t *s, const jz_yamlx_node_t *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = jz_error_vat(err, -JZ_EINVAL, s->path, n ? n->line : 1, n ? n->col : 1, fmt, ap);
  va_end(ap);
  return rc;
}

/* dir/rel, or rel when it is absolute. */
char *jz__sweep_join(const char *dir, const char *rel) {
  if (rel[0] == '/' || !dir || !*dir) return strdup(rel);
  size_t a = strlen(dir), b = strlen(rel);
  char *p = malloc(a + b + 2);
  if (p) {
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, rel, b + 1);
  }
  return p;
}

/* The absolute folder of a file. */
static char *abs_dir(const char *path) {
  char *full = realpath(path, NULL);
  if (!full) return NULL;
  char *slash = strrchr(full, '/');
  if (slash == full) slash[1] = '\0';
  else *slash = '\0';
  return full;
}

/* Replace the scalar's text by dir/text (a file named relative to dir). */
static int absolutise(jz_yamlx_node_t *n, const char *dir) {
  if (!jz_yamlx_is_scalar(n) || jz_yamlx_is_null(n) || n->text[0] == '/') return 0;
  char *p = jz__sweep_join(dir, n->text);
  if (!p) return -JZ_ENOMEM;
  free(n->text);
  n->text = p;
  n->len = strlen(p);
  return 0;
}

static jz_yamlx_node_t *map_get_mut(jz_yamlx_node_t *map, const char *key) {
  return (jz_yamlx_node_t *)jz_yamlx_map_get(map, key);
}

/* ---- paths ------------------------------------------------------------------------- */

static int split_path(jz_sweep_t *s, axis_t *ax, jz_error_t *err) {
  const char *p = ax->name;
  char *raw[MAX_KEYS + 1];
  int n = 0;
  while (*p) {
    if (n == MAX_KEYS + 1) return at(err, s, ax->key, "axis '%s': more than %d keys", ax->name, MAX_KEYS);
    const char *end;
    if (*p == '"') {
      end = strchr(p + 1, '"');
      if (!end) return at(err, s, ax->key, "axis '%s': unterminated quoted key", ax->name);
      raw[n] = strndup(p + 1, (size_t)(end - p - 1));
      end++;
      if (*end && *end != '.')
        return at(err, s, ax->key, "axis '%s': '.' expected after a quoted key", ax->name);
    } else {
      end = strchr(p, '.');
      if (!end) end = p + strlen(p);
      raw[n] = strndup(p, (size_t)(end - p));
    }
    if (!raw[n]) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    if (!*raw[n]) {
      free(raw[n]);
      for (int i = 0; i < n; i++) free(raw[i]);
      return at(err, s, ax->key, "axis '%s': empty key", ax->name);
    }
    n++;
    p = *end ? end + 1 : end;
    if (*end == '.' && !*p) {
      for (int i = 0; i < n; i++) free(raw[i]);
      return at(err, s, ax->key, "axis '%s': empty key", ax->name);
    }
  }
  int first = 0;
  if (n > 1 && strcmp(raw[0], "platform") == 0) {
    ax->in_platform = true;
    free(raw[0]);
    first = 1;
  }
  for (int i = first; i < n; i++) ax->keys[ax->n_keys++] = raw[i];
  if (ax->n_keys > MAX_KEYS) return at(err, s, ax->key, "axis '%s': more than %d keys", ax->name, MAX_KEYS);
  return 0;
}

/* Keys of a mapping, for "(keys: a, b)". */
static void list_keys(const jz_yamlx_node_t *map, char *buf, size_t len) {
  buf[0] = '\0';
  for (size_t i = 0; i < jz_yamlx_len(map); i++) {
    size_t u = strlen(buf);
    snprintf(buf + u, len - u, "%s%s", i ? ", " : "", jz_yamlx_map_key(map, i)->text);
  }
}

/* Resolve ax in the base: the parent node of the last key must exist; workload names become
 * indices. *target is the existing node at the full path, or NULL for a new mapping key. */
static int resolve(jz_sweep_t *s, axis_t *ax, const jz_yamlx_node_t **target, jz_error_t *err) {
  const jz_yamlx_node_t *n = ax->in_platform ? s->plat->root : s->exp->root;
  const char *where = ax->in_platform ? "the platform" : "the base experiment";
  for (int i = 0; i < ax->n_keys; i++) {
    const char *k = ax->keys[i];
    bool last = i + 1 == ax->n_keys;
    const jz_yamlx_node_t *next = NULL;
    if (jz_yamlx_is_mapping(n)) {
      next = jz_yamlx_map_get(n, k);
      if (!next && !last) {
        char keys[400], hint[96];
        list_keys(n, keys, sizeof keys);
        const char *names[64];
        size_t m = jz_yamlx_len(n) < 64 ? jz_yamlx_len(n) : 64;
        for (size_t j = 0; j < m; j++) names[j] = jz_yamlx_map_key(n, j)->text;
        jz_suggest_hint(hint, sizeof hint, jz_suggest_closest(k, names, m, sizeof *names, false));
        return at(err, s, ax->key, "axis '%s': no '%s' in %s%s (keys there: %s)", ax->name, k, where,
                  hint, keys);
      }
    } else if (jz_yamlx_is_sequence(n)) {
      long long idx;
      bool workloads = !ax->in_platform && i == 1 && strcmp(ax->keys[0], "workloads") == 0;
      if (jz_units_parse_ll(k, &idx) == 0) {
        if (idx < 0 || (size_t)idx >= jz_yamlx_len(n))
          return at(err, s, ax->key, "axis '%s': item %s out of range (the list has %zu)", ax->name, k,
                    jz_yamlx_len(n));
      } else if (workloads) {
        idx = -1;
        for (size_t j = 0; j < jz_yamlx_len(n) && idx < 0; j++) {
          const char *f = jz_yamlx_str(jz_yamlx_map_get(jz_yamlx_seq_item(n, j), "file"));
          char name[128];
          if (!f) continue;
          jz_experiment_workload_name(f, name, sizeof name);
          if (strcmp(name, k) == 0) idx = (long long)j;
        }
        if (idx < 0)
          return at(err, s, ax->key, "axis '%s': no workload named '%s' in the base experiment", ax->name, k);
        char num[24];
        snprintf(num, sizeof num, "%lld", idx);
        free(ax->keys[i]);
        if (!(ax->keys[i] = strdup(num))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
      } else {
        return at(err, s, ax->key, "axis '%s': '%s' is not an index of a list", ax->name, k);
      }
      next = jz_yamlx_seq_item(n, (size_t)idx);
    } else {
      return at(err, s, ax->key, "axis '%s': '%s' is a value in %s, not a mapping or a list",
                ax->name, ax->keys[i - 1 >= 0 ? i - 1 : 0], where);
    }
    if (last) {
      if (!next && !jz_yamlx_is_mapping(n))
        return at(err, s, ax->key, "axis '%s': no '%s' in %s", ax->name, k, where);
      *target = next;
      return 0;
    }
    n = next;
  }
  if (ax->n_keys == 0 && !ax->in_platform) return at(err, s, ax->key, "axis '%s': empty path", ax->name);
  *target = n;
  return 0;
}

/* ---- value kinds ------------------------------------------------------------------- */

typedef enum { K_NUMBER, K_BOOL, K_QUANTITY, K_TEXT, K_MAPPING, K_SEQUENCE, K_NULL } kind_t;

static kind_t kind_of(const jz_yamlx_node_t *n) {
  if (jz_yamlx_is_mapping(n)) return K_MAPPING;
  if (jz_yamlx_is_sequence(n)) return K_SEQUENCE;
  if (jz_yamlx_is_null(n)) return K_NULL;
  double d;
  if (jz_units_parse_double(n->text, &d) == 0) return K_NUMBER;
  const char *t = n->text;
  if (!strcmp(t, "true") || !strcmp(t, "false") || !strcmp(t, "yes") || !strcmp(t, "no")) return K_BOOL;
  if ((t[0] >= '0' && t[0] <= '9') || (t[0] == '.' && t[1] >= '0' && t[1] <= '9')) return K_QUANTITY;
  return K_TEXT;
}

static const char *kind_name(kind_t k) {
  static const char *const names[] = {"a number", "true or false", "a quantity with a unit (e.g. 20h)",
                                      "a string", "a mapping", "a list", "empty"};
  return names[k];
}

/* A value is a scalar of the existing value's kind (a new key takes any scalar). */
static int check_kind(const jz_sweep_t *s, const axis_t *ax, const jz_yamlx_node_t *old,
                      const jz_yamlx_node_t *v, jz_error_t *err) {
  kind_t want = old ? kind_of(old) : K_TEXT, got = kind_of(v);
  char d[96];
  const char *file = ax->in_platform ? s->plat->name : s->exp->name;
  if (want == K_MAPPING || want == K_SEQUENCE)
    return at(err, s, ax->key, "axis '%s': '%s' is %s in %s:%ld:%ld; an axis sets a single value",
              ax->name, ax->keys[ax->n_keys - 1], kind_name(want), file, old->line, old->col);
  if (got == K_MAPPING || got == K_SEQUENCE)
    return at(err, s, v, "axis '%s': %s is not a single value", ax->name, kind_name(got));
  if (want == got || want == K_NULL || want == K_TEXT || !old) return 0;
  return at(err, s, v, "axis '%s': value %s is %s; '%s' in %s:%ld:%ld is %s", ax->name,
            jz_yamlx_describe(v, d, sizeof d), kind_name(got), ax->keys[ax->n_keys - 1], file,
            old->line, old->col, kind_name(want));
}

/* Put v (copied) at ax's path in root (a variant's tree). */
static int set_path(const axis_t *ax, jz_yamlx_node_t *root, const jz_yamlx_node_t *v) {
  jz_yamlx_node_t *n = root;
  for (int i = 0; i + 1 < ax->n_keys; i++)
    n = jz_yamlx_is_mapping(n) ? map_get_mut(n, ax->keys[i])
                               : (jz_yamlx_node_t *)jz_yamlx_seq_item(n, (size_t)atol(ax->keys[i]));
  jz_yamlx_node_t *c = jz_yamlx_clone(v);
  if (!c) return -JZ_ENOMEM;
  const char *k = ax->keys[ax->n_keys - 1];
  return jz_yamlx_is_mapping(n) ? jz_yamlx_map_set(n, k, c) : jz_yamlx_seq_set(n, (size_t)atol(k), c);
}

/* A value naming a file (the experiment's platform, a workload's file): relative to the sweep
 * file, as written there. */
static bool is_file_axis(const axis_t *ax) {
  if (ax->in_platform) return false;
  if (ax->n_keys == 1 && strcmp(ax->keys[0], "platform") == 0) return true;
  /* policy_plugin: "PATH[:key=value,...]", PATH relative to the sweep file like the others (the
   * whole text is joined to the folder: the parameters follow the path unchanged). */
  if (ax->n_keys == 1 && strcmp(ax->keys[0], "policy_plugin") == 0) return true;
  return ax->n_keys == 3 && strcmp(ax->keys[0], "workloads") == 0 && strcmp(ax->keys[2], "file") == 0;
}

/* ---- variants ---------------------------------------------------------------------- */

size_t jz_sweep_n_axes(const jz_sweep_t *s) { return s->n_axes; }
const char *jz_sweep_axis_name(const jz_sweep_t *s, size_t a) { return s->axes[a].name; }
int jz_sweep_axis_group(const jz_sweep_t *s, size_t a) { return s->axes[a].group; }
size_t jz_sweep_n_variants(const jz_sweep_t *s) { return s->n_variants; }
int jz_sweep_replicas(const jz_sweep_t *s) { return s->replicas; }
const char *const *jz_sweep_metrics(const jz_sweep_t *s) { return (const char *const *)s->metrics; }
const char *jz_sweep_target(const jz_sweep_t *s) { return s->target; }

const char *jz_sweep_value_text(const jz_sweep_t *s, size_t a, size_t i) {
  const jz_yamlx_node_t *v = jz_yamlx_seq_item(s->axes[a].list, i);
  return jz_yamlx_str(v) ? jz_yamlx_str(v) : "";
}

size_t jz_sweep_value_index(const jz_sweep_t *s, size_t v, size_t a) {
  /* Mixed radix over the groups, the last group the fastest digit. */
  size_t idx = 0;
  for (int g = s->n_groups - 1; g >= 0; g--) {
    if (g == s->axes[a].group) idx = v % s->group_len[g];
    v /= s->group_len[g];
  }
  return idx;
}

/* The trees with the values of choice[a] (an index per axis; SIZE_MAX leaves the base). */
static int build_trees(const jz_sweep_t *s, const size_t *choice, int replica, jz_yamlx_node_t **exp,
                       jz_yamlx_node_t **plat, jz_error_t *err) {
  *exp = jz_yamlx_clone(s->exp->root);
  *plat = NULL;
  if (!*exp) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  int rc = 0;
  size_t bad = 0; /* the axis whose path is missing (-JZ_EINVAL) */
  for (size_t a = 0; a < s->n_axes && !rc; a++)
    if (choice[a] != (size_t)-1 && !s->axes[a].in_platform)
      rc = set_path(&s->axes[a], *exp, s->axes[a].values[(bad = a, choice[a])]);
  const char *ppath = rc ? NULL : jz_yamlx_str(jz_yamlx_map_get(*exp, "platform"));
  if (ppath && strcmp(ppath, s->plat_abs) == 0) {
    if (!(*plat = jz_yamlx_clone(s->plat->root))) rc = -JZ_ENOMEM;
  } else if (ppath) {
    jz_yamlx_doc_t *d;
    if ((rc = jz_yamlx_load_file(ppath, &d, err))) goto fail;
    if (!d->root || !(*plat = jz_yamlx_clone(d->root))) rc = d->root ? -JZ_ENOMEM : -JZ_EINVAL;
    jz_yamlx_free(d);
    if (rc == -JZ_EINVAL) {
      jz_error_set(err, rc, "%s: empty platform file", ppath);
      goto fail;
    }
  }
  for (size_t a = 0; a < s->n_axes && !rc; a++)
    if (choice[a] != (size_t)-1 && s->axes[a].in_platform)
      rc = set_path(&s->axes[a], *plat, s->axes[a].values[(bad = a, choice[a])]);
  if (!rc) rc = jz_yamlx_map_set(*exp, "platform", jz_yamlx_new_scalar("platform.yaml", false));
  /* Replica r > 0: every workload resampled by days with seed r (sweep.h). */
  jz_yamlx_node_t *wl = rc ? NULL : map_get_mut(*exp, "workloads");
  for (size_t i = 0; replica > 0 && i < jz_yamlx_len(wl) && !rc; i++) {
    char seed[24];
    snprintf(seed, sizeof seed, "%d", replica);
    jz_yamlx_node_t *item = (jz_yamlx_node_t *)jz_yamlx_seq_item(wl, i);
    rc = jz_yamlx_map_set(item, "resample", jz_yamlx_new_scalar("days", false));
    if (!rc) rc = jz_yamlx_map_set(item, "seed", jz_yamlx_new_scalar(seed, false));
  }
  if (!rc) return 0;
  if (rc == -JZ_ENOMEM) jz_error_set(err, rc, "out of memory");
  if (rc == -JZ_EINVAL) {
    /* A path missing from a platform file that the `platform` axis chose (the base's was
     * checked); named as the sweep file wrote it. */
    const char *shown = ppath ? ppath : "";
    for (size_t a = 0; a < s->n_axes; a++)
      if (is_file_axis(&s->axes[a]) && s->axes[a].n_keys == 1 && choice[a] != (size_t)-1)
        shown = jz_sweep_value_text(s, a, choice[a]);
    at(err, s, s->axes[bad].key, "axis '%s': no such path in the platform '%s' (chosen by axis 'platform')",
       s->axes[bad].name, shown);
  }
fail:
  jz_yamlx_node_free(*exp);
  jz_yamlx_node_free(*plat);
  *exp = *plat = NULL;
  return rc;
}

int jz_sweep_variant_trees(const jz_sweep_t *s, size_t v, int r, jz_yamlx_node_t **exp,
                           jz_yamlx_node_t **plat, jz_error_t *err) {
  size_t choice[64];
  for (size_t a = 0; a < s->n_axes; a++) choice[a] = jz_sweep_value_index(s, v, a);
  return build_trees(s, choice, r, exp, plat, err);
}

int jz_sweep_check_files(const char *dir, jz_error_t *err) {
  char *ep = jz__sweep_join(dir, "experiment.yaml");
  if (!ep) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_platform_t *p = NULL;
  int rc = jz_experiment_load(&e, ep, err);
  if (!rc) rc = jz_platform_load(e.platform_path, &p, err);
  if (!rc) rc = jz_experiment_apply_sections(&e, p, err);
  if (!rc && e.policy && !jz_policy_find(e.policy))
    rc = jz_error_set(err, -JZ_EINVAL, "%s: unknown policy '%s'", ep, e.policy);
  for (int i = 0; !rc && i < e.n_workloads; i++)
    if (e.workloads[i].partition && jz_platform_find_partition(p, e.workloads[i].partition) < 0)
      rc = jz_error_set(err, -JZ_EINVAL, "%s: workload %s: the platform has no partition '%s'", ep,
                        e.workloads[i].path, e.workloads[i].partition);
  jz_platform_free(p);
  jz_experiment_free(&e);
  free(ep);
  return rc;
}

/* Write the trees into dir as experiment.yaml and platform.yaml. */
int jz__sweep_write_trees(const char *dir, const jz_yamlx_node_t *exp, const jz_yamlx_node_t *plat,
                          jz_error_t *err) {
  const char *names[2] = {"experiment.yaml", "platform.yaml"};
  const jz_yamlx_node_t *trees[2] = {exp, plat};
  for (int i = 0; i < 2; i++) {
    char *path = jz__sweep_join(dir, names[i]);
    if (!path) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    int rc = jz__sweep_write_if_changed(path, trees[i], err);
    free(path);
    if (rc) return rc;
  }
  return 0;
}

/* A loader's message without the temporary file's "path:line:col: ". */
static const char *strip_tmp(const char *msg, const char *tmp) {
  if (strncmp(msg, tmp, strlen(tmp)) == 0) {
    const char *sp = strstr(msg, ": ");
    if (sp) return sp + 2;
  }
  return msg;
}

/* Check one axis value alone on the base: its kind, then the loaders on the files it makes,
 * written into tmp. A loader's complaint is reported at the value in the sweep file. */
static int check_value(const jz_sweep_t *s, size_t a, size_t i, const char *tmp, jz_error_t *err) {
  const axis_t *ax = &s->axes[a];
  size_t choice[64];
  for (size_t b = 0; b < s->n_axes; b++) choice[b] = (size_t)-1;
  choice[a] = i;
  jz_yamlx_node_t *exp, *plat;
  jz_error_t e2 = {0};
  int rc = build_trees(s, choice, 0, &exp, &plat, &e2);
  if (!rc) rc = jz__sweep_write_trees(tmp, exp, plat, &e2);
  jz_yamlx_node_free(exp);
  jz_yamlx_node_free(plat);
  if (!rc) rc = jz_sweep_check_files(tmp, &e2);
  if (!rc) return 0;
  if (rc == -JZ_ENOMEM) return jz_error_set(err, rc, "out of memory");
  const char *msg = strip_tmp(e2.msg, tmp);
  char d[96];
  return at(err, s, ax->values[i], "axis '%s': value %s: %s", ax->name,
            jz_yamlx_describe(jz_yamlx_seq_item(ax->list, i), d, sizeof d), msg);
}

/* ---- loading ----------------------------------------------------------------------- */

void jz_sweep_free(jz_sweep_t *s) {
  if (!s) return;
  for (size_t a = 0; a < s->n_axes; a++) {
    axis_t *ax = &s->axes[a];
    for (size_t i = 0; i < ax->n_values; i++) jz_yamlx_node_free(ax->values[i]);
    free(ax->values);
    for (int k = 0; k < ax->n_keys; k++) free(ax->keys[k]);
  }
  free(s->axes);
  free(s->group_len);
  for (char **m = s->metrics; m && *m; m++) free(*m);
  free(s->metrics);
  free(s->target);
  free(s->base_dir);
  free(s->plat_abs);
  free(s->path);
  jz_yamlx_free(s->doc);
  jz_yamlx_free(s->exp);
  jz_yamlx_free(s->plat);
  free(s);
}

/* path's folder as written ("" for none), for file names shown in messages. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? strndup(path, (size_t)(slash - path)) : strdup("");
}

/* The base experiment and its platform: read under the names a user recognises (relative to
 * the working directory, as the sweep file was given), kept with absolute paths inside. */
static int load_base(jz_sweep_t *s, const jz_yamlx_node_t *base, jz_error_t *err) {
  if (!jz_yamlx_is_scalar(base) || jz_yamlx_is_null(base))
    return at(err, s, base, "'base' must be an experiment file");
  char *sdir = dir_of(s->path);
  char *bpath = sdir ? jz__sweep_join(sdir, base->text) : NULL;
  free(sdir);
  if (!bpath) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  struct stat st;
  int e = 0;
  bool dir = false;
  if (access(bpath, R_OK) != 0 || stat(bpath, &st) != 0) e = errno;
  else dir = S_ISDIR(st.st_mode);
  if (e || dir) {
    free(bpath);
    return at(err, s, base, "base '%s': cannot open: %s", base->text,
              dir ? "a directory, not an experiment file" : strerror(e));
  }
  int rc = jz_yamlx_load_file(bpath, &s->exp, err);
  s->base_dir = rc ? NULL : abs_dir(bpath);
  char *bdir = dir_of(bpath);
  free(bpath);
  if (!rc && (!s->base_dir || !bdir)) rc = jz_error_set(err, -JZ_EIO, "%s: %s", s->exp->name, strerror(errno));
  jz_yamlx_node_t *root = rc ? NULL : s->exp->root;
  if (!rc && !jz_yamlx_is_mapping(root)) rc = jz_error_at(err, -JZ_EINVAL, s->exp->name, 1, 1, "not an experiment file");
  jz_yamlx_node_t *pl = rc ? NULL : map_get_mut(root, "platform");
  if (!rc && !pl) rc = at(err, s, base, "base '%s' names no platform (a sweep needs 'platform:' in it)", base->text);
  if (!rc && (!jz_yamlx_is_scalar(pl) || jz_yamlx_is_null(pl)))
    rc = jz_error_at(err, -JZ_EINVAL, s->exp->name, pl->line, pl->col, "'platform' must be a file");
  char *pshown = rc ? NULL : jz__sweep_join(bdir, pl->text);
  free(bdir);
  if (!rc && !pshown) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (!rc) rc = jz_yamlx_load_file(pshown, &s->plat, err);
  free(pshown);
  if (!rc && !s->plat->root) rc = jz_error_set(err, -JZ_EINVAL, "%s: empty platform file", s->plat->name);
  if (rc) return rc;
  if ((rc = absolutise(pl, s->base_dir)) || !(s->plat_abs = strdup(pl->text))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  jz_yamlx_node_t *wl = map_get_mut(root, "workloads");
  for (size_t i = 0; i < jz_yamlx_len(wl); i++) {
    jz_yamlx_node_t *f = map_get_mut((jz_yamlx_node_t *)jz_yamlx_seq_item(wl, i), "file");
    if (f && (rc = absolutise(f, s->base_dir))) return jz_error_set(err, rc, "out of memory");
  }
  /* The plugin is relative to the base experiment too; a run's experiment.yaml lives elsewhere. */
  jz_yamlx_node_t *pp = map_get_mut(root, "policy_plugin");
  if (pp && (rc = absolutise(pp, s->base_dir))) return jz_error_set(err, rc, "out of memory");
  return 0;
}

static int load_axes(jz_sweep_t *s, const jz_yamlx_node_t *axes, jz_error_t *err) {
  if (!jz_yamlx_is_mapping(axes) || jz_yamlx_len(axes) == 0)
    return at(err, s, axes, "'axes' must be a mapping of paths to lists of values");
  if (jz_yamlx_len(axes) > 64) return at(err, s, axes, "more than 64 axes");
  s->n_axes = jz_yamlx_len(axes);
  if (!(s->axes = calloc(s->n_axes, sizeof *s->axes))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  char *sdir = abs_dir(s->path);
  for (size_t a = 0; a < s->n_axes; a++) {
    axis_t *ax = &s->axes[a];
    ax->key = jz_yamlx_map_key(axes, a);
    ax->name = ax->key->text;
    ax->list = jz_yamlx_map_value(axes, a);
    ax->group = -1;
    int rc = split_path(s, ax, err);
    const jz_yamlx_node_t *old = NULL;
    if (!rc) rc = resolve(s, ax, &old, err);
    if (!rc && (!jz_yamlx_is_sequence(ax->list) || jz_yamlx_len(ax->list) == 0))
      rc = at(err, s, ax->list, "axis '%s': expected a non-empty list of values", ax->name);
    if (!rc && !(ax->values = calloc(jz_yamlx_len(ax->list), sizeof *ax->values)))
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < jz_yamlx_len(ax->list); i++) {
      const jz_yamlx_node_t *v = jz_yamlx_seq_item(ax->list, i);
      if ((rc = check_kind(s, ax, old, v, err))) break;
      /* Values are written into sweep.tsv, one line per run, tab-separated. */
      if (jz_yamlx_is_scalar(v) && strpbrk(v->text, "\t\n\r"))
        rc = at(err, s, v, "axis '%s': a value may not hold a tab or a line break", ax->name);
      else if (!(ax->values[i] = jz_yamlx_clone(v))) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      else ax->n_values++;
      if (!rc && is_file_axis(ax) && absolutise(ax->values[i], sdir)) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      for (size_t j = 0; !rc && j < i; j++)
        if (jz_yamlx_is_scalar(v) && !strcmp(jz_sweep_value_text(s, a, j), v->text))
          rc = at(err, s, v, "axis '%s': value '%s' given twice", ax->name, v->text);
    }
    if (rc) {
      free(sdir);
      return rc;
    }
  }
  free(sdir);
  return 0;
}

static int load_zip(jz_sweep_t *s, const jz_yamlx_node_t *zip, jz_error_t *err) {
  if (zip && !jz_yamlx_is_sequence(zip)) return at(err, s, zip, "'zip' must be a list of lists of axes");
  for (size_t g = 0; g < jz_yamlx_len(zip); g++) {
    const jz_yamlx_node_t *grp = jz_yamlx_seq_item(zip, g);
    if (!jz_yamlx_is_sequence(grp) || jz_yamlx_len(grp) < 2)
      return at(err, s, grp, "a zip group must be a list of at least two axes");
    size_t first = (size_t)-1;
    for (size_t i = 0; i < jz_yamlx_len(grp); i++) {
      const jz_yamlx_node_t *name = jz_yamlx_seq_item(grp, i);
      size_t a = 0;
      while (a < s->n_axes && !(jz_yamlx_str(name) && !strcmp(s->axes[a].name, name->text))) a++;
      if (a == s->n_axes) {
        char d[96];
        return at(err, s, name, "zip: %s is not an axis", jz_yamlx_describe(name, d, sizeof d));
      }
      if (s->axes[a].group != -1) return at(err, s, name, "zip: axis '%s' is in two groups", name->text);
      s->axes[a].group = -2 - (int)g; /* provisional: zip group g */
      if (first == (size_t)-1) first = a;
      else if (s->axes[a].n_values != s->axes[first].n_values)
        return at(err, s, name, "zip: axis '%s' has %zu values, '%s' has %zu", name->text,
                  s->axes[a].n_values, s->axes[first].name, s->axes[first].n_values);
    }
  }
  /* Groups numbered by their first axis, in file order. */
  if (!(s->group_len = calloc(s->n_axes, sizeof *s->group_len))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t a = 0; a < s->n_axes; a++) {
    if (s->axes[a].group >= 0) continue;
    int zg = s->axes[a].group, g = s->n_groups++;
    s->group_len[g] = s->axes[a].n_values;
    for (size_t b = a; b < s->n_axes; b++)
      if (b == a || (zg <= -2 && s->axes[b].group == zg)) s->axes[b].group = g;
  }
  s->n_variants = 1;
  for (int g = 0; g < s->n_groups; g++) {
    if (s->n_variants > 10000000 / s->group_len[g]) return at(err, s, s->doc->root, "more than 10,000,000 variants");
    s->n_variants *= s->group_len[g];
  }
  return 0;
}

static int load_options(jz_sweep_t *s, const jz_yamlx_node_t *root, jz_error_t *err) {
  const jz_yamlx_node_t *n;
  s->replicas = 1;
  if ((n = jz_yamlx_map_get(root, "replicas"))) {
    long long k;
    if (!jz_yamlx_is_scalar(n) || jz_units_parse_ll(n->text, &k) || k < 1 || k > 10000)
      return at(err, s, n, "'replicas' must be an integer from 1 to 10000");
    s->replicas = (int)k;
  }
  n = jz_yamlx_map_get(root, "metrics");
  if (n && !jz_yamlx_is_sequence(n)) return at(err, s, n, "'metrics' must be a list of metric names");
  if (!(s->metrics = calloc(jz_yamlx_len(n) + 1, sizeof *s->metrics))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t i = 0; i < jz_yamlx_len(n); i++) {
    const jz_yamlx_node_t *m = jz_yamlx_seq_item(n, i);
    if (!jz_yamlx_is_scalar(m) || jz_yamlx_is_null(m) || strpbrk(m->text, "\t\n"))
      return at(err, s, m, "a metric must be a name such as p95_wait");
    if (!(s->metrics[i] = strdup(m->text))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if ((n = jz_yamlx_map_get(root, "target"))) {
    if (!jz_yamlx_is_scalar(n) || jz_yamlx_is_null(n) || strpbrk(n->text, "\t\n"))
      return at(err, s, n, "'target' must be a condition such as 'p95_wait <= 1h'");
    jz_error_t e2 = {0};
    jz_target_t t;
    if (jz__sweep_parse_target(n->text, &t, &e2)) return at(err, s, n, "target: %s", e2.msg);
    if (!(s->target = strdup(n->text))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  return 0;
}

/* A private directory for the value checks' files. */
static int make_tmp(char *buf, size_t len, jz_error_t *err) {
  const char *t = getenv("TMPDIR");
  snprintf(buf, len, "%s/jzsim-sweep-XXXXXX", t && *t ? t : "/tmp");
  if (!mkdtemp(buf)) return jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", buf, strerror(errno));
  return 0;
}

static void remove_tmp(const char *dir) {
  char p[4200];
  snprintf(p, sizeof p, "%s/experiment.yaml", dir);
  unlink(p);
  snprintf(p, sizeof p, "%s/platform.yaml", dir);
  unlink(p);
  rmdir(dir);
}

/* With replicas: K, replica r > 0 sets every workload's resample: days, seed: r and replica 0
 * is the traces as recorded. A base or an axis that resamples itself would be overridden in
 * replicas 1..K-1 and not in replica 0, and replica r could repeat its seed (identical runs
 * under two names): refused. */
static int check_replica_seeds(const jz_sweep_t *s, const jz_yamlx_node_t *root, jz_error_t *err) {
  if (s->replicas < 2) return 0;
  for (size_t a = 0; a < s->n_axes; a++) {
    const axis_t *x = &s->axes[a];
    const char *last = x->n_keys ? x->keys[x->n_keys - 1] : "";
    if (!x->in_platform && x->n_keys >= 3 && !strcmp(x->keys[0], "workloads") &&
        (!strcmp(last, "seed") || !strcmp(last, "resample")))
      return at(err, s, x->key,
                "axis '%s': replicas: %d resamples every workload by days with seeds 1 to %d, replacing "
                "the axis's values: give seeds by an axis or by 'replicas', not both",
                x->name, s->replicas, s->replicas - 1);
  }
  const jz_yamlx_node_t *wl = jz_yamlx_map_get(s->exp->root, "workloads");
  for (size_t i = 0; i < jz_yamlx_len(wl); i++) {
    const jz_yamlx_node_t *item = jz_yamlx_seq_item(wl, i);
    for (size_t j = 0; jz_yamlx_is_mapping(item) && j < jz_yamlx_len(item); j++) {
      const jz_yamlx_node_t *k = jz_yamlx_map_key(item, j);
      if (strcmp(k->text, "seed") && strcmp(k->text, "resample")) continue;
      const char *file = jz_yamlx_str(jz_yamlx_map_get(item, "file"));
      char shown[256] = "?";
      if (file) jz_experiment_workload_name(file, shown, sizeof shown); /* as axes name it */
      return at(err, s, jz_yamlx_map_get(root, "replicas"),
                "replicas: %d resamples every workload by days with seeds 1 to %d, but workload %zu (%s) "
                "of the base resamples already ('%s' at %s:%ld:%ld): replica 0 would not be the trace "
                "as recorded, and a replica could repeat its seed; drop 'resample' and 'seed' from the "
                "base, or 'replicas'",
                s->replicas, s->replicas - 1, i + 1, shown, k->text, s->exp->name, k->line, k->col);
    }
  }
  return 0;
}

int jz_sweep_load(const char *path, jz_sweep_t **out, jz_error_t *err) {
  static const char *const keys[] = {"base", "axes", "zip", "replicas", "metrics", "target", NULL};
  *out = NULL;
  jz_sweep_t *s = calloc(1, sizeof *s);
  if (!s || !(s->path = strdup(path))) {
    free(s);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  int rc = jz_yamlx_load_file(path, &s->doc, err);
  const jz_yamlx_node_t *root = rc ? NULL : s->doc->root;
  if (!rc && !jz_yamlx_is_mapping(root)) rc = at(err, s, root, "a sweep file is a mapping (keys: base, axes, ...)");
  for (size_t i = 0; !rc && i < jz_yamlx_len(root); i++) {
    const jz_yamlx_node_t *k = jz_yamlx_map_key(root, i);
    bool ok = false;
    for (int j = 0; keys[j] && !ok; j++) ok = !strcmp(keys[j], k->text);
    if (!ok) {
      char hint[96];
      jz_suggest_hint(hint, sizeof hint, jz_suggest_closest(k->text, keys, 6, sizeof *keys, false));
      rc = jz_error_at(err, -JZ_EUNKNOWNKEY, path, k->line, k->col,
                       "unknown key '%s'%s (keys: base, axes, zip, replicas, metrics, target)", k->text, hint);
    }
  }
  if (!rc && !jz_yamlx_map_get(root, "base")) rc = at(err, s, root, "missing required key 'base'");
  if (!rc && !jz_yamlx_map_get(root, "axes")) rc = at(err, s, root, "missing required key 'axes'");
  if (!rc) rc = load_base(s, jz_yamlx_map_get(root, "base"), err);
  if (!rc) rc = load_axes(s, jz_yamlx_map_get(root, "axes"), err);
  if (!rc) rc = load_zip(s, jz_yamlx_map_get(root, "zip"), err);
  if (!rc) rc = load_options(s, root, err);
  if (!rc) rc = check_replica_seeds(s, root, err);
  if (!rc) {
    /* The base as it is, then each value alone, through the real loaders. */
    char tmp[4096];
    if (!(rc = make_tmp(tmp, sizeof tmp, err))) {
      size_t none[64];
      for (size_t a = 0; a < s->n_axes; a++) none[a] = (size_t)-1;
      jz_yamlx_node_t *e, *p;
      jz_error_t e2 = {0};
      rc = build_trees(s, none, 0, &e, &p, &e2);
      if (!rc) rc = jz__sweep_write_trees(tmp, e, p, &e2);
      if (!rc) rc = jz_sweep_check_files(tmp, &e2);
      jz_yamlx_node_free(e);
      jz_yamlx_node_free(p);
      if (rc) rc = at(err, s, jz_yamlx_map_get(root, "base"), "base: %s", strip_tmp(e2.msg, tmp));
      for (size_t a = 0; a < s->n_axes && !rc; a++)
        for (size_t i = 0; i < s->axes[a].n_values && !rc; i++) rc = check_value(s, a, i, tmp, err);
      remove_tmp(tmp);
    }
  }
  if (rc) {
    jz_sweep_free(s);
    return rc;
  }
  *out = s;
  return 0;
}
