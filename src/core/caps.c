/* caps.c: the Linux capability names ECS accepts, and --cap-add list parsing. */
#include "config.h"

#include "core/caps.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/xmalloc.h"

/* KernelCapabilities add/drop values, from the ECS API model (reference/aws-api.md section 9). */
static const char *const caps_table[] = {
    "ALL",        "AUDIT_CONTROL",   "AUDIT_WRITE",      "BLOCK_SUSPEND",
    "CHOWN",      "DAC_OVERRIDE",    "DAC_READ_SEARCH",  "FOWNER",
    "FSETID",     "IPC_LOCK",        "IPC_OWNER",        "KILL",
    "LEASE",      "LINUX_IMMUTABLE", "MAC_ADMIN",        "MAC_OVERRIDE",
    "MKNOD",      "NET_ADMIN",       "NET_BIND_SERVICE", "NET_BROADCAST",
    "NET_RAW",    "SETFCAP",         "SETGID",           "SETPCAP",
    "SETUID",     "SYS_ADMIN",       "SYS_BOOT",         "SYS_CHROOT",
    "SYS_MODULE", "SYS_NICE",        "SYS_PACCT",        "SYS_PTRACE",
    "SYS_RAWIO",  "SYS_RESOURCE",    "SYS_TIME",         "SYS_TTY_CONFIG",
    "SYSLOG",     "WAKE_ALARM",
};

size_t caps_count(void)
{
	return sizeof(caps_table) / sizeof(caps_table[0]);
}

const char *caps_name(size_t i)
{
	return i < caps_count() ? caps_table[i] : NULL;
}

const char *caps_canonical(const char *name)
{
	size_t i;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (i = 0; i < caps_count(); i++)
		if (strcasecmp(name, caps_table[i]) == 0)
			return caps_table[i];
	return NULL;
}

int caps_parse_list(const char *list, const char ***names, size_t *n, struct err *e)
{
	const char *p = list;
	const char **v = NULL;
	size_t nv = 0, k;

	*names = NULL;
	*n = 0;
	while (1) {
		const char *s, *end, *c;
		char word[32];
		size_t wl;

		while (*p == ' ' || *p == '\t')
			p++;
		s = p;
		while (*p != '\0' && *p != ',')
			p++;
		end = p;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		wl = (size_t)(end - s);
		if (wl == 0 || wl >= sizeof(word)) {
			if (wl == 0)
				err_set(e, "empty capability name in \"%s\"", list);
			else
				err_set(e, "\"%.40s\" is not a Linux capability ECS accepts", s);
			err_hint(e, "e.g. NET_ADMIN,SYS_TIME; see 'man capabilities'");
			free(v);
			return -1;
		}
		memcpy(word, s, wl);
		word[wl] = '\0';
		c = caps_canonical(word);
		if (c == NULL) {
			err_set(e, "\"%s\" is not a Linux capability ECS accepts", word);
			err_hint(e, "known: AUDIT_CONTROL ... WAKE_ALARM, as in 'man capabilities' "
				    "without CAP_, e.g. NET_ADMIN");
			free(v);
			return -1;
		}
		for (k = 0; k < nv && v[k] != c; k++)
			;
		if (k == nv) {
			v = xreallocarray(v, nv + 1, sizeof(*v));
			v[nv++] = c;
		}
		if (*p == '\0')
			break;
		p++;
	}
	*names = v;
	*n = nv;
	return 0;
}

int caps_fargate_ok(const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], CAPS_FARGATE_ONLY) != 0)
			return 0;
	return 1;
}
