// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_sock: socket conversations (open, send, buffer-mode
 * receive with backpressure, close, listener, UDP SERVICE, direct push,
 * errors, pdpdeact, RDY) against the fake modem (qisock_kunit_fake.c),
 * URCs injected between every step, answers split byte by byte.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mman.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

static void sk_tcp_conversation(struct kunit *test, bool split)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	qkt_sock_setup(test, NULL);
	c->f->split = split;
	s = qkt_sock_open(test, -1, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	KUNIT_EXPECT_EQ(test, s->id, 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISDE=0|"));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QICFG=\"recvind\",0|"));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QICFG=\"dataformat\",0,0|"));
	KUNIT_EXPECT_TRUE(test,
			  qkt_fake_log_has(c->f, "|AT+QIOPEN=1,0,\"TCP\",\"10.0.0.1\",80,0,0|"));
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLOUT);

	/* 3000 bytes of protocol text and binary: 1460 + 1460 + 80 */
	qkt_ubuf_fill(test, c, 3000);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 3000, false), 3000l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 3000ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 3000), 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=0,1460|AT+QISEND=0,1460|"));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=0,1460|AT+QISEND=0,80|"));

	/* buffer mode: one "recv", then QIRD until "+QIRD: 0" */
	c->f->avail[0] = 5000;
	qkt_dev_urc(c, "\r\n+QIURC: \"recv\",0\r\n");
	qkt_sock_read_pat(test, s, 0, 5000, 1000);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_EQ(test, qisock_sock_nread(s), 0);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 5000ull);
	KUNIT_EXPECT_EQ(test, in.tx_bytes, 3000ull);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, false), 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=0,0|"));

	qkt_sock_close(s);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=0,1|")));
}

static void sock_tcp_whole(struct kunit *test)
{
	sk_tcp_conversation(test, false);
}

static void sock_tcp_split(struct kunit *test)
{
	sk_tcp_conversation(test, true);
}

/* A slow reader: QIRD only for the room left; nothing lost. */
static void sock_backpressure(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_open(test, 4, QISOCK_TCP, 0, 1, "example.com", 443, 0);
	c->f->avail[4] = 200000;
	qkt_dev_urc(c, "\r\n+QIURC: \"recv\",4\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->off[4] == QISOCK_RX_SIZE));
	msleep(100);
	/* full: the driver stopped reading the module */
	KUNIT_EXPECT_EQ(test, c->f->off[4], (size_t)QISOCK_RX_SIZE);
	KUNIT_EXPECT_EQ(test, qisock_sock_nread(s), QISOCK_RX_SIZE);
	qkt_sock_read_pat(test, s, 0, 200000, 4096);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_EQ(test, c->f->off[4], 200000ul);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	qkt_sock_close(s);
}

/* "closed" with data still in the module: all data, then EOF. */
static void sock_closed_eof(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 1);
	c->f->avail[1] = 3000;
	qkt_dev_urc(c, "\r\n+QIURC: \"closed\",1\r\n");
	qkt_sock_read_pat(test, s, 0, 3000, 700);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_sock_read(s, c->u, 10, true) == 0));
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLHUP);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -EPIPE);
	qkt_sock_close(s);
}

/* Documentation/userspace-api/qisock-sockets.rst, module errors 550-574. */
static const int sk_errno_doc[] = {
	EIO, EAGAIN, EINVAL, ENOMEM, EMFILE, EOPNOTSUPP, EADDRNOTAVAIL,
	EADDRINUSE, EIO, EIO, ECONNABORTED, ENETDOWN, EIO, EBUSY, EAGAIN,
	EHOSTUNREACH, ECONNREFUSED, ENOTCONN, EBUSY, ETIMEDOUT, ENETDOWN,
	ECANCELED, EPERM, ENETUNREACH, EADDRINUSE,
};

