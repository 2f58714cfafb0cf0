/* lint.c: 'ecsfix lint': check task-definition files, report lines, fix them byte for byte. */
#include "config.h"

#include "core/lint.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonpos.h"
#include "core/version.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* One byte edit of the file: replace [start, end) with text ("" deletes, start == end inserts). */
struct lint_edit {
	size_t start, end;
	char *text;
};

struct lint_edits {
	struct lint_edit *v;
	size_t n;
	int *dels; /* members to delete (node indices) */
	size_t ndels;
};

/* A parsed file: the json-c document, positions and where the task and containers are. */
struct lint_doc {
	json_object *root;
	json_object *taskdef; /* owned reference: the task definition rules see */
	struct jsonpos_doc pos;
	enum lint_shape shape;
	int task_node;   /* -1 for a bare container list */
	int cds_node;    /* -1 when there are no container definitions */
	int *containers; /* node of each container definition, in order */
	size_t ncontainers;
};

void lint_report_init(struct lint_report *r)
{
	memset(r, 0, sizeof(*r));
	err_clear(&r->err);
}

void lint_report_done(struct lint_report *r)
{
	size_t i;

	free(r->path);
	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].container);
		free(r->findings[i].reason);
	}
	free(r->findings);
	for (i = 0; i < r->nfixes; i++)
		free(r->fixes[i].what);
	free(r->fixes);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
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
	case LINT_SHAPE_UNKNOWN:
	default:
		return "unknown";
	}
}

