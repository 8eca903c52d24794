/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock AT engine: one command in flight, a queue behind it, a time-out
 * per command, the '>' prompt and data phase, binary blocks, and URC
 * dispatch in every state. It talks to the modem only through a
 * struct qisock_xport_ops (the tty line discipline, or a fake in KUnit).
 *
 * Contexts and locking (see also Documentation/driver-api/qisock.rst):
 *
 *  - rx_mutex serialises everything fed to the parser: qisock_at_receive() (the
 *    tty receive path, process context), the time-out work and
 *    qisock_at_shutdown(). Parser callbacks, and so the client's URC callbacks
 *    and the command's info/data/done callbacks, run with rx_mutex held:
 *    they must not sleep waiting for the modem and must not call
 *    qisock_at_exec()/qisock_at_wait(); they may call qisock_at_submit().
 *  - lock (a spinlock, never taken in hard IRQ) protects the queue, the
 *    command in flight (cur) and its phase. Order: rx_mutex, then lock.
 *  - All writes to the transport happen in tx_work; the transport's write
 *    wakeup (possibly hard IRQ) only calls qisock_at_tx_kick().
 *  - Commands are reference counted: the submitter holds one reference, the
 *    engine one while the command is queued or in flight, so a killed
 *    submitter can walk away and the engine still consumes the answer.
 *  - After qisock_at_shutdown() every queued and in-flight command has completed
 *    with the shutdown error and qisock_at_submit() fails; received bytes are
 *    dropped. qisock_at_destroy() then waits for the work items.
 */
#ifndef QISOCK_AT_H
#define QISOCK_AT_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "qisock_dialect.h"
#include "qisock_parse.h"
#include "qisock_resync.h"

struct device;
struct qat_cmd;

/* Longest command line, without the terminating CR. */
#define QAT_CMD_MAX		600
/* Largest binary block the engine accepts from the modem. */
#define QAT_BLOCK_MAX		2048
/* Most commands queued behind the one in flight. */
#define QAT_QUEUE_MAX		256
/* Default time-out of a command (the seeds' 300 ms, with margin). */
#define QAT_TIMEOUT_MS		1000
/* Pause after a time-out or protocol error, so late answers drain. */
#define QAT_QUIET_MS		200
/* Largest block length accepted as syntax; longer blocks are still consumed. */
#define QAT_BLOCK_HARD_MAX	65536
/*
 * Slowest line rate assumed (bytes per second, 9600 baud 8N1): the deadline
 * of a command counts from the last byte handed to the transport plus the
 * time those bytes need on the wire at this rate.
 */
#define QAT_LINE_BPS		960

/* Transfer time of @len bytes at the slowest line rate assumed. */
static inline unsigned long qat_xfer_jiffies(size_t len)
{
	return msecs_to_jiffies(div_u64((u64)len * 1000, QAT_LINE_BPS));
}

/* Commands kept for a late result (BC66's CLOSE OK), oldest dropped. */
#define QAT_LATE_MAX		8
/*
 * Resync: after a command failed without its answer, the engine gets back
 * in step with the modem before the next command (qisock_resync.h).
 *
 * A '>' counts only once the command line has been handed to the
 * transport completely, so a stale prompt never releases user data into
 * command mode.
 */

/**
 * struct qisock_xport_ops - the byte pipe to the modem.
 * @write: queue @len bytes for the modem. Returns how many were taken
 *	(0..@len) or a negative errno (the transport is gone). When it
 *	takes fewer than @len it must call qisock_at_tx_kick() once it has room.
 *	Called only from the engine's tx work item.
 */
struct qisock_xport_ops {
	ssize_t (*write)(void *priv, const u8 *buf, size_t len);
};

/**
 * struct qat_client_ops - what the engine reports to its owner.
 * @urc: an unsolicited line (not claimed by the command in flight).
 * @urc_data: a part of the data of a direct-push "recv" URC; the URC itself
 *	came through @urc just before. @last marks the block's final part.
 * @silent: a resync ended without any answer to its probes (the module
 *	may have stopped answering; see qisock_recover.c). Optional; it may
 *	only schedule work.
 * @woke: the "AT" of a wake sequence ended (qisock_at_wake.c): the module
 *	may have slept and dropped URCs. Optional; it must not wait.
 *
 * All run with rx_mutex held (see above).
 */
