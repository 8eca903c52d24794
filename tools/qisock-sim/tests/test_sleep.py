# SPDX-License-Identifier: GPL-2.0
"""BC66/BC66-NA deep sleep and PSM (seed 001 2.3.1 notes, 2.3.7, 2.3.11,
2.3.12, 2.4 notes 1-3; issue #9 "Deep sleep and PSM"): control "sleep",
"sleep auto", "sleep urc", "wake", "sleep?"; nothing sent while asleep, the
first command line after a host wake-up swallowed, echomode reset, UDP
sockets and NVRAM options kept, TCP sessions blocking sleep, held (DRX) or
dropped (PSM) URCs."""

import re
import time

from harness import test
from modem import check, eq, free_port, tcp_server
from test_sockets import udp_setup, send_check

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")


def sleep_state(s):
    line = s.ctl("sleep?")
    m = re.fullmatch(r"ok asleep=([01]) wakeups=(\d+) swallowed=(\d+) auto=(off|\d+) "
                     r"urc=(delay|drop) held=(\d+) dropped=(\d+) lost=(\d+)", line)
    check(m, "control sleep?: reply %r" % line)
    keys = ("asleep", "wakeups", "swallowed", "auto", "urc", "held", "dropped", "lost")
    d = dict(zip(keys, m.groups()))
    for k in keys:
        if k not in ("auto", "urc"):
            d[k] = int(d[k])
    return d


def wake_by_host(m, before=b""):
    """The host's first line after sleep: answered by a bare line end only
    (after whatever URCs the wake-up releases, given as `before`)."""
    m.write(b"AT\r")
    m.expect(before + b"\r\n", what="swallowed first line after wake-up")
    m.expect_silence(0.3, "nothing more for the swallowed line")


def qiclose(m, cid):
    m.at("AT+QICLOSE=%d" % cid).ok()
    eq(m.final().final, "CLOSE OK", "AT+QICLOSE=%d: OK then CLOSE OK" % cid)


def trace_text(s):
    with open(s.trace_path, "rb") as f:
        return f.read().decode("latin-1")


@test("sleep/refused/{model}", models=EC)
def refused_ec(t, model):
    s = t.sim(model)
    s.connect()
    for cmd in ("sleep", "sleep?", "wake", "sleep auto 100", "sleep urc drop"):
        r = s.ctl(cmd, expect_ok=False)
        check(r.startswith("error "), "%s on %s: %r (EC200U never sleeps)" % (cmd, model, r))


@test("sleep/args/{model}", models=BC)
def bad_args(t, model):
    s = t.sim(model)
    m = s.connect()
    for cmd in ("sleep auto 0", "sleep auto 3600001", "sleep auto x", "sleep auto",
                "sleep urc", "sleep urc maybe", "sleep now", "wake"):
        r = s.ctl(cmd, expect_ok=False)
        check(r.startswith("error "), "%r: %r" % (cmd, r))
    st = sleep_state(s)
    eq((st["asleep"], st["auto"], st["urc"], st["wakeups"]), (0, "off", "delay", 0),
       "power-on sleep state")
    m.at("AT").ok()


@test("sleep/silent-and-swallow/{model}", models=BC)
def silent_swallow(t, model):
    s = t.sim(model, trace=True)
    m = s.connect(echo_off=False)      # echo on (power-on default)
    eq(s.ctl("sleep"), "ok", "control sleep")
    eq(s.ctl("sleep", expect_ok=False), "error already asleep", "second sleep")
    eq(sleep_state(s)["asleep"], 1, "asleep")
    tx0, _ = s.stats()
    eq(s.ctl("urc +QIURC: \"test\""), "ok", "urc while asleep")
    m.expect_silence(0.4, "nothing sent to the host while asleep")
    eq(s.stats()[0], tx0, "tx byte count while asleep")
    eq(sleep_state(s)["held"], 1, "URC held (DRX policy)")
    # first byte wakes; the held URC comes first, the line is swallowed
    # without echo and answered with a bare line end
    m.write(b"ATI\r")
    m.expect(b'\r\n+QIURC: "test"\r\n' + b"\r\n", what="held URC, then bare CRLF")
    m.expect_silence(0.3, "no echo, no ATI answer")
    m.write(b"AT\r")
    m.expect(b"AT\r\r\nOK\r\n", what="next command handled normally (echo on)")
    st = sleep_state(s)
    eq((st["asleep"], st["wakeups"], st["swallowed"], st["held"]), (0, 1, 1, 0), "counters")
    tr = trace_text(s)
    for note in ("sleep: deep sleep entered (control)", "sleep: woken by the host",
                 "sleep: first line after wake-up swallowed"):
        check(note in tr, "trace lacks %r" % note)


