/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the qisock KUnit suites (qisock_kunit.c,
 * qisock_engine_kunit.c); built only with CONFIG_QISOCK_KUNIT_TEST.
 */
#ifndef QISOCK_KUNIT_UTIL_H
#define QISOCK_KUNIT_UTIL_H

#include "qisock_at.h"

/* Largest block a qkt_blk_sink command accepts ("+QIRD: n", n <= this). */
#define QKT_BLK_MAX	64

/**
 * struct qkt_blk_sink - where a block-reading test command puts its data.
 * @buf: the block's bytes.
 * @len: bytes received (also beyond @buf).
 * @lasts: parts that were marked last.
 *
 * Set it as the command's priv and qkt_blk_ops as its ops.
 */
struct qkt_blk_sink {
	u8 buf[2 * QKT_BLK_MAX];
	size_t len;
	unsigned int lasts;
};

extern const struct qat_cmd_ops qkt_blk_ops;

__printf(5, 6)
struct qat_cmd *qkt_cmd_ec200u(enum qisock_cmd kind, unsigned int timeout_ms,
			       size_t resp_size, size_t data_len,
			       const char *fmt, ...);

#endif /* QISOCK_KUNIT_UTIL_H */
