// SPDX-License-Identifier: GPL-2.0
/*
 * qisock device object: lifetime, probe conversation and sysfs class.
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

/* NULs before the first ATs: 3 x 487 bytes end a 1460-byte data phase. */
#define QISOCK_PAD		485
#define QISOCK_PAD_TRIES	3
/* Marker round trips that prove the answers are ours, and the pause between. */
#define QISOCK_SYNC_TRIES	3
#define QISOCK_SYNC_QUIET_MS	200

static const struct qisock_probe_cfg qisock_probe_defaults = {
	.at_tries	= 5,	/* each unanswered one also costs a resync */
	.at_timeout_ms	= 500,
	.cmd_timeout_ms	= QAT_TIMEOUT_MS,
};

static const char * const qisock_state_names[] = {
	[QISOCK_PROBING]	= QISOCK_STATE_PROBING,
	[QISOCK_READY]		= QISOCK_STATE_READY,
	[QISOCK_FAILED]		= QISOCK_STATE_FAILED,
	[QISOCK_GONE]		= QISOCK_STATE_GONE,
};

const char *qisock_state_name(enum qisock_state state)
{
	if (state >= ARRAY_SIZE(qisock_state_names))
		return "unknown";
	return qisock_state_names[state];
}

enum qisock_state qisock_dev_state(struct qisock_dev *qd)
{
	enum qisock_state state;

	spin_lock(&qd->lock);
	state = qd->state;
	spin_unlock(&qd->lock);
	return state;
}

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

static struct attribute *qisock_attrs[] = {
	&dev_attr_tty.attr,
	&dev_attr_model.attr,
	&dev_attr_revision.attr,
	&dev_attr_dialect.attr,
	&dev_attr_state.attr,
	NULL
};
ATTRIBUTE_GROUPS(qisock);

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

static void qisock_state_changed(struct qisock_dev *qd)
{
	if (!qd->added)
		return;
	sysfs_notify(&qd->dev.kobj, NULL, "state");
	kobject_uevent(&qd->dev.kobj, KOBJ_CHANGE);
}

/* ---- probe ------------------------------------------------------------ */

/* Identification rounds before a model is declared unsupported. */
#define QISOCK_IDENT_TRIES	3

/* Copy the printable ASCII of @src (@len bytes) into @dst. */
static void qisock_copy_printable(char *dst, size_t size, const char *src,
				  size_t len)
{
	size_t n = 0;

	while (len-- && n + 1 < size) {
		char c = *src++;

		if (c >= 0x20 && c < 0x7f)
			dst[n++] = c;
	}
	dst[n] = '\0';
}

/*
 * Next '\n'-terminated line of a command's response buffer, as a
 * NUL-terminated copy in @line. Returns false at the end.
 */
static bool qisock_next_line(const char **pos, char *line, size_t size)
{
	const char *p = *pos, *nl;

	if (!p || !*p)
		return false;
	nl = strchr(p, '\n');
	if (!nl)
		nl = p + strlen(p);
	qisock_copy_printable(line, size, p, nl - p);
	*pos = *nl ? nl + 1 : nl;
	return true;
}

static const char *qisock_skip_revision_tag(const char *s)
{
	static const char tag[] = "Revision:";

	if (!strncasecmp(s, tag, sizeof(tag) - 1))
		s += sizeof(tag) - 1;
	return skip_spaces(s);
}

/**
 * struct qisock_ident - what the identification commands told.
 * @dialect: the matched dialect, or NULL.
 * @canonical: the canonical model name when @dialect is set.
 * @raw: the model as answered (for messages and unknown models).
 * @revision: the firmware revision.
 */
struct qisock_ident {
	const struct qisock_dialect *dialect;
	const char *canonical;
	char raw[QISOCK_MODEL_MAX];
	char revision[QISOCK_REVISION_MAX];
};

/* Look for a known model among the lines of @resp. */
static void qisock_ident_model(struct qisock_ident *id, const char *resp,
			       bool first_is_raw)
{
	char line[QISOCK_REVISION_MAX];
	const char *pos = resp;

	while (!id->dialect && qisock_next_line(&pos, line, sizeof(line))) {
		id->dialect = qisock_dialect_match(line, &id->canonical);
		if (id->dialect || (first_is_raw && !id->raw[0]))
			qisock_strscpy(id->raw, line);
	}
}

