/* log.c — logging to stderr or syslog, with a level and an optional hook. */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static struct {
	int foreground;
	int level;
	void (*hook)(void *arg, int level, const char *line);
	void *hook_arg;
	void (*sink)(void *arg, int level, const char *line);
	void *sink_arg;
} lg = { 1, LOG_INFO, NULL, NULL, NULL, NULL };

static const char *level_name(int level)
{
	switch (level) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: return "crit";
	case LOG_ERR: return "error";
	case LOG_WARNING: return "warning";
	case LOG_NOTICE: return "notice";
	case LOG_INFO: return "info";
	default: return "debug";
	}
}

void log_init(const char *ident, int foreground, int level)
{
	lg.foreground = foreground;
	lg.level = level;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(int level) { lg.level = level; }
int log_get_level(void) { return lg.level; }

void log_set_hook(void (*fn)(void *, int, const char *), void *arg)
{
	lg.hook = fn;
	lg.hook_arg = arg;
}

void log_set_sink(void (*fn)(void *, int, const char *), void *arg)
{
	lg.sink = fn;
	lg.sink_arg = arg;
}

void log_vmsg(int level, const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];
	int off = 0;

	if (level > lg.level && !lg.hook)
		return;
	if (prefix)
		off = snprintf(line, sizeof(line), "%s: ", prefix);
	vsnprintf(line + off, sizeof(line) - (size_t)off, fmt, ap);
	if (lg.hook)
		lg.hook(lg.hook_arg, level, line);
	if (level > lg.level)
		return;
	if (lg.sink) {
		lg.sink(lg.sink_arg, level, line);
	} else if (lg.foreground) {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		/* One fprintf per line: stdio locks the stream for us. */
		fprintf(stderr, "%s.%03ld lvsd %s: %s\n", stamp,
			ts.tv_nsec / 1000000, level_name(level), line);
	} else {
		syslog(level, "%s", line);
	}
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, NULL, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	char buf[768];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(LOG_WARNING, "%s: %s", buf, strerror(saved));
}
