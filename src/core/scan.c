/* scan.c: the account scan: waves of concurrent ECS and Security Hub calls, then the join. */
#include "config.h"

#include "core/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "aws/client.h"
#include "core/owner.h"
#include "core/rules.h"
#include "core/scan_report.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* API maxima (aws-api.md section 3). */
#define SCAN_PAGE           100
#define SCAN_BATCH_CLUSTERS 100
#define SCAN_BATCH_SERVICES 10
/* Requests handed to the HTTP layer at once: bounds the answers held in memory. */
#define SCAN_WAVE_MAX 64

enum scan_kind {
	SCAN_LIST_CLUSTERS,
	SCAN_DESCRIBE_CLUSTERS,
	SCAN_LIST_SERVICES,
	SCAN_DESCRIBE_SERVICES,
	SCAN_DESCRIBE_TD,
	SCAN_LIST_TD_ALL,
	SCAN_LIST_TD_FAMILY,
	SCAN_GET_FINDINGS,
	SCAN_NKINDS,
};

static const struct {
	const char *op;
	enum aws_service svc;
	const char *phase; /* for progress */
} scan_kinds[SCAN_NKINDS] = {
    [SCAN_LIST_CLUSTERS] = {"ListClusters", AWS_SVC_ECS, "clusters"},
    [SCAN_DESCRIBE_CLUSTERS] = {"DescribeClusters", AWS_SVC_ECS, "clusters"},
    [SCAN_LIST_SERVICES] = {"ListServices", AWS_SVC_ECS, "services"},
    [SCAN_DESCRIBE_SERVICES] = {"DescribeServices", AWS_SVC_ECS, "services"},
    [SCAN_DESCRIBE_TD] = {"DescribeTaskDefinition", AWS_SVC_ECS, "task definitions"},
    [SCAN_LIST_TD_ALL] = {"ListTaskDefinitions", AWS_SVC_ECS, "task definitions"},
    [SCAN_LIST_TD_FAMILY] = {"ListTaskDefinitions", AWS_SVC_ECS, "task definitions"},
    [SCAN_GET_FINDINGS] = {"GetFindings", AWS_SVC_SECURITYHUB, "findings"},
};

struct scan_job {
	enum scan_kind kind;
	json_object *body; /* owned request members */
	char *ref;         /* cluster (name or ARN), task definition ARN or family */
};

/* What is known about a family's latest ACTIVE revision. */
struct scan_family {
	char *name;
	int needed;   /* a service runs one of its revisions (or --all-families) */
	int resolved; /* the latest ACTIVE revision is known (or known not to exist) */
	long latest_rev;
	char *latest_arn;
};

struct scan {
	struct aws_client *c;
	const struct scan_options *o;
	unsigned mask;
	scan_progress_fn progress;
	void *ctx;

	json_object *report; /* the document being built */
	json_object *clusters, *services, *tds, *findings, *errors;
	json_object *td_seen;      /* task definition ARN -> true (queued or described) */
	json_object *missing;      /* cluster name/ARN -> true: DescribeClusters said MISSING */
	json_object *cluster_errs; /* cluster ARN or name -> reason its services are partial */
	json_object *fam_index;    /* family -> index in fams */
	json_object *check_pool;   /* identical checks shared between revisions (read-only) */
	struct scan_family *fams;
	size_t nfams, capfams;

	struct scan_job *queue;
	size_t nqueue, capqueue;
	size_t pending[SCAN_NKINDS]; /* queued or in flight */
	size_t calls_done, calls_total;

	int clusters_read;  /* a cluster was described or listed */
	int latest_started; /* the latest-revision phase has begun */
	size_t td_pages;    /* ListTaskDefinitions (all ACTIVE) pages read */
	size_t td_resolved; /* needed families resolved by those pages */
	char *findings_unknown;
	struct err first_err; /* the first error of the cluster phase */
	int cancelled;
};

static void scan_push(struct scan *s, enum scan_kind kind, json_object *body, const char *ref)
{
	struct scan_job *j;

	if (s->nqueue == s->capqueue) {
		s->capqueue = s->capqueue ? s->capqueue * 2 : 64;
		s->queue = xreallocarray(s->queue, s->capqueue, sizeof *s->queue);
	}
	j = &s->queue[s->nqueue++];
	j->kind = kind;
	j->body = body;
	j->ref = ref != NULL ? xstrdup(ref) : NULL;
	s->pending[kind]++;
	s->calls_total++;
}

