/* check_scan_run.c: scan_run against a fake AWS client (an in-memory account with AWS's
 * paging, batch limits and DESC order) and a fake stream that answers out of order,
 * counting calls and the requests in flight. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/rules.h"
#include "core/scan.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

#define ARN "arn:aws:ecs:us-east-1:123456789012:"

/* ---- the fake account ---- */

struct fake_td {
	char family[64];
	int rev;
	int active;
	int privileged;
	int described; /* DescribeTaskDefinition calls for it */
};

struct fake_svc {
	int cluster;
	char name[64];
	int td; /* index in tds */
};

struct aws_client {
	int nclusters;
	struct fake_td tds[512];
	int ntds;
	struct fake_svc svcs[1024];
	int nsvcs;
	int nfindings;
	int deny_findings;     /* GetFindings -> AccessDeniedException */
	int fail_describe_svc; /* DescribeServices of this cluster fails */
	int prefix_semantics;  /* familyPrefix is a prefix */
	int calls[16];         /* per op, see fake_op */
	size_t max_pending;    /* most requests in the stream at once */
	int reverse;           /* the stream answers newest first every other time */
	int too_big;           /* a batch over the API maximum was sent */
};

static const char *const fake_ops[] = {
    "ListClusters",           "DescribeClusters",    "ListServices", "DescribeServices",
    "DescribeTaskDefinition", "ListTaskDefinitions", "GetFindings",
};

static int fake_op(const char *op)
{
	size_t i;

	for (i = 0; i < sizeof fake_ops / sizeof fake_ops[0]; i++)
		if (strcmp(fake_ops[i], op) == 0)
			return (int)i;
	ck_abort_msg("unexpected op %s", op);
	return -1;
}

static int fake_calls(struct aws_client *c, const char *op)
{
	return c->calls[fake_op(op)];
}

static void fake_td_arn(const struct fake_td *t, char *buf, size_t size)
{
	snprintf(buf, size, ARN "task-definition/%s:%d", t->family, t->rev);
}

static int fake_add_td(struct aws_client *c, const char *family, int rev, int active, int priv)
{
	struct fake_td *t = &c->tds[c->ntds];

	snprintf(t->family, sizeof t->family, "%s", family);
	t->rev = rev;
	t->active = active;
	t->privileged = priv;
	return c->ntds++;
}

static void fake_add_svc(struct aws_client *c, int cluster, const char *name, int td)
{
	struct fake_svc *s = &c->svcs[c->nsvcs++];

	s->cluster = cluster;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->td = td;
}

/* Paging helpers: start index from nextToken, page size from maxResults. */
static size_t fake_start(json_object *body, const char *key)
{
	const char *t = jsonx_str(body, key);

	return t != NULL ? (size_t)strtoul(t, NULL, 10) : 0;
}

static void fake_page(json_object *resp, const char *items_key, json_object *all, size_t start,
		      size_t size, const char *next_key)
{
	json_object *page = json_object_new_array();
	size_t i, n = json_object_array_length(all);
	char buf[32];

	for (i = start; i < n && i < start + size; i++)
		json_object_array_add(page, json_object_get(json_object_array_get_idx(all, i)));
	json_object_object_add(resp, items_key, page);
	if (start + size < n) {
		snprintf(buf, sizeof buf, "%zu", start + size);
		json_object_object_add(resp, next_key, json_object_new_string(buf));
	}
	json_object_put(all);
}

static int fake_cluster_of(struct aws_client *c, const char *ref)
{
	int i;
	char name[64], arn[128];

	for (i = 0; i < c->nclusters; i++) {
		snprintf(name, sizeof name, "c%d", i);
		snprintf(arn, sizeof arn, ARN "cluster/c%d", i);
		if (strcmp(ref, name) == 0 || strcmp(ref, arn) == 0)
			return i;
	}
	return -1;
}

static int fake_td_cmp_desc(const void *pa, const void *pb)
{
	const struct fake_td *a = *(const struct fake_td *const *)pa;
	const struct fake_td *b = *(const struct fake_td *const *)pb;
	int d = strcmp(b->family, a->family);

	return d != 0 ? d : b->rev - a->rev;
}

