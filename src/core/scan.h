/* scan.h: the account scan: inventory, rule results and Security Hub findings, joined.
 * Used by 'ecsfix scan' and the TUI. */
#ifndef ECSFIX_CORE_SCAN_H
#define ECSFIX_CORE_SCAN_H

#include <json-c/json.h>
#include <stddef.h>

struct aws_client;
struct err;
struct owner_keys;

/* What the CLI and the TUI see of a target while scanning (scan_options.on_target is called
 * when a target is finished) and in report.targets. Borrowed for the call. */
struct scan_target_status {
	size_t index;           /* in the targets given to scan_run_targets */
	size_t ntargets;        /* how many */
	size_t done_targets;    /* finished so far, this one included */
	const char *account_id; /* NULL when not known */
	const char *region;
	const char *role_arn; /* NULL: the base credentials */
	const char *status;   /* "COMPLETE", "PARTIAL" (some calls failed) or "UNKNOWN" */
	const char *reason;   /* why UNKNOWN or PARTIAL, or NULL */
	size_t calls;         /* calls made for it */
};
typedef void (*scan_target_fn)(void *ctx, const struct scan_target_status *t);

struct scan_options {
	const char *const *clusters; /* names or ARNs to limit the scan to; NULL/0: all */
	size_t nclusters;
	int all_families;  /* also families no service uses */
	int no_findings;   /* skip Security Hub */
	unsigned controls; /* rules mask (core/rules.h) of the controls deciding the exit code
			      and the statuses; 0: the default (ECS.4, ECS.17, ECS.20) */
	/* The tag keys naming owners (core/owner.h: "owner" on services and task
	 * definitions); NULL: the default keys. */
	const struct owner_keys *owner_keys;
	/* Security Hub findings read once through this client (the aggregator: an administrator
	 * account's aggregation region), filtered by the targets' AwsAccountId and Region,
	 * instead of once per target. Shares the targets' pool. NULL: per target. */
	struct aws_client *findings_from;
	scan_target_fn on_target;       /* per-target progress (the progress ctx), or NULL */
	const struct scan_cache *cache; /* the revision cache, or NULL */
};

/* The revision cache as the scan uses it (core/cache.h: cache_get, cache_put): a revision
 * found with fresh tags is not described; with stale tags only its tags are read
 * (ListTagsForResource); every answer described is put. */
struct scan_cache {
	json_object *(*get)(void *ctx, const char *arn, int *tags_stale);
	void (*put)(void *ctx, const char *arn, json_object *resp, int tags_only);
	void *ctx;
};

/* One target of a scan: an account in a region. */
struct scan_target {
	/* The target's client (its region, endpoints, credentials, token buckets): every
	 * target's client shares the HTTP pool of the first (aws_client_config.share). */
	struct aws_client *client;
	const char *account_id;   /* known beforehand (--accounts, the organization), or NULL:
				     read from the ARNs */
	const char *account_name; /* the organization's name for it, or NULL */
	/* Assumed through assume_via (the base credentials) before the target is scanned, its
	 * credentials then set on client. NULL: client's own credentials. */
	const char *role_arn;
	struct aws_client *assume_via;
	const char *external_id;  /* or NULL */
	const char *session_name; /* e.g. "ecsfix-alice"; NULL: "ecsfix" */
	const char *unreachable;  /* known beforehand not to be scannable: why, or NULL */
};

/* Progress: what is being read, and done/total of the current phase (total 0: unknown).
 * Called on the scanning thread. */
typedef void (*scan_progress_fn)(void *ctx, const char *what, size_t done, size_t total);

/*
 * Scans the account. On success *report is the JSON document of DESIGN.md section 2
 * (owned by the caller, and read-only: identical sub-objects such as checks and containers
 * are shared between revisions) and 0 is returned, also when parts could not be read: those parts
 * are marked UNKNOWN with the reason and listed in report.errors. -1 (e set) only when
 * nothing useful could be read (no credentials, no region, ECS unreachable or denied).
 * The client's cancel flag (aws_client_config.cancel) stops the scan early: -1 with e->code
 * "Cancelled".
 * Calls: streamed (aws_stream), each answer handled as it arrives; each task definition
 * revision is described once; DescribeClusters by 100, DescribeServices by 10, list pages of
 * 100; the latest ACTIVE revision of each family in use comes from whichever is cheaper, one
 * ListTaskDefinitions per family or the pages of all ACTIVE revisions; the account id is
 * read from the ARNs (no STS call).
 */
int scan_run(struct aws_client *c, const struct scan_options *o, scan_progress_fn progress,
	     void *ctx, json_object **report, struct err *e);

/*
 * Scans several targets at once, in one stream over one HTTP pool: each target's calls are
 * queued as its answers arrive, the pool's limit is global, rate limits are per target
 * (account x region). Every cluster, service, task definition, finding and error of the
 * report carries accountId and region; report.targets lists each target with accountId,
 * region, roleArn, status (COMPLETE, PARTIAL, UNKNOWN), reason, calls and the counts
 * services, servicesFailing, servicesUnknown, in the order given;
 * report.account and report.region are null when the targets differ. A target that cannot
 * be reached (AssumeRole denied, region disabled, ECS denied) is UNKNOWN with the reason
 * (exit code 2) and the others go on; -1 only when no target could be read.
 */
int scan_run_targets(const struct scan_target *targets, size_t n, const struct scan_options *o,
		     scan_progress_fn progress, void *ctx, json_object **report, struct err *e);

#endif
