// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of the services on the control node (DNS lookup, ping,
 * NTP, the last error), run inside QEMU against the simulator.
 *
 * The guest's ttyS1 is the simulated module (qisock-sim), its ttyS2 the
 * host peer (tools/testing/peer.py), which relays "sim <command>" to the
 * simulator's control socket. The simulator resolves dotted quads to
 * themselves and the names of its --host table (tools/testing/qemu-run.sh
 * gives it qisock.test=127.0.0.1 and blackhole.test=192.0.2.1); it answers
 * pings itself except for 192.0.2.0/24, which never answers; its NTP
 * reports the host's UTC clock.
 *
 * No qisock module or no host peer (QISOCK_PEER unset) is a SKIP saying
 * so; what a model cannot do is decided from the dialect in sysfs.
 *
 * Environment: QISOCK_TTY (/dev/ttyS1), QISOCK_PEER (the host peer's tty),
 * QISOCK_LDISC (29), QISOCK_TIMEOUT (20 s to wait for a state change).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <linux/qisock.h>

#include "kselftest_harness.h"
#include "qisock_selftest.h"

#define KNOWN_NAME	"qisock.test"		/* --host qisock.test=127.0.0.1 */
#define KNOWN_ADDR	"127.0.0.1"
#define SILENT_ADDR	"192.0.2.1"		/* TEST-NET-1: never answers */
#define UNKNOWN_NAME	"nowhere.invalid"

/* ---- the host peer (qs_peer_*()) and the simulator ----------------------- */

/* Bytes the simulator received from the host so far. */
static int sim_rx(unsigned long long *rx)
{
	char r[256];
	const char *p;

	if (qs_peer_cmd(r, sizeof(r), 10000, "sim stats"))
		return -1;
	p = strstr(r, " rx=");
	if (!p)
		return -1;
	*rx = strtoull(p + 4, NULL, 10);
	return 0;
}

/* ---- the fixture: a freshly attached modem, context 1 up ----------------- */

FIXTURE(svc) {
	int tty_fd;
	char dev[PATH_MAX];	/* /sys/class/qisock/qisockM */
	char node[64];		/* /dev/qisockM */
	bool bc66;
	int fd;			/* the control node, blocking */
};

FIXTURE_SETUP(svc)
{
	const char *tty = env_or("QISOCK_TTY", "/dev/ttyS1");
	char dialect[16] = "";
	long end;
	const char *why;

	self->tty_fd = -1;
	self->fd = -1;
	why = qs_attach_unsupported();
	if (why)
		SKIP(return, "%s", why);
	qs_attach_fresh(_metadata, tty, &self->tty_fd, self->dev, sizeof(self->dev));
	ASSERT_LT(0, read_attr(self->dev, "dialect", dialect, sizeof(dialect)));
	self->bc66 = !strcmp(dialect, "bc66");
	snprintf(self->node, sizeof(self->node), "/dev/%s", strrchr(self->dev, '/') + 1);
	end = now_ms() + 5000;
	while (access(self->node, F_OK) && now_ms() < end)
		sleep_ms(20);
	/* BC66: its one context is up once registered (no AT+QIACT) */
	if (!self->bc66)
		qs_ctx1_up(_metadata, self->dev);
	self->fd = open(self->node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", self->node, strerror(errno));
}

FIXTURE_TEARDOWN(svc)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->tty_fd >= 0) {
		close(self->tty_fd);
		if (!wait_no_dev(env_or("QISOCK_TTY", "/dev/ttyS1"), cfg_timeout_ms())) {
			TH_LOG("qisock device not removed at teardown");
			_metadata->exit_code = KSFT_FAIL;
		}
	}
}

static void resolve_req(struct qisock_resolve *q, const char *host)
{
	memset(q, 0, sizeof(*q));
	q->context_id = 1;
	snprintf(q->host, sizeof(q->host), "%s", host);
}

