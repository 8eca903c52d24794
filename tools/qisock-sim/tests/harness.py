# SPDX-License-Identifier: GPL-2.0
"""Tiny test registry and runner for the simulator's conformance tests.

Each test runs in its own python process (run.py --one NAME) with a hard
time limit, starts its own simulator(s) through the Ctx object and gets
them cleaned up however it ends.
"""

import os
import subprocess
import sys
import time
import traceback

import modem
from modem import Fail, Skip, esc

TESTS = []  # (name, func, timeout, kwargs)
ALL_MODELS = ("ec200u", "eg915u", "bc66", "bc66-na")


def test(name, models=None, timeout=20):
    """Register a test. With models, one test per model: name may use {model}."""
    def deco(fn):
        if models:
            for m in models:
                TESTS.append((name.format(model=m), fn, timeout, {"model": m}))
        else:
            TESTS.append((name, fn, timeout, {}))
        return fn
    return deco


class Ctx:
    def __init__(self):
        self.sims = []
        self.notes = []
        self.cleanups = []

    def sim(self, model, **kw):
        s = modem.Sim(model, **kw)
        self.sims.append(s)
        s.start()
        return s

    def note(self, msg):
        self.notes.append(msg)

    def defer(self, fn):
        self.cleanups.append(fn)

    def close(self):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception:
                pass
        for s in self.sims:
            try:
                s.stop()
            except Exception:
                pass

    def diagnostics(self):
        out = []
        for s in self.sims:
            out.append("sim: " + " ".join(s.args) + "   (files kept in %s)" % s.tmp)
            for i, m in enumerate(s.modems):
                out.append("serial conversation #%d (> host to sim, < sim to host), tail:" % i)
                out.extend("  " + l for l in m.log_tail().splitlines())
            tail = s.stderr_tail(800)
            if tail:
                out.append("sim stderr tail: " + esc(tail, 800))
        out.extend(self.notes)
        return out


def run_one(name):
    for tname, fn, timeout, kw in TESTS:
        if tname == name:
            break
    else:
        print("FAIL: sim/%s" % name)
        print("    no such test")
        return 1
    ctx = Ctx()
    status, lines = "PASS", []
    try:
        fn(ctx, **kw)
    except Skip as e:
        status = "SKIP"
        lines = [str(e)]
    except Fail as e:
        status = "FAIL"
        lines = str(e).splitlines() + ctx.diagnostics()
    except Exception:
        status = "FAIL"
        lines = traceback.format_exc().splitlines() + ctx.diagnostics()
    finally:
        ctx.close()
        if status != "FAIL":
            for s in ctx.sims:
                s.cleanup()
    if status == "PASS" and os.environ.get("SIM_TEST_VERBOSE"):
        lines = ctx.diagnostics()
    if status == "SKIP":
        print("SKIP: sim/%s (%s)" % (name, lines[0]))
        return 0
    print("%s: sim/%s" % (status, name))
    for l in lines:
        print("    " + l)
    sys.stdout.flush()
    return 1 if status == "FAIL" else 0


def run_all(selected, jobs):
    todo = [(n, t) for n, _, t, _ in TESTS if not selected or any(s in n for s in selected)]
    results = {}
    running = {}
    order = [n for n, _ in todo]
    queue = list(todo)
    printed = 0
    fails = 0
    me = os.path.abspath(sys.argv[0])
    while queue or running:
        while queue and len(running) < jobs:
            n, t = queue.pop(0)
            p = subprocess.Popen([sys.executable, me, "--one", n], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, start_new_session=True)
            running[n] = (p, time.monotonic() + t + 15)
        time.sleep(0.02)
        for n, (p, deadline) in list(running.items()):
            if p.poll() is None and time.monotonic() < deadline:
                continue
            if p.poll() is None:
                try:
                    os.killpg(p.pid, 9)
                except OSError:
                    pass
                out = p.communicate()[0].decode("latin-1", "replace")
                out = "FAIL: sim/%s\n    hard time limit exceeded\n%s" % (
                    n, "".join("    " + l + "\n" for l in out.splitlines()))
            else:
                out = p.communicate()[0].decode("latin-1", "replace")
                if not out.strip():
                    out = "FAIL: sim/%s\n    test process died (rc %s)\n" % (n, p.returncode)
            results[n] = out
            del running[n]
        while printed < len(order) and order[printed] in results:
            out = results[order[printed]]
            if not out.endswith("\n"):
                out += "\n"
            sys.stdout.write(out)
            sys.stdout.flush()
            if out.startswith("FAIL"):
                fails += 1
            printed += 1
    return fails
