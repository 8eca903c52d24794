// SPDX-License-Identifier: GPL-2.0
/*
 * qisock dialect tables for the EC200U/EG915U and BC66/BC66-NA families,
 * from their TCP/IP application notes, and the model-name matcher.
 */
#ifdef __KERNEL__
#include "qisock_compat.h"	/* EXPORT_SYMBOL_IF_KUNIT() */
#else
/* built into a test program: nothing to export */
#include <assert.h>
#define EXPORT_SYMBOL_IF_KUNIT(sym) static_assert(1, #sym)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#include "qisock_dialect.h"

/* EC200U/EG915U: the URCs of the LTE Cat 1 family. */
static const struct qp_entry ec200u_lines[] = {
	{ "+QIURC: \"incoming full\"",	QP_URC_INCOMING_FULL,	QP_M_EXACT },
	{ "+QIURC: \"incoming\",",	QP_URC_INCOMING,	QP_M_PREFIX },
	{ "+QIURC: \"pdpdeact\",",	QP_URC_PDPDEACT,	QP_M_PREFIX },
	{ "+QIACTEX:",			QP_URC_QIACTEX,		QP_M_PREFIX },
	{ "+QIDEACTEX:",		QP_URC_QIDEACTEX,	QP_M_PREFIX },
	/* the note also prints the result as "+QIDEACTEX=<ctx>,<err>" */
	{ "+QIDEACTEX=",		QP_URC_QIDEACTEX,	QP_M_PREFIX },
	{ "+QNTP:",			QP_URC_QNTP,		QP_M_PREFIX },
	{ NULL, 0, 0 }
};

/*
 * BC66/BC66-NA: "+IP: <addr>" on registration; the NTP command is spelt
 * both AT+QNTP and AT+QNTTP in the note, so both result prefixes are
 * accepted. "buff full" is a form of "recv" and is refined by the parser.
 */
static const struct qp_entry bc66_lines[] = {
	{ "+IP:",			QP_URC_IP,		QP_M_PREFIX },
	/* not in the note; a network that drops the bearer (the simulator) */
	{ "+QIURC: \"pdpdeact\",",	QP_URC_PDPDEACT,	QP_M_PREFIX },
	{ "+QNTTP:",			QP_URC_QNTP,		QP_M_PREFIX },
	{ "+QNTP:",			QP_URC_QNTP,		QP_M_PREFIX },
	{ NULL, 0, 0 }
};

/*
 * The wire format the parser relies on: no echo of QISEND data, text data,
 * "header CRLF data", "recv" URCs without a length in buffer mode, plain
 * SEND OK/SEND FAIL, QICLOSE answered by OK alone, one datagram per QIRD;
 * and connections to a listener accepted by the module ("incoming").
 */
static const char * const ec200u_pin[] = {
	"AT+QISDE=0",
	"AT+QICFG=\"dataformat\",0,0",
	"AT+QICFG=\"viewmode\",0",
	"AT+QICFG=\"recvind\",0",
	"AT+QICFG=\"sendinfo\",0",
	"AT+QICFG=\"close/mode\",0",
	"AT+QICFG=\"udp/readmode\",0",
	/* listeners: the module accepts; the driver has no AT to do it */
	"AT+QICFG=\"tcp/accept\",1",
	NULL
};

/*
 * BC66: text data, "header CRLF data", lengths shown in buffer access mode
 * (AT+QIRD's <remaining_length> is the only mark of a datagram's end when
 * it is read in parts of at most 512 bytes), no echo of data-mode input.
 */
static const char * const bc66_pin[] = {
	"AT+QICFG=\"dataformat\",0,0",
	"AT+QICFG=\"viewmode\",0",
	"AT+QICFG=\"showlength\",1",
	"AT+QICFG=\"echomode\",0",
	NULL
};

/* BC66: "echomode" is not kept across deep sleep (seed 001 2.3.12). */
static const char * const bc66_wake_pin[] = {
	"AT+QICFG=\"echomode\",0",
	NULL
};

/*
 * AT+QICFG options, in the order of the note's test command. Seed 000
 * 2.4.1 (EC200U/EG915U). Not offered: "send/auto" and "recv/ignore"
 * (the module would send data of its own on a socket, or drop received
 * data, behind the back of the program that owns it; see
 * Documentation/admin-guide/qisock.rst).
 */
#define QV(n, lo, hi)	{ .name = n, .min = lo, .max = hi }
#define QV01(n)		QV(n, 0, 1)

/*
 * <retry_time> of pdp/retry depends on <pdpmode> (0: deactivation,
 * 1: activation) and <ratmode> (0: 4G, 1: 2G): 4G deact 2-6, act 5-8;
 * 2G deact 2-8, act 5-30.
 */
static bool qisock_qicfg_pdp_retry_ok(const u32 *v, unsigned int n)
{
	static const u8 lo[2][2] = { { 2, 2 }, { 5, 5 } };
	static const u8 hi[2][2] = { { 6, 8 }, { 8, 30 } };

	return n < 4 || (v[3] >= lo[v[0]][v[1]] && v[3] <= hi[v[0]][v[1]]);
}