static void ping_req(struct qisock_ping *q, const char *host, int tmo, int count)
{
	memset(q, 0, sizeof(*q));
	q->context_id = 1;
	q->timeout = tmo;
	q->count = count;
	snprintf(q->host, sizeof(q->host), "%s", host);
}

static void ntp_req(struct qisock_ntp *q, const char *server)
{
	memset(q, 0, sizeof(*q));
	q->context_id = 1;
	snprintf(q->server, sizeof(q->server), "%s", server);
}

/* ioctl() returning the errno, 0 on success. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? errno : 0;
}

/* ---- DNS ---------------------------------------------------------------- */

TEST_F_TIMEOUT(svc, svc_resolve_known_name, 120)
{
	struct qisock_resolve q;

	resolve_req(&q, KNOWN_NAME);
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_RESOLVE, &q)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, q.module_error);
	ASSERT_LE(1, q.count);
	EXPECT_LE(q.count, q.total);
	EXPECT_STREQ(KNOWN_ADDR, q.addr[0]);
	EXPECT_STREQ(KNOWN_NAME, q.host);
	EXPECT_EQ(0, q.reserved[0] | q.reserved[1] | q.reserved[2]);
}

TEST_F_TIMEOUT(svc, svc_resolve_unknown_565, 120)
{
	struct qisock_resolve q;

	resolve_req(&q, UNKNOWN_NAME);
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_RESOLVE, &q)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(565, q.module_error) TH_LOG("the seed's \"DNS parse failed\"");
	EXPECT_EQ(0, q.count);
	EXPECT_STREQ("", q.addr[0]);
}

/* ---- ping --------------------------------------------------------------- */

TEST_F_TIMEOUT(svc, svc_ping_replies_and_summary, 120)
{
	unsigned int i, min = ~0u, max = 0, sum = 0;
	struct qisock_ping q;

	ping_req(&q, KNOWN_NAME, 2, 3);
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_PING, &q)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, q.module_error);
	ASSERT_EQ(3, q.nreplies);
	for (i = 0; i < q.nreplies; i++) {
		EXPECT_EQ(0, q.reply[i].result) TH_LOG("reply %u", i);
		EXPECT_STREQ(KNOWN_ADDR, q.reply[i].addr);
		EXPECT_EQ(32, q.reply[i].bytes);	/* the default size */
		EXPECT_LT(0, q.reply[i].ttl);
		if (q.reply[i].time_ms < min)
			min = q.reply[i].time_ms;
		if (q.reply[i].time_ms > max)
			max = q.reply[i].time_ms;
		sum += q.reply[i].time_ms;
	}
	/* the summary agrees with the replies */
	EXPECT_EQ(3, q.sent);
	EXPECT_EQ(3, q.rcvd);
	EXPECT_EQ(0, q.lost);
	EXPECT_EQ(min, q.min_ms);
	EXPECT_EQ(max, q.max_ms);
	EXPECT_EQ(sum / 3, q.avg_ms);
}

TEST_F_TIMEOUT(svc, svc_ping_no_answer, 120)
{
	struct qisock_ping q;

	ping_req(&q, SILENT_ADDR, 1, 2);
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_PING, &q)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, q.module_error);
	ASSERT_EQ(2, q.nreplies);
	EXPECT_EQ(569, q.reply[0].result) TH_LOG("a lost request: operation timeout");
	EXPECT_EQ(569, q.reply[1].result);
	EXPECT_EQ(2, q.sent);
	EXPECT_EQ(0, q.rcvd);
	EXPECT_EQ(2, q.lost);
}

/* ---- NTP ---------------------------------------------------------------- */

