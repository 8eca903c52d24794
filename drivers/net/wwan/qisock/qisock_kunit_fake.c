// SPDX-License-Identifier: GPL-2.0
/*
 * qisock KUnit: the fake modem shared by the suites (their contexts on it
 * are in qisock_kunit_fake_ctx.c), and the test module's description.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_compat.h"
#include "qisock_kunit_fake.h"

/* The module's receive data: protocol text, NULs and binary, by offset. */
u8 qkt_fake_pat(size_t i)
{
	static const char txt[] = "\r\nOK\r\n+QIURC: \"closed\",0\r\nSEND OK\r\n> \0\xff+QIRD: 5";

	if ((i / (sizeof(txt) - 1)) % 3 == 2)
		return (u8)(i * 31 + (i >> 8));
	return txt[i % (sizeof(txt) - 1)];
}

/* Where @buf first differs from the pattern at offset @base; @n if nowhere. */
size_t qkt_fake_pat_diff(const u8 *buf, size_t base, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (buf[i] != qkt_fake_pat(base + i))
			break;
	return i;
}

static void fake_out(struct qkt_fake *f, const char *s)
{
	size_t n = strlen(s);

	if (f->out_len + n <= sizeof(f->out)) {
		memcpy(f->out + f->out_len, s, n);
		f->out_len += n;
	}
}

static void fake_reply_line(struct qkt_fake *f, const char *s)
{
	fake_out(f, "\r\n");
	fake_out(f, s);
	fake_out(f, "\r\n");
}

/* "\r\n<s>\r\n" to the host (a suite's hook; lock held). */
void qkt_fake_reply_line(struct qkt_fake *f, const char *s)
{
	fake_reply_line(f, s);
}

/* @n bytes to the host as they are (NULs too; lock held), if they fit. */
void qkt_fake_out(struct qkt_fake *f, const void *buf, size_t n)
{
	if (f->out_len + n <= sizeof(f->out)) {
		memcpy(f->out + f->out_len, buf, n);
		f->out_len += n;
	}
}

static void fake_inject(struct qkt_fake *f, bool after)
{
	if (f->inject && f->inject_after == after) {
		fake_reply_line(f, f->inject);
		f->inject = NULL;
	}
}

/* Socket commands; true if handled. Lock held. */
static bool fake_sock_command(struct qkt_fake *f, const char *cmd)
{
	unsigned int id, n, k, ctx;
	char buf[96];

	if (!strncmp(cmd, "AT+QISDE=", 9) || !strncmp(cmd, "AT+QICFG=", 9) ||
	    !strncmp(cmd, "AT+QICLOSE=", 11) ||
	    !strncmp(cmd, "AT+QIDEACT=", 11) ||
	    !strncmp(cmd, "AT+QISWTMD=", 11)) {
		fake_reply_line(f, "OK");
		return true;
	}
	if (!strcmp(cmd, "AT+QISTATE?")) {
		if (f->stale)
			fake_reply_line(f, f->stale);
		fake_reply_line(f, "OK");
		return true;
	}
	if (sscanf(cmd, "AT+QIOPEN=%u,%u,", &ctx, &id) == 2) {
		if (f->open_hold) {
			fake_reply_line(f, "OK");
			return true;
		}
		if (f->open_err < 0) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		fake_reply_line(f, "OK");
		snprintf(buf, sizeof(buf), "+QIOPEN: %u,%d", id, f->open_err);
		fake_reply_line(f, buf);
		return true;
	}
	if (sscanf(cmd, "AT+QISEND=%u,%u", &id, &n) == 2) {
		if ((!n && f->qisend0_err) || (n && f->qisend_err)) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		if (!n) {
			snprintf(buf, sizeof(buf), "+QISEND: %zu,%zu,%zu",
				 f->sent_len,
				 f->sent_len - min(f->sent_len, f->unacked),
				 f->unacked);
			fake_reply_line(f, buf);
			fake_reply_line(f, "OK");
			return true;
		}
		fake_inject(f, false);
		fake_out(f, "\r\n> ");
		f->data_left = n;
		f->data_fail = f->sendfail > 0;
		if (f->sendfail)
			f->sendfail--;
		return true;
	}
	if (sscanf(cmd, "AT+QIRD=%u,%u", &id, &n) == 2 ||
	    sscanf(cmd, "AT+QIRD=%u", &id) == 1) {
		if (!strchr(cmd, ','))
			n = 1500;
		if (id >= QISOCK_SOCK_MAX) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		if (strchr(cmd, ',') && !n && f->qird0_err) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		if (strchr(cmd, ',') && !n) {
			snprintf(buf, sizeof(buf), "+QIRD: %zu,%zu,%zu",
				 f->avail[id], f->off[id],
				 f->avail[id] - f->off[id]);
			fake_reply_line(f, buf);
			fake_reply_line(f, "OK");
			return true;
		}
		f->qirds++;
		n = min_t(size_t, n, f->avail[id] - f->off[id]);
		if (f->dgram)
			n = min_t(unsigned int, n, f->dgram);
		if (!n) {
			f->qird_zero++;
			fake_reply_line(f, "+QIRD: 0");
			fake_reply_line(f, "OK");
			return true;
		}
		if (f->dgram)
			snprintf(buf, sizeof(buf), "+QIRD: %u,\"10.9.8.7\",4321",
				 n);
		else
			snprintf(buf, sizeof(buf), "+QIRD: %u", n);
		fake_reply_line(f, buf);
		for (k = 0; k < n && f->out_len < sizeof(f->out); k++)
			f->out[f->out_len++] = qkt_fake_pat(f->off[id] + k);
		f->off[id] += n;
		fake_reply_line(f, "OK");
		return true;
	}
	return false;
}

