// SPDX-License-Identifier: GPL-2.0
/*
 * qisock sockets: state machine, URC routing and the AT conversations of
 * one connectID (QIOPEN, QISEND, QIRD, QICLOSE, QISWTMD, QISEND=N,0).
 * Locking and lifetime rules are in qisock_sock.h.
 */
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock.h"
#include "qisock_compat.h"

#define QISOCK_OPEN_CMD_MS	10000	/* QIOPEN until its OK */
#define QISOCK_OPEN_MAX_S	150	/* +QIOPEN at the latest (seed) */
#define QISOCK_OPEN_MARGIN_S	5
#define QISOCK_CLOSE_TMO_S	1	/* <timeout> of AT+QICLOSE */
#define QISOCK_CLOSE_CMD_MS	(QISOCK_CLOSE_TMO_S * 1000 + 2000)
#define QISOCK_DEACT_CMD_MS	40000	/* AT+QIDEACT (seed) */
#define QISOCK_TXPOLL_MS	100	/* send buffer poll after SEND FAIL */
#define QISOCK_RXRETRY_MS	100	/* QIRD retry after a submit failure */
#define QISOCK_AUDIT_TRIES	3	/* unanswered AT+QIRD=<id>,0 before EIO */
#define QISOCK_TXPOLL_ERR_MAX	3	/* failed polls before the next QISEND */
#define QISOCK_HDR		sizeof(struct qisock_dgram)

static const char * const qisock_service_names[] = {
	[QISOCK_TCP]		= "TCP",
	[QISOCK_UDP]		= "UDP",
	[QISOCK_TCP_LISTENER]	= "TCP LISTENER",
	[QISOCK_UDP_SERVICE]	= "UDP SERVICE",
};

static bool sock_is_udp(const struct qisock_sock *s)
{
	return s->service == QISOCK_UDP || s->service == QISOCK_UDP_SERVICE;
}

static const struct qisock_dialect *sock_dialect(struct qisock_sock *s)
{
	struct qisock_dev *qd = s->qd;
	const struct qisock_dialect *d;

	spin_lock(&qd->lock);
	d = qd->state == QISOCK_READY ? qd->dialect : NULL;
	spin_unlock(&qd->lock);
	return d;
}

/* ---- lifetime ----------------------------------------------------------- */

struct qisock_pending {
	struct list_head node;
	u8 id;
	u32 gen;		/* the connection's gen when queued */
};

static void qisock_sock_dev_release(struct device *dev)
{
	struct qisock_sock *s = container_of(dev, struct qisock_sock, dev);
	struct qisock_pending *p, *tmp;

	/*
	 * Belt and braces: s->work is armed only via sock_arm_work() before
	 * @gone, and the table's reference lives until socks_remove() has
	 * cancelled it, so nothing can be pending here. Never the last
	 * reference from the work itself (the table's outlives it).
	 */
	cancel_delayed_work_sync(&s->work);
	list_for_each_entry_safe(p, tmp, &s->accept_q, node)
		kfree(p);
	kvfree(s->rx.kfifo.data);
	put_device(&s->qd->dev);
	kfree(s);
}

void qisock_sock_put(struct qisock_sock *s)
{
	if (s)
		put_device(&s->dev);
}

static void qisock_sock_work(struct work_struct *work);

static struct qisock_sock *qisock_sock_alloc(struct qisock_dev *qd, int id)
{
	struct qisock_sock *s;
	void *buf;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	buf = kvmalloc(QISOCK_RX_SIZE, GFP_KERNEL);
	if (!buf) {
		kfree(s);
		return NULL;
	}
	if (kfifo_init(&s->rx, buf, QISOCK_RX_SIZE)) {
		kvfree(buf);
		kfree(s);
		return NULL;
	}
	s->qd = qd;
	s->id = id;
	mutex_init(&s->op_lock);
	mutex_init(&s->wr_lock);
	mutex_init(&s->rd_lock);
	spin_lock_init(&s->lock);
	init_waitqueue_head(&s->wq);
	INIT_DELAYED_WORK(&s->work, qisock_sock_work);
	INIT_LIST_HEAD(&s->accept_q);
	s->listener = U8_MAX;
	s->state = QISOCK_SS_FREE;

	get_device(&qd->dev);
	device_initialize(&s->dev);
	s->dev.class = qd->dev.class;
	s->dev.parent = &qd->dev;
	s->dev.release = qisock_sock_dev_release;
	if (MAJOR(qd->dev.devt))
		s->dev.devt = qisock_devt(qd->id, 1 + id);
	cdev_init(&s->cdev, &qisock_sock_fops);
	s->cdev.owner = THIS_MODULE;
	if (dev_set_name(&s->dev, "qisock%ds%d", qd->id, id)) {
		put_device(&s->dev);
		return NULL;
	}
	return s;
}

/**
 * qisock_socks_create() - create the sockets of an identified modem.
 * @qd: the modem; its dialect is known.
 *
 * Called from the probe work. Does nothing if they exist already.
 *
 * Return: 0 or a negative errno.
 */
int qisock_socks_create(struct qisock_dev *qd)
{
	const struct qisock_dialect *d;
	unsigned int i, n;
	int ret = 0;

	spin_lock(&qd->lock);
	d = qd->dialect;
	n = qd->nsocks;
	spin_unlock(&qd->lock);
	if (n || !d)
		return 0;

	down_read(&qd->sock_rwsem);
	if (qd->socks_gone) {
		up_read(&qd->sock_rwsem);
		return -ENODEV;
	}
	for (i = 0; i < d->sockets && i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s = qisock_sock_alloc(qd, i);

		if (!s) {
			ret = -ENOMEM;
			break;
		}
		if (MAJOR(s->dev.devt))
			ret = cdev_device_add(&s->cdev, &s->dev);
		else
			ret = device_add(&s->dev);
		if (ret) {
			put_device(&s->dev);
			break;
		}
		spin_lock(&qd->lock);
		qd->socks[i] = s;
		qd->nsocks = i + 1;
		spin_unlock(&qd->lock);
	}
	up_read(&qd->sock_rwsem);
	return ret;
}

/* Fail a socket that is open or opening; lock held. */
static bool sock_fail_locked(struct qisock_sock *s, int err, int mod_err)
{
	if (s->state != QISOCK_SS_OPENING && s->state != QISOCK_SS_CONNECTED &&
	    s->state != QISOCK_SS_CLOSED)
		return false;
	s->state = QISOCK_SS_FAILED;
	s->error = err;
	s->module_error = mod_err;
	s->recv_pending = false;
	s->peer_closed = false;
	s->tx_full = false;
	return true;
}

/*
 * Back to FREE in a new generation, nothing received kept (unless @gone,
 * which keeps the socket FAILED for its file). Lock held.
 */
static void sock_reset_locked(struct qisock_sock *s)
{
	s->gen++;
	s->mod_held = false;
	s->recv_pending = false;
	s->peer_closed = false;
	s->tx_full = false;
	s->rd_audit = false;
	if (!s->gone) {
		s->state = QISOCK_SS_FREE;
		s->error = 0;
	}
	s->rx_dgrams = 0;
	kfifo_reset(&s->rx);
}

/*
 * Fail a socket whose module side is gone (pdpdeact, RDY): a file that owns
 * it sees @err; one nobody owns (an incoming connection waiting for ACCEPT)
 * is free again at once. Lock held. Returns whether the socket was hit.
 */
static bool sock_fail_dead_locked(struct qisock_sock *s, int err)
{
	bool hit = sock_fail_locked(s, err, 0);

	if (!hit && s->state != QISOCK_SS_FAILED)
		return false;
	s->mod_held = false;	/* the module has forgotten it */
	if (!s->in_use) {	/* also one that failed while queued */
		sock_reset_locked(s);
		s->listener = U8_MAX;
	}
	return hit;
}

