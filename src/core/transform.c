/* transform.c: the remediation: the describe response in, the fixed RegisterTaskDefinition
 * request out, every other key and value kept in order. */
#include "config.h"

#include "core/transform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/caps.h"
#include "core/hints.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

static const char *const transform_output_only[] = {
    "taskDefinitionArn", "revision",     "status",         "requiresAttributes", "compatibilities",
    "registeredAt",      "registeredBy", "deregisteredAt", "deleteRequestedAt",
};

static void transform_add(char ***v, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void transform_add(char ***v, size_t *n, const char *fmt, ...)
{
	va_list ap;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	va_start(ap, fmt);
	(*v)[(*n)++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void transform_result_init(struct transform_result *r)
{
	memset(r, 0, sizeof(*r));
	rule_results_init(&r->before);
	rule_results_init(&r->after);
}

void transform_result_done(struct transform_result *r)
{
	size_t i;

	json_object_put(r->baseline);
	json_object_put(r->request);
	rule_results_done(&r->before);
	rule_results_done(&r->after);
	for (i = 0; i < r->nchanges; i++)
		free(r->changes[i]);
	free(r->changes);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	transform_result_init(r);
}

size_t transform_changes(const struct transform_result *r)
{
	return r->nchanges;
}

int transform_parse_network(const char *s, enum transform_network *out, struct err *e)
{
	if (s != NULL && strcmp(s, "bridge") == 0)
		*out = TRANSFORM_NET_BRIDGE;
	else if (s != NULL && strcmp(s, "awsvpc") == 0)
		*out = TRANSFORM_NET_AWSVPC;
	else
		return err_set(e, "--network-mode: \"%s\" is not a target ecsfix can convert to",
			       s ? s : ""),
		       err_hint(e, "use bridge or awsvpc");
	return 0;
}

int transform_is_output_only(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(transform_output_only) / sizeof(transform_output_only[0]); i++)
		if (strcmp(key, transform_output_only[i]) == 0)
			return 1;
	return 0;
}

/* The describe response's tags without aws: keys; NULL when none are left. Owned. */
static json_object *transform_tags(json_object *tags)
{
	json_object *out = NULL;
	size_t i, n = tags != NULL ? json_object_array_length(tags) : 0;

	for (i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tags, i);
		const char *k = jsonx_str(t, "key");

		if (k != NULL && strncasecmp(k, "aws:", 4) == 0)
			continue;
		if (out == NULL)
			out = json_object_new_array();
		json_object_array_add(out, jsonx_clone(t));
	}
	return out;
}

int transform_register_input(json_object *in, json_object **out, struct err *e)
{
	json_object *td = rules_taskdef_of(in), *copy, *tags = NULL, *dummy;

	*out = NULL;
	if (td == NULL || !json_object_is_type(td, json_type_object))
		return err_set(e, "a task definition must be a JSON object");
	copy = json_object_new_object();
	json_object_object_foreach(td, key, val)
	{
		if (transform_is_output_only(key))
			continue;
		json_object_object_add(copy, key, jsonx_clone(val));
	}
	if (td != in && !json_object_object_get_ex(copy, "tags", &dummy))
		tags = transform_tags(jsonx_array(in, "tags"));
	if (tags != NULL)
		json_object_object_add(copy, "tags", tags);
	*out = copy;
	return 0;
}

static const char *transform_cname(json_object *c)
{
	const char *n = jsonx_str(c, "name");

	return n != NULL ? n : "";
}

/* portMappings, links, hostname and extraHosts for the target network mode. */
static void transform_network_container(struct transform_result *r, json_object *c,
					enum transform_network net)
{
	json_object *pms = jsonx_array(c, "portMappings"), *dummy;
	size_t i, n = pms != NULL ? json_object_array_length(pms) : 0;
	static const char *const not_awsvpc[] = {"links", "hostname", "extraHosts"};

	for (i = 0; i < n; i++) {
		json_object *pm = json_object_array_get_idx(pms, i), *hp;
		int64_t cport = jsonx_int(pm, "containerPort", -1);

		if (!json_object_is_type(pm, json_type_object))
			continue;
		if (!json_object_object_get_ex(pm, "hostPort", &hp)) {
			if (net == TRANSFORM_NET_BRIDGE && cport >= 0)
				transform_add(&r->notes, &r->nnotes,
					      "container \"%s\": containerPort %lld gets a dynamic "
					      "host port in bridge mode (set hostPort to keep it "
					      "fixed, or reach it through a load balancer)",
					      transform_cname(c), (long long)cport);
			continue;
		}
		if (net == TRANSFORM_NET_AWSVPC && jsonx_int(pm, "hostPort", -2) != cport) {
			transform_add(&r->changes, &r->nchanges,
				      "container \"%s\": portMappings[%zu].hostPort %s removed "
				      "(awsvpc allows only hostPort = containerPort)",
				      transform_cname(c), i, json_object_to_json_string(hp));
			json_object_object_del(pm, "hostPort");
		} else if (net == TRANSFORM_NET_BRIDGE && jsonx_int(pm, "hostPort", -1) == 0) {
			transform_add(&r->notes, &r->nnotes,
				      "container \"%s\": containerPort %lld gets a dynamic host "
				      "port in bridge mode (hostPort 0)",
				      transform_cname(c), (long long)cport);
		}
	}
	if (net != TRANSFORM_NET_AWSVPC)
		return;
	for (i = 0; i < sizeof(not_awsvpc) / sizeof(not_awsvpc[0]); i++) {
		if (!json_object_object_get_ex(c, not_awsvpc[i], &dummy))
			continue;
		transform_add(&r->changes, &r->nchanges,
			      "container \"%s\": %s removed (not supported in awsvpc mode)",
			      transform_cname(c), not_awsvpc[i]);
		json_object_object_del(c, not_awsvpc[i]);
	}
}

static int transform_network(struct transform_result *r, json_object *td,
			     enum transform_network net, struct err *e)
{
	const char *want = net == TRANSFORM_NET_AWSVPC ? "awsvpc" : "bridge";
	const char *cur = jsonx_str(td, "networkMode");
	json_object *cds = jsonx_array(td, "containerDefinitions");
	size_t i, n = cds != NULL ? json_object_array_length(cds) : 0;

	if (net == TRANSFORM_NET_BRIDGE && rules_is_fargate(td))
		return err_set(e, "--network-mode bridge: Fargate task definitions need awsvpc"),
		       err_hint(e, "use --network-mode awsvpc");
	if (net == TRANSFORM_NET_BRIDGE && rules_is_windows(td))
		return err_set(e, "--network-mode bridge: Windows task definitions cannot use "
				  "bridge"),
		       err_hint(e, "use --network-mode awsvpc");
	if (cur != NULL ? strcmp(cur, want) == 0 : net == TRANSFORM_NET_BRIDGE)
		return 0;
	transform_add(&r->changes, &r->nchanges, "networkMode %s -> %s",
		      cur != NULL ? cur : "(not set)", want);
	json_object_object_add(td, "networkMode", json_object_new_string(want));
	for (i = 0; i < n; i++)
		transform_network_container(r, json_object_array_get_idx(cds, i), net);
	if (net == TRANSFORM_NET_AWSVPC) {
		transform_add(&r->notes, &r->nnotes,
			      "an awsvpc service needs subnets and security groups (--subnets, "
			      "--security-groups), and its load balancer target groups must be of "
			      "type ip");
	}
	return 0;
}

/* The options' capabilities and devices are allowed for this task definition. */
static int transform_check_least(json_object *td, const struct transform_options *o, struct err *e)
{
	size_t i, n = o->devices != NULL ? json_object_array_length(o->devices) : 0;
	int fargate_ok = 1;

	for (i = 0; i < o->ncap_add; i++) {
		const char *cap = caps_canonical(o->cap_add[i]);

		if (cap != NULL && strcmp(cap, CAPS_FARGATE_ONLY) != 0)
			fargate_ok = 0;
		if (cap == NULL)
			return err_set(e, "--cap-add: \"%s\" is not a Linux capability ECS accepts",
				       o->cap_add[i]),
			       err_hint(e, "e.g. NET_ADMIN, SYS_PTRACE, SYS_TIME; see "
					   "'ecsfix plan --help'");
	}
	if ((o->ncap_add > 0 || n > 0) && rules_is_windows(td))
		return err_set(e, "--cap-add/--device: Windows task definitions have no "
				  "linuxParameters"),
		       err_hint(e, "leave them out for a Windows family");
	if (!fargate_ok && rules_is_fargate(td))
		return err_set(e, "--cap-add: Fargate accepts only %s", CAPS_FARGATE_ONLY),
		       err_hint(e, "run the service on EC2 to add other capabilities, or record an "
				   "exception with 'ecsfix except'");
	if (n > 0 && rules_is_fargate(td))
		return err_set(e, "--device: Fargate does not support host devices"),
		       err_hint(e, "run the service on EC2, or record an exception with 'ecsfix "
				   "except'");
	for (i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(o->devices, i);
		const char *hp = jsonx_str(d, "hostPath");

		if (hp == NULL || hp[0] != '/')
			return err_set(e, "--device: entry %zu has no absolute hostPath", i);
	}
	return 0;
}

/* Device object d (options.devices) as core/caps's device. */
static void transform_device(json_object *d, struct caps_device *out)
{
	json_object *perms = jsonx_array(d, "permissions");
	size_t i, n = perms != NULL ? json_object_array_length(perms) : 0;
	const char *hp = jsonx_str(d, "hostPath"), *cp = jsonx_str(d, "containerPath");

	memset(out, 0, sizeof *out);
	snprintf(out->host, sizeof out->host, "%s", hp != NULL ? hp : "");
	snprintf(out->container, sizeof out->container, "%s", cp != NULL ? cp : "");
	for (i = 0; i < n; i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(perms, i));

		if (p != NULL && strcmp(p, "read") == 0)
			out->perms |= CAPS_PERM_READ;
		else if (p != NULL && strcmp(p, "write") == 0)
			out->perms |= CAPS_PERM_WRITE;
		else if (p != NULL && strcmp(p, "mknod") == 0)
			out->perms |= CAPS_PERM_MKNOD;
	}
}

