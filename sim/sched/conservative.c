/* conservative.c: conservative backfilling (Mu'alem & Feitelson 2001), per partition.
 *
 * Every waiting job holds a reservation from the moment it arrives: the earliest time at
 * which its units are free for its whole requested time, given the running jobs (until their
 * requested ends) and every reservation already made. A job starts now only when that
 * earliest time is now, so no start ever delays a reservation. When something is given back
 * (a job ends, earlier than requested or not; a queue limit loosens), the schedule is
 * compressed: each waiting job, in queue order (queue priority, then the --order key, then
 * submission), is taken out and placed again at its earliest time with every other
 * reservation in place. Its old slot is still free for it (every reservation was placed
 * around it), so the new one is never later: no reservation ever moves later (checked at
 * every placement: a later one is an internal error).
 *
 * Worked example, 4 cores. Running: R (2 cores, requested end 100, really ends at 40).
 * Waiting, arrived in this order at 1, 2, 3: A (4 cores, 50 s), B (2 cores, 30 s),
 * C (2 cores, 200 s). Free units: 2 on [now, 100), 4 after.
 *   A: 4 cores are free from 100 on: reserved [100, 150). Profile: 2 | 0 on [100, 150) | 4.
 *   B: 2 cores are free over [2, 32): starts now (EASY would backfill it too: it ends first).
 *   C: from 32, 2 cores are free until 100, then 0 under A: not 200 s; from 150 on: reserved
 *      [150, 350). (EASY would also keep it waiting: it outlasts A's shadow, no extra core.)
 *   At 40 R ends, 60 s early: 2 more cores on [40, 100). Compression, in arrival order:
 *   A taken out, 4 cores free over [40, 90): starts at 40 (reservation 100 -> 40);
 *   C taken out, 2 cores free from 90 on: reserved [90, 290) (150 -> 90).
 * Where EASY protects only the first waiting job, conservative protects them all: with
 * C (1 core, 500 s) behind A (3 cores) and B (4 cores), EASY starts C at once on A's extra
 * core and B waits for C's end; conservative starts C after B (tests/unit/test_conservative.c).
 *
 * The earliest slot is found in an availability profile per partition (avail.h: a treap of
 * steps, O(log n) per stretch of busy steps jumped over). Compression asks, without taking a
 * job out, whether it can move, cheapest questions first:
 *   - where does the stretch short of its units just before its slot begin (d, O(log n))? If
 *     at its slot, it can move: search up to its slot (past it its own units are its own).
 *     Else it needs its whole requested time free before d: if there is not that much time
 *     before d, it stays (most jobs of a saturated queue end here);
 *   - such a window did not exist when it was last placed or checked (the previous
 *     compression at the latest), so it must start before the end of what was given back
 *     since (an early end's requested end, a moved or dropped reservation): the search stops
 *     there;
 *   - d itself is often not needed: when nothing given back since reaches its slot, its units
 *     are still short just before it (d < its slot), so its slot minus its requested time
 *     bounds d minus it; when that bound is already past, one descent (units free just before
 *     its slot) tells whether it stays or moves;
 *   - within one compression, a search that found nothing settles every later job asking at
 *     least as many units for at least as long by an earlier time, until something is given
 *     back where that search looked (a few records kept).
 * On the first 100,000 Curie jobs (5,832 x 16 cores) that is 3.2 million checks in 72,000
 * compressions, 1.5 million of them asking for d, 570,000 searches (moves and arrivals
 * included) and 290,000 moves; see docs/performance.md.
 *
 * Queue limits (QoS MaxJobsPerUser...) as in FCFS and EASY: a job held by a limit holds no
 * reservation (it gives its reservation up when it becomes held) and does not block anyone;
 * when its limit loosens the pass compresses its partitions and it is placed again. A start
 * in a limited queue may hold jobs that already have reservations: those partitions are
 * compressed again at the end of the pass, which drops the now-held jobs' reservations and
 * lets later jobs move into them.
 *
 * Scope: every job FCFS and EASY run. Two ways to keep the profile of a partition:
 *   - counted: on a CPU partition whose jobs all ask for cores anywhere, cores are
 *     interchangeable, and one profile counts them (per zone when the partition has dedicated
 *     allocations, below: a job is placed within ONE zone and started there). The cheap case:
 *     Curie-size per-core replays;
 *   - node by node (nodeplan.h): every node has its own profiles of free cores and GPUs, a
 *     reservation names its nodes (and, for a per-core job, the cores it takes on each) and the
 *     job starts on exactly those (jz_decide_start_on / _cores_on). On GPU partitions, where a
 *     count can be wrong (5 free GPUs over two nodes do not hold a 4-GPU share), and on a CPU
 *     partition as soon as one of its jobs needs nodes named (needs_nodes: whole nodes, a
 *     per-core job capped in nodes by its queue, or one that no single zone holds, which then
 *     takes shared and dedicated nodes together): both kinds of reservation must share one
 *     view of the nodes, so the whole partition goes node by node. GPU shares take one node,
 *     whole nodes k nodes (nodeplan.c); per-core jobs spread over nodes, each node giving at
 *     most the fewest cores free on it over the requested time (nodespan.h; on GPU partitions
 *     only those larger than a node: smaller ones stay on one node, as a share does).
 * Dedicated allocations: a zone per allocation and one for the shared nodes, and a job may
 * start on a zone's nodes exactly when jz_view_zones would open it then (see "Dedicated
 * allocations" below). Flow jobs (work profiles) are killed at their requested end like any
 * job, so their units are reserved until then; their early end (when their work ends) is seen
 * at once and compresses the schedule. On a partition reserved node by node the profile of
 * zone 0 counts the free cores of the whole partition: a spread job's search skips the times
 * it is too full without looking at the nodes.
 *
 * Test hook: with JZSIM_CONSERVATIVE_LOG=FILE in the environment, every placement is written
 * to FILE as "row,time,reserved_start" (row: the job's row in jobs.csv, 1 for the first job;
 * "held" for a reservation given up), so a test can
 * check on a real trace, independently of this file, that no reservation moved later. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sched/policy.h"
#include "sched/avail.h"
#include "sched/nodeplan.h"
#include "sched/nodespan.h"

/* A search for u units over w seconds, starting by `latest`, that found nothing: until units
 * are given back, a job asking at least as much for at least as long by then finds nothing. */
