// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine: the queue, one command in flight, its time-out, the
 * prompt and data phase, and the dispatch of received lines and blocks.
 * Commands are built in qisock_at_cmd.c, the resync after a failed one is
 * qisock_resync.c. The rules for contexts and locks are in qisock_at.h.
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
#include "qisock_compat.h"
#include "qisock_trace.h"

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
void qisock_at_finish(struct qat_engine *eng, struct qat_cmd *cmd,
		      int status, enum qp_code result)
{
	cmd->status = status;
	cmd->result = result;
	spin_lock(&eng->lock);
	cmd->phase = QAT_DONE;
	eng->st.cmds++;
	spin_unlock(&eng->lock);
	trace_qisock_cmd_done(eng->dev, cmd->line, qat_cmd_shown(cmd), status,
			      qisock_parse_code_name(result));
	if (eng->dev)
		dev_dbg(eng->dev, "done: %.*s -> %d (%s)\n",
			qat_cmd_shown(cmd), cmd->line, status,
			qisock_parse_code_name(result));
	if (cmd->ops && cmd->ops->done)
		cmd->ops->done(cmd);
	complete_all(&cmd->done);
	qisock_at_cmd_put(cmd);
}

/* Make @cmd no longer current; false if something else already did. */
static bool qat_take_cur_then(struct qat_engine *eng, struct qat_cmd *cmd,
			      bool quiet, struct qat_cmd *next, bool *queued)
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
		/* before the tx work can pick another one: the queue's ref */
		if (next && !eng->gone) {
			list_add(&next->node, &eng->queue);
			eng->queued++;
			eng->st.qierr++;
			*queued = true;
		}
	}
	spin_unlock(&eng->lock);
	return taken;
}

static bool qat_take_cur(struct qat_engine *eng, struct qat_cmd *cmd,
			 bool quiet)
{
	return qat_take_cur_then(eng, cmd, quiet, NULL, NULL);
}

/**
 * qisock_at_tx_kick() - have the tx work run (any context, also hard IRQ).
 * @eng: the engine.
 */
