# SPDX-License-Identifier: GPL-2.0
"""Control command "delay <ms> [n]" (team contract, session 5): the reply
to each of the next n command lines is held back ms milliseconds and then
sent in order; echo and URCs are not held; input sent during the hold is
taken after it and answered behind the held reply."""

import time

from harness import test, ALL_MODELS
from modem import Fail, check, eq, esc, is_bc66, recv_exact, MODELS
from test_sockets import setup, send_ok_final, read_all

SLACK = 1.5  # scheduling slack for the upper bounds (tests run in parallel)


def wait_bytes(m, timeout):
    """Seconds until the first unread byte is there (it stays unread)."""
    t0 = time.monotonic()
    deadline = t0 + timeout
    while not m.buf:
        if not m._fill(deadline):
            raise Fail("nothing arrived within %.1fs" % timeout)
    return time.monotonic() - t0


def ident_reply(model):
    return b"\r\n" + MODELS[model].encode() + b"\r\n\r\nOK\r\n"


@test("ctl/delay-ok/{model}", models=ALL_MODELS)
def delay_ok(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("delay 700"), "ok", "control reply")
    t0 = time.monotonic()
    m.write(b"AT+CGMM\r")
    m.expect_silence(0.5, "no reply during the hold")
    wait_bytes(m, 3)
    dt = time.monotonic() - t0
    m.expect(ident_reply(model), what="held reply, intact")
    check(0.7 <= dt <= 0.7 + SLACK, "held reply after %.3fs, wanted >= 0.7s" % dt)
    t0 = time.monotonic()
    eq(m.at("AT+CGMM").raw, ident_reply(model), "next command")
    dt = time.monotonic() - t0
    check(dt < 0.5, "delay (n=1) also held the second reply (%.3fs)" % dt)


@test("ctl/delay-order/{model}", models=ALL_MODELS)
def delay_order(t, model):
    """The host gives up waiting and sends filler and resync probes during
    the hold: the held reply comes first, then their answers, in order."""
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("delay 800"), "ok", "control reply")
    t0 = time.monotonic()
    m.write(b"AT+CGMM\r")
    time.sleep(0.2)
    m.write(b"\r\x00\x00\r\n")
    m.write(b"AT\r")
    time.sleep(0.1)
    m.write(b"AT+QIGETERROR\r")
    wait_bytes(m, 3)
    dt = time.monotonic() - t0
    check(dt >= 0.8, "first reply byte after %.3fs, wanted >= 0.8s (%s)" % (dt, esc(m.buf)))
    r1 = m.final(3, "held AT+CGMM reply")
    eq((r1.lines, r1.final, r1.urcs), ([MODELS[model]], "OK", []), "first: the held reply")
    r2 = m.final(3, "AT probe")
    eq((r2.lines, r2.final), ([], "OK"), "second: the AT probe")
    r3 = m.final(3, "AT+QIGETERROR")
    eq(r3.final, "OK", "third: AT+QIGETERROR final")
    check(len(r3.lines) == 1 and r3.lines[0].startswith("+QIGETERROR: "),
          "third: AT+QIGETERROR line %r" % r3.lines)
    m.expect_silence(0.3, "nothing else")


@test("ctl/delay-echo/{model}", models=("ec200u", "bc66"))
def delay_echo(t, model):
    """Echo is not part of the reply: the delayed line is echoed at once;
    a line typed during the hold is taken (and echoed) after the reply."""
    s = t.sim(model)
    m = s.connect()
    m.write(b"ATE1\r")
    m.expect(b"\r\nOK\r\n", what="ATE1 (typed with echo off)")
    m.echo = True
    eq(s.ctl("delay 600"), "ok", "control reply")
    t0 = time.monotonic()
    m.write(b"AT+CGMM\r")
    m.expect(b"AT+CGMM\r", 0.4, what="immediate echo of the delayed command")
    m.write(b"AT\r")
    m.expect_silence(0.3, "nothing more during the hold")
    m.expect(ident_reply(model) + b"AT\r\r\nOK\r\n", 3, what="held reply, then echo and reply of AT")
    dt = time.monotonic() - t0
    check(dt >= 0.6, "held reply complete after %.3fs" % dt)


