// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_bc66: the socket conversations and URC forms of the
 * BC66/BC66-NA (seed 001) against the fake modem as a BC66
 * (qisock_kunit_fake_bc66.c): QISEND answered OK then SEND OK/SEND FAIL,
 * however late; QICLOSE's late CLOSE OK; "+QIRD: <n>,<remaining>" for TCP
 * and for UDP datagrams read in parts; "recv" with and without a length,
 * direct push, "buff full". Every case runs twice: the module's bytes
 * whole, and one at a time.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/poll.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock_kunit_fake.h"

/* Whole answers, or split at every byte. */
static const bool bc_split[] = { false, true };

static void bc_split_desc(const bool *split, char *desc)
{
	strscpy(desc, *split ? "split" : "whole", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bc_split, bc_split, bc_split_desc);

/* A probed BC66 (5 sockets), its answers split as the case's param says. */
static struct qkt_dev *bc_setup(struct kunit *test)
{
	struct qkt_dev *c = test->priv;

	qkt_fake_bc66(c->f);
	qkt_dev_attach(test, c, 500);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_ASSERT_EQ(test, c->qd->nsocks, 5u);
	KUNIT_ASSERT_STREQ(test, c->qd->dialect->name, "bc66");
	qkt_dev_ubuf(test, c);
	c->f->split = *(const bool *)test->param_value;
	return c;
}

/* The module's bytes, split as the fake splits its answers. */
static void bc_feed(struct qkt_dev *c, const char *s)
{
	qkt_dev_feed(c, s, strlen(s));
}

static struct qisock_sock *bc_tcp(struct kunit *test, int id, u32 access)
{
	return qkt_sock_open(test, id, QISOCK_TCP, access, 1, "10.0.0.1", 80, 0);
}

/* One read(2) of @s gets @n bytes (a datagram): the fake's pattern from @base. */
static void bc_read_dgram(struct kunit *test, struct qisock_sock *s,
			  size_t base, size_t n)
{
	struct qkt_dev *c = test->priv;
	ssize_t r;

	KUNIT_ASSERT_TRUE_MSG(test, QKT_WAIT(qisock_sock_nread(s) == (int)n),
			      "FIONREAD %d, not %zu", qisock_sock_nread(s), n);
	r = qkt_sock_read(s, c->u, QKT_UBUF, true);
	KUNIT_ASSERT_EQ(test, r, (ssize_t)n);
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	KUNIT_EXPECT_EQ(test, qkt_fake_pat_diff(c->k, base, n), n);
}

/* The probe pins the BC66's options, and opens without the extras. */
static void bc66_probe_open(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s;

	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QICFG=\"showlength\",1|"));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QICFG=\"echomode\",0|"));
	KUNIT_EXPECT_TRUE(test, c->f->show_length);
	s = bc_tcp(test, -1, 0);
	KUNIT_EXPECT_EQ(test, s->id, 0);
	KUNIT_EXPECT_TRUE(test,
			  qkt_fake_log_has(c->f, "|AT+QIOPEN=1,0,\"TCP\",\"10.0.0.1\",80,0,0|"));
	KUNIT_EXPECT_EQ(test, PTR_ERR(qkt_sock_claim(c->qd, 5)), -EINVAL);
	qkt_sock_close(s);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=0|")));
}

/* TCP send: '>', the data, OK, SEND OK; 1460 bytes a QISEND. */
static void bc66_tcp_send(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 1, 0);

	qkt_ubuf_fill(test, c, 3000);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 3000, false), 3000l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 3000ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 3000), 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=1,1460|AT+QISEND=1,1460|"));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISEND=1,80|"));
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.stray_final, 0u);
	qkt_sock_close(s);
}

/* OK then SEND FAIL: the data goes again once the module has room. */
static void bc66_tcp_send_fail(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 2, 0);
	struct qisock_info in;

	qkt_ubuf_fill(test, c, 100);
	c->f->sendfail = 1;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, false), 100l);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 2u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.tx_bytes, 100ull);
	qkt_sock_close(s);
}

/* SEND OK 700 ms after the OK (the seed's 300 ms long past): not a failure. */
static void bc66_tcp_send_late(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 0, 0);
	unsigned long t0;
	struct qisock_info in;

	c->f->send2_ms = 700;
	t0 = jiffies;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 200, false), 200l);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - t0), 600u);
	KUNIT_EXPECT_EQ(test, c->f->qisends, 1u);
	/* non-blocking: no POLLOUT until the late SEND OK */
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 100, true), 100l);
	msleep(400);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->qisends, 2u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 300ul);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.stray_final, 0u);
	qkt_sock_close(s);
}

