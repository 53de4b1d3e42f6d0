/* Line-oriented logger; one fprintf per line keeps lines whole across threads. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum log_level log_threshold = LOG_INFO; /* process-wide, set at start */

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error", "quiet"};
	char line[2048], stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level < log_threshold)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}
