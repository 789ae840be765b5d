/* jobs_csv.c: jobs.csv (DESIGN §4), one row per job in table order, written after the
 * simulation (jz_report_jobs_csv) or while it runs (jz_csvstream_*, jobs_csv.h). Both go
 * through the same row writer, so the bytes are the same. */
#include "metrics/jobs_csv.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/energy.h"
#include "metrics/outbuf.h"
#include "units.h"

/* jobs.csv rows go through a jz_outbuf_t (outbuf.h). */
typedef jz_outbuf_t rowbuf_t;

static void rb_str(rowbuf_t *b, const char *s) { jz_outbuf_mem(b, s, strlen(s)); }

/* A ratio such as the stretch: exact when integral, else 15 significant digits (a derived
 * quantity: the round-trip search of times would cost more than the rest of the row). */
static void rb_ratio(rowbuf_t *b, double num, double den) {
  double q = num / den;
  jz_outbuf_room(b);
  if (q == floor(q))
    b->p += jz_units_fmt_double_n(q, b->p);
  else
    b->p += jz_units_fmt_g15(q, b->p);
}

/* A CSV field, quoted only when it holds a comma, a quote or a line break. */
static void rb_field(rowbuf_t *b, const char *s) {
  size_t n = strcspn(s, ",\"\n\r");
  if (!s[n]) {
    jz_outbuf_mem(b, s, n);
    return;
  }
  jz_outbuf_char(b, '"');
  for (; *s; s++) {
    if (*s == '"') jz_outbuf_char(b, '"');
    jz_outbuf_char(b, *s);
  }
  jz_outbuf_char(b, '"');
}

/* One column's last text: most columns repeat the same string row after row (the workload,
 * partition, queue and account names are shared, interned strings), and a string does not
 * change while the file is written, so a repeat is copied without scanning it again. */
typedef struct field_memo {
  const char *s;
  size_t len; /* when plain: no quoting needed */
  bool plain;
} field_memo_t;

static void rb_field_memo(rowbuf_t *b, field_memo_t *m, const char *s) {
  if (s != m->s) {
    m->s = s;
    m->len = strcspn(s, ",\"\n\r");
    m->plain = !s[m->len];
  }
  if (m->plain)
    jz_outbuf_mem(b, s, m->len);
  else
    rb_field(b, s);
}

static const char header[] =
    "job_id,workload_name,submission_time,requested_number_of_resources,requested_time,"
    "success,final_state,starting_time,execution_time,finish_time,waiting_time,"
    "turnaround_time,stretch,allocated_resources,partition,queue,user,account,gpus,cores,"
    "nodes,reject_reason,held_reason,reservation,trace_queue,energy_joules\n";

/* The row of job i; alloc is its allocated_resources text. */
static void row(rowbuf_t *b, field_memo_t *memo, const jz_sched_t *s, const jz_job_table_t *t,
                const jz_experiment_t *e, uint32_t i, const char *alloc) {
  const jz_job_t *j = &s->jobs[i];
  const jz_jobrun_t *r = &s->run[i];
  bool ran = r->state != JZ_STATE_REJECTED;
  if (j->label >= 0)
    rb_field(b, jz_strtab_get(&t->strings, j->label));
  else
    jz_outbuf_int(b, j->trace_id);
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[0], e->workloads[j->workload].name);
  jz_outbuf_char(b, ',');
  jz_outbuf_num(b, r->submit);
  jz_outbuf_char(b, ',');
  jz_outbuf_int(b, j->procs);
  jz_outbuf_char(b, ',');
  jz_outbuf_num(b, j->walltime);
  rb_str(b, r->state == JZ_STATE_COMPLETED_SUCCESSFULLY ? ",1," : ",0,");
  rb_str(b, jz_job_state_name((jz_job_state_t)r->state));
  jz_outbuf_char(b, ',');
  if (ran) {
    double exec = r->finish - r->start, turn = r->finish - r->submit;
    const double v[5] = {r->start, exec, r->finish, r->start - r->submit, turn};
    for (int k = 0; k < 5; k++) {
      jz_outbuf_num(b, v[k]);
      jz_outbuf_char(b, ',');
    }
    rb_ratio(b, turn, exec);
    jz_outbuf_char(b, ',');
    rb_str(b, alloc);
  } else {
    rb_str(b, "-1,-1,-1,-1,-1,-1,");
  }
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[1], j->partition >= 0 ? s->platform->partitions[j->partition].name : "");
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[2], r->key >= 0 ? s->keys[r->key].name : "");
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[3], jz_strtab_get(&t->strings, j->user));
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[4], jz_strtab_get(&t->strings, j->account));
  jz_outbuf_char(b, ',');
  jz_outbuf_int(b, r->gpus);
  jz_outbuf_char(b, ',');
  jz_outbuf_int(b, r->cores);
  jz_outbuf_char(b, ',');
  jz_outbuf_int(b, ran ? r->nodes : 0);
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[5], jz_reject_reason((jz_reject_t)r->reject));
  jz_outbuf_char(b, ',');
  rb_str(b, r->first_hold ? jz_hold_reason((jz_hold_t)r->first_hold) : jz_reason_name((jz_reason_t)r->reason));
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[6], r->resv >= 0 ? s->platform->reservations[r->resv].name : "");
  jz_outbuf_char(b, ',');
  rb_field_memo(b, &memo[7], jz_strtab_get(&t->strings, j->queue));
  jz_outbuf_char(b, ',');
  /* Its share of its nodes' power (metrics/energy.h); empty without a power model, 0 when
   * it never ran. */
  const jz_node_type_t *nt =
      j->partition >= 0 ? &s->platform->node_types[s->platform->partitions[j->partition].node_type] : NULL;
  if (nt && nt->has_power)
    jz_outbuf_num(b, ran ? jz_energy_job(nt, r->cores, r->gpus, r->finish - r->start) : 0);
  jz_outbuf_char(b, '\n');
}

