// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_cdev: what a file on a qisock node sees through the
 * calls its file operations and ioctls make (qisock_cdev.c), against the
 * fake modem (qisock_kunit_fake.c): claiming a node (EBUSY) and the
 * control node's claim, an owner that loses its connectID to an incoming
 * connection, FIONREAD beside a blocked reader, TIOCOUTQ and write on a
 * busy engine (O_NONBLOCK, signals), poll; and the file operations
 * themselves (qisock_ctl_fops, qisock_sock_fops) on a file and inode of
 * the test's own: open, ioctl, read, write, poll, release.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/termios.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

/* A helper thread (no user memory): the test thread itself blocks in read. */
struct cdev_job {
	struct delayed_work work;
	struct qkt_dev *c;
	struct qisock_sock *s;
	int op;			/* 0 FIONREAD, 1 "closed" URC, 2 lose a drain */
	long ret;
	unsigned long at;	/* jiffies when done */
	struct completion done;
};

static void cdev_job_fn(struct work_struct *work)
{
	struct cdev_job *j = container_of(to_delayed_work(work),
					  struct cdev_job, work);
	char urc[40];

	switch (j->op) {
	case 0:
		j->ret = qisock_sock_nread(j->s);
		break;
	case 1:
		snprintf(urc, sizeof(urc), "\r\n+QIURC: \"closed\",%u\r\n",
			 j->s->id);
		qkt_dev_urc(j->c, urc);
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

static struct cdev_job *cdev_job_start(struct kunit *test,
				       struct qisock_sock *s, int op,
				       unsigned int delay_ms)
{
	struct cdev_job *j = kunit_kzalloc(test, sizeof(*j), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, j);
	j->c = test->priv;
	j->s = s;
	j->op = op;
	j->ret = 1234;
	init_completion(&j->done);
	INIT_DELAYED_WORK(&j->work, cdev_job_fn);
	queue_delayed_work(system_unbound_wq, &j->work,
			   msecs_to_jiffies(delay_ms));
	return j;
}

/* Review 6: FIONREAD does not wait behind a reader blocked in read(). */
static void cdev_fix_c_nread_vs_reader(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct cdev_job *n, *e;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 3);
	n = cdev_job_start(test, s, 0, 200);	/* FIONREAD */
	e = cdev_job_start(test, s, 1, 1500);	/* then EOF ends the read */
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 10, false), 0l);
	wait_for_completion(&n->done);
	wait_for_completion(&e->done);
	KUNIT_EXPECT_EQ(test, n->ret, 0l);
	/* FIONREAD answered while the reader was still asleep */
	KUNIT_EXPECT_TRUE(test, time_before(n->at, e->at));
	qkt_sock_close(s);
}

/* Review 6/3: a reader already asleep restarts a drain that stalled. */
static void cdev_fix_c_reader_kicks_drain(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct cdev_job *k, *e;
	struct qisock_sock *s;

	s = qkt_sock_tcp_client(test, 4);
	c->f->avail[4] = 500;
	k = cdev_job_start(test, s, 2, 200);
	e = cdev_job_start(test, s, 1, 2000);	/* fallback: "closed" */
	KUNIT_EXPECT_EQ(test, qkt_sock_read(s, c->u, 500, false), 500l);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, "|AT+QIRD=4,"));
	/* the reader's drain, not the fallback URC's, brought the data */
	KUNIT_EXPECT_FALSE(test, completion_done(&e->done));
	wait_for_completion(&k->done);
	wait_for_completion(&e->done);
	qkt_sock_close(s);
}

/*
 * Review 7: an incoming connection on a connectID a program has claimed but
 * not opened goes to the listener; the program loses the claim.
 */
