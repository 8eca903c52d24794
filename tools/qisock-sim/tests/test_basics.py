# SPDX-License-Identifier: GPL-2.0
"""Identification and basics: power-on (echo on, RDY), ATE0/ATE1, ATI,
AT+CGMM/CGMR/GSN, AT+CMEE, case, a new client is a power-on, the pty endpoint."""

import os
import re
import time

from harness import test, ALL_MODELS
from modem import check, eq, esc, MODELS, is_bc66

IP_URC = re.compile(rb"\r\n\+IP: [0-9.]+\r\n")


def strip_ip_urc(m, data):
    """BC66 may report '+IP: <addr>' after registering (seed 001 notes);
    accept it where it can appear on its own."""
    if is_bc66(m.model):
        return IP_URC.sub(b"", data)
    return data


def expect_echo_on(m):
    m.write(b"AT\r")
    m.expect(b"AT\r\r\nOK\r\n", what="AT with echo on at power-on (ATE1 default)")


def rev_prefix(model):
    return MODELS[model].replace("-", "")


@test("basics/poweron-rdy-echo/{model}", models=ALL_MODELS)
def poweron(t, model):
    s = t.sim(model)
    m = s.connect(wait_rdy=False, echo_off=False)
    m.expect(b"\r\nRDY\r\n", what="power-on output (contract: \\r\\nRDY\\r\\n)")
    extra = strip_ip_urc(m, m.read_available(0.3))
    eq(extra, b"", "output after RDY with no command sent")
    m.write(b"AT\r")
    m.expect(b"AT\r\r\nOK\r\n", what="AT with echo on at power-on (ATE1 default)")


@test("basics/no-rdy/{model}", models=ALL_MODELS)
def no_rdy(t, model):
    s = t.sim(model, no_rdy=True)
    m = s.connect(wait_rdy=False, echo_off=False)
    extra = strip_ip_urc(m, m.read_available(0.5))
    eq(extra, b"", "output at power-on with --no-rdy")
    expect_echo_on(m)


@test("basics/ate0-ate1/{model}", models=ALL_MODELS)
def ate(t, model):
    s = t.sim(model)
    m = s.connect(echo_off=False)
    m.write(b"ATE0\r")
    m.expect(b"ATE0\r\r\nOK\r\n", what="ATE0 (echoed, then OK)")
    m.write(b"AT\r")
    m.expect(b"\r\nOK\r\n", what="AT after ATE0: no echo")
    m.write(b"ATE1\r")
    m.expect(b"\r\nOK\r\n", what="ATE1 (not echoed: echo was off)")
    m.write(b"AT\r")
    m.expect(b"AT\r\r\nOK\r\n", what="AT after ATE1: echoed")
    m.write(b"ATE0\r")
    m.expect(b"ATE0\r\r\nOK\r\n", what="ATE0 again")


@test("basics/ati/{model}", models=ALL_MODELS)
def ati(t, model):
    s = t.sim(model)
    m = s.connect()
    r = m.at("ATI")
    rx = re.fullmatch(rb"\r\nQuectel\r\n" + re.escape(MODELS[model].encode()) +
                      rb"\r\nRevision: ([A-Za-z0-9_.]+)\r\n\r\nOK\r\n", r.raw)
    check(rx, "ATI: expected \\r\\nQuectel\\r\\n%s\\r\\nRevision: <REV>\\r\\n\\r\\nOK\\r\\n, got %s"
          % (MODELS[model], esc(r.raw)))
    rev = rx.group(1).decode()
    check(rev.startswith(rev_prefix(model)),
          "ATI revision %r should start with %r (contract examples)" % (rev, rev_prefix(model)))
    # echo on: the echo is the command itself, then the same reply
    m.at("ATE1").ok()
    m.echo = True
    r2 = m.at("ATI")
    eq(r2.raw, r.raw, "ATI reply with echo on (after the echo)")


