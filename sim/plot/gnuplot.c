/* plot/gnuplot.c: running gnuplot for `jzsim plot` (see gnuplot.h). */
#include "plot/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ; /* POSIX leaves its declaration to the program */


/* The line of gnuplot's stderr that says what went wrong: it prints the command, a caret and
 * "line N: message"; keep the message and name the command. */
static void gnuplot_message(const char *errpath, char *out, size_t n) {
  out[0] = '\0';
  FILE *f = fopen(errpath, "r");
  if (!f) return;
  char line[1024], cmd[256] = "", first[1024] = "";
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *s = line + strspn(line, " \t");
    if (!*s || *s == '^') continue;
    if (!first[0]) snprintf(first, sizeof first, "%s", s);
    if (strncmp(s, "gnuplot> ", 9) == 0) {
      snprintf(cmd, sizeof cmd, "%s", s + 9);
      continue;
    }
    char *m = strstr(s, "line ");
    if (m && strstr(s, "warning:") == NULL) {
      char *colon = strchr(m, ':');
      if (colon) {
        m = colon + 1 + strspn(colon + 1, " ");
        if (cmd[0])
          snprintf(out, n, "%.250s (in '%.100s')", m, cmd);
        else
          snprintf(out, n, "%.300s", m);
        fclose(f);
        return;
      }
    }
  }
  fclose(f);
  snprintf(out, n, "%.300s", first);
}

int jz_plot_run_gnuplot(const char *prog, const char *script, const char *errpath,
                        jz_error_t *err) {
  int in = open(script, O_RDONLY | O_CLOEXEC);
  int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
  int er = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int rc = 0;
  if (in < 0 || nul < 0 || er < 0) {
    rc = jz_error_set(err, -JZ_EIO, "cannot prepare gnuplot's input and output: %s", strerror(errno));
  } else {
    /* Descriptors opened here (not by path in the child) so that ENOENT means the program. */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_adddup2(&fa, nul, 1);
    posix_spawn_file_actions_adddup2(&fa, er, 2);
    char *argv[] = {(char *)prog, NULL};
    pid_t pid;
    int e = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e == ENOENT) {
      rc = jz_error_set(err, -JZ_EIO, JZ_PLOT_NOT_FOUND_MSG);
    } else if (e != 0) {
      rc = jz_error_set(err, -JZ_EIO, "cannot run '%s': %s", prog, strerror(e));
    } else {
      int st = 0;
      pid_t w;
      while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
      }
      if (w < 0) {
        rc = jz_error_set(err, -JZ_EIO, "cannot wait for gnuplot: %s", strerror(errno));
      } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char msg[400];
        gnuplot_message(errpath, msg, sizeof msg);
        if (msg[0])
          rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: %s", msg);
        else if (WIFSIGNALED(st))
          rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: killed by signal %d", WTERMSIG(st));
        else
          rc = jz_error_set(err, -JZ_EIO, "gnuplot failed: exit status %d", WEXITSTATUS(st));
      }
    }
  }
  if (in >= 0) close(in);
  if (nul >= 0) close(nul);
  if (er >= 0) close(er);
  return rc;
}
