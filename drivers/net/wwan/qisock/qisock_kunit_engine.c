// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_engine: the AT engine's framing and result rules
 * (see qisock_at.h) against the shared fake (qisock_kunit_fake.c) in hand
 * mode, byte-exact:
 *  - a binary block is always consumed once its length is accepted, also
 *    after a time-out, a refusal or a line error;
 *  - deadlines count from the last byte written or received;
 *  - a command cut by a time-out is ended on the wire ("\r", NUL filler)
 *    before the resync probe;
 *  - a '>' counts only after the whole command line went out;
 *  - SEND OK, CLOSE OK, CONNECT, NO CARRIER end only their own commands;
 *  - command lines with control bytes are refused; leading noise before a
 *    line is skipped.
 * The resync itself is suite qisock_resync (qisock_kunit_resync.c).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

static int eng_init(struct kunit *test)
{
	return qkt_eng_init(test, 30);
}

/* Peer data that looks like protocol. */
static const char evil[] = "\r\n+QIURC: \"closed\",1\r\n\r\nRDY\r\n\r\nOK\r\n";

/*
 * Item 1: a time-out in the middle of a block detaches the block's owner
 * but the rest of the block is still consumed as data.
 */
static void eng_block_survives_timeout(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	size_t n = sizeof(evil) - 1;
	char hdr[32];
	struct qat_cmd *a, *b;

	a = qkt_eng_submit_blk(test, c, 100, "AT+QIRD=0,64", &s);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,64\r"));
	snprintf(hdr, sizeof(hdr), "\r\n+QIRD: %zu\r\n", n);
	qkt_eng_feed_str(c, hdr);
	qkt_eng_feed(c, evil, 4);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 0, "AT+B");
	qkt_eng_feed(c, evil + 4, n - 4);		/* the rest of the block */
	KUNIT_EXPECT_STREQ(test, c->urcs, "");	/* no "closed", no RDY */
	KUNIT_EXPECT_EQ(test, s.len, 4u);	/* the owner got no more */
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);
	/* the resync probe, answered: then B */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, QKT_PROBE));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+B\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Item 1: the deadline restarts while bytes for the command arrive (a
 * 1500-byte QIRD at 9600 baud takes longer than the time-out).
 */
static void eng_deadline_rx(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a;
	int i;

	a = qkt_eng_submit_blk(test, c, 200, "AT+QIRD=0,20", &s);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,20\r"));
	qkt_eng_feed_str(c, "\r\n+QIRD: 20\r\n");
	for (i = 0; i < 20; i++) {
		msleep(40);	/* 800 ms in all */
		qkt_eng_feed(c, "x", 1);
	}
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_EQ(test, s.len, 20u);
	KUNIT_EXPECT_EQ(test, s.lasts, 1u);
	qisock_at_cmd_put(a);
}

/* Item 1/4: the deadline counts from the last byte the transport took. */
static void eng_deadline_tx(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a;

	c->f->max_write = 2;
	c->f->kick_ms = 40;	/* "AT+LONGCOMMAND=1,2,3\r": 11 x 40 ms */
	a = qkt_eng_submit(test, c, 200, "AT+LONGCOMMAND=1,2,3");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+LONGCOMMAND=1,2,3\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	qisock_at_cmd_put(a);
}

/*
 * Item 2: a block the command refuses (or longer than it asked for, or a
 * push longer than QAT_BLOCK_MAX) fails or is dropped, but its bytes are
 * never parsed as lines.
 */
