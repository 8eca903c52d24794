// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: PDP contexts through qisock<M>/ctx<N>/ in sysfs.
 *
 *   ctx show [N]
 *   ctx set N apn A | user U | password P | auth none|pap|chap |
 *             type ipv4|ipv6|ipv4v6 | autoconnect on|off | dns A [B] ...
 *   ctx up N [timeout S] / ctx down N [timeout S]
 *
 * A context that follows network registration (the BC66's context 1: its
 * ctx<N>/active is read-only) has no user, password, auth or autoconnect:
 * "ctx set" refuses those before writing anything, "ctx up" only waits
 * for the module's "+IP:", "ctx down" is refused (EOPNOTSUPP); a change
 * of type or apn re-attaches (the driver's AT+CFUN=0/1).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qisock.h"

#define QISOCK_CTX_MAX		16
#define QISOCK_CTX_UP_S		155	/* the seed's 150 s and a margin */
#define QISOCK_CTX_DOWN_S	45	/* the seed's 40 s and a margin */

static int qisock_ctx_dirent(const struct dirent *d)
{
	int id;
	char c;

	return sscanf(d->d_name, "ctx%d%c", &id, &c) == 1;
}

/* The context numbers the modem has, ascending; how many. */
int qisock_ctx_ids(int *ids, int max)
{
	struct dirent **names;
	int i, n, k = 0;

	n = scandir(qisock_sysfs_dir(), &names, qisock_ctx_dirent, versionsort);
	for (i = 0; i < n; i++) {
		if (k < max)
			ids[k++] = atoi(names[i]->d_name + 3);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return k;
}

static int qisock_ctx_read(int id, const char *file, char *buf, size_t size)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "ctx%d/%s", id, file);
	return qisock_sysfs_read(rel, buf, size);
}

/* Does the context follow registration (ctx<N>/active read-only)? */
static int qisock_ctx_by_reg(int id)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ctx%d/active", qisock_sysfs_dir(), id);
	return !stat(path, &st) && !(st.st_mode & 0222);
}

/* Does the context have the attribute @file? */
static int qisock_ctx_has(int id, const char *file)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/ctx%d/%s", qisock_sysfs_dir(), id, file);
	return !access(path, F_OK);
}

/* A field; one the context does not have is left out. */
static void qisock_ctx_out(int id, const char *key, const char *file, int num)
{
	char buf[256];
	int err = qisock_ctx_read(id, file, buf, sizeof(buf));

	if (err == ENOENT)
		return;
	if (err)
		qisock_out_null(key);
	else if (num)
		qisock_out_num(key, strtoll(buf, NULL, 10));
	else
		qisock_out_str(key, buf);
}

static void qisock_ctx_fields(int id, int brief)
{
	char buf[16];

	qisock_out_num("id", id);
	qisock_ctx_out(id, "state", "state", 0);
	qisock_ctx_out(id, "address", "address", 0);
	qisock_ctx_out(id, "apn", "apn", 0);
	if (brief)
		return;
	qisock_ctx_out(id, "type", "type", 0);
	qisock_ctx_out(id, "auth", "auth", 0);
	qisock_ctx_out(id, "user", "username", 0);
	qisock_ctx_out(id, "dns", "dns", 0);
	if (qisock_ctx_by_reg(id))
		qisock_out_str("follows", "registration");
	if (!qisock_ctx_has(id, "autoconnect"))
		;	/* BC66: the module attaches by itself */
	else if (qisock_ctx_read(id, "autoconnect", buf, sizeof(buf)))
		qisock_out_null("autoconnect");
	else
		qisock_out_bool("autoconnect", atoi(buf));
	qisock_ctx_out(id, "last_error", "last_error", 1);
	qisock_ctx_out(id, "retries", "retries", 1);
}

/* One context as an object (in an array, or under a heading). */
void qisock_ctx_emit(int id, int brief)
{
	char title[32];

	snprintf(title, sizeof(title), "Context %d", id);
	qisock_out_obj("context", title);
	qisock_ctx_fields(id, brief);
	qisock_out_obj_end();
}

