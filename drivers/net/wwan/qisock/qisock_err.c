// SPDX-License-Identifier: GPL-2.0
/*
 * qisock: the module's TCP/IP error codes (550-574) as errno values.
 * The table is documented in Documentation/userspace-api/qisock-sockets.rst.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include "qisock_compat.h"
#include "qisock_sock.h"

static const u8 qisock_errno_table[] = {
	[550 - 550] = EIO,		/* unknown error */
	[551 - 550] = EAGAIN,		/* operation blocked */
	[552 - 550] = EINVAL,		/* invalid parameters */
	[553 - 550] = ENOMEM,		/* memory not enough */
	[554 - 550] = EMFILE,		/* socket creation failed */
	[555 - 550] = EOPNOTSUPP,	/* operation not supported */
	[556 - 550] = EADDRNOTAVAIL,	/* socket bind failed */
	[557 - 550] = EADDRINUSE,	/* socket listen failed */
	[558 - 550] = EIO,		/* socket write failed */
	[559 - 550] = EIO,		/* socket read failed */
	[560 - 550] = ECONNABORTED,	/* socket accept failed */
	[561 - 550] = ENETDOWN,		/* PDP context opening failed */
	[562 - 550] = EIO,		/* PDP context closure failed */
	[563 - 550] = EBUSY,		/* socket identity has been used */
	[564 - 550] = EAGAIN,		/* DNS busy */
	[565 - 550] = EHOSTUNREACH,	/* DNS parse failed */
	[566 - 550] = ECONNREFUSED,	/* socket connect failed */
	[567 - 550] = ENOTCONN,		/* socket has been closed */
	[568 - 550] = EBUSY,		/* operation busy */
	[569 - 550] = ETIMEDOUT,	/* operation timeout */
	[570 - 550] = ENETDOWN,		/* PDP context broken down */
	[571 - 550] = ECANCELED,	/* cancel sending */
	[572 - 550] = EPERM,		/* operation not allowed */
	[573 - 550] = ENETUNREACH,	/* APN not configured */
	[574 - 550] = EADDRINUSE,	/* port busy */
};

/**
 * qisock_err_to_errno() - map a module error code to an errno.
 * @code: the module's <err> (0 = success).
 *
 * Return: 0 for 0, the negative errno for 550-574, -EIO for anything else.
 */
int qisock_err_to_errno(int code)
{
	if (!code)
		return 0;
	if (code >= 550 && code < 550 + (int)ARRAY_SIZE(qisock_errno_table))
		return -qisock_errno_table[code - 550];
	return -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_err_to_errno);
