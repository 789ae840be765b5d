/* main.c: the jzsim command line (run, platform show|xml, help, --version).
 *
 * Only this file prints errors and picks the exit status: 0 ok, 2 bad input or usage. */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <time.h>

#include "error.h"
#include "job.h"
#include "metrics/report.h"
#include "metrics/stats.h"
#include "outfile.h"
#include "platform.h"
#include "sched/engine.h"
#include "sched/policy.h"
#include "simgrid_xml.h"
#include "units.h"
#include "workload/swf.h"

#define EXIT_BAD 2

static int fail(const jz_error_t *err) {
  fprintf(stderr, "jzsim: error: %s\n", err->msg);
  return EXIT_BAD;
}

static int usage_error(const char *fmt, const char *a, const char *b) {
  fputs("jzsim: error: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return EXIT_BAD;
}

/* ---- help ---------------------------------------------------------------------------- */

static const char HELP_MAIN[] =
    "usage: jzsim COMMAND [OPTIONS]\n"
    "\n"
    "Discrete-event simulator of a converged HPC/AI supercomputer (SimGrid 3.32).\n"
    "\n"
    "commands:\n"
    "  run              replay a workload on a platform under a batch policy\n"
    "  platform show    print a platform's partitions, fabrics, storage and totals\n"
    "  platform xml     print the SimGrid XML generated from a platform\n"
    "  help [COMMAND]   this text, or the options of COMMAND\n"
    "\n"
    "  jzsim --version  print the version\n";

static const char HELP_RUN[] =
    "usage: jzsim run --platform P.yaml --workload T.swf[.gz] [OPTIONS]\n"
    "\n"
    "Replays the workload's jobs on one partition of the platform and writes DIR/jobs.csv and\n"
    "DIR/summary.json (each written to a temporary name, renamed when complete).\n"
    "\n"
    "  --platform FILE        platform YAML (schema: platforms/README.md)           required\n"
    "  --workload FILE        SWF trace, plain or gzipped                           required\n"
    "  --policy NAME          batch policy (see below)                              default easy\n"
    "  --out DIR              output directory, created if missing                  default out\n"
    "  --partition NAME       partition the trace runs on       default: first partition without GPUs\n"
    "  --procs-per-node N     the trace counts N processors per node: a job of P processors\n"
    "                         takes ceil(P/N) whole nodes   default: processors are cores\n"
    "  --max-jobs N           replay only the first N job lines of the trace        default all\n"
    "  --missing-walltime D   requested time of jobs whose trace has none (e.g. 20h)\n"
    "                                                        default: the job's run time\n"
    "  --lenient              skip malformed trace lines (counted) instead of failing\n"
    "  --quiet                no progress on stderr\n"
    "  --timings              print wall-clock time per phase on stderr (not in outputs)\n"
    "  --cfg=NAME:VALUE       SimGrid configuration, passed through\n"
    "  --log=SPEC             SimGrid/XBT logging, e.g. --log=jz_engine.thres:verbose\n"
    "\n"
    "policies:\n";

static const char HELP_PLATFORM[] =
    "usage: jzsim platform show FILE.yaml\n"
    "       jzsim platform xml FILE.yaml\n"
    "\n"
    "show: partitions (nodes, cores, GPUs), fabrics, storage tiers and totals (peak PF FP64,\n"
    "      GPU count, PB per tier).\n"
    "xml:  the SimGrid platform XML that `run` loads, on stdout.\n";

static int cmd_help(int argc, char **argv) {
  const char *topic = argc > 0 ? argv[0] : NULL;
  if (!topic) {
    fputs(HELP_MAIN, stdout);
  } else if (strcmp(topic, "run") == 0) {
    fputs(HELP_RUN, stdout);
    for (const jz_policy_t *const *p = jz_policy_list(); *p; p++)
      printf("  %-8s %s\n", (*p)->name, (*p)->summary);
  } else if (strcmp(topic, "platform") == 0) {
    fputs(HELP_PLATFORM, stdout);
  } else if (strcmp(topic, "help") == 0) {
    fputs(HELP_MAIN, stdout);
  } else {
    return usage_error("help: unknown command '%s'%s", topic, " (commands: run, platform, help)");
  }
  return 0;
}

/* ---- platform ------------------------------------------------------------------------ */

static int cmd_platform(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[0], "show") != 0 && strcmp(argv[0], "xml") != 0))
    return usage_error("%s%s", "usage: jzsim platform show|xml FILE.yaml", "");
  jz_error_t err = {0};
  jz_platform_t *p = NULL;
  if (jz_platform_load(argv[1], &p, &err)) return fail(&err);
  int rc = 0;
  if (strcmp(argv[0], "show") == 0) {
    jz_platform_print(p, stdout);
  } else if (jz_simgrid_xml_write(p, stdout, &err)) {
    rc = fail(&err);
  }
  jz_platform_free(p);
  return rc;
}

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- run ----------------------------------------------------------------------------- */