struct qat_client_ops {
	void (*urc)(void *priv, const struct qp_line *line);
	void (*urc_data)(void *priv, const u8 *buf, u32 len, bool last);
	void (*silent)(void *priv);
	void (*woke)(void *priv);
};

/**
 * struct qat_cmd_ops - per-command hooks, all optional.
 * @info: an information line of this command. Return the number of binary
 *	bytes that follow the line (e.g. n of "+QIRD: n"), 0 if none, or a
 *	negative errno to fail the command.
 * @data: a part of such a binary block; @last on its final part.
 * @done: the command completed (any outcome); called before waiters wake.
 *
 * @info and @data run with rx_mutex held; @done runs from the receive path
 * (rx_mutex held), the time-out work (rx_mutex held), the tx work
 * (transport error), qisock_at_cancel() or qisock_at_shutdown() (rx_mutex held). None
 * of them may sleep waiting for the modem. After @done no hook of the
 * command is called again, even if its late answer arrives (resync).
 */
struct qat_cmd_ops {
	int (*info)(struct qat_cmd *cmd, const struct qp_line *line);
	void (*data)(struct qat_cmd *cmd, const u8 *buf, u32 len, bool last);
	void (*done)(struct qat_cmd *cmd);
};

/* qat_cmd.phase */
enum qat_phase {
	QAT_QUEUED,
	QAT_SENDING,		/* writing the command line */
	QAT_WAIT_PROMPT,	/* command written, waiting for '>' */
	QAT_DATA,		/* writing the data after '>' */
	QAT_WAIT_FINAL,		/* waiting for the final result */
	QAT_DONE,
};

/**
 * struct qat_cmd - one AT command and its outcome.
 * @ref: references (submitter, engine).
 * @node: link in the engine's queue (engine lock).
 * @done: completed once the command has its outcome.
 * @ops: hooks, or NULL.
 * @priv: for the owner of @ops.
 * @timeout_ms: time from the last byte written (plus its transfer time at
 *	QAT_LINE_BPS) or the last line or block byte received for the
 *	command, to the final result.
 * @final_mask: result codes (QP_BIT()) that complete the command:
 *	OK, ERROR, +CME/+CMS ERROR, and what its descriptor adds
 *	(&struct qisock_cmd_desc); never derived from the command text.
 * @inter_mask: result codes recorded in @seen_mask without completing it
 *	(BC66: the OK before SEND OK).
 * @late: a result code owed after the command's OK (BC66: CLOSE OK), or 0.
 * @late_seen: that line came (the engine tied it to this command).
 * @secret: the line or the answer holds a secret (AT+QICSGP's password):
 *	logs and traces show the line up to its '=' only, and no line
 *	received while it is in flight.
 * @claim_urc: lines with a URC prefix equal to @prefix belong to this
 *	command (read forms such as "AT+QIACTEX?").
 * @claim_min_args: with @claim_urc, only lines with at least this many
 *	arguments (0: all).
 * @phase: &enum qat_phase (engine lock).
 * @prompt_seen: the '>' came while the transport was taking the end of the
 *	command line (engine lock).
 * @line_end: the write in progress hands over the end of the command line;
 *	only then may a '>' count (engine lock).
 * @heard: a line or a '>' came while it was in flight (engine lock).
 * @idle_before: jiffies the line had been idle when it was sent (engine
 *	lock).
 * @wake_retried: it was sent again after a wake-up swallowed it
 *	(qisock_at_wake.c; engine lock).
 * @blk_max: largest block the command accepts (0: QAT_BLOCK_MAX); the
 *	submitter sets it (AT+QIRD=<id>,<len>: <len>).
 * @status: 0, or a negative errno: -EIO (ERROR, +CME/+CMS ERROR), -ENOBUFS
 *	(SEND FAIL), -ENOTCONN (NO CARRIER), -ETIMEDOUT, -EPROTO, -ECANCELED,
 *	or the shutdown error.
 * @result: the final &enum qp_code (QP_INFO if none arrived).
 * @cme: the +CME/+CMS ERROR number, or -1.
 * @qierr: a TCP/IP command: a plain ERROR is followed by AT+QIGETERROR
 *	before the command completes (qisock_at_qierr.c).
 * @mod_err: the <err> AT+QIGETERROR reported after its ERROR, or 0.
 * @seen_mask: intermediate result codes seen.
 * @deadline: jiffies when the command times out.
 * @tx_off: bytes of the current phase written.
 * @line_len: length of @line including its CR.
 * @data: bytes sent after the prompt (owned by the command).
 * @data_len: their number (0: the command has no data phase).
 * @resp: information lines, '\n'-terminated each, NUL-terminated.
 * @resp_len: bytes in @resp.
 * @resp_size: capacity of @resp.
 * @resp_trunc: a line did not fit in @resp.
 * @prefix: the command's response prefix ("+CGMM:"): the descriptor's,
 *	or by the V.250 rule from @line.
 * @line: the command line and its CR.
 */
