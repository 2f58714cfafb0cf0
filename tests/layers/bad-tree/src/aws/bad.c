/* bad.c: a deliberate violation: aws including core. */
#include "config.h"
#include "core/rules.h"
