// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping the link up, end to end in QEMU: a module that hangs during a
 * transfer is restarted by the driver and context 1 comes back by itself
 * with its configuration and DNS servers; activations the network refuses
 * are retried with a growing back-off until it allows them.
 *
 * The guest's ttyS1 is the simulated module (qisock-sim), its ttyS2 the
 * host peer (tools/testing/peer.py), which starts TCP servers on the
 * host's loopback and relays "sim <command>" to the simulator's control
 * channel ("hang", "actfail", "ctx", "reboot"). No qisock module or no
 * peer is a SKIP saying so; the simulator's "actfail" is EC200U only. On
 * the BC66 the restart tests SKIP (BC66_RECOVERY): there a QIRD lost to
 * the hang fails its TCP socket with EIO at once (the BC66 has no
 * AT+QIRD=<id>,0 to ask what the lost answer carried), and the driver
 * does not see the module's RDY after AT+CFUN=1,1; open issue #9.
 *
 * Environment: QISOCK_TTY (/dev/ttyS1), QISOCK_PEER (/dev/ttyS2 in the
 * guest), QISOCK_LDISC (29), QISOCK_TIMEOUT (20 s for a state change).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#include "kselftest_harness.h"
#include "qisock_selftest.h"
#include "qisock_peer.h"

#define BC66_RECOVERY "BC66: restart end to end not passing yet (lost QIRD is " \
			"EIO; no RDY seen after CFUN=1,1), open issue #9"

#define DNS	"10.53.0.1 10.53.0.2"

FIXTURE(rcv) {
	const char *tty;
	int tty_fd;
	int fd;			/* the socket of the transfer */
	int idle_fd;		/* a connected socket without traffic */
	char dev[PATH_MAX];	/* /sys/class/qisock/qisockM */
	char ctx1[PATH_MAX + 8];
	char node[64];		/* /dev/qisockM */
	bool ec200u;
};

/* @dir/@name into @buf without its newline; "" if unreadable. */
static const char *attr(const char *dir, const char *name, char *buf, size_t len)
{
	if (read_attr(dir, name, buf, len) < 0)
		buf[0] = '\0';
	return buf;
}

/* Wait up to @ms until @dir/@name reads @want. */
static bool attr_within(const char *dir, const char *name, const char *want, int ms)
{
	long end = now_ms() + ms;
	char v[64];

	do {
		if (!strcmp(attr(dir, name, v, sizeof(v)), want))
			return true;
		sleep_ms(50);
	} while (now_ms() < end);
	return false;
}

static unsigned long stat_of(FIXTURE_DATA(rcv) *self, const char *name)
{
	char dir[PATH_MAX + 8], v[32];

	snprintf(dir, sizeof(dir), "%s/stats", self->dev);
	return strtoul(attr(dir, name, v, sizeof(v)), NULL, 10);
}

static long ctx1_num(FIXTURE_DATA(rcv) *self, const char *name)
{
	char v[32];

	return strtol(attr(self->ctx1, name, v, sizeof(v)), NULL, 10);
}

FIXTURE_SETUP(rcv)
{
	char r[256], state[64] = "", dialect[16] = "";
	const char *why;

	self->tty_fd = -1;
	self->fd = -1;
	self->idle_fd = -1;
	self->tty = env_or("QISOCK_TTY", "/dev/ttyS1");
	why = qs_attach_unsupported();
	if (why)
		SKIP(return, "%s", why);
	/* a freshly powered-on module, no fault left armed */
	qs_peer_reboot(_metadata, self->tty);
	qs_peer_cmd(r, sizeof(r), 10000, "sim actfail 1 0");	/* EC200U only */
	qs_attach(_metadata, self->tty, &self->tty_fd);
	qs_wait_ready(_metadata, self->tty, self->dev, sizeof(self->dev));
	snprintf(self->node, sizeof(self->node), "/dev/%s", strrchr(self->dev, '/') + 1);
	snprintf(self->ctx1, sizeof(self->ctx1), "%s/ctx1", self->dev);
	attr(self->dev, "dialect", dialect, sizeof(dialect));
	self->ec200u = !strcmp(dialect, "ec200u");
	ASSERT_TRUE(self->ec200u || !strcmp(dialect, "bc66")) TH_LOG("dialect %s", dialect);
	EXPECT_STREQ("idle", attr(self->dev, "recovery", state, sizeof(state)));
}

