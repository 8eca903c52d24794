// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: keeping a PDP context up (ctx<N>/autoconnect).
 *
 * A context with autoconnect set is brought up, and comes back by itself
 * whenever it goes down without being asked to (active=0): "pdpdeact"
 * from the network, a module restart (RDY; the module also forgets its
 * configuration, so the one last written through sysfs is sent again), a
 * refused or lost activation. Attempts are spaced by an exponential
 * back-off, QISOCK_KEEP_FIRST_MS doubling up to QISOCK_KEEP_MAX_MS, reset
 * once the context is up; ctx<N>/retries counts them and last_error says
 * how the last one ended. Writing active=0 stops it.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "qisock.h"
#include "qisock_ctx.h"

#define QISOCK_KEEP_FIRST_MS	1000
#define QISOCK_KEEP_MAX_MS	300000
/* Before the modem is identified again after RDY, look again this soon. */
#define QISOCK_KEEP_WAIT_MS	500

#define to_ctx(k) container_of(k, struct qisock_ctx, kobj)

/* Should @c come back up? Lock held. */
static bool qisock_ctx_keep_wanted_locked(const struct qisock_ctx *c)
{
	return c->autoconnect && c->want_up && !c->gone;
}

/**
 * qisock_ctx_keep_down() - @c went down (or an attempt failed): if it is
 *	to be kept up, try again after the back-off.
 * @c: the context; any context but hard IRQ.
 */
void qisock_ctx_keep_down(struct qisock_ctx *c)
{
	unsigned int delay = 0;

	spin_lock(&c->lock);
	if (qisock_ctx_keep_wanted_locked(c) && c->state == QISOCK_CTX_DOWN) {
		delay = c->backoff_ms;
		c->backoff_ms = min(c->backoff_ms * 2, QISOCK_KEEP_MAX_MS);
	}
	spin_unlock(&c->lock);
	if (delay)
		mod_delayed_work(system_wq, &c->keep, msecs_to_jiffies(delay));
}

/**
 * qisock_ctx_keep_up() - @c is up: the next outage starts the back-off anew.
 * @c: the context.
 */
void qisock_ctx_keep_up(struct qisock_ctx *c)
{
	spin_lock(&c->lock);
	c->backoff_ms = QISOCK_KEEP_FIRST_MS;
	spin_unlock(&c->lock);
}

/**
 * qisock_ctx_keep_save() - remember the configuration just written.
 * @c: the context; cfg_lock held.
 * @cfg: what the module accepted.
 *
 * Kept (password included) only to restore it after a module restart;
 * freed with kfree_sensitive().
 */
void qisock_ctx_keep_save(struct qisock_ctx *c,
			  const struct qisock_ctx_cfg *cfg)
{
	if (!c->saved)
		c->saved = kmalloc(sizeof(*c->saved), GFP_KERNEL);
	if (c->saved)
		*c->saved = *cfg;
}

/* One reconnection attempt: restore the configuration, then QIACTEX. */
static void qisock_ctx_keep_work(struct work_struct *work)
{
	struct qisock_ctx *c = container_of(to_delayed_work(work),
					    struct qisock_ctx, keep);
	bool go;
	int ret = 0;

	spin_lock(&c->lock);
	go = qisock_ctx_keep_wanted_locked(c) && c->state == QISOCK_CTX_DOWN;
	spin_unlock(&c->lock);
	if (!go)
		return;
	if (qisock_dev_state(c->qd) != QISOCK_READY) {
		/* restarting: the probe comes first */
		schedule_delayed_work(&c->keep,
				      msecs_to_jiffies(QISOCK_KEEP_WAIT_MS));
		return;
	}
	mutex_lock(&c->cfg_lock);
	if (c->saved)
		ret = qisock_ctx_write_cfg(c, c->saved);
	mutex_unlock(&c->cfg_lock);
	spin_lock(&c->lock);
	if (ret)
		c->last_error = ret;
	spin_unlock(&c->lock);
	/* sets last_error itself: the module's <err> if it gave one */
	if (!ret)
		ret = qisock_ctx_switch(c, true);
	spin_lock(&c->lock);
	c->retries++;
	spin_unlock(&c->lock);
	if (ret)
		qisock_ctx_keep_down(c);
	/* else the +QIACTEX URC decides (qisock_ctx_event()) */
}

/**
 * qisock_ctx_keep_init() - set up the keeping of a new context.
 * @c: the context.
 */
void qisock_ctx_keep_init(struct qisock_ctx *c)
{
	c->backoff_ms = QISOCK_KEEP_FIRST_MS;
	INIT_DELAYED_WORK(&c->keep, qisock_ctx_keep_work);
}

/**
 * qisock_ctx_keep_stop() - detach: no more attempts.
 * @c: the context, marked gone (no attempt is scheduled again).
 */
void qisock_ctx_keep_stop(struct qisock_ctx *c)
{
	cancel_delayed_work_sync(&c->keep);
}

static ssize_t autoconnect_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct qisock_ctx *c = to_ctx(kobj);
	bool on;

	spin_lock(&c->lock);
	on = c->autoconnect;
	spin_unlock(&c->lock);
	return sysfs_emit(buf, "%d\n", on);
}

static ssize_t autoconnect_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	struct qisock_ctx *c = to_ctx(kobj);
	bool on;
	int ret;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	ret = kstrtobool(buf, &on);
	if (ret)
		return ret;
	spin_lock(&c->lock);
	c->autoconnect = on;
	if (on)
		c->want_up = true;	/* keep it up: bring it up if down */
	spin_unlock(&c->lock);
	if (on)
		mod_delayed_work(system_wq, &c->keep, 0);
	else
		cancel_delayed_work(&c->keep);
	return count;
}

struct kobj_attribute qisock_ctx_attr_autoconnect = __ATTR_RW(autoconnect);

static ssize_t retries_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct qisock_ctx *c = to_ctx(kobj);
	unsigned int n;

	spin_lock(&c->lock);
	n = c->retries;
	spin_unlock(&c->lock);
	return sysfs_emit(buf, "%u\n", n);
}

struct kobj_attribute qisock_ctx_attr_retries = __ATTR_RO(retries);
