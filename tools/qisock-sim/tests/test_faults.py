# SPDX-License-Identifier: GPL-2.0
"""Control channel and simulator features (team contract): reboot, pdpdeact,
remote-close, stall, split, garbage, sendfail, urc / urc-at injection,
stats counters, --stats file, --baud line model, --trace."""

import os
import re
import socket
import time

from harness import test, ALL_MODELS
from modem import Fail, check, eq, esc, is_bc66, recv_exact, MODELS
from test_sockets import setup, send_ok_final, read_all, send_check

EC = ("ec200u", "eg915u")


def peer_eof(conn, timeout=5):
    conn.settimeout(timeout)
    try:
        d = conn.recv(100)
    except ConnectionResetError:
        d = b""
    except socket.timeout:
        raise Fail("peer connection still open")
    eq(d, b"", "peer sees the connection closed")


@test("ctl/reboot/{model}", models=ALL_MODELS)
def reboot(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl("reboot"), "ok", "control reply")
    m.wait_urc("RDY", 5)
    peer_eof(conn)
    time.sleep(0.2)
    m.read_available(0.2)
    m.write(b"AT\r")
    m.expect(b"AT\r\r\nOK\r\n", what="echo back on after reboot (power-on default)")
    m.write(b"ATE0\r")
    m.expect(b"ATE0\r\r\nOK\r\n", what="ATE0")
    m.echo = False
    eq(m.at("AT+QISTATE?").raw, b"\r\nOK\r\n", "no sockets after reboot")
    m.at("AT+QISEND=0,1").error()
    r = m.at('AT+QICFG="viewmode"').ok()
    eq(r.lines, ['+QICFG: "viewmode",0'], "state reset")


@test("ctl/pdpdeact/{model}", models=EC)
def pdpdeact(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl("pdpdeact 1"), "ok", "control reply")
    e = m.wait_urc('+QIURC: "pdpdeact"', 5)
    eq(e.raw, b'\r\n+QIURC: "pdpdeact",1\r\n', "pdpdeact URC (seed 000 2.5.5)")
    peer_eof(conn)
    r = m.at("AT+QIACT?").ok()
    check(not any(l.startswith("+QIACT: 1,1") for l in r.lines), "context 1 still active: %r" % r.lines)
    # the host must deactivate and may reactivate (seed 000 2.5.5)
    m.at("AT+QIDEACT=1", timeout=10).ok()
    m.at('AT+QICSGP=1,1,"CMNET"').ok()
    m.at("AT+QIACT=1", timeout=10).ok()


@test("ctl/remote-close/{model}", models=ALL_MODELS)
def ctl_remote_close(t, model):
    s, m, srv, conn, addr = setup(t, model)
    conn.sendall(b"keep")
    m.wait_urc('+QIURC: "recv",0', 5)
    time.sleep(0.1)
    eq(s.ctl("remote-close 0"), "ok", "control reply")
    e = m.wait_urc('+QIURC: "closed"', 5)
    eq(e.raw, b'\r\n+QIURC: "closed",0\r\n', "closed URC")
    eq(read_all(m, 0, 4, 512), b"keep", "data still readable")
    m.at("AT+QICLOSE=0", timeout=10).ok()


@test("ctl/stall/{model}", models=ALL_MODELS)
def stall(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("stall"), "ok", "control reply")
    m.write(b"AT+CGMM\r")
    m.expect_silence(1.0, "no reply at all to the stalled command")
    eq(m.at("AT+CGMM").raw, b"\r\n" + MODELS[model].encode() + b"\r\n\r\nOK\r\n", "next command answered")


@test("ctl/split/{model}", models=ALL_MODELS)
def split(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl("split on"), "ok", "control reply")
    before = len(m.log)
    r = m.at("ATI")
    chunks = [d for dr, d in m.log[before:] if dr == "<"]
    check(re.fullmatch(rb"\r\nQuectel\r\n" + re.escape(MODELS[model].encode()) + rb"\r\nRevision: \S+\r\n\r\nOK\r\n", r.raw),
          "ATI while split: %s" % esc(r.raw))
    check(len(chunks) >= 4, "split on: reply arrived in %d reads (%r)" % (len(chunks), chunks[:5]))
    eq(m.at("AT+CGMM").raw, b"\r\n" + MODELS[model].encode() + b"\r\n\r\nOK\r\n", "AT+CGMM while split")
    eq(s.ctl("split off"), "ok", "control reply")
    r = m.at("ATI").ok()
    eq(r.lines[:2], ["Quectel", MODELS[model]], "ATI after split off")


@test("ctl/split-socket/{model}", models=ALL_MODELS)
def split_socket(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl("split on"), "ok", "control reply")
    payload = b"\r\nOK\r\n\x00split"
    conn.sendall(payload)
    m.wait_urc('+QIURC: "recv",0', 5)
    time.sleep(0.1)
    eq(read_all(m, 0, len(payload), 512), payload, "binary read while split")
    send_check(m, conn, 0, b"abc", "send while split")


