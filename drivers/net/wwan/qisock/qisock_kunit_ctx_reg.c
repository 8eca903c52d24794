// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_ctx_reg: the BC66's context 1, which follows network
 * registration (qisock_ctx_reg.c), on a probed BC66 of the fake: "+IP:"
 * and its loss, AT+CGPADDR at probe, AT+CGDCONT reads and the re-attach a
 * write makes, QISOCK_IOC_OPEN and ctx1/dns gated by "+IP:", the sysfs
 * files a BC66 has. The suite's hook plays the 27.007 commands.
 */
#include <kunit/test.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"
#include "qisock_ctx.h"

/* What the hook plays; under the fake's lock. */
struct cr_modem {
	bool attached;		/* AT+CGPADDR=1 reports an address */
	bool cfun_off;
	bool cgdcont_err;	/* refuse the definition */
	char type[8];
	char apn[104];
	unsigned int cgdconts;	/* AT+CGDCONT=... received */
};

struct cr_ctx {
	struct qkt_dev d;
	struct cr_modem m;
	struct delayed_work urc;	/* a "+IP:" some time later */
};

static bool cr_hook(struct qkt_fake *f, const char *cmd)
{
	struct cr_modem *m = f->hook_priv;
	char line[160];

	if (!strcmp(cmd, "AT+CGPADDR=1")) {
		qkt_fake_reply_line(f, m->attached ? "+CGPADDR: 1,\"10.0.0.2\"" :
						      "+CGPADDR: 1");
	} else if (!strcmp(cmd, "AT+CGDCONT?")) {
		snprintf(line, sizeof(line), "+CGDCONT: 1,\"%s\",\"%s\",\"\",0,0",
			 m->type, m->apn);
		qkt_fake_reply_line(f, line);
	} else if (!strncmp(cmd, "AT+CGDCONT=1,\"", 14)) {
		const char *t = cmd + 14, *q = strchr(t, '"');

		m->cgdconts++;
		if (m->cgdcont_err || !m->cfun_off || !q ||
		    strncmp(q, "\",\"", 3) || q - t >= sizeof(m->type)) {
			qkt_fake_reply_line(f, "+CME ERROR: 3");
			return true;
		}
		strscpy(m->type, t, q - t + 1);
		strscpy(m->apn, q + 3, sizeof(m->apn));
		m->apn[strcspn(m->apn, "\"")] = '\0';
	} else if (!strcmp(cmd, "AT+CFUN=0") || !strcmp(cmd, "AT+CFUN=1")) {
		m->cfun_off = cmd[8] == '0';
		m->attached = false;
	} else {
		return false;
	}
	qkt_fake_reply_line(f, "OK");
	return true;
}

static void cr_urc_work(struct work_struct *work)
{
	struct cr_ctx *c = container_of(to_delayed_work(work), struct cr_ctx,
					urc);

	qkt_dev_urc(&c->d, "\r\n+IP: 10.0.0.7\r\n");
}

/* A BC66 of the fake, probed; @attached: registered before the attach. */
static struct cr_ctx *cr_start(struct kunit *test, bool attached)
{
	struct cr_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->d.f = qkt_fake_new(test);
	c->d.f->modem = true;
	c->d.f->echo = true;
	c->d.f->model = "BC66";
	c->d.f->rev = "BC66NBR01A10";
	c->d.f->hook = cr_hook;
	c->d.f->hook_priv = &c->m;
	c->m.attached = attached;
	strscpy(c->m.type, "IP", sizeof(c->m.type));
	strscpy(c->m.apn, "nb.default", sizeof(c->m.apn));
	INIT_DELAYED_WORK(&c->urc, cr_urc_work);
	test->priv = &c->d;	/* qkt_dev_exit() */
	qkt_dev_attach(test, &c->d, 500);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->d.qd->probe_done,
							    5 * HZ));
	KUNIT_ASSERT_EQ(test, (int)qisock_dev_state(c->d.qd), (int)QISOCK_READY);
	KUNIT_ASSERT_NOT_NULL(test, c->d.qd->ctx[1]);
	KUNIT_ASSERT_TRUE(test, c->d.qd->ctx[1]->reg);
	c->d.qd->ctx[1]->ip_wait_ms = 300;
	return c;
}

