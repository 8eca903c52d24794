// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_svc: DNS, ping and NTP requests of a control node and
 * the module's last error, against the fake modem (qisock_kunit_fake.c),
 * which answers the commands with OK (or ERROR and an AT+QIGETERROR code);
 * the tests inject the result URCs, good and malformed.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qisock_kunit_fake.h"

struct svc_ctx {
	struct qkt_fake *f;
	struct qisock_dev *qd;
	struct qisock_file *file[2];
	union qisock_svc_arg *arg;
};

static struct qisock_file *svc_file(struct kunit *test, struct qisock_dev *qd)
{
	struct qisock_file *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	get_device(&qd->dev);	/* as an open file holds it */
	f->qd = qd;
	f->ctl = true;
	mutex_init(&f->lock);
	init_waitqueue_head(&f->wq);
	return f;
}

static int svc_init(struct kunit *test)
{
	struct svc_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->f = qkt_fake_new(test);
	c->f->modem = true;
	c->f->echo = true;
	test->priv = c;
	c->qd = qkt_dev_start(test, c->f);
	qkt_fake_clear_rx(c->f);	/* the probe's NULs would hide the rest */
	c->file[0] = svc_file(test, c->qd);
	c->file[1] = svc_file(test, c->qd);
	c->arg = kunit_kzalloc(test, sizeof(*c->arg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->arg);
	return 0;
}

static void svc_exit(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	qkt_fake_check_records(test, c->f);
	qkt_fake_stop(c->f);
	if (c->qd)
		qisock_dev_destroy(c->qd);
	/* the files outlive the modem, as open files do */
	qisock_svc_release(c->file[0]);
	qisock_svc_release(c->file[1]);
	put_device(&c->file[0]->qd->dev);
	put_device(&c->file[1]->qd->dev);
}

static void svc_urc(struct svc_ctx *c, const char *s)
{
	qisock_dev_receive(c->qd, s, strlen(s));
}

static bool svc_log_has(struct svc_ctx *c, const char *s)
{
	bool found;

	spin_lock(&c->f->lock);
	found = strstr(c->f->log, s);
	spin_unlock(&c->f->lock);
	return found;
}

/* Every command queued so far has been answered (the engine keeps order). */
static void svc_settle(struct kunit *test, struct svc_ctx *c)
{
	KUNIT_ASSERT_EQ(test, qisock_at_simple(&c->qd->eng, 0, "AT+CMEE=1"), 0);
}

/* Wait for the request's command to get its OK, so its URCs count. */
static void svc_wait_sent(struct kunit *test, struct svc_ctx *c,
			  const char *line)
{
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, line));
	svc_settle(test, c);
}

static void svc_dns_arg(union qisock_svc_arg *a, const char *host)
{
	memset(a, 0, sizeof(*a));
	a->dns.context_id = 1;
	strscpy(a->dns.host, host, sizeof(a->dns.host));
}

/* Start a non-blocking request: EINPROGRESS, then its command is out. */
static void svc_start_nb(struct kunit *test, struct svc_ctx *c, int file,
			 unsigned int kind, const char *line)
{
	KUNIT_ASSERT_EQ(test, qisock_svc_call(c->file[file], kind, c->arg,
					      true), -EINPROGRESS);
	svc_wait_sent(test, c, line);
}

/* Poll until the result is in, then collect it. */
static int svc_collect_nb(struct kunit *test, struct svc_ctx *c, int file,
			  unsigned int kind)
{
	unsigned long end = jiffies + 3 * HZ;

	while (!qisock_svc_poll(c->file[file]) && time_before(jiffies, end))
		usleep_range(1000, 3000);
	KUNIT_EXPECT_EQ(test, qisock_svc_poll(c->file[file]),
			EPOLLIN | EPOLLRDNORM);
	return qisock_svc_call(c->file[file], kind, c->arg, true);
}

/* ---- DNS ---------------------------------------------------------------- */