static json_object *fake_td_json(const struct fake_td *t)
{
	char arn[160], buf[512];
	json_object *o = NULL;
	struct err e;

	fake_td_arn(t, arn, sizeof arn);
	snprintf(buf, sizeof buf,
		 "{\"taskDefinition\":{\"taskDefinitionArn\":\"%s\",\"family\":\"%s\","
		 "\"revision\":%d,\"status\":\"%s\",\"networkMode\":\"bridge\","
		 "\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"x\",\"user\":\"1000\","
		 "\"privileged\":%s}]},\"tags\":[]}",
		 arn, t->family, t->rev, t->active ? "ACTIVE" : "INACTIVE",
		 t->privileged ? "true" : "false");
	err_clear(&e);
	ck_assert_int_eq(jsonx_parse(buf, strlen(buf), &o, &e), 0);
	return o;
}

static void fake_fail(struct aws_request *r, const char *code, const char *msg)
{
	r->status = -1;
	err_set(&r->err, "%s: %s (HTTP 400, %s)", r->op, msg, code);
	snprintf(r->err.code, sizeof r->err.code, "%s", code);
}

static void fake_answer(struct aws_client *c, struct aws_request *r)
{
	json_object *resp = json_object_new_object(), *all = json_object_new_array();
	int op = fake_op(r->op), i, k;
	char buf[1024];
	size_t n, max = (size_t)jsonx_int(r->body, "maxResults", 100);

	c->calls[op]++;
	r->status = 0;
	if (strcmp(r->op, "ListClusters") == 0) {
		for (i = 0; i < c->nclusters; i++) {
			snprintf(buf, sizeof buf, ARN "cluster/c%d", i);
			json_object_array_add(all, json_object_new_string(buf));
		}
		fake_page(resp, "clusterArns", all, fake_start(r->body, "nextToken"), max,
			  "nextToken");
	} else if (strcmp(r->op, "DescribeClusters") == 0) {
		json_object *names = jsonx_array(r->body, "clusters"),
			    *cl = json_object_new_array();
		json_object *fl = json_object_new_array();

		n = json_object_array_length(names);
		c->too_big |= n > 100;
		for (k = 0; k < (int)n; k++) {
			const char *ref =
			    json_object_get_string(json_object_array_get_idx(names, k));
			int ci = fake_cluster_of(c, ref);

			if (ci < 0) {
				snprintf(buf, sizeof buf,
					 "{\"arn\":\"" ARN "cluster/%s\",\"reason\":\"MISSING\"}",
					 ref);
				json_object_array_add(fl, json_tokener_parse(buf));
				continue;
			}
			snprintf(buf, sizeof buf,
				 "{\"clusterArn\":\"" ARN "cluster/c%d\",\"clusterName\":\"c%d\","
				 "\"status\":\"ACTIVE\"}",
				 ci, ci);
			json_object_array_add(cl, json_tokener_parse(buf));
		}
		json_object_object_add(resp, "clusters", cl);
		json_object_object_add(resp, "failures", fl);
		json_object_put(all);
	} else if (strcmp(r->op, "ListServices") == 0) {
		int ci = fake_cluster_of(c, jsonx_str(r->body, "cluster"));

		if (ci < 0) {
			json_object_put(all);
			json_object_put(resp);
			fake_fail(r, "ClusterNotFoundException", "Cluster not found.");
			return;
		}
		for (i = 0; i < c->nsvcs; i++) {
			if (c->svcs[i].cluster != ci)
				continue;
			snprintf(buf, sizeof buf, ARN "service/c%d/%s", ci, c->svcs[i].name);
			json_object_array_add(all, json_object_new_string(buf));
		}
		fake_page(resp, "serviceArns", all, fake_start(r->body, "nextToken"), max,
			  "nextToken");
	} else if (strcmp(r->op, "DescribeServices") == 0) {
		json_object *names = jsonx_array(r->body, "services"),
			    *sv = json_object_new_array();
		int ci = fake_cluster_of(c, jsonx_str(r->body, "cluster"));

		n = json_object_array_length(names);
		c->too_big |= n > 10;
		json_object_put(all);
		if (ci == c->fail_describe_svc - 1) {
			json_object_put(sv);
			json_object_put(resp);
			fake_fail(r, "ThrottlingException", "Rate exceeded");
			return;
		}
		for (k = 0; k < (int)n; k++) {
			const char *arn =
			    json_object_get_string(json_object_array_get_idx(names, k));

			for (i = 0; i < c->nsvcs; i++) {
				char sarn[160], tarn[160];

				snprintf(sarn, sizeof sarn, ARN "service/c%d/%s",
					 c->svcs[i].cluster, c->svcs[i].name);
				if (strcmp(sarn, arn) != 0)
					continue;
				fake_td_arn(&c->tds[c->svcs[i].td], tarn, sizeof tarn);
				snprintf(
				    buf, sizeof buf,
				    "{\"serviceArn\":\"%s\",\"serviceName\":\"%s\","
				    "\"clusterArn\":\"" ARN
				    "cluster/c%d\",\"taskDefinition\":\"%s\","
				    "\"desiredCount\":1,\"runningCount\":1,\"deployments\":[]}",
				    sarn, c->svcs[i].name, c->svcs[i].cluster, tarn);
				json_object_array_add(sv, json_tokener_parse(buf));
			}
		}
		json_object_object_add(resp, "services", sv);
		json_object_object_add(resp, "failures", json_object_new_array());
	} else if (strcmp(r->op, "DescribeTaskDefinition") == 0) {
		const char *want = jsonx_str(r->body, "taskDefinition");

		json_object_put(all);
		json_object_put(resp);
		resp = NULL;
		for (i = 0; i < c->ntds; i++) {
			fake_td_arn(&c->tds[i], buf, sizeof buf);
			if (strcmp(buf, want) == 0) {
				c->tds[i].described++;
				resp = fake_td_json(&c->tds[i]);
			}
		}
		ck_assert_ptr_nonnull(resp);
	} else if (strcmp(r->op, "ListTaskDefinitions") == 0) {
		const struct fake_td *sorted[512];
		const char *prefix = jsonx_str(r->body, "familyPrefix");
		int m = 0;

		for (i = 0; i < c->ntds; i++) {
			if (!c->tds[i].active)
				continue;
			if (prefix != NULL &&
			    (c->prefix_semantics ? strncmp(c->tds[i].family, prefix, strlen(prefix))
						 : strcmp(c->tds[i].family, prefix)) != 0)
				continue;
			sorted[m++] = &c->tds[i];
		}
		qsort(sorted, (size_t)m, sizeof sorted[0], fake_td_cmp_desc);
		for (i = 0; i < m; i++) {
			fake_td_arn(sorted[i], buf, sizeof buf);
			json_object_array_add(all, json_object_new_string(buf));
		}
		fake_page(resp, "taskDefinitionArns", all, fake_start(r->body, "nextToken"), max,
			  "nextToken");
	} else if (strcmp(r->op, "GetFindings") == 0) {
		if (c->deny_findings) {
			json_object_put(all);
			json_object_put(resp);
			fake_fail(r, "AccessDeniedException", "not authorized");
			snprintf(r->err.hint, sizeof r->err.hint, "grant securityhub:GetFindings");
			return;
		}
		for (i = 0; i < c->nfindings; i++) {
			snprintf(
			    buf, sizeof buf,
			    "{\"Id\":\"f%d\",\"Compliance\":{\"Status\":\"FAILED\","
			    "\"SecurityControlId\":\"%s\"},\"RecordState\":\"ACTIVE\","
			    "\"Resources\":[{\"Type\":\"AwsEcsTaskDefinition\",\"Id\":\"x%d\"}]}",
			    i, i % 2 ? "ECS.4" : "S3.1", i);
			json_object_array_add(all, json_tokener_parse(buf));
		}
		max = (size_t)jsonx_int(r->body, "MaxResults", 100);
		fake_page(resp, "Findings", all, fake_start(r->body, "NextToken"), max,
			  "NextToken");
	}
	r->resp = resp;
}