static void sock_open_errors(struct kunit *test)
{
	static const char * const bad[] = {
		"a\"b", "a,b", "a\rb", "a\nAT", "", "a b", "\x01", "caf\xc3\xa9",
	};
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	size_t len, i;
	char *longhost;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_claim(c->qd, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_EQ(test, PTR_ERR(qkt_sock_claim(c->qd, 2)), -EBUSY);

	len = c->f->rx_len;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, qkt_sock_try_open(s, bad[i], 0, false),
				    -EINVAL, "host %zu", i);
	longhost = kunit_kzalloc(test, 400, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longhost);
	memset(longhost, 'a', 399);
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, longhost, 0, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "h", 2, false), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "h", 3, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, c->f->rx_len, len);	/* nothing sent */

	c->f->open_err = 566;
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "10.0.0.1", 0, false),
			-ECONNREFUSED);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.module_error, 566u);
	KUNIT_EXPECT_EQ(test, in.error, (u32)ECONNREFUSED);

	c->f->open_err = -1;
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "10.0.0.1", 0, false), -EIO);

	/* O_NONBLOCK: in progress, then POLLOUT */
	c->f->open_err = 0;
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "10.0.0.1", 0, true),
			-EINPROGRESS);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "10.0.0.1", 0, false),
			-EISCONN);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 2), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 1), 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISWTMD=2,1|"));
	qkt_sock_close(s);

	/*
	 * Every code against the table in qisock-sockets.rst, written out
	 * again here: "negative" alone holds for any table, since unknown
	 * codes map to -EIO.
	 */
	for (i = 0; i < ARRAY_SIZE(sk_errno_doc); i++)
		KUNIT_EXPECT_EQ_MSG(test, qisock_err_to_errno(550 + i),
				    -sk_errno_doc[i], "module error %zu", 550 + i);
	KUNIT_EXPECT_EQ(test, qisock_err_to_errno(0), 0);
	KUNIT_EXPECT_EQ(test, qisock_err_to_errno(549), -EIO);
	KUNIT_EXPECT_EQ(test, qisock_err_to_errno(575), -EIO);
	KUNIT_EXPECT_EQ(test, qisock_err_to_errno(-1), -EIO);
	KUNIT_EXPECT_EQ(test, qisock_err_to_errno(999), -EIO);
}

/* pdpdeact fails the sockets of that context; RDY fails all of them. */
static void sock_pdpdeact_rdy(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *a, *b;

	a = qkt_sock_tcp_client(test, 0);
	b = qkt_sock_open(test, 1, QISOCK_TCP, 0, 2, "10.0.0.1", 80, 0);
	qkt_dev_urc(c, "\r\n+QIURC: \"pdpdeact\",1\r\n");
	KUNIT_EXPECT_EQ(test, qkt_sock_read(a, c->u, 10, false), -ENETDOWN);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(a, c->u, 10, false), -ENETDOWN);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(a) & EPOLLERR);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(b, c->u, 10, true), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QIDEACT=1|")));

	reinit_completion(&c->qd->probe_done);
	qkt_dev_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, qkt_sock_read(b, c->u, 10, false), -ENETRESET);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	qkt_sock_close(a);
	qkt_sock_close(b);
}

/* Detach with a socket open: EIO, and the socket outlives the modem. */
static void sock_detach(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 3);
	qkt_fake_stop(c->f);
	qisock_dev_destroy(c->qd);
	c->qd = NULL;
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, false), -EIO);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -EIO);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLERR);
	qkt_sock_close(s);
}

