// SPDX-License-Identifier: GPL-2.0
/*
 * qisock socket send path: write(2) as AT+QISEND with its data, the back-off
 * after SEND FAIL, and TIOCOUTQ.
 *
 * A blocking write returns what the module accepted (SEND OK). A
 * non-blocking one never waits for the modem: it hands one AT+QISEND to
 * the engine (s->tx_async) and returns its length; the next write gets
 * EAGAIN (and poll no EPOLLOUT) until that send has its outcome. SEND FAIL
 * keeps the data and sends it again once the module has room. Any other
 * failure fails a TCP socket (its stream has a hole now: nothing may
 * follow); for UDP it is kept in s->tx_err and reported once by the next
 * write or TIOCOUTQ (EPOLLERR until then). close(2) waits a while for a
 * deferred send (qisock_sock_tx_linger()). So nothing a non-blocking write
 * accepted is dropped without the program hearing of it.
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

/* Parse "+QISEND: total,acked,unacked" (AT+QISEND=<id>,0). */
static int sock_parse_unacked(const struct qat_cmd *cmd, u32 *unacked)
{
	unsigned long long total, acked, un;
	const char *p = strstr(cmd->resp, "+QISEND:");

	if (!p || sscanf(p, "+QISEND: %llu,%llu,%llu", &total, &acked,
			 &un) != 3)
		return -EPROTO;
	*unacked = min_t(unsigned long long, un, INT_MAX);
	return 0;
}

static struct qat_cmd *sock_unacked_cmd(struct qisock_sock *s)
{
	return qisock_at_cmd_new(0, 256, 0, "AT+QISEND=%u,0", s->id);
}

/* AT+QISEND=<id>,0, waiting for the answer (a signal withdraws it). */
static int sock_query_unacked(struct qisock_sock *s, u32 *unacked)
{
	struct qat_cmd *cmd = sock_unacked_cmd(s);
	int ret;

	if (!cmd)
		return -ENOMEM;
	ret = qisock_at_exec_intr(&s->qd->eng, cmd);
	if (!ret)
		ret = sock_parse_unacked(cmd, unacked);
	else if (ret != -ERESTARTSYS && ret != -ENODEV)
		ret = qisock_cmd_errno(cmd);
	qisock_at_cmd_put(cmd);
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
	    ((s->tx_full || s->tx_async) && s->state == QISOCK_SS_CONNECTED))
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

/* A QISEND that ended without its final result (time-out, line error). */
static bool sock_send_cut(const struct qat_cmd *cmd)
{
	return cmd->result == QP_INFO &&
	       (cmd->status == -ETIMEDOUT || cmd->status == -EIO);
}

/*
 * A QISEND cut by a time-out or a line error may have sent part of the
 * data and the engine's NUL filler: that fails a TCP socket (ETIMEDOUT or
 * EIO), even when the writer was killed or did not wait.
 */
static void sock_send_fail_cut(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	if (!sock_send_cut(cmd) || qisock_sock_is_udp(s))
		return;
	spin_lock(&s->lock);
	if (s->gen == r->gen)
		qisock_sock_fail_locked(s, -cmd->status, 0);
	spin_unlock(&s->lock);
	qisock_sock_wake(s);
}

/* What a failed QISEND (@ret, not SEND FAIL) means for the writer. */
static int sock_send_errno(const struct qat_cmd *cmd, int ret)
{
	if (ret == -ENODEV)
		return -EIO;
	if (sock_send_cut(cmd))
		return ret;	/* sock_send_fail_cut() failed a TCP socket */
	if (cmd->cme >= 550)
		return qisock_err_to_errno(cmd->cme);
	return -EPIPE;		/* ERROR: not (or no longer) connected */
}

