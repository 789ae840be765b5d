/* sweep.c: `jzsim sweep`, a family of runs over a few parameters, on local cores (sweep/sweep.h). */
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sweep/sweep.h"
#include "units.h"

static const char HELP_SWEEP[] =
    "usage: jzsim sweep SWEEP.yaml --out DIR [-j N] [--metric NAME]... [--target 'METRIC OP VALUE']\n"
    "                   [--force] [--no-plot] [--gnuplot PROGRAM] [--quiet] [--no-run] [--timings]\n"
    "       jzsim sweep SWEEP.yaml --out DIR --slurm [--per-task K] [--array-limit M]\n"
    "                   [--sbatch-args 'OPTIONS'] [--dry-run]\n"
    "       jzsim sweep status DIR\n"
    "       jzsim sweep run-variant DIR INDEX [LAST]\n"
    "       jzsim sweep collect DIR [--no-plot] [--gnuplot PROGRAM]\n"
    "\n"
    "Runs every variant of a sweep file (a base experiment and axes of values: docs/formats.md,\n"
    "\"Sweep files\") on local cores, each as `jzsim run` in DIR/runs/NAME/ (its experiment.yaml\n"
    "and platform.yaml there, its outputs in DIR/runs/NAME/out/), then writes DIR/results.csv,\n"
    "DIR/results.md and a plot per chosen metric (DIR/METRIC.png/.svg). Every path and value is\n"
    "checked before anything runs. A run whose inputs (experiment, platform, traces) have not\n"
    "changed since it last succeeded is not run again.\n"
    "\n"
    "  --out DIR          the sweep's directory (required)\n"
    "  -j N               runs at once                                default: the cores online\n"
    "  --metric NAME      a metric for results.md and the plots, named as in `jzsim compare`\n"
    "                     (p95_wait, queues.qos_gpu-t3.mean_wait, ...); repeatable; replaces the\n"
    "                     sweep file's `metrics:`\n"
    "  --target T         'METRIC OP VALUE' (OP: <= < >= > ==, VALUE a number or a duration):\n"
    "                     for each combination of the other axes, the smallest value of the\n"
    "                     first axis whose runs all meet it; replaces the sweep file's `target:`\n"
    "  --force            run every variant again\n"
    "  --no-plot          no gnuplot charts\n"
    "  --quiet            no progress line\n"
    "  --timings          print where the CPU time went: the runs' processes (user + system,\n"
    "                     every thread), their event loops, the rest per run, and this process\n"
    "  --no-run           only check the sweep and write DIR/runs/*/ and DIR/sweep.tsv (for\n"
    "                     run-variant by an external launcher)\n"
    "\n"
    "run-variant DIR INDEX [LAST] runs the run of 0-based INDEX in DIR/sweep.tsv, or runs INDEX\n"
    "to LAST one after the other (for an external launcher such as a Slurm job array; nothing\n"
    "for a run already done); collect DIR builds the results\n"
    "once every run is done, naming any failed run with its logs.\n"
    "\n"
    "--slurm writes DIR as above but runs nothing here: it writes DIR/sweep.sbatch, a Slurm job\n"
    "array whose tasks run this jzsim on the runs (run-variant), submits it with sbatch and keeps\n"
    "its job id in DIR/slurm.json; task logs go to DIR/slurm/JOBID_TASK.out. DIR must be on a\n"
    "filesystem the compute nodes share.\n"
    "  --per-task K       runs per array task (one after the other)       default: 1\n"
    "  --array-limit M    at most M tasks at once (--array=0-N%M)          default: no limit\n"
    "  --sbatch-args S    more sbatch options, one #SBATCH line each ('--partition=cpu --account=abc\n"
    "                     --time=1:00:00')\n"
    "  --dry-run          write and print DIR/sweep.sbatch, submit nothing\n"
    "status DIR says how many runs are done, running, failed and pending (from the runs' files,\n"
    "and squeue for a Slurm sweep), and names the failed ones with their logs.\n";

static void help_sweep(FILE *f) { fputs(HELP_SWEEP, f); }

