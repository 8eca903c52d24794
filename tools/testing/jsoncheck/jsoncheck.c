// SPDX-License-Identifier: GPL-2.0
/*
 * jsoncheck: a strict RFC 8259 JSON checker for the QEMU guest, which has
 * busybox only. A recursive-descent parser over all of stdin: exactly one
 * value, optional white space around it.
 *
 *   jsoncheck < doc            exit 0 valid, 1 invalid (offset and why)
 *   jsoncheck PATH < doc       and print the value at PATH, e.g.
 *                              .general.model or .sockets.2.state:
 *                              a string unescaped, another scalar as it
 *                              is written, "object"/"array" for those;
 *                              exit 3 when there is no such value
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JC_MAX_INPUT	(1 << 20)
#define JC_MAX_DEPTH	64
#define JC_MAX_PATH	16

static char jc_in[JC_MAX_INPUT + 1];
static size_t jc_len, jc_pos;
static char *jc_path[JC_MAX_PATH];
static int jc_npath = -1;		/* -1: no query */
static int jc_found;

static void jc_fail(const char *why)
{
	fprintf(stderr, "jsoncheck: invalid JSON at offset %zu: %s\n", jc_pos, why);
	exit(1);
}

static int jc_peek(void)
{
	return jc_pos < jc_len ? (unsigned char)jc_in[jc_pos] : -1;
}

static void jc_ws(void)
{
	while (jc_pos < jc_len && strchr(" \t\r\n", jc_in[jc_pos]))
		jc_pos++;
}

static void jc_expect(char c, const char *why)
{
	if (jc_peek() != c)
		jc_fail(why);
	jc_pos++;
}

static void jc_literal(const char *word)
{
	size_t n = strlen(word);

	if (jc_len - jc_pos < n || memcmp(jc_in + jc_pos, word, n))
		jc_fail("bad literal");
	jc_pos += n;
}

static int jc_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void jc_put_utf8(char **o, unsigned int cp)
{
	unsigned char *p = (unsigned char *)*o;

	if (cp < 0x80) {
		*p++ = cp;
	} else if (cp < 0x800) {
		*p++ = 0xc0 | cp >> 6;
		*p++ = 0x80 | (cp & 0x3f);
	} else {
		*p++ = 0xe0 | cp >> 12;
		*p++ = 0x80 | (cp >> 6 & 0x3f);
		*p++ = 0x80 | (cp & 0x3f);
	}
	*o = (char *)p;
}

/*
 * A string; its unescaped text in @out (at least as long as the input)
 * when @out is not NULL. Surrogate pairs are checked, not decoded.
 */
static void jc_string(char *out)
{
	int c, i, h;
	unsigned int cp;

	jc_expect('"', "expected a string");
	for (;;) {
		c = jc_peek();
		if (c < 0)
			jc_fail("unterminated string");
		jc_pos++;
		if (c == '"')
			break;
		if (c < 0x20)
			jc_fail("control character in a string");
		if (c != '\\') {
			if (out)
				*out++ = (char)c;
			continue;
		}
		c = jc_peek();
		jc_pos++;
		if (c >= 0 && strchr("\"\\/bfnrt", c)) {
			if (out)
				*out++ = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' :
					 c == 'r' ? '\r' : c == 't' ? '\t' : (char)c;
			continue;
		}
		if (c != 'u')
			jc_fail("bad escape");
		for (cp = 0, i = 0; i < 4; i++) {
			h = jc_hex(jc_peek());
			if (h < 0)
				jc_fail("bad \\u escape");
			cp = cp << 4 | h;
			jc_pos++;
		}
		if (out)
			jc_put_utf8(&out, cp);
	}
	if (out)
		*out = 0;
}

static void jc_digits(void)
{
	int c = jc_peek();

	if (c < '0' || c > '9')
		jc_fail("expected a digit");
	while ((c = jc_peek()) >= '0' && c <= '9')
		jc_pos++;
}

static void jc_number(void)
{
	if (jc_peek() == '-')
		jc_pos++;
	if (jc_peek() == '0')
		jc_pos++;	/* no leading zeros */
	else
		jc_digits();
	if (jc_peek() == '.') {
		jc_pos++;
		jc_digits();
	}
	if (jc_peek() == 'e' || jc_peek() == 'E') {
		jc_pos++;
		if (jc_peek() == '+' || jc_peek() == '-')
			jc_pos++;
		jc_digits();
	}
}

