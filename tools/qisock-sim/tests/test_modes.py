# SPDX-License-Identifier: GPL-2.0
"""Dialect forms and access modes: BC66 inline QISEND, showlength, viewmode,
"buff full"; QISENDEX; hex data format; QISWTMD; EC200U transparent mode
with +++ guard times and ATO (seed 000 1.1, 2.4.12-13; seed 001 2.3.4-2.3.7, 4.1-4.2)."""

import time

from harness import test, ALL_MODELS
from modem import check, eq, is_bc66, recv_exact, tcp_server, free_port
from test_sockets import setup, read_all, peer_silent, udp_setup, peer_sends

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")


@test("bc66/qisend-inline/{model}", models=BC)
def inline(t, model):
    s, m, srv, conn, addr = setup(t, model)
    r = m.at("AT+QISEND=0,10,1234567890")
    eq(r.raw, b"\r\nOK\r\n", "AT+QISEND=0,10,1234567890 first result")
    m.expect(b"\r\nSEND OK\r\n", what="then SEND OK (seed 001 4.1.2)")
    eq(recv_exact(conn, 10), b"1234567890", "peer")
    m.at('AT+QISEND=0,12,"012345678901"').ok()
    m.expect(b"\r\nSEND OK\r\n", what="quoted inline data")
    eq(recv_exact(conn, 12), b"012345678901", "peer gets the data without quotes")
    m.at('AT+QISEND=0,3,"a,b"').ok()
    m.expect(b"\r\nSEND OK\r\n", what="quoted inline data with a comma")
    eq(recv_exact(conn, 3), b"a,b", "peer")
    m.at("AT+QISEND=0,5,1234").error()  # <send_length> must equal the data length
    big = "x" * 1024
    m.at("AT+QISEND=0,1024,%s" % big).ok()
    m.expect(b"\r\nSEND OK\r\n", what="1024-byte inline text (max)")
    eq(recv_exact(conn, 1024), big.encode(), "peer")
    m.at("AT+QISEND=0,1025,%s" % (big + "x")).error()
    m.at("AT+QISEND=0,1461").error()  # data mode max 1460
    peer_silent(conn)


