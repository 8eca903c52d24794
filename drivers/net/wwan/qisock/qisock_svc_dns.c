// SPDX-License-Identifier: GPL-2.0
/*
 * qisock service: DNS lookup, QISOCK_IOC_RESOLVE (AT+QIDNSGIP).
 *
 *   AT+QIDNSGIP=<contextID>,"<hostname>"
 *   OK
 *   +QIURC: "dnsgip",<err>,<IP_count>,<DNS_ttl>
 *   +QIURC: "dnsgip","<hostIPaddr>"          (<IP_count> times)
 *
 * On failure the first line is "+QIURC: "dnsgip",<err>" alone. The seed
 * gives 60 s as the maximum response time. Rules for locks and lifetime
 * are in qisock_svc.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "qisock.h"

/* The seed's maximum response time of AT+QIDNSGIP (EC200U; BC66: 300 ms). */
#define QISOCK_DNS_MS		60000
/* More addresses than any name has: a count beyond is malformed. */
#define QISOCK_DNS_COUNT_MAX	255

static int dns_check(const struct qisock_dialect *d,
		     const union qisock_svc_arg *in)
{
	const struct qisock_resolve *q = &in->dns;

	return qisock_svc_check_common(d, q->context_id, q->host, q->reserved,
				       ARRAY_SIZE(q->reserved));
}

static void dns_key(union qisock_svc_arg *key, const union qisock_svc_arg *in)
{
	key->dns.context_id = in->dns.context_id;
	qisock_svc_copy_host(key->dns.host, in->dns.host);
}

static struct qat_cmd *dns_cmd(const struct qisock_dialect *d,
			       const union qisock_svc_arg *in)
{
	return qisock_svc_cmd("AT+QIDNSGIP=%u,\"%s\"", in->dns.context_id,
			      in->dns.host);
}

static unsigned int dns_timeout_ms(const struct qisock_dialect *d,
				   const union qisock_svc_arg *in)
{
	return QISOCK_DNS_MS;
}

/* The first line: <err>[,<IP_count>,<DNS_ttl>]. */
static int dns_header(struct qisock_svc_req *r, const struct qp_arg *a, int n)
{
	struct qisock_resolve *o = &r->out.dns;
	int err = qisock_urc_int(a, n, 0, 0, 999);

	if (err < 0)
		return -EPROTO;
	if (err) {
		o->module_error = err;
		return 1;
	}
	if (n != 3 || qisock_urc_int(a, n, 1, 0, QISOCK_DNS_COUNT_MAX) < 0 ||
	    !a[2].is_int || a[2].v < 0 || a[2].v > U32_MAX)
		return -EPROTO;
	o->total = a[1].v;
	o->ttl = a[2].v;
	r->hdr = true;
	return o->total ? 0 : 1;
}

static int dns_parse(struct qisock_svc_req *r, const struct qp_arg *a, int n)
{
	struct qisock_resolve *o = &r->out.dns;

	if (!r->hdr)
		return dns_header(r, a, n);
	if (n != 1 || a[0].is_int)
		return -EPROTO;
	if (o->count < QISOCK_RESOLVE_MAX) {
		if (qisock_svc_addr(o->addr[o->count], &a[0]))
			return -EPROTO;
		o->count++;
	}
	return ++r->got >= o->total;
}

const struct qisock_svc_ops qisock_svc_dns_ops = {
	.size		= sizeof(struct qisock_resolve),
	.urc		= QP_URC_DNSGIP,
	.check		= dns_check,
	.key		= dns_key,
	.cmd		= dns_cmd,
	.timeout_ms	= dns_timeout_ms,
	.parse		= dns_parse,
};
