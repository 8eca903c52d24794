// SPDX-License-Identifier: GPL-2.0
/*
 * qisock service: NTP time, QISOCK_IOC_NTP (EC200U AT+QNTP, BC66
 * AT+QNTTP).
 *
 *   AT+QNTP=<contextID>,"<server>",<port>,0,<retry_cnt>,<retry_interval_tm>
 *   AT+QNTTP=<contextID>,"<server>",<port>,0                       (BC66)
 *   OK
 *   +QNTP: <err>[,"<time>"]
 *
 * <autosettime> is always 0: the driver never sets a clock. <time> is
 * "YYYY/MM/DD,hh:mm:ss+zz" (EC200U), "YY/MM/DD,hh:mm:ss+zz" (BC66, whose
 * note also shows hundredths: "19/06/11,11:08:20:35+32"); zz is the zone
 * in quarters of an hour, the fields are local time. The EC200U note
 * gives "at most 125 seconds" and, with the retry arguments, up to 700 s:
 * the time-out is the larger of 125 s and every try's interval. Rules for
 * locks and lifetime are in qisock_svc.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "qisock.h"
#include "qisock_compat.h"

#define QISOCK_NTP_PORT_DEF	123
#define QISOCK_NTP_RETRY_DEF	3
#define QISOCK_NTP_IVAL_DEF	15
#define QISOCK_NTP_MS		125000
#define QISOCK_NTP_MAX_MS	700000

static int ntp_check(const struct qisock_dialect *d,
		     const union qisock_svc_arg *in)
{
	const struct qisock_ntp *q = &in->ntp;

	if (q->port > 65535 || q->retry_count > 10 ||
	    (q->retry_interval && q->retry_interval < 5) ||
	    q->retry_interval > 60)
		return -EINVAL;
	if (!d->ntp_retry && (q->retry_count || q->retry_interval))
		return -EINVAL;
	return qisock_svc_check_common(d, q->context_id, q->server,
				       q->reserved, ARRAY_SIZE(q->reserved));
}

static void ntp_key(union qisock_svc_arg *key, const union qisock_svc_arg *in)
{
	key->ntp.context_id = in->ntp.context_id;
	key->ntp.port = in->ntp.port;
	key->ntp.retry_count = in->ntp.retry_count;
	key->ntp.retry_interval = in->ntp.retry_interval;
	qisock_svc_copy_host(key->ntp.server, in->ntp.server);
}

static u32 ntp_retries(const struct qisock_ntp *q)
{
	return q->retry_count ? q->retry_count : QISOCK_NTP_RETRY_DEF;
}

static u32 ntp_interval(const struct qisock_ntp *q)
{
	return q->retry_interval ? q->retry_interval : QISOCK_NTP_IVAL_DEF;
}

static struct qat_cmd *ntp_cmd(const struct qisock_dialect *d,
			       const union qisock_svc_arg *in)
{
	const struct qisock_ntp *q = &in->ntp;
	u32 port = q->port ? q->port : QISOCK_NTP_PORT_DEF;

	if (d->ntp_retry)
		return qisock_svc_cmd("%s=%u,\"%s\",%u,0,%u,%u", d->ntp_cmd,
				      q->context_id, q->server, port,
				      ntp_retries(q), ntp_interval(q));
	return qisock_svc_cmd("%s=%u,\"%s\",%u,0", d->ntp_cmd, q->context_id,
			      q->server, port);
}

static unsigned int ntp_timeout_ms(const struct qisock_dialect *d,
				   const union qisock_svc_arg *in)
{
	u32 ms = (ntp_retries(&in->ntp) + 1) * ntp_interval(&in->ntp) * 1000;

	return clamp_t(u32, ms, QISOCK_NTP_MS, QISOCK_NTP_MAX_MS);
}

/* @min..@max decimal digits at *@p into *@v, then @sep (0: none). */
static bool ntp_num(const char **p, const char *end, unsigned int min,
		    unsigned int max, char sep, int *v)
{
	unsigned int k = 0;

	*v = 0;
	while (*p < end && k < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	if (k < min)
		return false;
	if (!sep)
		return true;
	if (*p >= end || **p != sep)
		return false;
	(*p)++;
	return true;
}

static bool ntp_date_ok(int y, int mon, int day)
{
	static const u8 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;

	if (mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1])
		return false;
	return mon != 2 || day < 29 || leap;
}

