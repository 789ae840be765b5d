/* models.c: the execution models' bodies and their ops table (exec.h; formulas in
 * docs/models.md). Each body is a short sequence of phases (phase.c): identical iterations
 * between two events (a checkpoint, the end) are collapsed into one compute phase and one
 * all-reduce phase, so a training job costs a few activities, not one per iteration, while
 * its traffic still shares the fabric with everybody else's. */
#include <math.h>

#include "exec/exec.h"

static void run_compute(jz_exec_job_t *j) { jz_phase_compute(j, j->prof->flops); }

static void run_mpi(jz_exec_job_t *j) {
  const jz_profile_t *p = j->prof;
  jz_phase_compute(j, p->flops);
  if (p->pattern == JZ_PATTERN_ALLTOALL)
    jz_phase_alltoall(j, p->comm);
  else
    jz_phase_ring(j, p->comm);
}

static void run_io(jz_exec_job_t *j) {
  jz_phase_io(j, j->prof->read, false);
  jz_phase_io(j, j->prof->write, true);
}

/* Dataset read; then, from the last checkpoint a previous segment of its chain left (resume),
 * runs of iterations up to each checkpoint: compute, all-reduce, checkpoint write. */
static void run_ai(jz_exec_job_t *j) {
  const jz_profile_t *p = j->prof;
  double done = j->resume, total = p->iterations, every = p->checkpoint_every;
  j->checkpointed = done;
  jz_phase_io(j, p->dataset, false);
  while (done < total) {
    double next = every > 0 ? fmin(total, (floor(done / every) + 1) * every) : total;
    double k = next - done;
    jz_phase_compute(j, k * p->flops_per_iteration);
    jz_phase_allreduce(j, p->gradient, k);
    done = next;
    if (p->checkpoint > 0) {
      jz_phase_io(j, p->checkpoint, true);
      j->checkpointed = done;
    }
  }
}

static const jz_exec_model_t models[JZ_PROF_COUNT] = {
    [JZ_PROF_DELAY] = {"delay", "the trace run time; no SimGrid activity (default)", NULL},
    [JZ_PROF_COMPUTE] = {"compute", "flops per node on the job's cores or GPUs", run_compute},
    [JZ_PROF_AI] = {"ai_training",
                    "dataset read, iterations of GPU compute + ring all-reduce, checkpoints",
                    run_ai},
    [JZ_PROF_MPI] = {"mpi", "compute, then a ring or all-to-all exchange", run_mpi},
    [JZ_PROF_IO] = {"io", "reads then writes on a storage tier", run_io},
};

const jz_exec_model_t *jz_exec_model(jz_prof_kind_t kind) {
  return (unsigned)kind < JZ_PROF_COUNT ? &models[kind] : NULL;
}
