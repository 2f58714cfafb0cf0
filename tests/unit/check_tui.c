/* check_tui.c: unit tests of the TUI's key table and state machine (no curses). */
#include "config.h"

#include "tui_fixture.h"

#include "tui/keymap.h"
#include "util/fileio.h"
#include "util/jsonx.h"

START_TEST(test_keymap_every_binding_parses)
{
	size_t n;
	const struct tui_binding *b = keymap_bindings(&n);

	ck_assert_uint_gt(n, 20);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		int key = keymap_parse_key(b[i].key);

		ck_assert_msg(key >= 0, "binding %s does not parse", b[i].key);
		ck_assert_msg(b[i].action > TUI_ACT_NONE && b[i].action < TUI_ACT__COUNT,
			      "binding %s has no action", b[i].key);
		keymap_key_name(key, name, sizeof name);
		ck_assert_str_eq(name, b[i].key);
	}
}
END_TEST

START_TEST(test_keymap_no_duplicate_in_context)
{
	size_t n;
	const struct tui_binding *b = keymap_bindings(&n);

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(b[i].ctx != b[j].ctx ||
					  keymap_parse_key(b[i].key) != keymap_parse_key(b[j].key),
				      "%s bound twice in %s", b[i].key,
				      keymap_context_name(b[i].ctx));
}
END_TEST

START_TEST(test_keymap_lookup_falls_back_to_global)
{
	ck_assert_int_eq(keymap_lookup(TUI_CTX_LIST, 'j'), TUI_ACT_MOVE_DOWN);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_DIFF, 'j'), TUI_ACT_MOVE_DOWN);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_DIFF, 'a'), TUI_ACT_APPROVE);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_LIST, 'a'), TUI_ACT_NONE);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_PROMPT, 'j'), TUI_ACT_NONE);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_PROMPT, TUI_KEY_ENTER), TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_LIST, TUI_KEY_ESC), TUI_ACT_BACK);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_LIST, 12), TUI_ACT_REDRAW);
}
END_TEST

START_TEST(test_keymap_bad_names)
{
	ck_assert_int_eq(keymap_parse_key("<Nope>"), -1);
	ck_assert_int_eq(keymap_parse_key("ab"), -1);
	ck_assert_int_eq(keymap_parse_key(""), -1);
	ck_assert_int_eq(keymap_parse_key("<C-1>"), -1);
	ck_assert_int_eq(keymap_parse_key("\xc3\xa9"), 0xe9);
	ck_assert_int_eq(keymap_parse_key("\xc3"), -1);
	ck_assert_int_eq(keymap_parse_key("<C-l>"), 12);
}
END_TEST

START_TEST(test_actions_names_unique)
{
	for (int a = 0; a < TUI_ACT__COUNT; a++) {
		ck_assert_int_eq(tui_action_from_name(tui_action_name(a)), a);
		ck_assert(strlen(tui_action_help(a)) > 3);
	}
	ck_assert(tui_action_flags(TUI_ACT_APPROVE) & TUI_AF_WRITES);
	ck_assert(tui_action_flags(TUI_ACT_ROLLBACK) & TUI_AF_WRITES);
	ck_assert(!(tui_action_flags(TUI_ACT_WRITE_PLAN) & TUI_AF_WRITES));
}
END_TEST

/* The man page documents every bound key and every action (generated help and docs agree). */
START_TEST(test_man_page_mentions_every_key)
{
	const char *top = getenv("TOP_SRCDIR");
	char *path = xasprintf("%s/man/ecsfix.1", top ? top : "."), *buf = NULL, *sec;
	size_t len, n;
	struct err e;
	const struct tui_binding *b = keymap_bindings(&n);

	ck_assert_int_eq(file_read_all(path, 1 << 20, &buf, &len, &e), 0);
	sec = strstr(buf, "THE INTERACTIVE UI");
	ck_assert_msg(sec != NULL, "man page has no THE INTERACTIVE UI section");
	for (size_t i = 0; i < n; i++) {
		char *want = xasprintf("\\fB%s\\fR", b[i].key);

		ck_assert_msg(strstr(sec, want) != NULL, "man page lacks key %s", want);
		free(want);
	}
	free(buf);
	free(path);
}
END_TEST

