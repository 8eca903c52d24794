// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: the control channel (a unix stream socket, one command per
 * line, reply "ok[ payload]" or "error <why>") used by tests to inject
 * faults at chosen moments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "sim.h"

#define MAX_CTL 8

struct ctl_client {
	int fd;
	struct buf in;
};

static int lfd = -1;
static const char *lpath;
static struct ctl_client cl[MAX_CTL];

int ctl_init(const char *path)
{
	struct sockaddr_un sa;
	int i;

	for (i = 0; i < MAX_CTL; i++)
		cl[i].fd = -1;
	if (!path)
		return 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		die("control path too long");
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind %s: %s", path, strerror(errno));
	if (listen(lfd, 4) < 0)
		die("listen: %s", strerror(errno));
	set_nonblock(lfd);
	lpath = path;
	return 0;
}

void ctl_cleanup(void)
{
	if (lpath)
		unlink(lpath);
}

static void reply(struct ctl_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void reply(struct ctl_client *c, const char *fmt, ...)
{
	struct buf b = {0};

	BUF_VARGS(&b, fmt);
	buf_putc(&b, '\n');
	if (write(c->fd, buf_data(&b), buf_avail(&b)) < 0)
		trace_note("control: reply lost");
	buf_free(&b);
}

static bool need_client(struct ctl_client *c)
{
	if (line_fd() >= 0)
		return true;
	reply(c, "error no serial client connected");
	return false;
}

static bool parse_num(const char *s, long min, long max, long *v)
{
	char *e;

	if (!s || !*s)
		return false;
	*v = strtol(s, &e, 10);
	return !*e && *v >= min && *v <= max;
}

/* hang | hang cfun | hang <ms> | hang off (hang.c) */
static void do_hang(struct ctl_client *c, const char *arg)
{
	long v = 0;

	if (!*arg)
		hang_set(HANG_RESET, 0);
	else if (!strcmp(arg, "cfun"))
		hang_set(HANG_CFUN, 0);
	else if (!strcmp(arg, "off"))
		hang_set(HANG_NONE, 0);
	else if (parse_num(arg, 1, 3600000, &v))
		hang_set(HANG_TIMED, v);
	else {
		reply(c, "error usage: hang [cfun|off|<ms 1-3600000>]");
		return;
	}
	reply(c, "ok");
}

/* actfail <ctx> <err 550-574> [n 1-1000] | actfail <ctx> 0 (cmd_ctx.c) */
static void do_actfail(struct ctl_client *c, char *arg)
{
	char *e = strchr(arg, ' '), *n = NULL;
	long ctx, err, cnt = 1;

	if (e) {
		*e++ = 0;
		n = strchr(e, ' ');
		if (n)
			*n++ = 0;
	}
	if (!IS_EC || !parse_num(arg, 1, mdl->ctx_max, &ctx) || !e ||
	    !parse_num(e, 0, 574, &err) || (err && err < 550) ||
	    (n && !parse_num(n, 1, 1000, &cnt))) {
		reply(c, "error usage: actfail <ctx> <err 550-574> [n 1-1000] | actfail <ctx> 0 (EC200U)");
		return;
	}
	ctx_actfail_set(ctx, err, cnt);
	reply(c, "ok");
}

static void do_cmd(struct ctl_client *c, char *l)
{
	char *arg;
	long v;

	while (*l == ' ')
		l++;
	arg = strchr(l, ' ');
	if (arg) {
		*arg++ = 0;
		while (*arg == ' ')
			arg++;
	} else {
		arg = l + strlen(l);
	}
	trace_note("control: %s%s%s", l, *arg ? " " : "", arg);

	if (!strcmp(l, "stats")) {
		uint64_t tx, rx;

		line_stats(&tx, &rx);
		reply(c, "ok tx=%llu rx=%llu", (unsigned long long)tx,
		      (unsigned long long)rx);
	} else if (!strcmp(l, "urc")) {
		if (!need_client(c))
			return;
		urc_emit_now(arg);
		reply(c, "ok");
	} else if (!strcmp(l, "urc-at")) {
		char *text = strchr(arg, ' ');

		if (!text) {
			reply(c, "error usage: urc-at <point> <text>");
			return;
		}
		*text++ = 0;
		if (!urc_point_valid(arg)) {
			reply(c, "error unknown point %s", arg);
			return;
		}
		urc_inject(arg, text);
		reply(c, "ok");
	} else if (!strcmp(l, "reboot")) {
		if (!need_client(c))
			return;
		modem_reboot();
		reply(c, "ok");
	} else if (!strcmp(l, "pdpdeact")) {
		if (!parse_num(arg, 1, 16, &v)) {
			reply(c, "error usage: pdpdeact <ctx>");
			return;
		}
		if (!need_client(c))
			return;
		if (modem_pdpdeact(v) < 0)
			reply(c, "error context %ld not active", v);
		else
			reply(c, "ok");
	} else if (!strcmp(l, "hang")) {
		do_hang(c, arg);
	} else if (!strcmp(l, "actfail")) {
		do_actfail(c, arg);
	} else if (!strcmp(l, "status")) {
		char *kv, *save = NULL;

		/* rssi=N ber=N reg=N operator=NAME (no blanks in NAME) */
		for (kv = strtok_r(arg, " ", &save); kv;
		     kv = strtok_r(NULL, " ", &save)) {
			if (!strncmp(kv, "rssi=", 5) && parse_num(kv + 5, 0, 99, &v))
				M.rssi = v;
			else if (!strncmp(kv, "ber=", 4) && parse_num(kv + 4, 0, 99, &v))
				M.ber = v;
			else if (!strncmp(kv, "reg=", 4) && parse_num(kv + 4, 0, 5, &v))
				M.reg = v;
			else if (!strncmp(kv, "operator=", 9) &&
				 strlen(kv + 9) < sizeof(M.oper))
				snprintf(M.oper, sizeof(M.oper), "%s", kv + 9);
			else {
				reply(c, "error usage: status [rssi=N] [ber=N] [reg=N] [operator=NAME]");
				return;
			}
		}
		reply(c, "ok rssi=%d ber=%d reg=%d operator=%s", M.rssi, M.ber,
		      M.reg, M.oper);
	} else if (!strcmp(l, "ctx")) {
		const struct pdp_ctx *x;

		/* what the host configured, password included (tests only) */
		if (!parse_num(arg, 1, MAX_CTX, &v)) {
			reply(c, "error usage: ctx <1-%d>", MAX_CTX);
			return;
		}
		x = &M.ctx[v];
		reply(c, "ok type=%d apn=%s user=%s pass=%s auth=%d active=%d",
		      x->type, x->apn, x->user, x->pass, x->auth, x->active);
	} else if (!strcmp(l, "qicfg")) {
		char name[32], out[1024];
		const char *keys = arg;
		size_t n = strcspn(arg, " ");

		/* an option's values as the module holds them (tests only) */
		if (!n || n >= sizeof(name)) {
			reply(c, "error usage: qicfg <option> [<key>...]");
			return;
		}
		memcpy(name, arg, n);
		name[n] = 0;
		keys += n;
		if (cfg_dump(name, keys, out, sizeof(out)) < 0)
			reply(c, "error %s", out);
		else
			reply(c, "ok %s", out);
	} else if (!strcmp(l, "remote-close")) {
		struct sock *s;

		if (!parse_num(arg, 0, MAX_SOCK - 1, &v)) {
			reply(c, "error usage: remote-close <connectID>");
			return;
		}
		s = sock_get(v);
		if (!s || s->fd < 0 || s->svc == SVC_TCP_LISTENER) {
			reply(c, "error socket %ld not connected", v);
			return;
		}
		net_remote_close(s);
		reply(c, "ok");
	} else if (!strcmp(l, "split")) {
		if (strcmp(arg, "on") && strcmp(arg, "off")) {
			reply(c, "error usage: split on|off");
			return;
		}
		line_set_split(!strcmp(arg, "on"));
		reply(c, "ok");
	} else if (!strcmp(l, "garbage")) {
		uint8_t g[1024];
		long i, done;

		if (!parse_num(arg, 0, 1 << 20, &v)) {
			reply(c, "error usage: garbage <n>");
			return;
		}
		if (!need_client(c))
			return;
		for (done = 0; done < v; done += i) {
			for (i = 0; i < (long)sizeof(g) && done + i < v; i++)
				g[i] = (uint8_t)rng_next();
			line_write(g, i);
			trace_tx_data(g, i);
		}
		line_write("\r\n", 2);
		reply(c, "ok");
	} else if (!strcmp(l, "stall")) {
		if (!*arg)
			v = 1;
		else if (!parse_num(arg, 1, 1000, &v)) {
			reply(c, "error usage: stall [n]");
			return;
		}
		at_set_stall(v);
		reply(c, "ok");
	} else if (!strcmp(l, "delay")) {
		char *cnt = strchr(arg, ' ');
		long n = 1;

		if (cnt)
			*cnt++ = 0;
		if (!parse_num(arg, 0, 600000, &v) ||
		    (cnt && *cnt && !parse_num(cnt, 1, 1000, &n))) {
			reply(c, "error usage: delay <ms 0-600000> [n 1-1000]");
			return;
		}
		hold_set(v, n);
		reply(c, "ok");
	} else if (!strcmp(l, "sendfail")) {
		if (!parse_num(arg, 0, 1000000, &v)) {
			reply(c, "error usage: sendfail <n>");
			return;
		}
		M.sendfail = v;
		reply(c, "ok");
	} else if (!strcmp(l, "trace")) {
		if (strcmp(arg, "on") && strcmp(arg, "off")) {
			reply(c, "error usage: trace on|off");
			return;
		}
		trace_set(!strcmp(arg, "on"));
		reply(c, "ok");
	} else if (!strcmp(l, "sleep") || !strcmp(l, "sleep?") ||
		   !strcmp(l, "wake")) {
		char out[256];

		if (sleep_control(l, arg, out, sizeof(out)) < 0)
			reply(c, "error %s", out);
		else
			reply(c, "ok%s%s", *out ? " " : "", out);
	} else if (!strcmp(l, "model")) {
		reply(c, "ok %s", mdl->name);
	} else if (!*l) {
		reply(c, "error empty command");
	} else {
		reply(c, "error unknown command %s", l);
	}
}

int ctl_pollfds(struct pollfd *pfd, int max)
{
	int i, n = 0;

	if (lfd < 0)
		return 0;
	if (n < max) {
		pfd[n].fd = lfd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	for (i = 0; i < MAX_CTL && n < max; i++) {
		pfd[n].fd = cl[i].fd;
		pfd[n].events = cl[i].fd >= 0 ? POLLIN : 0;
		pfd[n++].revents = 0;
	}
	return n;
}

static void client_input(struct ctl_client *c)
{
	char tmp[1024];
	ssize_t r = read(c->fd, tmp, sizeof(tmp));
	uint8_t *nl;

	if (r <= 0) {
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(c->fd);
		c->fd = -1;
		buf_free(&c->in);
		return;
	}
	buf_put(&c->in, tmp, r);
	while (c->fd >= 0 &&
	       (nl = memchr(buf_data(&c->in), '\n', buf_avail(&c->in)))) {
		size_t n = nl - buf_data(&c->in);
		char *l = malloc(n + 1);

		if (!l)
			die("out of memory");
		memcpy(l, buf_data(&c->in), n);
		l[n] = 0;
		if (n && l[n - 1] == '\r')
			l[n - 1] = 0;
		buf_drop(&c->in, n + 1);
		do_cmd(c, l);
		free(l);
	}
}

void ctl_poll_done(struct pollfd *pfd, int n)
{
	int i;

	if (lfd < 0 || n < 1)
		return;
	for (i = 1; i < n; i++)
		if (cl[i - 1].fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
			client_input(&cl[i - 1]);
	if (pfd[0].revents & POLLIN) {
		int s = accept(lfd, NULL, NULL);

		if (s < 0)
			return;
		for (i = 0; i < MAX_CTL; i++) {
			if (cl[i].fd < 0) {
				set_nonblock(s);
				cl[i].fd = s;
				return;
			}
		}
		close(s);
	}
}
