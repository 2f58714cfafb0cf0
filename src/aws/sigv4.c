/* sigv4.c: AWS Signature Version 4: canonical request, string to sign, signing key, header. */
#include "config.h"

#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

struct sigv4_param {
	char *key; /* encoded */
	char *value;
};

struct sigv4_hdr {
	char *name;  /* lower case */
	char *value; /* trimmed, runs of white space folded */
	size_t order;
};

/* Takes sb's buffer and releases sb. */
static char *sigv4_take(struct strbuf *sb)
{
	char *s = strbuf_take(sb);

	strbuf_done(sb);
	return s;
}

static const char sigv4_hex_digits[] = "0123456789abcdef";

static void sigv4_hex(const unsigned char *bin, size_t len, char *hex)
{
	size_t i;

	for (i = 0; i < len; i++) {
		hex[2 * i] = sigv4_hex_digits[bin[i] >> 4];
		hex[2 * i + 1] = sigv4_hex_digits[bin[i] & 15];
	}
	hex[2 * len] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		fatal("SHA-256 failed");
	sigv4_hex(md, 32, hex);
}

static void sigv4_hmac(const void *key, size_t keylen, const char *msg, unsigned char out[32])
{
	unsigned int outlen = 0;

	if (!HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), out,
		  &outlen) ||
	    outlen != 32)
		fatal("HMAC-SHA256 failed");
}

static int sigv4_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static void sigv4_encode_into(struct strbuf *sb, const char *s, size_t len, int keep_slash)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (sigv4_unreserved(c) || (keep_slash && c == '/')) {
			strbuf_putc(sb, (char)c);
		} else {
			static const char up[] = "0123456789ABCDEF";
			char esc[3] = {'%', up[c >> 4], up[c & 15]};

			strbuf_append(sb, esc, 3);
		}
	}
}

char *sigv4_uri_encode(const char *s, int keep_slash)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sigv4_encode_into(&sb, s, strlen(s), keep_slash);
	return sigv4_take(&sb);
}

static int sigv4_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..len) (a malformed escape stays literal); caller frees. */
static char *sigv4_decode(const char *s, size_t len, size_t *outlen)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && sigv4_hexval(s[i + 1]) >= 0 &&
		    sigv4_hexval(s[i + 2]) >= 0) {
			out[n++] = (char)(sigv4_hexval(s[i + 1]) * 16 + sigv4_hexval(s[i + 2]));
			i += 2;
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* RFC 3986 dot-segment removal plus collapsing of empty segments; keeps a trailing slash. */
static char *sigv4_normalize_path(const char *path)
{
	size_t len = strlen(path), nseg = 0, i;
	const char **seg = xcalloc(len + 1, sizeof *seg);
	size_t *seglen = xcalloc(len + 1, sizeof *seglen);
	const char *p = path;
	int trailing = 0;
	struct strbuf sb;

	while (*p) {
		const char *q;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p) {
			trailing = 1;
			break;
		}
		q = strchr(p, '/');
		n = q ? (size_t)(q - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			trailing = 1;
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (nseg > 0)
				nseg--;
			trailing = 1;
		} else {
			seg[nseg] = p;
			seglen[nseg++] = n;
			trailing = 0;
		}
		p += n;
	}
	strbuf_init(&sb);
	for (i = 0; i < nseg; i++) {
		strbuf_putc(&sb, '/');
		strbuf_append(&sb, seg[i], seglen[i]);
	}
	if (nseg == 0 || trailing)
		strbuf_putc(&sb, '/');
	free(seg);
	free(seglen);
	return sigv4_take(&sb);
}

static int sigv4_param_cmp(const void *a, const void *b)
{
	const struct sigv4_param *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->value, y->value);
}

static void sigv4_canonical_query(struct strbuf *sb, const char *query)
{
	struct sigv4_param *params = NULL;
	size_t n = 0, cap = 0, i;
	const char *p = query;

	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;

		if (len > 0) {
			struct strbuf enc;
			size_t dlen;
			char *dec;

			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				params = xreallocarray(params, cap, sizeof *params);
			}
			strbuf_init(&enc);
			dec = sigv4_decode(p, klen, &dlen);
			sigv4_encode_into(&enc, dec, dlen, 0);
			free(dec);
			params[n].key = strbuf_take(&enc);
			if (eq) {
				dec = sigv4_decode(eq + 1, len - klen - 1, &dlen);
				sigv4_encode_into(&enc, dec, dlen, 0);
				free(dec);
			}
			params[n].value = strbuf_take(&enc);
			strbuf_done(&enc);
			n++;
		}
		p = amp ? amp + 1 : NULL;
	}
	if (n > 1)
		qsort(params, n, sizeof *params, sigv4_param_cmp);
	for (i = 0; i < n; i++) {
		strbuf_printf(sb, "%s%s=%s", i ? "&" : "", params[i].key, params[i].value);
		free(params[i].key);
		free(params[i].value);
	}
	free(params);
}

