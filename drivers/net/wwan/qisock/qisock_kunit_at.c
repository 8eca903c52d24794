// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_at: the AT engine against the hand-driven fake
 * transport (qisock_kunit_fake.c).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

static int at_init(struct kunit *test)
{
	return qkt_eng_init(test, 50);
}

static bool at_done(struct qat_cmd *cmd)
{
	return completion_done(&cmd->done);
}

/* An EC200U AT+QIRD that takes blocks of up to @max bytes into @s. */
static struct qat_cmd *at_submit_qird(struct kunit *test, struct qkt_eng *c,
				      const char *line, u32 max,
				      struct qkt_blk_sink *s)
{
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QIRD, 0, 64, 0, "%s",
					     line);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	qkt_cmd_set_blk(cmd, s, max);
	return qkt_eng_submit_cmd(test, c, cmd);
}

static void at_basic(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *cmd = qkt_eng_submit(test, c, 0, "AT+CGMM");

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CGMM\r"));
	qkt_eng_feed_str(c, "AT+CGMM\r\r\nEC200U\r\n");	/* echo, then the answer */
	KUNIT_EXPECT_FALSE(test, at_done(cmd));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd->result, QP_OK);
	KUNIT_EXPECT_STREQ(test, cmd->resp, "EC200U\n");
	KUNIT_EXPECT_STREQ(test, cmd->prefix, "+CGMM:");
	KUNIT_EXPECT_EQ(test, c->eng.st.echo, 1u);
	qisock_at_cmd_put(cmd);
}

/* One command in flight: the next is written only after the answer. */
static void at_queue_order(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a = qkt_eng_submit(test, c, 0, "AT+A");
	struct qat_cmd *b = qkt_eng_submit(test, c, 0, "AT+B");
	struct qat_cmd *d = qkt_eng_submit(test, c, 0, "AT+D");

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+A\r"));
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+A\r");
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+B\r"));
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+A\rAT+B\r");
	qkt_eng_feed_str(c, "\r\nERROR\r\n");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+D\r"));
	qkt_eng_feed_str(c, "\r\n+CME ERROR: 552\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -EIO);
	KUNIT_EXPECT_EQ(test, b->result, QP_ERROR);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(d), -EIO);
	KUNIT_EXPECT_EQ(test, d->result, QP_CME_ERROR);
	KUNIT_EXPECT_EQ(test, d->cme, 552);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
	qisock_at_cmd_put(d);
}

