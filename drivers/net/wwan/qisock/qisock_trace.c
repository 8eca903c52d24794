// SPDX-License-Identifier: GPL-2.0
/*
 * qisock tracepoints: their one definition (the events are described in
 * qisock_trace.h).
 */
#define CREATE_TRACE_POINTS
#include "qisock_trace.h"
