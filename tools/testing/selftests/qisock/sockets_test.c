// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end socket tests for qisock (issue 3), run inside QEMU.
 *
 * The guest's ttyS1 is the simulated module (qisock-sim; EC200U/EG915U with
 * --pdp-active), its ttyS2 the host peer (tools/testing/peer.py): on request
 * it starts TCP/UDP servers on the host's 127.0.0.1, connects to the guest's
 * listeners through the simulator, reports bytes and sha256 of what it
 * received, and relays "sim <command>" to the simulator's control socket
 * (fault injection, stats).
 *
 * Every test decides from the system alone: no qisock module or no host
 * peer (QISOCK_PEER unset) is a SKIP saying so; otherwise the dialect in
 * sysfs says what the module can do (the seeds: EC200U/EG915U 12 sockets
 * and servers, BC66/BC66-NA 5 sockets, clients only). A refusal the seed
 * prescribes is asserted as the result; a missing driver feature fails.
 *
 * Environment: QISOCK_TTY (/dev/ttyS1), QISOCK_PEER (the host peer's tty,
 * /dev/ttyS2 in the QEMU guest; unset: SKIP), QISOCK_LDISC (29),
 * QISOCK_TIMEOUT (20 s to wait for a state change).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/qisock.h>

#include "kselftest_harness.h"
#include "qisock_selftest.h"
#include "qisock_peer.h"

#define NSOCK		12		/* the most any model has: EC200U, 0-11 */
#define BC66_NSOCK	5		/* BC66/BC66-NA connectIDs 0-4 */

/* ---- small helpers ------------------------------------------------------ */

/* Reap @pid within @ms; false if it is still there (status in *st). */
static bool reap_within(pid_t pid, int ms, int *st)
{
	long end = now_ms() + ms;
	int dummy;

	do {
		pid_t r = waitpid(pid, st ? st : &dummy, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return true;
		sleep_ms(20);
	} while (now_ms() < end);
	return false;
}

/* ---- the driver --------------------------------------------------------- */

FIXTURE(sock) {
	const char *tty;
	int tty_fd;
	char dev[PATH_MAX];	/* /sys/class/qisock/qisockM */
	char node[64];		/* /dev/qisockM */
	char dialect[16];	/* its dialect: "ec200u" or "bc66" */
	bool bc66;
	int nsock;		/* connectIDs the model has */
	int fd[NSOCK + 4];
	char host[32];
	pid_t child;		/* a helper process of the test, killed at teardown */
};

static bool exists_within(const char *path, int ms)
{
	long end = now_ms() + ms;

	do {
		if (!access(path, F_OK))
			return true;
		sleep_ms(20);
	} while (now_ms() < end);
	return false;
}

FIXTURE_SETUP(sock)
{
	char path[96];
	const char *why;
	int i;

	for (i = 0; i < NSOCK + 4; i++)
		self->fd[i] = -1;
	self->tty_fd = -1;
	self->child = 0;
	self->nsock = 0;
	self->bc66 = false;
	snprintf(self->host, sizeof(self->host), "127.0.0.1");
	self->tty = env_or("QISOCK_TTY", "/dev/ttyS1");
	why = qs_attach_unsupported();
	if (why)
		SKIP(return, "%s", why);
	/*
	 * Every test starts from a freshly powered-on module: context 1 up
	 * again, no sockets, no fault left armed by an earlier test.
	 */
	qs_attach_fresh(_metadata, self->tty, &self->tty_fd, self->dev, sizeof(self->dev));
	snprintf(self->node, sizeof(self->node), "/dev/%s", strrchr(self->dev, '/') + 1);
	/* what the module can do, from the dialect the driver identified */
	ASSERT_LT(0, read_attr(self->dev, "dialect", self->dialect, sizeof(self->dialect)));
	if (!strcmp(self->dialect, "ec200u")) {
		self->nsock = NSOCK;
	} else if (!strcmp(self->dialect, "bc66")) {
		self->nsock = BC66_NSOCK;
		self->bc66 = true;
	}
	ASSERT_LT(0, self->nsock) TH_LOG("unknown dialect \"%s\"", self->dialect);
	/* one node per connectID; devtmpfs creates them asynchronously */
	for (i = 0; i < self->nsock; i++) {
		snprintf(path, sizeof(path), "%ss%d", self->node, i);
		ASSERT_TRUE(exists_within(path, 5000))
			TH_LOG("%s missing (%s has connectIDs 0-%d)", path,
			       self->dialect, self->nsock - 1);
	}
	snprintf(path, sizeof(path), "%ss%d", self->node, self->nsock);
	ASSERT_NE(0, access(path, F_OK))
		TH_LOG("%s exists: %s has connectIDs 0-%d only", path, self->dialect,
		       self->nsock - 1);
	if (!self->bc66)
		qs_ctx1_up(_metadata, self->dev);
}

FIXTURE_TEARDOWN(sock)
{
	int i;

	if (self->child > 0) {
		kill(self->child, SIGKILL);
		if (!reap_within(self->child, 30000, NULL))
			TH_LOG("helper process %d does not die of SIGKILL", (int)self->child);
		self->child = 0;
	}
	for (i = 0; i < NSOCK + 4; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	if (self->tty_fd >= 0) {
		close(self->tty_fd);
		if (!wait_no_dev(self->tty, cfg_timeout_ms())) {
			TH_LOG("qisock device for %s not removed at teardown", self->tty);
			_metadata->exit_code = KSFT_FAIL;
		}
	}
}

static void open_req(struct qisock_open *q, int service, const char *host,
		     int rport, int lport)
{
	memset(q, 0, sizeof(*q));
	q->service = service;
	q->access_mode = QISOCK_ACCESS_BUFFER;
	q->context_id = 1;
	q->connect_id = -1;
	q->remote_port = rport;
	q->local_port = lport;
	snprintf(q->host, sizeof(q->host), "%s", host);
}

/*
 * Open a service on connectID @id (-1: any, through the control node).
 * Returns the fd, or -1 with *err set (the fd is closed then). With
 * O_NONBLOCK an EINPROGRESS open returns the fd and *err = EINPROGRESS.
 * The tests name EC200U connectIDs; on a model with fewer, @id wraps
 * (BC66: 5 is 0, 6 is 1, ...).
 */
static int sk_open(FIXTURE_DATA(sock) *self, int id, int flags,
		   struct qisock_open *q, int *err)
{
	char path[96];
	int fd;

	if (id >= 0 && self->nsock)
		id %= self->nsock;
	if (id >= 0)
		snprintf(path, sizeof(path), "%ss%d", self->node, id);
	else
		snprintf(path, sizeof(path), "%s", self->node);
	*err = 0;
	fd = open(path, O_RDWR | O_CLOEXEC | flags);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (ioctl(fd, QISOCK_IOC_OPEN, q) < 0) {
		*err = errno;
		if (*err == EINPROGRESS)
			return fd;
		close(fd);
		return -1;
	}
	return fd;
}

static int sk_info(int fd, struct qisock_info *in)
{
	memset(in, 0, sizeof(*in));
	return ioctl(fd, QISOCK_IOC_INFO, in);
}

/* ---- the tests ---------------------------------------------------------- */

/* The host peer and the simulator's control channel answer (no driver). */
TEST(peer_channel)
{
	char r[256];
	unsigned long long tx, rx;
	int ret = qs_peer_open();

	if (ret)
		SKIP(return, "%s", qs_no_peer_why(ret));
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "ping")) TH_LOG("peer: %s", r);
	ASSERT_EQ(0, sim_stats(&tx, &rx));
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim model")) TH_LOG("sim: %s", r);
	TH_LOG("simulator %s, serial tx=%llu rx=%llu", r, tx, rx);
}

