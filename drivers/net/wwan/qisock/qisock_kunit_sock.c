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

/*
 * Sockets: a probed qisock device against the fake modem; user buffers
 * from kunit_vm_mmap().
 */

#define SK_UBUF		(256 * 1024)

struct sk_ctx {
	struct qkt_fake *f;
	struct qisock_dev *qd;
	char __user *u;
	u8 *k;
};

static void sk_setup(struct kunit *test, const char *stale)
{
	struct sk_ctx *c = test->priv;
	struct qisock_dev *qd;
	unsigned long u;

	c->f->stale = stale;
	qd = qisock_dev_create(NULL, "ttyKUNIT", &qkt_fake_xops, c->f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(qd));
	c->qd = qd;
	c->f->eng = &qd->eng;
	qd->cfg.at_tries = 3;
	qd->cfg.at_timeout_ms = 300;
	qd->cfg.cmd_timeout_ms = 500;
	qd->eng.quiet_ms = 20;
	qd->eng.rs.probe_ms = 50;
	KUNIT_ASSERT_EQ(test, qisock_dev_start(qd), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_ASSERT_EQ(test, qd->nsocks, 12u);
	u = kunit_vm_mmap(test, NULL, 0, SK_UBUF, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, u, 0ul, "no user memory");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(u));
	c->u = (char __user *)u;
	c->k = kunit_kzalloc(test, SK_UBUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->k);
}

static int sk_init(struct kunit *test)
{
	struct sk_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->f = qkt_fake_new(test);
	c->f->modem = true;
	c->f->echo = true;
	test->priv = c;
	return 0;
}

static void sk_exit(struct kunit *test)
{
	struct sk_ctx *c = test->priv;

	qkt_fake_check_records(test, c->f);
	qkt_fake_stop(c->f);
	if (c->qd)
		qisock_dev_destroy(c->qd);
}

static void sk_urc(struct sk_ctx *c, const char *s)
{
	qisock_dev_receive(c->qd, s, strlen(s));
}

/*
 * Wait until every command queued so far has gone out and been answered:
 * the engine sends in order, so once a marker command is answered nothing
 * queued before it is still to come. A "never sent" check holds only then.
 */
static void sk_settle(struct kunit *test, struct sk_ctx *c)
{
	KUNIT_ASSERT_EQ(test, qisock_at_simple(&c->qd->eng, 0, "AT+CMEE=1"), 0);
}

static bool sk_log_has(struct sk_ctx *c, const char *s)
{
	bool found;

	spin_lock(&c->f->lock);
	found = strstr(c->f->log, s);
	spin_unlock(&c->f->lock);
	return found;
}

#define SK_WAIT(cond) ({						\
	unsigned long __end = jiffies + 3 * HZ;				\
	bool __ok;							\
	for (;;) {							\
		__ok = (cond);						\
		if (__ok || time_after(jiffies, __end))			\
			break;						\
		usleep_range(2000, 5000);				\
	}								\
	__ok; })

static struct qisock_sock *sk_open(struct kunit *test, int id,
				   u32 service, u32 access, u32 ctx,
				   const char *host, u32 rport, u32 lport)
{
	struct sk_ctx *c = test->priv;
	struct qisock_open req = {
		.service = service, .access_mode = access, .context_id = ctx,
		.connect_id = id, .remote_port = rport, .local_port = lport,
	};
	struct qisock_sock *s = qkt_sock_claim(c->qd, id);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	strscpy(req.host, host, sizeof(req.host));
	KUNIT_ASSERT_EQ(test, qisock_sock_open(s, &req, false), 0);
	KUNIT_EXPECT_EQ(test, req.connect_id, (s32)s->id);
	return s;
}

static void sk_close(struct qisock_sock *s)
{
	qisock_sock_release(s);
	qisock_sock_put(s);
}

/* Read @n bytes (non-blocking, polling) and check them against qkt_fake_pat. */
static void sk_read_from(struct kunit *test, struct qisock_sock *s,
			 size_t base, size_t n, size_t chunk)
{
	struct sk_ctx *c = test->priv;
	unsigned long end = jiffies + 10 * HZ;
	size_t got = 0, i;
	ssize_t r;

	while (got < n && time_before(jiffies, end)) {
		r = qkt_sock_read(s, c->u, min(chunk, n - got), true);
		if (r == -EAGAIN) {
			usleep_range(1000, 3000);
			continue;
		}
		KUNIT_ASSERT_GT(test, r, 0l);
		KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
		for (i = 0; i < r; i++)
			if (c->k[i] != qkt_fake_pat(base + got + i))
				break;
		KUNIT_ASSERT_EQ_MSG(test, i, (size_t)r, "byte %zu differs",
				    got + i);
		got += r;
	}
	KUNIT_EXPECT_EQ(test, got, n);
}

static void sk_read_check(struct kunit *test, struct qisock_sock *s,
			  size_t n, size_t chunk)
{
	sk_read_from(test, s, 0, n, chunk);
}

