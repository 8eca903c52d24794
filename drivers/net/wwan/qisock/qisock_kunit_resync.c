// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_engine: the AT engine's recovery rules (see the resync
 * comment in qisock_at.h) against a byte-exact fake transport:
 *  - a binary block is always consumed once its length is accepted, also
 *    after a time-out, a refusal or a line error;
 *  - deadlines count from the last byte written or received;
 *  - after a time-out the modem is brought back in step ("\r", filler,
 *    probe round trip) before the next command goes out, and a late
 *    answer, of the zombie or of a probe, never completes another command;
 *  - a '>' counts only after the whole command line went out;
 *  - SEND OK, CLOSE OK, CONNECT, NO CARRIER end only their own commands;
 *  - command lines with control bytes are refused; leading noise before a
 *    line is skipped.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

#define EF_BUF	8192

/* Records every byte the engine writes; no modem behind it. */
struct efake {
	struct qat_engine *eng;
	spinlock_t lock;	/* everything below */
	wait_queue_head_t wq;
	struct delayed_work kick_work;
	u8 rx[EF_BUF];
	size_t rx_len;
	size_t max_write;	/* accept at most this much per write */
	bool full;		/* accept nothing */
	size_t budget;		/* accept this many bytes in all (0: no cap) */
	bool no_kick;		/* ...and do not kick after a short write */
	unsigned int kick_ms;	/* kick this long after a short write */
	const char *answer;	/* fed back once from inside the write of... */
	const char *answer_to;	/* ...a write ending with this, */
	bool answer_offer;	/* ...offered (not only taken), */
	unsigned int answer_skip;	/* ...after skipping this many */
	bool dead;
	bool truncated;		/* @rx is full: "not written" proves nothing */
};

/* Is the write to be answered (f->lock held)? */
static const char *ef_answer(struct efake *f, const u8 *buf, size_t len)
{
	size_t n = f->answer_to ? strlen(f->answer_to) : 0;

	if (!n || f->dead || len < n || memcmp(buf + len - n, f->answer_to, n))
		return NULL;
	if (f->answer_skip) {
		f->answer_skip--;
		return NULL;
	}
	f->answer_to = NULL;
	return f->answer;
}

static ssize_t ef_write(void *priv, const u8 *buf, size_t len)
{
	struct efake *f = priv;
	size_t offered = len;
	const char *answer;
	bool kick = false;
	unsigned int ms;

	spin_lock(&f->lock);
	if (f->full || (f->max_write && len > f->max_write)) {
		len = f->full ? 0 : f->max_write;
		kick = !f->no_kick && !f->dead;
	}
	if (f->budget && f->rx_len + len > f->budget)
		len = f->budget > f->rx_len ? f->budget - f->rx_len : 0;
	if (f->rx_len + len <= sizeof(f->rx)) {
		memcpy(f->rx + f->rx_len, buf, len);
		f->rx_len += len;
	} else {
		f->truncated = true;
	}
	ms = f->kick_ms;
	answer = ef_answer(f, buf, f->answer_offer ? offered : len);
	spin_unlock(&f->lock);
	/* a modem faster than the tx work: the answer before write returns */
	if (answer)
		qisock_at_receive(f->eng, answer, strlen(answer));
	wake_up(&f->wq);
	if (kick)
		schedule_delayed_work(&f->kick_work, msecs_to_jiffies(ms));
	return len;
}

static const struct qisock_xport_ops ef_xops = {
	.write = ef_write,
};

static void ef_kick_work(struct work_struct *work)
{
	struct efake *f = container_of(to_delayed_work(work), struct efake,
				       kick_work);

	qisock_at_tx_kick(f->eng);
}

static bool ef_has(struct efake *f, const void *needle, size_t n)
{
	bool found = false;
	size_t i;

	spin_lock(&f->lock);
	for (i = 0; !found && i + n <= f->rx_len; i++)
		found = !memcmp(f->rx + i, needle, n);
	spin_unlock(&f->lock);
	return found;
}

