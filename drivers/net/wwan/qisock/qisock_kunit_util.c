// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the qisock KUnit suites: a command that reads a
 * "+QIRD: n" block into a struct qkt_blk_sink.
 */
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
