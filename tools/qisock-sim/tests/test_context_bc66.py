# SPDX-License-Identifier: GPL-2.0
"""BC66 context 1 (seed 001: no context command; "+IP: <addr>" once
registered, sockets and DNS servers only after it, 2.3.1 and 2.3.11 notes)
and the 3GPP TS 27.007 commands the driver uses for it: AT+CGDCONT (its
definition, changed only with the radio off), AT+CFUN=0/1 (detach and
attach again, "+IP:" after the attach), AT+CGPADDR."""

import re

from harness import test
from modem import check, eq, tcp_server

BC = ("bc66", "bc66-na")
CGD = re.compile(r'\+CGDCONT: 1,"(IP|IPV6|IPV4V6)","([^"]*)","([^"]*)",0,0')


def cgdcont1(m):
    r = m.at("AT+CGDCONT?").ok()
    ls = [CGD.fullmatch(l) for l in r.lines if l.startswith("+CGDCONT: 1,")]
    eq(len(ls), 1, "one +CGDCONT line for cid 1 in %r" % r.lines)
    check(ls[0], "+CGDCONT line form: %r" % r.lines)
    return ls[0].group(1), ls[0].group(2), ls[0].group(3)


@test("ctx/bc66-cgdcont/{model}", models=BC)
def bc66_cgdcont(t, model):
    m = t.sim(model).connect()
    r = m.at("AT+CGDCONT=?").ok()
    eq(len(r.lines), 3, "AT+CGDCONT=? one line per PDP type: %r" % r.lines)
    typ, apn, addr = cgdcont1(m)
    eq(typ, "IP", "factory PDP type")
    check(re.fullmatch(r"\d+\.\d+\.\d+\.\d+", addr), "PDP_addr once registered: %r" % addr)
    # attached with it: a real module may refuse; the simulator always does
    m.at('AT+CGDCONT=1,"IP","other"').error()
    eq(cgdcont1(m)[1], apn, "APN unchanged after a refused write")
    for bad in ('0,"IP","x"', '4,"IP","x"', '1,"PPP","x"', '1,"IP","%s"' % ("a" * 101)):
        m.at("AT+CGDCONT=%s" % bad).error()
    m.at("AT+CFUN=0", timeout=10).ok()
    eq(m.at("AT+CFUN?").one("+CFUN: "), "+CFUN: 0", "AT+CFUN? after AT+CFUN=0")
    m.at('AT+CGDCONT=1,"IP","iot.example"').ok()
    eq(cgdcont1(m)[:2], ("IP", "iot.example"), "read back while detached")
    eq(cgdcont1(m)[2], "", "no PDP_addr while detached")


@test("ctx/bc66-reattach/{model}", models=BC)
def bc66_reattach(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    port = srv.getsockname()[1]
    m = t.sim(model).connect()
    m.open_socket(0, "TCP", "127.0.0.1", port)
    m.at("AT+CFUN=0", timeout=10).ok()
    m.no_urc("+IP:", 1.0)
    # no "+IP:": nothing opens, no DNS server can be set
    r = m.at('AT+QIOPEN=1,1,"TCP","127.0.0.1",%d,0,0' % port)
    if r.final == "OK":
        e = m.wait_urc("+QIOPEN: 1,", 5)
        check(e.text != "+QIOPEN: 1,0", "a socket opened while detached")
    else:
        r.error()
    m.at('AT+QIDNSCFG=1,"8.8.8.8"').error()
    eq(m.at("AT+CGPADDR=1").one("+CGPADDR: "), "+CGPADDR: 1", "no address while detached")
    m.at('AT+CGDCONT=1,"IPV4V6","dual"').ok()
    m.at("AT+CFUN=1", timeout=10).ok()
    e4 = m.wait_urc("+IP:", 5)
    e6 = m.wait_urc("+IP:", 5)
    check(re.fullmatch(r"\+IP: \d+\.\d+\.\d+\.\d+", e4.text), "IPv4 +IP: %r" % e4.text)
    check(re.fullmatch(r"\+IP: [0-9A-Fa-f:]+", e6.text), "IPv6 +IP: %r" % e6.text)
    line = m.at("AT+CGPADDR=1").one("+CGPADDR: ")
    check(re.fullmatch(r'\+CGPADDR: 1,"[0-9.]+","[0-9A-Fa-f:]+"', line), "AT+CGPADDR=1: %r" % line)
    m.open_socket(1, "TCP", "127.0.0.1", port)


@test("ctx/bc66-dns-family/{model}", models=BC)
def bc66_dns_family(t, model):
    # seed 001 2.3.11 notes 2 and 3: only the network's families
    m = t.sim(model).connect()
    m.at('AT+QIDNSCFG=1,"FD00::1"').error()
    m.at('AT+QIDNSCFG=1,"8.8.8.8","FD00::1"').error()
    m.at('AT+QIDNSCFG=1,"8.8.8.8","1.1.1.1"').ok()
    m.at("AT+CFUN=0", timeout=10).ok()
    m.at('AT+CGDCONT=1,"IPV6",""').ok()
    m.at("AT+CFUN=1", timeout=10).ok()
    e = m.wait_urc("+IP:", 5)
    check(":" in e.text, "IPv6 context reports an IPv6 +IP: %r" % e.text)
    m.at('AT+QIDNSCFG=1,"8.8.8.8"').error()
    m.at('AT+QIDNSCFG=1,"FD00::53"').ok()


@test("ctx/bc66-cgdcont-nvram/{model}", models=BC)
def bc66_cgdcont_nvram(t, model):
    m = t.sim(model).connect()
    m.at("AT+CFUN=0", timeout=10).ok()
    m.at('AT+CGDCONT=1,"IP","kept"').ok()
    m.at("AT+CFUN=1,1")
    m.wait_urc("RDY", 5)
    m.wait_urc("+IP:", 5)
    eq(cgdcont1(m)[1], "kept", "AT+CGDCONT survives a restart (NVRAM)")
