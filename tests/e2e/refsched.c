/* refsched.c: an independent FCFS and EASY for the exactness tests, written apart from
 * jzsim's engine on purpose (different algorithm, no shared code), for a flat machine of
 * MaxProcs interchangeable processors.
 *
 *   refsched fcfs|easy TRACE.swf[.gz] JOBS.csv
 *
 * Reads the trace with the DESIGN §6 cleaning rules, computes every job's start time, then
 * compares with jzsim's jobs.csv job by job and prints "N passed, N failed".
 * FCFS is job-centric: each job starts at the earliest time >= its submit time and >= the
 * previous job's start at which enough processors are free. EASY is event-driven with a full
 * recomputation of the head's reservation at every event (no incremental shortcuts). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct job {
  long id;
  double submit, run, wall, start;
  long procs;
} job_t;

static job_t *jobs;
static long njobs, maxprocs;

static void read_trace(const char *path) {
  gzFile f = gzopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  char line[4096];
  long cap = 1024;
  jobs = malloc(cap * sizeof *jobs);
  while (gzgets(f, line, sizeof line)) {
    if (line[0] == ';') {
      char *m = strstr(line, "MaxProcs:");
      if (m) maxprocs = atol(m + 9);
      continue;
    }
    double v[18];
    int n = 0;
    char *p = line, *e;
    while (n < 18) {
      double x = strtod(p, &e);
      if (e == p) break;
      v[n++] = x;
      p = e;
    }
    if (n == 0) continue;
    if (n != 18) { fprintf(stderr, "bad line: %s", line); exit(2); }
    long procs = v[4] > 0 ? (long)v[4] : (long)v[7];
    double wall = v[8] > 0 ? v[8] : v[3];
    if (v[3] <= 0 || procs <= 0 || v[1] < 0) continue;
    if (njobs == cap) jobs = realloc(jobs, (cap *= 2) * sizeof *jobs);
    jobs[njobs++] = (job_t){(long)v[0], v[1], v[3] < wall ? v[3] : wall, wall, -1, procs};
  }
  gzclose(f);
}

static int by_submit(const void *a, const void *b) {
  const job_t *x = a, *y = b;
  if (x->submit != y->submit) return x->submit < y->submit ? -1 : 1;
  return (x->start > y->start) - (x->start < y->start); /* file order, numbered in main */
}

/* ---- FCFS: job-centric ---- */
typedef struct rel { double t; long procs; } rel_t;

static void fcfs(void) {
  rel_t *run = malloc(njobs * sizeof *run);
  long nrun = 0;
  double last = -INFINITY;
  for (long i = 0; i < njobs; i++) {
    job_t *j = &jobs[i];
    if (j->procs > maxprocs) continue; /* rejected */
    double t = j->submit > last ? j->submit : last;
    for (;;) {
      long busy = 0;
      double next = INFINITY;
      for (long k = 0; k < nrun; k++) {
        if (run[k].t > t) {
          busy += run[k].procs;
          if (run[k].t < next) next = run[k].t;
        }
      }
      if (maxprocs - busy >= j->procs) break;
      t = next;
    }
    j->start = t;
    last = t;
    /* Drop finished entries to keep the scan short. */
    long w = 0;
    for (long k = 0; k < nrun; k++) if (run[k].t > t) run[w++] = run[k];
    nrun = w;
    run[nrun++] = (rel_t){t + j->run, j->procs};
  }
  free(run);
}

