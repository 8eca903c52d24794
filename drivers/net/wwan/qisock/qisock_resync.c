// SPDX-License-Identifier: GPL-2.0
/*
 * qisock resync: the state machine that brings the AT engine back in step
 * with the modem after a failed command. The rules, the states and their
 * transitions are in qisock_resync.h; qat_rs_step() is the only function
 * that changes the state.
 */
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "qisock_at.h"
#include "qisock_trace.h"

static const u8 qat_zeros[64];
static const u8 qat_cr[] = "\r";

/*
 * The probes: the command line and the marker line its answer starts
 * with. Kind 1 stands in when the zombie is kind 0 itself.
 */
static const struct {
	const char *line;
	const char *marker;
} qat_rs_probes[QAT_RS_KINDS] = {
	{ "AT+QIGETERROR\r", "+QIGETERROR:" },
	{ "AT+QIDNSCFG=?\r", "+QIDNSCFG:" },
};

/* The final results a probe answer ends with. */
#define QAT_RS_FINALS	(QP_BIT(QP_OK) | QP_BIT(QP_ERROR) | \
			 QP_BIT(QP_CME_ERROR) | QP_BIT(QP_CMS_ERROR))

static const char * const qat_rs_state_names[] = {
	[QAT_RS_IDLE]	= "idle",
	[QAT_RS_CLEAN]	= "clean",
	[QAT_RS_PROBE]	= "probe",
	[QAT_RS_WAIT]	= "wait",
	[QAT_RS_DRAIN]	= "drain",
	[QAT_RS_TAIL]	= "tail",
};

enum qat_rs_event {
	QAT_RS_EV_START,	/* the command in flight failed */
	QAT_RS_EV_BEGIN,	/* (the rest of) a probe is about to be written */
	QAT_RS_EV_WROTE,	/* a write of resync output returned */
	QAT_RS_EV_TX_ERR,	/* the transport is gone */
	QAT_RS_EV_PROMPT,	/* the zombie's late '>' */
	QAT_RS_EV_PAIR,		/* a probe answer: marker line and final */
	QAT_RS_EV_TIMER,	/* the time-out work ran */
	QAT_RS_EV_RDY,		/* the module restarted */
	QAT_RS_EV_STOP,		/* the engine shuts down */
};

/* Which resync bytes a write carries. */
enum qat_rs_out {
	QAT_RS_OUT_NONE,
	QAT_RS_OUT_CR,
	QAT_RS_OUT_FILL,
	QAT_RS_OUT_PROBE,
};

/**
 * struct qat_rs_ev - one event for qat_rs_step(), and what it leaves to do.
 * @type: the event.
 * @cmd: START: the failed command (the step takes a reference). Out: a
 *	zombie the caller has to put once the lock is dropped, or NULL.
 * @out: WROTE: what the write carried.
 * @n: WROTE: bytes the transport took.
 * @kind: PAIR: the kind of probe answered.
 * @kick: out: the tx work has output to write.
 * @ended: out: the resync is over (IDLE or TAIL).
 * @gave_up: out: it ended without the probe's answer.
 */
struct qat_rs_ev {
	enum qat_rs_event type;
	struct qat_cmd *cmd;
	enum qat_rs_out out;
	size_t n;
	unsigned int kind;
	bool kick;
	bool ended;
	bool gave_up;
};

static size_t qat_rs_plen(const struct qat_resync *rs)
{
	return strlen(qat_rs_probes[rs->kind].line);
}

/* Have the time-out work run at @d, or now if that has passed. */
static void qat_rs_timer(struct qat_engine *eng, unsigned long d)
{
	mod_delayed_work(system_wq, &eng->to_work,
			 time_after(d, jiffies) ? d - jiffies : 0);
}

/*
 * (Re)arm the probe time-out at @d; while draining (@drain) only ever
 * later. Never beyond the end of the whole resync.
 */
static void qat_rs_arm(struct qat_engine *eng, unsigned long d, bool drain)
{
	struct qat_resync *rs = &eng->rs;

	if (!drain || time_after(d, rs->deadline))
		rs->deadline = d;
	qat_rs_timer(eng, time_before(rs->deadline, rs->end_by) ?
			  rs->deadline : rs->end_by);
}

