/* scan.c: the scan of one or more targets (account x region): a streaming scheduler feeding
 * ECS, Security Hub and STS calls to one HTTP pool, each answer handled as it arrives; then
 * the join. */
#include "config.h"

#include "core/scan.h"

#include <assert.h>
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
/* Requests handed to the stream beyond the pool's global limit (the rest wait in the
 * scheduler's queue as small request bodies): keeps the pool full while tokens and
 * back-offs hold some of them, and bounds the answers held in memory. */
#define SCAN_WINDOW_EXTRA 16
#define SCAN_NO_GUARD     ((size_t)-1)

enum scan_kind {
	SCAN_LIST_CLUSTERS,
	SCAN_DESCRIBE_CLUSTERS,
	SCAN_LIST_SERVICES,
	SCAN_DESCRIBE_SERVICES,
	SCAN_DESCRIBE_TD,
	SCAN_LIST_TD_ALL,
	SCAN_LIST_TD_FAMILY,
	SCAN_GET_FINDINGS,
	SCAN_ASSUME_ROLE,
	SCAN_LIST_TAGS,
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
    [SCAN_ASSUME_ROLE] = {"AssumeRole", AWS_SVC_STS, "credentials"},
    [SCAN_LIST_TAGS] = {"ListTagsForResource", AWS_SVC_ECS, "task definitions"},
};

struct scan;
struct scan_sched;

struct scan_job {
	struct scan *s; /* the target */
	enum scan_kind kind;
	json_object *body; /* owned request members */
	char *ref;         /* cluster (name or ARN), task definition ARN or family */
	size_t guard;      /* the page guard of a listing (index in s->guards) */
	struct aws_request req;
};

/* What is known about a family's latest ACTIVE revision. */
struct scan_family {
	char *name;
	int needed;   /* a service runs one of its revisions (or --all-families) */
	int resolved; /* the latest ACTIVE revision is known (or known not to exist) */
	long latest_rev;
	char *latest_arn;
};

/* The state of one target's scan. The report arrays are the scheduler's (shared). */
struct scan {
	struct scan_sched *sc;
	const struct scan_target *t;
	struct aws_client *c;
	const struct scan_options *o;
	unsigned mask;
	size_t index; /* in sc->scans */
	char account[32];

	json_object *clusters, *services, *tds, *findings, *errors; /* borrowed from sc */
	json_object *td_seen;      /* task definition ARN -> true (queued or described) */
	json_object *svc_seen;     /* service ARN -> true (described or failed) */
	json_object *missing;      /* cluster name/ARN -> true: DescribeClusters said MISSING */
	json_object *cluster_errs; /* cluster ARN or name -> reason its services are partial */
	json_object *not_found;    /* cluster -> ListServices' ClusterNotFoundException message,
				      until DescribeClusters has said whether it is MISSING */
	json_object *fam_index;    /* family -> index in fams */
	struct scan_family *fams;
	size_t nfams, capfams;
	struct aws_page_guard *guards;
	size_t nguards;

	size_t pending[SCAN_NKINDS]; /* queued or in flight */
	size_t calls_done, calls_total;
	int started;        /* the target's first calls are queued */
	int clusters_read;  /* a cluster was described or listed */
	int latest_started; /* the latest-revision phase has begun */
	int partial;        /* something could not be read */
	size_t td_pages;    /* ListTaskDefinitions (all ACTIVE) pages read */
	size_t td_resolved; /* needed families resolved by those pages */
	char *findings_unknown;
	char *unreachable;    /* the target could not be scanned at all: why */
	struct err first_err; /* the first error of the cluster phase */
};

/* The scheduler: one queue of calls for every target, one stream, one report. */
struct scan_sched {
	struct aws_client *c; /* the first target's: the pool, the cancel flag */
	const struct scan_options *o;
	scan_progress_fn progress;
	void *ctx;
	struct aws_stream *st;
	struct scan *scans;
	size_t nscans, targets_done;
	struct scan_job **queue; /* FIFO of calls not yet handed to the stream */
	size_t qhead, nqueue, capqueue;
	size_t in_stream, window;
	size_t calls_done, calls_total;
	json_object *report;
	json_object *clusters, *services, *tds, *findings, *errors;
	json_object *check_pool; /* identical checks shared between revisions (read-only) */
	int cancelled;
};

static void scan_push_guarded(struct scan *s, enum scan_kind kind, json_object *body,
			      const char *ref, size_t guard)
{
	struct scan_sched *sc = s->sc;
	struct scan_job *j = xcalloc(1, sizeof *j);

	if (sc->nqueue == sc->capqueue) {
		if (sc->qhead > 0) {
			memmove(sc->queue, sc->queue + sc->qhead,
				(sc->nqueue - sc->qhead) * sizeof *sc->queue);
			sc->nqueue -= sc->qhead;
			sc->qhead = 0;
		}
		if (sc->nqueue == sc->capqueue) {
			sc->capqueue = sc->capqueue ? sc->capqueue * 2 : 64;
			sc->queue = xreallocarray(sc->queue, sc->capqueue, sizeof *sc->queue);
		}
	}
	sc->queue[sc->nqueue++] = j;
	j->s = s;
	j->kind = kind;
	j->body = body;
	j->ref = ref != NULL ? xstrdup(ref) : NULL;
	j->guard = guard;
	s->pending[kind]++;
	s->calls_total++;
	sc->calls_total++;
}

static void scan_push(struct scan *s, enum scan_kind kind, json_object *body, const char *ref)
{
	scan_push_guarded(s, kind, body, ref, SCAN_NO_GUARD);
}

/* A new page guard for a listing; its index. */
static size_t scan_guard_new(struct scan *s)
{
	s->guards = xreallocarray(s->guards, s->nguards + 1, sizeof *s->guards);
	aws_page_guard_init(&s->guards[s->nguards]);
	return s->nguards++;
}

/* Sets accountId and region on a report entry: those of its ARN (or a finding's resource),
 * else the target's. The target learns its account from the first ARN it reads. */
