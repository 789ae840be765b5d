/* report.c: jobs.csv, summary.json and the printed summary. */
#include "metrics/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "units.h"

static void num(FILE *f, double v) {
  char b[32];
  fputs(jz_units_fmt_double(v, b), f);
}

/* jobs.csv is the one output whose size grows with the trace: rows are assembled in a
 * buffer by hand (no printf parsing per field) and written in large blocks. */
typedef struct rowbuf {
  FILE *f;
  char *p, *end;
  char *data;
} rowbuf_t;

#define ROWBUF_SIZE (1 << 16)

static void rb_flush(rowbuf_t *b) {
  fwrite(b->data, 1, (size_t)(b->p - b->data), b->f);
  b->p = b->data;
}

/* Every append makes room for itself: numbers need at most 32 bytes. */
static inline void rb_room(rowbuf_t *b) {
  if (b->end - b->p < 64) rb_flush(b);
}

static void rb_char(rowbuf_t *b, char c) {
  rb_room(b);
  *b->p++ = c;
}

static void rb_mem(rowbuf_t *b, const char *s, size_t n) {
  while (n > 0) {
    if (b->p == b->end) rb_flush(b);
    size_t k = (size_t)(b->end - b->p) < n ? (size_t)(b->end - b->p) : n;
    memcpy(b->p, s, k);
    b->p += k;
    s += k;
    n -= k;
  }
}

static void rb_str(rowbuf_t *b, const char *s) { rb_mem(b, s, strlen(s)); }

static void rb_num(rowbuf_t *b, double v) {
  rb_room(b);
  b->p += jz_units_fmt_double_n(v, b->p);
}

/* A ratio such as the stretch: exact when integral, else 15 significant digits (a derived
 * quantity: the round-trip search of times would cost more than the rest of the row). */
static void rb_ratio(rowbuf_t *b, double num, double den) {
  double q = num / den;
  rb_room(b);
  if (q == floor(q))
    b->p += jz_units_fmt_double_n(q, b->p);
  else
    b->p += snprintf(b->p, 32, "%.15g", q);
}

static void rb_int(rowbuf_t *b, long long v) { rb_num(b, (double)v); }

/* A CSV field, quoted only when it holds a comma, a quote or a line break. */
static void rb_field(rowbuf_t *b, const char *s) {
  if (!strpbrk(s, ",\"\n\r")) {
    rb_str(b, s);
    return;
  }
  rb_char(b, '"');
  for (; *s; s++) {
    if (*s == '"') rb_char(b, '"');
    rb_char(b, *s);
  }
  rb_char(b, '"');
}

int jz_report_jobs_csv(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                       const jz_run_desc_t *d) {
  rowbuf_t b = {.f = f, .data = malloc(ROWBUF_SIZE)};
  if (!b.data) return -JZ_ENOMEM;
  b.p = b.data;
  b.end = b.data + ROWBUF_SIZE;
  rb_str(&b, "job_id,workload_name,submission_time,requested_number_of_resources,requested_time,"
             "success,final_state,starting_time,execution_time,finish_time,waiting_time,"
             "turnaround_time,stretch,allocated_resources,partition,queue,user,account,gpus,cores,"
             "nodes,reject_reason\n");
  for (uint32_t i = 0; i < s->njobs; i++) {
    const jz_job_t *j = &s->jobs[i];
    const jz_jobrun_t *r = &s->run[i];
    bool ran = r->state != JZ_STATE_REJECTED;
    rb_int(&b, j->trace_id);
    rb_char(&b, ',');
    rb_field(&b, d->workloads[j->workload].name);
    rb_char(&b, ',');
    rb_num(&b, j->submit);
    rb_char(&b, ',');
    rb_int(&b, j->procs);
    rb_char(&b, ',');
    rb_num(&b, j->walltime);
    rb_str(&b, r->state == JZ_STATE_COMPLETED_SUCCESSFULLY ? ",1," : ",0,");
    rb_str(&b, jz_job_state_name((jz_job_state_t)r->state));
    rb_char(&b, ',');
    if (ran) {
      double exec = r->finish - r->start, turn = r->finish - j->submit;
      const double v[5] = {r->start, exec, r->finish, r->start - j->submit, turn};
      for (int k = 0; k < 5; k++) {
        rb_num(&b, v[k]);
        rb_char(&b, ',');
      }
      rb_ratio(&b, turn, exec);
      rb_char(&b, ',');
      rb_str(&b, s->text + r->alloc_text);
    } else {
      rb_str(&b, "-1,-1,-1,-1,-1,-1,");
    }
    rb_char(&b, ',');
    rb_field(&b, j->partition >= 0 ? s->platform->partitions[j->partition].name : "");
    rb_char(&b, ',');
    rb_field(&b, jz_strtab_get(&t->strings, j->queue));
    rb_char(&b, ',');
    rb_field(&b, jz_strtab_get(&t->strings, j->user));
    rb_char(&b, ',');
    rb_field(&b, jz_strtab_get(&t->strings, j->account));
    rb_char(&b, ',');
    rb_int(&b, j->gpus);
    rb_char(&b, ',');
    rb_int(&b, r->units);
    rb_char(&b, ',');
    rb_int(&b, ran ? r->nodes : 0);
    rb_char(&b, ',');
    rb_field(&b, jz_reject_reason((jz_reject_t)r->reject));
    rb_char(&b, '\n');
  }
  rb_flush(&b);
  free(b.data);
  return ferror(f) ? -JZ_EIO : 0;
}

