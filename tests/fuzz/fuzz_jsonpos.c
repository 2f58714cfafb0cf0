/* fuzz_jsonpos.c: the JSON position reader (core/jsonpos). Oracles: it accepts nothing that
 * json-c's strict parser (jsonx_parse) rejects (its contract; it may be stricter: a raw tab in
 * a string), and every node lies inside the buffer in
 * document order with consistent links. */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "core/jsonpos.h"
#include "fuzz.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/sanitize.h"

static void fuzz_jsonpos_check(const struct jsonpos_doc *d, size_t size)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct jsonpos_node *n = &d->nodes[i];

		if (n->start >= n->end || n->end > size || n->line < 1)
			abort();
		if (n->parent >= (int)i || (i > 0 && n->parent < 0))
			abort();
		if (n->key != NULL && (n->key_end <= n->key_start || n->key_end > n->start))
			abort();
		if (jsonpos_line_of(d, n->start) != n->line)
			abort();
		if (n->type == JSONPOS_OBJECT && n->key != NULL)
			(void)jsonpos_member(d, (int)i, n->key);
		if (n->type == JSONPOS_ARRAY && jsonpos_element(d, (int)i, n->nchildren) != -1)
			abort();
	}
}

static int fuzz_utf8_valid(const uint8_t *data, size_t size)
{
	unsigned long cp;
	size_t i = 0, n;

	while (i < size) {
		n = sanitize_utf8_decode(data + i, size - i, &cp);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonpos_doc d;
	json_object *o = NULL;
	struct err e, e2;
	int rc, rc2;

	err_clear(&e);
	err_clear(&e2);
	rc = jsonpos_parse((const char *)data, size, &d, &e);
	rc2 = jsonx_parse((const char *)data, size, &o, &e2);
	if (rc == 0) {
		fuzz_jsonpos_check(&d, size);
		jsonpos_done(&d);
	}
	json_object_put(o);
	/* jsonpos leaves UTF-8 validation to its callers (lint checks the whole file first):
	 * compare on valid UTF-8 only */
	if (rc == 0 && rc2 != 0 && fuzz_utf8_valid(data, size))
		abort(); /* jsonpos accepted what json-c's strict parser rejects */
	return 0;
}
