/* metric.c: summary.json through jansson, metric paths and short names, input identity. */
#include "compare/metric.h"

#include <jansson.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "units.h"

struct jz_sumdoc {
  json_t *root;
  char *name; /* the file, for messages */
};

static int adopt(json_t *root, const char *name, jz_sumdoc_t **out, jz_error_t *err) {
  json_t *in = json_object_get(root, "inputs");
  if (!json_is_object(root) || !json_is_array(json_object_get(in, "workloads"))) {
    json_decref(root);
    return jz_error_at(err, -JZ_EINVAL, name, 0, 0,
                       "not a jzsim summary.json (no 'inputs.workloads')");
  }
  jz_sumdoc_t *d = calloc(1, sizeof *d);
  char *n = strdup(name);
  if (!d || !n) {
    free(d);
    free(n);
    json_decref(root);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  d->root = root;
  d->name = n;
  *out = d;
  return 0;
}

const void *jz_sumdoc_json(const jz_sumdoc_t *d) { return d->root; }

static json_t *workloads_of(const jz_sumdoc_t *d) {
  return json_object_get(json_object_get(d->root, "inputs"), "workloads");
}

size_t jz_sumdoc_workloads(const jz_sumdoc_t *d) { return json_array_size(workloads_of(d)); }

const char *jz_sumdoc_workload_name(const jz_sumdoc_t *d, size_t i) {
  return json_string_value(json_object_get(json_array_get(workloads_of(d), i), "name"));
}

int jz_sumdoc_load(const char *path, jz_sumdoc_t **out, jz_error_t *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  /* Read it whole, then parse the bytes: json_loadf took a read error (a directory named
   * summary.json) for an empty file, and a NUL byte for the end of the text. */
  size_t len = 0, cap = 1 << 16;
  char *buf = malloc(cap);
  while (buf) {
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    char *more = realloc(buf, cap *= 2);
    if (!more) free(buf);
    buf = more;
  }
  int rerr = ferror(f) ? errno : 0;
  fclose(f);
  if (!buf) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (rerr) {
    free(buf);
    return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot read: %s", strerror(rerr));
  }
  /* jansson skips a NUL byte that follows a token: refuse it, as any byte JSON does not allow. */
  const char *nul = memchr(buf, 0, len);
  if (nul) {
    long line = 1, col = 1;
    for (const char *c = buf; c < nul; c++, col++)
      if (*c == '\n') line++, col = 0;
    free(buf);
    return jz_error_at(err, -JZ_ESYNTAX, path, line, col, "a NUL byte, which JSON text cannot hold%s", "");
  }
  json_error_t je;
  json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  /* jansson's lines and columns are 1-based; column 0 means "at the end of the line". */
  if (!root) return jz_error_at(err, -JZ_ESYNTAX, path, je.line, je.column, "%s", je.text);
  return adopt(root, path, out, err);
}

int jz_sumdoc_parse(const char *text, const char *name, jz_sumdoc_t **out, jz_error_t *err) {
  *out = NULL;
  json_error_t je;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
  if (!root) return jz_error_at(err, -JZ_ESYNTAX, name, je.line, je.column, "%s", je.text);
  return adopt(root, name, out, err);
}

void jz_sumdoc_free(jz_sumdoc_t *d) {
  if (!d) return;
  json_decref(d->root);
  free(d->name);
  free(d);
}

/* ---- paths -------------------------------------------------------------------------------- */

#define MAX_SEGS 16
#define KEY_MAX 128

typedef struct seg {
  char key[KEY_MAX];
  int start, end; /* the segment's text in the name, quotes included */
} seg_t;

typedef struct path {
  seg_t s[MAX_SEGS];
  int n;
} path_t;

static int parse_path(const char *name, const char *file, path_t *p, jz_error_t *err) {
  p->n = 0;
  const char *c = name;
  if (!*c) return jz_error_at(err, -JZ_ESYNTAX, file, 0, 0, "empty metric name");
  for (;;) {
    if (p->n == MAX_SEGS)
      return jz_error_set(err, -JZ_ESYNTAX, "metric '%s': more than %d keys", name, MAX_SEGS);
    seg_t *s = &p->s[p->n++];
    s->start = (int)(c - name);
    const char *from = c, *to;
    if (*c == '"') {
      from = ++c;
      while (*c && *c != '"') c++;
      if (!*c) return jz_error_set(err, -JZ_ESYNTAX, "metric '%s': unterminated quote", name);
      to = c++;
      if (*c && *c != '.')
        return jz_error_set(err, -JZ_ESYNTAX,
                            "metric '%s': '.' expected after the quoted key \"%.*s\"", name,
                            (int)(to - from), from);
    } else {
      while (*c && *c != '.' && *c != '"') c++;
      to = c;
      if (*c == '"')
        return jz_error_set(err, -JZ_ESYNTAX,
                            "metric '%s': a quote may only open a key (\"key\")", name);
      if (to == from)
        return jz_error_set(err, -JZ_ESYNTAX, "metric '%s': empty key at column %d", name,
                            (int)(from - name) + 1);
    }
    if ((size_t)(to - from) >= KEY_MAX)
      return jz_error_set(err, -JZ_ESYNTAX, "metric '%s': key longer than %d bytes", name,
                          KEY_MAX - 1);
    memcpy(s->key, from, (size_t)(to - from));
    s->key[to - from] = '\0';
    s->end = (int)(c - name);
    if (!*c) return 0;
    c++; /* the '.' */
    if (!*c) return jz_error_set(err, -JZ_ESYNTAX, "metric '%s': ends with '.'", name);
  }
}

/* Appends key to a canonical path, quoted unless a plain word. */
static void canon_add(char *buf, size_t len, const char *key) {
  bool plain = *key != '\0';
  for (const char *c = key; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '_' || *c == '-'))
      plain = false;
  size_t n = strlen(buf);
  snprintf(buf + n, len - n, plain ? "%s%s" : "%s\"%s\"", n ? "." : "", key);
}