/* The running binary, so that Slurm tasks run exactly this jzsim. */
static const char *self_exe(char *buf, size_t len) {
  ssize_t n = readlink("/proc/self/exe", buf, len - 1);
  if (n <= 0) return "/proc/self/exe";
  buf[n] = '\0';
  return buf;
}

/* After an interruption, end by the same signal (status 128 + signal), as `jzsim run` does. */
static int finish_run(int rc, const jz_error_t *err) {
  int sig = jz_sweep_interrupted();
  if (sig) {
    fprintf(stderr, "jzsim: %s\n", err->msg);
    signal(sig, SIG_DFL);
    raise(sig);
  }
  return rc ? jz_cli_fail(err) : 0;
}

static int results(const jz_manifest_t *m, bool plot, const char *gnuplot, jz_error_t *err) {
  int rc = jz_sweep_collect(m, stdout, plot, gnuplot, err);
  if (!rc) {
    printf("results           %s/results.csv, %s/results.md", m->dir, m->dir);
    if (m->target) printf(", %s/target.csv", m->dir);
    putchar('\n');
    if (plot && m->n_metrics + (m->target != NULL) > 0) printf("plots             %s/<metric>.{png,svg}\n", m->dir);
  }
  return rc;
}

/* run-variant DIR FIRST [LAST]: runs FIRST..LAST (default FIRST), one after the other, in one
 * process, so that a Slurm task of K runs reads its traces once (runner.c). */
static int cmd_run_variant(int argc, char **argv) {
  long long idx, last;
  if (argc < 2 || argc > 3 || jz_units_parse_ll(argv[1], &idx) != 0 || idx < 0 ||
      (argc == 3 && (jz_units_parse_ll(argv[2], &last) != 0 || last < idx)))
    return jz_cli_usage("%s%s", "usage: jzsim sweep run-variant DIR INDEX [LAST] (0-based, from DIR/sweep.tsv; "
                        "runs INDEX..LAST)", "");
  if (argc == 2) last = idx;
  jz_manifest_t m;
  jz_error_t err = {0};
  if (jz_manifest_load(argv[0], &m, &err)) return jz_cli_fail(&err);
  if ((size_t)last >= m.n_runs) {
    char n[32];
    snprintf(n, sizeof n, "%zu", m.n_runs);
    jz_manifest_free(&m);
    return jz_cli_usage("sweep run-variant: INDEX %s out of range (the sweep has %s runs)", argv[argc - 1], n);
  }
  jz_sweep_run_opts_t o = {.run_main = jz_cli_run.main, .jobs = 1};
  jz_sweep_run_stats_t st;
  int rc = jz_sweep_run(&m, (size_t)idx, (size_t)last + 1, &o, &st, &err);
  jz_manifest_free(&m);
  return finish_run(rc, &err);
}

/* ---- Slurm job arrays and status (sweep/slurm.c, sweep/state.c) ------------------------ */

typedef struct slurm_cli {
  bool on;
  jz_sweep_slurm_opts_t o;
} slurm_cli_t;

/* A positive count from a flag's value, or a usage error. */
static int count_arg(const char *flag, const char *v, size_t max, size_t *out) {
  long long x;
  if (jz_units_parse_ll(v, &x) || x < 1 || (unsigned long long)x > max) {
    char m[32];
    snprintf(m, sizeof m, "%zu", max);
    char f[64];
    snprintf(f, sizeof f, "sweep: %s '%s'", flag, v);
    return jz_cli_usage("%s is not an integer from 1 to %s", f, m);
  }
  *out = (size_t)x;
  return 0;
}

