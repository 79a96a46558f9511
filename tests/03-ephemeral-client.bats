#!/usr/bin/env bats
# Lab 03: bin/connect, checked against the real lsof and the live ephemeral range.

load test_helper

# The ephemeral range, read here independently of the program under test.
read_range() {
	read -r RANGE_LOW RANGE_HIGH </proc/sys/net/ipv4/ip_local_port_range
}

# local_port_in_range NAME: the local port of lsof's NAME "LOCAL->REMOTE"
# into LOCAL_PORT; fails unless it is inside the range read_range read.
local_port_in_range() {
	LOCAL_PORT=${1%%->*}
	LOCAL_PORT=${LOCAL_PORT##*:}
	[ "$LOCAL_PORT" -ge "$RANGE_LOW" ] && [ "$LOCAL_PORT" -le "$RANGE_HIGH" ] ||
		{ echo "local port $LOCAL_PORT is outside $RANGE_LOW-$RANGE_HIGH"; return 1; }
}

@test "connect --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/connect" -h
	[[ "$output" == *"usage: connect [--udp] [-n COUNT] [--hold SECONDS] HOST PORT"* ]]
	[[ "$output" == *"Example:        bin/connect -n 3 127.0.0.1 8080"* ]]
	[[ "$output" == *"lsof -nP -a -p PID -iTCP"* ]]
}

@test "every malformed port exits 2 with a message that teaches the 16-bit range" {
	for bad in 70000 -1 8080x "" " 80" 0x50; do
		run -2 "$BIN/connect" 127.0.0.1 "$bad"
		[[ "${lines[0]}" == "connect: bad port '$bad': "*"ports are 16-bit: 0-65535" ]] ||
			{ echo "for '$bad': $output"; false; }
		[[ "${lines[1]}" == "usage: connect "* ]]
	done
	run -2 "$BIN/connect" 127.0.0.1 0
	[[ "${lines[0]}" == "connect: bad port '0': "*"a server is always on a real port, 1-65535" ]]
}

@test "a bad count, a missing HOST or an unknown option exit 2 with the usage line" {
	for bad in 0 1001 five -5 ""; do
		run -2 "$BIN/connect" -n "$bad" 127.0.0.1 80
		[[ "${lines[0]}" == "connect: bad -n '$bad': give a count of connections from 1 to 1000, like -n 5" ]] ||
			{ echo "for '$bad': $output"; false; }
	done
	run -2 "$BIN/connect" 8080
	[[ "$output" == *"give a HOST and a PORT"*"usage: connect"* ]]
	run -2 "$BIN/connect" --wait 127.0.0.1 80
	[[ "${lines[0]}" == "connect: unknown option '--wait'" ]]
}