START_TEST(test_state_loads_report_problems_first)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_SERVICES);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 5);
	ck_assert_str_eq(tui_state_list(&st)->rowv[0].cells[3], "node-agent");
	ck_assert_str_eq(tui_state_list(&st)->rowv[0].cells[7], "yes");
	ck_assert_str_eq(tui_state_list(&st)->rowv[0].cells[8], "host");
	ck_assert_str_eq(tui_state_list(&st)->rowv[0].cells[9], "root");
	ck_assert_int_eq(tui_state_list(&st)->rowv[0].role, TUI_ROLE_BAD);
	ck_assert_str_eq(tui_state_list(&st)->rowv[4].cells[3], "api");
	ck_assert_str_eq(tui_state_list(&st)->rowv[4].cells[7], "-");
	ck_assert_int_eq(tui_state_list(&st)->rowv[4].role, TUI_ROLE_NORMAL);
	ck_assert_str_eq(tui_state_list(&st)->rowv[1].cells[4], "web:5");
	ck_assert_str_eq(tui_state_list(&st)->rowv[1].cells[6], "2/2");
	ck_assert_int_eq(st.job, TUI_JOB_NONE);
	ck_assert_ptr_nonnull(strstr(st.status, "5 services"));
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_moves_and_clamps)
{
	struct tui_state st;
	unsigned rx;

	tui_fixture_load(&st, 0, 24, 80);
	rx = tui_state_action(&st, TUI_ACT_MOVE_UP);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 0);
	ck_assert_uint_eq(rx, TUI_RX_NONE); /* nothing moved: nothing to redraw */
	tui_state_action(&st, TUI_ACT_MOVE_DOWN);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 1);
	tui_state_action(&st, TUI_ACT_LAST);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 4);
	tui_state_action(&st, TUI_ACT_MOVE_DOWN);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 4);
	tui_state_action(&st, TUI_ACT_FIRST);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 0);
	tui_state_action(&st, TUI_ACT_PAGE_DOWN);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 4);
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_filter_and_escape_clears)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_FILTER);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_FILTER);
	ck_assert_int_eq(tui_state_context(&st), TUI_CTX_PROMPT);
	tui_fixture_type(&st, "web");
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 2); /* live */
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_NONE);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 2);
	ck_assert_str_eq(tui_state_view(&st)->filter, "web");
	tui_state_action(&st, TUI_ACT_BACK);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 5);
	ck_assert_ptr_null(tui_state_view(&st)->filter);
	/* Esc inside the prompt clears too; wide characters filter. */
	tui_state_action(&st, TUI_ACT_FILTER);
	tui_fixture_type(&st, "\xe7\x94\xbb"); /* bytes of U+753B, typed one by one */
	tui_state_action(&st, TUI_ACT_PROMPT_CANCEL);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 5);
	{
		struct tui_event ev = {.type = TUI_EV_CHAR, .ch = 0x753b};

		tui_state_action(&st, TUI_ACT_FILTER);
		tui_state_apply(&st, &ev);
		ck_assert_uint_eq(tui_state_list(&st)->nrows, 1);
		tui_state_action(&st, TUI_ACT_PROMPT_ERASE);
		ck_assert_uint_eq(tui_state_list(&st)->nrows, 5);
	}
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_detail_shows_people_and_sharing)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_MOVE_DOWN); /* prod/web */
	tui_state_action(&st, TUI_ACT_OPEN);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_DETAIL);
	ck_assert(tui_fixture_rows_have(&st, "The people to ask before changing it"));
	ck_assert(tui_fixture_rows_have(&st, "owner: alice@example.com   team: payments"));
	ck_assert(tui_fixture_rows_have(&st, "assumed-role/deployer/alice"));
	ck_assert(tui_fixture_rows_have(&st, "staging/web"));
	ck_assert(tui_fixture_rows_have(&st, "still runs web:5"));
	ck_assert(tui_fixture_rows_have(&st, "privileged=true"));
	tui_state_action(&st, TUI_ACT_BACK);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_SERVICES);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 1);
	tui_state_done(&st);
}
END_TEST

/* Opens the diff of prod/web and delivers its plan. */
static void check_tui_open_diff(struct tui_state *st)
{
	tui_state_action(st, TUI_ACT_MOVE_DOWN);
	tui_state_action(st, TUI_ACT_DIFF);
	ck_assert_int_eq(tui_state_view(st)->id, TUI_VIEW_DIFF);
	ck_assert_int_eq(st->job, TUI_JOB_PLAN);
	ck_assert(tui_fixture_rows_have(st, "Computing"));
	tui_fixture_plan(st);
	ck_assert_int_eq(st->job, TUI_JOB_NONE);
}

