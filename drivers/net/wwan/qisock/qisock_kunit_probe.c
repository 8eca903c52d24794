// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_probe: the whole probe conversation against the
 * fake modem (qisock_kunit_fake.c).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock_kunit_fake.h"

static char probe_log[512];
static char probe_log_bc66[512];

/* What the probe sends: identification, then the dialect's pin list. */
static void probe_log_build(char *log, size_t size,
			    const struct qisock_dialect *d)
{
	const char * const *c;

	strscpy(log, "AT|AT+QIGETERROR|ATE0|AT+CMEE=1|ATI|AT+CGMM|AT+CGMR|",
		size);
	for (c = d->pin; *c; c++) {
		strlcat(log, *c, size);
		strlcat(log, "|", size);
	}
	strlcat(log, "AT+QISTATE?|", size);
	/* a context that follows registration: is it up already? */
	if (!d->ctx_query)
		strlcat(log, "AT+CGPADDR=1|", size);
}

static int probe_init(struct kunit *test)
{
	probe_log_build(probe_log, sizeof(probe_log), &qisock_dialect_ec200u);
	probe_log_build(probe_log_bc66, sizeof(probe_log_bc66),
			&qisock_dialect_bc66);
	return qkt_dev_init(test);
}

static void probe_start(struct kunit *test, struct qkt_dev *p,
			unsigned int cmd_timeout_ms)
{
	qkt_dev_attach(test, p, cmd_timeout_ms);
	KUNIT_EXPECT_STREQ(test, qisock_state_name(qisock_dev_state(p->qd)),
			   "probing");
}

static void probe_wait(struct kunit *test, struct qkt_dev *p)
{
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->qd->probe_done,
							  5 * HZ), 0ul);
}

/* The log after its leading "AT|" and resync probe entries. */
static const char *probe_skip_ats(const char *log)
{
	for (;;) {
		if (!strncmp(log, "AT|", 3))
			log += 3;
		else if (!strncmp(log, "AT+QIGETERROR|", 14))
			log += 14;
		else
			return log;
	}
}

static void probe_expect(struct kunit *test, struct qkt_dev *p,
			 const char *state, const char *model,
			 const char *rev, const char *dialect)
{
	struct qisock_dev *qd = p->qd;

	KUNIT_EXPECT_STREQ(test, qisock_state_name(qisock_dev_state(qd)),
			   state);
	KUNIT_EXPECT_STREQ(test, qd->model, model);
	KUNIT_EXPECT_STREQ(test, qd->revision, rev);
	KUNIT_EXPECT_STREQ(test, qd->dialect ? qd->dialect->name : "",
			   dialect);
	KUNIT_EXPECT_STREQ(test, qd->tty_name, "ttyKUNIT");
	KUNIT_EXPECT_EQ(test, strncmp(dev_name(&qd->dev), "qisock", 6), 0);
}

static void probe_expect_ec200u(struct kunit *test, struct qkt_dev *p)
{
	probe_expect(test, p, "ready", "EC200U", "EC200UCNAAR02A01M08",
		     "ec200u");
}

/* A module as the fake plays it, and what the probe must make of it. */
struct probe_model_case {
	const char *desc;
	const char *model;	/* the fake's answers; NULL: EC200U's */
	const char *rev;
	bool rdy;		/* garbage and RDY before the first answer */
	bool split;		/* answers byte by byte */
	const char *state;	/* expected */
	const char *want_model;
	const char *want_rev;
	const char *dialect;
	const char *log;	/* the exact command log, or NULL */
	unsigned int at_count;	/* "AT"s answered, or 0: not checked */
};

