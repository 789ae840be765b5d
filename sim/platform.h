/* platform.h: the platform model read from YAML (DESIGN §3, schema v1) and its validation.
 *
 * The model is plain data: arrays indexed densely, cross references resolved to indices,
 * quantities in SI base units (flop/s, bytes, bytes/s, seconds, watts). Every element keeps
 * the line and column it came from so later stages can report errors at the right place. */
#ifndef JZ_PLATFORM_H
#define JZ_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef struct jz_srcpos {
  long line, col; /* 1-based; 0 when not from a file */
} jz_srcpos_t;

typedef struct jz_node_type {
  char *name;
  int cores;
  double core_speed;  /* flop/s per core; 0 if not given */
  double memory;      /* bytes; 0 if not given */
  int gpus;           /* 0 when the node has none */
  char *gpu_model;    /* NULL when gpus == 0 */
  double gpu_speed;   /* flop/s per GPU */
  double gpu_fp64;    /* flop/s per GPU in FP64 (tensor where it has one), 0: gpu_speed */
  double gpu_bf16;    /* flop/s per GPU in BF16/FP16 tensor (dense), 0: gpu_speed */
  double gpu_memory;  /* bytes per GPU */
  bool has_power;
  double power_idle, power_max; /* watts per node */
  jz_srcpos_t pos;
} jz_node_type_t;

typedef enum jz_topology {
  JZ_TOPO_FLAT,
  JZ_TOPO_FAT_TREE,
  JZ_TOPO_TORUS,
  JZ_TOPO_DRAGONFLY,
} jz_topology_t;

typedef struct jz_fabric {
  char *name;
  double bandwidth; /* bytes/s per link */
  double latency;   /* seconds */
  jz_topology_t topology;
  char *topology_parameters; /* SimGrid topo_parameters string, NULL if not given */
  jz_srcpos_t pos;
} jz_fabric_t;

typedef struct jz_partition {
  char *name;
  int node_type; /* index into node_types */
  int nodes;
  int fabric;    /* index into fabrics */
  int links_per_node;
  int first_node; /* global index of this partition's node 0 (partitions in file order) */
  jz_srcpos_t pos;
} jz_partition_t;

typedef enum jz_storage_kind { JZ_STORAGE_FLASH, JZ_STORAGE_DISK, JZ_STORAGE_TAPE } jz_storage_kind_t;

typedef struct jz_storage {
  char *name;
  jz_storage_kind_t kind;
  double capacity;        /* bytes */
  double read_bandwidth;  /* bytes/s */
  double write_bandwidth; /* bytes/s */
  double mount_latency;   /* seconds, 0 if not given */
  int drives;             /* tape: drives that serve recalls at once, 0 = unlimited */
  jz_srcpos_t pos;
} jz_storage_t;

/* Slurm QoS-like queue. Limits are 0 when absent (= unlimited). */
typedef struct jz_queue {
  char *name;
  int *partitions; /* indices */
  int n_partitions;
  double max_walltime; /* seconds; 0 = partition has no limit */
  long max_gpus_per_job, max_cores_per_job, max_nodes_per_job;
  long max_jobs_per_user, max_gpus_per_user, max_cores_per_user;
  long max_jobs_per_account, max_gpus_per_account, max_cores_per_account;
  int priority;
  bool is_default;
  jz_srcpos_t pos;
} jz_queue_t;

/* Dedicated allocation. nodes >= 0, or fraction in [0,1] of the partition. 0 nodes: no node
 * of its own (overflow forced on), its accounts' jobs still grouped as its members. */
typedef struct jz_reservation {
  char *name;
  int partition;
  int nodes;        /* resolved node count (from nodes or fraction) */
  double fraction;  /* as written, 0 when nodes was given */
  char **accounts;
  int n_accounts;
  double start, end; /* seconds from the trace origin */
  double period;     /* 0 = not recurring; else the window repeats every period */
  bool overflow;     /* accounts' jobs may run outside the reservation (default true) */
  bool lend_idle;    /* others may use idle reserved nodes if they end before it needs them */
  jz_srcpos_t pos;
} jz_reservation_t;

typedef struct jz_platform {
  char *name;
  char *path; /* file it was read from */
  jz_node_type_t *node_types;
  int n_node_types;
  jz_fabric_t *fabrics;
  int n_fabrics;
  jz_partition_t *partitions;
  int n_partitions;
  jz_storage_t *storage;
  int n_storage;
  jz_queue_t *queues;
  int n_queues;
  jz_reservation_t *reservations;
  int n_reservations;
  /* heat_reuse: {fraction: F}: the share of the energy recovered for heating, in [0, 1]. */
  bool has_heat_reuse;
  double heat_reuse_fraction;
} jz_platform_t;

