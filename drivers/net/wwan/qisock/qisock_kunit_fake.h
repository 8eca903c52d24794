/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock KUnit: the fake modem and the helpers shared by the suites; built
 * only with CONFIG_QISOCK_KUNIT_TEST, into qisock_kunit.ko.
 */
#ifndef QISOCK_KUNIT_FAKE_H
#define QISOCK_KUNIT_FAKE_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock.h"

/*
 * Fake transport (qisock_kunit_fake.c): records every byte the engine
 * writes; either a test feeds the answers by hand (the engine suites,
 * byte-exact), or it answers like a modem (@modem: probe and socket
 * tests). Set up with qkt_fake_new(), stopped with qkt_fake_stop() before
 * the engine goes.
 */
#define QKT_FAKE_BUF	4096
#define QKT_FAKE_RX	8192
/* Time stamps kept per kind of event. */
#define QKT_FAKE_STAMPS	8

struct qkt_fake {
	struct qat_engine *eng;
	spinlock_t lock;	/* everything below */
	wait_queue_head_t wq;
	struct work_struct reply_work;
	struct delayed_work kick_work;
	bool dead;

	/* everything written by the host (NULs too; NUL-terminated) */
	char rx[QKT_FAKE_RX + 1];
	size_t rx_len;
	char line[256];		/* command being assembled */
	size_t line_len;
	u8 out[QKT_FAKE_BUF];	/* pending answer bytes */
	size_t out_len;

	/* how the transport takes bytes (both modes) */
	size_t max_write;	/* accept at most this much per write */
	bool full;		/* accept nothing */
	size_t budget;		/* accept until @rx_len is this (0: no cap) */
	bool no_kick;		/* do not kick after a short write */
	unsigned int kick_ms;	/* kick this long after a short write */

	/* hand mode: an answer fed from inside the write (a fast modem) */
	const char *answer;	/* fed back once from inside the write of... */
	const char *answer_to;	/* ...a write ending with this, */
	bool answer_offer;	/* ...offered (not only taken) */

	/* modem behaviour (auto mode) */
	bool modem;
	bool echo;
	bool rdy;		/* RDY (and garbage) before the first answer */
	bool split;		/* deliver answers byte by byte */
	bool silent;		/* answer nothing */
	unsigned int swallow_at;	/* ignore this many "AT" */
	const char *model;
	const char *rev;
	const char *hang_on;	/* never answer this command */
	struct completion hung;
	unsigned int at_count;
	unsigned int ncmds;
	unsigned int nuls;	/* NUL bytes received */
	char log[8192];
	bool truncated;		/* rx or log is full: "not sent" proves nothing */

	/* socket commands (auto mode) */
	int open_err;		/* <err> of +QIOPEN, or -1: ERROR */
	unsigned int sendfail;	/* answer this many QISEND with SEND FAIL */
	size_t data_left;	/* QISEND data still to come */
	bool data_fail;		/* ...then SEND FAIL */
	u8 sent[8192];		/* QISEND data received (first 8 KiB) */
	size_t sent_len;	/* all of it */
	unsigned int qisends;
	size_t avail[QISOCK_SOCK_MAX];	/* bytes the module holds per socket */
	size_t off[QISOCK_SOCK_MAX];	/* bytes already read with QIRD */
	unsigned int qirds;
	unsigned int qird_zero;	/* "+QIRD: 0" answers */
	u16 dgram;		/* UDP SERVICE: datagram size per QIRD */
	const char *stale;	/* a +QISTATE: line at attach */
	const char *inject;	/* a URC sent before the next '>' / SEND OK */
	bool inject_after;	/* ...after SEND OK instead */
	size_t unacked;		/* B: AT+QISEND=N,0 reports this unacked */
	bool qisend0_err;	/* B: ...or answers ERROR */
	bool qisend_err;	/* answer QISEND with data with ERROR */
	bool open_hold;		/* D: QIOPEN answers OK, +QIOPEN never comes */
	int late_id;		/* D: the hung QIRD's connectID ... */
	size_t late_n;		/* ...answered with this many bytes, late */
	bool qird0_err;		/* D: AT+QIRD=N,0 answers ERROR */
	unsigned int bare_geterr;	/* answer this many AT+QIGETERROR "OK" only */