@test("basics/cgmm-cgmr-gsn/{model}", models=ALL_MODELS)
def cgmm(t, model):
    s = t.sim(model)
    m = s.connect()
    r = m.at("AT+CGMM")
    eq(r.raw, b"\r\n" + MODELS[model].encode() + b"\r\n\r\nOK\r\n", "AT+CGMM reply")
    r = m.at("ATI").ok()
    rev = r.lines[2][len("Revision: "):] if len(r.lines) == 3 else None
    r = m.at("AT+CGMR")
    eq(r.raw, b"\r\n" + (rev or "?").encode() + b"\r\n\r\nOK\r\n", "AT+CGMR reply (same REV as ATI)")
    r = m.at("AT+GSN")
    check(re.fullmatch(rb"\r\n\d{15}\r\n\r\nOK\r\n", r.raw),
          "AT+GSN: expected a 15-digit IMEI line then OK, got %s" % esc(r.raw))
    imei = r.lines[0]
    r = m.at("AT+GSN")
    eq(r.lines, [imei], "AT+GSN is stable")


@test("basics/cmee/{model}", models=ALL_MODELS)
def cmee(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(m.at("AT+CMEE=1").raw, b"\r\nOK\r\n", "AT+CMEE=1")
    eq(m.at("AT+CMEE?").raw, b"\r\n+CMEE: 1\r\n\r\nOK\r\n", "AT+CMEE? after AT+CMEE=1")
    eq(m.at("AT+CMEE=0").raw, b"\r\nOK\r\n", "AT+CMEE=0")
    eq(m.at("AT+CMEE?").raw, b"\r\n+CMEE: 0\r\n\r\nOK\r\n", "AT+CMEE? after AT+CMEE=0")


@test("basics/unknown-command/{model}", models=ALL_MODELS)
def unknown(t, model):
    s = t.sim(model)
    m = s.connect()
    r = m.at("AT+QNOSUCHCMD")
    r.error()
    eq(m.at("AT").raw, b"\r\nOK\r\n", "AT after an unknown command")


@test("basics/lowercase/{model}", models=ALL_MODELS)
def lowercase(t, model):
    # seed 000 2.1.2: "All command lines must start with AT or at"
    s = t.sim(model)
    m = s.connect()
    eq(m.at("at").raw, b"\r\nOK\r\n", "'at'")
    eq(m.at("at+cgmm").raw, b"\r\n" + MODELS[model].encode() + b"\r\n\r\nOK\r\n", "'at+cgmm'")


@test("basics/new-client-is-power-on/{model}", models=ALL_MODELS)
def reconnect(t, model):
    s = t.sim(model)
    m = s.connect()
    m.at("AT").ok()
    m.close()
    time.sleep(0.2)
    m2 = s.connect(wait_rdy=False, echo_off=False)
    m2.expect(b"\r\nRDY\r\n", what="RDY for a new client (power-on)")
    strip_ip_urc(m2, m2.read_available(0.3))
    expect_echo_on(m2)


@test("basics/pty/{model}", models=("ec200u", "bc66"))
def pty(t, model):
    s = t.sim(model, pty=True)
    check(os.path.islink(s.endpoint), "--pty %s: not a symlink" % s.endpoint)
    target = os.readlink(s.endpoint)
    check(target.startswith("/dev/pts/"), "--pty link points to %r, expected /dev/pts/N" % target)
    m = s.connect(wait_rdy=False, echo_off=False)
    # RDY may or may not have been written before the slave was opened
    m.read_available(0.3)
    got = b""
    for _ in range(3):
        m.write(b"AT\r")
        got = m.read_available(0.4)
        if got:
            break
    eq(strip_ip_urc(m, got), b"AT\r\r\nOK\r\n", "AT over the pty (echo on)")
    m.write(b"ATE0\r")
    m.expect(b"ATE0\r\r\nOK\r\n", what="ATE0 over the pty")
    m.echo = False
    r = m.at("ATI")
    check(re.fullmatch(rb"\r\nQuectel\r\n" + re.escape(MODELS[model].encode()) +
                       rb"\r\nRevision: [A-Za-z0-9_.]+\r\n\r\nOK\r\n", r.raw),
          "ATI over the pty: %s" % esc(r.raw))


@test("basics/input-byte-by-byte/{model}", models=("ec200u", "bc66"))
def byte_by_byte(t, model):
    # a command may reach the module in pieces (UART FIFO, tty writes)
    s = t.sim(model)
    m = s.connect()
    for c in b"AT+CGMM\r":
        m.write(bytes([c]))
        time.sleep(0.01)
    m.expect(b"\r\n" + MODELS[model].encode() + b"\r\n\r\nOK\r\n", what="reply to a command written byte by byte")
