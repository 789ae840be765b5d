/* refsched.c: an independent FCFS, EASY and conservative backfilling for the exactness tests,
 * written apart from jzsim's engine on purpose (different algorithm, no shared code), for a
 * flat machine of MaxProcs interchangeable processors.
 *
 *   refsched fcfs|easy|conservative TRACE.swf[.gz] JOBS.csv
 *
 * Reads the trace with the DESIGN §6 cleaning rules, computes every job's start time, then
 * compares with jzsim's jobs.csv job by job and prints "N passed, N failed".
 * FCFS is job-centric: each job starts at the earliest time >= its submit time and >= the
 * previous job's start at which enough processors are free. EASY is event-driven with a full
 * recomputation of the head's reservation at every event (no incremental shortcuts).
 * Conservative is event-driven too, with no profile kept between placements: each placement
 * lists the intervals of every running job (to its requested end) and every other
 * reservation, sorts their boundaries into a step function of free processors, and tries the
 * candidate starts (now, then each time processors are given back) in increasing order.
 * Events: job ends, arrivals, and reservation starts. At an instant where some job ended
 * before its requested end, every waiting job, in arrival order, is taken out and placed
 * again at its earliest start (compression); otherwise the reservations due now start and
 * the jobs that arrived are placed. A job whose earliest start is now starts. */
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

/* ---- conservative: event-driven, profile rebuilt for every placement ---- */
typedef struct ev { double t; long d; } ev_t;

static int cmp_ev(const void *a, const void *b) {
  const ev_t *x = a, *y = b;
  return (x->t > y->t) - (x->t < y->t);
}

static double *resv;   /* reserved start of each job, NAN = none */
static ev_t *evs;

/* Earliest start >= t of job k, given running jobs r[0..nr) and the reservations of the
 * waiting jobs q[0..nq) other than k. */
static double earliest(long k, double t, const long *r, long nr, const long *q, long nq) {
  long n = 0, busy = 0;
  for (int pass = 0; pass < 2; pass++) {
    const long *set = pass ? q : r;
    long cnt = pass ? nq : nr;
    for (long i = 0; i < cnt; i++) {
      if (set[i] < 0 || set[i] == k) continue; /* started in this round, or k itself */
      job_t *j = &jobs[set[i]];
      double a = pass ? resv[set[i]] : j->start;
      if (isnan(a)) continue;
      double b = a + j->wall;
      if (b <= t) continue;
      if (a <= t) busy += j->procs; else evs[n++] = (ev_t){a, j->procs};
      evs[n++] = (ev_t){b, -j->procs};
    }
  }
  qsort(evs, n, sizeof *evs, cmp_ev);
  /* Steps: free processors from each boundary on (merge equal times). */
  long ns = 0;
  double *st = malloc((n + 1) * sizeof *st);
  long *fr = malloc((n + 1) * sizeof *fr);
  st[ns] = t;
  fr[ns++] = maxprocs - busy;
  for (long i = 0; i < n;) {
    double x = evs[i].t;
    long f = fr[ns - 1];
    while (i < n && evs[i].t == x) f -= evs[i++].d;
    st[ns] = x;
    fr[ns++] = f;
  }
  double w = jobs[k].wall, found = INFINITY;
  long need = jobs[k].procs;
  for (long c = 0; c < ns && found == INFINITY; c++) {
    if (fr[c] < need) continue;
    long e = c;
    while (e < ns && st[e] < st[c] + w && fr[e] >= need) e++;
    if (e == ns || st[e] >= st[c] + w) found = st[c];
  }
  free(st);
  free(fr);
  return found;
}

static void conservative(void) {
  long *queue = malloc(njobs * sizeof *queue), nq = 0;
  long *running = malloc(njobs * sizeof *running), nr = 0;
  resv = malloc(njobs * sizeof *resv);
  evs = malloc(2 * njobs * sizeof *evs);
  for (long i = 0; i < njobs; i++) resv[i] = NAN;
  long next = 0;
  for (;;) {
    double t = INFINITY;
    for (long k = 0; k < nr; k++) {
      job_t *r = &jobs[running[k]];
      if (r->start + r->run < t) t = r->start + r->run;
    }
    for (long k = 0; k < nq; k++) if (resv[queue[k]] < t) t = resv[queue[k]];
    if (next < njobs && jobs[next].submit < t) t = jobs[next].submit;
    if (t == INFINITY) break;
    int early = 0;
    long w = 0;
    for (long k = 0; k < nr; k++) {
      job_t *r = &jobs[running[k]];
      if (r->start + r->run == t) early |= r->run < r->wall; else running[w++] = running[k];
    }
    nr = w;
    while (next < njobs && jobs[next].submit == t) {
      if (jobs[next].procs <= maxprocs) queue[nq++] = next;
      next++;
    }
    /* Compression at an early end: everybody in arrival order; else the due and the new. */
    for (int round = early ? 1 : 0; round < 2; round++) {
      for (long k = 0; k < nq; k++) {
        long id = queue[k];
        if (!early && round == 0 && resv[id] != t) continue; /* due now */
        if (!early && round == 1 && !isnan(resv[id])) continue; /* new */
        double s = earliest(id, t, running, nr, queue, nq);
        if (!isnan(resv[id]) && s > resv[id]) {
          fprintf(stderr, "refsched: job %ld would move later (%.17g -> %.17g)\n", jobs[id].id, resv[id], s);
          exit(2);
        }
        if (s == t) {
          jobs[id].start = t;
          resv[id] = NAN;
          running[nr++] = id;
          queue[k] = -1;
        } else {
          resv[id] = s;
        }
      }
      long m = 0;
      for (long k = 0; k < nq; k++) if (queue[k] >= 0) queue[m++] = queue[k];
      nq = m;
    }
  }
  free(queue); free(running); free(resv); free(evs);
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: refsched fcfs|easy|conservative TRACE JOBS.csv\n"); return 2; }
  read_trace(argv[2]);
  if (maxprocs <= 0) { fprintf(stderr, "%s: no MaxProcs header\n", argv[2]); return 2; }
  /* Stable order by submit time: number the jobs first, compare numbers on ties. */
  for (long i = 0; i < njobs; i++) jobs[i].start = (double)i;
  qsort(jobs, njobs, sizeof *jobs, by_submit);
  for (long i = 0; i < njobs; i++) jobs[i].start = -1;
  if (strcmp(argv[1], "fcfs") == 0) fcfs();
  else if (strcmp(argv[1], "conservative") == 0) conservative();
  else easy();

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
