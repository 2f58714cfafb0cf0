/* cmd_scan.c: the 'scan' command: the account scan as a table or JSON; exit 0/1/2. */
#include "config.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <wchar.h>

#include "aws/client.h"
#include "cli/cli.h"
#include "core/cache.h"
#include "core/owner.h"
#include "core/report_md.h"
#include "core/rules.h"
#include "core/scan.h"
#include "core/scan_report.h"
#include "core/session.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/trace.h"
#include "util/xmalloc.h"

enum {
	SCAN_OPT_CLUSTER = 2000,
	SCAN_OPT_ALL_FAMILIES,
	SCAN_OPT_CONTROLS,
	SCAN_OPT_OUTPUT,
	SCAN_OPT_NO_FINDINGS,
	SCAN_OPT_WIDE,
	SCAN_OPT_NO_CACHE,
	SCAN_OPT_TAGS_MAX_AGE,
	SCAN_OPT_GROUP_BY, /* owners (issue 14) */
	SCAN_OPT_OWNER_TAGS,
	SCAN_OPT_TIMEOUT,
};

enum scan_output { SCAN_OUTPUT_TABLE, SCAN_OUTPUT_JSON, SCAN_OUTPUT_MARKDOWN };

struct cmd_scan_args {
	const char **clusters;
	size_t nclusters;
	int all_families;
	int no_findings;
	int wide;
	int no_cache;
	long tags_max_age;
	unsigned controls;
	enum scan_output output;
	int group_by_owner;
	const char *owner_tags;
	double timeout; /* --timeout seconds; 0: none */
};

/* Set by SIGINT (1) or the --timeout alarm (2); read by the AWS client, which stops the
 * transfers and waits under way. The one signal-handler global. */
static volatile sig_atomic_t cmd_scan_cancel;

static void cmd_scan_on_sigint(int sig)
{
	cmd_scan_cancel = sig == SIGALRM ? 2 : 1;
}