/*
 * The resync as a whole ends by @end_by: each try with its transfer time
 * and a jiffy of slack, one more for a drain, the "\r"; the filler adds
 * its own transfer time (qat_rs_add_fill()).
 */
static void qat_rs_budget(struct qat_engine *eng)
{
	struct qat_resync *rs = &eng->rs;
	unsigned long try = qat_xfer_jiffies(qat_rs_plen(rs)) +
			    msecs_to_jiffies(rs->probe_ms) + 1;

	rs->end_by = jiffies + (QAT_RS_TRIES + 1) * try + qat_xfer_jiffies(1);
	qat_rs_timer(eng, rs->end_by);
}

/* Filler for @n more bytes of the zombie's data phase. */
static void qat_rs_add_fill(struct qat_resync *rs, size_t n)
{
	rs->fill += n;
	rs->filled = true;
	rs->end_by += qat_xfer_jiffies(n);
}

/* Where an active resync goes on: cleaning up, probing, or waiting. */
static enum qat_rs_state qat_rs_resume(const struct qat_resync *rs)
{
	if (rs->cr || rs->fill)
		return QAT_RS_CLEAN;
	if (rs->off < qat_rs_plen(rs))
		return QAT_RS_PROBE;
	return QAT_RS_WAIT;
}

/*
 * The resync is over. The zombie goes (to the caller, to put), the quiet
 * period starts; a tail ("\r", filler) left after a give-up still goes out.
 */
static enum qat_rs_state qat_rs_end(struct qat_engine *eng,
				    struct qat_rs_ev *ev, bool gave_up)
{
	struct qat_resync *rs = &eng->rs;

	ev->cmd = rs->zombie;
	rs->zombie = NULL;
	eng->hold = true;
	eng->hold_until = jiffies + msecs_to_jiffies(eng->quiet_ms);
	ev->kick = true;
	ev->ended = true;
	ev->gave_up = gave_up;
	return rs->cr || rs->fill ? QAT_RS_TAIL : QAT_RS_IDLE;
}

/* Out of time or tries: a probe cut in the middle is ended with "\r". */
static enum qat_rs_state qat_rs_give_up(struct qat_engine *eng,
					struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;

	if (rs->begun && rs->off < qat_rs_plen(rs) && (rs->off || rs->in_write))
		rs->cr = true;
	return qat_rs_end(eng, ev, true);
}

/*
 * A pair of this resync with the probe out completely: the end when no
 * probe is owed any more, else drain for the owed ones.
 */
static enum qat_rs_state qat_rs_settle(struct qat_engine *eng,
				       struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;

	if (!rs->owed[rs->kind])
		return qat_rs_end(eng, ev, false);
	qat_rs_arm(eng, jiffies + msecs_to_jiffies(rs->probe_ms), true);
	return QAT_RS_DRAIN;
}

/*
 * START: @ev->cmd failed without its answer and becomes the zombie. The
 * probe is one whose marker line cannot be part of the zombie's answer; a
 * cut command line gets its "\r", a data phase its filler.
 */
static enum qat_rs_state qat_rs_on_start(struct qat_engine *eng,
					 struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;
	struct qat_cmd *cmd = ev->cmd;

	eng->st.resyncs++;
	qisock_at_cmd_get(cmd);
	ev->cmd = rs->zombie;
	rs->zombie = cmd;
	rs->kind = strcasecmp(cmd->prefix, qat_rs_probes[0].marker) ? 0 : 1;
	rs->tries = 0;
	rs->off = 0;
	rs->cr = false;
	rs->fill = 0;
	rs->filled = false;
	rs->begun = false;
	rs->in_write = false;
	rs->answered = false;
	rs->paired = false;
	qat_rs_budget(eng);
	switch (cmd->phase) {
	case QAT_SENDING:
		rs->cr = cmd->tx_off != 0;
		break;
	case QAT_WAIT_PROMPT:
		/* harmless in command mode, completes the data otherwise */
		qat_rs_add_fill(rs, cmd->data_len);
		break;
	case QAT_DATA:
		qat_rs_add_fill(rs, cmd->data_len - cmd->tx_off);
		break;
	default:
		break;
	}
	ev->kick = true;
	return qat_rs_resume(rs);
}