int jz_report_jobs_csv(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                       const jz_run_desc_t *d) {
  rowbuf_t b;
  if (jz_outbuf_init(&b, f)) return -JZ_ENOMEM;
  field_memo_t memo[8] = {{0}};
  jz_outbuf_mem(&b, header, sizeof header - 1);
  for (uint32_t i = 0; i < s->njobs; i++)
    row(&b, memo, s, t, d->e, i, s->run[i].state != JZ_STATE_REJECTED ? s->text + s->run[i].alloc_text : NULL);
  jz_outbuf_flush(&b);
  jz_outbuf_free(&b);
  return ferror(f) ? -JZ_EIO : 0;
}

/* ---- streaming ---------------------------------------------------------------------------- */

/* How many newly ended jobs make a batch worth waking the writer for. */
#define BATCH 512u

struct jz_csvstream {
  FILE *f;
  const jz_sched_t *s;
  const jz_job_table_t *t;
  const jz_experiment_t *e;
  /* Producer's side (the simulation's thread). */
  uint32_t ended;    /* jobs 0..ended-1 have ended (or were rejected): their rows are final */
  uint32_t given;    /* the value of `ended` last handed to the writer */
  uint32_t *toff;    /* per job: offset of its allocated_resources copy in text */
  char *text;        /* copies of the ended jobs' allocation texts (the engine's own buffer
                        moves when it grows, under the writer's feet) */
  size_t text_n, text_cap;
  char **old;        /* text buffers outgrown while the writer may still read them */
  int n_old;
  /* Shared, under mu. */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  uint32_t ready;         /* rows the writer may write */
  const char *ready_text; /* the text buffer that holds their copies */
  bool done;              /* no more rows will come */
  /* Writer's side. */
  pthread_t thread;
  int rc;      /* the writer's */
  int prod_rc; /* the producer's: out of memory copying texts */
};

static bool final_state(uint8_t st) {
  return st == JZ_STATE_COMPLETED_SUCCESSFULLY || st == JZ_STATE_COMPLETED_FAILED ||
         st == JZ_STATE_COMPLETED_WALLTIME_REACHED || st == JZ_STATE_REJECTED;
}

static void *writer(void *arg) {
  jz_csvstream_t *c = arg;
  rowbuf_t b;
  if (jz_outbuf_init(&b, c->f)) { /* the producer never waits for the writer: just end */
    c->rc = -JZ_ENOMEM;
    return NULL;
  }
  field_memo_t memo[8] = {{0}};
  jz_outbuf_mem(&b, header, sizeof header - 1);
  uint32_t written = 0;
  for (;;) {
    pthread_mutex_lock(&c->mu);
    while (!c->done && c->ready == written) pthread_cond_wait(&c->cv, &c->mu);
    uint32_t ready = c->ready;
    const char *text = c->ready_text;
    bool done = c->done;
    pthread_mutex_unlock(&c->mu);
    for (; written < ready; written++) {
      bool ran = c->s->run[written].state != JZ_STATE_REJECTED;
      row(&b, memo, c->s, c->t, c->e, written, ran ? text + c->toff[written] : NULL);
    }
    if (done && written == ready) break;
  }
  jz_outbuf_flush(&b);
  jz_outbuf_free(&b);
  c->rc = ferror(c->f) ? -JZ_EIO : 0;
  return NULL;
}