struct qat_cmd {
	struct kref ref;
	struct list_head node;
	struct completion done;
	const struct qat_cmd_ops *ops;
	void *priv;
	unsigned int timeout_ms;
	u32 final_mask;
	u32 inter_mask;
	u8 late;
	bool late_seen;
	bool secret;
	bool claim_urc;
	u8 claim_min_args;
	enum qat_phase phase;
	bool prompt_seen;
	bool line_end;
	bool heard;
	bool wake_retried;
	unsigned long idle_before;
	u32 blk_max;
	int status;
	enum qp_code result;
	s32 cme;
	bool qierr;
	u32 mod_err;
	u32 seen_mask;
	unsigned long deadline;
	size_t tx_off;
	u16 line_len;
	u8 *data;
	size_t data_len;
	char *resp;
	u16 resp_len;
	u16 resp_size;
	bool resp_trunc;
	char prefix[24];
	char line[];
};

/**
 * struct qat_stats - engine counters.
 * @cmds: commands completed.
 * @timeouts: commands timed out.
 * @stray_final: final results with no command waiting for them.
 * @stray_info: information lines with no command in flight.
 * @stray_prompt: prompts nobody waited for.
 * @echo: echoed command lines dropped.
 * @urcs: URCs dispatched.
 * @push_bytes: direct-push data bytes received.
 * @proto_err: lengths or blocks refused as impossible.
 * @rx_dropped: bytes received after shutdown.
 * @late: lines and block bytes of a timed-out command dropped.
 * @resyncs: resyncs started.
 * @rs_probes: resync probes started.
 * @rx_errors: parity, framing or overrun errors reported by the transport.
 * @late_lines: late results (BC66's CLOSE OK) tied to their command.
 * @late_lost: commands that were owed a late result and never got it.
 * @qierr: AT+QIGETERROR follow-ups after a plain ERROR.
 * @svc_stray: service URCs (DNS, ping, NTP) with no request running.
 * @svc_bad: malformed service URCs (their request failed with EPROTO).
 * @silent: resyncs that gave up without any answer to their probes.
 * @reboots: module restarts the driver asked for (qisock_recover.c,
 *	under the engine lock).
 * @wakeups: wake sequences sent ahead of a command (qisock_at_wake.c).
 * @wake_retries: commands sent again after a wake-up swallowed them.
 */
struct qat_stats {
	u32 cmds;
	u32 timeouts;
	u32 stray_final;
	u32 stray_info;
	u32 stray_prompt;
	u32 echo;
	u32 urcs;
	u32 push_bytes;
	u32 proto_err;
	u32 rx_dropped;
	u32 late;
	u32 resyncs;
	u32 rs_probes;
	u32 rx_errors;
	u32 late_lines;
	u32 late_lost;
	u32 qierr;
	u32 svc_stray;
	u32 svc_bad;
	u32 silent;
	u32 reboots;
	u32 wakeups;
	u32 wake_retries;
};

/* Size of the description kept with the last error (the uapi's). */
#define QAT_LASTERR_TEXT	96

/**
 * struct qat_lasterr - the module's last TCP/IP error (AT+QIGETERROR).
 * @valid: an answer came since attach.
 * @code: its <err>.
 * @text: its <errcode_description>.
 */
struct qat_lasterr {
	bool valid;
	u32 code;
	char text[QAT_LASTERR_TEXT];
};

