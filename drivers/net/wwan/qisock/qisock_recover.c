// SPDX-License-Identifier: GPL-2.0
/*
 * qisock recovery: a module that stops answering is restarted, with the
 * EC200U note's back-off between restarts in a row, and what was set up
 * comes back. The states, events and every transition are in
 * qisock_recover.h; this file is the step function and what the
 * transitions ask for.
 *
 * The restart is AT+CFUN=1,1. A module whose AT interpreter hangs may not
 * execute it; then no RDY comes, and the next restart follows the
 * schedule (a reset line, once one is wired, is the better tool there).
 * After RDY the usual path runs: the probe identifies the module again and
 * pins the wire format, contexts' configuration is written back
 * (qisock_ctxs_restore()), autoconnect contexts come up, and their DNS
 * servers are set again when they are up (qisock_ctx_dns.c).
 */
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sysfs.h>

#include "qisock.h"
#include "qisock_compat.h"

/*
 * The EC200U note, 2.3 note 3: the delay before the n-th restart in a row
 * (index n - 1), in seconds. "When the module has been continuously
 * rebooted for 3 times ..., it can be rebooted immediately for the first
 * time after that. If it still fails, reboot the module after 10 minutes
 * for the second time, and reboot after 30 minutes for the third time,
 * one hour for the fourth time, etc.": the hour repeats.
 */
static const unsigned int qisock_rcv_schedule_s[] = {
	0, 0, 0,	/* rebooted continuously three times */
	0,		/* at once, the first time after that */
	600,		/* 10 minutes, the second time */
	1800,		/* 30 minutes, the third time */
	3600,		/* one hour, the fourth time and after */
};

static const char * const qisock_rcv_state_names[] = {
	[QISOCK_RCV_IDLE]	= "idle",
	[QISOCK_RCV_CHECK]	= "check",
	[QISOCK_RCV_BACKOFF]	= "backoff",
	[QISOCK_RCV_WAIT_RDY]	= "wait_rdy",
	[QISOCK_RCV_RESTORE]	= "restore",
	[QISOCK_RCV_STOPPED]	= "stopped",
};

static const struct qisock_rcv_cfg qisock_rcv_defaults = {
	.silent_ms	= QISOCK_RCV_SILENT_MS,
	.check_ms	= QISOCK_RCV_CHECK_MS,
	.rdy_ms		= QISOCK_RCV_RDY_MS,
	.stable_ms	= QISOCK_RCV_STABLE_MS,
	.cfun_ms	= QISOCK_RCV_CFUN_MS,
	.unit_ms	= 1000,
};

/**
 * struct qisock_rcv_act - what a transition asks for, done without the lock.
 * @check: send a check "AT" (work item only).
 * @hung: the module is hung: fail what it held (work item only).
 * @restart: send AT+CFUN=1,1 (work item only).
 * @recovering: the modem's state becomes "recovering".
 * @recovered: the module is back.
 * @changed: the state changed (sysfs "recovery" pollers).
 * @in_row: restarts in a row, for messages.
 * @delay_ms: the timer was armed with this delay.
 */
struct qisock_rcv_act {
	bool check;
	bool hung;
	bool restart;
	bool recovering;
	bool recovered;
	bool changed;
	unsigned int in_row;
	unsigned int delay_ms;
};

/**
 * qisock_recover_backoff_ms() - the delay before the @n-th restart in a row.
 * @cfg: the timing (unit_ms: one second of the schedule).
 * @n: 1 for the first restart.
 *
 * Return: milliseconds.
 */
unsigned int qisock_recover_backoff_ms(const struct qisock_rcv_cfg *cfg,
				       unsigned int n)
{
	unsigned int i = min_t(unsigned int, n ? n - 1 : 0,
			       ARRAY_SIZE(qisock_rcv_schedule_s) - 1);

	return qisock_rcv_schedule_s[i] * cfg->unit_ms;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_recover_backoff_ms);

/* Lock held: the timer fires in @ms (never once stopped). */
static void qisock_rcv_arm(struct qisock_recover *rcv, unsigned int ms)
{
	mod_delayed_work(system_wq, &rcv->work, msecs_to_jiffies(ms));
}

/*
 * Into BACKOFF: count the restart, wait the schedule's delay. @outage: a
 * new outage begins (from CHECK); one long after the last recovery starts
 * the schedule from the beginning.
 */
