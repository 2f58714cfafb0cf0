/* tui.c: the interactive terminal UI's entry point (not built yet). */
#include "config.h"

#include "tui/tui.h"

#include <stdio.h>

int tui_run(const struct tui_options *o)
{
	(void)o;
	fputs("ecsfix: the interactive UI is not built yet (use 'ecsfix scan')\n", stderr);
	return 2;
}
