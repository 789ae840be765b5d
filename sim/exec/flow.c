/* flow.c: one actor per running flow job, a completion queue and a semaphore (flow.h). */
#include "exec/flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/disk.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

#include "exec/exec.h"
#include "simgrid_xml.h"

XBT_LOG_NEW_DEFAULT_CATEGORY(jz_flow, "jzsim flow jobs (one actor per running flow job)");

/* A flow actor only runs a model's phases: a small stack keeps 10,000 of them cheap
 * (PLATFORM-NOTES B.4, B.7). Sanitizers need far more room per frame. */
#if defined(__SANITIZE_ADDRESS__)
#define FLOW_STACK (1024u * 1024u)
#else
#define FLOW_STACK (128u * 1024u)
#endif

static const char *const netmodel_names[JZ_NET_COUNT] = {"ptask_L07", "CM02", "LV08"};
static const char *const cfg_l07[] = {"--cfg=host/model:ptask_L07", "--cfg=network/TCP-gamma:0",
                                      NULL};
/* network/optim:Full: with SimGrid 3.32's default Lazy update, CM02 let the second of two
 * flows started at once on different node links escape its own link (only the shared uplink
 * held it: 100 GB read by a node with a 10 GB/s link in 3.3 s; tests/e2e/cases/flow-cm02-io). */
static const char *const cfg_cm02[] = {"--cfg=network/model:CM02",
                                       "--cfg=network/crosstraffic:0",
                                       "--cfg=network/TCP-gamma:0",
                                       "--cfg=network/optim:Full", NULL};
static const char *const cfg_lv08[] = {NULL};

const char *jz_netmodel_name(jz_netmodel_t m) {
  return (unsigned)m < JZ_NET_COUNT ? netmodel_names[m] : "?";
}

int jz_netmodel_find(const char *name) {
  for (int i = 0; i < JZ_NET_COUNT; i++)
    if (strcmp(name, netmodel_names[i]) == 0) return i;
  return -1;
}

const char *const *jz_netmodel_cfg(jz_netmodel_t m) {
  return m == JZ_NET_L07 ? cfg_l07 : m == JZ_NET_CM02 ? cfg_cm02 : cfg_lv08;
}

struct jz_flow {
  const jz_platform_t *p;
  const jz_job_table_t *t;
  jz_netmodel_t model;
  sg_host_t **part_hosts; /* per partition, looked up on first use */
  sg_host_t **part_ports; /* per partition with storage ports (simgrid_xml.h), the same */
  sg_host_t *tier_host;
  sg_disk_t *tier_disk;
  sg_sem_t *tier_drives;  /* tape tiers with a drive count, else NULL */
  jz_exec_job_t **slot_of; /* running flow job by id */
  uint32_t nslots;
  double *resume;         /* by id: iterations checkpointed by earlier segments of its chain */
  sg_sem_t wake;
  bool sleeping;          /* the scheduler waits on wake */
  uint32_t *done_q;       /* ids whose work ended, not yet reported */
  size_t qn, qcap;
  uint32_t inflight;
  double t0;
};

