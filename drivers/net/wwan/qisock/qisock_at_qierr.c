// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT engine: AT+QIGETERROR after a TCP/IP command failed with a
 * plain ERROR. Both seeds say the reason of such an ERROR is only had by
 * asking AT+QIGETERROR, and that it answers for the last TCP/IP command:
 * so the engine asks at once, ahead of every queued command, and holds the
 * failed command back until the answer is in (cmd->mod_err). Its waiter
 * and its done hook then see the module's <err>, and the answer is kept as
 * the modem's last error (QISOCK_IOC_LAST_ERROR).
 *
 * Part of the engine (qisock_at.c); the rules for contexts and locks are in
 * qisock_at.h. Everything here runs with rx_mutex held (the receive path,
 * the time-out work, shutdown) and never waits for the modem.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qisock_at.h"
#include "qisock_compat.h"

/* The follow-up's link to the command it asks about. */
struct qat_qierr {
	struct qat_engine *eng;
	struct qat_cmd *parent;		/* the engine's reference */
};

/*
 * Is the command line of @cmd a TCP/IP command, whose failure
 * AT+QIGETERROR explains? The seeds' TCP/IP commands are AT+QI*
 * (AT+QIGETERROR itself excepted), AT+QPING, AT+QNTP and BC66's AT+QNTTP.
 */
bool qisock_at_qierr_wanted(const char *line, size_t len)
{
	static const char * const pfx[] = { "AT+QPING", "AT+QNTP", "AT+QNTTP" };
	unsigned int i;

	if (len >= 13 && !strncasecmp(line, "AT+QIGETERROR", 13))
		return false;
	if (len > 5 && !strncasecmp(line, "AT+QI", 5))
		return true;
	for (i = 0; i < ARRAY_SIZE(pfx); i++)
		if (len > strlen(pfx[i]) &&
		    !strncasecmp(line, pfx[i], strlen(pfx[i])))
			return true;
	return false;
}

/**
 * qisock_at_qierr_parse() - read "+QIGETERROR: <err>,<errcode_description>".
 * @text: the line.
 * @len: its length.
 * @code: the <err>.
 * @desc: the description (printable ASCII, without quotes), NUL-terminated.
 * @size: size of @desc.
 *
 * Return: 0, or -EPROTO for any other line (wrong prefix, <err> not a
 * number from 0 to 999).
 */
int qisock_at_qierr_parse(const char *text, size_t len, u32 *code,
			  char *desc, size_t size)
{
	static const char pfx[] = "+QIGETERROR:";
	struct qp_arg a[2];
	size_t i, k = 0;
	int n;

	if (len < sizeof(pfx) - 1 || strncasecmp(text, pfx, sizeof(pfx) - 1))
		return -EPROTO;
	text += sizeof(pfx) - 1;
	len -= sizeof(pfx) - 1;
	/* the description may hold commas: split off <err> only */
	n = qisock_parse_split_args(text, len, a, ARRAY_SIZE(a));
	if (n < 1 || !a[0].is_int || a[0].v < 0 || a[0].v > 999)
		return -EPROTO;
	*code = a[0].v;
	if (n > 1) {
		const char *d = a[1].s;
		size_t dl = text + len - d;

		for (i = 0; i < dl && k + 1 < size; i++)
			if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"')
				desc[k++] = d[i];
	}
	if (size)
		desc[k] = '\0';
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_qierr_parse);

/**
 * qisock_at_lasterr_set() - keep the module's last TCP/IP error.
 * @eng: the engine.
 * @code: its <err>.
 * @desc: its description, or NULL.
 */
void qisock_at_lasterr_set(struct qat_engine *eng, u32 code, const char *desc)
{
	spin_lock(&eng->lock);
	eng->lasterr.valid = true;
	eng->lasterr.code = code;
	strscpy(eng->lasterr.text, desc ? desc : "",
		sizeof(eng->lasterr.text));
	spin_unlock(&eng->lock);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_lasterr_set);

