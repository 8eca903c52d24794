// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: the module's sockets, backed by real host sockets.
 *
 * TCP/UDP clients connect for real (non-blocking), "TCP LISTENER" listens
 * and accepts for real, "UDP SERVICE" binds. Received data is kept as a
 * queue of nodes (one recv() each; one per datagram for UDP) and delivered
 * according to the access mode: buffer mode ("recv" URC once, then QIRD),
 * direct push (URC with the data) or transparent (raw bytes on the line).
 * Data accepted by QISEND waits in a finite send buffer (SEND_BUF_SIZE)
 * that is drained into the kernel socket as it accepts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "sim.h"

#define EC_RX_CAP 65536		/* EC200U receive buffer per socket */
#define BC_MAX_NODES 20		/* BC66: "maximum node number ... is 20" */
#define BC_URC_MAX 1400		/* BC66: "maximum length of each URC" */
#define LINE_HIGH_WATER 32768	/* stop reading when the line is backed up */
#define MAX_ORPHANS 16
#define ORPHAN_MS 10000
#define KERNEL_SNDBUF 8192

struct sock socks[MAX_SOCK];
static struct sock orph[MAX_ORPHANS];
static unsigned int gen_counter;
static unsigned int pgen[256];

static void handle_eof(struct sock *s);

struct sock *sock_get(int id)
{
	if (id < 0 || id >= mdl->max_sock || !socks[id].used)
		return NULL;
	return &socks[id];
}

struct sock *sock_alloc(int id)
{
	struct sock *s = &socks[id];

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->gen = ++gen_counter;
	s->id = id;
	s->fd = -1;
	s->urc_armed = true;
	s->server_id = 0;
	return s;
}

static void free_nodes(struct sock *s)
{
	struct dgram *d, *n;

	for (d = s->dq; d; d = n) {
		n = d->next;
		free(d);
	}
	s->dq = s->dq_tail = NULL;
	s->nnodes = 0;
	s->rx_buffered = 0;
}

/*
 * Close like a module does (FIN, not RST): unread received bytes would make
 * the kernel reset the connection and the peer could lose what we sent.
 */
static void close_gently(int fd)
{
	uint8_t scratch[4096];
	int i;

	for (i = 0; i < 256; i++)
		if (recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT) <= 0)
			break;
	close(fd);
}

static void orphan_expire(void *arg, long a, long b)
{
	struct sock *o = arg;

	(void)a;
	if (o->used && o->gen == (unsigned int)b) {
		close_gently(o->fd);
		buf_free(&o->tx);
		o->used = false;
	}
}

void sock_free(struct sock *s, bool graceful)
{
	int i;

	timer_cancel(s->open_timer);
	if (s->fd >= 0) {
		if (graceful && buf_avail(&s->tx) &&
		    (s->svc == SVC_TCP || s->svc == SVC_TCP_INCOMING)) {
			for (i = 0; i < MAX_ORPHANS; i++)
				if (!orph[i].used)
					break;
			if (i < MAX_ORPHANS) {
				struct sock *o = &orph[i];

				memset(o, 0, sizeof(*o));
				o->used = true;
				o->gen = ++gen_counter;
				o->fd = s->fd;
				o->tx = s->tx;
				memset(&s->tx, 0, sizeof(s->tx));
				timer_add(ORPHAN_MS, orphan_expire, o, 0, o->gen);
				s->fd = -1;
			}
		}
		if (s->fd >= 0)
			close_gently(s->fd);
	}
	buf_free(&s->tx);
	free_nodes(s);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

void net_reset(void)
{
	int i;

	for (i = 0; i < MAX_SOCK; i++)
		if (socks[i].used)
			sock_free(&socks[i], false);
	for (i = 0; i < MAX_ORPHANS; i++) {
		if (orph[i].used) {
			close(orph[i].fd);
			buf_free(&orph[i].tx);
			orph[i].used = false;
		}
	}
}

/* ---------------- addresses ---------------- */

static int make_addr(const char *ip, int port, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof(*a4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof(*a6);
		return AF_INET6;
	}
	return -1;
}

static void addr_str(const struct sockaddr_storage *ss, char *ip, size_t n,
		     int *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const void *)ss;

		inet_ntop(AF_INET6, &a6->sin6_addr, ip, n);
		*port = ntohs(a6->sin6_port);
	} else {
		const struct sockaddr_in *a4 = (const void *)ss;

		inet_ntop(AF_INET, &a4->sin_addr, ip, n);
		*port = ntohs(a4->sin_port);
	}
}

