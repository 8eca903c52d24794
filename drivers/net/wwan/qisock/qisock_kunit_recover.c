// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_recover: a module that stops answering is restarted
 * (qisock_recover.c) and what was set up comes back, against the fake
 * modem (qisock_kunit_fake.c) with the timing shortened: the seed's
 * back-off schedule runs in milliseconds instead of seconds.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <linux/qisock.h>

#include "qisock_ctx.h"
#include "qisock_kunit_fake.h"

struct rk_ctx {
	struct qkt_fake *f;
	struct qisock_dev *qd;
};

/* Recovery in milliseconds: 400 ms of silence, RDY within 500 ms. */
static const struct qisock_rcv_cfg rk_cfg = {
	.silent_ms	= 400,
	.check_ms	= 100,
	.rdy_ms		= 500,
	.stable_ms	= 100000,
	.cfun_ms	= 200,
	.unit_ms	= 1,
};

static int rk_init(struct kunit *test)
{
	struct rk_ctx *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->f = qkt_fake_new(test);
	r->f->modem = true;
	r->f->echo = true;
	test->priv = r;
	return 0;
}

static void rk_exit(struct kunit *test)
{
	struct rk_ctx *r = test->priv;

	qkt_fake_stop(r->f);
	if (r->qd)
		qisock_dev_destroy(r->qd);
}

/* A probed EC200U with recovery timing @cfg. */
static void rk_start(struct kunit *test, const struct qisock_rcv_cfg *cfg)
{
	struct rk_ctx *r = test->priv;
	struct qisock_dev *qd;

	qd = qisock_dev_create(NULL, "ttyKUNIT", &qkt_fake_xops, r->f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(qd));
	r->qd = qd;
	r->f->eng = &qd->eng;
	qd->cfg.at_tries = 3;
	qd->cfg.at_timeout_ms = 300;
	qd->cfg.cmd_timeout_ms = 500;
	qd->eng.quiet_ms = 20;
	qd->eng.rs.probe_ms = 50;
	qd->rcv.cfg = *cfg;
	KUNIT_ASSERT_EQ(test, qisock_dev_start(qd), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_ASSERT_EQ(test, qisock_dev_state(qd), QISOCK_READY);
}

static bool rk_state_is(struct rk_ctx *r, enum qisock_state s)
{
	return qisock_dev_state(r->qd) == s;
}

static bool rk_rcv_is(struct rk_ctx *r, const char *name)
{
	return !strcmp(qisock_recover_state_name(r->qd), name);
}

static unsigned int rk_fake_count(struct rk_ctx *r, unsigned int *n)
{
	unsigned int v;

	spin_lock(&r->f->lock);
	v = *n;
	spin_unlock(&r->f->lock);
	return v;
}

/* The fake's APN of context 1, copied into @buf. */
static const char *rk_fake_apn(struct rk_ctx *r, char *buf)
{
	spin_lock(&r->f->lock);
	strscpy(buf, r->f->apn, sizeof(r->f->apn));
	spin_unlock(&r->f->lock);
	return buf;
}

/* Write @val to ctx<id>/<name>, as sysfs would. */
static ssize_t rk_ctx_store(struct rk_ctx *r, int id, const char *name,
			    const char *val)
{
	struct qisock_ctx *c = r->qd->ctx[id];
	const struct attribute_group **g;
	struct attribute **a;

	for (g = c->kobj.ktype->default_groups; *g; g++)
		for (a = (*g)->attrs; *a; a++)
			if (!strcmp((*a)->name, name))
				return c->kobj.ktype->sysfs_ops->store(&c->kobj,
					*a, val, strlen(val));
	return -ENOENT;
}

static enum qisock_ctx_state rk_ctx_state(struct rk_ctx *r, int id)
{
	struct qisock_ctx *c = r->qd->ctx[id];
	enum qisock_ctx_state s;

	spin_lock(&c->lock);
	s = c->state;
	spin_unlock(&c->lock);
	return s;
}

static int rk_ctx_last_error(struct rk_ctx *r, int id)
{
	struct qisock_ctx *c = r->qd->ctx[id];
	int e;

	spin_lock(&c->lock);
	e = c->last_error;
	spin_unlock(&c->lock);
	return e;
}

/* The module goes silent; a command times out and its resync gives up. */
static void rk_hang(struct kunit *test, bool cfun_helps)
{
	struct rk_ctx *r = test->priv;

	spin_lock(&r->f->lock);
	r->f->silent = true;
	r->f->hang_cfun = cfun_helps;
	spin_unlock(&r->f->lock);
	KUNIT_EXPECT_EQ(test, qisock_at_simple(&r->qd->eng, 100, "AT"),
			-ETIMEDOUT);
}

/* The seed's schedule: three restarts, one more at once, 10, 30, 60 min. */
static void recover_schedule(struct kunit *test)
{
	static const unsigned int want_s[] = {
		0, 0, 0, 0, 0, 600, 1800, 3600, 3600, 3600,
	};
	struct qisock_rcv_cfg cfg = { .unit_ms = 1000 };
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(want_s); n++)
		KUNIT_EXPECT_EQ_MSG(test, qisock_recover_backoff_ms(&cfg, n),
				    want_s[n] * 1000, "restart %u in a row", n);
	KUNIT_EXPECT_EQ(test, qisock_recover_backoff_ms(&cfg, UINT_MAX),
			3600000u);
}

