#!/usr/bin/env bats
# Lab 07: bin/forward, a relay checked byte for byte and against lsof.
# The "container's server" here is bin/listen, which greets each client with
# one line and then echoes every byte back.

load test_helper

# start_forward: bin/listen as the target, bin/forward in front of it; sets
# TARGET_PORT, FWD_PORT and forward_PID.
start_forward() {
	start_listen
	TARGET_PORT=$LISTEN_PORT
	start_bg forward "$BIN/forward" "0:$TARGET_PORT"
	wait_for forward '^Waiting for clients'
	FWD_PORT=$(output_of forward | sed -n 's/^Forwarding .*:\([0-9]*\) -> .*/\1/p')
	[ -n "$FWD_PORT" ]
}

# relay_file IN OUT: send IN through the forward with socat, which half-closes
# when IN ends; OUT gets everything that came back, minus listen's greeting line.
relay_file() {
	timeout 120 socat -t 60 -T 60 - "TCP:127.0.0.1:$FWD_PORT" <"$1" | tail -n +2 >"$2"
}

@test "forward --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/forward" --help
	[[ "$output" == *"usage: forward [--host ADDR] [--hold SECONDS] [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT"* ]]
	[[ "$output" == *"Example:        bin/forward 8080:8081"* ]]
	[[ "$output" == *"lsof -nP -a -p PID -iTCP"* ]]
}

@test "bad specs exit 2 with a message that shows the right shape" {
	local bad
	for bad in 8080 8080: :80 70000:80 8080:80:90:1 "" 8080:0; do
		run -2 "$BIN/forward" "$bad"
		[[ "${lines[0]}" == "forward: bad spec '$bad': "* ]] || { echo "for '$bad': $output"; false; }
		[[ "$output" == *"HOSTPORT:TARGETPORT"* || "$output" == *"ports are 16-bit: 0-65535"* ||
			"$output" == *"1-65535"* ]] || { echo "for '$bad': $output"; false; }
		[[ "${lines[-1]}" == "usage: forward "* ]]
	done
}

@test "both legs it logs equal lsof's rows for the forward process" {
	need_tool lsof
	start_forward
	exec {sock}<>"/dev/tcp/127.0.0.1/$FWD_PORT"
	wait_for forward '^  the server behind the forward sees '
	local cfd cname tfd tname
	read -r cfd cname < <(output_of forward | sed -n 's/^client leg: accept(fd 3) -> fd \([^ ]*\)  \([^ ]*\) (ESTABLISHED)$/\1 \2/p')
	read -r tfd tname < <(output_of forward | sed -n 's/^target leg: connect() -> fd \([^ ]*\)  \([^ ]*\) (ESTABLISHED)$/\1 \2/p')
	[[ "$cname" == "127.0.0.1:$FWD_PORT->127.0.0.1:"* ]]
	[[ "$tname" == "127.0.0.1:"*"->127.0.0.1:$TARGET_PORT" ]]
	run -0 lsof_row "$forward_PID" "${cfd%u}"
	[ "$output" = "$cfd IPv4 TCP $cname (ESTABLISHED)" ]
	run -0 lsof_row "$forward_PID" "${tfd%u}"
	[ "$output" = "$tfd IPv4 TCP $tname (ESTABLISHED)" ]
	# The server behind the forward sees the forwarder's port, not the client's.
	local ours=${tname%%->*}
	output_of listen | grep -qE "^accept\(fd 3\) -> fd [0-9]+u  127\.0\.0\.1:$TARGET_PORT->$ours \(ESTABLISHED\)$"
	exec {sock}>&-
}

@test "8 concurrent connections relay 64 MiB each way byte for byte" {
	need_tool socat
	start_forward
	local i pids=()
	for i in 1 2 3 4 5 6 7 8; do
		head -c 8M /dev/urandom >"$BATS_TEST_TMPDIR/in.$i"
		relay_file "$BATS_TEST_TMPDIR/in.$i" "$BATS_TEST_TMPDIR/out.$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	for i in 1 2 3 4 5 6 7 8; do
		[ "$(sha256sum <"$BATS_TEST_TMPDIR/in.$i")" = "$(sha256sum <"$BATS_TEST_TMPDIR/out.$i")" ] ||
			{ echo "connection $i: what came back differs from what was sent"; false; }
	done
	wait_for forward 'closed: both sides finished; 8388608 bytes client->target' 8
}

