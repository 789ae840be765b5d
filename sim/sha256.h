/* sha256.h: SHA-256 (FIPS 180-4) of files, so summary.json names its inputs unambiguously. */
#ifndef JZ_SHA256_H
#define JZ_SHA256_H

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

/* Hash a whole file (as stored, not decompressed). 0, or -1 if it cannot be read. */
int jz_sha256_file(const char *path, char out[65], long long *bytes);

#endif