typedef struct futile {
  int64_t u;
  double w, latest;
} futile_t;

enum { NFUTILE = 8 };

/* The nodes of a per-core job spread over nodes (and the cores it takes on each): a list per
 * job, grown when a placement needs more nodes, freed when the job ends. */
typedef struct span {
  int32_t *nodes, *cores;
  uint32_t n, cap;
} span_t;

typedef struct cons {
  int nparts;
  jz_avail_t *prof; /* per zone of each partition: [prof0[part] + zone] */
  int *prof0, nprof;
  uint8_t *zone;      /* per job: the zone of its reservation or of its nodes */
  bool *nodal;        /* per partition: reserved node by node (nodal_partitions) */
  jz_nodeplan_t *np;  /* per partition: node by node where units are not interchangeable,
                         else empty */
  jz_nodespan_t *sp;  /* per such partition: scratch of the searches for spread jobs */
  int32_t *rn;        /* the nodes of each job of such a partition (reserved or running)... */
  size_t *rn_off;     /* ...from rn[rn_off[job]]; none for a spread job: */
  span_t *span;       /* per job: a spread job's nodes and cores (NULL if there is none) */
  int32_t *sn, *sc;   /* scratch: a spread job's nodes and cores as a search finds them */
  double *resv;       /* per job: reserved start while it has one, NAN otherwise */
  jz_heap_t fin;      /* started jobs by actual end: their early ends give units back */
  uint32_t *fin_pos;
  uint32_t *flow, nflow; /* running flow jobs: their end moves earlier when their work ends,
                            after their key in fin was set (sized for every flow job) */
  jz_heap_t *due;     /* per partition: reservations by start, to start them on time */
  uint32_t *due_pos;
  bool *early;        /* per partition: a job ended before its requested end: compress */
  double *gain_prev, *gain_cur; /* per partition: the latest end of what was given back to
                                   the profile during the previous compression and since */
  futile_t futile[NFUTILE];      /* recent fruitless searches of the partition being walked */
  int nfutile;
  bool *again;        /* partitions to compress again (a start in a limited queue, or a
                         reservation given up by a held job) */
  size_t nspan;
  FILE *log;
} cons_t;

static void cons_fini(void *state) {
  cons_t *c = state;
  if (!c) return;
  for (int p = 0; c->prof && p < c->nprof; p++) jz_avail_free(&c->prof[p]);
  free(c->prof);
  free(c->prof0);
  free(c->zone);
  for (int p = 0; c->np && p < c->nparts; p++) jz_nodeplan_free(&c->np[p]);
  for (int p = 0; c->sp && p < c->nparts; p++) jz_nodespan_free(&c->sp[p]);
  free(c->np);
  free(c->sp);
  free(c->nodal);
  free(c->rn);
  free(c->rn_off);
  for (size_t i = 0; c->span && i < c->nspan; i++) {
    free(c->span[i].nodes);
    free(c->span[i].cores);
  }
  free(c->span);
  free(c->sn);
  free(c->sc);
  free(c->resv);
  jz_heap_free(&c->fin);
  free(c->fin_pos);
  free(c->flow);
  for (int p = 0; c->due && p < c->nparts; p++) jz_heap_free(&c->due[p]);
  free(c->due);
  free(c->due_pos);
  free(c->early);
  free(c->gain_prev);
  free(c->gain_cur);
  free(c->again);
  if (c->log) fclose(c->log);
  free(c);
}

static int own_resv(const jz_sched_t *v, uint32_t id);
static int resv_of_zone(const jz_sched_t *v, int part, int z);

/* A job that only node-by-node plans can place on a CPU partition: whole nodes, cores capped
 * in nodes by its queue, or cores that no single zone it may use holds (then the shared nodes
 * and an allocation's together, as jz_view_zones opens them). */
static bool some_zone_holds(const jz_sched_t *v, uint32_t id);
static bool needs_nodes(const jz_sched_t *v, uint32_t id) {
  const jz_request_t *q = &v->run[id].req;
  int part = v->jobs[id].partition;
  return q->nodes > 0 || jz_request_spread_limited(q) ||
         (v->res.parts[part].n_zones > 1 && !some_zone_holds(v, id));
}

/* A per-core job placed on a node-by-node partition over as many nodes as it takes: on CPU
 * partitions every per-core job (FCFS and EASY spread them too), on GPU partitions one larger
 * than a node (a smaller one stays on one node, as a GPU share does). */
static bool spread(const cons_t *c, const jz_sched_t *v, uint32_t id) {
  int part = v->jobs[id].partition;
  const jz_request_t *q = &v->run[id].req;
  return c->nodal[part] && q->nodes == 0 && q->gpus == 0 &&
         (v->res.parts[part].gpus_per_node == 0 || q->cores > v->res.parts[part].cores_per_node);
}