/* Note the time of the @n-th event of a kind. */
static void fake_stamp(unsigned long *at, unsigned int *n)
{
	if (*n < QKT_FAKE_STAMPS)
		at[*n] = jiffies;
	(*n)++;
}

/*
 * AT+CFUN=1,1: OK, then the restart (RDY, echo on, configuration gone).
 * A silent fake swallows it, unless hang_cfun. Lock held; true if handled.
 */
static bool fake_cfun(struct qkt_fake *f)
{
	fake_stamp(f->cfun_at, &f->cfuns);
	if (f->silent && !f->hang_cfun)
		return false;
	if (!f->silent)
		fake_reply_line(f, "OK");
	f->silent = false;
	f->echo = true;
	f->apn[0] = '\0';
	fake_reply_line(f, "RDY");
	return true;
}

/* Context commands (AT+QICSGP, QIACTEX, QIDNSCFG); true if handled. */
static bool fake_ctx_command(struct qkt_fake *f, const char *cmd)
{
	char buf[96];
	unsigned int id;

	if (!strcmp(cmd, "AT+QICSGP=1")) {
		snprintf(buf, sizeof(buf), "+QICSGP: 1,\"%s\",\"\",\"\",0", f->apn);
		fake_reply_line(f, buf);
	} else if (sscanf(cmd, "AT+QICSGP=1,1,\"%31[^\"]\"", f->apn) == 1) {
		/* stored */
	} else if (sscanf(cmd, "AT+QIACTEX=%u,", &id) == 1) {
		fake_stamp(f->act_at, &f->acts);
		if (f->act_refuse && f->act_cme) {
			f->act_refuse--;
			snprintf(buf, sizeof(buf), "+CME ERROR: %d", f->act_err);
			fake_reply_line(f, buf);
			return true;
		}
		fake_reply_line(f, "OK");
		snprintf(buf, sizeof(buf), "+QIACTEX: %u,%d", id,
			 f->act_refuse ? f->act_err : 0);
		if (f->act_refuse)
			f->act_refuse--;
		fake_reply_line(f, buf);
		return true;
	} else if (!strncmp(cmd, "AT+QIDNSCFG=", 12)) {
		f->dnscfgs++;
	} else if (strcmp(cmd, "AT+QIACT?")) {
		return false;
	}
	fake_reply_line(f, "OK");
	return true;
}

/*
 * The hung QIRD (late_n) is answered late, before the next command's answer,
 * as a module that was only slow would do. Lock held.
 */
