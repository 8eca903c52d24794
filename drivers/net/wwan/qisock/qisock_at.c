// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine. The rules for contexts and locks are in qisock_at.h.
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qisock_at.h"

static void qat_cmd_release(struct kref *ref)
{
	kfree(container_of(ref, struct qat_cmd, ref));
}

void qat_cmd_get(struct qat_cmd *cmd)
{
	kref_get(&cmd->ref);
}

void qat_cmd_put(struct qat_cmd *cmd)
{
	if (cmd)
		kref_put(&cmd->ref, qat_cmd_release);
}

/*
 * The V.250 rule for an extended command: "AT+CGMM" -> "+CGMM:", and its
 * read form ("AT+QIACTEX?") claims the lines with that prefix. Generic
 * syntax only; what a particular command expects comes from its
 * descriptor.
 */
static void qat_cmd_v250_prefix(struct qat_cmd *cmd, unsigned int len)
{
	const char *l = cmd->line;
	unsigned int i, n = 0;

	if (len < 4 || (l[0] != 'A' && l[0] != 'a') ||
	    (l[1] != 'T' && l[1] != 't') || l[2] != '+')
		return;
	for (i = 2; i < len && n < sizeof(cmd->prefix) - 2; i++) {
		if (l[i] == '=' || l[i] == '?' || l[i] == ';')
			break;
		cmd->prefix[n++] = l[i];
	}
	cmd->prefix[n++] = ':';
	cmd->prefix[n] = '\0';
	cmd->claim_urc = l[len - 1] == '?';
}

#define QAT_DEFAULT_FINALS	(QP_BIT(QP_OK) | QP_BIT(QP_ERROR) |	\
				 QP_BIT(QP_CME_ERROR) | QP_BIT(QP_CMS_ERROR))

/* Expectations from @desc (NULL: a plain command with default finals). */
static void qat_cmd_apply_desc(struct qat_cmd *cmd,
			       const struct qisock_cmd_desc *desc,
			       unsigned int len)
{
	if (!desc || !desc->prefix)
		qat_cmd_v250_prefix(cmd, len);
	if (!desc)
		return;
	if (desc->prefix)
		strscpy(cmd->prefix, desc->prefix, sizeof(cmd->prefix));
	if (desc->claim_urc)
		cmd->claim_urc = true;
	cmd->claim_min_args = desc->claim_min_args;
	cmd->final_mask = (QAT_DEFAULT_FINALS | desc->finals) & ~desc->inter;
	cmd->inter_mask = desc->inter;
	cmd->late = desc->late;
	if (desc->timeout_ms)
		cmd->timeout_ms = desc->timeout_ms;
}

/**
 * qat_check_line() - may @line be sent as (part of) a command line?
 * @line: the text.
 * @len: its length.
 *
 * Return: 0, or -EINVAL if it is empty, longer than QAT_CMD_MAX, or holds
 * CR, LF, another control byte or DEL (they would end or corrupt the line
 * and could smuggle a second command in).
 */
int qat_check_line(const char *line, size_t len)
{
	size_t i;

	if (!len || len > QAT_CMD_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if ((u8)line[i] < 0x20 || line[i] == 0x7f)
			return -EINVAL;
	return 0;
}

/**
 * qat_quote() - copy a string argument for a command line, in quotes.
 * @dst: destination.
 * @size: its size.
 * @src: the argument (a host name, an APN, ...).
 *
 * Return: the length written (without the NUL), or -EINVAL if @src holds a
 * '"', a control byte or DEL, or does not fit.
 */
int qat_quote(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src), i;

	if (n + 3 > size || n > QAT_CMD_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (src[i] == '"' || (u8)src[i] < 0x20 || src[i] == 0x7f)
			return -EINVAL;
	dst[0] = '"';
	memcpy(dst + 1, src, n);
	dst[n + 1] = '"';
	dst[n + 2] = '\0';
	return n + 2;
}

/*
 * Return: the command, ERR_PTR(-E2BIG) for a line longer than QAT_CMD_MAX
 * (never truncated), -EINVAL for an empty one or one with bytes
 * qat_check_line() refuses, or -ENOMEM.
 */
static __printf(5, 0)
struct qat_cmd *qat_cmd_vnew(const struct qisock_cmd_desc *desc,
			     unsigned int timeout_ms, size_t resp_size,
			     size_t data_len, const char *fmt, va_list ap)
{
	struct qat_cmd *cmd;
	va_list aq;
	size_t size;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n > QAT_CMD_MAX)
		return ERR_PTR(-E2BIG);
	if (n <= 0)
		return ERR_PTR(-EINVAL);
	if (resp_size > U16_MAX)
		resp_size = U16_MAX;

	size = size_add(struct_size(cmd, line, n + 2),
			size_add(resp_size, data_len));
	cmd = kzalloc(size, GFP_KERNEL);
	if (!cmd)
		return ERR_PTR(-ENOMEM);

	vsnprintf(cmd->line, n + 1, fmt, ap);
	if (qat_check_line(cmd->line, n)) {
		kfree(cmd);
		return ERR_PTR(-EINVAL);
	}
	cmd->line[n] = '\r';
	cmd->line_len = n + 1;
	cmd->resp = cmd->line + n + 2;
	cmd->resp_size = resp_size;
	cmd->data = (u8 *)cmd->resp + resp_size;
	cmd->data_len = data_len;

	kref_init(&cmd->ref);
	INIT_LIST_HEAD(&cmd->node);
	init_completion(&cmd->done);
	cmd->timeout_ms = timeout_ms ? timeout_ms : QAT_TIMEOUT_MS;
	cmd->result = QP_INFO;
	cmd->cme = -1;
	cmd->phase = QAT_QUEUED;
	cmd->final_mask = QAT_DEFAULT_FINALS;
	qat_cmd_apply_desc(cmd, desc, n);
	return cmd;
}

/**
 * qat_cmd_new() - allocate a command.
 * @timeout_ms: time-out, 0 for QAT_TIMEOUT_MS.
 * @resp_size: room for information lines (0: they are not kept).
 * @data_len: bytes to send after the '>' prompt; the caller fills
 *	cmd->data (0: no data phase).
 * @fmt: printf format of the command line, without the CR.
 *
 * Return: the command with one reference, or NULL (no memory, or a command
 * line qat_check_line() refuses: empty, longer than QAT_CMD_MAX, holding
 * CR, LF, other control bytes or DEL).
 */
struct qat_cmd *qat_cmd_new(unsigned int timeout_ms, size_t resp_size,
			    size_t data_len, const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(NULL, timeout_ms, resp_size, data_len, fmt, ap);
	va_end(ap);
	return IS_ERR(cmd) ? NULL : cmd;
}

