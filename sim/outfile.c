/* outfile.c: a run's output directory committed as one unit (see outfile.h).
 *
 * Life of a run writing to out/ (which holds a previous run):
 *   open:    check out/ holds only jzsim's files; remove ./.out.jzsim-* left by killed runs
 *            (no lock on them); mkdir ./.out.jzsim-Q3x9Kd, lock it (flock), create the files
 *            in it with O_EXCL|O_NOFOLLOW.
 *   commit:  close the files; renameat2(./.out.jzsim-Q3x9Kd, out, RENAME_EXCHANGE): out/ is
 *            now the new run, ./.out.jzsim-Q3x9Kd the previous one, which is deleted.
 * A kill before the exchange leaves out/ as it was (plus a work directory the next run
 * removes); after it, out/ is the new run. File systems without RENAME_EXCHANGE get two
 * renames (out -> aside, work -> out): a kill between them leaves no out/ at all, and the
 * previous outputs in the aside directory; never a mix. */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* What jzsim writes into an output directory: the run's files, `jzsim plot`'s charts, and
 * the temporary names of both (older versions wrote NAME.tmp beside the final names). */
static const char *const own_names[] = {
    "jobs.csv",           "summary.json",       "queues.csv",        "utilisation.csv",
    "jobs.csv.tmp",       "summary.json.tmp",   "queues.csv.tmp",    "utilisation.csv.tmp",
    "queue_length.png",   "queue_length.svg",   "utilisation.png",   "utilisation.svg",
    "waits.png",          "waits.svg",          "queue_length.tmp.png", "queue_length.tmp.svg",
    "utilisation.tmp.png", "utilisation.tmp.svg", "waits.tmp.png",    "waits.tmp.svg",
};
#define N_OWN (sizeof own_names / sizeof *own_names)

static const char WORK_TAG[] = ".jzsim-"; /* work directory: <parent>/.<base>.jzsim-XXXXXX */

static bool own_name(const char *name) {
  for (size_t k = 0; k < N_OWN; k++)
    if (strcmp(name, own_names[k]) == 0) return true;
  return false;
}

static char *dup_printf(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s%s%s", a, b, c);
  return p;
}

/* Create dir (and parents) if missing. */
static int mkdirs(const char *dir, jz_error_t *err) {
  char *p = strdup(dir);
  if (!p) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (char *s = p + 1;; s++) {
    if (*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        int e = errno;
        free(p);
        return jz_error_set(err, -JZ_EIO, "%s: cannot create directory: %s", dir, strerror(e));
      }
      *s = c;
      if (c == '\0') break;
    }
  }
  free(p);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return jz_error_set(err, -JZ_EIO, "%s: not a directory", dir);
  return 0;
}

/* The first entry of the open directory fd that is not one of jzsim's regular files or
 * symlinks, into bad (empty if none). -1 with errno when the directory cannot be read. */
static int foreign_entry(int fd, char *bad, size_t len) {
  bad[0] = '\0';
  int dup_fd = dup(fd);
  if (dup_fd < 0) return -1;
  DIR *d = fdopendir(dup_fd);
  if (!d) {
    close(dup_fd);
    return -1;
  }
  rewinddir(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    struct stat st;
    bool known = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!own_name(e->d_name) || !known || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
      snprintf(bad, len, "'%s'%s", e->d_name, known && S_ISDIR(st.st_mode) ? " (a directory)" : "");
      break;
    }
  }
  closedir(d);
  return 0;
}

/* dir (no trailing slash) resolved: through a symlink to its target, so that the link
 * itself stays. shown: the name for messages. *final is NULL-free on success; *exists tells
 * whether there is a previous directory to replace. */
