/* threads.c: see threads.h. */
#include "threads.h"

static bool serial;

bool jz_threads_allowed(void) { return !serial; }

void jz_threads_set_serial(bool s) { serial = s; }
