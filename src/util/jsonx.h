/* jsonx.h: json-c helpers: parsing with a clear error, typed getters, stable printing. */
#ifndef ECSFIX_UTIL_JSONX_H
#define ECSFIX_UTIL_JSONX_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

/* Parses exactly one JSON value from buf[0..len). Trailing non-space, truncation, a depth over
 * the limit or invalid UTF-8 fail with a message naming what and where (line:column). A
 * document that is just null succeeds with *out NULL (json-c's null).
 * On success *out is owned by the caller (json_object_put). */
int jsonx_parse(const char *buf, size_t len, json_object **out, struct err *e);

/* Borrowed lookups; NULL/0/def when missing or of another type. */
const char *jsonx_str(json_object *obj, const char *key);
json_object *jsonx_obj(json_object *obj, const char *key);   /* type object */
json_object *jsonx_array(json_object *obj, const char *key); /* type array */
int64_t jsonx_int(json_object *obj, const char *key, int64_t def);
/* 1 true, 0 false, -1 missing or not a boolean */
int jsonx_bool(json_object *obj, const char *key);

/* The one stable pretty form used for diffs, plans and output: 2-space indent, "key": value,
 * no escaped slashes, trailing newline; always valid UTF-8 with DEL, C1 controls and bidi
 * overrides escaped (sanitize_json_append). Caller frees. */
char *jsonx_pretty(json_object *obj);
/* Compact form, no escaped slashes, sanitized like jsonx_pretty. Caller frees. */
char *jsonx_compact(json_object *obj);
/* Deep copy (owned by the caller). */
json_object *jsonx_clone(json_object *obj);
/* Deep equality with object keys compared as sets (order-insensitive), arrays in order. */
int jsonx_equal(json_object *a, json_object *b);

#endif