static void cdev_fix_c_incoming_claimed(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *l, *q, *n = NULL;
	struct qisock_accept acc;
	wait_queue_head_t wq;
	struct qisock_info in;

	init_waitqueue_head(&wq);
	qkt_sock_setup(test, NULL);
	l = qkt_sock_open(test, 2, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	q = qisock_sock_claim_for(c->qd, -1, &wq);	/* the control node's */
	KUNIT_ASSERT_FALSE(test, IS_ERR(q));
	KUNIT_EXPECT_EQ(test, q->id, 0);
	qkt_dev_urc(c, "\r\n+QIURC: \"incoming\",0,2,\"10.1.1.1\",3333\r\n");
	KUNIT_EXPECT_FALSE(test, q->in_use);
	KUNIT_EXPECT_NULL(test, q->owner_wq);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	KUNIT_ASSERT_EQ(test, qkt_sock_accept(l, true, &acc, &n), 0);
	KUNIT_EXPECT_EQ(test, acc.connect_id, 0);
	KUNIT_EXPECT_STREQ(test, acc.addr, "10.1.1.1");
	qisock_sock_info(n, &in);
	KUNIT_EXPECT_EQ(test, in.service, (u32)QISOCK_TCP_INCOMING);
	qisock_sock_put(q);		/* the loser only lets go */
	qkt_sock_close(n);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=0,1|")));

	/* nobody listens on 7: closed in the module, no orphan socket */
	qkt_dev_urc(c, "\r\n+QIURC: \"incoming\",1,7,\"10.1.1.2\",4444\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f, "|AT+QICLOSE=1,1|")));
	q = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, q->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, q->mod_held);
	KUNIT_EXPECT_EQ(test, q->in_refused, 1u);
	qisock_sock_put(q);
	qkt_sock_close(l);
}

/*
 * A signal (Ctrl-C) ends a write or TIOCOUTQ that waits behind a slow
 * command at once, and what it withdrew never reaches the module.
 */
static void cdev_signal_while_queued(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *s;
	struct qat_cmd *hold;

	s = qkt_sock_tcp_client(test, 0);
	hold = qkt_dev_hold_engine(test, c);

	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, false), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, false),
			-ERESTARTSYS);
	flush_signals(current);
	disallow_signal(SIGUSR1);

	qkt_dev_release_engine(test, c, hold);
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "|AT+QISEND=0,"));
	qkt_sock_close(s);
}

/*
 * A non-blocking write never waits for the modem: with the engine busy it
 * hands its QISEND over and returns; the next write gets EAGAIN and poll
 * no EPOLLOUT until SEND OK; a non-blocking TIOCOUTQ answers at once with
 * the bytes held, and reaches the module's count once it was asked.
 */
static void cdev_nonblock_write(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_info in;
	struct qisock_sock *s;
	struct qat_cmd *hold;

	s = qkt_sock_tcp_client(test, 0);
	hold = qkt_dev_hold_engine(test, c);
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), 10l);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));
	KUNIT_EXPECT_EQ(test, qkt_sock_write(s, c->u, 10, true), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, true), 10);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));

	qkt_dev_release_engine(test, c, hold);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 10ul);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.tx_bytes, 10ull);
	c->f->unacked = 4;
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qisock_sock_outq(s, true) == 4));
	qkt_sock_close(s);
}

/* A connection waiting for ACCEPT cannot be claimed through its node. */
static void cdev_claim_queued_busy(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_sock *l, *n = NULL, *x;
	struct qisock_accept acc;

	l = qkt_sock_listen_queued(test, 1);
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
	qkt_sock_close(n);
	qkt_sock_close(l);
}

struct cdev_later {
	struct delayed_work work;
	struct qkt_dev *c;
	const char *urc;
};

static void cdev_later_fn(struct work_struct *work)
{
	struct cdev_later *l = container_of(to_delayed_work(work),
					  struct cdev_later, work);

	qkt_dev_urc(l->c, l->urc);
}

/*
 * Review D2: a writer waiting on an OPENING socket whose connectID the
 * module gives to an incoming connection: EBUSY, and nothing is sent to
 * the stranger.
 */
static void cdev_fix_d_write_taken(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct qisock_open req = {
		.service = QISOCK_TCP, .context_id = 1, .connect_id = 4,
		.remote_port = 80, .host = "10.0.0.1",
	};
	struct cdev_later later = { .c = c,
		.urc = "\r\n+QIURC: \"incoming\",4,2,\"10.1.1.1\",3333\r\n" };
	struct qisock_sock *l, *s, *n = NULL;
	struct qisock_accept acc;
	wait_queue_head_t wq;

	init_waitqueue_head(&wq);
	qkt_sock_setup(test, NULL);
	l = qkt_sock_open(test, 2, QISOCK_TCP_LISTENER, 0, 1, "127.0.0.1", 0, 8000);
	c->f->open_hold = true;
	s = qisock_sock_claim_for(c->qd, 4, &wq);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, qisock_sock_open(s, &req, true), -EINPROGRESS);
	INIT_DELAYED_WORK(&later.work, cdev_later_fn);
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
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "|AT+QISEND=4,"));
	qisock_sock_put(s);		/* the loser only lets go */
	qkt_sock_close(n);
	qkt_sock_close(l);
}

/*
 * A file of a node, opened through its file operations: the inode only
 * carries the node's cdev, which is all the open calls look at.
 */
