/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock byte parser: turns the modem's output into events.
 *
 * No kernel API beyond fixed-width types, so the same file builds in user
 * space (fuzzing, instruction counting). The parser never allocates, never
 * blocks and never calls back into anything but its qp_ops.
 *
 * Framing (V1 result codes, as both seeds specify):
 *  - a line ends at LF; CR bytes are dropped, blank lines are ignored;
 *  - '>' as the first byte of a line is the data prompt ("\r\n> ", or ">"
 *    followed by CR/LF with AT+QICFG="formatcfg",1); one following space
 *    is swallowed;
 *  - a line longer than QP_LINE_MAX - 1 bytes is dropped up to its LF
 *    (counted in overlong), a line holding control bytes or DEL after its
 *    first printable byte is dropped (counted in garbage): either way the
 *    parser resynchronises on the next LF. Control bytes before the first
 *    printable byte are skipped ("\0RDY" is RDY);
 *  - qisock_parse_expect_block(p, n) (called by the AT engine, usually from its line
 *    callback after "+QIRD: <n>" or a direct-push "+QIURC: \"recv\",id,n")
 *    makes the next n bytes binary data, whatever they contain.
 */
#ifndef QISOCK_PARSE_H
#define QISOCK_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef long long s64;
#endif

/* The longest line kept, including its terminating NUL. */
#define QP_LINE_MAX	1024
/* Most arguments qisock_parse_split_args() returns. */
#define QP_MAX_ARGS	12

/**
 * enum qp_code - what a line is.
 * @QP_INFO: anything not in a table: an information response line.
 * @QP_ECHO: the module echoing a command line ("AT...", echo is on).
 * @QP_OK: final result OK.
 * @QP_ERROR: final result ERROR.
 * @QP_CME_ERROR: final result +CME ERROR: <n> (qp_line.err holds n).
 * @QP_CMS_ERROR: final result +CMS ERROR: <n> (qp_line.err holds n).
 * @QP_SEND_OK: SEND OK (QISEND/QISENDEX).
 * @QP_SEND_FAIL: SEND FAIL (send buffer full).
 * @QP_CLOSE_OK: CLOSE OK (BC66 QICLOSE, after OK).
 * @QP_CONNECT: CONNECT (transparent mode entered).
 * @QP_NO_CARRIER: NO CARRIER.
 * @QP_URC_RECV: +QIURC: "recv",id[,len[,"ip",port]].
 * @QP_URC_BUFF_FULL: +QIURC: "recv",id,"buff full" (BC66).
 * @QP_URC_CLOSED: +QIURC: "closed",id.
 * @QP_URC_INCOMING: +QIURC: "incoming",id,serverID,"ip",port.
 * @QP_URC_INCOMING_FULL: +QIURC: "incoming full".
 * @QP_URC_PDPDEACT: +QIURC: "pdpdeact",ctx.
 * @QP_URC_DNSGIP: +QIURC: "dnsgip",... (header or one address).
 * @QP_URC_QIOPEN: +QIOPEN: id,err.
 * @QP_URC_QIACTEX: +QIACTEX: ctx,err[,...].
 * @QP_URC_QIDEACTEX: +QIDEACTEX: ctx,err.
 * @QP_URC_QPING: +QPING: ... (one reply or the summary).
 * @QP_URC_QNTP: +QNTP: err,"time" (also the BC66 spelling +QNTTP:).
 * @QP_URC_RDY: RDY, the module (re)started.
 * @QP_URC_IP: +IP: addr (BC66 network registration).
 * @QP_URC_OTHER: another known unsolicited line (+CPIN:, +QIND:, ...).
 * @QP_CODE_COUNT: number of codes (all fit in a u32 mask).
 */
enum qp_code {
	QP_INFO,
	QP_ECHO,
	QP_OK,
	QP_ERROR,
	QP_CME_ERROR,
	QP_CMS_ERROR,
	QP_SEND_OK,
	QP_SEND_FAIL,
	QP_CLOSE_OK,
	QP_CONNECT,
	QP_NO_CARRIER,
	QP_URC_RECV,
	QP_URC_BUFF_FULL,
	QP_URC_CLOSED,
	QP_URC_INCOMING,
	QP_URC_INCOMING_FULL,
	QP_URC_PDPDEACT,
	QP_URC_DNSGIP,
	QP_URC_QIOPEN,
	QP_URC_QIACTEX,
	QP_URC_QIDEACTEX,
	QP_URC_QPING,
	QP_URC_QNTP,
	QP_URC_RDY,
	QP_URC_IP,
	QP_URC_OTHER,
	QP_CODE_COUNT
};

#define QP_BIT(code)	((u32)1 << (code))

/* Final result codes: they end the command in flight. */
#define QP_FINAL_MASK	(QP_BIT(QP_OK) | QP_BIT(QP_ERROR) |		\
			 QP_BIT(QP_CME_ERROR) | QP_BIT(QP_CMS_ERROR) |	\
			 QP_BIT(QP_SEND_OK) | QP_BIT(QP_SEND_FAIL) |	\
			 QP_BIT(QP_CLOSE_OK) | QP_BIT(QP_CONNECT) |	\
			 QP_BIT(QP_NO_CARRIER))

