// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: AT parameter lists: a,"b,c",,d -> four parameters, quotes
 * removed, empty ones marked absent.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"

/* returns number of parameters, -1 on syntax error (unterminated quote) */
int params_parse(const char *s, struct params *out)
{
	char *w = out->store, *end = out->store + sizeof(out->store) - 1;

	memset(out->p, 0, sizeof(out->p));
	out->n = 0;
	out->raw = s;
	if (!s || !*s)
		return 0;
	for (;;) {
		struct param *p;
		const char *st;

		if (out->n >= MAX_PARAMS)
			return -1;
		p = &out->p[out->n++];
		while (*s == ' ')
			s++;
		p->s = w;
		if (*s == '"') {
			s++;
			st = s;
			while (*s && *s != '"')
				s++;
			if (*s != '"')
				return -1;
			if (w + (s - st) >= end)
				return -1;
			memcpy(w, st, s - st);
			w += s - st;
			s++;
			p->quoted = true;
			p->present = true;
			while (*s == ' ')
				s++;
			if (*s && *s != ',')
				return -1;
		} else {
			st = s;
			while (*s && *s != ',')
				s++;
			const char *e = s;

			while (e > st && e[-1] == ' ')
				e--;
			if (w + (e - st) >= end)
				return -1;
			memcpy(w, st, e - st);
			w += e - st;
			p->present = e > st;
		}
		p->len = w - p->s;
		*w++ = 0;
		if (*s != ',')
			break;
		s++;
	}
	return out->n;
}

bool p_has(const struct params *ps, int i)
{
	return i < ps->n && ps->p[i].present;
}

static int to_long(const struct param *p, long *v)
{
	const char *s = p->s;
	char *e;

	if (p->quoted || !p->len)
		return -1;
	if (!isdigit((unsigned char)s[0]) && !(s[0] == '-' && isdigit((unsigned char)s[1])))
		return -1;
	*v = strtol(s, &e, 10);
	return *e ? -1 : 0;
}

int p_int(const struct params *ps, int i, long min, long max, long *v)
{
	long x;

	if (!p_has(ps, i) || to_long(&ps->p[i], &x) < 0 || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

int p_int_def(const struct params *ps, int i, long min, long max, long def,
	      long *v)
{
	if (!p_has(ps, i)) {
		*v = def;
		return 0;
	}
	return p_int(ps, i, min, max, v);
}

const char *p_str(const struct params *ps, int i)
{
	return i < ps->n ? ps->p[i].s : "";
}