static const struct probe_model_case probe_model_cases[] = {
	{ "ec200u_power_up", NULL, NULL, true, false,
	  "ready", "EC200U", "EC200UCNAAR02A01M08", "ec200u", probe_log, 1 },
	{ "eg915u", "EG915U", "EG915UEUABR03A01M08", false, false,
	  "ready", "EG915U", "EG915UEUABR03A01M08", "ec200u" },
	{ "bc66_power_up", "BC66", "BC66NBR01A10", true, false,
	  "ready", "BC66", "BC66NBR01A10", "bc66", probe_log_bc66 },
	{ "bc66_na", "BC66-NA", "BC66NANBR01A05", false, false,
	  "ready", "BC66-NA", "BC66NANBR01A05", "bc66" },
	{ "vendor_spelling_split", "Quectel_BC66", "BC66NBR01A10", true, true,
	  "ready", "BC66", "BC66NBR01A10", "bc66" },
	{ "unknown_model", "EC25", "EC25EFAR06A06M4G", false, false,
	  "failed", "EC25", "EC25EFAR06A06M4G", "" },
};

static void probe_model_desc(const struct probe_model_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(probe_model, probe_model_cases, probe_model_desc);

static void probe_models(struct kunit *test)
{
	const struct probe_model_case *c = test->param_value;
	struct qkt_dev *p = test->priv;

	if (c->model) {
		p->f->model = c->model;
		p->f->rev = c->rev;
	}
	p->f->rdy = c->rdy;
	p->f->split = c->split;
	probe_start(test, p, 500);
	probe_wait(test, p);
	probe_expect(test, p, c->state, c->want_model, c->want_rev,
		     c->dialect);
	if (c->log)
		KUNIT_EXPECT_STREQ(test, p->f->log, c->log);
	if (c->at_count)
		KUNIT_EXPECT_EQ(test, p->f->at_count, c->at_count);
}

/* The first two ATs get no answer: the probe retries. */
static void probe_retry(struct kunit *test)
{
	struct qkt_dev *p = test->priv;

	p->f->swallow_at = 2;
	probe_start(test, p, 500);
	probe_wait(test, p);
	probe_expect_ec200u(test, p);
	/* the probe's ATs and the engine's resync ATs, then the rest */
	KUNIT_EXPECT_GE(test, p->f->at_count, 3u);
	KUNIT_EXPECT_STREQ(test, probe_skip_ats(p->f->log),
			   probe_skip_ats(probe_log));
}

/*
 * A stale final (an earlier owner's) takes the first sync round trip: the
 * probe notices the missing marker line, pauses and asks again, and the
 * identification gets its own answers.
 */
static void probe_stale_final_resync(struct kunit *test)
{
	struct qkt_dev *p = test->priv;

	p->f->bare_geterr = 1;
	probe_start(test, p, 500);
	probe_wait(test, p);
	probe_expect_ec200u(test, p);
	KUNIT_EXPECT_NOT_NULL(test, strstr(p->f->log,
					   "|AT+QIGETERROR|AT+QIGETERROR|ATE0|"));
}

/* Nothing ever answers: failed after the configured tries. */
static void probe_timeout(struct kunit *test)
{
	struct qkt_dev *p = test->priv;

	p->f->silent = true;
	probe_start(test, p, 500);
	probe_wait(test, p);
	probe_expect(test, p, "failed", "", "", "");
	KUNIT_EXPECT_STREQ(test, probe_skip_ats(p->f->log), "");
	KUNIT_EXPECT_GE(test, strlen(p->f->log), 9ul);	/* 3 ATs at least */
	/* NULs before the first ATs, for a module stuck after '>' */
	KUNIT_EXPECT_EQ(test, p->f->nuls, 3u * 485);
}

/* The module was off at attach; its power-on RDY starts a new probe. */
static void probe_rdy_after_failed(struct kunit *test)
{
	struct qkt_dev *p = test->priv;

	p->f->silent = true;
	probe_start(test, p, 500);
	probe_wait(test, p);
	probe_expect(test, p, "failed", "", "", "");
	spin_lock(&p->f->lock);
	p->f->silent = false;
	spin_unlock(&p->f->lock);
	qisock_dev_receive(p->qd, "\r\nRDY\r\n", 7);
	probe_wait(test, p);
	probe_expect_ec200u(test, p);
}

/* Detach while the probe waits for ATI: prompt, no hang, state gone. */
static void probe_detach(struct kunit *test)
{
	struct qkt_dev *p = test->priv;
	unsigned long t0;

	p->f->hang_on = "ATI";
	probe_start(test, p, 10000);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->f->hung, 5 * HZ),
			0ul);
	KUNIT_EXPECT_STREQ(test, qisock_state_name(qisock_dev_state(p->qd)),
			   "probing");
	t0 = jiffies;
	qisock_dev_hangup(p->qd);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - t0), 1000u);
	KUNIT_EXPECT_STREQ(test, qisock_state_name(qisock_dev_state(p->qd)),
			   "gone");
	KUNIT_EXPECT_TRUE(test, completion_done(&p->qd->probe_done));
	/* input after the hangup is dropped */
	qisock_dev_receive(p->qd, "\r\nOK\r\n", 6);
	qkt_dev_destroy(p);
}

