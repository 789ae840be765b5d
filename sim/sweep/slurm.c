/* slurm.c: a sweep as a Slurm job array (sweep.h).
 *
 * DIR/sweep.sbatch is a plain batch script: task T of the array runs runs T*K .. T*K+K-1 of
 * DIR/sweep.tsv, one after the other, with one `jzsim sweep run-variant DIR FIRST LAST` of the
 * very jzsim that wrote it (absolute path: one process, so the task reads its traces once), so what a task computes is what a local sweep computes, and a
 * run already done is skipped: submitting the script again resumes the sweep. It is submitted
 * with `sbatch --parsable`, and the array's job id is kept in DIR/slurm.json for `status` and
 * `collect`. Nothing else couples the tasks: they share DIR on the cluster's filesystem. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep/sweep.h"
#include "sweep/sweep_internal.h"

/* Characters that a path must not hold to be written unquoted in an #SBATCH line and inside
 * single quotes in the script ('%' would be a file-name pattern of --output). */
static const char UNSAFE[] = " \t\n\r'\"\\$`%";

static int check_path(const char *what, const char *p, jz_error_t *err) {
  if (p[0] != '/') return jz_error_set(err, -JZ_EINVAL, "--slurm: %s '%s' is not an absolute path", what, p);
  const char *bad = strpbrk(p, UNSAFE);
  if (bad)
    return jz_error_set(err, -JZ_EINVAL,
                        "--slurm: %s '%s' holds '%c', which a batch script cannot carry unquoted (move it)",
                        what, p, *bad == '\n' ? ' ' : *bad);
  return 0;
}

/* Options the script sets itself and must keep: the array over the runs (--array, -a) and the
 * logs that `sweep status` reads (--output, -o). sbatch takes the last of repeated #SBATCH
 * options, so the user's would win and break the task -> runs mapping or the log paths. */
static bool own_option(const char *w) {
  if (w[0] != '-') return false;
  if (w[1] != '-') return w[1] == 'a' || w[1] == 'o'; /* -a 0-5, -a0-5, -o x, -ox */
  size_t n = strcspn(w, "=");
  return (n == 7 && !strncmp(w, "--array", 7)) || (n == 8 && !strncmp(w, "--output", 8));
}

/* Split sbatch options as a shell would (blanks separate, quotes group) into "#SBATCH ..."
 * lines on f (f NULL: only check them): a word not starting with '-' is the value of the
 * option before it ('-p gpu'). */
static int sbatch_lines(const char *args, FILE *f, jz_error_t *err) {
  const char *p = args;
  bool any = false, line_open = false;
  while (*p) {
    while (isspace((unsigned char)*p)) p++;
    if (!*p) break;
    char word[1024];
    size_t n = 0;
    char quote = 0;
    for (; *p && (quote || !isspace((unsigned char)*p)); p++) {
      if (quote && *p == quote) quote = 0;
      else if (!quote && (*p == '\'' || *p == '"')) quote = *p;
      else if (n + 1 < sizeof word) word[n++] = *p;
    }
    word[n] = '\0';
    if (quote) return jz_error_set(err, -JZ_EINVAL, "--sbatch-args '%s': unterminated quote", args);
    if (word[0] != '-' && !any)
      return jz_error_set(err, -JZ_EINVAL, "--sbatch-args '%s': '%s' is not an option (options start with '-')", args, word);
    if (own_option(word))
      return jz_error_set(err, -JZ_EINVAL,
                          "--sbatch-args '%s': '%s' is set by jzsim sweep itself (its array over the runs, its "
                          "logs where sweep status reads them): leave it out (--per-task and --array-limit "
                          "shape the array)",
                          args, word);
    if (strpbrk(word, "\n\r") || (strchr(word, ' ') && word[0] == '-'))
      return jz_error_set(err, -JZ_EINVAL, "--sbatch-args '%s': '%s': an option with blanks cannot go in an #SBATCH line", args, word);
    if (!f) {
      /* checking only */
    } else if (word[0] == '-') {
      fprintf(f, "%s#SBATCH %s", line_open ? "\n" : "", word);
      line_open = true;
    } else {
      fprintf(f, strchr(word, ' ') ? " \"%s\"" : " %s", word);
    }
    any = true;
  }
  if (f && line_open) fputc('\n', f);
  return 0;
}

