// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine: results that come after a command completed (BC66's
 * CLOSE OK), tied to the command that asked for them.
 * Part of the engine (qisock_at.c); the rules for contexts and locks are in
 * qisock_at.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "qisock_at.h"

/*
 * Late lines (BC66's CLOSE OK after QICLOSE's OK): a command that completed
 * with OK and whose descriptor names a late result is kept in eng->late[],
 * oldest first. The module answers in order, so the oldest command owed a
 * line of that code takes it; it never reaches the command in flight.
 * rx_mutex held.
 */
void qisock_at_late_owe(struct qat_engine *eng, struct qat_cmd *cmd)
{
	if (eng->late_n == QAT_LATE_MAX) {
		/* the oldest never got its line: forget it */
		qisock_at_cmd_put(eng->late[0]);
		memmove(eng->late, eng->late + 1,
			(QAT_LATE_MAX - 1) * sizeof(eng->late[0]));
		eng->late_n--;
		eng->st.late_lost++;
	}
	qisock_at_cmd_get(cmd);
	eng->late[eng->late_n++] = cmd;
}

bool qisock_at_late_take(struct qat_engine *eng, const struct qp_line *line)
{
	unsigned int i;

	for (i = 0; i < eng->late_n; i++) {
		struct qat_cmd *c = eng->late[i];

		if (c->late != line->code)
			continue;
		WRITE_ONCE(c->late_seen, true);
		qisock_at_cmd_put(c);
		memmove(eng->late + i, eng->late + i + 1,
			(eng->late_n - i - 1) * sizeof(eng->late[0]));
		eng->late_n--;
		eng->st.late_lines++;
		return true;
	}
	return false;
}

/* Forget every owed late line (module restart, shutdown). rx_mutex held. */
void qisock_at_late_forget(struct qat_engine *eng)
{
	while (eng->late_n)
		qisock_at_cmd_put(eng->late[--eng->late_n]);
}
