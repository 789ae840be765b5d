/* sched.c: waiting queue, running sets, start/finish bookkeeping and decision checking. */
#include "sched/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

const char *jz_job_state_name(jz_job_state_t st) {
  switch (st) {
    case JZ_STATE_PENDING: return "PENDING";
    case JZ_STATE_WAITING: return "WAITING";
    case JZ_STATE_RUNNING: return "RUNNING";
    case JZ_STATE_COMPLETED_SUCCESSFULLY: return "COMPLETED_SUCCESSFULLY";
    case JZ_STATE_COMPLETED_FAILED: return "COMPLETED_FAILED";
    case JZ_STATE_COMPLETED_WALLTIME_REACHED: return "COMPLETED_WALLTIME_REACHED";
    case JZ_STATE_REJECTED: return "REJECTED";
  }
  return "?";
}

const char *jz_reject_reason(jz_reject_t r) {
  switch (r) {
    case JZ_REJECT_NONE: return "";
    case JZ_REJECT_TOO_BIG: return "larger than its partition";
    case JZ_REJECT_NO_PARTITION: return "no partition";
  }
  return "?";
}

int jz_sched_init(jz_sched_t *s, const jz_platform_t *p, const jz_job_t *jobs, uint32_t njobs) {
  memset(s, 0, sizeof *s);
  s->jobs = jobs;
  s->njobs = njobs;
  s->platform = p;
  s->qhead = s->qtail = JZ_NONE;
  s->first_new = JZ_NONE;
  s->run = calloc(njobs ? njobs : 1, sizeof *s->run);
  s->rend_pos = malloc((njobs ? njobs : 1) * sizeof *s->rend_pos);
  s->fin_pos = malloc((njobs ? njobs : 1) * sizeof *s->fin_pos);
  s->rend = calloc((size_t)p->n_partitions, sizeof *s->rend);
  s->qlen_part = calloc((size_t)p->n_partitions, sizeof *s->qlen_part);
  if (!s->run || !s->rend_pos || !s->fin_pos || !s->rend || !s->qlen_part) return -JZ_ENOMEM;
  int rc = jz_resources_init(&s->res, p);
  if (rc) return rc;
  for (int i = 0; i < p->n_partitions; i++) jz_heap_init(&s->rend[i], s->rend_pos);
  jz_heap_init(&s->finishing, s->fin_pos);
  for (uint32_t i = 0; i < njobs; i++) {
    s->run[i].start = s->run[i].finish = -1;
    s->run[i].prev = s->run[i].next = JZ_NONE;
    s->run[i].req.cores = jobs[i].procs;
    s->run[i].units = jobs[i].procs;
    s->rend_pos[i] = s->fin_pos[i] = JZ_HEAP_NONE;
  }
  return 0;
}

void jz_sched_free(jz_sched_t *s) {
  if (s->rend)
    for (int i = 0; i < s->res.n_parts; i++) jz_heap_free(&s->rend[i]);
  jz_heap_free(&s->finishing);
  jz_resources_free(&s->res);
  free(s->rend);
  free(s->qlen_part);
  free(s->run);
  free(s->rend_pos);
  free(s->fin_pos);
  free(s->text);
  memset(s, 0, sizeof *s);
}

void jz_sched_set_request(jz_sched_t *s, uint32_t id, jz_request_t req) {
  int part = s->jobs[id].partition;
  s->run[id].req = req;
  s->run[id].units = part >= 0 ? jz_resources_request_cores(&s->res, part, &req) : req.cores;
}

int jz_sched_submit(jz_sched_t *s, uint32_t id) {
  jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  if (part < 0 || part >= s->res.n_parts) {
    r->state = JZ_STATE_REJECTED;
    r->reject = JZ_REJECT_NO_PARTITION;
    return 0;
  }
  if (!jz_resources_possible(&s->res, part, &r->req)) {
    r->state = JZ_STATE_REJECTED;
    r->reject = JZ_REJECT_TOO_BIG;
    return 0;
  }
  r->state = JZ_STATE_WAITING;
  r->prev = s->qtail;
  r->next = JZ_NONE;
  if (s->qtail != JZ_NONE)
    s->run[s->qtail].next = id;
  else
    s->qhead = id;
  s->qtail = id;
  s->qlen++;
  s->qlen_part[part]++;
  if (s->first_new == JZ_NONE) s->first_new = id;
  return 0;
}