/* Arms (seconds > 0) or disarms (0) the --timeout alarm. */
static void cmd_scan_alarm(double seconds)
{
	struct itimerval it;

	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int cmd_scan_timed_out(double seconds)
{
	return cli_errorf("scan: no complete answer within %g s (--timeout): check the endpoint "
			  "and the network, or give more time",
			  seconds);
}

static int cmd_scan_option(void *ctx, int opt, const char *arg)
{
	struct cmd_scan_args *a = ctx;
	struct err e;

	switch (opt) {
	case SCAN_OPT_CLUSTER:
		if (arg[0] == '\0') {
			cli_errorf("scan: --cluster needs a cluster name or ARN");
			return -1;
		}
		a->clusters = xreallocarray(a->clusters, a->nclusters + 1, sizeof *a->clusters);
		a->clusters[a->nclusters++] = arg;
		return 0;
	case SCAN_OPT_ALL_FAMILIES:
		a->all_families = 1;
		return 0;
	case SCAN_OPT_NO_FINDINGS:
		a->no_findings = 1;
		return 0;
	case SCAN_OPT_WIDE:
		a->wide = 1;
		return 0;
	case SCAN_OPT_NO_CACHE:
		a->no_cache = 1;
		return 0;
	case SCAN_OPT_TAGS_MAX_AGE: {
		char *end;
		long v = strtol(arg, &end, 10);

		if (end == arg || v < 0 || v > 100000000 ||
		    (strcmp(end, "") != 0 && strcmp(end, "s") != 0 && strcmp(end, "m") != 0 &&
		     strcmp(end, "h") != 0)) {
			cli_errorf("scan: --tags-max-age '%s': expected seconds, or a number with "
				   "s, m or h",
				   arg);
			return -1;
		}
		a->tags_max_age = v * (*end == 'm' ? 60 : *end == 'h' ? 3600 : 1);
		return 0;
	}
	case SCAN_OPT_CONTROLS:
		err_clear(&e);
		if (rules_parse_controls(arg, &a->controls, &e) != 0) {
			cli_error(&e);
			return -1;
		}
		return 0;
	case SCAN_OPT_TIMEOUT: {
		char *end;

		a->timeout = strtod(arg, &end);
		if (end == arg || *end != '\0' || !(a->timeout > 0) || a->timeout > 86400) {
			cli_errorf("scan: --timeout: \"%s\" is not a number of seconds", arg);
			return -1;
		}
		return 0;
	}
	case 'o':
	case SCAN_OPT_OUTPUT:
		if (strcmp(arg, "table") == 0)
			a->output = SCAN_OUTPUT_TABLE;
		else if (strcmp(arg, "json") == 0)
			a->output = SCAN_OUTPUT_JSON;
		else if (strcmp(arg, "markdown") == 0)
			a->output = SCAN_OUTPUT_MARKDOWN;
		else {
			cli_errorf("scan: unknown output format '%s' (use table, json or markdown)",
				   arg);
			return -1;
		}
		return 0;
	case SCAN_OPT_GROUP_BY:
		if (strcmp(arg, "owner") != 0) {
			cli_errorf("scan: --group-by: '%s' is not a grouping (use owner)", arg);
			return -1;
		}
		a->group_by_owner = 1;
		return 0;
	case SCAN_OPT_OWNER_TAGS:
		a->owner_tags = arg;
		return 0;
	default:
		return -1;
	}
}

/* ---- progress on a TTY ---- */

struct cmd_scan_progress {
	FILE *fp;
	int tty;   /* a bar on fp */
	int shown; /* the bar is on the screen */
	size_t targets, targets_done;
};

static void cmd_scan_progress_cb(void *ctx, const char *what, size_t done, size_t total)
{
	struct cmd_scan_progress *p = ctx;
	char bar[31];
	size_t fill = total > 0 ? done * (sizeof bar - 1) / total : 0, i;

	if (strcmp(what, "done") == 0) {
		if (p->shown)
			fputs("\r\033[K", p->fp);
		p->shown = 0;
		fflush(p->fp);
		return;
	}
	if (!p->tty)
		return;
	for (i = 0; i < sizeof bar - 1; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[sizeof bar - 1] = '\0';
	fprintf(p->fp, "\r\033[Kscanning %-16s [%s] %zu/%zu calls", what, bar, done, total);
	if (p->targets > 1)
		fprintf(p->fp, ", targets %zu/%zu", p->targets_done, p->targets);
	fflush(p->fp);
	p->shown = 1;
}

/* One line on stderr per finished target (several targets only). */
static void cmd_scan_target_cb(void *ctx, const struct scan_target_status *t)
{
	struct cmd_scan_progress *p = ctx;

	p->targets = t->ntargets;
	p->targets_done = t->done_targets;
	if (t->ntargets < 2)
		return;
	if (p->shown)
		fputs("\r\033[K", p->fp);
	p->shown = 0;
	fprintf(p->fp, "ecsfix: [%zu/%zu] %s %s%s%s: %s%s%s\n", t->done_targets, t->ntargets,
		t->account_id != NULL ? t->account_id : "(account unknown)", t->region,
		t->role_arn != NULL ? " as " : "", t->role_arn != NULL ? t->role_arn : "",
		t->status, t->reason != NULL ? ": " : "", t->reason != NULL ? t->reason : "");
	fflush(p->fp);
}

/* The width to fit the table in: the terminal's, else COLUMNS, else no limit. */
static size_t cmd_scan_columns(FILE *fp)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	long v;

	if (isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env != NULL && *env != '\0') {
		v = strtol(env, &end, 10);
		if (*end == '\0' && v >= 20 && v < 10000)
			return (size_t)v;
	}
	return 0;
}

/* ---- the revision cache ---- */

static json_object *cmd_scan_cache_get(void *ctx, const char *arn, int *tags_stale)
{
	return cache_get(ctx, arn, tags_stale);
}

static void cmd_scan_cache_put(void *ctx, const char *arn, json_object *resp, int tags_only)
{
	cache_put(ctx, arn, resp, tags_only);
}

/* The endpoint when it is not AWS's own: an emulator's answers are cached apart. */
static const char *cmd_scan_cache_scope(struct aws_client *c)
{
	const char *ep = aws_client_endpoint(c, AWS_SVC_ECS);
	size_t n = strlen(ep);

	if ((n > 14 && strcmp(ep + n - 14, ".amazonaws.com") == 0) ||
	    (n > 17 && strcmp(ep + n - 17, ".amazonaws.com.cn") == 0))
		return NULL;
	return ep;
}

/* Saves the cache; its warnings (an ignored file, a failed write) go to stderr. */
static void cmd_scan_cache_done(struct cache *c)
{
	struct err e;
	size_t i;

	if (c == NULL)
		return;
	err_clear(&e);
	if (cache_save(c, &e) != 0)
		fprintf(stderr, "ecsfix: warning: revision cache not saved: %s\n", e.msg);
	for (i = 0; i < cache_nwarnings(c); i++)
		fprintf(stderr, "ecsfix: warning: %s\n", cache_warning(c, i));
}

/* ---- the table ---- */

enum cmd_scan_role {
	ROLE_NONE,
	ROLE_FAILED,
	ROLE_UNKNOWN,
	ROLE_PASSED,
	ROLE_DIM,
	ROLE_BOLD,
	ROLE_EXCEPTED
};

/* Semantic colour roles, never raw colours in the code below. */
static const char *const cmd_scan_role_sgr[] = {
    [ROLE_NONE] = "",
    [ROLE_FAILED] = "\033[31m",
    [ROLE_UNKNOWN] = "\033[33m",
    [ROLE_PASSED] = "\033[32m",
    [ROLE_DIM] = "\033[2m",
    [ROLE_BOLD] = "\033[1m",
    [ROLE_EXCEPTED] = "\033[36m",
};

static enum cmd_scan_role cmd_scan_status_role(const char *status)
{
	if (status == NULL)
		return ROLE_NONE;
	if (strcmp(status, "FAILED") == 0)
		return ROLE_FAILED;
	if (strcmp(status, "UNKNOWN") == 0)
		return ROLE_UNKNOWN;
	if (strcmp(status, "PASSED") == 0)
		return ROLE_PASSED;
	if (strcmp(status, "EXCEPTED") == 0)
		return ROLE_EXCEPTED;
	return ROLE_NONE;
}

/* Display width of a UTF-8 string (wcwidth per character; invalid bytes count 1). */
static size_t cmd_scan_width(const char *s)
{
	mbstate_t st;
	size_t w = 0, len = strlen(s), k;
	wchar_t wc;

	memset(&st, 0, sizeof st);
	while (len > 0) {
		k = mbrtowc(&wc, s, len, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			w++;
			s++;
			len--;
			continue;
		}
		if (k == 0)
			break;
		{
			int cw = wcwidth(wc);

			w += cw > 0 ? (size_t)cw : 0;
		}
		s += k;
		len -= k;
	}
	return w;
}

/* The table's columns, in display order; the lower the priority number, the longer a
 * column stays when the terminal is narrow (--wide keeps them all). */
enum cmd_scan_col {
	COL_STATUS,
	COL_ACCOUNT,
	COL_REGION,
	COL_CLUSTER,
	COL_SERVICE,
	COL_REVISION,
	COL_LAUNCH,
	COL_TASKS,
	COL_NET,
	COL_PRIV,
	COL_USER,
	COL_FAILING,
	COL_FINDINGS,
	COL_OWNER,
	CMD_SCAN_NCOLS
};

static const struct {
	const char *head;
	int priority;
	int shrink; /* may be cut (with "~") when even the first columns do not fit */
} cmd_scan_cols[CMD_SCAN_NCOLS] = {
    [COL_STATUS] = {"STATUS", 0, 0},     [COL_ACCOUNT] = {"ACCOUNT", 1, 0},
    [COL_REGION] = {"REGION", 1, 0},     [COL_CLUSTER] = {"CLUSTER", 2, 1},
    [COL_SERVICE] = {"SERVICE", 0, 1},   [COL_REVISION] = {"REVISION", 3, 1},
    [COL_LAUNCH] = {"LAUNCH", 8, 0},     [COL_TASKS] = {"TASKS", 7, 0},
    [COL_NET] = {"NET", 5, 0},           [COL_PRIV] = {"PRIV", 4, 0},
    [COL_USER] = {"USER", 5, 0},         [COL_FAILING] = {"FAILING", 0, 1},
    [COL_FINDINGS] = {"FINDINGS", 6, 1}, [COL_OWNER] = {"OWNER", 3, 1},
};

struct cmd_scan_row {
	char *cell[CMD_SCAN_NCOLS];
	enum cmd_scan_role role; /* of the status cell */
	json_object *svc;        /* borrowed: notes and unknown under it */
};

static json_object *cmd_scan_index(json_object *arr, const char *key)
{
	json_object *m = json_object_new_object();
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *k = jsonx_str(o, key);

		if (k != NULL)
			json_object_object_add(m, k, json_object_get(o));
	}
	return m;
}

