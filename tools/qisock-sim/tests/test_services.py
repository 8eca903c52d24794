# SPDX-License-Identifier: GPL-2.0
"""Modem-wide services: QIDNSGIP (via --host), QIOPEN by name, QIDNSCFG,
QPING, QNTP / BC66 QNTTP, QIGETERROR codes and descriptions
(seed 000 2.4.14-2.4.19, 4; seed 001 2.3.8-2.3.13, 3, 4.3-4.6)."""

import re

from harness import test, ALL_MODELS
from modem import check, eq, esc, is_bc66, check_range_field, tcp_server, free_port

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")
HOSTS = ("example.test=127.0.0.1", "other.test=127.0.0.2")

EC_ERR = {
    0: "Operation success", 550: "Unknown error", 551: "Operation blocked",
    552: "Invalid parameters", 553: "Memory not enough", 554: "Socket creation failed",
    555: "Operation not supported", 556: "Socket bind failed", 557: "Socket listen failed",
    558: "Socket write failed", 559: "Socket read failed", 560: "Socket accept failed",
    561: "PDP Context opening failed", 562: "PDP context closure failed",
    563: "Socket identity has been used", 564: "DNS busy", 565: "DNS parse failed",
    566: "Socket connect failed", 567: "Socket has been closed", 568: "Operation busy",
    569: "Operation timeout", 570: "PDP context broken down", 571: "Cancel sending",
    572: "Operation not allowed", 573: "APN not configured", 574: "Port busy",
}
BC_ERR = dict(EC_ERR)
BC_ERR.update({0: "Operation successful", 554: "Create socket failed",
               561: "Open PDP context failed", 562: "Close PDP context failed",
               566: "Socket connection failed", 571: "Cancel send"})


def check_ctx_field(m, field, what):
    """contextID range of a test form: 1-7, or BC66's 1-3 / only 1 supported."""
    if is_bc66(m.model):
        check(field in ("(1)", "(1-3)"), "BC66 %s <contextID>s %r" % (what, field))
    else:
        check_range_field(field, range(1, 8), "%s <contextID>s" % what)


def geterror(m):
    line = m.at("AT+QIGETERROR").ok().one("+QIGETERROR: ")
    mm = re.fullmatch(r'\+QIGETERROR: (\d+),("?)(.*)\2', line)
    check(mm, "AT+QIGETERROR line %r" % line)
    if is_bc66(m.model):
        check(mm.group(2) == "", "BC66 description is unquoted (seed 001 4.6): %r" % line)
    return int(mm.group(1)), mm.group(3), line


def check_err(m, code):
    got, desc, line = geterror(m)
    eq(got, code, "AT+QIGETERROR code (%r)" % line)
    table = BC_ERR if is_bc66(m.model) else EC_ERR
    eq(desc.lower(), table[code].lower(), "description of %d (%r)" % (code, line))


@test("svc/qigeterror/{model}", models=ALL_MODELS)
def qigeterror(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model, pdp_active=True, hosts=HOSTS).connect()
    eq(m.at("AT+QIGETERROR=?").raw, b"\r\nOK\r\n", "AT+QIGETERROR=?")
    # seed 001 4.6, byte for byte
    eq(m.at('AT+QIOPEN=1,"UDP","220.180.239.212",8063,0,1').raw, b"\r\nERROR\r\n",
       "QIOPEN without connectID (seed 001 4.6)")
    r = m.at("AT+QIGETERROR")
    if is_bc66(model):
        eq(r.raw, b"\r\n+QIGETERROR: 552,invalid parameters\r\n\r\nOK\r\n", "seed 001 4.6")
    else:
        check_err(m, 552)
    m.open_socket(0, "TCP", "127.0.0.1", srv.getsockname()[1])
    check_err(m, 0)
    r = m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0' % srv.getsockname()[1])
    if r.final == "OK":
        eq(m.wait_urc("+QIOPEN: 0,", 5).text, "+QIOPEN: 0,563", "used connectID")
    check_err(m, 563)
    m.at('AT+QIOPEN=1,1,"TCP","nosuch.test",80,0,0', timeout=10).ok()
    eq(m.wait_urc("+QIOPEN: 1,", 10).text, "+QIOPEN: 1,565", "unknown host: DNS parse failed")
    check_err(m, 565)
    m.at('AT+QIOPEN=1,2,"TCP","127.0.0.1",%d,0,0' % free_port(), timeout=10).ok()
    eq(m.wait_urc("+QIOPEN: 2,", 10).text, "+QIOPEN: 2,566", "closed port: socket connect failed")
    check_err(m, 566)


