#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side peer for the qisock QEMU tests (python3 stdlib only).

Listens on a unix socket that QEMU connects to as the guest's ttyS2 and
answers one command per line with one reply line ("ok ..." or "error ...").
Every server and client it starts is on 127.0.0.1 only, and every loop is
bounded in bytes and in time.

Commands:
  ping                                  ok pong
  sim <command>                         relay to the simulator's control
                                        socket, reply with its answer
  serve tcp [send=N] [expect=M] [echo=1] [close=1] [chunk=K] [wdelay=MS]
            [rdelay=MS] [seed=S] [hold=MS]
                                        one-shot TCP server:
                                        ok <port> <sha256 of what it sends>
                                        hold: read nothing for MS ms after
                                        the accept (or until "resume")
  serve udp [wdelay=MS]                 UDP echo server: ok <port>; each
                                        reply MS ms after its datagram
  connect tcp <port> [same options]     connect to the guest's listener
                                        (through the simulator): ok <key>
  udp-send <port> sizes=a,b,c [expect=K]
                                        datagrams to a UDP SERVICE; the
                                        replies are collected: ok <key>
  result <key> [timeout=S]              ok done=0|1 rx=N sha=HEX tx=N
                                        dgrams=a,b,.. err=TEXT
  close <key>                           drop a session now
  resume <key>                          end the session's hold now: ok
  prefix <key> <n>                      ok <sha256 of the first n bytes the
                                        session sends (of its whole pattern)>
  freeport tcp|udp                      ok <a free port on 127.0.0.1>
