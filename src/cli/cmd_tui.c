/* cmd_tui.c: the 'tui' command (also what runs with no command): the interactive UI. */
#include "config.h"

#include "cli/cli.h"
#include "tui/tui.h"

static int cmd_tui_exec(struct cli_options *opts, int argc, char **argv)
{
	struct tui_options to = {0};
	int rc =
	    cli_parse_result(&cmd_tui_entry, cli_parse(opts, argc, argv, NULL, "", NULL, NULL));

	if (rc >= 0)
		return rc;
	to.profile = opts->profile;
	to.region = opts->region;
	to.endpoint_url = opts->endpoint_url;
	to.ca_bundle = opts->ca_bundle;
	to.no_verify_ssl = opts->no_verify_ssl;
	to.read_only = opts->read_only;
	to.no_color = opts->no_color;
	to.targets.regions = opts->regions;
	to.targets.all_regions = opts->all_regions;
	to.targets.accounts = opts->accounts;
	to.targets.organization = opts->organization;
	to.targets.role_name = opts->role_name;
	to.targets.external_id = opts->external_id;
	to.targets.profiles = opts->profiles;
	to.targets.nprofiles = opts->nprofiles;
	to.targets.findings_from = opts->findings_from;
	/* Never trace to stderr while curses owns the terminal: --debug goes to a file. */
	to.debug_file =
	    opts->debug ? (opts->debug_file ? opts->debug_file : "ecsfix-tui-debug.log") : NULL;
	return tui_run(&to);
}

const struct cli_command cmd_tui_entry = {
    .name = "tui",
    .args = "",
    .summary = "the interactive UI (the default)",
    .help = "Keys: ? in the UI, or man ecsfix (THE INTERACTIVE UI). --debug[=FILE] traces to\n"
	    "FILE (default ./ecsfix-tui-debug.log), never to the terminal.\n",
    .exec = cmd_tui_exec,
};