/**
 * qat_cmd_valloc() - qat_cmd_alloc() with a va_list.
 * @desc: see qat_cmd_alloc().
 * @resp_size: see qat_cmd_alloc().
 * @data_len: see qat_cmd_alloc().
 * @fmt: see qat_cmd_alloc().
 * @ap: the arguments of @fmt.
 *
 * Return: see qat_cmd_alloc().
 */
struct qat_cmd *qat_cmd_valloc(const struct qisock_cmd_desc *desc,
			       size_t resp_size, size_t data_len,
			       const char *fmt, va_list ap)
{
	return qat_cmd_vnew(desc, 0, resp_size, data_len, fmt, ap);
}

/**
 * qat_cmd_alloc() - allocate a command described by its dialect.
 * @desc: what it expects (final results, prefix, late lines, time-out),
 *	or NULL for a plain command.
 * @resp_size: room for information lines (0: they are not kept).
 * @data_len: bytes to send after the '>' prompt (0: no data phase).
 * @fmt: printf format of the command line, without the CR.
 *
 * Return: the command with one reference, ERR_PTR(-E2BIG) for a line
 * over QAT_CMD_MAX, -EINVAL for a line qat_check_line() refuses, or
 * -ENOMEM. Nothing is ever truncated.
 */
struct qat_cmd *qat_cmd_alloc(const struct qisock_cmd_desc *desc,
			      size_t resp_size, size_t data_len,
			      const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(desc, 0, resp_size, data_len, fmt, ap);
	va_end(ap);
	return cmd;
}

static int qat_result_status(u8 code)
{
	switch (code) {
	case QP_OK:
	case QP_SEND_OK:
	case QP_CLOSE_OK:
	case QP_CONNECT:
		return 0;
	case QP_SEND_FAIL:
		return -ENOBUFS;
	case QP_NO_CARRIER:
		return -ENOTCONN;
	default:
		return -EIO;
	}
}

/*
 * Deliver the outcome. The caller has unlinked @cmd from the engine (queue
 * or cur) and hands over the engine's reference.
 */
static void qat_finish(struct qat_engine *eng, struct qat_cmd *cmd,
		       int status, enum qp_code result)
{
	cmd->status = status;
	cmd->result = result;
	spin_lock(&eng->lock);
	cmd->phase = QAT_DONE;
	eng->st.cmds++;
	spin_unlock(&eng->lock);
	if (eng->dev)
		dev_dbg(eng->dev, "done: %.*s -> %d (%s)\n",
			cmd->line_len - 1, cmd->line, status,
			qp_code_name(result));
	if (cmd->ops && cmd->ops->done)
		cmd->ops->done(cmd);
	complete_all(&cmd->done);
	qat_cmd_put(cmd);
}

/* Make @cmd no longer current; false if something else already did. */
static bool qat_take_cur(struct qat_engine *eng, struct qat_cmd *cmd,
			 bool quiet)
{
	bool taken = false;

	spin_lock(&eng->lock);
	if (eng->cur == cmd && cmd) {
		eng->cur = NULL;
		/* under the lock: the next command cannot have armed it yet */
		cancel_delayed_work(&eng->to_work);
		if (quiet) {
			eng->hold = true;
			eng->hold_until = jiffies +
					  msecs_to_jiffies(eng->quiet_ms);
		}
		taken = true;
	}
	spin_unlock(&eng->lock);
	return taken;
}

/**
 * qat_tx_kick() - have the tx work run (any context, also hard IRQ).
 * @eng: the engine.
 */
void qat_tx_kick(struct qat_engine *eng)
{
	queue_delayed_work(system_wq, &eng->tx_work, 0);
}

/* Transfer time of @len bytes at the slowest line rate assumed. */
static unsigned long qat_xfer_jiffies(size_t len)
{
	return msecs_to_jiffies(div_u64((u64)len * 1000, QAT_LINE_BPS));
}

/*
 * Push the deadline of @cmd (if it is still in flight) to at least
 * timeout_ms + @extra from now: bytes were written for it or arrived for
 * it. The time-out work re-arms itself when it fires early.
 */
static void qat_extend(struct qat_engine *eng, struct qat_cmd *cmd,
		       unsigned long extra)
{
	unsigned long d;

	spin_lock(&eng->lock);
	if (eng->cur == cmd) {
		d = jiffies + msecs_to_jiffies(cmd->timeout_ms) + extra;
		if (time_after(d, cmd->deadline))
			cmd->deadline = d;
	}
	spin_unlock(&eng->lock);
}

static const u8 qat_zeros[64];
static const u8 qat_cr[] = "\r";

/*
 * The resync probes (see qisock_at.h): the command line and the marker
 * line its answer starts with. Kind 1 stands in when the zombie is kind 0.
 */
static const struct {
	const char *line;
	const char *marker;
} qat_rs_probes[QAT_RS_KINDS] = {
	{ "AT+QIGETERROR\r", "+QIGETERROR:" },
	{ "AT+QIDNSCFG=?\r", "+QIDNSCFG:" },
};

static size_t qat_rs_plen(const struct qat_engine *eng)
{
	return strlen(qat_rs_probes[eng->rs_kind].line);
}

enum qat_rs_out {
	QAT_RS_OUT_NONE,
	QAT_RS_OUT_CR,
	QAT_RS_OUT_FILL,
	QAT_RS_OUT_PROBE,
};

/*
 * The next resync bytes to write (lock held). After a resync that gave up
 * only its tail ("\r", filler) is left.
 */
static enum qat_rs_out qat_rs_next(struct qat_engine *eng, const u8 **buf,
				   size_t *len)
{
	size_t plen = qat_rs_plen(eng);

	if (eng->rs_cr) {
		*buf = qat_cr;
		*len = 1;
		return QAT_RS_OUT_CR;
	}
	if (eng->rs_fill) {
		*buf = qat_zeros;
		*len = min(eng->rs_fill, sizeof(qat_zeros));
		return QAT_RS_OUT_FILL;
	}
	/* draining: finish a probe already begun, begin none */
	if (eng->rs_active && eng->rs_off < plen &&
	    !(eng->rs_drain && !eng->rs_begun)) {
		*buf = (const u8 *)qat_rs_probes[eng->rs_kind].line +
		       eng->rs_off;
		*len = plen - eng->rs_off;
		return QAT_RS_OUT_PROBE;
	}
	return QAT_RS_OUT_NONE;
}

/* Have the time-out work run at @d, or now if that has passed. */
static void qat_rs_timer(struct qat_engine *eng, unsigned long d)
{
	mod_delayed_work(system_wq, &eng->to_work,
			 time_after(d, jiffies) ? d - jiffies : 0);
}

/*
 * (Re)arm the probe time-out: @d, or later if draining, but no later than
 * the end of the whole resync (lock held).
 */
static void qat_rs_arm(struct qat_engine *eng, unsigned long d)
{
	if (!eng->rs_drain || time_after(d, eng->rs_deadline))
		eng->rs_deadline = d;
	qat_rs_timer(eng, time_before(eng->rs_deadline, eng->rs_end_by) ?
			  eng->rs_deadline : eng->rs_end_by);
}

