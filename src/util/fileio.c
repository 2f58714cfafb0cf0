/* fileio.c: whole-file reads with a size cap, atomic writes with a chosen mode. */
#include "config.h"

#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/xmalloc.h"

int file_read_all(const char *path, size_t max, char **buf, size_t *len, struct err *e)
{
	struct stat st;
	char *data = NULL;
	size_t used = 0, cap = 4096;
	int fd, rc = -1;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(e, "%s: is a directory", path);
		goto out;
	}
	data = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			cap *= 2;
			data = xrealloc(data, cap);
		}
		n = read(fd, data + used, cap - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_set(e, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max) {
			err_set(e, "%s: larger than the %zu byte limit", path, max);
			goto out;
		}
	}
	data[used] = '\0';
	*buf = data;
	*len = used;
	data = NULL;
	rc = 0;
out:
	free(data);
	close(fd);
	return rc;
}

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int keep_mode,
		      struct err *e)
{
	struct stat st;
	const char *p = data;
	char *tmp;
	size_t off = 0;
	int fd, rc = -1;

	if (keep_mode && stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	tmp = xasprintf("%s.ecsfix-tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(e, "%s: cannot create temporary file: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, p + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_set(e, "%s: write failed: %s", path, strerror(errno));
			goto fail;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		err_set(e, "%s: cannot replace file: %s", path, strerror(errno));
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	return rc;
}

int file_mkdirs(const char *path, mode_t mode, struct err *e)
{
	char *copy = xstrdup(path), *p;
	int rc = 0;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST) {
			rc = err_set(e, "%s: cannot create directory: %s", copy, strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (mkdir(copy, mode) != 0 && errno != EEXIST)
		rc = err_set(e, "%s: cannot create directory: %s", copy, strerror(errno));
out:
	free(copy);
	return rc;
}

/* The directory holding path must not be writable by every user (another user could remove
 * or replace the file there). */
static int file_check_dir(const char *path, struct err *e)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL   ? xstrdup(".")
		    : slash == path ? xstrdup("/")
				    : xstrndup(path, (size_t)(slash - path));
	struct stat st;
	int rc = 0;

	if (stat(dir, &st) != 0)
		rc = err_set(e, "%s: %s", dir, strerror(errno));
	else if (st.st_mode & S_IWOTH)
		rc = err_set(e, "%s: the directory %s is writable by every user (refused)", path,
			     dir),
		err_hint(e, "keep it in a private directory, e.g. chmod o-w %s", dir);
	free(dir);
	return rc;
}

int file_open_private(const char *path, int refuse_shared_dir, struct err *e)
{
	struct stat st;
	int fd, fl;

	if (refuse_shared_dir && file_check_dir(path, e) != 0)
		return -1;
	/* O_NONBLOCK: opening a FIFO must not wait for a reader */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0) {
		if (errno == ENXIO) /* a FIFO without a reader, a socket */
			return err_set(e, "%s: not a regular file (refused)", path);
		if (errno == ELOOP)
			return err_set(e, "%s: is a symbolic link (refused, not followed)", path),
			       err_hint(e, "give the path of the file itself");
		return err_set(e, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, "%s: not a regular file (refused)", path);
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		err_set(e, "%s: owned by another user (uid %ld; refused)", path, (long)st.st_uid);
		goto fail;
	}
	if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0) {
		err_set(e, "%s: cannot set mode 0600 (it is %04o): %s", path,
			(unsigned)(st.st_mode & 07777), strerror(errno));
		goto fail;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}