static json_object *scan_tag(struct scan *s, json_object *o)
{
	const char *arn = jsonx_str(o, "arn");
	char acct[32], region[64];

	if (arn == NULL)
		arn = jsonx_str(o, "resource");
	scan_report_arn_account(arn, acct, sizeof acct);
	scan_report_arn_region(arn, region, sizeof region);
	if (acct[0] != '\0' && s->account[0] == '\0' && s->t != NULL)
		snprintf(s->account, sizeof s->account, "%s", acct);
	if (acct[0] == '\0')
		snprintf(acct, sizeof acct, "%s", s->account);
	if (region[0] == '\0')
		snprintf(region, sizeof region, "%s", aws_client_region(s->c));
	SCAN_SET(o, "accountId", acct[0] != '\0' ? json_object_new_string(acct) : NULL);
	SCAN_SET(o, "region", json_object_new_string(region));
	return o;
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
	json_object_array_add(s->errors, scan_tag(s, o));
	s->partial = 1;
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

static void scan_describe_td(struct scan *s, const char *arn)
{
	json_object *body = json_object_new_object();

	SCAN_SET(body, "taskDefinition", json_object_new_string(arn));
	SCAN_SET(body, "include", json_object_new_array());
	json_object_array_add(jsonx_array(body, "include"), json_object_new_string("TAGS"));
	scan_push(s, SCAN_DESCRIBE_TD, body, arn);
}

static void scan_td_answer(struct scan *s, const char *arn, json_object *resp, int from_cache);

/* Queues DescribeTaskDefinition for arn unless it was already queued, or takes the revision
 * from the cache (refreshing its tags when they are stale). */
static void scan_want_td(struct scan *s, const char *arn)
{
	const struct scan_cache *cache = s->o->cache;
	json_object *cached = NULL;
	int stale = 0;

	if (arn == NULL || arn[0] == '\0' || json_object_object_get_ex(s->td_seen, arn, NULL))
		return;
	json_object_object_add(s->td_seen, arn, json_object_new_boolean(1));
	if (cache != NULL && strncmp(arn, "arn:", 4) == 0)
		cached = cache->get(cache->ctx, arn, &stale);
	if (cached != NULL && !stale) {
		scan_td_answer(s, arn, cached, 1);
	} else if (cached != NULL) {
		json_object *body = json_object_new_object();

		SCAN_SET(body, "resourceArn", json_object_new_string(arn));
		scan_push(s, SCAN_LIST_TAGS, body, arn);
	} else {
		scan_describe_td(s, arn);
	}
	json_object_put(cached);
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

/* The next page token of a listing answer into *out (NULL at the end). A token the listing
 * gave before (a server repeating or cycling tokens) or one page too many: the job fails with
 * that reason (what it leaves unknown is reported) and -1 is returned. */
static void scan_on_failure(struct scan *s, struct scan_job *j, const struct err *err);

static int scan_next_token(struct scan *s, struct scan_job *j, json_object *resp, const char *key,
			   const char **out)
{
	const char *next = jsonx_str(resp, key);
	struct err e;

	*out = NULL;
	if (next == NULL || next[0] == '\0')
		return 0;
	if (j->guard == SCAN_NO_GUARD)
		j->guard = scan_guard_new(s);
	err_clear(&e);
	if (aws_page_guard_next(&s->guards[j->guard], scan_kinds[j->kind].op, next, &e) != 0) {
		scan_on_failure(s, j, &e);
		return -1;
	}
	*out = next;
	return 0;
}

static void scan_list_services(struct scan *s, const char *cluster, const char *token, size_t guard)
{
	json_object *body = scan_page_body("nextToken", token);

	SCAN_SET(body, "cluster", json_object_new_string(cluster));
	SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
	scan_push_guarded(s, SCAN_LIST_SERVICES, body, cluster, guard);
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

/* The strings of a listing (other elements dropped), as a new array. */
static json_object *scan_strings(json_object *arr)
{
	json_object *out = json_object_new_array();
	size_t i, n = scan_report_len(arr);

	for (i = 0; i < n; i++) {
		const char *v = scan_report_str_at(arr, i);

		if (v != NULL && v[0] != '\0')
			json_object_array_add(out, json_object_new_string(v));
	}
	return out;
}

/* The clusters of one ListClusters page (or the --cluster names), all strings: describe
 * them and list their services. */
static void scan_clusters_found(struct scan *s, json_object *names)
{
	size_t i, n = json_object_array_length(names);

	for (i = 0; i < n; i += SCAN_BATCH_CLUSTERS)
		scan_describe_clusters(s, names, i,
				       i + SCAN_BATCH_CLUSTERS < n ? i + SCAN_BATCH_CLUSTERS : n);
	for (i = 0; i < n; i++)
		scan_list_services(s, scan_report_str_at(names, i), NULL, SCAN_NO_GUARD);
}

static void scan_on_list_clusters(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *arns = scan_strings(jsonx_array(r->resp, "clusterArns"));
	const char *next;

	s->clusters_read = 1;
	scan_clusters_found(s, arns);
	json_object_put(arns);
	if (scan_next_token(s, j, r->resp, "nextToken", &next) == 0 && next != NULL) {
		json_object *body = scan_page_body("nextToken", next);

		SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
		scan_push_guarded(s, SCAN_LIST_CLUSTERS, body, NULL, j->guard);
	}
}

/* 1 when name (an ARN or a name) is the ARN or the name of the entry's resource. */
static int scan_names(const char *name, const char *arn, const char *short_name)
{
	if (name == NULL)
		return 0;
	if (arn != NULL && strcmp(name, arn) == 0)
		return 1;
	return short_name != NULL && strcmp(scan_report_arn_tail(name), short_name) == 0 &&
	       (arn == NULL || strncmp(name, "arn:", 4) != 0);
}

static void scan_on_describe_clusters(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *cl = jsonx_array(r->resp, "clusters");
	json_object *fl = jsonx_array(r->resp, "failures");
	json_object *asked = jsonx_array(j->body, "clusters");
	size_t i, k, n = scan_report_len(cl), m = scan_report_len(fl);

	for (i = 0; i < n; i++) {
		json_object *c = scan_report_obj_at(cl, i);

		if (jsonx_str(c, "clusterArn") == NULL)
			continue;
		s->clusters_read = 1;
		json_object_array_add(s->clusters, scan_tag(s, scan_report_cluster(c)));
	}
	for (i = 0; i < m; i++) {
		json_object *f = scan_report_obj_at(fl, i);
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
		json_object_array_add(s->clusters,
				      scan_tag(s, scan_report_cluster_unknown(arn, e.msg)));
		scan_error(s, "DescribeClusters", arn, &e);
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, &e);
	}
	/* Asked for and neither described nor reported as a failure: unknown. */
	for (k = 0; k < scan_report_len(asked); k++) {
		const char *name = scan_report_str_at(asked, k);
		int found = 0;
		struct err e;

		for (i = 0; i < n && !found; i++) {
			json_object *c = scan_report_obj_at(cl, i);

			found = c != NULL && jsonx_str(c, "clusterArn") != NULL &&
				scan_names(name, jsonx_str(c, "clusterArn"),
					   jsonx_str(c, "clusterName"));
		}
		for (i = 0; i < m && !found; i++)
			found = scan_names(
			    name, jsonx_str(scan_report_obj_at(fl, i), "arn"),
			    scan_report_arn_tail(jsonx_str(scan_report_obj_at(fl, i), "arn")));
		if (found || name == NULL)
			continue;
		err_clear(&e);
		err_set(&e, "DescribeClusters: %s: not described and not reported as a failure",
			scan_report_arn_tail(name));
		json_object_array_add(s->clusters,
				      scan_tag(s, scan_report_cluster_unknown(name, e.msg)));
		scan_error(s, "DescribeClusters", name, &e);
	}
}

static void scan_on_list_services(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *arns = scan_strings(jsonx_array(r->resp, "serviceArns"));
	const char *next;
	size_t i, k, n = json_object_array_length(arns);

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
	json_object_put(arns);
	if (scan_next_token(s, j, r->resp, "nextToken", &next) == 0 && next != NULL)
		scan_list_services(s, j->ref, next, j->guard);
}

static void scan_on_describe_services(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *sv = jsonx_array(r->resp, "services");
	json_object *fl = jsonx_array(r->resp, "failures");
	json_object *asked = jsonx_array(j->body, "services");
	size_t i, k, n = scan_report_len(sv);

	for (i = 0; i < n; i++) {
		json_object *svc = scan_report_obj_at(sv, i);
		const char *arn = jsonx_str(svc, "serviceArn");
		json_object *deps = jsonx_array(svc, "deployments");
		size_t m = scan_report_len(deps);

		if (arn == NULL || json_object_object_get_ex(s->svc_seen, arn, NULL))
			continue;
		json_object_object_add(s->svc_seen, arn, json_object_new_boolean(1));
		json_object_array_add(s->services, scan_tag(s, scan_report_service(svc)));
		scan_use_td(s, jsonx_str(svc, "taskDefinition"));
		for (k = 0; k < m; k++)
			scan_use_td(s, jsonx_str(scan_report_obj_at(deps, k), "taskDefinition"));
	}
	n = scan_report_len(fl);
	for (i = 0; i < n; i++) {
		json_object *f = scan_report_obj_at(fl, i);
		const char *arn = jsonx_str(f, "arn");
		const char *why = jsonx_str(f, "reason");
		struct err e;

		if (arn == NULL || json_object_object_get_ex(s->svc_seen, arn, NULL))
			continue;
		json_object_object_add(s->svc_seen, arn, json_object_new_boolean(1));
		err_clear(&e);
		err_set(&e, "DescribeServices: %s: %s", scan_report_arn_tail(arn),
			why != NULL ? why : "failed");
		json_object_array_add(s->services,
				      scan_tag(s, scan_report_service_unknown(arn, j->ref, e.msg)));
		scan_error(s, "DescribeServices", arn, &e);
	}
	/* Listed, asked for, and neither described nor reported as a failure: unknown. */
	for (k = 0; k < scan_report_len(asked); k++) {
		const char *arn = scan_report_str_at(asked, k);
		struct err e;

		if (arn == NULL || json_object_object_get_ex(s->svc_seen, arn, NULL))
			continue;
		json_object_object_add(s->svc_seen, arn, json_object_new_boolean(1));
		err_clear(&e);
		err_set(&e, "DescribeServices: %s: not described and not reported as a failure",
			scan_report_arn_tail(arn));
		json_object_array_add(s->services,
				      scan_tag(s, scan_report_service_unknown(arn, j->ref, e.msg)));
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

/* The task definition of a DescribeTaskDefinition answer for arn, type-checked: NULL (e set)
 * when the answer has none, names another revision or has no container list. */
static json_object *scan_td_checked(json_object *resp, const char *arn, struct err *e)
{
	json_object *td = jsonx_obj(resp, "taskDefinition");
	const char *got = jsonx_str(td, "taskDefinitionArn");

	if (td == NULL || got == NULL)
		return err_set(e, "the answer has no task definition"), NULL;
	if (strcmp(got, arn) != 0 && strcmp(scan_report_arn_tail(got), arn) != 0)
		return err_set(e, "the answer is about another revision (%s)",
			       scan_report_arn_tail(got)),
		       NULL;
	if (jsonx_array(td, "containerDefinitions") == NULL)
		return err_set(e, "the answer has no container definitions"), NULL;
	return td;
}

/* A DescribeTaskDefinition answer for arn (read now, or from the cache). */
static void scan_td_answer(struct scan *s, const char *arn, json_object *resp, int from_cache)
{
	json_object *pool = s->sc->check_pool;
	json_object *checks = NULL, *td, *cs;
	struct err e;
	size_t i;

	err_clear(&e);
	if (scan_td_checked(resp, arn, &e) == NULL ||
	    scan_checks(pool, resp, s->mask, &checks, &e) != 0) {
		err_prefix(&e, "DescribeTaskDefinition %s", scan_report_arn_tail(arn));
		json_object_array_add(s->tds, scan_tag(s, scan_report_taskdef_unknown(arn, e.msg)));
		scan_error(s, "DescribeTaskDefinition", arn, &e);
		return;
	}
	if (!from_cache && s->o->cache != NULL)
		s->o->cache->put(s->o->cache->ctx, arn, resp, 0);
	td = scan_report_taskdef(resp, checks);
	/* Revisions of a family mostly repeat their containers and tags: share them. */
	cs = jsonx_array(td, "containers");
	for (i = 0; cs != NULL && i < json_object_array_length(cs); i++)
		json_object_array_put_idx(
		    cs, i, scan_intern(pool, json_object_get(json_object_array_get_idx(cs, i))));
	SCAN_SET(td, "tags", scan_intern(pool, json_object_get(jsonx_obj(td, "tags"))));
	json_object_array_add(s->tds, scan_tag(s, td));
}

static void scan_on_describe_td(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	scan_td_answer(s, j->ref, r->resp, 0);
}

/* Fresh tags for a cached revision. */
static void scan_on_list_tags(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	const struct scan_cache *cache = s->o->cache;
	json_object *tags = jsonx_array(r->resp, "tags");
	json_object *cached;
	int stale;

	if (tags == NULL) {
		scan_describe_td(s, j->ref); /* an answer without tags: describe it */
		return;
	}
	cache->put(cache->ctx, j->ref, r->resp, 1);
	cached = cache->get(cache->ctx, j->ref, &stale);
	if (cached == NULL) {
		scan_describe_td(s, j->ref);
		return;
	}
	scan_td_answer(s, j->ref, cached, 1);
	json_object_put(cached);
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

static void scan_list_td_family(struct scan *s, const char *family, const char *token, size_t guard)
{
	json_object *body = scan_page_body("nextToken", token);

	SCAN_SET(body, "familyPrefix", json_object_new_string(family));
	SCAN_SET(body, "status", json_object_new_string("ACTIVE"));
	SCAN_SET(body, "sort", json_object_new_string("DESC"));
	/* The first page asks for the newest revision only; a continuation (familyPrefix is a
	 * prefix for some servers) takes full pages. */
	SCAN_SET(body, "maxResults", json_object_new_int(token != NULL ? SCAN_PAGE : 1));
	scan_push_guarded(s, SCAN_LIST_TD_FAMILY, body, family, guard);
}

static void scan_list_td_all(struct scan *s, const char *token, size_t guard)
{
	json_object *body = scan_page_body("nextToken", token);

	SCAN_SET(body, "status", json_object_new_string("ACTIVE"));
	SCAN_SET(body, "sort", json_object_new_string("DESC"));
	SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
	scan_push_guarded(s, SCAN_LIST_TD_ALL, body, NULL, guard);
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
	const char *next;
	struct scan_family *f = scan_family(s, j->ref, 1);
	size_t i, n = scan_report_len(arns);
	int exact = 0;

	for (i = 0; i < n; i++) {
		const char *arn = scan_report_str_at(arns, i);
		char *family = NULL;
		long rev;

		if (scan_report_td_split(arn, &family, &rev) == 0 && strcmp(family, f->name) == 0) {
			scan_saw_revision(s, arn, 0);
			exact = 1;
		}
		free(family);
	}
	/* Newest first: the first exact match is the latest; without one, read on. */
	if (!exact) {
		if (scan_next_token(s, j, r->resp, "nextToken", &next) != 0)
			return;
		if (next != NULL) {
			scan_list_td_family(s, f->name, next, j->guard);
			return;
		}
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
			scan_list_td_family(s, s->fams[i].name, NULL, SCAN_NO_GUARD);
	}
}

static void scan_on_list_td_all(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *arns = jsonx_array(r->resp, "taskDefinitionArns");
	const char *next;
	size_t i, n = scan_report_len(arns);
	char *last = NULL;
	long lrev;
	size_t before = scan_unresolved(s), left;

	if (scan_next_token(s, j, r->resp, "nextToken", &next) != 0)
		return;
	s->td_pages++;
	for (i = 0; i < n; i++) {
		const char *arn = scan_report_str_at(arns, i);
		struct scan_family *f = scan_saw_revision(s, arn, s->o->all_families);

		if (f != NULL && s->o->all_families)
			f->needed = 1;
	}
	if (n > 0 && scan_report_str_at(arns, n - 1) != NULL)
		scan_report_td_split(scan_report_str_at(arns, n - 1), &last, &lrev);
	/* Listed newest family name first (DESC): a family is complete once the listing has
	 * moved past it, or when the listing ends. */
	for (i = 0; i < s->nfams; i++) {
		struct scan_family *f = &s->fams[i];

		if (f->resolved || f->latest_arn == NULL)
			continue;
		if (next == NULL || (last != NULL && strcmp(f->name, last) > 0))
			scan_family_resolved(s, f);
	}
	free(last);
	if (next == NULL) {
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
	scan_list_td_all(s, next, j->guard);
}

/* After the services are known: the latest ACTIVE revision of each family in use. */
static void scan_start_latest(struct scan *s)
{
	size_t needed = scan_unresolved(s);

	s->latest_started = 1;
	if (s->o->all_families || needed > 1)
		scan_list_td_all(s, NULL, SCAN_NO_GUARD);
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

static void scan_get_findings(struct scan *s, const char *token, size_t guard)
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
	if (s->t == NULL) {
		/* the aggregator: only the targets' accounts and regions */
		json_object *accts = json_object_new_array(), *regions = json_object_new_array();
		json_object *seen = json_object_new_object();

		for (i = 0; i < s->sc->nscans; i++) {
			const struct scan *x = &s->sc->scans[i];
			const char *region = aws_client_region(x->c);

			if (x->t->account_id != NULL &&
			    !json_object_object_get_ex(seen, x->t->account_id, NULL)) {
				json_object_object_add(seen, x->t->account_id, NULL);
				json_object_array_add(accts, scan_filter(x->t->account_id));
			}
			if (!json_object_object_get_ex(seen, region, NULL)) {
				json_object_object_add(seen, region, NULL);
				json_object_array_add(regions, scan_filter(region));
			}
		}
		json_object_put(seen);
		if (json_object_array_length(accts) > 0)
			SCAN_SET(filters, "AwsAccountId", accts);
		else
			json_object_put(accts);
		SCAN_SET(filters, "Region", regions);
	}
	SCAN_SET(body, "Filters", filters);
	SCAN_SET(body, "MaxResults", json_object_new_int(SCAN_PAGE));
	if (token != NULL)
		SCAN_SET(body, "NextToken", json_object_new_string(token));
	scan_push_guarded(s, SCAN_GET_FINDINGS, body, NULL, guard);
}

static void scan_on_get_findings(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	json_object *fs = jsonx_array(r->resp, "Findings");
	const char *next;
	size_t i, n = scan_report_len(fs);

	/* The filters are applied again here: emulators ignore them. */
	for (i = 0; i < n; i++) {
		json_object *f = scan_report_finding(scan_report_obj_at(fs, i));

		if (f != NULL)
			json_object_array_add(s->findings, scan_tag(s, f));
	}
	if (scan_next_token(s, j, r->resp, "NextToken", &next) == 0 && next != NULL)
		scan_get_findings(s, next, j->guard);
}

static void scan_start_target(struct scan *s);

static void scan_on_assume_role(struct scan *s, struct aws_request *r)
{
	json_object *cr = jsonx_obj(r->resp, "Credentials");
	const char *akid = jsonx_str(cr, "AccessKeyId"), *secret = jsonx_str(cr, "SecretAccessKey");
	const char *token = jsonx_str(cr, "SessionToken"), *exp = jsonx_str(cr, "Expiration");
	struct err e;

	err_clear(&e);
	if (akid == NULL || secret == NULL || token == NULL) {
		err_set(&e, "AssumeRole %s: the answer has no credentials", s->t->role_arn);
		free(s->unreachable);
		s->unreachable = xstrdup(e.msg);
		scan_error(s, "AssumeRole", s->t->role_arn, &e);
		return;
	}
	aws_client_set_credentials(s->c, akid, secret, token, exp, s->t->role_arn);
	scan_start_target(s);
}

/* A failed call (or a listing stopped by its page guard): what it leaves unknown. */
static void scan_on_failure(struct scan *s, struct scan_job *j, const struct err *err)
{
	const char *op = scan_kinds[j->kind].op;
	char *why = scan_reason(err);
	json_object *names;
	size_t i, n;

	if (strcmp(err->code, "Cancelled") == 0) {
		s->sc->cancelled = 1;
		free(why);
		return;
	}
	switch (j->kind) {
	case SCAN_LIST_CLUSTERS:
	case SCAN_DESCRIBE_CLUSTERS:
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, err);
		names = jsonx_array(j->body, "clusters");
		n = scan_report_len(names);
		for (i = 0; i < n; i++)
			json_object_array_add(s->clusters,
					      scan_tag(s, scan_report_cluster_unknown(
							      scan_report_str_at(names, i), why)));
		if (j->kind == SCAN_LIST_CLUSTERS && s->clusters_read)
			json_object_array_add(
			    s->clusters,
			    scan_tag(s, scan_report_cluster_unknown("(unlisted clusters)", why)));
		break;
	case SCAN_LIST_SERVICES:
		if (strcmp(err->code, "ClusterNotFoundException") == 0 &&
		    (json_object_object_get_ex(s->missing, j->ref, NULL) ||
		     s->pending[SCAN_DESCRIBE_CLUSTERS] > 0)) {
			/* DescribeClusters reports it (or will: decided when the target ends) */
			if (!json_object_object_get_ex(s->missing, j->ref, NULL))
				json_object_object_add(s->not_found, j->ref,
						       json_object_new_string(err->msg));
			free(why);
			return;
		}
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, err);
		json_object_object_add(s->cluster_errs, j->ref, json_object_new_string(why));
		break;
	case SCAN_DESCRIBE_SERVICES:
		names = jsonx_array(j->body, "services");
		n = scan_report_len(names);
		for (i = 0; i < n; i++) {
			const char *arn = scan_report_str_at(names, i);

			if (arn == NULL || json_object_object_get_ex(s->svc_seen, arn, NULL))
				continue;
			json_object_object_add(s->svc_seen, arn, json_object_new_boolean(1));
			json_object_array_add(s->services, scan_tag(s, scan_report_service_unknown(
									   arn, j->ref, why)));
		}
		break;
	case SCAN_DESCRIBE_TD:
		json_object_array_add(s->tds,
				      scan_tag(s, scan_report_taskdef_unknown(j->ref, why)));
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
	case SCAN_ASSUME_ROLE:
		free(s->unreachable);
		s->unreachable = xasprintf("cannot assume %s: %s", j->ref, why);
		break;
	case SCAN_LIST_TAGS:
		free(why); /* describe it instead: the answer has the tags */
		scan_describe_td(s, j->ref);
		return;
	case SCAN_NKINDS:
		break;
	}
	scan_error(s, op, j->ref, err);
	free(why);
}

static void scan_handle(struct scan *s, struct scan_job *j, struct aws_request *r)
{
	if (r->status != 0) {
		scan_on_failure(s, j, &r->err);
		return;
	}
	switch (j->kind) {
	case SCAN_LIST_CLUSTERS:
		scan_on_list_clusters(s, j, r);
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
		scan_on_list_td_all(s, j, r);
		break;
	case SCAN_LIST_TD_FAMILY:
		scan_on_list_td_family(s, j, r);
		break;
	case SCAN_GET_FINDINGS:
		scan_on_get_findings(s, j, r);
		break;
	case SCAN_ASSUME_ROLE:
		scan_on_assume_role(s, r);
		break;
	case SCAN_LIST_TAGS:
		scan_on_list_tags(s, j, r);
		break;
	case SCAN_NKINDS:
		break;
	}
}

static int scan_services_done(const struct scan *s)
{
	return s->pending[SCAN_LIST_CLUSTERS] == 0 && s->pending[SCAN_DESCRIBE_CLUSTERS] == 0 &&
	       s->pending[SCAN_LIST_SERVICES] == 0 && s->pending[SCAN_DESCRIBE_SERVICES] == 0 &&
	       s->pending[SCAN_ASSUME_ROLE] == 0;
}

static size_t scan_pending(const struct scan *s)
{
	size_t k, n = 0;

	for (k = 0; k < SCAN_NKINDS; k++)
		n += s->pending[k];
	return n;
}

/* The status of a target: UNKNOWN (nothing read), PARTIAL (errors) or COMPLETE. */
static const char *scan_target_status(const struct scan *s, const char **reason)
{
	*reason = NULL;
	if (s->unreachable != NULL) {
		*reason = s->unreachable;
		return "UNKNOWN";
	}
	if (!s->clusters_read && s->first_err.msg[0] != '\0') {
		*reason = s->first_err.msg;
		return "UNKNOWN";
	}
	if (s->partial || s->findings_unknown != NULL) {
		*reason = s->findings_unknown;
		return "PARTIAL";
	}
	return "COMPLETE";
}

static void scan_target_event(struct scan *s, const char *status, const char *reason)
{
	struct scan_target_status ts;

	if (s->o->on_target == NULL || s->t == NULL)
		return;
	memset(&ts, 0, sizeof ts);
	ts.index = s->index;
	ts.ntargets = s->sc->nscans;
	ts.done_targets = s->sc->targets_done;
	ts.account_id = s->account[0] != '\0' ? s->account : NULL;
	ts.region = aws_client_region(s->c);
	ts.role_arn = s->t->role_arn;
	ts.status = status;
	ts.reason = reason;
	ts.calls = s->calls_done;
	s->o->on_target(s->sc->ctx, &ts);
}

/* After each answer of s: the next phase, or the target is finished. */
static void scan_after(struct scan *s)
{
	const char *status, *reason;

	if (s->started && !s->latest_started && scan_services_done(s))
		scan_start_latest(s);
	if (scan_pending(s) > 0 || s->t == NULL)
		return;
	/* ListServices said "not found" about clusters DescribeClusters did not call MISSING */
	json_object_object_foreach(s->not_found, cluster, msg)
	{
		struct err e;

		if (json_object_object_get_ex(s->missing, cluster, NULL))
			continue;
		err_clear(&e);
		err_set(&e, "%s", json_object_get_string(msg));
		snprintf(e.code, sizeof e.code, "ClusterNotFound");
		if (s->first_err.msg[0] == '\0')
			err_copy(&s->first_err, &e);
		json_object_object_add(s->cluster_errs, cluster, json_object_new_string(e.msg));
		scan_error(s, "ListServices", cluster, &e);
	}
	s->sc->targets_done++;
	status = scan_target_status(s, &reason);
	scan_target_event(s, status, reason);
}

/* Marks clusters whose service listing is incomplete. */
static void scan_mark_clusters(json_object *clusters, json_object *cluster_errs)
{
	size_t i, n = json_object_array_length(clusters);

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(clusters, i);
		const char *arn = jsonx_str(c, "arn"), *name = jsonx_str(c, "name");
		json_object *why = NULL;
		char *m;

		if (!(arn != NULL && json_object_object_get_ex(cluster_errs, arn, &why)) &&
		    !(name != NULL && json_object_object_get_ex(cluster_errs, name, &why)))
			continue;
		m = xasprintf("services could not all be listed: %s", json_object_get_string(why));
		SCAN_SET(c, "unknown", json_object_new_string(m));
		free(m);
	}
}

static void scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nfams; i++) {
		free(s->fams[i].name);
		free(s->fams[i].latest_arn);
	}
	free(s->fams);
	for (i = 0; i < s->nguards; i++)
		aws_page_guard_done(&s->guards[i]);
	free(s->guards);
	json_object_put(s->td_seen);
	json_object_put(s->svc_seen);
	json_object_put(s->missing);
	json_object_put(s->cluster_errs);
	json_object_put(s->not_found);
	json_object_put(s->fam_index);
	free(s->findings_unknown);
	free(s->unreachable);
}

/* The report's head: region, account, endpoint, time, controls, and the empty lists. */
static void scan_head(struct scan_sched *sc, unsigned mask)
{
	char buf[32];
	size_t i;
	json_object *controls = json_object_new_array();

	sc->report = json_object_new_object();
	SCAN_SET(sc->report, "region", json_object_new_string(aws_client_region(sc->c)));
	SCAN_SET(sc->report, "account", NULL);
	SCAN_SET(sc->report, "endpoint",
		 json_object_new_string(aws_client_endpoint(sc->c, AWS_SVC_ECS)));
	time_iso8601(time(NULL), buf, sizeof buf);
	SCAN_SET(sc->report, "generatedAt", json_object_new_string(buf));
	for (i = 0; i < rules_count(); i++) {
		if (mask & (1u << i))
			json_object_array_add(controls, json_object_new_string(rules_get(i)->id));
	}
	SCAN_SET(sc->report, "controls", controls);
	sc->clusters = json_object_new_array();
	sc->services = json_object_new_array();
	sc->tds = json_object_new_array();
	sc->findings = json_object_new_array();
	sc->errors = json_object_new_array();
	SCAN_SET(sc->report, "clusters", sc->clusters);
	SCAN_SET(sc->report, "services", sc->services);
	SCAN_SET(sc->report, "taskDefinitions", sc->tds);
	SCAN_SET(sc->report, "findings", sc->findings);
	SCAN_SET(sc->report, "errors", sc->errors);
}

/* The latest ACTIVE revision per family (keyed by scan_report_family_key: families of
 * several targets can share a name), for the report. */
static void scan_latest_map(const struct scan *s, json_object *m)
{
	size_t i;

	for (i = 0; i < s->nfams; i++) {
		if (s->fams[i].latest_arn != NULL && s->fams[i].resolved) {
			char *key = scan_report_family_key(s->fams[i].latest_arn);

			json_object_object_add(m, key,
					       json_object_new_string(s->fams[i].latest_arn));
			free(key);
		}
	}
}

static void scan_init(struct scan_sched *sc, struct scan *s, const struct scan_target *t,
		      struct aws_client *c)
{
	memset(s, 0, sizeof *s);
	s->sc = sc;
	s->t = t;
	s->c = c;
	s->o = sc->o;
	s->mask = sc->o->controls != 0 ? sc->o->controls : rules_default_mask();
	s->td_seen = json_object_new_object();
	s->svc_seen = json_object_new_object();
	s->missing = json_object_new_object();
	s->cluster_errs = json_object_new_object();
	s->not_found = json_object_new_object();
	s->fam_index = json_object_new_object();
	s->clusters = sc->clusters;
	s->services = sc->services;
	s->tds = sc->tds;
	s->findings = sc->findings;
	s->errors = sc->errors;
	if (t != NULL && t->account_id != NULL)
		snprintf(s->account, sizeof s->account, "%s", t->account_id);
	err_clear(&s->first_err);
}

/* The target's credentials are there: its first calls. */
static void scan_start_target(struct scan *s)
{
	const struct scan_options *o = s->o;
	size_t i;

	s->started = 1;
	if (o->nclusters > 0) {
		json_object *names = json_object_new_array();

		for (i = 0; i < o->nclusters; i++) {
			size_t k;

			for (k = 0; k < i && strcmp(o->clusters[k], o->clusters[i]) != 0; k++)
				;
			if (k == i && o->clusters[i][0] != '\0') /* each cluster once */
				json_object_array_add(names,
						      json_object_new_string(o->clusters[i]));
		}
		scan_clusters_found(s, names);
		json_object_put(names);
	} else {
		json_object *body = json_object_new_object();

		SCAN_SET(body, "maxResults", json_object_new_int(SCAN_PAGE));
		scan_push(s, SCAN_LIST_CLUSTERS, body, NULL);
	}
	if (!o->no_findings && o->findings_from == NULL)
		scan_get_findings(s, NULL, SCAN_NO_GUARD);
}

static void scan_begin(struct scan *s)
{
	const struct scan_target *t = s->t;

	if (t->unreachable != NULL) {
		s->unreachable = xstrdup(t->unreachable);
		return;
	}
	if (t->role_arn != NULL) {
		json_object *body = json_object_new_object();

		SCAN_SET(body, "RoleArn", json_object_new_string(t->role_arn));
		SCAN_SET(
		    body, "RoleSessionName",
		    json_object_new_string(t->session_name != NULL ? t->session_name : "ecsfix"));
		if (t->external_id != NULL)
			SCAN_SET(body, "ExternalId", json_object_new_string(t->external_id));
		scan_push(s, SCAN_ASSUME_ROLE, body, t->role_arn);
		return;
	}
	scan_start_target(s);
}

/* Hands queued calls to the stream while there is room in the window. */
static void scan_feed(struct scan_sched *sc)
{
	while (!sc->cancelled && sc->qhead < sc->nqueue && sc->in_stream < sc->window) {
		struct scan_job *j = sc->queue[sc->qhead++];
		struct aws_client *c = j->s->c;

		if (j->kind == SCAN_ASSUME_ROLE)
			c = j->s->t->assume_via != NULL ? j->s->t->assume_via : sc->c;
		aws_request_init(&j->req, scan_kinds[j->kind].svc, scan_kinds[j->kind].op, j->body);
		aws_stream_submit(sc->st, c, &j->req, j);
		sc->in_stream++;
	}
}

static void scan_job_free(struct scan_job *j)
{
	aws_request_done(&j->req);
	json_object_put(j->body);
	free(j->ref);
	free(j);
}

/* The streaming loop: each answer handled as it arrives, new calls queued by the handlers
 * fed to the stream at once. */
static void scan_loop(struct scan_sched *sc)
{
	int64_t last_progress = 0;
	const char *phase = NULL;
	size_t answers = 0;

	for (;;) {
		struct aws_request *r;
		struct scan_job *j;
		void *tag = NULL;
		int64_t now;

		scan_feed(sc);
		r = aws_stream_next(sc->st, &tag);
		if (r == NULL)
			break;
		j = tag;
		sc->in_stream--;
		if (!sc->cancelled)
			scan_handle(j->s, j, r);
		j->s->pending[j->kind]--;
		j->s->calls_done++;
		sc->calls_done++;
		now = time_mono_ms();
		if (sc->progress != NULL && !sc->cancelled &&
		    (phase != scan_kinds[j->kind].phase || now - last_progress >= 50)) {
			phase = scan_kinds[j->kind].phase;
			last_progress = now;
			sc->progress(sc->ctx, phase, sc->calls_done, sc->calls_total);
		}
		if (!sc->cancelled)
			scan_after(j->s);
		scan_job_free(j);
#ifdef __GLIBC__
		/* Give the pages of the answers back now and then: the report grows between
		 * them, so without this the freed answers stay resident (peak RSS). */
		if (++answers % 256 == 0)
			malloc_trim(0);
#endif
	}
	while (sc->qhead < sc->nqueue)
		scan_job_free(sc->queue[sc->qhead++]);
}

/* Findings from the aggregator about resources outside the targets are dropped. */
static void scan_keep_target_findings(struct scan_sched *sc)
{
	json_object *keep = json_object_new_array(), *pairs = json_object_new_object();
	size_t i, n = json_object_array_length(sc->findings);
	char key[128];

	for (i = 0; i < sc->nscans; i++) {
		snprintf(key, sizeof key, "%s/%s", sc->scans[i].account,
			 aws_client_region(sc->scans[i].c));
		json_object_object_add(pairs, key, NULL);
	}
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(sc->findings, i);

		snprintf(key, sizeof key, "%s/%s",
			 jsonx_str(f, "accountId") != NULL ? jsonx_str(f, "accountId") : "",
			 jsonx_str(f, "region") != NULL ? jsonx_str(f, "region") : "");
		if (json_object_object_get_ex(pairs, key, NULL))
			json_object_array_add(keep, json_object_get(f));
	}
	if (n > 0)
		json_object_array_del_idx(sc->findings, 0, n);
	n = json_object_array_length(keep);
	for (i = 0; i < n; i++)
		json_object_array_add(sc->findings,
				      json_object_get(json_object_array_get_idx(keep, i)));
	json_object_put(keep);
	json_object_put(pairs);
}

