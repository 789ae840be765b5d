/* sched.c: waiting lists, running sets, QoS limits, dedicated allocations, start/finish
 * bookkeeping and decision checking. */
#include "sched/sched.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "units.h"

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
    case JZ_REJECT_WALLTIME: return "requested time above the max walltime of every queue that admits its size";
    case JZ_REJECT_QUEUE_SIZE: return "above the per-job limits of every queue";
    case JZ_REJECT_NAMED_QUEUE: return "the queue it names does not admit it";
    case JZ_REJECT_CHAIN_DONE: return "not needed: its chain's work ended in an earlier segment";
    case JZ_REJECT_COUNT: break;
  }
  return "?";
}

const char *jz_hold_reason(jz_hold_t h) {
  switch (h) {
    case JZ_HOLD_NONE: return "";
    case JZ_HOLD_JOBS_USER: return "QOSMaxJobsPerUserLimit";
    case JZ_HOLD_GPUS_USER: return "QOSMaxGRESPerUser";
    case JZ_HOLD_CORES_USER: return "QOSMaxCpuPerUserLimit";
    case JZ_HOLD_JOBS_ACCOUNT: return "QOSMaxJobsPerAccount";
    case JZ_HOLD_GPUS_ACCOUNT: return "QOSMaxGRESPerAccount";
    case JZ_HOLD_CORES_ACCOUNT: return "QOSMaxCpuPerAccount";
    case JZ_HOLD_COUNT: break;
  }
  return "?";
}

const char *jz_reason_name(jz_reason_t r) {
  switch (r) {
    case JZ_REASON_NONE: return "";
    case JZ_REASON_PRIORITY: return "Priority";
    case JZ_REASON_RESOURCES: return "Resources";
  }
  return "?";
}

/* EASY's unit on a partition: GPUs where nodes have GPUs (a CPU-only job there counts the
 * GPUs its cores make unusable at the node's default share), cores elsewhere. */
static int64_t units_of(const jz_sched_t *s, int part, int64_t cores, int64_t gpus) {
  const jz_part_res_t *p = &s->res.parts[part];
  if (p->gpus_per_node == 0) return cores;
  int64_t by_cores = (cores * p->gpus_per_node + p->cores_per_node - 1) / p->cores_per_node;
  return gpus > by_cores ? gpus : by_cores;
}

static int cmp_int_desc(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x < y) - (x > y);
}

static int build_keys(jz_sched_t *s) {
  const jz_platform_t *p = s->platform;
  s->keys = calloc((size_t)(p->n_queues + p->n_partitions), sizeof *s->keys);
  if (!s->keys) return -JZ_ENOMEM;
  for (int q = 0; q < p->n_queues; q++)
    s->keys[s->n_keys++] = (jz_qkey_t){.name = p->queues[q].name, .queue = q,
                                       .partition = p->queues[q].partitions[0],
                                       .priority = p->queues[q].priority};
  for (int k = 0; k < s->n_keys; k++) {
    const jz_queue_t *Q = &p->queues[k];
    s->keys[k].limited = Q->max_jobs_per_user || Q->max_gpus_per_user || Q->max_cores_per_user ||
                         Q->max_jobs_per_account || Q->max_gpus_per_account ||
                         Q->max_cores_per_account;
  }
  for (int part = 0; part < p->n_partitions; part++) {
    bool has = false;
    for (int q = 0; q < p->n_queues && !has; q++)
      for (int k = 0; k < p->queues[q].n_partitions; k++) has |= p->queues[q].partitions[k] == part;
    if (!has)
      s->keys[s->n_keys++] = (jz_qkey_t){.name = p->partitions[part].name, .queue = -1,
                                         .partition = part, .priority = 0};
  }
  /* Priority levels: distinct priorities, highest first. */
  int *prio = malloc((size_t)s->n_keys * sizeof *prio);
  if (!prio) return -JZ_ENOMEM;
  for (int k = 0; k < s->n_keys; k++) prio[k] = s->keys[k].priority;
  qsort(prio, (size_t)s->n_keys, sizeof *prio, cmp_int_desc);
  int nl = 0;
  for (int k = 0; k < s->n_keys; k++)
    if (nl == 0 || prio[nl - 1] != prio[k]) prio[nl++] = prio[k];
  for (int k = 0; k < s->n_keys; k++)
    for (int l = 0; l < nl; l++)
      if (prio[l] == s->keys[k].priority) s->keys[k].level = l;
  free(prio);
  s->n_levels = nl;
  size_t nlists = (size_t)nl * (size_t)p->n_partitions;
  s->lhead = malloc(nlists * sizeof *s->lhead);
  s->ltail = malloc(nlists * sizeof *s->ltail);
  s->released = calloc((size_t)p->n_partitions, sizeof *s->released);
  s->wtree = calloc(nlists, sizeof *s->wtree);
  s->first_new = malloc((size_t)p->n_partitions * sizeof *s->first_new);
  s->open = calloc(nlists, sizeof *s->open);
  s->n_open = calloc(nlists, sizeof *s->n_open);
  s->cap_open = calloc(nlists, sizeof *s->cap_open);
  s->n_trees = calloc(nlists, sizeof *s->n_trees);
  if (!s->lhead || !s->ltail || !s->released || !s->first_new || !s->wtree || !s->open ||
      !s->n_open || !s->cap_open || !s->n_trees)
    return -JZ_ENOMEM;
  s->n_wtrees = nlists;
  for (size_t l = 0; l < nlists; l++) s->lhead[l] = s->ltail[l] = JZ_NONE;
  for (int q = 0; q < p->n_partitions; q++) s->first_new[q] = JZ_NONE;
  return 0;
}

int jz_sched_partition_key(const jz_sched_t *s, int part) {
  for (int k = 0; k < s->n_keys; k++)
    if (s->keys[k].queue < 0 && s->keys[k].partition == part) return k;
  return -1;
}

