# SPDX-License-Identifier: GPL-2.0
#
# qisock: `make` builds qisock.ko against the running kernel (or KDIR=...);
# everything else drives the test bed in tools/testing/. The kbuild side of
# an out-of-tree build reads ./Kbuild, not this file.
#
#   make [KDIR=/path/to/kernel/build] [W=1]   qisock.ko
#   make ... CONFIG_QISOCK_KUNIT_TEST=m       and qisock_kunit.ko (KUnit kernels)
#   make demo [MODEL=bc66]  boot QEMU with a simulated EC200U (or the MODEL:
#                      ec200u, eg915u, bc66, bc66-na) and attach it
#   make check         everything; last line "N passed, N failed"
#   make deps          apt installs (as root)
#   make sim | sim-test | kunit | matrix | checkpatch | qemu-test | selftests
#   make cli           the qisock command line tool (tools/qisock/qisock)
#   make man           its man page, tools/qisock/qisock.8 (rst2man)
#   make ksft          the selftests through a kernel tree's run_tests

KDIR ?= /lib/modules/$(shell uname -r)/build
TESTING := tools/testing

# Running kernel without headers (e.g. a VM's own kernel): use the newest
# Debian headers package that is installed, and say so.
ifeq ($(origin KDIR),file)
ifeq ($(wildcard $(KDIR)/Makefile),)
KDIR_FALLBACK := $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
ifneq ($(KDIR_FALLBACK),)
KDIR := $(KDIR_FALLBACK)
KDIR_NOTE := no headers for $(shell uname -r); building against $(KDIR)
endif
endif
endif

all: modules

modules:
	$(if $(KDIR_NOTE),@echo "note: $(KDIR_NOTE)")
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-[ ! -f tools/qisock-sim/Makefile ] || $(MAKE) -C tools/qisock-sim clean
	-$(MAKE) -C tools/qisock clean
	-rm -rf $(TESTING)/selftests/qisock/build

deps:
	$(TESTING)/deps.sh

sim:
	$(MAKE) -C tools/qisock-sim

cli:
	$(MAKE) -C tools/qisock

man:
	$(MAKE) -C tools/qisock man

sim-test: sim
	tools/qisock-sim/tests/run.sh

kunit:
	$(TESTING)/kunit/run.sh

matrix:
	$(TESTING)/matrix.sh

checkpatch:
	$(TESTING)/checkpatch.sh

selftests:
	$(MAKE) -C $(TESTING)/selftests/qisock

ksft:
	$(TESTING)/ksft-tree.sh

qemu-test: sim
	$(TESTING)/qemu-test.sh

check:
	$(TESTING)/check.sh

MODEL ?= ec200u

demo: deps sim
	$(TESTING)/demo.sh $(MODEL)

.PHONY: all modules clean deps sim sim-test kunit matrix checkpatch selftests \
	ksft qemu-test check demo cli man
