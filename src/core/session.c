/* session.c: an AWS session for the layers above core (the TUI never includes aws/), and
 * the targets of a scan across accounts and regions. */
#include "config.h"

#include "core/session.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "aws/client.h"
#include "core/scan.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

int session_open(const struct session_config *cfg, struct aws_client **out, struct err *e)
{
	struct aws_client_config ac;

	memset(&ac, 0, sizeof ac);
	ac.profile = cfg->profile;
	ac.region = cfg->region;
	ac.endpoint_url = cfg->endpoint_url;
	ac.ca_bundle = cfg->ca_bundle;
	ac.no_verify_ssl = cfg->no_verify_ssl;
	ac.trace = cfg->trace;
	ac.cancel = cfg->cancel;
	return aws_client_new(&ac, out, e);
}

void session_close(struct aws_client *c)
{
	aws_client_free(c);
}

const char *session_region(const struct aws_client *c)
{
	return aws_client_region(c);
}

const char *session_profile(const struct aws_client *c)
{
	return aws_client_profile(c);
}

const char *session_endpoint(const struct aws_client *c)
{
	return aws_client_endpoint(c, AWS_SVC_ECS);
}

int session_account(struct aws_client *c, const char **account, struct err *e)
{
	return aws_client_account(c, account, e);
}

/* ---- targets ---- */

/* The spec's value, else the base profile's config-file setting. */
static const char *session_opt(struct aws_client *base, const char *v, const char *key)
{
	if (v != NULL && v[0] != '\0')
		return v;
	v = aws_client_setting(base, key);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int session_flag(struct aws_client *base, int v, const char *key)
{
	const char *s = aws_client_setting(base, key);

	return v || (s != NULL && (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0));
}

int session_targets_wanted(struct aws_client *base, const struct session_targets_spec *spec)
{
	return session_opt(base, spec->regions, "ecsfix_regions") != NULL ||
	       session_flag(base, spec->all_regions, "ecsfix_all_regions") ||
	       session_opt(base, spec->accounts, "ecsfix_accounts") != NULL ||
	       session_flag(base, spec->organization, "ecsfix_organization") ||
	       spec->nprofiles > 1 ||
	       session_opt(base, spec->findings_from, "ecsfix_findings_from") != NULL;
}

static const char *session_keep(struct session_targets *t, char *s)
{
	t->strings = xreallocarray(t->strings, t->nstrings + 1, sizeof *t->strings);
	t->strings[t->nstrings++] = s;
	return s;
}

/* Appends the items of a comma list to arr (trimmed, each once); -1 (e set) when one does
 * not match ok(). */
static int session_split(const char *list, const char *what, int (*ok)(const char *),
			 json_object *arr, struct err *e)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		char *item;
		size_t i, k;

		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		for (k = n; k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t'); k--)
			;
		item = xstrndup(p, k);
		if (item[0] != '\0') {
			if (!ok(item)) {
				err_set(e, "%s: \"%s\" is not valid", what, item);
				free(item);
				return -1;
			}
			for (i = 0; i < json_object_array_length(arr); i++) {
				if (strcmp(
					json_object_get_string(json_object_array_get_idx(arr, i)),
					item) == 0)
					break;
			}
			if (i == json_object_array_length(arr))
				json_object_array_add(arr, json_object_new_string(item));
		}
		free(item);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int session_is_region(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return n > 0 && n < 32;
}

static int session_is_account(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return i == 12;
}

static const char *session_partition(const char *region)
{
	if (strncmp(region, "cn-", 3) == 0)
		return "aws-cn";
	if (strncmp(region, "us-gov-", 7) == 0)
		return "aws-us-gov";
	return "aws";
}

/* The regions enabled for the account (EC2 DescribeRegions), in the base region's partition. */
static int session_enabled_regions(struct aws_client *base, json_object *out, struct err *e)
{
	struct aws_request r;
	json_object *items;
	size_t i, n;

	aws_request_init(&r, AWS_SVC_EC2, "DescribeRegions", NULL);
	if (aws_call(base, &r) != 0) {
		err_copy(e, &r.err);
		aws_request_done(&r);
		return -1;
	}
	/* <regionInfo><item>...</item>...: an array, or one object for a single item */
	items = json_object_object_get_ex(jsonx_obj(r.resp, "regionInfo"), "item", &items) ? items
											   : NULL;
	n = json_object_is_type(items, json_type_array)    ? json_object_array_length(items)
	    : json_object_is_type(items, json_type_object) ? 1
							   : 0;
	for (i = 0; i < n; i++) {
		json_object *it = json_object_is_type(items, json_type_array)
				      ? json_object_array_get_idx(items, i)
				      : items;
		const char *name = jsonx_str(it, "regionName");
		const char *opt = jsonx_str(it, "optInStatus");

		if (name == NULL || !session_is_region(name) ||
		    (opt != NULL && strcmp(opt, "not-opted-in") == 0) ||
		    strcmp(session_partition(name), session_partition(aws_client_region(base))) !=
			0)
			continue; /* not enabled, or of another partition (emulators list them all)
				   */
		json_object_array_add(out, json_object_new_string(name));
	}
	aws_request_done(&r);
	if (json_object_array_length(out) == 0)
		return err_set(e, "DescribeRegions: no enabled region in the answer");
	return 0;
}

/* The ACTIVE accounts of the organization (Organizations ListAccounts); names: id -> name. */
static int session_org_accounts(struct aws_client *base, json_object *out, json_object *names,
				struct err *e)
{
	json_object *items = NULL;
	size_t i, n;

	if (aws_paginate(base, AWS_SVC_ORGANIZATIONS, "ListAccounts", NULL, "Accounts", &items,
			 e) != 0) {
		err_hint(e, "--organization needs organizations:ListAccounts in the management or "
			    "a delegated administrator account");
		return -1;
	}
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(items, i);
		const char *id = jsonx_str(a, "Id"), *st = jsonx_str(a, "Status");

		if (id != NULL && session_is_account(id) && st != NULL &&
		    strcmp(st, "ACTIVE") == 0) {
			json_object_array_add(out, json_object_new_string(id));
			if (jsonx_str(a, "Name") != NULL)
				json_object_object_add(
				    names, id, json_object_new_string(jsonx_str(a, "Name")));
		}
	}
	json_object_put(items);
	if (json_object_array_length(out) == 0)
		return err_set(e, "ListAccounts: no ACTIVE account in the organization");
	return 0;
}

/* "ecsfix-<user>" with the characters a RoleSessionName allows, at most 64. */
static char *session_name(void)
{
	const char *user = getenv("USER");
	struct passwd *pw;
	char *s;
	size_t i;

	if ((user == NULL || user[0] == '\0') && (pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	s = xasprintf("ecsfix-%.56s", user != NULL && user[0] != '\0' ? user : "user");
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("_+=,.@-", c) != NULL))
			s[i] = '_';
	}
	return s;
}

