// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for qisock:
 *  - qisock_parse: the byte parser on every response and URC form of both
 *    seeds, every split of the input, binary blocks, overlong lines and
 *    garbage;
 *  - qisock_at: the AT engine against a hand-driven fake transport;
 *  - qisock_probe: the whole probe conversation against a fake modem;
 *  - qisock_sock: socket conversations (open, send, buffer-mode receive
 *    with backpressure, close, listener, UDP SERVICE, direct push, errors,
 *    pdpdeact, RDY) against the fake modem, URCs injected between every
 *    step, answers split byte by byte.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/mman.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock.h"
#include "qisock_kunit_util.h"
#include "qisock_parse.h"

/*
 * Parser: an event recorder that acts like the engine for binary blocks.
 */

struct rec {
	struct qp_parser p;
	char *out;
	size_t len;
	size_t size;
};

static __printf(2, 3) void rec_printf(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= r->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->out + r->len, r->size - r->len, fmt, ap);
	va_end(ap);
	r->len = min_t(size_t, r->len + n, r->size - 1);
}

static void rec_bytes(struct rec *r, const u8 *buf, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++) {
		u8 c = buf[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != ']')
			rec_printf(r, "%c", c);
		else
			rec_printf(r, "\\x%02x", c);
	}
}

/*
 * Block rules of the engine and the socket layer: a "recv" URC with a
 * length is followed by that many bytes; "+QIRD: n", "+QIRD: n,remaining"
 * (BC66) and "+QIRD: n,"ip",port" (UDP SERVICE) by n bytes; the query form
 * "+QIRD: total,read,unread" by none.
 */
static u32 rec_block_len(const struct qp_line *l)
{
	struct qp_arg a[4];
	int n = qp_line_args(l, a, 4);

	if (l->code == QP_URC_RECV && n >= 2 && a[1].is_int && a[1].v > 0)
		return a[1].v;
	if (l->code == QP_INFO && !strncmp(l->text, "+QIRD:", 6) && n >= 1 &&
	    a[0].is_int && a[0].v > 0 &&
	    (n == 1 || (n == 2 && a[1].is_int) || (n == 3 && a[1].quoted)))
		return a[0].v;
	return 0;
}

static void rec_line(void *ctx, const struct qp_line *l)
{
	struct rec *r = ctx;

	if (l->err >= 0)
		rec_printf(r, "%s(%d) %s\n", qp_code_name(l->code), l->err,
			   l->text);
	else
		rec_printf(r, "%s %s\n", qp_code_name(l->code), l->text);
	qp_expect_block(&r->p, rec_block_len(l));
}

static void rec_prompt(void *ctx)
{
	rec_printf(ctx, "PROMPT\n");
}

static bool rec_in_data;

static void rec_data(void *ctx, const u8 *buf, u32 len, bool last)
{
	struct rec *r = ctx;

	if (!rec_in_data)
		rec_printf(r, "DATA[");
	rec_in_data = !last;
	rec_bytes(r, buf, len);
	if (last)
		rec_printf(r, "]\n");
}

static const struct qp_ops rec_ops = {
	.line	= rec_line,
	.prompt	= rec_prompt,
	.data	= rec_data,
};

static struct rec *rec_new(struct kunit *test,
			   const struct qisock_dialect *dialect)
{
	struct rec *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->size = 16384;
	r->out = kunit_kzalloc(test, r->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->out);
	qp_init(&r->p, &rec_ops, r, qp_common_lines);
	qp_set_dialect(&r->p, dialect ? dialect->lines : NULL);
	return r;
}

static void rec_reset(struct rec *r)
{
	r->len = 0;
	r->out[0] = '\0';
	rec_in_data = false;
	qp_reset(&r->p);
	r->p.st = (struct qp_stats){ };
}

/* Feed @in in pieces: @split 0 = whole, 1 = byte by byte, else at @split. */
static const char *rec_run(struct rec *r, const u8 *in, size_t len,
			   size_t split)
{
	size_t i;

	rec_reset(r);
	if (split == 1) {
		for (i = 0; i < len; i++)
			qp_feed(&r->p, in + i, 1);
	} else if (split > 1 && split < len) {
		qp_feed(&r->p, in, split);
		qp_feed(&r->p, in + split, len - split);
	} else {
		qp_feed(&r->p, in, len);
	}
	rec_printf(r, "overlong=%u garbage=%u\n", r->p.st.overlong,
		   r->p.st.garbage);
	return r->out;
}

struct tpart {
	const char *in;
	const char *ev;
};

/* Every response and URC form of the EC200U/EG915U note. */
static const struct tpart ec200u_parts[] = {
	{ "\r\nRDY\r\n", "RDY RDY\n" },
	{ "ATE0\r\r\nOK\r\n", "ECHO ATE0\nOK OK\n" },
	{ "\r\n+QICFG: \"transpktsize\",(1-1460)\r\n\r\nOK\r\n",
	  "INFO +QICFG: \"transpktsize\",(1-1460)\nOK OK\n" },
	{ "\r\n+QICFG: \"dataformat\",0,0\r\n\r\nOk\r\n",
	  "INFO +QICFG: \"dataformat\",0,0\nOK Ok\n" },
	{ "\r\n+QICFG: \"pdp/retry\",1,0,4,8\r\n",
	  "INFO +QICFG: \"pdp/retry\",1,0,4,8\n" },
	{ "\r\n+QICSGP: 1,\"CMNET\",\"\",\"\",0\r\n",
	  "INFO +QICSGP: 1,\"CMNET\",\"\",\"\",0\n" },
	{ "\r\n+QIACT: 1,1,1,\"10.171.134.243\"\r\n\r\nOK\r\n",
	  "INFO +QIACT: 1,1,1,\"10.171.134.243\"\nOK OK\n" },
	{ "\r\nERROR\r\n", "ERROR ERROR\n" },
	{ "\r\nOK\r\n\r\n+QIACTEX: 1,0\r\n", "OK OK\nQIACTEX +QIACTEX: 1,0\n" },
	{ "\r\n+QIACTEX: 1,0,1,\"10.183.232.187\"\r\n",
	  "QIACTEX +QIACTEX: 1,0,1,\"10.183.232.187\"\n" },
	{ "\r\n+QIDEACTEX: 1,0\r\n", "QIDEACTEX +QIDEACTEX: 1,0\n" },
	{ "\r\n+QIDEACTEX=1,0\r\n", "QIDEACTEX +QIDEACTEX=1,0\n" },
	{ "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n", "OK OK\nQIOPEN +QIOPEN: 0,0\n" },
	{ "\r\n+QIOPEN: 1,566\r\n", "QIOPEN +QIOPEN: 1,566\n" },
	{ "\r\nCONNECT\r\n", "CONNECT CONNECT\n" },
	{ "\r\nNO CARRIER\r\n", "NO_CARRIER NO CARRIER\n" },
	{ "\r\n+QISTATE: 0,\"TCP\",\"220.180.239.212\",8009,65344,2,1,0,0,\"usbmodem\"\r\n",
	  "INFO +QISTATE: 0,\"TCP\",\"220.180.239.212\",8009,65344,2,1,0,0,\"usbmodem\"\n" },
	{ "\r\n> ", "PROMPT\n" },
	{ "\r\nSEND OK\r\n", "SEND_OK SEND OK\n" },
	{ "\r\n> ", "PROMPT\n" },
	{ "\r\nSEND FAIL\r\n", "SEND_FAIL SEND FAIL\n" },
	{ "\r\n>\r\n", "PROMPT\n" },	/* formatcfg 1: S3S4>S3S4 */
	{ "\r\n+QISEND: 0,0,10240\r\n\r\nOK\r\n",
	  "INFO +QISEND: 0,0,10240\nOK OK\n" },
	{ "\r\n+QISEND: 10,10,0\r\n", "INFO +QISEND: 10,10,0\n" },
	{ "\r\n+QISENDEX: 0,0,10230\r\n", "INFO +QISENDEX: 0,0,10230\n" },
	{ "\r\n+QIURC: \"recv\",0\r\n", "RECV +QIURC: \"recv\",0\n" },
	{ "\r\n+QIRD: 10\r\n1234567890\r\n\r\nOK\r\n",
	  "INFO +QIRD: 10\nDATA[1234567890]\nOK OK\n" },
	{ "\r\n+QIRD: 0\r\n\r\nOK\r\n", "INFO +QIRD: 0\nOK OK\n" },
	{ "\r\n+QIRD: 10,5,5\r\n\r\nOK\r\n", "INFO +QIRD: 10,5,5\nOK OK\n" },
	{ "\r\n+QIRD: 4,\"10.7.89.10\",7687\r\ntest\r\n\r\nOK\r\n",
	  "INFO +QIRD: 4,\"10.7.89.10\",7687\nDATA[test]\nOK OK\n" },
	{ "\r\n+QIURC: \"recv\",1,4\r\nabcd",
	  "RECV +QIURC: \"recv\",1,4\nDATA[abcd]\n" },
	{ "\r\n+QIURC: \"recv\",2,5,\"10.7.89.10\",7687\r\nhello\r\n",
	  "RECV +QIURC: \"recv\",2,5,\"10.7.89.10\",7687\nDATA[hello]\n" },
	{ "\r\n+QIURC: \"closed\",0\r\n", "CLOSED +QIURC: \"closed\",0\n" },
	{ "\r\n+QIURC: \"incoming full\"\r\n",
	  "INCOMING_FULL +QIURC: \"incoming full\"\n" },
	{ "\r\n+QIURC: \"incoming\",11,2,\"172.31.242.222\",54751\r\n",
	  "INCOMING +QIURC: \"incoming\",11,2,\"172.31.242.222\",54751\n" },
	{ "\r\n+QIURC: \"pdpdeact\",1\r\n",
	  "PDPDEACT +QIURC: \"pdpdeact\",1\n" },
	{ "\r\n+QIURC: \"dnsgip\",0,2,600\r\n\r\n+QIURC: \"dnsgip\",\"10.7.76.34\"\r\n",
	  "DNSGIP +QIURC: \"dnsgip\",0,2,600\nDNSGIP +QIURC: \"dnsgip\",\"10.7.76.34\"\n" },
	{ "\r\n+QPING: 0,\"61.135.169.125\",32,192,255\r\n",
	  "QPING +QPING: 0,\"61.135.169.125\",32,192,255\n" },
	{ "\r\n+QPING: 0,4,4,0,192,1128,447\r\n",
	  "QPING +QPING: 0,4,4,0,192,1128,447\n" },
	{ "\r\n+QPING: 569\r\n", "QPING +QPING: 569\n" },
	{ "\r\n+QNTP: 0,\"2021/08/17,12:11:06+32\"\r\n",
	  "QNTP +QNTP: 0,\"2021/08/17,12:11:06+32\"\n" },
	{ "\r\n+QIDNSCFG: 1,\"8.8.8.8\",\"4.4.4.4\"\r\n",
	  "INFO +QIDNSCFG: 1,\"8.8.8.8\",\"4.4.4.4\"\n" },
	{ "\r\n+QIGETERROR: 0,operation success\r\n",
	  "INFO +QIGETERROR: 0,operation success\n" },
	{ "\r\n+QISDE: 0\r\n", "INFO +QISDE: 0\n" },
	{ "\r\n+CME ERROR: 552\r\n", "CME_ERROR(552) +CME ERROR: 552\n" },
	{ "\r\n+CMS ERROR: 500\r\n", "CMS_ERROR(500) +CMS ERROR: 500\n" },
	{ NULL, NULL }
};