/* Wait until the engine has written @needle (@n bytes, NULs allowed). */
static bool ef_wait(struct efake *f, const void *needle, size_t n)
{
	return wait_event_timeout(f->wq, ef_has(f, needle, n), 3 * HZ) > 0;
}

static bool ef_wait_str(struct efake *f, const char *s)
{
	return ef_wait(f, s, strlen(s));
}

static bool ef_has_str(struct efake *f, const char *s)
{
	return ef_has(f, s, strlen(s));
}

static bool ef_equals(struct efake *f, const void *want, size_t n)
{
	bool eq;

	spin_lock(&f->lock);
	eq = f->rx_len == n && !memcmp(f->rx, want, n);
	spin_unlock(&f->lock);
	return eq;
}

/* @lock last, for the reason given at struct at_ctx (qisock_kunit_at.c). */
struct eng_ctx {
	struct qat_engine eng;
	struct efake *f;
	char urcs[1024];
	size_t push_len;
	spinlock_t lock;	/* urcs, push */
};

static void eng_urc(void *priv, const struct qp_line *l)
{
	struct eng_ctx *c = priv;
	char buf[160];

	snprintf(buf, sizeof(buf), "%s %s\n", qisock_parse_code_name(l->code), l->text);
	spin_lock(&c->lock);
	strlcat(c->urcs, buf, sizeof(c->urcs));
	spin_unlock(&c->lock);
}

static void eng_urc_data(void *priv, const u8 *buf, u32 len, bool last)
{
	struct eng_ctx *c = priv;

	spin_lock(&c->lock);
	c->push_len += len;
	spin_unlock(&c->lock);
}

static const struct qat_client_ops eng_client_ops = {
	.urc		= eng_urc,
	.urc_data	= eng_urc_data,
};

static int eng_init(struct kunit *test)
{
	struct eng_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->f = kunit_kzalloc(test, sizeof(*c->f), GFP_KERNEL);
	if (!c->f)
		return -ENOMEM;
	spin_lock_init(&c->f->lock);
	init_waitqueue_head(&c->f->wq);
	INIT_DELAYED_WORK(&c->f->kick_work, ef_kick_work);
	c->f->eng = &c->eng;
	spin_lock_init(&c->lock);
	qisock_at_init(&c->eng, &ef_xops, c->f, &eng_client_ops, c, NULL);
	c->eng.quiet_ms = 30;
	test->priv = c;
	return 0;
}

static void eng_exit(struct kunit *test)
{
	struct eng_ctx *c = test->priv;

	KUNIT_EXPECT_FALSE_MSG(test, c->f->truncated,
			       "the fake's record of written bytes overflowed");
	spin_lock(&c->f->lock);
	c->f->dead = true;
	spin_unlock(&c->f->lock);
	cancel_delayed_work_sync(&c->f->kick_work);
	qisock_at_shutdown(&c->eng, -ENODEV);
	qisock_at_destroy(&c->eng);
}

static void eng_feed(struct eng_ctx *c, const void *s, size_t n)
{
	qisock_at_receive(&c->eng, s, n);
}

static void eng_feed_str(struct eng_ctx *c, const char *s)
{
	eng_feed(c, s, strlen(s));
}

static struct qat_cmd *eng_submit(struct kunit *test, struct eng_ctx *c,
				  unsigned int timeout_ms, const char *line)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(timeout_ms, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, cmd), 0);
	return cmd;
}

static struct qat_cmd *eng_submit_desc(struct kunit *test, struct eng_ctx *c,
				       const struct qisock_cmd_desc *desc,
				       const char *line)
{
	struct qat_cmd *cmd = qisock_at_cmd_alloc(desc, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cmd);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, cmd), 0);
	return cmd;
}

static struct qat_cmd *eng_submit_blk(struct kunit *test, struct eng_ctx *c,
				      unsigned int timeout_ms,
				      const char *line, struct qkt_blk_sink *s)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(timeout_ms, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	cmd->ops = &qkt_blk_ops;
	cmd->priv = s;
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, cmd), 0);
	return cmd;
}