static void sk_tcp_conversation(struct kunit *test, bool split)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	size_t i;

	sk_setup(test, NULL);
	c->f->split = split;
	s = sk_open(test, -1, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	KUNIT_EXPECT_EQ(test, s->id, 0);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISDE=0|"));
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QICFG=\"recvind\",0|"));
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QICFG=\"dataformat\",0,0|"));
	KUNIT_EXPECT_TRUE(test,
			  sk_log_has(c, "|AT+QIOPEN=1,0,\"TCP\",\"10.0.0.1\",80,0,0|"));
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLOUT);

	/* 3000 bytes of protocol text and binary: 1460 + 1460 + 80 */
	for (i = 0; i < 3000; i++)
		c->k[i] = qkt_fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, 3000), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 3000, false), 3000l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 3000ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 3000), 0);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISEND=0,1460|AT+QISEND=0,1460|"));
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISEND=0,1460|AT+QISEND=0,80|"));

	/* buffer mode: one "recv", then QIRD until "+QIRD: 0" */
	c->f->avail[0] = 5000;
	sk_urc(c, "\r\n+QIURC: \"recv\",0\r\n");
	sk_read_check(test, s, 5000, 1000);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_EQ(test, qisock_sock_nread(s), 0);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 5000ull);
	KUNIT_EXPECT_EQ(test, in.tx_bytes, 3000ull);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, false), 0);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISEND=0,0|"));

	sk_close(s);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=0,1|")));
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
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 4, QISOCK_TCP, 0, 1, "example.com", 443, 0);
	c->f->avail[4] = 200000;
	sk_urc(c, "\r\n+QIURC: \"recv\",4\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->off[4] == QISOCK_RX_SIZE));
	msleep(100);
	/* full: the driver stopped reading the module */
	KUNIT_EXPECT_EQ(test, c->f->off[4], (size_t)QISOCK_RX_SIZE);
	KUNIT_EXPECT_EQ(test, qisock_sock_nread(s), QISOCK_RX_SIZE);
	sk_read_check(test, s, 200000, 4096);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_EQ(test, c->f->off[4], 200000ul);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	sk_close(s);
}

/* "closed" with data still in the module: all data, then EOF. */
static void sock_closed_eof(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 1, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	c->f->avail[1] = 3000;
	sk_urc(c, "\r\n+QIURC: \"closed\",1\r\n");
	sk_read_check(test, s, 3000, 700);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qkt_sock_read(s, c->u, 10, true) == 0));
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLHUP);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -EPIPE);
	sk_close(s);
}

static int sk_try_open(struct kunit *test, struct qisock_sock *s,
		       const char *host, u32 access, bool nonblock)
{
	struct qisock_open req = {
		.service = QISOCK_TCP, .access_mode = access, .context_id = 1,
		.connect_id = -1, .remote_port = 80,
	};

	memcpy(req.host, host, min(strlen(host) + 1, sizeof(req.host)));
	return qisock_sock_open(s, &req, nonblock);
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
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	size_t len, i;
	char *longhost;

	sk_setup(test, NULL);
	s = qkt_sock_claim(c->qd, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_EQ(test, PTR_ERR(qkt_sock_claim(c->qd, 2)), -EBUSY);

	len = c->f->rx_len;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, sk_try_open(test, s, bad[i], 0, false),
				    -EINVAL, "host %zu", i);
	longhost = kunit_kzalloc(test, 400, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longhost);
	memset(longhost, 'a', 399);
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, longhost, 0, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "h", 2, false), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "h", 3, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, c->f->rx_len, len);	/* nothing sent */

	c->f->open_err = 566;
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "10.0.0.1", 0, false),
			-ECONNREFUSED);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.module_error, 566u);
	KUNIT_EXPECT_EQ(test, in.error, (u32)ECONNREFUSED);

	c->f->open_err = -1;
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "10.0.0.1", 0, false), -EIO);

	/* O_NONBLOCK: in progress, then POLLOUT */
	c->f->open_err = 0;
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "10.0.0.1", 0, true),
			-EINPROGRESS);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "10.0.0.1", 0, false),
			-EISCONN);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 2), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 1), 0);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISWTMD=2,1|"));
	sk_close(s);

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
	struct sk_ctx *c = test->priv;
	struct qisock_sock *a, *b;

	sk_setup(test, NULL);
	a = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	b = sk_open(test, 1, QISOCK_TCP, 0, 2, "10.0.0.1", 80, 0);
	sk_urc(c, "\r\n+QIURC: \"pdpdeact\",1\r\n");
	KUNIT_EXPECT_EQ(test, qkt_sock_read(a, c->u, 10, false), -ENETDOWN);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(a, c->u, 10, false), -ENETDOWN);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(a) & EPOLLERR);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(b, c->u, 10, true), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QIDEACT=1|")));

	reinit_completion(&c->qd->probe_done);
	sk_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, qkt_sock_read(b, c->u, 10, false), -ENETRESET);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	sk_close(a);
	sk_close(b);
}

/* Detach with a socket open: EIO, and the socket outlives the modem. */
static void sock_detach(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 3, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	qkt_fake_stop(c->f);
	qisock_dev_destroy(c->qd);
	c->qd = NULL;
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, false), -EIO);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -EIO);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLERR);
	sk_close(s);
}

