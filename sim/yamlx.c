/* yamlx.c: build a positioned YAML tree from libyaml's event stream.
 *
 * The event API (rather than yaml_parser_load) lets us refuse aliases, repeated keys and deep
 * nesting while reading, and keeps the marks of every node. libyaml marks are 0-based; the
 * tree stores them 1-based. Every node is attached to its parent as soon as it is created, so
 * freeing the root frees everything, including after an error half-way. */
#include "yamlx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct frame {
  jz_yamlx_node_t *node;
  jz_yamlx_node_t *pending_key; /* mapping: key read, value not yet */
} frame_t;

typedef struct builder {
  const char *name;
  jz_error_t *err;
  jz_yamlx_node_t *root;
  frame_t stack[JZ_YAMLX_MAX_DEPTH];
  int depth;
} builder_t;

void jz_yamlx_node_free(jz_yamlx_node_t *n) {
  if (!n) return;
  free(n->text);
  for (size_t i = 0; i < n->n_pairs; i++) {
    jz_yamlx_node_free(n->pairs[i].key);
    jz_yamlx_node_free(n->pairs[i].value);
  }
  free(n->pairs);
  for (size_t i = 0; i < n->n_items; i++) jz_yamlx_node_free(n->items[i]);
  free(n->items);
  free(n);
}

void jz_yamlx_free(jz_yamlx_doc_t *doc) {
  if (!doc) return;
  jz_yamlx_node_free(doc->root);
  free(doc->name);
  free(doc);
}

static int oom(builder_t *b) {
  return jz_error_at(b->err, -JZ_ENOMEM, b->name, 0, 0, "out of memory while reading YAML");
}

static bool grow(void **arr, size_t n, size_t elem) {
  /* Capacity is 4, then doubles whenever n reaches a power of two. */
  if (n != 0 && (n < 4 || (n & (n - 1)) != 0)) return true;
  size_t cap = n ? 2 * n : 4;
  void *p = realloc(*arr, cap * elem);
  if (!p) return false;
  *arr = p;
  return true;
}

/* The first repeated key of a finished mapping, in file order, or NULL. Small mappings
 * compare pairwise; large ones sort (key, index) so a 100k-key mapping stays fast. */
static int key_cmp(const jz_yamlx_node_t *a, const jz_yamlx_node_t *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->text, b->text, n);
  if (c) return c;
  return (a->len > b->len) - (a->len < b->len);
}

typedef struct key_ref {
  const jz_yamlx_node_t *key;
  size_t index;
} key_ref_t;

static int key_ref_cmp(const void *x, const void *y) {
  const key_ref_t *a = x, *b = y;
  int c = key_cmp(a->key, b->key);
  if (c) return c;
  return (a->index > b->index) - (a->index < b->index);
}

static int find_repeat(const jz_yamlx_node_t *map, size_t *first, size_t *again) {
  size_t n = map->n_pairs;
  size_t best = (size_t)-1, best_first = 0;
  if (n <= 32) {
    for (size_t j = 1; j < n && best == (size_t)-1; j++)
      for (size_t i = 0; i < j; i++)
        if (key_cmp(map->pairs[i].key, map->pairs[j].key) == 0) {
          best = j;
          best_first = i;
          break;
        }
  } else {
    key_ref_t *refs = malloc(n * sizeof *refs);
    if (!refs) return -1;
    for (size_t i = 0; i < n; i++) refs[i] = (key_ref_t){map->pairs[i].key, i};
    qsort(refs, n, sizeof *refs, key_ref_cmp);
    for (size_t i = 0; i + 1 < n; i++) {
      if (key_cmp(refs[i].key, refs[i + 1].key) != 0) continue;
      /* refs[i] is the first of its group only if it starts the group. */
      if (i > 0 && key_cmp(refs[i - 1].key, refs[i].key) == 0) continue;
      if (refs[i + 1].index < best) {
        best = refs[i + 1].index;
        best_first = refs[i].index;
      }
    }
    free(refs);
  }
  if (best == (size_t)-1) return 0;
  *first = best_first;
  *again = best;
  return 1;
}

