// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: the command line tool of the qisock line discipline, in the
 * manner of ip(8): qisock [OPTIONS] OBJECT [VERB] [ARGS]. The reference is
 * Documentation/admin-guide/qisock-cli.rst (qisock(8)).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "qisock.h"

static const char qisock_help[] =
"usage: qisock [-j] [-s] [-m M] [-c N] OBJECT [VERB] [ARGS]\n"
"       qisock --help | --version\n"
"\n"
"  modem show                     one screen about the modem (the default)\n"
"  ctx show [N]                   PDP contexts\n"
"  ctx set N FIELD VALUE...       apn A, user U, password P, auth none|pap|chap,\n"
"                                 type ipv4|ipv6|ipv4v6, autoconnect on|off,\n"
"                                 dns A [B]\n"
"  ctx up|down N [timeout S]      activate or deactivate, and wait for it\n"
"  cfg show [NAME]                AT+QICFG options\n"
"  cfg set NAME VALUE...\n"
"  sock show [ID]                 every socket, claiming none\n"
"  resolve HOST                   DNS lookup through the module\n"
"  ping HOST [-c N] [-W S] [-s SIZE]\n"
"  ntp [SERVER] [-p PORT] [--set-clock]\n"
"  nc [-uNvz] [-w S] [-q S] [-i ID] [-p LPORT] HOST PORT\n"
"  nc -l [-ukv] [-i ID] [-p] PORT  netcat through the module\n"
"  open, listen, info             the older verbs (see qisock(8))\n"
"\n"
"  -j      JSON output of the show commands\n"
"  -s      statistics too\n"
"  -m M    modem index, or its control node /dev/qisockM (0)\n"
"  -c N    PDP context for sockets and services (1)\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage error.\n";

struct qisock_object {
	const char *name;
	int (*cmd)(int argc, char **argv);
};

static const struct qisock_object qisock_objects[] = {
	{ "modem", qisock_cmd_modem },
	{ "ctx", qisock_cmd_ctx },
	{ "cfg", qisock_cmd_cfg },
	{ "sock", qisock_cmd_sock },
	{ "resolve", qisock_cmd_resolve },
	{ "ping", qisock_cmd_ping },
	{ "ntp", qisock_cmd_ntp },
	{ "nc", qisock_cmd_nc },
	{ "open", qisock_cmd_open },
	{ "listen", qisock_cmd_listen },
	{ "info", qisock_cmd_info },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const struct qisock_object *o;
	int c;

	signal(SIGPIPE, SIG_IGN);	/* EPIPE ends the relay cleanly */
	while ((c = getopt_long(argc, argv, "+hVjsm:c:", lopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(qisock_help, stdout);
			return QISOCK_EXIT_OK;
		case 'V':
			printf("qisock %s\n", QISOCK_VERSION);
			return QISOCK_EXIT_OK;
		case 'j':
			qisock_opt.json = 1;
			break;
		case 's':
			qisock_opt.stats = 1;
			break;
		case 'm':
			qisock_opt.modem = optarg;
			qisock_modem_index();	/* checked now */
			break;
		case 'c':
			qisock_opt.ctx = (int)qisock_parse_num(optarg, 1, 16, "context");
			break;
		default:
			qisock_usage_error("bad option");
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc)
		return qisock_cmd_modem(0, NULL);
	if (!strcmp(argv[0], "help"))
		return fputs(qisock_help, stdout), QISOCK_EXIT_OK;
	for (o = qisock_objects; o->name; o++)
		if (!strcmp(argv[0], o->name))
			return o->cmd(argc, argv);
	qisock_usage_error("unknown object '%s'", argv[0]);
}
