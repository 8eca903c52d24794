// SPDX-License-Identifier: GPL-2.0
/*
 * qisock PDP contexts in sysfs: /sys/class/qisock/qisock<M>/ctx<N>/, one
 * directory per context the dialect has (EC200U: 1-7, BC66: 1). The
 * BC66's context follows network registration ("+IP:"); what differs for
 * it is in qisock_ctx_reg.c, and its directory has only the attributes
 * that work there (qisock_ctx_visible()).
 *
 *   type, apn, username, auth   AT+QICSGP, read back from the module
 *   password                    write-only (both: qisock_ctx_cfg.c)
 *   active                      1/0: AT+QIACTEX / AT+QIDEACTEX
 *   state                       down, activating, up, deactivating
 *   address                     the addresses AT+QIACT? reports
 *   last_error                  the module's <err> of the last failed
 *                               (de)activation, 0 if none
 *
 * Reads ask the module (they may sleep for one command); writes need
 * CAP_NET_ADMIN and are validated before anything is sent (EINVAL,
 * nothing reaches the module).
 *
 * Activation is asynchronous, as the seed's AT+QIACTEX is: the write
 * returns once the module said OK; the result comes as +QIACTEX (up to
 * 150 s later), "pdpdeact" or +QIDEACTEX take the context down. Every
 * state change wakes pollers of state and active and sends a change
 * uevent on the modem with QISOCK_CTX=<N> and QISOCK_CTX_STATE=<state>.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "qisock.h"
#include "qisock_compat.h"
#include "qisock_ctx.h"

static const char * const qisock_ctx_state_names[] = {
	[QISOCK_CTX_DOWN]		= "down",
	[QISOCK_CTX_ACTIVATING]		= "activating",
	[QISOCK_CTX_UP]			= "up",
	[QISOCK_CTX_DEACTIVATING]	= "deactivating",
};

#define to_ctx(k) container_of(k, struct qisock_ctx, kobj)

static void qisock_ctx_release(struct kobject *kobj)
{
	struct qisock_ctx *c = to_ctx(kobj);

	mutex_destroy(&c->cfg_lock);
	kfree_sensitive(c->saved);
	kfree(c);
}

/* Tell pollers, waiters for "+IP:" and udev that @c changed. */
void qisock_ctx_changed(struct qisock_ctx *c)
{
	char id[24], st[40], *env[3];
	enum qisock_ctx_state s;

	spin_lock(&c->lock);
	s = c->state;
	spin_unlock(&c->lock);
	wake_up_all(&c->wq);
	sysfs_notify(&c->kobj, NULL, "state");
	sysfs_notify(&c->kobj, NULL, "active");
	snprintf(id, sizeof(id), "QISOCK_CTX=%u", c->id);
	snprintf(st, sizeof(st), "QISOCK_CTX_STATE=%s",
		 qisock_ctx_state_names[s]);
	env[0] = id;
	env[1] = st;
	env[2] = NULL;
	kobject_uevent_env(&c->qd->dev.kobj, KOBJ_CHANGE, env);
}

/* Set the state (and the error) of @c; lock not held. Return: changed. */
bool qisock_ctx_set(struct qisock_ctx *c, enum qisock_ctx_state s, int err)
{
	bool changed;

	spin_lock(&c->lock);
	changed = c->state != s;
	c->state = s;
	if (err >= 0)
		c->last_error = err;
	if (s == QISOCK_CTX_DOWN) {	/* "+IP:" lost */
		c->addr[0] = '\0';
		c->fam = 0;
	}
	spin_unlock(&c->lock);
	return changed;
}

/*
 * AT+QIACT?: is context @c up, and its addresses into @addr (@size bytes,
 * blank-separated), if @addr.
 */
