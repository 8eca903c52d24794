// SPDX-License-Identifier: GPL-2.0
/*
 * qisock device object: its lifetime (create, start, hang up, destroy),
 * its sysfs identity and class, and the URCs that concern the whole
 * modem (RDY). The probe conversation is in qisock_probe.c.
 */
#include <linux/cdev.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <linux/qisock.h>

#include "qisock.h"
#include "qisock_compat.h"

#define to_qisock_dev(d) container_of(d, struct qisock_dev, dev)

static DEFINE_IDA(qisock_ida);

static const char * const qisock_state_names[] = {
	[QISOCK_PROBING]	= QISOCK_STATE_PROBING,
	[QISOCK_READY]		= QISOCK_STATE_READY,
	[QISOCK_FAILED]		= QISOCK_STATE_FAILED,
	[QISOCK_GONE]		= QISOCK_STATE_GONE,
	[QISOCK_RECOVERING]	= QISOCK_STATE_RECOVERING,
};

const char *qisock_state_name(enum qisock_state state)
{
	if (state >= ARRAY_SIZE(qisock_state_names))
		return "unknown";
	return qisock_state_names[state];
}
EXPORT_SYMBOL_IF_KUNIT(qisock_state_name);

enum qisock_state qisock_dev_state(struct qisock_dev *qd)
{
	enum qisock_state state;

	spin_lock(&qd->lock);
	state = qd->state;
	spin_unlock(&qd->lock);
	return state;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dev_state);

/* ---- sysfs ------------------------------------------------------------ */

static ssize_t tty_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n", to_qisock_dev(dev)->tty_name);
}
static DEVICE_ATTR_RO(tty);

static ssize_t model_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct qisock_dev *qd = to_qisock_dev(dev);
	char model[QISOCK_MODEL_MAX];

	spin_lock(&qd->lock);
	qisock_strscpy(model, qd->model);
	spin_unlock(&qd->lock);
	return sysfs_emit(buf, "%s\n", model);
}
static DEVICE_ATTR_RO(model);

static ssize_t revision_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct qisock_dev *qd = to_qisock_dev(dev);
	char rev[QISOCK_REVISION_MAX];

	spin_lock(&qd->lock);
	qisock_strscpy(rev, qd->revision);
	spin_unlock(&qd->lock);
	return sysfs_emit(buf, "%s\n", rev);
}
static DEVICE_ATTR_RO(revision);

static ssize_t dialect_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	struct qisock_dev *qd = to_qisock_dev(dev);
	const struct qisock_dialect *d;

	spin_lock(&qd->lock);
	d = qd->dialect;
	spin_unlock(&qd->lock);
	return sysfs_emit(buf, "%s\n", d ? d->name : "");
}
static DEVICE_ATTR_RO(dialect);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  qisock_state_name(qisock_dev_state(to_qisock_dev(dev))));
}
static DEVICE_ATTR_RO(state);

static ssize_t recovery_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  qisock_recover_state_name(to_qisock_dev(dev)));
}
static DEVICE_ATTR_RO(recovery);

static struct attribute *qisock_attrs[] = {
	&dev_attr_tty.attr,
	&dev_attr_model.attr,
	&dev_attr_revision.attr,
	&dev_attr_dialect.attr,
	&dev_attr_state.attr,
	&dev_attr_recovery.attr,
	NULL
};

static const struct attribute_group qisock_group = {
	.attrs	= qisock_attrs,
};

static const struct attribute_group *qisock_groups[] = {
	&qisock_group,
	&qisock_stats_group,	/* qisock_stats.c */
	&qisock_status_group,	/* qisock_status.c */
	NULL
};

/* The sockets share the class; these attributes are the modem's only. */
static struct class qisock_class = {
	.name		= QISOCK_CLASS,
};

int qisock_class_init(void)
{
	int ret = qisock_chrdev_init();

	if (ret)
		return ret;
	ret = class_register(&qisock_class);
	if (ret)
		qisock_chrdev_exit();
	return ret;
}

void qisock_class_exit(void)
{
	class_unregister(&qisock_class);
	qisock_chrdev_exit();
	ida_destroy(&qisock_ida);
}

