// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of deep sleep (BC66/BC66-NA, seed 001 2.3.1, 2.3.12,
 * 2.4), run inside QEMU against the simulator, which sleeps on its control
 * command "sleep" or by itself ("sleep auto MS"), swallows the first
 * command line after a wake-up, resets "echomode" then, and in PSM ("sleep
 * urc drop") reports no URC. The driver must wake it before a command
 * (stats/wakeups), lose nothing a program sent or was sent, keep UDP
 * sockets across sleep, and read what arrived unannounced.
 *
 * The EC200U/EG915U never sleep: there the test checks that the simulator
 * refuses to and that the driver sends no wake sequence.
 *
 * No qisock module or no host peer (QISOCK_PEER unset) is a SKIP saying
 * so. Environment: QISOCK_TTY (/dev/ttyS1), QISOCK_PEER, QISOCK_LDISC
 * (29), QISOCK_TIMEOUT (20 s to wait for a state change).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#include "kselftest_harness.h"
#include "qisock_selftest.h"
#include "qisock_peer.h"

FIXTURE(slp) {
	int tty_fd;
	char dev[PATH_MAX];	/* /sys/class/qisock/qisockM */
	char node[64];		/* /dev/qisockM */
	bool bc66;
	int fd[2];
};

FIXTURE_SETUP(slp)
{
	const char *tty = env_or("QISOCK_TTY", "/dev/ttyS1");
	char dialect[16] = "", r[128];
	const char *why;

	self->tty_fd = -1;
	self->fd[0] = self->fd[1] = -1;
	why = qs_attach_unsupported();
	if (why)
		SKIP(return, "%s", why);
	qs_attach_fresh(_metadata, tty, &self->tty_fd, self->dev, sizeof(self->dev));
	ASSERT_LT(0, read_attr(self->dev, "dialect", dialect, sizeof(dialect)));
	self->bc66 = !strcmp(dialect, "bc66");
	snprintf(self->node, sizeof(self->node), "/dev/%s", strrchr(self->dev, '/') + 1);
	if (!self->bc66) {
		qs_ctx1_up(_metadata, self->dev);
		return;
	}
	/* the network's configuration: kept across reboots, so set it */
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim sleep auto off")) TH_LOG("%s", r);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim sleep urc delay")) TH_LOG("%s", r);
}