static json_object *cmd_scan_get(json_object *map, const char *key)
{
	json_object *v = NULL;

	if (key == NULL || !json_object_object_get_ex(map, key, &v))
		return NULL;
	return v;
}

/* The buffer's text (caller frees); sb is released. */
static char *cmd_scan_take(struct strbuf *sb)
{
	char *s = strbuf_take(sb);

	strbuf_done(sb);
	return s;
}

static char *cmd_scan_join_strings(json_object *arr, const char *sep)
{
	struct strbuf sb;
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_puts(&sb, sep);
		strbuf_puts(&sb, json_object_get_string(json_object_array_get_idx(arr, i)));
	}
	if (sb.len == 0)
		strbuf_puts(&sb, "-");
	return cmd_scan_take(&sb);
}

/* The flag of a control for a revision: "yes" when a container fails it, "no" when none
 * does, "?" when the revision is unknown. */
static char *cmd_scan_flag(json_object *td, const char *control, const char *yes)
{
	json_object *checks = jsonx_array(td, "checks");
	size_t i, n = checks != NULL ? json_object_array_length(checks) : 0;

	if (td == NULL || jsonx_str(td, "unknown") != NULL)
		return xstrdup("?");
	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *cc = jsonx_str(c, "control"), *st = jsonx_str(c, "status");

		if (cc != NULL && st != NULL && strcmp(cc, control) == 0 &&
		    strcmp(st, "FAILED") == 0)
			return xstrdup(yes);
	}
	return xstrdup("-");
}

/* 1 when the space-separated list has word. */
static int cmd_scan_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* "ECS.4:FAILED ECS.17:PASSED" for the findings joined to a service, or "-"/"?". */
static char *cmd_scan_findings_cell(json_object *svc, json_object *fmap, int unknown)
{
	json_object *ids = jsonx_array(svc, "findings");
	size_t i, n = ids != NULL ? json_object_array_length(ids) : 0;
	struct strbuf sb;
	char item[96];

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		json_object *f =
		    cmd_scan_get(fmap, json_object_get_string(json_object_array_get_idx(ids, i)));

		if (f == NULL)
			continue;
		/* one per control and status (per-standard findings repeat the consolidated) */
		snprintf(item, sizeof item, "%s:%s", jsonx_str(f, "control"),
			 jsonx_str(f, "status") != NULL ? jsonx_str(f, "status") : "?");
		if (cmd_scan_has_word(sb.buf, item))
			continue;
		strbuf_printf(&sb, "%s%s:%s", sb.len > 0 ? " " : "", jsonx_str(f, "control"),
			      jsonx_str(f, "status") != NULL ? jsonx_str(f, "status") : "?");
	}
	if (sb.len == 0)
		strbuf_puts(&sb, unknown ? "?" : "-");
	return cmd_scan_take(&sb);
}

/* "name (id)" when the targets name the account (the organization's names), else the id. */
static char *cmd_scan_account_cell(json_object *names, const char *id)
{
	const char *name = id != NULL ? jsonx_str(names, id) : NULL;

	if (id == NULL)
		return xstrdup("?");
	return name != NULL ? xasprintf("%s (%s)", name, id) : xstrdup(id);
}