/* ---- the client API scan.c uses ---- */

void aws_request_init(struct aws_request *r, enum aws_service svc, const char *op,
		      json_object *body)
{
	memset(r, 0, sizeof *r);
	r->service = svc;
	r->op = op;
	r->body = body;
}

void aws_request_done(struct aws_request *r)
{
	json_object_put(r->resp);
	r->resp = NULL;
}

/* The fake stream: a queue answered alternately from its front and its back. */
struct aws_stream {
	struct aws_client *c;
	struct aws_request *r[256];
	void *tag[256];
	size_t n;
	int flip;
};

struct aws_stream *aws_stream_new(struct aws_client *c)
{
	struct aws_stream *st = xcalloc(1, sizeof *st);

	st->c = c;
	return st;
}

void aws_stream_submit(struct aws_stream *st, struct aws_client *c, struct aws_request *r,
		       void *tag)
{
	ck_assert_ptr_eq(c, st->c);
	ck_assert_uint_lt(st->n, 256);
	st->r[st->n] = r;
	st->tag[st->n] = tag;
	st->n++;
	if (st->n > c->max_pending)
		c->max_pending = st->n;
}

struct aws_request *aws_stream_next(struct aws_stream *st, void **tag)
{
	struct aws_request *r;
	size_t i = 0;

