// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: the sockets of a modem.
 *
 *   sock show [ID]       every socket (QISOCK_IOC_SOCK_INFO on the control
 *                        node: nothing claimed, owners undisturbed)
 *   info [NODE...]       QISOCK_IOC_INFO of socket nodes (the old verb;
 *                        a node another program holds is "in use")
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#include "qisock.h"

#define QISOCK_SOCKS	12	/* the most any model has (EC200U) */

const char *qisock_service_name(unsigned int s)
{
	static const char *const n[] = { "TCP", "UDP", "TCP LISTENER",
					 "UDP SERVICE", "TCP INCOMING" };

	return s < ARRAY_SIZE(n) ? n[s] : "?";
}

const char *qisock_state_name(unsigned int s)
{
	static const char *const n[] = { "free", "opening", "connected",
					 "closed", "failed" };

	return s < ARRAY_SIZE(n) ? n[s] : "?";
}

/* SOCK_INFO of connectID @id: 0, or a positive errno (EINVAL: no such). */
static int qisock_sock_info(int fd, int id, struct qisock_info *in)
{
	memset(in, 0, sizeof(*in));
	in->connect_id = id;
	if (ioctl(fd, QISOCK_IOC_SOCK_INFO, in) < 0)
		return errno;
	in->remote[sizeof(in->remote) - 1] = 0;
	return 0;
}

/* How many sockets the modem has and how many are not free. */
int qisock_sock_count(int *open_n, int *total)
{
	struct qisock_info in;
	int fd, id, err = 0;

	fd = open(qisock_ctl_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	*open_n = 0;
	for (id = 0; id < QISOCK_SOCKS; id++) {
		err = qisock_sock_info(fd, id, &in);
		if (err)
			break;
		*open_n += in.state != QISOCK_SS_FREE;
	}
	close(fd);
	*total = id;
	return err == EINVAL ? 0 : err;
}

static void qisock_sock_json(const struct qisock_info *in)
{
	qisock_out_obj("socket", NULL);
	qisock_out_num("id", in->connect_id);
	qisock_out_str("state", qisock_state_name(in->state));
	if (in->state != QISOCK_SS_FREE) {
		qisock_out_str("service", qisock_service_name(in->service));
		qisock_out_num("context", in->context_id);
		qisock_out_num("access_mode", in->access_mode);
		qisock_out_num("local_port", in->local_port);
		qisock_out_str("remote", in->remote);
		qisock_out_num("remote_port", in->remote_port);
	}
	qisock_out_num("rx_bytes", (long long)in->rx_bytes);
	qisock_out_num("tx_bytes", (long long)in->tx_bytes);
	if (qisock_opt.stats)
		qisock_out_num("rx_dropped", (long long)in->rx_dropped);
	qisock_out_num("error", in->error);
	qisock_out_num("module_error", in->module_error);
	qisock_out_obj_end();
}

static void qisock_sock_line(const struct qisock_info *in)
{
	char peer[QISOCK_HOST_SIZE + 8] = "-";

	if (in->state != QISOCK_SS_FREE && in->remote[0])
		snprintf(peer, sizeof(peer), "%s:%u", in->remote, in->remote_port);
	printf("%-3d %-10s %-13s %-6u %-24s %10llu %10llu",
	       in->connect_id, qisock_state_name(in->state),
	       in->state == QISOCK_SS_FREE ? "-" : qisock_service_name(in->service),
	       in->local_port, peer,
	       (unsigned long long)in->rx_bytes, (unsigned long long)in->tx_bytes);
	if (in->state != QISOCK_SS_FREE)
		printf("  ctx %u", in->context_id);
	if (qisock_opt.stats)
		printf("  dropped %llu", (unsigned long long)in->rx_dropped);
	if (in->error)
		printf("  error: %s", strerror((int)in->error));
	if (in->module_error)
		printf(" (module %u: %s)", in->module_error,
		       qisock_module_error_text(in->module_error));
	putchar('\n');
}

static int qisock_sock_show(int argc, char **argv)
{
	struct qisock_info in;
	int fd, id, first = 0, last = QISOCK_SOCKS - 1, err = 0;

	if (argc > 3)
		qisock_usage_error("sock show [ID]");
	if (argc == 3)
		first = (int)qisock_parse_num(argv[2], 0, QISOCK_SOCKS - 1, "connectID");
	if (argc == 3)
		last = first;
	fd = qisock_open_ctl(O_RDONLY);
	qisock_out_begin(NULL);
	qisock_out_arr("sockets", NULL);
	if (!qisock_opt.json)
		printf("%-3s %-10s %-13s %-6s %-24s %10s %10s\n", "ID", "STATE",
		       "SERVICE", "LPORT", "PEER", "RX", "TX");
	for (id = first; id <= last; id++) {
		err = qisock_sock_info(fd, id, &in);
		if (err)
			break;
		if (qisock_opt.json)
			qisock_sock_json(&in);
		else
			qisock_sock_line(&in);
	}
	qisock_out_arr_end();
	qisock_out_end();
	close(fd);
	if (err == EINVAL && id > first)
		err = 0;	/* past the modem's last connectID */
	return err ? qisock_fail_errno(err, "QISOCK_IOC_SOCK_INFO") : QISOCK_EXIT_OK;
}

int qisock_cmd_sock(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "show"))
		return qisock_sock_show(argc, argv);
	qisock_usage_error("sock: unknown verb '%s' (show)", argv[1]);
}

