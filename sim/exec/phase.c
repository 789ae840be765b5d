/* phase.c: the blocking steps execution models are made of (exec.h), on SimGrid 3.32's C API.
 *
 * Under host/model:ptask_L07 (the default network model, --network-model) a phase is one
 * parallel task over the job's nodes (and its tier's host for I/O): L07 shares every link and
 * host by max-min fairness, counts the route latency once per task and matches the closed
 * forms exactly (PLATFORM-NOTES B.7). Under the other models, which cannot run N-host tasks,
 * a phase is one activity per node or per node pair, started together and waited for.
 *
 * Compute: L07 and Cas01 run a host's share of an activity at one core's speed, and a host
 * hosts at most as many jobs as it has cores; so the job's F flop on a node become
 * F x (host speed / the job's rate there) flop of one activity (jz_exec_job_t.scale), which
 * lasts F / rate and does not slow the other jobs of the node, as disjoint cores do not. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/disk.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

#include "exec/exec.h"

XBT_LOG_NEW_DEFAULT_CATEGORY(jz_phase, "jzsim execution phases");

/* Memory a phase needs lives in the job (the flow module frees it): an actor killed at its
 * walltime never returns from the phase, so nothing it allocated there could be freed. */

/* The job's scratch space: an (n+1)^2 matrix, then n+1 flop amounts. */
static double *scratch(jz_exec_job_t *j) {
  size_t m = (size_t)(j->n + 1);
  if (!j->scratch) j->scratch = malloc((m * m + m) * sizeof *j->scratch);
  if (!j->scratch) xbt_die("jzsim: out of memory for a communication matrix of %d nodes", j->n);
  return j->scratch;
}

/* A zeroed m x m matrix (m <= n+1). */
static double *matrix(jz_exec_job_t *j, int m) {
  double *b = scratch(j);
  memset(b, 0, (size_t)m * (size_t)m * sizeof *b);
  return b;
}

/* m <= n+1 flop amounts, zeroed. */
static double *flop_vector(jz_exec_job_t *j, int m) {
  size_t off = (size_t)(j->n + 1) * (size_t)(j->n + 1);
  double *f = scratch(j) + off;
  memset(f, 0, (size_t)m * sizeof *f);
  return f;
}

/* Room for k activity handles. */
static sg_exec_t *exec_array(jz_exec_job_t *j, size_t k) {
  if (k > j->execs_cap) {
    sg_exec_t *e = realloc(j->execs, k * sizeof *e);
    if (!e) xbt_die("jzsim: out of memory");
    j->execs = e;
    j->execs_cap = k;
  }
  return j->execs;
}

/* Start the communications of matrix b (m x m over hosts h) without waiting: one L07 task, or
 * one two-host task per non-zero pair. Returns how many activities were put in out[]. */
static int start_comms(jz_exec_job_t *j, int m, sg_host_t *h, const double *b, sg_exec_t *out) {
  if (j->ptask) {
    out[0] = sg_actor_parallel_exec_init(m, h, flop_vector(j, m), (double *)b);
    sg_exec_start(out[0]);
    return 1;
  }
  int k = 0;
  for (int s = 0; s < m; s++) {
    for (int d = 0; d < m; d++) {
      double v = b[(size_t)s * (size_t)m + (size_t)d];
      if (v <= 0) continue;
      sg_host_t pair[2] = {h[s], h[d]};
      double fl[2] = {0, 0}, bb[4] = {0, v, 0, 0};
      out[k] = sg_actor_parallel_exec_init(2, pair, fl, bb);
      sg_exec_start(out[k++]);
    }
  }
  return k;
}

static void wait_all(sg_exec_t *e, int k) {
  for (int i = 0; i < k; i++) sg_exec_wait(e[i]);
}

/* Run matrix b (m x m over hosts h, at most `pairs` non-zero entries) to its end. */
static void run_matrix(jz_exec_job_t *j, int m, sg_host_t *h, const double *b, size_t pairs) {
  sg_exec_t *e = exec_array(j, j->ptask ? 1 : pairs);
  wait_all(e, start_comms(j, m, h, b, e));
}

void jz_phase_compute(jz_exec_job_t *j, double flops) {
  if (flops <= 0) return;
  if (j->ptask) {
    double *fl = flop_vector(j, j->n);
    for (int i = 0; i < j->n; i++) fl[i] = flops * j->scale[i];
    sg_actor_parallel_execute(j->n, j->hosts, fl, NULL);
    return;
  }
  sg_exec_t *e = exec_array(j, (size_t)j->n);
  for (int i = 0; i < j->n; i++) {
    e[i] = sg_actor_exec_init(flops * j->scale[i]);
    sg_exec_set_host(e[i], j->hosts[i]);
    sg_exec_start(e[i]);
  }
  wait_all(e, j->n);
}

void jz_phase_ring(jz_exec_job_t *j, double bytes) {
  int n = j->n;
  if (n < 2 || bytes <= 0) return;
  double *b = matrix(j, n);
  for (int i = 0; i < n; i++) b[(size_t)i * (size_t)n + (size_t)((i + 1) % n)] = bytes;
  run_matrix(j, n, j->hosts, b, (size_t)n);
}

void jz_phase_allreduce(jz_exec_job_t *j, double bytes, double times) {
  int n = j->n;
  if (n < 2 || bytes <= 0 || times <= 0) return;
  jz_phase_ring(j, 2.0 * (n - 1) / n * bytes * times);
  /* The ring's 2(N-1) steps each pay the neighbour latency; the task above paid it once. */
  double lat = sg_host_get_route_latency(j->hosts[0], j->hosts[1]);
  double more = (2.0 * (n - 1) * times - 1) * lat;
  if (more > 0) sg_actor_sleep_for(more);
}

void jz_phase_alltoall(jz_exec_job_t *j, double bytes) {
  int n = j->n;
  if (n < 2 || bytes <= 0) return;
  double *b = matrix(j, n), each = bytes / (n - 1);
  for (int s = 0; s < n; s++)
    for (int d = 0; d < n; d++)
      if (s != d) b[(size_t)s * (size_t)n + (size_t)d] = each;
  run_matrix(j, n, j->hosts, b, (size_t)n * (size_t)(n - 1));
}

void jz_phase_io(jz_exec_job_t *j, double bytes, bool write) {
  if (bytes <= 0 || !j->tier_host) return;
  if (j->drives) {
    sg_sem_acquire(j->drives);
    j->holding_drive = true;
  }
  if (j->mount_latency > 0) sg_actor_sleep_for(j->mount_latency);
  int n = j->n, m = n + 1;
  sg_host_t *h = j->io_hosts; /* io_hosts[n] is the tier's host */
  double *b = matrix(j, m), each = bytes / n;
  for (int i = 0; i < n; i++) {
    if (write)
      b[(size_t)i * (size_t)m + (size_t)n] = each;
    else
      b[(size_t)n * (size_t)m + (size_t)i] = each;
  }
  /* The network and the tier's disk carry the bytes at the same time. */
  sg_exec_t *e = exec_array(j, j->ptask ? 1 : (size_t)n);
  int k = start_comms(j, m, h, b, e);
  sg_size_t sz = (sg_size_t)llround(bytes);
  if (write)
    sg_disk_write(j->tier_disk, sz);
  else
    sg_disk_read(j->tier_disk, sz);
  wait_all(e, k);
  if (j->drives) {
    j->holding_drive = false;
    sg_sem_release(j->drives);
  }
}
