// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite qisock_parse: the byte parser on every response and URC
 * form of both seeds, every split of the input, binary blocks, overlong
 * lines and garbage; the dialect tables.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qisock_kunit_fake.h"

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
	int n = qisock_parse_line_args(l, a, 4);

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
		rec_printf(r, "%s(%d) %s\n", qisock_parse_code_name(l->code), l->err,
			   l->text);
	else
		rec_printf(r, "%s %s\n", qisock_parse_code_name(l->code), l->text);
	qisock_parse_expect_block(&r->p, rec_block_len(l));
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
	qisock_parse_init(&r->p, &rec_ops, r, qisock_parse_common_lines);
	qisock_parse_set_dialect(&r->p, dialect ? dialect->lines : NULL);
	return r;
}

static void rec_reset(struct rec *r)
{
	r->len = 0;
	r->out[0] = '\0';
	rec_in_data = false;
	qisock_parse_reset(&r->p);
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
			qisock_parse_feed(&r->p, in + i, 1);
	} else if (split > 1 && split < len) {
		qisock_parse_feed(&r->p, in, split);
		qisock_parse_feed(&r->p, in + split, len - split);
	} else {
		qisock_parse_feed(&r->p, in, len);
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
	/* not in seed 001; a network may drop the bearer all the same */
	{ "\r\n+QIURC: \"pdpdeact\",1\r\n",
	  "PDPDEACT +QIURC: \"pdpdeact\",1\n" },
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
	qisock_parse_reset(&r->p);
	KUNIT_EXPECT_EQ(test, r->p.len, 0);
}

static void parse_split_args(struct kunit *test)
{
	struct qp_arg a[QP_MAX_ARGS];
	const char *s;
	int n;

	s = "0,\"TCP\",\"1.2.3.4\",-5,,\"a,b\" , 7 ";
	n = qisock_parse_split_args(s, strlen(s), a, QP_MAX_ARGS);
	KUNIT_ASSERT_EQ(test, n, 7);
	KUNIT_EXPECT_TRUE(test, a[0].is_int && a[0].v == 0);
	KUNIT_EXPECT_TRUE(test, a[1].quoted && qisock_parse_arg_is(&a[1], "TCP"));
	KUNIT_EXPECT_TRUE(test, qisock_parse_arg_is(&a[2], "1.2.3.4"));
	KUNIT_EXPECT_TRUE(test, a[3].is_int && a[3].v == -5);
	KUNIT_EXPECT_TRUE(test, a[4].len == 0 && !a[4].is_int);
	KUNIT_EXPECT_TRUE(test, a[5].quoted && qisock_parse_arg_is(&a[5], "a,b"));
	KUNIT_EXPECT_TRUE(test, a[6].is_int && a[6].v == 7);

	s = "1,\"unterminated";
	KUNIT_EXPECT_EQ(test, qisock_parse_split_args(s, strlen(s), a, QP_MAX_ARGS), -1);
	KUNIT_EXPECT_EQ(test, qisock_parse_split_args("", 0, a, QP_MAX_ARGS), 0);
	s = "1,2,3,4,5";
	KUNIT_EXPECT_EQ(test, qisock_parse_split_args(s, strlen(s), a, 3), 3);
	s = "12345678901234567890";	/* too long for an integer */
	KUNIT_EXPECT_EQ(test, qisock_parse_split_args(s, strlen(s), a, 1), 1);
	KUNIT_EXPECT_FALSE(test, a[0].is_int);
}

static void classify(const struct qp_entry *const *tables,
		     struct qp_line *l, const char *s)
{
	qisock_parse_classify(tables, s, strlen(s), l);
}

static void parse_classify_tables(struct kunit *test)
{
	const struct qp_entry *common[] = { qisock_parse_common_lines, NULL };
	const struct qp_entry *ec[] = { qisock_dialect_ec200u.lines,
					qisock_parse_common_lines, NULL };
	const struct qp_entry *bc[] = { qisock_dialect_bc66.lines,
					qisock_parse_common_lines, NULL };
	struct qp_line l;
	const char *s;

	s = "+QIURC: \"pdpdeact\",1";
	classify(common, &l, s);
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_OTHER);
	classify(ec, &l, s);
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_PDPDEACT);
	KUNIT_EXPECT_STREQ(test, l.text + l.args, "1");
	classify(bc, &l, s);	/* the BC66 loses its "+IP:" by it too */
	KUNIT_EXPECT_EQ(test, l.code, QP_URC_PDPDEACT);
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

kunit_test_suites(&qisock_parse_suite);