typedef struct run_opts {
  const char *platform, *workload, *policy, *out, *partition;
  long procs_per_node, max_jobs;
  double missing_walltime;
  bool lenient, quiet, timings;
  char **sg_argv; /* program name + --cfg/--log arguments for SimGrid */
  int sg_argc;
} run_opts_t;

/* Positive integer option value, strictly parsed. */
static int opt_count(const char *name, const char *v, long *out) {
  long long x;
  if (jz_units_parse_ll(v, &x) != 0 || x <= 0 || x > INT_MAX)
    return usage_error("%s: '%s' is not a positive integer", name, v);
  *out = (long)x;
  return 0;
}

static int parse_run(int argc, char **argv, run_opts_t *o) {
  *o = (run_opts_t){.policy = "easy", .out = "out"};
  o->sg_argv = calloc((size_t)argc + 2, sizeof *o->sg_argv);
  if (!o->sg_argv) return usage_error("%s%s", "out of memory", "");
  o->sg_argv[o->sg_argc++] = "jzsim";
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0) {
      o->sg_argv[o->sg_argc++] = argv[i];
      continue;
    }
    if (strcmp(a, "--lenient") == 0) { o->lenient = true; continue; }
    if (strcmp(a, "--quiet") == 0) { o->quiet = true; continue; }
    if (strcmp(a, "--timings") == 0) { o->timings = true; continue; }
    /* Options with a value: "--name value" or "--name=value". */
    static const char *const valued[] = {"--platform", "--workload", "--policy", "--out",
                                         "--partition", "--procs-per-node", "--max-jobs",
                                         "--missing-walltime", NULL};
    const char *val = NULL;
    int which = -1;
    for (int k = 0; valued[k]; k++) {
      size_t n = strlen(valued[k]);
      if (strncmp(a, valued[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
        which = k;
        if (a[n] == '=') {
          val = a + n + 1;
        } else if (i + 1 < argc) {
          val = argv[++i];
        } else {
          return usage_error("run: option '%s' needs a value%s", valued[k], "");
        }
        break;
      }
    }
    if (which < 0) return usage_error("run: unknown option '%s'%s", a, " (see 'jzsim help run')");
    if (*val == '\0') return usage_error("run: option '%s' needs a value%s", valued[which], "");
    int rc = 0;
    switch (which) {
      case 0: o->platform = val; break;
      case 1: o->workload = val; break;
      case 2: o->policy = val; break;
      case 3: o->out = val; break;
      case 4: o->partition = val; break;
      case 5: rc = opt_count("--procs-per-node", val, &o->procs_per_node); break;
      case 6: rc = opt_count("--max-jobs", val, &o->max_jobs); break;
      case 7: {
        char why[128];
        if (jz_units_parse(val, JZ_UNIT_TIME, &o->missing_walltime, why, sizeof why) != 0 ||
            o->missing_walltime <= 0)
          rc = usage_error("--missing-walltime: '%s' is not a positive duration (e.g. 20h)%s", val, "");
        break;
      }
    }
    if (rc) return rc;
  }
  o->sg_argv[o->sg_argc] = NULL;
  if (!o->platform) return usage_error("run: --platform is required%s%s", "", "");
  if (!o->workload) return usage_error("run: --workload is required%s%s", "", "");
  if (!jz_policy_find(o->policy)) {
    return usage_error("run: unknown policy '%s'%s", o->policy, " (policies: fcfs, easy)");
  }
  return 0;
}