static void eng_refused_block(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	char payload[100], *big;
	struct qat_cmd *a, *b;

	memset(payload, 'z', sizeof(payload));
	memcpy(payload + 10, evil, sizeof(evil) - 1);

	a = qkt_eng_submit_blk(test, c, 0, "AT+QIRD=0,100", &s);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,100\r"));
	qkt_eng_feed_str(c, "\r\n+QIRD: 100\r\n");	/* the hook refuses > 64 */
	qkt_eng_feed(c, payload, sizeof(payload));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -EMSGSIZE);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
	KUNIT_EXPECT_EQ(test, s.len, 0u);
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);

	/* more than the command asked for */
	b = qkt_eng_submit_blk_max(test, c, "AT+QIRD=0,10", &s, 10);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, QKT_PROBE));
	qkt_eng_feed_str(c, "\r\nOK\r\n" QKT_PROBE_ANS);	/* late final, probe */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,10\r"));
	qkt_eng_feed_str(c, "\r\n+QIRD: 40\r\n");
	qkt_eng_feed(c, payload, 40);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -EPROTO);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
	KUNIT_EXPECT_EQ(test, s.len, 0u);

	/* direct push longer than QAT_BLOCK_MAX: dropped, not parsed */
	big = kunit_kzalloc(test, 3000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 'y', 3000);
	memcpy(big + 100, evil, sizeof(evil) - 1);
	qkt_eng_feed_str(c, "\r\n+QIURC: \"recv\",1,3000\r\n");
	qkt_eng_feed(c, big, 3000);
	KUNIT_EXPECT_STREQ(test, c->urcs, "RECV +QIURC: \"recv\",1,3000\n");
	KUNIT_EXPECT_EQ(test, c->push_len, 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 4: a time-out in the middle of the command line ends it with "\r". */
static void eng_timeout_mid_line(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	qkt_fake_set_max(c->f, 5, 0);
	a = qkt_eng_submit(test, c, 100, "AT+QIOPEN=1,0,\"TCP\"");
	b = qkt_eng_submit(test, c, 0, "AT+B");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	c->f->max_write = 0;
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QI\r" QKT_PROBE));
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, "AT+QI\r" QKT_PROBE, 20));
	qkt_eng_feed_str(c, "\r\nERROR\r\n" QKT_PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QI\r" QKT_PROBE "AT+B"));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 4: a time-out in the data phase completes it with filler. */
static void eng_timeout_data(struct kunit *test)
{
	static const u8 want[] = "AT+QISEND=0,10\r0123\0\0\0\0\0\0" QKT_PROBE;
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	a = qkt_eng_submit_data(test, c, 100, "AT+QISEND=0,10", "0123456789", 10);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QISEND=0,10\r"));
	qkt_fake_set_max(c->f, 4, 0);
	qkt_eng_feed_str(c, "\r\n> ");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	c->f->max_write = 0;
	qisock_at_tx_kick(&c->eng);
	b = qkt_eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, QKT_PROBE));
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, want, sizeof(want) - 1));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Item 4: no prompt in time: filler for the whole length (NULs are
 * harmless in command mode); a '>' that comes later adds nothing.
 */
static void eng_timeout_prompt(struct kunit *test)
{
	static const u8 want[] = "AT+QISEND=0,5\r\0\0\0\0\0" QKT_PROBE;
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	a = qkt_eng_submit_data(test, c, 100, "AT+QISEND=0,5", "hello", 5);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, QKT_PROBE));
	qkt_eng_feed_str(c, "\r\n> ");
	msleep(50);
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, want, sizeof(want) - 1));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Item 4: a '>' before the command line went out completely is stale: the
 * user's data (here an AT command) must not go out in command mode.
 */
static void eng_stale_prompt(struct kunit *test)
{
	static const char data[] = "\rAT+QICLOSE=0\r";
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a;

	qkt_fake_set_max(c->f, 5, 0);
	a = qkt_eng_submit_data(test, c, 0, "AT+QISEND=0,14", data, sizeof(data) - 1);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QI"));
	qkt_eng_feed_str(c, "\r\n> ");		/* stale */
	c->f->max_write = 0;
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QISEND=0,14\r"));
	msleep(50);
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "QICLOSE"));
	qkt_eng_feed_str(c, "\r\n> ");		/* the real one */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "QICLOSE"));
	qkt_eng_feed_str(c, "\r\nSEND OK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	qisock_at_cmd_put(a);
}

/* Descriptors of the shapes item 5 and item 10 test. */
static const struct qisock_cmd_desc eng_close_ok_desc = {
	.finals = QP_BIT(QP_CLOSE_OK),
};

static const struct qisock_cmd_desc eng_connect_desc = {
	.finals = QP_BIT(QP_CONNECT) | QP_BIT(QP_NO_CARRIER),
};

static const struct qisock_cmd_desc eng_qiactex_desc = {
	.claim_urc = true,
	.claim_min_args = 3,
};