@test("sleep/tcp-session/{model}", models=BC)
def tcp_blocks(t, model):
    srv = tcp_server()
    t.defer(srv.close)
    s = t.sim(model)
    m = s.connect()
    port = srv.getsockname()[1]
    m.open_socket(0, "TCP", "127.0.0.1", port)
    conn, _ = srv.accept()
    t.defer(conn.close)
    eq(s.ctl("sleep", expect_ok=False), "error tcp session", "sleep with a TCP session")
    s.ctl("remote-close 0")
    m.wait_urc('+QIURC: "closed",0', 5)
    eq(s.ctl("sleep", expect_ok=False), "error tcp session",
       "sleep with a TCP socket in state remote closing")
    s.ctl("sleep auto 100")
    time.sleep(0.5)
    eq(sleep_state(s)["asleep"], 0, "no automatic sleep with a TCP socket")
    qiclose(m, 0)
    # a TCP socket whose open failed stays allocated until QICLOSE
    m.at('AT+QIOPEN=1,1,"TCP","127.0.0.1",%d,0,0' % free_port()).ok()
    eq(m.wait_urc("+QIOPEN: 1,", 5).text, "+QIOPEN: 1,566", "refused connection")
    time.sleep(0.6)
    eq(sleep_state(s)["asleep"], 0, "no automatic sleep with a failed TCP socket")
    s.ctl("sleep auto off")
    qiclose(m, 1)
    eq(s.ctl("sleep"), "ok", "sleep once every TCP socket is closed and freed")


