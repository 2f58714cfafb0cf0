/* lint.c: 'ecsfix lint': check task-definition files (JSON, templates, CloudFormation, Terraform),
 * report lines, fix them byte for byte. */
#include "config.h"

#include "core/lint.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lint_exc.h"
#include "core/jsonpos.h"
#include "core/lint_read.h"
#include "core/version.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* One byte edit of the file: replace [start, end) with text ("" deletes, start == end inserts). */
struct lint_edit {
	size_t start, end;
	char *text;
	size_t seq; /* order of creation */
};

struct lint_edits {
	struct lint_edit *v;
	size_t n;
	int *dels; /* members to delete (node indices) */
	size_t ndels;
	unsigned char *marked; /* per node: marked for deletion */
	size_t nmarked;
};

enum lint_format {
	LINT_FMT_JSON = 0,
	LINT_FMT_YAML,
	LINT_FMT_HCL,
};

/* One task definition found in a file. */
struct lint_unit {
	char *label;          /* owned: CloudFormation logical id, Terraform address; NULL */
	json_object *taskdef; /* register-input shape the rules see (owned) */
	json_object *input;   /* what the transform starts from (owned; a describe wrapper) */
	int task_node;        /* the object holding task-level keys; -1 for a bare list */
	int cds_node;         /* -1 when there are none, or unknown */
	int *containers;      /* node of each container definition checked */
	size_t ncontainers;
	int pascal;       /* keys are PascalCase in the file (CloudFormation) */
	int line;         /* where the unit starts (findings without a better line) */
	int cds_line;     /* Terraform plan: the container_definitions string */
	int windows_hint; /* treated as Windows without runtimePlatform */
	int net_unknown;  /* networkMode is not known here */
};

/* A parsed file: the positions and the task definitions in it. */
struct lint_doc {
	struct jsonpos_doc pos;
	char *masked; /* template placeholders masked (owned), or NULL */
	enum lint_format fmt;
	enum lint_shape shape;
	struct lint_unit *units;
	size_t nunits;
	const char *nofix; /* why --fix does not apply, or NULL */
	struct lint_tf_resource *tf;
	size_t ntf;
};

/* "LABEL: " before a message about a unit, or "" (two printf arguments for "%s%s"). */
#define LINT_LBL(u) ((u)->label ? (u)->label : ""), ((u)->label ? ": " : "")

static void lint_note(struct lint_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void lint_note(struct lint_report *r, const char *fmt, ...)
{
	va_list ap;
	size_t i;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	for (i = 0; i < r->nnotes; i++)
		if (strcmp(r->notes[i], s) == 0) {
			free(s);
			return;
		}
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = s;
}

static void lint_findings_free(struct lint_report *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].container);
		free(r->findings[i].reason);
		free(r->findings[i].resource);
		free(r->findings[i].exc_reason);
		free(r->findings[i].exc_until);
		free(r->findings[i].exc_by);
		free(r->findings[i].family);
	}
	free(r->findings);
	r->findings = NULL;
	r->nfindings = 0;
}

void lint_report_init(struct lint_report *r)
{
	memset(r, 0, sizeof(*r));
	err_clear(&r->err);
}

void lint_report_done(struct lint_report *r)
{
	size_t i;

	free(r->path);
	lint_findings_free(r);
	for (i = 0; i < r->nfixes; i++)
		free(r->fixes[i].what);
	free(r->fixes);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	for (i = 0; i < r->nrefs; i++) {
		free(r->refs[i]);
		free(r->ref_vias[i]);
	}
	free(r->refs);
	free(r->ref_vias);
	free(r->excerpt);
	free(r->via);
	lint_report_init(r);
}

const char *lint_shape_name(enum lint_shape s)
{
	switch (s) {
	case LINT_SHAPE_REGISTER:
		return "register";
	case LINT_SHAPE_DESCRIBE:
		return "describe";
	case LINT_SHAPE_CONTAINERS:
		return "containers";
	case LINT_SHAPE_CFN:
		return "cloudformation";
	case LINT_SHAPE_TFPLAN:
		return "terraform-plan";
	case LINT_SHAPE_TF:
		return "terraform";
	case LINT_SHAPE_UNKNOWN:
	default:
		return "unknown";
	}
}

size_t lint_report_deciding(const struct lint_report *r)
{
	return lint_report_failing(r);
}

size_t lint_report_failing(const struct lint_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += r->findings[i].decides != 0;
	return n;
}

static int lint_fail(struct lint_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int lint_fail(struct lint_report *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	err_set(&r->err, "%s", msg);
	free(msg);
	r->error = 1;
	return -1;
}

static void lint_unit_done(struct lint_unit *u)
{
	free(u->label);
	json_object_put(u->taskdef);
	json_object_put(u->input);
	free(u->containers);
}

static void lint_doc_done(struct lint_doc *d)
{
	size_t i;

	for (i = 0; i < d->nunits; i++)
		lint_unit_done(&d->units[i]);
	free(d->units);
	jsonpos_done(&d->pos);
	free(d->masked);
	lint_tf_resources_free(d->tf, d->ntf);
	memset(d, 0, sizeof(*d));
}

/* The line at off with a caret under its column: "   33 | text\n      |   ^". */
static char *lint_excerpt(const char *buf, size_t len, size_t off, int *line_out, int *col_out)
{
	size_t ls = off > len ? len : off, le, i;
	int line = 1, col = 1;
	struct strbuf sb;
	char *out;

	for (i = 0; i < ls; i++)
		line += buf[i] == '\n';
	while (ls > 0 && buf[ls - 1] != '\n')
		ls--;
	for (le = ls; le < len && buf[le] != '\n' && buf[le] != '\r'; le++)
		;
	strbuf_init(&sb);
	strbuf_printf(&sb, "%5d | ", line);
	for (i = ls; i < le && i - ls < 200; i++) {
		unsigned char c = (unsigned char)buf[i];

		strbuf_putc(&sb, c == '\t' ? ' ' : c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	strbuf_puts(&sb, "\n      | ");
	for (i = ls; i < off && i < le && i - ls < 200; i++)
		if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			strbuf_putc(&sb, ' ');
			col++;
		}
	strbuf_putc(&sb, '^');
	out = strbuf_take(&sb);
	strbuf_done(&sb);
	*line_out = line;
	*col_out = col;
	return out;
}

/* A reader failed at byte off: "not valid WHAT at line L, column C: why (guess)" + excerpt. */
static int lint_fail_at(struct lint_report *r, const char *buf, size_t len, size_t off,
			const char *what, const char *why, const char *guess)
{
	int line, col;

	free(r->excerpt);
	r->excerpt = lint_excerpt(buf, len, off, &line, &col);
	r->err_line = line;
	if (guess != NULL && guess[0] != '\0')
		return lint_fail(r, "not valid %s: line %d, column %d: %s (%s)", what, line, col,
				 why, guess);
	return lint_fail(r, "not valid %s: line %d, column %d: %s", what, line, col, why);
}

static int lint_ends_with(const char *name, const char *ext)
{
	size_t n, e = strlen(ext);

	if (name == NULL)
		return 0;
	n = strlen(name);
	return n >= e && strcasecmp(name + n - e, ext) == 0;
}

/* A guess at what a file that is not JSON is, or why. */
static void lint_json_guess(const char *buf, size_t len, size_t off, char *out, size_t outsz)
{
	size_t i = 0, p;
	struct lint_span *sp = NULL;
	char *masked = NULL;

	out[0] = '\0';
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] != '{' && buf[i] != '[') {
		if (strncmp(buf + i, "local ", 6) == 0 || memmem(buf, len, "\nlocal ", 7) != NULL ||
		    memmem(buf, len, "std.", 4) != NULL)
			snprintf(out, outsz,
				 "this looks like Jsonnet: render it first, e.g. "
				 "jsonnet FILE > FILE.json, and lint the output");
		else if (memmem(buf, len, "resource \"", 10) != NULL)
			snprintf(out, outsz, "this looks like Terraform: name it *.tf");
		else if (memmem(buf, len, ": ", 2) != NULL)
			snprintf(out, outsz, "this looks like YAML: name it *.yaml");
		return;
	}
	if (lint_template_mask(buf, len, &masked, &sp) > 0) {
		snprintf(out, outsz, "this looks like a template placeholder (%.*s)",
			 (int)(sp[0].end - sp[0].start > 40 ? 40 : sp[0].end - sp[0].start),
			 buf + sp[0].start);
		free(masked);
		free(sp);
		return;
	}
	free(masked);
	free(sp);
	if (off < len && (buf[off] == '"' || buf[off] == '{' || buf[off] == '[')) {
		/* a value where a comma was due: the previous line lacks one */
		p = off;
		while (p > 0 && isspace((unsigned char)buf[p - 1]))
			p--;
		if (p > 0 && p < off && memchr(buf + p, '\n', off - p) != NULL) {
			int line = 1;

			for (i = 0; i < p; i++)
				line += buf[i] == '\n';
			snprintf(out, outsz, "is a comma missing at the end of line %d?", line);
		}
	} else if (off < len && (buf[off] == '}' || buf[off] == ']')) {
		p = off;
		while (p > 0 && isspace((unsigned char)buf[p - 1]))
			p--;
		if (p > 0 && buf[p - 1] == ',')
			snprintf(out, outsz, "a comma before a closing bracket: remove it");
	}
}

/* Marks CloudFormation intrinsic functions ({"Ref": X}, {"Fn::If": [...]}) as unknown. */
static void lint_cfn_intrinsics(struct jsonpos_doc *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct jsonpos_node *x = &p->nodes[i];
		const char *k;

		if (x->type != JSONPOS_OBJECT || x->nchildren != 1 || x->unknown != NULL)
			continue;
		k = p->nodes[x->first_child].key;
		if (strcmp(k, "Ref") == 0 || strncmp(k, "Fn::", 4) == 0 ||
		    strcmp(k, "Condition") == 0) {
			const char *b = p->buf + x->start, *nl = memchr(b, '\n', x->end - x->start);
			size_t w = nl != NULL ? (size_t)(nl - b) : x->end - x->start;

			x->unknown = xasprintf("%.*s%s", (int)(w > 60 ? 60 : w), b,
					       w < x->end - x->start ? "..." : "");
		}
	}
}

/* CloudFormation spells properties in PascalCase; the rules read the API's camelCase. Strings
 * "true"/"false" of boolean properties are booleans to CloudFormation. */
static void lint_cfn_camel(struct jsonpos_doc *p, int n)
{
	static const char *const bools[] = {"privileged",  "readonlyRootFilesystem",
					    "essential",   "disableNetworking",
					    "interactive", "pseudoTerminal"};
	int c;
	size_t i;

	for (c = p->nodes[n].first_child; c >= 0; c = p->nodes[c].next) {
		struct jsonpos_node *x = &p->nodes[c];

		if (x->key != NULL && x->key[0] >= 'A' && x->key[0] <= 'Z')
			x->key[0] = (char)(x->key[0] - 'A' + 'a');
		if (x->key != NULL && x->type == JSONPOS_STRING && x->unknown == NULL)
			for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
				char *t;

				if (strcmp(x->key, bools[i]) != 0)
					continue;
				t = jsonpos_text(p, c);
				if (strcasecmp(t, "true") == 0)
					x->type = JSONPOS_TRUE;
				else if (strcasecmp(t, "false") == 0)
					x->type = JSONPOS_FALSE;
				free(t);
			}
		if (x->type == JSONPOS_OBJECT || x->type == JSONPOS_ARRAY)
			lint_cfn_camel(p, c);
	}
}

static struct lint_unit *lint_unit_new(struct lint_doc *d, const char *label, int task_node,
				       int line)
{
	struct lint_unit *u;

	d->units = xreallocarray(d->units, d->nunits + 1, sizeof(*d->units));
	u = &d->units[d->nunits++];
	memset(u, 0, sizeof(*u));
	u->label = label != NULL ? xstrdup(label) : NULL;
	u->task_node = task_node;
	u->cds_node = -1;
	u->line = line;
	return u;
}

/* Adds container node c (an object; inside an !If, its first object branch). */
static void lint_unit_container(struct lint_doc *d, struct lint_unit *u, int c,
				struct lint_report *r)
{
	const struct jsonpos_doc *p = &d->pos;

