// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: AT+QPING, AT+QNTP (BC66 also AT+QNTTP), AT+QIDNSCFG,
 * AT+QIDNSGIP, AT+QISDE and AT+QIGETERROR.
 *
 * Ping and NTP are simulated: a host that resolves (dotted quad or --host)
 * answers every ping from the simulator itself, except addresses in
 * 192.0.2.0/24 (TEST-NET-1), which never answer; NTP returns the host's
 * UTC clock.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "sim.h"

#define PING_GAP_MS 100
#define NTP_DELAY_MS 100
#define DNS_DELAY_MS 20

static bool dns_busy;
static struct {
	bool busy;
	char ip[64];
	long timeout, num, size;
	long sent, rcvd, min, max, sum;
	bool silent;
} png;

void misc_reset(void)
{
	dns_busy = false;
	memset(&png, 0, sizeof(png));
}

/* ---------------- AT+QIGETERROR / AT+QISDE ---------------- */

static void c_qigeterror(struct cmd_ctx *c)
{
	if (c->type == CT_TEST) {
		at_ok();
		return;
	}
	if (c->type != CT_EXEC) {
		at_error(0);
		return;
	}
	at_line("+QIGETERROR: %d,%s", at_get_lasterr(),
		err_desc(at_get_lasterr()));
	at_ok();
}

static void c_qisde(struct cmd_ctx *c)
{
	long v;

	switch (c->type) {
	case CT_TEST:
		at_line("+QISDE: (0,1)");
		break;
	case CT_READ:
		at_line("+QISDE: %d", M.qisde);
		break;
	case CT_WRITE:
		if (c->ps.n != 1 || p_int(&c->ps, 0, 0, 1, &v) < 0) {
			at_error(552);
			return;
		}
		M.qisde = v;
		break;
	case CT_EXEC:
		at_error(552);
		return;
	}
	at_ok();
}

/* ---------------- context checks shared by DNS/ping/NTP ---------------- */

/* the context (parameter 0) must be usable and the service idle */
static bool ctx_ready(struct cmd_ctx *c, bool busy, int busy_err)
{
	long ctx;
	int e = 0;

	if (p_int(&c->ps, 0, 1, mdl->ctx_max, &ctx) < 0)
		e = 552;
	else if (mdl->ctx_only1 && ctx != 1)
		e = 555;
	else if (!ctx_usable(ctx))
		e = 561;
	else if (busy)
		e = busy_err;
	if (e)
		at_error(e);
	return !e;
}

/* ---------------- AT+QIDNSCFG ---------------- */

/*
 * BC66 (seed 2.3.11 notes 2 and 3): only addresses of the families the
 * network gave the context (its PDP type).
 */
static bool dns_fam_ok(const struct pdp_ctx *x, const char *addr)
{
	bool v6 = strchr(addr, ':');

	if (!IS_BC || x->type == 3)
		return true;
	return v6 == (x->type == 2);
}

static void c_qidnscfg(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	struct pdp_ctx *x;
	long ctx;

	if (c->type == CT_TEST) {
		at_line("+QIDNSCFG: (1-%d),<pridnsaddr>,<secdnsaddr>", mdl->ctx_max);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n > 3 ||
	    p_int(ps, 0, 1, mdl->ctx_max, &ctx) < 0) {
		at_error(552);
		return;
	}
	x = &M.ctx[ctx];
	if (ps->n == 1) {
		at_line("+QIDNSCFG: %ld,\"%s\",\"%s\"", ctx, x->dns1, x->dns2);
		at_ok();
		return;
	}
	if (!ctx_ready(c, false, 0))
		return;
	if (!valid_ip(p_str(ps, 1)) || (p_has(ps, 2) && !valid_ip(p_str(ps, 2))) ||
	    !dns_fam_ok(x, p_str(ps, 1)) ||
	    (p_has(ps, 2) && !dns_fam_ok(x, p_str(ps, 2)))) {
		at_error(552);
		return;
	}
	snprintf(x->dns1, sizeof(x->dns1), "%s", p_str(ps, 1));
	if (p_has(ps, 2))
		snprintf(x->dns2, sizeof(x->dns2), "%s", p_str(ps, 2));
	at_ok();
}

/* ---------------- AT+QIDNSGIP ---------------- */

static void dns_done(void *arg, long a, long b)
{
	char *name = arg, ip[64];

	(void)a; (void)b;
	dns_busy = false;
	if (resolve_host(name, ip, sizeof(ip)) < 0) {
		at_set_lasterr(565);
		urc("+QIURC: \"dnsgip\",565");
	} else {
		urc("+QIURC: \"dnsgip\",0,1,600");
		urc("+QIURC: \"dnsgip\",\"%s\"", ip);
	}
}

static void c_qidnsgip(struct cmd_ctx *c)
{
	static char name[160];

	if (c->type == CT_TEST) {
		at_line(IS_EC ? "+QIDNSGIP: (1-%d),<hostname>" :
			"+QIDNSGIP: (1-%d),\"<hostname>\"", mdl->ctx_max);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || c->ps.n != 2 || !p_has(&c->ps, 1) ||
	    c->ps.p[1].len >= sizeof(name)) {
		at_error(552);
		return;
	}
	if (!ctx_ready(c, dns_busy, 564))
		return;
	dns_busy = true;
	snprintf(name, sizeof(name), "%s", p_str(&c->ps, 1));
	at_ok();
	timer_add(DNS_DELAY_MS, dns_done, name, 0, 0);
}

/* ---------------- AT+QPING ---------------- */

