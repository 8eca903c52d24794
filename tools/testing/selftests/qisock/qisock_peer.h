/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the qisock selftests, shared by the programs that move
 * data (sockets_test.c, recover_test.c): the host peer on ttyS2
 * (tools/testing/peer.py; it also relays "sim <command>" to the
 * simulator's control socket), sha256 of transfers, the transfer threads.
 * Include after kselftest_harness.h and qisock_selftest.h.
 */
#ifndef QISOCK_PEER_H
#define QISOCK_PEER_H

#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <linux/qisock.h>

#define MIB		(1024 * 1024)

/* ---- sha256 (FIPS 180-4), enough for checksumming transfers ------------- */

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static inline void sha_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 |
		       p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10)) +
		       w[i - 7] +
		       (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 16];
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
		     sha_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static inline void sha_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->n = 0;
}

static inline void sha_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->len += len;
	while (len) {
		size_t k = 64 - s->n < len ? 64 - s->n : len;

		memcpy(s->buf + s->n, p, k);
		s->n += k;
		p += k;
		len -= k;
		if (s->n == 64) {
			sha_block(s, s->buf);
			s->n = 0;
		}
	}
}

/* Finish and write the digest as 64 hex digits into @hex. */
static inline void sha_hex(struct sha256 *s, char hex[65])
{
	uint64_t bits = s->len * 8;
	uint8_t pad = 0x80, z = 0, l[8];
	int i;

	sha_update(s, &pad, 1);
	while (s->n != 56)
		sha_update(s, &z, 1);
	for (i = 0; i < 8; i++)
		l[i] = bits >> (56 - 8 * i);
	sha_update(s, l, 8);
	for (i = 0; i < 8; i++)
		sprintf(hex + 8 * i, "%08x", s->h[i]);
}

/* Reproducible pseudo-random bytes (xorshift32). */
static inline void fill_pattern(uint32_t *state, uint8_t *buf, size_t len)
{
	uint32_t x = *state ? *state : 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x >> 24;
	}
	*state = x;
}

/* sha256 of the first @n bytes of the pattern of @seed. */
static inline int pattern_sha(uint32_t seed, size_t n, char hex[65])
{
	uint8_t *buf = malloc(n ? n : 1);
	struct sha256 s;

	if (!buf)
		return -1;
	fill_pattern(&seed, buf, n);
	sha_init(&s);
	sha_update(&s, buf, n);
	sha_hex(&s, hex);
	free(buf);
	return 0;
}

/* ---- the host peer on ttyS2 --------------------------------------------- */

/* Value of "key=value" in a peer reply, or "" (static buffer). */
static inline const char *kv(const char *reply, const char *key)
{
	static char val[160];
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(reply, pat);
	val[0] = '\0';
	if (!p)
		return val;
	p += strlen(pat);
	n = strcspn(p, " ");
	if (n >= sizeof(val))
		n = sizeof(val) - 1;
	memcpy(val, p, n);
	val[n] = '\0';
	return val;
}

/* The simulator's serial byte counters: tx = module to host. */
static inline int sim_stats(unsigned long long *tx, unsigned long long *rx)
{
	char r[256];

	if (qs_peer_cmd(r, sizeof(r), 10000, "sim stats"))
		return -1;
	*tx = strtoull(kv(r, "tx"), NULL, 10);
	*rx = strtoull(kv(r, "rx"), NULL, 10);
	return 0;
}

/* "serve tcp ...": port and the sha256 of what the peer will send. */
static inline int peer_serve(int *port, char sha[65], const char *fmt, ...)
{
	char r[512], opts[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(opts, sizeof(opts), fmt, ap);
	va_end(ap);
	if (qs_peer_cmd(r, sizeof(r), 10000, "serve %s", opts))
		return -1;
	if (sha)
		return sscanf(r, "ok %d %64s", port, sha) == 2 ? 0 : -1;
	return sscanf(r, "ok %d", port) == 1 ? 0 : -1;
}

/* ---- transfers ---------------------------------------------------------- */

struct xfer {
	int fd;
	size_t send_n;		/* bytes to write */
	size_t recv_n;		/* bytes to read; 0 = until EOF */
	size_t wchunk, rchunk;
	int read_delay_ms;
	uint32_t seed;
	int io_timeout_ms;	/* one read/write may not take longer */
	/* results */
	volatile size_t sent, rcvd;
	int werr, rerr;		/* errno that ended writing / reading */
	bool eof;
	volatile bool wdone, rdone;
	char tx_sha[65], rx_sha[65];
	pthread_t wt, rt;
	bool wt_on, rt_on;
};

static void *xfer_writer(void *arg)
{
	struct xfer *x = arg;
	struct sha256 s;
	uint8_t *buf = malloc(x->wchunk);
	uint32_t st = x->seed;

	sha_init(&s);
	while (buf && x->sent < x->send_n) {
		size_t k = x->send_n - x->sent < x->wchunk ? x->send_n - x->sent : x->wchunk;
		size_t off = 0;

		fill_pattern(&st, buf, k);
		while (off < k) {
			ssize_t n = write(x->fd, buf + off, k - off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				x->werr = n < 0 ? errno : EPIPE;
				sha_update(&s, buf, off);
				goto out;
			}
			off += n;
			x->sent += n;
		}
		sha_update(&s, buf, k);
	}
out:
	sha_hex(&s, x->tx_sha);
	free(buf);
	x->wdone = true;
	return NULL;
}

static void *xfer_reader(void *arg)
{
	struct xfer *x = arg;
	struct sha256 s;
	uint8_t *buf = malloc(x->rchunk);

	sha_init(&s);
	while (buf && (!x->recv_n || x->rcvd < x->recv_n)) {
		struct pollfd p = { .fd = x->fd, .events = POLLIN };
		size_t want = x->rchunk;
		ssize_t n;
		int r;

		if (x->recv_n && x->recv_n - x->rcvd < want)
			want = x->recv_n - x->rcvd;
		r = poll(&p, 1, x->io_timeout_ms);
		if (r == 0) {
			x->rerr = ETIMEDOUT;
			break;
		}
		n = read(x->fd, buf, want);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			x->rerr = errno;
			break;
		}
		if (n == 0) {
			x->eof = true;
			break;
		}
		sha_update(&s, buf, n);
		x->rcvd += n;
		if (x->read_delay_ms)
			sleep_ms(x->read_delay_ms);
	}
	sha_hex(&s, x->rx_sha);
	free(buf);
	x->rdone = true;
	return NULL;
}