static void scan_error(struct scan *s, const char *call, const char *target, const struct err *e)
{
	json_object *o = json_object_new_object();
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_puts(&sb, e->msg);
	if (e->hint[0] != '\0')
		strbuf_printf(&sb, " (%s)", e->hint);
	SCAN_SET(o, "call", json_object_new_string(call));
	SCAN_SET(o, "reason", json_object_new_string(sb.buf));
	SCAN_SET(o, "target", target != NULL ? json_object_new_string(target) : NULL);
	json_object_array_add(s->errors, o);
	strbuf_done(&sb);
}

/* "<msg> (<hint>)" of a failed request, caller frees. */
static char *scan_reason(const struct err *e)
{
	if (e->hint[0] != '\0')
		return xasprintf("%s (%s)", e->msg, e->hint);
	return xstrdup(e->msg);
}

static struct scan_family *scan_family(struct scan *s, const char *name, int create)
{
	json_object *v;
	struct scan_family *f;

	if (json_object_object_get_ex(s->fam_index, name, &v))
		return &s->fams[json_object_get_int(v)];
	if (!create)
		return NULL;
	if (s->nfams == s->capfams) {
		s->capfams = s->capfams ? s->capfams * 2 : 64;
		s->fams = xreallocarray(s->fams, s->capfams, sizeof *s->fams);
	}
	f = &s->fams[s->nfams];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	json_object_object_add(s->fam_index, name, json_object_new_int((int)s->nfams));
	s->nfams++;
	return f;
}

/* Queues DescribeTaskDefinition for arn unless it was already queued. */
static void scan_want_td(struct scan *s, const char *arn)
{
	json_object *body;

	if (arn == NULL || arn[0] == '\0' || json_object_object_get_ex(s->td_seen, arn, NULL))
		return;
	json_object_object_add(s->td_seen, arn, json_object_new_boolean(1));
	body = json_object_new_object();
	SCAN_SET(body, "taskDefinition", json_object_new_string(arn));
	SCAN_SET(body, "include", json_object_new_array());
	json_object_array_add(jsonx_array(body, "include"), json_object_new_string("TAGS"));
	scan_push(s, SCAN_DESCRIBE_TD, body, arn);
}

/* A revision a service runs: describe it, and its family's latest is needed. */
static void scan_use_td(struct scan *s, const char *arn)
{
	char *family = NULL;
	long rev;

	if (arn == NULL)
		return;
	scan_want_td(s, arn);
	if (scan_report_td_split(arn, &family, &rev) == 0)
		scan_family(s, family, 1)->needed = 1;
	free(family);
}

static json_object *scan_page_body(const char *next_key, const char *token)
{
	json_object *body = json_object_new_object();

	if (token != NULL)
		json_object_object_add(body, next_key, json_object_new_string(token));
	return body;
}

static void scan_list_services(struct scan *s, const char *cluster, const char *token)
{
	json_object *body = scan_page_body("nextToken", token);

	SCAN_SET(body, "cluster", json_object_new_string(cluster));
	SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
	scan_push(s, SCAN_LIST_SERVICES, body, cluster);
}

/* Queues DescribeClusters for names[from..to). */
static void scan_describe_clusters(struct scan *s, json_object *names, size_t from, size_t to)
{
	json_object *body = json_object_new_object();
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = from; i < to; i++)
		json_object_array_add(arr, json_object_get(json_object_array_get_idx(names, i)));
	SCAN_SET(body, "clusters", arr);
	scan_push(s, SCAN_DESCRIBE_CLUSTERS, body, NULL);
}

/* The clusters of one ListClusters page (or the --cluster names): describe them and list
 * their services in the same wave. */
static void scan_clusters_found(struct scan *s, json_object *names)
{
	size_t i, n = json_object_array_length(names);

	for (i = 0; i < n; i += SCAN_BATCH_CLUSTERS)
		scan_describe_clusters(s, names, i,
				       i + SCAN_BATCH_CLUSTERS < n ? i + SCAN_BATCH_CLUSTERS : n);
	for (i = 0; i < n; i++)
		scan_list_services(s, json_object_get_string(json_object_array_get_idx(names, i)),
				   NULL);
}

static void scan_on_list_clusters(struct scan *s, struct aws_request *r)
{
	json_object *arns = jsonx_array(r->resp, "clusterArns");
	const char *next = jsonx_str(r->resp, "nextToken");

	s->clusters_read = 1;
	if (arns != NULL)
		scan_clusters_found(s, arns);
	if (next != NULL && next[0] != '\0') {
		json_object *body = scan_page_body("nextToken", next);

		SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
		scan_push(s, SCAN_LIST_CLUSTERS, body, NULL);
	}
}

