/* http.c: the HTTP transport on libcurl multi: one pool, keep-alive, caps, timeouts, trace. */
#include "config.h"

#include "aws/http.h"

#include <assert.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/trace.h"
#include "util/xmalloc.h"

#define HTTP_DEFAULT_CONNECT_MS   10000L
#define HTTP_DEFAULT_TIMEOUT_MS   60000L
#define HTTP_DEFAULT_MAX_RESPONSE ((size_t)64 * 1024 * 1024)
#define HTTP_DEFAULT_IN_FLIGHT    16
#define HTTP_TRACE_BODY_MAX       2048
#define HTTP_POLL_MS              100

struct http_pool {
	CURLM *multi;
	CURLSH *share;
	char *ca_bundle;
	int no_verify_ssl;
	long connect_timeout_ms;
	long timeout_ms;
	size_t max_response;
	int max_in_flight;
	struct trace *trace;
	volatile sig_atomic_t *cancel;
	struct http_xfer **live; /* transfers in the multi handle */
	size_t nlive, caplive;
	struct http_xfer *done_head, *done_tail; /* finished streamed transfers (http_next) */
	int next_stream;                         /* last stream id (> 0) */
	int next_perform;                        /* last http_perform id (< 0) */
};

/* One transfer in flight. */
struct http_xfer {
	struct http_pool *pool;
	struct http_request *req;
	CURL *easy;
	struct curl_slist *headers;
	struct strbuf body;
	struct strbuf resp_headers; /* for the trace only */
	int header_out;             /* curl reported request header bytes sent */
	int64_t start_ms;
	int owner;    /* > 0: the stream's (http_start/http_next); < 0: an http_perform call's */
	int finished; /* the out fields of req are final */
	struct http_xfer *next_done;
	char errbuf[CURL_ERROR_SIZE];
};

/* Header names whose values never reach the trace. */
static const char *const http_secret_headers[] = {
    "authorization",
    "x-amz-security-token",
    "x-amz-sso_bearer_token",
    "x-aws-ec2-metadata-token",
};

/* Body fields (JSON keys and XML elements, case-insensitive) whose values never reach the
 * trace: credentials in STS, SSO, IMDS and container answers. */
static const char *const http_secret_fields[] = {
    "SecretAccessKey",  "SessionToken", "Token",         "accessToken",
    "SecretKey",        "password",     "refreshToken",  "clientSecret",
    "WebIdentityToken", "TokenCode",    "SAMLAssertion",
};

static int http_is_secret_header(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof http_secret_headers / sizeof *http_secret_headers; i++) {
		if (strlen(http_secret_headers[i]) == len &&
		    strncasecmp(name, http_secret_headers[i], len) == 0)
			return 1;
	}
	return 0;
}

static int http_is_secret_field(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof http_secret_fields / sizeof *http_secret_fields; i++) {
		if (strlen(http_secret_fields[i]) == len &&
		    strncasecmp(name, http_secret_fields[i], len) == 0)
			return 1;
	}
	return 0;
}

/* Copies s[0..len) into sb with the values of secret JSON string members ("Key": "v") and
 * XML elements (<Key>v</Key>) replaced by ****. */
static void http_redact_body(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		/* form encoding: Key=value at the start or after '&' */
		if ((i == 0 || s[i - 1] == '&') && s[i] != '"' && s[i] != '<' && s[i] != '{') {
			size_t k = i;

			while (k < len && s[k] != '=' && s[k] != '&' &&
			       !isspace((unsigned char)s[k]))
				k++;
			if (k < len && s[k] == '=' && http_is_secret_field(s + i, k - i)) {
				const char *amp = memchr(s + k, '&', len - k);

				strbuf_append(sb, s + i, k + 1 - i);
				strbuf_puts(sb, "****");
				i = amp != NULL ? (size_t)(amp - s) : len;
				continue;
			}
		}
		if (s[i] == '"') {
			size_t k = i + 1, v;

			while (k < len && s[k] != '"' && s[k] != '\\')
				k++;
			if (k < len && s[k] == '"' && http_is_secret_field(s + i + 1, k - i - 1)) {
				v = k + 1;
				while (v < len && isspace((unsigned char)s[v]))
					v++;
				if (v < len && s[v] == ':') {
					v++;
					while (v < len && isspace((unsigned char)s[v]))
						v++;
					if (v < len && s[v] == '"') {
						strbuf_append(sb, s + i, v + 1 - i);
						strbuf_puts(sb, "****\"");
						v++;
						while (v < len && s[v] != '"') {
							if (s[v] == '\\' && v + 1 < len)
								v++;
							v++;
						}
						i = v < len ? v + 1 : len;
						continue;
					}
				}
			}
			strbuf_append(sb, s + i, k - i);
			i = k;
			continue;
		}
		if (s[i] == '<') {
			size_t k = i + 1;

			while (k < len && (isalnum((unsigned char)s[k]) || s[k] == '_'))
				k++;
			if (k < len && s[k] == '>' && http_is_secret_field(s + i + 1, k - i - 1)) {
				const char *end = memchr(s + k, '<', len - k);

				strbuf_append(sb, s + i, k + 1 - i);
				strbuf_puts(sb, "****");
				i = end != NULL ? (size_t)(end - s) : len;
				continue;
			}
			strbuf_append(sb, s + i, k - i);
			i = k;
			continue;
		}
		strbuf_putc(sb, s[i]);
		i++;
	}
}