/* Destroy (close) straight after attach, before the probe even ran. */
static void probe_destroy_early(struct kunit *test)
{
	struct qkt_dev *p = test->priv;

	probe_start(test, p, 500);
	qkt_dev_destroy(p);
}

/* RDY once ready: the module restarted, the driver probes again. */
static void probe_reprobe_on_rdy(struct kunit *test)
{
	struct qkt_dev *p = test->priv;

	probe_start(test, p, 500);
	probe_wait(test, p);
	probe_expect_ec200u(test, p);
	spin_lock(&p->f->lock);
	p->f->echo = true;
	spin_unlock(&p->f->lock);
	qisock_dev_receive(p->qd, "\r\nRDY\r\n", 7);
	probe_wait(test, p);
	probe_expect_ec200u(test, p);
	KUNIT_EXPECT_EQ(test, strlen(p->f->log), 2 * strlen(probe_log));
	KUNIT_EXPECT_STREQ(test, p->f->log + strlen(probe_log), probe_log);
}

/* Every attached modem gets its nodes: one too many is refused, clearly. */
static void probe_max_devs(struct kunit *test)
{
	struct qkt_dev *p = test->priv;
	struct qisock_dev **qd;
	unsigned int n = 0, i;
	struct qisock_dev *extra;

	qd = kunit_kcalloc(test, QISOCK_MAX_DEVS + 1, sizeof(*qd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, qd);
	for (i = 0; i <= QISOCK_MAX_DEVS; i++) {
		extra = qisock_dev_create(NULL, "ttyKUNIT", &qkt_fake_xops, p->f);
		if (IS_ERR(extra))
			break;
		KUNIT_EXPECT_NE(test, MAJOR(extra->dev.devt), 0u);
		qd[n++] = extra;
	}
	KUNIT_EXPECT_EQ(test, n, QISOCK_MAX_DEVS);
	KUNIT_EXPECT_PTR_EQ(test, extra, ERR_PTR(-ENOSPC));
	while (n)
		qisock_dev_destroy(qd[--n]);
}

/* The modem sits under the port it is attached to. */
static void probe_parent(struct kunit *test)
{
	struct qkt_dev *p = test->priv;
	struct device *port = root_device_register("qisock_kunit_port");
	struct qisock_dev *qd;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, port);
	qd = qisock_dev_create(port, "ttyKUNIT", &qkt_fake_xops, p->f);
	if (!IS_ERR(qd)) {
		KUNIT_EXPECT_PTR_EQ(test, qd->dev.parent, port);
		qisock_dev_destroy(qd);
	}
	KUNIT_EXPECT_FALSE(test, IS_ERR(qd));
	root_device_unregister(port);
}

static struct kunit_case qisock_probe_cases[] = {
	KUNIT_CASE_PARAM(probe_models, probe_model_gen_params),
	KUNIT_CASE(probe_retry),
	KUNIT_CASE(probe_stale_final_resync),
	KUNIT_CASE(probe_timeout),
	KUNIT_CASE(probe_rdy_after_failed),
	KUNIT_CASE(probe_detach),
	KUNIT_CASE(probe_destroy_early),
	KUNIT_CASE(probe_reprobe_on_rdy),
	KUNIT_CASE(probe_max_devs),
	KUNIT_CASE(probe_parent),
	{}
};

static struct kunit_suite qisock_probe_suite = {
	.name = "qisock_probe",
	.init = probe_init,
	.exit = qkt_dev_exit,
	.test_cases = qisock_probe_cases,
};

kunit_test_suites(&qisock_probe_suite);