static void sock_accept_flush(struct qisock_sock *l);

/* After failing sockets: a listener that no longer listens queues nothing. */
static void sock_flush_failed_listeners(struct qisock_dev *qd)
{
	unsigned int i;

	for (i = 0; i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s = qisock_sock_get(qd, i);
		bool flush;

		if (!s)
			continue;
		spin_lock(&s->lock);
		flush = s->accept_len && s->state == QISOCK_SS_FAILED;
		spin_unlock(&s->lock);
		if (flush)
			sock_accept_flush(s);
		qisock_sock_put(s);
	}
}

static void sock_wake(struct qisock_sock *s)
{
	wake_up_interruptible_all(&s->wq);
	/* the owning file's pollers (registered before OPEN, see sockdev) */
	spin_lock(&s->lock);
	if (s->owner_wq)
		wake_up_interruptible_all(s->owner_wq);
	spin_unlock(&s->lock);
}

/* Arm s->work unless the socket is gone (socks_remove sets gone under s->lock, then cancels). */
static void sock_arm_work(struct qisock_sock *s, unsigned long delay)
{
	spin_lock(&s->lock);
	if (!s->gone)
		mod_delayed_work(system_wq, &s->work, delay);
	spin_unlock(&s->lock);
}

/**
 * qisock_socks_fail_all() - fail every socket (module reboot, detach).
 * @qd: the modem.
 * @err: positive errno (ENETRESET, EIO).
 *
 * The module has forgotten its sockets: nothing is closed with QICLOSE.
 */
void qisock_socks_fail_all(struct qisock_dev *qd, int err)
{
	unsigned int i;

	for (i = 0; i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s = qisock_sock_get(qd, i);

		if (!s)
			continue;
		spin_lock(&s->lock);
		sock_fail_dead_locked(s, err);
		s->mod_held = false;	/* also a FREE one with a close due */
		s->draining = false;
		s->gen++;
		spin_unlock(&s->lock);
		sock_wake(s);
		qisock_sock_put(s);
	}
	sock_flush_failed_listeners(qd);
}

/**
 * qisock_socks_remove() - detach: fail every socket and remove the nodes.
 * @qd: the modem; its engine is shut down.
 */
void qisock_socks_remove(struct qisock_dev *qd)
{
	unsigned int i;

	down_write(&qd->sock_rwsem);
	qd->socks_gone = true;
	up_write(&qd->sock_rwsem);

	for (i = 0; i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s;

		spin_lock(&qd->lock);
		s = qd->socks[i];
		qd->socks[i] = NULL;
		spin_unlock(&qd->lock);
		if (!s)
			continue;
		spin_lock(&s->lock);
		s->gone = true;
		sock_fail_locked(s, EIO, 0);
		if (s->state == QISOCK_SS_FREE) {
			s->state = QISOCK_SS_FAILED;
			s->error = EIO;
		}
		s->mod_held = false;
		spin_unlock(&s->lock);
		sock_wake(s);
		if (MAJOR(s->dev.devt))
			cdev_device_del(&s->cdev, &s->dev);
		else
			device_del(&s->dev);
		cancel_delayed_work_sync(&s->work);
		put_device(&s->dev);
	}
	spin_lock(&qd->lock);
	qd->nsocks = 0;
	spin_unlock(&qd->lock);
}

/**
 * qisock_sock_get() - a socket by connectID, referenced.
 * @qd: the modem.
 * @id: the connectID.
 *
 * Return: the socket (put it with qisock_sock_put()) or NULL.
 */
struct qisock_sock *qisock_sock_get(struct qisock_dev *qd, int id)
{
	struct qisock_sock *s = NULL;

	if (id < 0 || id >= QISOCK_SOCK_MAX)
		return NULL;
	spin_lock(&qd->lock);
	if (id < qd->nsocks) {
		s = qd->socks[id];
		if (s)
			get_device(&s->dev);
	}
	spin_unlock(&qd->lock);
	return s;
}

/**
 * qisock_sock_claim_for() - make a socket owned by a file.
 * @qd: the modem.
 * @id: the connectID, or -1 for any free one (not open in the module).
 * @owner: the owning file's wait queue (woken with the socket's), or NULL.
 *
 * Return: the referenced socket, or ERR_PTR(-EBUSY/-EINVAL/-EIO/-EAGAIN);
 * -EINVAL for a connectID beyond the dialect's.
 */
struct qisock_sock *qisock_sock_claim_for(struct qisock_dev *qd, int id,
					  wait_queue_head_t *owner)
{
	struct qisock_sock *s, *found = NULL;
	int i, first = id, last = id, ret = -EBUSY;

	if (id < 0) {
		first = 0;
		last = QISOCK_SOCK_MAX - 1;
	}
	down_read(&qd->sock_rwsem);
	if (qd->socks_gone) {
		up_read(&qd->sock_rwsem);
		return ERR_PTR(-EIO);
	}
	for (i = first; i <= last && !found; i++) {
		s = qisock_sock_get(qd, i);
		if (!s) {
			if (id >= 0)
				ret = qd->nsocks ? -EINVAL : -EAGAIN;
			continue;
		}
		spin_lock(&s->lock);
		if (!s->in_use && !s->gone &&
		    (id >= 0 || (s->state == QISOCK_SS_FREE && !s->mod_held &&
				 !s->draining))) {
			s->in_use = true;
			s->owner_wq = owner;
			found = s;
		}
		spin_unlock(&s->lock);
		if (!found)
			qisock_sock_put(s);
	}
	if (!found && id < 0 && !qd->nsocks)
		ret = -EAGAIN;
	up_read(&qd->sock_rwsem);
	return found ? found : ERR_PTR(ret);
}

void qisock_sock_unclaim(struct qisock_sock *s)
{
	spin_lock(&s->lock);
	s->in_use = false;
	s->owner_wq = NULL;
	spin_unlock(&s->lock);
}

/* ---- commands ----------------------------------------------------------- */

/* A command a socket submits without waiting for it. */
struct sock_req {
	struct qisock_sock *s;
	u32 gen;
};

static void sock_req_end(struct qat_cmd *cmd)
{
	struct sock_req *r = cmd->priv;

	cmd->priv = NULL;
	if (r) {
		qisock_sock_put(r->s);
		kfree(r);
	}
}

/* Make @cmd report to @s at @gen through @ops (ends in sock_req_end()). */
static int sock_req_attach(struct qisock_sock *s, struct qat_cmd *cmd,
			   const struct qat_cmd_ops *ops, u32 gen)
{
	struct sock_req *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->s = s;
	r->gen = gen;
	get_device(&s->dev);
	cmd->ops = ops;
	cmd->priv = r;
	return 0;
}

/* Submit a command made by sock_req_attach(); undone if it is refused. */
static int sock_req_submit(struct qat_cmd *cmd)
{
	struct sock_req *r = cmd->priv;
	int ret = qat_submit(&r->s->qd->eng, cmd);

	if (ret)
		sock_req_end(cmd);	/* no hook will ever run */
	return ret;
}

static __printf(6, 7)
int sock_submit_keep(struct qisock_sock *s, const struct qat_cmd_ops *ops,
		     unsigned int timeout_ms, u32 gen, struct qat_cmd **keep,
		     const char *fmt, ...)
{
	char line[QAT_CMD_MAX + 1];
	struct qat_cmd *cmd;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	cmd = qat_cmd_new(timeout_ms, 0, 0, "%s", line);
	if (!cmd)
		return -ENOMEM;
	ret = sock_req_attach(s, cmd, ops, gen);
	if (!ret)
		ret = sock_req_submit(cmd);
	if (!ret && keep) {
		qat_cmd_get(cmd);
		*keep = cmd;
	}
	qat_cmd_put(cmd);
	return ret;
}