/* Take the --slurm options out of argv (the local options stay for cmd_sweep's parser). */
static int take_slurm_options(int *argc, char **argv, slurm_cli_t *s) {
  memset(s, 0, sizeof *s);
  bool other = false;
  int kept = 0, rc = 0;
  int seen[3] = {0};
  for (int i = 0; i < *argc && !rc; i++) {
    const char *a = argv[i];
    bool has = i + 1 < *argc;
    if (!strcmp(a, "--slurm")) s->on = true;
    else if (!strcmp(a, "--dry-run")) s->o.dry_run = other = true;
    else if ((!strcmp(a, "--per-task") || !strcmp(a, "--array-limit") || !strcmp(a, "--sbatch-args")) && has) {
      int k = a[2] == 'p' ? 0 : a[2] == 'a' ? 1 : 2;
      const char *v = argv[++i];
      other = true;
      if ((rc = jz_cli_once("sweep", a, v, &seen[k]))) break;
      if (k == 0) rc = count_arg(a, v, 1000000, &s->o.per_task);
      else if (k == 1) rc = count_arg(a, v, 1000000, &s->o.array_limit);
      else s->o.sbatch_args = v;
    }
    else argv[kept++] = argv[i];
  }
  argv[kept] = NULL;
  *argc = kept;
  if (!rc && other && !s->on)
    rc = jz_cli_usage("%s%s", "sweep: --per-task, --array-limit, --sbatch-args and --dry-run go with --slurm", "");
  return rc;
}

/* Before the sweep is read or written: a bad --sbatch-args or an unusable path writes nothing. */
static int check_slurm(const char *out, slurm_cli_t *s) {
  static char exe[PATH_MAX];
  s->o.exe = self_exe(exe, sizeof exe);
  jz_error_t err = {0};
  return jz_sweep_slurm_check(out, &s->o, &err) ? jz_cli_fail(&err) : 0;
}

static int launch_slurm(const char *out, slurm_cli_t *s) {
  jz_manifest_t m;
  jz_error_t err = {0};
  if (jz_manifest_load(out, &m, &err)) return jz_cli_fail(&err);
  jz_sweep_slurm_t job;
  int rc = jz_sweep_slurm_submit(&m, &s->o, stdout, &job, &err);
  if (!rc && !s->o.dry_run) {
    printf("sweep             %zu runs written in %s/runs\n", m.n_runs, out);
    printf("slurm             array job %s: %zu task%s of %zu run%s", job.job_id, job.tasks, job.tasks == 1 ? "" : "s",
           job.per_task, job.per_task == 1 ? "" : "s");
    if (job.array_limit) printf(", at most %zu at once", job.array_limit);
    printf(", logs %s/slurm/%s_<task>.out\n", out, job.job_id);
    printf("next              jzsim sweep status %s; then jzsim sweep collect %s\n", out, out);
  }
  jz_manifest_free(&m);
  return rc ? jz_cli_fail(&err) : 0;
}

static const char *const STATE_NAME[] = {"done", "running", "failed", "pending"};

/* One line per failed run on f: where it is, its logs, why. */
static void print_failed(FILE *f, const char *prefix, const jz_manifest_t *m, const jz_sweep_status_t *st) {
  for (size_t i = 0; i < m->n_runs; i++) {
    if (st->state[i] != JZ_RUN_FAILED) continue;
    char slog[4400];
    fprintf(f, "%s%s/runs/%s (run log %s/runs/%s/run.log", prefix, m->dir, m->names[i], m->dir, m->names[i]);
    if (jz_sweep_slurm_log(m, st, i, slog, sizeof slog)) fprintf(f, ", Slurm log %s", slog);
    fprintf(f, "): %s\n", st->why[i] ? st->why[i] : "failed");
  }
}

/* Before collect refuses an unfinished sweep: every failed run with its logs, on stderr. */
static void report_failed(const jz_manifest_t *m) {
  jz_sweep_status_t st;
  jz_error_t err = {0};
  if (jz_sweep_status(m, &st, &err)) return; /* collect's own check reports what is wrong */
  print_failed(stderr, "jzsim: failed run ", m, &st);
  jz_sweep_status_free(&st);
}

