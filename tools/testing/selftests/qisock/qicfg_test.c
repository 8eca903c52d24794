// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of /sys/class/qisock/qisock<M>/qicfg/ (AT+QICFG in
 * sysfs), run inside QEMU against the simulator.
 *
 * The guest's ttyS1 is the simulated module, its ttyS2 the host peer
 * (tools/testing/peer.py), which relays "sim <command>" to the
 * simulator's control socket: "sim qicfg <option> [<key>...]" shows what
 * the module holds, independently of the serial line the driver uses,
 * and "sim stats" counts the bytes the host sent it (nothing sent is
 * proved by an unchanged count).
 *
 * Every test decides from the system alone: no qisock module or no host
 * peer (QISOCK_PEER unset) is a SKIP saying so; the dialect in sysfs says
 * which options exist (seed 000 for EC200U/EG915U, seed 001 for BC66,
 * where the driver pins every option and none is writable).
 *
 * Environment: QISOCK_TTY (/dev/ttyS1), QISOCK_PEER (the host peer's tty,
 * /dev/ttyS2 in the QEMU guest; unset: SKIP), QISOCK_LDISC (29),
 * QISOCK_TIMEOUT (20 s to wait for a state change).
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
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qisock_selftest.h"

#define BC66_NONE_WRITABLE \
	"BC66: the driver pins every AT+QICFG option of seed 001; none is writable"

/* A writable option: a value to write and what reads show afterwards. */
struct qc_write {
	const char *file;	/* qicfg/<file> */
	const char *name;	/* the AT+QICFG option */
	const char *keys;	/* "sim qicfg" keys ("" if none) */
	const char *val;	/* written */
	const char *now;	/* read back (sysfs line / sim values) */
};

/*
 * Seed 000 2.4.1: every writable EC200U option, ends of its ranges, and
 * partial writes (the values not given keep theirs).
 */
static const struct qc_write ec_writes[] = {
	{ "transpktsize", "transpktsize", "", "1", "1" },
	{ "transpktsize", "transpktsize", "", "1460", "1460" },
	{ "transwaittm", "transwaittm", "", "0", "0" },
	{ "transwaittm", "transwaittm", "", "20", "20" },
	{ "udp_sendmode", "udp/sendmode", "", "1", "1" },
	{ "udp_sendmode", "udp/sendmode", "", "0", "0" },
	{ "passiveclosed", "passiveclosed", "", "1", "1" },
	{ "tcp_twrecycle", "tcp/twrecycle", "", "1", "1" },
	{ "tcp_keepalive", "tcp/keepalive", "", "1 1800 100 10", "1 1800 100 10" },
	{ "tcp_keepalive", "tcp/keepalive", "", "1 1 25 3", "1 1 25 3" },
	{ "tcp_keepalive", "tcp/keepalive", "", "0\n", "0 1 25 3" },
	{ "tcp_retranscfg", "tcp/retranscfg", "", "12 60", "12 60" },
	{ "tcp_retranscfg", "tcp/retranscfg", "", "3", "3 60" },
	{ "formatcfg", "formatcfg", "", "1", "1" },
	{ "qisend_timeout", "qisend/timeout", "", "0", "0" },
	{ "qisend_timeout", "qisend/timeout", "", "120", "120" },
	{ "pdp_retry", "pdp/retry", "0 0", "0 0 2 6", "0 0 2 6" },
	{ "pdp_retry", "pdp/retry", "0 1", "0 1 3 8", "0 1 3 8" },
	{ "pdp_retry", "pdp/retry", "1 0", "1 0 4 5", "1 0 4 5" },
	{ "pdp_retry", "pdp/retry", "1 1", "1 1 2 30", "1 1 2 30" },
};

/* Options the driver pins, with the value it pins (qisock_dialect.c). */
struct qc_pin {
	const char *file;
	const char *name;
	const char *val;
};

static const struct qc_pin ec_pins[] = {
	{ "dataformat", "dataformat", "0 0" },
	{ "viewmode", "viewmode", "0" },
	{ "udp_readmode", "udp/readmode", "0" },
	{ "close_mode", "close/mode", "0" },
	{ "recvind", "recvind", "0" },
	{ "sendinfo", "sendinfo", "0" },
	{ "tcp_accept", "tcp/accept", "1" },
};

static const struct qc_pin bc_pins[] = {
	{ "dataformat", "dataformat", "0 0" },
	{ "viewmode", "viewmode", "0" },
	{ "showlength", "showlength", "1" },
	{ "echomode", "echomode", "0" },
};

