/* version.c: the program's name and version, for output, plans and the audit log. */
#include "config.h"

#include "core/version.h"

const char *version_string(void)
{
	return PACKAGE_VERSION;
}