static int bind_err(void)
{
	return errno == EADDRINUSE ? 574 : 556;
}

/*
 * A module has a small TCP window: cap the kernel's send buffer so a peer
 * that stops reading fills the module's send buffer (SEND FAIL) soon.
 */
static void small_sndbuf(int fd)
{
	int v = KERNEL_SNDBUF;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

static void apply_keepalive(int fd)
{
	int on = 1, v;

	if (!M.cfg.ka_enable)
		return;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	v = M.cfg.ka_idle;
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v));
	v = M.cfg.ka_interval;
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &v, sizeof(v));
	v = M.cfg.ka_probe;
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v));
}

/* ---------------- open ---------------- */

void net_open_result(struct sock *s, int err)
{
	timer_cancel(s->open_timer);
	s->open_timer = 0;
	if (!s->open_pending)
		return;
	s->open_pending = false;
	if (err) {
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		s->st = SS_INITIAL;
		at_set_lasterr(err);
	} else if (s->svc == SVC_TCP_LISTENER) {
		s->st = SS_LISTENING;
	} else {
		s->st = SS_CONNECTED;
	}
	if (s->trans_open) {
		s->trans_open = false;
		if (err) {
			at_error(err);
			sock_free(s, false);
		} else {
			at_enter_trans(s->id);
		}
		at_done();
		return;
	}
	urc("+QIOPEN: %d,%d", s->id, err);
}

static void open_later(void *arg, long a, long b)
{
	struct sock *s = arg;

	if (s->used && s->gen == (unsigned int)b)
		net_open_result(s, (int)a);
}

static void open_timeout(void *arg, long a, long b)
{
	struct sock *s = arg;

	(void)a;
	if (s->used && s->gen == (unsigned int)b) {
		s->open_timer = 0;
		net_open_result(s, 569);
	}
}

static void report_soon(struct sock *s, int err)
{
	timer_add(0, open_later, s, err, s->gen);
}

/* returns 0 (result follows as URC) */
int net_open(struct sock *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam, type, one = 1;
	bool server = s->svc == SVC_TCP_LISTENER || s->svc == SVC_UDP_SERVICE;
	bool tcp = s->svc == SVC_TCP || s->svc == SVC_TCP_LISTENER;

	s->open_pending = true;
	s->st = SS_OPENING;
	if (server) {
		/* services listen on the host's loopback */
		fam = make_addr(s->ip, 0, &ss, &sl);
		fam = make_addr(fam == AF_INET6 ? "::1" : "127.0.0.1", s->lport,
				&ss, &sl);
	} else {
		fam = make_addr(s->ip, s->rport, &ss, &sl);
	}
	if (fam < 0) {
		report_soon(s, 565);
		return 0;
	}
	type = tcp ? SOCK_STREAM : SOCK_DGRAM;
	s->fd = socket(fam, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		report_soon(s, 554);
		return 0;
	}
	if (server) {
		setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(s->fd, (struct sockaddr *)&ss, sl) < 0) {
			report_soon(s, bind_err());
			return 0;
		}
		if (s->svc == SVC_TCP_LISTENER &&
		    listen(s->fd, s->maxclients > 0 ? s->maxclients : 1) < 0) {
			report_soon(s, 557);
			return 0;
		}
		report_soon(s, 0);
		return 0;
	}
	if (s->lport) {
		struct sockaddr_storage ls;
		socklen_t ll = 0;

		make_addr(fam == AF_INET6 ? "::" : "0.0.0.0", s->lport, &ls, &ll);
		setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(s->fd, (struct sockaddr *)&ls, ll) < 0) {
			report_soon(s, bind_err());
			return 0;
		}
	}
	if (tcp) {
		apply_keepalive(s->fd);
		small_sndbuf(s->fd);
	}
	if (connect(s->fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno == EINPROGRESS)
			return 0;	/* POLLOUT tells */
		report_soon(s, 566);
		return 0;
	}
	report_soon(s, 0);
	return 0;
}

