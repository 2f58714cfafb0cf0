/* jsonpos.h: a small JSON tokenizer that records where each value is (byte offsets and lines),
 * which json-c does not; lint uses it to report lines and to edit files byte for byte. */
#ifndef ECSFIX_CORE_JSONPOS_H
#define ECSFIX_CORE_JSONPOS_H

#include <json-c/json.h>
#include <stddef.h>

struct err;

enum jsonpos_type {
	JSONPOS_OBJECT,
	JSONPOS_ARRAY,
	JSONPOS_STRING,
	JSONPOS_NUMBER,
	JSONPOS_TRUE,
	JSONPOS_FALSE,
	JSONPOS_NULL,
};

/* One value. Nodes are stored in document order; index 0 is the root. */
struct jsonpos_node {
	enum jsonpos_type type;
	size_t start, end;         /* the value's bytes [start, end) (strings with quotes) */
	int line;                  /* 1-based line of start */
	size_t key_start, key_end; /* object member: its key token with quotes; else 0, 0 */
	int key_line;              /* object member: 1-based line of the key; else 0 */
	char *key;                 /* object member: the decoded key (owned); else NULL */
	int parent;                /* -1 for the root */
	int first_child, next;     /* -1 when none */
	int last_child;            /* -1 when none */
	size_t nchildren;
	/* Trees built by other readers (YAML, HCL) over the same buffer: */
	char *str;     /* decoded scalar (strings, numbers), owned; NULL: decode the JSON bytes */
	char *unknown; /* owned; non-NULL: the value is not known here (an intrinsic function, a
			  placeholder, a variable), and this says what it is */
	int block;     /* YAML: a block-style collection (else flow/JSON); a plain scalar */
	int quote;     /* the scalar's quote character in the file ('"', '\'', 0 for none) */
};

struct jsonpos_doc {
	struct jsonpos_node *nodes;
	size_t n, cap;
	const char *buf; /* borrowed */
	size_t len;
	size_t err_pos;       /* after a failed jsonpos_parse: the byte where it failed */
	const char *err_what; /* and what was wrong there (static text) */
};

/* Tokenizes exactly one JSON value (RFC 8259, depth <= 64) in buf[0..len). Fails with a line
 * number on anything json-c's strict parser would also reject. */
int jsonpos_parse(const char *buf, size_t len, struct jsonpos_doc *doc, struct err *e);
void jsonpos_done(struct jsonpos_doc *doc);

/* Appends a node of type t at [start, end) as the last child of parent (-1: a root); its index.
 * Pointers into d->nodes are invalidated. */
int jsonpos_add(struct jsonpos_doc *d, int parent, enum jsonpos_type t, size_t start, size_t end,
		int line);
/* Copies the tree of src rooted at node from (positions shifted by off and lines by line_off)
 * under parent in d, with key (copied, may be NULL) and key position; the new node's index. */
int jsonpos_graft(struct jsonpos_doc *d, int parent, const struct jsonpos_doc *src, int from,
		  size_t off, int line_off);
/* The json-c value of node i (owned by the caller): unknown values other than strings become
 * the string JSONPOS_UNKNOWN_VALUE; a repeated key keeps the last value. */
json_object *jsonpos_to_json(const struct jsonpos_doc *d, int i);
#define JSONPOS_UNKNOWN_VALUE "\001unknown"
/* The decoded text of a string or number node (owned by the caller). */
char *jsonpos_text(const struct jsonpos_doc *d, int i);
/* A member repeated in an object: 0 and the nodes of the first pair found, else -1. */
int jsonpos_find_duplicate(const struct jsonpos_doc *d, int *first, int *second);

/* The member value named key of object node obj (the last one if repeated, as json-c keeps),
 * or -1. */
int jsonpos_member(const struct jsonpos_doc *d, int obj, const char *key);
/* Element i of array node arr, or -1. */
int jsonpos_element(const struct jsonpos_doc *d, int arr, size_t i);
/* Offset of the first byte of s[0..len) that is not UTF-8 (RFC 3629: no overlong forms,
 * surrogates or code points over U+10FFFF), or len. */
size_t jsonpos_utf8_bad(const char *s, size_t len);
/* 1-based line of byte offset off. */
int jsonpos_line_of(const struct jsonpos_doc *d, size_t off);

#endif
