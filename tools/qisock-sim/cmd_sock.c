// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: socket commands: AT+QIOPEN, AT+QICLOSE, AT+QISTATE,
 * AT+QISEND, AT+QIRD, AT+QISENDEX, AT+QISWTMD and ATO, in both dialects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim.h"

#define EC_QISENDEX_MAX 512	/* bytes after hex decoding */
#define BC_INLINE_TEXT_MAX 1024
#define BC_INLINE_HEX_MAX 512
#define BC_DATA_HEX_MAX 730

static const char *const svc_names[] = {
	[SVC_TCP] = "TCP", [SVC_UDP] = "UDP",
	[SVC_TCP_LISTENER] = "TCP LISTENER", [SVC_UDP_SERVICE] = "UDP SERVICE",
	[SVC_TCP_INCOMING] = "TCP INCOMING", [SVC_UDP_INCOMING] = "UDP INCOMING",
};

static int state_num(const struct sock *s)
{
	switch (s->st) {
	case SS_INITIAL:
		return 0;
	case SS_OPENING:
		return 1;
	case SS_CONNECTED:
		return 2;
	case SS_LISTENING:
		return 3;
	case SS_CLOSING:
		return IS_EC ? 4 : 3;
	case SS_REMOTE_CLOSING:
		return 4;
	}
	return 0;
}

/* ---------------- AT+QIOPEN ---------------- */

static int parse_svc(const char *t, enum svc *out)
{
	if (!strcasecmp(t, "TCP"))
		*out = SVC_TCP;
	else if (!strcasecmp(t, "UDP"))
		*out = SVC_UDP;
	else if (IS_EC && !strcasecmp(t, "TCP LISTENER"))
		*out = SVC_TCP_LISTENER;
	else if (IS_EC && !strcasecmp(t, "UDP SERVICE"))
		*out = SVC_UDP_SERVICE;
	else
		return -1;
	return 0;
}

static void c_qiopen(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long ctx, id, rport, lport, access, maxn = 11, tmo = 0, proto = 0;
	enum svc svc;
	struct sock *s;
	char ip[64] = "";
	bool server;

	if (c->type == CT_TEST) {
		if (IS_EC)
			at_line("+QIOPEN: (1-%d),(0-%d),\"TCP/UDP/TCP LISTENER/UDP SERVICE\","
				"\"<IP_address>/<domain_name>\",<remote_port>,<local_port>,"
				"(0-2),(0-11),(10-150)", mdl->ctx_max, mdl->max_sock - 1);
		else
			at_line("+QIOPEN: (1-%d),(0-%d),\"TCP/UDP\",\"<IP_address>/<domain_name>\","
				"<remote_port>,<local_port>,(0,1),(0,1)",
				mdl->ctx_max, mdl->max_sock - 1);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE) {
		at_error(552);
		return;
	}
	if (ps->n < 5 || ps->n > (IS_EC ? 9 : 8) ||
	    p_int(ps, 0, 1, mdl->ctx_max, &ctx) < 0 ||
	    p_int(ps, 1, 0, mdl->max_sock - 1, &id) < 0 ||
	    !p_has(ps, 2) || parse_svc(p_str(ps, 2), &svc) < 0 ||
	    !p_has(ps, 3) || ps->p[3].len > 150 ||
	    p_int(ps, 4, IS_EC ? 0 : 1, 65535, &rport) < 0 ||
	    p_int_def(ps, 5, 0, 65535, 0, &lport) < 0 ||
	    p_int_def(ps, 6, 0, IS_EC ? 2 : 1, 0, &access) < 0) {
		at_error(552);
		return;
	}
	if (IS_EC && (p_int_def(ps, 7, 0, 11, 11, &maxn) < 0 ||
		      p_int_def(ps, 8, 10, 150, 150, &tmo) < 0)) {
		at_error(552);
		return;
	}
	if (IS_BC && p_int_def(ps, 7, 0, 1, 0, &proto) < 0) {
		at_error(552);
		return;
	}
	if (IS_BC)
		tmo = 60;
	if (mdl->ctx_only1 && ctx != 1) {
		at_error(555);
		return;
	}
	server = svc == SVC_TCP_LISTENER || svc == SVC_UDP_SERVICE;
	if (server && lport == 0) {
		at_error(552);
		return;
	}
	if (access == 2 && (server || at_trans_sock() >= 0)) {
		at_error(555);
		return;
	}
	if (sock_get(id)) {
		if (access == 2) {
			at_error(563);
			return;
		}
		at_ok();
		at_set_lasterr(563);
		urc("+QIOPEN: %ld,563", id);
		return;
	}
	if (!ctx_usable(ctx)) {
		if (access == 2) {
			at_error(561);
			return;
		}
		at_ok();
		at_set_lasterr(561);
		urc("+QIOPEN: %ld,561", id);
		return;
	}
	s = sock_alloc(id);
	s->svc = svc;
	s->ctx = ctx;
	s->rport = server ? 0 : rport;
	s->lport = lport;
	s->access = access;
	s->maxclients = maxn;
	snprintf(s->host, sizeof(s->host), "%s", p_str(ps, 3));
	if (resolve_host(s->host, ip, sizeof(ip)) == 0)
		snprintf(s->ip, sizeof(s->ip), "%s", ip);
	else if (server)
		snprintf(s->ip, sizeof(s->ip), "127.0.0.1");
	if (IS_BC && s->ip[0] && ip_family(s->ip) != (proto ? 6 : 4))
		s->ip[0] = 0;	/* no address of <protocol_type>'s family: 565 */
	if (access == 2) {
		s->access = 0;
		s->trans_open = true;
		at_busy();
		net_set_open_timeout(s, tmo);
		net_open(s);
		return;
	}
	at_ok();
	net_set_open_timeout(s, tmo);
	net_open(s);
}

