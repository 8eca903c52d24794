// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: ctx<N>/dns, the DNS servers of a PDP context (AT+QIDNSCFG).
 * Reads show "<primary> <secondary>" as the module reports them; a write
 * of one or two addresses (blank-separated) sets them. The seed lets them
 * be set only while the context is active; the module says so otherwise
 * (the mapped error). IPv4 dotted quads and IPv6 text only: anything else
 * is EINVAL with nothing sent.
 *
 * What the module accepted is kept (ctx->dns) and written again each time
 * the context comes up: a restarted module (RDY, or recovery) has
 * forgotten it, and it can only be set while the context is active.
 *
 * A context that follows registration (BC66): the seed's 2.3.11 notes.
 * Nothing is sent before "+IP:" (ENETDOWN), and only addresses of the
 * families the network gave the module in "+IP:" (EAFNOSUPPORT). Reads
 * show what the module reports: two addresses, or four (IPv4 primary and
 * secondary, IPv6 primary and secondary) in the BC66's long form.
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

/*
 * A context that follows registration: may these servers be set now?
 * Only after "+IP:" and only of the network's families (seed 2.3.11).
 */
static int qisock_dns_reg_check(struct qisock_ctx *c, const char *a1,
				size_t l1, const char *a2, size_t l2)
{
	u8 f1 = qisock_ctx_addr_fam(a1, l1), f2 = 0, fam;
	bool up;

	if (!c->reg)
		return 0;
	if (a2)
		f2 = qisock_ctx_addr_fam(a2, l2);
	if (!f1 || (a2 && !f2))
		return -EINVAL;
	spin_lock(&c->lock);
	up = c->state == QISOCK_CTX_UP;
	fam = c->fam;
	spin_unlock(&c->lock);
	if (!up)
		return -ENETDOWN;
	return (f1 | f2) & ~fam ? -EAFNOSUPPORT : 0;
}

static ssize_t dns_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct qisock_ctx *c = to_ctx(kobj);
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 256, 0, "AT+QIDNSCFG=%u", c->id);
	struct qp_arg a[5];
	const char *p;
	ssize_t ret;
	int n, i, used = 0;

	ret = qisock_cmd_exec(c->qd, cmd);
	p = ret ? NULL : strstr(cmd->resp, "+QIDNSCFG:");
	if (!ret && !p)
		ret = -EPROTO;
	if (!ret) {
		p += strlen("+QIDNSCFG:");
		n = qisock_parse_split_args(p, strchrnul(p, '\n') - p, a, ARRAY_SIZE(a));
		ret = n == 3 || n == 5 ? 0 : -EPROTO;
		for (i = 1; !ret && i < n; i++)
			used += sysfs_emit_at(buf, used, "%.*s%c", a[i].len,
					      a[i].s, i + 1 < n ? ' ' : '\n');
		if (!ret)
			ret = used;
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
	char args[sizeof(c->dns)];
	struct qat_cmd *cmd;
	int ret;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (!qisock_dns_addr_valid(buf, l1) ||
	    (sp && !qisock_dns_addr_valid(sp + 1, l2)))
		return -EINVAL;
	ret = qisock_dns_reg_check(c, buf, l1, sp ? sp + 1 : NULL, l2);
	if (ret)
		return ret;
	if (sp)
		snprintf(args, sizeof(args), "\"%.*s\",\"%.*s\"", (int)l1, buf,
			 (int)l2, sp + 1);
	else
		snprintf(args, sizeof(args), "\"%.*s\"", (int)l1, buf);
	cmd = qisock_at_cmd_new(0, 0, 0, "AT+QIDNSCFG=%u,%s", c->id, args);
	ret = qisock_cmd_exec(c->qd, cmd);
	qisock_at_cmd_put(cmd);
	if (ret)
		return ret;
	spin_lock(&c->lock);
	strscpy(c->dns, args, sizeof(c->dns));
	spin_unlock(&c->lock);
	return count;
}

/**
 * qisock_ctx_dns_restore() - @c came up: set its DNS servers again.
 * @c: the context (receive path: the command is queued, not waited for).
 *
 * A failure only warns: the context works with the network's servers.
 */
void qisock_ctx_dns_restore(struct qisock_ctx *c)
{
	char args[sizeof(c->dns)];
	struct qat_cmd *cmd;

	spin_lock(&c->lock);
	strscpy(args, c->dns, sizeof(args));
	spin_unlock(&c->lock);
	if (!args[0])
		return;
	cmd = qisock_at_cmd_new(0, 0, 0, "AT+QIDNSCFG=%u,%s", c->id, args);
	if (!cmd || qisock_at_submit(&c->qd->eng, cmd))
		dev_warn(&c->qd->dev, "ctx%u: DNS servers not set again\n", c->id);
	qisock_at_cmd_put(cmd);
}

struct kobj_attribute qisock_ctx_attr_dns = __ATTR_RW(dns);
