# SPDX-License-Identifier: GPL-2.0
"""AT+QICFG: test form, read defaults, writes in range, out of range -> ERROR,
per-model option sets (seed 000 2.4.1, seed 001 2.3.12)."""

from harness import test, ALL_MODELS
from modem import check, eq, esc, split_test_form, check_range_field, is_bc66

EC = ("ec200u", "eg915u")
BC = ("bc66", "bc66-na")
B01 = {0, 1}

# name, test-form fields (set = range; None = free text), defaults (None = any
# value of the range), good writes, bad writes
EC_OPTS = [
    ("transpktsize", [set(range(1, 1461))], (1024,), [(1,), (1460,), (512,)], [(0,), (1461,)]),
    ("transwaittm", [set(range(0, 21))], (2,), [(0,), (20,), (7,)], [(21,)]),
    ("dataformat", [B01, B01], (0, 0), [(1, 1), (0, 1), (1, 0), (0, 0)], [(2, 0), (0, 2)]),
    ("viewmode", [B01], (0,), [(1,), (0,)], [(2,)]),
    ("udp/sendmode", [B01], None, [(1,), (0,)], [(2,)]),
    ("udp/readmode", [B01], None, [(1,), (0,)], [(2,)]),
    ("tcp/accept", [B01], None, [(0,), (1,)], [(2,)]),
    ("passiveclosed", [B01], None, [(1,), (0,)], [(2,)]),
    ("close/mode", [B01], (0,), [(1,), (0,)], [(2,)]),
    ("recvind", [B01], (0,), [(1,), (0,)], [(2,)]),
    ("sendinfo", [B01], (0,), [(1,), (0,)], [(2,)]),
    ("tcp/retranscfg", [set(range(3, 13)), set(range(5, 61))], (8, 6),
     [(3, 5), (12, 60), (10, 30)], [(2, 6), (13, 6), (8, 4), (8, 61)]),
    ("formatcfg", [B01], None, [(1,), (0,)], [(2,)]),
    ("qisend/timeout", [set(range(0, 121))], (5,), [(0,), (120,), (60,)], [(121,)]),
]
EC_ORDER = ["transpktsize", "transwaittm", "dataformat", "viewmode", "udp/sendmode",
            "udp/readmode", "tcp/accept", "passiveclosed", "tcp/twrecycle", "close/mode",
            "pdp/retry", "recvind", "sendinfo", "tcp/keepalive", "tcp/retranscfg", "send/auto",
            "recv/ignore", "formatcfg", "qisend/timeout"]

BC_OPTS = [
    ("dataformat", [B01, B01], (0, 0), [(1, 1), (0, 1), (1, 0), (0, 0)], [(2, 0), (0, 2)]),
    ("viewmode", [B01], (0,), [(1,), (0,)], [(2,)]),
    ("showlength", [B01], (0,), [(1,), (0,)], [(2,)]),
    ("echomode", [B01], (1,), [(0,), (1,)], [(2,)]),
]


def vals(v):
    return ",".join(str(x) for x in v)


def test_form_lines(m):
    r = m.at("AT+QICFG=?").ok()
    check(r.raw.endswith(b"\r\n\r\nOK\r\n") and r.raw.startswith(b"\r\n+QICFG: "),
          "AT+QICFG=? framing: %s" % esc(r.raw))
    out = []
    for l in r.lines:
        check(l.startswith('+QICFG: "'), "AT+QICFG=? line %r" % l)
        out.append(split_test_form(l[len("+QICFG: "):]))
    return out


