/* lint_read.h: the readers behind 'ecsfix lint' for shapes other than plain JSON: template
 * placeholders, YAML (CloudFormation), HCL (Terraform .tf). Each builds a jsonpos tree over
 * the file's own bytes, so lint reports lines and edits values in place the same way. */
#ifndef ECSFIX_CORE_LINT_READ_H
#define ECSFIX_CORE_LINT_READ_H

#include <stddef.h>

#include "core/jsonpos.h"

struct err;

/* A placeholder found in a template: bytes [start, end). */
struct lint_span {
	size_t start, end;
};

/*
 * Template placeholders (${...}, $VAR, {{...}}, $$$X$$$, %{...}, <<X>>): *masked is a copy of
 * buf (same length, caller frees) in which each placeholder outside a string is replaced by a
 * JSON token of the same length (a value position: null or 0 padded with spaces; a member
 * position or a %{} directive: spaces), so a JSON reader sees the rest with unchanged offsets.
 * *spans (caller frees) lists every placeholder outside strings. Returns their number.
 */
size_t lint_template_mask(const char *buf, size_t len, char **masked, struct lint_span **spans);
/* The first placeholder in s[0..len) (a string's text), as [*start, *end); 0 when none. */
int lint_template_find(const char *s, size_t len, size_t *start, size_t *end);

/* Reads YAML (one document) into d (d->buf = buf). Scalars get str (and quote), tagged values
 * (!Ref, !If, ...) get unknown = "!Tag text"; aliases are copies of their anchor's tree. On
 * failure -1 with e set and *err_off the byte of the problem. */
int lint_yaml_read(const char *buf, size_t len, struct jsonpos_doc *d, struct err *e,
		   size_t *err_off);

/* One resource "aws_ecs_task_definition" "NAME" found in a .tf file. */
struct lint_tf_resource {
	char *address; /* "aws_ecs_task_definition.NAME" */
	int node;      /* an object node: networkMode, requiresCompatibilities, runtimePlatform,
			  containerDefinitions (snake_case attributes renamed) */
	int line;
	char *ref_path;     /* container_definitions = file(P) / templatefile(P, ...): P as written
			       (${path.module}/ removed), else NULL */
	const char *ref_fn; /* "file" or "templatefile" */
};

/* Reads HCL2 native syntax, finding aws_ecs_task_definition resources. */
int lint_tf_read(const char *buf, size_t len, struct jsonpos_doc *d, struct lint_tf_resource **res,
		 size_t *nres, struct err *e, size_t *err_off);
void lint_tf_resources_free(struct lint_tf_resource *res, size_t n);

#endif