/* 1 MiB each way through one TCP socket, sha256 equal on both ends. */
TEST_F_TIMEOUT(sock, tcp_1mib_each_way, 600)
{
	unsigned long long tx0, rx0, tx1, rx1;
	struct qisock_open q;
	struct qisock_info in;
	char sha[65], r[512];
	struct xfer x;
	int port, err, fd;
	long t0, ms;

	ASSERT_EQ(0, peer_serve(&port, sha, "tcp send=%d expect=%d timeout=120", MIB, MIB));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[0] = sk_open(self, 0, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open TCP 127.0.0.1:%d: %s", port, strerror(err));
	ASSERT_EQ(0, q.connect_id);
	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	xfer_init(&x, fd, MIB, MIB, 0x1234);
	t0 = now_ms();
	xfer_start(&x);
	ASSERT_TRUE(xfer_join(&x, 500000)) TH_LOG("transfer hangs: sent %zu rcvd %zu",
						   x.sent, x.rcvd);
	ms = now_ms() - t0;
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(0, x.werr) TH_LOG("write: %s", strerror(x.werr));
	EXPECT_EQ(0, x.rerr) TH_LOG("read: %s", strerror(x.rerr));
	EXPECT_EQ(MIB, x.sent);
	EXPECT_EQ(MIB, x.rcvd);
	EXPECT_STREQ(sha, x.rx_sha) TH_LOG("guest received other bytes than the peer sent");
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(MIB, in.rx_bytes);
	EXPECT_EQ(MIB, in.tx_bytes);
	EXPECT_EQ(0, in.rx_dropped);
	close(fd);
	self->fd[0] = -1;
	ASSERT_EQ(0, peer_result(pkey(port), r, sizeof(r), 60)) TH_LOG("peer: %s", r);
	EXPECT_STREQ("1", kv(r, "done"));
	EXPECT_EQ(MIB, strtoul(kv(r, "rx"), NULL, 10));
	EXPECT_STREQ(x.tx_sha, kv(r, "sha")) TH_LOG("peer received other bytes than the guest sent");
	printf("# bench: tcp 1 MiB each way in %ld.%03ld s (%.1f KiB/s each way); "
	       "serial bytes host->module %llu (%.3f x payload), module->host %llu (%.3f x payload)\n",
	       ms / 1000, ms % 1000, ms ? 1024.0 * 1000 / ms : 0.0,
	       rx1 - rx0, (double)(rx1 - rx0) / MIB, tx1 - tx0, (double)(tx1 - tx0) / MIB);
	fflush(stdout);
}

/*
 * Every connectID of the model at once (twelve on EC200U, five on BC66),
 * each 32 KiB both ways, all checksummed.
 */
TEST_F_TIMEOUT(sock, twelve_sockets, 600)
{
	static struct xfer x[NSOCK];
	char sha[NSOCK][65], r[512];
	struct qisock_open q;
	int port[NSOCK], i, err;
	const size_t n = 32 * 1024;

	for (i = 0; i < self->nsock; i++) {
		ASSERT_EQ(0, peer_serve(&port[i], sha[i], "tcp send=%zu expect=%zu seed=%d timeout=120",
					n, n, 100 + i));
		open_req(&q, QISOCK_TCP, self->host, port[i], 0);
		self->fd[i] = sk_open(self, i, 0, &q, &err);
		ASSERT_LE(0, self->fd[i]) TH_LOG("connectID %d: %s", i, strerror(err));
		ASSERT_EQ(i, q.connect_id);
	}
	for (i = 0; i < self->nsock; i++) {
		xfer_init(&x[i], self->fd[i], n, n, 7 + i);
		xfer_start(&x[i]);
	}
	for (i = 0; i < self->nsock; i++) {
		ASSERT_TRUE(xfer_join(&x[i], 400000)) TH_LOG("connectID %d hangs: sent %zu rcvd %zu",
							     i, x[i].sent, x[i].rcvd);
	}
	for (i = 0; i < self->nsock; i++) {
		EXPECT_EQ(0, x[i].werr) TH_LOG("%d: write: %s", i, strerror(x[i].werr));
		EXPECT_EQ(0, x[i].rerr) TH_LOG("%d: read: %s", i, strerror(x[i].rerr));
		EXPECT_EQ(n, x[i].rcvd) TH_LOG("connectID %d", i);
		EXPECT_STREQ(sha[i], x[i].rx_sha) TH_LOG("connectID %d: wrong bytes received", i);
		close(self->fd[i]);
		self->fd[i] = -1;
	}
	for (i = 0; i < self->nsock; i++) {
		ASSERT_EQ(0, peer_result(pkey(port[i]), r, sizeof(r), 30)) TH_LOG("peer: %s", r);
		EXPECT_EQ(n, strtoul(kv(r, "rx"), NULL, 10)) TH_LOG("connectID %d: %s", i, r);
		EXPECT_STREQ(x[i].tx_sha, kv(r, "sha")) TH_LOG("connectID %d: peer got other bytes", i);
	}
}

/* A reader sleeping between small reads still gets every byte (backpressure). */
TEST_F_TIMEOUT(sock, slow_reader_zero_loss, 300)
{
	unsigned long long tx0, rx0, tx1, rx1;
	struct qisock_open q;
	struct qisock_info in;
	char sha[65];
	struct xfer x;
	int port, err;
	const size_t n = 256 * 1024;

	ASSERT_EQ(0, peer_serve(&port, sha, "tcp send=%zu timeout=120", n));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	self->fd[0] = sk_open(self, 1, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open: %s", strerror(err));
	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	xfer_init(&x, self->fd[0], 0, n, 0);
	x.rchunk = 2048;
	x.read_delay_ms = 20;
	xfer_start(&x);
	ASSERT_TRUE(xfer_join(&x, 250000)) TH_LOG("hangs after %zu bytes", x.rcvd);
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(0, x.rerr) TH_LOG("read: %s", strerror(x.rerr));
	EXPECT_EQ(n, x.rcvd);
	EXPECT_STREQ(sha, x.rx_sha);
	ASSERT_EQ(0, sk_info(self->fd[0], &in));
	EXPECT_EQ(0, in.rx_dropped);
	EXPECT_EQ(n, in.rx_bytes);
	/* buffer mode: what crossed the serial line is the payload plus framing, once */
	EXPECT_GE(tx1 - tx0, n);
	TH_LOG("slow reader: %zu bytes, module->host %llu serial bytes, dropped %llu",
	       x.rcvd, tx1 - tx0, (unsigned long long)in.rx_dropped);
}

/* UDP keeps datagram boundaries both ways. */
TEST_F_TIMEOUT(sock, udp_datagram_boundaries, 120)
{
	static const int sizes[] = { 1, 17, 512, 1000, 1460, 3, 1200 };
	uint8_t out[1500], in[2048];
	struct qisock_open q;
	char r[512], want[256] = "";
	int port, err, i, avail;
	uint32_t st = 99;

	ASSERT_EQ(0, peer_serve(&port, NULL, "udp"));
	open_req(&q, QISOCK_UDP, self->host, port, 0);
	self->fd[0] = sk_open(self, 2, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open UDP: %s", strerror(err));
	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++) {
		struct pollfd p = { .fd = self->fd[0], .events = POLLIN };
		ssize_t n;

		fill_pattern(&st, out, sizes[i]);
		n = write(self->fd[0], out, sizes[i]);
		ASSERT_EQ(sizes[i], n) TH_LOG("write %d: %s", sizes[i], strerror(errno));
		ASSERT_EQ(1, poll(&p, 1, 20000)) TH_LOG("no echo of datagram %d", i);
		avail = -1;
		ASSERT_EQ(0, ioctl(self->fd[0], FIONREAD, &avail))
			TH_LOG("FIONREAD: %s", strerror(errno));
		EXPECT_EQ(sizes[i], avail) TH_LOG("FIONREAD for a UDP datagram");
		n = read(self->fd[0], in, sizeof(in));
		ASSERT_EQ(sizes[i], n) TH_LOG("datagram %d: read %zd: %s", i, n, strerror(errno));
		EXPECT_EQ(0, memcmp(out, in, sizes[i]));
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%d",
			 i ? "," : "", sizes[i]);
	}
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "result %d timeout=0", port));
	EXPECT_STREQ(want, kv(r, "dgrams")) TH_LOG("the peer saw other datagrams: %s", r);
}

/*
 * BC66/BC66-NA have no TCP LISTENER or UDP SERVICE (seed 001): opening one
 * is EOPNOTSUPP, decided by the driver without a byte to the module.
 */
static void expect_no_server(struct __test_metadata *_metadata,
			     FIXTURE_DATA(sock) *self, struct qisock_open *q)
{
	unsigned long long tx0, rx0, tx1, rx1;
	int err;

	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	self->fd[0] = sk_open(self, 0, 0, q, &err);
	EXPECT_EQ(-1, self->fd[0]) TH_LOG("%s opened a server socket", self->dialect);
	EXPECT_EQ(EOPNOTSUPP, err) TH_LOG("%s server socket: %s", self->dialect,
					  strerror(err));
	/* what reached the simulator while the AT engine could still send */
	sleep_ms(500);
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
}

/* UDP SERVICE: every datagram carries its peer; replies go to that peer. */
TEST_F_TIMEOUT(sock, udp_service_peer_address, 120)
{
	uint8_t buf[sizeof(struct qisock_dgram) + 1500];
	struct qisock_dgram *h = (void *)buf;
	struct pollfd pl;
	struct qisock_open q;
	char r[512], key[32];
	int lport, pport, err, i;
	static const int sizes[] = { 10, 200, 1400 };

	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "freeport udp"));
	lport = atoi(r + 3);
	open_req(&q, QISOCK_UDP_SERVICE, self->host, 0, lport);
	if (self->bc66) {
		expect_no_server(_metadata, self, &q);
		return;
	}
	self->fd[0] = sk_open(self, 3, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open UDP SERVICE :%d: %s", lport, strerror(err));
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "udp-send %d sizes=10,200,1400 expect=3", lport));
	ASSERT_EQ(2, sscanf(r, "ok %31s %d", key, &pport));
	for (i = 0; i < 3; i++) {
		struct pollfd p = { .fd = self->fd[0], .events = POLLIN };
		ssize_t n;

		ASSERT_EQ(1, poll(&p, 1, 20000)) TH_LOG("datagram %d did not arrive", i);
		n = read(self->fd[0], buf, sizeof(buf));
		ASSERT_EQ((ssize_t)(sizeof(*h) + sizes[i]), n) TH_LOG("read: %s", strerror(errno));
		EXPECT_EQ(sizes[i], h->len);
		EXPECT_EQ(pport, h->port);
		EXPECT_STREQ("127.0.0.1", h->addr);
		/* echo it back to where it came from */
		ASSERT_EQ(n, write(self->fd[0], buf, n)) TH_LOG("write: %s", strerror(errno));
	}
	/* a read buffer too small for header + payload: EMSGSIZE, nothing consumed */
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "udp-send %d sizes=100 expect=0", lport));
	pl = (struct pollfd){ .fd = self->fd[0], .events = POLLIN };
	ASSERT_EQ(1, poll(&pl, 1, 20000));
	EXPECT_EQ(-1, read(self->fd[0], buf, sizeof(*h) + 10));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ((ssize_t)(sizeof(*h) + 100), read(self->fd[0], buf, sizeof(buf)));
	ASSERT_EQ(0, peer_result(key, r, sizeof(r), 15));
	EXPECT_STREQ("10,200,1400", kv(r, "dgrams")) TH_LOG("peer: %s", r);
}

/* A TCP LISTENER accepts a real connection from the host. */
TEST_F_TIMEOUT(sock, listener_accepts_host_connection, 180)
{
	struct pollfd p;
	struct qisock_open q;
	struct qisock_accept acc;
	struct qisock_info in;
	char r[512], key[32], sha[65];
	struct xfer x;
	int lport, err, cfd;

	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "freeport tcp"));
	lport = atoi(r + 3);
	open_req(&q, QISOCK_TCP_LISTENER, self->host, 0, lport);
	if (self->bc66) {
		expect_no_server(_metadata, self, &q);
		return;
	}
	self->fd[0] = sk_open(self, 4, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open LISTENER :%d: %s", lport, strerror(err));
	/* nothing pending yet: O_NONBLOCK accept says EAGAIN */
	fcntl(self->fd[0], F_SETFL, fcntl(self->fd[0], F_GETFL) | O_NONBLOCK);
	memset(&acc, 0, sizeof(acc));
	cfd = ioctl(self->fd[0], QISOCK_IOC_ACCEPT, &acc);
	err = errno;
	if (cfd >= 0)
		close(cfd);
	EXPECT_EQ(-1, cfd);
	EXPECT_EQ(EAGAIN, err) TH_LOG("accept with nothing pending: %s", strerror(err));
	fcntl(self->fd[0], F_SETFL, fcntl(self->fd[0], F_GETFL) & ~O_NONBLOCK);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "connect tcp %d send=8192 expect=8192", lport));
	ASSERT_EQ(2, sscanf(r, "ok %31s %64s", key, sha));
	p = (struct pollfd){ .fd = self->fd[0], .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 30000)) TH_LOG("no incoming connection in 30 s");
	memset(&acc, 0, sizeof(acc));
	cfd = self->fd[1] = ioctl(self->fd[0], QISOCK_IOC_ACCEPT, &acc);
	ASSERT_LE(0, cfd) TH_LOG("accept: %s", strerror(errno));
	EXPECT_STREQ("127.0.0.1", acc.addr);
	EXPECT_NE(0, acc.port);
	EXPECT_NE(4, acc.connect_id);
	ASSERT_EQ(0, sk_info(cfd, &in));
	EXPECT_EQ(QISOCK_TCP_INCOMING, in.service);
	EXPECT_EQ(acc.connect_id, in.connect_id);
	EXPECT_EQ(-1, lseek(cfd, 0, SEEK_CUR)) TH_LOG("an accepted file is a stream");
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pread(cfd, r, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	xfer_init(&x, cfd, 8192, 8192, 4242);
	xfer_start(&x);
	ASSERT_TRUE(xfer_join(&x, 120000));
	EXPECT_EQ(0, x.rerr);
	EXPECT_EQ(0, x.werr);
	EXPECT_STREQ(sha, x.rx_sha);
	close(cfd);
	self->fd[1] = -1;
	ASSERT_EQ(0, peer_result(key, r, sizeof(r), 30));
	EXPECT_EQ(8192, strtoul(kv(r, "rx"), NULL, 10)) TH_LOG("peer: %s", r);
	EXPECT_STREQ(x.tx_sha, kv(r, "sha"));
}

