/* report.c: jobs.csv, summary.json and the printed summary. */
#include "metrics/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/energy.h"
#include "metrics/outbuf.h"
#include "sha256.h"
#include "units.h"

static void num(FILE *f, double v) {
  char b[32];
  fputs(jz_units_fmt_double(v, b), f);
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

/* v / unit, or null when v < 0 (a quantity the inputs cannot give, e.g. energy without a
 * power model). */
static void jw_num_or_null(jw_t *w, const char *k, double v, double unit) {
  if (v >= 0)
    jw_num(w, k, v / unit);
  else
    jw_s(w, k, NULL);
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

static void jw_group(jw_t *w, const char *k, const jz_group_stats_t *g) {
  jw_open(w, k, '{');
  jw_int(w, "jobs", g->jobs);
  jw_int(w, "rejected", g->rejected);
  jw_dist(w, "wait", &g->wait);
  jw_num(w, "mean_bounded_slowdown", g->mean_bsld);
  jw_close(w, '}');
}

int jz_report_summary_json(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                           const jz_run_desc_t *d, const jz_summary_t *sm,
                           const jz_engine_stats_t *es) {
  const jz_experiment_t *e = d->e;
  const jz_platform_t *p = s->platform;
  jw_t w = {f, 0, true};
  jw_open(&w, NULL, '{');
  jw_s(&w, "jzsim_version", JZ_VERSION);
  jw_open(&w, "inputs", '{');
  jw_open(&w, "platform", '{');
  jw_file_id(&w, d->platform_id);
  jw_close(&w, '}');
  if (d->experiment_id) {
    jw_open(&w, "experiment", '{');
    jw_file_id(&w, d->experiment_id);
    jw_close(&w, '}');
  }
  jw_open(&w, "workloads", '[');
  for (int i = 0; i < e->n_workloads; i++) {
    const jz_workload_spec_t *wd = &e->workloads[i];
    jw_open(&w, NULL, '{');
    jw_file_id(&w, &d->workload_ids[i]);
    jw_s(&w, "name", wd->name);
    jw_s(&w, "format", wd->format_used);
    jw_s(&w, "partition", p->partitions[wd->part].name);
    jw_num(&w, "scale", wd->scale);
    jw_num(&w, "offset", wd->offset);
    /* Only when resampled (docs/formats.md "Resampling"), so other runs' files are unchanged. */
    if (wd->resample_days && wd->seed != 0) jw_int(&w, "resample_days_seed", (long long)wd->seed);
    jw_num(&w, "shift", wd->shift);
    jw_int(&w, "lines", wd->info.lines);
    jw_int(&w, "job_lines", wd->info.job_lines);
    jw_int(&w, "jobs", wd->n_jobs);
    jw_open(&w, "missing_fields", '[');
    for (int k = 0; k < wd->info.n_missing; k++) jw_s(&w, NULL, wd->info.missing[k]);
    jw_close(&w, ']');
    jw_open(&w, "notes", '[');
    for (int k = 0; k < wd->info.n_notes; k++) jw_s(&w, NULL, wd->info.notes[k]);
    jw_close(&w, ']');
    jw_close(&w, '}');
  }
  jw_close(&w, ']');
  jw_s(&w, "policy", d->policy);
  if (d->plugin_id) { /* a policy plugin: which file, so that a run can be told apart */
    jw_open(&w, "policy_plugin", '{');
    jw_file_id(&w, d->plugin_id);
    jw_s(&w, "name", d->policy);
    jw_s(&w, "params", d->plugin_params);
    jw_close(&w, '}');
  }
  jw_open(&w, "options", '{');
  jw_int(&w, "procs_per_node", e->procs_per_node);
  jw_int(&w, "max_jobs", e->max_jobs);
  jw_bool(&w, "lenient", e->lenient);
  if (e->missing_walltime > 0)
    jw_num(&w, "missing_walltime", e->missing_walltime);
  else
    jw_s(&w, "missing_walltime", "queue max walltime, else run time");
  jw_bool(&w, "split_long_jobs", e->split_long_jobs);
  jw_num(&w, "restart_cost", e->restart_cost);
  jw_bool(&w, "walltime_enforced", true);
  if (d->network_model) jw_s(&w, "network_model", d->network_model);
  jw_close(&w, '}');
  jw_close(&w, '}');

  jw_open(&w, "defaults", '[');
  for (int i = 0; i < d->m->n_notes; i++) {
    const jz_default_note_t *n = &d->m->notes[i];
    jw_open(&w, NULL, '{');
    jw_s(&w, "workload", e->workloads[n->workload].name);
    jw_s(&w, "field", n->field);
    jw_s(&w, "filled_with", n->rule);
    jw_int(&w, "jobs", n->jobs);
    jw_close(&w, '}');
  }
  jw_close(&w, ']');

  jw_open(&w, "jobs", '{');
  jw_int(&w, "read", sm->read);
  jw_int(&w, "rows", s->njobs); /* jobs.csv rows: chains add a row per later segment */
  jw_int(&w, "ran", sm->ran);
  jw_int(&w, "completed_successfully", sm->completed);
  jw_int(&w, "completed_failed", sm->failed);
  jw_int(&w, "completed_walltime_reached", sm->walltime);
  jw_int(&w, "rejected", sm->rejected);
  jw_open(&w, "rejected_by_reason", '{');
  for (int r = 1; r < JZ_REJECT_COUNT; r++)
    if (sm->rejected_by[r]) jw_int(&w, jz_reject_reason((jz_reject_t)r), sm->rejected_by[r]);
  jw_close(&w, '}');
  jw_int(&w, "skipped", jz_job_table_skipped_total(t));
  jw_open(&w, "skipped_by_reason", '{');
  for (int r = 0; r < t->n_skip_reasons; r++) jw_int(&w, t->skipped[r].reason, t->skipped[r].count);
  jw_close(&w, '}');
  jw_int(&w, "malformed_lines_skipped", t->malformed);
  jw_int(&w, "held_by_queue_limits", sm->held);
  jw_int(&w, "chains", d->m->chains);
  jw_int(&w, "chain_segments", d->m->segments);
  if (d->network_model) jw_int(&w, "flow_jobs", d->flow_jobs);
  jw_close(&w, '}');
  /* The chains as the trace jobs they replay (stats.h): what a longer queue limit saves them. */
  jw_open(&w, "chains", '{');
  jw_int(&w, "count", sm->chains);
  jw_dist(&w, "turnaround", &sm->chain_turnaround);
  jw_dist(&w, "wait", &sm->chain_wait);
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
  jw_num_or_null(&w, "energy_joules", sm->energy, 1);
  jw_num_or_null(&w, "energy_mwh", sm->energy, JZ_JOULES_PER_MWH);
  jw_num_or_null(&w, "energy_busy_mwh", sm->energy_busy, JZ_JOULES_PER_MWH);
  jw_num_or_null(&w, "energy_idle_mwh", sm->energy_idle, JZ_JOULES_PER_MWH);
  jw_num_or_null(&w, "heat_reuse_fraction", p->has_heat_reuse ? p->heat_reuse_fraction : -1, 1);
  jw_num_or_null(&w, "heat_reused_mwh", sm->heat_reused, JZ_JOULES_PER_MWH);
  jw_open(&w, "partitions", '{');
  for (int i = 0; i < sm->n_parts; i++) {
    jw_open(&w, p->partitions[i].name, '{');
    jw_int(&w, "nodes", s->res.parts[i].nodes);
    jw_int(&w, "cores", s->res.parts[i].total_cores);
    jw_int(&w, "gpus", s->res.parts[i].total_gpus);
    jw_int(&w, "jobs", sm->parts[i].jobs);
    jw_int(&w, "rejected", sm->parts[i].rejected);
    jw_num(&w, "core_seconds", sm->parts[i].core_seconds);
    jw_num(&w, "utilisation", sm->parts[i].utilisation);
    jw_num(&w, "gpu_seconds", sm->parts[i].gpu_seconds);
    jw_num(&w, "gpu_utilisation", sm->parts[i].gpu_utilisation);
    jw_num_or_null(&w, "energy_joules", sm->parts[i].energy, 1);
    jw_num_or_null(&w, "energy_mwh", sm->parts[i].energy, JZ_JOULES_PER_MWH);
    jw_num_or_null(&w, "energy_busy_mwh", sm->parts[i].energy_busy, JZ_JOULES_PER_MWH);
    jw_num_or_null(&w, "energy_idle_mwh", sm->parts[i].energy_idle, JZ_JOULES_PER_MWH);
    jw_close(&w, '}');
  }
  jw_close(&w, '}');
  jw_open(&w, "queues", '{');
  for (int k = 0; k < sm->n_queues; k++) jw_group(&w, s->keys[k].name, &sm->queues[k]);
  jw_close(&w, '}');
  jw_open(&w, "reservations", '{');
  for (int k = 0; k < sm->n_resv; k++) {
    const jz_reservation_t *rv = &p->reservations[k];
    jw_open(&w, rv->name, '{');
    jw_s(&w, "partition", p->partitions[rv->partition].name);
    jw_int(&w, "nodes", rv->nodes);
    jw_num(&w, "utilisation", sm->resv_utilisation[k]);
    /* Borrowers' share (lend_idle), not counted in the allocation's own utilisation. */
    double cap = s->with_reservations ? (double)jz_sched_resv_units(s, k) * s->resv[k].window_s : 0;
    jw_num(&w, "lent_utilisation", cap > 0 ? s->resv[k].lent_units_s / cap : 0);
    jw_num(&w, "window_seconds", s->with_reservations ? s->resv[k].window_s : 0);
    jw_group(&w, "accounts_jobs", &sm->members[k]);
    jw_close(&w, '}');
  }
  jw_close(&w, '}');
  jw_group(&w, "other_jobs", &sm->others);
  if (d->baseline) {
    /* Everybody else's service with and without the dedicated allocations. */
    jw_open(&w, "price_of_dedication", '{');
    jw_group(&w, "with_reservations", &sm->others);
    jw_group(&w, "without_reservations", &d->baseline->others);
    jw_close(&w, '}');
  }
  jw_open(&w, "engine", '{');
  jw_int(&w, "events", (long long)es->events);
  jw_int(&w, "passes", (long long)es->passes);
  jw_close(&w, '}');
  jw_close(&w, '}');
  fputc('\n', f);
  return ferror(f) ? -JZ_EIO : 0;
}

static void print_group(FILE *f, const char *label, const jz_group_stats_t *g) {
  fprintf(f, "  %-22s %7ld jobs  wait mean %9.0f s  p95 %9.0f s  bsld %7.2f\n", label, g->jobs,
          g->wait.mean, g->wait.p95, g->mean_bsld);
}

void jz_report_print(FILE *f, const jz_sched_t *s, const jz_job_table_t *t,
                     const jz_run_desc_t *d, const jz_summary_t *sm) {
  const jz_experiment_t *e = d->e;
  const jz_platform_t *p = s->platform;
  fprintf(f, "jzsim %s: policy %s on %s\n", JZ_VERSION, d->policy, d->platform_name);
  for (int i = 0; i < e->n_workloads; i++)
    fprintf(f, "  workload %s (%s) -> %s\n", e->workloads[i].path, e->workloads[i].format_used,
            p->partitions[e->workloads[i].part].name);
  fprintf(f, "jobs              %ld read, %ld ran, %ld skipped, %ld rejected", sm->read, sm->ran,
          jz_job_table_skipped_total(t), sm->rejected);
  if (s->njobs > s->n_static)
    fprintf(f, " (ran: %u rows are later segments of chains)", s->njobs - s->n_static);
  fputc('\n', f);
  for (int r = 0; r < t->n_skip_reasons; r++)
    fprintf(f, "  skipped         %ld: %s\n", t->skipped[r].count, t->skipped[r].reason);
  if (t->malformed) fprintf(f, "  skipped         %ld: malformed lines (--lenient)\n", t->malformed);
  for (int r = 1; r < JZ_REJECT_COUNT; r++)
    if (sm->rejected_by[r])
      fprintf(f, "  rejected        %ld: %s\n", sm->rejected_by[r], jz_reject_reason((jz_reject_t)r));
  for (int i = 0; i < d->m->n_notes; i++)
    fprintf(f, "  default         %ld: %s (%s) = %s\n", d->m->notes[i].jobs, d->m->notes[i].field,
            e->workloads[d->m->notes[i].workload].name, d->m->notes[i].rule);
  if (d->m->chains)
    fprintf(f, "  chains          %ld jobs split into %ld segments (--split-long-jobs), "
            "turnaround mean %.0f s, p95 %.0f s\n",
            d->m->chains, d->m->segments, sm->chain_turnaround.mean, sm->chain_turnaround.p95);
  if (sm->held) fprintf(f, "  held            %ld jobs waited on a queue limit\n", sm->held);
  fprintf(f, "outcome           %ld completed, %ld failed, %ld killed at walltime\n", sm->completed,
          sm->failed, sm->walltime);
  fprintf(f, "wait (s)          mean %.1f, median %.1f, p95 %.1f, max %.1f\n", sm->wait.mean,
          sm->wait.median, sm->wait.p95, sm->wait.max);
  fprintf(f, "bounded slowdown  mean %.2f (tau %.0f s)\n", sm->mean_bsld, JZ_BSLD_TAU);
  for (int i = 0; i < sm->n_parts; i++) {
    if (!sm->parts[i].jobs && !sm->parts[i].rejected) continue;
    if (s->res.parts[i].total_gpus)
      fprintf(f, "utilisation       %s %.1f %% of GPUs, %.1f %% of cores\n", p->partitions[i].name,
              100.0 * sm->parts[i].gpu_utilisation, 100.0 * sm->parts[i].utilisation);
    else
      fprintf(f, "utilisation       %s %.1f %% of cores\n", p->partitions[i].name,
              100.0 * sm->parts[i].utilisation);
  }
  if (p->n_queues > 0) {
    fprintf(f, "queues\n");
    for (int k = 0; k < sm->n_queues; k++)
      if (sm->queues[k].jobs || sm->queues[k].rejected) print_group(f, s->keys[k].name, &sm->queues[k]);
  }
  if (sm->n_resv > 0) {
    fprintf(f, "dedicated allocations\n");
    for (int k = 0; k < sm->n_resv; k++) {
      char label[64];
      fprintf(f, "  %s: %d nodes of %s, %.1f %% busy while held\n", p->reservations[k].name,
              p->reservations[k].nodes, p->partitions[p->reservations[k].partition].name,
              100.0 * sm->resv_utilisation[k]);
      snprintf(label, sizeof label, "%s accounts", p->reservations[k].name);
      print_group(f, label, &sm->members[k]);
    }
    print_group(f, "everybody else there", &sm->others);
  }
  if (d->baseline) {
    const jz_group_stats_t *a = &sm->others, *b = &d->baseline->others;
    fprintf(f, "price of dedication (the other jobs of partitions with a dedicated allocation)\n");
    fprintf(f, "  %-22s %14s %14s\n", "", "with", "without");
    fprintf(f, "  %-22s %12.0f s %12.0f s\n", "mean wait", a->wait.mean, b->wait.mean);
    fprintf(f, "  %-22s %12.0f s %12.0f s\n", "p95 wait", a->wait.p95, b->wait.p95);
    fprintf(f, "  %-22s %14.2f %14.2f\n", "mean bounded slowdown", a->mean_bsld, b->mean_bsld);
  }
  if (sm->energy >= 0) {
    fprintf(f, "energy            %.1f MWh over the makespan (node power linear in its busy share)\n",
            sm->energy / JZ_JOULES_PER_MWH);
    fprintf(f, "  %-22s %9.1f MWh busy (jobs' shares), %9.1f MWh idle\n", "all partitions",
            sm->energy_busy / JZ_JOULES_PER_MWH, sm->energy_idle / JZ_JOULES_PER_MWH);
    for (int i = 0; i < sm->n_parts; i++)
      if (sm->parts[i].energy >= 0)
        fprintf(f, "  %-22s %9.1f MWh busy, %9.1f MWh idle\n", p->partitions[i].name,
                sm->parts[i].energy_busy / JZ_JOULES_PER_MWH,
                sm->parts[i].energy_idle / JZ_JOULES_PER_MWH);
    if (sm->heat_reused >= 0)
      fprintf(f, "  %-22s %9.1f MWh recovered for heating (heat_reuse fraction %g)\n", "heat reused",
              sm->heat_reused / JZ_JOULES_PER_MWH, p->heat_reuse_fraction);
  }
  fprintf(f, "makespan          %.0f s (%.2f d), first submit %.0f s, last finish %.0f s\n", sm->span,
          sm->span / 86400.0, sm->first_submit, sm->last_finish);
}