static void sock_send_done(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	sock_send_fail_cut(cmd);
	if (!cmd->status) {
		/* here, not in the writer: a TIOCOUTQ answer may come first */
		spin_lock(&s->lock);
		if (s->gen == r->gen)
			s->unacked += cmd->data_len;	/* until asked again */
		spin_unlock(&s->lock);
	}
	qisock_req_end(cmd);
}

static const struct qat_cmd_ops sock_send_ops = {
	.done	= sock_send_done,
};

/* The AT+QISEND for @len bytes (UDP SERVICE: to @to); an ERR_PTR() if not. */
static struct qat_cmd *sock_send_cmd(struct qisock_sock *s,
				     const struct qisock_dialect *d,
				     size_t len, const struct qisock_dgram *to)
{
	struct qat_cmd *cmd;

	if (to)
		cmd = qisock_cmd_new(d, QISOCK_CMD_QISEND, 0, len,
				     "AT+QISEND=%u,%zu,\"%s\",%u", s->id, len,
				     to->addr, to->port);
	else
		cmd = qisock_cmd_new(d, QISOCK_CMD_QISEND, 0, len,
				     "AT+QISEND=%u,%zu", s->id, len);
	/* the data's time on the wire counts apart (QAT_LINE_BPS) */
	if (!IS_ERR(cmd))
		cmd->timeout_ms = 2000 + len;
	return cmd;
}

/*
 * One AT+QISEND with its data, for the writer that started at @gen.
 * Returns 0 (SEND OK), -ENOBUFS (SEND FAIL), or another negative errno;
 * nothing is retried after a cut (see sock_send_fail_cut()).
 */
static int sock_send_one(struct qisock_sock *s, const struct qisock_dialect *d,
			 const u8 __user *ubuf, size_t len,
			 const struct qisock_dgram *to, u32 gen)
{
	struct qat_cmd *cmd;
	int ret, err;

	cmd = sock_send_cmd(s, d, len, to);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = copy_from_user(cmd->data, ubuf, len) ? -EFAULT :
	      qisock_req_attach(s, cmd, &sock_send_ops, gen);
	if (!ret)
		ret = qisock_req_submit(cmd);
	if (ret) {
		qisock_at_cmd_put(cmd);
		err = qisock_sock_dead_err(s);
		return err ? err : ret == -ENODEV ? -EIO : ret;
	}
	/* a signal withdraws it unless it is on the wire already */
	ret = qisock_at_wait_intr(&s->qd->eng, cmd);
	if (ret && ret != -ENOBUFS && ret != -ERESTARTSYS) {
		ret = sock_send_errno(cmd, ret);
		/* failed meanwhile (pdpdeact, RDY, detach): that errno */
		err = qisock_sock_dead_err(s);
		if (err)
			ret = err;
	}
	qisock_at_cmd_put(cmd);
	return ret;
}

/* SEND FAIL: the module's buffer is full; poll it (lock held). */
static void sock_tx_full_locked(struct qisock_sock *s)
{
	if (s->state == QISOCK_SS_CONNECTED && !s->peer_closed) {
		s->tx_full = true;
		s->tx_poll_err = 0;
	}
}

/*
 * A deferred send failed (not SEND FAIL): a TCP stream has a hole, so the
 * socket fails; a UDP datagram is lost alone, the next call reports it.
 * Lock held.
 */
static void sock_send_lost_locked(struct qisock_sock *s,
				  const struct qat_cmd *cmd)
{
	int err = -sock_send_errno(cmd, cmd->status);

	if (qisock_sock_is_udp(s))
		s->tx_err = err;
	else
		qisock_sock_fail_locked(s, err, cmd->cme >= 550 ? cmd->cme : 0);
}

/*
 * The outcome of a non-blocking write's QISEND (s->tx_async). Receive
 * path: takes only the socket lock.
 */