/* ---------------- AT+QICLOSE ---------------- */

static void c_qiclose(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long id, tmo;
	struct sock *s;

	if (c->type == CT_TEST) {
		if (IS_EC)
			at_line("+QICLOSE: (0-%d),(0-65535)", mdl->max_sock - 1);
		else
			at_line("+QICLOSE: (0-%d)", mdl->max_sock - 1);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n > (IS_EC ? 2 : 1) ||
	    p_int(ps, 0, 0, mdl->max_sock - 1, &id) < 0 ||
	    (IS_EC && p_int_def(ps, 1, 0, 65535, 10, &tmo) < 0)) {
		at_error(552);
		return;
	}
	s = sock_get(id);
	if (s) {
		if (M.last_trans == id)
			M.last_trans = -1;
		sock_free(s, true);
	}
	if (IS_BC) {
		at_line("OK");
		at_set_lasterr(0);
		at_final("CLOSE OK");
		return;
	}
	at_ok();
	if (s && M.cfg.close_mode)
		urc("+QIURC: \"closed\",%ld", id);
}

/* ---------------- AT+QISTATE ---------------- */

static void print_state(const struct sock *s)
{
	const char *ip = s->host;

	if (IS_EC && s->ip[0] && s->svc != SVC_TCP_LISTENER &&
	    s->svc != SVC_UDP_SERVICE)
		ip = s->ip;
	if (IS_EC)
		at_line("+QISTATE: %d,\"%s\",\"%s\",%d,%d,%d,%d,%d,%d,\"uart1\"",
			s->id, svc_names[s->svc], ip, s->rport, s->lport,
			state_num(s), s->ctx,
			s->svc == SVC_TCP_INCOMING ? s->server_id :
			(s->svc == SVC_TCP_LISTENER || s->svc == SVC_UDP_SERVICE) ?
			s->id : 0, s->access);
	else
		at_line("+QISTATE: %d,\"%s\",\"%s\",%d,%d,%d,%d,%d",
			s->id, svc_names[s->svc], ip, s->rport, s->lport,
			state_num(s), s->ctx, s->access);
}

static void c_qistate(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long qt, v;
	int i;

	switch (c->type) {
	case CT_TEST:
		at_ok();
		return;
	case CT_EXEC:
		if (IS_BC) {
			at_error(552);
			return;
		}
		/* fall through */
	case CT_READ:
		for (i = 0; i < mdl->max_sock; i++)
			if (socks[i].used)
				print_state(&socks[i]);
		at_ok();
		return;
	case CT_WRITE:
		break;
	}
	if (ps->n != 2 || p_int(ps, 0, 0, 1, &qt) < 0 ||
	    (qt == 0 && p_int(ps, 1, 1, mdl->ctx_max, &v) < 0) ||
	    (qt == 1 && p_int(ps, 1, 0, mdl->max_sock - 1, &v) < 0)) {
		at_error(552);
		return;
	}
	for (i = 0; i < mdl->max_sock; i++) {
		if (!socks[i].used)
			continue;
		if ((qt == 0 && socks[i].ctx == v) || (qt == 1 && i == v))
			print_state(&socks[i]);
	}
	at_ok();
}