@test("ctl/garbage/{model}", models=ALL_MODELS)
def garbage(t, model):
    outs = []
    for _ in range(2):
        s = t.sim(model, seed=1234)
        m = s.connect()
        eq(s.ctl("garbage 32"), "ok", "control reply")
        outs.append(m.read_exact(34, 5))
        extra = m.read_available(0.3)
        eq(extra, b"", "nothing after garbage + CRLF")
        eq(outs[-1][-2:], b"\r\n", "garbage ends with CRLF")
        eq(m.at("AT").raw, b"\r\nOK\r\n", "AT after garbage")
        s.stop()
    eq(outs[0], outs[1], "same --seed, same garbage")
    s = t.sim(model, seed=99)
    m = s.connect()
    s.ctl("garbage 32")
    other = m.read_exact(34, 5)
    check(other != outs[0], "different seed gave identical garbage %s" % esc(other))


@test("ctl/sendfail/{model}", models=ALL_MODELS)
def sendfail(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl("sendfail 2"), "ok", "control reply")
    for i in range(2):
        m.at("AT+QISEND=0,4")
        m.write(b"lost")
        if is_bc66(model):
            m.expect(b"\r\nOK\r\n\r\nSEND FAIL\r\n", what="BC66 SEND FAIL #%d (OK then SEND FAIL)" % (i + 1))
        else:
            m.expect(b"\r\nSEND FAIL\r\n", what="SEND FAIL #%d" % (i + 1))
    send_check(m, conn, 0, b"kept", "third send (only accepted data reaches the peer)")


@test("ctl/urc-now/{model}", models=ALL_MODELS)
def urc_now(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl('urc +QIURC: "recv",3'), "ok", "control reply")
    m.expect(b'\r\n+QIURC: "recv",3\r\n', what="injected URC")


@test("ctl/urc-at-between-lines/{model}", models=ALL_MODELS)
def urc_between(t, model):
    s = t.sim(model)
    m = s.connect()
    eq(s.ctl('urc-at between-lines +QIURC: "closed",4'), "ok", "control reply")
    r = m.at("ATI").ok()
    eq(r.urcs, ['+QIURC: "closed",4'], "URC seen inside the ATI reply")
    eq(r.lines[:2], ["Quectel", MODELS[model]], "ATI lines intact")
    check(b'\r\n+QIURC: "closed",4\r\n' in r.raw, "URC framed with CRLF: %s" % esc(r.raw))
    check(not r.raw.startswith(b'\r\n+QIURC') and not r.raw.endswith(b'+QIURC: "closed",4\r\n'),
          "URC must be between response lines, got %s" % esc(r.raw))
    r = m.at("ATI").ok()
    eq(r.urcs, [], "injection happens once")


@test("ctl/urc-at-before-prompt/{model}", models=ALL_MODELS)
def urc_prompt(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl('urc-at before-prompt +QIURC: "recv",2'), "ok", "control reply")
    r = m.at("AT+QISEND=0,2")
    check(r.prompt, "prompt after the URC: %s" % esc(r.raw))
    eq(r.raw, b'\r\n+QIURC: "recv",2\r\n\r\n> ', "URC then prompt")
    m.write(b"ok")
    send_ok_final(m, "send")
    eq(recv_exact(conn, 2), b"ok", "peer")