struct cdev_file {
	const struct file_operations *fops;
	struct inode inode;
	struct file file;
};

/* Open @cd (a device's or a socket's cdev) with @fops; its result. */
static int cdev_open(struct kunit *test, const struct file_operations *fops,
		     struct cdev *cd, struct cdev_file **out)
{
	struct cdev_file *cf = kunit_kzalloc(test, sizeof(*cf), GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, cf);
	cf->fops = fops;
	cf->inode.i_cdev = cd;
	cf->file.f_flags = O_RDWR;
	ret = fops->open(&cf->inode, &cf->file);
	*out = ret ? NULL : cf;
	return ret;
}

static void cdev_release(struct kunit *test, struct cdev_file *cf)
{
	KUNIT_EXPECT_EQ(test, cf->fops->release(&cf->inode, &cf->file), 0);
}

/* ioctl(2) with an argument in user memory, past the data area. */
static long cdev_ioctl(struct kunit *test, struct cdev_file *cf,
		       unsigned int cmd, void *arg, size_t len)
{
	struct qkt_dev *c = test->priv;
	char __user *u = c->u + QKT_UBUF / 2;
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(u, arg, len), 0ul);
	ret = cf->fops->unlocked_ioctl(&cf->file, cmd, (unsigned long)u);
	KUNIT_ASSERT_EQ(test, copy_from_user(arg, u, len), 0ul);
	return ret;
}

static void cdev_info(struct kunit *test, struct cdev_file *cf,
		      struct qisock_info *in)
{
	memset(in, 0xa5, sizeof(*in));
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, QISOCK_IOC_INFO, in,
					 sizeof(*in)), 0l);
}

/* A TCP open request to 10.0.0.1:80 in context 1 for @id. */
static void cdev_req(struct qisock_open *req, int id, const char *host)
{
	*req = (struct qisock_open){
		.service = QISOCK_TCP, .context_id = 1, .connect_id = id,
		.remote_port = 80,
	};
	strscpy(req->host, host, sizeof(req->host));
}

/*
 * The control node: before QISOCK_IOC_OPEN it has no socket (INFO says
 * connectID -1, FREE; read, write, SET_MODE ENOTCONN; ACCEPT EINVAL; poll
 * nothing; an unknown ioctl ENOTTY), then OPEN takes the first free
 * connectID, the file reads and writes it, and release closes it.
 */
static void cdev_ctl_file(struct kunit *test)
{
	static const char cdev_qiopen0[] =
		"|AT+QIOPEN=1,0,\"TCP\",\"10.0.0.1\",80,0,0|";
	struct qkt_dev *c = test->priv;
	struct qisock_open req;
	struct qisock_info in;
	struct cdev_file *cf;
	loff_t pos = 0;
	int n = 0;

	qkt_sock_setup(test, NULL);
	KUNIT_ASSERT_EQ(test, cdev_open(test, &qisock_ctl_fops, &c->qd->cdev,
					&cf), 0);
	cdev_info(test, cf, &in);
	KUNIT_EXPECT_EQ(test, in.connect_id, -1);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FREE);
	KUNIT_EXPECT_EQ(test, in.error, 0u);
	KUNIT_EXPECT_EQ(test, cf->fops->read(&cf->file, c->u, 10, &pos),
			-ENOTCONN);
	KUNIT_EXPECT_EQ(test, cf->fops->write(&cf->file, c->u, 10, &pos),
			-ENOTCONN);
	KUNIT_EXPECT_EQ(test, cf->fops->poll(&cf->file, NULL), 0u);
	KUNIT_EXPECT_EQ(test, cf->fops->unlocked_ioctl(&cf->file,
						       QISOCK_IOC_SET_MODE, 1),
			-ENOTCONN);
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, QISOCK_IOC_ACCEPT, &n,
					 sizeof(n)), -EINVAL);
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, _IO(QISOCK_IOC_MAGIC, 0x7f),
					 &n, sizeof(n)), -ENOTTY);

	cdev_req(&req, -1, "10.0.0.1");
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, QISOCK_IOC_OPEN, &req,
					 sizeof(req)), 0l);
	KUNIT_EXPECT_EQ(test, req.connect_id, 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_log_has(c->f, cdev_qiopen0));
	cdev_info(test, cf, &in);
	KUNIT_EXPECT_EQ(test, in.connect_id, 0);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	KUNIT_EXPECT_TRUE(test, cf->fops->poll(&cf->file, NULL) & EPOLLOUT);
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, FIONREAD, &n, sizeof(n)),
			0l);
	KUNIT_EXPECT_EQ(test, n, 0);

	qkt_ubuf_fill(test, c, 100);
	KUNIT_EXPECT_EQ(test, cf->fops->write(&cf->file, c->u, 100, &pos),
			100l);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	cdev_release(test, cf);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(qkt_fake_log_has(c->f,
							  "|AT+QICLOSE=0,")));
}

