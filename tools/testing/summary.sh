#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Count the result lines ("PASS: x", "FAIL: x", "SKIP: x (why)") in a log
# (or stdin) and print totals per group, the failures, and last exactly
# "N passed, N failed" (", N skipped" when any were skipped).
# Exits 1 when anything failed or nothing ran at all.
set -u
log=${1:--}

tr -d '\r' <"$( [ "$log" = - ] && echo /dev/stdin || echo "$log")" |
	sed 's/\x1b\[[0-9;]*m//g' |
	awk '
/^(PASS|FAIL|SKIP): / {
	st = substr($1, 1, 4); name = $2
	group = name; sub(/\/.*/, "", group)
	if (!(group in seen)) { seen[group] = 1; order[++ngroups] = group }
	count[group, st]++; total[st]++
	if (st == "FAIL") failed[++nfail] = substr($0, 7)
}
END {
	print ""
	print "==== summary ===="
	for (i = 1; i <= ngroups; i++) {
		g = order[i]
		printf "  %-12s %4d passed, %4d failed, %4d skipped\n", g,
		       count[g, "PASS"], count[g, "FAIL"], count[g, "SKIP"]
	}
	if (nfail) {
		print "failed:"
		for (i = 1; i <= nfail; i++)
			print "  " failed[i]
	}
	line = sprintf("%d passed, %d failed", total["PASS"], total["FAIL"])
	if (total["SKIP"])
		line = line sprintf(", %d skipped", total["SKIP"])
	print line
	exit (total["FAIL"] > 0 || total["PASS"] == 0)
}'
