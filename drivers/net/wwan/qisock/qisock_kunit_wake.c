// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_wake: waking a module that sleeps (qisock_at_wake.c)
 * against the shared fake in hand mode, byte-exact. After an idle gap the
 * next command is preceded by "AT", and the next one with a data phase
 * by the re-pins (not before: they would replace the module's last
 * error); an "AT" the waking module swallows (a bare line end, then
 * nothing) costs a resync, not the command; a gap seen on the receive
 * side (the module woke by itself and talked) counts too; commands in a
 * row are not preceded by anything.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>

#include "qisock_kunit_fake.h"

#define WK_IDLE_MS	300	/* well above a wait for the fake's answer */
#define WK_REPIN	"AT+QICFG=\"echomode\",0"

static const char * const wk_repin[] = { WK_REPIN, NULL };

static int wk_init(struct kunit *test)
{
	int ret = qkt_eng_init(test, 30);
	struct qkt_eng *c = test->priv;

	if (!ret)
		qisock_at_set_wake(&c->eng, WK_IDLE_MS, wk_repin);
	return ret;
}

/* @line goes out next; answered with @ans, @cmd succeeds. */
static void wk_expect(struct kunit *test, struct qkt_eng *c,
		      struct qat_cmd *cmd, const char *line, const char *ans)
{
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, line));
	qkt_eng_feed_str(c, ans);
	if (cmd)
		KUNIT_EXPECT_EQ(test, qisock_at_wait(cmd), 0);
}

/* A QISEND with 5 bytes of data, answered at its '>' by the test. */
static struct qat_cmd *wk_send(struct kunit *test, struct qkt_eng *c)
{
	return qkt_eng_submit_data(test, c, 0, "AT+QISEND=0,5", "hello", 5);
}

/*
 * Asleep: the wake-up "AT" is swallowed, the command still succeeds; the
 * next data-mode send is preceded by the re-pin, once.
 */
static void wk_swallowed(struct kunit *test)
{
	static const char want[] = "AT\r" QKT_PROBE "AT+X\r" WK_REPIN "\r"
				   "AT+QISEND=0,5\rhelloAT+QISEND=0,5\rhello";
	struct qkt_eng *c = test->priv;
	struct qat_cmd *x, *d;

	msleep(2 * WK_IDLE_MS);
	x = qkt_eng_submit(test, c, 0, "AT+X");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT\r"));
	KUNIT_EXPECT_FALSE(test, qkt_fake_has_str(c->f, "AT+X"));
	qkt_eng_feed_str(c, "\r\n");		/* all a waking module says */
	wk_expect(test, c, NULL, QKT_PROBE, QKT_PROBE_ANS);
	wk_expect(test, c, x, "AT+X\r", "\r\nOK\r\n");
	d = wk_send(test, c);
	wk_expect(test, c, NULL, WK_REPIN "\r", "\r\nOK\r\n");
	wk_expect(test, c, NULL, "AT+QISEND=0,5\r", "\r\n> ");
	wk_expect(test, c, d, "hello", "\r\nSEND OK\r\n");
	qisock_at_cmd_put(d);
	d = wk_send(test, c);			/* no second re-pin */
	wk_expect(test, c, NULL, "AT+QISEND=0,5\rhelloAT+QISEND=0,5\r",
		  "\r\n> ");
	wk_expect(test, c, d, want, "\r\nSEND OK\r\n");
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, want, strlen(want)));
	KUNIT_EXPECT_EQ(test, c->eng.st.wakeups, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.timeouts, 1u);	/* the "AT" only */
	KUNIT_EXPECT_EQ(test, c->eng.st.silent, 0u);
	qisock_at_cmd_put(x);
	qisock_at_cmd_put(d);
}

/* Awake after all: "AT" is answered at once, no resync. */
static void wk_awake(struct kunit *test)
{
	static const char want[] = "AT\r" WK_REPIN "\rAT+QISEND=0,5\rhello";
	struct qkt_eng *c = test->priv;
	struct qat_cmd *d;

	msleep(2 * WK_IDLE_MS);
	d = wk_send(test, c);
	wk_expect(test, c, NULL, "AT\r", "\r\nOK\r\n");
	wk_expect(test, c, NULL, WK_REPIN "\r", "\r\nOK\r\n");
	wk_expect(test, c, NULL, "AT+QISEND=0,5\r", "\r\n> ");
	wk_expect(test, c, d, want, "\r\nSEND OK\r\n");
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, want, strlen(want)));
	KUNIT_EXPECT_EQ(test, c->eng.st.timeouts, 0u);
	KUNIT_EXPECT_EQ(test, c->eng.st.resyncs, 0u);
	qisock_at_cmd_put(d);
}

/*
 * The module fell asleep sooner than the driver thought: a command it got
 * whole and answered with nothing at all (a bare line end) is sent again
 * after the resync, once, and succeeds; one it said something to fails.
 */
