/* check_tui_render.c: headless render tests: each view drawn from the fixture report into
 * a curses screen on /dev/null at a fixed size, read back with mvinnwstr (draw_dump) and
 * compared with golden files (tests/data/tui/NAME.screen; ECSFIX_UPDATE_GOLDEN=1 rewrites them)
 * or expected substrings. */
#include "config.h"

#include "tui_fixture.h"
#include "util/jsonx.h"

#include "tui/draw.h"
#include "util/fileio.h"

#include <curses.h>
#include <locale.h>

struct render {
	SCREEN *scr;
	FILE *out, *in;
	struct draw_theme th;
	struct tui_state st;
};

static void render_open(struct render *r, int rows, int cols, int read_only)
{
	setlocale(LC_ALL, "C.UTF-8");
	r->out = fopen("/dev/null", "w");
	r->in = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(r->out);
	r->scr = newterm("xterm-256color", r->out, r->in);
	if (r->scr == NULL)
		r->scr = newterm("dumb", r->out, r->in);
	ck_assert_ptr_nonnull(r->scr);
	set_term(r->scr);
	resizeterm(rows, cols);
	ck_assert_int_eq(LINES, rows);
	ck_assert_int_eq(COLS, cols);
	draw_theme_init(&r->th, 0);
	tui_fixture_load(&r->st, read_only, rows, cols);
}

static char *render_draw(struct render *r)
{
	draw_screen(&r->st, &r->th, TUI_RX_ALL | TUI_RX_CLEAR);
	return draw_dump();
}

static void render_close(struct render *r)
{
	tui_state_done(&r->st);
	endwin();
	delscreen(r->scr);
	fclose(r->out);
	fclose(r->in);
}

static void render_golden(const char *name, const char *got)
{
	char *path = tui_fixture_path(name), *want = NULL;
	const char *update = getenv("ECSFIX_UPDATE_GOLDEN");
	size_t len;
	struct err e;

	if (update && *update == '1') {
		ck_assert_int_eq(file_write_atomic(path, got, strlen(got), 0644, 0, &e), 0);
	} else {
		ck_assert_msg(file_read_all(path, 1 << 20, &want, &len, &e) == 0, "%s", e.msg);
		ck_assert_msg(strcmp(want, got) == 0, "%s differs; got:\n%s", name, got);
	}
	free(want);
	free(path);
}

/* The display column where needle starts on the line of the dump that contains it. */
static int render_column(const char *dump, const char *line_has, const char *needle)
{
	const char *l = strstr(dump, line_has), *bol, *at;
	char *prefix;
	int w;

	ck_assert_ptr_nonnull(l);
	for (bol = l; bol > dump && bol[-1] != '\n'; bol--)
		;
	at = strstr(bol, needle);
	ck_assert_ptr_nonnull(at);
	prefix = xstrndup(bol, (size_t)(at - bol));
	w = draw_width(prefix);
	free(prefix);
	return w;
}

START_TEST(test_render_home_golden_and_wide_alignment)
{
	struct render r;
	char *dump;

	render_open(&r, 24, 80, 0);
	dump = render_draw(&r);
	render_golden("home-80x24.screen", dump);
	ck_assert_ptr_nonnull(strstr(dump, "account 123456789012"));
	ck_assert_ptr_nonnull(strstr(dump, "画像サービス"));
	/* wide names keep the columns aligned */
	ck_assert_int_eq(render_column(dump, "REVISION", "REVISION"),
			 render_column(dump, "画像処理:2", "画像処理:2"));
	ck_assert_int_eq(render_column(dump, "REVISION", "LAUNCH"),
			 render_column(dump, "画像処理:2", "EC2"));
	ck_assert_int_eq(render_column(dump, "node-agent:3", "node-agent:3"),
			 render_column(dump, "画像処理:2", "画像処理:2"));
	free(dump);
	render_close(&r);
}
END_TEST

