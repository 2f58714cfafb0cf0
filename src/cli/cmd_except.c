/* cmd_except.c: the 'except' command: records (or removes) an accepted risk on a task
 * definition family in Security Hub (SUPPRESSED findings with a note) and the audit log. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "aws/client.h"
#include "core/exceptions.h"
#include "core/rules.h"
#include "util/err.h"
#include "util/trace.h"
#include "util/xmalloc.h"

enum {
	EXCEPT_OPT_REASON = 2000,
	EXCEPT_OPT_UNTIL,
	EXCEPT_OPT_APPROVED_BY,
	EXCEPT_OPT_CONTROLS,
	EXCEPT_OPT_REMOVE,
	EXCEPT_OPT_AUDIT,
};

struct cmd_except_args {
	const char *reason;
	const char *until;
	const char *approved_by;
	const char *controls;
	const char *audit_log;
	int remove;
};

static int cmd_except_option(void *ctx, int opt, const char *arg)
{
	struct cmd_except_args *a = ctx;

	switch (opt) {
	case EXCEPT_OPT_REASON:
		a->reason = arg;
		break;
	case EXCEPT_OPT_UNTIL:
		a->until = arg;
		break;
	case EXCEPT_OPT_APPROVED_BY:
		a->approved_by = arg;
		break;
	case EXCEPT_OPT_CONTROLS:
		a->controls = arg;
		break;
	case EXCEPT_OPT_REMOVE:
		a->remove = 1;
		break;
	case EXCEPT_OPT_AUDIT:
		a->audit_log = arg;
		break;
	default:
		return -1;
	}
	return 0;
}

/* Text that will be shown on terminals later: no control characters, not blank. */
static int cmd_except_text_ok(const char *what, const char *s)
{
	const unsigned char *p;
	int blank = 1;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			cli_errorf("except: %s: control characters are not allowed (one line of "
				   "plain text)",
				   what);
			return -1;
		}
		blank &= *p == ' ';
	}
	if (blank) {
		cli_errorf("except: %s is empty (say why the risk is accepted)", what);
		return -1;
	}
	return 0;
}

/* Fills x from the arguments; prints the error and returns -1 on a bad one. */
static int cmd_except_rec(const struct cmd_except_args *a, struct aws_client *c,
			  struct exception_rec *x)
{
	struct err e;

	err_clear(&e);
	if (a->reason == NULL || a->until == NULL) {
		cli_errorf("except: give --reason TEXT and --until YYYY-MM-DD (or --remove)");
		return -1;
	}
	if (cmd_except_text_ok("--reason", a->reason) ||
	    (a->approved_by != NULL && cmd_except_text_ok("--approved-by", a->approved_by)))
		return -1;
	if (exceptions_parse_date(a->until, x->until, &e)) {
		err_prefix(&e, "except: --until");
		cli_error(&e);
		return -1;
	}
	if (exceptions_expired(x->until, time(NULL))) {
		cli_errorf("except: --until %s has passed (give the last day the exception holds)",
			   x->until);
		return -1;
	}
	x->controls = 0;
	if (rules_parse_controls(a->controls != NULL ? a->controls : "ECS.4", &x->controls, &e)) {
		err_prefix(&e, "except: --controls");
		cli_error(&e);
		return -1;
	}
	x->reason = xstrdup(a->reason);
	if (a->approved_by != NULL) {
		x->approved_by = xstrdup(a->approved_by);
	} else if (exceptions_caller(c, &x->approved_by, &e)) {
		err_prefix(&e, "except: finding who approves (give --approved-by WHO)");
		cli_error(&e);
		return -1;
	}
	return 0;
}

static int cmd_except_report(const char *scope, const char *verb, const struct exceptions_result *r)
{
	const struct findings_outcome *o = &r->outcome;

	printf("%s: %zu Security Hub finding%s %s\n", scope, o->processed,
	       o->processed == 1 ? "" : "s", verb);
	if (r->audit_path != NULL)
		printf("audit log: %s\n", r->audit_path);
	if (o->unprocessed > 0) {
		fprintf(stderr, "ecsfix: except: %zu finding%s not updated: %s (run it again)\n",
			o->unprocessed, o->unprocessed == 1 ? "" : "s",
			o->unprocessed_why[0] ? o->unprocessed_why : "no reason given");
		return EXIT_FINDINGS;
	}
	return EXIT_CLEAN;
}