typedef struct alias {
  const char *name;
  const char *a, *b; /* the path it stands for, one or two keys */
} alias_t;

static const alias_t aliases[] = {
    {"mean_wait", "wait", "mean"},
    {"median_wait", "wait", "median"},
    {"p95_wait", "wait", "p95"},
    {"max_wait", "wait", "max"},
    {"mean_bounded_slowdown", "bounded_slowdown", "mean"},
    {"max_bounded_slowdown", "bounded_slowdown", "max"},
    {"makespan", "time", "makespan"},
    {"energy", "energy_joules", NULL},
};
#define N_ALIASES (sizeof aliases / sizeof aliases[0])

/* The alias's target under node, or NULL. */
static json_t *alias_target(json_t *node, const alias_t *a) {
  json_t *v = json_object_get(node, a->a);
  return a->b ? json_object_get(v, a->b) : v;
}

static const alias_t *alias_find(json_t *node, const char *key) {
  for (size_t k = 0; k < N_ALIASES; k++)
    if (strcmp(aliases[k].name, key) == 0 && alias_target(node, &aliases[k])) return &aliases[k];
  return NULL;
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  default: return "a number";
  }
}

typedef struct walk {
  json_t *node;    /* where the walk ended (the leaf when ok) */
  int failed;      /* index of the segment that matched nothing, or -1 */
  json_t *parent;  /* the node where it failed */
  char canon[256]; /* canonical path of what matched */
  bool seconds;
} walk_t;

/* Follows p from root; aliases: short names allowed where a word is not a key. */
static void walk(json_t *root, const path_t *p, bool use_aliases, walk_t *w) {
  w->node = root;
  w->failed = -1;
  w->canon[0] = '\0';
  w->seconds = false;
  for (int i = 0; i < p->n; i++) {
    const char *key = p->s[i].key;
    json_t *next = NULL;
    if (json_is_object(w->node)) {
      next = json_object_get(w->node, key);
      const alias_t *a = next || !use_aliases ? NULL : alias_find(w->node, key);
      if (a) {
        next = alias_target(w->node, a);
        canon_add(w->canon, sizeof w->canon, a->a);
        if (a->b) canon_add(w->canon, sizeof w->canon, a->b);
        w->seconds |= strcmp(a->a, "wait") == 0 || strcmp(a->a, "time") == 0;
      } else if (next) {
        canon_add(w->canon, sizeof w->canon, key);
      }
    } else if (json_is_array(w->node)) {
      char *end;
      errno = 0;
      unsigned long long idx = strtoull(key, &end, 10);
      if (*key >= '0' && *key <= '9' && !*end && errno == 0 && idx < json_array_size(w->node)) {
        next = json_array_get(w->node, (size_t)idx);
        canon_add(w->canon, sizeof w->canon, key);
      }
    }
    if (!next) {
      w->failed = i;
      w->parent = w->node;
      return;
    }
    w->seconds |= strcmp(key, "wait") == 0 || strcmp(key, "time") == 0 ||
                  strcmp(key, "tau") == 0 || strcmp(key, "window_seconds") == 0;
    w->node = next;
  }
}

