// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: PDP context commands of the EC200U/EG915U dialect:
 * AT+QICSGP, AT+QIACT, AT+QIDEACT, AT+QIACTEX, AT+QIDEACTEX.
 * (The BC66 has none: its context 1 comes up by itself, "+IP: <addr>".)
 *
 * BC66: the 3GPP TS 27.007 commands its application note does not list
 * but the module has, AT+CGDCONT (the definition of a context, kept in
 * NVRAM: a restart keeps it) and AT+CGPADDR (its address once attached).
 * As strict as a module may be: a definition is changed only with the
 * radio off (AT+CFUN=0); attached, the write is refused with +CME ERROR 3
 * (operation not allowed).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "sim.h"

#define ASYNC_MS 50	/* delay of the +QIACTEX / +QIDEACTEX result */

/*
 * Control "actfail <ctx> <err> [n]": the network refuses the next n
 * activations of <ctx> with the seed's <err> (561 PDP context opening
 * failed, 573 APN not configured, ...). It is the network's doing, so a
 * module restart does not clear it; "actfail <ctx> 0" does.
 */
static int actfail_err[MAX_CTX + 1];
static long actfail_n[MAX_CTX + 1];

void ctx_actfail_set(int ctx, int err, long n)
{
	actfail_err[ctx] = err;
	actfail_n[ctx] = err ? n : 0;
}

/*
 * Why an activation of @ctx fails, or 0: already active (561), the
 * network took it down and the host has not run AT+QIDEACT yet (561, the
 * seed's 2.5.5: the host must deactivate first), or a refusal set by
 * "actfail".
 */
static int act_refused(long ctx)
{
	const struct pdp_ctx *x = &M.ctx[ctx];

	if (x->active || x->net_down)
		return 561;
	if (actfail_n[ctx] > 0) {
		actfail_n[ctx]--;
		return actfail_err[ctx];
	}
	return 0;
}

static void c_qicsgp(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	struct pdp_ctx *x;
	long ctx, type, auth;

	if (c->type == CT_TEST) {
		at_line("+QICSGP: (1-%d),(1-3),<APN>,<username>,<password>,(0-2)",
			mdl->ctx_max);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || p_int(ps, 0, 1, mdl->ctx_max, &ctx) < 0) {
		at_error(552);
		return;
	}
	x = &M.ctx[ctx];
	if (ps->n == 1) {
		at_line("+QICSGP: %d,\"%s\",\"%s\",\"%s\",%d", x->type, x->apn,
			x->user, x->pass, x->auth);
		at_ok();
		return;
	}
	if (ps->n < 3 || ps->n == 4 || ps->n > 6 ||
	    p_int(ps, 1, 1, 3, &type) < 0 ||
	    ps->p[2].len > 99 || ps->p[3].len > 127 || ps->p[4].len > 127 ||
	    p_int_def(ps, 5, 0, 2, x->auth, &auth) < 0) {
		at_error(552);
		return;
	}
	x->type = type;
	snprintf(x->apn, sizeof(x->apn), "%s", p_str(ps, 2));
	if (ps->n >= 5) {
		snprintf(x->user, sizeof(x->user), "%s", p_str(ps, 3));
		snprintf(x->pass, sizeof(x->pass), "%s", p_str(ps, 4));
	}
	x->auth = auth;
	at_ok();
}

static void list_active(const char *pfx)
{
	int i;

	for (i = 1; i <= mdl->ctx_max; i++) {
		struct pdp_ctx *x = &M.ctx[i];

		if (!x->active)
			continue;
		if (x->type == 1)
			at_line("%s: %d,1,1,\"%s\"", pfx, i, ctx_ip(i, 0));
		else if (x->type == 2)
			at_line("%s: %d,1,2,\"%s\"", pfx, i, ctx_ip(i, 1));
		else
			at_line("%s: %d,1,3,\"%s\",\"%s\"", pfx, i, ctx_ip(i, 0),
				ctx_ip(i, 1));
	}
}

static void close_ctx_sockets(int ctx)
{
	int i;

	for (i = 0; i < MAX_SOCK; i++) {
		if (socks[i].used && socks[i].ctx == ctx) {
			if (M.last_trans == i)
				M.last_trans = -1;
			sock_free(&socks[i], true);
		}
	}
}

