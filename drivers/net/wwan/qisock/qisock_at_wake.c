// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine: waking a module that sleeps (BC66/BC66-NA deep sleep).
 *
 * An NB-IoT module goes to deep sleep when its UART and the network have
 * been idle for a while. The byte that wakes it is lost, and so is the
 * first command line after it (the module answers a bare line end at
 * most); the wake-up also resets what it does not keep in NVRAM (seed 001
 * 2.3.12: "echomode"). While it sleeps in PSM it reports no URC (2.4).
 *
 * So once the line has been idle for the dialect's @idle_ms (either way),
 * the next command is preceded by a plain "AT" at the head of the queue,
 * which may be swallowed; and the next command with a data phase (the
 * only kind "echomode" matters to) by the commands the dialect lists as
 * lost by a wake-up. Not earlier: they are TCP/IP commands, and their OK
 * would replace the module's last error (AT+QIGETERROR) that a program
 * may still ask for. A swallowed "AT" times out like any command
 * and the engine's resync (qisock_resync.h) gets back in step with the
 * module with its marker probes, which the awake module answers; a module
 * that answers none of them is silent, and the client's recovery takes
 * over (qisock_recover.c): that is how sleeping is told from dead. The
 * client hears of each wake-up (@woke) and reads what URCs it may have
 * missed.
 *
 * An idle gap seen on the receive side counts as well: a module that woke
 * on its own (paging) and talks again may have reset the same settings.
 *
 * Part of the engine (qisock_at.c); the rules for contexts and locks are in
 * qisock_at.h: struct qat_wake is under the engine lock.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>

#include "qisock_at.h"
#include "qisock_compat.h"

/* The wake-up "AT": seed 001's maximum response time. */
#define QAT_WAKE_TIMEOUT_MS	300
/* The least idle time taken as "may be asleep" after a lost command. */
#define QAT_WAKE_IDLE_MIN_MS	250

/**
 * qisock_at_set_wake() - the module sleeps when idle: wake it first.
 * @eng: the engine.
 * @idle_ms: idle time (no byte either way) after which it may be asleep,
 *	0 if it never sleeps.
 * @repin: commands a wake-up undoes, NULL-terminated, or NULL.
 */
void qisock_at_set_wake(struct qat_engine *eng, unsigned int idle_ms,
			const char * const *repin)
{
	spin_lock(&eng->lock);
	eng->wake.idle_ms = idle_ms;
	eng->wake.repin = repin;
	eng->wake.io_last = jiffies;
	eng->wake.due = false;
	eng->wake.repin_owed = false;
	spin_unlock(&eng->lock);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_set_wake);

/* Was the line idle long enough for the module to sleep? Lock held. */
static bool qat_wake_gap(const struct qat_engine *eng)
{
	return eng->wake.idle_ms &&
	       time_after_eq(jiffies, eng->wake.io_last +
				      msecs_to_jiffies(eng->wake.idle_ms));
}

/**
 * qisock_at_wake_io() - bytes went to or came from the module.
 * @eng: the engine; the lock held.
 * @rx: they came from it: after an idle gap, it woke by itself.
 *
 * (Bytes written after a gap are the wake sequence's, or a resync probe's,
 * which wakes the module just as well. Bytes received while a command or
 * a resync is out are its answer, however slow: no gap of the module's.)
 */
void qisock_at_wake_io(struct qat_engine *eng, bool rx)
{
	if (rx && !eng->cur && !qat_rs_pending(&eng->rs) &&
	    qat_wake_gap(eng))
		eng->wake.due = true;
	eng->wake.io_last = jiffies;
}

/**
 * qisock_at_wake_retry() - @cmd timed out: was it lost to a wake-up?
 * @eng: the engine; the lock held.
 * @cmd: the command, no longer current; its resync has just started.
 *
 * A module that may sleep and said nothing at all to a command it got
 * whole (not even its echo or a '>') most likely lost it to a wake-up:
 * the idle time the driver allows before it wakes the module first is
 * only a guess at the network's. Such a command goes back to the head of
 * the queue, once, to follow the resync (which wakes the module and gets
 * in step); it is not failed. A command still being written, or in its
 * data phase, is not sent again: the module got part of it; nor one that
 * followed too short a pause for the module to have fallen asleep
 * (QAT_WAKE_IDLE_MIN_MS: it is hung, or slow, not asleep). Nor is one
 * that reads data from the module (a block: AT+QIRD): had the module
 * answered it and the whole answer been lost on the way, sending it again
 * would skip over the data that answer carried, without a trace; its
 * owner's own rules for a lost read apply instead. And the guess
 * was too long: from now on, half the idle time the lost command followed
 * (at least QAT_WAKE_IDLE_MIN_MS) counts as "may be asleep".
 *
 * Return: true if @cmd was queued again: the reference the engine held
 * as its current command is now the queue's (it is not finished).
 */