static void ping_step(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	if (png.sent < png.num) {
		png.sent++;
		if (png.silent) {
			urc("+QPING: 569");
		} else {
			long t = 1 + rng_next() % 20;

			png.rcvd++;
			png.sum += t;
			if (!png.min || t < png.min)
				png.min = t;
			if (t > png.max)
				png.max = t;
			urc("+QPING: 0,\"%s\",%ld,%ld,64", png.ip, png.size, t);
		}
		timer_add(png.silent ? png.timeout * 1000 : PING_GAP_MS,
			  ping_step, NULL, 0, 0);
		return;
	}
	png.busy = false;
	urc("+QPING: 0,%ld,%ld,%ld,%ld,%ld,%ld", png.sent, png.rcvd,
	    png.sent - png.rcvd, png.min, png.max,
	    png.rcvd ? png.sum / png.rcvd : 0);
}

static void c_qping(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long tmo, num, size = 32;
	char ip[64];

	if (c->type == CT_TEST) {
		if (IS_EC)
			at_line("+QPING: (1-%d),<host>,(1-255),(1-10)", mdl->ctx_max);
		else
			at_line("+QPING: (1-%d),\"<host>\",(1-255),(1-10),(32-200)",
				mdl->ctx_max);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n < 2 || ps->n > (IS_EC ? 4 : 5) ||
	    !p_has(ps, 1) || ps->p[1].len > 150 ||
	    p_int_def(ps, 2, 1, 255, 4, &tmo) < 0 ||
	    p_int_def(ps, 3, 1, 10, 4, &num) < 0 ||
	    (IS_BC && p_int_def(ps, 4, 32, 200, 32, &size) < 0)) {
		at_error(552);
		return;
	}
	if (!ctx_ready(c, png.busy, 568))
		return;
	at_ok();
	if (resolve_host(p_str(ps, 1), ip, sizeof(ip)) < 0) {
		at_set_lasterr(565);
		urc("+QPING: 565");
		return;
	}
	memset(&png, 0, sizeof(png));
	png.busy = true;
	snprintf(png.ip, sizeof(png.ip), "%s", ip);
	png.timeout = tmo;
	png.num = num;
	png.size = size;
	png.silent = !strncmp(ip, "192.0.2.", 8);
	timer_add(png.silent ? tmo * 1000 : PING_GAP_MS, ping_step, NULL, 0, 0);
}

/* ---------------- AT+QNTP / AT+QNTTP ---------------- */

static char ntp_pfx[16];

static void ntp_done(void *arg, long a, long b)
{
	char tbuf[64];
	time_t now = time(NULL);
	struct tm tm;

	(void)arg; (void)b;
	M.ntp_busy = false;
	if (a) {
		at_set_lasterr(a);
		urc("%s: %ld", ntp_pfx, a);
		return;
	}
	gmtime_r(&now, &tm);
	if (IS_EC)
		strftime(tbuf, sizeof(tbuf), "%Y/%m/%d,%H:%M:%S+00", &tm);
	else
		strftime(tbuf, sizeof(tbuf), "%y/%m/%d,%H:%M:%S+00", &tm);
	urc("%s: 0,\"%s\"", ntp_pfx, tbuf);
}

static void c_qntp(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long port, autoset, rc, ri;
	char ip[64];

	if (c->type == CT_TEST) {
		if (IS_EC)
			at_line("%s: (1-%d),<server>,(1-65535),(0,1),(1-10),(5-60)",
				c->name, mdl->ctx_max);
		else
			at_line("%s: (1-%d),\"<server>\",<port>,(0,1)", c->name,
				mdl->ctx_max);
		at_ok();
		return;
	}
	if (c->type == CT_READ && IS_EC) {
		if (M.ntp_busy)
			at_line("+QNTP: \"%s\",%ld", M.ntp_server, M.ntp_port);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n < 2 || ps->n > (IS_EC ? 6 : 4) ||
	    !p_has(ps, 1) || ps->p[1].len >= sizeof(M.ntp_server) ||
	    p_int_def(ps, 2, 1, 65535, 123, &port) < 0 ||
	    p_int_def(ps, 3, 0, 1, 1, &autoset) < 0 ||
	    p_int_def(ps, 4, 1, 10, 3, &rc) < 0 ||
	    p_int_def(ps, 5, 5, 60, 15, &ri) < 0) {
		at_error(552);
		return;
	}
	if (!ctx_ready(c, M.ntp_busy, 568))
		return;
	M.ntp_busy = true;
	snprintf(M.ntp_server, sizeof(M.ntp_server), "%s", p_str(ps, 1));
	M.ntp_port = port;
	snprintf(ntp_pfx, sizeof(ntp_pfx), "%s", c->name);
	at_ok();
	timer_add(NTP_DELAY_MS, ntp_done, NULL,
		  resolve_host(M.ntp_server, ip, sizeof(ip)) < 0 ? 565 : 0, 0);
}

const struct cmd_def cmd_misc_tab[] = {
	{ "+QIGETERROR", c_qigeterror, DL_ALL, false },
	{ "+QISDE", c_qisde, DL_EC, true },
	{ "+QIDNSCFG", c_qidnscfg, DL_ALL, true },
	{ "+QIDNSGIP", c_qidnsgip, DL_ALL, true },
	{ "+QPING", c_qping, DL_ALL, true },
	{ "+QNTP", c_qntp, DL_ALL, true },
	{ "+QNTTP", c_qntp, DL_BC, true },
	{ NULL, NULL, 0, false }
};
