/* cmd_plan.c: the 'plan' command: reads the account, prints the proposed revision as a diff
 * with its effects, writes the plan file. Changes nothing. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "aws/client.h"
#include "core/caps.h"
#include "core/owner.h"
#include "core/plan.h"
#include "core/report_md.h"
#include "core/scan.h"
#include "core/session.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/sanitize.h"
#include "util/trace.h"
#include "util/xmalloc.h"

enum {
	PLAN_OPT_SERVICE = 2000,
	PLAN_OPT_TASKDEF,
	PLAN_OPT_USER,
	PLAN_OPT_NETMODE,
	PLAN_OPT_SUBNETS,
	PLAN_OPT_SGS,
	PLAN_OPT_PUBLIC_IP,
	PLAN_OPT_JSON,
	PLAN_OPT_ONLY_THIS,
	PLAN_OPT_NO_MOVE_TO,
	PLAN_OPT_CONTROLS,
	/* owners (issue 14) */
	PLAN_OPT_CAP_ADD,
	PLAN_OPT_DEVICE,
	PLAN_OPT_FORMAT,
	PLAN_OPT_OWNER_TAGS,
};

struct cmd_plan_args {
	const char **services;
	size_t nservices;
	const char *task_definition;
	const char *user;
	const char *network_mode;
	char **subnets;
	size_t nsubnets;
	char **sgs;
	size_t nsgs;
	int public_ip;
	const char *out;
	int json;
	int only_this_service;
	int no_move_to;
	unsigned controls;
	/* owners (issue 14): least privilege, the message for the owner */
	const char **caps; /* borrowed from core/caps.h's table */
	size_t ncaps;
	json_object *devices;
	const char *format; /* "text" (default), "markdown", "json" */
	const char *owner_tags;
};

/* static by necessity: the SIGINT handler's only way to reach the flag */
static volatile sig_atomic_t cmd_plan_cancel;

static void cmd_plan_sigint(int sig)
{
	(void)sig;
	cmd_plan_cancel = 1;
	signal(SIGINT, SIG_DFL);
}

/* Splits a comma list into v (appending). */
static void cmd_plan_split(const char *arg, char ***v, size_t *n)
{
	const char *p = arg;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len > 0) {
			*v = xreallocarray(*v, *n + 1, sizeof **v);
			(*v)[(*n)++] = xstrndup(p, len);
		}
		p += len + (comma ? 1 : 0);
	}
}

/* --cap-add, --device, --format, --owner-tags; -1 (printed) on a bad value. */
static int cmd_plan_owners_option(struct cmd_plan_args *a, int opt, const char *arg)
{
	const char **names = NULL;
	struct caps_device dev;
	size_t i, j, n = 0;
	struct err e;

	err_clear(&e);
	switch (opt) {
	case PLAN_OPT_CAP_ADD:
		if (caps_parse_list(arg, &names, &n, &e)) {
			err_prefix(&e, "plan: --cap-add");
			cli_error(&e);
			return -1;
		}
		for (i = 0; i < n; i++) {
			for (j = 0; j < a->ncaps && a->caps[j] != names[i]; j++)
				;
			if (j < a->ncaps)
				continue;
			a->caps = xreallocarray(a->caps, a->ncaps + 1, sizeof *a->caps);
			a->caps[a->ncaps++] = names[i];
		}
		free(names);
		return 0;
	case PLAN_OPT_DEVICE:
		if (caps_parse_device(arg, &dev, &e)) {
			err_prefix(&e, "plan: --device");
			cli_error(&e);
			return -1;
		}
		if (a->devices == NULL)
			a->devices = json_object_new_array();
		json_object_array_add(a->devices, caps_device_json(&dev));
		return 0;
	case PLAN_OPT_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "markdown") != 0 &&
		    strcmp(arg, "json") != 0) {
			cli_errorf("plan: --format: unknown format '%s' (text, markdown or json)",
				   arg);
			return -1;
		}
		a->format = arg;
		return 0;
	case PLAN_OPT_OWNER_TAGS:
		a->owner_tags = arg;
		return 0;
	}
	return -1;
}

