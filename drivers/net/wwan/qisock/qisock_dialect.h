/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock dialect tables: what differs between the module families.
 *
 * Like the parser, this is plain data plus string matching: no kernel API,
 * so it builds in user space too.
 */
#ifndef QISOCK_DIALECT_H
#define QISOCK_DIALECT_H

#include "qisock_parse.h"

/**
 * struct qisock_cmd_desc - what a command expects from the module.
 * @prefix: the prefix of its information lines ("+QIRD:"), or NULL to
 *	take it from the command line by the V.250 rule for extended
 *	commands ("AT+CGMM" -> "+CGMM:").
 * @finals: result codes (QP_BIT()) that complete it besides OK, ERROR
 *	and +CME/+CMS ERROR. Codes nobody lists here end no command, so a
 *	stray SEND OK or CLOSE OK cannot complete a QIRD.
 * @inter: result codes recorded without completing it (BC66: the OK
 *	before SEND OK); they are taken out of the default finals.
 * @late: a result code the module sends some time after the command
 *	completed with OK (BC66: CLOSE OK after QICLOSE's OK), or 0. The
 *	engine ties it to this command however late it comes and never lets
 *	it end another one.
 * @claim_urc: lines with @prefix belong to the command although the prefix
 *	is also a URC's (read forms such as "AT+QIACTEX?").
 * @claim_min_args: with @claim_urc, only lines with at least this many
 *	arguments (the URC has fewer); 0: every such line.
 * @timeout_ms: the seed's maximum response time (0: the engine default).
 */
struct qisock_cmd_desc {
	const char *prefix;
	u32 finals;
	u32 inter;
	u8 late;
	bool claim_urc;
	u8 claim_min_args;
	u32 timeout_ms;
};

/**
 * enum qisock_cmd - the commands whose expectations differ per dialect.
 * @QISOCK_CMD_QIOPEN: AT+QIOPEN, until its OK (+QIOPEN is a URC).
 * @QISOCK_CMD_QICLOSE: AT+QICLOSE.
 * @QISOCK_CMD_QISEND: AT+QISEND with data.
 * @QISOCK_CMD_QIRD: AT+QIRD, reading a block.
 * @QISOCK_CMD_QISWTMD: AT+QISWTMD.
 * @QISOCK_CMD_QIDEACT: AT+QIDEACT.
 * @QISOCK_CMD_COUNT: number of entries.
 */
enum qisock_cmd {
	QISOCK_CMD_QIOPEN,
	QISOCK_CMD_QICLOSE,
	QISOCK_CMD_QISEND,
	QISOCK_CMD_QIRD,
	QISOCK_CMD_QISWTMD,
	QISOCK_CMD_QIDEACT,
	QISOCK_CMD_COUNT,
};

/* Most values of one AT+QICFG option (tcp/keepalive, pdp/retry: 4). */
#define QISOCK_QICFG_VALS	4
/* struct qisock_qicfg_opt.counts: a write may give @n values. */
#define QISOCK_QICFG_N(n)	(1u << (n))

/**
 * enum qisock_qicfg_keep - how long the module keeps an AT+QICFG option.
 * @QISOCK_QICFG_UNTIL_RESTART: until it restarts (seed 000: "will not be
 *	saved"; the driver sends what was written again after RDY).
 * @QISOCK_QICFG_NVRAM: saved to NVRAM by the module itself, kept across
 *	restarts and deep sleep (seed 001: dataformat, viewmode, showlength).
 * @QISOCK_QICFG_UNTIL_SLEEP: not even across a deep-sleep wake-up (seed
 *	001: echomode).
 */
enum qisock_qicfg_keep {
	QISOCK_QICFG_UNTIL_RESTART,
	QISOCK_QICFG_NVRAM,
	QISOCK_QICFG_UNTIL_SLEEP,
};

/**
 * struct qisock_qicfg_val - one integer value of an AT+QICFG option.
 * @name: its name in the application note ("idle_time").
 * @min: the smallest value a write may give.
 * @max: the largest.
 */
struct qisock_qicfg_val {
	const char *name;
	u32 min;
	u32 max;
};