/* A block-reading command that takes blocks of at most @max bytes. */
static struct qat_cmd *eng_submit_blk_max(struct kunit *test,
					  struct eng_ctx *c, const char *line,
					  struct qkt_blk_sink *s, u32 max)
{
	struct qat_cmd *cmd = qisock_at_cmd_alloc(NULL, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cmd);
	cmd->ops = &qkt_blk_ops;
	cmd->priv = s;
	cmd->blk_max = max;
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, cmd), 0);
	return cmd;
}

/* The resync probes and their answers (see qisock_at.h). */
#define PROBE		"AT+QIGETERROR\r"
#define PROBE_ANS	"\r\n+QIGETERROR: 0,operation success\r\n\r\nOK\r\n"
#define PROBE2		"AT+QIDNSCFG=?\r"
#define PROBE2_ANS	"\r\n+QIDNSCFG: (1-15),<pridnsaddr>,<secdnsaddr>\r\n" \
			"\r\nOK\r\n"

/* Peer data that looks like protocol. */
static const char evil[] = "\r\n+QIURC: \"closed\",1\r\n\r\nRDY\r\n\r\nOK\r\n";

/*
 * Item 1: a time-out in the middle of a block detaches the block's owner
 * but the rest of the block is still consumed as data.
 */
static void eng_block_survives_timeout(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	size_t n = sizeof(evil) - 1;
	char hdr[32];
	struct qat_cmd *a, *b;

	a = eng_submit_blk(test, c, 100, "AT+QIRD=0,64", &s);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,64\r"));
	snprintf(hdr, sizeof(hdr), "\r\n+QIRD: %zu\r\n", n);
	eng_feed_str(c, hdr);
	eng_feed(c, evil, 4);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+B");
	eng_feed(c, evil + 4, n - 4);		/* the rest of the block */
	KUNIT_EXPECT_STREQ(test, c->urcs, "");	/* no "closed", no RDY */
	KUNIT_EXPECT_EQ(test, s.len, 4u);	/* the owner got no more */
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);
	/* the resync probe, answered: then B */
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, PROBE));
	eng_feed_str(c, PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+B\r"));
	eng_feed_str(c, "\r\nOK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a;
	int i;

	a = eng_submit_blk(test, c, 200, "AT+QIRD=0,20", &s);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,20\r"));
	eng_feed_str(c, "\r\n+QIRD: 20\r\n");
	for (i = 0; i < 20; i++) {
		msleep(40);	/* 800 ms in all */
		eng_feed(c, "x", 1);
	}
	eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_EQ(test, s.len, 20u);
	KUNIT_EXPECT_EQ(test, s.lasts, 1u);
	qisock_at_cmd_put(a);
}

/* Item 1/4: the deadline counts from the last byte the transport took. */
static void eng_deadline_tx(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a;

	c->f->max_write = 2;
	c->f->kick_ms = 40;	/* "AT+LONGCOMMAND=1,2,3\r": 11 x 40 ms */
	a = eng_submit(test, c, 200, "AT+LONGCOMMAND=1,2,3");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+LONGCOMMAND=1,2,3\r"));
	eng_feed_str(c, "\r\nOK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	char payload[100], *big;
	struct qat_cmd *a, *b;

	memset(payload, 'z', sizeof(payload));
	memcpy(payload + 10, evil, sizeof(evil) - 1);

	a = eng_submit_blk(test, c, 0, "AT+QIRD=0,100", &s);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,100\r"));
	eng_feed_str(c, "\r\n+QIRD: 100\r\n");	/* the hook refuses > 64 */
	eng_feed(c, payload, sizeof(payload));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -EMSGSIZE);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
	KUNIT_EXPECT_EQ(test, s.len, 0u);
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);

	/* more than the command asked for */
	b = eng_submit_blk_max(test, c, "AT+QIRD=0,10", &s, 10);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, PROBE));
	eng_feed_str(c, "\r\nOK\r\n" PROBE_ANS);	/* late final, probe */
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,10\r"));
	eng_feed_str(c, "\r\n+QIRD: 40\r\n");
	eng_feed(c, payload, 40);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -EPROTO);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
	KUNIT_EXPECT_EQ(test, s.len, 0u);

	/* direct push longer than QAT_BLOCK_MAX: dropped, not parsed */
	big = kunit_kzalloc(test, 3000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 'y', 3000);
	memcpy(big + 100, evil, sizeof(evil) - 1);
	eng_feed_str(c, "\r\n+QIURC: \"recv\",1,3000\r\n");
	eng_feed(c, big, 3000);
	KUNIT_EXPECT_STREQ(test, c->urcs, "RECV +QIURC: \"recv\",1,3000\n");
	KUNIT_EXPECT_EQ(test, c->push_len, 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Item 3: a late answer is never taken for the next command: the next one
 * goes out only after the resync round trip.
 */
static void eng_late_answer(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	a = eng_submit(test, c, 100, "ATI");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "ATI\r" PROBE));
	msleep(150);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	/* the modem answers ATI late, then the probe */
	eng_feed_str(c, "\r\nQuectel\r\nEC200U\r\nRevision: X\r\n\r\nOK\r\n"
			PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+CGMM\r"));
	eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_STREQ(test, b->resp, "EG915U\n");
	KUNIT_EXPECT_STREQ(test, a->resp, "");
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 3: a late "+QIRD: n" of a timed-out command still frames its data. */
static void eng_late_block(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a, *b;

	a = eng_submit_blk(test, c, 100, "AT+QIRD=0,64", &s);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,64\r" PROBE));
	eng_feed_str(c, "\r\n+QIRD: 6\r\n\r\nOK\r\n");	/* data "\r\nOK\r\n" */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+B"));
	KUNIT_EXPECT_EQ(test, s.len, 0u);
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);
	eng_feed_str(c, "\r\nOK\r\n" PROBE_ANS);	/* its final, the probe */
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+B\r"));
	eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 3: a probe without an OK is repeated after its time-out. */
static void eng_probe_retry(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 150;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE PROBE));
	eng_feed_str(c, "\r\nERROR\r\n");	/* no marker: not a probe's */
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE PROBE PROBE));
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+B"));
	/* the first two probes were lost: the third's answer, then a drain */
	eng_feed_str(c, PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+B\r"));
	eng_feed_str(c, "\r\nOK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 3000;
	a = eng_submit_blk(test, c, 100, "AT+QIRD=0,64", &s);
	b = eng_submit(test, c, 0, "AT");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,64\r" PROBE));
	eng_feed_str(c, "\r\n+QIRD: 6\r\n\r\nOK\r\n");	/* data "\r\nOK\r\n" */
	eng_feed_str(c, "\r\nOK\r\n");			/* a's final */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, PROBE "AT\r"));
	KUNIT_EXPECT_EQ(test, s.len, 0u);
	eng_feed_str(c, PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, PROBE "AT\r"));
	eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	KUNIT_EXPECT_NULL(test, c->eng.rs.zombie);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* The next command's answer, and what it must have got. */
