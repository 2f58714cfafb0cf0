/* timeutil.h: clocks, sleeps and timestamps. */
#ifndef ECSFIX_UTIL_TIMEUTIL_H
#define ECSFIX_UTIL_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Monotonic milliseconds, for timeouts and rates (never for display). */
int64_t time_mono_ms(void);
/* Sleeps ms milliseconds, resuming after signals. */
void time_sleep_ms(int64_t ms);
/* "2026-11-29T06:51:07Z" into buf (at least 21 bytes). */
void time_iso8601(time_t t, char *buf, size_t size);

#endif
