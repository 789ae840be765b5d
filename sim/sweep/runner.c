/* runner.c: run a sweep's runs on local cores (sweep.h).
 *
 * Each run is `jzsim run --experiment DIR/runs/NAME/experiment.yaml --out DIR/runs/NAME/out
 * --quiet` in a child process, at most N at once: the child is forked from this process
 * without exec and calls that command's main (run_main) with those arguments: what a user gets
 * by hand, minus loading the program and its libraries again. Before the fork this process
 * reads the run's traces into the trace cache (workload/cache.h), once per distinct trace for
 * the whole sweep, and the child inherits it. SimGrid is never initialised here, only in each
 * child (this process has no thread either when it forks).
 *
 * A run is done when NAME/done holds the same input hash as NAME/inputs.sha256: done is
 * removed before the run starts and written (tmp + rename) only after it exits 0, and the run
 * commits its own outputs atomically (README "Outputs"), so an interrupted sweep never leaves a
 * run that looks complete. Runs are independent and each is
 * deterministic, so results do not depend on N or on the order runs finish. */
#define _DEFAULT_SOURCE /* sbrk, madvise, MADV_HUGEPAGE (child_heap) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "experiment.h"
#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"
#include "workload/cache.h"

#define MAX_JOBS 1024

/* The children, for the signal handler (which forwards SIGTERM to them). */
static volatile pid_t children[MAX_JOBS];
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) {
  stop_signal = sig;
  for (int i = 0; i < MAX_JOBS; i++)
    if (children[i] > 0) kill(children[i], SIGTERM);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double ru_seconds(const struct rusage *ru) {
  return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) + (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1e-6;
}

static char *run_file(const jz_manifest_t *m, size_t i, const char *name) {
  char buf[4400];
  jz__sweep_run_path(m, i, name, buf, sizeof buf);
  return strdup(buf);
}

/* The run's input hash, and whether done already holds it. */
static int run_state(const jz_manifest_t *m, size_t i, char **hash, bool *done, jz_error_t *err) {
  char *hp = run_file(m, i, "inputs.sha256"), *dp = run_file(m, i, "done"), *sp = run_file(m, i, "out/summary.json");
  int rc = 0;
  *hash = hp ? jz__sweep_slurp(hp, NULL) : NULL;
  if (!*hash) rc = jz_error_set(err, -JZ_EIO, "%s: cannot read (write the sweep again)", hp ? hp : m->dir);
  char *d = dp ? jz__sweep_slurp(dp, NULL) : NULL;
  *done = !rc && d && !strcmp(d, *hash) && sp && access(sp, R_OK) == 0;
  free(d);
  free(hp);
  free(dp);
  free(sp);
  return rc;
}

/* Read the traces of run i into the trace cache, before its child is forked. A trace that
 * cannot be read is left to the run, which reports it. The read options are those
 * jz_experiment_read derives; were they to differ, the child would miss the cache and read the
 * trace itself (slower, never different). */
static int preload(const char *experiment, jz_error_t *err) {
  jz_experiment_t e;
  jz_experiment_init(&e);
  jz_error_t ignored = {0};
  int rc = 0;
  if (jz_experiment_load(&e, experiment, &ignored) == 0)
    for (int k = 0; k < e.n_workloads && !rc; k++) {
      const jz_workload_spec_t *w = &e.workloads[k];
      const char *fmt = w->format ? w->format : e.format;
      const jz_reader_t *rd = fmt ? jz_reader_find(fmt) : NULL;
      jz_read_opts_t ro = {.max_jobs = e.max_jobs, .lenient = e.lenient,
                           .missing_walltime = w->walltime > 0 ? w->walltime : e.missing_walltime};
      if (!fmt || rd) rc = jz_trace_cache_fill(w->path, rd, &ro, err);
    }
  jz_experiment_free(&e);
  return rc;
}

/* The heap of a run's child, set up before the run allocates anything of its own. A child
 * starts with no page of its own: every page it writes is a fault, about 4,900 per run of the
 * converged case (about 2 us each on this VM: the job table, the two schedulers' per-job
 * state, the position trees, the output buffers), most of its system time. So, in the child
 * only (the sweep process keeps glibc's defaults):
 *  - one arena for every thread (the reader and the writers allocate from the main heap too),
 *    no mmap'd chunk below 32 MiB and no trimming: memory freed during the run (a table that
 *    realloc moved, the reader's buffers) is reused instead of being returned and faulted in
 *    again;
 *  - the heap grown at once by 64 MiB (M_TOP_PAD) and that room advised for transparent huge
 *    pages (MADV_HUGEPAGE; THP mode "madvise" on Debian), so that it is faulted in 2 MiB at a
 *    time: about 1,200 faults instead of 4,900 per run (docs/performance.md, "Sweeps");
 *  - the sweep process's free memory below that room (a few free chunks of its heap and the
 *    end of its top chunk: 3.5 MB in the bench) taken and never freed (plug_below), without
 *    writing to it: otherwise malloc serves the run from there first, one 4 KiB fault per page,
 *    a copy where the sweep process had written (about 900 of the 1,200 faults).
 * Room never touched costs nothing; the child is short-lived and exits without freeing. Outputs
 * do not depend on any of this (none depends on an address). Sanitizer builds have their own
 * allocator: nothing to do there. */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
/* Take every free chunk of 4 KiB or more lying wholly below limit, largest first, and keep it:
 * malloc writes only a chunk's header, so the pages stay shared with the sweep process (or
 * untouched). What is left below limit is fragments under 4 KiB. */
static void plug_below(const char *limit) {
  for (size_t sz = (size_t)1 << 20; sz >= 4096; sz /= 2)
    for (int k = 0; k < 1024; k++) {
      char *p = malloc(sz);
      if (!p) return;
      if (p + sz > limit) {
        free(p);
        break;
      }
    }
}
#endif

size_t jz__sweep_child_heap(void **room) {
  *room = NULL;
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  const size_t huge = (size_t)2 << 20;
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's maximum */
  mallopt(M_TRIM_THRESHOLD, INT32_MAX);
  mallopt(M_TOP_PAD, 64 << 20);
  /* Blocks of 1 MiB until one does not fit on top of the heap (the sweep process leaves a few
   * MiB there): malloc then extends the heap by the block plus the pad. Nothing has been
   * written above the old break, so the advice covers untouched pages only. Freed, the blocks
   * join the free top chunk, where the run's allocations then come from. */
  enum { STEPS = 64 };
  void *blocks[STEPS];
  int n = 0;
  char *old_brk = sbrk(0), *new_brk = old_brk;
  while (n < STEPS && new_brk == old_brk && (blocks[n] = malloc((size_t)1 << 20)) != NULL) {
    n++;
    new_brk = sbrk(0);
  }
  for (int k = 0; k < n; k++) free(blocks[k]);
  uintptr_t start = ((uintptr_t)old_brk + huge - 1) & ~(uintptr_t)(huge - 1);
  uintptr_t end = (uintptr_t)new_brk & ~(uintptr_t)(huge - 1);
  bool advised = false;
#ifdef MADV_HUGEPAGE
  advised = new_brk != old_brk && end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) == 0;
#endif
  plug_below(advised ? (const char *)start : old_brk);
  if (advised) {
    *room = (void *)start;
    return end - start;
  }
#endif
  return 0;
}