static int cmd_plan_option(void *ctx, int opt, const char *arg)
{
	struct cmd_plan_args *a = ctx;

	switch (opt) {
	case PLAN_OPT_SERVICE:
		a->services = xreallocarray(a->services, a->nservices + 1, sizeof *a->services);
		a->services[a->nservices++] = arg;
		break;
	case PLAN_OPT_TASKDEF:
		a->task_definition = arg;
		break;
	case PLAN_OPT_USER:
		a->user = arg;
		break;
	case PLAN_OPT_NETMODE:
		a->network_mode = arg;
		break;
	case PLAN_OPT_SUBNETS:
		cmd_plan_split(arg, &a->subnets, &a->nsubnets);
		break;
	case PLAN_OPT_SGS:
		cmd_plan_split(arg, &a->sgs, &a->nsgs);
		break;
	case PLAN_OPT_PUBLIC_IP:
		if (strcmp(arg, "ENABLED") == 0)
			a->public_ip = 1;
		else if (strcmp(arg, "DISABLED") == 0)
			a->public_ip = 0;
		else {
			cli_errorf("--assign-public-ip: \"%s\" is not ENABLED or DISABLED", arg);
			return -1;
		}
		break;
	case 'o':
		a->out = arg;
		break;
	case PLAN_OPT_JSON:
		a->json = 1;
		break;
	case PLAN_OPT_ONLY_THIS:
		a->only_this_service = 1;
		break;
	case PLAN_OPT_NO_MOVE_TO:
		a->no_move_to = 1;
		break;
	case PLAN_OPT_CONTROLS: {
		struct err e;

		err_clear(&e);
		if (rules_parse_controls(arg, &a->controls, &e)) {
			cli_error(&e);
			return -1;
		}
		break;
	}
	case PLAN_OPT_CAP_ADD:
	case PLAN_OPT_DEVICE:
	case PLAN_OPT_FORMAT:
	case PLAN_OPT_OWNER_TAGS:
		return cmd_plan_owners_option(a, opt, arg);
	default:
		return -1;
	}
	return 0;
}

/* The message for the owner (--format markdown) on stdout. */
static int cmd_plan_markdown(const struct cmd_plan_args *a, const struct plan *p)
{
	struct owner_keys keys;
	struct err e;
	char *text;

	err_clear(&e);
	if (owner_keys_load(&keys, a->owner_tags, NULL, &e)) {
		owner_keys_done(&keys);
		return cli_error(&e);
	}
	text = report_md_plan(p, &keys);
	sanitize_fputs(text, stdout, SANITIZE_TEXT); /* a text report: controls shown */
	free(text);
	owner_keys_done(&keys);
	return 0;
}

static void cmd_plan_progress(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, "\r\033[K%s...", what);
	fflush(stderr);
}

/* The client the plan is made with: the base one, or the one target the global options name
 * (--accounts ID --role-name NAME, --regions R, ...: the scan's targets), its role assumed.
 * *c is borrowed (base or one of tg's); *role the role assumed, or NULL. */
static int cmd_plan_target(struct cli_options *opts, struct trace *trace, struct aws_client *base,
			   struct session_targets *tg, struct aws_client **c, const char **role,
			   struct err *e)
{
	struct session_targets_spec spec;
	struct session_config scfg;

	*c = base;
	*role = NULL;
	cli_targets_spec(opts, &spec);
	spec.findings_from = NULL; /* plan reads no findings */
	/* only when asked on the command line: the config-file targets are the scan's */
	if (!cli_targets_given(opts) || !session_targets_wanted(base, &spec))
		return 0;
	cli_session_config(opts, trace, &cmd_plan_cancel, &scfg);
	if (session_targets_open(base, &scfg, &spec, tg, e) != 0)
		return -1;
	if (tg->n != 1) {
		err_set(e,
			"plan: the options name %zu targets (accounts x regions); a plan is for "
			"one account in one region",
			tg->n);
		return err_hint(e, "give one account with --accounts ID --role-name NAME, and one "
				   "region (--region, or --regions with one)");
	}
	if (session_target_assume(&tg->v[0], e) != 0)
		return -1;
	*c = tg->v[0].client;
	*role = tg->v[0].role_arn;
	return 0;
}

/* How to apply the plan written to path: with --region when it is not the default one (apply
 * checks it), and the role apply assumes again. */
static void cmd_plan_next(const struct cli_options *opts, struct aws_client *base,
			  const struct plan *p, const char *path)
{
	int region = opts->region != NULL || strcmp(p->region, aws_client_region(base)) != 0;

	printf("\nPlan written to %s (mode 0600). Apply it with: ecsfix %s%s%sapply %s\n", path,
	       region ? "--region " : "", region ? p->region : "", region ? " " : "", path);
	if (p->role_arn != NULL)
		printf("apply assumes %s again with the base credentials%s.\n", p->role_arn,
		       opts->external_id != NULL ? " (give the same --external-id)" : "");
}

