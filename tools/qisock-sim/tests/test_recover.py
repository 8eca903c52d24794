# SPDX-License-Identifier: GPL-2.0
"""What a driver's module recovery meets (seed 000 2.3 notes 1-3, 2.5.5):
a module that hangs (control "hang": until reset, until AT+CFUN=1,1, for a
while), AT+CMEE forms of errors, activations refused by the network
(control "actfail"), "pdpdeact" that needs the host's AT+QIDEACT, and a
restart that takes every context down."""

import re
import time

from harness import test
from modem import check, eq

EC = ("ec200u", "eg915u")


def silent(m, what, secs=0.8):
    m.write(b"AT\r")
    m.expect_silence(secs, what)


def answers(m, what):
    m.read_available(0.2)
    r = m.at("AT", timeout=3)
    check(r.final == "OK", "%s: AT answered %r" % (what, r.final))


def rdy(m, timeout=5):
    m.wait_urc("RDY", timeout)
    m.read_available(0.3)
    m.echo = True
    m.at("ATE0", echo=True).ok()
    m.echo = False


@test("recover/hang-until-reset/{model}", models=EC + ("bc66",))
def hang_reset(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("hang"), "ok", "control reply")
    silent(m, "no echo, no OK from a hung module")
    m.write(b"AT+CFUN=1,1\r")
    m.expect_silence(1.5, "a hung module ignores AT+CFUN=1,1 (no OK, no RDY)")
    eq(s.ctl("urc +QIURC: \"closed\",0"), "ok", "control reply")
    m.expect_silence(0.5, "a hung module prints no URC either")
    eq(s.ctl("reboot"), "ok", "reset line")
    rdy(m)
    answers(m, "after the reset")


@test("recover/hang-until-cfun/{model}", models=EC)
def hang_cfun(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("hang cfun"), "ok", "control reply")
    silent(m, "hung (cfun mode): no answer to AT")
    m.write(b"at+cfun=1,1\r")
    rdy(m, 5)
    answers(m, "after AT+CFUN=1,1")


@test("recover/hang-timed/{model}", models=EC)
def hang_timed(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("hang 1500"), "ok", "control reply")
    silent(m, "hung for 1.5 s")
    time.sleep(1.2)
    # no restart: no RDY, state kept (echo still off)
    m.read_available(0.2)
    r = m.at("AT", timeout=3).ok()
    eq(r.raw, b"\r\nOK\r\n", "answers again, echo still off (no restart)")
    for bad in ("hang x", "hang 0", "hang -5"):
        check(s.ctl(bad, expect_ok=False).startswith("error usage"), "control %r refused" % bad)
    eq(s.ctl("hang off"), "ok", "hang off")


@test("recover/cmee/{model}", models=EC)
def cmee(t, model):
    m = t.sim(model).connect()
    eq(m.at("AT+QIACT=9").raw, b"\r\nERROR\r\n", "CMEE=0 (power-on): ERROR")
    m.at("AT+CMEE=1").ok()
    eq(m.at("AT+QIACT=9").raw, b"\r\n+CME ERROR: 552\r\n", "CMEE=1: numeric")
    eq(m.at("AT+QIGETERROR").ok().lines, ["+QIGETERROR: 552,invalid parameters"], "QIGETERROR")
    m.at("AT+CMEE=2").ok()
    eq(m.at("AT+QIACT=9").raw, b"\r\n+CME ERROR: invalid parameters\r\n", "CMEE=2: verbose")
    eq(m.at("AT+CMEE?").ok().lines, ["+CMEE: 2"], "read form")
    m.at("AT+CMEE=0").ok()
    eq(m.at("AT+QIACT=9").raw, b"\r\nERROR\r\n", "CMEE=0 again")
    m.at("AT+CMEE=3").error()


