/* cmd_scan.c: the 'scan' command: the account scan as a table or JSON; exit 0/1/2. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <wchar.h>

#include "aws/client.h"
#include "cli/cli.h"
#include "core/rules.h"
#include "core/scan.h"
#include "core/scan_report.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/trace.h"
#include "util/xmalloc.h"

enum {
	SCAN_OPT_CLUSTER = 2000,
	SCAN_OPT_ALL_FAMILIES,
	SCAN_OPT_CONTROLS,
	SCAN_OPT_OUTPUT,
	SCAN_OPT_NO_FINDINGS,
	SCAN_OPT_TIMEOUT,
};

enum scan_output { SCAN_OUTPUT_TABLE, SCAN_OUTPUT_JSON };

struct cmd_scan_args {
	const char **clusters;
	size_t nclusters;
	int all_families;
	int no_findings;
	unsigned controls;
	enum scan_output output;
	double timeout; /* --timeout seconds; 0: none */
};

/* Set by SIGINT (1) or the --timeout alarm (2); read by the AWS client, which stops the
 * transfers and waits under way. The one signal-handler global. */
static volatile sig_atomic_t cmd_scan_cancel;

static void cmd_scan_on_sigint(int sig)
{
	cmd_scan_cancel = sig == SIGALRM ? 2 : 1;
}

