// SPDX-License-Identifier: GPL-2.0
/*
 * qisock tty line discipline: the only file that knows about ttys.
 *
 * Contexts and the close-versus-receive race:
 *  - open/close run with the tty's ldisc semaphore held for writing, so no
 *    receive_buf or write_wakeup of this ldisc runs at the same time and
 *    none starts before open returns or after close begins.
 *  - hangup runs with only a reference on the ldisc: receive_buf and
 *    write_wakeup may run concurrently. So hangup only shuts the engine
 *    down (under its rx_mutex, which receive_buf also takes) and frees
 *    nothing; close, which follows, frees.
 *  - receive_buf (process context, flush_to_ldisc) only feeds the parser.
 *  - write_wakeup may run in hard IRQ with the port lock held: it only
 *    kicks the engine's tx work, which does the writing.
 *  - The engine's work items write to the tty; qisock_dev_destroy() waits
 *    for them before close returns, so the tty outlives every write.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/tty.h>
#include <linux/tty_ldisc.h>

#include "qisock.h"
#include "qisock_compat.h"

/**
 * struct qisock_ldisc - tty side of one attached modem (tty->disc_data).
 * @tty: the tty, valid from open to close.
 * @qd: the device; freed by close through qisock_dev_destroy().
 */
struct qisock_ldisc {
	struct tty_struct *tty;
	struct qisock_dev *qd;
};

static ssize_t qisock_ldisc_xmit(void *priv, const u8 *buf, size_t len)
{
	struct qisock_ldisc *ld = priv;
	struct tty_struct *tty = ld->tty;
	ssize_t n;

	/* Ask for write_wakeup before writing, or a wakeup may be lost. */
	set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	n = tty->ops->write(tty, buf, len);
	if (n >= 0 && (size_t)n >= len)
		clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	return n;
}

static const struct qisock_xport_ops qisock_ldisc_xport = {
	.write = qisock_ldisc_xmit,
};

static int qisock_ldisc_open(struct tty_struct *tty)
{
	struct qisock_ldisc *ld;
	struct qisock_dev *qd;
	int ret;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (!tty->ops->write)
		return -EOPNOTSUPP;

	ld = kzalloc(sizeof(*ld), GFP_KERNEL);
	if (!ld)
		return -ENOMEM;
	ld->tty = tty;

	qd = qisock_dev_create(tty->dev, tty_name(tty), &qisock_ldisc_xport,
			       ld);
	if (IS_ERR(qd)) {
		kfree(ld);
		return PTR_ERR(qd);
	}
	ld->qd = qd;

	tty->receive_room = 65536;	/* no flow control towards the tty */
	tty->disc_data = ld;

	ret = qisock_dev_start(qd);	/* the probe runs on a work item */
	if (ret) {
		tty->disc_data = NULL;
		qisock_dev_destroy(qd);
		kfree(ld);
		return ret;
	}
	return 0;
}

static void qisock_ldisc_close(struct tty_struct *tty)
{
	struct qisock_ldisc *ld = tty->disc_data;

	if (!ld)
		return;
	/*
	 * Order: fail commands and stop the work items (they write to the
	 * tty), then stop wakeups and drop unsent bytes, then drop sysfs and
	 * the device.
	 */
	qisock_dev_hangup(ld->qd);
	clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	tty_driver_flush_buffer(tty);	/* no half-written command left */
	tty->disc_data = NULL;
	qisock_dev_destroy(ld->qd);
	kfree(ld);
}

static void qisock_ldisc_hangup(struct tty_struct *tty)
{
	struct qisock_ldisc *ld = tty->disc_data;

	if (ld)
		qisock_dev_hangup(ld->qd);
}

static void qisock_ldisc_receive(QISOCK_RX_PARAMS)
{
	struct qisock_ldisc *ld = tty->disc_data;
	qisock_rx_count_t i, start = 0;

	if (!ld || !count)
		return;
	if (!fp) {
		qisock_dev_receive(ld->qd, cp, count);
		return;
	}
	/*
	 * A byte with a parity or framing error took its slot on the wire:
	 * keep it, or a binary block shifts. TTY_BREAK and TTY_OVERRUN bytes
	 * are inserted by the driver (no data byte behind them): drop them.
	 * Either way the answer in progress is damaged: the engine fails the
	 * command it belongs to and resyncs.
	 */
	for (i = 0; i < count; i++) {
		if (fp[i] == TTY_NORMAL)
			continue;
		if (i > start)
			qisock_dev_receive(ld->qd, cp + start, i - start);
		qisock_at_rx_error(&ld->qd->eng);
		start = i;
		if (fp[i] == TTY_BREAK || fp[i] == TTY_OVERRUN)
			start = i + 1;
	}
	if (count > start)
		qisock_dev_receive(ld->qd, cp + start, count - start);
}

static void qisock_ldisc_write_wakeup(struct tty_struct *tty)
{
	struct qisock_ldisc *ld = tty->disc_data;

	if (ld)
		qisock_dev_tx_wakeup(ld->qd);
}

static struct tty_ldisc_ops qisock_ldisc_ops = {
	.owner		= THIS_MODULE,
	.name		= "qisock",
	.open		= qisock_ldisc_open,
	.close		= qisock_ldisc_close,
	.hangup		= qisock_ldisc_hangup,
	.receive_buf	= qisock_ldisc_receive,
	.write_wakeup	= qisock_ldisc_write_wakeup,
};

int qisock_ldisc_register(int num)
{
	qisock_ldisc_ops.num = num;
	return tty_register_ldisc(&qisock_ldisc_ops);
}

void qisock_ldisc_unregister(void)
{
	tty_unregister_ldisc(&qisock_ldisc_ops);
}