/* Every response and URC form of the BC66/BC66-NA note. */
static const struct tpart bc66_parts[] = {
	{ "\r\n+IP: 10.18.237.42\r\n", "IP +IP: 10.18.237.42\n" },
	{ "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n", "OK OK\nQIOPEN +QIOPEN: 0,0\n" },
	{ "\r\n+QISTATE: 0,\"TCP\",\"220.180.239.212\",8062,1234,2,1,0\r\n\r\nOK\r\n",
	  "INFO +QISTATE: 0,\"TCP\",\"220.180.239.212\",8062,1234,2,1,0\nOK OK\n" },
	{ "\r\nOK\r\n\r\nSEND OK\r\n", "OK OK\nSEND_OK SEND OK\n" },
	{ "\r\n> ", "PROMPT\n" },
	{ "\r\nOK\r\n\r\nSEND FAIL\r\n", "OK OK\nSEND_FAIL SEND FAIL\n" },
	{ "\r\n+QISEND: 10,10,0\r\n\r\nOK\r\n", "INFO +QISEND: 10,10,0\nOK OK\n" },
	{ "\r\n+QIURC: \"recv\",0\r\n", "RECV +QIURC: \"recv\",0\n" },
	{ "\r\n+QIRD: 10\r\n1234567890\r\n\r\nOK\r\n",
	  "INFO +QIRD: 10\nDATA[1234567890]\nOK OK\n" },
	{ "\r\n+QIRD: 0\r\n\r\nOK\r\n", "INFO +QIRD: 0\nOK OK\n" },
	{ "\r\n+QIRD: 10,2\r\n1234567890\r\n\r\nOK\r\n",
	  "INFO +QIRD: 10,2\nDATA[1234567890]\nOK OK\n" },
	{ "\r\n+QIURC: \"recv\",0,\"buff full\"\r\n",
	  "BUFF_FULL +QIURC: \"recv\",0,\"buff full\"\n" },
	{ "\r\n+QIURC: \"recv\",0,5\r\n12345\r\n",
	  "RECV +QIURC: \"recv\",0,5\nDATA[12345]\n" },
	{ "\r\nOK\r\n\r\nCLOSE OK\r\n", "OK OK\nCLOSE_OK CLOSE OK\n" },
	{ "\r\n+QIURC: \"closed\",0\r\n", "CLOSED +QIURC: \"closed\",0\n" },
	{ "\r\n+QPING: 0,\"47.100.63.174\",32,560,88\r\n",
	  "QPING +QPING: 0,\"47.100.63.174\",32,560,88\n" },
	{ "\r\n+QPING: 0,4,4,0,220,560,322\r\n",
	  "QPING +QPING: 0,4,4,0,220,560,322\n" },
	{ "\r\n+QNTTP: 0,\"19/06/11,11:08:20:35+32\"\r\n",
	  "QNTP +QNTTP: 0,\"19/06/11,11:08:20:35+32\"\n" },
	{ "\r\n+QNTP: 0,\"19/06/11,11:08:20:35+32\"\r\n",
	  "QNTP +QNTP: 0,\"19/06/11,11:08:20:35+32\"\n" },
	{ "\r\n+QIURC: \"dnsgip\",0,1,600\r\n\r\n+QIURC: \"dnsgip\",\"47.100.63.174\"\r\n",
	  "DNSGIP +QIURC: \"dnsgip\",0,1,600\nDNSGIP +QIURC: \"dnsgip\",\"47.100.63.174\"\n" },
	{ "\r\n+QIDNSCFG: 1,\"218.2.2.2\",\"8.8.8.8\"\r\n",
	  "INFO +QIDNSCFG: 1,\"218.2.2.2\",\"8.8.8.8\"\n" },
	{ "\r\n+QIGETERROR: 552,invalid parameters\r\n",
	  "INFO +QIGETERROR: 552,invalid parameters\n" },
	{ "\r\n+QICFG: \"showlength\",0\r\n", "INFO +QICFG: \"showlength\",0\n" },
	{ "\r\n+QIURC: \"pdpdeact\",1\r\n", "URC +QIURC: \"pdpdeact\",1\n" },
	{ "\r\nERROR\r\n", "ERROR ERROR\n" },
	{ NULL, NULL }
};

/* Concatenate a transcript's inputs and its expected events. */
static void tparts_join(struct kunit *test, const struct tpart *parts,
			char **in, size_t *in_len, char **ev)
{
	size_t il = 0, el = 0;
	const struct tpart *t;

	for (t = parts; t->in; t++) {
		il += strlen(t->in);
		el += strlen(t->ev);
	}
	*in = kunit_kzalloc(test, il + 1, GFP_KERNEL);
	*ev = kunit_kzalloc(test, el + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *in);
	KUNIT_ASSERT_NOT_NULL(test, *ev);
	for (t = parts; t->in; t++) {
		strcat(*in, t->in);
		strcat(*ev, t->ev);
	}
	strcat(*ev, "overlong=0 garbage=0\n");
	*in_len = il;
}

static void check_transcript(struct kunit *test, const struct tpart *parts,
			     const struct qisock_dialect *dialect)
{
	struct rec *r = rec_new(test, dialect);
	size_t len;
	char *in, *ev;

	tparts_join(test, parts, &in, &len, &ev);
	KUNIT_EXPECT_STREQ(test, rec_run(r, in, len, 0), ev);
}

static void parse_ec200u_forms(struct kunit *test)
{
	check_transcript(test, ec200u_parts, &qisock_dialect_ec200u);
}

static void parse_bc66_forms(struct kunit *test)
{
	check_transcript(test, bc66_parts, &qisock_dialect_bc66);
}

/* The same events whatever the chunking: at every byte, and byte by byte. */
static void check_splits(struct kunit *test, struct rec *r, const u8 *in,
			 size_t len)
{
	char *ref = kunit_kzalloc(test, r->size, GFP_KERNEL);
	size_t k;

	KUNIT_ASSERT_NOT_NULL(test, ref);
	strscpy(ref, rec_run(r, in, len, 0), r->size);
	for (k = 1; k < len; k++) {
		if (strcmp(rec_run(r, in, len, k), ref)) {
			KUNIT_FAIL(test, "split at %zu of %zu differs:\n%s\nvs\n%s",
				   k, len, r->out, ref);
			return;
		}
	}
	KUNIT_EXPECT_STREQ(test, rec_run(r, in, len, 1), ref);
}

static void parse_split_ec200u(struct kunit *test)
{
	struct rec *r = rec_new(test, &qisock_dialect_ec200u);
	size_t len;
	char *in, *ev;

	tparts_join(test, ec200u_parts, &in, &len, &ev);
	check_splits(test, r, in, len);
}

static void parse_split_bc66(struct kunit *test)
{
	struct rec *r = rec_new(test, &qisock_dialect_bc66);
	size_t len;
	char *in, *ev;

	tparts_join(test, bc66_parts, &in, &len, &ev);
	check_splits(test, r, in, len);
}

/* Binary payloads full of protocol text, NUL and CR/LF. */
static const u8 bin_in[] =
	"\r\n+QIRD: 24\r\n"
	"\r\n\r\nOK\r\n+QIURC: \"recv\",0"	/* 24 bytes of data */
	"\r\n\r\nOK\r\n"
	"\r\n+QIURC: \"recv\",3,8\r\n"
	"\0\0\r\n> \0\n"			/* 8 bytes, NULs and a '>' */
	"\r\n+QIURC: \"closed\",3\r\n"
	"\r\n+QIRD: 6,\"1.2.3.4\",99\r\n"
	"\nERROR"				/* 6 bytes: a leading LF */
	"\r\n\r\nOK\r\n"
	"\r\n+QIURC: \"recv\",1,3\r\n"
	"\r\n>"					/* 3 bytes: a prompt look-alike */
	"\r\n+QIRD: 4\r\n"
	"\r\r\r\r"				/* 4 bytes: only CRs */
	"\r\n\r\nOK\r\n";