/* Arms (seconds > 0) or disarms (0) the --timeout alarm. */
static void cmd_scan_alarm(double seconds)
{
	struct itimerval it;

	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int cmd_scan_option(void *ctx, int opt, const char *arg)
{
	struct cmd_scan_args *a = ctx;
	struct err e;

	switch (opt) {
	case SCAN_OPT_CLUSTER:
		if (arg[0] == '\0') {
			cli_errorf("scan: --cluster needs a cluster name or ARN");
			return -1;
		}
		a->clusters = xreallocarray(a->clusters, a->nclusters + 1, sizeof *a->clusters);
		a->clusters[a->nclusters++] = arg;
		return 0;
	case SCAN_OPT_ALL_FAMILIES:
		a->all_families = 1;
		return 0;
	case SCAN_OPT_NO_FINDINGS:
		a->no_findings = 1;
		return 0;
	case SCAN_OPT_CONTROLS:
		err_clear(&e);
		if (rules_parse_controls(arg, &a->controls, &e) != 0) {
			cli_error(&e);
			return -1;
		}
		return 0;
	case SCAN_OPT_TIMEOUT: {
		char *end;

		a->timeout = strtod(arg, &end);
		if (end == arg || *end != '\0' || !(a->timeout > 0) || a->timeout > 86400) {
			cli_errorf("scan: --timeout: \"%s\" is not a number of seconds", arg);
			return -1;
		}
		return 0;
	}
	case 'o':
	case SCAN_OPT_OUTPUT:
		if (strcmp(arg, "table") == 0)
			a->output = SCAN_OUTPUT_TABLE;
		else if (strcmp(arg, "json") == 0)
			a->output = SCAN_OUTPUT_JSON;
		else {
			cli_errorf("scan: unknown output format '%s' (use table or json)", arg);
			return -1;
		}
		return 0;
	default:
		return -1;
	}
}

/* ---- progress on a TTY ---- */

struct cmd_scan_progress {
	FILE *fp;
	int shown;
};

static void cmd_scan_progress_cb(void *ctx, const char *what, size_t done, size_t total)
{
	struct cmd_scan_progress *p = ctx;
	char bar[31];
	size_t fill = total > 0 ? done * (sizeof bar - 1) / total : 0, i;

	if (strcmp(what, "done") == 0) {
		if (p->shown)
			fputs("\r\033[K", p->fp);
		fflush(p->fp);
		return;
	}
	for (i = 0; i < sizeof bar - 1; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[sizeof bar - 1] = '\0';
	fprintf(p->fp, "\r\033[Kscanning %-16s [%s] %zu/%zu calls", what, bar, done, total);
	fflush(p->fp);
	p->shown = 1;
}

/* ---- the table ---- */

enum cmd_scan_role { ROLE_NONE, ROLE_FAILED, ROLE_UNKNOWN, ROLE_PASSED, ROLE_DIM, ROLE_BOLD };

/* Semantic colour roles, never raw colours in the code below. */
static const char *const cmd_scan_role_sgr[] = {
    [ROLE_NONE] = "",           [ROLE_FAILED] = "\033[31m", [ROLE_UNKNOWN] = "\033[33m",
    [ROLE_PASSED] = "\033[32m", [ROLE_DIM] = "\033[2m",     [ROLE_BOLD] = "\033[1m",
};

static enum cmd_scan_role cmd_scan_status_role(const char *status)
{
	if (status == NULL)
		return ROLE_NONE;
	if (strcmp(status, "FAILED") == 0)
		return ROLE_FAILED;
	if (strcmp(status, "UNKNOWN") == 0)
		return ROLE_UNKNOWN;
	if (strcmp(status, "PASSED") == 0)
		return ROLE_PASSED;
	return ROLE_NONE;
}

/* Display width of a UTF-8 string (wcwidth per character; invalid bytes count 1). */
static size_t cmd_scan_width(const char *s)
{
	mbstate_t st;
	size_t w = 0, len = strlen(s), k;
	wchar_t wc;

	memset(&st, 0, sizeof st);
	while (len > 0) {
		k = mbrtowc(&wc, s, len, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			w++;
			s++;
			len--;
			continue;
		}
		if (k == 0)
			break;
		{
			int cw = wcwidth(wc);

			w += cw > 0 ? (size_t)cw : 0;
		}
		s += k;
		len -= k;
	}
	return w;
}

#define CMD_SCAN_NCOLS 11

struct cmd_scan_row {
	char *cell[CMD_SCAN_NCOLS];
	enum cmd_scan_role role; /* of the status cell */
	json_object *svc;        /* borrowed: notes and unknown under it */
};

static const char *const cmd_scan_heads[CMD_SCAN_NCOLS] = {
    "STATUS", "CLUSTER", "SERVICE", "REVISION", "LAUNCH",   "TASKS",
    "NET",    "PRIV",    "USER",    "FAILING",  "FINDINGS",
};

static json_object *cmd_scan_index(json_object *arr, const char *key)
{
	json_object *m = json_object_new_object();
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *k = jsonx_str(o, key);

		if (k != NULL)
			json_object_object_add(m, k, json_object_get(o));
	}
	return m;
}

static json_object *cmd_scan_get(json_object *map, const char *key)
{
	json_object *v = NULL;

	if (key == NULL || !json_object_object_get_ex(map, key, &v))
		return NULL;
	return v;
}

/* The buffer's text (caller frees); sb is released. */
static char *cmd_scan_take(struct strbuf *sb)
{
	char *s = strbuf_take(sb);

	strbuf_done(sb);
	return s;
}

static char *cmd_scan_join_strings(json_object *arr, const char *sep)
{
	struct strbuf sb;
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_puts(&sb, sep);
		strbuf_puts(&sb, json_object_get_string(json_object_array_get_idx(arr, i)));
	}
	if (sb.len == 0)
		strbuf_puts(&sb, "-");
	return cmd_scan_take(&sb);
}

/* Container names whose check of control failed, comma separated, or "-". */
static char *cmd_scan_containers_failing(json_object *td, const char *control)
{
	json_object *checks = jsonx_array(td, "checks");
	size_t i, n = checks != NULL ? json_object_array_length(checks) : 0;
	struct strbuf sb;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *cc = jsonx_str(c, "control"), *st = jsonx_str(c, "status");

		if (cc == NULL || st == NULL || strcmp(cc, control) != 0 ||
		    strcmp(st, "FAILED") != 0)
			continue;
		if (sb.len > 0)
			strbuf_putc(&sb, ',');
		strbuf_puts(&sb,
			    jsonx_str(c, "container") != NULL ? jsonx_str(c, "container") : "*");
	}
	if (sb.len == 0)
		strbuf_puts(&sb, td != NULL ? "-" : "?");
	return cmd_scan_take(&sb);
}