/*
 * URCs between QISEND's OK and its SEND OK: a direct push (header and
 * data) for another socket and a buffer-mode "recv" with a length. The
 * push data is that socket's, the QISEND still ends on SEND OK.
 */
static void bc66_urc_before_send_ok(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *a = bc_tcp(test, 0, 0);
	struct qisock_sock *b = bc_tcp(test, 1, QISOCK_ACCESS_DIRECT_PUSH);
	struct qisock_sock *d = bc_tcp(test, 2, 0);

	c->f->send2_ms = -1;
	KUNIT_EXPECT_EQ(test, qkt_sock_write(a, c->u, 100, true), 100l);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT(c->f->qisends == 1));
	msleep(50);			/* its OK is in */
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(a) & EPOLLOUT);
	c->f->avail[2] = 30;
	bc_feed(c, "\r\n+QIURC: \"recv\",1,11\r\nSEND OK\r\n\r\n"
		   "\r\n+QIURC: \"recv\",2,30\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_nread(b) == 11));
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(a) & EPOLLOUT);
	bc_feed(c, "\r\nSEND OK\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(a) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(b, c->u, 100, true), 11l);
	KUNIT_EXPECT_EQ(test, copy_from_user(c->k, c->u, 11), 0ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->k, "SEND OK\r\n\r\n", 11), 0);
	qkt_sock_read_pat(test, d, 0, 30, 100);
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.stray_final, 0u);
	qkt_sock_close(a);
	qkt_sock_close(b);
	qkt_sock_close(d);
}

/* CLOSE OK 400 ms after QICLOSE's OK; commands meanwhile are unharmed. */
static void bc66_close_late(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 3, 0);

	c->f->close2_ms = 400;
	qkt_sock_close(s);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=3|")));
	qkt_dev_settle(test, c);	/* answered while CLOSE OK is owed */
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->qd->eng.st.late_lines == 1));
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.stray_final, 0u);
	/* the connectID is free again */
	s = bc_tcp(test, 3, 0);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false), 10l);
	qkt_sock_close(s);
}

/*
 * CLOSE OK after the next command started: before another socket's '>'
 * (its QISEND goes on), and while a command the module leaves unanswered
 * is out (it still times out). It never completes another command.
 */
static void bc66_close_ok_next_cmd(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *a = bc_tcp(test, 0, 0);
	struct qisock_sock *b = bc_tcp(test, 1, 0);
	struct qat_cmd *hold;

	c->f->close2_ms = -1;
	qkt_sock_close(a);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=0|")));
	qkt_dev_settle(test, c);
	c->f->inject = "CLOSE OK";
	qkt_ubuf_fill(test, c, 50);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(b, c->u, 50, false), 50l);
	KUNIT_EXPECT_NULL(test, c->f->inject);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 50ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 50), 0);
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.late_lines, 1u);

	qkt_sock_close(b);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=1|")));
	hold = qkt_dev_hold_engine(test, c);
	bc_feed(c, "\r\nCLOSE OK\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));
	qkt_dev_release_engine(test, c, hold);
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.late_lines, 2u);
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.stray_final, 0u);
}

/* TCP read: "+QIRD: <n>,<remaining>", 512 bytes at most, to "+QIRD: 0". */
static void bc66_tcp_read(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 4, 0);
	struct qisock_info in;

	qkt_fake_bc66_arrive(c->f, 4, 1300);	/* "recv",4,1300 */
	qkt_sock_read_pat(test, s, 0, 1300, 700);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QIRD=4,512|"));
	KUNIT_EXPECT_EQ(test, c->f->qirds, 4u);	/* 512, 512, 276, 0 */
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 1300ull);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	qkt_sock_close(s);
}

/*
 * UDP datagrams of @size bytes read in parts of 512: each read(2) gets
 * one whole, FIONREAD says its size.
 */
static void bc_udp_dgrams(struct kunit *test, size_t size)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s;
	struct qisock_info in;

	s = qkt_sock_open(test, 1, QISOCK_UDP, 0, 1, "10.0.0.9", 53, 0);
	c->f->node = size;
	qkt_fake_bc66_arrive(c->f, 1, size);
	qkt_fake_bc66_arrive(c->f, 1, size);
	bc_read_dgram(test, s, 0, size);
	bc_read_dgram(test, s, size, size);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, QKT_UBUF, true), -EAGAIN);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 2ull * size);
	qkt_sock_close(s);
}

