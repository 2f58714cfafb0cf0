/* fileio.h: whole-file reads with a size cap, atomic writes with a chosen mode. */
#ifndef ECSFIX_UTIL_FILEIO_H
#define ECSFIX_UTIL_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

struct err;

/* Reads a regular file of at most max bytes into *buf (NUL-terminated, caller frees).
 * Directories, unreadable files and files over the cap fail with a message naming path. */
int file_read_all(const char *path, size_t max, char **buf, size_t *len, struct err *e);

/* Writes data to path atomically: a temporary file in the same directory, fsync, rename.
 * The new file gets mode (e.g. 0600 for account data); with keep_mode set and path existing,
 * the existing file's mode is kept instead. The original is untouched on any failure. */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int keep_mode,
		      struct err *e);

/* Opens path for appending, for a file that holds account data or secrets (a trace, a log):
 * created with mode 0600; an existing one must be a regular file owned by this user (a
 * symbolic link, a FIFO or another user's file is refused, never followed or opened) and is
 * set to 0600 if it was more open. With refuse_shared_dir, a file whose directory any user can
 * write to is refused too. Returns the descriptor (blocking, O_CLOEXEC) or -1 with e set. */
int file_open_private(const char *path, int refuse_shared_dir, struct err *e);

/* Creates directory path and its parents with mode (existing directories are fine). */
int file_mkdirs(const char *path, mode_t mode, struct err *e);

#endif