int jz_flow_new(jz_flow_t **out, const jz_platform_t *p, const jz_job_table_t *t, jz_netmodel_t m,
                jz_error_t *err) {
  jz_flow_t *f = calloc(1, sizeof *f);
  if (!f) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  f->p = p;
  f->t = t;
  f->model = m;
  f->part_hosts = calloc((size_t)p->n_partitions, sizeof *f->part_hosts);
  f->part_ports = calloc((size_t)p->n_partitions, sizeof *f->part_ports);
  size_t ns = p->n_storage ? (size_t)p->n_storage : 1;
  f->tier_host = calloc(ns, sizeof *f->tier_host);
  f->tier_disk = calloc(ns, sizeof *f->tier_disk);
  f->tier_drives = calloc(ns, sizeof *f->tier_drives);
  if (!f->part_hosts || !f->part_ports || !f->tier_host || !f->tier_disk || !f->tier_drives) {
    jz_flow_free(f);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  for (int i = 0; i < p->n_storage; i++) {
    sg_host_t h = sg_host_by_name(p->storage[i].name);
    unsigned nd = 0;
    sg_disk_t *disks = NULL;
    if (h) sg_host_get_disks(h, &nd, &disks);
    if (!h || nd == 0) {
      free(disks);
      jz_flow_free(f);
      return jz_error_set(err, -JZ_EINTERNAL, "storage tier '%s' has no host or disk in SimGrid",
                          p->storage[i].name);
    }
    f->tier_host[i] = h;
    f->tier_disk[i] = disks[0];
    free(disks);
    /* A tape recall waits for one of the tier's drives (FIFO, as SimGrid's semaphores). */
    if (p->storage[i].kind == JZ_STORAGE_TAPE && p->storage[i].drives > 0)
      f->tier_drives[i] = sg_sem_init(p->storage[i].drives);
  }
  f->wake = sg_sem_init(0);
  *out = f;
  return 0;
}

void jz_flow_free(jz_flow_t *f) {
  if (!f) return;
  for (int i = 0; f->part_hosts && i < f->p->n_partitions; i++) free(f->part_hosts[i]);
  for (int i = 0; f->part_ports && i < f->p->n_partitions; i++) free(f->part_ports[i]);
  free(f->part_hosts);
  free(f->part_ports);
  free(f->tier_host);
  free(f->tier_disk);
  for (int i = 0; f->tier_drives && i < f->p->n_storage; i++)
    if (f->tier_drives[i]) sg_sem_destroy(f->tier_drives[i]);
  free(f->tier_drives);
  for (uint32_t i = 0; i < f->nslots; i++) {
    jz_exec_job_t *j = f->slot_of[i];
    if (!j) continue;
    free(j->scratch);
    free(j->execs);
    free(j);
  }
  free(f->slot_of);
  free(f->resume);
  free(f->done_q);
  if (f->wake) sg_sem_destroy(f->wake);
  free(f);
}

void jz_flow_begin(jz_flow_t *f) { f->t0 = simgrid_get_clock(); }

uint32_t jz_flow_inflight(const jz_flow_t *f) { return f->inflight; }

/* The SimGrid hosts of a partition by node index ("<partition>-<k>"), or its storage ports
 * ("<partition>-io-<k>", simgrid_xml.h). */
static sg_host_t *partition_hosts(jz_flow_t *f, int part, bool ports) {
  sg_host_t **cache = ports ? &f->part_ports[part] : &f->part_hosts[part];
  if (*cache) return *cache;
  const jz_partition_t *q = &f->p->partitions[part];
  sg_host_t *h = malloc((size_t)q->nodes * sizeof *h);
  if (!h) return NULL;
  char name[300];
  for (int k = 0; k < q->nodes; k++) {
    snprintf(name, sizeof name, "%s%s-%d", q->name, ports ? JZ_SIMGRID_PORTS_SUFFIX : "", k);
    if (!(h[k] = sg_host_by_name(name))) xbt_die("jzsim: host %s missing from the platform", name);
  }
  return *cache = h;
}

static void flow_actor(int argc, char **argv) {
  (void)argc;
  (void)argv;
  jz_exec_job_t *j = sg_actor_self_get_data();
  jz_flow_t *f = j->owner;
  jz_exec_model(j->prof->kind)->run(j);
  j->done = true;
  j->end = simgrid_get_clock() - f->t0;
  if (f->qn == f->qcap) {
    size_t cap = f->qcap ? f->qcap * 2 : 64;
    uint32_t *q = realloc(f->done_q, cap * sizeof *q);
    if (!q) xbt_die("jzsim: out of memory");
    f->done_q = q;
    f->qcap = cap;
  }
  f->done_q[f->qn++] = j->id;
  if (f->sleeping) {
    f->sleeping = false;
    sg_sem_release(f->wake);
  }
}

static int start_one(jz_flow_t *f, jz_sched_t *s, uint32_t id) {
  const jz_job_t *jb = &s->jobs[id];
  const jz_jobrun_t *r = &s->run[id];
  const jz_profile_t *pr = jz_job_profile(f->t, id);
  int part = jb->partition;
  const jz_node_type_t *nt = &f->p->node_types[f->p->partitions[part].node_type];
  sg_host_t *ph = partition_hosts(f, part, false);
  /* A job's storage traffic leaves through its nodes' storage ports where the partition has
   * them (torus, dragonfly: simgrid_xml.h), through its nodes themselves elsewhere. */
  sg_host_t *pp = pr && pr->tier >= 0 && jz_simgrid_has_storage_ports(f->p, part)
                      ? partition_hosts(f, part, true) : ph;
  if (!ph || !pp || !pr) return -JZ_ENOMEM;
  int n = (int)r->alloc.nodes;
  size_t nh = (size_t)(n + 1) * (pp != ph ? 2 : 1);
  jz_exec_job_t *j = calloc(1, sizeof *j + (size_t)n * sizeof(double) + nh * sizeof(sg_host_t));
  if (!j) return -JZ_ENOMEM;
  j->scale = (double *)(j + 1);
  j->hosts = (sg_host_t *)(j->scale + n);
  j->io_hosts = pp != ph ? j->hosts + n + 1 : j->hosts;
  j->id = id;
  j->prof = pr;
  j->n = n;
  j->owner = f;
  j->ptask = f->model == JZ_NET_L07;
  const jz_piece_t *pc = jz_resources_pieces(&s->res, &r->alloc);
  int k = 0;
  for (uint32_t i = 0; i < r->alloc.n; i++) {
    for (int32_t c = 0; c < pc[i].count && k < n; c++, k++) {
      sg_host_t h = ph[pc[i].node + c];
      double speed = sg_host_get_speed(h);
      double g = jz_gpu_rate(nt, jz_profile_precision(pr));
      double rate = pc[i].gpus > 0 && g > 0 ? pc[i].gpus * g : pc[i].cores * speed;
      j->hosts[k] = h;
      j->io_hosts[k] = pp[pc[i].node + c];
      j->scale[k] = rate > 0 ? speed / rate : 1;
    }
  }
  if (pr->tier >= 0) {
    const jz_storage_t *st = &f->p->storage[pr->tier];
    j->tier_host = j->hosts[n] = j->io_hosts[n] = f->tier_host[pr->tier];
    j->tier_disk = f->tier_disk[pr->tier];
    j->drives = f->tier_drives[pr->tier];
    j->mount_latency = st->kind == JZ_STORAGE_TAPE ? st->mount_latency : 0;
  }
  j->resume = f->resume ? f->resume[id] : 0;
  f->slot_of[id] = j;
  sg_actor_t a = sg_actor_init("flow-job", j->hosts[0]);
  sg_actor_set_stacksize(a, FLOW_STACK);
  sg_actor_set_data(a, j);
  sg_actor_start(a, flow_actor, 0, NULL);
  j->actor = a;
  f->inflight++;
  return 0;
}

int jz_flow_start_new(jz_flow_t *f, jz_sched_t *s) {
  if (s->n_flow_started == 0) return 0;
  if (!f->slot_of) {
    if (!(f->slot_of = calloc(s->njobs, sizeof *f->slot_of))) return -JZ_ENOMEM;
    f->nslots = s->njobs;
  }
  /* SimGrid's clock may lag: the engine ran alone while no work was in flight. */
  double target = f->t0 + s->now;
  if (simgrid_get_clock() < target) sg_actor_sleep_until(target);
  for (uint32_t k = 0; k < s->n_flow_started; k++) {
    int rc = start_one(f, s, s->flow_started[k]);
    if (rc) return rc;
  }
  s->n_flow_started = 0;
  return 0;
}

double jz_flow_wait(jz_flow_t *f, jz_sched_t *s, double until) {
  for (;;) {
    double now = simgrid_get_clock() - f->t0;
    if (f->qn == 0) {
      if (now >= until) return until;
      f->sleeping = true;
      if (until == INFINITY)
        sg_sem_acquire(f->wake);
      else
        sg_sem_acquire_timeout(f->wake, until - now);
      f->sleeping = false;
      /* Let work that ends at this same instant report too, before the instant is handled. */
      sg_actor_yield();
      if (f->qn == 0) continue;
    }
    double at = INFINITY;
    for (size_t k = 0; k < f->qn; k++) {
      jz_exec_job_t *j = f->slot_of[f->done_q[k]];
      if (!j) continue; /* ended meanwhile (jz_flow_end) */
      j->reported = true;
      if (j->end < at) at = j->end;
      jz_sched_work_done(s, j->id, j->end); /* remove + push: the heap never grows here */
      f->inflight--;
    }
    f->qn = 0;
    return at < until ? at : until;
  }
}

void jz_flow_end(jz_flow_t *f, jz_sched_t *s, uint32_t id) {
  jz_exec_job_t *j = id < f->nslots ? f->slot_of[id] : NULL;
  if (!j) return;
  if (!j->reported) f->inflight--;
  if (!j->done) {
    /* Killed at its walltime: cancel its work; the next segment of its chain resumes from
     * its last checkpoint. */
    if (j->holding_drive) sg_sem_release(j->drives);
    sg_actor_kill(j->actor);
    uint32_t nx = s->run[id].chain_next;
    if (nx != JZ_NONE) {
      if (!f->resume && !(f->resume = calloc(s->njobs, sizeof *f->resume)))
        xbt_die("jzsim: out of memory");
      f->resume[nx] = j->checkpointed;
    }
  }
  free(j->scratch);
  free(j->execs);
  free(j);
  f->slot_of[id] = NULL;
}