START_TEST(test_state_diff_and_options_recompute)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	check_tui_open_diff(&st);
	ck_assert(tui_fixture_rows_have(&st, "+    \"privileged\": false,"));
	ck_assert(tui_fixture_rows_have(&st, "-    \"privileged\": true,"));
	ck_assert(tui_fixture_rows_have(&st, "ECS.20 stays FAILED"));
	ck_assert_int_eq(tui_state_context(&st), TUI_CTX_DIFF);
	/* u: user, prefilled with 1000 */
	tui_state_action(&st, TUI_ACT_SET_USER);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_USER);
	ck_assert_str_eq(st.input, "1000");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_str_eq(st.opt_user, "1000");
	ck_assert(st.fx & TUI_FX_PLAN);
	tui_fixture_plan(&st);
	ck_assert(tui_fixture_rows_have(&st, "+    \"user\": \"1000\","));
	ck_assert(!tui_fixture_rows_have(&st, "ECS.20 stays FAILED"));
	/* n: bridge, then awsvpc (subnets, security groups), then keep */
	tui_state_action(&st, TUI_ACT_SET_NETWORK);
	ck_assert_str_eq(st.opt_netmode, "bridge");
	tui_fixture_plan(&st);
	tui_state_action(&st, TUI_ACT_SET_NETWORK);
	ck_assert_str_eq(st.opt_netmode, "awsvpc");
	ck_assert_int_eq(st.prompt, TUI_PROMPT_SUBNETS);
	tui_fixture_type(&st, "subnet-1,subnet-2");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_SECGROUPS);
	tui_fixture_type(&st, "sg-1");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_str_eq(st.opt_subnets, "subnet-1,subnet-2");
	ck_assert_str_eq(st.opt_secgroups, "sg-1");
	tui_fixture_plan(&st);
	ck_assert(tui_fixture_rows_have(&st, "\"networkMode\": \"awsvpc\""));
	tui_state_action(&st, TUI_ACT_SET_NETWORK);
	ck_assert_ptr_null(st.opt_netmode);
	ck_assert_ptr_null(st.opt_subnets);
	tui_state_done(&st);
}
END_TEST

