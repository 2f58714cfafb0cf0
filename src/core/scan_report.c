/* scan_report.c: compact report entries from AWS answers; the join, traps, sort and summary. */
#include "config.h"

#include "core/scan_report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/exceptions.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

const char *const scan_report_handled_controls[] = {"ECS.1", "ECS.4", "ECS.17", "ECS.20"};
const size_t scan_report_nhandled_controls =
    sizeof scan_report_handled_controls / sizeof scan_report_handled_controls[0];

/* How many other services a shared-revision note names before "and N more". */
#define SCAN_REPORT_NOTE_NAMES 5

const char *scan_report_arn_tail(const char *arn)
{
	const char *slash;

	if (arn == NULL)
		return "";
	slash = strrchr(arn, '/');
	return slash != NULL ? slash + 1 : arn;
}

int scan_report_td_split(const char *arn, char **family, long *revision)
{
	const char *tail = scan_report_arn_tail(arn);
	const char *colon = strrchr(tail, ':');
	char *end;
	long rev = 0;

	*family = NULL;
	*revision = 0;
	if (tail[0] == '\0' || tail == colon)
		return -1;
	if (colon != NULL) {
		rev = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || rev <= 0)
			return -1;
	}
	*family = colon != NULL ? xstrndup(tail, (size_t)(colon - tail)) : xstrdup(tail);
	*revision = rev;
	return 0;
}

