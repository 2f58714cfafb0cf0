/* plan.c: builds the remediation plan from the account, reads and writes plan files, and
 * formats the plan for people. Changes nothing in the account. */
#include "config.h"

#include "core/plan.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/client.h"
#include "aws/sigv4.h"
#include "core/version.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define PLAN_MAX_FILE (4u * 1024u * 1024u)

/* ---- small helpers ---- */

static int plan_cancelled(volatile sig_atomic_t *cancel, struct err *e)
{
	if (cancel != NULL && *cancel) {
		err_set(e, "interrupted");
		snprintf(e->code, sizeof e->code, "Cancelled");
		return 1;
	}
	return 0;
}

/* One ECS call: body is taken; *resp owned by the caller on success. */
static int plan_ecs(struct aws_client *c, const char *op, json_object *body, json_object **resp,
		    struct err *e)
{
	struct aws_request r;
	int rc;

	aws_request_init(&r, AWS_SVC_ECS, op, body);
	rc = aws_call(c, &r);
	if (rc == 0) {
		*resp = r.resp;
		r.resp = NULL;
	} else {
		err_copy(e, &r.err);
	}
	aws_request_done(&r);
	json_object_put(body);
	return rc;
}

static json_object *plan_str_array(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* The part after "task-definition/" of an ARN ("family:rev"), or s itself. */
static const char *plan_td_short(const char *s)
{
	const char *p = s != NULL ? strstr(s, ":task-definition/") : NULL;

	return p != NULL ? p + strlen(":task-definition/") : s;
}

static int plan_td_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return 0;
	return strcmp(plan_td_short(a), plan_td_short(b)) == 0;
}

/* The name at the end of an ARN ("arn:...:cluster/prod" -> "prod"; service ARNs of the
 * long form "service/cluster/name" -> "name"). */
static const char *plan_arn_name(const char *arn)
{
	const char *p;

	if (arn == NULL)
		return NULL;
	p = strrchr(arn, '/');
	return p != NULL ? p + 1 : arn;
}