FIXTURE_TEARDOWN(rcv)
{
	char r[128];

	if (self->fd >= 0)
		close(self->fd);
	if (self->idle_fd >= 0)
		close(self->idle_fd);
	if (qs_peer_fd >= 0) {
		qs_peer_cmd(r, sizeof(r), 5000, "sim hang off");
		qs_peer_cmd(r, sizeof(r), 5000, "sim actfail 1 0");
	}
	if (self->tty_fd >= 0) {
		close(self->tty_fd);
		if (!wait_no_dev(self->tty, cfg_timeout_ms())) {
			TH_LOG("qisock device for %s not removed at teardown", self->tty);
			_metadata->exit_code = KSFT_FAIL;
		}
	}
}

/*
 * Context 1 with an APN, kept up (autoconnect), and DNS servers set. The
 * BC66 has no autoconnect: its context is up while it is registered.
 */
static void ctx1_up_with_dns(struct __test_metadata *_metadata,
			     FIXTURE_DATA(rcv) *self)
{
	char v[64];

	if (self->ec200u) {
		ASSERT_EQ(0, put_attr(self->ctx1, "apn", "internet"));
		ASSERT_EQ(0, put_attr(self->ctx1, "autoconnect", "1"));
	}
	ASSERT_TRUE(attr_within(self->ctx1, "state", "up", 30000))
		TH_LOG("context 1 does not come up");
	ASSERT_EQ(0, put_attr(self->ctx1, "dns", DNS));
	ASSERT_STREQ(DNS, attr(self->ctx1, "dns", v, sizeof(v)));
}

/* Context 1 as the module has it: up, its APN, its DNS servers. */
static void ctx1_restored(struct __test_metadata *_metadata,
			  FIXTURE_DATA(rcv) *self)
{
	char v[64], r[256];

	ASSERT_TRUE(attr_within(self->ctx1, "state", "up", 60000))
		TH_LOG("context 1 does not come back up (autoconnect, +IP:)");
	if (self->ec200u) {
		ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim ctx 1")) TH_LOG("%s", r);
		EXPECT_STREQ("internet", kv(r, "apn")) TH_LOG("module's context 1: %s", r);
		EXPECT_STREQ("1", kv(r, "active"));
	}
	/* the DNS servers are set again right after the context is up */
	EXPECT_TRUE(attr_within(self->ctx1, "dns", DNS, 5000))
		TH_LOG("ctx1/dns: %s", attr(self->ctx1, "dns", v, sizeof(v)));
}

