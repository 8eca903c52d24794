// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: module-wide state: power-on/off, reboot, PDP contexts, the
 * BC66 "+IP:" registration report, host name table.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "sim.h"

struct modem M;

#define REREG_MS 1000	/* BC66: network re-attach after pdpdeact */
#define ATTACH_MS 500	/* BC66: AT+CFUN=1 to "+IP:" */

void cfg_defaults(void)
{
	long sl = M.cfg.showlength, vm = M.cfg.viewmode;
	long sf = M.cfg.send_fmt, rf = M.cfg.recv_fmt;
	static bool nvram_valid;

	memset(&M.cfg, 0, sizeof(M.cfg));
	M.cfg.transpktsize = 1024;
	M.cfg.transwaittm = 2;
	M.cfg.tcp_accept = 1;
	M.cfg.pdp_retry[1][0][0] = 4;
	M.cfg.pdp_retry[1][0][1] = 8;
	M.cfg.pdp_retry[1][1][0] = 4;
	M.cfg.pdp_retry[1][1][1] = 10;
	M.cfg.pdp_retry[0][0][0] = 4;
	M.cfg.pdp_retry[0][0][1] = 6;
	M.cfg.pdp_retry[0][1][0] = 4;
	M.cfg.pdp_retry[0][1][1] = 5;
	M.cfg.ka_idle = 60;
	M.cfg.ka_interval = 25;
	M.cfg.ka_probe = 3;
	M.cfg.rt_cnt = 8;
	M.cfg.rt_period = 6;
	M.cfg.qisend_timeout = 5;
	M.cfg.echomode = 1;
	if (IS_BC && nvram_valid) {
		/* BC66: these four are saved to NVRAM automatically */
		M.cfg.showlength = sl;
		M.cfg.viewmode = vm;
		M.cfg.send_fmt = sf;
		M.cfg.recv_fmt = rf;
	}
	nvram_valid = true;
}

static void bc66_register(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	if (M.registered || !M.cfun)	/* a timer from before AT+CFUN=0 */
		return;
	M.registered = true;
	M.ctx[1].active = true;
	ctx_pdp_load(1);	/* type and APN of AT+CGDCONT (NVRAM) */
	/* one report per family the context has (AT+CGDCONT <PDP_type>) */
	if (M.ctx[1].type != 2)
		urc("+IP: %s", ctx_ip(1, 0));
	if (M.ctx[1].type != 1)
		urc("+IP: %s", ctx_ip(1, 1));
}

/* BC66 sockets of a network that went away: gone, no URC. */
static void bc66_drop_socks(void)
{
	int i;

	for (i = 0; i < MAX_SOCK; i++) {
		if (socks[i].used) {
			net_drop(&socks[i]);
			socks[i].st = SS_CLOSING;
		}
	}
}

/*
 * BC66 AT+CFUN=<fun>: 0 switches the radio off (detached: no "+IP:",
 * sockets gone, no URC says so); 1 switches it on and the module attaches
 * again, "+IP:" after ATTACH_MS.
 */
void modem_cfun(int fun)
{
	if (!IS_BC || fun == M.cfun)
		return;
	M.cfun = fun;
	if (!fun) {
		bc66_drop_socks();
		M.registered = false;
		M.ctx[1].active = false;
		return;
	}
	timer_add(ATTACH_MS, bc66_register, NULL, 0, 0);
}