static void bc66_udp_1000(struct kunit *test)
{
	bc_udp_dgrams(test, 1000);
}

static void bc66_udp_1460(struct kunit *test)
{
	bc_udp_dgrams(test, 1460);
}

/*
 * The answer to the middle part of a 1460-byte datagram is lost (its QIRD
 * times out): that datagram is dropped and counted, the next one arrives
 * whole, the socket goes on.
 */
static void bc66_udp_part_lost(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s;
	struct qisock_info in;

	s = qkt_sock_open(test, 2, QISOCK_UDP, 0, 1, "10.0.0.9", 53, 0);
	c->f->node = 1460;
	c->f->qird_lose = 2;
	qkt_fake_bc66_arrive(c->f, 2, 1460);
	qkt_fake_bc66_arrive(c->f, 2, 1460);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->f->hung, 2 * HZ),
			0ul);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	bc_read_dgram(test, s, 1460, 1460);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, QKT_UBUF, true), -EAGAIN);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 1460ull);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 1460ull);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLERR);
	qkt_sock_close(s);
}

/*
 * The answer to the first part of a 1460-byte datagram is lost: what
 * follows ("+QIRD: 512,436", then "436,0") cannot be told from a new
 * datagram, so it is dropped up to a datagram's end and counted; the
 * reader never gets a datagram cut short, the next one arrives whole.
 */
static void bc66_udp_first_part_lost(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s;
	struct qisock_info in;

	s = qkt_sock_open(test, 3, QISOCK_UDP, 0, 1, "10.0.0.9", 53, 0);
	c->f->node = 1460;
	c->f->qird_lose = 1;
	qkt_fake_bc66_arrive(c->f, 3, 1460);
	qkt_fake_bc66_arrive(c->f, 3, 1460);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->f->hung, 2 * HZ),
			0ul);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	bc_read_dgram(test, s, 1460, 1460);
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, QKT_UBUF, true), -EAGAIN);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_GE(test, in.rx_dropped, 948ull);
	KUNIT_EXPECT_EQ(test, in.rx_bytes, 1460ull);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	qkt_sock_close(s);
}

/*
 * Buffer mode, "recv" with a length: the bytes after it are modem lines,
 * never data; the data comes by QIRD. Also without the length.
 */
static void bc66_recv_len_buffer(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 0, 0);

	c->f->avail[0] = 12;
	bc_feed(c, "\r\n+QIURC: \"recv\",0\r\n");
	qkt_sock_read_pat(test, s, 0, 12, 100);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	c->f->avail[0] = 24;
	bc_feed(c, "\r\n+QIURC: \"recv\",0,12\r\n\r\n+QIURC: \"closed\",0\r\n");
	qkt_sock_read_pat(test, s, 12, 12, 100);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_sock_read(s, c->u, 10, true) == 0));
	KUNIT_EXPECT_EQ(test, qisock_sock_nread(s), 0);
	qkt_sock_close(s);
}

/*
 * AT+QISWTMD=2,1 as the module handles it: data that arrived before the
 * switch is announced in buffer mode ("recv" with a length, no data after
 * it) before the OK. Lock held.
 */
static bool bc_swtmd_hook(struct qkt_fake *f, const char *cmd)
{
	if (strcmp(cmd, "AT+QISWTMD=2,1"))
		return false;
	f->avail[2] += 8;
	qkt_fake_reply_line(f, "+QIURC: \"recv\",2,8");
	f->pushes[2] = true;
	qkt_fake_reply_line(f, "OK");
	return true;
}

/*
 * TCP direct push after SET_MODE (the engine's bitmap set on its OK, not
 * before), data of protocol text and binary right after its "recv" line;
 * back to buffer mode; and direct push from the open (set on its OK).
 */
