// SPDX-License-Identifier: GPL-2.0
/* qisock-sim: stub */
#include "sim.h"

const struct cmd_def cmd_misc_tab[] = {
	{ NULL, NULL, 0, false }
};