static void qisock_ident_revision(struct qisock_ident *id, const char *resp,
				  bool need_tag)
{
	char line[QISOCK_REVISION_MAX + 16];
	const char *pos = resp;

	while (!id->revision[0] && qisock_next_line(&pos, line, sizeof(line))) {
		const char *rev = qisock_skip_revision_tag(line);

		if (need_tag && rev == skip_spaces(line))
			continue;
		qisock_strscpy(id->revision, rev);
	}
}

static int qisock_probe_query(struct qisock_dev *qd, const char *cmdline,
			      struct qat_cmd **out)
{
	struct qat_cmd *cmd;
	int ret;

	cmd = qat_cmd_new(qd->cfg.cmd_timeout_ms, 512, 0, "%s", cmdline);
	if (!cmd)
		return -ENOMEM;
	ret = qat_exec(&qd->eng, cmd);
	if (ret) {
		qat_cmd_put(cmd);
		return ret;
	}
	*out = cmd;
	return 0;
}

/* Fatal for the probe: the device went away or we cannot go on at all. */
static bool qisock_probe_fatal(int ret)
{
	return ret == -ENODEV || ret == -ENOMEM || ret == -ERESTARTSYS;
}

/*
 * "AT" for the first tries of the probe. The module may still be in the
 * data phase of an AT+QISEND=<id>,<len> from before (the host went away
 * after the '>'); it then takes up to 1460 bytes as data. The first tries
 * are therefore led by NUL bytes, which a module in command mode ignores:
 * three of them complete any data phase (on a socket the reconciliation
 * closes), and the AT behind the last one is answered.
 */
static int qisock_probe_at(struct qisock_dev *qd, unsigned int try)
{
	struct qat_cmd *cmd;
	int ret;

	if (try >= QISOCK_PAD_TRIES)
		return qat_simple(&qd->eng, qd->cfg.at_timeout_ms, "AT");
	cmd = qat_cmd_new(qd->cfg.at_timeout_ms, 0, 0, "%*sAT", QISOCK_PAD,
			  "");
	if (!cmd)
		return -ENOMEM;
	memset(cmd->line, 0, QISOCK_PAD);
	ret = qat_exec(&qd->eng, cmd);
	qat_cmd_put(cmd);
	return ret;
}

/*
 * A re-attach right after a detach can find an answer to the last owner's
 * command still on its way: a stale OK completes our AT and every later
 * answer lands one command late. AT+QIGETERROR (both dialects; it only
 * reads the last error) is answered with its own "+QIGETERROR:" line, so
 * an answer that has it proves the line is in step. One without it took a
 * stale final: a quiet pause lets the rest arrive with no command waiting
 * (dropped as stray), then ask again. A module that does not answer it is
 * not refused; the identification retries remain.
 */
static int qisock_probe_sync(struct qisock_dev *qd)
{
	struct qat_cmd *cmd;
	unsigned int i;
	bool ours;
	int ret;

	for (i = 0; i < QISOCK_SYNC_TRIES; i++) {
		ret = qisock_probe_query(qd, "AT+QIGETERROR", &cmd);
		if (qisock_probe_fatal(ret))
			return ret;
		if (!ret) {
			ours = strstr(cmd->resp, "+QIGETERROR:");
			qat_cmd_put(cmd);
			if (ours)
				return 0;
		}
		msleep(QISOCK_SYNC_QUIET_MS);
	}
	dev_warn(&qd->dev, "AT+QIGETERROR: no answer of its own (%d)\n", ret);
	return 0;
}

/*
 * Ask ATI, AT+CGMM and AT+CGMR and pick the dialect. Returns 0, a fatal
 * error, or -EOPNOTSUPP when the answers name no known model.
 */