static void sock_send_async_done(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	struct qat_cmd *put = NULL;
	bool poll = false;

	sock_send_fail_cut(cmd);
	spin_lock(&s->lock);
	if (s->tx_async == cmd && s->gen == r->gen && !s->gone &&
	    cmd->status == -ENOBUFS && s->state == QISOCK_SS_CONNECTED &&
	    !s->peer_closed) {
		/* kept: it goes again once the module has room */
		s->tx_retry = true;
		sock_tx_full_locked(s);
		poll = true;
	} else if (s->tx_async == cmd) {
		if (s->gen == r->gen && !cmd->status) {
			s->tx_bytes += cmd->data_len;
			s->unacked += cmd->data_len;	/* until asked again */
		} else if (s->gen == r->gen && s->state != QISOCK_SS_FAILED) {
			sock_send_lost_locked(s, cmd);
		}
		s->tx_async = NULL;
		put = cmd;
	}
	spin_unlock(&s->lock);
	if (poll)
		qisock_sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
	qisock_sock_wake(s);
	qisock_req_end(cmd);
	qisock_at_cmd_put(put);
}

static const struct qat_cmd_ops sock_send_async_ops = {
	.done	= sock_send_async_done,
};

/*
 * Hand @cmd to the engine as the socket's non-blocking send of @gen, in
 * place of @old (NULL: a new write; else the send SEND FAIL refused, whose
 * data @cmd carries). It is s->tx_async before it can complete, so no
 * other write can pass it. If the engine refuses it, @old is put back.
 * Return: 0; -EBUSY if s->tx_async is not @old (another send is pending);
 * -ECONNABORTED if the socket moved on; or the engine's refusal. @cmd
 * stays the caller's to put; @old is let go of on success.
 */
static int sock_send_async(struct qisock_sock *s, struct qat_cmd *cmd, u32 gen,
			   struct qat_cmd *old)
{
	int ret = qisock_req_attach(s, cmd, &sock_send_async_ops, gen);
	bool mine = false;

	if (ret)
		return ret;
	spin_lock(&s->lock);
	if (s->gen != gen || s->tx_async != old) {
		ret = s->gen != gen ? -ECONNABORTED : -EBUSY;
		spin_unlock(&s->lock);
		qisock_req_end(cmd);
		return ret;
	}
	qisock_at_cmd_get(cmd);
	s->tx_async = cmd;
	s->tx_retry = false;
	spin_unlock(&s->lock);
	ret = qisock_req_submit(cmd);
	if (!ret) {
		qisock_at_cmd_put(old);	/* the socket's reference */
		return 0;
	}
	spin_lock(&s->lock);
	if (s->tx_async == cmd) {
		s->tx_async = old;	/* keeps the socket's reference */
		s->tx_retry = !!old;
		mine = true;
	}
	spin_unlock(&s->lock);
	if (mine)
		qisock_at_cmd_put(cmd);	/* the socket's reference */
	else
		qisock_at_cmd_put(old);	/* nobody holds it any more */
	qisock_sock_wake(s);
	return ret;
}

/*
 * A retry could not go out now (no memory, the engine's queue full): poll
 * again and retry then; the data stays s->tx_async.
 */
static void sock_send_again_later(struct qisock_sock *s)
{
	bool again;

	spin_lock(&s->lock);
	again = s->tx_retry && s->state == QISOCK_SS_CONNECTED;
	if (again)
		sock_tx_full_locked(s);
	spin_unlock(&s->lock);
	if (again)
		qisock_sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
}

/*
 * The module has room again: send the data a non-blocking write handed
 * over and SEND FAIL refused. From the socket work. The refused send stays
 * s->tx_async until its copy replaces it, so no later write overtakes it.
 */
