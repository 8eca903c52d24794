// SPDX-License-Identifier: GPL-2.0
/*
 * qisock sockets: the socket objects of a modem (one per connectID), their
 * lifetime and states, claiming by files, the commands a socket submits
 * without waiting, and the routing of socket URCs to the file that
 * handles them (qisock_sock_rx.c, qisock_listen.c, qisock_pdp.c).
 * Locking and lifetime rules are in qisock_sock.h.
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

const struct qisock_dialect *qisock_sock_dialect(struct qisock_sock *s)
{
	struct qisock_dev *qd = s->qd;
	const struct qisock_dialect *d;

	spin_lock(&qd->lock);
	d = qd->state == QISOCK_READY ? qd->dialect : NULL;
	spin_unlock(&qd->lock);
	return d;
}

/* ---- lifetime ----------------------------------------------------------- */

static void qisock_sock_dev_release(struct device *dev)
{
	struct qisock_sock *s = container_of(dev, struct qisock_sock, dev);

	/*
	 * Belt and braces: s->work is armed only via qisock_sock_arm_work() before
	 * @gone, and the table's reference lives until socks_remove() has
	 * cancelled it, so nothing can be pending here. Never the last
	 * reference from the work itself (the table's outlives it).
	 */
	cancel_delayed_work_sync(&s->work);
	qisock_at_cmd_put(s->tx_async);
	qisock_listen_free_queue(s);
	kvfree(s->rx.kfifo.data);
	put_device(&s->qd->dev);
	kfree(s);
}

void qisock_sock_put(struct qisock_sock *s)
{
	if (s)
		put_device(&s->dev);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_put);

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
	s->dev.type = &qisock_node_type;
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
bool qisock_sock_fail_locked(struct qisock_sock *s, int err, int mod_err)
{
	if (s->state != QISOCK_SS_OPENING && s->state != QISOCK_SS_CONNECTED &&
	    s->state != QISOCK_SS_CLOSED)
		return false;
	s->state = QISOCK_SS_FAILED;
	s->error = err;
	s->module_error = mod_err;
	s->recv_pending = false;
	s->peer_closed = false;
	qisock_sock_tx_stop_locked(s);
	return true;
}

/*
 * Back to FREE in a new generation, nothing received kept (unless @gone,
 * which keeps the socket FAILED for its file). Lock held.
 */
void qisock_sock_reset_locked(struct qisock_sock *s)
{
	s->gen++;
	s->mod_held = false;
	s->recv_pending = false;
	s->peer_closed = false;
	qisock_sock_tx_stop_locked(s);
	s->tx_err = 0;
	s->rd_audit = false;
	if (!s->gone) {
		s->state = QISOCK_SS_FREE;
		s->error = 0;
	}
	s->rx_dgrams = 0;
	s->rx_dg_left = 0;
	s->rx_dg_skip = false;
	kfifo_reset(&s->rx);
}

/*
 * A new connection on @s (OPEN, or one the module gave to a listener):
 * the module holds it, and nothing of the last one is left (errors,
 * counters, received bytes). Lock held; the caller sets state and peer.
 */
void qisock_sock_begin_conn_locked(struct qisock_sock *s)
{
	s->mod_held = true;
	s->error = 0;
	s->module_error = 0;
	s->recv_pending = false;
	s->peer_closed = false;
	qisock_sock_tx_stop_locked(s);
	s->tx_err = 0;
	s->unacked = 0;
	s->rx_dgrams = 0;
	s->rx_bytes = 0;
	s->tx_bytes = 0;
	s->rx_dropped = 0;
	s->rd_audit = false;
	s->mod_read = 0;
	s->rx_dg_left = 0;
	s->rx_dg_skip = false;
	kfifo_reset(&s->rx);
}

/*
 * Fail a socket whose module side is gone (pdpdeact, RDY): a file that owns
 * it sees @err; one nobody owns (an incoming connection waiting for ACCEPT)
 * is free again at once. Lock held. Returns whether the socket was hit.
 */
bool qisock_sock_fail_dead_locked(struct qisock_sock *s, int err)
{
	bool hit = qisock_sock_fail_locked(s, err, 0);

	if (!hit && s->state != QISOCK_SS_FAILED)
		return false;
	s->mod_held = false;	/* the module has forgotten it */
	if (!s->in_use) {	/* also one that failed while queued */
		qisock_sock_reset_locked(s);
		s->listener = U8_MAX;
	}
	return hit;
}

void qisock_sock_wake(struct qisock_sock *s)
{
	wake_up_interruptible_all(&s->wq);
	/* the owning file's pollers (registered before OPEN, see sockdev) */
	spin_lock(&s->lock);
	if (s->owner_wq)
		wake_up_interruptible_all(s->owner_wq);
	spin_unlock(&s->lock);
}

