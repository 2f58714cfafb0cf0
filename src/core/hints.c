/* hints.c: the table of things a task definition shows about a privileged container, and the
 * least-privilege setting each usually needs. */
#include "config.h"

#include "core/hints.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

static const struct hint_def hints_table[] = {
    {HINT_MOUNT, "/var/run/docker.sock", "mounts the Docker socket",
     "it talks to the Docker daemon, which needs no privileged flag but read-write access to "
     "the socket (root or the socket's group): check that before adding --user, and know that "
     "the socket itself gives control of the host",
     "https://docs.docker.com/engine/security/#docker-daemon-attack-surface"},
    {HINT_MOUNT, "/run/docker.sock", "mounts the Docker socket",
     "it talks to the Docker daemon, which needs no privileged flag but read-write access to "
     "the socket (root or the socket's group): check that before adding --user, and know that "
     "the socket itself gives control of the host",
     "https://docs.docker.com/engine/security/#docker-daemon-attack-surface"},
    {HINT_MOUNT, "/proc", "mounts the host's /proc",
     "reading host processes and metrics needs the mount (read-only is enough for monitoring "
     "agents), and SYS_PTRACE at most, not privileged",
     "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html"},
    {HINT_MOUNT, "/sys", "mounts the host's /sys",
     "cgroup and kernel metrics are readable through a read-only mount; eBPF-based agents "
     "need SYS_ADMIN (or SYS_RESOURCE plus their own list), not privileged",
     "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html"},
    {HINT_MOUNT, "/dev", "mounts the host's /dev",
     "map only the devices it uses with --device HOST[:CONTAINER[:PERMS]] "
     "(linuxParameters.devices) instead of privileged",
     "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Device.html"},
    {HINT_PIDMODE, "host", "shares the host's process namespace (pidMode host)",
     "seeing host processes needs only pidMode host; inspecting them needs SYS_PTRACE "
     "(--cap-add SYS_PTRACE), not privileged",
     "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
     "task_definition_parameters.html#task_definition_pidmode"},
    {HINT_IMAGE, "dind", "runs Docker-in-Docker",
     "a nested Docker daemon does need privileged: prefer a rootless builder (BuildKit "
     "rootless, kaniko, buildah) or the host's socket, else record an exception with "
     "'ecsfix except'",
     "https://docs.docker.com/engine/security/rootless/"},
    {HINT_IMAGE, "datadog/agent", "runs the Datadog Agent",
     "the Agent needs read-only /proc, /sys/fs/cgroup and the Docker socket, not privileged; "
     "system-probe features need a capability list (SYS_ADMIN, SYS_RESOURCE, SYS_PTRACE, "
     "NET_ADMIN, NET_BROADCAST, NET_RAW, IPC_LOCK, CHOWN)",
     "https://docs.datadoghq.com/containers/amazon_ecs/"},
    {HINT_IMAGE, "datadoghq/agent", "runs the Datadog Agent",
     "the Agent needs read-only /proc, /sys/fs/cgroup and the Docker socket, not privileged; "
     "system-probe features need a capability list (SYS_ADMIN, SYS_RESOURCE, SYS_PTRACE, "
     "NET_ADMIN, NET_BROADCAST, NET_RAW, IPC_LOCK, CHOWN)",
     "https://docs.datadoghq.com/containers/amazon_ecs/"},
    {HINT_IMAGE, "newrelic/infrastructure", "runs the New Relic infrastructure agent",
     "it reads host metrics through read-only mounts of / and the Docker socket; its "
     "unprivileged mode needs no privileged flag",
     "https://docs.newrelic.com/docs/infrastructure/elastic-container-service-integration/"},
    {HINT_IMAGE, "cloudwatch-agent", "runs the CloudWatch agent",
     "instance-level metrics come from read-only mounts of /proc, /sys/fs/cgroup and /dev/disk, "
     "not privileged",
     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/"
     "deploy-container-insights-ECS-instancelevel.html"},
    {HINT_IMAGE, "falco", "runs Falco",
     "the modern eBPF driver runs without privileged given SYS_ADMIN, SYS_RESOURCE and "
     "SYS_PTRACE (the kernel-module driver does need privileged)",
     "https://falco.org/docs/setup/container/"},
    {HINT_IMAGE, "sysdig", "runs a Sysdig agent",
     "its eBPF probe needs SYS_ADMIN, SYS_RESOURCE and SYS_PTRACE plus read-only host mounts; "
     "only the kernel-module probe needs privileged",
     "https://docs.sysdig.com/en/docs/installation/sysdig-secure/"},
    {HINT_IMAGE, "cadvisor", "runs cAdvisor",
     "it needs read-only mounts of /, /var/run, /sys and /var/lib/docker and --device "
     "/dev/kmsg, not privileged",
     "https://github.com/google/cadvisor/blob/master/docs/running.md"},
    {HINT_IMAGE, "gitlab-runner", "runs a GitLab Runner",
     "jobs that build images need either the host's Docker socket or a privileged "
     "Docker-in-Docker service; a rootless builder (kaniko, buildah) needs neither",
     "https://docs.gitlab.com/runner/executors/docker/"},
};

