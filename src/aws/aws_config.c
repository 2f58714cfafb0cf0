/* aws_config.c: the shared config/credentials files (cross-SDK rules), region and endpoints. */
#include "config.h"

#include "aws/aws_config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define AWS_CONFIG_MAX_FILE (4u << 20)

enum aws_config_origin_file { AWS_CONFIG_FROM_CONFIG, AWS_CONFIG_FROM_CREDENTIALS };

struct aws_config_prop {
	char *key; /* lower case */
	char *value;
	int file; /* enum aws_config_origin_file */
	int line;
	struct aws_config_prop *subs; /* parsed sub-properties when value starts with '\n' */
	size_t nsubs;
};

struct aws_config_section {
	enum aws_config_section_type type;
	char *name;
	int plain_default; /* "[default]" in a config file (dropped if [profile default] exists) */
	int file;
	int line;
	struct aws_config_prop *props;
	size_t nprops, cap;
};

struct aws_config {
	struct aws_config_section *secs;
	size_t nsecs, cap;
	char *paths[2]; /* config, credentials (for messages) */
};

static const char *const aws_config_type_names[] = {"profile", "sso-session", "services"};

/* ---- the collection ---- */

struct aws_config *aws_config_new(void)
{
	return xcalloc(1, sizeof(struct aws_config));
}

static void aws_config_prop_done(struct aws_config_prop *p)
{
	size_t i;

	for (i = 0; i < p->nsubs; i++) {
		free(p->subs[i].key);
		free(p->subs[i].value);
	}
	free(p->subs);
	free(p->key);
	free(p->value);
}

static void aws_config_section_done(struct aws_config_section *s)
{
	size_t i;

	for (i = 0; i < s->nprops; i++)
		aws_config_prop_done(&s->props[i]);
	free(s->props);
	free(s->name);
}

void aws_config_free(struct aws_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nsecs; i++)
		aws_config_section_done(&cfg->secs[i]);
	free(cfg->secs);
	free(cfg->paths[0]);
	free(cfg->paths[1]);
	free(cfg);
}