/*
 * The resync as a whole ends by rs_end_by (see qisock_at.h): each probe
 * try with its transfer time and a jiffy of slack, one more for a drain,
 * the "\r"; qat_rs_add_fill() adds the filler (lock held).
 */
static void qat_rs_budget(struct qat_engine *eng)
{
	unsigned long try = qat_xfer_jiffies(qat_rs_plen(eng)) +
			    msecs_to_jiffies(eng->rs_probe_ms) + 1;

	eng->rs_end_by = jiffies + (QAT_RS_TRIES + 1) * try +
			 qat_xfer_jiffies(1);
	qat_rs_timer(eng, eng->rs_end_by);
}

/* Filler for @n more bytes of the zombie's data phase (lock held). */
static void qat_rs_add_fill(struct qat_engine *eng, size_t n)
{
	eng->rs_fill += n;
	eng->rs_filled = true;
	eng->rs_end_by += qat_xfer_jiffies(n);
}

/* @n bytes of @out were written (lock held). */
static void qat_rs_wrote(struct qat_engine *eng, enum qat_rs_out out,
			 size_t n)
{
	size_t plen = qat_rs_plen(eng);

	switch (out) {
	case QAT_RS_OUT_CR:
		if (n)
			eng->rs_cr = false;
		break;
	case QAT_RS_OUT_FILL:
		eng->rs_fill -= min(n, eng->rs_fill);
		break;
	case QAT_RS_OUT_PROBE:
		eng->rs_off = min_t(size_t, eng->rs_off + n, plen);
		if (eng->rs_off < plen)
			break;
		qat_rs_arm(eng, jiffies + qat_xfer_jiffies(plen) +
				msecs_to_jiffies(eng->rs_probe_ms));
		break;
	default:
		break;
	}
}

/*
 * A write of (the rest of) a probe is about to go out (lock held). Its
 * answer is owed from before the write: the answer may be received before
 * the tx work takes the lock again.
 */
static void qat_rs_begin(struct qat_engine *eng)
{
	if (!eng->rs_begun) {
		eng->rs_begun = true;
		eng->rs_tries++;
		eng->rs_owed[eng->rs_kind]++;
		eng->st.rs_probes++;
	}
	eng->rs_line_end = true;
}

/*
 * A pair of this resync came while its probe was out (lock held): drain,
 * or, when no probe is owed any more, the resync is over. Return: over.
 */
static bool qat_rs_settle(struct qat_engine *eng)
{
	eng->rs_drain = true;
	if (!eng->rs_owed[eng->rs_kind])
		return true;
	qat_rs_arm(eng, jiffies + msecs_to_jiffies(eng->rs_probe_ms));
	return false;
}

/*
 * The write of a probe returned and a pair of this resync came during it
 * (lock held). Only a probe that went out completely can have been
 * answered; the end of the resync is left to the time-out work, which
 * holds rx_mutex.
 */
static void qat_rs_answered_in_write(struct qat_engine *eng)
{
	if (eng->rs_off != qat_rs_plen(eng)) {
		/* an earlier probe's pair: this one is owed for sure */
		if (!eng->rs_owed[eng->rs_kind])
			eng->rs_owed[eng->rs_kind] = 1;
		return;
	}
	if (qat_rs_settle(eng)) {
		eng->rs_deadline = jiffies;	/* drained: nothing owed */
		qat_rs_timer(eng, jiffies);
	}
}

/*
 * Resync output: "\r", filler, probe; after a resync that gave up, its
 * tail. Called and returns with the lock.
 */
static void qat_tx_resync(struct qat_engine *eng)
{
	enum qat_rs_out out;
	const u8 *buf;
	bool answered;
	size_t len;
	ssize_t n;

	while (!eng->gone) {
		out = qat_rs_next(eng, &buf, &len);
		if (out == QAT_RS_OUT_NONE)
			return;		/* waiting for the probe's answer */
		if (out == QAT_RS_OUT_PROBE)
			qat_rs_begin(eng);
		spin_unlock(&eng->lock);
		n = eng->xops->write(eng->xpriv, buf, len);
		spin_lock(&eng->lock);
		eng->rs_line_end = false;
		answered = eng->rs_answered;
		eng->rs_answered = false;
		if (eng->gone)
			return;
		if (n < 0) {
			/* the transport is gone: the commands will fail */
			eng->rs_active = false;
			eng->rs_cr = false;
			eng->rs_fill = 0;
			return;
		}
		/* a probe cut by a give-up already has its "\r" scheduled */
		if (out != QAT_RS_OUT_PROBE || eng->rs_active)
			qat_rs_wrote(eng, out, n);
		if (answered && eng->rs_active)
			qat_rs_answered_in_write(eng);
		if ((size_t)n < len)
			return;		/* the transport kicks us */
	}
}

/* Resync output, or the tail of one that gave up, is pending (lock held). */
static bool qat_rs_pending(const struct qat_engine *eng)
{
	return eng->rs_active || eng->rs_cr || eng->rs_fill;
}

