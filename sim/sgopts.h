/* sgopts.h: SimGrid's --cfg and --log options, checked before SimGrid sees them.
 *
 * SimGrid 3.32 reports a bad option by aborting the process (exit 134, a backtrace): a bad
 * --cfg name or value throws from simgrid_init, a bad model name aborts when the platform is
 * loaded, a bad context factory when the simulation starts, and a bad --log format directive
 * only when something is first logged. jzsim wants one line and exit 2 instead, so:
 *  - --log is read by jzsim's own strict parser of SimGrid's documented grammar (below);
 *  - --cfg (and --log once more) are tried by a forked child that initialises SimGrid with
 *    them, loads a one-host platform and runs a one-actor simulation in a temporary directory;
 *    if the child fails, SimGrid's own message becomes the error.
 * The C API offers no way to test a --cfg option without aborting (sg_cfg_set_* throw too),
 * and a list of names captured at build time would drift from the library installed. */
#ifndef JZ_SGOPTS_H
#define JZ_SGOPTS_H

#include <stddef.h>

/* A --log value (the text after "--log="): "no_loc", or settings separated by spaces, each
 * CATEGORY.KEY:VALUE (or =VALUE) where CATEGORY is [A-Za-z0-9_]+ and KEY a prefix of
 *   threshold  (trace, debug, verbose, info, warning, error, critical; any case)
 *   additivity (0, 1, no, yes, on, off; any case)
 *   appender   (file:PATH, rollfile:SIZE:PATH, splitfile:SIZE:PATTERN)
 *   fmt        (text with %% %n %e %c %p %h %t %P %i %F %l %L %M %d %r %m, each directive
 *              optionally with a width [0-9]+ and a precision .[0-9]*)
 * as SimGrid matches them (a key is the first of these four it is a prefix of). Quotes are
 * refused. 0, or -JZ_EINVAL with the reason in why. */
int jz_sgopts_check_log(const char *spec, char *why, size_t whylen);

/* A --cfg value (the text after "--cfg="): refused if it is blank or its VALUE after the first
 * ':' is blank, which SimGrid would accept silently; the rest is SimGrid's to judge (trial). 0,
 * or -JZ_EINVAL with the reason in why. */
int jz_sgopts_check_cfg(const char *spec, char *why, size_t whylen);

/* Run SimGrid with argv[0..argc-1] (program name, then --cfg=/--log= options) in a forked
 * child, as described above. 0 if it ran; -JZ_EINVAL with SimGrid's message (one line) in why
 * if it failed; -JZ_EIO if the trial itself could not be set up (then why says why). */
int jz_sgopts_trial(int argc, char **argv, char *why, size_t whylen);

#endif
