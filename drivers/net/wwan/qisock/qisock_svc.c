// SPDX-License-Identifier: GPL-2.0
/*
 * qisock services on the control node: the life of a request (made,
 * queued behind the running one of its kind, sent, its URCs, its
 * time-out, collected), the file's one slot, poll, detach, and the
 * module's last error. Locking and lifetime rules are in qisock_svc.h;
 * the services themselves in qisock_svc_{dns,ping,ntp}.c.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock.h"
#include "qisock_compat.h"

/* context_id leads every request struct (see union qisock_svc_arg). */
static_assert(offsetof(struct qisock_resolve, context_id) == 0);
static_assert(offsetof(struct qisock_ping, context_id) == 0);
static_assert(offsetof(struct qisock_ntp, context_id) == 0);

static const struct qisock_svc_ops *const qisock_svc_ops_of[] = {
	[QISOCK_SVC_DNS]	= &qisock_svc_dns_ops,
	[QISOCK_SVC_PING]	= &qisock_svc_ping_ops,
	[QISOCK_SVC_NTP]	= &qisock_svc_ntp_ops,
};

/* ---- helpers of the services -------------------------------------------- */

/**
 * qisock_svc_check_common() - the checks every request shares.
 * @d: the dialect.
 * @ctx: the context ID.
 * @host: the host field (%QISOCK_HOST_SIZE bytes).
 * @reserved: the reserved words.
 * @nres: their number.
 *
 * Return: 0, or -EINVAL: a context the dialect does not have, a host
 * without its NUL in %QISOCK_HOST_MAX + 1 bytes or one qisock_host_valid()
 * refuses, a reserved word that is not zero.
 */
int qisock_svc_check_common(const struct qisock_dialect *d, u32 ctx,
			    const char *host, const __u32 *reserved,
			    unsigned int nres)
{
	unsigned int i;

	for (i = 0; i < nres; i++)
		if (reserved[i])
			return -EINVAL;
	if (ctx < d->ctx_min || ctx > d->ctx_max)
		return -EINVAL;
	if (!memchr(host, '\0', QISOCK_HOST_MAX + 1) ||
	    !qisock_host_valid(host, QISOCK_HOST_MAX + 1))
		return -EINVAL;
	return 0;
}

/* Copy a host field up to its NUL; the rest of @dst stays zero. */
void qisock_svc_copy_host(char *dst, const char *src)
{
	strscpy(dst, src, QISOCK_HOST_SIZE);
}

/**
 * qisock_svc_addr() - an IP address argument of a URC.
 * @dst: %QISOCK_ADDR_MAX bytes.
 * @a: the argument.
 *
 * Return: 0, or -EPROTO if it is empty, too long or holds anything but
 * hex digits, '.' and ':' (IPv4 dotted decimal, IPv6 text).
 */
int qisock_svc_addr(char *dst, const struct qp_arg *a)
{
	u16 i;

	if (!a->len || a->len >= QISOCK_ADDR_MAX)
		return -EPROTO;
	for (i = 0; i < a->len; i++)
		if (!isxdigit(a->s[i]) && a->s[i] != '.' && a->s[i] != ':')
			return -EPROTO;
	memcpy(dst, a->s, a->len);
	dst[a->len] = '\0';
	return 0;
}

/* A service's command: always a plain one (the OK, then URCs). */
struct qat_cmd *qisock_svc_cmd(const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qisock_at_cmd_valloc(NULL, 0, 0, fmt, ap);
	va_end(ap);
	return cmd;
}

/* ---- request lifetime ------------------------------------------------- */

static void svc_release(struct kref *ref)
{
	struct qisock_svc_req *r = container_of(ref, struct qisock_svc_req,
						ref);

	qisock_at_cmd_put(r->cmd);
	put_device(&r->qd->dev);
	kfree(r);
}

static void svc_get(struct qisock_svc_req *r)
{
	kref_get(&r->ref);
}

static void svc_put(struct qisock_svc_req *r)
{
	if (r)
		kref_put(&r->ref, svc_release);
}

/*
 * End @r with @err (0: the module reported) unless it has ended. Returns
 * the request to send next (referenced), if @r was the running one.
 */
