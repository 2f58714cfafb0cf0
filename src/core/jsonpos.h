/* jsonpos.h: a small JSON tokenizer that records where each value is (byte offsets and lines),
 * which json-c does not; lint uses it to report lines and to edit files byte for byte. */
#ifndef ECSFIX_CORE_JSONPOS_H
#define ECSFIX_CORE_JSONPOS_H

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
	size_t nchildren;
};

struct jsonpos_doc {
	struct jsonpos_node *nodes;
	size_t n, cap;
	const char *buf; /* borrowed */
	size_t len;
};

/* Tokenizes exactly one JSON value (RFC 8259, depth <= 64) in buf[0..len). Fails with a line
 * number on anything json-c's strict parser would also reject. */
int jsonpos_parse(const char *buf, size_t len, struct jsonpos_doc *doc, struct err *e);
void jsonpos_done(struct jsonpos_doc *doc);

/* The member value named key of object node obj (the last one if repeated, as json-c keeps),
 * or -1. */
int jsonpos_member(const struct jsonpos_doc *d, int obj, const char *key);
/* Element i of array node arr, or -1. */
int jsonpos_element(const struct jsonpos_doc *d, int arr, size_t i);
/* 1-based line of byte offset off. */
int jsonpos_line_of(const struct jsonpos_doc *d, size_t off);

#endif
