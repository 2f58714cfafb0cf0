/* rules.h: the Security Hub controls ecsfix checks, as one table, evaluated on a task definition.
 * Pure: no I/O. Used by scan, lint, plan and the TUI. */
#ifndef ECSFIX_CORE_RULES_H
#define ECSFIX_CORE_RULES_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

enum rule_status {
	RULE_PASSED = 0,
	RULE_FAILED,
	RULE_NOT_APPLICABLE, /* e.g. ECS.20 on a Windows task definition */
};

/* One control of the table. Controls are identified by index (0..rules_count()-1) and by
 * id; a control mask has bit (1u << index) set for each chosen control. */
struct rule_def {
	const char *id;         /* "ECS.4" */
	const char *title;      /* the Security Hub title */
	const char *severity;   /* "HIGH", "MEDIUM", "LOW" (Security Hub's word) */
	int decides_by_default; /* 1: in the default --controls (ECS.4, ECS.17, ECS.20) */
	int info_only;          /* 1: shown as information (ECS.1 legacy, ECS.3, ECS.5, ECS.8) */
	const char *help;       /* one sentence: what the control wants, for SARIF/help */
};

/* One verdict. container is NULL for task-level controls (ECS.17, ECS.3). */
struct rule_result {
	const char *control; /* borrowed from the table: "ECS.4" */
	enum rule_status status;
	char *container;     /* owned; container name ("" when the container has none) or NULL */
	int container_index; /* index in containerDefinitions, -1 for task-level */
	const char *key;     /* borrowed: the member deciding the verdict ("privileged", "user",
				"networkMode", "pidMode", "readonlyRootFilesystem",
				"environment"); lint reports the line of this value (or of the
				container object when the member is absent) */
	int item_index;      /* ECS.8: index in environment[] of the offending entry; else -1 */
	int present;         /* 1 when key is present in the container/task object */
	char *reason;        /* owned; a sentence a person understands */
};

struct rule_results {
	struct rule_result *v;
	size_t n;
	size_t cap;
};

/* The table. */
size_t rules_count(void);
const struct rule_def *rules_get(size_t index);
/* Case-insensitive lookup by id ("ECS.4", "ecs.4"); NULL when unknown. */
const struct rule_def *rules_find(const char *id);
/* Index of id in the table, -1 when unknown. */
int rules_index(const char *id);
/* ECS.4 | ECS.17 | ECS.20. */
unsigned rules_default_mask(void);
/* Every control. */
unsigned rules_all_mask(void);
/* Parses a --controls list: "ECS.4,ECS.17" (case-insensitive, spaces ignored, "all" = every
 * control). Unknown or empty entries fail with a message listing the known ids. */
int rules_parse_controls(const char *list, unsigned *mask, struct err *e);
/* 1 when control (an id) is in mask. */
int rules_mask_has(unsigned mask, const char *control);

void rule_results_init(struct rule_results *r);
void rule_results_done(struct rule_results *r); /* frees strings; leaves r empty and usable */

/*
 * Evaluates every control on taskdef: a RegisterTaskDefinition-shaped object or a
 * DescribeTaskDefinition taskDefinition (a {"taskDefinition": ...} wrapper is unwrapped too).
 * Container-level controls (ECS.4, ECS.20, ECS.1, ECS.5, ECS.8) give one result per container
 * in document order; task-level ones (ECS.17, ECS.3) give one. Results are appended to out in
 * table order, then container order. Fails (-1, e set) only when taskdef is not an object or
 * containerDefinitions is present but not an array of objects.
 * Platform handling: Windows (runtimePlatform.operatingSystemFamily WINDOWS_*) makes ECS.20 and
 * ECS.1 not applicable; Fargate (requiresCompatibilities has FARGATE) cannot run privileged
 * containers or host mode: such values FAIL with a reason saying AWS would reject them.
 */
int rules_evaluate(json_object *taskdef, struct rule_results *out, struct err *e);

/* Number of FAILED results for control (an id). */
size_t rules_failed(const struct rule_results *r, const char *control);
/* Number of FAILED results whose control is in mask. */
size_t rules_failed_mask(const struct rule_results *r, unsigned mask);
/* The result of control for container_index (-1: task-level), NULL when none. */
const struct rule_result *rules_result_for(const struct rule_results *r, const char *control,
					   int container_index);
/* "FAILED", "PASSED", "NOT_APPLICABLE" (Security Hub's compliance words). */
const char *rules_status_name(enum rule_status s);

/* Helpers shared with the transform and lint. */
/* 1 when user is absent/empty or names root: "root", "0", "0:<gid>", "root:<group>". */
int rules_user_is_root(const char *user);
/* The task definition object inside a describe response, or obj itself. Borrowed. */
json_object *rules_taskdef_of(json_object *obj);
/* 1 when runtimePlatform.operatingSystemFamily starts with WINDOWS. */
int rules_is_windows(json_object *taskdef);
/* 1 when requiresCompatibilities contains FARGATE. */
int rules_is_fargate(json_object *taskdef);

#endif
