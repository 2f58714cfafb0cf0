/* exceptions.h: recorded exceptions: an accepted risk on a task definition family (or one
 * revision), kept in Security Hub as the note of the family's SUPPRESSED findings and in the
 * audit log. The note format, dates, recording and removing (ecsfix except, the TUI), and
 * how a scan report marks a revision EXCEPTED. */
#ifndef ECSFIX_CORE_EXCEPTIONS_H
#define ECSFIX_CORE_EXCEPTIONS_H

#include <json-c/json.h>
#include <stddef.h>
#include <time.h>

#include "core/findings_update.h"

struct aws_client;
struct err;

/* The note of a suppressed finding starts with this, followed by one JSON object
 * {"scope","controls","reason","approvedBy","until"}. */
#define EXCEPTIONS_NOTE_PREFIX "ecsfix exception: "

struct exception_rec {
	char *family;
	long revision;     /* 0: every revision of the family */
	unsigned controls; /* rules mask (core/rules.h) of the controls accepted */
	char *reason;
	char *approved_by;
	char until[11]; /* YYYY-MM-DD: the last day (UTC) the exception holds */
};

void exception_rec_done(struct exception_rec *x); /* frees; leaves it zeroed */

/* "FAMILY", "FAMILY:REV" or a task definition ARN -> family (caller frees) and revision (0
 * when absent). -1 (e set) otherwise. */
int exceptions_parse_scope(const char *arg, char **family, long *revision, struct err *e);
/* A calendar date YYYY-MM-DD into out. -1 (e set) when not one. */
int exceptions_parse_date(const char *s, char out[11], struct err *e);
/* 1 when the day (UTC) of now is after until. */
int exceptions_expired(const char *until, time_t now);

/* "FAMILY" or "FAMILY:REV". Caller frees. */
char *exceptions_scope_name(const char *family, long revision);
/* {"scope","controls":[ids],"reason","approvedBy","until"} (owned): the scan report's form. */
json_object *exceptions_to_json(const struct exception_rec *x);

/* The note text for x; NULL (e set) when it would not fit Security Hub's 512 characters
 * (the reason is too long). Caller frees. */
char *exceptions_note(const struct exception_rec *x, struct err *e);
/* Parses a note written by exceptions_note. 0 and *out filled (exception_rec_done), or -1
 * when text is not one (another tool's note, a removed exception). */
int exceptions_from_note(const char *text, struct exception_rec *out);
/* The exception an ASFF finding records: its workflow is SUPPRESSED and its note is ours.
 * {"scope","controls":[...],"reason","approvedBy","until"} (owned) or NULL. */
json_object *exceptions_from_asff(json_object *asff);

/*
 * For a scan report whose task definitions have their result and failing controls: each
 * FAILED revision with an exception (from any finding of report.findings carrying one whose
 * scope is its family or this revision) gets "exception": {"reason","approvedBy","until",
 * "scope","controls","expired"} and, when the exception has not expired and covers every
 * failing control, result "EXCEPTED". When several apply, an unexpired one covering the
 * failures wins, then the latest until. Returns the number of revisions marked EXCEPTED.
 */
size_t exceptions_mark_report(json_object *report, time_t now);

struct exceptions_result {
	size_t findings;                 /* findings selected */
	struct findings_outcome outcome; /* what BatchUpdateFindings did */
	char *audit_path;                /* the audit log written (owned), or NULL */
};

void exceptions_result_done(struct exceptions_result *r);

/*
 * Records x: the failing findings of x's scope and controls (any workflow but RESOLVED) ->
 * SUPPRESSED with the note, then one "except" line in the audit log (audit_path NULL: the
 * default). -1 (e set) when no such finding exists (nothing would hold the exception), on a
 * failed call, or when the audit log cannot be written (the findings are then already
 * suppressed: the message says so).
 */
int exceptions_record(struct aws_client *c, const struct exception_rec *x, const char *audit_path,
		      struct exceptions_result *out, struct err *e);

/*
 * Removes the exceptions recorded on family (revision 0: any scope of the family; else only
 * that revision's): its SUPPRESSED findings whose note is an ecsfix exception -> NEW with a
 * note saying so; an "except-remove" audit line. -1 (e set) when there is none.
 */
int exceptions_remove(struct aws_client *c, const char *family, long revision,
		      const char *audit_path, struct exceptions_result *out, struct err *e);

/* The caller's name for approvedBy: STS GetCallerIdentity's Arn shortened as an owner is
 * (owner_principal_name: the IAM user, or the role session name). Caller frees. */
int exceptions_caller(struct aws_client *c, char **who, struct err *e);

#endif