static int qisock_ctx_query(struct qisock_ctx *c, bool *up, char *addr,
			    size_t size)
{
	static const char pfx[] = "+QIACT:";
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 1024, 0, "AT+QIACT?");
	struct qp_arg a[5];
	const char *p, *end;
	size_t used = 0;
	int ret, n, i;

	*up = false;
	if (addr)
		addr[0] = '\0';
	ret = qisock_cmd_exec(c->qd, cmd);
	for (p = ret ? NULL : cmd->resp; p && (p = strstr(p, pfx)); p = end) {
		p += sizeof(pfx) - 1;
		end = strchrnul(p, '\n');
		n = qisock_parse_split_args(p, end - p, a, ARRAY_SIZE(a));
		if (n < 3 || !a[0].is_int || a[0].v != c->id)
			continue;
		*up = a[1].is_int && a[1].v == 1;
		for (i = 3; addr && i < n; i++)
			used += scnprintf(addr + used, size - used, "%s%.*s",
					  used ? " " : "", a[i].len, a[i].s);
	}
	qisock_at_cmd_put(cmd);
	return ret;
}

/* The state a reader sees: a transition under way, else the module's. */
static int qisock_ctx_state_now(struct qisock_ctx *c,
				enum qisock_ctx_state *s)
{
	enum qisock_ctx_state old;
	bool up, changed;
	int ret;

	spin_lock(&c->lock);
	*s = c->state;
	old = *s;
	spin_unlock(&c->lock);
	/* "+IP:" and its loss say it all: the BC66 has no AT+QIACT? */
	if (*s == QISOCK_CTX_ACTIVATING || *s == QISOCK_CTX_DEACTIVATING ||
	    c->reg)
		return 0;
	ret = qisock_ctx_query(c, &up, NULL, 0);
	if (ret)
		return ret;
	/*
	 * Only if nothing changed it meanwhile: a (de)activation that began
	 * while AT+QIACT? was out (autoconnect's, or another writer's) must
	 * not be overwritten by the module's older answer, else a second
	 * AT+QIACTEX goes out and its "busy" resets the state.
	 */
	spin_lock(&c->lock);
	changed = c->state == old && old != (up ? QISOCK_CTX_UP : QISOCK_CTX_DOWN);
	if (changed)
		c->state = up ? QISOCK_CTX_UP : QISOCK_CTX_DOWN;
	*s = c->state;
	spin_unlock(&c->lock);
	if (changed)
		qisock_ctx_changed(c);
	return 0;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	enum qisock_ctx_state s;
	int ret = qisock_ctx_state_now(to_ctx(kobj), &s);

	return ret ? ret : sysfs_emit(buf, "%s\n", qisock_ctx_state_names[s]);
}

static struct kobj_attribute qisock_ctx_attr_state = __ATTR_RO(state);

static ssize_t active_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	enum qisock_ctx_state s;
	int ret = qisock_ctx_state_now(to_ctx(kobj), &s);

	return ret ? ret : sysfs_emit(buf, "%d\n", s == QISOCK_CTX_UP ||
					      s == QISOCK_CTX_DEACTIVATING);
}

/* Start AT+QIACTEX=<N>,0 or AT+QIDEACTEX=<N>; the URC ends it. */
int qisock_ctx_switch(struct qisock_ctx *c, bool up)
{
	enum qisock_ctx_state next = up ? QISOCK_CTX_ACTIVATING :
					  QISOCK_CTX_DEACTIVATING;
	struct qat_cmd *cmd;
	int ret;

	spin_lock(&c->lock);
	ret = c->gone ? -EIO : 0;
	if (!ret && (c->state == QISOCK_CTX_ACTIVATING ||
		     c->state == QISOCK_CTX_DEACTIVATING))
		ret = -EBUSY;
	if (!ret)
		c->state = next;	/* before the URC can come */
	spin_unlock(&c->lock);
	if (ret)
		return ret;
	qisock_ctx_changed(c);
	cmd = up ? qisock_at_cmd_new(0, 0, 0, "AT+QIACTEX=%u,0", c->id) :
		   qisock_at_cmd_new(0, 0, 0, "AT+QIDEACTEX=%u", c->id);
	ret = qisock_cmd_exec(c->qd, cmd);
	if (ret) {
		/* refused (already active, not configured...): as before */
		spin_lock(&c->lock);
		if (c->state == next)
			c->state = up ? QISOCK_CTX_DOWN : QISOCK_CTX_UP;
		/* the module's <err> (+CME ERROR), else the errno */
		c->last_error = cmd && cmd->cme >= 550 ? cmd->cme : ret;
		spin_unlock(&c->lock);
		qisock_at_cmd_put(cmd);
		qisock_ctx_changed(c);
		return ret;
	}
	qisock_at_cmd_put(cmd);
	schedule_delayed_work(&c->timeout,
			      msecs_to_jiffies(up ? QISOCK_CTX_ACT_MS :
					       QISOCK_CTX_DEACT_MS));
	return 0;
}

