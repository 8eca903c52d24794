// SPDX-License-Identifier: GPL-2.0
/*
 * qisock socket receive path: the QIRD drain in buffer access mode and its
 * audit after a lost answer, direct-push data, datagram records, and
 * read(2)/FIONREAD.
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

#define QISOCK_RXRETRY_MS	100	/* QIRD retry after a submit failure */
#define QISOCK_AUDIT_TRIES	3	/* unanswered AT+QIRD=<id>,0 before EIO */

/* ---- receive: buffer access mode ------------------------------------------ */

/*
 * UDP records: the header goes into @rx before the data has arrived. Until
 * the block's last part, rx_dgrams does not count the record, so the reader
 * cannot see it, and a block that is refused or cut is taken back out.
 * Lock held.
 */
static void sock_rec_begin(struct qisock_sock *s)
{
	s->rx_rec_open = true;
	s->rx_rec_start = s->rx.kfifo.in;
	s->rx_rec_gen = s->gen;
}

/*
 * Start a datagram record of @len bytes: its header carries the peer from
 * the URC or response arguments @addr and @port when the module gave them,
 * else the socket's own peer. Caller holds s->lock.
 */
static void sock_rec_dgram(struct qisock_sock *s, u32 len,
			   const struct qp_arg *addr, const struct qp_arg *port)
{
	struct qisock_dgram h = { .len = len };

	if (port && port->is_int) {
		h.port = port->v;
		memcpy(h.addr, addr->s,
		       min_t(size_t, addr->len, sizeof(h.addr) - 1));
	} else {
		h.port = s->rport;
		strscpy(h.addr, s->remote, sizeof(h.addr));
	}
	sock_rec_begin(s);
	kfifo_in(&s->rx, (u8 *)&h, QISOCK_HDR);
}

static void sock_rec_end(struct qisock_sock *s)
{
	s->rx_dgrams++;
	s->rx_rec_open = false;
}

/* Drop the record in progress; never across a kfifo_reset() (new gen). */
static void sock_rec_abort(struct qisock_sock *s)
{
	if (s->rx_rec_open && s->rx_rec_gen == s->gen &&
	    s->rx.kfifo.in - s->rx_rec_start <= kfifo_len(&s->rx))
		s->rx.kfifo.in = s->rx_rec_start;
	s->rx_rec_open = false;
}

/* The arguments of a "+QIRD:" line (at most 3), or -ENOENT for another line. */
static int sock_qird_args(const struct qp_line *line, struct qp_arg *a)
{
	if (strncmp(line->text, "+QIRD:", 6))
		return -ENOENT;
	return qisock_parse_split_args(line->text + 6, line->len - 6, a, 3);
}

/*
 * A datagram record of @len bytes for a QIRD answer, or the datagram
 * dropped (counted) when it does not fit. Returns whether it is kept.
 * Lock held.
 */
static bool sock_qird_dgram_locked(struct qisock_sock *s, u32 len,
				   const struct qp_arg *addr,
				   const struct qp_arg *port)
{
	if (len > QAT_BLOCK_MAX || kfifo_avail(&s->rx) < QISOCK_HDR + len) {
		s->rx_dropped += len;
		return false;
	}
	sock_rec_dgram(s, len, addr, port);
	return true;
}

/*
 * BC66 UDP: "+QIRD: <n>,<remaining>" is a part of a datagram (one node of
 * the module's buffer, read 512 bytes at a time) with @rem bytes after it.
 * The record is opened at the first part with the whole length and ends
 * with the part that leaves nothing. A part that goes on with fewer bytes
 * than the datagram had left follows a QIRD whose answer was lost: its
 * record was taken back out and counted then, so the rest is dropped.
 * After an answer lost between datagrams (@rx_dg_skip) no part can be
 * told from a datagram's start: they are dropped, and counted, up to the
 * end of one, so no reader ever gets a datagram cut short.
 * Lock held. Returns whether the part is kept.
 */
