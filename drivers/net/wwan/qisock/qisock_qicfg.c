// SPDX-License-Identifier: GPL-2.0
/*
 * qisock AT+QICFG options in sysfs: /sys/class/qisock/qisock<M>/qicfg/,
 * one file per option of the dialect's table (qisock_dialect.c), named
 * after the option with '/' turned into '_' ("tcp/keepalive" ->
 * tcp_keepalive).
 *
 * A read asks the module (AT+QICFG="<name>") and shows its values on one
 * line, separated by blanks, in the note's order. An option with keys
 * (pdp/retry: <pdpmode>,<ratmode>) is asked once per key combination and
 * shows one line each, keys first. A write needs CAP_NET_ADMIN and takes
 * the same form (keys first); every value is checked against the note's
 * ranges before anything is sent (EINVAL: nothing reaches the module),
 * then AT+QICFG="<name>",<values> is sent.
 *
 * The options the probe pins (the dialect's pin list) are mode 0444: the
 * driver parses what they select. They show the module's answer, or the
 * pinned value when the module answers OK without a line (seed 000's
 * "[+QICFG: "recvind",<show_length>]").
 *
 * The EC200U forgets every option when it restarts. What was written is
 * kept, as the module reported it after the write, and sent again by the
 * probe after pinning (qisock_qicfg_restore()), before "ready". Two more
 * read-only files say where the module keeps them, as lists of file
 * names: "nvram" (saved by the module itself: BC66 dataformat, viewmode,
 * showlength) and "lost_in_sleep" (reset by a deep-sleep wake-up: BC66
 * echomode, which the driver sets again, see qisock_at_wake.c).
 */
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "qisock.h"
#include "qisock_compat.h"

/* Longest value a write may give: "1 1800 100 10\n" and some blanks. */
#define QISOCK_QICFG_IN_MAX	64
/* Largest value accepted in the module's answer (none of the note's is). */
#define QISOCK_QICFG_READ_MAX	65535
/* Longest file name ("tcp_retranscfg"). */
#define QISOCK_QICFG_NAME_MAX	24

/**
 * struct qisock_qicfg_attr - one file of qicfg/.
 * @da: the attribute; its name is @name.
 * @opt: the option it shows.
 * @name: the file name.
 */
struct qisock_qicfg_attr {
	struct device_attribute da;
	const struct qisock_qicfg_opt *opt;
	char name[QISOCK_QICFG_NAME_MAX];
};

/**
 * struct qisock_qicfg_saved - one setting written through sysfs.
 * @node: in &qisock_qicfg.saved, in the order written.
 * @opt: the option.
 * @v: its values as the module reported them after the write (keys
 *	first), or as written if it could not be asked.
 * @n: their number.
 */
struct qisock_qicfg_saved {
	struct list_head node;
	const struct qisock_qicfg_opt *opt;
	u32 v[QISOCK_QICFG_VALS];
	u8 n;
};

/**
 * struct qisock_qicfg - the qicfg/ group of one modem.
 * @d: the dialect its files were made for (the first probe's).
 * @lock: serialises writes and the restore; protects @saved.
 * @saved: &struct qisock_qicfg_saved, one per option and key combination.
 * @group: the attribute group "qicfg".
 * @attrs: its NULL-terminated attributes, pointing into @qa.
 * @qa: one per option of @d.
 *
 * Made once, by the probe work after the first identification
 * (qisock_qicfg_create(), qd->qicfg set before the files appear), and
 * freed at detach after the files went (qisock_qicfg_remove(), which
 * waits for readers and writers in them). The restore runs on the probe
 * work, which detach stops before.
 */
struct qisock_qicfg {
	const struct qisock_dialect *d;
	struct mutex lock;		/* writes, restore, saved */
	struct list_head saved;
	struct attribute_group group;
	struct attribute **attrs;
	struct qisock_qicfg_attr qa[];
};

