// SPDX-License-Identifier: GPL-2.0
/*
 * qisock KUnit: what the suites set up on the shared fake modem
 * (qisock_kunit_fake.c): an AT engine driven by hand (struct qkt_eng), a
 * probed qisock device with user memory (struct qkt_dev), and the socket
 * calls the suites make on that device.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock_kunit_fake.h"

/* --- an engine alone ----------------------------------------------------- */

static void qkt_eng_urc(void *priv, const struct qp_line *l)
{
	struct qkt_eng *c = priv;
	char buf[160];

	snprintf(buf, sizeof(buf), "%s %s\n", qisock_parse_code_name(l->code),
		 l->text);
	spin_lock(&c->lock);
	strlcat(c->urcs, buf, sizeof(c->urcs));
	spin_unlock(&c->lock);
}

static void qkt_eng_urc_data(void *priv, const u8 *buf, u32 len, bool last)
{
	struct qkt_eng *c = priv;
	size_t room;

	spin_lock(&c->lock);
	room = sizeof(c->push) - min(c->push_len, sizeof(c->push));
	memcpy(c->push + sizeof(c->push) - room, buf, min_t(size_t, len, room));
	c->push_len += len;
	c->push_last += last;
	spin_unlock(&c->lock);
}

static const struct qat_client_ops qkt_eng_client_ops = {
	.urc		= qkt_eng_urc,
	.urc_data	= qkt_eng_urc_data,
};

/**
 * qkt_eng_init() - a suite's .init: an engine on a hand-driven fake.
 * @test: the test case; its priv becomes the struct qkt_eng.
 * @quiet_ms: the engine's quiet time after a time-out.
 *
 * Return: 0, or -ENOMEM.
 */
int qkt_eng_init(struct kunit *test, unsigned int quiet_ms)
{
	struct qkt_eng *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->f = qkt_fake_new(test);
	spin_lock_init(&c->lock);
	qisock_at_init(&c->eng, &qkt_fake_xops, c->f, &qkt_eng_client_ops, c,
		       NULL);
	c->eng.quiet_ms = quiet_ms;
	c->f->eng = &c->eng;
	test->priv = c;
	return 0;
}

/* A suite's .exit for qkt_eng_init(). */
void qkt_eng_exit(struct kunit *test)
{
	struct qkt_eng *c = test->priv;

	qkt_fake_check_records(test, c->f);
	qkt_fake_stop(c->f);
	qisock_at_shutdown(&c->eng, -ENODEV);
	qisock_at_destroy(&c->eng);
}

/* What the modem sends: @n bytes (NULs allowed), or a string. */
void qkt_eng_feed(struct qkt_eng *c, const void *buf, size_t n)
{
	qisock_at_receive(&c->eng, buf, n);
}

void qkt_eng_feed_str(struct qkt_eng *c, const char *s)
{
	qkt_eng_feed(c, s, strlen(s));
}

/* Submit @cmd (allocated by the caller: NULL or an error fails the test). */
struct qat_cmd *qkt_eng_submit_cmd(struct kunit *test, struct qkt_eng *c,
				   struct qat_cmd *cmd)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cmd);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->eng, cmd), 0);
	return cmd;
}

/* Submit @line as a plain command (256 bytes of response). */
struct qat_cmd *qkt_eng_submit(struct kunit *test, struct qkt_eng *c,
			       unsigned int timeout_ms, const char *line)
{
	return qkt_eng_submit_cmd(test, c, qisock_at_cmd_new(timeout_ms, 256, 0,
							     "%s", line));
}

/* Submit @line as @desc describes it. */
struct qat_cmd *qkt_eng_submit_desc(struct kunit *test, struct qkt_eng *c,
				    const struct qisock_cmd_desc *desc,
				    const char *line)
{
	return qkt_eng_submit_cmd(test, c, qisock_at_cmd_alloc(desc, 256, 0,
							       "%s", line));
}

/* Let @cmd read blocks into @s; @max, when not 0, is the largest it takes. */
void qkt_cmd_set_blk(struct qat_cmd *cmd, struct qkt_blk_sink *s, u32 max)
{
	cmd->ops = &qkt_blk_ops;
	cmd->priv = s;
	if (max)
		cmd->blk_max = max;
}

/* Submit a plain command that reads blocks into @s. */
struct qat_cmd *qkt_eng_submit_blk(struct kunit *test, struct qkt_eng *c,
				   unsigned int timeout_ms, const char *line,
				   struct qkt_blk_sink *s)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(timeout_ms, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	qkt_cmd_set_blk(cmd, s, 0);
	return qkt_eng_submit_cmd(test, c, cmd);
}

/* A block-reading command that takes blocks of at most @max bytes. */
struct qat_cmd *qkt_eng_submit_blk_max(struct kunit *test, struct qkt_eng *c,
				       const char *line,
				       struct qkt_blk_sink *s, u32 max)
{
	struct qat_cmd *cmd = qisock_at_cmd_alloc(NULL, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cmd);
	qkt_cmd_set_blk(cmd, s, max);
	return qkt_eng_submit_cmd(test, c, cmd);
}

