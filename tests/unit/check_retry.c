/* check_retry.c: the retry decision (aws/retry.h) as a table of cases. */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "aws/retry.h"

#define Q AWS_RETRY_QUOTA_MAX

static const struct {
	const char *name;
	struct aws_retry_in in;
	enum aws_retry_verdict verdict;
	int cost;
	int64_t delay_ms;
	int jitter;
} retry_cases[] = {
    /* name, {transport, maybe_sent, status, throttled, transient, skewed, idempotent,
	      attempts, max, quota, cancelled}, verdict, cost, delay, jitter */
    {"throttled read, first attempt",
     {0, 1, 400, 1, 0, 0, 1, 1, 3, Q, 0},
     AWS_RETRY_YES,
     5,
     1000,
     1},
    {"throttled read, second attempt",
     {0, 1, 400, 1, 0, 0, 1, 2, 3, Q, 0},
     AWS_RETRY_YES,
     5,
     2000,
     1},
    {"throttled, attempts used up", {0, 1, 400, 1, 0, 0, 1, 3, 3, Q, 0}, AWS_RETRY_NO, 5, 0, 0},
    {"500 read", {0, 1, 500, 0, 1, 0, 1, 1, 3, Q, 0}, AWS_RETRY_YES, 14, 50, 1},
    {"503 read, fifth of ten", {0, 1, 503, 0, 1, 0, 1, 5, 10, Q, 0}, AWS_RETRY_YES, 14, 800, 1},
    {"back-off capped at 20 s", {0, 1, 400, 1, 0, 0, 1, 9, 20, Q, 0}, AWS_RETRY_YES, 5, 20000, 1},
    {"access denied: final", {0, 1, 403, 0, 0, 0, 1, 1, 3, Q, 0}, AWS_RETRY_NO, 14, 0, 0},
    {"validation error: final", {0, 1, 400, 0, 0, 0, 1, 1, 3, Q, 0}, AWS_RETRY_NO, 14, 0, 0},
    {"connection refused, read", {1, 0, 0, 0, 0, 0, 1, 1, 3, Q, 0}, AWS_RETRY_YES, 14, 50, 1},
    {"timeout after sending, read", {1, 1, 0, 0, 0, 0, 1, 1, 3, Q, 0}, AWS_RETRY_YES, 14, 50, 1},
    {"register: not sent, retried", {1, 0, 0, 0, 0, 0, 0, 1, 3, Q, 0}, AWS_RETRY_YES, 14, 50, 1},
    {"register: timeout after sending",
     {1, 1, 0, 0, 0, 0, 0, 1, 3, Q, 0},
     AWS_RETRY_MAYBE_DONE,
     14,
     0,
     0},
    {"register: 500 may have acted",
     {0, 1, 500, 0, 1, 0, 0, 1, 3, Q, 0},
     AWS_RETRY_MAYBE_DONE,
     14,
     0,
     0},
    {"register: 4xx throttling does not prove it was not acted on",
     {0, 1, 400, 1, 0, 0, 0, 1, 3, Q, 0},
     AWS_RETRY_MAYBE_DONE,
     5,
     0,
     0},
    {"register: 503 throttling may have acted",
     {0, 1, 503, 1, 0, 0, 0, 1, 3, Q, 0},
     AWS_RETRY_MAYBE_DONE,
     5,
     0,
     0},
    {"clock skew: at once, free", {0, 1, 403, 0, 1, 1, 1, 1, 3, 0, 0}, AWS_RETRY_YES, 0, 0, 0},
    {"clock skew on register", {0, 1, 403, 0, 1, 1, 0, 1, 3, Q, 0}, AWS_RETRY_YES, 0, 0, 0},
    {"quota used up", {0, 1, 500, 0, 1, 0, 1, 1, 3, 13, 0}, AWS_RETRY_NO_QUOTA, 14, 0, 0},
    {"quota enough for throttling", {0, 1, 400, 1, 0, 0, 1, 1, 3, 5, 0}, AWS_RETRY_YES, 5, 1000, 1},
    {"cancelled", {0, 1, 500, 0, 1, 0, 1, 1, 3, Q, 1}, AWS_RETRY_NO, 14, 0, 0},
    {"one attempt allowed", {1, 0, 0, 0, 0, 0, 1, 1, 1, Q, 0}, AWS_RETRY_NO, 14, 0, 0},
};

START_TEST(test_retry_table)
{
	struct aws_retry_out out;

	aws_retry_decide(&retry_cases[_i].in, &out);
	ck_assert_msg(out.verdict == retry_cases[_i].verdict, "%s: verdict %d, expected %d",
		      retry_cases[_i].name, out.verdict, retry_cases[_i].verdict);
	ck_assert_msg(out.cost == retry_cases[_i].cost, "%s: cost %d", retry_cases[_i].name,
		      out.cost);
	ck_assert_msg(out.delay_ms == retry_cases[_i].delay_ms, "%s: delay %lld",
		      retry_cases[_i].name, (long long)out.delay_ms);
	ck_assert_msg(out.jitter == retry_cases[_i].jitter, "%s: jitter", retry_cases[_i].name);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = tcase_create("decide");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_retry_table, 0,
			    (int)(sizeof retry_cases / sizeof retry_cases[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
