// SPDX-License-Identifier: GPL-2.0
/* qisock-sim: stub */
#include "sim.h"

void cmd_ato(void)
{
	at_final("NO CARRIER");
}

const struct cmd_def cmd_sock_tab[] = {
	{ NULL, NULL, 0, false }
};
