// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: late replies (control "delay <ms> [n]").
 *
 * Every byte of a command's reply (information lines, data blocks, the '>'
 * prompt, the final result code, transparent-mode data after CONNECT) goes
 * through resp_write(). While the reply of a delayed command line is held,
 * those bytes are collected and sent in one piece when its time has come.
 * Meanwhile the module takes no further input (like a module still
 * answering: the host's bytes wait in the UART), so later commands are
 * executed after the held reply and answer behind it. Echo and URCs do not
 * pass through here and keep flowing.
 */
#include "sim.h"

static long pend_ms, pend_n;	/* the next pend_n command lines: pend_ms */
static bool held;		/* a reply is being held */
static struct buf hbuf;		/* its bytes so far */
static int htimer;

void hold_reset(void)
{
	timer_cancel(htimer);
	htimer = 0;
	held = false;
	buf_reset(&hbuf);
	pend_ms = pend_n = 0;
}

void hold_set(long ms, long n)
{
	pend_ms = ms;
	pend_n = ms > 0 ? n : 0;
}

bool hold_active(void)
{
	return held;
}

static void release(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	htimer = 0;
	held = false;
	trace_note("delay: held reply sent (%zu bytes)", buf_avail(&hbuf));
	line_write(buf_data(&hbuf), buf_avail(&hbuf));
	buf_reset(&hbuf);
	at_kick();	/* input that waited behind the held reply */
}

void hold_next(void)
{
	if (pend_n <= 0)
		return;
	pend_n--;
	trace_note("delay: reply held %ld ms", pend_ms);
	timer_cancel(htimer);
	held = true;
	htimer = timer_add(pend_ms, release, NULL, 0, 0);
}

void resp_write(const void *p, size_t n)
{
	if (held && line_fd() >= 0)
		buf_put(&hbuf, p, n);
	else
		line_write(p, n);
}
