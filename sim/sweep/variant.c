/* variant.c: write every run of a sweep into DIR/runs/NAME/ with its input hash, and the
 * manifest DIR/sweep.tsv (sweep.h). Nothing here runs a simulation. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "yamlx.h"

char *jz__sweep_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *b = malloc(cap);
  while (b) {
    size_t got = fread(b + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
    if (n + 1 == cap) {
      char *nb = realloc(b, cap *= 2);
      if (!nb) {
        free(b);
        b = NULL;
      } else {
        b = nb;
      }
    }
  }
  bool bad = ferror(f);
  fclose(f);
  if (!b || bad) {
    free(b);
    return NULL;
  }
  b[n] = '\0';
  if (len) *len = n;
  return b;
}

int jz__sweep_put_file(const char *path, const char *bytes, size_t len, jz_error_t *err) {
  size_t old_len;
  char *old = jz__sweep_slurp(path, &old_len);
  bool same = old && old_len == len && memcmp(old, bytes, len) == 0;
  free(old);
  if (same) return 0;
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", tmp, strerror(errno));
  bool ok = fwrite(bytes, 1, len, f) == len;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return jz_error_set(err, -JZ_EIO, "%s: cannot write: %s", path, strerror(e));
  }
  return 0;
}

int jz__sweep_write_if_changed(const char *path, const jz_yamlx_node_t *tree, jz_error_t *err) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  if (!m) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  int bad = jz_yamlx_emit(tree, m);
  bad |= fclose(m);
  int rc = bad ? jz_error_set(err, -JZ_ENOMEM, "out of memory") : jz__sweep_put_file(path, buf, len, err);
  free(buf);
  return rc;
}

/* mkdir -p. */
static int make_dir(const char *path, jz_error_t *err) {
  if (mkdir(path, 0777) != 0 && errno == ENOENT) {
    char *parent = strdup(path);
    char *slash = parent ? strrchr(parent, '/') : NULL;
    int rc = 0;
    if (slash && slash != parent) {
      *slash = '\0';
      rc = make_dir(parent, err);
    }
    free(parent);
    if (rc) return rc;
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      return jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", path, strerror(errno));
    return 0;
  }
  if (errno == EEXIST || access(path, F_OK) == 0) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    return jz_error_set(err, -JZ_EIO, "%s: exists and is not a directory", path);
  }
  return jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", path, strerror(errno));
}

/* Traces are hashed once per sweep, whatever the number of runs naming them. */
typedef struct trace_hash {
  char *path;
  char hex[65];
} trace_hash_t;

typedef struct hash_cache {
  trace_hash_t *v;
  size_t n;
} hash_cache_t;

