// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: a PDP context that follows network registration, the BC66's
 * context 1. The BC66 application note has no command for its context:
 * the module attaches by itself and reports "+IP: <addr>" once registered
 * (seed 2.3.1 and 2.3.11 notes: no socket and no DNS server before it).
 *
 *   state, active, address   "+IP: <addr>" (up), its loss (down):
 *                            "pdpdeact", RDY, our own AT+CFUN=0
 *   type, apn                AT+CGDCONT? / AT+CGDCONT=1,... (3GPP TS
 *                            27.007), the module's own configuration
 *
 * A change of APN or type takes effect on the next attach only, so the
 * driver re-attaches: AT+CFUN=0 (the radio off: detached, the sockets
 * gone), AT+CGDCONT=1,"<type>","<apn>" while detached, AT+CFUN=1; the
 * write returns after the last OK and "+IP:" brings the context up, as
 * +QIACTEX does on the EC200U. AT+CFUN=0/1 rather than AT+CGATT=0/1: a
 * module may refuse AT+CGDCONT on the context it is attached with while
 * only detached from the packet domain (EPS attaches with a default
 * bearer on context 1), but it always takes it with the radio off.
 *
 * At attach and after every restart the probe asks AT+CGPADDR=1, since
 * "+IP:" may have come before the line discipline listened.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "qisock.h"
#include "qisock_ctx.h"

/* AT+CGDCONT's <PDP_type>s, by the sysfs type index (ipv4, ipv6, ipv4v6) */
static const char * const qisock_ctx_pdp_types[] = {
	[1] = "IP", [2] = "IPV6", [3] = "IPV4V6",
};

/**
 * qisock_ctx_addr_fam() - the family of a textual address.
 * @s: the address.
 * @len: its length.
 *
 * Return: QISOCK_CTX_FAM_V4 (digits and dots), QISOCK_CTX_FAM_V6 (hex
 * digits and colons, dots after one colon: an IPv4-mapped one), or 0 (not
 * an address, or longer than QISOCK_ADDR_MAX - 1).
 */
u8 qisock_ctx_addr_fam(const char *s, size_t len)
{
	bool colon = false, hex = false;
	size_t i;

	if (!len || len >= QISOCK_ADDR_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			colon = true;
		else if (isxdigit(s[i]) && !isdigit(s[i]))
			hex = true;
		else if (s[i] != '.' && !isdigit(s[i]))
			return 0;
	}
	if (colon)
		return QISOCK_CTX_FAM_V6;
	return hex ? 0 : QISOCK_CTX_FAM_V4;
}

/*
 * "+IP: <addr>" (or AT+CGPADDR's): the context is up with @addr. A second
 * report of the other family (an IPv4v6 context) is added to the first.
 */
static void qisock_ctx_reg_up(struct qisock_ctx *c, const char *addr,
			      size_t len, u8 fam)
{
	size_t used;

	spin_lock(&c->lock);
	if (c->state != QISOCK_CTX_UP || (c->fam & fam)) {
		c->addr[0] = '\0';
		c->fam = 0;
	}
	used = strlen(c->addr);
	scnprintf(c->addr + used, sizeof(c->addr) - used, "%s%.*s",
		  used ? " " : "", (int)len, addr);
	c->fam |= fam;
	spin_unlock(&c->lock);
	qisock_ctx_event(c->qd, c->id, true, 0);
}

/**
 * qisock_ctx_urc_ip() - "+IP: <addr>": the module registered.
 * @qd: the modem (receive path).
 * @a: the URC's arguments.
 * @n: their number.
 *
 * The seed has no context ID in it: it is context 1, the only one. A
 * malformed address is ignored (and changes nothing).
 */
void qisock_ctx_urc_ip(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	struct qisock_ctx *c;
	u8 fam;

	if (n != 1)
		return;
	fam = qisock_ctx_addr_fam(a[0].s, a[0].len);
	c = fam ? qisock_ctx_get(qd, 1) : NULL;
	if (!c)
		return;
	if (c->reg)
		qisock_ctx_reg_up(c, a[0].s, a[0].len, fam);
	kobject_put(&c->kobj);
}