static void qat_tx_work(struct work_struct *work)
{
	struct qat_engine *eng = container_of(to_delayed_work(work),
					      struct qat_engine, tx_work);
	struct qat_cmd *cmd;
	const u8 *buf;
	size_t len;
	ssize_t n;
	bool more;

again:
	spin_lock(&eng->lock);
	if (eng->gone)
		goto out_unlock;
	cmd = eng->cur;
	if (!cmd && qat_rs_pending(eng)) {
		qat_tx_resync(eng);
		if (qat_rs_pending(eng) || eng->gone)
			goto out_unlock;
	}
	if (!cmd) {
		if (list_empty(&eng->queue))
			goto out_unlock;
		if (eng->hold && time_before(jiffies, eng->hold_until)) {
			mod_delayed_work(system_wq, &eng->tx_work,
					 eng->hold_until - jiffies);
			goto out_unlock;
		}
		eng->hold = false;
		cmd = list_first_entry(&eng->queue, struct qat_cmd, node);
		list_del_init(&cmd->node);
		eng->queued--;
		eng->cur = cmd;		/* the queue's reference moves here */
		cmd->phase = QAT_SENDING;
		cmd->tx_off = 0;
		cmd->deadline = jiffies + msecs_to_jiffies(cmd->timeout_ms);
		mod_delayed_work(system_wq, &eng->to_work,
				 msecs_to_jiffies(cmd->timeout_ms));
		if (eng->dev)
			dev_dbg(eng->dev, "tx: %.*s\n", cmd->line_len - 1,
				cmd->line);
	}

	switch (cmd->phase) {
	case QAT_SENDING:
		buf = (const u8 *)cmd->line;
		len = cmd->line_len;
		/* this write hands over the rest of the line: '>' may count */
		cmd->line_end = true;
		break;
	case QAT_DATA:
		buf = cmd->data;
		len = cmd->data_len;
		break;
	default:
		goto out_unlock;	/* waiting for the modem */
	}
	buf += cmd->tx_off;
	len -= cmd->tx_off;
	qat_cmd_get(cmd);
	spin_unlock(&eng->lock);

	n = eng->xops->write(eng->xpriv, buf, len);

	spin_lock(&eng->lock);
	cmd->line_end = false;
	if (eng->cur != cmd || eng->gone) {
		/* completed (or shut down) while we were writing */
		spin_unlock(&eng->lock);
		qat_cmd_put(cmd);
		return;
	}
	if (n < 0) {
		spin_unlock(&eng->lock);
		if (qat_take_cur(eng, cmd, false))
			qat_finish(eng, cmd, (int)n, QP_INFO);
		qat_cmd_put(cmd);
		goto again;
	}
	cmd->tx_off += min_t(size_t, n, len);
	/* the deadline counts from the last byte written, on the wire */
	if (n > 0) {
		unsigned long d = jiffies + qat_xfer_jiffies(n) +
				  msecs_to_jiffies(cmd->timeout_ms);

		if (time_after(d, cmd->deadline))
			cmd->deadline = d;
	}
	more = false;
	if ((size_t)n >= len) {
		if (cmd->phase == QAT_SENDING && cmd->data_len) {
			cmd->tx_off = 0;
			cmd->phase = cmd->prompt_seen ? QAT_DATA :
							QAT_WAIT_PROMPT;
			more = cmd->phase == QAT_DATA;
		} else {
			cmd->phase = QAT_WAIT_FINAL;
		}
	} else if (cmd->prompt_seen) {
		/* the modem cannot have taken the line yet: a stale '>' */
		cmd->prompt_seen = false;
		eng->st.stray_prompt++;
	}
	/* else: the transport kicks us when it has room */
	spin_unlock(&eng->lock);
	qat_cmd_put(cmd);
	if (more)
		goto again;
	return;

out_unlock:
	spin_unlock(&eng->lock);
}

static void qat_blk_end(struct qat_engine *eng)
{
	qat_cmd_put(eng->blk_cmd);
	eng->blk_cmd = NULL;
	eng->blk_owner = QAT_BLK_NONE;
}

/*
 * Start a resync for the zombie @cmd (lock held). The probe is one whose
 * marker line cannot be part of the zombie's own answer.
 */
static void qat_rs_start(struct qat_engine *eng, const struct qat_cmd *cmd)
{
	if (!eng->rs_active)
		eng->st.resyncs++;
	eng->rs_active = true;
	eng->rs_cr = false;
	eng->rs_drain = false;
	eng->rs_fill = 0;
	eng->rs_filled = false;
	eng->rs_tries = 0;
	eng->rs_off = 0;
	eng->rs_begun = false;
	eng->rs_answered = false;
	eng->rs_paired = false;
	eng->rs_kind = strcasecmp(cmd->prefix, qat_rs_probes[0].marker) ? 0 : 1;
}

/*
 * @cmd, the command in flight, failed without (all of) its answer: a
 * time-out, a line error, an answer it refused. Complete it with @err, keep
 * it as the zombie and start a resync (see qisock_at.h). rx_mutex held.
 */
static void qat_abort_cur(struct qat_engine *eng, struct qat_cmd *cmd, int err)
{
	struct qat_cmd *old;

	spin_lock(&eng->lock);
	if (eng->cur != cmd || eng->gone) {
		spin_unlock(&eng->lock);
		return;
	}
	eng->cur = NULL;
	cancel_delayed_work(&eng->to_work);
	if (err == -ETIMEDOUT)
		eng->st.timeouts++;
	old = eng->zombie;
	qat_cmd_get(cmd);
	eng->zombie = cmd;
	qat_rs_start(eng, cmd);
	qat_rs_budget(eng);
	switch (cmd->phase) {
	case QAT_SENDING:
		if (cmd->tx_off)
			eng->rs_cr = true;	/* end the cut line */
		break;
	case QAT_WAIT_PROMPT:
		/* harmless in command mode, completes the data otherwise */
		qat_rs_add_fill(eng, cmd->data_len);
		break;
	case QAT_DATA:
		qat_rs_add_fill(eng, cmd->data_len - cmd->tx_off);
		break;
	default:
		break;
	}
	spin_unlock(&eng->lock);
	eng->rs_mark = 0;	/* a marker whose final never came */
	qat_cmd_put(old);

	if (eng->blk_owner == QAT_BLK_CMD) {
		/* the parser consumes the rest of the block; nobody gets it */
		qat_cmd_put(eng->blk_cmd);
		eng->blk_cmd = NULL;
		eng->blk_owner = QAT_BLK_NONE;
	}
	if (eng->dev)
		dev_dbg(eng->dev, "failed (%d), resync: %.*s\n", err,
			cmd->line_len - 1, cmd->line);
	qat_finish(eng, cmd, err, QP_INFO);
	qat_tx_kick(eng);
}

/*
 * The resync is over (probe answered, drained or given up). Owed probes
 * stay owed, the tail of a resync that gave up ("\r", filler) still goes
 * out (see qisock_at.h). rx_mutex held.
 */
static void qat_rs_end(struct qat_engine *eng)
{
	struct qat_cmd *z;

	spin_lock(&eng->lock);
	z = eng->zombie;
	eng->zombie = NULL;
	eng->rs_active = false;
	eng->rs_drain = false;
	eng->hold = true;
	eng->hold_until = jiffies + msecs_to_jiffies(eng->quiet_ms);
	spin_unlock(&eng->lock);
	qat_cmd_put(z);
	qat_tx_kick(eng);
}

enum qat_rs_step {
	QAT_RS_WAIT,		/* nothing to do yet */
	QAT_RS_AGAIN,		/* probe again */
	QAT_RS_DRAINED,		/* owed probes taken as lost */
	QAT_RS_GIVE_UP,
};

/*
 * The resync ran out of time (lock held): a probe cut in the middle (or
 * still being written) is ended with "\r" before the next command line.
 */
static enum qat_rs_step qat_rs_give_up(struct qat_engine *eng)
{
	if (eng->rs_begun && eng->rs_off < qat_rs_plen(eng) &&
	    (eng->rs_off || eng->rs_line_end))
		eng->rs_cr = true;
	return QAT_RS_GIVE_UP;
}

/* The probe that is out, or the whole resync, timed out? (lock held) */
static enum qat_rs_step qat_rs_timeout(struct qat_engine *eng)
{
	if (!eng->rs_active)
		return QAT_RS_WAIT;
	if (!time_before(jiffies, eng->rs_end_by))
		return qat_rs_give_up(eng);
	if (eng->rs_off != qat_rs_plen(eng)) {
		qat_rs_timer(eng, eng->rs_end_by);
		return QAT_RS_WAIT;
	}
	if (time_before(jiffies, eng->rs_deadline)) {
		qat_rs_arm(eng, eng->rs_deadline);
		return QAT_RS_WAIT;
	}
	if (eng->rs_drain) {
		eng->rs_owed[eng->rs_kind] = 0;	/* taken as lost */
		return QAT_RS_DRAINED;
	}
	if (eng->rs_tries >= QAT_RS_TRIES)
		return qat_rs_give_up(eng);
	eng->rs_off = 0;
	eng->rs_begun = false;
	return QAT_RS_AGAIN;
}