static void eng_expect_b(struct kunit *test, struct eng_ctx *c,
			 struct qat_cmd *b)
{
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+CGMM\r"));
	eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 3000;
	c->eng.quiet_ms = 0;	/* a wrong end shows at once */
	a = eng_submit(test, c, 100, "AT+CGMR");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+CGMR\r" PROBE));
	eng_feed_str(c, "\r\nOK\r\n");		/* the zombie's */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	KUNIT_EXPECT_TRUE(test, qat_rs_active(&c->eng.rs));
	eng_feed_str(c, PROBE_ANS);
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 150;
	c->eng.quiet_ms = 0;	/* a wrong end shows at once */
	a = eng_submit(test, c, 100, "ATI");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "ATI\r" PROBE PROBE));
	c->eng.rs.probe_ms = 1000;	/* no drain time-out below */
	eng_feed_str(c, "\r\nQuectel\r\nEC200U\r\nRevision: X\r\n\r\nOK\r\n"
			PROBE_ANS);
	msleep(100);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	KUNIT_EXPECT_TRUE(test, qat_rs_active(&c->eng.rs));
	eng_feed_str(c, PROBE_ANS);
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 3000;
	c->eng.quiet_ms = 0;	/* a wrong end shows at once */
	a = eng_submit(test, c, 100, "AT+QIGETERROR");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIGETERROR\r" PROBE2));
	eng_feed_str(c, PROBE_ANS);		/* the zombie's */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	eng_feed_str(c, PROBE2_ANS);
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 3000;
	c->eng.quiet_ms = 0;	/* a wrong end shows at once */
	a = eng_submit(test, c, 100, "ATI");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	eng_feed_str(c, "\r\nQuectel\r\n");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "ATI\r" PROBE));
	eng_feed_str(c, "EC200U\r\nRevision: X\r\n");
	msleep(50);
	eng_feed_str(c, "\r\nOK\r\n");
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	eng_feed_str(c, PROBE_ANS);
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;
	unsigned int i;

	c->eng.rs.probe_ms = 100;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+CGMM\r"));
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, (u32)QAT_RS_TRIES);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], (unsigned int)QAT_RS_TRIES);
	for (i = 0; i < QAT_RS_TRIES; i++)
		eng_feed_str(c, PROBE_ANS);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	/* wide margins: the drain lasts a probe time-out after the pair */
	c->eng.rs.probe_ms = 300;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE PROBE));
	eng_feed_str(c, PROBE_ANS);
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 100;
	spin_lock(&c->f->lock);
	c->f->answer_to = PROBE;
	c->f->answer = PROBE_ANS;
	spin_unlock(&c->f->lock);
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* The engine's answered write has happened (see ef_answer()). */
static bool ef_answered(struct efake *f)
{
	bool done;

	spin_lock(&f->lock);
	done = !f->answer_to;
	spin_unlock(&f->lock);
	return done;
}

