/* json_check.c: a strict RFC 8259 syntax check of one JSON text, for the properties of the
 * pipeline harness (summary.json must stay valid JSON whatever names the traces carry: no raw
 * control character in a string, no NaN or infinity, nothing after the value). */
#include <string.h>

#include "fuzz.h"

typedef struct jp {
  const char *s, *end;
  const char *why;
  int depth;
} jp_t;

static void ws(jp_t *p) {
  while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) p->s++;
}

static bool fail(jp_t *p, const char *why) {
  if (!p->why) p->why = why;
  return false;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool hex4(jp_t *p) {
  for (int k = 0; k < 4; k++, p->s++)
    if (p->s >= p->end || !strchr("0123456789abcdefABCDEF", *p->s) || *p->s == '\0')
      return fail(p, "bad \\u escape");
  return true;
}

static bool string(jp_t *p) {
  p->s++; /* opening quote */
  while (p->s < p->end && *p->s != '"') {
    unsigned char c = (unsigned char)*p->s;
    if (c < 0x20) return fail(p, "raw control character in a string");
    if (c == '\\') {
      p->s++;
      if (p->s >= p->end) return fail(p, "unterminated escape");
      char e = *p->s;
      if (e == 'u') {
        p->s++;
        if (!hex4(p)) return false;
        continue;
      }
      if (!strchr("\"\\/bfnrt", e) || e == '\0') return fail(p, "bad escape");
    }
    p->s++;
  }
  if (p->s >= p->end) return fail(p, "unterminated string");
  p->s++;
  return true;
}

static bool number(jp_t *p) {
  if (p->s < p->end && *p->s == '-') p->s++;
  if (p->s >= p->end || !is_digit(*p->s)) return fail(p, "bad number");
  if (*p->s == '0') p->s++;
  else while (p->s < p->end && is_digit(*p->s)) p->s++;
  if (p->s < p->end && *p->s == '.') {
    p->s++;
    if (p->s >= p->end || !is_digit(*p->s)) return fail(p, "bad fraction");
    while (p->s < p->end && is_digit(*p->s)) p->s++;
  }
  if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
    p->s++;
    if (p->s < p->end && (*p->s == '+' || *p->s == '-')) p->s++;
    if (p->s >= p->end || !is_digit(*p->s)) return fail(p, "bad exponent");
    while (p->s < p->end && is_digit(*p->s)) p->s++;
  }
  return true;
}

static bool word(jp_t *p, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n) != 0) return fail(p, "unexpected text");
  p->s += n;
  return true;
}

static bool value(jp_t *p) {
  ws(p);
  if (p->s >= p->end) return fail(p, "missing value");
  if (++p->depth > 64) return fail(p, "nesting deeper than 64");
  bool ok;
  char c = *p->s;
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    p->s++;
    ws(p);
    ok = true;
    if (p->s < p->end && *p->s == close) {
      p->s++;
    } else {
      for (;;) {
        if (c == '{') {
          ws(p);
          if (p->s >= p->end || *p->s != '"' || !string(p)) { ok = fail(p, "bad key"); break; }
          ws(p);
          if (p->s >= p->end || *p->s != ':') { ok = fail(p, "missing ':'"); break; }
          p->s++;
        }
        if (!value(p)) { ok = false; break; }
        ws(p);
        if (p->s < p->end && *p->s == ',') { p->s++; continue; }
        if (p->s < p->end && *p->s == close) { p->s++; break; }
        ok = fail(p, "missing ',' or closing bracket");
        break;
      }
    }
  } else if (c == '"') {
    ok = string(p);
  } else if (c == 't') {
    ok = word(p, "true");
  } else if (c == 'f') {
    ok = word(p, "false");
  } else if (c == 'n') {
    ok = word(p, "null");
  } else {
    ok = number(p);
  }
  p->depth--;
  return ok;
}

void jz_fuzz_check_json(const char *what, const char *buf, size_t len) {
  jp_t p = {buf, buf + len, NULL, 0};
  bool ok = value(&p);
  if (ok) {
    ws(&p);
    if (p.s != p.end) ok = fail(&p, "text after the value");
  }
  JZ_FUZZ_CHECK(ok, "%s is not valid JSON: %s at byte %ld", what, p.why, (long)(p.s - buf));
}
