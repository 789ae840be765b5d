/* yamlx.h: a small read-only YAML tree over libyaml that keeps the 1-based line and column of
 * every node, so readers can report "file:line:col: message" for any value they reject.
 *
 * One document per file; mapping keys are scalars and unique (a repeated key is an error, not
 * a silent overwrite); aliases are refused (no reader needs them, and expanding them invites
 * "billion laughs" inputs); nesting is limited to JZ_YAMLX_MAX_DEPTH. Scalars keep their text
 * exactly as written; "", "~", "null", "Null" and "NULL" written plain are null. */
#ifndef JZ_YAMLX_H
#define JZ_YAMLX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define JZ_YAMLX_MAX_DEPTH 64

typedef enum jz_yamlx_kind {
  JZ_YAMLX_SCALAR,
  JZ_YAMLX_SEQUENCE,
  JZ_YAMLX_MAPPING,
} jz_yamlx_kind_t;

typedef struct jz_yamlx_node jz_yamlx_node_t;

typedef struct jz_yamlx_pair {
  jz_yamlx_node_t *key; /* always a scalar */
  jz_yamlx_node_t *value;
} jz_yamlx_pair_t;

struct jz_yamlx_node {
  jz_yamlx_kind_t kind;
  long line, col; /* 1-based position of the node's first character */
  /* JZ_YAMLX_SCALAR */
  char *text; /* NUL-terminated; never contains a NUL byte */
  size_t len;
  bool quoted;  /* written with quotes or as a block scalar */
  bool is_null; /* plain "", "~", "null", "Null", "NULL" */
  /* JZ_YAMLX_MAPPING, in file order */
  jz_yamlx_pair_t *pairs;
  size_t n_pairs;
  /* JZ_YAMLX_SEQUENCE, in file order */
  jz_yamlx_node_t **items;
  size_t n_items;
};

typedef struct jz_yamlx_doc {
  char *name;            /* file name used in messages */
  jz_yamlx_node_t *root; /* NULL for an empty stream */
} jz_yamlx_doc_t;

/* Parse a file. Errors: -JZ_EIO "path: cannot open: <strerror>", -JZ_ESYNTAX
 * "path:line:col: <libyaml problem> (<context> at line:col)", duplicate keys, aliases. */
int jz_yamlx_load_file(const char *path, jz_yamlx_doc_t **out, jz_error_t *err);
/* Parse len bytes of text; name is used in messages. */
int jz_yamlx_load_string(const char *name, const char *text, size_t len, jz_yamlx_doc_t **out,
                         jz_error_t *err);
void jz_yamlx_free(jz_yamlx_doc_t *doc);

/* Walking helpers; all accept NULL and wrong kinds and then return NULL / 0 / false. */
bool jz_yamlx_is_mapping(const jz_yamlx_node_t *n);
bool jz_yamlx_is_sequence(const jz_yamlx_node_t *n);
bool jz_yamlx_is_scalar(const jz_yamlx_node_t *n); /* true for null scalars too */
bool jz_yamlx_is_null(const jz_yamlx_node_t *n);
size_t jz_yamlx_len(const jz_yamlx_node_t *n); /* pairs of a mapping, items of a sequence */
const jz_yamlx_node_t *jz_yamlx_map_get(const jz_yamlx_node_t *map, const char *key);
const jz_yamlx_node_t *jz_yamlx_map_key(const jz_yamlx_node_t *map, size_t i);
const jz_yamlx_node_t *jz_yamlx_map_value(const jz_yamlx_node_t *map, size_t i);
const jz_yamlx_node_t *jz_yamlx_seq_item(const jz_yamlx_node_t *seq, size_t i);
const char *jz_yamlx_str(const jz_yamlx_node_t *n); /* scalar text, NULL otherwise */

/* "a mapping", "a sequence", "an empty value", or the scalar quoted ("'4'"), for messages of
 * the form "expected a mapping, found ...". Writes into buf (len bytes) and returns it. */
const char *jz_yamlx_describe(const jz_yamlx_node_t *n, char *buf, size_t len);

/* ---- editing and writing (yamlx_edit.c), for `jzsim sweep`'s variants ------------------ */

/* Free one node and everything under it (not attached to a document any more). */
void jz_yamlx_node_free(jz_yamlx_node_t *n);
/* A deep copy of n, positions kept (they then point into n's file); NULL on ENOMEM. */
jz_yamlx_node_t *jz_yamlx_clone(const jz_yamlx_node_t *n);
/* A new plain scalar (quoted = false) holding text; NULL on ENOMEM. */
jz_yamlx_node_t *jz_yamlx_new_scalar(const char *text, bool quoted);
/* Put value under key in map (replacing and freeing the old value, or appending a pair with
 * a new plain key), or as item i of seq (i < its length). Takes value in every case (freed on
 * error). 0 or -JZ_ENOMEM / -JZ_EINVAL (wrong kind, index out of range). */
int jz_yamlx_map_set(jz_yamlx_node_t *map, const char *key, jz_yamlx_node_t *value);
int jz_yamlx_seq_set(jz_yamlx_node_t *seq, size_t i, jz_yamlx_node_t *value);

/* Write n as block-style YAML, deterministically: mappings and sequences in their order, two
 * spaces of indentation, a scalar plain when its text is made only of letters, digits and
 * "_.-+/@%" (and is not a null word unless it is null), double-quoted with escapes otherwise;
 * null as "~", empty collections as {} and []. Reading the text back gives the same tree
 * (positions aside). Returns 0 or -1 with errno on a write error. */
int jz_yamlx_emit(const jz_yamlx_node_t *n, FILE *f);

#endif
