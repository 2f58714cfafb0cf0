/* transform.h: the remediation: the DescribeTaskDefinition response in, the
 * RegisterTaskDefinition request of the fixed revision out, losing nothing. Pure: no I/O. */
#ifndef ECSFIX_CORE_TRANSFORM_H
#define ECSFIX_CORE_TRANSFORM_H

#include <json-c/json.h>
#include <stddef.h>

#include "core/rules.h"

struct err;

enum transform_network {
	TRANSFORM_NET_KEEP = 0, /* leave networkMode as it is */
	TRANSFORM_NET_BRIDGE,
	TRANSFORM_NET_AWSVPC,
};

struct transform_options {
	/* Non-root user ("1000", "1000:1000", "app") set on each Linux container that fails
	 * ECS.20 (no user or a root user). NULL: users are left alone. A root form is rejected. */
	const char *user;
	enum transform_network network_mode;
	/* Least privilege instead of privileged, on each container the transform unprivileges:
	 * capability names (core/caps.h spelling; others are refused) merged into
	 * linuxParameters.capabilities.add, and ECS Device objects ({"hostPath",
	 * "containerPath", "permissions"}: caps_device_json of caps_parse_device; borrowed)
	 * merged into linuxParameters.devices, by caps_apply (core/caps.h): entries already
	 * there are kept, in order (a device whose hostPath is mapped stays as it is); new ones
	 * are appended. Fargate: only SYS_PTRACE, no devices; Windows: neither. */
	const char *const *cap_add;
	size_t ncap_add;
	json_object *devices; /* array, or NULL */
};

struct transform_result {
	/* The RegisterTaskDefinition request of the current revision, unchanged: output-only keys
	 * dropped, tags moved in. Diff baseline; also what "reuse an equal revision" compares. */
	json_object *baseline;
	/* The RegisterTaskDefinition request of the fixed revision (baseline + the changes). */
	json_object *request;
	struct rule_results before; /* rules on baseline */
	struct rule_results after;  /* rules on request */
	/* One line per changed value, e.g. "container \"app\": privileged true -> false". */
	char **changes;
	size_t nchanges; /* 0: nothing to do */
	/* Cross-control effects and things the operator must also do, e.g. "privileged:false on
	 * container \"app\" makes ECS.1 fail because it runs as root in host mode: add --user or
	 * change the network mode", "an awsvpc service needs subnets and security groups
	 * (--subnets, --security-groups)". */
	char **notes;
	size_t nnotes;
};

void transform_result_init(struct transform_result *r);
void transform_result_done(struct transform_result *r); /* frees all; leaves r initialised */

/* "bridge"/"awsvpc" -> TRANSFORM_NET_*; -1 (e set) otherwise ("host" and "none" are refused). */
int transform_parse_network(const char *s, enum transform_network *out, struct err *e);

/* 1 when key is one of the output-only TaskDefinition members (taskDefinitionArn revision
 * status requiresAttributes compatibilities registeredAt registeredBy deregisteredAt
 * deleteRequestedAt). */
int transform_is_output_only(const char *key);

/*
 * The register-input form of a describe response ({"taskDefinition": ..., "tags": [...]}) or a
 * bare taskDefinition: a deep copy in the same key order, output-only keys dropped, tags
 * (without aws: keys, omitted when empty) added at the end unless the object already has
 * "tags". *out is owned by the caller. -1 (e set) when in is not an object.
 */
int transform_register_input(json_object *in, json_object **out, struct err *e);

/*
 * Builds the fixed revision: register input (as above), then "privileged": false on each
 * container where it is true, then the options (user; networkMode with portMappings
 * corrected: awsvpc drops hostPort unless it equals containerPort and removes links, hostname
 * and extraHosts; bridge keeps hostPort and notes dynamic ports). Every other key and value,
 * known or not, stays in order. o may be NULL (no options). Fills out (call
 * transform_result_init first); -1 (e set) on a bad document or a bad option (e.g. bridge on
 * Fargate, a root --user).
 */
int transform_build(json_object *in, const struct transform_options *o,
		    struct transform_result *out, struct err *e);

/* Number of changed values (0 = nothing to do). */
size_t transform_changes(const struct transform_result *r);

#endif