	if (p->nodes[c].type != JSONPOS_OBJECT || p->nodes[c].unknown != NULL) {
		int k, a = c;

		/* {"Fn::If": [cond, {container}, {"Ref": "AWS::NoValue"}]}: the list */
		if (p->nodes[c].type == JSONPOS_OBJECT && p->nodes[c].nchildren == 1 &&
		    strcasecmp(p->nodes[p->nodes[c].first_child].key, "Fn::If") == 0)
			a = p->nodes[c].first_child;
		for (k = p->nodes[a].first_child; k >= 0; k = p->nodes[k].next)
			if (p->nodes[k].type == JSONPOS_OBJECT && p->nodes[k].unknown == NULL)
				break;
		if (k < 0 || p->nodes[c].unknown == NULL) {
			lint_note(r, "%s%sline %d: a container definition that is %s: not checked",
				  u->label ? u->label : "", u->label ? ": " : "", p->nodes[c].line,
				  p->nodes[c].unknown ? p->nodes[c].unknown : "not an object");
			return;
		}
		{
			int cond = p->nodes[a].first_child;
			char *ct = cond >= 0 && p->nodes[cond].type == JSONPOS_STRING
				       ? jsonpos_text(p, cond)
				       : xstrdup("?");

			lint_note(
			    r,
			    "%s%sline %d: the container inside a condition (%s) is checked as "
			    "if present",
			    u->label ? u->label : "", u->label ? ": " : "", p->nodes[c].line, ct);
			free(ct);
		}
		c = k;
	}
	u->containers = xreallocarray(u->containers, u->ncontainers + 1, sizeof(int));
	u->containers[u->ncontainers++] = c;
}

/* Images, entry points and mounts that only Windows has. */
static const char *lint_windows_hint(json_object *cds)
{
	size_t i, n = cds != NULL ? json_object_array_length(cds) : 0;

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		const char *img = jsonx_str(c, "image");
		char *s = jsonx_compact(c);
		const char *why = NULL;

		if (img != NULL &&
		    (strcasestr(img, "windows") != NULL || strcasestr(img, "servercore") != NULL ||
		     strcasestr(img, "nanoserver") != NULL))
			why = "a Windows image";
		else if (strcasestr(s, "powershell") != NULL)
			why = "a PowerShell command";
		else if (strstr(s, "\\\\\\\\.\\\\pipe\\\\") != NULL || strstr(s, "C:\\\\") != NULL)
			why = "Windows paths";
		free(s);
		if (why != NULL)
			return why;
	}
	return NULL;
}

/* Builds the unit's documents from the tree: the task object with containerDefinitions
 * replaced by the containers checked. */
static void lint_unit_build(struct lint_doc *d, struct lint_unit *u, int wrap_node,
			    struct lint_report *r)
{
	json_object *cds = json_object_new_array(), *td;
	const char *why;
	size_t i;

	for (i = 0; i < u->ncontainers; i++)
		json_object_array_add(cds, jsonpos_to_json(&d->pos, u->containers[i]));
	td = u->task_node >= 0 ? jsonpos_to_json(&d->pos, u->task_node) : json_object_new_object();
	if (!json_object_is_type(td, json_type_object)) {
		json_object_put(td);
		td = json_object_new_object();
	}
	json_object_object_add(td, "containerDefinitions", cds);
	if (jsonx_obj(td, "runtimePlatform") == NULL &&
	    (why = lint_windows_hint(jsonx_array(td, "containerDefinitions"))) != NULL) {
		json_object *rp = json_object_new_object();

		json_object_object_add(rp, "operatingSystemFamily",
				       json_object_new_string("WINDOWS_SERVER_2019_CORE"));
		json_object_object_add(td, "runtimePlatform", rp);
		u->windows_hint = 1;
		lint_note(r,
			  "%s%streated as a Windows task definition (%s, no runtimePlatform): "
			  "ECS.20 does not apply and --user adds no user; set "
			  "runtimePlatform.operatingSystemFamily to say so",
			  u->label ? u->label : "", u->label ? ": " : "", why);
	}
	u->taskdef = td;
	if (wrap_node >= 0 && d->shape == LINT_SHAPE_DESCRIBE) {
		json_object *w = jsonpos_to_json(&d->pos, wrap_node);

		json_object_object_add(w, "taskDefinition", json_object_get(td));
		u->input = w;
	} else {
		u->input = json_object_get(td);
	}
}

/* Items of array node a as containers of u. */
static void lint_unit_containers(struct lint_doc *d, struct lint_unit *u, int a,
				 struct lint_report *r)
{
	int c;

	u->cds_node = a;
	for (c = d->pos.nodes[a].first_child; c >= 0; c = d->pos.nodes[c].next)
		lint_unit_container(d, u, c, r);
}

static int lint_classify_cfn(struct lint_doc *d, struct lint_report *r)
{
	struct jsonpos_doc *p = &d->pos;
	int res = jsonpos_member(p, 0, "Resources"), c;

	lint_cfn_intrinsics(p);
	for (c = p->nodes[res].first_child; c >= 0; c = p->nodes[c].next) {
		int type = jsonpos_member(p, c, "Type"), props, cds;
		char *t = type >= 0 && p->nodes[type].type == JSONPOS_STRING ? jsonpos_text(p, type)
									     : NULL;
		struct lint_unit *u;

		if (t == NULL || strcmp(t, "AWS::ECS::TaskDefinition") != 0) {
			free(t);
			continue;
		}
		free(t);
		props = jsonpos_member(p, c, "Properties");
		u = lint_unit_new(d, p->nodes[c].key, props, p->nodes[c].key_line);
		u->pascal = 1;
		if (props < 0 || p->nodes[props].type != JSONPOS_OBJECT) {
			lint_note(r, "resource %s: no Properties to check", p->nodes[c].key);
			u->task_node = -1;
			continue;
		}
		lint_cfn_camel(p, props);
		cds = jsonpos_member(p, props, "containerDefinitions");
		if (cds >= 0 && p->nodes[cds].type == JSONPOS_ARRAY &&
		    p->nodes[cds].unknown == NULL)
			lint_unit_containers(d, u, cds, r);
		else if (cds >= 0)
			lint_note(r, "resource %s: ContainerDefinitions is %s: not checked",
				  p->nodes[c].key,
				  p->nodes[cds].unknown ? p->nodes[cds].unknown : "not a list");
	}
	if (d->nunits == 0)
		return lint_fail(r, "a CloudFormation template without an AWS::ECS::TaskDefinition "
				    "resource: nothing to check");
	d->shape = LINT_SHAPE_CFN;
	return 0;
}

/* terraform show -json: resource_changes[].change.after of aws_ecs_task_definition. */
static int lint_classify_tfplan(struct lint_doc *d, struct lint_report *r)
{
	static const char *const plan_keys[][2] = {
	    {"family", "family"},
	    {"network_mode", "networkMode"},
	    {"pid_mode", "pidMode"},
	    {"requires_compatibilities", "requiresCompatibilities"}};
	struct jsonpos_doc *p = &d->pos;
	int rc = jsonpos_member(p, 0, "resource_changes"), c;
	size_t k;

	d->shape = LINT_SHAPE_TFPLAN;
	d->nofix = "a Terraform plan is computed: fix the .tf files that define these resources";
	for (c = rc >= 0 ? p->nodes[rc].first_child : -1; c >= 0; c = p->nodes[c].next) {
		int type = jsonpos_member(p, c, "type"), addr = jsonpos_member(p, c, "address");
		int change = jsonpos_member(p, c, "change"), after, cd;
		char *t = type >= 0 ? jsonpos_text(p, type) : NULL, *a, *s;
		json_object *after_j, *cds = NULL, *td, *rp;
		struct lint_unit *u;
		struct err e;

		if (t == NULL || strcmp(t, "aws_ecs_task_definition") != 0) {
			free(t);
			continue;
		}
		free(t);
		after = jsonpos_member(p, change, "after");
		a = addr >= 0 ? jsonpos_text(p, addr) : xstrdup("aws_ecs_task_definition");
		u = lint_unit_new(d, a, -1, p->nodes[c].line);
		free(a);
		if (after < 0 || p->nodes[after].type != JSONPOS_OBJECT) {
			lint_note(r, "%s: no planned values (deleted, or known after apply)",
				  u->label);
			continue;
		}
		cd = jsonpos_member(p, after, "container_definitions");
		u->cds_line = cd >= 0 ? p->nodes[cd].line : p->nodes[after].line;
		after_j = jsonpos_to_json(p, after);
		s = cd >= 0 && p->nodes[cd].type == JSONPOS_STRING ? jsonpos_text(p, cd) : NULL;
		err_clear(&e);
		if (s == NULL || jsonx_parse(s, strlen(s), &cds, &e) ||
		    !json_object_is_type(cds, json_type_array)) {
			lint_note(r, "%s: container_definitions is %s: not checked", u->label,
				  s == NULL ? "not known in this plan" : "not a JSON array");
			json_object_put(cds);
			cds = json_object_new_array();
		}
		free(s);
		td = json_object_new_object();
		for (k = 0; k < sizeof(plan_keys) / sizeof(plan_keys[0]); k++) {
			json_object *v = json_object_object_get(after_j, plan_keys[k][0]);

			if (v != NULL)
				json_object_object_add(td, plan_keys[k][1], json_object_get(v));
		}
		rp = jsonx_array(after_j, "runtime_platform");
		if (rp != NULL && json_object_array_length(rp) > 0 &&
		    jsonx_str(json_object_array_get_idx(rp, 0), "operating_system_family") !=
			NULL) {
			json_object *o = json_object_new_object();

			json_object_object_add(
			    o, "operatingSystemFamily",
			    json_object_new_string(jsonx_str(json_object_array_get_idx(rp, 0),
							     "operating_system_family")));
			json_object_object_add(td, "runtimePlatform", o);
		}
		json_object_object_add(td, "containerDefinitions", cds);
		json_object_put(after_j);
		u->taskdef = td;
		u->input = json_object_get(td);
	}
	if (d->nunits == 0)
		return lint_fail(r, "a Terraform plan without aws_ecs_task_definition resource "
				    "changes: nothing to check");
	return 0;
}

static int lint_classify_tf(struct lint_doc *d, struct lint_report *r)
{
	struct jsonpos_doc *p = &d->pos;
	size_t i;

	d->shape = LINT_SHAPE_TF;
	for (i = 0; i < d->ntf; i++) {
		struct lint_tf_resource *t = &d->tf[i];
		struct lint_unit *u = lint_unit_new(d, t->address, t->node, t->line);
		int cds = jsonpos_member(p, t->node, "containerDefinitions");

		if (cds >= 0 && p->nodes[cds].type == JSONPOS_ARRAY &&
		    p->nodes[cds].unknown == NULL)
			lint_unit_containers(d, u, cds, r);
		else if (t->ref_path != NULL)
			lint_note(r,
				  "%s: container_definitions is %s(\"%s\"): linted as its own file",
				  t->address, t->ref_fn, t->ref_path);
		else if (cds >= 0)
			lint_note(
			    r,
			    "%s: container_definitions is %s: not checked here (lint the file "
			    "or module that builds it)",
			    t->address,
			    p->nodes[cds].unknown ? p->nodes[cds].unknown : "not a list");
		else
			lint_note(r, "%s: no container_definitions", t->address);
	}
	if (d->nunits == 0)
		return lint_fail(r,
				 "a Terraform file without resource \"aws_ecs_task_definition\": "
				 "nothing to check");
	return 0;
}