void scan_report_arn_account(const char *arn, char *buf, size_t size)
{
	const char *p = arn;
	size_t i, n;

	buf[0] = '\0';
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return;
	/* arn:partition:service:region:account:... */
	for (i = 0; i < 4 && p != NULL; i++) {
		p = strchr(p, ':');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return;
	n = strcspn(p, ":");
	if (n == 0 || n >= size)
		return;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

char *scan_report_family_key(const char *arn)
{
	const char *tail = scan_report_arn_tail(arn), *colon = strrchr(tail, ':');

	if (colon == NULL)
		return xstrdup(arn);
	return xstrndup(arn, (size_t)(colon - arn));
}

void scan_report_arn_region(const char *arn, char *buf, size_t size)
{
	const char *p = arn;
	size_t i, n;

	buf[0] = '\0';
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return;
	for (i = 0; i < 3 && p != NULL; i++) {
		p = strchr(p, ':');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return;
	n = strcspn(p, ":");
	if (n == 0 || n >= size)
		return;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

const char *scan_report_str_at(json_object *arr, size_t i)
{
	json_object *v;

	if (!json_object_is_type(arr, json_type_array) || i >= json_object_array_length(arr))
		return NULL;
	v = json_object_array_get_idx(arr, i);
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

json_object *scan_report_obj_at(json_object *arr, size_t i)
{
	json_object *v;

	if (!json_object_is_type(arr, json_type_array) || i >= json_object_array_length(arr))
		return NULL;
	v = json_object_array_get_idx(arr, i);
	return json_object_is_type(v, json_type_object) ? v : NULL;
}

size_t scan_report_len(json_object *arr)
{
	return json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
}

/* Copies key from src to dst when it has the type expected (null when absent or of another
 * type: every member read from the wire is type-checked). */
static void scan_report_copy_t(json_object *dst, const char *dkey, json_object *src,
			       const char *skey, json_type type)
{
	json_object *v = NULL;

	if (src != NULL && json_object_object_get_ex(src, skey, &v) && json_object_is_type(v, type))
		SCAN_SET(dst, dkey, jsonx_clone(v));
	else
		SCAN_SET(dst, dkey, NULL);
}

/* The same for a string member (most of them). */
static void scan_report_copy(json_object *dst, const char *dkey, json_object *src, const char *skey)
{
	scan_report_copy_t(dst, dkey, src, skey, json_type_string);
}

static json_object *scan_report_strnull(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

json_object *scan_report_cluster(json_object *cluster)
{
	json_object *o = json_object_new_object();

	scan_report_copy(o, "name", cluster, "clusterName");
	scan_report_copy(o, "arn", cluster, "clusterArn");
	scan_report_copy(o, "status", cluster, "status");
	SCAN_SET(o, "services", json_object_new_int(0));
	SCAN_SET(o, "servicesFailing", json_object_new_int(0));
	SCAN_SET(o, "unknown", NULL);
	return o;
}

json_object *scan_report_cluster_unknown(const char *name_or_arn, const char *reason)
{
	json_object *o = json_object_new_object();
	int is_arn = strncmp(name_or_arn, "arn:", 4) == 0;

	SCAN_SET(o, "name", json_object_new_string(scan_report_arn_tail(name_or_arn)));
	SCAN_SET(o, "arn", is_arn ? json_object_new_string(name_or_arn) : NULL);
	SCAN_SET(o, "status", json_object_new_string("UNKNOWN"));
	SCAN_SET(o, "services", json_object_new_int(0));
	SCAN_SET(o, "servicesFailing", json_object_new_int(0));
	SCAN_SET(o, "unknown", json_object_new_string(reason));
	return o;
}

/* The launch type, or CAPACITY_PROVIDER when the service uses a strategy instead. */
static json_object *scan_report_launch_type(json_object *svc)
{
	const char *lt = jsonx_str(svc, "launchType");
	json_object *cps = jsonx_array(svc, "capacityProviderStrategy");

	if (lt != NULL && lt[0] != '\0')
		return json_object_new_string(lt);
	if (cps != NULL && json_object_array_length(cps) > 0)
		return json_object_new_string("CAPACITY_PROVIDER");
	return NULL;
}

static json_object *scan_report_deployment(json_object *d)
{
	json_object *o = json_object_new_object();

	scan_report_copy(o, "id", d, "id");
	scan_report_copy(o, "status", d, "status");
	scan_report_copy(o, "taskDefinition", d, "taskDefinition");
	scan_report_copy(o, "rolloutState", d, "rolloutState");
	scan_report_copy_t(o, "runningCount", d, "runningCount", json_type_int);
	scan_report_copy_t(o, "desiredCount", d, "desiredCount", json_type_int);
	scan_report_copy_t(o, "failedTasks", d, "failedTasks", json_type_int);
	return o;
}

/* The result fields every service entry ends with. */
static void scan_report_service_tail(json_object *o, const char *unknown)
{
	SCAN_SET(o, "status", json_object_new_string("UNKNOWN"));
	SCAN_SET(o, "failing", json_object_new_array());
	SCAN_SET(o, "findings", json_object_new_array());
	SCAN_SET(o, "notes", json_object_new_array());
	SCAN_SET(o, "unknown", scan_report_strnull(unknown));
}

static json_object *scan_report_tags(json_object *tags);

json_object *scan_report_service(json_object *svc)
{
	json_object *o = json_object_new_object();
	json_object *deps = jsonx_array(svc, "deployments");
	json_object *arr = json_object_new_array();
	const char *carn = jsonx_str(svc, "clusterArn");
	const char *ctl = jsonx_str(jsonx_obj(svc, "deploymentController"), "type");
	size_t i, n = deps != NULL ? json_object_array_length(deps) : 0;

	SCAN_SET(o, "cluster", scan_report_strnull(scan_report_arn_tail(carn)));
	scan_report_copy(o, "clusterArn", svc, "clusterArn");
	scan_report_copy(o, "name", svc, "serviceName");
	scan_report_copy(o, "arn", svc, "serviceArn");
	scan_report_copy(o, "taskDefinition", svc, "taskDefinition");
	SCAN_SET(o, "launchType", scan_report_launch_type(svc));
	scan_report_copy(o, "schedulingStrategy", svc, "schedulingStrategy");
	scan_report_copy_t(o, "desiredCount", svc, "desiredCount", json_type_int);
	scan_report_copy_t(o, "runningCount", svc, "runningCount", json_type_int);
	scan_report_copy_t(o, "pendingCount", svc, "pendingCount", json_type_int);
	SCAN_SET(o, "deploymentController", json_object_new_string(ctl != NULL ? ctl : "ECS"));
	scan_report_copy_t(o, "networkConfiguration", svc, "networkConfiguration",
			   json_type_object);
	for (i = 0; i < n; i++) {
		if (scan_report_obj_at(deps, i) != NULL)
			json_object_array_add(arr,
					      scan_report_deployment(scan_report_obj_at(deps, i)));
	}
	SCAN_SET(o, "deployments", arr);
	scan_report_service_tail(o, NULL);
	scan_report_copy(o, "serviceStatus", svc, "status");
	SCAN_SET(o, "tags", scan_report_tags(jsonx_array(svc, "tags"))); /* owners */
	return o;
}

json_object *scan_report_service_unknown(const char *arn, const char *cluster_arn,
					 const char *reason)
{
	json_object *o = json_object_new_object();

	SCAN_SET(o, "cluster", json_object_new_string(scan_report_arn_tail(cluster_arn)));
	SCAN_SET(o, "clusterArn", scan_report_strnull(cluster_arn));
	SCAN_SET(o, "name", json_object_new_string(scan_report_arn_tail(arn)));
	SCAN_SET(o, "arn", json_object_new_string(arn));
	SCAN_SET(o, "taskDefinition", NULL);
	SCAN_SET(o, "launchType", NULL);
	SCAN_SET(o, "schedulingStrategy", NULL);
	SCAN_SET(o, "desiredCount", NULL);
	SCAN_SET(o, "runningCount", NULL);
	SCAN_SET(o, "pendingCount", NULL);
	SCAN_SET(o, "deploymentController", NULL);
	SCAN_SET(o, "networkConfiguration", NULL);
	SCAN_SET(o, "deployments", json_object_new_array());
	scan_report_service_tail(o, reason);
	SCAN_SET(o, "serviceStatus", NULL);
	return o;
}

static json_object *scan_report_container(json_object *c)
{
	json_object *o = json_object_new_object();
	int b;

	scan_report_copy(o, "name", c, "name");
	scan_report_copy(o, "image", c, "image");
	b = jsonx_bool(c, "privileged");
	SCAN_SET(o, "privileged", b < 0 ? NULL : json_object_new_boolean(b));
	scan_report_copy(o, "user", c, "user");
	b = jsonx_bool(c, "readonlyRootFilesystem");
	SCAN_SET(o, "readonlyRootFilesystem", b < 0 ? NULL : json_object_new_boolean(b));
	b = jsonx_bool(c, "essential");
	SCAN_SET(o, "essential", b < 0 ? NULL : json_object_new_boolean(b));
	return o;
}

/* Tags [{key,value}] -> {key: value}. */
static json_object *scan_report_tags(json_object *tags)
{
	json_object *o = json_object_new_object();
	size_t i, n = tags != NULL && json_object_is_type(tags, json_type_array)
			  ? json_object_array_length(tags)
			  : 0;

	for (i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tags, i);
		const char *k = jsonx_str(t, "key"), *v = jsonx_str(t, "value");

		if (k != NULL)
			json_object_object_add(o, k, json_object_new_string(v != NULL ? v : ""));
	}
	return o;
}

/* The fields every task definition entry ends with. */
static void scan_report_taskdef_tail(json_object *o, const char *unknown)
{
	SCAN_SET(o, "services", json_object_new_array());
	SCAN_SET(o, "findings", json_object_new_array());
	SCAN_SET(o, "unknown", scan_report_strnull(unknown));
	SCAN_SET(o, "result", json_object_new_string("UNKNOWN"));
	SCAN_SET(o, "failing", json_object_new_array());
}

json_object *scan_report_taskdef(json_object *resp, json_object *checks)
{
	json_object *td = jsonx_obj(resp, "taskDefinition");
	json_object *o = json_object_new_object();
	json_object *cds = jsonx_array(td, "containerDefinitions");
	json_object *arr = json_object_new_array();
	size_t i, n = cds != NULL ? json_object_array_length(cds) : 0;

	scan_report_copy(o, "arn", td, "taskDefinitionArn");
	scan_report_copy(o, "family", td, "family");
	scan_report_copy_t(o, "revision", td, "revision", json_type_int);
	scan_report_copy(o, "status", td, "status");
	scan_report_copy(o, "networkMode", td, "networkMode");
	scan_report_copy(o, "pidMode", td, "pidMode");
	scan_report_copy_t(o, "requiresCompatibilities", td, "requiresCompatibilities",
			   json_type_array);
	SCAN_SET(o, "latestActive", json_object_new_boolean(0));
	SCAN_SET(o, "latestActiveArn", NULL);
	scan_report_copy(o, "registeredBy", td, "registeredBy");
	SCAN_SET(o, "tags", scan_report_tags(jsonx_array(resp, "tags")));
	for (i = 0; i < n; i++) {
		if (scan_report_obj_at(cds, i) != NULL)
			json_object_array_add(arr,
					      scan_report_container(scan_report_obj_at(cds, i)));
	}
	SCAN_SET(o, "containers", arr);
	SCAN_SET(o, "checks", checks != NULL ? checks : json_object_new_array());
	scan_report_taskdef_tail(o, NULL);
	return o;
}

json_object *scan_report_taskdef_unknown(const char *arn, const char *reason)
{
	json_object *o = json_object_new_object();
	char *family = NULL;
	long rev = 0;

	scan_report_td_split(arn, &family, &rev);
	SCAN_SET(o, "arn", json_object_new_string(arn));
	SCAN_SET(o, "family", scan_report_strnull(family));
	SCAN_SET(o, "revision", rev > 0 ? json_object_new_int64(rev) : NULL);
	SCAN_SET(o, "status", NULL);
	SCAN_SET(o, "networkMode", NULL);
	SCAN_SET(o, "pidMode", NULL);
	SCAN_SET(o, "requiresCompatibilities", NULL);
	SCAN_SET(o, "latestActive", json_object_new_boolean(0));
	SCAN_SET(o, "latestActiveArn", NULL);
	SCAN_SET(o, "registeredBy", NULL);
	SCAN_SET(o, "tags", json_object_new_object());
	SCAN_SET(o, "containers", json_object_new_array());
	SCAN_SET(o, "checks", json_object_new_array());
	scan_report_taskdef_tail(o, reason);
	free(family);
	return o;
}

const char *scan_report_finding_control(json_object *asff, char *buf, size_t size)
{
	const char *id = jsonx_str(jsonx_obj(asff, "Compliance"), "SecurityControlId");
	const char *gen, *tail;
	size_t n;

	if (id != NULL && id[0] != '\0')
		return id;
	gen = jsonx_str(asff, "GeneratorId");
	if (gen == NULL)
		return NULL;
	/* "security-control/ECS.4", "aws-foundational-security-best-practices/v/1.0.0/ECS.4",
	 * "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.1" */
	tail = scan_report_arn_tail(gen);
	n = strlen(tail);
	if (n == 0 || n >= size || strchr(tail, '.') == NULL)
		return NULL;
	memcpy(buf, tail, n + 1);
	return buf;
}

static int scan_report_str_in(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, set[i]) == 0)
			return 1;
	}
	return 0;
}

static int scan_report_json_has(json_object *arr, const char *s)
{
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(arr, i));

		if (v != NULL && strcmp(v, s) == 0)
			return 1;
	}
	return 0;
}