#define sock_submit(s, ops, tmo, gen, ...) \
	sock_submit_keep(s, ops, tmo, gen, NULL, __VA_ARGS__)

/* -errno of a failed command: the module's +CME ERROR or a generic one. */
static int sock_cmd_errno(const struct qat_cmd *cmd)
{
	if (cmd->cme >= 550)
		return qisock_err_to_errno(cmd->cme);
	if (cmd->status == -ETIMEDOUT)
		return -ETIMEDOUT;
	return -EIO;
}

static void sock_plain_done(struct qat_cmd *cmd)
{
	sock_req_end(cmd);
}

static const struct qat_cmd_ops sock_plain_ops = {
	.done = sock_plain_done,
};

static void sock_send_close(struct qisock_sock *s, const struct qisock_dialect *d)
{
	if (!d)
		return;
	if (d->close_timeout)
		sock_submit(s, &sock_plain_ops, QISOCK_CLOSE_CMD_MS, 0,
			    "AT+QICLOSE=%u,%u", s->id, QISOCK_CLOSE_TMO_S);
	else
		sock_submit(s, &sock_plain_ops, QISOCK_CLOSE_CMD_MS, 0,
			    "AT+QICLOSE=%u", s->id);
}

/* ---- receive: buffer access mode ------------------------------------------ */

static void sock_drain(struct qisock_sock *s);

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
	return qp_split_args(line->text + 6, line->len - 6, a, 3);
}

/* "+QIRD: n[,"ip",port]" */
static int sock_qird_info(struct qat_cmd *cmd, const struct qp_line *line)
{
	struct sock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	struct qp_arg a[3];
	int n = sock_qird_args(line, a);

	if (n == -ENOENT)
		return 0;
	/* only "n" or "n,"ip",port": never an audit answer's three counts */
	if ((n != 1 && (n != 3 || !a[1].quoted)) || !a[0].is_int || a[0].v < 0 ||
	    a[0].v > QAT_BLOCK_HARD_MAX)
		return -EPROTO;

	spin_lock(&s->lock);
	sock_rec_abort(s);
	s->rd_got = a[0].v;
	s->rd_in = 0;
	s->rd_drop = r->gen != s->gen;
	if (!s->rd_drop)
		s->mod_read += s->rd_got;
	if (s->rd_got > QAT_BLOCK_MAX) {
		/* refused: the engine drops the block, done sees it cut */
		spin_unlock(&s->lock);
		return -EPROTO;
	}
	if (!s->rd_drop && s->rd_got && sock_is_udp(s)) {
		if (kfifo_avail(&s->rx) < QISOCK_HDR + s->rd_got) {
			s->rd_drop = true;
			s->rx_dropped += s->rd_got;
		} else {
			sock_rec_dgram(s, s->rd_got, n >= 3 ? &a[1] : NULL,
				       n >= 3 ? &a[2] : NULL);
		}
	}
	spin_unlock(&s->lock);
	return a[0].v;
}

static void sock_qird_data(struct qat_cmd *cmd, const u8 *buf, u32 len,
			   bool last)
{
	struct sock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	unsigned int in;

	spin_lock(&s->lock);
	if (!s->rd_drop && r->gen == s->gen) {
		s->rd_in += len;
		in = kfifo_in(&s->rx, buf, len);
		if (in < len) {
			/* cannot happen: sock_drain() asks for the room there is */
			s->rd_drop = true;
			if (sock_is_udp(s)) {
				sock_rec_abort(s);
				s->rx_dropped += s->rd_got;
			} else {
				s->rx_dropped += len - in;
				sock_fail_locked(s, EIO, 0);	/* hole */
			}
		} else if (last && sock_is_udp(s)) {
			sock_rec_end(s);
		}
	}
	spin_unlock(&s->lock);
	sock_wake(s);
}

/*
 * A QIRD ended without a final result and without its "+QIRD:" line (a
 * time-out, or a line error): the module may still answer it, and the
 * engine drops such a late answer, data included. Whether data went that
 * way is asked with AT+QIRD=<id>,0 before the next read (sock_drain()); a
 * dialect without that query fails a TCP socket at once, since its stream
 * may have a hole. Lock held.
 */
static void sock_qird_lost_locked(struct qisock_sock *s,
				  const struct qisock_dialect *d)
{
	if (s->service == QISOCK_UDP_SERVICE)
		return;		/* the seed gives it no query form */
	if (d && d->qird_query) {
		if (!s->rd_audit)
			s->rd_audit_tries = 0;
		s->rd_audit = true;
	} else if (!sock_is_udp(s)) {
		sock_fail_locked(s, EIO, 0);
	}
}