/*
 * Time-outs -> checks -> hung -> AT+CFUN=1,1 -> RDY -> probe -> restore:
 * the socket failed with ENETDOWN, the context comes back by itself
 * (autoconnect) with its APN and DNS servers.
 */
static void recover_hang_restart_restore(struct kunit *test)
{
	struct rk_ctx *r = test->priv;
	struct qisock_open req = {
		.service = QISOCK_TCP, .context_id = 1, .connect_id = 0,
		.remote_port = 80, .host = "10.0.0.1",
	};
	char apn[sizeof(r->f->apn)];
	struct qisock_sock *s;

	rk_start(test, &rk_cfg);
	KUNIT_ASSERT_EQ(test, rk_ctx_store(r, 1, "apn", "internet\n"), 9);
	KUNIT_ASSERT_EQ(test, rk_ctx_store(r, 1, "autoconnect", "1"), 1);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_ctx_state(r, 1) == QISOCK_CTX_UP, 3));
	KUNIT_ASSERT_EQ(test, rk_ctx_store(r, 1, "dns", "1.2.3.4 5.6.7.8"), 15);
	KUNIT_EXPECT_EQ(test, rk_fake_count(r, &r->f->dnscfgs), 1u);
	s = qkt_sock_claim(r->qd, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, qisock_sock_open(s, &req, false), 0);
	KUNIT_EXPECT_TRUE(test, rk_rcv_is(r, "idle"));

	rk_hang(test, true);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_state_is(r, QISOCK_RECOVERING) ||
					   rk_fake_count(r, &r->f->cfuns), 3));
	KUNIT_EXPECT_EQ(test, s->error, ENETDOWN);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_fake_count(r, &r->f->cfuns) == 1, 3));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_state_is(r, QISOCK_READY) &&
					   rk_rcv_is(r, "idle"), 5));
	/* the module forgot the APN; autoconnect wrote it back, then DNS */
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_ctx_state(r, 1) == QISOCK_CTX_UP, 5));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_fake_count(r, &r->f->dnscfgs) == 2, 3));
	KUNIT_EXPECT_STREQ(test, rk_fake_apn(r, apn), "internet");
	KUNIT_EXPECT_EQ(test, READ_ONCE(r->qd->eng.st.reboots), 1u);
	KUNIT_EXPECT_GE(test, READ_ONCE(r->qd->eng.st.silent), 1u);
	KUNIT_EXPECT_EQ(test, rk_fake_count(r, &r->f->cfuns), 1u);
	KUNIT_EXPECT_EQ(test, s->error, ENETDOWN);	/* not overwritten */
	qisock_sock_release(s);
	qisock_sock_put(s);
}