#define to_qd(d) container_of(d, struct qisock_dev, dev)
#define to_qa(a) container_of(a, struct qisock_qicfg_attr, da)

/* The file names of the dialect's options kept as @keep says, one line. */
static ssize_t qisock_qicfg_keep_show(struct device *dev, char *buf, u8 keep)
{
	const struct qisock_qicfg *q = to_qd(dev)->qicfg;
	char name[QISOCK_QICFG_NAME_MAX];
	unsigned int i;
	int n = 0;

	for (i = 0; q && i < q->d->nqicfg; i++) {
		if (q->d->qicfg[i].keep != keep)
			continue;
		qisock_qicfg_file_name(q->d->qicfg[i].name, name, sizeof(name));
		n += sysfs_emit_at(buf, n, "%s%s", n ? " " : "", name);
	}
	return n + sysfs_emit_at(buf, n, "\n");
}

static ssize_t nvram_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return qisock_qicfg_keep_show(dev, buf, QISOCK_QICFG_NVRAM);
}
static DEVICE_ATTR_RO(nvram);

static ssize_t lost_in_sleep_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return qisock_qicfg_keep_show(dev, buf, QISOCK_QICFG_UNTIL_SLEEP);
}
static DEVICE_ATTR_RO(lost_in_sleep);

/**
 * qisock_qicfg_file_name() - the sysfs name of option @name.
 * @name: "tcp/keepalive".
 * @out: gets "tcp_keepalive".
 * @size: size of @out.
 */
void qisock_qicfg_file_name(const char *name, char *out, size_t size)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size; i++)
		out[i] = name[i] == '/' ? '_' : name[i];
	out[i] = '\0';
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_file_name);

/**
 * qisock_qicfg_find() - the option of dialect @d behind sysfs file @file.
 * @d: the dialect.
 * @file: "tcp_keepalive".
 *
 * Return: the option, or NULL.
 */