/* The length of container c's linuxParameters.<a>[.<b>] array (0 when absent). */
static size_t transform_lp_len(json_object *c, const char *a, const char *b)
{
	json_object *o = jsonx_obj(c, "linuxParameters");
	json_object *arr = b != NULL ? jsonx_array(jsonx_obj(o, a), b) : jsonx_array(o, a);

	return arr != NULL ? json_object_array_length(arr) : 0;
}

/* --cap-add and --device on container c, which was privileged: merged by caps_apply; one
 * change line per entry added, a note for devices already mapped. */
static int transform_least(struct transform_result *r, json_object *c,
			   const struct transform_options *o, struct err *e)
{
	size_t i, nd = o->devices != NULL ? json_object_array_length(o->devices) : 0;
	size_t ncaps0 = transform_lp_len(c, "capabilities", "add");
	size_t ndev0 = transform_lp_len(c, "devices", NULL);
	const char **caps = xcalloc(o->ncap_add + 1, sizeof *caps);
	struct caps_device *devs = xcalloc(nd + 1, sizeof *devs);
	json_object *caps0 = jsonx_obj(jsonx_obj(c, "linuxParameters"), "capabilities"), *arr;
	int rc = -1;

	if (caps0 != NULL && (jsonx_array(caps0, "add") != NULL || jsonx_array(caps0, "drop")))
		transform_add(&r->notes, &r->nnotes,
			      "container \"%s\": its linuxParameters.capabilities were ignored "
			      "while it was privileged and apply from now on",
			      transform_cname(c));
	for (i = 0; i < o->ncap_add; i++)
		caps[i] = caps_canonical(o->cap_add[i]); /* checked by transform_check_least */
	for (i = 0; i < nd; i++)
		transform_device(json_object_array_get_idx(o->devices, i), &devs[i]);
	if (caps_apply(c, caps, o->ncap_add, devs, nd, e)) {
		err_prefix(e, "container \"%s\"", transform_cname(c));
		goto out;
	}
	arr = jsonx_array(jsonx_obj(jsonx_obj(c, "linuxParameters"), "capabilities"), "add");
	for (i = ncaps0; arr != NULL && i < json_object_array_length(arr); i++)
		transform_add(&r->changes, &r->nchanges,
			      "container \"%s\": linuxParameters.capabilities.add + %s",
			      transform_cname(c),
			      json_object_get_string(json_object_array_get_idx(arr, i)));
	arr = jsonx_array(jsonx_obj(c, "linuxParameters"), "devices");
	for (i = ndev0; arr != NULL && i < json_object_array_length(arr); i++) {
		json_object *d = json_object_array_get_idx(arr, i);
		json_object *perms = jsonx_array(d, "permissions");
		const char *cp = jsonx_str(d, "containerPath");

		transform_add(
		    &r->changes, &r->nchanges,
		    "container \"%s\": linuxParameters.devices + %s%s%s%s%s", transform_cname(c),
		    jsonx_str(d, "hostPath"), cp != NULL ? " -> " : "", cp != NULL ? cp : "",
		    perms != NULL ? " " : "",
		    perms != NULL ? json_object_to_json_string_ext(perms, JSON_C_TO_STRING_PLAIN)
				  : "");
	}
	if (nd > 0 && arr != NULL && json_object_array_length(arr) - ndev0 < nd)
		transform_add(&r->notes, &r->nnotes,
			      "container \"%s\": %zu device(s) already mapped from the same host "
			      "path, kept as they are",
			      transform_cname(c), nd - (json_object_array_length(arr) - ndev0));
	rc = 0;
out:
	free(caps);
	free(devs);
	return rc;
}

