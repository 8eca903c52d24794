# SPDX-License-Identifier: GPL-2.0
"""PDP contexts: QICSGP, QIACT, QIDEACT, QIACTEX, QIDEACTEX (seed 000
2.4.2-2.4.6, example 3.1.4); BC66 supports context 1 only (seed 001)."""

import re

from harness import test
from modem import check, eq, check_range_field, tcp_server

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")
IPV4 = r'"(\d+\.\d+\.\d+\.\d+)"'


def deact_urc_ok(e, ctx):
    # table: "+QIDEACTEX=<contextID>,<err>"; example 3.1.4: "+QIDEACTEX: 1,0"
    return e.text in ("+QIDEACTEX: %d,0" % ctx, "+QIDEACTEX=%d,0" % ctx)


@test("ctx/qicsgp/{model}", models=EC)
def qicsgp(t, model):
    m = t.sim(model).connect()
    f = m.test_form("QICSGP", 6)
    check_range_field(f[0], range(1, 8), "QICSGP <contextID>s")
    check_range_field(f[1], range(1, 4), "QICSGP <context_type>s")
    check_range_field(f[5], range(0, 3), "QICSGP <authentication>s")
    eq(m.at('AT+QICSGP=1,1,"CMNET"').raw, b"\r\nOK\r\n", 'AT+QICSGP=1,1,"CMNET" (seed 3.1.4)')
    r = m.at("AT+QICSGP=1").ok()
    line = r.one("+QICSGP: ")
    check(re.fullmatch(r'\+QICSGP: 1,"CMNET","","",[0-2]', line), "AT+QICSGP=1 after APN only: %r" % line)
    m.at('AT+QICSGP=7,3,"internet","user","pass",2').ok()
    eq(m.at("AT+QICSGP=7").raw, b'\r\n+QICSGP: 3,"internet","user","pass",2\r\n\r\nOK\r\n', "AT+QICSGP=7 read back")
    m.at('AT+QICSGP=2,2,"apn2","%s","%s",1' % ("u" * 127, "p" * 127)).ok()
    eq(m.at("AT+QICSGP=2").ok().lines, ['+QICSGP: 2,"apn2","%s","%s",1' % ("u" * 127, "p" * 127)],
       "127-byte username/password")
    for bad in ('0,1,"x"', '8,1,"x"', '1,0,"x"', '1,4,"x"', '1,1,"x","u","p",3',
                '1,1,"x","%s","p",0' % ("u" * 128), '1,1,"x","u","%s",0' % ("p" * 128)):
        m.at("AT+QICSGP=%s" % bad).error()
    eq(m.at("AT+QICSGP=7").ok().lines, ['+QICSGP: 3,"internet","user","pass",2'], "unchanged after errors")
    m.at("AT+QICSGP=8").error()


@test("ctx/qiact-qideact/{model}", models=EC)
def qiact(t, model):
    m = t.sim(model).connect()
    r = m.at("AT+QIACT=?").ok()
    check_range_field(r.one("+QIACT: ")[len("+QIACT: "):], range(1, 8), "AT+QIACT=? <contextID>s")
    r = m.at("AT+QIDEACT=?").ok()
    check_range_field(r.one("+QIDEACT: ")[len("+QIDEACT: "):], range(1, 8), "AT+QIDEACT=? <contextID>s")
    r = m.at("AT+QIACT?").ok()
    for l in r.lines:
        check(re.fullmatch(r"\+QIACT: [1-7],0,[1-3].*", l), "AT+QIACT? before any activation lists %r" % l)
    m.at('AT+QICSGP=1,1,"CMNET"').ok()
    m.at('AT+QICSGP=3,1,"other"').ok()
    eq(m.at("AT+QIACT=1", timeout=10).raw, b"\r\nOK\r\n", "AT+QIACT=1")
    m.at("AT+QIACT=3", timeout=10).ok()
    r = m.at("AT+QIACT?").ok()
    act = [l for l in r.lines if re.match(r"\+QIACT: \d,1,", l)]
    eq(len(act), 2, "active contexts in AT+QIACT? (%r)" % r.lines)
    check(re.fullmatch(r"\+QIACT: 1,1,1," + IPV4, act[0]), "AT+QIACT? line %r (seed: +QIACT: 1,1,1,\"a.b.c.d\")" % act[0])
    check(re.fullmatch(r"\+QIACT: 3,1,1," + IPV4, act[1]), "AT+QIACT? line %r" % act[1])
    check(act[0].split(",")[3] != act[1].split(",")[3], "two contexts with the same address: %r" % act)
    for bad in ("0", "8"):
        m.at("AT+QIACT=%s" % bad).error()
        m.at("AT+QIDEACT=%s" % bad).error()
    eq(m.at("AT+QIDEACT=1", timeout=10).raw, b"\r\nOK\r\n", "AT+QIDEACT=1")
    r = m.at("AT+QIACT?").ok()
    check(not any(l.startswith("+QIACT: 1,1") for l in r.lines), "context 1 still active: %r" % r.lines)
    check(any(l.startswith("+QIACT: 3,1,1,") for l in r.lines), "context 3 lost: %r" % r.lines)
    m.at("AT+QIACT=1", timeout=10).ok()
    r = m.at("AT+QIACT?").ok()
    check(any(l.startswith("+QIACT: 1,1,1,") for l in r.lines), "context 1 not re-activated: %r" % r.lines)


@test("ctx/pdp-active-flag/{model}", models=EC)
def pdp_active(t, model):
    m = t.sim(model, pdp_active=True).connect()
    r = m.at("AT+QIACT?")
    eq(r.raw, b'\r\n+QIACT: 1,1,1,"10.0.0.2"\r\n\r\nOK\r\n', "AT+QIACT? with --pdp-active (contract: 10.0.0.2)")


