// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: basic commands (AT, ATE, ATI, ATV, ATQ, ATZ, AT&F, ATS, ATO)
 * and the identification / general commands a driver sends.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"

static int sreg[32] = { [3] = 13, [4] = 10, [5] = 8 };

void cmd_ato(void);	/* cmd_sock.c */
int basic_commands(const char *s);

static long num(const char **s, long def)
{
	char *e;
	long v;

	if (!isdigit((unsigned char)**s))
		return def;
	v = strtol(*s, &e, 10);
	*s = e;
	return v;
}

/* a run of basic commands, e.g. "E0V1" or "I"; returns -1 on error */
int basic_commands(const char *s)
{
	bool info = false;

	while (*s) {
		char c = toupper((unsigned char)*s++);
		long v;

		switch (c) {
		case ' ':
			break;
		case 'E':
			v = num(&s, 0);
			if (v > 1)
				return -1;
			M.echo = v;
			break;
		case 'V':
			if (num(&s, 0) != 1)
				return -1;	/* numeric result codes: not simulated */
			break;
		case 'Q':
			if (num(&s, 0) != 0)
				return -1;
			break;
		case 'X':
		case 'L':
		case 'M':
			num(&s, 0);
			break;
		case 'I':
			num(&s, 0);
			at_line("Quectel\r\n%s\r\nRevision: %s", mdl->name, mdl->rev);
			info = true;
			break;
		case 'Z':
			num(&s, 0);
			M.echo = true;
			break;
		case 'O':
			num(&s, 0);
			cmd_ato();
			return 0;
		case 'S': {
			long r = num(&s, -1);

			if (r < 0 || r >= (long)ARRAY_SIZE(sreg))
				return -1;
			if (*s == '?') {
				s++;
				at_line("%03d", sreg[r]);
				info = true;
			} else if (*s == '=') {
				s++;
				v = num(&s, -1);
				if (v < 0 || v > 255)
					return -1;
				sreg[r] = v;
			} else {
				return -1;
			}
			break;
		}
		case '&': {
			char d = toupper((unsigned char)*s++);

			if (d == 'F') {
				num(&s, 0);
				M.echo = true;
			} else if (d == 'D' || d == 'C' || d == 'W' || d == 'V') {
				num(&s, 0);
			} else {
				return -1;
			}
			break;
		}
		default:
			return -1;
		}
	}
	(void)info;
	at_ok();
	return 0;
}

static void c_cmee(struct cmd_ctx *c)
{
	long v;

	switch (c->type) {
	case CT_TEST:
		at_line("+CMEE: (0-2)");
		break;
	case CT_READ:
		at_line("+CMEE: %d", M.cmee);
		break;
	case CT_WRITE:
		if (p_int(&c->ps, 0, 0, 2, &v) < 0 || c->ps.n > 1) {
			at_error(0);
			return;
		}
		M.cmee = v;
		break;
	case CT_EXEC:
		M.cmee = 0;
		break;
	}
	at_ok();
}

static void ident(struct cmd_ctx *c, const char *text)
{
	if (c->type == CT_EXEC) {
		at_line("%s", text);
		at_ok();
	} else if (c->type == CT_TEST) {
		at_ok();
	} else {
		at_error(0);
	}
}

static void c_cgmi(struct cmd_ctx *c) { ident(c, "Quectel"); }
static void c_cgmm(struct cmd_ctx *c) { ident(c, mdl->name); }
static void c_cgmr(struct cmd_ctx *c) { ident(c, mdl->rev); }
static void c_gsn(struct cmd_ctx *c) { ident(c, mdl->imei); }

static void c_cpin(struct cmd_ctx *c)
{
	if (c->type == CT_READ) {
		at_line("+CPIN: READY");
		at_ok();
	} else if (c->type == CT_TEST) {
		at_ok();
	} else {
		at_error(0);
	}
}

static void c_csq(struct cmd_ctx *c)
{
	if (c->type == CT_EXEC) {
		at_line("+CSQ: %d,%d", M.rssi, M.ber);
	} else if (c->type == CT_TEST) {
		at_line("+CSQ: (0-31,99),(0-7,99)");
	} else {
		at_error(0);
		return;
	}
	at_ok();
}

static void c_reg(struct cmd_ctx *c)
{
	if (c->type == CT_READ) {
		at_line("%s: 0,%d", c->name, (IS_BC && !M.registered) ? 2 : M.reg);
	} else if (c->type == CT_TEST) {
		at_line("%s: (0-2)", c->name);
	} else if (c->type == CT_WRITE) {
		long v;

		if (p_int(&c->ps, 0, 0, 5, &v) < 0) {
			at_error(0);
			return;
		}
	} else {
		at_error(0);
		return;
	}
	at_ok();
}

static void cfun_reset(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	modem_reboot();
}

static void c_cfun(struct cmd_ctx *c)
{
	long fun, rst = 0;

	if (c->type == CT_READ)
		at_line("+CFUN: %d", IS_BC ? M.cfun : 1);
	else if (c->type == CT_TEST)
		at_line("+CFUN: (0,1,4),(0,1)");
	if (c->type == CT_WRITE &&
	    (p_int(&c->ps, 0, 0, 4, &fun) < 0 ||
	     (c->ps.n > 1 && p_int(&c->ps, 1, 0, 1, &rst) < 0))) {
		at_error(0);
		return;
	}
	at_ok();
	/* AT+CFUN=1,1: OK, then the module restarts (RDY) */
	if (c->type == CT_WRITE && rst)
		timer_add(300, cfun_reset, NULL, 0, 0);
	else if (c->type == CT_WRITE && fun <= 1)
		modem_cfun(fun);	/* BC66: detach, attach */
}

static void c_qccid(struct cmd_ctx *c)
{
	if (c->type == CT_EXEC)
		at_line("+QCCID: %s", M.iccid);
	else if (c->type != CT_TEST) {
		at_error(0);
		return;
	}
	at_ok();
}

static void c_cops(struct cmd_ctx *c)
{
	if (c->type == CT_READ) {
		if (M.reg == 1 || M.reg == 5)
			at_line("+COPS: 0,0,\"%s\",7", M.oper);
		else
			at_line("+COPS: 0");
	} else if (c->type == CT_TEST) {
		at_line("+COPS: (2,\"%s\",\"QSIM\",\"00101\",7),,(0-4),(0-2)", M.oper);
	} else if (c->type != CT_WRITE) {
		at_error(0);
		return;
	}
	at_ok();
}

const struct cmd_def cmd_basic_tab[] = {
	{ "+CMEE", c_cmee, DL_ALL, false },
	{ "+CGMI", c_cgmi, DL_ALL, false },
	{ "+GMI", c_cgmi, DL_ALL, false },
	{ "+CGMM", c_cgmm, DL_ALL, false },
	{ "+GMM", c_cgmm, DL_ALL, false },
	{ "+CGMR", c_cgmr, DL_ALL, false },
	{ "+GMR", c_cgmr, DL_ALL, false },
	{ "+GSN", c_gsn, DL_ALL, false },
	{ "+CGSN", c_gsn, DL_ALL, false },
	{ "+CPIN", c_cpin, DL_ALL, false },
	{ "+CSQ", c_csq, DL_ALL, false },
	{ "+CREG", c_reg, DL_ALL, false },
	{ "+CGREG", c_reg, DL_ALL, false },
	{ "+CEREG", c_reg, DL_ALL, false },
	{ "+CFUN", c_cfun, DL_ALL, false },
	{ "+QCCID", c_qccid, DL_ALL, false },
	{ "+COPS", c_cops, DL_ALL, false },
	{ NULL, NULL, 0, false }
};