@test "half-close: a client that sends and shuts down its write side still gets the whole reply" {
	need_tool socat
	start_forward
	printf 'first line\nlast line, then EOF\n' >"$BATS_TEST_TMPDIR/in"
	relay_file "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	wait_for forward '^fd [0-9]+u\+[0-9]+u: closed: both sides finished; 31 bytes client->target'
}

@test "100 simultaneous connections are all forwarded and greeted" {
	start_forward
	run -0 timeout 60 "$BIN/connect" -n 100 --hold 0 127.0.0.1 "$FWD_PORT"
	[ "$(grep -c 'the server says: "Hello! I see you coming from 127.0.0.1:' <<<"$output")" -eq 100 ]
	wait_for forward '^target leg: ' 100
	wait_for listen '^accept\(fd 3\) -> fd ' 100
}

@test "a target that is down: the client is closed and the log says why; forward carries on" {
	local port
	port=$(free_port)
	start_bg forward "$BIN/forward" "0:$port"
	wait_for forward '^Waiting for clients'
	FWD_PORT=$(output_of forward | sed -n 's/^Forwarding .*:\([0-9]*\) -> .*/\1/p')
	exec {sock}<>"/dev/tcp/127.0.0.1/$FWD_PORT"
	local got=x
	IFS= read -r -t "$WAIT_SECONDS" got <&"$sock" || got=""
	exec {sock}>&-
	[ -z "$got" ]	# closed, with nothing said
	wait_for forward "nothing listening on 127\.0\.0\.1:$port \[ECONNREFUSED\]: is the container's server running\? Closed the client"
	kill -0 "$forward_PID"
	# A client that never reached the target was not forwarded.
	kill -TERM "$forward_PID"
	wait_exit "$forward_PID"
	output_of forward | tail -n 1 | grep -q 'Forwarded 0 connections;'
}

@test "a target that resets mid-stream: both legs are closed with the reason, and forward carries on" {
	need_tool socat
	start_forward
	head -c 64M /dev/zero >"$BATS_TEST_TMPDIR/in"
	relay_file "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out" &
	local client=$!
	wait_for forward '^target leg: '
	sleep 0.2
	# A killed process's sockets with unread data are reset by the kernel (RST).
	kill -KILL "$listen_PID"
	wait_for forward 'the target (reset the connection \[ECONNRESET\]|went away \[EPIPE\]); reset the client.s leg too \(SO_LINGER 0\)'
	wait "$client" || true
	kill -0 "$forward_PID"
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$FWD_PORT"
	wait_for forward 'nothing listening on .*ECONNREFUSED'
}

@test "a reset from the target reaches the client as a reset (RST), not as a normal close" {
	start_bg target "$PORTLAB_ROOT/build/netpoke" rst-server
	wait_for target '^listening [0-9]+$'
	local port
	port=$(output_of target | sed -n 's/^listening //p')
	start_bg forward "$BIN/forward" "0:$port"
	wait_for forward '^Waiting for clients'
	FWD_PORT=$(output_of forward | sed -n 's/^Forwarding .*:\([0-9]*\) -> .*/\1/p')
	# The client sends a line; the target reads it and resets.
	run -0 timeout "$WAIT_SECONDS" "$PORTLAB_ROOT/build/netpoke" ask "$FWD_PORT"
	[ "$output" = reset ] || { echo "the client saw: $output"; output_of forward; false; }
	wait_for forward '^fd [0-9]+u\+[0-9]+u: the target reset the connection \[ECONNRESET\]; reset the client.s leg too \(SO_LINGER 0\), so it knows the data may be cut short'
	kill -0 "$forward_PID"
}

@test "a target name with two addresses: each is tried in turn, and the log says which answered" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to give forward a hosts file of its own (unshare -m)"
	need_tool unshare
	start_listen	# on 127.0.0.1 only
	# The order Debian and Ubuntu ship: ::1 first, where nothing listens.
	printf '::1 localhost\n127.0.0.1 localhost\n' >"$BATS_TEST_TMPDIR/hosts"
	start_bg forward unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' \
		"$BATS_TEST_TMPDIR/hosts" "$BIN/forward" "0:localhost:$LISTEN_PORT"
	wait_for forward '^Waiting for clients'
	FWD_PORT=$(output_of forward | sed -n 's/^Forwarding .*:\([0-9]*\) -> .*/\1/p')
	output_of forward | grep -qxF "Target localhost has more than one address: [::1]:$LISTEN_PORT, 127.0.0.1:$LISTEN_PORT. Each connection tries them in that order."
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$FWD_PORT"
	[[ "$output" == *'the server says: "Hello! I see you coming from 127.0.0.1:'* ]]
	wait_for forward "^target leg: (nothing listening on|cannot reach) \[::1\]:$LISTEN_PORT \[E[A-Z]+\]; trying the next address, 127\.0\.0\.1:$LISTEN_PORT\$"
	wait_for forward "^target leg: connect\(\) -> fd [0-9]+u  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$LISTEN_PORT \(ESTABLISHED\)\$"
}