int jz_sched_init(jz_sched_t *s, const jz_platform_t *p, const jz_job_t *jobs, uint32_t njobs,
                  bool with_reservations) {
  memset(s, 0, sizeof *s);
  s->jobs = jobs;
  s->njobs = njobs;
  s->n_static = njobs;
  s->platform = p;
  s->with_reservations = with_reservations;
  size_t nj = njobs ? njobs : 1, np = (size_t)p->n_partitions;
  s->run = calloc(nj, sizeof *s->run);
  s->rend_pos = malloc(nj * sizeof *s->rend_pos);
  s->fin_pos = malloc(nj * sizeof *s->fin_pos);
  s->rend = calloc(np, sizeof *s->rend);
  s->qlen_part = calloc(np, sizeof *s->qlen_part);
  s->busy_units = calloc(np, sizeof *s->busy_units);
  s->busy_gpus = calloc(np, sizeof *s->busy_gpus);
  s->running_part = calloc(np, sizeof *s->running_part);
  s->resv = calloc((size_t)(p->n_reservations ? p->n_reservations : 1), sizeof *s->resv);
  int *zone = calloc((size_t)(p->n_reservations ? p->n_reservations : 1), sizeof *zone);
  if (!s->run || !s->rend_pos || !s->fin_pos || !s->rend || !s->qlen_part || !s->busy_units ||
      !s->busy_gpus || !s->running_part || !s->resv || !zone) {
    free(zone);
    return -JZ_ENOMEM;
  }
  int rc = jz_resources_init(&s->res, p, with_reservations, zone);
  for (int k = 0; k < p->n_reservations; k++) s->resv[k].zone = with_reservations ? zone[k] : 0;
  free(zone);
  if (rc) return rc;
  if ((rc = build_keys(s))) return rc;
  jz_usage_map_init(&s->by_user);
  jz_usage_map_init(&s->by_account);
  jz_usage_map_init(&s->ht_index[0]);
  jz_usage_map_init(&s->ht_index[1]);
  for (size_t i = 0; i < np; i++) jz_heap_init(&s->rend[i], s->rend_pos);
  jz_heap_init(&s->finishing, s->fin_pos);
  s->last_advance = njobs ? jobs[0].submit : 0;
  for (uint32_t i = 0; i < njobs; i++) {
    jz_jobrun_t *r = &s->run[i];
    r->submit = jobs[i].submit;
    r->start = r->finish = -1;
    r->prev = r->next = r->chain_next = JZ_NONE;
    r->hleaf[0] = r->hleaf[1] = r->htree[0] = r->htree[1] = JZ_NONE;
    r->resv = -1;
    r->key = (int16_t)(jobs[i].partition >= 0 ? jz_sched_partition_key(s, jobs[i].partition) : -1);
    r->req.cores = jobs[i].procs;
    r->cores = jobs[i].procs;
    r->units = jobs[i].procs;
    s->rend_pos[i] = s->fin_pos[i] = JZ_HEAP_NONE;
  }
  return 0;
}

void jz_sched_free(jz_sched_t *s) {
  if (s->rend)
    for (int i = 0; i < s->res.n_parts; i++) jz_heap_free(&s->rend[i]);
  jz_heap_free(&s->finishing);
  jz_resources_free(&s->res);
  jz_usage_map_free(&s->by_user);
  jz_usage_map_free(&s->by_account);
  for (int k = 0; k < 2; k++) jz_usage_map_free(&s->ht_index[k]);
  for (uint32_t i = 0; i < s->n_ht; i++) {
    jz_postree_free(&s->ht[i].t);
    free(s->ht[i].pos);
  }
  free(s->ht);
  for (size_t l = 0; s->open && l < s->n_wtrees; l++) free(s->open[l]);
  free(s->open);
  free(s->n_open);
  free(s->cap_open);
  free(s->n_trees);
  free(s->keys);
  free(s->lhead);
  free(s->ltail);
  free(s->released);
  free(s->first_new);
  for (size_t l = 0; s->wtree && l < s->n_wtrees; l++) jz_postree_free(&s->wtree[l]);
  free(s->wtree);
  free(s->rend);
  free(s->qlen_part);
  free(s->busy_units);
  free(s->busy_gpus);
  free(s->running_part);
  free(s->resv);
  free(s->run);
  free(s->rend_pos);
  free(s->fin_pos);
  free(s->text);
  jz_oindex_free(&s->oidx);
  free(s->oroot);
  free(s->osort);
  free(s->flow_started);
  memset(s, 0, sizeof *s);
}

struct jz_osort {
  double key;
  uint32_t pos, id;
};

int jz_sched_set_order(jz_sched_t *s, jz_order_t o) {
  s->order = o;
  if (o == JZ_ORDER_SUBMIT) return 0;
  if (o == JZ_ORDER_WFP3) {
    s->osort = malloc((s->njobs ? s->njobs : 1) * sizeof *s->osort);
    return s->osort ? 0 : -JZ_ENOMEM;
  }
  s->oroot = malloc(s->n_wtrees * sizeof *s->oroot);
  if (!s->oroot) return -JZ_ENOMEM;
  for (size_t l = 0; l < s->n_wtrees; l++) s->oroot[l] = JZ_NONE;
  return jz_oindex_init(&s->oidx, s->njobs);
}

/* A static order's key: smaller comes first. */
static double order_key(const jz_sched_t *s, uint32_t id) {
  switch (s->order) {
    case JZ_ORDER_SJF: return s->jobs[id].walltime;
    case JZ_ORDER_LJF: return -s->jobs[id].walltime;
    case JZ_ORDER_SMALL: return (double)s->run[id].units;
    case JZ_ORDER_LARGE: return -(double)s->run[id].units;
    default: return 0;
  }
}

/* Link waiting job id into list l of partition part: at the tail (submission order, WFP3:
 * a job that has not waited comes last), or at its place in a static order. */
