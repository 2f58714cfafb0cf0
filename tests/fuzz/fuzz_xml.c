/* fuzz_xml.c: the XML reader for AWS query answers (aws/xml): conversion to JSON and the
 * tolerant text finder used on error bodies. */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "aws/xml.h"
#include "fuzz.h"
#include "util/err.h"
#include "util/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *o = NULL;
	struct err e;
	char *s;

	err_clear(&e);
	if (xml_to_json((const char *)data, size, &o, &e) == 0) {
		s = jsonx_compact(o);
		free(s);
		json_object_put(o);
	}
	free(xml_find_text((const char *)data, size, "Code"));
	free(xml_find_text((const char *)data, size, "Message"));
	return 0;
}