/**
 * qisock_ctx_reg_query() - AT+CGPADDR=<N>: is @c up, with which address?
 * @c: a context that follows registration (probe work; waits).
 *
 * An address makes it up; none leaves it as "+IP:" left it. A failure
 * only warns: "+IP:" still brings it up.
 */
void qisock_ctx_reg_query(struct qisock_ctx *c)
{
	static const char pfx[] = "+CGPADDR:";
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 256, 0, "AT+CGPADDR=%u", c->id);
	struct qp_arg a[3];
	const char *p;
	int ret, n, i;

	ret = qisock_cmd_exec(c->qd, cmd);
	p = ret ? NULL : strstr(cmd->resp, pfx);
	if (p) {
		p += sizeof(pfx) - 1;
		n = qisock_parse_split_args(p, strchrnul(p, '\n') - p, a,
					    ARRAY_SIZE(a));
		for (i = 1; n > 1 && a[0].is_int && a[0].v == c->id && i < n;
		     i++) {
			u8 fam = qisock_ctx_addr_fam(a[i].s, a[i].len);

			if (fam)
				qisock_ctx_reg_up(c, a[i].s, a[i].len, fam);
		}
	}
	if (ret)
		dev_warn(&c->qd->dev, "ctx%u: AT+CGPADDR failed (%d)\n", c->id,
			 ret);
	qisock_at_cmd_put(cmd);
}

/* Index of an AT+CGDCONT <PDP_type> in qisock_ctx_pdp_types, or 0. */
static unsigned int qisock_ctx_pdp_type(const struct qp_arg *a)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(qisock_ctx_pdp_types); i++)
		if (a->len == strlen(qisock_ctx_pdp_types[i]) &&
		    !strncasecmp(a->s, qisock_ctx_pdp_types[i], a->len))
			return i;
	return 0;
}

/**
 * qisock_ctx_reg_read_cfg() - AT+CGDCONT?: type and APN of @c.
 * @c: the context.
 * @cfg: filled in: type and apn; no user, password or auth.
 *
 * A context the module has no definition of is shown as the module
 * attaches with it: "IP", the network's default APN ("").
 *
 * Return: 0, -EPROTO (a line the driver cannot read: a "Non-IP" context,
 * an APN too long), or qisock_cmd_exec()'s errno.
 */
int qisock_ctx_reg_read_cfg(struct qisock_ctx *c, struct qisock_ctx_cfg *cfg)
{
	static const char pfx[] = "+CGDCONT:";
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 1024, 0, "AT+CGDCONT?");
	const char *p, *end;
	struct qp_arg a[4];
	int ret, n;

	memset(cfg, 0, sizeof(*cfg));
	cfg->type = 1;
	ret = qisock_cmd_exec(c->qd, cmd);
	for (p = ret ? NULL : cmd->resp; p && (p = strstr(p, pfx)); p = end) {
		p += sizeof(pfx) - 1;
		end = strchrnul(p, '\n');
		n = qisock_parse_split_args(p, end - p, a, ARRAY_SIZE(a));
		if (n < 3 || !a[0].is_int || a[0].v != c->id)
			continue;
		cfg->type = qisock_ctx_pdp_type(&a[1]);
		if (!cfg->type || a[2].len > QISOCK_CTX_APN_MAX)
			ret = -EPROTO;
		else
			strscpy(cfg->apn, a[2].s,
				min_t(size_t, a[2].len + 1, sizeof(cfg->apn)));
		break;
	}
	qisock_at_cmd_put(cmd);
	return ret;
}

/* One command of the re-attach, waited for; @ms: its time-out or 0. */
static int qisock_ctx_reg_exec(struct qisock_ctx *c, unsigned int ms,
			       const char *line, const char *apn,
			       unsigned int type)
{
	struct qat_cmd *cmd;
	int ret;

	if (apn)
		cmd = qisock_at_cmd_new(ms, 0, 0, "AT+CGDCONT=%u,\"%s\",\"%s\"",
					c->id, qisock_ctx_pdp_types[type], apn);
	else
		cmd = qisock_at_cmd_new(ms, 0, 0, "%s", line);
	ret = qisock_cmd_exec(c->qd, cmd);
	spin_lock(&c->lock);
	if (ret)	/* the module's <err> (+CME ERROR), else the errno */
		c->last_error = cmd && cmd->cme > 0 ? cmd->cme : ret;
	spin_unlock(&c->lock);
	qisock_at_cmd_put(cmd);
	return ret;
}