FIXTURE_TEARDOWN(slp)
{
	char r[128];
	int i;

	for (i = 0; i < 2; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	if (self->bc66) {
		qs_peer_cmd(r, sizeof(r), 5000, "sim sleep auto off");
		qs_peer_cmd(r, sizeof(r), 5000, "sim sleep urc delay");
	}
	if (self->tty_fd >= 0) {
		close(self->tty_fd);
		if (!wait_no_dev(env_or("QISOCK_TTY", "/dev/ttyS1"), cfg_timeout_ms())) {
			TH_LOG("qisock device not removed at teardown");
			_metadata->exit_code = KSFT_FAIL;
		}
	}
}

static unsigned long stat_of(FIXTURE_DATA(slp) *self, const char *name)
{
	char dir[PATH_MAX + 8], v[32] = "";

	snprintf(dir, sizeof(dir), "%s/stats", self->dev);
	if (read_attr(dir, name, v, sizeof(v)) < 0)
		return ~0ul;
	return strtoul(v, NULL, 10);
}

/* "sim sleep?": asleep=0|1 wakeups=N swallowed=N; -1 on error. */
static long sim_sleep_kv(const char *key)
{
	char r[256];
	const char *v;

	if (qs_peer_cmd(r, sizeof(r), 5000, "sim sleep?"))
		return -1;
	v = kv(r, key);
	return v ? strtol(v, NULL, 10) : -1;
}

/*
 * "sim sleep", repeated while the simulator is busy (a reply, a held URC,
 * a read the driver has just begun): 0, or -1 with its reply in @r.
 */
static int sim_sleep_now(char *r, size_t len)
{
	long end = now_ms() + 3000;
	int ret;

	do {
		ret = qs_peer_cmd(r, len, 5000, "sim sleep");
		if (!ret || !strstr(r, "busy"))
			return ret;
		sleep_ms(50);
	} while (now_ms() < end);
	return ret;
}

static bool asleep_within(int ms)
{
	long end = now_ms() + ms;

	do {
		if (sim_sleep_kv("asleep") == 1)
			return true;
		sleep_ms(50);
	} while (now_ms() < end);
	return false;
}

/* Open connectID @id as a client of 127.0.0.1:@port; the fd or -errno. */
static int sk_client(FIXTURE_DATA(slp) *self, int id, int service, int port)
{
	struct qisock_open q = {
		.service = service, .access_mode = QISOCK_ACCESS_BUFFER,
		.context_id = 1, .connect_id = -1, .remote_port = port,
	};
	char path[96];
	int fd, err;

	snprintf(q.host, sizeof(q.host), "127.0.0.1");
	snprintf(path, sizeof(path), "%ss%d", self->node, id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, QISOCK_IOC_OPEN, &q) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

/* One datagram of @n pattern bytes out, its echo back within @ms. */
static int dgram_echo(int fd, size_t n, uint32_t seed, int ms, char *why,
		      size_t wl)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t out[1460], in[1600];
	uint32_t st = seed;
	ssize_t got;

	fill_pattern(&st, out, n);
	if (write(fd, out, n) != (ssize_t)n) {
		snprintf(why, wl, "write %zu: %s", n, strerror(errno));
		return -1;
	}
	if (poll(&p, 1, ms) != 1) {
		snprintf(why, wl, "no echo of %zu bytes in %d ms", n, ms);
		return -1;
	}
	got = read(fd, in, sizeof(in));
	if (got != (ssize_t)n || memcmp(in, out, n)) {
		snprintf(why, wl, "echo of %zu bytes: read %zd (%s)", n, got,
			 got < 0 ? strerror(errno) : "content");
		return -1;
	}
	return 0;
}

/*
 * EC200U/EG915U: no deep sleep (seed 000 has none). The simulator refuses
 * it and the driver never sends a wake sequence, even after a pause.
 */
TEST_F_TIMEOUT(slp, never_on_ec200u, 60)
{
	char r[128], v[64], dir[PATH_MAX + 8];

	if (self->bc66)
		SKIP(return, "BC66 sleeps: the other tests of this file");
	EXPECT_NE(0, qs_peer_cmd(r, sizeof(r), 5000, "sim sleep"));
	EXPECT_NE(NULL, strstr(r, "no deep sleep")) TH_LOG("%s", r);
	sleep_ms(1500);
	/* a command after a pause (AT+COPS?): no "AT" before it */
	snprintf(dir, sizeof(dir), "%s/status", self->dev);
	EXPECT_LT(0, read_attr(dir, "operator", v, sizeof(v)));
	EXPECT_EQ(0ul, stat_of(self, "wakeups"));
}

/*
 * A UDP socket survives deep sleep (seed 001 2.3.1): a datagram written
 * while the module sleeps wakes it (its first command line is swallowed),
 * goes out and its echo comes back; the wake-up's "echomode" reset never
 * shows as echoed data. The driver counts the wake sequence.
 */
TEST_F_TIMEOUT(slp, udp_across_sleep, 120)
{
	unsigned long wk0;
	long swallowed0;
	char r[128], why[128];
	int port, i;

	if (!self->bc66)
		SKIP(return, "EC200U/EG915U never sleep (never_on_ec200u)");
	ASSERT_EQ(0, peer_serve(&port, NULL, "udp"));
	self->fd[0] = sk_client(self, 0, QISOCK_UDP, port);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open UDP: %s", strerror(-self->fd[0]));
	ASSERT_EQ(0, dgram_echo(self->fd[0], 100, 1, 20000, why, sizeof(why))) TH_LOG("%s", why);
	for (i = 0; i < 3; i++) {
		sleep_ms(300);		/* the driver's last "+QIRD: 0" */
		wk0 = stat_of(self, "wakeups");
		swallowed0 = sim_sleep_kv("swallowed");
		ASSERT_EQ(0, sim_sleep_now(r, sizeof(r))) TH_LOG("%s", r);
		ASSERT_TRUE(asleep_within(2000));
		sleep_ms(1200);		/* past the driver's idle time */
		ASSERT_EQ(0, dgram_echo(self->fd[0], i ? 1460 : 700, 10 + i, 20000,
					why, sizeof(why))) TH_LOG("after sleep %d: %s", i, why);
		EXPECT_LT(wk0, stat_of(self, "wakeups"));
		EXPECT_LT(swallowed0, sim_sleep_kv("swallowed"))
			TH_LOG("the simulator swallowed nothing: was it asleep?");
	}
	EXPECT_EQ(0ul, stat_of(self, "silent_resyncs")) TH_LOG("sleep taken for a hang");
	EXPECT_EQ(0ul, stat_of(self, "reboots"));
}

/*
 * A TCP session keeps the module awake (seed 001 2.3.1): the simulator
 * refuses to sleep while one exists, and sleeps once it is closed.
 */
TEST_F_TIMEOUT(slp, tcp_keeps_awake, 120)
{
	char r[128];
	int port;

	if (!self->bc66)
		SKIP(return, "EC200U/EG915U never sleep (never_on_ec200u)");
	ASSERT_EQ(0, peer_serve(&port, NULL, "tcp echo=1"));
	self->fd[0] = sk_client(self, 1, QISOCK_TCP, port);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open TCP: %s", strerror(-self->fd[0]));
	EXPECT_NE(0, sim_sleep_now(r, sizeof(r)));
	EXPECT_NE(NULL, strstr(r, "tcp session")) TH_LOG("%s", r);
	close(self->fd[0]);
	self->fd[0] = -1;
	sleep_ms(1000);		/* QICLOSE, then CLOSE OK */
	EXPECT_EQ(0, sim_sleep_now(r, sizeof(r))) TH_LOG("%s", r);
}

/*
 * PSM: no URC while asleep. The echo of a datagram arrives while the
 * module sleeps and is not announced; the module keeps it in its buffer.
 * The next command wakes it, and the driver reads every buffer-mode
 * socket after a wake-up: the echo arrives, and so does the next one.
 */
TEST_F_TIMEOUT(slp, psm_unannounced_data_read, 120)
{
	struct pollfd p = { .events = POLLIN };
	uint8_t out[300], in[400];
	uint32_t st = 5;
	char r[128], why[128];
	int port;

	if (!self->bc66)
		SKIP(return, "EC200U/EG915U never sleep (never_on_ec200u)");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim sleep urc drop")) TH_LOG("%s", r);
	ASSERT_EQ(0, peer_serve(&port, NULL, "udp wdelay=1500"));
	self->fd[0] = sk_client(self, 2, QISOCK_UDP, port);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open UDP: %s", strerror(-self->fd[0]));
	fill_pattern(&st, out, sizeof(out));
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fd[0], out, sizeof(out)));
	ASSERT_EQ(0, sim_sleep_now(r, sizeof(r))) TH_LOG("%s", r);
	ASSERT_TRUE(asleep_within(2000));
	sleep_ms(2500);		/* the echo arrived while asleep: no URC */
	p.fd = self->fd[0];
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("a URC came in PSM?");
	/* any command wakes it: this datagram's echo comes 1.5 s later */
	ASSERT_EQ(0, dgram_echo(self->fd[0], sizeof(out), 5, 20000, why, sizeof(why)))
		TH_LOG("the first echo, unannounced: %s", why);
	ASSERT_EQ(1, poll(&p, 1, 20000)) TH_LOG("the second echo");
	ASSERT_EQ((ssize_t)sizeof(out), read(self->fd[0], in, sizeof(in)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(out)));
}

