// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: messages, exit statuses, errno hints, numbers, and the
 * paths of the modem (/dev/qisock<M>, /sys/class/qisock/qisock<M>/).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qisock.h"

struct qisock_global qisock_opt = { .ctx = 1 };
const char *qisock_prog = "qisock";

static void qisock_vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", qisock_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void qisock_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	qisock_vmsg(fmt, ap);
	va_end(ap);
}

void qisock_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	qisock_vmsg(fmt, ap);
	va_end(ap);
	exit(QISOCK_EXIT_FAIL);
}

void qisock_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	qisock_vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", qisock_prog);
	exit(QISOCK_EXIT_USAGE);
}

/* What to check for an errno, or NULL: the message says the rest. */
const char *qisock_errno_hint(int err)
{
	static char buf[160];

	switch (err) {
	case ENETDOWN:
		snprintf(buf, sizeof(buf), "context %d is not active: qisock ctx up %d",
			 qisock_opt.ctx, qisock_opt.ctx);
		return buf;
	case EACCES:
		return "no access to the node: be root or in its group (ls -l /dev/qisock*)";
	case EPERM:
		return "changing the modem needs CAP_NET_ADMIN (run as root)";
	case ENODEV:
	case ENXIO:
	case ENOENT:
		snprintf(buf, sizeof(buf), "modem %d is gone or not attached (%s)",
			 qisock_modem_index(), "ls /sys/class/qisock; ldattach 29 /dev/ttyX");
		return buf;
	case EBUSY:
		return "in use by another program or request (qisock sock show)";
	case ETIMEDOUT:
		return "the module did not answer in time (qisock modem show)";
	case ENOTTY:
		return "the loaded qisock.ko does not have this request (update the driver)";
	case ENETUNREACH:
		snprintf(buf, sizeof(buf), "no APN configured: qisock ctx set %d apn NAME",
			 qisock_opt.ctx);
		return buf;
	case EHOSTUNREACH:
		snprintf(buf, sizeof(buf), "DNS failed: check the name and %s (qisock ctx show %d)",
			 "the DNS servers", qisock_opt.ctx);
		return buf;
	case ECONNREFUSED:
		return "the peer refused the connection: check host and port";
	case EADDRINUSE:
		return "the local port is in use (qisock sock show)";
	case EIO:
		return "the module refused the command (dmesg; qisock modem show)";
	case EINVAL:
		return "an argument was refused; nothing was sent to the module";
	case EMFILE:
		return "the module has no free socket (qisock sock show)";
	}
	return NULL;
}

/* "qisock: what: strerror (hint)" on stderr; returns the exit status 1. */
int qisock_fail_errno(int err, const char *what)
{
	const char *hint = qisock_errno_hint(err);

	if (hint)
		qisock_warn("%s: %s; %s", what, strerror(err), hint);
	else
		qisock_warn("%s: %s", what, strerror(err));
	return QISOCK_EXIT_FAIL;
}

/* The seed's <err> descriptions, 550-574. */
const char *qisock_module_error_text(unsigned int code)
{
	static const char *const text[] = {
		"unknown error", "operation blocked", "invalid parameters",
		"memory not enough", "socket creation failed",
		"operation not supported", "socket bind failed",
		"socket listen failed", "socket write failed",
		"socket read failed", "socket accept failed",
		"PDP context opening failed", "PDP context closure failed",
		"socket identity has been used", "DNS busy",
		"DNS parse failed", "socket connect failed",
		"socket has been closed", "operation busy",
		"operation timeout", "PDP context broken down",
		"cancel sending", "operation not allowed",
		"APN not configured", "port busy",
	};

	if (code >= 550 && code < 550 + ARRAY_SIZE(text))
		return text[code - 550];
	return "unknown module error";
}

/* A decimal number in [lo, hi]; anything else is a usage error. */
long qisock_parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		qisock_usage_error("bad %s '%s' (%ld-%ld)", what, s, lo, hi);
	return v;
}

/* M of -m M: an index, or the digits of /dev/qisock<M>. */
int qisock_modem_index(void)
{
	const char *m = qisock_opt.modem ? qisock_opt.modem : "0";
	const char *p = m;

	if (m[0] == '/') {
		p = strrchr(m, '/') + 1;
		if (strncmp(p, "qisock", 6))
			qisock_usage_error("-m %s: not a /dev/qisock<M> control node", m);
		p += 6;
	}
	return (int)qisock_parse_num(p, 0, 63, "modem");
}

const char *qisock_ctl_path(void)
{
	static char path[64];

	if (qisock_opt.modem && qisock_opt.modem[0] == '/')
		return qisock_opt.modem;
	snprintf(path, sizeof(path), "/dev/qisock%d", qisock_modem_index());
	return path;
}

/* $QISOCK_SYSFS replaces /sys/class/qisock (tests on a copied tree). */
const char *qisock_sysfs_dir(void)
{
	const char *root = getenv("QISOCK_SYSFS");
	static char path[256];

	snprintf(path, sizeof(path), "%s/qisock%d", root && *root ? root : "/sys/class/qisock",
		 qisock_modem_index());
	return path;
}

/*
 * Read qisock<M>/@rel into @buf without the trailing newline. Returns 0
 * or a positive errno.
 */
int qisock_sysfs_read(const char *rel, char *buf, size_t size)
{
	char path[600];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", qisock_sysfs_dir(), rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return err;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = 0;
	return 0;
}

/*
 * Write @val and a newline to qisock<M>/@rel. 0 or a positive errno; a
 * file only root may write is EPERM, what the driver answers when the
 * caller lacks CAP_NET_ADMIN.
 */
int qisock_sysfs_write(const char *rel, const char *val)
{
	char path[600], line[512];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", qisock_sysfs_dir(), rel);
	if ((size_t)snprintf(line, sizeof(line), "%s\n", val) >= sizeof(line))
		return EINVAL;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES ? EPERM : errno;
	n = write(fd, line, strlen(line));
	err = errno;
	close(fd);
	if (n < 0)
		return err;
	return (size_t)n == strlen(line) ? 0 : EIO;
}

/* The control node, opened; on failure the message and exit 1. */
int qisock_open_ctl(int flags)
{
	const char *path = qisock_ctl_path();
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		exit(qisock_fail_errno(errno, path));
	return fd;
}

/* Is @s one of the NULL-terminated @list? */
int qisock_is_keyword(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}