/* 1 when the space-separated list has word. */
static int cmd_scan_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* "ECS.4:FAILED ECS.17:PASSED" for the findings joined to a service, or "-"/"?". */
static char *cmd_scan_findings_cell(json_object *svc, json_object *fmap, int unknown)
{
	json_object *ids = jsonx_array(svc, "findings");
	size_t i, n = ids != NULL ? json_object_array_length(ids) : 0;
	struct strbuf sb;
	char item[96];

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		json_object *f =
		    cmd_scan_get(fmap, json_object_get_string(json_object_array_get_idx(ids, i)));

		if (f == NULL)
			continue;
		/* one per control and status (per-standard findings repeat the consolidated) */
		snprintf(item, sizeof item, "%s:%s", jsonx_str(f, "control"),
			 jsonx_str(f, "status") != NULL ? jsonx_str(f, "status") : "?");
		if (cmd_scan_has_word(sb.buf, item))
			continue;
		strbuf_printf(&sb, "%s%s:%s", sb.len > 0 ? " " : "", jsonx_str(f, "control"),
			      jsonx_str(f, "status") != NULL ? jsonx_str(f, "status") : "?");
	}
	if (sb.len == 0)
		strbuf_puts(&sb, unknown ? "?" : "-");
	return cmd_scan_take(&sb);
}

static void cmd_scan_row_fill(struct cmd_scan_row *r, json_object *svc, json_object *tdmap,
			      json_object *fmap, int findings_unknown)
{
	const char *tdarn = jsonx_str(svc, "taskDefinition");
	json_object *td = cmd_scan_get(tdmap, tdarn);
	const char *slash = tdarn != NULL ? strrchr(tdarn, '/') : NULL;
	const char *status = jsonx_str(svc, "status");
	const char *net = jsonx_str(td, "networkMode");
	r->svc = svc;
	r->role = cmd_scan_status_role(status);
	r->cell[0] = xstrdup(status != NULL ? status : "?");
	r->cell[1] = xstrdup(jsonx_str(svc, "cluster") != NULL ? jsonx_str(svc, "cluster") : "?");
	r->cell[2] = xstrdup(jsonx_str(svc, "name") != NULL ? jsonx_str(svc, "name") : "?");
	r->cell[3] = xstrdup(slash != NULL ? slash + 1 : tdarn != NULL ? tdarn : "?");
	r->cell[4] =
	    xstrdup(jsonx_str(svc, "launchType") != NULL ? jsonx_str(svc, "launchType") : "-");
	if (json_object_get_type(cmd_scan_get(svc, "desiredCount")) == json_type_int)
		r->cell[5] = xasprintf("%lld/%lld", (long long)jsonx_int(svc, "runningCount", 0),
				       (long long)jsonx_int(svc, "desiredCount", 0));
	else
		r->cell[5] = xstrdup("?");
	r->cell[6] = xstrdup(net != NULL ? net : td != NULL ? "bridge" : "?");
	r->cell[7] = cmd_scan_containers_failing(td, "ECS.4");
	r->cell[8] = cmd_scan_containers_failing(td, "ECS.20");
	r->cell[9] = cmd_scan_join_strings(jsonx_array(svc, "failing"), ",");
	r->cell[10] = cmd_scan_findings_cell(svc, fmap, findings_unknown);
}

static void cmd_scan_put_cell(FILE *fp, const char *s, size_t width, int last, const char *sgr,
			      int color)
{
	size_t w = cmd_scan_width(s);

	if (color && sgr[0] != '\0')
		fprintf(fp, "%s%s\033[0m", sgr, s);
	else
		fputs(s, fp);
	if (last)
		return;
	for (; w < width + 2; w++)
		fputc(' ', fp);
}

static void cmd_scan_put_line(FILE *fp, char *const *cells, const size_t *widths,
			      enum cmd_scan_role role, int color, int head)
{
	size_t i;