static struct qisock_svc_req *svc_done(struct qisock_svc_req *r, int err)
{
	struct qisock_svc *sv = &r->qd->svc;
	struct qisock_svc_req *next = NULL;
	struct list_head *q = &sv->q[r->kind];
	bool listed, head;

	spin_lock(&sv->lock);
	if (r->state == QISOCK_SVC_DONE) {
		spin_unlock(&sv->lock);
		return NULL;
	}
	r->state = QISOCK_SVC_DONE;
	r->err = err;
	listed = !list_empty(&r->node);
	head = listed && list_first_entry(q, struct qisock_svc_req, node) == r;
	if (listed)
		list_del_init(&r->node);
	if (head && !list_empty(q)) {
		next = list_first_entry(q, struct qisock_svc_req, node);
		svc_get(next);
	}
	wake_up_interruptible_all(&r->wq);
	if (r->owner_wq)
		wake_up_interruptible_all(r->owner_wq);
	spin_unlock(&sv->lock);

	if (cancel_delayed_work(&r->timer))
		svc_put(r);	/* the timer's reference */
	if (listed)
		svc_put(r);	/* the queue's */
	return next;
}

/*
 * Send @r, the head of its queue (consumes the caller's reference).
 * Returns the request to try next when sending failed, else NULL.
 */
static struct qisock_svc_req *svc_kick(struct qisock_svc_req *r)
{
	struct qisock_svc *sv = &r->qd->svc;
	struct qisock_svc_req *next;
	unsigned long tmo;
	int ret;

	spin_lock(&sv->lock);
	if (r->state != QISOCK_SVC_QUEUED) {
		spin_unlock(&sv->lock);
		svc_put(r);
		return NULL;
	}
	r->state = QISOCK_SVC_SENT;
	tmo = msecs_to_jiffies(sv->tmo_ms ? sv->tmo_ms :
			       r->tmo_ms + QISOCK_SVC_MARGIN_MS);
	/* armed before the command can end: svc_done() then disarms it */
	svc_get(r);
	if (!queue_delayed_work(system_wq, &r->timer, tmo))
		svc_put(r);
	spin_unlock(&sv->lock);

	svc_get(r);			/* the command's */
	ret = qisock_at_submit(&r->qd->eng, r->cmd);
	if (!ret) {
		svc_put(r);
		return NULL;
	}
	svc_put(r);			/* its hooks will never run */
	next = svc_done(r, ret == -ENODEV ? -EIO : ret);
	svc_put(r);
	return next;
}

/* End @r and send what waited behind it. */
static void svc_end(struct qisock_svc_req *r, int err)
{
	struct qisock_svc_req *next = svc_done(r, err);

	while (next)
		next = svc_kick(next);
}

static void svc_timeout(struct work_struct *work)
{
	struct qisock_svc_req *r = container_of(to_delayed_work(work),
						struct qisock_svc_req, timer);

	svc_end(r, -ETIMEDOUT);
	svc_put(r);
}

/* The command's outcome; a failure ends the request (receive path). */
static void svc_cmd_done(struct qat_cmd *cmd)
{
	struct qisock_svc_req *r = cmd->priv;
	struct qisock_svc *sv = &r->qd->svc;

	if (!cmd->status) {
		spin_lock(&sv->lock);
		if (r->state == QISOCK_SVC_SENT)
			r->state = QISOCK_SVC_RUNNING;
		spin_unlock(&sv->lock);
	} else if (cmd->status == -ENODEV) {
		svc_end(r, -EIO);		/* detached */
	} else {
		/* ERROR: the errno of AT+QIGETERROR's <err> */
		svc_end(r, qisock_cmd_errno(cmd));
	}
	svc_put(r);
}

static const struct qat_cmd_ops qisock_svc_cmd_ops = {
	.done	= svc_cmd_done,
};

/* ---- URCs ----------------------------------------------------------------- */

static int svc_kind_of(u8 code)
{
	unsigned int k;

	for (k = 0; k < QISOCK_SVC_KINDS; k++)
		if (qisock_svc_ops_of[k]->urc == code)
			return k;
	return -1;
}

