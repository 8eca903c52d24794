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

/*
 * Sockets.
 *
 * Each modem socket (connectID) is a character device /dev/qisock<M>s<N>,
 * N = 0..11 (EC200U/EG915U) or 0..4 (BC66). /dev/qisock<M> is the control
 * node of modem M. A file owns at most one socket and a socket is owned by
 * at most one file (a second open of /dev/qisock<M>s<N> fails with EBUSY).
 *
 *   fd = open("/dev/qisock0s3", O_RDWR);      a chosen connectID, or
 *   fd = open("/dev/qisock0", O_RDWR);        any free one (race-free)
 *   ioctl(fd, QISOCK_IOC_OPEN, &open_req);    AT+QIOPEN; open_req.connect_id
 *                                             returns the connectID used
 *   read(fd, ...), write(fd, ...), poll(fd)   the data
 *   close(fd);                                AT+QICLOSE
 */

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * enum qisock_service - service types of AT+QIOPEN.
 * @QISOCK_TCP: "TCP", a TCP client.
 * @QISOCK_UDP: "UDP", a UDP client (one peer, datagrams).
 * @QISOCK_TCP_LISTENER: "TCP LISTENER", a TCP server (EC200U only);
 *	connections are taken with %QISOCK_IOC_ACCEPT.
 * @QISOCK_UDP_SERVICE: "UDP SERVICE", a UDP server (EC200U only); every
 *	datagram read or written starts with a struct qisock_dgram.
 * @QISOCK_TCP_INCOMING: "TCP INCOMING", a connection accepted by a listener
 *	(reported by %QISOCK_IOC_INFO, not accepted by %QISOCK_IOC_OPEN).
 */
enum qisock_service {
	QISOCK_TCP = 0,
	QISOCK_UDP = 1,
	QISOCK_TCP_LISTENER = 2,
	QISOCK_UDP_SERVICE = 3,
	QISOCK_TCP_INCOMING = 4,
};

/**
 * enum qisock_access_mode - data access modes (<access_mode>).
 * @QISOCK_ACCESS_BUFFER: buffer access mode (default): the driver reads
 *	with AT+QIRD only as much as the reader has room for.
 * @QISOCK_ACCESS_DIRECT_PUSH: direct push mode: the module pushes data as
 *	it arrives; what does not fit the driver's buffer is dropped and
 *	counted (struct qisock_info.rx_dropped).
 * @QISOCK_ACCESS_TRANSPARENT: transparent mode; refused with EOPNOTSUPP.
 */
enum qisock_access_mode {
	QISOCK_ACCESS_BUFFER = 0,
	QISOCK_ACCESS_DIRECT_PUSH = 1,
	QISOCK_ACCESS_TRANSPARENT = 2,
};

/**
 * define QISOCK_HOST_MAX - longest host name or address (the seed's 150).
 */
#define QISOCK_HOST_MAX		150
/**
 * define QISOCK_HOST_SIZE - size of a host field: %QISOCK_HOST_MAX bytes
 * and the NUL, rounded up to a multiple of 8 so no struct has hidden
 * padding. The byte after the NUL is ignored on input, zero on output.
 */
#define QISOCK_HOST_SIZE	152
/**
 * define QISOCK_ADDR_MAX - size of a textual IP address field, NUL included.
 */
#define QISOCK_ADDR_MAX		64

/*
 * Layout rules: every struct below is a multiple of 8 bytes with no hidden
 * padding, the same on 32- and 64-bit user space (so the compat path
 * copies them as they are). The ioctl structs have reserved fields to
 * grow into: user space sets those it passes in to zero (else EINVAL), the
 * kernel zeroes those it returns. struct qisock_dgram is a record header in
 * the data stream and does not grow.
 */

/**
 * struct qisock_open - the arguments of AT+QIOPEN.
 * @service: &enum qisock_service (TCP, UDP, TCP LISTENER, UDP SERVICE).
 * @access_mode: &enum qisock_access_mode.
 * @context_id: PDP context, 1-7 (EC200U) or 1 (BC66).
 * @connect_id: in: the connectID wanted on the control node, or -1 for any
 *	free one; ignored (must be -1 or N) on /dev/qisock<M>s<N>.
 *	out: the connectID used.
 * @remote_port: peer port (TCP, UDP), 0-65535.
 * @local_port: local port, 0 = automatic; required for TCP LISTENER and
 *	UDP SERVICE.
 * @max_clients: TCP LISTENER <tcp_client_maxnum>, 0 = module default (11).
 * @connect_timeout: <connect_timeout> in seconds (10-150), 0 = default.
 * @reserved: must be zero.
 * @host: NUL-terminated peer host name or IPv4/IPv6 address; "127.0.0.1"
 *	for TCP LISTENER and UDP SERVICE. At most %QISOCK_HOST_MAX bytes
 *	before the NUL; longer, or no NUL, is EINVAL with nothing sent, as
 *	are quotes, commas, control bytes and non-ASCII bytes.
 *
 * Returns 0 once +QIOPEN reports success, or -1 with errno: EINVAL (bad
 * argument, nothing sent), EBUSY (socket in use), ENETDOWN (context not
 * active), the mapped module error (see the errno table in the docs),
 * EINPROGRESS for O_NONBLOCK files (POLLOUT, then %QISOCK_IOC_INFO.error),
 * EINTR/ERESTARTSYS if interrupted (the open goes on; close() cleans up).
 */
