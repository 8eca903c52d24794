// SPDX-License-Identifier: GPL-2.0
/*
 * qisock probe: the conversation that finds out what is on the line
 * (in step, echo off, identification, dialect), pins the wire format the
 * driver parses and closes sockets an earlier owner left open in the
 * module. Runs on the device's probe work item; qisock_core.c owns the
 * device it reports to.
 */
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "qisock.h"
#include "qisock_compat.h"

/* NULs before the first ATs: 3 x 487 bytes end a 1460-byte data phase. */
#define QISOCK_PAD		485
#define QISOCK_PAD_TRIES	3
/* Marker round trips that prove the answers are ours, and the pause between. */
#define QISOCK_SYNC_TRIES	3
#define QISOCK_SYNC_QUIET_MS	200

static const struct qisock_probe_cfg qisock_probe_defaults = {
	.at_tries	= 5,	/* each unanswered one also costs a resync */
	.at_timeout_ms	= 500,
	.cmd_timeout_ms	= QAT_TIMEOUT_MS,
};

/**
 * qisock_probe_pin() - fix the wire format and close stale sockets.
 * @qd: the modem, just identified (probe work).
 * @d: its dialect.
 *
 * Return: 0, or a fatal errno (-ENODEV: detached).
 */
int qisock_probe_pin(struct qisock_dev *qd, const struct qisock_dialect *d)
{
	struct qat_cmd *cmd, *close;
	const char * const *c;
	const char *p;
	int ret;

	for (c = d->pin; c && *c; c++) {
		ret = qisock_at_simple(&qd->eng, qd->cfg.cmd_timeout_ms, "%s", *c);
		if (ret == -ENODEV || ret == -ERESTARTSYS)
			return ret;
		if (ret)
			dev_warn(&qd->dev, "%s failed: %d\n", *c, ret);
	}

	cmd = qisock_at_cmd_new(qd->cfg.cmd_timeout_ms, 2048, 0, "AT+QISTATE?");
	if (!cmd)
		return -ENOMEM;
	ret = qisock_at_exec(&qd->eng, cmd);
	if (ret) {
		qisock_at_cmd_put(cmd);
		return ret == -ENODEV ? ret : 0;
	}
	for (p = cmd->resp; p && (p = strstr(p, "+QISTATE:")); p++) {
		unsigned int id;

		if (sscanf(p, "+QISTATE: %u,", &id) != 1 || id >= d->sockets)
			continue;
		dev_info(&qd->dev, "closing socket %u left open in the module\n",
			 id);
		close = qisock_close_cmd(d, id);
		if (IS_ERR(close))
			break;
		ret = qisock_at_exec(&qd->eng, close);
		qisock_at_cmd_put(close);
		if (ret == -ENODEV)
			break;
	}
	qisock_at_cmd_put(cmd);
	return ret == -ENODEV ? ret : 0;
}

/* Identification rounds before a model is declared unsupported. */
#define QISOCK_IDENT_TRIES	3

/* Copy the printable ASCII of @src (@len bytes) into @dst. */
static void qisock_copy_printable(char *dst, size_t size, const char *src,
				  size_t len)
{
	size_t n = 0;

	while (len-- && n + 1 < size) {
		char c = *src++;

		if (c >= 0x20 && c < 0x7f)
			dst[n++] = c;
	}
	dst[n] = '\0';
}

/*
 * Next '\n'-terminated line of a command's response buffer, as a
 * NUL-terminated copy in @line. Returns false at the end.
 */
static bool qisock_next_line(const char **pos, char *line, size_t size)
{
	const char *p = *pos, *nl;

	if (!p || !*p)
		return false;
	nl = strchr(p, '\n');
	if (!nl)
		nl = p + strlen(p);
	qisock_copy_printable(line, size, p, nl - p);
	*pos = *nl ? nl + 1 : nl;
	return true;
}

static const char *qisock_skip_revision_tag(const char *s)
{
	static const char tag[] = "Revision:";

	if (!strncasecmp(s, tag, sizeof(tag) - 1))
		s += sizeof(tag) - 1;
	return skip_spaces(s);
}

/**
 * struct qisock_ident - what the identification commands told.
 * @dialect: the matched dialect, or NULL.
 * @canonical: the canonical model name when @dialect is set.
 * @raw: the model as answered (for messages and unknown models).
 * @revision: the firmware revision.
 */
struct qisock_ident {
	const struct qisock_dialect *dialect;
	const char *canonical;
	char raw[QISOCK_MODEL_MAX];
	char revision[QISOCK_REVISION_MAX];
};

/* Look for a known model among the lines of @resp. */
static void qisock_ident_model(struct qisock_ident *id, const char *resp,
			       bool first_is_raw)
{
	char line[QISOCK_REVISION_MAX];
	const char *pos = resp;

	while (!id->dialect && qisock_next_line(&pos, line, sizeof(line))) {
		id->dialect = qisock_dialect_match(line, &id->canonical);
		if (id->dialect || (first_is_raw && !id->raw[0]))
			qisock_strscpy(id->raw, line);
	}
}

