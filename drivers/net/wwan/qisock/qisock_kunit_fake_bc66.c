// SPDX-License-Identifier: GPL-2.0
/*
 * qisock KUnit: the shared fake modem (qisock_kunit_fake.c) as a BC66
 * (seed 001): its AT+QICFG options, AT+QIOPEN without the EC200U's extras,
 * QISEND and QICLOSE answered twice (OK, then SEND OK/SEND FAIL or CLOSE
 * OK, at once, late or never), AT+QIRD=<id>,<n> with n 1-512 answered
 * "+QIRD: <n>[,<remaining>]" per node of its buffer, the access mode of
 * each connectID (AT+QIOPEN, AT+QISWTMD) and the "recv" URCs for data
 * that arrives (qkt_fake_bc66_arrive()) in that mode. Everything else it
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

/* The argument after the @k-th comma of @cmd, or NULL. */
static const char *bc66_arg(const char *cmd, unsigned int k)
{
	while (k-- && cmd)
		cmd = strchr(cmd, ',') ? strchr(cmd, ',') + 1 : NULL;
	return cmd;
}

/*
 * AT+QIOPEN: context 1, connectID 0-4, "TCP" or "UDP", at most the eight
 * arguments of the seed; <access_mode> (buffer if left out) is kept. A
 * form it takes is answered by the common fake.
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
	p = bc66_arg(cmd, 6);
	if (p && *p != '0' && *p != '1')
		return bc66_refuse(f);
	f->pushes[id] = p && *p == '1';
	return false;
}

/* AT+QISWTMD=<id>,<mode>: buffer access (0) or direct push (1). */
static bool bc66_qiswtmd(struct qkt_fake *f, const char *cmd)
{
	unsigned int id, mode;
	char end;

	if (sscanf(cmd, "AT+QISWTMD=%u,%u%c", &id, &mode, &end) != 2 ||
	    id >= BC66_SOCKS || mode > 1)
		return bc66_refuse(f);
	f->pushes[id] = mode;
	qkt_fake_reply_line(f, "OK");
	return true;
}

/* The pattern bytes @from..@from+@n-1 to the host (lock held). */
static void bc66_pat_out(struct qkt_fake *f, size_t from, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		u8 b = qkt_fake_pat(from + i);

		qkt_fake_out(f, &b, 1);
	}
}

/**
 * qkt_fake_bc66_arrive() - @n bytes (the pattern, going on) reach
 * connectID @id from the network, and the module says so.
 * @f: the fake, a BC66.
 * @id: the connectID.
 * @n: how many.
 *
 * Direct push: "+QIURC: "recv",<id>,<n>", then the data. Buffer access:
 * the data is kept, and "+QIURC: "recv",<id>[,<n>]" (the length when
 * showlength is on) is sent only if nothing was waiting to be read (the
 * seed: no new URC until the buffer is read empty).
 */
void qkt_fake_bc66_arrive(struct qkt_fake *f, unsigned int id, size_t n)
{
	bool urc;
	char buf[48];

	spin_lock(&f->lock);
	urc = f->pushes[id] || f->avail[id] == f->off[id];
	if (f->show_length || f->pushes[id])
		snprintf(buf, sizeof(buf), "+QIURC: \"recv\",%u,%zu", id, n);
	else
		snprintf(buf, sizeof(buf), "+QIURC: \"recv\",%u", id);
	if (urc)
		qkt_fake_reply_line(f, buf);
	if (f->pushes[id]) {
		bc66_pat_out(f, f->off[id], n);
		f->off[id] += n;
	}
	f->avail[id] += n;
	spin_unlock(&f->lock);
	schedule_work(&f->reply_work);
}

/* "+QIURC: "recv",<id>,"buff full"" from the module. */
void qkt_fake_bc66_buff_full(struct qkt_fake *f, unsigned int id)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "+QIURC: \"recv\",%u,\"buff full\"", id);
	spin_lock(&f->lock);
	qkt_fake_reply_line(f, buf);
	spin_unlock(&f->lock);
	schedule_work(&f->reply_work);
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
	size_t left, k;
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
	bc66_pat_out(f, f->off[id], k);
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
	if (!strncmp(cmd, "AT+QISWTMD=", 11))
		return bc66_qiswtmd(f, cmd);
	if (!strcmp(cmd, "AT+CGPADDR=1")) {
		/* registered since power-on: context 1 has its "+IP:" address */
		qkt_fake_reply_line(f, "+CGPADDR: 1,\"10.0.0.2\"");
		qkt_fake_reply_line(f, "OK");
		return true;
	}
	return false;
}