static const char bin_ev[] =
	"INFO +QIRD: 24\n"
	"DATA[\\x0d\\x0a\\x0d\\x0aOK\\x0d\\x0a+QIURC: \"recv\",0]\n"
	"OK OK\n"
	"RECV +QIURC: \"recv\",3,8\n"
	"DATA[\\x00\\x00\\x0d\\x0a> \\x00\\x0a]\n"
	"CLOSED +QIURC: \"closed\",3\n"
	"INFO +QIRD: 6,\"1.2.3.4\",99\n"
	"DATA[\\x0aERROR]\n"
	"OK OK\n"
	"RECV +QIURC: \"recv\",1,3\n"
	"DATA[\\x0d\\x0a>]\n"
	"INFO +QIRD: 4\n"
	"DATA[\\x0d\\x0d\\x0d\\x0d]\n"
	"OK OK\n"
	"overlong=0 garbage=0\n";

static void parse_binary_blocks(struct kunit *test)
{
	struct rec *r = rec_new(test, &qisock_dialect_ec200u);

	KUNIT_EXPECT_STREQ(test, rec_run(r, bin_in, sizeof(bin_in) - 1, 0),
			   bin_ev);
	KUNIT_EXPECT_EQ(test, r->p.st.blocks, 5u);
	check_splits(test, r, bin_in, sizeof(bin_in) - 1);
}

static void parse_overlong(struct kunit *test)
{
	struct rec *r = rec_new(test, &qisock_dialect_ec200u);
	size_t n = 3000, fit = QP_LINE_MAX - 1, len = 0;
	u8 *in = kunit_kzalloc(test, 2 * n + 64, GFP_KERNEL);
	char *ev = kunit_kzalloc(test, n + 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	/* an overlong line (with a '>' and quotes in it), then OK */
	in[len++] = '\r';
	in[len++] = '\n';
	memset(in + len, 'A', n);
	in[len + 10] = '>';
	in[len + 20] = '"';
	len += n;
	memcpy(in + len, "\r\n\r\nOK\r\n", 8);
	len += 8;
	/* a line of exactly the longest length still arrives */
	memset(in + len, 'B', fit);
	len += fit;
	memcpy(in + len, "\r\nRDY\r\n", 7);
	len += 7;

	strscpy(ev, "OK OK\nINFO ", n + 64);
	memset(ev + strlen(ev), 'B', fit);
	strcat(ev, "\nRDY RDY\noverlong=1 garbage=0\n");
	KUNIT_EXPECT_STREQ(test, rec_run(r, in, len, 0), ev);
	KUNIT_EXPECT_STREQ(test, rec_run(r, in, len, 1), ev);
	KUNIT_EXPECT_STREQ(test, rec_run(r, in, len, 1500), ev);
}

static const u8 garbage_in[] =
	"\x00\xfe\x7f#@!\x1b[0m\r\n"	/* control bytes: dropped */
	"\x13\x11\r\nRDY\r\n"		/* XON/XOFF noise (skipped), RDY */
	"zz\x01zz\n"			/* bare LF ends it too */
	"\r\n\r\n\r\n"			/* blank lines: nothing */
	"\r\nOK\r\n"
	"\xff\xff\xff";			/* trailing noise, no line end */

static void parse_garbage(struct kunit *test)
{
	struct rec *r = rec_new(test, NULL);

	KUNIT_EXPECT_STREQ(test,
			   rec_run(r, garbage_in, sizeof(garbage_in) - 1, 0),
			   "RDY RDY\nOK OK\noverlong=0 garbage=2\n");
	check_splits(test, r, garbage_in, sizeof(garbage_in) - 1);
	/* the trailing noise is a pending line: a reset drops it */
	qp_reset(&r->p);
	KUNIT_EXPECT_EQ(test, r->p.len, 0);
}

static void parse_split_args(struct kunit *test)
{
	struct qp_arg a[QP_MAX_ARGS];
	const char *s;
	int n;

	s = "0,\"TCP\",\"1.2.3.4\",-5,,\"a,b\" , 7 ";
	n = qp_split_args(s, strlen(s), a, QP_MAX_ARGS);
	KUNIT_ASSERT_EQ(test, n, 7);
	KUNIT_EXPECT_TRUE(test, a[0].is_int && a[0].v == 0);
	KUNIT_EXPECT_TRUE(test, a[1].quoted && qp_arg_is(&a[1], "TCP"));
	KUNIT_EXPECT_TRUE(test, qp_arg_is(&a[2], "1.2.3.4"));
	KUNIT_EXPECT_TRUE(test, a[3].is_int && a[3].v == -5);
	KUNIT_EXPECT_TRUE(test, a[4].len == 0 && !a[4].is_int);
	KUNIT_EXPECT_TRUE(test, a[5].quoted && qp_arg_is(&a[5], "a,b"));
	KUNIT_EXPECT_TRUE(test, a[6].is_int && a[6].v == 7);

	s = "1,\"unterminated";
	KUNIT_EXPECT_EQ(test, qp_split_args(s, strlen(s), a, QP_MAX_ARGS), -1);
	KUNIT_EXPECT_EQ(test, qp_split_args("", 0, a, QP_MAX_ARGS), 0);
	s = "1,2,3,4,5";
	KUNIT_EXPECT_EQ(test, qp_split_args(s, strlen(s), a, 3), 3);
	s = "12345678901234567890";	/* too long for an integer */
	KUNIT_EXPECT_EQ(test, qp_split_args(s, strlen(s), a, 1), 1);
	KUNIT_EXPECT_FALSE(test, a[0].is_int);
}

static void classify(const struct qp_entry *const *tables,
		     struct qp_line *l, const char *s)
{
	qp_classify(tables, s, strlen(s), l);
}

static void parse_classify_tables(struct kunit *test)
{
	const struct qp_entry *common[] = { qp_common_lines, NULL };
	const struct qp_entry *ec[] = { qisock_dialect_ec200u.lines,
					qp_common_lines, NULL };
	const struct qp_entry *bc[] = { qisock_dialect_bc66.lines,
					qp_common_lines, NULL };
	struct qp_line l;
	const char *s;

	s = "+QIURC: \"pdpdeact\",1";
	classify(common, &l, s);
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_OTHER);
	classify(ec, &l, s);
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_PDPDEACT);
	KUNIT_EXPECT_STREQ(test, l.text + l.args, "1");
	classify(bc, &l, s);
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_OTHER);
	classify(bc, &l, "+IP: 10.0.0.2");
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_IP);
	classify(ec, &l, "+IP: 10.0.0.2");
	KUNIT_EXPECT_EQ(test, l.code, QP_INFO);
	classify(ec, &l, "+QIURC:\"recv\",1,10");	/* no space */
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_RECV);
	classify(ec, &l, "OKAY");
	KUNIT_EXPECT_EQ(test, l.code, QP_INFO);
	classify(ec, &l, "CONNECT 115200");
	KUNIT_EXPECT_EQ(test, l.code, QP_CONNECT);
	classify(ec, &l, "+CME ERROR: SIM not inserted");
	KUNIT_EXPECT_EQ(test, l.code, QP_CME_ERROR);
	KUNIT_EXPECT_EQ(test, l.err, -1);
	classify(ec, &l, "at+cgmm");
	KUNIT_EXPECT_EQ(test, l.code, QP_ECHO);
	classify(ec, &l, "+QIRD: 12");
	KUNIT_EXPECT_EQ(test, l.code, QP_INFO);
	KUNIT_EXPECT_STREQ(test, l.text + l.args, "12");
}