/* Arm s->work unless the socket is gone (socks_remove sets gone under s->lock, then cancels). */
void qisock_sock_arm_work(struct qisock_sock *s, unsigned long delay)
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
		qisock_sock_fail_dead_locked(s, err);
		s->mod_held = false;	/* also a FREE one with a close due */
		s->draining = false;
		s->gen++;
		spin_unlock(&s->lock);
		qisock_sock_wake(s);
		qisock_sock_put(s);
	}
	qisock_listen_flush_failed(qd);
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
		qisock_sock_fail_locked(s, EIO, 0);
		if (s->state == QISOCK_SS_FREE) {
			s->state = QISOCK_SS_FAILED;
			s->error = EIO;
		}
		s->mod_held = false;
		spin_unlock(&s->lock);
		qisock_sock_wake(s);
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
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_get);

/**
 * qisock_sock_claim_for() - make a socket owned by a file.
 * @qd: the modem.
 * @id: the connectID (free: FREE or FAILED, not a connection waiting for
 *	ACCEPT), or -1 for any free one that the module does not hold.
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
		/*
		 * Only a free connectID: never one the module gave to an
		 * incoming connection (it is reached through ACCEPT on its
		 * listener alone). A named one may still have a close due
		 * (mod_held): OPEN sends it first.
		 */
		if (!s->in_use && !s->gone &&
		    (id >= 0 ? s->state == QISOCK_SS_FREE ||
			       s->state == QISOCK_SS_FAILED :
			       s->state == QISOCK_SS_FREE && !s->mod_held &&
			       !s->draining)) {
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
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_claim_for);

void qisock_sock_unclaim(struct qisock_sock *s)
{
	spin_lock(&s->lock);
	s->in_use = false;
	s->owner_wq = NULL;
	spin_unlock(&s->lock);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_unclaim);

/* ---- commands ----------------------------------------------------------- */

void qisock_req_end(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;

	cmd->priv = NULL;
	if (r) {
		qisock_sock_put(r->s);
		kfree(r);
	}
}

/* Make @cmd report to @s at @gen through @ops (ends in qisock_req_end()). */
int qisock_req_attach(struct qisock_sock *s, struct qat_cmd *cmd,
		      const struct qat_cmd_ops *ops, u32 gen)
{
	struct qisock_req *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->s = s;
	r->gen = gen;
	get_device(&s->dev);
	cmd->ops = ops;
	cmd->priv = r;
	return 0;
}

/* Submit a command made by qisock_req_attach(); undone if it is refused. */
int qisock_req_submit(struct qat_cmd *cmd)
{
	struct qisock_req *r = cmd->priv;
	int ret = qisock_at_submit(&r->s->qd->eng, cmd);

	if (ret)
		qisock_req_end(cmd);	/* no hook will ever run */
	return ret;
}

/**
 * qisock_cmd_new() - a command of @kind, as dialect @d describes it.
 * @d: the dialect, or NULL (a plain command: default finals, no late line).
 * @kind: &enum qisock_cmd.
 * @resp_size: room for information lines.
 * @data_len: bytes sent after the prompt.
 * @fmt: printf format of the command line.
 *
 * Return: the command or an ERR_PTR() (see qisock_at_cmd_alloc()).
 */
struct qat_cmd *qisock_cmd_new(const struct qisock_dialect *d,
			       enum qisock_cmd kind, size_t resp_size,
			       size_t data_len, const char *fmt, ...)
{
	const struct qisock_cmd_desc *desc = NULL;
	struct qat_cmd *cmd;
	va_list ap;

	if (d && d->cmds && kind < QISOCK_CMD_COUNT)
		desc = &d->cmds[kind];
	va_start(ap, fmt);
	cmd = qisock_at_cmd_valloc(desc, resp_size, data_len, fmt, ap);
	va_end(ap);
	return cmd;
}

/**
 * qisock_sock_submit_keep() - submit a command for @s without waiting.
 * @s: the socket its hooks report to.
 * @cmd: from qisock_cmd_new(); an ERR_PTR() is passed back. Its reference
 *	is consumed.
 * @ops: its hooks (they end in qisock_req_end()).
 * @gen: the socket's generation the hooks check.
 * @keep: if not NULL, gets a reference to the submitted command.
 *
 * Return: 0 or a negative errno (-E2BIG, -EINVAL: the line; -ENOMEM; or
 * qisock_at_submit()'s).
 */
