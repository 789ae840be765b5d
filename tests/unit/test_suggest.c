/* test_suggest.c: edit distances and the "did you mean" of hand-typed names. */
#include "jz_test.h"

#include <string.h>

#include "suggest.h"

static void test_distance(void **state) {
  (void)state;
  assert_int_equal(jz_suggest_distance("node", "nodes", false), 1);
  assert_int_equal(jz_suggest_distance("node", "name", false), 2);
  assert_int_equal(jz_suggest_distance("", "abc", false), 3);
  assert_int_equal(jz_suggest_distance("Cores", "cores", false), 1);
  assert_int_equal(jz_suggest_distance("Cores", "cores", true), 0);
  char longname[80];
  memset(longname, 'x', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  assert_true(jz_suggest_distance(longname, "x", false) == (size_t)-1);
}

typedef struct item {
  const char *name;
  int value;
} item_t;

static void test_closest(void **state) {
  (void)state;
  const char *keys[] = {"name", "nodes", "fabric"};
  assert_string_equal(jz_suggest_closest("node", keys, 3, sizeof keys[0], false), "nodes");
  assert_null(jz_suggest_closest("xyzzy", keys, 3, sizeof keys[0], false));
  /* Ties go to the earlier name; structs are read through their first member. */
  const item_t items[] = {{"ab", 1}, {NULL, 2}, {"ba", 3}};
  assert_string_equal(jz_suggest_closest("aa", items, 3, sizeof items[0], false), "ab");
  char buf[64];
  assert_string_equal(jz_suggest_hint(buf, sizeof buf, "nodes"), " (did you mean 'nodes'?)");
  assert_string_equal(jz_suggest_hint(buf, sizeof buf, NULL), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_distance),
      cmocka_unit_test(test_closest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
