/* energy.h: the node power model and how its energy is split among jobs.
 *
 * Node model (a node type with `power: {idle, max}`): a node with u of its U units busy draws
 *     P(u) = idle + (max - idle) x u / U
 * where the units are GPUs on nodes with GPUs and cores elsewhere (the unit GPU nodes are
 * shared by). It is SimGrid's host energy plugin model for wattage_per_state="idle:idle:max"
 * (Idle:Epsilon:AllCores with Epsilon = Idle), which sim/simgrid_xml.c writes on every node of
 * such a type; tests/unit/test_energy.c checks the two agree on a SimGrid run.
 *
 * Share of a job: on each of its nodes a job holding u units is charged the fraction f = u / U
 * of the node's power, dynamic and idle alike: f x (max - idle) + f x idle = f x max watts over
 * its execution. A whole-node (exclusive or multi-node) job holds all U units of each of its
 * nodes (f = 1 each). CPU cores taken on a GPU node are not a unit there: a job with no GPU on
 * a GPU node is charged nothing, and the node counts as idle under it.
 *
 * Identity: over a partition of N nodes and a span S, with B = sum over jobs of f x seconds
 * (busy node-seconds),
 *     total = N x idle x S + (max - idle) x B                 the node model integrated
 *     busy  = sum of the jobs' energies = max x B
 *     idle  = idle x (N x S - B)                              idle power of unused capacity
 * and busy + idle = total (exactly in real arithmetic; to rounding in doubles).
 * Example: one node, idle 100 W, max 400 W, 8 cores, one hour; a job on 4 cores all hour:
 * job 400 x 0.5 x 3600 = 720 kJ, idle 100 x 0.5 x 3600 = 180 kJ, total 0.36 MJ + 300 x 0.5 x
 * 3600 = 0.9 MJ = 720 + 180 kJ. */
#ifndef JZ_ENERGY_H
#define JZ_ENERGY_H

#include <stdint.h>

#include "platform.h"

/* Joules in a megawatt-hour. */
#define JZ_JOULES_PER_MWH 3.6e9

/* The nodes' worth a job holds: its GPUs / GPUs per node on GPU nodes, else its cores / cores
 * per node (for a job on k whole nodes: k). */
double jz_energy_share(const jz_node_type_t *nt, int64_t cores, int64_t gpus);

/* Joules charged to a job holding `cores` and `gpus` of nodes of type nt for `seconds`:
 * max x share x seconds. -1 when the node type has no power model. */
double jz_energy_job(const jz_node_type_t *nt, int64_t cores, int64_t gpus, double seconds);

/* Joules of `node_seconds` of unused capacity (idle power): idle x node_seconds. -1 without a
 * power model. */
double jz_energy_idle(const jz_node_type_t *nt, double node_seconds);

#endif
