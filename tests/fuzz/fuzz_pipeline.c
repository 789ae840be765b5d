/* fuzz_pipeline.c: the whole of `jzsim run` but SimGrid on arbitrary trace bytes: detect the
 * format, read, map onto a platform, run the event loop (jz_engine_loop needs no SimGrid),
 * compute the statistics and write jobs.csv, summary.json, queues.csv and utilisation.csv
 * (to memory), then read those back with `jzsim plot`'s reader.
 *
 * Input: the trace itself, or "\0", two option bytes, then the trace. Option byte 1: bits 0-2
 * the platform (PLATFORMS below), bit 3 fcfs instead of easy, bit 4 --lenient, bit 5
 * --split-long-jobs, bit 6 --baseline without-reservations, bit 7 --missing-walltime 1h.
 * Option byte 2: bits 0-3 the partition (0: the default, k: the k-th, modulo), bits 4-7
 * --procs-per-node (0: off).
 *
 * Properties: errors are one line; simulated time never goes back and stays finite; at the end
 * of every instant no node gives more cores or GPUs than it has and the resource model agrees
 * with the allocations of the running jobs; at the end every job is in a final state, ran
 * from start >= submit to exactly start + min(run time, requested time), and every core and
 * GPU is free again; jobs.csv has one record per job plus the header, each as wide as the
 * header; summary.json is valid JSON; the plot reader accepts all three CSVs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "fuzz.h"
#include "metrics/report.h"
#include "metrics/stats.h"
#include "metrics/timeseries.h"
#include "plot/csv.h"
#include "plot/inputs.h"
#include "sched/engine.h"
#include "sched/policy.h"

static const char *const PLATFORMS[8] = {
    "tests/data/good/flat1.yaml",   "tests/data/good/gpu2.yaml",  "tests/data/good/mixed.yaml",
    "tests/data/good/queues1.yaml", "tests/data/good/queues2.yaml", "tests/data/good/resv1.yaml",
    "tests/data/good/resv2.yaml",   "platforms/jean-zay-2024.yaml"};

typedef struct watch {
  jz_ts_t *ts; /* NULL for the baseline run */
  double last_now;
  int32_t *used_cores, *used_gpus; /* per node of the whole platform, by partition first_node */
  long nodes;
} watch_t;

static void check_capacity(watch_t *w, const jz_sched_t *s) {
  const jz_platform_t *p = s->platform;
  memset(w->used_cores, 0, (size_t)w->nodes * sizeof *w->used_cores);
  memset(w->used_gpus, 0, (size_t)w->nodes * sizeof *w->used_gpus);
  for (uint32_t id = 0; id < s->njobs; id++) {
    const jz_jobrun_t *r = &s->run[id];
    if (r->state != JZ_STATE_RUNNING) continue;
    int part = s->jobs[id].partition;
    JZ_FUZZ_CHECK(part >= 0 && part < p->n_partitions, "running job %u on partition %d", id, part);
    const jz_part_res_t *pr = &s->res.parts[part];
    for (uint32_t k = 0; k < r->alloc.n; k++) {
      const jz_piece_t *pc = &s->res.pool[r->alloc.off + k];
      JZ_FUZZ_CHECK(pc->node >= 0 && pc->count >= 1 && pc->node + pc->count <= pr->nodes,
                    "job %u: piece of nodes [%d, +%d) outside its partition of %d", id, pc->node,
                    pc->count, pr->nodes);
      for (int32_t n = pc->node; n < pc->node + pc->count; n++) {
        w->used_cores[p->partitions[part].first_node + n] += pc->cores;
        w->used_gpus[p->partitions[part].first_node + n] += pc->gpus;
      }
    }
  }
  for (int part = 0; part < p->n_partitions; part++) {
    const jz_part_res_t *pr = &s->res.parts[part];
    int64_t free_total = 0;
    for (int32_t n = 0; n < pr->nodes; n++) {
      long g = p->partitions[part].first_node + n;
      JZ_FUZZ_CHECK(w->used_cores[g] <= pr->cores_per_node && w->used_gpus[g] <= pr->gpus_per_node,
                    "t=%.17g: node %d of %s over capacity: %d/%d cores, %d/%d GPUs", s->now, n,
                    p->partitions[part].name, w->used_cores[g], pr->cores_per_node,
                    w->used_gpus[g], pr->gpus_per_node);
      JZ_FUZZ_CHECK(pr->free_cores[n] == pr->cores_per_node - w->used_cores[g] &&
                        pr->free_gpus[n] == pr->gpus_per_node - w->used_gpus[g],
                    "t=%.17g: node %d of %s: model says %d cores %d GPUs free, jobs use %d, %d",
                    s->now, n, p->partitions[part].name, pr->free_cores[n], pr->free_gpus[n],
                    w->used_cores[g], w->used_gpus[g]);
      free_total += pr->free_cores[n];
    }
    JZ_FUZZ_CHECK(free_total == pr->free_total, "%s: free cores %lld, counter %lld",
                  p->partitions[part].name, (long long)free_total, (long long)pr->free_total);
  }
}

