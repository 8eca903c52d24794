#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Run the simulator's conformance tests.

  run.py                 all tests, in parallel, one result line each
  run.py -j N            N tests at a time (default 4)
  run.py WORD...         only tests whose name contains one of the WORDs
  run.py --list          list test names
  run.py --one NAME      run a single test in this process
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

MODULES = ["test_basics", "test_qicfg", "test_context", "test_sockets",
           "test_server", "test_modes", "test_services", "test_faults",
           "test_delay", "test_recover", "test_sleep", "test_audit",
           "test_context_bc66"]


def main():
    for m in MODULES:
        __import__(m)
    args = sys.argv[1:]
    if args[:1] == ["--list"]:
        for n, _, _, _ in harness.TESTS:
            print(n)
        return 0
    if args[:1] == ["--one"]:
        return harness.run_one(args[1])
    jobs = int(os.environ.get("SIM_TEST_JOBS", "4"))
    if args[:1] == ["-j"]:
        jobs = int(args[1])
        args = args[2:]
    fails = harness.run_all(args, jobs)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