static void dialect_models(struct kunit *test)
{
	static const struct {
		const char *in;
		const char *dialect;
		const char *model;
	} cases[] = {
		{ "EC200U", "ec200u", "EC200U" },
		{ "EG915U", "ec200u", "EG915U" },
		{ "EC200U-CN", "ec200u", "EC200U" },
		{ "BC66", "bc66", "BC66" },
		{ "BC66-NA", "bc66", "BC66-NA" },
		{ "Quectel_BC66", "bc66", "BC66" },
		{ "QUECTEL BC66-NA", "bc66", "BC66-NA" },
		{ "  bc66-na ", "bc66", "BC66-NA" },
		{ "EC25", NULL, NULL },
		{ "Quectel", NULL, NULL },
		{ "BC660K", NULL, NULL },
		{ "", NULL, NULL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *canon = NULL;
		const struct qisock_dialect *d;

		d = qisock_dialect_match(cases[i].in, &canon);
		if (!cases[i].dialect) {
			KUNIT_EXPECT_NULL_MSG(test, d, "%s", cases[i].in);
			continue;
		}
		KUNIT_ASSERT_NOT_NULL_MSG(test, d, "%s", cases[i].in);
		KUNIT_EXPECT_STREQ(test, d->name, cases[i].dialect);
		KUNIT_EXPECT_STREQ(test, canon, cases[i].model);
	}
}

static struct kunit_case qisock_parse_cases[] = {
	KUNIT_CASE(parse_ec200u_forms),
	KUNIT_CASE(parse_bc66_forms),
	KUNIT_CASE(parse_split_ec200u),
	KUNIT_CASE(parse_split_bc66),
	KUNIT_CASE(parse_binary_blocks),
	KUNIT_CASE(parse_overlong),
	KUNIT_CASE(parse_garbage),
	KUNIT_CASE(parse_split_args),
	KUNIT_CASE(parse_classify_tables),
	KUNIT_CASE(dialect_models),
	{}
};

static struct kunit_suite qisock_parse_suite = {
	.name = "qisock_parse",
	.test_cases = qisock_parse_cases,
};

/*
 * Fake transport: records what the engine writes; either a test feeds the
 * answers by hand, or it answers like a modem (probe tests).
 */

#define FAKE_BUF	4096

struct fake {
	struct qat_engine *eng;
	spinlock_t lock;	/* everything below */
	wait_queue_head_t wq;
	struct work_struct reply_work;
	struct work_struct kick_work;
	bool dead;

	char rx[FAKE_BUF];	/* everything written by the host */
	size_t rx_len;
	char line[256];		/* command being assembled */
	size_t line_len;
	u8 out[FAKE_BUF];	/* pending answer bytes */
	size_t out_len;
	size_t max_write;	/* accept at most this much per write */

	/* modem behaviour (auto mode) */
	bool modem;
	bool echo;
	bool rdy;		/* RDY (and garbage) before the first answer */
	bool split;		/* deliver answers byte by byte */
	bool silent;		/* answer nothing */
	unsigned int swallow_at;	/* ignore this many "AT" */
	const char *model;
	const char *rev;
	const char *hang_on;	/* never answer this command */
	struct completion hung;
	unsigned int at_count;
	unsigned int ncmds;
	unsigned int nuls;	/* NUL bytes received */
	char log[8192];
	bool truncated;		/* rx or log is full: "not sent" proves nothing */

	/* socket commands (auto mode) */
	int open_err;		/* <err> of +QIOPEN, or -1: ERROR */
	unsigned int sendfail;	/* answer this many QISEND with SEND FAIL */
	size_t data_left;	/* QISEND data still to come */
	bool data_fail;		/* ...then SEND FAIL */
	u8 sent[8192];		/* QISEND data received (first 8 KiB) */
	size_t sent_len;	/* all of it */
	unsigned int qisends;
	size_t avail[QISOCK_SOCK_MAX];	/* bytes the module holds per socket */
	size_t off[QISOCK_SOCK_MAX];	/* bytes already read with QIRD */
	unsigned int qirds;
	unsigned int qird_zero;	/* "+QIRD: 0" answers */
	u16 dgram;		/* UDP SERVICE: datagram size per QIRD */
	const char *stale;	/* a +QISTATE: line at attach */
	const char *inject;	/* a URC sent before the next '>' / SEND OK */
	bool inject_after;	/* ...after SEND OK instead */
	size_t unacked;		/* B: AT+QISEND=N,0 reports this unacked */
	bool qisend0_err;	/* B: ...or answers ERROR */
	bool qisend_err;	/* answer QISEND with data with ERROR */
	bool open_hold;		/* D: QIOPEN answers OK, +QIOPEN never comes */
	int late_id;		/* D: the hung QIRD's connectID ... */
	size_t late_n;		/* ...answered with this many bytes, late */
	bool qird0_err;		/* D: AT+QIRD=N,0 answers ERROR */
	unsigned int bare_geterr;	/* answer this many AT+QIGETERROR "OK" only */
};

/* The module's receive data: protocol text, NULs and binary, by offset. */
static u8 fake_pat(size_t i)
{
	static const char txt[] = "\r\nOK\r\n+QIURC: \"closed\",0\r\nSEND OK\r\n> \0\xff+QIRD: 5";

	if ((i / (sizeof(txt) - 1)) % 3 == 2)
		return (u8)(i * 31 + (i >> 8));
	return txt[i % (sizeof(txt) - 1)];
}

static void fake_out(struct fake *f, const char *s)
{
	size_t n = strlen(s);

	if (f->out_len + n <= sizeof(f->out)) {
		memcpy(f->out + f->out_len, s, n);
		f->out_len += n;
	}
}

static void fake_reply_line(struct fake *f, const char *s)
{
	fake_out(f, "\r\n");
	fake_out(f, s);
	fake_out(f, "\r\n");
}

static void fake_inject(struct fake *f, bool after)
{
	if (f->inject && f->inject_after == after) {
		fake_reply_line(f, f->inject);
		f->inject = NULL;
	}
}

/* Socket commands; true if handled. Lock held. */
static bool fake_sock_command(struct fake *f, const char *cmd)
{
	unsigned int id, n, k, ctx;
	char buf[96];

	if (!strncmp(cmd, "AT+QISDE=", 9) || !strncmp(cmd, "AT+QICFG=", 9) ||
	    !strncmp(cmd, "AT+QICLOSE=", 11) ||
	    !strncmp(cmd, "AT+QIDEACT=", 11) ||
	    !strncmp(cmd, "AT+QISWTMD=", 11)) {
		fake_reply_line(f, "OK");
		return true;
	}
	if (!strcmp(cmd, "AT+QISTATE?")) {
		if (f->stale)
			fake_reply_line(f, f->stale);
		fake_reply_line(f, "OK");
		return true;
	}
	if (sscanf(cmd, "AT+QIOPEN=%u,%u,", &ctx, &id) == 2) {
		if (f->open_hold) {
			fake_reply_line(f, "OK");
			return true;
		}
		if (f->open_err < 0) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		fake_reply_line(f, "OK");
		snprintf(buf, sizeof(buf), "+QIOPEN: %u,%d", id, f->open_err);
		fake_reply_line(f, buf);
		return true;
	}
	if (sscanf(cmd, "AT+QISEND=%u,%u", &id, &n) == 2) {
		if ((!n && f->qisend0_err) || (n && f->qisend_err)) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		if (!n) {
			snprintf(buf, sizeof(buf), "+QISEND: %zu,%zu,%zu",
				 f->sent_len,
				 f->sent_len - min(f->sent_len, f->unacked),
				 f->unacked);
			fake_reply_line(f, buf);
			fake_reply_line(f, "OK");
			return true;
		}
		fake_inject(f, false);
		fake_out(f, "\r\n> ");
		f->data_left = n;
		f->data_fail = f->sendfail > 0;
		if (f->sendfail)
			f->sendfail--;
		return true;
	}
	if (sscanf(cmd, "AT+QIRD=%u,%u", &id, &n) == 2 ||
	    sscanf(cmd, "AT+QIRD=%u", &id) == 1) {
		if (!strchr(cmd, ','))
			n = 1500;
		if (id >= QISOCK_SOCK_MAX) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		if (strchr(cmd, ',') && !n && f->qird0_err) {
			fake_reply_line(f, "ERROR");
			return true;
		}
		if (strchr(cmd, ',') && !n) {
			snprintf(buf, sizeof(buf), "+QIRD: %zu,%zu,%zu",
				 f->avail[id], f->off[id],
				 f->avail[id] - f->off[id]);
			fake_reply_line(f, buf);
			fake_reply_line(f, "OK");
			return true;
		}
		f->qirds++;
		n = min_t(size_t, n, f->avail[id] - f->off[id]);
		if (f->dgram)
			n = min_t(unsigned int, n, f->dgram);
		if (!n) {
			f->qird_zero++;
			fake_reply_line(f, "+QIRD: 0");
			fake_reply_line(f, "OK");
			return true;
		}
		if (f->dgram)
			snprintf(buf, sizeof(buf), "+QIRD: %u,\"10.9.8.7\",4321",
				 n);
		else
			snprintf(buf, sizeof(buf), "+QIRD: %u", n);
		fake_reply_line(f, buf);
		for (k = 0; k < n && f->out_len < sizeof(f->out); k++)
			f->out[f->out_len++] = fake_pat(f->off[id] + k);
		f->off[id] += n;
		fake_reply_line(f, "OK");
		return true;
	}
	return false;
}

/*
 * The hung QIRD (late_n) is answered late, before the next command's answer,
 * as a module that was only slow would do. Lock held.
 */
static void fake_late_answer(struct fake *f)
{
	char buf[32];
	size_t k, id = f->late_id;

	if (!f->late_n)
		return;
	snprintf(buf, sizeof(buf), "+QIRD: %zu", f->late_n);
	fake_reply_line(f, buf);
	for (k = 0; k < f->late_n && f->out_len < sizeof(f->out); k++)
		f->out[f->out_len++] = fake_pat(f->off[id] + k);
	f->off[id] += f->late_n;
	f->late_n = 0;
	fake_reply_line(f, "OK");
}

/* A command line arrived (auto mode); lock held. */
static void fake_command(struct fake *f, const char *cmd)
{
	char buf[96];

	if (strlcat(f->log, cmd, sizeof(f->log)) >= sizeof(f->log) ||
	    strlcat(f->log, "|", sizeof(f->log)) >= sizeof(f->log))
		f->truncated = true;
	if (f->rdy && f->ncmds == 1) {
		static const char noise[] = "\xfe\0 junk\x1b\r\n";

		memcpy(f->out + f->out_len, noise, sizeof(noise) - 1);
		f->out_len += sizeof(noise) - 1;
		fake_reply_line(f, "RDY");
	}
	if (f->echo) {
		fake_out(f, cmd);
		fake_out(f, "\r");
	}
	if (f->silent || (f->hang_on && !strcmp(cmd, f->hang_on))) {
		complete(&f->hung);
		return;
	}
	fake_late_answer(f);
	if (!strcmp(cmd, "AT")) {
		f->at_count++;
		if (f->swallow_at) {
			f->swallow_at--;
			return;
		}
	} else if (!strcmp(cmd, "ATE0")) {
		f->echo = false;
	} else if (!strcmp(cmd, "ATE1")) {
		f->echo = true;
	} else if (!strcmp(cmd, "ATI")) {
		fake_reply_line(f, "Quectel");
		fake_out(f, f->model);
		snprintf(buf, sizeof(buf), "\r\nRevision: %s\r\n", f->rev);
		fake_out(f, buf);
	} else if (!strcmp(cmd, "AT+CGMM")) {
		fake_reply_line(f, f->model);
	} else if (!strcmp(cmd, "AT+CGMR")) {
		fake_reply_line(f, f->rev);
	} else if (!strcmp(cmd, "AT+QIGETERROR")) {
		if (f->bare_geterr)
			f->bare_geterr--;	/* as if a stale OK took it */
		else
			fake_reply_line(f, "+QIGETERROR: 0,operation success");
	} else if (fake_sock_command(f, cmd)) {
		return;
	} else if (strcmp(cmd, "AT+CMEE=1")) {
		fake_reply_line(f, "ERROR");
		return;
	}
	fake_reply_line(f, "OK");
}

static ssize_t fake_write(void *priv, const u8 *buf, size_t len)
{
	struct fake *f = priv;
	bool reply = false, kick = false;
	size_t i;

	spin_lock(&f->lock);
	if (f->max_write && len > f->max_write) {
		len = f->max_write;
		kick = true;
	}
	for (i = 0; i < len; i++) {
		if (f->modem && f->data_left) {
			/* QISEND data after '>' */
			if (f->sent_len < sizeof(f->sent))
				f->sent[f->sent_len] = buf[i];
			if (!f->data_fail)
				f->sent_len++;
			if (--f->data_left)
				continue;
			f->qisends++;
			fake_reply_line(f, f->data_fail ? "SEND FAIL" :
							   "SEND OK");
			fake_inject(f, true);
			reply = true;
			continue;
		}
		if (f->rx_len < sizeof(f->rx) - 1)
			f->rx[f->rx_len++] = buf[i];
		else
			f->truncated = true;
		if (!f->modem)
			continue;
		if (!buf[i]) {	/* NULs: ignored in command mode */
			f->nuls++;
			continue;
		}
		if (buf[i] == '\r') {
			f->line[f->line_len] = '\0';
			f->line_len = 0;
			f->ncmds++;
			fake_command(f, f->line);
			reply = true;
		} else if (f->line_len < sizeof(f->line) - 1) {
			f->line[f->line_len++] = buf[i];
		}
	}
	f->rx[f->rx_len] = '\0';
	if (f->dead)
		reply = false;
	if (f->dead)
		kick = false;
	spin_unlock(&f->lock);

	wake_up(&f->wq);
	if (reply)
		schedule_work(&f->reply_work);
	if (kick)
		schedule_work(&f->kick_work);	/* like write_wakeup */
	return len;
}

static const struct qisock_xport_ops fake_xops = {
	.write = fake_write,
};

static void fake_reply_work(struct work_struct *work)
{
	struct fake *f = container_of(work, struct fake, reply_work);
	u8 *buf;
	size_t n, i;

	buf = kmalloc(FAKE_BUF, GFP_KERNEL);
	if (!buf)
		return;
	spin_lock(&f->lock);
	n = f->out_len;
	memcpy(buf, f->out, n);
	f->out_len = 0;
	spin_unlock(&f->lock);

	if (f->split) {
		for (i = 0; i < n; i++)
			qat_receive(f->eng, buf + i, 1);
	} else if (n) {
		qat_receive(f->eng, buf, n);
	}
	kfree(buf);
}

static void fake_kick_work(struct work_struct *work)
{
	struct fake *f = container_of(work, struct fake, kick_work);

	qat_tx_kick(f->eng);
}

static struct fake *fake_new(struct kunit *test)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	init_waitqueue_head(&f->wq);
	INIT_WORK(&f->reply_work, fake_reply_work);
	INIT_WORK(&f->kick_work, fake_kick_work);
	init_completion(&f->hung);
	f->model = "EC200U";
	f->rev = "EC200UCNAAR02A01M08";
	return f;
}

