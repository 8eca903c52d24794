// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: netcat over a modem socket, and the older verbs open and
 * listen on the same engine (relay.c moves the bytes).
 *
 *   nc [-u] [-N] [-v] [-z] [-w S] [-q S] [-c ctx] [-i id] [-p lport] HOST PORT
 *   nc -l [-u] [-k] [-v] [-c ctx] [-i id] [-p] PORT
 *
 * Exit status as OpenBSD nc: 0 after a clean close (or a successful -z),
 * 1 on any error, 2 for usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#include "qisock.h"
#include "relay.h"

#define QISOCK_CONNECT_S	180	/* without -w: past the module's 150 s */

static const char *qisock_proto(const struct qisock_nc *o)
{
	return o->service == QISOCK_UDP || o->service == QISOCK_UDP_SERVICE ?
	       "udp" : "tcp";
}

/* The node to open: /dev/qisock<M>s<id> for -i with an index, else control. */
static int qisock_nc_node(const struct qisock_nc *o, char *path, size_t size)
{
	int fd;

	if (o->id >= 0 && !(qisock_opt.modem && qisock_opt.modem[0] == '/'))
		snprintf(path, size, "%ss%d", qisock_ctl_path(), o->id);
	else
		snprintf(path, size, "%s", qisock_ctl_path());
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		qisock_fail_errno(errno, path);
	return fd;
}

/*
 * After EINPROGRESS: wait up to @secs for the open to end, then its
 * outcome; 0 or a positive errno. POLLOUT ends the wait of a client, but
 * a listener or UDP SERVICE that opened never polls writable, so the
 * state is also looked at every 200 ms.
 */
static int qisock_nc_wait_open(int fd, int secs)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	struct qisock_info in;
	int ticks = secs * 5;

	for (;;) {
		memset(&in, 0, sizeof(in));
		if (ioctl(fd, QISOCK_IOC_INFO, &in) < 0)
			return errno;
		if (in.state != QISOCK_SS_OPENING)
			break;
		if (ticks-- <= 0)
			return ETIMEDOUT;
		if (poll(&p, 1, 200) < 0 && errno != EINTR)
			return errno;
	}
	if (in.state == QISOCK_SS_CONNECTED)
		return 0;
	return in.error ? (int)in.error : EIO;
}

/*
 * Open the service of @o to @host:@port. Returns the fd, or -1 after a
 * message.
 */
int qisock_nc_open(struct qisock_nc *o, const char *host, int port)
{
	struct qisock_open req;
	char path[80], what[256];
	int fd, err = 0;

	if (strlen(host) > QISOCK_HOST_MAX)
		qisock_usage_error("host name longer than %d bytes", QISOCK_HOST_MAX);
	fd = qisock_nc_node(o, path, sizeof(path));
	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.service = o->service;
	req.access_mode = QISOCK_ACCESS_BUFFER;
	req.context_id = qisock_opt.ctx;
	req.connect_id = o->id;
	req.remote_port = port;
	req.local_port = o->lport;
	snprintf(req.host, sizeof(req.host), "%s", host);
	if (ioctl(fd, QISOCK_IOC_OPEN, &req) < 0) {
		err = errno;
		if (err == EINPROGRESS)
			err = qisock_nc_wait_open(fd, o->wait_s ? o->wait_s : QISOCK_CONNECT_S);
	}
	if (err && (o->service == QISOCK_TCP_LISTENER || o->service == QISOCK_UDP_SERVICE))
		snprintf(what, sizeof(what), "%s: listen on port %d (%s) failed", path,
			 o->lport, qisock_proto(o));
	else if (err)
		snprintf(what, sizeof(what), "%s: connect to %s port %d (%s) failed", path,
			 host, port, qisock_proto(o));
	if (err) {
		qisock_fail_errno(err, what);
		close(fd);
		return -1;
	}
	if (o->verbose && (o->service == QISOCK_TCP_LISTENER ||
			   o->service == QISOCK_UDP_SERVICE))
		fprintf(stderr, "Listening on port %d [%s] (connectID %d)\n", o->lport,
			qisock_proto(o), req.connect_id);
	else if (o->verbose)
		fprintf(stderr, "Connection to %s %d port [%s/*] succeeded! (connectID %d)\n",
			host, port, qisock_proto(o), req.connect_id);
	return fd;
}

