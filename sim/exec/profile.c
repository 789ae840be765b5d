/* profile.c: parsing and checking of job execution profiles (keys in profile.h). */
#include "exec/profile.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "units.h"

const char *const jz_prof_key_names[JZ_PK_COUNT] = {
    "profile",  "flops",   "iterations", "flops_per_iteration", "gradient", "checkpoint",
    "checkpoint_every", "dataset", "comm", "pattern", "tier", "read", "write", "precision",
};

static const char *const kind_names[JZ_PROF_COUNT] = {"delay", "compute", "ai_training", "mpi",
                                                       "io"};

const char *jz_prof_kind_name(jz_prof_kind_t k) {
  return (unsigned)k < JZ_PROF_COUNT ? kind_names[k] : "?";
}

#define BIT(k) (1u << (k))

/* Keys each kind needs, and keys it accepts (besides `profile`). */
static const uint16_t needs[JZ_PROF_COUNT] = {
    [JZ_PROF_COMPUTE] = BIT(JZ_PK_FLOPS),
    [JZ_PROF_AI] = BIT(JZ_PK_ITERATIONS) | BIT(JZ_PK_FLOPS_PER_ITERATION),
    [JZ_PROF_MPI] = BIT(JZ_PK_FLOPS) | BIT(JZ_PK_COMM),
    [JZ_PROF_IO] = BIT(JZ_PK_TIER),
};
static const uint16_t accepts[JZ_PROF_COUNT] = {
    [JZ_PROF_COMPUTE] = BIT(JZ_PK_FLOPS) | BIT(JZ_PK_PRECISION),
    [JZ_PROF_AI] = BIT(JZ_PK_ITERATIONS) | BIT(JZ_PK_FLOPS_PER_ITERATION) | BIT(JZ_PK_GRADIENT) |
                   BIT(JZ_PK_CHECKPOINT) | BIT(JZ_PK_CHECKPOINT_EVERY) | BIT(JZ_PK_DATASET) |
                   BIT(JZ_PK_TIER) | BIT(JZ_PK_PRECISION),
    [JZ_PROF_MPI] = BIT(JZ_PK_FLOPS) | BIT(JZ_PK_COMM) | BIT(JZ_PK_PATTERN) | BIT(JZ_PK_PRECISION),
    [JZ_PROF_IO] = BIT(JZ_PK_TIER) | BIT(JZ_PK_READ) | BIT(JZ_PK_WRITE),
};

/* An amount: a plain number (bare only) or a number with a unit of `kind`. Flop amounts take
 * the flop-rate units read as amounts ("3Pf" = 3e15 flop). */
static int amount(const char *s, bool bare, jz_unit_kind_t kind, double *out, char *why,
                  size_t wl) {
  if (bare && jz_units_parse_double(s, out) == 0) {
    if (!(*out >= 0) || isinf(*out)) {
      snprintf(why, wl, "'%s' is out of range", s);
      return -JZ_ERANGE;
    }
    return 0;
  }
  return jz_units_parse(s, kind, out, why, wl);
}

static int count(const char *s, double min, double *out, char *why, size_t wl) {
  long long v;
  if (jz_units_parse_ll(s, &v) != 0) {
    snprintf(why, wl, "'%s' is not an integer", s);
    return -JZ_ESYNTAX;
  }
  if (v < min || v > (1LL << 53)) {
    snprintf(why, wl, "'%s' is out of range (at least %.0f)", s, min);
    return -JZ_ERANGE;
  }
  *out = (double)v;
  return 0;
}

/* s is one of names[0..n): its index in *out; else "unknown WHAT 's' (WHATs: a, b)". */
static int one_of(const char *s, const char *const *names, int n, const char *what, int *out,
                  char *why, size_t wl) {
  for (int i = 0; i < n; i++) {
    if (strcmp(s, names[i]) == 0) {
      *out = i;
      return 0;
    }
  }
  int k = snprintf(why, wl, "unknown %s '%.40s' (%ss: ", what, s, what);
  for (int i = 0; i < n && k > 0 && (size_t)k < wl; i++)
    k += snprintf(why + k, wl - (size_t)k, "%s%s", i ? ", " : "", names[i]);
  if (k > 0 && (size_t)k < wl) snprintf(why + k, wl - (size_t)k, ")");
  return -JZ_EINVAL;
}

