// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_qicfg: the AT+QICFG option tables, what a user may
 * write (every value kind and range, injection attempts), the module's
 * answers (malformed ones too), and qicfg/ of a probed device against
 * the fake modem (qisock_kunit_fake.c) playing the options of seed 000.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qisock_kunit_fake.h"

static const struct qisock_dialect *const qc_dialects[] = {
	&qisock_dialect_ec200u, &qisock_dialect_bc66,
};

static const struct qisock_qicfg_opt *qc_opt(struct kunit *test,
					     const struct qisock_dialect *d,
					     const char *file)
{
	const struct qisock_qicfg_opt *o = qisock_qicfg_find(d, file);

	KUNIT_ASSERT_NOT_NULL_MSG(test, o, "%s: no option %s", d->name, file);
	return o;
}

/* ---- the tables ---------------------------------------------------------- */

/* Every row is consistent: counts, ranges, default, names. */
static void qicfg_table_rows(struct kunit *test)
{
	u32 v[QISOCK_QICFG_VALS];
	unsigned int k, i, j;
	int ret;

	for (k = 0; k < ARRAY_SIZE(qc_dialects); k++) {
		const struct qisock_dialect *d = qc_dialects[k];

		KUNIT_EXPECT_GT(test, d->nqicfg, 0);
		for (i = 0; i < d->nqicfg; i++) {
			const struct qisock_qicfg_opt *o = &d->qicfg[i];
			char name[32];

			qisock_qicfg_file_name(o->name, name, sizeof(name));
			KUNIT_EXPECT_NULL(test, strchr(name, '/'));
			KUNIT_EXPECT_PTR_EQ(test, qisock_qicfg_find(d, name), o);
			KUNIT_EXPECT_GE(test, o->nvals, 1);
			KUNIT_EXPECT_LE(test, o->nvals, QISOCK_QICFG_VALS);
			KUNIT_EXPECT_LT(test, o->nkeys, o->nvals);
			KUNIT_EXPECT_NE(test, o->counts, 0u);
			KUNIT_EXPECT_EQ(test, o->counts >> (o->nvals + 1), 0u);
			/* a write gives the keys at least */
			KUNIT_EXPECT_EQ(test, o->counts & ((2u << o->nkeys) - 1), 0u);
			for (j = 0; j < o->nvals; j++)
				KUNIT_EXPECT_LE_MSG(test, o->v[j].min, o->v[j].max,
						    "%s %s", o->name, o->v[j].name);
			ret = o->def ? qisock_qicfg_parse(o, o->def,
							  strlen(o->def), v) : 1;
			KUNIT_EXPECT_GT_MSG(test, ret, 0, "default of %s", o->name);
		}
	}
}

/* Read-only exactly when pinned; every pinned option has its file. */
static void qicfg_table_pinned(struct kunit *test)
{
	static const char * const ec_pinned[] = {
		"dataformat", "viewmode", "udp/readmode", "close/mode",
		"recvind", "sendinfo", "tcp/accept",
	};
	const struct qisock_dialect *ec = &qisock_dialect_ec200u;
	const struct qisock_dialect *bc = &qisock_dialect_bc66;
	unsigned int i, j, n = 0, qicfg_pins = 0;
	const char * const *c;

	for (i = 0; i < ec->nqicfg; i++) {
		bool want = false;

		for (j = 0; j < ARRAY_SIZE(ec_pinned); j++)
			want |= !strcmp(ec->qicfg[i].name, ec_pinned[j]);
		KUNIT_EXPECT_EQ_MSG(test, !!qisock_qicfg_pinned(ec, &ec->qicfg[i]),
				    want, "%s", ec->qicfg[i].name);
		n += want;
	}
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(ec_pinned));
	KUNIT_EXPECT_STREQ(test, qisock_qicfg_pinned(ec, qc_opt(test, ec, "dataformat")),
			   "0,0");
	/* BC66: lengths shown (the end of a datagram read in parts) */
	KUNIT_EXPECT_STREQ(test, qisock_qicfg_pinned(bc, qc_opt(test, bc, "dataformat")),
			   "0,0");
	KUNIT_EXPECT_STREQ(test, qisock_qicfg_pinned(bc, qc_opt(test, bc, "viewmode")),
			   "0");
	KUNIT_EXPECT_STREQ(test, qisock_qicfg_pinned(bc, qc_opt(test, bc, "showlength")),
			   "1");
	KUNIT_EXPECT_STREQ(test, qisock_qicfg_pinned(bc, qc_opt(test, bc, "echomode")),
			   "0");
	/* every AT+QICFG the probe pins is shown in qicfg/ */
	for (i = 0; i < ARRAY_SIZE(qc_dialects); i++) {
		const struct qisock_dialect *d = qc_dialects[i];

		for (c = d->pin; *c; c++) {
			if (strncmp(*c, "AT+QICFG=", 9))
				continue;
			qicfg_pins++;
			for (j = 0; j < d->nqicfg; j++)
				if (qisock_qicfg_pinned(d, &d->qicfg[j]) &&
				    strstr(*c, d->qicfg[j].name))
					break;
			KUNIT_EXPECT_LT_MSG(test, j, (unsigned int)d->nqicfg,
					    "%s: %s has no file", d->name, *c);
		}
	}
	KUNIT_EXPECT_EQ(test, qicfg_pins, 11u);	/* EC200U 7, BC66 4 */
	/* left out on purpose */
	KUNIT_EXPECT_NULL(test, qisock_qicfg_find(ec, "send_auto"));
	KUNIT_EXPECT_NULL(test, qisock_qicfg_find(ec, "recv_ignore"));
	KUNIT_EXPECT_NULL(test, qisock_qicfg_find(bc, "tcp_keepalive"));
	KUNIT_EXPECT_NULL(test, qisock_qicfg_find(ec, "showlength"));
}

