/* fuzz_sigv4.c: the SigV4 canonical request and signature (aws/sigv4) on a request written as
 * in the official test suite's .req files: "METHOD PATH[?QUERY] HTTP/1.1", header lines
 * "Name:value", an empty line, the body. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/sigv4.h"
#include "fuzz.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define FUZZ_SIGV4_MAX_HEADERS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_header h[FUZZ_SIGV4_MAX_HEADERS + 1];
	struct sigv4_input in;
	struct sigv4_output out;
	char *text = fuzz_cstr(data, size), *line, *next, *sp, *q, *path, *body = NULL;
	const char *date = "20150830T123600Z";
	size_t nh = 0;
	struct err e;

	memset(&in, 0, sizeof in);
	line = text;
	next = strchr(line, '\n');
	if (next != NULL)
		*next++ = '\0';
	/* request line: METHOD SP TARGET [SP VERSION] */
	sp = strchr(line, ' ');
	if (sp == NULL)
		goto out;
	*sp = '\0';
	in.method = line;
	path = sp + 1;
	in.path = path;
	sp = strrchr(path, ' ');
	if (sp != NULL && strncmp(sp, " HTTP/", 6) == 0)
		*sp = '\0';
	q = strchr(path, '?');
	if (q != NULL) {
		*q = '\0';
		in.query = q + 1;
	}
	while (next != NULL) {
		char *colon;

		line = next;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == '\0' || (line[0] == '\r' && line[1] == '\0')) {
			body = next;
			break;
		}
		colon = strchr(line, ':');
		if (colon == NULL || nh == FUZZ_SIGV4_MAX_HEADERS)
			continue;
		*colon = '\0';
		h[nh].name = line;
		h[nh].value = colon + 1;
		if (strcasecmp(line, "x-amz-date") == 0)
			date = colon + 1;
		nh++;
	}
	in.headers = h;
	in.nheaders = nh;
	in.payload = body != NULL ? body : "";
	in.payload_len = body != NULL ? strlen(body) : 0;
	in.region = "us-east-1";
	in.service = (size & 1) ? "service" : "ecs";
	in.amz_date = date;
	in.normalize_path = (size & 2) == 0;
	err_clear(&e);
	memset(&out, 0, sizeof out);
	if (sigv4_sign(&in, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", &out, &e) ==
	    0)
		sigv4_output_done(&out);
	free(sigv4_uri_encode(in.path, 1));
	free(sigv4_uri_encode(in.path, 0));
out:
	free(text);
	return 0;
}
