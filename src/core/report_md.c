/* report_md.c: the Markdown message to an owner about a plan, and the scan by owner. */
#include "config.h"

#include "core/report_md.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/owner.h"
#include "core/plan.h"
#include "core/rules.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

void report_md_text(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			strbuf_putc(sb, ' ');
		else if (strchr("\\`*_[]<>|~&", *p) != NULL)
			strbuf_printf(sb, "\\%c", *p);
		else
			strbuf_putc(sb, (char)*p);
	}
}

/* The longest run of c in s. */
static size_t report_md_run(const char *s, char c)
{
	size_t best = 0, cur = 0;

	for (; *s != '\0'; s++) {
		cur = *s == c ? cur + 1 : 0;
		if (cur > best)
			best = cur;
	}
	return best;
}

static void report_md_ticks(struct strbuf *sb, size_t n)
{
	while (n-- > 0)
		strbuf_putc(sb, '`');
}

void report_md_code(struct strbuf *sb, const char *s)
{
	size_t n = report_md_run(s != NULL ? s : "", '`') + 1;
	const unsigned char *p;
	int pad;

	s = s != NULL ? s : "";
	pad = s[0] == '`' || (s[0] != '\0' && s[strlen(s) - 1] == '`');
	report_md_ticks(sb, n);
	if (pad)
		strbuf_putc(sb, ' ');
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		strbuf_putc(sb, *p < 0x20 || *p == 0x7f ? ' ' : (char)*p);
	if (pad)
		strbuf_putc(sb, ' ');
	report_md_ticks(sb, n);
}

/* A fenced block of text (lines kept; control characters other than newline and tab made
 * spaces), with a fence longer than any backtick run in it. */
