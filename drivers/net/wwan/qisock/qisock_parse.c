// SPDX-License-Identifier: GPL-2.0
/*
 * qisock byte parser. See qisock_parse.h for the framing rules.
 *
 * Deliberately free of kernel API: it is fed from the tty receive path in
 * the kernel and from test programs in user space.
 */
#ifdef __KERNEL__
#include "qisock_compat.h"	/* EXPORT_SYMBOL_IF_KUNIT() */
#else
/* built into a test program: nothing to export */
#include <assert.h>
#define EXPORT_SYMBOL_IF_KUNIT(sym) static_assert(1, #sym)
#endif
#include "qisock_parse.h"

enum {
	QP_S_LINE,	/* collecting a line */
	QP_S_DISCARD,	/* dropping an overlong line up to its LF */
	QP_S_PROMPT,	/* just saw '>': swallow one space */
	QP_S_BLOCK,	/* binary block, block_left bytes to go */
};

/* Lines every dialect shares: final results, echo, the universal URCs. */
const struct qp_entry qisock_parse_common_lines[] = {
	{ "OK",			QP_OK,		QP_M_EXACT | QP_M_ICASE },
	{ "ERROR",		QP_ERROR,	QP_M_EXACT | QP_M_ICASE },
	{ "+CME ERROR:",	QP_CME_ERROR,	QP_M_PREFIX },
	{ "+CMS ERROR:",	QP_CMS_ERROR,	QP_M_PREFIX },
	{ "SEND OK",		QP_SEND_OK,	QP_M_EXACT },
	{ "SEND FAIL",		QP_SEND_FAIL,	QP_M_EXACT },
	{ "CLOSE OK",		QP_CLOSE_OK,	QP_M_EXACT },
	{ "CONNECT",		QP_CONNECT,	QP_M_WORD },
	{ "NO CARRIER",		QP_NO_CARRIER,	QP_M_EXACT },
	{ "RDY",		QP_URC_RDY,	QP_M_EXACT },
	{ "AT",			QP_ECHO,	QP_M_PREFIX | QP_M_ICASE },
	{ "+QIURC: \"recv\",",	QP_URC_RECV,	QP_M_PREFIX },
	{ "+QIURC: \"closed\",", QP_URC_CLOSED,	QP_M_PREFIX },
	{ "+QIURC: \"dnsgip\",", QP_URC_DNSGIP,	QP_M_PREFIX },
	{ "+QIURC:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+QIOPEN:",		QP_URC_QIOPEN,	QP_M_PREFIX },
	{ "+QPING:",		QP_URC_QPING,	QP_M_PREFIX },
	{ "+CPIN:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+CFUN:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+QIND:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+CEREG:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+CGREG:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+CREG:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+CGEV:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+QUSIM:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+CTZV:",		QP_URC_OTHER,	QP_M_PREFIX },
	{ "+QATWAKEUP",		QP_URC_OTHER,	QP_M_WORD },
	{ "POWERED DOWN",	QP_URC_OTHER,	QP_M_EXACT },
	{ NULL, 0, 0 }
};
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_common_lines);

static const char * const qp_names[QP_CODE_COUNT] = {
	[QP_INFO]		= "INFO",
	[QP_ECHO]		= "ECHO",
	[QP_OK]			= "OK",
	[QP_ERROR]		= "ERROR",
	[QP_CME_ERROR]		= "CME_ERROR",
	[QP_CMS_ERROR]		= "CMS_ERROR",
	[QP_SEND_OK]		= "SEND_OK",
	[QP_SEND_FAIL]		= "SEND_FAIL",
	[QP_CLOSE_OK]		= "CLOSE_OK",
	[QP_CONNECT]		= "CONNECT",
	[QP_NO_CARRIER]		= "NO_CARRIER",
	[QP_URC_RECV]		= "RECV",
	[QP_URC_BUFF_FULL]	= "BUFF_FULL",
	[QP_URC_CLOSED]		= "CLOSED",
	[QP_URC_INCOMING]	= "INCOMING",
	[QP_URC_INCOMING_FULL]	= "INCOMING_FULL",
	[QP_URC_PDPDEACT]	= "PDPDEACT",
	[QP_URC_DNSGIP]		= "DNSGIP",
	[QP_URC_QIOPEN]		= "QIOPEN",
	[QP_URC_QIACTEX]	= "QIACTEX",
	[QP_URC_QIDEACTEX]	= "QIDEACTEX",
	[QP_URC_QPING]		= "QPING",
	[QP_URC_QNTP]		= "QNTP",
	[QP_URC_RDY]		= "RDY",
	[QP_URC_IP]		= "IP",
	[QP_URC_OTHER]		= "URC",
};

