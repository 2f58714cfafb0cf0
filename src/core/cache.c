/* cache.c: the revision cache: one checked JSON file per account and region. */
#include "config.h"

#include "core/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aws/sigv4.h"
#include "core/scan_report.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

#define CACHE_FORMAT   "ecsfix-revision-cache"
#define CACHE_VERSION  1
#define CACHE_PREFIX   "taskdefs-"
#define CACHE_MAX_FILE ((size_t)256 * 1024 * 1024)

/* One account x region file, loaded on first use. */
struct cache_file {
	char *key; /* "ACCOUNT-REGION" */
	char *path;
	json_object *entries; /* ARN -> entry */
	int dirty;
};

struct cache {
	char *dir;
	char scope[16]; /* "" or "-" and 12 hex digits */
	long tags_max_age;
	size_t max_entries;
	struct cache_file *files;
	size_t nfiles;
	char **warnings;
	size_t nwarnings;
};

static char *cache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/ecsfix", x);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.cache/ecsfix", home);
	return NULL;
}

struct cache *cache_open(const struct cache_options *o)
{
	struct cache *c;
	char *dir = o->dir != NULL ? xstrdup(o->dir) : cache_default_dir();

	if (dir == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->dir = dir;
	if (o->scope != NULL && o->scope[0] != '\0') {
		char hex[65];

		sigv4_sha256_hex(o->scope, strlen(o->scope), hex);
		snprintf(c->scope, sizeof c->scope, "-%.12s", hex);
	}
	c->tags_max_age = o->tags_max_age;
	c->max_entries = o->max_entries > 0 ? o->max_entries : CACHE_DEFAULT_ENTRIES;
	return c;
}

void cache_free(struct cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i].key);
		free(c->files[i].path);
		json_object_put(c->files[i].entries);
	}
	for (i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c->files);
	free(c->dir);
	free(c);
}

static void cache_warn(struct cache *c, const char *path, const char *why)
{
	c->warnings = xreallocarray(c->warnings, c->nwarnings + 1, sizeof *c->warnings);
	c->warnings[c->nwarnings++] =
	    xasprintf("revision cache %s ignored: %s (it will be rewritten)", path, why);
}

size_t cache_nwarnings(const struct cache *c)
{
	return c != NULL ? c->nwarnings : 0;
}

const char *cache_warning(const struct cache *c, size_t i)
{
	return i < c->nwarnings ? c->warnings[i] : NULL;
}

static void cache_digest(json_object *entries, char hex[65])
{
	char *text = jsonx_compact(entries);

	sigv4_sha256_hex(text, strlen(text), hex);
	free(text);
}

