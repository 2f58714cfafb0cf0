/* check_sanitize.c: unit tests of util/sanitize (terminal-safe text, clean JSON text). */
#include "config.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/jsonx.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static const struct {
	const char *in;
	unsigned flags;
	const char *want;
} text_cases[] = {
    {"plain web-1:3", 0, "plain web-1:3"},
    {"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80", 0,
     "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"},
    {"a\\b", 0, "a\\b"},
    /* CSI clear screen, OSC title (BEL and ST ends) */
    {"x\x1b[2Jy", 0, "x\\x1b[2Jy"},
    {"\x1b]0;pwned\x07name", 0, "\\x1b]0;pwned\\x07name"},
    {"\x1b]2;t\x1b\\", 0, "\\x1b]2;t\\x1b\\"},
    {"cr\rlf\nt\tb\bnul-less", 0, "cr\\x0dlf\\x0at\\x09b\\x08nul-less"},
    {"l1\nl2\tx\r", SANITIZE_TEXT, "l1\nl2\tx\\x0d"},
    {"l1\nl2\t", SANITIZE_KEEP_NL, "l1\nl2\\x09"},
    {"del\x7f", 0, "del\\x7f"},
    /* C1 controls as UTF-8: U+009B (CSI), U+0085 (NEL), U+009D (OSC) */
    {"a\xC2\x9B"
     "2Jb",
     0, "a\\u009b2Jb"},
    {"\xC2\x85\xC2\x9D", 0, "\\u0085\\u009d"},
    {"\xC2\xA0nbsp", 0, "\xC2\xA0nbsp"},
    /* the raw 8-bit C1 byte is invalid UTF-8 */
    {"a\x9B"
     "2J",
     0,
     "a\xEF\xBF\xBD"
     "2J"},
    /* invalid UTF-8: lone continuation, overlong, surrogate, > U+10FFFF, truncated */
    {"\x80x", 0, "\xEF\xBF\xBDx"},
    {"\xC0\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"\xE0\x80\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"\xF4\x90\x80\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"ab\xE2\x82", 0, "ab\xEF\xBF\xBD\xEF\xBF\xBD"},
    /* bidi override and isolate */
    {"evil\xE2\x80\xAEgpj.exe", 0, "evil\\u202egpj.exe"},
    {"\xE2\x81\xA6x\xE2\x81\xA9", 0, "\\u2066x\\u2069"},
    {"", 0, ""},
};

START_TEST(test_sanitize_text)
{
	const char *in = text_cases[_i].in, *want = text_cases[_i].want;
	unsigned flags = text_cases[_i].flags;
	char *got = sanitize_str(in, flags);

	ck_assert_msg(strcmp(got, want) == 0, "case %d: got \"%s\"", _i, got);
	ck_assert_int_eq(sanitize_needed(in, strlen(in), flags), strcmp(in, want) != 0);
	/* sanitizing is idempotent: what it shows is safe as it is */
	ck_assert_int_eq(sanitize_needed(got, strlen(got), flags), 0);
	free(got);
}
END_TEST

START_TEST(test_sanitize_embedded_nul_and_fprintf)
{
	struct strbuf sb;
	char *s, buf[256];
	FILE *fp;

	strbuf_init(&sb);
	sanitize_append(&sb, "a\0b", 3, 0);
	ck_assert_str_eq(sb.buf, "a\\x00b");
	strbuf_done(&sb);
	s = sanitize_printf(SANITIZE_KEEP_NL, "%s: %s\n", "ecsfix", "bad\x1b[31mred");
	ck_assert_str_eq(s, "ecsfix: bad\\x1b[31mred\n");
	free(s);
	s = sanitize_str(NULL, 0);
	ck_assert_str_eq(s, "");
	free(s);
	fp = fmemopen(buf, sizeof buf, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_ge(sanitize_fprintf(fp, 0, "id %s", "req\x1b]0;x\x07"), 0);
	ck_assert_int_ge(sanitize_fputs(" ok\xC2\x9B", fp, 0), 0);
	fclose(fp);
	ck_assert_str_eq(buf, "id req\\x1b]0;x\\x07 ok\\u009b");
	/* coloured text only when the plain text is clean */
	fp = fmemopen(buf, sizeof buf, "w");
	sanitize_fputs_colored(fp, "a b\n", "\x1b[1ma\x1b[0m b\n", SANITIZE_TEXT);
	sanitize_fputs_colored(fp, "c\x1b]0;t\x07\n", "\x1b[1mc\x1b]0;t\x07\x1b[0m\n",
			       SANITIZE_TEXT);
	sanitize_fputs_colored(fp, "d\n", NULL, SANITIZE_TEXT);
	fclose(fp);
	ck_assert_str_eq(buf, "\x1b[1ma\x1b[0m b\nc\\x1b]0;t\\x07\nd\n");
}
END_TEST

START_TEST(test_sanitize_utf8_decode)
{
	unsigned long cp = 0;

	ck_assert_uint_eq(sanitize_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	ck_assert_uint_eq(cp, 0x41);
	ck_assert_uint_eq(sanitize_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20AC);
	ck_assert_uint_eq(sanitize_utf8_decode((const unsigned char *)"\xF4\x8F\xBF\xBF", 4, &cp),
			  4);
	ck_assert_uint_eq(cp, 0x10FFFF);
	/* a sequence cut by len is invalid even if the bytes after it would complete it */
	ck_assert_uint_eq(sanitize_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 2, &cp), 0);
	ck_assert_uint_eq(sanitize_utf8_decode((const unsigned char *)"\xC1\xBF", 2, &cp), 0);
	ck_assert_uint_eq(sanitize_utf8_decode((const unsigned char *)"\xF5\x80\x80\x80", 4, &cp),
			  0);
}
END_TEST

static const struct {
	const char *in, *want;
} json_cases[] = {
    {"{\"a\": \"x\"}", "{\"a\": \"x\"}"},
    {"{\n  \"a\": [ 1, 2 ]\n}\n", "{\n  \"a\": [ 1, 2 ]\n}\n"},
    /* escapes stay as they are, an escaped quote does not end the string */
    {"[\"\\u001b[2J\\\"\x7f\"]", "[\"\\u001b[2J\\\"\\u007f\"]"},
    {"[\"\xC2\x9B\", \"caf\xC3\xA9\"]", "[\"\\u009b\", \"caf\xC3\xA9\"]"},
    {"[\"bad\xFF\xC3\"]", "[\"bad\\ufffd\\ufffd\"]"},
    {"[\"raw\x1b\tc\"]", "[\"raw\\u001b\\u0009c\"]"},
    {"{\"k\xE2\x80\xAE\": 1}", "{\"k\\u202e\": 1}"},
};

START_TEST(test_sanitize_json_text)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize_json_append(&sb, json_cases[_i].in, strlen(json_cases[_i].in));
	ck_assert_msg(strcmp(sb.buf, json_cases[_i].want) == 0, "case %d: got %s", _i, sb.buf);
	strbuf_done(&sb);
}
END_TEST

/* jsonx_pretty and jsonx_compact: always parseable (strict, UTF-8 validated) and free of raw
 * controls, whatever bytes the strings hold. */
START_TEST(test_jsonx_output_is_clean)
{
	static const char nasty[] = "n\x1b]0;t\x07\x7f\xC2\x9B\xFF\xE2\x80\xAE\n\"\\end";
	json_object *o = json_object_new_object(), *back = NULL;
	struct err e;
	char *texts[2];
	size_t i, j;

	json_object_object_add(o, nasty, json_object_new_string(nasty));
	texts[0] = jsonx_pretty(o);
	texts[1] = jsonx_compact(o);
	for (i = 0; i < 2; i++) {
		const unsigned char *t = (const unsigned char *)texts[i];

		for (j = 0; t[j] != '\0'; j++)
			ck_assert_msg((t[j] >= 0x20 && t[j] < 0x7F) || t[j] == '\n',
				      "raw byte 0x%02x in %s", t[j], texts[i]);
		ck_assert_int_eq(jsonx_parse(texts[i], strlen(texts[i]), &back, &e), 0);
		ck_assert_str_eq(jsonx_str(back,
					   "n\x1b]0;t\x07\x7f\xC2\x9B\xEF\xBF\xBD\xE2\x80\xAE\n"
					   "\"\\end"),
				 "n\x1b]0;t\x07\x7f\xC2\x9B\xEF\xBF\xBD\xE2\x80\xAE\n\"\\end");
		json_object_put(back);
		free(texts[i]);
	}
	json_object_put(o);
}
END_TEST

START_TEST(test_sanitize_json_copy)
{
	json_object *in = NULL, *out;
	struct err e;
	static const char doc[] =
	    "{\"services\": [{\"name\": \"web\\u001b]0;t\\u0007\", \"desired\": 2, "
	    "\"ok\": true, \"none\": null}], \"k\\u009b\": [\"\\u202e\", 1.5]}";

	ck_assert_int_eq(jsonx_parse(doc, strlen(doc), &in, &e), 0);
	out = sanitize_json_copy(in, 0);
	ck_assert_str_eq(
	    jsonx_str(json_object_array_get_idx(jsonx_array(out, "services"), 0), "name"),
	    "web\\x1b]0;t\\x07");
	ck_assert_int_eq(
	    jsonx_int(json_object_array_get_idx(jsonx_array(out, "services"), 0), "desired", 0), 2);
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(jsonx_array(out, "k\\u009b"), 0)),
	    "\\u202e");
	/* the original is untouched */
	ck_assert_str_eq(
	    jsonx_str(json_object_array_get_idx(jsonx_array(in, "services"), 0), "name"),
	    "web\x1b]0;t\x07");
	json_object_put(out);
	json_object_put(in);
}
END_TEST

static Suite *sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_sanitize_text, 0, sizeof text_cases / sizeof text_cases[0]);
	tcase_add_test(tc, test_sanitize_embedded_nul_and_fprintf);
	tcase_add_test(tc, test_sanitize_utf8_decode);
	tcase_add_loop_test(tc, test_sanitize_json_text, 0,
			    sizeof json_cases / sizeof json_cases[0]);
	tcase_add_test(tc, test_jsonx_output_is_clean);
	tcase_add_test(tc, test_sanitize_json_copy);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sanitize_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
