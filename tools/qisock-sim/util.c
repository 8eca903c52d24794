// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: small helpers (byte buffers, clock, seeded PRNG, hex, escaping).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include "sim.h"

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("qisock-sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void buf_reserve(struct buf *b, size_t n)
{
	if (b->off && b->off == b->len)
		b->off = b->len = 0;
	if (b->len + n <= b->cap)
		return;
	if (b->off) {
		memmove(b->d, b->d + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->len + n <= b->cap)
			return;
	}
	size_t nc = b->cap ? b->cap : 256;

	while (nc < b->len + n)
		nc *= 2;
	b->d = realloc(b->d, nc);
	if (!b->d)
		die("out of memory");
	b->cap = nc;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	buf_reserve(b, n);
	memcpy(b->d + b->len, p, n);
	b->len += n;
}

void buf_putc(struct buf *b, uint8_t c)
{
	buf_put(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	char tmp[256];
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		buf_put(b, tmp, n);
		return;
	}
	buf_reserve(b, n + 1);
	vsnprintf((char *)b->d + b->len, n + 1, fmt, ap);
	b->len += n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	BUF_VARGS(b, fmt);
}

size_t buf_avail(const struct buf *b)
{
	return b->len - b->off;
}

const uint8_t *buf_data(const struct buf *b)
{
	return b->d + b->off;
}

void buf_drop(struct buf *b, size_t n)
{
	if (n > buf_avail(b))
		n = buf_avail(b);
	b->off += n;
	if (b->off == b->len)
		b->off = b->len = 0;
}

void buf_reset(struct buf *b)
{
	b->off = b->len = 0;
}

void buf_free(struct buf *b)
{
	free(b->d);
	memset(b, 0, sizeof(*b));
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

void rng_seed(uint64_t seed)
{
	rng_state = seed ^ 0x9e3779b97f4a7c15ull;
	if (!rng_state)
		rng_state = 1;
}

uint32_t rng_next(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* returns number of bytes, or -1 on odd length / bad digit */
int hex_decode(const char *s, size_t slen, uint8_t *out)
{
	size_t i;

	if (slen % 2)
		return -1;
	for (i = 0; i < slen; i += 2) {
		int h = hexval(s[i]), l = hexval(s[i + 1]);

		if (h < 0 || l < 0)
			return -1;
		out[i / 2] = (uint8_t)(h << 4 | l);
	}
	return (int)(slen / 2);
}

void hex_encode(const uint8_t *p, size_t n, struct buf *out)
{
	static const char dig[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		buf_putc(out, dig[p[i] >> 4]);
		buf_putc(out, dig[p[i] & 15]);
	}
}

void escape_bytes(const uint8_t *p, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == '\r')
			buf_put(out, "\\r", 2);
		else if (c == '\n')
			buf_put(out, "\\n", 2);
		else if (c == '\\')
			buf_put(out, "\\\\", 2);
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(out, "\\x%02x", c);
		else
			buf_putc(out, c);
	}
}