/**
 * qisock_svc_ntp_time() - the module's NTP <time> in seconds since 1970.
 * @s: the text, without quotes.
 * @len: its length.
 * @t: seconds since 1970-01-01 00:00:00 UTC.
 * @tzq: the zone, quarters of an hour east of UTC (-48..+56).
 *
 * "YYYY/MM/DD,hh:mm:ss+zz", or with a two-digit year (20YY) and
 * optionally hundredths ("hh:mm:ss:cc") as the BC66 note shows it.
 *
 * Return: 0, or -EPROTO for anything else, or a field out of range (a
 * year before 1970 included).
 */
int qisock_svc_ntp_time(const char *s, size_t len, time64_t *t, int *tzq)
{
	const char *p = s, *end = s + len;
	int y, mon, day, h, min, sec, cs, zz;
	bool neg;

	if (!ntp_num(&p, end, 2, 4, '/', &y) || (p - s != 3 && p - s != 5) ||
	    !ntp_num(&p, end, 1, 2, '/', &mon) ||
	    !ntp_num(&p, end, 1, 2, ',', &day) ||
	    !ntp_num(&p, end, 1, 2, ':', &h) ||
	    !ntp_num(&p, end, 1, 2, ':', &min) ||
	    !ntp_num(&p, end, 1, 2, 0, &sec))
		return -EPROTO;
	/* BC66's hundredths */
	if (p < end && *p == ':') {
		p++;
		if (!ntp_num(&p, end, 1, 2, 0, &cs))
			return -EPROTO;
	}
	if (p >= end || (*p != '+' && *p != '-'))
		return -EPROTO;
	neg = *p++ == '-';
	if (!ntp_num(&p, end, 1, 2, 0, &zz) || p != end)
		return -EPROTO;
	if (s[2] == '/')	/* a two-digit year */
		y += 2000;
	if (neg)
		zz = -zz;
	/* no year before the epoch: mktime64() takes an unsigned year */
	if (y < 1970 || !ntp_date_ok(y, mon, day) || h > 23 || min > 59 || sec > 59 ||
	    zz < -48 || zz > 56)
		return -EPROTO;
	*tzq = zz;
	*t = mktime64(y, mon, day, h, min, sec) - (time64_t)zz * 15 * 60;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_svc_ntp_time);

static int ntp_parse(struct qisock_svc_req *r, const struct qp_arg *a, int n)
{
	struct qisock_ntp *o = &r->out.ntp;
	int err = qisock_urc_int(a, n, 0, 0, 999);
	time64_t t;
	int tzq;

	if (err < 0)
		return -EPROTO;
	if (err) {
		o->module_error = err;
		return 1;
	}
	if (n != 2 || a[1].is_int || a[1].len >= sizeof(o->text) ||
	    qisock_svc_ntp_time(a[1].s, a[1].len, &t, &tzq))
		return -EPROTO;
	o->time = t;
	o->tz_quarters = tzq;
	memcpy(o->text, a[1].s, a[1].len);
	o->text[a[1].len] = '\0';
	return 1;
}

const struct qisock_svc_ops qisock_svc_ntp_ops = {
	.size		= sizeof(struct qisock_ntp),
	.urc		= QP_URC_QNTP,
	.check		= ntp_check,
	.key		= ntp_key,
	.cmd		= ntp_cmd,
	.timeout_ms	= ntp_timeout_ms,
	.parse		= ntp_parse,
};