static void cmd_scan_row_fill(struct cmd_scan_row *r, json_object *svc, json_object *tdmap,
			      json_object *fmap, json_object *names, int findings_unknown)
{
	const char *tdarn = jsonx_str(svc, "taskDefinition");
	json_object *td = cmd_scan_get(tdmap, tdarn);
	const char *slash = tdarn != NULL ? strrchr(tdarn, '/') : NULL;
	const char *status = jsonx_str(svc, "status");
	const char *net = jsonx_str(td, "networkMode");
	r->svc = svc;
	r->role = cmd_scan_status_role(status);
	r->cell[COL_STATUS] = xstrdup(status != NULL ? status : "?");
	r->cell[COL_ACCOUNT] = cmd_scan_account_cell(names, jsonx_str(svc, "accountId"));
	r->cell[COL_REGION] =
	    xstrdup(jsonx_str(svc, "region") != NULL ? jsonx_str(svc, "region") : "?");
	r->cell[COL_CLUSTER] =
	    xstrdup(jsonx_str(svc, "cluster") != NULL ? jsonx_str(svc, "cluster") : "?");
	r->cell[COL_SERVICE] =
	    xstrdup(jsonx_str(svc, "name") != NULL ? jsonx_str(svc, "name") : "?");
	r->cell[COL_REVISION] = xstrdup(slash != NULL ? slash + 1 : tdarn != NULL ? tdarn : "?");
	r->cell[COL_LAUNCH] =
	    xstrdup(jsonx_str(svc, "launchType") != NULL ? jsonx_str(svc, "launchType") : "-");
	if (json_object_get_type(cmd_scan_get(svc, "desiredCount")) == json_type_int)
		r->cell[COL_TASKS] =
		    xasprintf("%lld/%lld", (long long)jsonx_int(svc, "runningCount", 0),
			      (long long)jsonx_int(svc, "desiredCount", 0));
	else
		r->cell[COL_TASKS] = xstrdup("?");
	r->cell[COL_NET] = xstrdup(net != NULL ? net : td != NULL ? "bridge" : "?");
	r->cell[COL_PRIV] = cmd_scan_flag(td, "ECS.4", "yes");
	r->cell[COL_USER] = cmd_scan_flag(td, "ECS.20", "root");
	r->cell[COL_FAILING] = cmd_scan_join_strings(jsonx_array(svc, "failing"), ",");
	r->cell[COL_FINDINGS] = cmd_scan_findings_cell(svc, fmap, findings_unknown);
	r->cell[COL_OWNER] = xstrdup(owner_name_of(svc) != NULL ? owner_name_of(svc) : "-");
}

/* Writes s in at most width columns (cut with "~" when longer), padded unless last. */
static void cmd_scan_put_cell(FILE *fp, const char *s, size_t width, int last, const char *sgr,
			      int color)
{
	size_t w = cmd_scan_width(s);
	char *cut = NULL;

	if (w > width) {
		/* keep whole characters within width - 1 columns, then the mark */
		mbstate_t st;
		size_t len = strlen(s), k, used = 0, off = 0;
		wchar_t wc;

		memset(&st, 0, sizeof st);
		while (off < len) {
			int cw;

			k = mbrtowc(&wc, s + off, len - off, &st);
			if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
				k = 1;
				cw = 1;
				memset(&st, 0, sizeof st);
			} else {
				cw = wcwidth(wc) > 0 ? wcwidth(wc) : 0;
			}
			if (used + (size_t)cw + 1 > width)
				break;
			used += (size_t)cw;
			off += k;
		}
		cut = xasprintf("%.*s~", (int)off, s);
		s = cut;
		w = used + 1;
	}
	if (color && sgr[0] != '\0')
		fprintf(fp, "%s%s\033[0m", sgr, s);
	else
		fputs(s, fp);
	free(cut);
	if (last)
		return;
	for (; w < width + 2; w++)
		fputc(' ', fp);
}

static void cmd_scan_put_line(FILE *fp, char *const *cells, const size_t *widths, const int *shown,
			      enum cmd_scan_role role, int color, int head)
{
	size_t i, last = 0;

	for (i = 0; i < CMD_SCAN_NCOLS; i++)
		if (shown[i])
			last = i;
	for (i = 0; i < CMD_SCAN_NCOLS; i++) {
		const char *sgr = head              ? cmd_scan_role_sgr[ROLE_BOLD]
				  : i == COL_STATUS ? cmd_scan_role_sgr[role]
						    : cmd_scan_role_sgr[ROLE_NONE];

		if (shown[i])
			cmd_scan_put_cell(fp, cells[i], widths[i], i == last, sgr, color);
	}
	fputc('\n', fp);
}

/* The columns that fit in cols (0: no limit): lowest priority dropped first; then the
 * shrinkable ones are narrowed. ACCOUNT and REGION only when the report has several. */
