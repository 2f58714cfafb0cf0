/* cmd_apply.c: the 'apply' command (not built yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

static int cmd_apply_exec(struct cli_options *opts, int argc, char **argv)
{
	int rc =
	    cli_parse_result(&cmd_apply_entry, cli_parse(opts, argc, argv, NULL, "", NULL, NULL));

	if (rc >= 0)
		return rc;
	fputs("ecsfix: 'apply' is not built yet\n", stderr);
	return EXIT_ERROR;
}

const struct cli_command cmd_apply_entry = {
    .name = "apply",
    .args = "[--yes] [--no-wait] [--rollback-on-failure] PLAN",
    .summary = "carry out a plan: register, update services, follow the rollout",
    .help = "",
    .exec = cmd_apply_exec,
};