static enum qisock_rcv_state qisock_rcv_backoff(struct qisock_recover *rcv,
						struct qisock_rcv_act *act,
						bool outage)
{
	if (outage && rcv->recovered &&
	    time_after_eq(jiffies, rcv->ok_since +
				   msecs_to_jiffies(rcv->cfg.stable_ms)))
		rcv->in_row = 0;
	if (rcv->in_row < UINT_MAX)
		rcv->in_row++;
	act->in_row = rcv->in_row;
	act->delay_ms = qisock_recover_backoff_ms(&rcv->cfg, rcv->in_row);
	act->recovering = true;
	qisock_rcv_arm(rcv, act->delay_ms);
	return QISOCK_RCV_BACKOFF;
}

/* SILENT: watch a module that has been identified; the probe does the rest. */
static enum qisock_rcv_state qisock_rcv_on_silent(struct qisock_recover *rcv,
						  bool ready,
						  unsigned long rx_last)
{
	if (rcv->state != QISOCK_RCV_IDLE || !ready)
		return rcv->state;
	rcv->rx_mark = rx_last;
	rcv->check_since = jiffies;
	qisock_rcv_arm(rcv, 0);		/* the first check at once */
	return QISOCK_RCV_CHECK;
}

/* TIMER in CHECK: answered since, still asking, or hung. */
static enum qisock_rcv_state qisock_rcv_on_check(struct qisock_recover *rcv,
						 struct qisock_rcv_act *act,
						 unsigned long rx_last)
{
	if (rx_last != rcv->rx_mark)
		return QISOCK_RCV_IDLE;		/* a byte came: it lives */
	/* silent_ms of checks without a byte, not since the last byte ever */
	if (time_before(jiffies, rcv->check_since +
			msecs_to_jiffies(rcv->cfg.silent_ms))) {
		act->check = true;
		qisock_rcv_arm(rcv, rcv->cfg.check_ms);
		return QISOCK_RCV_CHECK;
	}
	act->hung = true;
	return qisock_rcv_backoff(rcv, act, true);
}

static enum qisock_rcv_state qisock_rcv_on_timer(struct qisock_recover *rcv,
						 struct qisock_rcv_act *act,
						 unsigned long rx_last)
{
	switch (rcv->state) {
	case QISOCK_RCV_CHECK:
		return qisock_rcv_on_check(rcv, act, rx_last);
	case QISOCK_RCV_BACKOFF:
		/* the delay is over: restart it; CFUN_DONE starts the RDY wait */
		act->restart = true;
		act->in_row = rcv->in_row;
		return QISOCK_RCV_WAIT_RDY;
	case QISOCK_RCV_WAIT_RDY:
		/* no RDY: that restart failed, the next one per the schedule */
		return qisock_rcv_backoff(rcv, act, false);
	default:
		return rcv->state;	/* a timer that lost a race: nothing */
	}
}

/* RDY: the module restarted, by itself or because it was told to. */
static enum qisock_rcv_state qisock_rcv_on_rdy(struct qisock_recover *rcv)
{
	switch (rcv->state) {
	case QISOCK_RCV_CHECK:
		cancel_delayed_work(&rcv->work);
		return QISOCK_RCV_IDLE;
	case QISOCK_RCV_BACKOFF:
	case QISOCK_RCV_WAIT_RDY:
		cancel_delayed_work(&rcv->work);
		return QISOCK_RCV_RESTORE;
	default:
		return rcv->state;
	}
}

/* PROBED / PROBE_FAILED: only the probe after a restart of ours counts. */
static enum qisock_rcv_state qisock_rcv_on_probe(struct qisock_recover *rcv,
						 struct qisock_rcv_act *act,
						 bool ok)
{
	if (rcv->state != QISOCK_RCV_RESTORE)
		return rcv->state;
	if (!ok)
		return qisock_rcv_backoff(rcv, act, false);
	rcv->ok_since = jiffies;
	rcv->recovered = true;
	act->recovered = true;
	act->in_row = rcv->in_row;
	return QISOCK_RCV_IDLE;
}

/*
 * The transition function: the one place the state changes. rcv->lock
 * held; what the new state needs done without it goes into @act.
 */
