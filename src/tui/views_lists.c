/* views_lists.c: the list views (services, clusters, task definitions, findings): columns,
 * rows from the scan report, the filter (any field of a row, or field:value) and Enter/d. */
#include "config.h"

#include "tui/views.h"

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the filter: the fields of a row, by name ---- */

struct views_fields {
	struct {
		const char *name;
		char *value;
	} v[96];
	size_t n;
};

static void views_field(struct views_fields *f, const char *name, const char *value)
{
	if (value == NULL || *value == '\0' || f->n == sizeof f->v / sizeof f->v[0])
		return;
	f->v[f->n].name = name;
	f->v[f->n++].value = xstrdup(value);
}

static void views_fields_done(struct views_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].value);
	f->n = 0;
}

/* The names field:value filters know (a filter naming another word matches as text). */
static const char *const views_field_names[] = {
    "cluster", "service", "revision", "family",   "launch", "net",       "user",
    "owner",   "account", "region",   "tag",      "image",  "container", "control",
    "status",  "finding", "severity", "workflow", "priv",
};

static int views_field_known(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof views_field_names / sizeof views_field_names[0]; i++)
		if (strlen(views_field_names[i]) == len &&
		    strncasecmp(views_field_names[i], name, len) == 0)
			return 1;
	return 0;
}

/* Does one term match a field? Case-insensitive substring; "field:value" looks at that field
 * only. */
static int views_term_ok(const char *term, size_t len, const struct views_fields *f)
{
	const char *colon = memchr(term, ':', len);
	char want[256];
	size_t nlen = 0;

	if (colon && views_field_known(term, (size_t)(colon - term))) {
		nlen = (size_t)(colon - term);
		len -= nlen + 1;
		term = colon + 1;
	}
	snprintf(want, sizeof want, "%.*s", (int)len, term);
	for (size_t i = 0; i < f->n; i++) {
		if (nlen &&
		    (strlen(f->v[i].name) != nlen || strncasecmp(f->v[i].name, colon - nlen, nlen)))
			continue;
		if (strcasestr(f->v[i].value, want))
			return 1;
	}
	return 0;
}

/* Does the row (its fields) pass the filter? Every blank-separated term must match. */
static int views_filter_ok(const char *filter, const struct views_fields *f)
{
	const char *p = filter;

	while (p && *p) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len && !views_term_ok(p, len, f))
			return 0;
		p += len;
	}
	return 1;
}

static void views_tags(struct views_fields *f, json_object *tags)
{
	if (tags == NULL || !json_object_is_type(tags, json_type_object))
		return;
	json_object_object_foreach(tags, k, val)
	{
		char *kv = xasprintf("%s=%s", k, json_object_get_string(val));

		views_field(f, "tag", kv);
		free(kv);
	}
}

/* The owner: the scan's owner (issue 14) when it has one, else the usual tags (the
 * revision's, then the service's), else who registered the revision (its last part: the
 * role session or the user name). */
static const char *views_owner(json_object *svc, json_object *td)
{
	static const char *const keys[] = {"owner",   "Owner", "team",      "Team",
					   "contact", "email", "CostCenter"};
	json_object *objs[2] = {svc, td};
	const char *by;

	for (int i = 0; i < 2; i++)
		if (jsonx_str(jsonx_obj(objs[i], "owner"), "name"))
			return jsonx_str(jsonx_obj(objs[i], "owner"), "name");
	for (int pass = 0; pass < 2; pass++) {
		json_object *tags = jsonx_obj(pass == 0 ? td : svc, "tags");

		for (size_t i = 0; tags && i < sizeof keys / sizeof keys[0]; i++)
			if (jsonx_str(tags, keys[i]))
				return jsonx_str(tags, keys[i]);
	}
	by = td ? jsonx_str(td, "registeredBy") : NULL;
	return by && strrchr(by, '/') ? strrchr(by, '/') + 1 : by;
}

