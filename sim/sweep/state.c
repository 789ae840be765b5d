/* state.c: where each run of a sweep stands, for `jzsim sweep status` and `collect` (sweep.h).
 *
 * The output directory is the only thing the runner, a Slurm array's tasks and this file share
 * (no daemon, no database): NAME/done holding NAME/inputs.sha256 means done (runner.c); while a
 * run's child lives NAME/running holds "HOST PID"; after a failed attempt NAME/failed says how
 * it ended. A marker left by a process killed outright (SIGKILL, a node lost) is recognised: on
 * this host by the pid, for a Slurm sweep by the task having left the queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"

void jz__sweep_run_path(const jz_manifest_t *m, size_t i, const char *name, char *buf, size_t len) {
  snprintf(buf, len, "%s/runs/%s/%s", m->dir, m->names[i], name);
}

static void host_name(char *buf, size_t len) {
  if (gethostname(buf, len) != 0) snprintf(buf, len, "?");
  buf[len - 1] = '\0';
}

/* Markers are hints, not results: failing to write one costs only a less precise status. */
void jz__sweep_mark_start(const jz_manifest_t *m, size_t i, pid_t pid) {
  char path[4400], host[256], text[300];
  jz__sweep_run_path(m, i, "failed", path, sizeof path);
  unlink(path);
  host_name(host, sizeof host);
  int n = snprintf(text, sizeof text, "%s %ld\n", host, (long)pid);
  jz__sweep_run_path(m, i, "running", path, sizeof path);
  jz_error_t ignored;
  jz__sweep_put_file(path, text, (size_t)n, &ignored);
}

void jz__sweep_mark_end(const jz_manifest_t *m, size_t i, int status, bool interrupted) {
  char path[4400];
  jz__sweep_run_path(m, i, "failed", path, sizeof path);
  if (!interrupted) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      unlink(path);
    } else {
      char text[400], line[256];
      jz__sweep_log_line(m, i, line, sizeof line);
      int n = WIFSIGNALED(status) ? snprintf(text, sizeof text, "killed by signal %d: %s\n", WTERMSIG(status), line)
                                  : snprintf(text, sizeof text, "exit status %d: %s\n", WEXITSTATUS(status), line);
      jz_error_t ignored;
      jz__sweep_put_file(path, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1, &ignored);
    }
  }
  jz__sweep_run_path(m, i, "running", path, sizeof path);
  unlink(path);
}

/* pid is a live jzsim on this host (not a zombie, not a reused pid of another program). */
static bool jzsim_alive(long pid) {
  char path[64], comm[64] = "", state = 0;
  snprintf(path, sizeof path, "/proc/%ld/comm", pid);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  bool ok = fgets(comm, sizeof comm, f) != NULL;
  fclose(f);
  if (!ok || strcmp(comm, "jzsim\n")) return false;
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  char *stat = jz__sweep_slurp(path, NULL);
  char *p = stat ? strrchr(stat, ')') : NULL;
  if (p && p[1] == ' ') state = p[2];
  free(stat);
  return state && state != 'Z' && state != 'X';
}

/* A run not done whose task left the queue: killed by a time limit or scancel, or the task
 * failed before it (its Slurm log says which). */
static const char SLURM_ENDED[] = "its Slurm task ended without finishing it (see the Slurm log)";

/* Trailing newline off, in place. */
static char *chomp(char *s) {
  size_t n = s ? strlen(s) : 0;
  while (n && s[n - 1] == '\n') s[--n] = '\0';
  return s;
}

/* Run i that is not done: its state and, when failed, why (malloc'd into *why). task is its
 * Slurm task's queue state ('R', 'P', 0 gone) or -1 when unknown (no Slurm, or no squeue). */