static void scan_report_add_unique(json_object *arr, const char *s)
{
	if (s != NULL && !scan_report_json_has(arr, s))
		json_object_array_add(arr, json_object_new_string(s));
}

json_object *scan_report_finding(json_object *asff)
{
	json_object *res = scan_report_obj_at(jsonx_array(asff, "Resources"), 0);
	const char *type = jsonx_str(res, "Type");
	const char *rid = jsonx_str(res, "Id");
	const char *state = jsonx_str(asff, "RecordState");
	const char *control;
	char buf[64];
	json_object *o, *x;

	control = scan_report_finding_control(asff, buf, sizeof buf);
	if (control == NULL || rid == NULL || type == NULL || jsonx_str(asff, "Id") == NULL)
		return NULL;
	if (!scan_report_str_in(control, scan_report_handled_controls,
				scan_report_nhandled_controls))
		return NULL;
	if (strcmp(type, "AwsEcsTaskDefinition") != 0 && strcmp(type, "AwsEcsService") != 0)
		return NULL;
	if (state != NULL && strcmp(state, "ACTIVE") != 0)
		return NULL;
	o = json_object_new_object();
	scan_report_copy(o, "id", asff, "Id");
	SCAN_SET(o, "control", json_object_new_string(control));
	SCAN_SET(o, "resource", json_object_new_string(rid));
	scan_report_copy(o, "status", jsonx_obj(asff, "Compliance"), "Status");
	scan_report_copy(o, "workflowStatus", jsonx_obj(asff, "Workflow"), "Status");
	scan_report_copy(o, "severity", jsonx_obj(asff, "Severity"), "Label");
	scan_report_copy(o, "title", asff, "Title");
	scan_report_copy(o, "generatorId", asff, "GeneratorId");
	scan_report_copy(o, "updatedAt", asff, "UpdatedAt");
	SCAN_SET(o, "taskDefinition",
		 strcmp(type, "AwsEcsTaskDefinition") == 0 ? json_object_new_string(rid) : NULL);
	SCAN_SET(o, "services", json_object_new_array());
	/* a recorded exception (SUPPRESSED with an ecsfix note): rare, so the 12th member */
	x = exceptions_from_asff(asff);
	if (x != NULL)
		SCAN_SET(o, "exception", x);
	return o; /* 11 members: json-c keeps its smallest table (memory of large accounts) */
}

