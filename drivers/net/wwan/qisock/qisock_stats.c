// SPDX-License-Identifier: GPL-2.0
/*
 * qisock counters in sysfs: /sys/class/qisock/qisock<M>/stats/, one file
 * per counter of the AT engine (struct qat_stats) and of the byte parser
 * (struct qp_stats). Read-only; each file is one decimal number.
 *
 * The counters are u32 written under the engine's rx_mutex or lock; a
 * reader takes neither and reads each one with READ_ONCE(): a value may be
 * a moment old, never torn.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include "qisock.h"

/**
 * struct qisock_stat_attr - a counter file.
 * @attr: the sysfs attribute.
 * @parser: the counter is in the parser's struct qp_stats, else in the
 *	engine's struct qat_stats.
 * @off: its offset in that struct.
 */
struct qisock_stat_attr {
	struct device_attribute attr;
	bool parser;
	size_t off;
};

static ssize_t qisock_stat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct qisock_stat_attr *sa =
		container_of(attr, struct qisock_stat_attr, attr);
	struct qisock_dev *qd = container_of(dev, struct qisock_dev, dev);
	const void *base = sa->parser ? (const void *)&qd->eng.parser.st :
					(const void *)&qd->eng.st;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*(const u32 *)(base + sa->off)));
}

#define QISOCK_STAT(_name, _parser, _type, _field)			\
	static struct qisock_stat_attr qisock_stat_##_name = {		\
		.attr	= __ATTR(_name, 0444, qisock_stat_show, NULL),	\
		.parser	= _parser,					\
		.off	= offsetof(_type, _field),			\
	}
#define QISOCK_ENG_STAT(_name, _field)					\
	QISOCK_STAT(_name, false, struct qat_stats, _field)
#define QISOCK_PARSER_STAT(_name, _field)				\
	QISOCK_STAT(_name, true, struct qp_stats, _field)

/* The engine: commands and their outcomes, recovery, the line. */
QISOCK_ENG_STAT(commands, cmds);
QISOCK_ENG_STAT(timeouts, timeouts);
QISOCK_ENG_STAT(resyncs, resyncs);
QISOCK_ENG_STAT(resync_probes, rs_probes);
QISOCK_ENG_STAT(uart_errors, rx_errors);
QISOCK_ENG_STAT(rx_dropped, rx_dropped);
QISOCK_ENG_STAT(late, late);
QISOCK_ENG_STAT(late_results, late_lines);
QISOCK_ENG_STAT(late_results_lost, late_lost);
QISOCK_ENG_STAT(stray_finals, stray_final);
QISOCK_ENG_STAT(stray_lines, stray_info);
QISOCK_ENG_STAT(stray_prompts, stray_prompt);
QISOCK_ENG_STAT(echoes, echo);
QISOCK_ENG_STAT(urcs, urcs);
QISOCK_ENG_STAT(push_bytes, push_bytes);
QISOCK_ENG_STAT(protocol_errors, proto_err);
QISOCK_ENG_STAT(qigeterror, qierr);
QISOCK_ENG_STAT(svc_stray, svc_stray);
QISOCK_ENG_STAT(svc_malformed, svc_bad);
QISOCK_ENG_STAT(silent_resyncs, silent);
QISOCK_ENG_STAT(wakeups, wakeups);
QISOCK_ENG_STAT(wake_retries, wake_retries);
QISOCK_ENG_STAT(reboots, reboots);
/* The parser: what came over the line. */
QISOCK_PARSER_STAT(lines, lines);
QISOCK_PARSER_STAT(overlong_lines, overlong);
QISOCK_PARSER_STAT(garbage_lines, garbage);
QISOCK_PARSER_STAT(prompts, prompts);
QISOCK_PARSER_STAT(blocks, blocks);
QISOCK_PARSER_STAT(block_bytes, block_bytes);

static struct attribute *qisock_stats_attrs[] = {
	&qisock_stat_commands.attr.attr,
	&qisock_stat_timeouts.attr.attr,
	&qisock_stat_resyncs.attr.attr,
	&qisock_stat_resync_probes.attr.attr,
	&qisock_stat_uart_errors.attr.attr,
	&qisock_stat_rx_dropped.attr.attr,
	&qisock_stat_late.attr.attr,
	&qisock_stat_late_results.attr.attr,
	&qisock_stat_late_results_lost.attr.attr,
	&qisock_stat_stray_finals.attr.attr,
	&qisock_stat_stray_lines.attr.attr,
	&qisock_stat_stray_prompts.attr.attr,
	&qisock_stat_echoes.attr.attr,
	&qisock_stat_urcs.attr.attr,
	&qisock_stat_push_bytes.attr.attr,
	&qisock_stat_protocol_errors.attr.attr,
	&qisock_stat_qigeterror.attr.attr,
	&qisock_stat_svc_stray.attr.attr,
	&qisock_stat_svc_malformed.attr.attr,
	&qisock_stat_silent_resyncs.attr.attr,
	&qisock_stat_wakeups.attr.attr,
	&qisock_stat_wake_retries.attr.attr,
	&qisock_stat_reboots.attr.attr,
	&qisock_stat_lines.attr.attr,
	&qisock_stat_overlong_lines.attr.attr,
	&qisock_stat_garbage_lines.attr.attr,
	&qisock_stat_prompts.attr.attr,
	&qisock_stat_blocks.attr.attr,
	&qisock_stat_block_bytes.attr.attr,
	NULL
};

const struct attribute_group qisock_stats_group = {
	.name	= "stats",
	.attrs	= qisock_stats_attrs,
};