TEST_F_TIMEOUT(svc, svc_ntp_time, 180)
{
	struct qisock_ntp q;
	struct tm tm = { 0 };
	time_t before, after;
	const char *fmt;

	ntp_req(&q, KNOWN_ADDR);
	before = time(NULL);
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_NTP, &q)) TH_LOG("%s", strerror(errno));
	after = time(NULL);
	ASSERT_EQ(0, q.module_error);
	/* what the simulator reported, read here independently */
	fmt = self->bc66 ? "%y/%m/%d,%H:%M:%S" : "%Y/%m/%d,%H:%M:%S";
	ASSERT_NE(NULL, strptime(q.text, fmt, &tm)) TH_LOG("text \"%s\"", q.text);
	EXPECT_EQ(timegm(&tm) - q.tz_quarters * 15 * 60, (time_t)q.time)
		TH_LOG("text \"%s\" tz %d", q.text, q.tz_quarters);
	EXPECT_EQ(0, q.tz_quarters) TH_LOG("the simulator reports UTC, +00");
	/*
	 * The simulator's clock is the host's; the guest's came from the
	 * host's RTC at boot: a few seconds apart at most.
	 */
	EXPECT_LE(before - 5, (time_t)q.time) TH_LOG("NTP %lld, guest %lld",
						     (long long)q.time, (long long)before);
	EXPECT_GE(after + 5, (time_t)q.time) TH_LOG("NTP %lld, guest %lld",
						    (long long)q.time, (long long)after);
}

/* ---- errors ------------------------------------------------------------- */

/*
 * BC66: its one context is the network attachment; "sim pdpdeact 1" drops
 * it for a second (the simulator re-attaches after 1 s), and the module
 * refuses a lookup meanwhile: ERROR, AT+QIGETERROR 561. The BC66 dialect
 * has no AT+QIACT? to ask first, so the request does reach the module.
 */
static int bc66_resolve_detached(struct __test_metadata *_metadata,
				 FIXTURE_DATA(svc) *self)
{
	struct qisock_resolve r;
	char reply[128];
	int err;

	resolve_req(&r, KNOWN_NAME);
	if (qs_peer_cmd(reply, sizeof(reply), 5000, "sim pdpdeact 1")) {
		TH_LOG("sim pdpdeact 1: %s", reply);
		return -1;
	}
	err = xioctl(self->fd, QISOCK_IOC_RESOLVE, &r);
	sleep_ms(1500);		/* registered again */
	return err;
}

/*
 * A plain ERROR: the errno comes from the module's code (AT+QIGETERROR),
 * and LAST_ERROR reports it. EC200U: setting the DNS servers of context
 * 3, which is down, is refused with ERROR; AT+QIGETERROR says 561 "PDP
 * context opening failed": ENETDOWN. BC66: a lookup while detached.
 */
TEST_F_TIMEOUT(svc, svc_last_error_after_failure, 120)
{
	char dir[PATH_MAX + 16];
	struct qisock_error e;

	if (self->bc66) {
		EXPECT_EQ(ENETDOWN, bc66_resolve_detached(_metadata, self))
			TH_LOG("the errno of <err> 561, not a plain EIO");
	} else {
		snprintf(dir, sizeof(dir), "%s/ctx3", self->dev);
		EXPECT_EQ(ENETDOWN, put_attr(dir, "dns", "10.0.0.53"))
			TH_LOG("the errno of <err> 561, not a plain EIO");
	}
	memset(&e, 0xff, sizeof(e));
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_LAST_ERROR, &e)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(561, e.code);
	EXPECT_STREQ(self->bc66 ? "open pdp context failed" : "pdp context opening failed",
		     e.text);
	EXPECT_EQ(0, e.reserved[0] | e.reserved[1] | e.reserved[2]);
}

