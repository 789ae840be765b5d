/* timeseries.c: change-only step series of queue lengths and busy resources. */
#include "metrics/timeseries.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "units.h"

#define TS_BUF (1 << 16)

static void buf_write(jz_ts_buf_t *b, const char *text, size_t len) {
  if (b->n + len > TS_BUF) {
    fwrite(b->data, 1, b->n, b->f);
    b->n = 0;
  }
  memcpy(b->data + b->n, text, len);
  b->n += len;
}

int jz_ts_flush(jz_ts_t *ts) {
  jz_ts_buf_t *bs[2] = {&ts->queues, &ts->util};
  for (int k = 0; k < 2; k++) {
    if (bs[k]->n) fwrite(bs[k]->data, 1, bs[k]->n, bs[k]->f);
    bs[k]->n = 0;
  }
  return (ferror(ts->queues.f) || ferror(ts->util.f)) ? -JZ_EIO : 0;
}

int jz_ts_init(jz_ts_t *ts, const jz_sched_t *s, FILE *queues, FILE *util) {
  memset(ts, 0, sizeof *ts);
  ts->queues.f = queues;
  ts->util.f = util;
  ts->queues.data = malloc(TS_BUF);
  ts->util.data = malloc(TS_BUF);
  size_t nk = (size_t)(s->n_keys ? s->n_keys : 1), np = (size_t)s->res.n_parts;
  ts->last_q = calloc(nk, sizeof *ts->last_q);
  ts->last_u = calloc(np, sizeof *ts->last_u);
  ts->written_q = calloc(nk, sizeof *ts->written_q);
  ts->written_u = calloc(np, sizeof *ts->written_u);
  if (!ts->last_q || !ts->last_u || !ts->written_q || !ts->written_u || !ts->queues.data ||
      !ts->util.data) {
    jz_ts_free(ts);
    return -JZ_ENOMEM;
  }
  static const char qh[] = "time,queue,waiting_jobs,waiting_cores,waiting_gpus,running_jobs,held_jobs\n";
  static const char uh[] = "time,partition,busy_cores,total_cores,busy_gpus,total_gpus,running_jobs\n";
  buf_write(&ts->queues, qh, sizeof qh - 1);
  buf_write(&ts->util, uh, sizeof uh - 1);
  return 0;
}

void jz_ts_free(jz_ts_t *ts) {
  free(ts->queues.data);
  free(ts->util.data);
  free(ts->last_q);
  free(ts->last_u);
  free(ts->written_q);
  free(ts->written_u);
  memset(ts, 0, sizeof *ts);
}

/* One row: time, name, then integers; built by hand (this runs once per change of any queue,
 * hundreds of thousands of times on a long trace). */
static void row(jz_ts_buf_t *b, const char *t, size_t tlen, const char *name, const int64_t *v, int n) {
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
  buf_write(b, buf, k);
}

int jz_ts_record(void *ctx, const jz_sched_t *s) {
  jz_ts_t *ts = ctx;
  char t[32];
  size_t tlen = 0;
  bool have_t = false;
  for (int k = 0; k < s->n_keys; k++) {
    const jz_qkey_t *q = &s->keys[k];
    int64_t v[5] = {q->waiting_jobs, q->waiting_cores, q->waiting_gpus, q->running_jobs, q->held_jobs};
    if (ts->written_q[k] && memcmp(v, ts->last_q[k], sizeof v) == 0) continue;
    if (!have_t) {
      tlen = jz_units_fmt_double_n(s->now, t);
      have_t = true;
    }
    memcpy(ts->last_q[k], v, sizeof v);
    ts->written_q[k] = true;
    row(&ts->queues, t, tlen, q->name, v, 5);
    ts->rows++;
  }
  for (int p = 0; p < s->res.n_parts; p++) {
    const jz_part_res_t *pr = &s->res.parts[p];
    int64_t v[3] = {s->busy_units[p], s->busy_gpus[p], s->running_part[p]};
    if (ts->written_u[p] && memcmp(v, ts->last_u[p], sizeof v) == 0) continue;
    if (!have_t) {
      tlen = jz_units_fmt_double_n(s->now, t);
      have_t = true;
    }
    memcpy(ts->last_u[p], v, sizeof v);
    ts->written_u[p] = true;
    const int64_t w[5] = {v[0], pr->total_cores, v[1], pr->total_gpus, v[2]};
    row(&ts->util, t, tlen, s->platform->partitions[p].name, w, 5);
    ts->rows++;
  }
  return 0;
}
