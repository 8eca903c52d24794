// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: AT+QICFG, table driven: every option of both seeds with its
 * ranges and defaults (defaults are set in modem.c cfg_defaults()).
 * Options that change what goes over the wire are honoured elsewhere:
 * dataformat, viewmode, recvind, sendinfo, close/mode, formatcfg,
 * qisend/timeout, transpktsize, transwaittm, udp/readmode, tcp/accept,
 * tcp/keepalive (BC66: dataformat, viewmode, showlength, echomode).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "sim.h"

struct cfgopt;
typedef void (*cfg_special)(struct cmd_ctx *c, const struct cfgopt *o);

struct cfgopt {
	const char *name;
	unsigned int dl;
	int nv;		/* number of values */
	int minset;	/* values required to set (fewer but >0: error) */
	long lo[4], hi[4];
	long *v[4];
	const char *test;	/* test-command text after the name */
	cfg_special special;
};

static void cfg_pdp_retry(struct cmd_ctx *c, const struct cfgopt *o);
static void cfg_send_auto(struct cmd_ctx *c, const struct cfgopt *o);
static void cfg_recv_ignore(struct cmd_ctx *c, const struct cfgopt *o);

#define V(f) &M.cfg.f

static const struct cfgopt opts_tab[] = {
	{ "transpktsize", DL_EC, 1, 1, {1}, {1460}, {V(transpktsize)},
	  "(1-1460)", NULL },
	{ "transwaittm", DL_EC, 1, 1, {0}, {20}, {V(transwaittm)},
	  "(0-20)", NULL },
	{ "dataformat", DL_ALL, 2, 2, {0, 0}, {1, 1}, {V(send_fmt), V(recv_fmt)},
	  "(0,1),(0,1)", NULL },
	{ "viewmode", DL_ALL, 1, 1, {0}, {1}, {V(viewmode)}, "(0,1)", NULL },
	{ "showlength", DL_BC, 1, 1, {0}, {1}, {V(showlength)}, "(0,1)", NULL },
	{ "echomode", DL_BC, 1, 1, {0}, {1}, {V(echomode)}, "(0,1)", NULL },
	{ "udp/sendmode", DL_EC, 1, 1, {0}, {1}, {V(udp_sendmode)}, "(0,1)", NULL },
	{ "udp/readmode", DL_EC, 1, 1, {0}, {1}, {V(udp_readmode)}, "(0,1)", NULL },
	{ "tcp/accept", DL_EC, 1, 1, {0}, {1}, {V(tcp_accept)}, "(0,1)", NULL },
	{ "passiveclosed", DL_EC, 1, 1, {0}, {1}, {V(passiveclosed)}, "(0,1)", NULL },
	{ "tcp/twrecycle", DL_EC, 1, 1, {0}, {1}, {V(twrecycle)}, "(0,1)", NULL },
	{ "tcp/twrecyle", DL_EC, 1, 1, {0}, {1}, {V(twrecycle)}, NULL, NULL },
	{ "close/mode", DL_EC, 1, 1, {0}, {1}, {V(close_mode)}, "(0,1)", NULL },
	{ "pdp/retry", DL_EC, 0, 0, {0}, {0}, {NULL},
	  "(0,1),(0,1),(2-4),(2-30)", cfg_pdp_retry },
	{ "recvind", DL_EC, 1, 1, {0}, {1}, {V(recvind)}, "(0,1)", NULL },
	{ "sendinfo", DL_EC, 1, 1, {0}, {1}, {V(sendinfo)}, "(0,1)", NULL },
	{ "tcp/keepalive", DL_EC, 4, 1, {0, 1, 25, 3}, {1, 1800, 100, 10},
	  {V(ka_enable), V(ka_idle), V(ka_interval), V(ka_probe)},
	  "(0,1),(1-1800),(25-100),(3-10)", NULL },
	{ "tcp/retranscfg", DL_EC, 2, 1, {3, 5}, {12, 60},
	  {V(rt_cnt), V(rt_period)}, "(3-12),(5-60)", NULL },
	{ "send/auto", DL_EC, 0, 0, {0}, {0}, {NULL},
	  "(1-11),(20-65535),<msg_auto>", cfg_send_auto },
	{ "recv/ignore", DL_EC, 0, 0, {0}, {0}, {NULL},
	  "(1-11),<msg_ignore>", cfg_recv_ignore },
	{ "formatcfg", DL_EC, 1, 1, {0}, {1}, {V(formatcfg)}, "(0,1)", NULL },
	{ "qisend/timeout", DL_EC, 1, 1, {0}, {120}, {V(qisend_timeout)},
	  "(0-120)", NULL },
};