	for (i = 0; i < CMD_SCAN_NCOLS; i++) {
		const char *sgr = head     ? cmd_scan_role_sgr[ROLE_BOLD]
				  : i == 0 ? cmd_scan_role_sgr[role]
					   : cmd_scan_role_sgr[ROLE_NONE];

		cmd_scan_put_cell(fp, cells[i], widths[i], i + 1 == CMD_SCAN_NCOLS, sgr, color);
	}
	fputc('\n', fp);
}

static void cmd_scan_put_notes(FILE *fp, json_object *svc, int color)
{
	json_object *notes = jsonx_array(svc, "notes");
	const char *unknown = jsonx_str(svc, "unknown");
	const char *dim = color ? cmd_scan_role_sgr[ROLE_DIM] : "";
	const char *warn = color ? cmd_scan_role_sgr[ROLE_UNKNOWN] : "";
	const char *reset = color ? "\033[0m" : "";
	size_t i, n = notes != NULL ? json_object_array_length(notes) : 0;

	if (unknown != NULL)
		fprintf(fp, "        %sunknown: %s%s\n", warn, unknown, reset);
	for (i = 0; i < n; i++)
		fprintf(fp, "        %snote: %s%s\n", dim,
			json_object_get_string(json_object_array_get_idx(notes, i)), reset);
}

/* Revisions no service runs that are not clean (e.g. a privileged latest revision). */
static void cmd_scan_put_unused(FILE *fp, json_object *tds, int color)
{
	size_t i, n = tds != NULL ? json_object_array_length(tds) : 0;
	int head = 0;

	for (i = 0; i < n; i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		json_object *users = jsonx_array(td, "services");
		const char *result = jsonx_str(td, "result");
		enum cmd_scan_role role = cmd_scan_status_role(result);
		char *failing;

		if ((users != NULL && json_object_array_length(users) > 0) || role == ROLE_PASSED)
			continue;
		if (!head) {
			fputs("\nRevisions no service runs (Security Hub evaluates the latest):\n",
			      fp);
			head = 1;
		}
		failing = cmd_scan_join_strings(jsonx_array(td, "failing"), ",");
		fprintf(fp, "  %s%-7s%s %s%s  failing: %s\n", color ? cmd_scan_role_sgr[role] : "",
			result != NULL ? result : "?", color ? "\033[0m" : "",
			jsonx_str(td, "arn") != NULL ? strrchr(jsonx_str(td, "arn"), '/') != NULL
							   ? strrchr(jsonx_str(td, "arn"), '/') + 1
							   : jsonx_str(td, "arn")
						     : "?",
			jsonx_bool(td, "latestActive") == 1 ? " (latest ACTIVE)" : "", failing);
		if (jsonx_str(td, "unknown") != NULL)
			fprintf(fp, "        unknown: %s\n", jsonx_str(td, "unknown"));
		free(failing);
	}
}

static void cmd_scan_put_summary(FILE *fp, json_object *report, int color)
{
	json_object *sum = jsonx_obj(report, "summary");
	int64_t sf = jsonx_int(sum, "servicesFailing", 0),
		su = jsonx_int(sum, "servicesUnknown", 0);
	int64_t ns = jsonx_int(sum, "services", 0);
	char *controls = cmd_scan_join_strings(jsonx_array(report, "controls"), ",");
	const char *role = !color   ? ""
			   : sf > 0 ? cmd_scan_role_sgr[ROLE_FAILED]
			   : su > 0 ? cmd_scan_role_sgr[ROLE_UNKNOWN]
				    : cmd_scan_role_sgr[ROLE_PASSED];

	fprintf(fp,
		"\n%sSummary: %lld service%s in %lld cluster%s: %lld failing, %lld unknown, %lld "
		"passed (%s); %lld task definition%s, %lld failing; ",
		role, (long long)ns, ns == 1 ? "" : "s", (long long)jsonx_int(sum, "clusters", 0),
		jsonx_int(sum, "clusters", 0) == 1 ? "" : "s", (long long)sf, (long long)su,
		(long long)(ns - sf - su), controls,
		(long long)jsonx_int(sum, "taskDefinitions", 0),
		jsonx_int(sum, "taskDefinitions", 0) == 1 ? "" : "s",
		(long long)jsonx_int(sum, "taskDefinitionsFailing", 0));
	if (jsonx_bool(report, "findingsSkipped") == 1)
		fputs("Security Hub not read", fp);
	else if (jsonx_str(report, "findingsUnknown") != NULL)
		fputs("Security Hub findings UNKNOWN", fp);
	else
		fprintf(fp, "Security Hub: %lld FAILED, %lld PASSED",
			(long long)jsonx_int(sum, "findingsFailed", 0),
			(long long)jsonx_int(sum, "findingsPassed", 0));
	fprintf(fp, "%s\n", color ? "\033[0m" : "");
	free(controls);
}