static bool sock_qird_part_locked(struct qisock_sock *s, u32 got, u32 rem)
{
	bool goes_on = s->rx_dg_left && got + rem <= s->rx_dg_left;

	if (s->rx_dg_skip) {
		sock_rec_abort(s);
		s->rx_dropped += got;
		s->rx_dg_keep = false;
		s->rx_dg_skip = rem > 0;
	} else if (!goes_on) {
		/* a new datagram */
		sock_rec_abort(s);
		s->rx_dg_len = got + rem;
		s->rx_dg_keep = sock_qird_dgram_locked(s, got + rem, NULL,
						       NULL);
	} else if (got + rem < s->rx_dg_left || !s->rx_rec_open) {
		s->rx_dg_keep = false;
	}
	s->rx_dg_left = rem;
	return s->rx_dg_keep;
}

/* "+QIRD: n[,"ip",port]", BC66 "+QIRD: n,remaining" */
static int sock_qird_info(struct qat_cmd *cmd, const struct qp_line *line)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	struct qp_arg a[3];
	int n = sock_qird_args(line, a);
	bool parts;

	if (n == -ENOENT)
		return 0;
	parts = n == 2 && a[1].is_int && a[1].v >= 0 &&
		a[1].v <= QAT_BLOCK_HARD_MAX;
	/* "n", "n,remaining" or "n,"ip",port": never an audit's three counts */
	if ((n != 1 && !parts && (n != 3 || !a[1].quoted)) || !a[0].is_int ||
	    a[0].v < 0 || a[0].v > QAT_BLOCK_HARD_MAX)
		return -EPROTO;

	spin_lock(&s->lock);
	if (!parts || !qisock_sock_is_udp(s))
		sock_rec_abort(s);
	s->rd_got = a[0].v;
	s->rd_rem = parts ? a[1].v : 0;
	s->rd_in = 0;
	s->rd_drop = r->gen != s->gen;
	if (!s->rd_drop)
		s->mod_read += s->rd_got;
	if (s->rd_got > QAT_BLOCK_MAX) {
		/* refused: the engine drops the block, done sees it cut */
		spin_unlock(&s->lock);
		return -EPROTO;
	}
	if (!s->rd_drop && s->rd_got && qisock_sock_is_udp(s)) {
		if (parts)
			s->rd_drop = !sock_qird_part_locked(s, s->rd_got,
							    s->rd_rem);
		else
			s->rd_drop = !sock_qird_dgram_locked(s, s->rd_got,
					n >= 3 ? &a[1] : NULL,
					n >= 3 ? &a[2] : NULL);
	}
	spin_unlock(&s->lock);
	return a[0].v;
}

static void sock_qird_data(struct qat_cmd *cmd, const u8 *buf, u32 len,
			   bool last)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	unsigned int in;

	spin_lock(&s->lock);
	if (!s->rd_drop && r->gen == s->gen) {
		s->rd_in += len;
		in = kfifo_in(&s->rx, buf, len);
		if (in < len) {
			/* cannot happen: qisock_sock_drain() asks for the room there is */
			s->rd_drop = true;
			if (qisock_sock_is_udp(s)) {
				sock_rec_abort(s);
				s->rx_dropped += s->rd_got;
			} else {
				s->rx_dropped += len - in;
				qisock_sock_fail_locked(s, EIO, 0);	/* hole */
			}
		} else if (last && qisock_sock_is_udp(s) && !s->rd_rem) {
			sock_rec_end(s);	/* the datagram's last part */
		}
	}
	spin_unlock(&s->lock);
	qisock_sock_wake(s);
}

/*
 * A QIRD ended without a final result and without its "+QIRD:" line (a
 * time-out, or a line error): the module may still answer it, and the
 * engine drops such a late answer, data included. Whether data went that
 * way is asked with AT+QIRD=<id>,0 before the next read (qisock_sock_drain()); a
 * dialect without that query fails a TCP socket at once, since its stream
 * may have a hole. Lock held.
 */
