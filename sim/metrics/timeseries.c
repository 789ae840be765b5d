/* timeseries.c: change-only step series of queue lengths and busy resources. */
#include "metrics/timeseries.h"

#include <sched.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "units.h"

#define RING (1u << 14)      /* records: 900 KiB */
#define WAKE_AFTER (1u << 12) /* the writer sleeps until this many rows wait */

/* One row: time, name, then integers; built by hand. */
static void row(jz_outbuf_t *b, const char *t, size_t tlen, const char *name, const int64_t *v, int n) {
  char buf[512];
  size_t len = strlen(name), k = 0;
  if (tlen + len + (size_t)n * 21 + 4 > sizeof buf) return; /* names are short: never */
  memcpy(buf, t, tlen);
  k = tlen;
  buf[k++] = ',';
  memcpy(buf + k, name, len);
  k += len;
  for (int i = 0; i < n; i++) {
    buf[k++] = ',';
    k += jz_units_fmt_int(v[i], buf + k);
  }
  buf[k++] = '\n';
  jz_outbuf_mem(b, buf, k);
}

static void format(jz_ts_t *ts, const jz_ts_rec_t *r) {
  char t[32];
  size_t tlen = jz_outbuf_fmt_num(r->t, t);
  bool queue = r->series < ts->n_keys;
  row(queue ? &ts->queues : &ts->util, t, tlen, ts->names[r->series], r->v, 5);
}

static void *writer_main(void *arg) {
  jz_ts_t *ts = arg;
  uint64_t tail = atomic_load(&ts->consumed);
  for (;;) {
    uint64_t head = atomic_load_explicit(&ts->published, memory_order_acquire);
    for (; tail < head; tail++) format(ts, &ts->ring[tail & (RING - 1)]);
    atomic_store_explicit(&ts->consumed, tail, memory_order_release);
    if (atomic_load(&ts->done) && tail == atomic_load(&ts->published)) break;
    pthread_mutex_lock(&ts->mu);
    atomic_store(&ts->sleeping, 1);
    while (!atomic_load(&ts->done) && atomic_load(&ts->published) - tail < WAKE_AFTER)
      pthread_cond_wait(&ts->cv, &ts->mu);
    atomic_store(&ts->sleeping, 0);
    pthread_mutex_unlock(&ts->mu);
  }
  return NULL;
}

static void wake(jz_ts_t *ts) {
  pthread_mutex_lock(&ts->mu);
  pthread_cond_signal(&ts->cv);
  pthread_mutex_unlock(&ts->mu);
}

/* Stop the writer once it has formatted every record. */
static void stop_writer(jz_ts_t *ts) {
  if (!ts->threaded) return;
  atomic_store_explicit(&ts->published, ts->head, memory_order_release);
  atomic_store(&ts->done, true);
  wake(ts);
  pthread_join(ts->writer, NULL);
  ts->threaded = false;
}

/* Shared counters are touched in batches: each touch moves a cache line between the cores. */
#define PUBLISH_EVERY 64u

static void push(jz_ts_t *ts, double t, int32_t series, const int64_t *v) {
  jz_ts_rec_t r = {.t = t, .series = series};
  memcpy(r.v, v, sizeof r.v);
  if (!ts->threaded) {
    format(ts, &r);
    return;
  }
  if (ts->head - ts->seen_consumed == RING) {
    /* Full by the last count: look again, and wait for the writer to make room. */
    while ((ts->seen_consumed = atomic_load_explicit(&ts->consumed, memory_order_acquire)) ==
           ts->head - RING) {
      atomic_store_explicit(&ts->published, ts->head, memory_order_release);
      if (atomic_load(&ts->sleeping)) wake(ts);
      sched_yield();
    }
  }
  ts->ring[ts->head & (RING - 1)] = r;
  ts->head++;
  if (ts->head % PUBLISH_EVERY == 0) {
    atomic_store_explicit(&ts->published, ts->head, memory_order_release);
    if (ts->head % WAKE_AFTER == 0 && atomic_load(&ts->sleeping)) wake(ts);
  }
}