/* Nodes a non-spread job of such a partition takes: its whole nodes, else one (a share, or
 * cores). */
static int32_t job_nodes(const jz_sched_t *v, uint32_t id) {
  return v->run[id].req.nodes > 0 ? v->run[id].req.nodes : 1;
}

/* Is there a zone of its partition that job id may use at some time and that holds it? On a
 * counted partition a job is placed in one zone (below). */
static bool some_zone_holds(const jz_sched_t *v, uint32_t id) {
  int part = v->jobs[id].partition, own = own_resv(v, id);
  const jz_part_res_t *p = &v->res.parts[part];
  for (int z = 0; z < p->n_zones; z++) {
    if ((int64_t)(p->zones[z].hi - p->zones[z].lo) * p->cores_per_node < v->run[id].units) continue;
    if (z == 0 || (own >= 0 && z == v->resv[own].zone)) return true;
    const jz_reservation_t *rv = &v->platform->reservations[resv_of_zone(v, part, z)];
    if (rv->period <= 0 || rv->period - (rv->end - rv->start) >= v->jobs[id].walltime) return true;
  }
  return false;
}

/* Which partitions are reserved node by node: those with GPUs (a GPU share needs its GPUs on
 * one node), and CPU partitions where some job needs nodes named (needs_nodes). The others
 * count interchangeable cores in one profile per zone: the cheap case (Curie-size per-core
 * replays), which a single job needing nodes turns into the node-by-node one for its whole
 * partition, since both kinds of reservation must share one view of the nodes. */
static void nodal_partitions(cons_t *c, const jz_sched_t *v) {
  for (int p = 0; p < c->nparts; p++) c->nodal[p] = v->res.parts[p].gpus_per_node > 0;
  for (uint32_t i = 0; i < v->njobs; i++) {
    const jz_jobrun_t *r = &v->run[i];
    int part = v->jobs[i].partition;
    if (r->reject || part < 0 || part >= v->res.n_parts || c->nodal[part]) continue;
    if (!jz_resources_possible(&v->res, part, &r->req)) continue; /* rejected at submit */
    if (needs_nodes(v, i)) c->nodal[part] = true;
  }
}

/* Does partition part's zone-0 profile count the free cores of all its nodes (node by node,
 * on CPU partitions, and on GPU partitions when some job spreads)? */
static bool counts_all(const cons_t *c, const jz_sched_t *v, int part) {
  return c->nodal[part] && (v->res.parts[part].gpus_per_node == 0 || c->span);
}

/* Job id's nodes (and, for a spread job, the cores on each; NULL otherwise) and their count. */
static int32_t *job_list(const cons_t *c, const jz_sched_t *v, uint32_t id, int32_t **cores, int32_t *n) {
  if (spread(c, v, id)) {
    *cores = c->span[id].cores;
    *n = (int32_t)c->span[id].n;
    return c->span[id].nodes;
  }
  *cores = NULL;
  *n = job_nodes(v, id);
  return c->rn + c->rn_off[id];
}

/* Keep the list a search found for spread job id. 0 or -JZ_ENOMEM. */
static int keep_span(cons_t *c, uint32_t id, int32_t n) {
  span_t *sp = &c->span[id];
  if ((uint32_t)n > sp->cap) {
    uint32_t cap = sp->cap ? sp->cap : 1;
    while (cap < (uint32_t)n) cap *= 2;
    int32_t *a = realloc(sp->nodes, cap * sizeof *a);
    if (a) sp->nodes = a;
    int32_t *b = a ? realloc(sp->cores, cap * sizeof *b) : NULL;
    if (!b) return -JZ_ENOMEM;
    sp->cores = b;
    sp->cap = cap;
  }
  for (int32_t i = 0; i < n; i++) {
    sp->nodes[i] = c->sn[i];
    sp->cores[i] = c->sc[i];
  }
  sp->n = (uint32_t)n;
  return 0;
}

