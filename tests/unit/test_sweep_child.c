/* test_sweep_child.c: the heap of a sweep run's forked child (sweep/runner.c,
 * jz__sweep_child_heap): after the set-up, at least 60 MiB above the old break are advised for
 * transparent huge pages (VmFlags "hg" in /proc/self/smaps), a 24 MiB table (which glibc's
 * defaults would mmap on its own) comes out of that room and holds what is written to it, and a
 * second thread allocates from the same heap (one arena), and free chunks left below the room
 * (holes of 100 KiB) no longer serve allocations of 8 KiB and more. The set-up is process-wide, so each
 * check runs in a forked process, as a sweep's runs do. Sanitizer builds have their own
 * allocator and skip the test; so does a kernel without THP. */
#define _DEFAULT_SOURCE /* sbrk */
#include "jz_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep/sweep_internal.h"

#define MIB ((size_t)1 << 20)

/* Whether the smaps entry of the mapping that holds addr lists VmFlags flag. */
static bool vm_flag(const void *addr, const char *flag) {
  FILE *f = fopen("/proc/self/smaps", "r");
  if (!f) return false;
  char line[512];
  bool in = false, found = false;
  uintptr_t a = (uintptr_t)addr;
  while (!found && fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
      in = a >= lo && a < hi;
    } else if (in && strncmp(line, "VmFlags:", 8) == 0) {
      char want[8];
      snprintf(want, sizeof want, " %s", flag);
      found = strstr(line, want) != NULL;
      in = false;
    }
  }
  fclose(f);
  return found;
}

static void *thread_alloc(void *arg) {
  (void)arg;
  return malloc(4096);
}

/* The checks, in the forked process: 0, or the number of the first that failed. */
static int child_checks(void) {
  /* Holes below the break, as the sweep process leaves them: freed 100 KiB blocks (below
   * glibc's default mmap threshold) between live ones. */
  void *blk[16];
  for (int k = 0; k < 16; k++)
    if (!(blk[k] = malloc(100 << 10))) return 9;
  for (int k = 0; k < 16; k += 2) free(blk[k]);
  void *room;
  size_t n = jz__sweep_child_heap(&room);
  if (n < 60 * MIB) return 1;
  char *lo = room, *hi = lo + n;
  if (!vm_flag(lo, "hg") || !vm_flag(hi - 1, "hg")) return 2;
  size_t len = 24 * MIB;
  unsigned char *t = malloc(len);
  if (!t) return 3;
  /* From the heap's room (the free top chunk may start a little below the advised part). */
  if ((char *)t + len <= lo || (char *)t + len > hi) return 4;
  for (size_t i = 0; i < len; i++) t[i] = (unsigned char)(i * 31 + 7);
  for (size_t i = 0; i < len; i++)
    if (t[i] != (unsigned char)(i * 31 + 7)) return 5;
  free(t);
  /* The holes are taken: a 64 KiB and an 8 KiB allocation come from the top of the heap, which
   * starts at most a fragment of under 4 KiB below the room. */
  void *a = malloc(64 << 10), *b = malloc(8 << 10);
  if (!a || !b || (char *)a < lo - 4096 || (char *)b < lo - 4096) return 8;
  free(a);
  free(b);
  pthread_t th;
  void *p = NULL;
  if (pthread_create(&th, NULL, thread_alloc, NULL) || pthread_join(th, &p) || !p) return 6;
  if ((char *)p < lo - 64 * MIB || (char *)p >= (char *)sbrk(0)) return 7; /* not a thread arena */
  free(p);
  return 0;
}

static void test_child_heap(void **state) {
  (void)state;
#if defined(__SANITIZE_ADDRESS__)
  skip();
#endif
  if (access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) != 0) skip();
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) _exit(child_checks());
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  if (WEXITSTATUS(status)) fail_msg("child heap check %d failed", WEXITSTATUS(status));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_child_heap)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