/* With --cluster: only the findings about what was read (the revisions and services of those
 * clusters), so the summary speaks of what was scanned. */
static void scan_keep_scanned_findings(struct scan_sched *sc)
{
	json_object *known = json_object_new_object(), *keep = json_object_new_array();
	json_object *lists[2] = {sc->tds, sc->services};
	size_t i, k, n;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < json_object_array_length(lists[k]); i++) {
			const char *arn = jsonx_str(json_object_array_get_idx(lists[k], i), "arn");

			if (arn != NULL)
				json_object_object_add(known, arn, NULL);
		}
	}
	n = json_object_array_length(sc->findings);
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(sc->findings, i);
		const char *res = jsonx_str(f, "resource");

		if (res != NULL && json_object_object_get_ex(known, res, NULL))
			json_object_array_add(keep, json_object_get(f));
	}
	if (n > 0)
		json_object_array_del_idx(sc->findings, 0, n);
	for (i = 0; i < json_object_array_length(keep); i++)
		json_object_array_add(sc->findings,
				      json_object_get(json_object_array_get_idx(keep, i)));
	json_object_put(keep);
	json_object_put(known);
}

/* report.targets, report.account and report.region. */
static int scan_targets_json(struct scan_sched *sc)
{
	json_object *arr = json_object_new_array();
	const char *acct = NULL, *region = NULL;
	int same_acct = 1, same_region = 1, reached = 0;
	size_t i;

	for (i = 0; i < sc->nscans; i++) {
		struct scan *s = &sc->scans[i];
		json_object *o = json_object_new_object();
		const char *reason, *status = scan_target_status(s, &reason);
		const char *r = aws_client_region(s->c);

		SCAN_SET(o, "accountId",
			 s->account[0] != '\0' ? json_object_new_string(s->account) : NULL);
		SCAN_SET(o, "region", json_object_new_string(r));
		SCAN_SET(o, "roleArn",
			 s->t->role_arn != NULL ? json_object_new_string(s->t->role_arn) : NULL);
		SCAN_SET(o, "status", json_object_new_string(status));
		SCAN_SET(o, "reason", reason != NULL ? json_object_new_string(reason) : NULL);
		SCAN_SET(o, "accountName",
			 s->t->account_name != NULL ? json_object_new_string(s->t->account_name)
						    : NULL);
		SCAN_SET(o, "calls", json_object_new_int64((int64_t)s->calls_done));
		json_object_array_add(arr, o);
		reached += strcmp(status, "UNKNOWN") != 0;
		if (s->account[0] != '\0') {
			if (acct != NULL && strcmp(acct, s->account) != 0)
				same_acct = 0;
			acct = acct != NULL ? acct : s->account;
		}
		if (region != NULL && strcmp(region, r) != 0)
			same_region = 0;
		region = region != NULL ? region : r;
	}
	SCAN_SET(sc->report, "targets", arr);
	SCAN_SET(sc->report, "account",
		 same_acct && acct != NULL ? json_object_new_string(acct) : NULL);
	SCAN_SET(sc->report, "region",
		 same_region && region != NULL ? json_object_new_string(region) : NULL);
	return reached;
}

