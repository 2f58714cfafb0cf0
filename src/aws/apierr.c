/* apierr.c: AWS error answers (JSON 1.1, rest-json, XML, HTML, empty) as one-line errors. */
#include "config.h"

#include "aws/apierr.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/xml.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define APIERR_MESSAGE_MAX 400

static const char *const apierr_throttling_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

static const char *const apierr_transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "IDPCommunicationError",
};

static const char *const apierr_skew_codes[] = {
    "RequestTimeTooSkewed",  "RequestExpired", "InvalidSignatureException",
    "SignatureDoesNotMatch", "AuthFailure",    "RequestInTheFuture",
};

static const char *const apierr_denied_codes[] = {
    "AccessDeniedException", "AccessDenied",       "UnauthorizedOperation",
    "UnauthorizedException", "AuthorizationError", "Forbidden",
};

static const char *const apierr_credential_codes[] = {
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "ExpiredToken",
    "ExpiredTokenException",
    "AuthFailure",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
};

static int apierr_in(const char *code, const char *const *list, size_t n)
{
	size_t i;

	if (code == NULL || *code == '\0')
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(code, list[i]) == 0)
			return 1;
	}
	return 0;
}

#define APIERR_IN(code, list) apierr_in(code, list, sizeof list / sizeof *list)

int apierr_is_throttling(const char *code, long http_status)
{
	return http_status == 429 || APIERR_IN(code, apierr_throttling_codes);
}

int apierr_is_transient(const char *code, long http_status)
{
	return http_status == 500 || http_status == 502 || http_status == 503 ||
	       http_status == 504 || APIERR_IN(code, apierr_transient_codes);
}

int apierr_is_clock_skew(const char *code)
{
	return APIERR_IN(code, apierr_skew_codes);
}

int apierr_is_access_denied(const char *code, long http_status)
{
	if (APIERR_IN(code, apierr_denied_codes))
		return 1;
	/* a bare 403 with no code of its own; 403s naming a credential problem are not */
	return http_status == 403 && !apierr_is_credentials(code) &&
	       (code == NULL || *code == '\0' || isdigit((unsigned char)*code));
}

int apierr_is_credentials(const char *code)
{
	return APIERR_IN(code, apierr_credential_codes);
}

void apierr_clean_code(char *code)
{
	char *p = strchr(code, ':'), *hash;

	if (p != NULL)
		*p = '\0';
	hash = strrchr(code, '#');
	if (hash != NULL)
		memmove(code, hash + 1, strlen(hash + 1) + 1);
	/* trim */
	p = code;
	while (isspace((unsigned char)*p))
		p++;
	if (p != code)
		memmove(code, p, strlen(p) + 1);
	p = code + strlen(code);
	while (p > code && isspace((unsigned char)p[-1]))
		*--p = '\0';
}

/* One line, printable, at most APIERR_MESSAGE_MAX bytes. */
static void apierr_one_line(struct strbuf *sb, const char *s, size_t len)
{
	size_t i;
	int space = 0;

	for (i = 0; i < len && sb->len < APIERR_MESSAGE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isspace(c) || c < 0x20 || c == 0x7f) {
			space = sb->len > 0;
			continue;
		}
		if (space)
			strbuf_putc(sb, ' ');
		space = 0;
		strbuf_putc(sb, (char)c);
	}
	if (i < len)
		strbuf_puts(sb, "...");
}

static int apierr_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!isspace((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static const char *apierr_skip_space(const char *s, size_t len, size_t *left)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	*left = len;
	return s;
}

/* Finds "key" : "value" in possibly truncated JSON text; caller frees, or NULL. */
static char *apierr_salvage_json(const char *s, size_t len, const char *key)
{
	char pat[64];
	size_t plen, i;

	snprintf(pat, sizeof pat, "\"%s\"", key);
	plen = strlen(pat);
	for (i = 0; i + plen <= len; i++) {
		size_t j, k;

		if (memcmp(s + i, pat, plen) != 0)
			continue;
		j = i + plen;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != ':')
			continue;
		j++;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != '"')
			continue;
		k = ++j;
		while (k < len && s[k] != '"' && s[k] != '\\')
			k++;
		if (k >= len)
			return NULL; /* cut off inside the value */
		return xstrndup(s + j, k - j);
	}
	return NULL;
}

/* Case-insensitive search for needle in s[0..len). */
static const char *apierr_memcasestr(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++) {
		if (strncasecmp(s + i, needle, n) == 0)
			return s + i;
	}
	return NULL;
}

