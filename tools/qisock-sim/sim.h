/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock-sim: user-space simulator of Quectel modules' built-in TCP/IP stack
 * (EC200U/EG915U and BC66/BC66-NA dialects). Shared declarations.
 */
#ifndef QISOCK_SIM_H
#define QISOCK_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include <poll.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------- util.c ---------- */
struct buf {
	uint8_t *d;
	size_t off;	/* consumed prefix */
	size_t len;	/* end of valid data */
	size_t cap;
};

void buf_put(struct buf *b, const void *p, size_t n);
void buf_putc(struct buf *b, uint8_t c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* append the caller's printf-style "...", whose format is @last, to @b */
#define BUF_VARGS(b, last) do {			\
		va_list ap_;			\
		va_start(ap_, last);		\
		buf_vprintf(b, last, ap_);	\
		va_end(ap_);			\
	} while (0)
size_t buf_avail(const struct buf *b);
const uint8_t *buf_data(const struct buf *b);
void buf_drop(struct buf *b, size_t n);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

uint64_t now_ns(void);
void rng_seed(uint64_t seed);
uint32_t rng_next(void);
int hex_decode(const char *s, size_t slen, uint8_t *out);
void hex_encode(const uint8_t *p, size_t n, struct buf *out);
void escape_bytes(const uint8_t *p, size_t n, struct buf *out);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void set_nonblock(int fd);

/* ---------- main.c: options ---------- */
#define MAX_HOSTS 64
struct host_ent {
	char name[160];
	char ip[64];
};

struct sim_opts {
	const char *model;
	const char *unix_path;
	const char *pty_link;
	const char *control_path;
	const char *trace_file;
	const char *stats_file;
	long baud;
	bool trace;
	bool no_rdy;
	bool pdp_active;
	uint64_t seed;
	int nhosts;
	struct host_ent hosts[MAX_HOSTS];
};
extern struct sim_opts opts;
extern volatile int sim_quit;

/* ---------- model.c ---------- */
enum dialect { D_EC200U, D_BC66 };

struct model {
	const char *key;	/* command-line name */
	const char *name;	/* ATI / AT+CGMM */
	const char *rev;	/* AT+CGMR */
	const char *imei;	/* AT+GSN */
	enum dialect dialect;
	int max_sock;		/* sockets 0..max_sock-1 */
	int ctx_max;		/* contexts 1..ctx_max */
	int ctx_only1;		/* only context 1 is supported */
	int qird_max;		/* max <read_length> */
	int send_max;		/* max data in '>' data mode */
};
extern const struct model *mdl;
const struct model *model_find(const char *key);
const char *err_desc(int err);
#define IS_EC (mdl->dialect == D_EC200U)
#define IS_BC (mdl->dialect == D_BC66)

/* ---------- trace.c ---------- */
void trace_open(const char *path);
void trace_set(bool on);
void trace_rx_line(const char *line, size_t n);
void trace_rx_data(const uint8_t *p, size_t n);
void trace_tx_line(const char *line, size_t n);
void trace_tx_data(const uint8_t *p, size_t n);
void trace_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---------- line.c: serial line model ---------- */
void line_init(long baud);
void line_attach(int fd);	/* -1 = detached */
int line_fd(void);
void line_write(const void *p, size_t n);	/* queue bytes to host */
size_t line_queued(void);
void line_set_split(bool on);
bool line_split(void);
void line_poll_setup(struct pollfd *pfd, int64_t *timeout_ns);
int line_poll_done(const struct pollfd *pfd);	/* <0: hangup */
void line_stats(uint64_t *tx, uint64_t *rx);
void line_discard_output(void);

/* ---------- endpoint.c ---------- */
int ep_init(void);
void ep_cleanup(void);
int ep_pollfds(struct pollfd *pfd, int max);
void ep_poll_done(struct pollfd *pfd, int n);
void ep_client_gone(void);

/* ---------- timer.c ---------- */
typedef void (*timer_fn)(void *arg, long a, long b);
int timer_add(int64_t delay_ms, timer_fn fn, void *arg, long a, long b);
void timer_cancel(int id);
void timer_cancel_all(void);
int64_t timer_next_ns(void);	/* -1: none */
void timer_run(void);

/* ---------- params.c: AT parameter lists ---------- */
#define MAX_PARAMS 16
struct param {
	const char *s;	/* NUL-terminated text (quotes stripped) */
	size_t len;
	bool quoted;
	bool present;	/* non-empty or quoted */
};
struct params {
	int n;
	struct param p[MAX_PARAMS];
	char store[4200];
	const char *raw;	/* the raw parameter text */
};
int params_parse(const char *s, struct params *out);
bool p_has(const struct params *ps, int i);
int p_int(const struct params *ps, int i, long min, long max, long *v);
int p_int_def(const struct params *ps, int i, long min, long max, long def,
	      long *v);
