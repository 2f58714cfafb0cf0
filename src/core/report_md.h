/* report_md.h: Markdown for people outside the tool: the message to the owner of a task
 * definition about a plan ('ecsfix plan --format markdown', the TUI's key m), and a scan
 * grouped by owner ('ecsfix scan --output markdown [--group-by owner]'). Pure: no I/O.
 * Text from the account is escaped so it cannot change the document's structure. */
#ifndef ECSFIX_CORE_REPORT_MD_H
#define ECSFIX_CORE_REPORT_MD_H

#include <json-c/json.h>

struct plan;
struct owner_keys;
struct strbuf;

/*
 * The message about plan p: title, owner (from the revision's tags with keys, NULL: the
 * default keys), account and region, the services and whether each moves, the failing
 * controls with one plain paragraph on why they matter, the diff, the notes, the question
 * for the owner, and the exact commands (and TUI keys) to apply it, or to record an
 * exception instead. Caller frees.
 */
char *report_md_plan(const struct plan *p, const struct owner_keys *keys);

/*
 * A finished scan report (with "owner" on services and task definitions) as Markdown: a
 * summary, then services and the failing revisions no service runs; with group_by_owner one
 * section per owner (failing, unknown and excepted entries; owners with failures first),
 * entries without an owner last. Caller frees.
 */
char *report_md_scan(json_object *report, int group_by_owner);

/* Appends s as running text: Markdown punctuation backslash-escaped, control characters and
 * newlines as spaces. */
void report_md_text(struct strbuf *sb, const char *s);
/* Appends s as an inline code span (backticks around it longer than any run inside). */
void report_md_code(struct strbuf *sb, const char *s);

#endif