static void link_waiting(jz_sched_t *s, uint32_t id, int part, int l) {
  jz_jobrun_t *r = &s->run[id];
  size_t li = (size_t)part * (size_t)s->n_levels + (size_t)l;
  uint32_t pred = s->ltail[li];
  if (s->oroot) pred = jz_oindex_insert(&s->oidx, &s->oroot[li], id, order_key(s, id), s->oseq);
  s->oseq++;
  r->prev = pred;
  r->next = pred != JZ_NONE ? s->run[pred].next : s->lhead[li];
  if (pred != JZ_NONE) s->run[pred].next = id; else s->lhead[li] = id;
  if (r->next != JZ_NONE) s->run[r->next].prev = id; else s->ltail[li] = id;
  /* Queued ahead of older jobs: the next pass must look at them all again. */
  if (r->next != JZ_NONE) s->released[part] = true;
}

static int cmp_osort(const void *a, const void *b) {
  const struct jz_osort *x = a, *y = b;
  if (x->key != y->key) return x->key > y->key ? -1 : 1; /* highest priority first */
  return (x->pos > y->pos) - (x->pos < y->pos);           /* then submission */
}

/* WFP3 at time t: sort every waiting list again by (wait / requested)^3 x units; a partition
 * whose order changed is walked from its head at the next pass. */
static void wfp3_sort(jz_sched_t *s, double t) {
  for (size_t li = 0; li < s->n_wtrees; li++) {
    uint32_t h = s->lhead[li];
    if (h == JZ_NONE || s->run[h].next == JZ_NONE) continue;
    size_t n = 0;
    for (uint32_t id = h; id != JZ_NONE; id = s->run[id].next) {
      double x = (t - s->run[id].submit) / s->jobs[id].walltime;
      s->osort[n++] = (struct jz_osort){x * x * x * (double)s->run[id].units, s->run[id].pos, id};
    }
    qsort(s->osort, n, sizeof *s->osort, cmp_osort);
    bool same = true;
    uint32_t id = h;
    for (size_t k = 0; k < n && same; k++, id = s->run[id].next) same = s->osort[k].id == id;
    if (same) continue;
    for (size_t k = 0; k < n; k++) {
      jz_jobrun_t *r = &s->run[s->osort[k].id];
      r->prev = k ? s->osort[k - 1].id : JZ_NONE;
      r->next = k + 1 < n ? s->osort[k + 1].id : JZ_NONE;
    }
    s->lhead[li] = s->osort[0].id;
    s->ltail[li] = s->osort[n - 1].id;
    int part = (int)(li / (size_t)s->n_levels);
    s->released[part] = true;
    s->pending = true;
  }
}

void jz_sched_plan(jz_sched_t *s, uint32_t id, const jz_plan_t *plan) {
  jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  r->req = plan->req;
  r->key = plan->key;
  r->resv = plan->resv;
  r->reject = plan->reject;
  r->chain_next = plan->chain_next;
  /* A queue's node limit holds on the allocation, not on an ideal packing: a per-core job
   * spreads over at most that many nodes (resources.h), or waits until it can. */
  int q = plan->key >= 0 ? s->keys[plan->key].queue : -1;
  long mx = q >= 0 && r->req.nodes == 0 && r->req.gpus == 0 ? s->platform->queues[q].max_nodes_per_job : 0;
  r->req.max_nodes = mx > 0 && mx < INT32_MAX ? (int32_t)mx : 0; /* above: never binds */
  if (part >= 0) {
    r->cores = (int32_t)jz_resources_request_cores(&s->res, part, &plan->req);
    r->gpus = (int32_t)jz_resources_request_gpus(&s->res, part, &plan->req);
    r->units = units_of(s, part, r->cores, r->gpus);
  }
}

void jz_sched_set_request(jz_sched_t *s, uint32_t id, jz_request_t req) {
  int part = s->jobs[id].partition;
  jz_plan_t plan = {.req = req, .key = (int16_t)(part >= 0 ? jz_sched_partition_key(s, part) : -1),
                    .resv = -1, .chain_next = JZ_NONE};
  jz_sched_plan(s, id, &plan);
}

static int held_leaves(jz_sched_t *s, uint32_t id);

static void count_waiting(jz_sched_t *s, uint32_t id, int sign) {
  jz_jobrun_t *r = &s->run[id];
  jz_qkey_t *k = &s->keys[r->key];
  k->waiting_jobs += sign;
  k->waiting_cores += sign * (int64_t)r->cores;
  k->waiting_gpus += sign * (int64_t)r->gpus;
  s->qlen += (uint32_t)sign;
  s->qlen_part[s->jobs[id].partition] += (uint32_t)sign;
  if (r->resv >= 0) s->resv[r->resv].waiting_members += sign;
}

