// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: ctx<N>/dns, the DNS servers of a PDP context (AT+QIDNSCFG).
 * Reads show "<primary> <secondary>" as the module reports them; a write
 * of one or two addresses (blank-separated) sets them. The seed lets them
 * be set only while the context is active; the module says so otherwise
 * (the mapped error). IPv4 dotted quads and IPv6 text only: anything else
 * is EINVAL with nothing sent.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "qisock.h"
#include "qisock_ctx.h"

#define to_ctx(k) container_of(k, struct qisock_ctx, kobj)

/* A textual IPv4 or IPv6 address of @len bytes? */
static bool qisock_dns_addr_valid(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= QISOCK_ADDR_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isxdigit(s[i]) && s[i] != '.' && s[i] != ':')
			return false;
	return true;
}

static ssize_t dns_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct qisock_ctx *c = to_ctx(kobj);
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 256, 0, "AT+QIDNSCFG=%u", c->id);
	struct qp_arg a[3];
	const char *p;
	ssize_t ret;
	int n;

	ret = qisock_cmd_exec(c->qd, cmd);
	p = ret ? NULL : strstr(cmd->resp, "+QIDNSCFG:");
	if (!ret && !p)
		ret = -EPROTO;
	if (!ret) {
		p += strlen("+QIDNSCFG:");
		n = qisock_parse_split_args(p, strchrnul(p, '\n') - p, a, ARRAY_SIZE(a));
		ret = n == 3 ? sysfs_emit(buf, "%.*s %.*s\n", a[1].len, a[1].s,
					  a[2].len, a[2].s) : -EPROTO;
	}
	qisock_at_cmd_put(cmd);
	return ret;
}

static ssize_t dns_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	struct qisock_ctx *c = to_ctx(kobj);
	size_t len = count && buf[count - 1] == '\n' ? count - 1 : count;
	const char *sp = memchr(buf, ' ', len);
	size_t l1 = sp ? sp - buf : len, l2 = sp ? len - l1 - 1 : 0;
	struct qat_cmd *cmd;
	int ret;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (!qisock_dns_addr_valid(buf, l1) ||
	    (sp && !qisock_dns_addr_valid(sp + 1, l2)))
		return -EINVAL;
	if (sp)
		cmd = qisock_at_cmd_new(0, 0, 0, "AT+QIDNSCFG=%u,\"%.*s\",\"%.*s\"",
					c->id, (int)l1, buf, (int)l2, sp + 1);
	else
		cmd = qisock_at_cmd_new(0, 0, 0, "AT+QIDNSCFG=%u,\"%.*s\"", c->id,
					(int)l1, buf);
	ret = qisock_cmd_exec(c->qd, cmd);
	qisock_at_cmd_put(cmd);
	return ret ? ret : count;
}

struct kobj_attribute qisock_ctx_attr_dns = __ATTR_RW(dns);