/* Plain task-definition JSON (possibly a template): register, describe or a container list. */
static int lint_classify_json(struct lint_doc *d, struct lint_report *r)
{
	struct jsonpos_doc *p = &d->pos;
	struct lint_unit *u;
	int td, cds, c;

	if (p->nodes[0].type == JSONPOS_ARRAY) {
		for (c = p->nodes[0].first_child; c >= 0; c = p->nodes[c].next)
			if (p->nodes[c].type != JSONPOS_OBJECT && p->nodes[c].unknown == NULL)
				return lint_fail(r, "wrong shape: an array whose items are not all "
						    "container definitions (objects)");
		if (p->nodes[0].nchildren == 0)
			return lint_fail(r, "wrong shape: an empty array");
		d->shape = LINT_SHAPE_CONTAINERS;
		u = lint_unit_new(d, NULL, -1, 1);
		lint_unit_containers(d, u, 0, r);
		lint_unit_build(d, u, -1, r);
		return 0;
	}
	if (p->nodes[0].type != JSONPOS_OBJECT)
		return lint_fail(r, "wrong shape: not a task definition (a JSON %s)",
				 p->nodes[0].type == JSONPOS_STRING ? "string" : "scalar");
	td = jsonpos_member(p, 0, "taskDefinition");
	if (td < 0 && jsonpos_member(p, 0, "containerDefinitions") < 0 &&
	    jsonpos_member(p, 0, "image") >= 0) {
		/* one container definition (a template of one item of container_definitions) */
		d->shape = LINT_SHAPE_CONTAINERS;
		u = lint_unit_new(d, NULL, -1, 1);
		lint_unit_container(d, u, 0, r);
		lint_unit_build(d, u, -1, r);
		return 0;
	}
	if (td >= 0 && p->nodes[td].type == JSONPOS_OBJECT) {
		d->shape = LINT_SHAPE_DESCRIBE;
	} else if (jsonpos_member(p, 0, "containerDefinitions") >= 0) {
		d->shape = LINT_SHAPE_REGISTER;
		td = 0;
	} else {
		return lint_fail(r,
				 "wrong shape: not a task definition (expected an object with "
				 "\"containerDefinitions\", {\"taskDefinition\": ...}, an array of "
				 "container definitions, a CloudFormation template or a Terraform "
				 "plan)");
	}
	u = lint_unit_new(d, NULL, td, p->nodes[td].line);
	cds = jsonpos_member(p, td, "containerDefinitions");
	if (cds < 0 || p->nodes[cds].type != JSONPOS_ARRAY) {
		if (cds >= 0 && p->nodes[cds].unknown != NULL)
			lint_note(r, "containerDefinitions is a placeholder (%s): not checked",
				  p->nodes[cds].unknown);
		else
			return lint_fail(r, "wrong shape: containerDefinitions is not an array of "
					    "objects");
	} else {
		for (c = p->nodes[cds].first_child; c >= 0; c = p->nodes[c].next)
			if (p->nodes[c].type != JSONPOS_OBJECT && p->nodes[c].unknown == NULL)
				return lint_fail(r, "wrong shape: containerDefinitions is not an "
						    "array of objects");
		lint_unit_containers(d, u, cds, r);
	}
	lint_unit_build(d, u, 0, r);
	return 0;
}

/* Template placeholders read as unknown values: masked bytes, and strings holding one. */
static void lint_mark_placeholders(struct jsonpos_doc *p, const struct lint_span *sp, size_t nsp,
				   const char *orig)
{
	size_t i, k, s0, s1;

	for (i = 0; i < p->n; i++) {
		struct jsonpos_node *x = &p->nodes[i];

		for (k = 0; k < nsp; k++)
			if (sp[k].start <= x->start && x->start < sp[k].end)
				break;
		if (k < nsp) {
			x->unknown = xstrndup(orig + sp[k].start, sp[k].end - sp[k].start);
			if (x->end < sp[k].end)
				x->end = sp[k].end; /* the whole placeholder is the value */
			continue;
		}
		if (x->type == JSONPOS_STRING) {
			char *t = jsonpos_text(p, (int)i);

			if (lint_template_find(t, strlen(t), &s0, &s1)) {
				/* shown as written (the reader saw a masked copy) */
				size_t w = x->end - x->start - 2;

				x->unknown = xasprintf("%.*s%s", (int)(w > 60 ? 60 : w),
						       orig + x->start + 1, w > 60 ? "..." : "");
			}
			free(t);
		}
	}
}

/* Task-definition-level errors: a key repeated, privileged that is not a boolean. */
static int lint_doc_errors(struct lint_doc *d, struct lint_report *r)
{
	struct jsonpos_doc *p = &d->pos;
	int a, b;
	size_t i, k;

	if (jsonpos_find_duplicate(p, &a, &b) == 0)
		return lint_fail(r,
				 "\"%s\" is set twice, at lines %d and %d: which one counts is "
				 "ambiguous (keep one)",
				 p->nodes[a].key, p->nodes[a].key_line, p->nodes[b].key_line);
	for (i = 0; i < d->nunits; i++)
		for (k = 0; k < d->units[i].ncontainers; k++) {
			int v = jsonpos_member(p, d->units[i].containers[k], "privileged");
			char *t;

			if (v < 0 || p->nodes[v].unknown != NULL ||
			    p->nodes[v].type == JSONPOS_TRUE || p->nodes[v].type == JSONPOS_FALSE ||
			    p->nodes[v].type == JSONPOS_NULL)
				continue;
			t = xstrndup(p->buf + p->nodes[v].start,
				     p->nodes[v].end - p->nodes[v].start > 40
					 ? 40
					 : p->nodes[v].end - p->nodes[v].start);
			free(r->excerpt);
			r->excerpt = NULL;
			r->err_line = p->nodes[v].line;
			lint_fail(r,
				  "line %d: privileged is %s, not a boolean: ECS rejects it (write "
				  "true or false)",
				  p->nodes[v].line, t);
			free(t);
			return -1;
		}
	return 0;
}

/* Text the readers can take: not empty, UTF-8, no NUL; *first is the first non-space byte. */
static int lint_doc_text(const char *buf, size_t len, size_t *first, struct lint_report *r)
{
	size_t bad, i;

	for (i = 0; i < len && strchr(" \t\r\n", buf[i]) != NULL; i++)
		;
	if (i == len)
		return lint_fail(r, "empty file (expected a task definition)");
	*first = i;
	bad = jsonpos_utf8_bad(buf, len);
	if (bad < len) {
		int line = 1;

		for (i = 0; i < bad; i++)
			line += buf[i] == '\n';
		return lint_fail(r, "not UTF-8 text (invalid byte 0x%02x at line %d)",
				 (unsigned char)buf[bad], line);
	}
	if (memchr(buf, '\0', len) != NULL)
		return lint_fail(r, "not a text file (it contains NUL bytes)");
	return 0;
}

static int lint_read_yaml(const char *buf, size_t len, struct lint_doc *d, struct lint_report *r)
{
	size_t off;
	struct err e;
	char guess[160];

	err_clear(&e);
	if (lint_yaml_read(buf, len, &d->pos, &e, &off)) {
		lint_json_guess(buf, len, off, guess, sizeof(guess));
		return lint_fail_at(r, buf, len, off, "YAML", e.msg,
				    strstr(guess, "YAML") ? NULL : guess);
	}
	d->fmt = LINT_FMT_YAML;
	if (d->pos.nodes[0].type != JSONPOS_OBJECT || jsonpos_member(&d->pos, 0, "Resources") < 0)
		return lint_fail(r,
				 "YAML that is not a CloudFormation template (no Resources): "
				 "ecsfix reads CloudFormation YAML, and task definitions as JSON");
	return 0;
}

/* JSON that is not strict JSON: a template with placeholders, or a syntax error. */
static int lint_read_template(const char *buf, size_t len, const struct lint_options *o,
			      struct lint_doc *d, struct lint_report *r, const struct err *strict)
{
	struct lint_span *sp = NULL;
	size_t nsp = 0, off;
	char guess[160];
	struct err e;

	err_clear(&e);
	if (!o->strict_json)
		nsp = lint_template_mask(buf, len, &d->masked, &sp);
	if (nsp > 0 && jsonpos_parse(d->masked, len, &d->pos, &e) == 0) {
		lint_mark_placeholders(&d->pos, sp, nsp, buf);
		r->templated = 1;
		free(sp);
		return 0;
	}
	free(sp);
	off = d->pos.err_pos;
	lint_json_guess(buf, len, off, guess, sizeof(guess));
	return lint_fail_at(r, buf, len, off, "JSON",
			    d->pos.err_what != NULL ? d->pos.err_what : strict->msg, guess);
}

/* Reads buf with the reader its name and content call for. */
static int lint_doc_read(const char *name, const char *buf, size_t len,
			 const struct lint_options *o, struct lint_doc *d, struct lint_report *r)
{
	struct err e;
	size_t first = 0, off = 0;

	err_clear(&e);
	if (lint_doc_text(buf, len, &first, r))
		return -1;
	if (lint_ends_with(name, ".jsonnet") || lint_ends_with(name, ".libsonnet"))
		return lint_fail(r, "a Jsonnet file: ecsfix reads its output, not Jsonnet (render "
				    "it first, e.g. jsonnet FILE > taskdef.json, and lint that)");
	if (lint_ends_with(name, ".tf") ||
	    (!lint_ends_with(name, ".json") && buf[first] != '{' &&
	     memmem(buf, len, "resource \"aws_ecs_task_definition\"", 34) != NULL)) {
		d->fmt = LINT_FMT_HCL;
		if (lint_tf_read(buf, len, &d->pos, &d->tf, &d->ntf, &e, &off))
			return lint_fail_at(r, buf, len, off, "Terraform (HCL)", e.msg, NULL);
		return 0;
	}
	if (jsonpos_parse(buf, len, &d->pos, &e) == 0) {
		d->fmt = LINT_FMT_JSON;
		/* "networkMode": "${MODE}" in a file that is valid JSON all the same */
		if (!o->strict_json)
			lint_mark_placeholders(&d->pos, NULL, 0, buf);
		return 0;
	}
	if (lint_ends_with(name, ".yaml") || lint_ends_with(name, ".yml") ||
	    lint_ends_with(name, ".template") ||
	    (!lint_ends_with(name, ".json") && buf[first] != '{' && buf[first] != '['))
		return lint_read_yaml(buf, len, d, r);
	return lint_read_template(buf, len, o, d, r, &e);
}

/* Reads buf and finds the task definitions in it. */
static int lint_doc_parse(const char *name, const char *buf, size_t len,
			  const struct lint_options *o, struct lint_doc *d, struct lint_report *r)
{
	const struct jsonpos_doc *p = &d->pos;
	size_t i;
	int rc, res;

	memset(d, 0, sizeof(*d));
	if (lint_doc_read(name, buf, len, o, d, r))
		return -1;
	res = p->n > 0 ? jsonpos_member(p, 0, "Resources") : -1;
	if (d->fmt == LINT_FMT_HCL)
		rc = lint_classify_tf(d, r);
	else if (p->nodes[0].type == JSONPOS_OBJECT && res >= 0 &&
		 p->nodes[res].type == JSONPOS_OBJECT)
		rc = lint_classify_cfn(d, r);
	else if (p->nodes[0].type == JSONPOS_OBJECT &&
		 (jsonpos_member(p, 0, "resource_changes") >= 0 ||
		  (jsonpos_member(p, 0, "terraform_version") >= 0 &&
		   jsonpos_member(p, 0, "planned_values") >= 0)))
		rc = lint_classify_tfplan(d, r);
	else if (d->fmt == LINT_FMT_JSON || r->templated)
		rc = lint_classify_json(d, r);
	else
		rc = lint_fail(r, "not a task definition");
	if (rc)
		return -1;
	for (i = 0; i < d->nunits; i++)
		if (d->units[i].taskdef == NULL)
			lint_unit_build(d, &d->units[i], -1, r);
	if (lint_doc_errors(d, r))
		return -1;
	r->shape = d->shape;
	return 0;
}

static int lint_container_node(const struct lint_unit *u, int idx)
{
	return idx >= 0 && (size_t)idx < u->ncontainers ? u->containers[idx] : -1;
}

/* The line a result points at: the deciding value, else the container's name, else the
 * object, else the unit. */
static int lint_result_line(const struct lint_doc *d, const struct lint_unit *u,
			    const struct rule_result *res)
{
	int obj =
	    res->container_index >= 0 ? lint_container_node(u, res->container_index) : u->task_node;
	int v = jsonpos_member(&d->pos, obj, res->key);

	if (u->cds_line > 0 && res->container_index >= 0)
		return u->cds_line;
	if (v >= 0 && res->item_index >= 0) {
		int item = jsonpos_element(&d->pos, v, (size_t)res->item_index);
		int name = jsonpos_member(&d->pos, item, "name");

		v = name >= 0 ? name : item >= 0 ? item : v;
	}
	if (v >= 0)
		return d->pos.nodes[v].line;
	v = jsonpos_member(&d->pos, obj, "name");
	if (v >= 0)
		return d->pos.nodes[v].key_line;
	return obj >= 0 ? d->pos.nodes[obj].line : u->line > 0 ? u->line : 1;
}

