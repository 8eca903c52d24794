/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock services: DNS lookup (AT+QIDNSGIP), ping (AT+QPING) and NTP
 * (AT+QNTP, BC66 AT+QNTTP) on the control node, and the module's last
 * error (AT+QIGETERROR). Each is one command answered by OK, whose result
 * comes later as URCs.
 *
 * Files: qisock_svc.c (request lifetime, the per-file slot, the per-modem
 * queue, time-outs, poll, detach, URC routing), qisock_svc_dns.c,
 * qisock_svc_ping.c and qisock_svc_ntp.c (validation, command line, URC
 * parsing of one service each).
 *
 * Locks and lifetime:
 *
 *  - struct qisock_svc.lock (a spinlock, one per modem) protects the
 *    queues, every request's @state, @err, @out and parse state, and
 *    @owner_wq. The receive path (URCs, the command's done hook) takes
 *    only it; so does the time-out work. Order: the engine's rx_mutex,
 *    then qisock_file.lock, then this lock; never the engine's lock
 *    inside it (commands are submitted after unlocking).
 *  - The module runs one request of a kind at a time: requests of a kind
 *    wait in the modem's queue q[kind] and only its head is sent; when it
 *    ends the next one is sent. Nothing is ever sent while another
 *    request of the same kind runs, so the module never answers "busy".
 *  - A request is kref-counted: the file's slot (qisock_file.svc), the
 *    queue while it is in it, a caller waiting for it, its command while
 *    that is with the engine, and its time-out work while armed hold a
 *    reference each. It holds one on its modem's device, so a file may
 *    outlive the modem: detach ends every request with EIO, the last
 *    reference frees it.
 */
#ifndef QISOCK_SVC_H
#define QISOCK_SVC_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/qisock.h>

#include "qisock_parse.h"

struct qat_cmd;
struct qisock_dev;
struct qisock_dialect;
struct qisock_file;

enum qisock_svc_kind {
	QISOCK_SVC_DNS,
	QISOCK_SVC_PING,
	QISOCK_SVC_NTP,
	QISOCK_SVC_KINDS
};

/* The argument of one request; context_id leads each struct. */
union qisock_svc_arg {
	struct qisock_resolve dns;
	struct qisock_ping ping;
	struct qisock_ntp ntp;
};

enum qisock_svc_state {
	QISOCK_SVC_QUEUED,	/* waiting for its turn */
	QISOCK_SVC_SENT,	/* command with the engine, no OK yet */
	QISOCK_SVC_RUNNING,	/* OK came: its URCs are expected */
	QISOCK_SVC_DONE,	/* @err and @out are final */
};

/* Margin on every request's time-out: the queue and the command's OK. */
#define QISOCK_SVC_MARGIN_MS	5000

/**
 * struct qisock_svc_req - one request of one file.
 * @ref: references (see above).
 * @qd: the modem (its device referenced).
 * @ops: what the service does.
 * @kind: &enum qisock_svc_kind.
 * @node: link in qd->svc.q[@kind].
 * @state: &enum qisock_svc_state.
 * @err: 0 once the module reported (also a failure it reported: then
 *	@out's module_error), or a negative errno.
 * @cmd: the command, made when the request was (lines are checked
 *	before anything is queued); the request's reference.
 * @tmo_ms: time from sending to the result before ETIMEDOUT.
 * @timer: that time-out.
 * @wq: callers waiting for the result.
 * @owner_wq: the owning file's queue (pollers), NULL once it is closed.
 * @key: the input fields of the request (output fields zero): the same
 *	call with the same arguments collects it.
 * @out: the result being built from the URCs.
 * @hdr: DNS: the "dnsgip" line with <err> came.
 * @got: DNS: addresses received.
 */
struct qisock_svc_req {
	struct kref ref;
	struct qisock_dev *qd;
	const struct qisock_svc_ops *ops;
	u8 kind;
	struct list_head node;
	u8 state;
	int err;
	struct qat_cmd *cmd;
	unsigned int tmo_ms;
	struct delayed_work timer;
	wait_queue_head_t wq;
	wait_queue_head_t *owner_wq;
	union qisock_svc_arg key;
	union qisock_svc_arg out;
	bool hdr;
	unsigned int got;
};

/**
 * struct qisock_svc_ops - one service.
 * @size: size of its uapi struct.
 * @urc: the &enum qp_code of its URCs.
 * @check: validate the arguments for dialect @d: 0 or -EINVAL.
 * @key: copy the input fields of @in into a zeroed @key.
 * @cmd: the command line for @in (checked): a command or an ERR_PTR().
 * @timeout_ms: the seed's maximum response time for @in.
 * @parse: one URC (its arguments @a, @n of them) for @r, svc lock held:
 *	1 when the result is complete, 0 for more, -EPROTO when malformed.
 */
struct qisock_svc_ops {
	size_t size;
	u8 urc;
	int (*check)(const struct qisock_dialect *d,
		     const union qisock_svc_arg *in);
	void (*key)(union qisock_svc_arg *key, const union qisock_svc_arg *in);
	struct qat_cmd *(*cmd)(const struct qisock_dialect *d,
			       const union qisock_svc_arg *in);
	unsigned int (*timeout_ms)(const struct qisock_dialect *d,
				   const union qisock_svc_arg *in);
	int (*parse)(struct qisock_svc_req *r, const struct qp_arg *a, int n);
};

/**
 * struct qisock_svc - the services of one modem.
 * @lock: see above.
 * @q: the requests of each kind, the running one first.
 * @gone: detached: no new request.
 * @tmo_ms: tests only: every request's time-out (0: the seed's).
 *
 * Service URCs with no request running, and malformed ones, are counted
 * in the engine's stats (svc_stray, svc_bad: stats/ in sysfs).
 */
struct qisock_svc {
	spinlock_t lock;	/* see above */
	struct list_head q[QISOCK_SVC_KINDS];
	bool gone;
	unsigned int tmo_ms;
};

extern const struct qisock_svc_ops qisock_svc_dns_ops;
extern const struct qisock_svc_ops qisock_svc_ping_ops;
extern const struct qisock_svc_ops qisock_svc_ntp_ops;

/* qisock_svc.c: helpers of the services */
int qisock_svc_check_common(const struct qisock_dialect *d, u32 ctx,
			    const char *host, const __u32 *reserved,
			    unsigned int nres);
void qisock_svc_copy_host(char *dst, const char *src);
int qisock_svc_addr(char *dst, const struct qp_arg *a);
struct qat_cmd *qisock_svc_cmd(const char *fmt, ...) __printf(1, 2);

/* qisock_svc_ntp.c */
int qisock_svc_ntp_time(const char *s, size_t len, time64_t *t, int *tzq);

/* qisock_svc.c: for the core, the files and the tests */
void qisock_svc_init(struct qisock_svc *sv);
void qisock_svc_shutdown(struct qisock_dev *qd);
void qisock_svc_fail_all(struct qisock_dev *qd, int err);
void qisock_svc_urc(struct qisock_dev *qd, const struct qp_line *line);
int qisock_svc_call(struct qisock_file *f, unsigned int kind,
		    union qisock_svc_arg *arg, bool nonblock);
long qisock_svc_ioctl(struct qisock_file *f, unsigned int cmd,
		      void __user *argp, bool nonblock);
__poll_t qisock_svc_poll(struct qisock_file *f);
void qisock_svc_release(struct qisock_file *f);
int qisock_svc_last_error(struct qisock_dev *qd, struct qisock_error *e);

#endif /* QISOCK_SVC_H */
