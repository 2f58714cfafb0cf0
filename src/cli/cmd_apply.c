/* cmd_apply.c: the 'apply' command: shows the plan, asks, carries it out with a live display
 * on a terminal (plain lines otherwise), offers a rollback after a failure. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/client.h"
#include "cli/cli.h"
#include "core/apply.h"
#include "core/plan.h"
#include "util/err.h"
#include "util/trace.h"
#include "util/xmalloc.h"

enum {
	APPLY_OPT_YES = 3000,
	APPLY_OPT_NO_WAIT,
	APPLY_OPT_ROLLBACK,
	APPLY_OPT_TIMEOUT,
	APPLY_OPT_POLL,
	APPLY_OPT_NOTE,
	APPLY_OPT_DEREGISTER,
	APPLY_OPT_AUDIT,
	APPLY_OPT_READ_TIMEOUT,
};

struct cmd_apply_args {
	int yes;
	long read_timeout_ms; /* per HTTP call; 0: the client's default */
	struct apply_options o;
};

struct cmd_apply_display {
	int tty;     /* live display on stderr */
	int color;   /* colours on stderr */
	int on_line; /* a status line is showing */
};

/* static by necessity: the SIGINT handler's only way to reach the flag */
static volatile sig_atomic_t cmd_apply_cancel;

static void cmd_apply_sigint(int sig)
{
	(void)sig;
	cmd_apply_cancel = 1;
	signal(SIGINT, SIG_DFL); /* a second Ctrl-C ends at once */
}

static int cmd_apply_number(const char *arg, double min, double *out)
{
	char *end = NULL;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || v < min || v > 86400.0)
		return -1;
	*out = v;
	return 0;
}

static int cmd_apply_option(void *ctx, int opt, const char *arg)
{
	struct cmd_apply_args *a = ctx;
	double v;

	switch (opt) {
	case 'y':
	case APPLY_OPT_YES:
		a->yes = 1;
		break;
	case APPLY_OPT_NO_WAIT:
		a->o.no_wait = 1;
		break;
	case APPLY_OPT_ROLLBACK:
		a->o.rollback_on_failure = 1;
		break;
	case APPLY_OPT_TIMEOUT:
		if (cmd_apply_number(arg, 1, &v)) {
			cli_errorf("--timeout: \"%s\" is not a number of seconds", arg);
			return -1;
		}
		a->o.timeout_s = (int)v;
		break;
	case APPLY_OPT_POLL:
		if (cmd_apply_number(arg, 0.05, &v)) {
			cli_errorf("--poll-interval: \"%s\" is not a number of seconds", arg);
			return -1;
		}
		a->o.poll_ms = (int)(v * 1000.0);
		break;
	case APPLY_OPT_NOTE:
		a->o.note_findings = 1;
		break;
	case APPLY_OPT_DEREGISTER:
		a->o.deregister_old = 1;
		break;
	case APPLY_OPT_AUDIT:
		a->o.audit_log = arg;
		break;
	case APPLY_OPT_READ_TIMEOUT:
		if (cmd_apply_number(arg, 0.1, &v)) {
			cli_errorf("--read-timeout: \"%s\" is not a number of seconds", arg);
			return -1;
		}
		a->read_timeout_ms = (long)(v * 1000.0);
		break;
	default:
		return -1;
	}
	return 0;
}

static const char *cmd_apply_mark(enum apply_step s)
{
	switch (s) {
	case APPLY_STEP_CHECK:
		return "check";
	case APPLY_STEP_REGISTER:
		return "register";
	case APPLY_STEP_REUSE:
		return "reuse";
	case APPLY_STEP_UPDATE:
		return "update";
	case APPLY_STEP_ROLLOUT:
		return "rollout";
	case APPLY_STEP_ROLLBACK:
		return "rollback";
	case APPLY_STEP_NOTE:
		return "note";
	case APPLY_STEP_DONE:
		return "done";
	}
	return "?";
}