int jz_sched_submit(jz_sched_t *s, uint32_t id) {
  jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  r->submit = s->now;
  if (r->reject) {
    r->state = JZ_STATE_REJECTED;
    return 0;
  }
  if (part < 0 || part >= s->res.n_parts || r->key < 0) {
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
  int l = s->keys[r->key].level;
  uint32_t *head = s->lhead + (size_t)part * (size_t)s->n_levels;
  r->level = (uint8_t)l;
  r->pos = jz_postree_push(&s->wtree[(size_t)part * (size_t)s->n_levels + (size_t)l], id, r->units,
                           s->jobs[id].walltime);
  if (r->pos == UINT32_MAX) return -JZ_ENOMEM;
  int rc = held_leaves(s, id);
  if (rc) return rc;
  link_waiting(s, id, part, l);
  /* Queued ahead of jobs of a lower priority: the order of the waiting jobs changed, so the
   * next pass must look at them all again. */
  for (int m = l + 1; m < s->n_levels && !s->released[part]; m++)
    if (head[m] != JZ_NONE) s->released[part] = true;
  count_waiting(s, id, +1);
  if (s->first_new[part] == JZ_NONE) s->first_new[part] = id;
  s->pending = true;
  return 0;
}

/* ---- held trees (jz_heldtree_t) --------------------------------------------------------- */

/* The entity of job id that a limit of the given kind counts (-1: none, or exempt). */
static int32_t entity_of(const jz_sched_t *s, uint32_t id, int kind) {
  const jz_job_t *j = &s->jobs[id];
  if (kind == 0) return j->user;
  return (j->flags & JZ_JOB_DEFAULT_ACCOUNT) ? -1 : j->account;
}

static bool has_limit(const jz_queue_t *Q, int kind) {
  return kind == 0 ? (Q->max_jobs_per_user || Q->max_gpus_per_user || Q->max_cores_per_user)
                   : (Q->max_jobs_per_account || Q->max_gpus_per_account || Q->max_cores_per_account);
}

/* The held tree of (queue, entity, part) for a kind of limit; created if `create`. JZ_NONE if
 * absent (or on ENOMEM when creating, reported through *rc). */
static uint32_t held_tree(jz_sched_t *s, int kind, int queue, int32_t entity, int part, bool create,
                          int *rc) {
  int32_t slot = queue * s->res.n_parts + part;
  if (!create) {
    jz_usage_t u = jz_usage_peek(&s->ht_index[kind], slot, entity);
    return u.aux;
  }
  jz_usage_t *u = jz_usage_get(&s->ht_index[kind], slot, entity);
  if (!u) {
    *rc = -JZ_ENOMEM;
    return JZ_NONE;
  }
  if (u->aux != JZ_NONE) return u->aux;
  size_t l = (size_t)part * (size_t)s->n_levels + (size_t)s->keys[queue].level; /* queue q = key q */
  if (s->n_trees[l] == s->cap_open[l]) { /* room for it in its open list (open_held) */
    uint32_t cap = s->cap_open[l] ? 2 * s->cap_open[l] : 8;
    uint32_t *o = realloc(s->open[l], (size_t)cap * sizeof *o);
    if (!o) {
      *rc = -JZ_ENOMEM;
      return JZ_NONE;
    }
    s->open[l] = o;
    s->cap_open[l] = cap;
  }
  if (s->n_ht == s->cap_ht) {
    uint32_t cap = s->cap_ht ? 2 * s->cap_ht : 64;
    jz_heldtree_t *ht = realloc(s->ht, (size_t)cap * sizeof *ht);
    if (!ht) {
      *rc = -JZ_ENOMEM;
      return JZ_NONE;
    }
    s->ht = ht;
    s->cap_ht = cap;
  }
  jz_heldtree_t *h = &s->ht[s->n_ht];
  jz_postree_init(&h->t);
  h->pos = NULL;
  h->cap = 0;
  h->queue = queue;
  h->entity = entity;
  h->part = part;
  h->kind = (uint8_t)kind;
  h->open = false;
  s->n_trees[l]++;
  return u->aux = s->n_ht++;
}

/* At submission: a leaf (absent until the job is hidden there) in the held tree of each
 * limit of its queue that counts it, so that leaves are in waiting-list order. */
static int held_leaves(jz_sched_t *s, uint32_t id) {
  jz_jobrun_t *r = &s->run[id];
  if (!s->keys[r->key].limited) return 0;
  int q = s->keys[r->key].queue;
  for (int kind = 0; kind < 2; kind++) {
    int32_t e = entity_of(s, id, kind);
    if (e < 0 || !has_limit(&s->platform->queues[q], kind)) continue;
    int rc = 0;
    uint32_t t = held_tree(s, kind, q, e, s->jobs[id].partition, true, &rc);
    if (rc) return rc;
    jz_heldtree_t *h = &s->ht[t];
    if (h->t.n == h->cap) {
      uint32_t cap = h->cap ? 2 * h->cap : 16;
      uint32_t *pos = realloc(h->pos, (size_t)cap * sizeof *pos);
      if (!pos) return -JZ_ENOMEM;
      h->pos = pos;
      h->cap = cap;
    }
    uint32_t leaf = jz_postree_push(&h->t, id, INT64_MAX, INFINITY);
    if (leaf == UINT32_MAX) return -JZ_ENOMEM;
    h->pos[leaf] = r->pos;
    r->htree[kind] = t;
    r->hleaf[kind] = leaf;
  }
  return 0;
}

static jz_postree_t *tree_of(jz_sched_t *s, uint32_t id) {
  return &s->wtree[(size_t)s->jobs[id].partition * (size_t)s->n_levels + s->run[id].level];
}

/* Show a hidden job again: out of its held tree, back in its waiting list's index. */
static void show(jz_sched_t *s, uint32_t id) {
  jz_jobrun_t *r = &s->run[id];
  jz_postree_remove(&s->ht[r->htree[r->hkind]].t, r->hleaf[r->hkind]);
  jz_postree_restore(tree_of(s, id), r->pos, r->units, s->jobs[id].walltime);
  r->hidden = false;
}

/* The largest cores and GPUs a job of held tree h may have to pass its limit now; false if
 * no job can (the limit's job count is reached). */
static bool held_room(const jz_sched_t *s, const jz_heldtree_t *h, int64_t *cores, double *gpus) {
  const jz_queue_t *Q = &s->platform->queues[h->queue];
  jz_usage_t u = jz_usage_peek(h->kind ? &s->by_account : &s->by_user, h->queue, h->entity);
  int64_t mj = h->kind ? Q->max_jobs_per_account : Q->max_jobs_per_user;
  int64_t mc = h->kind ? Q->max_cores_per_account : Q->max_cores_per_user;
  int64_t mg = h->kind ? Q->max_gpus_per_account : Q->max_gpus_per_user;
  if (mj && u.jobs + 1 > mj) return false;
  *cores = mc ? mc - u.cores : INT64_MAX - 1; /* absent leaves hold INT64_MAX: never pass */
  *gpus = mg ? (double)(mg - u.gpus) : INFINITY;
  return true;
}

/* A limit loosened: walks of each partition of its queue look into its held tree again. No
 * allocation: each list has room for all its trees (held_tree). */
static void open_held(jz_sched_t *s, int kind, int queue, int32_t entity) {
  const jz_queue_t *Q = &s->platform->queues[queue];
  for (int i = 0; i < Q->n_partitions; i++) {
    uint32_t t = held_tree(s, kind, queue, entity, Q->partitions[i], false, NULL);
    if (t == JZ_NONE || s->ht[t].open) continue;
    size_t l = (size_t)Q->partitions[i] * (size_t)s->n_levels + (size_t)s->keys[queue].level;
    s->open[l][s->n_open[l]++] = t;
    s->ht[t].open = true;
  }
}

/* The first position >= from of list l (of partition part) in held tree t whose job its
 * limit would let through now, or UINT32_MAX; closes the tree when none of its jobs can. */
static uint32_t held_first(jz_sched_t *s, size_t l, uint32_t k, uint32_t from) {
  jz_heldtree_t *h = &s->ht[s->open[l][k]];
  int64_t cores;
  double gpus;
  uint32_t leaf = UINT32_MAX;
  if (held_room(s, h, &cores, &gpus)) {
    /* Leaves are in waiting-list order: the first one at or after position `from`. */
    uint32_t lo = 0, hi = h->t.n;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (h->pos[mid] < from) lo = mid + 1; else hi = mid;
    }
    leaf = jz_postree_next(&h->t, lo, cores, gpus, -1);
    if (leaf == UINT32_MAX && lo > 0) return UINT32_MAX; /* a walk from the head decides */
  }
  if (leaf == UINT32_MAX) { /* nothing it holds can pass until it loosens again */
    h->open = false;
    s->open[l][k] = s->open[l][--s->n_open[l]];
    return UINT32_MAX;
  }
  return h->pos[leaf];
}