@test("ctx/qiactex/{model}", models=EC)
def qiactex(t, model):
    m = t.sim(model).connect()
    f = m.test_form("QIACTEX", 2)
    check_range_field(f[0], range(1, 8), "QIACTEX <contextID>s")
    check_range_field(f[1], {0, 1}, "QIACTEX <view_mode>s")
    r = m.at("AT+QIDEACTEX=?").ok()
    check_range_field(r.one("+QIDEACTEX: ")[len("+QIDEACTEX: "):], range(1, 8), "AT+QIDEACTEX=? <contextID>s")
    m.at('AT+QICSGP=1,1,"CMNET"').ok()
    # seed 3.1.4: AT+QIACTEX=1 -> OK, then +QIACTEX: 1,0
    r = m.at("AT+QIACTEX=1")
    eq(r.raw, b"\r\nOK\r\n", "AT+QIACTEX=1 immediate reply")
    e = m.wait_urc("+QIACTEX:", 10)
    eq(e.raw, b"\r\n+QIACTEX: 1,0\r\n", "URC after AT+QIACTEX=1")
    r = m.at("AT+QIACTEX?").ok()
    act = [l for l in r.lines if l.startswith("+QIACTEX: 1,")]
    eq(len(act), 1, "AT+QIACTEX? lines %r" % r.lines)
    check(re.fullmatch(r"\+QIACTEX: 1,1,1," + IPV4, act[0]), "AT+QIACTEX? line %r" % act[0])
    ip = act[0].split(",")[3]
    r = m.at("AT+QIACT?").ok()
    check(any(l == "+QIACT: 1,1,1,%s" % ip for l in r.lines), "AT+QIACT? disagrees with AT+QIACTEX?: %r" % r.lines)
    r = m.at("AT+QIDEACTEX=1")
    eq(r.raw, b"\r\nOK\r\n", "AT+QIDEACTEX=1 immediate reply")
    e = m.wait_urc(lambda e: e.text.startswith("+QIDEACTEX"), 10)
    check(deact_urc_ok(e, 1), "URC after AT+QIDEACTEX=1: %r" % e.text)
    r = m.at("AT+QIACT?").ok()
    check(not any(l.startswith("+QIACT: 1,1") for l in r.lines), "context 1 still active: %r" % r.lines)
    # view_mode 1: +QIACTEX: <ctx>,<err>,<type>,<ip>
    m.at('AT+QICSGP=2,1,"CMNET"').ok()
    m.at("AT+QIACTEX=2,1").ok()
    e = m.wait_urc("+QIACTEX:", 10)
    check(re.fullmatch(r"\+QIACTEX: 2,0,1," + IPV4, e.text), "AT+QIACTEX=2,1 URC %r" % e.text)
    m.at("AT+QIACTEX=2,2").error()
    m.at("AT+QIACTEX=8").error()
    m.at("AT+QIDEACTEX=0").error()
    m.at("AT+QIDEACTEX=8").error()


@test("ctx/qiopen-inactive-context/{model}", models=EC)
def open_inactive(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model).connect()
    r = m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0' % srv.getsockname()[1], timeout=10)
    if r.final == "OK":
        e = m.wait_urc("+QIOPEN: 0,", 10)
        check(e.text != "+QIOPEN: 0,0", "QIOPEN succeeded on an inactive context")
        code = int(e.text.split(",")[1])
        check(550 <= code <= 574, "QIOPEN error code %d outside 550-574" % code)
    else:
        r.error()


@test("ctx/context-range/{model}", models=EC + BC)
def ctx_range(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    port = srv.getsockname()[1]
    m = t.sim(model, pdp_active=True).connect()
    bad = ["0", "8"] if model in EC else ["0", "4"]
    for c in bad:
        m.at('AT+QIOPEN=%s,0,"TCP","127.0.0.1",%d,0,0' % (c, port)).error()
    if model in BC:
        # seed 001: "Currently, only <contextID>=1 is supported."
        r = m.at('AT+QIOPEN=2,0,"TCP","127.0.0.1",%d,0,0' % port)
        if r.final == "OK":
            e = m.wait_urc("+QIOPEN: 0,", 5)
            check(e.text != "+QIOPEN: 0,0", "BC66 opened a socket on context 2")
        else:
            r.error()
    m.open_socket(1, "TCP", "127.0.0.1", port)


@test("ctx/ipv6-types/{model}", models=EC)
def ipv6_types(t, model):
    # seed 000 2.4.3: +QIACT: <ctx>,<state>,<context_type>[,<IPv4_address>][,<IPv6_address>]
    m = t.sim(model).connect()
    m.at('AT+QICSGP=2,2,"v6only"').ok()
    m.at('AT+QICSGP=3,3,"dual"').ok()
    m.at("AT+QIACT=2", timeout=10).ok()
    m.at("AT+QIACT=3", timeout=10).ok()
    r = m.at("AT+QIACT?").ok()
    l2 = [l for l in r.lines if l.startswith("+QIACT: 2,")]
    l3 = [l for l in r.lines if l.startswith("+QIACT: 3,")]
    eq(len(l2), 1, "context 2 line in %r" % r.lines)
    eq(len(l3), 1, "context 3 line in %r" % r.lines)
    check(re.fullmatch(r'\+QIACT: 2,1,2,"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*"', l2[0]),
          "IPv6 context: one IPv6 address expected: %r" % l2[0])
    check(re.fullmatch(r'\+QIACT: 3,1,3,' + IPV4 + r',"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*"', l3[0]),
          "IPv4v6 context: IPv4 then IPv6 address expected: %r" % l3[0])