static int session_client(struct aws_client *base, const struct session_config *cfg,
			  const char *profile, const char *region, struct session_targets *t,
			  struct aws_client **out, struct err *e)
{
	struct aws_client_config ac;

	memset(&ac, 0, sizeof ac);
	ac.profile = profile;
	ac.region = region;
	ac.endpoint_url = cfg->endpoint_url;
	ac.ca_bundle = cfg->ca_bundle;
	ac.no_verify_ssl = cfg->no_verify_ssl;
	ac.trace = cfg->trace;
	ac.cancel = cfg->cancel;
	ac.share = base;
	if (aws_client_new(&ac, out, e) != 0)
		return -1;
	t->clients = xreallocarray(t->clients, t->nclients + 1, sizeof *t->clients);
	t->clients[t->nclients++] = *out;
	return 0;
}

/* The principals of the targets: accounts (with a role), profiles, or the base alone. */
static int session_principals(struct aws_client *base, const struct session_targets_spec *spec,
			      json_object *accounts, json_object *names, int *use_profiles,
			      struct err *e)
{
	const char *list = session_opt(base, spec->accounts, "ecsfix_accounts");
	int org = session_flag(base, spec->organization, "ecsfix_organization");

	*use_profiles = spec->nprofiles > 1;
	if (list != NULL && org)
		return err_set(e, "--accounts and --organization: choose one");
	if ((list != NULL || org) && *use_profiles)
		return err_set(e, "several --profile values and --accounts/--organization: choose "
				  "one way to name the accounts");
	if (list != NULL &&
	    session_split(list, "--accounts", session_is_account, accounts, e) != 0) {
		err_hint(e, "account ids are 12 digits, separated by commas");
		return -1;
	}
	if (org && session_org_accounts(base, accounts, names, e) != 0)
		return -1;
	if (json_object_array_length(accounts) > 0 &&
	    session_opt(base, spec->role_name, "ecsfix_role_name") == NULL) {
		err_set(e, "--accounts and --organization need --role-name NAME");
		return err_hint(e, "the role ecsfix assumes in each account, e.g. "
				   "--role-name SecurityAudit");
	}
	return 0;
}

