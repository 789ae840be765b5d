/* cache.c: traces read once per process, replayed from memory (cache.h). */
#include "workload/cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sha256.h"

/* A sweep names a handful of distinct traces; past these bounds a trace is simply read by its
 * run, as without the cache (memory stays bounded on sweeps over many traces). */
#define MAX_ENTRIES 64
#define MAX_CACHED_JOBS 20000000L

typedef struct entry {
  char *path;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
  const jz_reader_t *asked; /* NULL: detected */
  long max_jobs;
  bool lenient;
  double missing_walltime;
  const jz_reader_t *used;
  jz_job_table_t t; /* what the reader appended to an empty table */
  jz_read_info_t info;
  char sha256[65];
  long long bytes;
} entry_t;

static entry_t entries[MAX_ENTRIES];
static int n_entries;
static long cached_jobs;

static bool same_file(const entry_t *e, const struct stat *st) {
  return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
         e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The entry for (path, r, o) whose file is unchanged; NULL if none. */
static entry_t *find(const char *path, const jz_reader_t *r, const jz_read_opts_t *o) {
  struct stat st;
  bool statted = false;
  for (int i = 0; i < n_entries; i++) {
    entry_t *e = &entries[i];
    if (strcmp(e->path, path) != 0 || e->asked != r || (o && (e->max_jobs != o->max_jobs ||
        e->lenient != o->lenient || e->missing_walltime != o->missing_walltime)))
      continue;
    if (!statted && stat(path, &st) != 0) return NULL;
    statted = true;
    if (same_file(e, &st)) return e;
  }
  return NULL;
}

int jz_trace_cache_fill(const char *path, const jz_reader_t *r, const jz_read_opts_t *o, jz_error_t *err) {
  if (find(path, r, o) || n_entries == MAX_ENTRIES || cached_jobs >= MAX_CACHED_JOBS) return 0;
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  entry_t *e = &entries[n_entries];
  memset(e, 0, sizeof *e);
  jz_job_table_init(&e->t);
  if (!(e->path = strdup(path))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  jz_read_opts_t ro = *o;
  ro.workload = 0;
  jz_error_t ignored = {0};
  jz_input_t *in = NULL;
  int rc = jz_input_open(path, &in, &ignored);
  const jz_reader_t *rd = r;
  if (!rc && !rd && !(rd = jz_reader_detect_input(in, &ignored))) rc = -1;
  if (!rc) rc = rd->read(in, &ro, &e->t, &e->info, &ignored);
  jz_input_close(in);
  /* The file must be the one read and hashed: unchanged from the stat above to the end. */
  struct stat st2;
  if (!rc && (stat(path, &st2) != 0 || st2.st_ino != st.st_ino || st2.st_size != st.st_size ||
              st2.st_mtim.tv_sec != st.st_mtim.tv_sec || st2.st_mtim.tv_nsec != st.st_mtim.tv_nsec))
    rc = -1;
  if (!rc && jz_sha256_file(path, e->sha256, &e->bytes) != 0) rc = -1;
  if (rc) {
    bool oom = ignored.code == -JZ_ENOMEM;
    jz_job_table_free(&e->t);
    free(e->path);
    memset(e, 0, sizeof *e);
    return oom ? jz_error_set(err, -JZ_ENOMEM, "out of memory") : 0;
  }
  e->dev = st.st_dev;
  e->ino = st.st_ino;
  e->size = st.st_size;
  e->mtime = st.st_mtim;
  e->asked = r;
  e->max_jobs = o->max_jobs;
  e->lenient = o->lenient;
  e->missing_walltime = o->missing_walltime;
  e->used = rd;
  cached_jobs += (long)e->t.n;
  n_entries++;
  return 0;
}

/* Count n more jobs dropped for reason, as n calls of jz_job_table_skip would. */
static void skip_n(jz_job_table_t *t, const char *reason, long n) {
  if (n <= 0) return;
  jz_job_table_skip(t, reason);
  int k = t->n_skip_reasons - 1;
  for (int i = 0; i < t->n_skip_reasons; i++)
    if (t->skipped[i].reason == reason || strcmp(t->skipped[i].reason, reason) == 0) k = i;
  t->skipped[k].count += n - 1;
}

/* Room for n jobs at once (one allocation, not a doubling per 1,024 records); push does the
 * rest, including refusing more than 2^32 records. */
static void reserve(jz_job_table_t *t, size_t n) {
  if (n <= t->cap || n > (size_t)UINT32_MAX) return;
  jz_job_t *jobs = realloc(t->jobs, n * sizeof *jobs);
  if (!jobs) return;
  t->jobs = jobs;
  if (t->prof_of) {
    uint32_t *po = realloc(t->prof_of, n * sizeof *po);
    if (!po) return; /* cap unchanged: prof_of still fits it */
    t->prof_of = po;
  }
  t->cap = n;
}

static int32_t remap(const int32_t *ids, int32_t id) { return id < 0 ? id : ids[id]; }

int jz_trace_cache_append(const char *path, const jz_reader_t *r, const jz_read_opts_t *o, jz_job_table_t *t,
                          jz_read_info_t *info, const jz_reader_t **used, jz_error_t *err) {
  const entry_t *e = find(path, r, o);
  if (!e) return 0;
  const jz_job_table_t *c = &e->t;
  /* The reader interns strings at their first use; interning the entry's strings in their id
   * order gives t the same new strings in the same order (those t has already keep their ids). */
  int32_t *ids = malloc((c->strings.n ? c->strings.n : 1) * sizeof *ids);
  if (!ids) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t s = 0; s < c->strings.n; s++) {
    const char *text = c->strings.strs[s];
    if ((ids[s] = jz_strtab_intern(&t->strings, text, strlen(text))) < 0) {
      free(ids);
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
  }
  int rc = 0;
  reserve(t, t->n + c->n);
  for (size_t k = 0; k < c->n && !rc; k++) {
    jz_job_t *j = jz_job_table_push(t);
    if (!j) {
      rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
      break;
    }
    *j = c->jobs[k];
    j->workload = o->workload;
    j->user = remap(ids, j->user);
    j->group = remap(ids, j->group);
    j->account = remap(ids, j->account);
    j->queue = remap(ids, j->queue);
    j->label = remap(ids, j->label);
    const jz_profile_t *p = jz_job_profile(c, k);
    if (p) {
      jz_profile_t q = *p;
      q.tier = remap(ids, q.tier);
      /* set_profile flags the job JZ_JOB_FLOW itself, as it did when the reader read it. */
      if (jz_job_table_set_profile(t, t->n - 1, &q)) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
  }
  free(ids);
  if (rc) return rc;
  for (int i = 0; i < c->n_skip_reasons; i++) skip_n(t, c->skipped[i].reason, c->skipped[i].count);
  t->malformed += c->malformed;
  *info = e->info;
  *used = e->used;
  return 1;
}

bool jz_trace_cache_sha256(const char *path, char out[65], long long *bytes) {
  for (int i = 0; i < n_entries; i++) {
    if (strcmp(entries[i].path, path) != 0) continue;
    const entry_t *e = find(path, entries[i].asked, NULL);
    if (!e) return false;
    memcpy(out, e->sha256, 65);
    *bytes = e->bytes;
    return true;
  }
  return false;
}

int jz_trace_cache_size(void) { return n_entries; }

void jz_trace_cache_clear(void) {
  for (int i = 0; i < n_entries; i++) {
    jz_job_table_free(&entries[i].t);
    free(entries[i].path);
  }
  memset(entries, 0, sizeof entries);
  n_entries = 0;
  cached_jobs = 0;
}
