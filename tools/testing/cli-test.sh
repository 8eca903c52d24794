#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The qisock CLI end to end, in the QEMU guest (busybox sh), against the
# simulator on $QISOCK_TTY and host peers through tools/testing/peer.py on
# $QISOCK_PEER. JSON is checked by /bin/jsoncheck, a strict parser
# (tools/testing/jsoncheck). Run by guest-init.sh with the driver loaded;
# attaches and detaches the modem itself. EC200U/EG915U only (sockets,
# services and contexts 1-7).
#
# Results: "QISOCK-RESULT <nonce> PASS|FAIL|SKIP cli/<name> [why]" on
# stdout; the exit status is 1 when any test failed.

TTY=${QISOCK_TTY:-/dev/ttyS1}
PEER=${QISOCK_PEER:-/dev/ttyS2}
nonce=${QISOCK_NONCE:-0}
rc=0
Q=qisock
J=jsoncheck
# uid 1001 in no group (the path: busybox's setpriv lacks the options)
NOBODY="/usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups"

result() {	# result PASS|FAIL|SKIP name [why]
	echo "QISOCK-RESULT $nonce $1 cli/$2 $(echo "${3:-}" | tr '\n' ' ' | head -c 300)"
	[ "$1" != FAIL ] || rc=1
}

# The command may be an eval of the caller's variables: check's own locals
# have names no caller uses, so they do not shadow the caller's.
check() {	# check name why-if-false command...: PASS when the command succeeds
	local _check_name=$1 _check_why=$2
	shift 2
	if "$@"; then
		result PASS "$_check_name"
	else
		result FAIL "$_check_name" "$_check_why"
	fi
}

peer() {	# one command to peer.py, its reply on stdout
	exec 4<>"$PEER"
	printf '%s\n' "$*" >&4
	timeout 30 head -n1 <&4 | tr -d '\r'
	exec 4>&-
}

peer_port() {	# the port of "ok <port> ..."
	peer "$@" | awk '$1 == "ok" { print $2 }'
}