/* Minimal JSON emitter: keys in a fixed order, two-space indentation. */
typedef struct jw {
  FILE *f;
  int depth;
  bool first;
} jw_t;

static void jw_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void jw_key(jw_t *w, const char *k) {
  fputs(w->first ? "\n" : ",\n", w->f);
  w->first = false;
  for (int i = 0; i < w->depth; i++) fputs("  ", w->f);
  if (k) {
    jw_str(w->f, k);
    fputs(": ", w->f);
  }
}

static void jw_open(jw_t *w, const char *k, char c) {
  if (w->depth > 0 || k) jw_key(w, k);
  fputc(c, w->f);
  w->depth++;
  w->first = true;
}

static void jw_close(jw_t *w, char c) {
  w->depth--;
  if (!w->first) {
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++) fputs("  ", w->f);
  }
  fputc(c, w->f);
  w->first = false;
}

static void jw_num(jw_t *w, const char *k, double v) {
  jw_key(w, k);
  num(w->f, v);
}

static void jw_int(jw_t *w, const char *k, long long v) {
  jw_key(w, k);
  fprintf(w->f, "%lld", v);
}

static void jw_s(jw_t *w, const char *k, const char *v) {
  jw_key(w, k);
  if (v)
    jw_str(w->f, v);
  else
    fputs("null", w->f);
}

static void jw_bool(jw_t *w, const char *k, bool v) {
  jw_key(w, k);
  fputs(v ? "true" : "false", w->f);
}

static void jw_file_id(jw_t *w, const jz_file_id_t *id) {
  jw_s(w, "file", id->path);
  if (id->rc == 0) {
    jw_int(w, "bytes", id->bytes);
    jw_s(w, "sha256", id->sha256);
  }
}

static void jw_dist(jw_t *w, const char *k, const jz_dist_t *d) {
  jw_open(w, k, '{');
  jw_num(w, "mean", d->mean);
  jw_num(w, "median", d->median);
  jw_num(w, "p95", d->p95);
  jw_num(w, "max", d->max);
  jw_close(w, '}');
}