static void cfg_query(const struct cfgopt *o)
{
	char tmp[128];
	int i, n = 0;

	for (i = 0; i < o->nv; i++)
		n += snprintf(tmp + n, sizeof(tmp) - n, ",%ld", *o->v[i]);
	at_line("+QICFG: \"%s\"%s", o->name, tmp);
}

static void cfg_generic(struct cmd_ctx *c, const struct cfgopt *o)
{
	struct params *ps = &c->ps;
	long nv[4];
	int i, given = ps->n - 1;

	if (given == 0) {
		cfg_query(o);
		at_ok();
		return;
	}
	if (given < o->minset || given > o->nv) {
		at_error(552);
		return;
	}
	for (i = 0; i < given; i++) {
		if (p_int(ps, i + 1, o->lo[i], o->hi[i], &nv[i]) < 0) {
			at_error(552);
			return;
		}
	}
	if (o->nv == 4 && given != 1 && given != 4) {
		at_error(552);	/* tcp/keepalive: <enable> or all four */
		return;
	}
	for (i = 0; i < given; i++)
		*o->v[i] = nv[i];
	at_ok();
}

/* AT+QICFG="pdp/retry",<pdpmode>,<ratmode>[,<counts>,<retry_time>] */
static void cfg_pdp_retry(struct cmd_ctx *c, const struct cfgopt *o)
{
	static const long tmin[2][2] = { { 2, 2 }, { 5, 5 } };
	static const long tmax[2][2] = { { 6, 8 }, { 8, 30 } };
	struct params *ps = &c->ps;
	long pm, rat, cnt, t;

	if ((ps->n != 3 && ps->n != 5) || p_int(ps, 1, 0, 1, &pm) < 0 ||
	    p_int(ps, 2, 0, 1, &rat) < 0) {
		at_error(552);
		return;
	}
	if (ps->n == 3) {
		at_line("+QICFG: \"%s\",%ld,%ld,%ld,%ld", o->name, pm, rat,
			M.cfg.pdp_retry[pm][rat][0], M.cfg.pdp_retry[pm][rat][1]);
		at_ok();
		return;
	}
	if (p_int(ps, 3, 2, 4, &cnt) < 0 ||
	    p_int(ps, 4, tmin[pm][rat], tmax[pm][rat], &t) < 0) {
		at_error(552);
		return;
	}
	M.cfg.pdp_retry[pm][rat][0] = cnt;
	M.cfg.pdp_retry[pm][rat][1] = t;
	at_ok();
}

static bool valid_hex_msg(const struct params *ps, int i)
{
	uint8_t tmp[410];
	const char *s = p_str(ps, i);
	size_t n = strlen(s);

	return n > 0 && n <= 800 && hex_decode(s, n, tmp) >= 0;
}

/* AT+QICFG="send/auto",<connectID>[,<period>[,<msg_auto>]] */
static void cfg_send_auto(struct cmd_ctx *c, const struct cfgopt *o)
{
	struct params *ps = &c->ps;
	long id, period;

	if (ps->n < 2 || ps->n > 4 || p_int(ps, 1, 1, 11, &id) < 0) {
		at_error(552);
		return;
	}
	if (ps->n == 2) {
		at_line("+QICFG: \"%s\",%ld,%ld,\"%s\"", o->name, id,
			M.cfg.sa_period[id], M.cfg.sa_msg[id]);
		at_ok();
		return;
	}
	if (p_int(ps, 2, 20, 65535, &period) < 0 ||
	    (ps->n == 4 && !valid_hex_msg(ps, 3))) {
		at_error(552);
		return;
	}
	M.cfg.sa_period[id] = period;
	if (ps->n == 4)
		snprintf(M.cfg.sa_msg[id], sizeof(M.cfg.sa_msg[id]), "%s",
			 p_str(ps, 3));
	at_ok();
}