@test("bc66/showlength-remaining/{model}", models=BC)
def showlength(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(m.at('AT+QICFG="showlength",1').raw, b"\r\nOK\r\n", "showlength 1")
    conn.sendall(b"123456789012")
    e = m.wait_urc('+QIURC: "recv",0', 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0,12\r\n', "recv URC with length (seed 001 4.1.3)")
    hdr, d, r = m.qird(0, 10, remaining=True)
    eq(r.raw, b"\r\n+QIRD: 10,2\r\n1234567890\r\n\r\nOK\r\n", "AT+QIRD=0,10 (seed 001 4.1.3)")
    hdr, d, r = m.qird(0, 10, remaining=True)
    eq(r.raw, b"\r\n+QIRD: 2,0\r\n12\r\n\r\nOK\r\n", "rest of the node")
    hdr, d, r = m.qird(0, 10, remaining=True)
    eq(r.raw, b"\r\n+QIRD: 0\r\n\r\nOK\r\n", "drained")
    m.at('AT+QICFG="showlength",0').ok()
    conn.sendall(b"abc")
    e = m.wait_urc('+QIURC: "recv",0', 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0\r\n', "showlength 0: no length")
    hdr, d, r = m.qird(0, 10)
    eq(r.raw, b"\r\n+QIRD: 3\r\nabc\r\n\r\nOK\r\n", "showlength 0: no remaining")


@test("bc66/viewmode-1/{model}", models=BC)
def viewmode1(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICFG="showlength",1').ok()
    m.at('AT+QICFG="viewmode",1').ok()
    m.at('AT+QISEND=0,12,"012345678901"').ok()
    m.expect(b"\r\nSEND OK\r\n", what="SEND OK")
    eq(recv_exact(conn, 12), b"012345678901", "peer")
    conn.sendall(b"012345678901")
    e = m.wait_urc('+QIURC: "recv",0', 5)
    eq(e.text, '+QIURC: "recv",0,12', "URC (seed 001 4.1.3)")
    hdr, d, r = m.qird(0, 10, remaining=True, viewmode=1)
    eq(r.raw, b"\r\n+QIRD: 10,2,0123456789\r\n\r\nOK\r\n", "viewmode 1 read (seed 001 4.1.3)")
    m.at('AT+QICFG="showlength",0').ok()
    hdr, d, r = m.qird(0, 10, viewmode=1)
    eq(r.raw, b"\r\n+QIRD: 2,01\r\n\r\nOK\r\n", "viewmode 1, showlength 0")


@test("bc66/direct-push-viewmode-1/{model}", models=BC)
def push_viewmode1(t, model):
    s, m, srv, conn, addr = setup(t, model, mode=1)
    m.at('AT+QICFG="viewmode",1').ok()
    conn.sendall(b"012345678901")
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0,12,012345678901', "direct push, viewmode 1 (seed 001 4.2.3)")
    eq(e.trailer, b"\r\n", "CRLF closing the URC line")
    conn.sendall(b"1\r\n2")
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.data, b"1\r\n2", "binary payload in viewmode 1")


@test("bc66/buff-full/{model}", models=BC)
def buff_full(t, model):
    m, peer, addr = udp_setup(t, model, 1)
    for i in range(25):
        peer.sendto(b"%02d" % i, addr)
        time.sleep(0.01)
    m.wait_urc('+QIURC: "recv",1', 5)
    e = m.wait_urc(lambda e: e.text.endswith('"buff full"'), 5)
    eq(e.raw, b'\r\n+QIURC: "recv",1,"buff full"\r\n', "more than 20 nodes (seed 001 2.4.3)")
    got = read_all(m, 1, 40, 512)
    eq(got, b"".join(b"%02d" % i for i in range(20)), "the 20 buffered datagrams")


@test("sock/qisendex/{model}", models=ALL_MODELS)
def qisendex(t, model):
    s, m, srv, conn, addr = setup(t, model)
    if is_bc66(model):
        r = m.at("AT+QISENDEX=0,5,3031323334")
        eq(r.raw, b"\r\nOK\r\n", "AT+QISENDEX=0,5,3031323334 (seed 001 4.1.2)")
        m.expect(b"\r\nSEND OK\r\n", what="SEND OK")
        eq(recv_exact(conn, 5), b"01234", "peer")
        m.at("AT+QISENDEX=0,512,%s" % ("00" * 512)).ok()
        m.expect(b"\r\nSEND OK\r\n", what="512 bytes (max)")
        eq(recv_exact(conn, 512), b"\x00" * 512, "peer")
        for bad in ("0,513,%s" % ("00" * 513), "0,2,303", "0,2,3g31", "0,3,3031", "5,1,30"):
            m.at("AT+QISENDEX=%s" % bad).error()
    else:
        r = m.at('AT+QISENDEX=0,"3031323334"')
        eq(r.raw, b"\r\nSEND OK\r\n", 'AT+QISENDEX=0,"3031323334"')
        eq(recv_exact(conn, 5), b"01234", "peer")
        eq(m.at('AT+QISENDEX=0,"%s"' % ("0d0a" * 128)).raw, b"\r\nSEND OK\r\n", "512-char hex string")
        eq(recv_exact(conn, 256), b"\r\n" * 128, "peer: 512-char hex string")
        # "The max length is 512 bytes": 1026 hex chars exceed it however it is read
        for bad in ('0,"%s"' % ("00" * 513), '0,"303"', '0,"3g"', '12,"30"', '5,"30"'):
            m.at("AT+QISENDEX=%s" % bad).error()
    peer_silent(conn)


@test("sock/hex-dataformat/{model}", models=ALL_MODELS)
def hex_format(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICFG="dataformat",1,1').ok()
    peer_sends(m, conn, b"AB\r\n")
    # <read_actual_length> may count bytes (4) or hex characters (8): the
    # seeds do not say; the data must be the hex text either way
    cmd = "AT+QIRD=0,512"
    r = m.at(cmd).ok()
    eq(len(r.lines), 2, "hex QIRD lines %r" % r.lines)
    check(r.lines[0] in ("+QIRD: 4", "+QIRD: 8"), "hex QIRD header %r" % r.lines[0])
    eq(r.lines[1].upper(), "41420D0A", "received data as hex text")
    if is_bc66(model):
        r = m.at("AT+QISEND=0,3,414243")
        if r.final != "OK":
            r = m.at("AT+QISEND=0,6,414243")
        r.ok()
        m.expect(b"\r\nSEND OK\r\n", what="SEND OK (hex)")
        eq(recv_exact(conn, 3), b"ABC", "peer gets the decoded bytes")


@test("sock/qiswtmd/{model}", models=ALL_MODELS)
def qiswtmd(t, model):
    s, m, srv, conn, addr = setup(t, model)
    bc = is_bc66(model)
    eq(m.at("AT+QISWTMD=0,1").raw, b"\r\nOK\r\n", "switch to direct push")
    m.push[0] = {"udp_service": False}
    conn.sendall(b"pushed")
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0,6\r\npushed', "after QISWTMD=0,1")
    line = m.at("AT+QISTATE=1,0").ok().one("+QISTATE: ")
    eq(line.split(",")[7 if bc else 8], "1", "QISTATE <access_mode> 1 in %r" % line)
    eq(m.at("AT+QISWTMD=0,0").raw, b"\r\nOK\r\n", "switch to buffer")
    del m.push[0]
    conn.sendall(b"buffered")
    e = m.wait_urc('+QIURC: "recv",0', 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0\r\n', "after QISWTMD=0,0")
    eq(read_all(m, 0, 8, 512), b"buffered", "QIRD after switching back")
    if bc:
        m.at("AT+QISWTMD=0,2").error()
        eq(m.at("AT+QISWTMD?").raw, b"\r\nOK\r\n", "AT+QISWTMD? (seed 001)")
        m.at("AT+QISWTMD=5,0").error()
    else:
        m.at("AT+QISWTMD=0,3").error()
        m.at("AT+QISWTMD=12,0").error()
    m.at("AT+QISWTMD=3,1").error()  # not open


def transparent_setup(t, model, via="open"):
    s, m, srv, conn, addr = setup(t, model) if via == "swtmd" else (None,) * 5
    if via == "open":
        srv = tcp_server()
        t.defer(srv.close)
        s = t.sim(model, pdp_active=True)
        m = s.connect()
        r = m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,2' % srv.getsockname()[1], timeout=10)
        eq(r.raw, b"\r\nCONNECT\r\n", "QIOPEN access_mode 2 (seed 000 2.4.7: CONNECT)")
        conn, addr = srv.accept()
        t.defer(conn.close)
        conn.settimeout(5)
    else:
        r = m.at("AT+QISWTMD=0,2")
        eq(r.raw, b"\r\nCONNECT\r\n", "QISWTMD=0,2 (seed 000 2.4.13: CONNECT)")
    return s, m, conn


def escape(m, what="+++ after guard times"):
    time.sleep(1.2)
    m.write(b"+++")
    time.sleep(1.2)
    m.expect(b"\r\nOK\r\n", timeout=3, what=what)


@test("transparent/qiopen-data-escape-ato/{model}", models=EC, timeout=30)
def transparent(t, model):
    s, m, conn = transparent_setup(t, model, "open")
    data = b"raw \r\nOK\r\n\x1a\x1b data\x00"
    m.write(data)
    eq(recv_exact(conn, len(data)), data, "host bytes reach the peer unchanged")
    payload = b"\r\n+QIURC: \"recv\",0\r\nOK\r\n\x00\xff"
    conn.sendall(payload)
    eq(m.read_exact(len(payload), 5), payload, "peer bytes reach the host unchanged, no URC")
    escape(m)
    eq(m.at("AT").raw, b"\r\nOK\r\n", "command mode after +++")
    r = m.at("ATO")
    eq(r.raw, b"\r\nCONNECT\r\n", "ATO returns to transparent mode")
    m.write(b"again")
    eq(recv_exact(conn, 5), b"again", "data after ATO")
    escape(m, "+++ a second time")


@test("transparent/qiswtmd-2/{model}", models=EC, timeout=30)
def transparent_swtmd(t, model):
    s, m, conn = transparent_setup(t, model, "swtmd")
    m.write(b"via swtmd")
    eq(recv_exact(conn, 9), b"via swtmd", "peer")
    conn.sendall(b"back")
    eq(m.read_exact(4, 5), b"back", "host")
    escape(m)


@test("transparent/plus-without-guard-is-data/{model}", models=EC, timeout=30)
def plus_no_guard(t, model):
    s, m, conn = transparent_setup(t, model, "open")
    m.write(b"a+++b")
    eq(recv_exact(conn, 5), b"a+++b", "+++ inside data is data")
    # rule 3: nothing within 1 s after +++; rule 1: nothing within 1 s before
    for pieces, why in (((b"+++x",), "+++ followed by another character within 1 s"),
                        ((b"data", b"+++"), "+++ less than 1 s after data")):
        time.sleep(1.2)
        for i, p in enumerate(pieces):
            if i:
                time.sleep(0.3)
            m.write(p)
        time.sleep(1.4)
        eq(m.read_available(0.2), b"", why + " must not escape")
        sent = b"".join(pieces)
        eq(recv_exact(conn, len(sent)), sent, "peer gets %r" % sent)
    escape(m)


@test("transparent/buffer-after-escape/{model}", models=EC, timeout=30)
def transparent_after(t, model):
    # seed 000 1.1: "When OK is returned, the module will be switched to buffer access mode."
    s, m, conn = transparent_setup(t, model, "open")
    escape(m)
    line = m.at("AT+QISTATE=1,0").ok().one("+QISTATE: 0,")
    eq(line.split(",")[8], "0", "<access_mode> after +++ (buffer) in %r" % line)
    conn.sendall(b"later")
    m.wait_urc('+QIURC: "recv",0', 5)
    eq(read_all(m, 0, 5, 1500), b"later", "data received after +++ is buffered")


@test("transparent/ato-no-carrier/{model}", models=EC)
def ato_nc(t, model):
    m = t.sim(model).connect()
    eq(m.at("ATO").raw, b"\r\nNO CARRIER\r\n", "ATO with no connection ever in transparent mode (seed 000 1.1)")


@test("bc66/qiopen-protocol-type/{model}", models=BC)
def protocol_type(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model, pdp_active=True).connect()
    m.open_socket(0, "TCP", "127.0.0.1", srv.getsockname()[1], extra=",0")
    conn, _ = srv.accept()
    t.defer(conn.close)
    m.at('AT+QIOPEN=1,1,"TCP","127.0.0.1",%d,0,0,2' % srv.getsockname()[1]).error()
    line = m.at("AT+QISTATE=1,0").ok().one("+QISTATE: 0,")
    eq(len(line.split(",")), 8, "BC66 QISTATE fields in %r" % line)


@test("bc66/udp-push-1400/{model}", models=BC)
def udp_push_1400(t, model):
    # seed 001 2.4 note 5: "When receiving data in UDP direct push mode, the
    # module will discard URCs exceeding 1400 bytes."
    m, peer, addr = udp_setup(t, model, 2, mode=1)
    small = bytes(range(256)) * 5 + bytes(20)  # 1300 bytes
    peer.sendto(small, addr)
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.data, small, "1300-byte datagram pushed")
    peer.sendto(b"\x55" * 1450, addr)
    time.sleep(0.3)
    peer.sendto(b"next", addr)
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.data, b"next", "the URC for the 1450-byte datagram is discarded")


@test("transparent/open-refused/{model}", models=EC)
def transparent_refused(t, model):
    # seed 000 2.4.7: access_mode 2 -> CONNECT, or "ERROR. Error description
    # can be got via AT+QIGETERROR."
    m = t.sim(model, pdp_active=True).connect()
    r = m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,2' % free_port(), timeout=10)
    eq(r.raw, b"\r\nERROR\r\n", "transparent QIOPEN to a closed port")
    line = m.at("AT+QIGETERROR").ok().one("+QIGETERROR: ")
    check(line.startswith("+QIGETERROR: 566,"), "QIGETERROR after it: %r" % line)
    eq(m.at("AT").raw, b"\r\nOK\r\n", "still in command mode")