static void cr_exit(struct kunit *test)
{
	struct qkt_dev *d = test->priv;

	if (!d)
		return;
	cancel_delayed_work_sync(&container_of(d, struct cr_ctx, d)->urc);
	qkt_dev_exit(test);
}

static struct attribute *cr_attr(struct qisock_ctx *x, const char *name)
{
	const struct attribute_group **g;
	struct attribute **a;

	for (g = x->kobj.ktype->default_groups; *g; g++)
		for (a = (*g)->attrs; *a; a++)
			if (!strcmp((*a)->name, name))
				return *a;
	return NULL;
}

/* The mode sysfs gives ctx1/@name (0: absent). */
static umode_t cr_mode(struct kunit *test, struct cr_ctx *c, const char *name)
{
	struct qisock_ctx *x = c->d.qd->ctx[1];
	const struct attribute_group *g = x->kobj.ktype->default_groups[0];
	struct attribute *a = cr_attr(x, name);

	KUNIT_ASSERT_NOT_NULL(test, a);
	return g->is_visible ? g->is_visible(&x->kobj, a, 0) : a->mode;
}

static ssize_t cr_store(struct cr_ctx *c, const char *name, const char *val)
{
	struct qisock_ctx *x = c->d.qd->ctx[1];

	return x->kobj.ktype->sysfs_ops->store(&x->kobj, cr_attr(x, name), val,
					       strlen(val));
}

/* ctx1/@name as read (the errno as text on failure). */
static const char *cr_show(struct kunit *test, struct cr_ctx *c,
			   const char *name)
{
	struct qisock_ctx *x = c->d.qd->ctx[1];
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = x->kobj.ktype->sysfs_ops->show(&x->kobj, cr_attr(x, name), buf);
	if (n < 0)
		snprintf(buf, PAGE_SIZE, "%zd", n);
	return buf;
}

static bool cr_sent(struct cr_ctx *c, const char *s)
{
	return qkt_fake_log_has(c->d.f, s);
}

/* Only what the BC66 has; active is read-only; the EC200U keeps all. */
static void ctx_reg_attrs(struct kunit *test)
{
	static const char * const absent[] = {
		"username", "password", "auth", "autoconnect", "retries",
	};
	static const char * const present[] = {
		"type", "apn", "state", "address", "dns", "last_error",
	};
	struct cr_ctx *c = cr_start(test, true);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(absent); i++)
		KUNIT_EXPECT_EQ_MSG(test, cr_mode(test, c, absent[i]), 0,
				    "%s", absent[i]);
	for (i = 0; i < ARRAY_SIZE(present); i++)
		KUNIT_EXPECT_NE_MSG(test, cr_mode(test, c, present[i]), 0,
				    "%s", present[i]);
	KUNIT_EXPECT_EQ(test, cr_mode(test, c, "active"), 0444);
	KUNIT_EXPECT_EQ(test, cr_store(c, "active", "0"), -EOPNOTSUPP);
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+QIDEACTEX"));
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+QICSGP"));
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+QIACT"));
}

