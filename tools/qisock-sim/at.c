// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: the AT command reader and dispatcher, response and URC output,
 * the '>' data phase, transparent mode with +++ guard times, and the URC
 * injection points used by the control channel.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"

#define LINE_MAX_LEN 4096
#define GUARD_NS 1000000000ull

enum at_state { S_CMD, S_DATA, S_TRANS };

struct deferred {
	struct deferred *next;
	size_t hn, dn;
	char *hdr;
	uint8_t *data;
	bool raw;
};

struct injection {
	int point;
	char text[256];
};

enum { INJ_BETWEEN, INJ_PROMPT, INJ_SENDOK, INJ_NPOINTS };
static const char *const inj_names[INJ_NPOINTS] = {
	"between-lines", "before-prompt", "after-send-ok"
};

static struct buf inq;
static char line[LINE_MAX_LEN + 1];
static size_t llen;
static bool overflow, last_cr;
static enum at_state st;
static bool busy, processing;
static bool in_cmd, cur_tcpip;
static int resp_lines;
static int chain_left;	/* subcommands after the current one */
static bool chain_failed;
static int stall;
static int lasterr;

/* data phase */
static enum data_mode dmode;
static size_t dneed;
static bool dhex;
static bool dover;	/* Ctrl+Z form: more than dneed bytes came */
static data_fn dfn;
static void *darg;
static struct buf dbuf;
static int dtimer;

/* deferred URCs */
static struct deferred *dq_head, *dq_tail;

/* injections */
#define MAX_INJ 32
static struct injection inj[MAX_INJ];
static int ninj;

/* transparent mode */
static int tsock = -1;
static uint64_t t_last_rx, t_plus_start;
static int t_plus;
static int t_guard_timer, t_flush_timer;
static struct buf t_out;

static void process(void);

void at_reset(void)
{
	struct deferred *d, *n;

	buf_reset(&inq);
	llen = 0;
	overflow = last_cr = false;
	st = S_CMD;
	busy = in_cmd = false;
	resp_lines = 0;
	chain_left = 0;
	stall = 0;
	lasterr = 0;
	buf_reset(&dbuf);
	dfn = NULL;
	dtimer = 0;
	for (d = dq_head; d; d = n) {
		n = d->next;
		free(d->hdr);
		free(d->data);
		free(d);
	}
	dq_head = dq_tail = NULL;
	ninj = 0;
	tsock = -1;
	t_plus = 0;
	t_guard_timer = t_flush_timer = 0;
	buf_reset(&t_out);
	hold_reset();
}

void at_set_stall(int n)
{
	stall += n;
}

void at_set_lasterr(int err)
{
	lasterr = err;
}

int at_get_lasterr(void)
{
	return lasterr;
}

bool at_in_data(void)
{
	return st == S_DATA;
}

bool at_in_trans(void)
{
	return st == S_TRANS;
}

int at_trans_sock(void)
{
	return st == S_TRANS ? tsock : -1;
}

/* ---------------- output ---------------- */

/* a framed line: part of a reply (may be held, see hold.c) or a URC */
static void out_line(const char *text, size_t n, bool resp)
{
	void (*put)(const void *p, size_t n) = resp ? resp_write : line_write;

	put("\r\n", 2);
	put(text, n);
	put("\r\n", 2);
	trace_tx_line(text, n);
}

static bool take_injection(int point, char *text, size_t sz)
{
	int i;

	for (i = 0; i < ninj; i++) {
		if (inj[i].point != point)
			continue;
		snprintf(text, sz, "%s", inj[i].text);
		memmove(&inj[i], &inj[i + 1], (ninj - i - 1) * sizeof(inj[0]));
		ninj--;
		return true;
	}
	return false;
}

static void maybe_inject(int point)
{
	char text[256];

	while (take_injection(point, text, sizeof(text))) {
		trace_note("inject URC at %s", inj_names[point]);
		out_line(text, strlen(text), true);
	}
}

static void resp_text(const char *text, size_t n)
{
	if (resp_lines > 0)
		maybe_inject(INJ_BETWEEN);
	out_line(text, n, true);
	resp_lines++;
}

void at_line(const char *fmt, ...)
{
	struct buf b = {0};

	BUF_VARGS(&b, fmt);
	resp_text((const char *)buf_data(&b), buf_avail(&b));
	buf_free(&b);
}