	if (st->n == 0)
		return NULL;
	st->flip = !st->flip;
	if (st->flip && st->c->reverse)
		i = st->n - 1;
	r = st->r[i];
	*tag = st->tag[i];
	memmove(&st->r[i], &st->r[i + 1], (st->n - i - 1) * sizeof *st->r);
	memmove(&st->tag[i], &st->tag[i + 1], (st->n - i - 1) * sizeof *st->tag);
	st->n--;
	fake_answer(st->c, r);
	return r;
}

size_t aws_stream_pending(const struct aws_stream *st)
{
	return st->n;
}

void aws_stream_free(struct aws_stream *st)
{
	free(st);
}

size_t aws_client_max_in_flight(const struct aws_client *c)
{
	(void)c;
	return 16;
}

void aws_client_set_credentials(struct aws_client *c, const char *access_key_id,
				const char *secret_access_key, const char *session_token,
				const char *expiration, const char *source)
{
	(void)c;
	(void)access_key_id;
	(void)secret_access_key;
	(void)session_token;
	(void)expiration;
	(void)source;
	ck_abort_msg("no role in these tests");
}

void aws_page_guard_init(struct aws_page_guard *g)
{
	g->seen = json_object_new_object();
	g->pages = 0;
}

void aws_page_guard_done(struct aws_page_guard *g)
{
	json_object_put(g->seen);
}

int aws_page_guard_next(struct aws_page_guard *g, const char *op, const char *token, struct err *e)
{
	if (json_object_object_get_ex(g->seen, token, NULL) || ++g->pages > 1000)
		return err_set(e, "%s: the service repeated a page token", op);
	json_object_object_add(g->seen, token, NULL);
	return 0;
}

const char *aws_client_region(const struct aws_client *c)
{
	(void)c;
	return "us-east-1";
}

const char *aws_client_endpoint(const struct aws_client *c, enum aws_service svc)
{
	(void)c;
	(void)svc;
	return "https://ecs.us-east-1.amazonaws.com";
}

/* ---- tests ---- */

static json_object *run_scan(struct aws_client *c, const struct scan_options *o)
{
	json_object *report = NULL;
	struct err e;

	err_clear(&e);
	ck_assert_msg(scan_run(c, o, NULL, NULL, &report, &e) == 0, "%s", e.msg);
	return report;
}

static json_object *find_td(json_object *r, const char *family, int rev)
{
	json_object *tds = jsonx_array(r, "taskDefinitions");
	size_t i;

	for (i = 0; i < json_object_array_length(tds); i++) {
		json_object *t = json_object_array_get_idx(tds, i);

		if (strcmp(jsonx_str(t, "family"), family) == 0 &&
		    jsonx_int(t, "revision", 0) == rev)
			return t;
	}
	return NULL;
}

/* 3 clusters; c0 has 250 services (3 pages); 30 families x 5 revisions, revision 5 INACTIVE
 * for fam-00; services run revision 2 or 4. */
static struct aws_client *big_account(void)
{
	struct aws_client *c = xcalloc(1, sizeof *c);
	int f, r, s, first[30];
	char fam[32], name[32];