static void scan_on_describe_clusters(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *cl = jsonx_array(r->resp, "clusters");
	json_object *fl = jsonx_array(r->resp, "failures");
	size_t i, n = cl != NULL ? json_object_array_length(cl) : 0;

	(void)j;
	if (n > 0)
		s->clusters_read = 1;
	for (i = 0; i < n; i++)
		json_object_array_add(s->clusters,
				      scan_report_cluster(json_object_array_get_idx(cl, i)));
	n = fl != NULL ? json_object_array_length(fl) : 0;
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(fl, i);
		const char *arn = jsonx_str(f, "arn");
		const char *why = jsonx_str(f, "reason");
		struct err e;

		if (arn == NULL)
			continue;
		err_clear(&e);
		err_set(&e, "DescribeClusters: %s: %s", scan_report_arn_tail(arn),
			why != NULL ? why : "failed");
		if (why != NULL && strcmp(why, "MISSING") == 0) {
			err_set(&e, "cluster %s not found (MISSING)", scan_report_arn_tail(arn));
			err_hint(&e, "check the name and --region");
			json_object_object_add(s->missing, arn, json_object_new_boolean(1));
			json_object_object_add(s->missing, scan_report_arn_tail(arn),
					       json_object_new_boolean(1));
		}
		json_object_array_add(s->clusters, scan_report_cluster_unknown(arn, e.msg));
		scan_error(s, "DescribeClusters", arn, &e);
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, &e);
	}
}

static void scan_on_list_services(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *arns = jsonx_array(r->resp, "serviceArns");
	const char *next = jsonx_str(r->resp, "nextToken");
	size_t i, k, n = arns != NULL ? json_object_array_length(arns) : 0;

	s->clusters_read = 1;
	for (i = 0; i < n; i += SCAN_BATCH_SERVICES) {
		json_object *body = json_object_new_object();
		json_object *batch = json_object_new_array();

		for (k = i; k < n && k < i + SCAN_BATCH_SERVICES; k++)
			json_object_array_add(batch,
					      json_object_get(json_object_array_get_idx(arns, k)));
		SCAN_SET(body, "cluster", json_object_new_string(j->ref));
		SCAN_SET(body, "services", batch);
		/* service tags: the owner when the revision names none (core/owner.h) */
		SCAN_SET(body, "include", json_object_new_array());
		json_object_array_add(jsonx_array(body, "include"), json_object_new_string("TAGS"));
		scan_push(s, SCAN_DESCRIBE_SERVICES, body, j->ref);
	}
	if (next != NULL && next[0] != '\0')
		scan_list_services(s, j->ref, next);
}

static void scan_on_describe_services(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *sv = jsonx_array(r->resp, "services");
	json_object *fl = jsonx_array(r->resp, "failures");
	size_t i, k, n = sv != NULL ? json_object_array_length(sv) : 0;

	for (i = 0; i < n; i++) {
		json_object *svc = json_object_array_get_idx(sv, i);
		json_object *deps = jsonx_array(svc, "deployments");
		size_t m = deps != NULL ? json_object_array_length(deps) : 0;

		json_object_array_add(s->services, scan_report_service(svc));
		scan_use_td(s, jsonx_str(svc, "taskDefinition"));
		for (k = 0; k < m; k++)
			scan_use_td(
			    s, jsonx_str(json_object_array_get_idx(deps, k), "taskDefinition"));
	}
	n = fl != NULL ? json_object_array_length(fl) : 0;
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(fl, i);
		const char *arn = jsonx_str(f, "arn");
		const char *why = jsonx_str(f, "reason");
		struct err e;

		if (arn == NULL)
			continue;
		err_clear(&e);
		err_set(&e, "DescribeServices: %s: %s", scan_report_arn_tail(arn),
			why != NULL ? why : "failed");
		json_object_array_add(s->services, scan_report_service_unknown(arn, j->ref, e.msg));
		scan_error(s, "DescribeServices", arn, &e);
	}
}

/* The rule results of a task definition as report checks: every result of the deciding
 * controls and of ECS.4/ECS.17/ECS.20, and the failures of the information controls (their
 * PASSED and NOT_APPLICABLE results would only cost memory on a large account). */
static int scan_checks(json_object *pool, json_object *resp, unsigned mask, json_object **checks,
		       struct err *e)
{
	struct rule_results rr;
	unsigned keep = mask | rules_default_mask();
	struct strbuf key;
	size_t i;