uint32_t jz_view_next_candidate(const jz_sched_t *cs, int part, int level, uint32_t from,
                                int64_t F, double W, int64_t E) {
  /* Showing a held job its limit now lets through changes no decision: the job was hidden
   * only because checking it again would have failed. The view is logically const. */
  jz_sched_t *s = (jz_sched_t *)cs;
  size_t l = (size_t)part * (size_t)s->n_levels + (size_t)level;
  const jz_postree_t *t = &s->wtree[l];
  for (;;) {
    uint32_t best = jz_postree_next(t, from, F, W, E);
    if (!s->n_open[l]) return best;
    /* Show each open tree's first passing job before `best`, then search again: it may be
     * the answer, and if the filter rejects it the search simply passes it. */
    bool shown = false;
    for (uint32_t k = 0; k < s->n_open[l];) {
      uint32_t n = s->n_open[l];
      uint32_t pos = held_first(s, l, k, from);
      if (pos != UINT32_MAX && (best == UINT32_MAX || pos < best)) {
        show(s, t->ids[pos]);
        shown = true;
      }
      if (s->n_open[l] == n) k++; /* else k now holds the tree moved from the end */
    }
    if (!shown) return best;
  }
}

static void set_hold(jz_sched_t *s, uint32_t id, jz_hold_t h) {
  jz_jobrun_t *r = &s->run[id];
  if ((r->hold != 0) != (h != 0)) s->keys[r->key].held_jobs += h ? 1 : -1;
  r->hold = (uint8_t)h;
  if (h && !r->first_hold) r->first_hold = (uint8_t)h;
}

static void unlink_waiting(jz_sched_t *s, uint32_t id) {
  jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  /* A newly submitted job started in the pass that first sees it: advance the marker. */
  if (s->first_new[part] == id) s->first_new[part] = jz_view_next(s, id);
  size_t l = (size_t)part * (size_t)s->n_levels + r->level;
  if (r->hidden) show(s, id);
  jz_postree_remove(&s->wtree[l], r->pos);
  if (s->oroot) jz_oindex_remove(&s->oidx, &s->oroot[l], id);
  if (r->prev != JZ_NONE) s->run[r->prev].next = r->next; else s->lhead[l] = r->next;
  if (r->next != JZ_NONE) s->run[r->next].prev = r->prev; else s->ltail[l] = r->prev;
  r->prev = r->next = JZ_NONE;
  set_hold(s, id, JZ_HOLD_NONE);
  count_waiting(s, id, -1);
}

/* ---- QoS limits ---------------------------------------------------------------------- */

static jz_hold_t limit_check(const jz_sched_t *s, uint32_t id) {
  const jz_jobrun_t *r = &s->run[id];
  if (!s->keys[r->key].limited) return JZ_HOLD_NONE;
  int q = s->keys[r->key].queue;
  const jz_queue_t *Q = &s->platform->queues[q];
  const jz_job_t *j = &s->jobs[id];
  if (j->user >= 0 && (Q->max_jobs_per_user || Q->max_gpus_per_user || Q->max_cores_per_user)) {
    jz_usage_t u = jz_usage_peek(&s->by_user, q, j->user);
    if (Q->max_jobs_per_user && u.jobs + 1 > Q->max_jobs_per_user) return JZ_HOLD_JOBS_USER;
    if (Q->max_gpus_per_user && u.gpus + r->gpus > Q->max_gpus_per_user) return JZ_HOLD_GPUS_USER;
    if (Q->max_cores_per_user && u.cores + r->cores > Q->max_cores_per_user) return JZ_HOLD_CORES_USER;
  }
  if (j->account >= 0 && !(j->flags & JZ_JOB_DEFAULT_ACCOUNT) &&
      (Q->max_jobs_per_account || Q->max_gpus_per_account || Q->max_cores_per_account)) {
    jz_usage_t u = jz_usage_peek(&s->by_account, q, j->account);
    if (Q->max_jobs_per_account && u.jobs + 1 > Q->max_jobs_per_account) return JZ_HOLD_JOBS_ACCOUNT;
    if (Q->max_gpus_per_account && u.gpus + r->gpus > Q->max_gpus_per_account)
      return JZ_HOLD_GPUS_ACCOUNT;
    if (Q->max_cores_per_account && u.cores + r->cores > Q->max_cores_per_account)
      return JZ_HOLD_CORES_ACCOUNT;
  }
  return JZ_HOLD_NONE;
}