static void sock_qird_lost_locked(struct qisock_sock *s,
				  const struct qisock_dialect *d)
{
	if (s->service == QISOCK_UDP_SERVICE)
		return;		/* the seed gives it no query form */
	/* BC66 UDP: where the next part belongs is unknown (parts above) */
	if (d && d->show_length && qisock_sock_is_udp(s) && !s->rx_dg_left)
		s->rx_dg_skip = true;
	if (d && d->qird_query) {
		if (!s->rd_audit)
			s->rd_audit_tries = 0;
		s->rd_audit = true;
	} else if (!qisock_sock_is_udp(s)) {
		qisock_sock_fail_locked(s, EIO, 0);
	}
}

/* "+QIRD: <total_receive_length>,<have_read_length>,<unread_length>" */
static int sock_audit_info(struct qat_cmd *cmd, const struct qp_line *line)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	struct qp_arg a[3];
	int n = sock_qird_args(line, a);
	u32 lost;

	if (n == -ENOENT)
		return 0;
	if (n != 3 || !a[1].is_int || a[1].v < 0)
		return -EPROTO;
	spin_lock(&s->lock);
	if (r->gen == s->gen && s->rd_audit) {
		s->rd_audit = false;
		/* modulo 2^32: the module's counter may be 32 bits wide */
		lost = (u32)a[1].v - (u32)s->mod_read;
		if (lost) {
			s->mod_read += lost;
			s->rx_dropped += lost;
			if (!qisock_sock_is_udp(s))
				qisock_sock_fail_locked(s, EIO, 0);	/* a hole */
		}
	}
	spin_unlock(&s->lock);
	return 0;
}

/*
 * The audit ended: read on, or ask again if it went unanswered too. An
 * answer without the counts (ERROR, a malformed line) proves nothing: a TCP
 * stream may have a hole, so it fails.
 */
static void sock_audit_done(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	spin_lock(&s->lock);
	if (s->draining && s->rd_gen == r->gen)
		s->draining = false;
	if (r->gen == s->gen && s->rd_audit &&
	    (cmd->result != QP_INFO || cmd->status == -EPROTO ||
	     ++s->rd_audit_tries >= QISOCK_AUDIT_TRIES)) {
		s->rd_audit = false;
		if (!qisock_sock_is_udp(s))
			qisock_sock_fail_locked(s, EIO, 0);
	}
	spin_unlock(&s->lock);
	qisock_sock_wake(s);
	qisock_sock_drain(s);
	qisock_req_end(cmd);
}

/*
 * A late "+QIRD: n" block of the lost QIRD may still reach the audit (the
 * engine's resync gave up): with a data hook the engine consumes it as a
 * block, never as modem lines; the audit then fails as unusable.
 */
static void sock_audit_data(struct qat_cmd *cmd, const u8 *buf, u32 len,
			    bool last)
{
}

static const struct qat_cmd_ops sock_audit_ops = {
	.info	= sock_audit_info,
	.data	= sock_audit_data,
	.done	= sock_audit_done,
};

/*
 * The QIRD ended. Only "+QIRD: 0" or the module's ERROR mean "nothing left",
 * and only if no "recv" URC came while it was out (the module announces new
 * data once, after a QIRD that returned 0). Anything else (data, a time-out,
 * a refused or cut block, a stale QIRD) leaves recv_pending set and drains
 * again: the module does not repeat its URC. The engine's resync after a
 * failure paces the retries.
 */
