/* caps.h: the Linux capability names ECS accepts in linuxParameters.capabilities
 * (KernelCapabilities), and parsing of --cap-add lists. Pure: no I/O. Used by lint --fix and plan.
 */
#ifndef ECSFIX_CORE_CAPS_H
#define ECSFIX_CORE_CAPS_H

#include <stddef.h>

struct err;

/* The only capability Fargate lets a task add ("Tasks launched on Fargate only support adding
 * the SYS_PTRACE kernel capability"). */
#define CAPS_FARGATE_ONLY "SYS_PTRACE"

/* Number of names in the table, and name i (upper case, without "CAP_"). */
size_t caps_count(void);
const char *caps_name(size_t i);
/* The table's spelling of name (case-insensitive, an optional "CAP_" prefix accepted), or NULL
 * when ECS does not accept it. */
const char *caps_canonical(const char *name);
/*
 * Parses a comma list ("NET_ADMIN,sys_time", spaces ignored) into *names (caller frees the
 * array; the strings are borrowed from the table), without repeats, in the given order. Fails
 * with a message naming the first unknown entry and the known names' hint.
 */
int caps_parse_list(const char *list, const char ***names, size_t *n, struct err *e);
/* 1 when every name in names[0..n) is allowed on Fargate (only SYS_PTRACE). */
int caps_fargate_ok(const char *const *names, size_t n);

#endif