void at_raw(const void *p, size_t n)
{
	resp_write(p, n);
	trace_tx_data(p, n);
	resp_lines++;
}

void at_flush_urcs(void)
{
	struct deferred *d;

	while (!in_cmd && st == S_CMD && !sleep_asleep() && (d = dq_head)) {
		dq_head = d->next;
		if (!dq_head)
			dq_tail = NULL;
		if (d->raw) {
			line_write("\r\n", 2);
			line_write(d->hdr, d->hn);
			line_write(d->data, d->dn);
			line_write("\r\n", 2);
			trace_tx_line(d->hdr, d->hn);
			trace_tx_data(d->data, d->dn);
		} else {
			out_line(d->hdr, d->hn, false);
		}
		free(d->hdr);
		free(d->data);
		free(d);
	}
}

static void end_cmd(void)
{
	in_cmd = false;
	resp_lines = 0;
	at_flush_urcs();
}

void at_final(const char *text)
{
	if (!in_cmd) {
		/* a late final (async completion) */
		in_cmd = true;
		resp_lines = 1;
	}
	resp_text(text, strlen(text));
	if (!strcmp(text, "SEND OK"))
		maybe_inject(INJ_SENDOK);
	end_cmd();
}

void at_ok(void)
{
	if (cur_tcpip)
		lasterr = 0;
	if (chain_left > 0)
		return;	/* OK of a chained subcommand is folded into the last */
	at_final("OK");
}

/*
 * AT+CMEE: 0 (power-on) plain ERROR; 1 "+CME ERROR: <err>"; 2 "+CME ERROR:
 * <text>" (the seed's table wording, as AT+QIGETERROR gives it). Only
 * errors with a code of the seeds' table (550-574) take the +CME form;
 * the others (syntax of basic commands) stay ERROR, as the seeds name no
 * code for them.
 */
void at_error(int err)
{
	char text[96];

	if (err > 0)
		lasterr = err;
	chain_failed = true;
	chain_left = 0;
	if (err > 0 && M.cmee == 1)
		snprintf(text, sizeof(text), "+CME ERROR: %d", err);
	else if (err > 0 && M.cmee == 2)
		snprintf(text, sizeof(text), "+CME ERROR: %s", err_desc(err));
	else
		snprintf(text, sizeof(text), "ERROR");
	at_final(text);
}

void at_prompt(void)
{
	maybe_inject(INJ_PROMPT);
	if (IS_EC && M.cfg.formatcfg == 1) {
		resp_write("\r\n>\r\n", 5);
		trace_tx_line(">", 1);
	} else {
		resp_write("\r\n> ", 4);
		trace_tx_line("> ", 2);
	}
	resp_lines = 0;
}

static void defer(const char *hdr, size_t hn, const void *p, size_t n, bool raw)
{
	struct deferred *d = calloc(1, sizeof(*d));

	if (!d)
		die("out of memory");
	d->hdr = malloc(hn + 1);
	d->data = malloc(n + 1);
	if (!d->hdr || !d->data)
		die("out of memory");
	memcpy(d->hdr, hdr, hn);
	d->hdr[hn] = 0;
	if (n)
		memcpy(d->data, p, n);
	d->hn = hn;
	d->dn = n;
	d->raw = raw;
	if (dq_tail)
		dq_tail->next = d;
	else
		dq_head = d;
	dq_tail = d;
}

static bool must_defer(void)
{
	return in_cmd || st != S_CMD || dq_head || sleep_asleep();
}

size_t at_deferred_count(void)
{
	const struct deferred *d;
	size_t n = 0;

	for (d = dq_head; d; d = d->next)
		n++;
	return n;
}

/* nothing in progress: no line, reply, data phase or held URC (sleep.c) */
bool at_idle(void)
{
	return !in_cmd && !busy && st == S_CMD && !hold_active() &&
		!buf_avail(&inq) && !llen && !dq_head;
}

void urc(const char *fmt, ...)
{
	struct buf b = {0};

	if (line_fd() < 0 || sleep_drop_urc(0))
		return;
	BUF_VARGS(&b, fmt);
	if (must_defer())
		defer((const char *)buf_data(&b), buf_avail(&b), NULL, 0, false);
	else
		out_line((const char *)buf_data(&b), buf_avail(&b), false);
	buf_free(&b);
}