void net_set_open_timeout(struct sock *s, int secs)
{
	s->open_timer = timer_add((int64_t)secs * 1000, open_timeout, s, 0,
				  s->gen);
}

/* ---------------- receive side ---------------- */

static bool sock_is_tcp(const struct sock *s)
{
	return s->svc == SVC_TCP || s->svc == SVC_TCP_INCOMING;
}

static size_t push_chunk(void)
{
	if (IS_BC)
		return M.cfg.recv_fmt ? 512 : 1024;
	return 1500;
}

static void push_node(struct sock *s, struct dgram *d)
{
	struct buf h = {0}, data = {0};
	const uint8_t *p = d->data + d->off;
	size_t n = d->len - d->off;
	long vm = M.cfg.viewmode;

	buf_printf(&h, "+QIURC: \"recv\",%d,%zu", s->id, n);
	if (s->svc == SVC_UDP_SERVICE)
		buf_printf(&h, ",\"%s\",%d", d->ip, d->port);
	buf_put(&h, vm ? "," : "\r\n", vm ? 1 : 2);
	if (M.cfg.recv_fmt)
		hex_encode(p, n, &data);
	else
		buf_put(&data, p, n);
	if (IS_BC && !sock_is_tcp(s) &&
	    buf_avail(&h) + buf_avail(&data) > BC_URC_MAX) {
		trace_note("BC66: UDP push URC over %d bytes discarded", BC_URC_MAX);
	} else {
		urc_raw(buf_data(&h), buf_avail(&h), buf_data(&data),
			buf_avail(&data));
	}
	s->have_read += n;
	buf_free(&h);
	buf_free(&data);
}

static struct dgram *pop_node(struct sock *s)
{
	struct dgram *d = s->dq;

	if (!d)
		return NULL;
	s->dq = d->next;
	if (!s->dq)
		s->dq_tail = NULL;
	s->nnodes--;
	s->rx_buffered -= d->len - d->off;
	if (!s->dq)
		s->full_reported = false;
	return d;
}

/* hand buffered data to the host according to the access mode */
static void deliver(struct sock *s, size_t newlen)
{
	struct dgram *d;

	if (!s->dq)
		return;
	if (at_trans_sock() == s->id) {
		while ((d = pop_node(s))) {
			at_trans_output(d->data + d->off, d->len - d->off);
			s->have_read += d->len - d->off;
			free(d);
		}
		return;
	}
	if (s->access == 1) {
		while ((d = pop_node(s))) {
			push_node(s, d);
			free(d);
		}
		return;
	}
	if (s->access != 0 || !s->urc_armed)
		return;
	s->urc_armed = false;
	if ((IS_EC && M.cfg.recvind) || (IS_BC && M.cfg.showlength))
		urc("+QIURC: \"recv\",%d,%zu", s->id, newlen ? newlen : s->rx_buffered);
	else
		urc("+QIURC: \"recv\",%d", s->id);
}

void net_deliver_buffered(struct sock *s)
{
	if (s->access == 0)
		s->urc_armed = true;
	deliver(s, 0);
}

static bool rx_room(const struct sock *s)
{
	if (s->access == 1 || at_trans_sock() == s->id) {
		/* pushed straight out: bounded by the line */
		return line_queued() < LINE_HIGH_WATER && !at_in_data();
	}
	if (IS_BC)
		return s->nnodes < BC_MAX_NODES;
	return s->rx_buffered < EC_RX_CAP;
}