void qisock_at_tx_kick(struct qat_engine *eng)
{
	queue_delayed_work(system_wq, &eng->tx_work, 0);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_tx_kick);

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
	if (!cmd && qat_rs_pending(&eng->rs)) {
		qisock_resync_tx(eng);
		if (qat_rs_pending(&eng->rs) || eng->gone)
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
		/* a module that may sleep is woken first (qisock_at_wake.c) */
		cmd = list_first_entry(&eng->queue, struct qat_cmd, node);
		if (qisock_at_wake_first(eng, cmd)) {
			if (eng->gone || list_empty(&eng->queue))
				goto out_unlock;
			cmd = list_first_entry(&eng->queue, struct qat_cmd,
					       node);
		}
		list_del_init(&cmd->node);
		eng->queued--;
		eng->cur = cmd;		/* the queue's reference moves here */
		cmd->phase = QAT_SENDING;
		cmd->tx_off = 0;
		cmd->idle_before = jiffies - eng->wake.io_last;
		cmd->deadline = jiffies + msecs_to_jiffies(cmd->timeout_ms);
		mod_delayed_work(system_wq, &eng->to_work,
				 msecs_to_jiffies(cmd->timeout_ms));
		trace_qisock_cmd_tx(eng->dev, cmd->line, qat_cmd_shown(cmd));
		if (eng->dev)
			dev_dbg(eng->dev, "tx: %.*s\n", qat_cmd_shown(cmd),
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
	qisock_at_cmd_get(cmd);
	spin_unlock(&eng->lock);

	n = eng->xops->write(eng->xpriv, buf, len);

	spin_lock(&eng->lock);
	cmd->line_end = false;
	if (eng->cur != cmd || eng->gone) {
		/* completed (or shut down) while we were writing */
		spin_unlock(&eng->lock);
		qisock_at_cmd_put(cmd);
		return;
	}
	if (n < 0) {
		spin_unlock(&eng->lock);
		if (qat_take_cur(eng, cmd, false))
			qisock_at_finish(eng, cmd, (int)n, QP_INFO);
		qisock_at_cmd_put(cmd);
		goto again;
	}
	cmd->tx_off += min_t(size_t, n, len);
	/* the deadline counts from the last byte written, on the wire */
	if (n > 0) {
		unsigned long d = jiffies + qat_xfer_jiffies(n) +
				  msecs_to_jiffies(cmd->timeout_ms);

		if (time_after(d, cmd->deadline))
			cmd->deadline = d;
		qisock_at_wake_io(eng, false);
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
	qisock_at_cmd_put(cmd);
	if (more)
		goto again;
	return;

out_unlock:
	spin_unlock(&eng->lock);
}

static void qat_blk_end(struct qat_engine *eng)
{
	qisock_at_cmd_put(eng->blk_cmd);
	eng->blk_cmd = NULL;
	eng->blk_owner = QAT_BLK_NONE;
}

/*
 * @cmd, the command in flight, failed without (all of) its answer: a
 * time-out, a line error, an answer it refused. Complete it with @err, keep
 * it as the zombie and start a resync (see qisock_resync.h). rx_mutex held.
 */
static void qat_abort_cur(struct qat_engine *eng, struct qat_cmd *cmd, int err)
{
	struct qat_cmd *old;
	bool again;

	spin_lock(&eng->lock);
	if (eng->cur != cmd || eng->gone) {
		spin_unlock(&eng->lock);
		return;
	}
	eng->cur = NULL;
	cancel_delayed_work(&eng->to_work);
	if (err == -ETIMEDOUT)
		eng->st.timeouts++;
	old = qisock_resync_start(eng, cmd);
	/* lost to a wake-up: once more after the resync (not failed) */
	again = err == -ETIMEDOUT && qisock_at_wake_retry(eng, cmd);
	spin_unlock(&eng->lock);
	eng->rs.mark = 0;	/* a marker whose final never came */
	qisock_at_cmd_put(old);

	if (eng->blk_owner == QAT_BLK_CMD) {
		/* the parser consumes the rest of the block; nobody gets it */
		qisock_at_cmd_put(eng->blk_cmd);
		eng->blk_cmd = NULL;
		eng->blk_owner = QAT_BLK_NONE;
	}
	if (eng->dev)
		dev_dbg(eng->dev, "%s (%d), resync: %.*s\n",
			again ? "unheard, again" : "failed", err,
			qat_cmd_shown(cmd), cmd->line);
	if (!again)
		qisock_at_finish(eng, cmd, err, QP_INFO);
	qisock_at_tx_kick(eng);
}

static void qat_timeout_work(struct work_struct *work)
{
	struct qat_engine *eng = container_of(to_delayed_work(work),
					      struct qat_engine, to_work);
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
		spin_unlock(&eng->lock);
		qisock_resync_timer_fired(eng);
		goto out;
	}
	if (time_before(jiffies, cmd->deadline)) {
		mod_delayed_work(system_wq, &eng->to_work,
				 cmd->deadline - jiffies);
		spin_unlock(&eng->lock);
		goto out;
	}
	qisock_at_cmd_get(cmd);
	spin_unlock(&eng->lock);

	if (eng->dev)
		dev_dbg(eng->dev, "timeout: %.*s\n", qat_cmd_shown(cmd),
			cmd->line);
	qat_abort_cur(eng, cmd, -ETIMEDOUT);
	qisock_at_cmd_put(cmd);
out:
	mutex_unlock(&eng->rx_mutex);
}

/**
 * qisock_at_rx_error() - the transport received a byte with a parity or framing
 *	error, or lost bytes (overrun).
 * @eng: the engine.
 *
 * The command in flight (whose line or block the byte belongs to, or
 * would) fails with -EIO and the engine resyncs. Process context.
 */
void qisock_at_rx_error(struct qat_engine *eng)
{
	struct qat_cmd *cmd;

	mutex_lock(&eng->rx_mutex);
	eng->rs.mark = 0;	/* the final of a probe answer may be lost */
	spin_lock(&eng->lock);
	eng->st.rx_errors++;
	cmd = eng->gone ? NULL : eng->cur;
	if (cmd && cmd->phase == QAT_QUEUED)
		cmd = NULL;
	if (cmd)
		qisock_at_cmd_get(cmd);
	spin_unlock(&eng->lock);
	if (cmd) {
		qat_abort_cur(eng, cmd, -EIO);
		qisock_at_cmd_put(cmd);
	}
	mutex_unlock(&eng->rx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_rx_error);

static void qat_rx_final(struct qat_engine *eng, struct qat_cmd *cmd,
			 const struct qp_line *line)
{
	u32 bit = QP_BIT(line->code);
	struct qat_cmd *follow;
	bool queued = false;

	if (qisock_at_late_take(eng, line))
		return;
	if (qisock_resync_final(eng, line))
		return;
	if (!cmd) {
		/* without a marker line before it: the zombie's, or stray */
		spin_lock(&eng->lock);
		if (eng->rs.zombie)
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
	/* a TCP/IP command's plain ERROR: first ask the module why */
	follow = qisock_at_qierr_prepare(eng, cmd, line);
	if (!qat_take_cur_then(eng, cmd, false, follow, &queued)) {
		qisock_at_qierr_drop(follow);
		return;
	}
	cmd->cme = line->err;
	if (cmd->late && line->code == QP_OK)
		qisock_at_late_owe(eng, cmd);
	if (!queued) {		/* else the follow-up finishes it */
		qisock_at_qierr_drop(follow);
		qisock_at_finish(eng, cmd, qat_result_status(line->code),
				 line->code);
	}
	qisock_at_tx_kick(eng);
}

static void qat_rx_info(struct qat_engine *eng, struct qat_cmd *cmd,
			const struct qp_line *line)
{
	u32 syn = qisock_at_blk_len(cmd, line);
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
		qisock_at_cmd_get(cmd);
		eng->blk_cmd = cmd;
		eng->blk_owner = QAT_BLK_CMD;
		qisock_parse_expect_block(&eng->parser, n);
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
		qisock_parse_expect_block(&eng->parser, syn);	/* owner: none */
}

static void qat_rx_urc(struct qat_engine *eng, const struct qp_line *line)
{
	bool drop;
	u32 n;

	eng->st.urcs++;
	trace_qisock_urc(eng->dev, line->text, line->len);
	if (line->code == QP_URC_RDY) {
		qisock_resync_forget(eng);
		qisock_at_late_forget(eng);
	}
	if (eng->cops && eng->cops->urc)
		eng->cops->urc(eng->cpriv, line);
	n = qisock_at_push_len(eng, line, &drop);
	if (n) {
		eng->blk_owner = drop ? QAT_BLK_NONE : QAT_BLK_URC;
		qisock_parse_expect_block(&eng->parser, n);
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
	       qisock_parse_split_args(line->text + n, line->len - n, a, QP_MAX_ARGS) >=
	       cmd->claim_min_args;
}

/* A line while no command is in flight: the zombie's, a URC, or stray. */
static void qat_rx_idle_line(struct qat_engine *eng,
			     const struct qp_line *line)
{
	struct qat_cmd *z = eng->rs.zombie;	/* stable under rx_mutex */
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
	n = qisock_at_blk_len(z, line);
	if (n)
		qisock_parse_expect_block(&eng->parser, n);	/* owner: none */
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

	spin_lock(&eng->lock);
	cmd = eng->cur;
	if (cmd) {
		qisock_at_cmd_get(cmd);
		cmd->heard = true;	/* awake, whatever the line is */
	}
	spin_unlock(&eng->lock);

	/* an echo or an answer of a secret command may hold the secret */
	if (eng->dev && (line->code == QP_ECHO || (cmd && cmd->secret) ||
			 (eng->rs.zombie && eng->rs.zombie->secret)))
		dev_dbg(eng->dev, "rx: (%u bytes not shown)\n", line->len);
	else if (eng->dev)
		dev_dbg(eng->dev, "rx: %s\n", line->text);
	if (line->code == QP_ECHO) {
		eng->st.echo++;
		qisock_at_cmd_put(cmd);
		return;
	}

	if (qp_is_final(line->code)) {
		qat_rx_final(eng, cmd, line);
	} else if (!qisock_resync_marker(eng, cmd, line)) {
		/* a probe answer is its marker line and its final, no more */
		if (!qp_is_urc(line->code))
			eng->rs.mark = 0;
		qat_rx_other(eng, cmd, line);
	}

	qisock_at_cmd_put(cmd);
}

static void qat_rx_prompt(void *ctx)
{
	struct qat_engine *eng = ctx;
	struct qat_cmd *cmd;
	bool kick = false;

	spin_lock(&eng->lock);
	cmd = eng->cur;
	if (cmd)
		cmd->heard = true;
	if (cmd && cmd->data_len && cmd->phase == QAT_WAIT_PROMPT) {
		cmd->phase = QAT_DATA;
		cmd->tx_off = 0;
		kick = true;
	} else if (cmd && cmd->data_len && cmd->phase == QAT_SENDING &&
		   cmd->line_end) {
		cmd->prompt_seen = true;
	} else if (cmd || !qisock_resync_late_prompt(eng)) {
		/* not the zombie's either (the resync fills for that one) */
		eng->st.stray_prompt++;
	}
	spin_unlock(&eng->lock);
	if (kick)
		qisock_at_tx_kick(eng);
}

static void qat_rx_data(void *ctx, const u8 *buf, u32 len, bool last)
{
	struct qat_engine *eng = ctx;
	struct qat_cmd *cmd = eng->blk_cmd;
	static const char * const owners[] = {
		[QAT_BLK_NONE]	= "drop",
		[QAT_BLK_CMD]	= "cmd",
		[QAT_BLK_URC]	= "push",
	};

	trace_qisock_data(eng->dev, owners[eng->blk_owner], len, last);
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
 * qisock_at_init() - set up an engine.
 * @eng: the engine (zeroed or not).
 * @xops: the transport.
 * @xpriv: first argument of @xops.
 * @cops: URC callbacks, or NULL.
 * @cpriv: first argument of @cops.
 * @dev: device for messages, or NULL.
 */
void qisock_at_init(struct qat_engine *eng, const struct qisock_xport_ops *xops,
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
	eng->rs.probe_ms = QAT_RS_PROBE_MS;
	eng->rx_last = jiffies;
	mutex_init(&eng->rx_mutex);
	spin_lock_init(&eng->lock);
	INIT_LIST_HEAD(&eng->queue);
	INIT_DELAYED_WORK(&eng->tx_work, qat_tx_work);
	INIT_DELAYED_WORK(&eng->to_work, qat_timeout_work);
	qisock_parse_init(&eng->parser, &qat_parser_ops, eng, qisock_parse_common_lines);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_init);

/**
 * qisock_at_set_dialect() - add a dialect's line table to the parser.
 * @eng: the engine.
 * @lines: the table, or NULL for the common lines only.
 */
void qisock_at_set_dialect(struct qat_engine *eng, const struct qp_entry *lines)
{
	mutex_lock(&eng->rx_mutex);
	qisock_parse_set_dialect(&eng->parser, lines);
	mutex_unlock(&eng->rx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_set_dialect);

/**
 * qisock_at_receive() - bytes from the modem (process context, may sleep).
 * @eng: the engine.
 * @buf: the bytes.
 * @len: their number.
 */
void qisock_at_receive(struct qat_engine *eng, const u8 *buf, size_t len)
{
	mutex_lock(&eng->rx_mutex);
	/* tty receive chunks are far below 4 GiB: qisock_parse_feed() takes a u32 */
	if (eng->gone) {
		eng->st.rx_dropped += len;
	} else {
		if (len) {
			WRITE_ONCE(eng->rx_last, jiffies);
			spin_lock(&eng->lock);
			qisock_at_wake_io(eng, true);
			spin_unlock(&eng->lock);
		}
		qisock_parse_feed(&eng->parser, buf, len);
	}
	mutex_unlock(&eng->rx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_receive);

/**
 * qisock_at_submit() - queue a command.
 * @eng: the engine.
 * @cmd: a command from qisock_at_cmd_new(), not yet submitted.
 *
 * Return: 0, the shutdown error, -EBUSY (already submitted) or -EAGAIN
 * (queue full).
 */
int qisock_at_submit(struct qat_engine *eng, struct qat_cmd *cmd)
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
		qisock_at_cmd_get(cmd);
		list_add_tail(&cmd->node, &eng->queue);
		eng->queued++;
	}
	spin_unlock(&eng->lock);
	if (!ret)
		qisock_at_tx_kick(eng);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_submit);

/**
 * qisock_at_cancel() - withdraw a command that has not been sent yet.
 * @eng: the engine.
 * @cmd: the command.
 *
 * Return: true if it was withdrawn (it completes with -ECANCELED).
 */
bool qisock_at_cancel(struct qat_engine *eng, struct qat_cmd *cmd)
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
		qisock_at_finish(eng, cmd, -ECANCELED, QP_INFO);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_cancel);

/**
 * qisock_at_shutdown() - stop the engine: fail every command with @err.
 * @eng: the engine.
 * @err: negative errno for the waiting and future commands.
 *
 * Idempotent. Sleeps (waits for the engine's work items).
 */
void qisock_at_shutdown(struct qat_engine *eng, int err)
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

	qisock_parse_reset(&eng->parser);
	qat_blk_end(eng);
	qisock_at_late_forget(eng);
	qisock_resync_stop(eng);
	if (cur)
		qisock_at_finish(eng, cur, err, QP_INFO);
	list_for_each_entry_safe(cmd, tmp, &dead, node) {
		list_del_init(&cmd->node);
		qisock_at_finish(eng, cmd, err, QP_INFO);
	}
	mutex_unlock(&eng->rx_mutex);
cancel:
	cancel_delayed_work_sync(&eng->tx_work);
	cancel_delayed_work_sync(&eng->to_work);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_shutdown);

/**
 * qisock_at_flush() - fail every queued command (not the one in flight).
 * @eng: the engine.
 * @err: negative errno they complete with.
 *
 * For a modem about to be restarted: what waits in the queue would only
 * time out, one after the other, before the restart could go out.
 * Process context; the caller holds rx_mutex (as for qisock_at_shutdown(),
 * the @done hooks run with it).
 */
void qisock_at_flush(struct qat_engine *eng, int err)
{
	struct qat_cmd *cmd, *tmp;
	LIST_HEAD(dead);

	lockdep_assert_held(&eng->rx_mutex);
	spin_lock(&eng->lock);
	list_splice_init(&eng->queue, &dead);
	eng->queued = 0;
	spin_unlock(&eng->lock);
	list_for_each_entry_safe(cmd, tmp, &dead, node) {
		list_del_init(&cmd->node);
		qisock_at_finish(eng, cmd, err, QP_INFO);
	}
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_flush);

/**
 * qisock_at_destroy() - last step before freeing the engine.
 * @eng: an engine that went through qisock_at_shutdown().
 *
 * Waits for work items kicked after the shutdown (a late write wakeup).
 */
void qisock_at_destroy(struct qat_engine *eng)
{
	WARN_ON(!eng->gone);
	cancel_delayed_work_sync(&eng->tx_work);
	cancel_delayed_work_sync(&eng->to_work);
	mutex_destroy(&eng->rx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_destroy);