@test("svc/qidnsgip/{model}", models=ALL_MODELS)
def qidnsgip(t, model):
    m = t.sim(model, pdp_active=True, hosts=HOSTS).connect()
    f = m.test_form("QIDNSGIP", 2)
    check_ctx_field(m, f[0], "QIDNSGIP")
    eq(m.at('AT+QIDNSGIP=1,"example.test"', timeout=10).raw, b"\r\nOK\r\n", "AT+QIDNSGIP")
    e = m.wait_urc('+QIURC: "dnsgip",', 10)
    check(re.fullmatch(r'\+QIURC: "dnsgip",0,1,\d+', e.text), "dnsgip header URC %r" % e.text)
    e = m.wait_urc('+QIURC: "dnsgip",', 5)
    eq(e.raw, b'\r\n+QIURC: "dnsgip","127.0.0.1"\r\n', "dnsgip address URC")
    m.at('AT+QIDNSGIP=1,"nosuch.test"', timeout=10).ok()
    e = m.wait_urc('+QIURC: "dnsgip",', 10)
    check(re.fullmatch(r'\+QIURC: "dnsgip",565(,0,0)?', e.text), "unknown name: %r" % e.text)
    m.no_urc('+QIURC: "dnsgip"', 0.3)
    m.at('AT+QIDNSGIP=%d,"example.test"' % (4 if is_bc66(model) else 8)).error()


@test("svc/qiopen-by-name/{model}", models=ALL_MODELS)
def open_by_name(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model, pdp_active=True, hosts=HOSTS).connect()
    m.open_socket(2, "TCP", "example.test", srv.getsockname()[1])
    conn, _ = srv.accept()
    t.defer(conn.close)
    line = m.at("AT+QISTATE=1,2").ok().one("+QISTATE: 2,")
    check(line.split(",")[2] in ('"example.test"', '"127.0.0.1"'), "QISTATE address %r" % line)


@test("svc/qidnscfg/{model}", models=ALL_MODELS)
def qidnscfg(t, model):
    m = t.sim(model, pdp_active=True).connect()
    f = m.test_form("QIDNSCFG", 3)
    check_ctx_field(m, f[0], "QIDNSCFG")
    eq(m.at('AT+QIDNSCFG=1,"218.2.2.2","8.8.8.8"').raw, b"\r\nOK\r\n", "seed 001 4.5 write")
    r = m.at("AT+QIDNSCFG=1")
    if is_bc66(model):
        # example 4.5 shows two addresses, the table adds two IPv6 ones
        check(r.raw == b'\r\n+QIDNSCFG: 1,"218.2.2.2","8.8.8.8"\r\n\r\nOK\r\n' or
              re.fullmatch(rb'\r\n\+QIDNSCFG: 1,"218\.2\.2\.2","8\.8\.8\.8","[^"]*","[^"]*"\r\n\r\nOK\r\n', r.raw),
              "BC66 AT+QIDNSCFG=1: %s" % esc(r.raw))
    else:
        eq(r.raw, b'\r\n+QIDNSCFG: 1,"218.2.2.2","8.8.8.8"\r\n\r\nOK\r\n', "AT+QIDNSCFG=1 (seed 001 4.5 layout)")
    m.at('AT+QIDNSCFG=1,"1.1.1.1"').ok()
    line = m.at("AT+QIDNSCFG=1").ok().one('+QIDNSCFG: 1,"1.1.1.1",')
    m.at('AT+QIDNSCFG=%d,"1.1.1.1"' % (4 if is_bc66(model) else 8)).error()


def ping_lines(m, n, host_ip, size=None, timeout=15):
    out = []
    for _ in range(n + 1):
        out.append(m.wait_urc("+QPING:", timeout).text)
    for l in out[:-1]:
        mm = re.fullmatch(r'\+QPING: 0,"%s",(\d+),(\d+),(\d+)' % re.escape(host_ip), l)
        check(mm, "ping reply line %r" % l)
        if size is not None:
            eq(int(mm.group(1)), size, "<bytes> in %r" % l)
        check(1 <= int(mm.group(3)) <= 255, "<ttl> in %r" % l)
    mm = re.fullmatch(r"\+QPING: 0,%d,%d,0,(\d+),(\d+),(\d+)" % (n, n), out[-1])
    check(mm, "ping summary %r (expected +QPING: 0,%d,%d,0,<min>,<max>,<avg>)" % (out[-1], n, n))
    mn, mx, avg = (int(x) for x in mm.groups())
    check(mn <= avg <= mx, "min <= avg <= max in %r" % out[-1])
    times = [int(l.split(",")[3]) for l in out[:-1]]
    eq((min(times), max(times)), (mn, mx), "summary min/max vs replies")
    return out


