// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_resync: how the AT engine comes back in step after a
 * time-out (see the resync comment in qisock_at.h and qisock_resync.h),
 * against the shared fake (qisock_kunit_fake.c) in hand mode, byte-exact:
 * the next command goes out only after a probe round trip, and a late
 * answer, of the zombie or of a probe, never completes another command;
 * probes owed, the drain, the resync's deadline and its states.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

static int rs_init(struct kunit *test)
{
	return qkt_eng_init(test, 30);
}

/*
 * @line times out (100 ms) and becomes the resync's zombie; AT+CGMM,
 * submitted next (*@next), waits behind the resync.
 */
static struct qat_cmd *rs_zombie(struct kunit *test, struct qkt_eng *c,
				 const char *line, struct qat_cmd **next)
{
	struct qat_cmd *a = qkt_eng_submit(test, c, 100, line);

	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	*next = qkt_eng_submit(test, c, 0, "AT+CGMM");
	return a;
}

/*
 * Probes time out after @probe_ms, and the engine has no quiet time after
 * a time-out: a resync that ends wrongly shows at once.
 */
static void rs_quick(struct qkt_eng *c, unsigned int probe_ms)
{
	c->eng.rs.probe_ms = probe_ms;
	c->eng.quiet_ms = 0;
}

/* @ms later, AT+CGMM (see rs_zombie()) has still not gone out. */
static void rs_held(struct kunit *test, struct qkt_eng *c, unsigned int ms)
{
	msleep(ms);
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "AT+CGMM"));
}

/*
 * Item 3: a late answer is never taken for the next command: the next one
 * goes out only after the resync round trip.
 */
static void eng_late_answer(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	a = rs_zombie(test, c, "ATI", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "ATI\r" QKT_PROBE));
	rs_held(test, c, 150);
	/* the modem answers ATI late, then the probe */
	qkt_eng_feed_str(c, "\r\nQuectel\r\nEC200U\r\nRevision: X\r\n\r\nOK\r\n"
			QKT_PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CGMM\r"));
	qkt_eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_STREQ(test, b->resp, "EG915U\n");
	KUNIT_EXPECT_STREQ(test, a->resp, "");
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 3: a late "+QIRD: n" of a timed-out command still frames its data. */
static void eng_late_block(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a, *b;

	a = qkt_eng_submit_blk(test, c, 100, "AT+QIRD=0,64", &s);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,64\r" QKT_PROBE));
	qkt_eng_feed_str(c, "\r\n+QIRD: 6\r\n\r\nOK\r\n");	/* data "\r\nOK\r\n" */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "AT+B"));
	KUNIT_EXPECT_EQ(test, s.len, 0u);
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);
	qkt_eng_feed_str(c, "\r\nOK\r\n" QKT_PROBE_ANS);	/* its final, the probe */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+B\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 3: a probe without an OK is repeated after its time-out. */
static void eng_probe_retry(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 150;
	a = qkt_eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE QKT_PROBE));
	qkt_eng_feed_str(c, "\r\nERROR\r\n");	/* no marker: not a probe's */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE QKT_PROBE QKT_PROBE));
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "AT+B"));
	/* the first two probes were lost: the third's answer, then a drain */
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+B\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_GE(test, c->eng.st.rs_probes, 3u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Item 3: a queued plain "AT" (the probe loop) waits behind the resync like
 * any command: a late OK of the zombie does not complete it, and the
 * zombie still frames its late block.
 */
static void eng_at_not_probe(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 3000;
	a = qkt_eng_submit_blk(test, c, 100, "AT+QIRD=0,64", &s);
	b = qkt_eng_submit(test, c, 0, "AT");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIRD=0,64\r" QKT_PROBE));
	qkt_eng_feed_str(c, "\r\n+QIRD: 6\r\n\r\nOK\r\n");	/* data "\r\nOK\r\n" */
	qkt_eng_feed_str(c, "\r\nOK\r\n");			/* a's final */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, QKT_PROBE "AT\r"));
	KUNIT_EXPECT_EQ(test, s.len, 0u);
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, QKT_PROBE "AT\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	KUNIT_EXPECT_NULL(test, c->eng.rs.zombie);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* The next command's answer, and what it must have got. */
static void eng_expect_b(struct kunit *test, struct qkt_eng *c,
			 struct qat_cmd *b)
{
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CGMM\r"));
	qkt_eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, b->result, QP_OK);
	KUNIT_EXPECT_STREQ(test, b->resp, "EG915U\n");
}

