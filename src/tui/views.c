/* views.c: the view table, helpers the views share, and the text views that only read:
 * detail (a service or a task definition) and help (generated from the key table). */
#include "config.h"

#include "tui/views.h"

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *views_td_short(const char *arn)
{
	const char *slash;

	if (arn == NULL)
		return "?";
	slash = strrchr(arn, '/');
	return slash && strncmp(arn, "arn:", 4) == 0 ? slash + 1 : arn;
}

const char *views_str(json_object *o, const char *key, const char *def)
{
	const char *s = jsonx_str(o, key);

	return s ? s : def;
}

size_t views_len(json_object *arr)
{
	return arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
}

const char *views_count(char *buf, size_t len, long long n, const char *one, const char *many)
{
	snprintf(buf, len, "%lld %s", n, n == 1 ? one : many);
	return buf;
}

/* The CLI flags advice names, and what does the same in the TUI (longest first). */
static const struct {
	const char *flag, *keys;
} views_flag_keys[] = {
    {"--subnets subnet-a,subnet-b and --security-groups sg-x",
     "the subnets and security groups n asks for"},
    {"--network-mode bridge or awsvpc", "n (network mode)"},
    {"--network-mode awsvpc", "n (network mode awsvpc)"},
    {"--network-mode bridge", "n (network mode bridge)"},
    {"--network-mode", "n (network mode)"},
    {"e.g. --user 1000", "key u"},
    {"--user UID", "u (user)"},
    {"--user", "u (user)"},
    {"--subnets, --security-groups", "subnets and security groups (n)"},
    {"--subnets", "subnets (n)"},
    {"--security-groups", "security groups (n)"},
};

char *views_keys_for_flags(const char *text)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (const char *p = text ? text : ""; *p;) {
		size_t i, n = sizeof views_flag_keys / sizeof views_flag_keys[0];

		for (i = 0; i < n; i++)
			if (strncmp(p, views_flag_keys[i].flag, strlen(views_flag_keys[i].flag)) ==
			    0)
				break;
		if (i < n) {
			strbuf_puts(&sb, views_flag_keys[i].keys);
			p += strlen(views_flag_keys[i].flag);
		} else {
			strbuf_putc(&sb, *p++);
		}
	}
	if (sb.buf == NULL)
		return xstrdup("");
	return strbuf_take(&sb);
}