static ssize_t active_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct qisock_ctx *c = to_ctx(kobj);
	bool up;
	int ret;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (c->reg)	/* it follows registration (0444, but root writes) */
		return -EOPNOTSUPP;

	ret = kstrtobool(buf, &up);
	if (ret)
		return ret;
	spin_lock(&c->lock);
	c->want_up = up;	/* autoconnect keeps it so */
	spin_unlock(&c->lock);
	if (!up)
		cancel_delayed_work(&c->keep);
	ret = qisock_ctx_switch(c, up);
	return ret ? ret : count;
}

static struct kobj_attribute qisock_ctx_attr_active = __ATTR_RW(active);

static ssize_t address_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct qisock_ctx *c = to_ctx(kobj);
	char addr[sizeof(c->addr)];
	bool up;
	int ret = 0;

	if (c->reg) {
		spin_lock(&c->lock);
		strscpy(addr, c->addr, sizeof(addr));
		spin_unlock(&c->lock);
	} else {
		ret = qisock_ctx_query(c, &up, addr, sizeof(addr));
	}
	return ret ? ret : sysfs_emit(buf, "%s\n", addr);
}

static struct kobj_attribute qisock_ctx_attr_address = __ATTR_RO(address);

static ssize_t last_error_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct qisock_ctx *c = to_ctx(kobj);
	int err;

	spin_lock(&c->lock);
	err = c->last_error;
	spin_unlock(&c->lock);
	return sysfs_emit(buf, "%d\n", err);
}

static struct kobj_attribute qisock_ctx_attr_last_error =
	__ATTR_RO(last_error);

static struct attribute *qisock_ctx_attrs[] = {
	&qisock_ctx_attr_type.attr,
	&qisock_ctx_attr_apn.attr,
	&qisock_ctx_attr_username.attr,
	&qisock_ctx_attr_password.attr,
	&qisock_ctx_attr_auth.attr,
	&qisock_ctx_attr_active.attr,
	&qisock_ctx_attr_state.attr,
	&qisock_ctx_attr_address.attr,
	&qisock_ctx_attr_dns.attr,
	&qisock_ctx_attr_last_error.attr,
	&qisock_ctx_attr_autoconnect.attr,
	&qisock_ctx_attr_retries.attr,
	NULL
};

/*
 * A context that follows registration (BC66) has no username, password
 * or auth (AT+CGDCONT carries none), no autoconnect (the module attaches
 * by itself) and a read-only active.
 */
static umode_t qisock_ctx_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	if (!to_ctx(kobj)->reg)
		return a->mode;
	if (a == &qisock_ctx_attr_username.attr ||
	    a == &qisock_ctx_attr_password.attr ||
	    a == &qisock_ctx_attr_auth.attr ||
	    a == &qisock_ctx_attr_autoconnect.attr ||
	    a == &qisock_ctx_attr_retries.attr)
		return 0;
	if (a == &qisock_ctx_attr_active.attr)
		return 0444;
	return a->mode;
}

static const struct attribute_group qisock_ctx_group = {
	.attrs		= qisock_ctx_attrs,
	.is_visible	= qisock_ctx_visible,
};

static const struct attribute_group *qisock_ctx_groups[] = {
	&qisock_ctx_group,
	NULL
};

static const struct kobj_type qisock_ctx_ktype = {
	.release	= qisock_ctx_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= qisock_ctx_groups,
};

