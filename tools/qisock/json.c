// SPDX-License-Identifier: GPL-2.0
/*
 * qisock CLI: one emitter for the show commands. With -j it writes one
 * JSON document (strings escaped per RFC 8259); without, indented
 * "key: value" lines under headings, as mmcli does.
 */
#include <stdio.h>
#include <string.h>

#include "qisock.h"

#define QISOCK_OUT_DEPTH	8

/* One open container: is it an array, has it had a member yet. */
static struct {
	int array;
	int members;
} qisock_out_stack[QISOCK_OUT_DEPTH];
static int qisock_out_depth;

/* Length of the valid UTF-8 sequence at @p (2-4), or 0. */
static int qisock_utf8_len(const unsigned char *p)
{
	int n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, surrogates or code points past U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

/*
 * @s as a JSON string: quotes, backslashes and control characters
 * escaped, valid UTF-8 as it is, any other byte as U+FFFD.
 */
void qisock_json_string(const char *s)
{
	static const char *const esc[0x20] = {
		['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n",
		['\r'] = "\\r", ['\t'] = "\\t",
	};
	const unsigned char *p = (const unsigned char *)s;
	int n;

	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\') {
			putchar('\\');
			putchar(*p);
		} else if (*p < 0x20 && esc[*p]) {
			fputs(esc[*p], stdout);
		} else if (*p < 0x20 || *p == 0x7f) {
			printf("\\u%04x", *p);
		} else if (*p < 0x80) {
			putchar(*p);
		} else if ((n = qisock_utf8_len(p))) {
			fwrite(p, 1, n, stdout);
			p += n - 1;
		} else {
			fputs("\\ufffd", stdout);
		}
	}
	putchar('"');
}

/* JSON: the comma and the key of a new member. */
static void qisock_json_member(const char *key)
{
	int d = qisock_out_depth - 1;

	if (qisock_out_stack[d].members++)
		putchar(',');
	if (!qisock_out_stack[d].array) {
		qisock_json_string(key);
		putchar(':');
	}
}

static void qisock_out_push(int array)
{
	if (qisock_out_depth >= QISOCK_OUT_DEPTH)
		qisock_die("internal error: output nested too deep");
	qisock_out_stack[qisock_out_depth].array = array;
	qisock_out_stack[qisock_out_depth].members = 0;
	qisock_out_depth++;
}

static void qisock_plain_indent(void)
{
	printf("%*s", 2 * (qisock_out_depth - 1), "");
}

void qisock_out_begin(const char *title)
{
	qisock_out_depth = 0;
	qisock_out_push(0);
	if (qisock_opt.json)
		putchar('{');
	else if (title)
		printf("%s\n", title);
}

void qisock_out_end(void)
{
	if (qisock_opt.json)
		puts("}");
	qisock_out_depth = 0;
	fflush(stdout);
}

void qisock_out_obj(const char *key, const char *title)
{
	if (qisock_opt.json) {
		qisock_json_member(key);
		putchar('{');
	} else {
		qisock_plain_indent();
		printf("%s\n", title ? title : key);
	}
	qisock_out_push(0);
}

void qisock_out_obj_end(void)
{
	qisock_out_depth--;
	if (qisock_opt.json)
		putchar('}');
}

/* Plain: an array is its @title (if any) and its elements indented. */
void qisock_out_arr(const char *key, const char *title)
{
	if (qisock_opt.json) {
		qisock_json_member(key);
		putchar('[');
	} else if (title) {
		qisock_plain_indent();
		printf("%s\n", title);
	}
	qisock_out_push(1);
}

void qisock_out_arr_end(void)
{
	qisock_out_depth--;
	if (qisock_opt.json)
		putchar(']');
}

static void qisock_plain_key(const char *key)
{
	char label[64];

	snprintf(label, sizeof(label), "%s:", key);
	qisock_plain_indent();
	printf("%-16s ", label);
}

void qisock_out_str(const char *key, const char *val)
{
	if (qisock_opt.json) {
		qisock_json_member(key);
		qisock_json_string(val);
	} else {
		qisock_plain_key(key);
		printf("%s\n", *val ? val : "--");
	}
}

void qisock_out_num(const char *key, long long val)
{
	if (qisock_opt.json)
		qisock_json_member(key);
	else
		qisock_plain_key(key);
	printf(qisock_opt.json ? "%lld" : "%lld\n", val);
}

void qisock_out_bool(const char *key, int val)
{
	if (qisock_opt.json) {
		qisock_json_member(key);
		fputs(val ? "true" : "false", stdout);
	} else {
		qisock_plain_key(key);
		puts(val ? "yes" : "no");
	}
}

/* A value that could not be read: null, or "--" in plain text. */
void qisock_out_null(const char *key)
{
	if (qisock_opt.json) {
		qisock_json_member(key);
		fputs("null", stdout);
	} else {
		qisock_plain_key(key);
		puts("--");
	}
}
