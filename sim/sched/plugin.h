/* plugin.h: policies on the public seam (<jzsim/policy.h>) as engine policies (policy.h):
 * the adapter that gives them the view and checks their decisions, the built-ins written on
 * the seam, and the one place where a policy plugin is loaded (dlopen).
 *
 *   --policy-plugin ./libmine.so[:key=value,...]
 *
 * The path ends at the first ':' after its last '/'; the rest is comma-separated key=value
 * parameters handed to the plugin's init in order (values may not contain ','). */
#ifndef JZ_PLUGIN_H
#define JZ_PLUGIN_H

#include <stddef.h>

#include <jzsim/policy.h>

#include "error.h"
#include "sched/policy.h"

/* A public-seam policy and how to name it in messages. */
typedef struct jz_seam {
  const jzsim_policy_t *ops;
  const char *who;             /* "policy 'fcfs'", "plugin ./libsaf.so (saf)" */
  const jzsim_param_t *params;
  size_t n_params;
} jz_seam_t;

/* The engine policy that runs a seam policy through the adapter (seam must outlive it). */
jz_policy_t jz_seam_policy(const char *name, const char *summary, const jz_seam_t *seam);

/* A loaded plugin. */
typedef struct jz_plugin {
  char *path;            /* as given */
  char *name;            /* the policy's name (its ops table) */
  char *params_text;     /* "key=value,..." as given, "" without */
  char *buf;             /* owned copy of the parameters, cut into params */
  jzsim_param_t *params;
  size_t n_params;
  char who[600];
  void *dl;
  jz_seam_t seam;
  jz_policy_t pol;       /* hand this to the engine */
} jz_plugin_t;

/* Load the plugin of spec "path[:key=value,...]": one-line errors naming the plugin for a
 * dlopen failure, a missing symbol, another ABI version or a malformed parameter. The
 * parameters themselves are checked by the plugin's init when the run starts. */
int jz_plugin_open(jz_plugin_t **out, const char *spec, jz_error_t *err);
void jz_plugin_close(jz_plugin_t *p); /* NULL is fine */

#endif
