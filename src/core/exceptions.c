/* exceptions.c: recorded exceptions: the note format, recording and removing them in Security
 * Hub (with the audit log), and marking a scan report's revisions EXCEPTED. */
#include "config.h"

#include "core/exceptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "core/scan_report.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define EXCEPTIONS_NOTE_MAX 512

void exception_rec_done(struct exception_rec *x)
{
	free(x->family);
	free(x->reason);
	free(x->approved_by);
	memset(x, 0, sizeof *x);
}

void exceptions_result_done(struct exceptions_result *r)
{
	free(r->audit_path);
	memset(r, 0, sizeof *r);
}

/* AWS's family name characters. */
static int exceptions_family_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 255 &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] ==
		   '\0';
}

int exceptions_parse_scope(const char *arg, char **family, long *revision, struct err *e)
{
	*family = NULL;
	*revision = 0;
	if (arg == NULL || scan_report_td_split(arg, family, revision) ||
	    !exceptions_family_ok(*family)) {
		free(*family);
		*family = NULL;
		return err_set(e, "\"%s\" is not a task definition family", arg ? arg : ""),
		       err_hint(e, "give FAMILY, FAMILY:REVISION or a task definition ARN");
	}
	return 0;
}

int exceptions_parse_date(const char *s, char out[11], struct err *e)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0, leap;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
		goto bad;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		goto bad;
	memcpy(out, s, 11);
	return 0;
bad:
	return err_set(e, "\"%s\" is not a date", s ? s : ""),
	       err_hint(e, "give YYYY-MM-DD, e.g. 2027-03-31 (the last day the exception holds)");
}

int exceptions_expired(const char *until, time_t now)
{
	char today[16];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return strcmp(today, until) > 0;
}

/* The controls of mask as a JSON array of ids, in table order. */
static json_object *exceptions_controls_json(unsigned mask)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < rules_count(); i++)
		if (mask & (1u << i))
			json_object_array_add(a, json_object_new_string(rules_get(i)->id));
	return a;
}

char *exceptions_scope_name(const char *family, long revision)
{
	return revision > 0 ? xasprintf("%s:%ld", family, revision) : xstrdup(family);
}

char *exceptions_note(const struct exception_rec *x, struct err *e)
{
	json_object *o = json_object_new_object();
	char *scope = exceptions_scope_name(x->family, x->revision), *json, *text;
	size_t chars = 0, i;

	json_object_object_add(o, "scope", json_object_new_string(scope));
	json_object_object_add(o, "controls", exceptions_controls_json(x->controls));
	json_object_object_add(o, "reason", json_object_new_string(x->reason));
	json_object_object_add(o, "approvedBy", json_object_new_string(x->approved_by));
	json_object_object_add(o, "until", json_object_new_string(x->until));
	json = jsonx_compact(o);
	text = xasprintf("%s%s", EXCEPTIONS_NOTE_PREFIX, json);
	for (i = 0; text[i] != '\0'; i++)
		chars += ((unsigned char)text[i] & 0xC0) != 0x80;
	if (chars > EXCEPTIONS_NOTE_MAX) {
		err_set(e, "the exception note would be %zu characters; Security Hub keeps %d",
			chars, EXCEPTIONS_NOTE_MAX);
		err_hint(e, "shorten --reason by %zu characters (link to a ticket for the details)",
			 chars - EXCEPTIONS_NOTE_MAX);
		free(text);
		text = NULL;
	}
	free(json);
	free(scope);
	json_object_put(o);
	return text;
}