/**
 * struct qat_wake - waking a module that sleeps (qisock_at_wake.c).
 * @idle_ms: idle time after which it may be asleep (0: it never sleeps);
 *	lowered when the module proves to sleep sooner.
 * @repin: commands a wake-up undoes, NULL-terminated, or NULL.
 * @io_last: jiffies of the last byte either way.
 * @due: an idle gap was seen on the receive side: wake first anyway.
 * @repin_owed: a wake-up happened; @repin goes before the next command
 *	with a data phase.
 *
 * All under the engine lock.
 */
struct qat_wake {
	unsigned int idle_ms;
	const char * const *repin;
	unsigned long io_last;
	bool due;
	bool repin_owed;
};

enum qat_block_owner {
	QAT_BLK_NONE,
	QAT_BLK_CMD,
	QAT_BLK_URC,
};

/**
 * struct qat_engine - the AT engine of one modem.
 * @xops: transport.
 * @xpriv: first argument of @xops.
 * @cops: client (URC) callbacks, or NULL.
 * @cpriv: first argument of @cops.
 * @dev: for messages, or NULL.
 * @rx_mutex: see the locking rules above.
 * @parser: the byte parser (rx_mutex).
 * @blk_owner: who gets the binary block in progress (rx_mutex). Once a
 *	block length is accepted the parser consumes the whole block; a
 *	time-out or error only sets the owner to QAT_BLK_NONE (data dropped).
 * @blk_cmd: the command owning it, referenced (rx_mutex).
 * @rs: the resync (see qisock_resync.h for its locking).
 * @late: commands owed a late result, oldest first, referenced (rx_mutex).
 * @late_n: their number (rx_mutex).
 * @lock: see the locking rules above.
 * @queue: commands waiting (lock).
 * @queued: their number (lock).
 * @cur: the command in flight, referenced (lock).
 * @gone: shut down (lock).
 * @gone_err: the errno commands fail with after shutdown (lock).
 * @hold_until: no new command before this (jiffies), when @hold (lock).
 * @hold: a quiet period is in force (lock). Not redundant with
 *	@hold_until: a stale jiffies value alone would look like the future
 *	again once jiffies moved half their range on.
 * @quiet_ms: length of the quiet period after a time-out.
 * @rx_last: jiffies when the last byte came from the modem (written under
 *	rx_mutex, read with READ_ONCE() by qisock_recover.c).
 * @wake: waking a module that sleeps (lock).
 * @push_by_id: "recv" URCs show a length in buffer access mode too (BC66,
 *	whose "showlength" the driver pins on): one carries data only for a
 *	connectID in @push_ids. Set once the dialect is known (rx_mutex).
 * @push_ids: connectIDs in direct push mode, one bit each (atomic
 *	bitops); changed by the receive path when the module's OK to
 *	AT+QIOPEN or AT+QISWTMD arrives, so a URC is read in the mode that
 *	was in force when the module sent it.
 * @tx_work: writes to the transport.
 * @to_work: the time-out of @cur.
 * @lasterr: the last AT+QIGETERROR answer (lock).
 * @st: counters (rx side under rx_mutex, the rest under lock).
 */
struct qat_engine {
	const struct qisock_xport_ops *xops;
	void *xpriv;
	const struct qat_client_ops *cops;
	void *cpriv;
	struct device *dev;

	struct mutex rx_mutex;		/* parser and receive side */
	struct qp_parser parser;
	enum qat_block_owner blk_owner;
	struct qat_cmd *blk_cmd;

	spinlock_t lock;		/* queue, cur, phases, hold */
	struct list_head queue;
	unsigned int queued;
	struct qat_cmd *cur;
	bool gone;
	int gone_err;
	unsigned long hold_until;
	bool hold;
	unsigned int quiet_ms;
	struct qat_resync rs;
	struct qat_cmd *late[QAT_LATE_MAX];
	unsigned int late_n;
	unsigned long rx_last;
	struct qat_wake wake;
	bool push_by_id;
	unsigned long push_ids;

	struct delayed_work tx_work;
	struct delayed_work to_work;
	struct qat_lasterr lasterr;
	struct qat_stats st;
};

/* Inside the engine only (qisock_at_late.c, _blk.c, _qierr.c). */
void qisock_at_finish(struct qat_engine *eng, struct qat_cmd *cmd,
		      int status, enum qp_code result);