/*
 * @n datagrams, each echoed, with a pause of @pause_ms before every
 * fourth; 0 or -1 with the reason in @why.
 */
static int dgrams_with_pauses(int fd, int n, int pause_ms, char *why,
			      size_t wl)
{
	char one[128];
	int i;

	for (i = 0; i < n; i++) {
		if (i % 4 == 3)
			sleep_ms(pause_ms);
		if (dgram_echo(fd, 1 + (i * 331) % 1460, 100 + i, 20000, one,
			       sizeof(one))) {
			snprintf(why, wl, "datagram %d: %s", i, one);
			return -1;
		}
	}
	return 0;
}

/* What the peer saw: the sizes dgrams_with_pauses() sent, in order. */
static void expect_peer_dgrams(struct __test_metadata *_metadata, int port, int n)
{
	char r[1024], want[512] = "";
	int i;

	for (i = 0; i < n; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%d",
			 i ? "," : "", 1 + (i * 331) % 1460);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "result %d timeout=0", port));
	EXPECT_STREQ(want, kv(r, "dgrams") ?: "") TH_LOG("%s", r);
}

/*
 * The module sleeps by itself between the datagrams of a transfer (after
 * 1.5 s idle; the program pauses 2 s now and then): the driver wakes it
 * first each time, and every datagram and its echo arrive, in order,
 * none lost or doubled.
 */