static const char *trace_sha(hash_cache_t *c, const char *path, jz_error_t *err) {
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(c->v[i].path, path)) return c->v[i].hex;
  trace_hash_t *v = realloc(c->v, (c->n + 1) * sizeof *v);
  if (!v) {
    jz_error_set(err, -JZ_ENOMEM, "out of memory");
    return NULL;
  }
  c->v = v;
  long long bytes;
  if (jz_sha256_file(path, v[c->n].hex, &bytes) != 0) {
    jz_error_set(err, -JZ_EIO, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  if (!(v[c->n].path = strdup(path))) {
    jz_error_set(err, -JZ_ENOMEM, "out of memory");
    return NULL;
  }
  return v[c->n++].hex;
}

/* sha256 of experiment.yaml, platform.yaml and each trace's sha256, in order. */
static int input_hash(const char *rdir, const jz_yamlx_node_t *exp, hash_cache_t *c, char hex[65],
                      jz_error_t *err) {
  jz_sha256_t h;
  jz_sha256_init(&h);
  const char *names[2] = {"experiment.yaml", "platform.yaml"};
  for (int i = 0; i < 2; i++) {
    char *p = jz__sweep_join(rdir, names[i]);
    size_t len;
    char *b = p ? jz__sweep_slurp(p, &len) : NULL;
    if (!b) {
      int rc = jz_error_set(err, -JZ_EIO, "%s: cannot read back", p ? p : names[i]);
      free(p);
      return rc;
    }
    jz_sha256_update(&h, names[i], strlen(names[i]) + 1);
    jz_sha256_update(&h, b, len);
    free(b);
    free(p);
  }
  const jz_yamlx_node_t *wl = jz_yamlx_map_get(exp, "workloads");
  for (size_t i = 0; i < jz_yamlx_len(wl); i++) {
    const char *f = jz_yamlx_str(jz_yamlx_map_get(jz_yamlx_seq_item(wl, i), "file"));
    if (!f) continue;
    const char *sha = trace_sha(c, f, err);
    if (!sha) return err->code;
    jz_sha256_update(&h, sha, 64);
  }
  jz_sha256_hex(&h, hex);
  return 0;
}

/* "0007" or "0007-r2": wide enough for every variant, so names sort as indices do. */
static void run_name(char *buf, size_t len, size_t v, int r, size_t n_variants, int replicas) {
  int w = 4;
  for (size_t x = n_variants - 1; x >= 10000; x /= 10) w++;
  if (replicas > 1) snprintf(buf, len, "%0*zu-r%d", w, v, r);
  else snprintf(buf, len, "%0*zu", w, v);
}

int jz_sweep_write(const jz_sweep_t *s, const char *dir, const char *const *metrics,
                   const char *target, jz_error_t *err) {
  char *runs = jz__sweep_join(dir, "runs");
  if (!runs) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  int rc = make_dir(dir, err);
  if (!rc) rc = make_dir(runs, err);
  char *man = NULL;
  size_t man_len = 0;
  FILE *m = rc ? NULL : open_memstream(&man, &man_len);
  if (!rc && !m) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  hash_cache_t cache = {0};
  if (!rc) {
    fprintf(m, "jzsim-sweep\t1\nreplicas\t%d\n", jz_sweep_replicas(s));
    for (size_t a = 0; a < jz_sweep_n_axes(s); a++)
      fprintf(m, "axis\t%s\t%d\n", jz_sweep_axis_name(s, a), jz_sweep_axis_group(s, a));
    if (!metrics) metrics = jz_sweep_metrics(s);
    for (const char *const *x = metrics; x && *x; x++) fprintf(m, "metric\t%s\n", *x);
    if (!target) target = jz_sweep_target(s);
    if (target) fprintf(m, "target\t%s\n", target);
  }
  for (size_t v = 0; !rc && v < jz_sweep_n_variants(s); v++)
    for (int r = 0; !rc && r < jz_sweep_replicas(s); r++) {
      char name[64];
      run_name(name, sizeof name, v, r, jz_sweep_n_variants(s), jz_sweep_replicas(s));
      char *rdir = jz__sweep_join(runs, name);
      jz_yamlx_node_t *exp = NULL, *plat = NULL;
      if (!rdir) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      if (!rc) rc = make_dir(rdir, err);
      if (!rc) rc = jz_sweep_variant_trees(s, v, r, &exp, &plat, err);
      if (!rc) rc = jz__sweep_write_trees(rdir, exp, plat, err);
      if (!rc && (rc = jz_sweep_check_files(rdir, err))) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        jz_error_set(err, rc, "variant %s: %s", name, msg);
      }
      char hex[66];
      if (!rc) rc = input_hash(rdir, exp, &cache, hex, err);
      if (!rc) {
        char *hp = jz__sweep_join(rdir, "inputs.sha256");
        hex[64] = '\n';
        rc = hp ? jz__sweep_put_file(hp, hex, 65, err) : jz_error_set(err, -JZ_ENOMEM, "out of memory");
        free(hp);
      }
      if (!rc) {
        fprintf(m, "run\t%s\t%d", name, r);
        for (size_t a = 0; a < jz_sweep_n_axes(s); a++)
          fprintf(m, "\t%s", jz_sweep_value_text(s, a, jz_sweep_value_index(s, v, a)));
        fputc('\n', m);
      }
      jz_yamlx_node_free(exp);
      jz_yamlx_node_free(plat);
      free(rdir);
    }
  if (m && fclose(m) != 0 && !rc) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (!rc) {
    char *mp = jz__sweep_join(dir, "sweep.tsv");
    rc = mp ? jz__sweep_put_file(mp, man, man_len, err) : jz_error_set(err, -JZ_ENOMEM, "out of memory");
    free(mp);
  }
  for (size_t i = 0; i < cache.n; i++) free(cache.v[i].path);
  free(cache.v);
  free(man);
  free(runs);
  return rc;
}