static void sock_send_again(struct qisock_sock *s,
			    const struct qisock_dialect *d)
{
	struct qat_cmd *old, *cmd;
	u32 gen;
	int ret;

	spin_lock(&s->lock);
	old = s->tx_retry && !s->tx_full ? s->tx_async : NULL;
	if (old)
		qisock_at_cmd_get(old);
	gen = s->gen;
	spin_unlock(&s->lock);
	if (!old)
		return;
	cmd = qisock_cmd_new(d, QISOCK_CMD_QISEND, 0, old->data_len, "%.*s",
			     old->line_len - 1, old->line);
	ret = IS_ERR(cmd) ? PTR_ERR(cmd) : 0;
	if (!ret) {
		memcpy(cmd->data, old->data, old->data_len);
		cmd->timeout_ms = old->timeout_ms;
		ret = sock_send_async(s, cmd, gen, old);
		qisock_at_cmd_put(cmd);
	}
	if (ret == -ENOMEM || ret == -EAGAIN) {
		sock_send_again_later(s);
	} else if (ret && ret != -ECONNABORTED && ret != -EBUSY) {
		/* the engine is gone: the socket fails with the modem */
		spin_lock(&s->lock);
		if (s->gen == gen && s->tx_async == old &&
		    s->state == QISOCK_SS_CONNECTED)
			qisock_sock_fail_locked(s, EIO, 0);
		spin_unlock(&s->lock);
		qisock_sock_wake(s);
	}
	qisock_at_cmd_put(old);
}

/**
 * qisock_sock_tx_stop_locked() - the socket sends no more (failed, closed
 *	by the peer, released, or reused): no polling, no deferred send.
 * @s: the socket; lock held.
 *
 * A send still with the engine completes and is ignored (its generation
 * or the state tells); one kept after SEND FAIL is dropped here.
 *
 * Return: data a write handed over was dropped.
 */
bool qisock_sock_tx_stop_locked(struct qisock_sock *s)
{
	s->tx_full = false;
	if (!s->tx_retry)
		return false;
	qisock_at_cmd_put(s->tx_async);
	s->tx_async = NULL;
	s->tx_retry = false;
	return true;
}

/* No deferred send left (or none can go out any more)? */
static bool sock_tx_settled(struct qisock_sock *s)
{
	bool settled;

	spin_lock(&s->lock);
	settled = !s->tx_async || s->gone ||
		  s->state != QISOCK_SS_CONNECTED || s->peer_closed;
	spin_unlock(&s->lock);
	return settled;
}

/**
 * qisock_sock_tx_linger() - close(2): let a deferred send go out first.
 * @s: the socket being released.
 *
 * Waits up to QISOCK_LINGER_MS (a fatal signal ends the wait earlier) for
 * the data a non-blocking write handed over, SEND FAIL retries included.
 * What is still held then goes with the connection.
 */
void qisock_sock_tx_linger(struct qisock_sock *s)
{
	wait_event_killable_timeout(s->wq, sock_tx_settled(s),
				    msecs_to_jiffies(QISOCK_LINGER_MS));
}

/* The error of an earlier non-blocking write, reported once. */
static int sock_take_tx_err(struct qisock_sock *s)
{
	int err;

	spin_lock(&s->lock);
	err = s->tx_err;
	s->tx_err = 0;
	spin_unlock(&s->lock);
	return -err;
}

/*
 * UDP SERVICE: a write starts with a struct qisock_dgram naming the peer.
 * Return: 0 with *@buf and *@count past it, or -EINVAL.
 */
static int sock_write_peer(struct qisock_dgram *to, const char __user **buf,
			   size_t *count)
{
	if (*count < QISOCK_HDR || copy_from_user(to, *buf, QISOCK_HDR))
		return -EINVAL;
	if (to->len != *count - QISOCK_HDR || !to->port || to->port > 65535 ||
	    !sock_addr_valid(to->addr, sizeof(to->addr)))
		return -EINVAL;
	*buf += QISOCK_HDR;
	*count -= QISOCK_HDR;
	return 0;
}

/*
 * O_NONBLOCK: hand one AT+QISEND (at most qisend_max bytes) to the engine
 * and return; wr_lock held. Return: bytes handed over, or a negative errno.
 */