static void sock_qird_done(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	/* only a failed QIRD needs it; not under s->lock (qd->lock) */
	const struct qisock_dialect *d = cmd->status ? qisock_sock_dialect(s) : NULL;
	bool empty;

	spin_lock(&s->lock);
	if (s->draining && s->rd_gen == r->gen)
		s->draining = false;
	if (r->gen == s->gen) {
		if (s->rd_got && !s->rd_drop && s->rd_in < s->rd_got) {
			/* refused or cut: the rest of the block is gone */
			if (qisock_sock_is_udp(s)) {
				sock_rec_abort(s);
				s->rx_dropped += s->rd_rem ? s->rx_dg_len :
							     s->rd_got;
				s->rx_dg_keep = false;
			} else {
				qisock_sock_fail_locked(s, EIO, 0);
			}
		}
		/* a failure: a datagram's parts read so far are dropped too */
		if (cmd->status && s->rx_rec_open && s->rx_dg_left &&
		    s->rx_dg_keep) {
			s->rx_dropped += s->rx_dg_len;
			s->rx_dg_keep = false;
		}
		if (cmd->status || !s->rx_dg_left)
			sock_rec_abort(s);	/* a no-op unless it failed */
		if (cmd->status && cmd->result == QP_INFO && !s->rd_got)
			sock_qird_lost_locked(s, d);
		empty = cmd->status ? cmd->status == -EIO &&
				      (cmd->result == QP_ERROR ||
				       cmd->result == QP_CME_ERROR) :
				      !s->rd_got;
		if (empty && s->recv_seq == s->rd_seq) {
			s->recv_pending = false;
			if (s->peer_closed && s->state == QISOCK_SS_CONNECTED)
				s->state = QISOCK_SS_CLOSED;
		}
	}
	s->rd_got = 0;
	s->rd_in = 0;
	spin_unlock(&s->lock);
	qisock_sock_wake(s);
	qisock_sock_drain(s);		/* if recv_pending is still set */
	qisock_req_end(cmd);
}

static const struct qat_cmd_ops sock_qird_ops = {
	.info	= sock_qird_info,
	.data	= sock_qird_data,
	.done	= sock_qird_done,
};

/*
 * Read from the module what the reader has room for. Called when data is
 * announced, after each QIRD, and by readers that made room. Never waits.
 */
void qisock_sock_drain(struct qisock_sock *s)
{
	const struct qisock_dialect *d = qisock_sock_dialect(s);
	unsigned int room, n;
	struct qat_cmd *cmd;
	bool service, audit;
	u32 gen;
	int ret;

	if (!d)
		return;
	spin_lock(&s->lock);
	if (!s->recv_pending || s->draining || s->gone ||
	    s->state != QISOCK_SS_CONNECTED ||
	    s->service == QISOCK_TCP_LISTENER) {
		spin_unlock(&s->lock);
		return;
	}
	room = kfifo_avail(&s->rx);
	if (qisock_sock_is_udp(s)) {
		/* room for a whole datagram; its parts had it from the first */
		if (!s->rx_dg_left &&
		    room < QISOCK_HDR + (d->show_length ? QAT_BLOCK_MAX :
							   d->qird_max)) {
			spin_unlock(&s->lock);
			return;		/* resumed by the reader */
		}
		n = d->qird_max;
	} else {
		n = min_t(unsigned int, room, d->qird_max);
		if (!n) {
			spin_unlock(&s->lock);
			return;
		}
	}
	service = s->service == QISOCK_UDP_SERVICE;
	audit = s->rd_audit;
	s->draining = true;
	s->rd_got = 0;
	s->rd_in = 0;
	gen = s->gen;
	s->rd_gen = gen;
	s->rd_seq = s->recv_seq;
	spin_unlock(&s->lock);

	if (audit) {
		cmd = qisock_cmd_new(d, QISOCK_CMD_QIRD, 0, 0, "AT+QIRD=%u,0",
				     s->id);
		ret = qisock_sock_submit(s, cmd, &sock_audit_ops, gen);
	} else {
		if (service)
			cmd = qisock_cmd_new(d, QISOCK_CMD_QIRD, 0, 0,
					     "AT+QIRD=%u", s->id);
		else
			cmd = qisock_cmd_new(d, QISOCK_CMD_QIRD, 0, 0,
					     "AT+QIRD=%u,%u", s->id, n);
		/* a block longer than asked for is an error */
		if (!IS_ERR(cmd) && !service)
			cmd->blk_max = n;
		ret = qisock_sock_submit(s, cmd, &sock_qird_ops, gen);
	}
	if (ret) {
		spin_lock(&s->lock);
		if (s->draining && s->rd_gen == gen)
			s->draining = false;
		spin_unlock(&s->lock);
		/* engine queue full, no memory: the socket work retries */
		if (ret == -EAGAIN || ret == -ENOMEM)
			qisock_sock_arm_work(s, msecs_to_jiffies(QISOCK_RXRETRY_MS));
	}
}

