/* main.c: global options and dispatch to the per-command files. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/version.h"

static const struct cli_command *const main_commands[] = {
    &cmd_tui_entry,   &cmd_scan_entry,   &cmd_lint_entry,  &cmd_plan_entry,
    &cmd_apply_entry, &cmd_except_entry, &cmd_cache_entry,
};
#define MAIN_NCOMMANDS (sizeof main_commands / sizeof main_commands[0])

static void main_usage(FILE *fp)
{
	size_t i;

	fputs("usage: ecsfix [global options] [command] [args]\n"
	      "\n"
	      "Find and fix ECS task definitions that run privileged containers (Security Hub\n"
	      "control ECS.4), with the network-mode and user checks that come with it.\n"
	      "\n"
	      "commands:\n",
	      fp);
	for (i = 0; i < MAIN_NCOMMANDS; i++)
		fprintf(fp, "  %-6s %s\n", main_commands[i]->name, main_commands[i]->summary);
	fputs("\n"
	      "global options:\n"
	      "  --profile NAME       use this profile from the shared config files\n"
	      "  --region NAME        AWS region (else AWS_REGION, AWS_DEFAULT_REGION, profile)\n"
	      "  --endpoint-url URL   send every call to URL (e.g. a local emulator)\n"
	      "  --ca-bundle FILE     verify TLS with this CA bundle\n"
	      "  --no-verify-ssl      do not verify TLS certificates (unsafe)\n"
	      "  --read-only          never change anything in the account\n"
	      "  --debug[=FILE]       trace HTTP to stderr or FILE, secrets redacted\n"
	      "  --no-color           no colour (also when NO_COLOR is set)\n"
	      "  -h, --help           this help; 'ecsfix COMMAND --help' for a command\n"
	      "  -V, --version        print the version\n"
	      "\n"
	      "exit status: 0 clean, 1 findings (or nothing to do / failed), 2 error, 130 "
	      "interrupted\n"
	      "See ecsfix(1).\n",
	      fp);
}

static const struct cli_command *main_find(const char *name)
{
	size_t i;

	for (i = 0; i < MAIN_NCOMMANDS; i++) {
		if (strcmp(main_commands[i]->name, name) == 0)
			return main_commands[i];
	}
	return NULL;
}

static int main_option(void *ctx, int opt, const char *arg)
{
	(void)arg;
	if (opt == 'V')
		*(int *)ctx = 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option main_options[] = {
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_options opts;
	const struct cli_command *cmd;
	const char *env;
	int first, version = 0;

	setlocale(LC_ALL, "");
	memset(&opts, 0, sizeof opts);
	env = getenv("NO_COLOR");
	opts.no_color = env != NULL && *env != '\0';

	/* Global options before the command; '+' stops at the command name. */
	argv[0] = (char *)"ecsfix";
	first = cli_parse(&opts, argc, argv, main_options, "+V", main_option, &version);
	if (first == CLI_PARSE_HELP) {
		main_usage(stdout);
		return EXIT_CLEAN;
	}
	if (first < 0)
		return EXIT_ERROR;
	if (version) {
		printf("ecsfix %s\n", version_string());
		return EXIT_CLEAN;
	}
	if (first >= argc)
		return cmd_tui_entry.exec(&opts, 1, (char *[]){(char *)"tui", NULL});
	cmd = main_find(argv[first]);
	if (cmd == NULL) {
		cli_errorf("unknown command '%s' (see 'ecsfix --help')", argv[first]);
		return EXIT_ERROR;
	}
	return cmd->exec(&opts, argc - first, argv + first);
}