/**
 * qisock_dev_state_changed() - tell pollers of "state" and udev.
 * @qd: the device; process context (may be the receive path).
 *
 * Every change of qd->state ends here: poll(2)/select(2) on the "state"
 * attribute wake (POLLPRI), and a KOBJ_CHANGE uevent carries
 * QISOCK_STATE=<state>.
 */
void qisock_dev_state_changed(struct qisock_dev *qd)
{
	char env[32];
	char *envp[2];

	if (!qd->added)
		return;
	envp[0] = env;
	envp[1] = NULL;
	snprintf(env, sizeof(env), "QISOCK_STATE=%s",
		 qisock_state_name(qisock_dev_state(qd)));
	sysfs_notify(&qd->dev.kobj, NULL, "state");
	kobject_uevent_env(&qd->dev.kobj, KOBJ_CHANGE, envp);
}

/* ---- URCs --------------------------------------------------------------- */

static void qisock_urc(void *priv, const struct qp_line *line)
{
	struct qisock_dev *qd = priv;
	bool reprobe = false;

	if (line->code != QP_URC_RDY) {
		qisock_sock_urc(qd, line);
		return;
	}
	/* the module restarted: every socket it had is gone */
	qisock_pdp_forget_deact(qd);
	qisock_socks_fail_all(qd, ENETRESET);
	qisock_svc_fail_all(qd, -ENETRESET);	/* and its DNS, ping, NTP */
	qisock_ctxs_down(qd);		/* its contexts came back down */

	qisock_recover_event(qd, QISOCK_RCV_EV_RDY);

	/*
	 * RDY after the probe: the module restarted (echo is back on; by
	 * itself, or recovery restarted it), or it was off when we probed
	 * and has just powered up. Probe again.
	 */
	spin_lock(&qd->lock);
	if (qd->state == QISOCK_READY || qd->state == QISOCK_FAILED ||
	    qd->state == QISOCK_RECOVERING) {
		qd->state = QISOCK_PROBING;
		reprobe = true;
	}
	spin_unlock(&qd->lock);
	if (reprobe) {
		dev_info(&qd->dev, "module started (RDY), probing again\n");
		qisock_dev_state_changed(qd);	/* "probing" */
		reinit_completion(&qd->probe_done);
		schedule_work(&qd->probe_work);
	}
}

static void qisock_urc_data(void *priv, const u8 *buf, u32 len, bool last)
{
	qisock_sock_urc_data(priv, buf, len, last);
}

/* A resync got no answer at all: the module may have stopped answering. */
static void qisock_silent(void *priv)
{
	qisock_recover_event(priv, QISOCK_RCV_EV_SILENT);
}

/* The module may have slept: it kept data it did not announce. */
static void qisock_woke(void *priv)
{
	qisock_sock_reread(priv);
}

static const struct qat_client_ops qisock_client_ops = {
	.urc		= qisock_urc,
	.urc_data	= qisock_urc_data,
	.silent		= qisock_silent,
	.woke		= qisock_woke,
};

/* ---- lifetime ----------------------------------------------------------- */

static void qisock_dev_release(struct device *dev)
{
	struct qisock_dev *qd = to_qisock_dev(dev);

	ida_free(&qisock_ida, qd->id);
	kfree(qd);
}

/**
 * qisock_dev_create() - allocate a device for a newly attached modem.
 * @parent: the port's device (the tty's), or NULL: the modem sits under
 *	it in sysfs, so udev rules can match the port it is attached to.
 * @tty_name: name of the port, for sysfs "tty" and messages.
 * @xops: the transport.
 * @xpriv: first argument of @xops.
 *
 * Return: the device (not yet visible), or an ERR_PTR().
 */
