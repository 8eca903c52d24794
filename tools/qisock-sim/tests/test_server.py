# SPDX-License-Identifier: GPL-2.0
"""EC200U/EG915U servers: TCP LISTENER with real clients ("incoming",
"incoming full", TCP INCOMING), UDP SERVICE with peer addresses
(seed 000 2.4.7, 2.4.9-2.4.11, 2.5.3-2.5.4). BC66 has neither (seed 001)."""

import re
import socket
import time

from harness import test
from modem import check, eq, free_port, udp_socket, recv_exact, tcp_server
from test_sockets import quiet_data_echo, read_all

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")


def client(port):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(5)
    c.connect(("127.0.0.1", port))
    return c


@test("server/tcp-listener/{model}", models=EC)
def listener(t, model):
    m = t.sim(model, pdp_active=True).connect()
    quiet_data_echo(m)
    lport = free_port()
    m.open_socket(1, "TCP LISTENER", "127.0.0.1", 0, lport=lport)
    line = m.at("AT+QISTATE=1,1").ok().one("+QISTATE: 1,")
    f = line.split(",")
    eq(f[1], '"TCP LISTENER"', "service type in %r" % line)
    eq(f[4], str(lport), "local port in %r" % line)
    eq(f[5], "3", "state listening (3) in %r" % line)
    c = client(lport)
    t.defer(c.close)
    e = m.wait_urc('+QIURC: "incoming",', 5)
    cport = c.getsockname()[1]
    mm = re.fullmatch(r'\+QIURC: "incoming",(\d+),1,"127\.0\.0\.1",%d' % cport, e.text)
    check(mm, "incoming URC %r (expected +QIURC: \"incoming\",<id>,1,\"127.0.0.1\",%d)" % (e.text, cport))
    nid = int(mm.group(1))
    check(0 <= nid <= 11 and nid != 1, "incoming connectID %d" % nid)
    line = m.at("AT+QISTATE=1,%d" % nid).ok().one("+QISTATE: ")
    check(re.fullmatch(r'\+QISTATE: %d,"TCP INCOMING","127\.0\.0\.1",%d,%d,2,1,1,0,"[a-z0-9]+"'
                       % (nid, cport, lport), line),
          "QISTATE of the incoming connection: %r" % line)
    m.at("AT+QISEND=1,5").error()  # not on a TCP LISTENER
    m.at('AT+QISENDEX=1,"3031"').error()  # seed 000 2.4.12
    c.sendall(b"from client\r\nOK\r\n")
    m.wait_urc('+QIURC: "recv",%d' % nid, 5)
    time.sleep(0.1)
    eq(read_all(m, nid, 17, 1500), b"from client\r\nOK\r\n", "data from the incoming client")
    m.at("AT+QISEND=%d,5" % nid)
    m.write(b"reply")
    m.expect(b"\r\nSEND OK\r\n", what="send to the incoming client")
    eq(recv_exact(c, 5), b"reply", "client received")
    r = m.at("AT+QISTATE").ok()
    ids = sorted(int(l.split(",")[0][10:]) for l in r.lines)
    eq(ids, sorted([1, nid]), "AT+QISTATE lists listener and incoming (%r)" % r.lines)
    c.close()
    m.wait_urc('+QIURC: "closed",%d' % nid, 5)
    m.at("AT+QICLOSE=%d" % nid, timeout=10).ok()
    m.at("AT+QICLOSE=1", timeout=10).ok()
    time.sleep(0.2)
    c2 = socket.socket()
    c2.settimeout(2)
    try:
        c2.connect(("127.0.0.1", lport))
        refused = False
    except OSError:
        refused = True
    c2.close()
    check(refused, "listener still accepts after QICLOSE")


@test("server/incoming-full/{model}", models=EC)
def incoming_full(t, model):
    m = t.sim(model, pdp_active=True).connect()
    lport = free_port()
    r = m.at('AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,%d,0,1' % lport).ok()
    eq(m.wait_urc("+QIOPEN: 0,", 5).text, "+QIOPEN: 0,0", "listener with tcp_client_maxnum 1")
    c1 = client(lport)
    t.defer(c1.close)
    m.wait_urc('+QIURC: "incoming",', 5)
    c2 = client(lport)
    t.defer(c2.close)
    e = m.wait_urc(lambda e: e.text.startswith('+QIURC: "incoming'), 5)
    eq(e.raw, b'\r\n+QIURC: "incoming full"\r\n', "second client over tcp_client_maxnum")
    c2.settimeout(3)
    try:
        d = c2.recv(10)
    except (ConnectionResetError, socket.timeout) as ex:
        d = b"" if isinstance(ex, ConnectionResetError) else None
    eq(d, b"", "the refused client is disconnected")


@test("server/listener-params/{model}", models=EC)
def listener_params(t, model):
    m = t.sim(model, pdp_active=True).connect()
    lport = free_port()
    m.at('AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,%d,0,12' % lport).error()
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0,11,9' % lport).error()
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",%d,0,0,11,151' % lport).error()
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",65536,0,0').error()
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",80,65536,0').error()
    m.at('AT+QIOPEN=1,0,"SCTP","127.0.0.1",80,0,0').error()
    # every optional parameter given, in range
    srv = tcp_server()
    t.defer(srv.close)
    m.open_socket(3, "TCP", "127.0.0.1", srv.getsockname()[1], extra=",11,10")
    m.open_socket(4, "TCP", "127.0.0.1", srv.getsockname()[1], extra=",0,150")