@test "-n 5 gets five distinct OS-chosen ports inside the live ephemeral range, each equal to lsof and to what listen saw" {
	need_tool lsof
	read_range
	start_listen
	start_bg client "$BIN/connect" -n 5 --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 5 connections open'
	wait_for listen '^accept\(fd 3\) -> fd ' 5
	output_of client | grep -qxF "This OS hands out ephemeral ports $RANGE_LOW-$RANGE_HIGH (read from /proc/sys/net/ipv4/ip_local_port_range)."

	local fd type name ports=()
	while read -r fd type name; do
		# Inside the range this test read itself.
		local_port_in_range "$name"
		local local_port=$LOCAL_PORT
		ports+=("$local_port")
		# Equal to lsof's row for that fd in the connect process.
		run -0 lsof_row "$client_PID" "${fd%u}"
		[ "$output" = "$fd $type TCP $name (ESTABLISHED)" ] ||
			{ echo "connect printed '$fd $name', lsof shows '$output'"; false; }
		# The peer port listen printed for one of its accepted connections.
		output_of listen | grep -qE "^accept\(fd 3\) -> fd [0-9]+u  127\.0\.0\.1:$LISTEN_PORT->127\.0\.0\.1:$local_port \(ESTABLISHED\)$"
	done < <(output_of client | sed -n 's/^  lsof: FD \([^ ]*\)  TYPE \([^ ]*\)  NODE TCP  NAME \([^ ]*\) (ESTABLISHED)$/\1 \2 \3/p')
	[ "${#ports[@]}" -eq 5 ]
	[ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" -eq 5 ]
}

@test "it shows what the server greets it with and says the port was the OS's choice" {
	read_range
	start_listen
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$LISTEN_PORT"
	[[ "$output" == *'the server says: "Hello! I see you coming from 127.0.0.1:'*'Type a line and I will echo it back.\n"'* ]]
	[[ "$output" =~ chosen\ by\ the\ OS,\ inside\ its\ ephemeral\ range\ $RANGE_LOW-$RANGE_HIGH ]]
	[[ "$output" == *"pid "*". Try beside it:  lsof -nP -a -p "*" -iTCP"* ]]
	[[ "${lines[-1]}" == "connect: closed 1 connection." ]]
}

@test "a host name is resolved and the address used is named" {
	grep -qE '^127\.0\.0\.1[[:space:]].*\blocalhost\b' /etc/hosts || skip "/etc/hosts does not map localhost to 127.0.0.1"
	start_listen
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 localhost "$LISTEN_PORT"
	[[ "$output" == *"getaddrinfo(\"localhost\", \"$LISTEN_PORT\") -> "*"127.0.0.1 (IPv4)"* ]]
	[[ "$output" == *"connect(fd 3, 127.0.0.1 port $LISTEN_PORT)"* ]]
}

@test "IPv6: the connection to ::1 is written [::1]:PORT, as lsof writes it" {
	need_tool lsof
	need_ipv6_loopback
	start_listen --host ::1
	start_bg client "$BIN/connect" --hold 60 ::1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	local line
	line=$(output_of client | grep '^  lsof: FD ')
	[[ "$line" =~ ^\ \ lsof:\ FD\ 3u\ \ TYPE\ IPv6\ \ NODE\ TCP\ \ NAME\ (\[::1\]:[0-9]+-\>\[::1\]:$LISTEN_PORT)\ \(ESTABLISHED\)$ ]]
	local name=${BASH_REMATCH[1]}
	run -0 lsof_row "$client_PID" 3
	[ "$output" = "3u IPv6 TCP $name (ESTABLISHED)" ]
}

@test "connection refused exits 1 and says to start bin/listen first" {
	local port
	port=$(free_port)
	[ -n "$port" ]
	run -1 "$BIN/connect" --hold 0 127.0.0.1 "$port"
	[[ "$output" == *"connect: connect to 127.0.0.1 port $port: Connection refused [ECONNREFUSED]. Nothing is listening on 127.0.0.1 port $port: start a server first, e.g. bin/listen $port"* ]]
}

@test "a server that never accepts makes connect give up in bounded time with ETIMEDOUT" {
	start_listen
	# A stopped server's kernel still completes handshakes until its accept
	# queue (backlog 128) is full; after that SYNs are dropped and connect waits.
	kill -STOP "$listen_PID"
	run -1 timeout 60 "$BIN/connect" -n 300 --hold 0 127.0.0.1 "$LISTEN_PORT"
	[[ "$output" == *"Connection timed out [ETIMEDOUT]. No answer in 5 seconds: "*"or the server is too busy to accept (its queue is full)"* ]]
	# The connections before the queue filled did succeed.
	[[ "$output" == *"connection 2 of 300:"* ]]
}

@test "an unknown host exits 1 with the resolver's reason and a hint" {
	run -1 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 no-such-host.invalid 80
	[[ "$output" == *"connect: cannot find host 'no-such-host.invalid': "*". Check the spelling, or use an address like 127.0.0.1 or ::1"* ]]
}

@test "a server that hangs up is noticed while connect holds the connection (CLOSE_WAIT)" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	kill -TERM "$listen_PID"
	wait_for client '^fd 3u: the server closed its end; lsof now shows this socket in state CLOSE_WAIT'
	run -0 lsof_row "$client_PID" 3
	[[ "$output" == *" (CLOSE_WAIT)" ]]
}