static jz_run_state_t undone_state(const jz_manifest_t *m, size_t i, int task, const char *me, char **why) {
  char path[4400];
  jz__sweep_run_path(m, i, "failed", path, sizeof path);
  char *failed = chomp(jz__sweep_slurp(path, NULL));
  jz__sweep_run_path(m, i, "running", path, sizeof path);
  char *running = chomp(jz__sweep_slurp(path, NULL));
  jz_run_state_t s = JZ_RUN_PENDING;
  if (failed && task != 'R' && task != 'P') { /* a task still queued will try it again */
    s = JZ_RUN_FAILED;
    *why = failed;
    failed = NULL;
  } else if (running) {
    char host[256];
    long pid = 0;
    bool parsed = sscanf(running, "%255s %ld", host, &pid) == 2;
    if (task == 'R') s = JZ_RUN_RUNNING;
    else if (task == 'P') s = JZ_RUN_PENDING;
    else if (task == 0) {
      s = JZ_RUN_FAILED;
      *why = strdup(SLURM_ENDED);
    } else if (parsed && !strcmp(host, me)) {
      s = jzsim_alive(pid) ? JZ_RUN_RUNNING : JZ_RUN_PENDING; /* dead: killed outright, will rerun */
    } else {
      s = JZ_RUN_RUNNING; /* another host and no squeue: trust the marker */
    }
  } else if (task == 0) {
    s = JZ_RUN_FAILED;
    *why = strdup(SLURM_ENDED);
  }
  free(failed);
  free(running);
  return s;
}

int jz_sweep_status(const jz_manifest_t *m, jz_sweep_status_t *st, jz_error_t *err) {
  memset(st, 0, sizeof *st);
  size_t n = m->n_runs ? m->n_runs : 1;
  st->state = calloc(n, sizeof *st->state);
  st->why = calloc(n, sizeof *st->why);
  if (!st->state || !st->why) {
    jz_sweep_status_free(st);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  int rc = jz__sweep_slurm_load(m->dir, &st->job, err);
  if (rc < 0) {
    jz_sweep_status_free(st);
    return rc;
  }
  st->slurm = rc == 0;
  char *task = NULL;
  if (st->slurm) {
    /* The queue first, then the files: a task seen gone before its runs are read cannot be
     * confused with one that finished in between (those runs are done by then). */
    task = calloc(st->job.tasks ? st->job.tasks : 1, 1);
    if (!task) {
      jz_sweep_status_free(st);
      return jz_error_set(err, -JZ_ENOMEM, "out of memory");
    }
    st->squeue = jz__sweep_squeue(&st->job, task);
    for (size_t t = 0; st->squeue && t < st->job.tasks; t++) {
      st->tasks_running += task[t] == 'R';
      st->tasks_pending += task[t] == 'P';
    }
  }
  char me[256];
  host_name(me, sizeof me);
  rc = 0;
  for (size_t i = 0; i < m->n_runs && !rc; i++) {
    char *hash = NULL;
    bool done = false;
    rc = jz__sweep_run_state(m, i, &hash, &done, err);
    free(hash);
    if (rc) break;
    int ts = -1;
    if (st->squeue) {
      size_t t = i / st->job.per_task;
      ts = t < st->job.tasks ? task[t] : 0;
    }
    st->state[i] = done ? JZ_RUN_DONE : undone_state(m, i, ts, me, &st->why[i]);
    st->n[st->state[i]]++;
  }
  free(task);
  if (rc) jz_sweep_status_free(st);
  return rc;
}

void jz_sweep_status_free(jz_sweep_status_t *st) {
  for (size_t i = 0; st->why && i < st->n[0] + st->n[1] + st->n[2] + st->n[3]; i++) free(st->why[i]);
  free(st->why);
  free(st->state);
  memset(st, 0, sizeof *st);
}

bool jz_sweep_slurm_log(const jz_manifest_t *m, const jz_sweep_status_t *st, size_t i, char *buf, size_t len) {
  if (!st->slurm) return false;
  snprintf(buf, len, "%s/slurm/%s_%zu.out", m->dir, st->job.job_id, i / st->job.per_task);
  return true;
}