static void reset_state(void)
{
	int i;

	timer_cancel_all();
	hang_reset();
	sleep_power_on();
	net_reset();
	at_reset();
	misc_reset();
	cfg_defaults();
	M.echo = true;
	M.cmee = 0;
	M.qisde = 1;
	M.sendfail = 0;
	M.registered = false;
	M.cfun = 1;
	M.last_trans = -1;
	M.ntp_busy = false;
	M.rssi = 24;
	M.ber = 99;
	M.reg = 1;
	snprintf(M.oper, sizeof(M.oper), "QISOCK SIM");
	snprintf(M.iccid, sizeof(M.iccid), "89860012345678901234");
	for (i = 0; i <= MAX_CTX; i++) {
		memset(&M.ctx[i], 0, sizeof(M.ctx[i]));
		M.ctx[i].type = 1;
		snprintf(M.ctx[i].dns1, sizeof(M.ctx[i].dns1), "10.0.0.1");
		snprintf(M.ctx[i].dns2, sizeof(M.ctx[i].dns2), "0.0.0.0");
	}
	if (opts.pdp_active && IS_EC) {
		M.ctx[1].active = true;
		snprintf(M.ctx[1].apn, sizeof(M.ctx[1].apn), "internet");
	}
}

void modem_power_on(bool rdy)
{
	reset_state();
	if (rdy)
		urc("RDY");
	if (IS_BC)
		bc66_register(NULL, 0, 0);
}

void modem_power_off(void)
{
	reset_state();
	line_discard_output();
}

void modem_reboot(void)
{
	trace_note("reboot");
	line_discard_output();
	modem_power_on(true);
}

int modem_pdpdeact(int ctx)
{
	int i;

	if (ctx < 1 || ctx > mdl->ctx_max)
		return -1;
	if (!M.ctx[ctx].active)
		return -1;
	for (i = 0; i < MAX_SOCK; i++) {
		struct sock *s = &socks[i];

		if (!s->used || s->ctx != ctx)
			continue;
		if (at_trans_sock() == s->id)
			at_leave_trans("NO CARRIER");
		net_drop(s);
		s->st = SS_CLOSING;
	}
	M.ctx[ctx].active = false;
	M.ctx[ctx].net_down = IS_EC;	/* the host must QIDEACT (2.5.5) */
	urc("+QIURC: \"pdpdeact\",%d", ctx);
	if (IS_BC) {
		M.registered = false;
		if (M.cfun)
			timer_add(REREG_MS, bc66_register, NULL, 0, 0);
	}
	return 0;
}

const char *ctx_ip(int ctx, int v6)
{
	static char tmp[2][64];

	if (v6) {
		snprintf(tmp[1], sizeof(tmp[1]), "FD00:0:0:0:0:0:0:%X", ctx + 1);
		return tmp[1];
	}
	snprintf(tmp[0], sizeof(tmp[0]), "10.0.0.%d", ctx + 1);
	return tmp[0];
}

bool ctx_usable(int ctx)
{
	if (ctx < 1 || ctx > mdl->ctx_max)
		return false;
	if (IS_BC)
		return ctx == 1 && M.registered;
	return M.ctx[ctx].active;
}

int ip_family(const char *s)
{
	unsigned char tmp[16];

	if (inet_pton(AF_INET, s, tmp) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, tmp) == 1)
		return 6;
	return 0;
}

bool valid_ip(const char *s)
{
	unsigned char tmp[16];

	return inet_pton(AF_INET, s, tmp) == 1 || inet_pton(AF_INET6, s, tmp) == 1;
}

/* dotted quads / IPv6 literals resolve to themselves, names via --host */
int resolve_host(const char *name, char *ip, size_t iplen)
{
	int i;

	if (valid_ip(name)) {
		snprintf(ip, iplen, "%s", name);
		return 0;
	}
	for (i = 0; i < opts.nhosts; i++) {
		if (!strcasecmp(opts.hosts[i].name, name)) {
			snprintf(ip, iplen, "%s", opts.hosts[i].ip);
			return 0;
		}
	}
	return -1;
}

/*
 * Echo of data-mode input. BC66: AT+QICFG="echomode" alone decides (seed
 * 001 2.3.12 names no other switch), so ATE0 does not silence it and the
 * default 1 it returns to after a deep-sleep wake-up echoes again.
 * EC200U: AT+QISDE, under ATE.
 */
bool data_echo(void)
{
	if (IS_BC)
		return M.cfg.echomode;
	return M.echo && M.qisde;
}