@test "Ctrl-C while connect waits for a handshake says the student stopped it, with no hint about HOST" {
	start_listen
	# A stopped server's queue fills up; the next connect() then waits for an answer.
	kill -STOP "$listen_PID"
	start_bg client "$BIN/connect" -n 300 --hold 0 127.0.0.1 "$LISTEN_PORT"
	local last="" now deadline=$((SECONDS + WAIT_SECONDS))
	while :; do
		sleep 0.5
		now=$(output_of client | tail -n 1)
		[[ "$now" =~ ^connection\ [0-9]+\ of\ 300:$ && "$now" = "$last" ]] && break
		last=$now
		[ "$SECONDS" -lt "$deadline" ] || { echo "connect never waited:"; output_of client | tail -3; false; }
	done
	kill -INT "$client_PID"
	wait_exit "$client_PID"
	output_of client | tail -n 1 | grep -qxE "connect: connect to 127\.0\.0\.1 port $LISTEN_PORT: Interrupted system call \[EINTR\]\. You stopped it \(Ctrl-C\) before the server answered"
	run ! grep -q 'Check HOST' "$BATS_TEST_TMPDIR/client.out"
}

# ---- Japanese (issue 15): the prose in Japanese, lsof's notation as it is ----

# has_line LINE: $output holds LINE, whole.
has_line() {
	grep -Fxq -- "$1" <<<"$output" || { printf 'no line "%s" in:\n%s\n' "$1" "$output" >&2; false; }
}

@test "connect in Japanese: each connection, the port the OS chose and the 4-tuple explained; calls and lsof's lines as they are" {
	read_range
	start_listen
	run -0 fresh timeout "$WAIT_SECONDS" "${JA[@]}" "$BIN/connect" -n 2 --hold 0 127.0.0.1 "$LISTEN_PORT"
	local p1 p2
	p1=$(sed -n 's/^  lsof: FD 3u  TYPE IPv4  NODE TCP  NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p' <<<"$output")
	p2=$(sed -n 's/^  lsof: FD 4u  TYPE IPv4  NODE TCP  NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p' <<<"$output")
	[ -n "$p1" ] && [ -n "$p2" ] || { echo "$output"; false; }
	[[ "${lines[0]}" =~ ^connect（PID\ [0-9]+）：クライアント側のポートを\ OS\ に選ばせる。$ ]]
	has_line "この OS がエフェメラルポートとして割り当てるのは $RANGE_LOW-$RANGE_HIGH（/proc/sys/net/ipv4/ip_local_port_range から読んだ値）。"
	has_line "1 本目の接続（全 2 本）："
	has_line "  connect(fd 3, 127.0.0.1 port $LISTEN_PORT) -> ok：こちら側のローカルポートはカーネルが選んだ"
	has_line "  getsockname(fd 3)                  -> 127.0.0.1:$p1：ポート $p1 は OS が選んだもので、エフェメラルポートの範囲 $RANGE_LOW-$RANGE_HIGH の中にある"
	has_line "  getpeername(fd 3)                  -> 127.0.0.1:$LISTEN_PORT：サーバー側のアドレスとポート"
	has_line "  socket() + connect() again         -> fd 4"
	has_line "ポート $LISTEN_PORT への 2 本の接続は、それぞれ別のローカルポートを使っている。使ったポートは $p1 $p2"
	has_line "カーネルは4つ組（4タプル。ローカルアドレス、ローカルポート、リモートアドレス、リモートポートの組）で接続を見分けるので、返ってきたデータはそれぞれ正しいソケットに届く。"
	has_line "2 本の接続を 0 秒間、開いたままにする（--hold）。"
	[ "${lines[-1]}" = "connect: 2 本の接続を閉じた。" ]
	# What the server sent is shown as it came, in English: it is the server's, not ours.
	[[ "$output" == *'  サーバーから届いたメッセージ："Hello! I see you coming from 127.0.0.1:'*'Type a line and I will echo it back.\n"'* ]]
}