/* "+QIRD: <total_receive_length>,<have_read_length>,<unread_length>" */
static int sock_audit_info(struct qat_cmd *cmd, const struct qp_line *line)
{
	struct sock_req *r = cmd->priv;
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
			if (!sock_is_udp(s))
				sock_fail_locked(s, EIO, 0);	/* a hole */
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
	struct sock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	spin_lock(&s->lock);
	if (s->draining && s->rd_gen == r->gen)
		s->draining = false;
	if (r->gen == s->gen && s->rd_audit &&
	    (cmd->result != QP_INFO || cmd->status == -EPROTO ||
	     ++s->rd_audit_tries >= QISOCK_AUDIT_TRIES)) {
		s->rd_audit = false;
		if (!sock_is_udp(s))
			sock_fail_locked(s, EIO, 0);
	}
	spin_unlock(&s->lock);
	sock_wake(s);
	sock_drain(s);
	sock_req_end(cmd);
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
	struct sock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;
	/* only a failed QIRD needs it; not under s->lock (qd->lock) */
	const struct qisock_dialect *d = cmd->status ? sock_dialect(s) : NULL;
	bool empty;

	spin_lock(&s->lock);
	if (s->draining && s->rd_gen == r->gen)
		s->draining = false;
	if (r->gen == s->gen) {
		if (s->rd_got && !s->rd_drop && s->rd_in < s->rd_got) {
			/* refused or cut: the rest of the block is gone */
			if (sock_is_udp(s)) {
				sock_rec_abort(s);
				s->rx_dropped += s->rd_got;
			} else {
				sock_fail_locked(s, EIO, 0);
			}
		}
		sock_rec_abort(s);	/* no-op unless the command failed */
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
	sock_wake(s);
	sock_drain(s);		/* if recv_pending is still set */
	sock_req_end(cmd);
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
static void sock_drain(struct qisock_sock *s)
{
	const struct qisock_dialect *d = sock_dialect(s);
	unsigned int room, n;
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
	if (sock_is_udp(s)) {
		if (room < QISOCK_HDR + d->qird_max) {
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

	if (audit)
		ret = sock_submit(s, &sock_audit_ops, 0, gen, "AT+QIRD=%u,0",
				  s->id);
	else if (service)
		ret = sock_submit(s, &sock_qird_ops, 0, gen, "AT+QIRD=%u",
				  s->id);
	else
		ret = sock_submit(s, &sock_qird_ops, 0, gen, "AT+QIRD=%u,%u",
				  s->id, n);
	if (ret) {
		spin_lock(&s->lock);
		if (s->draining && s->rd_gen == gen)
			s->draining = false;
		spin_unlock(&s->lock);
		/* engine queue full, no memory: the socket work retries */
		if (ret == -EAGAIN || ret == -ENOMEM)
			sock_arm_work(s, msecs_to_jiffies(QISOCK_RXRETRY_MS));
	}
}

/* ---- URCs ----------------------------------------------------------------- */

static int urc_int(const struct qp_arg *a, int n, int i, int min, int max)
{
	if (i >= n || !a[i].is_int || a[i].v < min || a[i].v > max)
		return -1;
	return a[i].v;
}

static void urc_qiopen(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	struct qisock_sock *s = qisock_sock_get(qd, urc_int(a, n, 0, 0, 255));
	int err = urc_int(a, n, 1, 0, 65535);

	if (!s || err < 0)
		goto out;
	spin_lock(&s->lock);
	/* only after this OPEN's QIOPEN got its OK: not a killed open's */
	if (s->state == QISOCK_SS_OPENING && s->open_acked) {
		if (!err) {
			s->state = QISOCK_SS_CONNECTED;
		} else {
			s->state = QISOCK_SS_FAILED;
			s->error = -qisock_err_to_errno(err);
			s->module_error = err;
		}
	}
	spin_unlock(&s->lock);
	sock_wake(s);
out:
	qisock_sock_put(s);
}

static void urc_recv(struct qisock_dev *qd, const struct qp_line *line,
		     const struct qp_arg *a, int n)
{
	struct qisock_sock *s = qisock_sock_get(qd, urc_int(a, n, 0, 0, 255));
	/* the engine's bound: it consumes any block up to QAT_BLOCK_HARD_MAX */
	int len = urc_int(a, n, 1, 1, QAT_BLOCK_HARD_MAX);
	unsigned int need;

	if (!s)
		return;
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
		need = sock_is_udp(s) ? QISOCK_HDR + len : 1;
		if (!qd->push_drop && kfifo_avail(&s->rx) < need) {
			qd->push_drop = true;
			s->rx_dropped += len;
		}
		if (!qd->push_drop && sock_is_udp(s))
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
	sock_drain(s);
	qisock_sock_put(s);
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
		if (in < len && sock_is_udp(s)) {
			/* cannot happen (room reserved): no partial record */
			sock_rec_abort(s);
			qd->push_drop = true;
		} else if (last && sock_is_udp(s)) {
			sock_rec_end(s);
		}
	}
	spin_unlock(&s->lock);
	if (last)
		qd->push = NULL;
	sock_wake(s);
}

static void urc_closed(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	struct qisock_sock *s = qisock_sock_get(qd, urc_int(a, n, 0, 0, 255));
	bool drain = false;

	if (!s)
		return;
	spin_lock(&s->lock);
	if (s->state == QISOCK_SS_CONNECTED) {
		s->peer_closed = true;
		s->tx_full = false;	/* writers get EPIPE; the poll stops */
		if (s->access == QISOCK_ACCESS_BUFFER &&
		    s->service != QISOCK_TCP_LISTENER) {
			/* read what the module still holds, then EOF */
			s->recv_pending = true;
			drain = true;
		} else {
			s->state = QISOCK_SS_CLOSED;
		}
	} else if (s->state == QISOCK_SS_OPENING && s->open_acked) {
		sock_fail_locked(s, ECONNREFUSED, 0);
	}
	spin_unlock(&s->lock);
	sock_wake(s);
	if (drain)
		sock_drain(s);
	qisock_sock_put(s);
}

/*
 * Nobody can take the incoming connection @c of generation @gen (listener
 * gone or full, accept failed): QICLOSE it and make the slot FREE again,
 * unless a file claimed it or it changed meanwhile.
 */
static void sock_incoming_drop(struct qisock_sock *c, u32 gen)
{
	bool held = false;

	spin_lock(&c->lock);
	if (!c->in_use && c->gen == gen &&
	    c->service == QISOCK_TCP_INCOMING) {
		held = c->mod_held && !c->gone;
		sock_reset_locked(c);
		c->listener = U8_MAX;
		c->in_refused++;
	}
	spin_unlock(&c->lock);
	if (held)
		sock_send_close(c, sock_dialect(c));
	sock_wake(c);
}

/*
 * +QIURC: "incoming",<connectID>,<serverID>,"ip",port
 *
 * The module's assignment wins: a connectID a file has claimed but not opened
 * in the module (FREE, or OPENING) is taken from that file (its OPEN fails
 * with EBUSY) and the connection goes to the listener. A connection nobody
 * can take is closed in the module, never left as an owner-less socket.
 */
static void urc_incoming(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	int id = urc_int(a, n, 0, 0, 255), srv = urc_int(a, n, 1, 0, 255);
	struct qisock_sock *c = qisock_sock_get(qd, id);
	struct qisock_sock *l = qisock_sock_get(qd, srv);
	struct qisock_pending *p = NULL;
	bool listening = false, take = false, queued = false;
	u16 lport = 0;
	u8 ctx = 0;
	u32 gen = 0;

	if (!c || c == l)
		goto out;
	p = kmalloc(sizeof(*p), GFP_KERNEL);

	if (l && n >= 4) {
		spin_lock(&l->lock);
		listening = !l->gone && l->state == QISOCK_SS_CONNECTED &&
			    l->service == QISOCK_TCP_LISTENER &&
			    l->accept_len < QISOCK_ACCEPT_MAX;
		ctx = l->ctx;
		lport = l->lport;
		spin_unlock(&l->lock);
	}

	spin_lock(&c->lock);
	if (!listening || !p || c->gone) {
		take = false;
	} else if (!c->in_use) {
		take = c->state == QISOCK_SS_FREE ||
		       c->state == QISOCK_SS_FAILED;
	} else if (c->state == QISOCK_SS_FREE ||
		   c->state == QISOCK_SS_OPENING) {
		/* claimed, not open in the module: the file loses it */
		take = true;
		if (c->owner_wq)
			wake_up_interruptible_all(c->owner_wq);
		c->owner_wq = NULL;
		c->in_use = false;
	}
	if (take) {
		gen = ++c->gen;
		c->state = QISOCK_SS_CONNECTED;
		c->service = QISOCK_TCP_INCOMING;
		c->access = QISOCK_ACCESS_BUFFER;
		c->ctx = ctx;
		c->lport = lport;
		c->rport = a[3].is_int ? a[3].v : 0;
		memset(c->remote, 0, sizeof(c->remote));
		memcpy(c->remote, a[2].s,
		       min_t(size_t, a[2].len, sizeof(c->remote) - 1));
		c->listener = srv;
		c->mod_held = true;
		c->error = 0;
		c->module_error = 0;
		c->recv_pending = false;
		c->peer_closed = false;
		c->tx_full = false;
		c->rx_dgrams = 0;
		c->rx_bytes = 0;
		c->tx_bytes = 0;
		c->rx_dropped = 0;
		c->rd_audit = false;
		c->mod_read = 0;
		kfifo_reset(&c->rx);
	} else {
		c->in_refused++;
	}
	spin_unlock(&c->lock);
	sock_wake(c);

	if (!take) {
		/* nobody can take it: the module must not keep it */
		sock_send_close(c, sock_dialect(c));
		goto out;
	}
	spin_lock(&l->lock);
	if (!l->gone && l->state == QISOCK_SS_CONNECTED &&
	    l->service == QISOCK_TCP_LISTENER) {
		p->id = id;
		p->gen = gen;
		list_add_tail(&p->node, &l->accept_q);
		l->accept_len++;
		queued = true;
		p = NULL;
	}
	spin_unlock(&l->lock);
	if (queued)
		sock_wake(l);
	else
		sock_incoming_drop(c, gen);
out:
	kfree(p);
	qisock_sock_put(c);
	qisock_sock_put(l);
}

/*
 * A listener stops listening: close every connection still waiting in its
 * accept queue (unless a file claimed it meanwhile) and empty the queue.
 */
static void sock_accept_flush(struct qisock_sock *l)
{
	struct qisock_pending *p, *tmp;
	LIST_HEAD(q);

	spin_lock(&l->lock);
	list_splice_init(&l->accept_q, &q);
	l->accept_len = 0;
	spin_unlock(&l->lock);
	list_for_each_entry_safe(p, tmp, &q, node) {
		struct qisock_sock *c = qisock_sock_get(l->qd, p->id);

		if (c) {
			sock_incoming_drop(c, p->gen);
			qisock_sock_put(c);
		}
		list_del(&p->node);
		kfree(p);
	}
}

/**
 * qisock_sock_forget_deact() - withdraw a QIDEACT not sent yet, drop it.
 * @qd: the modem (receive path, or after the engine's shutdown).
 */
void qisock_sock_forget_deact(struct qisock_dev *qd)
{
	struct qat_cmd *cmd = qd->deact;

	qd->deact = NULL;
	if (cmd) {
		qat_cancel(&qd->eng, cmd);
		qat_cmd_put(cmd);
	}
}

static void urc_pdpdeact(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	int ctx = urc_int(a, n, 0, 1, 16), i;
	struct qisock_sock *any = NULL;

	if (ctx < 0)
		return;
	for (i = 0; i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s = qisock_sock_get(qd, i);

		if (!s)
			continue;
		spin_lock(&s->lock);
		if (s->ctx == ctx)
			sock_fail_dead_locked(s, ENETDOWN);
		spin_unlock(&s->lock);
		sock_wake(s);
		if (!any) {
			any = s;
			continue;
		}
		qisock_sock_put(s);
	}
	sock_flush_failed_listeners(qd);
	/*
	 * The seed: the host must deactivate the context. Kept, so that a
	 * module reboot before it is sent withdraws it (it would deactivate
	 * the fresh context).
	 */
	if (any) {
		qisock_sock_forget_deact(qd);
		sock_submit_keep(any, &sock_plain_ops, QISOCK_DEACT_CMD_MS, 0,
				 &qd->deact, "AT+QIDEACT=%d", ctx);
	}
	qisock_sock_put(any);
}

/**
 * qisock_sock_urc() - route a URC to its socket (receive path).
 * @qd: the modem.
 * @line: the URC.
 */
void qisock_sock_urc(struct qisock_dev *qd, const struct qp_line *line)
{
	struct qp_arg a[6];
	int n = qp_line_args(line, a, ARRAY_SIZE(a));

	switch (line->code) {
	case QP_URC_QIOPEN:
		urc_qiopen(qd, a, n);
		break;
	case QP_URC_RECV:
	case QP_URC_BUFF_FULL:
		urc_recv(qd, line, a, n);
		break;
	case QP_URC_CLOSED:
		urc_closed(qd, a, n);
		break;
	case QP_URC_INCOMING:
		urc_incoming(qd, a, n);
		break;
	case QP_URC_INCOMING_FULL:
		qd->incoming_full++;
		break;
	case QP_URC_PDPDEACT:
		urc_pdpdeact(qd, a, n);
		break;
	default:
		break;
	}
}

/* ---- attach: pin the wire format, reconcile --------------------------- */

/**
 * qisock_sock_pin() - fix the wire format and close stale sockets.
 * @qd: the modem, just identified (probe work).
 * @d: its dialect.
 *
 * Return: 0, or a fatal errno (-ENODEV: detached).
 */
int qisock_sock_pin(struct qisock_dev *qd, const struct qisock_dialect *d)
{
	const char * const *c;
	struct qat_cmd *cmd;
	const char *p;
	int ret;

	for (c = d->pin; c && *c; c++) {
		ret = qat_simple(&qd->eng, qd->cfg.cmd_timeout_ms, "%s", *c);
		if (ret == -ENODEV || ret == -ERESTARTSYS)
			return ret;
		if (ret)
			dev_warn(&qd->dev, "%s failed: %d\n", *c, ret);
	}

	cmd = qat_cmd_new(qd->cfg.cmd_timeout_ms, 2048, 0, "AT+QISTATE?");
	if (!cmd)
		return -ENOMEM;
	ret = qat_exec(&qd->eng, cmd);
	if (ret) {
		qat_cmd_put(cmd);
		return ret == -ENODEV ? ret : 0;
	}
	for (p = cmd->resp; p && (p = strstr(p, "+QISTATE:")); p++) {
		unsigned int id;

		if (sscanf(p, "+QISTATE: %u,", &id) != 1 || id >= d->sockets)
			continue;
		dev_info(&qd->dev, "closing socket %u left open in the module\n",
			 id);
		if (d->close_timeout)
			ret = qat_simple(&qd->eng, QISOCK_CLOSE_CMD_MS,
					 "AT+QICLOSE=%u,%u", id,
					 QISOCK_CLOSE_TMO_S);
		else
			ret = qat_simple(&qd->eng, QISOCK_CLOSE_CMD_MS,
					 "AT+QICLOSE=%u", id);
		if (ret == -ENODEV)
			break;
	}
	qat_cmd_put(cmd);
	return ret == -ENODEV ? ret : 0;
}

/* ---- open / close ------------------------------------------------------- */

/**
 * qisock_host_valid() - may @host go into an AT command line?
 * @host: NUL-terminated within @max bytes.
 * @max: size of the buffer holding it.
 *
 * Printable ASCII only, no quote, comma, space, or backslash.
 */
bool qisock_host_valid(const char *host, size_t max)
{
	size_t len = strnlen(host, max);
	size_t i;

	if (!len || len >= max)
		return false;
	for (i = 0; i < len; i++) {
		char c = host[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' ||
		    c == '\\' || c == ';')
			return false;
	}
	return true;
}

static int sock_validate(const struct qisock_dialect *d,
			 struct qisock_open *req)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(req->reserved); i++)
		if (req->reserved[i])
			return -EINVAL;
	if (req->access_mode == QISOCK_ACCESS_TRANSPARENT)
		return -EOPNOTSUPP;
	if (req->access_mode > QISOCK_ACCESS_DIRECT_PUSH)
		return -EINVAL;
	switch (req->service) {
	case QISOCK_TCP:
	case QISOCK_UDP:
		break;
	case QISOCK_TCP_LISTENER:
	case QISOCK_UDP_SERVICE:
		if (!d->servers)
			return -EOPNOTSUPP;
		if (!req->local_port)
			return -EINVAL;
		if (!req->host[0])
			strscpy(req->host, "127.0.0.1", sizeof(req->host));
		break;
	default:
		return -EINVAL;
	}
	if (req->context_id < d->ctx_min || req->context_id > d->ctx_max)
		return -EINVAL;
	if (req->remote_port > 65535 || req->local_port > 65535)
		return -EINVAL;
	if (req->max_clients > 11 ||
	    (req->max_clients && req->service != QISOCK_TCP_LISTENER))
		return -EINVAL;
	if (req->connect_timeout &&
	    (req->connect_timeout < 10 || req->connect_timeout > 150))
		return -EINVAL;
	if ((req->max_clients || req->connect_timeout) && !d->qiopen_ext)
		return -EINVAL;
	if (!qisock_host_valid(req->host, sizeof(req->host)))
		return -EINVAL;
	return 0;
}

/* A failed or detached socket's errno (not a FREE/reopenable one), or 0. */
static int sock_dead_err(struct qisock_sock *s)
{
	int ret = 0;

	spin_lock(&s->lock);
	if (s->gone)
		ret = -EIO;
	else if (s->state == QISOCK_SS_FAILED)
		ret = -(s->error ? s->error : EIO);
	spin_unlock(&s->lock);
	return ret;
}

static void sock_open_done(struct qat_cmd *cmd)
{
	struct sock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	if (!cmd->status) {
		/* the seed: +QIOPEN follows this OK; from now on it is ours */
		spin_lock(&s->lock);
		if (r->gen == s->gen && s->state == QISOCK_SS_OPENING)
			s->open_acked = true;
		spin_unlock(&s->lock);
	} else {
		spin_lock(&s->lock);
		if (r->gen == s->gen && s->state == QISOCK_SS_OPENING) {
			s->state = QISOCK_SS_FAILED;
			s->error = -sock_cmd_errno(cmd);
			s->module_error = cmd->cme >= 550 ? cmd->cme : 0;
		}
		spin_unlock(&s->lock);
		sock_wake(s);
	}
	sock_req_end(cmd);
}

static const struct qat_cmd_ops sock_open_ops = {
	.done = sock_open_done,
};

/**
 * qisock_sock_open() - QISOCK_IOC_OPEN on a claimed socket.
 * @s: the socket.
 * @req: the request (validated here; connect_id is set on return).
 * @nonblock: return -EINPROGRESS instead of waiting for +QIOPEN.
 *
 * Return: 0 once connected, or a negative errno.
 */
int qisock_sock_open(struct qisock_sock *s, struct qisock_open *req,
		     bool nonblock)
{
	const struct qisock_dialect *d = sock_dialect(s);
	unsigned int tmo_s;
	char ext[32] = "";
	bool close_first;
	u32 gen;
	int ret;

	if (!d) {	/* probing after RDY, or detached */
		ret = sock_dead_err(s);
		return ret ? ret : -EAGAIN;
	}
	if (req->connect_id != -1 && req->connect_id != s->id)
		return -EINVAL;
	ret = sock_validate(d, req);
	if (ret)
		return ret;
	req->connect_id = s->id;

	if (mutex_lock_interruptible(&s->op_lock))
		return -EINTR;
	if (mutex_lock_interruptible(&s->rd_lock)) {
		mutex_unlock(&s->op_lock);
		return -EINTR;
	}
	spin_lock(&s->lock);
	if (s->gone)
		ret = -EIO;
	else if (s->state == QISOCK_SS_OPENING)
		ret = -EALREADY;
	else if (s->state == QISOCK_SS_CONNECTED ||
		 s->state == QISOCK_SS_CLOSED)
		ret = -EISCONN;
	if (ret) {
		spin_unlock(&s->lock);
		mutex_unlock(&s->rd_lock);
		mutex_unlock(&s->op_lock);
		return ret;
	}
	close_first = s->mod_held;
	gen = ++s->gen;
	s->state = QISOCK_SS_OPENING;
	s->open_acked = false;
	s->service = req->service;
	s->access = req->access_mode;
	s->ctx = req->context_id;
	s->lport = req->local_port;
	s->rport = sock_is_udp(s) && s->service == QISOCK_UDP_SERVICE ? 0 :
		   req->remote_port;
	if (s->service == QISOCK_TCP_LISTENER)
		s->rport = 0;
	strscpy(s->remote, req->host, sizeof(s->remote));
	s->mod_held = true;
	s->error = 0;
	s->module_error = 0;
	s->recv_pending = false;
	s->peer_closed = false;
	s->tx_full = false;
	s->unacked = 0;
	s->rx_dgrams = 0;
	s->rx_bytes = 0;
	s->tx_bytes = 0;
	s->rx_dropped = 0;
	s->rd_audit = false;
	s->mod_read = 0;
	kfifo_reset(&s->rx);
	tmo_s = (req->connect_timeout ? req->connect_timeout :
					QISOCK_OPEN_MAX_S) + QISOCK_OPEN_MARGIN_S;
	s->open_deadline = jiffies + tmo_s * HZ;
	spin_unlock(&s->lock);
	mutex_unlock(&s->rd_lock);

	if (close_first)	/* a failed open: the module may still hold it */
		sock_send_close(s, d);
	if (d->qiopen_ext &&
	    (req->service == QISOCK_TCP_LISTENER || req->connect_timeout))
		snprintf(ext, sizeof(ext), ",%u,%u",
			 req->max_clients ? req->max_clients : 11,
			 req->connect_timeout ? req->connect_timeout :
						QISOCK_OPEN_MAX_S);
	ret = sock_submit(s, &sock_open_ops, QISOCK_OPEN_CMD_MS, gen,
			  "AT+QIOPEN=%u,%u,\"%s\",\"%s\",%u,%u,%u%s",
			  req->context_id, s->id,
			  qisock_service_names[req->service], req->host,
			  s->rport, req->local_port, req->access_mode, ext);
	if (ret) {
		spin_lock(&s->lock);
		if (s->gen == gen) {
			s->state = QISOCK_SS_FREE;
			s->mod_held = false;
		}
		spin_unlock(&s->lock);
		mutex_unlock(&s->op_lock);
		return ret == -ENODEV ? -EIO : ret;
	}
	sock_arm_work(s, tmo_s * HZ);
	mutex_unlock(&s->op_lock);

	if (nonblock)
		return -EINPROGRESS;
	if (wait_event_interruptible(s->wq, READ_ONCE(s->state) !=
					    QISOCK_SS_OPENING ||
					    READ_ONCE(s->gen) != gen))
		return -EINTR;
	spin_lock(&s->lock);
	if (s->gone)
		ret = -EIO;
	else if (s->gen != gen && s->state == QISOCK_SS_FAILED)
		ret = -(s->error ? s->error : EIO);	/* RDY, pdpdeact */
	else if (s->gen != gen)
		ret = -ECONNABORTED;	/* released */
	else if (s->state == QISOCK_SS_CONNECTED)
		ret = 0;
	else
		ret = -(s->error ? s->error : EIO);
	spin_unlock(&s->lock);
	return ret;
}

/**
 * qisock_sock_release() - the owning file is closed: QICLOSE, free it.
 * @s: the socket.
 */
void qisock_sock_release(struct qisock_sock *s)
{
	const struct qisock_dialect *d = sock_dialect(s);
	bool held;

	mutex_lock(&s->op_lock);
	mutex_lock(&s->rd_lock);
	spin_lock(&s->lock);
	held = s->mod_held && !s->gone;
	s->in_use = false;
	s->owner_wq = NULL;
	sock_reset_locked(s);
	spin_unlock(&s->lock);
	mutex_unlock(&s->rd_lock);
	if (held)
		sock_send_close(s, d);
	mutex_unlock(&s->op_lock);
	sock_accept_flush(s);	/* a listener's pending connections */
	sock_wake(s);
}

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
	ret = qat_exec(&s->qd->eng, cmd);
	if (!ret) {
		p = strstr(cmd->resp, "+QISEND:");
		if (p && sscanf(p, "+QISEND: %llu,%llu,%llu", &total, &acked,
				&un) == 3)
			*unacked = min_t(unsigned long long, un, INT_MAX);
		else
			ret = -EPROTO;
	} else if (ret != -ERESTARTSYS && ret != -ENODEV) {
		ret = sock_cmd_errno(cmd);
	}
	qat_cmd_put(cmd);
	return ret == -ENODEV ? -EIO : ret;
}