static void ef_set_full(struct efake *f, bool full)
{
	spin_lock(&f->lock);
	f->full = full;
	f->no_kick = true;
	spin_unlock(&f->lock);
}

/*
 * Take @n bytes in all from now on (written ones included; 0: no cap),
 * without kicking: set before a command, so no timing decides where the
 * transport stops.
 */
static void ef_set_budget(struct efake *f, size_t n)
{
	spin_lock(&f->lock);
	f->budget = n;
	f->no_kick = true;
	spin_unlock(&f->lock);
}

static void ef_set_max(struct efake *f, size_t max, unsigned int kick_ms)
{
	spin_lock(&f->lock);
	f->max_write = max;
	f->no_kick = !kick_ms;
	f->kick_ms = kick_ms;
	spin_unlock(&f->lock);
}

/* Feed @answer from inside the next write offering @to (taken or not). */
static void ef_set_answer(struct efake *f, const char *to,
			  const char *answer)
{
	spin_lock(&f->lock);
	f->answer_offer = true;
	f->answer_to = to;
	f->answer = answer;
	spin_unlock(&f->lock);
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 300;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE));
	ef_set_full(c->f, true);
	ef_set_answer(c->f, PROBE, PROBE_ANS);	/* the first probe's */
	KUNIT_ASSERT_TRUE(test, wait_event_timeout(c->f->wq,
						   ef_answered(c->f),
						   3 * HZ) > 0);
	msleep(50);
	ef_set_full(c->f, false);
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE PROBE));
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	eng_feed_str(c, PROBE_ANS);		/* the second probe's */
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 50;	/* the resync ends by about 0.5 s */
	c->eng.quiet_ms = 0;
	ef_set_budget(c->f, 5);		/* "AT+X\r", then nothing */
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	msleep(1200);
	KUNIT_EXPECT_FALSE(test, qat_rs_active(&c->eng.rs));
	ef_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_TRUE(test, ef_equals(c->f, "AT+X\rAT+CGMM\r", 13));
	KUNIT_EXPECT_EQ(test, c->eng.st.rs_probes, 1u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Wait until the resync is in @state (its steps run in work items). */
static bool eng_rs_wait_state(struct eng_ctx *c, enum qat_rs_state state)
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
 * takes nothing), then probes (PROBE), waits (WAIT), and the probe's
 * answer ends it (IDLE). One nobody answers, with its probe cut, gives up
 * into TAIL with the "\r" owed, and reaches IDLE once that went out.
 */