static void qisock_ident_revision(struct qisock_ident *id, const char *resp,
				  bool need_tag)
{
	char line[QISOCK_REVISION_MAX + 16];
	const char *pos = resp;

	while (!id->revision[0] && qisock_next_line(&pos, line, sizeof(line))) {
		const char *rev = qisock_skip_revision_tag(line);

		if (need_tag && rev == skip_spaces(line))
			continue;
		qisock_strscpy(id->revision, rev);
	}
}

static int qisock_probe_query(struct qisock_dev *qd, const char *cmdline,
			      struct qat_cmd **out)
{
	struct qat_cmd *cmd;
	int ret;

	cmd = qisock_at_cmd_new(qd->cfg.cmd_timeout_ms, 512, 0, "%s", cmdline);
	if (!cmd)
		return -ENOMEM;
	ret = qisock_at_exec(&qd->eng, cmd);
	if (ret) {
		qisock_at_cmd_put(cmd);
		return ret;
	}
	*out = cmd;
	return 0;
}

/* Fatal for the probe: the device went away or we cannot go on at all. */
static bool qisock_probe_fatal(int ret)
{
	return ret == -ENODEV || ret == -ENOMEM || ret == -ERESTARTSYS;
}

/*
 * "AT" for the first tries of the probe. The module may still be in the
 * data phase of an AT+QISEND=<id>,<len> from before (the host went away
 * after the '>'); it then takes up to 1460 bytes as data. The first tries
 * are therefore led by NUL bytes, which a module in command mode ignores:
 * three of them complete any data phase (on a socket the reconciliation
 * closes), and the AT behind the last one is answered.
 */
static int qisock_probe_at(struct qisock_dev *qd, unsigned int try)
{
	struct qat_cmd *cmd;
	int ret;

	if (try >= QISOCK_PAD_TRIES)
		return qisock_at_simple(&qd->eng, qd->cfg.at_timeout_ms, "AT");
	cmd = qisock_at_cmd_new(qd->cfg.at_timeout_ms, 0, 0, "%*sAT", QISOCK_PAD,
				"");
	if (!cmd)
		return -ENOMEM;
	memset(cmd->line, 0, QISOCK_PAD);
	ret = qisock_at_exec(&qd->eng, cmd);
	qisock_at_cmd_put(cmd);
	return ret;
}

/*
 * A re-attach right after a detach can find an answer to the last owner's
 * command still on its way: a stale OK completes our AT and every later
 * answer lands one command late. AT+QIGETERROR (both dialects; it only
 * reads the last error) is answered with its own "+QIGETERROR:" line, so
 * an answer that has it proves the line is in step. One without it took a
 * stale final: a quiet pause lets the rest arrive with no command waiting
 * (dropped as stray), then ask again. A module that does not answer it is
 * not refused; the identification retries remain.
 */
static int qisock_probe_sync(struct qisock_dev *qd)
{
	struct qat_cmd *cmd;
	unsigned int i;
	bool ours;
	int ret;

	for (i = 0; i < QISOCK_SYNC_TRIES; i++) {
		ret = qisock_probe_query(qd, "AT+QIGETERROR", &cmd);
		if (qisock_probe_fatal(ret))
			return ret;
		if (!ret) {
			ours = strstr(cmd->resp, "+QIGETERROR:");
			qisock_at_cmd_put(cmd);
			if (ours)
				return 0;
		}
		msleep(QISOCK_SYNC_QUIET_MS);
	}
	dev_warn(&qd->dev, "AT+QIGETERROR: no answer of its own (%d)\n", ret);
	return 0;
}

/*
 * Ask ATI, AT+CGMM and AT+CGMR and pick the dialect. Returns 0, a fatal
 * error, or -EOPNOTSUPP when the answers name no known model.
 */