static void bc66_tcp_push(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 2, 0);

	KUNIT_EXPECT_FALSE(test, qisock_at_id_pushes(&c->qd->eng, 2));
	c->f->hook = bc_swtmd_hook;
	KUNIT_ASSERT_EQ(test, qisock_sock_set_mode(s, QISOCK_ACCESS_DIRECT_PUSH), 0);
	c->f->hook = NULL;
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QISWTMD=2,1|"));
	KUNIT_EXPECT_TRUE(test, qisock_at_id_pushes(&c->qd->eng, 2));
	/* the 8 bytes announced before the OK are read with QIRD */
	qkt_sock_read_pat(test, s, 0, 8, 100);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QIRD=2,512|"));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));

	spin_lock(&c->f->lock);
	strscpy(c->f->log, "|", sizeof(c->f->log));	/* from here on */
	spin_unlock(&c->f->lock);
	qkt_fake_bc66_arrive(c->f, 2, 300);	/* pushed */
	qkt_sock_read_pat(test, s, 8, 300, 4096);
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "|AT+QIRD=2"));

	KUNIT_ASSERT_EQ(test, qisock_sock_set_mode(s, QISOCK_ACCESS_BUFFER), 0);
	KUNIT_EXPECT_FALSE(test, qisock_at_id_pushes(&c->qd->eng, 2));
	qkt_fake_bc66_arrive(c->f, 2, 40);	/* "recv",2,40 alone */
	qkt_sock_read_pat(test, s, 308, 40, 100);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QIRD=2,512|"));
	qkt_sock_close(s);

	s = bc_tcp(test, 3, QISOCK_ACCESS_DIRECT_PUSH);
	KUNIT_EXPECT_TRUE(test, qisock_at_id_pushes(&c->qd->eng, 3));
	qkt_fake_bc66_arrive(c->f, 3, 5);
	qkt_sock_read_pat(test, s, 0, 5, 100);
	qkt_sock_close(s);
}

/* UDP direct push is refused at open and at SET_MODE, with nothing sent. */
static void bc66_udp_push_refused(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_open req = {
		.service = QISOCK_UDP, .access_mode = QISOCK_ACCESS_DIRECT_PUSH,
		.context_id = 1, .connect_id = 1, .remote_port = 53,
		.host = "10.0.0.9",
	};
	struct qisock_sock *s;

	s = qkt_sock_claim(c->qd, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	qkt_fake_clear_rx(c->f);
	KUNIT_EXPECT_EQ(test, qisock_sock_open(s, &req, false), -EOPNOTSUPP);
	req.access_mode = QISOCK_ACCESS_BUFFER;
	KUNIT_ASSERT_EQ(test, qisock_sock_open(s, &req, false), 0);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, QISOCK_ACCESS_DIRECT_PUSH),
			-EOPNOTSUPP);
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "\"10.0.0.9\",53,0,1\r"));
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "AT+QISWTMD"));
	KUNIT_EXPECT_TRUE(test,
			  qkt_fake_has_str(c->f, "AT+QIOPEN=1,1,\"UDP\",\"10.0.0.9\",53,0,0\r"));
	KUNIT_EXPECT_FALSE(test, qisock_at_id_pushes(&c->qd->eng, 1));
	qkt_sock_close(s);
}

/* "buff full": the driver reads on until the module has nothing left. */
static void bc66_buff_full(struct kunit *test)
{
	struct qkt_dev *c = bc_setup(test);
	struct qisock_sock *s = bc_tcp(test, 0, 0);
	struct qisock_info in;

	c->f->avail[0] = 3000;
	qkt_fake_bc66_buff_full(c->f, 0);
	qkt_sock_read_pat(test, s, 0, 3000, 1024);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(c->f->qird_zero >= 1));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 0ull);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	qkt_sock_close(s);
}

/* Nothing the driver sent was a command or form a BC66 refuses. */
static void bc_exit(struct kunit *test)
{
	struct qkt_dev *c = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, c->f->bc66_refused, 0u,
			    "a command a BC66 does not take: %s", c->f->log);
	qkt_dev_exit(test);
}

static struct kunit_case qisock_bc66_cases[] = {
	KUNIT_CASE_PARAM(bc66_probe_open, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_tcp_send, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_tcp_send_fail, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_tcp_send_late, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_urc_before_send_ok, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_close_late, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_close_ok_next_cmd, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_tcp_read, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_udp_1000, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_udp_1460, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_udp_part_lost, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_udp_first_part_lost, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_recv_len_buffer, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_tcp_push, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_udp_push_refused, bc_split_gen_params),
	KUNIT_CASE_PARAM(bc66_buff_full, bc_split_gen_params),
	{}
};

static struct kunit_suite qisock_bc66_suite = {
	.name = "qisock_bc66",
	.init = qkt_dev_init,
	.exit = bc_exit,
	.test_cases = qisock_bc66_cases,
};

kunit_test_suites(&qisock_bc66_suite);