/* ---- finishing ---- */

struct scan_report_ctx {
	json_object *report;
	json_object *controls; /* borrowed array of strings */
	json_object *tds;      /* arn -> task definition entry (own references) */
	json_object *svcs;     /* arn -> service entry (own references) */
	json_object *latest;   /* borrowed */
};

static int scan_report_in_controls(const struct scan_report_ctx *x, const char *control)
{
	return scan_report_json_has(x->controls, control);
}

/* Sets entry.result and entry.failing of a task definition from its checks. */
static void scan_report_td_result(const struct scan_report_ctx *x, json_object *td)
{
	json_object *checks = jsonx_array(td, "checks");
	json_object *failing = json_object_new_array();
	size_t i, n = checks != NULL ? json_object_array_length(checks) : 0;
	const char *result = "PASSED";

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *control = jsonx_str(c, "control");
		const char *status = jsonx_str(c, "status");

		if (control == NULL || status == NULL || !scan_report_in_controls(x, control))
			continue;
		if (strcmp(status, "FAILED") == 0) {
			scan_report_add_unique(failing, control);
			result = "FAILED";
		}
	}
	if (jsonx_str(td, "unknown") != NULL)
		result = "UNKNOWN";
	SCAN_SET(td, "result", json_object_new_string(result));
	SCAN_SET(td, "failing", failing);
}

/* The revisions a service runs: its primary task definition, then each deployment's. */
static json_object *scan_report_service_revs(json_object *svc)
{
	json_object *revs = json_object_new_array();
	json_object *deps = jsonx_array(svc, "deployments");
	size_t i, n = deps != NULL ? json_object_array_length(deps) : 0;

	scan_report_add_unique(revs, jsonx_str(svc, "taskDefinition"));
	for (i = 0; i < n; i++)
		scan_report_add_unique(
		    revs, jsonx_str(json_object_array_get_idx(deps, i), "taskDefinition"));
	return revs;
}

static json_object *scan_report_lookup(json_object *map, const char *key)
{
	json_object *v = NULL;

	if (key == NULL || !json_object_object_get_ex(map, key, &v))
		return NULL;
	return v;
}

/* "web:5" for a task definition ARN. */
static const char *scan_report_short(const char *arn)
{
	return scan_report_arn_tail(arn);
}

static const char *scan_report_what_fails(const char *control)
{
	if (strcmp(control, "ECS.4") == 0)
		return "which is privileged";
	if (strcmp(control, "ECS.17") == 0)
		return "which uses host network mode";
	if (strcmp(control, "ECS.20") == 0)
		return "which runs a container as root";
	return "which fails it";
}

/* The status of control on the latest revision per Security Hub (a finding), or NULL. */
static const char *scan_report_hub_status(const struct scan_report_ctx *x, json_object *latest_td,
					  const char *control)
{
	json_object *ids = jsonx_array(latest_td, "findings");
	json_object *findings = jsonx_array(x->report, "findings");
	size_t i, j, n = ids != NULL ? json_object_array_length(ids) : 0;
	size_t m = findings != NULL ? json_object_array_length(findings) : 0;

	for (i = 0; i < n; i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(ids, i));

		for (j = 0; j < m; j++) {
			json_object *f = json_object_array_get_idx(findings, j);
			const char *fid = jsonx_str(f, "id"), *c = jsonx_str(f, "control");

			if (fid != NULL && c != NULL && strcmp(fid, id) == 0 &&
			    strcmp(c, control) == 0)
				return jsonx_str(f, "status");
		}
	}
	return NULL;
}

static int scan_report_check_status_is(json_object *td, const char *control, const char *status)
{
	json_object *checks = jsonx_array(td, "checks");
	size_t i, n = checks != NULL ? json_object_array_length(checks) : 0;
	int seen = 0;

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *cc = jsonx_str(c, "control"), *st = jsonx_str(c, "status");

		if (cc == NULL || st == NULL || strcmp(cc, control) != 0)
			continue;
		if (strcmp(st, status) != 0)
			return 0;
		seen = 1;
	}
	return seen;
}