/* The trace form of a body: secrets masked, cut at HTTP_TRACE_BODY_MAX, one line. */
static char *http_trace_body(const char *s, size_t len)
{
	struct strbuf red, out;
	size_t i, n;

	strbuf_init(&red);
	http_redact_body(&red, s, len);
	strbuf_init(&out);
	n = red.len < HTTP_TRACE_BODY_MAX ? red.len : HTTP_TRACE_BODY_MAX;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)red.buf[i];

		if (c == '\n')
			strbuf_puts(&out, "\\n");
		else if (c == '\r')
			strbuf_puts(&out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			strbuf_printf(&out, "\\x%02x", c);
		else
			strbuf_putc(&out, (char)c);
	}
	if (red.len > n)
		strbuf_printf(&out, "... (%zu bytes in all)", len);
	strbuf_done(&red);
	return out.buf; /* handed over: out is not used again */
}

/* "Name: value" with the value of a secret header replaced by ****. */
static char *http_trace_header(const char *h, size_t len)
{
	const char *colon = memchr(h, ':', len);

	while (len > 0 && (h[len - 1] == '\r' || h[len - 1] == '\n'))
		len--;
	if (colon != NULL && http_is_secret_header(h, (size_t)(colon - h)))
		return xasprintf("%.*s: ****", (int)(colon - h), h);
	return xstrndup(h, len);
}

static size_t http_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct http_xfer *x = userdata;
	size_t n = size * nmemb;

	if (x->body.len + n > x->pool->max_response) {
		x->req->too_large = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	strbuf_append(&x->body, ptr, n);
	return n;
}

/* Copies the value of header line h (of length len) into dst when its name is name. */
static void http_header_take(const char *h, size_t len, const char *name, char *dst, size_t dsize)
{
	size_t nlen = strlen(name), vlen;
	const char *v;

	if (len <= nlen || h[nlen] != ':' || strncasecmp(h, name, nlen) != 0)
		return;
	v = h + nlen + 1;
	vlen = len - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	if (vlen >= dsize)
		vlen = dsize - 1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

static size_t http_header_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct http_xfer *x = userdata;
	struct http_request *r = x->req;
	size_t n = size * nitems;

	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new header block (after 100 Continue): forget the previous one */
		r->request_id[0] = r->error_type[0] = r->date[0] = '\0';
		strbuf_reset(&x->resp_headers);
	}
	http_header_take(buf, n, "x-amzn-RequestId", r->request_id, sizeof r->request_id);
	if (r->request_id[0] == '\0')
		http_header_take(buf, n, "x-amz-request-id", r->request_id, sizeof r->request_id);
	http_header_take(buf, n, "x-amzn-ErrorType", r->error_type, sizeof r->error_type);
	http_header_take(buf, n, "Date", r->date, sizeof r->date);
	if (trace_enabled(x->pool->trace) && n > 2) {
		char *line = http_trace_header(buf, n);

		strbuf_printf(&x->resp_headers, "\n  < %s", line);
		free(line);
	}
	return n;
}

/* Only used to learn whether request bytes left (CURLOPT_VERBOSE must be on). */
static int http_debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
	struct http_xfer *x = userdata;

	(void)h;
	(void)data;
	if ((type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT) && size > 0)
		x->header_out = 1;
	return 0;
}

static void http_xfer_finish(struct http_xfer *x, CURLcode rc);