const char *p_str(const struct params *ps, int i);

/* ---------- at.c: command reader / responses / URCs ---------- */
enum cmd_type { CT_EXEC, CT_TEST, CT_READ, CT_WRITE };

struct cmd_ctx {
	enum cmd_type type;
	const char *name;	/* e.g. "+QIOPEN" (as typed, upper-cased) */
	const char *args;	/* text after '=' (CT_WRITE) */
	struct params ps;
};

typedef void (*cmd_fn)(struct cmd_ctx *c);
struct cmd_def {
	const char *name;
	cmd_fn fn;
	unsigned int dialects;	/* bit 1<<D_EC200U | 1<<D_BC66 */
	bool tcpip;		/* sets QIGETERROR code */
};
#define DL_EC (1u << D_EC200U)
#define DL_BC (1u << D_BC66)
#define DL_ALL (DL_EC | DL_BC)

/* data phase */
enum data_mode { DM_FIXED, DM_CTRLZ };
typedef void (*data_fn)(void *arg, int status, const uint8_t *p, size_t n);
#define DATA_OK 0
#define DATA_CANCEL 1	/* Esc */
#define DATA_TIMEOUT 2
#define DATA_BADHEX 3
#define DATA_TOOLONG 4	/* Ctrl+Z form: more than the maximum */

void at_reset(void);
void at_input(const uint8_t *p, size_t n);
void at_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void at_raw(const void *p, size_t n);	/* payload inside a response */
void at_ok(void);
void at_error(int err);	/* ERROR, sets QIGETERROR code if err>0 */
void at_final(const char *text);
void at_prompt(void);
void at_begin_data(enum data_mode m, size_t n, bool hex, data_fn fn,
		   void *arg);
void at_busy(void);	/* command pending: hold input */
void at_done(void);	/* end of pending command */
bool at_in_data(void);
void urc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void urc_raw(const void *hdr, size_t hn, const void *p, size_t n);
void urc_inject(const char *point, const char *text);
void urc_emit_now(const char *text);
int urc_point_valid(const char *point);
void at_set_stall(int n);
void at_kick(void);	/* process input that waited */
void at_set_lasterr(int err);
int at_get_lasterr(void);
void at_flush_urcs(void);
size_t at_deferred_count(void);
bool at_idle(void);
void at_enter_trans(int sockid);
void at_leave_trans(const char *final);
bool at_in_trans(void);
int at_trans_sock(void);
void at_trans_output(const uint8_t *p, size_t n);
extern const struct cmd_def cmd_basic_tab[], cmd_sock_tab[], cmd_ctx_tab[],
	cmd_cfg_tab[], cmd_misc_tab[];

/* ---------- hold.c: late replies (control "delay") ---------- */
void hold_reset(void);
void hold_set(long ms, long n);	/* next n command lines, ms each; 0 = off */
void hold_next(void);		/* a command line starts executing */
bool hold_active(void);		/* a reply is held: take no input */
void resp_write(const void *p, size_t n);	/* reply bytes to the host */

/* ---------- hang.c: a module that stops answering (control "hang") ---------- */
enum hang_mode { HANG_NONE, HANG_RESET, HANG_CFUN, HANG_TIMED };
void hang_reset(void);
void hang_set(enum hang_mode m, long ms);
bool hang_active(void);
bool hang_input(const uint8_t *p, size_t n);	/* true: swallowed */

/* ---------- sleep.c: BC66 deep sleep / PSM (control "sleep", "wake") ---------- */
bool sleep_asleep(void);
bool sleep_swallowing(void);	/* the next command line will be swallowed */
bool sleep_take_swallow(void);	/* true: swallow this line */
void sleep_touch(void);		/* a byte crossed the UART */
void sleep_host_byte(void);	/* a byte from the host: wakes the module */
bool sleep_drop_urc(size_t payload);	/* true: PSM, do not report */
void sleep_power_on(void);
int sleep_control(const char *cmd, char *arg, char *out, size_t n);
/* ---------- modem.c: module state ---------- */
struct pdp_ctx {
	int type;	/* 1 IPv4, 2 IPv6, 3 IPv4v6 */
	char apn[128];
	char user[128];
	char pass[128];
	int auth;
	bool active;
	bool busy;	/* async (de)activation in progress */
	bool net_down;	/* "pdpdeact": down until the host's QIDEACT */
	char dns1[64], dns2[64];
};