/*
 * A socket node has one owner: a second open is EBUSY until the first
 * file is released; a file that never opened a service sends nothing.
 */
static void cdev_node_one_owner(struct kunit *test)
{
	struct qkt_dev *c = test->priv;
	struct cdev_file *a, *b;
	struct qisock_info in;
	struct qisock_sock *s;

	qkt_sock_setup(test, NULL);
	s = qisock_sock_get(c->qd, 3);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, cdev_open(test, &qisock_sock_fops, &s->cdev, &a),
			0);
	KUNIT_EXPECT_EQ(test, cdev_open(test, &qisock_sock_fops, &s->cdev, &b),
			-EBUSY);
	cdev_info(test, a, &in);
	KUNIT_EXPECT_EQ(test, in.connect_id, 3);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FREE);
	cdev_release(test, a);
	KUNIT_ASSERT_EQ(test, cdev_open(test, &qisock_sock_fops, &s->cdev, &b),
			0);
	cdev_release(test, b);
	qisock_sock_put(s);
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "AT+QIOPEN"));
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "AT+QICLOSE"));
}

/*
 * QISOCK_IOC_OPEN with a bad request (a host without its NUL, a connectID
 * out of range, a host with a quote) is EINVAL with nothing sent, and a
 * control node gives the slot it claimed back: INFO says FREE again and
 * the next OPEN gets the same connectID.
 */
static void cdev_open_bad_request(struct kunit *test)
{
	static const int bad_ids[] = { -2, QISOCK_SOCK_MAX, 1000 };
	struct qkt_dev *c = test->priv;
	struct qisock_open req;
	struct qisock_info in;
	struct cdev_file *cf;
	unsigned int i;

	qkt_sock_setup(test, NULL);
	KUNIT_ASSERT_EQ(test, cdev_open(test, &qisock_ctl_fops, &c->qd->cdev,
					&cf), 0);
	cdev_req(&req, -1, "");
	memset(req.host, 'a', sizeof(req.host));
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, QISOCK_IOC_OPEN, &req,
					 sizeof(req)), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad_ids); i++) {
		cdev_req(&req, bad_ids[i], "10.0.0.1");
		KUNIT_EXPECT_EQ_MSG(test, cdev_ioctl(test, cf, QISOCK_IOC_OPEN,
						     &req, sizeof(req)),
				    -EINVAL, "connect_id %d", bad_ids[i]);
	}
	cdev_req(&req, -1, "10.0.0.1\",80,0,0\rAT+QICLOSE=0");
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, QISOCK_IOC_OPEN, &req,
					 sizeof(req)), -EINVAL);
	cdev_info(test, cf, &in);
	KUNIT_EXPECT_EQ(test, in.connect_id, -1);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FREE);
	qkt_dev_settle(test, c);
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "AT+QIOPEN"));
	KUNIT_EXPECT_FALSE(test, qkt_fake_log_has(c->f, "QICLOSE"));

	cdev_req(&req, -1, "10.0.0.1");
	KUNIT_EXPECT_EQ(test, cdev_ioctl(test, cf, QISOCK_IOC_OPEN, &req,
					 sizeof(req)), 0l);
	KUNIT_EXPECT_EQ(test, req.connect_id, 0);
	cdev_release(test, cf);
}

static struct kunit_case qisock_cdev_cases[] = {
	KUNIT_CASE(cdev_claim_queued_busy),
	KUNIT_CASE(cdev_signal_while_queued),
	KUNIT_CASE(cdev_nonblock_write),
	KUNIT_CASE(cdev_fix_c_nread_vs_reader),
	KUNIT_CASE(cdev_fix_c_reader_kicks_drain),
	KUNIT_CASE(cdev_fix_c_incoming_claimed),
	KUNIT_CASE(cdev_fix_d_write_taken),
	KUNIT_CASE(cdev_ctl_file),
	KUNIT_CASE(cdev_node_one_owner),
	KUNIT_CASE(cdev_open_bad_request),
	{}
};

static struct kunit_suite qisock_cdev_suite = {
	.name = "qisock_cdev",
	.init = qkt_dev_init,
	.exit = qkt_dev_exit,
	.test_cases = qisock_cdev_cases,
};

kunit_test_suites(&qisock_cdev_suite);