static int cmd_except_exec(struct cli_options *opts, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"reason", required_argument, NULL, EXCEPT_OPT_REASON},
	    {"until", required_argument, NULL, EXCEPT_OPT_UNTIL},
	    {"approved-by", required_argument, NULL, EXCEPT_OPT_APPROVED_BY},
	    {"controls", required_argument, NULL, EXCEPT_OPT_CONTROLS},
	    {"remove", no_argument, NULL, EXCEPT_OPT_REMOVE},
	    {"audit-log", required_argument, NULL, EXCEPT_OPT_AUDIT},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_except_args a;
	struct exception_rec x;
	struct exceptions_result r;
	struct aws_client *c = NULL;
	struct trace *trace = NULL;
	char *scope = NULL;
	struct err e;
	int rc, first;

	memset(&a, 0, sizeof a);
	memset(&x, 0, sizeof x);
	memset(&r, 0, sizeof r);
	err_clear(&e);
	first = cli_parse(opts, argc, argv, longopts, "", cmd_except_option, &a);
	rc = cli_parse_result(&cmd_except_entry, first);
	if (rc >= 0)
		goto out;
	rc = EXIT_ERROR;
	if (first != argc - 1) {
		cli_errorf("except: give one FAMILY[:REVISION] (see 'ecsfix except --help')");
		goto out;
	}
	if (exceptions_parse_scope(argv[first], &x.family, &x.revision, &e)) {
		err_prefix(&e, "except");
		cli_error(&e);
		goto out;
	}
	if (a.remove && (a.until != NULL || a.approved_by != NULL || a.controls != NULL)) {
		cli_errorf("except: --remove takes no --until, --approved-by or --controls");
		goto out;
	}
	if (opts->read_only) {
		cli_errorf("except: refused: --read-only is set and except changes Security Hub "
			   "findings (drop --read-only)");
		goto out;
	}
	if (cli_trace_open(opts, &trace) || cli_client_new(opts, trace, NULL, 0, &c))
		goto out;
	scope = exceptions_scope_name(x.family, x.revision);
	if (a.remove) {
		if (exceptions_remove(c, x.family, x.revision, a.audit_log, &r, &e)) {
			err_prefix(&e, "except --remove %s", scope);
			rc = cli_error(&e);
			goto out;
		}
		rc = cmd_except_report(scope, "set back to NEW (exception removed)", &r);
		goto out;
	}
	if (cmd_except_rec(&a, c, &x))
		goto out;
	if (exceptions_record(c, &x, a.audit_log, &r, &e)) {
		err_prefix(&e, "except %s", scope);
		rc = cli_error(&e);
		goto out;
	}
	printf("%s: exception recorded until %s, approved by %s\n", scope, x.until, x.approved_by);
	rc = cmd_except_report(scope, "set to SUPPRESSED", &r);
out:
	free(scope);
	exceptions_result_done(&r);
	exception_rec_done(&x);
	aws_client_free(c);
	trace_free(trace);
	return rc;
}

const struct cli_command cmd_except_entry = {
    .name = "except",
    .args = "FAMILY[:REV] --reason TEXT --until YYYY-MM-DD [--approved-by WHO] "
	    "[--controls LIST] [--audit-log FILE] | FAMILY[:REV] --remove",
    .summary = "record an accepted risk: the family's findings SUPPRESSED with a note",
    .help = "  --reason TEXT           why privileged (etc.) is accepted; one line, with the\n"
	    "                          note it must fit Security Hub's 512 characters\n"
	    "  --until YYYY-MM-DD      the last day (UTC) it holds; scan counts it again after\n"
	    "  --approved-by WHO       who accepted it (default: the caller's IAM user or role\n"
	    "                          session)\n"
	    "  --controls LIST         the controls accepted (default ECS.4)\n"
	    "  --remove                undo: the suppressed findings go back to NEW\n"
	    "  --audit-log FILE        audit log (default $XDG_STATE_HOME/ecsfix/audit.jsonl)\n"
	    "FAMILY covers every revision; FAMILY:REV only that one. The failing Security Hub\n"
	    "findings of the scope are set to SUPPRESSED with a note holding the reason, the\n"
	    "approver and the expiry; 'ecsfix scan' then shows the revisions as EXCEPTED and\n"
	    "leaves them out of its exit status until the expiry has passed.\n"
	    "exit status: 0 done, 1 some findings were not updated, 2 error\n",
    .exec = cmd_except_exec,
};
