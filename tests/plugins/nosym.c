/* nosym.c: a plugin that exports its ABI version but no policy table (jzsim_policy_ops): jzsim
 * must say which symbol is missing. */
#include <jzsim/policy.h>

JZSIM_EXPORT extern const uint32_t jzsim_policy_abi_version;
JZSIM_EXPORT const uint32_t jzsim_policy_abi_version = JZSIM_POLICY_ABI_VERSION;