/*
 * Submit an EC200U AT+QISEND (@line) carrying @len bytes of @data, with
 * its finals (SEND OK/FAIL); @timeout_ms 0 keeps the descriptor's.
 */
struct qat_cmd *qkt_eng_submit_data(struct kunit *test, struct qkt_eng *c,
				    unsigned int timeout_ms, const char *line,
				    const char *data, size_t len)
{
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QISEND, timeout_ms, 0,
					     len, "%s", line);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	memcpy(cmd->data, data, len);
	return qkt_eng_submit_cmd(test, c, cmd);
}

/* --- a probed device ----------------------------------------------------- */

/**
 * qkt_dev_init() - a suite's .init: a fake modem (echo on, as modules power
 * up) for a device that qkt_dev_attach() attaches.
 * @test: the test case; its priv becomes the struct qkt_dev.
 *
 * Return: 0, or -ENOMEM.
 */
int qkt_dev_init(struct kunit *test)
{
	struct qkt_dev *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->f = qkt_fake_new(test);
	c->f->modem = true;
	c->f->echo = true;
	test->priv = c;
	return 0;
}

/* Detach: the fake first, so nothing arrives while the device goes. */
void qkt_dev_destroy(struct qkt_dev *c)
{
	qkt_fake_stop(c->f);
	if (c->qd)
		qisock_dev_destroy(c->qd);
	c->qd = NULL;
}

/* A suite's .exit for qkt_dev_init(). */
void qkt_dev_exit(struct kunit *test)
{
	struct qkt_dev *c = test->priv;

	qkt_fake_check_records(test, c->f);
	qkt_dev_destroy(c);
}

/*
 * Attach a device to the fake and start its probe, with short time-outs
 * (3 tries of AT at 300 ms, @cmd_timeout_ms per command).
 */
void qkt_dev_attach(struct kunit *test, struct qkt_dev *c,
		    unsigned int cmd_timeout_ms)
{
	struct qisock_dev *qd;

	qd = qisock_dev_create(NULL, "ttyKUNIT", &qkt_fake_xops, c->f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(qd));
	c->qd = qd;
	c->f->eng = &qd->eng;
	qd->cfg.at_tries = 3;
	qd->cfg.at_timeout_ms = 300;
	qd->cfg.cmd_timeout_ms = cmd_timeout_ms;
	qd->eng.quiet_ms = 20;
	qd->eng.rs.probe_ms = 50;
	KUNIT_ASSERT_EQ(test, qisock_dev_start(qd), 0);
}

/* User memory for the read and write calls, and a kernel copy of it. */
void qkt_dev_ubuf(struct kunit *test, struct qkt_dev *c)
{
	unsigned long u;

	u = kunit_vm_mmap(test, NULL, 0, QKT_UBUF, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, u, 0ul, "no user memory");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(u));
	c->u = (char __user *)u;
	c->k = kunit_kzalloc(test, QKT_UBUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->k);
}

/* The first @n bytes of the user buffer (and @k) hold the fake's pattern. */
void qkt_ubuf_fill(struct kunit *test, struct qkt_dev *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		c->k[i] = qkt_fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, n), 0ul);
}

/* Lines from the module, outside any command's answer (URCs). */
void qkt_dev_urc(struct qkt_dev *c, const char *s)
{
	qisock_dev_receive(c->qd, s, strlen(s));
}

/* Bytes from the module, one at a time if the fake splits its answers. */
void qkt_dev_feed(struct qkt_dev *c, const void *buf, size_t n)
{
	const u8 *p = buf;
	size_t i;

	if (!c->f->split) {
		qisock_dev_receive(c->qd, p, n);
		return;
	}
	for (i = 0; i < n; i++)
		qisock_dev_receive(c->qd, p + i, 1);
}

/*
 * Wait until every command queued so far has gone out and been answered:
 * the engine sends in order, so once a marker command is answered nothing
 * queued before it is still to come. A "never sent" check holds only then.
 */
void qkt_dev_settle(struct kunit *test, struct qkt_dev *c)
{
	KUNIT_ASSERT_EQ(test, qisock_at_simple(&c->qd->eng, 0, "AT+CMEE=1"), 0);
}

/* Hold the engine: a command the fake modem never answers (800 ms). */
struct qat_cmd *qkt_dev_hold_engine(struct kunit *test, struct qkt_dev *c)
{
	struct qat_cmd *hold;

	c->f->hang_on = "AT+KUNITHOLD";
	hold = qisock_at_cmd_new(800, 0, 0, "AT+KUNITHOLD");
	KUNIT_ASSERT_NOT_NULL(test, hold);
	KUNIT_ASSERT_EQ(test, qisock_at_submit(&c->qd->eng, hold), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->f->hung, HZ));
	return hold;
}

/* The held command times out; the fake answers everything again. */
void qkt_dev_release_engine(struct kunit *test, struct qkt_dev *c,
			    struct qat_cmd *hold)
{
	KUNIT_EXPECT_EQ(test, qisock_at_wait(hold), -ETIMEDOUT);
	qisock_at_cmd_put(hold);
	c->f->hang_on = NULL;
}