/*
 * Common part of QIACT, QIDEACT, QIACTEX, QIDEACTEX: the test form, the
 * read form (list of active contexts, if @read), the <contextID> and the
 * busy check. Returns true with *ctx set when the write form may proceed.
 */
static bool ctx_head(struct cmd_ctx *c, const char *pfx, const char *test_tail,
		     bool read, int nmax, long *ctx)
{
	if (c->type == CT_TEST) {
		at_line("%s: (1-%d)%s", pfx, mdl->ctx_max, test_tail);
		at_ok();
		return false;
	}
	if (c->type == CT_READ && read) {
		list_active(pfx);
		at_ok();
		return false;
	}
	if (c->type != CT_WRITE || c->ps.n < 1 || c->ps.n > nmax ||
	    p_int(&c->ps, 0, 1, mdl->ctx_max, ctx) < 0) {
		at_error(552);
		return false;
	}
	if (M.ctx[*ctx].busy) {
		at_error(568);
		return false;
	}
	return true;
}

static void c_qiact(struct cmd_ctx *c)
{
	long ctx;

	int err;

	if (!ctx_head(c, "+QIACT", "", true, 1, &ctx))
		return;
	err = act_refused(ctx);
	if (err) {
		at_error(err);
		return;
	}
	M.ctx[ctx].active = true;
	at_ok();
}

static void c_qideact(struct cmd_ctx *c)
{
	long ctx;

	if (!ctx_head(c, "+QIDEACT", "", false, 1, &ctx))
		return;
	close_ctx_sockets(ctx);
	M.ctx[ctx].active = false;
	M.ctx[ctx].net_down = false;
	at_ok();
}

static void actex_done(void *arg, long ctx, long view)
{
	struct pdp_ctx *x = &M.ctx[ctx];
	int err = act_refused(ctx);

	(void)arg;
	x->busy = false;
	if (err) {
		/* refused by the network: the result says why */
		urc("+QIACTEX: %ld,%d", ctx, err);
		return;
	}
	x->active = true;
	if (!view)
		urc("+QIACTEX: %ld,0", ctx);
	else if (x->type == 1)
		urc("+QIACTEX: %ld,0,1,\"%s\"", ctx, ctx_ip(ctx, 0));
	else if (x->type == 2)
		urc("+QIACTEX: %ld,0,2,\"%s\"", ctx, ctx_ip(ctx, 1));
	else
		urc("+QIACTEX: %ld,0,3,\"%s\",\"%s\"", ctx, ctx_ip(ctx, 0),
		    ctx_ip(ctx, 1));
}

static void c_qiactex(struct cmd_ctx *c)
{
	long ctx, view;

	if (!ctx_head(c, "+QIACTEX", ",(0,1)", true, 2, &ctx))
		return;
	if (p_int_def(&c->ps, 1, 0, 1, 0, &view) < 0) {
		at_error(552);
		return;
	}
	if (M.ctx[ctx].active || M.ctx[ctx].net_down) {
		at_error(561);
		return;
	}
	M.ctx[ctx].busy = true;
	at_ok();
	timer_add(ASYNC_MS, actex_done, NULL, ctx, view);
}

static void deactex_done(void *arg, long ctx, long b)
{
	(void)arg; (void)b;
	close_ctx_sockets(ctx);
	M.ctx[ctx].busy = false;
	M.ctx[ctx].active = false;
	M.ctx[ctx].net_down = false;
	urc("+QIDEACTEX: %ld,0", ctx);
}

static void c_qideactex(struct cmd_ctx *c)
{
	long ctx;

	if (!ctx_head(c, "+QIDEACTEX", "", false, 1, &ctx))
		return;
	M.ctx[ctx].busy = true;
	at_ok();
	timer_add(ASYNC_MS, deactex_done, NULL, ctx, 0);
}

/* ---------------- BC66: AT+CGDCONT, AT+CGPADDR ---------------- */

