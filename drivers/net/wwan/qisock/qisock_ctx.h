/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock PDP contexts: the object behind /sys/class/qisock/qisock<M>/ctx<N>/
 * (qisock_ctx.c) and keeping it up (qisock_ctx_keep.c).
 */
#ifndef QISOCK_CTX_H
#define QISOCK_CTX_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/qisock.h>

struct qisock_dev;

/* The seed: <username> and <password> 127 bytes; <APN> names none. */
#define QISOCK_CTX_STR_MAX	127
/* 3GPP TS 23.003: an APN is at most 100 octets. */
#define QISOCK_CTX_APN_MAX	100
/* The seed's maximum response time of AT+QIACT(EX) (the URC, here). */
#define QISOCK_CTX_ACT_MS	150000
/* ...and of AT+QIDEACT(EX). */
#define QISOCK_CTX_DEACT_MS	40000
/*
 * BC66: AT+CFUN, which the seed does not list; the BC66 AT commands
 * manual gives it 85 s.
 */
#define QISOCK_CTX_CFUN_MS	85000
/* BC66: how long a blocking QISOCK_IOC_OPEN waits for "+IP:". */
#define QISOCK_CTX_IP_WAIT_MS	60000

enum qisock_ctx_state {
	QISOCK_CTX_DOWN,
	QISOCK_CTX_ACTIVATING,
	QISOCK_CTX_UP,
	QISOCK_CTX_DEACTIVATING,
};

/**
 * struct qisock_ctx - one PDP context of one modem.
 * @kobj: ctx<N> under the modem's device; its refcount owns the structure.
 * @qd: the modem. Not referenced: the contexts go before the modem's
 *	device (qisock_ctxs_remove()) and hold no reference past that.
 * @id: N, the <contextID>.
 * @cfg_lock: serialises configuration writes (query, change, write back).
 * @lock: protects @state, @last_error and @gone.
 * @state: &enum qisock_ctx_state as the driver knows it.
 * @last_error: the module's <err> of the last failed (de)activation.
 * @gone: the modem is being detached: no new command.
 * @timeout: a (de)activation whose URC never came gives up.
 * @autoconnect: bring the context back up when it goes down (@lock).
 * @want_up: the user asked for it up (active=1) and not down since (@lock).
 * @retries: reconnection attempts since attach (@lock).
 * @backoff_ms: the wait before the next one (@lock).
 * @saved: the configuration last written, re-sent before a reconnection
 *	(the module forgets it when it restarts), or NULL (@cfg_lock).
 * @keep: the next reconnection attempt (qisock_ctx_keep.c).
 * @dns: the DNS servers last written to ctx<N>/dns and accepted, as the
 *	AT+QIDNSCFG arguments ("\"a\"" or "\"a\",\"b\""), or "": set again
 *	whenever the context comes up (the module forgets them when it
 *	restarts) (@lock).
 * @reg: the context follows the module's network registration, as the
 *	BC66's context 1 does (qisock_ctx_reg.c): up at "+IP: <addr>",
 *	configured with AT+CGDCONT; no AT+QICSGP/QIACTEX/QIACT?. Set at
 *	creation, never changed.
 * @addr: @reg: the addresses "+IP:" reported, blank-separated, or ""
 *	(@lock).
 * @fam: @reg: the address families in @addr, QISOCK_CTX_FAM_* (@lock).
 * @wq: @reg: woken at every state change; QISOCK_IOC_OPEN waits here for
 *	"+IP:" (qisock_ctx_wait_up()).
 * @ip_wait_ms: @reg: the bound of that wait (QISOCK_CTX_IP_WAIT_MS; the
 *	KUnit suites shorten it).
 */
struct qisock_ctx {
	struct kobject kobj;
	struct qisock_dev *qd;
	u8 id;
	struct mutex cfg_lock;		/* configuration writes */
	spinlock_t lock;		/* state, last_error, gone */
	enum qisock_ctx_state state;
	int last_error;
	bool gone;
	struct delayed_work timeout;
	bool autoconnect;
	bool want_up;
	unsigned int retries;
	unsigned int backoff_ms;
	struct qisock_ctx_cfg *saved;
	struct delayed_work keep;
	char dns[2 * QISOCK_ADDR_MAX + 6];
	bool reg;
	char addr[2 * QISOCK_ADDR_MAX + 2];
	u8 fam;
	wait_queue_head_t wq;
	unsigned int ip_wait_ms;
};

#define QISOCK_CTX_FAM_V4	BIT(0)
#define QISOCK_CTX_FAM_V6	BIT(1)

/* What AT+QICSGP=<N> says: the whole configuration of a context. */
struct qisock_ctx_cfg {
	unsigned int type;
	unsigned int auth;
	char apn[QISOCK_CTX_STR_MAX + 1];
	char user[QISOCK_CTX_STR_MAX + 1];
	char pass[QISOCK_CTX_STR_MAX + 1];
};

int qisock_ctx_switch(struct qisock_ctx *c, bool up);
bool qisock_ctx_set(struct qisock_ctx *c, enum qisock_ctx_state s, int err);
void qisock_ctx_changed(struct qisock_ctx *c);
struct qisock_ctx *qisock_ctx_get(struct qisock_dev *qd, unsigned int id);

/* qisock_ctx_cfg.c */
int qisock_ctx_write_cfg(struct qisock_ctx *c,
			 const struct qisock_ctx_cfg *cfg);
extern struct kobj_attribute qisock_ctx_attr_type;
extern struct kobj_attribute qisock_ctx_attr_apn;
extern struct kobj_attribute qisock_ctx_attr_username;
extern struct kobj_attribute qisock_ctx_attr_auth;
extern struct kobj_attribute qisock_ctx_attr_password;

/* qisock_ctx_dns.c */
extern struct kobj_attribute qisock_ctx_attr_dns;
void qisock_ctx_dns_restore(struct qisock_ctx *c);

/* qisock_ctx_reg.c */
int qisock_ctx_reg_read_cfg(struct qisock_ctx *c, struct qisock_ctx_cfg *cfg);
int qisock_ctx_reg_write_cfg(struct qisock_ctx *c,
			     const struct qisock_ctx_cfg *cfg);
void qisock_ctx_reg_query(struct qisock_ctx *c);
u8 qisock_ctx_addr_fam(const char *s, size_t len);

/* qisock_ctx_keep.c */
extern struct kobj_attribute qisock_ctx_attr_autoconnect;
extern struct kobj_attribute qisock_ctx_attr_retries;
void qisock_ctx_keep_init(struct qisock_ctx *c);
void qisock_ctx_keep_stop(struct qisock_ctx *c);
void qisock_ctx_keep_down(struct qisock_ctx *c);
void qisock_ctx_keep_up(struct qisock_ctx *c);
void qisock_ctx_keep_save(struct qisock_ctx *c,
			  const struct qisock_ctx_cfg *cfg);

#endif /* QISOCK_CTX_H */