/* The files of qicfg/: seed 000 without send/auto and recv/ignore. */
static const char * const ec_files[] = {
	"transpktsize", "transwaittm", "dataformat", "viewmode",
	"udp_sendmode", "udp_readmode", "tcp_accept", "passiveclosed",
	"tcp_twrecycle", "close_mode", "pdp_retry", "recvind", "sendinfo",
	"tcp_keepalive", "tcp_retranscfg", "formatcfg", "qisend_timeout",
};

/* Refused before anything is sent. */
struct qc_bad {
	const char *file;
	const char *name;	/* the option, for "sim qicfg" */
	const char *keys;
	const char *val;
};

static const struct qc_bad bad_writes[] = {
	{ "transpktsize", "transpktsize", "", "0" },		/* range 1-1460 */
	{ "transpktsize", "transpktsize", "", "1461" },
	{ "transpktsize", "transpktsize", "", "4294967297" },	/* wraps a u32 */
	{ "transpktsize", "transpktsize", "", "-1" },
	{ "transpktsize", "transpktsize", "", "+5" },
	{ "transpktsize", "transpktsize", "", "0x10" },
	{ "transpktsize", "transpktsize", "", "1 2" },		/* one value */
	{ "transpktsize", "transpktsize", "", "\n" },
	{ "transpktsize", "transpktsize", "", "5\r\n" },
	{ "transpktsize", "transpktsize", "", "5\n\n" },
	{ "transpktsize", "transpktsize", "", "5\t" },
	{ "transpktsize", "transpktsize", "", "\"5\"" },
	{ "transpktsize", "transpktsize", "", "5,6" },
	{ "transpktsize", "transpktsize", "", "5;AT+CFUN=0" },
	{ "transpktsize", "transpktsize", "", "5\rAT+CFUN=0" },
	{ "transpktsize", "transpktsize", "", "\xc2\xb5" },
	{ "transpktsize", "transpktsize", "", "5\x7f" },
	{ "transwaittm", "transwaittm", "", "21" },
	{ "tcp_keepalive", "tcp/keepalive", "", "1 60 25" },		/* <enable> or all four */
	{ "tcp_keepalive", "tcp/keepalive", "", "1 0 25 3" },	/* idle 1-1800 */
	{ "tcp_keepalive", "tcp/keepalive", "", "1 60 101 3" },	/* interval 25-100 */
	{ "tcp_keepalive", "tcp/keepalive", "", "1 60 25 11" },	/* probes 3-10 */
	{ "tcp_keepalive", "tcp/keepalive", "", "1 60 25 3 1" },
	{ "tcp_retranscfg", "tcp/retranscfg", "", "2" },		/* 3-12 */
	{ "tcp_retranscfg", "tcp/retranscfg", "", "8 61" },		/* 5-60 */
	{ "qisend_timeout", "qisend/timeout", "", "121" },
	{ "pdp_retry", "pdp/retry", "1 0", "1 0" },			/* a query, not a write */
	{ "pdp_retry", "pdp/retry", "1 0", "1 0 4 9" },		/* 4G activation 5-8 */
	{ "pdp_retry", "pdp/retry", "1 0", "0 0 2 7" },		/* 4G deactivation 2-6 */
	{ "pdp_retry", "pdp/retry", "1 0", "0 1 2 9" },		/* 2G deactivation 2-8 */
	{ "pdp_retry", "pdp/retry", "1 0", "1 1 4 31" },		/* 2G activation 5-30 */
	{ "pdp_retry", "pdp/retry", "1 0", "1 1 1 6" },		/* counts 2-4 */
	{ "pdp_retry", "pdp/retry", "1 0", "2 0 4 6" },
};

FIXTURE(qicfg) {
	const char *tty;
	int tty_fd;
	char dev[PATH_MAX];	/* /sys/class/qisock/qisockM */
	char dir[PATH_MAX + 8];	/* .../qicfg */
	bool bc66;
};

/* Write @len bytes of @val to qicfg/@file; 0 or the errno. */
static int qc_put(FIXTURE_DATA(qicfg) *self, const char *file, const char *val,
		  size_t len)
{
	char path[PATH_MAX + 64];
	ssize_t w;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", self->dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	w = write(fd, val, len);
	err = w < 0 ? errno : (size_t)w == len ? 0 : EIO;
	close(fd);
	return err;
}

/* Read the whole of qicfg/@file (several lines for pdp_retry). */
static int qc_get(FIXTURE_DATA(qicfg) *self, const char *file, char *buf,
		  size_t len)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", self->dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The line of @all that starts with @keys (all of it if @keys is ""). */