/* AT+QICFG="recv/ignore",<connectID>[,<msg_ignore>] */
static void cfg_recv_ignore(struct cmd_ctx *c, const struct cfgopt *o)
{
	struct params *ps = &c->ps;
	long id;

	if (ps->n < 2 || ps->n > 3 || p_int(ps, 1, 1, 11, &id) < 0) {
		at_error(552);
		return;
	}
	if (ps->n == 2) {
		at_line("+QICFG: \"%s\",%ld,\"%s\"", o->name, id, M.cfg.ri_msg[id]);
		at_ok();
		return;
	}
	if (!valid_hex_msg(ps, 2)) {
		at_error(552);
		return;
	}
	snprintf(M.cfg.ri_msg[id], sizeof(M.cfg.ri_msg[id]), "%s", p_str(ps, 2));
	at_ok();
}

/* The option @name of this model's table (either spelling), or NULL. */
static const struct cfgopt *cfg_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opts_tab); i++)
		if ((opts_tab[i].dl & (1u << mdl->dialect)) &&
		    !strcasecmp(opts_tab[i].name, name))
			return &opts_tab[i];
	return NULL;
}

/*
 * The control channel's "qicfg <name> [<key>]": what the module holds for
 * option @name, values separated by blanks, keys first (pdp/retry:
 * "<pdpmode> <ratmode>"; send/auto, recv/ignore: "<connectID>"), so a
 * test can check a setting without asking over the serial line.
 * Return: 0, or -1 with the reason in @out.
 */
int cfg_dump(const char *name, const char *keys, char *out, size_t size)
{
	const struct cfgopt *o = cfg_find(name);
	long k[2] = { -1, -1 };
	int nk = 0, i, n = 0, used;

	/* up to two decimal keys, nothing else */
	while (nk < 2 && sscanf(keys, " %ld%n", &k[nk], &used) == 1) {
		keys += used;
		nk++;
	}
	if (keys[strspn(keys, " ")])
		nk = -1;

	if (!o) {
		snprintf(out, size, "no option %s on this model", name);
		return -1;
	}
	if (o->special == cfg_pdp_retry) {
		if (nk != 2 || k[0] < 0 || k[0] > 1 || k[1] < 0 || k[1] > 1)
			goto usage;
		snprintf(out, size, "%ld %ld %ld %ld", k[0], k[1],
			 M.cfg.pdp_retry[k[0]][k[1]][0],
			 M.cfg.pdp_retry[k[0]][k[1]][1]);
		return 0;
	}
	if (o->special) {
		if (nk != 1 || k[0] < 1 || k[0] > 11)
			goto usage;
		if (o->special == cfg_send_auto)
			snprintf(out, size, "%ld %ld %s", k[0],
				 M.cfg.sa_period[k[0]], M.cfg.sa_msg[k[0]]);
		else
			snprintf(out, size, "%ld %s", k[0], M.cfg.ri_msg[k[0]]);
		return 0;
	}
	if (nk)
		goto usage;
	out[0] = 0;
	for (i = 0; i < o->nv; i++)
		n += snprintf(out + n, size - n, "%s%ld", i ? " " : "",
			      *o->v[i]);
	return 0;
usage:
	snprintf(out, size, "usage: qicfg %s%s", o->name,
		 o->special == cfg_pdp_retry ? " <pdpmode> <ratmode>" :
		 o->special ? " <connectID>" : "");
	return -1;
}

static void c_qicfg(struct cmd_ctx *c)
{
	const struct cfgopt *o;
	size_t i;

	if (c->type == CT_TEST) {
		for (i = 0; i < ARRAY_SIZE(opts_tab); i++) {
			o = &opts_tab[i];
			if ((o->dl & (1u << mdl->dialect)) && o->test)
				at_line("+QICFG: \"%s\",%s", o->name, o->test);
		}
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || c->ps.n < 1 || !c->ps.p[0].quoted) {
		at_error(552);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(opts_tab); i++) {
		o = &opts_tab[i];
		if (!(o->dl & (1u << mdl->dialect)) ||
		    strcasecmp(o->name, p_str(&c->ps, 0)))
			continue;
		if (o->special)
			o->special(c, o);
		else
			cfg_generic(c, o);
		return;
	}
	at_error(552);
}

const struct cmd_def cmd_cfg_tab[] = {
	{ "+QICFG", c_qicfg, DL_ALL, true },
	{ NULL, NULL, 0, false }
};