static void add_node(struct sock *s, const uint8_t *p, size_t n,
		     const char *ip, int port)
{
	struct dgram *d = malloc(sizeof(*d) + n);

	if (!d)
		die("out of memory");
	memset(d, 0, sizeof(*d));
	memcpy(d->data, p, n);
	d->len = n;
	snprintf(d->ip, sizeof(d->ip), "%s", ip ? ip : "");
	d->port = port;
	if (s->dq_tail)
		s->dq_tail->next = d;
	else
		s->dq = d;
	s->dq_tail = d;
	s->nnodes++;
	s->rx_buffered += n;
	s->total_recv += n;
}

/*
 * BC66 buffer mode with all 20 nodes taken: "no resources can be allocated
 * for incoming data" (seed 001 2.4.3). TCP waits (the window closes); a UDP
 * datagram has nowhere to go and is lost, as on the module.
 */
static bool bc_udp_full(const struct sock *s)
{
	return IS_BC && s->access == 0 && !sock_is_tcp(s) && !rx_room(s);
}

static bool discard_dgram(struct sock *s)
{
	uint8_t scratch[2048];
	ssize_t r = recv(s->fd, scratch, sizeof(scratch), MSG_TRUNC);

	if (r < 0)
		return false;
	trace_note("BC66: buffer full, UDP datagram of %zd bytes on %d discarded",
		   r, s->id);
	return true;
}

/* one read from the socket; returns false when nothing more to read now */
static bool read_once(struct sock *s)
{
	uint8_t tmp[65536];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	size_t max;
	ssize_t r;
	char ip[64] = "";
	int port = 0;

	if (!rx_room(s)) {
		if (IS_BC && s->access == 0 && !s->full_reported) {
			s->full_reported = true;
			urc("+QIURC: \"recv\",%d,\"buff full\"", s->id);
		}
		if (bc_udp_full(s))
			return discard_dgram(s);
		return false;
	}
	if (sock_is_tcp(s)) {
		max = push_chunk();
		if (IS_EC && s->access == 0 && EC_RX_CAP - s->rx_buffered < max)
			max = EC_RX_CAP - s->rx_buffered;
		r = recv(s->fd, tmp, max, 0);
	} else {
		r = recvfrom(s->fd, tmp, sizeof(tmp), 0, (struct sockaddr *)&ss, &sl);
		if (r >= 0)
			addr_str(&ss, ip, sizeof(ip), &port);
	}
	if (r < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return false;
		if (!sock_is_tcp(s))
			return false;	/* ICMP errors on UDP: ignored */
		handle_eof(s);
		return false;
	}
	if (r == 0 && sock_is_tcp(s)) {
		handle_eof(s);
		return false;
	}
	if (r == 0)
		return true;	/* empty datagram: nothing to report */
	add_node(s, tmp, r, ip, port);
	deliver(s, r);
	return true;
}

static void handle_eof(struct sock *s)
{
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	buf_reset(&s->tx);
	s->eof = true;
	s->st = IS_BC ? SS_REMOTE_CLOSING : SS_CLOSING;
	if (at_trans_sock() == s->id) {
		at_leave_trans("NO CARRIER");
		s->access = 0;
		return;
	}
	urc("+QIURC: \"closed\",%d", s->id);
}

void net_remote_close(struct sock *s)
{
	int i;

	if (s->fd < 0)
		return;
	/* take what the peer already sent, then the peer goes away */
	for (i = 0; i < 64 && s->fd >= 0 && read_once(s); i++)
		;
	if (s->fd < 0)
		return;
	shutdown(s->fd, SHUT_RDWR);
	handle_eof(s);
}

void net_drop(struct sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	buf_reset(&s->tx);
}

