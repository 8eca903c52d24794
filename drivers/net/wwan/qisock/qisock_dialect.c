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
	{ "+QNTTP:",			QP_URC_QNTP,		QP_M_PREFIX },
	{ "+QNTP:",			QP_URC_QNTP,		QP_M_PREFIX },
	{ NULL, 0, 0 }
};

/*
 * The wire format the parser relies on: no echo of QISEND data, text data,
 * "header CRLF data", "recv" URCs without a length in buffer mode, plain
 * SEND OK/SEND FAIL, QICLOSE answered by OK alone, one datagram per QIRD.
 */
static const char * const ec200u_pin[] = {
	"AT+QISDE=0",
	"AT+QICFG=\"dataformat\",0,0",
	"AT+QICFG=\"viewmode\",0",
	"AT+QICFG=\"recvind\",0",
	"AT+QICFG=\"sendinfo\",0",
	"AT+QICFG=\"close/mode\",0",
	"AT+QICFG=\"udp/readmode\",0",
	NULL
};

static const char * const bc66_pin[] = {
	"AT+QICFG=\"dataformat\",0,0",
	"AT+QICFG=\"viewmode\",0",
	"AT+QICFG=\"showlength\",0",
	"AT+QICFG=\"echomode\",0",
	NULL
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
	.ntp_cmd	= "AT+QNTP",
	.ntp_retry	= true,
	.ctx_query	= true,
	.cmds		= ec200u_cmds,
	.pin		= ec200u_pin,
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
	/* the note's section title says AT+QNTP, its syntax AT+QNTTP */
	.ntp_cmd	= "AT+QNTTP",
	.ping_size	= true,
	.cmds		= bc66_cmds,
	.pin		= bc66_pin,
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