static int qisock_probe_ident(struct qisock_dev *qd, struct qisock_ident *id)
{
	struct qat_cmd *ati = NULL, *cgmm = NULL, *cgmr = NULL;
	int ret;

	memset(id, 0, sizeof(*id));
	ret = qisock_probe_query(qd, "ATI", &ati);
	if (qisock_probe_fatal(ret))
		goto out;
	ret = qisock_probe_query(qd, "AT+CGMM", &cgmm);
	if (qisock_probe_fatal(ret))
		goto out;
	ret = qisock_probe_query(qd, "AT+CGMR", &cgmr);
	if (qisock_probe_fatal(ret))
		goto out;

	/*
	 * AT+CGMM is the model; ATI ("Quectel", model, "Revision: x") backs
	 * it up. AT+CGMR is the revision, else ATI's "Revision:" line.
	 */
	if (cgmm)
		qisock_ident_model(id, cgmm->resp, true);
	if (ati && !id->dialect)
		qisock_ident_model(id, ati->resp, false);
	if (cgmr)
		qisock_ident_revision(id, cgmr->resp, false);
	if (ati && !id->revision[0])
		qisock_ident_revision(id, ati->resp, true);

	if (!id->dialect) {
		if (!cgmm && !ati)
			dev_err(&qd->dev, "identification failed (ATI, AT+CGMM): %d\n",
				ret);
		else
			dev_err(&qd->dev, "unsupported module model '%s' (supported: EC200U, EG915U, BC66, BC66-NA)\n",
				id->raw[0] ? id->raw : "?");
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = 0;
out:
	qisock_at_cmd_put(ati);
	qisock_at_cmd_put(cgmm);
	qisock_at_cmd_put(cgmr);
	return ret;
}

static int qisock_probe(struct qisock_dev *qd, struct qisock_ident *id)
{
	struct qat_engine *eng = &qd->eng;
	unsigned int i;
	int ret = -ETIMEDOUT;

	/*
	 * The module may still be booting (RDY comes later), may echo our
	 * commands, may have garbage in flight: the parser drops garbage and
	 * echo, the engine ignores unsolicited RDY, and we simply retry.
	 */
	for (i = 0; i < qd->cfg.at_tries; i++) {
		ret = qisock_probe_at(qd, i);
		if (!ret || qisock_probe_fatal(ret))
			break;
	}
	if (ret) {
		if (!qisock_probe_fatal(ret))
			dev_err(&qd->dev, "%s: no answer to AT after %u tries\n",
				qd->tty_name, i);
		return ret;
	}
	ret = qisock_probe_sync(qd);
	if (ret)
		return ret;

	ret = qisock_at_simple(eng, qd->cfg.cmd_timeout_ms, "ATE0");
	if (ret) {
		if (!qisock_probe_fatal(ret))
			dev_err(&qd->dev, "ATE0 failed: %d\n", ret);
		return ret;
	}
	ret = qisock_at_simple(eng, qd->cfg.cmd_timeout_ms, "AT+CMEE=1");
	if (qisock_probe_fatal(ret))
		return ret;
	if (ret)
		dev_warn(&qd->dev, "AT+CMEE=1 failed: %d\n", ret);

	/*
	 * A late answer from before a resync can still shift the replies of
	 * the identification commands by one; a second round, after a fresh
	 * AT round trip, settles that. A module that really is unknown fails
	 * every round.
	 */
	for (i = 0; i < QISOCK_IDENT_TRIES; i++) {
		ret = qisock_probe_ident(qd, id);
		if (ret != -EOPNOTSUPP || i + 1 == QISOCK_IDENT_TRIES)
			break;
		ret = qisock_probe_at(qd, 0);
		if (qisock_probe_fatal(ret))
			return ret;
	}
	if (ret)
		return ret;
	qisock_at_set_dialect(eng, id->dialect->lines);
	qisock_at_set_push_by_id(eng, id->dialect->show_length);
	qisock_at_set_wake(eng, id->dialect->sleep_idle_ms,
			   id->dialect->wake_pin);
	/* fix the wire format, close what the module still holds */
	ret = qisock_probe_pin(qd, id->dialect);
	if (ret && !qisock_probe_fatal(ret))
		ret = 0;
	/* after a restart: the options written through qicfg/ again */
	if (!ret)
		ret = qisock_qicfg_restore(qd, id->dialect);
	return ret;
}

static void qisock_probe_work(struct work_struct *work)
{
	struct qisock_dev *qd = container_of(work, struct qisock_dev,
					     probe_work);
	struct qisock_ident id = { };
	bool changed = false;
	int ret;

	ret = qisock_probe(qd, &id);
	/* ctx<N>/ exist before "ready" is seen (the first time only) */
	if (!ret && qisock_ctxs_create(qd, id.dialect))
		dev_err(&qd->dev, "cannot create the context directories\n");
	if (!ret && qisock_qicfg_create(qd, id.dialect))
		dev_err(&qd->dev, "cannot create the qicfg directory\n");
	/*
	 * After a restart: the contexts' configuration is back before
	 * "ready", so nobody activates one with the module's defaults.
	 */
	if (!ret)
		qisock_ctxs_restore(qd);

	spin_lock(&qd->lock);
	if (qd->state != QISOCK_GONE) {
		qd->state = ret ? QISOCK_FAILED : QISOCK_READY;
		qd->dialect = ret ? NULL : id.dialect;
		if (id.dialect)
			qisock_strscpy(qd->model, id.canonical);
		else
			qisock_strscpy(qd->model, id.raw);
		qisock_strscpy(qd->revision, id.revision);
		changed = true;
	}
	spin_unlock(&qd->lock);

	if (changed) {
		if (!ret) {
			dev_info(&qd->dev, "%s %s on %s, dialect %s\n",
				 id.canonical, id.revision, qd->tty_name,
				 id.dialect->name);
			ret = qisock_socks_create(qd);
			if (ret)
				dev_err(&qd->dev, "cannot create sockets: %d\n",
					ret);
		}
		qisock_dev_state_changed(qd);
		qisock_recover_event(qd, ret ? QISOCK_RCV_EV_PROBE_FAILED :
					       QISOCK_RCV_EV_PROBED);
	}
	complete_all(&qd->probe_done);
}

/**
 * qisock_probe_init() - set up the probe of a new device.
 * @qd: the device, being created.
 */
void qisock_probe_init(struct qisock_dev *qd)
{
	qd->cfg = qisock_probe_defaults;
	INIT_WORK(&qd->probe_work, qisock_probe_work);
	init_completion(&qd->probe_done);
}