static void sock_udp_service(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_dgram h = { .len = 20, .port = 53, .addr = "10.1.2.3" };
	struct qisock_sock *s;
	ssize_t r;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_open(test, 6, QISOCK_UDP_SERVICE, 0, 1, "127.0.0.1", 0, 5000);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "\"UDP SERVICE\",\"127.0.0.1\",0,5000,0|"));
	c->f->dgram = 100;
	c->f->avail[6] = 250;
	qkt_dev_urc(c, "\r\n+QIURC: \"recv\",6\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QIRD=6|"));
	KUNIT_EXPECT_EQ(test, qisock_sock_nread(s), 100);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 50, true), -EMSGSIZE);
	r = qkt_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, (ssize_t)(sizeof(h) + 100));
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	memcpy(&h, c->k, sizeof(h));
	KUNIT_EXPECT_EQ(test, h.len, 100u);
	KUNIT_EXPECT_EQ(test, h.port, 4321u);
	KUNIT_EXPECT_STREQ(test, h.addr, "10.9.8.7");
	KUNIT_EXPECT_EQ(test, c->k[sizeof(h)], qkt_fake_pat(0));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true),
			(ssize_t)(sizeof(h) + 100));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true),
			(ssize_t)(sizeof(h) + 50));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true), -EAGAIN);

	/* a datagram to a peer: the 4-argument QISEND */
	h = (struct qisock_dgram){ .len = 20, .port = 53, .addr = "10.1.2.3" };
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, &h, sizeof(h)), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, sizeof(h) + 20, false),
			(ssize_t)(sizeof(h) + 20));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=6,20,\"10.1.2.3\",53|"));
	strscpy(h.addr, "1.2.3.4\",9", sizeof(h.addr));
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, &h, sizeof(h)), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, sizeof(h) + 20, false),
			-EINVAL);
	qkt_sock_close(s);
}

static void sock_listener_accept(struct kunit *test)
{
	static const char want[] =
		"\"TCP LISTENER\",\"127.0.0.1\",0,8000,0,11,150|";
	struct qkt_dev *c = test->priv;
	struct qisock_accept acc;
	struct qisock_sock *l, *n = NULL;
	struct qisock_info in;

	qkt_sock_setup(test, NULL);
	l = qkt_sock_open(test, 2, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, want));
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	/* listening: POLLOUT ends an O_NONBLOCK open, as for a client */
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(l) & EPOLLOUT);
	qkt_dev_urc(c, "\r\n+QIURC: \"incoming\",5,2,\"10.1.1.1\",3333\r\n");
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	KUNIT_ASSERT_EQ(test, qkt_sock_accept(l, true, &acc, &n), 0);
	KUNIT_EXPECT_EQ(test, acc.connect_id, 5);
	KUNIT_EXPECT_EQ(test, acc.port, 3333u);
	KUNIT_EXPECT_STREQ(test, acc.addr, "10.1.1.1");
	qisock_sock_info(n, &in);
	KUNIT_EXPECT_EQ(test, in.service, (u32)QISOCK_TCP_INCOMING);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	/* the accepted connection is owned: its node is busy */
	KUNIT_EXPECT_EQ(test, PTR_ERR(qkt_sock_claim(c->qd, 5)), -EBUSY);
	c->f->avail[5] = 1000;
	qkt_dev_urc(c, "\r\n+QIURC: \"recv\",5\r\n");
	qkt_sock_read_pat(test, n, 0, 1000, 300);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(l, c->u, 10, true), -EINVAL);
	qkt_sock_close(n);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=5,1|")));
	qkt_dev_urc(c, "\r\n+QIURC: \"incoming full\"\r\n");
	KUNIT_EXPECT_EQ(test, c->qd->incoming_full, 1u);
	qkt_sock_close(l);
}

/* SEND FAIL is retried once the module's buffer drains, not reported. */
static void sock_sendfail_retry(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 0);
	qkt_ubuf_fill(test, c, 100);
	c->f->sendfail = 2;
	/* non-blocking: handed over; SEND FAIL twice, sent the third time */
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	/* blocking: waits out SEND FAIL itself */
	c->f->sendfail = 2;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, false), 100l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 6u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 200ul);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=0,0|"));
	qkt_sock_close(s);
}