static void qisock_rcv_step(struct qisock_recover *rcv,
			    enum qisock_rcv_event ev, bool ready,
			    unsigned long rx_last, struct qisock_rcv_act *act)
{
	enum qisock_rcv_state next = rcv->state;

	lockdep_assert_held(&rcv->lock);
	if (rcv->state == QISOCK_RCV_STOPPED)
		return;			/* detached: nothing moves any more */
	switch (ev) {
	case QISOCK_RCV_EV_SILENT:
		next = qisock_rcv_on_silent(rcv, ready, rx_last);
		break;
	case QISOCK_RCV_EV_TIMER:
		next = qisock_rcv_on_timer(rcv, act, rx_last);
		break;
	case QISOCK_RCV_EV_CFUN_DONE:
		/* the module has had the restart: RDY should follow */
		if (rcv->state == QISOCK_RCV_WAIT_RDY)
			qisock_rcv_arm(rcv, rcv->cfg.rdy_ms);
		break;
	case QISOCK_RCV_EV_RDY:
		next = qisock_rcv_on_rdy(rcv);
		break;
	case QISOCK_RCV_EV_PROBED:
	case QISOCK_RCV_EV_PROBE_FAILED:
		next = qisock_rcv_on_probe(rcv, act,
					   ev == QISOCK_RCV_EV_PROBED);
		break;
	case QISOCK_RCV_EV_STOP:
		next = QISOCK_RCV_STOPPED;
		break;
	}
	act->changed = next != rcv->state;
	rcv->state = next;
}

/* READY or FAILED (a probe after a restart failed) becomes RECOVERING. */
static void qisock_rcv_set_recovering(struct qisock_dev *qd)
{
	bool changed = false;

	spin_lock(&qd->lock);
	if (qd->state == QISOCK_READY || qd->state == QISOCK_FAILED) {
		qd->state = QISOCK_RECOVERING;
		changed = true;
	}
	spin_unlock(&qd->lock);
	if (changed)
		qisock_dev_state_changed(qd);
}

/*
 * Hung: the module will forget everything; sockets and DNS, ping and NTP
 * requests fail with ENETDOWN, contexts go down (autoconnect waits for
 * "ready"), queued commands fail rather than each time out before the
 * restart can go out.
 */
static void qisock_rcv_hung(struct qisock_dev *qd)
{
	dev_warn(&qd->dev, "module does not answer, restarting it\n");
	mutex_lock(&qd->eng.rx_mutex);
	/* out of their queues first, so that none sends the next one */
	qisock_svc_fail_all(qd, -ENETDOWN);
	qisock_at_flush(&qd->eng, -ENETDOWN);
	qisock_pdp_forget_deact(qd);
	qisock_socks_fail_all(qd, ENETDOWN);
	qisock_ctxs_down(qd);
	mutex_unlock(&qd->eng.rx_mutex);
}

/* AT+CFUN=1,1 answered or timed out (engine context: only schedules). */
static void qisock_rcv_cfun_done(struct qat_cmd *cmd)
{
	qisock_recover_event(cmd->priv, QISOCK_RCV_EV_CFUN_DONE);
}

static const struct qat_cmd_ops qisock_rcv_cfun_ops = {
	.done	= qisock_rcv_cfun_done,
};

/*
 * AT+CFUN=1,1: full functionality and reset; RDY follows. Not sent (the
 * engine is gone, no memory): the RDY wait starts at once, as after a
 * restart the module did not answer.
 */
static void qisock_rcv_restart(struct qisock_dev *qd, unsigned int in_row)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(qd->rcv.cfg.cfun_ms, 0, 0,
						"AT+CFUN=1,1");
	int ret = -ENOMEM;

	if (cmd) {
		cmd->ops = &qisock_rcv_cfun_ops;
		cmd->priv = qd;
		ret = qisock_at_submit(&qd->eng, cmd);
	}
	if (ret)
		qisock_recover_event(qd, QISOCK_RCV_EV_CFUN_DONE);
	spin_lock(&qd->eng.lock);
	qd->eng.st.reboots++;
	spin_unlock(&qd->eng.lock);
	dev_warn(&qd->dev, "restart %u in a row (AT+CFUN=1,1)%s\n", in_row,
		 ret ? ", not sent" : "");
	qisock_at_cmd_put(cmd);
}

/* A check "AT", unless the last one is still out. Work item. */
static void qisock_rcv_check(struct qisock_dev *qd)
{
	struct qisock_recover *rcv = &qd->rcv;
	struct qat_cmd *done = NULL, *cmd;
	bool busy;

	spin_lock(&rcv->lock);
	busy = rcv->check && !completion_done(&rcv->check->done);
	if (!busy) {
		done = rcv->check;
		rcv->check = NULL;
	}
	spin_unlock(&rcv->lock);
	qisock_at_cmd_put(done);
	if (busy)
		return;
	cmd = qisock_at_cmd_new(0, 0, 0, "AT");
	if (!cmd)
		return;
	if (qisock_at_submit(&qd->eng, cmd)) {
		qisock_at_cmd_put(cmd);
		return;
	}
	spin_lock(&rcv->lock);
	rcv->check = cmd;	/* only this work item sets it */
	spin_unlock(&rcv->lock);
}

