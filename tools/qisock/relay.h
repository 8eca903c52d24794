/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock CLI: what nc.c tells relay.c about a connection.
 */
#ifndef QISOCK_CLI_RELAY_H
#define QISOCK_CLI_RELAY_H

/**
 * struct qisock_nc - one nc, open or listen invocation.
 * @service: &enum qisock_service.
 * @id: -i connectID, -1 for any free one.
 * @lport: -p local port.
 * @wait_s: -w: connect time-out in seconds (0: 180).
 * @wait_idle: quit after this many seconds without data either way (nc -w).
 * @wait_eof: quit this many seconds without data after stdin ended
 *	(the older verbs' -w).
 * @quit_s: -q: quit this many seconds after stdin ended, -1 never.
 * @shut: -N: after stdin ended and the module acknowledged it, close.
 * @keep: -k: accept again after a connection ended.
 * @verbose: -v.
 * @legacy: open/listen: print every accepted connection.
 */
struct qisock_nc {
	int service;
	int id;
	int lport;
	int wait_s;
	int wait_idle;
	int wait_eof;
	int quit_s;
	int shut;
	int keep;
	int verbose;
	int legacy;
};

int qisock_relay(const struct qisock_nc *o, int fd);

#endif /* QISOCK_CLI_RELAY_H */