static int sigv4_hdr_cmp(const void *a, const void *b)
{
	const struct sigv4_hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Trims the value and folds each run of white space (including folded lines) to one space. */
static char *sigv4_fold_value(const char *v)
{
	struct strbuf sb;
	int space = 0;

	strbuf_init(&sb);
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
			space = 1;
			continue;
		}
		if (space && sb.len > 0)
			strbuf_putc(&sb, ' ');
		space = 0;
		strbuf_putc(&sb, *v);
	}
	return sigv4_take(&sb);
}

static void sigv4_scope_date(const char *amz_date, char date[9])
{
	memcpy(date, amz_date, 8);
	date[8] = '\0';
}

int sigv4_sign(const struct sigv4_input *in, const char *access_key_id,
	       const char *secret_access_key, struct sigv4_output *out, struct err *e)
{
	struct sigv4_hdr *hdrs = NULL;
	struct strbuf creq, sh, sts;
	char date[9], payload_hash[65], creq_hash[65];
	unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
	char *path = NULL, *key0 = NULL, *scope = NULL;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof *out);
	strbuf_init(&creq);
	strbuf_init(&sh);
	strbuf_init(&sts);
	if (!in->amz_date || strlen(in->amz_date) != 16 || in->amz_date[8] != 'T') {
		err_set(e, "SigV4: bad x-amz-date \"%s\"", in->amz_date ? in->amz_date : "");
		goto out;
	}
	if (!access_key_id || !*access_key_id || !secret_access_key || !*secret_access_key) {
		err_set(e, "SigV4: missing access key or secret key");
		goto out;
	}
	sigv4_scope_date(in->amz_date, date);

	/* canonical request */
	strbuf_printf(&creq, "%s\n", in->method);
	path = in->normalize_path ? sigv4_normalize_path(in->path && *in->path ? in->path : "/")
				  : xstrdup(in->path && *in->path ? in->path : "/");
	sigv4_encode_into(&creq, path, strlen(path), 1);
	strbuf_putc(&creq, '\n');
	sigv4_canonical_query(&creq, in->query);
	strbuf_putc(&creq, '\n');

	hdrs = xcalloc(in->nheaders ? in->nheaders : 1, sizeof *hdrs);
	for (i = 0; i < in->nheaders; i++) {
		char *n = xstrdup(in->headers[i].name), *c;

		for (c = n; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		hdrs[i].name = n;
		hdrs[i].value = sigv4_fold_value(in->headers[i].value ? in->headers[i].value : "");
		hdrs[i].order = i;
	}
	if (in->nheaders > 1)
		qsort(hdrs, in->nheaders, sizeof *hdrs, sigv4_hdr_cmp);
	for (i = 0; i < in->nheaders; i++) {
		if (i > 0 && strcmp(hdrs[i].name, hdrs[i - 1].name) == 0) {
			strbuf_printf(&creq, ",%s", hdrs[i].value);
			continue;
		}
		if (i > 0)
			strbuf_putc(&creq, '\n');
		strbuf_printf(&creq, "%s:%s", hdrs[i].name, hdrs[i].value);
		strbuf_printf(&sh, "%s%s", sh.len ? ";" : "", hdrs[i].name);
	}
	if (in->nheaders)
		strbuf_putc(&creq, '\n');
	sigv4_sha256_hex(in->payload ? in->payload : "", in->payload ? in->payload_len : 0,
			 payload_hash);
	strbuf_printf(&creq, "\n%s\n%s", sh.buf, payload_hash);

	/* string to sign */
	scope = xasprintf("%s/%s/%s/aws4_request", date, in->region, in->service);
	sigv4_sha256_hex(creq.buf, creq.len, creq_hash);
	strbuf_printf(&sts, SIGV4_ALGORITHM "\n%s\n%s\n%s", in->amz_date, scope, creq_hash);

	/* signing key and signature */
	key0 = xasprintf("AWS4%s", secret_access_key);
	sigv4_hmac(key0, strlen(key0), date, k1);
	sigv4_hmac(k1, 32, in->region, k2);
	sigv4_hmac(k2, 32, in->service, k3);
	sigv4_hmac(k3, 32, "aws4_request", k4);
	sigv4_hmac(k4, 32, sts.buf, sig);
	sigv4_hex(sig, 32, out->signature);

	out->authorization =
	    xasprintf(SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		      access_key_id, scope, sh.buf, out->signature);
	out->canonical_request = strbuf_take(&creq);
	out->string_to_sign = strbuf_take(&sts);
	out->signed_headers = strbuf_take(&sh);
	rc = 0;
out:
	if (hdrs) {
		for (i = 0; i < in->nheaders; i++) {
			free(hdrs[i].name);
			free(hdrs[i].value);
		}
		free(hdrs);
	}
	if (key0) {
		OPENSSL_cleanse(key0, strlen(key0));
		free(key0);
	}
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k4, sizeof k4);
	free(scope);
	free(path);
	strbuf_done(&creq);
	strbuf_done(&sh);
	strbuf_done(&sts);
	return rc;
}

void sigv4_output_done(struct sigv4_output *out)
{
	if (!out)
		return;
	free(out->canonical_request);
	free(out->string_to_sign);
	free(out->signed_headers);
	free(out->authorization);
	memset(out, 0, sizeof *out);
}

void sigv4_amz_date(time_t t, char buf[17])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 17, "%Y%m%dT%H%M%SZ", &tm);
}