/* A resync without answer, but the module answers the checks: no restart. */
static void recover_false_alarm(struct kunit *test)
{
	struct rk_ctx *r = test->priv;
	struct qisock_rcv_cfg cfg = rk_cfg;

	/* silence counts from the last byte: longer than the resync */
	cfg.silent_ms = 2000;
	rk_start(test, &cfg);
	rk_hang(test, false);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_rcv_is(r, "check"), 3));
	spin_lock(&r->f->lock);
	r->f->silent = false;
	spin_unlock(&r->f->lock);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_rcv_is(r, "idle"), 3));
	msleep(2200);		/* beyond silent_ms */
	KUNIT_EXPECT_TRUE(test, rk_rcv_is(r, "idle"));
	KUNIT_EXPECT_TRUE(test, rk_state_is(r, QISOCK_READY));
	KUNIT_EXPECT_EQ(test, rk_fake_count(r, &r->f->cfuns), 0u);
	KUNIT_EXPECT_EQ(test, qisock_at_simple(&r->qd->eng, 0, "AT"), 0);
}

/*
 * The restart gets no answer: restarts follow the schedule (1-4 only
 * the time-out of AT+CFUN=1,1 and RDY's wait apart, the fifth after the
 * 10 "minutes" more); a module that then starts by itself (RDY) is probed
 * and the machine is idle again. Context 1, configured but not kept up,
 * gets its configuration back and stays down.
 */
static void recover_no_rdy_backoff(struct kunit *test)
{
	struct rk_ctx *r = test->priv;
	unsigned int wait = rk_cfg.cfun_ms + rk_cfg.rdy_ms;
	char apn[sizeof(r->f->apn)];
	unsigned long *at = r->f->cfun_at;
	unsigned long quick, slow;
	unsigned int i;

	rk_start(test, &rk_cfg);
	KUNIT_ASSERT_EQ(test, rk_ctx_store(r, 1, "apn", "internet"), 8);
	rk_hang(test, false);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_fake_count(r, &r->f->cfuns) >= 5, 10));
	for (i = 1; i < 4; i++) {
		quick = at[i] - at[i - 1];
		KUNIT_EXPECT_LT_MSG(test, quick, msecs_to_jiffies(wait + 400),
				    "restart %u came %lu jiffies after %u", i + 1,
				    quick, i);
		KUNIT_EXPECT_GE(test, quick + 1, msecs_to_jiffies(wait));
	}
	slow = at[4] - at[3];
	KUNIT_EXPECT_GE_MSG(test, slow + 1, msecs_to_jiffies(wait + 600),
			    "restart 5 came %lu jiffies after 4", slow);
	KUNIT_EXPECT_TRUE(test, rk_state_is(r, QISOCK_RECOVERING));
	KUNIT_EXPECT_GE(test, READ_ONCE(r->qd->eng.st.reboots), 5u);

	/* it comes back by itself, its configuration forgotten */
	spin_lock(&r->f->lock);
	r->f->silent = false;
	r->f->apn[0] = '\0';
	spin_unlock(&r->f->lock);
	qisock_dev_receive(r->qd, "\r\nRDY\r\n", 7);
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_state_is(r, QISOCK_READY) &&
					   rk_rcv_is(r, "idle"), 5));
	KUNIT_EXPECT_EQ(test, qisock_at_simple(&r->qd->eng, 0, "AT"), 0);
	KUNIT_EXPECT_STREQ(test, rk_fake_apn(r, apn), "internet");
	KUNIT_EXPECT_EQ(test, rk_fake_count(r, &r->f->acts), 0u);
	KUNIT_EXPECT_EQ(test, rk_ctx_state(r, 1), QISOCK_CTX_DOWN);
}

