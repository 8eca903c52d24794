# SPDX-License-Identifier: GPL-2.0
"""Client sockets against real TCP/UDP peers on 127.0.0.1: QIOPEN, QISEND
(all forms), QIRD (all forms), the one-"recv"-URC rule, direct push, QICLOSE,
QISTATE, remote close (seed 000 2.4.7-2.4.11, 2.5; seed 001 2.3.1-2.3.5, 4.1-4.2)."""

import re
import socket
import time

from harness import test, ALL_MODELS
from modem import (Fail, check, eq, esc, is_bc66, split_test_form, check_range_field,
                   tcp_server, udp_socket, recv_exact, free_port)

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")
AT_PORTS = ("usbmodem", "usbat", "uart1", "cmux1", "cmux2", "cmux3", "cmux4")
BINARY = b"\r\nOK\r\n\x00\x01+QIURC: \"recv\",0\r\n\x1a\x1b\xff\r\nERROR\r\n> \x00tail"


def quiet_data_echo(m):
    """Switch off the echo of data-mode input (QISDE / QICFG echomode) so a
    test sees only the module's replies; the echo itself is tested apart."""
    if is_bc66(m.model):
        m.at('AT+QICFG="echomode",0').ok()
    else:
        m.at("AT+QISDE=0").ok()


def setup(t, model, mode=0, cid=0, **kw):
    srv = tcp_server()
    t.defer(srv.close)
    s = t.sim(model, pdp_active=True, **kw)
    m = s.connect()
    quiet_data_echo(m)
    m.open_socket(cid, "TCP", "127.0.0.1", srv.getsockname()[1], mode=mode)
    conn, addr = srv.accept()
    t.defer(conn.close)
    conn.settimeout(5)
    return s, m, srv, conn, addr


def send_ok_final(m, what):
    """After the data phase: EC200U -> SEND OK; BC66 -> OK then SEND OK."""
    if is_bc66(m.model):
        m.expect(b"\r\nOK\r\n\r\nSEND OK\r\n", what=what + " (BC66: OK then SEND OK)")
    else:
        m.expect(b"\r\nSEND OK\r\n", what=what)


def send_check(m, conn, cid, data, what="send"):
    """Fixed-length AT+QISEND on cid: exact prompt, the dialect's result and,
    for a TCP peer conn, the bytes at the peer."""
    r = m.at("AT+QISEND=%d,%d" % (cid, len(data)))
    eq(r.raw, b"\r\n> ", "%s: AT+QISEND=%d,%d prompt" % (what, cid, len(data)))
    m.write(data)
    send_ok_final(m, what)
    if conn is not None:
        eq(recv_exact(conn, len(data)), data, "%s: bytes at the peer" % what)


def peer_silent(conn, what="nothing sent for rejected commands"):
    conn.settimeout(0.3)
    try:
        extra = conn.recv(10)
    except socket.timeout:
        extra = b""
    eq(extra, b"", what)


def udp_setup(t, model, cid, mode=0):
    """A UDP client socket to a real peer: (modem, peer, the sim's address)."""
    peer = udp_socket()
    t.defer(peer.close)
    m = t.sim(model, pdp_active=True).connect()
    quiet_data_echo(m)
    m.open_socket(cid, "UDP", "127.0.0.1", peer.getsockname()[1], mode=mode)
    send_check(m, None, cid, b"ping", "UDP send")
    data, addr = peer.recvfrom(100)
    eq(data, b"ping", "UDP datagram at the peer")
    return m, peer, addr


def echo_on_socket(t, model):
    """ATE1 (power-on default) and TCP socket 0 to a real peer: (modem, peer)."""
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model, pdp_active=True).connect(echo_off=False)
    m.echo = True
    m.open_socket(0, "TCP", "127.0.0.1", srv.getsockname()[1])
    conn, _ = srv.accept()
    t.defer(conn.close)
    return m, conn


def check_data_echo(m, conn, off_cmd, result):
    """Under ATE1: data-mode input echoed by default, not after off_cmd."""
    send = "AT+QISEND=0,4"
    eq(m.at(send).raw, b"\r\n> ", "prompt")
    m.write(b"echo")
    m.expect(b"echo" + result, what="data echoed, then the send result")
    m.at(off_cmd).ok()
    m.at(send)
    m.write(b"mute")
    m.expect(result, what="after %s: no data echo even with ATE1" % off_cmd)
    eq(recv_exact(conn, 8), b"echomute", "peer")