START_TEST(test_render_selected_row_reverse_in_monochrome)
{
	struct render r;
	char *dump;

	render_open(&r, 24, 80, 0);
	dump = render_draw(&r);
	ck_assert(mvinch(3, 2) & A_REVERSE);    /* the selected first service */
	ck_assert(!(mvinch(4, 2) & A_REVERSE)); /* the next one */
	ck_assert(mvinch(0, 2) & A_REVERSE);    /* the header */
	free(dump);
	render_close(&r);
}
END_TEST

START_TEST(test_render_diff_golden)
{
	struct render r;
	char *dump;

	render_open(&r, 24, 80, 0);
	tui_state_action(&r.st, TUI_ACT_MOVE_DOWN);
	tui_state_action(&r.st, TUI_ACT_DIFF);
	tui_fixture_plan(&r.st);
	dump = render_draw(&r);
	render_golden("diff-80x24.screen", dump);
	ck_assert_ptr_nonnull(strstr(dump, "+    \"privileged\": false,"));
	ck_assert_ptr_nonnull(strstr(dump, "u set-user  n set-network"));
	free(dump);
	render_close(&r);
}
END_TEST

START_TEST(test_render_detail_clusters_taskdefs_findings_help)
{
	struct render r;
	char *dump;

	render_open(&r, 30, 100, 1);
	tui_state_action(&r.st, TUI_ACT_MOVE_DOWN);
	tui_state_action(&r.st, TUI_ACT_OPEN);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "Service prod/web"));
	ck_assert_ptr_nonnull(strstr(dump, "The people to ask before changing it"));
	ck_assert_ptr_nonnull(strstr(dump, "READ-ONLY"));
	free(dump);
	tui_state_action(&r.st, TUI_ACT_VIEW_CLUSTERS);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "Clusters: 3"));
	ck_assert_ptr_nonnull(strstr(dump, "データ"));
	free(dump);
	tui_state_action(&r.st, TUI_ACT_VIEW_TASKDEFS);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "OWNER"));
	ck_assert_ptr_nonnull(strstr(dump, "ECS.4,ECS.17,ECS.20"));
	free(dump);
	tui_state_action(&r.st, TUI_ACT_VIEW_FINDINGS);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "Security Hub findings: 2 failed, 1 passed"));
	ck_assert_ptr_nonnull(strstr(dump, "NOTIFIED"));
	free(dump);
	tui_state_action(&r.st, TUI_ACT_HELP);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "Help (read-only"));
	ck_assert_ptr_nonnull(strstr(dump, "j <Down>"));
	free(dump);
	render_close(&r);
}
END_TEST

START_TEST(test_render_approval_dialog_and_apply)
{
	struct render r;
	struct tui_event ev = {.type = TUI_EV_STEP};
	char *dump;

	render_open(&r, 24, 80, 0);
	tui_state_action(&r.st, TUI_ACT_MOVE_DOWN);
	tui_state_action(&r.st, TUI_ACT_DIFF);
	tui_fixture_plan(&r.st);
	tui_state_action(&r.st, TUI_ACT_APPROVE);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "Approve the change"));
	ck_assert_ptr_nonnull(strstr(dump, "Update staging/web (running 1 / desired 1)"));
	ck_assert_ptr_nonnull(strstr(dump, "Type yes and Enter"));
	free(dump);
	tui_fixture_type(&r.st, "yes");
	tui_state_action(&r.st, TUI_ACT_PROMPT_ACCEPT);
	ev.step.kind = TUI_STEP_REGISTER;
	ev.step.subject = (char *)"web:8";
	ev.step.text = (char *)"registered";
	ev.step.state = TUI_STEP_DONE;
	tui_state_apply(&r.st, &ev);
	ev.step.kind = TUI_STEP_ROLLOUT;
	ev.step.subject = (char *)"prod/web";
	ev.step.text = (char *)"IN_PROGRESS";
	ev.step.running = 1;
	ev.step.desired = 2;
	ev.step.state = TUI_STEP_RUNNING;
	tui_state_apply(&r.st, &ev);
	ev.step.subject = ev.step.text = NULL;
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "[x] register web:8: registered"));
	ck_assert_ptr_nonnull(strstr(dump, "[>] rollout prod/web [##########..........] 1/2"));
	ck_assert_ptr_nonnull(strstr(dump, "applying the change"));
	free(dump);
	render_close(&r);
}
END_TEST

