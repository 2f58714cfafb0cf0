/* check_util.c: unit tests of the util layer. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/trace.h"
#include "util/xmalloc.h"

START_TEST(test_strbuf_grows)
{
	struct strbuf sb;
	int i;
	char *s;

	strbuf_init(&sb);
	for (i = 0; i < 1000; i++)
		strbuf_printf(&sb, "%d,", i);
	ck_assert_uint_eq(sb.len, strlen(sb.buf));
	ck_assert(strncmp(sb.buf, "0,1,2,", 6) == 0);
	ck_assert(strstr(sb.buf, "999,") != NULL);
	s = strbuf_take(&sb);
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_ptr_null(sb.buf);
	strbuf_puts(&sb, "again");
	ck_assert_str_eq(sb.buf, "again");
	free(s);
	strbuf_done(&sb);
}
END_TEST

START_TEST(test_strbuf_put_utf8)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_put_utf8(&sb, 0x41);    /* A */
	strbuf_put_utf8(&sb, 0xE9);    /* é */
	strbuf_put_utf8(&sb, 0x20AC);  /* € */
	strbuf_put_utf8(&sb, 0x1F600); /* 😀 */
	ck_assert_str_eq(sb.buf, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
	strbuf_done(&sb);
}
END_TEST

START_TEST(test_err_prefix_hint)
{
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(err_set(&e, "timed out after %d s", 5), -1);
	err_prefix(&e, "DescribeServices");
	err_hint(&e, "check %s", "the network");
	ck_assert_str_eq(e.msg, "DescribeServices: timed out after 5 s");
	ck_assert_str_eq(e.hint, "check the network");
}
END_TEST

static const struct {
	const char *text;
	const char *want; /* substring of the error, or NULL for success */
} parse_cases[] = {
    {"{\"a\": 1}", NULL},
    {"  [1, 2]\n", NULL},
    {"", "empty document"},
    {"   \n", "empty document"},
    {"{\"a\": ", "truncated"},
    {"{\"a\": 1} x", "line 1 column 10"},
    {"{\n  \"a\": tru }", "line 2"},
    {"<html><body>502 Bad Gateway</body></html>", "invalid JSON at line 1 column 1"},
    {"{\"a\": \"\xff\xfe\"}", "invalid JSON"},
    /* a scalar document ends at the end of the text (json-c waits for a delimiter) */
    {"null", NULL},
    {" -12.5e3 ", NULL},
    {"true", NULL},
    {"nul", "truncated"},
    {"[1", "truncated"},
};

START_TEST(test_jsonx_parse)
{
	json_object *obj = NULL;
	struct err e;
	int rc;

	err_clear(&e);
	rc = jsonx_parse(parse_cases[_i].text, strlen(parse_cases[_i].text), &obj, &e);
	if (parse_cases[_i].want == NULL) {
		ck_assert_msg(rc == 0, "case %d: %s", _i, e.msg);
		if (strcmp(parse_cases[_i].text, "null") != 0) /* json-c's null is NULL */
			ck_assert_ptr_nonnull(obj);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(obj);
		ck_assert_msg(strstr(e.msg, parse_cases[_i].want) != NULL, "case %d: got '%s'", _i,
			      e.msg);
	}
	json_object_put(obj);
}
END_TEST

START_TEST(test_jsonx_deep_nesting_rejected)
{
	char buf[400];
	json_object *obj = NULL;
	struct err e;

	memset(buf, '[', 200);
	memset(buf + 200, ']', 200);
	ck_assert_int_eq(jsonx_parse(buf, sizeof buf, &obj, &e), -1);
	ck_assert_ptr_null(obj);
}
END_TEST

START_TEST(test_jsonx_getters_and_pretty)
{
	const char *text = "{\"s\": \"x/y\", \"i\": 7, \"b\": true, \"o\": {}, \"a\": [1]}";
	json_object *obj;
	struct err e;
	char *p;

	ck_assert_int_eq(jsonx_parse(text, strlen(text), &obj, &e), 0);
	ck_assert_str_eq(jsonx_str(obj, "s"), "x/y");
	ck_assert_ptr_null(jsonx_str(obj, "i"));
	ck_assert_int_eq(jsonx_int(obj, "i", -1), 7);
	ck_assert_int_eq(jsonx_int(obj, "zz", -1), -1);
	ck_assert_int_eq(jsonx_bool(obj, "b"), 1);
	ck_assert_int_eq(jsonx_bool(obj, "s"), -1);
	ck_assert_ptr_nonnull(jsonx_obj(obj, "o"));
	ck_assert_ptr_null(jsonx_obj(obj, "a"));
	ck_assert_ptr_nonnull(jsonx_array(obj, "a"));
	p = jsonx_pretty(obj);
	ck_assert_msg(strstr(p, "\"s\": \"x/y\"") != NULL, "pretty: %s", p);
	ck_assert(p[strlen(p) - 1] == '\n');
	free(p);
	json_object_put(obj);
}
END_TEST

