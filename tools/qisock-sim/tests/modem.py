# SPDX-License-Identifier: GPL-2.0
"""Test helpers for the qisock modem simulator's own conformance tests.

Written from the two seed application notes and the team contract only.
Python 3 standard library only.

Pieces:
  Sim      start/stop one simulator instance (temporary dir, unique paths)
  Modem    the serial side (unix socket or pty): send AT commands, collect
           information lines, the final result code and URCs separately,
           read exact byte counts (binary payloads are length-authoritative)
  Fail/Skip exceptions and small assertion helpers
"""

import errno
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import termios
import time
import tty

HERE = os.path.dirname(os.path.abspath(__file__))
SIM_DIR = os.path.dirname(HERE)
SIM = os.environ.get("QISOCK_SIM", os.path.join(SIM_DIR, "qisock-sim"))

CRLF = b"\r\n"

MODELS = {
    "ec200u": "EC200U",
    "eg915u": "EG915U",
    "bc66": "BC66",
    "bc66-na": "BC66-NA",
}
EC_MODELS = ("ec200u", "eg915u")
BC_MODELS = ("bc66", "bc66-na")


def is_bc66(model):
    return model in BC_MODELS


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def esc(b, limit=400):
    """Printable escape of bytes for diagnostics."""
    if isinstance(b, str):
        b = b.encode("latin-1", "replace")
    s = ""
    for c in b[:limit]:
        if c == 13:
            s += "\\r"
        elif c == 10:
            s += "\\n"
        elif c == 0x5C:
            s += "\\\\"
        elif 32 <= c < 127:
            s += chr(c)
        else:
            s += "\\x%02x" % c
    if len(b) > limit:
        s += "...(%d bytes)" % len(b)
    return s


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def eq(got, exp, what):
    if got != exp:
        if isinstance(got, (bytes, bytearray)) or isinstance(exp, (bytes, bytearray)):
            raise Fail("%s:\n  expected: %s\n  got:      %s" % (what, esc(exp), esc(got)))
        raise Fail("%s:\n  expected: %r\n  got:      %r" % (what, exp, got))