/* N of "ctx ... N", checked against the modem's contexts. */
static int qisock_ctx_arg(const char *s)
{
	int ids[QISOCK_CTX_MAX], n, i, id;

	id = (int)qisock_parse_num(s, 1, QISOCK_CTX_MAX, "context");
	n = qisock_ctx_ids(ids, QISOCK_CTX_MAX);
	if (!n)
		exit(qisock_fail_errno(access(qisock_sysfs_dir(), F_OK) ? ENODEV : ENOENT,
				       "no contexts in sysfs"));
	for (i = 0; i < n; i++)
		if (ids[i] == id)
			break;
	if (i == n)
		qisock_usage_error("context %d: modem %d has contexts %d-%d", id,
				   qisock_modem_index(), ids[0], ids[n - 1]);
	qisock_opt.ctx = id;
	return id;
}

static int qisock_ctx_show(int argc, char **argv)
{
	int ids[QISOCK_CTX_MAX], n, i;

	if (argc > 3)
		qisock_usage_error("ctx show: unexpected '%s'", argv[3]);
	if (argc == 3) {
		int id = qisock_ctx_arg(argv[2]);
		char title[32];

		snprintf(title, sizeof(title), "Context %d", id);
		qisock_out_begin(title);
		qisock_ctx_fields(id, 0);
		qisock_out_end();
		return QISOCK_EXIT_OK;
	}
	n = qisock_ctx_ids(ids, QISOCK_CTX_MAX);
	if (!n)
		return qisock_fail_errno(ENODEV, "no contexts in sysfs");
	qisock_out_begin(NULL);
	qisock_out_arr("contexts", NULL);
	for (i = 0; i < n; i++)
		qisock_ctx_emit(ids[i], 0);
	qisock_out_arr_end();
	qisock_out_end();
	return QISOCK_EXIT_OK;
}

/* A field "ctx set" writes: its sysfs file, and the words it takes. */
struct qisock_ctx_field {
	const char *key;
	const char *file;
	const char *const *values;	/* NULL: free text */
	char value[256];
	int set;
};

static const char *const qisock_ctx_types[] = { "ipv4", "ipv6", "ipv4v6", NULL };
static const char *const qisock_ctx_auths[] = { "none", "pap", "chap", NULL };
static const char *const qisock_ctx_onoff[] = { "on", "off", NULL };

/* In the order they are written: the configuration, then what uses it. */
static struct qisock_ctx_field qisock_ctx_fieldtab[] = {
	{ .key = "type", .file = "type", .values = qisock_ctx_types },
	{ .key = "apn", .file = "apn", .values = NULL },
	{ .key = "user", .file = "username", .values = NULL },
	{ .key = "password", .file = "password", .values = NULL },
	{ .key = "auth", .file = "auth", .values = qisock_ctx_auths },
	{ .key = "dns", .file = "dns", .values = NULL },
	{ .key = "autoconnect", .file = "autoconnect", .values = qisock_ctx_onoff },
};

#define QISOCK_CTX_NFIELDS	ARRAY_SIZE(qisock_ctx_fieldtab)

static struct qisock_ctx_field *qisock_ctx_field(const char *key)
{
	size_t i;

	for (i = 0; i < QISOCK_CTX_NFIELDS; i++)
		if (!strcmp(qisock_ctx_fieldtab[i].key, key))
			return &qisock_ctx_fieldtab[i];
	return NULL;
}