/* "\r\n" hdr data "\r\n": hdr carries its own separator (CRLF or ',') */
void urc_raw(const void *hdr, size_t hn, const void *p, size_t n)
{
	if (line_fd() < 0 || sleep_drop_urc(n))
		return;
	if (must_defer()) {
		defer(hdr, hn, p, n, true);
		return;
	}
	line_write("\r\n", 2);
	line_write(hdr, hn);
	line_write(p, n);
	line_write("\r\n", 2);
	trace_tx_line(hdr, hn);
	trace_tx_data(p, n);
}

void urc_emit_now(const char *text)
{
	if (sleep_drop_urc(0))
		return;
	if (sleep_asleep())
		defer(text, strlen(text), NULL, 0, false);
	else
		out_line(text, strlen(text), false);
}

static int point_index(const char *point)
{
	int i;

	for (i = 0; i < INJ_NPOINTS; i++)
		if (!strcmp(point, inj_names[i]))
			return i;
	return -1;
}

void urc_inject(const char *point, const char *text)
{
	int i = point_index(point);

	if (i < 0 || ninj >= MAX_INJ)
		return;
	inj[ninj].point = i;
	snprintf(inj[ninj].text, sizeof(inj[ninj].text), "%s", text);
	ninj++;
}

int urc_point_valid(const char *point)
{
	return point_index(point) >= 0;
}

/* ---------------- busy (pending command) ---------------- */

void at_busy(void)
{
	busy = true;
}

void at_done(void)
{
	busy = false;
	at_kick();
}

void at_kick(void)
{
	if (!processing)
		process();
}

/* ---------------- data phase ---------------- */

static void data_finish(int status)
{
	data_fn fn = dfn;
	void *arg = darg;
	uint8_t *dec = NULL;
	size_t n = buf_avail(&dbuf);
	const uint8_t *p = buf_data(&dbuf);

	timer_cancel(dtimer);
	dtimer = 0;
	st = S_CMD;
	dfn = NULL;
	trace_rx_data(p, n);
	if (status == DATA_OK && dhex) {
		int r;

		dec = malloc(n / 2 + 1);
		if (!dec)
			die("out of memory");
		r = hex_decode((const char *)p, n, dec);
		if (r < 0) {
			status = DATA_BADHEX;
			n = 0;
		} else {
			n = r;
		}
		p = dec;
	}
	if (fn)
		fn(arg, status, p, n);
	free(dec);
	buf_reset(&dbuf);
	if (in_cmd && st == S_CMD && !busy)
		end_cmd();
}

static void data_timeout(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	dtimer = 0;
	if (st == S_DATA)
		data_finish(DATA_TIMEOUT);
}

static void data_arm_timer(void)
{
	timer_cancel(dtimer);
	dtimer = 0;
	if (IS_EC && M.cfg.qisend_timeout > 0)
		dtimer = timer_add(M.cfg.qisend_timeout * 1000, data_timeout,
				   NULL, 0, 0);
}

void at_begin_data(enum data_mode m, size_t n, bool hex, data_fn fn, void *arg)
{
	st = S_DATA;
	dmode = m;
	dhex = hex;
	dneed = hex ? 2 * n : n;
	dover = false;
	dfn = fn;
	darg = arg;
	buf_reset(&dbuf);
	data_arm_timer();
}

static size_t data_input(const uint8_t *p, size_t n)
{
	size_t used = 0;

	if (dmode == DM_FIXED) {
		size_t want = dneed - buf_avail(&dbuf);

		used = n < want ? n : want;
		buf_put(&dbuf, p, used);
		if (data_echo())
			line_write(p, used);
		if (buf_avail(&dbuf) >= dneed)
			data_finish(DATA_OK);
		else
			data_arm_timer();
		return used;
	}
	while (used < n) {
		uint8_t c = p[used++];

		if (c == 0x1a) {
			data_finish(dover ? DATA_TOOLONG : DATA_OK);
			return used;
		}
		if (c == 0x1b) {
			data_finish(DATA_CANCEL);
			return used;
		}
		if (buf_avail(&dbuf) < dneed)
			buf_putc(&dbuf, c);
		else
			dover = true;	/* refused at Ctrl+Z: nothing is sent */
		if (data_echo())
			line_write(&c, 1);
	}
	data_arm_timer();
	return used;
}

/* ---------------- transparent mode ---------------- */

