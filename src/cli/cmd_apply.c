/* cmd_apply.c: the 'apply' command: shows the plan, asks, carries it out with a live display
 * on a terminal (plain lines otherwise), offers a rollback after a failure. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "aws/client.h"
#include "cli/cli.h"
#include "core/apply.h"
#include "core/plan.h"
#include "core/rules.h"
#include "core/session.h"
#include "core/verify.h"
#include "util/err.h"
#include "util/sanitize.h"
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
	APPLY_OPT_CONTROLS,
	APPLY_OPT_DEREGISTER_FAILED,
};

struct cmd_apply_args {
	int yes;
	int deregister_failed; /* deregister a failed new revision without asking */
	long read_timeout_ms;  /* per HTTP call; 0: the client's default */
	struct apply_options o;
};

#define CMD_APPLY_LIVE 16

struct cmd_apply_display {
	int tty;     /* live display on stderr */
	int color;   /* colours on stderr */
	int on_line; /* a status line is showing */
	/* the live line: the latest state of each followed service, side by side */
	struct {
		char key[160];  /* cluster/service */
		char state[64]; /* "IN_PROGRESS 2/3" */
	} live[CMD_APPLY_LIVE];
	size_t nlive;
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
	case APPLY_OPT_CONTROLS: {
		struct err e;

		err_clear(&e);
		if (rules_parse_controls(arg, &a->o.controls, &e)) {
			cli_error(&e);
			return -1;
		}
		break;
	}
	case APPLY_OPT_DEREGISTER_FAILED:
		a->deregister_failed = 1;
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

/* The terminal's width (80 when unknown). */
static size_t cmd_apply_columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* Records pg's state for its service and redraws the live line, cut to the terminal's width
 * (counted in code points: names are ASCII on AWS) so that it never wraps. */
static void cmd_apply_live(struct cmd_apply_display *d, const struct apply_progress *pg)
{
	char key[160], line[1024];
	size_t i, len = 0, cols = cmd_apply_columns(), n = 0;

	snprintf(key, sizeof key, "%s/%s", pg->cluster ? pg->cluster : "",
		 pg->service ? pg->service : "");
	for (i = 0; i < d->nlive && strcmp(d->live[i].key, key) != 0; i++)
		;
	if (i == d->nlive && d->nlive < CMD_APPLY_LIVE)
		snprintf(d->live[d->nlive++].key, sizeof d->live[0].key, "%s", key);
	if (i < d->nlive)
		snprintf(d->live[i].state, sizeof d->live[i].state, "%s %lld/%lld",
			 pg->rollout_state ? pg->rollout_state : "IN_PROGRESS",
			 (long long)pg->running, (long long)pg->desired);
	line[0] = '\0';
	for (i = 0; i < d->nlive && len < sizeof line; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s", i ? " | " : "",
					d->live[i].key, d->live[i].state);
	for (i = 0; line[i] != '\0'; i++) {
		if (((unsigned char)line[i] & 0xC0) != 0x80 && ++n > cols - 10) {
			line[i] = '\0';
			break;
		}
	}
	fprintf(stderr, "%s%-8s%s %s", d->color ? "\033[1m" : "", cmd_apply_mark(pg->step),
		d->color ? "\033[0m" : "", line);
	d->on_line = 1;
}

static void cmd_apply_progress_show(void *ctx, const struct apply_progress *pg)
{
	struct cmd_apply_display *d = ctx;

	if (pg->kind == APPLY_KIND_ECS_EVENT) {
		if (d->on_line) {
			fputs("\r\033[K", stderr);
			d->on_line = 0;
		}
		/* ECS's own words, apart from ecsfix's */
		fprintf(stderr, "%sECS event %s/%s: %s\n", d->tty ? "  " : "",
			pg->cluster ? pg->cluster : "", pg->service ? pg->service : "", pg->text);
		fflush(stderr);
		return;
	}
	if (d->tty) {
		if (d->on_line) {
			fputs("\r\033[K", stderr);
			d->on_line = 0;
		}
		if (pg->step == APPLY_STEP_ROLLOUT ||
		    (pg->step == APPLY_STEP_ROLLBACK && pg->rollout_state != NULL)) {
			/* the live line: redrawn in place */
			cmd_apply_live(d, pg);
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
	fprintf(stderr, "%s: %s\n", cmd_apply_mark(pg->step), pg->text);
	fflush(stderr);
}

/* Every text of a progress report comes from the account (names, ECS events, reasons): shown
 * with its controls escaped (util/sanitize). */
static void cmd_apply_progress(void *ctx, const struct apply_progress *pg)
{
	struct apply_progress safe = *pg;
	char *text = pg->text ? sanitize_str(pg->text, 0) : NULL;
	char *cluster = pg->cluster ? sanitize_str(pg->cluster, 0) : NULL;
	char *service = pg->service ? sanitize_str(pg->service, 0) : NULL;
	char *state = pg->rollout_state ? sanitize_str(pg->rollout_state, 0) : NULL;

	safe.text = text;
	safe.cluster = cluster;
	safe.service = service;
	safe.rollout_state = state;
	cmd_apply_progress_show(ctx, &safe);
	free(text);
	free(cluster);
	free(service);
	free(state);
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

/* Prints one outcome line per service (after a rollback changed them). */
static void cmd_apply_outcomes(struct cmd_apply_display *d, const struct apply_result *r)
{
	size_t i;

	for (i = 0; i < r->nservices; i++) {
		struct apply_progress pg;
		char *t = xasprintf("%s/%s: %s%s%s", r->services[i].cluster, r->services[i].name,
				    apply_outcome_name(r->services[i].outcome),
				    r->services[i].reason ? ": " : "",
				    r->services[i].reason ? r->services[i].reason : "");
		memset(&pg, 0, sizeof pg);
		pg.step = APPLY_STEP_DONE;
		pg.service = r->services[i].name;
		pg.outcome = r->services[i].outcome;
		pg.text = t;
		cmd_apply_progress(d, &pg);
		free(t);
	}
}

static void cmd_apply_endline(struct cmd_apply_display *d)
{
	if (d->on_line)
		fputs("\n", stderr);
	d->on_line = 0;
}

/* On a terminal, offers to move the FAILED services back to the old revision. */
static void cmd_apply_offer_rollback(struct cmd_apply_args *a, struct cmd_apply_display *d,
				     struct aws_client *c, const struct plan *p,
				     struct apply_result *r)
{
	size_t i, nfailed = 0;
	struct err e;
	char q[200];

	for (i = 0; i < r->nservices; i++)
		nfailed += r->services[i].outcome == APPLY_OUTCOME_FAILED;
	if (nfailed == 0 || r->interrupted || a->o.rollback_on_failure)
		return;
	snprintf(q, sizeof q,
		 "\n%zu service(s) failed. Type yes to move them back to %s: ", nfailed,
		 plan_td_name(p->source_arn));
	if (!cmd_apply_confirm(q))
		return;
	err_clear(&e);
	if (apply_rollback(c, p, &a->o, (size_t)-1, cmd_apply_progress, d, &cmd_apply_cancel, r,
			   &e)) {
		cmd_apply_endline(d);
		cli_error(&e);
	}
	cmd_apply_endline(d);
	cmd_apply_outcomes(d, r);
}

/* After the rollouts: what each service runs now and what Security Hub will do; offers to
 * deregister a failed new revision that became the family's latest ACTIVE one. */
static void cmd_apply_verify(struct cmd_apply_args *a, int interactive, struct aws_client *c,
			     const struct plan *p, const struct apply_result *r)
{
	struct verify_result v;
	struct err e;
	size_t i;

	verify_result_init(&v);
	err_clear(&e);
	if (verify_run(c, p, r, a->o.controls, r->findings_noted > 0, &v, &e)) {
		err_prefix(&e, "verification");
		cli_error(&e);
		verify_result_done(&v);
		return;
	}
	fputs("\nVerification (read back from the account):\n", stdout);
	for (i = 0; i < v.nlines; i++)
		sanitize_fprintf(stdout, SANITIZE_KEEP_NL, "  %s\n", v.lines[i]);
	fflush(stdout);
	if (v.failed_new_arn != NULL) {
		int go = a->deregister_failed;
		char q[300];

		if (!go && interactive) {
			snprintf(q, sizeof q, "\nType yes to deregister %s (no service runs it): ",
				 plan_td_name(v.failed_new_arn));
			go = cmd_apply_confirm(q);
		} else if (!go) {
			printf("  To deregister it: aws ecs deregister-task-definition "
			       "--task-definition %s (or apply with --deregister-failed)\n",
			       v.failed_new_arn);
		}
		if (go) {
			err_clear(&e);
			if (apply_deregister(c, p, &a->o, v.failed_new_arn, &e))
				cli_error(&e);
			else
				printf("  deregistered %s: the family's latest ACTIVE revision is "
				       "the one the service runs again\n",
				       plan_td_name(v.failed_new_arn));
		}
	}
	verify_result_done(&v);
}

/* Checks the plan against the account (the proposal recomputed from the live source) and
 * shows what apply computed; 0 when it may go ahead. */
static int cmd_apply_precheck(struct cmd_apply_args *a, struct cli_options *opts,
			      struct aws_client *c, struct plan *p)
{
	struct apply_check ck;
	struct err e;
	char *text, *colored;
	size_t i;

	apply_check_init(&ck);
	err_clear(&e);
	if (apply_check_plan(c, p, &a->o, &ck, &e)) {
		apply_check_done(&ck);
		return cli_error(&e), -1;
	}
	/* the diff shown is the one computed from the account, not the plan file's */
	free(p->diff_text);
	p->diff_text = ck.diff_text;
	ck.diff_text = NULL;
	text = plan_format_text(p, 0);
	colored = cli_use_color(opts, stdout) ? plan_format_text(p, 1) : NULL;
	sanitize_fputs_colored(stdout, text, colored, SANITIZE_TEXT);
	free(colored);
	free(text);
	for (i = 0; i < ck.nwarnings; i++)
		sanitize_fprintf(stdout, SANITIZE_KEEP_NL, "warning: %s\n", ck.warnings[i]);
	fflush(stdout);
	apply_check_done(&ck);
	return 0;
}

/* The client apply works with: base, or (a plan with a roleArn) the plan's role assumed with
 * base's credentials, with --external-id or the profile's ecsfix_external_id. *own is the
 * new client (NULL when base is used). */
static int cmd_apply_client(struct cli_options *opts, struct trace *trace, struct aws_client *base,
			    const struct plan *p, struct aws_client **own, struct err *e)
{
	struct session_config scfg;
	const char *xid = opts->external_id;

	*own = NULL;
	if (p->role_arn == NULL)
		return 0;
	if (xid == NULL || xid[0] == '\0')
		xid = aws_client_setting(base, "ecsfix_external_id");
	cli_session_config(opts, trace, &cmd_apply_cancel, &scfg);
	/* the base's region: a plan for another one is refused by the check (--region) */
	return session_target_client(base, &scfg, NULL, p->role_arn,
				     xid != NULL && xid[0] != '\0' ? xid : NULL, own, e);
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
	    {"deregister-failed", no_argument, NULL, APPLY_OPT_DEREGISTER_FAILED},
	    {"controls", required_argument, NULL, APPLY_OPT_CONTROLS},
	    {"audit-log", required_argument, NULL, APPLY_OPT_AUDIT},
	    {"read-timeout", required_argument, NULL, APPLY_OPT_READ_TIMEOUT},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_apply_args a;
	struct cmd_apply_display d;
	struct apply_result r;
	struct plan *p = NULL;
	struct aws_client *base = NULL, *assumed = NULL, *c = NULL;
	struct trace *trace = NULL;
	struct err e;
	int rc, first, interactive;

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
	a.o.ecs_events = 1; /* printed as "ECS event ...", apart from ecsfix's lines */
	if (opts->read_only) {
		cli_errorf("apply: refused: --read-only is set and apply changes the account "
			   "(drop --read-only)");
		goto out;
	}
	interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	d.tty = isatty(STDERR_FILENO) && !opts->debug;
	d.color = cli_use_color(opts, stderr);
	if (cli_trace_open(opts, &trace))
		goto out;
	signal(SIGINT, cmd_apply_sigint);
	if (cli_targets_given(opts) || opts->role_name != NULL) {
		cli_errorf("apply: the plan names its account, region and role (roleArn): drop "
			   "--accounts, --organization, --regions, --role-name and extra --profile "
			   "values (--external-id is taken)");
		goto out;
	}
	if (cli_client_new(opts, trace, &cmd_apply_cancel, a.read_timeout_ms, &base))
		goto out;
	if (cmd_apply_client(opts, trace, base, p, &assumed, &e)) {
		rc = cmd_apply_cancel ? EXIT_INTERRUPTED : cli_error(&e);
		goto out;
	}
	c = assumed != NULL ? assumed : base;
	a.o.role_arn = assumed != NULL ? p->role_arn : NULL;
	if (cmd_apply_precheck(&a, opts, c, p)) {
		rc = cmd_apply_cancel ? EXIT_INTERRUPTED : EXIT_ERROR;
		goto out;
	}
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
	if (apply_run(c, p, &a.o, cmd_apply_progress, &d, &cmd_apply_cancel, &r, &e)) {
		cmd_apply_endline(&d);
		rc = cli_error(&e);
		goto out;
	}
	cmd_apply_endline(&d);
	if (interactive)
		cmd_apply_offer_rollback(&a, &d, c, p, &r);
	if (!r.interrupted && !a.o.no_wait)
		cmd_apply_verify(&a, interactive, c, p, &r);
	rc = apply_result_exit(&r);
	if (rc == EXIT_INTERRUPTED)
		fputs("ecsfix: interrupted: the account is in a consistent state; run the same "
		      "'ecsfix apply' again to continue\n",
		      stderr);
out:
	apply_result_done(&r);
	plan_free(p);
	aws_client_free(assumed);
	aws_client_free(base);
	trace_free(trace);
	return rc;
}

const struct cli_command cmd_apply_entry = {
    .name = "apply",
    .args = "[--yes] [--no-wait] [--rollback-on-failure] [--timeout S] [--note-findings] "
	    "[--deregister-old] [--deregister-failed] [--controls LIST] [--audit-log FILE] "
	    "[--read-timeout S] PLAN",
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
	"  --deregister-failed     after a failed or rolled-back rollout, deregister the new\n"
	"                          revision (it became the family's latest ACTIVE one, which\n"
	"                          Security Hub evaluates); on a terminal ecsfix asks\n"
	"  --controls LIST         deciding controls (default ECS.4,ECS.17,ECS.20): a plan that\n"
	"                          turns one of them FAILED is refused\n"
	"  --audit-log FILE        audit log (default $XDG_STATE_HOME/ecsfix/audit.jsonl)\n"
	"  --read-timeout SECONDS  per-call HTTP timeout (default 60)\n"
	"A plan with a roleArn (made with --accounts ID --role-name NAME) is applied as that\n"
	"role, assumed from the base credentials (--external-id X if its trust policy needs\n"
	"one); apply refuses credentials that resolve to another account than the plan's.\n"
	"exit status: 0 done, 1 failed or rolled back, 2 error (stale plan, denied, ...),\n"
	"130 interrupted (run apply again to continue)\n",
    .exec = cmd_apply_exec,
};
