/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock sockets: one object per modem connectID, its state machine, its
 * AT conversations and its character device /dev/qisock<M>s<N>.
 *
 * Contexts and locks (see Documentation/driver-api/qisock.rst):
 *
 *  - URC and command callbacks (open result, QIRD data, SEND results) run
 *    in the engine's receive path with rx_mutex held: they take only
 *    qisock_sock.lock (a spinlock) and may submit commands, never wait.
 *  - System calls wait on qisock_sock.wq, never while holding a lock the
 *    receive path needs. op_lock serialises OPEN/SET_MODE, wr_lock the
 *    writers, rd_lock the readers (the single consumer of the rx kfifo;
 *    the receive path is the single producer, under lock).
 *  - Memory: a socket is a struct device; the module's socket table, every
 *    open file and every command in flight hold a reference. A socket holds
 *    a reference on its modem. After detach the table lets go, files see
 *    @gone and get EIO, and the last reference frees everything.
 */
#ifndef QISOCK_SOCK_H
#define QISOCK_SOCK_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/kfifo.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/qisock.h>

#include "qisock_dialect.h"
#include "qisock_parse.h"

struct qat_cmd;
struct qat_cmd_ops;
struct qisock_dev;
struct qisock_dialect;
struct qisock_svc_req;

/* Most connectIDs of any dialect. */
#define QISOCK_SOCK_MAX		12
/* Minors per modem: the control node and its sockets. */
#define QISOCK_MINORS_PER_DEV	16
/* Modems attached at once (each gets its nodes; a further one is refused). */
#define QISOCK_MAX_DEVS		64
/* Receive buffer of a socket (a power of two). */
#define QISOCK_RX_SIZE		65536
/* The module's send buffer (EC200U <Freesize> range). */
#define QISOCK_TX_MODULE_BUF	10240
/* Most connections waiting in a listener's accept queue. */
#define QISOCK_ACCEPT_MAX	16