static void qat_rs_gave_up_msg(struct qat_engine *eng)
{
	if (!eng->dev)
		return;
	dev_warn(eng->dev, "modem does not answer the resync probe, going on\n");
	if (!eng->rs_paired)
		dev_dbg(eng->dev, "no answer with the marker %s at all in this resync\n",
			qat_rs_probes[eng->rs_kind].marker);
}

static void qat_timeout_work(struct work_struct *work)
{
	struct qat_engine *eng = container_of(to_delayed_work(work),
					      struct qat_engine, to_work);
	enum qat_rs_step step;
	struct qat_cmd *cmd;

	mutex_lock(&eng->rx_mutex);
	spin_lock(&eng->lock);
	cmd = eng->cur;
	if (eng->gone) {
		spin_unlock(&eng->lock);
		goto out;
	}
	if (!cmd) {
		/* a resync probe that is out */
		step = qat_rs_timeout(eng);
		spin_unlock(&eng->lock);
		if (step == QAT_RS_AGAIN) {
			qat_tx_kick(eng);
		} else if (step != QAT_RS_WAIT) {
			/* a marker without its final: that final is lost */
			eng->rs_mark = 0;
			if (step == QAT_RS_GIVE_UP)
				qat_rs_gave_up_msg(eng);
			qat_rs_end(eng);
		}
		goto out;
	}
	if (time_before(jiffies, cmd->deadline)) {
		mod_delayed_work(system_wq, &eng->to_work,
				 cmd->deadline - jiffies);
		spin_unlock(&eng->lock);
		goto out;
	}
	qat_cmd_get(cmd);
	spin_unlock(&eng->lock);

	if (eng->dev)
		dev_dbg(eng->dev, "timeout: %.*s\n", cmd->line_len - 1,
			cmd->line);
	qat_abort_cur(eng, cmd, -ETIMEDOUT);
	qat_cmd_put(cmd);
out:
	mutex_unlock(&eng->rx_mutex);
}

/**
 * qat_rx_error() - the transport received a byte with a parity or framing
 *	error, or lost bytes (overrun).
 * @eng: the engine.
 *
 * The command in flight (whose line or block the byte belongs to, or
 * would) fails with -EIO and the engine resyncs. Process context.
 */
void qat_rx_error(struct qat_engine *eng)
{
	struct qat_cmd *cmd;

	mutex_lock(&eng->rx_mutex);
	eng->rs_mark = 0;	/* the final of a probe answer may be lost */
	spin_lock(&eng->lock);
	eng->st.rx_errors++;
	cmd = eng->gone ? NULL : eng->cur;
	if (cmd && cmd->phase == QAT_QUEUED)
		cmd = NULL;
	if (cmd)
		qat_cmd_get(cmd);
	spin_unlock(&eng->lock);
	if (cmd) {
		qat_abort_cur(eng, cmd, -EIO);
		qat_cmd_put(cmd);
	}
	mutex_unlock(&eng->rx_mutex);
}

/* The final results a probe answer ends with. */
#define QAT_RS_FINALS	(QP_BIT(QP_OK) | QP_BIT(QP_ERROR) | \
			 QP_BIT(QP_CME_ERROR) | QP_BIT(QP_CMS_ERROR))

/*
 * Is @line the marker line of an owed probe (see qisock_at.h)? Then its
 * final result comes next: note the probe's kind in rs_mark. @cmd, the
 * command in flight (or NULL), and the zombie keep lines with their own
 * prefix. rx_mutex held.
 */
static bool qat_rs_marker(struct qat_engine *eng, const struct qat_cmd *cmd,
			  const struct qp_line *line)
{
	unsigned int k;
	const char *m;
	u8 mark = 0;

	spin_lock(&eng->lock);
	for (k = 0; k < QAT_RS_KINDS && !mark; k++) {
		m = qat_rs_probes[k].marker;
		if (eng->rs_owed[k] && line->len >= strlen(m) &&
		    !strncasecmp(line->text, m, strlen(m)) &&
		    (!cmd || strcasecmp(cmd->prefix, m)) &&
		    (!eng->zombie || strcasecmp(eng->zombie->prefix, m)))
			mark = k + 1;
	}
	spin_unlock(&eng->lock);
	if (mark)
		eng->rs_mark = mark;
	return mark;
}

/*
 * A pair of @kind came, its probe is no longer owed (lock held). It is one
 * of this resync's probes only if fewer than this resync's tries are still
 * owed (the modem answers in order; older ones come first). Then end the
 * resync when nothing is owed any more, else drain; during the write of a
 * probe, decide once that write has returned (qat_tx_resync()).
 * Return: end it.
 */
static bool qat_rs_answered(struct qat_engine *eng, unsigned int kind)
{
	if (!eng->rs_active || kind != eng->rs_kind || !eng->rs_tries ||
	    eng->rs_owed[kind] >= eng->rs_tries || eng->rs_cr || eng->rs_fill)
		return false;
	if (eng->rs_line_end) {
		eng->rs_answered = true;
		return false;
	}
	if (eng->rs_off != qat_rs_plen(eng)) {
		/* an earlier probe's pair: the one begun is owed for sure */
		if (eng->rs_begun && !eng->rs_owed[kind])
			eng->rs_owed[kind] = 1;
		return false;
	}
	return qat_rs_settle(eng);
}

/*
 * A final result after a marker line: the end of a probe's answer, which
 * no command gets. Return: it was. rx_mutex held.
 */
static bool qat_rs_final(struct qat_engine *eng, const struct qp_line *line)
{
	unsigned int kind = eng->rs_mark - 1;
	bool end;

	if (!eng->rs_mark || !(QP_BIT(line->code) & QAT_RS_FINALS))
		return false;
	eng->rs_mark = 0;
	spin_lock(&eng->lock);
	if (eng->rs_active)
		eng->rs_paired = true;
	if (eng->rs_owed[kind])
		eng->rs_owed[kind]--;
	end = qat_rs_answered(eng, kind);
	spin_unlock(&eng->lock);
	if (end)
		qat_rs_end(eng);
	return true;
}

/* The module restarted: owed probes are lost with the rest. rx_mutex held. */
static void qat_rs_forget(struct qat_engine *eng)
{
	spin_lock(&eng->lock);
	memset(eng->rs_owed, 0, sizeof(eng->rs_owed));
	spin_unlock(&eng->lock);
	eng->rs_mark = 0;
}