static void svc_dns_ok(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	struct qisock_resolve *r = &c->arg->dns;

	svc_dns_arg(c->arg, "example.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS,
		     "AT+QIDNSGIP=1,\"example.test\"\r");
	KUNIT_EXPECT_EQ(test, qisock_svc_poll(c->file[0]), 0u);
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, true), -EALREADY);
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,2,600\r\n");
	KUNIT_EXPECT_EQ(test, qisock_svc_poll(c->file[0]), 0u);
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",\"10.1.2.3\"\r\n"
		   "\r\n+QIURC: \"dnsgip\",\"fe80::1\"\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS), 0);
	KUNIT_EXPECT_EQ(test, r->module_error, 0u);
	KUNIT_EXPECT_EQ(test, r->total, 2u);
	KUNIT_EXPECT_EQ(test, r->count, 2u);
	KUNIT_EXPECT_EQ(test, r->ttl, 600u);
	KUNIT_EXPECT_STREQ(test, r->addr[0], "10.1.2.3");
	KUNIT_EXPECT_STREQ(test, r->addr[1], "fe80::1");
	KUNIT_EXPECT_STREQ(test, r->host, "example.test");
	/* collected: the slot is free, a stray URC is only counted */
	KUNIT_EXPECT_NULL(test, c->file[0]->svc);
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",\"10.1.2.4\"\r\n");
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.svc_stray, 1u);
}

/* More addresses than the struct holds: the first 8, total says all. */
static void svc_dns_many(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	char line[64];
	int i;

	svc_dns_arg(c->arg, "many.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"many.test\"\r");
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,10,60\r\n");
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "\r\n+QIURC: \"dnsgip\",\"10.0.0.%d\"\r\n",
			 i);
		svc_urc(c, line);
	}
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS), 0);
	KUNIT_EXPECT_EQ(test, c->arg->dns.count, 8u);
	KUNIT_EXPECT_EQ(test, c->arg->dns.total, 10u);
	KUNIT_EXPECT_STREQ(test, c->arg->dns.addr[7], "10.0.0.7");
}

static void svc_dns_module_error(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_dns_arg(c->arg, "nowhere.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS,
		     "AT+QIDNSGIP=1,\"nowhere.test\"\r");
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",565\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS), 0);
	KUNIT_EXPECT_EQ(test, c->arg->dns.module_error, 565u);
	KUNIT_EXPECT_EQ(test, c->arg->dns.count, 0u);
}

/* Malformed results end the request with EPROTO; nothing overflows. */
static void svc_dns_malformed(struct kunit *test)
{
	static const char * const bad[][2] = {
		{ "+QIURC: \"dnsgip\",0,x,600", NULL },
		{ "+QIURC: \"dnsgip\",0,1", NULL },
		{ "+QIURC: \"dnsgip\",0,9999,1", NULL },
		{ "+QIURC: \"dnsgip\",\"1.2.3.4\"", NULL },
		{ "+QIURC: \"dnsgip\",0,1,60", "+QIURC: \"dnsgip\",\"1.2.3.4;x\"" },
		{ "+QIURC: \"dnsgip\",0,1,60", NULL },	/* an address too long */
		{ "+QIURC: \"dnsgip\",0,1,60", "+QIURC: \"dnsgip\",5" },
	};
	struct svc_ctx *c = test->priv;
	char line[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		svc_dns_arg(c->arg, "bad.test");
		svc_start_nb(test, c, 0, QISOCK_SVC_DNS,
			     "AT+QIDNSGIP=1,\"bad.test\"\r");
		qkt_fake_clear_rx(c->f);
		snprintf(line, sizeof(line), "\r\n%s\r\n", bad[i][0]);
		svc_urc(c, line);
		if (bad[i][1]) {
			snprintf(line, sizeof(line), "\r\n%s\r\n", bad[i][1]);
		} else if (i == 5) {
			snprintf(line, sizeof(line),
				 "\r\n+QIURC: \"dnsgip\",\"%0*d\"\r\n",
				 QISOCK_ADDR_MAX, 1);
		}
		if (bad[i][1] || i == 5)
			svc_urc(c, line);
		KUNIT_EXPECT_EQ_MSG(test, svc_collect_nb(test, c, 0,
							 QISOCK_SVC_DNS),
				    -EPROTO, "case %u", i);
	}
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.svc_bad, (u32)ARRAY_SIZE(bad));
}

/* ---- ping --------------------------------------------------------------- */

