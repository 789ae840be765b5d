/* outfile.c: write-to-temporary-then-rename output files. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static char *join(const char *dir, const char *name, const char *suffix) {
  size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s%s", dir, name, suffix);
  return p;
}

int jz_outfile_mkdirs(const char *dir, jz_error_t *err) {
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

int jz_outfile_open(jz_outfile_t *o, const char *dir, const char *name, jz_error_t *err) {
  memset(o, 0, sizeof *o);
  o->path = join(dir, name, "");
  o->tmp = join(dir, name, ".tmp");
  if (!o->path || !o->tmp) {
    jz_outfile_abort(o);
    return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  }
  o->f = fopen(o->tmp, "w");
  if (!o->f) {
    int e = errno;
    int rc = jz_error_set(err, -JZ_EIO, "%s: cannot write: %s", o->tmp, strerror(e));
    jz_outfile_abort(o);
    return rc;
  }
  setvbuf(o->f, NULL, _IOFBF, 1 << 20);
  return 0;
}

int jz_outfile_commit(jz_outfile_t *o, jz_error_t *err) {
  int bad = ferror(o->f);
  bad |= fclose(o->f) != 0;
  o->f = NULL;
  if (bad) {
    int rc = jz_error_set(err, -JZ_EIO, "%s: write failed", o->tmp);
    jz_outfile_abort(o);
    return rc;
  }
  if (rename(o->tmp, o->path) != 0) {
    int e = errno;
    int rc = jz_error_set(err, -JZ_EIO, "%s: cannot rename to %s: %s", o->tmp, o->path, strerror(e));
    jz_outfile_abort(o);
    return rc;
  }
  free(o->tmp);
  free(o->path);
  memset(o, 0, sizeof *o);
  return 0;
}

void jz_outfile_abort(jz_outfile_t *o) {
  if (o->f) fclose(o->f);
  if (o->tmp) unlink(o->tmp);
  free(o->tmp);
  free(o->path);
  memset(o, 0, sizeof *o);
}