static int cmd_status(int argc, char **argv) {
  if (argc != 1 || argv[0][0] == '-') return jz_cli_usage("%s%s", "usage: jzsim sweep status DIR", "");
  jz_manifest_t m;
  jz_error_t err = {0};
  if (jz_manifest_load(argv[0], &m, &err)) return jz_cli_fail(&err);
  jz_sweep_status_t st;
  int rc = jz_sweep_status(&m, &st, &err);
  if (!rc) {
    printf("runs              %zu\n", m.n_runs);
    for (int k = 0; k < 4; k++) printf("%-18s%zu\n", STATE_NAME[k], st.n[k]);
    if (st.slurm) {
      printf("slurm             array job %s, %zu task%s of %zu run%s", st.job.job_id, st.job.tasks,
             st.job.tasks == 1 ? "" : "s", st.job.per_task, st.job.per_task == 1 ? "" : "s");
      if (st.squeue) printf(": %zu running, %zu pending in squeue\n", st.tasks_running, st.tasks_pending);
      else printf(": squeue did not answer, states from the runs' files only\n");
    }
    print_failed(stdout, "failed run        ", &m, &st);
    jz_sweep_status_free(&st);
  }
  jz_manifest_free(&m);
  return rc ? jz_cli_fail(&err) : 0;
}

static int cmd_collect(int argc, char **argv) {
  const char *dir = NULL, *gnuplot = NULL;
  bool plot = true;
  int seen_gnuplot = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--no-plot")) plot = false;
    else if (!strcmp(argv[i], "--gnuplot") && i + 1 < argc) {
      if (jz_cli_once("sweep collect", argv[i], gnuplot = argv[i + 1], &seen_gnuplot)) return JZ_EXIT_BAD;
      i++;
    }
    else if (argv[i][0] == '-') return jz_cli_usage("sweep collect: unknown option '%s'%s", argv[i], "");
    else if (!dir) dir = argv[i];
    else return jz_cli_usage("sweep collect: one directory only (got '%s' after '%s')", argv[i], dir);
  }
  if (!dir) return jz_cli_usage("%s%s", "usage: jzsim sweep collect DIR", "");
  jz_manifest_t m;
  jz_error_t err = {0};
  if (jz_manifest_load(dir, &m, &err)) return jz_cli_fail(&err);
  report_failed(&m);
  int rc = results(&m, plot, gnuplot, &err);
  jz_manifest_free(&m);
  return rc ? jz_cli_fail(&err) : 0;
}

/* --timings: the runs' CPU against their event loops', paired in the same processes (so a
 * loaded machine's noise is in both), and this process's own (specs, hashes, preloaded
 * traces, forks, waits; the results come after). */
static void print_timings(const jz_sweep_run_stats_t *st) {
  double self = st->self_cpu, n = st->ran ? (double)st->ran : 1;
  printf("timings           %zu runs: %.3f s CPU (user + system, every thread), event loops %.3f s; "
         "the rest %.1f ms per run; this process %.2f s (%.2f ms per run)\n",
         st->ran, st->run_cpu, st->loop_cpu, (st->run_cpu - st->loop_cpu) * 1000 / n, self, self * 1000 / n);
}