	rule_results_init(&rr);
	if (rules_evaluate(resp, &rr, e) != 0) {
		rule_results_done(&rr);
		return -1;
	}
	strbuf_init(&key);
	*checks = json_object_new_array();
	for (i = 0; i < rr.n; i++) {
		const struct rule_result *x = &rr.v[i];
		const char *status = rules_status_name(x->status);
		json_object *o = NULL;

		if (x->status != RULE_FAILED && !rules_mask_has(keep, x->control))
			continue;
		/* Many revisions give the same verdict (same control, container name and reason):
		 * one shared object each, so a large account's report stays small. */
		strbuf_reset(&key);
		strbuf_printf(&key, "%s\x1f%s\x1f%s\x1f%s", x->control, status,
			      x->container != NULL ? x->container : "\x1e",
			      x->reason != NULL ? x->reason : "");
		if (json_object_object_get_ex(pool, key.buf, &o)) {
			json_object_array_add(*checks, json_object_get(o));
			continue;
		}
		o = json_object_new_object();
		SCAN_SET(o, "control", json_object_new_string(x->control));
		SCAN_SET(o, "status", json_object_new_string(status));
		SCAN_SET(o, "container",
			 x->container != NULL ? json_object_new_string(x->container) : NULL);
		SCAN_SET(o, "reason", json_object_new_string(x->reason != NULL ? x->reason : ""));
		json_object_object_add(pool, key.buf, json_object_get(o));
		json_object_array_add(*checks, o);
	}
	strbuf_done(&key);
	rule_results_done(&rr);
	return 0;
}

/* The pooled object equal to o (taken), as a new reference. */
static json_object *scan_intern(json_object *pool, json_object *o)
{
	char *key = jsonx_compact(o), *k;
	json_object *found = NULL;

	k = xasprintf("\x1d%s", key); /* apart from the checks' keys */
	free(key);
	if (json_object_object_get_ex(pool, k, &found)) {
		json_object_put(o);
		o = json_object_get(found);
	} else {
		json_object_object_add(pool, k, json_object_get(o));
	}
	free(k);
	return o;
}

static void scan_on_describe_td(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *checks = NULL, *td, *cs;
	struct err e;
	size_t i;

	err_clear(&e);
	if (scan_checks(s->check_pool, r->resp, s->mask, &checks, &e) != 0) {
		err_prefix(&e, "DescribeTaskDefinition %s", scan_report_arn_tail(j->ref));
		json_object_array_add(s->tds, scan_report_taskdef_unknown(j->ref, e.msg));
		scan_error(s, "DescribeTaskDefinition", j->ref, &e);
		return;
	}
	td = scan_report_taskdef(r->resp, checks);
	/* Revisions of a family mostly repeat their containers and tags: share them. */
	cs = jsonx_array(td, "containers");
	for (i = 0; cs != NULL && i < json_object_array_length(cs); i++)
		json_object_array_put_idx(
		    cs, i,
		    scan_intern(s->check_pool, json_object_get(json_object_array_get_idx(cs, i))));
	SCAN_SET(td, "tags", scan_intern(s->check_pool, json_object_get(jsonx_obj(td, "tags"))));
	json_object_array_add(s->tds, td);
}

/* A revision seen in a listing: the family's latest is the highest. */
static struct scan_family *scan_saw_revision(struct scan *s, const char *arn, int create)
{
	struct scan_family *f;
	char *family = NULL;
	long rev;

	if (scan_report_td_split(arn, &family, &rev) != 0)
		return NULL;
	f = scan_family(s, family, create);
	free(family);
	if (f == NULL)
		return NULL;
	if (rev > f->latest_rev) {
		f->latest_rev = rev;
		free(f->latest_arn);
		f->latest_arn = xstrdup(arn);
	}
	return f;
}

static void scan_list_td_family(struct scan *s, const char *family, const char *token)
{
	json_object *body = scan_page_body("nextToken", token);

	SCAN_SET(body, "familyPrefix", json_object_new_string(family));
	SCAN_SET(body, "status", json_object_new_string("ACTIVE"));
	SCAN_SET(body, "sort", json_object_new_string("DESC"));
	/* The first page asks for the newest revision only; a continuation (familyPrefix is a
	 * prefix for some servers) takes full pages. */
	SCAN_SET(body, "maxResults", json_object_new_int(token != NULL ? SCAN_PAGE : 1));
	scan_push(s, SCAN_LIST_TD_FAMILY, body, family);
}