/*
 * Late lines (BC66's CLOSE OK after QICLOSE's OK): a command that completed
 * with OK and whose descriptor names a late result is kept in eng->late[],
 * oldest first. The module answers in order, so the oldest command owed a
 * line of that code takes it; it never reaches the command in flight.
 * rx_mutex held.
 */
static void qat_late_owe(struct qat_engine *eng, struct qat_cmd *cmd)
{
	if (eng->late_n == QAT_LATE_MAX) {
		/* the oldest never got its line: forget it */
		qat_cmd_put(eng->late[0]);
		memmove(eng->late, eng->late + 1,
			(QAT_LATE_MAX - 1) * sizeof(eng->late[0]));
		eng->late_n--;
		eng->st.late_lost++;
	}
	qat_cmd_get(cmd);
	eng->late[eng->late_n++] = cmd;
}

static bool qat_late_take(struct qat_engine *eng, const struct qp_line *line)
{
	unsigned int i;

	for (i = 0; i < eng->late_n; i++) {
		struct qat_cmd *c = eng->late[i];

		if (c->late != line->code)
			continue;
		WRITE_ONCE(c->late_seen, true);
		qat_cmd_put(c);
		memmove(eng->late + i, eng->late + i + 1,
			(eng->late_n - i - 1) * sizeof(eng->late[0]));
		eng->late_n--;
		eng->st.late_lines++;
		return true;
	}
	return false;
}

/* Forget every owed late line (module restart, shutdown). rx_mutex held. */
static void qat_late_forget(struct qat_engine *eng)
{
	while (eng->late_n)
		qat_cmd_put(eng->late[--eng->late_n]);
}

static void qat_rx_final(struct qat_engine *eng, struct qat_cmd *cmd,
			 const struct qp_line *line)
{
	u32 bit = QP_BIT(line->code);

	if (qat_late_take(eng, line))
		return;
	if (qat_rs_final(eng, line))
		return;
	if (!cmd) {
		/* without a marker line before it: the zombie's, or stray */
		spin_lock(&eng->lock);
		if (eng->zombie)
			eng->st.late++;
		else
			eng->st.stray_final++;
		spin_unlock(&eng->lock);
		return;
	}
	if (bit & cmd->inter_mask) {
		cmd->seen_mask |= bit;
		return;
	}
	if (!(bit & cmd->final_mask)) {
		eng->st.stray_final++;
		return;
	}
	if (!qat_take_cur(eng, cmd, false))
		return;
	cmd->cme = line->err;
	if (cmd->late && line->code == QP_OK)
		qat_late_owe(eng, cmd);
	qat_finish(eng, cmd, qat_result_status(line->code), line->code);
	qat_tx_kick(eng);
}

/*
 * Length of the block a line announces for @cmd, by syntax alone, or 0:
 * a command with a data hook, a line with its prefix and "n",
 * "n,remaining" (BC66) or "n,"ip",port" (UDP SERVICE). Used to consume
 * blocks the command refuses or that arrive after it failed.
 */
static u32 qat_blk_len(const struct qat_cmd *cmd, const struct qp_line *line)
{
	struct qp_arg a[4];
	size_t pl;
	int n;

	if (!cmd || !cmd->ops || !cmd->ops->data || !cmd->prefix[0])
		return 0;
	pl = strlen(cmd->prefix);
	if (line->len < pl || strncasecmp(line->text, cmd->prefix, pl))
		return 0;
	n = qp_split_args(line->text + pl, line->len - pl, a, 4);
	if (n < 1 || !a[0].is_int || a[0].v <= 0 ||
	    a[0].v > QAT_BLOCK_HARD_MAX)
		return 0;
	if (n == 1 || (n == 2 && a[1].is_int) || (n == 3 && a[1].quoted))
		return a[0].v;
	return 0;
}

static void qat_rx_info(struct qat_engine *eng, struct qat_cmd *cmd,
			const struct qp_line *line)
{
	u32 syn = qat_blk_len(cmd, line);
	u32 max = cmd->blk_max ? cmd->blk_max : QAT_BLOCK_MAX;
	int n;

	if (cmd->resp_size) {
		if (cmd->resp_len + line->len + 2 <= cmd->resp_size) {
			memcpy(cmd->resp + cmd->resp_len, line->text,
			       line->len);
			cmd->resp_len += line->len;
			cmd->resp[cmd->resp_len++] = '\n';
			cmd->resp[cmd->resp_len] = '\0';
		} else {
			cmd->resp_trunc = true;
		}
	}
	qat_extend(eng, cmd, 0);
	n = (cmd->ops && cmd->ops->info) ? cmd->ops->info(cmd, line) : 0;
	if (n == 0 && !syn)
		return;
	if (n > 0 && n <= max && (!syn || n == syn)) {
		qat_cmd_get(cmd);
		eng->blk_cmd = cmd;
		eng->blk_owner = QAT_BLK_CMD;
		qp_expect_block(&eng->parser, n);
		qat_extend(eng, cmd, qat_xfer_jiffies(n));
		return;
	}
	/* refused, too long, or not what the line says: fail, drop the block */
	if (!syn && n > 0 && n <= QAT_BLOCK_HARD_MAX)
		syn = n;
	if (n >= 0) {
		eng->st.proto_err++;
		n = -EPROTO;
	}
	qat_abort_cur(eng, cmd, n);
	if (syn)
		qp_expect_block(&eng->parser, syn);	/* owner: none */
}

/*
 * Length of the data that follows a "recv" URC: "+QIURC: "recv",id,len"
 * (direct push; also "...,len,"ip",port" for UDP SERVICE). The driver
 * keeps the length-only buffer-mode forms (AT+QICFG="recvind" on EC200U,
 * "showlength" on BC66) switched off, so a length always means data.
 * A length over QAT_BLOCK_MAX is refused, but its data is still consumed
 * (and dropped: *drop is set).
 */
static u32 qat_push_len(struct qat_engine *eng, const struct qp_line *line,
			bool *drop)
{
	struct qp_arg a[3];

	*drop = false;
	if (line->code != QP_URC_RECV)
		return 0;
	if (qp_line_args(line, a, 3) < 2 || !a[1].is_int)
		return 0;
	if (a[1].v <= 0 || a[1].v > QAT_BLOCK_HARD_MAX) {
		eng->st.proto_err++;
		return 0;
	}
	if (a[1].v > QAT_BLOCK_MAX) {
		eng->st.proto_err++;
		*drop = true;
	}
	return a[1].v;
}

static void qat_rx_urc(struct qat_engine *eng, const struct qp_line *line)
{
	bool drop;
	u32 n;

	eng->st.urcs++;
	if (line->code == QP_URC_RDY) {
		qat_rs_forget(eng);
		qat_late_forget(eng);
	}
	if (eng->cops && eng->cops->urc)
		eng->cops->urc(eng->cpriv, line);
	n = qat_push_len(eng, line, &drop);
	if (n) {
		eng->blk_owner = drop ? QAT_BLK_NONE : QAT_BLK_URC;
		qp_expect_block(&eng->parser, n);
	}
}

