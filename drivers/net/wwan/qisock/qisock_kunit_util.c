// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the qisock KUnit suites: a command that reads a
 * "+QIRD: n" block into a struct qkt_blk_sink.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "qisock_kunit_util.h"

/* "+QIRD: n": n bytes follow; more than QKT_BLK_MAX is refused. */
static int qkt_blk_info(struct qat_cmd *cmd, const struct qp_line *l)
{
	struct qp_arg a[3];
	int n = qp_line_args(l, a, 3);

	if (strncmp(l->text, "+QIRD:", 6) || n < 1 || !a[0].is_int)
		return 0;
	if (a[0].v > QKT_BLK_MAX)
		return -EMSGSIZE;
	return (int)a[0].v;
}

static void qkt_blk_data(struct qat_cmd *cmd, const u8 *buf, u32 len,
			 bool last)
{
	struct qkt_blk_sink *s = cmd->priv;

	if (s->len < sizeof(s->buf))
		memcpy(s->buf + s->len, buf,
		       min_t(size_t, len, sizeof(s->buf) - s->len));
	s->len += len;
	s->lasts += last;
}

const struct qat_cmd_ops qkt_blk_ops = {
	.info	= qkt_blk_info,
	.data	= qkt_blk_data,
};

/*
 * A command as the EC200U dialect describes @kind, for tests that need its
 * finals (QISEND: SEND OK/FAIL); @timeout_ms 0 keeps the descriptor's.
 * Return: the command, or NULL.
 */
struct qat_cmd *qkt_cmd_ec200u(enum qisock_cmd kind, unsigned int timeout_ms,
			       size_t resp_size, size_t data_len,
			       const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qat_cmd_valloc(&qisock_dialect_ec200u.cmds[kind], resp_size,
			     data_len, fmt, ap);
	va_end(ap);
	if (IS_ERR(cmd))
		return NULL;
	if (timeout_ms)
		cmd->timeout_ms = timeout_ms;
	return cmd;
}
