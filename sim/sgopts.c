/* sgopts.c: SimGrid's --cfg/--log options checked before SimGrid sees them (sgopts.h). */
#include "sgopts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>

#include "error.h"

static int fail_why(char *why, size_t whylen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_why(char *why, size_t whylen, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, whylen, fmt, ap);
  va_end(ap);
  return code;
}

/* ---- --log grammar ------------------------------------------------------------------- */

static bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool one_of(const char *v, size_t n, const char *const *names) {
  for (; *names; names++)
    if (strlen(*names) == n && strncasecmp(v, *names, n) == 0) return true;
  return false;
}

/* "DIGITS:REST" with both parts non-empty (rollfile and splitfile appenders). */
static bool size_and_name(const char *v, size_t n) {
  size_t i = 0;
  while (i < n && v[i] >= '0' && v[i] <= '9') i++;
  return i > 0 && i + 1 < n && v[i] == ':';
}

static int check_fmt(const char *v, size_t n, char *why, size_t whylen) {
  for (size_t i = 0; i < n; i++) {
    if (v[i] != '%') continue;
    size_t at = i++;
    /* Width and precision, in any order, as SimGrid's layout reads them. */
    while (i < n && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.')) i++;
    if (i == n)
      return fail_why(why, whylen, -JZ_EINVAL, "format '%.*s' ends inside the directive at byte %zu",
                      (int)n, v, at + 1);
    if (!strchr("%necphtPiFlLMdrm", v[i]))
      return fail_why(why, whylen, -JZ_EINVAL,
                      "unknown format directive '%%%c' (known: %%%% %%n %%e %%c %%p %%h %%t %%P %%i "
                      "%%F %%l %%L %%M %%d %%r %%m)", v[i]);
  }
  return 0;
}

static int check_setting(const char *s, size_t n, char *why, size_t whylen) {
  static const char *const keys[] = {"threshold", "additivity", "appender", "fmt"};
  static const char *const levels[] = {"trace", "debug", "verbose", "info", "warning", "error",
                                       "critical", NULL};
  static const char *const bools[] = {"0", "1", "no", "yes", "on", "off", NULL};
  size_t i = 0;
  while (i < n && is_word(s[i])) i++;
  size_t k0 = i + 1;
  if (i > 0 && i < n && s[i] == '.')
    for (i = k0; i < n && s[i] != ':' && s[i] != '=';) i++;
  if (k0 == 1 || i <= k0 || i >= n)
    return fail_why(why, whylen, -JZ_EINVAL,
                    "'%.*s' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)", (int)n, s);
  size_t klen = i - k0;
  const char *v = s + i + 1;
  int vn = (int)(n - i - 1);
  int key = -1;
  for (int k = 0; k < 4 && key < 0; k++)
    if (klen <= strlen(keys[k]) && strncmp(s + k0, keys[k], klen) == 0) key = k;
  switch (key) {
    case 0:
      if (one_of(v, (size_t)vn, levels)) return 0;
      return fail_why(why, whylen, -JZ_EINVAL,
                      "unknown threshold '%.*s' (trace, debug, verbose, info, warning, error, critical)",
                      vn, v);
    case 1:
      if (one_of(v, (size_t)vn, bools)) return 0;
      return fail_why(why, whylen, -JZ_EINVAL, "additivity '%.*s' is not 0, 1, no, yes, on or off",
                      vn, v);
    case 2:
      if ((vn > 5 && strncmp(v, "file:", 5) == 0) ||
          (vn > 9 && strncmp(v, "rollfile:", 9) == 0 && size_and_name(v + 9, (size_t)vn - 9)) ||
          (vn > 10 && strncmp(v, "splitfile:", 10) == 0 && size_and_name(v + 10, (size_t)vn - 10)))
        return 0;
      return fail_why(why, whylen, -JZ_EINVAL,
                      "unknown appender '%.*s' (file:PATH, rollfile:SIZE:PATH, splitfile:SIZE:PATTERN)",
                      vn, v);
    case 3: return check_fmt(v, (size_t)vn, why, whylen);
    default:
      return fail_why(why, whylen, -JZ_EINVAL, "unknown key '%.*s' (thres, add, app, fmt)", (int)klen,
                      s + k0);
  }
}

int jz_sgopts_check_log(const char *spec, char *why, size_t whylen) {
  if (strcmp(spec, "no_loc") == 0) return 0;
  if (strpbrk(spec, "'\""))
    return fail_why(why, whylen, -JZ_EINVAL, "quotes are not supported");
  bool any = false;
  for (const char *p = spec; *p;) {
    while (*p == ' ') p++;
    size_t n = strcspn(p, " ");
    if (n == 0) break;
    int rc = check_setting(p, n, why, whylen);
    if (rc) return rc;
    any = true;
    p += n;
  }
  if (!any) return fail_why(why, whylen, -JZ_EINVAL, "no setting (e.g. jz_engine.thres:verbose)");
  return 0;
}

/* ---- --cfg shape ---------------------------------------------------------------------- */

int jz_sgopts_check_cfg(const char *spec, char *why, size_t whylen) {
  /* SimGrid returns without a word for an empty setting (xbt_cfg_set_parse("")), and stores an
   * empty value in string options ("path:"): both are a command line gone wrong (a shell
   * variable that expanded to nothing), never a setting anybody means. */
  size_t blank = strspn(spec, " \t");
  if (spec[blank] == '\0')
    return fail_why(why, whylen, -JZ_EINVAL, "empty setting (give --cfg=NAME:VALUE, e.g. --cfg=maxmin/precision:1e-9)");
  const char *colon = strchr(spec, ':');
  if (colon && colon[1 + strspn(colon + 1, " \t")] == '\0')
    return fail_why(why, whylen, -JZ_EINVAL, "empty value for '%.*s' (give --cfg=NAME:VALUE)",
                    (int)(colon - spec), spec);
  return 0;
}

/* ---- the trial run --------------------------------------------------------------------- */

static const char TRIAL_PLATFORM[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    "<platform version=\"4.1\"><zone id=\"trial\" routing=\"Full\">"
    "<host id=\"trial-host\" speed=\"1Gf\"/></zone></platform>\n";

static void trial_actor(int argc, char **argv) {
  (void)argc;
  (void)argv;
  sg_actor_sleep_for(1); /* one context switch: a bad context factory shows here */
}

/* The child: SimGrid with the options, in dir, stdout to /dev/null, stderr to fd err_fd. */
static void trial_child(int argc, char **argv, const char *dir, int err_fd) {
  int null = open("/dev/null", O_WRONLY);
  if (null < 0 || dup2(null, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0 || chdir(dir) < 0)
    _exit(125);
  FILE *f = fopen("trial.xml", "w");
  if (!f || fputs(TRIAL_PLATFORM, f) == EOF || fclose(f) != 0) _exit(125);
  alarm(60); /* a trial that hangs must not hang jzsim */
  char **copy = calloc((size_t)argc + 1, sizeof *copy);
  if (!copy) _exit(125);
  memcpy(copy, argv, (size_t)argc * sizeof *copy);
  int n = argc;
  simgrid_init(&n, copy);
  simgrid_load_platform("trial.xml");
  sg_actor_create("trial", sg_host_by_name("trial-host"), trial_actor, 0, NULL);
  simgrid_run();
  _exit(0); /* no atexit handlers: the parent's buffers and SimGrid's teardown are not ours */
}

/* Remove what the trial left in dir (SimGrid may write traces or logs there), then dir. */
static void remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char sub[4096];
      if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < sizeof sub) remove_tree(sub);
    }
    if (d) closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* SimGrid's reason from the child's stderr: the text of its first ERROR or CRITICAL line
 * (or of the line after it when that one is empty), without "Uncaught exception std::x: ". */
static void reason(char *buf, char *why, size_t whylen) {
  static const char *const tags[] = {"/CRITICAL] ", "/ERROR] "};
  char *msg = NULL;
  for (char *line = buf; line && *line && !msg;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    for (int k = 0; k < 2 && !msg; k++) {
      char *t = strstr(line, tags[k]);
      if (!t) continue;
      msg = t + strlen(tags[k]);
      if (!*msg && nl) { /* the message starts on the next line */
        msg = nl + 1;
        char *nl2 = strchr(msg, '\n');
        if (nl2) *nl2 = '\0';
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  if (!msg) {
    snprintf(why, whylen, "SimGrid stopped without a message");
    return;
  }
  static const char ex[] = "Uncaught exception ";
  if (!strncmp(msg, ex, sizeof ex - 1)) {
    msg += sizeof ex - 1;
    char *colon = strstr(msg, ": ");
    if (colon) msg = colon + 2;
  }
  while (*msg == ' ' || *msg == '\n') msg++;
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\r')) n--;
  snprintf(why, whylen, "%.*s", (int)n, msg);
}

int jz_sgopts_trial(int argc, char **argv, char *why, size_t whylen) {
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/jzsim-sgcheck-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir))
    return fail_why(why, whylen, -JZ_EIO, "cannot create a directory in %s to try the SimGrid options: %s",
                    tmp && *tmp ? tmp : "/tmp", strerror(errno));
  int fds[2];
  if (pipe(fds) != 0) {
    remove_tree(dir);
    return fail_why(why, whylen, -JZ_EIO, "cannot try the SimGrid options: %s", strerror(errno));
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    trial_child(argc, argv, dir, fds[1]);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    remove_tree(dir);
    return fail_why(why, whylen, -JZ_EIO, "cannot try the SimGrid options: %s", strerror(errno));
  }
  /* Keep the first 64 KiB of the child's stderr and drain the rest so it never blocks. */
  enum { KEEP = 1 << 16 };
  char *buf = malloc(KEEP + 1), sink[4096];
  size_t len = 0;
  for (;;) {
    ssize_t got = buf && len < KEEP ? read(fds[0], buf + len, KEEP - len) : read(fds[0], sink, sizeof sink);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (buf && len < KEEP) len += (size_t)got;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  remove_tree(dir);
  int rc = 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (buf) {
      buf[len] = '\0';
      reason(buf, why, whylen);
    } else {
      snprintf(why, whylen, "SimGrid stopped");
    }
    rc = -JZ_EINVAL;
  }
  free(buf);
  return rc;
}
