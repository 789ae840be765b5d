/* test_jobs_csv.c: jobs.csv's text fields, and the stream that writes it during the
 * simulation (metrics/jobs_csv.h) against the writer that runs after it. */
#include "jz_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/jobs_csv.h"
#include "metrics/report.h"

/* jobs.csv of a finished simulation, written after it (jz_report_jobs_csv); *len its size. */
static char *csv_after(jz_test_sim_t *sim, jz_job_table_t *t, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  assert_non_null(f);
  jz_run_desc_t desc = {.e = &sim->e, .m = &sim->m, .platform_name = "power1", .policy = "fcfs"};
  assert_int_equal(jz_report_jobs_csv(f, &sim->s, t, &desc), 0);
  fclose(f);
  return buf;
}

/* jobs.csv quotes a text field only when it holds a comma, a quote or a line break, doubling
 * inner quotes, and a column that repeats the same string (remembered from the row before)
 * keeps doing so: users "a,b" twice, then "plain", then "say "hi"", then "a,b" again. */
static void test_csv_fields(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("power1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  static const char *const users[] = {"a,b", "a,b", "plain", "say \"hi\"", "a,b"};
  for (int i = 0; i < 5; i++) {
    jz_job_t *j = jz_test_job(&t, 10 * i, 5, 5, 1);
    j->user = jz_test_str(&t, users[i]);
  }
  jz_test_sim_t sim;
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, NULL, NULL);
  assert_int_equal(sim.rc, 0);
  size_t len;
  char *buf = csv_after(&sim, &t, &len);
  /* The user column is the 17th: after it comes the account (the workload's name). */
  static const char *const want[] = {",\"a,b\",", ",\"a,b\",", ",plain,", ",\"say \"\"hi\"\"\",",
                                     ",\"a,b\","};
  const char *line = strchr(buf, '\n') + 1;
  for (int i = 0; i < 5; i++) {
    const char *end = strchr(line, '\n');
    assert_non_null(end);
    const char *c = line;
    for (int k = 0; k < 16; k++) { /* to the 16th comma outside quotes */
      bool quoted = false;
      while (quoted || *c != ',') {
        if (*c == '"') quoted = !quoted;
        c++;
      }
      if (k < 15) c++;
    }
    if (strncmp(c, want[i], strlen(want[i])) != 0)
      fail_msg("row %d: user field '%.*s', expected '%s'", i + 1, (int)(end - c), c, want[i]);
    line = end + 1;
  }
  free(buf);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* The stream is started at the first instant (the test harness builds the scheduler) and
 * checked at every instant: every row it counts as final belongs to a job that has ended. */
typedef struct stream_probe {
  jz_test_sim_t *sim;
  jz_job_table_t *t;
  FILE *f;
  jz_csvstream_t *c;
  uint32_t max_ended; /* before t = 5,600 */
  double now_at_600; /* when the stream first counted 600 final rows */
} stream_probe_t;

static int probe(void *ctx, const jz_sched_t *s) {
  stream_probe_t *pr = ctx;
  if (!pr->c) {
    pr->c = jz_csvstream_start(pr->f, s, pr->t, &pr->sim->e);
    assert_non_null(pr->c);
  }
  int rc = jz_csvstream_note(pr->c, s);
  uint32_t ended = jz_csvstream_ended(pr->c);
  for (uint32_t i = 0; i < ended; i++)
    if (s->run[i].state != JZ_STATE_COMPLETED_SUCCESSFULLY && s->run[i].state != JZ_STATE_REJECTED)
      fail_msg("row %u handed over in state %d at t = %g", i, s->run[i].state, s->now);
  if (ended >= 600 && pr->max_ended < 600) pr->now_at_600 = s->now;
  if (s->now < 5600 && ended > pr->max_ended) pr->max_ended = ended;
  return rc;
}

/* power1.yaml (8 cores), FCFS. Job i (0-based) is submitted at i seconds and runs 1 s on one
 * core, except job 600, which runs 5,000 s, and job 5, which asks for 100 cores and is
 * rejected at submission. Jobs 0-599 end by t = 600; job 600 holds the prefix until it ends at
 * 5,600, long after the other 599 jobs have ended (at t = 1,200). So during the simulation the
 * stream counts exactly 600 final rows, from t = 600 (job 599's end) until 5,600, then all
 * 1,200; and the file it writes is jz_report_jobs_csv's, byte for byte. */
static void test_csv_stream(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("power1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  for (int i = 0; i < 1200; i++) {
    jz_job_t *j = jz_test_job(&t, i, i == 600 ? 5000 : 1, i == 600 ? 5000 : 1, i == 5 ? 100 : 1);
    j->user = jz_test_str(&t, i % 3 ? "u,1" : "u2");
  }
  jz_test_sim_t sim;
  char *sbuf = NULL, *rbuf;
  size_t slen = 0, rlen;
  stream_probe_t pr = {.sim = &sim, .t = &t, .f = open_memstream(&sbuf, &slen)};
  assert_non_null(pr.f);
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, probe, &pr);
  assert_int_equal(sim.rc, 0);
  assert_int_equal(pr.max_ended, 600);
  jz_assert_double_eq(pr.now_at_600, 600);
  assert_int_equal(jz_csvstream_ended(pr.c), 1200);
  assert_int_equal(sim.s.run[5].state, JZ_STATE_REJECTED);
  jz_csvstream_finish(pr.c);
  assert_int_equal(jz_csvstream_join(pr.c), 0);
  fclose(pr.f);

  rbuf = csv_after(&sim, &t, &rlen);
  assert_int_equal(slen, rlen);
  assert_memory_equal(sbuf, rbuf, rlen);
  assert_non_null(strstr(rbuf, "\n601,w,600,1,5000,1,COMPLETED_SUCCESSFULLY,600,5000,5600,"));
  free(sbuf);
  free(rbuf);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

/* Aborted mid-way (an error path): the writer stops, nothing leaks (ASan), no hang. */
static void test_csv_stream_abort(void **state) {
  (void)state;
  jz_platform_t *p = jz_test_load_platform("power1.yaml");
  jz_job_table_t t;
  jz_job_table_init(&t);
  for (int i = 0; i < 700; i++) jz_test_job(&t, i, 1, 1, 1);
  jz_test_sim_t sim;
  char *sbuf = NULL;
  size_t slen = 0;
  stream_probe_t pr = {.sim = &sim, .t = &t, .f = open_memstream(&sbuf, &slen)};
  jz_test_simulate_mapped(&sim, p, &t, "fcfs", false, probe, &pr);
  assert_int_equal(sim.rc, 0);
  jz_csvstream_abort(pr.c);
  jz_csvstream_abort(NULL);
  fclose(pr.f);
  free(sbuf);
  jz_test_sim_free(&sim);
  jz_job_table_free(&t);
  jz_platform_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_fields),
      cmocka_unit_test(test_csv_stream),
      cmocka_unit_test(test_csv_stream_abort),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
