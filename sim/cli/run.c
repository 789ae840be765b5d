/* run.c: `jzsim run`, replay workloads on a platform under a batch policy.
 *
 * Reading and mapping the traces runs in a second thread while SimGrid starts; the platform is
 * loaded after them (the whole machine only when some job runs as SimGrid work);
 * input hashing and jobs.csv writing use the second core while the simulation and the
 * statistics use the first (docs/performance.md). */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "exec/flow.h"
#include "experiment.h"
#include "job.h"
#include "metrics/jobs_csv.h"
#include "metrics/report.h"
#include "metrics/stats.h"
#include "metrics/timeseries.h"
#include "outfile.h"
#include "platform.h"
#include "sched/engine.h"
#include "sched/plugin.h"
#include "sched/policy.h"
#include "sgopts.h"
#include "units.h"
#include "workload/cache.h"
#include "workload/reader.h"
#include "yamlx.h"

static const char HELP_RUN[] =
    "usage: jzsim run --platform P.yaml --workload [PART=]FILE[:scale=K,offset=D,format=F]... [OPTIONS]\n"
    "       jzsim run --experiment E.yaml [OPTIONS]\n"
    "\n"
    "Replays workloads on a platform under a batch policy and writes DIR/jobs.csv,\n"
    "DIR/summary.json, DIR/queues.csv and DIR/utilisation.csv, committed together: DIR holds\n"
    "the previous run's outputs or the new ones, never a mix (README, \"Outputs\").\n"
    "\n"
    "  --platform FILE        platform YAML (schema: platforms/README.md)\n"
    "  --experiment FILE      experiment YAML: platform, policy, workloads, queues,\n"
    "                         reservations, options (docs/formats.md); flags override it\n"
    "  --workload [PART=]FILE[:OPTS]\n"
    "                         a trace to replay on partition PART (default: the first partition\n"
    "                         without GPUs); repeatable. OPTS: scale=K (arrival rate x K),\n"
    "                         offset=D (shift by a duration, e.g. 7d), format=F, and for what\n"
    "                         the trace lacks: account=A, user=U, queue=Q, walltime=D;\n"
    "                         work profiles for its GPU jobs: profile=ai_training,\n"
    "                         recorded_on=MODEL, split=C/M/I, efficiency=E, precision=P, tier=T;\n"
    "                         resample=days,seed=N (a day block bootstrap, docs/formats.md)\n"
    "  --format NAME          force the trace format: swf, itp, philly, openb, sacct, jobs-csv,\n"
    "                         jobs-yaml (default: a name ending .swf[.gz] is swf, .yaml/.yml\n"
    "                         jobs-yaml; else recognised from the content)\n"
    "  --policy NAME          batch policy (see below)                              default easy\n"
    "  --order NAME           queue order within a queue priority: submit, sjf, ljf (shortest,\n"
    "                         longest requested time first), small, large (fewest, most\n"
    "                         cores or GPUs first), wfp3 ((wait/requested)^3 x size, re-\n"
    "                         evaluated at every instant); ties by submission  default submit\n"
    "  --policy-plugin LIB.so[:KEY=VALUE,...]\n"
    "                         a policy of your own, built against <jzsim/policy.h> and loaded\n"
    "                         with dlopen; KEY=VALUE go to its init (docs/policies.md)\n"
    "  --out DIR              output directory, created if missing; replaced as a whole, so it\n"
    "                         may hold only jzsim's files                           default out\n"
    "  --partition NAME       partition of workloads given without PART=\n"
    "  --procs-per-node N     SWF traces count N processors per node: a job of P processors\n"
    "                         takes ceil(P/N) whole nodes   default: processors are cores\n"
    "  --max-jobs N           replay only the first N jobs of each trace            default all\n"
    "  --missing-walltime D   requested time of jobs whose trace has none (e.g. 20h)\n"
    "                         default: their queue's max walltime, else their run time\n"
    "  --network-model NAME   SimGrid model pricing jobs with a work profile (docs/models.md):\n"
    "                         ptask_L07, CM02 or LV08                         default ptask_L07\n"
    "  --split-long-jobs      a job longer than every queue's max walltime becomes a chain of\n"
    "                         checkpoint/restart segments instead of being rejected\n"
    "  --baseline without-reservations\n"
    "                         also run without the dedicated allocations and print everybody\n"
    "                         else's waits side by side (the price of dedication)\n"
    "  --lenient              skip malformed trace lines (counted) instead of failing\n"
    "  --quiet                no progress on stderr\n"
    "  --timings              print wall-clock time per phase on stderr (not in outputs)\n"
    "  --cfg=NAME:VALUE       SimGrid configuration, passed through\n"
    "  --log=SPEC             SimGrid/XBT logging, e.g. --log=jz_engine.thres:verbose\n"
    "\n"
    "policies:\n";