/* Add (sign +1) or remove (-1) a running job from its queue's usage counters. */
static int account_usage(jz_sched_t *s, uint32_t id, int sign) {
  const jz_jobrun_t *r = &s->run[id];
  if (!s->keys[r->key].limited) return 0; /* only limits read the counters */
  int q = s->keys[r->key].queue;
  const jz_job_t *j = &s->jobs[id];
  jz_usage_map_t *maps[2] = {&s->by_user, &s->by_account};
  int32_t who[2] = {j->user, (j->flags & JZ_JOB_DEFAULT_ACCOUNT) ? -1 : j->account};
  for (int k = 0; k < 2; k++) {
    if (who[k] < 0) continue;
    jz_usage_t *u = jz_usage_get(maps[k], q, who[k]);
    if (!u) return -JZ_ENOMEM;
    u->jobs += sign;
    u->gpus += sign * (int64_t)r->gpus;
    u->cores += sign * (int64_t)r->cores;
    if (sign < 0) open_held(s, k, q, who[k]);
  }
  return 0;
}

/* The first visible waiting job of (part, level) at or after position `from`, then of the
 * following levels; JZ_NONE if none. */
uint32_t jz__view_visible(const jz_sched_t *s, int part, int level, uint32_t from) {
  for (int l = level; l < s->n_levels; l++, from = 0) {
    uint32_t pos = jz_view_next_candidate(s, part, l, from, INT64_MAX - 1, INFINITY, 0);
    if (pos != UINT32_MAX) return s->wtree[(size_t)part * (size_t)s->n_levels + (size_t)l].ids[pos];
  }
  return JZ_NONE;
}

/* Hide a held job in the held tree of the limit that holds it, until that limit loosens
 * enough for it: until then every check would fail again, so walks skip it. */
static void hide(jz_sched_t *s, uint32_t id, jz_hold_t h) {
  jz_jobrun_t *r = &s->run[id];
  int kind = !(h == JZ_HOLD_JOBS_USER || h == JZ_HOLD_GPUS_USER || h == JZ_HOLD_CORES_USER);
  if (r->htree[kind] == JZ_NONE) return; /* no tree (out of memory at submission): visible */
  r->hkind = (uint8_t)kind;
  r->hidden = true;
  jz_postree_restore(&s->ht[r->htree[kind]].t, r->hleaf[kind], r->cores, (double)r->gpus);
  jz_postree_remove(tree_of(s, id), r->pos);
}

bool jz_view_held(const jz_sched_t *s, uint32_t id) { return limit_check(s, id) != JZ_HOLD_NONE; }

jz_hold_t jz_decide_held(jz_decisions_t *d, uint32_t id) {
  jz_hold_t h = limit_check(d->s, id);
  set_hold(d->s, id, h);
  /* Hiding skips held jobs through the submission-ordered index: submission order only. */
  if (h && !d->s->run[id].hidden && d->s->order == JZ_ORDER_SUBMIT) hide(d->s, id, h);
  return h;
}

/* ---- dedicated allocations ----------------------------------------------------------- */

bool jz_sched_resv_active(const jz_sched_t *s, int k, double t) {
  const jz_reservation_t *rv = &s->platform->reservations[k];
  /* An allocation of 0 nodes never opens: its accounts' jobs stay in their partition's pool,
   * scheduled as everyone else's (platform.h), only reported apart. */
  if (rv->nodes == 0 || t < rv->start) return false;
  if (rv->period <= 0) return t < rv->end;
  double off = fmod(t - rv->start, rv->period);
  return off < rv->end - rv->start;
}

double jz_sched_resv_next_start(const jz_sched_t *s, int k, double t) {
  const jz_reservation_t *rv = &s->platform->reservations[k];
  if (t < rv->start) return rv->start;
  if (rv->period <= 0) return INFINITY;
  return rv->start + (floor((t - rv->start) / rv->period) + 1) * rv->period;
}

double jz_sched_resv_window_end(const jz_sched_t *s, int k, double t) {
  const jz_reservation_t *rv = &s->platform->reservations[k];
  if (rv->period <= 0 || t < rv->start) return rv->end;
  return rv->start + floor((t - rv->start) / rv->period) * rv->period + (rv->end - rv->start);
}

int64_t jz_sched_resv_units(const jz_sched_t *s, int k) {
  const jz_reservation_t *rv = &s->platform->reservations[k];
  const jz_part_res_t *p = &s->res.parts[rv->partition];
  return (int64_t)rv->nodes * (p->gpus_per_node ? p->gpus_per_node : p->cores_per_node);
}

/* The first time after t at which reservation rv's window opens or closes (INFINITY if none). */
static double resv_boundary_after(const jz_reservation_t *rv, double t) {
  if (t < rv->start) return rv->start;
  if (rv->period <= 0) return t < rv->end ? rv->end : INFINITY;
  double m = floor((t - rv->start) / rv->period);
  double end = rv->start + m * rv->period + (rv->end - rv->start);
  double b = end > t ? end : rv->start + (m + 1) * rv->period;
  /* Inputs keep times below 2^32 s (platform.h), but a long queue can push the clock far
   * beyond, where a rounded boundary may fall on t: time must still move on. */
  return b > t ? b : nextafter(t, INFINITY);
}

/* Time spent inside reservation rv's windows from its start up to t, in closed form: whole
 * windows times the window length, plus the part of the window t falls in. */
static double resv_inside_until(const jz_reservation_t *rv, double t) {
  double len = rv->end - rv->start;
  if (t <= rv->start) return 0;
  if (rv->period <= 0) return t < rv->end ? t - rv->start : len;
  double m = floor((t - rv->start) / rv->period);
  double open = rv->start + m * rv->period;
  if (open > t) open = rv->start + --m * rv->period; /* the division rounded up */
  double in = t - open;
  return m * len + (in < len ? in : len);
}

double jz_sched_next_boundary(const jz_sched_t *s) {
  double best = INFINITY;
  if (!s->with_reservations) return best;
  for (int k = 0; k < s->platform->n_reservations; k++) {
    double b = resv_boundary_after(&s->platform->reservations[k], s->now);
    if (b < best) best = b;
  }
  return best;
}