/*
 * Resync: the zombie's late OK comes after the probe went out, then the
 * probe's answer. The late OK does not end the resync (it would with an
 * "AT" probe), so the next command gets its own answer.
 */
static void eng_rs_late_ok(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 3000);
	a = rs_zombie(test, c, "AT+CGMR", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CGMR\r" QKT_PROBE));
	qkt_eng_feed_str(c, "\r\nOK\r\n");		/* the zombie's */
	rs_held(test, c, 100);
	KUNIT_EXPECT_TRUE(test, qat_rs_active(&c->eng.rs));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_EQ(test, c->eng.st.late, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: two probes out (the first timed out), the zombie's full answer
 * and both probe answers come late. The first probe answer does not end
 * the resync: the second would then reach the next command.
 */
static void eng_rs_two_probes(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 150);
	a = rs_zombie(test, c, "ATI", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "ATI\r" QKT_PROBE QKT_PROBE));
	c->eng.rs.probe_ms = 1000;	/* no drain time-out below */
	qkt_eng_feed_str(c, "\r\nQuectel\r\nEC200U\r\nRevision: X\r\n\r\nOK\r\n"
			QKT_PROBE_ANS);
	rs_held(test, c, 100);
	KUNIT_EXPECT_TRUE(test, qat_rs_active(&c->eng.rs));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_STREQ(test, a->resp, "");
	KUNIT_EXPECT_EQ(test, c->eng.st.late, 4u);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: the zombie was AT+QIGETERROR itself. Its late answer looks like
 * a probe answer, so the probe is AT+QIDNSCFG=? this time.
 */
static void eng_rs_zombie_is_probe(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 3000);
	a = rs_zombie(test, c, "AT+QIGETERROR", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIGETERROR\r" QKT_PROBE2));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);		/* the zombie's */
	rs_held(test, c, 100);
	qkt_eng_feed_str(c, QKT_PROBE2_ANS);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_STREQ(test, a->resp, "");
	KUNIT_EXPECT_EQ(test, c->eng.st.late, 2u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: the zombie's late answer is a full ATI answer, information lines
 * and OK, sent in pieces around the probe; none of it reaches the next
 * command, not even a line that looks like its answer.
 */
static void eng_rs_late_info(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 3000);
	a = rs_zombie(test, c, "ATI", &b);
	qkt_eng_feed_str(c, "\r\nQuectel\r\n");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "ATI\r" QKT_PROBE));
	qkt_eng_feed_str(c, "EC200U\r\nRevision: X\r\n");
	msleep(50);
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	rs_held(test, c, 50);
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_STREQ(test, a->resp, "");
	KUNIT_EXPECT_EQ(test, c->eng.st.late, 4u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync gave up (no probe answered in time); the probes stay owed. Their
 * answers come while the next command is in flight: dropped, the command
 * gets its own answer.
 */
static void eng_rs_gave_up_stale(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;
	unsigned int i;

	c->eng.rs.probe_ms = 100;
	a = rs_zombie(test, c, "AT+X", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CGMM\r"));
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, (u32)QAT_RS_TRIES);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], (unsigned int)QAT_RS_TRIES);
	for (i = 0; i < QAT_RS_TRIES; i++)
		qkt_eng_feed_str(c, QKT_PROBE_ANS);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qkt_eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_STREQ(test, b->resp, "EG915U\n");
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: of two probes only one is answered (the other was lost); the
 * drain ends the resync one probe time-out later, and the probes are no
 * longer owed.
 */
static void eng_rs_probe_lost(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	/* wide margins: the drain lasts a probe time-out after the pair */
	rs_quick(c, 300);
	a = rs_zombie(test, c, "AT+X", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE QKT_PROBE));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	rs_held(test, c, 50);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_FALSE(test, qat_rs_active(&c->eng.rs));
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: the probe's answer arrives before the write of the probe has
 * returned to the engine. It still counts: one probe, then the next
 * command.
 */
static void eng_rs_answer_in_write(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 100;
	spin_lock(&c->f->lock);
	c->f->answer_to = QKT_PROBE;
	c->f->answer = QKT_PROBE_ANS;
	spin_unlock(&c->f->lock);
	a = rs_zombie(test, c, "AT+X", &b);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: the first probe's late pair arrives while the second probe is
 * being written and the transport takes nothing of it. The second probe
 * is still written once the transport has room, and only its answer ends
 * the resync. (Before, the drain never finished the probe it gated on:
 * no command went out again.)
 */
static void eng_rs_drain_empty_write(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 300);
	a = rs_zombie(test, c, "AT+X", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE));
	qkt_fake_set_full(c->f, true);
	qkt_fake_set_answer(c->f, QKT_PROBE, QKT_PROBE_ANS);	/* the first probe's */
	KUNIT_ASSERT_TRUE(test, wait_event_timeout(c->f->wq,
						   qkt_fake_answered(c->f),
						   3 * HZ) > 0);
	msleep(50);
	qkt_fake_set_full(c->f, false);
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE QKT_PROBE));
	rs_held(test, c, 50);
	qkt_eng_feed_str(c, QKT_PROBE_ANS);		/* the second probe's */
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 2u);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: the transport takes nothing of the probe for longer than the
 * whole resync may last. The resync gives up in bounded time, and the next
 * command goes out (without a probe) once the transport takes bytes again.
 */