static void sock_udp_service(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_dgram h = { .len = 20, .port = 53, .addr = "10.1.2.3" };
	struct qisock_sock *s;
	ssize_t r;

	sk_setup(test, NULL);
	s = sk_open(test, 6, QISOCK_UDP_SERVICE, 0, 1, "127.0.0.1", 0, 5000);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "\"UDP SERVICE\",\"127.0.0.1\",0,5000,0|"));
	c->f->dgram = 100;
	c->f->avail[6] = 250;
	sk_urc(c, "\r\n+QIURC: \"recv\",6\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QIRD=6|"));
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
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISEND=6,20,\"10.1.2.3\",53|"));
	strscpy(h.addr, "1.2.3.4\",9", sizeof(h.addr));
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, &h, sizeof(h)), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, sizeof(h) + 20, false),
			-EINVAL);
	sk_close(s);
}

static void sock_listener_accept(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_accept acc;
	struct qisock_sock *l, *n = NULL;
	struct qisock_info in;

	sk_setup(test, NULL);
	l = sk_open(test, 2, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "\"TCP LISTENER\",\"127.0.0.1\",0,8000,0,11,150|"));
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	sk_urc(c, "\r\n+QIURC: \"incoming\",5,2,\"10.1.1.1\",3333\r\n");
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
	sk_urc(c, "\r\n+QIURC: \"recv\",5\r\n");
	sk_read_check(test, n, 1000, 300);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(l, c->u, 10, true), -EINVAL);
	sk_close(n);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=5,1|")));
	sk_urc(c, "\r\n+QIURC: \"incoming full\"\r\n");
	KUNIT_EXPECT_EQ(test, c->qd->incoming_full, 1u);
	sk_close(l);
}

/* SEND FAIL is retried once the module's buffer drains, not reported. */
static void sock_sendfail_retry(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;
	unsigned int i;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	for (i = 0; i < 100; i++)
		c->k[i] = qkt_fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, 100), 0ul);
	c->f->sendfail = 2;
	/* non-blocking: handed over; SEND FAIL twice, sent the third time */
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	/* blocking: waits out SEND FAIL itself */
	c->f->sendfail = 2;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, false), 100l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 6u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 200ul);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISEND=0,0|"));
	sk_close(s);
}

/* URCs before '>' and after SEND OK, while another socket sends. */
static void sock_urc_interleave(struct kunit *test)
{
	static const char * const where[] = { "before", "after" };
	struct sk_ctx *c = test->priv;
	struct qisock_sock *a, *b;
	unsigned int i;

	sk_setup(test, NULL);
	a = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	b = sk_open(test, 1, QISOCK_TCP, 0, 1, "10.0.0.1", 81, 0);
	for (i = 0; i < ARRAY_SIZE(where); i++) {
		c->f->avail[1] += 700;
		c->f->inject = "+QIURC: \"recv\",1";
		c->f->inject_after = i;
		KUNIT_EXPECT_EQ_MSG(test, qkt_sock_write(a, c->u, 500, false),
				    500l, "URC %s", where[i]);
		KUNIT_EXPECT_NULL(test, c->f->inject);
		sk_read_from(test, b, i * 700, 700, 4096);
		KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->qird_zero >= i + 1));
	}
	/* back to back, and a QIOPEN result for another socket */
	sk_urc(c, "\r\n+QIURC: \"closed\",1\r\n\r\n+QIOPEN: 7,0\r\n\r\n+QIURC: \"recv\",0\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qkt_sock_read(b, c->u, 10, true) == 0));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(a, c->u, 10, false), 10l);
	sk_close(a);
	sk_close(b);
}

/* Direct push: data in the URC, bounded, drops counted. */
static void sock_direct_push(struct kunit *test)
{
	static const u8 pay[] = "\r\nOK\r\n\0+QIURC: \"recv\",0,5\r\n";
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	char hdr[64];
	ssize_t r;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 1, 1, "10.0.0.1", 80, 0);
	snprintf(hdr, sizeof(hdr), "\r\n+QIURC: \"recv\",0,%zu\r\n",
		 sizeof(pay));
	sk_urc(c, hdr);
	qisock_dev_receive(c->qd, pay, sizeof(pay));
	r = qkt_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, (ssize_t)sizeof(pay));
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->k, pay, sizeof(pay)), 0);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.access_mode, 1u);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	sk_close(s);
}

/* A socket the module kept from before is closed at attach. */
static void sock_reconcile(struct kunit *test)
{
	struct sk_ctx *c = test->priv;

	sk_setup(test, "+QISTATE: 3,\"TCP\",\"10.0.0.1\",80,1234,2,1,0,0,\"uart1\"");
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISTATE?|AT+QICLOSE=3,1|"));
}

/* B (review 9): a writer stuck on SEND FAIL sees the peer close; polls stop. */
static void sock_fix_b_sendfail_closed(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;
	unsigned int n, m;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	c->f->sendfail = 1000;
	c->f->unacked = QISOCK_TX_MODULE_BUF;	/* the buffer never drains */
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QISEND=0,0|")));
	/* the peer closes; more than the fifo holds stays in the module */
	c->f->avail[0] = 100000;
	sk_urc(c, "\r\n+QIURC: \"closed\",0\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->off[0] == QISOCK_RX_SIZE));
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
	sk_close(s);
}

/* B (review 9): a send-buffer poll that keeps failing gives up (UDP). */
static void sock_fix_b_poll_bounded(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 1, QISOCK_UDP, 0, 1, "10.0.0.1", 53, 0);
	c->f->sendfail = 1;
	c->f->qisend0_err = true;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, false), 100l);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 200ul);
	sk_close(s);
}