/* Reads path: owned by the user, not readable by others, a regular file, no symlink. */
static int cache_read(const char *path, char **buf, size_t *len, const char **why)
{
	struct stat st;
	ssize_t k;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	*buf = NULL;
	if (fd < 0) {
		*why = errno == ENOENT ? NULL : "cannot be opened (a symlink?)";
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		goto fail;
	}
	if (st.st_uid != getuid() || (st.st_mode & 077) != 0) {
		*why = "not owned by you with mode 0600";
		goto fail;
	}
	if ((size_t)st.st_size > CACHE_MAX_FILE) {
		*why = "too large";
		goto fail;
	}
	*buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size && (k = read(fd, *buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)k;
	(*buf)[got] = '\0';
	*len = got;
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

/* The entries of a file's text, checked; NULL (why set) when it is not to be trusted. */
static json_object *cache_parse(const char *buf, size_t len, const char *key, const char **why)
{
	json_object *doc = NULL, *entries, *copy;
	char hex[65], want[64];
	const char *acct, *region, *digest;
	struct err e;

	err_clear(&e);
	if (jsonx_parse(buf, len, &doc, &e) != 0 || !json_object_is_type(doc, json_type_object)) {
		*why = "not a JSON document (truncated or corrupt)";
		goto fail;
	}
	if (jsonx_str(doc, "format") == NULL ||
	    strcmp(jsonx_str(doc, "format"), CACHE_FORMAT) != 0 ||
	    jsonx_int(doc, "version", -1) != CACHE_VERSION) {
		*why = "another format or version";
		goto fail;
	}
	acct = jsonx_str(doc, "account");
	region = jsonx_str(doc, "region");
	snprintf(want, sizeof want, "%s-%s", acct != NULL ? acct : "",
		 region != NULL ? region : "");
	if (strcmp(want, key) != 0) {
		*why = "about another account or region";
		goto fail;
	}
	entries = jsonx_obj(doc, "entries");
	digest = jsonx_str(doc, "digest");
	if (entries == NULL || digest == NULL) {
		*why = "no entries or no digest";
		goto fail;
	}
	cache_digest(entries, hex);
	if (strcmp(hex, digest) != 0) {
		*why = "its digest does not match (edited or damaged)";
		goto fail;
	}
	json_object_object_foreach(entries, arn, ent)
	{
		json_object *td = jsonx_obj(jsonx_obj(ent, "answer"), "taskDefinition");
		const char *tarn = jsonx_str(td, "taskDefinitionArn");

		if (tarn == NULL || strcmp(tarn, arn) != 0 ||
		    jsonx_array(td, "containerDefinitions") == NULL ||
		    jsonx_int(ent, "tagsAt", -1) < 0 || jsonx_int(ent, "usedAt", -1) < 0) {
			*why = "an entry is not a task definition of its ARN";
			goto fail;
		}
	}
	copy = json_object_get(entries);
	json_object_put(doc);
	return copy;
fail:
	json_object_put(doc);
	return NULL;
}

/* The file of arn's account and region, loaded; NULL when the ARN names neither. */
static struct cache_file *cache_file_of(struct cache *c, const char *arn)
{
	char acct[32], region[64], key[100];
	struct cache_file *f;
	const char *why = NULL;
	char *buf = NULL;
	size_t i, len = 0;

	scan_report_arn_account(arn, acct, sizeof acct);
	scan_report_arn_region(arn, region, sizeof region);
	if (acct[0] == '\0' || region[0] == '\0' || strchr(region, '/') != NULL)
		return NULL;
	snprintf(key, sizeof key, "%s-%s", acct, region);
	for (i = 0; i < c->nfiles; i++) {
		if (strcmp(c->files[i].key, key) == 0)
			return &c->files[i];
	}
	c->files = xreallocarray(c->files, c->nfiles + 1, sizeof *c->files);
	f = &c->files[c->nfiles++];
	memset(f, 0, sizeof *f);
	f->key = xstrdup(key);
	f->path = xasprintf("%s/" CACHE_PREFIX "%s%s.json", c->dir, key, c->scope);
	if (cache_read(f->path, &buf, &len, &why) == 0)
		f->entries = cache_parse(buf, len, key, &why);
	free(buf);
	if (f->entries == NULL) {
		if (why != NULL)
			cache_warn(c, f->path, why);
		f->entries = json_object_new_object();
		f->dirty = why != NULL; /* replace what was not trusted */
	}
	return f;
}

json_object *cache_get(struct cache *c, const char *arn, int *tags_stale)
{
	struct cache_file *f;
	json_object *ent;
	time_t now = time(NULL);

	*tags_stale = 0;
	if (c == NULL || (f = cache_file_of(c, arn)) == NULL ||
	    !json_object_object_get_ex(f->entries, arn, &ent))
		return NULL;
	*tags_stale = now - (time_t)jsonx_int(ent, "tagsAt", 0) >= c->tags_max_age;
	json_object_object_add(ent, "usedAt", json_object_new_int64((int64_t)now));
	f->dirty = 1;
	return json_object_get(jsonx_obj(ent, "answer"));
}

void cache_put(struct cache *c, const char *arn, json_object *resp, int tags_only)
{
	struct cache_file *f;
	json_object *ent;
	int64_t now = (int64_t)time(NULL);

	if (c == NULL || (f = cache_file_of(c, arn)) == NULL)
		return;
	if (tags_only) {
		if (!json_object_object_get_ex(f->entries, arn, &ent))
			return;
		json_object_object_add(jsonx_obj(ent, "answer"), "tags",
				       jsonx_clone(jsonx_array(resp, "tags")));
	} else {
		ent = json_object_new_object();
		json_object_object_add(ent, "savedAt", json_object_new_int64(now));
		json_object_object_add(ent, "usedAt", json_object_new_int64(now));
		json_object_object_add(ent, "answer", jsonx_clone(resp));
		json_object_object_add(f->entries, arn, ent);
	}
	json_object_object_add(ent, "tagsAt", json_object_new_int64(now));
	f->dirty = 1;
}

/* Drops the least recently used entries beyond max. */
static void cache_evict(json_object *entries, size_t max)
{
	while ((size_t)json_object_object_length(entries) > max) {
		const char *oldest = NULL;
		int64_t t = INT64_MAX;

		json_object_object_foreach(entries, arn, ent)
		{
			if (jsonx_int(ent, "usedAt", 0) < t) {
				t = jsonx_int(ent, "usedAt", 0);
				oldest = arn;
			}
		}
		if (oldest == NULL)
			return;
		json_object_object_del(entries, oldest);
	}
}

int cache_save(struct cache *c, struct err *e)
{
	size_t i;
	int rc = 0;

	if (c == NULL)
		return 0;
	for (i = 0; i < c->nfiles; i++) {
		struct cache_file *f = &c->files[i];
		json_object *doc;
		char hex[65], *dash, *text;
		struct err fe;

		if (!f->dirty)
			continue;
		err_clear(&fe);
		if (file_mkdirs(c->dir, 0700, &fe) != 0) {
			err_copy(e, &fe);
			return -1;
		}
		cache_evict(f->entries, c->max_entries);
		cache_digest(f->entries, hex);
		doc = json_object_new_object();
		dash = strchr(f->key, '-');
		json_object_object_add(doc, "format", json_object_new_string(CACHE_FORMAT));
		json_object_object_add(doc, "version", json_object_new_int(CACHE_VERSION));
		json_object_object_add(doc, "account",
				       json_object_new_string_len(f->key, (int)(dash - f->key)));
		json_object_object_add(doc, "region", json_object_new_string(dash + 1));
		json_object_object_add(doc, "digest", json_object_new_string(hex));
		json_object_object_add(doc, "entries", json_object_get(f->entries));
		text = jsonx_compact(doc);
		json_object_put(doc);
		if (file_write_atomic(f->path, text, strlen(text), 0600, 0, &fe) != 0) {
			err_copy(e, &fe);
			rc = -1;
		} else {
			f->dirty = 0;
		}
		free(text);
	}
	return rc;
}

int cache_clear(const char *dir, size_t *removed, struct err *e)
{
	char *d = dir != NULL ? xstrdup(dir) : cache_default_dir();
	DIR *dp;
	struct dirent *de;
	int rc = 0;

	*removed = 0;
	if (d == NULL)
		return err_set(e, "no cache directory (set HOME or XDG_CACHE_HOME)");
	dp = opendir(d);
	if (dp == NULL) {
		if (errno != ENOENT)
			rc = err_set(e, "cannot read %s: %s", d, strerror(errno));
		free(d);
		return rc;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);
		char *path;

		if (strncmp(de->d_name, CACHE_PREFIX, strlen(CACHE_PREFIX)) != 0 || n < 5 ||
		    strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		path = xasprintf("%s/%s", d, de->d_name);
		if (unlink(path) == 0)
			(*removed)++;
		else
			rc = err_set(e, "cannot remove %s: %s", path, strerror(errno));
		free(path);
	}
	closedir(dp);
	free(d);
	return rc;
}