/*
 * BEGIN: a write of the probe is about to go out. The probe is owed from
 * before its first byte: its answer may come before the write returns.
 */
static enum qat_rs_state qat_rs_on_begin(struct qat_engine *eng)
{
	struct qat_resync *rs = &eng->rs;

	if (!rs->begun) {
		rs->begun = true;
		rs->tries++;
		rs->owed[rs->kind]++;
		eng->st.rs_probes++;
	}
	rs->in_write = true;
	return rs->state;
}

/*
 * WROTE, with a pair of this resync during the write: only a probe that
 * went out completely can have been answered. The end itself is left to
 * the time-out work, which holds rx_mutex: DRAIN with the deadline now.
 */
static enum qat_rs_state qat_rs_answered_in_write(struct qat_engine *eng,
						  struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;

	if (rs->off != qat_rs_plen(rs)) {
		/* an earlier probe's pair: this one is owed for sure */
		if (!rs->owed[rs->kind])
			rs->owed[rs->kind] = 1;
		return qat_rs_resume(rs);
	}
	if (rs->owed[rs->kind]) {
		qat_rs_arm(eng, jiffies + msecs_to_jiffies(rs->probe_ms), true);
	} else {
		rs->deadline = jiffies;	/* drained: nothing owed */
		qat_rs_timer(eng, jiffies);
	}
	return QAT_RS_DRAIN;
}

/* WROTE: the transport took @ev->n bytes of @ev->out. */
static enum qat_rs_state qat_rs_on_wrote(struct qat_engine *eng,
					 struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;
	bool active = qat_rs_active(rs);
	bool answered = rs->answered;
	size_t plen = qat_rs_plen(rs);

	rs->in_write = false;
	rs->answered = false;
	switch (ev->out) {
	case QAT_RS_OUT_CR:
		if (ev->n)
			rs->cr = false;
		break;
	case QAT_RS_OUT_FILL:
		rs->fill -= min(ev->n, rs->fill);
		break;
	case QAT_RS_OUT_PROBE:
		/* a probe cut by a give-up already has its "\r" scheduled */
		if (!active)
			break;
		rs->off = min(rs->off + ev->n, plen);
		if (rs->off == plen)
			qat_rs_arm(eng, jiffies + qat_xfer_jiffies(plen) +
					msecs_to_jiffies(rs->probe_ms),
				   rs->state == QAT_RS_DRAIN);
		break;
	default:
		break;
	}
	if (!active)
		return rs->cr || rs->fill ? rs->state : QAT_RS_IDLE;
	if (answered)
		return qat_rs_answered_in_write(eng, ev);
	if (rs->state == QAT_RS_DRAIN)
		return QAT_RS_DRAIN;	/* filler owed from a late '>' */
	return qat_rs_resume(rs);
}

/*
 * PROMPT: the zombie's late '>' (it has a data phase): complete the data
 * with filler, once. A probe that went out completely was taken as data;
 * it stays owed (the safe side) and a new one follows.
 */
static enum qat_rs_state qat_rs_on_prompt(struct qat_engine *eng,
					  struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;

	if (rs->filled || rs->state == QAT_RS_DRAIN)
		return rs->state;
	qat_rs_add_fill(rs, rs->zombie->data_len);
	if (rs->off == qat_rs_plen(rs)) {
		rs->off = 0;
		rs->begun = false;
	}
	ev->kick = true;
	return QAT_RS_CLEAN;
}

/*
 * PAIR: a probe of @ev->kind was answered and is no longer owed. It is
 * this resync's only if fewer than this resync's tries are still owed
 * (older ones are answered first) and no cleanup is pending; during the
 * write of the probe it is decided once the write returned.
 */
