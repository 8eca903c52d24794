/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock recovery: what the driver does when the module stops answering.
 *
 * The EC200U note (section 2.3, notes 1-3) says: reboot a module that does
 * not answer, and do not reboot it too often: after three reboots in a
 * row, the next one at once, then after 10 minutes, 30 minutes, one hour,
 * "etc.". The BC66 note says nothing; the same rules serve it.
 *
 * A module has stopped answering when a resync of the AT engine ended
 * without one answer to its probes (the client op "silent"), and then no
 * byte at all came from it for QISOCK_RCV_SILENT_MS although the driver
 * kept asking (an "AT" every QISOCK_RCV_CHECK_MS). Only a module that has
 * been identified is watched: before that the probe decides.
 *
 * The machine (&enum qisock_rcv_state) changes state only in
 * qisock_rcv_step(), for one &enum qisock_rcv_event at a time, under
 * &qisock_recover.lock; what a transition asks for (check, declare the
 * module hung, restart it, arm the timer) is done by the caller once the
 * lock is dropped (&struct qisock_rcv_act):
 *
 * From       Event          To        What happens
 * ---------  -------------  --------  --------------------------------------
 * IDLE       SILENT(ready)  CHECK     checks begin ("AT", timer)
 * CHECK      TIMER          IDLE      a byte came since: it answers again
 * CHECK      TIMER          CHECK     silent, not long enough: another AT
 * CHECK      TIMER          BACKOFF   silent for QISOCK_RCV_SILENT_MS: hung.
 *                                     Sockets fail (ENETDOWN), contexts
 *                                     down, queue flushed, state
 *                                     "recovering"; timer = the schedule's
 *                                     delay for this restart in a row
 * BACKOFF    TIMER          WAIT_RDY  AT+CFUN=1,1 queued (reboots++)
 * WAIT_RDY   CFUN_DONE      WAIT_RDY  its OK or time-out: the module has
 *                                     it; timer = QISOCK_RCV_RDY_MS
 * WAIT_RDY   TIMER          BACKOFF   no RDY: the restart failed; the next
 *                                     one after the schedule's delay
 * CHECK,     RDY            IDLE      it restarted by itself; the probe
 *  IDLE                               runs as after any RDY
 * BACKOFF,   RDY            RESTORE   restarted: the probe runs, then the
 *  WAIT_RDY                           configuration is restored
 * RESTORE    PROBED         IDLE      recovered; "ready"
 * RESTORE    PROBE_FAILED   BACKOFF   it does not work after the restart
 * any        STOP           STOPPED   detach; nothing is armed again
 *
 * Every other pair leaves the state as it is. The RDY wait counts from
 * the end of AT+CFUN=1,1, not from queueing it: the engine may still be
 * busy with a command and its resync, which must not eat the wait (nor
 * the back-off before the next restart). Restarts in a row
 * (@in_row) count from the first restart of an outage; they start again
 * from zero when the module then works for QISOCK_RCV_STABLE_MS.
 */
#ifndef QISOCK_RECOVER_H
#define QISOCK_RECOVER_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct qat_cmd;
struct qisock_dev;

/* Silence (no byte from the module while asked) that makes it hung. */
#define QISOCK_RCV_SILENT_MS	10000
/* While checking: one "AT" this often (unless the last is still out). */
#define QISOCK_RCV_CHECK_MS	1000
/* After AT+CFUN=1,1: how long RDY may take before the restart failed. */
#define QISOCK_RCV_RDY_MS	30000
/* Working this long after a restart ends the outage (the schedule resets). */
#define QISOCK_RCV_STABLE_MS	(3600 * 1000)
/* Time-out of the AT+CFUN=1,1 command (OK comes before the restart). */
#define QISOCK_RCV_CFUN_MS	3000

/**
 * enum qisock_rcv_state - where recovery is (the diagram above).
 * @QISOCK_RCV_IDLE: the module answers (or is not identified yet).
 * @QISOCK_RCV_CHECK: a resync got no answer; checks run.
 * @QISOCK_RCV_BACKOFF: hung; waiting out the delay before a restart.
 * @QISOCK_RCV_WAIT_RDY: restart asked for; RDY awaited.
 * @QISOCK_RCV_RESTORE: RDY came; the probe runs.
 * @QISOCK_RCV_STOPPED: detached.
 */