@test("sleep/udp-survives/{model}", models=BC)
def udp_survives(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    s = m.sim
    m.at('AT+QICFG="showlength",1').ok()
    m.at('AT+QICFG="viewmode",0').ok()
    m.at('AT+QIDNSCFG=1,"10.0.0.53","10.0.0.54"').ok()
    m.at("AT+QISWTMD=0,0").ok()
    eq(m.at('AT+QICFG="echomode"').lines, ['+QICFG: "echomode",0'], "echomode set to 0")
    eq(s.ctl("sleep"), "ok", "sleep with a UDP socket (seed 001 2.3.1 note)")
    peer.sendto(b"while-asleep", addr)
    m.expect_silence(0.4, "no recv URC while asleep")
    wake_by_host(m, b'\r\n+QIURC: "recv",0,12\r\n')
    hdr, data, r = m.qird(0, 512, remaining=True)
    eq((hdr, data), ("12,0", b"while-asleep"), "datagram received while asleep")
    r = m.at("AT+QISTATE=1,0").ok()
    eq(r.lines, ['+QISTATE: 0,"UDP","127.0.0.1",%d,0,2,1,0' % peer.getsockname()[1]],
       "UDP socket and its configuration kept")
    eq(m.at('AT+QICFG="echomode"').lines, ['+QICFG: "echomode",1'],
       "echomode back at its default 1 (seed 001 2.3.12: invalid after wake-up)")
    eq(m.at('AT+QICFG="showlength"').lines, ['+QICFG: "showlength",1'], "showlength kept (NVRAM)")
    r = m.at("AT+QIDNSCFG=1").ok()
    check(r.lines and r.lines[0].startswith('+QIDNSCFG: 1,"10.0.0.53","10.0.0.54"'),
          "QIDNSCFG kept (seed 001 2.3.11): %r" % r.lines)
    m.at('AT+QICFG="echomode",0').ok()
    send_check(m, None, 0, b"after", "UDP send after wake-up")
    eq(peer.recvfrom(100)[0], b"after", "datagram at the peer after wake-up")


@test("sleep/drx-delay/{model}", models=BC)
def drx_delay(t, model):
    m, peer, addr = udp_setup(t, model, 2, mode=1)
    s = m.sim
    eq(s.ctl("sleep urc delay"), "ok", "policy")
    eq(s.ctl("sleep"), "ok", "sleep")
    for d in (b"one", b"two", b"three"):
        peer.sendto(d, addr)
        time.sleep(0.05)
    m.expect_silence(0.4, "direct push held while asleep")
    eq(sleep_state(s)["held"], 3, "three URCs held")
    eq(s.ctl("wake"), "ok", "paging wake-up")
    for d in (b"one", b"two", b"three"):
        m.expect(b'\r\n+QIURC: "recv",2,%d\r\n%s\r\n' % (len(d), d),
                 what="held direct push, in order")
    m.write(b"AT\r")
    m.expect(b"\r\nOK\r\n", what="no line swallowed after a paging wake-up")
    st = sleep_state(s)
    eq((st["wakeups"], st["swallowed"], st["dropped"], st["lost"]), (1, 0, 0, 0), "counters")
    eq(s.ctl("wake", expect_ok=False), "error not asleep", "wake when awake")


@test("sleep/psm-drop/{model}", models=BC)
def psm_drop(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    s = m.sim
    m.open_socket(1, "UDP", "127.0.0.1", peer.getsockname()[1], mode=1)
    send_check(m, None, 1, b"hi", "push socket send")
    _, addr1 = peer.recvfrom(100)
    eq(s.ctl("sleep urc drop"), "ok", "policy")
    eq(s.ctl("sleep"), "ok", "sleep")
    peer.sendto(b"buffered", addr)
    peer.sendto(b"pushed-and-lost", addr1)
    time.sleep(0.3)
    eq(s.ctl("wake"), "ok", "paging wake-up")
    m.expect_silence(0.5, "no URC reported for what arrived in PSM")
    st = sleep_state(s)
    eq((st["dropped"], st["lost"], st["held"]), (2, 15, 0), "URCs dropped, push bytes lost")
    hdr, data, r = m.qird(0, 512)
    eq(data, b"buffered", "buffer-mode data readable with AT+QIRD after PSM")
    hdr, data, r = m.qird(0, 512)
    eq(data, b"", "buffer drained")
    peer.sendto(b"later", addr)
    m.wait_urc('+QIURC: "recv",0', 5)
    peer.sendto(b"push2", addr1)
    e = m.wait_urc('+QIURC: "recv",1', 5)
    eq(e.data, b"push2", "direct push after the wake-up")


@test("sleep/auto/{model}", models=BC)
def auto_sleep(t, model):
    s = t.sim(model, trace=True)
    m = s.connect()
    eq(s.ctl("sleep auto 400"), "ok", "sleep auto")
    eq(sleep_state(s)["auto"], "400", "auto idle time")
    for _ in range(6):      # activity every 150 ms keeps it awake
        m.at("AT").ok()
        time.sleep(0.15)
    eq(sleep_state(s)["asleep"], 0, "awake while the host talks")
    time.sleep(0.7)
    eq(sleep_state(s)["asleep"], 1, "asleep after 400 ms of UART idleness")
    check("sleep: deep sleep entered (idle)" in trace_text(s), "trace of the idle entry")
    wake_by_host(m)
    m.at("AT").ok()
    time.sleep(0.7)
    eq(sleep_state(s)["asleep"], 1, "asleep again after the next idle time")
    s.ctl("sleep auto off")
    wake_by_host(m)
    time.sleep(0.7)
    eq(sleep_state(s)["asleep"], 0, "auto off")


@test("sleep/busy/{model}", models=BC)
def busy(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    s = m.sim
    r = m.at("AT+QISEND=0,5")
    check(r.prompt, "prompt")
    eq(s.ctl("sleep", expect_ok=False), "error busy", "sleep in a data phase")
    s.ctl("sleep auto 100")
    time.sleep(0.5)
    eq(sleep_state(s)["asleep"], 0, "no automatic sleep in a data phase")
    m.write(b"12345")
    m.expect(b"\r\nOK\r\n\r\nSEND OK\r\n", what="data phase completes")
    eq(peer.recvfrom(100)[0], b"12345", "datagram at the peer")
    m.write(b"AT")      # a command line being typed
    time.sleep(0.4)
    eq(sleep_state(s)["asleep"], 0, "no automatic sleep with a partial line")
    m.write(b"\r")
    m.expect(b"\r\nOK\r\n", what="the partial line completes")
    time.sleep(0.5)
    eq(sleep_state(s)["asleep"], 1, "idle afterwards: asleep")


@test("sleep/reboot/{model}", models=BC)
def reboot(t, model):
    s = t.sim(model)
    m = s.connect()
    s.ctl("sleep urc drop")
    s.ctl("sleep")
    s.ctl("reboot")
    m.wait_urc("RDY", 5)
    st = sleep_state(s)
    eq((st["asleep"], st["urc"]), (0, "drop"), "reboot wakes; the URC policy stays")
    m.read_available(0.3)
    m.write(b"AT\r")
    m.expect(b"AT\r\r\nOK\r\n", what="no swallowed line after a reboot")


@test("sleep/busy-service/{model}", models=BC)
def busy_service(t, model):
    s = t.sim(model)
    m = s.connect()
    m.at('AT+QPING=1,"192.0.2.1",1,2').ok()     # TEST-NET-1: never answers
    eq(s.ctl("sleep", expect_ok=False), "error busy", "sleep with a ping in flight")
    s.ctl("sleep auto 100")
    eq(m.wait_urc("+QPING: 569", 3).text, "+QPING: 569", "first request times out")
    eq(sleep_state(s)["asleep"], 0, "no automatic sleep with a ping in flight")
    m.wait_urc("+QPING: 569", 3)
    e = m.wait_urc("+QPING: 0,", 3)
    check(e.text.startswith("+QPING: 0,2,0,2"), "final ping result %r" % e.text)
    time.sleep(0.6)
    eq(sleep_state(s)["asleep"], 1, "asleep once the ping is over")


@test("sleep/udp-buffer-and-mode-kept/{model}", models=BC)
def udp_buffer_mode_kept(t, model):
    m, peer, addr = udp_setup(t, model, 0)
    s = m.sim
    m.open_socket(1, "UDP", "127.0.0.1", peer.getsockname()[1])
    send_check(m, None, 1, b"hi", "socket 1 send")
    _, addr1 = peer.recvfrom(100)
    peer.sendto(b"buffered-before", addr)
    m.wait_urc('+QIURC: "recv",0', 5)
    m.at("AT+QISWTMD=1,1").ok()     # socket 1 to direct push
    m.push[1] = {"udp_service": False}
    eq(s.ctl("sleep"), "ok", "sleep")
    wake_by_host(m)
    hdr, data, r = m.qird(0, 512)
    eq(data, b"buffered-before", "data buffered before the sleep kept")
    peer.sendto(b"pushed", addr1)
    e = m.wait_urc('+QIURC: "recv",1', 5)
    eq(e.data, b"pushed", "QISWTMD direct push mode kept (seed 001 2.3.7)")


@test("sleep/data-echo-after-wake/{model}", models=BC)
def data_echo_after_wake(t, model):
    # what the driver must re-pin: echomode 0 is lost by the wake-up, and the
    # next data phase echoes its input again (under ATE0 too)
    m, peer, addr = udp_setup(t, model, 0)     # ATE0, echomode 0
    s = m.sim
    eq(s.ctl("sleep"), "ok", "sleep")
    wake_by_host(m)
    eq(m.at("AT+QISEND=0,5").raw, b"\r\n> ", "prompt")
    m.write(b"hello")
    m.expect(b"hello\r\nOK\r\n\r\nSEND OK\r\n", what="data echoed again after the wake-up")
    eq(peer.recv(10), b"hello", "datagram at the peer")