static void report_md_fence(struct strbuf *sb, const char *info, const char *text)
{
	size_t n = report_md_run(text, '`') + 1;
	const unsigned char *p;

	if (n < 3)
		n = 3;
	report_md_ticks(sb, n);
	strbuf_printf(sb, "%s\n", info);
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		strbuf_putc(sb,
			    (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f ? ' ' : (char)*p);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		strbuf_putc(sb, '\n');
	report_md_ticks(sb, n);
	strbuf_puts(sb, "\n\n");
}

/* A shell word: as is when plain, else single-quoted. */
static void report_md_shell_word(struct strbuf *sb, const char *s)
{
	const char *p;

	if (s[0] != '\0' &&
	    s[strspn(s,
		     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/=@+")] ==
		'\0') {
		strbuf_puts(sb, s);
		return;
	}
	strbuf_putc(sb, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_puts(sb, "'\\''");
		else
			strbuf_putc(sb, *p < 0x20 ? ' ' : *p);
	}
	strbuf_putc(sb, '\'');
}

/* ---- the plan message ---- */

/* Why each control matters, in plain words (one sentence each). */
static const struct {
	const char *control;
	const char *why;
} report_md_why[] = {
    {"ECS.4", "A privileged container gets every capability of the host's kernel and all of its "
	      "devices, so anyone who gets code running inside it (through a bug in the "
	      "application or in one of its dependencies) can take over the EC2 instance and "
	      "every other task on it."},
    {"ECS.17", "Host network mode puts the container on the instance's own network: it can "
	       "reach and listen on everything the instance can, with nothing between it and the "
	       "other tasks' traffic."},
    {"ECS.20", "A container running as root turns any escape, or any host path mounted into "
	       "it, into root access on the instance."},
    {"ECS.1", "The legacy check ECS.1 flags the same combination of host networking and root "
	      "users."},
};

static int report_md_has_failed(const struct rule_results *r, const char *control)
{
	return rules_failed(r, control) > 0;
}

static void report_md_plan_why(struct strbuf *sb, const struct plan *p)
{
	size_t i;
	int any = 0;

	for (i = 0; i < sizeof report_md_why / sizeof report_md_why[0]; i++) {
		if (!report_md_has_failed(&p->before, report_md_why[i].control))
			continue;
		strbuf_printf(sb, "%s%s", any ? " " : "", report_md_why[i].why);
		any = 1;
	}
	if (!any)
		strbuf_puts(sb, "None of the controls ecsfix checks fails on this revision.");
	strbuf_puts(sb, " Security Hub reports it until the running task definition changes; "
			"the change below is usually small, and your answer to the question "
			"further down is what lets us make it safely.\n\n");
}

static void report_md_plan_controls(struct strbuf *sb, const struct plan *p)
{
	size_t i;

	strbuf_puts(sb, "## What fails, and why it matters\n\n");
	for (i = 0; i < p->before.n; i++) {
		const struct rule_result *r = &p->before.v[i];
		const struct rule_def *d = rules_find(r->control);
		const struct rule_result *a =
		    rules_result_for(&p->after, r->control, r->container_index);

		if (r->status != RULE_FAILED || d == NULL || d->info_only)
			continue;
		strbuf_printf(sb, "- **%s** (%s): ", r->control, d->severity);
		if (r->container != NULL) {
			strbuf_puts(sb, "container ");
			report_md_code(sb, r->container);
			strbuf_puts(sb, ": ");
		}
		report_md_text(sb, r->reason);
		strbuf_puts(sb, a != NULL && a->status == RULE_FAILED
				    ? " - *still fails after the change*"
				    : " - *fixed by the change*");
		strbuf_putc(sb, '\n');
	}
	strbuf_putc(sb, '\n');
	report_md_plan_why(sb, p);
}

static void report_md_plan_services(struct strbuf *sb, const struct plan *p)
{
	size_t i;

	strbuf_puts(sb, "## Where it runs\n\n");
	if (p->nservices == 0) {
		strbuf_puts(sb, "No service runs this revision.\n\n");
		return;
	}
	strbuf_puts(sb,
		    "| Cluster | Service | Running / desired | Launch type | Moves to the fix |\n"
		    "|---|---|---|---|---|\n");
	for (i = 0; i < p->nservices; i++) {
		const struct plan_service *s = &p->services[i];

		strbuf_puts(sb, "| ");
		report_md_text(sb, s->cluster);
		strbuf_puts(sb, " | ");
		report_md_text(sb, s->name);
		strbuf_printf(sb, " | %lld / %lld | ", (long long)s->running,
			      (long long)s->desired);
		report_md_text(sb, s->launch_type != NULL ? s->launch_type : "-");
		strbuf_puts(sb, " | ");
		if (s->selected)
			strbuf_puts(sb, "yes");
		else if (!s->update)
			report_md_text(sb, s->skip_reason != NULL ? s->skip_reason : "no");
		else
			strbuf_puts(sb, "no (left out)");
		strbuf_puts(sb, " |\n");
	}
	strbuf_putc(sb, '\n');
}

/* The plan command that reproduces p, with extra appended (e.g. " --cap-add NET_ADMIN"). */
static void report_md_plan_command(struct strbuf *sb, const struct plan *p, const char *extra)
{
	json_object *o = jsonx_obj(p->doc, "options"), *v;
	static const struct {
		const char *key, *flag;
	} lists[] = {{"subnets", "--subnets"},
		     {"securityGroups", "--security-groups"},
		     {"capAdd", "--cap-add"}};
	size_t i, j;

	strbuf_puts(sb, "ecsfix plan --task-definition ");
	report_md_shell_word(sb, plan_td_name(p->source_arn));
	if (jsonx_str(o, "user") != NULL) {
		strbuf_puts(sb, " --user ");
		report_md_shell_word(sb, jsonx_str(o, "user"));
	}
	if (jsonx_str(o, "networkMode") != NULL) {
		strbuf_puts(sb, " --network-mode ");
		report_md_shell_word(sb, jsonx_str(o, "networkMode"));
	}
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		v = jsonx_array(o, lists[i].key);
		if (v == NULL || json_object_array_length(v) == 0)
			continue;
		strbuf_printf(sb, " %s ", lists[i].flag);
		for (j = 0; j < json_object_array_length(v); j++) {
			if (j > 0)
				strbuf_putc(sb, ',');
			report_md_shell_word(
			    sb, json_object_get_string(json_object_array_get_idx(v, j)));
		}
	}
	v = jsonx_array(o, "devices");
	for (i = 0; v != NULL && i < json_object_array_length(v); i++) {
		json_object *d = json_object_array_get_idx(v, i),
			    *perms = jsonx_array(d, "permissions");
		struct strbuf spec;

		strbuf_init(&spec);
		strbuf_printf(&spec, "%s:%s",
			      jsonx_str(d, "hostPath") ? jsonx_str(d, "hostPath") : "",
			      jsonx_str(d, "containerPath") ? jsonx_str(d, "containerPath")
							    : jsonx_str(d, "hostPath"));
		if (perms != NULL) {
			strbuf_putc(&spec, ':');
			for (j = 0; j < json_object_array_length(perms); j++)
				strbuf_putc(&spec, json_object_get_string(
						       json_object_array_get_idx(perms, j))[0]);
		}
		strbuf_puts(sb, " --device ");
		report_md_shell_word(sb, spec.buf);
		strbuf_done(&spec);
	}
	strbuf_puts(sb, extra);
	strbuf_printf(sb, " -o %s.plan\n", p->family);
}

static void report_md_plan_question(struct strbuf *sb, const struct plan *p)
{
	size_t i;
	int n = 0;

	strbuf_puts(sb, "## The question for you\n\n");
	if (p->move_to != NULL) {
		strbuf_puts(sb, "1. ");
		report_md_code(sb, plan_td_name(p->move_to));
		strbuf_puts(sb,
			    ", the family's latest revision, already passes these controls: can "
			    "the services move to it now?\n\n");
		return;
	}
	for (i = 0; i < p->before.n; i++) {
		const struct rule_result *r = &p->before.v[i];

		if (r->status != RULE_FAILED || r->container == NULL)
			continue;
		if (strcmp(r->control, "ECS.4") == 0) {
			strbuf_printf(sb, "%d. Does container ", ++n);
			report_md_code(sb, r->container);
			strbuf_puts(sb, " need `privileged: true`? If it needs particular kernel "
					"capabilities (for example `NET_ADMIN` or `SYS_PTRACE`) or "
					"host devices (for example `/dev/fuse`), which ones?\n");
		} else if (strcmp(r->control, "ECS.20") == 0 &&
			   jsonx_str(jsonx_obj(p->doc, "options"), "user") == NULL) {
			strbuf_printf(sb, "%d. Which non-root user can container ", ++n);
			report_md_code(sb, r->container);
			strbuf_puts(sb, " run as (a UID such as `1000`)?\n");
		}
	}
	if (report_md_has_failed(&p->before, "ECS.17") &&
	    jsonx_str(jsonx_obj(p->doc, "options"), "networkMode") == NULL)
		strbuf_printf(sb,
			      "%d. Does the task need the instance's network (`networkMode: "
			      "host`), or can it run in `bridge` or `awsvpc` mode?\n",
			      ++n);
	if (n == 0)
		strbuf_puts(sb, "1. Is the change below fine for you to roll out?\n");
	strbuf_puts(sb, "\nIf privileged really is required (a Docker-in-Docker builder, for "
			"instance), reply with the reason and a date to look at it again: we will "
			"record a time-limited exception instead.\n\n");
}

static void report_md_plan_apply(struct strbuf *sb, const struct plan *p)
{
	struct strbuf cmd;

	strbuf_puts(sb, "## How to apply it\n\n");
	strbuf_init(&cmd);
	strbuf_puts(&cmd, "# as proposed above: review the plan file, then carry it out\n");
	report_md_plan_command(&cmd, p, "");
	strbuf_printf(&cmd, "ecsfix apply %s.plan\n", p->family);
	if (report_md_has_failed(&p->before, "ECS.4")) {
		strbuf_puts(&cmd, "# with the capabilities and devices you name instead of "
				  "privileged\n");
		report_md_plan_command(&cmd, p,
				       p->move_to != NULL
					   ? " --no-move-to --cap-add NET_ADMIN --device /dev/fuse"
					   : " --cap-add NET_ADMIN --device /dev/fuse");
		strbuf_puts(&cmd, "# or, if privileged must stay: a recorded, time-limited "
				  "exception\n");
		strbuf_printf(&cmd,
			      "ecsfix except %s --reason 'why it needs privileged' --until "
			      "YYYY-MM-DD --approved-by 'who'\n",
			      p->family);
	}
	report_md_fence(sb, "sh", cmd.buf);
	strbuf_done(&cmd);
	strbuf_puts(sb, "In the terminal UI (`ecsfix`): select the service, press `d` for this "
			"diff, `c` to add capabilities instead of privileged, `a` to approve (type "
			"`yes`), or `x` to record an exception.\n");
}

char *report_md_plan(const struct plan *p, const struct owner_keys *keys)
{
	struct strbuf sb;
	struct owner_keys defaults;
	struct owner o;
	size_t i;
	int failing = 0;

	owner_keys_init(&defaults);
	owner_resolve(keys != NULL ? keys : &defaults, jsonx_array(p->baseline, "tags"), NULL, NULL,
		      &o);
	owner_keys_done(&defaults);
	strbuf_init(&sb);
	strbuf_puts(&sb, "# Task definition ");
	report_md_code(&sb, plan_td_name(p->source_arn));
	strbuf_puts(&sb, ": ");
	for (i = 0; i < rules_count(); i++) {
		const struct rule_def *d = rules_get(i);

		if (d->info_only || !report_md_has_failed(&p->before, d->id))
			continue;
		strbuf_printf(&sb, "%s%s", failing++ ? ", " : "", d->id);
	}
	strbuf_puts(&sb, failing ? " fail in Security Hub\n\n" : "a change to review\n\n");
	strbuf_puts(&sb, "- **Owner:** ");
	if (o.name != NULL) {
		report_md_text(&sb, o.name);
		strbuf_puts(&sb, " (");
		report_md_text(&sb, o.source);
		strbuf_puts(&sb, ")\n");
	} else {
		strbuf_puts(&sb, "unknown (no owner tag on the revision)\n");
	}
	strbuf_puts(&sb, "- **Account / region:** ");
	report_md_text(&sb, p->account);
	strbuf_puts(&sb, " / ");
	report_md_text(&sb, p->region);
	strbuf_puts(&sb, "\n- **Revision:** ");
	report_md_code(&sb, p->source_arn);
	strbuf_puts(&sb, "\n\n");
	owner_done(&o);
	report_md_plan_services(&sb, p);
	report_md_plan_controls(&sb, p);
	strbuf_puts(&sb, "## The proposed change\n\n");
	if (p->move_to != NULL) {
		strbuf_puts(&sb, "The services move to the existing revision ");
		report_md_code(&sb, plan_td_name(p->move_to));
		strbuf_puts(&sb, ", which already passes; nothing new is registered.\n\n");
	}
	if (p->diff_text != NULL && p->diff_text[0] != '\0')
		report_md_fence(&sb, "diff", p->diff_text);
	else
		strbuf_puts(&sb, "No change to the task definition.\n\n");
	if (p->nnotes > 0) {
		strbuf_puts(&sb, "Good to know:\n\n");
		for (i = 0; i < p->nnotes; i++) {
			strbuf_puts(&sb, "- ");
			report_md_text(&sb, p->notes[i]);
			strbuf_putc(&sb, '\n');
		}
		strbuf_putc(&sb, '\n');
	}
	report_md_plan_question(&sb, p);
	report_md_plan_apply(&sb, p);
	return strbuf_take(&sb);
}

/* ---- the scan ---- */

struct report_md_group {
	const char *owner; /* borrowed; NULL: no owner */
	json_object *services;
	json_object *tds;
	size_t failing;
};

static int report_md_status_rank(const char *s)
{
	static const char *const order[] = {"FAILED", "UNKNOWN", "EXCEPTED", "PASSED"};
	size_t i;

	for (i = 0; s != NULL && i < sizeof order / sizeof order[0]; i++)
		if (strcmp(s, order[i]) == 0)
			return (int)i;
	return 4;
}

static void report_md_failing(struct strbuf *sb, json_object *failing)
{
	size_t i, n = failing != NULL ? json_object_array_length(failing) : 0;

	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_puts(sb, ", ");
		report_md_text(sb, json_object_get_string(json_object_array_get_idx(failing, i)));
	}
	if (n == 0)
		strbuf_puts(sb, "-");
}

static void report_md_exception(struct strbuf *sb, json_object *ex)
{
	if (ex == NULL)
		return;
	strbuf_puts(sb,
		    jsonx_bool(ex, "expired") == 1 ? " (exception expired " : " (excepted until ");
	report_md_text(sb, jsonx_str(ex, "until"));
	strbuf_puts(sb, ", approved by ");
	report_md_text(sb, jsonx_str(ex, "approvedBy"));
	strbuf_puts(sb, ": ");
	report_md_text(sb, jsonx_str(ex, "reason"));
	strbuf_putc(sb, ')');
}

static void report_md_services_table(struct strbuf *sb, json_object *services, int owner_col)
{
	size_t i, n = json_object_array_length(services);

	if (n == 0)
		return;
	strbuf_printf(sb, "| Status | Cluster | Service | Task definition | Failing |%s\n",
		      owner_col ? " Owner |" : "");
	strbuf_printf(sb, "|---|---|---|---|---|%s\n", owner_col ? "---|" : "");
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(services, i);
		const char *td = jsonx_str(s, "taskDefinition");
		const char *slash = td != NULL ? strrchr(td, '/') : NULL;

		strbuf_puts(sb, "| ");
		report_md_text(sb, jsonx_str(s, "status"));
		strbuf_puts(sb, " | ");
		report_md_text(sb, jsonx_str(s, "cluster"));
		strbuf_puts(sb, " | ");
		report_md_text(sb, jsonx_str(s, "name"));
		strbuf_puts(sb, " | ");
		report_md_text(sb, slash != NULL ? slash + 1 : td != NULL ? td : "-");
		strbuf_puts(sb, " | ");
		report_md_failing(sb, jsonx_array(s, "failing"));
		report_md_exception(sb, jsonx_obj(s, "exception"));
		if (owner_col) {
			strbuf_puts(sb, " | ");
			report_md_text(sb, owner_name_of(s) != NULL ? owner_name_of(s) : "-");
		}
		strbuf_puts(sb, " |\n");
	}
	strbuf_putc(sb, '\n');
}