@test("qicfg/test-form/{model}", models=EC)
def ec_test_form(t, model):
    m = t.sim(model).connect()
    forms = test_form_lines(m)
    names = [f[0].strip('"') for f in forms]
    # seed 000 spells the option "tcp/twrecycle" in the test form and
    # "tcp/twrecyle" in the write command: accept either in the listing
    names_n = ["tcp/twrecycle" if n == "tcp/twrecyle" else n for n in names]
    eq(names_n, EC_ORDER, "AT+QICFG=? option names in seed order")
    by = dict(zip(names_n, forms))
    for name, ranges, _, _, _ in EC_OPTS:
        f = by[name]
        eq(len(f) - 1, len(ranges), "number of fields for %s in %r" % (name, f))
        for i, rg in enumerate(ranges):
            check_range_field(f[i + 1], rg, "AT+QICFG=? %s field %d" % (name, i + 1))
    check_range_field(by["tcp/twrecycle"][1], B01, "tcp/twrecycle")
    eq(len(by["tcp/twrecycle"]), 2, "tcp/twrecycle field count")
    f = by["pdp/retry"]
    eq(len(f), 5, "pdp/retry field count in %r" % f)
    check_range_field(f[1], B01, "pdp/retry <pdpmode>s")
    check_range_field(f[2], B01, "pdp/retry <ratmode>s")
    check_range_field(f[3], {2, 3, 4}, "pdp/retry <counts>")
    rt = f[4]
    check(rt.startswith("(") and rt.endswith(")"), "pdp/retry <retry_time> range %r" % rt)
    f = by["tcp/keepalive"]
    eq(len(f), 5, "tcp/keepalive field count in %r" % f)
    check_range_field(f[1], B01, "tcp/keepalive <enable>")
    check_range_field(f[2], range(1, 1801), "tcp/keepalive <idle_time>")
    check_range_field(f[3], range(25, 101), "tcp/keepalive <interval_time>")
    check_range_field(f[4], range(3, 11), "tcp/keepalive <probe_cnt>")
    f = by["send/auto"]
    eq(len(f), 4, "send/auto field count in %r" % f)
    check_range_field(f[1], range(1, 12), "send/auto <connectID> (seed: Range 1-11)")
    check_range_field(f[2], range(20, 65536), "send/auto <period>")
    f = by["recv/ignore"]
    eq(len(f), 3, "recv/ignore field count in %r" % f)
    check_range_field(f[1], range(1, 12), "recv/ignore <connectID> (seed: Range 1-11)")


@test("qicfg/test-form/{model}", models=BC)
def bc_test_form(t, model):
    m = t.sim(model).connect()
    forms = test_form_lines(m)
    names = [f[0].strip('"') for f in forms]
    eq(names, ["dataformat", "viewmode", "showlength", "echomode"], "AT+QICFG=? option names (seed 001)")
    for (name, ranges, _, _, _), f in zip(BC_OPTS, forms):
        eq(len(f) - 1, len(ranges), "number of fields for %s" % name)
        for i, rg in enumerate(ranges):
            check_range_field(f[i + 1], rg, "AT+QICFG=? %s field %d" % (name, i + 1))


def defaults_and_writes(m, opts):
    for name, ranges, default, good, bad in opts:
        r = m.at('AT+QICFG="%s"' % name).ok()
        line = r.one('+QICFG: "%s",' % name)
        got = line[len('+QICFG: "%s",' % name):].split(",")
        check(all(x.isdigit() for x in got), "read %s: %r" % (name, line))
        got = tuple(int(x) for x in got)
        eq(len(got), len(ranges), "number of values read for %s (%r)" % (name, line))
        if default is not None:
            eq(got, default, "default of %s" % name)
        else:
            for i, v in enumerate(got):
                check(v in ranges[i], "default of %s: %r out of range" % (name, line))
        eq(r.raw, ('\r\n%s\r\n\r\nOK\r\n' % line).encode(), "framing of the %s read" % name)
        for v in good:
            eq(m.at('AT+QICFG="%s",%s' % (name, vals(v))).raw, b"\r\nOK\r\n",
               'AT+QICFG="%s",%s (in range)' % (name, vals(v)))
            eq(m.at('AT+QICFG="%s"' % name).ok().lines, ['+QICFG: "%s",%s' % (name, vals(v))],
               "read back %s after writing %s" % (name, vals(v)))
        last = good[-1]
        for v in bad:
            m.at('AT+QICFG="%s",%s' % (name, vals(v))).error()
            eq(m.at('AT+QICFG="%s"' % name).ok().lines, ['+QICFG: "%s",%s' % (name, vals(last))],
               "%s unchanged after rejected write %s" % (name, vals(v)))


@test("qicfg/defaults-writes/{model}", models=EC)
def ec_defaults(t, model):
    m = t.sim(model).connect()
    defaults_and_writes(m, EC_OPTS)


@test("qicfg/defaults-writes/{model}", models=BC)
def bc_defaults(t, model):
    m = t.sim(model).connect()
    defaults_and_writes(m, BC_OPTS)


@test("qicfg/twrecycle/{model}", models=EC)
def twrecycle(t, model):
    # the write command spells it "tcp/twrecyle", the test form "tcp/twrecycle"
    m = t.sim(model).connect()
    names = [f[0].strip('"') for f in test_form_lines(m)]
    listed = "tcp/twrecycle" if "tcp/twrecycle" in names else "tcp/twrecyle"
    for spelling in (listed,):
        r = m.at('AT+QICFG="%s"' % spelling).ok()
        line = r.one('+QICFG: "')
        check(line in ('+QICFG: "%s",0' % spelling, '+QICFG: "%s",1' % spelling),
              "read %s: %r" % (spelling, line))
        m.at('AT+QICFG="%s",1' % spelling).ok()
        eq(m.at('AT+QICFG="%s"' % spelling).ok().lines, ['+QICFG: "%s",1' % spelling], "read back")
        m.at('AT+QICFG="%s",2' % spelling).error()