/**
 * struct qisock_sock - one connectID of one modem.
 * @dev: the class device qisock<M>s<N>; its refcount owns the structure.
 * @cdev: the character device.
 * @qd: the modem (referenced).
 * @id: the connectID.
 * @op_lock: serialises OPEN, SET_MODE and release.
 * @wr_lock: serialises writers.
 * @rd_lock: serialises readers.
 * @lock: protects everything below.
 * @wq: readers, writers, pollers, OPEN waiters.
 * @owner_wq: the owning file's &qisock_file.wq (under @lock), woken with @wq.
 * @work: open time-out and send-buffer polling. Armed only through
 *	qisock_sock_arm_work() (under @lock, never once @gone is set), so the
 *	cancel_delayed_work_sync() in qisock_socks_remove() is final; the
 *	device release cancels it again before freeing.
 * @in_use: a file owns the socket.
 * @gone: the modem was detached.
 * @state: &enum qisock_sock_state.
 * @service: &enum qisock_service.
 * @access: &enum qisock_access_mode.
 * @ctx: PDP context.
 * @mod_held: the module may hold this connectID (QICLOSE it on release).
 * @recv_pending: the module has data for us (buffer access mode).
 * @draining: an AT+QIRD is in flight.
 * @peer_closed: "closed" URC seen; EOF once drained.
 * @tx_full: the module's send buffer is full (SEND FAIL).
 * @tx_poll_err: consecutive failed AT+QISEND=N,0 polls while @tx_full.
 * @tx_async: the AT+QISEND of a non-blocking write, referenced, from its
 *	submission until its outcome is known; after SEND FAIL (@tx_retry)
 *	kept until its copy goes out. Writers get EAGAIN meanwhile.
 * @tx_retry: @tx_async got SEND FAIL; the socket work sends it again.
 * @tx_err: positive errno of a non-blocking write whose data went nowhere
 *	after it returned (a UDP send that failed, a retry dropped when the
 *	peer closed); the next write or TIOCOUTQ reports it once (EPOLLERR).
 * @outq_query: a background AT+QISEND=N,0 (non-blocking TIOCOUTQ) is out.
 * @rd_drop: the QIRD block in flight does not fit (discard it).
 * @gen: incremented at every OPEN and release; stale callbacks compare it.
 * @open_acked: this OPEN's AT+QIOPEN got its OK (+QIOPEN may apply).
 * @rd_gen: @gen when the QIRD in flight was sent.
 * @rd_got: length announced by the QIRD in flight.
 * @rd_in: bytes of that block received so far.
 * @recv_seq: "recv" URCs seen; a QIRD that ends empty clears @recv_pending
 *	only if none came since it was sent.
 * @rd_seq: @recv_seq when the QIRD in flight was sent.
 * @rd_audit: a QIRD ended unanswered; ask AT+QIRD=<id>,0 before reading on.
 * @rd_audit_tries: audits that went unanswered too (QISOCK_AUDIT_TRIES).
 * @mod_read: data bytes the module handed over (QIRD blocks, direct push) in
 *	this generation; the module's <have_read_length> should be the same.
 * @error: positive errno of a failure.
 * @module_error: the module's code behind @error.
 * @lport: local port.
 * @rport: remote port.
 * @open_deadline: jiffies after which an OPENING socket fails.
 * @unacked: last unacknowledged byte count from AT+QISEND=N,0, plus the
 *	bytes sent since.
 * @rx: received bytes (TCP) or records (UDP: struct qisock_dgram, data).
 * @rx_dgrams: complete records in @rx.
 * @rx_rec_open: a record header is in @rx, its data not complete yet.
 * @rx_rec_start: @rx's in index before that header (rolled back to it).
 * @rx_rec_gen: @gen when that header was written.
 * @rx_dg_left: BC66 UDP: bytes of the datagram being read in parts that the
 *	module still holds (the last "+QIRD: <n>,<remaining>"), 0 if none.
 * @rx_dg_len: that datagram's whole length.
 * @rx_dg_keep: its record is in @rx (else its parts are dropped).
 * @rx_dg_skip: a QIRD answer was lost when no datagram was being read in
 *	parts: the parts that follow may continue a datagram whose start is
 *	gone, so they are dropped up to one with no <remaining> bytes.
 * @rd_rem: <remaining_length> of the QIRD block in flight.
 * @rx_bytes: bytes delivered to readers.
 * @tx_bytes: bytes accepted by the module.
 * @rx_dropped: bytes the module handed over that readers will not get
 *	(direct push without room, a UDP record that did not fit, data a lost
 *	QIRD answer took).
 * @accept_q: connections waiting for ACCEPT (listener).
 * @accept_len: their number.
 * @listener: connectID of the listener whose queue holds this connection.
 * @in_refused: incoming connections on this connectID nobody could take.
 * @remote: peer host or address.
 */
struct qisock_sock {
	struct device dev;
	struct cdev cdev;
	struct qisock_dev *qd;
	u8 id;

	struct mutex op_lock;		/* OPEN, SET_MODE, release */
	struct mutex wr_lock;		/* writers */
	struct mutex rd_lock;		/* readers */
	spinlock_t lock;		/* everything below */
	wait_queue_head_t wq;
	wait_queue_head_t *owner_wq;
	struct delayed_work work;

	bool in_use;
	bool gone;
	u8 state;
	u8 service;
	u8 access;
	u8 ctx;
	bool mod_held;
	bool recv_pending;
	bool draining;
	bool peer_closed;
	bool tx_full;
	u8 tx_poll_err;
	struct qat_cmd *tx_async;
	bool tx_retry;
	int tx_err;
	bool outq_query;
	bool rd_drop;
	u32 gen;
	bool open_acked;
	u32 rd_gen;
	u32 rd_got;
	u32 rd_in;
	u32 recv_seq;
	u32 rd_seq;
	bool rd_audit;
	u8 rd_audit_tries;
	u64 mod_read;
	int error;
	int module_error;
	u16 lport;
	u16 rport;
	unsigned long open_deadline;
	u32 unacked;
	DECLARE_KFIFO_PTR(rx, u8);
	u32 rx_dgrams;
	bool rx_rec_open;
	u32 rx_rec_start;
	u32 rx_rec_gen;
	u32 rx_dg_left;
	u32 rx_dg_len;
	bool rx_dg_keep;
	bool rx_dg_skip;
	u32 rd_rem;
	u64 rx_bytes;
	u64 tx_bytes;
	u64 rx_dropped;
	struct list_head accept_q;
	unsigned int accept_len;
	u8 listener;
	u32 in_refused;
	char remote[QISOCK_HOST_SIZE];
};