/* The peer closes mid-stream: every byte it sent, then EOF. */
TEST_F_TIMEOUT(sock, remote_close_all_data_then_eof, 180)
{
	struct qisock_open q;
	struct qisock_info in;
	char sha[65];
	struct xfer x;
	int port, err;
	const size_t n = 96 * 1024;

	ASSERT_EQ(0, peer_serve(&port, sha, "tcp send=%zu close=1", n));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	self->fd[0] = sk_open(self, 5, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open: %s", strerror(err));
	sleep_ms(1500);		/* the close happens while data is still buffered */
	xfer_init(&x, self->fd[0], 0, 0, 0);
	xfer_start(&x);
	ASSERT_TRUE(xfer_join(&x, 150000)) TH_LOG("no EOF after %zu bytes", x.rcvd);
	EXPECT_EQ(0, x.rerr) TH_LOG("read: %s", strerror(x.rerr));
	EXPECT_TRUE(x.eof);
	EXPECT_EQ(n, x.rcvd);
	EXPECT_STREQ(sha, x.rx_sha);
	ASSERT_EQ(0, sk_info(self->fd[0], &in));
	EXPECT_EQ(QISOCK_SS_CLOSED, in.state);
	EXPECT_EQ(0, read(self->fd[0], sha, 1)) TH_LOG("EOF must stay EOF");
}

/* O_NONBLOCK connect: EINPROGRESS, then POLLOUT; a refused one reports its error. */
TEST_F_TIMEOUT(sock, nonblock_connect, 120)
{
	struct qisock_open q;
	struct qisock_info in;
	struct pollfd p;
	char r[256], c;
	int port, err, fd;

	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[0] = sk_open(self, 6, O_NONBLOCK, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(err));
	ASSERT_EQ(EINPROGRESS, err) TH_LOG("an O_NONBLOCK open must return EINPROGRESS");
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 30000)) TH_LOG("no POLLOUT after the connect");
	ASSERT_TRUE(p.revents & POLLOUT);
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(QISOCK_SS_CONNECTED, in.state);
	EXPECT_EQ(0, in.error);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno) TH_LOG("nothing to read on O_NONBLOCK");

	/* a port nobody listens on: POLLOUT, then INFO.error */
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "freeport tcp"));
	open_req(&q, QISOCK_TCP, self->host, atoi(r + 3), 0);
	fd = self->fd[1] = sk_open(self, 7, O_NONBLOCK, &q, &err);
	if (fd < 0) {
		EXPECT_EQ(ECONNREFUSED, err) TH_LOG("refused open: %s", strerror(err));
		return;
	}
	ASSERT_EQ(EINPROGRESS, err);
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 30000));
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(QISOCK_SS_FAILED, in.state);
	EXPECT_EQ(ECONNREFUSED, in.error) TH_LOG("error %u (%s), module %u", in.error,
						  strerror(in.error), in.module_error);
}

/* FIONREAD: bytes readable now; TIOCOUTQ: bytes not yet acknowledged. */
/*
 * A server socket opened O_NONBLOCK: EINPROGRESS, then POLLOUT once the
 * module reports the open, as for a client; the file is then CONNECTED
 * (listening or bound). A listener takes no data: write() fails at once.
 */
TEST_F_TIMEOUT(sock, nonblock_open_server, 120)
{
	static const int services[] = { QISOCK_TCP_LISTENER, QISOCK_UDP_SERVICE };
	struct qisock_open q;
	struct qisock_info in;
	struct pollfd p;
	char r[256];
	int i, fd, err;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "freeport %s",
				      i ? "udp" : "tcp"));
		open_req(&q, services[i], "127.0.0.1", 0, atoi(r + 3));
		if (self->bc66) {
			expect_no_server(_metadata, self, &q);
			return;
		}
		fd = self->fd[i] = sk_open(self, 8 + i, O_NONBLOCK, &q, &err);
		ASSERT_LE(0, fd) TH_LOG("open service %d: %s", services[i], strerror(err));
		ASSERT_EQ(EINPROGRESS, err);
		p = (struct pollfd){ .fd = fd, .events = POLLOUT };
		ASSERT_EQ(1, poll(&p, 1, 30000))
			TH_LOG("service %d: no POLLOUT after the open", services[i]);
		ASSERT_EQ(0, sk_info(fd, &in));
		EXPECT_EQ(QISOCK_SS_CONNECTED, in.state) TH_LOG("service %d", services[i]);
		EXPECT_EQ(0, in.error);
	}
	EXPECT_EQ(-1, write(self->fd[0], "x", 1));
	EXPECT_EQ(EOPNOTSUPP, errno) TH_LOG("write on a listener: %s", strerror(errno));
}

TEST_F_TIMEOUT(sock, fionread_tiocoutq, 120)
{
	uint8_t buf[8192];
	struct qisock_open q;
	struct pollfd p;
	char sha[65];
	int port, err, fd, avail = -1, outq = -1;
	long end;
	ssize_t n;

	ASSERT_EQ(0, peer_serve(&port, sha, "tcp send=1000 expect=4000"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[0] = sk_open(self, 8, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(err));
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 20000));
	ASSERT_EQ(0, ioctl(fd, FIONREAD, &avail)) TH_LOG("FIONREAD: %s", strerror(errno));
	ASSERT_LT(0, avail) TH_LOG("POLLIN but FIONREAD %d", avail);
	ASSERT_GE(1000, avail);
	n = read(fd, buf, sizeof(buf));
	EXPECT_LE(avail, n) TH_LOG("FIONREAD said %d, read gave %zd", avail, n);
	memset(buf, 'x', 4000);
	n = write(fd, buf, 4000);
	ASSERT_EQ(4000, n) TH_LOG("write: %s", n < 0 ? strerror(errno) : "short");
	ASSERT_EQ(0, ioctl(fd, TIOCOUTQ, &outq)) TH_LOG("TIOCOUTQ: %s", strerror(errno));
	EXPECT_LE(0, outq);
	EXPECT_GE(4000, outq);
	end = now_ms() + 10000;
	while (outq > 0 && now_ms() < end) {
		sleep_ms(100);
		ASSERT_EQ(0, ioctl(fd, TIOCOUTQ, &outq));
	}
	EXPECT_EQ(0, outq) TH_LOG("TIOCOUTQ still %d after the peer read everything", outq);
}

/*
 * O_NONBLOCK write never waits for the modem: each call hands over at most
 * one AT+QISEND (1460 bytes) or says EAGAIN, poll(POLLOUT) says when to go
 * on, and the peer gets every byte in order. A non-blocking TIOCOUTQ
 * answers at once and reaches 0 once the peer has read everything.
 */
TEST_F_TIMEOUT(sock, nonblock_write_stream, 300)
{
	const size_t total = 64 * 1024;
	size_t sent = 0, most = 0;
	struct qisock_open q;
	struct qisock_info in;
	struct pollfd p;
	struct sha256 sh;
	char sha[65], tx_sha[65], r[512];
	int port, err, fd, outq = -1, eagain = 0;
	uint32_t st = 0x5eed;
	uint8_t *buf;
	long end;

	ASSERT_EQ(0, peer_serve(&port, sha, "tcp expect=%zu timeout=120", total));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[0] = sk_open(self, 9, O_NONBLOCK, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(err));
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 30000)) TH_LOG("no POLLOUT after the connect");
	buf = malloc(total);
	ASSERT_NE(NULL, buf);
	fill_pattern(&st, buf, total);
	sha_init(&sh);
	sha_update(&sh, buf, total);
	sha_hex(&sh, tx_sha);
	while (sent < total) {
		ssize_t n = write(fd, buf + sent, total - sent);

		if (n < 0 && errno == EAGAIN) {
			eagain++;
			p = (struct pollfd){ .fd = fd, .events = POLLOUT };
			ASSERT_EQ(1, poll(&p, 1, 30000)) TH_LOG("no POLLOUT at %zu", sent);
			ASSERT_FALSE(p.revents & POLLERR) TH_LOG("POLLERR at %zu", sent);
			continue;
		}
		ASSERT_LT(0, n) TH_LOG("write at %zu: %s", sent, strerror(errno));
		if ((size_t)n > most)
			most = n;
		sent += n;
	}
	free(buf);
	EXPECT_GE(1460, most) TH_LOG("a non-blocking write took %zu bytes: it waited", most);
	EXPECT_LT(0, eagain) TH_LOG("never EAGAIN: every write waited for SEND OK");
	ASSERT_EQ(0, ioctl(fd, TIOCOUTQ, &outq)) TH_LOG("TIOCOUTQ: %s", strerror(errno));
	EXPECT_LE(0, outq);
	end = now_ms() + 20000;
	while (outq > 0 && now_ms() < end) {
		sleep_ms(100);
		ASSERT_EQ(0, ioctl(fd, TIOCOUTQ, &outq));
	}
	EXPECT_EQ(0, outq) TH_LOG("non-blocking TIOCOUTQ still %d", outq);
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(total, in.tx_bytes);
	ASSERT_EQ(0, peer_result(pkey(port), r, sizeof(r), 60)) TH_LOG("peer: %s", r);
	EXPECT_EQ(total, strtoul(kv(r, "rx"), NULL, 10));
	EXPECT_STREQ(tx_sha, kv(r, "sha")) TH_LOG("peer received other bytes than the guest sent");
	TH_LOG("64 KiB in non-blocking writes: %d EAGAIN", eagain);
}

/* Read exactly @n bytes within @ms; the count read. */
static size_t read_within(int fd, char *buf, size_t n, int ms)
{
	long end = now_ms() + ms;
	size_t got = 0;

	while (got < n && now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t k;

		if (poll(&p, 1, 1000) != 1)
			continue;
		k = read(fd, buf + got, n - got);
		if (k <= 0 && !(k < 0 && (errno == EINTR || errno == EAGAIN)))
			break;
		if (k > 0)
			got += k;
	}
	return got;
}

/*
 * QISOCK_IOC_SET_MODE (AT+QISWTMD) takes the mode by value: buffer access
 * to direct push and back, data flowing in each; transparent mode is
 * EOPNOTSUPP and an unknown one EINVAL, the mode unchanged.
 */
TEST_F_TIMEOUT(sock, set_mode_by_value, 120)
{
	struct qisock_open q;
	struct qisock_info in;
	char buf[64];
	int port, err, fd;

	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[0] = sk_open(self, 10, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(err));
	ASSERT_EQ(0, ioctl(fd, QISOCK_IOC_SET_MODE, QISOCK_ACCESS_DIRECT_PUSH))
		TH_LOG("SET_MODE direct push: %s", strerror(errno));
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(QISOCK_ACCESS_DIRECT_PUSH, in.access_mode);
	if (write(fd, "push\n", 5) != 5) {
		err = errno;
		ASSERT_EQ(0, err) TH_LOG("write: %s", strerror(err));
	}
	EXPECT_EQ(5, read_within(fd, buf, 5, 20000));
	EXPECT_EQ(0, memcmp(buf, "push\n", 5));
	EXPECT_EQ(-1, ioctl(fd, QISOCK_IOC_SET_MODE, QISOCK_ACCESS_TRANSPARENT));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, ioctl(fd, QISOCK_IOC_SET_MODE, 7));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(QISOCK_ACCESS_DIRECT_PUSH, in.access_mode);
	ASSERT_EQ(0, ioctl(fd, QISOCK_IOC_SET_MODE, QISOCK_ACCESS_BUFFER));
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(QISOCK_ACCESS_BUFFER, in.access_mode);
	ASSERT_EQ(7, write(fd, "buffer\n", 7));
	EXPECT_EQ(7, read_within(fd, buf, 7, 20000));
	EXPECT_EQ(0, memcmp(buf, "buffer\n", 7));
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_CUR)) TH_LOG("a socket is a stream");
	EXPECT_EQ(ESPIPE, errno);
}

/*
 * UDP in direct push mode. The EC200U pushes each datagram whole. The BC66
 * discards a pushed datagram over 1400 bytes without a word (seed 001
 * 2.4), so the driver refuses the mode for UDP there: the open and
 * SET_MODE are EOPNOTSUPP, nothing reaches the module, and a buffer-mode
 * UDP socket keeps its mode and still carries 1460-byte datagrams.
 */
