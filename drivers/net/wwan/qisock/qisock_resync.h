/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock resync: how the AT engine gets back in step with the modem after
 * a command failed without (all of) its answer.
 *
 * A command that times out, or whose answer was hit by a line error, fails
 * at once, but the modem may still be answering it, be in the middle of
 * its command line or in its data phase. Before the next queued command
 * goes out the engine resynchronises. The failed command becomes the
 * zombie: its late lines are dropped (counted in st.late), its hooks are
 * never called again, a late block header with its prefix ("+QIRD: n")
 * still makes the parser consume and drop the n bytes.
 *
 * The resync is a state machine (&enum qat_rs_state). Only qat_rs_step()
 * changes the state; it runs with the engine lock held, for one
 * &enum qat_rs_event at a time:
 *
 * From        Event              To     What happens
 * ----------  -----------------  -----  ---------------------------------
 * IDLE        START              CLEAN  the zombie's line or data phase is
 *                                       cut: "\r", filler first
 * IDLE        START              PROBE  nothing to end: probe at once
 * CLEAN       WROTE (all of it)  PROBE  (WAIT if the probe is already out)
 * PROBE       WROTE (all of it)  WAIT   the probe time-out runs
 * PROBE/WAIT  PROMPT             CLEAN  the zombie's late '>': filler; a
 *                                       probe that went out was data
 * WAIT        TIMER              PROBE  not answered: the next try
 * WAIT        PAIR               IDLE   answered and nothing owed: done
 * WAIT        PAIR               DRAIN  answered, older probes owed
 * PROBE       WROTE + PAIR       (same rules as WAIT + PAIR, decided once
 *                                       the write returned)
 * DRAIN       PAIR               IDLE   the last owed probe answered
 * DRAIN       TIMER              IDLE   the owed probes are taken as lost
 * any active  TIMER              TAIL   out of time or tries; "\r" and
 *                                       filler left still to write
 * any active  TIMER              IDLE   the same, nothing left to write
 * TAIL        WROTE (all of it)  IDLE
 * any         TX_ERR, STOP       IDLE   the transport or engine is gone
 *
 *  - CLEAN brings the modem back to command mode: "\r" if the command line
 *    was cut, zero filler for the rest of a fixed-length data phase (also
 *    for a '>' that comes late; NULs cannot form a command line).
 *  - PROBE writes a probe, WAIT waits up to a probe time-out for its answer;
 *    after QAT_RS_TRIES unanswered probes the engine gives up.
 *  - Everything before the answer is dropped (URCs still go to the client);
 *    after the resync, the usual quiet period (QAT_QUIET_MS), then the next
 *    command.
 *  - TAIL: the resync gave up; a probe cut in the middle is ended with "\r",
 *    and that "\r" and filler not yet written still go out before the next
 *    command line.
 *
 * The whole resync has a deadline (@end_by, from its start): QAT_RS_TRIES
 * + 1 probe time-outs (one for a drain), each with the transfer time of the
 * probe at QAT_LINE_BPS and a jiffy of slack, plus the transfer time of the
 * "\r" and of the filler. It bounds a resync whose transport takes no
 * bytes.
 *
 * The probe must be told apart from a late answer of the zombie, so it is
 * not "AT" (a late OK of the zombie looks like the probe's OK) but
 * "AT+QIGETERROR", whose answer carries the marker line "+QIGETERROR:"
 * (both dialects; it only reads the last TCP/IP error). If the zombie is
 * itself AT+QIGETERROR, the probe is the test form "AT+QIDNSCFG=?" with
 * the marker "+QIDNSCFG:". A probe answer is a marker line followed by
 * OK, ERROR or +CME/+CMS ERROR (a pair); a final result without a marker
 * line before it is the zombie's, whatever it says. Any other line but a
 * URC between the marker and the final means the final was lost: the
 * marker is forgotten. Markers and prefixes compare without regard to case.
 *
 * Several probes may be out (one timed out, the next was sent) and a probe
 * may also be lost (the module was booting). The modem answers in order,
 * so the engine counts per kind the probes it began and the pairs it
 * received (@owed: begun, not yet answered; a probe counts as begun before
 * its first byte is written, as its answer may arrive before the write
 * returns):
 *
 *  - a pair is this resync's only if, after it, fewer probes of its kind
 *    are owed than this resync began (older probes are answered first);
 *    an older pair only pays off its debt;
 *  - a pair of this resync ends the resync when no probe of that kind is
 *    owed any more and the probe begun last has gone out completely. A
 *    pair that comes while that probe is being written is decided once
 *    the write has returned: complete, it counts as above; cut short, it
 *    was an earlier probe's: the probe begun stays owed, at least once,
 *    and is finished. So no command line ever follows half a probe;
 *  - such a pair while probes are still owed (sent later, or lost) is
 *    DRAIN: no new probe is begun, and the resync ends when the owed
 *    pairs arrived, or one probe time-out after the last pair or the last
 *    probe, whichever is later: the modem answers, so the owed probes are
 *    taken as lost and no longer owed;
 *  - after a resync that gave up, the probes stay owed: a marker line that
 *    arrives later, with no command in flight or with a command whose own
 *    prefix is not the marker, and the final result after it, are
 *    dropped, so the stale probe answer reaches no command. A command that
 *    is the probe command itself (AT+QIGETERROR, AT+QIDNSCFG...) cannot be
 *    told from it and takes the lines; a line with the zombie's prefix is
 *    the zombie's, never a marker;
 *  - RDY (the module restarted) forgets the owed probes; a marker line
 *    whose final result does not come (line error, another line, probe
 *    time-out, a command that fails) is forgotten;
 *  - a probe swallowed by a late data phase of the zombie stays owed (a
 *    count too high only costs a drain; one too low would let a stale
 *    answer through).
 *
 * What is left: after a resync that gave up, a late answer of the zombie
 * (not of a probe) can still reach the next command; so can a probe
 * answer that comes later than the drain allows for. A module that answers
 * the probe without its marker line (ERROR while its TCP/IP stack is not
 * up) makes every resync run to its end; a resync that gave up without
 * seeing any pair says so (dev_dbg). A queued plain "AT" does not stand in
 * for the probe: its OK is just as ambiguous.
 */
#ifndef QISOCK_RESYNC_H
#define QISOCK_RESYNC_H

#include <linux/types.h>

struct qat_cmd;
struct qat_engine;
struct qp_line;

/* Time-out of one resync probe, and how many are tried. */
#define QAT_RS_PROBE_MS		500
#define QAT_RS_TRIES		5
/* Kinds of resync probe (see above). */
#define QAT_RS_KINDS		2

/**
 * enum qat_rs_state - where the resync is (see the diagram above).
 * @QAT_RS_IDLE: no resync; commands go out.
 * @QAT_RS_CLEAN: "\r" and filler end the zombie's line or data phase.
 * @QAT_RS_PROBE: a probe is being written.
 * @QAT_RS_WAIT: the probe is out; its answer is awaited until @deadline.
 * @QAT_RS_DRAIN: this resync's probe was answered, older ones are owed:
 *	no new probe; the end comes with their answers or a probe time-out.
 * @QAT_RS_TAIL: gave up; the "\r" and filler left go out, then IDLE.
 */
enum qat_rs_state {
	QAT_RS_IDLE,
	QAT_RS_CLEAN,
	QAT_RS_PROBE,
	QAT_RS_WAIT,
	QAT_RS_DRAIN,
	QAT_RS_TAIL,
};

/**
 * struct qat_resync - the resync of one engine.
 * @state: &enum qat_rs_state; written only by qat_rs_step() (engine lock).
 * @zombie: the command that failed, referenced, until the resync ends
 *	(changed with rx_mutex and the engine lock held; stable under either).
 * @kind: the kind of probe of this resync (lock).
 * @tries: probes begun in this resync (lock).
 * @owed: per kind, probes begun and not answered yet, also after the
 *	resync (lock).
 * @fill: zero filler bytes still to be written (lock).
 * @cr: a "\r" still has to end a cut line (lock).
 * @filled: filler for the zombie's data phase was scheduled (lock).
 * @begun: the probe being written is counted in @tries and @owed (lock).
 * @in_write: a write of the probe is in progress; it hands over its end,
 *	whose answer may arrive before the write returns (lock).
 * @answered: a pair of this resync came during that write; decided once
 *	the write returned (lock).
 * @paired: a probe answer came during this resync (lock).
 * @off: bytes of the probe written; its length when it is out (lock).
 * @mark: 1 + the kind of the probe whose marker line came last and whose
 *	final result is awaited, or 0 (rx_mutex).
 * @deadline: when the probe that is out times out (lock).
 * @end_by: when the whole resync gives up (lock).
 * @probe_ms: time-out of a probe (QAT_RS_PROBE_MS; KUnit shortens it).
 */
struct qat_resync {
	enum qat_rs_state state;
	struct qat_cmd *zombie;
	u8 kind;
	u8 tries;
	unsigned int owed[QAT_RS_KINDS];
	size_t fill;
	bool cr;
	bool filled;
	bool begun;
	bool in_write;
	bool answered;
	bool paired;
	u8 off;
	u8 mark;
	unsigned long deadline;
	unsigned long end_by;
	unsigned int probe_ms;
};

/* The resync is under way (CLEAN to DRAIN): no command may start. */
static inline bool qat_rs_active(const struct qat_resync *rs)
{
	return rs->state != QAT_RS_IDLE && rs->state != QAT_RS_TAIL;
}

/* Resync output, or the tail of one that gave up, is pending. */
static inline bool qat_rs_pending(const struct qat_resync *rs)
{
	return rs->state != QAT_RS_IDLE;
}

/* The engine's side; the lock and mutex each needs are at its definition. */
struct qat_cmd *qisock_resync_start(struct qat_engine *eng, struct qat_cmd *cmd);
void qisock_resync_tx(struct qat_engine *eng);
void qisock_resync_timer_fired(struct qat_engine *eng);
bool qisock_resync_late_prompt(struct qat_engine *eng);
bool qisock_resync_marker(struct qat_engine *eng, const struct qat_cmd *cmd,
			  const struct qp_line *line);
bool qisock_resync_final(struct qat_engine *eng, const struct qp_line *line);
void qisock_resync_forget(struct qat_engine *eng);
void qisock_resync_stop(struct qat_engine *eng);

#endif /* QISOCK_RESYNC_H */