static void cmd_apply_progress(void *ctx, const struct apply_progress *pg)
{
	struct cmd_apply_display *d = ctx;
	size_t i;

	if (d->tty) {
		if (d->on_line) {
			fputs("\r\033[K", stderr);
			d->on_line = 0;
		}
		for (i = 0; i < pg->nevents; i++)
			fprintf(stderr, "  %s event: %s\n", pg->service ? pg->service : "",
				pg->events[i]);
		if (pg->step == APPLY_STEP_ROLLOUT ||
		    (pg->step == APPLY_STEP_ROLLBACK && pg->rollout_state != NULL)) {
			/* the live line: redrawn in place */
			fprintf(stderr, "%s%s%s %s", d->color ? "\033[1m" : "",
				cmd_apply_mark(pg->step), d->color ? "\033[0m" : "", pg->text);
			d->on_line = 1;
		} else {
			const char *col = NULL;
			if (pg->step == APPLY_STEP_DONE && pg->service != NULL)
				col = pg->outcome == APPLY_OUTCOME_COMPLETED ? "32"
				      : pg->outcome == APPLY_OUTCOME_FAILED ||
					      pg->outcome == APPLY_OUTCOME_ROLLED_BACK
					  ? "31"
					  : NULL;
			fprintf(stderr, "%s%-8s%s %s%s%s%s\n", d->color ? "\033[1m" : "",
				cmd_apply_mark(pg->step), d->color ? "\033[0m" : "",
				d->color && col ? "\033[" : "", d->color && col ? col : "",
				d->color && col ? "m" : "", pg->text);
			if (d->color && col)
				fputs("\033[0m", stderr);
		}
		fflush(stderr);
		return;
	}
	for (i = 0; i < pg->nevents; i++)
		fprintf(stderr, "event %s: %s\n", pg->service ? pg->service : "", pg->events[i]);
	fprintf(stderr, "%s: %s\n", cmd_apply_mark(pg->step), pg->text);
	fflush(stderr);
}

/* Reads one line from the terminal; 1 when it is "yes". */
static int cmd_apply_confirm(const char *question)
{
	char line[64];

	fputs(question, stderr);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0;
}