/**
 * qisock_svc_urc() - a URC of a service, for the request running (receive
 *	path).
 * @qd: the modem.
 * @line: "+QIURC: "dnsgip",...", "+QPING: ..." or "+QNTP: ...".
 *
 * A URC while no request of its kind runs is counted and ignored; a
 * malformed one ends the running request with -EPROTO.
 */
void qisock_svc_urc(struct qisock_dev *qd, const struct qp_line *line)
{
	struct qisock_svc *sv = &qd->svc;
	struct qp_arg a[QP_MAX_ARGS];
	struct qisock_svc_req *r;
	int kind = svc_kind_of(line->code);
	int n, ret;

	if (kind < 0)
		return;
	n = qisock_parse_line_args(line, a, ARRAY_SIZE(a));
	spin_lock(&sv->lock);
	r = list_first_entry_or_null(&sv->q[kind], struct qisock_svc_req,
				     node);
	if (!r || r->state != QISOCK_SVC_RUNNING) {
		qd->eng.st.svc_stray++;		/* rx_mutex held */
		spin_unlock(&sv->lock);
		return;
	}
	ret = n < 0 ? -EPROTO : r->ops->parse(r, a, n);
	if (ret < 0)
		qd->eng.st.svc_bad++;
	if (ret)
		svc_get(r);
	spin_unlock(&sv->lock);
	if (ret) {
		if (ret < 0)
			dev_warn_ratelimited(&qd->dev, "malformed result: %s\n",
					     line->text);
		svc_end(r, ret < 0 ? ret : 0);
		svc_put(r);
	}
}

/* ---- requests of a file ------------------------------------------------- */

/* The dialect of a ready modem, or an errno (EIO: detached). */
static const struct qisock_dialect *svc_dialect(struct qisock_dev *qd)
{
	const struct qisock_dialect *d;
	enum qisock_state st;

	spin_lock(&qd->lock);
	st = qd->state;
	d = qd->dialect;
	spin_unlock(&qd->lock);
	if (st == QISOCK_GONE)
		return ERR_PTR(-EIO);
	return st == QISOCK_READY && d ? d : ERR_PTR(-EAGAIN);
}

/* A new request of @kind for @arg: checked, its command made. */
static struct qisock_svc_req *svc_new(struct qisock_file *f,
				      unsigned int kind,
				      const union qisock_svc_arg *arg)
{
	const struct qisock_svc_ops *ops = qisock_svc_ops_of[kind];
	const struct qisock_dialect *d = svc_dialect(f->qd);
	struct qisock_svc_req *r;
	struct qat_cmd *cmd;
	int ret;

	if (IS_ERR(d))
		return ERR_CAST(d);
	ret = ops->check(d, arg);
	if (ret)
		return ERR_PTR(ret);
	/* nothing goes to the module for a context that is down */
	if (d->ctx_query) {
		ret = qisock_ctx_active(f->qd, arg->dns.context_id);
		if (ret == -ERESTARTSYS)
			return ERR_PTR(ret);
		if (!ret)
			return ERR_PTR(-ENETDOWN);
	}
	cmd = ops->cmd(d, arg);
	if (IS_ERR(cmd))
		return ERR_CAST(cmd);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		qisock_at_cmd_put(cmd);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&r->ref);
	get_device(&f->qd->dev);
	r->qd = f->qd;
	r->ops = ops;
	r->kind = kind;
	INIT_LIST_HEAD(&r->node);
	r->state = QISOCK_SVC_QUEUED;
	r->cmd = cmd;
	cmd->ops = &qisock_svc_cmd_ops;
	cmd->priv = r;
	r->tmo_ms = ops->timeout_ms(d, arg);
	INIT_DELAYED_WORK(&r->timer, svc_timeout);
	init_waitqueue_head(&r->wq);
	r->owner_wq = &f->wq;
	ops->key(&r->key, arg);
	r->out = r->key;
	return r;
}