/* The latest revisions came from the ACTIVE listing: that is their status now, whatever a
 * cached answer said when it was read. */
static void scan_status_from_listing(json_object *tds, json_object *latest)
{
	json_object *active = json_object_new_object();
	size_t i;

	json_object_object_foreach(latest, fam, larn)
	{
		(void)fam;
		json_object_object_add(active, json_object_get_string(larn), NULL);
	}
	for (i = 0; i < json_object_array_length(tds); i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		const char *arn = jsonx_str(td, "arn");

		if (arn != NULL && json_object_object_get_ex(active, arn, NULL) &&
		    jsonx_str(td, "unknown") == NULL)
			SCAN_SET(td, "status", json_object_new_string("ACTIVE"));
	}
	json_object_put(active);
}

/* After the join: each target's counts of services (all, failing, unknown). */
static void scan_target_counts(struct scan_sched *sc)
{
	json_object *targets = jsonx_array(sc->report, "targets");
	size_t i, k, n = json_object_array_length(sc->services);

	for (i = 0; i < scan_report_len(targets); i++) {
		json_object *t = json_object_array_get_idx(targets, i);
		const char *acct = jsonx_str(t, "accountId"), *region = jsonx_str(t, "region");
		int64_t all = 0, failing = 0, unknown = 0;

		for (k = 0; k < n; k++) {
			json_object *svc = json_object_array_get_idx(sc->services, k);
			const char *st = jsonx_str(svc, "status");

			if (acct == NULL || jsonx_str(svc, "accountId") == NULL ||
			    strcmp(acct, jsonx_str(svc, "accountId")) != 0 ||
			    strcmp(region, jsonx_str(svc, "region")) != 0)
				continue;
			all++;
			failing += st != NULL && strcmp(st, "FAILED") == 0;
			unknown += st != NULL && strcmp(st, "UNKNOWN") == 0;
		}
		SCAN_SET(t, "services", json_object_new_int64(all));
		SCAN_SET(t, "servicesFailing", json_object_new_int64(failing));
		SCAN_SET(t, "servicesUnknown", json_object_new_int64(unknown));
	}
}

