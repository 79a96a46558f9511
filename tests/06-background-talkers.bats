#!/usr/bin/env bats
# Lab 06: bin/talkers, checked against ss and lsof.

load test_helper

@test "talkers --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/talkers" --help
	[[ "$output" == *"usage: talkers [--watch SECONDS]"* ]]
	[[ "$output" == *"Example:        bin/talkers --watch 60"* ]]
	[[ "$output" == *"lsof -nP -i"* ]]
	run -2 "$BIN/talkers" --watch 0
	[[ "${lines[0]}" == "talkers: bad --watch '0': give whole seconds from 1 to 86400, like --watch 60" ]]
	run -2 "$BIN/talkers" now
	[[ "${lines[0]}" == "talkers: unexpected argument 'now'" ]]
}

@test "a listen and connect pair is listed under the right pids and ports, as ss and lsof see it" {
	need_tool ss
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	local cport
	cport=$(output_of client | sed -n 's/^  lsof: FD 3u .* NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p')
	run -0 "$BIN/talkers"
	# Grouped by process, in lsof's notation, with what each port is.
	[[ "$output" == *"listen (pid $listen_PID)"$'\n'"  3u    TCP  127.0.0.1:$LISTEN_PORT "*"LISTEN"$'\n'"  4u    TCP  127.0.0.1:$LISTEN_PORT->127.0.0.1:$cport "*"ESTABLISHED   (local :$LISTEN_PORT is our server port)"* ]]
	[[ "$output" == *"connect (pid $client_PID)"$'\n'"  3u    TCP  127.0.0.1:$cport->127.0.0.1:$LISTEN_PORT "*"ESTABLISHED   (local :$cport is ephemeral)"* ]]
	# ss agrees on the owner of each end.
	ss -tanpH "sport = :$cport" | grep -q "users:((\"connect\",pid=$client_PID,fd=3))"
	ss -tanpH "sport = :$LISTEN_PORT" | grep -q "users:((\"listen\",pid=$listen_PID,fd=4))"
	# lsof agrees on fd and NAME.
	lsof -nP -a -p "$client_PID" -i | grep -qE " 3u +IPv4 .* TCP 127\.0\.0\.1:$cport->127\.0\.0\.1:$LISTEN_PORT \(ESTABLISHED\)$"
}

@test "--watch reports a connection opened and closed while it watches, with the time" {
	start_listen
	start_bg watcher "$BIN/talkers" --watch 30
	wait_for watcher '^Watching for connections'
	# Hold it for 2 s: longer than the 0.5 s between looks.
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 2 127.0.0.1 "$LISTEN_PORT"
	wait_for watcher "^- [0-9]{2}:[0-9]{2}:[0-9]{2}  connect +[0-9]+  3u +TCP  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$LISTEN_PORT .*closed$"
	output_of watcher | grep -qE "^\+ [0-9]{2}:[0-9]{2}:[0-9]{2}  connect +[0-9]+  3u +TCP  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$LISTEN_PORT .*ESTABLISHED.*opened$"
	output_of watcher | grep -qE "^\+ .*  listen +$listen_PID  4u +TCP  127\.0\.0\.1:$LISTEN_PORT->.*opened$"
}

@test "the summary counts processes and sockets and names the background-talker lesson" {
	start_listen
	run -0 "$BIN/talkers"
	[[ "$output" =~ [0-9]+\ process(es)?\ with\ [0-9]+\ sockets?:\ [0-9]+\ listening\ for\ connections ]]
	[[ "$output" == *"like macOS's Notes keeping a connection to iCloud (:443) open to sync."* ]]
}

@test "as another user, talkers counts the processes it cannot read and says sudo shows them; as root it never suggests sudo" {
	start_listen	# root's, so invisible to nobody
	run -0 $(as_nobody talkers)
	[[ "$output" =~ [0-9]+\ process(es)?\ could\ not\ be\ read:\ (they\ belong\ to\ other\ users|it\ belongs\ to\ another\ user)\.\ lsof\ -i\ leaves\ them\ out\ without\ a\ word\;\ sudo\ bin/talkers\ shows\ them\. ]]
	[[ "$output" != *":$LISTEN_PORT "* ]]
	run -0 "$BIN/talkers"
	[[ "$output" != *"sudo"* ]]
	[[ "$output" == *":$LISTEN_PORT"* ]]
}

@test "UDP sockets that neither listen nor connect are counted as such in the summary" {
	need_tool socat
	start_bg udp socat -u UDP4-RECV:0,bind=127.0.0.1 /dev/null
	local deadline=$((SECONDS + WAIT_SECONDS))
	until ss -Huanp | grep -q "pid=$udp_PID,"; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "socat's UDP socket never appeared"; false; }
		sleep 0.05
	done
	run -0 "$BIN/talkers"
	[[ "$output" =~ connected\ to\ another\ end,\ [0-9]+\ neither\ \(UDP,\ not\ connected\)\. ]]
}

@test "a server that forks per client: the child's end is called a server port, since its parent listens there" {
	need_tool socat
	start_bg server socat TCP-LISTEN:0,fork,bind=127.0.0.1 EXEC:cat
	local port="" deadline=$((SECONDS + WAIT_SECONDS))
	until [ -n "$port" ]; do
		port=$(ss -Hltnp 2>/dev/null | awk -v pid="pid=$server_PID," 'index($0, pid) { sub(/.*:/, "", $4); print $4 }')
		[ "$SECONDS" -lt "$deadline" ] || { echo "socat never listened"; false; }
		[ -n "$port" ] || sleep 0.1
	done
	exec {sock}<>"/dev/tcp/127.0.0.1/$port"
	local child="" line
	until [ -n "$child" ]; do
		child=$(ss -Htnp state established "( sport = :$port )" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1)
		[ "$SECONDS" -lt "$deadline" ] || { echo "socat never forked a child"; false; }
		[ -n "$child" ] || sleep 0.1
	done
	run -0 "$BIN/talkers"
	line=$(grep -A1 "^socat (pid $child)" <<<"$output" | tail -n 1)
	[[ "$line" == *"127.0.0.1:$port->127.0.0.1:"*"ESTABLISHED   (local :$port is a server port; another process listens on it)" ]] ||
		{ echo "child's row: $line"; echo "$output"; false; }
	exec {sock}>&-
}