/* B (review 10): a QISEND that times out fails a TCP socket. */
static void sock_fix_b_send_timeout(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 2, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
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
	sk_close(s);
}

/* B (review 11): a killed open's +QIOPEN / "closed" miss the next open. */
static void sock_fix_b_stale_qiopen(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = qkt_sock_claim(c->qd, 3);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	c->f->hang_on = "AT+QIOPEN=1,3,\"TCP\",\"10.0.0.1\",80,0,0";
	KUNIT_EXPECT_EQ(test, sk_try_open(test, s, "10.0.0.1", 0, true),
			-EINPROGRESS);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->f->hung, 2 * HZ),
			0ul);
	msleep(20);
	/* the previous owner's attempt reports while ours is unanswered */
	sk_urc(c, "\r\n+QIOPEN: 3,566\r\n\r\n+QIURC: \"closed\",3\r\n");
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_OPENING);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	/* our OK, then our result */
	sk_urc(c, "\r\nOK\r\n\r\n+QIOPEN: 3,0\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	c->f->hang_on = NULL;
	sk_close(s);
}

/* B (review 12): errno after RDY and for a connectID beyond the dialect. */
static void sock_fix_b_errno(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(qkt_sock_claim(c->qd, 12)), -EINVAL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	reinit_completion(&c->qd->probe_done);
	sk_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -ENETRESET);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 1), -ENETRESET);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -ENETRESET);
	sk_close(s);
}

/* Engineer A (receive drain): a QIRD the test answers by hand. */
static void sk_fix_a_qird_out(struct kunit *test, int id)
{
	struct sk_ctx *c = test->priv;
	char *cmd = kunit_kzalloc(test, 32, GFP_KERNEL), urc[40];

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	snprintf(cmd, 32, "AT+QIRD=%d,1500", id);
	spin_lock(&c->f->lock);
	c->f->hang_on = cmd;
	reinit_completion(&c->f->hung);
	spin_unlock(&c->f->lock);
	snprintf(urc, sizeof(urc), "\r\n+QIURC: \"recv\",%d\r\n", id);
	sk_urc(c, urc);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->f->hung, 2 * HZ),
			0ul);
}

/* A TCP client on @id whose first QIRD the fake leaves unanswered. */
static struct qisock_sock *sk_tcp_hung_qird(struct kunit *test, int id)
{
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, id, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	sk_fix_a_qird_out(test, id);
	return s;
}

/* From now on the fake answers QIRDs itself; the module holds @avail. */
static void sk_fix_a_release(struct sk_ctx *c, int id, size_t avail)
{
	spin_lock(&c->f->lock);
	c->f->hang_on = NULL;
	c->f->avail[id] = avail;
	spin_unlock(&c->f->lock);
}

/* Answer the QIRD that is out with a block of @n bytes after @hdr. */
static void sk_fix_a_block(struct kunit *test, const char *hdr, size_t n)
{
	struct sk_ctx *c = test->priv;
	size_t hl = strlen(hdr);
	u8 *b = kunit_kzalloc(test, hl + n + 8, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(b, hdr, hl);
	memset(b + hl, 'x', n);
	memcpy(b + hl + n, "\r\nOK\r\n", 6);
	qisock_dev_receive(c->qd, b, hl + n + 6);
}

/* Review 2: "recv" (and "closed") while a QIRD is out: data, then EOF. */
static void sock_fix_a_recv_during_qird(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	s = sk_tcp_hung_qird(test, 0);
	sk_fix_a_release(c, 0, 1000);
	sk_urc(c, "\r\n+QIRD: 0\r\n\r\n+QIURC: \"recv\",0\r\n"
		  "\r\n+QIURC: \"closed\",0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->off[0] == 1000));
	sk_read_check(test, s, 1000, 300);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qkt_sock_read(s, c->u, 10, true) == 0));
	sk_close(s);
}

/* Review 3: a QIRD that timed out is retried without any reader. */
static void sock_fix_a_qird_timeout(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	s = sk_tcp_hung_qird(test, 1);
	sk_fix_a_release(c, 1, 800);	/* the hung QIRD times out */
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLIN));
	KUNIT_EXPECT_EQ(test, c->f->off[1], 800ul);
	sk_read_check(test, s, 800, 800);
	/* asked whether the lost answer took data: it did not */
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QIRD=1,0|"));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	sk_close(s);
}

