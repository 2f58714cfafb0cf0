/* caps.c: the Linux capability names ECS accepts, and --cap-add list parsing. */
#include "config.h"

#include "core/caps.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/xmalloc.h"

/* KernelCapabilities add/drop values, from the ECS API model (reference/aws-api.md section 9). */
static const char *const caps_table[] = {
    "ALL",        "AUDIT_CONTROL",   "AUDIT_WRITE",      "BLOCK_SUSPEND",
    "CHOWN",      "DAC_OVERRIDE",    "DAC_READ_SEARCH",  "FOWNER",
    "FSETID",     "IPC_LOCK",        "IPC_OWNER",        "KILL",
    "LEASE",      "LINUX_IMMUTABLE", "MAC_ADMIN",        "MAC_OVERRIDE",
    "MKNOD",      "NET_ADMIN",       "NET_BIND_SERVICE", "NET_BROADCAST",
    "NET_RAW",    "SETFCAP",         "SETGID",           "SETPCAP",
    "SETUID",     "SYS_ADMIN",       "SYS_BOOT",         "SYS_CHROOT",
    "SYS_MODULE", "SYS_NICE",        "SYS_PACCT",        "SYS_PTRACE",
    "SYS_RAWIO",  "SYS_RESOURCE",    "SYS_TIME",         "SYS_TTY_CONFIG",
    "SYSLOG",     "WAKE_ALARM",
};

size_t caps_count(void)
{
	return sizeof(caps_table) / sizeof(caps_table[0]);
}

const char *caps_name(size_t i)
{
	return i < caps_count() ? caps_table[i] : NULL;
}

const char *caps_canonical(const char *name)
{
	size_t i;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (i = 0; i < caps_count(); i++)
		if (strcasecmp(name, caps_table[i]) == 0)
			return caps_table[i];
	return NULL;
}

int caps_parse_list(const char *list, const char ***names, size_t *n, struct err *e)
{
	const char *p = list;
	const char **v = NULL;
	size_t nv = 0, k;

	*names = NULL;
	*n = 0;
	while (1) {
		const char *s, *end, *c;
		char word[32];
		size_t wl;

		while (*p == ' ' || *p == '\t')
			p++;
		s = p;
		while (*p != '\0' && *p != ',')
			p++;
		end = p;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		wl = (size_t)(end - s);
		if (wl == 0 || wl >= sizeof(word)) {
			if (wl == 0)
				err_set(e, "empty capability name in \"%s\"", list);
			else
				err_set(e, "\"%.40s\" is not a Linux capability ECS accepts", s);
			err_hint(e, "e.g. NET_ADMIN,SYS_TIME; see 'man capabilities'");
			free(v);
			return -1;
		}
		memcpy(word, s, wl);
		word[wl] = '\0';
		c = caps_canonical(word);
		if (c == NULL) {
			err_set(e, "\"%s\" is not a Linux capability ECS accepts", word);
			err_hint(e, "known: AUDIT_CONTROL ... WAKE_ALARM, as in 'man capabilities' "
				    "without CAP_, e.g. NET_ADMIN");
			free(v);
			return -1;
		}
		for (k = 0; k < nv && v[k] != c; k++)
			;
		if (k == nv) {
			v = xreallocarray(v, nv + 1, sizeof(*v));
			v[nv++] = c;
		}
		if (*p == '\0')
			break;
		p++;
	}
	*names = v;
	*n = nv;
	return 0;
}

int caps_fargate_ok(const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], CAPS_FARGATE_ONLY) != 0)
			return 0;
	return 1;
}

