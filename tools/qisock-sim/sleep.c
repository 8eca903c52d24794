// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: BC66/BC66-NA deep sleep and PSM (control "sleep", "wake").
 *
 * Seed 001 says: the module cannot enter deep sleep while a TCP session
 * exists (2.3.1), a UDP session survives it (2.3.1), QIOPEN, QISWTMD and
 * QIDNSCFG settings remain valid after a deep-sleep wake-up (2.3.1, 2.3.7,
 * 2.3.11), AT+QICFG="echomode" does not (2.3.12: not in NVRAM, invalid
 * after the wake-up, so it is back at its default 1), and URCs are never
 * reported in PSM and are delayed by the paging cycle in DRX/eDRX (2.4).
 *
 * The simulator's module:
 *   - enters deep sleep on control "sleep", or by itself after "sleep auto
 *     <ms>" of UART idleness (no byte either way, nothing queued to the
 *     host, no command line, reply or data phase in progress, no socket
 *     opening, no DNS query, ping or NTP request in flight); never while a
 *     TCP socket exists in any state;
 *   - sends nothing while asleep (no echo, no reply, no URC);
 *   - wakes on the first byte from the host; the first command line after
 *     such a wake-up is swallowed: no echo, answered only with "\r\n";
 *   - wakes by itself on control "wake" (paging): no line is swallowed;
 *   - URCs raised while asleep: "sleep urc delay" (DRX/eDRX, default) holds
 *     them and sends them in order after the wake-up; "sleep urc drop"
 *     (PSM) never reports them: buffer-mode data stays readable with
 *     AT+QIRD (its one "recv" URC is lost), direct-push data is lost.
 * The idle time and the URC policy model the network's configuration and
 * survive a reboot; the sleep state and the counters do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"

#define AUTO_MIN_WAIT_MS 10

enum sleep_urc { SLEEP_URC_DELAY, SLEEP_URC_DROP };

static struct {
	bool asleep;
	bool swallow;		/* next command line is swallowed */
	long auto_ms;		/* 0 = no automatic sleep */
	enum sleep_urc policy;
	int auto_timer;
	uint64_t last_ns;	/* last byte either way */
	unsigned long wakeups, swallowed, dropped, lost;
} sl;

bool sleep_asleep(void)
{
	return sl.asleep;
}

bool sleep_swallowing(void)
{
	return sl.swallow;
}

void sleep_touch(void)
{
	sl.last_ns = now_ns();
}

static bool tcp_session(void)
{
	int i;

	for (i = 0; i < mdl->max_sock; i++)
		if (socks[i].used && socks[i].svc == SVC_TCP)
			return true;
	return false;
}

/* the network side is working for the host: a socket opening, a service */
static bool net_busy(void)
{
	int i;

	for (i = 0; i < mdl->max_sock; i++)
		if (socks[i].used && socks[i].open_pending)
			return true;
	return misc_busy();
}

/* NULL: may sleep now; else why not */
static const char *sleep_blocker(void)
{
	if (!IS_BC)
		return "no deep sleep on this model";
	if (line_fd() < 0)
		return "no serial client connected";
	if (sl.asleep)
		return "already asleep";
	if (tcp_session())
		return "tcp session";
	if (!at_idle() || hang_active() || line_queued() || net_busy())
		return "busy";
	return NULL;
}

static void enter(const char *why)
{
	sl.asleep = true;
	sl.swallow = false;
	trace_note("sleep: deep sleep entered (%s)", why);
}

static void arm_auto(void);

static void auto_check(void *arg, long a, long b)
{
	uint64_t idle = (now_ns() - sl.last_ns) / 1000000;

	(void)arg; (void)a; (void)b;
	sl.auto_timer = 0;
	if (!sl.auto_ms || sl.asleep)
		return;
	if (idle >= (uint64_t)sl.auto_ms && !sleep_blocker())
		enter("idle");
	else
		arm_auto();
}

static void arm_auto(void)
{
	uint64_t idle = (now_ns() - sl.last_ns) / 1000000;
	long wait = sl.auto_ms;

	timer_cancel(sl.auto_timer);
	sl.auto_timer = 0;
	if (!sl.auto_ms || !IS_BC)
		return;
	if (idle < (uint64_t)sl.auto_ms)
		wait = sl.auto_ms - (long)idle;
	if (wait < AUTO_MIN_WAIT_MS)
		wait = AUTO_MIN_WAIT_MS;	/* a blocked sleep polls gently */
	sl.auto_timer = timer_add(wait, auto_check, NULL, 0, 0);
}