static int cons_init(void **state, const jz_sched_t *v, jz_error_t *err) {
  cons_t *c = calloc(1, sizeof *c);
  size_t nj = v->njobs ? v->njobs : 1, nflow = 1;
  for (uint32_t i = 0; i < v->njobs; i++) nflow += (v->jobs[i].flags & JZ_JOB_FLOW) != 0;
  bool ok = c != NULL && (c->nodal = calloc((size_t)v->res.n_parts + 1, sizeof *c->nodal));
  if (ok) {
    c->nparts = v->res.n_parts;
    nodal_partitions(c, v);
    c->flow = malloc(nflow * sizeof *c->flow);
    c->prof0 = malloc((size_t)(c->nparts + 1) * sizeof *c->prof0);
    for (int p = 0; c->prof0 && p <= c->nparts; p++)
      c->prof0[p] = p == 0 ? 0 : c->prof0[p - 1] + v->res.parts[p - 1].n_zones;
    c->prof = c->prof0 ? calloc((size_t)c->prof0[c->nparts], sizeof *c->prof) : NULL;
    c->zone = calloc(nj, sizeof *c->zone);
    c->np = calloc((size_t)c->nparts, sizeof *c->np);
    c->sp = calloc((size_t)c->nparts, sizeof *c->sp);
    c->rn_off = malloc(nj * sizeof *c->rn_off);
    size_t nrn = 1, nspread = 0;
    int32_t maxn = 1;
    for (uint32_t i = 0; c->rn_off && i < v->njobs; i++) {
      c->rn_off[i] = nrn;
      int part = v->jobs[i].partition;
      if (part < 0 || part >= v->res.n_parts || !c->nodal[part]) continue;
      if (spread(c, v, i))
        nspread++;
      else
        nrn += job_nodes(v, i);
    }
    for (int p = 0; p < c->nparts; p++)
      if (c->nodal[p] && v->res.parts[p].nodes > maxn) maxn = v->res.parts[p].nodes;
    c->rn = malloc(nrn * sizeof *c->rn);
    if (nspread) {
      c->nspan = nj;
      c->span = calloc(nj, sizeof *c->span);
      c->sn = malloc((size_t)maxn * sizeof *c->sn);
      c->sc = malloc((size_t)maxn * sizeof *c->sc);
    }
    c->resv = malloc(nj * sizeof *c->resv);
    c->fin_pos = malloc(nj * sizeof *c->fin_pos);
    c->again = calloc((size_t)c->nparts, sizeof *c->again);
    c->early = calloc((size_t)c->nparts, sizeof *c->early);
    c->due = calloc((size_t)c->nparts, sizeof *c->due);
    c->due_pos = malloc(nj * sizeof *c->due_pos);
    c->gain_prev = malloc((size_t)c->nparts * sizeof *c->gain_prev);
    c->gain_cur = malloc((size_t)c->nparts * sizeof *c->gain_cur);
    ok = c->flow && c->prof && c->zone && c->np && c->sp && c->rn && c->rn_off && c->resv && c->fin_pos &&
         c->again && c->early && c->due && c->due_pos && c->gain_prev && c->gain_cur &&
         (!nspread || (c->span && c->sn && c->sc));
  }
  for (int p = 0; ok && p < c->nparts; p++) {
    const jz_part_res_t *pr = &v->res.parts[p];
    for (int z = 0; ok && z < pr->n_zones; z++, c->nprof++) /* nodal: zone 0's is the whole partition's */
      ok = jz_avail_init(&c->prof[c->nprof],
                         (int64_t)(c->nodal[p] && z == 0 ? pr->nodes : pr->zones[z].hi - pr->zones[z].lo) *
                             pr->cores_per_node,
                         v->now) == 0;
    c->gain_prev[p] = c->gain_cur[p] = -INFINITY;
    if (ok && c->nodal[p])
      ok = jz_nodeplan_init(&c->np[p], pr->nodes, pr->cores_per_node, pr->gpus_per_node, v->now) == 0 &&
           (!c->span || jz_nodespan_init(&c->sp[p], pr->nodes, pr->cores_per_node) == 0);
  }
  if (!ok) {
    cons_fini(c);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < nj; i++) {
    c->resv[i] = NAN;
    c->fin_pos[i] = c->due_pos[i] = JZ_HEAP_NONE;
  }
  jz_heap_init(&c->fin, c->fin_pos);
  for (int p = 0; p < c->nparts; p++) jz_heap_init(&c->due[p], c->due_pos);
  const char *log = getenv("JZSIM_CONSERVATIVE_LOG");
  if (log && *log && !(c->log = fopen(log, "w"))) {
    cons_fini(c);
    return jz_error_set(err, -JZ_EIO, "JZSIM_CONSERVATIVE_LOG: cannot write '%s'", log);
  }
  *state = c;
  return 0;
}

static void log_placement(cons_t *c, const jz_sched_t *v, uint32_t id, double t) {
  if (!c->log) return;
  /* The job's row in jobs.csv (its index + 1): ids repeat across workloads. */
  if (isnan(t))
    fprintf(c->log, "%lu,%.17g,held\n", (unsigned long)id + 1, v->now);
  else
    fprintf(c->log, "%lu,%.17g,%.17g\n", (unsigned long)id + 1, v->now, t);
}

/* Units given back to partition part's profile over [start, end): a job may now fit before
 * end. A fruitless search looked at windows within [now, latest + w) only: what is given back
 * after that cannot make it fruitful, so its record stays. */
static void gained(cons_t *c, int part, double start, double end) {
  if (end > c->gain_cur[part]) c->gain_cur[part] = end;
  int k = 0;
  for (int i = 0; i < c->nfutile; i++)
    if (start >= c->futile[i].latest + c->futile[i].w) c->futile[k++] = c->futile[i];
  c->nfutile = k;
}

static bool known_futile(const cons_t *c, int64_t u, double w, double latest) {
  for (int i = 0; i < c->nfutile; i++)
    if (u >= c->futile[i].u && w >= c->futile[i].w && latest <= c->futile[i].latest) return true;
  return false;
}

static void remember_futile(cons_t *c, int64_t u, double w, double latest) {
  c->futile[c->nfutile < NFUTILE ? c->nfutile++ : (int)(u % NFUTILE)] = (futile_t){u, w, latest};
}

/* Take (sign -1, ref +1) or give back (sign +1, ref -1) what job id holds over [a, b): in
 * its zone's profile, or on each of its nodes on a partition reserved node by node. */
