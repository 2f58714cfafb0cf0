/* check_diff.c: unit tests of the line diff (core/diff.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static size_t dt_count(const struct diff *d, char kind)
{
	size_t i, n = 0;

	for (i = 0; i < d->nlines; i++)
		n += d->lines[i].kind == kind;
	return n;
}

START_TEST(test_diff_one_flag)
{
	const char *a = "{\"family\": \"w\", \"containerDefinitions\": [{\"name\": \"a\", "
			"\"image\": \"x\", \"privileged\": true, \"memory\": 5, \"cpu\": 1}], "
			"\"cpu\": \"256\", \"memory\": \"512\", \"pidMode\": \"task\"}";
	json_object *old_doc, *new_doc;
	struct diff d;
	struct err e;
	char *u;

	err_clear(&e);
	ck_assert_int_eq(jsonx_parse(a, strlen(a), &old_doc, &e), 0);
	new_doc = jsonx_clone(old_doc);
	json_object_object_add(
	    json_object_array_get_idx(json_object_object_get(new_doc, "containerDefinitions"), 0),
	    "privileged", json_object_new_boolean(0));
	diff_json(old_doc, new_doc, DIFF_CONTEXT_DEFAULT, &d);
	ck_assert_uint_eq(d.nhunks, 1);
	ck_assert_uint_eq(d.ndeleted, 1);
	ck_assert_uint_eq(d.nadded, 1);
	ck_assert_uint_eq(dt_count(&d, '-'), 1);
	ck_assert_uint_eq(dt_count(&d, '+'), 1);
	ck_assert_uint_eq(dt_count(&d, ' '), 6);
	u = diff_unified(&d, "a/w:3", "b/w:new");
	ck_assert_str_eq(u, "--- a/w:3\n"
			    "+++ b/w:new\n"
			    "@@ -4,7 +4,7 @@\n"
			    "     {\n"
			    "       \"name\": \"a\",\n"
			    "       \"image\": \"x\",\n"
			    "-      \"privileged\": true,\n"
			    "+      \"privileged\": false,\n"
			    "       \"memory\": 5,\n"
			    "       \"cpu\": 1\n"
			    "     }\n");
	free(u);
	diff_done(&d);
	json_object_put(old_doc);
	json_object_put(new_doc);
}
END_TEST

START_TEST(test_diff_texts_hunks)
{
	struct strbuf a, b;
	struct diff d;
	char *u;
	int i;

	strbuf_init(&a);
	strbuf_init(&b);
	for (i = 1; i <= 30; i++) {
		strbuf_printf(&a, "line %d\n", i);
		if (i == 5)
			strbuf_puts(&b, "changed 5\n");
		else if (i == 20)
			continue; /* deleted */
		else
			strbuf_printf(&b, "line %d\n", i);
		if (i == 30)
			strbuf_puts(&b, "added at end\n");
	}
	diff_texts(a.buf, b.buf, 3, &d);
	ck_assert_uint_eq(d.nhunks, 3);
	ck_assert_int_eq(d.hunks[0].old_start, 2);
	ck_assert_int_eq(d.hunks[0].old_count, 7);
	ck_assert_int_eq(d.hunks[0].new_count, 7);
	ck_assert_int_eq(d.hunks[1].old_start, 17);
	ck_assert_int_eq(d.hunks[1].old_count, 7);
	ck_assert_int_eq(d.hunks[1].new_count, 6);
	ck_assert_int_eq(d.hunks[2].old_count, 3);
	ck_assert_int_eq(d.hunks[2].new_count, 4);
	ck_assert_uint_eq(d.nadded, 2);
	ck_assert_uint_eq(d.ndeleted, 2);
	ck_assert_int_eq(d.lines[d.hunks[0].first + 3].kind, '-');
	ck_assert_str_eq(d.lines[d.hunks[0].first + 3].text, "line 5");
	ck_assert_int_eq(d.lines[d.hunks[0].first + 3].old_no, 5);
	ck_assert_int_eq(d.lines[d.hunks[0].first + 4].new_no, 5);
	ck_assert_int_eq(d.lines[d.hunks[0].first + 4].old_no, 0);
	u = diff_unified(&d, "a", "b");
	ck_assert_ptr_nonnull(strstr(u, "@@ -2,7 +2,7 @@\n line 2\n"));
	ck_assert_ptr_nonnull(strstr(u, "@@ -17,7 +17,6 @@\n"));
	ck_assert_ptr_nonnull(strstr(u, "-line 20\n"));
	ck_assert_ptr_nonnull(strstr(u, "@@ -28,3 +27,4 @@\n line 28\n line 29\n line 30\n+added"));
	free(u);
	diff_done(&d);
	/* context 0 and a close pair merging with context 3 */
	diff_texts("a\nb\nc\n", "a\nB\nc\n", 0, &d);
	ck_assert_uint_eq(d.nhunks, 1);
	ck_assert_uint_eq(d.nlines, 2);
	u = diff_unified(&d, "x", "y");
	ck_assert_str_eq(u, "--- x\n+++ y\n@@ -2 +2 @@\n-b\n+B\n");
	free(u);
	diff_done(&d);
	strbuf_done(&a);
	strbuf_done(&b);
}
END_TEST

START_TEST(test_diff_edges)
{
	struct diff d;
	char *u;

	diff_texts("same\n", "same\n", 3, &d);
	ck_assert_uint_eq(d.nhunks, 0);
	u = diff_unified(&d, "a", "b");
	ck_assert_str_eq(u, "");
	free(u);
	diff_done(&d);
	diff_texts("", "x\ny\n", 3, &d);
	ck_assert_uint_eq(d.nhunks, 1);
	u = diff_unified(&d, "a", "b");
	ck_assert_str_eq(u, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	free(u);
	diff_done(&d);
	diff_texts("x\ny\n", "", 3, &d);
	u = diff_unified(&d, "a", "b");
	ck_assert_str_eq(u, "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
	free(u);
	diff_done(&d);
	/* a line without a final newline */
	diff_texts("a\nb", "a\nc", 1, &d);
	ck_assert_uint_eq(d.ndeleted, 1);
	ck_assert_str_eq(d.lines[1].text, "b");
	diff_done(&d);
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_diff_one_flag);
	tcase_add_test(tc, test_diff_texts_hunks);
	tcase_add_test(tc, test_diff_edges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diff_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
