/* outfile.h: a run's output directory, committed as one unit.
 *
 * The files are written into a fresh work directory that jzsim creates next to the output
 * directory (DIR's parent, named ".BASE.jzsim-XXXXXX"), each created with
 * O_CREAT|O_EXCL|O_NOFOLLOW so that nothing planted can redirect a write. Commit swaps the
 * work directory with DIR in one rename (renameat2 RENAME_EXCHANGE; a plain rename when DIR
 * does not exist yet) and then deletes the previous run's files. So at every instant DIR holds
 * either the previous run's complete outputs or the new run's, never a mix, whatever kills
 * the process (SIGKILL included).
 *
 * An existing DIR is replaced as a whole, so it may hold nothing but what jzsim writes there:
 * the run's files, `jzsim plot`'s charts and the ".tmp" names of both (regular files or
 * symlinks, never followed). Anything else (a file of the user's, a directory) is refused
 * before the run starts: "DIR: holds 'x', which jzsim did not write: ...".
 *
 * A work directory left by a killed run is recognised (no live run holds its lock, flock) and
 * removed by the next run with the same DIR. SIGINT, SIGTERM and SIGHUP remove the work
 * directory (jz_outdir_handle_signals) and end the process with the signal's own status. */
#ifndef JZ_OUTFILE_H
#define JZ_OUTFILE_H

#include <stdio.h>

#include "error.h"

#define JZ_OUTDIR_MAX_FILES 8

typedef struct jz_outdir {
  char *final;  /* DIR (through a symlink to a directory: its target) */
  char *work;   /* the work directory, ours */
  char *parent; /* DIR's parent */
  int work_fd;  /* open on the work directory, holding its lock; -1 when none */
  int n;
  const char *names[JZ_OUTDIR_MAX_FILES];
  FILE *f[JZ_OUTDIR_MAX_FILES]; /* open for writing, 1 MiB buffers */
} jz_outdir_t;

/* Refuse a DIR that exists and is not a directory, or holds what jzsim did not write (see
 * above). Cheap: call it before a long simulation, so the error comes first. 0 or -JZ_EIO. */
int jz_outdir_check(const char *dir, jz_error_t *err);
/* Check DIR, create its parent if missing, remove stale work directories of killed runs,
 * create the work directory and names[0..n) in it. On error nothing is left behind. */
int jz_outdir_open(jz_outdir_t *d, const char *dir, const char *const *names, int n,
                   jz_error_t *err);
/* Close every file (a write error fails the commit), swap the work directory into DIR and
 * delete the previous outputs. On error DIR is as it was and the work directory is gone. */
int jz_outdir_commit(jz_outdir_t *d, jz_error_t *err);
/* Remove the work directory and its files (error paths). Safe on a zeroed or committed d. */
void jz_outdir_abort(jz_outdir_t *d);

/* From now on SIGINT, SIGTERM and SIGHUP remove the open work directory (async-signal-safe:
 * fixed names under a path recorded at open) and then end the process by the same signal,
 * so its status is 128 + signal (130, 143, 129). Install after SimGrid's initialisation,
 * which sets a SIGINT handler of its own. */
void jz_outdir_handle_signals(void);

#endif
