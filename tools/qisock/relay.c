// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: stdin to the socket, the socket to stdout, until the socket
 * ends (0) or fails (1). The socket file is O_NONBLOCK: what the module
 * cannot take yet waits in one pending buffer, and stdin is not read
 * meanwhile, so a peer that answers while it is fed never deadlocks us.
 *
 * UDP SERVICE: each datagram read is written to stdout, its peer noted
 * on stderr; stdin goes to the last peer.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#include "qisock.h"
#include "relay.h"

#define QISOCK_CHUNK	1460	/* the module's largest AT+QISEND */
#define QISOCK_DRAIN_S	60	/* -N: wait this long for the acknowledgment */

struct qisock_relay_state {
	const struct qisock_nc *o;
	int fd;
	int in_open;
	int udpsvc;
	time_t last;		/* data moved */
	time_t eof;		/* stdin ended */
	struct qisock_dgram peer;
	char pend[QISOCK_CHUNK + sizeof(struct qisock_dgram)];
	size_t plen, poff;
};

static time_t qisock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* All of @buf to stdout; 0, or 1 when stdout failed (EPIPE: -1, done). */
static int qisock_out_all(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(1, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			return -1;
		if (n < 0) {
			qisock_warn("stdout: %s", strerror(errno));
			return 1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* Socket readable: 0 go on, 1 error, 2 the socket ended. */
static int qisock_relay_in(struct qisock_relay_state *r)
{
	static char buf[65536 + sizeof(struct qisock_dgram)];
	ssize_t n = read(r->fd, buf, sizeof(buf));
	int ret;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0)
		return qisock_fail_errno(errno, "read from the socket");
	if (n == 0)
		return 2;
	r->last = qisock_now();
	if (r->udpsvc && (size_t)n >= sizeof(r->peer)) {
		memcpy(&r->peer, buf, sizeof(r->peer));
		r->peer.addr[sizeof(r->peer.addr) - 1] = 0;
		if (r->o->verbose || r->o->legacy)
			fprintf(stderr, "%s: datagram from %s:%u, %u bytes\n", qisock_prog,
				r->peer.addr, r->peer.port, r->peer.len);
		ret = qisock_out_all(buf + sizeof(r->peer), n - sizeof(r->peer));
	} else {
		ret = qisock_out_all(buf, n);
	}
	return ret < 0 ? 2 : ret;
}

/* Stdin readable: fill the pending buffer (0), or note its end. */
static int qisock_relay_stdin(struct qisock_relay_state *r)
{
	char *data = r->udpsvc ? r->pend + sizeof(r->peer) : r->pend;
	ssize_t n = read(0, data, QISOCK_CHUNK);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		r->in_open = 0;
		r->eof = qisock_now();
		return 0;
	}
	r->last = qisock_now();
	if (r->udpsvc) {
		if (!r->peer.port) {
			qisock_warn("no datagram received yet: dropped %zd bytes of stdin", n);
			return 0;
		}
		r->peer.len = n;
		memcpy(r->pend, &r->peer, sizeof(r->peer));
		n += sizeof(r->peer);
	}
	r->plen = n;
	r->poff = 0;
	return 0;
}

/* Socket writable: send what is pending. 0 or 1. */
static int qisock_relay_out(struct qisock_relay_state *r)
{
	ssize_t n = write(r->fd, r->pend + r->poff, r->plen - r->poff);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0)
		return qisock_fail_errno(errno, "write to the socket");
	r->poff += n;
	if (r->poff == r->plen) {
		r->plen = 0;
		r->poff = 0;
	}
	r->last = qisock_now();
	return 0;
}

/* -N: wait until the module has every byte acknowledged (TCP). */
static int qisock_relay_drain(struct qisock_relay_state *r)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	time_t end = qisock_now() + QISOCK_DRAIN_S;
	int q;

	if (r->o->service == QISOCK_UDP || r->udpsvc)
		return 0;
	while (qisock_now() < end) {
		if (ioctl(r->fd, TIOCOUTQ, &q) < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				nanosleep(&tick, NULL);
				continue;
			}
			return qisock_fail_errno(errno, "TIOCOUTQ");
		}
		if (!q)
			return 0;
		nanosleep(&tick, NULL);
	}
	qisock_warn("-N: the module still holds unacknowledged data after %d s",
		    QISOCK_DRAIN_S);
	return QISOCK_EXIT_FAIL;
}

/* Has a -w/-q time-out run out? */
static int qisock_relay_expired(const struct qisock_relay_state *r)
{
	const struct qisock_nc *o = r->o;
	time_t now = qisock_now();

	if (o->wait_idle && now - r->last >= o->wait_idle)
		return 1;
	if (r->in_open || r->plen)
		return 0;
	if (o->wait_eof && now - r->last >= o->wait_eof)
		return 1;
	return o->quit_s >= 0 && now - r->eof >= o->quit_s;
}

int qisock_relay(const struct qisock_nc *o, int fd)
{
	static struct qisock_relay_state r;
	int ret = 0;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.fd = fd;
	r.in_open = 1;
	r.udpsvc = o->service == QISOCK_UDP_SERVICE;
	r.last = qisock_now();
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = fd, .events = POLLIN | (r.plen ? POLLOUT : 0) },
			{ .fd = r.in_open && !r.plen ? 0 : -1, .events = POLLIN },
		};

		if (!r.in_open && !r.plen && o->shut)
			return qisock_relay_drain(&r);
		if (qisock_relay_expired(&r))
			return 0;
		if (poll(p, 2, 200) < 0) {
			if (errno == EINTR)
				continue;
			return qisock_fail_errno(errno, "poll");
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			ret = qisock_relay_in(&r);
		if (!ret && r.plen && (p[0].revents & (POLLOUT | POLLERR)))
			ret = qisock_relay_out(&r);
		if (!ret && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
			ret = qisock_relay_stdin(&r);
		if (ret)
			return ret == 2 ? 0 : ret;
	}
}
