/* hints.h: what a task definition shows about why a container runs privileged (a Docker socket
 * mount, /proc /sys /dev mounts, pidMode host, a known agent or builder image), and the usual
 * least-privilege setting for it, as one line each with a documentation link. One table.
 * Pure: no I/O. Used by the transform (plan notes), the markdown message and the TUI. */
#ifndef ECSFIX_CORE_HINTS_H
#define ECSFIX_CORE_HINTS_H

#include <json-c/json.h>
#include <stddef.h>

/* What a hint matches. */
enum hint_kind {
	HINT_MOUNT,   /* a bind mount whose host sourcePath is match or below it */
	HINT_PIDMODE, /* task pidMode equal to match */
	HINT_IMAGE,   /* the image repository contains match (case-insensitive) */
};

struct hint_def {
	enum hint_kind kind;
	const char *match;
	const char *what; /* what it shows, e.g. "mounts the Docker socket" */
	const char *need; /* what it typically needs and the least-privilege setting */
	const char *link; /* documentation */
};

size_t hints_count(void);
const struct hint_def *hints_get(size_t i);

/*
 * Appends one line per hint that applies to taskdef (a describe response, its taskDefinition
 * or a register request) to *lines (owned strings, *n updated): "container \"NAME\" WHAT:
 * NEED (LINK)", or "the task WHAT: NEED (LINK)" for task-level ones. only_privileged: look
 * only at containers with privileged true (task-level hints then need one of those).
 * Each hint is given once per container. Returns the number of lines added.
 */
size_t hints_for_taskdef(json_object *taskdef, int only_privileged, char ***lines, size_t *n);

/* 1 when container c of taskdef mounts the host's Docker socket. */
int hints_mounts_docker_socket(json_object *taskdef, json_object *c);

#endif