static void trans_flush(void *arg, long a, long b)
{
	struct sock *s;

	(void)arg; (void)a; (void)b;
	t_flush_timer = 0;
	if (!buf_avail(&t_out))
		return;
	s = sock_get(tsock);
	trace_rx_data(buf_data(&t_out), buf_avail(&t_out));
	if (s)
		net_trans_write(s, buf_data(&t_out), buf_avail(&t_out));
	buf_reset(&t_out);
}

static void trans_queue(const uint8_t *p, size_t n)
{
	buf_put(&t_out, p, n);
	if ((long)buf_avail(&t_out) >= M.cfg.transpktsize || M.cfg.transwaittm == 0) {
		timer_cancel(t_flush_timer);
		trans_flush(NULL, 0, 0);
	} else if (!t_flush_timer) {
		t_flush_timer = timer_add(M.cfg.transwaittm, trans_flush, NULL, 0, 0);
	}
}

void at_leave_trans(const char *final)
{
	if (st != S_TRANS)
		return;
	timer_cancel(t_flush_timer);
	trans_flush(NULL, 0, 0);
	timer_cancel(t_guard_timer);
	t_guard_timer = 0;
	t_plus = 0;
	st = S_CMD;
	in_cmd = true;
	resp_lines = 0;
	at_final(final);
}

static void guard_after(void *arg, long a, long b)
{
	struct sock *s;

	(void)arg; (void)a; (void)b;
	t_guard_timer = 0;
	if (st != S_TRANS || t_plus != 3)
		return;
	trace_rx_data((const uint8_t *)"+++", 3);
	s = sock_get(tsock);
	M.last_trans = tsock;
	t_plus = 0;
	at_leave_trans("OK");
	if (s) {
		s->access = 0;
		net_deliver_buffered(s);
	}
}

void at_enter_trans(int sockid)
{
	struct sock *s = sock_get(sockid);

	tsock = sockid;
	if (s)
		s->access = 2;
	st = S_TRANS;
	at_final("CONNECT");
	t_plus = 0;
	t_last_rx = now_ns();
	buf_reset(&t_out);
	if (s)
		net_deliver_buffered(s);
}

void at_trans_output(const uint8_t *p, size_t n)
{
	resp_write(p, n);	/* behind a held CONNECT */
	trace_tx_data(p, n);
}

static void trans_input(const uint8_t *p, size_t n)
{
	uint64_t now = now_ns();
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == '+' && t_plus == 0 && now - t_last_rx >= GUARD_NS) {
			t_plus = 1;
			t_plus_start = now;
		} else if (c == '+' && t_plus > 0 && t_plus < 3 &&
			   now - t_plus_start <= GUARD_NS) {
			t_plus++;
			if (t_plus == 3)
				t_guard_timer = timer_add(GUARD_NS / 1000000,
							  guard_after, NULL, 0, 0);
		} else {
			if (t_plus) {
				timer_cancel(t_guard_timer);
				t_guard_timer = 0;
				trans_queue((const uint8_t *)"+++", t_plus);
				t_plus = 0;
			}
			trans_queue(&c, 1);
		}
		t_last_rx = now;
	}
}

/* ---------------- command execution ---------------- */

static const struct cmd_def *const tabs[] = {
	cmd_basic_tab, cmd_sock_tab, cmd_ctx_tab, cmd_cfg_tab, cmd_misc_tab
};

static const struct cmd_def *lookup(const char *name)
{
	size_t t;
	const struct cmd_def *d;

	for (t = 0; t < ARRAY_SIZE(tabs); t++)
		for (d = tabs[t]; d->name; d++)
			if (!strcmp(d->name, name) &&
			    (d->dialects & (1u << mdl->dialect)))
				return d;
	return NULL;
}

int basic_commands(const char *s);	/* cmd_basic.c */

/* one extended command "+NAME[=?|?|=args]" */
static void exec_ext(char *s)
{
	char name[32];
	size_t n = 0;
	struct cmd_ctx c;
	const struct cmd_def *d;

	memset(&c, 0, sizeof(c));
	name[n++] = '+';
	s++;
	while (*s && (isalnum((unsigned char)*s) || *s == '&') && n < sizeof(name) - 1)
		name[n++] = toupper((unsigned char)*s++);
	name[n] = 0;
	if (!strcmp(s, "=?")) {
		c.type = CT_TEST;
	} else if (!strcmp(s, "?")) {
		c.type = CT_READ;
	} else if (*s == '=') {
		c.type = CT_WRITE;
		c.args = s + 1;
	} else if (!*s) {
		c.type = CT_EXEC;
	} else {
		at_error(0);
		return;
	}
	c.name = name;
	d = lookup(name);
	if (!d) {
		at_error(0);
		return;
	}
	cur_tcpip = d->tcpip;
	if (c.type == CT_WRITE && params_parse(c.args, &c.ps) < 0) {
		at_error(d->tcpip ? 552 : 0);
		return;
	}
	d->fn(&c);
}