/* Cross-control effects: what still fails, and what the change makes fail. */
static void transform_notes(struct transform_result *r, const struct transform_options *o)
{
	size_t i;

	for (i = 0; i < r->after.n; i++) {
		const struct rule_result *a = &r->after.v[i];
		const struct rule_result *b =
		    rules_result_for(&r->before, a->control, a->container_index);

		if (a->status != RULE_FAILED)
			continue;
		if (strcmp(a->control, "ECS.1") == 0 && b != NULL && b->status != RULE_FAILED)
			transform_add(&r->notes, &r->nnotes,
				      "container \"%s\": privileged:false makes ECS.1 fail "
				      "because it runs as root in host mode (ECS.20 fails for the "
				      "same reason): add --user or change the network mode",
				      a->container);
		else if (strcmp(a->control, "ECS.20") == 0 && (o == NULL || o->user == NULL))
			transform_add(&r->notes, &r->nnotes,
				      "container \"%s\" still runs as root (ECS.20 fails): add "
				      "--user UID",
				      a->container);
		else if (strcmp(a->control, "ECS.17") == 0)
			transform_add(&r->notes, &r->nnotes,
				      "the task definition still uses host network mode (ECS.17 "
				      "fails): add --network-mode bridge or awsvpc");
		else if (strcmp(a->control, "ECS.4") == 0)
			transform_add(&r->notes, &r->nnotes,
				      "container \"%s\" is still privileged (ECS.4 fails)",
				      a->container);
	}
}

