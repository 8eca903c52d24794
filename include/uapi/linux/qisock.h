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
/**
 * define QISOCK_STATE_RECOVERING - the module stopped answering and is being
 * restarted; "probing" follows once it is back.
 */
#define QISOCK_STATE_RECOVERING	"recovering"

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
 * define QISOCK_IOC_MAGIC - the ioctl type of qisock, numbers 0x01 to 0x09.
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
 * Modem-wide requests, on the control node /dev/qisock<M> (a file that
 * has not become a socket with %QISOCK_IOC_OPEN).
 *
 * Each is one AT command whose result the module reports later as a URC.
 * A blocking call waits for that result; a signal ends the wait with
 * EINTR (or restarts it, SA_RESTART) and the request goes on: the same
 * call on the same file, with the same arguments, collects its result.
 * On an O_NONBLOCK file the first call starts the request and fails with
 * EINPROGRESS; the file then polls readable (POLLIN) once the result is
 * there, and the same call again returns it (EALREADY while it is still
 * running). A file has at most one request under way: another one, or
 * other arguments, fail with EBUSY. Everything is validated before
 * anything is sent (EINVAL, nothing reaches the module).
 *
 * The call returns 0 once the module reported, also when the module
 * reported a failure: @module_error then holds its <err> (550-574) and
 * the outcome fields are zero. It fails with ENETDOWN when the context
 * is not active, ETIMEDOUT when no result came within the seed's maximum
 * response time, EPROTO when the result was malformed, EIO once the
 * modem is detached, ENETRESET when the module restarted meanwhile,
 * ENOTTY on a file that is a socket, and when the module refused the
 * command (ERROR) with the errno of the <err> that AT+QIGETERROR reports
 * (EIO if none; %QISOCK_IOC_LAST_ERROR tells it).
 * The requests of a kind (from every file) run one at a time, in order.
 */

/**
 * define QISOCK_RESOLVE_MAX - addresses struct qisock_resolve holds.
 */
#define QISOCK_RESOLVE_MAX	8

/**
 * struct qisock_resolve - a DNS lookup (AT+QIDNSGIP).
 * @context_id: in: the PDP context, 1-7 (EC200U) or 1 (BC66).
 * @module_error: out: the module's <err>, 0 on success.
 * @count: out: addresses in @addr, at most %QISOCK_RESOLVE_MAX.
 * @total: out: addresses the module found (<IP_count>), may exceed @count.
 * @ttl: out: <DNS_ttl> in seconds.
 * @reserved: in: zero; out: zero.
 * @host: in: the NUL-terminated domain name (rules of &qisock_open.host).
 * @addr: out: NUL-terminated IPv4 or IPv6 addresses, in the module's order.
 */
struct qisock_resolve {
	__u32 context_id;
	__u32 module_error;
	__u32 count;
	__u32 total;
	__u32 ttl;
	__u32 reserved[3];
	char host[QISOCK_HOST_SIZE];
	char addr[QISOCK_RESOLVE_MAX][QISOCK_ADDR_MAX];
};

/**
 * define QISOCK_PING_MAX - replies struct qisock_ping holds (the seed's
 * largest <pingnum>).
 */
#define QISOCK_PING_MAX		10

/**
 * struct qisock_ping_reply - one echo reply (or failed echo request).
 * @result: 0, or the module's error code for this request.
 * @bytes: <bytes> of the request.
 * @time_ms: <time>, the round trip in milliseconds.
 * @ttl: <ttl> of the reply.
 * @addr: NUL-terminated address of the host that answered.
 */
struct qisock_ping_reply {
	__u32 result;
	__u32 bytes;
	__u32 time_ms;
	__u32 ttl;
	char addr[QISOCK_ADDR_MAX];
};

/**
 * struct qisock_ping - ping a host (AT+QPING).
 * @context_id: in: the PDP context.
 * @timeout: in: seconds to wait for each reply, 1-255; 0: the module's
 *	default (4).
 * @count: in: echo requests, 1-10; 0: the module's default (4).
 * @size: in: payload bytes, 32-200 (BC66 only; 0: default; EINVAL on a
 *	module without it).
 * @module_error: out: <finresult>, 0 when the ping ran.
 * @sent: out: requests sent.
 * @rcvd: out: replies received.
 * @lost: out: requests that timed out.
 * @min_ms: out: shortest round trip.
 * @max_ms: out: longest round trip.
 * @avg_ms: out: average round trip.
 * @nreplies: out: entries in @reply.
 * @reserved: in: zero; out: zero.
 * @host: in: NUL-terminated host name or address.
 * @reply: out: each reply as the module reported it, in order.
 */