/* A plan that arrives for a diff the user has left is not shown for the next one. */
START_TEST(test_state_stale_plan_ignored)
{
	struct tui_state st;
	struct tui_event ev = {.type = TUI_EV_PLAN_DONE};

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_DIFF); /* node-agent */
	ck_assert_int_eq(st.job, TUI_JOB_PLAN);
	tui_state_action(&st, TUI_ACT_BACK);
	tui_state_action(&st, TUI_ACT_MOVE_DOWN);
	tui_state_action(&st, TUI_ACT_DIFF); /* prod/web, while node-agent's plan is computed */
	ev.subject = xstrdup("arn:aws:ecs:us-east-1:123456789012:service/prod/node-agent");
	ev.doc = json_object_new_object();
	ck_assert_uint_eq(tui_state_apply(&st, &ev), TUI_RX_NONE);
	ck_assert_ptr_null(st.plan);
	ck_assert_int_eq(st.job, TUI_JOB_PLAN);
	free(ev.subject);
	json_object_put(ev.doc);
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_write_plan_default_path)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	check_tui_open_diff(&st);
	tui_state_action(&st, TUI_ACT_WRITE_PLAN);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_PLAN_PATH);
	ck_assert_str_eq(st.input, "./ecsfix-plan-web-5.json");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert(st.fx & TUI_FX_WRITE_PLAN);
	ck_assert_str_eq(st.fx_path, "./ecsfix-plan-web-5.json");
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_approve_needs_yes)
{
	struct tui_state st;
	char *text;

	tui_fixture_load(&st, 0, 24, 80);
	check_tui_open_diff(&st);
	tui_state_action(&st, TUI_ACT_APPROVE);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_APPROVE);
	text = views_approval_text(&st);
	ck_assert_ptr_nonnull(strstr(text, "Update prod/web"));
	ck_assert_ptr_nonnull(strstr(text, "Update staging/web"));
	free(text);
	tui_fixture_type(&st, "y");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_APPROVE);
	ck_assert(!(st.fx & TUI_FX_APPLY));
	tui_state_action(&st, TUI_ACT_PROMPT_CANCEL);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_NONE);
	ck_assert(!(st.fx & TUI_FX_APPLY));
	ck_assert_ptr_nonnull(strstr(st.status, "nothing was changed"));
	tui_state_action(&st, TUI_ACT_APPROVE);
	tui_fixture_type(&st, "yes");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert(st.fx & TUI_FX_APPLY);
	ck_assert_int_eq(st.job, TUI_JOB_APPLY);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_APPLY);
	/* quitting now asks */
	ck_assert_uint_eq(tui_state_action(&st, TUI_ACT_QUIT) & TUI_RX_QUIT, 0);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_QUIT);
	/* y/n without Enter */
	tui_fixture_type(&st, "n");
	ck_assert_int_eq(st.prompt, TUI_PROMPT_NONE);
	ck_assert_ptr_null(tui_state_exit_summary(&st));
	tui_state_action(&st, TUI_ACT_QUIT);
	{
		struct tui_event y = {.type = TUI_EV_CHAR, .ch = 'y'};
		char *summary;

		ck_assert(tui_state_apply(&st, &y) & TUI_RX_QUIT);
		ck_assert(st.fx & TUI_FX_CANCEL);
		summary = tui_state_exit_summary(&st);
		ck_assert_ptr_nonnull(summary);
		ck_assert_ptr_nonnull(strstr(summary, "To resume"));
		free(summary);
	}
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_apply_progress_failure_rollback)
{
	struct tui_state st;
	struct tui_event ev = {.type = TUI_EV_STEP};

	tui_fixture_load(&st, 0, 24, 80);
	check_tui_open_diff(&st);
	tui_state_action(&st, TUI_ACT_APPROVE);
	tui_fixture_type(&st, "yes");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	st.fx = 0;
	ev.step.kind = TUI_STEP_ROLLOUT;
	ev.step.subject = (char *)"prod/web";
	ev.step.text = (char *)"IN_PROGRESS";
	ev.step.running = 1;
	ev.step.desired = 2;
	ev.step.state = TUI_STEP_RUNNING;
	tui_state_apply(&st, &ev);
	ck_assert(tui_fixture_rows_have(&st, "[##########..........] 1/2 running"));
	ev.step.running = 2;
	ev.step.state = TUI_STEP_DONE;
	tui_state_apply(&st, &ev); /* same step, updated in place */
	ck_assert_uint_eq(st.nsteps, 1);
	ck_assert(tui_fixture_rows_have(&st, "2/2 running"));
	ev.step.kind = TUI_STEP_EVENT;
	ev.step.text = (char *)"has reached a steady state.";
	tui_state_apply(&st, &ev);
	ck_assert(tui_fixture_rows_have(&st, "prod/web: has reached a steady state."));
	/* a growing change view follows its end (a page of 21 lines at 24 rows) */
	{
		char subj[32];

		ev.step.kind = TUI_STEP_ROLLOUT;
		for (int i = 0; i < 30; i++) {
			snprintf(subj, sizeof subj, "c/s%d", i);
			ev.step.subject = subj;
			tui_state_apply(&st, &ev);
		}
		tui_state_action(&st, TUI_ACT_LAST);
		ck_assert_uint_eq(tui_state_list(&st)->top + 21, tui_state_list(&st)->nrows);
		ev.step.subject = (char *)"c/s-last";
		tui_state_apply(&st, &ev); /* one more line: still at the end */
		ck_assert_uint_eq(tui_state_list(&st)->top + 21, tui_state_list(&st)->nrows);
		tui_state_action(&st, TUI_ACT_FIRST);
		ev.step.subject = (char *)"c/s-after";
		tui_state_apply(&st, &ev); /* scrolled up: stays put */
		ck_assert_uint_eq(tui_state_list(&st)->top, 0);
	}
	ev.step.subject = ev.step.text = NULL;
	/* b before a failure does nothing */
	tui_state_action(&st, TUI_ACT_ROLLBACK);
	ck_assert(!(st.fx & TUI_FX_ROLLBACK));
	{
		struct tui_event done = {.type = TUI_EV_APPLY_DONE};

		done.doc = json_object_new_object();
		json_object_object_add(done.doc, "status", json_object_new_string("FAILED"));
		tui_state_apply(&st, &done);
		ck_assert_ptr_null(done.doc);
	}
	ck_assert(st.change_failed);
	ck_assert(tui_fixture_rows_have(&st, "b: roll the services back"));
	/* after a failure: no CI/CD advice, the truth about what runs */
	ck_assert(!tui_fixture_rows_have(&st, "ecsfix lint --fix"));
	ck_assert(tui_fixture_rows_have(&st, "still run web:5, which is privileged"));
	st.job = TUI_JOB_NONE; /* the rescan after the change finished */
	tui_state_action(&st, TUI_ACT_ROLLBACK);
	ck_assert(st.fx & TUI_FX_ROLLBACK);
	ck_assert_int_eq(st.job, TUI_JOB_ROLLBACK);
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_read_only_refuses_in_one_place)
{
	struct tui_state st;
	char hints[256];

	tui_fixture_load(&st, 1, 24, 80);
	check_tui_open_diff(&st);
	tui_state_action(&st, TUI_ACT_APPROVE);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_NONE);
	ck_assert_ptr_nonnull(strstr(st.status, "read-only"));
	ck_assert_str_eq(st.hint, "started with --read-only");
	ck_assert(!(st.fx & TUI_FX_APPLY));
	tui_state_action(&st, TUI_ACT_ROLLBACK);
	ck_assert(!(st.fx & TUI_FX_ROLLBACK));
	/* reading and writing a plan file stays possible */
	tui_state_action(&st, TUI_ACT_WRITE_PLAN);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_PLAN_PATH);
	tui_state_action(&st, TUI_ACT_PROMPT_CANCEL);
	tui_state_hints(&st, hints, sizeof hints);
	ck_assert_ptr_null(strstr(hints, "approve"));
	/* and the :command path goes through the same dispatcher */
	tui_state_action(&st, TUI_ACT_COMMAND);
	tui_fixture_type(&st, "approve");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_NONE);
	ck_assert_ptr_nonnull(strstr(st.status, "read-only"));
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_commands_and_clusters)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_COMMAND);
	tui_fixture_type(&st, "clusters");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_CLUSTERS);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 3);
	tui_state_action(&st, TUI_ACT_OPEN); /* prod: its services */
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_SERVICES);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 3);
	tui_state_action(&st, TUI_ACT_COMMAND);
	tui_fixture_type(&st, "bogus");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_int_eq(st.status_role, TUI_ROLE_ERROR);
	ck_assert_ptr_nonnull(strstr(st.status, "unknown command: bogus"));
	ck_assert_ptr_nonnull(st.hint); /* every command, the newer ones too */
	ck_assert_ptr_nonnull(strstr(st.hint, ":owners :accounts"));
	tui_state_action(&st, TUI_ACT_VIEW_TASKDEFS);
	ck_assert_uint_eq(st.depth, 1);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 5);
	tui_state_action(&st, TUI_ACT_VIEW_FINDINGS);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 3);
	tui_state_action(&st, TUI_ACT_COMMAND);
	tui_fixture_type(&st, "quit");
	ck_assert(tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT) & TUI_RX_QUIT);
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_errors_show_with_hint)
{
	struct tui_state st;
	struct tui_event ev = {.type = TUI_EV_JOB_FAILED};

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_REFRESH);
	ck_assert(st.fx & TUI_FX_SCAN);
	ck_assert_int_eq(st.job, TUI_JOB_SCAN);
	/* a second refresh while busy is refused, not queued */
	st.fx = 0;
	tui_state_action(&st, TUI_ACT_REFRESH);
	ck_assert(!(st.fx & TUI_FX_SCAN));
	ev.text = (char *)"ListClusters: AccessDeniedException: not authorized";
	ev.hint = (char *)"grant ecs:ListClusters";
	tui_state_apply(&st, &ev);
	ev.text = ev.hint = NULL;
	ck_assert_int_eq(st.job, TUI_JOB_NONE);
	ck_assert_int_eq(st.status_role, TUI_ROLE_ERROR);
	ck_assert_str_eq(st.hint, "grant ecs:ListClusters");
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 5); /* the old data stays */
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_resize_keeps_selection_visible)
{
	struct tui_state st;
	struct tui_event ev = {.type = TUI_EV_RESIZE, .rows = 6, .cols = 80};

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_LAST);
	ck_assert(tui_state_apply(&st, &ev) & TUI_RX_CLEAR);
	ck_assert_int_eq(tui_state_page(&st), 2);
	ck_assert_uint_eq(tui_state_list(&st)->sel, 4);
	ck_assert_uint_eq(tui_state_list(&st)->top, 3);
	ev.rows = 2;
	tui_state_apply(&st, &ev);
	ck_assert_int_eq(tui_state_page(&st), 1);
	tui_state_done(&st);
}
END_TEST