bool qisock_at_qierr_wanted(const char *line, size_t len);
struct qat_cmd *qisock_at_qierr_prepare(struct qat_engine *eng,
					struct qat_cmd *cmd,
					const struct qp_line *line);
void qisock_at_qierr_drop(struct qat_cmd *q);
void qisock_at_late_owe(struct qat_engine *eng, struct qat_cmd *cmd);
bool qisock_at_late_take(struct qat_engine *eng, const struct qp_line *line);
void qisock_at_late_forget(struct qat_engine *eng);
void qisock_at_wake_io(struct qat_engine *eng, bool rx);
bool qisock_at_wake_first(struct qat_engine *eng, const struct qat_cmd *next);
bool qisock_at_wake_retry(struct qat_engine *eng, struct qat_cmd *cmd);
u32 qisock_at_blk_len(const struct qat_cmd *cmd, const struct qp_line *line);
u32 qisock_at_push_len(struct qat_engine *eng, const struct qp_line *line,
		       bool *drop);

/* How much of @cmd's line a log or trace may show (see @secret). */
static inline int qat_cmd_shown(const struct qat_cmd *cmd)
{
	const char *eq;

	if (!cmd->secret)
		return cmd->line_len - 1;
	eq = memchr(cmd->line, '=', cmd->line_len);
	return eq ? eq - cmd->line + 1 : 0;
}

void qisock_at_init(struct qat_engine *eng, const struct qisock_xport_ops *xops,
		    void *xpriv, const struct qat_client_ops *cops, void *cpriv,
	      struct device *dev);
void qisock_at_set_dialect(struct qat_engine *eng, const struct qp_entry *lines);
void qisock_at_set_wake(struct qat_engine *eng, unsigned int idle_ms,
			const char * const *repin);
void qisock_at_set_push_by_id(struct qat_engine *eng, bool on);
void qisock_at_set_push(struct qat_engine *eng, unsigned int id, bool push);
bool qisock_at_id_pushes(struct qat_engine *eng, int id);
void qisock_at_receive(struct qat_engine *eng, const u8 *buf, size_t len);
void qisock_at_rx_error(struct qat_engine *eng);
void qisock_at_tx_kick(struct qat_engine *eng);
void qisock_at_shutdown(struct qat_engine *eng, int err);
void qisock_at_flush(struct qat_engine *eng, int err);
void qisock_at_destroy(struct qat_engine *eng);

__printf(4, 5)
struct qat_cmd *qisock_at_cmd_new(unsigned int timeout_ms, size_t resp_size,
				  size_t data_len, const char *fmt, ...);
__printf(4, 5)
struct qat_cmd *qisock_at_cmd_alloc(const struct qisock_cmd_desc *desc,
				    size_t resp_size, size_t data_len,
			      const char *fmt, ...);
__printf(4, 0)
struct qat_cmd *qisock_at_cmd_valloc(const struct qisock_cmd_desc *desc,
				     size_t resp_size, size_t data_len,
			       const char *fmt, va_list ap);
void qisock_at_cmd_get(struct qat_cmd *cmd);
void qisock_at_cmd_put(struct qat_cmd *cmd);
int qisock_at_submit(struct qat_engine *eng, struct qat_cmd *cmd);
int qisock_at_wait(struct qat_cmd *cmd);
int qisock_at_wait_intr(struct qat_engine *eng, struct qat_cmd *cmd);
int qisock_at_exec_intr(struct qat_engine *eng, struct qat_cmd *cmd);
bool qisock_at_cancel(struct qat_engine *eng, struct qat_cmd *cmd);
int qisock_at_exec(struct qat_engine *eng, struct qat_cmd *cmd);
__printf(3, 4)
int qisock_at_simple(struct qat_engine *eng, unsigned int timeout_ms,
		     const char *fmt, ...);
int qisock_at_check_line(const char *line, size_t len);
int qisock_at_qierr_parse(const char *text, size_t len, u32 *code,
			  char *desc, size_t size);
void qisock_at_lasterr_set(struct qat_engine *eng, u32 code, const char *desc);
bool qisock_at_lasterr_get(struct qat_engine *eng, u32 *code, char *desc,
			   size_t size);
int qisock_at_quote(char *dst, size_t size, const char *src);

#endif /* QISOCK_AT_H */
