/* slurm_conf.c: the experiment file's `slurm:` section, with slurm.conf's own names and units,
 * read through one typed table {name, kind, field, default, min, max, unit, help} whose bounds
 * are Slurm's. A bad value is an error ("path:line:col: ..."), never reset to a default.
 *
 *   slurm:
 *     PriorityWeightAge: 1000          # integers, 0 .. 4294967295, every one 0 by default
 *     PriorityWeightFairshare: 10000
 *     PriorityWeightTRES: CPU=1000,GRES/gpu=2000
 *     PriorityMaxAge: 7-0              # Slurm's time format: [days-]hours:min:sec, or minutes
 *     PriorityDecayHalfLife: 7-0
 *     PriorityFavorSmall: YES
 *     PriorityFlags: NO_FAIR_TREE      # classic fair-share instead of Fair Tree
 *     SchedulerParameters: bf_interval=30,bf_window=1440,bf_continue   # or a mapping
 *     accounts: {A: {shares: 40}, D: {shares: 60, parent: root}}
 *     partitions: {cpu_p1: {PriorityJobFactor: 10}}
 *
 * Keys compare without case, as slurm.conf does. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform.h"
#include "sched/slurm.h"
#include "suggest.h"
#include "yamlx.h"

typedef enum kind {
  K_WEIGHT,  /* integer */
  K_TIME,    /* Slurm time: minutes, min:sec, h:min:sec, d-h, d-h:min, d-h:min:sec -> seconds */
  K_SECONDS, /* integer seconds */
  K_MINUTES, /* integer minutes -> seconds */
  K_COUNT,   /* integer */
  K_YESNO,   /* YES / NO */
  K_BOOL,    /* SchedulerParameters flag: present (string form) or true/false (mapping) */
  K_RESET,   /* PriorityUsageResetPeriod */
  K_FLAGS,   /* PriorityFlags */
  K_TRES,    /* PriorityWeightTRES */
  K_DECIMAL, /* non-negative decimal seconds (controller:) */
} kind_t;

typedef struct param {
  const char *name;
  kind_t kind;
  size_t off;
  double def, min, max; /* in the unit written (minutes for K_MINUTES) */
  const char *help;
} param_t;

#define F(x) offsetof(jz_slurm_conf_t, x)
static const param_t prio_params[] = {
    {"PriorityWeightAge", K_WEIGHT, F(w_age), 0, 0, 4294967295.0, "weight of the age factor"},
    {"PriorityWeightFairshare", K_WEIGHT, F(w_fs), 0, 0, 4294967295.0, "weight of the fair-share factor"},
    {"PriorityWeightJobSize", K_WEIGHT, F(w_js), 0, 0, 4294967295.0, "weight of the job size factor"},
    {"PriorityWeightPartition", K_WEIGHT, F(w_part), 0, 0, 4294967295.0, "weight of the partition factor"},
    {"PriorityWeightQOS", K_WEIGHT, F(w_qos), 0, 0, 4294967295.0, "weight of the QoS factor"},
    {"PriorityWeightTRES", K_TRES, 0, 0, 0, 4294967295.0, "CPU=, Node=, GRES/gpu= weights"},
    {"PriorityMaxAge", K_TIME, F(max_age), 7 * 86400, 0, 1e9, "age at which the age factor is 1"},
    {"PriorityDecayHalfLife", K_TIME, F(decay_hl), 7 * 86400, 0, 1e9, "usage half-life, 0 = none"},
    {"PriorityCalcPeriod", K_TIME, F(calc_period), 300, 1, 1e9, "recalculation period"},
    {"PriorityUsageResetPeriod", K_RESET, F(reset_period), 0, 0, 0, "NONE, NOW, DAILY, ..."},
    {"PriorityFavorSmall", K_YESNO, F(favor_small), 0, 0, 1, "job size factor favours small jobs"},
    {"PriorityFlags", K_FLAGS, 0, 0, 0, 0, "NO_FAIR_TREE"},
    {"FairShareDampeningFactor", K_COUNT, F(damp), 1, 1, 1e9, "classic fair-share dampening"},
    {NULL, 0, 0, 0, 0, 0, NULL},
};

