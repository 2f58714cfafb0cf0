/* cmd_lint.c: the 'lint' command (not built yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

static int cmd_lint_exec(struct cli_options *opts, int argc, char **argv)
{
	int rc =
	    cli_parse_result(&cmd_lint_entry, cli_parse(opts, argc, argv, NULL, "", NULL, NULL));

	if (rc >= 0)
		return rc;
	fputs("ecsfix: 'lint' is not built yet\n", stderr);
	return EXIT_ERROR;
}

const struct cli_command cmd_lint_entry = {
    .name = "lint",
    .args = "[--fix] [--user UID] [--network-mode MODE] [--controls LIST] [--output "
	    "text|json|sarif] FILE...",
    .summary = "check task-definition JSON files (CI/CD); --fix rewrites them in place",
    .help = "",
    .exec = cmd_lint_exec,
};