/* Review 3: a QIRD answer the engine refuses keeps recv_pending. */
static void sock_fix_a_qird_refused(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	s = sk_tcp_hung_qird(test, 2);
	sk_fix_a_release(c, 2, 600);
	sk_urc(c, "\r\n+QIRD: what\r\n\r\nOK\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLIN));
	sk_read_check(test, s, 600, 1000);
	sk_close(s);
}

/* Review 4: a refused UDP block leaves no header behind; framing holds. */
static void sock_fix_a_udp_rollback(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	ssize_t r;
	size_t i;

	sk_setup(test, NULL);
	s = sk_open(test, 7, QISOCK_UDP, 0, 1, "10.0.0.9", 53, 0);
	sk_fix_a_qird_out(test, 7);
	spin_lock(&c->f->lock);
	c->f->dgram = 100;
	spin_unlock(&c->f->lock);
	sk_fix_a_release(c, 7, 100);
	/* longer than the 1500 asked for: refused, its data dropped */
	sk_fix_a_block(test, "\r\n+QIRD: 1600,\"1.2.3.4\",5\r\n", 1600);
	sk_urc(c, "\r\n+QIURC: \"recv\",7\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLIN));
	r = qkt_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, 100l);
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	for (i = 0; i < 100 && c->k[i] == qkt_fake_pat(i); i++)
		;
	KUNIT_EXPECT_EQ(test, i, 100ul);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true), -EAGAIN);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 1600ull);
	sk_close(s);

	/* direct push over QAT_BLOCK_MAX: dropped and counted, no QIRD */
	s = sk_open(test, 8, QISOCK_UDP, 1, 1, "10.0.0.9", 53, 0);
	qkt_fake_clear_rx(c->f);
	sk_fix_a_block(test, "\r\n+QIURC: \"recv\",8,3000\r\n", 3000);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 3000ull);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 4096, true), -EAGAIN);
	msleep(50);
	spin_lock(&c->f->lock);
	KUNIT_EXPECT_NULL(test, strstr(c->f->rx, "AT+QIRD=8"));
	spin_unlock(&c->f->lock);
	sk_close(s);
}

/* Review 4 (TCP): a block that is refused leaves a hole: EIO. */
static void sock_fix_a_tcp_hole(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	s = sk_tcp_hung_qird(test, 3);
	sk_fix_a_release(c, 3, 0);
	sk_fix_a_block(test, "\r\n+QIRD: 1600\r\n", 1600);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qkt_sock_read(s, c->u, 10, true) ==
					-EIO));
	sk_close(s);
}

/* Engineer C: files, poll, read locking, listener. */

/* A helper thread (no user memory): the test thread itself blocks in read. */
struct sk_fix_c_job {
	struct delayed_work work;
	struct sk_ctx *c;
	struct qisock_sock *s;
	int op;			/* 0 FIONREAD, 1 "closed" URC, 2 lose a drain */
	long ret;
	unsigned long at;	/* jiffies when done */
	struct completion done;
};

static void sk_fix_c_job_fn(struct work_struct *work)
{
	struct sk_fix_c_job *j = container_of(to_delayed_work(work),
					      struct sk_fix_c_job, work);
	char urc[40];

	switch (j->op) {
	case 0:
		j->ret = qisock_sock_nread(j->s);
		break;
	case 1:
		snprintf(urc, sizeof(urc), "\r\n+QIURC: \"closed\",%u\r\n",
			 j->s->id);
		sk_urc(j->c, urc);
		break;
	default:
		/* data announced, but the drain was lost (no QIRD out) */
		spin_lock(&j->s->lock);
		j->s->recv_pending = true;
		spin_unlock(&j->s->lock);
		wake_up_interruptible_all(&j->s->wq);
		break;
	}
	j->at = jiffies;
	complete(&j->done);
}

static struct sk_fix_c_job *sk_fix_c_start(struct kunit *test,
					   struct qisock_sock *s, int op,
					   unsigned int delay_ms)
{
	struct sk_fix_c_job *j = kunit_kzalloc(test, sizeof(*j), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, j);
	j->c = test->priv;
	j->s = s;
	j->op = op;
	j->ret = 1234;
	init_completion(&j->done);
	INIT_DELAYED_WORK(&j->work, sk_fix_c_job_fn);
	queue_delayed_work(system_unbound_wq, &j->work,
			   msecs_to_jiffies(delay_ms));
	return j;
}

/* Review 6: FIONREAD does not wait behind a reader blocked in read(). */
static void sock_fix_c_nread_vs_reader(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct sk_fix_c_job *n, *e;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 3, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	n = sk_fix_c_start(test, s, 0, 200);	/* FIONREAD */
	e = sk_fix_c_start(test, s, 1, 1500);	/* then EOF ends the read */
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, false), 0l);
	wait_for_completion(&n->done);
	wait_for_completion(&e->done);
	KUNIT_EXPECT_EQ(test, n->ret, 0l);
	/* FIONREAD answered while the reader was still asleep */
	KUNIT_EXPECT_TRUE(test, time_before(n->at, e->at));
	sk_close(s);
}

/* Review 6/3: a reader already asleep restarts a drain that stalled. */
static void sock_fix_c_reader_kicks_drain(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct sk_fix_c_job *k, *e;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 4, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	c->f->avail[4] = 500;
	k = sk_fix_c_start(test, s, 2, 200);
	e = sk_fix_c_start(test, s, 1, 2000);	/* fallback: "closed" */
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 500, false), 500l);
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QIRD=4,"));
	/* the reader's drain, not the fallback URC's, brought the data */
	KUNIT_EXPECT_FALSE(test, completion_done(&e->done));
	wait_for_completion(&k->done);
	wait_for_completion(&e->done);
	sk_close(s);
}

