/* manifest.c: read DIR/sweep.tsv back (written by variant.c): lines of tab-separated fields,
 * "jzsim-sweep 1", "replicas K", "axis PATH GROUP"..., "metric NAME"..., "target TEXT",
 * "run NAME REPLICA VALUE...". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "units.h"

bool jz__sweep_same_others(const jz_manifest_t *m, size_t a, size_t b) {
  for (size_t x = 1; x < m->n_axes; x++)
    if (m->group[x] != m->group[0] && strcmp(m->values[a * m->n_axes + x], m->values[b * m->n_axes + x]))
      return false;
  return true;
}

bool jz__sweep_axis_number(const char *s, double *v) {
  char why[64];
  return jz_units_parse_double(s, v) == 0 || jz_units_parse(s, JZ_UNIT_TIME, v, why, sizeof why) == 0;
}

void jz_manifest_free(jz_manifest_t *m) {
  for (size_t i = 0; i < m->n_axes; i++) free(m->axes[i]);
  for (size_t i = 0; i < m->n_metrics; i++) free(m->metrics[i]);
  for (size_t i = 0; i < m->n_runs; i++) {
    free(m->names[i]);
    for (size_t a = 0; a < m->n_axes; a++) free(m->values[i * m->n_axes + a]);
  }
  free(m->axes);
  free(m->group);
  free(m->metrics);
  free(m->names);
  free(m->replica);
  free(m->values);
  free(m->target);
  free(m->dir);
  memset(m, 0, sizeof *m);
}

static bool push(char ***v, size_t *n, const char *s) {
  char **nv = realloc(*v, (*n + 1) * sizeof *nv);
  if (!nv) return false;
  *v = nv;
  return (nv[*n] = strdup(s)) != NULL && ++*n;
}

/* A run name as jzsim sweep writes it: the variant's digits, then -rR with replicas. It becomes
 * a path under DIR/runs/, so nothing else ('/', '..') is taken from a damaged manifest. */
static bool run_name_ok(const char *s) {
  size_t n = strspn(s, "0123456789");
  if (n == 0) return false;
  if (s[n] == '\0') return true;
  if (s[n] != '-' || s[n + 1] != 'r') return false;
  size_t k = strspn(s + n + 2, "0123456789");
  return k > 0 && s[n + 2 + k] == '\0';
}

/* A decimal integer in [lo, hi], nothing else. */
static bool int_in(const char *s, long lo, long hi, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno || v < lo || v > hi || !(*s >= '0' && *s <= '9')) return false;
  *out = (int)v;
  return true;
}