static void svc_ping_arg(union qisock_svc_arg *a, const char *host, u32 tmo,
			 u32 count)
{
	memset(a, 0, sizeof(*a));
	a->ping.context_id = 1;
	a->ping.timeout = tmo;
	a->ping.count = count;
	strscpy(a->ping.host, host, sizeof(a->ping.host));
}

static void svc_ping_ok(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	struct qisock_ping *p = &c->arg->ping;

	svc_ping_arg(c->arg, "10.0.0.9", 0, 3);
	svc_start_nb(test, c, 0, QISOCK_SVC_PING,
		     "AT+QPING=1,\"10.0.0.9\",4,3\r");
	svc_urc(c, "\r\n+QPING: 0,\"10.0.0.9\",32,12,64\r\n"
		   "\r\n+QPING: 569\r\n"
		   "\r\n+QPING: 0,\"10.0.0.9\",32,30,64\r\n");
	KUNIT_EXPECT_EQ(test, qisock_svc_poll(c->file[0]), 0u);
	svc_urc(c, "\r\n+QPING: 0,3,2,1,12,30,21\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_PING), 0);
	KUNIT_EXPECT_EQ(test, p->module_error, 0u);
	KUNIT_EXPECT_EQ(test, p->nreplies, 3u);
	KUNIT_EXPECT_EQ(test, p->reply[0].result, 0u);
	KUNIT_EXPECT_STREQ(test, p->reply[0].addr, "10.0.0.9");
	KUNIT_EXPECT_EQ(test, p->reply[0].bytes, 32u);
	KUNIT_EXPECT_EQ(test, p->reply[0].time_ms, 12u);
	KUNIT_EXPECT_EQ(test, p->reply[0].ttl, 64u);
	KUNIT_EXPECT_EQ(test, p->reply[1].result, 569u);
	KUNIT_EXPECT_EQ(test, p->reply[2].time_ms, 30u);
	KUNIT_EXPECT_EQ(test, p->sent, 3u);
	KUNIT_EXPECT_EQ(test, p->rcvd, 2u);
	KUNIT_EXPECT_EQ(test, p->lost, 1u);
	KUNIT_EXPECT_EQ(test, p->min_ms, 12u);
	KUNIT_EXPECT_EQ(test, p->max_ms, 30u);
	KUNIT_EXPECT_EQ(test, p->avg_ms, 21u);
}

/* A code alone is the final result, unless it is a lost request (569). */
static void svc_ping_failed(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_ping_arg(c->arg, "nowhere.test", 1, 1);
	svc_start_nb(test, c, 0, QISOCK_SVC_PING,
		     "AT+QPING=1,\"nowhere.test\",1,1\r");
	svc_urc(c, "\r\n+QPING: 565\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_PING), 0);
	KUNIT_EXPECT_EQ(test, c->arg->ping.module_error, 565u);
	KUNIT_EXPECT_EQ(test, c->arg->ping.nreplies, 0u);
	KUNIT_EXPECT_EQ(test, c->arg->ping.sent, 0u);

	/* every request lost, then 569 alone once none is owed: final */
	svc_ping_arg(c->arg, "192.0.2.1", 1, 1);
	svc_start_nb(test, c, 0, QISOCK_SVC_PING,
		     "AT+QPING=1,\"192.0.2.1\",1,1\r");
	svc_urc(c, "\r\n+QPING: 569\r\n\r\n+QPING: 569\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_PING), 0);
	KUNIT_EXPECT_EQ(test, c->arg->ping.module_error, 569u);
	KUNIT_EXPECT_EQ(test, c->arg->ping.nreplies, 0u);
}

static void svc_ping_malformed(struct kunit *test)
{
	static const char * const bad[] = {
		"+QPING: 0,\"10.0.0.9\",32",
		"+QPING: 0",
		"+QPING: x,1,1,0,1,1,1",
		"+QPING: 0,3,2,1,12,-30,21",
		"+QPING: 0,\"10.0.0.9 \",32,12,64",
		"+QPING: 7,\"10.0.0.9\",32,12,64",
	};
	struct svc_ctx *c = test->priv;
	char line[96];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		svc_ping_arg(c->arg, "10.0.0.9", 0, 0);
		svc_start_nb(test, c, 0, QISOCK_SVC_PING,
			     "AT+QPING=1,\"10.0.0.9\",4,4\r");
		qkt_fake_clear_rx(c->f);
		snprintf(line, sizeof(line), "\r\n%s\r\n", bad[i]);
		svc_urc(c, line);
		KUNIT_EXPECT_EQ_MSG(test, svc_collect_nb(test, c, 0,
							 QISOCK_SVC_PING),
				    -EPROTO, "case %u: %s", i, bad[i]);
	}
}

/* ---- NTP ---------------------------------------------------------------- */

static void svc_ntp_time_parse(struct kunit *test)
{
	static const struct {
		const char *s;
		time64_t t;
		int tz;
	} good[] = {
		{ "1970/01/01,00:00:00+00", 0, 0 },
		{ "2026/12/07,18:45:30+00", 1796669130, 0 },
		/* local time 8 hours east of UTC */
		{ "2026/12/08,02:45:30+32", 1796669130, 32 },
		{ "2026/12/07,17:45:30-04", 1796669130, -4 },
		{ "24/02/29,12:00:00+00", 1709208000, 0 },
		/* the BC66 note's example, hundredths and all */
		{ "19/06/11,11:08:20:35+32", 1560222500, 32 },
	};
	static const char * const bad[] = {
		"", "2026/12/07", "2026/13/07,18:45:30+00",
		"2026/02/29,00:00:00+00", "2026/12/07,24:00:00+00",
		"2026/12/07,18:60:00+00", "2026/12/07,18:45:30",
		"2026/12/07,18:45:30+57", "2026/12/07,18:45:30-49",
		"2026/12/07,18:45:30+00x", "202/12/07,18:45:30+00",
		"20261/12/07,18:45:30+00", "2026/12/07 18:45:30+00",
		"2026/12/07,18:45:30*00", "2026/12/07,18:45:30:+00",
		/* before the epoch: garbage from mktime64() */
		"0000/01/01,00:00:00+00", "1969/12/31,23:59:59+00",
	};
	unsigned int i;
	time64_t t;
	int tz;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ_MSG(test, qisock_svc_ntp_time(good[i].s,
							      strlen(good[i].s),
							      &t, &tz), 0,
				    "%s", good[i].s);
		KUNIT_EXPECT_EQ_MSG(test, t, good[i].t, "%s", good[i].s);
		KUNIT_EXPECT_EQ_MSG(test, tz, good[i].tz, "%s", good[i].s);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, qisock_svc_ntp_time(bad[i],
							      strlen(bad[i]),
							      &t, &tz),
				    -EPROTO, "%s", bad[i]);
}

static void svc_ntp_ok(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	struct qisock_ntp *n = &c->arg->ntp;

	memset(c->arg, 0, sizeof(*c->arg));
	n->context_id = 1;
	strscpy(n->server, "ntp.test", sizeof(n->server));
	svc_start_nb(test, c, 0, QISOCK_SVC_NTP,
		     "AT+QNTP=1,\"ntp.test\",123,0,3,15\r");
	svc_urc(c, "\r\n+QNTP: 0,\"2026/12/08,02:45:30+32\"\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_NTP), 0);
	KUNIT_EXPECT_EQ(test, n->module_error, 0u);
	KUNIT_EXPECT_EQ(test, n->time, (s64)1796669130);
	KUNIT_EXPECT_EQ(test, n->tz_quarters, 32);
	KUNIT_EXPECT_STREQ(test, n->text, "2026/12/08,02:45:30+32");

	/* a failure the module reports; then a malformed time */
	n->port = 10123;
	n->retry_count = 1;
	n->retry_interval = 5;
	svc_start_nb(test, c, 0, QISOCK_SVC_NTP,
		     "AT+QNTP=1,\"ntp.test\",10123,0,1,5\r");
	svc_urc(c, "\r\n+QNTP: 569\r\n");
	KUNIT_ASSERT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_NTP), 0);
	KUNIT_EXPECT_EQ(test, n->module_error, 569u);
	KUNIT_EXPECT_EQ(test, n->time, 0);
	qkt_fake_clear_rx(c->f);
	svc_start_nb(test, c, 0, QISOCK_SVC_NTP,
		     "AT+QNTP=1,\"ntp.test\",10123,0,1,5\r");
	svc_urc(c, "\r\n+QNTP: 0,\"2026/12/07,25:00:00+00\"\r\n");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_NTP),
			-EPROTO);
}

