// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: the module's network services on the control node
 * (QISOCK_IOC_RESOLVE, PING, NTP; include/uapi/linux/qisock.h).
 *
 *   resolve HOST
 *   ping HOST [-c COUNT] [-W SECONDS] [-s SIZE]
 *   ntp [SERVER] [-p PORT] [--set-clock]
 *
 * The context is the global -c N (1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#include "qisock.h"

#define QISOCK_NTP_DEFAULT	"pool.ntp.org"

/*
 * One blocking request; a signal's EINTR is answered by asking again,
 * which collects the same request's result. 0 or the exit status.
 */
static int qisock_svc_call(unsigned long req, void *arg, const char *name)
{
	int fd = qisock_open_ctl(O_RDWR);
	int ret;

	do
		ret = ioctl(fd, req, arg);
	while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		ret = errno;
		close(fd);
		return qisock_fail_errno(ret, name);
	}
	close(fd);
	return 0;
}

static void qisock_svc_host(char *dst, const char *host, const char *verb)
{
	if (strlen(host) > QISOCK_HOST_MAX)
		qisock_usage_error("%s: host name longer than %d bytes", verb,
				   QISOCK_HOST_MAX);
	snprintf(dst, QISOCK_HOST_SIZE, "%s", host);
}

static int qisock_svc_module_error(const char *verb, const char *host,
				   unsigned int code)
{
	qisock_warn("%s %s: module error %u (%s)", verb, host, code,
		    qisock_module_error_text(code));
	return QISOCK_EXIT_FAIL;
}

/* A lone operand after the options; NULL when optional and absent. */
static const char *qisock_svc_operand(int argc, char **argv, int required,
				      const char *usage)
{
	if (argc - optind > 1 || (required && argc - optind < 1))
		qisock_usage_error("usage: qisock %s", usage);
	return optind < argc ? argv[optind] : NULL;
}

int qisock_cmd_resolve(int argc, char **argv)
{
	static struct qisock_resolve r;
	const char *host;
	unsigned int i;
	int ret;

	optind = 0;	/* glibc: start over, also the ordering mode */
	if (getopt(argc, argv, "") != -1)
		qisock_usage_error("usage: qisock resolve HOST");
	host = qisock_svc_operand(argc, argv, 1, "resolve HOST");
	memset(&r, 0, sizeof(r));
	r.context_id = qisock_opt.ctx;
	qisock_svc_host(r.host, host, "resolve");
	ret = qisock_svc_call(QISOCK_IOC_RESOLVE, &r, "resolve: QISOCK_IOC_RESOLVE");
	if (ret)
		return ret;
	if (r.module_error)
		return qisock_svc_module_error("resolve", host, r.module_error);
	if (r.count > QISOCK_RESOLVE_MAX)
		r.count = QISOCK_RESOLVE_MAX;
	qisock_out_begin(NULL);
	if (qisock_opt.json) {
		qisock_out_str("host", host);
		qisock_out_num("ttl", r.ttl);
		qisock_out_num("total", r.total);
	}
	qisock_out_arr("addresses", NULL);
	for (i = 0; i < r.count; i++) {
		r.addr[i][QISOCK_ADDR_MAX - 1] = 0;
		if (qisock_opt.json)
			qisock_out_str("address", r.addr[i]);
		else
			printf("%s has address %s\n", host, r.addr[i]);
	}
	qisock_out_arr_end();
	if (!qisock_opt.json && r.total > r.count)
		printf("(%u more not shown)\n", r.total - r.count);
	qisock_out_end();
	return QISOCK_EXIT_OK;
}

static void qisock_ping_reply(const struct qisock_ping_reply *rp, int n)
{
	if (qisock_opt.json) {
		qisock_out_obj("reply", NULL);
		qisock_out_num("result", rp->result);
		qisock_out_str("address", rp->addr);
		qisock_out_num("bytes", rp->bytes);
		qisock_out_num("time_ms", rp->time_ms);
		qisock_out_num("ttl", rp->ttl);
		qisock_out_obj_end();
	} else if (rp->result) {
		printf("request %d: module error %u (%s)\n", n, rp->result,
		       qisock_module_error_text(rp->result));
	} else {
		printf("%u bytes from %s: seq=%d ttl=%u time=%u ms\n", rp->bytes,
		       rp->addr, n, rp->ttl, rp->time_ms);
	}
}

static void qisock_ping_print(const struct qisock_ping *p)
{
	unsigned int i, n = p->nreplies < QISOCK_PING_MAX ? p->nreplies : QISOCK_PING_MAX;

	qisock_out_begin(NULL);
	if (qisock_opt.json) {
		qisock_out_str("host", p->host);
		qisock_out_num("sent", p->sent);
		qisock_out_num("received", p->rcvd);
		qisock_out_num("lost", p->lost);
		qisock_out_num("min_ms", p->min_ms);
		qisock_out_num("avg_ms", p->avg_ms);
		qisock_out_num("max_ms", p->max_ms);
	} else {
		printf("PING %s through context %d\n", p->host, qisock_opt.ctx);
	}
	qisock_out_arr("replies", NULL);
	for (i = 0; i < n; i++)
		qisock_ping_reply(&p->reply[i], (int)i + 1);
	qisock_out_arr_end();
	if (!qisock_opt.json) {
		printf("--- %s ping statistics ---\n", p->host);
		printf("%u packets transmitted, %u received, %u lost\n", p->sent,
		       p->rcvd, p->lost);
		if (p->rcvd)
			printf("rtt min/avg/max = %u/%u/%u ms\n", p->min_ms,
			       p->avg_ms, p->max_ms);
	}
	qisock_out_end();
}

