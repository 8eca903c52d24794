/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock: the device object (one per attached modem), its probe and its
 * sysfs class.
 *
 * Lifetime of a struct qisock_dev (see Documentation/driver-api/qisock.rst):
 *
 *   qisock_dev_create()   allocate; id from an ida; struct device
 *                         initialised (its refcount owns the memory)
 *   qisock_dev_start()    device_add() (sysfs appears, state "probing"),
 *                         probe scheduled on a work item
 *   qisock_dev_receive()  bytes from the modem (process context)
 *   qisock_dev_hangup()   state "gone", every AT command fails with -ENODEV,
 *                         the probe work is stopped; memory stays
 *   qisock_dev_destroy()  hangup, then sysfs removed and the last reference
 *                         dropped; the release callback frees everything
 *
 * The transport (tty glue or a test fake) must not call into the device
 * after qisock_dev_destroy() returns; it must not call qisock_dev_destroy()
 * while one of its own receive calls is running.
 */
#ifndef QISOCK_H
#define QISOCK_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "qisock_at.h"
#include "qisock_dialect.h"
#include "qisock_recover.h"
#include "qisock_sock.h"
#include "qisock_svc.h"

#define QISOCK_MODEL_MAX	32
#define QISOCK_REVISION_MAX	64
#define QISOCK_TTY_MAX		64

/**
 * enum qisock_state - what sysfs "state" shows.
 * @QISOCK_PROBING: identifying the module.
 * @QISOCK_READY: identified, dialect chosen.
 * @QISOCK_FAILED: the probe failed (no answer, unknown model).
 * @QISOCK_GONE: detached or hung up.
 * @QISOCK_RECOVERING: the module stopped answering and is being restarted
 *	(qisock_recover.c); "probing" follows its RDY.
 */
enum qisock_state {
	QISOCK_PROBING,
	QISOCK_READY,
	QISOCK_FAILED,
	QISOCK_GONE,
	QISOCK_RECOVERING,
};

/**
 * struct qisock_probe_cfg - probe timing (tests shorten it).
 * @at_tries: how many times "AT" is sent before giving up.
 * @at_timeout_ms: time-out of each "AT".
 * @cmd_timeout_ms: time-out of the other probe commands.
 */
struct qisock_probe_cfg {
	unsigned int at_tries;
	unsigned int at_timeout_ms;
	unsigned int cmd_timeout_ms;
};

/* Most PDP contexts of any dialect (EC200U: 1-7). */
#define QISOCK_CTX_MAX		7

struct qisock_ctx;
struct qisock_qicfg;

/**
 * struct qisock_dev - one attached modem.
 * @dev: the class device; its refcount owns this structure.
 * @id: N of qisockN.
 * @eng: the AT engine.
 * @lock: protects @state, @dialect, @model, @revision.
 * @state: &enum qisock_state.
 * @dialect: the dialect once identified, else NULL.
 * @model: canonical model name, "" until identified.
 * @revision: firmware revision, "" until identified.
 * @tty_name: name of the tty it is attached to (copied at attach).
 * @probe_work: runs the probe (process context, may wait on the engine).
 * @probe_done: completed at the end of each probe (for tests).
 * @cfg: probe timing.
 * @added: device_add() succeeded.
 * @cdev: the control node /dev/qisock<N> (when @dev has a devt).
 * @sock_rwsem: held for writing while the sockets go away at detach.
 * @socks_gone: detached: no socket may be claimed any more (sock_rwsem).
 * @socks: the sockets, created after the first successful probe (@lock).
 * @nsocks: their number (@lock).
 * @push: the socket the direct-push block in progress belongs to, or
 *	NULL (receive path).
 * @push_gen: its generation when the block started.
 * @push_drop: the block does not fit and is discarded.
 * @incoming_full: "incoming full" URCs seen.
 * @deact: the AT+QIDEACT sent after "pdpdeact", referenced (receive path).
 * @ctx: the PDP contexts ctx<N>, index N (@lock; set once, cleared at
 *	destroy).
 * @nctx: their number (probe work, destroy).
 * @qicfg: the qicfg/ group (qisock_qicfg.c): set once by the probe work
 *	before its files appear, cleared at destroy after they went.
 * @svc: DNS, ping and NTP requests (qisock_svc.h).
 * @rcv: recovery of a module that stops answering (its own lock).
 */