/* Registered before the attach: AT+CGPADDR says so; "+IP:" and its loss. */
static void ctx_reg_ip(struct kunit *test)
{
	struct cr_ctx *c = cr_start(test, true);
	struct qisock_dev *qd = c->d.qd;

	KUNIT_EXPECT_TRUE(test, cr_sent(c, "AT+CGPADDR=1"));
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "up\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "active"), "1\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"), "10.0.0.2\n");
	KUNIT_EXPECT_EQ(test, qisock_ctx_active(qd, 1), 1);

	/* the network drops the bearer: down, and no AT+QIDEACT (none) */
	qkt_dev_urc(&c->d, "\r\n+QIURC: \"pdpdeact\",1\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "down\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"), "\n");
	qkt_dev_settle(test, &c->d);
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+QIDEACT"));

	/* malformed reports change nothing */
	qkt_dev_urc(&c->d, "\r\n+IP: \r\n+IP: 10.0.0.x\r\n+IP: 1.2.3.4,5\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "down\n");

	qkt_dev_urc(&c->d, "\r\n+IP: 10.0.0.9\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "up\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"), "10.0.0.9\n");
	/* an IPv4v6 context: the second family is added */
	qkt_dev_urc(&c->d, "\r\n+IP: FD00:0:0:0:0:0:0:2\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"),
			   "10.0.0.9 FD00:0:0:0:0:0:0:2\n");
	/* a new report of a family it has replaces the addresses */
	qkt_dev_urc(&c->d, "\r\n+IP: 10.0.0.10\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"), "10.0.0.10\n");
}

/* Not registered at attach: down until "+IP:"; RDY takes it down. */
static void ctx_reg_down_rdy(struct kunit *test)
{
	struct cr_ctx *c = cr_start(test, false);

	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "down\n");
	KUNIT_EXPECT_EQ(test, qisock_ctx_active(c->d.qd, 1), 0);
	qkt_dev_urc(&c->d, "\r\n+IP: 10.0.0.3\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "up\n");
	qkt_dev_urc(&c->d, "\r\nRDY\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "down\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"), "\n");
}

/* QISOCK_IOC_OPEN before "+IP:": ENETDOWN, nothing sent; then it waits. */
static void ctx_reg_open_gate(struct kunit *test)
{
	struct cr_ctx *c = cr_start(test, false);
	struct qisock_sock *s = qkt_sock_claim(c->d.qd, 0);
	unsigned long t0;

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(s));
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "127.0.0.1",
						QISOCK_ACCESS_BUFFER, true),
			-ENETDOWN);
	t0 = jiffies;
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "127.0.0.1",
						QISOCK_ACCESS_BUFFER, false),
			-ENETDOWN);
	KUNIT_EXPECT_GE(test, jiffies - t0, msecs_to_jiffies(250));
	qkt_dev_settle(test, &c->d);
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+QIOPEN"));

	/* "+IP:" while the open waits: it goes on and connects */
	c->d.qd->ctx[1]->ip_wait_ms = 5000;
	schedule_delayed_work(&c->urc, msecs_to_jiffies(200));
	KUNIT_EXPECT_EQ(test, qkt_sock_try_open(s, "127.0.0.1",
						QISOCK_ACCESS_BUFFER, false), 0);
	KUNIT_EXPECT_TRUE(test, cr_sent(c, "AT+QIOPEN=1,0,\"TCP\""));
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "address"), "10.0.0.7\n");
	qkt_sock_close(s);
}

/* type and apn: AT+CGDCONT?; a write re-attaches, "+IP:" ends it. */
static void ctx_reg_apn(struct kunit *test)
{
	struct cr_ctx *c = cr_start(test, true);
	struct qisock_sock *s = qkt_sock_claim(c->d.qd, 1);
	long off, def, on;

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(s));
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "apn"), "nb.default\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "type"), "ipv4\n");
	KUNIT_ASSERT_EQ(test, qkt_sock_try_open(s, "127.0.0.1",
						QISOCK_ACCESS_BUFFER, false), 0);

	KUNIT_EXPECT_EQ(test, cr_store(c, "apn", "iot.example\n"), 12);
	off = qkt_fake_log_last(c->d.f, "AT+CFUN=0");
	def = qkt_fake_log_last(c->d.f, "AT+CGDCONT=1,\"IP\",\"iot.example\"");
	on = qkt_fake_log_last(c->d.f, "AT+CFUN=1|");
	KUNIT_EXPECT_GE(test, off, 0L);
	KUNIT_EXPECT_GT(test, def, off);
	KUNIT_EXPECT_GT(test, on, def);
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "activating\n");
	/* the detach took the socket with it */
	spin_lock(&s->lock);
	KUNIT_EXPECT_EQ(test, (int)s->state, (int)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, s->error, ENETDOWN);
	spin_unlock(&s->lock);
	qkt_dev_urc(&c->d, "\r\n+IP: 10.0.0.5\r\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "state"), "up\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "apn"), "iot.example\n");

	KUNIT_EXPECT_EQ(test, cr_store(c, "type", "ipv4v6"), 6);
	KUNIT_EXPECT_TRUE(test, cr_sent(c, "AT+CGDCONT=1,\"IPV4V6\",\"iot.example\""));
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "type"), "ipv4v6\n");
	qkt_sock_close(s);
}