enum qisock_rcv_state {
	QISOCK_RCV_IDLE,
	QISOCK_RCV_CHECK,
	QISOCK_RCV_BACKOFF,
	QISOCK_RCV_WAIT_RDY,
	QISOCK_RCV_RESTORE,
	QISOCK_RCV_STOPPED,
};

/**
 * enum qisock_rcv_event - what drives the machine.
 * @QISOCK_RCV_EV_SILENT: a resync got no answer at all.
 * @QISOCK_RCV_EV_TIMER: the machine's timer (its work item) ran.
 * @QISOCK_RCV_EV_RDY: the module (re)started.
 * @QISOCK_RCV_EV_PROBED: the probe after a RDY identified the module.
 * @QISOCK_RCV_EV_PROBE_FAILED: ...it did not.
 * @QISOCK_RCV_EV_STOP: detach.
 * @QISOCK_RCV_EV_CFUN_DONE: AT+CFUN=1,1 completed (any outcome).
 */
enum qisock_rcv_event {
	QISOCK_RCV_EV_SILENT,
	QISOCK_RCV_EV_TIMER,
	QISOCK_RCV_EV_CFUN_DONE,
	QISOCK_RCV_EV_RDY,
	QISOCK_RCV_EV_PROBED,
	QISOCK_RCV_EV_PROBE_FAILED,
	QISOCK_RCV_EV_STOP,
};

/**
 * struct qisock_rcv_cfg - recovery timing (KUnit shortens it).
 * @silent_ms: QISOCK_RCV_SILENT_MS.
 * @check_ms: QISOCK_RCV_CHECK_MS.
 * @rdy_ms: QISOCK_RCV_RDY_MS.
 * @stable_ms: QISOCK_RCV_STABLE_MS.
 * @cfun_ms: QISOCK_RCV_CFUN_MS.
 * @unit_ms: length of one second of the back-off schedule (1000).
 */
struct qisock_rcv_cfg {
	unsigned int silent_ms;
	unsigned int check_ms;
	unsigned int rdy_ms;
	unsigned int stable_ms;
	unsigned int cfun_ms;
	unsigned int unit_ms;
};

/**
 * struct qisock_recover - the recovery of one modem.
 * @lock: protects everything below but @work and @cfg (a spinlock: the
 *	events come from the receive path too).
 * @state: &enum qisock_rcv_state; changed only by qisock_rcv_step().
 * @in_row: restarts of this outage, the last one included.
 * @ok_since: jiffies when the module last came back (after a restart).
 * @recovered: @ok_since is valid.
 * @rx_mark: the engine's rx_last when the checks began.
 * @check_since: jiffies when the checks began: the silence that counts
 *	is the one after it, not the time since the last byte ever received.
 * @check: the check "AT" still out, referenced, or NULL.
 * @work: the timer: runs the TIMER event and what a transition asks for.
 * @cfg: timing; set before the device starts, then read only.
 */
struct qisock_recover {
	spinlock_t lock;	/* state, in_row, ok_since, rx_mark, check_since */
	enum qisock_rcv_state state;
	unsigned int in_row;
	unsigned long ok_since;
	bool recovered;
	unsigned long rx_mark;
	unsigned long check_since;
	struct qat_cmd *check;
	struct delayed_work work;
	struct qisock_rcv_cfg cfg;
};

void qisock_recover_init(struct qisock_dev *qd);
void qisock_recover_event(struct qisock_dev *qd, enum qisock_rcv_event ev);
void qisock_recover_stop(struct qisock_dev *qd);
const char *qisock_recover_state_name(struct qisock_dev *qd);
unsigned int qisock_recover_backoff_ms(const struct qisock_rcv_cfg *cfg,
				       unsigned int n);

#endif /* QISOCK_RECOVER_H */