/* "(did you mean 'a', 'b' or 'c'?)": the name with the failed key replaced by the closest
 * keys (and short names) of the object there, or by a quoted key that the dots split. */
static void suggest(const char *name, const path_t *p, const walk_t *w, char *out, size_t len) {
  out[0] = '\0';
  if (!json_is_object(w->parent)) return;
  const seg_t *s = &p->s[w->failed];
  enum { MAXC = 3 };
  char cand[MAXC][256];
  size_t dist[MAXC];
  int nc = 0;
  const char *key;
  json_t *v;
  /* A key with dots, typed without quotes: its words are consecutive segments. */
  const char *dotted[MAXC];
  json_object_foreach(w->parent, key, v) {
    if (!strchr(key, '.') || nc == MAXC) continue;
    char joined[512] = "";
    for (int j = w->failed; j < p->n; j++) {
      size_t n = strlen(joined);
      snprintf(joined + n, sizeof joined - n, "%s%s", j > w->failed ? "." : "", p->s[j].key);
      if (strcmp(joined, key) == 0) {
        snprintf(cand[nc], sizeof cand[nc], "%.*s\"%s\"%s", s->start, name, key,
                 name + p->s[j].end);
        dotted[nc] = key;
        dist[nc++] = 0;
        break;
      }
    }
  }
  int ndotted = nc;
  /* Close names, kept sorted by distance (stable: earlier keys first on ties). */
  for (int pass = 0; pass < 2; pass++) {
    size_t nk = pass == 0 ? json_object_size(w->parent) : N_ALIASES;
    void *it = json_object_iter(w->parent);
    for (size_t k = 0; k < nk; k++) {
      const char *c;
      if (pass == 0) {
        c = json_object_iter_key(it);
        it = json_object_iter_next(w->parent, it);
      } else {
        c = aliases[k].name;
        if (!alias_target(w->parent, &aliases[k]) || json_object_get(w->parent, c)) continue;
      }
      bool done = false;
      for (int m = 0; m < ndotted; m++) done |= dotted[m] == c;
      if (done) continue;
      size_t d = jz_suggest_distance(s->key, c, false);
      if (d > JZ_SUGGEST_MAX_EDITS || strchr(c, '"')) continue;
      int at = nc;
      while (at > 0 && dist[at - 1] > d) at--;
      if (at == MAXC) continue;
      if (nc < MAXC) nc++;
      for (int m = nc - 1; m > at; m--) {
        memcpy(cand[m], cand[m - 1], sizeof cand[m]);
        dist[m] = dist[m - 1];
      }
      char quoted[KEY_MAX + 8] = "";
      canon_add(quoted, sizeof quoted, c);
      snprintf(cand[at], sizeof cand[at], "%.*s%s%s", s->start, name, quoted, name + s->end);
      dist[at] = d;
    }
  }
  if (nc == 0) return;
  size_t n = (size_t)snprintf(out, len, " (did you mean ");
  for (int k = 0; k < nc && n < len; k++)
    n += (size_t)snprintf(out + n, len - n, "%s'%s'", k == 0 ? "" : (k == nc - 1 ? " or " : ", "),
                          cand[k]);
  if (n < len) snprintf(out + n, len - n, "?)");
}

static int list_add(jz_metric_list_t *l, const char *name, const char *canon, bool seconds,
                    jz_error_t *err) {
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 8;
    jz_metric_t *v = realloc(l->v, (size_t)cap * sizeof *v);
    if (!v) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    l->v = v;
    l->cap = cap;
  }
  jz_metric_t *m = &l->v[l->n++];
  snprintf(m->name, sizeof m->name, "%s", name);
  snprintf(m->path, sizeof m->path, "%s", canon);
  m->seconds = seconds;
  return 0;
}

