/* wrongabi.c: a plugin built for another policy ABI version: jzsim must refuse to load it. */
#include <jzsim/policy.h>

static int none(void *state, const jzsim_view_t *v, jzsim_decisions_t *d) {
  (void)state, (void)v, (void)d;
  return 0;
}

static const jzsim_policy_t future = {999, sizeof(jzsim_policy_t), "future", "", NULL, none, NULL};

JZSIM_EXPORT extern const uint32_t jzsim_policy_abi_version;
JZSIM_EXPORT const uint32_t jzsim_policy_abi_version = 999;
JZSIM_EXPORT const jzsim_policy_t *jzsim_policy_ops(void);
JZSIM_EXPORT const jzsim_policy_t *jzsim_policy_ops(void) { return &future; }