/* Refused before anything is sent; a refused definition re-attaches. */
static void ctx_reg_apn_refused(struct kunit *test)
{
	static const char * const bad[][2] = {
		{ "apn", "a\"b" }, { "apn", "x\r\nAT+CFUN=0" }, { "type", "ppp" },
		{ "type", "non-ip" },
	};
	struct cr_ctx *c = cr_start(test, true);
	char *longapn = kunit_kzalloc(test, 102, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, longapn);
	memset(longapn, 'a', 101);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, cr_store(c, bad[i][0], bad[i][1]),
				    -EINVAL, "%s", bad[i][1]);
	KUNIT_EXPECT_EQ(test, cr_store(c, "apn", longapn), -EINVAL);
	qkt_dev_settle(test, &c->d);
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+CFUN"));
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+CGDCONT="));

	c->m.cgdcont_err = true;
	KUNIT_EXPECT_LT(test, cr_store(c, "apn", "other"), 0);
	KUNIT_EXPECT_TRUE(test, cr_sent(c, "AT+CFUN=1|"));
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "last_error"), "3\n");
	KUNIT_EXPECT_STREQ(test, cr_show(test, c, "apn"), "nb.default\n");
}

/* dns: not before "+IP:", only its families, set again after each one. */
static void ctx_reg_dns(struct kunit *test)
{
	struct cr_ctx *c = cr_start(test, false);

	KUNIT_EXPECT_EQ(test, cr_store(c, "dns", "8.8.8.8"), -ENETDOWN);
	qkt_dev_urc(&c->d, "\r\n+IP: 10.0.0.3\r\n");
	KUNIT_EXPECT_EQ(test, cr_store(c, "dns", "FD00::53"), -EAFNOSUPPORT);
	KUNIT_EXPECT_EQ(test, cr_store(c, "dns", "8.8.8.8 FD00::53"),
			-EAFNOSUPPORT);
	KUNIT_EXPECT_EQ(test, cr_store(c, "dns", "abc"), -EINVAL);
	qkt_dev_settle(test, &c->d);
	KUNIT_EXPECT_FALSE(test, cr_sent(c, "AT+QIDNSCFG=1,"));
	KUNIT_EXPECT_EQ(test, cr_store(c, "dns", "8.8.8.8 1.1.1.1"), 15);
	KUNIT_EXPECT_TRUE(test, cr_sent(c, "AT+QIDNSCFG=1,\"8.8.8.8\",\"1.1.1.1\""));

	qkt_fake_clear_rx(c->d.f);
	spin_lock(&c->d.f->lock);
	c->d.f->log[0] = '\0';
	spin_unlock(&c->d.f->lock);
	qkt_dev_urc(&c->d, "\r\n+QIURC: \"pdpdeact\",1\r\n\r\n+IP: 10.0.0.4\r\n");
	KUNIT_EXPECT_TRUE(test, QKT_WAIT(cr_sent(c, "AT+QIDNSCFG=1,\"8.8.8.8\",\"1.1.1.1\"")));
}

static struct kunit_case qisock_ctx_reg_cases[] = {
	KUNIT_CASE(ctx_reg_attrs),
	KUNIT_CASE(ctx_reg_ip),
	KUNIT_CASE(ctx_reg_down_rdy),
	KUNIT_CASE(ctx_reg_open_gate),
	KUNIT_CASE(ctx_reg_apn),
	KUNIT_CASE(ctx_reg_apn_refused),
	KUNIT_CASE(ctx_reg_dns),
	{}
};

static struct kunit_suite qisock_ctx_reg_suite = {
	.name = "qisock_ctx_reg",
	.exit = cr_exit,
	.test_cases = qisock_ctx_reg_cases,
};

kunit_test_suites(&qisock_ctx_reg_suite);
