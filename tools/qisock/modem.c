// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: "qisock [-j] [-s] [-m M] modem show", one screen about the
 * modem as "mmcli -m 0" gives it, from /sys/class/qisock/qisock<M>/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qisock.h"

/* @key: the sysfs file @rel as a string (null when it cannot be read). */
void qisock_out_file(const char *key, const char *rel)
{
	char buf[512];

	if (qisock_sysfs_read(rel, buf, sizeof(buf)))
		qisock_out_null(key);
	else
		qisock_out_str(key, buf);
}

static int qisock_dirent_visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * Every file of the directory @rel as a number, in an object @key; a file
 * that does not read as a number is shown as text. Returns the count, or
 * -1 when the directory cannot be read.
 */
int qisock_out_dir_nums(const char *key, const char *title, const char *rel)
{
	struct dirent **names;
	char path[512], buf[128];
	int i, n;

	snprintf(path, sizeof(path), "%s/%s", qisock_sysfs_dir(), rel);
	n = scandir(path, &names, qisock_dirent_visible, alphasort);
	if (n < 0)
		return -1;
	qisock_out_obj(key, title);
	for (i = 0; i < n; i++) {
		char *end;
		long long v;

		snprintf(path, sizeof(path), "%s/%s", rel, names[i]->d_name);
		if (qisock_sysfs_read(path, buf, sizeof(buf))) {
			qisock_out_null(names[i]->d_name);
		} else {
			errno = 0;
			v = strtoll(buf, &end, 10);
			if (!errno && end != buf && !*end)
				qisock_out_num(names[i]->d_name, v);
			else
				qisock_out_str(names[i]->d_name, buf);
		}
		free(names[i]);
	}
	free(names);
	qisock_out_obj_end();
	return n;
}

static void qisock_modem_general(void)
{
	static const char *const files[] = {
		"tty", "model", "revision", "dialect", "state", NULL,
	};
	const char *const *f;

	qisock_out_obj("general", "General");
	qisock_out_num("index", qisock_modem_index());
	qisock_out_str("sysfs", qisock_sysfs_dir());
	qisock_out_str("node", qisock_ctl_path());
	for (f = files; *f; f++)
		qisock_out_file(*f, *f);
	qisock_out_obj_end();
}

static void qisock_modem_status(void)
{
	static const char *const files[] = {
		"registration", "operator", "rssi", "ber", "imei", "iccid", NULL,
	};
	const char *const *f;
	char rel[64];

	qisock_out_obj("status", "Status");
	for (f = files; *f; f++) {
		snprintf(rel, sizeof(rel), "status/%s", *f);
		qisock_out_file(*f, rel);
	}
	qisock_out_obj_end();
}

static void qisock_modem_contexts(void)
{
	int ids[16], n, i;

	n = qisock_ctx_ids(ids, 16);
	qisock_out_arr("contexts", n ? "Contexts" : "Contexts: none");
	for (i = 0; i < n; i++)
		qisock_ctx_emit(ids[i], 1);
	qisock_out_arr_end();
}

static void qisock_modem_sockets(void)
{
	int open, total;

	qisock_out_obj("sockets", "Sockets");
	if (qisock_sock_count(&open, &total)) {
		qisock_out_null("open");
		qisock_out_null("total");
	} else {
		qisock_out_num("open", open);
		qisock_out_num("total", total);
	}
	qisock_out_obj_end();
}

static int qisock_modem_show(void)
{
	char state[32], title[80];
	int err = qisock_sysfs_read("state", state, sizeof(state));

	if (err)
		return qisock_fail_errno(err == ENOENT ? ENODEV : err, qisock_sysfs_dir());
	snprintf(title, sizeof(title), "Modem %d", qisock_modem_index());
	qisock_out_begin(title);
	qisock_modem_general();
	if (!strcmp(state, "ready")) {
		qisock_modem_status();
		qisock_modem_contexts();
		qisock_modem_sockets();
	}
	if (qisock_opt.stats &&
	    qisock_out_dir_nums("stats", "Statistics", "stats") < 0)
		qisock_out_null("stats");
	qisock_out_end();
	return QISOCK_EXIT_OK;
}

int qisock_cmd_modem(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "show")) {
		if (argc > 2)
			qisock_usage_error("modem show: unexpected '%s'", argv[2]);
		return qisock_modem_show();
	}
	qisock_usage_error("modem: unknown verb '%s' (show)", argv[1]);
}