/* ---- what a user may write ----------------------------------------------- */

static int qc_parse(const struct qisock_qicfg_opt *o, const char *s, u32 *v)
{
	return qisock_qicfg_parse(o, s, strlen(s), v);
}

/* Each value of each option at both ends of its range, and just beyond. */
static void qicfg_parse_ranges(struct kunit *test)
{
	const struct qisock_dialect *d = &qisock_dialect_ec200u;
	u32 v[QISOCK_QICFG_VALS], ok[QISOCK_QICFG_VALS];
	char buf[64];
	unsigned int i, j, k, len;

	for (i = 0; i < d->nqicfg; i++) {
		const struct qisock_qicfg_opt *o = &d->qicfg[i];

		if (o->check)
			continue;	/* pdp/retry: its own case */
		for (j = 0; j < o->nvals; j++)
			ok[j] = o->v[j].min;
		for (j = 0; j < o->nvals; j++) {
			u32 tries[4] = { o->v[j].min, o->v[j].max,
					 o->v[j].min - 1, o->v[j].max + 1 };

			for (k = 0; k < 4; k++) {
				unsigned int m;

				if (k == 2 && !o->v[j].min)
					continue;	/* no -1 */
				for (m = 0, len = 0; m < o->nvals; m++)
					len += scnprintf(buf + len, sizeof(buf) - len,
							 "%s%u", m ? " " : "",
							 m == j ? tries[k] : ok[m]);
				KUNIT_EXPECT_EQ_MSG(test, qc_parse(o, buf, v),
						    k < 2 ? (int)o->nvals : -EINVAL,
						    "%s <- \"%s\"", o->name, buf);
				if (k < 2)
					KUNIT_EXPECT_EQ(test, v[j], tries[k]);
			}
		}
	}
}