void views_checks(struct tui_state *st, struct tui_view_state *v, json_object *checks,
		  const char *title)
{
	tui_state_line(st, v, TUI_ROLE_TITLE, "%s", title);
	for (size_t i = 0; i < views_len(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *s = views_str(c, "status", "?"), *ctl = views_str(c, "control", "?");
		int info = strcmp(ctl, "ECS.4") != 0 && strcmp(ctl, "ECS.17") != 0 &&
			   strcmp(ctl, "ECS.20") != 0;
		char *reason = views_keys_for_flags(views_str(c, "reason", ""));

		tui_state_line(st, v,
			       info                       ? TUI_ROLE_DIM
			       : strcmp(s, "FAILED") == 0 ? TUI_ROLE_BAD
			       : strcmp(s, "PASSED") == 0 ? TUI_ROLE_GOOD
							  : TUI_ROLE_WARN,
			       "  %-7s %-7s %-14s %s", ctl, s, views_str(c, "container", "-"),
			       reason);
		free(reason);
	}
}

void views_notes(struct tui_state *st, struct tui_view_state *v, json_object *notes,
		 const char *unknown)
{
	if (views_len(notes) == 0 && unknown == NULL)
		return;
	tui_state_line(st, v, TUI_ROLE_TITLE, "Notes");
	for (size_t i = 0; i < views_len(notes); i++) {
		char *text = views_keys_for_flags(
		    json_object_get_string(json_object_array_get_idx(notes, i)));

		tui_state_line(st, v, TUI_ROLE_WARN, "  ! %s", text);
		free(text);
	}
	if (unknown)
		tui_state_line(st, v, TUI_ROLE_WARN, "  ! could not read everything: %s", unknown);
}

/* ---- detail: a service or a task definition ---- */

static void views_containers(struct tui_state *st, struct tui_view_state *v, json_object *td)
{
	json_object *cs = jsonx_array(td, "containers");

	tui_state_line(st, v, TUI_ROLE_TITLE, "Containers");
	for (size_t i = 0; i < views_len(cs); i++) {
		json_object *c = json_object_array_get_idx(cs, i), *p = NULL, *ro = NULL;
		int priv = json_object_object_get_ex(c, "privileged", &p) && p &&
			   json_object_get_boolean(p);

		json_object_object_get_ex(c, "readonlyRootFilesystem", &ro);
		tui_state_line(st, v, priv ? TUI_ROLE_BAD : TUI_ROLE_NORMAL,
			       "  %-16s privileged=%s user=%s readonlyRoot=%s  %s",
			       views_str(c, "name", "?"), p ? (priv ? "true" : "false") : "unset",
			       views_str(c, "user", "(root)"),
			       ro ? (json_object_get_boolean(ro) ? "true" : "false") : "unset",
			       views_str(c, "image", ""));
	}
}

static void views_people(struct tui_state *st, struct tui_view_state *v, json_object *td)
{
	json_object *tags = jsonx_obj(td, "tags");

	tui_state_line(st, v, TUI_ROLE_TITLE, "The people to ask before changing it");
	tui_state_line(st, v, TUI_ROLE_NORMAL, "  owner: %s   team: %s",
		       views_str(tags, "owner", "-"), views_str(tags, "team", "-"));
	tui_state_line(st, v, TUI_ROLE_NORMAL, "  registered by: %s",
		       views_str(td, "registeredBy", "-"));
	if (tags) {
		struct strbuf sb;

		strbuf_init(&sb);
		json_object_object_foreach(tags, k, val)
		{
			strbuf_printf(&sb, "%s%s=%s", sb.len ? ", " : "", k,
				      json_object_get_string(val));
		}
		tui_state_line(st, v, TUI_ROLE_DIM, "  tags: %s", sb.len ? sb.buf : "-");
		strbuf_done(&sb);
	}
}

static void views_users_of(struct tui_state *st, struct tui_view_state *v, json_object *td,
			   const char *except)
{
	json_object *svcs = jsonx_array(td, "services");

	tui_state_line(st, v, TUI_ROLE_TITLE, "Services running %s",
		       views_td_short(jsonx_str(td, "arn")));
	for (size_t i = 0; i < views_len(svcs); i++) {
		const char *arn = json_object_get_string(json_object_array_get_idx(svcs, i));
		json_object *s = tui_state_svc(st, arn);
		int self = except && arn && strcmp(arn, except) == 0;

		tui_state_line(st, v, self ? TUI_ROLE_DIM : TUI_ROLE_NORMAL, "  %s/%s%s",
			       views_str(s, "cluster", "?"),
			       views_str(s, "name", views_td_short(arn)),
			       self ? " (this one)" : "");
	}
	if (views_len(svcs) == 0)
		tui_state_line(st, v, TUI_ROLE_DIM, "  (none)");
}

static void views_detail_service(struct tui_state *st, struct tui_view_state *v, json_object *s)
{
	json_object *fail = jsonx_array(s, "failing");
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < views_len(fail); i++)
		strbuf_printf(&sb, "%s%s", i ? ", " : "",
			      json_object_get_string(json_object_array_get_idx(fail, i)));
	tui_state_line(st, v, TUI_ROLE_NORMAL, "Service %s/%s  (%s, %s)",
		       views_str(s, "cluster", "?"), views_str(s, "name", "?"),
		       views_str(s, "launchType", "?"), views_str(s, "schedulingStrategy", "?"));
	tui_state_line(st, v, TUI_ROLE_NORMAL,
		       "Runs %s   running %lld / desired %lld   deployment controller %s",
		       views_td_short(jsonx_str(s, "taskDefinition")),
		       (long long)jsonx_int(s, "runningCount", 0),
		       (long long)jsonx_int(s, "desiredCount", 0),
		       views_str(s, "deploymentController", "?"));
	tui_state_line(st, v,
		       strcmp(views_str(s, "status", ""), "FAILED") == 0 ? TUI_ROLE_BAD
									 : TUI_ROLE_NORMAL,
		       "Status %s%s%s", views_str(s, "status", "?"), sb.len ? ": failing " : "",
		       sb.len ? sb.buf : "");
	strbuf_done(&sb);
	views_notes(st, v, jsonx_array(s, "notes"), jsonx_str(s, "unknown"));
}