/* The value deciding res when it is unknown (a parameter, condition, placeholder): its text. */
static const char *lint_result_unknown(const struct lint_doc *d, const struct lint_unit *u,
				       const struct rule_result *res, const char **key)
{
	static const char *const ecs1[] = {"privileged", "user"};
	int obj =
	    res->container_index >= 0 ? lint_container_node(u, res->container_index) : u->task_node;
	int v = jsonpos_member(&d->pos, obj, res->key), net;
	size_t i;

	*key = res->key;
	if (v >= 0 && d->pos.nodes[v].unknown != NULL)
		return d->pos.nodes[v].unknown;
	/* ECS.1 and the host-mode wording depend on the network mode too */
	net = jsonpos_member(&d->pos, u->task_node, "networkMode");
	if (strcmp(res->control, "ECS.1") == 0) {
		if (net >= 0 && d->pos.nodes[net].unknown != NULL) {
			*key = "networkMode";
			return d->pos.nodes[net].unknown;
		}
		for (i = 0; i < 2; i++) {
			v = jsonpos_member(&d->pos, obj, ecs1[i]);
			if (v >= 0 && d->pos.nodes[v].unknown != NULL) {
				*key = ecs1[i];
				return d->pos.nodes[v].unknown;
			}
		}
	}
	return NULL;
}

static void lint_findings(const struct lint_doc *d, const struct lint_unit *u,
			  const struct rule_results *rr, const struct lint_options *o,
			  struct lint_report *r)
{
	size_t i;

	for (i = 0; i < rr->n; i++) {
		const struct rule_result *res = &rr->v[i];
		struct lint_finding *f;
		const char *unk, *key;

		unk = lint_result_unknown(d, u, res, &key);
		if (res->status != RULE_FAILED && unk == NULL)
			continue;
		if (unk != NULL && res->status == RULE_NOT_APPLICABLE)
			continue;
		r->findings = xreallocarray(r->findings, r->nfindings + 1, sizeof(*r->findings));
		f = &r->findings[r->nfindings++];
		memset(f, 0, sizeof(*f));
		f->control = res->control;
		f->container = res->container != NULL ? xstrdup(res->container) : NULL;
		if (f->container != NULL && strcmp(f->container, JSONPOS_UNKNOWN_VALUE) == 0) {
			int nm = jsonpos_member(
			    &d->pos, lint_container_node(u, res->container_index), "name");

			free(f->container);
			f->container =
			    xstrdup(nm >= 0 && d->pos.nodes[nm].unknown ? d->pos.nodes[nm].unknown
									: "(name unknown)");
		}
		f->line = lint_result_line(d, u, res);
		f->resource = u->label != NULL ? xstrdup(u->label) : NULL;
		f->chosen = rules_mask_has(o->controls, res->control);
		f->family = jsonx_str(u->taskdef, "family") != NULL
				? xstrdup(jsonx_str(u->taskdef, "family"))
				: NULL;
		if (unk != NULL) {
			const char *what = d->shape == LINT_SHAPE_CFN ? "a CloudFormation function"
					   : d->fmt == LINT_FMT_HCL && !r->templated
					       ? "a Terraform expression"
					       : "a placeholder";

			f->status = LINT_UNKNOWN;
			f->reason = xasprintf("cannot decide: %s is %s (%s), known only when it is "
					      "deployed",
					      key, what, unk);
		} else {
			f->status = LINT_FAILED;
			f->reason = xstrdup(res->reason);
			f->decides = rules_mask_has(o->controls, res->control);
		}
	}
}

/* Stable sort by line (insertion sort: a file has few findings). */
#define LINT_SORT_BY_LINE(v, n, type)                                                              \
	do {                                                                                       \
		size_t i_, j_;                                                                     \
		for (i_ = 1; i_ < (n); i_++) {                                                     \
			type t_ = (v)[i_];                                                         \
			for (j_ = i_; j_ > 0 && (v)[j_ - 1].line > t_.line; j_--)                  \
				(v)[j_] = (v)[j_ - 1];                                             \
			(v)[j_] = t_;                                                              \
		}                                                                                  \
	} while (0)

/* Lints buf without fixing: the document and its findings (by line). */
static int lint_check(const char *name, const char *buf, size_t len, const struct lint_options *o,
		      struct lint_report *r, struct lint_doc *d)
{
	size_t i;

	if (lint_doc_parse(name, buf, len, o, d, r)) {
		lint_doc_done(d);
		return -1;
	}
	for (i = 0; i < d->nunits; i++) {
		struct rule_results rr;
		struct err e;
		int c;

		rule_results_init(&rr);
		err_clear(&e);
		if (rules_evaluate(d->units[i].taskdef, &rr, &e)) {
			rule_results_done(&rr);
			lint_doc_done(d);
			return lint_fail(r, "wrong shape: %s", e.msg);
		}
		lint_findings(d, &d->units[i], &rr, o, r);
		rule_results_done(&rr);
		for (c = 0; c < (int)d->units[i].ncontainers; c++)
			if (jsonpos_member(&d->pos, d->units[i].containers[c], "privilege") >= 0)
				lint_note(
				    r,
				    "line %d: \"privilege\" is not a container parameter (ECS "
				    "ignores it; did you mean \"privileged\"?)",
				    d->pos
					.nodes[jsonpos_member(&d->pos, d->units[i].containers[c],
							      "privilege")]
					.key_line);
	}
	LINT_SORT_BY_LINE(r->findings, r->nfindings, struct lint_finding);
	return 0;
}
static void lint_edit_add(struct lint_edits *ed, size_t start, size_t end, char *text_take)
{
	ed->v = xreallocarray(ed->v, ed->n + 1, sizeof(*ed->v));
	ed->v[ed->n].start = start;
	ed->v[ed->n].end = end;
	ed->v[ed->n].text = text_take;
	ed->v[ed->n].seq = ed->n;
	ed->n++;
}