/* What a task definition adds to a row's fields: family, containers, images, tags. */
static void views_td_fields(struct views_fields *f, json_object *td)
{
	json_object *cs = jsonx_array(td, "containers");

	if (td == NULL)
		return;
	views_field(f, "family", jsonx_str(td, "family"));
	views_field(f, "revision", views_td_short(jsonx_str(td, "arn")));
	views_field(f, "net", jsonx_str(td, "networkMode"));
	for (size_t i = 0; i < views_len(cs); i++) {
		json_object *c = json_object_array_get_idx(cs, i);

		views_field(f, "container", jsonx_str(c, "name"));
		views_field(f, "image", jsonx_str(c, "image"));
		views_field(f, "user", jsonx_str(c, "user"));
	}
	views_tags(f, jsonx_obj(td, "tags"));
	views_field(f, "owner", jsonx_str(td, "registeredBy"));
}

static void views_where_fields(const struct tui_state *st, struct views_fields *f, json_object *o)
{
	views_field(f, "account",
		    jsonx_str(o, "accountId") ? jsonx_str(o, "accountId") : st->account);
	views_field(f, "region", jsonx_str(o, "region") ? jsonx_str(o, "region") : st->region);
}

/* Cells and fields together: the cells are fields too (under their column's name). */
static void views_cells_fields(struct views_fields *f, const char *const *names,
			       const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		views_field(f, names[i], cells[i]);
}

/* ---- services (home) ---- */

static const struct tui_column views_services_cols[] = {
    {"ACCOUNT", 12, 0, 0, 0, 0, 1}, {"REGION", 9, 0, 0, 0, 0, 1},    {"CLUSTER", 7, 2, 0, 0, 0, 0},
    {"SERVICE", 10, 4, 0, 0, 0, 0}, {"REVISION", 12, 3, 0, 1, 0, 0}, {"LAUNCH", 7, 0, 0, 0, 2, 0},
    {"RUN/DES", 7, 0, 1, 0, 1, 0},  {"PRIV", 4, 0, 0, 0, 0, 0},      {"NET", 6, 0, 0, 0, 0, 0},
    {"USER", 4, 0, 0, 0, 0, 0},     {"FINDINGS", 8, 0, 1, 0, 0, 0},  {"OWNER", 8, 2, 0, 0, 3, 0},
};
static const char *const views_services_fields[] = {"account",  "region", "cluster", "service",
						    "revision", "launch", "",        "priv",
						    "net",      "user",   "",        "owner"};

/* PRIV of a task definition from its containers. */
static const char *views_priv(json_object *td)
{
	json_object *cs = jsonx_array(td, "containers");

	for (size_t i = 0; i < views_len(cs); i++)
		if (jsonx_bool(json_object_array_get_idx(cs, i), "privileged") == 1)
			return "yes";
	return td == NULL ? "?" : "-";
}