@test("ctl/delay-qird/{model}", models=ALL_MODELS)
def delay_qird(t, model):
    s, m, srv, conn, addr = setup(t, model)
    payload = b"\r\nOK\r\n\x00\xff" + bytes(range(256))[:150] + b"\r\n+QIRD: 9\r\nERROR\r\n"
    conn.sendall(payload)
    m.wait_urc('+QIURC: "recv",0', 5)
    time.sleep(0.2)
    eq(s.ctl("delay 600"), "ok", "control reply")
    t0 = time.monotonic()
    hdr, data, r = m.qird(0, 512, timeout=5)
    dt = time.monotonic() - t0
    r.ok()
    check(hdr is not None, "held AT+QIRD gave no +QIRD line: %s" % esc(r.raw))
    check(dt >= 0.6, "held AT+QIRD answered after %.3fs" % dt)
    check(dt <= 0.6 + SLACK, "held AT+QIRD answered only after %.3fs" % dt)
    eq(r.urcs, [], "no URC inside the held QIRD reply")
    rest = read_all(m, 0, len(payload) - len(data), 512) if len(data) < len(payload) else b""
    eq(data + rest, payload, "binary payload through a held QIRD reply")


@test("ctl/delay-urc/{model}", models=ALL_MODELS)
def delay_urc(t, model):
    """URCs keep flowing while a reply is held."""
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl("delay 1500"), "ok", "control reply")
    t0 = time.monotonic()
    m.write(b"AT+CGMM\r")
    time.sleep(0.2)
    conn.sendall(b"data")
    e = m.wait_urc('+QIURC: "recv",0', 1.0)
    eq(e.raw, b'\r\n+QIURC: "recv",0\r\n', "recv URC during the hold")
    eq(s.ctl('urc +QIURC: "closed",5'), "ok", "control reply")
    e = m.wait_urc('+QIURC: "closed",5', 1.0)
    dt = time.monotonic() - t0
    check(dt < 1.4, "URCs came only after %.3fs (held with the reply?)" % dt)
    check(not m.buf, "reply bytes before the delay ran out: %s" % esc(m.buf))
    r = m.final(3, "held AT+CGMM reply")
    dt = time.monotonic() - t0
    eq((r.lines, r.final, r.urcs), ([MODELS[model]], "OK", []), "held reply")
    check(dt >= 1.5, "held reply after %.3fs" % dt)
    eq(read_all(m, 0, 4, 512), b"data", "data behind the URC")


@test("ctl/delay-count/{model}", models=ALL_MODELS)
def delay_count(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("delay 400 2"), "ok", "control reply")
    m.write(b"\r\r")  # empty lines are not command lines: no reply, not counted
    m.expect_silence(0.2, "nothing for empty lines")
    for cmd, held in (("AT+CGMM", True), ("AT+CGMM", True), ("AT+CGMM", False)):
        t0 = time.monotonic()
        eq(m.at(cmd).raw, ident_reply(model), cmd)
        dt = time.monotonic() - t0
        if held:
            check(0.4 <= dt <= 0.4 + SLACK, "held reply after %.3fs" % dt)
        else:
            check(dt < 0.35, "third reply held too (%.3fs), n was 2" % dt)


@test("ctl/delay-qisend/{model}", models=ALL_MODELS)
def delay_qisend(t, model):
    """The '>' prompt is part of the reply and is held; data the host sends
    before it shows is taken after it (it waits in the UART)."""
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl("delay 600"), "ok", "control reply")
    t0 = time.monotonic()
    m.write(b"AT+QISEND=0,4\r")
    m.expect_silence(0.3, "no prompt during the hold")
    m.write(b"ping")
    m.expect(b"\r\n> ", 3, what="held prompt")
    dt = time.monotonic() - t0
    check(dt >= 0.6, "prompt after %.3fs" % dt)
    send_ok_final(m, "send after the held prompt")
    eq(recv_exact(conn, 4), b"ping", "peer got the early data")
    m.expect_silence(0.2, "nothing else")
    eq(m.at("AT+CGMM").raw, ident_reply(model), "next command not held")


@test("ctl/delay-args/{model}", models=("ec200u", "bc66"))
def delay_args(t, model):
    s = t.sim(model)
    m = s.connect()
    for bad in ("delay", "delay x", "delay -1", "delay 1.5", "delay 600001", "delay 100 0",
                "delay 100 -2", "delay 100 1001", "delay 100 x", "delay 100 2 3"):
        line = s.ctl(bad, expect_ok=False)
        check(line.startswith("error "), "%r accepted: %r" % (bad, line))
    t0 = time.monotonic()
    eq(m.at("AT+CGMM").raw, ident_reply(model), "rejected delays set nothing")
    check(time.monotonic() - t0 < 0.35, "reply held after rejected delay commands")
    eq(s.ctl("delay 500 3"), "ok", "control reply")
    eq(s.ctl("delay 0"), "ok", "delay 0 cancels")
    t0 = time.monotonic()
    eq(m.at("AT+CGMM").raw, ident_reply(model), "after delay 0")
    check(time.monotonic() - t0 < 0.35, "reply held after delay 0")
