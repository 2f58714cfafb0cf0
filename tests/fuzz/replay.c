/* replay.c: runs a fuzz target once on each file given (directories: each file in them), for
 * builds without libFuzzer: `make check` replays the seeds and the saved reproducers. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xmalloc.h"

#define REPLAY_MAX (4 * 1024 * 1024)

static int replay_file(const char *path, size_t *count)
{
	struct err e;
	char *buf;
	size_t len;

	err_clear(&e);
	if (file_read_all(path, REPLAY_MAX, &buf, &len, &e) != 0) {
		fprintf(stderr, "replay: %s\n", e.msg);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	(*count)++;
	return 0;
}

static int replay_path(const char *path, size_t *count)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	dir = opendir(path);
	if (dir == NULL) {
		perror(path);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		char *p;

		if (d->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, d->d_name);
		if (replay_path(p, count) != 0)
			rc = -1;
		free(p);
	}
	closedir(dir);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	/* the empty input and a single byte, always */
	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	LLVMFuzzerTestOneInput((const uint8_t *)"{", 1);
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue; /* libFuzzer options, when called like a fuzzer */
		if (replay_path(argv[i], &count) != 0)
			rc = 1;
	}
	printf("replay: %zu inputs\n", count);
	return rc;
}