static int write_script(const jz_manifest_t *m, const char *dir, const jz_sweep_slurm_opts_t *o, size_t tasks,
                        char **text, size_t *len, jz_error_t *err) {
  FILE *f = open_memstream(text, len);
  if (!f) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  fprintf(f,
          "#!/bin/bash\n"
          "# Written by `jzsim sweep --slurm` (docs/formats.md, \"sweep.sbatch\"): a job array over the\n"
          "# %zu runs of %s/sweep.tsv, %zu per task. Task T runs runs T*%zu .. T*%zu+%zu of them with\n"
          "# `jzsim sweep run-variant`; a run already done is skipped, so submitting this again resumes.\n"
          "#SBATCH --job-name=jzsim-sweep\n"
          "#SBATCH --array=0-%zu",
          m->n_runs, dir, o->per_task, o->per_task, o->per_task, o->per_task - 1, tasks - 1);
  if (o->array_limit) fprintf(f, "%%%zu", o->array_limit);
  fprintf(f,
          "\n#SBATCH --ntasks=1\n"
          "#SBATCH --cpus-per-task=1\n"
          "#SBATCH --output=%s/slurm/%%A_%%a.out\n",
          dir);
  int rc = o->sbatch_args ? sbatch_lines(o->sbatch_args, f, err) : 0;
  fprintf(f,
          "set -u\n"
          "jzsim='%s'\n"
          "dir='%s'\n"
          "first=$((SLURM_ARRAY_TASK_ID * %zu))\n"
          "last=$((first + %zu))\n"
          "[ $last -le %zu ] || last=%zu\n"
          "what=\"run $first\"\n"
          "[ $last -eq $((first + 1)) ] || what=\"runs $first..$((last - 1))\"\n"
          "echo \"jzsim sweep: $what on $(hostname) at $(date -u +%%FT%%TZ)\"\n"
          "\"$jzsim\" sweep run-variant \"$dir\" \"$first\" \"$((last - 1))\" || exit 1\n",
          o->exe, dir, o->per_task, o->per_task, m->n_runs, m->n_runs);
  if (fclose(f) != 0 && !rc) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  if (rc) {
    free(*text);
    *text = NULL;
  }
  return rc;
}

int jz__sweep_slurm_load(const char *dir, jz_sweep_slurm_t *job, jz_error_t *err) {
  memset(job, 0, sizeof *job);
  char *path = jz__sweep_join(dir, "slurm.json");
  if (!path) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  int rc = 0;
  if (!root) {
    FILE *f = fopen(path, "r");
    if (f) {
      fclose(f);
      rc = jz_error_at(err, -JZ_ESYNTAX, path, je.line, je.column, "%s", je.text);
    } else {
      rc = 1;
    }
  } else {
    const char *id = json_string_value(json_object_get(root, "job_id"));
    json_int_t k = json_integer_value(json_object_get(root, "per_task"));
    json_int_t t = json_integer_value(json_object_get(root, "tasks"));
    json_int_t l = json_integer_value(json_object_get(root, "array_limit"));
    if (!id || !*id || strlen(id) >= sizeof job->job_id || k < 1 || t < 1 || l < 0) {
      rc = jz_error_at(err, -JZ_ESYNTAX, path, 0, 0, "not a record of jzsim sweep --slurm (job_id, per_task, tasks)");
    } else {
      snprintf(job->job_id, sizeof job->job_id, "%s", id);
      job->per_task = (size_t)k;
      job->tasks = (size_t)t;
      job->array_limit = (size_t)l;
    }
    json_decref(root);
  }
  free(path);
  return rc;
}

/* One squeue state as 'R' (has a node), 'P' (still queued) or 0 (ended, leaving). */
static char queue_state(const char *s) {
  static const char *const on_node[] = {"RUNNING", "COMPLETING", "CONFIGURING", "STAGE_OUT", "SIGNALING", "RESIZING", NULL};
  static const char *const queued[] = {"PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "SUSPENDED", "RESV_DEL_HOLD",
                                       "SPECIAL_EXIT", "STOPPED", NULL};
  for (const char *const *x = on_node; *x; x++)
    if (!strcmp(s, *x)) return 'R';
  for (const char *const *x = queued; *x; x++)
    if (!strcmp(s, *x)) return 'P';
  return 0;
}