/* What a transition asked for, the lock dropped. */
static void qisock_rcv_apply(struct qisock_dev *qd,
			     const struct qisock_rcv_act *act)
{
	/*
	 * "recovering" first: from then on no system call and no service
	 * request sends anything, so nothing refills the queue the hung
	 * path empties (the autoconnect work it starts waits for "ready").
	 */
	if (act->recovering)
		qisock_rcv_set_recovering(qd);
	if (act->hung)
		qisock_rcv_hung(qd);
	if (act->check)
		qisock_rcv_check(qd);
	if (act->restart)
		qisock_rcv_restart(qd, act->in_row);
	if (act->recovered)
		dev_info(&qd->dev, "module recovered after %u restart(s)\n",
			 act->in_row);
	if (act->changed && qd->added)
		sysfs_notify(&qd->dev.kobj, NULL, "recovery");
}

/* Run @ev; returns what to do. */
static void qisock_rcv_run(struct qisock_dev *qd, enum qisock_rcv_event ev,
			   struct qisock_rcv_act *act)
{
	bool ready = qisock_dev_state(qd) == QISOCK_READY;
	unsigned long rx_last = READ_ONCE(qd->eng.rx_last);

	spin_lock(&qd->rcv.lock);
	qisock_rcv_step(&qd->rcv, ev, ready, rx_last, act);
	spin_unlock(&qd->rcv.lock);
}

static void qisock_rcv_work(struct work_struct *work)
{
	struct qisock_dev *qd = container_of(to_delayed_work(work),
					     struct qisock_dev, rcv.work);
	struct qisock_rcv_act act = { };

	qisock_rcv_run(qd, QISOCK_RCV_EV_TIMER, &act);
	qisock_rcv_apply(qd, &act);
}

/**
 * qisock_recover_event() - feed the machine an event (not TIMER, not STOP).
 * @qd: the modem; process context (the receive path, the probe work).
 * @ev: the event.
 *
 * Only the work item itself sends checks and restarts and fails what a
 * hung module held; here the state may change, the timer be armed or
 * stopped, and the modem's state become "recovering".
 */
void qisock_recover_event(struct qisock_dev *qd, enum qisock_rcv_event ev)
{
	struct qisock_rcv_act act = { };

	qisock_rcv_run(qd, ev, &act);	/* only TIMER asks for more */
	qisock_rcv_apply(qd, &act);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_recover_event);

/**
 * qisock_recover_stop() - detach: stop the machine for good.
 * @qd: the modem, its engine shut down. Sleeps.
 */
void qisock_recover_stop(struct qisock_dev *qd)
{
	struct qisock_rcv_act act = { };
	struct qat_cmd *check;

	qisock_rcv_run(qd, QISOCK_RCV_EV_STOP, &act);
	/* nothing arms the timer once STOPPED (it is armed under the lock) */
	cancel_delayed_work_sync(&qd->rcv.work);
	spin_lock(&qd->rcv.lock);
	check = qd->rcv.check;
	qd->rcv.check = NULL;
	spin_unlock(&qd->rcv.lock);
	qisock_at_cmd_put(check);
}

/**
 * qisock_recover_state_name() - what sysfs "recovery" shows.
 * @qd: the modem.
 *
 * Return: the state's name.
 */
const char *qisock_recover_state_name(struct qisock_dev *qd)
{
	enum qisock_rcv_state s;

	spin_lock(&qd->rcv.lock);
	s = qd->rcv.state;
	spin_unlock(&qd->rcv.lock);
	return qisock_rcv_state_names[s];
}
EXPORT_SYMBOL_IF_KUNIT(qisock_recover_state_name);

/**
 * qisock_recover_init() - set up the recovery of a new modem.
 * @qd: the modem, being created.
 */
void qisock_recover_init(struct qisock_dev *qd)
{
	spin_lock_init(&qd->rcv.lock);
	qd->rcv.state = QISOCK_RCV_IDLE;
	qd->rcv.cfg = qisock_rcv_defaults;
	INIT_DELAYED_WORK(&qd->rcv.work, qisock_rcv_work);
}
