/* fuzz_plan.c: the plan loader (core/plan: a plan file's JSON checked and turned into a plan),
 * then the text shown before "type yes". */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "core/plan.h"
#include "fuzz.h"
#include "util/err.h"
#include "util/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *doc = NULL;
	struct plan *p = NULL;
	struct err e;
	char *text;

	err_clear(&e);
	if (jsonx_parse((const char *)data, size, &doc, &e) != 0)
		return 0;
	if (plan_from_json_take(doc, &p, &e) != 0)
		return 0;
	plan_has_changes(p);
	text = plan_format_text(p, 0);
	free(text);
	text = plan_format_text(p, 1);
	free(text);
	plan_free(p);
	return 0;
}