static void help_run(FILE *f) {
  fputs(HELP_RUN, f);
  for (const jz_policy_t *const *p = jz_policy_list(); *p; p++)
    fprintf(f, "  %-8s %s\n", (*p)->name, (*p)->summary);
}

typedef struct run_opts {
  const char *platform, *experiment, *policy, *policy_plugin, *order, *out, *partition, *format,
      *network_model;
  const char **workloads;
  int n_workloads;
  long procs_per_node, max_jobs;
  double missing_walltime;
  bool lenient, quiet, timings, split, baseline;
  char **sg_argv; /* program name + --cfg/--log arguments for SimGrid */
  int sg_argc;
  int sg_user;    /* of which the user's (the rest select the network model) */
} run_opts_t;

/* Positive integer option value, strictly parsed. */
static int opt_count(const char *name, const char *v, long *out) {
  long long x;
  if (jz_units_parse_ll(v, &x) != 0 || x <= 0 || x > INT_MAX)
    return jz_cli_usage("%s: '%s' is not a positive integer", name, v);
  *out = (long)x;
  return 0;
}

enum {
  OPT_PLATFORM, OPT_EXPERIMENT, OPT_WORKLOAD, OPT_FORMAT, OPT_POLICY, OPT_OUT, OPT_PARTITION,
  OPT_PPN, OPT_MAX_JOBS, OPT_MISSING_WALLTIME, OPT_BASELINE, OPT_ORDER, OPT_NETMODEL,
  OPT_POLICY_PLUGIN, OPT_N
};

/* --cfg/--log options: SimGrid aborts on a bad one (sgopts.h), so check them first: --log by
 * its grammar, then all of them in a trial run; when the trial fails with several options, each
 * alone finds the one SimGrid refuses. Runs before any thread exists (the trial forks). */
static int check_simgrid_options(const run_opts_t *o) {
  char why[400];
  for (int i = 1; i < o->sg_argc; i++)
    if (strncmp(o->sg_argv[i], "--log=", 6) == 0 && jz_sgopts_check_log(o->sg_argv[i] + 6, why, sizeof why))
      return jz_cli_usage("%s: %s", o->sg_argv[i], why);
  for (int i = 1; i < o->sg_argc; i++)
    if (strncmp(o->sg_argv[i], "--cfg=", 6) == 0 && jz_sgopts_check_cfg(o->sg_argv[i] + 6, why, sizeof why))
      return jz_cli_usage("%s: %s", o->sg_argv[i], why);
  if (o->sg_argc < 2) return 0;
  int rc = jz_sgopts_trial(o->sg_argc, o->sg_argv, why, sizeof why);
  if (rc == -JZ_EIO) return jz_cli_usage("%s%s", why, "");
  if (rc == 0) return 0;
  for (int i = 1; i < o->sg_argc && o->sg_argc > 2; i++) {
    char *one[] = {o->sg_argv[0], o->sg_argv[i], NULL};
    char why1[400];
    if (jz_sgopts_trial(2, one, why1, sizeof why1) == -JZ_EINVAL)
      return jz_cli_usage("%s: SimGrid refuses it: %s", o->sg_argv[i], why1);
  }
  if (o->sg_argc == 2) return jz_cli_usage("%s: SimGrid refuses it: %s", o->sg_argv[1], why);
  return jz_cli_usage("--cfg/--log: SimGrid refuses these options together: %s%s", why, "");
}