/* ---- the request's life ------------------------------------------------- */

/* Bad arguments: EINVAL and nothing reaches the module. */
static void svc_einval_nothing_sent(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	union qisock_svc_arg *a = c->arg;

	svc_dns_arg(a, "a\"b");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS, a,
					      false), -EINVAL);
	svc_dns_arg(a, "");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS, a,
					      false), -EINVAL);
	svc_dns_arg(a, "x.test");
	memset(a->dns.host, 'a', sizeof(a->dns.host));
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS, a,
					      false), -EINVAL);
	svc_dns_arg(a, "x.test");
	a->dns.context_id = 8;
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS, a,
					      false), -EINVAL);
	svc_dns_arg(a, "x.test");
	a->dns.reserved[2] = 1;
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS, a,
					      false), -EINVAL);
	svc_ping_arg(a, "x.test", 256, 1);
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_PING, a,
					      false), -EINVAL);
	svc_ping_arg(a, "x.test", 1, 11);
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_PING, a,
					      false), -EINVAL);
	svc_ping_arg(a, "x.test", 1, 1);
	a->ping.size = 64;	/* BC66 only */
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_PING, a,
					      false), -EINVAL);
	memset(a, 0, sizeof(*a));
	a->ntp.context_id = 1;
	strscpy(a->ntp.server, "ntp.test", sizeof(a->ntp.server));
	a->ntp.retry_interval = 4;
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_NTP, a,
					      false), -EINVAL);
	a->ntp.retry_interval = 0;
	a->ntp.port = 65536;
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_NTP, a,
					      false), -EINVAL);
	svc_settle(test, c);
	KUNIT_EXPECT_EQ(test, c->f->svc_cmds, 0u);
	KUNIT_EXPECT_NULL(test, c->file[0]->svc);
}

