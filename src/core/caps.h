/* caps.h: the Linux capability names ECS accepts in linuxParameters.capabilities
 * (KernelCapabilities), and parsing of --cap-add lists. Pure: no I/O. Used by lint --fix and plan.
 */
#ifndef ECSFIX_CORE_CAPS_H
#define ECSFIX_CORE_CAPS_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

/* The only capability Fargate lets a task add ("Tasks launched on Fargate only support adding
 * the SYS_PTRACE kernel capability"). */
#define CAPS_FARGATE_ONLY "SYS_PTRACE"

/* Number of names in the table, and name i (upper case, without "CAP_"). */
size_t caps_count(void);
const char *caps_name(size_t i);
/* The table's spelling of name (case-insensitive, an optional "CAP_" prefix accepted), or NULL
 * when ECS does not accept it. */
const char *caps_canonical(const char *name);
/*
 * Parses a comma list ("NET_ADMIN,sys_time", spaces ignored) into *names (caller frees the
 * array; the strings are borrowed from the table), without repeats, in the given order. Fails
 * with a message naming the first unknown entry and the known names' hint.
 */
int caps_parse_list(const char *list, const char ***names, size_t *n, struct err *e);
/* 1 when every name in names[0..n) is allowed on Fargate (only SYS_PTRACE). */
int caps_fargate_ok(const char *const *names, size_t n);

/* A host device for linuxParameters.devices, from "HOST[:CONTAINER[:PERMS]]" (absolute paths;
 * PERMS letters r, w, m for read, write, mknod). */
struct caps_device {
	char host[256], container[256];
	unsigned perms; /* CAPS_PERM_* bits; 0: not given (ECS's default: all three) */
};
#define CAPS_PERM_READ  1u
#define CAPS_PERM_WRITE 2u
#define CAPS_PERM_MKNOD 4u
int caps_parse_device(const char *spec, struct caps_device *out, struct err *e);
/* The JSON of a Device: {"hostPath", "containerPath"?, "permissions"?} (caller puts it). */
json_object *caps_device_json(const struct caps_device *d);

/*
 * Adds capabilities and devices to a container definition (json, changed in place), merged with
 * what is there: linuxParameters.capabilities.add gains the names it lacks (in order), and
 * linuxParameters.devices the devices whose hostPath it lacks. Objects that are missing are
 * created at the end of their parent. Fails when linuxParameters, capabilities, add or devices
 * exist with the wrong type.
 */
int caps_apply(json_object *container, const char *const *caps, size_t ncaps,
	       const struct caps_device *devs, size_t ndevs, struct err *e);

#endif
