// SPDX-License-Identifier: GPL-2.0
/*
 * qisock PDP contexts: the configuration files of ctx<N>/ (type, apn,
 * username, password, auth). EC200U: AT+QICSGP, read back from the module,
 * written whole (the module's current configuration with the written
 * field changed); the password is never shown, logged or traced. A context
 * that follows registration (BC66): AT+CGDCONT (qisock_ctx_reg.c).
 *
 * Writes need CAP_NET_ADMIN and are validated before anything is sent
 * (EINVAL, nothing reaches the module).
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "qisock.h"
#include "qisock_ctx.h"

#define to_ctx(k) container_of(k, struct qisock_ctx, kobj)

static const char * const qisock_ctx_types[] = {
	[1] = "ipv4", [2] = "ipv6", [3] = "ipv4v6",
};

static const char * const qisock_ctx_auths[] = {
	[0] = "none", [1] = "pap", [2] = "chap",
};

/* Copy a quoted argument into @dst; false if it does not fit. */
static bool qisock_ctx_arg_str(char *dst, size_t size, const struct qp_arg *a)
{
	if (a->len >= size)
		return false;
	memcpy(dst, a->s, a->len);
	dst[a->len] = '\0';
	return true;
}

/*
 * Parse "+QICSGP: type,"apn","user","pass",auth" from @resp. The line
 * holds the password: it stays in this function's caller.
 */
static int qisock_ctx_parse_cfg(const char *resp, struct qisock_ctx_cfg *cfg)
{
	static const char pfx[] = "+QICSGP:";
	const char *p = strstr(resp, pfx), *end;
	struct qp_arg a[5];

	if (!p)
		return -EPROTO;
	p += sizeof(pfx) - 1;
	end = strchrnul(p, '\n');
	if (qisock_parse_split_args(p, end - p, a, ARRAY_SIZE(a)) != 5 ||
	    !a[0].is_int || !a[4].is_int || a[0].v < 1 || a[0].v > 3 ||
	    a[4].v < 0 || a[4].v > 2 ||
	    !qisock_ctx_arg_str(cfg->apn, sizeof(cfg->apn), &a[1]) ||
	    !qisock_ctx_arg_str(cfg->user, sizeof(cfg->user), &a[2]) ||
	    !qisock_ctx_arg_str(cfg->pass, sizeof(cfg->pass), &a[3]))
		return -EPROTO;
	cfg->type = a[0].v;
	cfg->auth = a[4].v;
	return 0;
}

/* AT+QICSGP=<N>: the context's configuration, from the module. */
static int qisock_ctx_read_cfg(struct qisock_ctx *c, struct qisock_ctx_cfg *cfg)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 512, 0, "AT+QICSGP=%u", c->id);
	int ret;

	if (cmd)
		cmd->secret = true;	/* the answer holds the password */
	ret = qisock_cmd_exec(c->qd, cmd);
	if (!ret)
		ret = qisock_ctx_parse_cfg(cmd->resp, cfg);
	if (cmd)
		memzero_explicit(cmd->resp, cmd->resp_size);
	qisock_at_cmd_put(cmd);
	return ret;
}

/* AT+QICSGP=<N>,... with the whole of @cfg. */
int qisock_ctx_write_cfg(struct qisock_ctx *c, const struct qisock_ctx_cfg *cfg)
{
	struct qat_cmd *cmd;
	int ret;

	cmd = qisock_at_cmd_new(0, 0, 0, "AT+QICSGP=%u,%u,\"%s\",\"%s\",\"%s\",%u",
				c->id, cfg->type, cfg->apn, cfg->user, cfg->pass,
			  cfg->auth);
	if (cmd)
		cmd->secret = true;
	ret = qisock_cmd_exec(c->qd, cmd);
	if (cmd)
		memzero_explicit(cmd->line, cmd->line_len);
	qisock_at_cmd_put(cmd);
	return ret;
}

/*
 * May @s (@len bytes, a trailing newline already cut) go into a quoted
 * AT string? Printable ASCII only; no quote or backslash, which the
 * module's syntax cannot carry. @max bytes at most.
 */
static bool qisock_ctx_str_valid(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len > max)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

/* The value written to an attribute, without one trailing newline. */
static size_t qisock_ctx_value_len(const char *buf, size_t count)
{
	return count && buf[count - 1] == '\n' ? count - 1 : count;
}

/* Index of @buf (@len bytes) in @names[lo..hi], or -EINVAL. */
static int qisock_ctx_pick(const char * const *names, int lo, int hi,
			   const char *buf, size_t len)
{
	int i;

	for (i = lo; i <= hi; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], buf, len))
			return i;
	return -EINVAL;
}

enum qisock_ctx_field {
	QISOCK_CTX_TYPE,
	QISOCK_CTX_APN,
	QISOCK_CTX_USER,
	QISOCK_CTX_PASS,
	QISOCK_CTX_AUTH,
};