size_t lint_report_deciding(const struct lint_report *r)
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

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t lint_utf8_bad(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return i;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

static void lint_doc_done(struct lint_doc *d)
{
	json_object_put(d->root);
	json_object_put(d->taskdef);
	free(d->containers);
	jsonpos_done(&d->pos);
	memset(d, 0, sizeof(*d));
}

/* Parses and classifies buf; on failure r->error is set. */
static int lint_doc_parse(const char *buf, size_t len, struct lint_doc *d, struct lint_report *r)
{
	struct err e;
	size_t bad, i;
	json_object *cds;

	memset(d, 0, sizeof(*d));
	d->task_node = -1;
	d->cds_node = -1;
	err_clear(&e);
	for (i = 0; i < len && strchr(" \t\r\n", buf[i]) != NULL; i++)
		;
	if (i == len)
		return lint_fail(r, "empty file (expected a task definition in JSON)");
	bad = lint_utf8_bad((const unsigned char *)buf, len);
	if (bad < len) {
		int line = 1;

		for (i = 0; i < bad; i++)
			line += buf[i] == '\n';
		return lint_fail(r, "not UTF-8 text (invalid byte 0x%02x at line %d)",
				 (unsigned char)buf[bad], line);
	}
	if (memchr(buf, '\0', len) != NULL)
		return lint_fail(r, "not a text file (it contains NUL bytes)");
	if (jsonx_parse(buf, len, &d->root, &e))
		return lint_fail(r, "not valid JSON: %s", e.msg);
	if (jsonpos_parse(buf, len, &d->pos, &e)) {
		lint_doc_done(d);
		return lint_fail(r, "not valid JSON (RFC 8259): %s", e.msg);
	}
	if (json_object_is_type(d->root, json_type_array)) {
		size_t n = json_object_array_length(d->root);

		for (i = 0; i < n; i++)
			if (!json_object_is_type(json_object_array_get_idx(d->root, i),
						 json_type_object))
				break;
		if (n == 0 || i < n) {
			lint_doc_done(d);
			return lint_fail(r, "wrong shape: %s",
					 n == 0 ? "an empty array"
						: "an array whose items are "
						  "not all container "
						  "definitions (objects)");
		}
		d->shape = LINT_SHAPE_CONTAINERS;
		d->cds_node = 0;
		d->taskdef = json_object_new_object();
		json_object_object_add(d->taskdef, "containerDefinitions",
				       json_object_get(d->root));
	} else if (jsonx_obj(d->root, "taskDefinition") != NULL) {
		d->shape = LINT_SHAPE_DESCRIBE;
		d->task_node = jsonpos_member(&d->pos, 0, "taskDefinition");
		d->taskdef = json_object_get(jsonx_obj(d->root, "taskDefinition"));
	} else if (jsonx_array(d->root, "containerDefinitions") != NULL) {
		d->shape = LINT_SHAPE_REGISTER;
		d->task_node = 0;
		d->taskdef = json_object_get(d->root);
	} else {
		lint_doc_done(d);
		return lint_fail(r,
				 "wrong shape: not a task definition (expected an object with "
				 "\"containerDefinitions\", {\"taskDefinition\": ...} or an array "
				 "of container definitions)");
	}
	if (d->task_node >= 0)
		d->cds_node = jsonpos_member(&d->pos, d->task_node, "containerDefinitions");
	cds = jsonx_array(d->taskdef, "containerDefinitions");
	for (i = 0; cds != NULL && i < json_object_array_length(cds); i++)
		if (!json_object_is_type(json_object_array_get_idx(cds, i), json_type_object))
			break;
	if (cds == NULL || i < json_object_array_length(cds)) {
		lint_doc_done(d);
		return lint_fail(r, "wrong shape: containerDefinitions is not an array of objects");
	}
	if (d->cds_node >= 0) {
		int c;

		d->containers = xcalloc(d->pos.nodes[d->cds_node].nchildren + 1, sizeof(int));
		for (c = d->pos.nodes[d->cds_node].first_child; c >= 0; c = d->pos.nodes[c].next)
			d->containers[d->ncontainers++] = c;
	}
	r->shape = d->shape;
	return 0;
}

static int lint_container_node(const struct lint_doc *d, int idx)
{
	return idx >= 0 && (size_t)idx < d->ncontainers ? d->containers[idx] : -1;
}

/* The line a result points at: the deciding value, else the container's name, else the
 * object, else 1. */
static int lint_result_line(const struct lint_doc *d, const struct rule_result *res)
{
	int obj =
	    res->container_index >= 0 ? lint_container_node(d, res->container_index) : d->task_node;
	int v = jsonpos_member(&d->pos, obj, res->key);

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
	return obj >= 0 ? d->pos.nodes[obj].line : 1;
}

static void lint_findings(const struct lint_doc *d, const struct rule_results *rr,
			  const struct lint_options *o, struct lint_report *r)
{
	size_t i;

	for (i = 0; i < rr->n; i++) {
		const struct rule_result *res = &rr->v[i];
		struct lint_finding *f;

		if (res->status != RULE_FAILED)
			continue;
		r->findings = xreallocarray(r->findings, r->nfindings + 1, sizeof(*r->findings));
		f = &r->findings[r->nfindings++];
		f->control = res->control;
		f->container = res->container != NULL ? xstrdup(res->container) : NULL;
		f->line = lint_result_line(d, res);
		f->reason = xstrdup(res->reason);
		f->decides = rules_mask_has(o->controls, res->control);
	}
}

static void lint_edit_add(struct lint_edits *ed, size_t start, size_t end, char *text_take)
{
	ed->v = xreallocarray(ed->v, ed->n + 1, sizeof(*ed->v));
	ed->v[ed->n].start = start;
	ed->v[ed->n].end = end;
	ed->v[ed->n].text = text_take;
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

static void lint_edit_replace(struct lint_edits *ed, const struct jsonpos_node *n, const char *text)
{
	lint_edit_add(ed, n->start, n->end, xstrdup(text));
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
	size_t i;

	for (i = 0; i < ed->ndels; i++)
		if (ed->dels[i] == m)
			return 1;
	return 0;
}

/* Deletes each run of marked members with its commas, keeping the layout around it: after a
 * kept member, from its end; at the start, up to the next kept member's key. */
static void lint_edits_deletions(struct lint_edits *ed, const struct jsonpos_doc *p)
{
	size_t i, k;

	for (i = 0; i < ed->ndels; i++) {
		int obj = p->nodes[ed->dels[i]].parent, c, prev = -1, first = -1, last = -1;

		for (k = 0; k < i; k++)
			if (p->nodes[ed->dels[k]].parent == obj)
				break;
		if (k < i)
			continue; /* this object is done */
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
	strbuf_putc(&sb, ',');
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
	strbuf_printf(&sb, "\"%s\"", key);
	strbuf_append(&sb, b + p->nodes[last].key_end,
		      p->nodes[last].start - p->nodes[last].key_end);
	strbuf_puts(&sb, value_json);
	lint_edit_add(ed, p->nodes[last].end, p->nodes[last].end, strbuf_take(&sb));
	strbuf_done(&sb);
}

static const char *lint_cname(json_object *c)
{
	const char *n = jsonx_str(c, "name");

	return n != NULL ? n : "";
}

static void lint_fix_network(const struct lint_doc *d, const struct lint_options *o,
			     struct lint_edits *ed, struct lint_report *r)
{
	const char *want = o->network_mode == TRANSFORM_NET_AWSVPC ? "awsvpc" : "bridge";
	json_object *cds = jsonx_array(d->taskdef, "containerDefinitions");
	static const char *const not_awsvpc[] = {"links", "hostname", "extraHosts"};
	size_t i, k, n = json_object_array_length(cds);

	if (d->task_node >= 0) {
		const char *cur = jsonx_str(d->taskdef, "networkMode");
		int m = jsonpos_member(&d->pos, d->task_node, "networkMode");
		char *quoted = xasprintf("\"%s\"", want);

		if (cur != NULL ? strcmp(cur, want) == 0
				: o->network_mode == TRANSFORM_NET_BRIDGE) {
			free(quoted);
			return;
		}
		if (m >= 0) {
			lint_edit_replace(ed, &d->pos.nodes[m], quoted);
			lint_fix_add(r, d->pos.nodes[m].line, "networkMode %s -> %s",
				     cur != NULL ? cur : "(not a string)", want);
		} else {
			lint_edit_insert(ed, &d->pos, d->task_node, "networkMode", quoted);
			lint_fix_add(r, d->pos.nodes[d->task_node].line,
				     "networkMode (not set) -> %s", want);
		}
		free(quoted);
	} else {
		r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
		r->notes[r->nnotes++] =
		    xasprintf("networkMode is not in this file: set the network "
			      "mode to %s where the task definition is declared "
			      "(e.g. Terraform network_mode)",
			      want);
	}
	if (o->network_mode != TRANSFORM_NET_AWSVPC)
		return;
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		json_object *pms = jsonx_array(c, "portMappings");
		int cn = lint_container_node(d, (int)i);
		int pn = jsonpos_member(&d->pos, cn, "portMappings");

		for (k = 0; pms != NULL && k < json_object_array_length(pms); k++) {
			json_object *pm = json_object_array_get_idx(pms, k), *hp;
			int pmn = jsonpos_element(&d->pos, pn, k), hn;

			if (!json_object_is_type(pm, json_type_object) ||
			    !json_object_object_get_ex(pm, "hostPort", &hp) ||
			    jsonx_int(pm, "hostPort", -2) == jsonx_int(pm, "containerPort", -1))
				continue;
			hn = jsonpos_member(&d->pos, pmn, "hostPort");
			lint_edit_delete_all(ed, &d->pos, pmn, "hostPort");
			lint_fix_add(r, d->pos.nodes[hn].line,
				     "container \"%s\": portMappings[%zu].hostPort %s removed",
				     lint_cname(c), k, json_object_to_json_string(hp));
		}
		for (k = 0; k < sizeof(not_awsvpc) / sizeof(not_awsvpc[0]); k++) {
			int m = jsonpos_member(&d->pos, cn, not_awsvpc[k]);

			if (m < 0)
				continue;
			lint_edit_delete_all(ed, &d->pos, cn, not_awsvpc[k]);
			lint_fix_add(r, d->pos.nodes[m].key_line,
				     "container \"%s\": %s removed (not supported in awsvpc mode)",
				     lint_cname(c), not_awsvpc[k]);
		}
	}
}

/* Computes the edits of --fix, in the same order of ideas as transform_build. */
static void lint_fix_edits(const struct lint_doc *d, const struct lint_options *o,
			   struct lint_edits *ed, struct lint_report *r)
{
	json_object *cds = jsonx_array(d->taskdef, "containerDefinitions");
	size_t i, n = json_object_array_length(cds);

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		int m;

		if (jsonx_bool(c, "privileged") != 1)
			continue;
		m = jsonpos_member(&d->pos, lint_container_node(d, (int)i), "privileged");
		lint_edit_replace(ed, &d->pos.nodes[m], "false");
		lint_fix_add(r, d->pos.nodes[m].line, "container \"%s\": privileged true -> false",
			     lint_cname(c));
	}
	if (o->network_mode != TRANSFORM_NET_KEEP)
		lint_fix_network(d, o, ed, r);
	if (o->user == NULL || rules_is_windows(d->taskdef))
		return;
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		json_object *js = json_object_new_string(o->user);
		const char *cur = jsonx_str(c, "user");
		const char *quoted =
		    json_object_to_json_string_ext(js, JSON_C_TO_STRING_NOSLASHESCAPE);
		int cn = lint_container_node(d, (int)i), m;

		if (rules_user_is_root(cur)) {
			m = jsonpos_member(&d->pos, cn, "user");
			if (m >= 0) {
				lint_edit_replace(ed, &d->pos.nodes[m], quoted);
				lint_fix_add(r, d->pos.nodes[m].line,
					     "container \"%s\": user %.*s -> %s", lint_cname(c),
					     (int)(d->pos.nodes[m].end - d->pos.nodes[m].start),
					     d->pos.buf + d->pos.nodes[m].start, quoted);
			} else {
				lint_edit_insert(ed, &d->pos, cn, "user", quoted);
				lint_fix_add(r, d->pos.nodes[cn].line,
					     "container \"%s\": user (not set) -> %s",
					     lint_cname(c), quoted);
			}
		}
		json_object_put(js);
	}
}