	/*
	 * A suite's own commands (auto mode): called with the lock held for
	 * every command line before the fake's own handling; true if it
	 * answered (with qkt_fake_reply_line()).
	 */
	bool (*hook)(struct qkt_fake *f, const char *cmd);
	void *hook_priv;
	/* services (auto mode): the suite qisock_svc injects their URCs */
	unsigned int svc_cmds;	/* AT+QIDNSGIP, AT+QPING, AT+QNTP answered */
	int svc_err;		/* answer them ERROR, AT+QIGETERROR this */
	bool ctx_down;		/* AT+QIACT? reports no context active */
	/* restarts and contexts (auto mode; qisock_kunit_recover.c) */
	bool hang_cfun;		/* silent, but AT+CFUN=1,1 restarts it */
	unsigned int cfuns;	/* AT+CFUN=1,1 received (also when silent) */
	unsigned long cfun_at[QKT_FAKE_STAMPS];	/* ...their jiffies */
	unsigned int acts;	/* AT+QIACTEX=<N>,... received */
	unsigned long act_at[QKT_FAKE_STAMPS];	/* ...their jiffies */
	unsigned int act_refuse;	/* refuse this many with act_err */
	int act_err;		/* <err> of a refused activation */
	bool act_cme;		/* ...as +CME ERROR: <err>, not by the URC */
	unsigned int dnscfgs;	/* AT+QIDNSCFG=<N>,... received */
	char apn[32];		/* AT+QICSGP=1's <APN>; a restart clears it */

	/*
	 * The BC66 dialect (auto mode; qisock_kunit_fake_bc66.c), switched on
	 * by qkt_fake_bc66(): only its commands and forms, anything else is
	 * answered ERROR and counted in @bc66_refused.
	 */
	bool bc66;
	bool show_length;	/* AT+QICFG="showlength",1 (lengths shown) */
	size_t node;		/* bytes a node of its buffer (0: one node) */
	/*
	 * The second line after the OK of QISEND (SEND OK/FAIL) and of
	 * QICLOSE (CLOSE OK): 0 at once, > 0 this many ms later, < 0 never
	 * (the test sends it).
	 */
	int send2_ms;
	int close2_ms;
	unsigned int qird_lose;	/* this QIRD's answer is lost (1: the first) */
	bool pushes[QISOCK_SOCK_MAX];	/* connectID in direct push mode */
	unsigned int qicloses;	/* AT+QICLOSE=<id> answered */
	unsigned int bc66_refused;	/* commands a BC66 answers ERROR */
	char late_line[16];	/* the second line late_work sends */
	struct delayed_work late_work;
};

extern const struct qisock_xport_ops qkt_fake_xops;
struct qkt_fake *qkt_fake_new(struct kunit *test);
void qkt_fake_check_records(struct kunit *test, struct qkt_fake *f);
void qkt_fake_stop(struct qkt_fake *f);
bool qkt_fake_wait_rx(struct qkt_fake *f, const char *needle);
void qkt_fake_clear_rx(struct qkt_fake *f);
u8 qkt_fake_pat(size_t i);
size_t qkt_fake_pat_diff(const u8 *buf, size_t base, size_t n);

/* Byte-exact looks at @rx (NULs allowed in @needle). */
bool qkt_fake_has(struct qkt_fake *f, const void *needle, size_t n);
bool qkt_fake_has_str(struct qkt_fake *f, const char *s);
bool qkt_fake_wait(struct qkt_fake *f, const void *needle, size_t n);
bool qkt_fake_rx_equals(struct qkt_fake *f, const void *want, size_t n);

/* How the transport takes bytes from now on (see struct qkt_fake). */
void qkt_fake_set_full(struct qkt_fake *f, bool full);
void qkt_fake_set_budget(struct qkt_fake *f, size_t n);
void qkt_fake_set_max(struct qkt_fake *f, size_t max, unsigned int kick_ms);
void qkt_fake_set_answer(struct qkt_fake *f, const char *to,
			 const char *answer);
bool qkt_fake_answered(struct qkt_fake *f);

/* The command log (auto mode): "CMD|CMD|...". */
bool qkt_fake_log_has(struct qkt_fake *f, const char *s);
long qkt_fake_log_last(struct qkt_fake *f, const char *needle);
void qkt_fake_reply_line(struct qkt_fake *f, const char *s);
void qkt_fake_out(struct qkt_fake *f, const void *buf, size_t n);