/* A context that is down: ENETDOWN, only AT+QIACT? was asked. */
static void svc_enetdown(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	c->f->ctx_down = true;
	svc_dns_arg(c->arg, "x.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), -ENETDOWN);
	svc_settle(test, c);
	KUNIT_EXPECT_TRUE(test, svc_log_has(c, "AT+QIACT?|"));
	KUNIT_EXPECT_EQ(test, c->f->svc_cmds, 0u);
}

/* One request per file; other arguments or another kind: EBUSY. */
static void svc_ebusy(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_dns_arg(c->arg, "one.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"one.test\"\r");
	svc_dns_arg(c->arg, "two.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, true), -EBUSY);
	svc_ping_arg(c->arg, "one.test", 0, 0);
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_PING,
					      c->arg, true), -EBUSY);
	svc_dns_arg(c->arg, "one.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, true), -EALREADY);
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,0,0\r\n");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS), 0);
	KUNIT_EXPECT_EQ(test, c->arg->dns.count, 0u);
	KUNIT_EXPECT_EQ(test, c->f->svc_cmds, 1u);
}

/* The module runs one request of a kind: the second waits its turn. */
static void svc_one_at_a_time(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_dns_arg(c->arg, "one.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"one.test\"\r");
	svc_dns_arg(c->arg, "two.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[1], QISOCK_SVC_DNS,
					      c->arg, true), -EINPROGRESS);
	/* a file has one request at a time */
	svc_ping_arg(c->arg, "10.0.0.1", 1, 1);
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_PING,
					      c->arg, true), -EBUSY);
	svc_settle(test, c);
	KUNIT_EXPECT_FALSE(test, svc_log_has(c, "two.test"));
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,1,5\r\n"
		   "\r\n+QIURC: \"dnsgip\",\"10.0.0.1\"\r\n");
	svc_wait_sent(test, c, "AT+QIDNSGIP=1,\"two.test\"\r");
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,1,5\r\n"
		   "\r\n+QIURC: \"dnsgip\",\"10.0.0.2\"\r\n");
	svc_dns_arg(c->arg, "two.test");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 1, QISOCK_SVC_DNS), 0);
	KUNIT_EXPECT_STREQ(test, c->arg->dns.addr[0], "10.0.0.2");
	svc_dns_arg(c->arg, "one.test");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS), 0);
	KUNIT_EXPECT_STREQ(test, c->arg->dns.addr[0], "10.0.0.1");
}