static void scan_list_td_all(struct scan *s, const char *token)
{
	json_object *body = scan_page_body("nextToken", token);

	SCAN_SET(body, "status", json_object_new_string("ACTIVE"));
	SCAN_SET(body, "sort", json_object_new_string("DESC"));
	SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
	scan_push(s, SCAN_LIST_TD_ALL, body, NULL);
}

/* A family's latest ACTIVE revision is known: describe it if needed. */
static void scan_family_resolved(struct scan *s, struct scan_family *f)
{
	if (f->resolved)
		return;
	f->resolved = 1;
	if (f->latest_arn != NULL)
		scan_want_td(s, f->latest_arn);
}

static void scan_on_list_td_family(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *arns = jsonx_array(r->resp, "taskDefinitionArns");
	const char *next = jsonx_str(r->resp, "nextToken");
	struct scan_family *f = scan_family(s, j->ref, 1);
	size_t i, n = arns != NULL ? json_object_array_length(arns) : 0;
	int exact = 0;

	for (i = 0; i < n; i++) {
		const char *arn = json_object_get_string(json_object_array_get_idx(arns, i));
		char *family = NULL;
		long rev;

		if (scan_report_td_split(arn, &family, &rev) == 0 && strcmp(family, f->name) == 0) {
			scan_saw_revision(s, arn, 0);
			exact = 1;
		}
		free(family);
	}
	/* Newest first: the first exact match is the latest; without one, read on. */
	if (!exact && next != NULL && next[0] != '\0') {
		scan_list_td_family(s, f->name, next);
		return;
	}
	scan_family_resolved(s, f);
}

/* Families not yet resolved among those needed. */
static size_t scan_unresolved(const struct scan *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->nfams; i++)
		k += s->fams[i].needed && !s->fams[i].resolved;
	return k;
}

static void scan_per_family(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nfams; i++) {
		if (s->fams[i].needed && !s->fams[i].resolved)
			scan_list_td_family(s, s->fams[i].name, NULL);
	}
}

static void scan_on_list_td_all(struct scan *s, struct aws_request *r)
{
	json_object *arns = jsonx_array(r->resp, "taskDefinitionArns");
	const char *next = jsonx_str(r->resp, "nextToken");
	size_t i, n = arns != NULL ? json_object_array_length(arns) : 0;
	char *last = NULL;
	long lrev;
	size_t before = scan_unresolved(s), left;

	s->td_pages++;
	for (i = 0; i < n; i++) {
		const char *arn = json_object_get_string(json_object_array_get_idx(arns, i));
		struct scan_family *f = scan_saw_revision(s, arn, s->o->all_families);

		if (f != NULL && s->o->all_families)
			f->needed = 1;
	}
	if (n > 0)
		scan_report_td_split(json_object_get_string(json_object_array_get_idx(arns, n - 1)),
				     &last, &lrev);
	/* Listed newest family name first (DESC): a family is complete once the listing has
	 * moved past it, or when the listing ends. */
	for (i = 0; i < s->nfams; i++) {
		struct scan_family *f = &s->fams[i];

		if (f->resolved || f->latest_arn == NULL)
			continue;
		if (next == NULL || next[0] == '\0' || (last != NULL && strcmp(f->name, last) > 0))
			scan_family_resolved(s, f);
	}
	free(last);
	if (next == NULL || next[0] == '\0') {
		/* Needed families without an ACTIVE revision: nothing to evaluate. */
		for (i = 0; i < s->nfams; i++)
			s->fams[i].resolved = 1;
		return;
	}
	left = scan_unresolved(s);
	s->td_resolved += before - left;
	if (left == 0 && !s->o->all_families)
		return; /* every needed family seen: the rest of the listing is not needed */
	/* Go on paging, or ask the rest family by family, whichever is expected to cost less:
	 * the pages so far resolved td_resolved families in td_pages calls. */
	if (!s->o->all_families &&
	    (s->td_resolved == 0 ||
	     left <= (left * s->td_pages + s->td_resolved - 1) / s->td_resolved)) {
		scan_per_family(s);
		return;
	}
	scan_list_td_all(s, next);
}

/* After the services are known: the latest ACTIVE revision of each family in use. */
static void scan_start_latest(struct scan *s)
{
	size_t needed = scan_unresolved(s);

	s->latest_started = 1;
	if (s->o->all_families || needed > 1)
		scan_list_td_all(s, NULL);
	else if (needed == 1)
		scan_per_family(s);
}

static json_object *scan_filter(const char *value)
{
	json_object *f = json_object_new_object();

	SCAN_SET(f, "Value", json_object_new_string(value));
	SCAN_SET(f, "Comparison", json_object_new_string("EQUALS"));
	return f;
}

