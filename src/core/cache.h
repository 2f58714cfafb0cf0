/* cache.h: the revision cache: DescribeTaskDefinition answers (revisions are immutable) kept
 * under $XDG_CACHE_HOME/ecsfix/, so a rescan describes only revisions it has not seen. */
#ifndef ECSFIX_CORE_CACHE_H
#define ECSFIX_CORE_CACHE_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

/*
 * One file per account and region (both read from the ARN), "taskdefs-ACCOUNT-REGION.json",
 * mode 0600 in a 0700 directory, written atomically:
 *   {"format": "ecsfix-revision-cache", "version": 1, "account", "region",
 *    "digest": sha256 of the compact "entries",
 *    "entries": {ARN: {"savedAt", "tagsAt", "usedAt" (epoch seconds), "answer": {...}}}}
 * A file that is not that (truncated, edited, another format or version, another account's,
 * not the user's or readable by others) is ignored with a warning, never trusted, and
 * replaced on save. At most max_entries per file: the least recently used go first.
 * Tags can change: an entry whose tags are older than tags_max_age is returned as stale (the
 * caller refreshes them). Status (ACTIVE/INACTIVE) in a cached answer is as it was then.
 */
struct cache_options {
	const char *dir;    /* NULL: $XDG_CACHE_HOME/ecsfix, else ~/.cache/ecsfix */
	long tags_max_age;  /* seconds; 0: tags always stale */
	size_t max_entries; /* per file; 0: CACHE_DEFAULT_ENTRIES */
	/* An endpoint other than AWS's (an emulator, a proxy), or NULL: its answers are kept
	 * apart, in "taskdefs-ACCOUNT-REGION-HASH.json" (HASH: 12 hex digits of its SHA-256). */
	const char *scope;
};

#define CACHE_DEFAULT_ENTRIES  4000
#define CACHE_DEFAULT_TAGS_AGE 3600

struct cache;

/* NULL only when no directory can be named (no HOME): then run without a cache. */
struct cache *cache_open(const struct cache_options *o);
void cache_free(struct cache *c);

/* The cached answer for a task definition ARN (a new reference), or NULL. *tags_stale is set
 * to 1 when its tags are older than tags_max_age. */
json_object *cache_get(struct cache *c, const char *arn, int *tags_stale);
/* Keeps a validated DescribeTaskDefinition answer for arn (resp is borrowed and copied);
 * with tags_only, replaces only the tags of the entry (a refresh) and its tagsAt. */
void cache_put(struct cache *c, const char *arn, json_object *resp, int tags_only);
/* Writes the files that changed. -1 (e set) on a write error (the scan is still good). */
int cache_save(struct cache *c, struct err *e);

/* Warnings collected so far ("revision cache FILE ignored: why"); borrowed. */
size_t cache_nwarnings(const struct cache *c);
const char *cache_warning(const struct cache *c, size_t i);

/* Removes every cache file from the directory (o->dir or the default); *removed counts them. */
int cache_clear(const char *dir, size_t *removed, struct err *e);

#endif