@test "connect says the same in lsof's notation in both languages: calls, FD rows, the lsof command" {
	start_listen
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" -n 2 --hold 0 127.0.0.1 "$LISTEN_PORT"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/en.out"
	run -0 fresh timeout "$WAIT_SECONDS" "${JA[@]}" "$BIN/connect" -n 2 --hold 0 127.0.0.1 "$LISTEN_PORT"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/jp.out"
	# Each run's pid and its two local ports (the OS chose them anew) are written X.
	local f words
	for f in en jp; do
		words=$(sed -n -e '1s/^[^0-9]*\([0-9]*\).*/\1/p' \
			-e 's/^  lsof: FD [34]u .* NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p' "$BATS_TEST_TMPDIR/$f.out")
		[ "$(wc -w <<<"$words")" -eq 3 ] || { echo "$f: pid and ports: $words"; false; }
		# shellcheck disable=SC2086
		notation "$BATS_TEST_TMPDIR/$f.out" $words >"$BATS_TEST_TMPDIR/$f.lsof"
	done
	[ "$(grep -c . "$BATS_TEST_TMPDIR/jp.lsof")" -ge 10 ] || { cat "$BATS_TEST_TMPDIR/jp.lsof"; false; }
	grep -qxF "  lsof: FD 3u  TYPE IPv4  NODE TCP  NAME 127.0.0.1:X->127.0.0.1:$LISTEN_PORT (ESTABLISHED)" "$BATS_TEST_TMPDIR/jp.lsof"
	diff -u "$BATS_TEST_TMPDIR/en.lsof" "$BATS_TEST_TMPDIR/jp.lsof"
}

@test "connection refused in Japanese: the call and ECONNREFUSED as they are, what to do in Japanese" {
	local port
	port=$(free_port)
	[ -n "$port" ]
	run -1 "$BIN/connect" --hold 0 127.0.0.1 "$port"
	local en=${lines[-1]}
	run -1 ja "$BIN/connect" --hold 0 127.0.0.1 "$port"
	[ "${lines[-1]}" = "connect: connect to 127.0.0.1 port $port: 接続を拒否された [ECONNREFUSED]。127.0.0.1 のポート $port では何も待ち受けていない。先にサーバーを起動する（たとえば bin/listen $port）" ]
	diff -u <(notation <(echo "$en")) <(notation <(echo "${lines[-1]}"))
}

@test "connect's usage errors and --help in Japanese; the usage line stays as it is" {
	run -2 ja "$BIN/connect" 127.0.0.1
	[ "${lines[0]}" = "connect: HOST と PORT を書く。例：connect 127.0.0.1 8080" ]
	[ "${lines[1]}" = "usage: connect [--udp] [-n COUNT] [--hold SECONDS] HOST PORT" ]
	run -2 ja "$BIN/connect" -n 0 127.0.0.1 80
	[ "${lines[0]}" = "connect: -n '0' は使えない。接続の数を 1 から 1000 までで、-n 5 のように書く" ]
	run -0 ja "$BIN/connect" --help
	[ "${lines[0]}" = "usage: connect [--udp] [-n COUNT] [--hold SECONDS] HOST PORT" ]
	has_line "HOST の PORT へ TCP の接続を COUNT 本開き、それぞれに OS が選んだ"
	has_line "  -n COUNT          接続の数（省略時は 1、最大 1000）"
	has_line "例：            bin/connect -n 3 127.0.0.1 8080   （先に bin/listen 8080 を起動しておく）"
	has_line "横で試す：      lsof -nP -a -p PID -iTCP          （PID は connect が表示する）"
}

# ---- connect --udp: the OS picks the port; connect() sends nothing ----

