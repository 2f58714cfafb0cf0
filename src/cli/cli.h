/* cli.h: global options, the command table and the helpers every command shares. */
#ifndef ECSFIX_CLI_CLI_H
#define ECSFIX_CLI_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdio.h>

struct aws_client;
struct err;
struct session_config;
struct session_targets_spec;
struct trace;

/* Exit codes (DESIGN.md section 2). */
enum {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1, /* also "nothing to do" (plan) and "failed or rolled back" (apply) */
	EXIT_ERROR = 2,
	EXIT_INTERRUPTED = 130,
};

#define CLI_MAX_PROFILES 64

/* The global options, filled once by main and read by every command. */
struct cli_options {
	const char *profile; /* the first --profile */
	const char *region;
	const char *endpoint_url;
	const char *ca_bundle;
	const char *debug_file; /* --debug=FILE; with debug set and no file: stderr */
	int debug;
	int no_verify_ssl;
	int read_only;
	int no_color; /* --no-color or NO_COLOR set and non-empty */
	/* Targets beyond the current account and region (scan and the TUI; config-file
	 * equivalents in core/session.h): several --profile values, --regions LIST,
	 * --all-regions, --accounts LIST, --organization, --role-name, --external-id,
	 * --findings-from PROFILE[@REGION]. */
	const char *profiles[CLI_MAX_PROFILES];
	size_t nprofiles;
	const char *regions;
	int all_regions;
	const char *accounts;
	int organization;
	const char *role_name;
	const char *external_id;
	const char *findings_from;
};

struct cli_command {
	const char *name;
	const char *args;    /* usage after the name, e.g. "[--cluster NAME]... [--output FMT]" */
	const char *summary; /* one line for --help */
	const char *help;    /* the command's options, one per line, for COMMAND --help */
	/* argv[0] is the command name; returns the exit code. */
	int (*exec)(struct cli_options *opts, int argc, char **argv);
};

extern const struct cli_command cmd_tui_entry;
extern const struct cli_command cmd_scan_entry;
extern const struct cli_command cmd_lint_entry;
extern const struct cli_command cmd_plan_entry;
extern const struct cli_command cmd_apply_entry;
extern const struct cli_command cmd_except_entry;
extern const struct cli_command cmd_cache_entry;

/*
 * Parses a command's arguments (argv[0] is the command name). Global options are accepted
 * anywhere, as the AWS CLI does, and go into opts; the command's own options (longopts,
 * NULL-terminated, and shortopts, getopt_long style; a leading '+' stops at the first
 * operand) are handed to cb one by one. Returns the index of the first operand; -1 after
 * printing "ecsfix: ..." for a bad option (exit 2); CLI_PARSE_HELP for -h/--help (the caller
 * prints its usage and exits 0). cb returns 0, or -1 to reject a value (it prints why).
 */
#define CLI_PARSE_HELP (-2)
int cli_parse(struct cli_options *opts, int argc, char **argv, const struct option *longopts,
	      const char *shortopts, int (*cb)(void *ctx, int opt, const char *arg), void *ctx);

/* Prints a command's usage and options (for COMMAND --help). */
void cli_command_usage(const struct cli_command *cmd, FILE *fp);
/* The usual handling of cli_parse's result in a command: returns -1 to go on, else the exit
 * code to return (help printed: 0; bad option: 2). */
int cli_parse_result(const struct cli_command *cmd, int rc);

/* Prints "ecsfix: <msg> (<hint>)" to stderr and returns EXIT_ERROR. */
int cli_error(const struct err *e);
/* Prints "ecsfix: <fmt...>" to stderr and returns EXIT_ERROR. */
int cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Colour on stream: a TTY, not --no-color, not NO_COLOR, TERM not "dumb". */
int cli_use_color(const struct cli_options *opts, FILE *stream);

/* Opens the --debug trace (NULL when off). Exits the command with 2 on failure (-1). */
int cli_trace_open(const struct cli_options *opts, struct trace **out);

/* 1 when the global options name targets beyond the current account and region. */
int cli_targets_given(const struct cli_options *opts);

/* The targets spec and the session configuration (for the targets' clients) of the global
 * options (core/session.h). */
void cli_targets_spec(const struct cli_options *opts, struct session_targets_spec *spec);
void cli_session_config(const struct cli_options *opts, struct trace *trace,
			volatile sig_atomic_t *cancel, struct session_config *cfg);

/* Creates the AWS client from the global options, with a per-call timeout (0: the default);
 * prints the error and returns -1 on failure. cancel may be NULL. */
int cli_client_new(const struct cli_options *opts, struct trace *trace,
		   volatile sig_atomic_t *cancel, long timeout_ms, struct aws_client **out);

#endif
