/* fuzz_lint.c: lint and --fix on a buffer (core/lint). The first byte picks the options (fix,
 * --user, --network-mode, the controls, strict JSON) and the file name (JSON, YAML, Terraform,
 * Jsonnet); the rest is the file. Oracles: what --fix writes lints without
 * error, and fixing it again changes nothing more. */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/lint.h"
#include "core/rules.h"
#include "fuzz.h"
#include "util/jsonx.h"

/* Bits 5-6 of the option byte: the file name guiding the reader. */
static const char *const fuzz_lint_names[] = {NULL, "template.yaml", "main.tf", "td.jsonnet"};

static void fuzz_lint_reports(const struct lint_report *r, const struct lint_options *o)
{
	json_object *j = lint_reports_json(r, 1, o);
	char *s = jsonx_compact(j);

	free(s);
	json_object_put(j);
	j = lint_reports_sarif(r, 1, o);
	s = jsonx_compact(j);
	free(s);
	json_object_put(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint_options o;
	struct lint_report r, r2;
	char *fixed = NULL, *fixed2 = NULL;
	size_t fixed_len = 0, fixed2_len = 0;
	const char *name;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	memset(&o, 0, sizeof o);
	o.controls = (sel & 8) ? rules_all_mask() : rules_default_mask();
	o.fix = sel & 1;
	o.user = (sel & 2) ? "1000" : NULL;
	o.network_mode = (enum transform_network)((sel >> 2) & 1   ? TRANSFORM_NET_AWSVPC
						  : (sel >> 4) & 1 ? TRANSFORM_NET_BRIDGE
								   : TRANSFORM_NET_KEEP);
	o.strict_json = (sel >> 7) & 1;
	name = fuzz_lint_names[(sel >> 5) & 3];
	lint_report_init(&r);
	if (lint_buffer_named(name, (const char *)data + 1, size - 1, &o, &r, &fixed, &fixed_len) ==
		0 &&
	    fixed != NULL) {
		lint_report_init(&r2);
		/* what --fix wrote is a valid file again, and a second --fix is a no-op */
		if (lint_buffer_named(name, fixed, fixed_len, &o, &r2, &fixed2, &fixed2_len) != 0)
			abort();
		if (fixed2 != NULL &&
		    (fixed2_len != fixed_len || memcmp(fixed2, fixed, fixed_len) != 0))
			abort();
		free(fixed2);
		lint_report_done(&r2);
	}
	fuzz_lint_reports(&r, &o);
	free(fixed);
	lint_report_done(&r);
	return 0;
}