/* `utilisation` / `gpu_utilisation` at the top: one metric per partition that ran jobs. */
static int expand_partitions(const jz_sumdoc_t *d, const char *what, jz_metric_list_t *l,
                             jz_error_t *err) {
  bool gpu = strcmp(what, "gpu_utilisation") == 0;
  json_t *parts = json_object_get(d->root, "partitions");
  const char *key;
  json_t *p;
  int added = 0;
  json_object_foreach(parts, key, p) {
    json_t *jobs = json_object_get(p, "jobs"), *gpus = json_object_get(p, "gpus");
    if (!json_is_number(json_object_get(p, what)) || json_number_value(jobs) <= 0) continue;
    if (gpu && json_number_value(gpus) <= 0) continue;
    char canon[256] = "";
    canon_add(canon, sizeof canon, "partitions");
    canon_add(canon, sizeof canon, key);
    canon_add(canon, sizeof canon, what);
    int rc = list_add(l, canon, canon, false, err);
    if (rc) return rc;
    added++;
  }
  if (!added)
    return jz_error_at(err, -JZ_EINVAL, d->name, 0, 0,
                       "metric '%s': no partition ran jobs%s in this run", what,
                       gpu ? " on GPUs" : "");
  return 0;
}

int jz_metric_resolve(const jz_sumdoc_t *d, const char *name, jz_metric_list_t *l,
                      jz_error_t *err) {
  path_t p;
  int rc = parse_path(name, d->name, &p, err);
  if (rc) return rc;
  if (p.n == 1 && name[0] != '"' && !json_object_get(d->root, name) &&
      (strcmp(name, "utilisation") == 0 || strcmp(name, "gpu_utilisation") == 0))
    return expand_partitions(d, name, l, err);
  walk_t w;
  walk(d->root, &p, true, &w);
  if (w.failed >= 0) {
    char hint[900];
    suggest(name, &p, &w, hint, sizeof hint);
    const char *key = p.s[w.failed].key;
    if (!json_is_object(w.parent) && !json_is_array(w.parent))
      return jz_error_at(err, -JZ_EUNKNOWNKEY, d->name, 0, 0,
                         "unknown metric '%s': '%s' is %s, it has no '%s'", name, w.canon,
                         type_name(w.parent), key);
    if (json_is_array(w.parent))
      return jz_error_at(err, -JZ_EUNKNOWNKEY, d->name, 0, 0,
                         "unknown metric '%s': '%s' is an array of %zu, '%s' is not an index "
                         "(0 to %zu)",
                         name, w.canon, json_array_size(w.parent), key,
                         json_array_size(w.parent) ? json_array_size(w.parent) - 1 : 0);
    if (w.failed == 0)
      return jz_error_at(err, -JZ_EUNKNOWNKEY, d->name, 0, 0,
                         "unknown metric '%s': no '%s' at the top level%s", name, key, hint);
    return jz_error_at(err, -JZ_EUNKNOWNKEY, d->name, 0, 0,
                       "unknown metric '%s': no '%s' in '%s'%s", name, key, w.canon, hint);
  }
  if (json_is_object(w.node)) {
    /* Name the numbers below it, so the user can pick one. */
    char list[400] = "";
    const char *key;
    json_t *v;
    int shown = 0;
    json_object_foreach(w.node, key, v) {
      if (!json_is_number(v)) continue;
      size_t n = strlen(list);
      if (shown++ == 4) {
        snprintf(list + n, sizeof list - n, ", ...");
        break;
      }
      char c[256];
      snprintf(c, sizeof c, "%s", w.canon);
      canon_add(c, sizeof c, key);
      snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", c);
    }
    return jz_error_at(err, -JZ_EINVAL, d->name, 0, 0,
                       "metric '%s' is an object, not a number%s%s%s", name,
                       shown ? " (its numbers: " : "", list, shown ? ")" : "");
  }
  if (!json_is_number(w.node))
    return jz_error_at(err, -JZ_EINVAL, d->name, 0, 0, "metric '%s' is %s, not a number", name,
                       type_name(w.node));
  return list_add(l, name, w.canon, w.seconds, err);
}

void jz_metric_list_free(jz_metric_list_t *l) {
  free(l->v);
  *l = (jz_metric_list_t){0};
}