static void scan_report_note(json_object *svc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void scan_report_note(json_object *svc, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	json_object_array_add(jsonx_array(svc, "notes"), json_object_new_string(sb.buf));
	strbuf_done(&sb);
}

/* The trap notes of one service (its revision td, possibly NULL). */
static void scan_report_service_notes(const struct scan_report_ctx *x, json_object *svc,
				      json_object *td)
{
	const char *arn = jsonx_str(svc, "arn");
	const char *ctl = jsonx_str(svc, "deploymentController");
	const char *run = jsonx_str(svc, "taskDefinition");
	json_object *failing = jsonx_array(td, "failing");
	json_object *users = jsonx_array(td, "services");
	json_object *deps = jsonx_array(svc, "deployments");
	const char *latest_arn = jsonx_str(td, "latestActiveArn");
	json_object *latest_td = scan_report_lookup(x->tds, latest_arn);
	size_t i, n = failing != NULL ? json_object_array_length(failing) : 0;

	/* A green finding (or a clean latest revision) while this service runs a bad one. */
	for (i = 0; i < n && latest_td != NULL && strcmp(latest_arn, run) != 0; i++) {
		const char *control = json_object_get_string(json_object_array_get_idx(failing, i));
		const char *hub = scan_report_hub_status(x, latest_td, control);

		if (hub != NULL && strcmp(hub, "PASSED") == 0)
			scan_report_note(
			    svc,
			    "Security Hub shows %s PASSED for %s (the latest revision) "
			    "but this service still runs %s, %s",
			    control, scan_report_short(latest_arn), scan_report_short(run),
			    scan_report_what_fails(control));
		else if (scan_report_check_status_is(latest_td, control, "PASSED"))
			scan_report_note(
			    svc,
			    "Security Hub evaluates only %s (the latest revision), which "
			    "passes %s, but this service still runs %s, %s",
			    scan_report_short(latest_arn), control, scan_report_short(run),
			    scan_report_what_fails(control));
	}
	/* A deployment other than the primary still runs a failing revision. */
	n = deps != NULL ? json_object_array_length(deps) : 0;
	for (i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(deps, i);
		const char *dtd = jsonx_str(d, "taskDefinition");
		json_object *e = scan_report_lookup(x->tds, dtd);
		json_object *df = jsonx_array(e, "failing");

		if (dtd == NULL || run == NULL || strcmp(dtd, run) == 0 || df == NULL ||
		    json_object_array_length(df) == 0)
			continue;
		scan_report_note(svc, "deployment %s (%s) still runs %s, which fails %s",
				 jsonx_str(d, "id") != NULL ? jsonx_str(d, "id") : "?",
				 jsonx_str(d, "status") != NULL ? jsonx_str(d, "status") : "?",
				 scan_report_short(dtd),
				 json_object_get_string(json_object_array_get_idx(df, 0)));
	}
	if (ctl != NULL && strcmp(ctl, "ECS") != 0)
		scan_report_note(svc,
				 "deployment controller %s: ecsfix cannot move it with "
				 "UpdateService",
				 ctl);
	/* The revision is shared with other services. */
	n = users != NULL ? json_object_array_length(users) : 0;
	if (n > 1 && arn != NULL) {
		struct strbuf sb;
		size_t named = 0;

		strbuf_init(&sb);
		for (i = 0; i < n; i++) {
			const char *other =
			    json_object_get_string(json_object_array_get_idx(users, i));
			json_object *o = scan_report_lookup(x->svcs, other);

			if (strcmp(other, arn) == 0)
				continue;
			if (named < SCAN_REPORT_NOTE_NAMES)
				strbuf_printf(&sb, "%s%s/%s", named > 0 ? ", " : "",
					      o != NULL ? jsonx_str(o, "cluster") : "?",
					      o != NULL ? jsonx_str(o, "name")
							: scan_report_arn_tail(other));
			named++;
		}
		if (named > SCAN_REPORT_NOTE_NAMES)
			strbuf_printf(&sb, " and %zu more", named - SCAN_REPORT_NOTE_NAMES);
		scan_report_note(svc, "revision %s also used by %zu other service%s: %s",
				 scan_report_short(run), n - 1, n - 1 == 1 ? "" : "s", sb.buf);
		strbuf_done(&sb);
	}
}

/* Status and failing controls of a service, from the revisions it runs. */
static void scan_report_service_result(const struct scan_report_ctx *x, json_object *svc,
				       json_object *revs)
{
	size_t i, n = json_object_array_length(revs);
	int failed = 0, unknown = jsonx_str(svc, "unknown") != NULL;
	json_object *td = scan_report_lookup(x->tds, jsonx_str(svc, "taskDefinition"));
	json_object *excepted = NULL; /* a revision it runs that is EXCEPTED */

	for (i = 0; i < n; i++) {
		json_object *e = scan_report_lookup(
		    x->tds, json_object_get_string(json_object_array_get_idx(revs, i)));
		const char *r = jsonx_str(e, "result");

		if (r == NULL || strcmp(r, "UNKNOWN") == 0)
			unknown = 1;
		else if (strcmp(r, "FAILED") == 0)
			failed = 1;
		else if (strcmp(r, "EXCEPTED") == 0)
			excepted = e;
	}
	if (n == 0)
		unknown = 1;
	if (td != NULL)
		SCAN_SET(svc, "failing", jsonx_clone(jsonx_array(td, "failing")));
	if (unknown && jsonx_str(svc, "unknown") == NULL) {
		const char *why = jsonx_str(td, "unknown");

		SCAN_SET(svc, "unknown",
			 json_object_new_string(why != NULL ? why
							    : "a revision it runs "
							      "could not be read"));
	}
	SCAN_SET(svc, "status",
		 json_object_new_string(failed     ? "FAILED"
					: unknown  ? "UNKNOWN"
					: excepted ? "EXCEPTED"
						   : "PASSED"));
	/* the exception that makes it EXCEPTED, else its revision's (expired, or not
	 * covering every failing control) */
	if (excepted == NULL || failed || unknown)
		excepted = td;
	if (jsonx_obj(excepted, "exception") != NULL)
		SCAN_SET(svc, "exception", jsonx_clone(jsonx_obj(excepted, "exception")));
}

static int scan_report_rank(json_object *o)
{
	const char *s = jsonx_str(o, "status");

	if (s != NULL && strcmp(s, "FAILED") == 0)
		return 0;
	if (s != NULL && strcmp(s, "UNKNOWN") == 0)
		return 1;
	if (s != NULL && strcmp(s, "EXCEPTED") == 0)
		return 2;
	return 3;
}

static int scan_report_strcmp0(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Compares the string members keys[] of a and b in turn. */
static int scan_report_cmp_keys(json_object *a, json_object *b, const char *const *keys)
{
	int d = 0;

	for (; *keys != NULL && d == 0; keys++)
		d = scan_report_strcmp0(jsonx_str(a, *keys), jsonx_str(b, *keys));
	return d;
}

static int scan_report_cmp_service(const void *pa, const void *pb)
{
	static const char *const keys[] = {"cluster", "name", "accountId", "region", "arn", NULL};
	json_object *a = *(json_object *const *)pa, *b = *(json_object *const *)pb;
	int d = scan_report_rank(a) - scan_report_rank(b);

	return d != 0 ? d : scan_report_cmp_keys(a, b, keys);
}

/* The order the answers arrived in is not the report's: arrays are sorted. */
static int scan_report_cmp_arn(const void *pa, const void *pb)
{
	static const char *const keys[] = {"arn", "name", NULL};

	return scan_report_cmp_keys(*(json_object *const *)pa, *(json_object *const *)pb, keys);
}

static int scan_report_cmp_cluster(const void *pa, const void *pb)
{
	static const char *const keys[] = {"accountId", "region", "name", "arn", "unknown", NULL};

	return scan_report_cmp_keys(*(json_object *const *)pa, *(json_object *const *)pb, keys);
}

static int scan_report_cmp_error(const void *pa, const void *pb)
{
	static const char *const keys[] = {"accountId", "region", "call", "target", "reason", NULL};

	return scan_report_cmp_keys(*(json_object *const *)pa, *(json_object *const *)pb, keys);
}

static int scan_report_cmp_td(const void *pa, const void *pb)
{
	json_object *a = *(json_object *const *)pa, *b = *(json_object *const *)pb;
	int d = scan_report_strcmp0(jsonx_str(a, "family"), jsonx_str(b, "family"));
	int64_t ra, rb;

	if (d != 0)
		return d;
	ra = jsonx_int(a, "revision", 0);
	rb = jsonx_int(b, "revision", 0);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return scan_report_strcmp0(jsonx_str(a, "arn"), jsonx_str(b, "arn"));
}

static int scan_report_cmp_finding(const void *pa, const void *pb)
{
	json_object *a = *(json_object *const *)pa, *b = *(json_object *const *)pb;
	int d = scan_report_strcmp0(jsonx_str(a, "control"), jsonx_str(b, "control"));

	if (d != 0)
		return d;
	d = scan_report_strcmp0(jsonx_str(a, "resource"), jsonx_str(b, "resource"));
	if (d != 0)
		return d;
	return scan_report_strcmp0(jsonx_str(a, "id"), jsonx_str(b, "id"));
}

/* Joins each finding to its task definition or service, and to the services running it. */
static void scan_report_join_findings(const struct scan_report_ctx *x)
{
	json_object *findings = jsonx_array(x->report, "findings");
	size_t i, j, n = findings != NULL ? json_object_array_length(findings) : 0;

	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(findings, i);
		const char *id = jsonx_str(f, "id"), *res = jsonx_str(f, "resource");
		json_object *td = scan_report_lookup(x->tds, res);
		json_object *svc = scan_report_lookup(x->svcs, res);
		json_object *fs = jsonx_array(f, "services");

		if (td != NULL) {
			json_object *users = jsonx_array(td, "services");
			size_t m = users != NULL ? json_object_array_length(users) : 0;

			scan_report_add_unique(jsonx_array(td, "findings"), id);
			for (j = 0; j < m; j++) {
				const char *sarn =
				    json_object_get_string(json_object_array_get_idx(users, j));

				scan_report_add_unique(fs, sarn);
				scan_report_add_unique(
				    jsonx_array(scan_report_lookup(x->svcs, sarn), "findings"), id);
			}
		}
		if (svc != NULL) {
			scan_report_add_unique(fs, res);
			scan_report_add_unique(jsonx_array(svc, "findings"), id);
		}
	}
}

/* Adds 1 to an integer member. */
static void scan_report_inc(json_object *o, const char *key)
{
	SCAN_SET(o, key, json_object_new_int64(jsonx_int(o, key, 0) + 1));
}

static void scan_report_summary(const struct scan_report_ctx *x, const char *findings_unknown)
{
	json_object *sum = json_object_new_object();
	json_object *clusters = jsonx_array(x->report, "clusters");
	json_object *services = jsonx_array(x->report, "services");
	json_object *tds = jsonx_array(x->report, "taskDefinitions");
	json_object *findings = jsonx_array(x->report, "findings");
	size_t i, n;
	int64_t sf = 0, su = 0, tf = 0, ff = 0, fp = 0, se = 0, te = 0;

	n = services != NULL ? json_object_array_length(services) : 0;
	for (i = 0; i < n; i++) {
		int r = scan_report_rank(json_object_array_get_idx(services, i));

		sf += r == 0;
		su += r == 1;
		se += r == 2;
	}
	n = tds != NULL ? json_object_array_length(tds) : 0;
	for (i = 0; i < n; i++) {
		const char *r = jsonx_str(json_object_array_get_idx(tds, i), "result");

		tf += scan_report_strcmp0(r, "FAILED") == 0;
		te += scan_report_strcmp0(r, "EXCEPTED") == 0;
	}
	n = findings != NULL ? json_object_array_length(findings) : 0;
	for (i = 0; i < n; i++) {
		const char *st = jsonx_str(json_object_array_get_idx(findings, i), "status");

		ff += scan_report_strcmp0(st, "FAILED") == 0;
		fp += scan_report_strcmp0(st, "PASSED") == 0;
	}
	SCAN_SET(sum, "clusters",
		 json_object_new_int64(
		     clusters != NULL ? (int64_t)json_object_array_length(clusters) : 0));
	SCAN_SET(sum, "services",
		 json_object_new_int64(
		     services != NULL ? (int64_t)json_object_array_length(services) : 0));
	SCAN_SET(sum, "servicesFailing", json_object_new_int64(sf));
	SCAN_SET(sum, "servicesUnknown", json_object_new_int64(su));
	SCAN_SET(sum, "taskDefinitions",
		 json_object_new_int64(tds != NULL ? (int64_t)json_object_array_length(tds) : 0));
	SCAN_SET(sum, "taskDefinitionsFailing", json_object_new_int64(tf));
	SCAN_SET(sum, "servicesExcepted", json_object_new_int64(se));
	SCAN_SET(sum, "taskDefinitionsExcepted", json_object_new_int64(te));
	SCAN_SET(sum, "findingsFailed", json_object_new_int64(ff));
	SCAN_SET(sum, "findingsPassed", json_object_new_int64(fp));
	SCAN_SET(sum, "exitCode", json_object_new_int(0));
	SCAN_SET(sum, "findingsUnknown", scan_report_strnull(findings_unknown));
	SCAN_SET(x->report, "summary", sum);
	SCAN_SET(sum, "exitCode", json_object_new_int(scan_report_exit_code(x->report)));
}

void scan_report_finish(json_object *report, json_object *latest, const char *findings_unknown)
{
	struct scan_report_ctx x;
	json_object *services = jsonx_array(report, "services");
	json_object *tds = jsonx_array(report, "taskDefinitions");
	json_object *clusters = jsonx_array(report, "clusters");
	json_object *findings = jsonx_array(report, "findings");
	json_object *cindex = json_object_new_object();
	size_t i, j, n;

	memset(&x, 0, sizeof x);
	x.report = report;
	x.controls = jsonx_array(report, "controls");
	x.tds = json_object_new_object();
	x.svcs = json_object_new_object();
	x.latest = latest;
	/* a fixed order first: services (and so the lists joined from them) by ARN */
	if (services != NULL)
		json_object_array_sort(services, scan_report_cmp_arn);
	if (clusters != NULL)
		json_object_array_sort(clusters, scan_report_cmp_cluster);
	if (jsonx_array(report, "errors") != NULL)
		json_object_array_sort(jsonx_array(report, "errors"), scan_report_cmp_error);

	/* Index, latest ACTIVE flags and per-revision results. */
	n = tds != NULL ? json_object_array_length(tds) : 0;
	for (i = 0; i < n; i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		const char *arn = jsonx_str(td, "arn");
		const char *fam = jsonx_str(td, "family");
		char *key = arn != NULL ? scan_report_family_key(arn) : NULL;
		json_object *l = scan_report_lookup(latest, key);
		const char *larn;

		free(key);
		if (l == NULL)
			l = scan_report_lookup(latest, fam);
		larn = l != NULL ? json_object_get_string(l) : NULL;
		if (arn == NULL)
			continue;
		json_object_object_add(x.tds, arn, json_object_get(td));
		SCAN_SET(td, "latestActive",
			 json_object_new_boolean(larn != NULL && strcmp(larn, arn) == 0));
		SCAN_SET(td, "latestActiveArn", scan_report_strnull(larn));
		scan_report_td_result(&x, td);
	}
	/* recorded exceptions (SUPPRESSED findings with an ecsfix note) until they expire */
	exceptions_mark_report(report, time(NULL));
	n = services != NULL ? json_object_array_length(services) : 0;
	for (i = 0; i < n; i++) {
		json_object *svc = json_object_array_get_idx(services, i);
		const char *arn = jsonx_str(svc, "arn");
		json_object *revs;

		if (arn == NULL)
			continue;
		json_object_object_add(x.svcs, arn, json_object_get(svc));
		revs = scan_report_service_revs(svc);
		for (j = 0; j < json_object_array_length(revs); j++) {
			json_object *td = scan_report_lookup(
			    x.tds, json_object_get_string(json_object_array_get_idx(revs, j)));

			if (td != NULL)
				scan_report_add_unique(jsonx_array(td, "services"), arn);
		}
		json_object_put(revs);
	}
	scan_report_join_findings(&x);
	for (i = 0; i < n; i++) {
		json_object *svc = json_object_array_get_idx(services, i);
		json_object *revs = scan_report_service_revs(svc);

		scan_report_service_result(&x, svc, revs);
		scan_report_service_notes(
		    &x, svc, scan_report_lookup(x.tds, jsonx_str(svc, "taskDefinition")));
		json_object_put(revs);
	}
	/* Cluster counts. */
	n = clusters != NULL ? json_object_array_length(clusters) : 0;
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(clusters, i);

		if (jsonx_str(c, "arn") != NULL)
			json_object_object_add(cindex, jsonx_str(c, "arn"), json_object_get(c));
	}
	n = services != NULL ? json_object_array_length(services) : 0;
	for (i = 0; i < n; i++) {
		json_object *svc = json_object_array_get_idx(services, i);
		json_object *c = scan_report_lookup(cindex, jsonx_str(svc, "clusterArn"));

		if (c == NULL)
			continue;
		scan_report_inc(c, "services");
		if (scan_report_rank(svc) == 0)
			scan_report_inc(c, "servicesFailing");
	}
	if (services != NULL)
		json_object_array_sort(services, scan_report_cmp_service);
	if (tds != NULL)
		json_object_array_sort(tds, scan_report_cmp_td);
	if (findings != NULL)
		json_object_array_sort(findings, scan_report_cmp_finding);
	scan_report_summary(&x, findings_unknown);
	SCAN_SET(report, "findingsUnknown", scan_report_strnull(findings_unknown));
	json_object_put(cindex);
	json_object_put(x.tds);
	json_object_put(x.svcs);
}