/**
 * struct qisock_qicfg_opt - one AT+QICFG option (qisock_qicfg.c).
 * @name: the option as sent ("tcp/keepalive"); the sysfs file is named
 *	after it with '/' turned into '_'.
 * @alias: another spelling the note uses for it, tried when the module
 *	refuses @name, or NULL (seed 000: "tcp/twrecyle").
 * @nkeys: the leading values that select which setting is meant
 *	(pdp/retry: <pdpmode>,<ratmode>); a read lists every combination.
 * @nvals: number of values, keys included, in the note's order.
 * @counts: how many values a write may give (BIT(n)), keys included.
 * @def: the note's default, values separated by blanks, or NULL if it
 *	names none.
 * @check: a rule between values the ranges cannot say, or NULL; gets
 *	the @n values a write gives.
 * @keep: where the module keeps it (&enum qisock_qicfg_keep).
 * @v: the values.
 *
 * Whether an option is read-only is not in the table: it is exactly when
 * the dialect's @pin list sets it (the driver depends on its value).
 */
struct qisock_qicfg_opt {
	const char *name;
	const char *alias;
	u8 nkeys;
	u8 nvals;
	u8 counts;
	const char *def;
	bool (*check)(const u32 *v, unsigned int n);
	u8 keep;
	struct qisock_qicfg_val v[QISOCK_QICFG_VALS];
};

/**
 * struct qisock_dialect - one AT dialect (a family of modules).
 * @name: the name shown in sysfs ("ec200u", "bc66").
 * @models: canonical model names of the family, NULL-terminated.
 * @lines: line classes specific to the family (searched before the common
 *	table), terminated by an entry with a NULL pattern.
 * @sockets: number of connectIDs (0 .. @sockets - 1).
 * @ctx_min: lowest PDP context ID.
 * @ctx_max: highest PDP context ID.
 * @qird_max: largest AT+QIRD read length.
 * @qird_query: AT+QIRD=<id>,0 answers total, read and unread byte counts.
 * @qisend_max: largest AT+QISEND length in data mode.
 * @servers: TCP LISTENER and UDP SERVICE exist.
 * @qiopen_ext: AT+QIOPEN takes <tcp_client_maxnum>,<connect_timeout>.
 * @close_timeout: AT+QICLOSE takes a <timeout> argument.
 * @send_prompt: AT+QISEND=<id>,<len> answers '>' and takes raw data.
 * @show_length: the driver pins lengths on in buffer access mode (BC66
 *	"showlength"): "+QIRD: <len>,<remaining>" tells where a datagram
 *	ends, and a "recv" URC's length means data only in direct push mode.
 * @sleep_idle_ms: the module may be in deep sleep after this long without
 *	a byte either way, and loses the first command after waking
 *	(qisock_at_wake.c); 0 if it never sleeps.
 * @wake_pin: the commands of @pin a wake-up undoes, NULL-terminated.
 * @udp_push: UDP sockets may use direct push mode (the BC66 discards
 *	pushed datagrams over 1400 bytes without a word, so it may not).
 * @ntp_cmd: the NTP command ("AT+QNTP"; BC66 "AT+QNTTP").
 * @ntp_retry: it takes <retry_cnt>,<retry_interval_tm> (EC200U).
 * @ping_size: AT+QPING takes <ping_size> (BC66).
 * @ctx_query: AT+QIACT? reports whether a context is active (EC200U).
 * @cmds: what each &enum qisock_cmd expects, indexed by it.
 * @pin: commands run after identification that fix the wire format the
 *	driver parses, NULL-terminated.
 * @qicfg: the AT+QICFG options the driver offers in sysfs.
 * @nqicfg: their number.
 */
struct qisock_dialect {
	const char *name;
	const char * const *models;
	const struct qp_entry *lines;
	u8 sockets;
	u8 ctx_min;
	u8 ctx_max;
	u16 qird_max;
	bool qird_query;
	u16 qisend_max;
	bool servers;
	bool qiopen_ext;
	bool close_timeout;
	bool send_prompt;
	bool show_length;
	u16 sleep_idle_ms;
	const char * const *wake_pin;
	bool udp_push;
	const char *ntp_cmd;
	bool ntp_retry;
	bool ping_size;
	bool ctx_query;
	const struct qisock_cmd_desc *cmds;
	const char * const *pin;
	const struct qisock_qicfg_opt *qicfg;
	u8 nqicfg;
};

extern const struct qisock_dialect qisock_dialect_ec200u;
extern const struct qisock_dialect qisock_dialect_bc66;

const struct qisock_dialect *qisock_dialect_match(const char *model,
						  const char **canonical);

#endif /* QISOCK_DIALECT_H */