/* How many values a write may give, and pdp/retry's mode-bound ranges. */
static void qicfg_parse_counts(struct kunit *test)
{
	static const struct {
		const char *file, *val;
		int ret;
	} cases[] = {
		{ "tcp_keepalive", "1", 1 },
		{ "tcp_keepalive", "0\n", 1 },
		{ "tcp_keepalive", "1 60 25 3", 4 },
		{ "tcp_keepalive", "1 60", -EINVAL },
		{ "tcp_keepalive", "1 60 25", -EINVAL },
		{ "tcp_keepalive", "1 60 25 3 3", -EINVAL },
		{ "tcp_retranscfg", "4", 1 },
		{ "tcp_retranscfg", "4 30", 2 },
		{ "dataformat", "0", -EINVAL },
		{ "dataformat", "0 1", 2 },
		{ "pdp_retry", "1 0", -EINVAL },	/* that is a query */
		{ "pdp_retry", "1 0 4", -EINVAL },
		{ "pdp_retry", "0 0 2 2", 4 },	/* 4G deactivation 2-6 */
		{ "pdp_retry", "0 0 2 6", 4 },
		{ "pdp_retry", "0 0 2 7", -EINVAL },
		{ "pdp_retry", "0 0 2 1", -EINVAL },
		{ "pdp_retry", "0 1 3 8", 4 },	/* 2G deactivation 2-8 */
		{ "pdp_retry", "0 1 3 9", -EINVAL },
		{ "pdp_retry", "1 0 4 5", 4 },	/* 4G activation 5-8 */
		{ "pdp_retry", "1 0 4 8", 4 },
		{ "pdp_retry", "1 0 4 4", -EINVAL },
		{ "pdp_retry", "1 0 4 9", -EINVAL },
		{ "pdp_retry", "1 1 4 30", 4 },	/* 2G activation 5-30 */
		{ "pdp_retry", "1 1 4 31", -EINVAL },
		{ "pdp_retry", "1 1 1 10", -EINVAL },	/* counts 2-4 */
		{ "pdp_retry", "1 1 5 10", -EINVAL },
		{ "pdp_retry", "2 1 4 10", -EINVAL },
		{ "pdp_retry", "1 2 4 10", -EINVAL },
		{ "transpktsize", "  0001024  ", 1 },	/* blanks, leading zeros */
	};
	u32 v[QISOCK_QICFG_VALS];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct qisock_qicfg_opt *o =
			qc_opt(test, &qisock_dialect_ec200u, cases[i].file);

		KUNIT_EXPECT_EQ_MSG(test, qc_parse(o, cases[i].val, v), cases[i].ret,
				    "%s <- \"%s\"", cases[i].file, cases[i].val);
	}
	KUNIT_EXPECT_EQ(test, qc_parse(qc_opt(test, &qisock_dialect_ec200u,
					      "transpktsize"), "  0001024  ", v), 1);
	KUNIT_EXPECT_EQ(test, v[0], 1024u);
}

/* Nothing but blank-separated decimal numbers gets through. */
static void qicfg_parse_injection(struct kunit *test)
{
	static const char * const bad[] = {
		"", "\n", "\n\n", "5\n\n", "5\r", "5\r\n", "\"5\"", "5\"",
		"5,6", "5;", "5;AT+CFUN=0", "5\rAT+CFUN=0\r", "5\nAT", "-5",
		"+5", "0x5", "5e2", "5.0", "5\t", "\t5", "5\x7f", "\x80",
		"\xc2\xb5", "5\x1b", "five", "5 ", "1234567890",
		"4294967297",
	};
	const struct qisock_qicfg_opt *o =
		qc_opt(test, &qisock_dialect_ec200u, "transpktsize");
	static const char nul[] = { '5', '\0', '6' };
	u32 v[QISOCK_QICFG_VALS];
	char big[80];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* "5 " is fine: one value and a blank; the rest is not */
		int want = strcmp(bad[i], "5 ") ? -EINVAL : 1;

		KUNIT_EXPECT_EQ_MSG(test, qc_parse(o, bad[i], v), want,
				    "\"%s\"", bad[i]);
	}
	/* embedded NUL: the written length counts, not strlen() */
	KUNIT_EXPECT_EQ(test, qisock_qicfg_parse(o, nul, 3, v), -EINVAL);
	KUNIT_EXPECT_EQ(test, qisock_qicfg_parse(o, nul, 2, v), -EINVAL);
	KUNIT_EXPECT_EQ(test, qisock_qicfg_parse(o, nul + 1, 2, v), -EINVAL);
	/* overlong, even if it is only blanks around a good value */
	memset(big, ' ', sizeof(big));
	big[sizeof(big) - 1] = '5';
	KUNIT_EXPECT_EQ(test, qisock_qicfg_parse(o, big, sizeof(big), v), -EINVAL);
	KUNIT_EXPECT_EQ(test, qisock_qicfg_parse(o, big + 20, 60, v), 1);
}

/* ---- the module's answers ------------------------------------------------ */

static int qc_answer(const struct qisock_qicfg_opt *o, const char *resp,
		     const u32 *keys, u32 *v)
{
	return qisock_qicfg_parse_answer(o, resp, keys, v);
}