/* Item 5: SEND OK, CLOSE OK, CONNECT, NO CARRIER end only their commands. */
static void eng_final_masks(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b, *d;

	a = qkt_eng_submit(test, c, 0, "AT+QIRD=0,10");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,10\r"));
	qkt_eng_feed_str(c, "\r\nCLOSE OK\r\n\r\nSEND OK\r\n\r\nCONNECT\r\n"
			"\r\nNO CARRIER\r\n\r\nSEND FAIL\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&a->done));
	qkt_eng_feed_str(c, "\r\n+QIRD: 0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_EQ(test, a->result, QP_OK);

	b = qkt_eng_submit_desc(test, c, &eng_close_ok_desc, "AT+QICLOSE=0");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QICLOSE=0\r"));
	qkt_eng_feed_str(c, "\r\nCLOSE OK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, b->result, QP_CLOSE_OK);

	d = qkt_eng_submit_desc(test, c, &eng_connect_desc, "ATO");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "ATO\r"));
	qkt_eng_feed_str(c, "\r\nCONNECT\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(d), 0);
	KUNIT_EXPECT_EQ(test, d->result, QP_CONNECT);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 5u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
	qisock_at_cmd_put(d);
}

/* Item 7: a line error fails the block's command; the block still frames. */
static void eng_rx_error(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	size_t n = sizeof(evil) - 1;
	char hdr[32];
	struct qat_cmd *a;

	a = qkt_eng_submit_blk(test, c, 0, "AT+QIRD=0,64", &s);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,64\r"));
	snprintf(hdr, sizeof(hdr), "\r\n+QIRD: %zu\r\n", n);
	qkt_eng_feed_str(c, hdr);
	qkt_eng_feed(c, evil, 3);
	qisock_at_rx_error(&c->eng);		/* parity error on the next byte */
	qkt_eng_feed(c, evil + 3, n - 3);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -EIO);
	KUNIT_EXPECT_EQ(test, s.len, 3u);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
	KUNIT_EXPECT_EQ(test, c->eng.st.rx_errors, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.resyncs, 1u);
	qisock_at_cmd_put(a);
}

/* Item 8: command lines with control bytes or too long are refused. */
static void eng_bad_lines(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	char q[32], *longl;

	KUNIT_EXPECT_NULL(test, qisock_at_cmd_new(0, 0, 0, "AT+X=\"a\r\nAT+Y\""));
	KUNIT_EXPECT_NULL(test, qisock_at_cmd_new(0, 0, 0, "AT+X=\x1b"));
	KUNIT_EXPECT_NULL(test, qisock_at_cmd_new(0, 0, 0, "AT+X=\x7f"));
	KUNIT_EXPECT_NULL(test, qisock_at_cmd_new(0, 0, 0, "%s", ""));
	longl = kunit_kzalloc(test, QAT_CMD_MAX + 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longl);
	memset(longl, 'A', QAT_CMD_MAX + 1);
	KUNIT_EXPECT_NULL(test, qisock_at_cmd_new(0, 0, 0, "%s", longl));
	KUNIT_EXPECT_EQ(test, qisock_at_simple(&c->eng, 0, "%s", longl), -E2BIG);
	KUNIT_EXPECT_EQ(test, qisock_at_simple(&c->eng, 0, "AT\rAT"), -EINVAL);
	KUNIT_EXPECT_EQ(test, qisock_at_check_line("AT+QIOPEN=1", 11), 0);

	KUNIT_EXPECT_EQ(test, qisock_at_quote(q, sizeof(q), "host.example"), 14);
	KUNIT_EXPECT_STREQ(test, q, "\"host.example\"");
	KUNIT_EXPECT_EQ(test, qisock_at_quote(q, sizeof(q), "a\",\"b"), -EINVAL);
	KUNIT_EXPECT_EQ(test, qisock_at_quote(q, sizeof(q), "a\rb"), -EINVAL);
	KUNIT_EXPECT_EQ(test, qisock_at_quote(q, 4, "ab"), -EINVAL);
	KUNIT_EXPECT_EQ(test, c->f->rx_len, 0u);	/* nothing went out */
}

/* Item 11: noise before a line ("\0RDY" at power-up) does not hide it. */
static void eng_leading_noise(struct kunit *test)
{
	struct qkt_eng *c = test->priv;

	qkt_eng_feed(c, "\0RDY\r\n\x13\x11+CPIN: READY\r\n\xffjunk\r\n", 29);
	KUNIT_EXPECT_STREQ(test, c->urcs, "RDY RDY\nURC +CPIN: READY\n");
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.garbage, 0u);
	qkt_eng_feed_str(c, "x\x01y\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.garbage, 1u);
}

static const struct qp_entry eng_lines[] = {
	{ "+QIACTEX:",	QP_URC_QIACTEX,	QP_M_PREFIX },
	{ NULL, 0, 0 }
};

/* Item 10: a real +QIACTEX URC during AT+QIACTEX? is still a URC. */
static void eng_claim_shape(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a;

	qisock_at_set_dialect(&c->eng, eng_lines);
	a = qkt_eng_submit_desc(test, c, &eng_qiactex_desc, "AT+QIACTEX?");

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIACTEX?\r"));
	qkt_eng_feed_str(c, "\r\n+QIACTEX: 1,1,1,\"10.0.0.2\"\r\n"
			"\r\n+QIACTEX: 2,0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_STREQ(test, a->resp, "+QIACTEX: 1,1,1,\"10.0.0.2\"\n");
	KUNIT_EXPECT_STREQ(test, c->urcs, "QIACTEX +QIACTEX: 2,0\n");
	qisock_at_cmd_put(a);
}

/* BC66: QICLOSE answers OK, CLOSE OK comes later; it ends no other command. */
static void eng_late_close_ok(struct kunit *test)
{
	const struct qisock_cmd_desc *close =
		&qisock_dialect_bc66.cmds[QISOCK_CMD_QICLOSE];
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	a = qkt_eng_submit_desc(test, c, close, "AT+QICLOSE=0");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QICLOSE=0\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(a->late_seen));

	/* the first close's CLOSE OK arrives while the second is out */
	b = qkt_eng_submit_desc(test, c, close, "AT+QICLOSE=1");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QICLOSE=1\r"));
	qkt_eng_feed_str(c, "\r\nCLOSE OK\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_TRUE(test, READ_ONCE(a->late_seen));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, b->result, QP_OK);
	qkt_eng_feed_str(c, "\r\nCLOSE OK\r\n");
	KUNIT_EXPECT_TRUE(test, READ_ONCE(b->late_seen));
	KUNIT_EXPECT_EQ(test, c->eng.st.late_lines, 2u);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 0u);

	/* nobody owes one now: a third CLOSE OK is stray, never a final */
	qkt_eng_feed_str(c, "\r\nCLOSE OK\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 1u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* A line the engine cannot send is refused with its reason, never cut. */
static void eng_line_limits(struct kunit *test)
{
	struct qat_cmd *cmd;

	cmd = qisock_at_cmd_alloc(NULL, 0, 0, "AT+X=%0*d", QAT_CMD_MAX - 5, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->line_len, QAT_CMD_MAX + 1);
	qisock_at_cmd_put(cmd);
	cmd = qisock_at_cmd_alloc(NULL, 0, 0, "AT+X=%0*d", QAT_CMD_MAX - 4, 0);
	KUNIT_EXPECT_PTR_EQ(test, cmd, ERR_PTR(-E2BIG));
	cmd = qisock_at_cmd_alloc(NULL, 0, 0, "AT\rAT+QICLOSE=0");
	KUNIT_EXPECT_PTR_EQ(test, cmd, ERR_PTR(-EINVAL));
	cmd = qisock_at_cmd_alloc(NULL, 0, 0, "%s", "");
	KUNIT_EXPECT_PTR_EQ(test, cmd, ERR_PTR(-EINVAL));
}

static struct kunit_case qisock_engine_cases[] = {
	KUNIT_CASE(eng_block_survives_timeout),
	KUNIT_CASE(eng_deadline_rx),
	KUNIT_CASE(eng_deadline_tx),
	KUNIT_CASE(eng_refused_block),
	KUNIT_CASE(eng_timeout_mid_line),
	KUNIT_CASE(eng_timeout_data),
	KUNIT_CASE(eng_timeout_prompt),
	KUNIT_CASE(eng_stale_prompt),
	KUNIT_CASE(eng_final_masks),
	KUNIT_CASE(eng_rx_error),
	KUNIT_CASE(eng_bad_lines),
	KUNIT_CASE(eng_leading_noise),
	KUNIT_CASE(eng_claim_shape),
	KUNIT_CASE(eng_late_close_ok),
	KUNIT_CASE(eng_line_limits),
	{}
};

static struct kunit_suite qisock_engine_suite = {
	.name = "qisock_engine",
	.init = eng_init,
	.exit = qkt_eng_exit,
	.test_cases = qisock_engine_cases,
};

kunit_test_suites(&qisock_engine_suite);
