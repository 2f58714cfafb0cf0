/* awscall.c: test driver: one signed AWS call through aws_call / aws_paginate / aws_call_many. */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "util/jsonx.h"
#include "util/trace.h"
#include "util/xmalloc.h"

struct awscall_canceller {
	volatile sig_atomic_t flag;
	long after_ms;
};

/* Sets the cancel flag after a while, as a SIGINT handler would. */
static void *awscall_cancel_thread(void *arg)
{
	struct awscall_canceller *k = arg;
	struct timespec ts;

	ts.tv_sec = k->after_ms / 1000;
	ts.tv_nsec = (k->after_ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	k->flag = 1;
	return NULL;
}

static void awscall_usage(void)
{
	fputs("usage: awscall [--endpoint-url U] [--region R] [--profile P] [--debug]\n"
	      "               [--timeout-ms N] [--connect-timeout-ms N] [--max-response N]\n"
	      "               [--max-attempts N] [--no-jitter] [--paginate KEY] [--many N]\n"
	      "               [--account] [--cancel-after-ms N] [--ca-bundle F]\n"
	      "               [--no-verify-ssl] SERVICE OP [JSON]\n"
	      "SERVICE: ecs, securityhub, sts. Prints the JSON answer; on failure the error\n"
	      "line on stderr and exit 2. Always prints \"attempts=N http=S code=C\" on stderr.\n",
	      stderr);
}

static int awscall_service(const char *s, enum aws_service *out)
{
	if (strcmp(s, "ecs") == 0)
		*out = AWS_SVC_ECS;
	else if (strcmp(s, "securityhub") == 0)
		*out = AWS_SVC_SECURITYHUB;
	else if (strcmp(s, "sts") == 0)
		*out = AWS_SVC_STS;
	else
		return -1;
	return 0;
}

static void awscall_print_err(const struct err *e)
{
	if (e->hint[0] != '\0')
		fprintf(stderr, "awscall: %s (%s)\n", e->msg, e->hint);
	else
		fprintf(stderr, "awscall: %s\n", e->msg);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"endpoint-url", required_argument, NULL, 'e'},
	    {"region", required_argument, NULL, 'r'},
	    {"profile", required_argument, NULL, 'p'},
	    {"debug", no_argument, NULL, 'd'},
	    {"timeout-ms", required_argument, NULL, 't'},
	    {"connect-timeout-ms", required_argument, NULL, 'c'},
	    {"max-response", required_argument, NULL, 'm'},
	    {"max-attempts", required_argument, NULL, 'a'},
	    {"no-jitter", no_argument, NULL, 'j'},
	    {"paginate", required_argument, NULL, 'P'},
	    {"many", required_argument, NULL, 'n'},
	    {"account", no_argument, NULL, 'A'},
	    {"cancel-after-ms", required_argument, NULL, 'k'},
	    {"ca-bundle", required_argument, NULL, 'C'},
	    {"no-verify-ssl", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct aws_client_config cfg;
	struct aws_client *c = NULL;
	struct trace *t = NULL;
	struct err e;
	enum aws_service svc;
	json_object *body = NULL, *out = NULL;
	const char *paginate = NULL;
	long many = 0;
	int opt, status = 2, account = 0;
	struct awscall_canceller canceller = {0, 0};
	pthread_t tid;

	memset(&cfg, 0, sizeof cfg);
	err_clear(&e);
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			cfg.endpoint_url = optarg;
			break;
		case 'r':
			cfg.region = optarg;
			break;
		case 'p':
			cfg.profile = optarg;
			break;
		case 'd':
			t = trace_new(stderr, NULL);
			cfg.trace = t;
			break;
		case 't':
			cfg.timeout_ms = strtol(optarg, NULL, 10);
			break;
		case 'c':
			cfg.connect_timeout_ms = strtol(optarg, NULL, 10);
			break;
		case 'm':
			cfg.max_response = (size_t)strtoul(optarg, NULL, 10);
			break;
		case 'a':
			cfg.max_attempts = (int)strtol(optarg, NULL, 10);
			break;
		case 'j':
			cfg.retry_no_jitter = 1;
			break;
		case 'P':
			paginate = optarg;
			break;
		case 'n':
			many = strtol(optarg, NULL, 10);
			break;
		case 'A':
			account = 1;
			break;
		case 'k':
			canceller.after_ms = strtol(optarg, NULL, 10);
			break;
		case 'C':
			cfg.ca_bundle = optarg;
			break;
		case 'V':
			cfg.no_verify_ssl = 1;
			break;
		default:
			awscall_usage();
			return 2;
		}
	}
	if (canceller.after_ms > 0) {
		cfg.cancel = &canceller.flag;
		pthread_create(&tid, NULL, awscall_cancel_thread, &canceller);
		pthread_detach(tid);
	}
	if (account) {
		const char *acct;

		if (aws_client_new(&cfg, &c, &e) != 0 || aws_client_account(c, &acct, &e) != 0) {
			awscall_print_err(&e);
			goto out;
		}
		printf("%s\n", acct);
		status = 0;
		goto out;
	}
	if (argc - optind < 2 || argc - optind > 3 || awscall_service(argv[optind], &svc) != 0) {
		awscall_usage();
		return 2;
	}
	if (argc - optind == 3 &&
	    jsonx_parse(argv[optind + 2], strlen(argv[optind + 2]), &body, &e) != 0) {
		awscall_print_err(&e);
		goto out;
	}
	if (aws_client_new(&cfg, &c, &e) != 0) {
		awscall_print_err(&e);
		goto out;
	}
	if (paginate != NULL) {
		if (aws_paginate(c, svc, argv[optind + 1], body, paginate, &out, &e) != 0) {
			awscall_print_err(&e);
			fprintf(stderr, "attempts=0 http=%d code=%s\n", e.http_status, e.code);
			goto out;
		}
		status = 0;
	} else if (many > 0) {
		struct aws_request *rs = xcalloc((size_t)many, sizeof *rs);
		long i, ok = 0;

		for (i = 0; i < many; i++)
			aws_request_init(&rs[i], svc, argv[optind + 1], body);
		aws_call_many(c, rs, (size_t)many);
		for (i = 0; i < many; i++) {
			if (rs[i].status == 0)
				ok++;
			else
				awscall_print_err(&rs[i].err);
			aws_request_done(&rs[i]);
		}
		free(rs);
		out = json_object_new_object();
		json_object_object_add(out, "ok", json_object_new_int64(ok));
		json_object_object_add(out, "failed", json_object_new_int64(many - ok));
		status = ok == many ? 0 : 2;
	} else {
		struct aws_request r;

		aws_request_init(&r, svc, argv[optind + 1], body);
		aws_call(c, &r);
		fprintf(stderr, "attempts=%d http=%ld code=%s\n", r.attempts, r.http_status,
			r.status == 0 ? "" : r.err.code);
		if (r.status != 0) {
			awscall_print_err(&r.err);
			aws_request_done(&r);
			goto out;
		}
		out = json_object_get(r.resp);
		aws_request_done(&r);
		status = 0;
	}
	if (out != NULL) {
		char *s = jsonx_pretty(out);

		fputs(s, stdout);
		free(s);
	}
out:
	json_object_put(out);
	json_object_put(body);
	aws_client_free(c);
	trace_free(t);
	return status;
}
