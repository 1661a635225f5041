/* procwatch.c — /proc and the process connector for track_process (see
 * procwatch.h). */
#include "procwatch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* /proc/PID/cmdline as argv in buf (NUL-separated); the count, or -1. */
static int read_cmdline(const char *pid, char *buf, size_t len, const char **argv,
			int max)
{
	char path[300];
	ssize_t n;
	int fd, argc = 0;

	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (char *p = buf; p < buf + n && argc < max; p += strlen(p) + 1)
		argv[argc++] = p;
	return argc;
}

int procwatch_matches(const struct model_tracker *c, struct procwatch_proc *p)
{
	const char *name = c->process.v[0];

	if (!c->full_command && strncmp(p->comm, name, 15) != 0)
		return 0;
	if (!c->full_command && c->process.n == 1)
		return 1;
	if (!p->cmd_read) {
		p->argc = read_cmdline(p->pid, p->cmd, sizeof(p->cmd), p->argv,
				       PROCWATCH_ARGV_MAX);
		p->cmd_read = 1;
	}
	if (p->argc < 1)
		return 0;
	if (c->full_command && strcmp(p->argv[0], name) != 0)
		return 0;
	if (c->process.n == 1)
		return 1;
	if ((size_t)p->argc != c->process.n)
		return 0;
	for (size_t k = 1; k < c->process.n; k++)
		if (strcmp(p->argv[k], c->process.v[k]) != 0)
			return 0;
	return 1;
}

void procwatch_scan(void (*each)(void *arg, struct procwatch_proc *p),
		    void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct procwatch_proc p;

	while (d && (de = readdir(d))) {
		char path[300];
		int fd;
		ssize_t n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, p.comm, sizeof(p.comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		p.comm[n] = '\0';
		p.comm[strcspn(p.comm, "\n")] = '\0';
		p.pid = de->d_name;
		p.cmd_read = 0;
		p.argc = -1;
		each(arg, &p);
	}
	if (d)
		closedir(d);
}

int procwatch_cn_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC,
	};
	/* nlmsghdr, cn_msg, then the operation (cn_msg ends in a flexible
	 * array: laid out by hand) */
	char msg[NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))]
		__attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nl = (struct nlmsghdr *)msg;
	struct cn_msg *cn = NLMSG_DATA(nl);
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
	int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_CONNECTOR);
	int e;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	memset(msg, 0, sizeof(msg));
	nl->nlmsg_len = sizeof(msg);
	nl->nlmsg_type = NLMSG_DONE;
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	if (send(fd, msg, sizeof(msg), 0) < 0)
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	return -e;
}

int procwatch_cn_drain(int fd)
{
	char buf[8192];
	int any = 0;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		any = 1;
	if (n < 0 && errno == ENOBUFS)
		any = 1; /* lost some: scan anyway */
	return any;
}