@test "a client that never reads does not stall the others" {
	need_tool socat
	start_forward
	# The stalled client sends a lot and reads nothing: the echo backs up.
	start_bg stalled bash -c "exec 9<>/dev/tcp/127.0.0.1/$FWD_PORT; head -c 32M /dev/zero >&9; sleep 60"
	wait_for forward '^target leg: '
	sleep 1
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	relay_file "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	kill -0 "$stalled_PID"	# still stuck, and no one else is
}

@test "a host port already in use exits 1 naming bind, EADDRINUSE, and the pid and command holding it" {
	start_listen
	run -1 "$BIN/forward" --hold 0 "$LISTEN_PORT:80"
	[[ "$output" == *"forward: bind 127.0.0.1 port $LISTEN_PORT: Address already in use [EADDRINUSE]. Port $LISTEN_PORT is held by pid $listen_PID (listen); try another port (or 0 to let the OS choose), or stop it. See it with: lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN"* ]]
}

@test "a privileged host port as an ordinary user exits 1 with EACCES and the live limit, as listen says it" {
	run_in_netns_as_nobody 2000 forward --hold 0 1500:80
	[ "$status" -eq 1 ]
	[[ "$output" == *"forward: bind 127.0.0.1 port 1500: Permission denied [EACCES]. Ports below 2000 are privileged here: only root may bind them. Try a port from 2000 up, such as 8080"* ]]
}

@test "SIGTERM ends it with a one-line summary of connections and bytes" {
	start_forward
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$FWD_PORT"
	wait_for forward 'closed: both sides finished'
	kill -TERM "$forward_PID"
	wait_exit "$forward_PID"
	output_of forward | tail -n 1 | grep -qE '^forward: stopped by SIGTERM\. Forwarded 1 connection; 0 bytes client->target, [0-9]+ bytes target->client\.$'
}

# ---- Japanese (issue 15): the prose in Japanese, lsof's notation as it is ----

# has_line NAME LINE: background program NAME's output holds LINE, whole.
has_line() {
	output_of "$1" | grep -Fxq -- "$2" || { printf 'no line "%s" in:\n' "$2" >&2; output_of "$1" >&2; false; }
}

@test "forward in Japanese: what it forwards, both legs and the summary; calls and lsof's lines as they are" {
	start_listen
	local T=$LISTEN_PORT
	start_bg forward "${JA[@]}" "$BIN/forward" "0:$T"
	wait_for forward '^クライアントを待っている。Ctrl-C で終了する。$'
	local F
	F=$(output_of forward | sed -n 's/^127\.0\.0\.1:\([0-9]*\) -> .* を転送している（PID [0-9]*）。$/\1/p')
	[ -n "$F" ]
	has_line forward "127.0.0.1:$F -> 127.0.0.1:$T を転送している（PID $forward_PID）。"
	has_line forward "docker run -p $F:$T と同じで、クライアントは 127.0.0.1:$F に接続し、forward はクライアントごとに 127.0.0.1:$T へ接続する。"
	has_line forward "横で試す：  lsof -nP -a -p $forward_PID -iTCP     （接続ごとに2本とも見える）"
	has_line forward "            lsof -nP -iTCP:$T            （転送先の側）"
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$F"
	wait_for forward '両側とも送り終えたので閉じた'
	output_of forward | grep -qE "^client leg: accept\(fd 3\) -> fd 4u  127\.0\.0\.1:$F->127\.0\.0\.1:[0-9]+ \(ESTABLISHED\)$"
	output_of forward | grep -qE "^target leg: connect\(\) -> fd 5u  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$T \(ESTABLISHED\)$"
	output_of forward | grep -qE "^  転送先のサーバーから見える相手は 127\.0\.0\.1:[0-9]+（forward 自身が、自分のエフェメラルポートから接続している）で、クライアントの 127\.0\.0\.1:[0-9]+ ではない$"
	output_of forward | grep -qE "^fd 4u\+5u: 両側とも送り終えたので閉じた。client->target 0 バイト、target->client [0-9]+ バイト$"
	kill -TERM "$forward_PID"
	wait_exit "$forward_PID"
	output_of forward | tail -n 1 | grep -qE '^forward: SIGTERM で終了した。転送した接続は 1 本、client->target 0 バイト、target->client [0-9]+ バイト。$'
}