static int qisock_probe_ident(struct qisock_dev *qd, struct qisock_ident *id)
{
	struct qat_cmd *ati = NULL, *cgmm = NULL, *cgmr = NULL;
	int ret;

	memset(id, 0, sizeof(*id));
	ret = qisock_probe_query(qd, "ATI", &ati);
	if (qisock_probe_fatal(ret))
		goto out;
	ret = qisock_probe_query(qd, "AT+CGMM", &cgmm);
	if (qisock_probe_fatal(ret))
		goto out;
	ret = qisock_probe_query(qd, "AT+CGMR", &cgmr);
	if (qisock_probe_fatal(ret))
		goto out;

	/*
	 * AT+CGMM is the model; ATI ("Quectel", model, "Revision: x") backs
	 * it up. AT+CGMR is the revision, else ATI's "Revision:" line.
	 */
	if (cgmm)
		qisock_ident_model(id, cgmm->resp, true);
	if (ati && !id->dialect)
		qisock_ident_model(id, ati->resp, false);
	if (cgmr)
		qisock_ident_revision(id, cgmr->resp, false);
	if (ati && !id->revision[0])
		qisock_ident_revision(id, ati->resp, true);

	if (!id->dialect) {
		if (!cgmm && !ati)
			dev_err(&qd->dev, "identification failed (ATI, AT+CGMM): %d\n",
				ret);
		else
			dev_err(&qd->dev, "unsupported module model '%s' (supported: EC200U, EG915U, BC66, BC66-NA)\n",
				id->raw[0] ? id->raw : "?");
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = 0;
out:
	qat_cmd_put(ati);
	qat_cmd_put(cgmm);
	qat_cmd_put(cgmr);
	return ret;
}

static int qisock_probe(struct qisock_dev *qd, struct qisock_ident *id)
{
	struct qat_engine *eng = &qd->eng;
	unsigned int i;
	int ret = -ETIMEDOUT;

	/*
	 * The module may still be booting (RDY comes later), may echo our
	 * commands, may have garbage in flight: the parser drops garbage and
	 * echo, the engine ignores unsolicited RDY, and we simply retry.
	 */
	for (i = 0; i < qd->cfg.at_tries; i++) {
		ret = qisock_probe_at(qd, i);
		if (!ret || qisock_probe_fatal(ret))
			break;
	}
	if (ret) {
		if (!qisock_probe_fatal(ret))
			dev_err(&qd->dev, "%s: no answer to AT after %u tries\n",
				qd->tty_name, i);
		return ret;
	}
	ret = qisock_probe_sync(qd);
	if (ret)
		return ret;

	ret = qat_simple(eng, qd->cfg.cmd_timeout_ms, "ATE0");
	if (ret) {
		if (!qisock_probe_fatal(ret))
			dev_err(&qd->dev, "ATE0 failed: %d\n", ret);
		return ret;
	}
	ret = qat_simple(eng, qd->cfg.cmd_timeout_ms, "AT+CMEE=1");
	if (qisock_probe_fatal(ret))
		return ret;
	if (ret)
		dev_warn(&qd->dev, "AT+CMEE=1 failed: %d\n", ret);

	/*
	 * A late answer from before a resync can still shift the replies of
	 * the identification commands by one; a second round, after a fresh
	 * AT round trip, settles that. A module that really is unknown fails
	 * every round.
	 */
	for (i = 0; i < QISOCK_IDENT_TRIES; i++) {
		ret = qisock_probe_ident(qd, id);
		if (ret != -EOPNOTSUPP || i + 1 == QISOCK_IDENT_TRIES)
			break;
		ret = qisock_probe_at(qd, 0);
		if (qisock_probe_fatal(ret))
			return ret;
	}
	if (ret)
		return ret;
	qat_set_dialect(eng, id->dialect->lines);
	/* fix the wire format, close what the module still holds */
	ret = qisock_sock_pin(qd, id->dialect);
	if (ret && !qisock_probe_fatal(ret))
		ret = 0;
	return ret;
}

static void qisock_probe_work(struct work_struct *work)
{
	struct qisock_dev *qd = container_of(work, struct qisock_dev,
					     probe_work);
	struct qisock_ident id = { };
	bool changed = false;
	int ret;

	ret = qisock_probe(qd, &id);

	spin_lock(&qd->lock);
	if (qd->state != QISOCK_GONE) {
		qd->state = ret ? QISOCK_FAILED : QISOCK_READY;
		qd->dialect = ret ? NULL : id.dialect;
		if (id.dialect)
			qisock_strscpy(qd->model, id.canonical);
		else
			qisock_strscpy(qd->model, id.raw);
		qisock_strscpy(qd->revision, id.revision);
		changed = true;
	}
	spin_unlock(&qd->lock);

	if (changed) {
		if (!ret) {
			dev_info(&qd->dev, "%s %s on %s, dialect %s\n",
				 id.canonical, id.revision, qd->tty_name,
				 id.dialect->name);
			ret = qisock_socks_create(qd);
			if (ret)
				dev_err(&qd->dev, "cannot create sockets: %d\n",
					ret);
		}
		qisock_state_changed(qd);
	}
	complete_all(&qd->probe_done);
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
	qisock_sock_forget_deact(qd);
	qisock_socks_fail_all(qd, ENETRESET);

	/*
	 * RDY after the probe: the module restarted (echo is back on), or it
	 * was off when we probed and has just powered up. Probe again.
	 */
	spin_lock(&qd->lock);
	if (qd->state == QISOCK_READY || qd->state == QISOCK_FAILED) {
		qd->state = QISOCK_PROBING;
		reprobe = true;
	}
	spin_unlock(&qd->lock);
	if (reprobe) {
		dev_info(&qd->dev, "module started (RDY), probing again\n");
		reinit_completion(&qd->probe_done);
		schedule_work(&qd->probe_work);
	}
}

static void qisock_urc_data(void *priv, const u8 *buf, u32 len, bool last)
{
	qisock_sock_urc_data(priv, buf, len, last);
}

static const struct qat_client_ops qisock_client_ops = {
	.urc		= qisock_urc,
	.urc_data	= qisock_urc_data,
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
 * @tty_name: name of the port, for sysfs "tty" and messages.
 * @xops: the transport.
 * @xpriv: first argument of @xops.
 *
 * Return: the device (not yet visible), or an ERR_PTR().
 */
struct qisock_dev *qisock_dev_create(const char *tty_name,
				     const struct qisock_xport_ops *xops,
				     void *xpriv)
{
	struct qisock_dev *qd;
	int ret;

	qd = kzalloc(sizeof(*qd), GFP_KERNEL);
	if (!qd)
		return ERR_PTR(-ENOMEM);
	qd->id = ida_alloc(&qisock_ida, GFP_KERNEL);
	if (qd->id < 0) {
		ret = qd->id;
		kfree(qd);
		return ERR_PTR(ret);
	}
	spin_lock_init(&qd->lock);
	qd->state = QISOCK_PROBING;
	qisock_strscpy(qd->tty_name, tty_name);
	qd->cfg = qisock_probe_defaults;
	INIT_WORK(&qd->probe_work, qisock_probe_work);
	init_completion(&qd->probe_done);
	init_rwsem(&qd->sock_rwsem);

	device_initialize(&qd->dev);
	qd->dev.class = &qisock_class;
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
	qat_init(&qd->eng, xops, xpriv, &qisock_client_ops, qd, &qd->dev);
	return qd;
}

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
	qat_receive(&qd->eng, buf, len);
}

/**
 * qisock_dev_tx_wakeup() - the transport has room again (any context).
 * @qd: the device.
 */
void qisock_dev_tx_wakeup(struct qisock_dev *qd)
{
	qat_tx_kick(&qd->eng);
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

	qat_shutdown(&qd->eng, -ENODEV);	/* wakes a waiting probe */
	cancel_work_sync(&qd->probe_work);
	qisock_socks_remove(qd);	/* open files now get EIO */
	qisock_sock_forget_deact(qd);
	if (changed)
		qisock_state_changed(qd);
	complete_all(&qd->probe_done);
}

/**
 * qisock_dev_destroy() - detach: hang up, remove sysfs, drop the device.
 * @qd: the device.
 */
void qisock_dev_destroy(struct qisock_dev *qd)
{
	qisock_dev_hangup(qd);
	qat_destroy(&qd->eng);
	if (qd->added && MAJOR(qd->dev.devt))
		cdev_device_del(&qd->cdev, &qd->dev);
	else if (qd->added)
		device_del(&qd->dev);
	put_device(&qd->dev);
}
