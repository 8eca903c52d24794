/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock: every kernel-version difference in one place.
 *
 * Supported: Debian's 6.1 and 6.12 kernels and the 6.12 tree used for
 * KUnit. No other file tests LINUX_VERSION_CODE.
 */
#ifndef QISOCK_COMPAT_H
#define QISOCK_COMPAT_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/tty.h>
#include <linux/version.h>

/*
 * tty_ldisc_ops::receive_buf switched to u8 data, u8 flags and a size_t
 * count in 6.6; before that it took (const unsigned char *, const char *,
 * int). QISOCK_RX_PARAMS declares the parameters (tty, cp, fp, count);
 * qisock_rx_count_t is the count's type.
 */
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
#define qisock_rx_count_t size_t
#define QISOCK_RX_PARAMS \
	struct tty_struct *tty, const u8 *cp, const u8 *fp, size_t count
#else
#define qisock_rx_count_t int
#define QISOCK_RX_PARAMS \
	struct tty_struct *tty, const unsigned char *cp, const char *fp, \
	int count
#endif

/*
 * The two-argument strscpy() (destination size from the array) only exists
 * since 6.8; the three-argument form works everywhere.
 */
#define qisock_strscpy(dst, src) strscpy(dst, src, sizeof(dst))

/*
 * struct device_type::devnode takes a const struct device since 6.2.
 * QISOCK_DEVNODE_PARAMS declares the parameters (dev, mode, uid, gid).
 */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define QISOCK_DEVNODE_PARAMS \
	const struct device *dev, umode_t *mode, kuid_t *uid, kgid_t *gid
#else
#define QISOCK_DEVNODE_PARAMS \
	struct device *dev, umode_t *mode, kuid_t *uid, kgid_t *gid
#endif

/*
 * Classes: class_create() lost its module argument in 6.4 and struct
 * class lost .owner, so the driver uses a static struct class and
 * class_register(), which is identical on every supported kernel.
 */

/*
 * KUnit visibility: the driver exports what qisock_kunit.ko calls with
 * EXPORT_SYMBOL_IF_KUNIT(), into the EXPORTED_FOR_KUNIT_TESTING namespace
 * and only when CONFIG_KUNIT is on. <kunit/visibility.h> appeared in 6.2;
 * on 6.1 (Debian's has no KUnit, so no test module) the macro exports
 * nothing (a static_assert() stands in for it).
 */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#include <kunit/visibility.h>
#else
#define EXPORT_SYMBOL_IF_KUNIT(symbol) static_assert(1, #symbol)
#endif

/*
 * The test module's import of that namespace: MODULE_IMPORT_NS() takes
 * the bare identifier up to 6.12 and a string literal since 6.13.
 */
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
#define QISOCK_KUNIT_IMPORT_NS() \
	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define QISOCK_KUNIT_IMPORT_NS() \
	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif

#endif /* QISOCK_COMPAT_H */