	c->nclusters = 3;
	for (f = 0; f < 30; f++) {
		snprintf(fam, sizeof fam, "fam-%02d", f);
		for (r = 1; r <= 5; r++) {
			int idx = fake_add_td(c, fam, r, !(f == 0 && r == 5), f % 3 == 0 && r < 5);

			if (r == 1)
				first[f] = idx;
		}
	}
	for (s = 0; s < 270; s++) {
		snprintf(name, sizeof name, "svc-%03d", s);
		fake_add_svc(c,
			     s < 250   ? 0
			     : s < 260 ? 1
				       : 2,
			     name, first[s % 30] + ((s / 30) % 2 ? 3 : 1));
	}
	c->nfindings = 150;
	return c;
}

START_TEST(test_calls_minimal)
{
	struct aws_client *c = big_account();
	struct scan_options o;
	json_object *r, *t;
	int i;

	c->reverse = 1;
	memset(&o, 0, sizeof o);
	r = run_scan(c, &o);
	ck_assert_int_eq(c->too_big, 0);
	ck_assert_int_eq(fake_calls(c, "ListClusters"), 1);
	ck_assert_int_eq(fake_calls(c, "DescribeClusters"), 1);
	ck_assert_int_eq(fake_calls(c, "ListServices"), 3 + 1 + 1);
	ck_assert_int_eq(fake_calls(c, "DescribeServices"), 25 + 1 + 1);
	/* 150 ACTIVE revisions (149 here): 2 pages beat 30 per-family calls */
	ck_assert_int_eq(fake_calls(c, "ListTaskDefinitions"), 2);
	/* in use: revisions 2 and 4 of each family (60); latest: 5 (4 for fam-00, in use) */
	ck_assert_int_eq(fake_calls(c, "DescribeTaskDefinition"), 60 + 29);
	for (i = 0; i < c->ntds; i++)
		ck_assert_int_le(c->tds[i].described, 1);
	ck_assert_int_eq(fake_calls(c, "GetFindings"), 2);
	/* the stream is kept full (the pool's 16 and some waiting for tokens), never more */
	ck_assert_uint_ge(c->max_pending, 16);
	ck_assert_uint_le(c->max_pending, 32);

	ck_assert_int_eq(json_object_array_length(jsonx_array(r, "services")), 270);
	t = find_td(r, "fam-00", 4);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(jsonx_bool(t, "latestActive"), 1); /* fam-00:5 is INACTIVE */
	t = find_td(r, "fam-01", 5);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(jsonx_bool(t, "latestActive"), 1);
	ck_assert_int_eq(json_object_array_length(jsonx_array(t, "services")), 0);
	/* other controls' findings dropped client-side */
	ck_assert_int_eq(json_object_array_length(jsonx_array(r, "findings")), 75);
	ck_assert_str_eq(jsonx_str(r, "account"), "123456789012");
	ck_assert_int_eq(jsonx_int(jsonx_obj(r, "summary"), "exitCode", -1), 1);
	json_object_put(r);
	free(c);
}
END_TEST

START_TEST(test_one_family_prefix)
{
	struct aws_client *c = xcalloc(1, sizeof *c);
	struct scan_options o;
	json_object *r, *t;

	c->nclusters = 1;
	c->prefix_semantics = 1;
	fake_add_td(c, "web", 1, 1, 1);
	fake_add_td(c, "web", 2, 1, 0);
	fake_add_td(c, "web-api", 1, 1, 0);
	fake_add_td(c, "web-api", 2, 1, 0);
	fake_add_svc(c, 0, "web", 0);
	memset(&o, 0, sizeof o);
	o.no_findings = 1;
	r = run_scan(c, &o);
	/* one family in use: per family; "web-api" sorts first under prefix semantics */
	ck_assert_int_eq(fake_calls(c, "ListTaskDefinitions"), 2);
	ck_assert_int_eq(fake_calls(c, "GetFindings"), 0);
	t = find_td(r, "web", 2);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(jsonx_bool(t, "latestActive"), 1);
	ck_assert_ptr_null(find_td(r, "web-api", 2));
	t = json_object_array_get_idx(jsonx_array(r, "services"), 0);
	ck_assert_str_eq(jsonx_str(t, "status"), "FAILED");
	ck_assert_int_eq(json_object_array_length(jsonx_array(t, "notes")), 1); /* trap note */
	json_object_put(r);
	free(c);
}
END_TEST