static struct aws_config_section *aws_config_find(const struct aws_config *cfg,
						  enum aws_config_section_type type,
						  const char *name, int plain_default)
{
	size_t i;

	for (i = 0; i < cfg->nsecs; i++) {
		struct aws_config_section *s = &cfg->secs[i];

		if (s->type == type && s->plain_default == plain_default &&
		    strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

static size_t aws_config_add_section(struct aws_config *cfg, enum aws_config_section_type type,
				     const char *name, int plain_default, int file, int line)
{
	struct aws_config_section *s = aws_config_find(cfg, type, name, plain_default);

	if (s)
		return (size_t)(s - cfg->secs);
	if (cfg->nsecs == cfg->cap) {
		cfg->cap = cfg->cap ? 2 * cfg->cap : 8;
		cfg->secs = xreallocarray(cfg->secs, cfg->cap, sizeof *cfg->secs);
	}
	s = &cfg->secs[cfg->nsecs];
	memset(s, 0, sizeof *s);
	s->type = type;
	s->name = xstrdup(name);
	s->plain_default = plain_default;
	s->file = file;
	s->line = line;
	return cfg->nsecs++;
}

static struct aws_config_prop *aws_config_prop_find(const struct aws_config_section *s,
						    const char *key)
{
	size_t i;

	for (i = 0; i < s->nprops; i++)
		if (strcmp(s->props[i].key, key) == 0)
			return &s->props[i];
	return NULL;
}

/* Sets key (already lower case) to value; returns the property's index. */
static size_t aws_config_set(struct aws_config_section *s, const char *key, const char *value,
			     int file, int line)
{
	struct aws_config_prop *p = aws_config_prop_find(s, key);

	if (!p) {
		if (s->nprops == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 8;
			s->props = xreallocarray(s->props, s->cap, sizeof *s->props);
		}
		p = &s->props[s->nprops++];
		memset(p, 0, sizeof *p);
		p->key = xstrdup(key);
	}
	free(p->value);
	p->value = xstrdup(value);
	p->file = file;
	p->line = line;
	return (size_t)(p - s->props);
}

/* ---- the parser ---- */

static int aws_config_ident_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       strchr("_-/.%@:+", c) != NULL;
}

static int aws_config_ident(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!aws_config_ident_char((unsigned char)*s))
			return 0;
	return 1;
}

static int aws_config_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims spaces and tabs from both ends of s[0..*len) and returns the new start. */
static const char *aws_config_trim(const char *s, size_t *len)
{
	while (*len > 0 && aws_config_blank(*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && aws_config_blank(s[*len - 1]))
		(*len)--;
	return s;
}

static char *aws_config_lower(const char *s, size_t len)
{
	char *out = xstrndup(s, len), *c;

	for (c = out; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return out;
}

struct aws_config_parser {
	struct aws_config *cfg;
	enum aws_config_file_kind kind;
	const char *filename;
	int file;
	int lineno;
	int have_section; /* a section header was seen (valid or not) */
	long section;     /* index of the current section, -1 when ignored */
	long prop;        /* index of the current property, -1 dropped, -2 none */
	int sub;          /* the current property started empty: continuations are k = v */
	struct err *e;
};

static int aws_config_fail(struct aws_config_parser *p, const char *msg)
{
	err_set(p->e, "%s line %d: %s", p->filename ? p->filename : "(config)", p->lineno, msg);
	err_hint(p->e, "fix or remove that line");
	return -1;
}

static int aws_config_parse_header(struct aws_config_parser *p, const char *line, size_t len)
{
	const char *close = memchr(line, ']', len), *c;
	size_t clen, plen, nlen;
	const char *name;
	char *nm = NULL;
	enum aws_config_section_type type = AWS_CONFIG_PROFILE;
	int plain_default = 0;

	p->have_section = 1;
	p->prop = -2;
	p->section = -1;
	if (!close)
		return aws_config_fail(p, "Section definition must end with ']'");
	clen = (size_t)(close - line - 1);
	c = aws_config_trim(line + 1, &clen);
	for (plen = 0; plen < clen && !aws_config_blank(c[plen]); plen++)
		;
	if (plen == clen) { /* no prefix */
		if (p->kind == AWS_CONFIG_FILE_CREDENTIALS) {
			name = c;
			nlen = clen;
		} else if (clen == 7 && memcmp(c, "default", 7) == 0) {
			name = c;
			nlen = clen;
			plain_default = 1;
		} else {
			return 0; /* [foo] in a config file: ignored */
		}
	} else {
		if (p->kind == AWS_CONFIG_FILE_CREDENTIALS)
			return 0; /* [profile foo] in a credentials file: ignored */
		if (plen == 7 && memcmp(c, "profile", 7) == 0)
			type = AWS_CONFIG_PROFILE;
		else if (plen == 11 && memcmp(c, "sso-session", 11) == 0)
			type = AWS_CONFIG_SSO_SESSION;
		else if (plen == 8 && memcmp(c, "services", 8) == 0)
			type = AWS_CONFIG_SERVICES;
		else
			return 0; /* unknown section type: ignored */
		nlen = clen - plen;
		name = aws_config_trim(c + plen, &nlen);
	}
	nm = xstrndup(name, nlen);
	if (aws_config_ident(nm))
		p->section = (long)aws_config_add_section(p->cfg, type, nm, plain_default, p->file,
							  p->lineno);
	free(nm);
	return 0;
}

static int aws_config_parse_continuation(struct aws_config_parser *p, const char *line, size_t len)
{
	const char *t;
	struct aws_config_prop *prop;
	char *v;

	if (!p->have_section)
		return aws_config_fail(p, "Expected a section definition");
	if (p->prop == -2)
		return aws_config_fail(p, "Expected a property definition, found continuation");
	t = aws_config_trim(line, &len);
	if (p->sub) {
		const char *eq = memchr(t, '=', len);
		size_t klen;

		if (!eq)
			return aws_config_fail(
			    p, "Expected an '=' sign defining a property in sub-property");
		klen = (size_t)(eq - t);
		aws_config_trim(t, &klen);
		if (klen == 0)
			return aws_config_fail(p, "Property did not have a name in sub-property");
	}
	if (p->prop < 0 || p->section < 0)
		return 0;
	prop = &p->cfg->secs[p->section].props[p->prop];
	v = xasprintf("%s\n%.*s", prop->value, (int)len, t);
	free(prop->value);
	prop->value = v;
	return 0;
}

static int aws_config_parse_property(struct aws_config_parser *p, const char *line, size_t len)
{
	const char *eq = memchr(line, '=', len), *k, *v;
	size_t klen, vlen, i;
	char *key, *value;

	if (!p->have_section)
		return aws_config_fail(p, "Expected a section definition");
	if (!eq)
		return aws_config_fail(p, "Expected an '=' sign defining a property");
	klen = (size_t)(eq - line);
	k = aws_config_trim(line, &klen);
	if (klen == 0)
		return aws_config_fail(p, "Property did not have a name");
	v = eq + 1;
	vlen = len - (size_t)(v - line);
	/* an inline comment needs white space before it */
	for (i = 1; i < vlen; i++)
		if ((v[i] == '#' || v[i] == ';') && aws_config_blank(v[i - 1])) {
			vlen = i;
			break;
		}
	v = aws_config_trim(v, &vlen);
	p->sub = vlen == 0;
	key = aws_config_lower(k, klen);
	if (p->section < 0 || !aws_config_ident(key)) {
		p->prop = -1; /* dropped, but its continuations are still checked */
	} else {
		value = xstrndup(v, vlen);
		p->prop =
		    (long)aws_config_set(&p->cfg->secs[p->section], key, value, p->file, p->lineno);
		free(value);
	}
	free(key);
	return 0;
}

/* Parses one file's text into a fresh collection (no merging yet). */
static int aws_config_parse_one(const char *text, size_t len, enum aws_config_file_kind kind,
				const char *filename, struct aws_config *cfg, struct err *e)
{
	struct aws_config_parser p;
	const char *s = text, *end = text + len;
	size_t i;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.kind = kind;
	p.filename = filename;
	p.file = kind == AWS_CONFIG_FILE_CREDENTIALS ? AWS_CONFIG_FROM_CREDENTIALS
						     : AWS_CONFIG_FROM_CONFIG;
	p.section = -1;
	p.prop = -2;
	p.e = e;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		size_t blank;
		int rc = 0;

		p.lineno++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		for (blank = 0; blank < n && aws_config_blank(s[blank]); blank++)
			;
		if (blank == n || s[0] == '#' || s[0] == ';')
			; /* blank line or comment */
		else if (s[0] == '[')
			rc = aws_config_parse_header(&p, s, n);
		else if (aws_config_blank(s[0]))
			rc = aws_config_parse_continuation(&p, s, n);
		else
			rc = aws_config_parse_property(&p, s, n);
		if (rc)
			return -1;
		s = nl ? nl + 1 : end;
	}
	/* [profile default] anywhere in a config file drops every plain [default] */
	if (aws_config_find(cfg, AWS_CONFIG_PROFILE, "default", 0)) {
		for (i = 0; i < cfg->nsecs; i++) {
			if (!cfg->secs[i].plain_default)
				continue;
			aws_config_section_done(&cfg->secs[i]);
			memmove(&cfg->secs[i], &cfg->secs[i + 1],
				(cfg->nsecs - i - 1) * sizeof cfg->secs[0]);
			cfg->nsecs--;
			i--;
		}
	}
	for (i = 0; i < cfg->nsecs; i++)
		cfg->secs[i].plain_default = 0;
	return 0;
}

static void aws_config_merge(struct aws_config *dst, const struct aws_config *src)
{
	size_t i, j;

	for (i = 0; i < src->nsecs; i++) {
		const struct aws_config_section *s = &src->secs[i];
		size_t k = aws_config_add_section(dst, s->type, s->name, 0, s->file, s->line);

		for (j = 0; j < s->nprops; j++)
			aws_config_set(&dst->secs[k], s->props[j].key, s->props[j].value,
				       s->props[j].file, s->props[j].line);
	}
}

static void aws_config_sub_add(void *arg, const char *key, const char *value)
{
	struct aws_config_prop *p = arg;
	size_t i;

	for (i = 0; i < p->nsubs; i++) {
		if (strcmp(p->subs[i].key, key) == 0) {
			free(p->subs[i].value);
			p->subs[i].value = xstrdup(value);
			return;
		}
	}
	p->subs = xreallocarray(p->subs, p->nsubs + 1, sizeof *p->subs);
	memset(&p->subs[p->nsubs], 0, sizeof p->subs[0]);
	p->subs[p->nsubs].key = xstrdup(key);
	p->subs[p->nsubs].value = xstrdup(value);
	p->nsubs++;
}

/* (Re)builds the parsed sub-properties of every property. */
static void aws_config_index_subs(struct aws_config *cfg)
{
	size_t i, j, k;

	for (i = 0; i < cfg->nsecs; i++) {
		for (j = 0; j < cfg->secs[i].nprops; j++) {
			struct aws_config_prop *p = &cfg->secs[i].props[j];

			for (k = 0; k < p->nsubs; k++) {
				free(p->subs[k].key);
				free(p->subs[k].value);
			}
			free(p->subs);
			p->subs = NULL;
			p->nsubs = 0;
			aws_config_subprops(p->value, aws_config_sub_add, p);
		}
	}
}

int aws_config_parse(struct aws_config *cfg, const char *text, size_t len,
		     enum aws_config_file_kind kind, const char *filename, struct err *e)
{
	struct aws_config *one = aws_config_new();
	int rc = aws_config_parse_one(text, len, kind, filename, one, e);
	int slot = kind == AWS_CONFIG_FILE_CREDENTIALS;

	if (rc == 0) {
		aws_config_merge(cfg, one);
		aws_config_index_subs(cfg);
		if (filename) {
			free(cfg->paths[slot]);
			cfg->paths[slot] = xstrdup(filename);
		}
	}
	aws_config_free(one);
	return rc;
}

void aws_config_foreach(const struct aws_config *cfg, aws_config_visit_fn fn, void *arg)
{
	size_t i, j;

	for (i = 0; i < cfg->nsecs; i++) {
		const struct aws_config_section *s = &cfg->secs[i];

		fn(arg, s->type, s->name, NULL, NULL);
		for (j = 0; j < s->nprops; j++)
			fn(arg, s->type, s->name, s->props[j].key, s->props[j].value);
	}
}

int aws_config_subprops(const char *value, aws_config_sub_fn fn, void *arg)
{
	const char *s;
	int n = 0;

	if (!value || value[0] != '\n')
		return -1;
	s = value + 1;
	while (*s) {
		const char *nl = strchr(s, '\n'), *eq, *k, *v;
		size_t len = nl ? (size_t)(nl - s) : strlen(s), klen, vlen;

		eq = memchr(s, '=', len);
		if (eq) {
			klen = (size_t)(eq - s);
			k = aws_config_trim(s, &klen);
			vlen = len - (size_t)(eq + 1 - s);
			v = aws_config_trim(eq + 1, &vlen);
			if (klen > 0) {
				char *key = aws_config_lower(k, klen), *val = xstrndup(v, vlen);

				if (aws_config_ident(key)) {
					fn(arg, key, val);
					n++;
				}
				free(key);
				free(val);
			}
		}
		s = nl ? nl + 1 : s + len;
	}
	return n;
}

/* ---- file locations ---- */

static const char *aws_config_env_get(const struct aws_config_env *env, const char *name)
{
	const char *v;

	if (env)
		v = env->get(env->arg, name);
	else
		v = getenv(name);
	return v && *v ? v : NULL;
}

char *aws_config_home(const struct aws_config_env *env)
{
	const char *h = aws_config_env_get(env, "HOME");
	int windows = env ? env->windows : 0;

	if (h)
		return xstrdup(h);
	if (windows) {
		const char *drive, *path;

		h = aws_config_env_get(env, "USERPROFILE");
		if (h)
			return xstrdup(h);
		drive = aws_config_env_get(env, "HOMEDRIVE");
		path = aws_config_env_get(env, "HOMEPATH");
		if (drive && path)
			return xasprintf("%s%s", drive, path);
	}
	if (env)
		return env->language_home ? xstrdup(env->language_home) : NULL;
	{
		struct passwd *pw = getpwuid(getuid());

		return pw && pw->pw_dir ? xstrdup(pw->pw_dir) : NULL;
	}
}

/* Expands a leading "~" or "~/" (or "~\" on Windows). Caller frees. */
static char *aws_config_expand(const struct aws_config_env *env, const char *path)
{
	char sep = env && env->windows ? '\\' : '/';
	char *home, *out;

	if (path[0] != '~' || (path[1] != '\0' && path[1] != '/' && path[1] != sep))
		return xstrdup(path);
	home = aws_config_home(env);
	if (!home)
		return xstrdup(path);
	out = xasprintf("%s%s", home, path + 1);
	free(home);
	return out;
}

static char *aws_config_default_path(const struct aws_config_env *env, const char *var,
				     const char *file)
{
	const char *v = aws_config_env_get(env, var);
	char sep = env && env->windows ? '\\' : '/';
	char *home, *out;

	if (v)
		return aws_config_expand(env, v);
	home = aws_config_home(env);
	if (!home)
		return NULL;
	out = xasprintf("%s%c.aws%c%s", home, sep, sep, file);
	free(home);
	return out;
}

void aws_config_locate(const struct aws_config_env *env, char **config_path,
		       char **credentials_path, const char **profile)
{
	if (config_path)
		*config_path = aws_config_default_path(env, "AWS_CONFIG_FILE", "config");
	if (credentials_path)
		*credentials_path =
		    aws_config_default_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
	if (profile) {
		*profile = aws_config_env_get(env, "AWS_PROFILE");
		if (!*profile)
			*profile = "default";
	}
}

const char *aws_config_profile_name(const char *explicit_name)
{
	const char *p;

	if (explicit_name && *explicit_name)
		return explicit_name;
	p = getenv("AWS_PROFILE");
	return p && *p ? p : "default";
}

/* Reads and parses path; a missing file is fine. */
static int aws_config_load_file(struct aws_config *cfg, const char *path,
				enum aws_config_file_kind kind, struct err *e)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (file_read_all(path, AWS_CONFIG_MAX_FILE, &buf, &len, e) != 0) {
		err_hint(e, "fix the file's permissions or point %s elsewhere",
			 kind == AWS_CONFIG_FILE_CONFIG ? "AWS_CONFIG_FILE"
							: "AWS_SHARED_CREDENTIALS_FILE");
		return -1;
	}
	rc = aws_config_parse(cfg, buf, len, kind, path, e);
	free(buf);
	return rc;
}

int aws_config_load(const char *config_path, const char *credentials_path, struct aws_config **out,
		    struct err *e)
{
	struct aws_config *cfg = aws_config_new();
	char *cpath = NULL, *kpath = NULL;
	int rc = -1;

	*out = NULL;
	cpath = config_path ? aws_config_expand(NULL, config_path) : NULL;
	kpath = credentials_path ? aws_config_expand(NULL, credentials_path) : NULL;
	if (!cpath || !kpath)
		aws_config_locate(NULL, cpath ? NULL : &cpath, kpath ? NULL : &kpath, NULL);
	cfg->paths[0] = cpath ? xstrdup(cpath) : NULL;
	cfg->paths[1] = kpath ? xstrdup(kpath) : NULL;
	if (cpath && aws_config_load_file(cfg, cpath, AWS_CONFIG_FILE_CONFIG, e))
		goto out;
	if (kpath && aws_config_load_file(cfg, kpath, AWS_CONFIG_FILE_CREDENTIALS, e))
		goto out;
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	aws_config_free(cfg);
	free(cpath);
	free(kpath);
	return rc;
}

/* ---- lookups ---- */

static const struct aws_config_section *aws_config_profile(const struct aws_config *cfg,
							   const char *profile)
{
	if (!cfg || !profile)
		return NULL;
	return aws_config_find(cfg, AWS_CONFIG_PROFILE, profile, 0);
}

int aws_config_has_profile(const struct aws_config *cfg, const char *profile)
{
	return aws_config_profile(cfg, profile) != NULL;
}

const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct aws_config_section *s = aws_config_profile(cfg, profile);
	const struct aws_config_prop *p = s ? aws_config_prop_find(s, key) : NULL;

	return p ? p->value : NULL;
}