static void plan_canonical(struct strbuf *sb, json_object *o)
{
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_object: {
		const char **keys;
		struct json_object_iterator it, end;

		n = (size_t)json_object_object_length(o);
		keys = xcalloc(n + 1, sizeof *keys);
		i = 0;
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		while (!json_object_iter_equal(&it, &end)) {
			keys[i++] = json_object_iter_peek_name(&it);
			json_object_iter_next(&it);
		}
		/* insertion sort: small objects */
		for (size_t a = 1; a < n; a++) {
			const char *k = keys[a];
			size_t b = a;
			while (b > 0 && strcmp(keys[b - 1], k) > 0) {
				keys[b] = keys[b - 1];
				b--;
			}
			keys[b] = k;
		}
		strbuf_putc(sb, '{');
		for (i = 0; i < n; i++) {
			json_object *k = json_object_new_string(keys[i]);
			if (i)
				strbuf_putc(sb, ',');
			strbuf_puts(
			    sb, json_object_to_json_string_ext(
				    k, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(k);
			strbuf_putc(sb, ':');
			plan_canonical(sb, json_object_object_get(o, keys[i]));
		}
		strbuf_putc(sb, '}');
		free(keys);
		break;
	}
	case json_type_array:
		n = json_object_array_length(o);
		strbuf_putc(sb, '[');
		for (i = 0; i < n; i++) {
			if (i)
				strbuf_putc(sb, ',');
			plan_canonical(sb, json_object_array_get_idx(o, i));
		}
		strbuf_putc(sb, ']');
		break;
	case json_type_null:
		strbuf_puts(sb, "null");
		break;
	default:
		strbuf_puts(sb, json_object_to_json_string_ext(
				    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		break;
	}
}

char *plan_digest(json_object *doc)
{
	struct strbuf sb;
	char hex[65];

	strbuf_init(&sb);
	plan_canonical(&sb, doc);
	sigv4_sha256_hex(sb.buf, sb.len, hex);
	strbuf_done(&sb);
	return xasprintf("sha256:%s", hex);
}

int plan_parse_service_ref(const char *ref, char **cluster, char **service, struct err *e)
{
	const char *slash;

	*cluster = NULL;
	*service = NULL;
	if (ref == NULL || *ref == '\0')
		return err_set(e, "--service: empty value"),
		       err_hint(e, "give CLUSTER/SERVICE, e.g. --service prod/web");
	if (strncmp(ref, "arn:", 4) == 0) {
		/* arn:aws:ecs:region:acct:service/cluster/name (long form) or service/name */
		const char *p = strstr(ref, ":service/");
		const char *q;

		if (p == NULL)
			return err_set(e, "--service: \"%s\" is not a service ARN", ref);
		p += strlen(":service/");
		q = strchr(p, '/');
		if (q != NULL) {
			/* cluster ARN from the service ARN's prefix */
			size_t pre = (size_t)(p - ref) - strlen("service/");
			*cluster = xasprintf("%.*scluster/%.*s", (int)pre, ref, (int)(q - p), p);
		}
		*service = xstrdup(ref);
		return 0;
	}
	slash = strrchr(ref, '/');
	if (slash == NULL || slash == ref || slash[1] == '\0')
		return err_set(e, "--service: \"%s\" is not CLUSTER/SERVICE", ref),
		       err_hint(e, "e.g. --service prod/web");
	*cluster = xstrndup(ref, (size_t)(slash - ref));
	*service = xstrdup(slash + 1);
	return 0;
}

/* ---- reading the account ---- */

struct plan_ctx {
	struct aws_client *c;
	plan_progress_fn progress;
	void *pctx;
	volatile sig_atomic_t *cancel;
};

static void plan_say(struct plan_ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void plan_say(struct plan_ctx *x, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (x->progress == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	x->progress(x->pctx, s);
	free(s);
}

/* Why s (a DescribeServices entry) cannot be used, or NULL when it can: an object with a
 * string serviceArn and taskDefinition. */
static const char *plan_service_unusable(json_object *s)
{
	if (!json_object_is_type(s, json_type_object))
		return "an entry that is not an object";
	if (jsonx_str(s, "serviceArn") == NULL)
		return "a service without a serviceArn";
	if (jsonx_str(s, "taskDefinition") == NULL)
		return "no taskDefinition";
	return NULL;
}

/* The DescribeServices request body for names[0..n) (n <= 10) in cluster. */
static json_object *plan_describe_body(const char *cluster, const char *const *names, size_t n)
{
	json_object *body = json_object_new_object(), *list = json_object_new_array();
	size_t j;

	if (cluster != NULL)
		json_object_object_add(body, "cluster", json_object_new_string(cluster));
	for (j = 0; j < n; j++)
		json_object_array_add(list, json_object_new_string(names[j]));
	json_object_object_add(body, "services", list);
	return body;
}

/* The answer to one DescribeServices of names[0..n) in cluster: appends the ACTIVE services
 * to out. strict (names the user gave): a missing or inactive one fails; otherwise (a
 * cluster's listing) those are left out. Every name must be described or reported as a
 * failure: an answer that does neither is an error, never "no such service". */
static int plan_describe_answer(json_object *resp, const char *cluster, const char *const *names,
				size_t n, int strict, json_object *out, struct err *e)
{
	json_object *failures = jsonx_array(resp, "failures"),
		    *list = jsonx_array(resp, "services");
	const char *cl = cluster ? plan_arn_name(cluster) : "default";
	size_t j, nlist = list ? json_object_array_length(list) : 0;
	size_t nfail = failures ? json_object_array_length(failures) : 0;

	if (strict && nfail > 0) {
		json_object *f = json_object_array_get_idx(failures, 0);
		const char *arn = jsonx_str(f, "arn"), *reason = jsonx_str(f, "reason");

		err_set(e, "service %s in cluster %s: %s", arn ? plan_arn_name(arn) : names[0], cl,
			reason ? reason : "not found");
		return err_hint(e, "check the name with 'ecsfix scan' or 'aws ecs list-services'");
	}
	if (nlist + nfail < n) {
		err_set(
		    e, "DescribeServices in cluster %s described %zu of the %zu services asked for",
		    cl, nlist + nfail, n);
		return err_hint(e, "the answer is incomplete; nothing was planned, try again");
	}
	for (j = 0; j < nlist; j++) {
		json_object *s = json_object_array_get_idx(list, j);
		const char *why = plan_service_unusable(s), *st;

		if (why != NULL) {
			err_set(e, "DescribeServices in cluster %s: %s%s%s", cl,
				jsonx_str(s, "serviceName") ? jsonx_str(s, "serviceName") : "",
				jsonx_str(s, "serviceName") ? ": " : "", why);
			return err_hint(e, "the answer is not what ECS sends; nothing was planned");
		}
		st = jsonx_str(s, "status");
		if (st != NULL && strcmp(st, "ACTIVE") != 0) {
			if (!strict)
				continue;
			return err_set(e, "service %s is %s",
				       plan_arn_name(jsonx_str(s, "serviceArn")), st);
		}
		json_object_array_add(out, json_object_get(s));
	}
	return 0;
}

/* One DescribeServices call: up to 10 names of one cluster. */
struct plan_batch {
	const char *cluster;
	const char *const *names;
	size_t n;
};

/* Appends the batches of names (10 per call, the AWS limit) in cluster to *b. */
static void plan_batches_add(struct plan_batch **b, size_t *nb, const char *cluster,
			     const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 10) {
		*b = xreallocarray(*b, *nb + 1, sizeof **b);
		(*b)[*nb].cluster = cluster;
		(*b)[*nb].names = names + i;
		(*b)[*nb].n = n - i < 10 ? n - i : 10;
		(*nb)++;
	}
}

/* The DescribeServices calls of b[0..nb) side by side (aws_call_many paces them); each
 * answer through plan_describe_answer. */
static int plan_describe_batches(struct plan_ctx *x, const struct plan_batch *b, size_t nb,
				 int strict, json_object *out, struct err *e)
{
	struct aws_request *reqs;
	json_object **bodies;
	size_t i;
	int rc = 0;

	if (nb == 0)
		return 0;
	if (plan_cancelled(x->cancel, e))
		return -1;
	reqs = xcalloc(nb, sizeof *reqs);
	bodies = xcalloc(nb, sizeof *bodies);
	for (i = 0; i < nb; i++) {
		bodies[i] = plan_describe_body(b[i].cluster, b[i].names, b[i].n);
		aws_request_init(&reqs[i], AWS_SVC_ECS, "DescribeServices", bodies[i]);
	}
	aws_call_many(x->c, reqs, nb);
	for (i = 0; i < nb; i++) {
		if (rc == 0 && reqs[i].status != 0) {
			err_copy(e, &reqs[i].err);
			rc = -1;
		} else if (rc == 0) {
			rc = plan_describe_answer(reqs[i].resp, b[i].cluster, b[i].names, b[i].n,
						  strict, out, e);
		}
		aws_request_done(&reqs[i]);
		json_object_put(bodies[i]);
	}
	free(reqs);
	free(bodies);
	return rc;
}

/* DescribeServices of names in cluster (see plan_describe_batches). */
static int plan_describe_services(struct plan_ctx *x, const char *cluster, const char *const *names,
				  size_t n, int strict, json_object *out, struct err *e)
{
	struct plan_batch *b = NULL;
	size_t nb = 0;
	int rc;

	plan_batches_add(&b, &nb, cluster, names, n);
	rc = plan_describe_batches(x, b, nb, strict, out, e);
	free(b);
	return rc;
}

/* The revision number at the end of a task definition ARN or "family:rev" (-1: none). */
static long plan_td_rev(const char *arn)
{
	const char *colon = arn ? strrchr(plan_td_short(arn), ':') : NULL;
	char *end;
	long rev;

	if (colon == NULL)
		return -1;
	rev = strtol(colon + 1, &end, 10);
	return *end == '\0' && end != colon + 1 ? rev : -1;
}

/* The latest ACTIVE revision ARN of family (ListTaskDefinitions, sort DESC; the highest
 * revision of the first page, since some emulators ignore sort). NULL when none. */
static int plan_latest_active(struct plan_ctx *x, const char *family, char **arn, struct err *e)
{
	json_object *body = json_object_new_object(), *resp = NULL, *list;
	long best = -1;
	size_t i, fl = strlen(family);

	*arn = NULL;
	json_object_object_add(body, "familyPrefix", json_object_new_string(family));
	json_object_object_add(body, "status", json_object_new_string("ACTIVE"));
	json_object_object_add(body, "sort", json_object_new_string("DESC"));
	if (plan_ecs(x->c, "ListTaskDefinitions", body, &resp, e))
		return -1;
	list = jsonx_array(resp, "taskDefinitionArns");
	for (i = 0; list != NULL && i < json_object_array_length(list); i++) {
		json_object *v = json_object_array_get_idx(list, i);
		const char *a =
		    json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		const char *fam = plan_td_short(a);
		long rev = plan_td_rev(a);

		if (a == NULL || rev < 0 || strncmp(fam, family, fl) != 0 || fam[fl] != ':')
			continue;
		if (rev > best) {
			best = rev;
			free(*arn);
			*arn = xstrdup(a);
		}
	}
	json_object_put(resp);
	return 0;
}

int plan_latest_active_arn(struct aws_client *c, const char *family, char **arn, struct err *e)
{
	struct plan_ctx x = {c, NULL, NULL, NULL};

	return plan_latest_active(&x, family, arn, e);
}

/* The strings of a list answer (non-strings fail: the answer is not what AWS sends). */
static int plan_string_items(json_object *items, const char *op, struct err *e)
{
	size_t i;

	for (i = 0; i < json_object_array_length(items); i++) {
		if (!json_object_is_type(json_object_array_get_idx(items, i), json_type_string))
			return err_set(e, "%s: entry %zu is not a string", op, i),
			       err_hint(e, "the answer is not what ECS sends; nothing was planned");
	}
	return 0;
}

/* The service ARNs of cluster cl (ListServices, every page), checked to be strings. */
static int plan_list_services(struct plan_ctx *x, const char *cl, json_object **arns, struct err *e)
{
	json_object *body = json_object_new_object();
	int rc;

	plan_say(x, "listing services in %s", plan_arn_name(cl));
	json_object_object_add(body, "cluster", json_object_new_string(cl));
	json_object_object_add(body, "maxResults", json_object_new_int(100));
	rc = aws_paginate(x->c, AWS_SVC_ECS, "ListServices", body, "serviceArns", arns, e);
	json_object_put(body);
	if (rc == 0 && plan_string_items(*arns, "ListServices", e))
		rc = -1;
	return rc;
}

/* Every ACTIVE service of every cluster running td_arn: the clusters' listings first, then
 * every DescribeServices side by side. */
static int plan_services_running(struct plan_ctx *x, const char *td_arn, json_object *out,
				 struct err *e)
{
	json_object *clusters = NULL, *body = json_object_new_object(), *found, **arns;
	const char **names;
	struct plan_batch *b = NULL;
	size_t i, j, nc, nb = 0, nn = 0, at = 0;
	int rc;

	rc = aws_paginate(x->c, AWS_SVC_ECS, "ListClusters", body, "clusterArns", &clusters, e);
	json_object_put(body);
	if (rc || plan_string_items(clusters, "ListClusters", e)) {
		json_object_put(clusters);
		return -1;
	}
	nc = json_object_array_length(clusters);
	arns = xcalloc(nc + 1, sizeof *arns);
	for (i = 0; rc == 0 && i < nc; i++) {
		const char *cl = json_object_get_string(json_object_array_get_idx(clusters, i));

		rc = plan_cancelled(x->cancel, e) ? -1 : plan_list_services(x, cl, &arns[i], e);
		nn += rc == 0 ? json_object_array_length(arns[i]) : 0;
	}
	names = xcalloc(nn + 1, sizeof *names);
	for (i = 0; rc == 0 && i < nc; i++) {
		size_t n = json_object_array_length(arns[i]);

		for (j = 0; j < n; j++)
			names[at + j] =
			    json_object_get_string(json_object_array_get_idx(arns[i], j));
		plan_batches_add(&b, &nb,
				 json_object_get_string(json_object_array_get_idx(clusters, i)),
				 names + at, n);
		at += n;
	}
	found = json_object_new_array();
	if (rc == 0)
		rc = plan_describe_batches(x, b, nb, 0, found, e);
	for (i = 0; rc == 0 && i < json_object_array_length(found); i++) {
		json_object *s = json_object_array_get_idx(found, i);

		if (plan_td_same(jsonx_str(s, "taskDefinition"), td_arn))
			json_object_array_add(out, json_object_get(s));
	}
	for (i = 0; i < nc; i++)
		json_object_put(arns[i]);
	free(arns);
	free(names);
	free(b);
	json_object_put(found);
	json_object_put(clusters);
	return rc;
}

static const char *plan_controller(json_object *svc)
{
	const char *t = jsonx_str(jsonx_obj(svc, "deploymentController"), "type");

	return t != NULL ? t : "ECS";
}

static const char *plan_skip_reason(const char *ctl)
{
	if (strcmp(ctl, "CODE_DEPLOY") == 0)
		return "deployment controller CODE_DEPLOY: UpdateService cannot change its task "
		       "definition; create a CodeDeploy deployment with the new revision";
	if (strcmp(ctl, "EXTERNAL") == 0)
		return "deployment controller EXTERNAL: the task definition changes through a new "
		       "task set (CreateTaskSet) in your deployment tool";
	return "unknown deployment controller: ecsfix updates only ECS-controlled services";
}

json_object *plan_options_network(json_object *options, json_object *baseline)
{
	json_object *nc, *av, *v;
	const char *mode = jsonx_str(options, "networkMode");
	const char *cur = jsonx_str(baseline, "networkMode");

	if (mode == NULL || strcmp(mode, "awsvpc") != 0 || (cur != NULL && strcmp(cur, mode) == 0))
		return NULL;
	av = json_object_new_object();
	v = jsonx_array(options, "subnets");
	json_object_object_add(av, "subnets", v ? jsonx_clone(v) : json_object_new_array());
	v = jsonx_array(options, "securityGroups");
	if (v != NULL && json_object_array_length(v) > 0)
		json_object_object_add(av, "securityGroups", jsonx_clone(v));
	json_object_object_add(
	    av, "assignPublicIp",
	    json_object_new_string(
		jsonx_str(options, "assignPublicIp") &&
			strcmp(jsonx_str(options, "assignPublicIp"), "ENABLED") == 0
		    ? "ENABLED"
		    : "DISABLED"));
	nc = json_object_new_object();
	json_object_object_add(nc, "awsvpcConfiguration", av);
	return nc;
}

static json_object *plan_service_entry(json_object *s, const char *source_arn, json_object *nc)
{
	json_object *o = json_object_new_object();
	const char *ctl = plan_controller(s);
	const char *cl = jsonx_str(s, "clusterArn");
	const char *arn = jsonx_str(s, "serviceArn");
	int update = strcmp(ctl, "ECS") == 0;

	json_object_object_add(o, "serviceArn", json_object_new_string(arn));
	json_object_object_add(o, "serviceName",
			       json_object_new_string(jsonx_str(s, "serviceName")
							  ? jsonx_str(s, "serviceName")
							  : plan_arn_name(arn)));
	json_object_object_add(o, "clusterArn", json_object_new_string(cl ? cl : ""));
	json_object_object_add(o, "cluster", json_object_new_string(cl ? plan_arn_name(cl) : ""));
	/* the planned revision, as the full ARN (moto keeps what UpdateService was sent) */
	json_object_object_add(o, "taskDefinition", json_object_new_string(source_arn));
	json_object_object_add(o, "deploymentController", json_object_new_string(ctl));
	if (jsonx_str(s, "launchType"))
		json_object_object_add(o, "launchType",
				       json_object_new_string(jsonx_str(s, "launchType")));
	if (jsonx_str(s, "schedulingStrategy"))
		json_object_object_add(o, "schedulingStrategy",
				       json_object_new_string(jsonx_str(s, "schedulingStrategy")));
	json_object_object_add(o, "desiredCount",
			       json_object_new_int64(jsonx_int(s, "desiredCount", 0)));
	json_object_object_add(o, "runningCount",
			       json_object_new_int64(jsonx_int(s, "runningCount", 0)));
	json_object_object_add(o, "update", json_object_new_boolean(update));
	json_object_object_add(o, "selected", json_object_new_boolean(update));
	if (!update)
		json_object_object_add(o, "skipReason",
				       json_object_new_string(plan_skip_reason(ctl)));
	if (update && nc != NULL)
		json_object_object_add(o, "networkConfiguration", jsonx_clone(nc));
	return o;
}

static json_object *plan_iam(json_object *proposed, int any_update, int registers)
{
	json_object *a = json_object_new_array();
	const char *tr = jsonx_str(proposed, "taskRoleArn");
	const char *er = jsonx_str(proposed, "executionRoleArn");
	json_object *tags = jsonx_array(proposed, "tags");

	json_object_array_add(a, json_object_new_string("ecs:DescribeTaskDefinition"));
	json_object_array_add(a, json_object_new_string("ecs:ListTaskDefinitions"));
	json_object_array_add(a, json_object_new_string("ecs:DescribeServices"));
	if (registers) {
		json_object_array_add(a, json_object_new_string("ecs:RegisterTaskDefinition"));
		if (tags != NULL && json_object_array_length(tags) > 0)
			json_object_array_add(
			    a, json_object_new_string(
				   "ecs:TagResource (tags on RegisterTaskDefinition)"));
	}
	if (tr != NULL) {
		char *s = xasprintf("iam:PassRole on %s", tr);
		json_object_array_add(a, json_object_new_string(s));
		free(s);
	}
	if (er != NULL && (tr == NULL || strcmp(tr, er) != 0)) {
		char *s = xasprintf("iam:PassRole on %s", er);
		json_object_array_add(a, json_object_new_string(s));
		free(s);
	}
	if (any_update)
		json_object_array_add(a, json_object_new_string("ecs:UpdateService"));
	json_object_array_add(
	    a, json_object_new_string("securityhub:BatchUpdateFindings (only --note-findings)"));
	json_object_array_add(
	    a, json_object_new_string("ecs:DeregisterTaskDefinition (only --deregister-old, or "
				      "deregistering a failed revision)"));
	return a;
}

static const char *plan_net_name(enum transform_network n)
{
	switch (n) {
	case TRANSFORM_NET_BRIDGE:
		return "bridge";
	case TRANSFORM_NET_AWSVPC:
		return "awsvpc";
	default:
		return NULL;
	}
}

/* options.capAdd (strings) and options.devices (Device objects) into t, then the transform. */
static int plan_options_least(json_object *desc, json_object *options, struct transform_options *t,
			      struct transform_result *tr, struct err *e)
{
	json_object *caps = NULL, *devs = NULL;
	const char **names = NULL;
	size_t i, n = 0;
	int rc;

	json_object_object_get_ex(options, "capAdd", &caps);
	json_object_object_get_ex(options, "devices", &devs);
	if ((caps != NULL && !json_object_is_type(caps, json_type_array)) ||
	    (devs != NULL && !json_object_is_type(devs, json_type_array)))
		return err_set(e, "plan: options.capAdd and options.devices must be arrays");
	n = caps != NULL ? json_object_array_length(caps) : 0;
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++) {
		names[i] = json_object_get_string(json_object_array_get_idx(caps, i));
		if (!json_object_is_type(json_object_array_get_idx(caps, i), json_type_string)) {
			free(names);
			return err_set(e, "plan: options.capAdd[%zu] is not a string", i);
		}
	}
	t->cap_add = names;
	t->ncap_add = n;
	t->devices = devs;
	rc = transform_build(desc, t, tr, e);
	free(names);
	return rc;
}

/* A string member of options: absent/null is fine (NULL), another type an error. */
static int plan_option_str(json_object *options, const char *key, const char **out, struct err *e)
{
	json_object *v = NULL;

	*out = NULL;
	if (!json_object_object_get_ex(options, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return err_set(e, "plan: options.%s is not a string", key);
	*out = json_object_get_string(v);
	return 0;
}

int plan_options_propose(json_object *desc, json_object *options, struct transform_result *tr,
			 struct err *e)
{
	struct transform_options t;
	const char *net = NULL;

	memset(&t, 0, sizeof t);
	t.network_mode = TRANSFORM_NET_KEEP;
	if (options != NULL && !json_object_is_type(options, json_type_object))
		return err_set(e, "plan: \"options\" is not an object");
	if (plan_option_str(options, "user", &t.user, e) ||
	    plan_option_str(options, "networkMode", &net, e))
		return -1;
	if (net != NULL && transform_parse_network(net, &t.network_mode, e))
		return err_prefix(e, "plan: options.networkMode");
	return plan_options_least(desc, options, &t, tr, e);
}

/* The plan's "options" from the request (moveTo is added later when chosen). */
static json_object *plan_options_json(const struct plan_request *rq)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "user", rq->user ? json_object_new_string(rq->user) : NULL);
	json_object_object_add(o, "networkMode",
			       plan_net_name(rq->network_mode)
				   ? json_object_new_string(plan_net_name(rq->network_mode))
				   : NULL);
	json_object_object_add(o, "subnets", plan_str_array(rq->subnets, rq->nsubnets));
	json_object_object_add(o, "securityGroups",
			       plan_str_array(rq->security_groups, rq->nsecurity_groups));
	json_object_object_add(
	    o, "assignPublicIp",
	    rq->assign_public_ip >= 0
		? json_object_new_string(rq->assign_public_ip ? "ENABLED" : "DISABLED")
		: NULL);
	if (rq->ncap_add > 0)
		json_object_object_add(o, "capAdd", plan_str_array(rq->cap_add, rq->ncap_add));
	if (rq->devices != NULL && json_object_array_length(rq->devices) > 0)
		json_object_object_add(o, "devices", jsonx_clone(rq->devices));
	return o;
}

/* The named services (strict), all on one revision, no duplicates; *td_ref their revision. */
static int plan_resolve_named(struct plan_ctx *x, const struct plan_request *rq, json_object *svcs,
			      char **td_ref, struct err *e)
{
	json_object *a, *b;
	size_t i, j;

	for (i = 0; i < rq->nservices; i++) {
		char *cl = NULL, *name = NULL;
		const char *names[1];
		int rc;

		if (plan_parse_service_ref(rq->services[i], &cl, &name, e))
			return -1;
		plan_say(x, "reading service %s", rq->services[i]);
		names[0] = name;
		rc = plan_describe_services(x, cl, names, 1, 1, svcs, e);
		free(cl);
		free(name);
		if (rc)
			return -1;
	}
	for (i = 0; i < json_object_array_length(svcs); i++) {
		a = json_object_array_get_idx(svcs, i);
		for (j = 0; j < i; j++) {
			b = json_object_array_get_idx(svcs, j);
			if (strcmp(jsonx_str(a, "serviceArn"), jsonx_str(b, "serviceArn")) == 0)
				return err_set(e, "service %s is named twice",
					       plan_arn_name(jsonx_str(a, "serviceArn")));
		}
	}
	a = json_object_array_get_idx(svcs, 0);
	for (i = 1; i < json_object_array_length(svcs); i++) {
		b = json_object_array_get_idx(svcs, i);
		if (!plan_td_same(jsonx_str(a, "taskDefinition"), jsonx_str(b, "taskDefinition"))) {
			err_set(e, "the services run different revisions: %s runs %s, %s runs %s",
				plan_arn_name(jsonx_str(a, "serviceArn")),
				plan_td_short(jsonx_str(a, "taskDefinition")),
				plan_arn_name(jsonx_str(b, "serviceArn")),
				plan_td_short(jsonx_str(b, "taskDefinition")));
			return err_hint(e, "make one plan per revision");
		}
	}
	*td_ref = xstrdup(jsonx_str(a, "taskDefinition"));
	return 0;
}

/* Resolves the source: services -> their common revision; task definition -> the revision.
 * Fills svcs (the named services) and *td_ref. */
static int plan_resolve(struct plan_ctx *x, const struct plan_request *rq, json_object *svcs,
			char **td_ref, struct err *e)
{
	*td_ref = NULL;
	if (rq->nservices > 0)
		return plan_resolve_named(x, rq, svcs, td_ref, e);
	if (rq->task_definition == NULL || *rq->task_definition == '\0')
		return err_set(e, "nothing to plan"),
		       err_hint(e,
				"give --service CLUSTER/SERVICE or --task-definition FAMILY[:REV]");
	if (strncmp(rq->task_definition, "arn:", 4) == 0 || strchr(rq->task_definition, ':')) {
		*td_ref = xstrdup(rq->task_definition);
		return 0;
	}
	plan_say(x, "finding the latest ACTIVE revision of %s", rq->task_definition);
	if (plan_latest_active(x, rq->task_definition, td_ref, e))
		return -1;
	if (*td_ref == NULL)
		return err_set(e, "task definition family %s has no ACTIVE revision",
			       rq->task_definition);
	return 0;
}

/* DescribeTaskDefinition (include TAGS) of ref; *desc owned by the caller, checked to hold a
 * taskDefinition object with a string taskDefinitionArn and family. */
static int plan_describe_td(struct plan_ctx *x, const char *ref, json_object **desc, struct err *e)
{
	json_object *body = json_object_new_object(), *arr = json_object_new_array(), *td;

	*desc = NULL;
	json_object_object_add(body, "taskDefinition", json_object_new_string(ref));
	json_object_array_add(arr, json_object_new_string("TAGS"));
	json_object_object_add(body, "include", arr);
	if (plan_ecs(x->c, "DescribeTaskDefinition", body, desc, e))
		return -1;
	td = jsonx_obj(*desc, "taskDefinition");
	if (jsonx_str(td, "taskDefinitionArn") == NULL || jsonx_str(td, "family") == NULL) {
		json_object_put(*desc);
		*desc = NULL;
		return err_set(e,
			       "DescribeTaskDefinition %s: no taskDefinition with an ARN and a "
			       "family in the answer",
			       plan_td_short(ref));
	}
	return 0;
}

/* Adds to svcs every service, in every cluster, that runs source_arn and is not in it yet
 * (the unit of remediation is the revision). */
static int plan_add_running(struct plan_ctx *x, const char *source_arn, json_object *svcs,
			    struct err *e)
{
	json_object *found = json_object_new_array();
	size_t i, j, n = json_object_array_length(svcs);

	plan_say(x, "finding the services that run %s", plan_td_short(source_arn));
	if (plan_services_running(x, source_arn, found, e)) {
		json_object_put(found);
		return -1;
	}
	for (i = 0; i < json_object_array_length(found); i++) {
		json_object *s = json_object_array_get_idx(found, i);
		for (j = 0; j < n; j++) {
			if (strcmp(jsonx_str(s, "serviceArn"),
				   jsonx_str(json_object_array_get_idx(svcs, j), "serviceArn")) ==
			    0)
				break;
		}
		if (j == n)
			json_object_array_add(svcs, json_object_get(s));
	}
	json_object_put(found);
	return 0;
}

/* The names of the controls in mask, "ECS.4, ECS.17, ECS.20". Caller frees. */
static char *plan_controls_text(unsigned mask)
{
	struct strbuf sb;
	size_t i;
	char *s;

	strbuf_init(&sb);
	for (i = 0; i < rules_count(); i++) {
		if (mask & (1u << i))
			strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", rules_get(i)->id);
	}
	s = strbuf_take(&sb);
	strbuf_done(&sb);
	return s;
}

/* A newer ACTIVE revision of the family that already passes the deciding controls and keeps
 * the network mode: the services can move to it instead of a fix re-registered from the
 * source (which would drop what it changed). *arn and *doc (register input) NULL when none. */
static int plan_find_move_to(struct plan_ctx *x, json_object *baseline, const char *source_arn,
			     unsigned controls, char **arn, json_object **doc, struct err *e)
{
	json_object *desc = NULL;
	struct rule_results rr;
	char *latest = NULL;
	const char *m1, *m2;
	int rc = -1;

	*arn = NULL;
	*doc = NULL;
	rule_results_init(&rr);
	if (plan_latest_active(x, jsonx_str(baseline, "family"), &latest, e))
		goto out;
	rc = 0;
	if (latest == NULL || plan_td_rev(latest) <= plan_td_rev(source_arn))
		goto out;
	rc = -1;
	plan_say(x, "reading task definition %s", plan_td_short(latest));
	if (plan_describe_td(x, latest, &desc, e) || transform_register_input(desc, doc, e) ||
	    rules_evaluate(*doc, &rr, e))
		goto out;
	rc = 0;
	m1 = jsonx_str(baseline, "networkMode");
	m2 = jsonx_str(*doc, "networkMode");
	if (rules_failed_mask(&rr, controls) > 0 ||
	    strcmp(m1 ? m1 : "bridge", m2 ? m2 : "bridge") != 0) {
		json_object_put(*doc);
		*doc = NULL;
		goto out;
	}
	*arn = latest;
	latest = NULL;
out:
	if (rc) {
		json_object_put(*doc);
		*doc = NULL;
	}
	free(latest);
	json_object_put(desc);
	rule_results_done(&rr);
	return rc;
}

/* What the plan will do, gathered before the document is written. */
struct plan_parts {
	json_object *desc;      /* the source's DescribeTaskDefinition answer */
	const char *source_arn; /* borrowed from desc */
	json_object *svcs;      /* DescribeServices entries */
	json_object *options;   /* the plan's options */
	json_object *nc;        /* networkConfiguration the services get, or NULL */
	struct transform_result tr;
	char *move_to;         /* options.moveTo, or NULL */
	json_object *move_doc; /* its register input */
	char *other_latest;    /* a newer latest ACTIVE revision that is not moved to */
	unsigned controls;
	size_t nupdate;
	const char *role_arn; /* the request's role, or NULL */
};

/* Network-mode checks that need the services (awsvpc needs subnets; no way back). */
static int plan_check_network(const struct plan_request *rq, struct plan_parts *pp, struct err *e)
{
	const char *cur = jsonx_str(pp->tr.baseline, "networkMode");

	if (cur == NULL)
		cur = "bridge";
	if (pp->nc != NULL && pp->nupdate > 0 && rq->nsubnets == 0) {
		err_set(e, "moving services to awsvpc needs --subnets");
		return err_hint(e, "add --subnets subnet-a,subnet-b and --security-groups sg-x");
	}
	if (rq->network_mode == TRANSFORM_NET_BRIDGE && strcmp(cur, "awsvpc") == 0 &&
	    pp->nupdate > 0) {
		err_set(e, "moving an awsvpc service back to bridge is not supported");
		return err_hint(e, "UpdateService cannot clear a service's networkConfiguration");
	}
	return 0;
}

/* The notes: the transform's, and what moveTo or a newer latest revision means. */
static json_object *plan_notes(struct plan_parts *pp)
{
	/* the transform's notes are about a fix of the source: not for a move */
	json_object *arr = plan_str_array((const char *const *)pp->tr.notes,
					  pp->move_to != NULL ? 0 : pp->tr.nnotes);
	const char *src = plan_td_short(pp->source_arn);
	char *n = NULL, *ctl = plan_controls_text(pp->controls);

	if (pp->move_to != NULL)
		n = xasprintf("%s, the family's latest ACTIVE revision, already passes %s: the "
			      "services move to it and nothing is registered (--no-move-to "
			      "registers a fix of %s instead, without what %s changed)",
			      plan_td_short(pp->move_to), ctl, src, plan_td_short(pp->move_to));
	else if (pp->other_latest != NULL)
		n = xasprintf("%s is not the family's latest ACTIVE revision (%s is): the fix is "
			      "registered from %s as a new latest revision, so what %s changed is "
			      "not in it",
			      src, plan_td_short(pp->other_latest), src,
			      plan_td_short(pp->other_latest));
	if (n != NULL)
		json_object_array_add(arr, json_object_new_string(n));
	free(n);
	free(ctl);
	return arr;
}

/* The plan document from its parts. */
static json_object *plan_document(struct plan_ctx *x, const char *account, struct plan_parts *pp)
{
	json_object *doc = json_object_new_object(), *o, *arr;
	json_object *td = jsonx_obj(pp->desc, "taskDefinition");
	char when[32], *digest;
	size_t i;

	json_object_object_add(doc, "ecsfixPlan", json_object_new_int(PLAN_FORMAT_VERSION));
	json_object_object_add(doc, "ecsfixVersion", json_object_new_string(version_string()));
	time_iso8601(time(NULL), when, sizeof when);
	json_object_object_add(doc, "createdAt", json_object_new_string(when));
	json_object_object_add(doc, "region", json_object_new_string(aws_client_region(x->c)));
	json_object_object_add(doc, "account", json_object_new_string(account));
	json_object_object_add(doc, "roleArn",
			       pp->role_arn ? json_object_new_string(pp->role_arn) : NULL);
	o = json_object_new_object();
	json_object_object_add(o, "taskDefinitionArn", json_object_new_string(pp->source_arn));
	json_object_object_add(o, "family", json_object_new_string(jsonx_str(td, "family")));
	json_object_object_add(o, "revision", json_object_new_int64(jsonx_int(td, "revision", 0)));
	digest = plan_digest(pp->tr.baseline);
	json_object_object_add(o, "digest", json_object_new_string(digest));
	free(digest);
	json_object_object_add(o, "document", json_object_get(pp->tr.baseline));
	json_object_object_add(doc, "source", o);
	json_object_object_add(doc, "proposed",
			       json_object_get(pp->move_doc ? pp->move_doc : pp->tr.request));
	if (pp->move_to != NULL)
		json_object_object_add(pp->options, "moveTo", json_object_new_string(pp->move_to));
	json_object_object_add(doc, "options", json_object_get(pp->options));
	arr = json_object_new_array();
	for (i = 0; i < json_object_array_length(pp->svcs); i++)
		json_object_array_add(arr,
				      plan_service_entry(json_object_array_get_idx(pp->svcs, i),
							 pp->source_arn, pp->nc));
	json_object_object_add(doc, "services", arr);
	if (pp->move_to != NULL) {
		char *c = xasprintf("move the services from %s to %s (an existing revision)",
				    plan_td_short(pp->source_arn), plan_td_short(pp->move_to));
		arr = json_object_new_array();
		json_object_array_add(arr, json_object_new_string(c));
		free(c);
	} else {
		arr = plan_str_array((const char *const *)pp->tr.changes, pp->tr.nchanges);
	}
	json_object_object_add(doc, "changes", arr);
	json_object_object_add(doc, "notes", plan_notes(pp));
	json_object_object_add(doc, "iamActions",
			       plan_iam(pp->move_doc ? pp->move_doc : pp->tr.request,
					pp->nupdate > 0, pp->move_to == NULL));
	return doc;
}

/* moveTo, or the note that a newer latest revision exists. Only for a source that fails a
 * deciding control and a plan without user/network options (those transform the source). */
static int plan_choose_target(struct plan_ctx *x, const struct plan_request *rq,
			      struct plan_parts *pp, struct err *e)
{
	const char *family = jsonx_str(pp->tr.baseline, "family");

	if (family != NULL && rules_failed_mask(&pp->tr.before, pp->controls) > 0 &&
	    rq->user == NULL && rq->network_mode == TRANSFORM_NET_KEEP) {
		if (plan_find_move_to(x, pp->tr.baseline, pp->source_arn, pp->controls,
				      &pp->move_to, &pp->move_doc, e))
			return -1;
		if (pp->move_to != NULL && rq->no_move_to) {
			pp->other_latest = pp->move_to;
			pp->move_to = NULL;
			json_object_put(pp->move_doc);
			pp->move_doc = NULL;
		}
	}
	if (pp->move_to == NULL && pp->other_latest == NULL && family != NULL) {
		/* Security Hub judges the family's latest ACTIVE revision only */
		char *latest = NULL;
		struct err e2;

		err_clear(&e2);
		if (plan_latest_active(x, family, &latest, &e2) == 0 && latest != NULL &&
		    !plan_td_same(latest, pp->source_arn))
			pp->other_latest = latest;
		else
			free(latest);
	}
	return 0;
}

static int plan_check_request(const struct plan_request *rq, struct err *e)
{
	if (rq->nservices > 0 && rq->task_definition != NULL)
		return err_set(e, "--service and --task-definition exclude each other");
	if (rq->only_this_service && rq->nservices == 0)
		return err_set(e, "--only-this-service needs --service");
	if (rq->network_mode != TRANSFORM_NET_AWSVPC &&
	    (rq->nsubnets > 0 || rq->nsecurity_groups > 0 || rq->assign_public_ip >= 0))
		return err_set(e, "--subnets, --security-groups and --assign-public-ip need "
				  "--network-mode awsvpc");
	return 0;
}

int plan_build(struct aws_client *c, const struct plan_request *rq, plan_progress_fn progress,
	       void *ctx, volatile sig_atomic_t *cancel, struct plan **out, struct err *e)
{
	struct plan_ctx x = {c, progress, ctx, cancel};
	struct plan_parts pp;
	const char *account = NULL;
	char *td_ref = NULL;
	size_t i;
	int rc = -1;

	*out = NULL;
	memset(&pp, 0, sizeof pp);
	transform_result_init(&pp.tr);
	pp.svcs = json_object_new_array();
	pp.controls = rq->controls ? rq->controls : rules_default_mask();
	pp.role_arn = rq->role_arn;
	if (plan_check_request(rq, e))
		goto out;
	plan_say(&x, "reading the account id");
	if (aws_client_account(c, &account, e) || plan_resolve(&x, rq, pp.svcs, &td_ref, e) ||
	    plan_cancelled(cancel, e))
		goto out;
	plan_say(&x, "reading task definition %s", plan_td_short(td_ref));
	if (plan_describe_td(&x, td_ref, &pp.desc, e))
		goto out;
	pp.source_arn = jsonx_str(jsonx_obj(pp.desc, "taskDefinition"), "taskDefinitionArn");
	if (!rq->only_this_service && plan_add_running(&x, pp.source_arn, pp.svcs, e))
		goto out;
	pp.options = plan_options_json(rq);
	if (plan_options_propose(pp.desc, pp.options, &pp.tr, e))
		goto out;
	pp.nc = plan_options_network(pp.options, pp.tr.baseline);
	for (i = 0; i < json_object_array_length(pp.svcs); i++) {
		if (strcmp(plan_controller(json_object_array_get_idx(pp.svcs, i)), "ECS") == 0)
			pp.nupdate++;
	}
	if (plan_check_network(rq, &pp, e) || plan_choose_target(&x, rq, &pp, e))
		goto out;
	rc = plan_from_json_take(plan_document(&x, account, &pp), out, e);
out:
	free(td_ref);
	free(pp.move_to);
	free(pp.other_latest);
	json_object_put(pp.move_doc);
	json_object_put(pp.desc);
	json_object_put(pp.svcs);
	json_object_put(pp.options);
	json_object_put(pp.nc);
	transform_result_done(&pp.tr);
	return rc;
}

int plan_find_services(struct aws_client *c, const char *td_arn, volatile sig_atomic_t *cancel,
		       json_object **services, struct err *e)
{
	struct plan_ctx x = {c, NULL, NULL, cancel};

	*services = json_object_new_array();
	if (plan_services_running(&x, td_arn, *services, e)) {
		json_object_put(*services);
		*services = NULL;
		return -1;
	}
	return 0;
}

const char *plan_td_name(const char *arn)
{
	return plan_td_short(arn);
}

int plan_td_equal(const char *a, const char *b)
{
	return plan_td_same(a, b);
}

/* ---- the document and its view ---- */

static const char *const *plan_strings(json_object *arr, size_t *n)
{
	const char **v;
	size_t i, len = arr != NULL ? json_object_array_length(arr) : 0;

	v = xcalloc(len + 1, sizeof *v);
	*n = 0;
	for (i = 0; i < len; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		if (json_object_is_type(o, json_type_string))
			v[(*n)++] = json_object_get_string(o);
	}
	return v;
}

static json_object *plan_doc_array(json_object *doc, const char *key, struct err *e)
{
	json_object *a = NULL;

	if (!json_object_object_get_ex(doc, key, &a) || a == NULL)
		return NULL;
	if (!json_object_is_type(a, json_type_array)) {
		err_set(e, "plan: \"%s\" is not a list", key);
		return NULL;
	}
	return a;
}

/* The view of services[i] (s), checked. */
static int plan_view_service(json_object *s, size_t i, struct plan_service *ps, struct err *e)
{

	ps->arn = jsonx_str(s, "serviceArn");
	ps->name = jsonx_str(s, "serviceName");
	ps->cluster_arn = jsonx_str(s, "clusterArn");
	ps->cluster = jsonx_str(s, "cluster");
	ps->task_definition = jsonx_str(s, "taskDefinition");
	ps->controller = jsonx_str(s, "deploymentController");
	ps->launch_type = jsonx_str(s, "launchType");
	ps->scheduling = jsonx_str(s, "schedulingStrategy");
	ps->desired = jsonx_int(s, "desiredCount", 0);
	ps->running = jsonx_int(s, "runningCount", 0);
	ps->update = jsonx_bool(s, "update") == 1;
	/* a plan without "selected" (older ecsfix) moves every updatable service */
	ps->selected =
	    jsonx_bool(s, "selected") == -1 ? ps->update : jsonx_bool(s, "selected") == 1;
	ps->skip_reason = jsonx_str(s, "skipReason");
	ps->network_configuration = jsonx_obj(s, "networkConfiguration");
	if (ps->arn == NULL || ps->name == NULL || ps->cluster_arn == NULL ||
	    ps->task_definition == NULL || ps->controller == NULL) {
		err_set(e,
			"plan: services[%zu] lacks serviceArn, serviceName, clusterArn, "
			"taskDefinition or deploymentController",
			i);
		return -1;
	}
	if (ps->cluster == NULL)
		ps->cluster = plan_arn_name(ps->cluster_arn);
	if (ps->update && strcmp(ps->controller, "ECS") != 0) {
		err_set(e, "plan: service %s has controller %s and cannot be updated", ps->name,
			ps->controller);
		return -1;
	}
	if (ps->selected && !ps->update) {
		err_set(e, "plan: service %s is selected but cannot be updated (%s)", ps->name,
			ps->controller);
		return -1;
	}
	return 0;
}

/* "arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME" with the characters IAM allows. */
static int plan_is_role_arn(const char *s)
{
	const char *p = s, *name;
	size_t i;

	if (strncmp(p, "arn:", 4) != 0)
		return 0;
	p += 4;
	p += strspn(p, "abcdefghijklmnopqrstuvwxyz-");
	if (strncmp(p, ":iam::", 6) != 0)
		return 0;
	p += 6;
	if (strspn(p, "0123456789") != 12 || strncmp(p + 12, ":role/", 6) != 0)
		return 0;
	name = p + 18;
	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("_+=,.@-/", c) != NULL))
			return 0;
	}
	return i > 0 && i <= 512 && name[i - 1] != '/';
}