static int cmd_apply_exec(struct cli_options *opts, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"yes", no_argument, NULL, APPLY_OPT_YES},
	    {"no-wait", no_argument, NULL, APPLY_OPT_NO_WAIT},
	    {"rollback-on-failure", no_argument, NULL, APPLY_OPT_ROLLBACK},
	    {"timeout", required_argument, NULL, APPLY_OPT_TIMEOUT},
	    {"poll-interval", required_argument, NULL, APPLY_OPT_POLL},
	    {"note-findings", no_argument, NULL, APPLY_OPT_NOTE},
	    {"deregister-old", no_argument, NULL, APPLY_OPT_DEREGISTER},
	    {"audit-log", required_argument, NULL, APPLY_OPT_AUDIT},
	    {"read-timeout", required_argument, NULL, APPLY_OPT_READ_TIMEOUT},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_apply_args a;
	struct cmd_apply_display d;
	struct apply_result r;
	struct plan *p = NULL;
	struct aws_client *c = NULL;
	struct trace *trace = NULL;
	struct err e;
	char *text;
	int rc, first, interactive;
	size_t i, nfailed = 0;

	memset(&a, 0, sizeof a);
	memset(&d, 0, sizeof d);
	apply_result_init(&r);
	err_clear(&e);
	first = cli_parse(opts, argc, argv, longopts, "y", cmd_apply_option, &a);
	rc = cli_parse_result(&cmd_apply_entry, first);
	if (rc >= 0)
		return rc;
	rc = EXIT_ERROR;
	if (first >= argc) {
		cli_errorf("apply: which plan? (usage: ecsfix apply [options] PLAN)");
		goto out;
	}
	if (first + 1 < argc) {
		cli_errorf("apply: one plan at a time ('%s' is extra)", argv[first + 1]);
		goto out;
	}
	if (plan_load(argv[first], &p, &e)) {
		cli_error(&e);
		goto out;
	}
	a.o.read_only = opts->read_only;
	if (opts->read_only) {
		cli_errorf("apply: refused: --read-only is set and apply changes the account "
			   "(drop --read-only)");
		goto out;
	}
	interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	d.tty = isatty(STDERR_FILENO) && !opts->debug;
	d.color = cli_use_color(opts, stderr);
	text = plan_format_text(p, cli_use_color(opts, stdout));
	fputs(text, stdout);
	free(text);
	fflush(stdout);
	if (!a.yes) {
		if (!interactive) {
			cli_errorf("apply: not confirmed: no terminal to ask on (add --yes)");
			goto out;
		}
		if (!cmd_apply_confirm("\nType yes to carry out this plan: ")) {
			fputs("ecsfix: apply: not confirmed; nothing changed\n", stderr);
			goto out;
		}
	}
	if (cli_trace_open(opts, &trace))
		goto out;
	signal(SIGINT, cmd_apply_sigint);
	if (cli_client_new(opts, trace, &cmd_apply_cancel, a.read_timeout_ms, &c))
		goto out;
	if (apply_run(c, p, &a.o, cmd_apply_progress, &d, &cmd_apply_cancel, &r, &e)) {
		if (d.on_line)
			fputs("\n", stderr);
		rc = cli_error(&e);
		goto out;
	}
	if (d.on_line) {
		fputs("\n", stderr);
		d.on_line = 0;
	}
	for (i = 0; i < r.nservices; i++)
		if (r.services[i].outcome == APPLY_OUTCOME_FAILED)
			nfailed++;
	if (nfailed > 0 && !r.interrupted && !a.o.rollback_on_failure && interactive) {
		char q[160];

		snprintf(q, sizeof q,
			 "\n%zu service(s) failed. Type yes to move them back to %s: ", nfailed,
			 plan_td_name(p->source_arn));
		if (cmd_apply_confirm(q)) {
			if (apply_rollback(c, p, &a.o, (size_t)-1, cmd_apply_progress, &d,
					   &cmd_apply_cancel, &r, &e)) {
				if (d.on_line)
					fputs("\n", stderr);
				cli_error(&e);
			}
			if (d.on_line)
				fputs("\n", stderr);
			d.on_line = 0;
			for (i = 0; i < r.nservices; i++) {
				struct apply_progress pg;
				char *t = xasprintf(
				    "%s/%s: %s%s%s", r.services[i].cluster, r.services[i].name,
				    apply_outcome_name(r.services[i].outcome),
				    r.services[i].reason ? ": " : "",
				    r.services[i].reason ? r.services[i].reason : "");
				memset(&pg, 0, sizeof pg);
				pg.step = APPLY_STEP_DONE;
				pg.service = r.services[i].name;
				pg.outcome = r.services[i].outcome;
				pg.text = t;
				cmd_apply_progress(&d, &pg);
				free(t);
			}
		}
	}
	rc = apply_result_exit(&r);
	if (rc == EXIT_INTERRUPTED)
		fputs("ecsfix: interrupted: the account is in a consistent state; run the same "
		      "'ecsfix apply' again to continue\n",
		      stderr);
out:
	apply_result_done(&r);
	plan_free(p);
	aws_client_free(c);
	trace_free(trace);
	return rc;
}

const struct cli_command cmd_apply_entry = {
    .name = "apply",
    .args = "[--yes] [--no-wait] [--rollback-on-failure] [--timeout S] [--note-findings] "
	    "[--deregister-old] [--audit-log FILE] [--read-timeout S] PLAN",
    .summary = "carry out a plan: register, update services, follow the rollout",
    .help =
	"  -y, --yes               do not ask (required without a terminal)\n"
	"  --no-wait               stop after the UpdateService calls\n"
	"  --rollback-on-failure   move a failed service back to its old revision at once\n"
	"                          (on a terminal ecsfix asks otherwise)\n"
	"  --timeout SECONDS       give up following a rollout after this (default 1800)\n"
	"  --poll-interval SECONDS first DescribeServices interval (default 5, backs off to 15)\n"
	"  --note-findings         set the family's ECS.4 findings to NOTIFIED with a note\n"
	"  --deregister-old        after success, deregister the old revision if no service\n"
	"                          runs it\n"
	"  --audit-log FILE        audit log (default $XDG_STATE_HOME/ecsfix/audit.jsonl)\n"
	"  --read-timeout SECONDS  per-call HTTP timeout (default 60)\n"
	"exit status: 0 done, 1 failed or rolled back, 2 error (stale plan, denied, ...),\n"
	"130 interrupted (run apply again to continue)\n",
    .exec = cmd_apply_exec,
};