/* A TCP connection to a new peer server (@opts) on a free connectID. */
static int open_to_peer(struct __test_metadata *_metadata,
			FIXTURE_DATA(rcv) *self, const char *opts)
{
	struct qisock_open q = {
		.service = QISOCK_TCP, .access_mode = QISOCK_ACCESS_BUFFER,
		.context_id = 1, .connect_id = -1,
	};
	int port, fd;

	if (peer_serve(&port, NULL, "%s", opts))
		return -1;
	q.remote_port = port;
	snprintf(q.host, sizeof(q.host), "127.0.0.1");
	fd = open(self->node, O_RDWR | O_CLOEXEC);
	if (fd >= 0 && ioctl(fd, QISOCK_IOC_OPEN, &q) < 0) {
		TH_LOG("open 127.0.0.1:%d: %s", port, strerror(errno));
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * A transfer that runs until the module hangs (4 MiB each way, slowly),
 * and a connected socket beside it that has no traffic.
 */
static void start_long_xfer(struct __test_metadata *_metadata,
			    FIXTURE_DATA(rcv) *self, struct xfer *x)
{
	long end;

	self->idle_fd = open_to_peer(_metadata, self, "tcp echo=1 timeout=300");
	ASSERT_LE(0, self->idle_fd) TH_LOG("idle socket");
	self->fd = open_to_peer(_metadata, self,
				"tcp send=4194304 expect=4194304 wdelay=5 chunk=2048 timeout=180");
	ASSERT_LE(0, self->fd) TH_LOG("transfer socket");
	xfer_init(x, self->fd, 4 * MIB, 4 * MIB, 5);
	x->io_timeout_ms = 120000;
	xfer_start(x);
	end = now_ms() + 60000;
	while (x->rcvd < 8192 && !x->rdone && now_ms() < end)
		sleep_ms(50);
	ASSERT_LE(8192, x->rcvd) TH_LOG("transfer does not start");
}

/* @fd failed with @err (INFO and read()). */
static void expect_failed(struct __test_metadata *_metadata, int fd, int err)
{
	struct qisock_info in;
	char c;

	memset(&in, 0, sizeof(in));
	ASSERT_EQ(0, ioctl(fd, QISOCK_IOC_INFO, &in));
	EXPECT_EQ(QISOCK_SS_FAILED, in.state);
	EXPECT_EQ(err, in.error) TH_LOG("error %s", strerror(in.error));
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(err, errno);
}

/*
 * The transfer ended as a hung module's must: not all written; the socket
 * failed with ETIMEDOUT if one of its own commands timed out first, else
 * with ENETDOWN when the module was found hung. The idle socket never
 * had a command: ENETDOWN.
 */
static void expect_xfer_failed(struct __test_metadata *_metadata,
			       FIXTURE_DATA(rcv) *self, struct xfer *x)
{
	ASSERT_TRUE(xfer_join(x, 120000)) TH_LOG("a reader or writer still blocks");
	TH_LOG("sent %zu, rcvd %zu, write %s, read %s", x->sent, x->rcvd,
	       strerror(x->werr), x->eof ? "EOF" : strerror(x->rerr));
	EXPECT_TRUE(x->rerr == ENETDOWN || x->rerr == ETIMEDOUT);
	EXPECT_NE(0, x->werr);
	expect_failed(_metadata, self->fd, x->rerr);
	expect_failed(_metadata, self->idle_fd, ENETDOWN);
	close(self->fd);
	self->fd = -1;
	close(self->idle_fd);
	self->idle_fd = -1;
}

/*
 * The module hangs during a transfer and answers nothing until it gets
 * AT+CFUN=1,1: the driver finds it hung (state "recovering", sockets
 * fail with ENETDOWN), restarts it once, context 1 comes back with its
 * APN and DNS servers, and a new transfer passes with equal checksums.
 */
TEST_F_TIMEOUT(rcv, hang_during_transfer_restart_restores, 400)
{
	unsigned long reboots0, silent0;
	struct xfer x;
	char r[256], why[256], v[64];

	if (!self->ec200u)
		SKIP(return, BC66_RECOVERY);
	ctx1_up_with_dns(_metadata, self);
	start_long_xfer(_metadata, self, &x);
	reboots0 = stat_of(self, "reboots");
	silent0 = stat_of(self, "silent_resyncs");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim hang cfun")) TH_LOG("%s", r);
	ASSERT_TRUE(attr_within(self->dev, "state", "recovering", 60000))
		TH_LOG("never recovering; recovery=%s",
		       attr(self->dev, "recovery", v, sizeof(v)));
	expect_xfer_failed(_metadata, self, &x);
	ASSERT_TRUE(attr_within(self->dev, "state", "ready", 90000))
		TH_LOG("not ready again; recovery=%s",
		       attr(self->dev, "recovery", v, sizeof(v)));
	EXPECT_TRUE(attr_within(self->dev, "recovery", "idle", 5000));
	EXPECT_EQ(reboots0 + 1, stat_of(self, "reboots"));
	EXPECT_LE(silent0 + 1, stat_of(self, "silent_resyncs"));
	ctx1_restored(_metadata, self);
	EXPECT_EQ(0, peer_roundtrip(self->node, "127.0.0.1", 256 * 1024, 9, why,
				    sizeof(why))) TH_LOG("new transfer: %s", why);
}

/*
 * The module stalls for 30 s and ignores the first AT+CFUN=1,1 (sent
 * about 12 s in): no RDY comes within 30 s, so the driver restarts it
 * again (the seed's schedule: the first restarts in a row follow at
 * once), the module, answering again, restarts, and all comes back.
 */
TEST_F_TIMEOUT(rcv, restart_unanswered_is_repeated, 400)
{
	unsigned long reboots0;
	char r[256], why[256], v[64];

	if (!self->ec200u)
		SKIP(return, BC66_RECOVERY);
	ctx1_up_with_dns(_metadata, self);
	reboots0 = stat_of(self, "reboots");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim hang 30000")) TH_LOG("%s", r);
	/* a request finds it silent */
	EXPECT_NE(0, put_attr(self->ctx1, "apn", "internet"));
	ASSERT_TRUE(attr_within(self->dev, "recovery", "wait_rdy", 60000))
		TH_LOG("no restart; recovery=%s", attr(self->dev, "recovery", v, sizeof(v)));
	EXPECT_STREQ("recovering", attr(self->dev, "state", v, sizeof(v)));
	/* requests fail at once while it is being restarted */
	EXPECT_EQ(ENETDOWN, put_attr(self->ctx1, "apn", "other"));
	ASSERT_TRUE(attr_within(self->dev, "state", "ready", 150000))
		TH_LOG("not ready again; recovery=%s, reboots=%lu",
		       attr(self->dev, "recovery", v, sizeof(v)),
		       stat_of(self, "reboots"));
	EXPECT_EQ(reboots0 + 2, stat_of(self, "reboots"))
		TH_LOG("the unanswered restart was not repeated once");
	ctx1_restored(_metadata, self);
	EXPECT_EQ(0, peer_roundtrip(self->node, "127.0.0.1", 64 * 1024, 10, why,
				    sizeof(why))) TH_LOG("new transfer: %s", why);
}

/*
 * The network refuses activations (the seed's 561): last_error shows it,
 * attempts are spaced by a growing back-off, and the context comes up
 * once the network allows it.
 */
TEST_F_TIMEOUT(rcv, activation_refused_backoff, 200)
{
	long t[4] = { 0 }, n, seen = 0;
	char r[256], why[256];
	long end;

	if (!self->ec200u)
		SKIP(return, "actfail: the simulator refuses activations on EC200U only");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim actfail 1 561 1000")) TH_LOG("%s", r);
	ASSERT_EQ(0, put_attr(self->ctx1, "apn", "internet"));
	ASSERT_EQ(0, put_attr(self->ctx1, "autoconnect", "1"));
	end = now_ms() + 30000;
	while (seen < 4 && now_ms() < end) {
		n = ctx1_num(self, "retries");
		if (n > seen && n <= 4)
			t[n - 1] = now_ms();
		if (n > seen)
			seen = n;
		sleep_ms(20);
	}
	ASSERT_LE(4, seen) TH_LOG("only %ld attempts in 30 s", seen);
	EXPECT_EQ(561, ctx1_num(self, "last_error"));
	EXPECT_STRNE("up", attr(self->ctx1, "state", r, sizeof(r)));
	TH_LOG("attempts at +0, +%ld, +%ld, +%ld ms", t[1] - t[0], t[2] - t[0],
	       t[3] - t[0]);
	EXPECT_LT(t[1] - t[0] + 500, t[2] - t[1]) TH_LOG("the back-off does not grow");
	EXPECT_LT(t[2] - t[1] + 1000, t[3] - t[2]) TH_LOG("the back-off does not grow");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim actfail 1 0")) TH_LOG("%s", r);
	ASSERT_TRUE(attr_within(self->ctx1, "state", "up", 60000))
		TH_LOG("not up once the network allows it");
	EXPECT_EQ(0, ctx1_num(self, "last_error"));
	EXPECT_EQ(0, peer_roundtrip(self->node, "127.0.0.1", 64 * 1024, 11, why,
				    sizeof(why))) TH_LOG("transfer: %s", why);
}

TEST_HARNESS_MAIN