/* The plan's roleArn: absent or null (the base credentials), or an IAM role ARN. */
static int plan_role_of(json_object *doc, const char **role, struct err *e)
{
	json_object *v = NULL;

	*role = NULL;
	if (!json_object_object_get_ex(doc, "roleArn", &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    !plan_is_role_arn(json_object_get_string(v)))
		return err_set(e, "plan: \"roleArn\" is not an IAM role ARN "
				  "(arn:aws:iam::ACCOUNT:role/NAME) or null");
	*role = json_object_get_string(v);
	return 0;
}

int plan_from_json_take(json_object *doc, struct plan **out, struct err *e)
{
	struct plan *p;
	json_object *src, *svcs, *a;
	size_t i;
	char *la = NULL, *lb = NULL;

	*out = NULL;
	if (!json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		return err_set(e, "plan: not a JSON object");
	}
	if (jsonx_int(doc, "ecsfixPlan", 0) != PLAN_FORMAT_VERSION) {
		err_set(e, "plan: \"ecsfixPlan\" is %lld, this ecsfix reads version %d",
			(long long)jsonx_int(doc, "ecsfixPlan", 0), PLAN_FORMAT_VERSION);
		err_hint(e, "make the plan again with this ecsfix");
		json_object_put(doc);
		return -1;
	}
	p = xcalloc(1, sizeof *p);
	p->doc = doc;
	rule_results_init(&p->before);
	rule_results_init(&p->after);
	diff_init(&p->diff);
	src = jsonx_obj(doc, "source");
	p->region = jsonx_str(doc, "region");
	p->account = jsonx_str(doc, "account");
	if (plan_role_of(doc, &p->role_arn, e))
		goto fail;
	p->source_arn = jsonx_str(src, "taskDefinitionArn");
	p->family = jsonx_str(src, "family");
	p->digest = jsonx_str(src, "digest");
	p->baseline = jsonx_obj(src, "document");
	p->proposed = jsonx_obj(doc, "proposed");
	p->move_to = jsonx_str(jsonx_obj(doc, "options"), "moveTo");
	if (p->region == NULL || p->account == NULL || p->source_arn == NULL || p->digest == NULL ||
	    p->baseline == NULL || p->proposed == NULL || p->family == NULL) {
		err_set(e, "plan: missing one of region, account, source.taskDefinitionArn, "
			   "source.family, source.digest, source.document, proposed");
		goto fail;
	}
	err_clear(e);
	svcs = plan_doc_array(doc, "services", e);
	if (svcs == NULL && e->msg[0])
		goto fail;
	p->nservices = svcs ? json_object_array_length(svcs) : 0;
	p->services = xcalloc(p->nservices + 1, sizeof *p->services);
	for (i = 0; i < p->nservices; i++) {
		struct plan_service *ps = &p->services[i];

		if (plan_view_service(json_object_array_get_idx(svcs, i), i, ps, e))
			goto fail;
		if (ps->update)
			p->nupdate++;
		if (ps->selected)
			p->nselected++;
	}
	a = plan_doc_array(doc, "changes", e);
	p->changes = plan_strings(a, &p->nchanges);
	a = plan_doc_array(doc, "notes", e);
	p->notes = plan_strings(a, &p->nnotes);
	a = plan_doc_array(doc, "iamActions", e);
	p->iam_actions = plan_strings(a, &p->niam_actions);
	if (e->msg[0] != '\0')
		goto fail;
	if (rules_evaluate(p->baseline, &p->before, e) || rules_evaluate(p->proposed, &p->after, e))
		goto fail;
	diff_json(p->baseline, p->proposed, DIFF_CONTEXT_DEFAULT, &p->diff);
	la = xasprintf("a/%s", plan_td_short(p->source_arn));
	lb = p->move_to ? xasprintf("b/%s", plan_td_short(p->move_to))
			: xasprintf("b/%s:new", p->family);
	p->diff_text = diff_unified(&p->diff, la, lb);
	free(la);
	free(lb);
	*out = p;
	return 0;
fail:
	plan_free(p);
	return -1;
}

int plan_load(const char *path, struct plan **out, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	json_object *doc = NULL;

	*out = NULL;
	if (file_read_all(path, PLAN_MAX_FILE, &buf, &len, e))
		return -1;
	if (jsonx_parse(buf, len, &doc, e)) {
		free(buf);
		return err_prefix(e, "%s", path);
	}
	free(buf);
	if (plan_from_json_take(doc, out, e))
		return err_prefix(e, "%s", path);
	return 0;
}

int plan_write(const struct plan *p, const char *path, struct err *e)
{
	char *text = jsonx_pretty(p->doc);
	int rc = file_write_atomic(path, text, strlen(text), 0600, 0, e);

	free(text);
	return rc;
}

void plan_service_set_selected(struct plan *p, size_t i, int on)
{
	struct plan_service *ps;
	json_object *s;

	assert(i < p->nservices);
	ps = &p->services[i];
	on = on && ps->update;
	if (ps->selected == on)
		return;
	s = json_object_array_get_idx(jsonx_array(p->doc, "services"), i);
	assert(s != NULL);
	json_object_object_add(s, "selected", json_object_new_boolean(on));
	ps->selected = on;
	if (on)
		p->nselected++;
	else
		p->nselected--;
}

void plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	json_object_put(p->doc);
	free(p->services);
	free((void *)p->changes);
	free((void *)p->notes);
	free((void *)p->iam_actions);
	rule_results_done(&p->before);
	rule_results_done(&p->after);
	diff_done(&p->diff);
	free(p->diff_text);
	free(p);
}