TEST_F_TIMEOUT(sock, udp_direct_push, 120)
{
	unsigned long long tx0, rx0, tx1, rx1;
	uint8_t out[1460], in[1500];
	struct pollfd p = { .events = POLLIN };
	struct qisock_open q;
	struct qisock_info in_info;
	uint32_t st = 7;
	int port, err, fd;

	ASSERT_EQ(0, peer_serve(&port, NULL, "udp"));
	open_req(&q, QISOCK_UDP, self->host, port, 0);
	q.access_mode = QISOCK_ACCESS_DIRECT_PUSH;
	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	fd = self->fd[0] = sk_open(self, 1, 0, &q, &err);
	if (self->bc66) {
		EXPECT_EQ(-1, fd) TH_LOG("BC66 opened UDP in direct push mode");
		EXPECT_EQ(EOPNOTSUPP, err) TH_LOG("UDP direct push: %s", strerror(err));
		sleep_ms(500);
		ASSERT_EQ(0, sim_stats(&tx1, &rx1));
		EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
		q.access_mode = QISOCK_ACCESS_BUFFER;
		fd = self->fd[0] = sk_open(self, 1, 0, &q, &err);
		ASSERT_LE(0, fd) TH_LOG("open UDP: %s", strerror(err));
		ASSERT_EQ(0, sim_stats(&tx0, &rx0));
		EXPECT_EQ(-1, ioctl(fd, QISOCK_IOC_SET_MODE, QISOCK_ACCESS_DIRECT_PUSH));
		EXPECT_EQ(EOPNOTSUPP, errno);
		sleep_ms(500);
		ASSERT_EQ(0, sim_stats(&tx1, &rx1));
		EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
	}
	ASSERT_LE(0, fd) TH_LOG("open UDP direct push: %s", strerror(err));
	ASSERT_EQ(0, sk_info(fd, &in_info));
	EXPECT_EQ(self->bc66 ? QISOCK_ACCESS_BUFFER : QISOCK_ACCESS_DIRECT_PUSH,
		  in_info.access_mode);
	fill_pattern(&st, out, sizeof(out));
	p.fd = fd;
	ASSERT_EQ((ssize_t)sizeof(out), write(fd, out, sizeof(out)))
		TH_LOG("write: %s", strerror(errno));
	ASSERT_EQ(1, poll(&p, 1, 20000)) TH_LOG("no echo of the datagram");
	ASSERT_EQ((ssize_t)sizeof(out), read(fd, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
}

/*
 * QISOCK_IOC_SOCK_INFO on another control node file (read-only) reports a
 * socket that a file owns exactly as INFO does on the owner, and claims
 * nothing: the node stays EBUSY and the owner's data flows. A connectID
 * the model lacks is EINVAL, a socket file ENOTTY.
 */
TEST_F_TIMEOUT(sock, sock_info_claims_nothing, 120)
{
	struct qisock_info own, seen;
	struct qisock_open q;
	char path[96], buf[8];
	int port, err, fd, ctl;

	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[0] = sk_open(self, 9, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(err));
	ctl = self->fd[1] = open(self->node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ctl) TH_LOG("%s: %s", self->node, strerror(errno));
	ASSERT_EQ(0, sk_info(fd, &own));
	memset(&seen, 0xa5, sizeof(seen));
	seen.connect_id = own.connect_id;
	ASSERT_EQ(0, ioctl(ctl, QISOCK_IOC_SOCK_INFO, &seen))
		TH_LOG("SOCK_INFO %d: %s", own.connect_id, strerror(errno));
	EXPECT_EQ(0, memcmp(&own, &seen, sizeof(own))) TH_LOG("not INFO's report");
	EXPECT_EQ(QISOCK_SS_CONNECTED, seen.state);
	snprintf(path, sizeof(path), "%ss%d", self->node, own.connect_id);
	EXPECT_EQ(-1, open(path, O_RDWR | O_CLOEXEC)) TH_LOG("%s opened", path);
	EXPECT_EQ(EBUSY, errno) TH_LOG("%s: %s", path, strerror(errno));
	if (write(fd, "still\n", 6) != 6) {
		err = errno;
		ASSERT_EQ(0, err) TH_LOG("owner's write: %s", strerror(err));
	}
	EXPECT_EQ(6, read_within(fd, buf, 6, 20000));
	EXPECT_EQ(0, memcmp(buf, "still\n", 6));
	seen.connect_id = self->nsock;
	EXPECT_EQ(-1, ioctl(ctl, QISOCK_IOC_SOCK_INFO, &seen));
	EXPECT_EQ(EINVAL, errno) TH_LOG("connectID %d: %s", self->nsock, strerror(errno));
	seen.connect_id = -1;
	EXPECT_EQ(-1, ioctl(ctl, QISOCK_IOC_SOCK_INFO, &seen));
	EXPECT_EQ(EINVAL, errno);
	seen.connect_id = 0;
	EXPECT_EQ(-1, ioctl(fd, QISOCK_IOC_SOCK_INFO, &seen)) TH_LOG("on a socket file");
	EXPECT_EQ(ENOTTY, errno);
}

/* The qisock trace so far (tracefs), in a malloc()ed string, or NULL. */
static char *trace_text(void)
{
	size_t size = 1 << 20, got = 0;
	char *buf = malloc(size);
	ssize_t n;
	int fd = open("/sys/kernel/tracing/trace", O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return buf;
}

/* Write @val to ctx<N>/@attr of the modem; 0 or the errno. */
static int ctx_write(FIXTURE_DATA(sock) *self, int n, const char *attr,
		     const char *val)
{
	char dir[PATH_MAX + 16];

	snprintf(dir, sizeof(dir), "%s/ctx%d", self->dev, n);
	return put_attr(dir, attr, val);
}

/* ctx<N>/@attr into @buf, newline cut; 0 or the errno. */
static int ctx_read(FIXTURE_DATA(sock) *self, int n, const char *attr,
		    char *buf, size_t len)
{
	char dir[PATH_MAX + 16];
	int r;

	snprintf(dir, sizeof(dir), "%s/ctx%d", self->dev, n);
	r = read_attr(dir, attr, buf, len);
	return r < 0 ? -r : 0;
}

/* Wait until ctx<N>/state reads @want; false after @ms. */
static bool ctx_wait_state(FIXTURE_DATA(sock) *self, int n, const char *want,
			   int ms)
{
	long end = now_ms() + ms;
	char st[32] = "";

	do {
		if (!ctx_read(self, n, "state", st, sizeof(st)) &&
		    !strcmp(st, want))
			return true;
		sleep_ms(50);
	} while (now_ms() < end);
	return false;
}

#include "sockets_ctx_bc66.h"

/*
 * A PDP context configured through sysfs: every field read back from the
 * module, the password never shown; what the simulator got is exactly
 * what was written.
 */
TEST_F_TIMEOUT(sock, ctx_configure_through_sysfs, 120)
{
	char r[512], v[256], pw[PATH_MAX + 32];
	bool tracing;
	int fd;

	if (self->bc66)
		return ctx_bc66_configure(_metadata, self);
	ASSERT_EQ(0, ctx_write(self, 2, "type", "ipv4v6\n"));
	ASSERT_EQ(0, ctx_write(self, 2, "apn", "internet.example\n"));
	ASSERT_EQ(0, ctx_write(self, 2, "username", "alice"));
	/* the password is never traced, the command is (up to its '=') */
	tracing = !put_attr("/sys/kernel/tracing", "trace", "") &&
		  !put_attr("/sys/kernel/tracing", "events/qisock/enable", "1");
	ASSERT_EQ(0, ctx_write(self, 2, "password", "p4ss, word"));
	ASSERT_EQ(0, ctx_write(self, 2, "auth", "chap"));
	if (tracing) {
		char *t = trace_text();

		put_attr("/sys/kernel/tracing", "events/qisock/enable", "0");
		ASSERT_NE(NULL, t);
		EXPECT_NE(NULL, strstr(t, "AT+QICSGP=")) TH_LOG("QICSGP not traced");
		EXPECT_EQ(NULL, strstr(t, "p4ss")) TH_LOG("the password is in the trace");
		free(t);
	}
	ASSERT_EQ(0, ctx_read(self, 2, "type", v, sizeof(v)));
	EXPECT_STREQ("ipv4v6", v);
	ASSERT_EQ(0, ctx_read(self, 2, "apn", v, sizeof(v)));
	EXPECT_STREQ("internet.example", v);
	ASSERT_EQ(0, ctx_read(self, 2, "username", v, sizeof(v)));
	EXPECT_STREQ("alice", v);
	ASSERT_EQ(0, ctx_read(self, 2, "auth", v, sizeof(v)));
	EXPECT_STREQ("chap", v);
	snprintf(pw, sizeof(pw), "%s/ctx2/password", self->dev);
	fd = open(pw, O_RDONLY);
	if (fd >= 0) {
		EXPECT_GE(0, read(fd, v, sizeof(v))) TH_LOG("the password reads back");
		close(fd);
	}
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim ctx 2"));
	EXPECT_STREQ("ok type=3 apn=internet.example user=alice pass=p4ss, word auth=2 active=0", r);
	ASSERT_EQ(0, ctx_read(self, 2, "state", v, sizeof(v)));
	EXPECT_STREQ("down", v);
}

/* Bad values: EINVAL, and not one byte reaches the module. */
TEST_F_TIMEOUT(sock, ctx_bad_input_nothing_sent, 120)
{
	static const struct { const char *attr, *val; } bad[] = {
		{ "apn", "in\"ternet" }, { "apn", "a\rAT+CFUN=0" },
		{ "apn", "inter\\net" }, { "username", "bob\nAT" },
		{ "username", "b\x01" }, { "password", "\xc3\xa9t\xc3\xa9" },
		{ "type", "ipv5" }, { "type", "1" }, { "auth", "pap-or-chap" },
		{ "auth", "\n" }, { "active", "maybe" },
	};
	unsigned long long tx0, rx0, tx1, rx1;
	char longv[130];
	size_t i;

	if (self->bc66)
		return ctx_bc66_bad_input(_metadata, self);
	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(EINVAL, ctx_write(self, 3, bad[i].attr, bad[i].val))
			TH_LOG("bad value #%zu", i);
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	EXPECT_EQ(EINVAL, ctx_write(self, 3, "username", longv)) TH_LOG("129 bytes");
	longv[101] = '\0';
	EXPECT_EQ(EINVAL, ctx_write(self, 3, "apn", longv)) TH_LOG("APN of 101 bytes");
	sleep_ms(300);
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
}

/*
 * Bring a context up through sysfs (pollers woken), open a socket on it,
 * take it down: the socket fails with ENETDOWN, the module's context is
 * down.
 */
TEST_F_TIMEOUT(sock, ctx_up_socket_down, 180)
{
	struct qisock_open q;
	struct qisock_info in;
	struct pollfd p;
	char path[PATH_MAX + 32], v[256], r[512];
	int port, err, fd, sfd;

	if (self->bc66)
		return ctx_bc66_gating(_metadata, self);
	ASSERT_EQ(0, ctx_write(self, 4, "apn", "internet"));
	snprintf(path, sizeof(path), "%s/ctx4/state", self->dev);
	sfd = open(path, O_RDONLY);
	ASSERT_LE(0, sfd);
	ASSERT_LT(0, read(sfd, v, sizeof(v)));
	ASSERT_EQ(0, ctx_write(self, 4, "active", "1"));
	p = (struct pollfd){ .fd = sfd, .events = POLLPRI | POLLERR };
	EXPECT_EQ(1, poll(&p, 1, 20000)) TH_LOG("state did not wake its poller");
	close(sfd);
	ASSERT_TRUE(ctx_wait_state(self, 4, "up", 20000));
	ASSERT_EQ(0, ctx_read(self, 4, "active", v, sizeof(v)));
	EXPECT_STREQ("1", v);
	ASSERT_EQ(0, ctx_read(self, 4, "address", v, sizeof(v)));
	EXPECT_NE(0, strlen(v)) TH_LOG("no address");
	ASSERT_EQ(0, ctx_read(self, 4, "last_error", v, sizeof(v)));
	EXPECT_STREQ("0", v);
	/* its DNS servers, set while it is up */
	ASSERT_EQ(0, ctx_write(self, 4, "dns", "192.0.2.53 2001:db8::53\n"));
	ASSERT_EQ(0, ctx_read(self, 4, "dns", v, sizeof(v)));
	EXPECT_STREQ("192.0.2.53 2001:db8::53", v);
	EXPECT_EQ(EINVAL, ctx_write(self, 4, "dns", "8.8.8.8,\"1\""));
	EXPECT_EQ(EINVAL, ctx_write(self, 4, "dns", "dns.example"));
	/* the module refuses to activate an active context (561) */
	EXPECT_NE(0, ctx_write(self, 4, "active", "1"));
	ASSERT_EQ(0, ctx_read(self, 4, "state", v, sizeof(v)));
	EXPECT_STREQ("up", v);

	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	q.context_id = 4;
	fd = self->fd[0] = sk_open(self, 2, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open on context 4: %s", strerror(err));
	ASSERT_EQ(0, ctx_write(self, 4, "active", "0"));
	ASSERT_TRUE(ctx_wait_state(self, 4, "down", 20000));
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 20000));
	ASSERT_EQ(0, sk_info(fd, &in));
	EXPECT_EQ(QISOCK_SS_FAILED, in.state);
	EXPECT_EQ(ENETDOWN, in.error) TH_LOG("error %u", in.error);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim ctx 4"));
	EXPECT_NE(NULL, strstr(r, "active=0")) TH_LOG("sim: %s", r);
}

/* A TCP echo round trip on a new socket on context @ctx; 0 or the errno. */
static int ctx_echo(FIXTURE_DATA(sock) *self, int slot, int ctx)
{
	struct qisock_open q;
	char buf[8];
	int port, err, fd;

	if (peer_serve(&port, NULL, "tcp echo=1"))
		return EIO;
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	q.context_id = ctx;
	fd = self->fd[slot] = sk_open(self, slot, 0, &q, &err);
	if (fd < 0)
		return err;
	if (write(fd, "ping\n", 5) != 5)
		return errno;
	if (read_within(fd, buf, 5, 20000) != 5 || memcmp(buf, "ping\n", 5))
		return EIO;
	return 0;
}

/*
 * autoconnect keeps a context up: it brings it up, brings it back after
 * "pdpdeact" and after a module reboot (which also loses the
 * configuration: the driver sends it again), and a socket on it works
 * each time; active=0 takes it down for good.
 */
TEST_F_TIMEOUT(sock, ctx_autoconnect_keeps_it_up, 300)
{
	char r[512], v[64];
	long n0;

	if (self->bc66)
		return ctx_bc66_keeps_up(_metadata, self);
	ASSERT_EQ(0, ctx_write(self, 5, "apn", "keep.example"));
	ASSERT_EQ(0, ctx_write(self, 5, "username", "u5"));
	ASSERT_EQ(0, ctx_write(self, 5, "autoconnect", "1"));
	ASSERT_TRUE(ctx_wait_state(self, 5, "up", 20000)) TH_LOG("autoconnect did not bring it up");
	ASSERT_EQ(0, ctx_echo(self, 0, 5));

	ASSERT_EQ(0, ctx_read(self, 5, "retries", v, sizeof(v)));
	n0 = atol(v);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim pdpdeact 5")) TH_LOG("sim: %s", r);
	ASSERT_TRUE(ctx_wait_state(self, 5, "down", 10000));
	ASSERT_TRUE(ctx_wait_state(self, 5, "up", 30000)) TH_LOG("not back after pdpdeact");
	ASSERT_EQ(0, ctx_read(self, 5, "retries", v, sizeof(v)));
	EXPECT_LT(n0, atol(v)) TH_LOG("retries did not count the reconnection");
	ASSERT_EQ(0, ctx_echo(self, 1, 5)) TH_LOG("socket after pdpdeact");

	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot")) TH_LOG("sim: %s", r);
	ASSERT_TRUE(ctx_wait_state(self, 5, "up", 60000)) TH_LOG("not back after a reboot");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim ctx 5"));
	EXPECT_NE(NULL, strstr(r, "apn=keep.example user=u5 ")) TH_LOG("configuration lost: %s", r);
	EXPECT_NE(NULL, strstr(r, "active=1")) TH_LOG("sim: %s", r);
	ASSERT_EQ(0, ctx_echo(self, 2, 5)) TH_LOG("socket after the reboot");

	ASSERT_EQ(0, ctx_write(self, 5, "active", "0"));
	ASSERT_TRUE(ctx_wait_state(self, 5, "down", 20000));
	sleep_ms(3000);
	ASSERT_EQ(0, ctx_read(self, 5, "state", v, sizeof(v)));
	EXPECT_STREQ("down", v) TH_LOG("active=0 must stay down");
}

/* status/@attr of the modem into @buf; 0 or the errno. */
static int status_read(FIXTURE_DATA(sock) *self, const char *attr, char *buf,
		       size_t len)
{
	char dir[PATH_MAX + 16];
	int r;

	snprintf(dir, sizeof(dir), "%s/status", self->dev);
	r = read_attr(dir, attr, buf, len);
	return r < 0 ? -r : 0;
}

/*
 * status/ shows what the module says about the network, and follows it:
 * the simulator's answers are changed through its control channel.
 */
TEST_F_TIMEOUT(sock, modem_status, 120)
{
	static const struct { const char *attr, *want; } before[] = {
		{ "registration", "home" }, { "rssi", "-65" },
		{ "ber", "unknown" }, { "iccid", "89860012345678901234" },
		{ "operator", "QISOCK SIM" },
	}, roaming[] = {
		{ "registration", "roaming" }, { "rssi", "-99" }, { "ber", "2" },
		{ "operator", "Roam" },
	}, searching[] = {
		{ "registration", "searching" }, { "rssi", "unknown" },
		{ "operator", "" },
	};
	char v[128], r[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(before); i++) {
		ASSERT_EQ(0, status_read(self, before[i].attr, v, sizeof(v)))
			TH_LOG("status #%zu", i);
		EXPECT_STREQ(before[i].want, v) TH_LOG("status #%zu", i);
	}
	ASSERT_EQ(0, status_read(self, "imei", v, sizeof(v)));
	EXPECT_LE(15, strlen(v)) TH_LOG("imei \"%s\"", v);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim status rssi=7 ber=2 reg=5 operator=Roam"));
	for (i = 0; i < ARRAY_SIZE(roaming); i++) {
		ASSERT_EQ(0, status_read(self, roaming[i].attr, v, sizeof(v)));
		EXPECT_STREQ(roaming[i].want, v) TH_LOG("roaming #%zu", i);
	}
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim status rssi=99 reg=2"));
	for (i = 0; i < ARRAY_SIZE(searching); i++) {
		ASSERT_EQ(0, status_read(self, searching[i].attr, v, sizeof(v)));
		EXPECT_STREQ(searching[i].want, v) TH_LOG("searching #%zu", i);
	}
}

/* A socket has one owner; the control node hands out distinct free ones. */
TEST_F_TIMEOUT(sock, ebusy_and_control_node, 120)
{
	struct qisock_open q;
	char path[96];
	int fd2, port, err, a, b;

	snprintf(path, sizeof(path), "%ss%d", self->node, 9 % self->nsock);
	self->fd[0] = open(path, O_RDWR);
	ASSERT_LE(0, self->fd[0]) TH_LOG("%s: %s", path, strerror(errno));
	fd2 = open(path, O_RDWR);
	EXPECT_EQ(-1, fd2) TH_LOG("second open of %s succeeded", path);
	EXPECT_EQ(EBUSY, errno);
	if (fd2 >= 0)
		close(fd2);
	close(self->fd[0]);
	self->fd[0] = -1;

	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	self->fd[0] = sk_open(self, -1, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("%s: %s", self->node, strerror(err));
	a = q.connect_id;
	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	self->fd[1] = sk_open(self, -1, 0, &q, &err);
	ASSERT_LE(0, self->fd[1]) TH_LOG("%s: %s", self->node, strerror(err));
	b = q.connect_id;
	EXPECT_NE(a, b);
	EXPECT_TRUE(a >= 0 && a < self->nsock) TH_LOG("connectID %d", a);
	EXPECT_TRUE(b >= 0 && b < self->nsock) TH_LOG("connectID %d", b);
	/* the node of a socket taken through the control node is busy */
	snprintf(path, sizeof(path), "%ss%d", self->node, a);
	fd2 = open(path, O_RDWR);
	EXPECT_EQ(-1, fd2);
	EXPECT_EQ(EBUSY, errno);
	if (fd2 >= 0)
		close(fd2);
}

/* Bad input: EINVAL, and not a byte goes to the module. */
TEST_F_TIMEOUT(sock, bad_input_einval_nothing_sent, 120)
{
	static const char * const hosts[] = {
		"a\"b", "host\r", "a,b", "new\nline", "\x80x", "", "semi;colon\x1b",
	};
	unsigned long long tx0, rx0, tx1, rx1;
	struct qisock_open q;
	int i, fd, err;

	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	for (i = 0; i < (int)ARRAY_SIZE(hosts); i++) {
		open_req(&q, QISOCK_TCP, hosts[i], 80, 0);
		fd = sk_open(self, 10, 0, &q, &err);
		EXPECT_EQ(-1, fd) TH_LOG("host #%d accepted", i);
		EXPECT_EQ(EINVAL, err) TH_LOG("host #%d: %s", i, strerror(err));
		if (fd >= 0)
			close(fd);
	}
	open_req(&q, QISOCK_TCP, "127.0.0.1", 70000, 0);
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EINVAL, err) TH_LOG("port 70000");
	open_req(&q, 9, "127.0.0.1", 80, 0);
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EINVAL, err) TH_LOG("service 9");
	open_req(&q, QISOCK_TCP, "127.0.0.1", 80, 0);
	q.reserved[0] = 1;
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EINVAL, err) TH_LOG("reserved != 0");
	open_req(&q, QISOCK_TCP, "127.0.0.1", 80, 0);
	q.context_id = 0;
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EINVAL, err) TH_LOG("context 0");
	open_req(&q, QISOCK_TCP, "127.0.0.1", 80, 0);
	q.connect_id = 3;	/* must be -1 or 10 (BC66: 0) on .../s10 */
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EINVAL, err) TH_LOG("connect_id 3 on s10");
	open_req(&q, QISOCK_TCP, "127.0.0.1", 80, 0);
	q.access_mode = QISOCK_ACCESS_TRANSPARENT;
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EOPNOTSUPP, err) TH_LOG("transparent mode: %s", strerror(err));
	/* a host that fills the field with no NUL is refused, never cut */
	open_req(&q, QISOCK_TCP, "127.0.0.1", 80, 0);
	memset(q.host, 'a', sizeof(q.host));
	EXPECT_EQ(-1, sk_open(self, 10, 0, &q, &err));
	EXPECT_EQ(EINVAL, err) TH_LOG("unterminated host: %s", strerror(err));
	/* give a command the AT engine might have queued time to go out */
	sleep_ms(500);
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
}

