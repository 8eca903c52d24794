#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one Debian kernel under QEMU (TCG) with the test initramfs, its ttyS1
# wired to the modem simulator on the host, and turn what the guest prints
# into result lines "PASS|FAIL|SKIP: qemu/<abi>/<model>/<test>".
#
# Usage: qemu-run.sh [--demo|--smoke] <abi> <model>
#   --demo    human-friendly: attach with ldattach, show sysfs and dmesg,
#             simulator trace on stderr; no result lines
#   --smoke   no driver: check the guest can talk AT to the simulator
# Environment:
#   QISOCK_SIM            simulator binary (tools/qisock-sim/qisock-sim)
#   QISOCK_INITRAMFS      use this initramfs instead of building one
#   QISOCK_QEMU_TIMEOUT   hard limit for one boot in seconds (180)
#   QISOCK_TEST_ARGS      arguments for the selftest binary, e.g. "-t state_ready"
# Logs: $QISOCK_CACHE/logs/qemu/<abi>-<model>/{console,sim-trace,sim}.log
set -u
. "$(dirname "$0")/lib.sh"

mode="test"
case ${1:-} in
--demo) mode=demo; shift ;;
--smoke) mode=smoke; shift ;;
esac
abi=${1:?usage: qemu-run.sh [--demo|--smoke] <abi> <model>}
model=${2:?usage: qemu-run.sh [--demo|--smoke] <abi> <model>}
limit=${QISOCK_QEMU_TIMEOUT:-180}
sim=${QISOCK_SIM:-$QISOCK_TOP/tools/qisock-sim/qisock-sim}
name=qemu/$abi/$model
logdir=$QISOCK_CACHE/logs/qemu/$abi-$model
mkdir -p "$logdir"
console=$logdir/console.log

fail() {	# fail why: the whole boot failed
	result FAIL "$name/boot" "$1; logs in $logdir"
	exit 1
}

[ -x "$sim" ] || fail "simulator $sim not built (make sim)"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (make deps)"
vmlinuz=$("$QISOCK_TOP/tools/testing/kernels.sh" "$abi" | awk '{print $2}') ||
	fail "no kernel image for $abi"
initrd=${QISOCK_INITRAMFS:-}
if [ -z "$initrd" ]; then
	initrd=$("$QISOCK_TOP/tools/testing/mkinitramfs.sh" "$abi") || fail "mkinitramfs failed"
fi

run=$(mktemp -d /tmp/qisock-run.XXXXXX)
sim_pid=
cleanup() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
	fi
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The simulator: listening before QEMU connects to it.
if [ "$mode" = demo ]; then
	# The trace goes to stdout too, so it interleaves with the guest console.
	"$sim" --model "$model" --unix "$run/sim.sock" --control "$run/ctl.sock" --trace \
		2> >(tee "$logdir/sim-trace.log" | sed -u 's/^/        [sim] /') &
else
	"$sim" --model "$model" --unix "$run/sim.sock" --control "$run/ctl.sock" \
		--trace="$logdir/sim-trace.log" >"$logdir/sim.log" 2>&1 &
fi
sim_pid=$!
for _ in $(seq 100); do
	[ -S "$run/sim.sock" ] && break
	kill -0 "$sim_pid" 2>/dev/null || break
	sleep 0.05
done
[ -S "$run/sim.sock" ] || fail "simulator did not listen on $run/sim.sock"

nonce=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
qemu=(qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot -nic none
      -kernel "$vmlinuz" -initrd "$initrd"
      -append "console=ttyS0 panic=-1 quiet qisocktest.mode=$mode qisocktest.model=$model qisocktest.nonce=$nonce${QISOCK_TEST_ARGS:+ qisocktest.args=$(echo "$QISOCK_TEST_ARGS" | tr ' ' ,)}"
      -serial mon:stdio -serial chardev:m -chardev "socket,id=m,path=$run/sim.sock")
start=$(date +%s)
if [ "$mode" = demo ]; then
	# Console to the terminal (markers hidden), Ctrl-A x quits.
	timeout --foreground -k 5 "$limit" "${qemu[@]}" 2>&1 | tee "$console" |
		sed -u -n -e 's/\r$//' -e '/QISOCK-BEGIN/,$ { /QISOCK-/!p }'
	status=${PIPESTATUS[0]}
else
	timeout -k 5 "$limit" "${qemu[@]}" </dev/null >"$console" 2>&1
	status=$?
fi
secs=$(($(date +%s) - start))
kill "$sim_pid" 2>/dev/null
wait "$sim_pid" 2>/dev/null
sim_pid=

[ "$status" -eq 124 ] || [ "$status" -eq 137 ] && timed_out=1 || timed_out=0
end=$(tr -d '\r' <"$console" | sed -n "s/^.*QISOCK-END $nonce rc=\([0-9]*\).*/\1/p" | tail -n1)

if [ "$mode" = demo ]; then
	[ -n "$end" ] && [ "$end" = 0 ] && exit 0
	echo "demo failed (qemu exit $status, guest rc ${end:-none}); logs in $logdir" >&2
	[ -n "$end" ] || tr -d '\r' <"$console" | tail -n 20 | sed 's/^/    | /' >&2
	exit 1
fi

# Parse the console: our markers and the selftests' TAP.
tr -d '\r' <"$console" | awk -v nonce="$nonce" -v name="$name" '
function emit(st, t, why) {
	if (why != "")
		printf "%s: %s/%s (%s)\n", st, name, t, why
	else
		printf "%s: %s/%s\n", st, name, t
	if (st == "FAIL")
		fails++
}
/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; next }
$1 == "QISOCK-RESULT" && $2 == nonce {
	st = $3; t = $4; why = ""
	for (i = 5; i <= NF; i++)
		why = why (why == "" ? "" : " ") $i
	emit(st, t, why)
	next
}
$1 == "QISOCK-DMESG-BEGIN" { indmesg = 1; next }
$1 == "QISOCK-DMESG-END" { indmesg = 0; next }
indmesg { next }
/^#  RUN / { buf = ""; next }
/^# / { buf = buf "    | " substr($0, 3) "\n"; next }
/^(not )?ok [0-9]+ / {
	st = ($1 == "ok") ? "PASS" : "FAIL"
	line = $0
	sub(/^(not )?ok [0-9]+ /, "", line)
	why = ""
	if (match(line, / # (SKIP|skip|XFAIL)/)) {
		why = substr(line, RSTART + 3)
		line = substr(line, 1, RSTART - 1)
		sub(/^[A-Za-z]+ */, "", why)
		if (st == "PASS")
			st = "SKIP"
	}
	sub(/^[^.]*\./, "", line)	# drop the fixture name
	emit(st, line, why)
	if (st == "FAIL")
		printf "%s", buf
	buf = ""
	ntap++
	next
}
END {
	if (plan > 0 && ntap < plan)
		emit("FAIL", "selftests", ntap " of " plan " tests reported")
	exit fails > 0
}'
parse_fail=$?

if [ -z "$end" ]; then
	if [ "$timed_out" = 1 ]; then
		why="no end marker: timed out after ${limit}s"
	else
		why="no end marker: qemu exit $status"
	fi
	result FAIL "$name/boot" "$why; console $console"
	tr -d '\r' <"$console" | grep -v '^QISOCK-' | tail -n 25 | sed 's/^/    | /'
	exit 1
fi
result PASS "$name/boot" "${secs}s"
if [ "$end" != 0 ] && [ "$parse_fail" = 0 ]; then
	result FAIL "$name/exit" "guest rc=$end"
	exit 1
fi
[ "$parse_fail" = 0 ]
