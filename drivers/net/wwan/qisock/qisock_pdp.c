// SPDX-License-Identifier: GPL-2.0
/*
 * qisock PDP contexts: what happens when the network deactivates one
 * ("pdpdeact"): its sockets fail, and the context is deactivated as the
 * seed prescribes.
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

/**
 * qisock_pdp_forget_deact() - withdraw a QIDEACT not sent yet, drop it.
 * @qd: the modem (receive path, or after the engine's shutdown).
 */
void qisock_pdp_forget_deact(struct qisock_dev *qd)
{
	struct qat_cmd *cmd = qd->deact;

	qd->deact = NULL;
	if (cmd) {
		qisock_at_cancel(&qd->eng, cmd);
		qisock_at_cmd_put(cmd);
	}
}

/* Context @ctx went down: its sockets fail with ENETDOWN. */
static void qisock_pdp_fail_socks(struct qisock_dev *qd, int ctx)
{
	int i;

	for (i = 0; i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s = qisock_sock_get(qd, i);

		if (!s)
			continue;
		spin_lock(&s->lock);
		if (s->ctx == ctx)
			qisock_sock_fail_dead_locked(s, ENETDOWN);
		spin_unlock(&s->lock);
		qisock_sock_wake(s);
		qisock_sock_put(s);
	}
	qisock_listen_flush_failed(qd);
}

/**
 * qisock_pdp_down() - the host took context @ctx down (+QIDEACTEX): the
 *	module closed its connections, its sockets fail with ENETDOWN.
 * @qd: the modem (receive path).
 * @ctx: the context.
 */
void qisock_pdp_down(struct qisock_dev *qd, int ctx)
{
	qisock_pdp_fail_socks(qd, ctx);
}

void qisock_pdp_urc_deact(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	int ctx = qisock_urc_int(a, n, 0, 1, 16);
	const struct qisock_dialect *d;
	struct qat_cmd *cmd;

	if (ctx < 0)
		return;
	qisock_ctx_event(qd, ctx, false, -1);
	qisock_pdp_fail_socks(qd, ctx);
	/*
	 * The seed: the host must deactivate the context, sockets or not
	 * (the module refuses to activate it again before). Kept, so that a
	 * module reboot before it is sent withdraws it (it would deactivate
	 * the fresh context).
	 */
	/* the dialect's 40 s for it, also while probing after a restart */
	spin_lock(&qd->lock);
	d = qd->dialect;
	spin_unlock(&qd->lock);
	/* the BC66 has no AT+QIDEACT: it attaches again by itself ("+IP:") */
	if (d && !d->ctx_query)
		return;
	qisock_pdp_forget_deact(qd);
	cmd = qisock_cmd_new(d, QISOCK_CMD_QIDEACT, 0, 0, "AT+QIDEACT=%d", ctx);
	if (IS_ERR(cmd))
		return;
	if (qisock_at_submit(&qd->eng, cmd))
		qisock_at_cmd_put(cmd);
	else
		qd->deact = cmd;	/* our reference */
}
