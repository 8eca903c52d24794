// SPDX-License-Identifier: GPL-2.0
/*
 * qisock service: ping, QISOCK_IOC_PING (AT+QPING).
 *
 *   AT+QPING=<contextID>,"<host>",<timeout>,<pingnum>[,<ping_size>]
 *   OK
 *   +QPING: <result>[,"<IP_address>",<bytes>,<time>,<ttl>]   (each request)
 *   +QPING: <finresult>[,<sent>,<rcvd>,<lost>,<min>,<max>,<avg>]
 *
 * A line with one number is ambiguous in the seeds: a request that failed
 * or the final result of a ping that failed. A request that fails times
 * out (569, "operation timeout") and the summary follows; any other code
 * alone is the final result (565: the host did not resolve). So 569
 * alone, while replies are still owed, is one request's result; anything
 * else alone ends the ping. <ping_size> is BC66 only. Rules for locks and
 * lifetime are in qisock_svc.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "qisock.h"

#define QISOCK_PING_TMO_DEF	4
#define QISOCK_PING_NUM_DEF	4
#define QISOCK_PING_SIZE_DEF	32
/* 569: the module's "operation timeout", a request that got no reply. */
#define QISOCK_PING_LOST	569

static int ping_check(const struct qisock_dialect *d,
		      const union qisock_svc_arg *in)
{
	const struct qisock_ping *q = &in->ping;

	if (q->timeout > 255 || q->count > QISOCK_PING_MAX)
		return -EINVAL;
	if (q->size && (!d->ping_size || q->size < 32 || q->size > 200))
		return -EINVAL;
	return qisock_svc_check_common(d, q->context_id, q->host, q->reserved,
				       ARRAY_SIZE(q->reserved));
}

static void ping_key(union qisock_svc_arg *key,
		     const union qisock_svc_arg *in)
{
	key->ping.context_id = in->ping.context_id;
	key->ping.timeout = in->ping.timeout;
	key->ping.count = in->ping.count;
	key->ping.size = in->ping.size;
	qisock_svc_copy_host(key->ping.host, in->ping.host);
}

static u32 ping_tmo(const struct qisock_ping *q)
{
	return q->timeout ? q->timeout : QISOCK_PING_TMO_DEF;
}

static u32 ping_num(const struct qisock_ping *q)
{
	return q->count ? q->count : QISOCK_PING_NUM_DEF;
}

static struct qat_cmd *ping_cmd(const struct qisock_dialect *d,
				const union qisock_svc_arg *in)
{
	const struct qisock_ping *q = &in->ping;

	if (d->ping_size)
		return qisock_svc_cmd("AT+QPING=%u,\"%s\",%u,%u,%u",
				      q->context_id, q->host, ping_tmo(q),
				      ping_num(q),
				      q->size ? q->size : QISOCK_PING_SIZE_DEF);
	return qisock_svc_cmd("AT+QPING=%u,\"%s\",%u,%u", q->context_id,
			      q->host, ping_tmo(q), ping_num(q));
}

/* Every request may wait its whole <timeout>; the seed names no more. */
static unsigned int ping_timeout_ms(const struct qisock_dialect *d,
				    const union qisock_svc_arg *in)
{
	return ping_tmo(&in->ping) * ping_num(&in->ping) * 1000;
}

static bool ping_ints(const struct qp_arg *a, int from, int n)
{
	int i;

	for (i = from; i < n; i++)
		if (!a[i].is_int || a[i].v < 0 || a[i].v > U32_MAX)
			return false;
	return true;
}

/* The module reported a failure: only the code is kept. */
static int ping_failed(struct qisock_ping *o, u32 err)
{
	o->module_error = err;
	o->sent = 0;
	o->rcvd = 0;
	o->lost = 0;
	o->min_ms = 0;
	o->max_ms = 0;
	o->avg_ms = 0;
	o->nreplies = 0;
	memset(o->reply, 0, sizeof(o->reply));
	return 1;
}

/* One request's result; more than the replies held are counted only. */
static int ping_reply(struct qisock_svc_req *r, const struct qp_arg *a, int n)
{
	struct qisock_ping *o = &r->out.ping;
	struct qisock_ping_reply *p;

	if (o->nreplies >= QISOCK_PING_MAX)
		return -EPROTO;		/* more than <pingnum> allows */
	p = &o->reply[o->nreplies];
	p->result = a[0].v;
	if (n == 5) {
		if (!ping_ints(a, 2, 5) || qisock_svc_addr(p->addr, &a[1]))
			return -EPROTO;
		p->bytes = a[2].v;
		p->time_ms = a[3].v;
		p->ttl = a[4].v;
	}
	o->nreplies++;
	return 0;
}

static int ping_parse(struct qisock_svc_req *r, const struct qp_arg *a, int n)
{
	struct qisock_ping *o = &r->out.ping;

	if (n < 1 || !a[0].is_int || a[0].v < 0 || a[0].v > 999)
		return -EPROTO;
	if (n == 5)
		return a[0].v ? -EPROTO : ping_reply(r, a, n);
	if (n == 7) {
		if (!ping_ints(a, 1, 7))
			return -EPROTO;
		if (a[0].v)
			return ping_failed(o, a[0].v);
		o->sent = a[1].v;
		o->rcvd = a[2].v;
		o->lost = a[3].v;
		o->min_ms = a[4].v;
		o->max_ms = a[5].v;
		o->avg_ms = a[6].v;
		return 1;
	}
	if (n != 1 || !a[0].v)
		return -EPROTO;
	if (a[0].v == QISOCK_PING_LOST && o->nreplies < ping_num(&r->key.ping))
		return ping_reply(r, a, n);
	return ping_failed(o, a[0].v);
}

const struct qisock_svc_ops qisock_svc_ping_ops = {
	.size		= sizeof(struct qisock_ping),
	.urc		= QP_URC_QPING,
	.check		= ping_check,
	.key		= ping_key,
	.cmd		= ping_cmd,
	.timeout_ms	= ping_timeout_ms,
	.parse		= ping_parse,
};