/* ---- a writer killed mid-stream; signals during I/O ----------------------- */

/* What the killed writer reports to the test through shared memory. */
struct wprog {
	volatile size_t sent;		/* bytes write() returned */
	volatile size_t inflight;	/* bytes passed to the write() under way */
	volatile int in_write;		/* inside write() now */
	volatile int err;		/* errno that ended writing */
	volatile int finished;		/* the whole pattern was written */
};

/*
 * The killed writer: @total pattern bytes in @chunk writes from @buf (taken
 * before the fork: other threads may hold malloc's locks), then wait to be
 * killed (the fd must stay open until then). Never returns.
 */
static void __attribute__((noreturn))
killed_writer_child(int fd, struct wprog *pg, uint8_t *buf, uint32_t seed,
		    size_t total, size_t chunk)
{
	uint32_t st = seed;
	size_t done = 0;

	while (buf && done < total) {
		size_t k = total - done < chunk ? total - done : chunk;
		size_t off = 0;

		fill_pattern(&st, buf, k);
		while (off < k) {
			ssize_t n;

			pg->inflight = k - off;
			pg->in_write = 1;
			n = write(fd, buf + off, k - off);
			pg->in_write = 0;
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				pg->err = n < 0 ? errno : EPIPE;
				goto wait;
			}
			off += n;
			pg->sent += n;
		}
		done += k;
	}
	pg->finished = 1;