/* URCs between response lines and back to back go to the client. */
static void at_urc_interleave(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *cmd = qkt_eng_submit(test, c, 0, "AT+QISTATE?");

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QISTATE?\r"));
	qkt_eng_feed_str(c, "\r\n+QISTATE: 0,\"TCP\",\"1.2.3.4\",80,0,2,1,0,0,\"uart1\"\r\n"
		   "\r\n+QIURC: \"closed\",1\r\n\r\n+QIURC: \"recv\",2\r\n"
		   "\r\n+QISTATE: 3,\"UDP\",\"1.2.3.4\",53,0,2,1,0,0,\"uart1\"\r\n"
		   "\r\nRDY\r\n\r\nOK\r\n\r\n+QIOPEN: 4,0\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
	KUNIT_EXPECT_STREQ(test, cmd->resp,
			   "+QISTATE: 0,\"TCP\",\"1.2.3.4\",80,0,2,1,0,0,\"uart1\"\n"
			   "+QISTATE: 3,\"UDP\",\"1.2.3.4\",53,0,2,1,0,0,\"uart1\"\n");
	KUNIT_EXPECT_STREQ(test, c->urcs,
			   "CLOSED +QIURC: \"closed\",1\n"
			   "RECV +QIURC: \"recv\",2\n"
			   "RDY RDY\n"
			   "QIOPEN +QIOPEN: 4,0\n");
	qisock_at_cmd_put(cmd);
}

/* A read form claims its own URC-prefixed lines; a write form does not. */
static void at_claim_urc(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *rd = qkt_eng_submit(test, c, 0, "AT+QIACTEX?");
	struct qat_cmd *wr;

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIACTEX?\r"));
	qkt_eng_feed_str(c, "\r\n+QIACTEX: 1,1,1,\"10.0.0.2\"\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(rd), 0);
	KUNIT_EXPECT_STREQ(test, rd->resp, "+QIACTEX: 1,1,1,\"10.0.0.2\"\n");

	wr = qkt_eng_submit(test, c, 0, "AT+QIOPEN=1,0,\"TCP\",\"1.2.3.4\",80,0,0");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIOPEN"));
	qkt_eng_feed_str(c, "\r\n+QIOPEN: 5,0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(wr), 0);
	KUNIT_EXPECT_STREQ(test, wr->resp, "");
	KUNIT_EXPECT_STREQ(test, c->urcs, "QIOPEN +QIOPEN: 5,0\n");
	qisock_at_cmd_put(rd);
	qisock_at_cmd_put(wr);
}

/* '>' prompt, data phase, URCs before the prompt and after SEND OK. */
static void at_prompt_data(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *cmd = qkt_eng_submit_data(test, c, 0, "AT+QISEND=0,5",
						  "he>lo", 5);

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QISEND=0,5\r"));
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+QISEND=0,5\r");	/* no data yet */
	qkt_eng_feed_str(c, "\r\n+QIURC: \"recv\",1\r\n\r\n> ");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QISEND=0,5\rhe>lo"));
	qkt_eng_feed_str(c, "\r\n+QIURC: \"recv\",2\r\n");	/* between '>' and SEND OK */
	KUNIT_EXPECT_FALSE(test, at_done(cmd));
	qkt_eng_feed_str(c, "\r\nSEND OK\r\n\r\n+QIURC: \"closed\",0\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd->result, QP_SEND_OK);
	KUNIT_EXPECT_STREQ(test, c->urcs,
			   "RECV +QIURC: \"recv\",1\nRECV +QIURC: \"recv\",2\n"
			   "CLOSED +QIURC: \"closed\",0\n");
	qisock_at_cmd_put(cmd);
}

/* BC66: OK, then SEND OK (or SEND FAIL) ends QISEND. */
static void at_bc66_send(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 0, 0, 0,
					     "AT+QISEND=0,5,12345");

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	cmd->final_mask = QP_BIT(QP_SEND_OK) | QP_BIT(QP_SEND_FAIL) |
			  QP_BIT(QP_ERROR) | QP_BIT(QP_CME_ERROR);
	cmd->inter_mask = QP_BIT(QP_OK);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, cmd), 0);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "12345\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, at_done(cmd));
	qkt_eng_feed_str(c, "\r\nSEND FAIL\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, cmd->result, QP_SEND_FAIL);
	KUNIT_EXPECT_EQ(test, cmd->seen_mask, QP_BIT(QP_OK));
	qisock_at_cmd_put(cmd);
}

static const char qird_answer[] =
	"\r\n+QIRD: 17\r\n\r\nOK\r\n+QIURC: \"x\0\r\n\r\n\r\nOK\r\n";

/* "+QIRD: n" then exactly n bytes, whatever they hold, at every split. */
static void at_qird_block(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	size_t alen = sizeof(qird_answer) - 1, k;

	for (k = 0; k <= alen; k++) {
		struct qkt_blk_sink s = { };
		struct qat_cmd *cmd;

		qkt_fake_clear_rx(c->f);
		cmd = at_submit_qird(test, c, "AT+QIRD=0,17", 17, &s);
		KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,17\r"));
		qisock_at_receive(&c->eng, qird_answer, k);
		qisock_at_receive(&c->eng, qird_answer + k, alen - k);
		KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
		KUNIT_EXPECT_EQ(test, s.len, 17u);
		KUNIT_EXPECT_EQ(test, s.lasts, 1u);
		KUNIT_EXPECT_EQ(test, memcmp(s.buf, "\r\nOK\r\n+QIURC: \"x\0\r\n", 17), 0);
		KUNIT_EXPECT_STREQ(test, cmd->resp, "+QIRD: 17\n");
		qisock_at_cmd_put(cmd);
	}
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 0u);
}

/* A block the command refuses fails it; the rest of the answer drains. */
static void at_qird_refused(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *cmd = at_submit_qird(test, c, "AT+QIRD=0,100", 100, &s);

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,100\r"));
	qkt_eng_feed_str(c, "\r\n+QIRD: 100\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), -EMSGSIZE);
	qisock_at_cmd_put(cmd);
}

/* Direct push: the URC's data reaches the client, not the command. */
static void at_push_data(struct kunit *test)
{
	static const char push[] =
		"\r\n+QIURC: \"recv\",3,9\r\n\0\r\nOK\r\n> \r\n"
		"+QIURC: \"recv\",4,2,\"10.0.0.9\",53\r\nOK\r\n"
		"+CEREG: 1\r\n\r\nOK\r\n";
	struct qkt_eng *c = test->priv;
	struct qat_cmd *cmd = qkt_eng_submit(test, c, 0, "AT+CSQ");

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CSQ\r"));
	qisock_at_receive(&c->eng, push, sizeof(push) - 1);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
	KUNIT_EXPECT_EQ(test, c->push_len, 11u);
	KUNIT_EXPECT_EQ(test, memcmp(c->push, "\0\r\nOK\r\n> OK", 11), 0);
	KUNIT_EXPECT_EQ(test, c->push_last, 2u);
	KUNIT_EXPECT_STREQ(test, c->urcs,
			   "RECV +QIURC: \"recv\",3,9\n"
			   "RECV +QIURC: \"recv\",4,2,\"10.0.0.9\",53\n"
			   "URC +CEREG: 1\n");
	KUNIT_EXPECT_STREQ(test, cmd->resp, "");
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_prompt, 0u);
	qisock_at_cmd_put(cmd);
}

/* A time-out fails the command; a late answer is not taken for the next. */
static void at_timeout(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a = qkt_eng_submit(test, c, 100, "AT+SLOW");
	struct qat_cmd *b;
	unsigned long t0 = jiffies;

	c->eng.quiet_ms = 1000;	/* the late OK below comes well inside it */
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - t0), 90u);
	b = qkt_eng_submit(test, c, 0, "AT+NEXT");
	/* resync: a probe round trip before the next command */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+SLOW\rAT+QIGETERROR\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");	/* the late answer to AT+SLOW */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, at_done(b));
	/* the probe's answer: its marker line, then OK */
	qkt_eng_feed_str(c, "\r\n+QIGETERROR: 0,operation success\r\n\r\nOK\r\n");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+NEXT\r"));
	qkt_eng_feed_str(c, "\r\nERROR\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -EIO);
	KUNIT_EXPECT_EQ(test, c->eng.st.timeouts, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.resyncs, 1u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Partial writes: the transport takes 3 bytes at a time and kicks. */
static void at_partial_write(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *cmd;

	c->f->max_write = 3;
	cmd = qkt_eng_submit_data(test, c, 0, "AT+QISEND=1,9", "123456789", 9);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QISEND=1,9\r"));
	qkt_eng_feed_str(c, "\r\n> ");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "\r123456789"));
	qkt_eng_feed_str(c, "\r\nSEND OK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
	qisock_at_cmd_put(cmd);
}

/* Shutdown fails the command in flight and the queue; later submits fail. */
static void at_shutdown(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a = qkt_eng_submit(test, c, 5000, "AT+A");
	struct qat_cmd *b = qkt_eng_submit(test, c, 5000, "AT+B");
	struct qat_cmd *d = qisock_at_cmd_new(0, 0, 0, "AT+D");

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+A\r"));
	qisock_at_shutdown(&c->eng, -ENODEV);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ENODEV);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ENODEV);
	KUNIT_EXPECT_EQ(test, qisock_at_submit(&c->eng, d), -ENODEV);
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.rx_dropped, 6u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
	qisock_at_cmd_put(d);
}