static int cmd_plan_exec(struct cli_options *opts, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"service", required_argument, NULL, PLAN_OPT_SERVICE},
	    {"task-definition", required_argument, NULL, PLAN_OPT_TASKDEF},
	    {"user", required_argument, NULL, PLAN_OPT_USER},
	    {"network-mode", required_argument, NULL, PLAN_OPT_NETMODE},
	    {"subnets", required_argument, NULL, PLAN_OPT_SUBNETS},
	    {"security-groups", required_argument, NULL, PLAN_OPT_SGS},
	    {"assign-public-ip", required_argument, NULL, PLAN_OPT_PUBLIC_IP},
	    {"output-file", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, PLAN_OPT_JSON},
	    {"only-this-service", no_argument, NULL, PLAN_OPT_ONLY_THIS},
	    {"no-move-to", no_argument, NULL, PLAN_OPT_NO_MOVE_TO},
	    {"controls", required_argument, NULL, PLAN_OPT_CONTROLS},
	    {"cap-add", required_argument, NULL, PLAN_OPT_CAP_ADD},
	    {"device", required_argument, NULL, PLAN_OPT_DEVICE},
	    {"format", required_argument, NULL, PLAN_OPT_FORMAT},
	    {"owner-tags", required_argument, NULL, PLAN_OPT_OWNER_TAGS},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_plan_args a;
	struct plan_request rq;
	struct plan *p = NULL;
	struct aws_client *base = NULL, *c = NULL;
	struct session_targets tg;
	struct trace *trace = NULL;
	struct err e;
	int rc, first, tty;
	size_t i;

	memset(&a, 0, sizeof a);
	memset(&tg, 0, sizeof tg);
	a.public_ip = -1;
	err_clear(&e);
	first = cli_parse(opts, argc, argv, longopts, "o:", cmd_plan_option, &a);
	rc = cli_parse_result(&cmd_plan_entry, first);
	if (rc >= 0)
		goto out;
	rc = EXIT_ERROR;
	if (first < argc) {
		cli_errorf("plan: unexpected argument '%s'", argv[first]);
		goto out;
	}
	if (a.nservices == 0 && a.task_definition == NULL) {
		cli_errorf("plan: give --service CLUSTER/SERVICE or --task-definition FAMILY[:REV] "
			   "(see 'ecsfix plan --help')");
		goto out;
	}
	memset(&rq, 0, sizeof rq);
	rq.services = a.services;
	rq.nservices = a.nservices;
	rq.task_definition = a.task_definition;
	rq.only_this_service = a.only_this_service;
	rq.no_move_to = a.no_move_to;
	rq.controls = a.controls;
	rq.user = a.user;
	rq.network_mode = TRANSFORM_NET_KEEP;
	if (a.network_mode != NULL &&
	    transform_parse_network(a.network_mode, &rq.network_mode, &e)) {
		cli_error(&e);
		goto out;
	}
	rq.subnets = (const char *const *)a.subnets;
	rq.nsubnets = a.nsubnets;
	rq.security_groups = (const char *const *)a.sgs;
	rq.nsecurity_groups = a.nsgs;
	rq.assign_public_ip = a.public_ip;
	rq.cap_add = a.caps;
	rq.ncap_add = a.ncaps;
	rq.devices = a.devices;
	if (a.format != NULL && strcmp(a.format, "json") == 0)
		a.json = 1;

	if (cli_trace_open(opts, &trace))
		goto out;
	signal(SIGINT, cmd_plan_sigint);
	if (cli_client_new(opts, trace, &cmd_plan_cancel, 0, &base))
		goto out;
	tty = isatty(STDERR_FILENO) && !opts->debug;
	rc = cmd_plan_target(opts, trace, base, &tg, &c, &rq.role_arn, &e);
	if (rc == 0)
		rc = plan_build(c, &rq, tty ? cmd_plan_progress : NULL, NULL, &cmd_plan_cancel, &p,
				&e);
	if (tty) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	if (rc) {
		rc = cmd_plan_cancel ? EXIT_INTERRUPTED : cli_error(&e);
		goto out;
	}
	if (a.format != NULL && strcmp(a.format, "markdown") == 0) {
		if (cmd_plan_markdown(&a, p)) {
			rc = EXIT_ERROR;
			goto out;
		}
	} else if (a.json) {
		char *text = jsonx_pretty(p->doc);
		fputs(text, stdout);
		free(text);
	} else {
		char *text = plan_format_text(p, 0);
		char *colored = cli_use_color(opts, stdout) ? plan_format_text(p, 1) : NULL;

		sanitize_fputs_colored(stdout, text, colored, SANITIZE_TEXT);
		free(colored);
		free(text);
	}
	if (!plan_has_changes(p)) {
		fprintf(
		    a.format != NULL && strcmp(a.format, "markdown") == 0 ? stderr : stdout,
		    "\nNothing to do: no privileged container and no option changes anything.\n");
		rc = EXIT_FINDINGS;
		goto out;
	}
	if (a.out != NULL) {
		if (plan_write(p, a.out, &e)) {
			rc = cli_error(&e);
			goto out;
		}
		if (!a.json && a.format == NULL)
			cmd_plan_next(opts, base, p, a.out);
	}
	rc = EXIT_CLEAN;