/* Parse "KEY VALUE..." pairs from argv[i]; returns the next index. */
static int qisock_ctx_parse_pair(int argc, char **argv, int i)
{
	struct qisock_ctx_field *f = qisock_ctx_field(argv[i]);
	const char *v;

	if (!f)
		qisock_usage_error("ctx set: unknown field '%s' (%s)", argv[i],
				   "apn, user, password, auth, type, autoconnect, dns");
	if (i + 1 >= argc)
		qisock_usage_error("ctx set: '%s' needs a value", argv[i]);
	v = argv[i + 1];
	if (f->values && !qisock_is_keyword(v, f->values))
		qisock_usage_error("ctx set: bad %s '%s'", f->key, v);
	if (!strcmp(f->key, "autoconnect"))
		v = strcmp(v, "on") ? "0" : "1";
	if (strlen(v) >= sizeof(f->value) / 2)
		qisock_usage_error("ctx set: %s too long", f->key);
	snprintf(f->value, sizeof(f->value), "%s", v);
	f->set = 1;
	i += 2;
	/* dns A [B]: a second address unless the next word is a field */
	if (!strcmp(f->key, "dns") && i < argc && !qisock_ctx_field(argv[i])) {
		size_t l = strlen(f->value);

		if (strlen(argv[i]) >= sizeof(f->value) / 2)
			qisock_usage_error("ctx set: dns too long");
		snprintf(f->value + l, sizeof(f->value) - l, " %s", argv[i]);
		i++;
	}
	return i;
}

static int qisock_ctx_set(int argc, char **argv)
{
	char rel[64], what[96];
	size_t k;
	int id, i, err;

	if (argc < 5)
		qisock_usage_error("ctx set N FIELD VALUE [FIELD VALUE...]");
	id = qisock_ctx_arg(argv[2]);
	for (i = 3; i < argc;)
		i = qisock_ctx_parse_pair(argc, argv, i);
	/* refuse what the context does not have before writing anything */
	for (k = 0; k < QISOCK_CTX_NFIELDS; k++)
		if (qisock_ctx_fieldtab[k].set &&
		    !qisock_ctx_has(id, qisock_ctx_fieldtab[k].file)) {
			snprintf(what, sizeof(what), "ctx set %d %s: context %d has no %s",
				 id, qisock_ctx_fieldtab[k].key, id,
				 qisock_ctx_fieldtab[k].key);
			return qisock_fail_errno(EOPNOTSUPP, what);
		}
	if (qisock_ctx_by_reg(id) && (qisock_ctx_field("type")->set ||
				      qisock_ctx_field("apn")->set))
		fprintf(stderr, "context %d re-attaches to the network with it; its sockets are closed\n",
			id);
	for (k = 0; k < QISOCK_CTX_NFIELDS; k++) {
		struct qisock_ctx_field *f = &qisock_ctx_fieldtab[k];

		if (!f->set)
			continue;
		snprintf(rel, sizeof(rel), "ctx%d/%s", id, f->file);
		err = qisock_sysfs_write(rel, f->value);
		if (err) {
			snprintf(what, sizeof(what), "ctx set %d %s", id, f->key);
			return qisock_fail_errno(err, what);
		}
	}
	return QISOCK_EXIT_OK;
}

/* Why a context went down instead of up, from its last_error. */
static void qisock_ctx_why(int id, char *buf, size_t size)
{
	char le[32];
	long code;

	if (qisock_ctx_read(id, "last_error", le, sizeof(le))) {
		snprintf(buf, size, "no last_error");
		return;
	}
	code = strtol(le, NULL, 10);
	if (code < 0)
		snprintf(buf, size, "%s", strerror((int)-code));
	else if (code)
		snprintf(buf, size, "module error %ld (%s)", code,
			 qisock_module_error_text((unsigned int)code));
	else
		snprintf(buf, size, "no error reported");
}

