#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the qisock KUnit suites in a UML kernel built from Debian's
# linux-source-6.12 (KASAN, PROVE_LOCKING, DEBUG_ATOMIC_SLEEP on).
#
#   tools/testing/kunit/run.sh [extra kunit.py run arguments, e.g. a glob]
#
# Prints "PASS: kunit/<suite>.<case>" / "FAIL: ..." / "SKIP: ..." per test
# case, plus "FAIL: kunit/kernel-log (...)" if the kernel log shows a BUG,
# WARNING, KASAN or lockdep report, and exits non-zero on any failure.
#
# Environment: QISOCK_CACHE (default ~/.cache/qisock) holds the unpacked
# tree (shared with the other tools) and the UML build directory
# ($QISOCK_CACHE/kunit-build); QISOCK_JOBS (default 2) is make's -j.
# The tree is used in place: the driver directory and the uapi header are
# symlinked into it and one line each is added to drivers/Kconfig and
# drivers/Makefile (idempotently; linux-source.sh may re-unpack the tree,
# so this runs every time).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"

src=$("$here/../linux-source.sh")
top=$QISOCK_TOP
build=$QISOCK_CACHE/kunit-build
kunitconfig=$top/drivers/net/wwan/qisock/.kunitconfig
jobs=${QISOCK_JOBS:-2}
log=$QISOCK_CACHE/kunit-run.log

mkdir -p "$build"
exec 8>"$QISOCK_CACHE/kunit.lock"
flock 8

# --- link the driver into the tree ---------------------------------------
ln -sfn "$top/drivers/net/wwan/qisock" "$src/drivers/net/wwan/qisock"
ln -sfn "$top/include/uapi/linux/qisock.h" "$src/include/uapi/linux/qisock.h"
# The build directory may be shared by several trees (worktrees with a
# common cache): objects another tree built after our last edit look newer
# than our sources, and make would keep them. Our sources are newer now.
find "$top/drivers/net/wwan/qisock" "$top/include/uapi/linux/qisock.h" \
	-type f -exec touch {} +
kline='source "drivers/net/wwan/qisock/Kconfig"'
grep -qxF "$kline" "$src/drivers/Kconfig" ||
	sed -i "0,/^menu \"Device Drivers\"/s||&\n$kline|" "$src/drivers/Kconfig"
mline='obj-$(CONFIG_QISOCK) += net/wwan/qisock/'
grep -qxF "$mline" "$src/drivers/Makefile" ||
	printf '%s\n' "$mline" >>"$src/drivers/Makefile"
grep -qxF "$kline" "$src/drivers/Kconfig" ||
	{ echo "run.sh: could not add the Kconfig source line" >&2; exit 1; }

# Stale in-tree objects of an out-of-tree build confuse nothing (O= is
# used), but kbuild refuses a source dir with a .config in it.
if [ -e "$src/.config" ]; then
	echo "run.sh: $src has a .config; refusing to build" >&2
	exit 1
fi

# --- build and run --------------------------------------------------------
# kunit.py writes the kernel's output to $build/test.log; none means the
# build (or the boot) failed.
rm -f "$build/test.log"
rc=0
(
	cd "$src"
	python3 tools/testing/kunit/kunit.py run --arch=um \
		--build_dir="$build" --kunitconfig="$kunitconfig" \
		--jobs="$jobs" --timeout=600 "$@"
) >"$log" 2>&1 || rc=$?

if [ ! -s "$build/test.log" ]; then
	tail -n 40 "$log" >&2
	echo "FAIL: kunit/build (kunit.py exit $rc, log in $log)"
	exit 1
fi

# The debug options must really be on (kunit.py only warns otherwise).
for opt in CONFIG_KASAN CONFIG_PROVE_LOCKING CONFIG_DEBUG_ATOMIC_SLEEP \
	   CONFIG_QISOCK_KUNIT_TEST; do
	grep -qx "$opt=y" "$build/.config" ||
		echo "FAIL: kunit/config ($opt is not set in the UML build)"