const char *qisock_parse_code_name(unsigned int code)
{
	return code < QP_CODE_COUNT ? qp_names[code] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_code_name);

static char qp_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static u16 qp_skip_spaces(const char *t, u16 len, u16 i)
{
	while (i < len && t[i] == ' ')
		i++;
	return i;
}

/* Offset of the arguments after @pat in @t, or -1 if @t does not match. */
static int qp_match(const char *pat, u8 flags, const char *t, u16 len)
{
	u16 i = 0;

	for (; *pat; pat++) {
		char a, b;

		if (*pat == ' ') {
			i = qp_skip_spaces(t, len, i);
			continue;
		}
		if (i >= len)
			return -1;
		a = t[i];
		b = *pat;
		if (flags & QP_M_ICASE) {
			a = qp_lower(a);
			b = qp_lower(b);
		}
		if (a != b)
			return -1;
		i++;
	}
	if (flags & QP_M_EXACT)
		return qp_skip_spaces(t, len, i) == len ? len : -1;
	if ((flags & QP_M_WORD) && i < len && t[i] != ' ')
		return -1;
	return qp_skip_spaces(t, len, i);
}

/* Parse a decimal integer filling all of s[0..len). */
static bool qp_parse_int(const char *s, u16 len, s64 *out)
{
	bool neg = false;
	s64 v = 0;
	u16 i = 0;

	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (i == len || len - i > 18)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return true;
}

int qisock_parse_split_args(const char *s, u32 len, struct qp_arg *args, int max)
{
	u32 i = 0;
	int n = 0;

	if (len > QP_LINE_MAX)
		return -1;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len)
		return 0;
	for (;;) {
		struct qp_arg a = { 0 };
		u32 start, end;

		while (i < len && s[i] == ' ')
			i++;
		if (i < len && s[i] == '"') {
			start = ++i;
			while (i < len && s[i] != '"')
				i++;
			if (i == len)
				return -1;	/* unterminated string */
			end = i++;
			a.quoted = true;
			/* tolerate junk between the quote and the comma */
			while (i < len && s[i] != ',')
				i++;
		} else {
			start = i;
			while (i < len && s[i] != ',')
				i++;
			end = i;
			while (end > start && s[end - 1] == ' ')
				end--;
		}
		a.s = s + start;
		a.len = end - start;
		if (!a.quoted)
			a.is_int = qp_parse_int(a.s, a.len, &a.v);
		if (n < max)
			args[n] = a;
		n++;
		if (i >= len)
			break;
		i++;	/* the comma */
	}
	return n < max ? n : max;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_split_args);

int qisock_parse_line_args(const struct qp_line *line, struct qp_arg *args, int max)
{
	return qisock_parse_split_args(line->text + line->args, line->len - line->args,
			     args, max);
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_line_args);

bool qisock_parse_arg_is(const struct qp_arg *arg, const char *str)
{
	u16 i;

	for (i = 0; i < arg->len; i++)
		if (!str[i] || str[i] != arg->s[i])
			return false;
	return !str[i];
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_arg_is);