static ssize_t sock_write_nonblock(struct qisock_sock *s,
				   const struct qisock_dialect *d,
				   const char __user *buf, size_t count,
				   const struct qisock_dgram *to,
				   const struct qisock_caller *who)
{
	struct qat_cmd *cmd;
	size_t chunk;
	int ret;

	ret = qisock_sock_tx_ready(s, who);
	if (ret || !count)
		return ret;	/* an empty datagram: nothing to send */
	chunk = min_t(size_t, count, d->qisend_max);
	cmd = sock_send_cmd(s, d, chunk, to);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = copy_from_user(cmd->data, buf, chunk) ? -EFAULT :
	      sock_send_async(s, cmd, who->gen, NULL);
	qisock_at_cmd_put(cmd);
	if (ret == -ENODEV)
		ret = -EIO;
	else if (ret == -EBUSY)
		ret = -EAGAIN;	/* another send came first */
	return ret ? ret : chunk;
}

/* Blocking: QISEND after QISEND until all went out; wr_lock held. */
static ssize_t sock_write_wait(struct qisock_sock *s,
			       const struct qisock_dialect *d,
			       const char __user *buf, size_t count,
			       const struct qisock_dgram *to,
			       const struct qisock_caller *who)
{
	bool dgram = qisock_sock_is_udp(s);
	size_t done = 0, chunk;
	int ret = 0;

	while (done < count || (!count && !done && dgram)) {
		ret = qisock_sock_tx_ready(s, who);
		if (ret == -EAGAIN) {
			ret = wait_event_interruptible(s->wq,
						       qisock_sock_tx_ready(s, who) !=
						       -EAGAIN);
			if (ret) {
				ret = -ERESTARTSYS;
				break;
			}
			/* a deferred datagram that failed meanwhile: say so */
			ret = sock_take_tx_err(s);
			if (ret)
				break;
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
				    to, who->gen);
		if (ret == -ENOBUFS) {
			spin_lock(&s->lock);
			sock_tx_full_locked(s);
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
	return done ? done : ret;
}

/**
 * qisock_sock_write_for() - write(2) on a socket.
 * @s: the socket.
 * @buf: user data (UDP SERVICE: a struct qisock_dgram, then the payload).
 * @count: its length.
 * @nonblock: O_NONBLOCK: never wait for the modem (see the top of this
 *	file); EAGAIN while another writer or an earlier send is pending.
 * @owner: see qisock_sock_read_for().
 *
 * A signal ends a blocking call between two AT+QISEND, never during one:
 * the bytes accepted so far are returned, or -ERESTARTSYS if there are none.
 *
 * Return: bytes accepted by the module (SEND OK) or, non-blocking, handed
 * to the engine; or a negative errno, also one left by an earlier
 * non-blocking write.
 */
ssize_t qisock_sock_write_for(struct qisock_sock *s, const char __user *buf,
			      size_t count, bool nonblock,
			      wait_queue_head_t *owner)
{
	const struct qisock_dialect *d = qisock_sock_dialect(s);
	struct qisock_caller who = { .owner = owner };
	struct qisock_dgram to, *top = NULL;
	ssize_t ret;

	ret = qisock_sock_dead_err(s);	/* before the dialect: RDY, detach */
	if (ret)
		return ret;
	if (!d)
		return -ENOTCONN;
	if (!d->send_prompt)
		return -EOPNOTSUPP;
	if (nonblock) {
		if (!mutex_trylock(&s->wr_lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&s->wr_lock)) {
		return -ERESTARTSYS;
	}
	who.gen = READ_ONCE(s->gen);
	if (s->service == QISOCK_UDP_SERVICE) {
		ret = sock_write_peer(&to, &buf, &count);
		if (ret)
			goto out;
		top = &to;
	}
	ret = -EMSGSIZE;
	if (qisock_sock_is_udp(s) && count > d->qisend_max)
		goto out;
	ret = sock_take_tx_err(s);
	if (ret)
		goto out;
	if (nonblock)
		ret = sock_write_nonblock(s, d, buf, count, top, &who);
	else
		ret = sock_write_wait(s, d, buf, count, top, &who);
	if (ret > 0 && top)
		ret += QISOCK_HDR;
out:
	mutex_unlock(&s->wr_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_write_for);

/*
 * The answer to a background AT+QISEND=<id>,0 (non-blocking TIOCOUTQ).
 * Receive path: takes only the socket lock.
 */
static void sock_outq_done(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	u32 unacked;
	bool ok = !cmd->status && !sock_parse_unacked(cmd, &unacked);

	spin_lock(&s->lock);
	/* FIFO: a send queued after this query adds its length later */
	if (ok && s->gen == r->gen)
		s->unacked = unacked;
	s->outq_query = false;
	spin_unlock(&s->lock);
	qisock_req_end(cmd);
}

static const struct qat_cmd_ops sock_outq_ops = {
	.done	= sock_outq_done,
};

/*
 * Non-blocking TIOCOUTQ: the module's last count, with what was sent since
 * and what the driver still holds; a fresh count is asked for in the
 * background, so a program that polls TIOCOUTQ sees it reach 0.
 */
static int sock_outq_nonblock(struct qisock_sock *s)
{
	struct qat_cmd *cmd;
	bool ask;
	u32 gen;
	int n, ret;

	spin_lock(&s->lock);
	n = min_t(u64, (u64)s->unacked +
		  (s->tx_async ? s->tx_async->data_len : 0), INT_MAX);
	ask = !s->outq_query;
	s->outq_query = true;
	gen = s->gen;
	spin_unlock(&s->lock);
	if (!ask)
		return n;
	cmd = sock_unacked_cmd(s);
	ret = cmd ? qisock_req_attach(s, cmd, &sock_outq_ops, gen) : -ENOMEM;
	if (!ret)
		ret = qisock_req_submit(cmd);
	if (ret) {
		spin_lock(&s->lock);
		s->outq_query = false;	/* ask again next time */
		spin_unlock(&s->lock);
	}
	qisock_at_cmd_put(cmd);
	return n;
}

/**
 * qisock_sock_outq() - TIOCOUTQ: bytes the module has not had acknowledged.
 * @s: the socket.
 * @nonblock: O_NONBLOCK: answer at once (see sock_outq_nonblock()).
 *
 * Return: the count, or a negative errno, also one left by an earlier
 * non-blocking write.
 */
int qisock_sock_outq(struct qisock_sock *s, bool nonblock)
{
	u32 unacked = 0;
	int ret;

	ret = qisock_sock_tx_ready(s, NULL);
	if (ret && ret != -EAGAIN)
		return ret == -EPIPE ? 0 : ret;
	if (s->service != QISOCK_TCP && s->service != QISOCK_TCP_INCOMING)
		return 0;
	ret = sock_take_tx_err(s);
	if (ret)
		return ret;
	if (nonblock)
		return sock_outq_nonblock(s);
	ret = sock_query_unacked(s, &unacked);
	if (ret)
		return ret;
	spin_lock(&s->lock);
	s->unacked = unacked;
	spin_unlock(&s->lock);
	return unacked;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_outq);

/**
 * qisock_sock_tx_poll() - ask the module how full its send buffer is.
 * @s: a socket whose last QISEND got SEND FAIL (tx_full).
 * @d: its dialect.
 *
 * Called from the socket work; clears tx_full once a whole QISEND fits
 * again, or after QISOCK_TXPOLL_ERR_MAX failed polls (UDP may answer
 * ERROR), then sends what a non-blocking write left; polls again
 * otherwise.
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
	if (!again)
		sock_send_again(s, d);
	qisock_sock_wake(s);
	if (again)
		qisock_sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
}