static int hold(cons_t *c, const jz_sched_t *v, uint32_t id, double a, double b, int sign, int ref) {
  int part = v->jobs[id].partition;
  if (c->nodal[part]) {
    int32_t *sc, n, *nodes = job_list(c, v, id, &sc, &n);
    for (int32_t i = 0; sc && i < n; i++) /* a spread job: its own count on each node */
      if (jz_nodeplan_add(&c->np[part], nodes + i, 1, sc[i], 0, a, b, sign, ref, v->now)) return -JZ_ENOMEM;
    const jz_part_res_t *p = &v->res.parts[part];
    const jz_request_t *q = &v->run[id].req;
    bool whole = q->nodes > 0;
    int32_t cores = whole ? p->cores_per_node : (int32_t)jz_resources_request_cores(&v->res, part, q);
    int32_t gpus = whole ? p->gpus_per_node : (int32_t)jz_resources_request_gpus(&v->res, part, q);
    if (!sc && jz_nodeplan_add(&c->np[part], nodes, n, cores, gpus, a, b, sign, ref, v->now))
      return -JZ_ENOMEM;
    if (!counts_all(c, v, part)) return 0;
    /* The partition's free cores in all (the profile of zone 0 stands for the whole partition
     * here): searches skip the times it is too full (nodespan.h, place). */
    jz_avail_t *all = &c->prof[c->prof0[part]];
    jz_avail_trim(all, v->now);
    return jz_avail_add(all, a, b, sign * (int64_t)(sc ? q->cores : cores * n), ref);
  }
  jz_avail_t *pr = &c->prof[c->prof0[part] + c->zone[id]];
  jz_avail_trim(pr, v->now);
  return jz_avail_add(pr, a, b, sign * v->run[id].units, ref);
}

static int unreserve(cons_t *c, const jz_sched_t *v, uint32_t id) {
  double s = c->resv[id];
  int part = v->jobs[id].partition;
  c->resv[id] = NAN;
  gained(c, part, s, s + v->jobs[id].walltime);
  jz_heap_remove(&c->due[part], id);
  return hold(c, v, id, s, s + v->jobs[id].walltime, +1, -1);
}

/* Job id, started by this policy, has ended by now: give back to its partition's profile
 * what is left of [start, requested end). */
static void ended(cons_t *c, const jz_sched_t *v, uint32_t id) {
  const jz_jobrun_t *r = &v->run[id];
  int part = v->jobs[id].partition;
  double rend = r->start + v->jobs[id].walltime;
  hold(c, v, id, r->start, rend, +1, -1); /* removes boundaries only: cannot fail */
  if (c->span && spread(c, v, id)) { /* its list is no longer needed */
    span_t *sp = &c->span[id];
    free(sp->nodes);
    free(sp->cores);
    *sp = (span_t){0};
  }
  if (r->finish < rend) {
    c->early[part] = true;
    gained(c, part, r->start, rend);
  }
}

/* Bring the profiles to now: give back what jobs that ended before their requested end still
 * held in them. A flow job's end is its requested end until its work ends (then
 * jz_sched_work_done moves it earlier, after its key in fin was set): the running flow jobs
 * are looked at one by one, O(running flow jobs) per pass, as slurm.c does. Its run is still
 * bounded by its requested end (it is killed there), so its units are reserved until then
 * exactly as a delay job's. */
static void catch_up(cons_t *c, const jz_sched_t *v) {
  for (uint32_t k = 0, id; (id = jz_flow_next_ended(v, c->flow, &c->nflow, &k)) != JZ_NONE;) {
    jz_heap_remove(&c->fin, id);
    ended(c, v, id);
  }
  while (!jz_heap_empty(&c->fin) && jz_heap_top(&c->fin).key <= v->now) ended(c, v, jz_heap_pop(&c->fin).id);
}

/* Mark for another compression the partitions whose jobs a start in a limited queue may
 * have held. */
static void limited_start(cons_t *c, const jz_sched_t *v, uint32_t id) {
  const jz_qkey_t *k = &v->keys[v->run[id].key];
  if (!k->limited) return;
  const jz_queue_t *Q = &v->platform->queues[k->queue];
  for (int i = 0; i < Q->n_partitions; i++) c->again[Q->partitions[i]] = true;
}

/* ---- Dedicated allocations: which zone a job may start in, and when ---------------------
 * A counted partition with dedicated allocations has one profile per zone (the shared nodes,
 * and each allocation's nodes), and a job is placed in one zone: where it starts soonest (its
 * own allocation's first, then the shared nodes, then the others). It is started there
 * (jz_decide_start_in), so its nodes are those its reservation counted. Node by node, a node
 * is open to a job when its zone is (node_open), so a job may take nodes of several. A zone
 * may be used from t exactly when jz_view_zones would give it at t (sched.c), which depends
 * only on the windows, fixed in advance:
 *   - a member job (its account is one of the allocation's) in its allocation's zone: while a
 *     window is open; outside windows, as anyone;
 *   - anyone in another allocation's zone (or a member outside its windows): when its
 *     requested end is by the next window's start, i.e. the whole run in a gap;
 *   - the shared nodes: always, except for a member while its window is open if the
 *     allocation has overflow: false.
 * Lending (lend_idle: no member waiting) depends on who waits now, not on the windows: a job
 * may borrow only to start at once, never holds a reservation on lent nodes. A job taken out
 * of the profile finds its old slot still allowed and free, so compression still never moves
 * a reservation later. */

/* Job id's own allocation in its partition, or -1. */
static int own_resv(const jz_sched_t *v, uint32_t id) {
  int k = v->run[id].resv;
  return k >= 0 && v->platform->reservations[k].partition == v->jobs[id].partition ? k : -1;
}

/* The allocation whose zone z is in partition part. */
static int resv_of_zone(const jz_sched_t *v, int part, int z) {
  for (int k = 0; k < v->platform->n_reservations; k++)
    if (v->platform->reservations[k].partition == part && v->resv[k].zone == z) return k;
  return -1;
}

/* The earliest x' >= x from which a run of w seconds lies in a gap between k's windows
 * (INFINITY if none: recurring windows with shorter gaps). */