/* Control characters become '?' (the text reaches terminals). */
static char *exceptions_clean(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

int exceptions_from_note(const char *text, struct exception_rec *out)
{
	size_t plen = strlen(EXCEPTIONS_NOTE_PREFIX), i, n;
	json_object *o = NULL, *ctl;
	const char *scope, *reason, *by, *until;
	struct err e;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (text == NULL || strncmp(text, EXCEPTIONS_NOTE_PREFIX, plen) != 0)
		return -1;
	err_clear(&e);
	if (jsonx_parse(text + plen, strlen(text + plen), &o, &e))
		return -1;
	scope = jsonx_str(o, "scope");
	reason = jsonx_str(o, "reason");
	by = jsonx_str(o, "approvedBy");
	until = jsonx_str(o, "until");
	ctl = jsonx_array(o, "controls");
	if (scope == NULL || reason == NULL || by == NULL || until == NULL || ctl == NULL ||
	    exceptions_parse_scope(scope, &out->family, &out->revision, &e) ||
	    exceptions_parse_date(until, out->until, &e))
		goto out;
	n = json_object_array_length(ctl);
	for (i = 0; i < n; i++) {
		int k = rules_index(json_object_get_string(json_object_array_get_idx(ctl, i)));

		if (k >= 0)
			out->controls |= 1u << k;
	}
	if (out->controls == 0)
		goto out;
	/* notes come from the account (anyone may write one): no control characters */
	out->reason = exceptions_clean(xstrdup(reason));
	out->approved_by = exceptions_clean(xstrdup(by));
	rc = 0;
out:
	if (rc)
		exception_rec_done(out);
	json_object_put(o);
	return rc;
}

json_object *exceptions_to_json(const struct exception_rec *x)
{
	json_object *o = json_object_new_object();
	char *scope = exceptions_scope_name(x->family, x->revision);

	json_object_object_add(o, "scope", json_object_new_string(scope));
	json_object_object_add(o, "controls", exceptions_controls_json(x->controls));
	json_object_object_add(o, "reason", json_object_new_string(x->reason));
	json_object_object_add(o, "approvedBy", json_object_new_string(x->approved_by));
	json_object_object_add(o, "until", json_object_new_string(x->until));
	free(scope);
	return o;
}

json_object *exceptions_from_asff(json_object *asff)
{
	const char *wf = jsonx_str(jsonx_obj(asff, "Workflow"), "Status");
	struct exception_rec x;
	json_object *o;

	if (wf == NULL || strcmp(wf, "SUPPRESSED") != 0 ||
	    exceptions_from_note(jsonx_str(jsonx_obj(asff, "Note"), "Text"), &x))
		return NULL;
	o = exceptions_to_json(&x);
	exception_rec_done(&x);
	return o;
}

/* ---- the scan report ---- */

/* 1 when exception object ex covers every control in failing (array of ids). */
static int exceptions_covers(json_object *ex, json_object *failing)
{
	json_object *ctl = jsonx_array(ex, "controls");
	size_t i, j, n = failing != NULL ? json_object_array_length(failing) : 0;

	for (i = 0; i < n; i++) {
		const char *f = json_object_get_string(json_object_array_get_idx(failing, i));
		int found = 0;

		for (j = 0; ctl != NULL && j < json_object_array_length(ctl) && !found; j++)
			found = strcmp(json_object_get_string(json_object_array_get_idx(ctl, j)),
				       f) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

/* 1 when exception ex (its "scope") applies to revision rev of family. */
static int exceptions_applies(json_object *ex, const char *family, long rev)
{
	char *fam = NULL;
	long srev = 0;
	int ok;

	if (scan_report_td_split(jsonx_str(ex, "scope"), &fam, &srev))
		return 0;
	ok = strcmp(fam, family) == 0 && (srev == 0 || srev == rev);
	free(fam);
	return ok;
}

/* How good ex is for a revision failing failing: 2 unexpired and covering, 1 otherwise. */
static int exceptions_score(json_object *ex, json_object *failing, time_t now)
{
	const char *until = jsonx_str(ex, "until");

	return until != NULL && !exceptions_expired(until, now) && exceptions_covers(ex, failing)
		   ? 2
		   : 1;
}

/* The best exception of findings for td, or NULL. Borrowed. */
static json_object *exceptions_best(json_object *findings, json_object *td, time_t now)
{
	const char *family = jsonx_str(td, "family");
	long rev = (long)jsonx_int(td, "revision", 0);
	json_object *failing = jsonx_array(td, "failing"), *best = NULL;
	size_t i, n = findings != NULL ? json_object_array_length(findings) : 0;
	int best_score = 0;

	for (i = 0; family != NULL && i < n; i++) {
		json_object *ex = jsonx_obj(json_object_array_get_idx(findings, i), "exception");
		int score;

		if (ex == NULL || !exceptions_applies(ex, family, rev))
			continue;
		score = exceptions_score(ex, failing, now);
		if (score > best_score ||
		    (score == best_score &&
		     strcmp(jsonx_str(ex, "until"), jsonx_str(best, "until")) > 0)) {
			best = ex;
			best_score = score;
		}
	}
	return best;
}

size_t exceptions_mark_report(json_object *report, time_t now)
{
	json_object *tds = jsonx_array(report, "taskDefinitions");
	json_object *findings = jsonx_array(report, "findings");
	size_t i, n = tds != NULL ? json_object_array_length(tds) : 0, marked = 0;

	for (i = 0; i < n; i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		const char *result = jsonx_str(td, "result");
		json_object *ex, *copy;
		int active;

		if (result == NULL || strcmp(result, "FAILED") != 0)
			continue;
		ex = exceptions_best(findings, td, now);
		if (ex == NULL)
			continue;
		active = exceptions_score(ex, jsonx_array(td, "failing"), now) == 2;
		copy = jsonx_clone(ex);
		json_object_object_add(
		    copy, "expired",
		    json_object_new_boolean(exceptions_expired(jsonx_str(ex, "until"), now)));
		json_object_object_add(td, "exception", copy);
		if (active) {
			json_object_object_add(td, "result", json_object_new_string("EXCEPTED"));
			marked++;
		}
	}
	return marked;
}