static const char *qc_line(const char *all, const char *keys, char *out,
			   size_t len)
{
	const char *p = all;
	size_t kl = strlen(keys);

	out[0] = '\0';
	for (; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		if (kl && (strncmp(p, keys, kl) || p[kl] != ' '))
			continue;
		snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
		break;
	}
	return out;
}

/* What the simulated module holds for @name (with @keys): "ok <values>". */
static int qc_sim(const char *name, const char *keys, char *out, size_t len)
{
	char r[512];
	size_t n;

	if (qs_peer_cmd(r, sizeof(r), 10000, "sim qicfg %s%s%s", name,
			*keys ? " " : "", keys))
		return -1;
	n = strnlen(r + 3, len - 1);	/* after "ok " */
	memcpy(out, r + 3, n);
	out[n] = '\0';
	return 0;
}

/* Bytes the simulator received from the host so far. */
static long long qc_sim_rx(void)
{
	char r[256], *p;

	if (qs_peer_cmd(r, sizeof(r), 10000, "sim stats"))
		return -1;
	p = strstr(r, " rx=");
	return p ? atoll(p + 4) : -1;
}

/* Wait for "state" to read @want. */
static bool qc_wait_state(FIXTURE_DATA(qicfg) *self, const char *want, int ms)
{
	long end = now_ms() + ms;
	char st[32] = "";

	do {
		if (read_attr(self->dev, "state", st, sizeof(st)) > 0 &&
		    !strcmp(st, want))
			return true;
		sleep_ms(20);
	} while (now_ms() < end);
	return false;
}

FIXTURE_SETUP(qicfg)
{
	char dialect[16] = "";
	const char *why;

	self->tty_fd = -1;
	self->tty = env_or("QISOCK_TTY", "/dev/ttyS1");
	why = qs_attach_unsupported();
	if (why)
		SKIP(return, "%s", why);
	qs_attach_fresh(_metadata, self->tty, &self->tty_fd, self->dev, sizeof(self->dev));
	ASSERT_LT(0, read_attr(self->dev, "dialect", dialect, sizeof(dialect)));
	self->bc66 = !strcmp(dialect, "bc66");
	ASSERT_TRUE(self->bc66 || !strcmp(dialect, "ec200u"))
		TH_LOG("unknown dialect \"%s\"", dialect);
	snprintf(self->dir, sizeof(self->dir), "%s/qicfg", self->dev);
	ASSERT_EQ(0, access(self->dir, F_OK)) TH_LOG("%s missing once ready", self->dir);
}

FIXTURE_TEARDOWN(qicfg)
{
	if (self->tty_fd >= 0) {
		close(self->tty_fd);	/* detaches */
		wait_no_dev(self->tty, cfg_timeout_ms());
	}
	EXPECT_EQ(0, qs_dmesg_bad(_metadata));
}

/*
 * qicfg/ holds one file per option of the dialect, and the two lists of
 * where the module keeps them (seed 001 2.3.12; seed 000 saves none).
 */
TEST_F(qicfg, qicfg_files)
{
	static const char * const bc_files[] = {
		"dataformat", "viewmode", "showlength", "echomode",
	};
	const char * const *want = self->bc66 ? bc_files : ec_files;
	size_t n = self->bc66 ? ARRAY_SIZE(bc_files) : ARRAY_SIZE(ec_files);
	char path[PATH_MAX + 64];
	struct dirent *de;
	size_t i, seen = 0;
	DIR *d;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dir, want[i]);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s missing", path);
	}
	d = opendir(self->dir);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d)))
		seen += de->d_name[0] != '.';
	closedir(d);
	EXPECT_EQ(n + 2, seen) TH_LOG("qicfg/ has other files than the dialect's options");
	ASSERT_LT(0, qc_get(self, "nvram", path, sizeof(path)));
	EXPECT_STREQ(self->bc66 ? "dataformat viewmode showlength\n" : "\n", path);
	ASSERT_LT(0, qc_get(self, "lost_in_sleep", path, sizeof(path)));
	EXPECT_STREQ(self->bc66 ? "echomode\n" : "\n", path);
	/* left out on purpose (see the admin guide) */
	snprintf(path, sizeof(path), "%s/send_auto", self->dir);
	EXPECT_NE(0, access(path, F_OK));
	snprintf(path, sizeof(path), "%s/recv_ignore", self->dir);
	EXPECT_NE(0, access(path, F_OK));
}

