/* cmd_plan.c: the 'plan' command (not built yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

static int cmd_plan_exec(struct cli_options *opts, int argc, char **argv)
{
	int rc =
	    cli_parse_result(&cmd_plan_entry, cli_parse(opts, argc, argv, NULL, "", NULL, NULL));

	if (rc >= 0)
		return rc;
	fputs("ecsfix: 'plan' is not built yet\n", stderr);
	return EXIT_ERROR;
}

const struct cli_command cmd_plan_entry = {
    .name = "plan",
    .args = "(--service CLUSTER/SERVICE... | --task-definition FAMILY[:REV]) [--user UID] "
	    "[--network-mode MODE] [-o FILE]",
    .summary = "propose the fixed revision and the services to move; changes nothing",
    .help = "",
    .exec = cmd_plan_exec,
};