static void fake_late_answer(struct qkt_fake *f)
{
	char buf[32];
	size_t k, id = f->late_id;

	if (!f->late_n)
		return;
	snprintf(buf, sizeof(buf), "+QIRD: %zu", f->late_n);
	fake_reply_line(f, buf);
	for (k = 0; k < f->late_n && f->out_len < sizeof(f->out); k++)
		f->out[f->out_len++] = qkt_fake_pat(f->off[id] + k);
	f->off[id] += f->late_n;
	f->late_n = 0;
	fake_reply_line(f, "OK");
}

/* Service commands and AT+QIACT?; true if handled. Lock held. */
static bool fake_svc_command(struct qkt_fake *f, const char *cmd)
{
	char buf[64];

	if (!strcmp(cmd, "AT+QIACT?")) {
		if (!f->ctx_down)
			fake_reply_line(f, "+QIACT: 1,1,1,\"10.0.0.2\"");
		fake_reply_line(f, "OK");
		return true;
	}
	if (!strcmp(cmd, "AT+QIGETERROR") && f->svc_err) {
		snprintf(buf, sizeof(buf), "+QIGETERROR: %d,dns busy",
			 f->svc_err);
		fake_reply_line(f, buf);
		fake_reply_line(f, "OK");
		return true;
	}
	if (strncmp(cmd, "AT+QIDNSGIP=", 12) && strncmp(cmd, "AT+QPING=", 9) &&
	    strncmp(cmd, "AT+QNTP=", 8))
		return false;
	f->svc_cmds++;
	fake_reply_line(f, f->svc_err ? "ERROR" : "OK");
	return true;
}

/* A command line arrived (auto mode); lock held. */
static void fake_command(struct qkt_fake *f, const char *cmd)
{
	char buf[96];

	if (strlcat(f->log, cmd, sizeof(f->log)) >= sizeof(f->log) ||
	    strlcat(f->log, "|", sizeof(f->log)) >= sizeof(f->log))
		f->truncated = true;
	if (f->rdy && f->ncmds == 1) {
		static const char noise[] = "\xfe\0 junk\x1b\r\n";

		memcpy(f->out + f->out_len, noise, sizeof(noise) - 1);
		f->out_len += sizeof(noise) - 1;
		fake_reply_line(f, "RDY");
	}
	if (f->echo) {
		fake_out(f, cmd);
		fake_out(f, "\r");
	}
	if (!strcmp(cmd, "AT+CFUN=1,1") && fake_cfun(f))
		return;
	if (f->silent || (f->hang_on && !strcmp(cmd, f->hang_on))) {
		complete(&f->hung);
		return;
	}
	fake_late_answer(f);
	if (f->hook && f->hook(f, cmd))
		return;
	if (f->bc66 && qkt_fake_bc66_command(f, cmd))
		return;
	if (fake_svc_command(f, cmd))
		return;
	if (!strcmp(cmd, "AT")) {
		f->at_count++;
		if (f->swallow_at) {
			f->swallow_at--;
			return;
		}
	} else if (!strcmp(cmd, "ATE0")) {
		f->echo = false;
	} else if (!strcmp(cmd, "ATE1")) {
		f->echo = true;
	} else if (!strcmp(cmd, "ATI")) {
		fake_reply_line(f, "Quectel");
		fake_out(f, f->model);
		snprintf(buf, sizeof(buf), "\r\nRevision: %s\r\n", f->rev);
		fake_out(f, buf);
	} else if (!strcmp(cmd, "AT+CGMM")) {
		fake_reply_line(f, f->model);
	} else if (!strcmp(cmd, "AT+CGMR")) {
		fake_reply_line(f, f->rev);
	} else if (!strcmp(cmd, "AT+QIGETERROR")) {
		if (f->bare_geterr)
			f->bare_geterr--;	/* as if a stale OK took it */
		else
			fake_reply_line(f, "+QIGETERROR: 0,operation success");
	} else if (fake_sock_command(f, cmd) || fake_ctx_command(f, cmd)) {
		return;
	} else if (strcmp(cmd, "AT+CMEE=1")) {
		fake_reply_line(f, "ERROR");
		return;
	}
	fake_reply_line(f, "OK");
}