static pid_t spawn(const jz_manifest_t *m, size_t i, const jz_sweep_run_opts_t *o, double *loop_cpu,
                   jz_error_t *err) {
  char *ep = run_file(m, i, "experiment.yaml"), *op = run_file(m, i, "out"), *lp = run_file(m, i, "run.log");
  char *dp = run_file(m, i, "done");
  pid_t pid = -1;
  if (!ep || !op || !lp || !dp) {
    jz_error_set(err, -JZ_ENOMEM, "out of memory");
    goto out;
  }
  unlink(dp);
  if (preload(ep, err)) goto out;
  int log = open(lp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (log < 0) {
    jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", lp, strerror(errno));
    goto out;
  }
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
    }
    dup2(log, 2);
    /* The child starts with default signal handling (jzsim run installs its own). */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    void *room;
    jz__sweep_child_heap(&room);
    if (o->child_report) o->child_report(loop_cpu);
    char *args[] = {"--experiment", ep, "--out", op, "--quiet", NULL};
    int rc = o->run_main(5, args);
    fflush(stdout);
    fflush(stderr);
    _exit(rc);
  }
  if (pid < 0) jz_error_set(err, -JZ_EIO, "fork: %s", strerror(errno));
  close(log);
out:
  free(ep);
  free(op);
  free(lp);
  free(dp);
  return pid;
}