struct qisock_open {
	__u32 service;
	__u32 access_mode;
	__u32 context_id;
	__s32 connect_id;
	__u32 remote_port;
	__u32 local_port;
	__u32 max_clients;
	__u32 connect_timeout;
	__u32 reserved[4];
	char host[QISOCK_HOST_SIZE];
};

/**
 * struct qisock_dgram - header of a UDP SERVICE datagram.
 * @len: payload bytes after the header.
 * @port: peer port.
 * @addr: NUL-terminated peer IP address (dotted decimal or IPv6 text).
 *
 * 72 bytes, part of the data format: it has no reserved room and does not
 * grow. On a UDP SERVICE socket every read() returns one header and its payload
 * (a buffer too small for both fails with EMSGSIZE and consumes nothing),
 * and every write() is one header and its payload.
 */
struct qisock_dgram {
	__u32 len;
	__u32 port;
	char addr[QISOCK_ADDR_MAX];
};

/**
 * struct qisock_accept - a connection taken from a TCP LISTENER.
 * @connect_id: out: the connectID the module gave the connection.
 * @port: out: peer port.
 * @addr: out: NUL-terminated peer IP address.
 * @reserved: out: zero.
 *
 * %QISOCK_IOC_ACCEPT returns a new file descriptor (O_RDWR, close-on-exec)
 * for the connection, or -1 with EAGAIN (O_NONBLOCK, none pending), EINVAL
 * (not a listener). The listener polls readable while one is pending.
 */
struct qisock_accept {
	__s32 connect_id;
	__u32 port;
	char addr[QISOCK_ADDR_MAX];
	__u32 reserved[6];
};

/**
 * enum qisock_sock_state - socket states in struct qisock_info.
 * @QISOCK_SS_FREE: no service open.
 * @QISOCK_SS_OPENING: AT+QIOPEN sent, +QIOPEN not yet reported.
 * @QISOCK_SS_CONNECTED: open (connected, listening or bound).
 * @QISOCK_SS_CLOSED: the peer or the network closed it; unread data can
 *	still be read, then read() returns 0.
 * @QISOCK_SS_FAILED: open failed or the socket was lost (pdpdeact, module
 *	reboot, detach); &qisock_info.error says why.
 */
enum qisock_sock_state {
	QISOCK_SS_FREE = 0,
	QISOCK_SS_OPENING = 1,
	QISOCK_SS_CONNECTED = 2,
	QISOCK_SS_CLOSED = 3,
	QISOCK_SS_FAILED = 4,
};

/**
 * struct qisock_info - what %QISOCK_IOC_INFO reports.
 * @connect_id: the socket's connectID.
 * @service: &enum qisock_service.
 * @access_mode: &enum qisock_access_mode.
 * @state: &enum qisock_sock_state.
 * @error: positive errno of the failure, 0 if none (like SO_ERROR).
 * @module_error: the module's <err> (550-574) behind @error, or 0.
 * @context_id: PDP context.
 * @local_port: local port.
 * @remote_port: peer port.
 * @pad: zero (aligns @rx_bytes).
 * @rx_bytes: bytes delivered to readers.
 * @tx_bytes: bytes accepted by the module (SEND OK).
 * @rx_dropped: direct-push bytes dropped because the reader was too slow.
 * @remote: NUL-terminated peer host or address.
 * @reserved: zero.
 */
struct qisock_info {
	__s32 connect_id;
	__u32 service;
	__u32 access_mode;
	__u32 state;
	__u32 error;
	__u32 module_error;
	__u32 context_id;
	__u32 local_port;
	__u32 remote_port;
	__u32 pad;
	__u64 rx_bytes;
	__u64 tx_bytes;
	__u64 rx_dropped;
	char remote[QISOCK_HOST_SIZE];
	__u64 reserved[4];
};

/**
 * define QISOCK_IOC_MAGIC - the ioctl type of qisock, numbers 0x01-0x04.
 *
 * 0xB9 is unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst
 * (Linux 6.12); an upstream submission registers it there.
 */
#define QISOCK_IOC_MAGIC	0xB9

/** define QISOCK_IOC_OPEN - open a service (AT+QIOPEN), struct qisock_open. */
#define QISOCK_IOC_OPEN		_IOWR(QISOCK_IOC_MAGIC, 0x01, struct qisock_open)
/** define QISOCK_IOC_INFO - report the socket, struct qisock_info. */
#define QISOCK_IOC_INFO		_IOR(QISOCK_IOC_MAGIC, 0x02, struct qisock_info)
/** define QISOCK_IOC_ACCEPT - take a connection from a TCP LISTENER. */
#define QISOCK_IOC_ACCEPT	_IOR(QISOCK_IOC_MAGIC, 0x03, struct qisock_accept)
/**
 * define QISOCK_IOC_SET_MODE - switch the access mode (AT+QISWTMD); the
 * argument is an &enum qisock_access_mode by value, not a pointer (32-bit
 * callers pass it unchanged). Transparent mode is refused with EOPNOTSUPP.
 */
#define QISOCK_IOC_SET_MODE	_IO(QISOCK_IOC_MAGIC, 0x04)

/*
 * Also supported on sockets: FIONREAD (bytes, or the next datagram's
 * payload size, readable now) and TIOCOUTQ (bytes the module has not yet
 * had acknowledged, from AT+QISEND=<connectID>,0).
 */

#endif /* _UAPI_LINUX_QISOCK_H */
