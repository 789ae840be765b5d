/* timeseries.h: queues.csv and utilisation.csv (DESIGN §4), exact step series.
 *
 * At the end of every instant (after its scheduling pass) the recorder compares each queue's
 * and each partition's values with the last row it wrote for them and writes a row only when
 * something changed: a value holds from its row's time until the next row of the same series,
 * so a step plot is exact and the files stay proportional to the changes, not to the events.
 *   queues.csv:      time,queue,waiting_jobs,waiting_cores,waiting_gpus,running_jobs,held_jobs
 *   utilisation.csv: time,partition,busy_cores,total_cores,busy_gpus,total_gpus,running_jobs
 *
 * A long trace changes a queue at almost every event (380,000 rows for 100,000 Curie jobs), and
 * formatting those rows took a sixth of the event loop: the loop only appends the changed
 * values to a ring, and a writer thread on the second core formats and writes them, in the same
 * order (single producer, single consumer; the writer is woken once per few thousand rows). */
#ifndef JZ_TIMESERIES_H
#define JZ_TIMESERIES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "metrics/outbuf.h"
#include "sched/sched.h"

typedef struct jz_ts_rec {
  double t;
  int32_t series; /* queue key, or n_keys + partition */
  int64_t v[5];
} jz_ts_rec_t;

typedef struct jz_ts {
  jz_outbuf_t queues, util; /* rows go through large buffers: one write per 64 KiB */
  int64_t (*last_q)[5]; /* per queue key: the values of its last row */
  int64_t (*last_u)[3]; /* per partition */
  bool *written_q, *written_u;
  const char **names;   /* queue keys, then partitions: constant strings */
  int n_keys;
  long rows;
  /* The ring between the loop (producer) and the writer thread (consumer). */
  jz_ts_rec_t *ring;
  uint64_t head;         /* records pushed (producer's own count) */
  uint64_t seen_consumed; /* the writer's count as the producer last read it */
  _Atomic uint64_t published, consumed;
  _Atomic int sleeping;
  _Atomic bool done;
  bool threaded;
  pthread_t writer;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} jz_ts_t;

int jz_ts_init(jz_ts_t *ts, const jz_sched_t *s, FILE *queues, FILE *util);
/* Wait for the writer and write what is buffered; 0 or -JZ_EIO. Call before closing the
 * files (jz_ts_free does it too, on error paths). */
int jz_ts_flush(jz_ts_t *ts);
void jz_ts_free(jz_ts_t *ts);
/* The engine's on_instant hook (ctx = jz_ts_t *). */
int jz_ts_record(void *ctx, const jz_sched_t *s);

#endif