static const param_t sched_params[] = {
    {"bf_interval", K_SECONDS, F(bf_interval), 30, 1, 10800, "seconds between backfill passes"},
    {"bf_window", K_MINUTES, F(bf_window), 1440, 1, 43200, "minutes ahead the plan covers"},
    {"bf_resolution", K_SECONDS, F(bf_resolution), 60, 1, 3600, "seconds of the plan's grid"},
    {"bf_max_job_test", K_COUNT, F(bf_max_job_test), 500, 1, 1000000, "jobs tested per pass"},
    {"bf_max_job_user", K_COUNT, F(bf_max_job_user), 0, 0, 1000000, "jobs tested per user, 0 = any"},
    {"bf_continue", K_BOOL, F(bf_continue), 0, 0, 1, "continue after yielding locks"},
    {"sched_interval", K_SECONDS, F(sched_interval), 60, 1, 86400, "seconds between full main passes"},
    {"default_queue_depth", K_COUNT, F(default_queue_depth), 100, 1, 1000000, "jobs per main pass"},
    {NULL, 0, 0, 0, 0, 0, NULL},
};

static const param_t ctl_params[] = {
    {"end_latency", K_DECIMAL, F(end_latency), 0, 0, 3600, "seconds from a job end to its main pass"},
    {"submit_latency", K_DECIMAL, F(submit_latency), 0, 0, 3600, "seconds from a submission to its main pass"},
    {NULL, 0, 0, 0, 0, 0, NULL},
};
#undef F

static void set_field(jz_slurm_conf_t *c, const param_t *p, double v) {
  char *base = (char *)c + p->off;
  switch (p->kind) {
    case K_WEIGHT:
    case K_COUNT:
      *(long *)(void *)base = (long)v;
      break;
    case K_YESNO:
    case K_BOOL: *(bool *)(void *)base = v != 0; break;
    case K_MINUTES: *(double *)(void *)base = v * 60; break;
    default: *(double *)(void *)base = v; break;
  }
}

void jz_slurm_conf_default(jz_slurm_conf_t *c) {
  memset(c, 0, sizeof *c);
  for (const param_t *p = prio_params; p->name; p++)
    if (p->kind != K_TRES && p->kind != K_FLAGS) set_field(c, p, p->def);
  for (const param_t *p = sched_params; p->name; p++) set_field(c, p, p->def);
  for (const param_t *p = ctl_params; p->name; p++) set_field(c, p, p->def);
  c->fair_tree = true;
}

void jz_slurm_conf_free(jz_slurm_conf_t *c) {
  for (int i = 0; i < c->n_accounts; i++) {
    free(c->accounts[i].name);
    free(c->accounts[i].parent_name);
  }
  free(c->accounts);
  for (int i = 0; i < c->n_parts; i++) free(c->parts[i].name);
  free(c->parts);
  c->accounts = NULL;
  c->parts = NULL;
  c->n_accounts = c->n_parts = 0;
}

/* ---- values -------------------------------------------------------------------------------- */

/* Digits only (no sign, no spaces), at most 12 of them. */
static bool uint_text(const char *s, size_t n, double *out) {
  if (n == 0 || n > 12) return false;
  double v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* Slurm's time format (slurm.conf: "minutes", "minutes:seconds", "hours:minutes:seconds",
 * "days-hours", "days-hours:minutes", "days-hours:minutes:seconds"). */
static bool slurm_time(const char *s, double *out) {
  double d = 0, f[3];
  int nf = 0;
  const char *dash = strchr(s, '-');
  if (dash) {
    if (!uint_text(s, (size_t)(dash - s), &d)) return false;
    s = dash + 1;
  }
  for (;;) {
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    if (nf == 3 || !uint_text(s, n, &f[nf++])) return false;
    if (!colon) break;
    s = colon + 1;
  }
  if (dash) { /* hours[:minutes[:seconds]] */
    double h = f[0], m = nf > 1 ? f[1] : 0, sec = nf > 2 ? f[2] : 0;
    *out = d * 86400 + h * 3600 + m * 60 + sec;
  } else if (nf == 1) {
    *out = f[0] * 60;
  } else if (nf == 2) {
    *out = f[0] * 60 + f[1];
  } else {
    *out = f[0] * 3600 + f[1] * 60 + f[2];
  }
  return true;
}

static int bad(jz_error_t *err, const char *path, long line, long col, const char *fmt,
               const char *a, const char *b) {
  return jz_error_at(err, -JZ_EINVAL, path, line, col, fmt, a, b);
}