/* Queue @r behind the running request of its kind; send it if none. */
static int svc_enqueue(struct qisock_svc_req *r)
{
	struct qisock_svc *sv = &r->qd->svc;
	bool first;

	spin_lock(&sv->lock);
	if (sv->gone) {
		spin_unlock(&sv->lock);
		return -EIO;
	}
	first = list_empty(&sv->q[r->kind]);
	list_add_tail(&r->node, &sv->q[r->kind]);
	svc_get(r);			/* the queue's */
	if (first)
		svc_get(r);		/* for svc_kick() */
	spin_unlock(&sv->lock);
	if (first) {
		struct qisock_svc_req *next = svc_kick(r);

		while (next)
			next = svc_kick(next);
	}
	return 0;
}

static bool svc_is_done(struct qisock_svc_req *r)
{
	struct qisock_svc *sv = &r->qd->svc;
	bool done;

	spin_lock(&sv->lock);
	done = r->state == QISOCK_SVC_DONE;
	spin_unlock(&sv->lock);
	return done;
}

/*
 * The file's request for @arg (referenced), a new one (*@started), or an
 * errno: EBUSY when the file has another one. f->lock held.
 */
static struct qisock_svc_req *svc_slot(struct qisock_file *f,
				       unsigned int kind,
				       const union qisock_svc_arg *arg)
{
	const struct qisock_svc_ops *ops = qisock_svc_ops_of[kind];
	struct qisock_svc_req *r = f->svc;
	union qisock_svc_arg *key;
	bool same;

	if (!r)
		return NULL;
	if (r->kind != kind)
		return ERR_PTR(-EBUSY);
	key = kzalloc(sizeof(*key), GFP_KERNEL);
	if (!key)
		return ERR_PTR(-ENOMEM);
	ops->key(key, arg);
	same = !memcmp(key, &r->key, sizeof(*key));
	kfree(key);
	if (!same)
		return ERR_PTR(-EBUSY);
	svc_get(r);
	return r;
}

/* Start a request for @arg in the file's empty slot. */
static struct qisock_svc_req *svc_start(struct qisock_file *f,
					unsigned int kind,
					const union qisock_svc_arg *arg)
{
	struct qisock_svc_req *r = svc_new(f, kind, arg);
	int ret;

	if (IS_ERR(r))
		return r;
	mutex_lock(&f->lock);
	ret = f->svc || f->s ? -EBUSY : svc_enqueue(r);
	if (!ret) {
		f->svc = r;	/* the file's reference */
		svc_get(r);	/* the caller's */
	}
	mutex_unlock(&f->lock);
	if (ret) {
		svc_put(r);
		return ERR_PTR(ret);
	}
	return r;
}

/* Hand the result of @r, which is done, to the caller; empty the slot. */
static int svc_collect(struct qisock_file *f, struct qisock_svc_req *r,
		       union qisock_svc_arg *arg)
{
	struct qisock_svc *sv = &r->qd->svc;
	bool mine;
	int err;

	mutex_lock(&f->lock);
	mine = f->svc == r;
	if (mine)
		f->svc = NULL;
	mutex_unlock(&f->lock);
	if (mine)
		svc_put(r);	/* the slot's */
	spin_lock(&sv->lock);
	err = r->err;
	if (!err)
		memcpy(arg, &r->out, r->ops->size);
	spin_unlock(&sv->lock);
	return err;
}

/**
 * qisock_svc_call() - a service request of a file (the ioctl's work).
 * @f: the file, a control node that is no socket.
 * @kind: &enum qisock_svc_kind.
 * @arg: in: the arguments; out: the result.
 * @nonblock: O_NONBLOCK.
 *
 * Return: 0 (also when the module reported a failure: module_error),
 * -EINVAL (bad arguments, nothing sent), -ENETDOWN (context down, nothing
 * sent), -EBUSY (the file has another request), -EINPROGRESS (started,
 * O_NONBLOCK), -EALREADY (still running, O_NONBLOCK), -ERESTARTSYS (a
 * signal: the request goes on), -ETIMEDOUT, -EPROTO (a malformed
 * result), -EIO (detached), -ENOTTY (a socket's file), or the errno of
 * the module's <err> when it refused the command.
 */