/* A revision the scan did not read (a finding of an old or unused revision). */
static void views_detail_unscanned(struct tui_state *st, struct tui_view_state *v, const char *arn)
{
	tui_state_line(st, v, TUI_ROLE_WARN, "%s is not in the scan.", views_td_short(arn));
	tui_state_line(st, v, TUI_ROLE_NORMAL,
		       "The scan reads the revisions services run and the latest ACTIVE "
		       "revision of their families; no service runs this one and it is not the "
		       "latest of a family in use.");
	tui_state_line(st, v, TUI_ROLE_NORMAL,
		       "d: the diff of its fix (ecsfix reads the revision from the account)   "
		       "Esc: back");
}

static void views_detail_build(struct tui_state *st, struct tui_view_state *v)
{
	json_object *s = tui_state_svc(st, v->subject);
	const char *tdarn = s ? jsonx_str(s, "taskDefinition") : v->subject;
	json_object *td = tui_state_td(st, tdarn);

	if (s)
		views_detail_service(st, v, s);
	if (td == NULL) {
		views_detail_unscanned(st, v, tdarn);
		return;
	}
	tui_state_line(st, v, TUI_ROLE_NORMAL, "Revision %s  %s  network %s  %s",
		       views_td_short(jsonx_str(td, "arn")), views_str(td, "status", "?"),
		       views_str(td, "networkMode", "-"),
		       jsonx_bool(td, "latestActive") == 1 ? "latest ACTIVE revision"
							   : "not the latest ACTIVE revision");
	views_people(st, v, td);
	views_users_of(st, v, td, s ? jsonx_str(s, "arn") : NULL);
	views_containers(st, v, td);
	views_checks(st, v, jsonx_array(td, "checks"), "Checks");
	if (s == NULL)
		views_notes(st, v, NULL, jsonx_str(td, "unknown"));
	tui_state_line(st, v, TUI_ROLE_DIM, "d: the diff of the fix   Esc: back");
}

static char *views_detail_title(const struct tui_state *st, const struct tui_view_state *v)
{
	json_object *s = tui_state_svc(st, v->subject);

	if (s)
		return xasprintf("Service %s/%s", views_str(s, "cluster", "?"),
				 views_str(s, "name", "?"));
	return xasprintf("Task definition %s", views_td_short(v->subject));
}

static unsigned views_detail_request(struct tui_state *st, struct tui_view_state *v,
				     enum tui_action a)
{
	if (a == TUI_ACT_DIFF)
		return views_open_diff(st, v->subject);
	return TUI_RX_PASS;
}

/* ---- help: generated from the key table ---- */

static const char *const views_help_headings[TUI_CTX__COUNT] = {
    [TUI_CTX_GLOBAL] = "Everywhere",
    [TUI_CTX_LIST] = "In the lists (services, clusters, task definitions, findings)",
    [TUI_CTX_DIFF] = "In the diff (d)",
    [TUI_CTX_APPLY] = "In the change view (w)",
    [TUI_CTX_HELP] = "In this help page",
    [TUI_CTX_PROMPT] = "In a prompt (/ : and the questions)",
};