static enum qat_rs_state qat_rs_on_pair(struct qat_engine *eng,
					struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;
	unsigned int k = ev->kind;

	if (qat_rs_active(rs))
		rs->paired = true;
	if (rs->owed[k])
		rs->owed[k]--;
	if (!qat_rs_active(rs) || k != rs->kind || !rs->tries ||
	    rs->owed[k] >= rs->tries || rs->cr || rs->fill)
		return rs->state;
	if (rs->in_write) {
		rs->answered = true;
		return rs->state;
	}
	if (rs->off != qat_rs_plen(rs)) {
		/* an earlier probe's pair: the one begun is owed for sure */
		if (rs->begun && !rs->owed[k])
			rs->owed[k] = 1;
		return rs->state;
	}
	return qat_rs_settle(eng, ev);
}

/*
 * TIMER: the probe that is out, or the whole resync, may have run out of
 * time. A drain that times out takes the owed probes as lost; a probe not
 * answered is tried again, up to QAT_RS_TRIES.
 */
static enum qat_rs_state qat_rs_on_timer(struct qat_engine *eng,
					 struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;

	if (!qat_rs_active(rs))
		return rs->state;
	if (!time_before(jiffies, rs->end_by))
		return qat_rs_give_up(eng, ev);
	if (rs->off != qat_rs_plen(rs)) {
		qat_rs_timer(eng, rs->end_by);	/* the probe is not out yet */
		return rs->state;
	}
	if (time_before(jiffies, rs->deadline)) {
		qat_rs_arm(eng, rs->deadline, rs->state == QAT_RS_DRAIN);
		return rs->state;
	}
	if (rs->state == QAT_RS_DRAIN) {
		rs->owed[rs->kind] = 0;		/* taken as lost */
		return qat_rs_end(eng, ev, false);
	}
	if (rs->tries >= QAT_RS_TRIES)
		return qat_rs_give_up(eng, ev);
	rs->off = 0;
	rs->begun = false;
	ev->kick = true;
	return qat_rs_resume(rs);
}

/* STOP: the engine shuts down; the zombie goes to the caller. */
static enum qat_rs_state qat_rs_on_stop(struct qat_engine *eng,
					struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;

	ev->cmd = rs->zombie;
	rs->zombie = NULL;
	rs->cr = false;
	rs->fill = 0;
	rs->in_write = false;
	return QAT_RS_IDLE;
}

/*
 * The transition function: the one place the state changes. Engine lock
 * held; the events that end a resync (PAIR, TIMER) and START and STOP
 * also need rx_mutex, as they change the zombie.
 */
static void qat_rs_step(struct qat_engine *eng, struct qat_rs_ev *ev)
{
	struct qat_resync *rs = &eng->rs;
	enum qat_rs_state next = rs->state;

	lockdep_assert_held(&eng->lock);
	switch (ev->type) {
	case QAT_RS_EV_START:
		next = qat_rs_on_start(eng, ev);
		break;
	case QAT_RS_EV_BEGIN:
		next = qat_rs_on_begin(eng);
		break;
	case QAT_RS_EV_WROTE:
		next = qat_rs_on_wrote(eng, ev);
		break;
	case QAT_RS_EV_TX_ERR:
		/* the transport is gone: the commands will fail */
		rs->cr = false;
		rs->fill = 0;
		rs->in_write = false;
		next = QAT_RS_IDLE;
		break;
	case QAT_RS_EV_PROMPT:
		next = qat_rs_on_prompt(eng, ev);
		break;
	case QAT_RS_EV_PAIR:
		next = qat_rs_on_pair(eng, ev);
		break;
	case QAT_RS_EV_TIMER:
		next = qat_rs_on_timer(eng, ev);
		break;
	case QAT_RS_EV_RDY:
		/* the module restarted: the owed probes are lost with it */
		memset(rs->owed, 0, sizeof(rs->owed));
		break;
	case QAT_RS_EV_STOP:
		next = qat_rs_on_stop(eng, ev);
		break;
	}
	if (next != rs->state) {
		trace_qisock_resync(eng->dev, qat_rs_state_names[rs->state],
				    qat_rs_state_names[next]);
		if (eng->dev)
			dev_dbg(eng->dev, "resync: %s -> %s\n",
				qat_rs_state_names[rs->state],
				qat_rs_state_names[next]);
	}
	rs->state = next;
}