static void qicfg_answers(struct kunit *test)
{
	const struct qisock_dialect *d = &qisock_dialect_ec200u;
	const struct qisock_qicfg_opt *ka = qc_opt(test, d, "tcp_keepalive");
	const struct qisock_qicfg_opt *tw = qc_opt(test, d, "tcp_twrecycle");
	const struct qisock_qicfg_opt *pr = qc_opt(test, d, "pdp_retry");
	static const char * const bad_ka[] = {
		"+QICFG: \"tcp/keepalive\",1,60,25\n",
		"+QICFG: \"tcp/keepalive\",1,60,25,3,3\n",
		"+QICFG: \"tcp/keepalive\",1,60,x,3\n",
		"+QICFG: \"tcp/keepalive\",1,-60,25,3\n",
		"+QICFG: \"tcp/keepalive\",1,65536,25,3\n",
		"+QICFG: \"tcp/keepalive\",1,\"60\",25,3\n",
		"+QICFG: \"tcp/keepalive\",1,,25,3\n",
		"+QICFG: tcp/keepalive,1,60,25,3\n",
		"+QICFG: \"tcp/retranscfg\",1,60,25,3\n",
		"+QICFG: \"tcp/keepalive\n",
		"+QICFG:\n",
		"+QICFG: \"tcp/keepalive\",1,60,25,3\n+QICFG: \"tcp/keepalive\",0,60,25,3\n",
	};
	u32 v[QISOCK_QICFG_VALS], keys[2] = { 1, 0 };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, qc_answer(ka, "+QICFG: \"tcp/keepalive\",1,60,25,3\n",
					NULL, v), 0);
	KUNIT_EXPECT_EQ(test, v[0], 1u);
	KUNIT_EXPECT_EQ(test, v[1], 60u);
	KUNIT_EXPECT_EQ(test, v[2], 25u);
	KUNIT_EXPECT_EQ(test, v[3], 3u);
	KUNIT_EXPECT_EQ(test, qc_answer(ka, "", NULL, v), -ENODATA);
	KUNIT_EXPECT_EQ(test, qc_answer(ka, "+QIURC: x\n", NULL, v), -ENODATA);
	for (i = 0; i < ARRAY_SIZE(bad_ka); i++)
		KUNIT_EXPECT_EQ_MSG(test, qc_answer(ka, bad_ka[i], NULL, v), -EPROTO,
				    "%s", bad_ka[i]);
	/* either spelling of the note */
	KUNIT_EXPECT_EQ(test, qc_answer(tw, "+QICFG: \"tcp/twrecyle\",1\n", NULL, v), 0);
	KUNIT_EXPECT_EQ(test, qc_answer(tw, "+QICFG: \"tcp/twrecycle\",0\n", NULL, v), 0);
	KUNIT_EXPECT_EQ(test, v[0], 0u);
	/* the keys asked for, and no other */
	KUNIT_EXPECT_EQ(test, qc_answer(pr, "+QICFG: \"pdp/retry\",1,0,4,8\n", keys, v), 0);
	KUNIT_EXPECT_EQ(test, v[3], 8u);
	KUNIT_EXPECT_EQ(test, qc_answer(pr, "+QICFG: \"pdp/retry\",1,1,4,8\n", keys, v),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, qc_answer(pr, "+QICFG: \"pdp/retry\",4,8\n", keys, v),
			-EPROTO);
}

/* ---- qicfg/ of a probed modem -------------------------------------------- */

#define QC_VALS		16

/**
 * struct qc_modem - the options as the fake module holds them.
 * @key: "<name>" or "<name>,<keys>".
 * @val: its values as the module prints them ("1,60,25,3").
 * @n: entries in use.
 * @answer: if set, every query is answered with this line (and OK); ""
 *	answers OK alone.
 * @refuse: the module answers ERROR to options spelt so.
 * @qicfgs: AT+QICFG commands received.
 */
struct qc_modem {
	char key[QC_VALS][32];
	char val[QC_VALS][48];
	unsigned int n;
	const char *answer;
	const char *refuse;
	unsigned int qicfgs;
};

struct qc_ctx {
	struct qkt_fake *f;
	struct qisock_dev *qd;
	struct qc_modem m;
};

/* The entry of @key; a new one holding @def if there is none. */
static char *qc_modem_val(struct qc_modem *m, const char *key, const char *def)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return m->val[i];
	if (m->n == QC_VALS)
		return m->val[0];
	strscpy(m->key[m->n], key, sizeof(m->key[0]));
	strscpy(m->val[m->n], def, sizeof(m->val[0]));
	return m->val[m->n++];
}