static void cmd_scan_fit(size_t *widths, int *shown, size_t cols, int accounts, int regions)
{
	size_t i, total;
	int p;

	for (i = 0; i < CMD_SCAN_NCOLS; i++)
		shown[i] = 1;
	shown[COL_ACCOUNT] = accounts;
	shown[COL_REGION] = regions;
	for (;;) {
		for (i = 0, total = 0; i < CMD_SCAN_NCOLS; i++)
			total += shown[i] ? widths[i] + 2 : 0;
		total -= 2;
		if (cols == 0 || total <= cols)
			return;
		for (p = 9, i = CMD_SCAN_NCOLS; p > 0 && i == CMD_SCAN_NCOLS; p--) {
			for (i = CMD_SCAN_NCOLS; i-- > 0;)
				if (shown[i] && cmd_scan_cols[i].priority == p)
					break;
			if (i == (size_t)-1)
				i = CMD_SCAN_NCOLS;
		}
		if (i == CMD_SCAN_NCOLS)
			break; /* only priority 0 left */
		shown[i] = 0;
	}
	/* still too wide: narrow the widest shrinkable column, one column at a time */
	while (total > cols) {
		size_t widest = CMD_SCAN_NCOLS;

		for (i = 0; i < CMD_SCAN_NCOLS; i++)
			if (shown[i] && cmd_scan_cols[i].shrink && widths[i] > 8 &&
			    (widest == CMD_SCAN_NCOLS || widths[i] > widths[widest]))
				widest = i;
		if (widest == CMD_SCAN_NCOLS)
			return;
		widths[widest]--;
		total--;
	}
}

/* Writes "<indent><label>text", wrapped at spaces to cols (0: no limit), continuation lines
 * indented under the text. */
static void cmd_scan_put_wrapped(FILE *fp, const char *label, const char *text, size_t cols,
				 const char *sgr, const char *reset)
{
	size_t indent = 8 + strlen(label), room = cols > indent + 20 ? cols - indent : 0;
	const char *p = text;

	fprintf(fp, "        %s%s", sgr, label);
	while (*p != '\0') {
		size_t n = strlen(p), cut = n;

		if (room > 0 && cmd_scan_width(p) > room) {
			/* the last space within room columns (bytes approximate columns here:
			 * the text is mostly ASCII; a long word is kept whole) */
			for (cut = room < n ? room : n; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = strcspn(p, " ");
		}
		fwrite(p, 1, cut, fp);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p != '\0')
			fprintf(fp, "\n%*s", (int)indent, "");
	}
	fprintf(fp, "%s\n", reset);
}

/* "excepted until DATE (approved by WHO): REASON", or "exception expired after DATE ...". */
static void cmd_scan_put_exception(FILE *fp, json_object *ex, int color)
{
	if (ex == NULL)
		return;
	fprintf(fp, "        %s%s %s (approved by %s): %s%s\n",
		color ? cmd_scan_role_sgr[ROLE_EXCEPTED] : "",
		jsonx_bool(ex, "expired") == 1 ? "exception expired after" : "excepted until",
		jsonx_str(ex, "until") ? jsonx_str(ex, "until") : "?",
		jsonx_str(ex, "approvedBy") ? jsonx_str(ex, "approvedBy") : "?",
		jsonx_str(ex, "reason") ? jsonx_str(ex, "reason") : "?", color ? "\033[0m" : "");
}

static void cmd_scan_put_notes(FILE *fp, json_object *svc, int color, size_t cols)
{
	json_object *notes = jsonx_array(svc, "notes");
	const char *unknown = jsonx_str(svc, "unknown");
	const char *dim = color ? cmd_scan_role_sgr[ROLE_DIM] : "";
	const char *warn = color ? cmd_scan_role_sgr[ROLE_UNKNOWN] : "";
	const char *reset = color ? "\033[0m" : "";
	size_t i, n = notes != NULL ? json_object_array_length(notes) : 0;

	if (unknown != NULL)
		cmd_scan_put_wrapped(fp, "unknown: ", unknown, cols, warn, reset);
	cmd_scan_put_exception(fp, jsonx_obj(svc, "exception"), color);
	for (i = 0; i < n; i++)
		cmd_scan_put_wrapped(
		    fp, "note: ", json_object_get_string(json_object_array_get_idx(notes, i)), cols,
		    dim, reset);
}

/* Revisions no service runs that are not clean (e.g. a privileged latest revision). */
static void cmd_scan_put_unused(FILE *fp, json_object *tds, int color)
{
	size_t i, n = tds != NULL ? json_object_array_length(tds) : 0;
	int head = 0;

	for (i = 0; i < n; i++) {
		json_object *td = json_object_array_get_idx(tds, i);
		json_object *users = jsonx_array(td, "services");
		const char *result = jsonx_str(td, "result");
		enum cmd_scan_role role = cmd_scan_status_role(result);
		char *failing;

		if ((users != NULL && json_object_array_length(users) > 0) || role == ROLE_PASSED)
			continue;
		if (!head) {
			fputs("\nRevisions no service runs (Security Hub evaluates the latest):\n",
			      fp);
			head = 1;
		}
		failing = cmd_scan_join_strings(jsonx_array(td, "failing"), ",");
		fprintf(fp, "  %s%-7s%s %s%s  failing: %s%s%s\n",
			color ? cmd_scan_role_sgr[role] : "", result != NULL ? result : "?",
			color ? "\033[0m" : "",
			jsonx_str(td, "arn") != NULL ? strrchr(jsonx_str(td, "arn"), '/') != NULL
							   ? strrchr(jsonx_str(td, "arn"), '/') + 1
							   : jsonx_str(td, "arn")
						     : "?",
			jsonx_bool(td, "latestActive") == 1 ? " (latest ACTIVE)" : "", failing,
			owner_name_of(td) != NULL ? "  owner: " : "",
			owner_name_of(td) != NULL ? owner_name_of(td) : "");
		if (jsonx_str(td, "unknown") != NULL)
			fprintf(fp, "        unknown: %s\n", jsonx_str(td, "unknown"));
		cmd_scan_put_exception(fp, jsonx_obj(td, "exception"), color);
		free(failing);
	}
}

