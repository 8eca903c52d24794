// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT commands: building a command from its descriptor and its
 * text, reference counting, and the submitter's side (waiting, executing).
 * The engine that runs them is qisock_at.c.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qisock_at.h"
#include "qisock_compat.h"

static void qat_cmd_release(struct kref *ref)
{
	kfree(container_of(ref, struct qat_cmd, ref));
}

void qisock_at_cmd_get(struct qat_cmd *cmd)
{
	kref_get(&cmd->ref);
}

void qisock_at_cmd_put(struct qat_cmd *cmd)
{
	if (cmd)
		kref_put(&cmd->ref, qat_cmd_release);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_cmd_put);

/*
 * The V.250 rule for an extended command: "AT+CGMM" -> "+CGMM:", and its
 * read form ("AT+QIACTEX?") claims the lines with that prefix. Generic
 * syntax only; what a particular command expects comes from its
 * descriptor.
 */
static void qat_cmd_v250_prefix(struct qat_cmd *cmd, unsigned int len)
{
	const char *l = cmd->line;
	unsigned int i, n = 0;

	if (len < 4 || (l[0] != 'A' && l[0] != 'a') ||
	    (l[1] != 'T' && l[1] != 't') || l[2] != '+')
		return;
	for (i = 2; i < len && n < sizeof(cmd->prefix) - 2; i++) {
		if (l[i] == '=' || l[i] == '?' || l[i] == ';')
			break;
		cmd->prefix[n++] = l[i];
	}
	cmd->prefix[n++] = ':';
	cmd->prefix[n] = '\0';
	cmd->claim_urc = l[len - 1] == '?';
}

#define QAT_DEFAULT_FINALS	(QP_BIT(QP_OK) | QP_BIT(QP_ERROR) |	\
				 QP_BIT(QP_CME_ERROR) | QP_BIT(QP_CMS_ERROR))

/* Expectations from @desc (NULL: a plain command with default finals). */
static void qat_cmd_apply_desc(struct qat_cmd *cmd,
			       const struct qisock_cmd_desc *desc,
			       unsigned int len)
{
	if (!desc || !desc->prefix)
		qat_cmd_v250_prefix(cmd, len);
	if (!desc)
		return;
	if (desc->prefix)
		strscpy(cmd->prefix, desc->prefix, sizeof(cmd->prefix));
	if (desc->claim_urc)
		cmd->claim_urc = true;
	cmd->claim_min_args = desc->claim_min_args;
	cmd->final_mask = (QAT_DEFAULT_FINALS | desc->finals) & ~desc->inter;
	cmd->inter_mask = desc->inter;
	cmd->late = desc->late;
	if (desc->timeout_ms)
		cmd->timeout_ms = desc->timeout_ms;
}

/**
 * qisock_at_check_line() - may @line be sent as (part of) a command line?
 * @line: the text.
 * @len: its length.
 *
 * Return: 0, or -EINVAL if it is empty, longer than QAT_CMD_MAX, or holds
 * CR, LF, another control byte or DEL (they would end or corrupt the line
 * and could smuggle a second command in).
 */