/* The values given ("4") replace the leading ones of @val ("10,30"). */
static void qc_modem_write(char *val, size_t size, const char *given)
{
	const char *rest = val;
	char tmp[48];
	const char *g;

	for (g = given; rest && g; g = strchr(g + 1, ','))
		rest = strchr(rest + 1, ',');
	snprintf(tmp, sizeof(tmp), "%s%s", given, rest ? rest : "");
	strscpy(val, tmp, size);
}

/*
 * AT+QICFG="<name>"[,<values>] as a module of seed 000 answers it: a query
 * (pdp/retry: with its two keys) shows the values, a write takes them
 * (the values not given keep theirs). Ranges are the driver's business
 * here: the fake takes what it gets. Lock held.
 */
static bool qc_hook(struct qkt_fake *f, const char *cmd)
{
	struct qc_modem *m = f->hook_priv;
	char name[24], key[32], line[96], *val;
	const char *q, *args;
	size_t n;

	if (strncmp(cmd, "AT+QICFG=\"", 10))
		return false;
	m->qicfgs++;
	q = strchr(cmd + 10, '"');
	n = q ? q - (cmd + 10) : 0;
	if (!q || n >= sizeof(name) || (m->refuse && !strncmp(cmd + 10, m->refuse, n) &&
					!m->refuse[n])) {
		qkt_fake_reply_line(f, "ERROR");
		return true;
	}
	memcpy(name, cmd + 10, n);
	name[n] = '\0';
	args = q + 1;
	if (!strcmp(name, "pdp/retry") && strlen(args) >= 4) {
		snprintf(key, sizeof(key), "%s%.4s", name, args);	/* ",p,r" */
		args += 4;
	} else {
		strscpy(key, name, sizeof(key));
	}
	val = qc_modem_val(m, key, !strcmp(name, "tcp/keepalive") ? "0,60,25,3" :
			   !strcmp(name, "tcp/retranscfg") ? "8,6" :
			   !strcmp(name, "pdp/retry") ? "4,8" : "1");
	if (*args) {		/* a write */
		qc_modem_write(val, sizeof(m->val[0]), args + 1);
		qkt_fake_reply_line(f, "OK");
		return true;
	}
	if (m->answer) {
		if (*m->answer)
			qkt_fake_reply_line(f, m->answer);
	} else {
		snprintf(line, sizeof(line), "+QICFG: \"%s\"%s,%s", name,
			 key + strlen(name), val);
		qkt_fake_reply_line(f, line);
	}
	qkt_fake_reply_line(f, "OK");
	return true;
}

static int qc_init(struct kunit *test)
{
	struct qc_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct qisock_dev *qd;

	if (!c)
		return -ENOMEM;
	test->priv = c;
	c->f = qkt_fake_new(test);
	c->f->modem = true;
	c->f->hook = qc_hook;
	c->f->hook_priv = &c->m;
	qd = qisock_dev_create(NULL, "ttyKUNIT", &qkt_fake_xops, c->f);
	if (IS_ERR(qd))
		return PTR_ERR(qd);
	c->qd = qd;
	c->f->eng = &qd->eng;
	qd->cfg.at_tries = 3;
	qd->cfg.at_timeout_ms = 300;
	qd->cfg.cmd_timeout_ms = 500;
	qd->eng.quiet_ms = 20;
	qd->eng.rs.probe_ms = 50;
	if (qisock_dev_start(qd))
		return -EIO;
	if (!wait_for_completion_timeout(&qd->probe_done, 5 * HZ))
		return -ETIMEDOUT;
	qkt_fake_clear_rx(c->f);	/* the probe's NULs end strstr() */
	return 0;
}

static void qc_exit(struct kunit *test)
{
	struct qc_ctx *c = test->priv;

	if (!c)
		return;
	qkt_fake_check_records(test, c->f);
	qkt_fake_stop(c->f);
	if (c->qd)
		qisock_dev_destroy(c->qd);
}

/* What reading qicfg/@file shows ("" and the errno in *ret on failure). */
static const char *qc_show(struct kunit *test, const char *file, ssize_t *ret)
{
	struct qc_ctx *c = test->priv;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	*ret = qisock_qicfg_show(c->qd, qc_opt(test, c->qd->dialect, file), buf);
	return *ret < 0 ? "" : buf;
}

static ssize_t qc_store(struct kunit *test, const char *file, const char *val)
{
	struct qc_ctx *c = test->priv;

	return qisock_qicfg_store(c->qd, qc_opt(test, c->qd->dialect, file), val,
				  strlen(val));
}