static void lint_fix_add(struct lint_report *r, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void lint_fix_add(struct lint_report *r, int line, const char *fmt, ...)
{
	va_list ap;

	r->fixes = xreallocarray(r->fixes, r->nfixes + 1, sizeof(*r->fixes));
	r->fixes[r->nfixes].line = line;
	va_start(ap, fmt);
	r->fixes[r->nfixes].what = xvasprintf(fmt, ap);
	va_end(ap);
	r->nfixes++;
}

/* Marks member m of an object for deletion; lint_edits_deletions turns marks into edits. */
static void lint_edit_delete(struct lint_edits *ed, int m)
{
	ed->dels = xreallocarray(ed->dels, ed->ndels + 1, sizeof(*ed->dels));
	ed->dels[ed->ndels++] = m;
}

/* Marks every member named key of object obj (a repeated key is one member to json-c). */
static void lint_edit_delete_all(struct lint_edits *ed, const struct jsonpos_doc *p, int obj,
				 const char *key)
{
	int c;

	for (c = p->nodes[obj].first_child; c >= 0; c = p->nodes[c].next)
		if (strcmp(p->nodes[c].key, key) == 0)
			lint_edit_delete(ed, c);
}

static int lint_edit_marked(const struct lint_edits *ed, int m)
{
	return m >= 0 && (size_t)m < ed->nmarked && ed->marked[m] != 0;
}

/* Deletes each run of marked members with its commas, keeping the layout around it: after a
 * kept member, from its end; at the start, up to the next kept member's key. */
static void lint_edits_deletions(struct lint_edits *ed, const struct jsonpos_doc *p)
{
	size_t i;

	for (i = 0; i < ed->ndels; i++) {
		int obj = p->nodes[ed->dels[i]].parent, c, prev = -1, first = -1, last = -1;

		if (ed->marked[ed->dels[i]] == 2)
			continue; /* this object is done */
		for (c = p->nodes[obj].first_child; c >= 0; c = p->nodes[c].next)
			if (ed->marked[c])
				ed->marked[c] = 2;
		for (c = p->nodes[obj].first_child;; c = p->nodes[c].next) {
			if (c >= 0 && lint_edit_marked(ed, c)) {
				if (first < 0)
					first = c;
				last = c;
				continue;
			}
			if (first >= 0) {
				if (prev >= 0)
					lint_edit_add(ed, p->nodes[prev].end, p->nodes[last].end,
						      xstrdup(""));
				else if (c >= 0)
					lint_edit_add(ed, p->nodes[first].key_start,
						      p->nodes[c].key_start, xstrdup(""));
				else
					lint_edit_add(ed, p->nodes[first].key_start,
						      p->nodes[last].end, xstrdup(""));
				first = -1;
			}
			if (c < 0)
				break;
			prev = c;
		}
	}
}

/* Inserts "key": value_json as the last member of object obj, in the file's own layout. */
static void lint_edit_insert(struct lint_edits *ed, const struct jsonpos_doc *p, int obj,
			     const char *key, const char *value_json)
{
	const struct jsonpos_node *o = &p->nodes[obj];
	const char *b = p->buf;
	int c, last = -1, prev = -1;
	struct strbuf sb;
	size_t ls, i;

	for (c = o->first_child; c >= 0; c = p->nodes[c].next) {
		prev = last;
		last = c;
	}
	strbuf_init(&sb);
	if (last < 0) {
		strbuf_printf(&sb, "\"%s\": %s", key, value_json);
		lint_edit_add(ed, o->start + 1, o->start + 1, strbuf_take(&sb));
		strbuf_done(&sb);
		return;
	}
	ls = p->nodes[last].key_start;
	while (ls > 0 && b[ls - 1] != '\n')
		ls--;
	for (i = ls; i < p->nodes[last].key_start && (b[i] == ' ' || b[i] == '\t'); i++)
		;
	if (prev < 0 ||
	    memchr(b + p->nodes[prev].end, ',', p->nodes[last].key_start - p->nodes[prev].end) !=
		NULL ||
	    b[p->nodes[last].key_start] == '"')
		strbuf_putc(&sb, ','); /* HCL and YAML flow members may stand on lines alone */
	if (i == p->nodes[last].key_start && ls > o->start) {
		/* one member per line: a new line with the last member's indentation */
		strbuf_puts(&sb, ls >= 2 && b[ls - 2] == '\r' ? "\r\n" : "\n");
		strbuf_append(&sb, b + ls, p->nodes[last].key_start - ls);
	} else if (prev >= 0) {
		/* on one line: the same spacing as between the last two members */
		size_t k = p->nodes[prev].end;

		while (k < p->nodes[last].key_start && b[k] != ',')
			k++;
		if (k < p->nodes[last].key_start)
			strbuf_append(&sb, b + k + 1, p->nodes[last].key_start - k - 1);
	} else {
		size_t k = o->start + 1;

		strbuf_append(&sb, b + k, p->nodes[last].key_start - k);
	}
	if (b[p->nodes[last].key_start] == '"')
		strbuf_printf(&sb, "\"%s\"", key);
	else
		strbuf_puts(&sb, key);
	strbuf_append(&sb, b + p->nodes[last].key_end,
		      p->nodes[last].start - p->nodes[last].key_end);
	strbuf_puts(&sb, value_json);
	lint_edit_add(ed, p->nodes[last].end, p->nodes[last].end, strbuf_take(&sb));
	strbuf_done(&sb);
}

/* A key as the file spells it. */
static const char *lint_key(const struct lint_unit *u, const char *key, char *buf, size_t bufsz)
{
	if (!u->pascal)
		return key;
	snprintf(buf, bufsz, "%s", key);
	buf[0] = (char)toupper((unsigned char)buf[0]);
	return buf;
}

/* A value for the file's syntax: json is the JSON text; YAML keeps the old scalar's quotes. */
static char *lint_value_text(const struct lint_doc *d, int old, const char *json)
{
	const struct jsonpos_node *n = old >= 0 ? &d->pos.nodes[old] : NULL;

	if (n != NULL && n->quote != 0 && json[0] != '"' && d->fmt == LINT_FMT_YAML)
		return xasprintf("%c%s%c", n->quote, json, n->quote); /* 'true' -> 'false' */
	if (d->fmt != LINT_FMT_YAML || n == NULL || json[0] != '"')
		return xstrdup(json);
	if (n->quote == '\'' && strchr(json, '\'') == NULL && strchr(json, '\\') == NULL) {
		char *s = xstrdup(json);

		s[0] = '\'';
		s[strlen(s) - 1] = '\'';
		return s;
	}
	if (n->quote == 0 && strpbrk(json + 1, ":#'{}[],&*!|>%@` \\") == NULL &&
	    !isdigit((unsigned char)json[1]))
		return xstrndup(json + 1, strlen(json) - 2);
	return xstrdup(json);
}

static void lint_edit_value(const struct lint_doc *d, struct lint_edits *ed, int node,
			    const char *json)
{
	lint_edit_add(ed, d->pos.nodes[node].start, d->pos.nodes[node].end,
		      lint_value_text(d, node, json));
}

/* Inserts key: value as a member of obj in the file's syntax and layout. */
static void lint_edit_member(const struct lint_doc *d, struct lint_edits *ed, int obj,
			     const char *key, const char *json)
{
	const struct jsonpos_doc *p = &d->pos;
	const struct jsonpos_node *o = &p->nodes[obj];

	if (d->fmt == LINT_FMT_YAML && o->block && o->first_child >= 0) {
		/* a block mapping: a new first member, at the first member's column */
		const struct jsonpos_node *f = &p->nodes[o->first_child];
		size_t ls = f->key_start, col;
		char *v = json[0] == '"' ? xstrdup(json) : xstrdup(json);
		struct strbuf sb;

		while (ls > 0 && p->buf[ls - 1] != '\n')
			ls--;
		col = f->key_start - ls;
		strbuf_init(&sb);
		strbuf_printf(&sb, "%s: %s\n", key, v);
		while (col-- > 0)
			strbuf_putc(&sb, ' ');
		lint_edit_add(ed, f->key_start, f->key_start, strbuf_take(&sb));
		strbuf_done(&sb);
		free(v);
		return;
	}
	lint_edit_insert(ed, p, obj, key, json);
}

static const char *lint_cname(json_object *c)
{
	const char *n = jsonx_str(c, "name");

	return n != NULL ? n : "";
}

/* networkMode itself: replaced, or added where the task definition is declared. */
static void lint_fix_network_mode(const struct lint_doc *d, const struct lint_unit *u,
				  enum transform_network net, struct lint_edits *ed,
				  struct lint_report *r)
{
	const char *want = net == TRANSFORM_NET_AWSVPC ? "awsvpc" : "bridge";
	const char *cur = jsonx_str(u->taskdef, "networkMode");
	int m = jsonpos_member(&d->pos, u->task_node, "networkMode");
	const struct jsonpos_node *t = &d->pos.nodes[u->task_node];
	char *quoted, kb[32];

	if (cur != NULL ? strcmp(cur, want) == 0 : net == TRANSFORM_NET_BRIDGE)
		return;
	quoted = xasprintf("\"%s\"", want);
	if (m >= 0) {
		lint_edit_value(d, ed, m, quoted);
		lint_fix_add(r, d->pos.nodes[m].line, "%s%snetworkMode %s -> %s", LINT_LBL(u),
			     cur != NULL ? cur : "(not a string)", want);
	} else if (d->fmt == LINT_FMT_HCL) {
		/* a line of its own at the top of the resource block */
		lint_edit_add(ed, t->start + 1, t->start + 1,
			      xasprintf("\n  network_mode = %s", quoted));
		lint_fix_add(r, t->line, "%s%snetwork_mode (not set) -> %s", LINT_LBL(u), want);
	} else {
		lint_edit_member(d, ed, u->task_node, lint_key(u, "networkMode", kb, sizeof kb),
				 quoted);
		lint_fix_add(r, t->line, "%s%snetworkMode (not set) -> %s", LINT_LBL(u), want);
	}
	free(quoted);
}

/* awsvpc in container i: hostPort unlike containerPort, links, hostname, extraHosts go. */
static void lint_fix_awsvpc_container(const struct lint_doc *d, const struct lint_unit *u, size_t i,
				      struct lint_edits *ed, struct lint_report *r)
{
	static const char *const not_awsvpc[] = {"links", "hostname", "extraHosts"};
	json_object *c =
	    json_object_array_get_idx(jsonx_array(u->taskdef, "containerDefinitions"), i);
	json_object *pms = jsonx_array(c, "portMappings");
	int cn = lint_container_node(u, (int)i);
	int pn = jsonpos_member(&d->pos, cn, "portMappings");
	int pmn = pn >= 0 ? d->pos.nodes[pn].first_child : -1;
	size_t k;

	/* walk the list and the tree together: linear in the port mappings */
	for (k = 0; pms != NULL && k < json_object_array_length(pms);
	     k++, pmn = pmn >= 0 ? d->pos.nodes[pmn].next : -1) {
		json_object *pm = json_object_array_get_idx(pms, k), *hp;
		int hn;

		if (!json_object_is_type(pm, json_type_object) ||
		    !json_object_object_get_ex(pm, "hostPort", &hp) ||
		    jsonx_int(pm, "hostPort", -2) == jsonx_int(pm, "containerPort", -1))
			continue;
		hn = jsonpos_member(&d->pos, pmn, "hostPort");
		if (hn < 0)
			continue;
		lint_edit_delete_all(ed, &d->pos, pmn, "hostPort");
		lint_fix_add(r, d->pos.nodes[hn].line,
			     "%s%scontainer \"%s\": portMappings[%zu].hostPort %s removed",
			     LINT_LBL(u), lint_cname(c), k, json_object_to_json_string(hp));
	}
	for (k = 0; k < sizeof(not_awsvpc) / sizeof(not_awsvpc[0]); k++) {
		int m = jsonpos_member(&d->pos, cn, not_awsvpc[k]);

		if (m < 0)
			continue;
		lint_edit_delete_all(ed, &d->pos, cn, not_awsvpc[k]);
		lint_fix_add(r, d->pos.nodes[m].key_line,
			     "%s%scontainer \"%s\": %s removed (not supported in awsvpc mode)",
			     LINT_LBL(u), lint_cname(c), not_awsvpc[k]);
	}
}

static void lint_fix_network(const struct lint_doc *d, const struct lint_unit *u,
			     enum transform_network net, struct lint_edits *ed,
			     struct lint_report *r)
{
	const char *want = net == TRANSFORM_NET_AWSVPC ? "awsvpc" : "bridge";
	const char *cur = jsonx_str(u->taskdef, "networkMode");
	json_object *cds = jsonx_array(u->taskdef, "containerDefinitions");
	size_t i, n = json_object_array_length(cds);

	if (u->task_node >= 0) {
		if (cur != NULL ? strcmp(cur, want) == 0 : net == TRANSFORM_NET_BRIDGE)
			return;
		lint_fix_network_mode(d, u, net, ed, r);
	} else {
		lint_note(r,
			  "networkMode is not in this file: set the network mode to %s where the "
			  "task definition is declared (e.g. Terraform network_mode)",
			  want);
	}
	for (i = 0; i < n && cur != NULL && strcmp(cur, "host") == 0; i++) {
		json_object *c = json_object_array_get_idx(cds, i);

		if (jsonx_array(c, "portMappings") == NULL ||
		    json_object_array_length(jsonx_array(c, "portMappings")) == 0)
			lint_note(r,
				  "container \"%s\" declares no portMappings: in host mode it used "
				  "the instance's ports directly; in %s mode nothing is published "
				  "until you add portMappings",
				  lint_cname(c), want);
	}
	for (i = 0; i < n && net == TRANSFORM_NET_AWSVPC; i++)
		lint_fix_awsvpc_container(d, u, i, ed, r);
}

/* JSON text of v for the file: CloudFormation spells keys in PascalCase. */
static json_object *lint_json_text_obj(const struct lint_unit *u, json_object *v);

static char *lint_json_text(const struct lint_unit *u, json_object *v)
{
	json_object *w = v;
	char *s;

	if (u->pascal && json_object_is_type(v, json_type_object)) {
		w = json_object_new_object();
		json_object_object_foreach(v, k, x)
		{
			char *pk = xstrdup(k);

			pk[0] = (char)toupper((unsigned char)pk[0]);
			json_object_object_add(w, pk, lint_json_text_obj(u, x));
			free(pk);
		}
	} else if (u->pascal && json_object_is_type(v, json_type_array)) {
		size_t i;

		w = json_object_new_array();
		for (i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(
			    w, lint_json_text_obj(u, json_object_array_get_idx(v, i)));
	} else {
		w = json_object_get(v);
	}
	s = xstrdup(json_object_to_json_string_ext(w, JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(w);
	return s;
}

/* v with PascalCase keys (a new reference). */
static json_object *lint_json_text_obj(const struct lint_unit *u, json_object *v)
{
	char *t = lint_json_text(u, v);
	json_object *o = json_tokener_parse(t);

	free(t);
	return o;
}

/* A YAML block list: new "- item" lines before the first, in its layout. */
static int lint_edit_append_block(const struct lint_doc *d, const struct lint_unit *u,
				  struct lint_edits *ed, int arr, json_object *items)
{
	const struct jsonpos_node *f = d->pos.nodes[arr].first_child >= 0
					   ? &d->pos.nodes[d->pos.nodes[arr].first_child]
					   : NULL;
	const char *b = d->pos.buf;
	size_t ls, i, at;
	struct strbuf sb;
	int no_nl;

	if (f == NULL)
		return -1;
	for (ls = f->start; ls > 0 && b[ls - 1] != '\n'; ls--)
		;
	for (i = ls; i < f->start && b[i] == ' '; i++)
		;
	if (i >= f->start || b[i] != '-')
		return -1; /* "- - x", "key: - x": not a plain list layout */
	for (i++; i < f->start; i++)
		if (b[i] != ' ')
			return -1;
	/* after the line of the last item (comments stay where they are) */
	for (at = d->pos.nodes[d->pos.nodes[arr].last_child].end; at < d->pos.len && b[at] != '\n';
	     at++)
		;
	strbuf_init(&sb);
	no_nl = at == d->pos.len;
	if (no_nl)
		strbuf_putc(&sb, '\n');
	else
		at++;
	for (i = 0; i < json_object_array_length(items); i++) {
		char *t = lint_json_text(u, json_object_array_get_idx(items, i));

		strbuf_append(&sb, b + ls, f->start - ls);
		strbuf_puts(&sb, t);
		strbuf_putc(&sb, '\n');
		free(t);
	}
	if (no_nl)
		sb.buf[--sb.len] = '\0'; /* the file ended without a newline: so does it still */
	lint_edit_add(ed, at, at, strbuf_take(&sb));
	strbuf_done(&sb);
	return 0;
}

/* Appends items (a JSON array) to array node arr in the file. -1 where it cannot. */
static int lint_edit_append(const struct lint_doc *d, const struct lint_unit *u,
			    struct lint_edits *ed, int arr, json_object *items)
{
	const struct jsonpos_node *a = &d->pos.nodes[arr];
	struct strbuf sb;
	size_t i;

	if (json_object_array_length(items) == 0)
		return 0;
	if (a->type != JSONPOS_ARRAY || a->unknown != NULL)
		return -1;
	if (d->fmt == LINT_FMT_YAML && a->block)
		return lint_edit_append_block(d, u, ed, arr, items);
	strbuf_init(&sb);
	for (i = 0; i < json_object_array_length(items); i++) {
		char *t = lint_json_text(u, json_object_array_get_idx(items, i));

		if (i > 0 || a->first_child >= 0)
			strbuf_puts(&sb, ", ");
		strbuf_puts(&sb, t);
		free(t);
	}
	if (a->first_child >= 0)
		lint_edit_add(ed, d->pos.nodes[a->last_child].end, d->pos.nodes[a->last_child].end,
			      strbuf_take(&sb));
	else
		lint_edit_add(ed, a->start + 1, a->start + 1, strbuf_take(&sb));
	strbuf_done(&sb);
	return 0;
}

/* The items of want (an array) that have[] lacks, by equal JSON (caps by name). */
static json_object *lint_missing(json_object *want, json_object *have)
{
	json_object *out = json_object_new_array();
	size_t i, k;

	for (i = 0; i < json_object_array_length(want); i++) {
		json_object *w = json_object_array_get_idx(want, i);

		for (k = 0; have != NULL && k < json_object_array_length(have); k++)
			if (jsonx_equal(w, json_object_array_get_idx(have, k)))
				break;
		if (have == NULL || k == json_object_array_length(have))
			json_object_array_add(out, json_object_get(w));
	}
	return out;
}

/* --cap-add/--device on container i: the members of linuxParameters it lacks, in the file. */
static int lint_fix_caps(const struct lint_doc *d, const struct lint_unit *u,
			 const struct lint_options *o, size_t i, json_object *wantc,
			 struct lint_edits *ed, struct lint_report *r)
{
	static const char *const path[][2] = {{"capabilities", "add"}, {"devices", NULL}};
	json_object *lpw = json_object_object_get(wantc, "linuxParameters");
	int cn = lint_container_node(u, (int)i), lp, k;
	char kb[32], *t;
	const char *cname = jsonx_str(wantc, "name") ? jsonx_str(wantc, "name") : "";

	lp = jsonpos_member(&d->pos, cn, "linuxParameters");
	if (lp < 0) {
		t = lint_json_text(u, lpw);
		lint_edit_member(d, ed, cn, lint_key(u, "linuxParameters", kb, sizeof kb), t);
		free(t);
		lint_fix_add(r, d->pos.nodes[cn].line,
			     "%s%scontainer \"%s\": linuxParameters added (%s)",
			     u->label ? u->label : "", u->label ? ": " : "", cname,
			     o->ncap_add ? "capabilities" : "devices");
		return 0;
	}
	for (k = 0; k < 2; k++) {
		json_object *w1 = json_object_object_get(lpw, path[k][0]), *w2, *miss;
		int n1, n2;

		if ((k == 0 && o->ncap_add == 0) || (k == 1 && o->ndevices == 0))
			continue;
		n1 = jsonpos_member(&d->pos, lp, path[k][0]);
		if (n1 < 0) {
			t = lint_json_text(u, w1);
			lint_edit_member(d, ed, lp, lint_key(u, path[k][0], kb, sizeof kb), t);
			free(t);
			lint_fix_add(r, d->pos.nodes[lp].line,
				     "%s%scontainer \"%s\": linuxParameters.%s added", LINT_LBL(u),
				     cname, path[k][0]);
			continue;
		}
		if (path[k][1] != NULL) {
			w2 = json_object_object_get(w1, path[k][1]);
			n2 = jsonpos_member(&d->pos, n1, path[k][1]);
			if (n2 < 0) {
				t = lint_json_text(u, w2);
				lint_edit_member(d, ed, n1, lint_key(u, path[k][1], kb, sizeof kb),
						 t);
				free(t);
				lint_fix_add(r, d->pos.nodes[n1].line,
					     "%s%scontainer \"%s\": linuxParameters.%s.%s added",
					     LINT_LBL(u), cname, path[k][0], path[k][1]);
				continue;
			}
		} else {
			w2 = w1;
			n2 = n1;
		}
		{
			json_object *have = jsonpos_to_json(&d->pos, n2);

			miss = lint_missing(w2, have);
			json_object_put(have);
		}
		if (lint_edit_append(d, u, ed, n2, miss)) {
			json_object_put(miss);
			return lint_fail(
			    r,
			    "%s%scontainer \"%s\": line %d: --fix cannot add to this list "
			    "(an expression, or a layout --fix does not edit): add %s there by "
			    "hand; "
			    "the file is unchanged",
			    LINT_LBL(u), cname, d->pos.nodes[n2].line,
			    k == 0 ? "the capabilities" : "the devices");
		}
		if (json_object_array_length(miss) > 0)
			lint_fix_add(
			    r, d->pos.nodes[n2].line,
			    "%s%scontainer \"%s\": %s added to linuxParameters.%s%s%s", LINT_LBL(u),
			    cname,
			    json_object_to_json_string_ext(
				miss, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			    path[k][0], path[k][1] ? "." : "", path[k][1] ? path[k][1] : "");
		json_object_put(miss);
	}
	return 0;
}

/* --user on a container that mounts the Docker socket: it talks to the daemon, which needs
 * access to the socket (root or its group), not privileged. */
static void lint_note_docker_sock(const struct lint_unit *u, struct lint_report *r)
{
	json_object *vols = jsonx_array(u->taskdef, "volumes");
	json_object *cds = jsonx_array(u->taskdef, "containerDefinitions");
	size_t i, k, m;

	for (i = 0; vols != NULL && i < json_object_array_length(vols); i++) {
		json_object *v = json_object_array_get_idx(vols, i);
		const char *src = jsonx_str(jsonx_obj(v, "host"), "sourcePath");
		const char *name = jsonx_str(v, "name");

		if (src == NULL || name == NULL || strstr(src, "docker.sock") == NULL)
			continue;
		for (k = 0; cds != NULL && k < json_object_array_length(cds); k++) {
			json_object *c = json_object_array_get_idx(cds, k);
			json_object *mps = jsonx_array(c, "mountPoints");

			for (m = 0; mps != NULL && m < json_object_array_length(mps); m++) {
				const char *sv =
				    jsonx_str(json_object_array_get_idx(mps, m), "sourceVolume");

				if (sv != NULL && strcmp(sv, name) == 0)
					lint_note(
					    r,
					    "%s%scontainer \"%s\" mounts %s: it talks to the "
					    "Docker daemon, which needs access to the socket (root "
					    "or the socket's group), not privileged; check --user "
					    "can still reach it",
					    LINT_LBL(u), lint_cname(c), src);
			}
		}
	}
}

/* Computes the edits of --fix for one unit, in the same order of ideas as transform_build. */
static int lint_fix_edits(const struct lint_doc *d, const struct lint_unit *u,
			  const struct lint_options *o, enum transform_network net,
			  json_object *want, struct lint_edits *ed, struct lint_report *r)
{
	json_object *wcds = jsonx_array(want, "containerDefinitions");
	json_object *cds = jsonx_array(u->taskdef, "containerDefinitions");
	size_t i, n = json_object_array_length(cds);
	const char *lbl = u->label ? u->label : "", *sep = u->label ? ": " : "";
	char kb[32];

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		int m;

		if (jsonx_bool(c, "privileged") != 1)
			continue;
		m = jsonpos_member(&d->pos, lint_container_node(u, (int)i), "privileged");
		lint_edit_value(d, ed, m, "false");
		lint_fix_add(r, d->pos.nodes[m].line,
			     "%s%scontainer \"%s\": privileged true -> false", lbl, sep,
			     lint_cname(c));

		if ((o->ncap_add > 0 || o->ndevices > 0) &&
		    lint_fix_caps(d, u, o, i, json_object_array_get_idx(wcds, i), ed, r))
			return -1;
	}
	if (net != TRANSFORM_NET_KEEP)
		lint_fix_network(d, u, net, ed, r);
	if (o->user == NULL || rules_is_windows(u->taskdef))
		return 0;
	lint_note_docker_sock(u, r);
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		json_object *js = json_object_new_string(o->user);
		const char *cur = jsonx_str(c, "user");
		const char *quoted =
		    json_object_to_json_string_ext(js, JSON_C_TO_STRING_NOSLASHESCAPE);
		int cn = lint_container_node(u, (int)i), m;

		if (rules_user_is_root(cur)) {
			m = jsonpos_member(&d->pos, cn, "user");
			if (m >= 0) {
				lint_edit_value(d, ed, m, quoted);
				lint_fix_add(r, d->pos.nodes[m].line,
					     "%s%scontainer \"%s\": user %.*s -> %s", lbl, sep,
					     lint_cname(c),
					     (int)(d->pos.nodes[m].end - d->pos.nodes[m].start),
					     d->pos.buf + d->pos.nodes[m].start, quoted);
			} else {
				lint_edit_member(d, ed, cn, lint_key(u, "user", kb, sizeof kb),
						 quoted);
				lint_fix_add(r, d->pos.nodes[cn].line,
					     "%s%scontainer \"%s\": user (not set) -> %s", lbl, sep,
					     lint_cname(c), quoted);
			}
		}
		json_object_put(js);
	}
	return 0;
}

static int lint_edit_cmp(const void *a, const void *b)
{
	const struct lint_edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq; /* inserts at one place: in order */
}

/* Applies the edits in order of position; -1 if two edits overlap. */
static int lint_edits_apply(const char *buf, size_t len, struct lint_edits *ed, char **out,
			    size_t *out_len)
{
	struct strbuf sb;
	size_t i, at = 0;

	qsort(ed->v, ed->n, sizeof(*ed->v), lint_edit_cmp);
	strbuf_init(&sb);
	for (i = 0; i < ed->n; i++) {
		struct lint_edit *x = &ed->v[i];

		if (x->start < at) {
			strbuf_done(&sb);
			return -1;
		}
		strbuf_append(&sb, buf + at, x->start - at);
		strbuf_puts(&sb, x->text);
		at = x->end;
	}
	strbuf_append(&sb, buf + at, len - at);
	*out_len = sb.len;
	*out = strbuf_take(&sb);
	strbuf_done(&sb);
	return 0;
}

/* What the transform starts from; a bare container list is wrapped with the network mode the
 * fix converts from (src) or to. */
static json_object *lint_semantic(const struct lint_doc *d, const struct lint_unit *u,
				  const char *mode)
{
	json_object *w;

	if (d->shape != LINT_SHAPE_CONTAINERS)
		return json_object_get(u->input);
	w = json_object_new_object();
	if (mode != NULL)
		json_object_object_add(w, "networkMode", json_object_new_string(mode));
	json_object_object_add(
	    w, "containerDefinitions",
	    json_object_get(json_object_object_get(u->input, "containerDefinitions")));
	return w;
}

/* The network option for a unit: kept when its network mode is not known here. */
static enum transform_network lint_unit_net(const struct lint_doc *d, const struct lint_unit *u,
					    const struct lint_options *o, struct lint_report *r)
{
	int m = jsonpos_member(&d->pos, u->task_node, "networkMode");

	if (o->network_mode == TRANSFORM_NET_KEEP)
		return TRANSFORM_NET_KEEP;
	if (m >= 0 && d->pos.nodes[m].unknown != NULL) {
		lint_note(r, "%s%snetworkMode is %s: not changed (set it where it is decided)",
			  u->label ? u->label : "", u->label ? ": " : "", d->pos.nodes[m].unknown);
		return TRANSFORM_NET_KEEP;
	}
	return o->network_mode;
}

/* A reason the options cannot apply to unit u (-1, r->error set), else 0. */
static int lint_fix_refuse(const struct lint_unit *u, const struct lint_options *o,
			   enum transform_network net, struct lint_report *r)
{
	json_object *rq = jsonx_array(u->taskdef, "requiresCompatibilities");
	size_t k;

	for (k = 0; net == TRANSFORM_NET_AWSVPC && rq != NULL && k < json_object_array_length(rq);
	     k++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(rq, k)), "EXTERNAL") ==
		    0)
			return lint_fail(
			    r,
			    "%s%s--network-mode awsvpc: this task definition requires "
			    "EXTERNAL (ECS Anywhere), which does not support awsvpc (use "
			    "--network-mode bridge); it is unchanged",
			    LINT_LBL(u));
	if ((o->ncap_add > 0 || o->ndevices > 0) && rules_is_fargate(u->taskdef) &&
	    (!caps_fargate_ok(o->cap_add, o->ncap_add) || o->ndevices > 0))
		return lint_fail(r,
				 "%s%sFargate accepts only --cap-add " CAPS_FARGATE_ONLY
				 " and no --device; the file is unchanged",
				 LINT_LBL(u));
	return 0;
}

/* The expected result for unit u (want, from the transform plus --cap-add/--device) and the
 * edits that should give it. */
static int lint_fix_unit(const struct lint_doc *d, const struct lint_unit *u,
			 const struct lint_options *o, enum transform_network net,
			 struct transform_result *want, struct lint_edits *ed,
			 struct lint_report *r)
{
	struct transform_options to = {.user = o->user, .network_mode = net};
	json_object *in, *wc, *hc;
	struct err e;
	size_t k;

	err_clear(&e);
	if (lint_fix_refuse(u, o, net, r))
		return -1;
	in = lint_semantic(d, u, net != TRANSFORM_NET_KEEP ? "host" : NULL);
	if (transform_build(in, &to, want, &e)) {
		json_object_put(in);
		return lint_fail(r, "%s%s%s%s%s%s", LINT_LBL(u), e.msg, e.hint[0] ? " (" : "",
				 e.hint, e.hint[0] ? ")" : "");
	}
	json_object_put(in);
	for (k = 0; k < want->nnotes; k++)
		if (d->shape != LINT_SHAPE_CONTAINERS || strstr(want->notes[k], "subnets") == NULL)
			lint_note(r, "%s%s%s", LINT_LBL(u), want->notes[k]);
	wc = jsonx_array(want->request, "containerDefinitions");
	hc = jsonx_array(u->taskdef, "containerDefinitions");
	for (k = 0; hc != NULL && k < json_object_array_length(hc); k++)
		if (jsonx_bool(json_object_array_get_idx(hc, k), "privileged") == 1 &&
		    caps_apply(json_object_array_get_idx(wc, k), o->cap_add, o->ncap_add,
			       o->devices, o->ndevices, &e))
			return lint_fail(r, "%s%s--cap-add/--device: %s; the file is unchanged",
					 LINT_LBL(u), e.msg);
	return lint_fix_edits(d, u, o, net, want->request, ed, r);
}

/* Refuses edits of a template that would take a %{} directive with them. */
static int lint_fix_directives(const char *buf, const struct lint_doc *d,
			       const struct lint_edits *ed, struct lint_report *r)
{
	size_t i;

	for (i = 0; d->masked != NULL && i < ed->n; i++)
		if (ed->v[i].end > ed->v[i].start &&
		    memmem(buf + ed->v[i].start, ed->v[i].end - ed->v[i].start, "%{", 2) != NULL)
			return lint_fail(
			    r,
			    "--fix would remove a template directive (%%{...}) at line "
			    "%d with the value it changes: edit that part of the template "
			    "by hand; it is unchanged",
			    jsonpos_line_of(&d->pos, ed->v[i].start));
	return 0;
}

/* Reads the edited file back: each unit must be what the transform wants. */
static int lint_fix_verify(const char *name, const char *fixed, size_t fixed_len,
			   const struct lint_doc *d, const struct lint_options *o,
			   const struct transform_result *want, const enum transform_network *nets,
			   struct lint_report *r)
{
	static const char *const mode[] = {NULL, "bridge", "awsvpc"};
	struct lint_doc d2;
	struct lint_report r2;
	struct err e;
	size_t i;
	int same;

	err_clear(&e);
	lint_report_init(&r2);
	if (lint_doc_parse(name, fixed, fixed_len, o, &d2, &r2)) {
		lint_doc_done(&d2);
		lint_fail(r,
			  "ecsfix could not fix this file safely (the edited file does not read "
			  "back: %s); it is unchanged",
			  r2.err.msg);
		lint_report_done(&r2);
		return -1;
	}
	same = d2.nunits == d->nunits;
	for (i = 0; same && i < d->nunits; i++) {
		json_object *got = NULL, *sem = lint_semantic(&d2, &d2.units[i], mode[nets[i]]);

		same = transform_register_input(sem, &got, &e) == 0 &&
		       jsonx_equal(got, want[i].request);
		json_object_put(sem);
		json_object_put(got);
	}
	lint_doc_done(&d2);
	lint_report_done(&r2);
	if (!same)
		return lint_fail(r,
				 "ecsfix could not fix this file safely (the edited file differs "
				 "from the expected result); it is unchanged");
	return 0;
}

/* --fix: the edits, applied, then checked against the transform of the same documents. */
static int lint_fix(const char *name, const char *buf, size_t len, const struct lint_doc *d,
		    const struct lint_options *o, struct lint_report *r, char **fixed,
		    size_t *fixed_len)
{
	struct lint_edits ed;
	struct transform_result *want = xcalloc(d->nunits + 1, sizeof(*want));
	enum transform_network *nets = xcalloc(d->nunits + 1, sizeof(*nets));
	size_t i;
	int rc = -1;

	memset(&ed, 0, sizeof(ed));
	for (i = 0; i < d->nunits; i++)
		transform_result_init(&want[i]);
	if (d->nofix != NULL) {
		lint_note(r, "--fix does not apply: %s", d->nofix);
		rc = 0;
		goto out;
	}
	for (i = 0; i < d->nunits; i++) {
		nets[i] = lint_unit_net(d, &d->units[i], o, r);
		if (lint_fix_unit(d, &d->units[i], o, nets[i], &want[i], &ed, r))
			goto out;
	}
	ed.nmarked = d->pos.n;
	ed.marked = xcalloc(d->pos.n + 1, 1);
	for (i = 0; i < ed.ndels; i++)
		ed.marked[ed.dels[i]] = 1;
	lint_edits_deletions(&ed, &d->pos);
	if (ed.n == 0) {
		rc = 0;
		goto out;
	}
	if (lint_fix_directives(buf, d, &ed, r))
		goto out;
	if (lint_edits_apply(buf, len, &ed, fixed, fixed_len)) {
		lint_fail(r, "ecsfix could not fix this file safely (internal: overlapping edits); "
			     "it is unchanged");
		goto out;
	}
	rc = lint_fix_verify(name, *fixed, *fixed_len, d, o, want, nets, r);
out:
	if (rc) {
		free(*fixed);
		*fixed = NULL;
		*fixed_len = 0;
	}
	for (i = 0; i < ed.n; i++)
		free(ed.v[i].text);
	free(ed.v);
	free(ed.dels);
	free(ed.marked);
	for (i = 0; i < d->nunits; i++)
		transform_result_done(&want[i]);
	free(want);
	free(nets);
	return rc;
}

int lint_buffer_named(const char *name, const char *buf, size_t len, const struct lint_options *o,
		      struct lint_report *r, char **fixed, size_t *fixed_len)
{
	struct lint_doc d, d2;
	size_t skip = 0, i;
	int rc;

	*fixed = NULL;
	*fixed_len = 0;
	/* A UTF-8 byte order mark is kept as it is but not parsed. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	if (lint_check(name, buf + skip, len - skip, o, r, &d))
		return -1;
	for (i = 0; i < d.ntf; i++) {
		if (d.tf[i].ref_path == NULL)
			continue;
		r->refs = xreallocarray(r->refs, r->nrefs + 1, sizeof(*r->refs));
		r->ref_vias = xreallocarray(r->ref_vias, r->nrefs + 1, sizeof(*r->ref_vias));
		r->refs[r->nrefs] = xstrdup(d.tf[i].ref_path);
		r->ref_vias[r->nrefs] = xstrdup(d.tf[i].address);
		r->nrefs++;
	}
	if (!o->fix) {
		lint_doc_done(&d);
		return 0;
	}
	rc = lint_fix(name, buf + skip, len - skip, &d, o, r, fixed, fixed_len);
	lint_doc_done(&d);
	LINT_SORT_BY_LINE(r->fixes, r->nfixes, struct lint_fix);
	if (rc || *fixed == NULL)
		return rc;
	if (skip) {
		char *with = xmalloc(*fixed_len + skip + 1);

		memcpy(with, buf, skip);
		memcpy(with + skip, *fixed, *fixed_len + 1);
		free(*fixed);
		*fixed = with;
		*fixed_len += skip;
	}
	/* Report what is left, at the lines of the fixed file. */
	lint_findings_free(r);
	if (lint_check(name, *fixed + skip, *fixed_len - skip, o, r, &d2)) {
		free(*fixed);
		*fixed = NULL;
		return -1;
	}
	lint_doc_done(&d2);
	return 0;
}

int lint_buffer(const char *buf, size_t len, const struct lint_options *o, struct lint_report *r,
		char **fixed, size_t *fixed_len)
{
	return lint_buffer_named(NULL, buf, len, o, r, fixed, fixed_len);
}

/* Removes dir/base.ecsfix-tmp.PID files that a killed --fix left (their process is gone). */
static void lint_clean_tmp(const char *path, struct lint_report *r)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash != NULL ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup("./");
	const char *base = slash != NULL ? slash + 1 : path;
	char *prefix = xasprintf("%s.ecsfix-tmp.", base);
	size_t pl = strlen(prefix);
	DIR *dp = opendir(dir);
	struct dirent *de;

	while (dp != NULL && (de = readdir(dp)) != NULL) {
		const char *p = de->d_name + pl;
		char *end, *full;
		long pid;

		if (strncmp(de->d_name, prefix, pl) != 0 || !isdigit((unsigned char)*p))
			continue;
		pid = strtol(p, &end, 10);
		if (*end != '\0' || pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		full = xasprintf("%s%s", dir, de->d_name);
		if (unlink(full) == 0)
			lint_note(r, "removed %s, left by an interrupted --fix", full);
		free(full);
	}
	if (dp != NULL)
		closedir(dp);
	free(prefix);
	free(dir);
}

/* Writes the fixed file: atomically (a new inode) keeping mode and owner, or in place when the
 * file has other hard links. */
static int lint_write(const char *target, const char *path, const struct stat *st, const char *data,
		      size_t len, struct lint_report *r)
{
	struct err e;

	err_clear(&e);
	if (st->st_nlink > 1) {
		int fd = open(target, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		size_t off = 0;

		if (fd < 0)
			return lint_fail(r, "%s: cannot write the fixed file: %s", path,
					 strerror(errno));
		while (off < len) {
			ssize_t w = write(fd, data + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int en = errno;

				close(fd);
				return lint_fail(r,
						 "%s: writing in place failed after %zu bytes: %s "
						 "(the file may be partly written)",
						 path, off, strerror(en));
			}
			off += (size_t)w;
		}
		if (ftruncate(fd, (off_t)len) != 0 || fsync(fd) != 0) {
			int en = errno;

			close(fd);
			return lint_fail(r, "%s: cannot finish writing in place: %s", path,
					 strerror(en));
		}
		close(fd);
		lint_note(r,
			  "%s has %lu hard links: written in place so every link sees the fix "
			  "(not atomic)",
			  path, (unsigned long)st->st_nlink);
		return 0;
	}
	if (file_write_atomic(target, data, len, st->st_mode & 07777, 1, &e)) {
		const char *why = strstr(e.msg, ": cannot ");

		return lint_fail(r, "%s: cannot write the fixed file:%s", path,
				 why != NULL ? why + 1 : e.msg);
	}
	if (chown(target, st->st_uid, st->st_gid) != 0) {
		struct stat now;

		if (stat(target, &now) == 0 &&
		    (now.st_uid != st->st_uid || now.st_gid != st->st_gid))
			lint_note(r, "%s: the fixed file belongs to %lu:%lu now (was %lu:%lu): %s",
				  path, (unsigned long)now.st_uid, (unsigned long)now.st_gid,
				  (unsigned long)st->st_uid, (unsigned long)st->st_gid,
				  strerror(errno));
	}
	return 0;
}

/* Reads a regular file without blocking on what is not one (a FIFO swapped in after stat). */
static int lint_read(const char *path, char **buf, size_t *len, struct lint_report *r)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	struct strbuf sb;
	char chunk[65536];

	if (fd < 0)
		return lint_fail(r, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return lint_fail(r, "%s: not a regular file: ecsfix lints files", path);
	}
	strbuf_init(&sb);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int en = errno;

			close(fd);
			strbuf_done(&sb);
			return lint_fail(r, "%s: %s", path, strerror(en));
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > LINT_MAX_BYTES) {
			close(fd);
			strbuf_done(&sb);
			return lint_fail(
			    r,
			    "%s: too large (over %zu MiB; task definitions are at most "
			    "64 KiB)",
			    path, LINT_MAX_BYTES >> 20);
		}
		strbuf_append(&sb, chunk, (size_t)n);
	}
	close(fd);
	*len = sb.len;
	*buf = strbuf_take(&sb);
	strbuf_done(&sb);
	return 0;
}

