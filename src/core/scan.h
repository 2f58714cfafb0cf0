/* scan.h: the account scan: inventory, rule results and Security Hub findings, joined.
 * Used by 'ecsfix scan' and the TUI. */
#ifndef ECSFIX_CORE_SCAN_H
#define ECSFIX_CORE_SCAN_H

#include <json-c/json.h>
#include <stddef.h>

struct aws_client;
struct err;

struct scan_options {
	const char *const *clusters; /* names or ARNs to limit the scan to; NULL/0: all */
	size_t nclusters;
	int all_families; /* also families no service uses */
	int no_findings;  /* skip Security Hub */
};

/* Progress: what is being read, and done/total of the current phase (total 0: unknown).
 * Called on the scanning thread. */
typedef void (*scan_progress_fn)(void *ctx, const char *what, size_t done, size_t total);

/*
 * Scans the account. On success *report is the JSON document of DESIGN.md section 2
 * (owned by the caller) and 0 is returned, also when parts could not be read: those parts
 * are marked UNKNOWN with the reason and listed in report.errors. -1 (e set) only when
 * nothing useful could be read (no credentials, no region, ECS unreachable or denied).
 * cancel (may be NULL) stops the scan early with an error.
 */
int scan_run(struct aws_client *c, const struct scan_options *o, scan_progress_fn progress,
	     void *ctx, json_object **report, struct err *e);

#endif