int http_pool_new(const struct http_options *o, struct http_pool **out, struct err *e)
{
	struct http_pool *p;
	static const struct http_options defaults;

	*out = NULL;
	if (o == NULL)
		o = &defaults;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, "cannot initialise libcurl");
	p = xcalloc(1, sizeof *p);
	p->multi = curl_multi_init();
	p->share = curl_share_init();
	if (p->multi == NULL || p->share == NULL) {
		http_pool_free(p);
		return err_set(e, "cannot initialise libcurl");
	}
	curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	p->ca_bundle = o->ca_bundle != NULL ? xstrdup(o->ca_bundle) : NULL;
	p->no_verify_ssl = o->no_verify_ssl;
	p->connect_timeout_ms =
	    o->connect_timeout_ms > 0 ? o->connect_timeout_ms : HTTP_DEFAULT_CONNECT_MS;
	p->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	p->max_response = o->max_response > 0 ? o->max_response : HTTP_DEFAULT_MAX_RESPONSE;
	p->max_in_flight = o->max_in_flight > 0 ? o->max_in_flight : HTTP_DEFAULT_IN_FLIGHT;
	p->trace = o->trace;
	p->cancel = o->cancel;
	curl_multi_setopt(p->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)p->max_in_flight);
	curl_multi_setopt(p->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)p->max_in_flight);
	curl_multi_setopt(p->multi, CURLMOPT_MAXCONNECTS, (long)p->max_in_flight * 2);
	*out = p;
	return 0;
}

void http_pool_free(struct http_pool *p)
{
	if (p == NULL)
		return;
	while (p->nlive > 0) {
		struct http_xfer *x = p->live[--p->nlive];

		http_xfer_finish(x, CURLE_ABORTED_BY_CALLBACK);
		if (x->owner > 0)
			free(x);
	}
	while (p->done_head != NULL) {
		struct http_xfer *x = p->done_head;

		p->done_head = x->next_done;
		free(x);
	}
	free(p->live);
	if (p->multi != NULL)
		curl_multi_cleanup(p->multi);
	if (p->share != NULL)
		curl_share_cleanup(p->share);
	free(p->ca_bundle);
	free(p);
}

void http_request_done(struct http_request *r)
{
	free(r->resp);
	r->resp = NULL;
	r->resp_len = 0;
	r->status = 0;
	r->request_id[0] = r->error_type[0] = r->date[0] = r->errmsg[0] = '\0';
	r->transport_error = 0;
	r->maybe_sent = 0;
	r->too_large = 0;
	r->elapsed_ms = 0;
}

static void http_trace_request(struct http_pool *p, const struct http_request *r)
{
	struct strbuf sb;
	size_t i;

	if (!trace_enabled(p->trace))
		return;
	strbuf_init(&sb);
	strbuf_printf(&sb, "http: > %s %s", r->method, r->url);
	for (i = 0; i < r->nheaders; i++) {
		char *line = http_trace_header(r->headers[i], strlen(r->headers[i]));

		strbuf_printf(&sb, "\n  > %s", line);
		free(line);
	}
	if (r->body != NULL && r->body_len > 0) {
		char *b = http_trace_body(r->body, r->body_len);

		strbuf_printf(&sb, "\n  > body (%zu bytes): %s", r->body_len, b);
		free(b);
	}
	trace_printf(p->trace, "%s", sb.buf);
	strbuf_done(&sb);
}

static void http_trace_response(struct http_xfer *x)
{
	struct http_request *r = x->req;
	struct strbuf sb;

	if (!trace_enabled(x->pool->trace))
		return;
	strbuf_init(&sb);
	if (r->transport_error != 0) {
		strbuf_printf(&sb, "http: ! %s %s: %s (after %ld ms, request %s)", r->method,
			      r->url, r->errmsg, r->elapsed_ms,
			      r->maybe_sent ? "may have been sent" : "not sent");
	} else {
		strbuf_printf(&sb, "http: < %ld %s %s (%ld ms)", r->status, r->method, r->url,
			      r->elapsed_ms);
	}
	strbuf_puts(&sb, x->resp_headers.buf);
	if (r->resp_len > 0) {
		char *b = http_trace_body(r->resp, r->resp_len);

		strbuf_printf(&sb, "\n  < body (%zu bytes): %s", r->resp_len, b);
		free(b);
	}
	trace_printf(x->pool->trace, "%s", sb.buf);
	strbuf_done(&sb);
}