/* Parse text as parameter p's value and store it. line/col: where the value is. */
static int set_value(jz_slurm_conf_t *c, const param_t *p, const char *text, const char *path,
                     long line, long col, jz_error_t *err) {
  double v = 0;
  char range[96];
  switch (p->kind) {
    case K_YESNO:
    case K_BOOL:
      if (!strcasecmp(text, "yes") || !strcasecmp(text, "true")) v = 1;
      else if (!strcasecmp(text, "no") || !strcasecmp(text, "false")) v = 0;
      else return bad(err, path, line, col, "%s: '%s' is not YES or NO", p->name, text);
      set_field(c, p, v);
      return 0;
    case K_TIME:
      if (!slurm_time(text, &v))
        return bad(err, path, line, col,
                   "%s: '%s' is not a Slurm time (minutes, [days-]hours:minutes:seconds, days-hours)",
                   p->name, text);
      break;
    case K_RESET: {
      static const char *const names[] = {"NONE", "NOW", "DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "YEARLY"};
      /* Simulated time has no calendar: a month is 30 days, a quarter 91, a year 365. */
      static const double secs[] = {0, 0, 86400, 7 * 86400, 30 * 86400, 91 * 86400, 365 * 86400};
      for (int i = 0; i < 7; i++)
        if (!strcasecmp(text, names[i])) {
          set_field(c, p, secs[i]);
          return 0;
        }
      return bad(err, path, line, col,
                 "%s: '%s' is not NONE, NOW, DAILY, WEEKLY, MONTHLY, QUARTERLY or YEARLY", p->name, text);
    }
    case K_DECIMAL: {
      /* Digits with at most one point (no sign, exponent, inf or nan). */
      size_t n = strlen(text), dots = 0, digits = 0;
      for (size_t i = 0; i < n; i++) {
        if (text[i] == '.') dots++;
        else if (isdigit((unsigned char)text[i])) digits++;
      }
      if (n > 20 || !digits || dots > 1 || digits + dots != n)
        return bad(err, path, line, col, "%s: '%s' is not a number of seconds", p->name, text);
      v = strtod(text, NULL);
      break;
    }
    default:
      if (!uint_text(text, strlen(text), &v))
        return bad(err, path, line, col, "%s: '%s' is not a non-negative integer", p->name, text);
      break;
  }
  double min = p->min, max = p->max;
  if (v < min || v > max) {
    snprintf(range, sizeof range, "%.0f .. %.0f%s", min, max,
             p->kind == K_TIME || p->kind == K_DECIMAL ? " seconds" : p->kind == K_MINUTES ? " minutes" : "");
    return jz_error_at(err, -JZ_ERANGE, path, line, col, "%s: '%s' is out of range (%s)", p->name,
                       text, range);
  }
  set_field(c, p, v);
  return 0;
}

static const param_t *find_param(const param_t *tab, const char *name) {
  for (const param_t *p = tab; p->name; p++)
    if (!strcasecmp(p->name, name)) return p;
  return NULL;
}

static int unknown(jz_error_t *err, const char *path, long line, long col, const char *what,
                   const char *name, const param_t *tab) {
  char hint[96];
  size_t n = 0;
  while (tab[n].name) n++;
  const char *cand = jz_suggest_closest(name, tab, n, sizeof *tab, true);
  return jz_error_at(err, -JZ_EUNKNOWNKEY, path, line, col, "%s: unknown key '%s'%s", what, name,
                     jz_suggest_hint(hint, sizeof hint, cand));
}

/* Keys compare without case, so 'PriorityWeightAge' and 'priorityweightage' in one mapping are
 * one parameter given twice (the YAML reader only sees exact repeats): refused, never "the last
 * one wins". what: the mapping's name in the message. */
static int dup_key(const jz_yamlx_node_t *map, size_t i, const char *path, const char *what, jz_error_t *err) {
  const jz_yamlx_node_t *k = jz_yamlx_map_key(map, i);
  for (size_t j = 0; j < i; j++) {
    const jz_yamlx_node_t *f = jz_yamlx_map_key(map, j);
    if (!strcasecmp(f->text, k->text))
      return jz_error_at(err, -JZ_EINVAL, path, k->line, k->col,
                         "%s: '%s' is '%s' again (first at %ld:%ld; keys compare without case, as in "
                         "slurm.conf): give it once",
                         what, k->text, f->text, f->line, f->col);
  }
  return 0;
}

/* An item of a comma-separated value given twice ("bf_interval=30,...,bf_interval=5"). */
static int dup_item(const char *path, long line, long at, long first, const char *what, const char *name,
                    jz_error_t *err) {
  return jz_error_at(err, -JZ_EINVAL, path, line, at, "%s: '%s' given twice (first at column %ld): give it once",
                     what, name, first);
}

/* PriorityWeightTRES: "CPU=1000,Node=10,GRES/gpu=2000" (the TRES jzsim models). */
static int load_tres(jz_slurm_conf_t *c, const char *text, const char *path, long line, long col,
                     jz_error_t *err) {
  const char *s = text;
  long first[3] = {0, 0, 0}; /* column of CPU, Node, GRES/gpu when given */
  while (*s) {
    const char *end = strchr(s, ','), *eq = strchr(s, '=');
    if (!end) end = s + strlen(s);
    long at = col + (long)(s - text);
    double v;
    if (!eq || eq > end)
      return jz_error_at(err, -JZ_EINVAL, path, line, at, "PriorityWeightTRES: '%.*s' is not TYPE=WEIGHT",
                         (int)(end - s), s);
    if (!uint_text(eq + 1, (size_t)(end - eq - 1), &v) || v > 4294967295.0)
      return jz_error_at(err, -JZ_EINVAL, path, line, at + (long)(eq + 1 - s),
                         "PriorityWeightTRES: '%.*s' is not a weight (0 .. 4294967295)",
                         (int)(end - eq - 1), eq + 1);
    size_t kl = (size_t)(eq - s);
    int t = kl == 3 && !strncasecmp(s, "CPU", 3) ? 0 : kl == 4 && !strncasecmp(s, "Node", 4) ? 1
            : kl == 8 && !strncasecmp(s, "GRES/gpu", 8) ? 2 : -1;
    if (t < 0)
      return jz_error_at(err, -JZ_EUNSUPPORTED, path, line, at,
                         "PriorityWeightTRES: TRES '%.*s' is not modelled (CPU, Node, GRES/gpu)", (int)kl, s);
    if (first[t]) {
      char name[16];
      snprintf(name, sizeof name, "%.*s", (int)kl, s);
      return dup_item(path, line, at, first[t], "PriorityWeightTRES", name, err);
    }
    first[t] = at;
    *(t == 0 ? &c->w_tres_cpu : t == 1 ? &c->w_tres_node : &c->w_tres_gpu) = (long)v;
    s = *end ? end + 1 : end;
  }
  return 0;
}

static int load_flags(jz_slurm_conf_t *c, const char *text, const char *path, long line, long col,
                      jz_error_t *err) {
  const char *s = text;
  while (*s) {
    const char *end = strchr(s, ',');
    if (!end) end = s + strlen(s);
    if (end - s == 12 && !strncasecmp(s, "NO_FAIR_TREE", 12)) c->fair_tree = false;
    else
      return jz_error_at(err, -JZ_EUNSUPPORTED, path, line, col + (long)(s - text),
                         "PriorityFlags: flag '%.*s' is not modelled (NO_FAIR_TREE)", (int)(end - s), s);
    s = *end ? end + 1 : end;
  }
  return 0;
}

/* SchedulerParameters as slurm.conf writes it: "key=value,flag,...". Columns point into the
 * text when it is a plain one-line scalar. */
static int load_sched_string(jz_slurm_conf_t *c, const jz_yamlx_node_t *n, const char *path,
                             jz_error_t *err) {
  const char *text = n->text, *s = text;
  long base = n->col + (n->quoted ? 1 : 0);
  char key[64], val[64];
  long first[sizeof sched_params / sizeof *sched_params] = {0}; /* column where each was given */
  while (*s) {
    const char *end = strchr(s, ',');
    if (!end) end = s + strlen(s);
    if (end == s) { /* an empty item (",," or a trailing comma): slurmctld skips it too */
      s = *end ? end + 1 : end;
      continue;
    }
    const char *eq = memchr(s, '=', (size_t)(end - s));
    size_t kl = (size_t)((eq ? eq : end) - s);
    long at = base + (long)(s - text);
    snprintf(key, sizeof key, "%.*s", (int)(kl < 63 ? kl : 63), s);
    const param_t *p = find_param(sched_params, key);
    if (!p) return unknown(err, path, n->line, at, "SchedulerParameters", key, sched_params);
    if (first[p - sched_params]) return dup_item(path, n->line, at, first[p - sched_params], "SchedulerParameters", key, err);
    first[p - sched_params] = at;
    if (p->kind == K_BOOL) {
      if (eq) return jz_error_at(err, -JZ_EINVAL, path, n->line, at, "SchedulerParameters: %s takes no value", p->name);
      c->bf_continue = true;
    } else {
      if (!eq) return jz_error_at(err, -JZ_EINVAL, path, n->line, at, "SchedulerParameters: %s needs a value (%s=N)", p->name, p->name);
      size_t vl = (size_t)(end - eq - 1);
      snprintf(val, sizeof val, "%.*s", (int)(vl < 63 ? vl : 63), eq + 1);
      int rc = set_value(c, p, val, path, n->line, at + (long)kl + 1, err);
      if (rc) return rc;
    }
    s = *end ? end + 1 : end;
  }
  return 0;
}

static int scalar_text(const jz_yamlx_node_t *v, const char *path, const char *name, jz_error_t *err) {
  if (!jz_yamlx_is_scalar(v) || jz_yamlx_is_null(v)) {
    char d[64];
    return jz_error_at(err, -JZ_EINVAL, path, v->line, v->col, "%s: expected a value, found %s", name,
                       jz_yamlx_describe(v, d, sizeof d));
  }
  return 0;
}

/* A mapping of table's keys: SchedulerParameters' mapping form, controller:. */
static int load_map(jz_slurm_conf_t *c, const jz_yamlx_node_t *n, const param_t *tab, const char *what,
                    const char *path, jz_error_t *err) {
  if (!jz_yamlx_is_mapping(n)) {
    char d[64];
    return jz_error_at(err, -JZ_EINVAL, path, n->line, n->col, "%s: expected a mapping, found %s", what,
                       jz_yamlx_describe(n, d, sizeof d));
  }
  for (size_t i = 0; i < jz_yamlx_len(n); i++) {
    const jz_yamlx_node_t *k = jz_yamlx_map_key(n, i), *v = jz_yamlx_map_value(n, i);
    const param_t *p = find_param(tab, k->text);
    if (!p) return unknown(err, path, k->line, k->col, what, k->text, tab);
    int rc = dup_key(n, i, path, what, err);
    if (rc) return rc;
    rc = scalar_text(v, path, p->name, err);
    if (rc || (rc = set_value(c, p, v->text, path, v->line, v->col, err))) return rc;
  }
  return 0;
}

/* accounts: {NAME: {shares: N, parent: NAME}}; stored parents first. */
static int load_accounts(jz_slurm_conf_t *c, const jz_yamlx_node_t *n, const char *path, jz_error_t *err) {
  char d[64];
  if (!jz_yamlx_is_mapping(n))
    return jz_error_at(err, -JZ_EINVAL, path, n->line, n->col, "accounts: expected a mapping, found %s",
                       jz_yamlx_describe(n, d, sizeof d));
  size_t na = jz_yamlx_len(n);
  jz_slurm_account_t *a = calloc(na ? na : 1, sizeof *a);
  const jz_yamlx_node_t **where = calloc(na ? na : 1, sizeof *where);
  int rc = 0;
  if (!a || !where) {
    free(a);
    free(where);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  c->accounts = a;
  for (size_t i = 0; i < na && !rc; i++) {
    const jz_yamlx_node_t *k = jz_yamlx_map_key(n, i), *v = jz_yamlx_map_value(n, i);
    where[i] = k;
    a[i].shares = 1;
    a[i].parent = -1;
    if (!(a[i].name = strdup(k->text))) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    c->n_accounts = (int)i + 1;
    if (rc) break;
    if (!strcasecmp(k->text, "root")) {
      rc = jz_error_at(err, -JZ_EINVAL, path, k->line, k->col, "accounts: 'root' is the tree's root, not an account%s", "");
      break;
    }
    if (jz_yamlx_is_null(v)) continue;
    if (!jz_yamlx_is_mapping(v)) {
      rc = jz_error_at(err, -JZ_EINVAL, path, v->line, v->col, "account '%s': expected a mapping, found %s",
                       k->text, jz_yamlx_describe(v, d, sizeof d));
      break;
    }
    for (size_t j = 0; j < jz_yamlx_len(v) && !rc; j++) {
      const jz_yamlx_node_t *kk = jz_yamlx_map_key(v, j), *vv = jz_yamlx_map_value(v, j);
      double x;
      if (!strcmp(kk->text, "shares")) {
        if ((rc = scalar_text(vv, path, "shares", err))) break;
        if (!uint_text(vv->text, strlen(vv->text), &x) || x < 1 || x > 4294967295.0)
          rc = jz_error_at(err, -JZ_ERANGE, path, vv->line, vv->col,
                           "account '%s': shares '%s' is not an integer in 1 .. 4294967295", k->text, vv->text);
        else a[i].shares = (long)x;
      } else if (!strcmp(kk->text, "parent")) {
        if ((rc = scalar_text(vv, path, "parent", err))) break;
        if (strcasecmp(vv->text, "root") && !(a[i].parent_name = strdup(vv->text)))
          rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      } else {
        rc = jz_error_at(err, -JZ_EUNKNOWNKEY, path, kk->line, kk->col,
                         "account '%s': unknown key '%s' (keys: shares, parent)", k->text, kk->text);
      }
    }
  }
  /* Resolve parents, then order parents first (a cycle never resolves). */
  int *par = calloc(na ? na : 1, sizeof *par);
  if (!rc && !par) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t i = 0; i < na && !rc; i++) {
    par[i] = -1;
    if (!a[i].parent_name) continue;
    for (size_t j = 0; j < na; j++)
      if (!strcmp(a[j].name, a[i].parent_name)) par[i] = (int)j;
    if (par[i] < 0) {
      const jz_yamlx_node_t *pv = jz_yamlx_map_get(jz_yamlx_map_value(n, i), "parent");
      rc = jz_error_at(err, -JZ_EINVAL, path, pv->line, pv->col, "account '%s': parent '%s' is not an account",
                       a[i].name, a[i].parent_name);
    }
  }
  if (!rc) {
    jz_slurm_account_t *sorted = calloc(na ? na : 1, sizeof *sorted);
    int *newidx = malloc((na ? na : 1) * sizeof *newidx);
    if (!sorted || !newidx) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    for (size_t i = 0; i < na && !rc; i++) newidx[i] = -1;
    int placed = 0;
    for (bool progress = true; !rc && progress && placed < (int)na;) {
      progress = false;
      for (size_t i = 0; i < na; i++) {
        if (newidx[i] >= 0 || (par[i] >= 0 && newidx[par[i]] < 0)) continue;
        newidx[i] = placed;
        sorted[placed] = a[i];
        sorted[placed++].parent = par[i] >= 0 ? newidx[par[i]] : -1;
        progress = true;
      }
    }
    if (!rc && placed < (int)na) {
      size_t i = 0;
      while (newidx[i] >= 0) i++;
      rc = jz_error_at(err, -JZ_EINVAL, path, where[i]->line, where[i]->col,
                       "account '%s': its parents form a cycle%s", a[i].name, "");
    }
    if (!rc) {
      free(c->accounts);
      c->accounts = sorted;
      sorted = NULL;
    }
    free(sorted);
    free(newidx);
  }
  free(par);
  free(where);
  return rc;
}

static int load_parts(jz_slurm_conf_t *c, const jz_yamlx_node_t *n, const char *path, jz_error_t *err) {
  char d[64];
  if (!jz_yamlx_is_mapping(n))
    return jz_error_at(err, -JZ_EINVAL, path, n->line, n->col, "partitions: expected a mapping, found %s",
                       jz_yamlx_describe(n, d, sizeof d));
  size_t np = jz_yamlx_len(n);
  if (!(c->parts = calloc(np ? np : 1, sizeof *c->parts))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t i = 0; i < np; i++) {
    const jz_yamlx_node_t *k = jz_yamlx_map_key(n, i), *v = jz_yamlx_map_value(n, i);
    if (!(c->parts[i].name = strdup(k->text))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    c->parts[i].factor = 1;
    c->parts[i].line = k->line;
    c->parts[i].col = k->col;
    c->n_parts = (int)i + 1;
    if (!jz_yamlx_is_mapping(v))
      return jz_error_at(err, -JZ_EINVAL, path, v->line, v->col, "partition '%s': expected a mapping, found %s",
                         k->text, jz_yamlx_describe(v, d, sizeof d));
    for (size_t j = 0; j < jz_yamlx_len(v); j++) {
      const jz_yamlx_node_t *kk = jz_yamlx_map_key(v, j), *vv = jz_yamlx_map_value(v, j);
      double x;
      int rc;
      if (strcasecmp(kk->text, "PriorityJobFactor"))
        return jz_error_at(err, -JZ_EUNKNOWNKEY, path, kk->line, kk->col,
                           "partition '%s': unknown key '%s' (keys: PriorityJobFactor)", k->text, kk->text);
      char what[96];
      snprintf(what, sizeof what, "partition '%s'", k->text);
      if ((rc = dup_key(v, j, path, what, err))) return rc;
      if ((rc = scalar_text(vv, path, "PriorityJobFactor", err))) return rc;
      if (!uint_text(vv->text, strlen(vv->text), &x) || x > 65533)
        return jz_error_at(err, -JZ_ERANGE, path, vv->line, vv->col,
                           "partition '%s': PriorityJobFactor '%s' is not an integer in 0 .. 65533", k->text, vv->text);
      c->parts[i].factor = (long)x;
    }
  }
  return 0;
}

int jz_slurm_conf_load(jz_slurm_conf_t *c, const char *path, const jz_yamlx_node_t *sec,
                       jz_error_t *err) {
  char d[64];
  if (!jz_yamlx_is_mapping(sec))
    return jz_error_at(err, -JZ_EINVAL, path, sec->line, sec->col, "slurm: expected a mapping, found %s",
                       jz_yamlx_describe(sec, d, sizeof d));
  for (size_t i = 0; i < jz_yamlx_len(sec); i++) {
    const jz_yamlx_node_t *k = jz_yamlx_map_key(sec, i), *v = jz_yamlx_map_value(sec, i);
    const param_t *p = find_param(prio_params, k->text);
    int rc = dup_key(sec, i, path, "slurm", err);
    if (rc) return rc;
    if (!strcasecmp(k->text, "accounts")) {
      rc = load_accounts(c, v, path, err);
    } else if (!strcasecmp(k->text, "partitions")) {
      rc = load_parts(c, v, path, err);
    } else if (!strcasecmp(k->text, "controller")) {
      rc = load_map(c, v, ctl_params, "controller", path, err);
    } else if (!strcasecmp(k->text, "SchedulerParameters")) {
      rc = jz_yamlx_is_mapping(v) ? load_map(c, v, sched_params, "SchedulerParameters", path, err)
           : (rc = scalar_text(v, path, "SchedulerParameters", err)) ? rc : load_sched_string(c, v, path, err);
    } else if (p) {
      if ((rc = scalar_text(v, path, p->name, err))) return rc;
      long col = v->col + (v->quoted ? 1 : 0);
      if (p->kind == K_TRES) rc = load_tres(c, v->text, path, v->line, col, err);
      else if (p->kind == K_FLAGS) rc = load_flags(c, v->text, path, v->line, col, err);
      else rc = set_value(c, p, v->text, path, v->line, v->col, err);
    } else {
      static const param_t more[] = {{"accounts", 0, 0, 0, 0, 0, NULL}, {"partitions", 0, 0, 0, 0, 0, NULL},
                                     {"SchedulerParameters", 0, 0, 0, 0, 0, NULL}, {"controller", 0, 0, 0, 0, 0, NULL},
                                     {NULL, 0, 0, 0, 0, 0, NULL}};
      char hint[96];
      size_t n = 0;
      while (prio_params[n].name) n++;
      const char *cand = jz_suggest_closest(k->text, prio_params, n, sizeof *prio_params, true);
      if (!cand) cand = jz_suggest_closest(k->text, more, sizeof more / sizeof *more - 1, sizeof *more, true);
      return jz_error_at(err, -JZ_EUNKNOWNKEY, path, k->line, k->col, "slurm: unknown key '%s'%s", k->text,
                         jz_suggest_hint(hint, sizeof hint, cand));
    }
    if (rc) return rc;
  }
  return 0;
}

int jz_slurm_conf_check(const jz_slurm_conf_t *c, const struct jz_platform *p, const char *path,
                        jz_error_t *err) {
  for (int i = 0; i < c->n_parts; i++)
    if (jz_platform_find_partition(p, c->parts[i].name) < 0)
      return jz_error_at(err, -JZ_EINVAL, path, c->parts[i].line, c->parts[i].col,
                         "partitions: '%s' is not a partition of platform '%s'", c->parts[i].name, p->name);
  return 0;
}
