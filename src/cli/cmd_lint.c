/* cmd_lint.c: the 'lint' command: check task-definition files for CI/CD, optionally fix them. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/caps.h"
#include "core/lint.h"
#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

enum cmd_lint_output {
	CMD_LINT_TEXT,
	CMD_LINT_JSON,
	CMD_LINT_SARIF,
	CMD_LINT_GITHUB,
};

struct cmd_lint_args {
	struct lint_options lo;
	enum cmd_lint_output output;
	const char **caps;
	size_t ncaps;
	struct caps_device *devices;
	size_t ndevices;
};

enum {
	CMD_LINT_OPT_FIX = 256,
	CMD_LINT_OPT_USER,
	CMD_LINT_OPT_NETWORK,
	CMD_LINT_OPT_CONTROLS,
	CMD_LINT_OPT_OUTPUT,
	CMD_LINT_OPT_STRICT,
	CMD_LINT_OPT_CAP_ADD,
	CMD_LINT_OPT_DEVICE,
	CMD_LINT_OPT_NO_EXC,
};

static const struct option cmd_lint_longopts[] = {
    {"fix", no_argument, NULL, CMD_LINT_OPT_FIX},
    {"user", required_argument, NULL, CMD_LINT_OPT_USER},
    {"network-mode", required_argument, NULL, CMD_LINT_OPT_NETWORK},
    {"controls", required_argument, NULL, CMD_LINT_OPT_CONTROLS},
    {"output", required_argument, NULL, CMD_LINT_OPT_OUTPUT},
    {"format", required_argument, NULL, CMD_LINT_OPT_OUTPUT},
    {"strict-json", no_argument, NULL, CMD_LINT_OPT_STRICT},
    {"cap-add", required_argument, NULL, CMD_LINT_OPT_CAP_ADD},
    {"device", required_argument, NULL, CMD_LINT_OPT_DEVICE},
    {"no-exceptions", no_argument, NULL, CMD_LINT_OPT_NO_EXC},
    {NULL, 0, NULL, 0},
};

/* A user for --user: UID[:GID] or name[:group], nothing a shell or a parser could misread. */
static int cmd_lint_user_ok(const char *u)
{
	size_t i, colons = 0;

	if (u[0] == '\0' || u[0] == ':' || u[0] == '-' || strlen(u) > 255)
		return 0;
	for (i = 0; u[i] != '\0'; i++) {
		unsigned char c = (unsigned char)u[i];

		if (c == ':') {
			if (++colons > 1 || u[i + 1] == '\0')
				return 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static int cmd_lint_option(void *ctx, int opt, const char *arg)
{
	struct cmd_lint_args *a = ctx;
	struct err e;
	const char **v;
	size_t n, i, k;

	err_clear(&e);
	switch (opt) {
	case CMD_LINT_OPT_FIX:
		a->lo.fix = 1;
		return 0;
	case CMD_LINT_OPT_USER:
		if (!cmd_lint_user_ok(arg)) {
			cli_errorf("lint: --user \"%s\" is not UID[:GID] or name[:group] (letters, "
				   "digits, _ - . only)",
				   arg);
			return -1;
		}
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
		else if (strcmp(arg, "github") == 0)
			a->output = CMD_LINT_GITHUB;
		else {
			cli_errorf(
			    "lint: --output \"%s\" is not a format (use text, json, sarif or "
			    "github)",
			    arg);
			return -1;
		}
		return 0;
	case CMD_LINT_OPT_STRICT:
		a->lo.strict_json = 1;
		return 0;
	case CMD_LINT_OPT_NO_EXC:
		a->lo.no_exceptions = 1;
		return 0;
	case CMD_LINT_OPT_CAP_ADD:
		if (caps_parse_list(arg, &v, &n, &e)) {
			err_prefix(&e, "lint: --cap-add");
			cli_error(&e);
			return -1;
		}
		for (i = 0; i < n; i++) {
			for (k = 0; k < a->ncaps && a->caps[k] != v[i]; k++)
				;
			if (k < a->ncaps)
				continue;
			a->caps = xreallocarray(a->caps, a->ncaps + 1, sizeof(*a->caps));
			a->caps[a->ncaps++] = v[i];
		}
		free(v);
		return 0;
	case CMD_LINT_OPT_DEVICE:
		a->devices = xreallocarray(a->devices, a->ndevices + 1, sizeof(*a->devices));
		if (caps_parse_device(arg, &a->devices[a->ndevices], &e)) {
			err_prefix(&e, "lint: --device");
			cli_error(&e);
			return -1;
		}
		a->ndevices++;
		return 0;
	default:
		return -1;
	}
}

static void cmd_lint_printf(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line of text from a file, shown on a terminal with its controls, C1 controls, bidi
 * overrides and invalid UTF-8 made visible (util/sanitize). */
static void cmd_lint_printf(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sanitize_vfprintf(fp, 0, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
}

/* The offending line and its caret, to stderr. */
static void cmd_lint_excerpt(const char *ex)
{
	const char *nl = strchr(ex, '\n');

	if (nl == NULL) {
		cmd_lint_printf(stderr, "%s", ex);
		return;
	}
	cmd_lint_printf(stderr, "%.*s", (int)(nl - ex), ex);
	cmd_lint_printf(stderr, "%s", nl + 1);
}

/* "resource X container \"Y\"" before a finding's reason. */
static char *cmd_lint_where(const struct lint_finding *f)
{
	if (f->resource != NULL && f->container != NULL)
		return xasprintf(" resource %s container \"%s\"", f->resource, f->container);
	if (f->resource != NULL)
		return xasprintf(" resource %s", f->resource);
	if (f->container != NULL)
		return xasprintf(" container \"%s\"", f->container);
	return xstrdup("");
}

static const char *cmd_lint_status(const struct lint_finding *f)
{
	if (f->status == LINT_UNKNOWN)
		return " UNKNOWN";
	if (f->status == LINT_EXCEPTED)
		return " EXCEPTED";
	return "";
}

static char *cmd_lint_tail(const struct lint_finding *f)
{
	if (f->status == LINT_EXCEPTED)
		return xasprintf(" (excepted: %s%s%s)", f->exc_reason,
				 f->exc_until ? ", until " : "", f->exc_until ? f->exc_until : "");
	if (f->exc_expired)
		return xasprintf(" (its exception expired on %s)", f->exc_until);
	if (!f->chosen)
		return xstrdup(" (information)");
	return xstrdup("");
}

static void cmd_lint_print_text(const struct lint_report *r)
{
	size_t k;

	if (r->via != NULL)
		cmd_lint_printf(stdout, "%s: note: loaded by %s", r->path, r->via);
	for (k = 0; k < r->nfixes; k++)
		cmd_lint_printf(stdout, "%s:%d: fixed: %s", r->path, r->fixes[k].line,
				r->fixes[k].what);
	for (k = 0; k < r->nfindings; k++) {
		const struct lint_finding *f = &r->findings[k];
		char *where = cmd_lint_where(f), *tail = cmd_lint_tail(f);

		cmd_lint_printf(stdout, "%s:%d: %s%s%s: %s%s", r->path, f->line, f->control,
				cmd_lint_status(f), where, f->reason, tail);
		free(where);
		free(tail);
	}
	for (k = 0; k < r->nnotes; k++)
		cmd_lint_printf(stdout, "%s: note: %s", r->path, r->notes[k]);
}

/* GitHub Actions workflow commands: %, CR and LF escaped (properties also : and ,). */
static void cmd_lint_gh_escape(struct strbuf *sb, const char *s, int prop)
{
	for (; *s; s++) {
		if (*s == '%')
			strbuf_puts(sb, "%25");
		else if (*s == '\r')
			strbuf_puts(sb, "%0D");
		else if (*s == '\n')
			strbuf_puts(sb, "%0A");
		else if (prop && *s == ':')
			strbuf_puts(sb, "%3A");
		else if (prop && *s == ',')
			strbuf_puts(sb, "%2C");
		else
			strbuf_putc(sb, *s);
	}
}

static void cmd_lint_gh(const char *level, const char *file, int line, const char *title,
			const char *msg)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_printf(&sb, "::%s file=", level);
	cmd_lint_gh_escape(&sb, file, 1);
	if (line > 0)
		strbuf_printf(&sb, ",line=%d", line);
	strbuf_puts(&sb, ",title=");
	cmd_lint_gh_escape(&sb, title, 1);
	strbuf_puts(&sb, "::");
	cmd_lint_gh_escape(&sb, msg, 0);
	cmd_lint_printf(stdout, "%s", sb.buf);
	strbuf_done(&sb);
}

static void cmd_lint_print_github(const struct lint_report *r)
{
	size_t k;

	if (r->error) {
		cmd_lint_gh("error", r->path, r->err_line, "ecsfix: cannot check", r->err.msg);
		return;
	}
	for (k = 0; k < r->nfixes; k++)
		cmd_lint_gh("notice", r->path, r->fixes[k].line, "ecsfix --fix", r->fixes[k].what);
	for (k = 0; k < r->nfindings; k++) {
		const struct lint_finding *f = &r->findings[k];
		char *where = cmd_lint_where(f), *tail = cmd_lint_tail(f);
		char *title = xasprintf("%s%s", f->control, cmd_lint_status(f));
		char *msg = xasprintf("%s%s%s: %s%s", f->control, cmd_lint_status(f), where,
				      f->reason, tail);

		cmd_lint_gh(f->decides                  ? "error"
			    : f->status == LINT_UNKNOWN ? "warning"
							: "notice",
			    r->path, f->line, title, msg);
		free(where);
		free(tail);
		free(title);
		free(msg);
	}
	for (k = 0; k < r->nnotes; k++)
		cmd_lint_gh("notice", r->path, 0, "ecsfix note", r->notes[k]);
}

/* A path loaded by a .tf file, relative to that file's directory. */
static char *cmd_lint_ref_path(const char *tf, const char *ref)
{
	const char *slash = strrchr(tf, '/');

	if (ref[0] == '/' || slash == NULL)
		return xstrdup(ref);
	return xasprintf("%.*s/%s", (int)(slash - tf), tf, ref);
}

/* The files to lint: those given, then those a .tf file loads (each once). */
struct cmd_lint_queue {
	char **paths, **vias; /* vias[i]: "FILE (ADDRESS)" for a loaded file, else NULL */
	size_t n, cap;
};

static void cmd_lint_push(struct cmd_lint_queue *q, char *path_take, char *via_take)
{
	size_t j;

	for (j = 0; via_take != NULL && j < q->n; j++)
		if (strcmp(q->paths[j], path_take) == 0) {
			free(path_take);
			free(via_take);
			return;
		}
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->paths = xreallocarray(q->paths, q->cap, sizeof(*q->paths));
		q->vias = xreallocarray(q->vias, q->cap, sizeof(*q->vias));
	}
	q->paths[q->n] = path_take;
	q->vias[q->n++] = via_take;
}

/* Lints file i of the queue into r, prints it (text, github) and queues what it loads. */
static int cmd_lint_one(const struct cmd_lint_args *a, struct cmd_lint_queue *q, size_t i,
			struct lint_report *r)
{
	size_t k;

	lint_report_init(r);
	if (lint_file(q->paths[i], &a->lo, r)) {
		r->via = q->vias[i];
		q->vias[i] = NULL;
		if (r->via != NULL && r->err.hint[0] == '\0')
			err_hint(&r->err, "loaded by %s", r->via);
		if (a->output == CMD_LINT_TEXT) {
			cli_error(&r->err);
			if (r->excerpt != NULL)
				cmd_lint_excerpt(r->excerpt);
		} else if (a->output == CMD_LINT_GITHUB) {
			cmd_lint_print_github(r);
		}
		return EXIT_ERROR;
	}
	r->via = q->vias[i];
	q->vias[i] = NULL;
	if (a->output == CMD_LINT_TEXT)
		cmd_lint_print_text(r);
	else if (a->output == CMD_LINT_GITHUB)
		cmd_lint_print_github(r);
	for (k = 0; k < r->nrefs; k++)
		cmd_lint_push(q, cmd_lint_ref_path(q->paths[i], r->refs[k]),
			      xasprintf("%s (%s)", q->paths[i], r->ref_vias[k]));
	return lint_report_failing(r) > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int cmd_lint_exec(struct cli_options *opts, int argc, char **argv)
{
	struct cmd_lint_args a;
	struct cmd_lint_queue q = {NULL, NULL, 0, 0};
	struct lint_report *reports = NULL;
	size_t i;
	int first, rc, exit_code = EXIT_CLEAN;

	memset(&a, 0, sizeof(a));
	a.lo.controls = rules_default_mask();
	first = cli_parse(opts, argc, argv, cmd_lint_longopts, "", cmd_lint_option, &a);
	if ((rc = cli_parse_result(&cmd_lint_entry, first)) >= 0)
		goto done_args;
	if (first >= argc) {
		rc = cli_errorf("lint: no files given (usage: ecsfix lint [OPTIONS] FILE...)");
		goto done_args;
	}
	if (!a.lo.fix && (a.lo.user != NULL || a.lo.network_mode != TRANSFORM_NET_KEEP ||
			  a.ncaps > 0 || a.ndevices > 0)) {
		rc = cli_errorf("lint: --user, --network-mode, --cap-add and --device only apply "
				"with --fix");
		goto done_args;
	}
	a.lo.cap_add = a.caps;
	a.lo.ncap_add = a.ncaps;
	a.lo.devices = a.devices;
	a.lo.ndevices = a.ndevices;
	for (i = (size_t)first; i < (size_t)argc; i++)
		cmd_lint_push(&q, xstrdup(argv[i]), NULL);
	for (i = 0; i < q.n; i++) { /* q.n grows with the files .tf files load */
		int one;

		reports = xreallocarray(reports, q.n, sizeof(*reports));
		one = cmd_lint_one(&a, &q, i, &reports[i]);
		if (one == EXIT_ERROR || (one == EXIT_FINDINGS && exit_code == EXIT_CLEAN))
			exit_code = one;
	}
	if (a.output == CMD_LINT_JSON || a.output == CMD_LINT_SARIF) {
		json_object *doc = a.output == CMD_LINT_JSON
				       ? lint_reports_json(reports, q.n, &a.lo)
				       : lint_reports_sarif(reports, q.n, &a.lo);
		char *s = jsonx_pretty(doc);

		fputs(s, stdout);
		free(s);
		json_object_put(doc);
	}
	for (i = 0; i < q.n; i++) {
		lint_report_done(&reports[i]);
		free(q.paths[i]);
		free(q.vias[i]);
	}
	free(reports);
	free(q.paths);
	free(q.vias);
	rc = exit_code;
	if (fflush(stdout) != 0)
		rc = cli_errorf("lint: cannot write the output");
done_args:
	free(a.caps);
	free(a.devices);
	return rc;
}

const struct cli_command cmd_lint_entry = {
    .name = "lint",
    .args = "[--fix [--user UID] [--network-mode MODE] [--cap-add CAPS] [--device DEV]] "
	    "[--controls LIST] [--output text|json|sarif|github] [--strict-json] FILE...",
    .summary = "check task definitions in files (JSON, templates, CloudFormation, Terraform); "
	       "--fix rewrites values in place",
    .help = "FILE is a RegisterTaskDefinition input, a DescribeTaskDefinition output\n"
	    "({\"taskDefinition\": ...}), a JSON array of container definitions (or one), a\n"
	    "template of those with placeholders, a CloudFormation template (JSON or YAML), a\n"
	    "Terraform plan (terraform show -json) or a Terraform .tf file.\n"
	    "  --fix                 rewrite each file in place, changing only the fixed values\n"
	    "  --user UID            with --fix: set this non-root user where ECS.20 fails\n"
	    "  --network-mode MODE   with --fix: bridge or awsvpc instead of host\n"
	    "  --cap-add CAP[,CAP]   with --fix: privileged false plus these capabilities\n"
	    "                        (linuxParameters.capabilities.add; Fargate: SYS_PTRACE only)\n"
	    "  --device H[:C[:P]]    with --fix: privileged false plus this host device\n"
	    "  --controls LIST       controls deciding the exit code (default "
	    "ECS.4,ECS.17,ECS.20;\n"
	    "                        known: ECS.4 ECS.17 ECS.20 ECS.1 ECS.3 ECS.5 ECS.8, all)\n"
	    "  --output FMT          text (default), json, sarif (SARIF 2.1.0) or github\n"
	    "                        (GitHub Actions annotations)\n"
	    "  --strict-json         no template placeholders: plain JSON only\n"
	    "  --no-exceptions       ignore .ecsfix.json\n"
	    "Exit: 0 clean, 1 a control in --controls fails, 2 a file could not be checked.\n"
	    "UNKNOWN (a parameter, condition or placeholder decides) and EXCEPTED findings do\n"
	    "not fail.\n",
    .exec = cmd_lint_exec,
};
