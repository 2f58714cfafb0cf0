/* check_report_md.c: unit tests of the Markdown escaping and the scan by owner
 * (core/report_md.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/report_md.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static const struct {
	const char *in, *text, *code;
} md_cases[] = {
    {"plain name", "plain name", "`plain name`"},
    {"a|b", "a\\|b", "`a|b`"},
    {"*bold* _x_ [l](u) <b>", "\\*bold\\* \\_x\\_ \\[l\\](u) \\<b\\>", "`*bold* _x_ [l](u) <b>`"},
    {"tick`s", "tick\\`s", "``tick`s``"},
    {"``x``", "\\`\\`x\\`\\`", "``` ``x`` ```"},
    {"line\nbreak\033[2J", "line break \\[2J", "`line break [2J`"},
    {"équipe-données", "équipe-données", "`équipe-données`"},
    {"a\\b & c", "a\\\\b \\& c", "`a\\b & c`"},
};

START_TEST(test_md_escape)
{
	struct strbuf sb;

	strbuf_init(&sb);
	report_md_text(&sb, md_cases[_i].in);
	ck_assert_str_eq(sb.buf, md_cases[_i].text);
	strbuf_reset(&sb);
	report_md_code(&sb, md_cases[_i].in);
	ck_assert_str_eq(sb.buf, md_cases[_i].code);
	strbuf_done(&sb);
}
END_TEST

static json_object *to_json(const char *text)
{
	char *s = xstrdup(text), *p;
	json_object *o = NULL;
	struct err e;

	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	err_clear(&e);
	if (jsonx_parse(s, strlen(s), &o, &e))
		ck_abort_msg("bad test JSON %s: %s", text, e.msg);
	free(s);
	return o;
}

START_TEST(test_md_scan_by_owner)
{
	json_object *r = to_json(
	    "{'region':'eu-west-1','summary':{'services':3},'services':["
	    "{'status':'PASSED','cluster':'c','name':'ok','owner':{'name':'bob'}},"
	    "{'status':'FAILED','cluster':'c','name':'web|1','taskDefinition':'arn:x/web:1',"
	    "'failing':['ECS.4'],'owner':{'name':'bob'}},"
	    "{'status':'EXCEPTED','cluster':'c','name':'ci','taskDefinition':'arn:x/ci:2',"
	    "'failing':['ECS.4'],'owner':null,'exception':{'until':'2027-01-01','approvedBy':"
	    "'al','reason':'dind'}}],"
	    "'taskDefinitions':[{'arn':'arn:x/old:3','result':'FAILED','failing':['ECS.17'],"
	    "'services':[],'owner':{'name':'Ann'}},"
	    "{'arn':'arn:x/web:1','result':'FAILED','services':['s'],'owner':{'name':'bob'}}]}");
	char *md = report_md_scan(r, 1), *ann, *bob, *none;

	ann = strstr(md, "\n## Ann\n");
	bob = strstr(md, "\n## bob\n");
	none = strstr(md, "\n## No owner found\n");
	ck_assert_msg(ann && bob && none && ann < bob && bob < none, "%s", md);
	ck_assert_ptr_nonnull(strstr(md, "| FAILED | c | web\\|1 | web:1 | ECS.4 |"));
	ck_assert_ptr_null(strstr(md, "| ok |")); /* passed: nothing to ask */
	ck_assert_ptr_nonnull(strstr(md, "| FAILED | old:3 | ECS.17 |"));
	ck_assert_ptr_nonnull(
	    strstr(md, "| EXCEPTED | c | ci | ci:2 | ECS.4 (excepted until 2027-01-01, approved "
		       "by al: dind) |"));
	free(md);
	/* not grouped: every service, with an Owner column */
	md = report_md_scan(r, 0);
	ck_assert_ptr_nonnull(strstr(md, "| PASSED | c | ok | - | - | bob |"));
	ck_assert_ptr_null(strstr(md, "\n## "));
	free(md);
	json_object_put(r);
}
END_TEST

static Suite *md_suite(void)
{
	Suite *s = suite_create("report_md");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_md_escape, 0, (int)(sizeof md_cases / sizeof md_cases[0]));
	tcase_add_test(tc, test_md_scan_by_owner);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(md_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
