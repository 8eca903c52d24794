// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: one-shot timers for asynchronous module behaviour (URCs that
 * follow OK, guard times, time-outs). Timers due at the same time fire in
 * the order they were added.
 */
#include <string.h>
#include "sim.h"

#define MAX_TIMERS 256

struct timer {
	int id;
	uint64_t due;
	uint64_t seq;
	timer_fn fn;
	void *arg;
	long a, b;
};

static struct timer tm[MAX_TIMERS];
static int next_id = 1;
static uint64_t seq;

int timer_add(int64_t delay_ms, timer_fn fn, void *arg, long a, long b)
{
	int i;

	for (i = 0; i < MAX_TIMERS; i++) {
		if (!tm[i].id) {
			tm[i].id = next_id++;
			if (next_id <= 0)
				next_id = 1;
			tm[i].due = now_ns() + (uint64_t)(delay_ms < 0 ? 0 : delay_ms) * 1000000ull;
			tm[i].seq = seq++;
			tm[i].fn = fn;
			tm[i].arg = arg;
			tm[i].a = a;
			tm[i].b = b;
			return tm[i].id;
		}
	}
	die("timer table full");
}

void timer_cancel(int id)
{
	int i;

	if (id <= 0)
		return;
	for (i = 0; i < MAX_TIMERS; i++)
		if (tm[i].id == id)
			tm[i].id = 0;
}

void timer_cancel_all(void)
{
	memset(tm, 0, sizeof(tm));
}

int64_t timer_next_ns(void)
{
	uint64_t now = now_ns();
	int64_t best = -1;
	int i;

	for (i = 0; i < MAX_TIMERS; i++) {
		if (!tm[i].id)
			continue;
		int64_t d = tm[i].due > now ? (int64_t)(tm[i].due - now) : 0;

		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

void timer_run(void)
{
	uint64_t now = now_ns(), limit = seq;

	for (;;) {
		int i, pick = -1;

		for (i = 0; i < MAX_TIMERS; i++) {
			if (!tm[i].id || tm[i].due > now || tm[i].seq >= limit)
				continue;
			if (pick < 0 || tm[i].due < tm[pick].due ||
			    (tm[i].due == tm[pick].due && tm[i].seq < tm[pick].seq))
				pick = i;
		}
		if (pick < 0)
			return;
		struct timer t = tm[pick];

		tm[pick].id = 0;
		t.fn(t.arg, t.a, t.b);
	}
}
