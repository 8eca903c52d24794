# SPDX-License-Identifier: GPL-2.0
"""Fixes from the BC66/BC66-NA conformance audit against seed 001, one test
each: <protocol_type> against the address family (2.3.1), QIDNSCFG's
IPv4/IPv6 rule (2.3.11 notes 2-3), no IPv6 ping (2.3.8 note 2), UDP data
lost when the 20 nodes are taken (2.4.3), the length-0 QISEND query's
TCP-only fields (2.3.4), the data-mode <send_length> maximum in the
variable-length form (2.3.4)."""

import socket
import time

from harness import test, ALL_MODELS
from modem import check, eq, tcp_server
from test_sockets import udp_setup

BC = ("bc66", "bc66-na")


def lasterr(m, code, text):
    r = m.at("AT+QIGETERROR").ok()
    eq(r.lines, ["+QIGETERROR: %d,%s" % (code, text)], "AT+QIGETERROR")


def nothing_accepted(srv, what):
    srv.settimeout(0.5)
    try:
        c, _ = srv.accept()
        c.close()
        raise AssertionError
    except socket.timeout:
        return
    except AssertionError:
        check(False, "%s: a connection reached the peer" % what)


@test("audit/qiopen-protocol-type/{model}", models=BC)
def qiopen_proto(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    port = srv.getsockname()[1]
    m = t.sim(model).connect()
    # IPv6 asked for, only an IPv4 address: no address of that family
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0,1' % port).ok()
    eq(m.wait_urc("+QIOPEN: 0,", 5).text, "+QIOPEN: 0,565", "IPv6 <protocol_type>, IPv4 address")
    nothing_accepted(srv, "IPv6 <protocol_type> to an IPv4 address")
    # IPv4 asked for (explicitly, and by default), an IPv6 literal
    for cid, extra in ((1, ",0"), (2, "")):
        m.at('AT+QIOPEN=1,%d,"UDP","::1",%d,0,0%s' % (cid, port, extra)).ok()
        eq(m.wait_urc("+QIOPEN: %d," % cid, 5).text, "+QIOPEN: %d,565" % cid,
           "IPv4 <protocol_type>%s, IPv6 address" % (" (default)" if not extra else ""))
    lasterr(m, 565, "dns parse failed")
    # the matching family opens
    m.at('AT+QIOPEN=1,3,"TCP","127.0.0.1",%d,0,0,0' % port).ok()
    eq(m.wait_urc("+QIOPEN: 3,", 5).text, "+QIOPEN: 3,0", "IPv4 <protocol_type>, IPv4 address")
    c, _ = srv.accept()
    c.close()


@test("audit/qidnscfg-family/{model}", models=BC)
def qidnscfg_family(t, model):
    m = t.sim(model).connect()
    m.at('AT+QIDNSCFG=1,"10.0.0.53","10.0.0.54"').ok()
    for args in ('"2001:db8::1"', '"8.8.8.8","2001:db8::2"', '"2001:db8::1","8.8.8.8"'):
        m.at("AT+QIDNSCFG=1,%s" % args).error()
        lasterr(m, 552, "invalid parameters")
    r = m.at("AT+QIDNSCFG=1").ok()
    check(r.lines and r.lines[0].startswith('+QIDNSCFG: 1,"10.0.0.53","10.0.0.54"'),
          "IPv6 servers refused on the IPv4 network, nothing stored: %r" % r.lines)


@test("audit/qidnscfg-after-ip/{model}", models=BC)
def qidnscfg_after_ip(t, model):
    s = t.sim(model)
    m = s.connect()
    s.ctl("pdpdeact 1")
    m.wait_urc('+QIURC: "pdpdeact",1', 5)
    m.at('AT+QIDNSCFG=1,"10.0.0.53"').error()
    lasterr(m, 561, "open pdp context failed")
    m.wait_urc("+IP:", 5)
    m.at('AT+QIDNSCFG=1,"10.0.0.53"').ok()


@test("audit/qping-ipv6/{model}", models=BC)
def qping_ipv6(t, model):
    m = t.sim(model, hosts=("v6.example=fd00::99",)).connect()
    for host in ("::1", "v6.example"):
        r = m.at('AT+QPING=1,"%s"' % host).ok()
        e = m.wait_urc("+QPING:", 5)
        eq(e.text, "+QPING: 555", "ping %s: IPv6 ping is not supported" % host)
        m.no_urc("+QPING:", 0.5)
        lasterr(m, 555, "operation not supported")
    m.at('AT+QPING=1,"127.0.0.1",1,1,200').ok()
    e = m.wait_urc("+QPING: 0,", 5)
    check(e.text.startswith('+QPING: 0,"127.0.0.1",200,'), "IPv4 ping still works: %r" % e.text)


@test("audit/udp-buff-full/{model}", models=BC)
def udp_buff_full(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    for i in range(25):
        peer.sendto(b"dgram-%02d" % i, addr)
        time.sleep(0.01)
    m.wait_urc('+QIURC: "recv",0', 5)
    e = m.wait_urc('+QIURC: "recv",0,"buff full"', 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0,"buff full"\r\n', "buff full URC (seed 001 2.4.3)")
    got = []
    while True:
        hdr, data, r = m.qird(0, 512)
        r.ok()
        if not data:
            break
        got.append(data)
    eq(got, [b"dgram-%02d" % i for i in range(20)],
       "the 20 nodes' datagrams, the 5 that found no node lost")
    m.no_urc('+QIURC: "recv"', 0.4)
    peer.sendto(b"after", addr)
    m.wait_urc('+QIURC: "recv",0', 5)
    hdr, data, r = m.qird(0, 512)
    eq(data, b"after", "a datagram after the drain")


@test("audit/qisend-query-udp/{model}", models=BC)
def qisend_query_udp(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    r = m.at("AT+QISEND=0,0").ok()
    eq(r.lines, ["+QISEND: 4,0,0"], "UDP: <acked>, <nAcked> only for TCP (seed 001 2.3.4)")


def ctrlz_send(m, cid, payload):
    r = m.at("AT+QISEND=%d" % cid)
    eq(r.raw, b"\r\n> ", "variable-length prompt")
    m.write(payload + b"\x1a")


@test("audit/qisend-ctrlz-limit/{model}", models=ALL_MODELS)
def qisend_ctrlz_limit(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    peer.settimeout(0.5)
    bc = model in BC
    ctrlz_send(m, 0, b"x" * 1461)
    m.expect(b"\r\nERROR\r\n", what="1461 bytes in the variable-length form")
    try:
        d = peer.recv(4096)
    except socket.timeout:
        d = None
    eq(d, None, "nothing sent for a refused variable-length send")
    lasterr(m, 552, "invalid parameters")
    ctrlz_send(m, 0, b"y" * 1460)
    m.expect(b"\r\nOK\r\n\r\nSEND OK\r\n" if bc else b"\r\nSEND OK\r\n", what="1460 bytes")
    eq(peer.recv(4096), b"y" * 1460, "1460 bytes at the peer")
    if not bc:
        return
    # hex mode: at most 730 bytes (1460 hex digits) in data mode
    m.at('AT+QICFG="dataformat",1,0').ok()
    ctrlz_send(m, 0, b"41" * 731)
    m.expect(b"\r\nERROR\r\n", what="731 bytes in hex, variable-length form")
    ctrlz_send(m, 0, b"42" * 730)
    m.expect(b"\r\nOK\r\n\r\nSEND OK\r\n", what="730 bytes in hex")
    eq(peer.recv(4096), b"B" * 730, "730 bytes at the peer, none of the refused send")


@test("audit/udp-push-1400-boundary/{model}", models=BC)
def udp_push_1400_boundary(t, model):
    # seed 001 2.4 notes 4-5; the simulator counts the URC from "+QIURC" to
    # the end of the data (header, separator, data; not the framing CRLFs)
    m, peer, addr = udp_setup(t, model, 2, mode=1)
    hdr = len('+QIURC: "recv",2,1377\r\n')
    fits = b"a" * (1400 - hdr)
    peer.sendto(fits, addr)
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.data, fits, "a URC of exactly 1400 bytes is reported")
    peer.sendto(b"b" * (1401 - hdr), addr)
    time.sleep(0.3)
    peer.sendto(b"next", addr)
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.data, b"next", "a URC of 1401 bytes is discarded")


@test("audit/echomode-without-ate/{model}", models=BC)
def echomode_without_ate(t, model):
    # seed 001 2.3.12: <echo_mode> alone decides whether data-mode input is
    # echoed; ATE0 (command echo, the driver's setting) does not silence it
    m, peer, addr = udp_setup(t, model, 0)     # ATE0, echomode 0
    m.at('AT+QICFG="echomode",1').ok()
    eq(m.at("AT+QISEND=0,4").raw, b"\r\n> ", "prompt")
    m.write(b"echo")
    m.expect(b"echo\r\nOK\r\n\r\nSEND OK\r\n", what="data echoed under ATE0 with echomode 1")
    m.at('AT+QICFG="echomode",0').ok()
    eq(m.at("AT+QISEND=0,4").raw, b"\r\n> ", "prompt")
    m.write(b"mute")
    m.expect(b"\r\nOK\r\n\r\nSEND OK\r\n", what="no data echo with echomode 0")
    eq(peer.recv(10), b"echo", "first datagram")
    eq(peer.recv(10), b"mute", "second datagram")


@test("audit/qisend-hex-limits/{model}", models=BC)
def qisend_hex_limits(t, model):
    # seed 001 2.3.4 <send_length>: hex mode 512 bytes inline, 730 in data
    # mode; lengths count bytes, the data is twice as many hex digits
    m, peer, addr = udp_setup(t, model, 0)
    peer.settimeout(0.5)
    m.at('AT+QICFG="dataformat",1,0').ok()
    m.at("AT+QISEND=0,512,%s" % ("41" * 512)).ok()
    eq(m.final().final, "SEND OK", "512 bytes inline in hex")
    eq(peer.recv(2048), b"A" * 512, "512 bytes at the peer")
    for bad in ("0,513,%s" % ("41" * 513), "0,2,414", "0,2,4G41", "0,731"):
        m.at("AT+QISEND=%s" % bad).error()
    r = m.at("AT+QISEND=0,730")
    eq(r.raw, b"\r\n> ", "730-byte data-mode send in hex: prompt")
    m.write(b"43" * 730)
    m.expect(b"\r\nOK\r\n\r\nSEND OK\r\n", what="730 bytes in hex data mode")
    eq(peer.recv(2048), b"C" * 730, "730 bytes at the peer")
    try:
        d = peer.recv(2048)
    except socket.timeout:
        d = None
    eq(d, None, "nothing sent for the refused commands")


@test("audit/qiopen-before-ip/{model}", models=BC)
def qiopen_before_ip(t, model):
    # seed 001 2.3.1 note 4: QIOPEN only after the "+IP:" report; before it
    # nothing reaches the network
    srv = tcp_server()
    t.defer(srv.close)
    port = srv.getsockname()[1]
    s = t.sim(model)
    m = s.connect()
    s.ctl("pdpdeact 1")
    m.wait_urc('+QIURC: "pdpdeact",1', 5)
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0' % port).ok()
    eq(m.wait_urc("+QIOPEN: 0,", 5).text, "+QIOPEN: 0,561", "QIOPEN before +IP:")
    nothing_accepted(srv, "QIOPEN before +IP:")
    eq(m.at("AT+QISTATE?").lines, [], "no socket allocated by the refused QIOPEN")
    m.wait_urc("+IP:", 5)
    m.open_socket(0, "TCP", "127.0.0.1", port)
    c, _ = srv.accept()
    c.close()