int jz_report_summary_json(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                           const jz_run_desc_t *d, const jz_summary_t *sm,
                           const jz_engine_stats_t *es) {
  jw_t w = {f, 0, true};
  jw_open(&w, NULL, '{');
  jw_s(&w, "jzsim_version", JZ_VERSION);
  jw_open(&w, "inputs", '{');
  jw_open(&w, "platform", '{');
  jw_file_id(&w, d->platform_id);
  jw_close(&w, '}');
  jw_open(&w, "workloads", '[');
  for (int i = 0; i < d->n_workloads; i++) {
    const jz_workload_desc_t *wd = &d->workloads[i];
    jw_open(&w, NULL, '{');
    jw_file_id(&w, wd->id);
    jw_s(&w, "name", wd->name);
    jw_s(&w, "format", wd->format);
    jw_s(&w, "partition", wd->partition);
    jw_int(&w, "lines", wd->lines);
    jw_int(&w, "job_lines", wd->job_lines);
    jw_close(&w, '}');
  }
  jw_close(&w, ']');
  jw_s(&w, "policy", d->policy);
  jw_open(&w, "options", '{');
  jw_int(&w, "procs_per_node", d->procs_per_node);
  jw_int(&w, "max_jobs", d->max_jobs);
  jw_bool(&w, "lenient", d->lenient);
  if (d->missing_walltime > 0)
    jw_num(&w, "missing_walltime", d->missing_walltime);
  else
    jw_s(&w, "missing_walltime", "runtime");
  jw_bool(&w, "walltime_enforced", true);
  jw_close(&w, '}');
  jw_close(&w, '}');

  jw_open(&w, "jobs", '{');
  jw_int(&w, "read", sm->read);
  jw_int(&w, "ran", sm->ran);
  jw_int(&w, "completed_successfully", sm->completed);
  jw_int(&w, "completed_failed", sm->failed);
  jw_int(&w, "completed_walltime_reached", sm->walltime);
  jw_int(&w, "rejected", sm->rejected);
  jw_open(&w, "rejected_by_reason", '{');
  for (int r = 1; r < (int)(sizeof sm->rejected_by / sizeof sm->rejected_by[0]); r++)
    if (sm->rejected_by[r]) jw_int(&w, jz_reject_reason((jz_reject_t)r), sm->rejected_by[r]);
  jw_close(&w, '}');
  jw_int(&w, "skipped", jz_job_table_skipped_total(t));
  jw_open(&w, "skipped_by_reason", '{');
  for (int r = 0; r < t->n_skip_reasons; r++) jw_int(&w, t->skipped[r].reason, t->skipped[r].count);
  jw_close(&w, '}');
  jw_int(&w, "malformed_lines_skipped", t->malformed);
  jw_close(&w, '}');

  jw_open(&w, "time", '{');
  jw_num(&w, "first_submit", sm->first_submit);
  jw_num(&w, "last_finish", sm->last_finish);
  jw_num(&w, "makespan", sm->span);
  jw_close(&w, '}');
  jw_dist(&w, "wait", &sm->wait);
  jw_open(&w, "bounded_slowdown", '{');
  jw_num(&w, "tau", JZ_BSLD_TAU);
  jw_num(&w, "mean", sm->mean_bsld);
  jw_num(&w, "max", sm->max_bsld);
  jw_close(&w, '}');
  jw_open(&w, "partitions", '{');
  for (int p = 0; p < sm->n_parts; p++) {
    jw_open(&w, s->platform->partitions[p].name, '{');
    jw_int(&w, "nodes", s->res.parts[p].nodes);
    jw_int(&w, "cores", s->res.parts[p].total_cores);
    jw_int(&w, "jobs", sm->parts[p].jobs);
    jw_int(&w, "rejected", sm->parts[p].rejected);
    jw_num(&w, "core_seconds", sm->parts[p].core_seconds);
    jw_num(&w, "utilisation", sm->parts[p].utilisation);
    jw_close(&w, '}');
  }
  jw_close(&w, '}');
  jw_open(&w, "engine", '{');
  jw_int(&w, "events", (long long)es->events);
  jw_int(&w, "passes", (long long)es->passes);
  jw_close(&w, '}');
  jw_close(&w, '}');
  fputc('\n', f);
  return ferror(f) ? -JZ_EIO : 0;
}

void jz_report_print(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                     const jz_run_desc_t *d, const jz_summary_t *sm) {
  fprintf(f, "jzsim %s: policy %s on %s\n", JZ_VERSION, d->policy, d->platform_name);
  for (int i = 0; i < d->n_workloads; i++)
    fprintf(f, "  workload %s -> %s\n", d->workloads[i].path, d->workloads[i].partition);
  fprintf(f, "jobs              %ld read, %ld ran, %ld skipped, %ld rejected\n", sm->read, sm->ran,
          jz_job_table_skipped_total(t), sm->rejected);
  for (int r = 0; r < t->n_skip_reasons; r++)
    fprintf(f, "  skipped         %ld: %s\n", t->skipped[r].count, t->skipped[r].reason);
  if (t->malformed) fprintf(f, "  skipped         %ld: malformed lines (--lenient)\n", t->malformed);
  for (int r = 1; r < (int)(sizeof sm->rejected_by / sizeof sm->rejected_by[0]); r++)
    if (sm->rejected_by[r])
      fprintf(f, "  rejected        %ld: %s\n", sm->rejected_by[r], jz_reject_reason((jz_reject_t)r));
  fprintf(f, "outcome           %ld completed, %ld failed, %ld killed at walltime\n", sm->completed,
          sm->failed, sm->walltime);
  fprintf(f, "wait (s)          mean %.1f, median %.1f, p95 %.1f, max %.1f\n", sm->wait.mean,
          sm->wait.median, sm->wait.p95, sm->wait.max);
  fprintf(f, "bounded slowdown  mean %.2f (tau %.0f s)\n", sm->mean_bsld, JZ_BSLD_TAU);
  for (int p = 0; p < sm->n_parts; p++)
    if (sm->parts[p].jobs || sm->parts[p].rejected)
      fprintf(f, "utilisation       %s %.1f %%\n", s->platform->partitions[p].name,
              100.0 * sm->parts[p].utilisation);
  fprintf(f, "makespan          %.0f s (%.2f d), first submit %.0f s, last finish %.0f s\n", sm->span,
          sm->span / 86400.0, sm->first_submit, sm->last_finish);
}