static void eng_rs_states(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 3000;
	c->eng.quiet_ms = 0;
	a = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 100, 0, 5, "AT+QISEND=0,5");
	KUNIT_ASSERT_NOT_NULL(test, a);
	memcpy(a->data, "hello", 5);
	ef_set_budget(c->f, 14);	/* "AT+QISEND=0,5\r", then nothing */
	KUNIT_EXPECT_EQ(test, c->eng.rs.state, QAT_RS_IDLE);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, a), 0);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, c->eng.rs.state, QAT_RS_CLEAN);
	KUNIT_EXPECT_EQ(test, c->eng.rs.fill, (size_t)5);
	ef_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, ef_wait(c->f, "\r\0\0\0\0\0" PROBE, 20));
	KUNIT_EXPECT_TRUE(test, eng_rs_wait_state(c, QAT_RS_WAIT));
	eng_feed_str(c, PROBE_ANS);
	KUNIT_EXPECT_EQ(test, c->eng.rs.state, QAT_RS_IDLE);
	KUNIT_EXPECT_NULL(test, c->eng.rs.zombie);

	c->eng.rs.probe_ms = 50;	/* gives up after about 0.5 s */
	ef_set_budget(c->f, c->f->rx_len + 5 + 3);	/* "AT+X\r", "AT+" */
	b = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, eng_rs_wait_state(c, QAT_RS_TAIL));
	KUNIT_EXPECT_TRUE(test, c->eng.rs.cr);
	ef_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	KUNIT_EXPECT_TRUE(test, eng_rs_wait_state(c, QAT_RS_IDLE));
	KUNIT_EXPECT_TRUE(test, ef_wait_str(c->f, "AT+X\rAT+\r"));
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 50;
	c->eng.quiet_ms = 0;
	ef_set_budget(c->f, 10);	/* "AT+X\r", then "AT+QI" of the probe */
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\rAT+QI"));
	msleep(1200);
	KUNIT_EXPECT_FALSE(test, qat_rs_active(&c->eng.rs));
	ef_set_budget(c->f, 0);
	qisock_at_tx_kick(&c->eng);
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_TRUE_MSG(test, ef_equals(c->f, want, sizeof(want) - 1),
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 300;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE));
	eng_feed_str(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 0u);
	ef_set_max(c->f, 5, 20);
	ef_set_answer(c->f, PROBE, PROBE_ANS);	/* the first probe's */
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE PROBE));
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	eng_feed_str(c, PROBE_ANS);		/* the second probe's */
	eng_expect_b(test, c, b);
	KUNIT_EXPECT_TRUE(test, ef_has_str(c->f, PROBE "AT+CGMM\r"));
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b, *d;
	unsigned int i;

	c->eng.rs.probe_ms = 100;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 100, "AT+Y");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+Y\r"));
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], (unsigned int)QAT_RS_TRIES);
	c->eng.rs.probe_ms = 300;
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ETIMEDOUT);
	d = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+Y\r" PROBE));
	eng_feed_str(c, PROBE_ANS);		/* an old probe's */
	msleep(450);		/* past the drain it would have started */
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+Y\r" PROBE PROBE));
	for (i = 1; i < QAT_RS_TRIES; i++)
		eng_feed_str(c, PROBE_ANS);	/* the other old ones */
	eng_feed_str(c, "\r\nOK\r\n" PROBE_ANS);	/* AT+Y's, the first */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	eng_feed_str(c, PROBE_ANS);		/* the second probe's */
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 100;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 500, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+CGMM\r"));
	eng_feed_str(c, "\r\n+QIGETERROR: 0,operation success\r\n");
	eng_feed_str(c, "\r\nO\x01K\r\n");	/* its final, garbled */
	eng_feed_str(c, "\r\nEG915U\r\n\r\nOK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->eng.rs.probe_ms = 300;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "AT+X");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE));
	eng_feed_str(c, "\r\n+QIGETERROR: 0,operation success\r\n");
	qisock_at_rx_error(&c->eng);
	eng_feed_str(c, "\r\nOK\r\n");
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	KUNIT_EXPECT_EQ(test, c->eng.rs.owed[0], 1u);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+X\r" PROBE PROBE));
	eng_feed_str(c, PROBE_ANS);
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
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *a, *b, *d;

	c->eng.rs.probe_ms = 3000;
	c->eng.quiet_ms = 0;
	a = eng_submit(test, c, 100, "at+qigeterror");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit_blk(test, c, 100, "at+qird=0,64", &s);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "at+qigeterror\r" PROBE2));
	eng_feed_str(c, PROBE_ANS);		/* the zombie's */
	eng_feed_str(c, PROBE2_ANS);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "at+qird=0,64\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), -ETIMEDOUT);
	d = eng_submit(test, c, 0, "AT+CGMM");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "at+qird=0,64\r" PROBE));
	eng_feed_str(c, "\r\n+QIRD: 6\r\n\r\nOK\r\n");	/* data "\r\nOK\r\n" */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "AT+CGMM"));
	eng_feed_str(c, "\r\nOK\r\n" PROBE_ANS);
	eng_expect_b(test, c, d);
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.blocks, 1u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
	qisock_at_cmd_put(d);
}