int jz_metric_value(const jz_sumdoc_t *d, const jz_metric_t *m, double *v, jz_error_t *err) {
  path_t p;
  int rc = parse_path(m->path, d->name, &p, err);
  if (rc) return rc;
  walk_t w;
  walk(d->root, &p, false, &w);
  if (w.failed >= 0)
    return jz_error_at(err, -JZ_EUNKNOWNKEY, d->name, 0, 0, "no metric '%s' (%s) in this file",
                       m->name, m->path);
  if (!json_is_number(w.node))
    return jz_error_at(err, -JZ_EINVAL, d->name, 0, 0, "metric '%s' (%s) is %s, not a number",
                       m->name, m->path, type_name(w.node));
  *v = json_number_value(w.node);
  return 0;
}

/* ---- inputs ------------------------------------------------------------------------------- */

static const char *str_of(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "?";
}

/* JSON text of a value for messages ("0", "true", "\"x\"", "(none)"); free with free(). */
static char *dump(json_t *v) {
  return v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : strdup("(none)");
}

static int differ(const jz_sumdoc_t *b, const jz_sumdoc_t *n, const char *what, json_t *vb,
                  json_t *vn, jz_error_t *err) {
  char *sb = dump(vb), *sn = dump(vn);
  jz_error_set(err, -JZ_EINVAL, "runs of different inputs: %s %s in %s, %s in %s", what,
               sb ? sb : "?", b->name, sn ? sn : "?", n->name);
  free(sb);
  free(sn);
  return -JZ_EINVAL;
}

/* The identity of a file entry: its path and the start of its hash. */
static void file_desc(json_t *o, char *buf, size_t len) {
  const char *h = json_string_value(json_object_get(o, "sha256"));
  snprintf(buf, len, "%s (sha256 %.12s)", str_of(o, "file"), h ? h : "unknown");
}

static bool same_file(json_t *a, json_t *b) {
  const char *ha = json_string_value(json_object_get(a, "sha256"));
  const char *hb = json_string_value(json_object_get(b, "sha256"));
  return ha && hb && strcmp(ha, hb) == 0;
}

/* One header line about a file both runs name (platform, experiment). */
static void file_line(FILE *f, const char *label, json_t *a, json_t *b) {
  if (!a && !b) return;
  char da[400] = "(none)", db[400] = "(none)";
  if (a) file_desc(a, da, sizeof da);
  if (b) file_desc(b, db, sizeof db);
  if (a && b && same_file(a, b))
    fprintf(f, "%-11s same: %s\n", label, da);
  else
    fprintf(f, "%-11s %s -> %s (differs)\n", label, da, db);
}

/* The policy plugin line: its file and hash, then its parameters when it has any. A built-in
 * policy and a plugin of the same name, or one plugin under other parameters, schedule
 * differently: the policy's name alone would call them the same. */
static void plugin_line(FILE *f, json_t *a, json_t *b) {
  if (!a && !b) return;
  char da[600] = "(none)", db[600] = "(none)";
  const char *pa = json_string_value(json_object_get(a, "params")), *pb = json_string_value(json_object_get(b, "params"));
  if (!pa) pa = "";
  if (!pb) pb = "";
  if (a) {
    file_desc(a, da, sizeof da);
    if (*pa) snprintf(da + strlen(da), sizeof da - strlen(da), ", %s", pa);
  }
  if (b) {
    file_desc(b, db, sizeof db);
    if (*pb) snprintf(db + strlen(db), sizeof db - strlen(db), ", %s", pb);
  }
  if (a && b && same_file(a, b) && strcmp(pa, pb) == 0)
    fprintf(f, "%-11s same: %s\n", "plugin", da);
  else
    fprintf(f, "%-11s %s -> %s (differs)\n", "plugin", da, db);
}

static const char *const input_options[] = {"max_jobs", "procs_per_node", "lenient"};