static const char *views_check(json_object *td, const char *control)
{
	json_object *ch = jsonx_array(td, "checks");
	const char *worst = NULL;

	for (size_t i = 0; i < views_len(ch); i++) {
		json_object *c = json_object_array_get_idx(ch, i);
		const char *s = views_str(c, "status", "");

		if (strcmp(views_str(c, "control", ""), control) != 0)
			continue;
		if (strcmp(s, "FAILED") == 0)
			return "FAILED";
		worst = s;
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

static int views_finding_failing(json_object *f)
{
	const char *wf = views_str(f, "workflowStatus", "");

	return strcmp(views_str(f, "status", ""), "FAILED") == 0 && strcmp(wf, "SUPPRESSED") != 0 &&
	       strcmp(wf, "RESOLVED") != 0;
}

/* The failing findings among ids (finding ids of a service or revision), one per control
 * (the consolidated and per-standard forms of a check are one problem), and their fields. */
static size_t views_findings_of(const struct tui_state *st, json_object *ids,
				struct views_fields *f)
{
	const char *seen[32];
	size_t n = 0;

	for (size_t i = 0; i < views_len(ids); i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(ids, i));
		json_object *fd = NULL;
		const char *ctl;
		size_t k;

		if (st->finding_by_id == NULL || id == NULL ||
		    !json_object_object_get_ex(st->finding_by_id, id, &fd))
			continue;
		ctl = views_str(fd, "control", "?");
		views_field(f, "finding", id);
		views_field(f, "control", ctl);
		if (!views_finding_failing(fd))
			continue;
		for (k = 0; k < n && strcmp(seen[k], ctl) != 0; k++)
			;
		if (k == n && n < sizeof seen / sizeof seen[0])
			seen[n++] = ctl;
	}
	return n;
}

static void views_services_build(struct tui_state *st, struct tui_view_state *v)
{
	json_object *svcs = jsonx_array(st->report, "services");

	for (size_t i = 0; i < views_len(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		json_object *td = tui_state_td(st, jsonx_str(s, "taskDefinition"));
		const char *user = views_check(td, "ECS.20");
		struct views_fields f = {0};
		char rd[48], nf[24];
		const char *cells[12], *owner = views_owner(s, td);
		size_t failing = views_findings_of(st, jsonx_array(s, "findings"), &f);

		snprintf(rd, sizeof rd, "%lld/%lld", (long long)jsonx_int(s, "runningCount", 0),
			 (long long)jsonx_int(s, "desiredCount", 0));
		snprintf(nf, sizeof nf, failing ? "%zu" : "-", failing);
		cells[0] = jsonx_str(s, "accountId") ? jsonx_str(s, "accountId") : st->account;
		cells[1] = jsonx_str(s, "region") ? jsonx_str(s, "region") : st->region;
		cells[2] = views_str(s, "cluster", "?");
		cells[3] = views_str(s, "name", "?");
		cells[4] = views_td_short(jsonx_str(s, "taskDefinition"));
		cells[5] = views_str(s, "launchType", "?");
		cells[6] = rd;
		cells[7] = views_priv(td);
		cells[8] = td ? views_str(td, "networkMode", "-") : "?";
		cells[9] = td == NULL ? "?" : user && strcmp(user, "FAILED") == 0 ? "root" : "ok";
		cells[10] = nf;
		cells[11] = owner ? owner : "-";
		views_cells_fields(&f, views_services_fields, cells, 12);
		views_td_fields(&f, td);
		views_tags(&f, jsonx_obj(s, "tags"));
		views_field(&f, "status", jsonx_str(s, "status"));
		for (size_t k = 0; k < views_len(jsonx_array(s, "failing")); k++)
			views_field(&f, "control",
				    json_object_get_string(
					json_object_array_get_idx(jsonx_array(s, "failing"), k)));
		if (views_filter_ok(v->filter, &f))
			tui_list_add(&v->list, views_status_role(jsonx_str(s, "status")),
				     jsonx_str(s, "arn"), cells, 12);
		views_fields_done(&f);
	}
}

/* "[/web]", "[/web: no matches]" or "" (caller frees). */
static char *views_filter_note(const struct tui_view_state *v)
{
	if (v->filter == NULL)
		return xstrdup("");
	return xasprintf("  [/%s%s]", v->filter, v->list.nrows ? "" : ": no matches");
}

static char *views_services_title(const struct tui_state *st, const struct tui_view_state *v)
{
	json_object *sum = jsonx_obj(st->report, "summary");
	char *note = views_filter_note(v), *t;

	if (st->report == NULL)
		t = xasprintf("Services%s", note);
	else
		t = xasprintf("Services: %lld, %lld failing%s",
			      (long long)jsonx_int(sum, "services", 0),
			      (long long)jsonx_int(sum, "servicesFailing", 0), note);
	free(note);
	return t;
}

/* ---- clusters ---- */

static const struct tui_column views_clusters_cols[] = {{"CLUSTER", 12, 3, 0, 0, 0, 0},
							{"SERVICES", 8, 0, 1, 0, 0, 0},
							{"FAILING", 7, 0, 1, 0, 0, 0},
							{"STATUS", 8, 1, 0, 0, 0, 0}};
static const char *const views_clusters_fields[] = {"cluster", "", "", "status"};

static void views_clusters_build(struct tui_state *st, struct tui_view_state *v)
{
	json_object *cl = jsonx_array(st->report, "clusters");

	for (size_t i = 0; i < views_len(cl); i++) {
		json_object *c = json_object_array_get_idx(cl, i);
		struct views_fields f = {0};
		char ns[24], nf[24];
		const char *cells[4];
		long long failing = jsonx_int(c, "servicesFailing", 0);

		snprintf(ns, sizeof ns, "%lld", (long long)jsonx_int(c, "services", 0));
		snprintf(nf, sizeof nf, "%lld", failing);
		cells[0] = views_str(c, "name", "?");
		cells[1] = ns;
		cells[2] = nf;
		cells[3] = views_str(c, "status", "");
		views_cells_fields(&f, views_clusters_fields, cells, 4);
		views_tags(&f, jsonx_obj(c, "tags"));
		views_where_fields(st, &f, c);
		if (views_filter_ok(v->filter, &f))
			tui_list_add(&v->list, failing ? TUI_ROLE_BAD : TUI_ROLE_NORMAL, cells[0],
				     cells, 4);
		views_fields_done(&f);
	}
}

static char *views_clusters_title(const struct tui_state *st, const struct tui_view_state *v)
{
	char *note = views_filter_note(v), *t;

	t = xasprintf("Clusters: %zu (Enter: their services)%s",
		      views_len(jsonx_array(st->report, "clusters")), note);
	free(note);
	return t;
}

/* ---- task definitions ---- */

static const struct tui_column views_taskdefs_cols[] = {
    {"REVISION", 12, 2, 0, 1, 0, 0}, {"LATEST", 6, 0, 0, 0, 0, 0},   {"NET", 6, 0, 0, 0, 0, 0},
    {"PRIV", 4, 0, 0, 0, 0, 0},      {"FAILING", 14, 3, 0, 0, 0, 0}, {"SERVICES", 8, 0, 1, 0, 0, 0},
    {"OWNER", 10, 2, 0, 0, 0, 0}};
static const char *const views_taskdefs_fields[] = {"revision", "", "net",  "priv",
						    "control",  "", "owner"};

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

static void views_taskdefs_build(struct tui_state *st, struct tui_view_state *v)
{
	json_object *tds = jsonx_array(st->report, "taskDefinitions");

	for (size_t i = 0; i < views_len(tds); i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		struct views_fields f = {0};
		struct strbuf fail;
		char ns[24];
		const char *cells[7], *owner = views_owner(NULL, td);

		strbuf_init(&fail);
		views_failing(td, &fail);
		snprintf(ns, sizeof ns, "%zu", views_len(jsonx_array(td, "services")));
		cells[0] = views_td_short(jsonx_str(td, "arn"));
		cells[1] = jsonx_bool(td, "latestActive") == 1 ? "yes" : "-";
		cells[2] = views_str(td, "networkMode", "-");
		cells[3] = views_priv(td);
		cells[4] = fail.len ? fail.buf : "-";
		cells[5] = ns;
		cells[6] = owner ? owner : "-";
		views_cells_fields(&f, views_taskdefs_fields, cells, 7);
		views_td_fields(&f, td);
		views_findings_of(st, jsonx_array(td, "findings"), &f);
		views_where_fields(st, &f, td);
		if (views_filter_ok(v->filter, &f))
			tui_list_add(&v->list, fail.len ? TUI_ROLE_BAD : TUI_ROLE_NORMAL,
				     jsonx_str(td, "arn"), cells, 7);
		views_fields_done(&f);
		strbuf_done(&fail);
	}
}

static char *views_taskdefs_title(const struct tui_state *st, const struct tui_view_state *v)
{
	char *note = views_filter_note(v), *t, n[48];

	t = xasprintf("Task definitions: %s%s",
		      views_count(n, sizeof n,
				  (long long)views_len(jsonx_array(st->report, "taskDefinitions")),
				  "revision", "revisions"),
		      note);
	free(note);
	return t;
}

/* ---- findings: problems first, by control number, one row per control and revision ---- */

static const struct tui_column views_findings_cols[] = {
    {"CONTROL", 7, 0, 0, 0, 0, 0},   {"STATUS", 7, 0, 0, 0, 0, 0},
    {"WORKFLOW", 10, 0, 0, 0, 0, 0}, {"SEVERITY", 13, 0, 0, 0, 0, 0},
    {"REVISION", 12, 2, 0, 1, 0, 0}, {"SERVICES", 8, 0, 1, 0, 0, 0}};
static const char *const views_findings_fields[] = {"control",  "status",   "workflow",
						    "severity", "revision", ""};

static int views_status_rank(json_object *f)
{
	const char *s = views_str(f, "status", "");

	if (views_finding_failing(f))
		return 0;
	if (strcmp(s, "FAILED") == 0)
		return 1; /* failed, but suppressed or resolved */
	return strcmp(s, "PASSED") == 0 ? 3 : 2;
}

static long views_control_number(json_object *f)
{
	const char *c = views_str(f, "control", ""), *dot = strrchr(c, '.');

	return dot ? strtol(dot + 1, NULL, 10) : 0;
}

static const char *views_finding_td(json_object *f)
{
	return jsonx_str(f, "taskDefinition") ? jsonx_str(f, "taskDefinition")
					      : jsonx_str(f, "resource");
}

static int views_finding_cmp(const void *pa, const void *pb)
{
	json_object *a = *(json_object *const *)pa, *b = *(json_object *const *)pb;
	int d = views_status_rank(a) - views_status_rank(b);
	long c = views_control_number(a) - views_control_number(b);

	if (d)
		return d;
	if (c)
		return c < 0 ? -1 : 1;
	d = strcmp(views_str(a, "control", ""), views_str(b, "control", ""));
	if (d)
		return d;
	return strcmp(views_td_short(views_finding_td(a)), views_td_short(views_finding_td(b)));
}

/* The findings, sorted, one per control and resource (the consolidated and per-standard
 * forms of one check are the same problem): a new array of borrowed entries. */
static json_object **views_findings_sorted(json_object *fs, size_t *n)
{
	size_t len = views_len(fs), k = 0;
	json_object **v = xcalloc(len + 1, sizeof *v);

	for (size_t i = 0; i < len; i++)
		v[k++] = json_object_array_get_idx(fs, i);
	qsort(v, k, sizeof *v, views_finding_cmp);
	*n = 0;
	for (size_t i = 0; i < k; i++) {
		int dup = 0;

		for (size_t j = 0; j < *n && !dup; j++)
			dup = strcmp(views_str(v[j], "control", ""),
				     views_str(v[i], "control", "")) == 0 &&
			      strcmp(views_str(v[j], "resource", ""),
				     views_str(v[i], "resource", "")) == 0;
		if (!dup)
			v[(*n)++] = v[i];
	}
	return v;
}

static void views_findings_build(struct tui_state *st, struct tui_view_state *v)
{
	size_t n;
	json_object **fs = views_findings_sorted(jsonx_array(st->report, "findings"), &n);

	for (size_t i = 0; i < n; i++) {
		json_object *f = fs[i];
		const char *td = views_finding_td(f);
		struct views_fields fl = {0};
		char ns[24];
		const char *cells[6];

		snprintf(ns, sizeof ns, "%zu", views_len(jsonx_array(f, "services")));
		cells[0] = views_str(f, "control", "?");
		cells[1] = views_str(f, "status", "?");
		cells[2] = views_str(f, "workflowStatus", "-");
		cells[3] = views_str(f, "severity", "-");
		cells[4] = views_td_short(td);
		cells[5] = ns;
		views_cells_fields(&fl, views_findings_fields, cells, 6);
		views_field(&fl, "finding", jsonx_str(f, "id"));
		views_field(&fl, "finding", jsonx_str(f, "title"));
		views_td_fields(&fl, tui_state_td(st, td));
		views_where_fields(st, &fl, f);
		if (views_filter_ok(v->filter, &fl))
			tui_list_add(&v->list,
				     views_status_role(views_finding_failing(f) ? "FAILED" : ""),
				     td, cells, 6);
		views_fields_done(&fl);
	}
	free(fs);
}

static char *views_findings_title(const struct tui_state *st, const struct tui_view_state *v)
{
	json_object *sum = jsonx_obj(st->report, "summary");
	char *note = views_filter_note(v), *t;

	t = xasprintf("Security Hub findings: %lld failed, %lld passed%s",
		      (long long)jsonx_int(sum, "findingsFailed", 0),
		      (long long)jsonx_int(sum, "findingsPassed", 0), note);
	free(note);
	return t;
}

/* ---- the actions of the lists ---- */

static unsigned views_list_open(struct tui_state *st, struct tui_view_state *v)
{
	const struct tui_row *r = tui_list_selected(&v->list);
	char *filter;

	if (r == NULL)
		return TUI_RX_NONE;
	if (r->ref == NULL) {
		tui_state_status(st, TUI_ROLE_WARN, NULL, "nothing to open here");
		return TUI_RX_STATUS;
	}
	if (v->id != TUI_VIEW_CLUSTERS && v->id != TUI_VIEW_OWNERS && v->id != TUI_VIEW_ACCOUNTS) {
		tui_state_push(st, TUI_VIEW_DETAIL, r->ref);
		return TUI_RX_ALL;
	}
	/* a group opens the services of its members: a field:value filter */
	filter = v->id == TUI_VIEW_CLUSTERS ? xasprintf("cluster:%s", r->ref) : xstrdup(r->ref);
	tui_state_push(st, TUI_VIEW_SERVICES, NULL);
	tui_state_set(&st->stack[st->depth - 1].filter, filter);
	free(filter);
	tui_state_rebuild(st);
	return TUI_RX_ALL;
}

static unsigned views_list_request(struct tui_state *st, struct tui_view_state *v,
				   enum tui_action a)
{
	const struct tui_row *r = tui_list_selected(&v->list);

	switch (a) {
	case TUI_ACT_OPEN:
		return views_list_open(st, v);
	case TUI_ACT_FILTER:
		tui_state_prompt(st, TUI_PROMPT_FILTER, v->filter);
		return TUI_RX_STATUS;
	case TUI_ACT_DIFF:
		if (v->id == TUI_VIEW_CLUSTERS || v->id == TUI_VIEW_OWNERS ||
		    v->id == TUI_VIEW_ACCOUNTS)
			return TUI_RX_PASS;
		return views_open_diff(st, r ? r->ref : NULL);
	default:
		return TUI_RX_PASS;
	}
}

static const enum tui_action views_list_hints[] = {TUI_ACT_OPEN,    TUI_ACT_DIFF, TUI_ACT_FILTER,
						   TUI_ACT_COMMAND, TUI_ACT_HELP, TUI_ACT_QUIT};

static int views_clusters_offers(const struct tui_state *st, enum tui_action a)
{
	(void)st;
	return a != TUI_ACT_DIFF;
}

#define VIEWS_LIST(ID, NAME, COLS, PFX, OFFERS)                                                    \
	{                                                                                          \
		.id = ID, .name = NAME, .cols = COLS, .ncols = sizeof COLS / sizeof COLS[0],       \
		.ctx = TUI_CTX_LIST, .list = 1, .filterable = 1, .build = PFX##_build,             \
		.title = PFX##_title, .request = views_list_request, .hints = views_list_hints,    \
		.nhints = sizeof views_list_hints / sizeof views_list_hints[0], .offers = OFFERS,  \
	}

/* ---- owners and accounts: what fails, by whom to ask and by where ---- */

struct views_group {
	char *key, *extra, *status, *note;
	long services, services_failing, revisions, revisions_failing;
};

struct views_groups {
	struct views_group *v;
	size_t n;
};

static struct views_group *views_group(struct views_groups *g, const char *key, const char *extra)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].key, key) == 0 &&
		    strcmp(g->v[i].extra ? g->v[i].extra : "", extra ? extra : "") == 0)
			return &g->v[i];
	g->v = xreallocarray(g->v, g->n + 1, sizeof *g->v);
	memset(&g->v[g->n], 0, sizeof g->v[0]);
	g->v[g->n].key = xstrdup(key);
	g->v[g->n].extra = extra ? xstrdup(extra) : NULL;
	return &g->v[g->n++];
}

