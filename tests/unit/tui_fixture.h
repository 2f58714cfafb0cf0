/* tui_fixture.h: helpers shared by the TUI unit tests: a state loaded with the fixture
 * report (tests/data/tui/report.json) and plans computed by the fixture backend. */
#ifndef ECSFIX_TESTS_TUI_FIXTURE_H
#define ECSFIX_TESTS_TUI_FIXTURE_H

#include "tui/backend.h"
#include "tui/state.h"
#include "tui/views.h"
#include "tui/list.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture backend (tui_backend_fixture.c): report is a scan report file; plans are
 * computed from it and changes simulated in memory (the next scan shows them). scan_ms:
 * how long a scan takes; step_ms: the pause between steps of a change; fail != 0 makes the
 * rollout fail. cancel is borrowed. */
struct backend_fixture_config {
	const char *report;
	long scan_ms, step_ms;
	int fail;
	volatile sig_atomic_t *cancel;
};
void backend_fixture_new(const struct backend_fixture_config *cfg, struct tui_backend *out);

static inline char *tui_fixture_path(const char *name)
{
	const char *top = getenv("TOP_SRCDIR");

	return xasprintf("%s/tests/data/tui/%s", top ? top : ".", name);
}

/* Runs the fixture backend's scan and hands the report to st. */
static inline void tui_fixture_load(struct tui_state *st, int read_only, int rows, int cols)
{
	static volatile sig_atomic_t cancel;
	char *path = tui_fixture_path("report.json");
	struct backend_fixture_config cfg = {path, 0, 0, 0, &cancel};
	struct tui_backend b;
	struct tui_event ev = {.type = TUI_EV_SCAN_DONE};
	struct err e;

	err_clear(&e);
	backend_fixture_new(&cfg, &b);
	ck_assert_int_eq(b.ops->scan(b.ctx, NULL, NULL, &ev.doc, &e), 0);
	b.ops->close(b.ctx);
	free(path);
	tui_state_init(st, views_table(), read_only, rows, cols);
	{
		struct tui_event se = {.type = TUI_EV_SESSION};

		se.session.profile = (char *)"fixture";
		se.session.region = (char *)"us-east-1";
		se.session.account = (char *)"123456789012";
		se.session.endpoint = (char *)"http://127.0.0.1:5000";
		tui_state_apply(st, &se);
	}
	tui_state_apply(st, &ev);
}

/* Computes the plan the state asks for (TUI_FX_PLAN) and delivers it. */
static inline void tui_fixture_plan(struct tui_state *st)
{
	static volatile sig_atomic_t cancel;
	char *path = tui_fixture_path("report.json");
	struct backend_fixture_config cfg = {path, 0, 0, 0, &cancel};
	struct tui_plan_opts o = {st->opt_user, st->opt_netmode, st->opt_subnets, st->opt_secgroups,
				  st->opt_caps};
	struct tui_backend b;
	struct tui_event ev = {.type = TUI_EV_PLAN_DONE};
	struct err e;

	err_clear(&e);
	ck_assert(st->fx & TUI_FX_PLAN);
	st->fx &= ~(unsigned)TUI_FX_PLAN;
	backend_fixture_new(&cfg, &b);
	ck_assert_int_eq(b.ops->plan(b.ctx, st->report, st->plan_target, &o, &ev.doc, &e), 0);
	b.ops->close(b.ctx);
	free(path);
	tui_state_apply(st, &ev);
}

/* Types text into the prompt. */
static inline void tui_fixture_type(struct tui_state *st, const char *text)
{
	for (const char *p = text; *p; p++) {
		struct tui_event ev = {.type = TUI_EV_CHAR, .ch = (unsigned char)*p};

		tui_state_apply(st, &ev);
	}
}

/* Does any row's cell contain s? */
static inline int tui_fixture_rows_have(const struct tui_state *st, const char *s)
{
	size_t ncols = tui_state_list(st)->ncols;

	for (size_t i = 0; i < tui_state_list(st)->nrows; i++)
		for (size_t c = 0; c < ncols; c++)
			if (strstr(tui_state_list(st)->rowv[i].cells[c], s))
				return 1;
	return 0;
}

#endif