#define MAX_CTX 7
struct modem {
	bool echo;
	int cmee;
	int qisde;
	int sendfail;	/* control: next n QISEND fail */
	bool registered;	/* BC66: +IP reported */
	int cfun;		/* BC66: AT+CFUN <fun>: 0 radio off, 1 on */
	int last_trans;	/* socket that left transparent mode by +++ */
	/* network status (AT+CSQ, +CEREG?, +COPS?, +QCCID), set by "status" */
	int rssi, ber;
	int reg;		/* <stat> of +CREG/+CGREG/+CEREG */
	char oper[32];
	char iccid[24];
	struct pdp_ctx ctx[MAX_CTX + 1];
	/* QICFG */
	struct {
		long transpktsize, transwaittm;
		long send_fmt, recv_fmt;
		long viewmode;
		long udp_sendmode, udp_readmode;
		long tcp_accept, passiveclosed, twrecycle, close_mode;
		long pdp_retry[2][2][2];	/* [pdpmode][rat] -> counts,time */
		long recvind, sendinfo;
		long ka_enable, ka_idle, ka_interval, ka_probe;
		long rt_cnt, rt_period;
		long sa_period[12];
		char sa_msg[12][820];
		char ri_msg[12][820];
		long formatcfg, qisend_timeout;
		long showlength, echomode;
	} cfg;
	bool ntp_busy;
	char ntp_server[160];
	long ntp_port;
};
extern struct modem M;
void modem_power_on(bool rdy);
void modem_power_off(void);
void modem_reboot(void);
int modem_pdpdeact(int ctx);
void modem_cfun(int fun);	/* BC66: AT+CFUN=0/1 detaches/attaches */
void ctx_pdp_load(int ctx);	/* cmd_ctx.c: BC66 AT+CGDCONT into M.ctx[] */
void ctx_actfail_set(int ctx, int err, long n);	/* cmd_ctx.c */
void cfg_defaults(void);
int cfg_dump(const char *name, const char *keys, char *out, size_t size);
const char *ctx_ip(int ctx, int v6);
bool ctx_usable(int ctx);
int resolve_host(const char *name, char *ip, size_t iplen);
bool valid_ip(const char *s);
int ip_family(const char *s);	/* 4, 6, or 0: not an address */
bool data_echo(void);
void misc_reset(void);	/* cmd_misc.c */
bool misc_busy(void);	/* cmd_misc.c */

/* ---------- net.c: sockets ---------- */
enum svc { SVC_TCP, SVC_UDP, SVC_TCP_LISTENER, SVC_UDP_SERVICE,
	   SVC_TCP_INCOMING, SVC_UDP_INCOMING };
enum sstate { SS_INITIAL, SS_OPENING, SS_CONNECTED, SS_LISTENING,
	      SS_CLOSING, SS_REMOTE_CLOSING };

#define MAX_SOCK 12
#define SEND_BUF_SIZE 10240

struct dgram {
	struct dgram *next;
	char ip[64];
	int port;
	size_t len, off;
	uint8_t data[];
};

struct sock {
	bool used;
	unsigned int gen;
	int id;
	enum svc svc;
	enum sstate st;
	int ctx;
	int fd;
	int access;	/* 0 buffer, 1 push, 2 transparent */
	int server_id;
	int maxclients;
	char host[160];	/* as given */
	char ip[64];	/* resolved remote (or local for servers) */
	int rport, lport;
	int open_timer;
	bool open_pending;	/* +QIOPEN not yet reported */
	bool trans_open;	/* QIOPEN in transparent mode awaiting CONNECT */
	bool urc_armed;		/* buffer mode: next data gives a "recv" URC */
	bool full_reported;	/* BC66 "buff full" */
	bool eof;
	struct buf tx;		/* accepted by QISEND, not yet taken by the kernel */
	struct dgram *dq, *dq_tail;	/* received data: nodes / datagrams */
	int nnodes;
	size_t rx_buffered;
	uint64_t total_sent, total_recv, have_read;
};
extern struct sock socks[MAX_SOCK];

struct sock *sock_get(int id);
struct sock *sock_alloc(int id);
void sock_free(struct sock *s, bool graceful);
void net_reset(void);
int net_open(struct sock *s);	/* starts connect/bind; result via URC */
int net_pollfds(struct pollfd *pfd, int max, struct sock **owner);
void net_poll_done(struct pollfd *pfd, int n, struct sock **owner);
int net_send(struct sock *s, const uint8_t *p, size_t n, const char *ip,
	     int port);
size_t net_free_space(struct sock *s);
uint64_t net_unacked(struct sock *s);
size_t net_rx_take(struct sock *s, uint8_t *out, size_t max, bool span,
		   char *ip, int *port, size_t *node_left);
void net_remote_close(struct sock *s);
void net_drop(struct sock *s);
void net_deliver_buffered(struct sock *s);
void net_open_result(struct sock *s, int err);
void net_set_open_timeout(struct sock *s, int secs);
void net_trans_write(struct sock *s, const uint8_t *p, size_t n);

/* ---------- control.c ---------- */
int ctl_init(const char *path);
void ctl_cleanup(void);
int ctl_pollfds(struct pollfd *pfd, int max);
void ctl_poll_done(struct pollfd *pfd, int n);

#endif
