#!/usr/bin/env bats
# Load and faults for the three servers (listen, forward, cors-lab): more
# clients than descriptors, 500 idle connections, a client that resets or
# stops mid-transfer, hostile HTTP for cors-lab, and loopback-only default
# binds. The misbehaving clients are build/netpoke (tests/tools/netpoke.c).
# Every wait is bounded; nothing here measures speed (that is `make bench`).

load test_helper

NETPOKE=$PORTLAB_ROOT/build/netpoke

setup() {
	[ -x "$NETPOKE" ] || { echo "build/netpoke is missing: run make test, which builds it" >&2; return 1; }
}

# start_server KIND LIMIT: listen, forward (in front of a listen of its own)
# or cors-lab on OS-chosen ports, allowed LIMIT descriptors (ulimit -n; 0
# leaves the limit as it is).
# Sets server_PID and PORT (for cors-lab, the API port; PAGE_PORT too).
start_server() {
	local kind=$1 limit=$2
	local -a limited=(bash -c 'ulimit -n "$0" && exec "$@"' "$limit")
	[ "$limit" -gt 0 ] || limited=()
	case $kind in
	listen)
		start_bg server "${limited[@]}" "$BIN/listen" 0
		wait_for server '^Waiting for clients'
		PORT=$(output_of server | sed -n 's/^Listening on .*:\([0-9]*\) as pid .*/\1/p')
		;;
	forward)
		start_bg target bash -c 'ulimit -n 4096 && exec "$@"' _ "$BIN/listen" 0
		wait_for target '^Waiting for clients'
		PORT=$(output_of target | sed -n 's/^Listening on .*:\([0-9]*\) as pid .*/\1/p')
		start_bg server "${limited[@]}" "$BIN/forward" "0:$PORT"
		wait_for server '^Waiting for clients'
		PORT=$(output_of server | sed -n 's/^Forwarding .*:\([0-9]*\) -> .*/\1/p')
		;;
	cors-lab)
		start_bg server "${limited[@]}" "$BIN/cors-lab" --page-port 0 --api-port 0
		wait_for server '^Waiting for requests'
		PORT=$(output_of server | sed -n 's/^API origin:  http:\/\/localhost:\([0-9]*\).*/\1/p')
		PAGE_PORT=$(output_of server | sed -n 's/^Page origin: http:\/\/localhost:\([0-9]*\).*/\1/p')
		;;
	esac
	[ -n "$PORT" ] || { echo "no port in $kind's output:"; output_of server; return 1; }
}

# answered KIND PORT: one ordinary client gets its whole answer (bounded).
answered() {
	local answer
	if [ "$1" = cors-lab ]; then
		answer=$(printf 'GET /api/data HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
			timeout 10 "$NETPOKE" send "$2")
		[[ "$answer" == "HTTP/1.1 200 OK"*'"hello from the API"'* ]] && return 0
	else
		answer=$(printf 'ping\n' | timeout 10 "$NETPOKE" send "$2")
		[[ "$answer" == "Hello! "*$'\nping' ]] && return 0
	fi
	echo "$1 on port $2 did not answer an ordinary client; it answered: '$answer'"
	return 1
}

# first_exchange KIND FD, next_exchange KIND FD: a client on connection FD
# (opened before the trouble) talks to the server, before and after.
first_exchange() {
	local line
	if [ "$1" = cors-lab ]; then
		next_exchange "$@"
	else
		read -r -t 5 line <&"$2" && [[ "$line" == "Hello! "* ]] ||
			{ echo "no greeting on the first connection: '$line'"; return 1; }
	fi
}
next_exchange() {
	local line rest
	if [ "$1" = cors-lab ]; then
		printf 'GET /api/data HTTP/1.1\r\nHost: localhost\r\n\r\n' >&"$2"
		read -r -t 5 line <&"$2" && [ "$line" = $'HTTP/1.1 200 OK\r' ] ||
			{ echo "the first connection got '$line'"; return 1; }
		read -r -t 1 -N 4096 rest <&"$2" || true	# the rest of that answer
	else
		printf 'still here\n' >&"$2"
		read -r -t 5 line <&"$2" && [ "$line" = "still here" ] ||
			{ echo "the first connection got '$line' back"; return 1; }
	fi
}