jz_csvstream_t *jz_csvstream_start(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                                   const jz_experiment_t *e) {
  jz_csvstream_t *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  *c = (jz_csvstream_t){.f = f, .s = s, .t = t, .e = e};
  c->toff = malloc((s->njobs ? s->njobs : 1) * sizeof *c->toff);
  c->text_cap = 1u << 16;
  c->text = malloc(c->text_cap);
  c->old = calloc(64, sizeof *c->old); /* the text doubles at most 64 times */
  if (!c->toff || !c->text || !c->old) goto fail;
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
  if (pthread_create(&c->thread, NULL, writer, c) != 0) {
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    goto fail;
  }
  return c;
fail:
  free(c->toff);
  free(c->text);
  free(c->old);
  free(c);
  return NULL;
}

/* Copy job i's allocation text; false if out of memory. */
static bool keep_text(jz_csvstream_t *c, uint32_t i) {
  const jz_jobrun_t *r = &c->s->run[i];
  if (r->state == JZ_STATE_REJECTED) return true;
  const char *src = c->s->text + r->alloc_text;
  size_t n = strlen(src) + 1;
  if (c->text_n + n > c->text_cap) {
    size_t cap = c->text_cap;
    while (c->text_n + n > cap) cap *= 2;
    /* A new buffer, not realloc: the writer may be reading the old one; it is freed at the
     * end. */
    char *t = malloc(cap);
    if (!t || c->n_old == 64) {
      free(t);
      return false;
    }
    memcpy(t, c->text, c->text_n);
    c->old[c->n_old++] = c->text;
    c->text = t;
    c->text_cap = cap;
  }
  memcpy(c->text + c->text_n, src, n);
  c->toff[i] = (uint32_t)c->text_n;
  c->text_n += n;
  return true;
}

static void hand_over(jz_csvstream_t *c, bool done) {
  pthread_mutex_lock(&c->mu);
  c->ready = c->ended;
  c->ready_text = c->text;
  c->done = done;
  pthread_cond_signal(&c->cv);
  pthread_mutex_unlock(&c->mu);
  c->given = c->ended;
}

int jz_csvstream_note(void *ctx, const jz_sched_t *s) {
  jz_csvstream_t *c = ctx;
  (void)s;
  uint32_t n = c->s->njobs;
  while (c->ended < n && final_state(c->s->run[c->ended].state)) {
    if (!keep_text(c, c->ended)) return c->prod_rc = -JZ_ENOMEM;
    c->ended++;
  }
  if (c->ended - c->given >= BATCH) hand_over(c, false);
  return 0;
}

/* Hand the rest over and let the writer end; the rows of jobs that have not ended are what
 * the simulation left (the simulation is over: nothing changes them any more). */
static void end_stream(jz_csvstream_t *c, bool all) {
  while (all && c->ended < c->s->njobs) {
    if (!keep_text(c, c->ended)) {
      c->prod_rc = -JZ_ENOMEM;
      break;
    }
    c->ended++;
  }
  hand_over(c, true);
}

void jz_csvstream_finish(jz_csvstream_t *c) { end_stream(c, true); }

int jz_csvstream_join(jz_csvstream_t *c) {
  pthread_join(c->thread, NULL);
  int rc = c->prod_rc ? c->prod_rc : c->rc;
  pthread_mutex_destroy(&c->mu);
  pthread_cond_destroy(&c->cv);
  for (int i = 0; i < c->n_old; i++) free(c->old[i]);
  free(c->old);
  free(c->text);
  free(c->toff);
  free(c);
  return rc;
}

void jz_csvstream_abort(jz_csvstream_t *c) {
  if (!c) return;
  end_stream(c, false);
  jz_csvstream_join(c);
}

uint32_t jz_csvstream_ended(const jz_csvstream_t *c) { return c->ended; }