struct qisock_dev *qisock_dev_create(struct device *parent,
				     const char *tty_name,
				     const struct qisock_xport_ops *xops,
				     void *xpriv)
{
	struct qisock_dev *qd;
	int ret;

	qd = kzalloc(sizeof(*qd), GFP_KERNEL);
	if (!qd)
		return ERR_PTR(-ENOMEM);
	/* every modem gets its nodes: refuse one there are no minors for */
	qd->id = ida_alloc_max(&qisock_ida, QISOCK_MAX_DEVS - 1, GFP_KERNEL);
	if (qd->id < 0) {
		ret = qd->id;
		kfree(qd);
		if (ret == -ENOSPC)
			pr_err("qisock: %s: already %d modems attached, refusing another\n",
			       tty_name, QISOCK_MAX_DEVS);
		return ERR_PTR(ret);
	}
	spin_lock_init(&qd->lock);
	qd->state = QISOCK_PROBING;
	qisock_strscpy(qd->tty_name, tty_name);
	qisock_probe_init(qd);
	qisock_recover_init(qd);
	init_rwsem(&qd->sock_rwsem);
	qisock_svc_init(&qd->svc);

	device_initialize(&qd->dev);
	qd->dev.class = &qisock_class;
	qd->dev.type = &qisock_node_type;
	qd->dev.parent = parent;
	qd->dev.groups = qisock_groups;
	qd->dev.release = qisock_dev_release;
	qd->dev.devt = qisock_devt(qd->id, 0);
	cdev_init(&qd->cdev, &qisock_ctl_fops);
	qd->cdev.owner = THIS_MODULE;
	ret = dev_set_name(&qd->dev, "qisock%d", qd->id);
	if (ret) {
		put_device(&qd->dev);
		return ERR_PTR(ret);
	}
	qisock_at_init(&qd->eng, xops, xpriv, &qisock_client_ops, qd, &qd->dev);
	return qd;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dev_create);

/**
 * qisock_dev_start() - make the device visible and start the probe.
 * @qd: the device.
 *
 * Return: 0 or a negative errno (then call qisock_dev_destroy()).
 */
int qisock_dev_start(struct qisock_dev *qd)
{
	int ret;

	if (MAJOR(qd->dev.devt))
		ret = cdev_device_add(&qd->cdev, &qd->dev);
	else
		ret = device_add(&qd->dev);
	if (ret)
		return ret;
	qd->added = true;
	schedule_work(&qd->probe_work);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dev_start);

/**
 * qisock_dev_receive() - bytes from the modem.
 * @qd: the device.
 * @buf: the bytes.
 * @len: their number.
 *
 * Process context. Only parses and dispatches; never waits for the modem.
 */
void qisock_dev_receive(struct qisock_dev *qd, const u8 *buf, size_t len)
{
	qisock_at_receive(&qd->eng, buf, len);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dev_receive);

/**
 * qisock_dev_tx_wakeup() - the transport has room again (any context).
 * @qd: the device.
 */
void qisock_dev_tx_wakeup(struct qisock_dev *qd)
{
	qisock_at_tx_kick(&qd->eng);
}

/**
 * qisock_dev_hangup() - the line is gone: fail everything, stop the probe.
 * @qd: the device.
 *
 * Idempotent; sleeps. The memory and sysfs stay until qisock_dev_destroy().
 */
void qisock_dev_hangup(struct qisock_dev *qd)
{
	bool changed;

	spin_lock(&qd->lock);
	changed = qd->state != QISOCK_GONE;
	qd->state = QISOCK_GONE;
	spin_unlock(&qd->lock);

	qisock_at_shutdown(&qd->eng, -ENODEV);	/* wakes a waiting probe */
	cancel_work_sync(&qd->probe_work);
	qisock_recover_stop(qd);	/* after the probe: it reports there */
	qisock_socks_remove(qd);	/* open files now get EIO */
	qisock_svc_shutdown(qd);	/* and their requests too */
	qisock_pdp_forget_deact(qd);
	if (changed)
		qisock_dev_state_changed(qd);
	complete_all(&qd->probe_done);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dev_hangup);

/**
 * qisock_dev_destroy() - detach: hang up, remove sysfs, drop the device.
 * @qd: the device.
 */
void qisock_dev_destroy(struct qisock_dev *qd)
{
	qisock_dev_hangup(qd);
	qisock_ctxs_remove(qd);
	qisock_qicfg_remove(qd);
	qisock_at_destroy(&qd->eng);
	if (qd->added && MAJOR(qd->dev.devt))
		cdev_device_del(&qd->cdev, &qd->dev);
	else if (qd->added)
		device_del(&qd->dev);
	put_device(&qd->dev);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dev_destroy);
