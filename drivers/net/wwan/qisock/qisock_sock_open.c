// SPDX-License-Identifier: GPL-2.0
/*
 * qisock socket connections: QIOPEN (validating what user space asks for),
 * QICLOSE on release, QISWTMD.
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

#define QISOCK_OPEN_MAX_S	150	/* +QIOPEN at the latest (seed) */
#define QISOCK_OPEN_MARGIN_S	5

static const char * const qisock_service_names[] = {
	[QISOCK_TCP]		= "TCP",
	[QISOCK_UDP]		= "UDP",
	[QISOCK_TCP_LISTENER]	= "TCP LISTENER",
	[QISOCK_UDP_SERVICE]	= "UDP SERVICE",
};

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
		break;
	case QISOCK_UDP:
		if (req->access_mode == QISOCK_ACCESS_DIRECT_PUSH &&
		    !d->udp_push)
			return -EOPNOTSUPP;
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
int qisock_sock_dead_err(struct qisock_sock *s)
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
	struct qisock_req *r = cmd->priv;
	struct qisock_sock *s = r->s;

	if (!cmd->status) {
		/* the seed: +QIOPEN follows this OK; from now on it is ours */
		spin_lock(&s->lock);
		if (r->gen == s->gen && s->state == QISOCK_SS_OPENING) {
			s->open_acked = true;
			qisock_at_set_push(&s->qd->eng, s->id,
					   s->access == QISOCK_ACCESS_DIRECT_PUSH);
		}
		spin_unlock(&s->lock);
	} else {
		spin_lock(&s->lock);
		if (r->gen == s->gen && s->state == QISOCK_SS_OPENING) {
			s->state = QISOCK_SS_FAILED;
			s->error = -qisock_cmd_errno(cmd);
			s->module_error = qisock_cmd_mod_err(cmd);
		}
		spin_unlock(&s->lock);
		qisock_sock_wake(s);
	}
	qisock_req_end(cmd);
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
	const struct qisock_dialect *d = qisock_sock_dialect(s);
	struct qat_cmd *cmd;
	unsigned int tmo_s;
	char ext[32] = "";
	bool close_first;
	u32 gen;
	int ret;

	if (!d) {	/* probing after RDY, or detached */
		ret = qisock_sock_dead_err(s);
		return ret ? ret : -EAGAIN;
	}
	if (req->connect_id != -1 && req->connect_id != s->id)
		return -EINVAL;
	ret = sock_validate(d, req);
	if (ret)
		return ret;
	req->connect_id = s->id;
	/* BC66: not before "+IP:" (seed 2.3.1); nothing is sent meanwhile */
	ret = qisock_ctx_wait_up(s->qd, req->context_id, nonblock);
	if (ret)
		return ret;

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
	s->rport = qisock_sock_is_udp(s) && s->service == QISOCK_UDP_SERVICE ? 0 :
		   req->remote_port;
	if (s->service == QISOCK_TCP_LISTENER)
		s->rport = 0;
	strscpy(s->remote, req->host, sizeof(s->remote));
	qisock_sock_begin_conn_locked(s);
	tmo_s = (req->connect_timeout ? req->connect_timeout :
					QISOCK_OPEN_MAX_S) + QISOCK_OPEN_MARGIN_S;
	s->open_deadline = jiffies + tmo_s * HZ;
	spin_unlock(&s->lock);
	mutex_unlock(&s->rd_lock);

	if (close_first)	/* a failed open: the module may still hold it */
		qisock_sock_send_close(s, d);
	if (d->qiopen_ext &&
	    (req->service == QISOCK_TCP_LISTENER || req->connect_timeout))
		snprintf(ext, sizeof(ext), ",%u,%u",
			 req->max_clients ? req->max_clients : 11,
			 req->connect_timeout ? req->connect_timeout :
						QISOCK_OPEN_MAX_S);
	cmd = qisock_cmd_new(d, QISOCK_CMD_QIOPEN, 0, 0,
			     "AT+QIOPEN=%u,%u,\"%s\",\"%s\",%u,%u,%u%s",
			     req->context_id, s->id,
			     qisock_service_names[req->service], req->host,
			     s->rport, req->local_port, req->access_mode, ext);
	ret = qisock_sock_submit(s, cmd, &sock_open_ops, gen);
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
	qisock_sock_arm_work(s, tmo_s * HZ);
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
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_open);