/*
 * Does a line with a URC's prefix belong to @cmd? Only for a command that
 * claims its prefix, and with at least the number of arguments its
 * descriptor names: "+QIACTEX: ctx,state,type[,ip]" against the URC
 * "+QIACTEX: ctx,err".
 */
static bool qat_claims(const struct qat_cmd *cmd, const struct qp_line *line)
{
	struct qp_arg a[QP_MAX_ARGS];
	size_t n;

	if (!cmd || !cmd->claim_urc || !cmd->prefix[0])
		return false;
	n = strlen(cmd->prefix);
	if (line->len < n || strncasecmp(line->text, cmd->prefix, n))
		return false;
	return !cmd->claim_min_args ||
	       qp_split_args(line->text + n, line->len - n, a, QP_MAX_ARGS) >=
	       cmd->claim_min_args;
}

/* A line while no command is in flight: the zombie's, a URC, or stray. */
static void qat_rx_idle_line(struct qat_engine *eng,
			     const struct qp_line *line)
{
	struct qat_cmd *z = eng->zombie;	/* stable under rx_mutex */
	u32 n;

	if (qp_is_urc(line->code) && !qat_claims(z, line)) {
		qat_rx_urc(eng, line);
		return;
	}
	if (!z) {
		eng->st.stray_info++;
		return;
	}
	eng->st.late++;
	n = qat_blk_len(z, line);
	if (n)
		qp_expect_block(&eng->parser, n);	/* owner: none */
}

/* A line that is neither a final result nor a probe's marker line. */
static void qat_rx_other(struct qat_engine *eng, struct qat_cmd *cmd,
			 const struct qp_line *line)
{
	if (!cmd)
		qat_rx_idle_line(eng, line);
	else if (qp_is_urc(line->code) && !qat_claims(cmd, line))
		qat_rx_urc(eng, line);
	else
		qat_rx_info(eng, cmd, line);
}

static void qat_rx_line(void *ctx, const struct qp_line *line)
{
	struct qat_engine *eng = ctx;
	struct qat_cmd *cmd;

	if (eng->dev)
		dev_dbg(eng->dev, "rx: %s\n", line->text);
	if (line->code == QP_ECHO) {
		eng->st.echo++;
		return;
	}

	spin_lock(&eng->lock);
	cmd = eng->cur;
	if (cmd)
		qat_cmd_get(cmd);
	spin_unlock(&eng->lock);

	if (qp_is_final(line->code)) {
		qat_rx_final(eng, cmd, line);
	} else if (!qat_rs_marker(eng, cmd, line)) {
		/* a probe answer is its marker line and its final, no more */
		if (!qp_is_urc(line->code))
			eng->rs_mark = 0;
		qat_rx_other(eng, cmd, line);
	}

	qat_cmd_put(cmd);
}

static void qat_rx_prompt(void *ctx)
{
	struct qat_engine *eng = ctx;
	struct qat_cmd *cmd;
	bool kick = false;

	spin_lock(&eng->lock);
	cmd = eng->cur;
	if (cmd && cmd->data_len && cmd->phase == QAT_WAIT_PROMPT) {
		cmd->phase = QAT_DATA;
		cmd->tx_off = 0;
		kick = true;
	} else if (cmd && cmd->data_len && cmd->phase == QAT_SENDING &&
		   cmd->line_end) {
		cmd->prompt_seen = true;
	} else if (!cmd && eng->rs_active && eng->zombie &&
		   eng->zombie->data_len) {
		/* the zombie's late prompt: complete its data with filler */
		eng->st.late++;
		if (!eng->rs_filled && !eng->rs_drain) {
			qat_rs_add_fill(eng, eng->zombie->data_len);
			/* that probe was data; it stays owed (the safe side) */
			if (eng->rs_off == qat_rs_plen(eng)) {
				eng->rs_off = 0;
				eng->rs_begun = false;
			}
			kick = true;
		}
	} else {
		eng->st.stray_prompt++;
	}
	spin_unlock(&eng->lock);
	if (kick)
		qat_tx_kick(eng);
}

static void qat_rx_data(void *ctx, const u8 *buf, u32 len, bool last)
{
	struct qat_engine *eng = ctx;
	struct qat_cmd *cmd = eng->blk_cmd;

	switch (eng->blk_owner) {
	case QAT_BLK_CMD:
		if (cmd->ops && cmd->ops->data)
			cmd->ops->data(cmd, buf, len, last);
		qat_extend(eng, cmd, 0);
		break;
	case QAT_BLK_URC:
		eng->st.push_bytes += len;
		if (eng->cops && eng->cops->urc_data)
			eng->cops->urc_data(eng->cpriv, buf, len, last);
		break;
	default:
		eng->st.late += len;
		break;
	}
	if (last)
		qat_blk_end(eng);
}

static const struct qp_ops qat_parser_ops = {
	.line	= qat_rx_line,
	.prompt	= qat_rx_prompt,
	.data	= qat_rx_data,
};

/**
 * qat_init() - set up an engine.
 * @eng: the engine (zeroed or not).
 * @xops: the transport.
 * @xpriv: first argument of @xops.
 * @cops: URC callbacks, or NULL.
 * @cpriv: first argument of @cops.
 * @dev: device for messages, or NULL.
 */
void qat_init(struct qat_engine *eng, const struct qisock_xport_ops *xops,
	      void *xpriv, const struct qat_client_ops *cops, void *cpriv,
	      struct device *dev)
{
	memset(eng, 0, sizeof(*eng));
	eng->xops = xops;
	eng->xpriv = xpriv;
	eng->cops = cops;
	eng->cpriv = cpriv;
	eng->dev = dev;
	eng->quiet_ms = QAT_QUIET_MS;
	eng->rs_probe_ms = QAT_RS_PROBE_MS;
	mutex_init(&eng->rx_mutex);
	spin_lock_init(&eng->lock);
	INIT_LIST_HEAD(&eng->queue);
	INIT_DELAYED_WORK(&eng->tx_work, qat_tx_work);
	INIT_DELAYED_WORK(&eng->to_work, qat_timeout_work);
	qp_init(&eng->parser, &qat_parser_ops, eng, qp_common_lines);
}

/**
 * qat_set_dialect() - add a dialect's line table to the parser.
 * @eng: the engine.
 * @lines: the table, or NULL for the common lines only.
 */
void qat_set_dialect(struct qat_engine *eng, const struct qp_entry *lines)
{
	mutex_lock(&eng->rx_mutex);
	qp_set_dialect(&eng->parser, lines);
	mutex_unlock(&eng->rx_mutex);
}

/**
 * qat_receive() - bytes from the modem (process context, may sleep).
 * @eng: the engine.
 * @buf: the bytes.
 * @len: their number.
 */
