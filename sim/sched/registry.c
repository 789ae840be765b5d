/* registry.c: the statically registered policies. */
#include <string.h>

#include "sched/policy.h"

static const jz_policy_t *const policies[] = {&jz_policy_fcfs, &jz_policy_easy,
                                              &jz_policy_conservative, &jz_policy_slurm, NULL};

const jz_policy_t *const *jz_policy_list(void) { return policies; }

const jz_policy_t *jz_policy_find(const char *name) {
  for (const jz_policy_t *const *p = policies; *p; p++)
    if (strcmp((*p)->name, name) == 0) return *p;
  return NULL;
}