static void eng_rs_deadline_stuck(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 50);
	qkt_fake_set_budget(c->f, 5);		/* "AT+X\r", then nothing */
	a = qkt_eng_submit(test, c, 100, "AT+X");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 0, "AT+CGMM");
	msleep(1200);
	KUNIT_EXPECT_FALSE(test, qat_rs_active(&c->eng.rs));
	qkt_fake_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, "AT+X\rAT+CGMM\r", 13));
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Wait until the resync is in @state (its steps run in work items). */
static bool eng_rs_wait_state(struct qkt_eng *c, enum qat_rs_state state)
{
	unsigned int i;

	for (i = 0; i < 200; i++) {
		if (READ_ONCE(c->eng.rs.state) == state)
			return true;
		msleep(20);
	}
	return false;
}

/*
 * The resync's states in order (qisock_resync.h): a QISEND cut while it
 * waited for its '>' owes filler (CLEAN, held there by a transport that
 * takes nothing), then probes (QKT_PROBE), waits (WAIT), and the probe's
 * answer ends it (IDLE). One nobody answers, with its probe cut, gives up
 * into TAIL with the "\r" owed, and reaches IDLE once that went out.
 */
static void eng_rs_states(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 3000);
	qkt_fake_set_budget(c->f, 14);	/* "AT+QISEND=0,5\r", then nothing */
	KUNIT_EXPECT_EQ(test, c->eng.rs.state, QAT_RS_IDLE);
	a = qkt_eng_submit_data(test, c, 100, "AT+QISEND=0,5", "hello", 5);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, c->eng.rs.state, QAT_RS_CLEAN);
	KUNIT_EXPECT_EQ(test, c->eng.rs.fill, (size_t)5);
	qkt_fake_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait(c->f, "\r\0\0\0\0\0" QKT_PROBE, 20));
	KUNIT_EXPECT_TRUE(test, eng_rs_wait_state(c, QAT_RS_WAIT));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	KUNIT_EXPECT_EQ(test, c->eng.rs.state, QAT_RS_IDLE);
	KUNIT_EXPECT_NULL(test, c->eng.rs.zombie);

	c->eng.rs.probe_ms = 50;	/* gives up after about 0.5 s */
	qkt_fake_set_budget(c->f, c->f->rx_len + 5 + 3);	/* "AT+X\r", "AT+" */
	b = qkt_eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, eng_rs_wait_state(c, QAT_RS_TAIL));
	KUNIT_EXPECT_TRUE(test, c->eng.rs.cr);
	qkt_fake_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	KUNIT_EXPECT_TRUE(test, eng_rs_wait_state(c, QAT_RS_IDLE));
	KUNIT_EXPECT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\rAT+\r"));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: as above, but the transport took part of the probe: the resync
 * gives up and ends the cut probe with "\r" before the next command line.
 */