int lint_file(const char *path, const struct lint_options *o, struct lint_report *r)
{
	char *buf = NULL, *fixed = NULL, *real = NULL;
	size_t len, fixed_len;
	struct stat st;
	struct err e;
	int rc = -1;

	r->path = xstrdup(path);
	err_clear(&e);
	if (stat(path, &st) != 0) {
		lint_fail(r, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		lint_fail(r, "%s: not a regular file (%s): ecsfix lints files", path,
			  S_ISFIFO(st.st_mode)   ? "a FIFO"
			  : S_ISDIR(st.st_mode)  ? "a directory"
			  : S_ISCHR(st.st_mode)  ? "a character device"
			  : S_ISBLK(st.st_mode)  ? "a block device"
			  : S_ISSOCK(st.st_mode) ? "a socket"
						 : "not a plain file");
		goto out;
	}
	/* Write through a symbolic link to the file it names. */
	real = realpath(path, NULL);
	if (o->fix)
		lint_clean_tmp(real != NULL ? real : path, r);
	if (lint_read(path, &buf, &len, r))
		goto out;
	if (lint_buffer_named(path, buf, len, o, r, &fixed, &fixed_len)) {
		err_prefix(&r->err, "%s", path);
		goto out;
	}
	lint_exc_apply(path, o, r);
	if (fixed != NULL) {
		if (lint_write(real != NULL ? real : path, path, &st, fixed, fixed_len, r))
			goto out;
		r->written = 1;
	}
	rc = 0;
out:
	free(real);
	free(buf);
	free(fixed);
	return rc;
}

static const char *lint_status_name(enum lint_status s)
{
	return s == LINT_UNKNOWN ? "UNKNOWN" : s == LINT_EXCEPTED ? "EXCEPTED" : "FAILED";
}

json_object *lint_reports_json(const struct lint_report *r, size_t n, const struct lint_options *o)
{
	json_object *doc = json_object_new_object(), *files = json_object_new_array();
	json_object *summary = json_object_new_object();
	size_t i, k, nfind = 0, ndec = 0, nerr = 0, nfixed = 0;

	for (i = 0; i < n; i++) {
		json_object *f = json_object_new_object(), *arr = json_object_new_array();

		json_object_object_add(f, "file",
				       json_object_new_string(r[i].path ? r[i].path : ""));
		if (r[i].error) {
			nerr++;
			json_object_object_add(f, "error", json_object_new_string(r[i].err.msg));
			if (r[i].err_line > 0)
				json_object_object_add(f, "line",
						       json_object_new_int(r[i].err_line));
			if (r[i].via != NULL)
				json_object_object_add(f, "loadedBy",
						       json_object_new_string(r[i].via));
			json_object_array_add(files, f);
			json_object_put(arr);
			continue;
		}
		json_object_object_add(f, "shape",
				       json_object_new_string(lint_shape_name(r[i].shape)));
		json_object_object_add(f, "templated", json_object_new_boolean(r[i].templated));
		if (r[i].via != NULL)
			json_object_object_add(f, "loadedBy", json_object_new_string(r[i].via));
		for (k = 0; k < r[i].nfindings; k++) {
			const struct lint_finding *x = &r[i].findings[k];
			const struct rule_def *def = rules_find(x->control);
			json_object *j = json_object_new_object();

			json_object_object_add(j, "control", json_object_new_string(x->control));
			json_object_object_add(j, "severity",
					       json_object_new_string(def->severity));
			json_object_object_add(j, "decides", json_object_new_boolean(x->decides));
			json_object_object_add(
			    j, "container",
			    x->container != NULL ? json_object_new_string(x->container) : NULL);
			json_object_object_add(j, "line", json_object_new_int(x->line));
			json_object_object_add(j, "reason", json_object_new_string(x->reason));
			json_object_object_add(j, "status",
					       json_object_new_string(lint_status_name(x->status)));
			if (x->resource != NULL)
				json_object_object_add(j, "resource",
						       json_object_new_string(x->resource));
			if (x->exc_reason != NULL) {
				json_object *ex = json_object_new_object();

				json_object_object_add(ex, "reason",
						       json_object_new_string(x->exc_reason));
				json_object_object_add(ex, "approvedBy",
						       x->exc_by ? json_object_new_string(x->exc_by)
								 : NULL);
				json_object_object_add(
				    ex, "until",
				    x->exc_until ? json_object_new_string(x->exc_until) : NULL);
				json_object_object_add(ex, "expired",
						       json_object_new_boolean(x->exc_expired));
				json_object_object_add(j, "exception", ex);
			}
			json_object_array_add(arr, j);
			nfind++;
			ndec += x->decides != 0;
		}
		json_object_object_add(f, "findings", arr);
		if (o->fix) {
			arr = json_object_new_array();
			for (k = 0; k < r[i].nfixes; k++) {
				json_object *j = json_object_new_object();

				json_object_object_add(j, "line",
						       json_object_new_int(r[i].fixes[k].line));
				json_object_object_add(j, "change",
						       json_object_new_string(r[i].fixes[k].what));
				json_object_array_add(arr, j);
			}
			json_object_object_add(f, "fixes", arr);
			json_object_object_add(f, "written", json_object_new_boolean(r[i].written));
			nfixed += r[i].written != 0;
		}
		arr = json_object_new_array();
		for (k = 0; k < r[i].nnotes; k++)
			json_object_array_add(arr, json_object_new_string(r[i].notes[k]));
		json_object_object_add(f, "notes", arr);
		json_object_array_add(files, f);
	}
	json_object_object_add(doc, "files", files);
	json_object_object_add(summary, "files", json_object_new_int64((int64_t)n));
	json_object_object_add(summary, "findings", json_object_new_int64((int64_t)nfind));
	json_object_object_add(summary, "deciding", json_object_new_int64((int64_t)ndec));
	json_object_object_add(summary, "errors", json_object_new_int64((int64_t)nerr));
	if (o->fix)
		json_object_object_add(summary, "filesFixed",
				       json_object_new_int64((int64_t)nfixed));
	json_object_object_add(doc, "summary", summary);
	return doc;
}

/* A relative or absolute path as a SARIF artifact URI (RFC 3986 percent-encoding). */
static char *lint_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb;
	const unsigned char *p;
	char *out;

	strbuf_init(&sb);
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL) {
			strbuf_putc(&sb, (char)*p);
		} else {
			strbuf_putc(&sb, '%');
			strbuf_putc(&sb, hex[*p >> 4]);
			strbuf_putc(&sb, hex[*p & 15]);
		}
	}
	out = strbuf_take(&sb);
	strbuf_done(&sb);
	return out;
}