/* No URC for a (de)activation: the module's answer is lost. */
static void qisock_ctx_timeout(struct work_struct *work)
{
	struct qisock_ctx *c = container_of(to_delayed_work(work),
					    struct qisock_ctx, timeout);
	bool changed = false;

	spin_lock(&c->lock);
	if (c->state == QISOCK_CTX_ACTIVATING ||
	    c->state == QISOCK_CTX_DEACTIVATING) {
		c->state = c->state == QISOCK_CTX_ACTIVATING ?
			   QISOCK_CTX_DOWN : QISOCK_CTX_UP;
		c->last_error = -ETIMEDOUT;
		changed = true;
	}
	spin_unlock(&c->lock);
	if (changed)
		qisock_ctx_changed(c);
	qisock_ctx_keep_down(c);
}

static struct qisock_ctx *qisock_ctx_new(struct qisock_dev *qd, u8 id,
					 const struct qisock_dialect *d)
{
	struct qisock_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->qd = qd;
	c->id = id;
	c->reg = !d->ctx_query;	/* BC66: no AT+QIACT?, "+IP:" instead */
	c->ip_wait_ms = QISOCK_CTX_IP_WAIT_MS;
	init_waitqueue_head(&c->wq);
	mutex_init(&c->cfg_lock);
	spin_lock_init(&c->lock);
	INIT_DELAYED_WORK(&c->timeout, qisock_ctx_timeout);
	qisock_ctx_keep_init(c);
	if (kobject_init_and_add(&c->kobj, &qisock_ctx_ktype, &qd->dev.kobj,
				 "ctx%u", id)) {
		kobject_put(&c->kobj);
		return NULL;
	}
	return c;
}

/**
 * qisock_ctxs_create() - the ctx<N> directories of an identified modem.
 * @qd: the modem. Once: later probes keep them.
 * @d: the dialect the probe found.
 *
 * Return: 0 or -ENOMEM.
 */
int qisock_ctxs_create(struct qisock_dev *qd, const struct qisock_dialect *d)
{
	unsigned int i;

	if (qd->nctx || !d)
		return 0;
	for (i = 1; i <= d->ctx_max && i <= QISOCK_CTX_MAX; i++) {
		struct qisock_ctx *c = qisock_ctx_new(qd, i, d);

		if (!c)
			return -ENOMEM;
		spin_lock(&qd->lock);
		qd->ctx[i] = c;
		qd->nctx = i;
		spin_unlock(&qd->lock);
	}
	return 0;
}

/**
 * qisock_ctxs_remove() - detach: the ctx<N> directories go.
 * @qd: the modem, its engine shut down (no URC, no command any more).
 */
void qisock_ctxs_remove(struct qisock_dev *qd)
{
	unsigned int i;

	for (i = 1; i <= QISOCK_CTX_MAX; i++) {
		struct qisock_ctx *c;

		spin_lock(&qd->lock);
		c = qd->ctx[i];
		qd->ctx[i] = NULL;
		spin_unlock(&qd->lock);
		if (!c)
			continue;
		spin_lock(&c->lock);
		c->gone = true;
		spin_unlock(&c->lock);
		wake_up_all(&c->wq);
		cancel_delayed_work_sync(&c->timeout);
		qisock_ctx_keep_stop(c);
		kobject_del(&c->kobj);
		kobject_put(&c->kobj);
	}
	qd->nctx = 0;
}

/*
 * Context @id has a new state from the module: +QIACTEX, +QIDEACTEX,
 * "pdpdeact" or RDY. Receive path.
 */
void qisock_ctx_event(struct qisock_dev *qd, int id, bool up, int err)
{
	struct qisock_ctx *c = NULL;

	spin_lock(&qd->lock);
	if (id >= 1 && id <= QISOCK_CTX_MAX)
		c = qd->ctx[id];
	spin_unlock(&qd->lock);
	if (!c)
		return;
	cancel_delayed_work(&c->timeout);
	if (qisock_ctx_set(c, up ? QISOCK_CTX_UP : QISOCK_CTX_DOWN, err))
		qisock_ctx_changed(c);
	if (up) {
		qisock_ctx_keep_up(c);
		qisock_ctx_dns_restore(c);	/* also after every "+IP:" */
	} else {
		qisock_ctx_keep_down(c);
	}
}