static inline void xfer_init(struct xfer *x, int fd, size_t send_n, size_t recv_n, uint32_t seed)
{
	memset(x, 0, sizeof(*x));
	x->fd = fd;
	x->send_n = send_n;
	x->recv_n = recv_n;
	x->wchunk = 4096;
	x->rchunk = 4096;
	x->seed = seed;
	x->io_timeout_ms = 60000;
}

static inline void xfer_start(struct xfer *x)
{
	x->wdone = !x->send_n;
	if (x->send_n)
		x->wt_on = !pthread_create(&x->wt, NULL, xfer_writer, x);
	x->rt_on = !pthread_create(&x->rt, NULL, xfer_reader, x);
}

/* Join both threads within @ms; false if one still hangs. */
static inline bool xfer_join(struct xfer *x, int ms)
{
	struct timespec ts;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	if (x->rt_on && pthread_timedjoin_np(x->rt, NULL, &ts))
		ok = false;
	else
		x->rt_on = false;
	if (x->wt_on && pthread_timedjoin_np(x->wt, NULL, &ts))
		ok = false;
	else
		x->wt_on = false;
	return ok;
}

/* Stop both threads of @x now (before a SKIP leaves the test). */
static inline void xfer_abort(struct xfer *x)
{
	if (x->rt_on) {
		pthread_cancel(x->rt);
		pthread_join(x->rt, NULL);
		x->rt_on = false;
	}
	if (x->wt_on) {
		pthread_cancel(x->wt);
		pthread_join(x->wt, NULL);
		x->wt_on = false;
	}
}

static inline const char *pkey(int port)
{
	static char k[16];

	snprintf(k, sizeof(k), "%d", port);
	return k;
}

/* Wait for the peer session @key to finish; its reply in @r. */
static inline int peer_result(const char *key, char *r, size_t len, int secs)
{
	return qs_peer_cmd(r, len, (secs + 10) * 1000, "result %s timeout=%d", key, secs);
}

/*
 * A new TCP connection to the host peer through context 1 of the modem
 * whose control node is @node (a free connectID is taken), @n bytes each
 * way, sha256 compared on both ends. Returns 0, or -1 with the reason in
 * @why.
 */
static inline int peer_roundtrip(const char *node, const char *host, size_t n,
				 uint32_t seed, char *why, size_t wlen)
{
	struct qisock_open q = {
		.service = QISOCK_TCP, .access_mode = QISOCK_ACCESS_BUFFER,
		.context_id = 1, .connect_id = -1,
	};
	char sha[65], r[512];
	struct xfer x;
	int port, fd;

	if (peer_serve(&port, sha, "tcp send=%zu expect=%zu timeout=120", n, n)) {
		snprintf(why, wlen, "the host peer starts no server");
		return -1;
	}
	q.remote_port = port;
	snprintf(q.host, sizeof(q.host), "%s", host);
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, QISOCK_IOC_OPEN, &q) < 0) {
		snprintf(why, wlen, "open %s:%d through %s: %s", host, port, node,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	xfer_init(&x, fd, n, n, seed);
	xfer_start(&x);
	if (!xfer_join(&x, 300000)) {
		xfer_abort(&x);
		close(fd);
		snprintf(why, wlen, "transfer hangs: sent %zu rcvd %zu", x.sent, x.rcvd);
		return -1;
	}
	close(fd);
	if (x.werr || x.rerr || x.sent != n || x.rcvd != n) {
		snprintf(why, wlen, "sent %zu (%s), rcvd %zu (%s) of %zu", x.sent,
			 strerror(x.werr), x.rcvd, strerror(x.rerr), n);
		return -1;
	}
	if (strcmp(sha, x.rx_sha)) {
		snprintf(why, wlen, "the guest received other bytes than the peer sent");
		return -1;
	}
	if (peer_result(pkey(port), r, sizeof(r), 60) ||
	    strtoul(kv(r, "rx"), NULL, 10) != n || strcmp(x.tx_sha, kv(r, "sha"))) {
		snprintf(why, wlen, "the peer received other bytes than sent: %.160s", r);
		return -1;
	}
	return 0;
}

#endif /* QISOCK_PEER_H */