static json_object *lint_text_obj(const char *text)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "text", json_object_new_string(text));
	return o;
}

/* The SARIF rule of each control; chosen ones default to level error. */
static json_object *lint_sarif_rules(const struct lint_options *o)
{
	json_object *rules = json_object_new_array();
	size_t i;

	for (i = 0; i < rules_count(); i++) {
		const struct rule_def *def = rules_get(i);
		json_object *ru = json_object_new_object(), *cfg = json_object_new_object();
		json_object *props = json_object_new_object(), *tags = json_object_new_array();
		char *anchor = xasprintf("https://docs.aws.amazon.com/securityhub/latest/userguide/"
					 "ecs-controls.html#ecs-%s",
					 def->id + 4);
		int decides = (o->controls & (1u << i)) != 0;

		json_object_object_add(ru, "id", json_object_new_string(def->id));
		json_object_object_add(ru, "name", json_object_new_string(def->title));
		json_object_object_add(ru, "shortDescription", lint_text_obj(def->title));
		json_object_object_add(ru, "fullDescription", lint_text_obj(def->help));
		json_object_object_add(ru, "helpUri", json_object_new_string(anchor));
		json_object_object_add(cfg, "level",
				       json_object_new_string(decides ? "error" : "note"));
		json_object_object_add(ru, "defaultConfiguration", cfg);
		json_object_array_add(tags, json_object_new_string("security"));
		json_object_object_add(props, "tags", tags);
		json_object_object_add(
		    props, "security-severity",
		    json_object_new_string(strcmp(def->severity, "HIGH") == 0     ? "8.0"
					   : strcmp(def->severity, "MEDIUM") == 0 ? "5.0"
										  : "3.0"));
		json_object_object_add(ru, "properties", props);
		json_object_array_add(rules, ru);
		free(anchor);
	}
	return rules;
}