/* Negative checks ("never sent") hold only if the records are complete. */
static void fake_check_records(struct kunit *test, struct fake *f)
{
	KUNIT_EXPECT_FALSE_MSG(test, f->truncated,
			       "the fake's command records overflowed");
}

/* Stop the fake before the engine goes: no more deliveries or kicks. */
static void fake_stop(struct fake *f)
{
	spin_lock(&f->lock);
	f->dead = true;
	spin_unlock(&f->lock);
	cancel_work_sync(&f->reply_work);
	cancel_work_sync(&f->kick_work);
}

/* Wait until the host has written @needle. */
static bool fake_wait_rx(struct fake *f, const char *needle)
{
	return wait_event_timeout(f->wq, ({
		bool found;

		spin_lock(&f->lock);
		found = strstr(f->rx, needle);
		spin_unlock(&f->lock);
		found; }), 2 * HZ) > 0;
}

static void fake_clear_rx(struct fake *f)
{
	spin_lock(&f->lock);
	f->rx_len = 0;
	f->rx[0] = '\0';
	spin_unlock(&f->lock);
}

/*
 * AT engine against the hand-driven fake.
 */

struct at_ctx {
	struct qat_engine eng;
	struct fake *f;
	spinlock_t lock;	/* urcs, push */
	char urcs[1024];	/* "CODE text\n" per URC */
	u8 push[256];		/* direct-push data */
	size_t push_len;
	unsigned int push_last;
};

static void at_urc(void *priv, const struct qp_line *l)
{
	struct at_ctx *c = priv;
	char buf[160];

	snprintf(buf, sizeof(buf), "%s %s\n", qp_code_name(l->code), l->text);
	spin_lock(&c->lock);
	strlcat(c->urcs, buf, sizeof(c->urcs));
	spin_unlock(&c->lock);
}

static void at_urc_data(void *priv, const u8 *buf, u32 len, bool last)
{
	struct at_ctx *c = priv;

	spin_lock(&c->lock);
	if (c->push_len + len <= sizeof(c->push)) {
		memcpy(c->push + c->push_len, buf, len);
		c->push_len += len;
	}
	c->push_last += last;
	spin_unlock(&c->lock);
}

static const struct qat_client_ops at_client_ops = {
	.urc		= at_urc,
	.urc_data	= at_urc_data,
};

static int at_init(struct kunit *test)
{
	struct at_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->f = fake_new(test);
	spin_lock_init(&c->lock);
	qat_init(&c->eng, &fake_xops, c->f, &at_client_ops, c, NULL);
	c->eng.quiet_ms = 50;
	c->f->eng = &c->eng;
	test->priv = c;
	return 0;
}

static void at_exit(struct kunit *test)
{
	struct at_ctx *c = test->priv;

	fake_check_records(test, c->f);
	fake_stop(c->f);
	qat_shutdown(&c->eng, -ENODEV);
	qat_destroy(&c->eng);
}

static void at_feed(struct at_ctx *c, const char *s)
{
	qat_receive(&c->eng, s, strlen(s));
}

static struct qat_cmd *at_submit(struct kunit *test, struct at_ctx *c,
				 unsigned int timeout_ms, const char *line)
{
	struct qat_cmd *cmd = qat_cmd_new(timeout_ms, 256, 0, "%s", line);

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	KUNIT_ASSERT_EQ(test, qat_submit(&c->eng, cmd), 0);
	return cmd;
}

static bool at_done(struct qat_cmd *cmd)
{
	return completion_done(&cmd->done);
}

static void at_basic(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *cmd = at_submit(test, c, 0, "AT+CGMM");

	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+CGMM\r"));
	at_feed(c, "AT+CGMM\r\r\nEC200U\r\n");	/* echo, then the answer */
	KUNIT_EXPECT_FALSE(test, at_done(cmd));
	at_feed(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd->result, QP_OK);
	KUNIT_EXPECT_STREQ(test, cmd->resp, "EC200U\n");
	KUNIT_EXPECT_STREQ(test, cmd->prefix, "+CGMM:");
	KUNIT_EXPECT_EQ(test, c->eng.st.echo, 1u);
	qat_cmd_put(cmd);
}

