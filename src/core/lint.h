/* lint.h: 'ecsfix lint': check task-definition files, report lines, fix them byte for byte. */
#ifndef ECSFIX_CORE_LINT_H
#define ECSFIX_CORE_LINT_H

#include <json-c/json.h>
#include <stddef.h>

#include "core/caps.h"
#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"

#define LINT_MAX_BYTES ((size_t)10 * 1024 * 1024)

enum lint_shape {
	LINT_SHAPE_UNKNOWN = 0,
	LINT_SHAPE_REGISTER, /* RegisterTaskDefinition input: {"family", "containerDefinitions"} */
	LINT_SHAPE_DESCRIBE, /* {"taskDefinition": {...}, "tags": [...]} */
	LINT_SHAPE_CONTAINERS, /* [ContainerDefinition, ...] (Terraform container_definitions) */
	LINT_SHAPE_CFN,    /* a CloudFormation template (JSON or YAML): AWS::ECS::TaskDefinition */
	LINT_SHAPE_TFPLAN, /* terraform show -json: resource_changes of aws_ecs_task_definition */
	LINT_SHAPE_TF,     /* a Terraform .tf file: resource "aws_ecs_task_definition" */
};

enum lint_status {
	LINT_FAILED = 0,
	LINT_UNKNOWN,  /* cannot decide: the deciding value is a parameter, condition or placeholder
			*/
	LINT_EXCEPTED, /* failed, but an exception in .ecsfix.json covers it */
};

struct lint_options {
	unsigned controls; /* mask of the controls deciding the exit code */
	int fix;           /* rewrite files in place */
	const char *user;  /* with fix: non-root user for the containers failing ECS.20 */
	enum transform_network network_mode; /* with fix */
	int strict_json;                     /* no template placeholders */
	const char *const *cap_add;          /* with fix: capabilities instead of privileged */
	size_t ncap_add;
	const struct caps_device *devices; /* with fix: host devices to add */
	size_t ndevices;
	int no_exceptions; /* ignore .ecsfix.json */
};

/* A failed control at a line of the file. */
struct lint_finding {
	const char *control; /* borrowed from the rules table */
	char *container;     /* owned; NULL for task-level controls */
	int line;
	char *reason; /* owned */
	int decides;  /* the control is in --controls and the status is FAILED */
	int chosen;   /* the control is in --controls */
	enum lint_status status;
	char *resource;   /* owned; "TaskDef" (CloudFormation logical id), a Terraform address, or
			     NULL */
	char *exc_reason; /* EXCEPTED (or an expired exception): its reason and expiry (owned) */
	char *exc_until;
	char *exc_by;    /* approvedBy, or NULL */
	int exc_expired; /* an exception matched but has expired: the finding fails again */
	char *family;    /* the task definition's family when known (owned) */
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
	int templated; /* template placeholders were read as unknown values */
	char *excerpt; /* with error: the offending line and a caret under the column (owned) */
	int err_line;  /* with error: its line, 0 when none */
	char *via;     /* linted because a .tf file loads it: "FILE (aws_ecs_task_definition.x)" */
	char **refs;   /* files a .tf file loads with file()/templatefile(), resolved (owned) */
	char **ref_vias;
	size_t nrefs;
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
/* The same, with the file name guiding the reader (.tf, .yaml, .jsonnet); name may be NULL. */
int lint_buffer_named(const char *name, const char *buf, size_t len, const struct lint_options *o,
		      struct lint_report *r, char **fixed, size_t *fixed_len);
/* Failures that decide the exit code (FAILED, or an expired exception). */
size_t lint_report_failing(const struct lint_report *r);

/* Reads path (at most LINT_MAX_BYTES, UTF-8; a regular file: a FIFO or device is refused
 * without opening it), lints it and with o->fix writes it back atomically keeping its mode and
 * owner (a file with several hard links is edited in place instead, and a note says so).
 * Leftover *.ecsfix-tmp.* files of a killed --fix beside it are removed. Exceptions from the
 * .ecsfix.json found by walking up from path apply. r->path is set; -1 with r->error set. */
int lint_file(const char *path, const struct lint_options *o, struct lint_report *r);

/* Machine-readable reports (owned by the caller). */
json_object *lint_reports_json(const struct lint_report *r, size_t n, const struct lint_options *o);
json_object *lint_reports_sarif(const struct lint_report *r, size_t n,
				const struct lint_options *o);

#endif