static int session_findings_client(struct aws_client *base, const struct session_config *cfg,
				   const char *spec, struct session_targets *t, struct err *e)
{
	const char *at = strchr(spec, '@');
	char *profile = at != NULL ? xstrndup(spec, (size_t)(at - spec)) : xstrdup(spec);
	int rc;

	if (profile[0] == '\0' || (at != NULL && !session_is_region(at + 1))) {
		free(profile);
		err_set(e, "--findings-from \"%s\": expected PROFILE or PROFILE@REGION", spec);
		return -1;
	}
	rc = session_client(base, cfg, profile, at != NULL ? at + 1 : NULL, t, &t->findings, e);
	free(profile);
	if (rc != 0)
		err_prefix(e, "--findings-from");
	return rc;
}

int session_targets_open(struct aws_client *base, const struct session_config *cfg,
			 const struct session_targets_spec *spec, struct session_targets *out,
			 struct err *e)
{
	json_object *regions = json_object_new_array(), *accounts = json_object_new_array();
	json_object *names = json_object_new_object();
	const char *list, *role, *xid, *own = NULL, *ff;
	const char *sname;
	size_t i, k, np;
	int use_profiles, rc = -1;

	memset(out, 0, sizeof *out);
	list = session_opt(base, spec->regions, "ecsfix_regions");
	if (list != NULL) {
		if (session_split(list, "--regions", session_is_region, regions, e) != 0)
			goto out;
	} else if (session_flag(base, spec->all_regions, "ecsfix_all_regions")) {
		if (session_enabled_regions(base, regions, e) != 0)
			goto out;
	}
	if (json_object_array_length(regions) == 0) /* the default: null, see below */
		json_object_array_add(regions, NULL);
	if (session_principals(base, spec, accounts, names, &use_profiles, e) != 0)
		goto out;
	role = session_opt(base, spec->role_name, "ecsfix_role_name");
	xid = session_opt(base, spec->external_id, "ecsfix_external_id");
	if (json_object_array_length(accounts) > 0 && session_account(base, &own, e) != 0) {
		err_prefix(e, "the account of the base credentials");
		goto out;
	}
	sname = session_keep(out, session_name());
	np = json_object_array_length(accounts) > 0 ? json_object_array_length(accounts)
	     : use_profiles                         ? spec->nprofiles
						    : 1;
	out->v = xcalloc(np * json_object_array_length(regions), sizeof *out->v);
	for (i = 0; i < np; i++) {
		const char *acct =
		    json_object_array_length(accounts) > 0
			? json_object_get_string(json_object_array_get_idx(accounts, i))
			: NULL;
		const char *profile = use_profiles ? spec->profiles[i] : cfg->profile;

		for (k = 0; k < json_object_array_length(regions); k++) {
			/* no --regions: the base region, or each profile's own */
			const char *region =
			    json_object_array_get_idx(regions, k) != NULL
				? json_object_get_string(json_object_array_get_idx(regions, k))
			    : use_profiles ? NULL
					   : aws_client_region(base);
			struct scan_target *t = &out->v[out->n];

			memset(t, 0, sizeof *t);
			if (!use_profiles && (acct == NULL || strcmp(acct, own) == 0) &&
			    region != NULL && strcmp(region, aws_client_region(base)) == 0)
				t->client = base;
			else if (session_client(base, cfg, profile, region, out, &t->client, e) !=
				 0)
				goto out;
			if (use_profiles) {
				/* the profile's account (STS GetCallerIdentity); a profile whose
				 * credentials do not work is an unreachable target */
				const char *pa = NULL;
				struct err pe;

				err_clear(&pe);
				if (session_account(t->client, &pa, &pe) == 0)
					t->account_id = session_keep(out, xstrdup(pa));
				else
					t->unreachable = session_keep(
					    out, xasprintf("profile %s: %s", profile, pe.msg));
			}
			if (acct != NULL) {
				t->account_id = session_keep(out, xstrdup(acct));
				if (jsonx_str(names, acct) != NULL)
					t->account_name =
					    session_keep(out, xstrdup(jsonx_str(names, acct)));
				if (strcmp(acct, own) != 0) {
					t->role_arn = session_keep(
					    out, xasprintf("arn:%s:iam::%s:role/%s",
							   session_partition(
							       aws_client_region(t->client)),
							   acct, role));
					t->assume_via = base;
					t->external_id = xid;
					t->session_name = sname;
				}
			}
			out->n++;
		}
	}
	ff = session_opt(base, spec->findings_from, "ecsfix_findings_from");
	if (ff != NULL && session_findings_client(base, cfg, ff, out, e) != 0)
		goto out;
	rc = 0;
out:
	json_object_put(regions);
	json_object_put(accounts);
	json_object_put(names);
	if (rc != 0)
		session_targets_close(out);
	return rc;
}