@test("svc/qping/{model}", models=ALL_MODELS, timeout=40)
def qping(t, model):
    m = t.sim(model, pdp_active=True, hosts=HOSTS).connect()
    bc = is_bc66(model)
    f = m.test_form("QPING")
    eq(len(f), 5 if bc else 4, "AT+QPING=? fields %r" % f)
    check_range_field(f[2], range(1, 256), "QPING <timeout>s")
    check_range_field(f[3], range(1, 11), "QPING <pingnum>s")
    if bc:
        check_range_field(f[4], range(32, 201), "QPING <ping_size>s")
    eq(m.at('AT+QPING=1,"127.0.0.1"').raw, b"\r\nOK\r\n", "AT+QPING (seed 001 4.3)")
    ping_lines(m, 4, "127.0.0.1", 32 if bc else None)
    m.at('AT+QPING=1,"example.test",4,2').ok()
    ping_lines(m, 2, "127.0.0.1", 32 if bc else None)
    if bc:
        m.at('AT+QPING=1,"127.0.0.1",4,1,64').ok()
        ping_lines(m, 1, "127.0.0.1", 64)
        for bad in ('1,"127.0.0.1",4,1,31', '1,"127.0.0.1",4,1,201'):
            m.at("AT+QPING=%s" % bad).error()
    for bad in ('1,"127.0.0.1",0', '1,"127.0.0.1",256', '1,"127.0.0.1",4,0', '1,"127.0.0.1",4,11',
                '%d,"127.0.0.1"' % (4 if bc else 8)):
        m.at("AT+QPING=%s" % bad).error()


@test("svc/qntp/{model}", models=EC, timeout=30)
def qntp(t, model):
    m = t.sim(model, pdp_active=True, hosts=HOSTS).connect()
    f = m.test_form("QNTP", 6)
    check_range_field(f[0], range(1, 8), "QNTP <contextID>s")
    check_range_field(f[2], range(1, 65536), "QNTP <port>s")
    check_range_field(f[3], {0, 1}, "QNTP <autosettime>s")
    check_range_field(f[4], range(1, 11), "QNTP <retry_cnt>s")
    check_range_field(f[5], range(5, 61), "QNTP <retry_interval_tm>s")
    eq(m.at("AT+QNTP?").raw, b"\r\nOK\r\n", "AT+QNTP? when no synchronisation is in progress")
    eq(m.at('AT+QNTP=1,"example.test"').raw, b"\r\nOK\r\n", "AT+QNTP=1,\"example.test\"")
    e = m.wait_urc("+QNTP:", 15)
    check(re.fullmatch(r'\+QNTP: 0,"\d{4}/\d\d/\d\d,\d\d:\d\d:\d\d[+-]\d\d"', e.text),
          'QNTP result %r (seed: +QNTP: <err>,"YYYY/MM/DD,hh:mm:ss?zz")' % e.text)
    m.at('AT+QNTP=1,"127.0.0.1",123,1,3,15').ok()
    m.wait_urc("+QNTP:", 15)
    for bad in ('1,"x",0', '1,"x",65536', '1,"x",123,2', '1,"x",123,1,0', '1,"x",123,1,11',
                '1,"x",123,1,3,4', '1,"x",123,1,3,61', '8,"x"', '0,"x"'):
        m.at("AT+QNTP=%s" % bad).error()


BC_TIME = r'"\d\d/\d\d/\d\d, ?\d\d:\d\d:\d\d(:\d\d)?[+-]\d\d"'


@test("svc/qnttp/{model}", models=BC, timeout=30)
def qnttp(t, model):
    m = t.sim(model, pdp_active=True, hosts=HOSTS).connect()
    f = m.test_form("QNTTP", 4)
    check_range_field(f[3], {0, 1}, "QNTTP <auto_set_time>s")
    eq(m.at('AT+QNTTP=1,"example.test"').raw, b"\r\nOK\r\n", "seed 001 4.4")
    e = m.wait_urc("+QNTTP:", 15)
    check(re.fullmatch(r"\+QNTTP: 0," + BC_TIME, e.text),
          'QNTTP result %r (seed 001: +QNTTP: 0,"19/06/11,11:08:20:35+32" / "YY/MM/DD, hh:mm:ss+zz")' % e.text)
    # the note also spells it AT+QNTP (title of 2.3.9 in the contents): accept it too
    eq(m.at('AT+QNTP=1,"example.test"').raw, b"\r\nOK\r\n", "AT+QNTP spelling on BC66")
    e = m.wait_urc(lambda e: e.text.startswith("+QNTP:") or e.text.startswith("+QNTTP:"), 15)
    check(re.fullmatch(r"\+QN?TTP: 0," + BC_TIME, e.text) or re.fullmatch(r"\+QNTP: 0," + BC_TIME, e.text),
          "result of AT+QNTP on BC66: %r" % e.text)
    m.at('AT+QNTTP=1,"127.0.0.1",123,1').ok()
    m.wait_urc("+QNTTP:", 15)
    m.at('AT+QNTTP=1,"127.0.0.1",123,2').error()
    m.at('AT+QNTTP=4,"127.0.0.1"').error()