out:
	plan_free(p);
	session_targets_close(&tg);
	aws_client_free(base);
	trace_free(trace);
	free(a.services);
	for (i = 0; i < a.nsubnets; i++)
		free(a.subnets[i]);
	free(a.subnets);
	for (i = 0; i < a.nsgs; i++)
		free(a.sgs[i]);
	free(a.sgs);
	free(a.caps);
	json_object_put(a.devices);
	return rc;
}

const struct cli_command cmd_plan_entry = {
    .name = "plan",
    .args = "(--service CLUSTER/SERVICE... [--only-this-service] | --task-definition "
	    "FAMILY[:REV]) [--user UID] [--network-mode MODE [--subnets LIST] [--security-groups "
	    "LIST]] [--no-move-to] [--controls LIST] [--cap-add CAP[,CAP]] [--device "
	    "HOST[:CONTAINER[:PERMS]]] [--format text|markdown|json] [-o FILE]",
    .summary = "propose the fixed revision and the services to move; changes nothing",
    .help = "  --service CLUSTER/SERVICE   fix the revision this service runs: the plan covers\n"
	    "                              every service, in every cluster, that runs it\n"
	    "                              (repeatable; all must run the same revision); a\n"
	    "                              service ARN works too\n"
	    "  --only-this-service         only the services named with --service\n"
	    "  --task-definition FAMILY[:REV]  that revision (latest ACTIVE for a family) and\n"
	    "                              every service, in every cluster, that runs it\n"
	    "  --user UID                  set this non-root user on root containers (ECS.20)\n"
	    "  --network-mode bridge|awsvpc  leave host mode (ECS.17); ports are fixed for it\n"
	    "  --subnets LIST              awsvpc: subnets for the services (comma list)\n"
	    "  --security-groups LIST      awsvpc: security groups (comma list)\n"
	    "  --assign-public-ip ENABLED|DISABLED  awsvpc (default DISABLED)\n"
	    "  --no-move-to                register a fix of the source even when a newer ACTIVE\n"
	    "                              revision of the family already passes (by default\n"
	    "                              the services move to that one)\n"
	    "  --controls LIST             the deciding controls (default ECS.4,ECS.17,ECS.20)\n"
	    "  -o, --output-file FILE      write the plan (JSON, mode 0600) for 'ecsfix apply'\n"
	    "  --json                      print the plan document instead of the summary\n"
	    "  --cap-add CAP[,CAP]         instead of privileged: add these Linux capabilities\n"
	    "                              (linuxParameters.capabilities.add; Fargate accepts\n"
	    "                              only SYS_PTRACE); repeatable\n"
	    "  --device HOST[:CONTAINER[:PERMS]]  instead of privileged: map this host device\n"
	    "                              (linuxParameters.devices; PERMS of r, w, m; not on\n"
	    "                              Fargate); repeatable\n"
	    "  --format text|markdown|json the summary (default), the message for the owner\n"
	    "                              (Markdown), or the plan document (= --json)\n"
	    "  --owner-tags LIST           tag keys naming the owner (default\n"
	    "                              owner,Owner,team,Team,contact,email,CostCenter)\n"
	    "In a member account: the global --accounts ID --role-name NAME [--external-id X]\n"
	    "(one account; --region or one --regions value): the role is assumed from the base\n"
	    "credentials and recorded in the plan (roleArn) for apply.\n"
	    "exit status: 0 plan made, 1 nothing to do, 2 error, 130 interrupted\n",
    .exec = cmd_plan_exec,
};
