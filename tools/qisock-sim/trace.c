// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: timestamped trace of the AT conversation.
 *   [   1.234567] > AT+QIOPEN=1,0,"TCP","127.0.0.1",5000,0,0
 *   [   1.234901] < OK
 * '>' is host->module, '<' is module->host, '#' a simulator note.
 * Binary payload is shown escaped (\r \n \\ \xNN).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include "sim.h"

static FILE *tf;
static bool ton;
static uint64_t t0;

void trace_open(const char *path)
{
	t0 = now_ns();
	if (path && *path) {
		tf = fopen(path, "w");
		if (!tf)
			die("cannot open trace file %s", path);
		setvbuf(tf, NULL, _IOLBF, 0);
	} else {
		tf = stderr;
	}
	ton = true;
}

void trace_set(bool on)
{
	if (on && !tf) {
		t0 = t0 ? t0 : now_ns();
		tf = stderr;
	}
	ton = on;
}

static void emit(char dir, const uint8_t *p, size_t n)
{
	struct buf b = {0};
	uint64_t t;

	if (!ton || !tf)
		return;
	if (!t0)
		t0 = now_ns();
	t = now_ns() - t0;
	buf_printf(&b, "[%4llu.%06llu] %c ", (unsigned long long)(t / 1000000000ull),
		   (unsigned long long)(t % 1000000000ull / 1000), dir);
	escape_bytes(p, n, &b);
	buf_putc(&b, '\n');
	fwrite(buf_data(&b), 1, buf_avail(&b), tf);
	fflush(tf);
	buf_free(&b);
}

void trace_rx_line(const char *line, size_t n)
{
	emit('>', (const uint8_t *)line, n);
}

void trace_rx_data(const uint8_t *p, size_t n)
{
	emit('>', p, n);
}

void trace_tx_line(const char *line, size_t n)
{
	const char *e;

	/* multi-line information text (ATI) is shown one line per entry */
	while ((e = memmem(line, n, "\r\n", 2))) {
		emit('<', (const uint8_t *)line, e - line);
		n -= e - line + 2;
		line = e + 2;
	}
	emit('<', (const uint8_t *)line, n);
}

void trace_tx_data(const uint8_t *p, size_t n)
{
	emit('<', p, n);
}

void trace_note(const char *fmt, ...)
{
	struct buf b = {0};

	if (!ton || !tf)
		return;
	BUF_VARGS(&b, fmt);
	emit('#', buf_data(&b), buf_avail(&b));
	buf_free(&b);
}
