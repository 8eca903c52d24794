// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: the serial line model.
 *
 * All bytes to the host go through an output queue. --baud N limits each
 * direction to N/10 bytes per second (8N1: ten bit times per byte) with a
 * small burst window, "split on" writes every byte with its own write()
 * call, and both directions are counted for the stats.
 */
#include <errno.h>
#include <unistd.h>
#include "sim.h"

#define SPLIT_GAP_NS 200000ull	/* gap between single-byte writes */
#define BURST_NS 4000000ull	/* token-bucket window */

static int fd = -1;
static struct buf outq;
static bool split;
static uint64_t byte_ns;	/* 0 = unlimited */
static uint64_t tx_busy_until, rx_busy_until, next_split;
static uint64_t tx_count, rx_count;

void line_init(long baud)
{
	byte_ns = baud > 0 ? 10000000000ull / (uint64_t)baud : 0;
	if (baud > 0 && !byte_ns)
		byte_ns = 1;
}

void line_attach(int newfd)
{
	fd = newfd;
	buf_reset(&outq);
	tx_busy_until = rx_busy_until = next_split = 0;
}

int line_fd(void)
{
	return fd;
}

void line_write(const void *p, size_t n)
{
	if (fd < 0 || hang_active() || sleep_asleep())
		return;		/* nobody listens, the module hangs or sleeps */
	buf_put(&outq, p, n);
	sleep_touch();
}

size_t line_queued(void)
{
	return buf_avail(&outq);
}

void line_discard_output(void)
{
	buf_reset(&outq);
}

void line_set_split(bool on)
{
	split = on;
}

bool line_split(void)
{
	return split;
}

void line_stats(uint64_t *tx, uint64_t *rx)
{
	*tx = tx_count;
	*rx = rx_count;
}

/* bytes the line may carry now given busy-until time; *wait = ns to wait */
static size_t budget(uint64_t now, uint64_t busy, uint64_t *wait)
{
	uint64_t window = BURST_NS > byte_ns ? BURST_NS : byte_ns;
	uint64_t start = busy > now ? busy : now;

	*wait = 0;
	if (!byte_ns)
		return (size_t)-1;
	if (start >= now + window) {
		*wait = start - (now + window) + byte_ns;
		return 0;
	}
	size_t n = (now + window - start) / byte_ns;

	if (!n)
		*wait = byte_ns;
	return n;
}

static void charge(uint64_t now, uint64_t *busy, size_t n)
{
	if (!byte_ns)
		return;
	if (*busy < now)
		*busy = now;
	*busy += n * byte_ns;
}

static void min_timeout(int64_t *t, uint64_t ns)
{
	if (*t < 0 || (int64_t)ns < *t)
		*t = (int64_t)ns;
}

void line_poll_setup(struct pollfd *pfd, int64_t *timeout_ns)
{
	uint64_t now = now_ns(), w;

	pfd->fd = fd;
	pfd->events = 0;
	pfd->revents = 0;
	if (fd < 0)
		return;
	if (budget(now, rx_busy_until, &w))
		pfd->events |= POLLIN;
	else
		min_timeout(timeout_ns, w);
	if (buf_avail(&outq)) {
		if (split && now < next_split) {
			min_timeout(timeout_ns, next_split - now);
		} else if (budget(now, tx_busy_until, &w)) {
			pfd->events |= POLLOUT;
		} else {
			min_timeout(timeout_ns, w);
		}
	}
}

static int do_write(void)
{
	uint64_t now = now_ns(), w;
	size_t n = buf_avail(&outq), b;
	ssize_t r;

	b = budget(now, tx_busy_until, &w);
	if (n > b)
		n = b;
	if (split && n > 1)
		n = 1;
	if (split && now < next_split)
		return 0;
	if (!n)
		return 0;
	r = write(fd, buf_data(&outq), n);
	if (r < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		return -1;
	}
	buf_drop(&outq, r);
	tx_count += r;
	charge(now, &tx_busy_until, r);
	if (split)
		next_split = now + SPLIT_GAP_NS;
	return 0;
}

int line_poll_done(const struct pollfd *pfd)
{
	uint8_t tmp[4096];
	uint64_t now, w;
	size_t b;
	ssize_t r;

	if (fd < 0)
		return 0;
	if (pfd->revents & POLLOUT) {
		if (do_write() < 0)
			return -1;
	}
	if (pfd->revents & (POLLIN | POLLHUP | POLLERR)) {
		now = now_ns();
		b = budget(now, rx_busy_until, &w);
		if (b > sizeof(tmp))
			b = sizeof(tmp);
		if (!b && !(pfd->revents & (POLLHUP | POLLERR)))
			return 0;
		if (!b)
			b = 1;
		r = read(fd, tmp, b);
		if (r == 0)
			return -1;
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -1;
		}
		rx_count += r;
		charge(now, &rx_busy_until, r);
		at_input(tmp, r);
	}
	/* opportunistic flush of what the commands just queued */
	if (fd >= 0 && buf_avail(&outq) && !split && !byte_ns) {
		if (do_write() < 0)
			return -1;
	}
	return 0;
}
