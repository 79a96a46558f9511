#!/usr/bin/env bats
# Lab 07's "container": scripts/container builds a network namespace with
# bin/listen on *:80 inside and bin/forward on the host, like docker run -p,
# checked against the real lsof, ip and a real connection.

load test_helper

CONTAINER=$PORTLAB_ROOT/scripts/container

# Our own namespace, /30 and host port, so a student's demo can run beside us.
setup() {
	local n=$((($$ * 32 + BATS_TEST_NUMBER) % 16384))
	export PORTLAB_NETNS="portlab-test-$$-$BATS_TEST_NUMBER"
	export PORTLAB_HOST_IP="10.244.$((n / 64)).$((n % 64 * 4 + 1))"
	export PORTLAB_CONTAINER_IP="10.244.$((n / 64)).$((n % 64 * 4 + 2))"
	PORTLAB_HOST_PORT=$(free_port)
	export PORTLAB_HOST_PORT
}

# The helper's teardown stops the pids a test started; ours first takes the
# container down, so a failed test leaves no namespace, veth or process behind.
eval "helper_$(declare -f teardown)"
teardown() {
	if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null 2>&1; then
		timeout 30 "$CONTAINER" down >/dev/null 2>&1 || true
	fi
	helper_teardown
}

# need_netns: skip unless we are root and can make a network namespace (tried
# with a throwaway one); in CI, as root with ip installed, fail instead.
need_netns() {
	local why err probe="portlab-probe-$$-$BATS_TEST_NUMBER"
	if [ "$(uname -s)" != Linux ]; then
		why="network namespaces need Linux"
	elif [ "$(id -u)" -ne 0 ]; then
		why="making a network namespace needs root (running as $(id -un))"
	elif ! command -v ip >/dev/null 2>&1; then
		why="the ip command (iproute2) is not installed"
	elif ! err=$(ip netns add "$probe" 2>&1); then
		why="ip netns add fails here: $err"
	else
		ip netns del "$probe"
		need_tool lsof
		return 0
	fi
	if [ -n "${CI:-}" ] && [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null 2>&1; then
		echo "$why; CI runs as root with ip installed, so this test must run there" >&2
		return 1
	fi
	skip "$why"
}

# container_up: run up (bounded); sets UP_OUTPUT, LISTEN_PID and FORWARD_PID
# from the pids it printed.
container_up() {
	run timeout 60 "$CONTAINER" up
	[ "$status" -eq 0 ] || { echo "container up exited $status:"; echo "$output"; false; }
	UP_OUTPUT=$output
	LISTEN_PID=$(sed -n 's/^  container: bin\/listen .* pid \([0-9][0-9]*\) .*/\1/p' <<<"$output")
	FORWARD_PID=$(sed -n 's/^  host: *bin\/forward .* pid \([0-9][0-9]*\) .*/\1/p' <<<"$output")
	[ -n "$LISTEN_PID" ] && [ -n "$FORWARD_PID" ] || { echo "$output"; false; }
}

netns_listed() {
	ip netns list | awk '{ print $1 }' | grep -qxF -- "$PORTLAB_NETNS"
}

@test "container --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$CONTAINER" --help
	[[ "${lines[0]}" == "usage: container [-h] up|down|status" ]]
	[[ "$output" == *"Example:        sudo scripts/container up"* ]]
	[[ "$output" == *"Try beside it:  sudo lsof -nP -iTCP:$PORTLAB_HOST_PORT "*"sudo ip netns exec $PORTLAB_NETNS lsof -nP -iTCP"* ]]
}

@test "an unknown subcommand exits 2 with a one-line error and the usage line" {
	run -2 "$CONTAINER" frobnicate
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "container: unknown subcommand 'frobnicate'" ]
	[ "${lines[1]}" = "usage: container [-h] up|down|status" ]
}