/* ---------------- sending ---------------- */

struct pending_send {
	int id;
	unsigned int gen;
	bool ex;
	bool has_addr;
	char ip[64];
	int port;
};
static struct pending_send psend;

static struct sock *sock_check(struct sock *s, unsigned int gen)
{
	if (!s || !s->used || s->gen != gen)
		return NULL;
	return s;
}

static void send_result(struct sock *s, int r, bool ex)
{
	const char *pfx = ex ? "+QISENDEX" : "+QISEND";

	if (r < 0) {
		at_error(s && s->eof ? 567 : 558);
		return;
	}
	at_set_lasterr(0);
	if (IS_BC) {
		at_line("OK");
		at_final(r ? "SEND FAIL" : "SEND OK");
		return;
	}
	if (M.cfg.sendinfo) {
		at_line("%s: %d,%d,%zu", pfx, s->id, r ? 1 : 0, net_free_space(s));
		at_final("OK");
		return;
	}
	at_final(r ? "SEND FAIL" : "SEND OK");
}

static void send_data_done(void *arg, int status, const uint8_t *p, size_t n)
{
	struct sock *s = sock_check(sock_get(psend.id), psend.gen);
	int r;

	(void)arg;
	if (status == DATA_CANCEL) {
		at_error(571);
		return;
	}
	if (status == DATA_TIMEOUT) {
		at_error(569);
		return;
	}
	if (status == DATA_BADHEX || status == DATA_TOOLONG) {
		at_error(552);
		return;
	}
	if (!s || s->st != SS_CONNECTED || s->fd < 0) {
		at_error(567);
		return;
	}
	r = net_send(s, p, n, psend.has_addr ? psend.ip : NULL, psend.port);
	send_result(s, r, false);
}

static bool can_send(const struct sock *s)
{
	return s && s->st == SS_CONNECTED && s->fd >= 0 &&
		s->svc != SVC_TCP_LISTENER && s->access != 2;
}

static void begin_send(struct sock *s, enum data_mode m, size_t len)
{
	psend.id = s->id;
	psend.gen = s->gen;
	psend.ex = false;
	at_prompt();
	at_begin_data(m, len, M.cfg.send_fmt != 0, send_data_done, NULL);
}

static void send_query(struct sock *s)
{
	uint64_t un = net_unacked(s);
	uint64_t acked = s->total_sent - un;

	/* BC66: <acked>, <nAcked> "only applicable for TCP session" */
	if (IS_BC && s->svc == SVC_UDP)
		acked = 0;
	at_line("+QISEND: %llu,%llu,%llu", (unsigned long long)s->total_sent,
		(unsigned long long)acked, (unsigned long long)un);
	at_ok();
}

/* BC66: AT+QISEND=<id>,<len>,<data> : data is the rest of the line */
static void bc_inline_send(struct sock *s, long len, const char *raw)
{
	const char *d = raw;
	size_t dl;
	uint8_t buf[BC_INLINE_TEXT_MAX + 1];
	int i, r;

	for (i = 0; i < 2 && d; i++) {
		d = strchr(d, ',');
		if (d)
			d++;
	}
	if (!d) {
		at_error(552);
		return;
	}
	dl = strlen(d);
	if (dl >= 2 && d[0] == '"' && d[dl - 1] == '"') {
		d++;
		dl -= 2;
	}
	if (M.cfg.send_fmt) {
		if (len > BC_INLINE_HEX_MAX || dl != (size_t)len * 2 ||
		    hex_decode(d, dl, buf) < 0) {
			at_error(552);
			return;
		}
	} else {
		if (len > BC_INLINE_TEXT_MAX || dl != (size_t)len) {
			at_error(552);
			return;
		}
		memcpy(buf, d, dl);
	}
	if (!can_send(s)) {
		at_error(567);
		return;
	}
	r = net_send(s, buf, len, NULL, 0);
	send_result(s, r, false);
}

