/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the qisock selftests (qisock_test.c, sockets_test.c,
 * qicfg_test.c, recover_test.c, services_test.c). Include after
 * kselftest_harness.h: the helpers that take _metadata log with TH_LOG()
 * and ASSERT_*() (which ends the whole test, setup included).
 */
#ifndef QISOCK_SELFTEST_H
#define QISOCK_SELFTEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#define SYSFS_CLASS	"/sys/class/qisock"
#define MODULE_NAME	"qisock"

/* ---- configuration and time --------------------------------------------- */

static inline const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/* QISOCK_TIMEOUT: seconds to wait for a state change (20). */
static inline int cfg_timeout_ms(void)
{
	return atoi(env_or("QISOCK_TIMEOUT", "20")) * 1000;
}

static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- sysfs ---------------------------------------------------------------- */

static inline bool module_loaded(void)
{
	return access("/sys/module/" MODULE_NAME, F_OK) == 0;
}

/*
 * Read a one-line sysfs attribute without its trailing newline. Returns its
 * length or a negative errno.
 */
static inline int read_attr(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dev, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

/*
 * Find the qisock device bound to @tty (e.g. "/dev/ttyS1"); store its sysfs
 * path in @dev. Returns true when found.
 */
static inline bool find_dev(const char *tty, char *dev, size_t len)
{
	const char *base = strrchr(tty, '/') ? strrchr(tty, '/') + 1 : tty;
	char path[sizeof(SYSFS_CLASS) + 256], val[64];
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(SYSFS_CLASS);

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYSFS_CLASS "/%s", de->d_name);
		if (read_attr(path, "tty", val, sizeof(val)) >= 0 && !strcmp(val, base)) {
			snprintf(dev, len, "%s", path);
			found = true;
		}
	}
	closedir(d);
	return found;
}

/* Wait up to @ms for the device of @tty to go away. */
static inline bool wait_no_dev(const char *tty, int ms)
{
	long end = now_ms() + ms;
	char dev[PATH_MAX];

	do {
		if (!find_dev(tty, dev, sizeof(dev)))
			return true;
		sleep_ms(20);
	} while (now_ms() < end);
	return false;
}

/* ---- the kernel log ------------------------------------------------------- */

/*
 * Count (and log) kernel warnings, BUGs and oopses. Only lines from the
 * first qisock message on count: the boot itself is not under test.
 * Returns -1 when the log cannot be read.
 */
static inline int qs_dmesg_bad(struct __test_metadata *_metadata)
{
	static const char * const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection fault",
		"UBSAN:", "INFO: task", "list_del corruption", "refcount_t:",
		"kernel BUG", "Call Trace:", "KASAN:", "hung_task",
	};
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf, *line, *save;
	int n, found = 0;
	bool on;
	size_t i;

	if (size <= 0) {
		TH_LOG("klogctl: %s", strerror(errno));
		return -1;
	}
	buf = calloc(1, size + 1);
	if (!buf)
		return -1;
	n = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	if (n < 0) {
		TH_LOG("klogctl: %s", strerror(errno));
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	on = !strstr(buf, MODULE_NAME ":");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!on && strstr(line, MODULE_NAME ":"))
			on = true;
		for (i = 0; on && i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(line, bad[i])) {
				TH_LOG("dmesg: %s", line);
				found++;
				break;
			}
		}
	}
	free(buf);
	return found;
}

/* ---- privileges ------------------------------------------------------------ */

/* Drop CAP_NET_ADMIN from every set of this process (root stays root). */
static inline int qs_drop_cap_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int idx = CAP_TO_INDEX(CAP_NET_ADMIN);
	__u32 mask = CAP_TO_MASK(CAP_NET_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[idx].effective &= ~mask;
	data[idx].permitted &= ~mask;
	data[idx].inheritable &= ~mask;
	return syscall(SYS_capset, &hdr, data);
}

/* ---- the host peer (tools/testing/peer.py) on QISOCK_PEER ------------------ */

static int qs_peer_fd = -1;
static unsigned int qs_peer_tag;

/* Open the peer's tty (raw). 0, -ENOENT (QISOCK_PEER unset) or -errno. */
static inline int qs_peer_open(void)
{
	const char *tty = getenv("QISOCK_PEER");
	struct termios tio;

	if (qs_peer_fd >= 0)
		return 0;
	if (!tty || !*tty)
		return -ENOENT;
	qs_peer_fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (qs_peer_fd < 0)
		return -errno;
	if (tcgetattr(qs_peer_fd, &tio) == 0) {
		cfmakeraw(&tio);
		tio.c_cflag |= CLOCAL | CREAD;
		tio.c_cflag &= ~CRTSCTS;
		tcsetattr(qs_peer_fd, TCSANOW, &tio);
	}
	tcflush(qs_peer_fd, TCIFLUSH);
	return 0;
}