int caps_parse_device(const char *spec, struct caps_device *out, struct err *e)
{
	const char *c1 = strchr(spec, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL, *p;
	size_t hl = c1 != NULL ? (size_t)(c1 - spec) : strlen(spec);
	size_t cl = c1 == NULL ? 0 : c2 != NULL ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);

	memset(out, 0, sizeof(*out));
	if (spec[0] != '/' || hl >= sizeof(out->host) || cl >= sizeof(out->container) ||
	    (c1 != NULL && c1[1] != '/') ||
	    (c2 != NULL && (c2[1] == '\0' || strchr(c2 + 1, ':')))) {
		err_set(e, "\"%.60s\" is not HOST[:CONTAINER[:PERMS]]", spec);
		return err_hint(e,
				"absolute paths and PERMS of r, w, m, e.g. /dev/fuse:/dev/fuse:rw");
	}
	memcpy(out->host, spec, hl);
	if (c1 != NULL)
		memcpy(out->container, c1 + 1, cl);
	for (p = c2 != NULL ? c2 + 1 : ""; *p; p++) {
		unsigned bit = *p == 'r'   ? CAPS_PERM_READ
			       : *p == 'w' ? CAPS_PERM_WRITE
			       : *p == 'm' ? CAPS_PERM_MKNOD
					   : 0;

		if (bit == 0) {
			err_set(e, "\"%.60s\": permission '%c' is not r, w or m", spec, *p);
			return err_hint(e, "e.g. /dev/fuse:/dev/fuse:rw");
		}
		out->perms |= bit;
	}
	return 0;
}

json_object *caps_device_json(const struct caps_device *d)
{
	json_object *o = json_object_new_object(), *perms;

	json_object_object_add(o, "hostPath", json_object_new_string(d->host));
	if (d->container[0] != '\0')
		json_object_object_add(o, "containerPath", json_object_new_string(d->container));
	if (d->perms != 0) {
		perms = json_object_new_array();
		if (d->perms & CAPS_PERM_READ)
			json_object_array_add(perms, json_object_new_string("read"));
		if (d->perms & CAPS_PERM_WRITE)
			json_object_array_add(perms, json_object_new_string("write"));
		if (d->perms & CAPS_PERM_MKNOD)
			json_object_array_add(perms, json_object_new_string("mknod"));
		json_object_object_add(o, "permissions", perms);
	}
	return o;
}

/* obj[key] of type t, created when missing; NULL (e set) when present with another type. */
static json_object *caps_member(json_object *obj, const char *key, enum json_type t, struct err *e)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v)) {
		if (json_object_is_type(v, t))
			return v;
		err_set(e, "%s is not %s", key, t == json_type_array ? "a list" : "an object");
		return NULL;
	}
	v = t == json_type_array ? json_object_new_array() : json_object_new_object();
	json_object_object_add(obj, key, v);
	return v;
}

int caps_apply(json_object *container, const char *const *caps, size_t ncaps,
	       const struct caps_device *devs, size_t ndevs, struct err *e)
{
	json_object *lp, *cp, *add, *dv;
	size_t i, k;

	if (ncaps == 0 && ndevs == 0)
		return 0;
	if ((lp = caps_member(container, "linuxParameters", json_type_object, e)) == NULL)
		return -1;
	if (ncaps > 0) {
		if ((cp = caps_member(lp, "capabilities", json_type_object, e)) == NULL ||
		    (add = caps_member(cp, "add", json_type_array, e)) == NULL)
			return -1;
		for (i = 0; i < ncaps; i++) {
			for (k = 0; k < json_object_array_length(add); k++) {
				const char *s =
				    json_object_get_string(json_object_array_get_idx(add, k));

				if (s != NULL && caps_canonical(s) == caps[i])
					break;
			}
			if (k == json_object_array_length(add))
				json_object_array_add(add, json_object_new_string(caps[i]));
		}
	}
	if (ndevs > 0) {
		if ((dv = caps_member(lp, "devices", json_type_array, e)) == NULL)
			return -1;
		for (i = 0; i < ndevs; i++) {
			for (k = 0; k < json_object_array_length(dv); k++) {
				json_object *d = json_object_array_get_idx(dv, k), *hp;

				if (json_object_object_get_ex(d, "hostPath", &hp) &&
				    strcmp(json_object_get_string(hp), devs[i].host) == 0)
					break;
			}
			if (k == json_object_array_length(dv))
				json_object_array_add(dv, caps_device_json(&devs[i]));
		}
	}
	return 0;
}