static const char *aws_config_sub_get(const struct aws_config_prop *p, const char *sub)
{
	size_t i;

	for (i = 0; p && i < p->nsubs; i++)
		if (strcasecmp(p->subs[i].key, sub) == 0)
			return p->subs[i].value;
	return NULL;
}

const char *aws_config_get_sub(const struct aws_config *cfg, const char *profile, const char *key,
			       const char *sub)
{
	const struct aws_config_section *s = aws_config_profile(cfg, profile);

	return aws_config_sub_get(s ? aws_config_prop_find(s, key) : NULL, sub);
}

const char *aws_config_section_get(const struct aws_config *cfg, const char *type, const char *name,
				   const char *key)
{
	size_t t;

	if (!cfg || !type || !name)
		return NULL;
	for (t = 0; t < sizeof aws_config_type_names / sizeof aws_config_type_names[0]; t++) {
		if (strcmp(type, aws_config_type_names[t]) == 0) {
			const struct aws_config_section *s =
			    aws_config_find(cfg, (enum aws_config_section_type)t, name, 0);
			const struct aws_config_prop *p = s ? aws_config_prop_find(s, key) : NULL;

			return p ? p->value : NULL;
		}
	}
	return NULL;
}

char *aws_config_origin(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct aws_config_section *s = aws_config_profile(cfg, profile);
	const struct aws_config_prop *p;
	const char *path;

	if (!s)
		return xasprintf("%s or %s", cfg && cfg->paths[0] ? cfg->paths[0] : "~/.aws/config",
				 cfg && cfg->paths[1] ? cfg->paths[1] : "~/.aws/credentials");
	p = key ? aws_config_prop_find(s, key) : NULL;
	path = cfg->paths[p ? p->file : s->file];
	return xasprintf("%s line %d", path ? path : "(config)", p ? p->line : s->line);
}

