/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qisock tracepoints: the AT conversation as the driver sees it, for a
 * person on a live board (trace-cmd record -e qisock, or
 * /sys/kernel/tracing/events/qisock/). Command lines and URCs are traced
 * as they are; a command that carries a secret must not be traced whole
 * (none does yet). Binary data is traced by length only.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM qisock

#if !defined(_QISOCK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _QISOCK_TRACE_H

#include <linux/device.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#ifndef QISOCK_TRACE_ONCE
#define QISOCK_TRACE_ONCE
/* The device name, or "-" (KUnit's engines have none). */
static inline const char *qisock_trace_dev(const struct device *dev)
{
	return dev ? dev_name(dev) : "-";
}
#endif

DECLARE_EVENT_CLASS(qisock_text,
	TP_PROTO(const struct device *dev, const char *text, unsigned int len),
	TP_ARGS(dev, text, len),
	TP_STRUCT__entry(
		__array(char, dev, 16)
		__dynamic_array(char, text, len + 1)
	),
	TP_fast_assign(
		strscpy(__entry->dev, qisock_trace_dev(dev), sizeof(__entry->dev));
		memcpy(__get_dynamic_array(text), text, len);
		((char *)__get_dynamic_array(text))[len] = '\0';
	),
	TP_printk("%s %s", __entry->dev, (char *)__get_dynamic_array(text))
);

/* A command line goes to the transport (without its CR). */
DEFINE_EVENT(qisock_text, qisock_cmd_tx,
	TP_PROTO(const struct device *dev, const char *text, unsigned int len),
	TP_ARGS(dev, text, len)
);

/* An unsolicited result code reaches the driver's URC handling. */
DEFINE_EVENT(qisock_text, qisock_urc,
	TP_PROTO(const struct device *dev, const char *text, unsigned int len),
	TP_ARGS(dev, text, len)
);

/* A command has its outcome: errno (0 or negative) and result code. */
TRACE_EVENT(qisock_cmd_done,
	TP_PROTO(const struct device *dev, const char *line, unsigned int len,
		 int status, const char *result),
	TP_ARGS(dev, line, len, status, result),
	TP_STRUCT__entry(
		__array(char, dev, 16)
		__array(char, result, 16)
		__field(int, status)
		__dynamic_array(char, line, len + 1)
	),
	TP_fast_assign(
		strscpy(__entry->dev, qisock_trace_dev(dev), sizeof(__entry->dev));
		strscpy(__entry->result, result, sizeof(__entry->result));
		__entry->status = status;
		memcpy(__get_dynamic_array(line), line, len);
		((char *)__get_dynamic_array(line))[len] = '\0';
	),
	TP_printk("%s %s -> %d %s", __entry->dev,
		  (char *)__get_dynamic_array(line), __entry->status,
		  __entry->result)
);

/* A part of a binary block: to the command, a direct push, or dropped. */
TRACE_EVENT(qisock_data,
	TP_PROTO(const struct device *dev, const char *owner, unsigned int len,
		 bool last),
	TP_ARGS(dev, owner, len, last),
	TP_STRUCT__entry(
		__array(char, dev, 16)
		__array(char, owner, 8)
		__field(unsigned int, len)
		__field(bool, last)
	),
	TP_fast_assign(
		strscpy(__entry->dev, qisock_trace_dev(dev), sizeof(__entry->dev));
		strscpy(__entry->owner, owner, sizeof(__entry->owner));
		__entry->len = len;
		__entry->last = last;
	),
	TP_printk("%s %s %u bytes%s", __entry->dev, __entry->owner,
		  __entry->len, __entry->last ? " (end)" : "")
);

/* The resync changes state (qisock_resync.h). */
TRACE_EVENT(qisock_resync,
	TP_PROTO(const struct device *dev, const char *from, const char *to),
	TP_ARGS(dev, from, to),
	TP_STRUCT__entry(
		__array(char, dev, 16)
		__array(char, from, 8)
		__array(char, to, 8)
	),
	TP_fast_assign(
		strscpy(__entry->dev, qisock_trace_dev(dev), sizeof(__entry->dev));
		strscpy(__entry->from, from, sizeof(__entry->from));
		strscpy(__entry->to, to, sizeof(__entry->to));
	),
	TP_printk("%s %s -> %s", __entry->dev, __entry->from, __entry->to)
);

#endif /* _QISOCK_TRACE_H */

/* Out of the kernel's include path: the header is found next to us. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE qisock_trace
#include <trace/define_trace.h>
