/* scan.h: the account scan: inventory, rule results and Security Hub findings, joined.
 * Used by 'ecsfix scan' and the TUI. */
#ifndef ECSFIX_CORE_SCAN_H
#define ECSFIX_CORE_SCAN_H

#include <json-c/json.h>
#include <stddef.h>

struct aws_client;
struct err;
struct owner_keys;

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
 * Calls: each phase is a wave of concurrent calls (aws_call_many); each task definition
 * revision is described once; DescribeClusters by 100, DescribeServices by 10, list pages of
 * 100; the latest ACTIVE revision of each family in use comes from whichever is cheaper, one
 * ListTaskDefinitions per family or the pages of all ACTIVE revisions; the account id is
 * read from the ARNs (no STS call).
 */
int scan_run(struct aws_client *c, const struct scan_options *o, scan_progress_fn progress,
	     void *ctx, json_object **report, struct err *e);

#endif