static void cmd_scan_table(FILE *fp, json_object *report, int color)
{
	json_object *services = jsonx_array(report, "services");
	json_object *errors = jsonx_array(report, "errors");
	json_object *tdmap = cmd_scan_index(jsonx_array(report, "taskDefinitions"), "arn");
	json_object *fmap = cmd_scan_index(jsonx_array(report, "findings"), "id");
	size_t i, k, n = services != NULL ? json_object_array_length(services) : 0;
	struct cmd_scan_row *rows = xcalloc(n + 1, sizeof *rows);
	size_t widths[CMD_SCAN_NCOLS];
	int funknown = jsonx_str(report, "findingsUnknown") != NULL ||
		       jsonx_bool(report, "findingsSkipped") == 1;

	for (k = 0; k < CMD_SCAN_NCOLS; k++)
		widths[k] = cmd_scan_width(cmd_scan_heads[k]);
	for (i = 0; i < n; i++) {
		cmd_scan_row_fill(&rows[i], json_object_array_get_idx(services, i), tdmap, fmap,
				  funknown);
		for (k = 0; k < CMD_SCAN_NCOLS; k++) {
			size_t w = cmd_scan_width(rows[i].cell[k]);

			if (w > widths[k])
				widths[k] = w;
		}
	}
	if (n == 0)
		fputs("No services found.\n", fp);
	else
		cmd_scan_put_line(fp, (char *const *)cmd_scan_heads, widths, ROLE_NONE, color, 1);
	for (i = 0; i < n; i++) {
		cmd_scan_put_line(fp, rows[i].cell, widths, rows[i].role, color, 0);
		cmd_scan_put_notes(fp, rows[i].svc, color);
		for (k = 0; k < CMD_SCAN_NCOLS; k++)
			free(rows[i].cell[k]);
	}
	cmd_scan_put_unused(fp, jsonx_array(report, "taskDefinitions"), color);
	n = errors != NULL ? json_object_array_length(errors) : 0;
	if (n > 0)
		fputs("\nCould not read:\n", fp);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(errors, i);

		fprintf(fp, "  %s%s%s\n", color ? cmd_scan_role_sgr[ROLE_UNKNOWN] : "",
			jsonx_str(e, "reason") != NULL ? jsonx_str(e, "reason") : "?",
			color ? "\033[0m" : "");
	}
	cmd_scan_put_summary(fp, report, color);
	free(rows);
	json_object_put(tdmap);
	json_object_put(fmap);
}