TEST_F_TIMEOUT(slp, auto_sleep_between_datagrams, 300)
{
	char r[128], why[192];
	long wk0;
	int port;

	if (!self->bc66)
		SKIP(return, "EC200U/EG915U never sleep (never_on_ec200u)");
	ASSERT_EQ(0, peer_serve(&port, NULL, "udp"));
	self->fd[0] = sk_client(self, 3, QISOCK_UDP, port);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open UDP: %s", strerror(-self->fd[0]));
	wk0 = sim_sleep_kv("wakeups");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim sleep auto 1500")) TH_LOG("%s", r);
	ASSERT_EQ(0, dgrams_with_pauses(self->fd[0], 16, 2000, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_LE(wk0 + 3, sim_sleep_kv("wakeups")) TH_LOG("the module hardly slept");
	expect_peer_dgrams(_metadata, port, 16);
	EXPECT_EQ(0ul, stat_of(self, "reboots"));
}

/*
 * The module falls asleep sooner than the driver's guess (after 700 ms;
 * the driver wakes it first only after 1 s): the command after a pause
 * of 850 ms is lost to the wake-up, and the driver sends it again after
 * its resync (wake_retries) instead of failing the write.
 */
TEST_F_TIMEOUT(slp, early_sleep_command_sent_again, 300)
{
	char r[128], why[192];
	unsigned long again0;
	int port;

	if (!self->bc66)
		SKIP(return, "EC200U/EG915U never sleep (never_on_ec200u)");
	ASSERT_EQ(0, peer_serve(&port, NULL, "udp"));
	self->fd[0] = sk_client(self, 4, QISOCK_UDP, port);
	ASSERT_LE(0, self->fd[0]) TH_LOG("open UDP: %s", strerror(-self->fd[0]));
	again0 = stat_of(self, "wake_retries");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim sleep auto 700")) TH_LOG("%s", r);
	ASSERT_EQ(0, dgrams_with_pauses(self->fd[0], 12, 850, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_LT(again0, stat_of(self, "wake_retries")) TH_LOG("no command was lost?");
	expect_peer_dgrams(_metadata, port, 12);
	EXPECT_EQ(0ul, stat_of(self, "reboots"));
}

QS_DMESG_CLEAN_TEST(zz_sleep_log, sleep_dmesg_clean)

TEST_HARNESS_MAIN
