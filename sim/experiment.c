/* experiment.c: a run's inputs (CLI and experiment YAML) and the mapping of trace jobs onto
 * the machine. The rules are in experiment.h. */
#include "experiment.h"
#include "exec/flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/order.h"
#include "units.h"
#include "workload/cache.h"
#include "workload/resample.h"
#include "yamlx.h"

void jz_experiment_init(jz_experiment_t *e) {
  memset(e, 0, sizeof *e);
  jz_slurm_conf_default(&e->slurm);
}

void jz_experiment_free(jz_experiment_t *e) {
  for (int i = 0; i < e->n_workloads; i++) jz_workload_spec_free(&e->workloads[i]);
  free(e->workloads);
  free(e->platform_path);
  free(e->policy);
  free(e->order);
  free(e->policy_plugin);
  free(e->format);
  free(e->network_model);
  jz_yamlx_free(e->doc);
  jz_slurm_conf_free(&e->slurm);
  memset(e, 0, sizeof *e);
}

void jz_workload_spec_free(jz_workload_spec_t *w) {
  free(w->partition);
  free(w->path);
  free(w->format);
  free(w->account);
  free(w->user);
  free(w->queue);
  free(w->queue_at);
  free(w->partition_at);
  w->partition_at = NULL;
  w->partition = w->path = w->format = w->account = w->user = w->queue = w->queue_at = NULL;
  jz_derive_rule_free(&w->derive);
}

static jz_workload_spec_t *new_workload(jz_experiment_t *e) {
  jz_workload_spec_t *w = realloc(e->workloads, (size_t)(e->n_workloads + 1) * sizeof *w);
  if (!w) return NULL;
  e->workloads = w;
  w = &e->workloads[e->n_workloads++];
  memset(w, 0, sizeof *w);
  w->scale = 1;
  w->part = -1;
  return w;
}

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