static void views_groups_done(struct views_groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].key);
		free(g->v[i].extra);
		free(g->v[i].status);
		free(g->v[i].note);
	}
	free(g->v);
}

static int views_group_cmp(const void *pa, const void *pb)
{
	const struct views_group *a = pa, *b = pb;
	long d = (b->services_failing + b->revisions_failing) -
		 (a->services_failing + a->revisions_failing);

	return d ? (d < 0 ? -1 : 1) : strcmp(a->key, b->key);
}

static int views_failed(json_object *o)
{
	return strcmp(views_str(o, "status", ""), "FAILED") == 0 ||
	       strcmp(views_str(o, "result", ""), "FAILED") == 0;
}

/* Services and revisions counted by owner (accounts: 0) or by account and region (1). */
static void views_group_all(const struct tui_state *st, int by_account, struct views_groups *g)
{
	json_object *svcs = jsonx_array(st->report, "services");
	json_object *tds = jsonx_array(st->report, "taskDefinitions");

	for (size_t i = 0; i < views_len(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		json_object *td = tui_state_td(st, jsonx_str(s, "taskDefinition"));
		const char *owner = views_owner(s, td);
		struct views_group *x =
		    by_account
			? views_group(g, views_str(s, "accountId", st->account ? st->account : "?"),
				      views_str(s, "region", st->region))
			: views_group(g, owner ? owner : "(nobody)", NULL);

		x->services++;
		x->services_failing += views_failed(s);
	}
	for (size_t i = 0; i < views_len(tds); i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		const char *owner = views_owner(NULL, td);
		struct views_group *x =
		    by_account
			? views_group(g,
				      views_str(td, "accountId", st->account ? st->account : "?"),
				      views_str(td, "region", st->region))
			: views_group(g, owner ? owner : "(nobody)", NULL);

		x->revisions++;
		x->revisions_failing += views_failed(td);
	}
}

static const struct tui_column views_owners_cols[] = {
    {"OWNER", 16, 3, 0, 0, 0, 0},    {"SERVICES", 8, 0, 1, 0, 0, 0}, {"FAILING", 7, 0, 1, 0, 0, 0},
    {"REVISIONS", 9, 0, 1, 0, 0, 0}, {"FAILING", 7, 0, 1, 0, 0, 0},
};
static const char *const views_owners_fields[] = {"owner", "", "", "", ""};

static void views_owners_build(struct tui_state *st, struct tui_view_state *v)
{
	struct views_groups g = {0};

	views_group_all(st, 0, &g);
	qsort(g.v, g.n, sizeof *g.v, views_group_cmp);
	for (size_t i = 0; i < g.n; i++) {
		struct views_group *x = &g.v[i];
		struct views_fields f = {0};
		char n[4][24];
		const char *cells[5] = {x->key, n[0], n[1], n[2], n[3]};
		char *ref = xasprintf("owner:%s", x->key);

		snprintf(n[0], sizeof n[0], "%ld", x->services);
		snprintf(n[1], sizeof n[1], "%ld", x->services_failing);
		snprintf(n[2], sizeof n[2], "%ld", x->revisions);
		snprintf(n[3], sizeof n[3], "%ld", x->revisions_failing);
		views_cells_fields(&f, views_owners_fields, cells, 5);
		if (views_filter_ok(v->filter, &f))
			tui_list_add(&v->list,
				     x->services_failing + x->revisions_failing ? TUI_ROLE_BAD
										: TUI_ROLE_NORMAL,
				     ref, cells, 5);
		free(ref);
		views_fields_done(&f);
	}
	views_groups_done(&g);
}

static char *views_owners_title(const struct tui_state *st, const struct tui_view_state *v)
{
	char *note = views_filter_note(v), *t;

	(void)st;
	t = xasprintf("Owners: %zu (Enter: their services; from tags, else registeredBy)%s",
		      v->list.nrows, note);
	free(note);
	return t;
}

static const struct tui_column views_accounts_cols[] = {
    {"ACCOUNT", 12, 1, 0, 0, 0, 0}, {"REGION", 9, 1, 0, 0, 0, 0},  {"STATUS", 8, 0, 0, 0, 0, 0},
    {"SERVICES", 8, 0, 1, 0, 0, 0}, {"FAILING", 7, 0, 1, 0, 0, 0}, {"REVISIONS", 9, 0, 1, 0, 0, 0},
    {"WHY", 6, 3, 0, 0, 1, 0},
};
static const char *const views_accounts_fields[] = {"account", "region", "status", "", "", "", ""};

/* The targets' status and reason (report.targets), when the scan had several. */
static void views_accounts_status(const struct tui_state *st, struct views_groups *g)
{
	json_object *t = jsonx_array(st->report, "targets");

	for (size_t i = 0; i < views_len(t); i++) {
		json_object *x = json_object_array_get_idx(t, i);
		struct views_group *grp =
		    views_group(g, views_str(x, "accountId", "?"), views_str(x, "region", NULL));

		tui_state_set(&grp->note, jsonx_str(x, "reason"));
		tui_state_set(&grp->status, jsonx_str(x, "status"));
	}
}

static void views_accounts_build(struct tui_state *st, struct tui_view_state *v)
{
	struct views_groups g = {0};

	views_group_all(st, 1, &g);
	views_accounts_status(st, &g);
	for (size_t i = 0; i < g.n; i++) {
		struct views_group *x = &g.v[i];
		struct views_fields f = {0};
		char n[3][24];
		const char *cells[7];
		char *ref = xasprintf("account:%s", x->key);

		snprintf(n[0], sizeof n[0], "%ld", x->services);
		snprintf(n[1], sizeof n[1], "%ld", x->services_failing);
		snprintf(n[2], sizeof n[2], "%ld", x->revisions);
		cells[0] = x->key;
		cells[1] = x->extra ? x->extra : "-";
		cells[2] = x->status ? x->status : "OK";
		cells[3] = n[0];
		cells[4] = n[1];
		cells[5] = n[2];
		cells[6] = x->note ? x->note : "";
		views_cells_fields(&f, views_accounts_fields, cells, 7);
		if (views_filter_ok(v->filter, &f))
			tui_list_add(&v->list,
				     strcmp(cells[2], "OK") && strcmp(cells[2], "COMPLETE")
					 ? TUI_ROLE_WARN
				     : x->services_failing ? TUI_ROLE_BAD
							   : TUI_ROLE_NORMAL,
				     ref, cells, 7);
		free(ref);
		views_fields_done(&f);
	}
	views_groups_done(&g);
}

static char *views_accounts_title(const struct tui_state *st, const struct tui_view_state *v)
{
	char *note = views_filter_note(v), *t;

	(void)st;
	t = xasprintf("Accounts and regions: %zu (Enter: their services)%s", v->list.nrows, note);
	free(note);
	return t;
}

const struct tui_view_ops views_services_ops =
    VIEWS_LIST(TUI_VIEW_SERVICES, "services", views_services_cols, views_services, NULL);
const struct tui_view_ops views_clusters_ops = VIEWS_LIST(
    TUI_VIEW_CLUSTERS, "clusters", views_clusters_cols, views_clusters, views_clusters_offers);
const struct tui_view_ops views_taskdefs_ops =
    VIEWS_LIST(TUI_VIEW_TASKDEFS, "taskdefs", views_taskdefs_cols, views_taskdefs, NULL);
const struct tui_view_ops views_findings_ops =
    VIEWS_LIST(TUI_VIEW_FINDINGS, "findings", views_findings_cols, views_findings, NULL);
const struct tui_view_ops views_owners_ops =
    VIEWS_LIST(TUI_VIEW_OWNERS, "owners", views_owners_cols, views_owners, views_clusters_offers);
const struct tui_view_ops views_accounts_ops = VIEWS_LIST(
    TUI_VIEW_ACCOUNTS, "accounts", views_accounts_cols, views_accounts, views_clusters_offers);