static const struct qisock_qicfg_opt ec200u_qicfg[] = {
	{ .name = "transpktsize", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .def = "1024", .v = { QV("transpktsize", 1, 1460) } },
	{ .name = "transwaittm", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .def = "2", .v = { QV("transwaittm", 0, 20) } },
	{ .name = "dataformat", .nvals = 2, .counts = QISOCK_QICFG_N(2),
	  .v = { QV01("send_data_format"), QV01("recv_data_format") } },
	{ .name = "viewmode", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("view_mode") } },
	{ .name = "udp/sendmode", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("mode") } },
	{ .name = "udp/readmode", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("mode") } },
	{ .name = "tcp/accept", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("accept") } },
	{ .name = "passiveclosed", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("closed") } },
	/* the test command spells it so, the write command "tcp/twrecyle" */
	{ .name = "tcp/twrecycle", .alias = "tcp/twrecyle", .nvals = 1,
	  .counts = QISOCK_QICFG_N(1), .v = { QV01("fast_recyle") } },
	{ .name = "close/mode", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("close_mode") } },
	{ .name = "pdp/retry", .nkeys = 2, .nvals = 4,
	  .counts = QISOCK_QICFG_N(4), .check = qisock_qicfg_pdp_retry_ok,
	  .v = { QV01("pdpmode"), QV01("ratmode"), QV("counts", 2, 4),
		 QV("retry_time", 2, 30) } },
	{ .name = "recvind", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("show_length") } },
	{ .name = "sendinfo", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("send_view_mode") } },
	/* <enable> alone, or all four */
	{ .name = "tcp/keepalive", .nvals = 4,
	  .counts = QISOCK_QICFG_N(1) | QISOCK_QICFG_N(4),
	  .v = { QV01("enable"), QV("idle_time", 1, 1800),
		 QV("interval_time", 25, 100), QV("probe_cnt", 3, 10) } },
	{ .name = "tcp/retranscfg", .nvals = 2,
	  .counts = QISOCK_QICFG_N(1) | QISOCK_QICFG_N(2), .def = "8 6",
	  .v = { QV("retrains_cnt", 3, 12), QV("retrains_period", 5, 60) } },
	{ .name = "formatcfg", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .v = { QV01("format") } },
	{ .name = "qisend/timeout", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .def = "5", .v = { QV("timeout", 0, 120) } },
};

/*
 * Seed 001 2.3.12 (BC66/BC66-NA): every one of them is pinned. The first
 * three are saved to NVRAM by the module; echomode is not even kept
 * across a deep-sleep wake-up.
 */
static const struct qisock_qicfg_opt bc66_qicfg[] = {
	{ .name = "dataformat", .nvals = 2, .counts = QISOCK_QICFG_N(2),
	  .def = "0 0", .keep = QISOCK_QICFG_NVRAM,
	  .v = { QV01("send_data_format"), QV01("recv_data_format") } },
	{ .name = "viewmode", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .def = "0", .keep = QISOCK_QICFG_NVRAM, .v = { QV01("view_mode") } },
	{ .name = "showlength", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .def = "0", .keep = QISOCK_QICFG_NVRAM,
	  .v = { QV01("show_length_mode") } },
	{ .name = "echomode", .nvals = 1, .counts = QISOCK_QICFG_N(1),
	  .def = "1", .keep = QISOCK_QICFG_UNTIL_SLEEP,
	  .v = { QV01("echo_mode") } },
};

/* Seed 000: maximum response times and result shapes. */
static const struct qisock_cmd_desc ec200u_cmds[QISOCK_CMD_COUNT] = {
	[QISOCK_CMD_QIOPEN]	= { .finals = QP_BIT(QP_CONNECT) |
					      QP_BIT(QP_NO_CARRIER),
				    .timeout_ms = 10000 },
	/* 10 s by default, depending on <timeout> (the driver sends 1) */
	[QISOCK_CMD_QICLOSE]	= { .timeout_ms = 10000 },
	[QISOCK_CMD_QISEND]	= { .finals = QP_BIT(QP_SEND_OK) |
					      QP_BIT(QP_SEND_FAIL) },
	[QISOCK_CMD_QIRD]	= { .prefix = "+QIRD:" },
	[QISOCK_CMD_QISWTMD]	= { .finals = QP_BIT(QP_CONNECT) |
					      QP_BIT(QP_NO_CARRIER) },
	[QISOCK_CMD_QIDEACT]	= { .timeout_ms = 40000 },
};

/* Seed 001: 300 ms for every command; QICLOSE and QISEND answer twice. */
static const struct qisock_cmd_desc bc66_cmds[QISOCK_CMD_COUNT] = {
	[QISOCK_CMD_QIOPEN]	= { },
	[QISOCK_CMD_QICLOSE]	= { .late = QP_CLOSE_OK },
	[QISOCK_CMD_QISEND]	= { .finals = QP_BIT(QP_SEND_OK) |
					      QP_BIT(QP_SEND_FAIL),
				    .inter = QP_BIT(QP_OK) },
	[QISOCK_CMD_QIRD]	= { .prefix = "+QIRD:" },
	[QISOCK_CMD_QISWTMD]	= { },
	[QISOCK_CMD_QIDEACT]	= { .timeout_ms = 40000 },
};

