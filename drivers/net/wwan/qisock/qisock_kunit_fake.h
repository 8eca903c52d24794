/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock KUnit: the fake modem and the helpers shared by the suites; built
 * only with CONFIG_QISOCK_KUNIT_TEST, into qisock_kunit.ko.
 */
#ifndef QISOCK_KUNIT_FAKE_H
#define QISOCK_KUNIT_FAKE_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "qisock.h"

/*
 * Fake transport (qisock_kunit_fake.c): records what the engine writes;
 * either a test feeds the answers by hand, or it answers like a modem
 * (probe and socket tests). Set up with qkt_fake_new(), stopped with
 * qkt_fake_stop() before the engine goes.
 */
#define QKT_FAKE_BUF	4096
/* Time stamps kept per kind of event. */
#define QKT_FAKE_STAMPS	8

struct qkt_fake {
	struct qat_engine *eng;
	spinlock_t lock;	/* everything below */
	wait_queue_head_t wq;
	struct work_struct reply_work;
	struct work_struct kick_work;
	bool dead;

	char rx[QKT_FAKE_BUF];	/* everything written by the host */
	size_t rx_len;
	char line[256];		/* command being assembled */
	size_t line_len;
	u8 out[QKT_FAKE_BUF];	/* pending answer bytes */
	size_t out_len;
	size_t max_write;	/* accept at most this much per write */

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
};

extern const struct qisock_xport_ops qkt_fake_xops;
struct qkt_fake *qkt_fake_new(struct kunit *test);
void qkt_fake_check_records(struct kunit *test, struct qkt_fake *f);
void qkt_fake_stop(struct qkt_fake *f);
bool qkt_fake_wait_rx(struct qkt_fake *f, const char *needle);
void qkt_fake_clear_rx(struct qkt_fake *f);
u8 qkt_fake_pat(size_t i);

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