/* Every writable option: written, read back, and held by the module. */
TEST_F(qicfg, qicfg_write_read)
{
	char all[1024], line[128], sim[256];
	size_t i;

	if (self->bc66)
		SKIP(return, BC66_NONE_WRITABLE);
	for (i = 0; i < ARRAY_SIZE(ec_writes); i++) {
		const struct qc_write *w = &ec_writes[i];

		ASSERT_EQ(0, qc_put(self, w->file, w->val, strlen(w->val)))
			TH_LOG("write \"%s\" to %s", w->val, w->file);
		ASSERT_LT(0, qc_get(self, w->file, all, sizeof(all)))
			TH_LOG("read %s", w->file);
		EXPECT_STREQ(w->now, qc_line(all, w->keys, line, sizeof(line)))
			TH_LOG("%s after writing \"%s\": %s", w->file, w->val, all);
		ASSERT_EQ(0, qc_sim(w->name, w->keys, sim, sizeof(sim)))
			TH_LOG("sim qicfg %s: %s", w->name, sim);
		EXPECT_STREQ(w->now, sim) TH_LOG("the module's %s", w->name);
	}
	/* pdp_retry lists every <pdpmode> <ratmode>, keys first */
	ASSERT_LT(0, qc_get(self, "pdp_retry", all, sizeof(all)));
	EXPECT_STREQ("0 0 2 6\n0 1 3 8\n1 0 4 5\n1 1 2 30\n", all);
}

/* The options the driver pins: read-only, pinned, refused. */
TEST_F(qicfg, qicfg_pinned)
{
	const struct qc_pin *pins = self->bc66 ? bc_pins : ec_pins;
	size_t i, n = self->bc66 ? ARRAY_SIZE(bc_pins) :
				   ARRAY_SIZE(ec_pins);
	char path[PATH_MAX + 64], val[64], sim[128];
	long long rx;
	struct stat st;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dir, pins[i].file);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(0444, st.st_mode & 0777) TH_LOG("mode of %s", path);
		ASSERT_LT(0, read_attr(self->dir, pins[i].file, val, sizeof(val)));
		EXPECT_STREQ(pins[i].val, val) TH_LOG("%s", pins[i].file);
		ASSERT_EQ(0, qc_sim(pins[i].name, "", sim, sizeof(sim)));
		EXPECT_STREQ(pins[i].val, sim) TH_LOG("the module's %s", pins[i].name);
		rx = qc_sim_rx();
		ASSERT_LE(0, rx);
		/* root too: the VFS refuses a file without a write method */
		EXPECT_EQ(EACCES, qc_put(self, pins[i].file, "1", 1))
			TH_LOG("writing %s", pins[i].file);
		EXPECT_EQ(rx, qc_sim_rx()) TH_LOG("bytes reached the module");
		ASSERT_EQ(0, qc_sim(pins[i].name, "", sim, sizeof(sim)));
		EXPECT_STREQ(pins[i].val, sim) TH_LOG("the module's %s", pins[i].name);
	}
}

/* Bad input: EINVAL, and not a byte reaches the module. */
TEST_F(qicfg, qicfg_bad_input)
{
	static const char nul[] = { '5', '\0', '6' };
	char big[300], before[128], after[128];
	long long rx;
	size_t i;

	if (self->bc66)
		SKIP(return, BC66_NONE_WRITABLE);
	for (i = 0; i < ARRAY_SIZE(bad_writes); i++) {
		const struct qc_bad *b = &bad_writes[i];

		ASSERT_EQ(0, qc_sim(b->name, b->keys, before, sizeof(before)))
			TH_LOG("sim qicfg %s", b->name);
		rx = qc_sim_rx();
		ASSERT_LE(0, rx);
		EXPECT_EQ(EINVAL, qc_put(self, b->file, b->val, strlen(b->val)))
			TH_LOG("%s <- \"%s\"", b->file, b->val);
		EXPECT_EQ(rx, qc_sim_rx())
			TH_LOG("%s <- \"%s\" reached the module", b->file, b->val);
		ASSERT_EQ(0, qc_sim(b->name, b->keys, after, sizeof(after)));
		EXPECT_STREQ(before, after) TH_LOG("%s changed", b->name);
	}
	/* an embedded NUL, and an overlong value of blanks and digits */
	rx = qc_sim_rx();
	EXPECT_EQ(EINVAL, qc_put(self, "transpktsize", nul, sizeof(nul)));
	memset(big, ' ', sizeof(big));
	big[sizeof(big) - 1] = '7';
	EXPECT_EQ(EINVAL, qc_put(self, "transpktsize", big, sizeof(big)));
	EXPECT_EQ(rx, qc_sim_rx()) TH_LOG("bytes reached the module");
}