/* The old "info" line of one socket file. */
static void qisock_info_print(const char *name, int fd)
{
	struct qisock_info in;

	memset(&in, 0, sizeof(in));
	if (ioctl(fd, QISOCK_IOC_INFO, &in) < 0) {
		qisock_warn("%s: QISOCK_IOC_INFO: %s", name, strerror(errno));
		return;
	}
	in.remote[sizeof(in.remote) - 1] = 0;
	printf("%s: connectID %d %s state %s", name, in.connect_id,
	       qisock_service_name(in.service), qisock_state_name(in.state));
	if (in.state != QISOCK_SS_FREE)
		printf(" ctx %u access %u local %u remote %s:%u rx %llu tx %llu dropped %llu",
		       in.context_id, in.access_mode, in.local_port, in.remote,
		       in.remote_port, (unsigned long long)in.rx_bytes,
		       (unsigned long long)in.tx_bytes, (unsigned long long)in.rx_dropped);
	if (in.error)
		printf(" error %u (%s) module %u", in.error, strerror((int)in.error),
		       in.module_error);
	putchar('\n');
}

int qisock_cmd_info(int argc, char **argv)
{
	char path[80];
	int i, c, fd, found = 0;

	optind = 0;	/* glibc: start over, also the ordering mode */
	while ((c = getopt(argc, argv, "+m:")) != -1) {
		if (c != 'm')
			qisock_usage_error("info [-m M] [NODE...]");
		qisock_opt.modem = optarg;
	}
	argc -= optind - 1;
	argv += optind - 1;

	for (i = 0; argc == 1 && i < QISOCK_SOCKS; i++) {
		snprintf(path, sizeof(path), "%ss%d", qisock_ctl_path(), i);
		if (access(path, F_OK))
			continue;
		found++;
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			printf("%s: %s\n", path, errno == EBUSY ? "in use" : strerror(errno));
			continue;
		}
		qisock_info_print(path, fd);
		close(fd);
	}
	if (argc == 1 && !found)
		return qisock_fail_errno(ENODEV, "no socket nodes");
	for (i = 1; i < argc; i++) {
		fd = open(argv[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return qisock_fail_errno(errno, argv[i]);
		qisock_info_print(argv[i], fd);
		close(fd);
	}
	return QISOCK_EXIT_OK;
}