/* The list widget: selection and scroll stay in range and visible; a text list scrolls. */
START_TEST(test_list_widget_moves_clamps_follows)
{
	struct tui_list l;
	const char *cell[1];
	char buf[16];

	tui_list_init(&l, 1, 1);
	ck_assert_ptr_null(tui_list_selected(&l));
	for (int i = 0; i < 10; i++) {
		snprintf(buf, sizeof buf, "r%d", i);
		cell[0] = buf;
		tui_list_add(&l, TUI_ROLE_NORMAL, buf, cell, 1);
	}
	ck_assert(!tui_list_move(&l, -1, 3)); /* at the top: nothing moves */
	ck_assert(tui_list_move(&l, 5, 3));
	ck_assert_uint_eq(l.sel, 5);
	ck_assert_uint_eq(l.top, 3); /* visible: 3..5 */
	tui_list_move(&l, 100, 3);
	ck_assert_uint_eq(l.sel, 9);
	ck_assert_uint_eq(l.top, 7);
	ck_assert_str_eq(tui_list_selected(&l)->ref, "r9");
	tui_list_clear(&l); /* fewer rows after a rebuild: clamped */
	cell[0] = "only";
	tui_list_add(&l, TUI_ROLE_NORMAL, NULL, cell, 1);
	tui_list_clamp(&l, 3);
	ck_assert_uint_eq(l.sel, 0);
	ck_assert_uint_eq(l.top, 0);
	tui_list_done(&l);
	tui_list_init(&l, 1, 0); /* a text list */
	for (int i = 0; i < 10; i++)
		tui_list_add(&l, TUI_ROLE_NORMAL, NULL, cell, 1);
	tui_list_move(&l, 100, 4);
	ck_assert_uint_eq(l.top, 6);
	ck_assert(tui_list_at_end(&l, 4));
	tui_list_add(&l, TUI_ROLE_NORMAL, NULL, cell, 1);
	tui_list_follow(&l, 4, 1);
	ck_assert_uint_eq(l.top, 7);
	tui_list_done(&l);
}
END_TEST