/* The AT+QICFG commands the fake has seen so far. */
static unsigned int qc_sent(struct qc_ctx *c)
{
	unsigned int n;

	spin_lock(&c->f->lock);
	n = c->m.qicfgs;
	spin_unlock(&c->f->lock);
	return n;
}

/* Written, sent as the note spells it, read back from the module. */
static void qicfg_dev_write_read(struct kunit *test)
{
	struct qc_ctx *c = test->priv;
	ssize_t ret;

	KUNIT_ASSERT_NOT_NULL(test, c->qd->qicfg);
	KUNIT_EXPECT_STREQ(test, qc_show(test, "transpktsize", &ret), "1\n");
	KUNIT_EXPECT_EQ(test, qc_store(test, "transpktsize", "512\n"), 4);
	KUNIT_EXPECT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QICFG=\"transpktsize\",512\r"));
	KUNIT_EXPECT_STREQ(test, qc_show(test, "transpktsize", &ret), "512\n");
	KUNIT_EXPECT_EQ(test, qc_store(test, "tcp_keepalive", "1 120 50 5"), 10);
	KUNIT_EXPECT_STREQ(test, qc_show(test, "tcp_keepalive", &ret), "1 120 50 5\n");
	KUNIT_EXPECT_EQ(test, qc_store(test, "tcp_keepalive", "0"), 1);
	KUNIT_EXPECT_STREQ(test, qc_show(test, "tcp_keepalive", &ret), "0 120 50 5\n");
	/* one line per <pdpmode> <ratmode>, keys first */
	KUNIT_EXPECT_EQ(test, qc_store(test, "pdp_retry", "1 1 3 20"), 8);
	KUNIT_EXPECT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QICFG=\"pdp/retry\",1,1,3,20\r"));
	KUNIT_EXPECT_STREQ(test, qc_show(test, "pdp_retry", &ret),
			   "0 0 4 8\n0 1 4 8\n1 0 4 8\n1 1 3 20\n");
	/* the module refuses one spelling of the note: the other one */
	c->m.refuse = "tcp/twrecycle";
	KUNIT_EXPECT_EQ(test, qc_store(test, "tcp_twrecycle", "1"), 1);
	KUNIT_EXPECT_TRUE(test, qkt_fake_wait_rx(c->f, "AT+QICFG=\"tcp/twrecyle\",1\r"));
	KUNIT_EXPECT_STREQ(test, qc_show(test, "tcp_twrecycle", &ret), "1\n");
}

/* Refused before anything is sent; a refusal of the module is an error. */
static void qicfg_dev_refused(struct kunit *test)
{
	static const char * const bad[][2] = {
		{ "transpktsize", "1461" }, { "transpktsize", "5\r\nAT" },
		{ "transpktsize", "\"5\"" }, { "tcp_keepalive", "1 60" },
		{ "pdp_retry", "1 0 4 9" }, { "qisend_timeout", "121" },
	};
	struct qc_ctx *c = test->priv;
	unsigned int i, sent = qc_sent(c);

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, qc_store(test, bad[i][0], bad[i][1]),
				    -EINVAL, "%s <- %s", bad[i][0], bad[i][1]);
	/* pinned: the driver parses what they select */
	KUNIT_EXPECT_EQ(test, qc_store(test, "dataformat", "0 0"), -EPERM);
	KUNIT_EXPECT_EQ(test, qc_store(test, "recvind", "1"), -EPERM);
	KUNIT_EXPECT_EQ(test, qc_sent(c), sent);
	/* the module says ERROR (both spellings): the write fails */
	c->m.refuse = "transwaittm";
	KUNIT_EXPECT_LT(test, qc_store(test, "transwaittm", "7"), 0);
	KUNIT_EXPECT_EQ(test, qc_sent(c), sent + 1);
}

