/* derive.c: work profiles for trace jobs by a per-workload rule (derive.h). */
#include "exec/derive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

static bool key_is(const char *key, size_t klen, const char *name) {
  return strlen(name) == klen && strncmp(key, name, klen) == 0;
}

static void defaults(jz_derive_rule_t *r) {
  if (!r->has_share) {
    r->share[0] = 0.80;
    r->share[1] = 0.15;
    r->share[2] = 0.05;
  }
  if (!r->has_efficiency) r->efficiency = 1;
  if (!r->precision) r->precision = JZ_PREC_BF16;
}

/* "C/M/I": three numbers >= 0 with a positive sum, normalised to fractions. */
static int parse_split(const char *v, double out[3]) {
  char buf[96];
  snprintf(buf, sizeof buf, "%s", v);
  char *parts[3], *save = NULL, *tok = strtok_r(buf, "/", &save);
  int n = 0;
  while (tok && n < 3) {
    parts[n++] = tok;
    tok = strtok_r(NULL, "/", &save);
  }
  if (n != 3 || tok) return -1;
  double sum = 0;
  for (int k = 0; k < 3; k++) {
    if (jz_units_parse_double(parts[k], &out[k]) != 0 || !(out[k] >= 0) || isinf(out[k])) return -1;
    sum += out[k];
  }
  if (!(sum > 0)) return -1;
  for (int k = 0; k < 3; k++) out[k] /= sum;
  return 0;
}

int jz_derive_option(jz_derive_rule_t *r, const char *key, size_t klen, const char *val,
                     char *why, size_t wl) {
  char **dst = NULL;
  if (key_is(key, klen, "profile")) {
    if (strcmp(val, "ai_training") != 0) {
      snprintf(why, wl, "profile '%s' cannot be derived from a trace (only ai_training)", val);
      return -JZ_EINVAL;
    }
    r->on = true;
  } else if (key_is(key, klen, "recorded_on")) {
    dst = &r->recorded_on;
  } else if (key_is(key, klen, "tier")) {
    dst = &r->tier;
  } else if (key_is(key, klen, "split")) {
    if (parse_split(val, r->share) != 0) {
      snprintf(why, wl, "split '%s' is not compute/comm/io shares (e.g. 80/15/5)", val);
      return -JZ_EINVAL;
    }
    r->has_share = true;
  } else if (key_is(key, klen, "efficiency")) {
    if (jz_units_parse_double(val, &r->efficiency) != 0 || !(r->efficiency > 0) ||
        r->efficiency > 1) {
      snprintf(why, wl, "efficiency '%s' is not a number in (0, 1]", val);
      return -JZ_EINVAL;
    }
    r->has_efficiency = true;
  } else if (key_is(key, klen, "precision")) {
    int rc = jz_precision_parse(val, &r->precision, why, wl);
    if (rc) return rc;
  } else {
    return 1;
  }
  if (dst) {
    if (!*val) {
      snprintf(why, wl, "option '%.*s' needs a value", (int)klen, key);
      return -JZ_EINVAL;
    }
    free(*dst);
    if (!(*dst = strdup(val))) return -JZ_ENOMEM;
  }
  return 0;
}

void jz_derive_rule_free(jz_derive_rule_t *r) {
  free(r->recorded_on);
  free(r->tier);
  memset(r, 0, sizeof *r);
}

/* Does GPU model `model` answer to `name`: equal, or name is its prefix up to a '-'? */
static bool model_matches(const char *model, const char *name) {
  size_t n = strlen(name);
  return strncmp(model, name, n) == 0 && (model[n] == '\0' || model[n] == '-');
}

