/* rules.c: the Security Hub controls ecsfix checks, as one table, evaluated on a task definition.
 */
#include "config.h"

#include "core/rules.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* What every rule sees of the task definition. */
struct rules_ctx {
	json_object *taskdef;
	const char *network_mode; /* as written, or NULL */
	int host;                 /* networkMode is host */
	int windows;
	int fargate;
};

/* A rule's verdict before it is stored. */
struct rules_verdict {
	enum rule_status status;
	int item_index;
	char *reason; /* owned */
};

typedef void (*rules_container_fn)(const struct rules_ctx *ctx, json_object *c,
				   struct rules_verdict *v);
typedef void (*rules_task_fn)(const struct rules_ctx *ctx, struct rules_verdict *v);

struct rules_entry {
	struct rule_def def;
	const char *key;                 /* the member deciding the verdict */
	rules_container_fn on_container; /* container-level rules */
	rules_task_fn on_task;           /* task-level rules */
};

static void rules_verdict(struct rules_verdict *v, enum rule_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void rules_verdict(struct rules_verdict *v, enum rule_status st, const char *fmt, ...)
{
	va_list ap;

	v->status = st;
	va_start(ap, fmt);
	v->reason = xvasprintf(fmt, ap);
	va_end(ap);
}

int rules_user_is_root(const char *user)
{
	size_t n, i;
	int digits = 1, zero = 1;

	if (user == NULL || user[0] == '\0')
		return 1;
	n = strcspn(user, ":");
	if (n == 0)
		return 1; /* ":gid" leaves the user to the image default, usually root */
	if (n == 4 && strncmp(user, "root", 4) == 0)
		return 1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)user[i]))
			digits = 0;
		else if (user[i] != '0')
			zero = 0;
	}
	return digits && zero;
}

json_object *rules_taskdef_of(json_object *obj)
{
	json_object *td = jsonx_obj(obj, "taskDefinition");

	return td != NULL ? td : obj;
}

int rules_is_windows(json_object *taskdef)
{
	const char *os = jsonx_str(jsonx_obj(taskdef, "runtimePlatform"), "operatingSystemFamily");

	return os != NULL && strncasecmp(os, "WINDOWS", 7) == 0;
}

int rules_is_fargate(json_object *taskdef)
{
	json_object *rc = jsonx_array(taskdef, "requiresCompatibilities");
	size_t i, n = rc != NULL ? json_object_array_length(rc) : 0;

	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(rc, i);

		if (json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), "FARGATE") == 0)
			return 1;
	}
	return 0;
}

/* ECS.4: privileged must not be true. */
static void rules_ecs4(const struct rules_ctx *ctx, json_object *c, struct rules_verdict *v)
{
	int priv = jsonx_bool(c, "privileged");

	if (priv != 1) {
		rules_verdict(v, RULE_PASSED,
			      priv == 0 ? "privileged is false" : "privileged is not set (false)");
		return;
	}
	if (ctx->fargate)
		rules_verdict(v, RULE_FAILED,
			      "privileged is true, which Fargate does not allow at all: set it to "
			      "false (AWS rejects this task definition)");
	else if (ctx->windows)
		rules_verdict(v, RULE_FAILED,
			      "privileged is true, which Windows containers do not support: set it "
			      "to false");
	else
		rules_verdict(v, RULE_FAILED,
			      "privileged is true: the container gets all capabilities and the "
			      "host's devices, as root on the instance; set it to false (add only "
			      "the capabilities it needs under linuxParameters.capabilities)");
}

/* ECS.20: a Linux container must name a non-root user. */
static void rules_ecs20(const struct rules_ctx *ctx, json_object *c, struct rules_verdict *v)
{
	const char *user = jsonx_str(c, "user");

	if (ctx->windows) {
		rules_verdict(v, RULE_NOT_APPLICABLE,
			      "Windows container (ECS.21 covers Windows users)");
		return;
	}
	if (!rules_user_is_root(user))
		rules_verdict(v, RULE_PASSED, "runs as user \"%s\"", user);
	else if (user == NULL || user[0] == '\0')
		rules_verdict(v, RULE_FAILED,
			      "no user is set, so the container runs as the image's user, usually "
			      "root: set \"user\" to a non-root UID (e.g. --user 1000)");
	else
		rules_verdict(
		    v, RULE_FAILED,
		    "user \"%s\" is root: set \"user\" to a non-root UID (e.g. --user 1000)", user);
}