int qisock_cmd_ping(int argc, char **argv)
{
	static struct qisock_ping p;
	const char *host, *use = "ping HOST [-c COUNT] [-W SECONDS] [-s SIZE]";
	unsigned int i;
	int c, ret;

	memset(&p, 0, sizeof(p));
	optind = 0;	/* glibc: start over, also the ordering mode */
	while ((c = getopt(argc, argv, "c:W:s:")) != -1) {
		switch (c) {
		case 'c':
			p.count = qisock_parse_num(optarg, 1, QISOCK_PING_MAX, "count");
			break;
		case 'W':
			p.timeout = qisock_parse_num(optarg, 1, 255, "timeout");
			break;
		case 's':
			p.size = qisock_parse_num(optarg, 32, 200, "size");
			break;
		default:
			qisock_usage_error("usage: qisock %s", use);
		}
	}
	host = qisock_svc_operand(argc, argv, 1, use);
	p.context_id = qisock_opt.ctx;
	qisock_svc_host(p.host, host, "ping");
	ret = qisock_svc_call(QISOCK_IOC_PING, &p, "ping: QISOCK_IOC_PING");
	if (ret)
		return ret;
	if (p.module_error)
		return qisock_svc_module_error("ping", host, p.module_error);
	for (i = 0; i < QISOCK_PING_MAX; i++)
		p.reply[i].addr[QISOCK_ADDR_MAX - 1] = 0;
	qisock_ping_print(&p);
	return p.rcvd ? QISOCK_EXIT_OK : QISOCK_EXIT_FAIL;
}

/* Set the system clock: 0, or the exit status with a message. */
static int qisock_ntp_set_clock(const struct qisock_ntp *t)
{
	struct timespec ts = { .tv_sec = (time_t)t->time };

	if (!clock_settime(CLOCK_REALTIME, &ts))
		return 0;
	if (errno == EPERM)
		qisock_warn("ntp: clock_settime: %s (setting the clock needs CAP_SYS_TIME)",
			    strerror(errno));
	else
		qisock_warn("ntp: clock_settime: %s", strerror(errno));
	return QISOCK_EXIT_FAIL;
}

static void qisock_ntp_print(const struct qisock_ntp *t, const char *server, int set)
{
	time_t sec = (time_t)t->time;
	char utc[64];
	struct tm tm;

	strftime(utc, sizeof(utc), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&sec, &tm));
	qisock_out_begin(NULL);
	if (qisock_opt.json) {
		qisock_out_str("server", server);
		qisock_out_num("time", (long long)t->time);
		qisock_out_str("utc", utc);
		qisock_out_str("text", t->text);
		qisock_out_num("tz_quarters", t->tz_quarters);
		qisock_out_bool("clock_set", set);
	} else {
		int q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;

		printf("%s (module: %s, zone %c%d:%02d)%s\n", utc, t->text,
		       t->tz_quarters < 0 ? '-' : '+', q / 4, q % 4 * 15,
		       set ? "; system clock set" : "");
	}
	qisock_out_end();
}

int qisock_cmd_ntp(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "set-clock", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	const char *use = "ntp [SERVER] [-p PORT] [--set-clock]";
	static struct qisock_ntp t;
	const char *server;
	int c, ret, set = 0;

	memset(&t, 0, sizeof(t));
	optind = 0;	/* glibc: start over, also the ordering mode */
	while ((c = getopt_long(argc, argv, "p:", lopts, NULL)) != -1) {
		if (c == 'p')
			t.port = qisock_parse_num(optarg, 1, 65535, "port");
		else if (c == 'S')
			set = 1;
		else
			qisock_usage_error("usage: qisock %s", use);
	}
	server = qisock_svc_operand(argc, argv, 0, use);
	if (!server)
		server = QISOCK_NTP_DEFAULT;
	t.context_id = qisock_opt.ctx;
	qisock_svc_host(t.server, server, "ntp");
	ret = qisock_svc_call(QISOCK_IOC_NTP, &t, "ntp: QISOCK_IOC_NTP");
	if (ret)
		return ret;
	if (t.module_error)
		return qisock_svc_module_error("ntp", server, t.module_error);
	t.text[QISOCK_ADDR_MAX - 1] = 0;
	if (set && qisock_ntp_set_clock(&t))
		return QISOCK_EXIT_FAIL;
	qisock_ntp_print(&t, server, set);
	return QISOCK_EXIT_OK;
}
