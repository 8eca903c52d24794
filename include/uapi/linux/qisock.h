/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * qisock: user-space interface of the Quectel TCP/IP line discipline.
 *
 * Attach with "ldattach 29 /dev/ttyS1" (CAP_NET_ADMIN). The driver then
 * identifies the module and creates /sys/class/qisock/qisock<N>/ (see
 * Documentation/ABI/testing/sysfs-class-qisock).
 */
#ifndef _UAPI_LINUX_QISOCK_H
#define _UAPI_LINUX_QISOCK_H

/**
 * define QISOCK_LDISC_DEFAULT - line discipline number used by default.
 *
 * 29 is N_DEVELOPMENT, reserved for out-of-tree line disciplines; the
 * module parameter "ldisc" selects another one.
 */
#define QISOCK_LDISC_DEFAULT	29

/**
 * define QISOCK_CLASS - name of the sysfs class (/sys/class/qisock).
 */
#define QISOCK_CLASS		"qisock"

/*
 * Values of /sys/class/qisock/qisock<N>/state.
 */
/**
 * define QISOCK_STATE_PROBING - the module is being identified.
 */
#define QISOCK_STATE_PROBING	"probing"
/**
 * define QISOCK_STATE_READY - identified; model, revision, dialect are set.
 */
#define QISOCK_STATE_READY	"ready"
/**
 * define QISOCK_STATE_FAILED - no answer or an unsupported model.
 */
#define QISOCK_STATE_FAILED	"failed"
/**
 * define QISOCK_STATE_GONE - the line was hung up; detach follows.
 */
#define QISOCK_STATE_GONE	"gone"

#endif /* _UAPI_LINUX_QISOCK_H */