static int on_instant(void *ctx, const jz_sched_t *s) {
  watch_t *w = ctx;
  JZ_FUZZ_CHECK(isfinite(s->now) && s->now >= w->last_now, "time goes from %.17g to %.17g",
                w->last_now, s->now);
  w->last_now = s->now;
  check_capacity(w, s);
  return w->ts ? jz_ts_record(w->ts, s) : 0;
}

static void check_final(const jz_sched_t *s) {
  for (uint32_t id = 0; id < s->njobs; id++) {
    const jz_jobrun_t *r = &s->run[id];
    const jz_job_t *j = &s->jobs[id];
    JZ_FUZZ_CHECK(r->state >= JZ_STATE_COMPLETED_SUCCESSFULLY && r->state <= JZ_STATE_REJECTED,
                  "job %u (line %u) ends in state %s", id, j->line,
                  jz_job_state_name((jz_job_state_t)r->state));
    JZ_FUZZ_CHECK(isfinite(r->submit), "job %u: submit %g", id, r->submit);
    if (r->state == JZ_STATE_REJECTED) continue;
    double len = j->runtime <= j->walltime ? j->runtime : j->walltime;
    JZ_FUZZ_CHECK(isfinite(r->start) && r->start >= r->submit, "job %u (line %u): start %.17g, "
                  "submit %.17g", id, j->line, r->start, r->submit);
    JZ_FUZZ_CHECK(r->finish == r->start + len && r->finish > r->start,
                  "job %u (line %u): runs from %.17g to %.17g for %.17g s", id, j->line, r->start,
                  r->finish, len);
  }
  JZ_FUZZ_CHECK(s->running == 0 && s->qlen == 0, "%u running and %u waiting at the end",
                s->running, s->qlen);
  for (int part = 0; part < s->res.n_parts; part++) {
    const jz_part_res_t *pr = &s->res.parts[part];
    JZ_FUZZ_CHECK(pr->free_total == pr->total_cores && pr->free_gpus_total == pr->total_gpus &&
                      pr->free_nodes == pr->nodes,
                  "partition %d not free at the end", part);
  }
}

/* jobs.csv: the header and one record per job, every record as wide as the header. */
static void check_jobs_csv(const char *buf, size_t len, uint32_t njobs) {
  jz_plot_csv_t c;
  jz_error_t err = {0};
  JZ_FUZZ_CHECK(jz_plot_csv_open_mem(&c, "jobs.csv", buf, len, &err) == 0, "%s", err.msg);
  size_t width = 0, records = 0;
  int rc;
  while ((rc = jz_plot_csv_next(&c, &err)) == 1) {
    if (records == 0) width = c.nf;
    JZ_FUZZ_CHECK(c.nf == width, "jobs.csv line %ld: %zu fields, the header has %zu", c.line,
                  c.nf, width);
    records++;
  }
  JZ_FUZZ_CHECK(rc == 0, "jobs.csv does not parse: %s", err.msg);
  JZ_FUZZ_CHECK(records == (size_t)njobs + 1, "jobs.csv has %zu records for %u jobs", records,
                njobs);
  jz_plot_csv_close(&c);
}