const char *aws_config_path(const struct aws_config *cfg, enum aws_config_file_kind kind)
{
	if (!cfg)
		return NULL;
	return cfg->paths[kind == AWS_CONFIG_FILE_CREDENTIALS];
}

/* ---- region and endpoints ---- */

static const char *aws_config_nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int aws_config_region(const struct aws_config *cfg, const char *profile, const char *cli_region,
		      char **region, struct err *e)
{
	const char *r = aws_config_nonempty(cli_region);

	*region = NULL;
	if (!r)
		r = aws_config_nonempty(getenv("AWS_REGION"));
	if (!r)
		r = aws_config_nonempty(getenv("AWS_DEFAULT_REGION"));
	if (!r)
		r = aws_config_nonempty(aws_config_get(cfg, profile, "region"));
	if (!r) {
		err_set(e, "no AWS region configured for profile %s",
			profile ? profile : "default");
		return err_hint(e,
				"use --region, set AWS_REGION, or add 'region = ...' to the "
				"profile in %s",
				cfg && cfg->paths[0] ? cfg->paths[0] : "~/.aws/config");
	}
	*region = xstrdup(r);
	return 0;
}

static int aws_config_true(const char *v)
{
	return v && strcasecmp(v, "true") == 0;
}

/* "ecs" -> "ECS", "portal.sso" -> "SSO": the suffix of AWS_ENDPOINT_URL_<SERVICE> and the
 * key used in a [services] section ("ecs", "securityhub", "sts", "sso"). */