/* Run @fn in a child without CAP_NET_ADMIN; its exit status. */
static int qc_unprivileged(FIXTURE_DATA(qicfg) *self,
			   int (*fn)(FIXTURE_DATA(qicfg) *self))
{
	int st = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(qs_drop_cap_net_admin() ? 100 : fn(self));
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* 0 if reading transwaittm shows the seed's default, 2. */
static int qc_read_default(FIXTURE_DATA(qicfg) *self)
{
	char val[32];

	return read_attr(self->dir, "transwaittm", val, sizeof(val)) > 0 &&
	       !strcmp(val, "2") ? 0 : 1;
}

/* 0 if writing transwaittm is refused with EPERM. */
static int qc_write_eperm(FIXTURE_DATA(qicfg) *self)
{
	return qc_put(self, "transwaittm", "7", 1) == EPERM ? 0 : 1;
}

/* Root without CAP_NET_ADMIN may read, not write: EPERM, nothing sent. */
TEST_F(qicfg, qicfg_no_cap)
{
	char sim[128];
	long long rx;

	if (self->bc66)
		SKIP(return, BC66_NONE_WRITABLE);
	EXPECT_EQ(0, qc_unprivileged(self, qc_read_default))
		TH_LOG("a read without CAP_NET_ADMIN (100: capset failed)");
	rx = qc_sim_rx();
	ASSERT_LE(0, rx);
	EXPECT_EQ(0, qc_unprivileged(self, qc_write_eperm))
		TH_LOG("a write without CAP_NET_ADMIN (100: capset failed)");
	EXPECT_EQ(rx, qc_sim_rx()) TH_LOG("the refused write reached the module");
	ASSERT_EQ(0, qc_sim("transwaittm", "", sim, sizeof(sim)));
	EXPECT_STREQ("2", sim) TH_LOG("seed 000 default; the write must not reach it");
}

/* Written before the restart, and what the module must hold after it. */
static const struct qc_write reboot_writes[] = {
	{ "tcp_keepalive", "tcp/keepalive", "", "1 120 50 5", "1 120 50 5" },
	{ "pdp_retry", "pdp/retry", "1 1", "1 1 3 20", "1 1 3 20" },
	/* overwritten by the next, a partial write: the whole is restored */
	{ "tcp_retranscfg", "tcp/retranscfg", "", "10 30", "" },
	{ "tcp_retranscfg", "tcp/retranscfg", "", "4", "4 30" },
	{ "transpktsize", "transpktsize", "", "512", "512" },
};

/* A module restart forgets the options: the driver writes them again. */
TEST_F(qicfg, qicfg_reboot)
{
	size_t i, n = ARRAY_SIZE(reboot_writes);
	char r[256], sim[128], all[512], line[128];

	if (self->bc66)
		SKIP(return, BC66_NONE_WRITABLE);
	for (i = 0; i < n; i++) {
		const struct qc_write *w = &reboot_writes[i];

		ASSERT_EQ(0, qc_put(self, w->file, w->val, strlen(w->val)))
			TH_LOG("%s <- %s", w->file, w->val);
	}
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot"))
		TH_LOG("sim reboot: %s", r);
	/* RDY: probing, then ready again; the restore comes before "ready" */
	ASSERT_TRUE(qc_wait_state(self, "probing", 5000));
	ASSERT_TRUE(qc_wait_state(self, "ready", cfg_timeout_ms()));
	for (i = 0; i < n; i++) {
		const struct qc_write *w = &reboot_writes[i];

		if (!*w->now)
			continue;
		ASSERT_EQ(0, qc_sim(w->name, w->keys, sim, sizeof(sim)));
		EXPECT_STREQ(w->now, sim) TH_LOG("the module's %s after RDY", w->name);
		ASSERT_LT(0, qc_get(self, w->file, all, sizeof(all)));
		EXPECT_STREQ(w->now, qc_line(all, w->keys, line, sizeof(line)))
			TH_LOG("%s after RDY: %s", w->file, all);
	}
	/* what was not written is the module's default again */
	ASSERT_EQ(0, qc_sim("pdp/retry", "1 0", sim, sizeof(sim)));
	EXPECT_STREQ("1 0 4 8", sim);
	ASSERT_EQ(0, qc_sim("transwaittm", "", sim, sizeof(sim)));
	EXPECT_STREQ("2", sim);
}

TEST_HARNESS_MAIN