/* Wait up to @secs for the context to reach @want; 0 or the exit status. */
static int qisock_ctx_wait(int id, const char *want, int secs)
{
	const char *other = strcmp(want, "up") ? "up" : "down";
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	time_t end = time(NULL) + secs;
	char state[32] = "?", why[128];

	while (time(NULL) < end) {
		int err = qisock_ctx_read(id, "state", state, sizeof(state));

		if (err)
			return qisock_fail_errno(err, "ctx state");
		if (!strcmp(state, want))
			return QISOCK_EXIT_OK;
		if (!strcmp(state, other)) {
			qisock_ctx_why(id, why, sizeof(why));
			qisock_warn("context %d did not go %s: it is %s again: %s",
				    id, want, other, why);
			return QISOCK_EXIT_FAIL;
		}
		nanosleep(&tick, NULL);
	}
	qisock_warn("context %d is still %s after %d s (wanted %s); see qisock ctx show %d",
		    id, state, secs, want, id);
	return QISOCK_EXIT_FAIL;
}

/*
 * A context that follows registration: wait until it is up. "down" on the
 * way is no failure: the module is still attaching.
 */
static int qisock_ctx_wait_reg(int id, int secs)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	time_t end = time(NULL) + secs;
	char state[32] = "?";

	while (time(NULL) < end) {
		int err = qisock_ctx_read(id, "state", state, sizeof(state));

		if (err)
			return qisock_fail_errno(err, "ctx state");
		if (!strcmp(state, "up"))
			return QISOCK_EXIT_OK;
		nanosleep(&tick, NULL);
	}
	qisock_warn("context %d is still %s after %d s: the module has not registered (no +IP:)",
		    id, state, secs);
	return QISOCK_EXIT_FAIL;
}

static int qisock_ctx_updown(int argc, char **argv, int up)
{
	const char *want = up ? "up" : "down";
	int secs = up ? QISOCK_CTX_UP_S : QISOCK_CTX_DOWN_S;
	char state[32], what[128];
	int id, err;

	if (argc != 3 && !(argc == 5 && !strcmp(argv[3], "timeout")))
		qisock_usage_error("ctx %s N [timeout SECONDS]", argv[1]);
	id = qisock_ctx_arg(argv[2]);
	if (argc == 5)
		secs = (int)qisock_parse_num(argv[4], 1, 3600, "timeout");
	err = qisock_ctx_read(id, "state", state, sizeof(state));
	if (err)
		return qisock_fail_errno(err, "ctx state");
	if (!strcmp(state, want)) {
		fprintf(stderr, "context %d is already %s\n", id, want);
		return QISOCK_EXIT_OK;
	}
	snprintf(what, sizeof(what), "ctx %s %d", want, id);
	if (qisock_ctx_by_reg(id) && !up) {
		snprintf(what, sizeof(what),
			 "ctx down %d: it follows network registration (set its apn to re-attach)",
			 id);
		return qisock_fail_errno(EOPNOTSUPP, what);
	}
	if (qisock_ctx_by_reg(id)) {
		fprintf(stderr, "context %d follows network registration: waiting for the module's +IP:\n",
			id);
		return qisock_ctx_wait_reg(id, secs);
	}
	if (strcmp(state, "activating") && strcmp(state, "deactivating")) {
		snprintf(state, sizeof(state), "ctx%d/active", id);
		err = qisock_sysfs_write(state, up ? "1" : "0");
		/*
		 * EBUSY: a (de)activation began since the state was read
		 * (autoconnect's, for one): wait for its outcome instead.
		 */
		if (err == EBUSY && !qisock_ctx_read(id, "state", state, sizeof(state)) &&
		    (!strcmp(state, "activating") || !strcmp(state, "deactivating")))
			err = 0;
		if (err)
			return qisock_fail_errno(err, what);
	}
	return qisock_ctx_wait(id, want, secs);
}

int qisock_cmd_ctx(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "show"))
		return qisock_ctx_show(argc, argv);
	if (!strcmp(argv[1], "set"))
		return qisock_ctx_set(argc, argv);
	if (!strcmp(argv[1], "up"))
		return qisock_ctx_updown(argc, argv, 1);
	if (!strcmp(argv[1], "down"))
		return qisock_ctx_updown(argc, argv, 0);
	qisock_usage_error("ctx: unknown verb '%s' (show, set, up, down)", argv[1]);
}
