// SPDX-License-Identifier: GPL-2.0
/*
 * qisock socket send path: write(2) as AT+QISEND with its data, the back-off
 * after SEND FAIL, and TIOCOUTQ.
 */
#include <linux/ctype.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock.h"
#include "qisock_compat.h"

#define QISOCK_TXPOLL_ERR_MAX	3	/* failed polls before the next QISEND */

/* ---- send --------------------------------------------------------------- */

/* AT+QISEND=<id>,0 -> "+QISEND: total,acked,unacked" */
static int sock_query_unacked(struct qisock_sock *s, u32 *unacked)
{
	struct qat_cmd *cmd;
	unsigned long long total, acked, un;
	const char *p;
	int ret;

	cmd = qat_cmd_new(0, 256, 0, "AT+QISEND=%u,0", s->id);
	if (!cmd)
		return -ENOMEM;
	ret = qat_exec_intr(&s->qd->eng, cmd);
	if (!ret) {
		p = strstr(cmd->resp, "+QISEND:");
		if (p && sscanf(p, "+QISEND: %llu,%llu,%llu", &total, &acked,
				&un) == 3)
			*unacked = min_t(unsigned long long, un, INT_MAX);
		else
			ret = -EPROTO;
	} else if (ret != -ERESTARTSYS && ret != -ENODEV) {
		ret = qisock_cmd_errno(cmd);
	}
	qat_cmd_put(cmd);
	return ret == -ENODEV ? -EIO : ret;
}

/* What the socket's state means for a writer: 0, -EAGAIN, or the error. */
static int sock_tx_state_locked(const struct qisock_sock *s)
{
	if (s->state == QISOCK_SS_FAILED)
		return -(s->error ? s->error : EIO);
	if (s->state == QISOCK_SS_CLOSED || s->peer_closed)
		return -EPIPE;	/* before tx_full: a closed peer never drains */
	if (s->state == QISOCK_SS_OPENING ||
	    (s->tx_full && s->state == QISOCK_SS_CONNECTED))
		return -EAGAIN;
	if (s->state != QISOCK_SS_CONNECTED)
		return -ENOTCONN;
	if (s->service == QISOCK_TCP_LISTENER)
		return -EOPNOTSUPP;
	return 0;
}

/* Can a writer go on? 0: yes; -EAGAIN: wait; else the error. */
int qisock_sock_tx_ready(struct qisock_sock *s, const struct qisock_caller *who)
{
	int ret;

	spin_lock(&s->lock);
	ret = s->gone ? -EIO : qisock_sock_caller_err_locked(s, who);
	if (!ret)
		ret = sock_tx_state_locked(s);
	spin_unlock(&s->lock);
	return ret;
}

/* Only a dotted-quad or IPv6 literal may follow UDP SERVICE's QISEND. */
static bool sock_addr_valid(const char *a, size_t max)
{
	size_t len = strnlen(a, max), i;

	if (!len || len >= max)
		return false;
	for (i = 0; i < len; i++)
		if (!isxdigit(a[i]) && a[i] != '.' && a[i] != ':')
			return false;
	return true;
}

/*
 * A QISEND cut by a time-out or a line error (no final result) may have
 * sent part of the data and the engine's NUL filler: that fails a TCP
 * socket (ETIMEDOUT/EIO), even when the writer was killed meanwhile.
 */
static void sock_send_done(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	if (cmd->result == QP_INFO && !qisock_sock_is_udp(s) &&
	    (cmd->status == -ETIMEDOUT || cmd->status == -EIO)) {
		spin_lock(&s->lock);
		if (s->gen == r->gen)
			qisock_sock_fail_locked(s, -cmd->status, 0);
		spin_unlock(&s->lock);
		qisock_sock_wake(s);
	}
	qisock_req_end(cmd);
}

static const struct qat_cmd_ops sock_send_ops = {
	.done	= sock_send_done,
};

