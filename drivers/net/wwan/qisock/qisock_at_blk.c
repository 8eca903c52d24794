// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine: the length of the binary block a line announces, for a
 * command or a direct-push "recv" URC.
 * Part of the engine (qisock_at.c); the rules for contexts and locks are in
 * qisock_at.h.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "qisock_at.h"
#include "qisock_compat.h"

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

/**
 * qisock_at_set_push_by_id() - buffer-mode "recv" URCs show a length too.
 * @eng: the engine.
 * @on: only connectIDs marked with qisock_at_set_push() get data after it.
 *
 * Called when the module was identified (after RDY too: it holds no socket
 * then), so every connectID starts in buffer access mode.
 */
void qisock_at_set_push_by_id(struct qat_engine *eng, bool on)
{
	mutex_lock(&eng->rx_mutex);
	eng->push_by_id = on;
	eng->push_ids = 0;
	mutex_unlock(&eng->rx_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_set_push_by_id);

/**
 * qisock_at_set_push() - the module put connectID @id in an access mode.
 * @eng: the engine.
 * @id: the connectID.
 * @push: direct push (the data follows its "recv" URC).
 *
 * Call it from the done hook of the command whose OK made the change
 * (receive path), so no URC is read in the wrong mode.
 */
void qisock_at_set_push(struct qat_engine *eng, unsigned int id, bool push)
{
	if (id >= BITS_PER_LONG)
		return;
	if (push)
		set_bit(id, &eng->push_ids);
	else
		clear_bit(id, &eng->push_ids);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_set_push);

/**
 * qisock_at_id_pushes() - does a "recv" URC with a length for @id carry data?
 * @eng: the engine.
 * @id: the URC's connectID.
 *
 * Return: true for direct push; false when the length only announces data
 * held in buffer access mode.
 */
bool qisock_at_id_pushes(struct qat_engine *eng, int id)
{
	if (!READ_ONCE(eng->push_by_id))
		return true;
	return id >= 0 && id < BITS_PER_LONG && test_bit(id, &eng->push_ids);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_id_pushes);

/*
 * Length of the data that follows a "recv" URC: "+QIURC: "recv",id,len"
 * (direct push; also "...,len,"ip",port" for UDP SERVICE). On EC200U the
 * driver keeps the length-only buffer-mode form (AT+QICFG="recvind") off,
 * so a length always means data; on BC66 "showlength" is on (it gives
 * AT+QIRD the rest of a datagram) and the socket's mode decides
 * (@push_by_id). A length over QAT_BLOCK_MAX is refused, but its data is
 * still consumed (and dropped: *drop is set).
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
	if (!qisock_at_id_pushes(eng, a[0].is_int ? a[0].v : -1))
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