@test("qicfg/pdp-retry/{model}", models=EC)
def pdp_retry(t, model):
    m = t.sim(model).connect()
    # seed 000 3.1.4 example replies, byte for byte
    for q, exp in (("1,0", "1,0,4,8"), ("1,1", "1,1,4,10"), ("0,0", "0,0,4,6"), ("0,1", "0,1,4,5")):
        r = m.at('AT+QICFG="pdp/retry",%s' % q)
        eq(r.raw, ('\r\n+QICFG: "pdp/retry",%s\r\n\r\nOK\r\n' % exp).encode(),
           'AT+QICFG="pdp/retry",%s (default)' % q)
    for w in ("0,0,2,6", "0,1,2,6", "1,0,4,6", "1,1,4,6"):
        eq(m.at('AT+QICFG="pdp/retry",%s' % w).raw, b"\r\nOK\r\n", 'AT+QICFG="pdp/retry",%s (seed example)' % w)
        eq(m.at('AT+QICFG="pdp/retry",%s' % w[:3]).ok().lines, ['+QICFG: "pdp/retry",%s' % w],
           "read back pdp/retry %s" % w[:3])
    # ranges: 4G act 5-8, deact 2-6; 2G act 5-30, deact 2-8; counts 2-4
    for w in ("1,0,3,5", "1,0,2,8", "0,0,4,2", "1,1,4,30", "1,1,4,5", "0,1,3,8", "0,1,3,2"):
        m.at('AT+QICFG="pdp/retry",%s' % w).ok()
        eq(m.at('AT+QICFG="pdp/retry",%s' % w[:3]).ok().lines, ['+QICFG: "pdp/retry",%s' % w],
           "read back pdp/retry %s" % w)
    for w in ("1,0,4,9", "1,0,4,4", "0,0,2,7", "0,0,2,1", "1,1,4,31", "1,1,4,4", "0,1,2,9",
              "0,1,2,1", "1,0,1,6", "1,0,5,6", "2,0,4,6", "1,2,4,6"):
        m.at('AT+QICFG="pdp/retry",%s' % w).error()


@test("qicfg/keepalive/{model}", models=EC)
def keepalive(t, model):
    m = t.sim(model).connect()
    r = m.at('AT+QICFG="tcp/keepalive"').ok()
    line = r.one('+QICFG: "tcp/keepalive",')
    v = line.split(",")[1:]
    check(v and v[0] in ("0", "1") and all(x.isdigit() for x in v),
          "tcp/keepalive read: %r" % line)
    for w in ("1,60,25,3", "1,1800,100,10", "1,1,50,5"):
        eq(m.at('AT+QICFG="tcp/keepalive",%s' % w).raw, b"\r\nOK\r\n", "tcp/keepalive %s" % w)
        eq(m.at('AT+QICFG="tcp/keepalive"').ok().lines, ['+QICFG: "tcp/keepalive",%s' % w], "read back %s" % w)
    for w in ("1,0,25,3", "1,1801,25,3", "1,60,24,3", "1,60,101,3", "1,60,25,2", "1,60,25,11", "2,60,25,3"):
        m.at('AT+QICFG="tcp/keepalive",%s' % w).error()
    m.at('AT+QICFG="tcp/keepalive",0').ok()
    line = m.at('AT+QICFG="tcp/keepalive"').ok().one('+QICFG: "tcp/keepalive",0')


@test("qicfg/retranscfg-partial/{model}", models=EC)
def retrans_partial(t, model):
    m = t.sim(model).connect()
    m.at('AT+QICFG="tcp/retranscfg",10,30').ok()
    m.at('AT+QICFG="tcp/retranscfg",4').ok()
    eq(m.at('AT+QICFG="tcp/retranscfg"').ok().lines, ['+QICFG: "tcp/retranscfg",4,30'],
       "omitted <retrains_period> keeps its previous value (seed 2.1.1 [...])")