void qisock_parse_classify(const struct qp_entry *const *tables, const char *text,
			   u16 len, struct qp_line *line)
{
	const struct qp_entry *e;
	int off = -1;

	line->text = text;
	line->len = len;
	line->args = 0;
	line->code = QP_INFO;
	line->err = -1;

	for (; *tables && off < 0; tables++) {
		for (e = *tables; e->pat; e++) {
			off = qp_match(e->pat, e->flags, text, len);
			if (off >= 0) {
				line->code = e->code;
				line->args = off;
				break;
			}
		}
	}

	if (line->code == QP_INFO && len && text[0] == '+') {
		u16 i;

		/* "+NAME: args": point past the colon */
		for (i = 1; i < len && i < 32; i++) {
			if (text[i] == ':') {
				line->args = qp_skip_spaces(text, len, i + 1);
				break;
			}
		}
	} else if (line->code == QP_CME_ERROR || line->code == QP_CMS_ERROR) {
		s64 v;

		if (qp_parse_int(text + line->args, len - line->args, &v) &&
		    v >= 0 && v < 100000)
			line->err = (s32)v;
	} else if (line->code == QP_URC_RECV) {
		struct qp_arg a[2];

		if (qisock_parse_line_args(line, a, 2) == 2 && a[1].quoted &&
		    qisock_parse_arg_is(&a[1], "buff full"))
			line->code = QP_URC_BUFF_FULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_classify);

void qisock_parse_init(struct qp_parser *p, const struct qp_ops *ops, void *ctx,
		       const struct qp_entry *common)
{
	*p = (struct qp_parser){ .ops = ops, .ctx = ctx, .common = common };
	p->tables[0] = common;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_init);

void qisock_parse_set_dialect(struct qp_parser *p, const struct qp_entry *table)
{
	p->tables[0] = table ? table : p->common;
	p->tables[1] = table ? p->common : NULL;
	p->tables[2] = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_set_dialect);

void qisock_parse_reset(struct qp_parser *p)
{
	p->state = QP_S_LINE;
	p->len = 0;
	p->bad = false;
	p->block_left = 0;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_reset);

void qisock_parse_expect_block(struct qp_parser *p, u32 len)
{
	if (!len)
		return;
	p->state = QP_S_BLOCK;
	p->block_left = len;
	p->len = 0;
	p->bad = false;
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_expect_block);

bool qisock_parse_in_block(const struct qp_parser *p)
{
	return p->state == QP_S_BLOCK;
}

static void qp_end_line(struct qp_parser *p)
{
	struct qp_line line;
	u16 len = p->len;
	bool bad = p->bad;

	p->len = 0;
	p->bad = false;
	if (bad) {
		p->st.garbage++;
		return;
	}
	while (len && p->buf[len - 1] == ' ')
		len--;
	if (!len)
		return;
	p->buf[len] = '\0';
	qisock_parse_classify(p->tables, p->buf, len, &line);
	p->st.lines++;
	if (p->ops->line)
		p->ops->line(p->ctx, &line);
}

/* Line mode: consume bytes until the state changes or the input ends. */
static u32 qp_feed_line(struct qp_parser *p, const u8 *buf, u32 len)
{
	u32 i;

	for (i = 0; i < len && p->state == QP_S_LINE; i++) {
		u8 c = buf[i];

		if (c == '\n') {
			qp_end_line(p);	/* may enter block mode */
		} else if (c == '\r') {
			continue;
		} else if (c == '>' && !p->len && !p->bad) {
			p->state = QP_S_PROMPT;
			p->st.prompts++;
			if (p->ops->prompt)
				p->ops->prompt(p->ctx);
		} else if (p->len >= QP_LINE_MAX - 1) {
			p->st.overlong++;
			p->len = 0;
			p->bad = false;
			p->state = QP_S_DISCARD;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			/* leading noise ("\0RDY" after power-up) is skipped */
			if (p->len)
				p->bad = true;
		} else {
			p->buf[p->len++] = (char)c;
		}
	}
	return i;
}

void qisock_parse_feed(struct qp_parser *p, const u8 *buf, u32 len)
{
	u32 i = 0;

	while (i < len) {
		switch (p->state) {
		case QP_S_BLOCK: {
			u32 n = len - i;
			bool last;

			if (n > p->block_left)
				n = p->block_left;
			p->block_left -= n;
			last = !p->block_left;
			if (last) {
				p->state = QP_S_LINE;
				p->st.blocks++;
			}
			p->st.block_bytes += n;
			if (p->ops->data)
				p->ops->data(p->ctx, buf + i, n, last);
			i += n;
			break;
		}
		case QP_S_DISCARD:
			while (i < len && buf[i] != '\n')
				i++;
			if (i < len) {
				i++;
				p->state = QP_S_LINE;
			}
			break;
		case QP_S_PROMPT:
			p->state = QP_S_LINE;
			if (buf[i] == ' ')
				i++;
			break;
		default:
			i += qp_feed_line(p, buf + i, len - i);
			break;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(qisock_parse_feed);