/* / matches any field of a row (container names, images, tags, findings), field:value one
 * field; a reopened / starts with the filter selected: typing replaces it. */
START_TEST(test_filter_fields_and_replace)
{
	struct tui_state st;

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_FILTER);
	tui_fixture_type(&st, "nginx"); /* an image, in no cell */
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 2);
	tui_state_action(&st, TUI_ACT_FILTER);
	ck_assert_str_eq(st.input, "nginx");
	ck_assert(st.input_fresh);
	tui_fixture_type(&st, "cluster:staging");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_str_eq(tui_state_view(&st)->filter, "cluster:staging");
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 1);
	tui_state_action(&st, TUI_ACT_FILTER);
	tui_fixture_type(&st, "control:ECS.20"); /* a finding's control */
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_uint_ge(tui_state_list(&st)->nrows, 1);
	tui_state_action(&st, TUI_ACT_FILTER);
	tui_fixture_type(&st, "cluster:prod web"); /* every term must match */
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 1);
	ck_assert_str_eq(tui_state_list(&st)->rowv[0].cells[3], "web");
	tui_state_action(&st, TUI_ACT_FILTER);
	tui_fixture_type(&st, "zzz-nothing");
	tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT);
	ck_assert_uint_eq(tui_state_list(&st)->nrows, 0);
	{
		char *t = tui_state_ops(&st)->title(&st, tui_state_view(&st));

		ck_assert_ptr_nonnull(strstr(t, "no matches"));
		free(t);
	}
	tui_state_done(&st);
}
END_TEST

/* :findings: failing first, by control number, one row per control and revision. */
START_TEST(test_findings_sorted_deduplicated)
{
	struct tui_state st;
	const struct tui_list *l;

	tui_fixture_load(&st, 0, 24, 100);
	tui_state_action(&st, TUI_ACT_VIEW_FINDINGS);
	l = tui_state_list(&st);
	ck_assert_uint_ge(l->nrows, 2);
	ck_assert_str_eq(l->rowv[0].cells[1], "FAILED");
	for (size_t i = 1; i < l->nrows; i++)
		ck_assert_msg(strcmp(l->rowv[i - 1].cells[1], "PASSED") != 0 ||
				  strcmp(l->rowv[i].cells[1], "FAILED") != 0,
			      "FAILED after PASSED at %zu", i);
	tui_state_done(&st);
}
END_TEST