void jz_sched_advance(jz_sched_t *s, double t) {
  double dt = t - s->last_advance;
  for (int k = 0; s->with_reservations && k < s->platform->n_reservations; k++) {
    jz_resv_state_t *rs = &s->resv[k];
    const jz_reservation_t *rv = &s->platform->reservations[k];
    int part = rv->partition;
    const jz_part_res_t *p = &s->res.parts[part];
    if (dt > 0) {
      /* The engine skips window boundaries while no job waits (nothing could change), so
       * [last_advance, t) may hold many windows; its zone's jobs did not change meanwhile. */
      double inside = resv_boundary_after(rv, s->last_advance) >= t
                          ? (rs->active ? dt : 0) /* no boundary inside: as it was */
                          : resv_inside_until(rv, t) - resv_inside_until(rv, s->last_advance);
      const jz_zone_t *z = &p->zones[rs->zone];
      int64_t busy = p->gpus_per_node
                         ? (int64_t)(z->hi - z->lo) * p->gpus_per_node - z->free_gpus
                         : (int64_t)(z->hi - z->lo) * p->cores_per_node - z->free_cores;
      if (inside > 0) {
        rs->busy_units_s += (double)(busy - rs->lent_units) * inside;
        rs->lent_units_s += (double)rs->lent_units * inside;
        rs->window_s += inside;
      }
    }
    bool active = jz_sched_resv_active(s, k, t);
    if (active != rs->active) { /* nodes changed hands: look again */
      s->released[part] = true;
      s->pending = true;
    }
    rs->active = active;
  }
  s->last_advance = t;
  if (s->order == JZ_ORDER_WFP3) wfp3_sort(s, t);
}

void jz_view_zones(const jz_sched_t *s, uint32_t id, uint64_t *tier1, uint64_t *tier2) {
  const jz_job_t *j = &s->jobs[id];
  const jz_jobrun_t *r = &s->run[id];
  int part = j->partition;
  if (s->res.parts[part].n_zones == 1) {
    *tier1 = *tier2 = 1;
    return;
  }
  uint64_t open = 1; /* the shared pool */
  int own = -1;
  for (int k = 0; k < s->platform->n_reservations; k++) {
    const jz_reservation_t *rv = &s->platform->reservations[k];
    if (rv->partition != part) continue;
    const jz_resv_state_t *rs = &s->resv[k];
    uint64_t bit = UINT64_C(1) << rs->zone;
    if (rs->active) {
      if (r->resv == k)
        own = k;
      else if (rv->lend_idle && rs->waiting_members == 0 &&
               s->now + j->walltime <= jz_sched_resv_window_end(s, k, s->now))
        open |= bit; /* lent while none of its accounts' jobs waits, to a job whose requested
                        end is by the window's close: a member arriving later waits for it at
                        most until then, and no borrower reaches into another window */
    } else if (s->now + j->walltime <= jz_sched_resv_next_start(s, k, s->now)) {
      open |= bit; /* ends before the window opens */
    }
  }
  if (own < 0) {
    *tier1 = *tier2 = open;
    return;
  }
  *tier1 = UINT64_C(1) << s->resv[own].zone;
  *tier2 = s->platform->reservations[own].overflow ? (*tier1 | open) : *tier1;
}

bool jz__view_fits_zoned(const jz_sched_t *s, uint32_t id) {
  const jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  uint64_t t1, t2;
  jz_view_zones(s, id, &t1, &t2);
  return jz_resources_fits(&s->res, part, &r->req, t1) ||
         (t2 != t1 && jz_resources_fits(&s->res, part, &r->req, t2));
}

int64_t jz_view_free_units(const jz_sched_t *s, int part, uint64_t zones) {
  if (s->res.parts[part].gpus_per_node > 0) return jz_resources_free_gpus(&s->res, part, zones);
  return jz_resources_free_cores(&s->res, part, zones);
}

/* Add (sign +1) or remove (-1) the units job id holds in dedicated allocations it is not a
 * member of (a borrower, or a job that ends before a window opens): the allocations' busy
 * figures count only their own accounts' use. O(pieces), only for jobs touching a zone. */
static void count_lent(jz_sched_t *s, uint32_t id, int sign) {
  const jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  const jz_part_res_t *p = &s->res.parts[part];
  if (!(r->zones & ~UINT64_C(1))) return; /* shared nodes only: the common case */
  const jz_piece_t *pc = jz_resources_pieces(&s->res, &r->alloc);
  for (uint32_t i = 0; i < r->alloc.n; i++) {
    int z = p->zone_of[pc[i].node];
    if (z == 0) continue;
    for (int k = 0; k < s->platform->n_reservations; k++) {
      if (s->platform->reservations[k].partition != part || s->resv[k].zone != z) continue;
      if (r->resv != k)
        s->resv[k].lent_units += sign * (int64_t)pc[i].count * (p->gpus_per_node ? pc[i].gpus : pc[i].cores);
      break;
    }
  }
}

/* ---- start and finish ---------------------------------------------------------------- */

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
    out += jz_units_fmt_int(base + first, out);
    if (last > first) {
      *out++ = '-';
      out += jz_units_fmt_int(base + last, out);
    }
  }
  *out++ = '\0';
  s->text_n = (size_t)(out - s->text);
  return 0;
}

static int push_flow_started(jz_sched_t *s, uint32_t id) {
  if (s->n_flow_started == s->cap_flow_started) {
    uint32_t cap = s->cap_flow_started ? s->cap_flow_started * 2 : 64;
    uint32_t *v = realloc(s->flow_started, cap * sizeof *v);
    if (!v) return -JZ_ENOMEM;
    s->flow_started = v;
    s->cap_flow_started = cap;
  }
  s->flow_started[s->n_flow_started++] = id;
  return 0;
}

int jz_sched_work_done(jz_sched_t *s, uint32_t id, double t) {
  jz_jobrun_t *r = &s->run[id];
  r->work_done = true;
  r->finish = t;
  jz_heap_remove(&s->finishing, id);
  return jz_heap_push(&s->finishing, t, id);
}