/* Sets up x for req; returns 0, or -1 (req's out fields say why) when curl refuses. */
static int http_xfer_start(struct http_pool *p, struct http_xfer *x, struct http_request *req)
{
	CURL *h;
	size_t i;
	long timeout = req->timeout_ms > 0 ? req->timeout_ms : p->timeout_ms;

	memset(x, 0, sizeof *x);
	x->pool = p;
	x->req = req;
	strbuf_init(&x->body);
	strbuf_init(&x->resp_headers);
	x->start_ms = time_mono_ms();
	http_trace_request(p, req);
	h = x->easy = curl_easy_init();
	if (h == NULL) {
		req->transport_error = CURLE_OUT_OF_MEMORY;
		snprintf(req->errmsg, sizeof req->errmsg, "cannot create a curl handle");
		return -1;
	}
	for (i = 0; i < req->nheaders; i++)
		x->headers = curl_slist_append(x->headers, req->headers[i]);
	/* no 100-continue round trip; curl's default Accept is harmless but not ours */
	x->headers = curl_slist_append(x->headers, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_SHARE, p->share);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ecsfix/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, p->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)p->max_response);
	curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, req->fresh_connect ? 1L : 0L);
	if (p->ca_bundle != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, p->ca_bundle);
	if (p->no_verify_ssl) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, http_debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, x);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	if (strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	}
	if (curl_multi_add_handle(p->multi, h) != CURLM_OK) {
		req->transport_error = CURLE_FAILED_INIT;
		snprintf(req->errmsg, sizeof req->errmsg, "cannot start the transfer");
		return -1;
	}
	return 0;
}

/* Fills req's out fields from the finished transfer and releases it. */
static void http_xfer_finish(struct http_xfer *x, CURLcode rc)
{
	struct http_request *r = x->req;
	long status = 0;

	if (x->easy != NULL)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	r->elapsed_ms = (long)(time_mono_ms() - x->start_ms);
	if (r->too_large) {
		r->transport_error = CURLE_FILESIZE_EXCEEDED;
		snprintf(r->errmsg, sizeof r->errmsg, "response larger than %zu bytes",
			 x->pool->max_response);
	} else if (rc == CURLE_FILESIZE_EXCEEDED) {
		r->too_large = 1;
		r->transport_error = (int)rc;
		snprintf(r->errmsg, sizeof r->errmsg, "response larger than %zu bytes",
			 x->pool->max_response);
	} else if (rc == CURLE_ABORTED_BY_CALLBACK) {
		r->transport_error = (int)rc;
		snprintf(r->errmsg, sizeof r->errmsg, "cancelled");
	} else if (rc != CURLE_OK) {
		r->transport_error = (int)rc;
		snprintf(r->errmsg, sizeof r->errmsg, "%s",
			 x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(rc));
	}
	/* Bytes of the request left this host only if curl reported sending header data, or
	 * a status came back. Connect failures, DNS errors, connect timeouts and TLS handshake
	 * failures leave this 0: the server cannot have acted on the request. */
	r->maybe_sent = x->header_out || status > 0;
	r->resp_len = x->body.len;
	r->resp = strbuf_take(&x->body);
	http_trace_response(x);
	if (x->easy != NULL) {
		curl_multi_remove_handle(x->pool->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->headers);
	strbuf_done(&x->body);
	strbuf_done(&x->resp_headers);
	x->easy = NULL;
	x->headers = NULL;
}

static void http_fail_unstarted(struct http_request *r, int code, const char *msg)
{
	r->transport_error = code;
	snprintf(r->errmsg, sizeof r->errmsg, "%s", msg);
	r->maybe_sent = 0;
	if (r->resp == NULL)
		r->resp = xstrdup("");
	r->resp_len = 0;
}

static void http_live_add(struct http_pool *p, struct http_xfer *x)
{
	if (p->nlive == p->caplive) {
		p->caplive = p->caplive ? p->caplive * 2 : 32;
		p->live = xreallocarray(p->live, p->caplive, sizeof *p->live);
	}
	p->live[p->nlive++] = x;
}

static void http_live_remove(struct http_pool *p, struct http_xfer *x)
{
	size_t i;

	for (i = 0; i < p->nlive; i++) {
		if (p->live[i] == x) {
			p->live[i] = p->live[--p->nlive];
			return;
		}
	}
	assert(!"transfer not live");
}

/* A transfer is over: streamed ones go to the done list, the others are marked. */
static void http_xfer_over(struct http_pool *p, struct http_xfer *x, CURLcode rc)
{
	http_live_remove(p, x);
	http_xfer_finish(x, rc);
	x->finished = 1;
	if (x->owner < 0)
		return;
	x->next_done = NULL;
	if (p->done_tail != NULL)
		p->done_tail->next_done = x;
	else
		p->done_head = x;
	p->done_tail = x;
}

/* Drives the transfers; finished ones are taken out of the multi handle. */
static void http_pump(struct http_pool *p)
{
	CURLMsg *msg;
	int running = 0, left;

	curl_multi_perform(p->multi, &running);
	while ((msg = curl_multi_info_read(p->multi, &left)) != NULL) {
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv != NULL)
			http_xfer_over(p, (struct http_xfer *)(void *)priv, msg->data.result);
	}
}

