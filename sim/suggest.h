/* suggest.h: the "(did you mean 'x'?)" of messages about a name typed by hand: the closest
 * valid name within JZ_SUGGEST_MAX_EDITS edits (Levenshtein distance over bytes).
 *
 * Used by the platform reader (keys, enum values, references) and the trace readers (CSV
 * headers, jobs-yaml keys), so every file jzsim reads suggests the same way. Example, with
 * keys {"name", "nodes", "fabric"} and the typo "node": "name" is 2 edits away (o->a, d->m),
 * "nodes" 1 (add s), "fabric" more than 2, so jz_suggest_closest gives "nodes" and
 * jz_suggest_hint " (did you mean 'nodes'?)". On a tie the earlier name wins. */
#ifndef JZ_SUGGEST_H
#define JZ_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#define JZ_SUGGEST_MAX_EDITS 2

/* Edits (insert, delete, substitute a byte) turning a into b; nocase: ASCII letters compare
 * without case. Names over 64 bytes are never typos of ours: (size_t)-1. */
size_t jz_suggest_distance(const char *a, const char *b, bool nocase);

/* The candidate closest to s within JZ_SUGGEST_MAX_EDITS (the first on ties), or NULL.
 * names[0..n) is read with a stride, so it works on an array of strings (stride
 * sizeof(char *)) or of structs whose first member is the name; NULL names are skipped. */
const char *jz_suggest_closest(const char *s, const void *names, size_t n, size_t stride,
                               bool nocase);

/* " (did you mean 'cand'?)" written into buf, or "" when cand is NULL. */
const char *jz_suggest_hint(char *buf, size_t len, const char *cand);

#endif