static void report_md_tds_table(struct strbuf *sb, json_object *tds)
{
	size_t i, n = json_object_array_length(tds);

	if (n == 0)
		return;
	strbuf_puts(sb, "Revisions no service runs:\n\n| Result | Task definition | Failing |\n"
			"|---|---|---|\n");
	for (i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tds, i);
		const char *arn = jsonx_str(t, "arn");
		const char *slash = arn != NULL ? strrchr(arn, '/') : NULL;

		strbuf_puts(sb, "| ");
		report_md_text(sb, jsonx_str(t, "result"));
		strbuf_puts(sb, " | ");
		report_md_text(sb, slash != NULL ? slash + 1 : arn);
		strbuf_puts(sb, " | ");
		report_md_failing(sb, jsonx_array(t, "failing"));
		report_md_exception(sb, jsonx_obj(t, "exception"));
		strbuf_puts(sb, " |\n");
	}
	strbuf_putc(sb, '\n');
}

/* Services/revisions worth an owner's attention: not PASSED. Revisions only when no
 * service runs them (a service row already names its revision). */
static int report_md_wanted(json_object *o, const char *key)
{
	return report_md_status_rank(jsonx_str(o, key)) < 3;
}

static struct report_md_group *report_md_group_of(struct report_md_group **g, size_t *n,
						  const char *owner)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((owner == NULL && (*g)[i].owner == NULL) ||
		    (owner != NULL && (*g)[i].owner != NULL && strcmp(owner, (*g)[i].owner) == 0))
			return &(*g)[i];
	*g = xreallocarray(*g, *n + 1, sizeof **g);
	(*g)[*n].owner = owner;
	(*g)[*n].services = json_object_new_array();
	(*g)[*n].tds = json_object_new_array();
	(*g)[*n].failing = 0;
	return &(*g)[(*n)++];
}