/* Why there is no peer to test with (qs_peer_open() failed with @err). */
static inline const char *qs_no_peer_why(int err)
{
	static char why[128];

	if (err == -ENOENT && (!getenv("QISOCK_PEER") || !*getenv("QISOCK_PEER")))
		return "QISOCK_PEER not set: no host peer (tools/testing/peer.py)";
	snprintf(why, sizeof(why), "host peer %s: %s", getenv("QISOCK_PEER"),
		 strerror(-err));
	return why;
}

/* Read the reply line tagged @tag within @wait_ms into @out. */
static inline int qs_peer_reply(const char *tag, char *out, size_t len,
				int wait_ms)
{
	long end = now_ms() + wait_ms;
	char line[1024];
	size_t n = 0, tl = strlen(tag);

	while (now_ms() < end) {
		struct pollfd p = { .fd = qs_peer_fd, .events = POLLIN };
		char c;

		if (poll(&p, 1, end - now_ms()) <= 0 || read(qs_peer_fd, &c, 1) != 1)
			break;
		if (c == '\r')
			continue;
		if (c != '\n') {
			if (n < sizeof(line) - 1)
				line[n++] = c;
			continue;
		}
		line[n] = '\0';
		n = 0;
		if (strncmp(line, tag, tl) || line[tl] != ' ')
			continue;	/* a stale reply */
		snprintf(out, len, "%s", line + tl + 1);
		return strncmp(out, "ok", 2) ? -1 : 0;
	}
	return -1;
}

/*
 * One command to the peer ("sim <control command>" goes on to the
 * simulator's control socket); its reply, without the tag, in @out.
 * Returns 0 for "ok ...", -1 otherwise.
 */
static inline __attribute__((format(printf, 4, 5)))
int qs_peer_cmd(char *out, size_t len, int wait_ms, const char *fmt, ...)
{
	char cmd[512], tag[16];
	va_list ap;
	int k;

	snprintf(out, len, "error no reply");
	if (qs_peer_fd < 0)
		return -1;
	snprintf(tag, sizeof(tag), "@%u%u", (unsigned int)getpid() % 1000,
		 ++qs_peer_tag);
	k = snprintf(cmd, sizeof(cmd), "%s ", tag);
	va_start(ap, fmt);
	k += vsnprintf(cmd + k, sizeof(cmd) - k - 1, fmt, ap);
	va_end(ap);
	if (k >= (int)sizeof(cmd) - 1)
		return -1;
	cmd[k++] = '\n';
	if (write(qs_peer_fd, cmd, k) != k)
		return -1;
	return qs_peer_reply(tag, out, len, wait_ms);
}

/* ---- attaching the modem (the simulator behind QISOCK_TTY) ---------------- */

/* Write @val to @dir/@name (truncating); 0 or the errno. */
static inline int put_attr(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX + 64];
	ssize_t w;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return errno;
	w = write(fd, val, strlen(val));
	err = w < 0 ? errno : (size_t)w == strlen(val) ? 0 : EIO;
	close(fd);
	return err;
}

/*
 * Why a fixture that attaches the modem cannot run here (the module is not
 * loaded, or there is no host peer to drive the simulator), for SKIP();
 * NULL when it can, with the peer open.
 */
static inline const char *qs_attach_unsupported(void)
{
	int ret;

	if (!module_loaded())
		return "module " MODULE_NAME " is not loaded";
	ret = qs_peer_open();
	return ret ? qs_no_peer_why(ret) : NULL;
}

/*
 * The host peer (qs_peer_open() done) answers, nothing is attached to @tty
 * any more, and the simulated module is freshly powered on: every option
 * at its default, no context active, no socket, no fault armed.
 */
static inline void qs_peer_reboot(struct __test_metadata *_metadata,
				  const char *tty)
{
	char r[256];

	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "ping"))
		TH_LOG("host peer %s: %s", getenv("QISOCK_PEER"), r);
	ASSERT_TRUE(wait_no_dev(tty, cfg_timeout_ms()))
		TH_LOG("%s still attached from an earlier test", tty);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot"))
		TH_LOG("sim reboot: %s", r);
}