/* What `jzsim plot` would read of this run. */
static void check_plot(const char *name, const char *buf, size_t len) {
  jz_plot_csv_t c;
  jz_error_t err = {0};
  JZ_FUZZ_CHECK(jz_plot_csv_open_mem(&c, name, buf, len, &err) == 0, "%s", err.msg);
  int rc;
  if (strcmp(name, "jobs.csv") == 0) {
    jz_plot_waits_t w;
    rc = jz_plot_read_waits(&c, &w, &err);
    jz_plot_sset_free(&w.ss);
  } else {
    jz_plot_steps_t st;
    rc = jz_plot_read_steps(&c, name[0] == 'q' ? JZ_PLOT_STEPS_QUEUES : JZ_PLOT_STEPS_UTIL, &st,
                            &err);
    jz_plot_sset_free(&st.ss);
  }
  JZ_FUZZ_CHECK(rc == 0, "jzsim plot cannot read the run's %s: %s", name, err.msg);
  jz_plot_csv_close(&c);
}

typedef struct mem {
  char *buf;
  size_t len;
  FILE *f;
} mem_t;

static FILE *mem_open(mem_t *m) {
  m->buf = NULL;
  m->len = 0;
  if (!(m->f = open_memstream(&m->buf, &m->len))) jz_fuzz_fail("open_memstream");
  return m->f;
}

static void mem_close(mem_t *m) {
  if (m->f && fclose(m->f) != 0) jz_fuzz_fail("memstream");
  m->f = NULL;
}

