/* yamlx_edit.c: edit a yamlx tree and write it back as YAML (the sweep's variant files).
 *
 * The writer is ours rather than libyaml's emitter because the output must be a pure function
 * of the tree (a variant's hash is the hash of its files) and simple enough to read by eye:
 * block style throughout, two-space indentation, and a conservative quoting rule (yamlx.h). */
#include <stdlib.h>
#include <string.h>

#include "yamlx.h"

jz_yamlx_node_t *jz_yamlx_new_scalar(const char *text, bool quoted) {
  jz_yamlx_node_t *n = calloc(1, sizeof *n);
  if (!n) return NULL;
  n->kind = JZ_YAMLX_SCALAR;
  n->len = strlen(text);
  if (!(n->text = malloc(n->len + 1))) {
    free(n);
    return NULL;
  }
  memcpy(n->text, text, n->len + 1);
  n->quoted = quoted;
  n->is_null = !quoted && (!*text || !strcmp(text, "~") || !strcmp(text, "null") ||
                           !strcmp(text, "Null") || !strcmp(text, "NULL"));
  return n;
}

jz_yamlx_node_t *jz_yamlx_clone(const jz_yamlx_node_t *n) {
  jz_yamlx_node_t *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  *c = (jz_yamlx_node_t){.kind = n->kind, .line = n->line, .col = n->col, .len = n->len,
                         .quoted = n->quoted, .is_null = n->is_null};
  if (n->kind == JZ_YAMLX_SCALAR) {
    if (!(c->text = malloc(n->len + 1))) goto fail;
    memcpy(c->text, n->text, n->len + 1);
  } else if (n->kind == JZ_YAMLX_MAPPING && n->n_pairs) {
    if (!(c->pairs = calloc(n->n_pairs, sizeof *c->pairs))) goto fail;
    for (size_t i = 0; i < n->n_pairs; i++, c->n_pairs++) {
      c->pairs[i].key = jz_yamlx_clone(n->pairs[i].key);
      c->pairs[i].value = c->pairs[i].key ? jz_yamlx_clone(n->pairs[i].value) : NULL;
      if (!c->pairs[i].value) {
        c->n_pairs++; /* so the half-built pair is freed too */
        goto fail;
      }
    }
  } else if (n->kind == JZ_YAMLX_SEQUENCE && n->n_items) {
    if (!(c->items = calloc(n->n_items, sizeof *c->items))) goto fail;
    for (size_t i = 0; i < n->n_items; i++, c->n_items++)
      if (!(c->items[i] = jz_yamlx_clone(n->items[i]))) goto fail;
  }
  return c;
fail:
  jz_yamlx_node_free(c);
  return NULL;
}

int jz_yamlx_map_set(jz_yamlx_node_t *map, const char *key, jz_yamlx_node_t *value) {
  if (!jz_yamlx_is_mapping(map)) {
    jz_yamlx_node_free(value);
    return -JZ_EINVAL;
  }
  for (size_t i = 0; i < map->n_pairs; i++)
    if (strcmp(map->pairs[i].key->text, key) == 0) {
      jz_yamlx_node_free(map->pairs[i].value);
      map->pairs[i].value = value;
      return 0;
    }
  jz_yamlx_node_t *k = jz_yamlx_new_scalar(key, false);
  jz_yamlx_pair_t *p = k ? realloc(map->pairs, (map->n_pairs + 1) * sizeof *p) : NULL;
  if (!p) {
    jz_yamlx_node_free(k);
    jz_yamlx_node_free(value);
    return -JZ_ENOMEM;
  }
  map->pairs = p;
  map->pairs[map->n_pairs++] = (jz_yamlx_pair_t){k, value};
  return 0;
}

int jz_yamlx_seq_set(jz_yamlx_node_t *seq, size_t i, jz_yamlx_node_t *value) {
  if (!jz_yamlx_is_sequence(seq) || i >= seq->n_items) {
    jz_yamlx_node_free(value);
    return -JZ_EINVAL;
  }
  jz_yamlx_node_free(seq->items[i]);
  seq->items[i] = value;
  return 0;
}

/* Plain is safe for text of these characters that does not start with an indicator and does
 * not read as null when it is not (a quoted "null" stays a string). */
static bool plain_ok(const jz_yamlx_node_t *n) {
  const char *s = n->text;
  if (!*s) return false;
  if (!n->is_null && (!strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
                      !strcmp(s, "NULL")))
    return false;
  if (s[0] == '-' && s[1] == '\0') return false;
  if (s[0] == '@' || s[0] == '%') return false;
  for (const char *c = s; *c; c++) {
    bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("_.-+/@%", *c) != NULL;
    if (!ok) return false;
  }
  return true;
}

static void emit_scalar(const jz_yamlx_node_t *n, FILE *f) {
  if (n->is_null) {
    fputc('~', f);
    return;
  }
  if (plain_ok(n)) {
    fputs(n->text, f);
    return;
  }
  fputc('"', f);
  for (const unsigned char *c = (const unsigned char *)n->text; *c; c++) {
    switch (*c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\t': fputs("\\t", f); break;
    case '\r': fputs("\\r", f); break;
    default:
      if (*c < 0x20 || *c == 0x7f) fprintf(f, "\\x%02x", *c);
      else fputc(*c, f);
    }
  }
  fputc('"', f);
}

static bool inline_node(const jz_yamlx_node_t *n) {
  return n->kind == JZ_YAMLX_SCALAR || jz_yamlx_len(n) == 0;
}

static void emit_inline(const jz_yamlx_node_t *n, FILE *f) {
  if (n->kind == JZ_YAMLX_SCALAR) emit_scalar(n, f);
  else fputs(n->kind == JZ_YAMLX_MAPPING ? "{}" : "[]", f);
}

/* first: the column the cursor is already at for the first line (after "- "), else 0. */
static void emit_node(const jz_yamlx_node_t *n, int indent, int first, FILE *f) {
  if (n->kind == JZ_YAMLX_MAPPING) {
    for (size_t i = 0; i < n->n_pairs; i++) {
      fprintf(f, "%*s", i == 0 ? indent - first : indent, "");
      emit_scalar(n->pairs[i].key, f);
      fputc(':', f);
      const jz_yamlx_node_t *v = n->pairs[i].value;
      if (inline_node(v)) {
        fputc(' ', f);
        emit_inline(v, f);
        fputc('\n', f);
      } else {
        fputc('\n', f);
        emit_node(v, indent + 2, 0, f);
      }
    }
  } else if (n->kind == JZ_YAMLX_SEQUENCE) {
    for (size_t i = 0; i < n->n_items; i++) {
      const jz_yamlx_node_t *v = n->items[i];
      fprintf(f, "%*s-", i == 0 ? indent - first : indent, "");
      if (inline_node(v)) {
        fputc(' ', f);
        emit_inline(v, f);
        fputc('\n', f);
      } else {
        /* "- key: value" and "- - item": the item starts on the dash's line. */
        fputc(' ', f);
        emit_node(v, indent + 2, indent + 2, f);
      }
    }
  } else {
    fprintf(f, "%*s", indent, "");
    emit_scalar(n, f);
    fputc('\n', f);
  }
}

int jz_yamlx_emit(const jz_yamlx_node_t *n, FILE *f) {
  if (!n) fputs("~\n", f);
  else if (inline_node(n) && n->kind != JZ_YAMLX_SCALAR) {
    emit_inline(n, f);
    fputc('\n', f);
  } else emit_node(n, 0, 0, f);
  return ferror(f) ? -1 : 0;
}