/* A queued command can be withdrawn; one in flight cannot. */
static void at_cancel(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a = qkt_eng_submit(test, c, 0, "AT+A");
	struct qat_cmd *b = qkt_eng_submit(test, c, 0, "AT+B");

	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+A\r"));
	KUNIT_EXPECT_FALSE(test, qisock_at_cancel(&c->eng, a));
	KUNIT_EXPECT_TRUE(test, qisock_at_cancel(&c->eng, b));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ECANCELED);
	KUNIT_EXPECT_EQ(test, qisock_at_submit(&c->eng, b), -EBUSY);
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+A\r");
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Lines nobody waits for are counted and dropped. */
static void at_stray(struct kunit *test)
{
	struct qkt_eng *c = test->priv;

	qkt_eng_feed_str(c, "\r\nOK\r\n\r\nhello\r\n\r\n> \r\nSEND OK\r\nAT\r\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 2u);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_info, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_prompt, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.echo, 1u);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
}

static struct kunit_case qisock_at_cases[] = {
	KUNIT_CASE(at_basic),
	KUNIT_CASE(at_queue_order),
	KUNIT_CASE(at_urc_interleave),
	KUNIT_CASE(at_claim_urc),
	KUNIT_CASE(at_prompt_data),
	KUNIT_CASE(at_bc66_send),
	KUNIT_CASE(at_qird_block),
	KUNIT_CASE(at_qird_refused),
	KUNIT_CASE(at_push_data),
	KUNIT_CASE(at_timeout),
	KUNIT_CASE(at_partial_write),
	KUNIT_CASE(at_shutdown),
	KUNIT_CASE(at_cancel),
	KUNIT_CASE(at_stray),
	{}
};

static struct kunit_suite qisock_at_suite = {
	.name = "qisock_at",
	.init = at_init,
	.exit = qkt_eng_exit,
	.test_cases = qisock_at_cases,
};

kunit_test_suites(&qisock_at_suite);