int session_target_client(struct aws_client *base, const struct session_config *cfg,
			  const char *region, const char *role_arn, const char *external_id,
			  struct aws_client **out, struct err *e)
{
	struct session_targets keep;
	struct scan_target t;
	char *sname = session_name();
	int rc;

	*out = NULL;
	memset(&keep, 0, sizeof keep);
	memset(&t, 0, sizeof t);
	t.role_arn = role_arn;
	t.assume_via = base;
	t.external_id = external_id;
	t.session_name = sname;
	rc = session_client(base, cfg, cfg->profile,
			    region != NULL ? region : aws_client_region(base), &keep, &t.client, e);
	if (rc == 0)
		rc = session_target_assume(&t, e);
	if (rc == 0)
		*out = t.client;
	else
		aws_client_free(t.client);
	free(keep.clients);
	free(sname);
	return rc;
}

void session_targets_close(struct session_targets *t)
{
	size_t i;

	for (i = 0; i < t->nclients; i++)
		aws_client_free(t->clients[i]);
	for (i = 0; i < t->nstrings; i++)
		free(t->strings[i]);
	free(t->clients);
	free(t->strings);
	free(t->v);
	memset(t, 0, sizeof *t);
}

int session_target_assume(const struct scan_target *t, struct err *e)
{
	struct aws_request r;
	json_object *body, *cr;
	int rc = -1;

	if (t->unreachable != NULL)
		return err_set(e, "%s", t->unreachable);
	if (t->role_arn == NULL)
		return 0;
	body = json_object_new_object();
	json_object_object_add(body, "RoleArn", json_object_new_string(t->role_arn));
	json_object_object_add(
	    body, "RoleSessionName",
	    json_object_new_string(t->session_name != NULL ? t->session_name : "ecsfix"));
	if (t->external_id != NULL)
		json_object_object_add(body, "ExternalId", json_object_new_string(t->external_id));
	aws_request_init(&r, AWS_SVC_STS, "AssumeRole", body);
	if (aws_call(t->assume_via, &r) != 0) {
		err_copy(e, &r.err);
		err_prefix(e, "cannot assume %s", t->role_arn);
		if (strstr(r.err.code, "AccessDenied") != NULL)
			err_hint(e,
				 "the base credentials need sts:AssumeRole on it and its trust "
				 "policy must allow them%s",
				 t->external_id == NULL ? "; give --external-id if it requires one"
							: "");
		goto out;
	}
	cr = jsonx_obj(r.resp, "Credentials");
	if (jsonx_str(cr, "AccessKeyId") == NULL || jsonx_str(cr, "SecretAccessKey") == NULL ||
	    jsonx_str(cr, "SessionToken") == NULL) {
		err_set(e, "AssumeRole %s: the answer has no credentials", t->role_arn);
		goto out;
	}
	aws_client_set_credentials(t->client, jsonx_str(cr, "AccessKeyId"),
				   jsonx_str(cr, "SecretAccessKey"), jsonx_str(cr, "SessionToken"),
				   jsonx_str(cr, "Expiration"), t->role_arn);
	rc = 0;
out:
	aws_request_done(&r);
	json_object_put(body);
	return rc;
}