/* Malformed answers are errors; pinned options without a line: the pin. */
static void qicfg_dev_answers(struct kunit *test)
{
	struct qc_ctx *c = test->priv;
	ssize_t ret;

	/* a control byte: the parser drops the line */
	c->m.answer = "+QICFG: \"transpktsize\",1\x1b,2";
	KUNIT_EXPECT_STREQ(test, qc_show(test, "transpktsize", &ret), "");
	KUNIT_EXPECT_EQ(test, ret, -EPROTO);
	c->m.answer = "+QICFG: \"transpktsize\",abc";
	qc_show(test, "transpktsize", &ret);
	KUNIT_EXPECT_EQ(test, ret, -EPROTO);
	c->m.answer = "+QICFG: \"transwaittm\",2";	/* another option */
	qc_show(test, "transpktsize", &ret);
	KUNIT_EXPECT_EQ(test, ret, -EPROTO);
	c->m.answer = "";				/* OK alone */
	qc_show(test, "transpktsize", &ret);
	KUNIT_EXPECT_EQ(test, ret, -EPROTO);
	/* seed 000: "[+QICFG: "recvind",<show_length>] OK" */
	KUNIT_EXPECT_STREQ(test, qc_show(test, "recvind", &ret), "0\n");
	KUNIT_EXPECT_STREQ(test, qc_show(test, "dataformat", &ret), "0 0\n");
	/* the module's own answer again: what the probe pinned */
	c->m.answer = NULL;
	KUNIT_EXPECT_STREQ(test, qc_show(test, "dataformat", &ret), "0 0\n");
}

/* After RDY the probe sends again what was written, before "ready". */
static void qicfg_dev_restore(struct kunit *test)
{
	static const char * const want[] = {
		"AT+QISTATE?|",
		"AT+QICFG=\"tcp/retranscfg\",4,30|",
		"AT+QICFG=\"pdp/retry\",0,1,2,7|",
		"AT+QIGETERROR|",	/* the refusal's code (qisock_at_qierr.c) */
		"AT+QICFG=\"transpktsize\",100|",
	};
	struct qc_ctx *c = test->priv;
	const char *p;
	unsigned int i;
	ssize_t ret;

	KUNIT_EXPECT_EQ(test, qc_store(test, "tcp_retranscfg", "10 30"), 5);
	KUNIT_EXPECT_EQ(test, qc_store(test, "tcp_retranscfg", "4"), 1);
	KUNIT_EXPECT_EQ(test, qc_store(test, "pdp_retry", "0 1 2 7"), 7);
	KUNIT_EXPECT_EQ(test, qc_store(test, "transpktsize", "100"), 3);
	/* the module restarts and forgets; it refuses one: the rest goes on */
	spin_lock(&c->f->lock);
	c->m.refuse = "pdp/retry";
	c->m.n = 0;
	c->f->log[0] = '\0';
	spin_unlock(&c->f->lock);
	qkt_fake_clear_rx(c->f);
	reinit_completion(&c->qd->probe_done);
	qisock_dev_receive(c->qd, "\r\nRDY\r\n", 7);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->qd->probe_done, 5 * HZ),
			0ul);
	KUNIT_EXPECT_STREQ(test, qisock_state_name(qisock_dev_state(c->qd)), "ready");
	/* after the pinning, in the order written; the whole of a partial one */
	p = strstr(c->f->log, "AT+QISTATE?|");
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_EXPECT_EQ_MSG(test, strncmp(p, want[i], strlen(want[i])), 0,
				    "%s instead of %s", p, want[i]);
		p += strnlen(p, strlen(want[i]));
	}
	KUNIT_EXPECT_STREQ(test, p, "");
	/* what the module took, as written before the restart */
	c->m.refuse = NULL;
	KUNIT_EXPECT_STREQ(test, qc_show(test, "tcp_retranscfg", &ret), "4 30\n");
	KUNIT_EXPECT_STREQ(test, qc_show(test, "transpktsize", &ret), "100\n");
}

static struct kunit_case qisock_qicfg_cases[] = {
	KUNIT_CASE(qicfg_table_rows),
	KUNIT_CASE(qicfg_table_pinned),
	KUNIT_CASE(qicfg_parse_ranges),
	KUNIT_CASE(qicfg_parse_counts),
	KUNIT_CASE(qicfg_parse_injection),
	KUNIT_CASE(qicfg_answers),
	KUNIT_CASE(qicfg_dev_write_read),
	KUNIT_CASE(qicfg_dev_refused),
	KUNIT_CASE(qicfg_dev_answers),
	KUNIT_CASE(qicfg_dev_restore),
	{}
};

static struct kunit_suite qisock_qicfg_suite = {
	.name = "qisock_qicfg",
	.init = qc_init,
	.exit = qc_exit,
	.test_cases = qisock_qicfg_cases,
};

kunit_test_suites(&qisock_qicfg_suite);