int jz_precision_parse(const char *s, uint8_t *out, char *why, size_t wl) {
  static const char *const names[] = {"fp64", "bf16"};
  int i;
  int rc = one_of(s, names, 2, "precision", &i, why, wl);
  if (rc == 0) *out = (uint8_t)(i == 0 ? JZ_PREC_FP64 : JZ_PREC_BF16);
  return rc;
}

int jz_profile_set(jz_profile_t *p, jz_prof_key_t k, const char *s, size_t len, bool bare,
                   const char **tier_text, size_t *tier_len, char *why, size_t wl) {
  int rc = 0;
  switch (k) {
    case JZ_PK_PROFILE: {
      int i;
      if ((rc = one_of(s, kind_names, JZ_PROF_COUNT, "profile", &i, why, wl))) return rc;
      p->kind = (uint8_t)i;
      break;
    }
    case JZ_PK_PATTERN: {
      static const char *const patterns[] = {"ring", "all-to-all"};
      int i;
      if ((rc = one_of(s, patterns, 2, "pattern", &i, why, wl))) return rc;
      p->pattern = (uint8_t)i;
      break;
    }
    case JZ_PK_PRECISION:
      if ((rc = jz_precision_parse(s, &p->precision, why, wl))) return rc;
      break;
    case JZ_PK_TIER:
      *tier_text = s;
      *tier_len = len;
      break;
    case JZ_PK_ITERATIONS: rc = count(s, 1, &p->iterations, why, wl); break;
    case JZ_PK_CHECKPOINT_EVERY: rc = count(s, 0, &p->checkpoint_every, why, wl); break;
    case JZ_PK_FLOPS: rc = amount(s, bare, JZ_UNIT_FLOPS, &p->flops, why, wl); break;
    case JZ_PK_FLOPS_PER_ITERATION:
      rc = amount(s, bare, JZ_UNIT_FLOPS, &p->flops_per_iteration, why, wl);
      break;
    case JZ_PK_GRADIENT: rc = amount(s, bare, JZ_UNIT_SIZE, &p->gradient, why, wl); break;
    case JZ_PK_CHECKPOINT: rc = amount(s, bare, JZ_UNIT_SIZE, &p->checkpoint, why, wl); break;
    case JZ_PK_DATASET: rc = amount(s, bare, JZ_UNIT_SIZE, &p->dataset, why, wl); break;
    case JZ_PK_COMM: rc = amount(s, bare, JZ_UNIT_SIZE, &p->comm, why, wl); break;
    case JZ_PK_READ: rc = amount(s, bare, JZ_UNIT_SIZE, &p->read, why, wl); break;
    case JZ_PK_WRITE: rc = amount(s, bare, JZ_UNIT_SIZE, &p->write, why, wl); break;
    case JZ_PK_COUNT: return -JZ_EINTERNAL;
  }
  if (rc == 0) p->has |= (uint16_t)BIT(k);
  return rc;
}

int jz_profile_check(const jz_profile_t *p, char *why, size_t wl) {
  const char *kn = kind_names[p->kind];
  uint16_t given = (uint16_t)(p->has & ~BIT(JZ_PK_PROFILE));
  for (int k = 0; k < JZ_PK_COUNT; k++) {
    if ((given & BIT(k)) && !(accepts[p->kind] & BIT(k))) {
      snprintf(why, wl, "'%s' does not apply to profile '%s'", jz_prof_key_names[k], kn);
      return -JZ_EINVAL;
    }
  }
  for (int k = 0; k < JZ_PK_COUNT; k++) {
    if ((needs[p->kind] & BIT(k)) && !(given & BIT(k))) {
      snprintf(why, wl, "profile '%s' needs '%s'", kn, jz_prof_key_names[k]);
      return -JZ_EINVAL;
    }
  }
  if (p->kind == JZ_PROF_IO && !(given & (BIT(JZ_PK_READ) | BIT(JZ_PK_WRITE)))) {
    snprintf(why, wl, "profile 'io' needs 'read' or 'write'");
    return -JZ_EINVAL;
  }
  if (p->kind == JZ_PROF_AI && (p->dataset > 0 || p->checkpoint > 0) && !(given & BIT(JZ_PK_TIER))) {
    snprintf(why, wl, "profile 'ai_training' needs 'tier' for its %s",
             p->dataset > 0 ? "dataset" : "checkpoints");
    return -JZ_EINVAL;
  }
  return 0;
}
