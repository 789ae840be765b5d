/* fuzz_detect.c: format detection on arbitrary bytes: every reader's detect() on the head,
 * then jz_reader_detect on the file. Properties: confidences in 0..100; detection names a
 * registered reader or fails with one line "path: ..."; the same bytes give the same answer. */
#include <string.h>

#include "fuzz.h"
#include "workload/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const jz_reader_t *const *list = jz_reader_list();
  for (int i = 0; list[i]; i++) {
    int c = list[i]->detect((const char *)data, size);
    JZ_FUZZ_CHECK(c >= 0 && c <= 100, "%s: confidence %d", list[i]->name, c);
    JZ_FUZZ_CHECK(c == list[i]->detect((const char *)data, size), "%s: not deterministic",
                  list[i]->name);
  }
  const char *path = jz_fuzz_file("trace", data, size);
  jz_error_t err = {0};
  const jz_reader_t *rd = jz_reader_detect(path, &err);
  if (!rd) {
    jz_fuzz_check_error(-JZ_EINVAL, &err, path);
    return 0;
  }
  JZ_FUZZ_CHECK(jz_reader_find(rd->name) == rd, "detected reader '%s' is not registered",
                rd->name);
  jz_error_t err2 = {0};
  JZ_FUZZ_CHECK(jz_reader_detect(path, &err2) == rd, "detection is not deterministic");
  return 0;
}