/*
 * Open @tty raw into *@tty_fd (so that the fixture's teardown closes it,
 * which detaches) and set the line discipline (QISOCK_LDISC) on it.
 */
static inline void qs_attach(struct __test_metadata *_metadata,
			     const char *tty, int *tty_fd)
{
	int ldisc = atoi(env_or("QISOCK_LDISC", "29"));
	struct termios tio;

	sleep_ms(100);
	*tty_fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, *tty_fd) TH_LOG("open %s: %s", tty, strerror(errno));
	if (tcgetattr(*tty_fd, &tio) == 0) {
		cfmakeraw(&tio);
		tio.c_cflag |= CLOCAL | CREAD;
		tcsetattr(*tty_fd, TCSANOW, &tio);
	}
	/* what the module said to the last owner is stale: drop it */
	sleep_ms(300);
	tcflush(*tty_fd, TCIOFLUSH);
	ASSERT_EQ(0, ioctl(*tty_fd, TIOCSETD, &ldisc))
		TH_LOG("TIOCSETD %d: %s", ldisc, strerror(errno));
}

/*
 * Wait for the qisock device on @tty (its sysfs directory into @dev) to
 * be "ready"; "failed" and "gone" are final: no use waiting on after them.
 */
static inline void qs_wait_ready(struct __test_metadata *_metadata,
				 const char *tty, char *dev, size_t len)
{
	long end = now_ms() + cfg_timeout_ms();
	char state[64] = "";

	while (now_ms() < end) {
		if (find_dev(tty, dev, len) &&
		    read_attr(dev, "state", state, sizeof(state)) > 0 &&
		    (!strcmp(state, "ready") || !strcmp(state, "failed") ||
		     !strcmp(state, "gone")))
			break;
		sleep_ms(20);
	}
	ASSERT_STREQ("ready", state) TH_LOG("device not ready on %s", tty);
}

/*
 * The start of every fixture that attaches: a freshly powered-on module
 * (qs_peer_reboot()) attached on @tty (qs_attach()) and "ready"
 * (qs_wait_ready()).
 */
static inline void qs_attach_fresh(struct __test_metadata *_metadata,
				   const char *tty, int *tty_fd,
				   char *dev, size_t len)
{
	qs_peer_reboot(_metadata, tty);
	qs_attach(_metadata, tty, tty_fd);
	qs_wait_ready(_metadata, tty, dev, len);
}

/*
 * The simulator starts, and reboots, with no context active, as a module
 * does: bring context 1 of the device @dev (its sysfs directory) up
 * through sysfs and keep it up (autoconnect), as a board's start-up would.
 */
static inline void qs_ctx1_up(struct __test_metadata *_metadata,
			      const char *dev)
{
	char dir[PATH_MAX + 16], st[32] = "";
	long end;

	snprintf(dir, sizeof(dir), "%s/ctx1", dev);
	ASSERT_EQ(0, access(dir, F_OK)) TH_LOG("%s missing once the modem is ready", dir);
	/* BC66: the context follows registration, "+IP:" brings it up */
	if (read_attr(dir, "autoconnect", st, sizeof(st)) != -ENOENT) {
		ASSERT_EQ(0, put_attr(dir, "apn", "internet")) TH_LOG("ctx1/apn");
		ASSERT_EQ(0, put_attr(dir, "autoconnect", "1")) TH_LOG("ctx1/autoconnect");
	}
	st[0] = '\0';
	end = now_ms() + 30000;
	while (now_ms() < end) {
		if (read_attr(dir, "state", st, sizeof(st)) > 0 && !strcmp(st, "up"))
			return;
		sleep_ms(50);
	}
	ASSERT_STREQ("up", st) TH_LOG("context 1 did not come up");
}

/* ---- the kernel log, last ---------------------------------------------------- */

/*
 * A fixture @fixture with the one test @name, which fails on a kernel
 * warning, BUG or oops (qs_dmesg_bad()) left by anything before it. Place
 * it last: fixtures run in the order they are defined.
 */
#define QS_DMESG_CLEAN_TEST(fixture, name)					\
	FIXTURE(fixture) {							\
		int unused;							\
	};									\
	FIXTURE_SETUP(fixture)							\
	{									\
	}									\
	FIXTURE_TEARDOWN(fixture)						\
	{									\
	}									\
	TEST_F(fixture, name)							\
	{									\
		if (!module_loaded())						\
			SKIP(return, "module " MODULE_NAME " is not loaded");	\
		EXPECT_EQ(0, qs_dmesg_bad(_metadata));				\
	}

#endif /* QISOCK_SELFTEST_H */