/**
 * qisock_at_lasterr_get() - the module's last TCP/IP error, if known.
 * @eng: the engine.
 * @code: its <err>.
 * @desc: its description.
 * @size: size of @desc.
 *
 * Return: whether one is known (an AT+QIGETERROR was answered).
 */
bool qisock_at_lasterr_get(struct qat_engine *eng, u32 *code, char *desc,
			   size_t size)
{
	bool valid;

	spin_lock(&eng->lock);
	valid = eng->lasterr.valid;
	*code = eng->lasterr.code;
	strscpy(desc, eng->lasterr.text, size);
	spin_unlock(&eng->lock);
	return valid;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_lasterr_get);

static int qat_qierr_info(struct qat_cmd *q, const struct qp_line *line)
{
	struct qat_qierr *r = q->priv;
	char desc[QAT_LASTERR_TEXT];
	u32 code;

	if (qisock_at_qierr_parse(line->text, line->len, &code, desc,
				  sizeof(desc)))
		return 0;	/* not ours: the engine notes it, nothing more */
	r->parent->mod_err = code;
	qisock_at_lasterr_set(r->eng, code, desc);
	return 0;
}

/* The answer is in (or not): now the failed command completes. */
static void qat_qierr_done(struct qat_cmd *q)
{
	struct qat_qierr *r = q->priv;
	struct qat_engine *eng = r->eng;
	int status = -EIO;
	bool gone;

	spin_lock(&eng->lock);
	gone = eng->gone;
	spin_unlock(&eng->lock);
	if (gone && q->status)
		status = q->status;	/* detached meanwhile */
	q->priv = NULL;
	qisock_at_finish(eng, r->parent, status, QP_ERROR);
	kfree(r);
}

static const struct qat_cmd_ops qat_qierr_ops = {
	.info	= qat_qierr_info,
	.done	= qat_qierr_done,
};

/**
 * qisock_at_qierr_prepare() - the question to ask after @cmd's @line.
 * @eng: the engine; rx_mutex held.
 * @cmd: the command in flight that @line ends.
 * @line: its final result.
 *
 * A "+CME ERROR: <err>" with a TCP/IP code is kept as the last error
 * directly. For a plain ERROR to a TCP/IP command it builds AT+QIGETERROR,
 * not yet queued: the engine puts it at the head of the queue in the same
 * critical section that takes @cmd out of flight (qat_take_cur()), so no
 * other command can reach the module in between and the answer is
 * @cmd's. Once queued it keeps @cmd until it is answered
 * (qat_qierr_done() finishes @cmd).
 *
 * Return: the follow-up (hand it to qisock_at_qierr_drop() if it is not
 * queued), or NULL when none is due or memory is short (then @cmd ends
 * with its plain ERROR).
 */
struct qat_cmd *qisock_at_qierr_prepare(struct qat_engine *eng,
					struct qat_cmd *cmd,
					const struct qp_line *line)
{
	struct qat_cmd *q;
	struct qat_qierr *r;

	if (!cmd->qierr)
		return NULL;
	if (line->code == QP_CME_ERROR && line->err >= 550 &&
	    line->err <= 999) {
		qisock_at_lasterr_set(eng, line->err, NULL);
		return NULL;
	}
	if (line->code != QP_ERROR)
		return NULL;
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	q = qisock_at_cmd_new(0, 0, 0, "AT+QIGETERROR");
	if (!r || !q) {
		kfree(r);
		qisock_at_cmd_put(q);
		return NULL;
	}
	r->eng = eng;
	r->parent = cmd;
	q->ops = &qat_qierr_ops;
	q->priv = r;
	return q;
}

/**
 * qisock_at_qierr_drop() - a follow-up that was not queued goes.
 * @q: from qisock_at_qierr_prepare(), or NULL.
 */
void qisock_at_qierr_drop(struct qat_cmd *q)
{
	if (!q)
		return;
	kfree(q->priv);
	q->priv = NULL;
	q->ops = NULL;
	qisock_at_cmd_put(q);
}