/* URCs before '>' and after SEND OK, while another socket sends. */
static void sock_urc_interleave(struct kunit *test)
{
	static const char * const where[] = { "before", "after" };
	struct qkt_dev *c = test->priv;
	struct qisock_sock *a, *b;
	unsigned int i;

	a = qkt_sock_tcp_client(test, 0);
	b = qkt_sock_open(test, 1, QISOCK_TCP, 0, 1, "10.0.0.1", 81, 0);
	for (i = 0; i < ARRAY_SIZE(where); i++) {
		c->f->avail[1] += 700;
		c->f->inject = "+QIURC: \"recv\",1";
		c->f->inject_after = i;
		KUNIT_EXPECT_EQ_MSG(test, qkt_sock_write(a, c->u, 500, false),
				    500l, "URC %s", where[i]);
		KUNIT_EXPECT_NULL(test, c->f->inject);
		qkt_sock_read_pat(test, b, i * 700, 700, 4096);
		KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= i + 1));
	}
	/* back to back, and a QIOPEN result for another socket */
	qkt_dev_urc(c, "\r\n+QIURC: \"closed\",1\r\n\r\n+QIOPEN: 7,0\r\n"
		       "\r\n+QIURC: \"recv\",0\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_sock_read(b, c->u, 10, true) == 0));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(a, c->u, 10, false), 10l);
	qkt_sock_close(a);
	qkt_sock_close(b);
}

/* Direct push: data in the URC, bounded, drops counted. */
static void sock_direct_push(struct kunit *test)
{
	static const u8 pay[] = "\r\nOK\r\n\0+QIURC: \"recv\",0,5\r\n";
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	char hdr[64];
	ssize_t r;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_open(test, 0, QISOCK_TCP, 1, 1, "10.0.0.1", 80, 0);
	snprintf(hdr, sizeof(hdr), "\r\n+QIURC: \"recv\",0,%zu\r\n",
		 sizeof(pay));
	qkt_dev_urc(c, hdr);
	qisock_dev_receive(c->qd, pay, sizeof(pay));
	r = qkt_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, (ssize_t)sizeof(pay));
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->k, pay, sizeof(pay)), 0);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.access_mode, 1u);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	qkt_sock_close(s);
}

/* A socket the module kept from before is closed at attach. */
static void sock_reconcile(struct kunit *test)
{
	struct qkt_dev *c = test->priv;

	qkt_sock_setup(test, "+QISTATE: 3,\"TCP\",\"10.0.0.1\",80,1234,2,1,0,0,\"uart1\"");
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISTATE?|AT+QICLOSE=3,1|"));
}

/* B (review 9): a writer stuck on SEND FAIL sees the peer close; polls stop. */
static void sock_fix_b_sendfail_closed(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;
	unsigned int n, m;

	s = qkt_sock_tcp_client(test, 0);
	c->f->sendfail = 1000;
	c->f->unacked = QISOCK_TX_MODULE_BUF;	/* the buffer never drains */
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QISEND=0,0|")));
	/* the peer closes; more than the fifo holds stays in the module */
	c->f->avail[0] = 100000;
	qkt_dev_urc(c, "\r\n+QIURC: \"closed\",0\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->off[0] == QISOCK_RX_SIZE));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), -EPIPE);
	msleep(50);
	spin_lock(&c->f->lock);
	n = c->f->ncmds;
	spin_unlock(&c->f->lock);
	msleep(400);
	spin_lock(&c->f->lock);
	m = c->f->ncmds;
	spin_unlock(&c->f->lock);
	KUNIT_EXPECT_EQ_MSG(test, m, n, "still polling AT+QISEND=0,0");
	qkt_sock_close(s);
}

/* B (review 9): a send-buffer poll that keeps failing gives up (UDP). */
static void sock_fix_b_poll_bounded(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_open(test, 1, QISOCK_UDP, 0, 1, "10.0.0.1", 53, 0);
	c->f->sendfail = 1;
	c->f->qisend0_err = true;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, false), 100l);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 200ul);
	qkt_sock_close(s);
}

/* B (review 10): a QISEND that times out fails a TCP socket. */
static void sock_fix_b_send_timeout(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 2);
	c->f->hang_on = "AT+QISEND=2,140";
	/* 1460 + 140: the first chunk went out, the second timed out */
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 1600, false), 1460l);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.error, (u32)ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLERR);
	c->f->hang_on = NULL;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 50, false),
			-ETIMEDOUT);
	qkt_sock_close(s);
}