/**
 * struct qisock_file - what an open file of qisock refers to.
 * @qd: the modem (referenced).
 * @s: the socket it owns (referenced), or NULL (control node, no OPEN yet).
 * @lock: protects @s, @opening, @lost.
 * @wq: pollers; registered even before OPEN, woken by the socket's wakeups.
 * @ctl: the control node (OPEN may claim another socket).
 * @opening: QISOCK_IOC_OPEN calls in progress.
 * @lost: the module gave the claimed connectID to an incoming connection.
 * @svc: the DNS, ping or NTP request of a control node, referenced
 *	(qisock_svc.h), or NULL.
 */
struct qisock_file {
	struct qisock_dev *qd;
	struct qisock_sock *s;
	struct mutex lock;		/* s */
	wait_queue_head_t wq;
	bool ctl;
	int opening;
	bool lost;
	struct qisock_svc_req *svc;
};

int qisock_err_to_errno(int code);

/* AT+QICLOSE's <timeout> argument (EC200U), see qisock_close_cmd(). */
#define QISOCK_CLOSE_TMO_S	1
/* Send-buffer poll interval after SEND FAIL. */
#define QISOCK_TXPOLL_MS	100
/* close(2) waits this long for a non-blocking write's data to go out. */
#define QISOCK_LINGER_MS	5000
/* Size of a datagram record's header in a socket's rx fifo. */
#define QISOCK_HDR		sizeof(struct qisock_dgram)

static inline bool qisock_sock_is_udp(const struct qisock_sock *s)
{
	return s->service == QISOCK_UDP || s->service == QISOCK_UDP_SERVICE;
}

/**
 * struct qisock_req - a command a socket submits without waiting for it.
 * @s: the socket (referenced until qisock_req_end()).
 * @gen: the socket's generation when it was submitted; hooks that find
 *	another generation leave the socket alone.
 */
struct qisock_req {
	struct qisock_sock *s;
	u32 gen;
};

/**
 * struct qisock_caller - a read or write in progress.
 * @owner: the owning file's wait queue (its identity, see
 *	qisock_sock_claim_for()).
 * @gen: the socket's generation when the call started.
 */
struct qisock_caller {
	wait_queue_head_t *owner;
	u32 gen;
};

/*
 * Shared by the socket files (qisock_sock*.c, qisock_listen.c,
 * qisock_pdp.c); "_locked" functions need qisock_sock.lock held.
 */
const struct qisock_dialect *qisock_sock_dialect(struct qisock_sock *s);
bool qisock_sock_fail_locked(struct qisock_sock *s, int err, int mod_err);
bool qisock_sock_tx_stop_locked(struct qisock_sock *s);
void qisock_sock_tx_linger(struct qisock_sock *s);
void qisock_sock_reset_locked(struct qisock_sock *s);
void qisock_sock_begin_conn_locked(struct qisock_sock *s);
bool qisock_sock_fail_dead_locked(struct qisock_sock *s, int err);
int qisock_sock_caller_err_locked(const struct qisock_sock *s,
				  const struct qisock_caller *who);
int qisock_sock_dead_err(struct qisock_sock *s);
void qisock_sock_wake(struct qisock_sock *s);
void qisock_sock_arm_work(struct qisock_sock *s, unsigned long delay);
int qisock_urc_int(const struct qp_arg *a, int n, int i, int min, int max);

void qisock_req_end(struct qat_cmd *cmd);
int qisock_req_attach(struct qisock_sock *s, struct qat_cmd *cmd,
		      const struct qat_cmd_ops *ops, u32 gen);
int qisock_req_submit(struct qat_cmd *cmd);
__printf(5, 6)
struct qat_cmd *qisock_cmd_new(const struct qisock_dialect *d,
			       enum qisock_cmd kind, size_t resp_size,
			       size_t data_len, const char *fmt, ...);
struct qat_cmd *qisock_close_cmd(const struct qisock_dialect *d,
				 unsigned int id);
int qisock_sock_submit_keep(struct qisock_sock *s, struct qat_cmd *cmd,
			    const struct qat_cmd_ops *ops, u32 gen,
			    struct qat_cmd **keep);