int jz_derive_resolve(const jz_derive_rule_t *rule, const jz_platform_t *p, int part,
                      const char *where, jz_derive_ctx_t *ctx, jz_error_t *err) {
  jz_derive_rule_t *r = (jz_derive_rule_t *)rule; /* fills its defaults once */
  defaults(r);
  memset(ctx, 0, sizeof *ctx);
  ctx->rule = r;
  ctx->tgt = &p->node_types[p->partitions[part].node_type];
  if (ctx->tgt->gpus == 0)
    return jz_error_set(err, -JZ_EINVAL, "%s: profile=ai_training needs a GPU partition (%s has no GPUs)",
                        where, p->partitions[part].name);
  /* The recorded model's node type, and the first partition of that type for its fabric. */
  int rec_part = -1;
  for (int i = 0; i < p->n_partitions && rec_part < 0; i++) {
    const jz_node_type_t *t = &p->node_types[p->partitions[i].node_type];
    if (r->recorded_on ? (t->gpus > 0 && model_matches(t->gpu_model, r->recorded_on)) : i == part)
      rec_part = i;
  }
  if (rec_part < 0)
    return jz_error_set(err, -JZ_EINVAL,
                        "%s: recorded_on '%s': no partition of platform %s has that GPU model",
                        where, r->recorded_on, p->path);
  const jz_partition_t *rp = &p->partitions[rec_part];
  ctx->rec = &p->node_types[rp->node_type];
  ctx->p_rec = jz_gpu_rate(ctx->rec, (jz_precision_t)r->precision);
  ctx->p_tgt = jz_gpu_rate(ctx->tgt, (jz_precision_t)r->precision);
  if (!(ctx->p_rec > 0) || !(ctx->p_tgt > 0))
    return jz_error_set(err, -JZ_EINVAL, "%s: profile=ai_training needs GPU rates (gpus: speed, "
                        "fp64 or bf16) for %s and %s", where, ctx->rec->gpu_model,
                        ctx->tgt->gpu_model);
  const jz_fabric_t *f = &p->fabrics[rp->fabric];
  ctx->b_rec = rp->links_per_node * f->bandwidth;
  ctx->l_rec = 2 * f->latency;
  ctx->tier = -1;
  for (int i = 0; i < p->n_storage; i++) {
    bool pick = r->tier ? strcmp(p->storage[i].name, r->tier) == 0
                        : (p->storage[i].kind == JZ_STORAGE_FLASH || ctx->tier < 0);
    if (pick && (r->tier || ctx->tier < 0 || p->storage[ctx->tier].kind != JZ_STORAGE_FLASH))
      ctx->tier = i;
  }
  if (r->tier && ctx->tier < 0)
    return jz_error_set(err, -JZ_EINVAL, "%s: tier '%s': platform %s has no such storage tier",
                        where, r->tier, p->path);
  if (ctx->tier >= 0) ctx->tier_read = p->storage[ctx->tier].read_bandwidth;
  return 0;
}

/* Nodes job j takes on node type t, and GPUs it holds on each (experiment.c's mapping: on one
 * node when it fits and is not exclusive, else whole nodes). */
static void shape(const jz_job_t *j, const jz_node_type_t *t, double *nodes, double *gpn) {
  int per = t->gpus;
  bool whole = (j->flags & JZ_JOB_EXCLUSIVE) || j->gpus > per || j->nodes > 1;
  double n = whole ? fmax(j->nodes, ceil((double)j->gpus / per)) : 1;
  *nodes = n;
  *gpn = whole ? per : j->gpus;
}

int jz_derive_job(const jz_derive_ctx_t *ctx, const jz_job_t *j, jz_profile_t *out) {
  const jz_derive_rule_t *r = ctx->rule;
  if (j->gpus <= 0) return 1;
  double R = j->runtime, K = JZ_DERIVE_ITERATIONS;
  double n_rec, g_rec, n_tgt, g_tgt;
  shape(j, ctx->rec, &n_rec, &g_rec);
  shape(j, ctx->tgt, &n_tgt, &g_tgt);
  double comp = r->share[0] * R, comm = r->share[1] * R, io = r->share[2] * R;
  memset(out, 0, sizeof *out);
  out->kind = JZ_PROF_AI;
  out->precision = r->precision;
  out->tier = -1;
  out->iterations = K;
  if (n_rec >= 2) {
    double per_it = comm / K - 2 * (n_rec - 1) * ctx->l_rec;
    out->gradient = per_it > 0 ? per_it * n_rec * ctx->b_rec / (2 * (n_rec - 1)) : 0;
  } else {
    comp += comm; /* one node: no all-reduce over the fabric */
  }
  if (ctx->tier >= 0) {
    out->dataset = io * fmin(ctx->tier_read, n_rec * ctx->b_rec);
    out->tier = ctx->tier;
  } else {
    comp += io;
  }
  double S = 1 + r->efficiency * (ctx->p_tgt / ctx->p_rec - 1);
  out->flops_per_iteration = comp / S * g_tgt * ctx->p_tgt / K;
  out->has = (uint16_t)((1u << JZ_PK_PROFILE) | (1u << JZ_PK_ITERATIONS) |
                        (1u << JZ_PK_FLOPS_PER_ITERATION) | (1u << JZ_PK_GRADIENT) |
                        (1u << JZ_PK_PRECISION) |
                        (out->tier >= 0 ? (1u << JZ_PK_DATASET) | (1u << JZ_PK_TIER) : 0));
  return 0;
}