static void scan_get_findings(struct scan *s, const char *token)
{
	json_object *body = json_object_new_object();
	json_object *filters = json_object_new_object();
	json_object *ids = json_object_new_array();
	json_object *types = json_object_new_array();
	json_object *state = json_object_new_array();
	size_t i;

	for (i = 0; i < scan_report_nhandled_controls; i++)
		json_object_array_add(ids, scan_filter(scan_report_handled_controls[i]));
	json_object_array_add(types, scan_filter("AwsEcsTaskDefinition"));
	json_object_array_add(types, scan_filter("AwsEcsService"));
	json_object_array_add(state, scan_filter("ACTIVE"));
	SCAN_SET(filters, "ComplianceSecurityControlId", ids);
	SCAN_SET(filters, "ResourceType", types);
	SCAN_SET(filters, "RecordState", state);
	SCAN_SET(body, "Filters", filters);
	SCAN_SET(body, "MaxResults", json_object_new_int(SCAN_PAGE));
	if (token != NULL)
		SCAN_SET(body, "NextToken", json_object_new_string(token));
	scan_push(s, SCAN_GET_FINDINGS, body, NULL);
}

static void scan_on_get_findings(struct scan *s, struct aws_request *r)
{
	json_object *fs = jsonx_array(r->resp, "Findings");
	const char *next = jsonx_str(r->resp, "NextToken");
	size_t i, n = fs != NULL ? json_object_array_length(fs) : 0;

	/* The filters are applied again here: emulators ignore them. */
	for (i = 0; i < n; i++) {
		json_object *f = scan_report_finding(json_object_array_get_idx(fs, i));

		if (f != NULL)
			json_object_array_add(s->findings, f);
	}
	if (next != NULL && next[0] != '\0')
		scan_get_findings(s, next);
}

/* A failed call: what it leaves unknown. */
static void scan_on_failure(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	const char *op = scan_kinds[j->kind].op;
	char *why = scan_reason(&r->err);
	json_object *names;
	size_t i, n;

	if (strcmp(r->err.code, "Cancelled") == 0) {
		s->cancelled = 1;
		free(why);
		return;
	}
	switch (j->kind) {
	case SCAN_LIST_CLUSTERS:
	case SCAN_DESCRIBE_CLUSTERS:
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, &r->err);
		names = jsonx_array(j->body, "clusters");
		n = names != NULL ? json_object_array_length(names) : 0;
		for (i = 0; i < n; i++)
			json_object_array_add(
			    s->clusters,
			    scan_report_cluster_unknown(
				json_object_get_string(json_object_array_get_idx(names, i)), why));
		if (j->kind == SCAN_LIST_CLUSTERS && s->clusters_read)
			json_object_array_add(
			    s->clusters, scan_report_cluster_unknown("(unlisted clusters)", why));
		break;
	case SCAN_LIST_SERVICES:
		if (strcmp(r->err.code, "ClusterNotFoundException") == 0 &&
		    json_object_object_get_ex(s->missing, j->ref, NULL)) {
			free(why); /* already reported by DescribeClusters */
			return;
		}
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, &r->err);
		json_object_object_add(s->cluster_errs, j->ref, json_object_new_string(why));
		break;
	case SCAN_DESCRIBE_SERVICES:
		names = jsonx_array(j->body, "services");
		n = names != NULL ? json_object_array_length(names) : 0;
		for (i = 0; i < n; i++)
			json_object_array_add(
			    s->services,
			    scan_report_service_unknown(
				json_object_get_string(json_object_array_get_idx(names, i)), j->ref,
				why));
		break;
	case SCAN_DESCRIBE_TD:
		json_object_array_add(s->tds, scan_report_taskdef_unknown(j->ref, why));
		break;
	case SCAN_LIST_TD_ALL:
	case SCAN_LIST_TD_FAMILY:
		/* The latest revision stays unknown: latestActiveArn null. */
		for (i = 0; i < s->nfams; i++) {
			if (j->kind == SCAN_LIST_TD_ALL || strcmp(s->fams[i].name, j->ref) == 0)
				s->fams[i].resolved = 1;
		}
		break;
	case SCAN_GET_FINDINGS:
		free(s->findings_unknown);
		s->findings_unknown = xstrdup(why);
		break;
	case SCAN_NKINDS:
		break;
	}
	scan_error(s, op, j->ref, &r->err);
	free(why);
}