static void c_qisend(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long id, len, port;
	struct sock *s;
	long dmax = mdl->send_max;

	if (c->type == CT_TEST) {
		if (IS_EC)
			at_line("+QISEND: (0-%d),(0-%d)", mdl->max_sock - 1, mdl->send_max);
		else
			at_line("+QISEND: (0-%d),(0-%d),<data>", mdl->max_sock - 1,
				BC_INLINE_TEXT_MAX);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || p_int(ps, 0, 0, mdl->max_sock - 1, &id) < 0) {
		at_error(552);
		return;
	}
	if (IS_BC && M.cfg.send_fmt)
		dmax = BC_DATA_HEX_MAX;
	s = sock_get(id);
	memset(&psend, 0, sizeof(psend));
	if (ps->n == 1) {
		if (!can_send(s) || s->svc == SVC_UDP_SERVICE) {
			at_error(s ? 567 : 552);
			return;
		}
		begin_send(s, DM_CTRLZ, dmax);	/* at most dmax bytes */
		return;
	}
	if (p_int(ps, 1, 0, IS_BC && ps->n >= 3 ? BC_INLINE_TEXT_MAX : dmax,
		  &len) < 0) {
		at_error(552);
		return;
	}
	if (len == 0) {
		if (!s || ps->n != 2) {
			at_error(552);
			return;
		}
		send_query(s);
		return;
	}
	if (IS_BC && ps->n >= 3) {
		if (!s) {
			at_error(552);
			return;
		}
		bc_inline_send(s, len, ps->raw);
		return;
	}
	if (ps->n == 2) {
		if (!can_send(s) || s->svc == SVC_UDP_SERVICE) {
			at_error(s ? 567 : 552);
			return;
		}
		begin_send(s, DM_FIXED, len);
		return;
	}
	/* EC200U UDP SERVICE: <id>,<len>,<remoteIP>,<remote_port> */
	if (ps->n != 4 || !valid_ip(p_str(ps, 2)) ||
	    p_int(ps, 3, 1, 65535, &port) < 0 ||
	    !s || s->svc != SVC_UDP_SERVICE) {
		at_error(552);
		return;
	}
	if (!can_send(s)) {
		at_error(567);
		return;
	}
	psend.has_addr = true;
	snprintf(psend.ip, sizeof(psend.ip), "%s", p_str(ps, 2));
	psend.port = port;
	psend.id = s->id;
	psend.gen = s->gen;
	at_prompt();
	at_begin_data(DM_FIXED, len, M.cfg.send_fmt != 0, send_data_done, NULL);
}

static void c_qisendex(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	uint8_t buf[EC_QISENDEX_MAX + 1];
	long id, len = 0;
	struct sock *s;
	const char *hex;
	size_t hl;
	int r, n;

	if (c->type == CT_TEST) {
		if (IS_EC)
			at_line("+QISENDEX: (0-%d),<hex_string>", mdl->max_sock - 1);
		else
			at_line("+QISENDEX: (0-%d),(1-512),<hex_string>",
				mdl->max_sock - 1);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n != (IS_EC ? 2 : 3) ||
	    p_int(ps, 0, 0, mdl->max_sock - 1, &id) < 0 ||
	    (IS_BC && p_int(ps, 1, 1, 512, &len) < 0)) {
		at_error(552);
		return;
	}
	hex = p_str(ps, IS_EC ? 1 : 2);
	hl = strlen(hex);
	if (hl == 0 || hl > 2 * EC_QISENDEX_MAX || (IS_BC && hl != (size_t)len * 2)) {
		at_error(552);
		return;
	}
	n = hex_decode(hex, hl, buf);
	if (n < 0) {
		at_error(552);
		return;
	}
	s = sock_get(id);
	if (!s || s->svc == SVC_UDP_SERVICE || s->svc == SVC_TCP_LISTENER) {
		at_error(552);
		return;
	}
	if (!can_send(s)) {
		at_error(567);
		return;
	}
	r = net_send(s, buf, n, NULL, 0);
	send_result(s, r, true);
}

/* ---------------- AT+QIRD ---------------- */

static void rd_reply(struct sock *s, const uint8_t *p, size_t n, size_t left,
		     const char *ip, int port)
{
	struct buf h = {0}, d = {0};
	bool vm = M.cfg.viewmode;

	if (!n) {
		at_line("+QIRD: 0");
		at_ok();
		return;
	}
	buf_printf(&h, "\r\n+QIRD: %zu", n);
	if (IS_BC && M.cfg.showlength)
		buf_printf(&h, ",%zu", left);
	if (IS_EC && s->svc == SVC_UDP_SERVICE)
		buf_printf(&h, ",\"%s\",%d", ip, port);
	buf_put(&h, vm ? "," : "\r\n", vm ? 1 : 2);
	if (M.cfg.recv_fmt)
		hex_encode(p, n, &d);
	else
		buf_put(&d, p, n);
	/* header (without its leading CRLF) is traced as a line */
	resp_write(buf_data(&h), buf_avail(&h));
	trace_tx_line((const char *)buf_data(&h) + 2,
		      buf_avail(&h) - 2 - (vm ? 0 : 2));
	at_raw(buf_data(&d), buf_avail(&d));
	resp_write("\r\n", 2);
	buf_free(&h);
	buf_free(&d);
	at_ok();
}

