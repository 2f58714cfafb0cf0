/* bad.c: a deliberate violation: a banned function. */
#include "config.h"
#include <string.h>
void bad(char *d, const char *s);
void bad(char *d, const char *s) { strcpy(d, s); }
