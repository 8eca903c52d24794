// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: Quectel TCP/IP AT stack over a tty line discipline.
 * Module init/exit and parameters.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/tty.h>

#include <linux/qisock.h>

#include "qisock.h"

static int ldisc = QISOCK_LDISC_DEFAULT;
module_param(ldisc, int, 0444);
MODULE_PARM_DESC(ldisc, "line discipline number to register (default 29, N_DEVELOPMENT)");

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