def parse_range(s):
    """'(0-11)' / '(0,1)' / '(1-3,5)' / '0-11' -> set of ints."""
    s = s.strip()
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    out = set()
    for part in s.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)-(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if b - a > 70000:
                raise Fail("absurd range %r" % s)
            out.update(range(a, b + 1))
        elif re.fullmatch(r"\d+", part):
            out.add(int(part))
        else:
            raise Fail("cannot parse range/list %r" % s)
    return out


def split_test_form(payload):
    """Split the payload of a test-form line at top-level commas:
    '"x",(0-1),(1,2),"a,b"' -> ['"x"', '(0-1)', '(1,2)', '"a,b"']"""
    out, cur, depth, quote = [], "", 0, False
    for ch in payload:
        if ch == '"':
            quote = not quote
        if not quote:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 0:
                out.append(cur)
                cur = ""
                continue
        cur += ch
    out.append(cur)
    return out


def check_range_field(field, expected, what):
    """field like '(0-11)' must denote exactly the set `expected`."""
    check(field.startswith("(") and field.endswith(")"),
          "%s: expected a parenthesised range, got %r" % (what, field))
    got = parse_range(field)
    if got != set(expected):
        def show(st):
            st = sorted(st)
            if len(st) > 6:
                return "%d..%d (%d values)" % (st[0], st[-1], len(st))
            return str(st)
        raise Fail("%s: range %r denotes %s, expected %s" % (what, field, show(got), show(expected)))


# ---------------------------------------------------------------- simulator

def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def unix_connect(path, timeout):
    """Connect to a unix stream socket, retrying while it is bound but not
    listening yet."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(path)
            return s
        except (ConnectionRefusedError, FileNotFoundError):
            s.close()
            if time.monotonic() > deadline:
                raise Fail("cannot connect to %s" % path)
            time.sleep(0.02)


class Sim:
    """One simulator instance in its own temporary directory."""

    def __init__(self, model, pty=False, control=True, stats=True, trace=False,
                 pdp_active=False, hosts=(), baud=None, seed=None, no_rdy=False,
                 extra=()):
        self.model = model
        self.tmp = tempfile.mkdtemp(prefix="qsim-")
        self.pty = pty
        self.endpoint = os.path.join(self.tmp, "tty" if pty else "ser.sock")
        self.control_path = os.path.join(self.tmp, "ctl.sock") if control else None
        self.stats_path = os.path.join(self.tmp, "stats") if stats else None
        self.trace_path = None
        args = [SIM, "--model", model, ("--pty" if pty else "--unix"), self.endpoint]
        if control:
            args += ["--control", self.control_path]
        if stats:
            args += ["--stats", self.stats_path]
        if trace:
            if trace is True:
                self.trace_path = os.path.join(self.tmp, "trace.log")
            else:
                self.trace_path = trace
            args += ["--trace=" + self.trace_path]
        if pdp_active:
            args += ["--pdp-active"]
        for h in hosts:
            args += ["--host", h]
        if baud is not None:
            args += ["--baud", str(baud)]
        if seed is not None:
            args += ["--seed", str(seed)]
        if no_rdy:
            args += ["--no-rdy"]
        args += list(extra)
        self.args = args
        self.proc = None
        self.ctl_sock = None
        self.ctl_buf = b""
        self.modems = []
        self.stderr_path = os.path.join(self.tmp, "stderr")
        self.exit_code = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *a):
        self.stop()

    def start(self, timeout=5.0):
        if not os.access(SIM, os.X_OK):
            raise Skip("simulator binary %s not built" % SIM)
        self.stderr_f = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                     stdout=self.stderr_f, stderr=self.stderr_f,
                                     cwd=self.tmp)
        deadline = time.monotonic() + timeout
        need = [self.endpoint] + ([self.control_path] if self.control_path else [])
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Fail("simulator exited early (rc=%s): %s\n  stderr: %s"
                           % (self.proc.returncode, " ".join(self.args), esc(self.stderr_tail())))
            if all(os.path.exists(p) for p in need):
                return
            time.sleep(0.02)
        raise Fail("simulator did not create %s within %.0fs" % (need, timeout))

    def stderr_tail(self, n=1500):
        try:
            with open(self.stderr_path, "rb") as f:
                d = f.read()
            return d[-n:]
        except OSError:
            return b""

    def stop(self):
        for m in self.modems:
            m.close()
        if self.ctl_sock:
            try:
                self.ctl_sock.close()
            except OSError:
                pass
            self.ctl_sock = None
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(3)
        if self.proc:
            self.exit_code = self.proc.returncode
        try:
            self.stderr_f.close()
        except Exception:
            pass

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # serial side
    def connect(self, timeout=5.0, wait_rdy=True, echo_off=True):
        """New client = module power-on. Returns a Modem. By default waits for
        RDY (unless --no-rdy) and switches echo off with ATE0."""
        if self.pty:
            fd = os.open(self.endpoint, os.O_RDWR | os.O_NOCTTY)
            tty.setraw(fd)
            attrs = termios.tcgetattr(fd)
            attrs[3] &= ~termios.ECHO
            termios.tcsetattr(fd, termios.TCSANOW, attrs)
            m = Modem(fd=fd, model=self.model)
        else:
            s = unix_connect(self.endpoint, timeout)
            s.setblocking(False)
            m = Modem(sock=s, model=self.model)
        m.sim = self
        self.modems.append(m)
        if wait_rdy and "--no-rdy" not in self.args:
            m.wait_urc("RDY", timeout=timeout)
            if is_bc66(self.model):
                # BC66 reports "+IP: <addr>" once registered (seed 001 2.3.1
                # notes); let it arrive before the first command
                try:
                    m.wait_urc("+IP:", timeout=0.5)
                except Fail:
                    pass
        if echo_off:
            r = m.at("ATE0", echo=True)
            r.ok()
            m.echo = False
        return m

    # control channel
    def ctl(self, cmd, timeout=5.0, expect_ok=True):
        if not self.control_path:
            raise Fail("no control channel configured")
        if self.ctl_sock is None:
            self.ctl_sock = unix_connect(self.control_path, timeout)
            self.ctl_buf = b""
        self.ctl_sock.settimeout(timeout)
        self.ctl_sock.sendall(cmd.encode() + b"\n")
        deadline = time.monotonic() + timeout
        while b"\n" not in self.ctl_buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail("control: no reply to %r within %.1fs" % (cmd, timeout))
            self.ctl_sock.settimeout(left)
            try:
                d = self.ctl_sock.recv(4096)
            except socket.timeout:
                continue
            if not d:
                raise Fail("control: connection closed after %r" % cmd)
            self.ctl_buf += d
        line, self.ctl_buf = self.ctl_buf.split(b"\n", 1)
        line = line.rstrip(b"\r").decode("latin-1")
        if expect_ok and not (line == "ok" or line.startswith("ok ")):
            raise Fail("control: %r -> %r (expected ok...)" % (cmd, line))
        return line

    def stats(self):
        line = self.ctl("stats")
        m = re.fullmatch(r"ok tx=(\d+) rx=(\d+)", line)
        check(m, "control stats: reply %r does not match 'ok tx=N rx=N'" % line)
        return int(m.group(1)), int(m.group(2))


# -------------------------------------------------------------------- modem

FINALS = ("OK", "ERROR", "SEND OK", "SEND FAIL", "CONNECT", "NO CARRIER", "CLOSE OK")
URC_PREFIXES = ("+QIURC:", "RDY", "+IP:", "+QIOPEN:", "+QIACTEX:", "+QIDEACTEX:",
                "+QPING:", "+QNTP:", "+QNTTP:", "+QIDEACTEX=")


def is_final(line):
    return line in FINALS or line.startswith("+CME ERROR:") or line.startswith("+CMS ERROR:")


class Elem:
    """One element of the module's output stream."""

    def __init__(self, kind, line=b"", data=None, raw=b""):
        self.kind = kind  # 'line', 'prompt', 'push' (direct push URC with data)
        self.line = line
        self.data = data
        self.raw = raw

    @property
    def text(self):
        return self.line.decode("latin-1")

    def __repr__(self):
        return "<%s %s%s>" % (self.kind, esc(self.line),
                              (" data=" + esc(self.data, 60)) if self.data is not None else "")


class Resp:
    def __init__(self, cmd):
        self.cmd = cmd
        self.lines = []   # information text lines (str)
        self.final = None  # final result code (str) or None
        self.urcs = []    # URCs seen while the command ran (str)
        self.prompt = False
        self.raw = b""    # every byte after the echo up to the end of the final line / prompt

    def ok(self):
        if self.final != "OK":
            raise Fail("%s: expected OK, got final %r (lines %r, urcs %r, raw %s)"
                       % (self.cmd, self.final, self.lines, self.urcs, esc(self.raw)))
        return self

    def error(self):
        if self.final != "ERROR" and not (self.final or "").startswith("+CME ERROR:"):
            raise Fail("%s: expected ERROR, got final %r (lines %r, raw %s)"
                       % (self.cmd, self.final, self.lines, esc(self.raw)))
        return self

    def one(self, prefix=None):
        if len(self.lines) != 1:
            raise Fail("%s: expected exactly one information line, got %r" % (self.cmd, self.lines))
        if prefix and not self.lines[0].startswith(prefix):
            raise Fail("%s: expected line starting %r, got %r" % (self.cmd, prefix, self.lines[0]))
        return self.lines[0]


class Modem:
    def __init__(self, sock=None, fd=None, model="ec200u"):
        self.sock = sock
        self.fd = fd if fd is not None else sock.fileno()
        self.model = model
        self.buf = b""
        self.echo = True
        self.urcq = []        # pending URC elements (not consumed by a test yet)
        self.log = []         # (direction, bytes) for diagnostics
        self.push = {}        # connectID -> {'udp_service': bool} for direct push sockets
        self.viewmode = 0     # QICFG viewmode as the test has set it
        self.closed = False
        self.sim = None

    # ---------------------------------------------------------------- raw io
    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            if self.sock:
                self.sock.close()
            else:
                os.close(self.fd)
        except OSError:
            pass

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.log.append((">", data))
        view = memoryview(data)
        deadline = time.monotonic() + 10
        while view:
            if time.monotonic() > deadline:
                raise Fail("write blocked for 10s")
            _, w, _ = select.select([], [self.fd], [], 1.0)
            if not w:
                continue
            try:
                if self.sock:
                    n = self.sock.send(view)
                else:
                    n = os.write(self.fd, view)
            except (BlockingIOError, InterruptedError):
                continue
            view = view[n:]

    def _fill(self, deadline):
        """Read whatever is available (waiting until deadline). False on timeout."""
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.fd], [], [], left)
        if not r:
            return False
        try:
            if self.sock:
                d = self.sock.recv(65536)
            else:
                d = os.read(self.fd, 65536)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError as e:
            if e.errno == errno.EIO:  # pty slave side gone
                d = b""
            else:
                raise
        if not d:
            raise Fail("serial endpoint closed by the simulator (buffer %s)" % esc(self.buf))
        self.log.append(("<", d))
        self.buf += d
        return True

    def read_exact(self, n, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.buf) < n:
            if not self._fill(deadline):
                raise Fail("timeout reading %d bytes (have %d: %s)" % (n, len(self.buf), esc(self.buf)))
        d, self.buf = self.buf[:n], self.buf[n:]
        return d

    def read_until(self, pat, timeout=5.0):
        deadline = time.monotonic() + timeout
        while pat not in self.buf:
            if not self._fill(deadline):
                raise Fail("timeout waiting for %s (have %s)" % (esc(pat), esc(self.buf)))
        i = self.buf.index(pat) + len(pat)
        d, self.buf = self.buf[:i], self.buf[i:]
        return d

    def expect(self, data, timeout=5.0, what="bytes"):
        got = self.read_exact(len(data), timeout)
        if got != data:
            more = self.read_available(0.2)
            raise Fail("%s:\n  expected: %s\n  got:      %s%s" % (what, esc(data), esc(got), esc(more)))

    def read_available(self, quiet=0.3, maxtime=5.0):
        """Everything that arrives until the line is quiet for `quiet` s."""
        end = time.monotonic() + maxtime
        while time.monotonic() < end:
            if not self._fill(min(end, time.monotonic() + quiet)):
                break
        d, self.buf = self.buf, b""
        return d

    def expect_silence(self, secs=0.5, what="nothing"):
        d = self.read_available(secs, maxtime=secs + 2)
        if d:
            raise Fail("expected %s, but got %s" % (what, esc(d)))

    def log_tail(self, n=2500):
        out = []
        for d, b in self.log:
            out.append("%s %s" % (d, esc(b, 300)))
        s = "\n".join(out)
        return s[-n:]

    # ----------------------------------------------------------- elements
    def next_elem(self, timeout=5.0):
        """Next element: skips the CRLFs that frame lines; returns an Elem.
        Direct-push "recv" URCs for sockets in self.push carry their payload,
        read by length (never by line)."""
        deadline = time.monotonic() + timeout
        raw = b""
        while True:
            while self.buf.startswith(CRLF):
                raw += CRLF
                self.buf = self.buf[2:]
            if self.buf in (b"", b"\r"):
                if not self._fill(deadline):
                    raise Fail("timeout waiting for output (pending %s)" % esc(raw + self.buf))
                continue
            if self.buf.startswith(b">"):
                if len(self.buf) < 2:
                    if not self._fill(deadline):
                        raise Fail("timeout after '>' (pending %s)" % esc(self.buf))
                    continue
                if self.buf.startswith(b"> "):
                    self.buf = self.buf[2:]
                    return Elem("prompt", b"> ", raw=raw + b"> ")
            push = self._try_push(deadline)
            if push is not None:
                push.raw = raw + push.raw
                return push
            if CRLF in self.buf:
                i = self.buf.index(CRLF)
                line = self.buf[:i]
                self.buf = self.buf[i + 2:]
                return Elem("line", line, raw=raw + line + CRLF)
            if not self._fill(deadline):
                raise Fail("timeout waiting for end of line (pending %s)" % esc(raw + self.buf))

    def _try_push(self, deadline):
        """Direct-push URC with payload for a socket in self.push, or None."""
        if not self.push:
            return None
        pre = b'+QIURC: "recv",'
        while len(self.buf) < len(pre) and pre.startswith(self.buf):
            if not self._fill(deadline):
                return None
        if not self.buf.startswith(pre):
            return None
        while True:
            m = re.match(rb'\+QIURC: "recv",(\d+)([^0-9])', self.buf)
            if m:
                break
            if CRLF in self.buf or len(self.buf) > 40:
                return None
            if not self._fill(deadline):
                return None
        cid = int(m.group(1))
        if cid not in self.push or m.group(2) != b",":
            return None
        if self.push[cid].get("udp_service"):
            hre = rb'\+QIURC: "recv",(\d+),(\d+),"([0-9.]+)",(\d+)(\r\n|,)'
        else:
            hre = rb'\+QIURC: "recv",(\d+),(\d+)()()(\r\n|,)'
        while True:
            m2 = re.match(hre, self.buf)
            if m2:
                break
            if CRLF in self.buf:
                return None  # not a push form (e.g. "buff full"): an ordinary line
            if not self._fill(deadline):
                raise Fail("timeout in direct-push header (pending %s)" % esc(self.buf))
        n = int(m2.group(2))
        while len(self.buf) < m2.end() + n:
            if not self._fill(deadline):
                raise Fail("timeout reading %d pushed bytes (have %s)" % (n, esc(self.buf)))
        e = Elem("push", self.buf[:m2.start(5)], data=self.buf[m2.end():m2.end() + n],
                 raw=self.buf[:m2.end() + n])
        e.sep = m2.group(5)
        e.cid = cid
        e.peer = (m2.group(3).decode(), int(m2.group(4))) if m2.group(3) else None
        self.buf = self.buf[m2.end() + n:]
        # a URC ends with CRLF (seed 000 2.5): take it when it follows the data
        e.trailer = b""
        end = min(deadline, time.monotonic() + 0.05)
        while len(self.buf) < 2 and self.buf in (b"", b"\r") and self._fill(end):
            pass
        if self.buf.startswith(CRLF):
            e.trailer = CRLF
            self.buf = self.buf[2:]
        return e

    @staticmethod
    def _is_urc(line, cmd):
        for p in URC_PREFIXES:
            if line.startswith(p):
                # '+QIACTEX:' etc. also answer their own read/test command
                if cmd and p.endswith(":") and cmd.upper() in ("AT" + p[:-1] + "?", "AT" + p[:-1] + "=?"):
                    return False
                return True
        return False

    def at(self, cmd, timeout=5.0, echo=None, finals=None):
        """Send `cmd` + CR; collect lines until a final result code or the
        '> ' prompt. URC lines go to resp.urcs and self.urcq."""
        if echo is None:
            echo = self.echo
        self.write(cmd.encode("latin-1") + b"\r")
        r = Resp(cmd)
        if echo:
            self.skip_urcs_before_echo(timeout)
            self.expect(cmd.encode("latin-1") + b"\r", timeout, what="echo of %s" % cmd)
        return self.collect(r, timeout, finals)

    def skip_urcs_before_echo(self, timeout):
        """A URC may precede the echo: queue CRLF-framed lines until the echo."""
        deadline = time.monotonic() + timeout
        while True:
            while len(self.buf) < 2:
                if not self._fill(deadline):
                    return
            if not self.buf.startswith(CRLF):
                return
            e = self.next_elem(max(0.01, deadline - time.monotonic()))
            self.urcq.append(e)

    def collect(self, r, timeout=5.0, finals=None):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail("%s: no final result code within %.1fs (lines %r, raw %s, pending %s)"
                           % (r.cmd, timeout, r.lines, esc(r.raw), esc(self.buf)))
            e = self.next_elem(left)
            r.raw += e.raw
            if e.kind == "prompt":
                r.prompt = True
                return r
            if e.kind == "push":
                r.urcs.append(e.text)
                self.urcq.append(e)
                continue
            t = e.text
            if (finals and t in finals) or (not finals and is_final(t)):
                r.final = t
                return r
            if self._is_urc(t, r.cmd):
                r.urcs.append(t)
                self.urcq.append(e)
            else:
                r.lines.append(t)

    def final(self, timeout=5.0, what="final result"):
        """Read the next final result code (e.g. SEND OK after BC66's OK)."""
        r = Resp(what)
        return self.collect(r, timeout)

    def wait_urc(self, match, timeout=5.0):
        """Wait for a URC: `match` is a prefix string, or a callable on Elem.
        Consumes it (and leaves the others queued)."""
        def ok(e):
            if callable(match):
                return match(e)
            return e.text.startswith(match)
        for i, e in enumerate(self.urcq):
            if ok(e):
                del self.urcq[i]
                return e
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail("timeout (%.1fs) waiting for URC %r; queued: %r; pending %s"
                           % (timeout, match, self.urcq, esc(self.buf)))
            e = self.next_elem(left)
            if ok(e):
                return e
            self.urcq.append(e)

    def no_urc(self, match, secs=0.5):
        """Assert no URC matching arrives within secs."""
        try:
            e = self.wait_urc(match, secs)
        except Fail as f:
            if "timeout" in str(f):
                return
            raise
        raise Fail("unexpected URC %r" % e)

    # ------------------------------------------------------------- helpers
    def test_form(self, name, nfields=None):
        """AT+<name>=? -> the top-level fields of its one '+<name>: ' line."""
        r = self.at("AT+%s=?" % name).ok()
        f = split_test_form(r.one("+%s: " % name)[len(name) + 3:])
        if nfields is not None:
            eq(len(f), nfields, "AT+%s=? field count in %r" % (name, r.lines))
        return f

    def ident(self):
        return MODELS[self.model]

    def open_socket(self, cid, service, host, rport, lport=0, mode=0, ctx=1, extra="", timeout=10.0):
        """QIOPEN in buffer (0) or direct push (1) mode; waits for +QIOPEN."""
        cmd = 'AT+QIOPEN=%d,%d,"%s","%s",%d,%d,%d%s' % (ctx, cid, service, host, rport, lport, mode, extra)
        if mode == 1:
            self.push[cid] = {"udp_service": service == "UDP SERVICE"}
        r = self.at(cmd, timeout)
        r.ok()
        e = self.wait_urc("+QIOPEN: %d," % cid, timeout)
        eq(e.text, "+QIOPEN: %d,0" % cid, "URC after %s" % cmd)
        return r

    def send_data(self, cid, data, timeout=5.0):
        """Fixed-length AT+QISEND (works for both dialects); returns final."""
        r = self.at("AT+QISEND=%d,%d" % (cid, len(data)), timeout)
        if not r.prompt:
            raise Fail("AT+QISEND=%d,%d: expected prompt, got %r (raw %s)"
                       % (cid, len(data), r.final, esc(r.raw)))
        self.write(data)
        if is_bc66(self.model):
            f = self.final(timeout)
            f.ok()
            return self.final(timeout).final
        return self.final(timeout).final

    def qird(self, cid, length=None, udp_service=False, remaining=False, viewmode=0, timeout=5.0):
        """AT+QIRD=cid[,length]; parse the header and read the payload by
        length (never by line). Header layouts:
          plain        +QIRD: <n>
          remaining    +QIRD: <n>,<remaining>        (BC66 showlength=1)
          udp_service  +QIRD: <n>,"<ip>",<port>      (EC200U UDP SERVICE)
        followed by CRLF (viewmode 0) or ',' (viewmode 1) and <n> bytes; then
        the final result. '+QIRD: 0' ends its line. Returns (hdr, data, resp),
        hdr being the text after '+QIRD: '; (None, None, resp) when a final
        result code came instead."""
        cmd = "AT+QIRD=%d" % cid if length is None else "AT+QIRD=%d,%d" % (cid, length)
        self.write(cmd.encode() + b"\r")
        if self.echo:
            self.skip_urcs_before_echo(timeout)
            self.expect(cmd.encode() + b"\r", timeout, what="echo of %s" % cmd)
        r = Resp(cmd)
        deadline = time.monotonic() + timeout

        def left():
            return max(0.01, deadline - time.monotonic())
        while True:
            raw = b""
            while True:
                while self.buf.startswith(CRLF):
                    raw += CRLF
                    self.buf = self.buf[2:]
                if len(self.buf) >= 7 or CRLF in self.buf:
                    break
                if not self._fill(deadline):
                    raise Fail("%s: timeout (pending %s)" % (cmd, esc(raw + self.buf)))
            r.raw += raw
            if self.buf.startswith(b"+QIRD: "):
                break
            e = self.next_elem(left())
            r.raw += e.raw
            if e.kind == "line" and is_final(e.text):
                r.final = e.text
                return None, None, r
            r.urcs.append(e.text)
            self.urcq.append(e)
        if udp_service:
            hre = rb'\+QIRD: (\d+)(,"[0-9.]+",\d+)?'
        elif remaining:
            hre = rb'\+QIRD: (\d+)(,\d+)?'
        else:
            hre = rb'\+QIRD: (\d+)()'
        sep = CRLF if viewmode == 0 else b","
        while True:
            m = re.match(hre + rb'(\r\n|,)', self.buf)
            if m:
                break
            if CRLF in self.buf:
                line = self.buf.split(CRLF)[0]
                raise Fail("%s: unexpected +QIRD header layout %s" % (cmd, esc(line)))
            if not self._fill(deadline):
                raise Fail("%s: timeout in header (pending %s)" % (cmd, esc(self.buf)))
        n = int(m.group(1))
        hdr = self.buf[7:m.start(3)].decode("latin-1")
        r.raw += self.buf[:m.end()]
        self.buf = self.buf[m.end():]
        r.lines.append("+QIRD: " + hdr)
        if n == 0:
            if m.group(2) or m.group(3) != CRLF:
                raise Fail("%s: expected '+QIRD: 0\\r\\n', got %s" % (cmd, esc(m.group(0))))
            data = b""
        else:
            if m.group(3) != sep:
                raise Fail("%s: header %s ends with %s, expected %s (viewmode %d)"
                           % (cmd, esc(m.group(0)), esc(m.group(3)), esc(sep), viewmode))
            if (udp_service or remaining) and not m.group(2):
                raise Fail("%s: header %s lacks the %s field" % (
                    cmd, esc(m.group(0)), "remote address" if udp_service else "remaining length"))
            data = self.read_exact(n, left())
            r.raw += data
        self.collect(r, left())
        return hdr, data, r


def tcp_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    s.settimeout(5)
    return s


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(5)
    return s


def recv_exact(conn, n, timeout=5.0):
    conn.settimeout(timeout)
    out = b""
    deadline = time.monotonic() + timeout
    while len(out) < n:
        if time.monotonic() > deadline:
            raise Fail("peer: timeout, got %d of %d bytes: %s" % (len(out), n, esc(out)))
        try:
            d = conn.recv(n - len(out))
        except socket.timeout:
            continue
        if not d:
            raise Fail("peer: connection closed after %d of %d bytes: %s" % (len(out), n, esc(out)))
        out += d
    return out