int qisock_sock_submit_keep(struct qisock_sock *s, struct qat_cmd *cmd,
			    const struct qat_cmd_ops *ops, u32 gen,
			    struct qat_cmd **keep)
{
	int ret;

	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = qisock_req_attach(s, cmd, ops, gen);
	if (!ret)
		ret = qisock_req_submit(cmd);
	if (!ret && keep) {
		qisock_at_cmd_get(cmd);
		*keep = cmd;
	}
	qisock_at_cmd_put(cmd);
	return ret;
}

/*
 * -errno of a failed command: the module's +CME ERROR, or the <err>
 * AT+QIGETERROR gave after its plain ERROR (qisock_at_qierr.c), or a
 * generic one.
 */
int qisock_cmd_errno(const struct qat_cmd *cmd)
{
	if (cmd->cme >= 550)
		return qisock_err_to_errno(cmd->cme);
	if (cmd->result == QP_ERROR && cmd->mod_err >= 550)
		return qisock_err_to_errno(cmd->mod_err);
	if (cmd->status == -ETIMEDOUT)
		return -ETIMEDOUT;
	return -EIO;
}

/* The module's <err> behind a failed command (+CME ERROR, AT+QIGETERROR). */
int qisock_cmd_mod_err(const struct qat_cmd *cmd)
{
	if (cmd->cme >= 550)
		return cmd->cme;
	return cmd->result == QP_ERROR ? cmd->mod_err : 0;
}

/**
 * qisock_cmd_exec() - run a command for a system call and say how it went.
 * @qd: the modem.
 * @cmd: the command (NULL: it could not be allocated); the caller keeps
 *	its reference.
 *
 * Return: 0; -ENOMEM; -ERESTARTSYS (a signal, see qisock_at_wait_intr());
 * -EIO once the modem is detached; -ENETDOWN while it is being restarted
 * (nothing is sent: the module does not answer); or qisock_cmd_errno().
 */
int qisock_cmd_exec(struct qisock_dev *qd, struct qat_cmd *cmd)
{
	int ret;

	if (!cmd)
		return -ENOMEM;
	if (qisock_dev_state(qd) == QISOCK_RECOVERING)
		return -ENETDOWN;
	ret = qisock_at_exec_intr(&qd->eng, cmd);
	if (ret == -ENODEV)
		return -EIO;
	if (ret && ret != -ERESTARTSYS)
		return qisock_cmd_errno(cmd);
	return ret;
}

static void sock_plain_done(struct qat_cmd *cmd)
{
	qisock_req_end(cmd);
}

const struct qat_cmd_ops qisock_sock_plain_ops = {
	.done = sock_plain_done,
};

/**
 * qisock_close_cmd() - AT+QICLOSE for connectID @id.
 * @d: the dialect.
 * @id: the connectID.
 *
 * EC200U takes a <timeout>: QISOCK_CLOSE_TMO_S keeps a close whose peer
 * does not answer from holding the command channel (and every other
 * socket) for the seed's default 10 s; the command's own time-out is the
 * seed's maximum response time all the same. BC66 answers OK, and CLOSE
 * OK later; its descriptor ties that line to this command.
 *
 * Return: the command or an ERR_PTR().
 */
struct qat_cmd *qisock_close_cmd(const struct qisock_dialect *d, unsigned int id)
{
	if (d->close_timeout)
		return qisock_cmd_new(d, QISOCK_CMD_QICLOSE, 0, 0,
				      "AT+QICLOSE=%u,%u", id,
				      QISOCK_CLOSE_TMO_S);
	return qisock_cmd_new(d, QISOCK_CMD_QICLOSE, 0, 0, "AT+QICLOSE=%u", id);
}

void qisock_sock_send_close(struct qisock_sock *s, const struct qisock_dialect *d)
{
	if (d)
		qisock_sock_submit(s, qisock_close_cmd(d, s->id),
				   &qisock_sock_plain_ops, 0);
}

/* ---- URCs ----------------------------------------------------------------- */

int qisock_urc_int(const struct qp_arg *a, int n, int i, int min, int max)
{
	if (i >= n || !a[i].is_int || a[i].v < min || a[i].v > max)
		return -1;
	return a[i].v;
}

static void urc_qiopen(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	struct qisock_sock *s = qisock_sock_get(qd, qisock_urc_int(a, n, 0, 0, 255));
	int err = qisock_urc_int(a, n, 1, 0, 65535);

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
	qisock_sock_wake(s);
out:
	qisock_sock_put(s);
}