bool qisock_at_wake_retry(struct qat_engine *eng, struct qat_cmd *cmd)
{
	unsigned int idle;

	if (!eng->wake.idle_ms || cmd->heard || cmd->wake_retried ||
	    (cmd->ops && cmd->ops->data) ||
	    jiffies_to_msecs(cmd->idle_before) < QAT_WAKE_IDLE_MIN_MS ||
	    (cmd->phase != QAT_WAIT_FINAL && cmd->phase != QAT_WAIT_PROMPT))
		return false;
	idle = max_t(unsigned int, jiffies_to_msecs(cmd->idle_before) / 2,
		     QAT_WAKE_IDLE_MIN_MS);	/* the retry's check keeps it sane */
	if (idle < eng->wake.idle_ms)
		eng->wake.idle_ms = idle;
	cmd->wake_retried = true;
	cmd->phase = QAT_QUEUED;
	cmd->tx_off = 0;
	cmd->prompt_seen = false;
	list_add(&cmd->node, &eng->queue);	/* cur's reference moves here */
	eng->queued++;
	eng->st.wake_retries++;
	return true;
}

/*
 * The wake-up "AT" ended, answered or swallowed: tell the client. Not if
 * it never went out or was flushed (a restart is coming, or detach).
 */
static void qat_wake_done(struct qat_cmd *cmd)
{
	struct qat_engine *eng = cmd->priv;

	if (cmd->result == QP_INFO && cmd->status != -ETIMEDOUT)
		return;
	if (eng->cops && eng->cops->woke)
		eng->cops->woke(eng->cpriv);
}

static const struct qat_cmd_ops qat_wake_ops = {
	.done = qat_wake_done,
};

/* Put @cmd at the head of the queue, with the caller's reference. */
static void qat_wake_push(struct qat_engine *eng, struct qat_cmd *cmd)
{
	spin_lock(&eng->lock);
	if (eng->gone) {
		spin_unlock(&eng->lock);
		qisock_at_cmd_put(cmd);
		return;
	}
	list_add(&cmd->node, &eng->queue);
	eng->queued++;
	spin_unlock(&eng->lock);
}

/* Queue the re-pins ahead of everything, in their order. */
static void qat_wake_queue_repin(struct qat_engine *eng,
				 const char * const *repin)
{
	const char * const *p;
	struct qat_cmd *cmd;
	unsigned int n = 0;

	for (p = repin; p && *p; p++)
		n++;
	while (n--) {
		cmd = qisock_at_cmd_new(QAT_WAKE_TIMEOUT_MS, 0, 0, "%s",
					repin[n]);
		if (cmd)
			qat_wake_push(eng, cmd);
	}
}

/* Queue the wake-up "AT" ahead of everything. */
static void qat_wake_queue_at(struct qat_engine *eng)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(QAT_WAKE_TIMEOUT_MS, 0, 0,
						"AT");

	if (!cmd)
		return;		/* it only makes the next command safer */
	cmd->ops = &qat_wake_ops;
	cmd->priv = eng;
	cmd->wake_retried = true;	/* swallowed, it did its job */
	qat_wake_push(eng, cmd);
}

/**
 * qisock_at_wake_first() - before the next queued command goes out.
 * @eng: the engine; the lock held, and held again on return.
 * @next: that command, still queued.
 *
 * Return: true if a wake-up "AT" or the re-pins were queued ahead of it
 * (the lock was dropped meanwhile: the caller looks at the queue again).
 */
bool qisock_at_wake_first(struct qat_engine *eng, const struct qat_cmd *next)
{
	const char * const *repin = eng->wake.repin;

	if (eng->wake.due || qat_wake_gap(eng)) {
		eng->wake.due = false;
		eng->wake.io_last = jiffies;
		eng->wake.repin_owed = !!repin;
		eng->st.wakeups++;
		spin_unlock(&eng->lock);
		qat_wake_queue_at(eng);
	} else if (eng->wake.repin_owed && next->data_len) {
		eng->wake.repin_owed = false;
		spin_unlock(&eng->lock);
		qat_wake_queue_repin(eng, repin);
	} else {
		return false;
	}
	spin_lock(&eng->lock);
	return true;
}
