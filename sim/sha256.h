/* sha256.h: SHA-256 (FIPS 180-4) of files, so summary.json names its inputs unambiguously. */
#ifndef JZ_SHA256_H
#define JZ_SHA256_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jz_sha256 {
  uint32_t h[8];
  uint64_t len;
  uint8_t buf[64];
  size_t nbuf;
} jz_sha256_t;

void jz_sha256_init(jz_sha256_t *c);
void jz_sha256_update(jz_sha256_t *c, const void *data, size_t n);
void jz_sha256_hex(jz_sha256_t *c, char out[65]); /* finishes the hash */

/* Hash a whole regular file (as stored, not decompressed). 0, or -1 if it cannot be read or
 * is not a regular file (a pipe or FIFO: the trace reader consumed it). */
int jz_sha256_file(const char *path, char out[65], long long *bytes);

/* Hashing inputs in a second thread while the simulation runs: a 100,000-job trace replays
 * in about the time its file takes to hash, and the machine has a second core. */
typedef struct jz_file_id {
  const char *path;
  char sha256[65];
  long long bytes;
  int rc; /* 0, or -1 if unreadable (or path is NULL: nothing to hash) */
} jz_file_id_t;

typedef struct jz_hasher {
  jz_file_id_t *files;
  int n;
  int threaded; /* 1 when a thread runs; 0 when hashing was done in the caller */
  pthread_t thread;
} jz_hasher_t;

/* Start hashing files[0..n) (falls back to hashing at once if no thread can be made). */
void jz_hasher_start(jz_hasher_t *h, jz_file_id_t *files, int n);
/* Wait for the hashes; files[] is complete afterwards. */
void jz_hasher_join(jz_hasher_t *h);

#endif