static void eng_rs_deadline_cut(struct kunit *test)
{
	static const char want[] = "AT+X\rAT+QI\rAT+CGMM\r";
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 50);
	qkt_fake_set_budget(c->f, 10);	/* "AT+X\r", then "AT+QI" of the probe */
	a = qkt_eng_submit(test, c, 100, "AT+X");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\rAT+QI"));
	msleep(1200);
	KUNIT_EXPECT_FALSE(test, qat_rs_active(&c->eng.rs));
	qkt_fake_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_TRUE_MSG(test, qkt_fake_rx_equals(c->f, want, sizeof(want) - 1),
			      "wire: %*pE", (int)c->f->rx_len, c->f->rx);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: RDY made the count of owed probes too low; the first probe's
 * pair then arrives during a short write of the second. That does not end
 * the resync: the rest of the probe goes out and its answer ends it, so no
 * command line is glued to half a probe.
 */
static void eng_rs_short_probe_answer(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 300);
	a = rs_zombie(test, c, "AT+X", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE));
	qkt_eng_feed_str(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qkt_fake_set_max(c->f, 5, 20);
	qkt_fake_set_answer(c->f, QKT_PROBE, QKT_PROBE_ANS);	/* the first probe's */
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE QKT_PROBE));
	rs_held(test, c, 50);
	qkt_eng_feed_str(c, QKT_PROBE_ANS);		/* the second probe's */
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_TRUE(test, qkt_fake_has_str(c->f, QKT_PROBE "AT+CGMM\r"));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: probes of an earlier resync that gave up are still owed; the
 * first of their pairs to come during this resync is not this resync's
 * and starts no drain (which would end it one probe time-out later, with
 * the rest still on their way). Only this resync's pairs end it.
 */
static void eng_rs_stale_no_drain(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b, *d;
	unsigned int i;

	rs_quick(c, 100);
	a = qkt_eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 100, "AT+Y");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+Y\r"));
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], (unsigned int)QAT_RS_TRIES);
	c->eng.rs.probe_ms = 300;
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ETIMEDOUT);
	d = qkt_eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+Y\r" QKT_PROBE));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);		/* an old probe's */
	msleep(450);		/* past the drain it would have started */
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "AT+CGMM"));
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+Y\r" QKT_PROBE QKT_PROBE));
	for (i = 1; i < QAT_RS_TRIES; i++)
		qkt_eng_feed_str(c, QKT_PROBE_ANS);	/* the other old ones */
	qkt_eng_feed_str(c, "\r\nOK\r\n" QKT_PROBE_ANS);	/* AT+Y's, the first */
	rs_held(test, c, 50);
	qkt_eng_feed_str(c, QKT_PROBE_ANS);		/* the second probe's */
	eng_expect_b(test, c, d);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
	qisock_at_cmd_put(d);
}