int apierr_from_response(const struct apierr_response *r, char *rid, size_t rid_size, struct err *e)
{
	const char *body = r->body != NULL ? r->body : "";
	size_t len = r->body != NULL ? r->body_len : 0, left;
	const char *b = apierr_skip_space(body, len, &left);
	char code[128] = "", request_id[128] = "";
	struct strbuf msg, line;
	json_object *doc = NULL;
	char *tmp;

	strbuf_init(&msg);
	if (r->error_type != NULL && r->error_type[0] != '\0')
		snprintf(code, sizeof code, "%s", r->error_type);
	if (r->request_id != NULL)
		snprintf(request_id, sizeof request_id, "%s", r->request_id);

	if (apierr_blank(body, len)) {
		strbuf_puts(&msg, "empty error response");
	} else if (*b == '{') {
		struct err je;

		err_clear(&je);
		if (jsonx_parse(body, len, &doc, &je) == 0 &&
		    json_object_is_type(doc, json_type_object)) {
			const char *m = jsonx_str(doc, "message"), *c;

			if (m == NULL)
				m = jsonx_str(doc, "Message");
			if (m == NULL)
				m = jsonx_str(doc, "errorMessage");
			c = jsonx_str(doc, "__type");
			if (c == NULL)
				c = jsonx_str(doc, "code");
			if (c == NULL)
				c = jsonx_str(doc, "Code");
			if (code[0] == '\0' && c != NULL)
				snprintf(code, sizeof code, "%s", c);
			if (m != NULL && *m != '\0')
				apierr_one_line(&msg, m, strlen(m));
		} else {
			tmp = apierr_salvage_json(b, left, "__type");
			if (tmp == NULL)
				tmp = apierr_salvage_json(b, left, "code");
			if (tmp == NULL)
				tmp = apierr_salvage_json(b, left, "Code");
			if (code[0] == '\0' && tmp != NULL)
				snprintf(code, sizeof code, "%s", tmp);
			free(tmp);
			strbuf_printf(&msg, "malformed error response (%s)", je.msg);
		}
	} else if (apierr_memcasestr(b, left, "<html") != NULL ||
		   apierr_memcasestr(b, left, "<!doctype html") != NULL) {
		const char *t = apierr_memcasestr(b, left, "<title>");

		strbuf_puts(&msg, "unexpected HTML page");
		if (t != NULL) {
			const char *v = t + 7;
			const char *end = apierr_memcasestr(v, left - (size_t)(v - b), "</title>");

			strbuf_init(&line);
			apierr_one_line(&line, v,
					end != NULL ? (size_t)(end - v) : left - (size_t)(v - b));
			if (line.len > 0)
				strbuf_printf(&msg, " \"%s\"", line.buf);
			strbuf_done(&line);
		}
		strbuf_puts(&msg, " instead of an AWS answer");
	} else if (*b == '<') {
		char *c = xml_find_text(b, left, "Code");
		char *m = xml_find_text(b, left, "Message");
		char *id = xml_find_text(b, left, "RequestId");

		if (code[0] == '\0' && c != NULL)
			snprintf(code, sizeof code, "%s", c);
		if (m != NULL && *m != '\0')
			apierr_one_line(&msg, m, strlen(m));
		else if (c == NULL)
			strbuf_puts(&msg, "unreadable XML error response");
		if (request_id[0] == '\0' && id != NULL)
			snprintf(request_id, sizeof request_id, "%s", id);
		free(c);
		free(m);
		free(id);
	} else {
		strbuf_puts(&msg, "unexpected response: ");
		apierr_one_line(&msg, b, left > 200 ? 200 : left);
	}
	apierr_clean_code(code);
	if (msg.len == 0)
		strbuf_puts(&msg, code[0] != '\0' ? code : "no error message");

	strbuf_init(&line);
	strbuf_printf(&line, "HTTP %ld", r->http_status);
	if (code[0] != '\0')
		strbuf_printf(&line, ", %s", code);
	if (request_id[0] != '\0')
		strbuf_printf(&line, ", request id %s", request_id);
	err_set(e, "%s: %s (%s)", r->op, msg.buf, line.buf);
	if (code[0] != '\0')
		snprintf(e->code, sizeof e->code, "%s", code);
	else
		snprintf(e->code, sizeof e->code, "%ld", r->http_status);
	e->http_status = (int)r->http_status;
	if (rid != NULL && rid_size > 0 && (r->request_id == NULL || r->request_id[0] == '\0') &&
	    request_id[0] != '\0')
		snprintf(rid, rid_size, "%s", request_id);
	strbuf_done(&line);
	strbuf_done(&msg);
	json_object_put(doc);
	return -1;
}
