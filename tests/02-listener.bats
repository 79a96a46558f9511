#!/usr/bin/env bats
# Lab 02: bin/listen, checked against the real lsof and ss.

load test_helper

@test "listen --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/listen" --help
	[[ "$output" == *"usage: listen [--udp] [--host ADDR] [--backlog N] [--hold SECONDS] PORT"* ]]
	[[ "$output" == *"Example:        bin/listen 8080"* ]]
	[[ "$output" == *"lsof -nP -a -p PID -iTCP"* ]]
}

@test "listen --version prints its version" {
	run -0 "$BIN/listen" --version
	[[ "$output" =~ ^listen\ \(portlab\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every malformed port exits 2 with a message that teaches the 16-bit range" {
	for bad in 70000 65536 -1 8080x "" " 80" 0x50 80.5 +80; do
		run -2 "$BIN/listen" "$bad"
		[[ "${lines[0]}" == "listen: bad port '$bad': "*"ports are 16-bit: 0-65535" ]] ||
			{ echo "for '$bad': $output"; false; }
		[[ "${lines[1]}" == "usage: listen "* ]]
	done
}

@test "no port, two ports, an unknown option or a bad --hold exit 2 with the usage line" {
	run -2 "$BIN/listen"
	[[ "$output" == *"which port?"*"usage: listen"* ]]
	run -2 "$BIN/listen" 80 81
	[[ "$output" == *"just one port"* ]]
	run -2 "$BIN/listen" --frobnicate 80
	[[ "${lines[0]}" == "listen: unknown option '--frobnicate'" ]]
	run -2 "$BIN/listen" --hold soon 80
	[[ "${lines[0]}" == "listen: bad --hold 'soon': "* ]]
	run -2 "$BIN/listen" 80 --host
	[[ "${lines[0]}" == "listen: missing value for '--host': "* ]]
}

@test "a host that is not an address exits 2 and names what to give instead" {
	run -2 "$BIN/listen" --host 999.1.1.1 0
	[[ "$output" == *"listen: bad --host '999.1.1.1': "*"127.0.0.1, ::1, 0.0.0.0 or ::"* ]]
}

@test "each step of the server sequence is shown with its file descriptor" {
	start_listen
	run output_of listen
	[[ "$output" == *"socket(AF_INET, SOCK_STREAM, 0)    -> fd 3"* ]]
	[[ "$output" == *"bind(fd 3, 127.0.0.1 port 0)"*"port 0 asks the OS to choose"* ]]
	[[ "$output" == *"listen(fd 3, 128)"* ]]
	[[ "$output" == *"getsockname(fd 3)                  -> 127.0.0.1:$LISTEN_PORT: the OS chose port $LISTEN_PORT"* ]]
	[[ "$output" == *"Try beside it:  lsof -nP -a -p $listen_PID -iTCP"* ]]
}

@test "the listening fd and port it prints equal lsof's LISTEN row" {
	need_tool lsof
	start_listen
	run -0 lsof -nP -a -p "$listen_PID" -iTCP -sTCP:LISTEN
	[ "${#lines[@]}" -eq 2 ]
	read -r _ pid _ fd type _ _ node name state <<<"${lines[1]}"
	[ "$pid" = "$listen_PID" ]
	[ "$fd" = "$LISTEN_FD" ]
	[ "$type $node $name $state" = "IPv4 TCP 127.0.0.1:$LISTEN_PORT (LISTEN)" ]
	output_of listen | grep -qxF "  FD $fd  TYPE $type  NODE $node  NAME $name $state"
}

@test "the port the OS chose is the one ss shows listening on 127.0.0.1 only" {
	need_tool ss
	start_listen
	run -0 ss -Hltn "sport = :$LISTEN_PORT"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" =~ 127\.0\.0\.1:$LISTEN_PORT\  ]]
}

@test "each accepted connection's fd and NAME equal lsof's row for that fd" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" -n 3 --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 3 connections'
	wait_for listen '^accept\(fd 3\) -> fd ' 3
	local fd name checked=0
	while read -r fd name; do
		run -0 lsof_row "$listen_PID" "${fd%u}"
		[ "$output" = "$fd IPv4 TCP $name (ESTABLISHED)" ] ||
			{ echo "listen printed '$fd $name', lsof shows '$output'"; false; }
		checked=$((checked + 1))
	done < <(output_of listen | sed -n 's/^accept(fd 3) -> fd \([^ ]*\)  \([^ ]*\) (ESTABLISHED)$/\1 \2/p')
	[ "$checked" -eq 3 ]
}

@test "a client is greeted with the address it comes from, echoed, and its close is reported with byte counts" {
	start_listen
	exec {sock}<>"/dev/tcp/127.0.0.1/$LISTEN_PORT"
	local greeting echo
	IFS= read -r -t "$WAIT_SECONDS" greeting <&"$sock"
	printf 'hello, server\n' >&"$sock"
	IFS= read -r -t "$WAIT_SECONDS" echo <&"$sock"
	exec {sock}>&-
	[ "$echo" = "hello, server" ]
	wait_for listen '^close\(fd 4u\)'
	# The port in the greeting is the one listen saw in accept().
	local port=${greeting#*coming from 127.0.0.1:}
	port=${port%% *}
	output_of listen | grep -qE "^accept\(fd 3\) -> fd 4u  127\.0\.0\.1:$LISTEN_PORT->127\.0\.0\.1:$port \(ESTABLISHED\)$"
	output_of listen | grep -qF "fd 4u: got 14 bytes \"hello, server\\n\", echoing them back"
	local sent=$(( ${#greeting} + 1 + 14 ))
	output_of listen | grep -qxF "close(fd 4u): 127.0.0.1:$LISTEN_PORT->127.0.0.1:$port closed by the client; 14 bytes in, $sent bytes out"
}

@test "worksheet 02's step 7 without nc: curl telnet:// sends the typed line and shows listen's echo" {
	need_tool curl
	start_listen
	# The student's keyboard is a FIFO; opened read-write, neither side waits to open it.
	local keys=$BATS_TEST_TMPDIR/keys
	mkfifo "$keys"
	exec {typing}<>"$keys"
	start_bg student sh -c 'exec curl -sN --max-time 60 "telnet://127.0.0.1:$0" <"$1"' "$LISTEN_PORT" "$keys"
	wait_for student '^Hello! I see you coming from 127\.0\.0\.1:[0-9]+ '
	printf 'hello, server\n' >&"$typing"
	wait_for student '^hello, server$'
	exec {typing}>&-
	wait_for listen '^fd 4u: got 14 bytes "hello, server\\n", echoing them back$'
}

@test "a silent client does not stall the next one" {
	start_listen
	exec {silent}<>"/dev/tcp/127.0.0.1/$LISTEN_PORT"
	wait_for listen '^accept\(fd 3\) -> fd 4u'
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$LISTEN_PORT"
	[[ "$output" == *'the server says: "Hello! I see you coming from 127.0.0.1:'* ]]
	exec {silent}>&-
}

@test "200 simultaneous clients are all accepted and greeted" {
	start_listen
	run -0 timeout 60 "$BIN/connect" -n 200 --hold 0 127.0.0.1 "$LISTEN_PORT"
	[ "$(grep -c 'the server says: "Hello! I see you coming from' <<<"$output")" -eq 200 ]
	wait_for listen '^accept\(fd 3\) -> fd ' 200
	wait_for listen '^close\(fd ' 200
}

@test "clients that vanish mid-reply never kill the server (SIGPIPE)" {
	start_listen
	local i
	for i in $(seq 1 20); do
		# Send and slam the door without reading: the echo hits a closed socket.
		exec {sock}<>"/dev/tcp/127.0.0.1/$LISTEN_PORT"
		printf 'bye\n' >&"$sock"
		exec {sock}>&-
	done
	wait_for listen '^close\(fd ' 20
	kill -0 "$listen_PID"
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$LISTEN_PORT"
	[[ "$output" == *'the server says: "Hello!'* ]]
}

@test "--host ::1 listens on IPv6 loopback, written [::1]:PORT as lsof writes it" {
	need_tool lsof
	need_ipv6_loopback
	start_listen --host ::1
	output_of listen | grep -qF "socket(AF_INET6, SOCK_STREAM, 0)"
	run -0 lsof_row "$listen_PID" "${LISTEN_FD%u}"
	[ "$output" = "$LISTEN_FD IPv6 TCP [::1]:$LISTEN_PORT (LISTEN)" ]
	output_of listen | grep -qxF "  FD $LISTEN_FD  TYPE IPv6  NODE TCP  NAME [::1]:$LISTEN_PORT (LISTEN)"
}

@test "an IPv4 client of an IPv6 socket is written as plain IPv4, as lsof writes it" {
	need_tool lsof
	need_ipv6_loopback
	# ::ffff:127.0.0.1 is loopback seen through IPv6: an AF_INET6 socket that IPv4 clients reach.
	start_listen --host ::ffff:127.0.0.1
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	run -0 lsof_row "$listen_PID" "${LISTEN_FD%u}"
	[ "$output" = "$LISTEN_FD IPv6 TCP 127.0.0.1:$LISTEN_PORT (LISTEN)" ]
	local fd name
	read -r fd name < <(output_of listen | sed -n 's/^accept(fd 3) -> fd \([^ ]*\)  \([^ ]*\) (ESTABLISHED)$/\1 \2/p')
	[[ "$name" =~ ^127\.0\.0\.1:$LISTEN_PORT-\>127\.0\.0\.1:[0-9]+$ ]]
	run -0 lsof_row "$listen_PID" "${fd%u}"
	[ "$output" = "$fd IPv6 TCP $name (ESTABLISHED)" ]
	output_of listen | grep -qF "(::ffff:127.0.0.1 is an IPv4 client seen through an IPv6 socket; lsof writes it as plain 127.0.0.1)"
}

@test "a wildcard --host warns that the classroom network could connect, before it binds" {
	# Tests stay on loopback: the wildcard bind is made to fail, because our
	# own 127.0.0.1 listener already holds the port. The warning comes first.
	start_listen
	run -1 "$BIN/listen" --host 0.0.0.0 "$LISTEN_PORT"
	[[ "${lines[1]}" == "WARNING: 0.0.0.0 is the wildcard address, every network interface (lsof writes it as *): other machines on the classroom network will be able to connect to port $LISTEN_PORT. Leave out --host to stay on 127.0.0.1, this machine only." ]]
	[[ "$output" == *"[EADDRINUSE]"* ]]
}

@test "a port already in use exits 1 naming the port, EADDRINUSE, and the pid and command holding it" {
	start_listen
	run -1 "$BIN/listen" --hold 0 "$LISTEN_PORT"
	[[ "$output" == *"listen: bind 127.0.0.1 port $LISTEN_PORT: Address already in use [EADDRINUSE]. Port $LISTEN_PORT is held by pid $listen_PID (listen); try another port (or 0 to let the OS choose), or stop it. See it with: lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN"* ]]
}

@test "a port held by a process we cannot see is still explained, without a pid" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run a listener as another user"
	need_tool setpriv
	start_listen
	# As nobody, root's listener is invisible: the kernel hides other users' descriptors.
	run -1 $(as_nobody listen) --hold 0 "$LISTEN_PORT"
	[[ "$output" == *"[EADDRINUSE]. Another socket already listens on port $LISTEN_PORT, in a process we cannot see (another user's?); as root, see it with: lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN"* ]]
}

@test "a privileged port as an ordinary user exits 1 with EACCES and the live limit, and suggests 8080" {
	run_in_netns_as_nobody 2000 listen --hold 0 1500
	[ "$status" -eq 1 ]
	[[ "$output" == *"listen: bind 127.0.0.1 port 1500: Permission denied [EACCES]. Ports below 2000 are privileged here: only root may bind them. Try a port from 2000 up, such as 8080"* ]]
}

@test "where the privileged ports reach past 8080, the port it suggests is the first free one" {
	run_in_netns_as_nobody 10000 listen --hold 0 9000
	[ "$status" -eq 1 ]
	[[ "$output" == *"[EACCES]. Ports below 10000 are privileged here: only root may bind them. Try a port from 10000 up, such as 10000"* ]]
}

@test "SIGTERM ends it with a one-line summary of clients and bytes" {
	start_listen
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$LISTEN_PORT"
	wait_for listen '^close\(fd 4u\)'
	kill -TERM "$listen_PID"
	wait_exit "$listen_PID"
	output_of listen | tail -n 1 | grep -qE '^listen: stopped by SIGTERM\. Served 1 client; 0 bytes received, [0-9]+ bytes sent\.$'
}

@test "Ctrl-C (SIGINT) closes the clients still connected and reports them" {
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for listen '^accept\(fd 3\) -> fd 4u'
	kill -INT "$listen_PID"
	wait_exit "$listen_PID"
	output_of listen | grep -qE '^close\(fd 4u\): .* closed by us as we stop; 0 bytes in, [0-9]+ bytes out$'
	output_of listen | tail -n 1 | grep -qE '^listen: stopped by Ctrl-C \(SIGINT\)\. Served 1 client;'
	# The client sees the server hang up.
	wait_for client 'the server closed its end'
}

@test "--backlog sets the queue listen() asks for, as ss shows it; a bad one exits 2" {
	need_tool ss
	start_listen --backlog 300
	output_of listen | grep -qF "listen(fd 3, 300)"
	run -0 ss -Hltn "sport = :$LISTEN_PORT"
	read -r _ _ sendq _ <<<"${lines[0]}"
	[ "$sendq" = 300 ] || { echo "ss shows Send-Q $sendq: ${lines[0]}"; false; }
	local bad
	for bad in 0 -1 65536 x ""; do
		run -2 "$BIN/listen" --backlog "$bad" 0
		[[ "${lines[0]}" == "listen: "*"'$bad'"* ]] || { echo "--backlog '$bad': $output"; false; }
	done
}

# ---- Japanese (issue 15): the prose in Japanese, lsof's notation as it is ----

# has_line FILE LINE: FILE holds LINE, whole.
has_line() {
	grep -Fxq -- "$2" "$1" || { printf 'no line "%s" in:\n' "$2" >&2; cat "$1" >&2; false; }
}

@test "listen in Japanese: each step and each client explained, the calls and lsof's lines as they are" {
	start_bg listen "${JA[@]}" "$BIN/listen" 0
	wait_for listen '^クライアントを待っている。'
	local port file=$BATS_TEST_TMPDIR/listen.out
	port=$(sed -n 's/^  FD 3u  TYPE IPv4  NODE TCP  NAME 127\.0\.0\.1:\([0-9]*\) (LISTEN)$/\1/p' "$file")
	[ -n "$port" ]
	has_line "$file" "listen（PID $listen_PID）：ポートを開いて、クライアントを待ち受ける。"
	has_line "$file" "  bind(fd 3, 127.0.0.1 port 0)       -> ok：ポート 0 は「空いているポートを OS が選ぶ」という意味"
	has_line "$file" "  getsockname(fd 3)                  -> 127.0.0.1:$port：OS がポート $port を選んだ"
	has_line "$file" "127.0.0.1:$port で待ち受けている（PID $listen_PID）。lsof では、このソケットは次のように表示される："
	has_line "$file" "横で試す：            lsof -nP -a -p $listen_PID -iTCP"
	has_line "$file" "クライアントになる：  bin/connect 127.0.0.1 $port"
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$port"
	local client
	client=$(sed -n 's/.*NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p' <<<"$output")
	wait_for listen '^close\(fd 4u\)'
	has_line "$file" "accept(fd 3) -> fd 4u  127.0.0.1:$port->127.0.0.1:$client (ESTABLISHED)"
	has_line "$file" "  クライアントが 127.0.0.1 のポート $client から接続してきた。このポートは、クライアント側の OS がこの接続のために選んだエフェメラルポートだ"
	grep -qE "^close\(fd 4u\): 127\.0\.0\.1:$port->127\.0\.0\.1:$client（クライアントが閉じた）。受信 0 バイト、送信 [0-9]+ バイト$" "$file"
	kill -TERM "$listen_PID"
	wait_exit "$listen_PID"
	tail -n 1 "$file" | grep -qE '^listen: SIGTERM で終了した。応対したクライアントの数は 1、受信 0 バイト、送信 [0-9]+ バイト。$'
}

@test "listen says the same in lsof's notation in both languages: calls, FD rows, accept(), commands" {
	# The same command twice, on one port the OS chose: English, then Japanese.
	local port
	port=$(free_port)
	start_bg en "$BIN/listen" "$port"
	wait_for en '^Waiting for clients'
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$port"
	local en_client=${output##*NAME 127.0.0.1:}
	en_client=${en_client%%->*}
	wait_for en '^close\(fd 4u\)'
	kill -TERM "$en_PID"
	wait_exit "$en_PID"
	start_bg jp "${JA[@]}" "$BIN/listen" "$port"
	wait_for jp '^クライアントを待っている。'
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$port"
	local jp_client=${output##*NAME 127.0.0.1:}
	jp_client=${jp_client%%->*}
	wait_for jp '^close\(fd 4u\)'
	kill -TERM "$jp_PID"
	wait_exit "$jp_PID"
	notation "$BATS_TEST_TMPDIR/en.out" "$en_PID" "$en_client" >"$BATS_TEST_TMPDIR/en.lsof"
	notation "$BATS_TEST_TMPDIR/jp.out" "$jp_PID" "$jp_client" >"$BATS_TEST_TMPDIR/jp.lsof"
	# Enough of it to mean something: 5 calls, the FD row, accept(), the commands.
	[ "$(grep -c . "$BATS_TEST_TMPDIR/jp.lsof")" -ge 8 ] || { cat "$BATS_TEST_TMPDIR/jp.lsof"; false; }
	grep -qxF "  FD 3u  TYPE IPv4  NODE TCP  NAME 127.0.0.1:$port (LISTEN)" "$BATS_TEST_TMPDIR/jp.lsof"
	diff -u "$BATS_TEST_TMPDIR/en.lsof" "$BATS_TEST_TMPDIR/jp.lsof"
}

@test "a port in use, in Japanese: the call, EADDRINUSE, the holder and the lsof command; the same notation as in English" {
	start_listen
	run -1 "$BIN/listen" --hold 0 "$LISTEN_PORT"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/en.err"
	run -1 ja "$BIN/listen" --hold 0 "$LISTEN_PORT"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/jp.err"
	[ "${lines[-1]}" = "listen: bind 127.0.0.1 port $LISTEN_PORT: アドレスはすでに使用中 [EADDRINUSE]。ポート $LISTEN_PORT は PID $listen_PID（listen）が使っている。別のポートにする（0 にすると OS が選ぶ）か、そのプロセスを止める。確かめる：lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN" ]
	# Both runs print their own pid first: leave those lines out.
	diff -u <(notation "$BATS_TEST_TMPDIR/en.err" | grep -v '^lsof -nP -a -p') \
		<(notation "$BATS_TEST_TMPDIR/jp.err" | grep -v '^lsof -nP -a -p')
	notation "$BATS_TEST_TMPDIR/jp.err" | grep -qxF "[EADDRINUSE]"
	notation "$BATS_TEST_TMPDIR/jp.err" | grep -qxF "lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN"
}

@test "a privileged port as an ordinary user, in Japanese: EACCES, the live limit and a port to use instead" {
	LC_MESSAGES= LANG=ja_JP.UTF-8 run_in_netns_as_nobody 2000 listen --hold 0 1500
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "listen: bind 127.0.0.1 port 1500: 許可がない [EACCES]。ここでは 2000 未満のポートは特権ポートで、bind できるのは root だけ。2000 以上のポート、たとえば 8080 を使う" ]
}

@test "listen's usage errors and --help in Japanese; the usage line stays as it is" {
	run -2 ja "$BIN/listen"
	[ "${lines[0]}" = "listen: ポートが指定されていない。8080 のように1つ書く（0 にすると OS が選ぶ）" ]
	[ "${lines[1]}" = "usage: listen [--udp] [--host ADDR] [--backlog N] [--hold SECONDS] PORT" ]
	run -2 ja "$BIN/listen" 70000
	[ "${lines[0]}" = "listen: ポート '70000' は使えない。ポートは 16 ビットで、0-65535" ]
	run -2 ja "$BIN/listen" --hold 1x 0
	[ "${lines[0]}" = "listen: --hold '1x' は使えない。秒数を 0 から 86400 までの整数で、--hold 30 のように書く" ]
	run -0 ja "$BIN/listen" --help
	[ "${lines[0]}" = "usage: listen [--udp] [--host ADDR] [--backlog N] [--hold SECONDS] PORT" ]
	[ "${lines[1]}" = "TCP のポートを開いてクライアントを待ち受け、その手順の一つ一つと" ]
	[[ "$output" == *$'\n  --backlog N       ハンドシェイクを終えて accept() を待てる接続の数\n'* ]]
	[[ "$output" == *$'\n例：            bin/listen 8080\n横で試す：      lsof -nP -a -p PID -iTCP     （PID は listen が表示する）' ]]
}

# ---- listen --udp: no listen(), no accept(), no state ----

@test "listen --udp shows socket(SOCK_DGRAM), bind and getsockname, and no listen() or accept()" {
	start_listen_udp
	run output_of listen
	[[ "$output" == *"socket(AF_INET, SOCK_DGRAM, 0)     -> fd 3"* ]]
	[[ "$output" == *"bind(fd 3, 127.0.0.1 port 0)"*"port 0 asks the OS to choose"* ]]
	[[ "$output" == *"getsockname(fd 3)                  -> 127.0.0.1:$LISTEN_PORT: the OS chose port $LISTEN_PORT"* ]]
	[[ "$output" == *"Try beside it:  lsof -nP -a -p $listen_PID -iUDP"* ]]
	[[ "$output" == *"Be a client:    bin/connect --udp 127.0.0.1 $LISTEN_PORT"* ]]
	run -1 grep -E '^  (listen|accept|setsockopt)\(' "$BATS_TEST_TMPDIR/listen.out"
}

@test "listen --udp's FD row equals lsof's UDP row: no state after the NAME" {
	need_tool lsof
	start_listen_udp
	run -0 lsof -nP -a -p "$listen_PID" -iUDP
	[ "${#lines[@]}" -eq 2 ]
	read -r _ pid _ fd type _ _ node name state <<<"${lines[1]}"
	[ "$pid" = "$listen_PID" ] || { echo "lsof's pid $pid is not listen's $listen_PID"; false; }
	[ "$fd" = "$LISTEN_FD" ] || { echo "lsof's FD $fd, listen printed $LISTEN_FD"; false; }
	[ "$type $node $name" = "IPv4 UDP 127.0.0.1:$LISTEN_PORT" ]
	[ -z "$state" ] || { echo "lsof printed a state for a UDP socket: '$state'"; false; }
	output_of listen | grep -qxF "  FD $fd  TYPE $type  NODE $node  NAME $name"
	# ss calls an unconnected UDP socket UNCONN: a kernel word, not a UDP state.
	need_tool ss
	run -0 ss -Huan "sport = :$LISTEN_PORT"
	[[ "${lines[0]}" == UNCONN*"127.0.0.1:$LISTEN_PORT "* ]]
}

@test "each datagram arrives with its sender's ephemeral port, and is echoed back to it" {
	need_tool lsof
	start_listen_udp
	local port1 port2 echo1 echo2 me=$BASHPID
	exec {one}<>"/dev/udp/127.0.0.1/$LISTEN_PORT" {two}<>"/dev/udp/127.0.0.1/$LISTEN_PORT"
	printf 'first\n' >&"$one"
	printf 'second\n' >&"$two"
	# One read() is one datagram (bash's read would take one byte, and lose the rest).
	echo1=$(timeout "$WAIT_SECONDS" dd bs=4096 count=1 status=none <&"$one")
	echo2=$(timeout "$WAIT_SECONDS" dd bs=4096 count=1 status=none <&"$two")
	# This shell's two sockets: their local ports, as lsof shows them (n127.0.0.1:PORT->...).
	port1=$(lsof -nP -a -p "$me" -d "$one" -iUDP -Fn | sed -n 's/^n127\.0\.0\.1:\([0-9]*\)->.*/\1/p')
	port2=$(lsof -nP -a -p "$me" -d "$two" -iUDP -Fn | sed -n 's/^n127\.0\.0\.1:\([0-9]*\)->.*/\1/p')
	exec {one}>&- {two}>&-
	[ "$echo1" = first ] || { echo "first echo: '$echo1'"; false; }
	[ "$echo2" = second ] || { echo "second echo: '$echo2'"; false; }
	[ -n "$port1" ] || { echo "no port for the first socket"; false; }
	[ -n "$port2" ] || { echo "no port for the second socket"; false; }
	[ "$port1" != "$port2" ] || { echo "both sockets on port $port1"; false; }
	output_of listen | grep -qxF "recvfrom(fd 3) -> 6 bytes \"first\\n\" from 127.0.0.1 port $port1: the ephemeral port its OS chose"
	output_of listen | grep -qxF "  sendto(fd 3, 127.0.0.1 port $port1) -> 6 bytes back, one datagram"
	output_of listen | grep -qxF "recvfrom(fd 3) -> 7 bytes \"second\\n\" from 127.0.0.1 port $port2: the ephemeral port its OS chose"
	kill -INT "$listen_PID"
	wait_for listen '^listen: stopped by Ctrl-C \(SIGINT\)\. Received 2 datagrams, 13 bytes; sent back 13 bytes\.$'
}

@test "TCP and UDP ports are separate: a UDP port in use names its holder, and TCP may use the same number" {
	need_tool lsof
	start_listen_udp
	run -1 "$BIN/listen" --udp --hold 0 "$LISTEN_PORT"
	[ "${lines[-1]}" = "listen: bind 127.0.0.1 UDP port $LISTEN_PORT: Address already in use [EADDRINUSE]. UDP port $LISTEN_PORT is held by pid $listen_PID (listen); try another port (or 0 to let the OS choose), or stop it. See it with: lsof -nP -iUDP:$LISTEN_PORT" ]
	run -0 "$BIN/listen" --hold 0 "$LISTEN_PORT"
	[[ "$output" == *"Listening on 127.0.0.1:$LISTEN_PORT as pid "* ]]
}

@test "--backlog with --udp exits 2: UDP has no handshakes to queue" {
	run -2 "$BIN/listen" --udp --backlog 4 0
	[ "${lines[0]}" = "listen: --backlog is for TCP: it counts finished handshakes, and UDP has none. Leave it out with --udp" ]
	[ "${lines[1]}" = "usage: listen [--udp] [--host ADDR] [--backlog N] [--hold SECONDS] PORT" ]
}

@test "listen --udp in Japanese: the lines a student reads, and the same notation as in English" {
	start_bg en "$BIN/listen" --udp --hold 3 0
	start_bg jp "${JA[@]}" "$BIN/listen" --udp --hold 3 0
	wait_for en '^Waiting for datagrams'
	wait_for jp '^データグラムを待っている。'
	local en_port jp_port
	en_port=$(sed -n 's/^Receiving on .*:\([0-9]*\) as pid .*/\1/p' "$BATS_TEST_TMPDIR/en.out")
	jp_port=$(sed -n 's/^\([0-9.]*\):\([0-9]*\) で受信している.*/\2/p' "$BATS_TEST_TMPDIR/jp.out")
	printf 'hi\n' >"/dev/udp/127.0.0.1/$en_port"
	printf 'hi\n' >"/dev/udp/127.0.0.1/$jp_port"
	wait_for en '^  sendto\('
	wait_for jp '^  sendto\('
	run output_of jp
	[[ "$output" == *$'\n  listen() も accept() もない。UDP には接続がないからだ。どのクライアントのデータグラムも、この 1 つのソケットが受け取る。\n'* ]]
	[[ "$output" == *$'\n  （NAME のあとに状態がない。UDP には接続がないので、LISTEN も ESTABLISHED も、TCP の状態は一つもない）\n'* ]]
	[[ "$output" == *"バイトの \"hi\\n\"、送り主は 127.0.0.1 のポート "*"。このポートは、送り主の OS が選んだエフェメラルポートだ"* ]]
	notation "$BATS_TEST_TMPDIR/en.out" "$en_port" "$en_PID" '[0-9]{5}' >"$BATS_TEST_TMPDIR/en.lsof"
	notation "$BATS_TEST_TMPDIR/jp.out" "$jp_port" "$jp_PID" '[0-9]{5}' >"$BATS_TEST_TMPDIR/jp.lsof"
	grep -qxF "  FD 3u  TYPE IPv4  NODE UDP  NAME 127.0.0.1:X" "$BATS_TEST_TMPDIR/jp.lsof"
	grep -qxF "recvfrom(fd 3) ->" "$BATS_TEST_TMPDIR/jp.lsof"
	diff -u "$BATS_TEST_TMPDIR/en.lsof" "$BATS_TEST_TMPDIR/jp.lsof"
}