/* One connection from listener @lfd (blocking until one comes). */
static int qisock_nc_accept(struct qisock_nc *o, int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	struct qisock_accept acc;
	int fd;

	for (;;) {
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return qisock_fail_errno(errno, "poll"), -1;
		memset(&acc, 0, sizeof(acc));
		fd = ioctl(lfd, QISOCK_IOC_ACCEPT, &acc);
		if (fd >= 0)
			break;
		if (errno != EAGAIN && errno != EINTR)
			return qisock_fail_errno(errno, "accept"), -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	acc.addr[sizeof(acc.addr) - 1] = 0;
	if (o->verbose || o->legacy)
		fprintf(stderr, "%s: connection from %s:%u on connectID %d\n",
			qisock_prog, acc.addr, acc.port, acc.connect_id);
	return fd;
}

/* -l: a TCP LISTENER (accepting one connection, or more with -k), or UDP. */
static int qisock_nc_listen(struct qisock_nc *o)
{
	int lfd, fd, rc;

	o->service = o->service == QISOCK_UDP ? QISOCK_UDP_SERVICE : QISOCK_TCP_LISTENER;
	lfd = qisock_nc_open(o, "127.0.0.1", 0);
	if (lfd < 0)
		return QISOCK_EXIT_FAIL;
	if (o->service == QISOCK_UDP_SERVICE) {
		rc = qisock_relay(o, lfd);
		close(lfd);
		return rc;
	}
	do {
		fd = qisock_nc_accept(o, lfd);
		if (fd < 0) {
			close(lfd);
			return QISOCK_EXIT_FAIL;
		}
		rc = qisock_relay(o, fd);
		close(fd);
	} while (o->keep);
	close(lfd);
	return rc;
}

static int qisock_nc_port(const char *s)
{
	return (int)qisock_parse_num(s, 0, 65535, "port");
}

static void qisock_nc_defaults(struct qisock_nc *o)
{
	memset(o, 0, sizeof(*o));
	o->service = QISOCK_TCP;
	o->id = -1;
	o->quit_s = -1;
}

/* The options every verb shares; 0 when @c is not one of them. */
static int qisock_nc_common(struct qisock_nc *o, int c)
{
	switch (c) {
	case 'm':
		qisock_opt.modem = optarg;
		return 1;
	case 'c':
		qisock_opt.ctx = (int)qisock_parse_num(optarg, 1, 16, "context");
		return 1;
	case 'i':
		o->id = (int)qisock_parse_num(optarg, 0, 11, "connectID");
		return 1;
	case 'w':
		o->wait_s = (int)qisock_parse_num(optarg, 1, 3600, "timeout");
		return 1;
	case 'v':
		o->verbose = 1;
		return 1;
	case 'n':	/* numeric only: the module resolves, nothing to do */
		return 1;
	}
	return 0;
}

static const char qisock_nc_usage[] =
	"usage: qisock nc [-uNvz] [-w S] [-q S] [-m M] [-c ctx] [-i id] [-p lport] HOST PORT\n"
	"       qisock nc -l [-ukv] [-m M] [-c ctx] [-i id] [-p] PORT";

int qisock_cmd_nc(int argc, char **argv)
{
	struct qisock_nc o;
	int c, fd, rc, listen = 0, zero = 0;

	qisock_nc_defaults(&o);
	optind = 0;	/* glibc: start over, also the ordering mode */
	while ((c = getopt(argc, argv, "+ulkNzvnw:q:m:c:i:p:")) != -1) {
		if (qisock_nc_common(&o, c))
			continue;
		switch (c) {
		case 'u':
			o.service = QISOCK_UDP;
			break;
		case 'l':
			listen = 1;
			break;
		case 'k':
			o.keep = 1;
			break;
		case 'N':
			o.shut = 1;
			break;
		case 'z':
			zero = 1;
			break;
		case 'q':
			o.quit_s = (int)qisock_parse_num(optarg, -1, 3600, "quit delay");
			break;
		case 'p':
			o.lport = qisock_nc_port(optarg);
			break;
		default:
			qisock_usage_error("%s", qisock_nc_usage);
		}
	}
	argc -= optind;
	argv += optind;
	if (listen) {
		if (zero || argc > 1 || (argc == 0 && !o.lport))
			qisock_usage_error("%s", qisock_nc_usage);
		if (argc == 1)
			o.lport = qisock_nc_port(argv[0]);
		if (!o.lport)
			qisock_usage_error("nc -l: port 0 cannot be listened on");
		o.wait_s = 0;	/* as OpenBSD nc: -w does nothing with -l */
		return qisock_nc_listen(&o);
	}
	if (o.keep || argc != 2)
		qisock_usage_error("%s", qisock_nc_usage);
	fd = qisock_nc_open(&o, argv[0], qisock_nc_port(argv[1]));
	if (fd < 0)
		return QISOCK_EXIT_FAIL;
	if (zero) {
		close(fd);
		return QISOCK_EXIT_OK;
	}
	o.wait_idle = o.wait_s;
	rc = qisock_relay(&o, fd);
	close(fd);
	return rc;
}

/* The older verbs: open -t tcp|udp|listen|udpsvc, and listen PORT. */
static int qisock_legacy(struct qisock_nc *o, int argc, char **argv, const char *opts)
{
	int c;

	o->legacy = 1;
	optind = 0;	/* glibc: start over, also the ordering mode */
	while ((c = getopt(argc, argv, opts)) != -1) {
		if (qisock_nc_common(o, c))
			continue;
		if (c == 'p') {
			o->lport = qisock_nc_port(optarg);
		} else if (c == 't') {
			static const char *const t[] = { "tcp", "udp", "listen", "udpsvc", NULL };
			int k;

			for (k = 0; t[k] && strcmp(t[k], optarg); k++)
				;
			if (!t[k])
				qisock_usage_error("bad service '%s' (%s)", optarg,
						   "tcp, udp, listen, udpsvc");
			o->service = k;
		} else {
			qisock_usage_error("bad option; see qisock --help");
		}
	}
	/* -w: seconds without data after stdin ended */
	o->wait_eof = o->wait_s;
	return optind;
}

int qisock_cmd_listen(int argc, char **argv)
{
	struct qisock_nc o;
	int i;

	qisock_nc_defaults(&o);
	i = qisock_legacy(&o, argc, argv, "+m:c:i:vnw:");
	if (argc - i != 1)
		qisock_usage_error("usage: qisock listen [-m M] [-c ctx] [-i id] [-w S] PORT");
	o.lport = qisock_nc_port(argv[i]);
	o.wait_s = 0;	/* no connect time-out for the listener */
	return qisock_nc_listen(&o);
}

int qisock_cmd_open(int argc, char **argv)
{
	struct qisock_nc o;
	int i, fd, rc;

	qisock_nc_defaults(&o);
	i = qisock_legacy(&o, argc, argv, "+m:t:c:i:p:nvw:");
	if (o.service == QISOCK_TCP_LISTENER || o.service == QISOCK_UDP_SERVICE) {
		if (argc - i > 2)
			qisock_usage_error("usage: qisock open -t listen|udpsvc -p LPORT");
		o.service = o.service == QISOCK_UDP_SERVICE ? QISOCK_UDP : QISOCK_TCP;
		o.wait_s = 0;
		return qisock_nc_listen(&o);
	}
	if (argc - i != 2)
		qisock_usage_error("usage: qisock open [-t tcp|udp] HOST PORT");
	fd = qisock_nc_open(&o, argv[i], qisock_nc_port(argv[i + 1]));
	if (fd < 0)
		return QISOCK_EXIT_FAIL;
	rc = qisock_relay(&o, fd);
	close(fd);
	return rc;
}