/*
 * Review 7: an incoming connection on a connectID a program has claimed but
 * not opened goes to the listener; the program loses the claim.
 */
static void sock_fix_c_incoming_claimed(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *l, *q, *n = NULL;
	struct qisock_accept acc;
	wait_queue_head_t wq;
	struct qisock_info in;

	init_waitqueue_head(&wq);
	sk_setup(test, NULL);
	l = sk_open(test, 2, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	q = qisock_sock_claim_for(c->qd, -1, &wq);	/* the control node's */
	KUNIT_ASSERT_FALSE(test, IS_ERR(q));
	KUNIT_EXPECT_EQ(test, q->id, 0);
	sk_urc(c, "\r\n+QIURC: \"incoming\",0,2,\"10.1.1.1\",3333\r\n");
	KUNIT_EXPECT_FALSE(test, q->in_use);
	KUNIT_EXPECT_NULL(test, q->owner_wq);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	KUNIT_ASSERT_EQ(test, qkt_sock_accept(l, true, &acc, &n), 0);
	KUNIT_EXPECT_EQ(test, acc.connect_id, 0);
	KUNIT_EXPECT_STREQ(test, acc.addr, "10.1.1.1");
	qisock_sock_info(n, &in);
	KUNIT_EXPECT_EQ(test, in.service, (u32)QISOCK_TCP_INCOMING);
	qisock_sock_put(q);		/* the loser only lets go */
	sk_close(n);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=0,1|")));

	/* nobody listens on 7: closed in the module, no orphan socket */
	sk_urc(c, "\r\n+QIURC: \"incoming\",1,7,\"10.1.1.2\",4444\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=1,1|")));
	q = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, q->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, q->mod_held);
	KUNIT_EXPECT_EQ(test, q->in_refused, 1u);
	qisock_sock_put(q);
	sk_close(l);
}

/* A listener on connectID 0 with connections 1..@n waiting for ACCEPT. */
static struct qisock_sock *sk_listen_queued(struct kunit *test, int n)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *l;
	char urc[64];
	int i;

	sk_setup(test, NULL);
	l = sk_open(test, 0, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	for (i = 1; i <= n; i++) {
		snprintf(urc, sizeof(urc),
			 "\r\n+QIURC: \"incoming\",%d,0,\"10.1.1.%d\",%d\r\n",
			 i, i, 1111 * i);
		sk_urc(c, urc);
	}
	KUNIT_ASSERT_EQ(test, l->accept_len, (unsigned int)n);
	return l;
}

/*
 * A signal (Ctrl-C) ends a write or TIOCOUTQ that waits behind a slow
 * command at once, and what it withdrew never reaches the module.
 */
static void sock_signal_while_queued(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;
	struct qat_cmd *hold;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	c->f->hang_on = "AT+KUNITHOLD";
	hold = qisock_at_cmd_new(800, 0, 0, "AT+KUNITHOLD");
	KUNIT_ASSERT_NOT_NULL(test, hold);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->qd->eng, hold), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->f->hung, HZ));

	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, false), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false),
			-ERESTARTSYS);
	flush_signals(current);
	disallow_signal(SIGUSR1);

	KUNIT_EXPECT_EQ(test, qisock_at_wait(hold), -ETIMEDOUT);
	qisock_at_cmd_put(hold);
	c->f->hang_on = NULL;
	sk_settle(test, c);
	KUNIT_EXPECT_FALSE(test, sk_log_has(c, "|AT+QISEND=0,"));
	sk_close(s);
}

/* Hold the engine: a command the fake modem never answers (800 ms). */
static struct qat_cmd *sk_hold_engine(struct kunit *test, struct sk_ctx *c)
{
	struct qat_cmd *hold;

	c->f->hang_on = "AT+KUNITHOLD";
	hold = qisock_at_cmd_new(800, 0, 0, "AT+KUNITHOLD");
	KUNIT_ASSERT_NOT_NULL(test, hold);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->qd->eng, hold), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->f->hung, HZ));
	return hold;
}

/* Where @needle last occurs in the fake's command log, or -1. */
static long sk_log_last(struct sk_ctx *c, const char *needle)
{
	const char *p, *last = NULL;
	long pos;

	spin_lock(&c->f->lock);
	for (p = c->f->log; (p = strstr(p, needle)); p++)
		last = p;
	pos = last ? last - c->f->log : -1;
	spin_unlock(&c->f->lock);
	return pos;
}

/*
 * A non-blocking write never waits for the modem: with the engine busy it
 * hands its QISEND over and returns; the next write gets EAGAIN and poll
 * no EPOLLOUT until SEND OK; a non-blocking TIOCOUTQ answers at once with
 * the bytes held, and reaches the module's count once it was asked.
 */
static void sock_nonblock_write(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	struct qat_cmd *hold;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	hold = sk_hold_engine(test, c);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), 10l);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, true), 10);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));

	KUNIT_EXPECT_EQ(test, qisock_at_wait(hold), -ETIMEDOUT);
	qisock_at_cmd_put(hold);
	c->f->hang_on = NULL;
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 10ul);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.tx_bytes, 10ull);
	c->f->unacked = 4;
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_outq(s, true) == 4));
	sk_close(s);
}