int jz_sumdoc_check_inputs(const jz_sumdoc_t *b, const jz_sumdoc_t *n, FILE *f,
                           jz_error_t *err) {
  json_t *ib = json_object_get(b->root, "inputs"), *in = json_object_get(n->root, "inputs");
  json_t *wb = json_object_get(ib, "workloads"), *wn = json_object_get(in, "workloads");
  size_t nb = json_array_size(wb);
  if (nb != json_array_size(wn))
    return jz_error_set(err, -JZ_EINVAL,
                        "runs of different inputs: %zu workload(s) in %s, %zu in %s", nb,
                        b->name, json_array_size(wn), n->name);
  for (size_t i = 0; i < nb; i++) {
    json_t *xb = json_array_get(wb, i), *xn = json_array_get(wn, i);
    char what[200];
    snprintf(what, sizeof what, "workload %zu (%s):", i + 1, str_of(xb, "name"));
    const char *hb = json_string_value(json_object_get(xb, "sha256"));
    const char *hn = json_string_value(json_object_get(xn, "sha256"));
    if (!hb || !hn)
      return jz_error_set(err, -JZ_EINVAL,
                          "%s no sha256 in %s: its file could not be read when that run hashed "
                          "it, so the inputs cannot be shown to be the same",
                          what, hb ? n->name : b->name);
    if (strcmp(hb, hn) != 0) {
      /* 12 hex digits, or as many as it takes to show where they differ. */
      int k = 0;
      while (hb[k] && hb[k] == hn[k]) k++;
      int shown = k < 12 ? 12 : k + 1;
      return jz_error_set(err, -JZ_EINVAL,
                          "runs of different inputs: %s sha256 %.*s in %s, %.*s in %s", what,
                          shown, hb, b->name, shown, hn, n->name);
    }
    static const char *const keys[] = {"scale", "offset", "resample_days_seed"};
    for (int k = 0; k < 3; k++) {
      json_t *vb = json_object_get(xb, keys[k]), *vn = json_object_get(xn, keys[k]);
      if ((vb || vn) && !json_equal(vb, vn)) { /* absent from both: equal (not resampled) */
        char w2[260];
        snprintf(w2, sizeof w2, "%s %s", what, keys[k]);
        return differ(b, n, w2, vb, vn, err);
      }
    }
  }
  json_t *ob = json_object_get(ib, "options"), *on = json_object_get(in, "options");
  for (size_t k = 0; k < sizeof input_options / sizeof *input_options; k++) {
    json_t *vb = json_object_get(ob, input_options[k]), *vn = json_object_get(on, input_options[k]);
    if (!json_equal(vb, vn)) {
      char w2[64];
      snprintf(w2, sizeof w2, "options.%s", input_options[k]);
      return differ(b, n, w2, vb, vn, err);
    }
  }

  /* Same inputs: describe them, then what differs and is allowed to. */
  for (size_t i = 0; i < nb; i++) {
    json_t *x = json_array_get(wb, i);
    const char *nb_ = str_of(x, "name"), *nn_ = str_of(json_array_get(wn, i), "name");
    fprintf(f, "%-11s same: %s (sha256 %.12s)", i == 0 ? "workloads" : "", nb_, str_of(x, "sha256"));
    /* The same file under another name (a renamed copy): --jobs pairs it by the base's name. */
    if (strcmp(nb_, nn_) != 0) fprintf(f, ", named '%s' in the new run", nn_);
    fputc('\n', f);
  }
  const char *pb = str_of(ib, "policy"), *pn = str_of(in, "policy");
  if (strcmp(pb, pn) == 0)
    fprintf(f, "%-11s same: %s\n", "policy", pb);
  else
    fprintf(f, "%-11s %s -> %s (differs)\n", "policy", pb, pn);
  plugin_line(f, json_object_get(ib, "policy_plugin"), json_object_get(in, "policy_plugin"));
  file_line(f, "platform", json_object_get(ib, "platform"), json_object_get(in, "platform"));
  file_line(f, "experiment", json_object_get(ib, "experiment"),
            json_object_get(in, "experiment"));
  const char *key;
  json_t *vb;
  json_object_foreach(ob, key, vb) {
    json_t *vn = json_object_get(on, key);
    if (json_equal(vb, vn)) continue;
    char *sb = dump(vb), *sn = dump(vn);
    fprintf(f, "%-11s %s: %s -> %s (differs)\n", "option", key, sb ? sb : "?", sn ? sn : "?");
    free(sb);
    free(sn);
  }
  json_object_foreach(on, key, vb) {
    if (json_object_get(ob, key)) continue;
    char *sn = dump(vb);
    fprintf(f, "%-11s %s: (none) -> %s (differs)\n", "option", key, sn ? sn : "?");
    free(sn);
  }
  const char *vb_ = str_of(b->root, "jzsim_version"), *vn_ = str_of(n->root, "jzsim_version");
  if (strcmp(vb_, vn_) != 0) fprintf(f, "%-11s %s -> %s (differs)\n", "jzsim", vb_, vn_);
  return 0;
}