/* Limits checked when a platform is read (platforms/README.md, docs/formats.md). Each keeps
 * a platform within what jzsim and SimGrid can load and simulate, and is generous for an
 * exascale machine: Fugaku has 158,976 nodes in one partition, Frontier 9,408. Measured on a
 * 2-core VM: 5 flat partitions of 100,000 nodes (the total limit) take 5.9 s of CPU and 1.7 GB
 * to load and run one job; 1,000 partitions 0.36 s and 53 MB. */
#define JZ_PLATFORM_MAX_PARTITIONS 1000
#define JZ_PLATFORM_MAX_NODES_PER_PARTITION 200000
#define JZ_PLATFORM_MAX_NODES 500000          /* over all partitions */
#define JZ_PLATFORM_MAX_TOPOLOGY_LINKS 2000000 /* links of a fat-tree, torus or dragonfly */
#define JZ_PLATFORM_MAX_CORES_PER_NODE 32767  /* the scheduler counts free cores in 16 bits */
#define JZ_PLATFORM_MAX_GPUS_PER_NODE 16      /* one free-GPU bitmap per count (resources.h) */
#define JZ_PLATFORM_MAX_NODE_TYPES 1000
#define JZ_PLATFORM_MAX_FABRICS 1000
#define JZ_PLATFORM_MAX_STORAGE 64            /* SimGrid routes join every pair of tiers */
#define JZ_PLATFORM_MAX_QUEUES 255            /* priority levels are 8-bit */
#define JZ_PLATFORM_MAX_RESERVATIONS 1000
#define JZ_PLATFORM_MAX_RESV_PER_PARTITION 63 /* zones are bits of a 64-bit mask, zone 0 shared */
/* Times (reservation start, end, period; trace times) are at most this many seconds from the
 * trace origin, 2^32 s (about 136 years): the sum of two such times is below 2^33 s, where a
 * double still resolves 2^-20 s (under a microsecond), so events keep their order and a run
 * time added to a start loses nothing a trace can say. */
#define JZ_TIME_MAX 4294967296.0
/* A reservation window, and the gap between two of its windows, last at least this long. */
#define JZ_RESV_MIN_S 60.0

/* Read and fully validate a platform file. On error *out is NULL and err holds
 * "path:line:col: message". */
int jz_platform_load(const char *path, jz_platform_t **out, jz_error_t *err);
void jz_platform_free(jz_platform_t *p);

/* Index of a partition by name, or -1. */
int jz_platform_find_partition(const jz_platform_t *p, const char *name);
/* The first partition whose node type has no GPUs, or -1. */
int jz_platform_first_cpu_partition(const jz_platform_t *p);
/* Total nodes over all partitions. */
long jz_platform_total_nodes(const jz_platform_t *p);

/* `jzsim platform show`: partitions, node counts, cores, GPUs, fabrics, storage tiers, totals
 * (peak PF FP64 = cores x core_speed + GPUs x gpu_speed, GPU count, PB per tier). */
void jz_platform_print(const jz_platform_t *p, FILE *out);

/* ---- Added with the platform layer (after the contract above; used by simgrid_xml.c) ---- */

/* "flat", "fat-tree", "torus", "dragonfly" / "flash", "disk", "tape". */
const char *jz_platform_topology_name(jz_topology_t t);
const char *jz_platform_storage_kind_name(jz_storage_kind_t k);

/* Hosts described by a SimGrid topo_parameters string: FAT_TREE "levels;down..;up..;par..",
 * TORUS "X,Y,...", DRAGONFLY "g,l;c,l;r,l;n". 0, or -JZ_ESYNTAX with a reason in why. */
int jz_platform_topology_hosts(jz_topology_t t, const char *params, long *hosts, char *why,
                               size_t whylen);

/* A 2-level FAT_TREE topo_parameters for exactly `nodes` hosts, written into buf (>= 64 bytes):
 * leaves x hosts-per-leaf = nodes with hosts-per-leaf the smallest divisor >= sqrt(nodes),
 * each leaf with as many uplinks as hosts (non-blocking). -JZ_ERANGE when that would put more
 * than JZ_FAT_TREE_MAX_LEAF hosts on a leaf switch (e.g. a large prime node count). */
#define JZ_FAT_TREE_MAX_LEAF 128
int jz_platform_fat_tree_params(int nodes, char *buf, size_t len);

/* Replace the queues and/or reservations (a non-NULL section node) by those of another YAML
 * file (an experiment file), validated against this platform's partitions. */
struct jz_yamlx_node;
int jz_platform_replace_sections(jz_platform_t *p, const char *path,
                                 const struct jz_yamlx_node *queues,
                                 const struct jz_yamlx_node *reservations, jz_error_t *err);

/* Peak flop/s over all nodes: cores x core_speed + GPUs x gpu_speed. */
double jz_platform_peak_flops(const jz_platform_t *p);

#endif
