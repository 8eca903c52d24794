// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: a small command line tool for the sockets of the qisock line
 * discipline (include/uapi/linux/qisock.h).
 *
 *   qisock open [-m M] [-t tcp|udp|listen|udpsvc] [-c ctx] [-i id] [-p lport]
 *               [-n] [-w secs] host port     open a service, then relay stdio
 *   qisock nc [-u] [options] host port         TCP (UDP with -u) netcat
 *   qisock listen [options] port               accept one connection, relay
 *   qisock info [-m M] [/dev/qisockMsN...]     what the driver reports
 *
 * Relaying: stdin goes to the socket, the socket goes to stdout, until the
 * socket reports EOF (or, after stdin ended, -w seconds of silence).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#define BUF_SIZE	4096

static const char *prog = "qisock";

struct opts {
	const char *modem;	/* control node */
	int service;
	int ctx;
	int id;
	int lport;
	int nonblock;
	int wait_s;		/* -w: idle seconds after stdin EOF, 0 = none */
	int verbose;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: qisock open [-m M] [-t tcp|udp|listen|udpsvc] [-c ctx] [-i id]\n"
		"                   [-p lport] [-n] [-w secs] [-v] host port\n"
		"       qisock nc [-u] [-m M] [-c ctx] [-i id] [-n] [-w secs] host port\n"
		"       qisock listen [-m M] [-c ctx] [-i id] [-w secs] port\n"
		"       qisock info [-m M] [/dev/qisockMsN...]\n"
		"  -m M  modem: index (0) or control node (/dev/qisock0)\n");
	exit(2);
}

static const char *modem_path(const char *m)
{
	static char path[64];

	if (!m)
		m = "0";
	if (m[0] == '/')
		return m;
	snprintf(path, sizeof(path), "/dev/qisock%s", m);
	return path;
}

static const char *service_name(unsigned int s)
{
	static const char *const n[] = { "TCP", "UDP", "TCP LISTENER",
					 "UDP SERVICE", "TCP INCOMING" };

	return s < 5 ? n[s] : "?";
}

static const char *state_name(unsigned int s)
{
	static const char *const n[] = { "free", "opening", "connected",
					 "closed", "failed" };

	return s < 5 ? n[s] : "?";
}

static int parse_int(const char *s, int lo, int hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		die("bad %s '%s' (%d-%d)", what, s, lo, hi);
	return (int)v;
}

static void print_info(const char *name, int fd)
{
	struct qisock_info in;

	memset(&in, 0, sizeof(in));
	if (ioctl(fd, QISOCK_IOC_INFO, &in) < 0) {
		fprintf(stderr, "%s: %s: QISOCK_IOC_INFO: %s\n", prog, name, strerror(errno));
		return;
	}
	printf("%s: connectID %d %s state %s", name, in.connect_id,
	       service_name(in.service), state_name(in.state));
	if (in.state != QISOCK_SS_FREE)
		printf(" ctx %u access %u local %u remote %s:%u rx %llu tx %llu dropped %llu",
		       in.context_id, in.access_mode, in.local_port, in.remote,
		       in.remote_port, (unsigned long long)in.rx_bytes,
		       (unsigned long long)in.tx_bytes, (unsigned long long)in.rx_dropped);
	if (in.error)
		printf(" error %u (%s) module %u", in.error, strerror(in.error), in.module_error);
	printf("\n");
}