/* --- sockets of the probed device ---------------------------------------- */

/*
 * Attach, wait for the probe (an EC200U: 12 sockets) and make the user
 * buffer; @stale is a +QISTATE: line the module reports at attach.
 */
void qkt_sock_setup(struct kunit *test, const char *stale)
{
	struct qkt_dev *c = test->priv;

	c->f->stale = stale;
	qkt_dev_attach(test, c, 500);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_ASSERT_EQ(test, c->qd->nsocks, 12u);
	qkt_dev_ubuf(test, c);
}

/* Claim @id (-1: any) and open it, blocking; it must succeed. */
struct qisock_sock *qkt_sock_open(struct kunit *test, int id, u32 service,
				  u32 access, u32 ctx, const char *host,
				  u32 rport, u32 lport)
{
	struct qkt_dev *c = test->priv;
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

/* A TCP open of @s to @host port 80 in context 1; its result. */
int qkt_sock_try_open(struct qisock_sock *s, const char *host, u32 access,
		      bool nonblock)
{
	struct qisock_open req = {
		.service = QISOCK_TCP, .access_mode = access, .context_id = 1,
		.connect_id = -1, .remote_port = 80,
	};

	memcpy(req.host, host, min(strlen(host) + 1, sizeof(req.host)));
	return qisock_sock_open(s, &req, nonblock);
}

/* What close(2) of the owning file does. */
void qkt_sock_close(struct qisock_sock *s)
{
	qisock_sock_release(s);
	qisock_sock_put(s);
}

/*
 * Read @n bytes (non-blocking, polling, @chunk at a time) and check them
 * against the fake's pattern from offset @base.
 */
void qkt_sock_read_pat(struct kunit *test, struct qisock_sock *s,
		       size_t base, size_t n, size_t chunk)
{
	struct qkt_dev *c = test->priv;
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
		i = qkt_fake_pat_diff(c->k, base + got, r);
		KUNIT_ASSERT_EQ_MSG(test, i, (size_t)r, "byte %zu differs",
				    got + i);
		got += r;
	}
	KUNIT_EXPECT_EQ(test, got, n);
}

/* A probed device with a TCP client on @id, connected to 10.0.0.1:80. */
struct qisock_sock *qkt_sock_tcp_client(struct kunit *test, int id)
{
	qkt_sock_setup(test, NULL);
	return qkt_sock_open(test, id, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
}

/* A listener on connectID 0 with connections 1..@n waiting for ACCEPT. */
struct qisock_sock *qkt_sock_listen_queued(struct kunit *test, int n)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *l;
	char urc[64];
	int i;

	qkt_sock_setup(test, NULL);
	l = qkt_sock_open(test, 0, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0,
			  8000);
	for (i = 1; i <= n; i++) {
		snprintf(urc, sizeof(urc),
			 "\r\n+QIURC: \"incoming\",%d,0,\"10.1.1.%d\",%d\r\n",
			 i, i, 1111 * i);
		qkt_dev_urc(c, urc);
	}
	KUNIT_ASSERT_EQ(test, l->accept_len, (unsigned int)n);
	return l;
}

/*
 * Data announced on @id ("recv" URC); the QIRD it starts goes unanswered
 * (the test answers it by hand, or qkt_sock_free_qird() lets it time out).
 */
void qkt_sock_hang_qird(struct kunit *test, int id)
{
	struct qkt_dev *c = test->priv;
	char *cmd = kunit_kzalloc(test, 32, GFP_KERNEL), urc[40];

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	snprintf(cmd, 32, "AT+QIRD=%d,1500", id);
	spin_lock(&c->f->lock);
	c->f->hang_on = cmd;
	reinit_completion(&c->f->hung);
	spin_unlock(&c->f->lock);
	snprintf(urc, sizeof(urc), "\r\n+QIURC: \"recv\",%d\r\n", id);
	qkt_dev_urc(c, urc);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->f->hung, 2 * HZ),
			0ul);
}

/* A TCP client on @id whose first QIRD the fake leaves unanswered. */
struct qisock_sock *qkt_sock_tcp_hung_qird(struct kunit *test, int id)
{
	struct qisock_sock *s = qkt_sock_tcp_client(test, id);

	qkt_sock_hang_qird(test, id);
	return s;
}

/* From now on the fake answers QIRDs itself; the module holds @avail. */
void qkt_sock_free_qird(struct qkt_dev *c, int id, size_t avail)
{
	spin_lock(&c->f->lock);
	c->f->hang_on = NULL;
	c->f->avail[id] = avail;
	spin_unlock(&c->f->lock);
}

/* Answer the QIRD that is out with a block of @n bytes after @hdr. */
void qkt_dev_block(struct kunit *test, const char *hdr, size_t n)
{
	struct qkt_dev *c = test->priv;
	size_t hl = strlen(hdr);
	u8 *b = kunit_kzalloc(test, hl + n + 8, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(b, hdr, hl);
	memset(b + hl, 'x', n);
	memcpy(b + hl + n, "\r\nOK\r\n", 6);
	qisock_dev_receive(c->qd, b, hl + n + 6);
}