/* Attach a new node under the top of the stack (or as the root). */
static int attach(builder_t *b, jz_yamlx_node_t *n) {
  if (b->depth == 0) {
    b->root = n;
    return 0;
  }
  frame_t *f = &b->stack[b->depth - 1];
  jz_yamlx_node_t *parent = f->node;
  if (parent->kind == JZ_YAMLX_SEQUENCE) {
    if (!grow((void **)&parent->items, parent->n_items, sizeof *parent->items)) {
      jz_yamlx_node_free(n);
      return oom(b);
    }
    parent->items[parent->n_items++] = n;
    return 0;
  }
  if (!f->pending_key) {
    if (n->kind != JZ_YAMLX_SCALAR) {
      long line = n->line, col = n->col;
      const char *what = n->kind == JZ_YAMLX_MAPPING ? "a mapping" : "a sequence";
      jz_yamlx_node_free(n);
      return jz_error_at(b->err, -JZ_ESYNTAX, b->name, line, col,
                         "mapping keys must be scalars, found %s", what);
    }
    f->pending_key = n;
    return 0;
  }
  if (!grow((void **)&parent->pairs, parent->n_pairs, sizeof *parent->pairs)) {
    jz_yamlx_node_free(n);
    return oom(b);
  }
  parent->pairs[parent->n_pairs++] = (jz_yamlx_pair_t){f->pending_key, n};
  f->pending_key = NULL;
  return 0;
}