static void wk_unheard_sent_again(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *x, *y;

	/* a pause the module may sleep in, shorter than the driver's guess */
	qisock_at_set_wake(&c->eng, 2000, wk_repin);
	msleep(400);
	x = qkt_eng_submit(test, c, 100, "AT+X");
	wk_expect(test, c, NULL, "AT+X\r", "\r\n");
	wk_expect(test, c, NULL, "AT+X\r" QKT_PROBE, QKT_PROBE_ANS);
	wk_expect(test, c, x, "AT+X\r" QKT_PROBE "AT+X\r", "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.wake_retries, 1u);
	/* only the test holds it: the engine's references all went */
	KUNIT_EXPECT_EQ(test, kref_read(&x->ref), 1u);
	/* it slept after 400 ms: the guess is now half that, at least 250 */
	KUNIT_EXPECT_EQ(test, c->eng.wake.idle_ms, 250u);
	/* a URC while it is out: the module is awake, the time-out stands */
	y = qkt_eng_submit(test, c, 100, "AT+Y");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+Y\r"));
	qkt_eng_feed_str(c, "\r\n+QIURC: \"recv\",0\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(y), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, c->eng.st.wake_retries, 1u);
	qisock_at_cmd_put(x);
	qisock_at_cmd_put(y);
}

/* Never twice: a command unheard again fails with its time-out. */
static void wk_unheard_twice_fails(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *x;

	qisock_at_set_wake(&c->eng, 2000, wk_repin);
	msleep(400);
	x = qkt_eng_submit(test, c, 100, "AT+X");
	wk_expect(test, c, NULL, "AT+X\r", "");
	wk_expect(test, c, NULL, "AT+X\r" QKT_PROBE, QKT_PROBE_ANS);
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r" QKT_PROBE
						 "AT+X\r"));
	KUNIT_EXPECT_EQ(test, qisock_at_wait(x), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, c->eng.st.wake_retries, 1u);
	qisock_at_cmd_put(x);
}

/*
 * Right after other traffic the module cannot have fallen asleep: an
 * unheard command is a hung or slow module's, and fails (no retry, the
 * guess unchanged); a slow answer to the driver's own command is no gap
 * of the module's either (no endless wake-ups).
 */
static void wk_busy_unheard_fails(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *x, *y;

	x = qkt_eng_submit(test, c, 100, "AT+X");
	wk_expect(test, c, NULL, "AT+X\r", "\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(x), -ETIMEDOUT);
	wk_expect(test, c, NULL, "AT+X\r" QKT_PROBE, QKT_PROBE_ANS);
	KUNIT_EXPECT_EQ(test, c->eng.st.wake_retries, 0u);
	KUNIT_EXPECT_EQ(test, c->eng.wake.idle_ms, (unsigned int)WK_IDLE_MS);
	/* a command answered after more than the idle time */
	y = qkt_eng_submit(test, c, 2000, "AT+Y");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+Y\r"));
	msleep(WK_IDLE_MS + 100);
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(y), 0);
	qisock_at_cmd_put(y);
	y = qkt_eng_submit(test, c, 0, "AT+Z");
	wk_expect(test, c, y, "AT+Y\rAT+Z\r", "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.wakeups, 0u);
	qisock_at_cmd_put(x);
	qisock_at_cmd_put(y);
}

/* Commands in a row: no wake sequence between them. */
static void wk_busy_line(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *a, *b;

	/* the engine has just been set up: the line counts as used */
	a = qkt_eng_submit(test, c, 0, "AT+A");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+A\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(a), 0);
	b = qkt_eng_submit(test, c, 0, "AT+B");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+B\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(b), 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, "AT+A\rAT+B\r", 10));
	KUNIT_EXPECT_EQ(test, c->eng.st.wakeups, 0u);
	qisock_at_cmd_put(a);
	qisock_at_cmd_put(b);
}

/*
 * The module woke by itself and sent a URC after an idle gap: it may have
 * reset "echomode" as well, so the next command is still preceded by the
 * sequence although the line is busy again.
 */
static void wk_gap_on_receive(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *x;

	msleep(2 * WK_IDLE_MS);
	qkt_eng_feed_str(c, "\r\n+QIURC: \"recv\",0\r\n");
	x = qkt_eng_submit(test, c, 0, "AT+X");
	wk_expect(test, c, NULL, "AT\r", "\r\nOK\r\n");
	wk_expect(test, c, x, "AT\rAT+X\r", "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.wakeups, 1u);
	qisock_at_cmd_put(x);
}

/* A module that never sleeps (idle 0): nothing is ever added. */
static void wk_never_sleeps(struct kunit *test)
{
	struct qkt_eng *c = test->priv;
	struct qat_cmd *x;

	qisock_at_set_wake(&c->eng, 0, NULL);
	msleep(2 * WK_IDLE_MS);
	x = qkt_eng_submit(test, c, 0, "AT+X");
	KUNIT_ASSERT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+X\r"));
	qkt_eng_feed_str(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qisock_at_wait(x), 0);
	KUNIT_EXPECT_TRUE(test, qkt_fake_rx_equals(c->f, "AT+X\r", 5));
	KUNIT_EXPECT_EQ(test, c->eng.st.wakeups, 0u);
	qisock_at_cmd_put(x);
}

static struct kunit_case qisock_wake_cases[] = {
	KUNIT_CASE(wk_swallowed),
	KUNIT_CASE(wk_awake),
	KUNIT_CASE(wk_busy_line),
	KUNIT_CASE(wk_gap_on_receive),
	KUNIT_CASE(wk_unheard_sent_again),
	KUNIT_CASE(wk_unheard_twice_fails),
	KUNIT_CASE(wk_busy_unheard_fails),
	KUNIT_CASE(wk_never_sleeps),
	{}
};

static struct kunit_suite qisock_wake_suite = {
	.name = "qisock_wake",
	.init = wk_init,
	.exit = qkt_eng_exit,
	.test_cases = qisock_wake_cases,
};

kunit_test_suites(&qisock_wake_suite);