static inline bool qp_is_final(unsigned int code)
{
	return code < QP_CODE_COUNT && (QP_FINAL_MASK & QP_BIT(code));
}

static inline bool qp_is_urc(unsigned int code)
{
	return code >= QP_URC_RECV && code < QP_CODE_COUNT;
}

/* qp_entry.flags */
#define QP_M_PREFIX	0x00	/* pattern is a prefix, arguments follow */
#define QP_M_EXACT	0x01	/* the whole line is the pattern */
#define QP_M_WORD	0x02	/* the pattern, then end of line or a space */
#define QP_M_ICASE	0x04	/* letters compare case-insensitively */

/**
 * struct qp_entry - one line class of a dialect table.
 * @pat: the pattern; a space in it matches any number of spaces.
 * @code: the &enum qp_code of a matching line.
 * @flags: QP_M_* match rules.
 *
 * Tables end with an entry whose @pat is NULL.
 */
struct qp_entry {
	const char *pat;
	u8 code;
	u8 flags;
};

/**
 * struct qp_line - one classified line, valid during the callback only.
 * @text: the line, NUL-terminated, without CR/LF.
 * @len: strlen(@text).
 * @args: offset in @text of the arguments after the matched pattern.
 * @code: the &enum qp_code.
 * @err: the number of +CME ERROR:/+CMS ERROR:, -1 when absent.
 */
struct qp_line {
	const char *text;
	u16 len;
	u16 args;
	u8 code;
	s32 err;
};

/**
 * struct qp_ops - parser callbacks, all optional.
 * @line: a complete, classified line.
 * @prompt: the '>' data prompt.
 * @data: part of a binary block; @last is set on the block's final part.
 *
 * The callbacks run inside qisock_parse_feed(). @line may call qisock_parse_expect_block(); the
 * bytes after the line are then parsed as the block.
 */
struct qp_ops {
	void (*line)(void *ctx, const struct qp_line *line);
	void (*prompt)(void *ctx);
	void (*data)(void *ctx, const u8 *buf, u32 len, bool last);
};

/**
 * struct qp_stats - parser counters.
 * @lines: lines delivered.
 * @overlong: lines dropped for length.
 * @garbage: lines dropped for control bytes.
 * @prompts: prompts delivered.
 * @blocks: binary blocks completed.
 * @block_bytes: binary bytes delivered.
 */
struct qp_stats {
	u32 lines;
	u32 overlong;
	u32 garbage;
	u32 prompts;
	u32 blocks;
	u32 block_bytes;
};

/**
 * struct qp_parser - parser state. Callers serialise all calls.
 * @ops: callbacks.
 * @ctx: first argument of every callback.
 * @common: the table every dialect shares.
 * @tables: line tables searched in order (dialect, then common); NULL ends.
 * @state: QP_S_* (internal).
 * @bad: the line being collected holds control bytes.
 * @len: bytes collected in @buf.
 * @block_left: bytes of the binary block still to come.
 * @st: counters.
 * @buf: the line being collected.
 */
struct qp_parser {
	const struct qp_ops *ops;
	void *ctx;
	const struct qp_entry *common;
	const struct qp_entry *tables[3];
	u8 state;
	bool bad;
	u16 len;
	u32 block_left;
	struct qp_stats st;
	char buf[QP_LINE_MAX];
};

/**
 * struct qp_arg - one argument of a response or URC line.
 * @s: its text (without quotes), not NUL-terminated.
 * @len: its length.
 * @quoted: it was a "string".
 * @is_int: it was a decimal integer (optionally signed); see @v.
 * @v: its value when @is_int.
 */
struct qp_arg {
	const char *s;
	u16 len;
	bool quoted;
	bool is_int;
	s64 v;
};

void qisock_parse_init(struct qp_parser *p, const struct qp_ops *ops, void *ctx,
		       const struct qp_entry *common);
void qisock_parse_set_dialect(struct qp_parser *p, const struct qp_entry *table);
void qisock_parse_reset(struct qp_parser *p);
void qisock_parse_feed(struct qp_parser *p, const u8 *buf, u32 len);
void qisock_parse_expect_block(struct qp_parser *p, u32 len);
bool qisock_parse_in_block(const struct qp_parser *p);
void qisock_parse_classify(const struct qp_entry *const *tables, const char *text,
			   u16 len, struct qp_line *line);
int qisock_parse_split_args(const char *s, u32 len, struct qp_arg *args, int max);
int qisock_parse_line_args(const struct qp_line *line, struct qp_arg *args, int max);
bool qisock_parse_arg_is(const struct qp_arg *arg, const char *str);
const char *qisock_parse_code_name(unsigned int code);

extern const struct qp_entry qisock_parse_common_lines[];

#endif /* QISOCK_PARSE_H */