static int resolve_name(const char *dir, const char *shown, char **final, bool *exists,
                        jz_error_t *err) {
  struct stat st;
  *exists = false;
  if (lstat(dir, &st) != 0) {
    if (errno != ENOENT)
      return jz_error_set(err, -JZ_EIO, "%s: cannot open: %s", shown, strerror(errno));
    *final = strdup(dir);
  } else if (S_ISLNK(st.st_mode)) {
    *final = realpath(dir, NULL);
    if (!*final)
      return jz_error_set(err, -JZ_EIO, "%s: cannot open: %s", shown, strerror(errno));
    if (stat(*final, &st) != 0 || !S_ISDIR(st.st_mode)) {
      free(*final);
      *final = NULL;
      return jz_error_set(err, -JZ_EIO, "%s: not a directory", shown);
    }
    *exists = true;
  } else if (!S_ISDIR(st.st_mode)) {
    return jz_error_set(err, -JZ_EIO, "%s: not a directory", shown);
  } else {
    *final = strdup(dir);
    *exists = true;
  }
  if (!*final) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  return 0;
}

/* Trailing slashes ("out/") are stripped first: the parent and base are computed from the
 * name, and lstat("link/") follows a symlink, which then went unnoticed (the commit tried
 * to swap the work directory with the link itself and failed after the simulation). */
static int resolve(const char *shown, char **final, bool *exists, jz_error_t *err) {
  char *dir = strdup(shown);
  if (!dir) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') dir[--n] = '\0';
  int rc = resolve_name(dir, shown, final, exists, err);
  free(dir);
  return rc;
}

static int check_dir(const char *shown, const char *final, jz_error_t *err) {
  int fd = open(final, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return jz_error_set(err, -JZ_EIO, "%s: cannot open: %s", shown, strerror(errno));
  char bad[NAME_MAX + 32];
  int rc = foreign_entry(fd, bad, sizeof bad);
  int e = errno;
  close(fd);
  if (rc < 0) return jz_error_set(err, -JZ_EIO, "%s: cannot read: %s", shown, strerror(e));
  if (bad[0])
    return jz_error_set(err, -JZ_EIO,
                        "%s: holds %s, which jzsim did not write: a run replaces its output "
                        "directory as a whole (choose another --out, or empty it)",
                        shown, bad);
  return 0;
}

int jz_outdir_check(const char *dir, jz_error_t *err) {
  char *final = NULL;
  bool exists;
  int rc = resolve(dir, &final, &exists, err);
  if (rc == 0 && exists) rc = check_dir(dir, final, err);
  free(final);
  return rc;
}

/* Delete jzsim's files in the directory `path` (fd open on it), then the directory. Entries
 * of other names stay (and so does the directory). */
static void remove_own(int fd, const char *path) {
  for (size_t k = 0; k < N_OWN; k++) unlinkat(fd, own_names[k], 0);
  rmdir(path);
}

/* Work directories of runs that were killed: ".<base>.jzsim-*" in parent that no live run
 * holds locked. */
static void remove_stale(const char *parent, const char *base) {
  DIR *d = opendir(parent);
  if (!d) return;
  size_t bl = strlen(base);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *n = e->d_name;
    if (n[0] != '.' || strncmp(n + 1, base, bl) != 0 || strncmp(n + 1 + bl, WORK_TAG, 7) != 0)
      continue;
    int fd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      char *p = dup_printf(parent, "/", n);
      if (p) remove_own(fd, p);
      free(p);
    }
    close(fd);
  }
  closedir(d);
}

/* mkdir <parent>/.<base>.jzsim-XXXXXX with a fresh random suffix (mode 0777 less the umask,
 * as the output directory would have had). */