void qat_receive(struct qat_engine *eng, const u8 *buf, size_t len)
{
	mutex_lock(&eng->rx_mutex);
	/* tty receive chunks are far below 4 GiB: qp_feed() takes a u32 */
	if (eng->gone)
		eng->st.rx_dropped += len;
	else
		qp_feed(&eng->parser, buf, len);
	mutex_unlock(&eng->rx_mutex);
}

/**
 * qat_submit() - queue a command.
 * @eng: the engine.
 * @cmd: a command from qat_cmd_new(), not yet submitted.
 *
 * Return: 0, the shutdown error, -EBUSY (already submitted) or -EAGAIN
 * (queue full).
 */
int qat_submit(struct qat_engine *eng, struct qat_cmd *cmd)
{
	int ret = 0;

	spin_lock(&eng->lock);
	if (eng->gone)
		ret = eng->gone_err;
	else if (cmd->phase != QAT_QUEUED || !list_empty(&cmd->node))
		ret = -EBUSY;
	else if (eng->queued >= QAT_QUEUE_MAX)
		ret = -EAGAIN;
	if (!ret) {
		qat_cmd_get(cmd);
		list_add_tail(&cmd->node, &eng->queue);
		eng->queued++;
	}
	spin_unlock(&eng->lock);
	if (!ret)
		qat_tx_kick(eng);
	return ret;
}

/**
 * qat_wait() - wait for a submitted command (process context).
 * @cmd: the command.
 *
 * Return: the command's status, or -ERESTARTSYS if a fatal signal came
 * first (the command stays with the engine).
 */
int qat_wait(struct qat_cmd *cmd)
{
	int ret = wait_for_completion_killable(&cmd->done);

	return ret ? ret : cmd->status;
}

/**
 * qat_wait_intr() - wait for a submitted command; a signal withdraws it.
 * @eng: the engine.
 * @cmd: the command.
 *
 * For system calls: a signal (Ctrl-C) that comes while the command is
 * still queued withdraws it, so nothing reaches the modem. Once it is on
 * the wire its answer is awaited (fatal signals only): it decides what the
 * modem did, and its time-out bounds the wait.
 *
 * Return: the command's status, or -ERESTARTSYS (withdrawn, or killed).
 */
int qat_wait_intr(struct qat_engine *eng, struct qat_cmd *cmd)
{
	if (!wait_for_completion_interruptible(&cmd->done))
		return cmd->status;
	if (qat_cancel(eng, cmd))
		return -ERESTARTSYS;
	return qat_wait(cmd);
}

/**
 * qat_exec_intr() - qat_exec() for system calls (see qat_wait_intr()).
 * @eng: the engine.
 * @cmd: the command; the caller keeps its reference.
 *
 * Return: see qat_submit() and qat_wait_intr().
 */
int qat_exec_intr(struct qat_engine *eng, struct qat_cmd *cmd)
{
	int ret = qat_submit(eng, cmd);

	return ret ? ret : qat_wait_intr(eng, cmd);
}

/**
 * qat_cancel() - withdraw a command that has not been sent yet.
 * @eng: the engine.
 * @cmd: the command.
 *
 * Return: true if it was withdrawn (it completes with -ECANCELED).
 */
bool qat_cancel(struct qat_engine *eng, struct qat_cmd *cmd)
{
	bool found = false;

	spin_lock(&eng->lock);
	if (cmd->phase == QAT_QUEUED && !list_empty(&cmd->node)) {
		list_del_init(&cmd->node);
		eng->queued--;
		found = true;
	}
	spin_unlock(&eng->lock);
	if (found)
		qat_finish(eng, cmd, -ECANCELED, QP_INFO);
	return found;
}

/**
 * qat_exec() - submit a command and wait for it (process context).
 * @eng: the engine.
 * @cmd: the command; the caller keeps its reference.
 *
 * Return: see qat_submit() and qat_wait().
 */
int qat_exec(struct qat_engine *eng, struct qat_cmd *cmd)
{
	int ret = qat_submit(eng, cmd);

	if (ret)
		return ret;
	ret = qat_wait(cmd);
	if (ret == -ERESTARTSYS)
		qat_cancel(eng, cmd);
	return ret;
}

/**
 * qat_simple() - run one command whose answer is only a result code.
 * @eng: the engine.
 * @timeout_ms: time-out, 0 for the default.
 * @fmt: printf format of the command line.
 *
 * Return: see qat_exec(), -ENOMEM, or -EINVAL (see qat_check_line()).
 */
int qat_simple(struct qat_engine *eng, unsigned int timeout_ms,
	       const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(NULL, timeout_ms, 0, 0, fmt, ap);
	va_end(ap);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = qat_exec(eng, cmd);
	qat_cmd_put(cmd);
	return ret;
}

/**
 * qat_shutdown() - stop the engine: fail every command with @err.
 * @eng: the engine.
 * @err: negative errno for the waiting and future commands.
 *
 * Idempotent. Sleeps (waits for the engine's work items).
 */
void qat_shutdown(struct qat_engine *eng, int err)
{
	struct qat_cmd *cmd, *tmp, *cur;
	LIST_HEAD(dead);

	mutex_lock(&eng->rx_mutex);
	spin_lock(&eng->lock);
	if (eng->gone) {
		spin_unlock(&eng->lock);
		mutex_unlock(&eng->rx_mutex);
		goto cancel;
	}
	eng->gone = true;
	eng->gone_err = err;
	list_splice_init(&eng->queue, &dead);
	eng->queued = 0;
	cur = eng->cur;
	eng->cur = NULL;
	spin_unlock(&eng->lock);

	qp_reset(&eng->parser);
	qat_blk_end(eng);
	qat_late_forget(eng);
	eng->rs_mark = 0;
	spin_lock(&eng->lock);
	tmp = eng->zombie;
	eng->zombie = NULL;
	eng->rs_active = false;
	spin_unlock(&eng->lock);
	qat_cmd_put(tmp);
	if (cur)
		qat_finish(eng, cur, err, QP_INFO);
	list_for_each_entry_safe(cmd, tmp, &dead, node) {
		list_del_init(&cmd->node);
		qat_finish(eng, cmd, err, QP_INFO);
	}
	mutex_unlock(&eng->rx_mutex);
cancel:
	cancel_delayed_work_sync(&eng->tx_work);
	cancel_delayed_work_sync(&eng->to_work);
}

/**
 * qat_destroy() - last step before freeing the engine.
 * @eng: an engine that went through qat_shutdown().
 *
 * Waits for work items kicked after the shutdown (a late write wakeup).
 */
void qat_destroy(struct qat_engine *eng)
{
	WARN_ON(!eng->gone);
	cancel_delayed_work_sync(&eng->tx_work);
	cancel_delayed_work_sync(&eng->to_work);
	mutex_destroy(&eng->rx_mutex);
}