@test "no subcommand, an extra argument, an unknown option or a bad setting exit 2" {
	run -2 "$CONTAINER"
	[[ "$output" == "container: which one: up, down or status?"*"usage: container"* ]]
	run -2 "$CONTAINER" up now
	[[ "${lines[0]}" == "container: 'up' takes no arguments"* ]]
	run -2 "$CONTAINER" --frobnicate
	[ "${lines[0]}" = "container: unknown option '--frobnicate'" ]
	PORTLAB_HOST_PORT=70000 run -2 "$CONTAINER" up
	[[ "${lines[0]}" == "container: bad PORTLAB_HOST_PORT '70000': a port is 1-65535" ]]
	# Only private addresses: the veth must never carry a real network's address.
	PORTLAB_HOST_IP=192.0.2.1 PORTLAB_CONTAINER_IP=192.0.2.2 run -2 "$CONTAINER" up
	[[ "${lines[0]}" == *"must be private"* ]]
	PORTLAB_HOST_IP=10.244.0.1 PORTLAB_CONTAINER_IP=10.244.0.6 run -2 "$CONTAINER" up
	[[ "${lines[0]}" == *"one /30"* ]]
}

@test "an ordinary user is told it cannot run here, with the same lesson on one machine, and exit 1" {
	[ "$(uname -s)" = Linux ] || skip "checks the Linux message"
	local cmd=("$CONTAINER")
	if [ "$(id -u)" -eq 0 ]; then
		need_tool setpriv
		# A world-readable copy: the checkout may not be readable by nobody.
		local dir
		dir=$(mktemp -d /tmp/portlab-test.XXXXXX)
		echo "$dir" >>"$BATS_TEST_TMPDIR/dirs"
		mkdir "$dir/scripts"
		cp "$CONTAINER" "$dir/scripts/"
		chmod 755 "$dir" "$dir/scripts" "$dir/scripts/container"
		cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups "$dir/scripts/container")
	fi
	run -1 "${cmd[@]}" up
	[[ "${lines[0]}" == "container: cannot run here: making a network namespace needs root (you are "*"); try: sudo "*" up." ]]
	[[ "$output" == *"bin/listen 8081"*"bin/forward 8080:8081"*"bin/connect 127.0.0.1 8080"* ]]
}

@test "up puts forward on the host's 127.0.0.1:PORT and listen on *:80 inside the namespace only" {
	need_netns
	container_up
	netns_listed
	# The host's view: forward, on loopback only.
	run -0 lsof -nP -iTCP:"$PORTLAB_HOST_PORT" -sTCP:LISTEN
	[ "${#lines[@]}" -eq 2 ]
	read -r cmd pid _ _ type _ _ node name state <<<"${lines[1]}"
	[ "$cmd $pid $type $node $name $state" = "forward $FORWARD_PID IPv4 TCP 127.0.0.1:$PORTLAB_HOST_PORT (LISTEN)" ]
	# The container's view: listen, on the wildcard, as nginx in a container.
	run -0 ip netns exec "$PORTLAB_NETNS" lsof -nP -iTCP:80 -sTCP:LISTEN
	[ "${#lines[@]}" -eq 2 ]
	read -r cmd pid _ _ type _ _ node name state <<<"${lines[1]}"
	[ "$cmd $pid $type $node $name $state" = "listen $LISTEN_PID IPv4 TCP *:80 (LISTEN)" ]
	# The host's lsof cannot read the container's port table: no TCP row for listen.
	run -1 lsof -nP -a -p "$LISTEN_PID" -iTCP
	[ -z "$output" ]
	# And up told the student what to run on each side.
	[[ "$UP_OUTPUT" == *"lsof -nP -iTCP:$PORTLAB_HOST_PORT"* ]]
	[[ "$UP_OUTPUT" == *"ip netns exec $PORTLAB_NETNS lsof -nP -iTCP"* ]]
	[[ "$UP_OUTPUT" == *"curl http://localhost:$PORTLAB_HOST_PORT"*"curl http://localhost:80"* ]]
}

@test "a client of the host's 127.0.0.1:PORT is greeted by listen, which sees the veth's host side, not 127.0.0.1" {
	need_netns
	container_up
	local greeting
	exec {sock}<>"/dev/tcp/127.0.0.1/$PORTLAB_HOST_PORT"
	IFS= read -r -t "$WAIT_SECONDS" greeting <&"$sock" || true
	# While the connection is open, the container's side shows it coming from the veth.
	run -0 ip netns exec "$PORTLAB_NETNS" lsof -nP -a -p "$LISTEN_PID" -iTCP -sTCP:ESTABLISHED
	exec {sock}>&-
	[[ "$greeting" == "Hello! I see you coming from $PORTLAB_HOST_IP:"* ]] || { echo "greeting: $greeting"; false; }
	[[ "$greeting" != *"127.0.0.1"* ]]
	[[ "${lines[1]}" == *" $PORTLAB_CONTAINER_IP:80->$PORTLAB_HOST_IP:"*" (ESTABLISHED)" ]]
	# up's own demonstration said the same.
	[[ "$UP_OUTPUT" == *"coming from $PORTLAB_HOST_IP:"*"The server sees $PORTLAB_HOST_IP"* ]]
}

