/* fuzz_util.c: helpers shared by the fuzz targets. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "util/xmalloc.h"

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