int plan_has_changes(const struct plan *p)
{
	size_t i;

	if (p->nchanges > 0)
		return 1;
	for (i = 0; i < p->nservices; i++) {
		if (p->services[i].update && p->services[i].network_configuration != NULL)
			return 1;
	}
	return 0;
}

/* ---- text ---- */

static void plan_color(struct strbuf *sb, int color, const char *code)
{
	if (color)
		strbuf_printf(sb, "\033[%sm", code);
}

static void plan_rules_text(struct strbuf *sb, const struct plan *p, int color)
{
	size_t i;

	for (i = 0; i < p->after.n; i++) {
		const struct rule_result *a = &p->after.v[i];
		const struct rule_result *b =
		    rules_result_for(&p->before, a->control, a->container_index);
		const struct rule_def *d = rules_find(a->control);
		enum rule_status bs = b != NULL ? b->status : RULE_NOT_APPLICABLE;

		if (a->status == RULE_NOT_APPLICABLE && bs == RULE_NOT_APPLICABLE)
			continue;
		if (d != NULL && d->info_only && a->status == bs)
			continue;
		strbuf_printf(sb, "  %-6s %-18s ", a->control,
			      a->container ? a->container : "(task)");
		plan_color(sb, color, bs == RULE_FAILED ? "31" : "32");
		strbuf_puts(sb, rules_status_name(bs));
		plan_color(sb, color, "0");
		strbuf_puts(sb, " -> ");
		plan_color(sb, color, a->status == RULE_FAILED ? "31" : "32");
		strbuf_puts(sb, rules_status_name(a->status));
		plan_color(sb, color, "0");
		if (a->status == RULE_FAILED && a->reason)
			strbuf_printf(sb, "  (%s)", a->reason);
		strbuf_putc(sb, '\n');
	}
}