START_TEST(test_early_stop)
{
	struct aws_client *c = xcalloc(1, sizeof *c);
	struct scan_options o;
	json_object *r;
	char fam[32];
	int f;

	c->nclusters = 1;
	/* 2 families in use sort first (DESC): "zz-a", "zz-b"; 150 others after them */
	fake_add_svc(c, 0, "a", fake_add_td(c, "zz-a", 1, 1, 0));
	fake_add_svc(c, 0, "b", fake_add_td(c, "zz-b", 1, 1, 0));
	for (f = 0; f < 150; f++) {
		snprintf(fam, sizeof fam, "other-%03d", f);
		fake_add_td(c, fam, 1, 1, 0);
	}
	memset(&o, 0, sizeof o);
	o.no_findings = 1;
	r = run_scan(c, &o);
	ck_assert_int_eq(fake_calls(c, "ListTaskDefinitions"), 1);
	ck_assert_int_eq(fake_calls(c, "DescribeTaskDefinition"), 2);
	ck_assert_int_eq(jsonx_bool(find_td(r, "zz-a", 1), "latestActive"), 1);
	json_object_put(r);
	/* --all-families: every page, every family's latest described */
	memset(c->calls, 0, sizeof c->calls);
	o.all_families = 1;
	r = run_scan(c, &o);
	ck_assert_int_eq(fake_calls(c, "ListTaskDefinitions"), 2);
	ck_assert_int_eq(fake_calls(c, "DescribeTaskDefinition"), 152);
	ck_assert_int_eq(json_object_array_length(jsonx_array(r, "taskDefinitions")), 152);
	json_object_put(r);
	free(c);
}
END_TEST

START_TEST(test_partial)
{
	struct aws_client *c = big_account();
	struct scan_options o;
	json_object *r, *sum;
	const char *names[] = {"c1", "c2", "nope", "c2"};

	c->fail_describe_svc = 2; /* cluster c1 */
	c->deny_findings = 1;
	memset(&o, 0, sizeof o);
	o.clusters = names;
	o.nclusters = 4;                          /* c2 twice: read once */
	o.controls = 1u << rules_index("ECS.17"); /* nothing fails ECS.17 here */
	r = run_scan(c, &o);
	ck_assert_int_eq(fake_calls(c, "ListClusters"), 0);
	ck_assert_int_eq(fake_calls(c, "DescribeClusters"), 1);
	sum = jsonx_obj(r, "summary");
	ck_assert_int_eq(jsonx_int(sum, "services", -1), 20);
	ck_assert_int_eq(jsonx_int(sum, "servicesUnknown", -1), 10);
	ck_assert_int_eq(jsonx_int(sum, "exitCode", -1), 2); /* unknown, nothing failing */
	ck_assert_ptr_nonnull(strstr(jsonx_str(r, "findingsUnknown"), "AccessDenied"));
	ck_assert_ptr_nonnull(strstr(jsonx_str(r, "findingsUnknown"), "securityhub:GetFindings"));
	/* errors: the throttled batch, the missing cluster, GetFindings */
	{
		char *t = jsonx_pretty(jsonx_array(r, "errors"));
		ck_assert_msg(json_object_array_length(jsonx_array(r, "errors")) == 3, "%s", t);
		free(t);
	}
	json_object_put(r);
	free(c);
}
END_TEST

START_TEST(test_nothing_read)
{
	struct aws_client *c = xcalloc(1, sizeof *c);
	struct scan_options o;
	json_object *r = NULL;
	const char *names[] = {"nope"};
	struct err e;

	memset(&o, 0, sizeof o);
	o.clusters = names;
	o.nclusters = 1;
	err_clear(&e);
	ck_assert_int_eq(scan_run(c, &o, NULL, NULL, &r, &e), -1);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(e.msg, "cluster nope not found (MISSING)");
	free(c);
}
END_TEST

static Suite *scan_run_suite(void)
{
	Suite *s = suite_create("scan_run");
	TCase *tc = tcase_create("fake account");

	tcase_add_test(tc, test_calls_minimal);
	tcase_add_test(tc, test_one_family_prefix);
	tcase_add_test(tc, test_early_stop);
	tcase_add_test(tc, test_partial);
	tcase_add_test(tc, test_nothing_read);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scan_run_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