/**
 * qisock_sock_release() - the owning file is closed: QICLOSE, free it.
 * @s: the socket.
 */
void qisock_sock_release(struct qisock_sock *s)
{
	const struct qisock_dialect *d = qisock_sock_dialect(s);
	bool held;

	qisock_sock_tx_linger(s);
	mutex_lock(&s->op_lock);
	mutex_lock(&s->rd_lock);
	spin_lock(&s->lock);
	held = s->mod_held && !s->gone;
	s->in_use = false;
	s->owner_wq = NULL;
	qisock_sock_reset_locked(s);
	spin_unlock(&s->lock);
	mutex_unlock(&s->rd_lock);
	if (held)
		qisock_sock_send_close(s, d);
	mutex_unlock(&s->op_lock);
	qisock_listen_flush(s);	/* a listener's pending connections */
	qisock_sock_wake(s);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_release);

/*
 * The module's OK to AT+QISWTMD=<id>,<mode> (the receive path): from here
 * on its "recv" URCs for the socket are in the new mode. The mode is read
 * back from the command line, which the submitter wrote.
 */
static void sock_mode_done(struct qat_cmd *cmd)
{
	struct qisock_sock *s = cmd->priv;
	const char *comma = strrchr(cmd->line, ',');

	if (!cmd->status && comma)
		qisock_at_set_push(&s->qd->eng, s->id,
				   comma[1] - '0' == QISOCK_ACCESS_DIRECT_PUSH);
}

static const struct qat_cmd_ops sock_mode_ops = {
	.done = sock_mode_done,
};

/**
 * qisock_sock_set_mode() - QISOCK_IOC_SET_MODE (AT+QISWTMD).
 * @s: the socket.
 * @mode: &enum qisock_access_mode.
 *
 * Return: 0 or a negative errno.
 */
int qisock_sock_set_mode(struct qisock_sock *s, unsigned long mode)
{
	const struct qisock_dialect *d;
	struct qat_cmd *cmd;
	int ret;

	if (mode == QISOCK_ACCESS_TRANSPARENT)
		return -EOPNOTSUPP;
	if (mode > QISOCK_ACCESS_DIRECT_PUSH)
		return -EINVAL;
	ret = qisock_sock_dead_err(s);	/* before the dialect: RDY, detach */
	if (ret)
		return ret;
	d = qisock_sock_dialect(s);
	if (!d)
		return -ENOTCONN;
	if (mutex_lock_interruptible(&s->op_lock))
		return -EINTR;
	ret = qisock_sock_tx_ready(s, NULL);
	if (ret == -EAGAIN && READ_ONCE(s->state) == QISOCK_SS_CONNECTED)
		ret = 0;
	if (!ret && s->service == QISOCK_TCP_LISTENER)
		ret = -EINVAL;
	if (!ret && mode == QISOCK_ACCESS_DIRECT_PUSH &&
	    qisock_sock_is_udp(s) && !d->udp_push)
		ret = -EOPNOTSUPP;
	if (ret)
		goto out;
	cmd = qisock_cmd_new(d, QISOCK_CMD_QISWTMD, 0, 0,
			     "AT+QISWTMD=%u,%lu", s->id, mode);
	if (IS_ERR(cmd)) {
		ret = PTR_ERR(cmd);
		goto out;
	}
	cmd->ops = &sock_mode_ops;
	cmd->priv = s;
	ret = qisock_at_exec_intr(&s->qd->eng, cmd);
	if (ret == -ENODEV)
		ret = -EIO;
	else if (ret && ret != -ERESTARTSYS)
		ret = qisock_cmd_errno(cmd);
	qisock_at_cmd_put(cmd);
	if (!ret) {
		spin_lock(&s->lock);
		s->access = mode;
		/* buffer mode: the module may hold data already */
		if (mode == QISOCK_ACCESS_BUFFER &&
		    s->state == QISOCK_SS_CONNECTED)
			s->recv_pending = true;
		spin_unlock(&s->lock);
		qisock_sock_drain(s);
	}
out:
	mutex_unlock(&s->op_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_set_mode);

