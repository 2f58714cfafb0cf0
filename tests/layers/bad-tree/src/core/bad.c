/* bad.c: a deliberate violation: core including curses. */
#include "config.h"
#include <curses.h>