@test("recover/actfail/{model}", models=EC)
def actfail(t, model):
    s = t.sim(model)
    m = s.connect()
    m.at("AT+CMEE=1").ok()
    m.at('AT+QICSGP=1,1,"internet"').ok()
    eq(s.ctl("actfail 1 573 2"), "ok", "control reply")
    for i in range(2):
        m.at("AT+QIACTEX=1,0").ok()
        eq(m.wait_urc("+QIACTEX:", 3).text, "+QIACTEX: 1,573", "refused activation %d" % i)
        r = m.at("AT+QIACT?").ok()
        check(not r.lines, "context stays down: %r" % r.lines)
    m.at("AT+QIACTEX=1,0").ok()
    eq(m.wait_urc("+QIACTEX:", 3).text, "+QIACTEX: 1,0", "third activation passes")
    eq(m.at("AT+QIACTEX=1,0").raw, b"\r\n+CME ERROR: 561\r\n", "already active")
    eq(s.ctl("actfail 2 561 1000"), "ok", "control reply")
    m.at('AT+QICSGP=2,1,"apn2"').ok()
    eq(m.at("AT+QIACT=2", timeout=10).raw, b"\r\n+CME ERROR: 561\r\n", "QIACT refused")
    eq(s.ctl("reboot"), "ok", "reboot")
    rdy(m)
    m.at("AT+CMEE=1").ok()
    eq(m.at("AT+QIACT=2", timeout=10).raw, b"\r\n+CME ERROR: 561\r\n",
       "the network still refuses after a restart")
    eq(s.ctl("actfail 2 0"), "ok", "allow again")
    m.at("AT+QIACT=2", timeout=10).ok()
    for bad in ("actfail 1 549", "actfail 1 575", "actfail 8 561", "actfail 1", "actfail 1 561 0"):
        check(s.ctl(bad, expect_ok=False).startswith("error usage"), "control %r refused" % bad)


@test("recover/pdpdeact-needs-qideact/{model}", models=EC)
def pdpdeact_qideact(t, model):
    s = t.sim(model)
    m = s.connect()
    m.at("AT+CMEE=1").ok()
    m.at('AT+QICSGP=1,1,"internet"').ok()
    m.at("AT+QIACT=1", timeout=10).ok()
    eq(s.ctl("pdpdeact 1"), "ok", "control reply")
    m.wait_urc('+QIURC: "pdpdeact",1', 3)
    # seed 000 2.5.5: the host must execute AT+QIDEACT first
    eq(m.at("AT+QIACTEX=1,0").raw, b"\r\n+CME ERROR: 561\r\n", "QIACTEX before QIDEACT")
    eq(m.at("AT+QIACT=1", timeout=10).raw, b"\r\n+CME ERROR: 561\r\n", "QIACT before QIDEACT")
    m.at("AT+QIDEACT=1", timeout=10).ok()
    m.at("AT+QIACTEX=1,0").ok()
    eq(m.wait_urc("+QIACTEX:", 3).text, "+QIACTEX: 1,0", "activation after QIDEACT")


@test("recover/reboot-contexts-down/{model}", models=EC)
def reboot_down(t, model):
    s = t.sim(model)
    m = s.connect()
    m.at('AT+QICSGP=3,1,"apn3"').ok()
    m.at("AT+QIACT=3", timeout=10).ok()
    check(any(l.startswith("+QIACT: 3,1") for l in m.at("AT+QIACT?").ok().lines), "ctx 3 up")
    m.write(b"AT+CFUN=1,1\r")
    m.wait_urc("RDY", 5)
    m.read_available(0.3)
    m.echo = True
    m.at("ATE0", echo=True).ok()
    m.echo = False
    eq(m.at("AT+QIACT?").ok().lines, [], "no context active after the restart")
    r = m.at("AT+QICSGP=3").ok()
    check(re.fullmatch(r'\+QICSGP: 1,"","","",\d', r.one()), "configuration forgotten: %r" % r.lines)
    eq(s.ctl("ctx 3").split()[-1], "active=0", "control view")