static void cmd_scan_put_summary(FILE *fp, json_object *report, int color)
{
	json_object *sum = jsonx_obj(report, "summary");
	int64_t sf = jsonx_int(sum, "servicesFailing", 0),
		su = jsonx_int(sum, "servicesUnknown", 0);
	int64_t ns = jsonx_int(sum, "services", 0), se = jsonx_int(sum, "servicesExcepted", 0);
	char *controls = cmd_scan_join_strings(jsonx_array(report, "controls"), ",");
	char excepted[48] = "";
	const char *role = !color   ? ""
			   : sf > 0 ? cmd_scan_role_sgr[ROLE_FAILED]
			   : su > 0 ? cmd_scan_role_sgr[ROLE_UNKNOWN]
				    : cmd_scan_role_sgr[ROLE_PASSED];

	if (se > 0)
		snprintf(excepted, sizeof excepted, "%lld excepted, ", (long long)se);
	fprintf(fp,
		"\n%sSummary: %lld service%s in %lld cluster%s: %lld failing, %lld unknown, %s%lld "
		"passed (%s); %lld task definition%s, %lld failing; ",
		role, (long long)ns, ns == 1 ? "" : "s", (long long)jsonx_int(sum, "clusters", 0),
		jsonx_int(sum, "clusters", 0) == 1 ? "" : "s", (long long)sf, (long long)su,
		excepted, (long long)(ns - sf - su - se), controls,
		(long long)jsonx_int(sum, "taskDefinitions", 0),
		jsonx_int(sum, "taskDefinitions", 0) == 1 ? "" : "s",
		(long long)jsonx_int(sum, "taskDefinitionsFailing", 0));
	if (jsonx_bool(report, "findingsSkipped") == 1)
		fputs("Security Hub not read", fp);
	else if (jsonx_str(report, "findingsUnknown") != NULL)
		fputs("Security Hub findings UNKNOWN", fp);
	else
		fprintf(fp, "Security Hub: %lld FAILED, %lld PASSED",
			(long long)jsonx_int(sum, "findingsFailed", 0),
			(long long)jsonx_int(sum, "findingsPassed", 0));
	fprintf(fp, "%s\n", color ? "\033[0m" : "");
	free(controls);
}

/* 1 when entries of arr have more than one value of key. */
static int cmd_scan_several(json_object *arr, const char *key)
{
	size_t i, n = arr != NULL ? json_object_array_length(arr) : 0;
	const char *first = NULL;

	for (i = 0; i < n; i++) {
		const char *v = jsonx_str(json_object_array_get_idx(arr, i), key);

		if (v == NULL)
			continue;
		if (first != NULL && strcmp(first, v) != 0)
			return 1;
		first = v;
	}
	return 0;
}

static void cmd_scan_table(FILE *fp, json_object *report, int color, size_t cols)
{
	json_object *services = jsonx_array(report, "services");
	json_object *errors = jsonx_array(report, "errors");
	json_object *tdmap = cmd_scan_index(jsonx_array(report, "taskDefinitions"), "arn");
	json_object *fmap = cmd_scan_index(jsonx_array(report, "findings"), "id");
	size_t i, k, n = services != NULL ? json_object_array_length(services) : 0;
	struct cmd_scan_row *rows = xcalloc(n + 1, sizeof *rows);
	size_t widths[CMD_SCAN_NCOLS];
	int shown[CMD_SCAN_NCOLS];
	char *heads[CMD_SCAN_NCOLS];
	json_object *targets = jsonx_array(report, "targets");
	int several_targets = targets != NULL && json_object_array_length(targets) > 1;
	json_object *names = json_object_new_object();
	int funknown = jsonx_str(report, "findingsUnknown") != NULL ||
		       jsonx_bool(report, "findingsSkipped") == 1;

	for (i = 0; targets != NULL && i < json_object_array_length(targets); i++) {
		json_object *t = json_object_array_get_idx(targets, i);

		if (jsonx_str(t, "accountId") != NULL && jsonx_str(t, "accountName") != NULL)
			json_object_object_add(names, jsonx_str(t, "accountId"),
					       json_object_new_string(jsonx_str(t, "accountName")));
	}
	for (k = 0; k < CMD_SCAN_NCOLS; k++) {
		heads[k] = (char *)cmd_scan_cols[k].head;
		widths[k] = cmd_scan_width(heads[k]);
	}
	for (i = 0; i < n; i++) {
		cmd_scan_row_fill(&rows[i], json_object_array_get_idx(services, i), tdmap, fmap,
				  names, funknown);
		for (k = 0; k < CMD_SCAN_NCOLS; k++) {
			size_t w = cmd_scan_width(rows[i].cell[k]);

			if (w > widths[k])
				widths[k] = w;
		}
	}
	cmd_scan_fit(widths, shown, cols, cmd_scan_several(targets, "accountId"),
		     cmd_scan_several(targets, "region"));
	if (n == 0)
		fputs("No services found.\n", fp);
	else
		cmd_scan_put_line(fp, heads, widths, shown, ROLE_NONE, color, 1);
	for (i = 0; i < n; i++) {
		cmd_scan_put_line(fp, rows[i].cell, widths, shown, rows[i].role, color, 0);
		cmd_scan_put_notes(fp, rows[i].svc, color, cols);
		for (k = 0; k < CMD_SCAN_NCOLS; k++)
			free(rows[i].cell[k]);
	}
	cmd_scan_put_unused(fp, jsonx_array(report, "taskDefinitions"), color);
	n = errors != NULL ? json_object_array_length(errors) : 0;
	if (n > 0)
		fputs("\nCould not read:\n", fp);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(errors, i);

		const char *acct = jsonx_str(e, "accountId"), *region = jsonx_str(e, "region");

		fprintf(fp, "  %s", color ? cmd_scan_role_sgr[ROLE_UNKNOWN] : "");
		if (several_targets)
			fprintf(fp, "%s %s: ", acct != NULL ? acct : "?",
				region != NULL ? region : "?");
		fprintf(fp, "%s%s\n", jsonx_str(e, "reason") != NULL ? jsonx_str(e, "reason") : "?",
			color ? "\033[0m" : "");
	}
	cmd_scan_put_summary(fp, report, color);
	free(rows);
	json_object_put(names);
	json_object_put(tdmap);
	json_object_put(fmap);
}