TEST_F_TIMEOUT(svc, svc_bad_input_nothing_sent, 120)
{
	static const char * const hosts[] = {
		"a\"b", "host\r", "a,b", "new\nline", "\x80x", "", "semi;colon",
	};
	unsigned long long rx0, rx1;
	struct qisock_resolve r;
	struct qisock_ping p;
	struct qisock_ntp n;
	unsigned int i;

	ASSERT_EQ(0, sim_rx(&rx0));
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		resolve_req(&r, hosts[i]);
		EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_RESOLVE, &r)) TH_LOG("host #%u", i);
	}
	resolve_req(&r, KNOWN_NAME);
	memset(r.host, 'a', sizeof(r.host));
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_RESOLVE, &r)) TH_LOG("no NUL");
	resolve_req(&r, KNOWN_NAME);
	r.context_id = 0;
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_RESOLVE, &r)) TH_LOG("context 0");
	resolve_req(&r, KNOWN_NAME);
	r.reserved[1] = 7;
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_RESOLVE, &r)) TH_LOG("reserved");
	ping_req(&p, KNOWN_ADDR, 256, 1);
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_PING, &p)) TH_LOG("timeout 256");
	ping_req(&p, KNOWN_ADDR, 1, 11);
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_PING, &p)) TH_LOG("count 11");
	ping_req(&p, KNOWN_ADDR, 1, 1);
	p.size = self->bc66 ? 201 : 64;	/* EC200U has no <ping_size> */
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_PING, &p)) TH_LOG("size %u", p.size);
	ntp_req(&n, KNOWN_ADDR);
	n.port = 70000;
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_NTP, &n)) TH_LOG("port 70000");
	ntp_req(&n, KNOWN_ADDR);
	n.retry_interval = 61;
	EXPECT_EQ(EINVAL, xioctl(self->fd, QISOCK_IOC_NTP, &n)) TH_LOG("interval 61");
	sleep_ms(500);
	ASSERT_EQ(0, sim_rx(&rx1));
	EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
}

TEST_F_TIMEOUT(svc, svc_context_down_enetdown, 120)
{
	struct qisock_resolve r;

	if (self->bc66) {
		/* no AT+QIACT? on BC66: the module's 561 says it */
		EXPECT_EQ(ENETDOWN, bc66_resolve_detached(_metadata, self));
		return;
	}
	resolve_req(&r, KNOWN_NAME);
	r.context_id = 2;	/* configured by nobody, never activated */
	EXPECT_EQ(ENETDOWN, xioctl(self->fd, QISOCK_IOC_RESOLVE, &r));
}

/* ---- the request's life ------------------------------------------------- */

TEST_F_TIMEOUT(svc, svc_nonblock_poll_collect, 120)
{
	struct qisock_resolve r;
	struct pollfd pfd;
	struct qisock_ping q;
	int fd;

	fd = open(self->node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ping_req(&q, SILENT_ADDR, 1, 2);	/* two seconds at least */
	EXPECT_EQ(EINPROGRESS, xioctl(fd, QISOCK_IOC_PING, &q));
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(EALREADY, xioctl(fd, QISOCK_IOC_PING, &q));
	ASSERT_EQ(1, poll(&pfd, 1, 20000)) TH_LOG("no POLLIN within 20 s");
	EXPECT_TRUE(pfd.revents & POLLIN);
	ASSERT_EQ(0, xioctl(fd, QISOCK_IOC_PING, &q));
	EXPECT_EQ(2, q.nreplies);
	EXPECT_EQ(2, q.sent);
	/* collected: the slot is free again */
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	resolve_req(&r, KNOWN_NAME);
	EXPECT_EQ(EINPROGRESS, xioctl(fd, QISOCK_IOC_RESOLVE, &r));
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F_TIMEOUT(svc, svc_signal_then_collect, 120)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 300000 } };
	struct qisock_ping q;
	long t0;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ping_req(&q, SILENT_ADDR, 1, 2);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	t0 = now_ms();
	EXPECT_EQ(EINTR, xioctl(self->fd, QISOCK_IOC_PING, &q));
	EXPECT_GT(1500, now_ms() - t0) TH_LOG("the signal did not end the wait");
	/* the request went on: the same call collects its result */
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_PING, &q)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, q.module_error);
	EXPECT_EQ(2, q.nreplies);
	EXPECT_EQ(2, q.sent);
	EXPECT_EQ(2, q.lost);
	signal(SIGALRM, SIG_DFL);
}