/* "dir/kth-sp2.swf.gz" -> "kth-sp2" (written into buf). */
static const char *workload_name(const char *path, char *buf, size_t len) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  snprintf(buf, len, "%s", base);
  static const char *const suffixes[] = {".gz", ".swf", NULL};
  for (int k = 0; suffixes[k]; k++) {
    size_t n = strlen(buf), m = strlen(suffixes[k]);
    if (n > m && strcmp(buf + n - m, suffixes[k]) == 0) buf[n - m] = '\0';
  }
  return buf;
}

static int write_outputs(const run_opts_t *o, const jz_sched_t *s, const jz_job_table_t *t,
                         const jz_run_desc_t *d, const jz_summary_t *sm,
                         const jz_engine_stats_t *es, jz_error_t *err) {
  jz_outfile_t jobs = {0}, summary = {0};
  int rc;
  if ((rc = jz_outfile_open(&jobs, o->out, "jobs.csv", err))) return rc;
  if ((rc = jz_outfile_open(&summary, o->out, "summary.json", err))) goto fail;
  if (jz_report_jobs_csv(jobs.f, s, t, d) || jz_report_summary_json(summary.f, s, t, d, sm, es)) {
    rc = jz_error_set(err, -JZ_EIO, "%s: write failed", o->out);
    goto fail;
  }
  /* Commit both only when both are complete. */
  if ((rc = jz_outfile_commit(&jobs, err))) goto fail;
  if ((rc = jz_outfile_commit(&summary, err))) goto fail;
  return 0;
fail:
  jz_outfile_abort(&jobs);
  jz_outfile_abort(&summary);
  return rc;
}