static int cmd_scan_exec(struct cli_options *opts, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cluster", required_argument, NULL, SCAN_OPT_CLUSTER},
	    {"all-families", no_argument, NULL, SCAN_OPT_ALL_FAMILIES},
	    {"controls", required_argument, NULL, SCAN_OPT_CONTROLS},
	    {"output", required_argument, NULL, SCAN_OPT_OUTPUT},
	    {"no-findings", no_argument, NULL, SCAN_OPT_NO_FINDINGS},
	    {"wide", no_argument, NULL, SCAN_OPT_WIDE},
	    {"no-cache", no_argument, NULL, SCAN_OPT_NO_CACHE},
	    {"tags-max-age", required_argument, NULL, SCAN_OPT_TAGS_MAX_AGE},
	    {"group-by", required_argument, NULL, SCAN_OPT_GROUP_BY},
	    {"owner-tags", required_argument, NULL, SCAN_OPT_OWNER_TAGS},
	    {"timeout", required_argument, NULL, SCAN_OPT_TIMEOUT},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_scan_args a;
	struct cmd_scan_progress prog = {stderr, 0, 0, 0, 0};
	struct session_targets targets;
	struct session_targets_spec spec;
	struct session_config scfg;
	struct cache *cache = NULL;
	struct cache_options co;
	struct scan_cache sca;
	struct scan_options so;
	struct trace *trace = NULL;
	struct aws_client *client = NULL;
	json_object *report = NULL;
	struct owner_keys keys = {NULL, 0};
	struct sigaction sa, old;
	struct err e;
	int first, rc;

	memset(&a, 0, sizeof a);
	memset(&targets, 0, sizeof targets);
	a.controls = rules_default_mask();
	a.tags_max_age = CACHE_DEFAULT_TAGS_AGE;
	first = cli_parse(opts, argc, argv, longopts, "o:", cmd_scan_option, &a);
	rc = cli_parse_result(&cmd_scan_entry, first);
	if (rc >= 0)
		goto out;
	if (first < argc) {
		rc = cli_errorf("scan: unexpected argument '%s' (see 'ecsfix scan --help')",
				argv[first]);
		goto out;
	}
	rc = EXIT_ERROR;
	if (a.group_by_owner && a.output != SCAN_OUTPUT_MARKDOWN) {
		cli_errorf("scan: --group-by owner goes with --output markdown");
		goto out;
	}
	err_clear(&e);
	if (owner_keys_load(&keys, a.owner_tags, NULL, &e)) {
		cli_error(&e);
		goto out;
	}
	if (cli_trace_open(opts, &trace) != 0)
		goto out;
	/* --timeout bounds each call's wait too (the client's default is 60 s) */
	if (cli_client_new(opts, trace, &cmd_scan_cancel,
			   a.timeout > 0 && a.timeout < 60 ? (long)(a.timeout * 1000) + 1 : 0,
			   &client) != 0)
		goto out;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cmd_scan_on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (a.timeout > 0) { /* the whole scan ends after --timeout seconds */
		sa.sa_flags = SA_RESTART;
		sigaction(SIGALRM, &sa, NULL);
		cmd_scan_alarm(a.timeout);
	}

	memset(&so, 0, sizeof so);
	so.clusters = a.clusters;
	so.nclusters = a.nclusters;
	so.all_families = a.all_families;
	so.no_findings = a.no_findings;
	so.controls = a.controls;
	so.owner_keys = &keys;
	so.on_target = cmd_scan_target_cb;
	if (!a.no_cache) {
		memset(&co, 0, sizeof co);
		co.tags_max_age = a.tags_max_age;
		co.scope = cmd_scan_cache_scope(client);
		cache = cache_open(&co);
		if (cache != NULL) {
			sca.get = cmd_scan_cache_get;
			sca.put = cmd_scan_cache_put;
			sca.ctx = cache;
			so.cache = &sca;
		}
	}
	prog.tty = isatty(STDERR_FILENO);
	memset(&spec, 0, sizeof spec);
	spec.regions = opts->regions;
	spec.all_regions = opts->all_regions;
	spec.accounts = opts->accounts;
	spec.organization = opts->organization;
	spec.role_name = opts->role_name;
	spec.external_id = opts->external_id;
	spec.profiles = opts->profiles;
	spec.nprofiles = opts->nprofiles;
	spec.findings_from = opts->findings_from;
	memset(&scfg, 0, sizeof scfg);
	scfg.profile = opts->profile;
	scfg.endpoint_url = opts->endpoint_url;
	scfg.ca_bundle = opts->ca_bundle;
	scfg.no_verify_ssl = opts->no_verify_ssl;
	scfg.trace = trace;
	scfg.cancel = &cmd_scan_cancel;
	err_clear(&e);
	if (session_targets_wanted(client, &spec)) {
		if (session_targets_open(client, &scfg, &spec, &targets, &e) != 0) {
			sigaction(SIGINT, &old, NULL);
			cmd_scan_alarm(0);
			rc = cmd_scan_cancel == 2 ? cmd_scan_timed_out(a.timeout)
			     : cmd_scan_cancel    ? EXIT_INTERRUPTED
						  : cli_error(&e);
			goto out;
		}
		so.findings_from = targets.findings;
		rc = scan_run_targets(targets.v, targets.n, &so, cmd_scan_progress_cb, &prog,
				      &report, &e);
	} else {
		rc = scan_run(client, &so, cmd_scan_progress_cb, &prog, &report, &e);
	}
	if (rc != 0) {
		sigaction(SIGINT, &old, NULL);
		cmd_scan_alarm(0);
		cmd_scan_progress_cb(&prog, "done", 0, 0);
		if (cmd_scan_cancel == 2) {
			rc = cmd_scan_timed_out(a.timeout);
		} else if (strcmp(e.code, "Cancelled") == 0 || cmd_scan_cancel) {
			fputs("ecsfix: scan interrupted\n", stderr);
			rc = EXIT_INTERRUPTED;
		} else {
			rc = cli_error(&e);
		}
		goto out;
	}
	sigaction(SIGINT, &old, NULL);
	cmd_scan_alarm(0);
	cmd_scan_cache_done(cache);
	if (a.output == SCAN_OUTPUT_JSON) {
		scan_report_write_json(stdout, report);
	} else if (a.output == SCAN_OUTPUT_MARKDOWN) {
		char *md = report_md_scan(report, a.group_by_owner);

		sanitize_fputs(md, stdout, SANITIZE_TEXT); /* a text report: controls shown */
		free(md);
	} else {
		/* every text of the table comes from the account: shown safely */
		json_object *safe = sanitize_json_copy(report, 0);

		cmd_scan_table(stdout, safe, cli_use_color(opts, stdout),
			       a.wide ? 0 : cmd_scan_columns(stdout));
		json_object_put(safe);
	}
	if (fflush(stdout) != 0) {
		rc = cli_errorf("scan: cannot write the output");
		goto out;
	}
	rc = (int)jsonx_int(jsonx_obj(report, "summary"), "exitCode", EXIT_ERROR);
out:
	json_object_put(report);
	session_targets_close(&targets);
	cache_free(cache);
	aws_client_free(client);
	trace_free(trace);
	free(a.clusters);
	owner_keys_done(&keys);
	return rc;
}