/* Item 4: a time-out in the middle of the command line ends it with "\r". */
static void eng_timeout_mid_line(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	c->f->max_write = 5;
	c->f->no_kick = true;
	a = eng_submit(test, c, 100, "AT+QIOPEN=1,0,\"TCP\"");
	b = eng_submit(test, c, 0, "AT+B");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	c->f->max_write = 0;
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QI\r" PROBE));
	KUNIT_EXPECT_TRUE(test, ef_equals(c->f, "AT+QI\r" PROBE, 20));
	eng_feed_str(c, "\r\nERROR\r\n" PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QI\r" PROBE "AT+B"));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/* Item 4: a time-out in the data phase completes it with filler. */
static void eng_timeout_data(struct kunit *test)
{
	static const u8 want[] = "AT+QISEND=0,10\r0123\0\0\0\0\0\0" PROBE;
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	a = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 100, 0, 10, "AT+QISEND=0,10");
	KUNIT_ASSERT_NOT_NULL(test, a);
	memcpy(a->data, "0123456789", 10);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, a), 0);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QISEND=0,10\r"));
	c->f->max_write = 4;
	c->f->no_kick = true;
	eng_feed_str(c, "\r\n> ");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	c->f->max_write = 0;
	qisock_at_tx_kick(&c->eng);
	b = eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, PROBE));
	KUNIT_EXPECT_TRUE(test, ef_equals(c->f, want, sizeof(want) - 1));
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * Item 4: no prompt in time: filler for the whole length (NULs are
 * harmless in command mode); a '>' that comes later adds nothing.
 */