/*
 * One AT+QISEND with its data, for the writer that started at @gen.
 * Returns 0 (SEND OK), -ENOBUFS (SEND FAIL), or another negative errno;
 * nothing is retried after a cut (see sock_send_done()).
 */
static int sock_send_one(struct qisock_sock *s, const struct qisock_dialect *d,
			 const u8 __user *ubuf, size_t len,
			 const struct qisock_dgram *to, u32 gen)
{
	struct qat_cmd *cmd;
	int ret, err;

	if (to)
		cmd = qisock_cmd_new(d, QISOCK_CMD_QISEND, 0, len,
				     "AT+QISEND=%u,%zu,\"%s\",%u", s->id, len,
				     to->addr, to->port);
	else
		cmd = qisock_cmd_new(d, QISOCK_CMD_QISEND, 0, len,
				     "AT+QISEND=%u,%zu", s->id, len);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	/* the data's time on the wire counts apart (QAT_LINE_BPS) */
	cmd->timeout_ms = 2000 + len;
	ret = copy_from_user(cmd->data, ubuf, len) ? -EFAULT :
	      qisock_req_attach(s, cmd, &sock_send_ops, gen);
	if (!ret)
		ret = qisock_req_submit(cmd);
	if (ret) {
		qat_cmd_put(cmd);
		err = qisock_sock_dead_err(s);
		return err ? err : ret == -ENODEV ? -EIO : ret;
	}
	/* a signal withdraws it unless it is on the wire already */
	ret = qat_wait_intr(&s->qd->eng, cmd);
	if (ret && ret != -ENOBUFS && ret != -ERESTARTSYS) {
		if (ret == -ENODEV) {
			ret = -EIO;
		} else if (cmd->result == QP_INFO &&
			   (ret == -ETIMEDOUT || ret == -EIO)) {
			/* cut: sock_send_done() failed a TCP socket */
		} else if (cmd->cme >= 550) {
			ret = qisock_err_to_errno(cmd->cme);
		} else {
			ret = -EPIPE;	/* ERROR: not (or no longer) connected */
		}
		/* failed meanwhile (pdpdeact, RDY, detach): that errno */
		err = qisock_sock_dead_err(s);
		if (err)
			ret = err;
	}
	qat_cmd_put(cmd);
	return ret;
}

/**
 * qisock_sock_write_for() - write(2) on a socket.
 * @s: the socket.
 * @buf: user data (UDP SERVICE: a struct qisock_dgram, then the payload).
 * @count: its length.
 * @nonblock: O_NONBLOCK.
 * @owner: see qisock_sock_read_for().
 *
 * A signal ends the call between two AT+QISEND, never during one: the bytes
 * accepted so far are returned, or -ERESTARTSYS if there are none.
 *
 * Return: bytes accepted by the module (SEND OK), or a negative errno.
 */
