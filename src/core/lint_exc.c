/* lint_exc.c: exceptions for 'ecsfix lint' from .ecsfix.json at the repository root. */
#include "config.h"

#include "core/lint_exc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/lint.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

/* The .ecsfix.json that governs path, or NULL (caller frees). */
static char *lint_exc_find(const char *path)
{
	char *dir = realpath(path, NULL), *slash;
	struct stat st;

	if (dir == NULL)
		return NULL;
	while ((slash = strrchr(dir, '/')) != NULL) {
		char *cand, *git;

		*slash = '\0';
		cand = xasprintf("%s/.ecsfix.json", dir);
		git = xasprintf("%s/.git", dir);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			free(git);
			free(dir);
			return cand;
		}
		free(cand);
		if (stat(git, &st) == 0 || dir[0] == '\0') {
			free(git);
			break;
		}
		free(git);
	}
	free(dir);
	return NULL;
}

static int lint_exc_control(json_object *ex, const char *control)
{
	json_object *cs = jsonx_array(ex, "controls");
	size_t i;

	if (cs == NULL)
		return json_object_object_get(ex, "controls") == NULL;
	for (i = 0; i < json_object_array_length(cs); i++)
		if (strcasecmp(json_object_get_string(json_object_array_get_idx(cs, i)), control) ==
		    0)
			return 1;
	return 0;
}

static void lint_exc_note(struct lint_report *r, char *s_take)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		if (strcmp(r->notes[i], s_take) == 0) {
			free(s_take);
			return;
		}
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = s_take;
}

void lint_exc_apply(const char *path, const struct lint_options *o, struct lint_report *r)
{
	char *file, *buf = NULL, today[16];
	size_t len, i, k;
	json_object *doc = NULL, *list;
	struct err e;
	time_t now = time(NULL);
	struct tm tm;

	if (o->no_exceptions || r->nfindings == 0 || (file = lint_exc_find(path)) == NULL)
		return;
	err_clear(&e);
	if (file_read_all(file, 1 << 20, &buf, &len, &e) || jsonx_parse(buf, len, &doc, &e) ||
	    (list = jsonx_array(doc, "exceptions")) == NULL) {
		lint_exc_note(r, xasprintf("%s: no exceptions applied: %s", file,
					   e.msg[0] ? e.msg : "expected {\"exceptions\": [...]}"));
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	for (i = 0; i < r->nfindings; i++) {
		struct lint_finding *f = &r->findings[i];

		if (f->status != LINT_FAILED)
			continue;
		for (k = 0; k < json_object_array_length(list); k++) {
			json_object *ex = json_object_array_get_idx(list, k);
			const char *fam = jsonx_str(ex, "family"), *cn = jsonx_str(ex, "container");
			const char *until = jsonx_str(ex, "until"),
				   *reason = jsonx_str(ex, "reason");

			if (!json_object_is_type(ex, json_type_object) ||
			    (fam == NULL && cn == NULL))
				continue;
			if (fam != NULL && (f->family == NULL || strcmp(fam, f->family) != 0))
				continue;
			if (cn != NULL && (f->container == NULL || strcmp(cn, f->container) != 0))
				continue;
			if (!lint_exc_control(ex, f->control))
				continue;
			free(f->exc_reason);
			free(f->exc_until);
			free(f->exc_by);
			f->exc_by = jsonx_str(ex, "approvedBy") != NULL
					? xstrdup(jsonx_str(ex, "approvedBy"))
					: NULL;
			f->exc_reason = xstrdup(reason != NULL ? reason : "(no reason given)");
			f->exc_until = until != NULL ? xstrdup(until) : NULL;
			if (until != NULL && strcmp(until, today) < 0) {
				f->exc_expired = 1;
				lint_exc_note(
				    r, xasprintf("%s: the exception for %s %s expired on %s: "
						 "it fails again",
						 file, f->control, cn != NULL ? cn : fam, until));
			} else {
				f->status = LINT_EXCEPTED;
				f->decides = 0;
			}
			break;
		}
	}
out:
	json_object_put(doc);
	free(buf);
	free(file);
}