int qisock_svc_call(struct qisock_file *f, unsigned int kind,
		    union qisock_svc_arg *arg, bool nonblock)
{
	struct qisock_svc_req *r;
	bool started = false;
	int ret;

	if (kind >= QISOCK_SVC_KINDS)
		return -ENOTTY;
	mutex_lock(&f->lock);
	if (!f->ctl || f->s) {
		mutex_unlock(&f->lock);
		return -ENOTTY;
	}
	r = svc_slot(f, kind, arg);
	mutex_unlock(&f->lock);
	if (IS_ERR(r))
		return PTR_ERR(r);
	if (!r) {
		r = svc_start(f, kind, arg);
		if (IS_ERR(r))
			return PTR_ERR(r);
		started = true;
	}
	if (nonblock && !svc_is_done(r))
		ret = started ? -EINPROGRESS : -EALREADY;
	else if (wait_event_interruptible(r->wq, svc_is_done(r)))
		ret = -ERESTARTSYS;	/* it goes on; the same call collects */
	else
		ret = svc_collect(f, r, arg);
	svc_put(r);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_svc_call);

static int svc_kind_of_ioctl(unsigned int cmd)
{
	switch (cmd) {
	case QISOCK_IOC_RESOLVE:
		return QISOCK_SVC_DNS;
	case QISOCK_IOC_PING:
		return QISOCK_SVC_PING;
	case QISOCK_IOC_NTP:
		return QISOCK_SVC_NTP;
	default:
		return -1;
	}
}

/**
 * qisock_svc_ioctl() - QISOCK_IOC_RESOLVE, _PING, _NTP and _LAST_ERROR.
 * @f: the file.
 * @cmd: the ioctl.
 * @argp: its argument.
 * @nonblock: O_NONBLOCK.
 *
 * Return: see qisock_svc_call(); -ENOIOCTLCMD for another ioctl.
 */
long qisock_svc_ioctl(struct qisock_file *f, unsigned int cmd,
		      void __user *argp, bool nonblock)
{
	int kind = svc_kind_of_ioctl(cmd);
	union qisock_svc_arg *arg;
	struct qisock_error e;
	size_t size;
	long ret;

	if (cmd == QISOCK_IOC_LAST_ERROR) {
		ret = qisock_svc_last_error(f->qd, &e);
		if (!ret && copy_to_user(argp, &e, sizeof(e)))
			ret = -EFAULT;
		return ret;
	}
	if (kind < 0)
		return -ENOIOCTLCMD;
	size = qisock_svc_ops_of[kind]->size;
	arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	if (!arg)
		return -ENOMEM;
	ret = copy_from_user(arg, argp, size) ? -EFAULT :
	      qisock_svc_call(f, kind, arg, nonblock);
	if (!ret && copy_to_user(argp, arg, size))
		ret = -EFAULT;
	kfree(arg);
	return ret;
}

/**
 * qisock_svc_poll() - POLLIN once the file's request has its result.
 * @f: the file (its wait queue is already registered).
 *
 * Return: EPOLLIN | EPOLLRDNORM, or 0.
 */
__poll_t qisock_svc_poll(struct qisock_file *f)
{
	struct qisock_svc_req *r;
	__poll_t mask = 0;

	mutex_lock(&f->lock);
	r = f->svc;
	if (r && svc_is_done(r))
		mask = EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&f->lock);
	return mask;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_svc_poll);

/**
 * qisock_svc_release() - the file is closed: let its request go.
 * @f: the file; no system call of it runs any more.
 *
 * A request still waiting for its turn is dropped (nothing was sent); one
 * the module runs ends when its result or time-out comes, and is freed
 * then.
 */
void qisock_svc_release(struct qisock_file *f)
{
	struct qisock_svc_req *r = f->svc;
	struct qisock_svc *sv;
	bool queued;

	if (!r)
		return;
	f->svc = NULL;
	sv = &r->qd->svc;
	spin_lock(&sv->lock);
	r->owner_wq = NULL;
	queued = r->state == QISOCK_SVC_QUEUED;
	spin_unlock(&sv->lock);
	if (queued)
		svc_end(r, -ECANCELED);
	svc_put(r);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_svc_release);