/**
 * qisock_resync_start() - resync after the command in flight failed.
 * @eng: the engine; rx_mutex and the lock held.
 * @cmd: the command, no longer current; it becomes the zombie.
 *
 * Return: the previous zombie, or NULL: put it once the lock is dropped.
 */
struct qat_cmd *qisock_resync_start(struct qat_engine *eng, struct qat_cmd *cmd)
{
	struct qat_rs_ev ev = { .type = QAT_RS_EV_START, .cmd = cmd };

	qat_rs_step(eng, &ev);
	return ev.cmd;
}

/*
 * The next resync bytes to write: "\r" and filler in any state (a late
 * '>' may ask for filler while draining), then the rest of the probe.
 */
static enum qat_rs_out qat_rs_output(const struct qat_resync *rs,
				     const u8 **buf, size_t *len)
{
	if (rs->cr) {
		*buf = qat_cr;
		*len = 1;
		return QAT_RS_OUT_CR;
	}
	if (rs->fill) {
		*buf = qat_zeros;
		*len = min(rs->fill, sizeof(qat_zeros));
		return QAT_RS_OUT_FILL;
	}
	if (rs->state == QAT_RS_PROBE) {
		*buf = (const u8 *)qat_rs_probes[rs->kind].line + rs->off;
		*len = qat_rs_plen(rs) - rs->off;
		return QAT_RS_OUT_PROBE;
	}
	return QAT_RS_OUT_NONE;
}

/**
 * qisock_resync_tx() - write the resync output the state asks for.
 * @eng: the engine; called from the tx work and returns with the lock.
 *
 * Returns when there is nothing to write (an answer is awaited), the
 * transport took less than offered (it kicks the tx work), or it is gone.
 */
void qisock_resync_tx(struct qat_engine *eng)
{
	struct qat_rs_ev ev;
	enum qat_rs_out out;
	const u8 *buf;
	size_t len;
	ssize_t n;

	while (!eng->gone) {
		out = qat_rs_output(&eng->rs, &buf, &len);
		if (out == QAT_RS_OUT_NONE)
			return;
		if (out == QAT_RS_OUT_PROBE) {
			ev = (struct qat_rs_ev){ .type = QAT_RS_EV_BEGIN };
			qat_rs_step(eng, &ev);
		}
		spin_unlock(&eng->lock);
		n = eng->xops->write(eng->xpriv, buf, len);
		spin_lock(&eng->lock);
		if (eng->gone)
			return;
		if (n > 0)
			qisock_at_wake_io(eng, false);
		ev = (struct qat_rs_ev){ .type = QAT_RS_EV_WROTE, .out = out,
					 .n = n < 0 ? 0 : n };
		if (n < 0)
			ev.type = QAT_RS_EV_TX_ERR;
		qat_rs_step(eng, &ev);
		if (n < 0 || (size_t)n < len)
			return;		/* gone, or the transport kicks us */
	}
}

static void qat_rs_gave_up_msg(struct qat_engine *eng)
{
	if (!eng->dev)
		return;
	dev_warn(eng->dev, "modem does not answer the resync probe, going on\n");
	if (!eng->rs.paired)
		dev_dbg(eng->dev, "no answer with the marker %s at all in this resync\n",
			qat_rs_probes[eng->rs.kind].marker);
}

/*
 * Not one probe was answered: the module may have stopped answering. The
 * client decides (qisock_recover.c); rx_mutex is held, it only schedules.
 */
static void qat_rs_silent(struct qat_engine *eng)
{
	spin_lock(&eng->lock);
	eng->st.silent++;
	spin_unlock(&eng->lock);
	if (eng->cops && eng->cops->silent)
		eng->cops->silent(eng->cpriv);
}

/* After a step without the lock: put the old zombie, kick, report. */
static void qat_rs_after(struct qat_engine *eng, const struct qat_rs_ev *ev)
{
	if (ev->ended) {
		/* a marker without its final: that final is lost */
		eng->rs.mark = 0;
		if (ev->gave_up)
			qat_rs_gave_up_msg(eng);
		if (ev->gave_up && !eng->rs.paired)
			qat_rs_silent(eng);
	}
	qisock_at_cmd_put(ev->cmd);
	if (ev->kick)
		qisock_at_tx_kick(eng);
}