# cpu_ticks PID: the CPU time PID has used so far, in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# at_the_limit KIND: the whole ulimit -n 64 story for one server.
at_the_limit() {
	local kind=$1 conn before after
	start_server "$kind" 64
	exec {conn}<>"/dev/tcp/127.0.0.1/$PORT"
	first_exchange "$kind" "$conn"
	start_bg crowd "$NETPOKE" hold 100 "$PORT"
	wait_for crowd '^holding 100$'
	wait_for server 'EMFILE\].*only 64 descriptors'
	# Those already in are still served; the server waits, not spins.
	next_exchange "$kind" "$conn"
	before=$(cpu_ticks "$server_PID")
	sleep 2
	after=$(cpu_ticks "$server_PID")
	[ $((after - before)) -le 20 ] ||
		{ echo "$kind used $((after - before)) ticks of CPU in 2 s at the limit: a busy loop"; false; }
	kill "$crowd_PID"
	wait_exit "$crowd_PID"
	answered "$kind" "$PORT"
	next_exchange "$kind" "$conn"
	exec {conn}>&-
	kill -0 "$server_PID"
}

@test "listen at ulimit -n 64: names EMFILE and the limit, keeps its clients, does not spin, recovers" {
	at_the_limit listen
}

@test "forward at ulimit -n 64: names EMFILE and the limit, keeps its clients, does not spin, recovers" {
	at_the_limit forward
}

@test "cors-lab at ulimit -n 64: names EMFILE and the limit, keeps its clients, does not spin, recovers" {
	at_the_limit cors-lab
}

# no_room KIND LIMIT: at a limit that leaves no descriptor for even one
# client, the first client makes the server say so and exit 1: it neither
# spins nor waits forever for a client that could never be served.
no_room() {
	local kind=$1 conn rc=0
	start_server "$kind" "$2"
	exec {conn}<>"/dev/tcp/127.0.0.1/$PORT"
	wait_exit "$server_PID" || { echo "$kind at ulimit -n $2 is still running:"; output_of server; false; }
	wait "$server_PID" || rc=$?
	exec {conn}>&-
	[ "$rc" -eq 1 ] || { echo "$kind exited $rc"; output_of server; false; }
	output_of server | grep -qE "^$kind: (accept.*|socket): Too many open files \[EMFILE\]\. This process may hold only $2 descriptors \(ulimit -n\), and needs [12] per client on top of those it holds already, so no client can ever be served at this limit\."
}

@test "at a limit with no room for one client (listen 4, forward 4 and 5, cors-lab 5), each says so and exits 1" {
	no_room listen 4
	no_room forward 4
	no_room forward 5
	no_room cors-lab 5
}

# idle_crowd KIND: 500 idle connections, and ordinary clients still answered.
idle_crowd() {
	local kind=$1 held
	start_server "$kind" 4096
	start_bg crowd bash -c 'ulimit -n 4096 && exec "$@"' _ "$NETPOKE" hold 500 "$PORT"
	wait_for crowd '^holding 500$'
	held=$(ss -Htn state established "( dport = :$PORT )" | wc -l)
	[ "$held" -ge 500 ] || { echo "only $held connections to port $PORT are established"; false; }
	answered "$kind" "$PORT"
	answered "$kind" "$PORT"
	answered "$kind" "$PORT"
	kill -0 "$server_PID"
}

@test "listen answers ordinary clients while 500 idle connections are open" {
	idle_crowd listen
}

@test "forward answers ordinary clients while 500 idle connections are open" {
	idle_crowd forward
}

@test "cors-lab answers ordinary clients while 500 idle connections are open" {
	idle_crowd cors-lab
}

# bad_clients KIND TEXT: a client that floods TEXT and never reads, then is
# stopped (SIGSTOP), and one that resets mid-transfer; the rest carry on.
bad_clients() {
	local kind=$1 text=$2
	start_server "$kind" 0
	start_bg flood "$NETPOKE" flood "$PORT" "$text"
	wait_for flood '^flooding$'
	kill -STOP "$flood_PID"
	run -0 "$NETPOKE" reset "$PORT" 300000
	[[ "$output" == "sent "*" bytes, resetting" ]]
	answered "$kind" "$PORT"
	answered "$kind" "$PORT"
	kill -0 "$server_PID"
}