/* ECS.1 (legacy): in host mode, a container that is not privileged must not run as root. */
static void rules_ecs1(const struct rules_ctx *ctx, json_object *c, struct rules_verdict *v)
{
	if (ctx->windows) {
		rules_verdict(v, RULE_NOT_APPLICABLE, "Windows container");
		return;
	}
	if (!ctx->host) {
		rules_verdict(v, RULE_PASSED, "network mode is not host");
		return;
	}
	if (jsonx_bool(c, "privileged") == 1) {
		rules_verdict(v, RULE_PASSED,
			      "privileged containers pass ECS.1 (ECS.4 fails them instead)");
		return;
	}
	if (!rules_user_is_root(jsonx_str(c, "user"))) {
		rules_verdict(v, RULE_PASSED, "runs as a non-root user in host mode");
		return;
	}
	rules_verdict(v, RULE_FAILED,
		      "runs as root in host network mode without being privileged: set a "
		      "non-root user (--user) or leave host mode (--network-mode)");
}

/* ECS.5: the root filesystem should be read-only. */
static void rules_ecs5(const struct rules_ctx *ctx, json_object *c, struct rules_verdict *v)
{
	int ro = jsonx_bool(c, "readonlyRootFilesystem");

	(void)ctx;
	if (ro == 1)
		rules_verdict(v, RULE_PASSED, "readonlyRootFilesystem is true");
	else
		rules_verdict(v, RULE_FAILED,
			      "readonlyRootFilesystem is %s: the container can write to its root "
			      "filesystem (set it to true and mount volumes where it writes)",
			      ro == 0 ? "false" : "not set");
}

/* ECS.8: no AWS credentials in plain environment variables. */
static void rules_ecs8(const struct rules_ctx *ctx, json_object *c, struct rules_verdict *v)
{
	static const char *const secret_keys[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
						  "ECS_ENGINE_AUTH_DATA"};
	json_object *env = jsonx_array(c, "environment");
	size_t i, k, n = env != NULL ? json_object_array_length(env) : 0;
	struct strbuf names;

	(void)ctx;
	strbuf_init(&names);
	for (i = 0; i < n; i++) {
		const char *name = jsonx_str(json_object_array_get_idx(env, i), "name");

		for (k = 0; name != NULL && k < sizeof(secret_keys) / sizeof(secret_keys[0]); k++) {
			if (strcmp(name, secret_keys[k]) != 0)
				continue;
			if (names.len == 0)
				v->item_index = (int)i;
			strbuf_printf(&names, "%s%s", names.len ? ", " : "", name);
		}
	}
	if (names.len == 0)
		rules_verdict(v, RULE_PASSED, "no AWS credentials in environment");
	else
		rules_verdict(v, RULE_FAILED,
			      "environment passes %s in plain text: use \"secrets\" (Secrets "
			      "Manager or SSM) or the task role instead",
			      names.buf);
	strbuf_done(&names);
}

/* ECS.17: no host network mode. */
static void rules_ecs17(const struct rules_ctx *ctx, struct rules_verdict *v)
{
	if (ctx->host)
		rules_verdict(v, RULE_FAILED,
			      "networkMode is host: containers share the instance's network stack "
			      "and ports%s",
			      ctx->fargate ? " (Fargate requires awsvpc)"
					   : "; use bridge or awsvpc (--network-mode)");
	else if (ctx->network_mode != NULL)
		rules_verdict(v, RULE_PASSED, "networkMode is %s", ctx->network_mode);
	else
		rules_verdict(v, RULE_PASSED, "networkMode is not set (%s)",
			      ctx->fargate ? "awsvpc" : "bridge");
}