static void jc_value(int depth, int matched);

/* Does member/element @name continue the query matched to @matched? */
static int jc_next(int matched, const char *name)
{
	if (matched < 0 || matched >= jc_npath)
		return -1;
	return strcmp(jc_path[matched], name) ? -1 : matched + 1;
}

static void jc_object(int depth, int matched)
{
	char *key;

	jc_expect('{', "expected an object");
	jc_ws();
	if (jc_peek() == '}') {
		jc_pos++;
		return;
	}
	key = malloc(jc_len + 1);
	if (!key)
		exit(1);
	for (;;) {
		jc_ws();
		jc_string(key);
		jc_ws();
		jc_expect(':', "expected ':'");
		jc_value(depth + 1, jc_next(matched, key));
		jc_ws();
		if (jc_peek() == ',') {
			jc_pos++;
			continue;
		}
		jc_expect('}', "expected ',' or '}'");
		break;
	}
	free(key);
}

static void jc_array(int depth, int matched)
{
	char idx[24];
	int i = 0;

	jc_expect('[', "expected an array");
	jc_ws();
	if (jc_peek() == ']') {
		jc_pos++;
		return;
	}
	for (;;) {
		snprintf(idx, sizeof(idx), "%d", i++);
		jc_value(depth + 1, jc_next(matched, idx));
		jc_ws();
		if (jc_peek() == ',') {
			jc_pos++;
			continue;
		}
		jc_expect(']', "expected ',' or ']'");
		break;
	}
}

/* A scalar or container at the end of the query: print it. */
static void jc_report(size_t start, int kind)
{
	char *s;

	jc_found = 1;
	if (kind == '{' || kind == '[') {
		puts(kind == '{' ? "object" : "array");
		return;
	}
	if (kind != '"') {
		printf("%.*s\n", (int)(jc_pos - start), jc_in + start);
		return;
	}
	s = malloc(jc_len + 1);
	if (!s)
		exit(1);
	jc_pos = start;
	jc_string(s);
	puts(s);
	free(s);
}

static void jc_value(int depth, int matched)
{
	size_t start;
	int c;

	if (depth > JC_MAX_DEPTH)
		jc_fail("nested too deep");
	jc_ws();
	start = jc_pos;
	c = jc_peek();
	if (c == '{')
		jc_object(depth, matched);
	else if (c == '[')
		jc_array(depth, matched);
	else if (c == '"')
		jc_string(NULL);
	else if (c == 't')
		jc_literal("true");
	else if (c == 'f')
		jc_literal("false");
	else if (c == 'n')
		jc_literal("null");
	else if (c == '-' || (c >= '0' && c <= '9'))
		jc_number();
	else
		jc_fail("expected a value");
	if (matched >= 0 && matched == jc_npath && !jc_found)
		jc_report(start, c);
}

/* ".a.0.b" -> { "a", "0", "b" }; "." is the whole document. */
static void jc_parse_path(char *p)
{
	char *tok;

	jc_npath = 0;
	for (tok = strtok(p, "."); tok; tok = strtok(NULL, ".")) {
		if (jc_npath == JC_MAX_PATH) {
			fprintf(stderr, "jsoncheck: path too long\n");
			exit(2);
		}
		jc_path[jc_npath++] = tok;
	}
}

int main(int argc, char **argv)
{
	size_t n;

	if (argc > 2 || (argc == 2 && argv[1][0] != '.')) {
		fprintf(stderr, "usage: jsoncheck [.PATH] < document\n");
		return 2;
	}
	if (argc == 2)
		jc_parse_path(strdup(argv[1]));
	while ((n = fread(jc_in + jc_len, 1, JC_MAX_INPUT - jc_len, stdin)) > 0)
		jc_len += n;
	if (jc_len == JC_MAX_INPUT) {
		fprintf(stderr, "jsoncheck: input larger than %d bytes\n", JC_MAX_INPUT);
		return 1;
	}
	if (memchr(jc_in, 0, jc_len))
		jc_fail("NUL byte in the input");
	jc_value(0, jc_npath >= 0 ? 0 : -1);
	jc_ws();
	if (jc_pos != jc_len)
		jc_fail("text after the value");
	if (jc_npath >= 0 && !jc_found) {
		fprintf(stderr, "jsoncheck: no value at %s\n", argv[1]);
		return 3;
	}
	return 0;
}
