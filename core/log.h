/* log.h — the one logging module: stderr in the foreground, syslog otherwise.
 * Its state (destination, level) is process-wide by nature, like syslog's. */
#ifndef LVSD_LOG_H
#define LVSD_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* foreground: 1 → stderr, 0 → syslog (daemon facility). level: LOG_*. */
void log_init(const char *ident, int foreground, int level);
void log_set_level(int level);
int log_get_level(void);
/* Send every line to fn as well (tests, the control socket). NULL: off. */
void log_set_hook(void (*fn)(void *arg, int level, const char *line),
		  void *arg);
/* Send the lines that pass the level to fn instead of stderr or syslog
 * (the check process: to lvsd over its socket). NULL: off. */
void log_set_sink(void (*fn)(void *arg, int level, const char *line),
		  void *arg);

void log_vmsg(int level, const char *prefix, const char *fmt, va_list ap);
void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* log_warn adds strerror(errno); log_warnx does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warnx(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