wait:
	for (;;)
		pause();
}

/*
 * Socket A (connectID 0) belongs to a child process that writes a long
 * pattern and is SIGKILLed mid-write (@blocked: while its write blocks
 * because A's peer reads nothing); socket B (connectID 1) moves 128 KiB
 * each way meanwhile. The child's death releases A: its peer gets exactly a
 * prefix of the pattern, B completes intact, connectID 0 opens again and
 * works, the device stays ready.
 */
static void run_killed_writer(struct __test_metadata *_metadata,
			      FIXTURE_DATA(sock) *self, bool blocked)
{
	const size_t total = 512 * 1024, bn = 128 * 1024, cn = 8192, chunk = 4096;
	const uint32_t aseed = 0xa11ce;
	size_t sent_at_kill, bound;
	struct qisock_open q;
	struct wprog *pg;
	struct xfer xb, xc;
	char shab[65], shac[65], want[65], r[512], state[64] = "";
	uint8_t *cbuf;
	unsigned long rx;
	int porta, portb, portc, err, fda, status = 0;
	long end, t0;
	pid_t pid;

	ASSERT_EQ(0, peer_serve(&porta, NULL, "tcp timeout=150%s",
				blocked ? " hold=120000" : ""));
	ASSERT_EQ(0, peer_serve(&portb, shab, "tcp send=%zu expect=%zu seed=61 timeout=150",
				bn, bn));
	open_req(&q, QISOCK_TCP, self->host, porta, 0);
	fda = sk_open(self, 0, 0, &q, &err);
	ASSERT_LE(0, fda) TH_LOG("open A: %s", strerror(err));
	self->fd[0] = fda;
	open_req(&q, QISOCK_TCP, self->host, portb, 0);
	self->fd[1] = sk_open(self, 1, 0, &q, &err);
	ASSERT_LE(0, self->fd[1]) TH_LOG("open B: %s", strerror(err));

	pg = mmap(NULL, sizeof(*pg), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pg);
	memset((void *)pg, 0, sizeof(*pg));

	xfer_init(&xb, self->fd[1], bn, bn, 62);
	xb.io_timeout_ms = 90000;
	xfer_start(&xb);
	cbuf = malloc(chunk);
	ASSERT_NE(NULL, cbuf);
	pid = fork();
	ASSERT_LE(0, pid) TH_LOG("fork: %s", strerror(errno));
	if (pid == 0) {
		/* keep only A: B, the tty and the peer line are the parent's */
		close(self->fd[1]);
		close(self->tty_fd);
		if (qs_peer_fd >= 0)
			close(qs_peer_fd);
		killed_writer_child(fda, pg, cbuf, aseed, total, chunk);
	}
	free(cbuf);
	self->child = pid;
	/* the child holds the only reference to A from now on */
	close(fda);
	self->fd[0] = -1;

	t0 = now_ms();
	end = t0 + 150000;
	if (!blocked) {
		while (pg->sent < 32 * 1024 && !pg->err && now_ms() < end)
			sleep_ms(20);
		ASSERT_LE(32 * 1024, pg->sent) TH_LOG("the child wrote %zu bytes in %ld ms (%s)",
						      pg->sent, now_ms() - t0, strerror(pg->err));
	} else {
		/* blocked: inside write() and no progress for 3 s */
		size_t last = (size_t)-1;
		long since = now_ms();

		while (now_ms() < end && !pg->err && !pg->finished) {
			size_t cur = pg->sent;

			if (cur != last || !pg->in_write) {
				last = cur;
				since = now_ms();
			} else if (now_ms() - since >= 3000) {
				break;
			}
			sleep_ms(50);
		}
		ASSERT_EQ(0, pg->err) TH_LOG("a write to a peer that does not read failed after %zu bytes: %s",
					     pg->sent, strerror(pg->err));
		ASSERT_EQ(0, pg->finished) TH_LOG("all %zu bytes written although the peer reads nothing",
						  total);
		ASSERT_TRUE(pg->in_write && pg->sent == last)
			TH_LOG("the writer never blocked (sent %zu)", pg->sent);
	}
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_TRUE(reap_within(pid, 30000, &status))
		TH_LOG("the writer does not die of SIGKILL within 30 s (blocked in the driver?)");
	self->child = 0;
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	sent_at_kill = pg->sent;
	bound = sent_at_kill + (pg->in_write ? pg->inflight : 0);
	TH_LOG("writer killed %s after %zu bytes (%zu in flight), %ld ms", pg->in_write ?
	       "inside write()" : "between writes", sent_at_kill,
	       pg->in_write ? (size_t)pg->inflight : 0, now_ms() - t0);
	if (blocked)
		ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "resume %d", porta)) TH_LOG("%s", r);

	/* A's peer: the connection ends (QICLOSE), with a prefix of the pattern */
	ASSERT_EQ(0, peer_result(pkey(porta), r, sizeof(r), 60)) TH_LOG("peer A: %s", r);
	EXPECT_STREQ("1", kv(r, "done")) TH_LOG("A still open 60 s after its owner died: %s", r);
	rx = strtoul(kv(r, "rx"), NULL, 10);
	EXPECT_LT(0, rx) TH_LOG("nothing of what the child wrote reached A's peer");
	EXPECT_GE(bound, rx) TH_LOG("A's peer got %lu bytes, the child passed only %zu", rx, bound);
	if (rx <= total) {
		ASSERT_EQ(0, pattern_sha(aseed, rx, want));
		EXPECT_STREQ(want, kv(r, "sha"))
			TH_LOG("A's peer got %lu bytes that are not the start of the child's pattern", rx);
	}

	/* B was not disturbed */
	ASSERT_TRUE(xfer_join(&xb, 200000)) TH_LOG("B hangs: sent %zu rcvd %zu", xb.sent, xb.rcvd);
	EXPECT_EQ(0, xb.werr) TH_LOG("B write: %s", strerror(xb.werr));
	EXPECT_EQ(0, xb.rerr) TH_LOG("B read: %s", strerror(xb.rerr));
	EXPECT_EQ(bn, xb.rcvd);
	EXPECT_STREQ(shab, xb.rx_sha) TH_LOG("B received other bytes than its peer sent");
	close(self->fd[1]);
	self->fd[1] = -1;
	ASSERT_EQ(0, peer_result(pkey(portb), r, sizeof(r), 30)) TH_LOG("peer B: %s", r);
	EXPECT_EQ(bn, strtoul(kv(r, "rx"), NULL, 10)) TH_LOG("peer B: %s", r);
	EXPECT_STREQ(xb.tx_sha, kv(r, "sha")) TH_LOG("B's peer received other bytes than B sent");

	/* connectID 0 is free again and works */
	ASSERT_EQ(0, peer_serve(&portc, shac, "tcp send=%zu expect=%zu seed=63 timeout=120",
				cn, cn));
	end = now_ms() + 15000;
	do {
		open_req(&q, QISOCK_TCP, self->host, portc, 0);
		self->fd[0] = sk_open(self, 0, 0, &q, &err);
		if (self->fd[0] >= 0 || err != EBUSY)
			break;
		sleep_ms(200);
	} while (now_ms() < end);
	ASSERT_LE(0, self->fd[0]) TH_LOG("connectID 0 after its owner was killed: %s", strerror(err));
	EXPECT_EQ(0, q.connect_id);
	xfer_init(&xc, self->fd[0], cn, cn, 64);
	xfer_start(&xc);
	ASSERT_TRUE(xfer_join(&xc, 120000)) TH_LOG("new A hangs: sent %zu rcvd %zu", xc.sent, xc.rcvd);
	EXPECT_EQ(0, xc.werr) TH_LOG("new A write: %s", strerror(xc.werr));
	EXPECT_EQ(0, xc.rerr) TH_LOG("new A read: %s", strerror(xc.rerr));
	EXPECT_STREQ(shac, xc.rx_sha) TH_LOG("new A received other bytes (%zu)", xc.rcvd);
	close(self->fd[0]);
	self->fd[0] = -1;
	ASSERT_EQ(0, peer_result(pkey(portc), r, sizeof(r), 30)) TH_LOG("peer C: %s", r);
	EXPECT_EQ(cn, strtoul(kv(r, "rx"), NULL, 10)) TH_LOG("peer C: %s", r);
	EXPECT_STREQ(xc.tx_sha, kv(r, "sha")) TH_LOG("new A's peer received other bytes");

	ASSERT_LT(0, read_attr(self->dev, "state", state, sizeof(state)));
	EXPECT_STREQ("ready", state);
	munmap((void *)pg, sizeof(*pg));
}

TEST_F_TIMEOUT(sock, killed_writer_leaves_others_consistent, 420)
{
	run_killed_writer(_metadata, self, false);
}