size_t net_rx_take(struct sock *s, uint8_t *out, size_t max, bool span,
		   char *ip, int *port, size_t *node_left)
{
	size_t got = 0;
	bool first = true;

	*node_left = 0;
	while (got < max && s->dq) {
		struct dgram *d = s->dq;
		size_t n = d->len - d->off;

		if (first) {
			if (ip)
				snprintf(ip, 64, "%s", d->ip);
			if (port)
				*port = d->port;
		} else if (!span) {
			break;
		}
		first = false;
		if (n > max - got)
			n = max - got;
		memcpy(out + got, d->data + d->off, n);
		got += n;
		d->off += n;
		s->rx_buffered -= n;
		s->have_read += n;
		if (d->off == d->len) {
			s->dq = d->next;
			if (!s->dq)
				s->dq_tail = NULL;
			s->nnodes--;
			free(d);
		} else {
			*node_left = d->len - d->off;
			break;
		}
		if (!span)
			break;
	}
	if (!s->dq) {
		s->urc_armed = true;
		s->full_reported = false;	/* "buff full" again only after a drain */
	}
	return got;
}

/* ---------------- send side ---------------- */

static void flush_tx(struct sock *s)
{
	ssize_t r;

	while (s->fd >= 0 && buf_avail(&s->tx)) {
		r = send(s->fd, buf_data(&s->tx), buf_avail(&s->tx), MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (s->used && s->id >= 0 && s >= socks && s < socks + MAX_SOCK)
				handle_eof(s);
			else
				buf_reset(&s->tx);
			return;
		}
		buf_drop(&s->tx, r);
	}
}

size_t net_free_space(struct sock *s)
{
	if (!sock_is_tcp(s))
		return SEND_BUF_SIZE;
	return buf_avail(&s->tx) >= SEND_BUF_SIZE ? 0 :
		SEND_BUF_SIZE - buf_avail(&s->tx);
}

uint64_t net_unacked(struct sock *s)
{
	int q = 0;

	if (!sock_is_tcp(s))
		return 0;
	if (s->fd >= 0 && ioctl(s->fd, SIOCOUTQ, &q) < 0)
		q = 0;
	return buf_avail(&s->tx) + (q > 0 ? q : 0);
}

/* 0 sent (accepted), 1 buffer full (SEND FAIL), -1 error */
int net_send(struct sock *s, const uint8_t *p, size_t n, const char *ip,
	     int port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	ssize_t r;

	if (M.sendfail > 0) {
		M.sendfail--;
		trace_note("sendfail injected (%d left)", M.sendfail);
		return 1;
	}
	if (s->fd < 0)
		return -1;
	if (sock_is_tcp(s)) {
		if (n > net_free_space(s))
			return 1;
		buf_put(&s->tx, p, n);
		s->total_sent += n;
		flush_tx(s);
		return 0;
	}
	if (ip) {
		if (make_addr(ip, port, &ss, &sl) < 0)
			return -1;
		r = sendto(s->fd, p, n, 0, (struct sockaddr *)&ss, sl);
	} else {
		r = send(s->fd, p, n, 0);
		if (r < 0 && errno == ECONNREFUSED)
			r = send(s->fd, p, n, 0);	/* stale ICMP error */
	}
	if (r < 0)
		return (errno == EAGAIN || errno == ENOBUFS) ? 1 : -1;
	s->total_sent += n;
	return 0;
}

void net_trans_write(struct sock *s, const uint8_t *p, size_t n)
{
	if (s->fd < 0)
		return;
	if (sock_is_tcp(s)) {
		buf_put(&s->tx, p, n);
		s->total_sent += n;
		flush_tx(s);
	} else {
		if (send(s->fd, p, n, 0) >= 0)
			s->total_sent += n;
	}
}

/* ---------------- listener ---------------- */

