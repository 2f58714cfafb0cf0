/* fuzz_scan_report.c: the scan report builder (core/scan_report) on arbitrary AWS answers:
 * the input is one JSON document whose "clusters" (DescribeClusters), "services"
 * (DescribeServices), "taskDefinition" (DescribeTaskDefinition) and "Findings" (GetFindings)
 * members are fed to the entry builders; then the join, the exit code and the JSON writer. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/scan_report.h"
#include "fuzz.h"
#include "util/err.h"
#include "util/jsonx.h"

typedef json_object *(*fuzz_entry_fn)(json_object *);

static json_object *fuzz_entries(json_object *doc, const char *key, fuzz_entry_fn fn)
{
	json_object *out = json_object_new_array(), *in = jsonx_array(doc, key);
	size_t i;

	for (i = 0; in != NULL && i < json_object_array_length(in); i++) {
		json_object *e = fn(json_object_array_get_idx(in, i));

		if (e != NULL)
			json_object_array_add(out, e);
	}
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *doc = NULL, *report, *tds, *ctl, *latest;
	char buf[64];
	struct err e;
	FILE *null;

	err_clear(&e);
	if (jsonx_parse((const char *)data, size, &doc, &e) != 0)
		return 0;
	report = json_object_new_object();
	ctl = json_object_new_array();
	json_object_array_add(ctl, json_object_new_string("ECS.4"));
	json_object_array_add(ctl, json_object_new_string("ECS.17"));
	json_object_array_add(ctl, json_object_new_string("ECS.20"));
	json_object_object_add(report, "controls", ctl);
	json_object_object_add(report, "clusters",
			       fuzz_entries(doc, "clusters", scan_report_cluster));
	json_object_object_add(report, "services",
			       fuzz_entries(doc, "services", scan_report_service));
	tds = json_object_new_array();
	if (json_object_is_type(doc, json_type_object) && jsonx_obj(doc, "taskDefinition") != NULL)
		json_object_array_add(tds, scan_report_taskdef(doc, NULL));
	json_object_object_add(report, "taskDefinitions", tds);
	json_object_object_add(report, "findings",
			       fuzz_entries(doc, "Findings", scan_report_finding));
	json_object_object_add(report, "errors", json_object_new_array());
	if (json_object_is_type(doc, json_type_object) && jsonx_array(doc, "Findings") != NULL &&
	    json_object_array_length(jsonx_array(doc, "Findings")) > 0)
		(void)scan_report_finding_control(
		    json_object_array_get_idx(jsonx_array(doc, "Findings"), 0), buf, sizeof buf);
	latest = jsonx_obj(doc, "latest");
	scan_report_finish(report, latest, (size & 1) ? "AccessDenied" : NULL);
	(void)scan_report_exit_code(report);
	null = fopen("/dev/null", "w");
	if (null != NULL) {
		scan_report_write_json(null, report);
		fclose(null);
	}
	json_object_put(report);
	json_object_put(doc);
	return 0;
}