TEST_F_TIMEOUT(sock, killed_blocked_writer_leaves_others_consistent, 420)
{
	run_killed_writer(_metadata, self, true);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void alarm_timer(int us)
{
	struct itimerval it = { { 0, us }, { 0, us } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * SIGALRM every 5 ms, installed without SA_RESTART, while 256 KiB are
 * written and then 256 KiB read with plain blocking calls: EINTR and short
 * counts are handled by going on at the right offset, so the peer must get
 * exactly the pattern, and the guest exactly what the peer sent. The peer
 * reads nothing for the first 3 s, so that writes also wait for room (SEND
 * FAIL) and get interrupted there.
 */
TEST_F_TIMEOUT(sock, signals_during_write_lose_nothing, 400)
{
	static const size_t sizes[] = { 16384, 1000, 4096, 32768, 1, 8191 };
	const size_t n = 256 * 1024;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct qisock_open q;
	struct qisock_info in;
	struct sha256 ts, rs;
	char sha[65], txsha[65], rxsha[65], r[512];
	uint8_t *buf;
	uint32_t st = 0x5161;
	size_t sent = 0, rcvd = 0, shorts = 0, rshorts = 0, i = 0;
	int port, err, wintr = 0, rintr = 0;
	unsigned int walarms, ralarms;
	long t0, tw, tr;

	ASSERT_EQ(0, peer_serve(&port, sha, "tcp send=%zu expect=%zu seed=71 hold=3000 timeout=200",
				n, n));
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	self->fd[0] = sk_open(self, 2, 0, &q, &err);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open: %s", strerror(err));
	buf = malloc(32768);
	ASSERT_NE(NULL, buf);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarms = 0;
	sha_init(&ts);
	t0 = now_ms();
	alarm_timer(5000);
	while (sent < n) {
		size_t k = sizes[i++ % ARRAY_SIZE(sizes)], off = 0;

		if (k > n - sent)
			k = n - sent;
		fill_pattern(&st, buf, k);
		while (off < k) {
			ssize_t w = write(self->fd[0], buf + off, k - off);

			if (w < 0 && errno == EINTR) {
				wintr++;
				continue;
			}
			if (w <= 0) {
				alarm_timer(0);
				ASSERT_LT(0, w) TH_LOG("write after %zu bytes: %s", sent + off,
						       w < 0 ? strerror(errno) : "returned 0");
			}
			if ((size_t)w < k - off)
				shorts++;
			off += w;
		}
		sha_update(&ts, buf, k);
		sent += k;
	}
	tw = now_ms() - t0;
	walarms = alarms;
	sha_hex(&ts, txsha);
	sha_init(&rs);
	t0 = now_ms();
	while (rcvd < n) {
		size_t want = sizes[i++ % ARRAY_SIZE(sizes)];
		ssize_t got;

		if (want > n - rcvd)
			want = n - rcvd;
		got = read(self->fd[0], buf, want);
		if (got < 0 && errno == EINTR) {
			rintr++;
			continue;
		}
		if (got <= 0) {
			alarm_timer(0);
			ASSERT_LT(0, got) TH_LOG("read after %zu bytes: %s", rcvd,
						 got < 0 ? strerror(errno) : "EOF");
		}
		if ((size_t)got < want)
			rshorts++;
		sha_update(&rs, buf, got);
		rcvd += got;
	}
	alarm_timer(0);
	tr = now_ms() - t0;
	ralarms = alarms - walarms;
	sha_hex(&rs, rxsha);
	free(buf);
	TH_LOG("write: %ld ms, %u signals, %d EINTR, %zu short; read: %ld ms, %u signals, %d EINTR, %zu short",
	       tw, walarms, wintr, shorts, tr, ralarms, rintr, rshorts);
	/* the test means something only if the signals did arrive, both ways */
	EXPECT_LT(20, walarms);
	EXPECT_LT(20, ralarms) TH_LOG("the reads were hardly interrupted");
	EXPECT_STREQ(sha, rxsha) TH_LOG("the guest read other bytes than the peer sent");
	ASSERT_EQ(0, sk_info(self->fd[0], &in));
	EXPECT_EQ(n, in.tx_bytes);
	EXPECT_EQ(n, in.rx_bytes);
	close(self->fd[0]);
	self->fd[0] = -1;
	ASSERT_EQ(0, peer_result(pkey(port), r, sizeof(r), 60)) TH_LOG("peer: %s", r);
	EXPECT_EQ(n, strtoul(kv(r, "rx"), NULL, 10))
		TH_LOG("the peer got %s bytes of %zu (lost or duplicated)", kv(r, "rx"), n);
	EXPECT_STREQ(txsha, kv(r, "sha")) TH_LOG("the peer received other bytes than written");
}

/* ---- failures while transfers run ---------------------------------------- */

enum disrupt { PDPDEACT, REBOOT, DETACH };

static void run_disrupted(struct __test_metadata *_metadata, FIXTURE_DATA(sock) *self,
			  enum disrupt how)
{
	static struct xfer x[3];
	struct qisock_open q;
	struct qisock_info in;
	char r[256];
	int port[3], err, i;
	long end;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, peer_serve(&port[i], NULL, "tcp send=%d expect=%d wdelay=5 chunk=2048 timeout=60",
					4 * MIB, 4 * MIB));
		open_req(&q, QISOCK_TCP, self->host, port[i], 0);
		self->fd[i] = sk_open(self, i, 0, &q, &err);
		ASSERT_LE(0, self->fd[i]) TH_LOG("open %d: %s", i, strerror(err));
		xfer_init(&x[i], self->fd[i], 4 * MIB, 4 * MIB, i);
		x[i].io_timeout_ms = 30000;
	}
	for (i = 0; i < 3; i++)
		xfer_start(&x[i]);
	end = now_ms() + 60000;
	while (x[0].rcvd < 8192 && now_ms() < end)
		sleep_ms(50);
	ASSERT_LE(8192, x[0].rcvd) TH_LOG("transfer does not start");
	switch (how) {
	case PDPDEACT:
		ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim pdpdeact 1")) TH_LOG("%s", r);
		break;
	case REBOOT:
		ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot")) TH_LOG("%s", r);
		break;
	case DETACH:
		ASSERT_EQ(0, close(self->tty_fd));
		self->tty_fd = -1;
		break;
	}
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(xfer_join(&x[i], 60000))
			TH_LOG("socket %d: a reader or writer still blocks 60 s later", i);
		TH_LOG("socket %d: sent %zu, rcvd %zu, write %s, read %s", i, x[i].sent,
		       x[i].rcvd, strerror(x[i].werr), x[i].eof ? "EOF" : strerror(x[i].rerr));
		switch (how) {
		case PDPDEACT:
			EXPECT_EQ(ENETDOWN, x[i].rerr);
			break;
		case REBOOT:
			EXPECT_TRUE(x[i].rerr == ENETRESET || x[i].rerr == EIO)
				TH_LOG("reboot: read error %s", strerror(x[i].rerr));
			break;
		case DETACH:
			EXPECT_TRUE(x[i].rerr == EIO || x[i].rerr == ENETRESET ||
				    x[i].rerr == ENODEV)
				TH_LOG("detach: read error %s", strerror(x[i].rerr));
			break;
		}
		EXPECT_NE(0, x[i].werr) TH_LOG("socket %d: all 4 MiB written despite the failure", i);
		/* the socket file stays usable for INFO, except after a detach */
		if (how != DETACH) {
			ASSERT_EQ(0, sk_info(self->fd[i], &in))
				TH_LOG("socket %d: QISOCK_IOC_INFO: %s", i, strerror(errno));
			EXPECT_EQ(QISOCK_SS_FAILED, in.state);
			EXPECT_EQ(x[i].rerr, in.error);
		} else if (sk_info(self->fd[i], &in) == 0) {
			EXPECT_NE(QISOCK_SS_CONNECTED, in.state)
				TH_LOG("socket %d still connected after the detach", i);
		}
	}
	/*
	 * The link comes back by itself: autoconnect brings context 1 up
	 * again (after pdpdeact the driver deactivates it first, as the seed
	 * requires; after the reset the module lost its configuration, which
	 * the driver sends again), and a new transfer passes intact.
	 */
	if (how != DETACH && !self->bc66) {
		char why[256];

		for (i = 0; i < 3; i++) {
			close(self->fd[i]);
			self->fd[i] = -1;
		}
		ASSERT_TRUE(ctx_wait_state(self, 1, "up", 60000))
			TH_LOG("context 1 does not come back up (autoconnect)");
		EXPECT_EQ(0, peer_roundtrip(self->node, self->host, 256 * 1024, 77,
					    why, sizeof(why)))
			TH_LOG("new transfer after the outage: %s", why);
	}
}

TEST_F_TIMEOUT(sock, pdpdeact_during_transfer, 240)
{
	run_disrupted(_metadata, self, PDPDEACT);
}

TEST_F_TIMEOUT(sock, module_reboot_during_transfer, 240)
{
	run_disrupted(_metadata, self, REBOOT);
}


/* ---- simulator fault injection during transfers --------------------------- */

FIXTURE(fault) {
	FIXTURE_DATA(sock) s;
};

FIXTURE_VARIANT(fault) {
	const char *fault;	/* simulator command, %d = connectID */
	bool strict;		/* must complete intact (else: intact or a clean error) */
	bool undo_split;
	const char *probe;	/* harmless simulator command the fault needs */
	const char *stats;	/* stats/ counters whose sum the fault raises */
};

/* The sum of the stats/ counters named in @names (blank-separated). */
static long stats_sum(const char *dev, const char *names)
{
	char list[128], path[PATH_MAX], val[32], *name, *save;
	long sum = 0;

	snprintf(list, sizeof(list), "%s", names);
	for (name = strtok_r(list, " ", &save); name;
	     name = strtok_r(NULL, " ", &save)) {
		snprintf(path, sizeof(path), "%s/stats", dev);
		if (read_attr(path, name, val, sizeof(val)) <= 0)
			return -1;
		sum += strtol(val, NULL, 10);
	}
	return sum;
}

FIXTURE_SETUP(fault)
{
	sock_setup(_metadata, &self->s, NULL);
}

FIXTURE_TEARDOWN(fault)
{
	char r[128];

	if (variant->undo_split)
		qs_peer_cmd(r, sizeof(r), 5000, "sim split off");
	sock_teardown(_metadata, &self->s, NULL);
}

FIXTURE_VARIANT_ADD(fault, urc_between_lines) {
	.fault = "urc-at between-lines +QIURC: \"recv\",%d", .strict = true,
	.stats = "urcs",
};
FIXTURE_VARIANT_ADD(fault, urc_before_prompt) {
	.fault = "urc-at before-prompt +QIURC: \"recv\",%d", .strict = true,
	.stats = "urcs",
};
FIXTURE_VARIANT_ADD(fault, urc_after_send_ok) {
	.fault = "urc-at after-send-ok +QIURC: \"recv\",%d", .strict = true,
	.stats = "urcs",
};
FIXTURE_VARIANT_ADD(fault, split_bytes) {
	.fault = "split on", .strict = true, .undo_split = true,
};
FIXTURE_VARIANT_ADD(fault, sendfail) {
	.fault = "sendfail 2", .strict = true,
};
FIXTURE_VARIANT_ADD(fault, garbage) {
	.fault = "garbage 48", .strict = false,
	.stats = "garbage_lines overlong_lines stray_lines stray_finals protocol_errors timeouts",
};
FIXTURE_VARIANT_ADD(fault, stall) {
	.fault = "stall", .strict = false,
	.stats = "timeouts",
};
/*
 * The reply comes after the command's time-out: 1 s after its last byte
 * went out plus that byte's time on the wire at 9600 baud, so 2.5 s for a
 * QISEND of 1460 bytes. 1.5 s timed out a QIRD but not a long QISEND, and
 * the test failed whenever all four delays hit QISENDs.
 */
FIXTURE_VARIANT_ADD(fault, late_reply) {
	.fault = "delay 3000", .strict = false, .probe = "delay 0 1",
	.stats = "timeouts",
};

/*
 * 64 KiB each way on two sockets while the simulator injects the fault four
 * times, spread over the transfer.
 */