static void urc_closed(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	struct qisock_sock *s = qisock_sock_get(qd, qisock_urc_int(a, n, 0, 0, 255));
	bool drain = false;

	if (!s)
		return;
	spin_lock(&s->lock);
	if (s->state == QISOCK_SS_CONNECTED) {
		s->peer_closed = true;
		/* writers get EPIPE; the poll and a deferred send stop */
		if (qisock_sock_tx_stop_locked(s))
			s->tx_err = EPIPE;	/* its data can go nowhere */
		if (s->access == QISOCK_ACCESS_BUFFER &&
		    s->service != QISOCK_TCP_LISTENER) {
			/* read what the module still holds, then EOF */
			s->recv_pending = true;
			drain = true;
		} else {
			s->state = QISOCK_SS_CLOSED;
		}
	} else if (s->state == QISOCK_SS_OPENING && s->open_acked) {
		qisock_sock_fail_locked(s, ECONNREFUSED, 0);
	}
	spin_unlock(&s->lock);
	qisock_sock_wake(s);
	if (drain)
		qisock_sock_drain(s);
	qisock_sock_put(s);
}

/**
 * qisock_sock_urc() - route a URC to its socket (receive path).
 * @qd: the modem.
 * @line: the URC.
 */
void qisock_sock_urc(struct qisock_dev *qd, const struct qp_line *line)
{
	struct qp_arg a[6];
	int n = qisock_parse_line_args(line, a, ARRAY_SIZE(a));

	switch (line->code) {
	case QP_URC_QIOPEN:
		urc_qiopen(qd, a, n);
		break;
	case QP_URC_RECV:
	case QP_URC_BUFF_FULL:
		qisock_sock_urc_recv(qd, line, a, n);
		break;
	case QP_URC_CLOSED:
		urc_closed(qd, a, n);
		break;
	case QP_URC_INCOMING:
		qisock_listen_urc_incoming(qd, a, n);
		break;
	case QP_URC_INCOMING_FULL:
		qd->incoming_full++;
		break;
	case QP_URC_PDPDEACT:
		qisock_pdp_urc_deact(qd, a, n);
		break;
	case QP_URC_QIACTEX:
	case QP_URC_QIDEACTEX:
		qisock_ctx_urc(qd, line, a, n);
		break;
	case QP_URC_IP:
		qisock_ctx_urc_ip(qd, a, n);
		break;
	case QP_URC_DNSGIP:
	case QP_URC_QPING:
	case QP_URC_QNTP:
		qisock_svc_urc(qd, line);
		break;
	default:
		break;
	}
}

/* Open time-out, QIRD retry, and send-buffer polling after SEND FAIL. */
static void qisock_sock_work(struct work_struct *work)
{
	struct qisock_sock *s = container_of(to_delayed_work(work),
					     struct qisock_sock, work);
	const struct qisock_dialect *d = qisock_sock_dialect(s);
	unsigned long rearm = 0;
	bool poll;

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
		qisock_sock_arm_work(s, rearm);
	qisock_sock_wake(s);

	/* a QIRD that could not be submitted is retried from here */
	qisock_sock_drain(s);

	if (poll && d)
		qisock_sock_tx_poll(s, d);
}

/*
 * Is a read or write still on its own socket? -EBUSY: the module gave the
 * connectID to an incoming connection (qisock_listen_urc_incoming()), whoever owns it
 * now; -ECONNABORTED: another thread of the same file opened it anew. A
 * failure (pdpdeact, RDY) is reported by the socket's state instead. NULL
 * @who: no such check (the socket's own ioctls). Lock held.
 */
int qisock_sock_caller_err_locked(const struct qisock_sock *s,
				  const struct qisock_caller *who)
{
	if (!who)
		return 0;
	if (!s->in_use || s->owner_wq != who->owner)
		return -EBUSY;
	if (s->gen != who->gen && s->state != QISOCK_SS_FAILED)
		return -ECONNABORTED;
	return 0;
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
	data = qisock_sock_is_udp(s) ? s->rx_dgrams : !kfifo_is_empty(&s->rx);
	if (data)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (s->tx_err)
		mask |= EPOLLERR;	/* a non-blocking write failed later */
	if (s->gone) {
		mask |= EPOLLERR | EPOLLHUP | EPOLLIN | EPOLLOUT;
	} else {
		switch (s->state) {
		case QISOCK_SS_CONNECTED:
			if (s->service == QISOCK_TCP_LISTENER) {
				/*
				 * Listening: the end of an O_NONBLOCK open, as
				 * for a client. A write fails at once
				 * (EOPNOTSUPP), so it never blocks either.
				 */
				mask |= EPOLLOUT | EPOLLWRNORM;
				if (s->accept_len)
					mask |= EPOLLIN | EPOLLRDNORM;
			} else if (!s->tx_full && !s->tx_async &&
				   !s->peer_closed) {
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
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_poll_mask);

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
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_info);