/* split "cmd1;+cmd2;..." outside quotes, in place */
static int split_chain(char *s, char **parts, int max)
{
	int n = 0;
	bool q = false;

	parts[n++] = s;
	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == ';' && !q) {
			*s = 0;
			if (n < max && s[1])
				parts[n++] = s + 1;
		}
	}
	return n;
}

static void exec_line(char *l, size_t n)
{
	char *parts[16];
	int np, i;
	char *s = NULL;
	size_t k;

	trace_rx_line(l, n);
	for (k = 0; k + 1 < n; k++) {
		if (toupper((unsigned char)l[k]) == 'A' &&
		    toupper((unsigned char)l[k + 1]) == 'T') {
			s = l + k + 2;
			break;
		}
	}
	if (!s)
		return;	/* not a command: ignored like a real module does */
	if (sleep_take_swallow()) {
		line_write("\r\n", 2);	/* a bare line end, nothing else */
		trace_tx_line("", 0);
		return;
	}
	if (stall > 0) {
		stall--;
		trace_note("stall: command swallowed");
		return;
	}
	hold_next();
	while (*s == ' ')
		s++;
	in_cmd = true;
	resp_lines = 0;
	cur_tcpip = false;
	chain_failed = false;
	if (!*s) {
		at_ok();
		return;
	}
	np = split_chain(s, parts, ARRAY_SIZE(parts));
	for (i = 0; i < np; i++) {
		char *p = parts[i];

		while (*p == ' ')
			p++;
		chain_left = np - 1 - i;
		cur_tcpip = false;
		if (*p == '+')
			exec_ext(p);
		else if (basic_commands(p) < 0)
			at_error(0);
		if (chain_failed || !in_cmd || busy || st != S_CMD)
			break;
	}
	chain_left = 0;
}

static void cmd_input(const uint8_t *p, size_t n, size_t *used)
{
	/* the line a wake-up swallows is not echoed either */
	bool echo = M.echo && !sleep_swallowing();
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == '\r') {
			if (echo)
				line_write(&c, 1);
			line[llen] = 0;
			size_t l = llen;
			bool of = overflow;

			llen = 0;
			overflow = false;
			last_cr = true;
			*used = i + 1;
			if (of) {
				trace_rx_line(line, l);
				in_cmd = true;
				resp_lines = 0;
				at_error(0);
			} else if (l) {
				exec_line(line, l);
				if (in_cmd && !busy && st == S_CMD)
					end_cmd();
			}
			return;
		}
		if (c == '\n') {
			if (llen == 0 && last_cr)
				continue;	/* CR LF: the LF is ignored */
			if (echo)
				line_write(&c, 1);
			continue;
		}
		last_cr = false;
		if (echo)
			line_write(&c, 1);
		if (c == 0x08 || c == 0x7f) {
			if (llen)
				llen--;
			continue;
		}
		if (c == 0)
			continue;
		if (llen < LINE_MAX_LEN)
			line[llen++] = (char)c;
		else
			overflow = true;
	}
	*used = n;
}

static void process(void)
{
	processing = true;
	while (!busy && !hold_active() && buf_avail(&inq)) {
		const uint8_t *p = buf_data(&inq);
		size_t n = buf_avail(&inq), used = n;

		switch (st) {
		case S_CMD:
			if (in_cmd) {
				/* command still answering (async): hold input */
				used = 0;
				break;
			}
			cmd_input(p, n, &used);
			break;
		case S_DATA:
			used = data_input(p, n);
			break;
		case S_TRANS:
			trans_input(p, n);
			break;
		}
		if (!used)
			break;
		buf_drop(&inq, used);
	}
	processing = false;
}

void at_input(const uint8_t *p, size_t n)
{
	if (hang_input(p, n))
		return;		/* a hung module takes nothing */
	sleep_host_byte();
	buf_put(&inq, p, n);
	process();
}
