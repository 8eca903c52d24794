// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine: the length of the binary block a line announces, for a
 * command or a direct-push "recv" URC.
 * Part of the engine (qisock_at.c); the rules for contexts and locks are in
 * qisock_at.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "qisock_at.h"

/*
 * Length of the block a line announces for @cmd, by syntax alone, or 0:
 * a command with a data hook, a line with its prefix and "n",
 * "n,remaining" (BC66) or "n,"ip",port" (UDP SERVICE). Used to consume
 * blocks the command refuses or that arrive after it failed.
 */
u32 qisock_at_blk_len(const struct qat_cmd *cmd, const struct qp_line *line)
{
	struct qp_arg a[4];
	size_t pl;
	int n;

	if (!cmd || !cmd->ops || !cmd->ops->data || !cmd->prefix[0])
		return 0;
	pl = strlen(cmd->prefix);
	if (line->len < pl || strncasecmp(line->text, cmd->prefix, pl))
		return 0;
	n = qisock_parse_split_args(line->text + pl, line->len - pl, a, 4);
	if (n < 1 || !a[0].is_int || a[0].v <= 0 ||
	    a[0].v > QAT_BLOCK_HARD_MAX)
		return 0;
	if (n == 1 || (n == 2 && a[1].is_int) || (n == 3 && a[1].quoted))
		return a[0].v;
	return 0;
}

/*
 * Length of the data that follows a "recv" URC: "+QIURC: "recv",id,len"
 * (direct push; also "...,len,"ip",port" for UDP SERVICE). The driver
 * keeps the length-only buffer-mode forms (AT+QICFG="recvind" on EC200U,
 * "showlength" on BC66) switched off, so a length always means data.
 * A length over QAT_BLOCK_MAX is refused, but its data is still consumed
 * (and dropped: *drop is set).
 */
u32 qisock_at_push_len(struct qat_engine *eng, const struct qp_line *line,
		       bool *drop)
{
	struct qp_arg a[3];

	*drop = false;
	if (line->code != QP_URC_RECV)
		return 0;
	if (qisock_parse_line_args(line, a, 3) < 2 || !a[1].is_int)
		return 0;
	if (a[1].v <= 0 || a[1].v > QAT_BLOCK_HARD_MAX) {
		eng->st.proto_err++;
		return 0;
	}
	if (a[1].v > QAT_BLOCK_MAX) {
		eng->st.proto_err++;
		*drop = true;
	}
	return a[1].v;
}