/* The unified diff, coloured on request, then an empty line. */
static void plan_diff_colored(struct strbuf *sb, const char *line, int color)
{
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *c = NULL;
		if (*line == '+' && strncmp(line, "+++", 3) != 0)
			c = "32";
		else if (*line == '-' && strncmp(line, "---", 3) != 0)
			c = "31";
		else if (*line == '@')
			c = "36";
		if (c)
			plan_color(sb, color, c);
		strbuf_append(sb, line, len);
		if (c)
			plan_color(sb, color, "0");
		strbuf_putc(sb, '\n');
		line += len + (nl ? 1 : 0);
	}
	strbuf_putc(sb, '\n');
}

/* Services to move, left out and skipped. */
static void plan_services_text(struct strbuf *sb, const struct plan *p)
{
	size_t i;

	strbuf_printf(sb, "Services to move (%zu of the %zu that run %s):\n", p->nselected,
		      p->nservices, plan_td_short(p->source_arn));
	for (i = 0; i < p->nservices; i++) {
		const struct plan_service *s = &p->services[i];
		if (!s->selected)
			continue;
		strbuf_printf(sb, "  %s/%s  %s -> %s  (%lld/%lld running)%s\n", s->cluster, s->name,
			      plan_td_short(s->task_definition),
			      p->move_to ? plan_td_short(p->move_to) : "new revision",
			      (long long)s->running, (long long)s->desired,
			      s->network_configuration ? "  + networkConfiguration (awsvpc)" : "");
	}
	if (p->nselected == 0)
		strbuf_puts(sb, p->move_to ? "  (none)\n"
					   : "  (none: only the new revision is registered)\n");
	if (p->nselected < p->nupdate) {
		strbuf_puts(sb, "Left out (they keep running the old revision):\n");
		for (i = 0; i < p->nservices; i++) {
			const struct plan_service *s = &p->services[i];
			if (s->update && !s->selected)
				strbuf_printf(sb, "  %s/%s\n", s->cluster, s->name);
		}
	}
	if (p->nupdate < p->nservices) {
		strbuf_puts(sb, "Services skipped:\n");
		for (i = 0; i < p->nservices; i++) {
			const struct plan_service *s = &p->services[i];
			if (s->update)
				continue;
			strbuf_printf(sb, "  %s/%s: %s\n", s->cluster, s->name,
				      s->skip_reason ? s->skip_reason : "not updated");
		}
	}
}