field() {	# field KEY "ok k=v k=v": the value of KEY
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

wait_ready() {	# qisock<M> on $TTY once ready, on stdout
	local i=0 d
	while [ $i -lt 150 ]; do
		for d in /sys/class/qisock/qisock*; do
			[ "$(cat "$d/tty" 2>/dev/null)" = "${TTY#/dev/}" ] &&
				[ "$(cat "$d/state" 2>/dev/null)" = ready ] &&
				{ basename "$d"; return 0; }
		done
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# --- the program itself ---------------------------------------------------
t_usage() {
	local out err r
	out=$($Q --help 2>/tmp/err); r=$?
	check help "rc $r, stdout '$(echo "$out" | head -n1)' stderr '$(cat /tmp/err)'" \
		eval '[ "$r" = 0 ] && echo "$out" | grep -q "^usage: qisock" && [ ! -s /tmp/err ]' 
	out=$($Q --version 2>&1); r=$?
	check version "rc $r: $out" eval '[ "$r" = 0 ] && echo "$out" | grep -q "^qisock [0-9]"' 
	out=$($Q frobnicate 2>/tmp/err); r=$?
	err=$(cat /tmp/err)
	check usage-exit-2 "rc $r, stdout '$out', stderr '$err'" \
		eval '[ "$r" = 2 ] && [ -z "$out" ] && echo "$err" | grep -q "unknown object"' 
	out=$($Q nc 127.0.0.1 2>/tmp/err); r=$?
	check nc-usage-exit-2 "rc $r, stderr '$(cat /tmp/err)'" eval '[ "$r" = 2 ] && [ -z "$out" ]' 
	out=$($Q ping 127.0.0.1 -c 99 2>/tmp/err); r=$?
	check ping-range-exit-2 "rc $r, stderr '$(cat /tmp/err)'" \
		eval '[ "$r" = 2 ] && grep -q "bad count" /tmp/err' 
}

# --- modem show -------------------------------------------------------------
t_modem() {
	local out model
	model=$(cat "$SYS/model")
	out=$($Q -m "$IDX" 2>&1)
	check modem-show "no 'model: $model' / 'state: ready' in: $out" \
		eval 'echo "$out" | grep -q "model: *$model\$" && echo "$out" | grep -q "state: *ready\$" &&
		      echo "$out" | grep -q "registration:"'
	$Q -j -s -m "$IDX" modem show >/tmp/m.json 2>/tmp/err
	if ! $J </tmp/m.json 2>/tmp/jerr; then
		result FAIL modem-show-json "$(cat /tmp/jerr) $(head -c 200 /tmp/m.json) $(cat /tmp/err)"
	elif [ "$($J .general.model </tmp/m.json)" != "$model" ] ||
	     [ "$($J .general.state </tmp/m.json)" != ready ] ||
	     [ "$($J .status.imei </tmp/m.json)" != "$(cat "$SYS/status/imei")" ]; then
		result FAIL modem-show-json "fields differ from sysfs: $(head -c 300 /tmp/m.json)"
	elif ! $J .stats.commands </tmp/m.json | grep -q '^[0-9][0-9]*$'; then
		result FAIL modem-show-json "-s: .stats.commands not a number"
	else
		result PASS modem-show-json
	fi
}

# --- JSON escaping, over a copied sysfs tree (QISOCK_SYSFS) ---------------------
t_json_escape() {
	local f=/tmp/fakesys/qisock0 out v
	# a quote, a backslash, a tab, printf's %s, a control byte, UTF-8 é
	rm -rf /tmp/fakesys
	mkdir -p "$f/status"
	for v in tty model revision dialect; do cp "$SYS/$v" "$f/$v"; done
	echo ready >"$f/state"
	printf 'Q"uo\\te\t%%s\001\303\251\n' >"$f/status/operator"
	out=$(QISOCK_SYSFS=/tmp/fakesys $Q -j -m 0 2>&1)
	echo "$out" | $J .status.operator >/tmp/op.txt 2>&1
	check json-escaping "operator read back as '$(od -An -c /tmp/op.txt | tr -s ' \n' ' ')' from: $out" \
		cmp -s /tmp/op.txt "$f/status/operator"
}

# --- contexts -----------------------------------------------------------------
# BC66: context 1 follows the registration ("+IP:"); no auth, no down
t_ctx_bc66() {
	local out r
	$Q -j -m "$IDX" ctx show 1 >/tmp/c.json 2>&1
	check ctx-show-json "$(head -c 300 /tmp/c.json)" \
		eval '$J </tmp/c.json && [ "$($J .state </tmp/c.json)" = up ] &&
		      [ "$($J .follows </tmp/c.json)" = registration ] &&
		      [ -n "$($J .address </tmp/c.json)" ]'
	out=$($Q -m "$IDX" ctx set 1 auth pap 2>&1); r=$?
	check ctx-set-refused "rc $r: $out" \
		eval '[ "$r" = 1 ] && echo "$out" | grep -qi "not supported"'
	out=$($Q -m "$IDX" ctx down 1 2>&1); r=$?
	check ctx-down-refused "rc $r: $out; state $(cat "$SYS/ctx1/state")" \
		eval '[ "$r" = 1 ] && [ "$(cat "$SYS/ctx1/state")" = up ]'
	out=$($Q -m "$IDX" ctx up 1 2>&1); r=$?
	check ctx-up "rc $r: $out" eval '[ "$r" = 0 ] && [ "$(cat "$SYS/ctx1/state")" = up ]'
	out=$($NOBODY $Q -m "$IDX" sock show 2>&1); r=$?
	check eacces-hint "rc $r: $out" \
		eval '[ "$r" = 1 ] && echo "$out" | grep -q "Permission denied; no access to the node"'
}

t_ctx() {
	local out r sim
	if [ "$BC66" ]; then
		t_ctx_bc66
		return
	fi
	out=$($Q -m "$IDX" ctx set 1 apn internet auth none type ipv4 2>&1); r=$?
	sim=$(peer sim ctx 1)
	check ctx-set "rc $r: $out; sim: $sim" \
		eval '[ "$r" = 0 ] && [ "$(cat "$SYS/ctx1/apn")" = internet ] && [ "$(field apn "$sim")" = internet ]'
	# refused by the CLI (usage) and by the driver (a quote): the module hears nothing
	out=$($Q -m "$IDX" ctx set 1 auth sometimes 2>&1); r=$?
	out2=$($Q -m "$IDX" ctx set 1 apn 'bad"apn' 2>&1); r2=$?
	sim=$(peer sim ctx 1)
	check ctx-set-rejects "rc $r/$r2: $out / $out2; sim: $sim" \
		eval '[ "$r" = 2 ] && [ "$r2" = 1 ] && echo "$out2" | grep -q "Invalid argument" &&
		      [ "$(field apn "$sim")" = internet ] && [ "$(field auth "$sim")" = 0 ]'
	out=$($Q -m "$IDX" ctx up 1 2>&1); r=$?
	sim=$(peer sim ctx 1)
	check ctx-up "rc $r: $out; sim: $sim" \
		eval '[ "$r" = 0 ] && [ "$(cat "$SYS/ctx1/state")" = up ] && [ "$(field active "$sim")" = 1 ]'
	$Q -j -m "$IDX" ctx show 1 >/tmp/c.json 2>&1
	check ctx-show-json "$(head -c 300 /tmp/c.json)" \
		eval '$J </tmp/c.json && [ "$($J .state </tmp/c.json)" = up ] &&
		      [ "$($J .apn </tmp/c.json)" = internet ] && [ "$($J .id </tmp/c.json)" = 1 ] &&
		      [ -n "$($J .address </tmp/c.json)" ]'
	$Q -j -m "$IDX" ctx show >/tmp/c.json 2>&1
	check ctx-show-all-json "$(head -c 300 /tmp/c.json)" \
		eval '$J </tmp/c.json && [ "$($J .contexts.0.state </tmp/c.json)" = up ] &&
		      $J .contexts.6.id </tmp/c.json >/dev/null'
	out=$($Q -m "$IDX" ctx down 1 2>&1); r=$?
	sim=$(peer sim ctx 1)
	check ctx-down "rc $r: $out; sim: $sim" \
		eval '[ "$r" = 0 ] && [ "$(cat "$SYS/ctx1/state")" = down ] && [ "$(field active "$sim")" = 0 ]'
	out=$($Q -m "$IDX" ctx show 1 2>&1)
	check ctx-show "$out" eval 'echo "$out" | grep -q "state: *down\$"'
	out=$(printf x | timeout 60 $Q nc -m "$IDX" -w 5 127.0.0.1 9 2>&1); r=$?
	check nc-enetdown-hint "rc $r: $out" \
		eval '[ "$r" = 1 ] && echo "$out" | grep -q "qisock ctx up 1"'
	# an unprivileged user: what to check, and the module hears nothing
	out=$($NOBODY $Q -m "$IDX" ctx set 1 apn other 2>&1); r=$?
	sim=$(peer sim ctx 1)
	check eperm-hint "rc $r: $out; sim: $sim" \
		eval '[ "$r" = 1 ] && echo "$out" | grep -q "CAP_NET_ADMIN" && [ "$(field apn "$sim")" = internet ]'
	out=$($NOBODY $Q -m "$IDX" sock show 2>&1); r=$?
	check eacces-hint "rc $r: $out" \
		eval '[ "$r" = 1 ] && echo "$out" | grep -q "Permission denied; no access to the node"'
	# up again for the rest, kept up
	out=$($Q -m "$IDX" ctx set 1 autoconnect on 2>&1) && out=$($Q -m "$IDX" ctx up 1 2>&1)
	r=$?
	[ "$r" = 0 ] || result FAIL ctx-up-again "rc $r: $out"
}

# --- cfg ----------------------------------------------------------------------
t_cfg() {
	local f name val out r ro
	if [ ! -d "$SYS/qicfg" ]; then
		result SKIP cfg-show "no $SYS/qicfg/ in this driver (AT+QICFG in sysfs not merged)"
		result SKIP cfg-set "no $SYS/qicfg/ in this driver (AT+QICFG in sysfs not merged)"
		return
	fi
	$Q -j -m "$IDX" cfg show >/tmp/q.json 2>&1
	f=$(ls "$SYS/qicfg" | head -n1)
	name=$(echo "$f" | tr _ /)
	check cfg-show "json: $($J </tmp/q.json 2>&1 | head -c 100); first: $name=$(cat "$SYS/qicfg/$f"); json: $($J .options.0.name </tmp/q.json 2>&1)=$($J .options.0.value </tmp/q.json 2>&1)" \
		eval '$J </tmp/q.json && [ "$($J .options.0.name </tmp/q.json)" = "$name" ] &&
		      [ "$($J .options.0.value </tmp/q.json)" = "$(cat "$SYS/qicfg/$f")" ]'
	# a writable option set to the value it has: accepted, read back
	for f in $(ls "$SYS/qicfg"); do
		[ -w "$SYS/qicfg/$f" ] && [ "$(stat -c %a "$SYS/qicfg/$f")" != 444 ] && break
		f=
	done
	if [ -z "$f" ]; then
		result SKIP cfg-set "every option is pinned"
	else
		val=$(cat "$SYS/qicfg/$f")
		# shellcheck disable=SC2086 # multi-value options: one word each
		out=$($Q -m "$IDX" cfg set "$(echo "$f" | tr _ /)" $val 2>&1); r=$?
		check cfg-set "rc $r: $out" eval '[ "$r" = 0 ] && [ "$(cat "$SYS/qicfg/$f")" = "$val" ]'
	fi
	out=$($Q -m "$IDX" cfg set no/such/option 1 2>&1); r=$?
	check cfg-set-unknown "rc $r: $out" eval '[ "$r" = 1 ] && echo "$out" | grep -q "no option"'
}

# cfg over a copied tree: the CLI knows no option, pinned ones are refused
t_cfg_tree() {
	local f=/tmp/fakecfg/qisock0 out r
	rm -rf /tmp/fakecfg
	mkdir -p "$f/qicfg"
	echo '3 50' >"$f/qicfg/tcp_retranscfg"
	echo '0 0' >"$f/qicfg/dataformat"
	chmod 444 "$f/qicfg/dataformat"
	echo dataformat >"$f/qicfg/nvram"	# lists, not options
	echo >"$f/qicfg/lost_in_sleep"
	out=$(QISOCK_SYSFS=/tmp/fakecfg $Q -j -m 0 cfg show 2>&1)
	check cfg-tree-show-json "$out" \
		eval 'echo "$out" | $J >/dev/null &&
		      [ "$(echo "$out" | $J .options.0.name)" = dataformat ] &&
		      [ "$(echo "$out" | $J .options.0.pinned)" = true ] &&
		      [ "$(echo "$out" | $J .options.0.kept)" = nvram ] &&
		      [ "$(echo "$out" | $J .options.1.name)" = tcp/retranscfg ] &&
		      [ "$(echo "$out" | $J .options.1.value)" = "3 50" ] &&
		      [ "$(echo "$out" | $J .options.1.pinned)" = false ] &&
		      [ "$(echo "$out" | $J .options.1.kept)" = until-restart ] &&
		      ! echo "$out" | grep -q lost_in_sleep'
	out=$(QISOCK_SYSFS=/tmp/fakecfg $Q -m 0 cfg set tcp/retranscfg 5 60 2>&1); r=$?
	check cfg-tree-set "rc $r: $out; file: $(cat "$f/qicfg/tcp_retranscfg")" \
		eval '[ "$r" = 0 ] && [ "$(cat "$f/qicfg/tcp_retranscfg")" = "5 60" ]'
	out=$(QISOCK_SYSFS=/tmp/fakecfg $Q -m 0 cfg set dataformat 1 1 2>&1); r=$?
	check cfg-tree-pinned "rc $r: $out; file: $(cat "$f/qicfg/dataformat")" \
		eval '[ "$r" = 1 ] && echo "$out" | grep -q pinned && [ "$(cat "$f/qicfg/dataformat")" = "0 0" ]'
}

# --- services (QISOCK_IOC_RESOLVE, PING, NTP) ------------------------------------
svc_skip() {	# svc_skip name ioctl output: SKIP when the driver lacks the ioctl
	case $3 in
	*"Inappropriate ioctl"*) result SKIP "$1" "$2 not in this driver"; return 0 ;;
	esac
	return 1
}

t_svc() {
	local out r now t
	out=$($Q -m "$IDX" -j resolve 127.0.0.1 2>&1); r=$?
	svc_skip resolve QISOCK_IOC_RESOLVE "$out" ||
		check resolve "rc $r: $out" \
			eval '[ "$r" = 0 ] && [ "$(echo "$out" | $J .addresses.0)" = 127.0.0.1 ]'
	out=$($Q -m "$IDX" resolve no-such-host.invalid 2>&1); r=$?
	svc_skip resolve-fails QISOCK_IOC_RESOLVE "$out" ||
		check resolve-fails "rc $r: $out" eval '[ "$r" = 1 ] && echo "$out" | grep -q "565"'
	out=$($Q -m "$IDX" -j ping 127.0.0.1 -c 2 2>&1); r=$?
	svc_skip ping QISOCK_IOC_PING "$out" ||
		check ping "rc $r: $out" \
			eval '[ "$r" = 0 ] && [ "$(echo "$out" | $J .received)" = 2 ] &&
			      [ "$(echo "$out" | $J .replies.1.address)" = 127.0.0.1 ]'
	out=$($Q -m "$IDX" -j ntp 127.0.0.1 2>&1); r=$?
	now=$(date +%s)
	if ! svc_skip ntp QISOCK_IOC_NTP "$out"; then
		t=$(echo "$out" | $J .time)
		check ntp "rc $r: $out (guest clock $now)" \
			eval '[ "$r" = 0 ] && [ "${t:-0}" -gt $((now - 600)) ] && [ "${t:-0}" -lt $((now + 600)) ]'
		date -s '2001-01-01 00:00:00' >/dev/null
		out=$($Q -m "$IDX" ntp 127.0.0.1 --set-clock 2>&1); r=$?
		t=$(date +%Y)
		check ntp-set-clock "rc $r: $out; year now $t" eval '[ "$r" = 0 ] && [ "$t" -gt 2001 ]'
		[ "$t" -gt 2001 ] || date -s "@$now" >/dev/null
	fi
}

# --- sockets --------------------------------------------------------------------
t_sock() {
	local port pid out r
	port=$(peer_port serve tcp echo=1)
	(printf 'first\n'; sleep 6; printf 'second\n') |
		timeout 60 $Q nc -m "$IDX" -q 4 127.0.0.1 "$port" >/tmp/s.out 2>/tmp/s.err &
	pid=$!
	sleep 3
	out=$($Q -m "$IDX" sock show 2>&1)
	$Q -j -m "$IDX" sock show >/tmp/s.json 2>&1
	wait "$pid"
	r=$?
	check sock-show "$out" \
		eval 'echo "$out" | grep -q "connected *TCP .*127.0.0.1:$port"'
	check sock-show-json "$(head -c 400 /tmp/s.json)" \
		eval '$J </tmp/s.json && grep -q "\"state\":\"connected\",\"service\":\"TCP\"" /tmp/s.json &&
		      [ "$($J .sockets.$((NSOCK - 1)).id </tmp/s.json)" = $((NSOCK - 1)) ]'
	out=$($Q info -m "$IDX" 2>&1)
	check info "$out" eval 'echo "$out" | grep -q "^/dev/${M}s0: "'
	check sock-show-claims-nothing "nc rc $r, got '$(cat /tmp/s.out | tr '\n' ' ')' $(cat /tmp/s.err)" \
		eval '[ "$r" = 0 ] && [ "$(cat /tmp/s.out | tr "\n" " ")" = "first second " ]'
}

# --- nc -------------------------------------------------------------------------------
t_nc() {
	local port sha res out r lport
	head -c 1048576 /dev/urandom >/tmp/big
	sha=$(sha256sum </tmp/big | cut -d' ' -f1)
	# 1 MiB up to a sink; -N closes once the module acknowledged it all
	port=$(peer_port serve tcp expect=1048576)
	timeout 300 $Q nc -N -m "$IDX" 127.0.0.1 "$port" </tmp/big >/dev/null 2>/tmp/n.err; r=$?
	res=$(peer result "$port" timeout=30)
	check nc-1mib-up "rc $r, peer: $res $(cat /tmp/n.err)" \
		eval '[ "$r" = 0 ] && [ "$(field rx "$res")" = 1048576 ] && [ "$(field sha "$res")" = "$sha" ] &&
		      [ "$(field done "$res")" = 1 ]'
	# 1 MiB down; the peer's close ends nc with 0
	res=$(peer serve tcp send=1048576 close=1 seed=7)
	port=$(echo "$res" | awk '{ print $2 }')
	timeout 300 $Q nc -m "$IDX" 127.0.0.1 "$port" </dev/null >/tmp/down 2>/tmp/n.err; r=$?
	check nc-1mib-down "rc $r, $(wc -c </tmp/down) bytes $(cat /tmp/n.err)" \
		eval '[ "$r" = 0 ] && [ "$(sha256sum </tmp/down | cut -d" " -f1)" = "$(echo "$res" | awk "{ print \$3 }")" ]'
	# ProxyCommand style: both ways at once, stdin ends first, the peer closes
	head -c 20000 /dev/urandom >/tmp/mid
	res=$(peer serve tcp send=30000 expect=20000 close=1 seed=9)
	port=$(echo "$res" | awk '{ print $2 }')
	timeout 120 $Q nc -m "$IDX" 127.0.0.1 "$port" </tmp/mid >/tmp/back 2>/tmp/n.err; r=$?
	out=$(peer result "$port")
	check nc-proxy-relay "rc $r, back $(wc -c </tmp/back), peer $out $(cat /tmp/n.err)" \
		eval '[ "$r" = 0 ] && [ "$(sha256sum </tmp/back | cut -d" " -f1)" = "$(echo "$res" | awk "{ print \$3 }")" ] &&
		      [ "$(field sha "$out")" = "$(sha256sum </tmp/mid | cut -d" " -f1)" ]'
	# UDP datagrams to an echo server
	port=$(peer_port serve udp)
	(printf 'one\n'; sleep 1; printf 'two\n'; sleep 1) |
		timeout 60 $Q nc -u -m "$IDX" -q 3 127.0.0.1 "$port" >/tmp/u.out 2>/tmp/u.err; r=$?
	res=$(peer result "$port" timeout=1)
	check nc-udp-echo "rc $r, got '$(cat /tmp/u.out | tr '\n' ' ')', peer $res $(cat /tmp/u.err)" \
		eval '[ "$r" = 0 ] && [ "$(cat /tmp/u.out | tr "\n" " ")" = "one two " ] &&
		      [ "$(field dgrams "$res")" = 4,4 ]'
	# -z: an open port 0, a closed one 1
	port=$(peer_port serve tcp)
	timeout 60 $Q nc -z -m "$IDX" 127.0.0.1 "$port" >/dev/null 2>/tmp/z.err; r=$?
	check nc-z-open "rc $r $(cat /tmp/z.err)" [ "$r" = 0 ]
	lport=$(peer_port freeport tcp)
	out=$(timeout 200 $Q nc -z -m "$IDX" 127.0.0.1 "$lport" 2>&1); r=$?
	check nc-z-closed "rc $r: $out" eval '[ "$r" = 1 ] && echo "$out" | grep -q "failed"'
	if [ "$BC66" ]; then	# clients only (seed 001): refused, nothing opened
		out=$(timeout 60 $Q nc -l -m "$IDX" -w 3 4000 </dev/null 2>&1); r=$?
		check nc-listen-refused "rc $r: $out" \
			eval '[ "$r" = 1 ] && echo "$out" | grep -qi "not supported"'
		out=$(timeout 60 $Q nc -u -l -m "$IDX" -w 3 4000 </dev/null 2>&1); r=$?
		check nc-udp-listen-refused "rc $r: $out" \
			eval '[ "$r" = 1 ] && echo "$out" | grep -qi "not supported"'
		return
	fi
	# -l: a connection from the host, its 100 bytes on stdout
	lport=$(peer_port freeport tcp)
	timeout 60 $Q nc -l -m "$IDX" -w 3 "$lport" </dev/null >/tmp/l.out 2>/tmp/l.err &
	pid=$!
	sleep 2
	res=$(peer connect tcp "$lport" send=100 close=1)
	wait "$pid"; r=$?
	check nc-listen "rc $r, $(wc -c </tmp/l.out) bytes $(cat /tmp/l.err)" \
		eval '[ "$r" = 0 ] && [ "$(sha256sum </tmp/l.out | cut -d" " -f1)" = "$(echo "$res" | awk "{ print \$3 }")" ]'
	# -u -l: a UDP SERVICE; two datagrams in, stdin goes back to their sender
	lport=$(peer_port freeport udp)
	(sleep 5; printf 'reply\n') |
		timeout 60 $Q nc -u -l -q 3 -m "$IDX" "$lport" >/tmp/ul.out 2>/tmp/ul.err &
	pid=$!
	sleep 2
	res=$(peer udp-send "$lport" sizes=10,20 expect=1)
	wait "$pid"; r=$?
	res=$(peer result "$(echo "$res" | awk '{ print $2 }')" timeout=20)
	check nc-udp-listen "rc $r, $(wc -c </tmp/ul.out) bytes, peer $res $(cat /tmp/ul.err)" \
		eval '[ "$r" = 0 ] && [ "$(wc -c </tmp/ul.out)" -eq 30 ] && [ "$(field dgrams "$res")" = 6 ]'
}

# --- main ---------------------------------------------------------------------------------
ldattach 29 "$TTY" || { result FAIL attach "ldattach failed"; exit 1; }
if ! M=$(wait_ready); then
	result FAIL attach "no ready device on $TTY"
	kill "$(pidof ldattach)" 2>/dev/null
	exit 1
fi
SYS=/sys/class/qisock/$M
IDX=${M#qisock}
BC66=
NSOCK=12
if [ "$(cat "$SYS/dialect")" = bc66 ]; then
	BC66=1
	NSOCK=5
fi
t_usage
t_modem
t_json_escape
t_ctx
t_cfg
t_cfg_tree
t_sock
t_nc
t_svc
kill "$(pidof ldattach)" 2>/dev/null
sleep 1
exit $rc