TEST_F_TIMEOUT(svc, svc_one_request_per_file_ebusy, 120)
{
	struct qisock_resolve r;
	struct qisock_ping q, other;
	int fd, fd2;

	fd = open(self->node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	fd2 = open(self->node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ping_req(&q, SILENT_ADDR, 1, 2);
	EXPECT_EQ(EINPROGRESS, xioctl(fd, QISOCK_IOC_PING, &q));
	resolve_req(&r, KNOWN_NAME);
	EXPECT_EQ(EBUSY, xioctl(fd, QISOCK_IOC_RESOLVE, &r)) TH_LOG("another kind");
	ping_req(&other, KNOWN_ADDR, 1, 2);
	EXPECT_EQ(EBUSY, xioctl(fd, QISOCK_IOC_PING, &other)) TH_LOG("other arguments");
	/* another file's ping waits its turn; a resolve is not held up */
	EXPECT_EQ(EINPROGRESS, xioctl(fd2, QISOCK_IOC_PING, &other));
	ASSERT_EQ(0, xioctl(self->fd, QISOCK_IOC_RESOLVE, &r));
	EXPECT_STREQ(KNOWN_ADDR, r.addr[0]);
	EXPECT_EQ(EALREADY, xioctl(fd2, QISOCK_IOC_PING, &other)) TH_LOG("it waits for the first");
	close(fd);
	close(fd2);
}

/* The module restarts (RDY) while a ping runs: ENETRESET at once. */
TEST_F_TIMEOUT(svc, svc_module_reboot_enetreset, 120)
{
	struct pollfd pfd = { .events = POLLIN };
	struct qisock_ping q;
	char r[128];

	pfd.fd = open(self->node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, pfd.fd);
	ping_req(&q, SILENT_ADDR, 5, 4);	/* 20 s unless ended */
	EXPECT_EQ(EINPROGRESS, xioctl(pfd.fd, QISOCK_IOC_PING, &q));
	sleep_ms(200);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot")) TH_LOG("%s", r);
	ASSERT_EQ(1, poll(&pfd, 1, 5000)) TH_LOG("RDY did not end the request");
	EXPECT_EQ(ENETRESET, xioctl(pfd.fd, QISOCK_IOC_PING, &q));
	close(pfd.fd);
}

/*
 * Detach while a request runs: it ends with EIO, the file outlives the
 * modem, and nothing new starts on it.
 */
TEST_F_TIMEOUT(svc, svc_detach_eio, 120)
{
	struct pollfd pfd = { .events = POLLIN };
	struct qisock_resolve rq;
	struct qisock_ping q;

	pfd.fd = open(self->node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, pfd.fd);
	ping_req(&q, SILENT_ADDR, 5, 4);
	EXPECT_EQ(EINPROGRESS, xioctl(pfd.fd, QISOCK_IOC_PING, &q));
	close(self->tty_fd);		/* the line discipline goes */
	self->tty_fd = -1;
	ASSERT_TRUE(wait_no_dev(env_or("QISOCK_TTY", "/dev/ttyS1"), cfg_timeout_ms()));
	ASSERT_EQ(1, poll(&pfd, 1, 5000)) TH_LOG("detach did not end the request");
	EXPECT_EQ(EIO, xioctl(pfd.fd, QISOCK_IOC_PING, &q));
	resolve_req(&rq, KNOWN_NAME);
	EXPECT_EQ(EIO, xioctl(pfd.fd, QISOCK_IOC_RESOLVE, &rq));
	EXPECT_EQ(EIO, xioctl(self->fd, QISOCK_IOC_RESOLVE, &rq));
	close(pfd.fd);
}

/* Runs last: nothing above left a kernel warning, BUG or oops behind. */
QS_DMESG_CLEAN_TEST(zz_svc_log, services_dmesg_clean)

TEST_HARNESS_MAIN