static void do_accept(struct sock *l)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, i, cnt = 0, id = -1;
	struct sock *s;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!M.cfg.tcp_accept) {
		trace_note("tcp/accept=0: incoming connection refused");
		close(fd);
		return;
	}
	for (i = 0; i < mdl->max_sock; i++) {
		if (socks[i].used && socks[i].svc == SVC_TCP_INCOMING &&
		    socks[i].server_id == l->id)
			cnt++;
		if (!socks[i].used && id < 0)
			id = i;
	}
	if (id < 0 || cnt >= l->maxclients) {
		close(fd);
		urc("+QIURC: \"incoming full\"");
		return;
	}
	s = sock_alloc(id);
	s->svc = SVC_TCP_INCOMING;
	s->st = SS_CONNECTED;
	s->ctx = l->ctx;
	s->fd = fd;
	s->server_id = l->id;
	s->access = l->access == 1 ? 1 : 0;
	s->lport = l->lport;
	addr_str(&ss, s->ip, sizeof(s->ip), &s->rport);
	memcpy(s->host, s->ip, sizeof(s->ip));
	apply_keepalive(fd);
	small_sndbuf(fd);
	urc("+QIURC: \"incoming\",%d,%d,\"%s\",%d", s->id, l->id, s->ip,
	    s->rport);
}

/* ---------------- poll ---------------- */

int net_pollfds(struct pollfd *pfd, int max, struct sock **owner)
{
	int i, n = 0;

	for (i = 0; i < MAX_SOCK + MAX_ORPHANS && n < max &&
	     n < (int)ARRAY_SIZE(pgen); i++) {
		struct sock *s = i < MAX_SOCK ? &socks[i] : &orph[i - MAX_SOCK];
		short ev = 0;

		if (!s->used || s->fd < 0)
			continue;
		if (i >= MAX_SOCK) {
			if (buf_avail(&s->tx))
				ev = POLLOUT;
		} else if (s->st == SS_OPENING) {
			if (sock_is_tcp(s))
				ev = POLLOUT;
		} else if (s->svc == SVC_TCP_LISTENER) {
			ev = POLLIN;
		} else {
			if (rx_room(s) || bc_udp_full(s) ||
			    (IS_BC && s->access == 0 && !s->full_reported))
				ev |= POLLIN;
			if (buf_avail(&s->tx))
				ev |= POLLOUT;
		}
		if (!ev)
			continue;
		pfd[n].fd = s->fd;
		pfd[n].events = ev;
		pfd[n].revents = 0;
		owner[n] = s;
		pgen[n] = s->gen;
		n++;
	}
	return n;
}

static void orphan_poll(struct sock *o, short rev)
{
	if (rev & (POLLERR | POLLHUP)) {
		buf_reset(&o->tx);
	} else if (rev & POLLOUT) {
		flush_tx(o);
	}
	if (!buf_avail(&o->tx)) {
		close_gently(o->fd);
		buf_free(&o->tx);
		o->used = false;
	}
}

void net_poll_done(struct pollfd *pfd, int n, struct sock **owner)
{
	int i, k;

	for (i = 0; i < n; i++) {
		struct sock *s = owner[i];
		short rev = pfd[i].revents;

		if (!rev || !s->used || s->gen != pgen[i] || s->fd != pfd[i].fd)
			continue;
		if (s >= orph && s < orph + MAX_ORPHANS) {
			orphan_poll(s, rev);
			continue;
		}
		if (s->st == SS_OPENING) {
			int err = 0;
			socklen_t el = sizeof(err);

			getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
			if (err) {
				net_open_result(s, 566);
			} else {
				net_open_result(s, 0);
			}
			continue;
		}
		if (s->svc == SVC_TCP_LISTENER) {
			if (rev & POLLIN)
				do_accept(s);
			continue;
		}
		if (rev & POLLOUT)
			flush_tx(s);
		if (s->fd >= 0 && (rev & (POLLIN | POLLHUP | POLLERR))) {
			/* a few reads per wake-up keeps sockets fair */
			for (k = 0; k < 4 && s->fd >= 0 && read_once(s); k++)
				;
		}
	}
}