/* B (review 11): a killed open's +QIOPEN / "closed" miss the next open. */
static void sock_fix_b_stale_qiopen(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	qkt_sock_setup(test, NULL);
	s = qkt_sock_claim(c->qd, 3);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	c->f->hang_on = "AT+QIOPEN=1,3,\"TCP\",\"10.0.0.1\",80,0,0";
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "10.0.0.1", 0, true),
			-EINPROGRESS);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->f->hung, 2 * HZ),
			0ul);
	msleep(20);
	/* the previous owner's attempt reports while ours is unanswered */
	qkt_dev_urc(c, "\r\n+QIOPEN: 3,566\r\n\r\n+QIURC: \"closed\",3\r\n");
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_OPENING);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	/* our OK, then our result */
	qkt_dev_urc(c, "\r\nOK\r\n\r\n+QIOPEN: 3,0\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	c->f->hang_on = NULL;
	qkt_sock_close(s);
}

/* B (review 12): errno after RDY and for a connectID beyond the dialect. */
static void sock_fix_b_errno(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	qkt_sock_setup(test, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(qkt_sock_claim(c->qd, 12)), -EINVAL);
	s = qkt_sock_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	reinit_completion(&c->qd->probe_done);
	qkt_dev_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -ENETRESET);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 1), -ENETRESET);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -ENETRESET);
	qkt_sock_close(s);
}

/*
 * A non-blocking write whose QISEND fails after it returned. TCP: the
 * stream has a hole, the socket fails (EPOLLERR, every write EPIPE). UDP:
 * only that datagram is lost; the next write reports it once, then the
 * socket goes on.
 */
static void sock_nonblock_write_error(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s, *u;

	s = qkt_sock_tcp_client(test, 0);
	u = qkt_sock_open(test, 1, QISOCK_UDP, 0, 1, "10.0.0.1", 53, 0);
	c->f->qisend_err = true;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), 10l);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLERR));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.error, (u32)EPIPE);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), -EPIPE);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -EPIPE);

	KUNIT_EXPECT_EQ(test, qkt_sock_write(u, c->u, 10, true), 10l);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(u) & EPOLLERR));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(u, c->u, 10, true), -EPIPE);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(u) & EPOLLERR);
	c->f->qisend_err = false;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(u, c->u, 10, false), 10l);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 10ul);
	qkt_sock_close(u);
	qkt_sock_close(s);
}

/*
 * close(2) right after a non-blocking write that got SEND FAIL: the data
 * goes out (retried) before the AT+QICLOSE.
 */
static void sock_nonblock_linger(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 0);
	qkt_ubuf_fill(test, c, 100);
	c->f->sendfail = 1;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	qkt_sock_close(s);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=0")));
	KUNIT_EXPECT_GT(test, qkt_fake_log_last(c->f, "|AT+QICLOSE=0"),
			qkt_fake_log_last(c->f, "|AT+QISEND=0,100|"));
}

/*
 * Data a non-blocking write handed over and SEND FAIL refused goes out
 * before anything written after it: a blocking write waits behind it.
 */
static void sock_nonblock_order(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 0);
	c->f->sendfail = 1;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 50, false), 50l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 150ul);
	KUNIT_EXPECT_GT(test, qkt_fake_log_last(c->f, "|AT+QISEND=0,50|"),
			qkt_fake_log_last(c->f, "|AT+QISEND=0,100|"));
	KUNIT_EXPECT_GE(test, qkt_fake_log_last(c->f, "|AT+QISEND=0,100|"), 0l);
	qkt_sock_close(s);
}

/* Review 8: a listener's release closes what waits in its accept queue. */
static void sock_fix_c_listener_flush(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = qkt_sock_listen_queued(test, 2);
	qkt_sock_close(l);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=1,1|")));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=2,1|")));
	x = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, x->mod_held);
	qisock_sock_put(x);

	/* the next listener on the slot starts with an empty queue */
	l = qkt_sock_open(test, 0, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8001);
	KUNIT_EXPECT_EQ(test, l->accept_len, 0u);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), -EAGAIN);
	qkt_sock_close(l);
}

