/* owner.c: owner resolution from tags and registeredBy, and the owner-tags setting. */
#include "config.h"

#include "core/owner.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

/* The config file is small; anything larger is a mistake. */
#define OWNER_CONFIG_MAX (1 << 20)

void owner_keys_done(struct owner_keys *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	k->v = NULL;
	k->n = 0;
}

static void owner_keys_add(struct owner_keys *k, const char *s, size_t len)
{
	k->v = xreallocarray(k->v, k->n + 1, sizeof *k->v);
	k->v[k->n++] = xstrndup(s, len);
}

/* Appends the names of a comma list to k; -1 on an empty name. */
static int owner_keys_split(struct owner_keys *k, const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *s = p, *end = p + len;

		while (s < end && isspace((unsigned char)*s))
			s++;
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if (end == s)
			return -1;
		owner_keys_add(k, s, (size_t)(end - s));
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

void owner_keys_init(struct owner_keys *k)
{
	k->v = NULL;
	k->n = 0;
	owner_keys_split(k, OWNER_DEFAULT_KEYS);
}

int owner_keys_parse(struct owner_keys *k, const char *list, struct err *e)
{
	struct owner_keys tmp = {NULL, 0};

	if (list == NULL || owner_keys_split(&tmp, list)) {
		owner_keys_done(&tmp);
		return err_set(e, "owner tags: \"%s\" has an empty tag key", list ? list : ""),
		       err_hint(e, "give a comma list such as %s", OWNER_DEFAULT_KEYS);
	}
	owner_keys_done(k);
	*k = tmp;
	return 0;
}

char *owner_config_path(void)
{
	const char *env = getenv("ECSFIX_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/ecsfix/config.json", xdg);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.config/ecsfix/config.json", home);
	return NULL;
}

/* "ownerTags" of the config document into k. */
static int owner_keys_from_config(struct owner_keys *k, json_object *cfg, const char *path,
				  struct err *e)
{
	json_object *v = NULL;
	struct owner_keys tmp = {NULL, 0};
	size_t i, n;

	if (!json_object_is_type(cfg, json_type_object))
		return err_set(e, "%s: the config file must hold a JSON object", path);
	if (!json_object_object_get_ex(cfg, "ownerTags", &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		if (owner_keys_parse(k, json_object_get_string(v), e))
			return err_prefix(e, "%s: ownerTags", path);
		return 0;
	}
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return err_set(e, "%s: ownerTags must be a non-empty array of tag keys", path);
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(v, i);

		if (!json_object_is_type(s, json_type_string) ||
		    json_object_get_string_len(s) == 0) {
			owner_keys_done(&tmp);
			return err_set(e, "%s: ownerTags[%zu] must be a non-empty string", path, i);
		}
		owner_keys_add(&tmp, json_object_get_string(s),
			       (size_t)json_object_get_string_len(s));
	}
	owner_keys_done(k);
	*k = tmp;
	return 0;
}

int owner_keys_load(struct owner_keys *k, const char *list, const char *config_path, struct err *e)
{
	char *path = NULL, *buf = NULL;
	size_t len;
	json_object *cfg = NULL;
	int rc = -1;

	owner_keys_init(k);
	if (list != NULL) {
		if (owner_keys_parse(k, list, e))
			return err_prefix(e, "--owner-tags");
		return 0;
	}
	path = config_path != NULL ? xstrdup(config_path) : owner_config_path();
	if (path == NULL || access(path, F_OK) != 0) {
		rc = 0;
		goto out;
	}
	if (file_read_all(path, OWNER_CONFIG_MAX, &buf, &len, e))
		goto out;
	if (jsonx_parse(buf, len, &cfg, e)) {
		err_prefix(e, "%s", path);
		goto out;
	}
	rc = owner_keys_from_config(k, cfg, path, e);
out:
	if (rc)
		err_hint(e, "fix or remove the config file, or pass --owner-tags");
	json_object_put(cfg);
	free(buf);
	free(path);
	return rc;
}

void owner_done(struct owner *o)
{
	free(o->name);
	free(o->source);
	o->name = NULL;
	o->source = NULL;
}

/* The value of tag key in tags (object or [{key,value}] array), trimmed, or NULL when
 * absent or blank. Sets *len. Borrowed. */
static const char *owner_tag(json_object *tags, const char *key, size_t *len)
{
	const char *v = NULL, *end;
	size_t i, n;

	if (json_object_is_type(tags, json_type_object)) {
		json_object *o = NULL;

		if (json_object_object_get_ex(tags, key, &o) &&
		    json_object_is_type(o, json_type_string))
			v = json_object_get_string(o);
	} else if (json_object_is_type(tags, json_type_array)) {
		n = json_object_array_length(tags);
		for (i = 0; i < n && v == NULL; i++) {
			json_object *t = json_object_array_get_idx(tags, i);
			const char *k = jsonx_str(t, "key");

			if (k != NULL && strcmp(k, key) == 0)
				v = jsonx_str(t, "value");
		}
	}
	if (v == NULL)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	end = v + strlen(v);
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	*len = (size_t)(end - v);
	return *len > 0 ? v : NULL;
}

/* Control characters (from an account's tags) become '?': names reach terminals. */
static char *owner_clean(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; s != NULL && *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

static int owner_from_tags(const struct owner_keys *k, json_object *tags, const char *prefix,
			   struct owner *out)
{
	size_t i, len = 0;

	for (i = 0; tags != NULL && i < k->n; i++) {
		const char *v = owner_tag(tags, k->v[i], &len);

		if (v == NULL)
			continue;
		out->name = owner_clean(xstrndup(v, len));
		out->source = xasprintf("%s:%s", prefix, k->v[i]);
		return 1;
	}
	return 0;
}

void owner_resolve(const struct owner_keys *k, json_object *td_tags, json_object *svc_tags,
		   const char *registered_by, struct owner *out)
{
	out->name = NULL;
	out->source = NULL;
	if (owner_from_tags(k, td_tags, "tag", out))
		return;
	out->name = owner_clean(owner_principal_name(registered_by));
	if (out->name != NULL) {
		out->source = xstrdup("registeredBy");
		return;
	}
	owner_from_tags(k, svc_tags, "service-tag", out);
}

static int owner_all_of(const char *s, const char *set)
{
	return s[0] != '\0' && s[strspn(s, set)] == '\0';
}

/* 1 when an assumed-role session name was made by a tool, not a person or a pipeline. */
static int owner_session_is_generic(const char *s)
{
	static const char *const prefixes[] = {
	    "botocore-session-", "aws-go-sdk-", "aws-sdk-", "Boto3-", "aws-cli-", "AWSCLI-",
	};
	size_t i;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	/* EC2 instance ids, numbers, hex strings and UUIDs */
	if (strncmp(s, "i-", 2) == 0 && owner_all_of(s + 2, "0123456789abcdef"))
		return 1;
	return strlen(s) >= 8 && owner_all_of(s, "0123456789abcdefABCDEF-");
}

char *owner_principal_name(const char *arn)
{
	const char *res = arn, *slash, *last;
	size_t i;

	if (arn == NULL || arn[0] == '\0')
		return NULL;
	if (strncmp(arn, "arn:", 4) != 0)
		return xstrdup(arn);
	/* arn:partition:service:region:account:resource */
	for (i = 0; i < 5 && res != NULL; i++) {
		res = strchr(res, ':');
		if (res != NULL)
			res++;
	}
	if (res == NULL || res[0] == '\0')
		return xstrdup(arn);
	if (strcmp(res, "root") == 0)
		return xstrdup("root");
	slash = strchr(res, '/');
	last = strrchr(res, '/');
	if (slash == NULL || last[1] == '\0')
		return xstrdup(res);
	if (strncmp(res, "assumed-role/", 13) == 0 && slash != last) {
		/* assumed-role/ROLE/SESSION (a role name has no '/': the path is not in it) */
		const char *role = slash + 1, *rend = strchr(role, '/');

		if (owner_session_is_generic(last + 1))
			return xstrndup(role, (size_t)(rend - role));
	}
	return xstrdup(last + 1);
}

json_object *owner_to_json(const struct owner *o)
{
	json_object *j;

	if (o->name == NULL)
		return NULL;
	j = json_object_new_object();
	json_object_object_add(j, "name", json_object_new_string(o->name));
	json_object_object_add(j, "source",
			       json_object_new_string(o->source != NULL ? o->source : ""));
	return j;
}

const char *owner_name_of(json_object *entry)
{
	return jsonx_str(jsonx_obj(entry, "owner"), "name");
}

static json_object *owner_index(json_object *arr)
{
	json_object *m = json_object_new_object();
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *arn = jsonx_str(o, "arn");

		if (arn != NULL)
			json_object_object_add(m, arn, json_object_get(o));
	}
	return m;
}

static json_object *owner_lookup(json_object *map, const char *key)
{
	json_object *v = NULL;

	return key != NULL && json_object_object_get_ex(map, key, &v) ? v : NULL;
}

/* The owner of revision td: its tags, its registeredBy, the tags of the services running it. */
static void owner_of_td(const struct owner_keys *k, json_object *td, json_object *svcs,
			struct owner *o)
{
	json_object *users = jsonx_array(td, "services");
	size_t i, n = users != NULL ? json_object_array_length(users) : 0;

	owner_resolve(k, jsonx_obj(td, "tags"), NULL, jsonx_str(td, "registeredBy"), o);
	for (i = 0; o->name == NULL && i < n; i++) {
		json_object *svc =
		    owner_lookup(svcs, json_object_get_string(json_object_array_get_idx(users, i)));

		owner_resolve(k, NULL, jsonx_obj(svc, "tags"), NULL, o);
	}
}

void owner_mark_report(json_object *report, const struct owner_keys *keys)
{
	json_object *services = jsonx_array(report, "services");
	json_object *tds = jsonx_array(report, "taskDefinitions");
	json_object *tdmap = owner_index(tds), *svcmap = owner_index(services);
	struct owner_keys defaults = {NULL, 0};
	size_t i, n;
	struct owner o;

	if (keys == NULL) {
		owner_keys_init(&defaults);
		keys = &defaults;
	}
	n = tds != NULL ? json_object_array_length(tds) : 0;
	for (i = 0; i < n; i++) {
		json_object *td = json_object_array_get_idx(tds, i);

		owner_of_td(keys, td, svcmap, &o);
		json_object_object_add(td, "owner", owner_to_json(&o));
		owner_done(&o);
	}
	n = services != NULL ? json_object_array_length(services) : 0;
	for (i = 0; i < n; i++) {
		json_object *svc = json_object_array_get_idx(services, i);
		json_object *td = owner_lookup(tdmap, jsonx_str(svc, "taskDefinition"));

		owner_resolve(keys, jsonx_obj(td, "tags"), jsonx_obj(svc, "tags"),
			      jsonx_str(td, "registeredBy"), &o);
		json_object_object_add(svc, "owner", owner_to_json(&o));
		owner_done(&o);
	}
	owner_keys_done(&defaults);
	json_object_put(tdmap);
	json_object_put(svcmap);
}

/* The summary entry of name (NULL: no owner) in sum, created when absent. */
static json_object *owner_entry(json_object *sum, const char *name)
{
	size_t i, n = json_object_array_length(sum);
	json_object *e;

	for (i = 0; i < n; i++) {
		const char *have;

		e = json_object_array_get_idx(sum, i);
		have = jsonx_str(e, "name");
		if ((name == NULL && have == NULL) ||
		    (name != NULL && have != NULL && strcmp(name, have) == 0))
			return e;
	}
	e = json_object_new_object();
	json_object_object_add(e, "name", name != NULL ? json_object_new_string(name) : NULL);
	json_object_object_add(e, "services", json_object_new_int64(0));
	json_object_object_add(e, "servicesFailing", json_object_new_int64(0));
	json_object_object_add(e, "taskDefinitions", json_object_new_int64(0));
	json_object_object_add(e, "taskDefinitionsFailing", json_object_new_int64(0));
	json_object_object_add(e, "excepted", json_object_new_int64(0));
	json_object_array_add(sum, e);
	return e;
}

static void owner_inc(json_object *e, const char *key)
{
	json_object_object_add(e, key, json_object_new_int64(jsonx_int(e, key, 0) + 1));
}

static void owner_count(json_object *sum, json_object *arr, const char *status_key,
			const char *total, const char *failing)
{
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		json_object *e = owner_entry(sum, owner_name_of(o));
		const char *st = jsonx_str(o, status_key);

		owner_inc(e, total);
		if (st != NULL && strcmp(st, "FAILED") == 0)
			owner_inc(e, failing);
		if (st != NULL && strcmp(st, "EXCEPTED") == 0)
			owner_inc(e, "excepted");
	}
}