static void views_help_build(struct tui_state *st, struct tui_view_state *v)
{
	for (int c = 0; c < TUI_CTX__COUNT; c++) {
		int heading = 0;

		for (int a = 1; a < TUI_ACT__COUNT; a++) {
			char keys[128];

			if (st->read_only && (tui_action_flags((enum tui_action)a) & TUI_AF_WRITES))
				continue;
			keymap_keys_for((enum tui_context)c, (enum tui_action)a, keys, sizeof keys);
			if (keys[0] == '\0')
				continue;
			if (!heading++)
				tui_state_line(st, v, TUI_ROLE_TITLE, "%s", views_help_headings[c]);
			tui_state_line(st, v, TUI_ROLE_NORMAL, "  %-18s %s", keys,
				       tui_action_help((enum tui_action)a));
		}
	}
	tui_state_line(st, v, TUI_ROLE_TITLE, "Commands (type : then the name, Enter)");
	tui_state_line(st, v, TUI_ROLE_NORMAL,
		       "  :services :clusters :taskdefs :findings :owners :accounts :quit, and "
		       "any action name above, e.g. :refresh");
	tui_state_line(st, v, TUI_ROLE_TITLE, "Filters (/)");
	tui_state_line(st, v, TUI_ROLE_NORMAL,
		       "  text matches any field of a row (names, tags, images, containers, "
		       "controls); field:value matches one field: cluster: service: revision: "
		       "owner: account: region: tag: image: container: control:");
	if (st->read_only)
		tui_state_line(st, v, TUI_ROLE_WARN,
			       "Started with --read-only: the actions that change the account "
			       "are off.");
}

static char *views_help_title(const struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	return xstrdup(st->read_only ? "Help (read-only)" : "Help");
}

/* q closes the page, as in less and man; Esc too. */
static unsigned views_help_request(struct tui_state *st, struct tui_view_state *v,
				   enum tui_action a)
{
	(void)v;
	if (a == TUI_ACT_QUIT_PAGE || a == TUI_ACT_BACK) {
		tui_state_pop(st);
		return TUI_RX_ALL;
	}
	return TUI_RX_PASS;
}

static const struct tui_column views_text_cols[] = {{"", 10, 1, 0, 0, 0, 0}};

static const enum tui_action views_text_hints[] = {TUI_ACT_DIFF, TUI_ACT_BACK, TUI_ACT_HELP,
						   TUI_ACT_QUIT};
static const enum tui_action views_help_hints[] = {TUI_ACT_BACK};

static int views_detail_offers(const struct tui_state *st, enum tui_action a)
{
	(void)st;
	return a != TUI_ACT_QUIT;
}

static const struct tui_view_ops views_detail_ops = {
    .id = TUI_VIEW_DETAIL,
    .name = "detail",
    .cols = views_text_cols,
    .ncols = 1,
    .ctx = TUI_CTX_GLOBAL,
    .build = views_detail_build,
    .title = views_detail_title,
    .request = views_detail_request,
    .hints = views_text_hints,
    .nhints = sizeof views_text_hints / sizeof views_text_hints[0],
    .offers = views_detail_offers,
};

static const struct tui_view_ops views_help_ops = {
    .id = TUI_VIEW_HELP,
    .name = "help",
    .cols = views_text_cols,
    .ncols = 1,
    .ctx = TUI_CTX_HELP,
    .build = views_help_build,
    .title = views_help_title,
    .request = views_help_request,
    .hints = views_help_hints,
    .nhints = sizeof views_help_hints / sizeof views_help_hints[0],
};

static const struct tui_view_ops *const views_all[TUI_VIEW__COUNT] = {
    [TUI_VIEW_SERVICES] = &views_services_ops, [TUI_VIEW_CLUSTERS] = &views_clusters_ops,
    [TUI_VIEW_TASKDEFS] = &views_taskdefs_ops, [TUI_VIEW_FINDINGS] = &views_findings_ops,
    [TUI_VIEW_DETAIL] = &views_detail_ops,     [TUI_VIEW_DIFF] = &views_diff_ops,
    [TUI_VIEW_APPLY] = &views_apply_ops,       [TUI_VIEW_HELP] = &views_help_ops,
    [TUI_VIEW_OWNERS] = &views_owners_ops,     [TUI_VIEW_ACCOUNTS] = &views_accounts_ops,
};

const struct tui_view_ops *const *views_table(void)
{
	return views_all;
}