/* Job id took r->alloc: the rest of its start. */
static int started(jz_decisions_t *d, uint32_t id) {
  jz_sched_t *s = d->s;
  jz_jobrun_t *r = &s->run[id];
  const jz_job_t *j = &s->jobs[id];
  int part = j->partition, rc;
  unlink_waiting(s, id);
  if ((rc = account_usage(s, id, +1))) return rc;
  r->zones = jz_resources_alloc_zones(&s->res, part, &r->alloc);
  count_lent(s, id, +1);
  r->nodes = r->alloc.nodes;
  r->state = JZ_STATE_RUNNING;
  r->start = s->now;
  /* Walltime is enforced: the job ends at its run time or is killed at its request. A flow
   * job's end is what its model says (jz_sched_work_done), its request until then. */
  double len = (j->runtime <= j->walltime && !(j->flags & JZ_JOB_FLOW)) ? j->runtime : j->walltime;
  if ((j->flags & JZ_JOB_FLOW) && (rc = push_flow_started(s, id))) return rc;
  r->finish = s->now + len;
  if ((rc = jz_heap_push(&s->rend[part], s->now + j->walltime, id))) return rc;
  if ((rc = jz_heap_push(&s->finishing, r->finish, id))) return rc;
  if ((rc = record_alloc_text(s, id))) return rc;
  s->keys[r->key].running_jobs++;
  s->busy_units[part] += r->cores;
  s->busy_gpus[part] += r->gpus;
  s->running_part[part]++;
  s->running++;
  d->started++;
  return 0;
}

int jz_decide_start(jz_decisions_t *d, uint32_t id) {
  jz_sched_t *s = d->s;
  jz_jobrun_t *r = &s->run[id];
  int part = s->jobs[id].partition;
  if (r->state != JZ_STATE_WAITING || limit_check(s, id) != JZ_HOLD_NONE) return -JZ_EINTERNAL;
  uint64_t t1, t2;
  jz_view_zones(s, id, &t1, &t2);
  uint64_t zones = jz_resources_fits(&s->res, part, &r->req, t1) ? t1 : t2;
  int rc = jz_resources_alloc(&s->res, part, &r->req, zones, &r->alloc);
  if (rc) return rc;
  return started(d, id);
}

int jz_decide_start_in(jz_decisions_t *d, uint32_t id, uint64_t zones) {
  jz_sched_t *s = d->s;
  jz_jobrun_t *r = &s->run[id];
  if (r->state != JZ_STATE_WAITING || limit_check(s, id) != JZ_HOLD_NONE) return -JZ_EINTERNAL;
  uint64_t t1, t2; /* tier 2 holds tier 1: every zone the job may use now */
  jz_view_zones(s, id, &t1, &t2);
  if (zones & ~t2) return -JZ_EINTERNAL;
  int rc = jz_resources_alloc(&s->res, s->jobs[id].partition, &r->req, zones, &r->alloc);
  if (rc) return rc;
  return started(d, id);
}

int jz_decide_start_on(jz_decisions_t *d, uint32_t id, const int32_t *nodes, uint32_t n, char *why,
                       size_t len) {
  return jz_decide_start_cores_on(d, id, nodes, NULL, n, why, len);
}

int jz_decide_start_cores_on(jz_decisions_t *d, uint32_t id, const int32_t *nodes, const int32_t *cores,
                             uint32_t n, char *why, size_t len) {
  jz_sched_t *s = d->s;
  jz_jobrun_t *r = &s->run[id];
  if (r->state != JZ_STATE_WAITING || limit_check(s, id) != JZ_HOLD_NONE) return -JZ_EINTERNAL;
  uint64_t t1, t2; /* tier 2 holds tier 1: every node the job may use now */
  jz_view_zones(s, id, &t1, &t2);
  int rc = jz_resources_alloc_cores_on(&s->res, s->jobs[id].partition, &r->req, t2, nodes, cores, n,
                                       &r->alloc, why, len);
  if (rc) return rc;
  return started(d, id);
}

uint32_t jz_sched_finish_next(jz_sched_t *s) {
  jz_heap_entry_t e = jz_heap_pop(&s->finishing);
  uint32_t id = e.id;
  jz_jobrun_t *r = &s->run[id];
  const jz_job_t *j = &s->jobs[id];
  jz_heap_remove(&s->rend[j->partition], id);
  count_lent(s, id, -1);
  jz_resources_release(&s->res, j->partition, &r->alloc);
  account_usage(s, id, -1); /* the entries exist since the start: no allocation here */
  /* Killed at its request, or the trace says its limit killed it (a sacct TIMEOUT whose
   * Elapsed equals its Timelimit would otherwise replay as a success). */
  if ((j->flags & JZ_JOB_FLOW) ? !r->work_done
                               : (j->runtime > j->walltime || (j->flags & JZ_JOB_TIMED_OUT)))
    r->state = JZ_STATE_COMPLETED_WALLTIME_REACHED;
  else if (j->status == 0 || j->status == 5)
    r->state = JZ_STATE_COMPLETED_FAILED;
  else
    r->state = JZ_STATE_COMPLETED_SUCCESSFULLY;
  s->keys[r->key].running_jobs--;
  s->busy_units[j->partition] -= r->cores;
  s->busy_gpus[j->partition] -= r->gpus;
  s->running_part[j->partition]--;
  s->running--;
  s->released[j->partition] = true;
  /* A limit loosened: jobs of the queue may now start on any of its partitions. */
  const jz_qkey_t *k = &s->keys[r->key];
  if (k->limited) {
    const jz_queue_t *Q = &s->platform->queues[k->queue];
    for (int i = 0; i < Q->n_partitions; i++) s->released[Q->partitions[i]] = true;
  }
  s->pending = true;
  return id;
}

void jz_sched_pass_done(jz_sched_t *s) {
  for (int p = 0; p < s->res.n_parts; p++) {
    s->released[p] = false;
    s->first_new[p] = JZ_NONE;
  }
  s->pending = false;
}
