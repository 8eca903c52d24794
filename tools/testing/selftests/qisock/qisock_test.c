// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest selftests for the qisock line discipline.
 *
 * Run inside a VM whose serial port (QISOCK_TTY, default /dev/ttyS1) is wired
 * to the qisock modem simulator, with qisock.ko already loaded.
 *
 * Environment:
 *   QISOCK_TTY        tty the simulated modem is on        (/dev/ttyS1)
 *   QISOCK_LDISC      line discipline number               (29)
 *   QISOCK_MODEL      model the simulator runs, e.g. EC200U or bc66-na
 *                     (identity tests are skipped when unset)
 *   QISOCK_LDATTACH   util-linux ldattach                  (ldattach in PATH)
 *   QISOCK_KO         qisock.ko, re-loaded after the rmmod test
 *                     (/lib/modules/qisock.ko)
 *   QISOCK_TIMEOUT    seconds to wait for a state change   (20)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qisock_selftest.h"

#define TEST_TIMEOUT	120

/* ---- configuration ------------------------------------------------------ */

static const char *cfg_tty(void)
{
	return env_or("QISOCK_TTY", "/dev/ttyS1");
}

static int cfg_ldisc(void)
{
	return atoi(env_or("QISOCK_LDISC", "29"));
}

/* "ec200u" / "EC200U" -> "EC200U"; NULL when no model was given. */
static const char *cfg_model(void)
{
	static char model[32];
	const char *v = getenv("QISOCK_MODEL");
	size_t i;

	if (!v || !*v)
		return NULL;
	for (i = 0; v[i] && i < sizeof(model) - 1; i++)
		model[i] = toupper((unsigned char)v[i]);
	model[i] = '\0';
	return model;
}

static const char *dialect_of(const char *model)
{
	if (!strcmp(model, "EC200U") || !strcmp(model, "EG915U"))
		return "ec200u";
	if (!strcmp(model, "BC66") || !strcmp(model, "BC66-NA"))
		return "bc66";
	return NULL;
}

/* ---- small helpers ------------------------------------------------------ */

static bool wait_dev(const char *tty, char *dev, size_t len, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	do {
		if (find_dev(tty, dev, len))
			return true;
		sleep_ms(20);
	} while (now_ms() < end);
	return false;
}

/*
 * Wait until @dev/state reads @want; the last value read is left in @seen.
 * "failed" and "gone" end a probe for good (see the sysfs ABI): waiting on
 * after one of them only delays the failure.
 */
static bool wait_state(const char *dev, const char *want, char *seen,
		       size_t len, int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	int n;

	do {
		n = read_attr(dev, "state", seen, len);
		if (n < 0)
			snprintf(seen, len, "(unreadable: %s)", strerror(-n));
		else if (!strcmp(seen, want))
			return true;
		else if (!strcmp(seen, "failed") || !strcmp(seen, "gone"))
			return false;
		sleep_ms(20);
	} while (now_ms() < end);
	return false;
}

/* Open the modem tty in raw mode, as ldattach does. */
static int tty_open_raw(const char *tty)
{
	struct termios tio;
	int fd, fl;

	fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tio.c_cflag |= CLOCAL | CREAD;
		tio.c_cflag &= ~CRTSCTS;
		tcsetattr(fd, TCSANOW, &tio);
	}
	tcflush(fd, TCIOFLUSH);
	return fd;
}

static int set_ldisc(int fd, int ldisc)
{
	return ioctl(fd, TIOCSETD, &ldisc);
}

static int get_ldisc(int fd)
{
	int ldisc = -1;

	if (ioctl(fd, TIOCGETD, &ldisc) < 0)
		return -1;
	return ldisc;
}

/* Current line discipline of @tty, from a short-lived second open. */
static int tty_ldisc_now(const char *tty)
{
	int fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	int ld;

	if (fd < 0)
		return -1;
	ld = get_ldisc(fd);
	close(fd);
	return ld;
}

/*
 * Start "ldattach -d <ldisc> <tty>" in the foreground; it dies with us. Its
 * stderr goes to a pipe whose reading end is stored in *@err_fd.
 */