const struct cli_command cmd_scan_entry = {
    .name = "scan",
    .args = "[--cluster NAME]... [--all-families] [--controls LIST] [--output "
	    "table|json|markdown] [--group-by owner] [--owner-tags LIST] [--no-findings] [--wide] "
	    "[--no-cache] [--tags-max-age AGE] [--timeout SECONDS]",
    .summary = "inventory, rule results and Security Hub findings; exit 1 on findings",
    .help = "  --cluster NAME      scan only this cluster (name or ARN; repeatable)\n"
	    "  --all-families      also the latest revision of families no service uses\n"
	    "  --controls LIST     controls deciding the exit code (default ECS.4,ECS.17,ECS.20;\n"
	    "                      'all' for every control)\n"
	    "  -o, --output FMT    table (default), json or markdown\n"
	    "  --group-by owner    markdown: one section per owner (who to ask)\n"
	    "  --owner-tags LIST   tag keys naming the owner, first found wins (default\n"
	    "                      owner,Owner,team,Team,contact,email,CostCenter; also\n"
	    "                      \"ownerTags\" in ~/.config/ecsfix/config.json)\n"
	    "  --no-findings       do not read Security Hub\n"
	    "  --wide              every column of the table (else it fits the terminal)\n"
	    "  --no-cache          describe every revision (no revision cache read or written)\n"
	    "  --tags-max-age AGE  refresh cached tags older than AGE (seconds, or 30m, 1h;\n"
	    "                      default 1h); 'ecsfix cache clear' empties the cache\n"
	    "  --timeout SECONDS   give up after this long (each call waits at most this long)\n"
	    "\n"
	    "targets (global options; config-file keys ecsfix_regions, ecsfix_all_regions,\n"
	    "ecsfix_accounts, ecsfix_organization, ecsfix_role_name, ecsfix_external_id,\n"
	    "ecsfix_findings_from in the profile; default: the current account and region):\n"
	    "  --regions LIST      these regions (comma separated)\n"
	    "  --all-regions       every region enabled for the account (EC2 DescribeRegions)\n"
	    "  --accounts LIST     these accounts, assuming --role-name in each\n"
	    "  --organization      every ACTIVE account of the organization (ListAccounts)\n"
	    "  --role-name NAME    the role to assume: arn:aws:iam::ID:role/NAME\n"
	    "  --external-id ID    the external id the role's trust policy asks for\n"
	    "  --profile NAME      repeated: one target per profile\n"
	    "  --findings-from PROFILE[@REGION]  read Security Hub once from the aggregator\n"
	    "\n"
	    "exit status: 0 clean, 1 a service or revision fails one of --controls, 2 error\n"
	    "(or parts could not be read and nothing fails), 130 interrupted\n",
    .exec = cmd_scan_exec,
};
