#!/usr/bin/env bats
# Lab 02: bin/listen, checked against the real lsof and ss.

load test_helper

@test "listen --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/listen" --help
	[[ "$output" == *"usage: listen [--host ADDR] [--backlog N] [--hold SECONDS] PORT"* ]]
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
