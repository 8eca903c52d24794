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
 * @send_ok_after_ok: QISEND answers OK, then SEND OK/SEND FAIL (BC66).
 * @close_ok_after_ok: QICLOSE answers OK, then CLOSE OK (BC66).
 * @servers: TCP LISTENER and UDP SERVICE exist.
 * @qiopen_ext: AT+QIOPEN takes <tcp_client_maxnum>,<connect_timeout>.
 * @close_timeout: AT+QICLOSE takes a <timeout> argument.
 * @send_prompt: AT+QISEND=<id>,<len> answers '>' and takes raw data.
 * @pin: commands run after identification that fix the wire format the
 *	driver parses, NULL-terminated.
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
	bool send_ok_after_ok;
	bool close_ok_after_ok;
	bool servers;
	bool qiopen_ext;
	bool close_timeout;
	bool send_prompt;
	const char * const *pin;
};

extern const struct qisock_dialect qisock_dialect_ec200u;
extern const struct qisock_dialect qisock_dialect_bc66;

const struct qisock_dialect *qisock_dialect_match(const char *model,
						  const char **canonical);

#endif /* QISOCK_DIALECT_H */