A line "@TAG command" is answered "@TAG reply", so a client can tell a
stale reply from the one it waits for.
"""
import argparse
import hashlib
import os
import random
import socket
import sys
import threading
import time

LOOP = "127.0.0.1"
MAX_BYTES = 64 << 20        # per session and direction
SESSION_TIME = 240          # seconds any session may live
MAX_DGRAMS = 4096


def pattern(seed, n):
    """n reproducible pseudo-random bytes."""
    return random.Random(seed).randbytes(n) if n else b""


class Session:
    def __init__(self, opts):
        self.opts = opts
        self.rx = 0
        self.tx = 0
        self.sha = hashlib.sha256()
        self.lock = threading.Lock()    # rx and sha change together
        self.resume = threading.Event()
        self.dgrams = []
        self.err = ""
        self.done = threading.Event()
        self.deadline = time.monotonic() + SESSION_TIME
        self.sock = None

    def left(self):
        return max(0.0, self.deadline - time.monotonic())

    def got(self, d):
        with self.lock:
            self.rx += len(d)
            self.sha.update(d)

    def report(self):
        with self.lock:
            rx, sha = self.rx, self.sha.hexdigest()
        return "ok done=%d rx=%d sha=%s tx=%d dgrams=%s err=%s" % (
            self.done.is_set(), rx, sha, self.tx,
            ",".join(str(d) for d in self.dgrams[:64]) or "-",
            (self.err or "-").replace(" ", "_"))

    # -- TCP: one connection, then send and receive at once --------------
    def run_tcp(self, conn):
        o = self.opts
        self.sock = conn
        conn.settimeout(min(self.left(), 120))
        send_n, expect = o["send"], o["expect"]
        sender = None
        if not o["echo"] and send_n:
            sender = threading.Thread(target=self._send, args=(conn,), daemon=True)
            sender.start()
        try:
            if o["hold"]:
                self.resume.wait(min(self.left(), o["hold"] / 1000.0))
            while o["echo"] and self.rx < MAX_BYTES and self.left() > 0:
                d = conn.recv(o["rchunk"])
                if not d:
                    break
                self.got(d)
                conn.sendall(d)
                self.tx += len(d)
            while not o["echo"] and self.rx < expect and self.left() > 0:
                if o["rdelay"]:
                    time.sleep(o["rdelay"] / 1000.0)
                d = conn.recv(min(o["rchunk"], expect - self.rx))
                if not d:
                    break
                self.got(d)
            if sender:
                sender.join(self.left())
            if o["close"]:
                conn.shutdown(socket.SHUT_RDWR)
            elif not o["echo"]:
                # wait for the guest to close, bounded
                conn.settimeout(min(self.left(), o["timeout"]))
                while self.left() > 0 and self.rx < MAX_BYTES:
                    d = conn.recv(65536)
                    if not d:
                        break
                    self.got(d)
        except OSError as e:
            self.err = self.err or "%s" % e
        finally:
            conn.close()
            self.done.set()

    def _send(self, conn):
        o = self.opts
        data = o["data"]
        try:
            off = 0
            while off < len(data) and self.left() > 0:
                n = conn.send(data[off:off + o["chunk"]])
                off += n
                self.tx += n
                if o["wdelay"]:
                    time.sleep(o["wdelay"] / 1000.0)
        except OSError as e:
            self.err = self.err or "send: %s" % e

    # -- UDP echo --------------------------------------------------------
    def run_udp_echo(self, s):
        self.sock = s
        try:
            while self.left() > 0 and len(self.dgrams) < MAX_DGRAMS:
                s.settimeout(min(self.left(), 5))
                try:
                    d, a = s.recvfrom(65536)
                except socket.timeout:
                    continue
                self.dgrams.append(len(d))
                self.got(d)
                if self.opts["wdelay"]:
                    time.sleep(self.opts["wdelay"] / 1000.0)
                s.sendto(d, a)
                self.tx += len(d)
        except OSError as e:
            self.err = "%s" % e
        finally:
            s.close()
            self.done.set()

    def run_udp_send(self, s, port, sizes, expect):
        self.sock = s
        try:
            for i, n in enumerate(sizes):
                d = pattern(self.opts["seed"] + i, n)
                s.sendto(d, (LOOP, port))
                self.tx += n
                time.sleep(0.02)
            end = time.monotonic() + 15
            while len(self.dgrams) < expect and time.monotonic() < end:
                s.settimeout(max(0.1, end - time.monotonic()))
                try:
                    d, _ = s.recvfrom(65536)
                except socket.timeout:
                    break
                self.dgrams.append(len(d))
                self.got(d)
        except OSError as e:
            self.err = "%s" % e
        finally:
            s.close()
            self.done.set()


def parse_opts(words):
    o = {"send": 0, "expect": 0, "echo": 0, "close": 0, "chunk": 16384,
         "rchunk": 65536, "wdelay": 0, "rdelay": 0, "seed": 1,
         "sizes": "", "timeout": 60, "hold": 0}
    for w in words:
        k, _, v = w.partition("=")
        if k not in o:
            raise ValueError("unknown option " + k)
        o[k] = v if k == "sizes" else int(v)
    for k in ("send", "expect"):
        if not 0 <= o[k] <= MAX_BYTES:
            raise ValueError(k + " out of range")
    o["chunk"] = max(1, min(o["chunk"], 1 << 20))
    o["rchunk"] = max(1, min(o["rchunk"], 1 << 20))
    o["wdelay"] = max(0, min(o["wdelay"], 2000))
    o["rdelay"] = max(0, min(o["rdelay"], 2000))
    o["hold"] = max(0, min(o["hold"], 120000))
    return o


class Peer:
    def __init__(self, control, log):
        self.control = control
        self.log = log
        self.sessions = {}
        self.nkey = 0

    def note(self, msg):
        if self.log:
            self.log.write("[%9.3f] %s\n" % (time.monotonic(), msg))
            self.log.flush()

    def sim(self, cmd):
        if not self.control:
            return "error no simulator control socket"
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(self.control)
            s.sendall(cmd.encode() + b"\n")
            buf = b""
            while b"\n" not in buf and len(buf) < 4096:
                d = s.recv(4096)
                if not d:
                    break
                buf += d
            return buf.split(b"\n")[0].decode(errors="replace").strip() or "error no reply"
        except OSError as e:
            return "error control: %s" % e
        finally:
            s.close()

    def add(self, sess, key=None):
        if key is None:
            self.nkey += 1
            key = "s%d" % self.nkey
        self.sessions[key] = sess
        return key

    def serve_tcp(self, o):
        o["data"] = pattern(o["seed"], o["send"])
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if o["hold"]:
            # a small window, so that a peer that does not read is felt soon
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        ls.bind((LOOP, 0))
        ls.listen(1)
        port = ls.getsockname()[1]
        sess = Session(o)

        def run():
            ls.settimeout(o["timeout"])
            try:
                conn, _ = ls.accept()
            except OSError as e:
                sess.err = "accept: %s" % e
                sess.done.set()
                return
            finally:
                ls.close()
            sess.run_tcp(conn)
        threading.Thread(target=run, daemon=True).start()
        self.add(sess, str(port))
        return "ok %d %s" % (port, hashlib.sha256(o["data"]).hexdigest())

    def serve_udp(self, o):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((LOOP, 0))
        port = s.getsockname()[1]
        sess = Session(o)
        threading.Thread(target=sess.run_udp_echo, args=(s,), daemon=True).start()
        self.add(sess, str(port))
        return "ok %d" % port

    def connect_tcp(self, port, o):
        o["data"] = pattern(o["seed"], o["send"])
        sess = Session(o)

        def run():
            end = time.monotonic() + min(o["timeout"], 30)
            while True:
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                c.settimeout(5)
                try:
                    c.connect((LOOP, port))
                    break
                except OSError as e:
                    c.close()
                    if time.monotonic() > end:
                        sess.err = "connect: %s" % e
                        sess.done.set()
                        return
                    time.sleep(0.2)
            sess.run_tcp(c)
        threading.Thread(target=run, daemon=True).start()
        key = self.add(sess)
        return "ok %s %s" % (key, hashlib.sha256(o["data"]).hexdigest())

    def udp_send(self, port, o):
        sizes = [int(x) for x in o["sizes"].split(",") if x][:256]
        if any(n < 0 or n > 65000 for n in sizes):
            return "error bad sizes"
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((LOOP, 0))
        sess = Session(o)
        threading.Thread(target=sess.run_udp_send,
                         args=(s, port, sizes, o["expect"]), daemon=True).start()
        key = self.add(sess)
        return "ok %s %d" % (key, s.getsockname()[1])

    def command(self, line):
        w = line.split()
        if not w:
            return None
        cmd = w[0]
        try:
            if cmd == "freeport" and len(w) == 2 and w[1] in ("tcp", "udp"):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM
                                  if w[1] == "tcp" else socket.SOCK_DGRAM)
                s.bind((LOOP, 0))
                port = s.getsockname()[1]
                s.close()
                return "ok %d" % port
            if cmd == "ping":
                return "ok pong"
            if cmd == "sim":
                return self.sim(line[3:].strip())
            if cmd == "serve" and len(w) >= 2 and w[1] == "tcp":
                return self.serve_tcp(parse_opts(w[2:]))
            if cmd == "serve" and len(w) >= 2 and w[1] == "udp":
                return self.serve_udp(parse_opts(w[2:]))
            if cmd == "connect" and len(w) >= 3 and w[1] == "tcp":
                return self.connect_tcp(int(w[2]), parse_opts(w[3:]))
            if cmd == "udp-send" and len(w) >= 2:
                return self.udp_send(int(w[1]), parse_opts(w[2:]))
            if cmd == "prefix" and len(w) == 3:
                sess = self.sessions.get(w[1])
                if not sess:
                    return "error no session " + w[1]
                data = sess.opts.get("data", b"")
                n = int(w[2])
                if not 0 <= n <= len(data):
                    return "error %d out of range (0-%d)" % (n, len(data))
                return "ok " + hashlib.sha256(data[:n]).hexdigest()
            if cmd in ("result", "close", "resume") and len(w) >= 2:
                sess = self.sessions.get(w[1])
                if not sess:
                    return "error no session " + w[1]
                if cmd == "resume":
                    sess.resume.set()
                    return "ok"
                if cmd == "close":
                    if sess.sock:
                        try:
                            sess.sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                    return "ok"
                t = parse_opts(w[2:])["timeout"] if len(w) > 2 else 30
                sess.done.wait(max(0, min(t, 120)))
                return sess.report()
            return "error unknown command"
        except (ValueError, OSError) as e:
            return "error %s" % e


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unix", required=True, help="listen here (QEMU connects)")
    ap.add_argument("--control", help="simulator control socket")
    ap.add_argument("--log", help="log commands and replies here")
    ap.add_argument("--max-time", type=int, default=1800)
    a = ap.parse_args()
    log = open(a.log, "a") if a.log else None
    peer = Peer(a.control, log)
    try:
        os.unlink(a.unix)
    except FileNotFoundError:
        pass
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(a.unix)
    ls.listen(1)
    end = time.monotonic() + a.max_time
    ls.settimeout(a.max_time)
    try:
        conn, _ = ls.accept()
    except socket.timeout:
        return 1
    buf = b""
    while time.monotonic() < end:
        conn.settimeout(max(1, end - time.monotonic()))
        try:
            d = conn.recv(4096)
        except socket.timeout:
            break
        if not d:
            break
        buf += d.replace(b"\r", b"\n")
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.decode(errors="replace").strip()
            if not line:
                continue
            tag = ""
            if line.startswith("@"):    # "@tag cmd": the reply carries the tag
                tag, _, line = line.partition(" ")
                tag += " "
            reply = tag + (peer.command(line) or "error empty command")
            peer.note("> %s%s\n< %s" % (tag, line, reply))
            conn.sendall(reply.encode() + b"\n")
        if len(buf) > 65536:
            buf = b""
    return 0


if __name__ == "__main__":
    sys.exit(main())