/* ECS.3: no shared host process namespace. */
static void rules_ecs3(const struct rules_ctx *ctx, struct rules_verdict *v)
{
	const char *pid = jsonx_str(ctx->taskdef, "pidMode");

	if (pid != NULL && strcmp(pid, "host") == 0)
		rules_verdict(v, RULE_FAILED,
			      "pidMode is host: containers see and can signal every process on the "
			      "instance; remove pidMode or set it to task");
	else
		rules_verdict(v, RULE_PASSED, "pidMode is %s", pid != NULL ? pid : "not set");
}

static const struct rules_entry rules_table[] = {
    {{"ECS.4", "ECS containers should run as non-privileged", "HIGH", 1, 0,
      "A container must not set \"privileged\": true."},
     "privileged",
     rules_ecs4,
     NULL},
    {{"ECS.17", "ECS task definitions should not use host network mode", "MEDIUM", 1, 0,
      "The task definition must not use \"networkMode\": \"host\"."},
     "networkMode",
     NULL,
     rules_ecs17},
    {{"ECS.20",
      "ECS Task Definitions should configure non-root users in Linux container definitions",
      "MEDIUM", 1, 0, "Each Linux container must set \"user\" to a non-root user."},
     "user",
     rules_ecs20,
     NULL},
    {{"ECS.1",
      "Amazon ECS task definitions should have secure networking modes and user definitions",
      "HIGH", 0, 1,
      "In host network mode, a container that is not privileged must not run as root "
      "(legacy control, retired by Security Hub in March 2026)."},
     "user",
     rules_ecs1,
     NULL},
    {{"ECS.3", "ECS task definitions should not share the host's process namespace", "HIGH", 0, 1,
      "The task definition must not use \"pidMode\": \"host\"."},
     "pidMode",
     NULL,
     rules_ecs3},
    {{"ECS.5", "ECS containers should be limited to read-only access to root filesystems", "HIGH",
      0, 1, "Each container should set \"readonlyRootFilesystem\": true."},
     "readonlyRootFilesystem",
     rules_ecs5,
     NULL},
    {{"ECS.8", "Secrets should not be passed as container environment variables", "HIGH", 0, 1,
      "No container may pass AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or "
      "ECS_ENGINE_AUTH_DATA in \"environment\"."},
     "environment",
     rules_ecs8,
     NULL},
};

#define RULES_N (sizeof(rules_table) / sizeof(rules_table[0]))

size_t rules_count(void)
{
	return RULES_N;
}

const struct rule_def *rules_get(size_t index)
{
	return index < RULES_N ? &rules_table[index].def : NULL;
}

int rules_index(const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < RULES_N; i++)
		if (strcasecmp(rules_table[i].def.id, id) == 0)
			return (int)i;
	return -1;
}

const struct rule_def *rules_find(const char *id)
{
	int i = rules_index(id);

	return i < 0 ? NULL : &rules_table[i].def;
}

unsigned rules_default_mask(void)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < RULES_N; i++)
		if (rules_table[i].def.decides_by_default)
			m |= 1u << i;
	return m;
}

unsigned rules_all_mask(void)
{
	return (1u << RULES_N) - 1;
}

int rules_mask_has(unsigned mask, const char *control)
{
	int i = rules_index(control);

	return i >= 0 && (mask & (1u << i)) != 0;
}

static void rules_known_ids(struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < RULES_N; i++)
		strbuf_printf(sb, "%s%s", i ? ", " : "", rules_table[i].def.id);
}

int rules_parse_controls(const char *list, unsigned *mask, struct err *e)
{
	unsigned m = 0;
	const char *p = list != NULL ? list : "";
	int rc = 0;

	for (;;) {
		size_t n = strcspn(p, ","), b = 0, l = n;
		char *id;
		int idx;

		while (b < n && isspace((unsigned char)p[b]))
			b++;
		while (l > b && isspace((unsigned char)p[l - 1]))
			l--;
		id = xstrndup(p + b, l - b);
		idx = rules_index(id);
		if (strcasecmp(id, "all") == 0) {
			m |= rules_all_mask();
		} else if (idx >= 0) {
			m |= 1u << idx;
		} else {
			struct strbuf known;

			strbuf_init(&known);
			rules_known_ids(&known);
			if (id[0] == '\0')
				err_set(e, "--controls: empty control in \"%s\"", list ? list : "");
			else
				err_set(e, "--controls: unknown control \"%s\"", id);
			err_hint(e, "known controls: %s, or all", known.buf);
			strbuf_done(&known);
			rc = -1;
		}
		free(id);
		if (rc)
			return rc;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*mask = m;
	return 0;
}

void rule_results_init(struct rule_results *r)
{
	r->v = NULL;
	r->n = 0;
	r->cap = 0;
}

void rule_results_done(struct rule_results *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].container);
		free(r->v[i].reason);
	}
	free(r->v);
	rule_results_init(r);
}