static void scan_handle(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	if (r->status != 0) {
		scan_on_failure(s, j, r);
		return;
	}
	switch (j->kind) {
	case SCAN_LIST_CLUSTERS:
		scan_on_list_clusters(s, r);
		break;
	case SCAN_DESCRIBE_CLUSTERS:
		scan_on_describe_clusters(s, j, r);
		break;
	case SCAN_LIST_SERVICES:
		scan_on_list_services(s, j, r);
		break;
	case SCAN_DESCRIBE_SERVICES:
		scan_on_describe_services(s, j, r);
		break;
	case SCAN_DESCRIBE_TD:
		scan_on_describe_td(s, j, r);
		break;
	case SCAN_LIST_TD_ALL:
		scan_on_list_td_all(s, r);
		break;
	case SCAN_LIST_TD_FAMILY:
		scan_on_list_td_family(s, j, r);
		break;
	case SCAN_GET_FINDINGS:
		scan_on_get_findings(s, r);
		break;
	case SCAN_NKINDS:
		break;
	}
}

/* Runs one wave: up to SCAN_WAVE_MAX queued jobs, concurrently. */
static void scan_wave(struct scan *s)
{
	size_t n = s->nqueue < SCAN_WAVE_MAX ? s->nqueue : SCAN_WAVE_MAX, i;
	struct scan_job *jobs = xcalloc(n, sizeof *jobs);
	struct aws_request *reqs = xcalloc(n, sizeof *reqs);

	memcpy(jobs, s->queue, n * sizeof *jobs);
	memmove(s->queue, s->queue + n, (s->nqueue - n) * sizeof *s->queue);
	s->nqueue -= n;
	for (i = 0; i < n; i++)
		aws_request_init(&reqs[i], scan_kinds[jobs[i].kind].svc,
				 scan_kinds[jobs[i].kind].op, jobs[i].body);
	if (s->progress != NULL)
		s->progress(s->ctx, scan_kinds[jobs[0].kind].phase, s->calls_done, s->calls_total);
	aws_call_many(s->c, reqs, n);
	for (i = 0; i < n; i++) {
		scan_handle(s, &jobs[i], &reqs[i]);
		s->pending[jobs[i].kind]--;
		s->calls_done++;
		aws_request_done(&reqs[i]);
		json_object_put(jobs[i].body);
		free(jobs[i].ref);
	}
	free(reqs);
	free(jobs);
#ifdef __GLIBC__
	/* Give the pages of this wave's answers back: the report grows between them, so
	 * without this the freed answers stay resident (peak RSS of a large scan). */
	malloc_trim(0);
#endif
}

static int scan_services_done(const struct scan *s)
{
	return s->pending[SCAN_LIST_CLUSTERS] == 0 && s->pending[SCAN_DESCRIBE_CLUSTERS] == 0 &&
	       s->pending[SCAN_LIST_SERVICES] == 0 && s->pending[SCAN_DESCRIBE_SERVICES] == 0;
}

/* Marks clusters whose service listing is incomplete. */
static void scan_mark_clusters(struct scan *s)
{
	size_t i, n = json_object_array_length(s->clusters);

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(s->clusters, i);
		const char *arn = jsonx_str(c, "arn"), *name = jsonx_str(c, "name");
		json_object *why = NULL;

		if (!(arn != NULL && json_object_object_get_ex(s->cluster_errs, arn, &why)) &&
		    !(name != NULL && json_object_object_get_ex(s->cluster_errs, name, &why)))
			continue;
		char *m =
		    xasprintf("services could not all be listed: %s", json_object_get_string(why));

		SCAN_SET(c, "unknown", json_object_new_string(m));
		free(m);
	}
}

static void scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nqueue; i++) {
		json_object_put(s->queue[i].body);
		free(s->queue[i].ref);
	}
	free(s->queue);
	for (i = 0; i < s->nfams; i++) {
		free(s->fams[i].name);
		free(s->fams[i].latest_arn);
	}
	free(s->fams);
	json_object_put(s->report);
	json_object_put(s->td_seen);
	json_object_put(s->missing);
	json_object_put(s->cluster_errs);
	json_object_put(s->fam_index);
	json_object_put(s->check_pool);
	free(s->findings_unknown);
}

