/* outfile.h: outputs written to "<name>.tmp" and renamed into place only when complete, so a
 * failed or interrupted run never leaves a half-written file under the final name. */
#ifndef JZ_OUTFILE_H
#define JZ_OUTFILE_H

#include <stdio.h>

#include "error.h"

typedef struct jz_outfile {
  FILE *f;
  char *path; /* final name */
  char *tmp;  /* name while being written */
} jz_outfile_t;

/* Create dir (and parents) if missing. 0 or -JZ_EIO. */
int jz_outfile_mkdirs(const char *dir, jz_error_t *err);
/* Open dir/name.tmp for writing with a large buffer. */
int jz_outfile_open(jz_outfile_t *o, const char *dir, const char *name, jz_error_t *err);
/* Flush, close and rename into place; on any write error remove the temporary. */
int jz_outfile_commit(jz_outfile_t *o, jz_error_t *err);
/* Close and remove the temporary (error paths). Safe on a zeroed or committed struct. */
void jz_outfile_abort(jz_outfile_t *o);

#endif