def pattern(n):
    return bytes((i * 13 + 1) & 0xFF for i in range(n))


def peer_sends(m, conn, data, cid=0):
    """The TCP peer sends data; wait for the buffer-mode recv URC."""
    conn.sendall(data)
    e = m.wait_urc('+QIURC: "recv",%d' % cid, 5)
    time.sleep(0.1)
    return e


def read_all(m, cid, total, chunk, **kw):
    out = b""
    deadline = time.monotonic() + 10
    while len(out) < total and time.monotonic() < deadline:
        hdr, data, r = m.qird(cid, chunk, **kw)
        r.ok()
        check(hdr is not None, "AT+QIRD gave no +QIRD line")
        if not data:
            time.sleep(0.05)
        check(len(data) <= chunk, "AT+QIRD=%d,%d returned %d bytes" % (cid, chunk, len(data)))
        out += data
    return out


def wait_unread(m, cid, n, timeout=3.0):
    """EC200U: poll AT+QIRD=cid,0 until <unread_length> reaches n."""
    deadline = time.monotonic() + timeout
    line = None
    while time.monotonic() < deadline:
        line = m.at("AT+QIRD=%d,0" % cid).ok().one("+QIRD: ")
        v = [int(x) for x in line[7:].split(",")]
        if len(v) == 3 and v[2] >= n:
            return v
        time.sleep(0.05)
    raise Fail("unread length never reached %d (last %r)" % (n, line))


@test("sock/test-forms/{model}", models=ALL_MODELS)
def test_forms(t, model):
    m = t.sim(model).connect()
    bc = is_bc66(model)
    ids = range(0, 5) if bc else range(0, 12)
    f = m.test_form("QIOPEN")
    if bc:
        check(parse_ctx(f[0]) in ({1}, {1, 2, 3}), "BC66 QIOPEN <contextID>s %r" % f[0])
        check_range_field(f[1], ids, "QIOPEN <connectID>s")
        eq(f[2], '"TCP/UDP"', "BC66 QIOPEN service types")
        check_range_field(f[-2], {0, 1}, "BC66 QIOPEN <access_mode>s")
        check_range_field(f[-1], {0, 1}, "BC66 QIOPEN <protocol_type>s")
    else:
        check_range_field(f[0], range(1, 8), "QIOPEN <contextID>s")
        check_range_field(f[1], ids, "QIOPEN <connectID>s")
        eq(f[2], '"TCP/UDP/TCP LISTENER/UDP SERVICE"', "QIOPEN service types")
        check_range_field(f[-3], {0, 1, 2}, "QIOPEN <access_mode>s")
        check_range_field(f[-2], range(0, 12), "QIOPEN <tcp_client_maxnum>s")
        check_range_field(f[-1], range(10, 151), "QIOPEN <connect_timeout>s")
    # BC66: QICLOSE has no <timeout>; QISEND and QISENDEX add <data>/<hex_string>
    f = m.test_form("QICLOSE", 1 if bc else 2)
    check_range_field(f[0], ids, "QICLOSE <connectID>s")
    if not bc:
        check_range_field(f[1], range(0, 65536), "QICLOSE <timeout>s")
    eq(m.at("AT+QISTATE=?").raw, b"\r\nOK\r\n", "AT+QISTATE=?")
    f = m.test_form("QISEND", 3 if bc else 2)
    check_range_field(f[0], ids, "QISEND <connectID>s")
    if not bc:
        check_range_field(f[1], range(0, 1461), "QISEND <send_length>s")
    f = m.test_form("QIRD", 2)
    check_range_field(f[0], ids, "QIRD <connectID>s")
    check_range_field(f[1], range(1, 513) if bc else range(0, 1501), "QIRD <read_length>s")
    f = m.test_form("QISWTMD")
    check_range_field(f[0], ids, "QISWTMD <connectID>s")
    check_range_field(f[1], {0, 1} if bc else {0, 1, 2}, "QISWTMD <access_mode>s")
    f = m.test_form("QISENDEX", 3 if bc else 2)
    check_range_field(f[0], ids, "QISENDEX <connectID>s")
    if bc:
        rg = parse_ctx(f[1])
        check(max(rg) == 512 and min(rg) in (0, 1), "BC66 QISENDEX <send_length>s %r (max 512)" % f[1])


