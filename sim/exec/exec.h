/* exec.h: execution models behind one ops table, and what a model sees of a running job.
 *
 * `delay` is the default and the fast path: the job lasts its trace run time, the engine keeps
 * it in its own event heap and SimGrid does nothing for it. The other models (compute,
 * ai_training, mpi, io; keys in exec/profile.h, formulas in docs/models.md) turn work into
 * time through SimGrid's flow models: each running job gets one actor on its first node
 * (exec/flow.c), whose body is the model's `run`, made of blocking phases (below) on the job's
 * allocated nodes and storage tier. Jobs sharing a fabric or a tier slow each other as the
 * network model says; compute never contends, since the scheduler gives each job its own
 * cores and GPUs. */
#ifndef JZ_EXEC_H
#define JZ_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include <simgrid/forward.h>

#include "exec/profile.h"

/* A running flow job as its model sees it. The flow module fills it and owns it. */
typedef struct jz_exec_job {
  uint32_t id;
  const jz_profile_t *prof;
  int n;              /* nodes */
  sg_host_t *hosts;   /* its nodes, in node order, then its tier's host (n + 1 entries) */
  sg_host_t *io_hosts; /* where its storage traffic leaves each node, then the tier's host:
                          the nodes' storage ports on torus and dragonfly partitions
                          (simgrid_xml.h), else `hosts` itself */
  double *scale;      /* per node: SimGrid host speed / the job's flop rate there, so that F
                         flop of the job take F x scale flop of a host's (one-core) activity */
  bool ptask;         /* host/model ptask_L07: one parallel task per phase */
  /* Storage tier (prof->tier), NULL host when none. */
  sg_host_t tier_host;
  sg_disk_t tier_disk;
  double mount_latency; /* tape: seconds per recall, 0 otherwise */
  sg_sem_t drives;      /* tape: one unit per drive, NULL otherwise */
  double resume;        /* ai_training: iterations already checkpointed by earlier segments */
  double checkpointed;  /* out: iterations safely checkpointed so far (chains resume there) */
  double *scratch;      /* (n+1)^2 + n+1 doubles for phases, allocated on first use */
  sg_exec_t *execs;     /* activity handles of the phase in progress */
  size_t execs_cap;
  bool holding_drive;   /* a tape drive is taken (released if the job is killed) */
  /* Set by the flow module. */
  void *owner;          /* the jz_flow_t */
  sg_actor_t actor;
  double end;           /* run time its work ended */
  bool done;            /* its work ended */
  bool reported;        /* ... and the scheduler knows */
} jz_exec_job_t;

typedef struct jz_exec_model {
  const char *name;    /* as in a job's `profile` key */
  const char *summary; /* one line */
  /* The actor body: blocking SimGrid calls, returns when the work is done. NULL for delay. */
  void (*run)(jz_exec_job_t *j);
} jz_exec_model_t;

const jz_exec_model_t *jz_exec_model(jz_prof_kind_t kind);

/* ---- phases (exec/phase.c): the blocking steps models are made of ---------------------- */

/* Every node computes flops of the job's work on its own cores or GPUs. */
void jz_phase_compute(jz_exec_job_t *j, double flops);
/* Ring all-reduce of `bytes`, `times` times back to back: 2(N-1)/N x bytes x times over each
 * node's link to its ring neighbour, plus 2(N-1) x times neighbour latencies. */
void jz_phase_allreduce(jz_exec_job_t *j, double bytes, double times);
/* Every node sends `bytes` spread evenly over the others (all-to-all). */
void jz_phase_alltoall(jz_exec_job_t *j, double bytes);
/* Ring exchange: every node sends `bytes` to its neighbour. */
void jz_phase_ring(jz_exec_job_t *j, double bytes);
/* The job reads (write = false) or writes `bytes` in total from its tier, spread evenly over
 * its nodes: the tier's disk and the network carry it at once (the slower decides); a tape
 * tier first waits for a free drive and pays its mount latency. */
void jz_phase_io(jz_exec_job_t *j, double bytes, bool write);

#endif