static void rules_push(struct rule_results *out, const struct rules_entry *re, json_object *obj,
		       int cidx, struct rules_verdict *v)
{
	struct rule_result *r;
	json_object *dummy;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	r = &out->v[out->n++];
	r->control = re->def.id;
	r->status = v->status;
	r->container = NULL;
	if (cidx >= 0) {
		const char *name = jsonx_str(obj, "name");

		r->container = xstrdup(name != NULL ? name : "");
	}
	r->container_index = cidx;
	r->key = re->key;
	r->item_index = v->item_index;
	r->present = json_object_object_get_ex(obj, re->key, &dummy) ? 1 : 0;
	r->reason = v->reason;
}

int rules_evaluate(json_object *taskdef, struct rule_results *out, struct err *e)
{
	struct rules_ctx ctx;
	json_object *cds;
	size_t i, j, n = 0;

	taskdef = rules_taskdef_of(taskdef);
	if (taskdef == NULL || !json_object_is_type(taskdef, json_type_object))
		return err_set(e, "a task definition must be a JSON object");
	cds = NULL;
	if (json_object_object_get_ex(taskdef, "containerDefinitions", &cds)) {
		if (!json_object_is_type(cds, json_type_array))
			return err_set(e, "containerDefinitions is not an array");
		n = json_object_array_length(cds);
		for (j = 0; j < n; j++)
			if (!json_object_is_type(json_object_array_get_idx(cds, j),
						 json_type_object))
				return err_set(e, "containerDefinitions[%zu] is not an object", j);
	}
	ctx.taskdef = taskdef;
	ctx.network_mode = jsonx_str(taskdef, "networkMode");
	ctx.host = ctx.network_mode != NULL && strcmp(ctx.network_mode, "host") == 0;
	ctx.windows = rules_is_windows(taskdef);
	ctx.fargate = rules_is_fargate(taskdef);
	for (i = 0; i < RULES_N; i++) {
		const struct rules_entry *re = &rules_table[i];
		struct rules_verdict v = {RULE_PASSED, -1, NULL};

		if (re->on_task != NULL) {
			re->on_task(&ctx, &v);
			rules_push(out, re, taskdef, -1, &v);
			continue;
		}
		for (j = 0; j < n; j++) {
			json_object *c = json_object_array_get_idx(cds, j);

			v.item_index = -1;
			v.reason = NULL;
			re->on_container(&ctx, c, &v);
			rules_push(out, re, c, (int)j, &v);
		}
	}
	return 0;
}

size_t rules_failed(const struct rule_results *r, const char *control)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i].status == RULE_FAILED && strcasecmp(r->v[i].control, control) == 0)
			k++;
	return k;
}

size_t rules_failed_mask(const struct rule_results *r, unsigned mask)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i].status == RULE_FAILED && rules_mask_has(mask, r->v[i].control))
			k++;
	return k;
}

const struct rule_result *rules_result_for(const struct rule_results *r, const char *control,
					   int container_index)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].container_index == container_index &&
		    strcasecmp(r->v[i].control, control) == 0)
			return &r->v[i];
	return NULL;
}

const char *rules_status_name(enum rule_status s)
{
	switch (s) {
	case RULE_FAILED:
		return "FAILED";
	case RULE_NOT_APPLICABLE:
		return "NOT_APPLICABLE";
	case RULE_PASSED:
	default:
		return "PASSED";
	}
}
