/* cmd_scan.c: the 'scan' command (not built yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

static int cmd_scan_exec(struct cli_options *opts, int argc, char **argv)
{
	int rc =
	    cli_parse_result(&cmd_scan_entry, cli_parse(opts, argc, argv, NULL, "", NULL, NULL));

	if (rc >= 0)
		return rc;
	fputs("ecsfix: 'scan' is not built yet\n", stderr);
	return EXIT_ERROR;
}

const struct cli_command cmd_scan_entry = {
    .name = "scan",
    .args = "[--cluster NAME]... [--all-families] [--controls LIST] [--output table|json]",
    .summary = "inventory, rule results and Security Hub findings; exit 1 on findings",
    .help = "",
    .exec = cmd_scan_exec,
};
