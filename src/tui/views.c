/* views.c: the views' columns and row builders; they read the report, plan and change
 * progress held in the state and produce rows of plain data (no curses here). */
#include "config.h"

#include "tui/views.h"
#include "tui/backend.h"

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *views_td_short(const char *arn)
{
	const char *slash;

	if (arn == NULL)
		return "?";
	slash = strrchr(arn, '/');
	return slash && strncmp(arn, "arn:", 4) == 0 ? slash + 1 : arn;
}

static const char *views_str(json_object *o, const char *key, const char *def)
{
	const char *s = jsonx_str(o, key);

	return s ? s : def;
}

static size_t views_len(json_object *arr)
{
	return arr ? json_object_array_length(arr) : 0;
}

static json_object *views_td(const struct tui_state *st, const char *arn)
{
	json_object *td = NULL;

	if (st->td_by_arn && arn)
		json_object_object_get_ex(st->td_by_arn, arn, &td);
	return td;
}

static json_object *views_svc(const struct tui_state *st, const char *arn)
{
	json_object *s = NULL;

	if (st->svc_by_arn && arn)
		json_object_object_get_ex(st->svc_by_arn, arn, &s);
	return s;
}

/* Case-insensitive: does any cell contain the filter? */
static int views_match(const char *filter, size_t n, const char *const *cells)
{
	size_t fl;

	if (filter == NULL || filter[0] == '\0')
		return 1;
	fl = strlen(filter);
	for (size_t i = 0; i < n; i++)
		for (const char *p = cells[i]; p && *p; p++)
			if (strncasecmp(p, filter, fl) == 0)
				return 1;
	return 0;
}

/* PRIV / USER flags of a task definition from its containers and checks. */
static const char *views_priv(json_object *td)
{
	json_object *cs = jsonx_array(td, "containers");
	int unknown = td == NULL;

	for (size_t i = 0; i < views_len(cs); i++) {
		json_object *c = json_object_array_get_idx(cs, i), *p = NULL;

		if (!json_object_object_get_ex(c, "privileged", &p) || p == NULL)
			continue;
		if (json_object_get_boolean(p))
			return "yes";
	}
	return unknown ? "?" : "-";
}

static const char *views_check(json_object *td, const char *control)
{
	json_object *ch = jsonx_array(td, "checks");
	const char *worst = NULL;

	for (size_t i = 0; i < views_len(ch); i++) {
		json_object *c = json_object_array_get_idx(ch, i);
		const char *st = views_str(c, "status", "");

		if (strcmp(views_str(c, "control", ""), control) != 0)
			continue;
		if (strcmp(st, "FAILED") == 0)
			return "FAILED";
		worst = st;
	}
	return worst;
}

static enum tui_role views_status_role(const char *status)
{
	if (status && strcmp(status, "FAILED") == 0)
		return TUI_ROLE_BAD;
	if (status && strcmp(status, "UNKNOWN") == 0)
		return TUI_ROLE_WARN;
	return TUI_ROLE_NORMAL;
}

/* ---- services (home) ---- */

static const struct tui_column views_services_cols[] = {
    {"CLUSTER", 7, 2, 0}, {"SERVICE", 8, 3, 0}, {"REVISION", 9, 2, 0},
    {"LAUNCH", 7, 0, 0},  {"RUN/DES", 7, 0, 1}, {"PRIV", 4, 0, 0},
    {"NET", 6, 0, 0},     {"USER", 4, 0, 0},    {"FINDINGS", 8, 0, 1},
};

