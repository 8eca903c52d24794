#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The selftests as a kernel tree runs them: tools/testing/selftests/qisock
# is copied into the unpacked linux-6.12 tree (and include/uapi/linux/
# qisock.h linked in, as tools/testing/kunit/run.sh does), then
#
#   make -C tools/testing/selftests TARGETS=qisock O=<tmp> run_tests
#
# runs on this machine, which has no modem and no qisock module loaded:
# both programs must build and run, every test must SKIP and say why (none
# may pass, fail or hang), and the runner must take the time limit from
# "settings". Prints "PASS|FAIL: ksft/<what>"; the runner's output is in
# $QISOCK_CACHE/logs/ksft-run.log.
set -u
. "$(dirname "$0")/lib.sh"

src=$("$QISOCK_TOP/tools/testing/linux-source.sh") ||
	{ result FAIL ksft/setup "no kernel source tree (make deps)"; exit 1; }
here=$QISOCK_TOP/tools/testing/selftests/qisock
dest=$src/tools/testing/selftests/qisock
log=$QISOCK_CACHE/logs/ksft-run.log
mkdir -p "$QISOCK_CACHE/logs"

if [ -e /sys/module/qisock ]; then
	result SKIP ksft/run_tests "qisock is loaded on this machine: the tests would use it"
	exit 0
fi

exec 9>"$QISOCK_CACHE/ksft-tree.lock"
flock 9
obj=$(mktemp -d /tmp/qisock-ksft.XXXXXX)
trap 'rm -rf "$obj"' EXIT

# What a patch adding the selftests to the tree would add: the tracked
# files, nothing built.
rm -rf "$dest"
mkdir -p "$dest"
(cd "$QISOCK_TOP" && git ls-files --cached --others --exclude-standard \
	tools/testing/selftests/qisock) | while read -r f; do
	cp "$QISOCK_TOP/$f" "$dest/"
done
ln -sfn "$QISOCK_TOP/include/uapi/linux/qisock.h" "$src/include/uapi/linux/qisock.h"

limit=$(sed -n 's/^timeout=//p' "$here/settings")
# Without a modem everything skips within seconds; a hang must end as a
# FAIL here, long before the runner's own limit would end it.
timeout -k 10 300 \
	make -C "$src/tools/testing/selftests" TARGETS=qisock O="$obj" run_tests \
	>"$log" 2>&1
status=$?
rm -rf "$dest"

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	result FAIL ksft/run_tests "timed out; log $log"
	tail -n 20 "$log" | sed 's/^/    | /'
	exit 1
fi
# Every program the Makefile builds: one per *_test.c.
progs=$(cd "$here" && for f in *_test.c; do echo "${f%.c}"; done)
for prog in $progs; do
	if [ ! -x "$obj/kselftest/qisock/$prog" ]; then
		result FAIL "ksft/build/$prog" "not built (make exit $status); log $log"
		grep -E 'error|Error' "$log" | head -n 20 | sed 's/^/    | /'
		continue
	fi
	result PASS "ksft/build/$prog"
done

# The runner's TAP: "ok N selftests: qisock: <prog>" per program, the
# program's own TAP behind "# ".
awk -v limit="${limit:-45}" -v progs="$(echo $progs)" '
function out(st, name, why) {
	if (why != "")
		printf "%s: ksft/%s (%s)\n", st, name, why
	else
		printf "%s: ksft/%s\n", st, name
	if (st == "FAIL")
		fails++
}
/^# timeout set to / { t = $5 }
/^(not )?ok [0-9]+ selftests: qisock: / {
	prog = $NF
	if (prog == "SKIP" || $0 ~ / # /) {
		prog = $0
		sub(/^.*selftests: qisock: /, "", prog)
		sub(/ .*/, "", prog)
	}
	seen[prog] = 1
	if (t != limit)
		out("FAIL", prog "/settings", "runner used timeout " t ", settings say " limit)
	else
		out("PASS", prog "/settings", "timeout " t " s")
	if ($1 == "not")
		bad = "the runner says: " $0
	else if (pass[prog] + fail[prog] > 0)
		bad = pass[prog] " passed, " fail[prog] " failed without a modem"
	else if (skip[prog] == 0)
		bad = "no test ran"
	else if (noreason[prog] > 0)
		bad = noreason[prog] " skipped without a reason"
	else
		bad = ""
	if (bad != "")
		out("FAIL", prog "/run", bad)
	else
		out("PASS", prog "/run", skip[prog] " tests skipped, e.g. \"" why[prog] "\"")
	next
}
/^# selftests: qisock: / { cur = $NF; next }
/^# (not )?ok [0-9]+ / {
	line = substr($0, 3)
	if (line ~ / # SKIP/) {
		skip[cur]++
		r = line
		sub(/^.* # SKIP */, "", r)
		if (r == "")
			noreason[cur]++
		else if (why[cur] == "")
			why[cur] = r
	} else if (line ~ /^not ok/) {
		fail[cur]++
	} else {
		pass[cur]++
	}
}
END {
	n = split(progs, want, " ")
	for (i = 1; i <= n; i++)
		if (!(want[i] in seen))
			out("FAIL", want[i] "/run", "the runner did not run it")
	exit fails > 0
}' "$log"
rc=$?
[ "$rc" -eq 0 ] || tail -n 30 "$log" | sed 's/^/    | /'
exit $rc
