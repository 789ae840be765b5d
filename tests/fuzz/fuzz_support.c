/* fuzz_support.c: helpers of the fuzz harnesses (see fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"

void jz_fuzz_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("fuzz: property failed: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

static char fuzz_dir[64];
#define MAX_FILES 8
static char *files[MAX_FILES];

static void cleanup(void) {
  for (int i = 0; i < MAX_FILES && files[i]; i++) {
    unlink(files[i]);
    free(files[i]);
    files[i] = NULL;
  }
  if (fuzz_dir[0]) rmdir(fuzz_dir);
}

const char *jz_fuzz_file(const char *name, const uint8_t *data, size_t size) {
  if (!fuzz_dir[0]) {
    const char *base = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/jz-fuzz-XXXXXX",
             base && base[0] == '/' && strlen(base) < 40 ? base : "/tmp");
    if (!mkdtemp(fuzz_dir)) jz_fuzz_fail("cannot create a temporary directory");
    atexit(cleanup);
  }
  char path[160];
  snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
  int k = 0;
  while (k < MAX_FILES && files[k] && strcmp(files[k], path) != 0) k++;
  if (k == MAX_FILES) jz_fuzz_fail("too many fuzz files");
  if (!files[k] && !(files[k] = strdup(path))) jz_fuzz_fail("out of memory");
  FILE *f = fopen(path, "wb");
  if (!f) jz_fuzz_fail("cannot write %s", path);
  if (size && fwrite(data, 1, size, f) != size) jz_fuzz_fail("cannot write %s", path);
  if (fclose(f) != 0) jz_fuzz_fail("cannot write %s", path);
  return files[k];
}

char *jz_fuzz_str(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) jz_fuzz_fail("out of memory");
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

void jz_fuzz_check_error(int rc, const jz_error_t *err, const char *prefix) {
  JZ_FUZZ_CHECK(rc < 0, "error return %d is not negative", rc);
  JZ_FUZZ_CHECK(err->msg[0] != '\0', "error %d without a message", rc);
  JZ_FUZZ_CHECK(strchr(err->msg, '\n') == NULL, "error message of more than one line: %s",
                err->msg);
  if (prefix && rc != -JZ_ENOMEM)
    JZ_FUZZ_CHECK(strncmp(err->msg, prefix, strlen(prefix)) == 0,
                  "error message does not start with '%s': %s", prefix, err->msg);
}

void jz_fuzz_check_platform_refs(const jz_platform_t *p) {
  for (int i = 0; i < p->n_partitions; i++) {
    const jz_partition_t *q = &p->partitions[i];
    JZ_FUZZ_CHECK(q->node_type >= 0 && q->node_type < p->n_node_types, "partition %s: node type %d",
                  q->name, q->node_type);
    JZ_FUZZ_CHECK(q->fabric >= 0 && q->fabric < p->n_fabrics, "partition %s: fabric %d", q->name,
                  q->fabric);
  }
  for (int i = 0; i < p->n_queues; i++)
    for (int k = 0; k < p->queues[i].n_partitions; k++)
      JZ_FUZZ_CHECK(p->queues[i].partitions[k] >= 0 &&
                        p->queues[i].partitions[k] < p->n_partitions,
                    "queue %s: partition index", p->queues[i].name);
  for (int i = 0; i < p->n_reservations; i++) {
    const jz_reservation_t *r = &p->reservations[i];
    JZ_FUZZ_CHECK(r->partition >= 0 && r->partition < p->n_partitions, "reservation %s", r->name);
    JZ_FUZZ_CHECK(r->nodes >= 0 && r->nodes <= p->partitions[r->partition].nodes,
                  "reservation %s: %d nodes", r->name, r->nodes);
    JZ_FUZZ_CHECK(r->nodes > 0 || r->overflow, "reservation %s: 0 nodes and no overflow", r->name);
  }
}

typedef struct loaded {
  const char *relpath;
  jz_platform_t *p;
} loaded_t;

const jz_platform_t *jz_fuzz_platform(const char *relpath) {
  static loaded_t cache[16];
  int k = 0;
  for (; k < 16 && cache[k].relpath; k++)
    if (strcmp(cache[k].relpath, relpath) == 0) return cache[k].p;
  if (k == 16) jz_fuzz_fail("too many platforms");
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", JZ_SOURCE_DIR, relpath);
  jz_error_t err = {0};
  if (jz_platform_load(path, &cache[k].p, &err) != 0) jz_fuzz_fail("%s", err.msg);
  cache[k].relpath = relpath;
  return cache[k].p;
}
