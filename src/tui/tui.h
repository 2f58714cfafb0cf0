/* tui.h: the interactive terminal UI's entry point. */
#ifndef ECSFIX_TUI_TUI_H
#define ECSFIX_TUI_TUI_H

#include "core/session.h"

struct tui_options {
	const char *profile;
	const char *region;
	const char *endpoint_url;
	const char *ca_bundle;
	int no_verify_ssl;
	int read_only;
	int no_color;
	const char *debug_file; /* trace file, or NULL (never stderr while curses runs) */
	struct session_targets_spec targets; /* several accounts and regions (borrowed) */
};

/* Runs the UI until the user quits. Returns a process exit code (0, or 2 on error). */
int tui_run(const struct tui_options *o);

#endif