/* The BC66 dialect (qisock_kunit_fake_bc66.c). */
void qkt_fake_bc66(struct qkt_fake *f);
bool qkt_fake_bc66_command(struct qkt_fake *f, const char *cmd);
void qkt_fake_bc66_twice(struct qkt_fake *f, const char *second, int ms);
void qkt_fake_late_work(struct work_struct *work);
void qkt_fake_bc66_arrive(struct qkt_fake *f, unsigned int id, size_t n);
void qkt_fake_bc66_buff_full(struct qkt_fake *f, unsigned int id);
struct qisock_dev *qkt_dev_start(struct kunit *test, struct qkt_fake *f);

/* Largest block a qkt_blk_sink command accepts ("+QIRD: n", n <= this). */
#define QKT_BLK_MAX	64

/**
 * struct qkt_blk_sink - where a block-reading test command puts its data.
 * @buf: the block's bytes.
 * @len: bytes received (also beyond @buf).
 * @lasts: parts that were marked last.
 *
 * Set it as the command's priv and qkt_blk_ops as its ops.
 */
struct qkt_blk_sink {
	u8 buf[2 * QKT_BLK_MAX];
	size_t len;
	unsigned int lasts;
};

extern const struct qat_cmd_ops qkt_blk_ops;

__printf(5, 6)
struct qat_cmd *qkt_cmd_ec200u(enum qisock_cmd kind, unsigned int timeout_ms,
			       size_t resp_size, size_t data_len,
			       const char *fmt, ...);

/*
 * An engine on the fake in hand mode (qisock_kunit_fake_ctx.c), for the
 * suites that drive the engine alone: qkt_eng_init() as the suite's .init
 * sets test->priv, qkt_eng_exit() as its .exit. URCs and pushed data the
 * engine delivers are recorded.
 *
 * @lock comes last: without lockdep or SMP a spinlock_t is empty, and GCC
 * 12 then takes its size (0) for a buffer at the same address, so a
 * fortified strlcat() into the buffer panics.
 */
struct qkt_eng {
	struct qat_engine eng;
	struct qkt_fake *f;
	char urcs[1024];	/* "CODE text\n" per URC */
	u8 push[256];		/* direct-push data (the first 256 bytes) */
	size_t push_len;	/* all of it */
	unsigned int push_last;	/* parts marked last */
	spinlock_t lock;	/* urcs, push */
};

int qkt_eng_init(struct kunit *test, unsigned int quiet_ms);
void qkt_eng_exit(struct kunit *test);
void qkt_eng_feed(struct qkt_eng *c, const void *buf, size_t n);
void qkt_eng_feed_str(struct qkt_eng *c, const char *s);
struct qat_cmd *qkt_eng_submit_cmd(struct kunit *test, struct qkt_eng *c,
				   struct qat_cmd *cmd);
struct qat_cmd *qkt_eng_submit(struct kunit *test, struct qkt_eng *c,
			       unsigned int timeout_ms, const char *line);
struct qat_cmd *qkt_eng_submit_desc(struct kunit *test, struct qkt_eng *c,
				    const struct qisock_cmd_desc *desc,
				    const char *line);
struct qat_cmd *qkt_eng_submit_blk(struct kunit *test, struct qkt_eng *c,
				   unsigned int timeout_ms, const char *line,
				   struct qkt_blk_sink *s);
struct qat_cmd *qkt_eng_submit_blk_max(struct kunit *test, struct qkt_eng *c,
				       const char *line,
				       struct qkt_blk_sink *s, u32 max);
struct qat_cmd *qkt_eng_submit_data(struct kunit *test, struct qkt_eng *c,
				    unsigned int timeout_ms, const char *line,
				    const char *data, size_t len);
void qkt_cmd_set_blk(struct qat_cmd *cmd, struct qkt_blk_sink *s, u32 max);

/* The resync probes and their answers (see qisock_at.h). */
#define QKT_PROBE	"AT+QIGETERROR\r"
#define QKT_PROBE_ANS	"\r\n+QIGETERROR: 0,operation success\r\n\r\nOK\r\n"
#define QKT_PROBE2	"AT+QIDNSCFG=?\r"
#define QKT_PROBE2_ANS	"\r\n+QIDNSCFG: (1-15),<pridnsaddr>,<secdnsaddr>\r\n" \
			"\r\nOK\r\n"

