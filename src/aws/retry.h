/* retry.h: whether and when a failed AWS call is tried again: a pure function (no I/O, no
 * clock, no randomness), so its cases are a table in tests/unit/check_retry.c. */
#ifndef ECSFIX_AWS_RETRY_H
#define ECSFIX_AWS_RETRY_H

#include <stdint.h>

/* Standard mode: a retry quota of 500; a retry costs 5 after throttling, 14 otherwise, and a
 * success gives back what its last retry cost (at least 1). */
#define AWS_RETRY_QUOTA_MAX            500
#define AWS_RETRY_COST_THROTTLE        5
#define AWS_RETRY_COST_TRANSIENT       14
#define AWS_RETRY_BACKOFF_THROTTLE_MS  1000
#define AWS_RETRY_BACKOFF_TRANSIENT_MS 50
#define AWS_RETRY_BACKOFF_MAX_MS       20000

/* What the attempt that just failed tells. */
struct aws_retry_in {
	int transport;    /* 1: no complete HTTP answer (connection error, timeout, reset) */
	int maybe_sent;   /* transport: request bytes may have reached the server */
	long http_status; /* the answer's status (not transport) */
	int throttled;    /* a throttling error code or status */
	int transient;    /* a 5xx or a transient error code */
	int skewed;       /* a clock-skew answer and the clock was corrected */
	int idempotent;   /* a repeat cannot do the work twice */
	int attempts;     /* attempts made, this one included */
	int max_attempts;
	int quota;     /* retry quota left */
	int cancelled; /* the user asked to stop */
};

enum aws_retry_verdict {
	AWS_RETRY_NO,         /* a final failure (not retryable, attempts used up, cancelled) */
	AWS_RETRY_YES,        /* again after delay_ms (a full-jitter maximum unless no_jitter) */
	AWS_RETRY_MAYBE_DONE, /* not retried: not idempotent and it may have been processed */
	AWS_RETRY_NO_QUOTA,   /* retryable, but the retry quota is used up */
};

struct aws_retry_out {
	enum aws_retry_verdict verdict;
	int cost;         /* taken from the quota when retried */
	int64_t delay_ms; /* the back-off (the upper bound of the jitter) */
	int jitter;       /* 1: sleep a random part of delay_ms; 0: exactly delay_ms */
};

void aws_retry_decide(const struct aws_retry_in *in, struct aws_retry_out *out);

#endif