@test "the host's 127.0.0.1:80 does not reach the container's server, while inside it does" {
	need_netns
	container_up
	local reply
	# Refused, unless the host runs a port-80 server of its own; either way not listen's greeting.
	reply=$(timeout 5 bash -c 'exec {s}<>/dev/tcp/127.0.0.1/80 && IFS= read -r -t 3 line <&"$s"; echo "${line:-}"' 2>&1) || true
	[[ "$reply" != *"Hello! I see you coming from"* ]] || { echo "host:80 said: $reply"; false; }
	if ! ss -Hltn 'sport = :80' | grep -q .; then
		[[ "$reply" == *"Connection refused"* ]]
		[[ "$UP_OUTPUT" == *"refused: nothing on the host listens on port 80"* ]]
	fi
	# Inside, localhost:80 is listen: the container's localhost is its own.
	run -0 ip netns exec "$PORTLAB_NETNS" timeout 5 bash -c \
		'exec {s}<>/dev/tcp/127.0.0.1/80 && IFS= read -r -t 3 line <&"$s" && echo "$line"'
	[[ "$output" == "Hello! I see you coming from 127.0.0.1:"* ]]
}

@test "down stops exactly what up started and removes the namespace; twice is fine" {
	need_netns
	container_up
	run -0 timeout 30 "$CONTAINER" down
	[[ "$output" == *"stopped forward (pid $FORWARD_PID)"* ]]
	[[ "$output" == *"stopped listen (pid $LISTEN_PID): listen: stopped by SIGTERM."* ]]
	run ! netns_listed
	run ! kill -0 "$LISTEN_PID"
	run ! kill -0 "$FORWARD_PID"
	# The veth went with it: no interface holds the host side's address.
	[ -z "$(ip -4 -o addr show to "$PORTLAB_HOST_IP/32")" ]
	[ ! -e "/run/portlab-container/$PORTLAB_NETNS" ]
	run -0 timeout 30 "$CONTAINER" down
	[ "$output" = "container: nothing to stop: namespace $PORTLAB_NETNS is not up." ]
}

@test "up while already up exits 1 and leaves the running container alone" {
	need_netns
	container_up
	run -1 timeout 60 "$CONTAINER" up
	[[ "$output" == "container: already up"* ]]
	kill -0 "$LISTEN_PID"
	kill -0 "$FORWARD_PID"
	netns_listed
	run -0 "$CONTAINER" status
	[[ "$output" == *"listen: running as pid $LISTEN_PID: Listening on *:80"* ]]
	[[ "$output" == *"forward: running as pid $FORWARD_PID: Forwarding 127.0.0.1:$PORTLAB_HOST_PORT -> $PORTLAB_CONTAINER_IP:80"* ]]
}

@test "a host port already in use makes up exit 1 with a hint, leaving no namespace behind" {
	need_netns
	start_listen
	PORTLAB_HOST_PORT=$LISTEN_PORT run -1 timeout 60 "$CONTAINER" up
	[[ "$output" == *"[EADDRINUSE]"* ]]
	[[ "$output" == *"is port $LISTEN_PORT taken? choose another with PORTLAB_HOST_PORT="* ]]
	[[ "$output" == *"up did not finish; it stopped what it had started and removed namespace $PORTLAB_NETNS."* ]]
	run ! netns_listed
	[ ! -e "/run/portlab-container/$PORTLAB_NETNS" ]
}

@test "up, status and down work from a Japanese shell: the script reads its programs' logs in English" {
	need_netns
	run -0 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 timeout 60 "$CONTAINER" up
	[[ "$output" == *"bin/listen"*" pid "* ]] || { echo "$output"; false; }
	run -0 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 timeout 30 "$CONTAINER" status
	[[ "$output" == *"listen: running as pid "*": Listening on "* ]] || { echo "$output"; false; }
	run -0 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 timeout 30 "$CONTAINER" down
	run ! netns_listed
}
