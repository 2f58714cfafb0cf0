/* common.c: option parsing, error printing and client set-up shared by every command. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "aws/client.h"
#include "cli/cli.h"
#include "core/session.h"
#include "util/err.h"
#include "util/sanitize.h"
#include "util/trace.h"
#include "util/xmalloc.h"

enum {
	CLI_OPT_PROFILE = 1000,
	CLI_OPT_REGION,
	CLI_OPT_ENDPOINT,
	CLI_OPT_CA_BUNDLE,
	CLI_OPT_NO_VERIFY,
	CLI_OPT_READ_ONLY,
	CLI_OPT_DEBUG,
	CLI_OPT_NO_COLOR,
	CLI_OPT_REGIONS,
	CLI_OPT_ALL_REGIONS,
	CLI_OPT_ACCOUNTS,
	CLI_OPT_ORGANIZATION,
	CLI_OPT_ROLE_NAME,
	CLI_OPT_EXTERNAL_ID,
	CLI_OPT_FINDINGS_FROM,
};

static const struct option cli_global_options[] = {
    {"profile", required_argument, NULL, CLI_OPT_PROFILE},
    {"region", required_argument, NULL, CLI_OPT_REGION},
    {"endpoint-url", required_argument, NULL, CLI_OPT_ENDPOINT},
    {"ca-bundle", required_argument, NULL, CLI_OPT_CA_BUNDLE},
    {"no-verify-ssl", no_argument, NULL, CLI_OPT_NO_VERIFY},
    {"read-only", no_argument, NULL, CLI_OPT_READ_ONLY},
    {"debug", optional_argument, NULL, CLI_OPT_DEBUG},
    {"no-color", no_argument, NULL, CLI_OPT_NO_COLOR},
    {"regions", required_argument, NULL, CLI_OPT_REGIONS},
    {"all-regions", no_argument, NULL, CLI_OPT_ALL_REGIONS},
    {"accounts", required_argument, NULL, CLI_OPT_ACCOUNTS},
    {"organization", no_argument, NULL, CLI_OPT_ORGANIZATION},
    {"role-name", required_argument, NULL, CLI_OPT_ROLE_NAME},
    {"external-id", required_argument, NULL, CLI_OPT_EXTERNAL_ID},
    {"findings-from", required_argument, NULL, CLI_OPT_FINDINGS_FROM},
    {"help", no_argument, NULL, 'h'},
};
#define CLI_NGLOBAL (sizeof cli_global_options / sizeof cli_global_options[0])

static int cli_global(struct cli_options *opts, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_PROFILE:
		if (opts->nprofiles == CLI_MAX_PROFILES) {
			cli_errorf("at most %d --profile values", CLI_MAX_PROFILES);
			return -1;
		}
		if (opts->nprofiles == 0)
			opts->profile = arg;
		opts->profiles[opts->nprofiles++] = arg;
		break;
	case CLI_OPT_REGIONS:
		opts->regions = arg;
		break;
	case CLI_OPT_ALL_REGIONS:
		opts->all_regions = 1;
		break;
	case CLI_OPT_ACCOUNTS:
		opts->accounts = arg;
		break;
	case CLI_OPT_ORGANIZATION:
		opts->organization = 1;
		break;
	case CLI_OPT_ROLE_NAME:
		opts->role_name = arg;
		break;
	case CLI_OPT_EXTERNAL_ID:
		opts->external_id = arg;
		break;
	case CLI_OPT_FINDINGS_FROM:
		opts->findings_from = arg;
		break;
	case CLI_OPT_REGION:
		opts->region = arg;
		break;
	case CLI_OPT_ENDPOINT:
		opts->endpoint_url = arg;
		break;
	case CLI_OPT_CA_BUNDLE:
		opts->ca_bundle = arg;
		break;
	case CLI_OPT_NO_VERIFY:
		opts->no_verify_ssl = 1;
		break;
	case CLI_OPT_READ_ONLY:
		opts->read_only = 1;
		break;
	case CLI_OPT_DEBUG:
		opts->debug = 1;
		opts->debug_file = arg;
		break;
	case CLI_OPT_NO_COLOR:
		opts->no_color = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

int cli_parse(struct cli_options *opts, int argc, char **argv, const struct option *longopts,
	      const char *shortopts, int (*cb)(void *ctx, int opt, const char *arg), void *ctx)
{
	struct option *all;
	size_t n = 0, i;
	const char *name;
	char *shorts;
	int opt, rc = -1;

	while (longopts != NULL && longopts[n].name != NULL)
		n++;
	all = xcalloc(n + CLI_NGLOBAL + 1, sizeof *all);
	for (i = 0; i < CLI_NGLOBAL; i++)
		all[i] = cli_global_options[i];
	for (i = 0; i < n; i++)
		all[CLI_NGLOBAL + i] = longopts[i];
	/* ':' first (after an optional '+') so a missing argument is reported as such. */
	if (shortopts != NULL && shortopts[0] == '+')
		shorts = xasprintf("+:h%s", shortopts + 1);
	else
		shorts = xasprintf(":h%s", shortopts != NULL ? shortopts : "");
	/* main passes argv[0] == "ecsfix"; commands their name: "ecsfix scan: ..." */
	name = strcmp(argv[0], "ecsfix") == 0 ? "" : argv[0];
	optind = 0; /* full re-initialisation (GNU) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, all, NULL)) != -1) {
		if (opt == 'h') {
			rc = CLI_PARSE_HELP;
			goto out;
		}
		if (opt == '?') {
			if (optopt != 0 && optopt < 256)
				sanitize_fprintf(stderr, SANITIZE_KEEP_NL,
						 "ecsfix%s%s: unknown option '-%c' (see --help)\n",
						 *name ? " " : "", name, optopt);
			else
				sanitize_fprintf(stderr, SANITIZE_KEEP_NL,
						 "ecsfix%s%s: unknown option '%s' (see --help)\n",
						 *name ? " " : "", name, argv[optind - 1]);
			goto out;
		}
		if (opt == ':') {
			sanitize_fprintf(stderr, SANITIZE_KEEP_NL,
					 "ecsfix%s%s: option '%s' needs a value\n",
					 *name ? " " : "", name, argv[optind - 1]);
			goto out;
		}
		switch (cli_global(opts, opt, optarg)) {
		case 1:
			continue;
		case -1:
			goto out;
		default:
			break;
		}
		if (cb == NULL || cb(ctx, opt, optarg) != 0)
			goto out;
	}
	rc = optind;
out:
	free(shorts);
	free(all);
	return rc;
}

void cli_command_usage(const struct cli_command *cmd, FILE *fp)
{
	fprintf(fp, "usage: ecsfix %s %s\n\n%s\n", cmd->name, cmd->args, cmd->summary);
	if (cmd->help != NULL && cmd->help[0] != '\0')
		fprintf(fp, "\noptions:\n%s", cmd->help);
	fputs("\nGlobal options (see 'ecsfix --help') are accepted too.\n", fp);
}

int cli_parse_result(const struct cli_command *cmd, int rc)
{
	if (rc == CLI_PARSE_HELP) {
		cli_command_usage(cmd, stdout);
		return EXIT_CLEAN;
	}
	if (rc < 0)
		return EXIT_ERROR;
	return -1;
}

/* Errors carry text from the account, the wire and files: one line, controls shown visibly. */
int cli_error(const struct err *e)
{
	if (e->hint[0] != '\0')
		sanitize_fprintf(stderr, 0, "ecsfix: %s (%s)", e->msg, e->hint);
	else
		sanitize_fprintf(stderr, 0, "ecsfix: %s", e->msg);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

int cli_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("ecsfix: ", stderr);
	va_start(ap, fmt);
	sanitize_vfprintf(stderr, 0, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

/* 1 when url is plain http:// to a host other than the loopback (127.0.0.0/8, ::1,
 * localhost): the signed requests, the session token among them, cross the network unencrypted. */
static int cli_http_remote(const char *url)
{
	char host[256];
	size_t n;
	const char *h, *end;

	if (url == NULL || strncasecmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	end = h + strcspn(h, "/?#");
	for (const char *at = h; at < end; at++)
		if (*at == '@')
			h = at + 1;
	if (*h == '[')
		n = strcspn(h + 1, "]"), h++;
	else
		n = strcspn(h, ":/?#");
	if (n == 0 || n >= sizeof host)
		return 1;
	memcpy(host, h, n);
	host[n] = '\0';
	return !(strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0 ||
		 strcmp(host, "::1") == 0 || strncmp(host, "127.", 4) == 0);
}

int cli_use_color(const struct cli_options *opts, FILE *stream)
{
	const char *term = getenv("TERM");

	if (opts->no_color || !isatty(fileno(stream)))
		return 0;
	return term != NULL && strcmp(term, "dumb") != 0;
}

int cli_trace_open(const struct cli_options *opts, struct trace **out)
{
	*out = NULL;
	if (!opts->debug)
		return 0;
	if (opts->debug_file != NULL) {
		struct err e;

		err_clear(&e);
		*out = trace_open(opts->debug_file, &e);
		if (*out == NULL) {
			err_prefix(&e, "debug trace");
			cli_error(&e);
			return -1;
		}
	} else {
		*out = trace_new(stderr, NULL);
	}
	return 0;
}

int cli_targets_given(const struct cli_options *opts)
{
	return opts->nprofiles > 1 || opts->regions != NULL || opts->all_regions ||
	       opts->accounts != NULL || opts->organization || opts->findings_from != NULL;
}

void cli_targets_spec(const struct cli_options *opts, struct session_targets_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->regions = opts->regions;
	spec->all_regions = opts->all_regions;
	spec->accounts = opts->accounts;
	spec->organization = opts->organization;
	spec->role_name = opts->role_name;
	spec->external_id = opts->external_id;
	spec->profiles = opts->profiles;
	spec->nprofiles = opts->nprofiles;
	spec->findings_from = opts->findings_from;
}

void cli_session_config(const struct cli_options *opts, struct trace *trace,
			volatile sig_atomic_t *cancel, struct session_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->profile = opts->profile;
	cfg->region = opts->region;
	cfg->endpoint_url = opts->endpoint_url;
	cfg->ca_bundle = opts->ca_bundle;
	cfg->no_verify_ssl = opts->no_verify_ssl;
	cfg->trace = trace;
	cfg->cancel = cancel;
}

int cli_client_new(const struct cli_options *opts, struct trace *trace,
		   volatile sig_atomic_t *cancel, long timeout_ms, struct aws_client **out)
{
	struct aws_client_config cfg;
	struct err e;

	memset(&cfg, 0, sizeof cfg);
	cfg.profile = opts->profile;
	cfg.region = opts->region;
	cfg.endpoint_url = opts->endpoint_url;
	cfg.ca_bundle = opts->ca_bundle;
	cfg.no_verify_ssl = opts->no_verify_ssl;
	cfg.trace = trace;
	cfg.cancel = cancel;
	cfg.timeout_ms = timeout_ms;
	err_clear(&e);
	if (aws_client_new(&cfg, out, &e) != 0) {
		cli_error(&e);
		return -1;
	}
	if (opts->no_verify_ssl)
		fputs("ecsfix: warning: TLS certificate verification is off (--no-verify-ssl)\n",
		      stderr);
	{
		static const enum aws_service svcs[] = {AWS_SVC_ECS, AWS_SVC_SECURITYHUB,
							AWS_SVC_STS};
		const char *warned = NULL;

		for (size_t i = 0; i < sizeof svcs / sizeof svcs[0]; i++) {
			const char *u = aws_client_endpoint(*out, svcs[i]);

			if (!cli_http_remote(u) || (warned != NULL && strcmp(warned, u) == 0))
				continue;
			sanitize_fprintf(stderr, 0,
					 "ecsfix: warning: credentials are sent to %s without "
					 "encryption (use https://, or http:// only for a local "
					 "emulator)",
					 u);
			fputc('\n', stderr);
			warned = u;
		}
	}
	return 0;
}