static pid_t ldattach_start(int *err_fd)
{
	char ldisc[16];
	int p[2];
	pid_t pid;

	*err_fd = -1;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	snprintf(ldisc, sizeof(ldisc), "%d", cfg_ldisc());
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		dup2(p[1], 2);
		execlp(env_or("QISOCK_LDATTACH", "ldattach"), "ldattach", "-d",
		       ldisc, cfg_tty(), (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0)
		close(p[0]);
	else
		*err_fd = p[0];
	return pid;
}

/* Stop ldattach; returns its wait status, or -1 when it was already gone. */
static int ldattach_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static bool ldattach_running(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

static int module_refcnt(void)
{
	char buf[32];

	if (read_attr("/sys/module/" MODULE_NAME, "refcnt", buf, sizeof(buf)) < 0)
		return -1;
	return atoi(buf);
}

static int load_module(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

/* ---- fixture ------------------------------------------------------------ */

FIXTURE(qisock) {
	const char *tty;
	int fd;			/* tty fd with the ldisc set, or -1 */
	pid_t ldattach;		/* running ldattach, or 0 */
	int ldattach_err;	/* its stderr, or -1 */
	int timeout;		/* ms */
	char dev[256];		/* /sys/class/qisock/qisockN */
	char val[128];
};

FIXTURE_SETUP(qisock)
{
	self->tty = cfg_tty();
	self->fd = -1;
	self->ldattach = 0;
	self->ldattach_err = -1;
	self->timeout = cfg_timeout_ms();
	/* Not a test bed (e.g. run_tests on a build machine): say so. */
	if (!module_loaded())
		SKIP(return, "module " MODULE_NAME " is not loaded");
	if (access(self->tty, R_OK | W_OK))
		SKIP(return, "%s: %s (QISOCK_TTY names the modem's tty)",
		     self->tty, strerror(errno));
	/* A previous test must not leave the port attached. */
	ASSERT_TRUE(wait_no_dev(self->tty, self->timeout))
		TH_LOG("%s still has a qisock device", self->tty);
}

FIXTURE_TEARDOWN(qisock)
{
	if (self->ldattach > 0)
		ldattach_stop(self->ldattach);
	if (self->ldattach_err >= 0)
		close(self->ldattach_err);
	if (self->fd >= 0)
		close(self->fd);
	if (!module_loaded())
		return;		/* skipped, or the module is gone */
	/*
	 * Plain if, not EXPECT: after a failed ASSERT the harness leaves its
	 * trigger set and an EXPECT here would log even when it holds.
	 */
	if (!wait_no_dev(self->tty, self->timeout)) {
		TH_LOG("qisock device for %s not removed at teardown", self->tty);
		_metadata->exit_code = KSFT_FAIL;
	}
}

/* Attach with TIOCSETD on self->fd and wait for the device to show up. */
static void attach(struct __test_metadata *_metadata,
		   FIXTURE_DATA(qisock) *self)
{
	self->fd = tty_open_raw(self->tty);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", self->tty, strerror(errno));
	ASSERT_EQ(0, set_ldisc(self->fd, cfg_ldisc()))
		TH_LOG("TIOCSETD %d: %s", cfg_ldisc(), strerror(errno));
	ASSERT_TRUE(wait_dev(self->tty, self->dev, sizeof(self->dev),
			     self->timeout))
		TH_LOG("no device in " SYSFS_CLASS " for %s", self->tty);
}

static void wait_ready(struct __test_metadata *_metadata,
		       FIXTURE_DATA(qisock) *self)
{
	long t0 = now_ms();

	ASSERT_TRUE(wait_state(self->dev, "ready", self->val, sizeof(self->val),
			       self->timeout))
		TH_LOG("%s/state is \"%s\" after %ld ms, want \"ready\"",
		       self->dev, self->val, now_ms() - t0);
}

/* Log what an exited child wrote to the pipe @fd. */
static void dump_pipe(struct __test_metadata *_metadata, const char *what, int fd)
{
	char buf[1024], *line, *save;
	ssize_t n;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		TH_LOG("%s: %s", what, line);
}

/* Detach by closing the only fd, and wait for the device to go away. */
static void detach(struct __test_metadata *_metadata,
		   FIXTURE_DATA(qisock) *self)
{
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_TRUE(wait_no_dev(self->tty, self->timeout))
		TH_LOG("%s still there after the tty was closed", self->dev);
}

static void check_identity(struct __test_metadata *_metadata,
			   FIXTURE_DATA(qisock) *self)
{
	const char *model = cfg_model();
	size_t i;

	if (!model)
		SKIP(return, "QISOCK_MODEL not set");
	ASSERT_NE(NULL, dialect_of(model)) TH_LOG("unknown model %s", model);
	ASSERT_LE(0, read_attr(self->dev, "model", self->val, sizeof(self->val)));
	EXPECT_STREQ(model, self->val);
	ASSERT_LE(0, read_attr(self->dev, "dialect", self->val, sizeof(self->val)));
	EXPECT_STREQ(dialect_of(model), self->val);
	ASSERT_LT(0, read_attr(self->dev, "revision", self->val, sizeof(self->val)))
		TH_LOG("empty revision");
	for (i = 0; self->val[i]; i++)
		EXPECT_TRUE(isgraph((unsigned char)self->val[i]))
			TH_LOG("revision \"%s\" has a non-printable or blank", self->val);
}

/* ---- tests -------------------------------------------------------------- */

/* util-linux ldattach attaches; killing it detaches. */
TEST_F_TIMEOUT(qisock, attach_ldattach, TEST_TIMEOUT)
{
	int status;

	self->ldattach = ldattach_start(&self->ldattach_err);
	ASSERT_LT(0, self->ldattach) TH_LOG("fork: %s", strerror(errno));
	ASSERT_TRUE(wait_dev(self->tty, self->dev, sizeof(self->dev),
			     self->timeout)) {
		if (!ldattach_running(self->ldattach)) {
			TH_LOG("ldattach exited early");
			dump_pipe(_metadata, "ldattach", self->ldattach_err);
			self->ldattach = 0;
		}
	}
	ASSERT_TRUE(ldattach_running(self->ldattach)) {
		dump_pipe(_metadata, "ldattach", self->ldattach_err);
		self->ldattach = 0;
	}
	EXPECT_EQ(cfg_ldisc(), tty_ldisc_now(self->tty));
	wait_ready(_metadata, self);

	/* ldattach was running until now: SIGTERM ends it (exit 0 or the signal) */
	status = ldattach_stop(self->ldattach);
	self->ldattach = 0;
	EXPECT_TRUE(status != -1 &&
		    ((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
		     (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)))
		TH_LOG("ldattach ended with wait status %#x", status);
	ASSERT_TRUE(wait_no_dev(self->tty, self->timeout))
		TH_LOG("%s not removed after ldattach exited", self->dev);
}

/* TIOCSETD on an open tty attaches; TIOCGETD reports it. */
TEST_F_TIMEOUT(qisock, attach_tiocsetd, TEST_TIMEOUT)
{
	attach(_metadata, self);
	EXPECT_EQ(cfg_ldisc(), get_ldisc(self->fd));
	EXPECT_EQ(0, strncmp(self->dev, SYSFS_CLASS "/qisock", strlen(SYSFS_CLASS "/qisock")));
	detach(_metadata, self);
}

TEST_F_TIMEOUT(qisock, state_ready, TEST_TIMEOUT)
{
	long t0 = now_ms();

	attach(_metadata, self);
	wait_ready(_metadata, self);
	TH_LOG("ready after %ld ms", now_ms() - t0);
}

TEST_F_TIMEOUT(qisock, sysfs_tty, TEST_TIMEOUT)
{
	const char *base = strrchr(self->tty, '/') + 1;

	attach(_metadata, self);
	ASSERT_LE(0, read_attr(self->dev, "tty", self->val, sizeof(self->val)));
	EXPECT_STREQ(base, self->val);
}

TEST_F_TIMEOUT(qisock, sysfs_identity, TEST_TIMEOUT)
{
	attach(_metadata, self);
	wait_ready(_metadata, self);
	check_identity(_metadata, self);
}

/* Every attribute holds exactly one line. */
TEST_F_TIMEOUT(qisock, sysfs_one_value_per_file, TEST_TIMEOUT)
{
	static const char * const attrs[] = {
		"tty", "model", "revision", "dialect", "state", "recovery",
	};
	char path[PATH_MAX], buf[256];
	size_t i;
	ssize_t n;
	int fd;

	attach(_metadata, self);
	wait_ready(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dev, attrs[i]);
		fd = open(path, O_RDONLY);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", path, strerror(errno));
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		ASSERT_LT(0, n) TH_LOG("%s is empty", path);
		buf[n] = '\0';
		EXPECT_EQ('\n', buf[n - 1]) TH_LOG("%s lacks a newline", path);
		EXPECT_EQ(buf + n - 1, strchr(buf, '\n'))
			TH_LOG("%s has more than one line", path);
	}
}

/*
 * stats/: one decimal counter per file; the probe's conversation shows in
 * them (commands sent, lines received).
 */
TEST_F_TIMEOUT(qisock, sysfs_stats, TEST_TIMEOUT)
{
	static const char * const names[] = {
		"commands", "timeouts", "resyncs", "resync_probes",
		"uart_errors", "rx_dropped", "late", "late_results",
		"late_results_lost", "stray_finals", "stray_lines",
		"stray_prompts", "echoes", "urcs", "push_bytes",
		"protocol_errors", "silent_resyncs", "wakeups", "wake_retries", "reboots", "lines",
		"overlong_lines", "garbage_lines", "prompts", "blocks",
		"block_bytes",
	};
	char dir[PATH_MAX], *end;
	unsigned long v, commands = 0, lines = 0;
	size_t i;

	attach(_metadata, self);
	wait_ready(_metadata, self);
	snprintf(dir, sizeof(dir), "%s/stats", self->dev);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ASSERT_LT(0, read_attr(dir, names[i], self->val, sizeof(self->val)))
			TH_LOG("%s/%s: %s", dir, names[i], strerror(errno));
		v = strtoul(self->val, &end, 10);
		EXPECT_EQ('\0', *end) TH_LOG("%s/%s: \"%s\"", dir, names[i], self->val);
		if (!strcmp(names[i], "commands"))
			commands = v;
		if (!strcmp(names[i], "lines"))
			lines = v;
	}
	EXPECT_LE(3, commands) TH_LOG("the probe sends AT, ATE0 and identifies");
	EXPECT_LE(commands, lines) TH_LOG("every command got at least its result");
}

/* Write @val to @dir/@name (truncating); 0 or a negative errno. */
static int write_file(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The tracepoints show the AT conversation: attaching with events/qisock
 * enabled records the probe's command lines and their results.
 */
TEST_F_TIMEOUT(qisock, tracepoints_show_the_conversation, TEST_TIMEOUT)
{
	static const char *const tr = "/sys/kernel/tracing";
	char path[PATH_MAX], *buf;
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/events/qisock/enable", tr);
	if (access(path, W_OK))
		SKIP(return, "no events/qisock in tracefs (%s)", strerror(errno));
	ASSERT_EQ(0, write_file(tr, "trace", ""));
	ASSERT_EQ(0, write_file(tr, "events/qisock/enable", "1"));
	attach(_metadata, self);
	wait_ready(_metadata, self);
	ASSERT_EQ(0, write_file(tr, "events/qisock/enable", "0"));
	snprintf(path, sizeof(path), "%s/trace", tr);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	buf = malloc(1 << 20);
	ASSERT_NE(NULL, buf);
	while (got < (1 << 20) - 1 && (n = read(fd, buf + got, (1 << 20) - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	EXPECT_NE(NULL, strstr(buf, "qisock_cmd_tx: ")) TH_LOG("no command in the trace");
	EXPECT_NE(NULL, strstr(buf, " ATE0")) TH_LOG("the probe's ATE0 is not traced");
	EXPECT_NE(NULL, strstr(buf, "qisock_cmd_done: ")) TH_LOG("no result in the trace");
	EXPECT_NE(NULL, strstr(buf, "-> 0 OK")) TH_LOG("no OK result in the trace");
	free(buf);
}

/* Attaching needs CAP_NET_ADMIN, even for root. */
TEST_F_TIMEOUT(qisock, attach_without_cap_net_admin_eperm, TEST_TIMEOUT)
{
	self->fd = tty_open_raw(self->tty);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, qs_drop_cap_net_admin()) TH_LOG("capset: %s", strerror(errno));
	EXPECT_EQ(-1, set_ldisc(self->fd, cfg_ldisc()));
	EXPECT_EQ(EPERM, errno) TH_LOG("TIOCSETD: %s", strerror(errno));
	EXPECT_EQ(0, get_ldisc(self->fd));	/* still N_TTY */
	/* a device would show up at once (ldisc open creates it); give it time */
	EXPECT_FALSE(wait_dev(self->tty, self->dev, sizeof(self->dev), 500))
		TH_LOG("%s appeared although TIOCSETD failed", self->dev);
}

/* An unprivileged user holding the tty open cannot attach either. */
TEST_F_TIMEOUT(qisock, attach_as_nobody_eperm, TEST_TIMEOUT)
{
	self->fd = tty_open_raw(self->tty);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-1, set_ldisc(self->fd, cfg_ldisc()));
	EXPECT_EQ(EPERM, errno) TH_LOG("TIOCSETD: %s", strerror(errno));
	EXPECT_EQ(0, get_ldisc(self->fd));
	EXPECT_FALSE(wait_dev(self->tty, self->dev, sizeof(self->dev), 500))
		TH_LOG("%s appeared although TIOCSETD failed", self->dev);
}

/* TIOCSETD back to N_TTY detaches and removes the device at once. */
TEST_F_TIMEOUT(qisock, detach_removes_device, TEST_TIMEOUT)
{
	char name[PATH_MAX];

	attach(_metadata, self);
	wait_ready(_metadata, self);
	snprintf(name, sizeof(name), "%s", self->dev);
	ASSERT_EQ(0, set_ldisc(self->fd, 0)) TH_LOG("TIOCSETD N_TTY: %s", strerror(errno));
	EXPECT_EQ(0, get_ldisc(self->fd));
	EXPECT_TRUE(wait_no_dev(self->tty, self->timeout));
	EXPECT_NE(0, access(name, F_OK)) TH_LOG("%s still exists", name);
	EXPECT_NE(0, access(SYSFS_CLASS "/qisock0", F_OK));
}

/* Detach while the probe is still talking to the modem. */
TEST_F_TIMEOUT(qisock, detach_during_probe, TEST_TIMEOUT)
{
	self->fd = tty_open_raw(self->tty);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, set_ldisc(self->fd, cfg_ldisc()));
	/* the ldisc open creates the device; the probe runs on a work item */
	ASSERT_TRUE(find_dev(self->tty, self->dev, sizeof(self->dev)))
		TH_LOG("no device right after TIOCSETD");
	ASSERT_LE(0, read_attr(self->dev, "state", self->val, sizeof(self->val)));
	EXPECT_STREQ("probing", self->val)
		TH_LOG("the probe was over before the detach: nothing tested");
	ASSERT_EQ(0, set_ldisc(self->fd, 0));
	EXPECT_TRUE(wait_no_dev(self->tty, self->timeout));
}

/* A hangup while attached detaches cleanly; the port stays usable. */
TEST_F_TIMEOUT(qisock, hangup_while_attached, TEST_TIMEOUT)
{
	char buf[16];

	attach(_metadata, self);
	wait_ready(_metadata, self);
	ASSERT_EQ(0, ioctl(self->fd, TIOCVHANGUP)) TH_LOG("TIOCVHANGUP: %s", strerror(errno));
	/* The device is gone (or at least marked so) while the fd stays open. */
	if (!wait_no_dev(self->tty, self->timeout)) {
		ASSERT_LE(0, read_attr(self->dev, "state", self->val, sizeof(self->val)));
		EXPECT_STREQ("gone", self->val);
	}
	EXPECT_GE(0, read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_TRUE(wait_no_dev(self->tty, self->timeout));

	/* The port can be attached again. */
	attach(_metadata, self);
	wait_ready(_metadata, self);
	detach(_metadata, self);
}

/* rmmod is refused while attached and succeeds after detach. */
TEST_F_TIMEOUT(qisock, rmmod_busy_while_attached, TEST_TIMEOUT)
{
	const char *ko = env_or("QISOCK_KO", "/lib/modules/qisock.ko");
	int ret, err;

	if (access(ko, R_OK))
		SKIP(return, "%s not readable: cannot reload the module", ko);

	attach(_metadata, self);
	wait_ready(_metadata, self);
	EXPECT_LT(0, module_refcnt());
	ret = syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
	err = errno;
	EXPECT_EQ(-1, ret);
	/* delete_module(2) says EWOULDBLOCK for a module in use. */
	EXPECT_TRUE(err == EWOULDBLOCK || err == EBUSY)
		TH_LOG("delete_module: %s", strerror(err));
	if (ret == 0) {
		load_module(ko);
		ASSERT_TRUE(0) TH_LOG("module unloaded while attached");
	}
	ASSERT_TRUE(module_loaded());
	EXPECT_TRUE(find_dev(self->tty, self->dev, sizeof(self->dev)));

	detach(_metadata, self);
	EXPECT_EQ(0, module_refcnt());
	ASSERT_EQ(0, syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK))
		TH_LOG("delete_module after detach: %s", strerror(errno));
	EXPECT_FALSE(module_loaded());
	EXPECT_NE(0, access(SYSFS_CLASS, F_OK)) TH_LOG(SYSFS_CLASS " left behind");
	ASSERT_EQ(0, load_module(ko)) TH_LOG("reload %s: %s", ko, strerror(errno));
	ASSERT_TRUE(module_loaded());
}

/* Attach, detach, attach again: the second probe identifies the modem too. */
TEST_F_TIMEOUT(qisock, reattach_after_detach, TEST_TIMEOUT)
{
	attach(_metadata, self);
	wait_ready(_metadata, self);
	detach(_metadata, self);
	attach(_metadata, self);
	wait_ready(_metadata, self);
	check_identity(_metadata, self);
	detach(_metadata, self);
}

/* Runs last: nothing above left a kernel warning, BUG or oops behind. */
QS_DMESG_CLEAN_TEST(kernel_log, dmesg_clean)

TEST_HARNESS_MAIN