int scan_report_exit_code(json_object *report)
{
	json_object *services = jsonx_array(report, "services");
	json_object *tds = jsonx_array(report, "taskDefinitions");
	json_object *clusters = jsonx_array(report, "clusters");
	json_object *targets = jsonx_array(report, "targets");
	size_t i, n;
	int unknown = 0;

	n = tds != NULL ? json_object_array_length(tds) : 0;
	for (i = 0; i < n; i++) {
		const char *r = jsonx_str(json_object_array_get_idx(tds, i), "result");

		if (scan_report_strcmp0(r, "FAILED") == 0)
			return 1;
		if (scan_report_strcmp0(r, "UNKNOWN") == 0)
			unknown = 1;
	}
	n = services != NULL ? json_object_array_length(services) : 0;
	for (i = 0; i < n; i++) {
		int r = scan_report_rank(json_object_array_get_idx(services, i));

		if (r == 0)
			return 1;
		if (r == 1)
			unknown = 1;
	}
	n = clusters != NULL ? json_object_array_length(clusters) : 0;
	for (i = 0; i < n; i++) {
		if (jsonx_str(json_object_array_get_idx(clusters, i), "unknown") != NULL)
			unknown = 1;
	}
	n = scan_report_len(targets);
	for (i = 0; i < n; i++) {
		if (scan_report_strcmp0(jsonx_str(scan_report_obj_at(targets, i), "status"),
					"UNKNOWN") == 0)
			unknown = 1;
	}
	return unknown ? 2 : 0;
}