/* A location in file uri at line (0: the file only), with the resource when known. */
static json_object *lint_sarif_location(const char *uri, int line, const char *resource)
{
	json_object *loc = json_object_new_object(), *pl = json_object_new_object();
	json_object *al = json_object_new_object();

	json_object_object_add(al, "uri", json_object_new_string(uri));
	json_object_object_add(pl, "artifactLocation", al);
	if (line > 0) {
		json_object *reg = json_object_new_object();

		json_object_object_add(reg, "startLine", json_object_new_int(line));
		json_object_object_add(pl, "region", reg);
	}
	json_object_object_add(loc, "physicalLocation", pl);
	if (resource != NULL) {
		json_object *ll = json_object_new_array(), *l1 = json_object_new_object();

		json_object_object_add(l1, "name", json_object_new_string(resource));
		json_object_object_add(l1, "kind", json_object_new_string("resource"));
		json_object_array_add(ll, l1);
		json_object_object_add(loc, "logicalLocations", ll);
	}
	return loc;
}

/* One finding as a SARIF result: UNKNOWN a warning of kind review, EXCEPTED suppressed. */
static json_object *lint_sarif_result(const struct lint_finding *x, const char *uri)
{
	json_object *res = json_object_new_object(), *locs = json_object_new_array();
	char *msg = xasprintf("%s%s%s%s%s%s%s", x->resource ? "resource " : "",
			      x->resource ? x->resource : "", x->resource ? " " : "",
			      x->container ? "container \"" : "", x->container ? x->container : "",
			      x->container ? "\": " : "", x->reason);

	json_object_object_add(res, "ruleId", json_object_new_string(x->control));
	json_object_object_add(res, "ruleIndex", json_object_new_int(rules_index(x->control)));
	json_object_object_add(res, "level",
			       json_object_new_string(x->decides                  ? "error"
						      : x->status == LINT_UNKNOWN ? "warning"
										  : "note"));
	json_object_object_add(
	    res, "kind", json_object_new_string(x->status == LINT_UNKNOWN ? "review" : "fail"));
	json_object_object_add(res, "message", lint_text_obj(msg));
	if (x->status == LINT_EXCEPTED) {
		json_object *sups = json_object_new_array(), *sup = json_object_new_object();

		json_object_object_add(sup, "kind", json_object_new_string("external"));
		json_object_object_add(sup, "justification", json_object_new_string(x->exc_reason));
		json_object_array_add(sups, sup);
		json_object_object_add(res, "suppressions", sups);
	}
	json_object_array_add(locs, lint_sarif_location(uri, x->line, x->resource));
	json_object_object_add(res, "locations", locs);
	free(msg);
	return res;
}

json_object *lint_reports_sarif(const struct lint_report *r, size_t n, const struct lint_options *o)
{
	json_object *doc = json_object_new_object(), *runs = json_object_new_array();
	json_object *run = json_object_new_object(), *tool = json_object_new_object();
	json_object *driver = json_object_new_object();
	json_object *results = json_object_new_array(), *inv = json_object_new_object();
	json_object *notes = json_object_new_array(), *invs = json_object_new_array();
	size_t i, k, nerr = 0;

	json_object_object_add(
	    doc, "$schema",
	    json_object_new_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_object_add(doc, "version", json_object_new_string("2.1.0"));
	json_object_object_add(driver, "name", json_object_new_string("ecsfix"));
	json_object_object_add(driver, "version", json_object_new_string(version_string()));
	json_object_object_add(
	    driver, "informationUri",
	    json_object_new_string(
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html"));
	json_object_object_add(driver, "rules", lint_sarif_rules(o));
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);
	for (i = 0; i < n; i++) {
		char *uri = lint_uri(r[i].path ? r[i].path : "");

		if (r[i].error) {
			json_object *nt = json_object_new_object(), *locs = json_object_new_array();

			nerr++;
			json_object_object_add(nt, "level", json_object_new_string("error"));
			json_object_object_add(nt, "message", lint_text_obj(r[i].err.msg));
			json_object_array_add(locs, lint_sarif_location(uri, r[i].err_line, NULL));
			json_object_object_add(nt, "locations", locs);
			json_object_array_add(notes, nt);
		}
		for (k = 0; !r[i].error && k < r[i].nfindings; k++)
			json_object_array_add(results, lint_sarif_result(&r[i].findings[k], uri));
		free(uri);
	}
	json_object_object_add(run, "results", results);
	json_object_object_add(inv, "executionSuccessful", json_object_new_boolean(nerr == 0));
	json_object_object_add(inv, "toolExecutionNotifications", notes);
	json_object_array_add(invs, inv);
	json_object_object_add(run, "invocations", invs);
	json_object_array_add(runs, run);
	json_object_object_add(doc, "runs", runs);
	return doc;
}