/* One "key=value" option of a workload. where: text for messages. */
static int workload_option(jz_workload_spec_t *w, const char *key, size_t klen, const char *val,
                           const char *where, jz_error_t *err) {
  const char *v = val;
  if (klen == 5 && strncmp(key, "scale", 5) == 0) {
    if (jz_units_parse_double(v, &w->scale) != 0 || !(w->scale > 0) || !isfinite(w->scale))
      return jz_error_set(err, -JZ_EINVAL, "%s: scale '%s' is not a positive number", where, v);
  } else if (klen == 6 && strncmp(key, "offset", 6) == 0) {
    char why[96];
    if (jz_units_parse(v, JZ_UNIT_TIME, &w->offset, why, sizeof why) != 0)
      return jz_error_set(err, -JZ_EINVAL, "%s: offset '%s' is not a duration (e.g. 7d)", where, v);
    if (fabs(w->offset) > JZ_TIME_MAX)
      return jz_error_set(err, -JZ_ERANGE, "%s: offset '%s' is beyond %.0f s (2^32 s, about 136 years)",
                          where, v, JZ_TIME_MAX);
  } else if (klen == 6 && strncmp(key, "format", 6) == 0) {
    if (!jz_reader_find(v))
      return jz_error_set(err, -JZ_EINVAL, "%s: unknown format '%s'", where, v);
    free(w->format);
    if (!(w->format = strdup(v))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  } else if (klen == 8 && strncmp(key, "walltime", 8) == 0) {
    char why[96];
    if (jz_units_parse(v, JZ_UNIT_TIME, &w->walltime, why, sizeof why) != 0 || w->walltime <= 0)
      return jz_error_set(err, -JZ_EINVAL, "%s: walltime '%s' is not a positive duration (e.g. 20h)",
                          where, v);
    if (w->walltime > JZ_TIME_MAX)
      return jz_error_set(err, -JZ_ERANGE, "%s: walltime '%s' is beyond %.0f s (2^32 s, about 136 years)",
                          where, v, JZ_TIME_MAX);
  } else if ((klen == 7 && strncmp(key, "account", 7) == 0) ||
             (klen == 4 && strncmp(key, "user", 4) == 0) ||
             (klen == 5 && strncmp(key, "queue", 5) == 0)) {
    char **dst = key[0] == 'a' ? &w->account : key[0] == 'u' ? &w->user : &w->queue;
    if (!*v) return jz_error_set(err, -JZ_EINVAL, "%s: option '%.*s' needs a value", where, (int)klen, key);
    free(*dst);
    if (!(*dst = strdup(v))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    /* The queue is checked against the platform once it is loaded (check_queue_option). */
    if (dst == &w->queue) {
      free(w->queue_at);
      if (!(w->queue_at = strdup(where))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
  } else if (klen == 8 && strncmp(key, "resample", 8) == 0) {
    if (strcmp(v, "days") != 0)
      return jz_error_set(err, -JZ_EINVAL, "%s: resample '%s' is not a resampling (resample=days)",
                          where, v);
    w->resample_days = true;
  } else if (klen == 4 && strncmp(key, "seed", 4) == 0) {
    long long x;
    if (jz_units_parse_ll(v, &x) != 0 || x < 0)
      return jz_error_set(err, -JZ_EINVAL, "%s: seed '%s' is not a non-negative integer", where, v);
    w->seed = (unsigned long long)x;
    w->seed_given = true;
  } else {
    char why[200];
    int rc = jz_derive_option(&w->derive, key, klen, v, why, sizeof why);
    if (rc < 0) return jz_error_set(err, rc, "%s: %s", where, why);
    if (rc > 0)
      return jz_error_set(err, -JZ_EINVAL,
                          "%s: unknown option '%.*s' (options: scale, offset, format, account, "
                          "user, queue, walltime, profile, recorded_on, split, efficiency, tier, "
                          "precision, resample, seed)",
                          where, (int)klen, key);
  }
  return 0;
}

/* resample=days and seed=N go together: either alone did nothing, silently (the trace was
 * replayed as it is), while the user asked for a resampling or named a seed. */
static int check_resample(const jz_workload_spec_t *w, const char *where, char sep, jz_error_t *err) {
  const char *sp = sep == '=' ? "" : " ";
  if (w->resample_days && !w->seed_given)
    return jz_error_set(err, -JZ_EINVAL, "%s: resample%c%sdays needs seed%c%sN (0: the trace as it is)", where,
                        sep, sp, sep, sp);
  if (w->seed_given && !w->resample_days)
    return jz_error_set(err, -JZ_EINVAL, "%s: seed%c%s%llu goes with resample%c%sdays (alone it does nothing)",
                        where, sep, sp, w->seed, sep, sp);
  return 0;
}

int jz_experiment_add_workload(jz_experiment_t *e, const char *spec, jz_error_t *err) {
  char where[300];
  snprintf(where, sizeof where, "--workload '%s'", spec);
  jz_workload_spec_t *w = new_workload(e);
  if (!w) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  const char *file = spec;
  /* "PART=" prefix: a name without '/' or ':' before the first '='. */
  const char *eq = strchr(spec, '=');
  if (eq && eq > spec && !memchr(spec, '/', (size_t)(eq - spec)) && !memchr(spec, ':', (size_t)(eq - spec))) {
    if (!(w->partition = dupn(spec, (size_t)(eq - spec)))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    file = eq + 1;
  }
  /* ":key=value,..." suffix: after the last ':' when what follows holds a '='. */
  const char *colon = strrchr(file, ':');
  size_t flen = strlen(file);
  if (colon && strchr(colon, '=')) {
    flen = (size_t)(colon - file);
    const char *o = colon + 1;
    while (*o) {
      const char *end = strchr(o, ',');
      size_t n = end ? (size_t)(end - o) : strlen(o);
      /* "scale=2," or "scale=2,,offset=1": a stray comma, where an option was dropped. */
      if (n == 0) return jz_error_set(err, -JZ_EINVAL, "%s: empty option (a stray ',')", where);
      const char *oeq = memchr(o, '=', n);
      if (!oeq) return jz_error_set(err, -JZ_EINVAL, "%s: option '%.*s' needs a value", where, (int)n, o);
      /* A key given twice is an error, not "the last one wins": `scale=2,scale=3` is a typo
       * whose run would silently answer another question. */
      size_t klen = (size_t)(oeq - o);
      for (const char *p = colon + 1; p < o;) {
        size_t pn = strcspn(p, ",="), pl = strcspn(p, ",");
        if (pn == klen && strncmp(p, o, klen) == 0)
          return jz_error_set(err, -JZ_EINVAL, "%s: option '%.*s' given twice", where, (int)klen, o);
        p += pl + (p[pl] == ',');
      }
      /* Any length: a value cut to a buffer's size would be another value, silently. */
      char *val = dupn(oeq + 1, n - (size_t)(oeq + 1 - o));
      if (!val) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
      int rc = workload_option(w, o, klen, val, where, err);
      free(val);
      if (rc) return rc;
      o += n;
      if (*o == ',' && *++o == '\0')
        return jz_error_set(err, -JZ_EINVAL, "%s: empty option (a stray ',')", where);
    }
    int rc = check_resample(w, where, '=', err);
    if (rc) return rc;
  }
  if (flen == 0) return jz_error_set(err, -JZ_EINVAL, "%s: no file name", where);
  if (!(w->path = dupn(file, flen))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}

/* ---- experiment file ----------------------------------------------------------------- */

static int yerr(jz_error_t *err, const char *path, const jz_yamlx_node_t *n, const char *fmt,
                const char *a) {
  return jz_error_at(err, -JZ_EINVAL, path, n ? n->line : 0, n ? n->col : 0, fmt, a);
}

/* A file named in the experiment file: relative paths are relative to that file's folder. */
static int yfile(const char *path, const jz_yamlx_node_t *n, const char *key, char **out,
                 jz_error_t *err) {
  /* '' too: an empty file name or partition was taken as given, and failed later naming
   * --workload instead of this file (or not at all). */
  if (!jz_yamlx_is_scalar(n) || jz_yamlx_is_null(n) || !n->text[0])
    return yerr(err, path, n, "'%s' must be a non-empty string", key);
  const char *slash = strrchr(path, '/');
  size_t dir = (n->text[0] == '/' || !slash) ? 0 : (size_t)(slash - path + 1);
  free(*out);
  *out = malloc(dir + strlen(n->text) + 1);
  if (!*out) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  memcpy(*out, path, dir);
  strcpy(*out + dir, n->text);
  return 0;
}

static int ystr(const char *path, const jz_yamlx_node_t *n, const char *key, char **out,
                jz_error_t *err) {
  /* '' too: an empty file name or partition was taken as given, and failed later naming
   * --workload instead of this file (or not at all). */
  if (!jz_yamlx_is_scalar(n) || jz_yamlx_is_null(n) || !n->text[0])
    return yerr(err, path, n, "'%s' must be a non-empty string", key);
  free(*out);
  *out = strdup(n->text);
  return *out ? 0 : jz_error_set(err, -JZ_ENOMEM, "out of memory");
}

static int ybool(const char *path, const jz_yamlx_node_t *n, const char *key, bool *out,
                 jz_error_t *err) {
  const char *t = jz_yamlx_str(n);
  if (t && (!strcmp(t, "true") || !strcmp(t, "yes"))) *out = true;
  else if (t && (!strcmp(t, "false") || !strcmp(t, "no"))) *out = false;
  else return yerr(err, path, n, "'%s' must be true or false", key);
  return 0;
}

/* Keys of a mapping must be among names (NULL-terminated). */
static int check_keys(const char *path, const jz_yamlx_node_t *map, const char *const *names,
                      const char *what, jz_error_t *err) {
  if (!jz_yamlx_is_mapping(map)) return yerr(err, path, map, "%s must be a mapping", what);
  for (size_t i = 0; i < jz_yamlx_len(map); i++) {
    const jz_yamlx_node_t *k = jz_yamlx_map_key(map, i);
    bool ok = false;
    for (int j = 0; names[j] && !ok; j++) ok = strcmp(names[j], k->text) == 0;
    if (!ok) {
      char list[256] = "";
      for (int j = 0; names[j]; j++) {
        strncat(list, j ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, names[j], sizeof list - strlen(list) - 1);
      }
      return jz_error_at(err, -JZ_EUNKNOWNKEY, path, k->line, k->col, "%s: unknown key '%s' (keys: %s)",
                         what, k->text, list);
    }
  }
  return 0;
}

static int load_workload_item(jz_experiment_t *e, const char *path, const jz_yamlx_node_t *it,
                              jz_error_t *err) {
  static const char *const keys[] = {"partition", "file",  "format", "scale",    "offset",
                                     "account",   "user",  "queue",  "walltime", "profile",
                                     "recorded_on", "split", "efficiency", "tier", "precision",
                                     "resample", "seed", NULL};
  int rc = check_keys(path, it, keys, "workload", err);
  if (rc) return rc;
  jz_workload_spec_t *w = new_workload(e);
  if (!w) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  const jz_yamlx_node_t *f = jz_yamlx_map_get(it, "file");
  if (!f) return yerr(err, path, it, "workload: missing required key '%s'", "file");
  if ((rc = yfile(path, f, "file", &w->path, err))) return rc;
  const jz_yamlx_node_t *n;
  if ((n = jz_yamlx_map_get(it, "partition"))) {
    if ((rc = ystr(path, n, "partition", &w->partition, err))) return rc;
    char at[400];
    snprintf(at, sizeof at, "%s:%ld:%ld", path, n->line, n->col);
    if (!(w->partition_at = strdup(at))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  const char *opt[] = {"format", "scale",   "offset",      "account", "user",
                       "queue",  "walltime", "profile",   "recorded_on", "split",
                       "efficiency", "tier", "precision", "resample", "seed"};
  for (int k = 0; k < 15; k++) {
    if (!(n = jz_yamlx_map_get(it, opt[k]))) continue;
    char where[400];
    snprintf(where, sizeof where, "%s:%ld:%ld", path, n->line, n->col);
    if (!jz_yamlx_is_scalar(n)) return yerr(err, path, n, "'%s' must be a scalar", opt[k]);
    if ((rc = workload_option(w, opt[k], strlen(opt[k]), n->text, where, err))) return rc;
  }
  char where[400];
  snprintf(where, sizeof where, "%s:%ld:%ld: workload", path, it->line, it->col);
  return check_resample(w, where, ':', err);
}

int jz_experiment_load(jz_experiment_t *e, const char *path, jz_error_t *err) {
  static const char *const top[] = {"platform", "policy", "policy_plugin", "order", "workloads",
                                    "queues", "reservations", "options", "slurm", NULL};
  static const char *const opts[] = {"split_long_jobs", "missing_walltime", "procs_per_node",
                                     "baseline", "lenient", "max_jobs", "network_model",
                                     "restart_cost", NULL};
  int rc = jz_yamlx_load_file(path, &e->doc, err);
  if (rc) return rc;
  e->path = path;
  const jz_yamlx_node_t *root = e->doc->root;
  if (!root) return jz_error_at(err, -JZ_ESYNTAX, path, 1, 1, "empty experiment file");
  if ((rc = check_keys(path, root, top, "experiment", err))) return rc;
  const jz_yamlx_node_t *n;
  if ((n = jz_yamlx_map_get(root, "platform")) && (rc = yfile(path, n, "platform", &e->platform_path, err)))
    return rc;
  if ((n = jz_yamlx_map_get(root, "policy")) && (rc = ystr(path, n, "policy", &e->policy, err)))
    return rc;
  if ((n = jz_yamlx_map_get(root, "order"))) {
    if ((rc = ystr(path, n, "order", &e->order, err))) return rc;
    if (jz_order_find(e->order) < 0)
      return yerr(err, path, n, "unknown order '%s' (orders: " JZ_ORDER_NAMES ")", e->order);
  }
  /* "path[:key=value,...]", the path relative to this file's folder like every file here. */
  if ((n = jz_yamlx_map_get(root, "policy_plugin"))) {
    if (e->policy) return yerr(err, path, n, "give 'policy' or '%s', not both", "policy_plugin");
    if ((rc = yfile(path, n, "policy_plugin", &e->policy_plugin, err))) return rc;
  }
  if ((n = jz_yamlx_map_get(root, "workloads"))) {
    if (!jz_yamlx_is_sequence(n)) return yerr(err, path, n, "'%s' must be a list", "workloads");
    for (size_t i = 0; i < jz_yamlx_len(n); i++)
      if ((rc = load_workload_item(e, path, jz_yamlx_seq_item(n, i), err))) return rc;
  }
  if ((n = jz_yamlx_map_get(root, "slurm")) && (rc = jz_slurm_conf_load(&e->slurm, path, n, err)))
    return rc;
  e->queues = jz_yamlx_map_get(root, "queues");
  e->reservations = jz_yamlx_map_get(root, "reservations");
  if ((n = jz_yamlx_map_get(root, "options"))) {
    if ((rc = check_keys(path, n, opts, "options", err))) return rc;
    const jz_yamlx_node_t *o;
    if ((o = jz_yamlx_map_get(n, "split_long_jobs")) && (rc = ybool(path, o, "split_long_jobs", &e->split_long_jobs, err)))
      return rc;
    if ((o = jz_yamlx_map_get(n, "restart_cost"))) {
      char why[96];
      if (!jz_yamlx_is_scalar(o) || jz_units_parse(o->text, JZ_UNIT_TIME, &e->restart_cost, why, sizeof why) ||
          e->restart_cost < 0 || e->restart_cost > JZ_TIME_MAX)
        return yerr(err, path, o, "'restart_cost' must be a duration of 0 or more (e.g. 10min), got '%s'",
                    jz_yamlx_str(o) ? jz_yamlx_str(o) : "");
    }
    if ((o = jz_yamlx_map_get(n, "baseline")) && (rc = ybool(path, o, "baseline", &e->baseline, err)))
      return rc;
    if ((o = jz_yamlx_map_get(n, "network_model"))) {
      if ((rc = ystr(path, o, "network_model", &e->network_model, err))) return rc;
      if (jz_netmodel_find(e->network_model) < 0)
        return yerr(err, path, o, "unknown network model '%s' (models: ptask_L07, CM02, LV08)",
                    e->network_model);
    }
    if ((o = jz_yamlx_map_get(n, "lenient")) && (rc = ybool(path, o, "lenient", &e->lenient, err)))
      return rc;
    if ((o = jz_yamlx_map_get(n, "missing_walltime"))) {
      char why[96];
      if (!jz_yamlx_is_scalar(o) || jz_units_parse(o->text, JZ_UNIT_TIME, &e->missing_walltime, why, sizeof why) ||
          e->missing_walltime <= 0 || e->missing_walltime > JZ_TIME_MAX)
        return yerr(err, path, o, "'missing_walltime' must be a positive duration (e.g. 20h), got '%s'",
                    jz_yamlx_str(o) ? jz_yamlx_str(o) : "");
    }
    const char *counts[] = {"procs_per_node", "max_jobs"};
    long *dst[] = {&e->procs_per_node, &e->max_jobs};
    for (int k = 0; k < 2; k++) {
      if (!(o = jz_yamlx_map_get(n, counts[k]))) continue;
      long long v;
      if (!jz_yamlx_is_scalar(o) || jz_units_parse_ll(o->text, &v) || v <= 0 || v > 2000000000)
        return yerr(err, path, o, "'%s' must be a positive integer", counts[k]);
      *dst[k] = (long)v;
    }
  }
  return 0;
}

int jz_experiment_apply_sections(const jz_experiment_t *e, jz_platform_t *p, jz_error_t *err) {
  int rc = jz_slurm_conf_check(&e->slurm, p, e->path, err);
  if (rc) return rc;
  if (!e->doc || (!e->queues && !e->reservations)) return 0;
  return jz_platform_replace_sections(p, e->path, e->queues, e->reservations, err);
}

/* ---- reading ------------------------------------------------------------------------- */

void jz_experiment_workload_name(const char *path, char *buf, size_t len) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  snprintf(buf, len, "%s", base);
  static const char *const suffixes[] = {".gz", ".swf", ".csv", ".txt", ".yaml", ".yml", NULL};
  for (int k = 0; suffixes[k]; k++) {
    size_t n = strlen(buf), m = strlen(suffixes[k]);
    if (n > m && strcmp(buf + n - m, suffixes[k]) == 0) buf[n - m] = '\0';
  }
}

/* profile=ai_training: a work profile for every GPU job of the workload that has none. */
static int derive_profiles(jz_workload_spec_t *w, const jz_platform_t *p, jz_job_table_t *t,
                           jz_error_t *err) {
  char where[300];
  snprintf(where, sizeof where, "workload %s", w->path);
  jz_derive_ctx_t ctx;
  int rc = jz_derive_resolve(&w->derive, p, w->part, where, &ctx, err);
  if (rc) return rc;
  long n = 0;
  for (long k = w->first_job; k < (long)t->n; k++) {
    jz_profile_t pr;
    if (jz_job_profile(t, (size_t)k) || jz_derive_job(&ctx, &t->jobs[k], &pr) != 0) continue;
    if (jz_job_table_set_profile(t, (size_t)k, &pr)) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    n++;
  }
  if (w->info.n_notes < JZ_READ_MAX_NOTES)
    snprintf(w->info.notes[w->info.n_notes++], sizeof w->info.notes[0],
             "ai_training profiles derived for %ld GPU jobs, recorded on %s", n,
             ctx.rec->gpu_model);
  return 0;
}

/* A profile names its storage tier by text: make it the platform's tier index. */
static int resolve_tier(const jz_platform_t *p, jz_job_table_t *t, long k, const char *path,
                        jz_error_t *err) {
  jz_profile_t *pr = jz_job_profile_mut(t, (size_t)k);
  if (!pr || pr->tier < 0) return 0;
  const char *name = jz_strtab_get(&t->strings, pr->tier);
  for (int i = 0; i < p->n_storage; i++) {
    if (strcmp(p->storage[i].name, name) == 0) {
      pr->tier = i;
      return 0;
    }
  }
  char id[64], tiers[160] = "";
  size_t n = 0;
  for (int i = 0; i < p->n_storage && n < sizeof tiers; i++)
    n += (size_t)snprintf(tiers + n, sizeof tiers - n, "%s%s", i ? ", " : "", p->storage[i].name);
  return jz_error_at(err, -JZ_EINVAL, path, t->jobs[k].line, 0,
                     "job %s: unknown storage tier '%s' (platform %s has %s%s)",
                     jz_job_id_text(t, &t->jobs[k], id, sizeof id), name, p->path,
                     p->n_storage ? "tiers: " : "no storage", tiers);
}

/* Times beyond JZ_TIME_MAX lose the microsecond (platform.h): a submit of 2^63-1 gave a 50 s
 * job an execution time of 0. `what` says where the time came from, for the message. */
static int check_time(const jz_workload_spec_t *w, const jz_job_table_t *t, const jz_job_t *j,
                      const char *field, double v, const char *what, jz_error_t *err) {
  if (fabs(v) <= JZ_TIME_MAX) return 0;
  char id[64];
  return jz_error_at(err, -JZ_ERANGE, w->path, j->line, 0,
                     "job %s: %s %g s%s is beyond %.0f s (2^32 s, about 136 years), the longest "
                     "time jzsim keeps to the microsecond",
                     jz_job_id_text(t, j, id, sizeof id), field, v, what, JZ_TIME_MAX);
}

typedef struct submit_at {
  double orig;
  long k;
} submit_at_t;

static int cmp_submit_at(const void *a, const void *b) {
  const submit_at_t *x = a, *y = b;
  return x->orig < y->orig ? -1 : x->orig > y->orig ? 1 : (x->k > y->k) - (x->k < y->k);
}

/* scale=K > 1 brings arrivals K times closer, and rescaled times are kept to the microsecond:
 * two jobs the trace submits at different times must not end up at the same microsecond (the
 * trace's order would be lost: issue 8, "inputs whose times lose the precision the trace has
 * are errors"). O(n log n), only when a workload is compressed. */
static int check_scale_keeps_order(const jz_workload_spec_t *w, const jz_job_table_t *t,
                                   double first, jz_error_t *err) {
  size_t n = (size_t)((long)t->n - w->first_job);
  submit_at_t *a = malloc(n * sizeof *a);
  if (!a) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) a[i] = (submit_at_t){t->jobs[w->first_job + (long)i].submit, w->first_job + (long)i};
  qsort(a, n, sizeof *a, cmp_submit_at);
  int rc = 0;
  for (size_t i = 1; i < n && rc == 0; i++) {
    if (a[i].orig == a[i - 1].orig) continue;
    double u = nearbyint(((a[i - 1].orig - first) / w->scale) * 1e6);
    double v = nearbyint(((a[i].orig - first) / w->scale) * 1e6);
    if (u == v) {
      const jz_job_t *x = &t->jobs[a[i - 1].k], *y = &t->jobs[a[i].k];
      char ix[64], iy[64];
      rc = jz_error_at(err, -JZ_ERANGE, w->path, y->line, 0,
                       "job %s: scale=%g puts it at the same microsecond as job %s (submitted "
                       "%g s apart in the trace): their order would be lost",
                       jz_job_id_text(t, y, iy, sizeof iy), w->scale,
                       jz_job_id_text(t, x, ix, sizeof ix), a[i].orig - a[i - 1].orig);
    }
  }
  free(a);
  return rc;
}

static bool queue_has_partition(const jz_queue_t *Q, int part) {
  for (int k = 0; k < Q->n_partitions; k++)
    if (Q->partitions[k] == part) return true;
  return false;
}

/* queue=Q must name a queue that serves the workload's partition: routing looks for the
 * name among those queues only, so any other name (a typo, a queue of another partition)
 * would be ignored and the jobs routed by size, silently. A partition without queues has
 * one implicit queue named after it (README "Mapping a job"). */
static int check_queue_option(const jz_workload_spec_t *w, const jz_platform_t *p, jz_error_t *err) {
  if (!w->queue) return 0;
  const char *pname = p->partitions[w->part].name;
  char known[256] = "";
  size_t n = 0;
  bool any = false;
  for (int q = 0; q < p->n_queues; q++) {
    if (!queue_has_partition(&p->queues[q], w->part)) continue;
    if (strcmp(p->queues[q].name, w->queue) == 0) return 0;
    if (n < sizeof known)
      n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", any ? ", " : "", p->queues[q].name);
    any = true;
  }
  if (!any && strcmp(pname, w->queue) == 0) return 0;
  if (!any) snprintf(known, sizeof known, "%s, its implicit queue", pname);
  return jz_error_set(err, -JZ_EINVAL, "%s: partition %s of platform %s has no queue '%s' (queues: %s)",
                      w->queue_at ? w->queue_at : w->path, pname, p->path, w->queue, known);
}

int jz_experiment_read(jz_experiment_t *e, const jz_platform_t *p, jz_job_table_t *t,
                       jz_error_t *err) {
  if (e->n_workloads == 0) return jz_error_set(err, -JZ_EINVAL, "run: no workload (use --workload)");
  if (e->n_workloads > INT16_MAX) return jz_error_set(err, -JZ_ERANGE, "run: too many workloads");
  for (int i = 0; i < e->n_workloads; i++) {
    jz_workload_spec_t *w = &e->workloads[i];
    if (w->partition) {
      w->part = jz_platform_find_partition(p, w->partition);
      if (w->part < 0 && w->partition_at)
        return jz_error_set(err, -JZ_EINVAL, "%s: platform %s has no partition '%s'", w->partition_at,
                            p->path, w->partition);
      if (w->part < 0)
        return jz_error_set(err, -JZ_EINVAL, "--workload %s=%s: platform %s has no partition '%s'",
                            w->partition, w->path, p->path, w->partition);
    } else {
      w->part = jz_platform_first_cpu_partition(p);
      if (w->part < 0)
        return jz_error_set(err, -JZ_EINVAL,
                            "%s: platform %s has no partition without GPUs: name one (--workload PART=%s)",
                            w->path, p->path, w->path);
    }
    int rc = check_queue_option(w, p, err);
    if (rc) return rc;
    const char *fmt = w->format ? w->format : e->format;
    const jz_reader_t *rd = fmt ? jz_reader_find(fmt) : NULL;
    if (fmt && !rd) return jz_error_set(err, -JZ_EINVAL, "--format: unknown format '%s'", fmt);
    jz_read_opts_t ro = {.max_jobs = e->max_jobs, .lenient = e->lenient,
                         .missing_walltime = w->walltime > 0 ? w->walltime : e->missing_walltime,
                         .workload = (int16_t)i};
    w->first_job = (long)t->n;
    /* A trace the sweep process has read already (workload/cache.h): its records as the reader
     * appended them, without reading the file again. */
    const jz_reader_t *cached = NULL;
    rc = jz_trace_cache_append(w->path, rd, &ro, t, &w->info, &cached, err);
    if (rc < 0) return rc;
    if (rc == 1) {
      rd = cached;
    } else {
      /* Opened once: detection looks at the buffered head and the reader goes on from it, so
       * a pipe or FIFO is read whole (reader.h). */
      jz_input_t *in;
      if ((rc = jz_input_open(w->path, &in, err))) return rc;
      if (!rd && !(rd = jz_reader_detect_input(in, err))) {
        jz_input_close(in);
        return err->code;
      }
      rc = rd->read(in, &ro, t, &w->info, err);
      jz_input_close(in);
      if (rc) return rc;
    }
    w->format_used = rd->name;
    jz_experiment_workload_name(w->path, w->name, sizeof w->name);
    if (w->resample_days && w->seed != 0 && (rc = jz_resample_days(t, w->first_job, w->seed, i, err)))
      return rc;
    w->n_jobs = (long)t->n - w->first_job;
    const jz_node_type_t *nt = &p->node_types[p->partitions[w->part].node_type];
    double first = INFINITY;
    for (long k = w->first_job; k < (long)t->n; k++) {
      jz_job_t *j = &t->jobs[k];
      j->partition = (int16_t)w->part;
      if (j->gpus > 0 && nt->gpus == 0) {
        char id[64];
        return jz_error_at(err, -JZ_EINVAL, w->path, j->line, 0,
                           "job %s: asks for %d GPU%s, partition %s has none (name a GPU partition: "
                           "--workload PART=%s)",
                           jz_job_id_text(t, j, id, sizeof id), j->gpus, j->gpus == 1 ? "" : "s",
                           p->partitions[w->part].name, w->path);
      }
      if ((rc = check_time(w, t, j, "submit time", j->submit, "", err)) ||
          (rc = check_time(w, t, j, "run time", j->runtime, "", err)) ||
          (rc = check_time(w, t, j, "requested time", j->walltime, "", err)))
        return rc;
      if ((rc = resolve_tier(p, t, k, w->path, err))) return rc;
      if (j->submit < first) first = j->submit;
    }
    if (w->derive.on && (rc = derive_profiles(w, p, t, err))) return rc;
    /* Several workloads: align each to start at 0, then scale its arrivals and offset it. */
    w->shift = (e->n_workloads > 1 && w->n_jobs > 0) ? -first : 0;
    if (w->n_jobs == 0) continue;
    if (w->scale > 1 && (rc = check_scale_keeps_order(w, t, first, err))) return rc;
    for (long k = w->first_job; k < (long)t->n; k++) {
      jz_job_t *j = &t->jobs[k];
      double at = first + (j->submit - first) / w->scale + w->shift + w->offset;
      /* A rescaled time is ours, not the trace's: keep it to the microsecond, so that it
       * prints short and exact (units.h) and means the same on every machine. */
      j->submit = w->scale == 1 ? at : nearbyint(at * 1e6) / 1e6;
      if (!(fabs(j->submit) <= JZ_TIME_MAX)) { /* also NaN */
        char what[96];
        snprintf(what, sizeof what, " after scale=%g and offset=%gs", w->scale, w->offset);
        return check_time(w, t, j, "submit time", j->submit, what, err);
      }
    }
  }
  if (t->n >= JZ_NONE / 2) return jz_error_set(err, -JZ_ERANGE, "too many jobs (%zu)", t->n);
  if (jz_job_table_sort(t)) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}

/* ---- mapping ------------------------------------------------------------------------- */

static int note(jz_mapping_t *m, int workload, const char *field, const char *rule) {
  for (int i = 0; i < m->n_notes; i++)
    if (m->notes[i].workload == workload && m->notes[i].field == field &&
        strcmp(m->notes[i].rule, rule) == 0) {
      m->notes[i].jobs++;
      return 0;
    }
  if (m->n_notes == m->cap_notes) {
    int cap = m->cap_notes ? m->cap_notes * 2 : 16;
    jz_default_note_t *n = realloc(m->notes, (size_t)cap * sizeof *n);
    if (!n) return -JZ_ENOMEM;
    m->notes = n;
    m->cap_notes = cap;
  }
  jz_default_note_t *n = &m->notes[m->n_notes++];
  n->workload = workload;
  n->field = field;
  snprintf(n->rule, sizeof n->rule, "%s", rule);
  n->jobs = 1;
  return 0;
}

/* The request of job j on partition part (see experiment.h). */
static jz_request_t request_of(const jz_experiment_t *e, const jz_platform_t *p, const jz_job_t *j) {
  const jz_node_type_t *nt = &p->node_types[p->partitions[j->partition].node_type];
  jz_request_t q = {0, 0, 0, 0};
  bool excl = (j->flags & JZ_JOB_EXCLUSIVE) != 0;
  if (j->gpus > 0) {
    int32_t cpg = j->cores_per_gpu > 0 ? j->cores_per_gpu : nt->cores / nt->gpus;
    if (cpg < 1) cpg = 1;
    int64_t cores = (int64_t)j->gpus * cpg;
    if (excl || j->gpus > nt->gpus || cores > nt->cores || j->nodes > 1) {
      int32_t nodes = (j->gpus + nt->gpus - 1) / nt->gpus;
      q.nodes = j->nodes > nodes ? j->nodes : nodes;
    } else {
      q.gpus = j->gpus;
      q.cores = (int32_t)cores;
    }
  } else if (excl || (e->procs_per_node > 0 && j->workload >= 0 &&
                      strcmp(e->workloads[j->workload].format_used, "swf") == 0)) {
    long ppn = e->procs_per_node > 0 ? e->procs_per_node : nt->cores;
    int32_t nodes = (int32_t)((j->procs + ppn - 1) / ppn);
    q.nodes = j->nodes > nodes ? j->nodes : nodes;
  } else {
    q.cores = j->procs;
  }
  return q;
}

/* Does queue Q admit the job on size (GPUs, cores, nodes per job, and no more than one user or
 * account may have running in it)? */
static bool admits_size(const jz_queue_t *Q, const jz_request_t *q, const jz_node_type_t *nt) {
  int64_t gpus = q->nodes ? (int64_t)q->nodes * nt->gpus : q->gpus;
  int64_t cores = q->nodes ? (int64_t)q->nodes * nt->cores : q->cores;
  int64_t nodes = q->nodes ? q->nodes : (q->gpus ? 1 : (cores + nt->cores - 1) / nt->cores);
  /* A job bigger than a per-user or per-account limit could never start there either. */
  return (!Q->max_gpus_per_job || gpus <= Q->max_gpus_per_job) &&
         (!Q->max_cores_per_job || cores <= Q->max_cores_per_job) &&
         (!Q->max_nodes_per_job || nodes <= Q->max_nodes_per_job) &&
         (!Q->max_gpus_per_user || gpus <= Q->max_gpus_per_user) &&
         (!Q->max_cores_per_user || cores <= Q->max_cores_per_user) &&
         (!Q->max_gpus_per_account || gpus <= Q->max_gpus_per_account) &&
         (!Q->max_cores_per_account || cores <= Q->max_cores_per_account);
}

/* q1 preferred over q2 for routing: smaller max walltime (0 = unlimited), then default. */
static bool better_queue(const jz_queue_t *q1, const jz_queue_t *q2) {
  double w1 = q1->max_walltime > 0 ? q1->max_walltime : INFINITY;
  double w2 = q2->max_walltime > 0 ? q2->max_walltime : INFINITY;
  if (w1 != w2) return w1 < w2;
  return q1->is_default && !q2->is_default;
}

static int cmp_note(const void *a, const void *b) {
  const jz_default_note_t *x = a, *y = b;
  if (x->workload != y->workload) return x->workload < y->workload ? -1 : 1;
  int c = strcmp(x->field, y->field);
  return c ? c : strcmp(x->rule, y->rule);
}

/* Segment k (1-based) of a chain is labelled "ID/k", ID the trace job's id as jobs.csv prints
 * it. lab holds "ID/" (blen bytes) and room for the number. */
static int label_segment(jz_job_table_t *t, uint32_t id, char *lab, size_t blen, long k) {
  int n = snprintf(lab + blen, 24, "%ld", k);
  int32_t s = jz_strtab_intern(&t->strings, lab, blen + (size_t)n);
  if (s < 0) return -JZ_ENOMEM;
  t->jobs[id].label = s;
  return 0;
}

/* Job i asks for more than Q's max walltime M, the longest limit of the queues that admit its
 * size (--split-long-jobs). The chain replays what the trace ran, up to what it asked for:
 * work = min(run time, request) (a job that ran past its request was killed at it). If the
 * work fits in M, only the request was too long: it is cut to M (a default, noted) and the
 * job stays one job. Else the job becomes a chain of segments of at most M, each submitted
 * when the previous ends (engine). A restart reloads its checkpoint: segments 2..k first spend
 * C = restart_cost seconds (options.restart_cost, C < M) doing no work, so they do M - C of
 * work each and the first does M: k = 1 + ceil((work - M) / (M - C)); the last does what is
 * left, running C + that (C = 0: ceil(work / M) segments of M, the chain costs nothing). The trace's outcome belongs to the last
 * segment: a failure, a cancellation or a time-limit kill ends the trace job, so the earlier
 * segments completed (status 1, not timed out). *lab is a growable scratch buffer. */
static int split_long_job(jz_job_table_t *t, jz_mapping_t *m, size_t *cap, uint32_t i,
                          const jz_queue_t *Q, double C, char **lab, size_t *lab_cap) {
  jz_job_t *j = &t->jobs[i];
  double M = Q->max_walltime, L = j->walltime, R = j->runtime;
  bool killed = L > 0 && R > L;
  double W = killed ? L : R;
  if (W <= M) {
    char rule[112];
    j->walltime = M;
    snprintf(rule, sizeof rule, "cut to the max walltime of its queue (%s): the run fits in it",
             Q->name);
    return note(m, j->workload, "requested time", rule);
  }
  long k = 1 + (long)ceil((W - M) / (M - C));
  double done = M + (double)(k - 2) * (M - C); /* work before the last segment */
  int32_t status = j->status;
  uint16_t last_flags = (uint16_t)(j->flags | (killed ? JZ_JOB_TIMED_OUT : 0));
  /* The id text: a label lives in the string table, a number is printed into idbuf. */
  char idbuf[32];
  const char *id = jz_job_id_text(t, j, idbuf, sizeof idbuf);
  size_t blen = strlen(id) + 1;
  if (blen + 24 > *lab_cap) {
    char *nl = realloc(*lab, blen + 24);
    if (!nl) return -JZ_ENOMEM;
    *lab = nl;
    *lab_cap = blen + 24;
  }
  memcpy(*lab, id, blen - 1); /* before any interning below can add strings */
  (*lab)[blen - 1] = '/';
  /* The first segment is job i itself; segments 2..k are appended to the table. */
  j->runtime = M;
  j->walltime = M;
  j->status = 1;
  j->flags &= (uint16_t)~JZ_JOB_TIMED_OUT;
  if (label_segment(t, i, *lab, blen, 1)) return -JZ_ENOMEM;
  uint32_t prev = i;
  for (long s = 2; s <= k; s++) {
    jz_job_t *sj = jz_job_table_push(t);
    if (!sj) return -JZ_ENOMEM;
    uint32_t sid = (uint32_t)(t->n - 1);
    *sj = t->jobs[i]; /* the table may have moved: copy from it, not from j */
    if (t->prof_of) t->prof_of[sid] = t->prof_of[i]; /* a chain shares its job's work */
    if (t->n > *cap) {
      size_t nc = *cap * 2;
      jz_plan_t *np = realloc(m->plans, nc * sizeof *np);
      if (!np) return -JZ_ENOMEM;
      m->plans = np;
      *cap = nc;
    }
    if (s == k) {
      /* The last segment does what is left of the work and asks for what is left of the
       * job's request plus its restart (at most M): the chain asks for the job's request in
       * all, so a job the trace shows killed at its limit ends killed at the last segment's
       * own limit. */
      double left = L > 0 ? C + L - done : M;
      sj->runtime = C + W - done;
      sj->walltime = left < M ? left : M;
      sj->status = status;
      sj->flags = last_flags;
    }
    if (label_segment(t, sid, *lab, blen, s)) return -JZ_ENOMEM;
    m->plans[sid] = m->plans[i];
    m->plans[sid].chain_next = JZ_NONE;
    m->plans[prev].chain_next = sid;
    prev = sid;
  }
  m->chains++;
  m->segments += k;
  return 0;
}

int jz_experiment_map(jz_experiment_t *e, const jz_platform_t *p, jz_job_table_t *t,
                      jz_mapping_t *m, jz_error_t *err) {
  memset(m, 0, sizeof *m);
  uint32_t n = (uint32_t)t->n;
  m->n_static = n;
  size_t cap = t->n ? t->n : 1;
  m->plans = malloc(cap * sizeof *m->plans);
  if (!m->plans) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  int32_t *acct = calloc((size_t)(e->n_workloads ? e->n_workloads : 1), sizeof *acct);
  /* "the max walltime of its queue (Q)" per queue, written once instead of once per job (most
   * GPU traces have no requested time: a sweep maps tens of thousands of such jobs per run). */
  char(*qrule)[112] = calloc((size_t)(p->n_queues ? p->n_queues : 1), sizeof *qrule);
  if (!acct || !qrule) {
    free(acct);
    free(qrule);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  char *lab = NULL; /* chain labels (split_long_job) */
  size_t lab_cap = 0;
  int *pq_start = NULL, *pq = NULL; /* the queues of each partition (below) */
  for (int w = 0; w < e->n_workloads; w++) {
    acct[w] = jz_strtab_intern(&t->strings, e->workloads[w].name, strlen(e->workloads[w].name));
    if (acct[w] < 0) goto oom;
  }
  /* The queues of each partition, in platform order, found once rather than per job:
   * pq[pq_start[part] .. pq_start[part + 1]). */
  int np = p->n_partitions;
  pq_start = calloc((size_t)np + 1, sizeof *pq_start);
  pq = malloc(((size_t)p->n_queues * (size_t)np + 1) * sizeof *pq);
  if (!pq_start || !pq) goto oom;
  for (int part = 0, k = 0; part < np; part++) {
    pq_start[part] = k;
    for (int q = 0; q < p->n_queues; q++)
      if (queue_has_partition(&p->queues[q], part)) pq[k++] = q;
    pq_start[part + 1] = k;
  }
  for (uint32_t i = 0; i < n; i++) {
    jz_job_t *j = &t->jobs[i];
    jz_plan_t *pl = &m->plans[i];
    int part = j->partition, wl = j->workload;
    const jz_node_type_t *nt = &p->node_types[p->partitions[part].node_type];
    *pl = (jz_plan_t){.req = request_of(e, p, j), .key = -1, .resv = -1, .chain_next = JZ_NONE};
    /* What the trace lacks: the workload's own values if given, else the defaults. */
    const jz_workload_spec_t *ws = &e->workloads[wl];
    if (j->account < 0 && ws->account) {
      if ((j->account = jz_strtab_intern(&t->strings, ws->account, strlen(ws->account))) < 0) goto oom;
      if (note(m, wl, "account", "the workload's account option")) goto oom;
    } else if (j->account < 0) {
      j->account = acct[wl];
      j->flags |= JZ_JOB_DEFAULT_ACCOUNT;
      if (note(m, wl, "account", "the workload's name; per-account limits do not apply")) goto oom;
    }
    if (j->user < 0 && ws->user) {
      if ((j->user = jz_strtab_intern(&t->strings, ws->user, strlen(ws->user))) < 0) goto oom;
      if (note(m, wl, "user", "the workload's user option")) goto oom;
    } else if (j->user < 0 && note(m, wl, "user", "none: per-user limits do not apply")) {
      goto oom;
    }
    if (j->queue < 0 && ws->queue) {
      if ((j->queue = jz_strtab_intern(&t->strings, ws->queue, strlen(ws->queue))) < 0) goto oom;
      if (note(m, wl, "queue", "the workload's queue option")) goto oom;
    }
    if (j->walltime <= 0 && ws->walltime > 0) {
      j->walltime = ws->walltime;
      if (note(m, wl, "requested time", "the workload's walltime option")) goto oom;
    }
    /* Routing. */
    const char *named = j->queue >= 0 ? jz_strtab_get(&t->strings, j->queue) : NULL;
    int named_q = -1;
    const int *qs = pq + pq_start[part], nqs = pq_start[part + 1] - pq_start[part];
    bool any_queue = nqs > 0;
    for (int k = 0; named && k < nqs; k++)
      if (strcmp(named, p->queues[qs[k]].name) == 0) named_q = qs[k];
    double len = j->walltime > 0 ? j->walltime : j->runtime;
    int best = -1, longest = -1; /* admitting queue; longest size-admitting queue */
    for (int k = 0; k < nqs; k++) {
      int q = qs[k];
      const jz_queue_t *Q = &p->queues[q];
      if (named_q >= 0 && q != named_q) continue;
      if (!admits_size(Q, &pl->req, nt)) continue;
      if (longest < 0 || better_queue(&p->queues[longest], Q)) longest = q;
      if (Q->max_walltime > 0 && len > Q->max_walltime) continue;
      if (best < 0 || better_queue(Q, &p->queues[best])) best = q;
    }
    if (!any_queue) {
      if (j->walltime <= 0) {
        j->walltime = e->missing_walltime > 0 ? e->missing_walltime : j->runtime;
        if (note(m, wl, "requested time",
                 e->missing_walltime > 0 ? "--missing-walltime" : "the run time (no queue on the partition)"))
          goto oom;
      }
    } else if (best >= 0) {
      pl->key = (int16_t)best;
      if (j->walltime <= 0) {
        const jz_queue_t *Q = &p->queues[best];
        j->walltime = Q->max_walltime > 0 ? Q->max_walltime : j->runtime;
        if (!qrule[best][0]) snprintf(qrule[best], sizeof qrule[best], "the max walltime of its queue (%s)", Q->name);
        if (note(m, wl, "requested time", qrule[best])) goto oom;
      }
    } else if (longest >= 0 && e->split_long_jobs && p->queues[longest].max_walltime > 0) {
      const jz_queue_t *Q = &p->queues[longest];
      pl->key = (int16_t)longest;
      if (e->restart_cost >= Q->max_walltime) {
        free(acct);
        free(qrule);
        free(lab);
        free(pq_start);
        free(pq);
        return jz_error_set(err, -JZ_EINVAL,
                            "%s: restart_cost %.0f s is not below the max walltime of queue %s (%.0f s): "
                            "its chains would do no work",
                            e->path ? e->path : "options", e->restart_cost, Q->name, Q->max_walltime);
      }
      if (split_long_job(t, m, &cap, i, Q, e->restart_cost, &lab, &lab_cap)) goto oom;
      j = &t->jobs[i]; /* the table may have moved */
      pl = &m->plans[i];
    } else {
      pl->key = (int16_t)(best >= 0 ? best : (longest >= 0 ? longest : (named_q >= 0 ? named_q : -1)));
      pl->reject = (uint8_t)(named_q >= 0 ? JZ_REJECT_NAMED_QUEUE
                                          : (longest >= 0 ? JZ_REJECT_WALLTIME : JZ_REJECT_QUEUE_SIZE));
      if (pl->key < 0) {
        for (int q = 0; q < p->n_queues && pl->key < 0; q++)
          if (queue_has_partition(&p->queues[q], part)) pl->key = (int16_t)q;
      }
      if (j->walltime <= 0) j->walltime = j->runtime;
    }
    /* Dedicated allocation whose accounts include the job's. */
    const char *acc = jz_strtab_get(&t->strings, j->account);
    for (int k = 0; k < p->n_reservations && pl->resv < 0; k++) {
      const jz_reservation_t *rv = &p->reservations[k];
      if (rv->partition != part) continue;
      for (int a = 0; a < rv->n_accounts; a++)
        if (strcmp(rv->accounts[a], acc) == 0) pl->resv = (int16_t)k;
    }
    /* Segments inherit the reservation. */
    for (uint32_t s = pl->chain_next; s != JZ_NONE; s = m->plans[s].chain_next) m->plans[s].resv = pl->resv;
  }
  free(acct);
  free(qrule);
  free(lab);
  free(pq_start);
  free(pq);
  /* A trace that says the time limit killed a job (sacct TIMEOUT) while the job ran less than
   * its request (Elapsed < Timelimit, or no Timelimit and a default request above Elapsed)
   * contradicts itself: the replay kills at the request, so it cannot end the job "killed at
   * walltime" before it (tests/check/jzcheck.py refuses such a row). It keeps its recorded
   * run time and ends COMPLETED_FAILED (a TIMEOUT is no success), counted under "defaults".
   * After the routing and the chains, where every request is final. */
  for (size_t i = 0; i < t->n; i++) {
    jz_job_t *j = &t->jobs[i];
    if (!(j->flags & JZ_JOB_TIMED_OUT) || j->runtime >= j->walltime) continue;
    j->flags &= (uint16_t)~JZ_JOB_TIMED_OUT;
    j->status = 0;
    if (note(m, j->workload, "outcome", "failed at its run time: timed out before its requested time"))
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  /* Report the defaults grouped by workload and field, whatever order the jobs came in.
   * With no job there is no note and notes is NULL: qsort(NULL, 0, ...) is undefined. */
  if (m->n_notes > 1) qsort(m->notes, (size_t)m->n_notes, sizeof *m->notes, cmp_note);
  return 0;
oom:
  free(acct);
  free(qrule);
  free(lab);
  free(pq_start);
  free(pq);
  return jz_error_set(err, -JZ_ENOMEM, "out of memory");
}

void jz_mapping_apply(const jz_mapping_t *m, jz_sched_t *s) {
  s->n_static = m->n_static;
  for (uint32_t i = 0; i < s->njobs; i++) {
    jz_plan_t pl = m->plans[i];
    if (pl.key < 0) pl.key = (int16_t)jz_sched_partition_key(s, s->jobs[i].partition);
    jz_sched_plan(s, i, &pl);
  }
}

void jz_mapping_free(jz_mapping_t *m) {
  free(m->plans);
  free(m->notes);
  memset(m, 0, sizeof *m);
}