/* One command in flight: the next is written only after the answer. */
static void at_queue_order(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *a = at_submit(test, c, 0, "AT+A");
	struct qat_cmd *b = at_submit(test, c, 0, "AT+B");
	struct qat_cmd *d = at_submit(test, c, 0, "AT+D");

	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+A\r"));
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+A\r");
	at_feed(c, "\r\nOK\r\n");
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+B\r"));
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+A\rAT+B\r");
	at_feed(c, "\r\nERROR\r\n");
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+D\r"));
	at_feed(c, "\r\n+CME ERROR: 552\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(a), 0);
	KUNIT_EXPECT_EQ(test, qat_wait(b), -EIO);
	KUNIT_EXPECT_EQ(test, b->result, QP_ERROR);
	KUNIT_EXPECT_EQ(test, qat_wait(d), -EIO);
	KUNIT_EXPECT_EQ(test, d->result, QP_CME_ERROR);
	KUNIT_EXPECT_EQ(test, d->cme, 552);
	qat_cmd_put(a);
	qat_cmd_put(b);
	qat_cmd_put(d);
}

/* URCs between response lines and back to back go to the client. */
static void at_urc_interleave(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *cmd = at_submit(test, c, 0, "AT+QISTATE?");

	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QISTATE?\r"));
	at_feed(c, "\r\n+QISTATE: 0,\"TCP\",\"1.2.3.4\",80,0,2,1,0,0,\"uart1\"\r\n"
		   "\r\n+QIURC: \"closed\",1\r\n\r\n+QIURC: \"recv\",2\r\n"
		   "\r\n+QISTATE: 3,\"UDP\",\"1.2.3.4\",53,0,2,1,0,0,\"uart1\"\r\n"
		   "\r\nRDY\r\n\r\nOK\r\n\r\n+QIOPEN: 4,0\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), 0);
	KUNIT_EXPECT_STREQ(test, cmd->resp,
			   "+QISTATE: 0,\"TCP\",\"1.2.3.4\",80,0,2,1,0,0,\"uart1\"\n"
			   "+QISTATE: 3,\"UDP\",\"1.2.3.4\",53,0,2,1,0,0,\"uart1\"\n");
	KUNIT_EXPECT_STREQ(test, c->urcs,
			   "CLOSED +QIURC: \"closed\",1\n"
			   "RECV +QIURC: \"recv\",2\n"
			   "RDY RDY\n"
			   "QIOPEN +QIOPEN: 4,0\n");
	qat_cmd_put(cmd);
}

/* A read form claims its own URC-prefixed lines; a write form does not. */
static void at_claim_urc(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *rd = at_submit(test, c, 0, "AT+QIACTEX?");
	struct qat_cmd *wr;

	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QIACTEX?\r"));
	at_feed(c, "\r\n+QIACTEX: 1,1,1,\"10.0.0.2\"\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(rd), 0);
	KUNIT_EXPECT_STREQ(test, rd->resp, "+QIACTEX: 1,1,1,\"10.0.0.2\"\n");

	wr = at_submit(test, c, 0, "AT+QIOPEN=1,0,\"TCP\",\"1.2.3.4\",80,0,0");
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QIOPEN"));
	at_feed(c, "\r\n+QIOPEN: 5,0\r\n\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(wr), 0);
	KUNIT_EXPECT_STREQ(test, wr->resp, "");
	KUNIT_EXPECT_STREQ(test, c->urcs, "QIOPEN +QIOPEN: 5,0\n");
	qat_cmd_put(rd);
	qat_cmd_put(wr);
}

/* '>' prompt, data phase, URCs before the prompt and after SEND OK. */
static void at_prompt_data(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 0, 0, 5, "AT+QISEND=0,5");

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	memcpy(cmd->data, "he>lo", 5);
	KUNIT_ASSERT_EQ(test, qat_submit(&c->eng, cmd), 0);
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QISEND=0,5\r"));
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+QISEND=0,5\r");	/* no data yet */
	at_feed(c, "\r\n+QIURC: \"recv\",1\r\n\r\n> ");
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QISEND=0,5\rhe>lo"));
	at_feed(c, "\r\n+QIURC: \"recv\",2\r\n");	/* between '>' and SEND OK */
	KUNIT_EXPECT_FALSE(test, at_done(cmd));
	at_feed(c, "\r\nSEND OK\r\n\r\n+QIURC: \"closed\",0\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd->result, QP_SEND_OK);
	KUNIT_EXPECT_STREQ(test, c->urcs,
			   "RECV +QIURC: \"recv\",1\nRECV +QIURC: \"recv\",2\n"
			   "CLOSED +QIURC: \"closed\",0\n");
	qat_cmd_put(cmd);
}

/* BC66: OK, then SEND OK (or SEND FAIL) ends QISEND. */
static void at_bc66_send(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 0, 0, 0, "AT+QISEND=0,5,12345");

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	cmd->final_mask = QP_BIT(QP_SEND_OK) | QP_BIT(QP_SEND_FAIL) |
			  QP_BIT(QP_ERROR) | QP_BIT(QP_CME_ERROR);
	cmd->inter_mask = QP_BIT(QP_OK);
	KUNIT_ASSERT_EQ(test, qat_submit(&c->eng, cmd), 0);
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "12345\r"));
	at_feed(c, "\r\nOK\r\n");
	msleep(20);
	KUNIT_EXPECT_FALSE(test, at_done(cmd));
	at_feed(c, "\r\nSEND FAIL\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, cmd->result, QP_SEND_FAIL);
	KUNIT_EXPECT_EQ(test, cmd->seen_mask, QP_BIT(QP_OK));
	qat_cmd_put(cmd);
}

static const char qird_answer[] =
	"\r\n+QIRD: 17\r\n\r\nOK\r\n+QIURC: \"x\0\r\n\r\n\r\nOK\r\n";

/* "+QIRD: n" then exactly n bytes, whatever they hold, at every split. */
static void at_qird_block(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	size_t alen = sizeof(qird_answer) - 1, k;

	for (k = 0; k <= alen; k++) {
		struct qkt_blk_sink s = { };
		struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QIRD, 0, 64, 0, "AT+QIRD=0,17");

		KUNIT_ASSERT_NOT_NULL(test, cmd);

		cmd->blk_max = 17;
		cmd->ops = &qkt_blk_ops;
		cmd->priv = &s;
		fake_clear_rx(c->f);
		KUNIT_ASSERT_EQ(test, qat_submit(&c->eng, cmd), 0);
		KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QIRD=0,17\r"));
		qat_receive(&c->eng, qird_answer, k);
		qat_receive(&c->eng, qird_answer + k, alen - k);
		KUNIT_EXPECT_EQ(test, qat_wait(cmd), 0);
		KUNIT_EXPECT_EQ(test, s.len, 17u);
		KUNIT_EXPECT_EQ(test, s.lasts, 1u);
		KUNIT_EXPECT_EQ(test, memcmp(s.buf, "\r\nOK\r\n+QIURC: \"x\0\r\n", 17), 0);
		KUNIT_EXPECT_STREQ(test, cmd->resp, "+QIRD: 17\n");
		qat_cmd_put(cmd);
	}
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 0u);
}

/* A block the command refuses fails it; the rest of the answer drains. */
static void at_qird_refused(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qkt_blk_sink s = { };
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QIRD, 0, 64, 0, "AT+QIRD=0,100");

	KUNIT_ASSERT_NOT_NULL(test, cmd);

	cmd->blk_max = 100;
	cmd->ops = &qkt_blk_ops;
	cmd->priv = &s;
	KUNIT_ASSERT_EQ(test, qat_submit(&c->eng, cmd), 0);
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QIRD=0,100\r"));
	at_feed(c, "\r\n+QIRD: 100\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), -EMSGSIZE);
	qat_cmd_put(cmd);
}

/* Direct push: the URC's data reaches the client, not the command. */
static void at_push_data(struct kunit *test)
{
	static const char push[] =
		"\r\n+QIURC: \"recv\",3,9\r\n\0\r\nOK\r\n> \r\n"
		"+QIURC: \"recv\",4,2,\"10.0.0.9\",53\r\nOK\r\n"
		"+CEREG: 1\r\n\r\nOK\r\n";
	struct at_ctx *c = test->priv;
	struct qat_cmd *cmd = at_submit(test, c, 0, "AT+CSQ");

	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+CSQ\r"));
	qat_receive(&c->eng, push, sizeof(push) - 1);
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), 0);
	KUNIT_EXPECT_EQ(test, c->push_len, 11u);
	KUNIT_EXPECT_EQ(test, memcmp(c->push, "\0\r\nOK\r\n> OK", 11), 0);
	KUNIT_EXPECT_EQ(test, c->push_last, 2u);
	KUNIT_EXPECT_STREQ(test, c->urcs,
			   "RECV +QIURC: \"recv\",3,9\n"
			   "RECV +QIURC: \"recv\",4,2,\"10.0.0.9\",53\n"
			   "URC +CEREG: 1\n");
	KUNIT_EXPECT_STREQ(test, cmd->resp, "");
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_prompt, 0u);
	qat_cmd_put(cmd);
}

/* A time-out fails the command; a late answer is not taken for the next. */
static void at_timeout(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *a = at_submit(test, c, 100, "AT+SLOW");
	struct qat_cmd *b;
	unsigned long t0 = jiffies;

	c->eng.quiet_ms = 1000;	/* the late OK below comes well inside it */
	KUNIT_EXPECT_EQ(test, qat_wait(a), -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - t0), 90u);
	b = at_submit(test, c, 0, "AT+NEXT");
	/* resync: a probe round trip before the next command */
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+SLOW\rAT+QIGETERROR\r"));
	at_feed(c, "\r\nOK\r\n");	/* the late answer to AT+SLOW */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, at_done(b));
	/* the probe's answer: its marker line, then OK */
	at_feed(c, "\r\n+QIGETERROR: 0,operation success\r\n\r\nOK\r\n");
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+NEXT\r"));
	at_feed(c, "\r\nERROR\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(b), -EIO);
	KUNIT_EXPECT_EQ(test, c->eng.st.timeouts, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.resyncs, 1u);
	qat_cmd_put(a);
	qat_cmd_put(b);
}

/* Partial writes: the transport takes 3 bytes at a time and kicks. */
static void at_partial_write(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *cmd = qkt_cmd_ec200u(QISOCK_CMD_QISEND, 0, 0, 9, "AT+QISEND=1,9");

	KUNIT_ASSERT_NOT_NULL(test, cmd);
	memcpy(cmd->data, "123456789", 9);
	c->f->max_write = 3;
	KUNIT_ASSERT_EQ(test, qat_submit(&c->eng, cmd), 0);
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+QISEND=1,9\r"));
	at_feed(c, "\r\n> ");
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "\r123456789"));
	at_feed(c, "\r\nSEND OK\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(cmd), 0);
	qat_cmd_put(cmd);
}

