/* retry.c: the retry decision of the AWS client, as a pure function. */
#include "config.h"

#include "aws/retry.h"

#include <string.h>

void aws_retry_decide(const struct aws_retry_in *in, struct aws_retry_out *out)
{
	int retryable, proven_unprocessed;
	int64_t delay;

	memset(out, 0, sizeof *out);
	if (in->transport) {
		retryable = 1;
		proven_unprocessed = !in->maybe_sent;
	} else {
		retryable = in->throttled || in->transient || in->skewed;
		/* a clock-skew answer comes before AWS acts on a request; a throttling answer
		 * does not prove it (the caller looks before repeating a register) */
		proven_unprocessed = in->http_status >= 400 && in->http_status < 500 && in->skewed;
	}
	out->cost = in->throttled ? AWS_RETRY_COST_THROTTLE : AWS_RETRY_COST_TRANSIENT;
	if (!retryable || in->attempts >= in->max_attempts || in->cancelled) {
		out->verdict = AWS_RETRY_NO;
		return;
	}
	if (!in->idempotent && !proven_unprocessed) {
		out->verdict = AWS_RETRY_MAYBE_DONE;
		return;
	}
	if (in->skewed) {
		/* our clock was wrong, not the service busy: at once, free */
		out->verdict = AWS_RETRY_YES;
		out->cost = 0;
		return;
	}
	if (in->quota < out->cost) {
		out->verdict = AWS_RETRY_NO_QUOTA;
		return;
	}
	delay = (int64_t)(in->throttled ? AWS_RETRY_BACKOFF_THROTTLE_MS
					: AWS_RETRY_BACKOFF_TRANSIENT_MS)
		<< (in->attempts > 20 ? 20 : in->attempts - 1);
	out->verdict = AWS_RETRY_YES;
	out->delay_ms = delay > AWS_RETRY_BACKOFF_MAX_MS ? AWS_RETRY_BACKOFF_MAX_MS : delay;
	out->jitter = 1;
}