static int report_md_cmp_group(const void *pa, const void *pb)
{
	const struct report_md_group *a = pa, *b = pb;

	if ((a->owner == NULL) != (b->owner == NULL))
		return a->owner == NULL ? 1 : -1;
	if ((a->failing > 0) != (b->failing > 0))
		return a->failing > 0 ? -1 : 1;
	return a->owner != NULL ? strcasecmp(a->owner, b->owner) : 0;
}

static void report_md_summary(struct strbuf *sb, json_object *report)
{
	json_object *sum = jsonx_obj(report, "summary");

	strbuf_printf(sb,
		      "%lld services in %lld clusters: %lld failing, %lld unknown; %lld task "
		      "definitions, %lld failing",
		      (long long)jsonx_int(sum, "services", 0),
		      (long long)jsonx_int(sum, "clusters", 0),
		      (long long)jsonx_int(sum, "servicesFailing", 0),
		      (long long)jsonx_int(sum, "servicesUnknown", 0),
		      (long long)jsonx_int(sum, "taskDefinitions", 0),
		      (long long)jsonx_int(sum, "taskDefinitionsFailing", 0));
	if (jsonx_int(sum, "servicesExcepted", 0) > 0 ||
	    jsonx_int(sum, "taskDefinitionsExcepted", 0) > 0)
		strbuf_printf(sb, "; excepted: %lld services, %lld task definitions",
			      (long long)jsonx_int(sum, "servicesExcepted", 0),
			      (long long)jsonx_int(sum, "taskDefinitionsExcepted", 0));
	strbuf_puts(sb, ".\n\n");
}

