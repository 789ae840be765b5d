/* test_sgopts.c: the strict --log grammar (sgopts.h). Settings SimGrid 3.32 accepts pass;
 * those it aborts on (or aborts on at the first log line, like an unknown format directive)
 * are refused with a reason. The forked trial of --cfg is covered by the bad-input cases
 * tests/data/bad/cli_cfg_*. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "sgopts.h"

static void ok(const char *spec) {
  char why[300] = "";
  if (jz_sgopts_check_log(spec, why, sizeof why) != 0) fail_msg("'%s' refused: %s", spec, why);
}

static void bad(const char *spec, const char *want) {
  char why[300] = "";
  assert_int_equal(jz_sgopts_check_log(spec, why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, want);
}

static void test_accepted(void **state) {
  (void)state;
  ok("no_loc");
  ok("jz_engine.thres:verbose");
  ok("root.threshold=DEBUG");
  ok("root.t:critical"); /* any prefix of the key, as SimGrid matches it */
  ok("jz_engine.thres:info  xbt_cfg.add:off surf.app:file:sim.log");
  ok("root.app:rollfile:500:sim.log");
  ok("root.app:splitfile:500:sim%.log");
  ok("root.fmt:[%10.3r]%e%c/%p:%e%m%n");
  ok("root.fmt:%%%.5m");
}

static void test_refused(void **state) {
  (void)state;
  bad("%%%garbage", "'%%%garbage' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)");
  bad("root", "'root' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)");
  bad("root.", "'root.' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)");
  bad("root.:info", "'root.:info' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)");
  bad(".thres:info", "'.thres:info' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)");
  bad("root.thres:bogus", "unknown threshold 'bogus' (trace, debug, verbose, info, warning, error, critical)");
  bad("root.thresholds:info", "unknown key 'thresholds' (thres, add, app, fmt)");
  bad("xbt.bogus:1", "unknown key 'bogus' (thres, add, app, fmt)");
  bad("root.add:maybe", "additivity 'maybe' is not 0, 1, no, yes, on or off");
  bad("root.app:bogus", "unknown appender 'bogus' (file:PATH, rollfile:SIZE:PATH, splitfile:SIZE:PATTERN)");
  bad("root.app:file:", "unknown appender 'file:' (file:PATH, rollfile:SIZE:PATH, splitfile:SIZE:PATTERN)");
  bad("root.app:rollfile:x.log", "unknown appender 'rollfile:x.log' (file:PATH, rollfile:SIZE:PATH, splitfile:SIZE:PATTERN)");
  bad("root.fmt:%Q%m", "unknown format directive '%Q' (known: %% %n %e %c %p %h %t %P %i %F %l %L %M %d %r %m)");
  bad("root.fmt:%m%", "format '%m%' ends inside the directive at byte 3");
  bad("root.fmt:%-10m", "unknown format directive '%-' (known: %% %n %e %c %p %h %t %P %i %F %l %L %M %d %r %m)");
  bad("root.thres:info bad", "'bad' is not CATEGORY.KEY:VALUE (e.g. jz_engine.thres:verbose)");
  bad("'root.thres:info'", "quotes are not supported");
  bad("", "no setting (e.g. jz_engine.thres:verbose)");
  bad("   ", "no setting (e.g. jz_engine.thres:verbose)");
}

static int trial(const char *opt1, const char *opt2, char *why, size_t whylen) {
  char *argv[] = {"test_sgopts", (char *)opt1, (char *)opt2, NULL};
  return jz_sgopts_trial(opt2 ? 3 : 2, argv, why, whylen);
}

static void test_trial(void **state) {
  (void)state;
  char tmp[] = "/tmp/jz-test-sgopts-XXXXXX";
  assert_non_null(mkdtemp(tmp));
  setenv("TMPDIR", tmp, 1);
  char why[400] = "";
  if (trial("--cfg=network/model:CM02", "--log=root.thres:critical", why, sizeof why) != 0)
    fail_msg("refused: %s", why);
  assert_int_equal(trial("--cfg=bogus:1", NULL, why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "Bad config key: bogus");
  /* Only the platform load finds a bad model name, and only the run a bad context factory. */
  assert_int_equal(trial("--cfg=network/model:bogus", NULL, why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "Model 'bogus' is invalid! Valid models are: LV08, Constant, SMPI, IB, CM02, ns-3.");
  assert_int_equal(trial("--cfg=contexts/factory:bogus", NULL, why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "Invalid context factory specified. Valid factories on this machine:");
  /* Each trial removed its directory, and what SimGrid wrote in it. */
  DIR *d = opendir(tmp);
  assert_non_null(d);
  struct dirent *e;
  int left = 0;
  while ((e = readdir(d)))
    left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  assert_int_equal(left, 0);
  rmdir(tmp);
  unsetenv("TMPDIR");
}

/* --cfg shape: blank settings and blank values are refused before SimGrid (which accepts
 * them silently); everything else is left to the trial. */
static void test_cfg_shape(void **state) {
  (void)state;
  char why[300] = "";
  assert_int_equal(jz_sgopts_check_cfg("maxmin/precision:1e-9", why, sizeof why), 0);
  assert_int_equal(jz_sgopts_check_cfg("network/model:CM02", why, sizeof why), 0);
  assert_int_equal(jz_sgopts_check_cfg("bogus", why, sizeof why), 0); /* SimGrid says why */
  const char *blank[] = {"", " ", "\t "};
  for (int k = 0; k < 3; k++) {
    assert_int_equal(jz_sgopts_check_cfg(blank[k], why, sizeof why), -JZ_EINVAL);
    assert_string_equal(why, "empty setting (give --cfg=NAME:VALUE, e.g. --cfg=maxmin/precision:1e-9)");
  }
  assert_int_equal(jz_sgopts_check_cfg("path:", why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "empty value for 'path' (give --cfg=NAME:VALUE)");
  assert_int_equal(jz_sgopts_check_cfg("path: ", why, sizeof why), -JZ_EINVAL);
  assert_string_equal(why, "empty value for 'path' (give --cfg=NAME:VALUE)");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepted),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_cfg_shape),
      cmocka_unit_test(test_trial),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