/* Detach in @state ("backoff", "wait_rdy"): stops at once, no restart after. */
static void rk_detach_in(struct kunit *test, const char *state,
			 unsigned int in_row, unsigned int rdy_ms)
{
	struct rk_ctx *r = test->priv;
	struct qisock_rcv_cfg cfg = rk_cfg;
	unsigned long t0;
	unsigned int n;

	cfg.unit_ms = 1000;	/* the real schedule */
	cfg.rdy_ms = rdy_ms;
	rk_start(test, &cfg);
	spin_lock(&r->qd->rcv.lock);
	r->qd->rcv.in_row = in_row;
	spin_unlock(&r->qd->rcv.lock);
	rk_hang(test, false);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_rcv_is(r, state), 5));
	n = rk_fake_count(r, &r->f->cfuns);
	t0 = jiffies;
	qkt_fake_stop(r->f);
	qisock_dev_destroy(r->qd);
	r->qd = NULL;
	KUNIT_EXPECT_LT(test, jiffies - t0, (unsigned long)HZ);
	msleep(100);
	KUNIT_EXPECT_EQ(test, rk_fake_count(r, &r->f->cfuns), n);
}

static void recover_detach_backoff(struct kunit *test)
{
	/* the 5th restart in a row waits 10 minutes */
	rk_detach_in(test, "backoff", 4, 300);
}

static void recover_detach_wait_rdy(struct kunit *test)
{
	rk_detach_in(test, "wait_rdy", 0, 60000);
}

/*
 * Autoconnect after refused activations: last_error is the module's
 * <err> (by the +QIACTEX URC, or +CME ERROR), attempts are spaced by a
 * growing back-off, and the context comes up once the network allows.
 */
static void recover_autoconnect_refused(struct kunit *test)
{
	struct rk_ctx *r = test->priv;
	unsigned long *at = r->f->act_at;
	unsigned long gap1, gap2;

	rk_start(test, &rk_cfg);
	spin_lock(&r->f->lock);
	r->f->act_refuse = 1;
	r->f->act_err = 561;
	spin_unlock(&r->f->lock);
	KUNIT_ASSERT_EQ(test, rk_ctx_store(r, 1, "apn", "internet"), 8);
	KUNIT_ASSERT_EQ(test, rk_ctx_store(r, 1, "autoconnect", "1"), 1);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_fake_count(r, &r->f->acts) == 1 &&
					   rk_ctx_state(r, 1) == QISOCK_CTX_DOWN, 3));
	KUNIT_EXPECT_EQ(test, rk_ctx_last_error(r, 1), 561);
	/* the second refusal is an immediate +CME ERROR: 573 */
	spin_lock(&r->f->lock);
	r->f->act_refuse = 1;
	r->f->act_err = 573;
	r->f->act_cme = true;
	spin_unlock(&r->f->lock);
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_fake_count(r, &r->f->acts) == 2, 3));
	KUNIT_EXPECT_TRUE(test, QKT_WAIT_S(rk_ctx_last_error(r, 1) == 573, 1));
	KUNIT_ASSERT_TRUE(test, QKT_WAIT_S(rk_ctx_state(r, 1) == QISOCK_CTX_UP, 5));
	KUNIT_EXPECT_EQ(test, rk_fake_count(r, &r->f->acts), 3u);
	KUNIT_EXPECT_EQ(test, rk_ctx_last_error(r, 1), 0);
	gap1 = at[1] - at[0];
	gap2 = at[2] - at[1];
	KUNIT_EXPECT_GE(test, gap1, msecs_to_jiffies(900));
	KUNIT_EXPECT_GE_MSG(test, gap2, gap1 + msecs_to_jiffies(800),
			    "back-off did not grow: %lu then %lu jiffies",
			    gap1, gap2);
	KUNIT_EXPECT_EQ(test, r->qd->ctx[1]->retries, 3u);
}

static struct kunit_case recover_cases[] = {
	KUNIT_CASE(recover_schedule),
	KUNIT_CASE(recover_hang_restart_restore),
	KUNIT_CASE(recover_false_alarm),
	KUNIT_CASE_SLOW(recover_no_rdy_backoff),
	KUNIT_CASE(recover_detach_backoff),
	KUNIT_CASE(recover_detach_wait_rdy),
	KUNIT_CASE(recover_autoconnect_refused),
	{}
};

static struct kunit_suite recover_suite = {
	.name		= "qisock_recover",
	.init		= rk_init,
	.exit		= rk_exit,
	.test_cases	= recover_cases,
};

kunit_test_suite(recover_suite);