static jz_yamlx_node_t *new_node(jz_yamlx_kind_t kind, const yaml_mark_t *m) {
  jz_yamlx_node_t *n = calloc(1, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->line = (long)m->line + 1;
  n->col = (long)m->column + 1;
  return n;
}

static bool null_text(const char *s) {
  return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
         !strcmp(s, "NULL");
}

static int on_scalar(builder_t *b, const yaml_event_t *ev) {
  const char *v = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  if (memchr(v, '\0', len))
    return jz_error_at(b->err, -JZ_ESYNTAX, b->name, (long)ev->start_mark.line + 1,
                       (long)ev->start_mark.column + 1, "NUL character in a scalar");
  jz_yamlx_node_t *n = new_node(JZ_YAMLX_SCALAR, &ev->start_mark);
  if (!n) return oom(b);
  n->text = malloc(len + 1);
  if (!n->text) {
    free(n);
    return oom(b);
  }
  memcpy(n->text, v, len);
  n->text[len] = '\0';
  n->len = len;
  n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
  n->is_null = !n->quoted && null_text(n->text);
  return attach(b, n);
}

static int on_start(builder_t *b, const yaml_event_t *ev, jz_yamlx_kind_t kind) {
  if (b->depth >= JZ_YAMLX_MAX_DEPTH)
    return jz_error_at(b->err, -JZ_ESYNTAX, b->name, (long)ev->start_mark.line + 1,
                       (long)ev->start_mark.column + 1, "nesting deeper than %d levels",
                       JZ_YAMLX_MAX_DEPTH);
  jz_yamlx_node_t *n = new_node(kind, &ev->start_mark);
  if (!n) return oom(b);
  int rc = attach(b, n);
  if (rc < 0) return rc;
  b->stack[b->depth++] = (frame_t){n, NULL};
  return 0;
}

static int on_end(builder_t *b) {
  jz_yamlx_node_t *n = b->stack[--b->depth].node;
  if (n->kind != JZ_YAMLX_MAPPING) return 0;
  size_t first, again;
  int r = find_repeat(n, &first, &again);
  if (r < 0) return oom(b);
  if (r == 0) return 0;
  const jz_yamlx_node_t *k1 = n->pairs[first].key, *k2 = n->pairs[again].key;
  return jz_error_at(b->err, -JZ_ESYNTAX, b->name, k2->line, k2->col,
                     "duplicate key '%s' (first at %ld:%ld)", k2->text, k1->line, k1->col);
}

/* Line and column of a byte offset, for reader errors (bad encoding) that carry no mark. */
static void offset_pos(const char *text, size_t len, size_t off, long *line, long *col) {
  long l = 1, c = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (text[i] == '\n') {
      l++;
      c = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

static int parser_error(builder_t *b, const yaml_parser_t *p, const char *text, size_t len) {
  const char *problem = p->problem ? p->problem : "unknown YAML error";
  long line, col;
  switch (p->error) {
  case YAML_MEMORY_ERROR: return oom(b);
  case YAML_READER_ERROR:
    offset_pos(text, len, p->problem_offset, &line, &col);
    if (p->problem_value != -1)
      return jz_error_at(b->err, -JZ_ESYNTAX, b->name, line, col, "%s (byte 0x%02x)", problem,
                         (unsigned)p->problem_value & 0xFFu);
    return jz_error_at(b->err, -JZ_ESYNTAX, b->name, line, col, "%s", problem);
  default:
    line = (long)p->problem_mark.line + 1;
    col = (long)p->problem_mark.column + 1;
    /* The context ("while parsing a block mapping") helps when it points elsewhere. */
    if (p->context && (p->context_mark.line != p->problem_mark.line ||
                       p->context_mark.column != p->problem_mark.column))
      return jz_error_at(b->err, -JZ_ESYNTAX, b->name, line, col, "%s (%s at %ld:%ld)", problem,
                         p->context, (long)p->context_mark.line + 1,
                         (long)p->context_mark.column + 1);
    return jz_error_at(b->err, -JZ_ESYNTAX, b->name, line, col, "%s", problem);
  }
}

static int run_parser(builder_t *b, const char *text, size_t len) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return oom(b);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  int rc = 0, docs = 0;
  for (bool done = false; !done && rc == 0;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      rc = parser_error(b, &parser, text, len);
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_END_EVENT: done = true; break;
    case YAML_DOCUMENT_START_EVENT:
      if (++docs > 1)
        rc = jz_error_at(b->err, -JZ_ESYNTAX, b->name, (long)ev.start_mark.line + 1,
                         (long)ev.start_mark.column + 1,
                         "a second YAML document; expected exactly one");
      break;
    case YAML_ALIAS_EVENT:
      rc = jz_error_at(b->err, -JZ_ESYNTAX, b->name, (long)ev.start_mark.line + 1,
                       (long)ev.start_mark.column + 1, "YAML aliases ('*%s') are not supported",
                       (const char *)ev.data.alias.anchor);
      break;
    case YAML_SCALAR_EVENT: rc = on_scalar(b, &ev); break;
    case YAML_SEQUENCE_START_EVENT: rc = on_start(b, &ev, JZ_YAMLX_SEQUENCE); break;
    case YAML_MAPPING_START_EVENT: rc = on_start(b, &ev, JZ_YAMLX_MAPPING); break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: rc = on_end(b); break;
    default: break;
    }
    yaml_event_delete(&ev);
  }
  /* A key whose value never came (only possible after an error) belongs to no pair yet. */
  for (int i = 0; i < b->depth; i++) jz_yamlx_node_free(b->stack[i].pending_key);
  yaml_parser_delete(&parser);
  return rc;
}

int jz_yamlx_load_string(const char *name, const char *text, size_t len, jz_yamlx_doc_t **out,
                         jz_error_t *err) {
  *out = NULL;
  builder_t b = {.name = name ? name : "<string>", .err = err};
  jz_yamlx_doc_t *doc = calloc(1, sizeof *doc);
  if (doc) doc->name = strdup(b.name);
  if (!doc || !doc->name) {
    free(doc);
    return oom(&b);
  }
  int rc = run_parser(&b, text, len);
  doc->root = b.root;
  if (rc < 0) {
    jz_yamlx_free(doc);
    return rc;
  }
  *out = doc;
  return 0;
}

int jz_yamlx_load_file(const char *path, jz_yamlx_doc_t **out, jz_error_t *err) {
  *out = NULL;
  char ebuf[128];
  FILE *f = fopen(path, "rb");
  if (!f) {
    int e = errno;
    if (strerror_r(e, ebuf, sizeof ebuf)) snprintf(ebuf, sizeof ebuf, "error %d", e);
    return jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", ebuf);
  }
  size_t cap = 1 << 16, len = 0;
  char *text = malloc(cap);
  int rc = 0;
  while (text) {
    len += fread(text + len, 1, cap - len, f);
    if (len < cap) break;
    char *bigger = realloc(text, cap * 2);
    if (!bigger) {
      free(text);
      text = NULL;
      break;
    }
    text = bigger;
    cap *= 2;
  }
  if (!text) {
    rc = jz_error_at(err, -JZ_ENOMEM, path, 0, 0, "out of memory while reading");
  } else if (ferror(f)) {
    int e = errno;
    if (strerror_r(e, ebuf, sizeof ebuf)) snprintf(ebuf, sizeof ebuf, "error %d", e);
    rc = jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot read: %s", ebuf);
  }
  fclose(f);
  if (rc == 0) rc = jz_yamlx_load_string(path, text, len, out, err);
  free(text);
  return rc;
}

bool jz_yamlx_is_mapping(const jz_yamlx_node_t *n) { return n && n->kind == JZ_YAMLX_MAPPING; }
bool jz_yamlx_is_sequence(const jz_yamlx_node_t *n) { return n && n->kind == JZ_YAMLX_SEQUENCE; }
bool jz_yamlx_is_scalar(const jz_yamlx_node_t *n) { return n && n->kind == JZ_YAMLX_SCALAR; }
bool jz_yamlx_is_null(const jz_yamlx_node_t *n) { return n && n->kind == JZ_YAMLX_SCALAR && n->is_null; }

size_t jz_yamlx_len(const jz_yamlx_node_t *n) {
  if (!n) return 0;
  return n->kind == JZ_YAMLX_MAPPING ? n->n_pairs : n->kind == JZ_YAMLX_SEQUENCE ? n->n_items : 0;
}

const jz_yamlx_node_t *jz_yamlx_map_get(const jz_yamlx_node_t *map, const char *key) {
  if (!jz_yamlx_is_mapping(map) || !key) return NULL;
  for (size_t i = 0; i < map->n_pairs; i++)
    if (strcmp(map->pairs[i].key->text, key) == 0) return map->pairs[i].value;
  return NULL;
}

const jz_yamlx_node_t *jz_yamlx_map_key(const jz_yamlx_node_t *map, size_t i) {
  return jz_yamlx_is_mapping(map) && i < map->n_pairs ? map->pairs[i].key : NULL;
}

const jz_yamlx_node_t *jz_yamlx_map_value(const jz_yamlx_node_t *map, size_t i) {
  return jz_yamlx_is_mapping(map) && i < map->n_pairs ? map->pairs[i].value : NULL;
}

const jz_yamlx_node_t *jz_yamlx_seq_item(const jz_yamlx_node_t *seq, size_t i) {
  return jz_yamlx_is_sequence(seq) && i < seq->n_items ? seq->items[i] : NULL;
}

const char *jz_yamlx_str(const jz_yamlx_node_t *n) { return jz_yamlx_is_scalar(n) ? n->text : NULL; }

const char *jz_yamlx_describe(const jz_yamlx_node_t *n, char *buf, size_t len) {
  if (!n)
    snprintf(buf, len, "nothing");
  else if (n->kind == JZ_YAMLX_MAPPING)
    snprintf(buf, len, "a mapping");
  else if (n->kind == JZ_YAMLX_SEQUENCE)
    snprintf(buf, len, "a sequence");
  else if (n->is_null)
    snprintf(buf, len, "an empty value");
  else
    snprintf(buf, len, "'%s'", n->text);
  return buf;
}