/* ---- EASY: event-driven, full recomputation ---- */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void easy(void) {
  long *queue = malloc(njobs * sizeof *queue), nq = 0;
  long *running = malloc(njobs * sizeof *running), nr = 0;
  double *ends = malloc(njobs * sizeof *ends);
  long next = 0, free_p = maxprocs;
  for (;;) {
    double t = INFINITY;
    for (long k = 0; k < nr; k++) {
      job_t *r = &jobs[running[k]];
      if (r->start + r->run < t) t = r->start + r->run;
    }
    if (next < njobs && jobs[next].submit < t) t = jobs[next].submit;
    if (t == INFINITY) break;
    long w = 0;
    for (long k = 0; k < nr; k++) {
      job_t *r = &jobs[running[k]];
      if (r->start + r->run == t) free_p += r->procs; else running[w++] = running[k];
    }
    nr = w;
    while (next < njobs && jobs[next].submit == t) {
      if (jobs[next].procs <= maxprocs) queue[nq++] = next;
      next++;
    }
    /* Start jobs from the head while they fit. */
    long h = 0;
    while (h < nq && jobs[queue[h]].procs <= free_p) {
      job_t *j = &jobs[queue[h]];
      j->start = t;
      free_p -= j->procs;
      running[nr++] = queue[h];
      h++;
    }
    memmove(queue, queue + h, (nq - h) * sizeof *queue);
    nq -= h;
    if (nq == 0) continue;
    /* Reservation for the head: sort requested ends of running jobs. */
    job_t *head = &jobs[queue[0]];
    for (long k = 0; k < nr; k++) ends[k] = jobs[running[k]].start + jobs[running[k]].wall;
    qsort(ends, nr, sizeof *ends, cmp_double);
    double shadow = INFINITY;
    long avail = free_p;
    for (long k = 0; k < nr && shadow == INFINITY; k++) {
      double e = ends[k];
      long add = 0;
      for (long m = 0; m < nr; m++) {
        job_t *r = &jobs[running[m]];
        if (r->start + r->wall == e) add += r->procs;
      }
      avail += add;
      while (k + 1 < nr && ends[k + 1] == e) k++; /* all jobs ending at e counted */
      if (avail >= head->procs) shadow = e;
    }
    long extra = avail - head->procs;
    /* Backfill in queue order. */
    long wq = 1;
    for (long k = 1; k < nq; k++) {
      job_t *j = &jobs[queue[k]];
      int ok = 0;
      if (j->procs <= free_p) {
        if (t + j->wall <= shadow) ok = 1;
        else if (j->procs <= extra) { ok = 1; extra -= j->procs; }
      }
      if (ok) {
        j->start = t;
        free_p -= j->procs;
        running[nr++] = queue[k];
      } else {
        queue[wq++] = queue[k];
      }
    }
    nq = wq;
  }
  free(queue); free(running); free(ends);
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: refsched fcfs|easy TRACE JOBS.csv\n"); return 2; }
  read_trace(argv[2]);
  if (maxprocs <= 0) { fprintf(stderr, "%s: no MaxProcs header\n", argv[2]); return 2; }
  /* Stable order by submit time: number the jobs first, compare numbers on ties. */
  for (long i = 0; i < njobs; i++) jobs[i].start = (double)i;
  qsort(jobs, njobs, sizeof *jobs, by_submit);
  for (long i = 0; i < njobs; i++) jobs[i].start = -1;
  if (strcmp(argv[1], "fcfs") == 0) fcfs(); else easy();

  FILE *f = fopen(argv[3], "r");
  if (!f) { perror(argv[3]); return 2; }
  char line[8192];
  long row = 0, passed = 0, failed = 0;
  if (!fgets(line, sizeof line, f)) return 2;
  while (fgets(line, sizeof line, f)) {
    if (row >= njobs) { fprintf(stderr, "jobs.csv has more rows than the trace has jobs\n"); failed++; break; }
    long id = atol(line);
    char *c = line;
    for (int k = 0; k < 7; k++) c = strchr(c, ',') + 1;
    double start = strtod(c, NULL);
    job_t *j = &jobs[row++];
    if (id != j->id) { fprintf(stderr, "row %ld: job %ld, expected %ld\n", row, id, j->id); failed++; continue; }
    if (start != j->start) {
      if (failed < 10) fprintf(stderr, "job %ld: jzsim starts it at %.17g, reference at %.17g\n", id, start, j->start);
      failed++;
    } else {
      passed++;
    }
  }
  fclose(f);
  if (row != njobs) { fprintf(stderr, "jobs.csv has %ld rows, trace %ld jobs\n", row, njobs); failed++; }
  printf("%s: %ld passed, %ld failed\n", argv[1], passed, failed);
  return failed ? 1 : 0;
}
