/* test_sgopts.c: the strict --log grammar (sgopts.h). Settings SimGrid 3.32 accepts pass;
 * those it aborts on (or aborts on at the first log line, like an unknown format directive)
 * are refused with a reason. The forked trial of --cfg is covered by the bad-input cases
 * tests/data/bad/cli_cfg_*. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepted),
      cmocka_unit_test(test_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