void qisock_sock_urc_recv(struct qisock_dev *qd, const struct qp_line *line,
			  const struct qp_arg *a, int n)
{
	int id = qisock_urc_int(a, n, 0, 0, 255);
	struct qisock_sock *s = qisock_sock_get(qd, id);
	/* the engine's bound: it consumes any block up to QAT_BLOCK_HARD_MAX */
	int len = qisock_urc_int(a, n, 1, 1, QAT_BLOCK_HARD_MAX);
	unsigned int need;

	if (!s)
		return;
	/* BC66 buffer mode with lengths shown: no data follows (engine's rule) */
	if (!qisock_at_id_pushes(&qd->eng, id))
		len = -1;
	if (line->code == QP_URC_RECV && len > QAT_BLOCK_MAX) {
		/* direct push the engine refuses: it consumes and drops it */
		spin_lock(&s->lock);
		if (s->state == QISOCK_SS_CONNECTED) {
			s->rx_dropped += len;
			s->mod_read += len;
		}
		spin_unlock(&s->lock);
		qisock_sock_put(s);
		return;
	}
	if (line->code == QP_URC_RECV && len > 0) {
		/* direct push: the data follows this line */
		spin_lock(&s->lock);
		sock_rec_abort(s);
		qd->push = s;
		qd->push_gen = s->gen;
		qd->push_drop = s->state != QISOCK_SS_CONNECTED;
		if (!qd->push_drop)
			s->mod_read += len;
		need = qisock_sock_is_udp(s) ? QISOCK_HDR + len : 1;
		if (!qd->push_drop && kfifo_avail(&s->rx) < need) {
			qd->push_drop = true;
			s->rx_dropped += len;
		}
		if (!qd->push_drop && qisock_sock_is_udp(s))
			sock_rec_dgram(s, len, n >= 4 ? &a[2] : NULL,
				       n >= 4 ? &a[3] : NULL);
		spin_unlock(&s->lock);
		qisock_sock_put(s);	/* the table keeps it alive */
		return;
	}
	spin_lock(&s->lock);
	if (s->state == QISOCK_SS_CONNECTED) {
		s->recv_pending = true;
		s->recv_seq++;	/* a QIRD out now may have missed this */
	}
	spin_unlock(&s->lock);
	qisock_sock_drain(s);
	qisock_sock_put(s);
}

/**
 * qisock_sock_reread() - the module woke up: read what it may hold unsaid.
 * @qd: the modem.
 *
 * A module in PSM reports no URC (seed 001 2.4), so data may wait in its
 * buffer without the "recv" that announces it. Every connected socket in
 * buffer access mode reads once; one that holds nothing gets "+QIRD: 0".
 * Receive path (the wake-up "AT" ended); never waits.
 */
void qisock_sock_reread(struct qisock_dev *qd)
{
	struct qisock_sock *s;
	unsigned int id;

	for (id = 0; (s = qisock_sock_get(qd, id)); id++) {
		spin_lock(&s->lock);
		if (s->state == QISOCK_SS_CONNECTED &&
		    s->access == QISOCK_ACCESS_BUFFER &&
		    s->service != QISOCK_TCP_LISTENER && !s->peer_closed) {
			s->recv_pending = true;
			s->recv_seq++;
		}
		spin_unlock(&s->lock);
		qisock_sock_drain(s);
		qisock_sock_put(s);
	}
}