/* The last line of a failed run's log, for the error message. */
static void last_line(const jz_manifest_t *m, size_t i, char *buf, size_t len) {
  char *lp = run_file(m, i, "run.log");
  char *t = lp ? jz__sweep_slurp(lp, NULL) : NULL;
  buf[0] = '\0';
  if (t) {
    size_t n = strlen(t);
    while (n && t[n - 1] == '\n') t[--n] = '\0';
    char *l = strrchr(t, '\n');
    l = l ? l + 1 : t;
    if (strncmp(l, "jzsim: error: ", 14) == 0) l += 14; /* ours is the error line now */
    snprintf(buf, len, "%s", l);
  }
  free(t);
  free(lp);
}

static int check_run(const jz_manifest_t *m, size_t i, const jz_sweep_run_opts_t *o, jz_error_t *err) {
  char *sp = run_file(m, i, "out/summary.json");
  int rc = sp ? o->check(sp, o->ctx, err) : jz_error_set(err, -JZ_ENOMEM, "out of memory");
  free(sp);
  return rc;
}

static void progress(const jz_sweep_run_stats_t *st, size_t todo, size_t finished, double t0) {
  double el = now_s() - t0, rate = el > 0 ? (double)finished / el : 0;
  double eta = rate > 0 ? (double)(todo - finished) / rate : 0;
  fprintf(stderr, "\rsweep: %zu/%zu runs done (%zu skipped, %zu failed), %.1f runs/s, ETA %d:%02d   ",
          st->skipped + finished, st->total, st->skipped, st->failed, rate, (int)(eta / 60),
          (int)eta % 60);
}