/* Open a service as the options say; returns the socket's fd. */
static int open_service(struct opts *o, const char *host, int port)
{
	struct qisock_open req;
	char path[80];
	int fd;

	if (o->id >= 0 && o->modem[0] != '/')
		snprintf(path, sizeof(path), "%ss%d", modem_path(o->modem), o->id);
	else
		snprintf(path, sizeof(path), "%s", modem_path(o->modem));
	fd = open(path, O_RDWR | O_CLOEXEC | (o->nonblock ? O_NONBLOCK : 0));
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	memset(&req, 0, sizeof(req));
	req.service = o->service;
	req.access_mode = QISOCK_ACCESS_BUFFER;
	req.context_id = o->ctx;
	req.connect_id = o->id;
	req.remote_port = port;
	req.local_port = o->lport;
	if (strlen(host) > QISOCK_HOST_MAX)
		die("host name too long (%d bytes at most)", QISOCK_HOST_MAX);
	strcpy(req.host, host);
	if (ioctl(fd, QISOCK_IOC_OPEN, &req) < 0) {
		if (errno != EINPROGRESS)
			die("%s: open %s %s:%d: %s", path, service_name(o->service), host,
			    port, strerror(errno));
		/* O_NONBLOCK: wait for the connect to finish */
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		struct qisock_info in;

		if (o->verbose)
			fprintf(stderr, "%s: connect in progress\n", prog);
		if (poll(&p, 1, 180000) <= 0)
			die("%s: connect: no POLLOUT within 180 s", path);
		memset(&in, 0, sizeof(in));
		if (ioctl(fd, QISOCK_IOC_INFO, &in) < 0)
			die("%s: QISOCK_IOC_INFO: %s", path, strerror(errno));
		if (in.error)
			die("%s: connect %s:%d: %s", path, host, port, strerror(in.error));
		req.connect_id = in.connect_id;
	}
	if (o->verbose)
		fprintf(stderr, "%s: %s %s:%d open on connectID %d\n", prog,
			service_name(o->service), host, port, req.connect_id);
	return fd;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			poll(&p, 1, 1000);
			continue;
		}
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * stdin -> socket, socket -> stdout. UDP SERVICE: socket datagrams are
 * printed with their peer on stderr, stdin goes to the last peer.
 */
static int relay(struct opts *o, int fd)
{
	static char buf[BUF_SIZE + sizeof(struct qisock_dgram)];
	struct qisock_dgram last = { 0 };
	int in_open = 1, udpsvc = o->service == QISOCK_UDP_SERVICE;
	time_t idle_since = 0;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = in_open ? 0 : -1, .events = POLLIN },
		};
		int r = poll(p, 2, 1000);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll: %s", strerror(errno));
		if (!in_open && o->wait_s && r == 0 &&
		    time(NULL) - idle_since >= o->wait_s)
			return 0;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n < 0) {
				fprintf(stderr, "%s: read: %s\n", prog, strerror(errno));
				return 1;
			}
			if (n == 0)
				return 0;
			idle_since = time(NULL);
			if (udpsvc && (size_t)n >= sizeof(last)) {
				memcpy(&last, buf, sizeof(last));
				last.addr[sizeof(last.addr) - 1] = 0;
				fprintf(stderr, "%s: datagram from %s:%u, %u bytes\n", prog,
					last.addr, last.port, last.len);
				if (write_all(1, buf + sizeof(last), n - sizeof(last)))
					return 1;
			} else if (write_all(1, buf, n)) {
				return 1;
			}
		}
		if (in_open && (p[1].revents & (POLLIN | POLLHUP))) {
			char *data = udpsvc ? buf + sizeof(last) : buf;

			n = read(0, data, BUF_SIZE);
			if (n <= 0) {
				in_open = 0;
				idle_since = time(NULL);
				continue;
			}
			if (udpsvc) {
				if (!last.port) {
					fprintf(stderr, "%s: no peer yet, dropped %zd bytes\n",
						prog, n);
					continue;
				}
				last.len = n;
				memcpy(buf, &last, sizeof(last));
				n += sizeof(last);
			}
			if (write_all(fd, buf, n)) {
				fprintf(stderr, "%s: write: %s\n", prog, strerror(errno));
				return 1;
			}
		}
	}
}

static int parse_opts(struct opts *o, int argc, char **argv, const char *optstr)
{
	int c;

	o->modem = "0";
	o->service = QISOCK_TCP;
	o->ctx = 1;
	o->id = -1;
	optind = 1;
	while ((c = getopt(argc, argv, optstr)) != -1) {
		switch (c) {
		case 'm': o->modem = optarg; break;
		case 'c': o->ctx = parse_int(optarg, 1, 16, "context"); break;
		case 'i': o->id = parse_int(optarg, 0, 11, "connectID"); break;
		case 'p': o->lport = parse_int(optarg, 0, 65535, "local port"); break;
		case 'n': o->nonblock = 1; break;
		case 'u': o->service = QISOCK_UDP; break;
		case 'v': o->verbose = 1; break;
		case 'w': o->wait_s = parse_int(optarg, 0, 3600, "wait"); break;
		case 't':
			if (!strcmp(optarg, "tcp"))
				o->service = QISOCK_TCP;
			else if (!strcmp(optarg, "udp"))
				o->service = QISOCK_UDP;
			else if (!strcmp(optarg, "listen"))
				o->service = QISOCK_TCP_LISTENER;
			else if (!strcmp(optarg, "udpsvc"))
				o->service = QISOCK_UDP_SERVICE;
			else
				die("bad service '%s' (tcp, udp, listen, udpsvc)", optarg);
			break;
		default:
			usage();
		}
	}
	return optind;
}