static void aws_config_service_keys(const char *service_id, char *env_suffix, size_t n,
				    char *section_key, size_t m)
{
	const char *id = strcmp(service_id, "portal.sso") == 0 ? "sso"
			 : strcmp(service_id, "oidc") == 0     ? "sso-oidc"
							       : service_id;
	size_t i;

	for (i = 0; id[i] && i + 1 < n; i++) {
		char c = id[i];

		env_suffix[i] =
		    (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A'
						: (c == '-' || c == ' ' || c == '.' ? '_' : c));
	}
	env_suffix[i] = '\0';
	for (i = 0; id[i] && i + 1 < m; i++) {
		char c = id[i];

		section_key[i] =
		    (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a'
						: (c == '-' || c == ' ' || c == '.' ? '_' : c));
	}
	section_key[i] = '\0';
}

const char *aws_config_dns_suffix(const char *region)
{
	if (!region)
		return "amazonaws.com";
	if (strncmp(region, "cn-", 3) == 0)
		return "amazonaws.com.cn";
	if (strncmp(region, "us-isob-", 8) == 0)
		return "sc2s.sgov.gov";
	if (strncmp(region, "us-isof-", 8) == 0)
		return "csp.hci.ic.gov";
	if (strncmp(region, "us-iso-", 7) == 0)
		return "c2s.ic.gov";
	if (strncmp(region, "eu-isoe-", 8) == 0)
		return "cloud.adc-e.uk";
	return "amazonaws.com"; /* aws and aws-us-gov */
}