int qisock_at_check_line(const char *line, size_t len)
{
	size_t i;

	if (!len || len > QAT_CMD_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if ((u8)line[i] < 0x20 || line[i] == 0x7f)
			return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_check_line);

/**
 * qisock_at_quote() - copy a string argument for a command line, in quotes.
 * @dst: destination.
 * @size: its size.
 * @src: the argument (a host name, an APN, ...).
 *
 * Return: the length written (without the NUL), or -EINVAL if @src holds a
 * '"', a control byte or DEL, or does not fit.
 */
int qisock_at_quote(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src), i;

	if (n + 3 > size || n > QAT_CMD_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (src[i] == '"' || (u8)src[i] < 0x20 || src[i] == 0x7f)
			return -EINVAL;
	dst[0] = '"';
	memcpy(dst + 1, src, n);
	dst[n + 1] = '"';
	dst[n + 2] = '\0';
	return n + 2;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_quote);

/*
 * Return: the command, ERR_PTR(-E2BIG) for a line longer than QAT_CMD_MAX
 * (never truncated), -EINVAL for an empty one or one with bytes
 * qisock_at_check_line() refuses, or -ENOMEM.
 */
static __printf(5, 0)
struct qat_cmd *qat_cmd_vnew(const struct qisock_cmd_desc *desc,
			     unsigned int timeout_ms, size_t resp_size,
			     size_t data_len, const char *fmt, va_list ap)
{
	struct qat_cmd *cmd;
	va_list aq;
	size_t size;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n > QAT_CMD_MAX)
		return ERR_PTR(-E2BIG);
	if (n <= 0)
		return ERR_PTR(-EINVAL);
	if (resp_size > U16_MAX)
		resp_size = U16_MAX;

	size = size_add(struct_size(cmd, line, n + 2),
			size_add(resp_size, data_len));
	cmd = kzalloc(size, GFP_KERNEL);
	if (!cmd)
		return ERR_PTR(-ENOMEM);

	vsnprintf(cmd->line, n + 1, fmt, ap);
	if (qisock_at_check_line(cmd->line, n)) {
		kfree(cmd);
		return ERR_PTR(-EINVAL);
	}
	cmd->line[n] = '\r';
	cmd->line_len = n + 1;
	cmd->resp = cmd->line + n + 2;
	cmd->resp_size = resp_size;
	cmd->data = (u8 *)cmd->resp + resp_size;
	cmd->data_len = data_len;

	kref_init(&cmd->ref);
	INIT_LIST_HEAD(&cmd->node);
	init_completion(&cmd->done);
	cmd->timeout_ms = timeout_ms ? timeout_ms : QAT_TIMEOUT_MS;
	cmd->result = QP_INFO;
	cmd->cme = -1;
	cmd->phase = QAT_QUEUED;
	cmd->final_mask = QAT_DEFAULT_FINALS;
	cmd->qierr = qisock_at_qierr_wanted(cmd->line, n);
	qat_cmd_apply_desc(cmd, desc, n);
	return cmd;
}

/**
 * qisock_at_cmd_new() - allocate a command.
 * @timeout_ms: time-out, 0 for QAT_TIMEOUT_MS.
 * @resp_size: room for information lines (0: they are not kept).
 * @data_len: bytes to send after the '>' prompt; the caller fills
 *	cmd->data (0: no data phase).
 * @fmt: printf format of the command line, without the CR.
 *
 * Return: the command with one reference, or NULL (no memory, or a command
 * line qisock_at_check_line() refuses: empty, longer than QAT_CMD_MAX, holding
 * CR, LF, other control bytes or DEL).
 */
struct qat_cmd *qisock_at_cmd_new(unsigned int timeout_ms, size_t resp_size,
				  size_t data_len, const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(NULL, timeout_ms, resp_size, data_len, fmt, ap);
	va_end(ap);
	return IS_ERR(cmd) ? NULL : cmd;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_cmd_new);

/**
 * qisock_at_cmd_valloc() - qisock_at_cmd_alloc() with a va_list.
 * @desc: see qisock_at_cmd_alloc().
 * @resp_size: see qisock_at_cmd_alloc().
 * @data_len: see qisock_at_cmd_alloc().
 * @fmt: see qisock_at_cmd_alloc().
 * @ap: the arguments of @fmt.
 *
 * Return: see qisock_at_cmd_alloc().
 */
struct qat_cmd *qisock_at_cmd_valloc(const struct qisock_cmd_desc *desc,
				     size_t resp_size, size_t data_len,
			       const char *fmt, va_list ap)
{
	return qat_cmd_vnew(desc, 0, resp_size, data_len, fmt, ap);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_cmd_valloc);

