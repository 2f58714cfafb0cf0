/* owner.h: who to ask about a task definition or a service: an owner tag on the revision, who
 * registered the revision, or an owner tag on the service. Pure except owner_keys_load,
 * which reads the config file. Used by scan, the markdown reports and the TUI. */
#ifndef ECSFIX_CORE_OWNER_H
#define ECSFIX_CORE_OWNER_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

/* The tag keys tried, in order (the first one present with a non-empty value wins). */
#define OWNER_DEFAULT_KEYS "owner,Owner,team,Team,contact,email,CostCenter"

struct owner_keys {
	char **v;
	size_t n;
};

/* The default keys (OWNER_DEFAULT_KEYS). */
void owner_keys_init(struct owner_keys *k);
void owner_keys_done(struct owner_keys *k); /* frees; leaves k empty */
/* Replaces k by a comma list ("owner,team"; spaces around names ignored). An empty list or
 * an empty name fails (e set). */
int owner_keys_parse(struct owner_keys *k, const char *list, struct err *e);
/*
 * The keys for this run: list (--owner-tags) when not NULL, else "ownerTags" of the config
 * file (a JSON object; "ownerTags" is an array of strings or a comma list), else the
 * default. config_path NULL: owner_config_path(). A missing config file is not an error; an
 * unreadable or malformed one is.
 */
int owner_keys_load(struct owner_keys *k, const char *list, const char *config_path, struct err *e);
/* $ECSFIX_CONFIG, else $XDG_CONFIG_HOME/ecsfix/config.json, else
 * ~/.config/ecsfix/config.json. Caller frees; NULL when no HOME either. */
char *owner_config_path(void);

/* An owner: name and where it came from ("tag:KEY", "service-tag:KEY", "registeredBy").
 * Both NULL when unknown. Owned strings. */
struct owner {
	char *name;
	char *source;
};

void owner_done(struct owner *o); /* frees; leaves both NULL */

/*
 * Resolves the owner: the first key of k found in td_tags, else the principal of
 * registered_by (owner_principal_name: who registered the revision), else the first key
 * found in svc_tags (a revision that says nothing about its owner). Tags are either the scan
 * report's object {"key": "value"} or the AWS form [{"key","value"}]; NULL is fine. Values are
 * trimmed; empty values are skipped. out is overwritten (call owner_done first if needed).
 */
void owner_resolve(const struct owner_keys *k, json_object *td_tags, json_object *svc_tags,
		   const char *registered_by, struct owner *out);

/*
 * A person-sized name for the principal of an ARN: assumed-role/ROLE/SESSION -> SESSION
 * (ROLE when the session name is machine-made: botocore-session-…, aws-go-sdk-…, an EC2
 * instance id, a long number or hex string), user/PATH/NAME -> NAME, role/NAME -> NAME,
 * federated-user/NAME -> NAME, :root -> "root". Anything not an ARN is returned as is.
 * NULL for NULL or "". Caller frees.
 */
char *owner_principal_name(const char *arn);

/* {"name","source"}, or NULL (JSON null) when unknown. Owned by the caller. */
json_object *owner_to_json(const struct owner *o);

/* The owner's name in a report entry ({"owner": {"name", ...}}), or NULL. Borrowed. */
const char *owner_name_of(json_object *entry);

/*
 * Sets "owner" ({"name","source"} or null) on every service and task definition of a
 * finished scan report (services joined to revisions): a service from its revision's tags,
 * then the revision's registeredBy, then its own "tags"; a revision from its tags, its
 * registeredBy, then the tags of the services running it (in report order). keys NULL:
 * the defaults.
 */
void owner_mark_report(json_object *report, const struct owner_keys *keys);

/*
 * The owners of a marked report, for the TUI's :owners view and the markdown report:
 * [{"name" (null: no owner), "services", "servicesFailing", "taskDefinitions",
 *   "taskDefinitionsFailing", "excepted"}], owners with failures first (most failing
 * services first), then by name; no owner last. "Failing" = status/result FAILED. Owned.
 */
json_object *owner_summary(json_object *report);

#endif