/*
 * After a resync that gave up, a stale marker line comes while the next
 * command is in flight, and its final is lost (the parser drops it). The
 * command's own lines follow: the marker is forgotten at the first of
 * them, so the command gets its OK.
 */
static void eng_rs_stale_mark_lost(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 100);
	a = qkt_eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit(test, c, 500, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+CGMM\r"));
	qkt_eng_feed_str(c, "\r\n+QIGETERROR: 0,operation success\r\n");
	qkt_eng_feed_str(c, "\r\nO\x01K\r\n");	/* its final, garbled */
	qkt_eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, b->result, QP_OK);
	KUNIT_EXPECT_STREQ(test, b->resp, "EG915U\n");
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: a line error between a probe's marker line and its final: the
 * final that follows may be anyone's, so it ends nothing; the probe stays
 * owed and the next probe's answer (with a drain) ends the resync.
 */
static void eng_rs_rx_error_in_pair(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	rs_quick(c, 300);
	a = rs_zombie(test, c, "AT+X", &b);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE));
	qkt_eng_feed_str(c, "\r\n+QIGETERROR: 0,operation success\r\n");
	qisock_at_rx_error(&c->eng);
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	rs_held(test, c, 50);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 1u);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE QKT_PROBE));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);
	eng_expect_b(test, c, b);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Resync: the modem does not care about case, nor does the engine: a
 * zombie "at+qigeterror" gets the other probe, and a lower-case command's
 * late block is still framed by its prefix.
 */
static void eng_rs_lower_case(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a, *b, *d;

	rs_quick(c, 3000);
	a = qkt_eng_submit(test, c, 100, "at+qigeterror");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = qkt_eng_submit_blk(test, c, 100, "at+qird=0,64", &s);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "at+qigeterror\r" QKT_PROBE2));
	qkt_eng_feed_str(c, QKT_PROBE_ANS);		/* the zombie's */
	qkt_eng_feed_str(c, QKT_PROBE2_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "at+qird=0,64\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ETIMEDOUT);
	d = qkt_eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "at+qird=0,64\r" QKT_PROBE));
	qkt_eng_feed_str(c, "\r\n+QIRD: 6\r\n\r\nOK\r\n");	/* data "\r\nOK\r\n" */
	rs_held(test, c, 50);
	qkt_eng_feed_str(c, "\r\nOK\r\n" QKT_PROBE_ANS);
	eng_expect_b(test, c, d);
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
	qisock_at_cmd_put(d);
}

static struct kunit_case qisock_resync_cases[] = {
	KUNIT_CASE(eng_late_answer),
	KUNIT_CASE(eng_late_block),
	KUNIT_CASE(eng_probe_retry),
	KUNIT_CASE(eng_at_not_probe),
	KUNIT_CASE(eng_rs_late_ok),
	KUNIT_CASE(eng_rs_two_probes),
	KUNIT_CASE(eng_rs_zombie_is_probe),
	KUNIT_CASE(eng_rs_late_info),
	KUNIT_CASE(eng_rs_gave_up_stale),
	KUNIT_CASE(eng_rs_probe_lost),
	KUNIT_CASE(eng_rs_answer_in_write),
	KUNIT_CASE(eng_rs_drain_empty_write),
	KUNIT_CASE(eng_rs_deadline_stuck),
	KUNIT_CASE(eng_rs_deadline_cut),
	KUNIT_CASE(eng_rs_short_probe_answer),
	KUNIT_CASE(eng_rs_stale_no_drain),
	KUNIT_CASE(eng_rs_stale_mark_lost),
	KUNIT_CASE(eng_rs_rx_error_in_pair),
	KUNIT_CASE(eng_rs_lower_case),
	KUNIT_CASE(eng_rs_states),
	{}
};

static struct kunit_suite qisock_resync_suite = {
	.name = "qisock_resync",
	.init = rs_init,
	.exit = qkt_eng_exit,
	.test_cases = qisock_resync_cases,
};

kunit_test_suites(&qisock_resync_suite);