static int parse_run(int argc, char **argv, run_opts_t *o) {
  *o = (run_opts_t){.out = "out"};
  /* Room for the network model's --cfg arguments too (jz_netmodel_cfg: at most 3). */
  o->sg_argv = calloc((size_t)argc + 6, sizeof *o->sg_argv);
  o->workloads = calloc((size_t)argc + 1, sizeof *o->workloads);
  if (!o->sg_argv || !o->workloads) return jz_cli_usage("%s%s", "out of memory", "");
  o->sg_argv[o->sg_argc++] = "jzsim";
  int seen[OPT_N] = {0};
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0) {
      o->sg_argv[o->sg_argc++] = argv[i];
      continue;
    }
    if (strcmp(a, "--lenient") == 0) { o->lenient = true; continue; }
    if (strcmp(a, "--quiet") == 0) { o->quiet = true; continue; }
    if (strcmp(a, "--timings") == 0) { o->timings = true; continue; }
    if (strcmp(a, "--split-long-jobs") == 0) { o->split = true; continue; }
    /* Options with a value: "--name value" or "--name=value". */
    static const char *const valued[OPT_N] = {
        "--platform", "--experiment", "--workload", "--format", "--policy", "--out",
        "--partition", "--procs-per-node", "--max-jobs", "--missing-walltime", "--baseline",
        "--order", "--network-model", "--policy-plugin"};
    const char *val = NULL;
    int which = -1;
    for (int k = 0; k < OPT_N; k++) {
      size_t n = strlen(valued[k]);
      if (strncmp(a, valued[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
        which = k;
        if (a[n] == '=') {
          val = a + n + 1;
        } else if (i + 1 < argc) {
          val = argv[++i];
        } else {
          return jz_cli_usage("run: option '%s' needs a value%s", valued[k], "");
        }
        break;
      }
    }
    if (which < 0) return jz_cli_usage("run: unknown option '%s'%s", a, " (see 'jzsim help run')");
    if (*val == '\0') return jz_cli_usage("run: option '%s' needs a value%s", valued[which], "");
    /* Every option but --workload is given once (jz_cli_once). */
    if (which != OPT_WORKLOAD && jz_cli_once("run", valued[which], val, &seen[which])) return JZ_EXIT_BAD;
    int rc = 0;
    switch (which) {
      case OPT_PLATFORM: o->platform = val; break;
      case OPT_EXPERIMENT: o->experiment = val; break;
      case OPT_WORKLOAD: o->workloads[o->n_workloads++] = val; break;
      case OPT_FORMAT:
        if (!jz_reader_find(val))
          return jz_cli_usage("--format: unknown format '%s'%s", val,
                             " (formats: swf, itp, philly, openb, sacct, jobs-csv, jobs-yaml)");
        o->format = val;
        break;
      case OPT_POLICY: o->policy = val; break;
      case OPT_POLICY_PLUGIN: o->policy_plugin = val; break;
      case OPT_OUT: o->out = val; break;
      case OPT_PARTITION: o->partition = val; break;
      case OPT_PPN: rc = opt_count("--procs-per-node", val, &o->procs_per_node); break;
      case OPT_MAX_JOBS: rc = opt_count("--max-jobs", val, &o->max_jobs); break;
      case OPT_MISSING_WALLTIME: {
        char why[128];
        /* Say why the parser refused it: "'3600' is not a positive duration" was wrong (it is
         * positive; it lacks its unit). */
        if (jz_units_parse(val, JZ_UNIT_TIME, &o->missing_walltime, why, sizeof why) != 0)
          rc = jz_cli_usage("--missing-walltime: %s%s", why, "");
        else if (o->missing_walltime <= 0)
          rc = jz_cli_usage("--missing-walltime: '%s' is not a positive duration (e.g. 20h)%s", val, "");
        else if (o->missing_walltime > JZ_TIME_MAX)
          rc = jz_cli_usage("--missing-walltime: '%s' is beyond 4294967296 s (2^32 s, about 136 years)%s",
                            val, "");
        break;
      }
      case OPT_ORDER:
        if (jz_order_find(val) < 0)
          rc = jz_cli_usage("--order: unknown order '%s' (orders: %s)", val, JZ_ORDER_NAMES);
        o->order = val;
        break;
      case OPT_NETMODEL:
        if (jz_netmodel_find(val) < 0)
          return jz_cli_usage("--network-model: unknown model '%s'%s", val,
                              " (models: ptask_L07, CM02, LV08)");
        o->network_model = val;
        break;
      case OPT_BASELINE:
        if (strcmp(val, "without-reservations") != 0)
          rc = jz_cli_usage("--baseline: unknown baseline '%s'%s", val, " (baselines: without-reservations)");
        o->baseline = true;
        break;
    }
    if (rc) return rc;
  }
  o->sg_argv[o->sg_argc] = NULL;
  o->sg_user = o->sg_argc;
  if (!o->platform && !o->experiment)
    return jz_cli_usage("run: --platform (or --experiment) is required%s%s", "", "");
  if (!o->n_workloads && !o->experiment)
    return jz_cli_usage("run: --workload (or --experiment) is required%s%s", "", "");
  if (o->policy && o->policy_plugin)
    return jz_cli_usage("run: give --policy or --policy-plugin, not both%s%s", "", "");
  if (o->policy && !jz_policy_find(o->policy)) {
    char names[256];
    return jz_cli_usage("run: unknown policy '%s' (policies: %s)", o->policy,
                        jz_policy_names(names, sizeof names));
  }
  return check_simgrid_options(o);
}