/* Starts x for req as owner's; a transfer curl refuses is over at once. */
static void http_begin(struct http_pool *p, struct http_xfer *x, struct http_request *req,
		       int owner)
{
	http_request_done(req);
	if (http_xfer_start(p, x, req) != 0) {
		x->owner = owner;
		http_live_add(p, x);
		http_xfer_over(p, x, CURLE_FAILED_INIT);
		return;
	}
	x->owner = owner;
	http_live_add(p, x);
}

int http_stream_open(struct http_pool *p)
{
	if (++p->next_stream <= 0)
		p->next_stream = 1;
	return p->next_stream;
}

void http_start(struct http_pool *p, int stream, struct http_request *req)
{
	struct http_xfer *x = xcalloc(1, sizeof *x);

	assert(stream > 0);
	if (p->cancel != NULL && *p->cancel) {
		http_request_done(req);
		http_fail_unstarted(req, CURLE_ABORTED_BY_CALLBACK, "cancelled");
		x->req = req;
		x->owner = stream;
		x->finished = 1;
		if (p->done_tail != NULL)
			p->done_tail->next_done = x;
		else
			p->done_head = x;
		p->done_tail = x;
		return;
	}
	http_begin(p, x, req, stream);
}

size_t http_in_flight(const struct http_pool *p)
{
	return p->nlive;
}

size_t http_capacity(const struct http_pool *p)
{
	return (size_t)p->max_in_flight;
}

/* Aborts the live transfers of owner. */
static void http_abort(struct http_pool *p, int owner)
{
	size_t i = 0;

	while (i < p->nlive) {
		if (p->live[i]->owner == owner)
			http_xfer_over(p, p->live[i], CURLE_ABORTED_BY_CALLBACK);
		else
			i++;
	}
}

static int http_owner_live(const struct http_pool *p, int owner)
{
	size_t i;

	for (i = 0; i < p->nlive; i++) {
		if (p->live[i]->owner == owner)
			return 1;
	}
	return 0;
}

/* Takes the first finished transfer of stream off the done list: its request, or NULL. */
static struct http_request *http_take_done(struct http_pool *p, int stream)
{
	struct http_xfer *x, *prev = NULL;
	struct http_request *r;

	for (x = p->done_head; x != NULL && x->owner != stream; x = x->next_done)
		prev = x;
	if (x == NULL)
		return NULL;
	if (prev != NULL)
		prev->next_done = x->next_done;
	else
		p->done_head = x->next_done;
	if (p->done_tail == x)
		p->done_tail = prev;
	r = x->req;
	free(x);
	return r;
}

struct http_request *http_next(struct http_pool *p, int stream, long timeout_ms)
{
	int64_t end = time_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0), now;
	struct http_request *r;

	for (;;) {
		if ((r = http_take_done(p, stream)) != NULL)
			return r;
		if (!http_owner_live(p, stream))
			return NULL;
		if (p->cancel != NULL && *p->cancel) {
			http_abort(p, stream);
			continue;
		}
		http_pump(p);
		if ((r = http_take_done(p, stream)) != NULL)
			return r;
		now = time_mono_ms();
		if (now >= end)
			return NULL;
		curl_multi_poll(p->multi, NULL, 0,
				(int)(end - now < HTTP_POLL_MS ? end - now : HTTP_POLL_MS), NULL);
	}
}

void http_perform(struct http_pool *p, struct http_request *reqs, size_t n)
{
	struct http_xfer *xs;
	size_t next = 0, active = 0, i;
	int owner;

	if (n == 0)
		return;
	owner = --p->next_perform;
	if (owner >= 0)
		owner = p->next_perform = -1;
	xs = xcalloc(n, sizeof *xs);
	for (i = 0; i < n; i++)
		http_request_done(&reqs[i]);
	for (;;) {
		if (p->cancel != NULL && *p->cancel) {
			http_abort(p, owner);
			for (; next < n; next++)
				http_fail_unstarted(&reqs[next], CURLE_ABORTED_BY_CALLBACK,
						    "cancelled");
			break;
		}
		while (next < n && active < (size_t)p->max_in_flight) {
			http_begin(p, &xs[next], &reqs[next], owner);
			next++;
			active++;
		}
		for (i = 0, active = 0; i < next; i++)
			active += !xs[i].finished;
		if (active == 0 && next == n)
			break;
		if (active == 0)
			continue;
		http_pump(p);
		for (i = 0, active = 0; i < next; i++)
			active += !xs[i].finished;
		if (active > 0)
			curl_multi_poll(p->multi, NULL, 0, HTTP_POLL_MS, NULL);
	}
	free(xs);
}