/**
 * qisock_sock_urc_data() - a part of a direct-push block.
 * @qd: the modem.
 * @buf: the bytes.
 * @len: their number.
 * @last: the block's final part.
 */
void qisock_sock_urc_data(struct qisock_dev *qd, const u8 *buf, u32 len,
			  bool last)
{
	struct qisock_sock *s = qd->push;
	unsigned int in;

	if (!s)
		return;
	spin_lock(&s->lock);
	if (qd->push_gen == s->gen && !qd->push_drop) {
		in = kfifo_in(&s->rx, buf, len);
		s->rx_dropped += len - in;
		if (in < len && qisock_sock_is_udp(s)) {
			/* cannot happen (room reserved): no partial record */
			sock_rec_abort(s);
			qd->push_drop = true;
		} else if (last && qisock_sock_is_udp(s)) {
			sock_rec_end(s);
		}
	}
	spin_unlock(&s->lock);
	if (last)
		qd->push = NULL;
	qisock_sock_wake(s);
}

/* ---- receive side for user space ----------------------------------------- */

/* What the socket's state means for a reader: 1, 0 (EOF), -EAGAIN, -errno. */
static int sock_rx_state_locked(const struct qisock_sock *s)
{
	if (qisock_sock_is_udp(s) ? s->rx_dgrams : !kfifo_is_empty(&s->rx))
		return 1;
	if (s->gone)
		return -EIO;
	if (s->state == QISOCK_SS_CLOSED)
		return 0;
	if (s->state == QISOCK_SS_FAILED)
		return -(s->error ? s->error : EIO);
	if (s->state == QISOCK_SS_FREE)
		return -ENOTCONN;
	if (s->service == QISOCK_TCP_LISTENER)
		return -EINVAL;
	return -EAGAIN;
}

/* Something for a reader? 1 data, 0 EOF, -EAGAIN nothing yet, -errno. */
static int sock_rx_ready(struct qisock_sock *s, const struct qisock_caller *who)
{
	int ret;

	spin_lock(&s->lock);
	/* before the data: it may be a stranger's */
	ret = qisock_sock_caller_err_locked(s, who);
	if (!ret)
		ret = sock_rx_state_locked(s);
	spin_unlock(&s->lock);
	return ret;
}

/* Discard @n bytes of the fifo (reader side). */
static void sock_rx_skip(struct qisock_sock *s, unsigned int n)
{
	u8 tmp[64];

	while (n) {
		unsigned int k = kfifo_out(&s->rx, tmp, min_t(unsigned int, n,
							     sizeof(tmp)));

		if (!k)
			break;
		n -= k;
	}
}

/* A waiting reader retries a drain that could not start this often. */
#define QISOCK_RX_RETRY_MS	100

/* Data announced but no QIRD in flight (a drain failed or was refused). */
static bool sock_rx_stalled(struct qisock_sock *s)
{
	bool stalled;

	spin_lock(&s->lock);
	stalled = s->recv_pending && !s->draining && !s->gone &&
		  s->state == QISOCK_SS_CONNECTED &&
		  s->service != QISOCK_TCP_LISTENER;
	spin_unlock(&s->lock);
	return stalled;
}

/* Wait condition of a reader that saw -EAGAIN. */
static bool sock_rx_wait_done(struct qisock_sock *s,
			      const struct qisock_caller *who, bool stalled)
{
	return sock_rx_ready(s, who) != -EAGAIN ||
	       (!stalled && sock_rx_stalled(s));
}

/**
 * qisock_sock_read_for() - read(2) on a socket.
 * @s: the socket.
 * @buf: user buffer.
 * @count: its size.
 * @nonblock: O_NONBLOCK.
 * @owner: the calling file's wait queue, as given to qisock_sock_claim_for()
 *	or qisock_sock_accept_for(); a socket it no longer owns is -EBUSY.
 *
 * Return: bytes read, 0 at EOF, or a negative errno.
 */