size_t hints_count(void)
{
	return sizeof hints_table / sizeof hints_table[0];
}

const struct hint_def *hints_get(size_t i)
{
	return i < hints_count() ? &hints_table[i] : NULL;
}

/* 1 when path is prefix or below it ("/dev" matches "/dev" and "/dev/fuse", not "/devx"). */
static int hints_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 1 && prefix[n - 1] == '/')
		n--;
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The host sourcePath of volume name in td, or NULL. */
static const char *hints_volume_path(json_object *td, const char *name)
{
	json_object *vols = jsonx_array(td, "volumes");
	size_t i, n = vols != NULL ? json_object_array_length(vols) : 0;

	for (i = 0; name != NULL && i < n; i++) {
		json_object *v = json_object_array_get_idx(vols, i);
		const char *vn = jsonx_str(v, "name");

		if (vn != NULL && strcmp(vn, name) == 0)
			return jsonx_str(jsonx_obj(v, "host"), "sourcePath");
	}
	return NULL;
}

/* 1 when container c mounts a host path under match. A mount of "/" matches nothing: it
 * shows no particular need. */
static int hints_mounts(json_object *td, json_object *c, const char *match)
{
	json_object *mps = jsonx_array(c, "mountPoints");
	size_t i, n = mps != NULL ? json_object_array_length(mps) : 0;

	for (i = 0; i < n; i++) {
		const char *src = hints_volume_path(
		    td, jsonx_str(json_object_array_get_idx(mps, i), "sourceVolume"));

		if (src != NULL && hints_path_under(src, match))
			return 1;
	}
	return 0;
}

/* 1 when the image (without registry port confusion: the whole string) contains match. */
static int hints_image(json_object *c, const char *match)
{
	const char *img = jsonx_str(c, "image");
	size_t n = strlen(match);

	for (; img != NULL && *img != '\0'; img++)
		if (strncasecmp(img, match, n) == 0)
			return 1;
	return 0;
}

static void hints_add(char ***lines, size_t *n, const char *who, const struct hint_def *h)
{
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[(*n)++] = xasprintf("%s %s: %s (%s)", who, h->what, h->need, h->link);
}

size_t hints_for_taskdef(json_object *taskdef, int only_privileged, char ***lines, size_t *n)
{
	json_object *td = rules_taskdef_of(taskdef);
	json_object *cds = jsonx_array(td, "containerDefinitions");
	size_t i, k, nc = cds != NULL ? json_object_array_length(cds) : 0, before = *n;
	const char *pid = jsonx_str(td, "pidMode");
	const char *last_what = NULL;
	int any = 0;

	for (i = 0; i < nc; i++) {
		json_object *c = json_object_array_get_idx(cds, i);
		const char *name = jsonx_str(c, "name");
		char *who;

		if (only_privileged && jsonx_bool(c, "privileged") != 1)
			continue;
		any = 1;
		who = xasprintf("container \"%s\"", name != NULL ? name : "");
		last_what = NULL;
		for (k = 0; k < hints_count(); k++) {
			const struct hint_def *h = &hints_table[k];
			int hit = (h->kind == HINT_MOUNT && hints_mounts(td, c, h->match)) ||
				  (h->kind == HINT_IMAGE && hints_image(c, h->match));

			/* one line per kind of thing (two socket paths, two Datadog images) */
			if (!hit || (last_what != NULL && strcmp(last_what, h->what) == 0))
				continue;
			hints_add(lines, n, who, h);
			last_what = h->what;
		}
		free(who);
	}
	for (k = 0; (any || !only_privileged) && pid != NULL && k < hints_count(); k++)
		if (hints_table[k].kind == HINT_PIDMODE && strcmp(pid, hints_table[k].match) == 0)
			hints_add(lines, n, "the task", &hints_table[k]);
	return *n - before;
}

int hints_mounts_docker_socket(json_object *taskdef, json_object *c)
{
	json_object *td = rules_taskdef_of(taskdef);

	return hints_mounts(td, c, "/var/run/docker.sock") ||
	       hints_mounts(td, c, "/run/docker.sock");
}