static int lint_edit_cmp(const void *a, const void *b)
{
	const struct lint_edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
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

/* The document the transform would give, as register input; for a bare container list a
 * wrapper with the network mode the fix converts from (src) or to. */
static json_object *lint_semantic(json_object *root, enum lint_shape shape, const char *mode)
{
	json_object *w;

	if (shape != LINT_SHAPE_CONTAINERS)
		return json_object_get(root);
	w = json_object_new_object();
	if (mode != NULL)
		json_object_object_add(w, "networkMode", json_object_new_string(mode));
	json_object_object_add(w, "containerDefinitions", json_object_get(root));
	return w;
}

/* --fix: the edits, applied, then checked against the transform of the same document. */
static int lint_fix(const char *buf, size_t len, const struct lint_doc *d,
		    const struct lint_options *o, struct lint_report *r, char **fixed,
		    size_t *fixed_len)
{
	struct transform_options to = {.user = o->user, .network_mode = o->network_mode};
	struct transform_result want;
	struct lint_edits ed = {NULL, 0, NULL, 0};
	json_object *in, *got_doc = NULL, *got_wrapped = NULL, *got = NULL;
	const char *target = o->network_mode == TRANSFORM_NET_AWSVPC   ? "awsvpc"
			     : o->network_mode == TRANSFORM_NET_BRIDGE ? "bridge"
								       : NULL;
	struct err e;
	size_t i;
	int rc = -1;

	err_clear(&e);
	transform_result_init(&want);
	in = lint_semantic(d->root, d->shape, target != NULL ? "host" : NULL);
	if (transform_build(in, &to, &want, &e)) {
		lint_fail(r, "%s%s%s%s", e.msg, e.hint[0] ? " (" : "", e.hint,
			  e.hint[0] ? ")" : "");
		goto out;
	}
	for (i = 0; i < want.nnotes; i++) {
		if (d->shape == LINT_SHAPE_CONTAINERS && strstr(want.notes[i], "subnets") != NULL)
			continue;
		r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
		r->notes[r->nnotes++] = xstrdup(want.notes[i]);
	}
	lint_fix_edits(d, o, &ed, r);
	lint_edits_deletions(&ed, &d->pos);
	if (ed.n == 0) {
		rc = 0;
		goto out;
	}
	if (lint_edits_apply(buf, len, &ed, fixed, fixed_len) ||
	    jsonx_parse(*fixed, *fixed_len, &got_doc, &e)) {
		lint_fail(r,
			  "ecsfix could not fix this file safely (internal: %s); it is unchanged",
			  e.msg[0] ? e.msg : "overlapping edits");
		goto out;
	}
	got_wrapped = lint_semantic(got_doc, d->shape, target);
	if (transform_register_input(got_wrapped, &got, &e) || !jsonx_equal(got, want.request)) {
		lint_fail(r, "ecsfix could not fix this file safely (the edited file differs from "
			     "the expected result); it is unchanged");
		goto out;
	}
	rc = 0;
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
	json_object_put(got);
	json_object_put(got_wrapped);
	json_object_put(got_doc);
	json_object_put(in);
	transform_result_done(&want);
	return rc;
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

/* Lints buf without fixing: shape and findings (by line). */
static int lint_check(const char *buf, size_t len, const struct lint_options *o,
		      struct lint_report *r, struct lint_doc *d)
{
	struct rule_results rr;
	struct err e;

	if (lint_doc_parse(buf, len, d, r))
		return -1;
	rule_results_init(&rr);
	err_clear(&e);
	if (rules_evaluate(d->taskdef, &rr, &e)) {
		rule_results_done(&rr);
		lint_doc_done(d);
		return lint_fail(r, "wrong shape: %s", e.msg);
	}
	lint_findings(d, &rr, o, r);
	rule_results_done(&rr);
	LINT_SORT_BY_LINE(r->findings, r->nfindings, struct lint_finding);
	return 0;
}

int lint_buffer(const char *buf, size_t len, const struct lint_options *o, struct lint_report *r,
		char **fixed, size_t *fixed_len)
{
	struct lint_doc d, d2;
	size_t skip = 0, i;
	int rc;

	*fixed = NULL;
	*fixed_len = 0;
	/* A UTF-8 byte order mark is kept as it is but not parsed. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	if (lint_check(buf + skip, len - skip, o, r, &d))
		return -1;
	if (!o->fix) {
		lint_doc_done(&d);
		return 0;
	}
	rc = lint_fix(buf + skip, len - skip, &d, o, r, fixed, fixed_len);
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
	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].container);
		free(r->findings[i].reason);
	}
	r->nfindings = 0;
	if (lint_check(*fixed + skip, *fixed_len - skip, o, r, &d2)) {
		free(*fixed);
		*fixed = NULL;
		return -1;
	}
	lint_doc_done(&d2);
	return 0;
}

int lint_file(const char *path, const struct lint_options *o, struct lint_report *r)
{
	char *buf = NULL, *fixed = NULL, *real = NULL;
	size_t len, fixed_len;
	struct err e;
	int rc = -1;

	r->path = xstrdup(path);
	err_clear(&e);
	if (file_read_all(path, LINT_MAX_BYTES, &buf, &len, &e)) {
		if (strstr(e.msg, "byte limit") != NULL)
			lint_fail(r,
				  "%s: too large (over %zu MiB; task definitions are at most "
				  "64 KiB)",
				  path, LINT_MAX_BYTES >> 20);
		else
			lint_fail(r, "%s", e.msg);
		goto out;
	}
	if (lint_buffer(buf, len, o, r, &fixed, &fixed_len)) {
		err_prefix(&r->err, "%s", path);
		goto out;
	}
	if (fixed != NULL) {
		/* Write through a symbolic link to the file it names. */
		real = realpath(path, NULL);
		if (file_write_atomic(real != NULL ? real : path, fixed, fixed_len, 0644, 1, &e)) {
			lint_fail(r, "%s: cannot write the fixed file: %s", path, e.msg);
			goto out;
		}
		r->written = 1;
	}
	rc = 0;
out:
	free(real);
	free(buf);
	free(fixed);
	return rc;
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
			json_object_array_add(files, f);
			json_object_put(arr);
			continue;
		}
		json_object_object_add(f, "shape",
				       json_object_new_string(lint_shape_name(r[i].shape)));
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

json_object *lint_reports_sarif(const struct lint_report *r, size_t n, const struct lint_options *o)
{
	json_object *doc = json_object_new_object(), *runs = json_object_new_array();
	json_object *run = json_object_new_object(), *tool = json_object_new_object();
	json_object *driver = json_object_new_object(), *rules = json_object_new_array();
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
	json_object_object_add(driver, "rules", rules);
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);
	for (i = 0; i < n; i++) {
		char *uri = lint_uri(r[i].path ? r[i].path : "");

		if (r[i].error) {
			json_object *nt = json_object_new_object(), *loc = json_object_new_object();
			json_object *pl = json_object_new_object(), *al = json_object_new_object();
			json_object *locs = json_object_new_array();

			nerr++;
			json_object_object_add(nt, "level", json_object_new_string("error"));
			json_object_object_add(nt, "message", lint_text_obj(r[i].err.msg));
			json_object_object_add(al, "uri", json_object_new_string(uri));
			json_object_object_add(pl, "artifactLocation", al);
			json_object_object_add(loc, "physicalLocation", pl);
			json_object_array_add(locs, loc);
			json_object_object_add(nt, "locations", locs);
			json_object_array_add(notes, nt);
		}
		for (k = 0; !r[i].error && k < r[i].nfindings; k++) {
			const struct lint_finding *x = &r[i].findings[k];
			json_object *res = json_object_new_object(),
				    *locs = json_object_new_array();
			json_object *loc = json_object_new_object(), *pl = json_object_new_object();
			json_object *al = json_object_new_object(), *reg = json_object_new_object();
			char *msg = x->container != NULL
					? xasprintf("container \"%s\": %s", x->container, x->reason)
					: xstrdup(x->reason);

			json_object_object_add(res, "ruleId", json_object_new_string(x->control));
			json_object_object_add(res, "ruleIndex",
					       json_object_new_int(rules_index(x->control)));
			json_object_object_add(
			    res, "level", json_object_new_string(x->decides ? "error" : "note"));
			json_object_object_add(res, "message", lint_text_obj(msg));
			json_object_object_add(al, "uri", json_object_new_string(uri));
			json_object_object_add(pl, "artifactLocation", al);
			json_object_object_add(reg, "startLine", json_object_new_int(x->line));
			json_object_object_add(pl, "region", reg);
			json_object_object_add(loc, "physicalLocation", pl);
			json_object_array_add(locs, loc);
			json_object_object_add(res, "locations", locs);
			json_object_array_add(results, res);
			free(msg);
		}
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