/* How much of a write of @len bytes the transport takes; lock held. */
static size_t fake_take(struct qkt_fake *f, size_t len, bool *kick)
{
	if (f->full || (f->max_write && len > f->max_write)) {
		len = f->full ? 0 : f->max_write;
		*kick = !f->no_kick;
	}
	if (f->budget && f->rx_len + len > f->budget)
		len = f->budget > f->rx_len ? f->budget - f->rx_len : 0;
	return len;
}

/* Is the write (@buf, @len) to be answered from inside it? Lock held. */
static const char *fake_answer(struct qkt_fake *f, const u8 *buf, size_t len)
{
	size_t n = f->answer_to ? strlen(f->answer_to) : 0;

	if (!n || len < n || memcmp(buf + len - n, f->answer_to, n))
		return NULL;
	f->answer_to = NULL;
	return f->answer;
}

/* A byte of QISEND data after '>' (auto mode); true if it ended the data. */
static bool fake_data_byte(struct qkt_fake *f, u8 c)
{
	if (f->sent_len < sizeof(f->sent))
		f->sent[f->sent_len] = c;
	if (!f->data_fail)
		f->sent_len++;
	if (--f->data_left)
		return false;
	f->qisends++;
	if (f->bc66)	/* OK first, then SEND OK/FAIL, maybe late */
		qkt_fake_bc66_twice(f, f->data_fail ? "SEND FAIL" : "SEND OK",
				    f->send2_ms);
	else
		fake_reply_line(f, f->data_fail ? "SEND FAIL" : "SEND OK");
	fake_inject(f, true);
	return true;
}

/* A byte of command text (auto mode); true if it ended a command. */
static bool fake_cmd_byte(struct qkt_fake *f, u8 c)
{
	if (!c) {	/* NULs: ignored in command mode */
		f->nuls++;
		return false;
	}
	if (c == '\r') {
		f->line[f->line_len] = '\0';
		f->line_len = 0;
		f->ncmds++;
		fake_command(f, f->line);
		return true;
	}
	if (f->line_len < sizeof(f->line) - 1)
		f->line[f->line_len++] = c;
	return false;
}

static ssize_t fake_write(void *priv, const u8 *buf, size_t len)
{
	struct qkt_fake *f = priv;
	bool reply = false, kick = false;
	const char *answer = NULL;
	size_t offered = len, i;
	unsigned int ms;

	spin_lock(&f->lock);
	len = fake_take(f, len, &kick);
	for (i = 0; i < len; i++) {
		if (f->modem && f->data_left) {
			reply |= fake_data_byte(f, buf[i]);
			continue;
		}
		if (f->rx_len < sizeof(f->rx) - 1)
			f->rx[f->rx_len++] = buf[i];
		else
			f->truncated = true;
		if (f->modem)
			reply |= fake_cmd_byte(f, buf[i]);
	}
	f->rx[f->rx_len] = '\0';
	if (!f->dead && !f->modem)
		answer = fake_answer(f, buf, f->answer_offer ? offered : len);
	if (f->dead) {
		reply = false;
		kick = false;
	}
	ms = f->kick_ms;
	spin_unlock(&f->lock);

	/* a modem faster than the tx work: the answer before write returns */
	if (answer)
		qisock_at_receive(f->eng, answer, strlen(answer));
	wake_up(&f->wq);
	if (reply)
		schedule_work(&f->reply_work);
	if (kick)	/* like write_wakeup */
		schedule_delayed_work(&f->kick_work, msecs_to_jiffies(ms));
	return len;
}

const struct qisock_xport_ops qkt_fake_xops = {
	.write = fake_write,
};

static void fake_reply_work(struct work_struct *work)
{
	struct qkt_fake *f = container_of(work, struct qkt_fake, reply_work);
	u8 *buf;
	size_t n, i;

	buf = kmalloc(QKT_FAKE_BUF, GFP_KERNEL);
	if (!buf)
		return;
	spin_lock(&f->lock);
	n = f->out_len;
	memcpy(buf, f->out, n);
	f->out_len = 0;
	spin_unlock(&f->lock);

	if (f->split) {
		for (i = 0; i < n; i++)
			qisock_at_receive(f->eng, buf + i, 1);
	} else if (n) {
		qisock_at_receive(f->eng, buf, n);
	}
	kfree(buf);
}

