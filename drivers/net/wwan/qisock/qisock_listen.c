// SPDX-License-Identifier: GPL-2.0
/*
 * qisock TCP LISTENER: incoming connections, the accept queue, ACCEPT and
 * giving a connection back.
 */
#include <linux/ctype.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock.h"
#include "qisock_compat.h"

struct qisock_pending {
	struct list_head node;
	u8 id;
	u32 gen;		/* the connection's gen when queued */
};

/* After failing sockets: a listener that no longer listens queues nothing. */
void qisock_listen_flush_failed(struct qisock_dev *qd)
{
	unsigned int i;

	for (i = 0; i < QISOCK_SOCK_MAX; i++) {
		struct qisock_sock *s = qisock_sock_get(qd, i);
		bool flush;

		if (!s)
			continue;
		spin_lock(&s->lock);
		flush = s->accept_len && s->state == QISOCK_SS_FAILED;
		spin_unlock(&s->lock);
		if (flush)
			qisock_listen_flush(s);
		qisock_sock_put(s);
	}
}

/*
 * Nobody can take the incoming connection @c of generation @gen (listener
 * gone or full, accept failed): QICLOSE it and make the slot FREE again,
 * unless a file claimed it or it changed meanwhile.
 */
static void sock_incoming_drop(struct qisock_sock *c, u32 gen)
{
	bool held = false;

	spin_lock(&c->lock);
	if (!c->in_use && c->gen == gen &&
	    c->service == QISOCK_TCP_INCOMING) {
		held = c->mod_held && !c->gone;
		qisock_sock_reset_locked(c);
		c->listener = U8_MAX;
		c->in_refused++;
	}
	spin_unlock(&c->lock);
	if (held)
		qisock_sock_send_close(c, qisock_sock_dialect(c));
	qisock_sock_wake(c);
}

/*
 * +QIURC: "incoming",<connectID>,<serverID>,"ip",port
 *
 * The module's assignment wins: a connectID a file has claimed but not opened
 * in the module (FREE, or OPENING) is taken from that file (its OPEN fails
 * with EBUSY) and the connection goes to the listener. A connection nobody
 * can take is closed in the module, never left as an owner-less socket.
 */
void qisock_listen_urc_incoming(struct qisock_dev *qd, const struct qp_arg *a, int n)
{
	int id = qisock_urc_int(a, n, 0, 0, 255), srv = qisock_urc_int(a, n, 1, 0, 255);
	struct qisock_sock *c = qisock_sock_get(qd, id);
	struct qisock_sock *l = qisock_sock_get(qd, srv);
	struct qisock_pending *p = NULL;
	bool listening = false, take = false, queued = false;
	u16 lport = 0;
	u8 ctx = 0;
	u32 gen = 0;

	if (!c || c == l)
		goto out;
	p = kmalloc(sizeof(*p), GFP_KERNEL);

	if (l && n >= 4) {
		spin_lock(&l->lock);
		listening = !l->gone && l->state == QISOCK_SS_CONNECTED &&
			    l->service == QISOCK_TCP_LISTENER &&
			    l->accept_len < QISOCK_ACCEPT_MAX;
		ctx = l->ctx;
		lport = l->lport;
		spin_unlock(&l->lock);
	}

	spin_lock(&c->lock);
	if (!listening || !p || c->gone) {
		take = false;
	} else if (!c->in_use) {
		take = c->state == QISOCK_SS_FREE ||
		       c->state == QISOCK_SS_FAILED;
	} else if (c->state == QISOCK_SS_FREE ||
		   c->state == QISOCK_SS_OPENING) {
		/* claimed, not open in the module: the file loses it */
		take = true;
		if (c->owner_wq)
			wake_up_interruptible_all(c->owner_wq);
		c->owner_wq = NULL;
		c->in_use = false;
	}
	if (take) {
		gen = ++c->gen;
		c->state = QISOCK_SS_CONNECTED;
		c->service = QISOCK_TCP_INCOMING;
		c->access = QISOCK_ACCESS_BUFFER;
		c->ctx = ctx;
		c->lport = lport;
		c->rport = a[3].is_int ? a[3].v : 0;
		memset(c->remote, 0, sizeof(c->remote));
		memcpy(c->remote, a[2].s,
		       min_t(size_t, a[2].len, sizeof(c->remote) - 1));
		c->listener = srv;
		qisock_sock_begin_conn_locked(c);
	} else {
		c->in_refused++;
	}
	spin_unlock(&c->lock);
	qisock_sock_wake(c);

	if (!take) {
		/* nobody can take it: the module must not keep it */
		qisock_sock_send_close(c, qisock_sock_dialect(c));
		goto out;
	}
	spin_lock(&l->lock);
	if (!l->gone && l->state == QISOCK_SS_CONNECTED &&
	    l->service == QISOCK_TCP_LISTENER) {
		p->id = id;
		p->gen = gen;
		list_add_tail(&p->node, &l->accept_q);
		l->accept_len++;
		queued = true;
		p = NULL;
	}
	spin_unlock(&l->lock);
	if (queued)
		qisock_sock_wake(l);
	else
		sock_incoming_drop(c, gen);
out:
	kfree(p);
	qisock_sock_put(c);
	qisock_sock_put(l);
}