static char *make_work(const char *parent, const char *base, jz_error_t *err) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  size_t n = strlen(parent) + strlen(base) + sizeof WORK_TAG + 16;
  char *p = malloc(n);
  if (!p) {
    jz_error_set(err, -JZ_ENOMEM, "out of memory");
    return NULL;
  }
  for (int attempt = 0; attempt < 100; attempt++) {
    unsigned char r[6];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
      uint64_t x = (uint64_t)getpid() * 0x9E3779B97F4A7C15u ^ (uint64_t)time(NULL) ^
                   (uint64_t)attempt << 40 ^ (uint64_t)clock();
      for (size_t k = 0; k < sizeof r; k++) r[k] = (unsigned char)(x >> (8 * k));
    }
    char sfx[7];
    for (size_t k = 0; k < 6; k++) sfx[k] = alphabet[r[k] % (sizeof alphabet - 1)];
    sfx[6] = '\0';
    snprintf(p, n, "%s/.%s%s%s", parent, base, WORK_TAG, sfx);
    if (mkdir(p, 0777) == 0) return p;
    if (errno != EEXIST) break;
  }
  jz_error_set(err, -JZ_EIO, "%s: cannot create a work directory: %s", parent, strerror(errno));
  free(p);
  return NULL;
}

/* ---- signals ------------------------------------------------------------------------------ */

/* The work directory the handler removes: set while it exists, read in the handler. */
static char sig_work[PATH_MAX];
static volatile sig_atomic_t sig_armed;

static void sig_arm(const char *work) {
  if (strlen(work) >= sizeof sig_work) return; /* cannot happen: paths are shorter */
  sig_armed = 0;
  strcpy(sig_work, work);
  sig_armed = 1;
}