int jz_manifest_load(const char *dir, jz_manifest_t *m, jz_error_t *err) {
  memset(m, 0, sizeof *m);
  char *path = jz__sweep_join(dir, "sweep.tsv");
  char *text = path ? jz__sweep_slurp(path, NULL) : NULL;
  int rc = 0;
  if (!text) {
    rc = jz_error_set(err, -JZ_EIO, "%s/sweep.tsv: cannot read (not a sweep directory? run 'jzsim sweep SWEEP.yaml --out %s' first)",
                      dir, dir);
    free(path);
    return rc;
  }
  if (!(m->dir = strdup(dir))) rc = -JZ_ENOMEM;
  long line = 0;
  size_t cap_runs = 0, n_vals = 0;
  for (char *p = text, *nl; !rc && *p; p = nl + 1) {
    line++;
    nl = strchr(p, '\n');
    if (!nl) {
      rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "truncated line");
      break;
    }
    *nl = '\0';
    if (line == 1 && strcmp(p, "jzsim-sweep\t1") && strncmp(p, "jzsim-sweep\t", 12)) {
      rc = jz_error_at(err, -JZ_ESYNTAX, path, 1, 1, "not a sweep manifest: its first line is not 'jzsim-sweep<TAB>1'");
      break;
    }
    char *f[3];
    f[0] = p;
    char *tab = strchr(p, '\t');
    if (!tab) {
      rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 1, "no tab");
      break;
    }
    *tab = '\0';
    f[1] = tab + 1;
    if (!strcmp(f[0], "jzsim-sweep")) {
      if (strcmp(f[1], "1")) rc = jz_error_at(err, -JZ_EUNSUPPORTED, path, line, 13, "version '%s' unknown", f[1]);
    } else if (!strcmp(f[0], "replicas")) {
      if (!int_in(f[1], 1, 10000, &m->replicas))
        rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 10, "replicas '%s' is not an integer from 1 to 10000", f[1]);
    } else if (!strcmp(f[0], "axis")) {
      char *g = strchr(f[1], '\t');
      if (!g) {
        rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "axis line without a group");
        break;
      }
      *g++ = '\0';
      int *ng = realloc(m->group, (m->n_axes + 1) * sizeof *ng);
      if (!ng) {
        rc = -JZ_ENOMEM;
        break;
      }
      m->group = ng;
      ng[m->n_axes] = atoi(g);
      if (!push(&m->axes, &m->n_axes, f[1])) rc = -JZ_ENOMEM;
    } else if (!strcmp(f[0], "metric")) {
      if (!push(&m->metrics, &m->n_metrics, f[1])) rc = -JZ_ENOMEM;
    } else if (!strcmp(f[0], "target")) {
      free(m->target);
      if (!(m->target = strdup(f[1]))) rc = -JZ_ENOMEM;
    } else if (!strcmp(f[0], "run")) {
      if (m->n_runs == cap_runs) {
        cap_runs = cap_runs ? 2 * cap_runs : 64;
        char **nn = realloc(m->names, cap_runs * sizeof *nn);
        if (nn) m->names = nn;
        int *nr = nn ? realloc(m->replica, cap_runs * sizeof *nr) : NULL;
        if (nr) m->replica = nr;
        char **nv = nr ? realloc(m->values, cap_runs * (m->n_axes ? m->n_axes : 1) * sizeof *nv) : NULL;
        if (!nv) {
          rc = -JZ_ENOMEM;
          break;
        }
        m->values = nv;
        for (size_t k = m->n_runs * m->n_axes; k < cap_runs * m->n_axes; k++) nv[k] = NULL;
      }
      char *rest = f[1], *t2 = strchr(rest, '\t');
      if (!t2) {
        rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "run line without a replica");
        break;
      }
      *t2 = '\0';
      if (!run_name_ok(rest)) {
        rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 5,
                         "run name '%s' is not one jzsim sweep writes (digits, '-r' and a replica)", rest);
        break;
      }
      char *v = strchr(t2 + 1, '\t');
      if (v) *v = '\0';
      if (!int_in(t2 + 1, 0, m->replicas - 1, &m->replica[m->n_runs])) {
        rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "run %s: replica '%s' is not from 0 to %d (the replicas line)",
                         rest, t2 + 1, m->replicas - 1);
        break;
      }
      if (v) *v = '\t';
      if (!(m->names[m->n_runs] = strdup(rest))) {
        rc = -JZ_ENOMEM;
        break;
      }
      for (size_t a = 0; a < m->n_axes; a++) {
        if (!v) {
          rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "run %s: %zu values, %zu axes", rest, a, m->n_axes);
          break;
        }
        char *e = strchr(v + 1, '\t');
        if (e) *e = '\0';
        m->values[m->n_runs * m->n_axes + a] = strdup(v + 1);
        n_vals++;
        v = e;
      }
      m->n_runs++;
      if (!rc && v) rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "run %s: more values than axes", rest);
    } else {
      rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 1, "unknown line '%s'", f[0]);
    }
  }
  (void)n_vals;
  if (!rc && line == 0)
    rc = jz_error_at(err, -JZ_ESYNTAX, path, 1, 1, "not a sweep manifest: its first line is not 'jzsim-sweep<TAB>1'");
  if (!rc && m->n_runs == 0)
    rc = jz_error_at(err, -JZ_ESYNTAX, path, line, 0, "no run line: not a manifest jzsim sweep wrote%s", "");
  if (rc == -JZ_ENOMEM) jz_error_set(err, rc, "out of memory");
  free(text);
  free(path);
  if (rc) jz_manifest_free(m);
  return rc;
}