/*
 * A listener stops listening: close every connection still waiting in its
 * accept queue (unless a file claimed it meanwhile) and empty the queue.
 */
void qisock_listen_flush(struct qisock_sock *l)
{
	struct qisock_pending *p, *tmp;
	LIST_HEAD(q);

	spin_lock(&l->lock);
	list_splice_init(&l->accept_q, &q);
	l->accept_len = 0;
	spin_unlock(&l->lock);
	list_for_each_entry_safe(p, tmp, &q, node) {
		struct qisock_sock *c = qisock_sock_get(l->qd, p->id);

		if (c) {
			sock_incoming_drop(c, p->gen);
			qisock_sock_put(c);
		}
		list_del(&p->node);
		kfree(p);
	}
}

/**
 * qisock_sock_accept_for() - take a connection from a listener.
 * @s: the listener.
 * @nonblock: O_NONBLOCK.
 * @acc: filled in.
 * @out: the claimed, referenced connection.
 * @owner: the new file's wait queue (woken with the connection's), or NULL.
 *
 * Return: 0 or a negative errno.
 */
int qisock_sock_accept_for(struct qisock_sock *s, bool nonblock,
			   struct qisock_accept *acc, struct qisock_sock **out,
			   wait_queue_head_t *owner)
{
	struct qisock_pending *p;
	struct qisock_sock *c;
	bool stale;
	u32 gen;
	int ret;

	for (;;) {
		spin_lock(&s->lock);
		if (s->gone) {
			ret = -EIO;
		} else if (s->service != QISOCK_TCP_LISTENER ||
			   s->state == QISOCK_SS_FREE ||
			   s->state == QISOCK_SS_OPENING) {
			ret = -EINVAL;
		} else if (!list_empty(&s->accept_q)) {
			ret = 0;
		} else if (s->state != QISOCK_SS_CONNECTED) {
			ret = -(s->error ? s->error : EINVAL);
		} else {
			ret = -EAGAIN;
		}
		p = NULL;
		if (!ret) {
			p = list_first_entry(&s->accept_q,
					     struct qisock_pending, node);
			list_del(&p->node);
			s->accept_len--;
		}
		spin_unlock(&s->lock);
		if (p) {
			c = qisock_sock_get(s->qd, p->id);
			gen = p->gen;
			kfree(p);
			if (!c)
				continue;
			spin_lock(&c->lock);
			/* still the connection queued (same gen, this listener) */
			stale = c->in_use || c->service != QISOCK_TCP_INCOMING ||
				c->gen != gen || c->listener != s->id;
			ret = stale || (c->state != QISOCK_SS_CONNECTED &&
					c->state != QISOCK_SS_CLOSED);
			if (!ret) {
				c->in_use = true;
				c->owner_wq = owner;
				c->listener = U8_MAX;
				acc->connect_id = c->id;
				acc->port = c->rport;
				memset(acc->addr, 0, sizeof(acc->addr));
				strscpy(acc->addr, c->remote,
					sizeof(acc->addr));
			}
			spin_unlock(&c->lock);
			if (ret) {
				if (!stale)	/* failed while queued: drop it */
					sock_incoming_drop(c, gen);
				qisock_sock_put(c);
				continue;
			}
			*out = c;
			return 0;
		}
		if (ret != -EAGAIN || nonblock)
			return ret;
		if (wait_event_interruptible(s->wq,
					     READ_ONCE(s->accept_len) ||
					     READ_ONCE(s->state) !=
					     QISOCK_SS_CONNECTED ||
					     READ_ONCE(s->gone)))
			return -ERESTARTSYS;
	}
}
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_accept_for);

/**
 * qisock_sock_unaccept() - give back a connection ACCEPT could not deliver.
 * @l: the listener it came from.
 * @c: the connection, claimed by qisock_sock_accept_for() (reference kept).
 * @owner: the wait queue given to qisock_sock_accept_for().
 *
 * It goes back to the head of the accept queue, or is closed in the module
 * when the listener no longer listens.
 */
void qisock_sock_unaccept(struct qisock_sock *l, struct qisock_sock *c,
			  wait_queue_head_t *owner)
{
	struct qisock_pending *p = kmalloc(sizeof(*p), GFP_KERNEL);
	bool queued = false;
	u32 gen;

	spin_lock(&c->lock);
	if (c->owner_wq == owner)
		c->owner_wq = NULL;
	c->in_use = false;
	c->listener = l->id;
	gen = c->gen;
	spin_unlock(&c->lock);
	if (p) {
		spin_lock(&l->lock);
		if (!l->gone && l->state == QISOCK_SS_CONNECTED &&
		    l->service == QISOCK_TCP_LISTENER) {
			p->id = c->id;
			p->gen = gen;
			list_add(&p->node, &l->accept_q);
			l->accept_len++;
			queued = true;
			p = NULL;
		}
		spin_unlock(&l->lock);
	}
	kfree(p);
	if (queued)
		qisock_sock_wake(l);
	else
		sock_incoming_drop(c, gen);
}

/**
 * qisock_listen_free_queue() - free what is left in an accept queue.
 * @s: a socket being freed (nobody else can reach it).
 */
void qisock_listen_free_queue(struct qisock_sock *s)
{
	struct qisock_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, &s->accept_q, node)
		kfree(p);
}