static void eng_timeout_prompt(struct kunit *test)
{
	static const u8 want[] = "AT+QISEND=0,5\r\0\0\0\0\0" PROBE;
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	a = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 100, 0, 5, "AT+QISEND=0,5");
	KUNIT_ASSERT_NOT_NULL(test, a);
	memcpy(a->data, "hello", 5);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, a), 0);
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), -ETIMEDOUT);
	b = eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, PROBE));
	eng_feed_str(c, "\r\n> ");
	msleep(50);
	KUNIT_EXPECT_TRUE(test, ef_equals(c->f, want, sizeof(want) - 1));
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a;

	a = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 0, 0, sizeof(data) - 1, "AT+QISEND=0,14");
	KUNIT_ASSERT_NOT_NULL(test, a);
	memcpy(a->data, data, sizeof(data) - 1);
	c->f->max_write = 5;
	c->f->no_kick = true;
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, a), 0);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QI"));
	eng_feed_str(c, "\r\n> ");		/* stale */
	c->f->max_write = 0;
	qisock_at_tx_kick(&c->eng);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QISEND=0,14\r"));
	msleep(50);
	KUNIT_EXPECT_FALSE(test, ef_has_str(c->f, "QICLOSE"));
	eng_feed_str(c, "\r\n> ");		/* the real one */
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "QICLOSE"));
	eng_feed_str(c, "\r\nSEND OK\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b, *d;

	a = eng_submit(test, c, 0, "AT+QIRD=0,10");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,10\r"));
	eng_feed_str(c, "\r\nCLOSE OK\r\n\r\nSEND OK\r\n\r\nCONNECT\r\n"
			"\r\nNO CARRIER\r\n\r\nSEND FAIL\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&a->done));
	eng_feed_str(c, "\r\n+QIRD: 0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_EQ(test, a->result, QP_OK);

	b = eng_submit_desc(test, c, &eng_close_ok_desc, "AT+QICLOSE=0");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QICLOSE=0\r"));
	eng_feed_str(c, "\r\nCLOSE OK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, b->result, QP_CLOSE_OK);

	d = eng_submit_desc(test, c, &eng_connect_desc, "ATO");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "ATO\r"));
	eng_feed_str(c, "\r\nCONNECT\r\n");
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
	struct eng_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	size_t n = sizeof(evil) - 1;
	char hdr[32];
	struct qat_cmd *a;

	a = eng_submit_blk(test, c, 0, "AT+QIRD=0,64", &s);
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIRD=0,64\r"));
	snprintf(hdr, sizeof(hdr), "\r\n+QIRD: %zu\r\n", n);
	eng_feed_str(c, hdr);
	eng_feed(c, evil, 3);
	qisock_at_rx_error(&c->eng);		/* parity error on the next byte */
	eng_feed(c, evil + 3, n - 3);
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
	struct eng_ctx *c = test->priv;
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
	struct eng_ctx *c = test->priv;

	eng_feed(c, "\0RDY\r\n\x13\x11+CPIN: READY\r\n\xffjunk\r\n", 29);
	KUNIT_EXPECT_STREQ(test, c->urcs, "RDY RDY\nURC +CPIN: READY\n");
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.garbage, 0u);
	eng_feed_str(c, "x\x01y\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.parser.st.garbage, 1u);
}

static const struct qp_entry eng_lines[] = {
	{ "+QIACTEX:",	QP_URC_QIACTEX,	QP_M_PREFIX },
	{ NULL, 0, 0 }
};

/* Item 10: a real +QIACTEX URC during AT+QIACTEX? is still a URC. */
static void eng_claim_shape(struct kunit *test)
{
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a;

	qisock_at_set_dialect(&c->eng, eng_lines);
	a = eng_submit_desc(test, c, &eng_qiactex_desc, "AT+QIACTEX?");

	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QIACTEX?\r"));
	eng_feed_str(c, "\r\n+QIACTEX: 1,1,1,\"10.0.0.2\"\r\n"
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
	struct eng_ctx *c = test->priv;
	struct qat_cmd *a, *b;

	a = eng_submit_desc(test, c, close, "AT+QICLOSE=0");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QICLOSE=0\r"));
	eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(a->late_seen));

	/* the first close's CLOSE OK arrives while the second is out */
	b = eng_submit_desc(test, c, close, "AT+QICLOSE=1");
	KUNIT_ASSERT_TRUE(test, ef_wait_str(c->f, "AT+QICLOSE=1\r"));
	eng_feed_str(c, "\r\nCLOSE OK\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	KUNIT_EXPECT_TRUE(test, READ_ONCE(a->late_seen));
	eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_EQ(test, b->result, QP_OK);
	eng_feed_str(c, "\r\nCLOSE OK\r\n");
	KUNIT_EXPECT_TRUE(test, READ_ONCE(b->late_seen));
	KUNIT_EXPECT_EQ(test, c->eng.st.late_lines, 2u);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 0u);

	/* nobody owes one now: a third CLOSE OK is stray, never a final */
	eng_feed_str(c, "\r\nCLOSE OK\r\n");
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
	.exit = eng_exit,
	.test_cases = qisock_engine_cases,
};

kunit_test_suites(&qisock_engine_suite);
