// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: per-model tables (identification, ranges, limits) and the
 * <err> code descriptions of both seeds (chapter 4 / chapter 3).
 */
#include <string.h>
#include <strings.h>
#include "sim.h"

static const struct model models[] = {
	{ "ec200u", "EC200U", "EC200UCNAAR02A01M08", "869537050012344",
	  D_EC200U, 12, 7, 0, 1500, 1460 },
	{ "eg915u", "EG915U", "EG915UEUABR03A01M08", "869537050022343",
	  D_EC200U, 12, 7, 0, 1500, 1460 },
	{ "bc66", "BC66", "BC66NBR01A10", "867660040012349",
	  D_BC66, 5, 3, 1, 512, 1460 },
	{ "bc66-na", "BC66-NA", "BC66NANBR01A05", "867660040022348",
	  D_BC66, 5, 3, 1, 512, 1460 },
};

const struct model *mdl;

const struct model *model_find(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (!strcasecmp(models[i].key, key) ||
		    !strcasecmp(models[i].name, key))
			return &models[i];
	return NULL;
}

struct errdesc {
	int code;
	const char *ec;	/* EC200U/EG915U wording */
	const char *bc;	/* BC66/BC66-NA wording */
};

static const struct errdesc errs[] = {
	{ 0, "operation success", "operation successful" },
	{ 550, "unknown error", NULL },
	{ 551, "operation blocked", NULL },
	{ 552, "invalid parameters", NULL },
	{ 553, "memory not enough", NULL },
	{ 554, "socket creation failed", "create socket failed" },
	{ 555, "operation not supported", NULL },
	{ 556, "socket bind failed", NULL },
	{ 557, "socket listen failed", NULL },
	{ 558, "socket write failed", NULL },
	{ 559, "socket read failed", NULL },
	{ 560, "socket accept failed", NULL },
	{ 561, "pdp context opening failed", "open pdp context failed" },
	{ 562, "pdp context closure failed", "close pdp context failed" },
	{ 563, "socket identity has been used", NULL },
	{ 564, "dns busy", NULL },
	{ 565, "dns parse failed", NULL },
	{ 566, "socket connect failed", "socket connection failed" },
	{ 567, "socket has been closed", NULL },
	{ 568, "operation busy", NULL },
	{ 569, "operation timeout", NULL },
	{ 570, "pdp context broken down", NULL },
	{ 571, "cancel sending", "cancel send" },
	{ 572, "operation not allowed", NULL },
	{ 573, "apn not configured", NULL },
	{ 574, "port busy", NULL },
};

const char *err_desc(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errs); i++)
		if (errs[i].code == err)
			return (IS_BC && errs[i].bc) ? errs[i].bc : errs[i].ec;
	return "unknown error";
}
