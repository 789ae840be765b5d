/* prefetch.c: single producer, single consumer ring of chunks (see prefetch.h). One mutex
 * and two condition variables: the hand-over happens once per 128 KiB chunk, so locking
 * costs nothing next to inflating or parsing the chunk. */
#include "workload/prefetch.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
  char *data;
  int n; /* bytes, 0 = the end, < 0 = error */
  jz_error_t err;
} slot_t;

struct jz_prefetch {
  jz_prefetch_fill_fn fill;
  void *src;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t filled, emptied;
  slot_t slots[JZ_PREFETCH_SLOTS];
  unsigned produced, consumed; /* chunks handed over and given back (counts, not indices) */
  unsigned pos;                /* bytes already taken from the consumer's current chunk */
  bool stop;
  char *area;
};

static void *producer(void *arg) {
  jz_prefetch_t *p = arg;
  for (unsigned k = 0;; k++) {
    pthread_mutex_lock(&p->mu);
    while (!p->stop && k - p->consumed == JZ_PREFETCH_SLOTS) pthread_cond_wait(&p->emptied, &p->mu);
    bool stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    if (stop) return NULL;
    slot_t *s = &p->slots[k % JZ_PREFETCH_SLOTS];
    s->n = p->fill(p->src, s->data, JZ_PREFETCH_CHUNK, &s->err);
    pthread_mutex_lock(&p->mu);
    p->produced = k + 1;
    pthread_cond_signal(&p->filled);
    pthread_mutex_unlock(&p->mu);
    if (s->n <= 0) return NULL; /* the end or an error: the consumer sees it, nothing follows */
  }
}

jz_prefetch_t *jz_prefetch_start(jz_prefetch_fill_fn fill, void *src) {
  jz_prefetch_t *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->area = malloc((size_t)JZ_PREFETCH_SLOTS * JZ_PREFETCH_CHUNK);
  if (!p->area) {
    free(p);
    return NULL;
  }
  for (int i = 0; i < JZ_PREFETCH_SLOTS; i++) p->slots[i].data = p->area + (size_t)i * JZ_PREFETCH_CHUNK;
  p->fill = fill;
  p->src = src;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->filled, NULL);
  pthread_cond_init(&p->emptied, NULL);
  if (pthread_create(&p->thread, NULL, producer, p) != 0) {
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->filled);
    pthread_cond_destroy(&p->emptied);
    free(p->area);
    free(p);
    return NULL;
  }
  return p;
}

int jz_prefetch_read(jz_prefetch_t *p, char *buf, unsigned want, jz_error_t *err) {
  pthread_mutex_lock(&p->mu);
  while (p->produced == p->consumed) pthread_cond_wait(&p->filled, &p->mu);
  pthread_mutex_unlock(&p->mu);
  slot_t *s = &p->slots[p->consumed % JZ_PREFETCH_SLOTS];
  if (s->n <= 0) { /* kept, not given back: the end or the error repeats */
    if (s->n < 0 && err) *err = s->err;
    return s->n;
  }
  unsigned n = (unsigned)s->n - p->pos;
  if (n > want) n = want;
  memcpy(buf, s->data + p->pos, n);
  p->pos += n;
  if (p->pos == (unsigned)s->n) {
    p->pos = 0;
    pthread_mutex_lock(&p->mu);
    p->consumed++;
    pthread_cond_signal(&p->emptied);
    pthread_mutex_unlock(&p->mu);
  }
  return (int)n;
}

void jz_prefetch_stop(jz_prefetch_t *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_signal(&p->emptied);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->filled);
  pthread_cond_destroy(&p->emptied);
  free(p->area);
  free(p);
}