/**
 * qisock_resync_timer_fired() - the time-out work ran with no command in flight.
 * @eng: the engine; rx_mutex held, not the lock.
 */
void qisock_resync_timer_fired(struct qat_engine *eng)
{
	struct qat_rs_ev ev = { .type = QAT_RS_EV_TIMER };

	spin_lock(&eng->lock);
	qat_rs_step(eng, &ev);
	spin_unlock(&eng->lock);
	qat_rs_after(eng, &ev);
}

/**
 * qisock_resync_late_prompt() - a '>' with no command in flight.
 * @eng: the engine; the lock held (from the parser, so rx_mutex too).
 *
 * Return: it is the zombie's; the tx work has been kicked if needed.
 */
bool qisock_resync_late_prompt(struct qat_engine *eng)
{
	struct qat_rs_ev ev = { .type = QAT_RS_EV_PROMPT };
	struct qat_resync *rs = &eng->rs;

	if (!qat_rs_active(rs) || !rs->zombie || !rs->zombie->data_len)
		return false;
	eng->st.late++;
	qat_rs_step(eng, &ev);
	if (ev.kick)
		qisock_at_tx_kick(eng);
	return true;
}

/**
 * qisock_resync_marker() - is @line the marker line of an owed probe?
 * @eng: the engine; rx_mutex held.
 * @cmd: the command in flight, or NULL.
 * @line: the line.
 *
 * Then its final result comes next and is the probe's. @cmd and the
 * zombie keep lines with their own prefix.
 *
 * Return: it is.
 */
bool qisock_resync_marker(struct qat_engine *eng, const struct qat_cmd *cmd,
			  const struct qp_line *line)
{
	struct qat_resync *rs = &eng->rs;
	unsigned int k;
	const char *m;
	u8 mark = 0;

	spin_lock(&eng->lock);
	for (k = 0; k < QAT_RS_KINDS && !mark; k++) {
		m = qat_rs_probes[k].marker;
		if (rs->owed[k] && line->len >= strlen(m) &&
		    !strncasecmp(line->text, m, strlen(m)) &&
		    (!cmd || strcasecmp(cmd->prefix, m)) &&
		    (!rs->zombie || strcasecmp(rs->zombie->prefix, m)))
			mark = k + 1;
	}
	spin_unlock(&eng->lock);
	if (mark)
		rs->mark = mark;
	return mark;
}

/**
 * qisock_resync_final() - is @line the final result after a marker line?
 * @eng: the engine; rx_mutex held.
 * @line: a final result.
 *
 * Then it ends a probe's answer (a pair), which no command gets.
 *
 * Return: it was.
 */
bool qisock_resync_final(struct qat_engine *eng, const struct qp_line *line)
{
	struct qat_rs_ev ev = { .type = QAT_RS_EV_PAIR };
	struct qat_resync *rs = &eng->rs;

	if (!rs->mark || !(QP_BIT(line->code) & QAT_RS_FINALS))
		return false;
	ev.kind = rs->mark - 1;
	rs->mark = 0;
	spin_lock(&eng->lock);
	qat_rs_step(eng, &ev);
	spin_unlock(&eng->lock);
	qat_rs_after(eng, &ev);
	return true;
}

/**
 * qisock_resync_forget() - the module restarted (RDY): owed probes are lost.
 * @eng: the engine; rx_mutex held.
 */
void qisock_resync_forget(struct qat_engine *eng)
{
	struct qat_rs_ev ev = { .type = QAT_RS_EV_RDY };

	spin_lock(&eng->lock);
	qat_rs_step(eng, &ev);
	spin_unlock(&eng->lock);
	eng->rs.mark = 0;
}

/**
 * qisock_resync_stop() - the engine shuts down: no resync, no zombie.
 * @eng: the engine; rx_mutex held.
 */
void qisock_resync_stop(struct qat_engine *eng)
{
	struct qat_rs_ev ev = { .type = QAT_RS_EV_STOP };

	eng->rs.mark = 0;
	spin_lock(&eng->lock);
	qat_rs_step(eng, &ev);
	spin_unlock(&eng->lock);
	qisock_at_cmd_put(ev.cmd);
}