static void fake_kick_work(struct work_struct *work)
{
	struct qkt_fake *f = container_of(to_delayed_work(work),
					  struct qkt_fake, kick_work);

	qisock_at_tx_kick(f->eng);
}

struct qkt_fake *qkt_fake_new(struct kunit *test)
{
	struct qkt_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	init_waitqueue_head(&f->wq);
	INIT_WORK(&f->reply_work, fake_reply_work);
	INIT_DELAYED_WORK(&f->kick_work, fake_kick_work);
	INIT_DELAYED_WORK(&f->late_work, qkt_fake_late_work);
	init_completion(&f->hung);
	f->model = "EC200U";
	f->rev = "EC200UCNAAR02A01M08";
	return f;
}

/**
 * qkt_dev_start() - a qisock device on fake @f, probed (EC200U timing
 * shortened as the socket suite has it).
 * @test: the test; the caller destroys the device.
 * @f: the fake, in modem mode.
 *
 * Return: the device (asserts on failure).
 */
struct qisock_dev *qkt_dev_start(struct kunit *test, struct qkt_fake *f)
{
	struct qisock_dev *qd;

	qd = qisock_dev_create(NULL, "ttyKUNIT", &qkt_fake_xops, f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(qd));
	f->eng = &qd->eng;
	qd->cfg.at_tries = 3;
	qd->cfg.at_timeout_ms = 300;
	qd->cfg.cmd_timeout_ms = 500;
	qd->eng.quiet_ms = 20;
	qd->eng.rs.probe_ms = 50;
	if (qisock_dev_start(qd) ||
	    !wait_for_completion_timeout(&qd->probe_done, 5 * HZ)) {
		qkt_fake_stop(f);
		qisock_dev_destroy(qd);
		KUNIT_FAIL_AND_ABORT(test, "probe did not finish");
	}
	return qd;
}

/* Negative checks ("never sent") hold only if the records are complete. */
void qkt_fake_check_records(struct kunit *test, struct qkt_fake *f)
{
	KUNIT_EXPECT_FALSE_MSG(test, f->truncated,
			       "the fake's command records overflowed");
}

/* Stop the fake before the engine goes: no more deliveries or kicks. */
void qkt_fake_stop(struct qkt_fake *f)
{
	spin_lock(&f->lock);
	f->dead = true;
	spin_unlock(&f->lock);
	cancel_delayed_work_sync(&f->late_work);	/* it queues reply_work */
	cancel_work_sync(&f->reply_work);
	cancel_delayed_work_sync(&f->kick_work);
}

/* Has the host written @needle (@n bytes, NULs allowed)? */
bool qkt_fake_has(struct qkt_fake *f, const void *needle, size_t n)
{
	bool found = false;
	size_t i;

	spin_lock(&f->lock);
	for (i = 0; !found && i + n <= f->rx_len; i++)
		found = !memcmp(f->rx + i, needle, n);
	spin_unlock(&f->lock);
	return found;
}

bool qkt_fake_has_str(struct qkt_fake *f, const char *s)
{
	return qkt_fake_has(f, s, strlen(s));
}

/* Wait until the host has written @needle (@n bytes, NULs allowed). */
bool qkt_fake_wait(struct qkt_fake *f, const void *needle, size_t n)
{
	return wait_event_timeout(f->wq, qkt_fake_has(f, needle, n),
				  3 * HZ) > 0;
}

/* Wait until the host has written @needle. */
bool qkt_fake_wait_rx(struct qkt_fake *f, const char *needle)
{
	return qkt_fake_wait(f, needle, strlen(needle));
}

/* Is everything the host wrote exactly @want? */
bool qkt_fake_rx_equals(struct qkt_fake *f, const void *want, size_t n)
{
	bool eq;

	spin_lock(&f->lock);
	eq = f->rx_len == n && !memcmp(f->rx, want, n);
	spin_unlock(&f->lock);
	return eq;
}

void qkt_fake_clear_rx(struct qkt_fake *f)
{
	spin_lock(&f->lock);
	f->rx_len = 0;
	f->rx[0] = '\0';
	spin_unlock(&f->lock);
}

