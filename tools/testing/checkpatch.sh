#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict --no-tree on every file under drivers/ and include/.
# Prints "PASS|FAIL: checkpatch/<file>". LINUX_VERSION_CODE is allowed only
# in the compat header, which is where every version check must live.
set -u
. "$(dirname "$0")/lib.sh"

src=$("$QISOCK_TOP/tools/testing/linux-source.sh") ||
	{ result FAIL checkpatch/setup "no kernel source tree (make deps)"; exit 1; }
cp=$src/scripts/checkpatch.pl

cd "$QISOCK_TOP" || exit 1
# the project's files only: an in-tree `make` leaves *.mod.c behind
mapfile -t files < <(git ls-files --cached --others --exclude-standard \
	-- drivers include 2>/dev/null |
	grep -E '(\.[ch]|/Kconfig|/Makefile|/Kbuild)$' | sort)
if [ ${#files[@]} -eq 0 ]; then
	result SKIP checkpatch "no files under drivers/ or include/"
	exit 0
fi

rc=0
for f in "${files[@]}"; do
	extra=()
	[ "$(basename "$f")" = qisock_compat.h ] && extra=(--ignore LINUX_VERSION_CODE)
	# TRACE_EVENT() bodies follow the kernel's trace-header layout
	# (include/trace/events/), which checkpatch does not parse.
	[ "$(basename "$f")" = qisock_trace.h ] &&
		extra=(--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT)
	out=$(perl "$cp" --no-tree --strict --terse --show-types --color=never \
		"${extra[@]}" -f "$f" 2>&1)
	if echo "$out" | grep -q -E ': (ERROR|WARNING|CHECK):'; then
		result FAIL "checkpatch/$f"
		echo "$out" | grep -E ': (ERROR|WARNING|CHECK):' | head -n 40 | sed 's/^/    | /'
		rc=1
	else
		result PASS "checkpatch/$f"
	fi
done
exit $rc