bool jz__sweep_squeue(const jz_sweep_slurm_t *job, char *task_state) {
  memset(task_state, 0, job->tasks);
  /* --me: only the caller's jobs, cheap on a big cluster; -r: one line per array task, pending
   * ones too. A finished array is simply absent (squeue forgets jobs after MinJobAge). */
  fflush(stdout);
  FILE *p = popen("squeue --me --noheader --array --format='%F %K %T' 2>/dev/null", "r");
  if (!p) return false;
  char line[512];
  while (fgets(line, sizeof line, p)) {
    char id[64], tasks[256], state[64];
    if (sscanf(line, "%63s %255s %63s", id, tasks, state) != 3 || strcmp(id, job->job_id)) continue;
    char qs = queue_state(state);
    /* Task ids: "7", or a range list of a pending record that squeue did not split ("[3-9%2]"). */
    for (char *t = tasks + (tasks[0] == '['); *t && *t != ']' && *t != '%';) {
      char *end;
      unsigned long a = strtoul(t, &end, 10), b = a;
      if (end == t) break;
      if (*end == '-') b = strtoul(end + 1, &end, 10);
      for (unsigned long x = a; x <= b && x < job->tasks; x++) task_state[x] = qs;
      t = *end == ',' ? end + 1 : end;
    }
  }
  int status = pclose(p);
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int record(const char *dir, const jz_sweep_slurm_t *job, jz_error_t *err) {
  json_t *root = json_pack("{s:s, s:I, s:I, s:I}", "job_id", job->job_id, "per_task", (json_int_t)job->per_task,
                           "tasks", (json_int_t)job->tasks, "array_limit", (json_int_t)job->array_limit);
  char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(root);
  char *path = jz__sweep_join(dir, "slurm.json");
  int rc;
  if (!text || !path) {
    rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  } else {
    size_t n = strlen(text);
    text[n] = '\n'; /* json_dumps leaves no newline; the NUL becomes one, the length says where to stop */
    rc = jz__sweep_put_file(path, text, n + 1, err);
  }
  free(text);
  free(path);
  return rc;
}

/* `sbatch --parsable SCRIPT`: its job id ("123" or "123;cluster") into job_id. */
static int submit(const char *script, char *job_id, size_t len, jz_error_t *err) {
  char cmd[4600];
  snprintf(cmd, sizeof cmd, "sbatch --parsable '%s' 2>&1", script); /* script passed check_path */
  fflush(stdout);
  FILE *p = popen(cmd, "r");
  if (!p) return jz_error_set(err, -JZ_EIO, "cannot run sbatch: %s", strerror(errno));
  char line[512], last[512] = "";
  while (fgets(line, sizeof line, p))
    if (line[0] != '\n') snprintf(last, sizeof last, "%s", line);
  int status = pclose(p);
  last[strcspn(last, "\r\n")] = '\0';
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
      return jz_error_set(err, -JZ_EIO, "sbatch: not found (is this a Slurm login node? --dry-run writes the script only)");
    return jz_error_set(err, -JZ_EIO, "sbatch failed: %s", last[0] ? last : "no message");
  }
  size_t n = strspn(last, "0123456789");
  if (n == 0 || n >= len || (last[n] && last[n] != ';'))
    return jz_error_set(err, -JZ_EIO, "sbatch printed '%s', not a job id", last);
  memcpy(job_id, last, n);
  job_id[n] = '\0';
  return 0;
}

int jz_sweep_slurm_check(const char *dir, const jz_sweep_slurm_opts_t *o, jz_error_t *err) {
  int rc = o->sbatch_args ? sbatch_lines(o->sbatch_args, NULL, err) : 0;
  if (!rc) rc = check_path("the jzsim binary", o->exe, err);
  if (!rc && dir[0] != '/') {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return jz_error_set(err, -JZ_EIO, "getcwd: %s", strerror(errno));
    char abs[8200];
    snprintf(abs, sizeof abs, "%s/%s", cwd, dir);
    rc = check_path("the sweep directory", abs, err);
  } else if (!rc) {
    rc = check_path("the sweep directory", dir, err);
  }
  return rc;
}

int jz_sweep_slurm_submit(const jz_manifest_t *m, const jz_sweep_slurm_opts_t *o, FILE *out,
                          jz_sweep_slurm_t *job, jz_error_t *err) {
  memset(job, 0, sizeof *job);
  char *dir = realpath(m->dir, NULL);
  if (!dir) return jz_error_set(err, -JZ_EIO, "%s: %s", m->dir, strerror(errno));
  int rc = check_path("the sweep directory", dir, err);
  if (!rc) rc = check_path("the jzsim binary", o->exe, err);
  if (!rc && m->n_runs == 0) rc = jz_error_set(err, -JZ_EINVAL, "--slurm: the sweep has no runs");
  size_t per_task = o->per_task ? o->per_task : 1;
  size_t tasks = m->n_runs ? (m->n_runs + per_task - 1) / per_task : 0;
  jz_sweep_slurm_t old;
  if (!rc && !o->dry_run && (rc = jz__sweep_slurm_load(dir, &old, err)) == 1) rc = 0;
  else if (!rc && !o->dry_run) {
    char *ts = calloc(old.tasks, 1);
    bool queued = false;
    if (ts && jz__sweep_squeue(&old, ts))
      for (size_t t = 0; t < old.tasks; t++) queued |= ts[t] != 0;
    free(ts);
    if (queued)
      rc = jz_error_set(err, -JZ_EINVAL, "%s: array job %s of this sweep is still queued or running (wait, or scancel %s)",
                        m->dir, old.job_id, old.job_id);
  }
  char *text = NULL, *path = NULL, *logs = NULL;
  size_t len = 0;
  jz_sweep_slurm_opts_t oo = *o;
  oo.per_task = per_task;
  if (!rc) rc = write_script(m, dir, &oo, tasks, &text, &len, err);
  if (!rc) {
    path = jz__sweep_join(dir, "sweep.sbatch");
    logs = jz__sweep_join(dir, "slurm");
    if (!path || !logs) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (!rc && mkdir(logs, 0777) != 0 && errno != EEXIST) rc = jz_error_set(err, -JZ_EIO, "%s: cannot create: %s", logs, strerror(errno));
  if (!rc) rc = jz__sweep_put_file(path, text, len, err);
  if (!rc && o->dry_run) {
    fputs(text, out);
  } else if (!rc) {
    job->per_task = per_task;
    job->tasks = tasks;
    job->array_limit = o->array_limit;
    rc = submit(path, job->job_id, sizeof job->job_id, err);
    if (!rc) rc = record(dir, job, err);
  }
  free(text);
  free(path);
  free(logs);
  free(dir);
  return rc;
}
