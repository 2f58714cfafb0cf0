/* cmd_cache.c: the 'cache' command: 'ecsfix cache clear' removes the revision cache. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cache.h"
#include "util/err.h"

static int cmd_cache_exec(struct cli_options *opts, int argc, char **argv)
{
	struct err e;
	size_t removed = 0;
	int first = cli_parse(opts, argc, argv, NULL, "+", NULL, NULL);
	int rc = cli_parse_result(&cmd_cache_entry, first);

	if (rc >= 0)
		return rc;
	if (first >= argc || strcmp(argv[first], "clear") != 0 || first + 1 != argc)
		return cli_errorf("cache: expected 'clear' (see 'ecsfix cache --help')");
	err_clear(&e);
	if (cache_clear(NULL, &removed, &e) != 0)
		return cli_error(&e);
	printf("removed %zu revision cache file%s\n", removed, removed == 1 ? "" : "s");
	return EXIT_CLEAN;
}

const struct cli_command cmd_cache_entry = {
    .name = "cache",
    .args = "clear",
    .summary = "remove the revision cache ($XDG_CACHE_HOME/ecsfix)",
    .help = "  clear               remove every cached task definition revision\n",
    .exec = cmd_cache_exec,
};