/* Review D4: a connection that fails while queued is closed, not kept. */
static void sock_fix_d_queued_failed(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = qkt_sock_listen_queued(test, 1);
	x = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	qkt_sock_hang_qird(test, 1);	/* its data: the QIRD goes unanswered */
	spin_lock(&c->f->lock);
	c->f->qird0_err = true;		/* ...and so does the audit: EIO */
	spin_unlock(&c->f->lock);
	qkt_sock_free_qird(c, 1, 300);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(READ_ONCE(x->state) ==
					QISOCK_SS_FAILED));
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=1,1|")));
	KUNIT_EXPECT_EQ(test, x->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, x->mod_held);
	qisock_sock_put(x);
	qkt_sock_close(l);
}

/*
 * Review D3: RDY or pdpdeact while connections wait for ACCEPT: the
 * listener fails and its queue empties at once, the waiting connectIDs are
 * free again (no QICLOSE: the module has forgotten them).
 */
static void sk_fix_d_pending(struct kunit *test, const char *urc, int err)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = qkt_sock_listen_queued(test, 2);
	reinit_completion(&c->qd->probe_done);
	qkt_dev_urc(c, urc);
	KUNIT_EXPECT_EQ(test, l->accept_len, 0u);
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), err);
	x = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, x->mod_held);
	qisock_sock_put(x);
	if (err == -ENETRESET)	/* RDY: the module is probed again */
		KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&c->qd->probe_done,
								    5 * HZ));
	/* a free socket for the control node: the first waiting one */
	x = qkt_sock_claim(c->qd, -1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(x));
	KUNIT_EXPECT_EQ(test, x->id, 1);
	qisock_sock_unclaim(x);
	qisock_sock_put(x);
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "|AT+QICLOSE=1,"));
	qkt_sock_close(l);
}

static void sock_fix_d_rdy_pending(struct kunit *test)
{
	sk_fix_d_pending(test, "\r\nRDY\r\n", -ENETRESET);
}

static void sock_fix_d_pdpdeact_pending(struct kunit *test)
{
	sk_fix_d_pending(test, "\r\n+QIURC: \"pdpdeact\",1\r\n", -ENETDOWN);
}

static struct kunit_case qisock_sock_cases[] = {
	KUNIT_CASE(sock_tcp_whole),
	KUNIT_CASE(sock_tcp_split),
	KUNIT_CASE(sock_backpressure),
	KUNIT_CASE(sock_closed_eof),
	KUNIT_CASE(sock_open_errors),
	KUNIT_CASE(sock_pdpdeact_rdy),
	KUNIT_CASE(sock_detach),
	KUNIT_CASE(sock_udp_service),
	KUNIT_CASE(sock_listener_accept),
	KUNIT_CASE(sock_sendfail_retry),
	KUNIT_CASE(sock_nonblock_write_error),
	KUNIT_CASE(sock_nonblock_linger),
	KUNIT_CASE(sock_nonblock_order),
	KUNIT_CASE(sock_urc_interleave),
	KUNIT_CASE(sock_direct_push),
	KUNIT_CASE(sock_reconcile),
	KUNIT_CASE(sock_fix_b_sendfail_closed),
	KUNIT_CASE(sock_fix_b_poll_bounded),
	KUNIT_CASE(sock_fix_b_send_timeout),
	KUNIT_CASE(sock_fix_b_stale_qiopen),
	KUNIT_CASE(sock_fix_b_errno),
	KUNIT_CASE(sock_fix_c_listener_flush),
	KUNIT_CASE(sock_fix_d_queued_failed),
	KUNIT_CASE(sock_fix_d_rdy_pending),
	KUNIT_CASE(sock_fix_d_pdpdeact_pending),
	{}
};

static struct kunit_suite qisock_sock_suite = {
	.name = "qisock_sock",
	.init = qkt_dev_init,
	.exit = qkt_dev_exit,
	.test_cases = qisock_sock_cases,
};

kunit_test_suites(&qisock_sock_suite);