static int cmd_run(int argc, char **argv) {
  run_opts_t o;
  int status = parse_run(argc, argv, &o);
  if (status) {
    free(o.sg_argv);
    return status;
  }
  jz_error_t err = {0};
  jz_platform_t *p = NULL;
  jz_job_table_t t;
  jz_swf_header_t hdr;
  jz_sched_t s;
  jz_summary_t sm;
  memset(&hdr, 0, sizeof hdr);
  memset(&s, 0, sizeof s);
  memset(&sm, 0, sizeof sm);
  jz_job_table_init(&t);
  char name[256];
  int part;
  double w_start = wall_now(), w_read = 0, w_sim = 0, w_write = 0;
  /* Hash the inputs on the second core while the rest runs. */
  jz_file_id_t ids[2] = {{.path = o.platform}, {.path = o.workload}};
  jz_hasher_t hasher;
  jz_hasher_start(&hasher, ids, 2);

  if (jz_platform_load(o.platform, &p, &err)) goto bad;
  if (o.partition) {
    part = jz_platform_find_partition(p, o.partition);
    if (part < 0) {
      jz_error_set(&err, -JZ_EINVAL, "--partition: platform %s has no partition '%s'", o.platform,
                   o.partition);
      goto bad;
    }
  } else {
    part = jz_platform_first_cpu_partition(p);
    if (part < 0) {
      jz_error_set(&err, -JZ_EINVAL,
                   "platform %s has no partition without GPUs: name one with --partition", o.platform);
      goto bad;
    }
  }
  jz_swf_options_t so = {.max_jobs = o.max_jobs, .lenient = o.lenient,
                         .missing_walltime = o.missing_walltime, .workload = 0};
  double w = wall_now();
  if (jz_swf_read(o.workload, &so, &t, &hdr, &err)) goto bad;
  if (t.n >= JZ_NONE) {
    jz_error_set(&err, -JZ_ERANGE, "%s: more than %u jobs", o.workload, JZ_NONE - 1);
    goto bad;
  }
  if (jz_job_table_sort(&t)) goto oom;
  w_read = wall_now() - w;
  for (size_t i = 0; i < t.n; i++) t.jobs[i].partition = (int16_t)part;
  if (jz_sched_init(&s, p, t.jobs, (uint32_t)t.n)) goto oom;
  for (uint32_t i = 0; i < t.n; i++) {
    jz_request_t rq = {.cores = t.jobs[i].procs, .nodes = 0};
    if (o.procs_per_node > 0) {
      rq.nodes = (int32_t)((t.jobs[i].procs + o.procs_per_node - 1) / o.procs_per_node);
      rq.cores = 0;
    }
    jz_sched_set_request(&s, i, rq);
  }
  if (jz_outfile_mkdirs(o.out, &err)) goto bad;

  const jz_policy_t *pol = jz_policy_find(o.policy);
  jz_engine_opts_t eo = {.progress = !o.quiet && isatty(STDERR_FILENO)};
  jz_engine_stats_t es = {0};
  w = wall_now();
  if (jz_engine_run_simgrid(&o.sg_argc, o.sg_argv, &s, pol, &eo, &es, &err)) goto bad;
  w_sim = wall_now() - w;
  w = wall_now();
  if (jz_summary_compute(&s, &sm)) goto oom;

  jz_hasher_join(&hasher);
  jz_workload_desc_t wd = {.path = o.workload,
                           .id = &ids[1],
                           .name = workload_name(o.workload, name, sizeof name),
                           .format = "swf",
                           .partition = p->partitions[part].name,
                           .lines = hdr.lines,
                           .job_lines = hdr.job_lines};
  jz_run_desc_t d = {.platform_path = o.platform, .platform_id = &ids[0], .platform_name = p->name, .workloads = &wd,
                     .n_workloads = 1, .policy = pol->name, .procs_per_node = o.procs_per_node,
                     .max_jobs = o.max_jobs, .lenient = o.lenient,
                     .missing_walltime = o.missing_walltime};
  if (write_outputs(&o, &s, &t, &d, &sm, &es, &err)) goto bad;
  w_write = wall_now() - w;
  jz_report_print(stdout, &s, &t, &d, &sm);
  printf("outputs           %s/jobs.csv, %s/summary.json\n", o.out, o.out);
  if (o.timings)
    fprintf(stderr,
            "timings: read %.3f s, platform load %.3f s, simulate %.3f s (loop %.3f s, %llu "
            "events, %llu passes), stats+outputs %.3f s, total %.3f s\n",
            w_read, es.wall_load, w_sim - es.wall_load, es.wall_loop,
            (unsigned long long)es.events, (unsigned long long)es.passes, w_write,
            wall_now() - w_start);
  status = 0;
  goto done;
oom:
  jz_error_set(&err, -JZ_ENOMEM, "out of memory");
bad:
  status = fail(&err);
done:
  jz_hasher_join(&hasher);
  jz_summary_free(&sm);
  jz_sched_free(&s);
  jz_swf_header_free(&hdr);
  jz_job_table_free(&t);
  jz_platform_free(p);
  free(o.sg_argv);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(HELP_MAIN, stderr);
    return EXIT_BAD;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("jzsim %s (SimGrid 3.32)\n", JZ_VERSION);
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
    return cmd_help(argc - 2, argv + 2);
  if (strcmp(cmd, "run") == 0) return cmd_run(argc - 2, argv + 2);
  if (strcmp(cmd, "platform") == 0) return cmd_platform(argc - 2, argv + 2);
  return usage_error("unknown command '%s'%s", cmd, " (see 'jzsim help')");
}