START_TEST(test_trace_redacts)
{
	char path[] = "/tmp/ecsfix-trace-XXXXXX", *buf;
	struct trace *t;
	size_t len;
	struct err e;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	t = trace_new(NULL, path);
	ck_assert_ptr_nonnull(t);
	trace_add_secret(t, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
	trace_printf(t, "Authorization: Credential=AKID, key=%s end",
		     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
	trace_free(t);
	ck_assert_int_eq(file_read_all(path, 1 << 20, &buf, &len, &e), 0);
	ck_assert_ptr_null(strstr(buf, "wJalrXUtnFEMI"));
	ck_assert_ptr_nonnull(strstr(buf, "key=**** end"));
	free(buf);
	unlink(path);
}
END_TEST

START_TEST(test_file_atomic_mode_and_errors)
{
	char dir[] = "/tmp/ecsfix-file-XXXXXX", *path, *buf;
	struct stat st;
	struct err e;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/plan.json", dir);
	ck_assert_int_eq(file_write_atomic(path, "{}", 2, 0600, 0, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* keep_mode keeps an existing file's mode */
	chmod(path, 0644);
	ck_assert_int_eq(file_write_atomic(path, "[1]", 3, 0600, 1, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	ck_assert_int_eq(file_read_all(path, 100, &buf, &len, &e), 0);
	ck_assert_str_eq(buf, "[1]");
	free(buf);
	/* caps and directories */
	ck_assert_int_eq(file_read_all(path, 2, &buf, &len, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "limit"));
	ck_assert_int_eq(file_read_all(dir, 100, &buf, &len, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "is a directory"));
	ck_assert_int_eq(file_read_all("/nonexistent/x", 100, &buf, &len, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/x: No such file"));
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

/* Files holding account data or secrets: 0600, no symlink followed, no FIFO, nobody else's. */
START_TEST(test_file_open_private)
{
	char dir[] = "/tmp/ecsfix-priv-XXXXXX", *path, *link, *fifo, *shared, *in_shared;
	struct stat st;
	struct trace *t;
	struct err e;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/trace.log", dir);
	link = xasprintf("%s/link.log", dir);
	fifo = xasprintf("%s/fifo", dir);
	shared = xasprintf("%s/shared", dir);
	in_shared = xasprintf("%s/shared/audit.jsonl", dir);
	/* created 0600 */
	fd = file_open_private(path, 1, &e);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	close(fd);
	/* an existing 0644 file is made 0600, not kept */
	ck_assert_int_eq(chmod(path, 0644), 0);
	t = trace_open(path, &e);
	ck_assert_ptr_nonnull(t);
	trace_free(t);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* a symbolic link is refused, also a dangling one, and its target is untouched */
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_ptr_null(trace_open(link, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "symbolic link"));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	unlink(link);
	ck_assert_int_eq(symlink("/nonexistent/ecsfix-target", link), 0);
	ck_assert_int_eq(file_open_private(link, 0, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "symbolic link"));
	/* a FIFO: refused at once (no waiting for a reader) */
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(file_open_private(fifo, 0, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
	/* a directory any user can write to: refused when asked */
	ck_assert_int_eq(mkdir(shared, 0700), 0);
	ck_assert_int_eq(chmod(shared, 01777), 0);
	ck_assert_int_eq(file_open_private(in_shared, 1, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "writable by every user"));
	ck_assert_int_ne(access(in_shared, F_OK), 0);
	fd = file_open_private(in_shared, 0, &e);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* another user's file (needs root to make one) */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 12345, 12345), 0);
		ck_assert_int_eq(file_open_private(path, 0, &e), -1);
		ck_assert_ptr_nonnull(strstr(e.msg, "owned by another user"));
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0644);
	}
	unlink(in_shared);
	rmdir(shared);
	unlink(fifo);
	unlink(link);
	unlink(path);
	rmdir(dir);
	free(in_shared);
	free(shared);
	free(fifo);
	free(link);
	free(path);
}
END_TEST

/* The trace shows controls from the wire visibly, keeps line breaks. */
START_TEST(test_trace_sanitizes)
{
	char path[] = "/tmp/ecsfix-trace-XXXXXX", *buf;
	struct trace *t;
	struct err e;
	size_t len;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	t = trace_new(NULL, path);
	ck_assert_ptr_nonnull(t);
	trace_printf(t, "x-amzn-RequestId: %s",
		     "r1\x1b]0;pwned\x07\x1b[2J\xc2\x9b"
		     "31m");
	trace_printf(t, "body:\n{\"a\": \"\xff\"}");
	trace_free(t);
	ck_assert_int_eq(file_read_all(path, 1 << 20, &buf, &len, &e), 0);
	ck_assert_ptr_null(strchr(buf, 0x1b));
	ck_assert_ptr_null(strchr(buf, 0x07));
	ck_assert_ptr_nonnull(
	    strstr(buf, "x-amzn-RequestId: r1\\x1b]0;pwned\\x07\\x1b[2J\\u009b31m\n"));
	ck_assert_ptr_nonnull(strstr(buf, "body:\n{\"a\": \"\xef\xbf\xbd\"}\n"));
	free(buf);
	unlink(path);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_strbuf_grows);
	tcase_add_test(tc, test_strbuf_put_utf8);
	tcase_add_test(tc, test_err_prefix_hint);
	tcase_add_loop_test(tc, test_jsonx_parse, 0, sizeof parse_cases / sizeof parse_cases[0]);
	tcase_add_test(tc, test_jsonx_deep_nesting_rejected);
	tcase_add_test(tc, test_jsonx_getters_and_pretty);
	tcase_add_test(tc, test_trace_redacts);
	tcase_add_test(tc, test_file_atomic_mode_and_errors);
	tcase_add_test(tc, test_file_open_private);
	tcase_add_test(tc, test_trace_sanitizes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
