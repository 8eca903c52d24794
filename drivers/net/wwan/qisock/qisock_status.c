// SPDX-License-Identifier: GPL-2.0
/*
 * qisock modem status in sysfs: /sys/class/qisock/qisock<M>/status/, what
 * a person in the field asks first. Each read asks the module (one
 * command, up to the engine's default time-out) and shows one value:
 *
 *   registration  AT+CEREG? (AT+CGREG? if the module refuses it):
 *                 not-registered, home, searching, denied, unknown,
 *                 roaming
 *   rssi          AT+CSQ: dBm (-113 to -51), or "unknown"
 *   ber           AT+CSQ: the bit error rate class 0-7, or "unknown"
 *   imei          AT+GSN
 *   iccid         AT+QCCID
 *   operator      AT+COPS?: the operator's name, empty if none
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "qisock.h"

#define to_qd(d) container_of(d, struct qisock_dev, dev)

static const char * const qisock_reg_names[] = {
	"not-registered", "home", "searching", "denied", "unknown", "roaming",
};

/*
 * Run @line and copy the first information line with @prefix (without
 * it; @prefix NULL: the first line) into @out. Return: 0 or an errno.
 */
static int qisock_status_ask(struct qisock_dev *qd, const char *line,
			     const char *prefix, char *out, size_t size)
{
	struct qat_cmd *cmd = qisock_at_cmd_new(0, 256, 0, "%s", line);
	const char *p, *end;
	int ret;

	ret = qisock_cmd_exec(qd, cmd);
	p = ret ? NULL : cmd->resp;
	if (p && prefix) {
		p = strstr(p, prefix);
		if (p)
			p = skip_spaces(p + strlen(prefix));
	}
	if (!ret && (!p || !*p))
		ret = -EPROTO;
	if (!ret) {
		end = strchrnul(p, '\n');
		strscpy(out, p, min_t(size_t, size, end - p + 1));
	}
	qisock_at_cmd_put(cmd);
	return ret;
}

/* The integer argument @i of @text ("0,1" -> i=1: 1), or -1. */
static int qisock_status_arg(const char *text, int i)
{
	struct qp_arg a[4];
	int n = qisock_parse_split_args(text, strlen(text), a, ARRAY_SIZE(a));

	return i < n && a[i].is_int ? a[i].v : -1;
}

static ssize_t registration_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct qisock_dev *qd = to_qd(dev);
	char v[64];
	int ret, stat;

	ret = qisock_status_ask(qd, "AT+CEREG?", "+CEREG:", v, sizeof(v));
	if (ret && ret != -ERESTARTSYS)
		ret = qisock_status_ask(qd, "AT+CGREG?", "+CGREG:", v,
					sizeof(v));
	if (ret)
		return ret;
	stat = qisock_status_arg(v, 1);
	if (stat < 0 || stat >= ARRAY_SIZE(qisock_reg_names))
		return -EPROTO;
	return sysfs_emit(buf, "%s\n", qisock_reg_names[stat]);
}
static DEVICE_ATTR_RO(registration);

/* AT+CSQ: argument @i (0: rssi, 1: ber), or -1 for 99 (not known). */
static int qisock_status_csq(struct qisock_dev *qd, int i, int *val)
{
	char v[32];
	int ret = qisock_status_ask(qd, "AT+CSQ", "+CSQ:", v, sizeof(v));

	if (ret)
		return ret;
	*val = qisock_status_arg(v, i);
	if (*val < 0 || (*val > (i ? 7 : 31) && *val != 99))
		return -EPROTO;
	if (*val == 99)
		*val = -1;
	return 0;
}

static ssize_t rssi_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	int v, ret = qisock_status_csq(to_qd(dev), 0, &v);

	if (ret)
		return ret;
	/* 27.007: 0 is -113 dBm or less, 31 is -51 dBm or more */
	return v < 0 ? sysfs_emit(buf, "unknown\n") :
		       sysfs_emit(buf, "%d\n", -113 + 2 * v);
}
static DEVICE_ATTR_RO(rssi);

static ssize_t ber_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	int v, ret = qisock_status_csq(to_qd(dev), 1, &v);

	if (ret)
		return ret;
	return v < 0 ? sysfs_emit(buf, "unknown\n") : sysfs_emit(buf, "%d\n", v);
}
static DEVICE_ATTR_RO(ber);

/* A line of digits only (IMEI, ICCID); anything else is a protocol error. */
static ssize_t qisock_status_digits(struct qisock_dev *qd, const char *line,
				    const char *prefix, char *buf)
{
	char v[40];
	size_t i;
	int ret = qisock_status_ask(qd, line, prefix, v, sizeof(v));

	if (ret)
		return ret;
	for (i = 0; v[i]; i++)
		if (!isalnum(v[i]))
			return -EPROTO;
	return sysfs_emit(buf, "%s\n", v);
}

static ssize_t imei_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return qisock_status_digits(to_qd(dev), "AT+GSN", NULL, buf);
}
static DEVICE_ATTR_RO(imei);

static ssize_t iccid_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return qisock_status_digits(to_qd(dev), "AT+QCCID", "+QCCID:", buf);
}
static DEVICE_ATTR_RO(iccid);

static ssize_t operator_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct qp_arg a[4];
	char v[96];
	int n, ret;

	ret = qisock_status_ask(to_qd(dev), "AT+COPS?", "+COPS:", v, sizeof(v));
	if (ret)
		return ret;
	n = qisock_parse_split_args(v, strlen(v), a, ARRAY_SIZE(a));
	if (n < 1)
		return -EPROTO;
	if (n < 3 || !a[2].quoted)
		return sysfs_emit(buf, "\n");	/* not registered */
	return sysfs_emit(buf, "%.*s\n", a[2].len, a[2].s);
}
static DEVICE_ATTR_RO(operator);

static struct attribute *qisock_status_attrs[] = {
	&dev_attr_registration.attr,
	&dev_attr_rssi.attr,
	&dev_attr_ber.attr,
	&dev_attr_imei.attr,
	&dev_attr_iccid.attr,
	&dev_attr_operator.attr,
	NULL
};

const struct attribute_group qisock_status_group = {
	.name	= "status",
	.attrs	= qisock_status_attrs,
};