/*
 * A non-blocking write whose QISEND fails after it returned. TCP: the
 * stream has a hole, the socket fails (EPOLLERR, every write EPIPE). UDP:
 * only that datagram is lost; the next write reports it once, then the
 * socket goes on.
 */
static void sock_nonblock_write_error(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s, *u;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	u = sk_open(test, 1, QISOCK_UDP, 0, 1, "10.0.0.1", 53, 0);
	c->f->qisend_err = true;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), 10l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLERR));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.error, (u32)EPIPE);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), -EPIPE);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), -EPIPE);

	KUNIT_EXPECT_EQ(test, qkt_sock_write(u, c->u, 10, true), 10l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(u) & EPOLLERR));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(u, c->u, 10, true), -EPIPE);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(u) & EPOLLERR);
	c->f->qisend_err = false;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(u, c->u, 10, false), 10l);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 10ul);
	sk_close(u);
	sk_close(s);
}

/*
 * close(2) right after a non-blocking write that got SEND FAIL: the data
 * goes out (retried) before the AT+QICLOSE.
 */
static void sock_nonblock_linger(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;
	unsigned int i;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	for (i = 0; i < 100; i++)
		c->k[i] = qkt_fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, 100), 0ul);
	c->f->sendfail = 1;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	sk_close(s);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=0")));
	KUNIT_EXPECT_GT(test, sk_log_last(c, "|AT+QICLOSE=0"),
			sk_log_last(c, "|AT+QISEND=0,100|"));
}

/*
 * Data a non-blocking write handed over and SEND FAIL refused goes out
 * before anything written after it: a blocking write waits behind it.
 */
static void sock_nonblock_order(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	sk_setup(test, NULL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	c->f->sendfail = 1;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 50, false), 50l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 150ul);
	KUNIT_EXPECT_GT(test, sk_log_last(c, "|AT+QISEND=0,50|"),
			sk_log_last(c, "|AT+QISEND=0,100|"));
	KUNIT_EXPECT_GE(test, sk_log_last(c, "|AT+QISEND=0,100|"), 0l);
	sk_close(s);
}

/* A connection waiting for ACCEPT cannot be claimed through its node. */
static void sock_claim_queued_busy(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = sk_listen_queued(test, 1);
	x = qkt_sock_claim(c->qd, 1);
	KUNIT_EXPECT_PTR_EQ(test, x, ERR_PTR(-EBUSY));
	if (!IS_ERR(x)) {
		qisock_sock_unclaim(x);
		qisock_sock_put(x);
	}
	/* still in the queue, and ACCEPT delivers it */
	KUNIT_EXPECT_EQ(test, l->accept_len, 1u);
	KUNIT_ASSERT_EQ(test, qkt_sock_accept(l, true, &acc, &n), 0);
	KUNIT_EXPECT_EQ(test, acc.connect_id, 1);
	sk_close(n);
	sk_close(l);
}

/* Review 8: a listener's release closes what waits in its accept queue. */
static void sock_fix_c_listener_flush(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = sk_listen_queued(test, 2);
	sk_close(l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=1,1|")));
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=2,1|")));
	x = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, x->mod_held);
	qisock_sock_put(x);

	/* the next listener on the slot starts with an empty queue */
	l = sk_open(test, 0, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8001);
	KUNIT_EXPECT_EQ(test, l->accept_len, 0u);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), -EAGAIN);
	sk_close(l);
}

/*
 * Review D1: a QIRD answered only after its time-out: the engine drops the
 * late block, and AT+QIRD=<id>,0 shows the module handed it over. The
 * stream has a hole: EIO, counted, never a silent gap.
 */
static void sock_fix_d_qird_late_lost(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;

	s = sk_tcp_hung_qird(test, 3);
	spin_lock(&c->f->lock);
	c->f->late_id = 3;
	c->f->late_n = 100;	/* goes out before the next answer */
	spin_unlock(&c->f->lock);
	sk_fix_a_release(c, 3, 1100);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QIRD=3,0|")));
	KUNIT_EXPECT_TRUE(test, SK_WAIT(READ_ONCE(s->state) ==
					QISOCK_SS_FAILED));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, true), -EIO);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 100ull);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 0ull);
	sk_close(s);
}

/* Review D1: an audit answered without the counts proves nothing: EIO. */
static void sock_fix_d_audit_unusable(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *s;

	s = sk_tcp_hung_qird(test, 5);
	spin_lock(&c->f->lock);
	c->f->qird0_err = true;
	spin_unlock(&c->f->lock);
	sk_fix_a_release(c, 5, 300);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QIRD=5,0|")));
	KUNIT_EXPECT_TRUE(test, SK_WAIT(READ_ONCE(s->state) ==
					QISOCK_SS_FAILED));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, true), -EIO);
	KUNIT_EXPECT_EQ(test, c->f->off[5], 0ul);	/* no read after it */
	sk_close(s);
}