static double gap_from(const jz_sched_t *v, int k, double w, double x) {
  const jz_reservation_t *rv = &v->platform->reservations[k];
  for (;;) {
    if (jz_sched_resv_active(v, k, x)) x = jz_sched_resv_window_end(v, k, x);
    double ns = jz_sched_resv_next_start(v, k, x);
    if (x + w <= ns) return x;
    if (rv->period > 0 && x >= rv->start && rv->period - (rv->end - rv->start) < w) return INFINITY;
    x = ns;
  }
}

/* The earliest x' >= x at which job id may start in zone z (INFINITY if never). */
static double zone_from(const jz_sched_t *v, uint32_t id, int z, double x) {
  int own = own_resv(v, id);
  double w = v->jobs[id].walltime;
  bool confined = own >= 0 && !v->platform->reservations[own].overflow;
  if (own >= 0 && z == v->resv[own].zone) {
    if (jz_sched_resv_active(v, own, x) || x + w <= jz_sched_resv_next_start(v, own, x)) return x;
    return jz_sched_resv_next_start(v, own, x);
  }
  for (int k = z ? resv_of_zone(v, v->jobs[id].partition, z) : -1;;) {
    if (k >= 0 && (x = gap_from(v, k, w, x)) == INFINITY) return x;
    if (!confined || !jz_sched_resv_active(v, own, x)) return x;
    x = jz_sched_resv_window_end(v, own, x); /* a confined member waits for its window's end */
  }
}

/* May job id borrow zone z's idle nodes now (lend_idle)? As jz_view_zones decides. */
static bool may_borrow(const jz_sched_t *v, uint32_t id, int z) {
  int k = resv_of_zone(v, v->jobs[id].partition, z);
  const jz_reservation_t *rv = &v->platform->reservations[k];
  return k != own_resv(v, id) && rv->lend_idle && v->resv[k].active && v->resv[k].waiting_members == 0 &&
         v->now + v->jobs[id].walltime <= jz_sched_resv_window_end(v, k, v->now);
}

/* The earliest start of job id in zone z's profile, at a time the zone is open to it. */
static double zone_earliest(cons_t *c, const jz_sched_t *v, uint32_t id, int z) {
  const jz_avail_t *pr = &c->prof[c->prof0[v->jobs[id].partition] + z];
  int64_t u = v->run[id].units;
  double w = v->jobs[id].walltime;
  if (z && may_borrow(v, id, z) && jz_avail_earliest_from(pr, u, w, v->now, v->now) == v->now) return v->now;
  for (double x = v->now;;) {
    if ((x = zone_from(v, id, z, x)) == INFINITY) return x;
    double t = jz_avail_earliest_from(pr, u, w, x, INFINITY);
    if (t == INFINITY || zone_from(v, id, z, t) == t) return t;
    x = t; /* it fits from t, but may not start there: the next time it may */
  }
}

/* The earliest start of job id over the zones of its partition, and that zone. Each zone is
 * searched in O(log n) per stretch of busy steps or closed window jumped over. */
static double zoned_earliest(cons_t *c, const jz_sched_t *v, uint32_t id, int *zone) {
  int n = v->res.parts[v->jobs[id].partition].n_zones, own = own_resv(v, id);
  int first = own >= 0 ? v->resv[own].zone : 0;
  double best = zone_earliest(c, v, id, first);
  *zone = first;
  for (int z = 0; z < n; z++) {
    if (z == first) continue;
    double t = zone_earliest(c, v, id, z);
    if (t < best) {
      best = t;
      *zone = z;
    }
  }
  return best;
}

/* On a partition reserved node by node: the earliest time job id may start on a node. */
typedef struct open_ctx {
  const jz_sched_t *v;
  uint32_t id;
} open_ctx_t;

static double node_open(void *ctx, int32_t n, double t) {
  const open_ctx_t *o = ctx;
  const jz_sched_t *v = o->v;
  const jz_part_res_t *p = &v->res.parts[v->jobs[o->id].partition];
  if (p->n_zones == 1) return t;
  int z = p->zone_of[n];
  if (t <= v->now && z && may_borrow(v, o->id, z)) return t;
  return zone_from(v, o->id, z, t);
}

/* Job id's earliest start by `latest` on a partition reserved node by node; its nodes go to
 * rn (a spread job's: to its list, only when one is found). Its GPUs (and cores) on one node,
 * whole nodes (nodeplan.h for the cost), or cores over nodes (nodespan.h). */
static double nodal_earliest(cons_t *c, const jz_sched_t *v, uint32_t id, double latest, int *rc) {
  int part = v->jobs[id].partition;
  const jz_part_res_t *p = &v->res.parts[part];
  const jz_request_t *q = &v->run[id].req;
  bool whole = q->nodes > 0;
  open_ctx_t ctx = {v, id};
  int own = own_resv(v, id);
  const jz_zone_t *pz = own >= 0 && p->n_zones > 1 ? &p->zones[v->resv[own].zone] : NULL;
  if (spread(c, v, id)) {
    jz_spanask_t s = {.cores = q->cores,
                      .max_nodes = jz_request_spread_limited(q) ? q->max_nodes : 0,
                      .pref_lo = pz ? pz->lo : 0,
                      .pref_hi = pz ? pz->hi : 0,
                      .w = v->jobs[id].walltime,
                      .latest = latest,
                      .open = node_open,
                      .ctx = &ctx,
                      .total = &c->prof[c->prof0[part]]};
    int32_t n = 0;
    double t = jz_nodespan_earliest(&c->sp[part], &c->np[part], &s, v->now, c->sn, c->sc, &n);
    if (t != INFINITY) *rc = keep_span(c, id, n);
    return t;
  }
  jz_nodeask_t a = {
      .pref_lo = pz ? pz->lo : 0,
      .pref_hi = pz ? pz->hi : 0,
      .cores = whole ? p->cores_per_node : (int32_t)jz_resources_request_cores(&v->res, part, q),
      .gpus = whole ? p->gpus_per_node : (int32_t)jz_resources_request_gpus(&v->res, part, q),
      .count = job_nodes(v, id),
      .w = v->jobs[id].walltime,
      .latest = latest,
      .open = node_open,
      .ctx = &ctx};
  return jz_nodeplan_earliest(&c->np[part], &a, v->now, c->rn + c->rn_off[id]);
}