static int do_listen_accept(struct opts *o, int lfd)
{
	struct qisock_accept acc;
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	int fd;

	if (poll(&p, 1, -1) < 0)
		die("poll: %s", strerror(errno));
	memset(&acc, 0, sizeof(acc));
	fd = ioctl(lfd, QISOCK_IOC_ACCEPT, &acc);
	if (fd < 0)
		die("accept: %s", strerror(errno));
	acc.addr[sizeof(acc.addr) - 1] = 0;
	fprintf(stderr, "%s: connection from %s:%u on connectID %d\n", prog,
		acc.addr, acc.port, acc.connect_id);
	o->service = QISOCK_TCP_INCOMING;
	return fd;
}

static int cmd_open(int argc, char **argv, const char *optstr, int fixed)
{
	struct opts o = { 0 };
	int i, fd, rc;

	i = parse_opts(&o, argc, argv, optstr);
	if (fixed >= 0)
		o.service = fixed;
	if (o.service == QISOCK_TCP_LISTENER || o.service == QISOCK_UDP_SERVICE) {
		/* listen PORT, or open -t listen|udpsvc [-p lport] [host port] */
		if (!strcmp(argv[0], "listen")) {
			if (argc - i != 1)
				usage();
			o.lport = parse_int(argv[i], 1, 65535, "port");
			fd = open_service(&o, "127.0.0.1", 0);
		} else {
			if (argc - i > 2)
				usage();
			fd = open_service(&o, argc - i >= 1 ? argv[i] : "127.0.0.1",
					  argc - i == 2 ? parse_int(argv[i + 1], 0, 65535, "port") : 0);
		}
	} else {
		if (argc - i != 2)
			usage();
		fd = open_service(&o, argv[i], parse_int(argv[i + 1], 0, 65535, "port"));
	}
	if (o.verbose)
		print_info("socket", fd);
	if (o.service == QISOCK_TCP_LISTENER) {
		int cfd = do_listen_accept(&o, fd);

		rc = relay(&o, cfd);
		close(cfd);
	} else {
		rc = relay(&o, fd);
	}
	close(fd);
	return rc;
}

static int cmd_info(int argc, char **argv)
{
	struct opts o = { 0 };
	char path[80];
	int i, n, fd, found = 0;

	i = parse_opts(&o, argc, argv, "m:");
	for (n = 0; i >= argc && n < 12; n++) {
		snprintf(path, sizeof(path), "%ss%d", modem_path(o.modem), n);
		if (access(path, F_OK))
			continue;
		found++;
		fd = open(path, O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			printf("%s: %s\n", path, errno == EBUSY ? "in use" : strerror(errno));
			continue;
		}
		print_info(path, fd);
		close(fd);
	}
	if (i >= argc && !found)
		die("no sockets of %s (%ss<N>)", modem_path(o.modem), modem_path(o.modem));
	for (; i < argc; i++) {
		fd = open(argv[i], O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			die("%s: %s", argv[i], strerror(errno));
		print_info(argv[i], fd);
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	argc--;
	argv++;
	if (!strcmp(argv[0], "open"))
		return cmd_open(argc, argv, "m:t:c:i:p:nvw:", -1);
	if (!strcmp(argv[0], "nc"))
		return cmd_open(argc, argv, "m:c:i:p:nuvw:", -1);
	if (!strcmp(argv[0], "listen"))
		return cmd_open(argc, argv, "m:c:i:vw:", QISOCK_TCP_LISTENER);
	if (!strcmp(argv[0], "info"))
		return cmd_info(argc, argv);
	usage();
	return 2;
}