/* +QIACTEX: <N>,<err>  /  +QIDEACTEX: <N>,<err>. Receive path. */
void qisock_ctx_urc(struct qisock_dev *qd, const struct qp_line *line,
		    const struct qp_arg *a, int n)
{
	int id = qisock_urc_int(a, n, 0, 1, QISOCK_CTX_MAX);
	int err = qisock_urc_int(a, n, 1, 0, 1000);
	bool act = line->code == QP_URC_QIACTEX;

	if (id < 0 || err < 0)
		return;
	/* a failed deactivation leaves it up, a failed activation down */
	qisock_ctx_event(qd, id, act ? !err : !!err, err);
	if (!act && !err)
		qisock_pdp_down(qd, id);
}

/**
 * qisock_ctxs_down() - the module restarted (RDY): every context is down.
 * @qd: the modem (receive path).
 */
void qisock_ctxs_down(struct qisock_dev *qd)
{
	int i;

	for (i = 1; i <= QISOCK_CTX_MAX; i++)
		qisock_ctx_event(qd, i, false, -1);
}

/**
 * qisock_ctx_get() - context @id of @qd, referenced.
 * @qd: the modem.
 * @id: the <contextID>.
 *
 * Return: the context (kobject_put() it), or NULL.
 */
struct qisock_ctx *qisock_ctx_get(struct qisock_dev *qd, unsigned int id)
{
	struct qisock_ctx *c = NULL;

	spin_lock(&qd->lock);
	if (id <= QISOCK_CTX_MAX)
		c = qd->ctx[id];
	if (c)
		kobject_get(&c->kobj);
	spin_unlock(&qd->lock);
	return c;
}

/**
 * qisock_ctx_active() - is context @id of @qd active?
 * @qd: the modem.
 * @id: the <contextID>.
 *
 * What the driver knows; when that is not "up", the module is asked
 * (AT+QIACT?), so a context activated before the attach counts too.
 *
 * Return: 1, 0, or a negative errno (no such context, the query failed).
 */
int qisock_ctx_active(struct qisock_dev *qd, unsigned int id)
{
	enum qisock_ctx_state s = QISOCK_CTX_DOWN;
	struct qisock_ctx *c = qisock_ctx_get(qd, id);
	int ret = 0;

	if (!c)
		return -ENODEV;
	spin_lock(&c->lock);
	s = c->state;
	spin_unlock(&c->lock);
	if (s != QISOCK_CTX_UP)
		ret = qisock_ctx_state_now(c, &s);
	kobject_put(&c->kobj);
	if (ret)
		return ret;
	return s == QISOCK_CTX_UP || s == QISOCK_CTX_DEACTIVATING;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_ctx_active);

/**
 * qisock_ctxs_restore() - the module was identified again after a restart:
 *	write back the configuration of every context set up through sysfs
 *	(the module forgot it). Autoconnect contexts then come up by
 *	themselves (qisock_ctx_keep.c); their DNS servers follow once up.
 * @qd: the modem (probe work; may wait for the module).
 */
void qisock_ctxs_restore(struct qisock_dev *qd)
{
	unsigned int i;
	int ret;

	for (i = 1; i <= QISOCK_CTX_MAX; i++) {
		struct qisock_ctx *c;

		spin_lock(&qd->lock);
		c = qd->ctx[i];
		spin_unlock(&qd->lock);
		if (!c)		/* they go only after the probe work is stopped */
			continue;
		if (c->reg) {	/* "+IP:" may have come before we listened */
			qisock_ctx_reg_query(c);
			continue;
		}
		mutex_lock(&c->cfg_lock);
		ret = c->saved ? qisock_ctx_write_cfg(c, c->saved) : 0;
		mutex_unlock(&c->cfg_lock);
		if (ret)
			dev_warn(&qd->dev, "ctx%u: configuration not restored (%d)\n",
				 i, ret);
	}
}