static void on_signal(int sig) {
  /* Only async-signal-safe calls: unlink, rmdir, signal, raise; paths built by hand. */
  if (sig_armed) {
    char p[PATH_MAX + NAME_MAX + 2];
    size_t w = 0;
    while (sig_work[w] && w < PATH_MAX) {
      p[w] = sig_work[w];
      w++;
    }
    p[w] = '/';
    for (size_t k = 0; k < N_OWN; k++) {
      size_t i = 0;
      for (const char *s = own_names[k]; *s; s++) p[w + 1 + i++] = *s;
      p[w + 1 + i] = '\0';
      unlink(p);
    }
    p[w] = '\0';
    rmdir(p);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void jz_outdir_handle_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* One handler at a time: a second signal waits until the first one's cleanup is done. */
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* A test-only stop (JZSIM_TEST_PAUSE=open|written|swapped): say where on stderr and wait for
 * a signal, so that tests/e2e/outputs.sh can kill a run at each point of its commit. */
static void test_pause(const char *point) {
  const char *want = getenv("JZSIM_TEST_PAUSE");
  if (!want || strcmp(want, point) != 0) return;
  fprintf(stderr, "jzsim: test pause at %s\n", point);
  fflush(stderr);
  for (;;) pause();
}

/* ---- open / commit / abort ---------------------------------------------------------------- */

int jz_outdir_open(jz_outdir_t *d, const char *dir, const char *const *names, int n,
                   jz_error_t *err) {
  memset(d, 0, sizeof *d);
  d->work_fd = -1;
  if (n > JZ_OUTDIR_MAX_FILES) return jz_error_set(err, -JZ_EINVAL, "too many output files");
  bool exists;
  int rc = resolve(dir, &d->final, &exists, err);
  if (rc == 0 && exists) rc = check_dir(dir, d->final, err);
  if (rc) {
    jz_outdir_abort(d);
    return rc;
  }
  const char *slash = strrchr(d->final, '/');
  const char *base = slash ? slash + 1 : d->final;
  d->parent = slash ? (slash == d->final ? strdup("/") : strndup(d->final, (size_t)(slash - d->final)))
                    : strdup(".");
  if (!d->parent) {
    jz_outdir_abort(d);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    jz_outdir_abort(d);
    return jz_error_set(err, -JZ_EINVAL, "%s: name a directory (not '.' or '..')", dir);
  }
  if ((rc = mkdirs(d->parent, err))) {
    jz_outdir_abort(d);
    return rc;
  }
  remove_stale(d->parent, base);
  if (!(d->work = make_work(d->parent, base, err))) {
    jz_outdir_abort(d);
    return err->code;
  }
  sig_arm(d->work);
  d->work_fd = open(d->work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d->work_fd < 0 || flock(d->work_fd, LOCK_EX | LOCK_NB) != 0) {
    rc = jz_error_set(err, -JZ_EIO, "%s: cannot open: %s", d->work, strerror(errno));
    jz_outdir_abort(d);
    return rc;
  }
  for (int k = 0; k < n; k++) {
    d->names[k] = names[k];
    /* O_EXCL|O_NOFOLLOW: even in a directory of ours, never write through something planted. */
    int fd = openat(d->work_fd, names[k], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 || !(d->f[k] = fdopen(fd, "w"))) {
      rc = jz_error_set(err, -JZ_EIO, "%s/%s: cannot write: %s", d->work, names[k], strerror(errno));
      if (fd >= 0) close(fd);
      d->n = k;
      jz_outdir_abort(d);
      return rc;
    }
    setvbuf(d->f[k], NULL, _IOFBF, 1 << 20);
  }
  d->n = n;
  test_pause("open");
  return 0;
}

/* Swap work and final; afterwards work names the previous outputs (or nothing). */
static int swap_in(jz_outdir_t *d, const char *shown, jz_error_t *err) {
  if (rename(d->work, d->final) == 0) return 0; /* no previous run (or an empty directory) */
  if (errno != EEXIST && errno != ENOTEMPTY)
    return jz_error_set(err, -JZ_EIO, "%s: cannot rename to %s: %s", d->work, shown, strerror(errno));
  /* Re-check: a file the user put there during the run must not be deleted with the rest. */
  int rc = check_dir(shown, d->final, err);
  if (rc) return rc;
  if (renameat2(AT_FDCWD, d->work, AT_FDCWD, d->final, RENAME_EXCHANGE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return jz_error_set(err, -JZ_EIO, "%s: cannot replace: %s", shown, strerror(errno));
  /* No atomic exchange here: the previous outputs go aside (to a second work name), then
   * the new ones into place. */
  char *aside = make_work(d->parent, strrchr(d->work, '/') + 2, err);
  if (!aside) return err->code;
  rmdir(aside);
  if (rename(d->final, aside) != 0) {
    rc = jz_error_set(err, -JZ_EIO, "%s: cannot replace: %s", shown, strerror(errno));
  } else if (rename(d->work, d->final) != 0) {
    rc = jz_error_set(err, -JZ_EIO, "%s: cannot replace: %s", shown, strerror(errno));
    rename(aside, d->final);
  } else {
    free(d->work);
    d->work = aside; /* what remains to delete */
    sig_arm(aside);
    aside = NULL;
  }
  free(aside);
  return rc;
}

int jz_outdir_commit(jz_outdir_t *d, jz_error_t *err) {
  bool bad = false;
  for (int k = 0; k < d->n; k++) {
    bad |= ferror(d->f[k]) != 0;
    bad |= fclose(d->f[k]) != 0;
    d->f[k] = NULL;
  }
  if (bad) {
    int rc = jz_error_set(err, -JZ_EIO, "%s: write failed", d->final);
    jz_outdir_abort(d);
    return rc;
  }
  test_pause("written");
  int rc = swap_in(d, d->final, err);
  if (rc) {
    jz_outdir_abort(d);
    return rc;
  }
  test_pause("swapped");
  /* work now names the previous outputs, if any. */
  int fd = open(d->work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    remove_own(fd, d->work);
    close(fd);
  }
  sig_armed = 0;
  d->n = 0;
  jz_outdir_abort(d); /* frees the names; nothing is left to remove */
  return 0;
}

void jz_outdir_abort(jz_outdir_t *d) {
  for (int k = 0; k < d->n; k++)
    if (d->f[k]) fclose(d->f[k]);
  if (d->work) {
    int fd = open(d->work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      remove_own(fd, d->work);
      close(fd);
    }
    sig_armed = 0;
  }
  if (d->work_fd >= 0) close(d->work_fd);
  free(d->final);
  free(d->work);
  free(d->parent);
  memset(d, 0, sizeof *d);
  d->work_fd = -1;
}