/* Place job id (again) on a partition reserved node by node (place, below): its slot in *t
 * and 1; 0 when it keeps its reservation as it is; or an error. Not inlined: place's counted
 * path is the hot one of Curie-size replays and stays as lean as before. */
__attribute__((noinline)) static int nodal_slot(cons_t *c, const jz_sched_t *v, uint32_t id, bool had,
                                                double latest, double gsave, double *t) {
  int part = v->jobs[id].partition, rc;
  double old = c->resv[id], w = v->jobs[id].walltime;
  int32_t *sc, n, *nodes = job_list(c, v, id, &sc, &n);
  int32_t n0 = had && n == 1 ? nodes[0] : -1;
  if (had && old > v->now && counts_all(c, v, part) && (v->res.parts[part].gpus_per_node == 0 || sc)) {
    /* Asked of the partition's total free cores first, without taking the job out, as on a
     * counted partition (in place): a move needs its cores free in all over its time, before
     * its slot (past it they are its own), by `latest`. Most jobs of a saturated queue stay
     * here, O(log n) per stretch of busy steps, without the scan of the nodes. */
    int64_t cores = sc ? v->run[id].req.cores : (int64_t)n * v->res.parts[part].cores_per_node;
    double t0 = jz_avail_earliest(&c->prof[c->prof0[part]], cores, w, old);
    if (t0 >= old || t0 > latest) return 0;
  }
  if (had && (rc = unreserve(c, v, id))) return rc;
  rc = 0;
  *t = nodal_earliest(c, v, id, latest, &rc);
  if (rc) return rc;
  if (had && *t > latest) {
    if (latest == old) return -JZ_EINTERNAL; /* its own slot is gone: a bug */
    *t = old; /* nothing earlier: its slot again, on its nodes (the search wrote none) */
  }
  /* Back where it was: nothing was given back (a job of several nodes may have changed
   * nodes: counted as given back). */
  nodes = job_list(c, v, id, &sc, &n);
  if (had && *t == old && n == 1 && nodes[0] == n0) c->gain_cur[part] = gsave;
  return 1;
}

/* Place job id (again): held jobs give up their reservation; others take their earliest
 * slot, which is never later than the one they had, and start when it is now. `compress`:
 * jobs that already hold a reservation are placed again (else they are left as they are). */
static int place(cons_t *c, const jz_sched_t *v, jz_decisions_t *out, uint32_t id, bool compress) {
  int part = v->jobs[id].partition, z = 0;
  bool nodal = c->nodal[part], zoned = !nodal && v->res.parts[part].n_zones > 1;
  jz_avail_t *pr = &c->prof[c->prof0[part]];
  bool had = !isnan(c->resv[id]);
  double old = c->resv[id], w = v->jobs[id].walltime;
  int64_t u = v->run[id].units;
  int rc;
  if (jz_decide_held(out, id)) {
    if (had) {
      if ((rc = unreserve(c, v, id))) return rc;
      log_placement(c, v, id, NAN);
      c->again[part] = true; /* others may move into what it gave up */
    }
    return 0;
  }
  double t;
  if (had && !compress) return 0;
  /* Taken out and placed again (below), by its old start at the latest: its old slot is
   * still free and open for it. A slot it did not have when last placed or checked (the
   * previous compression at the latest) must start before the end of something given back
   * since: most jobs of a compression stop here, without a search. */
  double latest = had ? old : INFINITY, gsave = c->gain_cur[part];
  if ((nodal || zoned) && had && old > v->now) {
    double g = c->gain_prev[part] > c->gain_cur[part] ? c->gain_prev[part] : c->gain_cur[part];
    if (g < latest) latest = g;
    if (latest < v->now) return 0;
  }
  if (nodal) {
    if ((rc = nodal_slot(c, v, id, had, latest, gsave, &t)) <= 0) return rc;
  } else if (zoned) {
    int z0 = c->zone[id];
    if (had && (rc = unreserve(c, v, id))) return rc;
    t = zoned_earliest(c, v, id, &z);
    if (had && t > old) return -JZ_EINTERNAL; /* a reservation would move later */
    if (had && t == old && z == z0) c->gain_cur[part] = gsave; /* back where it was */
    pr = &c->prof[c->prof0[part] + z];
  } else if (had) {
    /* It can move only to a slot where its units are free until its own slot begins (its
     * own units are its own after that): asked without taking it out. If too few are free
     * just before its slot, from d on, a move needs its whole requested time free before d.
     * Such a window did not exist when it was last placed or checked (at the latest in the
     * previous compression): it must start before the end of something given back since.
     * Most jobs are settled there in O(log n), without a search. */
    double g = c->gain_prev[part] > c->gain_cur[part] ? c->gain_prev[part] : c->gain_cur[part];
    /* If u units are not free just before its slot (d < old), d - w < old - w: a bound that
     * settles it without d when it is past or known futile. They are not when nothing given
     * back since reaches its slot (they were not when it was placed or checked); else, when
     * the bound is past, one descent tells (no search for d). */
    double by = old - w < g ? old - w : g, d = old;
    bool lacks = old > v->now && (g < old || (by < v->now && jz_avail_free_before(pr, old) < u));
    if (lacks && (by < v->now || known_futile(c, u, w, by))) return 0;
    if (old > v->now && (lacks || by >= v->now)) d = jz_avail_short_before(pr, u, old);
    if (d < old) {
      by = d - w < g ? d - w : g;
      if (by < v->now || known_futile(c, u, w, by)) return 0;
      t = jz_avail_earliest_by(pr, u, w, by);
      if (t == INFINITY) {
        remember_futile(c, u, w, by);
        return 0;
      }
    } else {
      t = jz_avail_earliest(pr, u, w, old);
    }
    if (t > old) return -JZ_EINTERNAL; /* a reservation would move later */
    if (t == old && old > v->now) return 0; /* stays; at now it starts */
    if ((rc = unreserve(c, v, id))) return rc;
  } else {
    t = jz_avail_earliest(pr, u, w, INFINITY);
  }
  c->zone[id] = (uint8_t)z;
  if (t <= v->now) {
    char why[160];
    int32_t *sc = NULL, n = 0, *nodes = nodal ? job_list(c, v, id, &sc, &n) : NULL;
    rc = nodal   ? jz_decide_start_cores_on(out, id, nodes, sc, (uint32_t)n, why, sizeof why)
         : zoned ? jz_decide_start_in(out, id, UINT64_C(1) << z)
                 : jz_decide_start(out, id);
    if (rc) return rc == -JZ_EINVAL ? -JZ_EINTERNAL : rc; /* its nodes are not free: a bug */
    if ((rc = hold(c, v, id, v->now, v->now + w, -1, +1))) return rc;
    if ((rc = jz_heap_push(&c->fin, v->run[id].finish, id))) return rc;
    if (v->jobs[id].flags & JZ_JOB_FLOW) c->flow[c->nflow++] = id;
    limited_start(c, v, id);
  } else {
    if (t == INFINITY) return -JZ_EINTERNAL; /* no nodes ever open to it hold it: a bug */
    if ((rc = hold(c, v, id, t, t + w, -1, +1))) return rc;
    if ((rc = jz_heap_push(&c->due[part], t, id))) return rc;
    c->resv[id] = t;
  }
  if (!had || t != old) log_placement(c, v, id, t);
  return 0;
}