def parse_ctx(field):
    from modem import parse_range
    return parse_range(field)


@test("sock/tcp-buffer-basic/{model}", models=ALL_MODELS)
def tcp_buffer(t, model):
    s, m, srv, conn, addr = setup(t, model)
    bc = is_bc66(model)
    # QISTATE=1,0 (seed 001 4.1.1: +QISTATE: 0,"TCP","220.180.239.212",8062,1234,2,1,0)
    line = m.at("AT+QISTATE=1,0").ok().one("+QISTATE: ")
    port = srv.getsockname()[1]
    lp = r"(0|%d)" % addr[1]
    if bc:
        pat = r'\+QISTATE: 0,"TCP","127\.0\.0\.1",%d,%s,2,1,0' % (port, lp)
    else:
        pat = r'\+QISTATE: 0,"TCP","127\.0\.0\.1",%d,%s,2,1,0,0,"(%s)"' % (port, lp, "|".join(AT_PORTS))
    check(re.fullmatch(pat, line), "AT+QISTATE=1,0: %r does not match %s" % (line, pat))
    # fixed length send: prompt is exactly \r\n> (contract), SEND OK
    send_check(m, conn, 0, b"hello")
    # receive: one URC, then QIRD
    conn.sendall(b"world!")
    e = m.wait_urc('+QIURC: "recv",0', 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0\r\n', "recv URC in buffer mode (default showlength/recvind 0)")
    time.sleep(0.1)
    hdr, data, r = m.qird(0, 512 if bc else 1500)
    eq(r.raw, b"\r\n+QIRD: 6\r\nworld!\r\n\r\nOK\r\n", "AT+QIRD reply bytes (seed 001 4.1.3 layout)")
    hdr, data, r = m.qird(0, 512 if bc else 1500)
    eq(r.raw, b"\r\n+QIRD: 0\r\n\r\nOK\r\n", "AT+QIRD with no data")
    m.expect_silence(0.3, "no further output")


@test("sock/qisend-variable-ctrlz-esc/{model}", models=ALL_MODELS)
def qisend_variable(t, model):
    s, m, srv, conn, addr = setup(t, model)
    r = m.at("AT+QISEND=0")
    eq(r.raw, b"\r\n> ", "AT+QISEND=0 prompt")
    m.write(b"1234567890\x1a")
    send_ok_final(m, "after Ctrl+Z")
    eq(recv_exact(conn, 10), b"1234567890", "peer received (Ctrl+Z not sent)")
    r = m.at("AT+QISEND=0")
    check(r.prompt, "second AT+QISEND=0: no prompt (%s)" % esc(r.raw))
    m.write(b"cancelled\x1b")
    got = m.read_available(0.5)
    check(re.fullmatch(rb"(\r\n(OK|ERROR|SEND FAIL)\r\n)?", got),
          "after Esc: expected nothing or one result line, got %s" % esc(got))
    check(b"SEND OK" not in got, "Esc must cancel, got SEND OK")
    eq(m.at("AT").raw, b"\r\nOK\r\n", "back in command mode after Esc")
    m.at("AT+QISEND=0").prompt or None
    m.write(b"after\x1a")
    send_ok_final(m, "after Ctrl+Z")
    eq(recv_exact(conn, 5), b"after", "peer received only data after the cancelled send")
    peer_silent(conn, "cancelled data must not reach the peer")


@test("sock/qisend-fixed-binary/{model}", models=ALL_MODELS)
def qisend_fixed_binary(t, model):
    s, m, srv, conn, addr = setup(t, model)
    send_check(m, conn, 0, BINARY, "fixed-length binary send (Ctrl+Z/Esc/CRLF literal)")
    send_check(m, conn, 0, bytes((i * 7 + 3) & 0xFF for i in range(1460)), "1460-byte send")
    m.at("AT+QISEND=0,1461").error()
    eq(m.at("AT").raw, b"\r\nOK\r\n", "AT after rejected send")


@test("sock/qird-binary/{model}", models=ALL_MODELS)
def qird_binary(t, model):
    s, m, srv, conn, addr = setup(t, model)
    peer_sends(m, conn, BINARY)
    got = read_all(m, 0, len(BINARY), 512)
    eq(got, BINARY, "payload read back by length (contains \\r\\nOK\\r\\n, NUL, URC text)")
    hdr, data, r = m.qird(0, 100)
    eq(data, b"", "buffer drained")
    eq(m.at("AT").raw, b"\r\nOK\r\n", "parser in sync after binary reads")


@test("sock/one-recv-urc-until-drained/{model}", models=ALL_MODELS)
def one_urc(t, model):
    s, m, srv, conn, addr = setup(t, model)
    conn.sendall(b"A" * 10)
    m.wait_urc('+QIURC: "recv",0', 5)
    conn.sendall(b"B" * 10)
    time.sleep(0.3)
    m.no_urc('+QIURC: "recv"', 0.4)
    hdr, data, r = m.qird(0, 5)
    eq(data, b"AAAAA", "partial read")
    m.no_urc('+QIURC: "recv"', 0.4)
    rest = read_all(m, 0, 15, 512)
    eq(rest, b"AAAAA" + b"B" * 10, "rest of the data")
    hdr, data, r = m.qird(0, 512)
    eq(r.lines, ["+QIRD: 0"], "drained")
    m.no_urc('+QIURC: "recv"', 0.3)
    conn.sendall(b"C" * 3)
    m.wait_urc('+QIURC: "recv",0', 5)
    eq(read_all(m, 0, 3, 512), b"CCC", "data after re-arm")


@test("sock/qird-limits/{model}", models=EC)
def qird_limits_ec(t, model):
    s, m, srv, conn, addr = setup(t, model)
    payload = pattern(4000)
    peer_sends(m, conn, payload)
    wait_unread(m, 0, 4000)
    eq(m.at("AT+QIRD=0,0").raw, b"\r\n+QIRD: 4000,0,4000\r\n\r\nOK\r\n", "AT+QIRD=0,0 before reading")
    m.at("AT+QIRD=0,1501").error()
    hdr, d1, r = m.qird(0, 1500)
    eq(len(d1), 1500, "AT+QIRD=0,1500 length")
    eq(m.at("AT+QIRD=0,0").raw, b"\r\n+QIRD: 4000,1500,2500\r\n\r\nOK\r\n", "AT+QIRD=0,0 after 1500")
    hdr, d2, r = m.qird(0)  # no length: read what is there (at most 1500)
    check(1 <= len(d2) <= 1500, "AT+QIRD=0 returned %d bytes" % len(d2))
    rest = read_all(m, 0, 4000 - 1500 - len(d2), 1500)
    eq(d1 + d2 + rest, payload, "payload through QIRD")
    eq(m.at("AT+QIRD=0,0").raw, b"\r\n+QIRD: 4000,4000,0\r\n\r\nOK\r\n", "AT+QIRD=0,0 when drained")
    m.at("AT+QIRD=12,10").error()
    m.at("AT+QIRD=5,10").error()  # not open
    m.at("AT+QIRD=5,0").error()


@test("sock/qird-limits/{model}", models=BC)
def qird_limits_bc(t, model):
    s, m, srv, conn, addr = setup(t, model)
    payload = pattern(1200)
    peer_sends(m, conn, payload)
    time.sleep(0.2)
    m.at("AT+QIRD=0,513").error()
    m.at("AT+QIRD=0,0").error()  # seed 001: <read_length> range 1-512
    hdr, d1, r = m.qird(0, 512)
    eq(len(d1), 512, "AT+QIRD=0,512 length")
    rest = read_all(m, 0, 1200 - 512, 512)
    eq(d1 + rest, payload, "payload through QIRD")
    m.at("AT+QIRD=5,10").error()
    m.at("AT+QIRD=3,10").error()  # not open


@test("sock/qisend-query/{model}", models=ALL_MODELS)
def qisend_query(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(m.at("AT+QISEND=0,0").raw, b"\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n", "AT+QISEND=0,0 before sending")
    for n in (5, 7):
        send_check(m, conn, 0, b"x" * n, "send %d" % n)
    deadline = time.monotonic() + 3
    while True:
        r = m.at("AT+QISEND=0,0").ok()
        line = r.one("+QISEND: ")
        v = [int(x) for x in line[9:].split(",")]
        eq(len(v), 3, "fields in %r" % line)
        eq(v[0], 12, "total sent in %r" % line)
        eq(v[1] + v[2], 12, "acked + unacked in %r" % line)
        if v[2] == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    eq(v, [12, 12, 0], "all acked by the loopback peer")
    m.at("AT+QISEND=3,0").error()  # not open


@test("sock/closed-socket-errors/{model}", models=ALL_MODELS)
def closed_errors(t, model):
    m = t.sim(model, pdp_active=True).connect()
    bad = 5 if is_bc66(model) else 12
    m.at("AT+QISEND=1,5").error()
    m.at("AT+QISEND=%d,5" % bad).error()
    m.at("AT+QIRD=1,5").error()
    m.at("AT+QICLOSE=%d" % bad).error()
    m.at("AT+QISTATE=1,%d" % bad).error()
    srv = tcp_server()
    t.defer(srv.close)
    m.at('AT+QIOPEN=1,%d,"TCP","127.0.0.1",%d,0,0' % (bad, srv.getsockname()[1])).error()
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,%d' % (srv.getsockname()[1], 2 if is_bc66(model) else 3)).error()
    eq(m.at("AT+QISTATE=1,1").raw, b"\r\nOK\r\n", "AT+QISTATE=1,1 with no socket 1")


@test("sock/qiopen-id-in-use/{model}", models=ALL_MODELS)
def id_in_use(t, model):
    s, m, srv, conn, addr = setup(t, model)
    r = m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0' % srv.getsockname()[1])
    if r.final == "OK":
        e = m.wait_urc("+QIOPEN: 0,", 5)
        eq(e.text, "+QIOPEN: 0,563", "QIOPEN on a used connectID")
    else:
        r.error()
        line = m.at("AT+QIGETERROR").ok().one("+QIGETERROR: ")
        check(line.startswith("+QIGETERROR: 563,"), "QIGETERROR after QIOPEN on used id: %r" % line)
    # the first socket is untouched
    send_check(m, conn, 0, b"ok", "send on the original socket")


@test("sock/qiopen-refused/{model}", models=ALL_MODELS)
def refused(t, model):
    port = free_port()
    m = t.sim(model, pdp_active=True).connect()
    m.at('AT+QIOPEN=1,2,"TCP","127.0.0.1",%d,0,0' % port, timeout=10).ok()
    e = m.wait_urc("+QIOPEN: 2,", 10)
    eq(e.text, "+QIOPEN: 2,566", "connect to a closed port (566 socket connect failed)")
    r = m.at("AT+QICLOSE=2", timeout=10)
    eq(r.raw, b"\r\nOK\r\n", "QICLOSE after failed open (seed 001: must be executed)")
    if is_bc66(model):
        m.expect(b"\r\nCLOSE OK\r\n", what="BC66 CLOSE OK")
    m.open_socket(2, "UDP", "127.0.0.1", port)  # the id is free again


@test("sock/local-port/{model}", models=ALL_MODELS)
def local_port(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    lport = free_port()
    m = t.sim(model, pdp_active=True).connect()
    m.open_socket(1, "TCP", "127.0.0.1", srv.getsockname()[1], lport=lport)
    conn, addr = srv.accept()
    t.defer(conn.close)
    eq(addr[1], lport, "peer sees the connection from the requested <local_port>")
    line = m.at("AT+QISTATE=1,1").ok().one("+QISTATE: ")
    eq(line.split(",")[4], str(lport), "QISTATE <local_port> in %r" % line)


@test("sock/qiclose/{model}", models=ALL_MODELS)
def qiclose(t, model):
    s, m, srv, conn, addr = setup(t, model)
    r = m.at("AT+QICLOSE=0", timeout=10)
    if is_bc66(model):
        eq(r.raw, b"\r\nOK\r\n", "AT+QICLOSE=0 first line")
        m.expect(b"\r\nCLOSE OK\r\n", what="BC66 QICLOSE: OK then CLOSE OK (seed 001 4.1.4)")
    else:
        eq(r.raw, b"\r\nOK\r\n", "AT+QICLOSE=0 with close/mode 0")
        m.at("AT+QICLOSE=1,65536").error()
    conn.settimeout(5)
    eq(conn.recv(10), b"", "peer sees EOF after QICLOSE")
    eq(m.at("AT+QISTATE=1,0").raw, b"\r\nOK\r\n", "no socket 0 after close")
    m.expect_silence(0.3, "no URC after QICLOSE")


@test("sock/qiclose-close-mode-1/{model}", models=EC)
def qiclose_mode1(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICFG="close/mode",1').ok()
    r = m.at("AT+QICLOSE=0,5", timeout=10)
    eq(r.raw, b"\r\nOK\r\n", "AT+QICLOSE=0,5")
    e = m.wait_urc('+QIURC: "closed"', 5)
    eq(e.raw, b'\r\n+QIURC: "closed",0\r\n', "close/mode 1: URC after OK")


@test("sock/remote-close-data-readable/{model}", models=ALL_MODELS)
def remote_close(t, model):
    s, m, srv, conn, addr = setup(t, model)
    conn.sendall(b"last words")
    time.sleep(0.05)
    conn.close()
    first = m.wait_urc(lambda e: e.text.startswith('+QIURC: "recv",0') or e.text.startswith('+QIURC: "closed"'), 5)
    eq(first.text, '+QIURC: "recv",0', "the data's recv URC comes before the closed URC")
    e = m.wait_urc('+QIURC: "closed",0', 5)
    eq(e.raw, b'\r\n+QIURC: "closed",0\r\n', "closed URC")
    line = m.at("AT+QISTATE=1,0").ok().one("+QISTATE: 0,")
    st = line.split(",")[5]
    if is_bc66(model):
        check(st in ("3", "4"), "BC66 state after remote close %r (3 closing / 4 remote closing)" % line)
    else:
        eq(st, "4", "state after remote close (seed 000 2.5.1: closing=4) in %r" % line)
    m.at("AT+QISEND=0,5").error()  # seed: "abnormally closed ... ERROR", no prompt
    eq(read_all(m, 0, 10, 512), b"last words", "data still readable after closed URC")
    r = m.at("AT+QICLOSE=0", timeout=10).ok()
    if is_bc66(model):
        m.expect(b"\r\nCLOSE OK\r\n", what="CLOSE OK")
    eq(m.at("AT+QISTATE=1,0").raw, b"\r\nOK\r\n", "socket gone after QICLOSE")


@test("sock/udp-client/{model}", models=ALL_MODELS)
def udp_client(t, model):
    m, peer, addr = udp_setup(t, model, 3)
    peer.sendto(b"pong\r\nOK\r\n", addr)
    m.wait_urc('+QIURC: "recv",3', 5)
    time.sleep(0.1)
    hdr, d, r = m.qird(3, 512)
    eq(r.raw, b"\r\n+QIRD: 10\r\npong\r\nOK\r\n\r\n\r\nOK\r\n", "UDP client QIRD bytes")
    line = m.at("AT+QISTATE=1,3").ok().one("+QISTATE: 3,")
    check(line.startswith('+QISTATE: 3,"UDP","127.0.0.1",%d,' % peer.getsockname()[1]), "QISTATE %r" % line)


@test("sock/direct-push/{model}", models=ALL_MODELS)
def direct_push(t, model):
    s, m, srv, conn, addr = setup(t, model, mode=1)
    conn.sendall(b"12345")
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0,5\r\n12345', "direct push URC (seed 001 4.2.3)")
    payload = bytes((i * 31 + 5) & 0xFF for i in range(3000))
    conn.sendall(payload)
    got = b""
    while len(got) < len(payload):
        e = m.wait_urc(lambda e: e.kind == "push", 5)
        check(1 <= len(e.data) <= 1500, "push chunk of %d bytes (1-1500)" % len(e.data))
        check(e.sep == b"\r\n", "viewmode 0 header ends with CRLF")
        got += e.data
    eq(got, payload, "3000 pushed bytes")
    send_check(m, conn, 0, b"abc", "send in direct push mode")
    line = m.at("AT+QISTATE=1,0").ok().one("+QISTATE: ")
    eq(line.split(",")[7 if is_bc66(model) else 8], "1", "QISTATE <access_mode> 1 in %r" % line)


@test("sock/qisde-echo/{model}", models=EC)
def qisde(t, model):
    m, conn = echo_on_socket(t, model)
    check_range_field(m.test_form("QISDE", 1)[0], {0, 1}, "AT+QISDE=?")
    line = m.at("AT+QISDE?").ok().one("+QISDE: ")
    check(line in ("+QISDE: 0", "+QISDE: 1"), "AT+QISDE? %r" % line)
    m.at("AT+QISDE=1").ok()
    eq(m.at("AT+QISDE?").ok().lines, ["+QISDE: 1"], "read back")
    check_data_echo(m, conn, "AT+QISDE=0", b"\r\nSEND OK\r\n")
    m.at("AT+QISDE=2").error()


@test("sock/echomode/{model}", models=BC)
def echomode(t, model):
    m, conn = echo_on_socket(t, model)
    # default echomode 1: the input data is echoed in data mode
    check_data_echo(m, conn, 'AT+QICFG="echomode",0', b"\r\nOK\r\n\r\nSEND OK\r\n")


@test("sock/qistate-forms/{model}", models=ALL_MODELS)
def qistate_forms(t, model):
    s, m, srv, conn, addr = setup(t, model)
    peer = udp_socket()
    t.defer(peer.close)
    m.open_socket(2, "UDP", "127.0.0.1", peer.getsockname()[1])
    bc = is_bc66(model)
    nf = 8 if bc else 10
    for cmd in ("AT+QISTATE?", "AT+QISTATE", "AT+QISTATE=0,1"):
        if bc and cmd == "AT+QISTATE":
            continue  # BC66 has no execution form in seed 001
        r = m.at(cmd).ok()
        ids = [l.split(",")[0] for l in r.lines]
        eq(ids, ["+QISTATE: 0", "+QISTATE: 2"], "%s lists both sockets (%r)" % (cmd, r.lines))
        for l in r.lines:
            eq(len(split_test_form(l[10:])), nf, "field count of %r" % l)
        check(r.lines[1].startswith('+QISTATE: 2,"UDP","127.0.0.1",%d,' % peer.getsockname()[1]),
              "UDP line %r" % r.lines[1])
    if not bc:
        eq(m.at("AT+QISTATE=0,2").raw, b"\r\nOK\r\n", "AT+QISTATE=0,2: nothing on context 2")


@test("sock/recvind/{model}", models=EC)
def recvind(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICFG="recvind",1').ok()
    conn.sendall(b"12345")
    e = m.wait_urc('+QIURC: "recv",0', 5)
    eq(e.raw, b'\r\n+QIURC: "recv",0,5\r\n', "recvind 1: length in the buffer-mode URC")
    eq(read_all(m, 0, 5, 1500), b"12345", "data")


@test("sock/sendinfo/{model}", models=EC)
def sendinfo(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICFG="sendinfo",1').ok()
    r = m.at("AT+QISEND=0,4")
    check(r.prompt, "prompt: %s" % esc(r.raw))
    m.write(b"info")
    r = m.final()
    r.ok()
    mm = re.fullmatch(r"\+QISEND: 0,0,(\d+)", r.one("+QISEND: "))
    check(mm and 0 <= int(mm.group(1)) <= 10240, "sendinfo 1: %r (expected +QISEND: 0,0,<Freesize 0-10240>)" % r.lines)
    eq(recv_exact(conn, 4), b"info", "peer")
    r = m.at('AT+QISENDEX=0,"3031"').ok()
    check(re.fullmatch(r"\+QISENDEX: 0,0,\d+", r.one("+QISENDEX: ")), "QISENDEX with sendinfo 1: %r" % r.lines)
    eq(recv_exact(conn, 2), b"01", "peer")


@test("sock/viewmode-1/{model}", models=EC)
def ec_viewmode1(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICFG="viewmode",1').ok()
    peer_sends(m, conn, b"ab\r\ncd")
    hdr, d, r = m.qird(0, 1500, viewmode=1)
    eq(r.raw, b"\r\n+QIRD: 6,ab\r\ncd\r\n\r\nOK\r\n", "viewmode 1: data header,data")


@test("sock/send-buffer-full/{model}", models=("ec200u", "bc66"), timeout=60)
def send_buffer_full(t, model):
    # issue 2: "a finite send buffer (SEND FAIL when full)"; seed 000 2.4.10:
    # "SEND FAIL indicates the sending buffer is full and resending of the data can be tried"
    s, m, srv, conn, addr = setup(t, model)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    chunk = bytes(range(256)) * 5 + bytes(180)  # 1460 bytes
    sent = 0
    result = None
    deadline = time.monotonic() + 40
    while sent < 16 * 1024 * 1024 and time.monotonic() < deadline:
        r = m.at("AT+QISEND=0,1460")
        check(r.prompt, "no prompt after %d bytes: %s" % (sent, esc(r.raw)))
        m.write(chunk)
        f = m.final(10)
        if is_bc66(model):
            f.ok()
            f = m.final(10)
        if f.final == "SEND FAIL":
            result = "fail"
            break
        eq(f.final, "SEND OK", "send result after %d bytes" % sent)
        sent += 1460
    check(result == "fail", "no SEND FAIL after %d bytes that the peer never read" % sent)
    t.note("SEND FAIL after %d bytes" % sent)
    # drain at the peer; sending works again and nothing was lost or duplicated
    parts = []
    n = 0
    conn.settimeout(1.0)
    drain_end = time.monotonic() + 15
    while n < sent and time.monotonic() < drain_end:
        try:
            d = conn.recv(1 << 20)
        except socket.timeout:
            break
        if not d:
            break
        parts.append(d)
        n += len(d)
    got = b"".join(parts)
    eq(len(got), sent, "bytes at the peer == bytes acknowledged with SEND OK")
    eq(got, chunk * (sent // 1460), "stream content")
    send_check(m, conn, 0, b"more", "send after the peer drained")


@test("sock/qideact-closes-sockets/{model}", models=EC)
def qideact_closes(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at("AT+QIDEACT=1", timeout=10).ok()
    conn.settimeout(5)
    try:
        d = conn.recv(10)
    except ConnectionResetError:
        d = b""
    eq(d, b"", "peer sees the socket closed by AT+QIDEACT (seed 000 2.4.4)")
    r = m.at("AT+QISTATE?").ok()
    check(not any(l.startswith("+QISTATE: 0,") and l.split(",")[5] == "2" for l in r.lines),
          "socket 0 still connected after QIDEACT: %r" % r.lines)


@test("sock/host-length-limit/{model}", models=BC)
def host_limit(t, model):
    # seed 001 2.3.1: <IP_address>/<domain_name> "The maximum size is 150 bytes."
    m = t.sim(model, pdp_active=True).connect()
    m.at('AT+QIOPEN=1,0,"TCP","%s.test",80,0,0' % ("a" * 146)).error()


@test("sock/recv-urc-per-socket/{model}", models=("ec200u", "bc66"))
def recv_per_socket(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model, pdp_active=True).connect()
    quiet_data_echo(m)
    conns = []
    for cid in (0, 1):
        m.open_socket(cid, "TCP", "127.0.0.1", srv.getsockname()[1])
        c, _ = srv.accept()
        t.defer(c.close)
        conns.append(c)
    conns[0].sendall(b"zero")
    m.wait_urc('+QIURC: "recv",0', 5)
    conns[1].sendall(b"one")
    m.wait_urc('+QIURC: "recv",1', 5)
    eq(read_all(m, 0, 4, 512), b"zero", "socket 0")
    hdr, d, r = m.qird(0, 512)
    eq(d, b"", "socket 0 drained")
    conns[1].sendall(b"more")
    time.sleep(0.2)
    m.no_urc('+QIURC: "recv",1', 0.3)  # socket 1 still holds unread data
    conns[0].sendall(b"again")
    m.wait_urc('+QIURC: "recv",0', 5)  # socket 0 was drained: re-armed
    eq(read_all(m, 1, 7, 512), b"onemore", "socket 1")


@test("sock/udp-client-push/{model}", models=ALL_MODELS)
def udp_client_push(t, model):
    m, peer, addr = udp_setup(t, model, 1, mode=1)
    peer.sendto(b"dgram\r\nOK\r\n", addr)
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.raw, b'\r\n+QIURC: "recv",1,11\r\ndgram\r\nOK\r\n', "UDP client direct push URC")