/* The approval: Space leaves a service out (Up/Down choose), the text says so. */
START_TEST(test_approval_toggle_leaves_out)
{
	struct tui_state st;
	char *text;

	tui_fixture_load(&st, 0, 24, 80);
	check_tui_open_diff(&st);
	tui_state_action(&st, TUI_ACT_APPROVE);
	ck_assert_int_eq(tui_state_context(&st), TUI_CTX_APPROVE);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_APPROVE, ' '), TUI_ACT_TOGGLE_SERVICE);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_APPROVE, TUI_KEY_ENTER), TUI_ACT_PROMPT_ACCEPT);
	ck_assert(keymap_takes_text(TUI_CTX_APPROVE));
	tui_state_action(&st, TUI_ACT_MOVE_DOWN);
	tui_state_action(&st, TUI_ACT_TOGGLE_SERVICE);
	text = views_approval_text(&st);
	ck_assert_ptr_nonnull(strstr(text, "[x] Update prod/web"));
	ck_assert_ptr_nonnull(strstr(text, "[ ] Leave staging/web"));
	ck_assert_ptr_nonnull(strstr(text, "1 of 2 services left out"));
	free(text);
	ck_assert_int_eq(st.prompt, TUI_PROMPT_APPROVE); /* still asking */
	tui_state_done(&st);
}
END_TEST

/* Too small: nothing but q acts, and typed text goes nowhere; q in help closes the page. */
START_TEST(test_too_small_and_help_q)
{
	struct tui_state st;
	struct tui_event rs = {.type = TUI_EV_RESIZE, .rows = 20, .cols = 70};
	struct tui_event ch = {.type = TUI_EV_CHAR, .ch = 'x'};

	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_HELP);
	ck_assert_int_eq(tui_state_context(&st), TUI_CTX_HELP);
	ck_assert_int_eq(keymap_lookup(TUI_CTX_HELP, 'q'), TUI_ACT_QUIT_PAGE);
	ck_assert_uint_eq(tui_state_action(&st, TUI_ACT_QUIT_PAGE) & TUI_RX_QUIT, 0);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_SERVICES);
	tui_state_action(&st, TUI_ACT_FILTER); /* a prompt open, then too small */
	tui_state_apply(&st, &rs);
	ck_assert(st.too_small);
	ck_assert_int_eq(tui_state_context(&st), TUI_CTX_GLOBAL);
	ck_assert_uint_eq(tui_state_apply(&st, &ch), TUI_RX_NONE);
	ck_assert_uint_eq(tui_state_action(&st, TUI_ACT_PROMPT_ACCEPT), TUI_RX_NONE);
	ck_assert_uint_eq(tui_state_action(&st, TUI_ACT_VIEW_FINDINGS), TUI_RX_NONE);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_SERVICES);
	ck_assert_str_eq(st.input, "");
	ck_assert(tui_state_action(&st, TUI_ACT_QUIT) & TUI_RX_QUIT);
	tui_state_done(&st);
}
END_TEST

/* Advice names the TUI's keys; an action of another view is refused where it means nothing. */
START_TEST(test_flags_to_keys_and_refusals)
{
	struct tui_state st;
	char *t = views_keys_for_flags("set \"user\" to a non-root UID (e.g. --user 1000) or "
				       "leave host mode (--network-mode)");

	ck_assert_str_eq(t, "set \"user\" to a non-root UID (key u) or leave host mode (n "
			    "(network mode))");
	free(t);
	tui_fixture_load(&st, 0, 24, 80);
	tui_state_action(&st, TUI_ACT_APPROVE); /* :approve from a list */
	ck_assert_int_eq(st.prompt, TUI_PROMPT_NONE);
	ck_assert_ptr_nonnull(strstr(st.status, "approve: not here"));
	st.job = TUI_JOB_SCAN;
	tui_state_action(&st, TUI_ACT_REFRESH);
	ck_assert_ptr_nonnull(strstr(st.status, "busy: "));
	st.job = TUI_JOB_NONE;
	tui_state_done(&st);
}
END_TEST