/* Walk partition part: every waiting job in queue order (compress), or only those that have
 * no reservation yet: all of them after a change of order or a loosened limit (`all`), else
 * the jobs submitted since the last pass (the end of the order). */
static int walk(cons_t *c, const jz_sched_t *v, jz_decisions_t *out, int part, bool compress,
                bool all) {
  for (int z = c->prof0[part]; z < c->prof0[part + 1]; z++) jz_avail_trim(&c->prof[z], v->now);
  c->nfutile = 0; /* the records are per partition */
  if (compress) { /* what was given back before the previous compression is settled */
    c->gain_prev[part] = c->gain_cur[part];
    c->gain_cur[part] = -INFINITY;
  }
  uint32_t id = compress || all ? jz_view_first(v, part) : v->first_new[part];
  while (id != JZ_NONE) {
    uint32_t next = jz_view_next(v, id);
    if (compress || isnan(c->resv[id])) {
      int rc = place(c, v, out, id, compress);
      if (rc) return rc;
    }
    id = next;
  }
  return 0;
}

static int cons_schedule(void *state, const jz_sched_t *v, jz_decisions_t *out) {
  cons_t *c = state;
  catch_up(c, v);
  for (int p = 0; p < c->nparts; p++) {
    bool compress = c->early[p] || c->again[p];
    c->early[p] = c->again[p] = false;
    int rc = 0;
    if (!compress) {
      /* Nothing was given back early: the schedule stands. Start the reservations due now
       * (they fit: the profile never promises more than is free), then place the new. */
      for (int z = c->prof0[p]; z < c->prof0[p + 1]; z++) jz_avail_trim(&c->prof[z], v->now);
      while (rc == 0 && !jz_heap_empty(&c->due[p]) && jz_heap_top(&c->due[p]).key <= v->now)
        rc = place(c, v, out, jz_heap_top(&c->due[p]).id, true);
      if (rc) return rc;
      if (!v->released[p] && v->first_new[p] == JZ_NONE) continue;
    }
    if ((rc = walk(c, v, out, p, compress, v->released[p]))) return rc;
  }
  /* Starts in limited queues may have held jobs that kept a reservation: compress those
   * partitions again (each round follows a start, so this ends). */
  for (bool any = true; any;) {
    any = false;
    for (int p = 0; p < c->nparts; p++) {
      if (!c->again[p]) continue;
      c->again[p] = false;
      any = true;
      int rc = walk(c, v, out, p, true, true);
      if (rc) return rc;
    }
  }
  return 0;
}

/* The next reservation to start: the engine wakes the policy then, even if no job ends. */
static double cons_next_wakeup(void *state, double now) {
  cons_t *c = state;
  double t = INFINITY;
  for (int p = 0; p < c->nparts; p++)
    if (!jz_heap_empty(&c->due[p]) && jz_heap_top(&c->due[p]).key < t) t = jz_heap_top(&c->due[p]).key;
  return t > now ? t : INFINITY;
}

const jz_policy_t jz_policy_conservative = {
    .name = "conservative",
    .summary = "conservative backfilling: every waiting job holds a reservation; none moves later",
    .init = cons_init,
    .schedule = cons_schedule,
    .next_wakeup = cons_next_wakeup,
    .fini = cons_fini,
};
