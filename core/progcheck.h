/* progcheck.h — can lvsd run this configured command? lvsd runs programs
 * as an argv with execvp(), never through a shell: this catches, before a
 * state change needs it, a missing or non-executable program, shell syntax
 * that no shell will see, and keepalived's quoted whole command line.
 * Used for every key that holds a command (notify_*, quorum_*); meant for
 * MISC_CHECK's misc_path and vrrp_script's script too. Pure C, no logging.
 */
#ifndef LVSD_PROGCHECK_H
#define LVSD_PROGCHECK_H

#include <stddef.h>

/* Unquoted shell syntax in the line: | & ; < > ` $( ${ $NAME. */
#define PROGCHECK_SYNTAX 0x1u
/* The program exists, is a regular file and has an x bit (absolute path,
 * or found in $PATH as execvp() would). Reads the file system. */
#define PROGCHECK_FILE 0x2u
/* With PROGCHECK_FILE: the program and every directory above it are
 * owned by root and writable by nobody else (pathsec.h), -EPERM if not. */
#define PROGCHECK_OWNER 0x4u
#define PROGCHECK_ALL (PROGCHECK_SYNTAX | PROGCHECK_FILE | PROGCHECK_OWNER)

/* Check a command line as written in lvsd.ini (the quoting of
 * cfgval_argv(): "double", 'single', backslash; no shell). A quote or a
 * backslash makes shell characters literal, so
 *   /bin/sh -c 'echo master > /run/lvsd.state'
 * is the way to ask for a shell. Returns 0; -EINVAL (bad syntax, a quoted
 * whole command), -ENOENT (no such program), -EACCES (not executable),
 * -EPERM (not root's, or others may write it or a directory above it),
 * -ENOMEM. On error err holds a message with a hint how to write it,
 * without key or FILE:LINE (the caller adds them). */
int progcheck_line(const char *line, unsigned flags, char *err,
		   size_t errlen);

/* Check a command already split into argv (argc >= 1 words): the program
 * (PROGCHECK_FILE) and a program name with a blank in it (keepalived's
 * "/path/x.sh backup" quoted as one word), which is an error unless such
 * a file exists. Same returns as progcheck_line. */
int progcheck_argv(const char *const *argv, size_t argc, unsigned flags,
		   char *err, size_t errlen);

#endif