#define CGD_CIDS 3
static const char * const pdp_types[] = { NULL, "IP", "IPV6", "IPV4V6" };
/* NVRAM: survives restarts; cid 1 is defined from the factory */
static struct { bool defined; int type; char apn[101]; } cgd[CGD_CIDS + 1] = {
	[1] = { true, 1, "" },
};

/* The definition a BC66 attaches with, into M.ctx[@ctx] (control "ctx"). */
void ctx_pdp_load(int ctx)
{
	bool def = ctx >= 1 && ctx <= CGD_CIDS && cgd[ctx].defined;

	M.ctx[ctx].type = def ? cgd[ctx].type : 1;
	snprintf(M.ctx[ctx].apn, sizeof(M.ctx[ctx].apn), "%s",
		 def ? cgd[ctx].apn : "");
}

static int pdp_type_of(const char *s)
{
	int i;

	for (i = 1; i < 4; i++)
		if (!strcasecmp(s, pdp_types[i]))
			return i;
	return 0;
}

static void cgdcont_read(void)
{
	int i;

	for (i = 1; i <= CGD_CIDS; i++) {
		if (!cgd[i].defined)
			continue;
		at_line("+CGDCONT: %d,\"%s\",\"%s\",\"%s\",0,0", i,
			pdp_types[cgd[i].type], cgd[i].apn,
			i == 1 && M.registered ?
			ctx_ip(1, cgd[i].type == 2) : "");
	}
}

static void c_cgdcont(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long cid;
	int type = 1;

	if (c->type == CT_TEST) {
		for (cid = 1; cid < 4; cid++)
			at_line("+CGDCONT: (1-%d),\"%s\",,,(0-2),(0-4)",
				CGD_CIDS, pdp_types[cid]);
	} else if (c->type == CT_READ) {
		cgdcont_read();
	} else if (c->type != CT_WRITE || ps->n < 1 || ps->n > 6 ||
		   p_int(ps, 0, 1, CGD_CIDS, &cid) < 0 ||
		   (p_has(ps, 1) && !(type = pdp_type_of(p_str(ps, 1)))) ||
		   (p_has(ps, 2) && strlen(p_str(ps, 2)) > 100)) {
		at_error(50);	/* +CME ERROR: 50 incorrect parameters */
		return;
	} else if (M.cfun && cid == 1) {
		at_error(3);	/* attached with it: operation not allowed */
		return;
	} else {
		cgd[cid].defined = ps->n > 1;	/* AT+CGDCONT=<cid> undefines */
		cgd[cid].type = type;
		snprintf(cgd[cid].apn, sizeof(cgd[cid].apn), "%s",
			 p_has(ps, 2) ? p_str(ps, 2) : "");
		ctx_pdp_load(cid);
	}
	at_ok();
}

static void c_cgpaddr(struct cmd_ctx *c)
{
	long cid;

	if (c->type == CT_TEST) {
		at_line("+CGPADDR: (1)");
	} else if (c->type != CT_WRITE || c->ps.n != 1 ||
		   p_int(&c->ps, 0, 1, CGD_CIDS, &cid) < 0) {
		at_error(50);
		return;
	} else if (cid == 1 && M.registered && M.ctx[1].type == 3) {
		at_line("+CGPADDR: 1,\"%s\",\"%s\"", ctx_ip(1, 0), ctx_ip(1, 1));
	} else if (cid == 1 && M.registered) {
		at_line("+CGPADDR: 1,\"%s\"", ctx_ip(1, M.ctx[1].type == 2));
	} else {
		at_line("+CGPADDR: %ld", cid);
	}
	at_ok();
}

const struct cmd_def cmd_ctx_tab[] = {
	{ "+CGDCONT", c_cgdcont, DL_BC, false },
	{ "+CGPADDR", c_cgpaddr, DL_BC, false },
	{ "+QICSGP", c_qicsgp, DL_EC, true },
	{ "+QIACT", c_qiact, DL_EC, true },
	{ "+QIDEACT", c_qideact, DL_EC, true },
	{ "+QIACTEX", c_qiactex, DL_EC, true },
	{ "+QIDEACTEX", c_qideactex, DL_EC, true },
	{ NULL, NULL, 0, false }
};