static const char * const ec200u_models[] = { "EC200U", "EG915U", NULL };
static const char * const bc66_models[] = { "BC66", "BC66-NA", NULL };

const struct qisock_dialect qisock_dialect_ec200u = {
	.name		= "ec200u",
	.models		= ec200u_models,
	.lines		= ec200u_lines,
	.sockets	= 12,
	.ctx_min	= 1,
	.ctx_max	= 7,
	.qird_max	= 1500,
	.qird_query	= true,
	.qisend_max	= 1460,
	.servers	= true,
	.qiopen_ext	= true,
	.close_timeout	= true,
	.send_prompt	= true,
	.udp_push	= true,
	.ntp_cmd	= "AT+QNTP",
	.ntp_retry	= true,
	.ctx_query	= true,
	.cmds		= ec200u_cmds,
	.pin		= ec200u_pin,
	.qicfg		= ec200u_qicfg,
	.nqicfg		= ARRAY_SIZE(ec200u_qicfg),
};
EXPORT_SYMBOL_IF_KUNIT(qisock_dialect_ec200u);

const struct qisock_dialect qisock_dialect_bc66 = {
	.name		= "bc66",
	.models		= bc66_models,
	.lines		= bc66_lines,
	.sockets	= 5,
	.ctx_min	= 1,
	.ctx_max	= 1,
	.qird_max	= 512,
	.qisend_max	= 1460,
	.send_prompt	= true,
	.show_length	= true,
	/*
	 * The note names no idle time before deep sleep (the network's PSM
	 * and eDRX timers decide it); a second without a byte is taken as
	 * "may be asleep": a wake-up costs two short commands.
	 */
	.sleep_idle_ms	= 1000,
	.wake_pin	= bc66_wake_pin,
	/* the note's section title says AT+QNTP, its syntax AT+QNTTP */
	.ntp_cmd	= "AT+QNTTP",
	.ping_size	= true,
	.cmds		= bc66_cmds,
	.pin		= bc66_pin,
	.qicfg		= bc66_qicfg,
	.nqicfg		= ARRAY_SIZE(bc66_qicfg),
};
EXPORT_SYMBOL_IF_KUNIT(qisock_dialect_bc66);

static const struct qisock_dialect *const qisock_dialects[] = {
	&qisock_dialect_ec200u,
	&qisock_dialect_bc66,
	NULL
};

static char qd_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

/*
 * Length of the model name @m if @s (@len bytes) is @m, or @m followed by
 * a '-', '_' or ' ' suffix (a regional variant such as "EC200U-CN") when
 * @prefix is set; 0 otherwise. Case-insensitive.
 */
static unsigned int qd_cmp(const char *s, unsigned int len, const char *m,
			   bool prefix)
{
	unsigned int i;

	for (i = 0; m[i]; i++)
		if (i >= len || qd_upper(s[i]) != m[i])
			return 0;
	if (i == len)
		return i;
	if (prefix && (s[i] == '-' || s[i] == '_' || s[i] == ' '))
		return i;
	return 0;
}

/**
 * qisock_dialect_match() - find the dialect of a model name.
 * @model: what the module answered (AT+CGMM or a line of ATI).
 * @canonical: set to the canonical model name on success (may be NULL).
 *
 * Leading/trailing blanks and a vendor prefix ("Quectel_", "Quectel ",
 * "QUECTEL-") are ignored; the comparison is case-insensitive. An exact
 * model wins; otherwise the longest model followed by a variant suffix.
 *
 * Return: the dialect, or NULL for an unknown model.
 */
const struct qisock_dialect *qisock_dialect_match(const char *model,
						  const char **canonical)
{
	static const char vendor[] = "QUECTEL";
	const struct qisock_dialect *best = NULL;
	const char *best_name = NULL;
	unsigned int len, best_len = 0, i;
	int pass;

	if (!model)
		return NULL;
	while (*model == ' ' || *model == '\t')
		model++;
	for (i = 0; vendor[i] && qd_upper(model[i]) == vendor[i]; i++)
		;
	if (!vendor[i] && (model[i] == '_' || model[i] == ' ' ||
			   model[i] == '-'))
		model += i + 1;
	for (len = 0; model[len]; len++)
		;
	while (len && (model[len - 1] == ' ' || model[len - 1] == '\t'))
		len--;
	if (!len)
		return NULL;

	for (pass = 0; pass < 2 && !best; pass++) {
		const struct qisock_dialect *const *d;

		for (d = qisock_dialects; *d; d++) {
			const char * const *m;

			for (m = (*d)->models; *m; m++) {
				unsigned int n = qd_cmp(model, len, *m, pass);

				if (n > best_len) {
					best_len = n;
					best = *d;
					best_name = *m;
				}
			}
		}
	}
	if (best && canonical)
		*canonical = best_name;
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_dialect_match);