static void views_services_build(struct tui_state *st, const struct tui_view_state *v)
{
	json_object *svcs = jsonx_array(st->report, "services");

	for (size_t i = 0; i < views_len(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		json_object *td = views_td(st, jsonx_str(s, "taskDefinition"));
		const char *user = views_check(td, "ECS.20");
		char rd[48], nf[24];
		const char *cells[9];

		snprintf(rd, sizeof rd, "%lld/%lld", (long long)jsonx_int(s, "runningCount", 0),
			 (long long)jsonx_int(s, "desiredCount", 0));
		if (views_len(jsonx_array(s, "findings")))
			snprintf(nf, sizeof nf, "%zu", views_len(jsonx_array(s, "findings")));
		else
			snprintf(nf, sizeof nf, "-");
		cells[0] = views_str(s, "cluster", "?");
		cells[1] = views_str(s, "name", "?");
		cells[2] = views_td_short(jsonx_str(s, "taskDefinition"));
		cells[3] = views_str(s, "launchType", "?");
		cells[4] = rd;
		cells[5] = views_priv(td);
		cells[6] = td ? views_str(td, "networkMode", "-") : "?";
		cells[7] = td == NULL ? "?" : user && strcmp(user, "FAILED") == 0 ? "root" : "ok";
		cells[8] = nf;
		if (!views_match(v->filter, 9, cells))
			continue;
		tui_state_row_add(st, views_status_role(jsonx_str(s, "status")),
				  jsonx_str(s, "arn"), 9, cells[0], cells[1], cells[2], cells[3],
				  cells[4], cells[5], cells[6], cells[7], cells[8]);
	}
}

static char *views_services_title(const struct tui_state *st, const struct tui_view_state *v)
{
	json_object *sum = jsonx_obj(st->report, "summary");

	if (st->report == NULL)
		return xstrdup("Services");
	return xasprintf("Services: %lld, %lld failing%s%s%s",
			 (long long)jsonx_int(sum, "services", 0),
			 (long long)jsonx_int(sum, "servicesFailing", 0), v->filter ? "  [/" : "",
			 v->filter ? v->filter : "", v->filter ? "]" : "");
}

/* ---- clusters ---- */

static const struct tui_column views_clusters_cols[] = {
    {"CLUSTER", 12, 3, 0}, {"SERVICES", 8, 0, 1}, {"FAILING", 7, 0, 1}, {"STATUS", 8, 1, 0}};

static void views_clusters_build(struct tui_state *st, const struct tui_view_state *v)
{
	json_object *cl = jsonx_array(st->report, "clusters");

	for (size_t i = 0; i < views_len(cl); i++) {
		json_object *c = json_object_array_get_idx(cl, i);
		char ns[24], nf[24];
		const char *cells[4];
		long long failing = jsonx_int(c, "servicesFailing", 0);

		snprintf(ns, sizeof ns, "%lld", (long long)jsonx_int(c, "services", 0));
		snprintf(nf, sizeof nf, "%lld", failing);
		cells[0] = views_str(c, "name", "?");
		cells[1] = ns;
		cells[2] = nf;
		cells[3] = views_str(c, "status", "");
		if (!views_match(v->filter, 4, cells))
			continue;
		tui_state_row_add(st, failing ? TUI_ROLE_BAD : TUI_ROLE_NORMAL, cells[0], 4,
				  cells[0], cells[1], cells[2], cells[3]);
	}
}

static char *views_clusters_title(const struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	return xasprintf("Clusters: %zu (Enter: their services)",
			 views_len(jsonx_array(st->report, "clusters")));
}

/* ---- task definitions ---- */

static const struct tui_column views_taskdefs_cols[] = {
    {"REVISION", 10, 2, 0}, {"LATEST", 6, 0, 0},   {"NET", 6, 0, 0},           {"PRIV", 4, 0, 0},
    {"FAILING", 14, 3, 0},  {"SERVICES", 8, 0, 1}, {"REGISTERED BY", 10, 2, 0}};

static void views_failing(json_object *td, struct strbuf *sb)
{
	json_object *ch = jsonx_array(td, "checks");

	for (size_t i = 0; i < views_len(ch); i++) {
		json_object *c = json_object_array_get_idx(ch, i);
		const char *ctl = views_str(c, "control", "?");

		if (strcmp(views_str(c, "status", ""), "FAILED") != 0)
			continue;
		if (sb->len && strstr(sb->buf, ctl))
			continue;
		if (sb->len)
			strbuf_putc(sb, ',');
		strbuf_puts(sb, ctl);
	}
}

static void views_taskdefs_build(struct tui_state *st, const struct tui_view_state *v)
{
	json_object *tds = jsonx_array(st->report, "taskDefinitions");

	for (size_t i = 0; i < views_len(tds); i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		struct strbuf fail;
		char ns[24];
		const char *cells[7];

		strbuf_init(&fail);
		views_failing(td, &fail);
		snprintf(ns, sizeof ns, "%zu", views_len(jsonx_array(td, "services")));
		cells[0] = views_td_short(jsonx_str(td, "arn"));
		cells[1] = jsonx_bool(td, "latestActive") ? "yes" : "-";
		cells[2] = views_str(td, "networkMode", "-");
		cells[3] = views_priv(td);
		cells[4] = fail.len ? fail.buf : "-";
		cells[5] = ns;
		cells[6] = views_str(td, "registeredBy", "-");
		if (views_match(v->filter, 7, cells))
			tui_state_row_add(st, fail.len ? TUI_ROLE_BAD : TUI_ROLE_NORMAL,
					  jsonx_str(td, "arn"), 7, cells[0], cells[1], cells[2],
					  cells[3], cells[4], cells[5], cells[6]);
		strbuf_done(&fail);
	}
}

static char *views_taskdefs_title(const struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	return xasprintf("Task definitions: %zu revisions",
			 views_len(jsonx_array(st->report, "taskDefinitions")));
}

/* ---- findings ---- */

static const struct tui_column views_findings_cols[] = {
    {"CONTROL", 7, 0, 0},  {"STATUS", 7, 0, 0},    {"WORKFLOW", 8, 0, 0},
    {"SEVERITY", 8, 0, 0}, {"REVISION", 10, 2, 0}, {"SERVICES", 8, 0, 1}};

static void views_findings_build(struct tui_state *st, const struct tui_view_state *v)
{
	json_object *fs = jsonx_array(st->report, "findings");

	for (size_t i = 0; i < views_len(fs); i++) {
		json_object *f = json_object_array_get_idx(fs, i);
		const char *td = jsonx_str(f, "taskDefinition");
		char ns[24];
		const char *cells[6];

		snprintf(ns, sizeof ns, "%zu", views_len(jsonx_array(f, "services")));
		cells[0] = views_str(f, "control", "?");
		cells[1] = views_str(f, "status", "?");
		cells[2] = views_str(f, "workflowStatus", "-");
		cells[3] = views_str(f, "severity", "-");
		cells[4] = td ? views_td_short(td) : views_td_short(jsonx_str(f, "resource"));
		cells[5] = ns;
		if (!views_match(v->filter, 6, cells))
			continue;
		tui_state_row_add(st, views_status_role(cells[1]), td, 6, cells[0], cells[1],
				  cells[2], cells[3], cells[4], cells[5]);
	}
}

static char *views_findings_title(const struct tui_state *st, const struct tui_view_state *v)
{
	json_object *sum = jsonx_obj(st->report, "summary");

	(void)v;
	return xasprintf("Security Hub findings: %lld failed, %lld passed",
			 (long long)jsonx_int(sum, "findingsFailed", 0),
			 (long long)jsonx_int(sum, "findingsPassed", 0));
}

/* ---- text views: detail, diff, apply, help ---- */

static const struct tui_column views_text_cols[] = {{"", 10, 1, 0}};

static void views_line(struct tui_state *st, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void views_line(struct tui_state *st, enum tui_role role, const char *fmt, ...)
{
	va_list ap;
	char *s;

	const char *p;
	int width = st->cols > 20 ? st->cols - 1 : 79;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	/* Long sentences wrap at a blank, continuing indented by four. */
	p = s;
	while ((int)strlen(p) > width) {
		int cut = width;
		char *part;

		while (cut > width / 2 && p[cut] != ' ')
			cut--;
		if (p[cut] != ' ')
			cut = width;
		while (cut > 0 && ((unsigned char)p[cut] & 0xc0) == 0x80)
			cut--;
		part = xasprintf("%s%.*s", p == s ? "" : "    ", cut, p);
		tui_state_row_add(st, role, NULL, 1, part);
		free(part);
		p += cut;
		while (*p == ' ')
			p++;
		if (p != s)
			width = (st->cols > 20 ? st->cols - 1 : 79) - 4;
	}
	if (*p) {
		char *last = xasprintf("%s%s", p == s ? "" : "    ", p);

		tui_state_row_add(st, role, NULL, 1, last);
		free(last);
	}
	free(s);
}

static void views_containers(struct tui_state *st, json_object *td)
{
	json_object *cs = jsonx_array(td, "containers");

	views_line(st, TUI_ROLE_TITLE, "Containers");
	for (size_t i = 0; i < views_len(cs); i++) {
		json_object *c = json_object_array_get_idx(cs, i), *p = NULL, *ro = NULL;
		int priv = json_object_object_get_ex(c, "privileged", &p) && p &&
			   json_object_get_boolean(p);

		json_object_object_get_ex(c, "readonlyRootFilesystem", &ro);
		views_line(st, priv ? TUI_ROLE_BAD : TUI_ROLE_NORMAL,
			   "  %-16s privileged=%s user=%s readonlyRoot=%s  %s",
			   views_str(c, "name", "?"), p ? (priv ? "true" : "false") : "unset",
			   views_str(c, "user", "(root)"),
			   ro ? (json_object_get_boolean(ro) ? "true" : "false") : "unset",
			   views_str(c, "image", ""));
	}
}

static void views_checks(struct tui_state *st, json_object *checks, const char *title)
{
	views_line(st, TUI_ROLE_TITLE, "%s", title);
	for (size_t i = 0; i < views_len(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *s = views_str(c, "status", "?");

		const char *ctl = views_str(c, "control", "?");
		int info = strcmp(ctl, "ECS.4") != 0 && strcmp(ctl, "ECS.17") != 0 &&
			   strcmp(ctl, "ECS.20") != 0;

		views_line(st,
			   info                       ? TUI_ROLE_DIM
			   : strcmp(s, "FAILED") == 0 ? TUI_ROLE_BAD
			   : strcmp(s, "PASSED") == 0 ? TUI_ROLE_GOOD
						      : TUI_ROLE_WARN,
			   "  %-7s %-7s %-14s %s", views_str(c, "control", "?"), s,
			   views_str(c, "container", "-"), views_str(c, "reason", ""));
	}
}

static void views_people(struct tui_state *st, json_object *td)
{
	json_object *tags = jsonx_obj(td, "tags");

	views_line(st, TUI_ROLE_TITLE, "The people to ask before changing it");
	views_line(st, TUI_ROLE_NORMAL, "  owner: %s   team: %s", views_str(tags, "owner", "-"),
		   views_str(tags, "team", "-"));
	views_line(st, TUI_ROLE_NORMAL, "  registered by: %s", views_str(td, "registeredBy", "-"));
	if (tags) {
		struct strbuf sb;

		strbuf_init(&sb);
		json_object_object_foreach(tags, k, val)
		{
			strbuf_printf(&sb, "%s%s=%s", sb.len ? ", " : "", k,
				      json_object_get_string(val));
		}
		views_line(st, TUI_ROLE_DIM, "  tags: %s", sb.len ? sb.buf : "-");
		strbuf_done(&sb);
	}
}

static void views_notes(struct tui_state *st, json_object *notes, const char *unknown)
{
	if (views_len(notes) == 0 && unknown == NULL)
		return;
	views_line(st, TUI_ROLE_TITLE, "Notes");
	for (size_t i = 0; i < views_len(notes); i++)
		views_line(st, TUI_ROLE_WARN, "  ! %s",
			   json_object_get_string(json_object_array_get_idx(notes, i)));
	if (unknown)
		views_line(st, TUI_ROLE_WARN, "  ! could not read everything: %s", unknown);
}

static void views_users_of(struct tui_state *st, json_object *td, const char *except)
{
	json_object *svcs = jsonx_array(td, "services");

	views_line(st, TUI_ROLE_TITLE, "Services running %s", views_td_short(jsonx_str(td, "arn")));
	for (size_t i = 0; i < views_len(svcs); i++) {
		const char *arn = json_object_get_string(json_object_array_get_idx(svcs, i));
		json_object *s = views_svc(st, arn);

		views_line(
		    st, except && arn && strcmp(arn, except) == 0 ? TUI_ROLE_DIM : TUI_ROLE_NORMAL,
		    "  %s/%s%s", views_str(s, "cluster", "?"),
		    views_str(s, "name", views_td_short(arn)),
		    except && arn && strcmp(arn, except) == 0 ? " (this one)" : "");
	}
	if (views_len(svcs) == 0)
		views_line(st, TUI_ROLE_DIM, "  (none)");
}

static void views_detail_build(struct tui_state *st, const struct tui_view_state *v)
{
	json_object *s = views_svc(st, v->subject);
	json_object *td = views_td(st, s ? jsonx_str(s, "taskDefinition") : v->subject);

	if (s) {
		json_object *fail = jsonx_array(s, "failing");
		struct strbuf sb;

		strbuf_init(&sb);
		for (size_t i = 0; i < views_len(fail); i++)
			strbuf_printf(&sb, "%s%s", i ? ", " : "",
				      json_object_get_string(json_object_array_get_idx(fail, i)));
		views_line(st, TUI_ROLE_NORMAL, "Service %s/%s  (%s, %s)",
			   views_str(s, "cluster", "?"), views_str(s, "name", "?"),
			   views_str(s, "launchType", "?"),
			   views_str(s, "schedulingStrategy", "?"));
		views_line(st, TUI_ROLE_NORMAL,
			   "Runs %s   running %lld / desired %lld   deployment controller %s",
			   views_td_short(jsonx_str(s, "taskDefinition")),
			   (long long)jsonx_int(s, "runningCount", 0),
			   (long long)jsonx_int(s, "desiredCount", 0),
			   views_str(s, "deploymentController", "?"));
		views_line(st, views_status_role(jsonx_str(s, "status")), "Status %s%s%s",
			   views_str(s, "status", "?"), sb.len ? ": failing " : "",
			   sb.len ? sb.buf : "");
		strbuf_done(&sb);
		views_notes(st, jsonx_array(s, "notes"), jsonx_str(s, "unknown"));
	}
	if (td == NULL) {
		views_line(st, TUI_ROLE_WARN, "The task definition %s is not in the scan.",
			   views_td_short(s ? jsonx_str(s, "taskDefinition") : v->subject));
		return;
	}
	views_line(st, TUI_ROLE_NORMAL, "Revision %s  %s  network %s  %s",
		   views_td_short(jsonx_str(td, "arn")), views_str(td, "status", "?"),
		   views_str(td, "networkMode", "-"),
		   jsonx_bool(td, "latestActive") ? "latest ACTIVE revision"
						  : "not the latest ACTIVE revision");
	views_people(st, td);
	views_users_of(st, td, s ? jsonx_str(s, "arn") : NULL);
	views_containers(st, td);
	views_checks(st, jsonx_array(td, "checks"), "Checks");
	if (s == NULL)
		views_notes(st, NULL, jsonx_str(td, "unknown"));
	views_line(st, TUI_ROLE_DIM, "d: the diff of the fix   Esc: back");
}

static char *views_detail_title(const struct tui_state *st, const struct tui_view_state *v)
{
	json_object *s = views_svc(st, v->subject);

	if (s)
		return xasprintf("Service %s/%s", views_str(s, "cluster", "?"),
				 views_str(s, "name", "?"));
	return xasprintf("Task definition %s", views_td_short(v->subject));
}

static void views_diff_build(struct tui_state *st, const struct tui_view_state *v)
{
	json_object *p = st->plan;
	const char *diff;
	json_object *svcs;

	(void)v;
	views_line(st, TUI_ROLE_DIM, "Options: user %s   network mode %s%s%s%s%s",
		   st->opt_user ? st->opt_user : "(keep)",
		   st->opt_netmode ? st->opt_netmode : "(keep)",
		   st->opt_subnets ? "  subnets " : "", st->opt_subnets ? st->opt_subnets : "",
		   st->opt_secgroups ? "  security groups " : "",
		   st->opt_secgroups ? st->opt_secgroups : "");
	if (p == NULL && st->job != TUI_JOB_PLAN) {
		views_line(st, TUI_ROLE_WARN, "No plan: %s",
			   st->status ? st->status : "it could not be computed");
		return;
	}
	if (p == NULL || (st->job == TUI_JOB_PLAN)) {
		views_line(st, TUI_ROLE_DIM, "Computing the proposed revision...");
		if (p == NULL)
			return;
	}
	if (!jsonx_bool(p, "changes"))
		views_line(st, TUI_ROLE_GOOD,
			   "Nothing to change: no container of %s is privileged.",
			   views_str(p, "family", "this revision"));
	diff = jsonx_str(p, "diff");
	for (const char *line = diff; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xstrndup(line, len);
		enum tui_role role = TUI_ROLE_NORMAL;

		if (strncmp(l, "+++", 3) == 0 || strncmp(l, "---", 3) == 0)
			role = TUI_ROLE_TITLE;
		else if (l[0] == '+')
			role = TUI_ROLE_ADD;
		else if (l[0] == '-')
			role = TUI_ROLE_DEL;
		else if (l[0] == '@')
			role = TUI_ROLE_HUNK;
		tui_state_row_add(st, role, NULL, 1, l);
		free(l);
		line = nl ? nl + 1 : NULL;
	}
	views_checks(st, jsonx_array(p, "checksBefore"), "Rule results before");
	views_checks(st, jsonx_array(p, "checksAfter"), "Rule results after");
	views_notes(st, jsonx_array(p, "notes"), NULL);
	svcs = jsonx_array(p, "services");
	views_line(st, TUI_ROLE_TITLE, "Services that will move to the new revision");
	for (size_t i = 0; i < views_len(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);

		views_line(st, TUI_ROLE_NORMAL, "  %s/%s (running %lld / desired %lld)",
			   views_str(s, "cluster", "?"), views_str(s, "name", "?"),
			   (long long)jsonx_int(s, "runningCount", 0),
			   (long long)jsonx_int(s, "desiredCount", 0));
	}
	if (views_len(svcs) == 0)
		views_line(st, TUI_ROLE_DIM, "  (none: only a new revision is registered)");
	views_line(st, TUI_ROLE_DIM,
		   "u: user  n: network mode  p: write plan  a: approve  Esc: back");
}

static char *views_diff_title(const struct tui_state *st, const struct tui_view_state *v)
{
	return xasprintf("Diff: %s -> new revision",
			 st->plan ? views_str(st->plan, "family", views_td_short(v->subject))
				  : views_td_short(v->subject));
}

static void views_bar(char *buf, size_t len, long done, long total)
{
	size_t w = 20, fill = total > 0 ? (size_t)(done * (long)w / total) : 0;

	if (fill > w)
		fill = w;
	if (len < w + 3)
		return;
	buf[0] = '[';
	for (size_t i = 0; i < w; i++)
		buf[1 + i] = i < fill ? '#' : '.';
	buf[w + 1] = ']';
	buf[w + 2] = '\0';
}

static void views_apply_build(struct tui_state *st, const struct tui_view_state *v)
{
	static const char *const marks[] = {"[ ]", "[>]", "[x]", "[!]"};
	json_object *o = st->outcome;

	(void)v;
	for (size_t i = 0; i < st->nsteps; i++) {
		const struct tui_step *s = &st->steps[i];
		enum tui_role role = s->state == TUI_STEP_FAILED ? TUI_ROLE_BAD
				     : s->state == TUI_STEP_DONE ? TUI_ROLE_GOOD
								 : TUI_ROLE_NORMAL;
		const char *mark = (unsigned)s->state < 4 ? marks[s->state] : "[?]";

		if (s->kind == TUI_STEP_ROLLOUT) {
			char bar[32] = "";

			views_bar(bar, sizeof bar, s->running, s->desired);
			views_line(st, role, "%s rollout %s %s %ld/%ld running  %s", mark,
				   s->subject, bar, s->running, s->desired, s->text ? s->text : "");
		} else {
			views_line(st, role, "%s %s %s: %s", mark,
				   s->kind == TUI_STEP_REGISTER ? "register" : "update", s->subject,
				   s->text ? s->text : "");
		}
	}
	if (st->events[0]) {
		views_line(st, TUI_ROLE_TITLE, "Recent service events");
		for (size_t i = 0; i < sizeof st->events / sizeof st->events[0]; i++)
			if (st->events[i])
				views_line(st, TUI_ROLE_DIM, "  %s", st->events[i]);
	}
	if (st->job == TUI_JOB_APPLY || st->job == TUI_JOB_ROLLBACK)
		views_line(st, TUI_ROLE_DIM, "Working... (q asks before quitting)");
	if (o) {
		const char *status = views_str(o, "status", "?");

		views_line(st,
			   strcmp(status, "COMPLETED") == 0 || strcmp(status, "UPDATED") == 0
			       ? TUI_ROLE_GOOD
			       : TUI_ROLE_BAD,
			   "Outcome: %s  %s", status, views_str(o, "message", ""));
		if (jsonx_str(o, "newTaskDefinition"))
			views_line(st, TUI_ROLE_NORMAL, "New revision: %s",
				   views_td_short(jsonx_str(o, "newTaskDefinition")));
	}
	if (st->change_failed && st->job == TUI_JOB_NONE)
		views_line(st, TUI_ROLE_WARN,
			   "The change failed. b: roll the services back to their old revision   "
			   "Esc: leave them as they are");
	if (o && st->job == TUI_JOB_NONE)
		views_line(st, TUI_ROLE_TITLE,
			   "Next: make the fix permanent in CI/CD: run 'ecsfix lint --fix' on the "
			   "task definition files in your repository, or the next deploy brings "
			   "privileged back.");
}

static char *views_apply_title(const struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	return xasprintf("Change: %s", st->plan ? views_str(st->plan, "family", "?") : "(no plan)");
}

static void views_help_build(struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	views_line(st, TUI_ROLE_DIM, "Keys (generated from the key table)");
	for (int c = 0; c < TUI_CTX__COUNT; c++) {
		views_line(st, TUI_ROLE_TITLE, "%s%s", c == TUI_CTX_GLOBAL ? "Everywhere" : "In ",
			   c == TUI_CTX_GLOBAL  ? ""
			   : c == TUI_CTX_LIST  ? "lists"
			   : c == TUI_CTX_DIFF  ? "the diff"
			   : c == TUI_CTX_APPLY ? "the change view"
						: "prompts");
		for (int a = 1; a < TUI_ACT__COUNT; a++) {
			char keys[128];
			int off = st->read_only && (tui_action_flags(a) & TUI_AF_WRITES);

			keymap_keys_for(c, a, keys, sizeof keys);
			if (keys[0] == '\0')
				continue;
			views_line(st, off ? TUI_ROLE_DIM : TUI_ROLE_NORMAL, "  %-18s %s%s", keys,
				   tui_action_help(a), off ? " (disabled: --read-only)" : "");
		}
	}
	views_line(st, TUI_ROLE_TITLE, "Commands (:name)");
	views_line(st, TUI_ROLE_NORMAL,
		   "  :services :clusters :taskdefs :findings :quit (and "
		   "any action name above, e.g. :refresh)");
}

static char *views_help_title(const struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	return xstrdup(st->read_only ? "Help (read-only: actions that change the account are off)"
				     : "Help");
}

#define VIEWS_COLS(a) a, sizeof a / sizeof a[0]

static const struct tui_view_ops views_table[] = {
    {TUI_VIEW_SERVICES, "services", VIEWS_COLS(views_services_cols), TUI_CTX_LIST, 1, 1,
     views_services_build, views_services_title},
    {TUI_VIEW_CLUSTERS, "clusters", VIEWS_COLS(views_clusters_cols), TUI_CTX_LIST, 1, 1,
     views_clusters_build, views_clusters_title},
    {TUI_VIEW_TASKDEFS, "taskdefs", VIEWS_COLS(views_taskdefs_cols), TUI_CTX_LIST, 1, 1,
     views_taskdefs_build, views_taskdefs_title},
    {TUI_VIEW_FINDINGS, "findings", VIEWS_COLS(views_findings_cols), TUI_CTX_LIST, 1, 1,
     views_findings_build, views_findings_title},
    {TUI_VIEW_DETAIL, "detail", VIEWS_COLS(views_text_cols), TUI_CTX_GLOBAL, 0, 0,
     views_detail_build, views_detail_title},
    {TUI_VIEW_DIFF, "diff", VIEWS_COLS(views_text_cols), TUI_CTX_DIFF, 0, 0, views_diff_build,
     views_diff_title},
    {TUI_VIEW_APPLY, "apply", VIEWS_COLS(views_text_cols), TUI_CTX_APPLY, 0, 0, views_apply_build,
     views_apply_title},
    {TUI_VIEW_HELP, "help", VIEWS_COLS(views_text_cols), TUI_CTX_GLOBAL, 0, 0, views_help_build,
     views_help_title},
};

const struct tui_view_ops *views_get(enum tui_view_id id)
{
	for (size_t i = 0; i < sizeof views_table / sizeof views_table[0]; i++)
		if (views_table[i].id == id)
			return &views_table[i];
	return &views_table[0];
}