/* AT+CFUN=1 said OK: "activating", unless "+IP:" came first. */
static bool qisock_ctx_reg_attaching(struct qisock_ctx *c)
{
	bool changed;

	spin_lock(&c->lock);
	changed = c->state == QISOCK_CTX_DOWN;
	if (changed)
		c->state = QISOCK_CTX_ACTIVATING;
	spin_unlock(&c->lock);
	return changed;
}

/**
 * qisock_ctx_reg_write_cfg() - set type and APN of @c, and re-attach.
 * @c: the context (sysfs write, @c->cfg_lock held).
 * @cfg: the configuration: type and apn (validated).
 *
 * AT+CFUN=0 takes the context down (its sockets fail with ENETDOWN),
 * AT+CGDCONT writes the definition, AT+CFUN=1 attaches again; the state
 * is "activating" until "+IP:" (at most QISOCK_CTX_ACT_MS, then "down"
 * with last_error -ETIMEDOUT). The radio is switched back on even when
 * the module refused the definition.
 *
 * Return: 0 or the first failure's errno.
 */
int qisock_ctx_reg_write_cfg(struct qisock_ctx *c,
			     const struct qisock_ctx_cfg *cfg)
{
	int ret, on;

	ret = qisock_ctx_reg_exec(c, QISOCK_CTX_CFUN_MS, "AT+CFUN=0", NULL, 0);
	if (ret)
		return ret;
	qisock_ctx_event(c->qd, c->id, false, -1);
	qisock_pdp_down(c->qd, c->id);
	ret = qisock_ctx_reg_exec(c, 0, NULL, cfg->apn, cfg->type);
	on = qisock_ctx_reg_exec(c, QISOCK_CTX_CFUN_MS, "AT+CFUN=1", NULL, 0);
	if (!on && qisock_ctx_reg_attaching(c)) {
		qisock_ctx_changed(c);
		schedule_delayed_work(&c->timeout,
				      msecs_to_jiffies(QISOCK_CTX_ACT_MS));
	}
	return ret ? ret : on;
}

/* Has @c come up, or gone? */
static bool qisock_ctx_reg_settled(struct qisock_ctx *c)
{
	bool done;

	spin_lock(&c->lock);
	done = c->state == QISOCK_CTX_UP || c->gone;
	spin_unlock(&c->lock);
	return done;
}

/**
 * qisock_ctx_wait_up() - QISOCK_IOC_OPEN on context @id: wait for "+IP:".
 * @qd: the modem.
 * @id: the <contextID> (validated against the dialect).
 * @nonblock: do not wait.
 *
 * Only a context that follows registration is waited for: on the EC200U
 * the module itself refuses a socket on an inactive context.
 *
 * Return: 0 (up, or not such a context); -ENETDOWN (not registered, and
 * @nonblock or still not after @c->ip_wait_ms); -EIO (detached); -EINTR.
 */
int qisock_ctx_wait_up(struct qisock_dev *qd, unsigned int id, bool nonblock)
{
	struct qisock_ctx *c = qisock_ctx_get(qd, id);
	long left;
	int ret = 0;

	if (!c || !c->reg)
		goto out;
	if (qisock_ctx_reg_settled(c))
		goto gone;
	if (nonblock) {
		ret = -ENETDOWN;
		goto out;
	}
	left = wait_event_interruptible_timeout(c->wq,
						qisock_ctx_reg_settled(c),
						msecs_to_jiffies(c->ip_wait_ms));
	if (left < 0) {
		ret = -EINTR;
		goto out;
	}
	if (!left) {
		ret = -ENETDOWN;
		goto out;
	}
gone:
	spin_lock(&c->lock);
	ret = c->gone ? -EIO : 0;
	spin_unlock(&c->lock);
out:
	if (c)
		kobject_put(&c->kobj);
	return ret;
}
