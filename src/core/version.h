/* version.h: the program's name and version, for output, plans and the audit log. */
#ifndef ECSFIX_CORE_VERSION_H
#define ECSFIX_CORE_VERSION_H

const char *version_string(void);

#endif