int scan_run_targets(const struct scan_target *targets, size_t n, const struct scan_options *o,
		     scan_progress_fn progress, void *ctx, json_object **report, struct err *e)
{
	struct scan_sched sc;
	struct scan findings_scan;
	json_object *latest, *cluster_errs;
	const char *findings_unknown = NULL;
	size_t i;
	int rc = -1, reached;

	assert(n > 0);
	*report = NULL;
	memset(&sc, 0, sizeof sc);
	sc.c = targets[0].client;
	sc.o = o;
	sc.progress = progress;
	sc.ctx = ctx;
	sc.check_pool = json_object_new_object();
	sc.st = aws_stream_new(sc.c);
	sc.window = aws_client_max_in_flight(sc.c) + SCAN_WINDOW_EXTRA;
	scan_head(&sc, o->controls != 0 ? o->controls : rules_default_mask());
	sc.scans = xcalloc(n, sizeof *sc.scans);
	sc.nscans = n;
	for (i = 0; i < n; i++) {
		scan_init(&sc, &sc.scans[i], &targets[i], targets[i].client);
		sc.scans[i].index = i;
	}
	scan_init(&sc, &findings_scan, NULL, o->findings_from != NULL ? o->findings_from : sc.c);
	for (i = 0; i < n; i++) {
		scan_begin(&sc.scans[i]);
		scan_after(&sc.scans[i]); /* an unreachable target is finished at once */
	}
	if (!o->no_findings && o->findings_from != NULL)
		scan_get_findings(&findings_scan, NULL, SCAN_NO_GUARD);
	scan_loop(&sc);
	aws_stream_free(sc.st);
	sc.st = NULL;
	if (sc.cancelled) {
		err_set(e, "scan interrupted");
		snprintf(e->code, sizeof e->code, "Cancelled");
		goto out;
	}
	reached = scan_targets_json(&sc);
	if (reached == 0) {
		struct scan *s = &sc.scans[0];

		if (s->first_err.msg[0] != '\0')
			err_copy(e, &s->first_err);
		else
			err_set(e, "%s", s->unreachable != NULL ? s->unreachable : "nothing read");
		goto out;
	}
	cluster_errs = json_object_new_object();
	latest = json_object_new_object();
	for (i = 0; i < n; i++) {
		json_object_object_foreach(sc.scans[i].cluster_errs, k, v)
		{
			json_object_object_add(cluster_errs, k, json_object_get(v));
		}
		scan_latest_map(&sc.scans[i], latest);
		if (sc.scans[i].findings_unknown != NULL && findings_unknown == NULL)
			findings_unknown = sc.scans[i].findings_unknown;
	}
	if (findings_scan.findings_unknown != NULL)
		findings_unknown = findings_scan.findings_unknown;
	if (o->findings_from != NULL)
		scan_keep_target_findings(&sc);
	if (o->nclusters > 0)
		scan_keep_scanned_findings(&sc);
	scan_mark_clusters(sc.clusters, cluster_errs);
	scan_status_from_listing(sc.tds, latest);
	scan_report_finish(sc.report, latest, findings_unknown);
	scan_target_counts(&sc);
	json_object_put(latest);
	json_object_put(cluster_errs);
	owner_mark_report(sc.report, o->owner_keys);
	SCAN_SET(sc.report, "findingsSkipped", json_object_new_boolean(o->no_findings));
	if (progress != NULL)
		progress(ctx, "done", sc.calls_done, sc.calls_done);
	*report = sc.report;
	sc.report = NULL;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		scan_free(&sc.scans[i]);
	scan_free(&findings_scan);
	free(sc.scans);
	free(sc.queue);
	json_object_put(sc.report);
	json_object_put(sc.check_pool);
	return rc;
}

int scan_run(struct aws_client *c, const struct scan_options *o, scan_progress_fn progress,
	     void *ctx, json_object **report, struct err *e)
{
	struct scan_target t;

	memset(&t, 0, sizeof t);
	t.client = c;
	return scan_run_targets(&t, 1, o, progress, ctx, report, e);
}