/* No result within the time-out: ETIMEDOUT; a late URC is only counted. */
static void svc_timeout(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	c->qd->svc.tmo_ms = 200;
	svc_dns_arg(c->arg, "slow.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"slow.test\"\r");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS),
			-ETIMEDOUT);
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",565\r\n");
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.svc_stray, 1u);
	/* a blocking call times out too */
	svc_dns_arg(c->arg, "slow2.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), -ETIMEDOUT);
}

/* A signal ends the wait, not the request: the same call collects it. */
static void svc_signal_then_collect(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	/* known up: the call sends at once, no AT+QIACT? the signal would stop */
	KUNIT_ASSERT_EQ(test, qisock_ctx_active(c->qd, 1), 1);
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	svc_dns_arg(c->arg, "sig.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), -ERESTARTSYS);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	svc_wait_sent(test, c, "AT+QIDNSGIP=1,\"sig.test\"\r");
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,1,5\r\n"
		   "\r\n+QIURC: \"dnsgip\",\"10.0.0.3\"\r\n");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), 0);
	KUNIT_EXPECT_STREQ(test, c->arg->dns.addr[0], "10.0.0.3");
	KUNIT_EXPECT_EQ(test, c->f->svc_cmds, 1u);
}

/*
 * A plain ERROR: AT+QIGETERROR follows at once, the errno comes from its
 * <err> (564 DNS busy: EAGAIN), and LAST_ERROR reports it.
 */
static void svc_qigeterror(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	struct qisock_error e;

	c->f->svc_err = 564;
	svc_dns_arg(c->arg, "busy.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), -EAGAIN);
	KUNIT_EXPECT_TRUE(test,
			  svc_log_has(c, "AT+QIDNSGIP=1,\"busy.test\"|AT+QIGETERROR|"));
	KUNIT_EXPECT_EQ(test, c->qd->eng.st.qierr, 1u);
	c->f->svc_err = 0;
	KUNIT_EXPECT_EQ(test, qisock_svc_last_error(c->qd, &e), 0);
	KUNIT_EXPECT_EQ(test, e.code, 564u);
	KUNIT_EXPECT_STREQ(test, e.text, "dns busy");
	KUNIT_EXPECT_NULL(test, c->file[0]->svc);
}

/* LAST_ERROR before any error asks the module now. */
static void svc_last_error_asks(struct kunit *test)
{
	struct svc_ctx *c = test->priv;
	struct qisock_error e;

	qkt_fake_clear_rx(c->f);
	KUNIT_EXPECT_EQ(test, qisock_svc_last_error(c->qd, &e), 0);
	KUNIT_EXPECT_EQ(test, e.code, 0u);
	KUNIT_EXPECT_STREQ(test, e.text, "operation success");
	KUNIT_EXPECT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QIGETERROR\r"));
}

static void svc_qierr_parse(struct kunit *test)
{
	static const char * const bad[] = {
		"+QIGETERROR:", "+QIGETERROR: x,foo", "+QIGETERROR: -1,foo",
		"+QIGETERROR: 1000,foo", "+QIGETERRO: 552,foo", "+QIOPEN: 552",
	};
	static const char good[] = "+QIGETERROR: 552,invalid parameters";
	char desc[8];
	unsigned int i;
	u32 code;

	KUNIT_EXPECT_EQ(test, qisock_at_qierr_parse(good, sizeof(good) - 1,
						    &code, desc, sizeof(desc)),
			0);
	KUNIT_EXPECT_EQ(test, code, 552u);
	KUNIT_EXPECT_STREQ(test, desc, "invalid");	/* cut to the buffer */
	KUNIT_EXPECT_EQ(test, qisock_at_qierr_parse("+QIGETERROR: 0", 14,
						    &code, desc, sizeof(desc)),
			0);
	KUNIT_EXPECT_STREQ(test, desc, "");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, qisock_at_qierr_parse(bad[i],
								strlen(bad[i]),
								&code, desc,
								sizeof(desc)),
				    -EPROTO, "%s", bad[i]);
}