int jz_ts_flush(jz_ts_t *ts) {
  stop_writer(ts);
  jz_outbuf_flush(&ts->queues);
  jz_outbuf_flush(&ts->util);
  return (ferror(ts->queues.f) || ferror(ts->util.f)) ? -JZ_EIO : 0;
}

int jz_ts_init(jz_ts_t *ts, const jz_sched_t *s, FILE *queues, FILE *util) {
  memset(ts, 0, sizeof *ts);
  int bad = jz_outbuf_init(&ts->queues, queues) | jz_outbuf_init(&ts->util, util);
  size_t nk = (size_t)(s->n_keys ? s->n_keys : 1), np = (size_t)s->res.n_parts;
  ts->last_q = calloc(nk, sizeof *ts->last_q);
  ts->last_u = calloc(np, sizeof *ts->last_u);
  ts->written_q = calloc(nk, sizeof *ts->written_q);
  ts->written_u = calloc(np, sizeof *ts->written_u);
  ts->names = calloc(nk + np, sizeof *ts->names);
  ts->ring = malloc(RING * sizeof *ts->ring);
  if (bad || !ts->last_q || !ts->last_u || !ts->written_q || !ts->written_u || !ts->names ||
      !ts->ring) {
    jz_ts_free(ts);
    return -JZ_ENOMEM;
  }
  ts->n_keys = s->n_keys;
  for (int k = 0; k < s->n_keys; k++) ts->names[k] = s->keys[k].name;
  for (int p = 0; p < s->res.n_parts; p++) ts->names[s->n_keys + p] = s->platform->partitions[p].name;
  static const char qh[] = "time,queue,waiting_jobs,waiting_cores,waiting_gpus,running_jobs,held_jobs\n";
  static const char uh[] = "time,partition,busy_cores,total_cores,busy_gpus,total_gpus,running_jobs\n";
  jz_outbuf_mem(&ts->queues, qh, sizeof qh - 1);
  jz_outbuf_mem(&ts->util, uh, sizeof uh - 1);
  pthread_mutex_init(&ts->mu, NULL);
  pthread_cond_init(&ts->cv, NULL);
  /* Without a thread the rows are formatted in the loop: slower, same bytes. */
  ts->threaded = pthread_create(&ts->writer, NULL, writer_main, ts) == 0;
  return 0;
}

void jz_ts_free(jz_ts_t *ts) {
  if (ts->ring) {
    stop_writer(ts);
    pthread_mutex_destroy(&ts->mu);
    pthread_cond_destroy(&ts->cv);
  }
  jz_outbuf_free(&ts->queues);
  jz_outbuf_free(&ts->util);
  free(ts->last_q);
  free(ts->last_u);
  free(ts->written_q);
  free(ts->written_u);
  free(ts->names);
  free(ts->ring);
  memset(ts, 0, sizeof *ts);
}

int jz_ts_record(void *ctx, const jz_sched_t *s) {
  jz_ts_t *ts = ctx;
  for (int k = 0; k < s->n_keys; k++) {
    const jz_qkey_t *q = &s->keys[k];
    int64_t v[5] = {q->waiting_jobs, q->waiting_cores, q->waiting_gpus, q->running_jobs, q->held_jobs};
    if (ts->written_q[k] && memcmp(v, ts->last_q[k], sizeof v) == 0) continue;
    memcpy(ts->last_q[k], v, sizeof v);
    ts->written_q[k] = true;
    push(ts, s->now, k, v);
    ts->rows++;
  }
  for (int p = 0; p < s->res.n_parts; p++) {
    const jz_part_res_t *pr = &s->res.parts[p];
    int64_t v[3] = {s->busy_units[p], s->busy_gpus[p], s->running_part[p]};
    if (ts->written_u[p] && memcmp(v, ts->last_u[p], sizeof v) == 0) continue;
    memcpy(ts->last_u[p], v, sizeof v);
    ts->written_u[p] = true;
    const int64_t w[5] = {v[0], pr->total_cores, v[1], pr->total_gpus, v[2]};
    push(ts, s->now, s->n_keys + p, w);
    ts->rows++;
  }
  return 0;
}
