// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine. The rules for contexts and locks are in qisock_at.h.
 */
#include <linux/device.h>
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
 * "AT+QIACTEX?" -> prefix "+QIACTEX:", and a read or test form claims the
 * lines carrying that prefix even though it is also a URC prefix.
 */
static void qat_cmd_derive_prefix(struct qat_cmd *cmd, unsigned int len)
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

static __printf(4, 0)
struct qat_cmd *qat_cmd_vnew(unsigned int timeout_ms, size_t resp_size,
			     size_t data_len, const char *fmt, va_list ap)
{
	struct qat_cmd *cmd;
	va_list aq;
	size_t size;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (WARN_ON_ONCE(n <= 0 || n > QAT_CMD_MAX))
		return NULL;
	if (resp_size > U16_MAX)
		resp_size = U16_MAX;

	size = size_add(struct_size(cmd, line, n + 2),
			size_add(resp_size, data_len));
	cmd = kzalloc(size, GFP_KERNEL);
	if (!cmd)
		return NULL;

	vsnprintf(cmd->line, n + 1, fmt, ap);
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
	cmd->final_mask = QP_FINAL_MASK;
	cmd->result = QP_INFO;
	cmd->cme = -1;
	cmd->phase = QAT_QUEUED;
	qat_cmd_derive_prefix(cmd, n);
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
 * line longer than QAT_CMD_MAX).
 */
struct qat_cmd *qat_cmd_new(unsigned int timeout_ms, size_t resp_size,
			    size_t data_len, const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(timeout_ms, resp_size, data_len, fmt, ap);
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
		       int status, u8 result)
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

static void qat_timeout_work(struct work_struct *work)
{
	struct qat_engine *eng = container_of(to_delayed_work(work),
					      struct qat_engine, to_work);
	struct qat_cmd *cmd;

	mutex_lock(&eng->rx_mutex);
	spin_lock(&eng->lock);
	cmd = eng->cur;
	if (!cmd || eng->gone) {
		spin_unlock(&eng->lock);
		goto out;
	}
	if (time_before(jiffies, cmd->deadline)) {
		mod_delayed_work(system_wq, &eng->to_work,
				 cmd->deadline - jiffies);
		spin_unlock(&eng->lock);
		goto out;
	}
	eng->cur = NULL;
	eng->hold = true;
	eng->hold_until = jiffies + msecs_to_jiffies(eng->quiet_ms);
	eng->st.timeouts++;
	spin_unlock(&eng->lock);

	if (eng->blk_owner == QAT_BLK_CMD) {
		/* the block will not come: back to lines */
		qp_reset(&eng->parser);
		qat_blk_end(eng);
	}
	if (eng->dev)
		dev_dbg(eng->dev, "timeout: %.*s\n", cmd->line_len - 1,
			cmd->line);
	qat_finish(eng, cmd, -ETIMEDOUT, QP_INFO);
	mutex_unlock(&eng->rx_mutex);
	qat_tx_kick(eng);
	return;
out:
	mutex_unlock(&eng->rx_mutex);
}

/* A command failed on its own answer: complete it, then let the rest drain. */
static void qat_fail_cur(struct qat_engine *eng, struct qat_cmd *cmd, int err)
{
	if (!qat_take_cur(eng, cmd, true))
		return;
	qat_finish(eng, cmd, err, QP_INFO);
	qat_tx_kick(eng);
}

static void qat_rx_final(struct qat_engine *eng, struct qat_cmd *cmd,
			 const struct qp_line *line)
{
	u32 bit = QP_BIT(line->code);

	if (!cmd) {
		eng->st.stray_final++;
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
	qat_finish(eng, cmd, qat_result_status(line->code), line->code);
	qat_tx_kick(eng);
}

static void qat_rx_info(struct qat_engine *eng, struct qat_cmd *cmd,
			const struct qp_line *line)
{
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
	if (!cmd->ops || !cmd->ops->info)
		return;
	n = cmd->ops->info(cmd, line);
	if (n < 0) {
		qat_fail_cur(eng, cmd, n);
	} else if (n > QAT_BLOCK_MAX) {
		eng->st.proto_err++;
		qat_fail_cur(eng, cmd, -EPROTO);
	} else if (n > 0) {
		qat_cmd_get(cmd);
		eng->blk_cmd = cmd;
		eng->blk_owner = QAT_BLK_CMD;
		qp_expect_block(&eng->parser, n);
	}
}

/*
 * Length of the data that follows a "recv" URC: "+QIURC: "recv",id,len"
 * (direct push; also "...,len,"ip",port" for UDP SERVICE). The driver
 * keeps the length-only buffer-mode forms (AT+QICFG="recvind" on EC200U,
 * "showlength" on BC66) switched off, so a length always means data.
 */
static int qat_push_len(const struct qp_line *line)
{
	struct qp_arg a[3];

	if (line->code != QP_URC_RECV)
		return 0;
	if (qp_line_args(line, a, 3) < 2 || !a[1].is_int)
		return 0;
	if (a[1].v <= 0 || a[1].v > QAT_BLOCK_MAX)
		return -EPROTO;
	return (int)a[1].v;
}

static void qat_rx_urc(struct qat_engine *eng, const struct qp_line *line)
{
	int n;

	eng->st.urcs++;
	if (eng->cops && eng->cops->urc)
		eng->cops->urc(eng->cpriv, line);
	n = qat_push_len(line);
	if (n < 0) {
		eng->st.proto_err++;
	} else if (n > 0) {
		eng->blk_owner = QAT_BLK_URC;
		qp_expect_block(&eng->parser, n);
	}
}

static bool qat_claims(const struct qat_cmd *cmd, const struct qp_line *line)
{
	size_t n;

	if (!cmd || !cmd->claim_urc || !cmd->prefix[0])
		return false;
	n = strlen(cmd->prefix);
	return line->len >= n && !strncmp(line->text, cmd->prefix, n);
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

	if (qp_is_final(line->code))
		qat_rx_final(eng, cmd, line);
	else if (qp_is_urc(line->code) && !qat_claims(cmd, line))
		qat_rx_urc(eng, line);
	else if (cmd)
		qat_rx_info(eng, cmd, line);
	else
		eng->st.stray_info++;

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
	} else if (cmd && cmd->data_len && cmd->phase == QAT_SENDING) {
		cmd->prompt_seen = true;
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
		break;
	case QAT_BLK_URC:
		eng->st.push_bytes += len;
		if (eng->cops && eng->cops->urc_data)
			eng->cops->urc_data(eng->cpriv, buf, len, last);
		break;
	default:
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
	if (eng->gone) {
		eng->st.rx_dropped += len;
	} else {
		while (len) {
			u32 n = min_t(size_t, len, 65536);

			qp_feed(&eng->parser, buf, n);
			buf += n;
			len -= n;
		}
	}
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
 * Return: see qat_exec(), or -ENOMEM.
 */
int qat_simple(struct qat_engine *eng, unsigned int timeout_ms,
	       const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(timeout_ms, 0, 0, fmt, ap);
	va_end(ap);
	if (!cmd)
		return -ENOMEM;
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