struct qisock_ping {
	__u32 context_id;
	__u32 timeout;
	__u32 count;
	__u32 size;
	__u32 module_error;
	__u32 sent;
	__u32 rcvd;
	__u32 lost;
	__u32 min_ms;
	__u32 max_ms;
	__u32 avg_ms;
	__u32 nreplies;
	__u32 reserved[4];
	char host[QISOCK_HOST_SIZE];
	struct qisock_ping_reply reply[QISOCK_PING_MAX];
};

/**
 * struct qisock_ntp - the time from an NTP server (AT+QNTP).
 * @context_id: in: the PDP context.
 * @port: in: server port, 1-65535; 0: 123.
 * @retry_count: in: retries, 1-10; 0: the module's default (3).
 * @retry_interval: in: seconds per try, 5-60; 0: the module's default
 *	(15).
 * @module_error: out: <err>, 0 on success.
 * @tz_quarters: out: the time zone the module reported (<zz>), in
 *	quarters of an hour east of UTC.
 * @time: out: seconds since 1970-01-01 00:00:00 UTC.
 * @reserved: in: zero; out: zero.
 * @server: in: NUL-terminated server name or address.
 * @text: out: the module's <time>, NUL-terminated, as it was reported.
 *
 * The driver never sets a clock: the module's own (<autosettime> 0) is
 * left alone, and setting the system's is user space's choice.
 */
struct qisock_ntp {
	__u32 context_id;
	__u32 port;
	__u32 retry_count;
	__u32 retry_interval;
	__u32 module_error;
	__s32 tz_quarters;
	__s64 time;
	__u32 reserved[4];
	char server[QISOCK_HOST_SIZE];
	char text[QISOCK_ADDR_MAX];
};

/**
 * define QISOCK_ERROR_TEXT_SIZE - size of struct qisock_error.text.
 */
#define QISOCK_ERROR_TEXT_SIZE	96

/**
 * struct qisock_error - the module's last TCP/IP error (AT+QIGETERROR).
 * @code: out: <err>, 0 when the last TCP/IP command succeeded.
 * @reserved: out: zero.
 * @text: out: NUL-terminated <errcode_description>.
 *
 * The driver asks the module after every plain ERROR (that is where the
 * errno of a failed call comes from); this reports the answer to the most
 * recent of those, or asks the module now when there was none.
 */
struct qisock_error {
	__u32 code;
	__u32 reserved[3];
	char text[QISOCK_ERROR_TEXT_SIZE];
};

/** define QISOCK_IOC_RESOLVE - DNS lookup, struct qisock_resolve. */
#define QISOCK_IOC_RESOLVE	_IOWR(QISOCK_IOC_MAGIC, 0x05, struct qisock_resolve)
/** define QISOCK_IOC_PING - ping, struct qisock_ping. */
#define QISOCK_IOC_PING		_IOWR(QISOCK_IOC_MAGIC, 0x06, struct qisock_ping)
/** define QISOCK_IOC_NTP - NTP time, struct qisock_ntp. */
#define QISOCK_IOC_NTP		_IOWR(QISOCK_IOC_MAGIC, 0x07, struct qisock_ntp)
/** define QISOCK_IOC_LAST_ERROR - the last error, struct qisock_error. */
#define QISOCK_IOC_LAST_ERROR	_IOR(QISOCK_IOC_MAGIC, 0x08, struct qisock_error)

/**
 * define QISOCK_IOC_SOCK_INFO - report any socket of the modem without
 * claiming it, struct qisock_info.
 *
 * On the control node /dev/qisock<M> (a file that has not become a socket
 * with %QISOCK_IOC_OPEN). In: &qisock_info.connect_id, the connectID to
 * report (0-11 on EC200U/EG915U, 0-4 on BC66); every other field is
 * ignored. Out: the report %QISOCK_IOC_INFO gives on the socket's own
 * file, also for a socket another file owns; nothing is claimed, sent or
 * changed. Fails with EINVAL for a connectID the modem does not have (or
 * before it has sockets), ENOTTY on a file that is a socket. Any user who
 * can open the control node may call it.
 */
#define QISOCK_IOC_SOCK_INFO	_IOWR(QISOCK_IOC_MAGIC, 0x09, struct qisock_info)

/*
 * Also supported on sockets: FIONREAD (bytes, or the next datagram's
 * payload size, readable now) and TIOCOUTQ (bytes the module has not yet
 * had acknowledged, from AT+QISEND=<connectID>,0).
 */

#endif /* _UAPI_LINUX_QISOCK_H */
