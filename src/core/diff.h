/* diff.h: line diff of two task-definition documents in the one stable pretty form (jsonx_pretty),
 * as unified text for the CLI and plans and as hunks the TUI colours. Pure: no I/O. */
#ifndef ECSFIX_CORE_DIFF_H
#define ECSFIX_CORE_DIFF_H

#include <json-c/json.h>
#include <stddef.h>

enum diff_kind {
	DIFF_CONTEXT = ' ',
	DIFF_DEL = '-',
	DIFF_ADD = '+',
};

struct diff_line {
	char kind;  /* enum diff_kind: ' ', '-' or '+' */
	char *text; /* owned, without the newline */
	int old_no; /* 1-based line in the old text, 0 for '+' */
	int new_no; /* 1-based line in the new text, 0 for '-' */
};

struct diff_hunk {
	int old_start, old_count; /* as in "@@ -old_start,old_count +new_start,new_count @@" */
	int new_start, new_count;
	size_t first; /* index of the hunk's first line in diff.lines */
	size_t count; /* lines in the hunk */
};

struct diff {
	struct diff_line *lines; /* the hunks' lines, hunk after hunk */
	size_t nlines;
	struct diff_hunk *hunks;
	size_t nhunks;
	size_t nadded, ndeleted; /* '+' and '-' lines in total */
};

#define DIFF_CONTEXT_DEFAULT 3

void diff_init(struct diff *d);
void diff_done(struct diff *d); /* frees; leaves d initialised */

/* Diffs two texts line by line (Myers, minimal), keeping context lines around each change;
 * close hunks merge. Equal texts give no hunks. */
void diff_texts(const char *old_text, const char *new_text, int context, struct diff *out);
/* Diffs jsonx_pretty(old_doc) and jsonx_pretty(new_doc). */
void diff_json(json_object *old_doc, json_object *new_doc, int context, struct diff *out);

/* Unified text: "--- <old_label>\n+++ <new_label>\n" then "@@ -a,b +c,d @@" hunks (labels such
 * as "a/web:7" and "b/web:new"); "" when there are no hunks. Caller frees. */
char *diff_unified(const struct diff *d, const char *old_label, const char *new_label);

#endif
