/* http.h: the HTTP transport: one libcurl connection pool, many requests in flight.
 * No signing, no retries, no AWS knowledge: client.c builds on it. */
#ifndef ECSFIX_AWS_HTTP_H
#define ECSFIX_AWS_HTTP_H

#include <signal.h>
#include <stddef.h>

struct err;
struct trace;

struct http_options {
	const char *ca_bundle;   /* PEM bundle or NULL (system store; AWS_CA_BUNDLE is read
				    by the caller) */
	int no_verify_ssl;       /* 1: skip TLS verification (caller warns) */
	long connect_timeout_ms; /* 0: default 10 s */
	long timeout_ms;         /* whole request; 0: default 60 s */
	size_t max_response;     /* response body cap; 0: default 64 MiB */
	int max_in_flight;       /* concurrent transfers; 0: default 16 */
	struct trace *trace;     /* borrowed; NULL: no trace */
	/* Set asynchronously (SIGINT): http_perform aborts the transfers in flight and fails
	 * the ones not started (transport_error CURLE_ABORTED_BY_CALLBACK, errmsg
	 * "cancelled"). May be NULL. */
	volatile sig_atomic_t *cancel;
};

struct http_pool;

struct http_request {
	/* in (borrowed, must outlive http_perform) */
	const char *method; /* "GET", "POST", "PUT", "PATCH" */
	const char *url;
	const char *const *headers; /* "Name: value" strings */
	size_t nheaders;
	const char *body; /* may be NULL */
	size_t body_len;
	long timeout_ms;   /* 0: the pool's default */
	int fresh_connect; /* 1: a new connection, never a kept-alive one that libcurl could
			      silently re-send the request on (non-idempotent calls) */

	/* out (owned by the request; http_request_done frees) */
	long status; /* HTTP status, 0 when no response */
	char *resp;  /* body, NUL-terminated, never NULL after http_perform */
	size_t resp_len;
	char request_id[128]; /* x-amzn-RequestId / x-amz-request-id, or "" */
	char error_type[256]; /* x-amzn-ErrorType, or "" */
	char date[64];        /* Date header, or "" (clock-skew correction) */
	int transport_error;  /* 0, or the CURLcode of a failed transfer */
	int maybe_sent;       /* 1 if any request byte may have reached the server */
	char errmsg[256];     /* transport failure text, or "" */
	int too_large;        /* 1: the body exceeded max_response and was cut off (then
				 transport_error is CURLE_FILESIZE_EXCEEDED) */
	long elapsed_ms;      /* time the transfer took */
};

int http_pool_new(const struct http_options *o, struct http_pool **out, struct err *e);
void http_pool_free(struct http_pool *p);

/* Performs reqs[0..n) concurrently over the pool's kept-alive connections, at most
 * max_in_flight at a time. Each request's outcome is in its own out fields (a transport
 * failure sets transport_error and errmsg; an HTTP error status is not a failure here).
 * Not thread-safe: one thread uses a pool at a time. */
void http_perform(struct http_pool *p, struct http_request *reqs, size_t n);

/* Streaming use: http_stream_open gives an id; http_start begins req at once under that id
 * (the caller keeps http_in_flight below http_capacity: the pool's global limit);
 * http_next returns a finished request of that stream, waiting up to timeout_ms, or NULL on
 * timeout or when none of its requests is live. Cancellation aborts the live transfers
 * (they come back from http_next as failed). Streams and http_perform calls can share a pool
 * (one thread): each gets only its own answers. */
int http_stream_open(struct http_pool *p);
void http_start(struct http_pool *p, int stream, struct http_request *req);
struct http_request *http_next(struct http_pool *p, int stream, long timeout_ms);
size_t http_in_flight(const struct http_pool *p);
size_t http_capacity(const struct http_pool *p);

/* Frees the out fields so the request can be reused. */
void http_request_done(struct http_request *r);

#endif