const struct qisock_qicfg_opt *qisock_qicfg_find(const struct qisock_dialect *d,
						 const char *file)
{
	char name[QISOCK_QICFG_NAME_MAX];
	unsigned int i;

	for (i = 0; i < d->nqicfg; i++) {
		qisock_qicfg_file_name(d->qicfg[i].name, name, sizeof(name));
		if (!strcmp(name, file))
			return &d->qicfg[i];
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_find);

/**
 * qisock_qicfg_pinned() - does the probe pin option @o, and to what?
 * @d: the dialect.
 * @o: one of its options.
 *
 * Return: the values of the pin command ("0,0" of
 * AT+QICFG="dataformat",0,0), or NULL if @o is not pinned.
 */
const char *qisock_qicfg_pinned(const struct qisock_dialect *d,
				const struct qisock_qicfg_opt *o)
{
	static const char cmd[] = "AT+QICFG=\"";
	const char * const *c;
	size_t n = strlen(o->name);

	for (c = d->pin; c && *c; c++) {
		const char *p = *c;

		if (strncmp(p, cmd, sizeof(cmd) - 1))
			continue;
		p += sizeof(cmd) - 1;
		if (!strncmp(p, o->name, n) && p[n] == '"' && p[n + 1] == ',')
			return p + n + 2;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_pinned);

/* Are @n values @v (keys first) a write the note allows for @o? */
static bool qisock_qicfg_valid(const struct qisock_qicfg_opt *o, const u32 *v,
			       unsigned int n)
{
	unsigned int i;

	if (n > o->nvals || !(o->counts & QISOCK_QICFG_N(n)))
		return false;
	for (i = 0; i < n; i++)
		if (v[i] < o->v[i].min || v[i] > o->v[i].max)
			return false;
	return !o->check || o->check(v, n);
}

/**
 * qisock_qicfg_parse() - the values a user writes to option @o.
 * @o: the option.
 * @buf: what was written: decimal numbers separated by blanks, keys
 *	first, one trailing newline allowed.
 * @count: its length.
 * @v: gets the values (QISOCK_QICFG_VALS).
 *
 * Anything else (signs, quotes, commas, CR, control bytes, non-ASCII,
 * more than QISOCK_QICFG_IN_MAX bytes), a number of values the note does
 * not allow, or a value out of its range is refused.
 *
 * Return: the number of values, or -EINVAL.
 */
int qisock_qicfg_parse(const struct qisock_qicfg_opt *o, const char *buf,
		       size_t count, u32 *v)
{
	size_t len = count && buf[count - 1] == '\n' ? count - 1 : count;
	unsigned int n = 0, digits;
	size_t i = 0;
	u32 val;

	if (!len || len > QISOCK_QICFG_IN_MAX)
		return -EINVAL;
	while (i < len) {
		if (buf[i] == ' ') {
			i++;
			continue;
		}
		if (n == QISOCK_QICFG_VALS)
			return -EINVAL;
		for (val = 0, digits = 0; i < len && buf[i] >= '0' &&
		     buf[i] <= '9'; i++, digits++)
			val = val * 10 + (buf[i] - '0');
		/* 9 digits never overflow a u32; no range goes near */
		if (!digits || digits > 9 || (i < len && buf[i] != ' '))
			return -EINVAL;
		v[n++] = val;
	}
	return qisock_qicfg_valid(o, v, n) ? n : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_parse);

/* Is argument @a the name of @o (or its other spelling)? */
static bool qisock_qicfg_is_name(const struct qisock_qicfg_opt *o,
				 const struct qp_arg *a)
{
	return a->quoted && (qisock_parse_arg_is(a, o->name) ||
			     (o->alias && qisock_parse_arg_is(a, o->alias)));
}

/**
 * qisock_qicfg_parse_answer() - the values in the module's answer.
 * @o: the option asked for.
 * @resp: the command's information lines.
 * @keys: the keys asked for (@o->nkeys of them).
 * @v: gets all @o->nvals values, keys first.
 *
 * The answer must be exactly one line +QICFG: "<name>",<values> with
 * the note's number of values, each a decimal number from 0 to
 * QISOCK_QICFG_READ_MAX, and the keys asked for.
 *
 * Return: 0; -ENODATA if there is no +QICFG: line; -EPROTO for anything
 * malformed.
 */
int qisock_qicfg_parse_answer(const struct qisock_qicfg_opt *o,
			      const char *resp, const u32 *keys, u32 *v)
{
	static const char pfx[] = "+QICFG:";
	struct qp_arg a[QISOCK_QICFG_VALS + 2];
	const char *p = strstr(resp, pfx), *end;
	int n, i;

	if (!p)
		return -ENODATA;
	p += sizeof(pfx) - 1;
	end = strchrnul(p, '\n');
	if (strstr(end, pfx))
		return -EPROTO;		/* a second answer line */
	n = qisock_parse_split_args(p, end - p, a, ARRAY_SIZE(a));
	if (n != 1 + o->nvals || !qisock_qicfg_is_name(o, &a[0]))
		return -EPROTO;
	for (i = 0; i < o->nvals; i++) {
		const struct qp_arg *x = &a[i + 1];

		if (!x->is_int || x->v < 0 || x->v > QISOCK_QICFG_READ_MAX ||
		    (i < o->nkeys && x->v != keys[i]))
			return -EPROTO;
		v[i] = x->v;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_parse_answer);

/* ",v0,v1..." of @n values into @out. */
static void qisock_qicfg_args(char *out, size_t size, const u32 *v,
			      unsigned int n)
{
	size_t used = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		used += scnprintf(out + used, size - used, ",%u", v[i]);
}

/*
 * AT+QICFG="<name>"<args>, with the other spelling if the module refuses
 * the first (ERROR; not a time-out, a signal or a detach). @resp_size:
 * room for the answer (0 for a write).
 */
static struct qat_cmd *qisock_qicfg_exec(struct qisock_dev *qd,
					 const struct qisock_qicfg_opt *o,
					 const char *args, size_t resp_size,
					 int *ret)
{
	const char *name = o->name;
	struct qat_cmd *cmd;

	for (;;) {
		cmd = qisock_at_cmd_new(0, resp_size, 0, "AT+QICFG=\"%s\"%s",
					name, args);
		*ret = qisock_cmd_exec(qd, cmd);
		if (!*ret && cmd->resp_trunc)
			*ret = -EPROTO;
		if (!*ret || !o->alias || name == o->alias ||
		    *ret == -ERESTARTSYS || *ret == -ETIMEDOUT ||
		    qisock_dev_state(qd) == QISOCK_GONE)
			break;
		qisock_at_cmd_put(cmd);
		name = o->alias;
	}
	if (*ret) {
		qisock_at_cmd_put(cmd);
		return NULL;
	}
	return cmd;
}

/*
 * Ask the module for option @o with keys @keys: all its values into @v.
 * Return: 0, -ENODATA (answered without a line), or an errno.
 */
static int qisock_qicfg_query(struct qisock_dev *qd,
			      const struct qisock_qicfg_opt *o, const u32 *keys,
			      u32 *v)
{
	char args[QISOCK_QICFG_VALS * 12];
	struct qat_cmd *cmd;
	int ret;

	qisock_qicfg_args(args, sizeof(args), keys, o->nkeys);
	cmd = qisock_qicfg_exec(qd, o, args, 256, &ret);
	if (!cmd)
		return ret;
	ret = qisock_qicfg_parse_answer(o, cmd->resp, keys, v);
	qisock_at_cmd_put(cmd);
	return ret;
}

/* Write @n values @v (validated) of @o to the module. */
static int qisock_qicfg_send(struct qisock_dev *qd,
			     const struct qisock_qicfg_opt *o, const u32 *v,
			     unsigned int n)
{
	char args[QISOCK_QICFG_VALS * 12];
	struct qat_cmd *cmd;
	int ret;

	qisock_qicfg_args(args, sizeof(args), v, n);
	cmd = qisock_qicfg_exec(qd, o, args, 0, &ret);
	qisock_at_cmd_put(cmd);
	return ret;
}

/* The modem must be ready, with the dialect the files were made for. */
static int qisock_qicfg_usable(struct qisock_dev *qd, struct qisock_qicfg *q)
{
	int ret = 0;

	spin_lock(&qd->lock);
	if (qd->state == QISOCK_GONE)
		ret = -EIO;
	else if (qd->state != QISOCK_READY)
		ret = -EAGAIN;		/* probing: try again when ready */
	else if (qd->dialect != q->d)
		ret = -EOPNOTSUPP;	/* another module answers now */
	spin_unlock(&qd->lock);
	return ret;
}

/* One line of values into @buf at @at. Return: the new length. */
static int qisock_qicfg_emit(char *buf, int at, const u32 *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		at += sysfs_emit_at(buf, at, "%s%u", i ? " " : "", v[i]);
	return at + sysfs_emit_at(buf, at, "\n");
}

/* The pinned value "0,0" as the line "0 0". */
static int qisock_qicfg_emit_pinned(char *buf, const char *pin)
{
	int at = 0;

	for (; *pin; pin++)
		at += sysfs_emit_at(buf, at, "%c", *pin == ',' ? ' ' : *pin);
	return at + sysfs_emit_at(buf, at, "\n");
}

/* Next key combination of @o after @keys; false after the last. */
static bool qisock_qicfg_next_keys(const struct qisock_qicfg_opt *o, u32 *keys)
{
	int i;

	for (i = o->nkeys - 1; i >= 0; i--) {
		if (keys[i] < o->v[i].max) {
			keys[i]++;
			return true;
		}
		keys[i] = o->v[i].min;
	}
	return false;
}

/**
 * qisock_qicfg_show() - read option @o from the module, as sysfs shows it.
 * @qd: the modem.
 * @o: the option, of the dialect the modem's qicfg/ was made for.
 * @buf: the sysfs page.
 *
 * Return: the length shown, or an errno.
 */
ssize_t qisock_qicfg_show(struct qisock_dev *qd,
			  const struct qisock_qicfg_opt *o, char *buf)
{
	struct qisock_qicfg *q = qd->qicfg;
	u32 keys[QISOCK_QICFG_VALS], v[QISOCK_QICFG_VALS];
	const char *pin = qisock_qicfg_pinned(q->d, o);
	int i, ret, at = 0;

	ret = qisock_qicfg_usable(qd, q);
	if (ret)
		return ret;
	for (i = 0; i < o->nkeys; i++)
		keys[i] = o->v[i].min;
	do {
		ret = qisock_qicfg_query(qd, o, keys, v);
		if (ret == -ENODATA && pin && !o->nkeys)
			return qisock_qicfg_emit_pinned(buf, pin);
		if (ret == -ENODATA)
			ret = -EPROTO;
		if (ret)
			return ret;
		at = qisock_qicfg_emit(buf, at, v, o->nvals);
	} while (qisock_qicfg_next_keys(o, keys));
	return at;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_show);

/* Remember @n values @v of @o (q->lock held); replaces the same keys'. */
static void qisock_qicfg_save(struct qisock_qicfg *q,
			      const struct qisock_qicfg_opt *o, const u32 *v,
			      unsigned int n)
{
	struct qisock_qicfg_saved *s;

	list_for_each_entry(s, &q->saved, node) {
		if (s->opt == o && !memcmp(s->v, v, o->nkeys * sizeof(*v))) {
			list_del(&s->node);	/* to the end: written last */
			goto set;
		}
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return;		/* only the restore after a reboot misses it */
	s->opt = o;
set:
	memcpy(s->v, v, n * sizeof(*v));
	s->n = n;
	list_add_tail(&s->node, &q->saved);
}

/**
 * qisock_qicfg_store() - write option @o, as sysfs does.
 * @qd: the modem.
 * @o: the option, of the dialect the modem's qicfg/ was made for.
 * @buf: what the user wrote.
 * @count: its length.
 *
 * Return: @count, or an errno: -EPERM (no CAP_NET_ADMIN, or a pinned
 * option), -EINVAL (refused, nothing sent), or the command's.
 */
ssize_t qisock_qicfg_store(struct qisock_dev *qd,
			   const struct qisock_qicfg_opt *o, const char *buf,
			   size_t count)
{
	struct qisock_qicfg *q = qd->qicfg;
	u32 v[QISOCK_QICFG_VALS], now[QISOCK_QICFG_VALS];
	int n, ret;

	if (!capable(CAP_NET_ADMIN) || qisock_qicfg_pinned(q->d, o))
		return -EPERM;
	n = qisock_qicfg_parse(o, buf, count, v);
	if (n < 0)
		return n;
	ret = qisock_qicfg_usable(qd, q);
	if (ret)
		return ret;
	if (mutex_lock_interruptible(&q->lock))
		return -ERESTARTSYS;
	ret = qisock_qicfg_send(qd, o, v, n);
	if (!ret) {
		/* keep the whole setting: a partial write kept the rest */
		if (!qisock_qicfg_query(qd, o, v, now))
			qisock_qicfg_save(q, o, now, o->nvals);
		else
			qisock_qicfg_save(q, o, v, n);
	}
	mutex_unlock(&q->lock);
	return ret ? ret : count;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_qicfg_store);

/**
 * qisock_qicfg_restore() - send again what was written (after a restart).
 * @qd: the modem, identified again and pinned (probe work).
 * @d: the dialect the probe found.
 *
 * Return: 0, or -ENODEV once the modem is detached.
 */
int qisock_qicfg_restore(struct qisock_dev *qd, const struct qisock_dialect *d)
{
	struct qisock_qicfg *q = qd->qicfg;
	struct qisock_qicfg_saved *s;
	int ret = 0;

	if (!q || q->d != d)
		return 0;
	mutex_lock(&q->lock);
	list_for_each_entry(s, &q->saved, node) {
		ret = qisock_qicfg_send(qd, s->opt, s->v, s->n);
		if (qisock_dev_state(qd) == QISOCK_GONE) {
			ret = -ENODEV;
			break;
		}
		if (ret)
			dev_warn(&qd->dev, "restoring qicfg %s failed: %d\n",
				 s->opt->name, ret);
		ret = 0;
	}
	mutex_unlock(&q->lock);
	return ret;
}

static ssize_t qisock_qicfg_attr_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return qisock_qicfg_show(to_qd(dev), to_qa(attr)->opt, buf);
}

static ssize_t qisock_qicfg_attr_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t count)
{
	return qisock_qicfg_store(to_qd(dev), to_qa(attr)->opt, buf, count);
}

static void qisock_qicfg_free(struct qisock_qicfg *q)
{
	struct qisock_qicfg_saved *s, *tmp;

	list_for_each_entry_safe(s, tmp, &q->saved, node)
		kfree(s);
	mutex_destroy(&q->lock);
	kfree(q->attrs);
	kfree(q);
}

/**
 * qisock_qicfg_create() - the qicfg/ files of an identified modem.
 * @qd: the modem, added (probe work). Once: later probes keep them.
 * @d: the dialect the probe found.
 *
 * Return: 0 or an errno.
 */
int qisock_qicfg_create(struct qisock_dev *qd, const struct qisock_dialect *d)
{
	struct qisock_qicfg *q;
	unsigned int i;
	int ret;

	if (qd->qicfg || !d || !d->nqicfg || !qd->added)
		return 0;
	q = kzalloc(struct_size(q, qa, d->nqicfg), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	/* the options, nvram, lost_in_sleep and the NULL */
	q->attrs = kcalloc(d->nqicfg + 3, sizeof(*q->attrs), GFP_KERNEL);
	if (!q->attrs) {
		kfree(q);
		return -ENOMEM;
	}
	q->d = d;
	mutex_init(&q->lock);
	INIT_LIST_HEAD(&q->saved);
	for (i = 0; i < d->nqicfg; i++) {
		struct qisock_qicfg_attr *qa = &q->qa[i];
		bool ro = qisock_qicfg_pinned(d, &d->qicfg[i]);

		qa->opt = &d->qicfg[i];
		qisock_qicfg_file_name(qa->opt->name, qa->name, sizeof(qa->name));
		sysfs_attr_init(&qa->da.attr);
		qa->da.attr.name = qa->name;
		qa->da.attr.mode = ro ? 0444 : 0644;
		qa->da.show = qisock_qicfg_attr_show;
		qa->da.store = ro ? NULL : qisock_qicfg_attr_store;
		q->attrs[i] = &qa->da.attr;
	}
	q->attrs[i++] = &dev_attr_nvram.attr;
	q->attrs[i] = &dev_attr_lost_in_sleep.attr;
	q->group.name = "qicfg";
	q->group.attrs = q->attrs;
	qd->qicfg = q;		/* before a file can be opened */
	ret = sysfs_create_group(&qd->dev.kobj, &q->group);
	if (ret) {
		qd->qicfg = NULL;
		qisock_qicfg_free(q);
	}
	return ret;
}

/**
 * qisock_qicfg_remove() - detach: the qicfg/ files go.
 * @qd: the modem, hung up (its probe work stopped, commands fail).
 *
 * Removing the group waits for the reads and writes in progress.
 */
void qisock_qicfg_remove(struct qisock_dev *qd)
{
	struct qisock_qicfg *q = qd->qicfg;

	if (!q)
		return;
	sysfs_remove_group(&qd->dev.kobj, &q->group);
	qd->qicfg = NULL;
	qisock_qicfg_free(q);
}