/* :owners counts failing services and revisions per owner; Enter filters the services. */
START_TEST(test_owners_and_accounts_views)
{
	struct tui_state st;
	const struct tui_list *l;

	tui_fixture_load(&st, 0, 24, 100);
	tui_state_action(&st, TUI_ACT_VIEW_OWNERS);
	l = tui_state_list(&st);
	ck_assert_uint_ge(l->nrows, 1);
	ck_assert(tui_fixture_rows_have(&st, "alice@example.com"));
	for (size_t i = 0; i < l->nrows; i++)
		if (strcmp(l->rowv[i].cells[0], "alice@example.com") == 0)
			tui_list_move((struct tui_list *)l, (long)i, 20);
	tui_state_action(&st, TUI_ACT_OPEN);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_SERVICES);
	ck_assert_str_eq(tui_state_view(&st)->filter, "owner:alice@example.com");
	ck_assert(tui_fixture_rows_have(&st, "web"));
	tui_state_action(&st, TUI_ACT_VIEW_ACCOUNTS);
	ck_assert(tui_fixture_rows_have(&st, "123456789012"));
	ck_assert(!st.multi_target);
	{
		/* a report of two accounts: multi_target, one :accounts row each */
		struct tui_event ev = {.type = TUI_EV_SCAN_DONE};
		json_object *svcs;

		ev.doc = jsonx_clone(st.report);
		svcs = jsonx_array(ev.doc, "services");
		for (size_t i = 0; i < json_object_array_length(svcs); i++)
			json_object_object_add(
			    json_object_array_get_idx(svcs, i), "accountId",
			    json_object_new_string(i ? "111111111111" : "222222222222"));
		tui_state_apply(&st, &ev);
		ck_assert(st.multi_target);
		ck_assert(tui_fixture_rows_have(&st, "111111111111"));
		ck_assert(tui_fixture_rows_have(&st, "222222222222"));
	}
	tui_state_done(&st);
}
END_TEST

START_TEST(test_state_help_generated_from_table)
{
	struct tui_state st;
	size_t n;
	const struct tui_binding *b = keymap_bindings(&n);

	tui_fixture_load(&st, 1, 60, 100);
	tui_state_action(&st, TUI_ACT_HELP);
	ck_assert_int_eq(tui_state_view(&st)->id, TUI_VIEW_HELP);
	/* read-only: every key but those that change the account; no approve anywhere */
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(tui_fixture_rows_have(&st, tui_action_help(b[i].action)) ==
				  !(tui_action_flags(b[i].action) & TUI_AF_WRITES),
			      "help and %s", tui_action_name(b[i].action));
	ck_assert(tui_fixture_rows_have(&st, "Started with --read-only"));
	ck_assert(!tui_fixture_rows_have(&st, "Keys (generated"));
	tui_state_done(&st);
}
END_TEST

static Suite *tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *k = tcase_create("keymap"), *t = tcase_create("state");

	tcase_add_test(k, test_keymap_every_binding_parses);
	tcase_add_test(k, test_keymap_no_duplicate_in_context);
	tcase_add_test(k, test_keymap_lookup_falls_back_to_global);
	tcase_add_test(k, test_keymap_bad_names);
	tcase_add_test(k, test_actions_names_unique);
	tcase_add_test(k, test_man_page_mentions_every_key);
	suite_add_tcase(s, k);
	tcase_add_test(t, test_state_loads_report_problems_first);
	tcase_add_test(t, test_state_moves_and_clamps);
	tcase_add_test(t, test_state_filter_and_escape_clears);
	tcase_add_test(t, test_state_detail_shows_people_and_sharing);
	tcase_add_test(t, test_state_diff_and_options_recompute);
	tcase_add_test(t, test_state_stale_plan_ignored);
	tcase_add_test(t, test_state_write_plan_default_path);
	tcase_add_test(t, test_state_approve_needs_yes);
	tcase_add_test(t, test_state_apply_progress_failure_rollback);
	tcase_add_test(t, test_state_read_only_refuses_in_one_place);
	tcase_add_test(t, test_state_commands_and_clusters);
	tcase_add_test(t, test_state_errors_show_with_hint);
	tcase_add_test(t, test_state_resize_keeps_selection_visible);
	tcase_add_test(t, test_state_help_generated_from_table);
	tcase_add_test(t, test_list_widget_moves_clamps_follows);
	tcase_add_test(t, test_filter_fields_and_replace);
	tcase_add_test(t, test_findings_sorted_deduplicated);
	tcase_add_test(t, test_approval_toggle_leaves_out);
	tcase_add_test(t, test_too_small_and_help_q);
	tcase_add_test(t, test_flags_to_keys_and_refusals);
	tcase_add_test(t, test_owners_and_accounts_views);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tui_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
