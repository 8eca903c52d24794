// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_sock_rx: the receive drain of a probed device's
 * sockets (qisock_sock_rx.c) when the module's answers go wrong, against
 * the fake modem (qisock_kunit_fake.c): a "recv" or "closed" while a QIRD
 * is out, a QIRD that times out or is answered late (the AT+QIRD=<id>,0
 * audit), answers the engine refuses (UDP rollback, a TCP hole), a direct
 * push over the block limit.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock_kunit_fake.h"

/* Review 2: "recv" (and "closed") while a QIRD is out: data, then EOF. */
static void sock_rx_fix_a_recv_during_qird(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_hung_qird(test, 0);
	qkt_sock_free_qird(c, 0, 1000);
	qkt_dev_urc(c, "\r\n+QIRD: 0\r\n\r\n+QIURC: \"recv\",0\r\n"
		  "\r\n+QIURC: \"closed\",0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->off[0] == 1000));
	qkt_sock_read_pat(test, s, 0, 1000, 300);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_sock_read(s, c->u, 10, true) == 0));
	qkt_sock_close(s);
}

/* Review 3: a QIRD that timed out is retried without any reader. */
static void sock_rx_fix_a_qird_timeout(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	s = qkt_sock_tcp_hung_qird(test, 1);
	qkt_sock_free_qird(c, 1, 800);	/* the hung QIRD times out */
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLIN));
	KUNIT_EXPECT_EQ(test, c->f->off[1], 800ul);
	qkt_sock_read_pat(test, s, 0, 800, 800);
	/* asked whether the lost answer took data: it did not */
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QIRD=1,0|"));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	qkt_sock_close(s);
}

/* Review 3: a QIRD answer the engine refuses keeps recv_pending. */
static void sock_rx_fix_a_qird_refused(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_hung_qird(test, 2);
	qkt_sock_free_qird(c, 2, 600);
	qkt_dev_urc(c, "\r\n+QIRD: what\r\n\r\nOK\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLIN));
	qkt_sock_read_pat(test, s, 0, 600, 1000);
	qkt_sock_close(s);
}

/* Review 4: a refused UDP block leaves no header behind; framing holds. */
static void sock_rx_fix_a_udp_rollback(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	ssize_t r;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_open(test, 7, QISOCK_UDP, 0, 1, "10.0.0.9", 53, 0);
	qkt_sock_hang_qird(test, 7);
	spin_lock(&c->f->lock);
	c->f->dgram = 100;
	spin_unlock(&c->f->lock);
	qkt_sock_free_qird(c, 7, 100);
	/* longer than the 1500 asked for: refused, its data dropped */
	qkt_dev_block(test, "\r\n+QIRD: 1600,\"1.2.3.4\",5\r\n", 1600);
	qkt_dev_urc(c, "\r\n+QIURC: \"recv\",7\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLIN));
	r = qkt_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, 100l);
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_fake_pat_diff(c->k, 0, 100), 100ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true), -EAGAIN);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 1600ull);
	qkt_sock_close(s);

	/* direct push over QAT_BLOCK_MAX: dropped and counted, no QIRD */
	s = qkt_sock_open(test, 8, QISOCK_UDP, 1, 1, "10.0.0.9", 53, 0);
	qkt_fake_clear_rx(c->f);
	qkt_dev_block(test, "\r\n+QIURC: \"recv\",8,3000\r\n", 3000);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 3000ull);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true), -EAGAIN);
	msleep(50);
	spin_lock(&c->f->lock);
	KUNIT_EXPECT_NULL(test, strstr(c->f->rx, "AT+QIRD=8"));
	spin_unlock(&c->f->lock);
	qkt_sock_close(s);
}

/* Review 4 (TCP): a block that is refused leaves a hole: EIO. */
static void sock_rx_fix_a_tcp_hole(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_hung_qird(test, 3);
	qkt_sock_free_qird(c, 3, 0);
	qkt_dev_block(test, "\r\n+QIRD: 1600\r\n", 1600);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_sock_read(s, c->u, 10, true) ==
					-EIO));
	qkt_sock_close(s);
}

/*
 * Review D1: a QIRD answered only after its time-out: the engine drops the
 * late block, and AT+QIRD=<id>,0 shows the module handed it over. The
 * stream has a hole: EIO, counted, never a silent gap.
 */
static void sock_rx_fix_d_qird_late_lost(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	s = qkt_sock_tcp_hung_qird(test, 3);
	spin_lock(&c->f->lock);
	c->f->late_id = 3;
	c->f->late_n = 100;	/* goes out before the next answer */
	spin_unlock(&c->f->lock);
	qkt_sock_free_qird(c, 3, 1100);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QIRD=3,0|")));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(READ_ONCE(s->state) ==
					QISOCK_SS_FAILED));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, true), -EIO);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 100ull);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 0ull);
	qkt_sock_close(s);
}

/* Review D1: an audit answered without the counts proves nothing: EIO. */
static void sock_rx_fix_d_audit_unusable(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_hung_qird(test, 5);
	spin_lock(&c->f->lock);
	c->f->qird0_err = true;
	spin_unlock(&c->f->lock);
	qkt_sock_free_qird(c, 5, 300);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QIRD=5,0|")));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(READ_ONCE(s->state) ==
					QISOCK_SS_FAILED));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, true), -EIO);
	KUNIT_EXPECT_EQ(test, c->f->off[5], 0ul);	/* no read after it */
	qkt_sock_close(s);
}

static struct kunit_case qisock_sock_rx_cases[] = {
	KUNIT_CASE(sock_rx_fix_a_recv_during_qird),
	KUNIT_CASE(sock_rx_fix_a_qird_timeout),
	KUNIT_CASE(sock_rx_fix_a_qird_refused),
	KUNIT_CASE(sock_rx_fix_a_udp_rollback),
	KUNIT_CASE(sock_rx_fix_a_tcp_hole),
	KUNIT_CASE(sock_rx_fix_d_qird_late_lost),
	KUNIT_CASE(sock_rx_fix_d_audit_unusable),
	{}
};

static struct kunit_suite qisock_sock_rx_suite = {
	.name = "qisock_sock_rx",
	.init = qkt_dev_init,
	.exit = qkt_dev_exit,
	.test_cases = qisock_sock_rx_cases,
};

kunit_test_suites(&qisock_sock_rx_suite);