int transform_build(json_object *in, const struct transform_options *o,
		    struct transform_result *out, struct err *e)
{
	json_object *req = NULL, *cds;
	size_t i, n, nunpriv = 0;
	int rc = -1;

	if (o != NULL && o->user != NULL && rules_user_is_root(o->user)) {
		err_set(e, "--user \"%s\" is root", o->user);
		err_hint(e, "give a non-root UID such as 1000 or 1000:1000");
		goto out;
	}
	if (transform_register_input(in, &out->baseline, e))
		goto out;
	if (rules_evaluate(out->baseline, &out->before, e))
		goto out;
	if (o != NULL && transform_check_least(out->baseline, o, e))
		goto out;
	req = jsonx_clone(out->baseline);
	cds = jsonx_array(req, "containerDefinitions");
	n = cds != NULL ? json_object_array_length(cds) : 0;
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cds, i);

		if (jsonx_bool(c, "privileged") != 1)
			continue;
		transform_add(&out->changes, &out->nchanges,
			      "container \"%s\": privileged true -> false", transform_cname(c));
		json_object_object_add(c, "privileged", json_object_new_boolean(0));
		nunpriv++;
		if (o != NULL && transform_least(out, c, o, e))
			goto out;
	}
	if (o != NULL && nunpriv == 0 &&
	    (o->ncap_add > 0 || (o->devices && json_object_array_length(o->devices) > 0)))
		transform_add(&out->notes, &out->nnotes,
			      "no container is privileged: --cap-add and --device change nothing");
	if (o != NULL && o->network_mode != TRANSFORM_NET_KEEP &&
	    transform_network(out, req, o->network_mode, e))
		goto out;
	if (o != NULL && o->user != NULL && !rules_is_windows(req)) {
		for (i = 0; i < n; i++) {
			json_object *c = json_object_array_get_idx(cds, i);
			const char *cur = jsonx_str(c, "user");

			if (!rules_user_is_root(cur))
				continue;
			transform_add(&out->changes, &out->nchanges,
				      "container \"%s\": user %s%s%s -> \"%s\"", transform_cname(c),
				      cur ? "\"" : "", cur ? cur : "(not set)", cur ? "\"" : "",
				      o->user);
			if (hints_mounts_docker_socket(req, c))
				transform_add(
				    &out->notes, &out->nnotes,
				    "container \"%s\" mounts the Docker socket: user \"%s\" "
				    "must be able to write to it (root or the socket's group), "
				    "or the container loses the daemon",
				    transform_cname(c), o->user);
			json_object_object_add(c, "user", json_object_new_string(o->user));
		}
	}
	if (rules_evaluate(req, &out->after, e))
		goto out;
	out->request = req;
	req = NULL;
	transform_notes(out, o);
	hints_for_taskdef(out->baseline, 1, &out->notes, &out->nnotes);
	rc = 0;
out:
	json_object_put(req);
	if (rc) {
		struct err keep;

		err_copy(&keep, e);
		transform_result_done(out);
		err_copy(e, &keep);
	}
	return rc;
}