TEST_F_TIMEOUT(fault, during_transfer, 300)
{
	static struct xfer x[2];
	FIXTURE_DATA(sock) *s = &self->s;
	struct qisock_open q;
	char sha[2][65], r[512], cmd[128];
	int port[2], err, i, k, injected = 0;
	const size_t n = 64 * 1024;
	bool clean[2];
	long end, stats0 = 0;

	if (variant->probe) {
		ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim %s", variant->probe))
			TH_LOG("simulator: \"%s\": %s", variant->probe, r);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, peer_serve(&port[i], sha[i], "tcp send=%zu expect=%zu chunk=4096 wdelay=20 seed=%d timeout=120",
					n, n, 50 + i));
		open_req(&q, QISOCK_TCP, s->host, port[i], 0);
		s->fd[i] = sk_open(s, i, 0, &q, &err);
		ASSERT_LE(0, s->fd[i]) TH_LOG("open %d: %s", i, strerror(err));
		xfer_init(&x[i], s->fd[i], n, n, 77 + i);
		x[i].io_timeout_ms = 45000;
	}
	if (variant->stats) {
		stats0 = stats_sum(s->dev, variant->stats);
		ASSERT_LE(0, stats0) TH_LOG("%s/stats: %s", s->dev, variant->stats);
	}
	for (i = 0; i < 2; i++)
		xfer_start(&x[i]);
	for (k = 1; k <= 4; k++) {
		end = now_ms() + 60000;
		while (x[0].rcvd + x[0].sent < k * n * 2 / 5 && now_ms() < end &&
		       !x[0].rerr && !x[0].werr && !(x[0].rdone && x[0].wdone))
			sleep_ms(20);
		if (x[0].rerr || x[0].werr || (x[0].rdone && x[0].wdone))
			break;	/* nothing left to disturb */
		snprintf(cmd, sizeof(cmd), variant->fault, k % 2);
		EXPECT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim %s", cmd)) TH_LOG("sim %s: %s", cmd, r);
		injected++;
		if (variant->undo_split) {
			sleep_ms(300);
			qs_peer_cmd(r, sizeof(r), 10000, "sim split off");
		}
	}
	/*
	 * Nothing injected, nothing tested. A fault that must leave the
	 * transfers intact is injected all four times (they cannot end before:
	 * the last one comes at 80 %); another may end them sooner.
	 */
	TH_LOG("fault \"%s\" injected %d times", variant->fault, injected);
	/* what a person on the board sees of it (stats/ in sysfs) */
	if (variant->stats && injected) {
		end = now_ms() + 10000;
		while (stats_sum(s->dev, variant->stats) <= stats0 && now_ms() < end)
			sleep_ms(100);
		EXPECT_LT(stats0, stats_sum(s->dev, variant->stats))
			TH_LOG("stats/{%s} did not count the fault", variant->stats);
	}
	if (variant->strict) {
		EXPECT_EQ(4, injected);
	} else {
		EXPECT_LT(0, injected);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_TRUE(xfer_join(&x[i], 200000)) TH_LOG("socket %d hangs: sent %zu rcvd %zu",
							     i, x[i].sent, x[i].rcvd);
		TH_LOG("socket %d: sent %zu (%s), rcvd %zu (%s)", i, x[i].sent,
		       strerror(x[i].werr), x[i].rcvd, strerror(x[i].rerr));
		clean[i] = variant->strict || (!x[i].werr && !x[i].rerr);
		if (clean[i]) {
			EXPECT_EQ(0, x[i].werr);
			EXPECT_EQ(0, x[i].rerr);
			EXPECT_EQ(n, x[i].rcvd);
			EXPECT_STREQ(sha[i], x[i].rx_sha) TH_LOG("socket %d: corrupted data", i);
		} else {
			/* a clean error is fine, no hang; what arrived is a prefix */
			EXPECT_TRUE(x[i].rerr == EIO || x[i].rerr == ETIMEDOUT ||
				    x[i].werr == EIO || x[i].werr == ETIMEDOUT ||
				    x[i].rerr == ENETRESET || x[i].werr == ENETRESET)
				TH_LOG("socket %d: unexpected errors %s / %s", i,
				       strerror(x[i].werr), strerror(x[i].rerr));
			EXPECT_GE(n, x[i].rcvd) TH_LOG("socket %d: more received than sent", i);
			ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "prefix %d %zu", port[i],
					      x[i].rcvd)) TH_LOG("peer prefix: %s", r);
			EXPECT_STREQ(r + 3, x[i].rx_sha)
				TH_LOG("socket %d: the %zu bytes received are not the start of what the peer sent",
				       i, x[i].rcvd);
		}
		close(s->fd[i]);
		s->fd[i] = -1;
	}
	for (i = 0; i < 2; i++) {
		char want[65];
		unsigned long rx;

		ASSERT_EQ(0, peer_result(pkey(port[i]), r, sizeof(r), 30));
		rx = strtoul(kv(r, "rx"), NULL, 10);
		if (clean[i]) {
			EXPECT_EQ(n, rx) TH_LOG("peer %d: %s", i, r);
			EXPECT_STREQ(x[i].tx_sha, kv(r, "sha")) TH_LOG("peer %d got corrupted data", i);
			continue;
		}
		/* at most what write() took plus the one that failed */
		EXPECT_GE(x[i].sent + x[i].wchunk, rx) TH_LOG("peer %d: %s (guest wrote %zu)",
							       i, r, x[i].sent);
		/* and never more than the guest had to send */
		EXPECT_GE(n, rx) TH_LOG("peer %d got %lu bytes of %zu", i, rx, n);
		if (rx > n)
			continue;
		ASSERT_EQ(0, pattern_sha(77 + i, rx, want));
		EXPECT_STREQ(want, kv(r, "sha"))
			TH_LOG("peer %d: the %lu bytes it got are not the start of what the guest wrote",
			       i, rx);
	}
}

/*
 * Attach again on the open tty (what the port holds from before is dropped)
 * and wait for a ready device; its sysfs directory goes to self->dev and
 * its control node to self->node.
 */
static bool reattach_ready(FIXTURE_DATA(sock) *self)
{
	int ldisc = atoi(env_or("QISOCK_LDISC", "29"));
	char dev[PATH_MAX], state[64] = "";
	long end;

	sleep_ms(300);
	tcflush(self->tty_fd, TCIOFLUSH);
	if (ioctl(self->tty_fd, TIOCSETD, &ldisc))
		return false;
	end = now_ms() + cfg_timeout_ms();
	while (now_ms() < end) {
		if (find_dev(self->tty, dev, sizeof(dev)) &&
		    read_attr(dev, "state", state, sizeof(state)) > 0 &&
		    !strcmp(state, "ready")) {
			snprintf(self->dev, sizeof(self->dev), "%s", dev);
			snprintf(self->node, sizeof(self->node), "/dev/%s",
				 strrchr(dev, '/') + 1);
			return true;
		}
		sleep_ms(20);
	}
	return false;
}

/*
 * Detach while three sockets move data, then power-cycle the module and
 * attach again: the driver must identify it as after any other detach. In a
 * fixture of its own, defined after the others, so that a failure to come
 * back cannot take later socket tests with it.
 */
FIXTURE(zy_detach) {
	FIXTURE_DATA(sock) s;
};

FIXTURE_SETUP(zy_detach)
{
	sock_setup(_metadata, &self->s, NULL);
}

FIXTURE_TEARDOWN(zy_detach)
{
	sock_teardown(_metadata, &self->s, NULL);
}

TEST_F_TIMEOUT(zy_detach, ldisc_detach_during_transfer, 300)
{
	FIXTURE_DATA(sock) *s = &self->s;
	char r[256];
	int i;

	run_disrupted(_metadata, s, DETACH);
	if (_metadata->exit_code)
		return;
	for (i = 0; i < NSOCK + 4; i++) {
		if (s->fd[i] >= 0)
			close(s->fd[i]);
		s->fd[i] = -1;
	}
	ASSERT_TRUE(wait_no_dev(s->tty, cfg_timeout_ms()));
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot"));
	sleep_ms(100);
	s->tty_fd = open(s->tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, s->tty_fd);
	ASSERT_TRUE(reattach_ready(s))
		TH_LOG("no ready device after detach mid-transfer + module reboot");
}

/*
 * Detach with a socket open in the module, attach again without a module
 * reboot: the driver finds the socket with AT+QISTATE? and closes it (its
 * peer sees the end of the connection), and the connectID opens again.
 */
TEST_F_TIMEOUT(zy_detach, reattach_closes_sockets_left_open, 180)
{
	FIXTURE_DATA(sock) *s = &self->s;
	char sha[65], r[512];
	int port, err, fd;
	const size_t n = 4096;
	struct qisock_open q;
	struct xfer x;
	uint8_t *buf;
	ssize_t w;
	uint32_t st = 0x5eed;

	buf = malloc(n);
	ASSERT_NE(NULL, buf);
	fill_pattern(&st, buf, n);
	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp expect=%zu timeout=120", n));
	open_req(&q, QISOCK_TCP, s->host, port, 0);
	fd = s->fd[0] = sk_open(s, 3, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open connectID 3: %s", strerror(err));
	w = write(fd, buf, n);
	ASSERT_EQ((ssize_t)n, w) TH_LOG("write: %s", strerror(errno));

	/* back to N_TTY, the tty stays open: no hangup, no QICLOSE sent */
	ASSERT_EQ(0, ioctl(s->tty_fd, TIOCSETD, &(int){ 0 }));
	ASSERT_TRUE(wait_no_dev(s->tty, cfg_timeout_ms()));
	EXPECT_EQ(-1, write(fd, buf, 1));
	EXPECT_EQ(EIO, errno);
	close(fd);
	s->fd[0] = -1;
	/* the module still holds connectID 3: its peer is still connected */
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "result %d timeout=0", port));
	EXPECT_STREQ("0", kv(r, "done")) TH_LOG("peer: %s", r);

	ASSERT_TRUE(reattach_ready(s)) TH_LOG("no ready device after re-attach");

	/* reconciled: the old connection ended with every byte delivered */
	ASSERT_EQ(0, peer_result(pkey(port), r, sizeof(r), 30)) TH_LOG("peer: %s", r);
	EXPECT_STREQ("1", kv(r, "done")) TH_LOG("peer: %s", r);
	EXPECT_STREQ("-", kv(r, "err")) TH_LOG("the module never closed it: %s", r);
	EXPECT_EQ(n, strtoul(kv(r, "rx"), NULL, 10));

	/* and connectID 3 is free in the module again */
	snprintf(r, sizeof(r), "%ss3", s->node);
	ASSERT_TRUE(exists_within(r, 5000)) TH_LOG("%s missing", r);
	ASSERT_EQ(0, peer_serve(&port, sha, "tcp send=%zu expect=%zu timeout=60", 2 * n, 2 * n));
	open_req(&q, QISOCK_TCP, s->host, port, 0);
	fd = s->fd[0] = sk_open(s, 3, 0, &q, &err);
	ASSERT_LE(0, fd) TH_LOG("open connectID 3 again: %s", strerror(err));
	xfer_init(&x, fd, 2 * n, 2 * n, 0x77);
	xfer_start(&x);
	ASSERT_TRUE(xfer_join(&x, 60000));
	EXPECT_EQ(0, x.werr);
	EXPECT_EQ(0, x.rerr);
	EXPECT_STREQ(sha, x.rx_sha);
	free(buf);
}

/* Runs last: nothing above left a kernel warning, BUG or oops behind. */
QS_DMESG_CLEAN_TEST(zz_kernel_log, sockets_dmesg_clean)

TEST_HARNESS_MAIN