/**
 * qisock_at_cmd_alloc() - allocate a command described by its dialect.
 * @desc: what it expects (final results, prefix, late lines, time-out),
 *	or NULL for a plain command.
 * @resp_size: room for information lines (0: they are not kept).
 * @data_len: bytes to send after the '>' prompt (0: no data phase).
 * @fmt: printf format of the command line, without the CR.
 *
 * Return: the command with one reference, ERR_PTR(-E2BIG) for a line
 * over QAT_CMD_MAX, -EINVAL for a line qisock_at_check_line() refuses, or
 * -ENOMEM. Nothing is ever truncated.
 */
struct qat_cmd *qisock_at_cmd_alloc(const struct qisock_cmd_desc *desc,
				    size_t resp_size, size_t data_len,
			      const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(desc, 0, resp_size, data_len, fmt, ap);
	va_end(ap);
	return cmd;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_cmd_alloc);

/**
 * qisock_at_wait() - wait for a submitted command (process context).
 * @cmd: the command.
 *
 * Return: the command's status, or -ERESTARTSYS if a fatal signal came
 * first (the command stays with the engine).
 */
int qisock_at_wait(struct qat_cmd *cmd)
{
	int ret = wait_for_completion_killable(&cmd->done);

	return ret ? ret : cmd->status;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_wait);

/**
 * qisock_at_wait_intr() - wait for a submitted command; a signal withdraws it.
 * @eng: the engine.
 * @cmd: the command.
 *
 * For system calls: a signal (Ctrl-C) that comes while the command is
 * still queued withdraws it, so nothing reaches the modem. Once it is on
 * the wire its answer is awaited (fatal signals only): it decides what the
 * modem did, and its time-out bounds the wait.
 *
 * Return: the command's status, or -ERESTARTSYS (withdrawn, or killed).
 */
int qisock_at_wait_intr(struct qat_engine *eng, struct qat_cmd *cmd)
{
	if (!wait_for_completion_interruptible(&cmd->done))
		return cmd->status;
	if (qisock_at_cancel(eng, cmd))
		return -ERESTARTSYS;
	return qisock_at_wait(cmd);
}

/**
 * qisock_at_exec_intr() - qisock_at_exec() for system calls (see qisock_at_wait_intr()).
 * @eng: the engine.
 * @cmd: the command; the caller keeps its reference.
 *
 * Return: see qisock_at_submit() and qisock_at_wait_intr().
 */
int qisock_at_exec_intr(struct qat_engine *eng, struct qat_cmd *cmd)
{
	int ret = qisock_at_submit(eng, cmd);

	return ret ? ret : qisock_at_wait_intr(eng, cmd);
}

/**
 * qisock_at_exec() - submit a command and wait for it (process context).
 * @eng: the engine.
 * @cmd: the command; the caller keeps its reference.
 *
 * Return: see qisock_at_submit() and qisock_at_wait().
 */
int qisock_at_exec(struct qat_engine *eng, struct qat_cmd *cmd)
{
	int ret = qisock_at_submit(eng, cmd);

	if (ret)
		return ret;
	ret = qisock_at_wait(cmd);
	if (ret == -ERESTARTSYS)
		qisock_at_cancel(eng, cmd);
	return ret;
}

/**
 * qisock_at_simple() - run one command whose answer is only a result code.
 * @eng: the engine.
 * @timeout_ms: time-out, 0 for the default.
 * @fmt: printf format of the command line.
 *
 * Return: see qisock_at_exec(), -ENOMEM, or -EINVAL (see qisock_at_check_line()).
 */
int qisock_at_simple(struct qat_engine *eng, unsigned int timeout_ms,
		     const char *fmt, ...)
{
	struct qat_cmd *cmd;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	cmd = qat_cmd_vnew(NULL, timeout_ms, 0, 0, fmt, ap);
	va_end(ap);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = qisock_at_exec(eng, cmd);
	qisock_at_cmd_put(cmd);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_at_simple);