/* Prints text with every line indented by 4 spaces, without its trailing newline. */
static void scan_report_put_indented(FILE *fp, const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		fputs("    ", fp);
		if (nl == NULL) {
			fputs(p, fp);
			return;
		}
		fwrite(p, 1, (size_t)(nl - p), fp);
		if (nl[1] == '\0')
			return;
		fputc('\n', fp);
		p = nl + 1;
	}
}

int scan_report_write_json(FILE *fp, json_object *report)
{
	size_t nkeys = (size_t)json_object_object_length(report), k = 0, i, n;

	fputs("{\n", fp);
	json_object_object_foreach(report, key, val)
	{
		k++;
		if (json_object_is_type(val, json_type_array) &&
		    json_object_array_length(val) > 0) {
			fprintf(fp, "  \"%s\": [\n", key);
			n = json_object_array_length(val);
			for (i = 0; i < n; i++) {
				/* a clone, so the printed text is freed with it */
				json_object *e = jsonx_clone(json_object_array_get_idx(val, i));
				char *text = jsonx_pretty(e);

				json_object_put(e);
				scan_report_put_indented(fp, text);
				fputs(i + 1 < n ? ",\n" : "\n", fp);
				free(text);
			}
			fputs("  ]", fp);
		} else {
			json_object *w = json_object_new_object();
			char *text, *start, *end;

			json_object_object_add(w, key, json_object_get(val));
			text = jsonx_pretty(w);
			/* "{\n  "key": value\n}\n" -> "  "key": value" */
			start = strchr(text, '\n');
			end = strrchr(text, '}');
			if (start != NULL && end != NULL && end > start + 1) {
				end[-1] = '\0';
				fputs(start + 1, fp);
			}
			free(text);
			json_object_put(w);
		}
		fputs(k < nkeys ? ",\n" : "\n", fp);
	}
	fputs("}\n", fp);
	return ferror(fp) ? -1 : 0;
}