/* ---- the modem ---------------------------------------------------------- */

void qisock_svc_init(struct qisock_svc *sv)
{
	unsigned int k;

	spin_lock_init(&sv->lock);
	for (k = 0; k < QISOCK_SVC_KINDS; k++)
		INIT_LIST_HEAD(&sv->q[k]);
}

/*
 * End every request, running or waiting, with @err; none is sent any
 * more. @sync: also wait for time-out work that is running (sleeps).
 */
static void svc_fail_all(struct qisock_dev *qd, int err, bool sync)
{
	struct qisock_svc *sv = &qd->svc;
	struct qisock_svc_req *r;
	unsigned int k;

	for (;;) {
		r = NULL;
		spin_lock(&sv->lock);
		for (k = 0; k < QISOCK_SVC_KINDS && !r; k++)
			r = list_first_entry_or_null(&sv->q[k],
						     struct qisock_svc_req, node);
		/* out of its queue first: svc_done() sends nothing after it */
		if (r)
			list_del_init(&r->node);
		spin_unlock(&sv->lock);
		if (!r)
			return;
		svc_done(r, err);
		if (sync && cancel_delayed_work_sync(&r->timer))
			svc_put(r);
		svc_put(r);		/* the queue's */
	}
}

/**
 * qisock_svc_fail_all() - the module restarted (RDY) or is about to be
 *	restarted (hung): its requests are lost; every request ends with
 *	@err and none is sent after it (receive path, or rx_mutex held).
 * @qd: the modem.
 * @err: negative errno (-ENETRESET after RDY, -ENETDOWN when hung).
 */
void qisock_svc_fail_all(struct qisock_dev *qd, int err)
{
	svc_fail_all(qd, err, false);
}

/**
 * qisock_svc_shutdown() - detach: every request ends with EIO.
 * @qd: the modem; its engine is shut down.
 *
 * Sleeps: waits for time-out work that is running.
 */
void qisock_svc_shutdown(struct qisock_dev *qd)
{
	struct qisock_svc *sv = &qd->svc;

	spin_lock(&sv->lock);
	sv->gone = true;
	spin_unlock(&sv->lock);
	svc_fail_all(qd, -EIO, true);
}

/**
 * qisock_svc_last_error() - QISOCK_IOC_LAST_ERROR.
 * @qd: the modem.
 * @e: the answer.
 *
 * The answer to the last AT+QIGETERROR the driver asked after an ERROR,
 * or the code of the last "+CME ERROR: <err>" of a TCP/IP command with
 * the module's text for it; if there was none since attach, the module
 * is asked now.
 *
 * Return: 0, or the errno of the command (EIO once detached, EPROTO for
 * an answer without its +QIGETERROR line).
 */
int qisock_svc_last_error(struct qisock_dev *qd, struct qisock_error *e)
{
	struct qat_cmd *cmd;
	const char *p;
	bool known;
	u32 code;
	int ret;

	memset(e, 0, sizeof(*e));
	known = qisock_at_lasterr_get(&qd->eng, &e->code, e->text,
				      sizeof(e->text));
	if (known && e->text[0])
		return 0;
	/*
	 * None yet, or a code from "+CME ERROR: <err>" (AT+CMEE=1), which
	 * has no text: the module's own answer has both. Should the module
	 * report another code by now, the one the driver saw stands.
	 */
	code = e->code;
	cmd = qisock_at_cmd_new(0, 256, 0, "AT+QIGETERROR");
	ret = qisock_cmd_exec(qd, cmd);
	p = ret ? NULL : strstr(cmd->resp, "+QIGETERROR:");
	if (!ret && (!p || qisock_at_qierr_parse(p, strchrnul(p, '\n') - p,
						 &e->code, e->text,
						 sizeof(e->text))))
		ret = -EPROTO;
	if (known && (ret || e->code != code)) {
		memset(e, 0, sizeof(*e));
		e->code = code;
		ret = 0;
	} else if (!ret) {
		qisock_at_lasterr_set(&qd->eng, e->code, e->text);
	}
	qisock_at_cmd_put(cmd);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_svc_last_error);
