/* scan_report.h: the pure half of the scan: compact report entries from AWS answers, and the
 * join (findings to revisions and services), the traps, the sort and the summary. No I/O. */
#ifndef ECSFIX_CORE_SCAN_REPORT_H
#define ECSFIX_CORE_SCAN_REPORT_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

/* Sets member key (a string literal: json-c keeps the pointer instead of a copy, which
 * matters for the memory of a large report) of o to v (taken). */
#define SCAN_SET(o, key, v)                                                                        \
	json_object_object_add_ex((o), (key), (v), JSON_C_OBJECT_ADD_CONSTANT_KEY)

/* The controls whose Security Hub findings the scan reads (the rules ecsfix decides on). */
extern const char *const scan_report_handled_controls[];
extern const size_t scan_report_nhandled_controls;

/* The last path element of an ARN ("arn:…:cluster/prod" -> "prod"; for a service ARN
 * "…:service/prod/web" -> "web"; for a task definition "…/web:7" -> "web:7"). Borrowed
 * pointer into arn; arn itself when it has no '/'. */
const char *scan_report_arn_tail(const char *arn);
/* Splits a task definition ARN or "family:revision" into family (caller frees) and revision
 * (0 when absent). Returns -1 when it is not of that form. */
int scan_report_td_split(const char *arn, char **family, long *revision);
/* The account id field of an ARN into buf (size >= 13); "" when absent. */
void scan_report_arn_account(const char *arn, char *buf, size_t size);

/* The region field of an ARN into buf; "" when absent. */
void scan_report_arn_region(const char *arn, char *buf, size_t size);
/* The key of a task definition family across accounts and regions: its ARN without the
 * ":revision" (caller frees). scan_report_finish looks the latest map up by it first. */
char *scan_report_family_key(const char *arn);

/* Typed access to an element of a JSON array read from the wire: the string (or object) at
 * index i, or NULL when arr is not an array, i is out of range or the element has another
 * type. Borrowed. */
const char *scan_report_str_at(json_object *arr, size_t i);
json_object *scan_report_obj_at(json_object *arr, size_t i);
/* Length of arr when it is an array, else 0. */
size_t scan_report_len(json_object *arr);

/* A cluster entry from a DescribeClusters element. Owned by the caller. */
json_object *scan_report_cluster(json_object *cluster);
/* A cluster known only by name or ARN, unread for the reason given. */
json_object *scan_report_cluster_unknown(const char *name_or_arn, const char *reason);
/* A service entry from a DescribeServices element (only the fields of the contract). */
json_object *scan_report_service(json_object *svc);
/* A service known only by ARN (a MISSING entry, a failed DescribeServices batch). */
json_object *scan_report_service_unknown(const char *arn, const char *cluster_arn,
					 const char *reason);
/* A task definition entry from a DescribeTaskDefinition answer ({"taskDefinition","tags"}).
 * checks (taken, may be NULL) are the rule results. */
json_object *scan_report_taskdef(json_object *resp, json_object *checks);
/* A task definition that could not be described. */
json_object *scan_report_taskdef_unknown(const char *arn, const char *reason);
/* The control a Security Hub finding is about ("ECS.4"), from Compliance.SecurityControlId
 * or the GeneratorId ("security-control/ECS.4", "aws-foundational-…/v/1.0.0/ECS.4"); NULL if
 * none. Borrowed. */
const char *scan_report_finding_control(json_object *asff, char *buf, size_t size);
/* A finding entry from an ASFF finding, or NULL when it is not about a handled control, not
 * about an ECS task definition or service, or not ACTIVE. */
json_object *scan_report_finding(json_object *asff);

/*
 * Completes the report (the document of SCAN-JSON.md with "clusters", "services",
 * "taskDefinitions", "findings", "errors", "controls" filled by the gatherer): joins services
 * to the revisions they run and findings to both, marks latestActive from latest (object
 * scan_report_family_key or family name -> ARN of its latest ACTIVE revision), computes statuses
 * and failing controls for the controls in report.controls, writes the notes (traps), sorts
 * services problems first and adds the summary. findings_unknown: reason Security Hub could not be
 * read, or NULL.
 */
void scan_report_finish(json_object *report, json_object *latest, const char *findings_unknown);

/* Exit code of a finished report: 1 when a service or task definition fails one of the
 * report's controls, else 2 when an ECS part or a target is UNKNOWN, else 0. */
int scan_report_exit_code(json_object *report);

/* Writes report to fp exactly as jsonx_pretty would, one top-level array element at a time
 * (a large report is never held twice in memory as text). Returns 0, or -1 on a write error. */
int scan_report_write_json(FILE *fp, json_object *report);

#endif