/* Detach ends what runs and what waits with EIO; the files live on. */
static void svc_detach(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_dns_arg(c->arg, "one.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"one.test\"\r");
	svc_dns_arg(c->arg, "two.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[1], QISOCK_SVC_DNS,
					      c->arg, true), -EINPROGRESS);
	qkt_fake_stop(c->f);
	qisock_dev_destroy(c->qd);
	c->qd = NULL;
	KUNIT_EXPECT_EQ(test, qisock_svc_poll(c->file[1]),
			EPOLLIN | EPOLLRDNORM);
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[1], QISOCK_SVC_DNS,
					      c->arg, true), -EIO);
	svc_dns_arg(c->arg, "one.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), -EIO);
	/* and nothing new starts */
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[0], QISOCK_SVC_DNS,
					      c->arg, false), -EIO);
}

/* The module restarted (RDY): what it ran and what waited is lost. */
static void svc_rdy_resets(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_dns_arg(c->arg, "one.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"one.test\"\r");
	svc_dns_arg(c->arg, "two.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[1], QISOCK_SVC_DNS,
					      c->arg, true), -EINPROGRESS);
	svc_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 1, QISOCK_SVC_DNS),
			-ENETRESET);
	svc_dns_arg(c->arg, "one.test");
	KUNIT_EXPECT_EQ(test, svc_collect_nb(test, c, 0, QISOCK_SVC_DNS),
			-ENETRESET);
	KUNIT_EXPECT_FALSE(test, svc_log_has(c, "two.test"));
}

/* A file closed while its request waits for its turn: dropped, unsent. */
static void svc_release_queued(struct kunit *test)
{
	struct svc_ctx *c = test->priv;

	svc_dns_arg(c->arg, "one.test");
	svc_start_nb(test, c, 0, QISOCK_SVC_DNS, "AT+QIDNSGIP=1,\"one.test\"\r");
	svc_dns_arg(c->arg, "two.test");
	KUNIT_EXPECT_EQ(test, qisock_svc_call(c->file[1], QISOCK_SVC_DNS,
					      c->arg, true), -EINPROGRESS);
	qisock_svc_release(c->file[1]);
	qisock_svc_release(c->file[0]);	/* running: ends with its URC */
	svc_urc(c, "\r\n+QIURC: \"dnsgip\",0,0,0\r\n");
	svc_settle(test, c);
	KUNIT_EXPECT_FALSE(test, svc_log_has(c, "two.test"));
	KUNIT_EXPECT_TRUE(test, list_empty(&c->qd->svc.q[QISOCK_SVC_DNS]));
}

static struct kunit_case qisock_svc_cases[] = {
	KUNIT_CASE(svc_dns_ok),
	KUNIT_CASE(svc_dns_many),
	KUNIT_CASE(svc_dns_module_error),
	KUNIT_CASE(svc_dns_malformed),
	KUNIT_CASE(svc_ping_ok),
	KUNIT_CASE(svc_ping_failed),
	KUNIT_CASE(svc_ping_malformed),
	KUNIT_CASE(svc_ntp_time_parse),
	KUNIT_CASE(svc_ntp_ok),
	KUNIT_CASE(svc_einval_nothing_sent),
	KUNIT_CASE(svc_enetdown),
	KUNIT_CASE(svc_ebusy),
	KUNIT_CASE(svc_one_at_a_time),
	KUNIT_CASE(svc_timeout),
	KUNIT_CASE(svc_signal_then_collect),
	KUNIT_CASE(svc_qigeterror),
	KUNIT_CASE(svc_last_error_asks),
	KUNIT_CASE(svc_qierr_parse),
	KUNIT_CASE(svc_detach),
	KUNIT_CASE(svc_rdy_resets),
	KUNIT_CASE(svc_release_queued),
	{}
};

static struct kunit_suite qisock_svc_suite = {
	.name = "qisock_svc",
	.init = svc_init,
	.exit = svc_exit,
	.test_cases = qisock_svc_cases,
};

kunit_test_suites(&qisock_svc_suite);
