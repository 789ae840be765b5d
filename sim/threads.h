/* threads.h: whether jzsim may start helper threads (the trace reader, the jobs.csv and time
 * series writers, the input hasher, the inflater). A single run uses them to overlap work on
 * the second core. A sweep child does not: `-j N` already keeps every core busy with runs,
 * and a helper thread there only adds hand-offs (a writer that falls behind makes the loop
 * spin, sched_yield) that cost CPU. Every helper has a serial path that writes the same
 * bytes. */
#ifndef JZ_THREADS_H
#define JZ_THREADS_H

#include <stdbool.h>

/* True unless jz_threads_set_serial(true) was called in this process. */
bool jz_threads_allowed(void);
void jz_threads_set_serial(bool serial);

#endif