/* Put the written value into @cfg, validated. */
static int qisock_ctx_apply(struct qisock_ctx_cfg *cfg,
			    enum qisock_ctx_field field, const char *buf,
			    size_t len)
{
	char *dst;
	size_t max = QISOCK_CTX_STR_MAX;
	int v;

	switch (field) {
	case QISOCK_CTX_TYPE:
		v = qisock_ctx_pick(qisock_ctx_types, 1, 3, buf, len);
		if (v < 0)
			return v;
		cfg->type = v;
		return 0;
	case QISOCK_CTX_AUTH:
		v = qisock_ctx_pick(qisock_ctx_auths, 0, 2, buf, len);
		if (v < 0)
			return v;
		cfg->auth = v;
		return 0;
	case QISOCK_CTX_APN:
		dst = cfg->apn;
		max = QISOCK_CTX_APN_MAX;
		break;
	case QISOCK_CTX_USER:
		dst = cfg->user;
		break;
	default:
		dst = cfg->pass;
		break;
	}
	if (!qisock_ctx_str_valid(buf, len, max))
		return -EINVAL;
	memcpy(dst, buf, len);
	dst[len] = '\0';
	return 0;
}

/* The context's configuration, from the module (AT+QICSGP, AT+CGDCONT?). */
static int qisock_ctx_cfg_get(struct qisock_ctx *c, struct qisock_ctx_cfg *cfg)
{
	return c->reg ? qisock_ctx_reg_read_cfg(c, cfg) :
			qisock_ctx_read_cfg(c, cfg);
}

/* A configuration write: validate, read the rest, write the whole. */
static ssize_t qisock_ctx_store_field(struct qisock_ctx *c,
				      enum qisock_ctx_field field,
				      const char *buf, size_t count)
{
	size_t len = qisock_ctx_value_len(buf, count);
	struct qisock_ctx_cfg *cfg, probe = { .type = 1 };
	int ret;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	/* refused before anything is sent */
	ret = qisock_ctx_apply(&probe, field, buf, len);
	if (ret)
		return ret;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	if (mutex_lock_interruptible(&c->cfg_lock)) {
		kfree_sensitive(cfg);
		return -ERESTARTSYS;
	}
	ret = qisock_ctx_cfg_get(c, cfg);
	if (!ret)
		ret = qisock_ctx_apply(cfg, field, buf, len);
	/* the BC66 keeps AT+CGDCONT itself: nothing to restore after RDY */
	if (!ret && c->reg)
		ret = qisock_ctx_reg_write_cfg(c, cfg);
	else if (!ret)
		ret = qisock_ctx_write_cfg(c, cfg);
	if (!ret && !c->reg)
		qisock_ctx_keep_save(c, cfg);
	mutex_unlock(&c->cfg_lock);
	kfree_sensitive(cfg);
	return ret ? ret : count;
}

static ssize_t qisock_ctx_show_field(struct qisock_ctx *c,
				     enum qisock_ctx_field field, char *buf)
{
	struct qisock_ctx_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	ssize_t ret;

	if (!cfg)
		return -ENOMEM;
	ret = qisock_ctx_cfg_get(c, cfg);
	if (ret)
		goto out;
	switch (field) {
	case QISOCK_CTX_TYPE:
		ret = sysfs_emit(buf, "%s\n", qisock_ctx_types[cfg->type]);
		break;
	case QISOCK_CTX_AUTH:
		ret = sysfs_emit(buf, "%s\n", qisock_ctx_auths[cfg->auth]);
		break;
	case QISOCK_CTX_APN:
		ret = sysfs_emit(buf, "%s\n", cfg->apn);
		break;
	default:
		ret = sysfs_emit(buf, "%s\n", cfg->user);
		break;
	}
out:
	kfree_sensitive(cfg);
	return ret;
}

#define QISOCK_CTX_FIELD_ATTR(_name, _field)				\
static const enum qisock_ctx_field _name##_field = _field;		\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return qisock_ctx_show_field(to_ctx(kobj), _name##_field, buf);	\
}									\
static ssize_t _name##_store(struct kobject *kobj,			\
			     struct kobj_attribute *attr,		\
			     const char *buf, size_t count)		\
{									\
	return qisock_ctx_store_field(to_ctx(kobj), _name##_field,	\
				      buf, count);			\
}									\
struct kobj_attribute qisock_ctx_attr_##_name = __ATTR_RW(_name)

QISOCK_CTX_FIELD_ATTR(type, QISOCK_CTX_TYPE);
QISOCK_CTX_FIELD_ATTR(apn, QISOCK_CTX_APN);
QISOCK_CTX_FIELD_ATTR(username, QISOCK_CTX_USER);
QISOCK_CTX_FIELD_ATTR(auth, QISOCK_CTX_AUTH);

static ssize_t password_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	return qisock_ctx_store_field(to_ctx(kobj), QISOCK_CTX_PASS, buf,
				      count);
}

struct kobj_attribute qisock_ctx_attr_password = __ATTR_WO(password);