ssize_t qisock_sock_write_for(struct qisock_sock *s, const char __user *buf,
			      size_t count, bool nonblock,
			      wait_queue_head_t *owner)
{
	const struct qisock_dialect *d = qisock_sock_dialect(s);
	struct qisock_caller who = { .owner = owner };
	struct qisock_dgram to, *top = NULL;
	size_t done = 0, chunk;
	bool dgram;
	int ret = 0;

	ret = qisock_sock_dead_err(s);	/* before the dialect: RDY, detach */
	if (ret)
		return ret;
	if (!d)
		return -ENOTCONN;
	if (!d->send_prompt)
		return -EOPNOTSUPP;
	if (mutex_lock_interruptible(&s->wr_lock))
		return -ERESTARTSYS;

	who.gen = READ_ONCE(s->gen);
	dgram = qisock_sock_is_udp(s);
	if (s->service == QISOCK_UDP_SERVICE) {
		ret = -EINVAL;
		if (count < QISOCK_HDR ||
		    copy_from_user(&to, buf, QISOCK_HDR))
			goto out;
		if (to.len != count - QISOCK_HDR || !to.port ||
		    to.port > 65535 ||
		    !sock_addr_valid(to.addr, sizeof(to.addr)))
			goto out;
		top = &to;
		buf += QISOCK_HDR;
		count -= QISOCK_HDR;
	}
	if (dgram && count > d->qisend_max) {
		ret = -EMSGSIZE;
		goto out;
	}
	ret = 0;
	while (done < count || (!count && !done && dgram)) {
		ret = qisock_sock_tx_ready(s, &who);
		if (ret == -EAGAIN) {
			if (nonblock)
				break;
			ret = wait_event_interruptible(s->wq,
						       qisock_sock_tx_ready(s, &who) !=
						       -EAGAIN);
			if (ret) {
				ret = -ERESTARTSYS;
				break;
			}
			continue;
		}
		if (ret)
			break;
		if (!count)
			break;	/* an empty datagram: nothing to send */
		if (done && signal_pending(current))
			break;	/* a handler waits: report what went out */
		chunk = min_t(size_t, count - done, d->qisend_max);
		ret = sock_send_one(s, d, (const u8 __user *)buf + done, chunk,
				    top, who.gen);
		if (ret == -ENOBUFS) {
			/* SEND FAIL: the module's buffer is full; wait */
			spin_lock(&s->lock);
			if (s->state == QISOCK_SS_CONNECTED && !s->peer_closed) {
				s->tx_full = true;
				s->tx_poll_err = 0;
			}
			spin_unlock(&s->lock);
			qisock_sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
			continue;
		}
		if (ret)
			break;
		done += chunk;
		spin_lock(&s->lock);
		s->tx_bytes += chunk;
		spin_unlock(&s->lock);
	}
	if (done)
		ret = top ? done + QISOCK_HDR : done;
out:
	mutex_unlock(&s->wr_lock);
	return ret;
}

/* TIOCOUTQ: bytes the module has not had acknowledged. */
int qisock_sock_outq(struct qisock_sock *s)
{
	u32 unacked = 0;
	int ret;

	ret = qisock_sock_tx_ready(s, NULL);
	if (ret && ret != -EAGAIN)
		return ret == -EPIPE ? 0 : ret;
	if (s->service != QISOCK_TCP && s->service != QISOCK_TCP_INCOMING)
		return 0;
	ret = sock_query_unacked(s, &unacked);
	if (ret)
		return ret;
	spin_lock(&s->lock);
	s->unacked = unacked;
	spin_unlock(&s->lock);
	return unacked;
}

/**
 * qisock_sock_tx_poll() - ask the module how full its send buffer is.
 * @s: a socket whose last QISEND got SEND FAIL (tx_full).
 * @d: its dialect.
 *
 * Called from the socket work; clears tx_full once a whole QISEND fits
 * again, or after QISOCK_TXPOLL_ERR_MAX failed polls (UDP may answer
 * ERROR), and polls again otherwise.
 */
void qisock_sock_tx_poll(struct qisock_sock *s, const struct qisock_dialect *d)
{
	u32 unacked = 0;
	bool again;

	if (sock_query_unacked(s, &unacked) == 0) {
		spin_lock(&s->lock);
		s->unacked = unacked;
		s->tx_poll_err = 0;
		if (unacked + d->qisend_max <= QISOCK_TX_MODULE_BUF)
			s->tx_full = false;
		again = s->tx_full && s->state == QISOCK_SS_CONNECTED;
		spin_unlock(&s->lock);
	} else {
		spin_lock(&s->lock);
		/* UDP may answer ERROR: after a few, the next QISEND decides */
		if (s->tx_full && ++s->tx_poll_err >= QISOCK_TXPOLL_ERR_MAX)
			s->tx_full = false;
		again = s->tx_full && s->state == QISOCK_SS_CONNECTED;
		spin_unlock(&s->lock);
	}
	qisock_sock_wake(s);
	if (again)
		qisock_sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
}