char *report_md_scan(json_object *report, int group_by_owner)
{
	json_object *services = jsonx_array(report, "services");
	json_object *tds = jsonx_array(report, "taskDefinitions");
	size_t i, ns = services != NULL ? json_object_array_length(services) : 0;
	size_t nt = tds != NULL ? json_object_array_length(tds) : 0, ng = 0;
	struct report_md_group *g = NULL;
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_puts(&sb, "# ECS task definitions and Security Hub");
	if (jsonx_str(report, "region") != NULL) {
		strbuf_puts(&sb, ": ");
		report_md_text(&sb, jsonx_str(report, "region"));
	}
	strbuf_puts(&sb, "\n\n");
	report_md_summary(&sb, report);
	for (i = 0; i < ns; i++) {
		json_object *s = json_object_array_get_idx(services, i);
		struct report_md_group *grp;

		if (group_by_owner && !report_md_wanted(s, "status"))
			continue;
		grp = report_md_group_of(&g, &ng, group_by_owner ? owner_name_of(s) : NULL);
		json_object_array_add(grp->services, json_object_get(s));
		grp->failing += report_md_status_rank(jsonx_str(s, "status")) == 0;
	}
	for (i = 0; i < nt; i++) {
		json_object *t = json_object_array_get_idx(tds, i),
			    *users = jsonx_array(t, "services");
		struct report_md_group *grp;

		if (!report_md_wanted(t, "result") ||
		    (users != NULL && json_object_array_length(users) > 0))
			continue;
		grp = report_md_group_of(&g, &ng, group_by_owner ? owner_name_of(t) : NULL);
		json_object_array_add(grp->tds, json_object_get(t));
		grp->failing += report_md_status_rank(jsonx_str(t, "result")) == 0;
	}
	if (group_by_owner)
		qsort(g, ng, sizeof *g, report_md_cmp_group);
	if (ng == 0)
		strbuf_puts(&sb, "Nothing fails.\n");
	for (i = 0; i < ng; i++) {
		if (group_by_owner) {
			strbuf_puts(&sb, "## ");
			report_md_text(&sb, g[i].owner != NULL ? g[i].owner : "No owner found");
			strbuf_printf(&sb,
				      "\n\n%zu service%s and %zu other revision%s to look at.\n\n",
				      json_object_array_length(g[i].services),
				      json_object_array_length(g[i].services) == 1 ? "" : "s",
				      json_object_array_length(g[i].tds),
				      json_object_array_length(g[i].tds) == 1 ? "" : "s");
		}
		report_md_services_table(&sb, g[i].services, !group_by_owner);
		report_md_tds_table(&sb, g[i].tds);
		json_object_put(g[i].services);
		json_object_put(g[i].tds);
	}
	free(g);
	return strbuf_take(&sb);
}