static void wake(bool by_host)
{
	sl.asleep = false;
	sl.wakeups++;
	sl.swallow = by_host;
	/* seed 001 2.3.12: echomode is not in NVRAM, lost by the wake-up */
	M.cfg.echomode = 1;
	sleep_touch();
	trace_note("sleep: woken by %s", by_host ? "the host" : "paging");
	at_flush_urcs();
	arm_auto();
}

void sleep_host_byte(void)
{
	if (sl.asleep)
		wake(true);
	sleep_touch();
	if (sl.auto_ms && !sl.auto_timer)
		arm_auto();
}

bool sleep_take_swallow(void)
{
	if (!sl.swallow)
		return false;
	sl.swallow = false;
	sl.swallowed++;
	trace_note("sleep: first line after wake-up swallowed");
	return true;
}

bool sleep_drop_urc(size_t payload)
{
	if (!sl.asleep || sl.policy != SLEEP_URC_DROP)
		return false;
	sl.dropped++;
	sl.lost += payload;
	if (payload)
		trace_note("sleep: PSM, direct-push data lost (%zu bytes)", payload);
	else
		trace_note("sleep: PSM, URC not reported");
	return true;
}

void sleep_power_on(void)
{
	sl.asleep = false;
	sl.swallow = false;
	sl.wakeups = 0;
	sl.swallowed = 0;
	sl.dropped = 0;
	sl.lost = 0;
	sl.auto_timer = 0;	/* timer_cancel_all() took it */
	sleep_touch();
	arm_auto();
}

static int set_auto(const char *arg, char *out, size_t n)
{
	char *e;
	long v;

	if (!strcmp(arg, "off")) {
		v = 0;
	} else {
		v = strtol(arg, &e, 10);
		if (!*arg || *e || v < 1 || v > 3600000) {
			snprintf(out, n, "usage: sleep auto <ms 1-3600000>|off");
			return -1;
		}
	}
	sl.auto_ms = v;
	sleep_touch();
	arm_auto();
	return 0;
}

static int set_policy(const char *arg, char *out, size_t n)
{
	if (!strcmp(arg, "delay")) {
		sl.policy = SLEEP_URC_DELAY;
	} else if (!strcmp(arg, "drop")) {
		sl.policy = SLEEP_URC_DROP;
	} else {
		snprintf(out, n, "usage: sleep urc delay|drop");
		return -1;
	}
	return 0;
}

static void query(char *out, size_t n)
{
	char a[16];

	snprintf(a, sizeof(a), "%ld", sl.auto_ms);
	snprintf(out, n,
		 "asleep=%d wakeups=%lu swallowed=%lu auto=%s urc=%s held=%zu dropped=%lu lost=%lu",
		 sl.asleep, sl.wakeups, sl.swallowed, sl.auto_ms ? a : "off",
		 sl.policy == SLEEP_URC_DROP ? "drop" : "delay",
		 at_deferred_count(), sl.dropped, sl.lost);
}

/*
 * Control commands "sleep", "sleep auto <ms>|off", "sleep urc delay|drop",
 * "sleep?" and "wake". Returns 0 (reply "ok <out>") or -1 ("error <out>").
 */
int sleep_control(const char *cmd, char *arg, char *out, size_t n)
{
	const char *why;

	out[0] = 0;
	if (!IS_BC) {
		snprintf(out, n, "no deep sleep on this model");
		return -1;
	}
	if (!strcmp(cmd, "sleep?")) {
		query(out, n);
		return 0;
	}
	if (!strcmp(cmd, "wake")) {
		if (!sl.asleep) {
			snprintf(out, n, "not asleep");
			return -1;
		}
		wake(false);
		return 0;
	}
	if (!strncmp(arg, "auto ", 5))
		return set_auto(arg + 5, out, n);
	if (!strncmp(arg, "urc ", 4))
		return set_policy(arg + 4, out, n);
	if (*arg) {
		snprintf(out, n, "usage: sleep [auto <ms>|off] [urc delay|drop]");
		return -1;
	}
	why = sleep_blocker();
	if (why) {
		snprintf(out, n, "%s", why);
		return -1;
	}
	enter("control");
	return 0;
}