/* Open time-out and send-buffer polling after SEND FAIL. */
static void qisock_sock_work(struct work_struct *work)
{
	struct qisock_sock *s = container_of(to_delayed_work(work),
					     struct qisock_sock, work);
	const struct qisock_dialect *d = sock_dialect(s);
	bool poll, again = false;
	unsigned long rearm = 0;
	u32 unacked = 0;

	spin_lock(&s->lock);
	if (s->state == QISOCK_SS_OPENING &&
	    time_after_eq(jiffies, s->open_deadline)) {
		s->state = QISOCK_SS_FAILED;
		s->error = ETIMEDOUT;
	} else if (s->state == QISOCK_SS_OPENING) {
		rearm = s->open_deadline - jiffies;	/* > 0 here */
	}
	poll = s->tx_full && s->state == QISOCK_SS_CONNECTED && !s->gone;
	spin_unlock(&s->lock);
	if (rearm)
		sock_arm_work(s, rearm);
	sock_wake(s);

	/* a QIRD that could not be submitted is retried from here */
	sock_drain(s);

	if (!poll || !d)
		return;

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
	sock_wake(s);
	if (again)
		sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
}

/*
 * A read or write: the owning file's wait queue (its identity, see
 * qisock_sock_claim_for()) and the generation it started at.
 */