/* The report's head: region, account, endpoint, time, controls, and the empty lists. */
static void scan_head(struct scan *s)
{
	char buf[32];
	size_t i;
	json_object *controls = json_object_new_array();

	s->report = json_object_new_object();
	SCAN_SET(s->report, "region", json_object_new_string(aws_client_region(s->c)));
	SCAN_SET(s->report, "account", NULL);
	SCAN_SET(s->report, "endpoint",
		 json_object_new_string(aws_client_endpoint(s->c, AWS_SVC_ECS)));
	time_iso8601(time(NULL), buf, sizeof buf);
	SCAN_SET(s->report, "generatedAt", json_object_new_string(buf));
	for (i = 0; i < rules_count(); i++) {
		if (s->mask & (1u << i))
			json_object_array_add(controls, json_object_new_string(rules_get(i)->id));
	}
	SCAN_SET(s->report, "controls", controls);
	s->clusters = json_object_new_array();
	s->services = json_object_new_array();
	s->tds = json_object_new_array();
	s->findings = json_object_new_array();
	s->errors = json_object_new_array();
	SCAN_SET(s->report, "clusters", s->clusters);
	SCAN_SET(s->report, "services", s->services);
	SCAN_SET(s->report, "taskDefinitions", s->tds);
	SCAN_SET(s->report, "findings", s->findings);
	SCAN_SET(s->report, "errors", s->errors);
}

/* The account id from the first ARN read. */
static void scan_account(struct scan *s)
{
	json_object *lists[3] = {s->clusters, s->services, s->tds};
	char acct[32];
	size_t i, k;

	for (i = 0; i < 3; i++) {
		for (k = 0; k < json_object_array_length(lists[i]); k++) {
			scan_report_arn_account(
			    jsonx_str(json_object_array_get_idx(lists[i], k), "arn"), acct,
			    sizeof acct);
			if (acct[0] != '\0') {
				SCAN_SET(s->report, "account", json_object_new_string(acct));
				return;
			}
		}
	}
}

/* The latest ACTIVE revision per family, for the report. */
static json_object *scan_latest_map(const struct scan *s)
{
	json_object *m = json_object_new_object();
	size_t i;

	for (i = 0; i < s->nfams; i++) {
		if (s->fams[i].latest_arn != NULL && s->fams[i].resolved)
			json_object_object_add(m, s->fams[i].name,
					       json_object_new_string(s->fams[i].latest_arn));
	}
	return m;
}

int scan_run(struct aws_client *c, const struct scan_options *o, scan_progress_fn progress,
	     void *ctx, json_object **report, struct err *e)
{
	struct scan s;
	json_object *latest;
	size_t i;
	int rc = -1;

	*report = NULL;
	memset(&s, 0, sizeof s);
	s.c = c;
	s.o = o;
	s.mask = o->controls != 0 ? o->controls : rules_default_mask();
	s.progress = progress;
	s.ctx = ctx;
	s.td_seen = json_object_new_object();
	s.missing = json_object_new_object();
	s.cluster_errs = json_object_new_object();
	s.fam_index = json_object_new_object();
	s.check_pool = json_object_new_object();
	err_clear(&s.first_err);
	scan_head(&s);

	if (o->nclusters > 0) {
		json_object *names = json_object_new_array();

		for (i = 0; i < o->nclusters; i++) {
			size_t k;

			for (k = 0; k < i && strcmp(o->clusters[k], o->clusters[i]) != 0; k++)
				;
			if (k == i) /* each cluster once */
				json_object_array_add(names,
						      json_object_new_string(o->clusters[i]));
		}
		scan_clusters_found(&s, names);
		json_object_put(names);
	} else {
		json_object *body = json_object_new_object();

		SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
		scan_push(&s, SCAN_LIST_CLUSTERS, body, NULL);
	}
	if (!o->no_findings)
		scan_get_findings(&s, NULL);

	while (s.nqueue > 0 && !s.cancelled) {
		scan_wave(&s);
		if (!s.latest_started && scan_services_done(&s))
			scan_start_latest(&s);
	}
	if (s.cancelled) {
		err_set(e, "scan interrupted");
		snprintf(e->code, sizeof e->code, "Cancelled");
		goto out;
	}
	if (!s.clusters_read && s.first_err.msg[0] != '\0') {
		err_copy(e, &s.first_err);
		goto out;
	}
	scan_mark_clusters(&s);
	scan_account(&s);
	latest = scan_latest_map(&s);
	scan_report_finish(s.report, latest, s.findings_unknown);
	json_object_put(latest);
	owner_mark_report(s.report, o->owner_keys);
	SCAN_SET(s.report, "findingsSkipped", json_object_new_boolean(o->no_findings));
	if (progress != NULL)
		progress(ctx, "done", s.calls_done, s.calls_done);
	*report = s.report;
	s.report = NULL;
	rc = 0;
out:
	scan_free(&s);
	return rc;
}