static int cmd_scan_exec(struct cli_options *opts, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cluster", required_argument, NULL, SCAN_OPT_CLUSTER},
	    {"all-families", no_argument, NULL, SCAN_OPT_ALL_FAMILIES},
	    {"controls", required_argument, NULL, SCAN_OPT_CONTROLS},
	    {"output", required_argument, NULL, SCAN_OPT_OUTPUT},
	    {"no-findings", no_argument, NULL, SCAN_OPT_NO_FINDINGS},
	    {"timeout", required_argument, NULL, SCAN_OPT_TIMEOUT},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_scan_args a;
	struct cmd_scan_progress prog = {stderr, 0};
	struct scan_options so;
	struct trace *trace = NULL;
	struct aws_client *client = NULL;
	json_object *report = NULL;
	struct sigaction sa, old;
	struct err e;
	int first, rc;

	memset(&a, 0, sizeof a);
	a.controls = rules_default_mask();
	first = cli_parse(opts, argc, argv, longopts, "o:", cmd_scan_option, &a);
	rc = cli_parse_result(&cmd_scan_entry, first);
	if (rc >= 0)
		goto out;
	if (first < argc) {
		rc = cli_errorf("scan: unexpected argument '%s' (see 'ecsfix scan --help')",
				argv[first]);
		goto out;
	}
	rc = EXIT_ERROR;
	if (cli_trace_open(opts, &trace) != 0)
		goto out;
	/* --timeout bounds each call's wait too (the client's default is 60 s) */
	if (cli_client_new(opts, trace, &cmd_scan_cancel,
			   a.timeout > 0 && a.timeout < 60 ? (long)(a.timeout * 1000) + 1 : 0,
			   &client) != 0)
		goto out;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cmd_scan_on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (a.timeout > 0) { /* the whole scan ends after --timeout seconds */
		sa.sa_flags = SA_RESTART;
		sigaction(SIGALRM, &sa, NULL);
		cmd_scan_alarm(a.timeout);
	}

	memset(&so, 0, sizeof so);
	so.clusters = a.clusters;
	so.nclusters = a.nclusters;
	so.all_families = a.all_families;
	so.no_findings = a.no_findings;
	so.controls = a.controls;
	err_clear(&e);
	if (scan_run(client, &so, isatty(STDERR_FILENO) ? cmd_scan_progress_cb : NULL, &prog,
		     &report, &e) != 0) {
		sigaction(SIGINT, &old, NULL);
		cmd_scan_alarm(0);
		cmd_scan_progress_cb(&prog, "done", 0, 0);
		if (cmd_scan_cancel == 2) {
			rc = cli_errorf("scan: no complete answer within %g s (--timeout): check "
					"the endpoint and the network, or give more time",
					a.timeout);
		} else if (strcmp(e.code, "Cancelled") == 0 || cmd_scan_cancel) {
			fputs("ecsfix: scan interrupted\n", stderr);
			rc = EXIT_INTERRUPTED;
		} else {
			rc = cli_error(&e);
		}
		goto out;
	}
	sigaction(SIGINT, &old, NULL);
	cmd_scan_alarm(0);
	if (a.output == SCAN_OUTPUT_JSON) {
		scan_report_write_json(stdout, report);
	} else {
		/* every text of the table comes from the account: shown safely */
		json_object *safe = sanitize_json_copy(report, 0);

		cmd_scan_table(stdout, safe, cli_use_color(opts, stdout));
		json_object_put(safe);
	}
	if (fflush(stdout) != 0) {
		rc = cli_errorf("scan: cannot write the output");
		goto out;
	}
	rc = (int)jsonx_int(jsonx_obj(report, "summary"), "exitCode", EXIT_ERROR);
out:
	json_object_put(report);
	aws_client_free(client);
	trace_free(trace);
	free(a.clusters);
	return rc;
}

const struct cli_command cmd_scan_entry = {
    .name = "scan",
    .args = "[--cluster NAME]... [--all-families] [--controls LIST] [--output table|json] "
	    "[--no-findings] [--timeout SECONDS]",
    .summary = "inventory, rule results and Security Hub findings; exit 1 on findings",
    .help = "  --cluster NAME      scan only this cluster (name or ARN; repeatable)\n"
	    "  --all-families      also the latest revision of families no service uses\n"
	    "  --controls LIST     controls deciding the exit code (default ECS.4,ECS.17,ECS.20;\n"
	    "                      'all' for every control)\n"
	    "  -o, --output FMT    table (default) or json\n"
	    "  --no-findings       do not read Security Hub\n"
	    "  --timeout SECONDS   give up after this long (each call waits at most this long)\n"
	    "\n"
	    "exit status: 0 clean, 1 a service or revision fails one of --controls, 2 error\n"
	    "(or parts could not be read and nothing fails), 130 interrupted\n",
    .exec = cmd_scan_exec,
};