/* Take nothing (@full) or everything again; never kick. */
void qkt_fake_set_full(struct qkt_fake *f, bool full)
{
	spin_lock(&f->lock);
	f->full = full;
	f->no_kick = true;
	spin_unlock(&f->lock);
}

/*
 * Take bytes until @rx_len is @n (0: no cap), without kicking: set before
 * a command, so no timing decides where the transport stops.
 */
void qkt_fake_set_budget(struct qkt_fake *f, size_t n)
{
	spin_lock(&f->lock);
	f->budget = n;
	f->no_kick = true;
	spin_unlock(&f->lock);
}

/* At most @max bytes a write; kick @kick_ms later (0: never kick). */
void qkt_fake_set_max(struct qkt_fake *f, size_t max, unsigned int kick_ms)
{
	spin_lock(&f->lock);
	f->max_write = max;
	f->no_kick = !kick_ms;
	f->kick_ms = kick_ms;
	spin_unlock(&f->lock);
}

/* Feed @answer from inside the next write offering @to (taken or not). */
void qkt_fake_set_answer(struct qkt_fake *f, const char *to,
			 const char *answer)
{
	spin_lock(&f->lock);
	f->answer_offer = true;
	f->answer_to = to;
	f->answer = answer;
	spin_unlock(&f->lock);
}

/* The write qkt_fake_set_answer() waited for has happened. */
bool qkt_fake_answered(struct qkt_fake *f)
{
	bool done;

	spin_lock(&f->lock);
	done = !f->answer_to;
	spin_unlock(&f->lock);
	return done;
}

bool qkt_fake_log_has(struct qkt_fake *f, const char *s)
{
	bool found;

	spin_lock(&f->lock);
	found = strstr(f->log, s);
	spin_unlock(&f->lock);
	return found;
}

/* Where @needle last occurs in the command log, or -1. */
long qkt_fake_log_last(struct qkt_fake *f, const char *needle)
{
	const char *p, *last = NULL;
	long pos;

	spin_lock(&f->lock);
	for (p = f->log; (p = strstr(p, needle)); p++)
		last = p;
	pos = last ? last - f->log : -1;
	spin_unlock(&f->lock);
	return pos;
}

/* "+QIRD: n": n bytes follow; more than QKT_BLK_MAX is refused. */
static int qkt_blk_info(struct qat_cmd *cmd, const struct qp_line *l)
{
	struct qp_arg a[3];
	int n = qisock_parse_line_args(l, a, 3);

	if (strncmp(l->text, "+QIRD:", 6) || n < 1 || !a[0].is_int)
		return 0;
	if (a[0].v > QKT_BLK_MAX)
		return -EMSGSIZE;
	return (int)a[0].v;
}

static void qkt_blk_data(struct qat_cmd *cmd, const u8 *buf, u32 len,
			 bool last)
{
	struct qkt_blk_sink *s = cmd->priv;

	if (s->len < sizeof(s->buf))
		memcpy(s->buf + s->len, buf,
		       min_t(size_t, len, sizeof(s->buf) - s->len));
	s->len += len;
	s->lasts += last;
}

const struct qat_cmd_ops qkt_blk_ops = {
	.info	= qkt_blk_info,
	.data	= qkt_blk_data,
};

/*
 * A command as the EC200U dialect describes @kind, for tests that need its
 * finals (QISEND: SEND OK/FAIL); @timeout_ms 0 keeps the descriptor's.
 * Return: the command, or NULL.
 */
struct qat_cmd *qkt_cmd_ec200u(enum qisock_cmd kind, unsigned int timeout_ms,
			       size_t resp_size, size_t data_len,
			       const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qisock_at_cmd_valloc(&qisock_dialect_ec200u.cmds[kind], resp_size,
				   data_len, fmt, ap);
	va_end(ap);
	if (IS_ERR(cmd))
		return NULL;
	if (timeout_ms)
		cmd->timeout_ms = timeout_ms;
	return cmd;
}

MODULE_DESCRIPTION("KUnit tests for qisock");
MODULE_LICENSE("GPL");
QISOCK_KUNIT_IMPORT_NS();