@test "connect --udp -n 3: OS-chosen ports in the live range, each equal to lsof's UDP row (-> and no state) and to what listen --udp saw" {
	need_tool lsof
	read_range
	start_listen_udp
	start_bg client "$BIN/connect" --udp -n 3 --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 3 UDP sockets open'
	run output_of client
	[[ "$output" == *"socket(AF_INET, SOCK_DGRAM, 0)     -> fd 3"* ]]
	[[ "$output" == *"connect(fd 3, 127.0.0.1 port $LISTEN_PORT) -> ok: the kernel picked our local port; no packet was sent"* ]]
	# UDP's port is drawn at random: no even-port line.
	[[ "$output" != *"local ports are even"* ]]
	local fd type name row ports=()
	while read -r fd type name; do
		local_port_in_range "$name"
		local local_port=$LOCAL_PORT
		ports+=("$local_port")
		row=$(lsof -nP -a -p "$client_PID" -iUDP | awk -v fd="$fd" '$4 == fd { print $4, $5, $8, $9, $10 }')
		[ "$row" = "$fd $type UDP $name " ] ||
			{ echo "connect printed '$fd $type UDP $name', lsof shows '$row'"; false; }
		output_of client | grep -qxF "  send(fd ${fd%u}, \"hello from port $local_port\\n\") -> 22 bytes, one datagram"
		output_of listen | grep -qF "recvfrom(fd 3) -> 22 bytes \"hello from port $local_port\\n\" from 127.0.0.1 port $local_port: "
	done < <(output_of client | sed -n 's/^  lsof: FD \([^ ]*\)  TYPE \([^ ]*\)  NODE UDP  NAME \([^ ]*->[^ ]*\)$/\1 \2 \3/p')
	[ "${#ports[@]}" -eq 3 ]
	[ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" -eq 3 ]
	[ "$(output_of client | grep -c '^  the server answers: "hello from port [0-9]*\\n"$')" -eq 3 ]
}

@test "connect --udp to a port no socket holds: the datagram comes back as ECONNREFUSED (ICMP port unreachable)" {
	local port
	port=$("$BIN/listen" --udp --hold 0 0 | sed -n 's/^Receiving on .*:\([0-9]*\) as pid .*/\1/p')
	[ -n "$port" ]
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --udp --hold 0 127.0.0.1 "$port"
	[[ "$output" == *"  recv(fd 3) -> Connection refused [ECONNREFUSED]: no socket holds that port; the server's kernel answered with ICMP port unreachable"* ]]
	[ "${lines[-1]}" = "connect: closed 1 UDP socket." ]
}

@test "connect --udp in Japanese: the lines a student reads, and the same notation as in English" {
	start_listen_udp
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --udp -n 2 --hold 0 127.0.0.1 "$LISTEN_PORT"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/en.out"
	run -0 fresh timeout "$WAIT_SECONDS" "${JA[@]}" "$BIN/connect" --udp -n 2 --hold 0 127.0.0.1 "$LISTEN_PORT"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/jp.out"
	[[ "$output" == *$'\n1 個目の UDP ソケット（全 2 個）：\n'* ]]
	[[ "$output" == *"-> ok：ローカルポートはカーネルが選んだ。パケットはまだ 1 つも送っていない"* ]]
	[[ "$output" == *"  サーバーからの返事：\"hello from port "* ]]
	[ "${lines[-1]}" = "connect: 2 個の UDP ソケットを閉じた。" ]
	# Pids and the OS's ports differ between the runs: mask every 4- and 5-digit number.
	notation "$BATS_TEST_TMPDIR/en.out" '[0-9]{4,5}' >"$BATS_TEST_TMPDIR/en.lsof"
	notation "$BATS_TEST_TMPDIR/jp.out" '[0-9]{4,5}' >"$BATS_TEST_TMPDIR/jp.lsof"
	grep -qxF "  lsof: FD 4u  TYPE IPv4  NODE UDP  NAME 127.0.0.1:X->127.0.0.1:X" "$BATS_TEST_TMPDIR/jp.lsof"
	grep -qF '  send(fd 4, "hello from port X\n") ->' "$BATS_TEST_TMPDIR/jp.lsof"
	diff -u "$BATS_TEST_TMPDIR/en.lsof" "$BATS_TEST_TMPDIR/jp.lsof"
}
