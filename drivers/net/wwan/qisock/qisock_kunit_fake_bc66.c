// SPDX-License-Identifier: GPL-2.0
/*
 * qisock KUnit: the shared fake modem (qisock_kunit_fake.c) as a BC66
 * (seed 001): its AT+QICFG options, AT+QIOPEN without the EC200U's extras,
 * QISEND and QICLOSE answered twice (OK, then SEND OK/SEND FAIL or CLOSE
 * OK, at once, late or never), AT+QIRD=<id>,<n> with n 1-512 answered
 * "+QIRD: <n>[,<remaining>]" per node of its buffer. Everything else it
 * does as the EC200U fake does; what a BC66 lacks is answered ERROR.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

/* Seed 001 2.3.12: the AT+QICFG options of a BC66. */
static const char * const bc66_cfg[] = {
	"dataformat", "viewmode", "showlength", "echomode",
};

/* Seed 001: connectIDs 0-4; <read_length> 1-512. */
#define BC66_SOCKS	5
#define BC66_QIRD_MAX	512
/* AT+QIOPEN=<ctx>,<id>,<type>,<addr>,<rport>[,<lport>[,<mode>[,<proto>]]] */
#define BC66_QIOPEN_ARGS	8

/**
 * qkt_fake_bc66() - make the fake a BC66 (before the probe).
 * @f: the fake, in modem mode.
 */
void qkt_fake_bc66(struct qkt_fake *f)
{
	f->model = "BC66";
	f->rev = "BC66NBR01A10";
	f->bc66 = true;
}

/* The second line of a command that answers twice, sent late (lock free). */
void qkt_fake_late_work(struct work_struct *work)
{
	struct qkt_fake *f = container_of(to_delayed_work(work),
					  struct qkt_fake, late_work);
	bool dead;

	spin_lock(&f->lock);
	dead = f->dead;
	if (!dead)
		qkt_fake_reply_line(f, f->late_line);
	spin_unlock(&f->lock);
	if (!dead)
		schedule_work(&f->reply_work);
}

/**
 * qkt_fake_bc66_twice() - "OK", then @second: at once (@ms 0), @ms later
 * (> 0), or never (< 0: the test sends it). Lock held.
 * @f: the fake.
 * @second: "SEND OK", "SEND FAIL" or "CLOSE OK".
 * @ms: when.
 */
void qkt_fake_bc66_twice(struct qkt_fake *f, const char *second, int ms)
{
	qkt_fake_reply_line(f, "OK");
	if (!ms) {
		qkt_fake_reply_line(f, second);
	} else if (ms > 0) {
		strscpy(f->late_line, second, sizeof(f->late_line));
		schedule_delayed_work(&f->late_work, msecs_to_jiffies(ms));
	}
}

static bool bc66_refuse(struct qkt_fake *f)
{
	f->bc66_refused++;
	qkt_fake_reply_line(f, "ERROR");
	return true;
}

/* AT+QICFG="<name>",<values>: only the BC66's four options. */
static bool bc66_qicfg(struct qkt_fake *f, const char *cmd)
{
	const char *arg = cmd + strlen("AT+QICFG=");
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(bc66_cfg); i++) {
		n = strlen(bc66_cfg[i]);
		if (arg[0] == '"' && !strncmp(arg + 1, bc66_cfg[i], n) &&
		    arg[n + 1] == '"' && (!arg[n + 2] || arg[n + 2] == ','))
			break;
	}
	if (i == ARRAY_SIZE(bc66_cfg))
		return bc66_refuse(f);
	if (!strcmp(bc66_cfg[i], "showlength") && arg[n + 2] == ',')
		f->show_length = !strcmp(arg + n + 3, "1");
	qkt_fake_reply_line(f, "OK");
	return true;
}

/*
 * AT+QIOPEN: context 1, connectID 0-4, "TCP" or "UDP", at most the eight
 * arguments of the seed. A form it takes is answered by the common fake.
 */
static bool bc66_qiopen(struct qkt_fake *f, const char *cmd)
{
	unsigned int ctx, id, args = 1;
	const char *p;

	for (p = cmd; *p; p++)
		args += *p == ',';
	if (sscanf(cmd, "AT+QIOPEN=%u,%u,", &ctx, &id) != 2 || ctx != 1 ||
	    id >= BC66_SOCKS || args > BC66_QIOPEN_ARGS ||
	    (!strstr(cmd, ",\"TCP\",") && !strstr(cmd, ",\"UDP\",")))
		return bc66_refuse(f);
	return false;
}

/* AT+QICLOSE=<id> (no <timeout>): OK, then CLOSE OK. */
static bool bc66_qiclose(struct qkt_fake *f, const char *cmd)
{
	unsigned int id;
	char end;

	if (sscanf(cmd, "AT+QICLOSE=%u%c", &id, &end) != 1 || id >= BC66_SOCKS)
		return bc66_refuse(f);
	f->qicloses++;
	qkt_fake_bc66_twice(f, "CLOSE OK", f->close2_ms);
	return true;
}

/*
 * AT+QIRD=<id>,<n>: at most @n bytes of the node being read, with the
 * bytes left in that node when lengths are shown. The answer to the
 * qird_lose-th QIRD is lost on the way: its data leaves the module all
 * the same.
 */
static bool bc66_qird(struct qkt_fake *f, const char *cmd)
{
	unsigned int id, n;
	size_t left, k, i;
	char buf[40];
	char end;

	if (sscanf(cmd, "AT+QIRD=%u,%u%c", &id, &n, &end) != 2 ||
	    id >= BC66_SOCKS || !n || n > BC66_QIRD_MAX)
		return bc66_refuse(f);
	f->qirds++;
	left = f->avail[id] - f->off[id];
	if (f->node && left)
		left = min(left, f->node - f->off[id] % f->node);
	k = min_t(size_t, n, left);
	if (!k) {
		f->qird_zero++;
		qkt_fake_reply_line(f, "+QIRD: 0");
		qkt_fake_reply_line(f, "OK");
		return true;
	}
	if (f->qirds == f->qird_lose) {
		f->off[id] += k;
		complete(&f->hung);
		return true;
	}
	if (f->show_length)
		snprintf(buf, sizeof(buf), "+QIRD: %zu,%zu", k, left - k);
	else
		snprintf(buf, sizeof(buf), "+QIRD: %zu", k);
	qkt_fake_reply_line(f, buf);
	for (i = 0; i < k; i++) {
		u8 b = qkt_fake_pat(f->off[id] + i);

		qkt_fake_out(f, &b, 1);
	}
	f->off[id] += k;
	qkt_fake_reply_line(f, "OK");
	return true;
}

/**
 * qkt_fake_bc66_command() - a command line, as a BC66 answers it.
 * @f: the fake (lock held).
 * @cmd: the line, without its CR.
 *
 * Return: true if answered here; false for the common fake's answer.
 */
bool qkt_fake_bc66_command(struct qkt_fake *f, const char *cmd)
{
	if (!strncmp(cmd, "AT+QISDE", 8))
		return bc66_refuse(f);		/* no such command */
	if (!strncmp(cmd, "AT+QICFG=", 9))
		return bc66_qicfg(f, cmd);
	if (!strncmp(cmd, "AT+QIOPEN=", 10))
		return bc66_qiopen(f, cmd);
	if (!strncmp(cmd, "AT+QICLOSE=", 11))
		return bc66_qiclose(f, cmd);
	if (!strncmp(cmd, "AT+QIRD=", 8))
		return bc66_qird(f, cmd);
	return false;
}
