// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: a hung module (control "hang").
 *
 * The EC200U note (section 2.3, notes 1-3) tells the host to reboot a
 * module that does not answer: a module whose firmware is stuck takes no
 * command and prints nothing, not even URCs, while its radio and network
 * side may still run. The simulator models three kinds of hang:
 *
 *   hang             silent until it is reset: only control "reboot" (the
 *                    reset line or power) brings it back. AT+CFUN=1,1 is
 *                    swallowed like any other line: the AT interpreter is
 *                    what hangs, so a hung module cannot be told to restart.
 *   hang cfun        silent, but the UART driver still sees lines: an
 *                    AT+CFUN=1,1 line restarts it (no OK, RDY follows as
 *                    after any restart); everything else is swallowed.
 *   hang <ms>        silent for <ms> milliseconds, then it answers again
 *                    with its state kept (a stall, not a crash); what the
 *                    host sent meanwhile is lost. A reboot ends it earlier.
 *   hang off         ends any hang (for tests; no real module does this).
 *
 * While hung: bytes from the host are dropped (no echo, no answer), bytes
 * to the host are dropped (replies, URCs, data), timers still run (a socket
 * still receives into its buffer, an activation still completes; its URC
 * is lost). A reboot (control, or AT+CFUN=1,1 in "cfun" mode) ends it.
 */
#include <ctype.h>
#include <string.h>
#include "sim.h"

static enum hang_mode mode;
static int htimer;
static char cline[16];		/* "cfun" mode: the line being received */
static size_t clen;		/* its length; sizeof(cline) + 1: too long */

void hang_reset(void)
{
	timer_cancel(htimer);
	htimer = 0;
	mode = HANG_NONE;
	clen = 0;
}

static void hang_over(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	htimer = 0;
	mode = HANG_NONE;
	trace_note("hang: over, answering again");
}

void hang_set(enum hang_mode m, long ms)
{
	hang_reset();
	mode = m;
	if (m == HANG_TIMED)
		htimer = timer_add(ms, hang_over, NULL, 0, 0);
	trace_note("hang: %s", m == HANG_NONE ? "off" :
		   m == HANG_CFUN ? "until reset or AT+CFUN=1,1" :
		   m == HANG_TIMED ? "for a while" : "until reset");
}

bool hang_active(void)
{
	return mode != HANG_NONE;
}

static void cfun_restart(void *arg, long a, long b)
{
	(void)arg; (void)a; (void)b;
	modem_reboot();		/* ends the hang (reset_state) */
}

/* "cfun" mode: is the line just ended the restart command? */
static void hang_cfun_line(void)
{
	size_t i;

	for (i = 0; i < clen && i < sizeof(cline); i++)
		cline[i] = toupper((unsigned char)cline[i]);
	if (clen == strlen("AT+CFUN=1,1") && !memcmp(cline, "AT+CFUN=1,1", clen)) {
		trace_note("hang: AT+CFUN=1,1 restarts the hung module");
		timer_add(300, cfun_restart, NULL, 0, 0);
	}
	clen = 0;
}

bool hang_input(const uint8_t *p, size_t n)
{
	size_t i;

	if (mode == HANG_NONE)
		return false;
	trace_rx_data(p, n);
	for (i = 0; mode == HANG_CFUN && i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			hang_cfun_line();
		else if (clen < sizeof(cline))
			cline[clen++] = p[i];
		else
			clen = sizeof(cline) + 1;	/* too long: no match */
	}
	return true;
}