@test("server/port-busy/{model}", models=EC)
def port_busy(t, model):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    t.defer(busy.close)
    m = t.sim(model, pdp_active=True).connect()
    r = m.at('AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,%d,0' % busy.getsockname()[1])
    if r.final == "OK":
        e = m.wait_urc("+QIOPEN: 0,", 5)
        check(e.text in ("+QIOPEN: 0,574", "+QIOPEN: 0,556", "+QIOPEN: 0,557"),
              "listener on a busy port: %r (574 port busy / 556 bind failed)" % e.text)
    else:
        r.error()


@test("server/udp-service/{model}", models=EC)
def udp_service(t, model):
    m = t.sim(model, pdp_active=True).connect()
    quiet_data_echo(m)
    lport = free_port(socket.SOCK_DGRAM)
    m.open_socket(2, "UDP SERVICE", "127.0.0.1", 0, lport=lport)
    line = m.at("AT+QISTATE=1,2").ok().one("+QISTATE: 2,")
    eq(line.split(",")[1], '"UDP SERVICE"', "type in %r" % line)
    eq(line.split(",")[4], str(lport), "local port in %r" % line)
    p1, p2 = udp_socket(), udp_socket()
    t.defer(p1.close)
    t.defer(p2.close)
    p1.sendto(b"one\r\nOK\r\n", ("127.0.0.1", lport))
    m.wait_urc('+QIURC: "recv",2', 5)
    time.sleep(0.1)
    p2.sendto(b"two", ("127.0.0.1", lport))
    time.sleep(0.2)
    hdr, d, r = m.qird(2, udp_service=True)
    eq(hdr, '9,"127.0.0.1",%d' % p1.getsockname()[1], "UDP SERVICE QIRD header (first datagram)")
    eq(d, b"one\r\nOK\r\n", "first datagram")
    hdr, d, r = m.qird(2, udp_service=True)
    eq(hdr, '3,"127.0.0.1",%d' % p2.getsockname()[1], "second datagram header")
    eq(d, b"two", "second datagram")
    hdr, d, r = m.qird(2, udp_service=True)
    eq(r.lines, ["+QIRD: 0"], "drained")
    # send to a chosen peer
    r = m.at('AT+QISEND=2,5,"127.0.0.1",%d' % p2.getsockname()[1])
    eq(r.raw, b"\r\n> ", "UDP SERVICE send prompt")
    m.write(b"hello")
    m.expect(b"\r\nSEND OK\r\n", what="UDP SERVICE SEND OK")
    d, a = p2.recvfrom(100)
    eq((d, a[1]), (b"hello", lport), "datagram at the chosen peer, from <local_port>")
    m.at('AT+QISENDEX=2,"3031"').error()  # not for UDP SERVICE (seed 2.4.12)
    # <remoteIP> "must be dot decimal format"
    # ("any parameter is incorrect: ERROR"; before the prompt, or instead of SEND OK)
    r = m.at('AT+QISEND=2,5,"example.test",%d' % p2.getsockname()[1])
    if r.prompt:
        m.write(b"wrong")
        r = m.final()
    r.error()


@test("server/udp-service-push/{model}", models=EC)
def udp_service_push(t, model):
    m = t.sim(model, pdp_active=True).connect()
    lport = free_port(socket.SOCK_DGRAM)
    m.open_socket(4, "UDP SERVICE", "127.0.0.1", 0, lport=lport, mode=1)
    p = udp_socket()
    t.defer(p.close)
    p.sendto(b"x\r\ny", ("127.0.0.1", lport))
    e = m.wait_urc(lambda e: e.kind == "push", 5)
    eq(e.raw, b'\r\n+QIURC: "recv",4,4,"127.0.0.1",%d\r\nx\r\ny' % p.getsockname()[1],
       "UDP SERVICE direct push URC (seed 000 2.5.2)")


@test("server/not-on-bc66/{model}", models=BC)
def not_bc66(t, model):
    m = t.sim(model, pdp_active=True).connect()
    lport = free_port()
    m.at('AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,%d,0' % lport).error()
    m.at('AT+QIOPEN=1,0,"UDP SERVICE","127.0.0.1",0,%d,0' % lport).error()
    # seed 001: <remote_port> 1-65535, <local_port> 0-65535
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",0,0,0').error()
    m.at('AT+QIOPEN=1,0,"TCP","127.0.0.1",65536,0,0').error()
    m.at('AT+QIOPEN=1,0,"UDP","127.0.0.1",5000,65536,0').error()


@test("server/incoming-no-free-id/{model}", models=EC, timeout=30)
def incoming_no_id(t, model):
    # seed 000 2.5.3: "no socket system resources can be allocated" -> "incoming full"
    srv = tcp_server()
    t.defer(srv.close)
    m = t.sim(model, pdp_active=True).connect()
    lport = free_port()
    m.open_socket(0, "TCP LISTENER", "127.0.0.1", 0, lport=lport)
    for cid in range(1, 7):
        m.open_socket(cid, "TCP", "127.0.0.1", srv.getsockname()[1])
        c, _ = srv.accept()
        t.defer(c.close)
    ids = set()
    for i in range(5):
        c = client(lport)
        t.defer(c.close)
        e = m.wait_urc('+QIURC: "incoming"', 5)
        mm = re.fullmatch(r'\+QIURC: "incoming",(\d+),0,"127\.0\.0\.1",\d+', e.text)
        check(mm, "incoming URC %r" % e.text)
        ids.add(int(mm.group(1)))
    eq(ids, set(range(7, 12)), "incoming connections get the free connectIDs 7-11")
    c = client(lport)
    t.defer(c.close)
    e = m.wait_urc('+QIURC: "incoming', 5)
    eq(e.text, '+QIURC: "incoming full"', "13th socket: no free connectID")