struct qisock_dev {
	struct device dev;
	int id;
	struct qat_engine eng;

	spinlock_t lock;	/* state, dialect, model, revision */
	enum qisock_state state;
	const struct qisock_dialect *dialect;
	char model[QISOCK_MODEL_MAX];
	char revision[QISOCK_REVISION_MAX];
	char tty_name[QISOCK_TTY_MAX];

	struct work_struct probe_work;
	struct completion probe_done;
	struct qisock_probe_cfg cfg;
	bool added;

	struct cdev cdev;
	struct rw_semaphore sock_rwsem;	/* socks_gone */
	bool socks_gone;
	struct qisock_sock *socks[QISOCK_SOCK_MAX];
	unsigned int nsocks;
	struct qisock_sock *push;
	u32 push_gen;
	bool push_drop;
	unsigned int incoming_full;
	struct qat_cmd *deact;
	struct qisock_ctx *ctx[QISOCK_CTX_MAX + 1];
	unsigned int nctx;
	struct qisock_qicfg *qicfg;
	struct qisock_svc svc;
	struct qisock_recover rcv;
};

struct qisock_dev *qisock_dev_create(struct device *parent,
				     const char *tty_name,
				     const struct qisock_xport_ops *xops,
				     void *xpriv);
int qisock_dev_start(struct qisock_dev *qd);
void qisock_dev_receive(struct qisock_dev *qd, const u8 *buf, size_t len);
void qisock_dev_tx_wakeup(struct qisock_dev *qd);
void qisock_dev_hangup(struct qisock_dev *qd);
void qisock_dev_destroy(struct qisock_dev *qd);
enum qisock_state qisock_dev_state(struct qisock_dev *qd);
const char *qisock_state_name(enum qisock_state state);

void qisock_dev_state_changed(struct qisock_dev *qd);

/* qisock_ctx.c */
int qisock_ctxs_create(struct qisock_dev *qd, const struct qisock_dialect *d);
void qisock_ctxs_remove(struct qisock_dev *qd);
void qisock_ctxs_down(struct qisock_dev *qd);
int qisock_ctx_active(struct qisock_dev *qd, unsigned int id);
void qisock_ctxs_restore(struct qisock_dev *qd);
void qisock_ctx_event(struct qisock_dev *qd, int id, bool up, int err);
void qisock_ctx_urc(struct qisock_dev *qd, const struct qp_line *line,
		    const struct qp_arg *a, int n);
/* qisock_ctx_reg.c: BC66 context 1, "+IP:" */
void qisock_ctx_urc_ip(struct qisock_dev *qd, const struct qp_arg *a, int n);
int qisock_ctx_wait_up(struct qisock_dev *qd, unsigned int id, bool nonblock);

/* qisock_probe.c */
void qisock_probe_init(struct qisock_dev *qd);

/* qisock_qicfg.c */
int qisock_qicfg_create(struct qisock_dev *qd, const struct qisock_dialect *d);
void qisock_qicfg_remove(struct qisock_dev *qd);
int qisock_qicfg_restore(struct qisock_dev *qd, const struct qisock_dialect *d);
ssize_t qisock_qicfg_show(struct qisock_dev *qd,
			  const struct qisock_qicfg_opt *o, char *buf);
ssize_t qisock_qicfg_store(struct qisock_dev *qd,
			   const struct qisock_qicfg_opt *o, const char *buf,
			   size_t count);
void qisock_qicfg_file_name(const char *name, char *out, size_t size);
const struct qisock_qicfg_opt *qisock_qicfg_find(const struct qisock_dialect *d,
						 const char *file);
const char *qisock_qicfg_pinned(const struct qisock_dialect *d,
				const struct qisock_qicfg_opt *o);
int qisock_qicfg_parse(const struct qisock_qicfg_opt *o, const char *buf,
		       size_t count, u32 *v);
int qisock_qicfg_parse_answer(const struct qisock_qicfg_opt *o,
			      const char *resp, const u32 *keys, u32 *v);

int qisock_class_init(void);

extern const struct attribute_group qisock_stats_group;
extern const struct attribute_group qisock_status_group;
void qisock_class_exit(void);

int qisock_ldisc_register(int num);
void qisock_ldisc_unregister(void);

#endif /* QISOCK_H */