static void unlink_waiting(jz_sched_t *s, uint32_t id) {
  jz_jobrun_t *r = &s->run[id];
  if (r->prev != JZ_NONE) s->run[r->prev].next = r->next; else s->qhead = r->next;
  if (r->next != JZ_NONE) s->run[r->next].prev = r->prev; else s->qtail = r->prev;
  /* A newly submitted job started in the pass that first sees it: advance the marker. */
  if (s->first_new == id) s->first_new = r->next;
  r->prev = r->next = JZ_NONE;
  s->qlen--;
  s->qlen_part[s->jobs[id].partition]--;
}

static char *put_int(char *out, int64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *out++ = tmp[--n];
  return out;
}

/* Append "a-b c" style ranges of global node ids to the text arena. */
static int record_alloc_text(jz_sched_t *s, uint32_t id) {
  const jz_jobrun_t *r = &s->run[id];
  const jz_piece_t *pc = jz_resources_pieces(&s->res, &r->alloc);
  int64_t base = s->platform->partitions[s->jobs[id].partition].first_node;
  /* Worst case 24 bytes per piece. */
  size_t need = s->text_n + (size_t)r->alloc.n * 24 + 1;
  if (need > s->text_cap) {
    size_t cap = s->text_cap ? s->text_cap : 1 << 16;
    while (cap < need) cap *= 2;
    char *t = realloc(s->text, cap);
    if (!t) return -JZ_ENOMEM;
    s->text = t;
    s->text_cap = cap;
  }
  s->run[id].alloc_text = (uint32_t)s->text_n;
  char *out = s->text + s->text_n;
  uint32_t k = 0;
  while (k < r->alloc.n) {
    /* Pieces are in increasing node order: merge adjacent ones into one range. */
    int64_t first = pc[k].node, last = pc[k].node + pc[k].count - 1;
    while (++k < r->alloc.n && pc[k].node == last + 1) last = pc[k].node + pc[k].count - 1;
    if (out != s->text + s->text_n) *out++ = ' ';
    out = put_int(out, base + first);
    if (last > first) {
      *out++ = '-';
      out = put_int(out, base + last);
    }
  }
  *out++ = '\0';
  s->text_n = (size_t)(out - s->text);
  return 0;
}

int jz_decide_start(jz_decisions_t *d, uint32_t id) {
  jz_sched_t *s = d->s;
  jz_jobrun_t *r = &s->run[id];
  const jz_job_t *j = &s->jobs[id];
  if (r->state != JZ_STATE_WAITING) return -JZ_EINTERNAL;
  int rc = jz_resources_alloc(&s->res, j->partition, &r->req, &r->alloc);
  if (rc) return rc;
  unlink_waiting(s, id);
  r->nodes = r->alloc.nodes;
  r->state = JZ_STATE_RUNNING;
  r->start = s->now;
  /* Walltime is enforced: the job ends at its run time or is killed at its request. */
  double len = j->runtime <= j->walltime ? j->runtime : j->walltime;
  r->finish = s->now + len;
  if ((rc = jz_heap_push(&s->rend[j->partition], s->now + j->walltime, id))) return rc;
  if ((rc = jz_heap_push(&s->finishing, r->finish, id))) return rc;
  if ((rc = record_alloc_text(s, id))) return rc;
  s->running++;
  d->started++;
  return 0;
}

uint32_t jz_sched_finish_next(jz_sched_t *s) {
  jz_heap_entry_t e = jz_heap_pop(&s->finishing);
  uint32_t id = e.id;
  jz_jobrun_t *r = &s->run[id];
  const jz_job_t *j = &s->jobs[id];
  jz_heap_remove(&s->rend[j->partition], id);
  jz_resources_release(&s->res, j->partition, &r->alloc);
  if (j->runtime > j->walltime)
    r->state = JZ_STATE_COMPLETED_WALLTIME_REACHED;
  else if (j->status == 0 || j->status == 5)
    r->state = JZ_STATE_COMPLETED_FAILED;
  else
    r->state = JZ_STATE_COMPLETED_SUCCESSFULLY;
  s->running--;
  s->released = true;
  return id;
}

void jz_sched_pass_done(jz_sched_t *s) {
  s->released = false;
  s->first_new = JZ_NONE;
}
