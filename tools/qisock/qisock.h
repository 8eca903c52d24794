/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock CLI: what the object files (modem.c, ctx.c, cfg.c, sock.c,
 * svc.c, nc.c) share. Every command is "int qisock_cmd_<obj>(argc, argv)"
 * with argv[0] the object's name; it returns the exit status.
 */
#ifndef QISOCK_CLI_H
#define QISOCK_CLI_H

#include <stddef.h>

#define QISOCK_VERSION	"2.0"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))

/* exit statuses: as OpenBSD nc and ip(8) */
#define QISOCK_EXIT_OK		0
#define QISOCK_EXIT_FAIL	1
#define QISOCK_EXIT_USAGE	2

/**
 * struct qisock_global - the options before the object.
 * @json: -j, JSON on stdout.
 * @stats: -s, statistics too.
 * @modem: -m M, an index or a control node path (NULL: 0).
 * @ctx: -c N, the PDP context a command uses (1).
 */
struct qisock_global {
	int json;
	int stats;
	const char *modem;
	int ctx;
};

extern struct qisock_global qisock_opt;
extern const char *qisock_prog;

/* util.c */
__printf(1, 2) void qisock_warn(const char *fmt, ...);
__printf(1, 2) __noreturn void qisock_die(const char *fmt, ...);
__printf(1, 2) __noreturn void qisock_usage_error(const char *fmt, ...);
int qisock_fail_errno(int err, const char *what);
const char *qisock_errno_hint(int err);
const char *qisock_module_error_text(unsigned int code);
long qisock_parse_num(const char *s, long lo, long hi, const char *what);
int qisock_modem_index(void);
const char *qisock_ctl_path(void);
const char *qisock_sysfs_dir(void);
int qisock_sysfs_read(const char *rel, char *buf, size_t size);
int qisock_sysfs_write(const char *rel, const char *val);
int qisock_open_ctl(int flags);
int qisock_is_keyword(const char *s, const char *const *list);

/* json.c: one emitter for both the plain and the JSON form */
void qisock_out_begin(const char *title);
void qisock_out_end(void);
void qisock_out_obj(const char *key, const char *title);
void qisock_out_obj_end(void);
void qisock_out_arr(const char *key, const char *title);
void qisock_out_arr_end(void);
void qisock_out_str(const char *key, const char *val);
void qisock_out_num(const char *key, long long val);
void qisock_out_bool(const char *key, int val);
void qisock_out_null(const char *key);
void qisock_out_file(const char *key, const char *rel);
int qisock_out_dir_nums(const char *key, const char *title, const char *rel);
void qisock_json_string(const char *s);

/* ctx.c: the contexts of the modem, for modem show too */
int qisock_ctx_ids(int *ids, int max);
void qisock_ctx_emit(int id, int brief);

/* sock.c: the sockets, for modem show too */
int qisock_sock_count(int *open, int *total);

/* the commands */
int qisock_cmd_modem(int argc, char **argv);
int qisock_cmd_ctx(int argc, char **argv);
int qisock_cmd_cfg(int argc, char **argv);
int qisock_cmd_sock(int argc, char **argv);
int qisock_cmd_info(int argc, char **argv);
int qisock_cmd_resolve(int argc, char **argv);
int qisock_cmd_ping(int argc, char **argv);
int qisock_cmd_ntp(int argc, char **argv);
int qisock_cmd_nc(int argc, char **argv);
int qisock_cmd_open(int argc, char **argv);
int qisock_cmd_listen(int argc, char **argv);

/* sock.c: names of the uapi enums */
const char *qisock_service_name(unsigned int s);
const char *qisock_state_name(unsigned int s);

#endif /* QISOCK_CLI_H */
