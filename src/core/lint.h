/* lint.h: 'ecsfix lint': check task-definition files, report lines, fix them byte for byte. */
#ifndef ECSFIX_CORE_LINT_H
#define ECSFIX_CORE_LINT_H

#include <json-c/json.h>
#include <stddef.h>

#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"

#define LINT_MAX_BYTES ((size_t)10 * 1024 * 1024)

enum lint_shape {
	LINT_SHAPE_UNKNOWN = 0,
	LINT_SHAPE_REGISTER, /* RegisterTaskDefinition input: {"family", "containerDefinitions"} */
	LINT_SHAPE_DESCRIBE, /* {"taskDefinition": {...}, "tags": [...]} */
	LINT_SHAPE_CONTAINERS, /* [ContainerDefinition, ...] (Terraform container_definitions) */
};

struct lint_options {
	unsigned controls; /* mask of the controls deciding the exit code */
	int fix;           /* rewrite files in place */
	const char *user;  /* with fix: non-root user for the containers failing ECS.20 */
	enum transform_network network_mode; /* with fix */
};

/* A failed control at a line of the file. */
struct lint_finding {
	const char *control; /* borrowed from the rules table */
	char *container;     /* owned; NULL for task-level controls */
	int line;
	char *reason; /* owned */
	int decides;  /* the control is in --controls */
};

/* A value --fix changed, at its line in the original file. */
struct lint_fix {
	int line;
	char *what; /* owned, e.g. "container \"app\": privileged true -> false" */
};

struct lint_report {
	char *path;
	enum lint_shape shape;
	int error; /* 1: the file could not be checked (err says why) */
	struct err err;
	struct lint_finding *findings; /* failures, after fixing when --fix */
	size_t nfindings;
	struct lint_fix *fixes;
	size_t nfixes;
	int written; /* --fix wrote the file */
	char **notes;
	size_t nnotes;
};

void lint_report_init(struct lint_report *r);
void lint_report_done(struct lint_report *r);
const char *lint_shape_name(enum lint_shape s);
/* Failures of deciding controls. */
size_t lint_report_deciding(const struct lint_report *r);

/*
 * Lints buf[0..len) (no I/O). Fills r (shape, findings); with o->fix also the fixes and
 * *fixed and *fixed_len (caller frees; NULL when nothing changed): the input with only the fixed
 * values. bytes changed. -1 with r->error and r->err set on bad input.
 */
int lint_buffer(const char *buf, size_t len, const struct lint_options *o, struct lint_report *r,
		char **fixed, size_t *fixed_len);

/* Reads path (at most LINT_MAX_BYTES, UTF-8), lints it and with o->fix writes it back
 * atomically keeping its mode. r->path is set; -1 with r->error set on failure. */
int lint_file(const char *path, const struct lint_options *o, struct lint_report *r);

/* Machine-readable reports (owned by the caller). */
json_object *lint_reports_json(const struct lint_report *r, size_t n, const struct lint_options *o);
json_object *lint_reports_sarif(const struct lint_report *r, size_t n,
				const struct lint_options *o);

#endif