done | tee "$build/config-check"

# --- report ---------------------------------------------------------------
# Parse the KTAP in the kernel's log ourselves: suites are announced at
# indent 4 ("    # Subtest: <suite>"), their cases report at indent 4, a
# suite's own result is at indent 0. Parameterised cases report at
# indent 4 as well (their parameters at indent 8 are not listed).
python3 - "$build/test.log" "$rc" "$build/config-check" <<'EOF'
import re
import sys

path, rc = sys.argv[1], int(sys.argv[2])
config_failures = len(open(sys.argv[3]).read().split('FAIL:')) - 1
text = open(path, errors='replace').read()
lines = text.splitlines()

result = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$')
subtest = re.compile(r'^(\s*)# Subtest: (\S+)')
plan = re.compile(r'^(\s*)1\.\.(\d+)')

suite = None
planned = {}
seen = {}
passed = skipped = 0
failed = config_failures
top_plan = None
out = []

for raw in lines:
    line = raw.rstrip()
    m = subtest.match(line)
    if m and len(m.group(1)) == 4:
        suite = m.group(2)
        seen.setdefault(suite, 0)
        continue
    m = plan.match(line)
    if m:
        ind = len(m.group(1))
        if ind == 0 and top_plan is None:
            top_plan = int(m.group(2))
        elif ind == 4 and suite:
            planned[suite] = int(m.group(2))
        continue
    m = result.match(line)
    if not m:
        continue
    ind, status, name, directive = len(m.group(1)), m.group(2), m.group(4), m.group(5) or ''
    if ind == 4 and suite:
        seen[suite] += 1
        full = 'kunit/%s.%s' % (suite, name)
        if directive.upper().startswith('SKIP'):
            why = directive[4:].strip() or 'skipped'
            out.append('SKIP: %s (%s)' % (full, why))
            skipped += 1
        elif status == 'ok':
            out.append('PASS: ' + full)
            passed += 1
        else:
            out.append('FAIL: ' + full)
            failed += 1

for s, n in planned.items():
    if seen.get(s, 0) < n:
        out.append('FAIL: kunit/%s (only %d of %d cases reported: crash?)'
                   % (s, seen.get(s, 0), n))
        failed += 1
if top_plan is None or not planned:
    out.append('FAIL: kunit/ktap (no KTAP output; kunit.py exit %d)' % rc)
    failed += 1

# Kernel reports that do not fail a test case by themselves. UML's own
# boot-time warning about virtio PCI without a device (from kunit.py's
# arch_uml.config) is not ours and is ignored.
ignore = re.compile(r'arch/um/drivers/virt-pci\.c')
bad = [
    (r'BUG: sleeping function called from invalid context', 'atomic sleep'),
    (r'BUG: KASAN', 'KASAN'),
    (r'WARNING: possible circular locking dependency', 'lockdep'),
    (r'WARNING: possible recursive locking', 'lockdep'),
    (r'WARNING: inconsistent lock state', 'lockdep'),
    (r'INFO: possible irq lock inversion', 'lockdep'),
    (r'BUG: workqueue leaked', 'workqueue'),
    (r'^WARNING: CPU: \d+ PID: \d+ at ', 'WARN'),
    (r'^BUG: ', 'BUG'),
    (r'Kernel panic', 'panic'),
]
hits = []
for raw in lines:
    if ignore.search(raw):
        continue
    for pat, what in bad:
        if re.search(pat, raw.strip()):
            hits.append(what)
            print('kunit: kernel log: ' + raw.strip(), file=sys.stderr)
if hits:
    out.append('FAIL: kunit/kernel-log (%s)' % ', '.join(sorted(set(hits))))
    failed += 1

print('\n'.join(out))
print('kunit: %d passed, %d failed, %d skipped' % (passed, failed, skipped),
      file=sys.stderr)
sys.exit(1 if failed else 0)
EOF