static int cmd_sweep(int argc, char **argv) {
  if (argc >= 1 && !strcmp(argv[0], "run-variant")) return cmd_run_variant(argc - 1, argv + 1);
  if (argc >= 1 && !strcmp(argv[0], "collect")) return cmd_collect(argc - 1, argv + 1);
  if (argc >= 1 && !strcmp(argv[0], "status")) return cmd_status(argc - 1, argv + 1);
  slurm_cli_t slurm;
  int src = take_slurm_options(&argc, argv, &slurm);
  if (src) return src;
  const char *file = NULL, *out = NULL, *target = NULL, *gnuplot = NULL;
  const char **metrics = calloc((size_t)argc + 1, sizeof *metrics);
  int n_metrics = 0;
  long jobs = sysconf(_SC_NPROCESSORS_ONLN);
  bool force = false, plot = true, quiet = false, no_run = false, timings = false;
  if (!metrics) return jz_cli_usage("%s%s", "out of memory", "");
  int rc = 0;
  int seen_out = 0, seen_target = 0, seen_gnuplot = 0, seen_j = 0;
  for (int i = 0; i < argc && !rc; i++) {
    const char *a = argv[i];
    bool has = i + 1 < argc;
    if (!strcmp(a, "--force")) force = true;
    else if (!strcmp(a, "--no-plot")) plot = false;
    else if (!strcmp(a, "--quiet")) quiet = true;
    else if (!strcmp(a, "--no-run")) no_run = true;
    else if (!strcmp(a, "--timings")) timings = true;
    else if (!strcmp(a, "--out") && has) rc = jz_cli_once("sweep", a, out = argv[++i], &seen_out);
    else if (!strcmp(a, "--target") && has) rc = jz_cli_once("sweep", a, target = argv[++i], &seen_target);
    else if (!strcmp(a, "--gnuplot") && has) rc = jz_cli_once("sweep", a, gnuplot = argv[++i], &seen_gnuplot);
    else if (!strcmp(a, "--metric") && has) {
      int fresh = 0; /* repeatable, but never empty */
      rc = jz_cli_once("sweep", a, metrics[n_metrics++] = argv[++i], &fresh);
    } else if (!strcmp(a, "-j") && has) {
      long long j = 0;
      if ((rc = jz_cli_once("sweep", a, argv[++i], &seen_j))) break;
      if (jz_units_parse_ll(argv[i], &j) || j < 1 || j > 1024)
        rc = jz_cli_usage("sweep: -j '%s' is not an integer from 1 to 1024%s", argv[i], "");
      jobs = (long)j;
    } else if (a[0] == '-') {
      rc = jz_cli_usage(has || !strcmp(a, "-j") || !strncmp(a, "--", 2) ? "sweep: unknown option or missing value '%s'%s"
                                                                         : "sweep: unknown option '%s'%s",
                        a, " (see 'jzsim help sweep')");
    } else if (!file) file = a;
    else rc = jz_cli_usage("sweep: one sweep file only (got '%s' after '%s')", a, file);
  }
  if (!rc && (!file || !out))
    rc = jz_cli_usage("%s%s", "usage: jzsim sweep SWEEP.yaml --out DIR [-j N] (see 'jzsim help sweep')", "");
  jz_error_t err = {0};
  if (!rc && slurm.on) rc = check_slurm(out, &slurm);
  jz_sweep_t *s = NULL;
  if (!rc && jz_sweep_load(file, &s, &err)) rc = jz_cli_fail(&err);
  if (!rc && jz_sweep_write(s, out, n_metrics ? metrics : NULL, target, &err)) rc = jz_cli_fail(&err);
  jz_sweep_free(s);
  free(metrics);
  if (rc) return rc;
  jz_manifest_t m;
  if (slurm.on) return launch_slurm(out, &slurm);
  if (no_run) {
    if (jz_manifest_load(out, &m, &err)) return jz_cli_fail(&err);
    printf("sweep             %zu runs written in %s/runs (jzsim sweep run-variant %s 0..%zu)\n", m.n_runs, out, out,
           m.n_runs - 1);
    jz_manifest_free(&m);
    return 0;
  }
  if (jz_manifest_load(out, &m, &err)) return jz_cli_fail(&err);
  jz_sweep_run_opts_t o = {.run_main = jz_cli_run.main, .jobs = (int)jobs,
                           .progress = !quiet, .force = force, .check = jz_sweep_check_metrics, .ctx = &m,
                           .child_report = timings ? jz_cli_report_loop_cpu : NULL};
  jz_sweep_run_stats_t st;
  rc = jz_sweep_run(&m, 0, m.n_runs, &o, &st, &err);
  if (!rc)
    printf("sweep             %zu runs: %zu ran, %zu already done, in %.1f s with -j %ld\n", st.total, st.ran,
           st.skipped, st.seconds, jobs);
  if (!rc && timings) print_timings(&st);
  if (!rc) rc = results(&m, plot, gnuplot, &err);
  jz_manifest_free(&m);
  return finish_run(rc, &err);
}

const jz_cli_command_t jz_cli_sweep = {
    .name = "sweep",
    .summary = "  sweep FILE       run a family of variants (axes of values) and tabulate and plot them\n",
    .main = cmd_sweep,
    .help = help_sweep,
};
