/* derive.h: work profiles for trace jobs that have none, by a rule given per workload.
 *
 *   --workload gpu_p6=philly.csv:profile=ai_training,recorded_on=V100
 *
 * A GPU job that ran R seconds on GPU model M_r (recorded_on; default: the partition's own
 * model) becomes an `ai_training` job whose idle-machine time on M_r is R again, split into
 * compute, communication and I/O by `split` (default 80/15/5 percent), and whose compute is
 * faster or slower on the partition it replays on by the ratio of the two models' rates in
 * its precision (docs/models.md, "Profiles for traces"):
 *
 *   K = 100 iterations; N_r, N_t nodes the job takes on the recorded / target node type;
 *   speed-up S = 1 + E x (P_t / P_r - 1)  (P: jz_gpu_rate, E: `efficiency` in (0, 1], default 1)
 *   compute: flops_per_iteration = c R / S x g_t x P_t / K   (g_t GPUs per target node)
 *   comm (N_r >= 2): gradient = (m R / K - 2(N_r-1) L_r) x N_r B_r / (2(N_r-1)), B_r and L_r
 *     the recorded partition's injection bandwidth and 2 x its fabric latency
 *   I/O (a tier exists): dataset = i R x min(tier read bandwidth, N_r B_r)
 * A share with nothing to price it (one node: no all-reduce; no tier: no dataset) is added to
 * the compute share. Jobs without GPUs stay delay jobs. Pure C, no SimGrid. */
#ifndef JZ_DERIVE_H
#define JZ_DERIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "exec/profile.h"
#include "job.h"
#include "platform.h"

#define JZ_DERIVE_ITERATIONS 100

typedef struct jz_derive_rule {
  bool on;                 /* profile=ai_training was given */
  char *recorded_on;       /* GPU model (or its prefix up to a '-'); NULL: the partition's */
  char *tier;              /* dataset tier; NULL: the first flash tier, else the first tier */
  double share[3];         /* compute, comm, io; sum 1 (default 0.80, 0.15, 0.05) */
  double efficiency;       /* E in (0, 1] (default 1): the share of the peak-rate gain realised */
  uint8_t precision;       /* jz_precision_t, default bf16 */
  bool has_share, has_efficiency;
} jz_derive_rule_t;

/* What a rule resolves to on a platform for one target partition. */
typedef struct jz_derive_ctx {
  const jz_derive_rule_t *rule;
  const jz_node_type_t *rec, *tgt; /* recorded and target node types */
  double p_rec, p_tgt;             /* GPU rates in the rule's precision */
  double b_rec, l_rec;             /* recorded injection bandwidth, neighbour latency */
  int tier;                        /* storage index, -1 none */
  double tier_read;
} jz_derive_ctx_t;

/* Is key (klen bytes) one of the rule's options (profile, recorded_on, split, efficiency,
 * tier, precision)? If so parse val into r: 0, or a negative JZ_E* with why filled. Returns
 * 1 if the key is not the rule's. */
int jz_derive_option(jz_derive_rule_t *r, const char *key, size_t klen, const char *val,
                     char *why, size_t wl);
void jz_derive_rule_free(jz_derive_rule_t *r);

/* Resolve the rule for target partition part. Errors name the workload (where). */
int jz_derive_resolve(const jz_derive_rule_t *r, const jz_platform_t *p, int part,
                      const char *where, jz_derive_ctx_t *ctx, jz_error_t *err);

/* The profile of job j (trace facts: runtime, gpus, nodes, exclusive) under ctx: 0, or 1 when
 * the job keeps its run time (no GPU). */
int jz_derive_job(const jz_derive_ctx_t *ctx, const jz_job_t *j, jz_profile_t *out);

#endif
