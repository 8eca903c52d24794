// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: command line, signal handling and the single-threaded poll()
 * loop that drives the serial endpoint, the control channel, the real
 * sockets and the timers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sim.h"

struct sim_opts opts;
volatile int sim_quit;

static const struct optdesc {
	struct option o;
	const char *arg;
	const char *help;
} optab[] = {
	{ { "model", required_argument, NULL, 'm' }, "ec200u|eg915u|bc66|bc66-na",
	  "module model: dialect and identification (required)" },
	{ { "unix", required_argument, NULL, 'u' }, "PATH",
	  "listen on a unix stream socket (QEMU -chardev socket,path=PATH)" },
	{ { "pty", required_argument, NULL, 'p' }, "LINK",
	  "create a pty and symlink its slave at LINK" },
	{ { "control", required_argument, NULL, 'c' }, "PATH",
	  "unix socket for test control commands" },
	{ { "baud", required_argument, NULL, 'b' }, "N",
	  "limit each direction to N/10 bytes/s (0 = unlimited)" },
	{ { "trace", optional_argument, NULL, 't' }, "[=FILE]",
	  "timestamped AT conversation (stderr by default)" },
	{ { "host", required_argument, NULL, 'H' }, "NAME=IP",
	  "DNS table entry for QIOPEN/QIDNSGIP/QPING/QNTP (repeatable)" },
	{ { "pdp-active", no_argument, NULL, 'a' }, "",
	  "context 1 starts configured and active (10.0.0.2)" },
	{ { "seed", required_argument, NULL, 's' }, "N",
	  "seed for deterministic fault injection" },
	{ { "stats", required_argument, NULL, 'S' }, "FILE",
	  "on exit write \"tx_bytes N\\nrx_bytes N\\n\"" },
	{ { "no-rdy", no_argument, NULL, 'n' }, "", "do not print RDY at power-on" },
	{ { "help", no_argument, NULL, 'h' }, "", "this text" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: qisock-sim --model MODEL (--unix PATH | --pty LINK) [options]\n", f);
	for (i = 0; i < ARRAY_SIZE(optab); i++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", optab[i].o.name,
			 optab[i].o.has_arg == required_argument ? " " : "",
			 optab[i].arg);
		fprintf(f, "  %-34s %s\n", left, optab[i].help);
	}
}

static void on_signal(int sig)
{
	(void)sig;
	sim_quit = 1;
}

static void parse_args(int argc, char **argv)
{
	struct option lo[ARRAY_SIZE(optab) + 1];
	size_t i;
	char *e;
	int c;

	for (i = 0; i < ARRAY_SIZE(optab); i++)
		lo[i] = optab[i].o;
	memset(&lo[i], 0, sizeof(lo[i]));
	opts.seed = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			opts.model = optarg;
			break;
		case 'u':
			opts.unix_path = optarg;
			break;
		case 'p':
			opts.pty_link = optarg;
			break;
		case 'c':
			opts.control_path = optarg;
			break;
		case 'b':
			opts.baud = strtol(optarg, &e, 10);
			if (*e || opts.baud < 0)
				die("bad --baud %s", optarg);
			break;
		case 't':
			opts.trace = true;
			opts.trace_file = optarg;
			break;
		case 'H': {
			char *eq = strchr(optarg, '=');
			struct host_ent *h;

			if (!eq || eq == optarg || !eq[1])
				die("bad --host %s (want NAME=IP)", optarg);
			if (opts.nhosts >= MAX_HOSTS)
				die("too many --host entries");
			h = &opts.hosts[opts.nhosts++];
			snprintf(h->name, sizeof(h->name), "%.*s",
				 (int)(eq - optarg), optarg);
			snprintf(h->ip, sizeof(h->ip), "%s", eq + 1);
			break;
		}
		case 'a':
			opts.pdp_active = true;
			break;
		case 's':
			opts.seed = strtoull(optarg, &e, 0);
			if (*e)
				die("bad --seed %s", optarg);
			break;
		case 'S':
			opts.stats_file = optarg;
			break;
		case 'n':
			opts.no_rdy = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc || !opts.model ||
	    !!opts.unix_path == !!opts.pty_link) {
		usage(stderr);
		exit(2);
	}
	mdl = model_find(opts.model);
	if (!mdl)
		die("unknown model %s (ec200u, eg915u, bc66, bc66-na)", opts.model);
}

static void write_stats(void)
{
	uint64_t tx, rx;
	FILE *f;

	if (!opts.stats_file)
		return;
	line_stats(&tx, &rx);
	f = fopen(opts.stats_file, "w");
	if (!f)
		return;
	fprintf(f, "tx_bytes %llu\nrx_bytes %llu\n", (unsigned long long)tx,
		(unsigned long long)rx);
	fclose(f);
}

#define MAX_PFD 128

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_PFD];
	struct sock *owner[MAX_PFD];
	struct sigaction sa;
	sigset_t block, empty;

	parse_args(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);

	rng_seed(opts.seed);
	if (opts.trace)
		trace_open(opts.trace_file);
	line_init(opts.baud);
	ctl_init(opts.control_path);
	ep_init();

	while (!sim_quit) {
		int64_t to = -1, t;
		int n = 0, nep, nctl, nnet, r;
		struct timespec ts;

		line_poll_setup(&pfd[n++], &to);
		nep = ep_pollfds(&pfd[n], MAX_PFD - n);
		n += nep;
		nctl = ctl_pollfds(&pfd[n], MAX_PFD - n);
		n += nctl;
		nnet = net_pollfds(&pfd[n], MAX_PFD - n, &owner[n]);
		n += nnet;
		t = timer_next_ns();
		if (t >= 0 && (to < 0 || t < to))
			to = t;
		if (to >= 0) {
			ts.tv_sec = to / 1000000000;
			ts.tv_nsec = to % 1000000000;
		}
		r = ppoll(pfd, n, to >= 0 ? &ts : NULL, &empty);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (line_poll_done(&pfd[0]) < 0)
			ep_client_gone();
		n = 1;
		ep_poll_done(&pfd[n], nep);
		n += nep;
		ctl_poll_done(&pfd[n], nctl);
		n += nctl;
		net_poll_done(&pfd[n], nnet, &owner[n]);
		timer_run();
	}
	write_stats();
	ep_cleanup();
	ctl_cleanup();
	return 0;
}