/* Review D4: a connection that fails while queued is closed, not kept. */
static void sock_fix_d_queued_failed(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = sk_listen_queued(test, 1);
	x = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	sk_fix_a_qird_out(test, 1);	/* its data: the QIRD goes unanswered */
	spin_lock(&c->f->lock);
	c->f->qird0_err = true;		/* ...and so does the audit: EIO */
	spin_unlock(&c->f->lock);
	sk_fix_a_release(c, 1, 300);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(READ_ONCE(x->state) ==
					QISOCK_SS_FAILED));
	KUNIT_EXPECT_EQ(test, qkt_sock_accept(l, true, &acc, &n), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QICLOSE=1,1|")));
	KUNIT_EXPECT_EQ(test, x->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, x->mod_held);
	qisock_sock_put(x);
	sk_close(l);
}

struct sk_later {
	struct delayed_work work;
	struct sk_ctx *c;
	const char *urc;
};

static void sk_later_fn(struct work_struct *work)
{
	struct sk_later *l = container_of(to_delayed_work(work),
					  struct sk_later, work);

	sk_urc(l->c, l->urc);
}

/*
 * Review D2: a writer waiting on an OPENING socket whose connectID the
 * module gives to an incoming connection: EBUSY, and nothing is sent to
 * the stranger.
 */
static void sock_fix_d_write_taken(struct kunit *test)
{
	struct sk_ctx *c = test->priv;
	struct qisock_open req = {
		.service = QISOCK_TCP, .context_id = 1, .connect_id = 4,
		.remote_port = 80, .host = "10.0.0.1",
	};
	struct sk_later later = { .c = c,
		.urc = "\r\n+QIURC: \"incoming\",4,2,\"10.1.1.1\",3333\r\n" };
	struct qisock_sock *l, *s, *n = NULL;
	struct qisock_accept acc;
	wait_queue_head_t wq;

	init_waitqueue_head(&wq);
	sk_setup(test, NULL);
	l = sk_open(test, 2, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	c->f->open_hold = true;
	s = qisock_sock_claim_for(c->qd, 4, &wq);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, qisock_sock_open(s, &req, true), -EINPROGRESS);
	INIT_DELAYED_WORK(&later.work, sk_later_fn);
	schedule_delayed_work(&later.work, msecs_to_jiffies(100));
	KUNIT_EXPECT_EQ(test, qisock_sock_write_for(s, c->u, 10, false, &wq),
			-EBUSY);
	flush_delayed_work(&later.work);
	KUNIT_EXPECT_EQ(test, l->accept_len, 1u);
	/* a call that starts only now, even once somebody accepted it */
	KUNIT_ASSERT_EQ(test, qkt_sock_accept(l, true, &acc, &n), 0);
	KUNIT_EXPECT_PTR_EQ(test, n, s);
	KUNIT_EXPECT_EQ(test, qisock_sock_write_for(s, c->u, 10, false, &wq),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, qisock_sock_read_for(s, c->u, 10, true, &wq),
			-EBUSY);
	sk_settle(test, c);
	KUNIT_EXPECT_FALSE(test, sk_log_has(c, "|AT+QISEND=4,"));
	qisock_sock_put(s);		/* the loser only lets go */
	sk_close(n);
	sk_close(l);
}

/*
 * Review D3: RDY or pdpdeact while connections wait for ACCEPT: the
 * listener fails and its queue empties at once, the waiting connectIDs are
 * free again (no QICLOSE: the module has forgotten them).
 */
static void sk_fix_d_pending(struct kunit *test, const char *urc, int err)
{
	struct sk_ctx *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = sk_listen_queued(test, 2);
	reinit_completion(&c->qd->probe_done);
	sk_urc(c, urc);
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
	sk_settle(test, c);
	KUNIT_EXPECT_FALSE(test, sk_log_has(c, "|AT+QICLOSE=1,"));
	sk_close(l);
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
	KUNIT_CASE(sock_claim_queued_busy),
	KUNIT_CASE(sock_signal_while_queued),
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
	KUNIT_CASE(sock_nonblock_write),
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
	KUNIT_CASE(sock_fix_a_recv_during_qird),
	KUNIT_CASE(sock_fix_a_qird_timeout),
	KUNIT_CASE(sock_fix_a_qird_refused),
	KUNIT_CASE(sock_fix_a_udp_rollback),
	KUNIT_CASE(sock_fix_a_tcp_hole),
	KUNIT_CASE(sock_fix_c_nread_vs_reader),
	KUNIT_CASE(sock_fix_c_reader_kicks_drain),
	KUNIT_CASE(sock_fix_c_incoming_claimed),
	KUNIT_CASE(sock_fix_c_listener_flush),
	KUNIT_CASE(sock_fix_d_qird_late_lost),
	KUNIT_CASE(sock_fix_d_audit_unusable),
	KUNIT_CASE(sock_fix_d_write_taken),
	KUNIT_CASE(sock_fix_d_queued_failed),
	KUNIT_CASE(sock_fix_d_rdy_pending),
	KUNIT_CASE(sock_fix_d_pdpdeact_pending),
	{}
};

static struct kunit_suite qisock_sock_suite = {
	.name = "qisock_sock",
	.init = sk_init,
	.exit = sk_exit,
	.test_cases = qisock_sock_cases,
};

kunit_test_suites(&qisock_sock_suite);