@test "listen carries on past a client that floods and is stopped, and one that resets" {
	bad_clients listen junk
}

@test "forward carries on past a client that floods and is stopped, and one that resets" {
	bad_clients forward junk
}

@test "cors-lab carries on past a client that pipelines without reading and is stopped, and one that resets" {
	bad_clients cors-lab $'GET /api/data HTTP/1.1\r\nHost: localhost\r\n\r\n'
}

# hostile PORT REQUEST: send REQUEST (printf escapes) to PORT; the answer
# must be HTTP/1.1 answers that netpoke check accepts, or a clean close, and
# must not contain the marker "pwned" that every hostile request carries.
hostile() {
	local answer=$BATS_TEST_TMPDIR/answer verdict
	printf "$2" | timeout 10 "$NETPOKE" send "$1" >"$answer"
	verdict=$("$NETPOKE" check <"$answer" 2>&1) ||
		{ echo "port $1: $verdict, in:"; cat -v "$answer"; return 1; }
	! grep -qa pwned "$answer" || { echo "port $1 reflected the request:"; cat -v "$answer"; return 1; }
}

@test "cors-lab answers hostile requests with a valid HTTP response or a clean close, never reflecting them" {
	start_server cors-lab 0
	local name request answer mode big
	big=$(head -c 9000 /dev/zero | tr '\0' a)
	# Twice: in allow mode, then in echo mode, which copies a valid Origin back.
	for mode in allow echo; do
		[ "$mode" = allow ] || { kill -USR1 "$server_PID" && wait_for server '^Mode: echo'; }
		while IFS='|' read -r name request; do
			hostile "$PORT" "$request" || { echo "($name, $mode mode, API)"; false; }
			hostile "$PAGE_PORT" "$request" || { echo "($name, $mode mode, page)"; false; }
		done <<EOF
bare CR in Origin|GET /api/data HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:3000\rSet-Cookie: pwned=1\r\n\r\n
bare LF in Origin|GET /api/data HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:3000\nSet-Cookie: pwned=1\r\n\r\n
NUL in a header|GET /api/data HTTP/1.1\r\nHost: x\r\nX-Test: a\0pwned\r\n\r\n
NUL in the path|GET /api/\0pwned HTTP/1.1\r\nHost: x\r\n\r\n
escape in the path|GET /\033[2Jpwned HTTP/1.1\r\nHost: x\r\n\r\n
C1 control in the path|GET /\233pwned HTTP/1.1\r\nHost: x\r\n\r\n
not an origin|GET /api/data HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example/pwned\r\n\r\n
origin with userinfo|GET /api/data HTTP/1.1\r\nHost: x\r\nOrigin: http://pwned@evil.example\r\n\r\n
header block too large|GET /api/data HTTP/1.1\r\nHost: x\r\nX-Big: $big\r\nX-Mark: pwned\r\n\r\n
body too large|POST /mode HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\npwned
negative length|POST /mode HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\npwned
chunked body|POST /mode HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\npwned\r\n0\r\n\r\n
invalid method|G(T /pwned HTTP/1.1\r\nHost: x\r\n\r\n
long method|GETGETGETGETGETGETGET /pwned HTTP/1.1\r\nHost: x\r\n\r\n
HTTP/2.0|GET /pwned HTTP/2.0\r\n\r\n
HTTP/1.x|GET /pwned HTTP/1.x\r\n\r\n
no version|GET /pwned\r\n\r\n
TLS hello|\026\003\001\002\000\001\000\001\374\003\003pwned
pipelined, three|GET /api/data HTTP/1.1\r\nHost: x\r\n\r\nOPTIONS /api/data HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:1\r\n\r\nGET /pwned HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n
EOF
	done
	# Pipelined requests are answered one by one, in order.
	printf 'GET /api/data HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\nGET /api/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 10 "$NETPOKE" send "$PORT" >"$BATS_TEST_TMPDIR/answer"
	[ "$("$NETPOKE" check <"$BATS_TEST_TMPDIR/answer")" = "3 answer(s)" ]
	[ "$(grep -a '^HTTP/1.1 ' "$BATS_TEST_TMPDIR/answer" | tr -d '\r' | tr '\n' ,)" = "HTTP/1.1 200 OK,HTTP/1.1 404 Not Found,HTTP/1.1 200 OK," ]
	# The statuses those deserve.
	answer=$(printf 'GET /api/data HTTP/2.0\r\n\r\n' | timeout 10 "$NETPOKE" send "$PORT")
	[[ "$answer" == "HTTP/1.1 505 "* ]]
	answer=$(printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n' "$big" | timeout 10 "$NETPOKE" send "$PORT")
	[[ "$answer" == "HTTP/1.1 431 "* ]]
	answer=$(printf 'POST /mode HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n' | timeout 10 "$NETPOKE" send "$PAGE_PORT")
	[[ "$answer" == "HTTP/1.1 413 "* ]]
	answer=$(printf 'GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n' | timeout 10 "$NETPOKE" send "$PORT")
	[[ "$answer" == "HTTP/1.1 400 "* ]]
	# In echo mode a real origin is copied back: that is the lab's point.
	answer=$(printf 'GET /api/data HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n' |
		timeout 10 "$NETPOKE" send "$PORT")
	[[ "$answer" == *$'\r\nAccess-Control-Allow-Origin: http://evil.example\r\n'* ]]
	# The log escapes what came from the network: the C1 byte is shown, not sent to the terminal.
	grep -qF '/\x9bpwned' "$BATS_TEST_TMPDIR/server.out"
	run ! grep -q $'\x9b\|\033' "$BATS_TEST_TMPDIR/server.out"
	kill -0 "$server_PID"
	answered cors-lab "$PORT"
}

@test "every server started without --host listens on 127.0.0.1 only (ss -ltn)" {
	need_tool ss
	local kind pid rows
	start_server listen 0
	listen_PID=$server_PID
	start_bg forward "$BIN/forward" "0:$PORT"
	wait_for forward '^Waiting for clients'
	start_bg cors "$BIN/cors-lab" --page-port 0 --api-port 0
	wait_for cors '^Waiting for requests'
	start_bg fdinspect "$BIN/fdinspect" --hold 20
	wait_for fdinspect 'LISTEN'
	for kind in listen forward cors fdinspect; do
		pid=${kind}_PID
		pid=${!pid}
		rows=$(ss -Hltnp | grep "pid=$pid,")
		[ -n "$rows" ] || { echo "ss -ltnp shows no listening socket for $kind (pid $pid)"; false; }
		if printf '%s\n' "$rows" | awk '$4 !~ /^127\.0\.0\.1:[0-9]+$/ { bad = 1 } END { exit !bad }'; then
			echo "$kind listens beyond loopback:"
			printf '%s\n' "$rows"
			false
		fi
	done
}

@test "a terminal escape in any argument is shown escaped, never sent to the terminal raw" {
	local esc=$'\e]0;pwned\a\e[2J' cmd
	local -a words cmds=(
		"listen|$esc" "listen|--hold|$esc|0" "listen|--$esc" "listen|--host|$esc|0"
		"connect|$esc|80" "connect|127.0.0.1|$esc" "connect|-n|$esc|127.0.0.1|80"
		"connect|--hold|$esc|127.0.0.1|80" "connect|--$esc|127.0.0.1|80"
		"forward|$esc" "forward|--hold|$esc|0:80" "forward|1:$esc:80" "forward|--host|$esc|0:80"
		"forward|0:${esc}x:80" "cors-lab|--mode|$esc" "cors-lab|--allow|$esc"
		"cors-lab|--page-port|$esc" "cors-lab|$esc" "cors-lab|--hold|$esc"
		"fdinspect|-p|$esc" "fdinspect|-i|$esc" "fdinspect|-i|TCP:$esc" "fdinspect|$esc"
		"fdinspect|--hold|$esc" "talkers|--watch|$esc" "talkers|$esc"
	)
	for cmd in "${cmds[@]}"; do
		IFS='|' read -r -a words <<<"$cmd"
		run timeout 10 "$BIN/${words[0]}" "${words[@]:1}"
		[ "$status" -ne 0 ] || { echo "${cmd//$'\e'/ESC}: exit 0"; false; }
		if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' <<<"$output"; then
			echo "a raw control byte from ${cmd//$'\e'/ESC}:"
			cat -v <<<"$output"
			false
		fi
		[[ "$output" == *'\x1b'* ]] || { echo "no escaped ESC from ${cmd//$'\e'/ESC}: $output"; false; }
	done
}