#define qisock_sock_submit(s, cmd, ops, gen) \
	qisock_sock_submit_keep(s, cmd, ops, gen, NULL)
int qisock_cmd_errno(const struct qat_cmd *cmd);
int qisock_cmd_mod_err(const struct qat_cmd *cmd);
int qisock_cmd_exec(struct qisock_dev *qd, struct qat_cmd *cmd);
extern const struct qat_cmd_ops qisock_sock_plain_ops;
void qisock_sock_send_close(struct qisock_sock *s,
			    const struct qisock_dialect *d);

/* qisock_sock_rx.c */
void qisock_sock_drain(struct qisock_sock *s);
void qisock_sock_urc_recv(struct qisock_dev *qd, const struct qp_line *line,
			  const struct qp_arg *a, int n);

/* qisock_sock_tx.c */
int qisock_sock_tx_ready(struct qisock_sock *s,
			 const struct qisock_caller *who);
void qisock_sock_tx_poll(struct qisock_sock *s,
			 const struct qisock_dialect *d);

/* qisock_listen.c */
void qisock_listen_urc_incoming(struct qisock_dev *qd, const struct qp_arg *a,
				int n);
void qisock_listen_flush(struct qisock_sock *l);
void qisock_listen_flush_failed(struct qisock_dev *qd);
void qisock_listen_free_queue(struct qisock_sock *s);

/* qisock_pdp.c */
void qisock_pdp_urc_deact(struct qisock_dev *qd, const struct qp_arg *a,
			  int n);
void qisock_pdp_forget_deact(struct qisock_dev *qd);
void qisock_pdp_down(struct qisock_dev *qd, int ctx);

/* qisock_probe.c */
int qisock_probe_pin(struct qisock_dev *qd, const struct qisock_dialect *d);

/* qisock_sock.c and friends: the interface for the files and the core */
int qisock_socks_create(struct qisock_dev *qd);
void qisock_socks_remove(struct qisock_dev *qd);
void qisock_socks_fail_all(struct qisock_dev *qd, int err);
void qisock_sock_urc(struct qisock_dev *qd, const struct qp_line *line);
void qisock_sock_reread(struct qisock_dev *qd);
void qisock_sock_urc_data(struct qisock_dev *qd, const u8 *buf, u32 len,
			  bool last);
struct qisock_sock *qisock_sock_get(struct qisock_dev *qd, int id);
struct qisock_sock *qisock_sock_claim_for(struct qisock_dev *qd, int id,
					  wait_queue_head_t *owner);
void qisock_sock_unclaim(struct qisock_sock *s);
void qisock_sock_put(struct qisock_sock *s);
int qisock_sock_open(struct qisock_sock *s, struct qisock_open *req,
		     bool nonblock);
void qisock_sock_release(struct qisock_sock *s);
ssize_t qisock_sock_read_for(struct qisock_sock *s, char __user *buf,
			     size_t count, bool nonblock,
			     wait_queue_head_t *owner);
ssize_t qisock_sock_write_for(struct qisock_sock *s, const char __user *buf,
			      size_t count, bool nonblock,
			      wait_queue_head_t *owner);

__poll_t qisock_sock_poll_mask(struct qisock_sock *s);
void qisock_sock_info(struct qisock_sock *s, struct qisock_info *info);
int qisock_sock_nread(struct qisock_sock *s);
int qisock_sock_outq(struct qisock_sock *s, bool nonblock);
int qisock_sock_set_mode(struct qisock_sock *s, unsigned long mode);
int qisock_sock_accept_for(struct qisock_sock *s, bool nonblock,
			   struct qisock_accept *acc, struct qisock_sock **out,
			   wait_queue_head_t *owner);
void qisock_sock_unaccept(struct qisock_sock *l, struct qisock_sock *c,
			  wait_queue_head_t *owner);
bool qisock_host_valid(const char *host, size_t max);

/* qisock_cdev.c */
int qisock_chrdev_init(void);
void qisock_chrdev_exit(void);
dev_t qisock_devt(int dev_id, int minor);
extern const struct file_operations qisock_ctl_fops;
extern const struct device_type qisock_node_type;
void qisock_node_perm(umode_t *mode, kgid_t *gid);
extern const struct file_operations qisock_sock_fops;

#endif /* QISOCK_SOCK_H */
