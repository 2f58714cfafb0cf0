/* jsonx.c: json-c helpers: parsing with a clear error, typed getters, stable printing. */
#include "config.h"

#include "util/jsonx.h"

#include <string.h>

#include "util/err.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define JSONX_MAX_DEPTH 64

static void jsonx_position(const char *buf, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

int jsonx_parse(const char *buf, size_t len, json_object **out, struct err *e)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *obj;
	size_t off;
	int line, col;

	*out = NULL;
	if (len > (size_t)INT32_MAX)
		return err_set(e, "JSON document too large (%zu bytes)", len);
	off = 0;
	while (off < len && strchr(" \t\r\n", buf[off]) != NULL)
		off++;
	if (off == len)
		return err_set(e, "empty document where JSON was expected");
	tok = json_tokener_new_ex(JSONX_MAX_DEPTH);
	if (tok == NULL)
		fatal("out of memory creating a JSON parser");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* a number or literal at the very end ("1", "null") waits for a delimiter: the
		 * end of the text is one (a NUL ends the value; a truncated document still fails)
		 */
		size_t used = off;

		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		off = used;
		if (jerr != json_tokener_success)
			jerr = json_tokener_continue;
	}
	if (jerr == json_tokener_continue) {
		json_tokener_free(tok);
		return err_set(e, "JSON ends too early (truncated after %zu bytes)", len);
	}
	if (jerr != json_tokener_success) {
		jsonx_position(buf, off, &line, &col);
		err_set(e, "invalid JSON at line %d column %d: %s", line, col,
			json_tokener_error_desc(jerr));
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	while (off < len && strchr(" \t\r\n", buf[off]) != NULL)
		off++;
	if (off < len) {
		json_object_put(obj);
		jsonx_position(buf, off, &line, &col);
		return err_set(e, "invalid JSON at line %d column %d: text after the document",
			       line, col);
	}
	*out = obj;
	return 0;
}

const char *jsonx_str(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

json_object *jsonx_obj(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

json_object *jsonx_array(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

int64_t jsonx_int(json_object *obj, const char *key, int64_t def)
{
	json_object *v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return def;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_double))
		return (int64_t)json_object_get_double(v);
	return def;
}

int jsonx_bool(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_boolean))
		return -1;
	return json_object_get_boolean(v) ? 1 : 0;
}

/* json-c writes strings byte for byte (DEL, C1 controls and invalid UTF-8 included): every
 * JSON text we produce goes through sanitize_json_append. */
static char *jsonx_finish(const char *s, const char *tail)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize_json_append(&sb, s, strlen(s));
	strbuf_puts(&sb, tail);
	return strbuf_take(&sb);
}

char *jsonx_pretty(json_object *obj)
{
	return jsonx_finish(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
								    JSON_C_TO_STRING_SPACED |
								    JSON_C_TO_STRING_NOSLASHESCAPE),
			    "\n");
}

char *jsonx_compact(json_object *obj)
{
	return jsonx_finish(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE),
			    "");
}

json_object *jsonx_clone(json_object *obj)
{
	json_object *copy = NULL;

	if (obj == NULL)
		return NULL;
	if (json_object_deep_copy(obj, &copy, NULL) != 0)
		fatal("out of memory copying a JSON document");
	return copy;
}

int jsonx_equal(json_object *a, json_object *b)
{
	return json_object_equal(a, b) != 0;
}