@test("qicfg/send-auto-recv-ignore/{model}", models=EC)
def send_auto(t, model):
    m = t.sim(model).connect()
    for cid in (1, 11):
        m.at('AT+QICFG="send/auto",%d,20,"414243"' % cid).ok()
        r = m.at('AT+QICFG="send/auto",%d' % cid).ok()
        line = r.one('+QICFG: "send/auto",%d,20,' % cid)
        check(line.endswith(',"414243"') or line.endswith(",414243"), "send/auto read back: %r" % line)
        m.at('AT+QICFG="recv/ignore",%d,"4142"' % cid).ok()
        line = m.at('AT+QICFG="recv/ignore",%d' % cid).ok().one('+QICFG: "recv/ignore",%d,' % cid)
        check(line.endswith(',"4142"') or line.endswith(",4142"), "recv/ignore read back: %r" % line)
    m.at('AT+QICFG="send/auto",1,65535,"41"').ok()
    for bad in ('0,20,"41"', '12,20,"41"', '1,19,"41"', '1,65536,"41"', '1,20,"%s"' % ("41" * 401)):
        m.at('AT+QICFG="send/auto",%s' % bad).error()
    m.at('AT+QICFG="send/auto",1,20,"%s"' % ("41" * 200)).ok()
    for bad in ('0,"41"', '12,"41"', '1,"%s"' % ("41" * 401)):
        m.at('AT+QICFG="recv/ignore",%s' % bad).error()


@test("qicfg/unknown-option/{model}", models=ALL_MODELS)
def unknown_opt(t, model):
    m = t.sim(model).connect()
    m.at('AT+QICFG="nosuchoption",1').error()
    m.at('AT+QICFG="nosuchoption"').error()


@test("qicfg/per-model-options/{model}", models=ALL_MODELS)
def per_model(t, model):
    m = t.sim(model).connect()
    if is_bc66(model):
        for name in ("transpktsize", "transwaittm", "recvind", "close/mode", "sendinfo",
                     "tcp/keepalive", "pdp/retry", "qisend/timeout", "tcp/accept"):
            m.at('AT+QICFG="%s"' % name).error()
    else:
        for name in ("showlength", "echomode"):
            m.at('AT+QICFG="%s"' % name).error()
            m.at('AT+QICFG="%s",0' % name).error()


@test("ctl/qicfg/{model}", models=ALL_MODELS)
def ctl_qicfg(t, model):
    """The control channel's "qicfg <option> [<key>...]" shows what the
    module holds, as written over the serial line (tests of the driver
    check their writes with it)."""
    s = t.sim(model)
    m = s.connect()
    if is_bc66(model):
        eq(s.ctl("qicfg echomode"), "ok 1", "BC66 <echo_mode> default (seed 001)")
        m.at('AT+QICFG="echomode",0').ok()
        eq(s.ctl("qicfg echomode"), "ok 0", "echomode after a write")
        eq(s.ctl("qicfg dataformat"), "ok 0 0", "dataformat")
        line = s.ctl("qicfg tcp/keepalive", expect_ok=False)
        check(line.startswith("error "), "EC200U option on a BC66: %r" % line)
        return
    eq(s.ctl("qicfg tcp/retranscfg"), "ok 8 6", "retranscfg defaults (seed 000)")
    m.at('AT+QICFG="tcp/retranscfg",10,30').ok()
    eq(s.ctl("qicfg tcp/retranscfg"), "ok 10 30", "retranscfg after a write")
    m.at('AT+QICFG="tcp/keepalive",1,120,50,5').ok()
    eq(s.ctl("qicfg tcp/keepalive"), "ok 1 120 50 5", "keepalive after a write")
    eq(s.ctl("qicfg pdp/retry 1 0"), "ok 1 0 4 8", "pdp/retry 1,0 default (seed 000 3.1.4)")
    m.at('AT+QICFG="pdp/retry",0,1,2,7').ok()
    eq(s.ctl("qicfg pdp/retry 0 1"), "ok 0 1 2 7", "pdp/retry 0,1 after a write")
    m.at('AT+QICFG="tcp/twrecyle",1').ok()
    eq(s.ctl("qicfg tcp/twrecycle"), "ok 1", "either spelling, one setting")
    m.at('AT+QICFG="send/auto",3,40,"4142"').ok()
    eq(s.ctl("qicfg send/auto 3"), "ok 3 40 4142", "send/auto 3")
    for bad in ("qicfg", "qicfg nosuch", "qicfg pdp/retry", "qicfg pdp/retry 2 0",
                "qicfg pdp/retry 1 0 x", "qicfg viewmode 1", "qicfg send/auto 0",
                "qicfg send/auto 12", "qicfg showlength"):
        line = s.ctl(bad, expect_ok=False)
        check(line.startswith("error "), "%r -> %r (expected error)" % (bad, line))
    # nothing the control channel did changed a setting
    eq(m.at('AT+QICFG="tcp/retranscfg"').ok().lines, ['+QICFG: "tcp/retranscfg",10,30'],
       "retranscfg over the serial line")