static int owner_cmp_summary(const void *pa, const void *pb)
{
	json_object *a = *(json_object *const *)pa, *b = *(json_object *const *)pb;
	const char *na = jsonx_str(a, "name"), *nb = jsonx_str(b, "name");
	int64_t fa = jsonx_int(a, "servicesFailing", 0) + jsonx_int(a, "taskDefinitionsFailing", 0);
	int64_t fb = jsonx_int(b, "servicesFailing", 0) + jsonx_int(b, "taskDefinitionsFailing", 0);

	if ((na == NULL) != (nb == NULL))
		return na == NULL ? 1 : -1;
	if ((fa > 0) != (fb > 0))
		return fa > 0 ? -1 : 1;
	if (jsonx_int(a, "servicesFailing", 0) != jsonx_int(b, "servicesFailing", 0))
		return jsonx_int(a, "servicesFailing", 0) > jsonx_int(b, "servicesFailing", 0) ? -1
											       : 1;
	return na != NULL ? strcasecmp(na, nb) : 0;
}

json_object *owner_summary(json_object *report)
{
	json_object *sum = json_object_new_array();

	owner_count(sum, jsonx_array(report, "services"), "status", "services", "servicesFailing");
	owner_count(sum, jsonx_array(report, "taskDefinitions"), "result", "taskDefinitions",
		    "taskDefinitionsFailing");
	json_object_array_sort(sum, owner_cmp_summary);
	return sum;
}
