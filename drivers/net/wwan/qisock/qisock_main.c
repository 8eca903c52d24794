// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: Quectel TCP/IP AT stack over a tty line discipline.
 * Module init/exit and parameters.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/tty.h>
#include <linux/uidgid.h>

#include <linux/qisock.h>

#include "qisock.h"

static int ldisc = QISOCK_LDISC_DEFAULT;
module_param(ldisc, int, 0444);
MODULE_PARM_DESC(ldisc, "line discipline number to register (default 29, N_DEVELOPMENT)");

/*
 * Who may open the device nodes: mode and group, applied when devtmpfs
 * creates a node (the owner is root). The default keeps the nodes private
 * to root, as before; an integrator opens them to a group with
 * node_gid=<gid> node_mode=0660 or with a udev rule (tools/udev/). Read-only
 * at run time: a change would not reach the nodes that exist.
 */
static unsigned int node_mode = 0600;
static unsigned int node_gid;

static int node_mode_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mode;
	int ret;

	ret = kstrtouint(val, 8, &mode);
	if (ret || !mode || mode & ~0777) {
		pr_err("qisock: node_mode=%s: want octal permission bits 1..0777 (no setuid, setgid or sticky bit)\n",
		       val);
		return -EINVAL;
	}
	if (mode & 0007)
		pr_warn("qisock: node_mode=%04o: every local user may open the nodes and use the network\n",
			mode);
	*(unsigned int *)kp->arg = mode;
	return 0;
}

static int node_mode_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%04o\n", *(unsigned int *)kp->arg);
}

static const struct kernel_param_ops node_mode_ops = {
	.set	= node_mode_set,
	.get	= node_mode_get,
};
module_param_cb(node_mode, &node_mode_ops, &node_mode, 0444);
MODULE_PARM_DESC(node_mode, "permission bits of /dev/qisock* (octal, default 0600)");

static int node_gid_set(const char *val, const struct kernel_param *kp)
{
	unsigned int gid;
	int ret;

	ret = kstrtouint(val, 10, &gid);
	if (ret || !gid_valid(make_kgid(&init_user_ns, gid))) {
		pr_err("qisock: node_gid=%s: want a numeric group id\n", val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = gid;
	return 0;
}

static const struct kernel_param_ops node_gid_ops = {
	.set	= node_gid_set,
	.get	= param_get_uint,
};
module_param_cb(node_gid, &node_gid_ops, &node_gid, 0444);
MODULE_PARM_DESC(node_gid, "numeric group of /dev/qisock* (default 0, root)");

/**
 * qisock_node_perm() - mode and group of a new device node.
 * @mode: the permission bits (node_mode).
 * @gid: the group (node_gid).
 */
void qisock_node_perm(umode_t *mode, kgid_t *gid)
{
	*mode = node_mode;
	*gid = make_kgid(&init_user_ns, node_gid);
}

static int __init qisock_init(void)
{
	int ret;

	if (ldisc <= N_TTY || ldisc >= NR_LDISCS) {
		pr_err("qisock: ldisc=%d out of range 1..%d\n", ldisc,
		       NR_LDISCS - 1);
		return -EINVAL;
	}
	ret = qisock_class_init();
	if (ret)
		return ret;
	ret = qisock_ldisc_register(ldisc);
	if (ret) {
		pr_err("qisock: cannot register line discipline %d: %d\n",
		       ldisc, ret);
		qisock_class_exit();
	}
	return ret;
}

static void __exit qisock_exit(void)
{
	qisock_ldisc_unregister();
	qisock_class_exit();
}

module_init(qisock_init);
module_exit(qisock_exit);

MODULE_DESCRIPTION("Quectel TCP/IP AT stack over a tty line discipline");
MODULE_LICENSE("GPL");
MODULE_ALIAS_LDISC(QISOCK_LDISC_DEFAULT);