/*
 * A qisock device on the fake in modem mode (qisock_kunit_fake_ctx.c), for
 * the probe, socket and cdev suites: qkt_dev_init() as the suite's .init
 * sets test->priv, qkt_dev_exit() as its .exit; qkt_dev_attach() attaches.
 * @u and @k (QKT_UBUF bytes each) exist after qkt_dev_ubuf(): user memory
 * for the read and write calls, and a kernel copy of it.
 */
#define QKT_UBUF	(256 * 1024)

struct qkt_dev {
	struct qkt_fake *f;
	struct qisock_dev *qd;
	char __user *u;
	u8 *k;
};

int qkt_dev_init(struct kunit *test);
void qkt_dev_exit(struct kunit *test);
void qkt_dev_attach(struct kunit *test, struct qkt_dev *c,
		    unsigned int cmd_timeout_ms);
void qkt_dev_destroy(struct qkt_dev *c);
void qkt_dev_ubuf(struct kunit *test, struct qkt_dev *c);
void qkt_ubuf_fill(struct kunit *test, struct qkt_dev *c, size_t n);
void qkt_dev_urc(struct qkt_dev *c, const char *s);
void qkt_dev_feed(struct qkt_dev *c, const void *buf, size_t n);
void qkt_dev_settle(struct kunit *test, struct qkt_dev *c);
struct qat_cmd *qkt_dev_hold_engine(struct kunit *test, struct qkt_dev *c);
void qkt_dev_release_engine(struct kunit *test, struct qkt_dev *c,
			    struct qat_cmd *hold);

/* Poll @cond for up to @secs seconds; its last value. */
#define QKT_WAIT_S(cond, secs) ({					\
	unsigned long __end = jiffies + (secs) * HZ;			\
	bool __ok;							\
	for (;;) {							\
		__ok = (cond);						\
		if (__ok || time_after(jiffies, __end))			\
			break;						\
		usleep_range(2000, 5000);				\
	}								\
	__ok; })

/* Poll @cond for up to 3 s; its last value. */
#define QKT_WAIT(cond) QKT_WAIT_S(cond, 3)

/*
 * Sockets of a device that qkt_sock_setup() probed (EC200U, 12 sockets,
 * user buffer ready): opened, read and written without a file.
 */
void qkt_sock_setup(struct kunit *test, const char *stale);
struct qisock_sock *qkt_sock_tcp_client(struct kunit *test, int id);
struct qisock_sock *qkt_sock_open(struct kunit *test, int id, u32 service,
				  u32 access, u32 ctx, const char *host,
				  u32 rport, u32 lport);
int qkt_sock_try_open(struct qisock_sock *s, const char *host, u32 access,
		      bool nonblock);
void qkt_sock_close(struct qisock_sock *s);
void qkt_sock_read_pat(struct kunit *test, struct qisock_sock *s,
		       size_t base, size_t n, size_t chunk);
struct qisock_sock *qkt_sock_listen_queued(struct kunit *test, int n);
void qkt_sock_hang_qird(struct kunit *test, int id);
struct qisock_sock *qkt_sock_tcp_hung_qird(struct kunit *test, int id);
void qkt_sock_free_qird(struct qkt_dev *c, int id, size_t avail);
void qkt_dev_block(struct kunit *test, const char *hdr, size_t n);

/*
 * The socket calls without an owning file (owner NULL), as the suites use
 * them: a socket claimed with qkt_sock_claim() is read, written and
 * accepted on with the others.
 */
static inline struct qisock_sock *qkt_sock_claim(struct qisock_dev *qd, int id)
{
	return qisock_sock_claim_for(qd, id, NULL);
}

static inline ssize_t qkt_sock_read(struct qisock_sock *s, char __user *buf,
				    size_t count, bool nonblock)
{
	return qisock_sock_read_for(s, buf, count, nonblock, NULL);
}

static inline ssize_t qkt_sock_write(struct qisock_sock *s,
				     const char __user *buf, size_t count,
				     bool nonblock)
{
	return qisock_sock_write_for(s, buf, count, nonblock, NULL);
}

static inline int qkt_sock_accept(struct qisock_sock *s, bool nonblock,
				  struct qisock_accept *acc,
				  struct qisock_sock **out)
{
	return qisock_sock_accept_for(s, nonblock, acc, out, NULL);
}

#endif /* QISOCK_KUNIT_FAKE_H */