char *plan_format_text(const struct plan *p, int color)
{
	struct strbuf sb;
	size_t i;
	const char *t;
	char *text;

	strbuf_init(&sb);
	strbuf_printf(&sb, "Plan for %s (account %s, %s%s%s)\n", plan_td_short(p->source_arn),
		      p->account, p->region, p->role_arn ? ", as " : "",
		      p->role_arn ? p->role_arn : "");
	if (p->move_to != NULL)
		strbuf_printf(&sb,
			      "  move to: %s, an existing revision that passes the deciding "
			      "controls (nothing is registered; --no-move-to re-registers from "
			      "%s instead)\n\n",
			      plan_td_short(p->move_to), plan_td_short(p->source_arn));
	else
		strbuf_printf(&sb, "  register: a new revision of %s (or reuse an equal one)\n\n",
			      p->family);
	if (p->diff_text != NULL && p->diff_text[0] != '\0') {
		plan_diff_colored(&sb, p->diff_text, color);
	} else {
		strbuf_puts(&sb, "No change to the task definition.\n\n");
	}
	if (p->nchanges > 0) {
		strbuf_puts(&sb, "Changes:\n");
		for (i = 0; i < p->nchanges; i++)
			strbuf_printf(&sb, "  - %s\n", p->changes[i]);
		strbuf_putc(&sb, '\n');
	}
	strbuf_puts(&sb, "Controls (before -> after):\n");
	plan_rules_text(&sb, p, color);
	strbuf_putc(&sb, '\n');
	if (p->nnotes > 0) {
		strbuf_puts(&sb, "Notes:\n");
		for (i = 0; i < p->nnotes; i++)
			strbuf_printf(&sb, "  ! %s\n", p->notes[i]);
		strbuf_putc(&sb, '\n');
	}
	plan_services_text(&sb, p);
	strbuf_puts(&sb, "\nIAM actions needed by 'ecsfix apply':\n");
	for (i = 0; i < p->niam_actions; i++)
		strbuf_printf(&sb, "  %s\n", p->iam_actions[i]);
	t = jsonx_str(p->doc, "createdAt");
	if (t != NULL)
		strbuf_printf(&sb, "\nPlanned at %s.\n", t);
	text = strbuf_take(&sb);
	strbuf_done(&sb);
	return text;
}