struct sock_caller {
	wait_queue_head_t *owner;
	u32 gen;
};

/*
 * Is a read or write still on its own socket? -EBUSY: the module gave the
 * connectID to an incoming connection (urc_incoming()), whoever owns it
 * now; -ECONNABORTED: another thread of the same file opened it anew. A
 * failure (pdpdeact, RDY) is reported by the socket's state instead. NULL
 * @who: no such check (the socket's own ioctls). Lock held.
 */
static int sock_caller_err_locked(const struct qisock_sock *s,
				  const struct sock_caller *who)
{
	if (!who)
		return 0;
	if (!s->in_use || s->owner_wq != who->owner)
		return -EBUSY;
	if (s->gen != who->gen && s->state != QISOCK_SS_FAILED)
		return -ECONNABORTED;
	return 0;
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
static int sock_tx_ready(struct qisock_sock *s, const struct sock_caller *who)
{
	int ret;

	spin_lock(&s->lock);
	ret = s->gone ? -EIO : sock_caller_err_locked(s, who);
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
	struct sock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	if (cmd->result == QP_INFO && !sock_is_udp(s) &&
	    (cmd->status == -ETIMEDOUT || cmd->status == -EIO)) {
		spin_lock(&s->lock);
		if (s->gen == r->gen)
			sock_fail_locked(s, -cmd->status, 0);
		spin_unlock(&s->lock);
		sock_wake(s);
	}
	sock_req_end(cmd);
}

static const struct qat_cmd_ops sock_send_ops = {
	.done	= sock_send_done,
};

/*
 * One AT+QISEND with its data, for the writer that started at @gen.
 * Returns 0 (SEND OK), -ENOBUFS (SEND FAIL), or another negative errno;
 * nothing is retried after a cut (see sock_send_done()).
 */
static int sock_send_one(struct qisock_sock *s, const u8 __user *ubuf,
			 size_t len, const struct qisock_dgram *to, u32 gen)
{
	struct qat_cmd *cmd;
	int ret, err;

	if (to)
		cmd = qat_cmd_new(2000 + len, 0, len,
				  "AT+QISEND=%u,%zu,\"%s\",%u", s->id, len,
				  to->addr, to->port);
	else
		cmd = qat_cmd_new(2000 + len, 0, len, "AT+QISEND=%u,%zu",
				  s->id, len);
	if (!cmd)
		return -ENOMEM;
	ret = copy_from_user(cmd->data, ubuf, len) ? -EFAULT :
	      sock_req_attach(s, cmd, &sock_send_ops, gen);
	if (!ret)
		ret = sock_req_submit(cmd);
	if (ret) {
		qat_cmd_put(cmd);
		err = sock_dead_err(s);
		return err ? err : ret == -ENODEV ? -EIO : ret;
	}
	ret = qat_wait(cmd);
	if (ret == -ERESTARTSYS)	/* killed: withdrawn unless sent */
		qat_cancel(&s->qd->eng, cmd);
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
		err = sock_dead_err(s);
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
	const struct qisock_dialect *d = sock_dialect(s);
	struct sock_caller who = { .owner = owner };
	struct qisock_dgram to, *top = NULL;
	size_t done = 0, chunk;
	bool dgram;
	int ret = 0;

	ret = sock_dead_err(s);	/* before the dialect: RDY, detach */
	if (ret)
		return ret;
	if (!d)
		return -ENOTCONN;
	if (!d->send_prompt)
		return -EOPNOTSUPP;
	if (mutex_lock_interruptible(&s->wr_lock))
		return -ERESTARTSYS;

	who.gen = READ_ONCE(s->gen);
	dgram = sock_is_udp(s);
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
		ret = sock_tx_ready(s, &who);
		if (ret == -EAGAIN) {
			if (nonblock)
				break;
			ret = wait_event_interruptible(s->wq,
						       sock_tx_ready(s, &who) !=
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
		ret = sock_send_one(s, (const u8 __user *)buf + done, chunk,
				    top, who.gen);
		if (ret == -ENOBUFS) {
			/* SEND FAIL: the module's buffer is full; wait */
			spin_lock(&s->lock);
			if (s->state == QISOCK_SS_CONNECTED && !s->peer_closed) {
				s->tx_full = true;
				s->tx_poll_err = 0;
			}
			spin_unlock(&s->lock);
			sock_arm_work(s, msecs_to_jiffies(QISOCK_TXPOLL_MS));
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

/* ---- receive side for user space ----------------------------------------- */

/* What the socket's state means for a reader: 1, 0 (EOF), -EAGAIN, -errno. */
static int sock_rx_state_locked(const struct qisock_sock *s)
{
	if (sock_is_udp(s) ? s->rx_dgrams : !kfifo_is_empty(&s->rx))
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
static int sock_rx_ready(struct qisock_sock *s, const struct sock_caller *who)
{
	int ret;

	spin_lock(&s->lock);
	/* before the data: it may be a stranger's */
	ret = sock_caller_err_locked(s, who);
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
			      const struct sock_caller *who, bool stalled)
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
	struct sock_caller who = { .owner = owner };
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
		sock_drain(s);
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

	if (!sock_is_udp(s)) {
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
	sock_drain(s);		/* room again: resume reading the module */
out:
	mutex_unlock(&s->rd_lock);
	return ret;
}

/**
 * qisock_sock_poll_mask() - readiness of a socket.
 * @s: the socket.
 *
 * Return: EPOLL* bits.
 */
__poll_t qisock_sock_poll_mask(struct qisock_sock *s)
{
	__poll_t mask = 0;
	bool data;

	spin_lock(&s->lock);
	data = sock_is_udp(s) ? s->rx_dgrams : !kfifo_is_empty(&s->rx);
	if (data)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (s->gone) {
		mask |= EPOLLERR | EPOLLHUP | EPOLLIN | EPOLLOUT;
	} else {
		switch (s->state) {
		case QISOCK_SS_CONNECTED:
			if (s->service == QISOCK_TCP_LISTENER) {
				if (s->accept_len)
					mask |= EPOLLIN | EPOLLRDNORM;
			} else if (!s->tx_full && !s->peer_closed) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			}
			break;
		case QISOCK_SS_CLOSED:
			mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLHUP;
			break;
		case QISOCK_SS_FAILED:
			mask |= EPOLLERR | EPOLLIN | EPOLLOUT | EPOLLHUP;
			break;
		default:
			break;
		}
	}
	spin_unlock(&s->lock);
	return mask;
}

void qisock_sock_info(struct qisock_sock *s, struct qisock_info *info)
{
	spin_lock(&s->lock);
	info->connect_id = s->id;
	info->service = s->service;
	info->access_mode = s->access;
	info->state = s->state;
	info->error = s->error;
	info->module_error = s->module_error;
	info->context_id = s->ctx;
	info->local_port = s->lport;
	info->remote_port = s->rport;
	info->rx_bytes = s->rx_bytes;
	info->tx_bytes = s->tx_bytes;
	info->rx_dropped = s->rx_dropped;
	strscpy(info->remote, s->remote, sizeof(info->remote));
	spin_unlock(&s->lock);
}

/* FIONREAD: bytes, or the next datagram's payload size. */
int qisock_sock_nread(struct qisock_sock *s)
{
	struct qisock_dgram h;
	int n = 0;

	/* readers never sleep holding rd_lock; still, stay killable */
	if (mutex_lock_interruptible(&s->rd_lock))
		return -ERESTARTSYS;
	spin_lock(&s->lock);
	if (!sock_is_udp(s))
		n = kfifo_len(&s->rx);
	else if (s->rx_dgrams &&
		 kfifo_out_peek(&s->rx, (u8 *)&h, QISOCK_HDR) == QISOCK_HDR)
		n = h.len;
	spin_unlock(&s->lock);
	mutex_unlock(&s->rd_lock);
	return n;
}

/* TIOCOUTQ: bytes the module has not had acknowledged. */
int qisock_sock_outq(struct qisock_sock *s)
{
	u32 unacked = 0;
	int ret;

	ret = sock_tx_ready(s, NULL);
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
 * qisock_sock_set_mode() - QISOCK_IOC_SET_MODE (AT+QISWTMD).
 * @s: the socket.
 * @mode: &enum qisock_access_mode.
 *
 * Return: 0 or a negative errno.
 */
int qisock_sock_set_mode(struct qisock_sock *s, unsigned long mode)
{
	struct qat_cmd *cmd;
	int ret;

	if (mode == QISOCK_ACCESS_TRANSPARENT)
		return -EOPNOTSUPP;
	if (mode > QISOCK_ACCESS_DIRECT_PUSH)
		return -EINVAL;
	ret = sock_dead_err(s);	/* before the dialect: RDY, detach */
	if (ret)
		return ret;
	if (!sock_dialect(s))
		return -ENOTCONN;
	if (mutex_lock_interruptible(&s->op_lock))
		return -EINTR;
	ret = sock_tx_ready(s, NULL);
	if (ret == -EAGAIN && READ_ONCE(s->state) == QISOCK_SS_CONNECTED)
		ret = 0;
	if (!ret && s->service == QISOCK_TCP_LISTENER)
		ret = -EINVAL;
	if (ret)
		goto out;
	cmd = qat_cmd_new(0, 0, 0, "AT+QISWTMD=%u,%lu", s->id, mode);
	if (!cmd) {
		ret = -ENOMEM;
		goto out;
	}
	ret = qat_exec(&s->qd->eng, cmd);
	if (ret == -ENODEV)
		ret = -EIO;
	else if (ret && ret != -ERESTARTSYS)
		ret = sock_cmd_errno(cmd);
	qat_cmd_put(cmd);
	if (!ret) {
		spin_lock(&s->lock);
		s->access = mode;
		/* buffer mode: the module may hold data already */
		if (mode == QISOCK_ACCESS_BUFFER &&
		    s->state == QISOCK_SS_CONNECTED)
			s->recv_pending = true;
		spin_unlock(&s->lock);
		sock_drain(s);
	}
out:
	mutex_unlock(&s->op_lock);
	return ret;
}

/**
 * qisock_sock_accept_for() - take a connection from a listener.
 * @s: the listener.
 * @nonblock: O_NONBLOCK.
 * @acc: filled in.
 * @out: the claimed, referenced connection.
 * @owner: the new file's wait queue (woken with the connection's), or NULL.
 *
 * Return: 0 or a negative errno.
 */
int qisock_sock_accept_for(struct qisock_sock *s, bool nonblock,
			   struct qisock_accept *acc, struct qisock_sock **out,
			   wait_queue_head_t *owner)
{
	struct qisock_pending *p;
	struct qisock_sock *c;
	bool stale;
	u32 gen;
	int ret;

	for (;;) {
		spin_lock(&s->lock);
		if (s->gone) {
			ret = -EIO;
		} else if (s->service != QISOCK_TCP_LISTENER ||
			   s->state == QISOCK_SS_FREE ||
			   s->state == QISOCK_SS_OPENING) {
			ret = -EINVAL;
		} else if (!list_empty(&s->accept_q)) {
			ret = 0;
		} else if (s->state != QISOCK_SS_CONNECTED) {
			ret = -(s->error ? s->error : EINVAL);
		} else {
			ret = -EAGAIN;
		}
		p = NULL;
		if (!ret) {
			p = list_first_entry(&s->accept_q,
					     struct qisock_pending, node);
			list_del(&p->node);
			s->accept_len--;
		}
		spin_unlock(&s->lock);
		if (p) {
			c = qisock_sock_get(s->qd, p->id);
			gen = p->gen;
			kfree(p);
			if (!c)
				continue;
			spin_lock(&c->lock);
			/* still the connection queued (same gen, this listener) */
			stale = c->in_use || c->service != QISOCK_TCP_INCOMING ||
				c->gen != gen || c->listener != s->id;
			ret = stale || (c->state != QISOCK_SS_CONNECTED &&
					c->state != QISOCK_SS_CLOSED);
			if (!ret) {
				c->in_use = true;
				c->owner_wq = owner;
				c->listener = U8_MAX;
				acc->connect_id = c->id;
				acc->port = c->rport;
				memset(acc->addr, 0, sizeof(acc->addr));
				strscpy(acc->addr, c->remote,
					sizeof(acc->addr));
			}
			spin_unlock(&c->lock);
			if (ret) {
				if (!stale)	/* failed while queued: drop it */
					sock_incoming_drop(c, gen);
				qisock_sock_put(c);
				continue;
			}
			*out = c;
			return 0;
		}
		if (ret != -EAGAIN || nonblock)
			return ret;
		if (wait_event_interruptible(s->wq,
					     READ_ONCE(s->accept_len) ||
					     READ_ONCE(s->state) !=
					     QISOCK_SS_CONNECTED ||
					     READ_ONCE(s->gone)))
			return -ERESTARTSYS;
	}
}

/**
 * qisock_sock_unaccept() - give back a connection ACCEPT could not deliver.
 * @l: the listener it came from.
 * @c: the connection, claimed by qisock_sock_accept_for() (reference kept).
 * @owner: the wait queue given to qisock_sock_accept_for().
 *
 * It goes back to the head of the accept queue, or is closed in the module
 * when the listener no longer listens.
 */
void qisock_sock_unaccept(struct qisock_sock *l, struct qisock_sock *c,
			  wait_queue_head_t *owner)
{
	struct qisock_pending *p = kmalloc(sizeof(*p), GFP_KERNEL);
	bool queued = false;
	u32 gen;

	spin_lock(&c->lock);
	if (c->owner_wq == owner)
		c->owner_wq = NULL;
	c->in_use = false;
	c->listener = l->id;
	gen = c->gen;
	spin_unlock(&c->lock);
	if (p) {
		spin_lock(&l->lock);
		if (!l->gone && l->state == QISOCK_SS_CONNECTED &&
		    l->service == QISOCK_TCP_LISTENER) {
			p->id = c->id;
			p->gen = gen;
			list_add(&p->node, &l->accept_q);
			l->accept_len++;
			queued = true;
			p = NULL;
		}
		spin_unlock(&l->lock);
	}
	kfree(p);
	if (queued)
		sock_wake(l);
	else
		sock_incoming_drop(c, gen);
}