ssize_t qisock_sock_read_for(struct qisock_sock *s, char __user *buf,
			     size_t count, bool nonblock,
			     wait_queue_head_t *owner)
{
	struct qisock_caller who = { .owner = owner };
	struct qisock_dgram h;
	unsigned int copied = 0;
	bool stalled;
	long w, tmo;
	int ret;

	if (mutex_lock_interruptible(&s->rd_lock))
		return -ERESTARTSYS;
	who.gen = READ_ONCE(s->gen);
	for (;;) {
		ret = sock_rx_ready(s, &who);
		if (ret != -EAGAIN)
			break;
		qisock_sock_drain(s);
		if (nonblock)
			goto out;
		/*
		 * Never sleep holding rd_lock (FIONREAD, OPEN wait for it):
		 * drop it, wait, take it again and re-check (pipe_read()).
		 * A drain that could not start (QIRD failed or timed out,
		 * engine busy) is restarted from here.
		 */
		stalled = sock_rx_stalled(s);
		mutex_unlock(&s->rd_lock);
		tmo = stalled ? msecs_to_jiffies(QISOCK_RX_RETRY_MS) :
				MAX_SCHEDULE_TIMEOUT;
		w = wait_event_interruptible_timeout(s->wq,
						     sock_rx_wait_done(s, &who,
								       stalled),
						     tmo);
		if (w < 0 || mutex_lock_interruptible(&s->rd_lock))
			return -ERESTARTSYS;
	}
	if (ret <= 0)
		goto out;

	if (!qisock_sock_is_udp(s)) {
		ret = kfifo_to_user(&s->rx, buf, count, &copied);
		if (!ret)
			ret = copied;
	} else {
		if (kfifo_out_peek(&s->rx, (u8 *)&h, QISOCK_HDR) !=
		    QISOCK_HDR) {
			ret = -EIO;
			goto out;
		}
		if (s->service == QISOCK_UDP_SERVICE) {
			if (count < QISOCK_HDR + h.len) {
				ret = -EMSGSIZE;
				goto out;
			}
			if (copy_to_user(buf, &h, QISOCK_HDR)) {
				ret = -EFAULT;
				goto out;
			}
			sock_rx_skip(s, QISOCK_HDR);
			ret = kfifo_to_user(&s->rx, buf + QISOCK_HDR, h.len,
					    &copied);
			if (!ret)
				ret = QISOCK_HDR + copied;
		} else {
			sock_rx_skip(s, QISOCK_HDR);
			ret = kfifo_to_user(&s->rx, buf,
					    min_t(size_t, count, h.len),
					    &copied);
			sock_rx_skip(s, h.len - copied);	/* truncated */
			if (!ret)
				ret = copied;
		}
		spin_lock(&s->lock);
		s->rx_dgrams--;
		spin_unlock(&s->lock);
	}
	spin_lock(&s->lock);
	s->rx_bytes += copied;
	spin_unlock(&s->lock);
	qisock_sock_drain(s);		/* room again: resume reading the module */
out:
	mutex_unlock(&s->rd_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_read_for);

/* FIONREAD: bytes, or the next datagram's payload size. */
int qisock_sock_nread(struct qisock_sock *s)
{
	struct qisock_dgram h;
	int n = 0;

	/* readers never sleep holding rd_lock; still, stay killable */
	if (mutex_lock_interruptible(&s->rd_lock))
		return -ERESTARTSYS;
	spin_lock(&s->lock);
	if (!qisock_sock_is_udp(s))
		n = kfifo_len(&s->rx);
	else if (s->rx_dgrams &&
		 kfifo_out_peek(&s->rx, (u8 *)&h, QISOCK_HDR) == QISOCK_HDR)
		n = h.len;
	spin_unlock(&s->lock);
	mutex_unlock(&s->rd_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_nread);