static char *aws_config_strip_slash(char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	return url;
}

static int aws_config_sts_legacy_global(const char *region)
{
	static const char *const legacy[] = {
	    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
	    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
	    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
	    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};
	size_t i;

	for (i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
		if (strcmp(region, legacy[i]) == 0)
			return 1;
	return 0;
}

char *aws_config_endpoint(const struct aws_config *cfg, const char *profile, const char *service_id,
			  const char *region, const char *cli_endpoint)
{
	char env_suffix[64], key[64], *var;
	const char *v;

	if (aws_config_nonempty(cli_endpoint))
		return aws_config_strip_slash(xstrdup(cli_endpoint));
	aws_config_service_keys(service_id, env_suffix, sizeof env_suffix, key, sizeof key);
	if (!aws_config_true(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) &&
	    !aws_config_true(aws_config_get(cfg, profile, "ignore_configured_endpoint_urls"))) {
		var = xasprintf("AWS_ENDPOINT_URL_%s", env_suffix);
		v = aws_config_nonempty(getenv(var));
		free(var);
		if (v)
			return aws_config_strip_slash(xstrdup(v));
		v = aws_config_nonempty(getenv("AWS_ENDPOINT_URL"));
		if (v)
			return aws_config_strip_slash(xstrdup(v));
		v = aws_config_get(cfg, profile, "services");
		if (v) {
			const struct aws_config_section *sv =
			    aws_config_find(cfg, AWS_CONFIG_SERVICES, v, 0);
			const char *url =
			    sv ? aws_config_sub_get(aws_config_prop_find(sv, key), "endpoint_url")
			       : NULL;

			if (url && *url)
				return aws_config_strip_slash(xstrdup(url));
		}
		v = aws_config_nonempty(aws_config_get(cfg, profile, "endpoint_url"));
		if (v)
			return aws_config_strip_slash(xstrdup(v));
	}
	if (strcmp(service_id, "sts") == 0) {
		const char *mode = aws_config_nonempty(getenv("AWS_STS_REGIONAL_ENDPOINTS"));

		if (!mode)
			mode = aws_config_get(cfg, profile, "sts_regional_endpoints");
		if (!region || !*region || strcmp(region, "aws-global") == 0 ||
		    (mode && strcasecmp(mode, "legacy") == 0 &&
		     aws_config_sts_legacy_global(region)))
			return xstrdup("https://sts.amazonaws.com");
	}
	return xasprintf("https://%s.%s.%s", service_id, region && *region ? region : "us-east-1",
			 aws_config_dns_suffix(region));
}