START_TEST(test_render_too_small)
{
	struct render r;
	char *dump;

	render_open(&r, 20, 60, 0);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "terminal too small: 60x20 (ecsfix needs 80x24)"));
	ck_assert_ptr_null(strstr(dump, "CLUSTER"));
	free(dump);
	render_close(&r);
}
END_TEST

START_TEST(test_render_error_in_status_line)
{
	struct render r;
	struct tui_event ev = {.type = TUI_EV_JOB_FAILED};
	char *dump;
	const char *last;

	render_open(&r, 24, 80, 0);
	ev.text = (char *)"DescribeServices: ThrottlingException: Rate exceeded";
	ev.hint = (char *)"retry in a minute; ecsfix already backs off";
	tui_state_apply(&r.st, &ev);
	ev.text = ev.hint = NULL;
	dump = render_draw(&r);
	/* too long for one line: the last two lines, cut at a blank, with the hint */
	last = dump + strlen(dump) - 1;
	for (int nl = 0; last > dump && nl < 2; last--)
		if (last[-1] == '\n')
			nl++;
	ck_assert_ptr_nonnull(strstr(last, "DescribeServices: ThrottlingException"));
	ck_assert_msg(strstr(last, "(retry in a minute; ecsfix\nalready backs off)\n") != NULL,
		      "[%s]", last);
	free(dump);
	render_close(&r);
}
END_TEST

/* Several accounts at 80 columns: ACCOUNT and REGION appear, RUN/DES and LAUNCH and OWNER make
 * room (by their priority), nothing is wider than the screen. */
START_TEST(test_render_multi_target_columns_fit)
{
	struct render r;
	struct tui_event ev = {.type = TUI_EV_SCAN_DONE};
	json_object *svcs;
	char *dump, *line, *save = NULL;

	render_open(&r, 24, 80, 0);
	ev.doc = jsonx_clone(r.st.report);
	svcs = jsonx_array(ev.doc, "services");
	for (size_t i = 0; i < json_object_array_length(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);

		json_object_object_add(
		    s, "accountId",
		    json_object_new_string(i % 2 ? "111111111111" : "222222222222"));
		json_object_object_add(s, "region", json_object_new_string("eu-west-1"));
	}
	tui_state_apply(&r.st, &ev);
	dump = render_draw(&r);
	ck_assert_ptr_nonnull(strstr(dump, "ACCOUNT"));
	ck_assert_ptr_nonnull(strstr(dump, "REGION"));
	ck_assert_ptr_nonnull(strstr(dump, "FINDINGS"));
	ck_assert_ptr_null(strstr(dump, "LAUNCH"));
	ck_assert_ptr_null(strstr(dump, "RUN/DES"));
	ck_assert_ptr_nonnull(strstr(dump, "222222222222 eu-west-1"));
	for (line = strtok_r(dump, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		ck_assert_int_le(draw_width(line), 80);
	free(dump);
	render_close(&r);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("tui_render");
	TCase *t = tcase_create("render");

	tcase_add_test(t, test_render_home_golden_and_wide_alignment);
	tcase_add_test(t, test_render_selected_row_reverse_in_monochrome);
	tcase_add_test(t, test_render_diff_golden);
	tcase_add_test(t, test_render_detail_clusters_taskdefs_findings_help);
	tcase_add_test(t, test_render_approval_dialog_and_apply);
	tcase_add_test(t, test_render_too_small);
	tcase_add_test(t, test_render_error_in_status_line);
	tcase_add_test(t, test_render_multi_target_columns_fit);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(render_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