/* Shutdown fails the command in flight and the queue; later submits fail. */
static void at_shutdown(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *a = at_submit(test, c, 5000, "AT+A");
	struct qat_cmd *b = at_submit(test, c, 5000, "AT+B");
	struct qat_cmd *d = qat_cmd_new(0, 0, 0, "AT+D");

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+A\r"));
	qat_shutdown(&c->eng, -ENODEV);
	KUNIT_EXPECT_EQ(test, qat_wait(a), -ENODEV);
	KUNIT_EXPECT_EQ(test, qat_wait(b), -ENODEV);
	KUNIT_EXPECT_EQ(test, qat_submit(&c->eng, d), -ENODEV);
	at_feed(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.rx_dropped, 6u);
	qat_cmd_put(a);
	qat_cmd_put(b);
	qat_cmd_put(d);
}

/* A queued command can be withdrawn; one in flight cannot. */
static void at_cancel(struct kunit *test)
{
	struct at_ctx *c = test->priv;
	struct qat_cmd *a = at_submit(test, c, 0, "AT+A");
	struct qat_cmd *b = at_submit(test, c, 0, "AT+B");

	KUNIT_ASSERT_TRUE(test, fake_wait_rx(c->f, "AT+A\r"));
	KUNIT_EXPECT_FALSE(test, qat_cancel(&c->eng, a));
	KUNIT_EXPECT_TRUE(test, qat_cancel(&c->eng, b));
	KUNIT_EXPECT_EQ(test, qat_wait(b), -ECANCELED);
	KUNIT_EXPECT_EQ(test, qat_submit(&c->eng, b), -EBUSY);
	at_feed(c, "\r\nOK\r\n");
	KUNIT_EXPECT_EQ(test, qat_wait(a), 0);
	msleep(20);
	KUNIT_EXPECT_STREQ(test, c->f->rx, "AT+A\r");
	qat_cmd_put(a);
	qat_cmd_put(b);
}

/* Lines nobody waits for are counted and dropped. */
static void at_stray(struct kunit *test)
{
	struct at_ctx *c = test->priv;

	at_feed(c, "\r\nOK\r\n\r\nhello\r\n\r\n> \r\nSEND OK\r\nAT\r\r\n");
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_final, 2u);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_info, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.stray_prompt, 1u);
	KUNIT_EXPECT_EQ(test, c->eng.st.echo, 1u);
	KUNIT_EXPECT_STREQ(test, c->urcs, "");
}

static struct kunit_case qisock_at_cases[] = {
	KUNIT_CASE(at_basic),
	KUNIT_CASE(at_queue_order),
	KUNIT_CASE(at_urc_interleave),
	KUNIT_CASE(at_claim_urc),
	KUNIT_CASE(at_prompt_data),
	KUNIT_CASE(at_bc66_send),
	KUNIT_CASE(at_qird_block),
	KUNIT_CASE(at_qird_refused),
	KUNIT_CASE(at_push_data),
	KUNIT_CASE(at_timeout),
	KUNIT_CASE(at_partial_write),
	KUNIT_CASE(at_shutdown),
	KUNIT_CASE(at_cancel),
	KUNIT_CASE(at_stray),
	{}
};

static struct kunit_suite qisock_at_suite = {
	.name = "qisock_at",
	.init = at_init,
	.exit = at_exit,
	.test_cases = qisock_at_cases,
};

/*
 * Probe: a qisock device against the fake modem.
 */

struct probe_ctx {
	struct fake *f;
	struct qisock_dev *qd;
};

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
}

static int probe_init(struct kunit *test)
{
	probe_log_build(probe_log, sizeof(probe_log), &qisock_dialect_ec200u);
	probe_log_build(probe_log_bc66, sizeof(probe_log_bc66),
			&qisock_dialect_bc66);
	struct probe_ctx *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->f = fake_new(test);
	p->f->modem = true;
	p->f->echo = true;	/* modules power up with echo on */
	test->priv = p;
	return 0;
}

static void probe_exit(struct kunit *test)
{
	struct probe_ctx *p = test->priv;

	fake_check_records(test, p->f);
	fake_stop(p->f);
	if (p->qd)
		qisock_dev_destroy(p->qd);
}

static void probe_start(struct kunit *test, struct probe_ctx *p,
			unsigned int cmd_timeout_ms)
{
	struct qisock_dev *qd = qisock_dev_create(NULL, "ttyKUNIT", &fake_xops, p->f);

	KUNIT_ASSERT_FALSE(test, IS_ERR(qd));
	p->qd = qd;
	p->f->eng = &qd->eng;
	qd->cfg.at_tries = 3;
	qd->cfg.at_timeout_ms = 300;
	qd->cfg.cmd_timeout_ms = cmd_timeout_ms;
	qd->eng.quiet_ms = 20;
	qd->eng.rs.probe_ms = 50;
	KUNIT_ASSERT_EQ(test, qisock_dev_start(qd), 0);
	KUNIT_EXPECT_STREQ(test, qisock_state_name(qisock_dev_state(qd)),
			   "probing");
}

static void probe_wait(struct kunit *test, struct probe_ctx *p)
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

static void probe_expect(struct kunit *test, struct probe_ctx *p,
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

static void probe_expect_ec200u(struct kunit *test, struct probe_ctx *p)
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
	struct probe_ctx *p = test->priv;

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
	struct probe_ctx *p = test->priv;

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
	struct probe_ctx *p = test->priv;

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
	struct probe_ctx *p = test->priv;

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
	struct probe_ctx *p = test->priv;

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
	struct probe_ctx *p = test->priv;
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
	fake_stop(p->f);
	qisock_dev_destroy(p->qd);
	p->qd = NULL;
}

/* Destroy (close) straight after attach, before the probe even ran. */
static void probe_destroy_early(struct kunit *test)
{
	struct probe_ctx *p = test->priv;

	probe_start(test, p, 500);
	fake_stop(p->f);
	qisock_dev_destroy(p->qd);
	p->qd = NULL;
}