@test "forward says the same in lsof's notation in both languages: both legs, the commands" {
	start_listen
	local T=$LISTEN_PORT F lang words
	F=$(free_port)
	[ -n "$F" ]
	# The same command twice on the same ports: English, then Japanese.
	for lang in en jp; do
		if [ "$lang" = en ]; then
			start_bg "$lang" "$BIN/forward" "$F:$T"
		else
			start_bg "$lang" "${JA[@]}" "$BIN/forward" "$F:$T"
		fi
		wait_for "$lang" 'Ctrl-C'
		run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$F"
		wait_for "$lang" '^fd 4u\+5u: '
		local pid_var=${lang}_PID
		kill -TERM "${!pid_var}"
		wait_exit "${!pid_var}"
		# The pid, the client's port and the forward's own port to the target are new each run.
		words="${!pid_var} $(output_of "$lang" | sed -n \
			-e 's/^client leg: accept(fd 3) -> fd 4u  [0-9.]*:[0-9]*->127\.0\.0\.1:\([0-9]*\) .*/\1/p' \
			-e 's/^target leg: connect() -> fd 5u  127\.0\.0\.1:\([0-9]*\)->.*/\1/p')"
		[ "$(wc -w <<<"$words")" -eq 3 ] || { echo "$lang: pid and ports: $words"; false; }
		# shellcheck disable=SC2086
		notation "$BATS_TEST_TMPDIR/$lang.out" $words >"$BATS_TEST_TMPDIR/$lang.lsof"
	done
	grep -qxF "client leg: accept(fd 3) -> fd 4u  127.0.0.1:$F->127.0.0.1:X (ESTABLISHED)" "$BATS_TEST_TMPDIR/jp.lsof"
	grep -qxF "target leg: connect() -> fd 5u  127.0.0.1:X->127.0.0.1:$T (ESTABLISHED)" "$BATS_TEST_TMPDIR/jp.lsof"
	grep -qxF "lsof -nP -iTCP:$T" "$BATS_TEST_TMPDIR/jp.lsof"
	diff -u "$BATS_TEST_TMPDIR/en.lsof" "$BATS_TEST_TMPDIR/jp.lsof"
}

@test "forward's errors in Japanese: a target that is down, a bad spec, --help; usage and errno names as they are" {
	local port
	port=$(free_port)
	start_bg forward "${JA[@]}" "$BIN/forward" "0:$port"
	wait_for forward 'Ctrl-C'
	local F
	F=$(output_of forward | sed -n 's/^127\.0\.0\.1:\([0-9]*\) -> .*/\1/p')
	# The forward accepts the client, then closes it: connect itself succeeds.
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$F"
	wait_for forward 'ECONNREFUSED'
	has_line forward "fd 4u+-: 127.0.0.1:$port では何も待ち受けていない [ECONNREFUSED]。コンテナの中のサーバーは動いているか？ クライアントとの接続は閉じた。client->target 0 バイト、target->client 0 バイト"
	run -2 ja "$BIN/forward" 8080
	[ "${lines[0]}" = "forward: 転送の指定 '8080' に誤りがある。ポートだけでは足りない。docker の -p と同じく、HOSTPORT:TARGETPORT（8080:80）、HOSTIP:HOSTPORT:TARGETPORT、HOSTPORT:TARGETHOST:TARGETPORT のどれかの形で書く" ]
	[ "${lines[1]}" = "usage: forward [--host ADDR] [--hold SECONDS] [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT" ]
	run -2 ja "$BIN/forward" 8080:0
	[ "${lines[0]}" = "forward: 転送の指定 '8080:0' に誤りがある。転送先のポートを 0 にはできない。転送先は実際に動いているサーバーのポートで、1-65535 のどれかだ" ]
	run -0 ja "$BIN/forward" --help
	[ "${lines[0]}" = "usage: forward [--host ADDR] [--hold SECONDS] [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT" ]
	[ "${lines[1]}" = "docker run -p 8080:80 と同じように、HOSTPORT で待ち受けて、来た接続を" ]
	[[ "$output" == *$'\n例：            bin/forward 8080:8081     （bin/listen 8081 を「コンテナ」に見立てる）\n横で試す：      lsof -nP -a -p PID -iTCP  （PID は forward が表示する）' ]]
}