static void simulate(const jz_platform_t *p, jz_experiment_t *e, jz_job_table_t *t,
                     jz_mapping_t *m, const jz_policy_t *pol) {
  jz_sched_t s, sb;
  memset(&s, 0, sizeof s);
  memset(&sb, 0, sizeof sb);
  JZ_FUZZ_CHECK(jz_sched_init(&s, p, t->jobs, (uint32_t)t->n, true) == 0, "sched_init");
  jz_mapping_apply(m, &s);
  mem_t out[4]; /* jobs.csv, summary.json, queues.csv, utilisation.csv */
  for (int k = 0; k < 4; k++) mem_open(&out[k]);
  jz_ts_t ts;
  JZ_FUZZ_CHECK(jz_ts_init(&ts, &s, out[2].f, out[3].f) == 0, "ts_init");
  long nodes = jz_platform_total_nodes(p);
  watch_t w = {&ts, -INFINITY, calloc((size_t)nodes, sizeof(int32_t)),
               calloc((size_t)nodes, sizeof(int32_t)), nodes};
  JZ_FUZZ_CHECK(w.used_cores && w.used_gpus, "out of memory");
  jz_engine_opts_t o = {.progress = false, .on_instant = on_instant, .ctx = &w};
  jz_engine_stats_t st = {0};
  jz_error_t err = {0};
  int rc = jz_engine_loop(&s, pol, &o, &st, &err);
  JZ_FUZZ_CHECK(rc == 0, "engine: %s", err.msg);
  check_final(&s);
  jz_summary_t sm, smb;
  memset(&sm, 0, sizeof sm);
  memset(&smb, 0, sizeof smb);
  if (e->baseline) {
    JZ_FUZZ_CHECK(jz_sched_init(&sb, p, t->jobs, (uint32_t)t->n, false) == 0, "sched_init");
    jz_mapping_apply(m, &sb);
    watch_t wb = {NULL, -INFINITY, w.used_cores, w.used_gpus, nodes};
    jz_engine_opts_t ob = {.progress = false, .on_instant = on_instant, .ctx = &wb};
    jz_engine_stats_t stb = {0};
    rc = jz_engine_loop(&sb, pol, &ob, &stb, &err);
    JZ_FUZZ_CHECK(rc == 0, "baseline engine: %s", err.msg);
    check_final(&sb);
    JZ_FUZZ_CHECK(jz_summary_compute(&sb, &smb) == 0, "baseline summary");
  }
  JZ_FUZZ_CHECK(jz_summary_compute(&s, &sm) == 0, "summary");
  jz_file_id_t ids[2 + 64];
  memset(ids, 0, sizeof ids);
  for (int i = 0; i < 2 + 64; i++) ids[i].rc = -1;
  ids[0].path = e->platform_path;
  jz_run_desc_t d = {.e = e, .m = m, .platform_name = p->name, .platform_id = &ids[0],
                     .workload_ids = ids + 2, .experiment_id = NULL, .policy = pol->name,
                     .baseline = e->baseline ? &smb : NULL};
  JZ_FUZZ_CHECK(jz_report_jobs_csv(out[0].f, &s, t, &d) == 0, "jobs.csv");
  JZ_FUZZ_CHECK(jz_report_summary_json(out[1].f, &s, t, &d, &sm, &st) == 0, "summary.json");
  JZ_FUZZ_CHECK(jz_ts_flush(&ts) == 0, "time series");
  jz_ts_free(&ts);
  for (int k = 0; k < 4; k++) mem_close(&out[k]);
  check_jobs_csv(out[0].buf, out[0].len, s.njobs);
  JZ_FUZZ_CHECK(out[1].len > 2 && out[1].buf[0] == '{', "summary.json is not an object");
  jz_fuzz_check_json("summary.json", out[1].buf, out[1].len);
  check_plot("queues.csv", out[2].buf, out[2].len);
  check_plot("utilisation.csv", out[3].buf, out[3].len);
  check_plot("jobs.csv", out[0].buf, out[0].len);
  for (int k = 0; k < 4; k++) free(out[k].buf);
  free(w.used_cores);
  free(w.used_gpus);
  jz_summary_free(&sm);
  jz_summary_free(&smb);
  jz_sched_free(&s);
  jz_sched_free(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t o1 = 0, o2 = 0;
  if (size >= 3 && data[0] == 0) {
    o1 = data[1];
    o2 = data[2];
    data += 3;
    size -= 3;
  }
  const jz_platform_t *p = jz_fuzz_platform(PLATFORMS[o1 & 7]);
  const char *path = jz_fuzz_file("trace", data, size);
  const jz_policy_t *pol = jz_policy_find(o1 & 8 ? "fcfs" : "easy");
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_error_t err = {0};
  char spec[256];
  int part = (o2 & 15) % (p->n_partitions + 1);
  snprintf(spec, sizeof spec, "%s%s%s", part ? p->partitions[part - 1].name : "", part ? "=" : "",
           path);
  JZ_FUZZ_CHECK(jz_experiment_add_workload(&e, spec, &err) == 0, "%s", err.msg);
  if (!(e.platform_path = strdup(PLATFORMS[o1 & 7])) || !(e.policy = strdup(pol->name)))
    jz_fuzz_fail("out of memory");
  e.lenient = o1 & 16;
  e.split_long_jobs = o1 & 32;
  e.baseline = o1 & 64;
  if (o1 & 128) e.missing_walltime = 3600;
  e.procs_per_node = o2 >> 4;
  jz_job_table_t t;
  jz_mapping_t m;
  jz_job_table_init(&t);
  memset(&m, 0, sizeof m);
  int rc = jz_experiment_read(&e, p, &t, &err);
  if (rc == 0) rc = jz_experiment_map(&e, p, &t, &m, &err);
  /* JZ_FUZZ_VERBOSE=1: what each input came to (for seeds: which ones reach the engine). */
  bool verbose = getenv("JZ_FUZZ_VERBOSE") != NULL;
  if (rc != 0) {
    jz_fuzz_check_error(rc, &err, NULL);
    if (verbose) fprintf(stderr, "pipeline: %s, %s: %s\n", PLATFORMS[o1 & 7], pol->name, err.msg);
  } else {
    simulate(p, &e, &t, &m, pol);
    if (verbose) fprintf(stderr, "pipeline: %s, %s: %zu jobs simulated\n", PLATFORMS[o1 & 7],
                         pol->name, t.n);
  }
  jz_mapping_free(&m);
  jz_job_table_free(&t);
  jz_experiment_free(&e);
  return 0;
}