@test("ctl/urc-at-after-send-ok/{model}", models=ALL_MODELS)
def urc_after_send(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(s.ctl('urc-at after-send-ok +QIURC: "recv",1'), "ok", "control reply")
    send_check(m, None, 0, b"ok")
    m.expect(b'\r\n+QIURC: "recv",1\r\n', what="URC right after SEND OK")


@test("ctl/unknown-command/{model}", models=("ec200u",))
def ctl_unknown(t, model):
    s = t.sim(model)
    s.connect()
    line = s.ctl("no-such-control-command", expect_ok=False)
    check(line.startswith("error"), "unknown control command reply %r" % line)
    eq(s.ctl("stats")[:3], "ok ", "channel still usable")


@test("ctl/stats/{model}", models=ALL_MODELS)
def stats(t, model):
    s = t.sim(model)
    m = s.connect()
    m.at("ATI").ok()
    m.at("AT+CGMR").ok()
    m.at("AT+GSN").ok()
    time.sleep(0.2)
    m.read_available(0.2)
    sent = sum(len(d) for dr, d in m.log if dr == ">")
    got = sum(len(d) for dr, d in m.log if dr == "<")
    tx, rx = s.stats()
    eq((tx, rx), (got, sent), "control stats (tx sim->host, rx host->sim) vs bytes counted by the test")
    s.stop()
    with open(s.stats_path) as f:
        text = f.read()
    eq(text, "tx_bytes %d\nrx_bytes %d\n" % (got, sent), "--stats file on exit")


@test("ctl/baud-throughput/{model}", models=("ec200u", "bc66"), timeout=40)
def baud(t, model):
    rate = 19200 // 10  # bytes per second and direction
    s, m, srv, conn, addr = setup(t, model, baud=19200)
    # host -> sim: 1460 bytes of data
    m.at("AT+QISEND=0,1460")
    t0 = time.monotonic()
    m.write(b"z" * 1460)
    recv_exact(conn, 1460, 15)
    up = time.monotonic() - t0
    send_ok_final(m, "send")
    check(up >= 1460 / (2 * rate), "host->sim: 1460 bytes in %.3fs, faster than 2x the line rate (%d B/s)" % (up, rate))
    check(up <= 1460 / rate * 4 + 2, "host->sim: 1460 bytes took %.3fs, far slower than %d B/s" % (up, rate))
    # sim -> host: read 1460+ bytes
    payload = bytes(range(256)) * 4
    conn.sendall(payload[:1000])
    m.wait_urc('+QIURC: "recv",0', 5)
    time.sleep(0.2)
    t0 = time.monotonic()
    hdr, d, r = m.qird(0, 1000 if not is_bc66(model) else 512, timeout=15)
    dn = time.monotonic() - t0
    n = len(r.raw)
    check(dn >= n / (2 * rate), "sim->host: %d bytes in %.3fs, faster than 2x the line rate" % (n, dn))
    check(dn <= n / rate * 4 + 2, "sim->host: %d bytes took %.3fs" % (n, dn))
    t.note("measured host->sim %.0f B/s, sim->host %.0f B/s, line %d B/s" % (1460 / up, n / dn, rate))


@test("ctl/trace/{model}", models=("ec200u", "bc66"))
def trace(t, model):
    s = t.sim(model, trace=True)
    m = s.connect()
    m.at("AT+CGMM").ok()
    time.sleep(0.2)
    eq(s.ctl("trace off"), "ok", "control reply")
    m.at("AT+GSN").ok()
    time.sleep(0.2)
    eq(s.ctl("trace on"), "ok", "control reply")
    m.at("AT+CGMR").ok()
    time.sleep(0.2)
    s.stop()
    check(os.path.exists(s.trace_path), "no trace file %s" % s.trace_path)
    with open(s.trace_path, "rb") as f:
        text = f.read()
    check(b"AT+CGMM" in text, "trace lacks the command AT+CGMM: %s" % esc(text[:600]))
    check(MODELS[model].encode() in text.replace(b"AT+CGMM", b""), "trace lacks the reply %s" % MODELS[model])
    check(b"AT+CGMR" in text, "trace lacks the command sent after 'trace on'")
    check(b"AT+GSN" not in text, "trace contains AT+GSN sent while 'trace off'")
    lines = [l for l in text.splitlines() if l.strip()]
    stamped = [l for l in lines if re.search(rb"\d+[:.]\d+", l)]
    check(len(stamped) >= len(lines) * 0.8 and stamped, "trace lines lack timestamps: %s" % esc(text[:400]))


@test("ctl/trace-stderr/{model}", models=("ec200u",))
def trace_stderr(t, model):
    s = t.sim(model, extra=("--trace",))
    m = s.connect()
    imei = m.at("AT+GSN").ok().lines[0].encode()
    time.sleep(0.2)
    s.stop()
    text = s.stderr_tail(100000)
    check(b"AT+GSN" in text and imei in text,
          "--trace without FILE: conversation not on stderr: %s" % esc(text[:600]))


@test("ctl/ctx/{model}", models=EC)
def ctl_ctx(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at('AT+QICSGP=2,3,"apn.example","bob","s3cret, too",2').ok()
    eq(s.ctl("ctx 2"), "ok type=3 apn=apn.example user=bob pass=s3cret, too auth=2 active=0",
       "what the host configured")
    check(s.ctl("ctx 1").endswith("active=1"), "context 1 is active in this setup")
    check(s.ctl("ctx 8", expect_ok=False).startswith("error"), "context 8 is refused")


@test("ctl/status/{model}", models=EC)
def ctl_status(t, model):
    s, m, srv, conn, addr = setup(t, model)
    eq(m.at("AT+CSQ").ok().lines, ["+CSQ: 24,99"], "CSQ default")
    eq(m.at("AT+QCCID").ok().lines, ["+QCCID: 89860012345678901234"], "ICCID")
    eq(m.at("AT+COPS?").ok().lines, ['+COPS: 0,0,"QISOCK SIM",7'], "operator")
    eq(s.ctl("status rssi=7 ber=2 reg=5 operator=Roam"),
       "ok rssi=7 ber=2 reg=5 operator=Roam", "control reply")
    eq(m.at("AT+CSQ").ok().lines, ["+CSQ: 7,2"], "CSQ set")
    eq(m.at("AT+CEREG?").ok().lines, ["+CEREG: 0,5"], "roaming")
    eq(m.at("AT+COPS?").ok().lines, ['+COPS: 0,0,"Roam",7'], "operator set")
    s.ctl("status reg=2")
    eq(m.at("AT+COPS?").ok().lines, ["+COPS: 0"], "no operator while searching")
    check(s.ctl("status rssi=100", expect_ok=False).startswith("error"), "rssi out of range")


@test("ctl/cfun-reset/{model}", models=EC)
def cfun_reset(t, model):
    s, m, srv, conn, addr = setup(t, model)
    m.at("AT+CFUN=1,1").ok()
    m.wait_urc("RDY", 5)
    peer_eof(conn)
