// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: AT+QICFG options through qisock<M>/qicfg/, one file per
 * option ('/' of the option's name as '_'), multi-value options as one
 * line of blank-separated values, read-only files for options the driver
 * pinned. Nothing here knows the options: whatever files are there.
 *
 *   cfg show [NAME]
 *   cfg set NAME VALUE...
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qisock.h"

#define QISOCK_CFG_DIR	"qicfg"

/* The two lists of qicfg/ that are not options: where they are kept. */
static const char * const qisock_cfg_lists[] = { "nvram", "lost_in_sleep" };

static int qisock_cfg_dirent(const struct dirent *d)
{
	size_t i;

	if (d->d_name[0] == '.')
		return 0;
	for (i = 0; i < sizeof(qisock_cfg_lists) / sizeof(qisock_cfg_lists[0]); i++)
		if (!strcmp(d->d_name, qisock_cfg_lists[i]))
			return 0;
	return 1;
}

/*
 * How long the module keeps option @file: "nvram" (saved by itself),
 * "until-sleep" (a deep-sleep wake-up resets it) or "until-restart".
 */
static const char *qisock_cfg_kept(const char *file)
{
	static const char * const kept[] = { "nvram", "until-sleep" };
	char rel[64], list[512], *w, *save;
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", QISOCK_CFG_DIR, qisock_cfg_lists[i]);
		if (qisock_sysfs_read(rel, list, sizeof(list)))
			continue;	/* an older qisock.ko */
		for (w = strtok_r(list, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
			if (!strcmp(w, file))
				return kept[i];
	}
	return "until-restart";
}

/* "tcp/retranscfg" -> "tcp_retranscfg", and back. */
static void qisock_cfg_map(char *dst, size_t size, const char *src, char from, char to)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = src[i] == from ? to : src[i];
	dst[i] = 0;
}

/* The option's file, "qicfg/<file>"; 0 or a positive errno. */
static int qisock_cfg_stat(const char *file, struct stat *st)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s/%s", qisock_sysfs_dir(), QISOCK_CFG_DIR, file);
	return stat(path, st) ? errno : 0;
}

static void qisock_cfg_emit(const char *file)
{
	char name[128], rel[320], val[512];
	const char *kept;
	struct stat st;
	int pinned, err;

	qisock_cfg_map(name, sizeof(name), file, '_', '/');
	snprintf(rel, sizeof(rel), "%s/%s", QISOCK_CFG_DIR, file);
	pinned = !qisock_cfg_stat(file, &st) && !(st.st_mode & 0222);
	if (qisock_opt.json) {
		qisock_out_obj("option", NULL);
		qisock_out_str("name", name);
		if (qisock_sysfs_read(rel, val, sizeof(val)))
			qisock_out_null("value");
		else
			qisock_out_str("value", val);
		qisock_out_bool("pinned", pinned);
		qisock_out_str("kept", qisock_cfg_kept(file));
		qisock_out_obj_end();
		return;
	}
	err = qisock_sysfs_read(rel, val, sizeof(val));
	if (err)
		snprintf(val, sizeof(val), "(unreadable: %s)", strerror(err));
	kept = qisock_cfg_kept(file);
	printf("%-24s %s%s%s%s\n", name, val, pinned ? "  (pinned)" : "",
	       strcmp(kept, "until-restart") ? "  " : "",
	       strcmp(kept, "until-restart") ? kept : "");
}

/* The directory, or a message and exit 1 when the driver has none. */
static int qisock_cfg_list(struct dirent ***names)
{
	char path[512];
	int n, err;

	snprintf(path, sizeof(path), "%s/%s", qisock_sysfs_dir(), QISOCK_CFG_DIR);
	n = scandir(path, names, qisock_cfg_dirent, alphasort);
	if (n >= 0)
		return n;
	err = errno;
	if (err == ENOENT && !access(qisock_sysfs_dir(), F_OK))
		qisock_die("%s: no such directory: this qisock.ko has no AT+QICFG options in sysfs",
			   path);
	exit(qisock_fail_errno(err == ENOENT ? ENODEV : err, path));
}

static int qisock_cfg_show(int argc, char **argv)
{
	struct dirent **names;
	char want[128];
	int i, n, found = 0;

	if (argc > 3)
		qisock_usage_error("cfg show [NAME]");
	if (argc == 3)
		qisock_cfg_map(want, sizeof(want), argv[2], '/', '_');
	n = qisock_cfg_list(&names);
	qisock_out_begin(NULL);
	qisock_out_arr("options", NULL);
	for (i = 0; i < n; i++) {
		if (argc < 3 || !strcmp(names[i]->d_name, want)) {
			qisock_cfg_emit(names[i]->d_name);
			found++;
		}
		free(names[i]);
	}
	free(names);
	qisock_out_arr_end();
	qisock_out_end();
	if (argc == 3 && !found)
		qisock_die("cfg: no option '%s' (qisock cfg show lists them)", argv[2]);
	return QISOCK_EXIT_OK;
}

static int qisock_cfg_set(int argc, char **argv)
{
	char file[128], rel[192], val[512], what[192];
	struct stat st;
	size_t len = 0;
	int i, err;

	if (argc < 4)
		qisock_usage_error("cfg set NAME VALUE...");
	qisock_cfg_map(file, sizeof(file), argv[2], '/', '_');
	if (strchr(file, '.') || !*file)
		qisock_usage_error("cfg set: bad option name '%s'", argv[2]);
	val[0] = 0;
	for (i = 3; i < argc; i++) {
		int w = snprintf(val + len, sizeof(val) - len, "%s%s",
				 i > 3 ? " " : "", argv[i]);

		if (w < 0 || (size_t)w >= sizeof(val) - len)
			qisock_usage_error("cfg set: value too long");
		len += w;
	}
	err = qisock_cfg_stat(file, &st);
	if (err == ENOENT) {
		struct dirent **names;
		int n = qisock_cfg_list(&names);	/* exits if no qicfg/ */

		while (n-- > 0)
			free(names[n]);
		free(names);
		qisock_die("cfg: no option '%s' (qisock cfg show lists them)", argv[2]);
	}
	if (!err && !(st.st_mode & 0222))
		qisock_die("cfg: option '%s' is pinned by the driver (read-only)", argv[2]);
	snprintf(rel, sizeof(rel), "%s/%s", QISOCK_CFG_DIR, file);
	err = err ? err : qisock_sysfs_write(rel, val);
	if (err) {
		snprintf(what, sizeof(what), "cfg set %s", argv[2]);
		return qisock_fail_errno(err, what);
	}
	return QISOCK_EXIT_OK;
}

int qisock_cmd_cfg(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "show"))
		return qisock_cfg_show(argc, argv);
	if (!strcmp(argv[1], "set"))
		return qisock_cfg_set(argc, argv);
	qisock_usage_error("cfg: unknown verb '%s' (show, set)", argv[1]);
}