/* The experiment: its file first (if any), then the command line on top. */
static int build_experiment(const run_opts_t *o, jz_experiment_t *e, jz_error_t *err) {
  int rc;
  if (o->experiment && (rc = jz_experiment_load(e, o->experiment, err))) return rc;
  if (o->platform) {
    free(e->platform_path);
    if (!(e->platform_path = strdup(o->platform))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (!e->platform_path)
    return jz_error_set(err, -JZ_EINVAL, "%s: no 'platform' (or give --platform)", o->experiment);
  /* A policy on the command line replaces the file's, built in or plugin. */
  if (o->policy || o->policy_plugin) {
    free(e->policy);
    free(e->policy_plugin);
    e->policy = e->policy_plugin = NULL;
  }
  if (o->order) {
    free(e->order);
    if (!(e->order = strdup(o->order))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (o->policy && !(e->policy = strdup(o->policy))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (o->policy_plugin && !(e->policy_plugin = strdup(o->policy_plugin)))
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (!e->policy_plugin && !e->policy && !(e->policy = strdup("easy")))
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (e->policy && !jz_policy_find(e->policy)) {
    char names[256];
    return jz_error_set(err, -JZ_EINVAL, "%s: unknown policy '%s' (policies: %s)",
                        o->experiment ? o->experiment : "run", e->policy,
                        jz_policy_names(names, sizeof names));
  }
  /* slurm orders its queue by multifactor priority: a queue order would be ignored while the
   * outputs named the policy "slurm/sjf", so it is refused (submit, the default, is harmless). */
  if (e->policy && !strcmp(e->policy, "slurm") && e->order && jz_order_find(e->order) != JZ_ORDER_SUBMIT) {
    const char *why = "Slurm's multifactor priority orders its queue (weights in the slurm: section, docs/policies.md)";
    const jz_yamlx_node_t *n = o->order || !e->doc ? NULL : jz_yamlx_map_get(e->doc->root, "order");
    if (n)
      return jz_error_at(err, -JZ_EINVAL, o->experiment, n->line, n->col,
                         "order '%s' does not apply to policy 'slurm': %s", e->order, why);
    return jz_error_set(err, -JZ_EINVAL, "run: --order %s does not apply to policy 'slurm': %s", e->order, why);
  }
  if (o->n_workloads) {
    /* Workloads on the command line replace the file's. */
    for (int i = 0; i < e->n_workloads; i++) jz_workload_spec_free(&e->workloads[i]);
    e->n_workloads = 0;
    for (int i = 0; i < o->n_workloads; i++)
      if ((rc = jz_experiment_add_workload(e, o->workloads[i], err))) return rc;
  }
  if (e->n_workloads == 0)
    return jz_error_set(err, -JZ_EINVAL, "%s: no workload (give 'workloads' or --workload)", o->experiment);
  for (int i = 0; o->partition && i < e->n_workloads; i++)
    if (!e->workloads[i].partition && !(e->workloads[i].partition = strdup(o->partition)))
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (o->format) {
    free(e->format);
    if (!(e->format = strdup(o->format))) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (o->procs_per_node) e->procs_per_node = o->procs_per_node;
  if (o->max_jobs) e->max_jobs = o->max_jobs;
  if (o->missing_walltime > 0) e->missing_walltime = o->missing_walltime;
  if (o->network_model) {
    free(e->network_model);
    if (!(e->network_model = strdup(o->network_model)))
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  e->lenient |= o->lenient;
  e->split_long_jobs |= o->split;
  e->baseline |= o->baseline;
  return 0;
}

/* Reading and mapping the traces runs in a second thread while the main thread loads the
 * platform into SimGrid: they share nothing but the (read-only) platform model. */
typedef struct reader_job {
  jz_experiment_t *e;
  const jz_platform_t *p;
  jz_job_table_t *t;
  jz_mapping_t *m;
  jz_error_t err;
  int rc;
  double wall;
} reader_job_t;

static void *read_and_map(void *arg) {
  reader_job_t *r = arg;
  double w = jz_cli_wall();
  r->rc = jz_experiment_read(r->e, r->p, r->t, &r->err);
  if (r->rc == 0) r->rc = jz_experiment_map(r->e, r->p, r->t, r->m, &r->err);
  r->wall = jz_cli_wall() - w;
  return NULL;
}

/* The engine's hook after every instant: the time series, and the rows of jobs.csv that
 * have become final (jobs_csv.h). */
typedef struct instant_hooks {
  jz_ts_t *ts;
  jz_csvstream_t *csv;
} instant_hooks_t;

static int on_instant(void *ctx, const jz_sched_t *s) {
  instant_hooks_t *h = ctx;
  int rc = h->csv ? jz_csvstream_note(h->csv, s) : 0;
  return rc ? rc : jz_ts_record(h->ts, s);
}

typedef struct csv_job {
  FILE *f;
  const jz_sched_t *s;
  const jz_job_table_t *t;
  const jz_run_desc_t *d;
  int rc;
} csv_job_t;

static void *write_jobs_csv(void *arg) {
  csv_job_t *c = arg;
  c->rc = jz_report_jobs_csv(c->f, c->s, c->t, c->d);
  return NULL;
}

static double *loop_cpu_slot;
void jz_cli_report_loop_cpu(double *slot) { loop_cpu_slot = slot; }

/* The four outputs, written into a work directory and committed together (outfile.h). */
enum { OUT_JOBS, OUT_SUMMARY, OUT_QUEUES, OUT_UTIL, OUT_N };
static const char *const out_names[OUT_N] = {"jobs.csv", "summary.json", "queues.csv",
                                             "utilisation.csv"};

/* The network model's --cfg settings go first, so that the user's own --cfg overrides them;
 * the configuration changes they make are not worth a line on stderr. */
static void add_model_cfg(run_opts_t *o, jz_netmodel_t model) {
  static const char quiet[] = "--log=xbt_cfg.thres:warning";
  const char *const *mc = jz_netmodel_cfg(model);
  int nm = 0;
  while (mc[nm]) nm++;
  int add = nm + 1;
  memmove(o->sg_argv + 1 + add, o->sg_argv + 1, (size_t)o->sg_argc * sizeof *o->sg_argv);
  o->sg_argv[1] = (char *)quiet;
  for (int k = 0; k < nm; k++) o->sg_argv[2 + k] = (char *)mc[k];
  o->sg_argc += add;
}

static int cmd_run(int argc, char **argv) {
  run_opts_t o;
  int status = parse_run(argc, argv, &o);
  if (status) {
    free(o.sg_argv);
    free(o.workloads);
    return status;
  }
  jz_error_t err = {0};
  jz_experiment_t e;
  jz_platform_t *p = NULL;
  jz_job_table_t t;
  jz_mapping_t m;
  jz_sched_t s, sb;
  jz_summary_t sm, smb;
  jz_outdir_t out;
  jz_ts_t ts;
  jz_file_id_t *ids = NULL;
  jz_hasher_t hasher = {0};
  jz_plugin_t *plugin = NULL;
  jz_flow_t *flow[2] = {NULL, NULL};
  jz_csvstream_t *csv_stream = NULL;
  jz_experiment_init(&e);
  jz_job_table_init(&t);
  memset(&m, 0, sizeof m);
  memset(&s, 0, sizeof s);
  memset(&sb, 0, sizeof sb);
  memset(&sm, 0, sizeof sm);
  memset(&smb, 0, sizeof smb);
  memset(&out, 0, sizeof out);
  out.work_fd = -1;
  memset(&ts, 0, sizeof ts);
  double w_start = jz_cli_wall(), w_read = 0, w_load = 0, w_sim = 0, w_write = 0, w;

  if (build_experiment(&o, &e, &err)) goto bad;
  /* A plugin that cannot be loaded is known before anything else is read. */
  if (e.policy_plugin && jz_plugin_open(&plugin, e.policy_plugin, &err)) goto bad;
  /* An --out that cannot be replaced is known now, not after the simulation. */
  if (jz_outdir_check(o.out, &err)) goto bad;
  if (jz_platform_load(e.platform_path, &p, &err)) goto bad;
  if (jz_experiment_apply_sections(&e, p, &err)) goto bad;
  jz_netmodel_t model =
      e.network_model ? (jz_netmodel_t)jz_netmodel_find(e.network_model) : JZ_NET_L07;
  add_model_cfg(&o, model);
  reader_job_t rj = {.e = &e, .p = p, .t = &t, .m = &m};
  pthread_t reader;
  bool threaded = pthread_create(&reader, NULL, read_and_map, &rj) == 0;
  if (!threaded) read_and_map(&rj);
  /* SimGrid starts while the traces are read; the platform is loaded once they are, whole only
   * if some job runs as SimGrid work (delay jobs need SimGrid's clock alone). */
  jz_engine_init(&o.sg_argc, o.sg_argv);
  /* After SimGrid's initialisation, which installs a SIGINT handler of its own: from here an
   * interrupted run removes its work directory and dies of the signal (status 128 + n). */
  jz_outdir_handle_signals();
  if (threaded) pthread_join(reader, NULL);
  w_read = rj.wall;
  /* A bad trace is the user's first concern; a platform SimGrid cannot load comes next. */
  if (rj.rc) {
    err = rj.err;
    goto bad;
  }
  bool any_flow = false;
  for (size_t i = 0; i < t.n && !any_flow; i++) any_flow = (t.jobs[i].flags & JZ_JOB_FLOW) != 0;
  w = jz_cli_wall();
  if (jz_engine_load_platform(p, any_flow, &err)) goto bad;
  w_load = jz_cli_wall() - w;
  /* An empty trace is not an error (a quiet day is a valid input) but is worth a word. */
  for (int i = 0; i < e.n_workloads; i++)
    if (e.workloads[i].n_jobs == 0)
      fprintf(stderr, "jzsim: warning: %s: no job to replay (%ld job record%s read, none kept)\n",
              e.workloads[i].path, e.workloads[i].info.job_lines,
              e.workloads[i].info.job_lines == 1 ? "" : "s");
  /* Hash the inputs on the second core while the simulation runs on the first. */
  ids = calloc((size_t)e.n_workloads + 3, sizeof *ids);
  if (!ids) goto oom;
  ids[0].path = e.platform_path;
  ids[1].path = o.experiment; /* NULL without one: skipped */
  /* A trace the sweep process has hashed already (workload/cache.h) is not hashed again: its
   * path is hidden from the hasher and put back after the join. */
  for (int i = 0; i < e.n_workloads; i++) {
    jz_file_id_t *id = &ids[2 + i];
    id->path = e.workloads[i].path;
    if (jz_trace_cache_sha256(id->path, id->sha256, &id->bytes)) id->path = NULL;
  }
  ids[2 + e.n_workloads].path = plugin ? plugin->path : NULL;
  jz_hasher_start(&hasher, ids, e.n_workloads + 3);
  jz_order_t order = e.order ? (jz_order_t)jz_order_find(e.order) : JZ_ORDER_SUBMIT;
  if (jz_sched_init(&s, p, t.jobs, (uint32_t)t.n, true) || jz_sched_set_order(&s, order)) goto oom;
  jz_mapping_apply(&m, &s);
  s.strings = &t.strings;
  e.slurm.strings = &t.strings; /* the slurm policy finds its accounts by name */
  s.policy_conf = &e.slurm;
  if (e.baseline) {
    if (jz_sched_init(&sb, p, t.jobs, (uint32_t)t.n, false) || jz_sched_set_order(&sb, order)) goto oom;
    jz_mapping_apply(&m, &sb);
    sb.policy_conf = &e.slurm;
    sb.strings = &t.strings;
  }
  long flow_jobs = 0;
  for (size_t i = 0; i < t.n; i++) flow_jobs += (t.jobs[i].flags & JZ_JOB_FLOW) != 0;
  if (flow_jobs && (jz_flow_new(&flow[0], p, &t, model, &err) ||
                    (e.baseline && jz_flow_new(&flow[1], p, &t, model, &err))))
    goto bad;
  if (jz_outdir_open(&out, o.out, out_names, OUT_N, &err)) goto bad;
  if (jz_ts_init(&ts, &s, out.f[OUT_QUEUES], out.f[OUT_UTIL])) goto oom;
  /* jobs.csv is written as jobs end, on the second core (jobs_csv.h); without a thread, after
   * the simulation as before. */
  csv_stream = jz_csvstream_start(out.f[OUT_JOBS], &s, &t, &e);
  instant_hooks_t hooks = {.ts = &ts, .csv = csv_stream};

  const jz_policy_t *pol = plugin ? &plugin->pol : jz_policy_find(e.policy);
  /* The policy as outputs name it: "easy", or "easy/sjf" under another queue order. */
  char policy_label[64];
  snprintf(policy_label, sizeof policy_label, "%s%s%s", pol->name, order ? "/" : "",
           order ? jz_order_name(order) : "");
  jz_engine_run_t runs[2] = {
      {.s = &s, .pol = pol,
       .opts = {.progress = !o.quiet && isatty(STDERR_FILENO), .on_instant = on_instant, .ctx = &hooks,
                .flow = flow[0]}},
      {.s = &sb, .pol = pol, .opts = {.progress = false, .flow = flow[1]}},
  };
  if (pol->check && pol->check(&s, &err)) goto bad;
  w = jz_cli_wall();
  /* The event loops' CPU time too (this thread's): the wall time of a loaded machine is not. */
  struct timespec c0, c1;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
  if (jz_engine_run(runs, e.baseline ? 2 : 1, &err)) goto bad;
  w_sim = jz_cli_wall() - w;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
  double c_sim = (double)(c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
  if (loop_cpu_slot) *loop_cpu_slot = c_sim;
  w = jz_cli_wall();
  jz_hasher_join(&hasher);
  for (int i = 0; i < e.n_workloads; i++)
    if (!ids[2 + i].path) {
      ids[2 + i].path = e.workloads[i].path;
      ids[2 + i].rc = 0;
    }
  jz_run_desc_t d = {.e = &e, .m = &m, .platform_name = p->name, .platform_id = &ids[0],
                     .workload_ids = ids + 2, .experiment_id = o.experiment ? &ids[1] : NULL,
                     .policy = policy_label, .baseline = e.baseline ? &smb : NULL,
                     .network_model = flow_jobs ? jz_netmodel_name(model) : NULL,
                     .flow_jobs = flow_jobs,
                     .plugin_id = plugin ? &ids[2 + e.n_workloads] : NULL,
                     .plugin_params = plugin ? plugin->params_text : NULL};
  /* The rest of jobs.csv, the biggest output, is written on the second core while the
   * statistics are computed: both only read the finished simulation. */
  csv_job_t cj = {.f = out.f[OUT_JOBS], .s = &s, .t = &t, .d = &d};
  pthread_t csv;
  bool csv_threaded = false;
  if (csv_stream) {
    jz_csvstream_finish(csv_stream);
  } else {
    csv_threaded = pthread_create(&csv, NULL, write_jobs_csv, &cj) == 0;
    if (!csv_threaded) write_jobs_csv(&cj);
  }
  int stats_rc = jz_summary_compute(&s, &sm);
  if (stats_rc == 0 && e.baseline) stats_rc = jz_summary_compute(&sb, &smb);
  if (csv_threaded) pthread_join(csv, NULL);
  if (csv_stream) {
    int rc = jz_csvstream_join(csv_stream);
    csv_stream = NULL;
    if (rc == -JZ_ENOMEM) goto oom;
    cj.rc = rc;
  }
  if (stats_rc) goto oom;
  if (cj.rc || jz_ts_flush(&ts) ||
      jz_report_summary_json(out.f[OUT_SUMMARY], &s, &t, &d, &sm, &runs[0].stats)) {
    jz_error_set(&err, -JZ_EIO, "%s: write failed", o.out);
    goto bad;
  }
  if (jz_outdir_commit(&out, &err)) goto bad;
  w_write = jz_cli_wall() - w;
  jz_report_print(stdout, &s, &t, &d, &sm);
  printf("outputs           %s/{jobs.csv,summary.json,queues.csv,utilisation.csv}\n", o.out);
  if (o.timings)
    fprintf(stderr,
            "timings: read+map %.3f s, SimGrid loads the platform %.3f s, simulate %.3f s "
            "(loop %.3f s, %llu events, %llu passes; CPU %.3f s), stats+outputs %.3f s, total %.3f s\n",
            w_read, w_load, w_sim, runs[0].stats.wall_loop, (unsigned long long)runs[0].stats.events,
            (unsigned long long)runs[0].stats.passes, c_sim, w_write, jz_cli_wall() - w_start);
  status = 0;
#ifndef JZ_FREE_AT_EXIT
  /* Success: the process ends here, and the kernel takes back every page at once; freeing a
   * few hundred MB of job records first costs 10-20 ms for nothing, and so does SimGrid's
   * teardown of the platform (15 ms for 5,832 hosts), which has nothing to write unless a
   * --cfg/--log option asked for traces or logs: then exit normally. Every output is already
   * closed and renamed. Sanitizer builds (JZ_FREE_AT_EXIT) free everything, so that leak
   * checking still sees every allocation. */
  bool simgrid_options = o.sg_user > 1;
  free(o.sg_argv);
  free(o.workloads);
  if (fflush(stdout) != 0 || fflush(stderr) != 0) return JZ_EXIT_BAD;
  if (!simgrid_options) _exit(status);
  return status;
#endif
  goto done;
oom:
  jz_error_set(&err, -JZ_ENOMEM, "out of memory");
bad:
  status = jz_cli_fail(&err);
done:
  jz_csvstream_abort(csv_stream); /* before its file is closed */
  jz_outdir_abort(&out);
  jz_hasher_join(&hasher);
  free(ids);
  jz_ts_free(&ts);
  jz_summary_free(&sm);
  jz_summary_free(&smb);
  jz_flow_free(flow[0]);
  jz_flow_free(flow[1]);
  jz_sched_free(&s);
  jz_sched_free(&sb);
  jz_mapping_free(&m);
  jz_job_table_free(&t);
  jz_platform_free(p);
  jz_experiment_free(&e);
  jz_plugin_close(plugin);
  free(o.sg_argv);
  free(o.workloads);
  return status;
}

const jz_cli_command_t jz_cli_run = {
    .name = "run",
    .summary = "  run              replay workloads on a platform under a batch policy\n",
    .main = cmd_run,
    .help = help_run,
};
