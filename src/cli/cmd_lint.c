/* cmd_lint.c: the 'lint' command: check task-definition files for CI/CD, optionally fix them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/lint.h"
#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

enum cmd_lint_output {
	CMD_LINT_TEXT,
	CMD_LINT_JSON,
	CMD_LINT_SARIF,
};

struct cmd_lint_args {
	struct lint_options lo;
	enum cmd_lint_output output;
};

enum {
	CMD_LINT_OPT_FIX = 256,
	CMD_LINT_OPT_USER,
	CMD_LINT_OPT_NETWORK,
	CMD_LINT_OPT_CONTROLS,
	CMD_LINT_OPT_OUTPUT,
};

static const struct option cmd_lint_longopts[] = {
    {"fix", no_argument, NULL, CMD_LINT_OPT_FIX},
    {"user", required_argument, NULL, CMD_LINT_OPT_USER},
    {"network-mode", required_argument, NULL, CMD_LINT_OPT_NETWORK},
    {"controls", required_argument, NULL, CMD_LINT_OPT_CONTROLS},
    {"output", required_argument, NULL, CMD_LINT_OPT_OUTPUT},
    {NULL, 0, NULL, 0},
};

static int cmd_lint_option(void *ctx, int opt, const char *arg)
{
	struct cmd_lint_args *a = ctx;
	struct err e;

	err_clear(&e);
	switch (opt) {
	case CMD_LINT_OPT_FIX:
		a->lo.fix = 1;
		return 0;
	case CMD_LINT_OPT_USER:
		if (rules_user_is_root(arg)) {
			err_set(&e, "lint: --user \"%s\" is root", arg);
			err_hint(&e, "give a non-root UID such as 1000 or 1000:1000");
			cli_error(&e);
			return -1;
		}
		a->lo.user = arg;
		return 0;
	case CMD_LINT_OPT_NETWORK:
		if (transform_parse_network(arg, &a->lo.network_mode, &e)) {
			err_prefix(&e, "lint");
			cli_error(&e);
			return -1;
		}
		return 0;
	case CMD_LINT_OPT_CONTROLS:
		if (rules_parse_controls(arg, &a->lo.controls, &e)) {
			err_prefix(&e, "lint");
			cli_error(&e);
			return -1;
		}
		return 0;
	case CMD_LINT_OPT_OUTPUT:
		if (strcmp(arg, "text") == 0)
			a->output = CMD_LINT_TEXT;
		else if (strcmp(arg, "json") == 0)
			a->output = CMD_LINT_JSON;
		else if (strcmp(arg, "sarif") == 0)
			a->output = CMD_LINT_SARIF;
		else {
			cli_errorf(
			    "lint: --output \"%s\" is not a format (use text, json or sarif)", arg);
			return -1;
		}
		return 0;
	default:
		return -1;
	}
}

static void cmd_lint_print_text(const struct lint_report *r)
{
	size_t k;

	for (k = 0; k < r->nfixes; k++)
		printf("%s:%d: fixed: %s\n", r->path, r->fixes[k].line, r->fixes[k].what);
	for (k = 0; k < r->nfindings; k++) {
		const struct lint_finding *f = &r->findings[k];

		if (f->container != NULL)
			printf("%s:%d: %s container \"%s\": %s%s\n", r->path, f->line, f->control,
			       f->container, f->reason, f->decides ? "" : " (information)");
		else
			printf("%s:%d: %s: %s%s\n", r->path, f->line, f->control, f->reason,
			       f->decides ? "" : " (information)");
	}
	for (k = 0; k < r->nnotes; k++)
		printf("%s: note: %s\n", r->path, r->notes[k]);
}

static int cmd_lint_exec(struct cli_options *opts, int argc, char **argv)
{
	struct cmd_lint_args a;
	struct lint_report *reports;
	int first, i, n, exit_code = EXIT_CLEAN;

	memset(&a, 0, sizeof(a));
	a.lo.controls = rules_default_mask();
	first = cli_parse(opts, argc, argv, cmd_lint_longopts, "", cmd_lint_option, &a);
	if ((i = cli_parse_result(&cmd_lint_entry, first)) >= 0)
		return i;
	if (first >= argc)
		return cli_errorf("lint: no files given (usage: ecsfix lint [OPTIONS] FILE...)");
	if (!a.lo.fix && (a.lo.user != NULL || a.lo.network_mode != TRANSFORM_NET_KEEP))
		return cli_errorf("lint: --user and --network-mode only apply with --fix");
	n = argc - first;
	reports = xcalloc((size_t)n, sizeof(*reports));
	for (i = 0; i < n; i++) {
		struct lint_report *r = &reports[i];

		lint_report_init(r);
		if (lint_file(argv[first + i], &a.lo, r)) {
			cli_error(&r->err);
			exit_code = EXIT_ERROR;
			continue;
		}
		if (lint_report_deciding(r) > 0 && exit_code == EXIT_CLEAN)
			exit_code = EXIT_FINDINGS;
		if (a.output == CMD_LINT_TEXT)
			cmd_lint_print_text(r);
	}
	if (a.output != CMD_LINT_TEXT) {
		json_object *doc = a.output == CMD_LINT_JSON
				       ? lint_reports_json(reports, (size_t)n, &a.lo)
				       : lint_reports_sarif(reports, (size_t)n, &a.lo);
		char *s = jsonx_pretty(doc);

		fputs(s, stdout);
		free(s);
		json_object_put(doc);
	}
	for (i = 0; i < n; i++)
		lint_report_done(&reports[i]);
	free(reports);
	if (fflush(stdout) != 0)
		return cli_errorf("lint: cannot write the output");
	return exit_code;
}

const struct cli_command cmd_lint_entry = {
    .name = "lint",
    .args = "[--fix [--user UID] [--network-mode MODE]] [--controls LIST] [--output "
	    "text|json|sarif] FILE...",
    .summary = "check task-definition JSON files (CI/CD); --fix rewrites them in place",
    .help = "FILE is a RegisterTaskDefinition input, a DescribeTaskDefinition output\n"
	    "({\"taskDefinition\": ...}) or a JSON array of container definitions.\n"
	    "  --fix                 rewrite each file in place, changing only the fixed values\n"
	    "  --user UID            with --fix: set this non-root user where ECS.20 fails\n"
	    "  --network-mode MODE   with --fix: bridge or awsvpc instead of host\n"
	    "  --controls LIST       controls deciding the exit code (default "
	    "ECS.4,ECS.17,ECS.20;\n"
	    "                        known: ECS.4 ECS.17 ECS.20 ECS.1 ECS.3 ECS.5 ECS.8, all)\n"
	    "  --output FMT          text (default), json or sarif (SARIF 2.1.0)\n"
	    "Exit: 0 clean, 1 a control in --controls fails, 2 a file could not be checked.\n",
    .exec = cmd_lint_exec,
};