static void c_qird(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long id, len;
	struct sock *s;
	uint8_t buf[1500];
	char ip[64] = "";
	int port = 0;
	size_t n, left;
	bool span;

	if (c->type == CT_TEST) {
		at_line("+QIRD: (0-%d),(%d-%d)", mdl->max_sock - 1, IS_EC ? 0 : 1,
			mdl->qird_max);
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n > 2 ||
	    p_int(ps, 0, 0, mdl->max_sock - 1, &id) < 0) {
		at_error(552);
		return;
	}
	if (IS_BC ? p_int(ps, 1, 1, mdl->qird_max, &len) < 0 :
	    p_int_def(ps, 1, 0, mdl->qird_max, mdl->qird_max, &len) < 0) {
		at_error(552);
		return;
	}
	s = sock_get(id);
	if (!s || s->svc == SVC_TCP_LISTENER) {
		at_error(552);
		return;
	}
	if (len == 0) {
		at_line("+QIRD: %llu,%llu,%llu", (unsigned long long)s->total_recv,
			(unsigned long long)s->have_read,
			(unsigned long long)s->rx_buffered);
		at_ok();
		return;
	}
	if (IS_BC)
		span = false;	/* one node per read: <remaining_length> */
	else if (s->svc == SVC_TCP || s->svc == SVC_TCP_INCOMING)
		span = true;
	else
		span = s->svc == SVC_UDP && M.cfg.udp_readmode == 1;
	n = net_rx_take(s, buf, len, span, ip, &port, &left);
	at_set_lasterr(0);
	rd_reply(s, buf, n, left, ip, port);
}

/* ---------------- AT+QISWTMD / ATO ---------------- */

static void c_qiswtmd(struct cmd_ctx *c)
{
	struct params *ps = &c->ps;
	long id, mode;
	struct sock *s;

	if (c->type == CT_TEST) {
		at_line("+QISWTMD: (0-%d),%s", mdl->max_sock - 1,
			IS_EC ? "(0-2)" : "(0,1)");
		at_ok();
		return;
	}
	if (c->type == CT_READ && IS_BC) {
		at_ok();
		return;
	}
	if (c->type != CT_WRITE || ps->n != 2 ||
	    p_int(ps, 0, 0, mdl->max_sock - 1, &id) < 0 ||
	    p_int(ps, 1, 0, IS_EC ? 2 : 1, &mode) < 0) {
		at_error(552);
		return;
	}
	s = sock_get(id);
	if (!s) {
		at_error(552);
		return;
	}
	if (mode == 2) {
		if ((s->svc != SVC_TCP && s->svc != SVC_UDP &&
		     s->svc != SVC_TCP_INCOMING) || s->st != SS_CONNECTED) {
			at_error(555);
			return;
		}
		at_set_lasterr(0);
		at_enter_trans(s->id);
		return;
	}
	s->access = mode;
	at_ok();
	net_deliver_buffered(s);
}

void cmd_ato(void)
{
	struct sock *s = sock_get(M.last_trans);

	if (IS_EC && s && s->st == SS_CONNECTED && s->fd >= 0) {
		at_enter_trans(s->id);
		return;
	}
	at_final("NO CARRIER");
}

const struct cmd_def cmd_sock_tab[] = {
	{ "+QIOPEN", c_qiopen, DL_ALL, true },
	{ "+QICLOSE", c_qiclose, DL_ALL, true },
	{ "+QISTATE", c_qistate, DL_ALL, true },
	{ "+QISEND", c_qisend, DL_ALL, true },
	{ "+QISENDEX", c_qisendex, DL_ALL, true },
	{ "+QIRD", c_qird, DL_ALL, true },
	{ "+QISWTMD", c_qiswtmd, DL_ALL, true },
	{ NULL, NULL, 0, false }
};
