/* xml.h: the little XML AWS query services answer with (STS), converted to JSON. */
#ifndef ECSFIX_AWS_XML_H
#define ECSFIX_AWS_XML_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

/* Converts an XML document of elements and text (attributes, comments, processing
 * instructions and namespaces are ignored) to JSON: an element with only text becomes a
 * string, one with children an object; repeated names and <member> children become
 * arrays. E.g. <A><B>x</B></A> -> {"A":{"B":"x"}}. *out is the caller's. Malformed input
 * fails with a message. */
int xml_to_json(const char *buf, size_t len, json_object **out, struct err *e);

/* The decoded text of the first element named name anywhere in buf, or NULL. Tolerates
 * truncated and malformed documents. Caller frees. */
char *xml_find_text(const char *buf, size_t len, const char *name);

#endif