/* RDY once ready: the module restarted, the driver probes again. */
static void probe_reprobe_on_rdy(struct kunit *test)
{
	struct probe_ctx *p = test->priv;

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
	struct probe_ctx *p = test->priv;
	struct qisock_dev **qd;
	unsigned int n = 0, i;
	struct qisock_dev *extra;

	qd = kunit_kcalloc(test, QISOCK_MAX_DEVS + 1, sizeof(*qd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, qd);
	for (i = 0; i <= QISOCK_MAX_DEVS; i++) {
		extra = qisock_dev_create(NULL, "ttyKUNIT", &fake_xops, p->f);
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
	struct probe_ctx *p = test->priv;
	struct device *port = root_device_register("qisock_kunit_port");
	struct qisock_dev *qd;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, port);
	qd = qisock_dev_create(port, "ttyKUNIT", &fake_xops, p->f);
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
	.exit = probe_exit,
	.test_cases = qisock_probe_cases,
};

/*
 * Sockets: a probed qisock device against the fake modem; user buffers
 * from kunit_vm_mmap().
 */

#define SK_UBUF		(256 * 1024)

struct sk_ctx {
	struct fake *f;
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
	qd = qisock_dev_create(NULL, "ttyKUNIT", &fake_xops, c->f);
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
	c->f = fake_new(test);
	c->f->modem = true;
	c->f->echo = true;
	test->priv = c;
	return 0;
}

static void sk_exit(struct kunit *test)
{
	struct sk_ctx *c = test->priv;

	fake_check_records(test, c->f);
	fake_stop(c->f);
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
	KUNIT_ASSERT_EQ(test, qat_simple(&c->qd->eng, 0, "AT+CMEE=1"), 0);
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
	struct qisock_sock *s = qisock_sock_claim(c->qd, id);

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

/* Read @n bytes (non-blocking, polling) and check them against fake_pat. */
static void sk_read_from(struct kunit *test, struct qisock_sock *s,
			 size_t base, size_t n, size_t chunk)
{
	struct sk_ctx *c = test->priv;
	unsigned long end = jiffies + 10 * HZ;
	size_t got = 0, i;
	ssize_t r;

	while (got < n && time_before(jiffies, end)) {
		r = qisock_sock_read(s, c->u, min(chunk, n - got), true);
		if (r == -EAGAIN) {
			usleep_range(1000, 3000);
			continue;
		}
		KUNIT_ASSERT_GT(test, r, 0l);
		KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
		for (i = 0; i < r; i++)
			if (c->k[i] != fake_pat(base + got + i))
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
		c->k[i] = fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, 3000), 0ul);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 3000, false), 3000l);
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
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_read(s, c->u, 10, true) == 0));
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLHUP);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, false), -EPIPE);
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
	s = qisock_sock_claim(c->qd, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_EQ(test, PTR_ERR(qisock_sock_claim(c->qd, 2)), -EBUSY);

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
				    -sk_errno_doc[i], "module error %u", 550 + i);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_read(a, c->u, 10, false), -ENETDOWN);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(a, c->u, 10, false), -ENETDOWN);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(a) & EPOLLERR);
	KUNIT_EXPECT_EQ(test, qisock_sock_read(b, c->u, 10, true), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QIDEACT=1|")));

	reinit_completion(&c->qd->probe_done);
	sk_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, qisock_sock_read(b, c->u, 10, false), -ENETRESET);
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
	fake_stop(c->f);
	qisock_dev_destroy(c->qd);
	c->qd = NULL;
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 10, false), -EIO);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, false), -EIO);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 50, true), -EMSGSIZE);
	r = qisock_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, (ssize_t)(sizeof(h) + 100));
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	memcpy(&h, c->k, sizeof(h));
	KUNIT_EXPECT_EQ(test, h.len, 100u);
	KUNIT_EXPECT_EQ(test, h.port, 4321u);
	KUNIT_EXPECT_STREQ(test, h.addr, "10.9.8.7");
	KUNIT_EXPECT_EQ(test, c->k[sizeof(h)], fake_pat(0));
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 4096, true),
			(ssize_t)(sizeof(h) + 100));
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 4096, true),
			(ssize_t)(sizeof(h) + 50));
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 4096, true), -EAGAIN);

	/* a datagram to a peer: the 4-argument QISEND */
	h = (struct qisock_dgram){ .len = 20, .port = 53, .addr = "10.1.2.3" };
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, &h, sizeof(h)), 0ul);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, sizeof(h) + 20, false),
			(ssize_t)(sizeof(h) + 20));
	KUNIT_EXPECT_TRUE(test, sk_log_has(c, "|AT+QISEND=6,20,\"10.1.2.3\",53|"));
	strscpy(h.addr, "1.2.3.4\",9", sizeof(h.addr));
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, &h, sizeof(h)), 0ul);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, sizeof(h) + 20, false),
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
	KUNIT_EXPECT_EQ(test, qisock_sock_accept(l, true, &acc, &n), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	sk_urc(c, "\r\n+QIURC: \"incoming\",5,2,\"10.1.1.1\",3333\r\n");
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(l) & EPOLLIN);
	KUNIT_ASSERT_EQ(test, qisock_sock_accept(l, true, &acc, &n), 0);
	KUNIT_EXPECT_EQ(test, acc.connect_id, 5);
	KUNIT_EXPECT_EQ(test, acc.port, 3333u);
	KUNIT_EXPECT_STREQ(test, acc.addr, "10.1.1.1");
	qisock_sock_info(n, &in);
	KUNIT_EXPECT_EQ(test, in.service, (u32)QISOCK_TCP_INCOMING);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_CONNECTED);
	/* the accepted connection is owned: its node is busy */
	KUNIT_EXPECT_EQ(test, PTR_ERR(qisock_sock_claim(c->qd, 5)), -EBUSY);
	c->f->avail[5] = 1000;
	sk_urc(c, "\r\n+QIURC: \"recv\",5\r\n");
	sk_read_check(test, n, 1000, 300);
	KUNIT_EXPECT_EQ(test, qisock_sock_read(l, c->u, 10, true), -EINVAL);
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
		c->k[i] = fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, 100), 0ul);
	c->f->sendfail = 2;
	/* non-blocking: handed over; SEND FAIL twice, sent the third time */
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->qisends, 3u);
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, memcmp(c->f->sent, c->k, 100), 0);
	/* blocking: waits out SEND FAIL itself */
	c->f->sendfail = 2;
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, false), 100l);
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
		KUNIT_EXPECT_EQ_MSG(test, qisock_sock_write(a, c->u, 500, false),
				    500l, "URC %s", where[i]);
		KUNIT_EXPECT_NULL(test, c->f->inject);
		sk_read_from(test, b, i * 700, 700, 4096);
		KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->qird_zero >= i + 1));
	}
	/* back to back, and a QIOPEN result for another socket */
	sk_urc(c, "\r\n+QIURC: \"closed\",1\r\n\r\n+QIOPEN: 7,0\r\n\r\n+QIURC: \"recv\",0\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_read(b, c->u, 10, true) == 0));
	KUNIT_EXPECT_EQ(test, qisock_sock_write(a, c->u, 10, false), 10l);
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
	r = qisock_sock_read(s, c->u, 4096, true);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), -EAGAIN);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(sk_log_has(c, "|AT+QISEND=0,0|")));
	/* the peer closes; more than the fifo holds stays in the module */
	c->f->avail[0] = 100000;
	sk_urc(c, "\r\n+QIURC: \"closed\",0\r\n");
	KUNIT_EXPECT_TRUE(test, SK_WAIT(c->f->off[0] == QISOCK_RX_SIZE));
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), -EPIPE);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLOUT));
	KUNIT_EXPECT_EQ(test, c->f->sent_len, 100ul);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, false), 100l);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 1600, false), 1460l);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.error, (u32)ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, qisock_sock_poll_mask(s) & EPOLLERR);
	c->f->hang_on = NULL;
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 50, false),
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
	s = qisock_sock_claim(c->qd, 3);
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
	KUNIT_EXPECT_EQ(test, PTR_ERR(qisock_sock_claim(c->qd, 12)), -EINVAL);
	s = sk_open(test, 0, QISOCK_TCP, 0, 1, "10.0.0.1", 80, 0);
	reinit_completion(&c->qd->probe_done);
	sk_urc(c, "\r\nRDY\r\n");
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, false), -ENETRESET);
	KUNIT_EXPECT_EQ(test, qisock_sock_set_mode(s, 1), -ENETRESET);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&c->qd->probe_done,
							  5 * HZ), 0ul);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, false), -ENETRESET);
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
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_read(s, c->u, 10, true) == 0));
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
	r = qisock_sock_read(s, c->u, 4096, true);
	KUNIT_ASSERT_EQ(test, r, 100l);
	KUNIT_ASSERT_EQ(test, copy_from_user(c->k, c->u, r), 0ul);
	for (i = 0; i < 100 && c->k[i] == fake_pat(i); i++)
		;
	KUNIT_EXPECT_EQ(test, i, 100ul);
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 4096, true), -EAGAIN);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 1600ull);
	sk_close(s);

	/* direct push over QAT_BLOCK_MAX: dropped and counted, no QIRD */
	s = sk_open(test, 8, QISOCK_UDP, 1, 1, "10.0.0.9", 53, 0);
	fake_clear_rx(c->f);
	sk_fix_a_block(test, "\r\n+QIURC: \"recv\",8,3000\r\n", 3000);
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.rx_dropped, 3000ull);
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 4096, true), -EAGAIN);
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
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_read(s, c->u, 10, true) ==
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
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 10, false), 0l);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 500, false), 500l);
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
	KUNIT_ASSERT_EQ(test, qisock_sock_accept(l, true, &acc, &n), 0);
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
	hold = qat_cmd_new(800, 0, 0, "AT+KUNITHOLD");
	KUNIT_ASSERT_NOT_NULL(test, hold);
	KUNIT_ASSERT_EQ(test, qat_submit(&c->qd->eng, hold), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->f->hung, HZ));

	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, false), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, false),
			-ERESTARTSYS);
	flush_signals(current);
	disallow_signal(SIGUSR1);

	KUNIT_EXPECT_EQ(test, qat_wait(hold), -ETIMEDOUT);
	qat_cmd_put(hold);
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
	hold = qat_cmd_new(800, 0, 0, "AT+KUNITHOLD");
	KUNIT_ASSERT_NOT_NULL(test, hold);
	KUNIT_ASSERT_EQ(test, qat_submit(&c->qd->eng, hold), 0);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, true), 10l);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, true), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(s) & EPOLLOUT);
	KUNIT_EXPECT_EQ(test, qisock_sock_outq(s, true), 10);
	KUNIT_EXPECT_FALSE(test, completion_done(&hold->done));

	KUNIT_EXPECT_EQ(test, qat_wait(hold), -ETIMEDOUT);
	qat_cmd_put(hold);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, true), 10l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(s) & EPOLLERR));
	qisock_sock_info(s, &in);
	KUNIT_EXPECT_EQ(test, in.state, (u32)QISOCK_SS_FAILED);
	KUNIT_EXPECT_EQ(test, in.error, (u32)EPIPE);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, true), -EPIPE);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 10, false), -EPIPE);

	KUNIT_EXPECT_EQ(test, qisock_sock_write(u, c->u, 10, true), 10l);
	KUNIT_EXPECT_TRUE(test, SK_WAIT(qisock_sock_poll_mask(u) & EPOLLERR));
	KUNIT_EXPECT_EQ(test, qisock_sock_write(u, c->u, 10, true), -EPIPE);
	KUNIT_EXPECT_FALSE(test, qisock_sock_poll_mask(u) & EPOLLERR);
	c->f->qisend_err = false;
	KUNIT_EXPECT_EQ(test, qisock_sock_write(u, c->u, 10, false), 10l);
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
		c->k[i] = fake_pat(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(c->u, c->k, 100), 0ul);
	c->f->sendfail = 1;
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), 100l);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 100, true), 100l);
	KUNIT_EXPECT_EQ(test, qisock_sock_write(s, c->u, 50, false), 50l);
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
	x = qisock_sock_claim(c->qd, 1);
	KUNIT_EXPECT_PTR_EQ(test, x, ERR_PTR(-EBUSY));
	if (!IS_ERR(x)) {
		qisock_sock_unclaim(x);
		qisock_sock_put(x);
	}
	/* still in the queue, and ACCEPT delivers it */
	KUNIT_EXPECT_EQ(test, l->accept_len, 1u);
	KUNIT_ASSERT_EQ(test, qisock_sock_accept(l, true, &acc, &n), 0);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_accept(l, true, &acc, &n), -EAGAIN);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 10, true), -EIO);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_read(s, c->u, 10, true), -EIO);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_accept(l, true, &acc, &n), -EAGAIN);
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
	KUNIT_ASSERT_EQ(test, qisock_sock_accept(l, true, &acc, &n), 0);
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
	KUNIT_EXPECT_EQ(test, qisock_sock_accept(l, true, &acc, &n), err);
	x = qisock_sock_get(c->qd, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->state, (u8)QISOCK_SS_FREE);
	KUNIT_EXPECT_FALSE(test, x->mod_held);
	qisock_sock_put(x);
	if (err == -ENETRESET)	/* RDY: the module is probed again */
		KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&c->qd->probe_done,
								    5 * HZ));
	/* a free socket for the control node: the first waiting one */
	x = qisock_sock_claim(c->qd, -1);
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

kunit_test_suites(&qisock_parse_suite, &qisock_at_suite, &qisock_probe_suite,
		  &qisock_sock_suite);