int jz_sweep_run(const jz_manifest_t *m, size_t first, size_t last, const jz_sweep_run_opts_t *o,
                 jz_sweep_run_stats_t *st, jz_error_t *err) {
  *st = (jz_sweep_run_stats_t){0};
  double t0 = now_s();
  size_t *todo = malloc((m->n_runs ? m->n_runs : 1) * sizeof *todo);
  char **hash = calloc(m->n_runs ? m->n_runs : 1, sizeof *hash);
  if (!todo || !hash) {
    free(todo);
    free(hash);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  size_t n_todo = 0;
  long checked = -1;
  int rc = 0;
  for (size_t i = 0; i < m->n_runs && !rc; i++) {
    if (i < first || i >= last) continue;
    st->total++;
    bool done;
    if ((rc = run_state(m, i, &hash[i], &done, err))) break;
    if (done && !o->force) {
      st->skipped++;
      if (o->check && checked < 0) checked = (long)i;
    } else {
      todo[n_todo++] = i;
    }
  }
  /* Metric names checked on a run already done, else on the first to complete. */
  if (!rc && checked >= 0) rc = check_run(m, (size_t)checked, o, err);
  bool need_check = o->check && checked < 0;
  int jobs = o->jobs < 1 ? 1 : o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs;
  size_t slot_run[MAX_JOBS];
  struct sigaction sa = {0}, old[3];
  sa.sa_handler = on_signal; /* no SA_RESTART: waitpid returns EINTR */
  sigemptyset(&sa.sa_mask);
  const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
  stop_signal = 0;
  for (int k = 0; k < 3; k++) sigaction(sigs[k], &sa, &old[k]);
  size_t next = 0, finished = 0;
  int running = 0;
  long first_failed = -1;
  char first_msg[300] = "";
  bool show = o->progress && isatty(2);
  jz_sweep_pages_t pages;
  jz__sweep_pages_init(&pages, m);
  /* Each child's event loop CPU time, one slot per child slot, shared across the fork. */
  double *loop_cpu = NULL;
  if (o->child_report) {
    loop_cpu = mmap(NULL, (size_t)jobs * sizeof *loop_cpu, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (loop_cpu == MAP_FAILED) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  while (!rc && (next < n_todo || running > 0)) {
    while (!stop_signal && running < jobs && next < n_todo && !rc) {
      int slot = 0;
      while (children[slot] > 0) slot++;
      if (loop_cpu) loop_cpu[slot] = 0;
      pid_t pid = spawn(m, todo[next], o, loop_cpu ? &loop_cpu[slot] : NULL, err);
      if (pid < 0) rc = err->code;
      else {
        jz__sweep_mark_start(m, todo[next], pid);
        slot_run[slot] = todo[next++];
        children[slot] = pid;
        running++;
      }
    }
    if (running == 0) break;
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, 0, &ru);
    if (pid < 0) {
      if (errno == EINTR) continue;
      rc = jz_error_set(err, -JZ_EIO, "wait4: %s", strerror(errno));
      break;
    }
    int slot = 0;
    while (slot < jobs && children[slot] != pid) slot++;
    if (slot == jobs) continue; /* not one of ours */
    children[slot] = 0;
    running--;
    size_t i = slot_run[slot];
    if (stop_signal) {
      jz__sweep_mark_end(m, i, status, true);
      continue;
    }
    finished++;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      char *dp = run_file(m, i, "done");
      rc = dp ? jz__sweep_put_file(dp, hash[i], strlen(hash[i]), err) : jz_error_set(err, -JZ_ENOMEM, "out of memory");
      free(dp);
      st->ran++;
      jz__sweep_pages_done(&pages, i);
      if (loop_cpu) {
        st->run_cpu += ru_seconds(&ru);
        st->loop_cpu += loop_cpu[slot];
      }
      if (!rc && need_check) {
        need_check = false;
        rc = check_run(m, i, o, err);
      }
    } else {
      st->failed++;
      if (first_failed < 0) {
        first_failed = (long)i;
        char line[256];
        last_line(m, i, line, sizeof line);
        snprintf(first_msg, sizeof first_msg, "%s", line);
      }
    }
    jz__sweep_mark_end(m, i, status, false);
    if (show) progress(st, n_todo, finished, t0);
  }
  /* An error or a signal: stop and reap whatever still runs. */
  for (int s = 0; s < jobs; s++)
    if (children[s] > 0) kill(children[s], SIGTERM);
  for (int s = 0; s < jobs; s++)
    if (children[s] > 0) {
      waitpid(children[s], NULL, 0);
      jz__sweep_mark_end(m, slot_run[s], 0, true);
      children[s] = 0;
    }
  jz__sweep_pages_flush(&pages);
  if (loop_cpu && loop_cpu != MAP_FAILED) {
    munmap(loop_cpu, (size_t)jobs * sizeof *loop_cpu);
    struct rusage self;
    if (getrusage(RUSAGE_SELF, &self) == 0) st->self_cpu = ru_seconds(&self);
  }
  for (int k = 0; k < 3; k++) sigaction(sigs[k], &old[k], NULL);
  if (show) fputc('\n', stderr);
  st->seconds = now_s() - t0;
  if (!rc && stop_signal) rc = jz_error_set(err, -JZ_EIO, "sweep interrupted by signal %d: %zu runs not done", (int)stop_signal, n_todo - st->ran);
  if (!rc && first_failed >= 0)
    rc = jz_error_set(err, -JZ_EINVAL, "%zu run%s failed, first %s/runs/%s (log: %s/runs/%s/run.log): %s",
                      st->failed, st->failed == 1 ? "" : "s", m->dir, m->names[first_failed], m->dir,
                      m->names[first_failed], first_msg);
  for (size_t i = 0; i < m->n_runs; i++) free(hash[i]);
  free(hash);
  free(todo);
  jz_trace_cache_clear();
  return rc;
}

int jz_sweep_interrupted(void) { return stop_signal; }

/* For state.c (sweep_internal.h): the same tests the runner makes. */
int jz__sweep_run_state(const jz_manifest_t *m, size_t i, char **hash, bool *done, jz_error_t *err) {
  return run_state(m, i, hash, done, err);
}

void jz__sweep_log_line(const jz_manifest_t *m, size_t i, char *buf, size_t len) { last_line(m, i, buf, len); }
