#!/usr/bin/env bats
# Lab 07 with real Docker: scripts/docker-lab builds the local image, runs
# bin/listen with -p, and shows both lsof views and three clients. Checked
# against the real lsof on the host, docker exec ... lsof inside, what the
# server inside really logged, and ip/iptables after down.
#
# The image is built and the lab brought up once, in setup_file; the tests
# then look at it in order, and the last ones take it down (and up again in
# Japanese). Everything uses our own names, /30 and Docker-chosen ports, so a
# teacher's demo can run beside us.

load test_helper

LAB=$PORTLAB_ROOT/scripts/docker-lab

# docker_unavailable: why this machine cannot run docker-lab up; nothing if it can.
docker_unavailable() {
	if [ "$(uname -s)" != Linux ]; then
		echo "docker-lab up needs Linux"
	elif [ "$(id -u)" -ne 0 ]; then
		echo "docker-lab up needs root (running as $(id -un))"
	elif ! command -v docker >/dev/null 2>&1; then
		echo "docker is not installed"
	elif ! command -v ip >/dev/null 2>&1 || ! command -v lsof >/dev/null 2>&1 || ! command -v iptables-save >/dev/null 2>&1; then
		echo "ip, lsof or iptables-save is missing"
	elif ! timeout 20 docker info >/dev/null 2>&1; then
		echo "no Docker engine answers (start dockerd)"
	fi
}

# rules: the IPv4 NAT and filter rules, without their packet counters.
rules() {
	iptables-save | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
}

# The lab is brought up twice, side by side: in English (the one most tests
# look at) and in Japanese (the one the last test compares with it). Japanese
# starts once English has built the image, which it then reuses.
setup_file() {
	local n=$(($$ % 16384)) why en_pid ja_pid deadline=$((SECONDS + 90))
	export PORTLAB_DOCKER_NAME="portlab-test-$$"
	export PORTLAB_IMAGE="portlab/lab-test-$$"
	export PORTLAB_HOST_PORT=0 PORTLAB_TRAP_PORT=0 PORTLAB_NGINX=no
	export PORTLAB_OTHER_NET="10.245.$((n / 64)).$((n % 64 * 4))"
	export VETH_HOST_IP="10.245.$((n / 64)).$((n % 64 * 4 + 1))"
	export OTHER_IP="10.245.$((n / 64)).$((n % 64 * 4 + 2))"
	export WEB=$PORTLAB_DOCKER_NAME-web TRAP=$PORTLAB_DOCKER_NAME-trap NETNS=$PORTLAB_DOCKER_NAME-client
	export JA_NAME="portlab-testja-$$" JA_NET="10.246.$((n / 64)).$((n % 64 * 4))"
	why=$(docker_unavailable)
	echo "$why" >"$BATS_FILE_TMPDIR/no-docker"
	[ -z "$why" ] || return 0
	rules >"$BATS_FILE_TMPDIR/rules.before"
	"$LAB" status >"$BATS_FILE_TMPDIR/status.before" 2>&1 || true
	(close_extra_fds; timeout 90 "$LAB" up; echo $? >"$BATS_FILE_TMPDIR/up.rc") >"$BATS_FILE_TMPDIR/up.out" 2>&1 </dev/null &
	en_pid=$!
	until grep -q '^The containers' "$BATS_FILE_TMPDIR/up.out" 2>/dev/null || ! kill -0 "$en_pid" 2>/dev/null ||
		[ "$SECONDS" -ge "$deadline" ]; do
		sleep 0.1
	done
	(close_extra_fds; PORTLAB_DOCKER_NAME=$JA_NAME PORTLAB_OTHER_NET=$JA_NET timeout 90 "${JA[@]}" "$LAB" up
		echo $? >"$BATS_FILE_TMPDIR/up.ja.rc") >"$BATS_FILE_TMPDIR/up.ja" 2>&1 </dev/null &
	ja_pid=$!
	wait "$en_pid" "$ja_pid" || true
}

teardown_file() {
	[ -z "$(cat "$BATS_FILE_TMPDIR/no-docker")" ] || return 0
	timeout 60 "$LAB" down >/dev/null 2>&1 || true
	PORTLAB_DOCKER_NAME=$JA_NAME PORTLAB_OTHER_NET=$JA_NET timeout 60 "$LAB" down >/dev/null 2>&1 || true
	docker rmi "$PORTLAB_IMAGE" >/dev/null 2>&1 || true
}

# need_docker: skip with the reason when docker-lab cannot run here; in CI,
# where .ci/run installs docker.io and starts dockerd, fail instead.
need_docker() {
	local why
	why=$(cat "$BATS_FILE_TMPDIR/no-docker")
	[ -n "$why" ] || return 0
	if [ -n "${CI:-}" ]; then
		echo "$why; CI must run this test (.ci/run installs docker.io and starts dockerd)" >&2
		return 1
	fi
	skip "$why"
}

# up_output: what up printed in setup_file; fails unless up succeeded.
up_output() {
	cat "$BATS_FILE_TMPDIR/up.out"
	[ "$(cat "$BATS_FILE_TMPDIR/up.rc")" = 0 ] || { echo "up failed (exit $(cat "$BATS_FILE_TMPDIR/up.rc"))"; return 1; }
}

# web_port: the host port Docker chose for the web container, as up reported it.
web_port() {
	sed -n 's/^  -> host port \([0-9]*\) (.*-web) and .*/\1/p' "$BATS_FILE_TMPDIR/up.out"
}

trap_port() {
	sed -n 's/^  -> host port [0-9]* (.*-web) and \([0-9]*\) (.*-trap).*/\1/p' "$BATS_FILE_TMPDIR/up.out"
}

# accepts NAME: the accept() lines the server in container NAME has logged.
accepts() {
	docker logs "$1" 2>&1 | grep '^accept(' || true
}

# no_docker_path: a PATH holding the commands docker-lab needs to say that
# Docker is missing, and no docker or dockerd.
no_docker_path() {
	local dir=$BATS_TEST_TMPDIR/nodocker cmd
	mkdir -p "$dir"
	for cmd in env bash dirname uname id cat cksum sed awk grep tr cut sort head tail timeout; do
		ln -s "$(command -v "$cmd")" "$dir/$cmd"
	done
	echo "$dir"
}

@test "docker-lab --help exits 0 and names up, down, status and the commands to try" {
	unset PORTLAB_HOST_PORT
	run -0 "$LAB" --help
	[[ "$output" == *"usage: docker-lab [-h] up|down|status"* ]]
	[[ "$output" == *"sudo lsof -nP -iTCP:8080"* ]]
	[[ "$output" == *"docker exec -it ID lsof -nP -i"* ]]
	run -0 ja "$LAB" --help
	[ "${lines[0]}" = "usage: docker-lab [-h] up|down|status" ]	# usage lines stay as they are
	[[ "$output" == *"本物の Docker で docker run -p 8080:80 を見る。"* ]]
	[[ "$output" == *"docker exec -it ID lsof -nP -i"* ]]
}

@test "docker-lab with a bad subcommand or setting exits 2 with the usage line" {
	run -2 "$LAB" sideways
	[[ "$output" == *"unknown subcommand 'sideways'"* ]]
	[[ "$output" == *"usage: docker-lab"* ]]
	PORTLAB_HOST_PORT=99999 run -2 "$LAB" status
	[[ "$output" == *"bad PORTLAB_HOST_PORT '99999'"* ]]
	PORTLAB_OTHER_NET=192.168.1.0 run -2 "$LAB" up
	[[ "$output" == *"bad PORTLAB_OTHER_NET"* ]]
	run -2 "$LAB" up now
	run -2 ja "$LAB"
	[[ "$output" == *"docker-lab: どれにするか: up、down、status"*"usage: docker-lab"* ]]
}

@test "without docker on PATH it exits 1 and says what to install, and where the namespace demo is" {
	local path
	path=$(no_docker_path)
	PATH=$path run -1 "$LAB" status
	[[ "$output" == *"docker-lab: cannot use Docker here: the docker command is not installed."* ]]
	[[ "$output" == *"sudo apt-get install docker.io"* ]]
	[[ "$output" == *"start dockerd"* ]]
	[[ "$output" == *"Docker Desktop"* ]]
	[[ "$output" == *"com.docke"* ]]
	[[ "$output" == *"Apple's Virtualization framework or QEMU"* ]]
	[[ "$output" == *"sudo scripts/container up"* ]]
	PATH=$path run -1 ja "$LAB" status
	[[ "$output" == *"ここでは Docker を使えない: docker コマンドが入っていない。"* ]]
	[[ "$output" == *"sudo apt-get install docker.io"* ]]
	[[ "$output" == *"sudo scripts/container up"* ]]
}

@test "with the engine unreachable (DOCKER_HOST on a dead socket) it exits 1 and says to start dockerd" {
	need_tool docker
	DOCKER_HOST=unix://$BATS_TEST_TMPDIR/dead.sock run -1 "$LAB" status
	[[ "$output" == *"the Docker engine is not running at unix://$BATS_TEST_TMPDIR/dead.sock"* ]]
	[[ "$output" == *"then start dockerd"* ]]
	DOCKER_HOST=unix://$BATS_TEST_TMPDIR/dead.sock run -1 ja "$LAB" up
	[[ "$output" == *"Docker エンジンが動いていない"* ]]
}

@test "status before up says it is not up" {
	need_docker
	grep -q "^docker-lab: not up. Start it with: sudo .*docker-lab up$" "$BATS_FILE_TMPDIR/status.before" ||
		{ cat "$BATS_FILE_TMPDIR/status.before"; false; }
}

@test "up builds the image from this checkout and publishes the host port Docker chose" {
	need_docker
	local port
	up_output
	grep -q "^Building the image $PORTLAB_IMAGE from this checkout (no registry needed):" "$BATS_FILE_TMPDIR/up.out"
	port=$(web_port)
	[ -n "$port" ] && [ "$port" -gt 0 ] || { echo "no host port reported"; false; }
	run -0 docker port "$WEB" 80/tcp
	[[ "$output" == *"0.0.0.0:$port"* ]]
	# The image holds our programs and lsof, labelled with their checksum.
	run -0 docker image inspect --format '{{ index .Config.Labels "portlab.files" }}' "$PORTLAB_IMAGE"
	[[ "$output" =~ ^[0-9a-f]{16}$ ]]
}

@test "the host's view: lsof shows docker-proxy (docker-pr) on *:PORT, the rows up printed" {
	need_docker
	local port row
	up_output >/dev/null
	port=$(web_port)
	run -0 lsof -nP -iTCP:"$port" -sTCP:LISTEN
	[ "$(grep -cE "^docker-pr +[0-9]+ root +[0-9]+u +IPv[46] .* TCP \*:$port \(LISTEN\)$" <<<"$output")" -ge 1 ] ||
		{ echo "no docker-pr row on *:$port"; false; }
	grep -qF "  host\$ sudo lsof -nP -iTCP:$port" "$BATS_FILE_TMPDIR/up.out"
	while read -r row; do
		grep -qF -- "$row" "$BATS_FILE_TMPDIR/up.out" || { echo "up did not print lsof's row: $row"; false; }
	done <<<"$output"
	grep -qE "^  host side +localhost:$port +held by docker-proxy" "$BATS_FILE_TMPDIR/up.out"
}

@test "the container's view: docker exec lsof shows listen as pid 1 on *:80, as up printed" {
	need_docker
	local id row
	up_output >/dev/null
	id=$(docker inspect -f '{{.Id}}' "$WEB" | cut -c1-12)
	run -0 docker exec "$WEB" lsof -nP -i
	row=$(awk '$1 == "listen" && $2 == 1 && $4 == "3u" && $5 == "IPv4" && $9 == "*:80" && $10 == "(LISTEN)"' <<<"$output")
	[ -n "$row" ] || { echo "no 'listen 1 root 3u IPv4 ... *:80 (LISTEN)' row"; false; }
	grep -qF -- "$row" "$BATS_FILE_TMPDIR/up.out"
	grep -qF "  host\$ docker exec -it $id lsof -nP -i" "$BATS_FILE_TMPDIR/up.out"
	grep -qE "^  container side +\*:80 +held by listen, pid 1 in the container $id$" "$BATS_FILE_TMPDIR/up.out"
}

@test "a client on the host through the published port arrives from the bridge's gateway (docker-proxy)" {
	need_docker
	local port gateway before line
	up_output >/dev/null
	port=$(web_port)
	gateway=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}' "$WEB")
	[ -n "$gateway" ]
	# What up showed is what the server logged.
	line=$(sed -n 's/^    the server logged: \(accept(.*->'"$gateway"':[0-9]*.*\)/\1/p' "$BATS_FILE_TMPDIR/up.out")
	[ -n "$line" ] || { echo "up showed no client from $gateway"; false; }
	accepts "$WEB" | grep -qF -- "$line"
	# And a client of our own arrives the same way.
	before=$(accepts "$WEB" | wc -l)
	run -0 timeout 10 "$BIN/connect" --hold 0 127.0.0.1 "$port"
	[[ "$output" == *"I see you coming from $gateway:"* ]]
	wait_for_accept "$WEB" "$before"
	[[ "$(accepts "$WEB" | sed -n "$((before + 1))p")" =~ ^accept\(fd\ 3\)\ -\>\ fd\ 4u\ \ 172\.[0-9.]+:80-\>$gateway:[0-9]+\ \(ESTABLISHED\)$ ]]
}

# wait_for_accept NAME BEFORE: wait (bounded) until NAME's server has logged more than BEFORE clients.
wait_for_accept() {
	local deadline=$((SECONDS + WAIT_SECONDS))
	until [ "$(accepts "$1" | wc -l)" -gt "$2" ]; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "the server in $1 logged no new client"; return 1; }
		sleep 0.1
	done
}

@test "a client from another machine comes through DNAT and keeps its own address and port" {
	need_docker
	local port before local_port
	up_output >/dev/null
	port=$(web_port)
	grep -qE "^    the server logged: accept\(.*->$OTHER_IP:[0-9]+ \(ESTABLISHED\)$" "$BATS_FILE_TMPDIR/up.out"
	before=$(accepts "$WEB" | wc -l)
	run -0 fresh timeout 10 ip netns exec "$NETNS" "$BIN/connect" --hold 0 "$VETH_HOST_IP" "$port"
	local_port=$(sed -n 's/^  getsockname(fd 3) *-> [0-9.]*:\([0-9]*\):.*/\1/p' <<<"$output")
	[ -n "$local_port" ]
	[[ "$output" == *"I see you coming from $OTHER_IP:$local_port "* ]]
	wait_for_accept "$WEB" "$before"
	[[ "$(accepts "$WEB" | sed -n "$((before + 1))p")" == *"->$OTHER_IP:$local_port (ESTABLISHED)" ]]
	# No process relayed it: the kernel's DNAT rule for the port did.
	run -0 iptables -t nat -S DOCKER
	[[ "$output" == *"--dport $port -j DNAT --to-destination "*":80"* ]]
}

@test "a server bound to 127.0.0.1 in its container cannot be reached through -p, only from inside" {
	need_docker
	local port before
	up_output >/dev/null
	port=$(trap_port)
	[ -n "$port" ]
	run -0 docker exec "$TRAP" lsof -nP -i
	[ -n "$(awk '$1 == "listen" && $2 == 1 && $9 == "127.0.0.1:80" && $10 == "(LISTEN)"' <<<"$output")" ]
	before=$(accepts "$TRAP" | wc -l)
	run -0 timeout 10 "$BIN/connect" --hold 0 127.0.0.1 "$port"
	[[ "$output" == *"the server closed the connection without a word"* ]]
	run -1 timeout 10 ip netns exec "$NETNS" "$BIN/connect" --hold 0 "$VETH_HOST_IP" "$port"
	[[ "$output" == *"[ECONNREFUSED]"* ]]
	run -0 docker exec "$TRAP" /bin/connect --hold 0 127.0.0.1 80
	[[ "$output" == *"I see you coming from 127.0.0.1:"* ]]
	wait_for_accept "$TRAP" "$before"
	# Exactly one new client, the one from inside: the two through -p never arrived.
	[ "$(accepts "$TRAP" | wc -l)" -eq $((before + 1)) ]
	accepts "$TRAP" | tail -n 1 | grep -qE '127\.0\.0\.1:80->127\.0\.0\.1:[0-9]+ \(ESTABLISHED\)$'
	grep -q "^    the server logged one client only, from inside: accept(" "$BATS_FILE_TMPDIR/up.out"
}

@test "status says which containers are up, with their ports, and the other machine" {
	need_docker
	up_output >/dev/null
	run -0 "$LAB" status
	[[ "$output" == *"docker-lab: up. Containers:"* ]]
	grep -qE "^  $WEB +Up .*:$(web_port)->80/tcp" <<<"$output"
	grep -qE "^  $TRAP +Up .*:$(trap_port)->80/tcp" <<<"$output"
	[[ "$output" == *"network namespace $NETNS ($OTHER_IP)"* ]]
}

# notation FILE: up's commands and lsof rows, with every number and id made N,
# as they must read the same in both languages.
up_notation() {
	grep -E '^ +(host|other)\$ |^ +(COMMAND|docker-pr|listen) |^  (docker run|ip |tar )|accept\(|ECONNREFUSED' "$1" |
		sed -E 's/^ +//; s/^.*(accept\()/\1/; s/vethpl[0-9a-f]{8}/vethplX/g; s/[0-9a-f]{12}/ID/g; s/[0-9]+/N/g; s/ +/ /g'
}

@test "in Japanese, up reuses the image and prints the same lsof rows and commands" {
	need_docker
	up_output >/dev/null
	[ "$(cat "$BATS_FILE_TMPDIR/up.ja.rc")" = 0 ]
	grep -qF "イメージ $PORTLAB_IMAGE: これらのプログラムからビルド済み" "$BATS_FILE_TMPDIR/up.ja"
	grep -qF "1 つのサーバーの 2 つの見え方（メモの「見え方の違い」）:" "$BATS_FILE_TMPDIR/up.ja"
	grep -qF "クライアント自身のアドレスとポートが見える" "$BATS_FILE_TMPDIR/up.ja"
	up_notation "$BATS_FILE_TMPDIR/up.out" | grep -v '^tar ' >"$BATS_TEST_TMPDIR/en.notation"
	# The same lab under another name: only the names may differ.
	sed "s/$JA_NAME/$PORTLAB_DOCKER_NAME/g" "$BATS_FILE_TMPDIR/up.ja" >"$BATS_TEST_TMPDIR/up.ja"
	up_notation "$BATS_TEST_TMPDIR/up.ja" >"$BATS_TEST_TMPDIR/ja.notation"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ja.notation")" -ge 15 ]
	diff "$BATS_TEST_TMPDIR/en.notation" "$BATS_TEST_TMPDIR/ja.notation"
	PORTLAB_DOCKER_NAME=$JA_NAME run -0 ja "$LAB" status
	[[ "$output" == *"docker-lab: up している。コンテナ:"* ]]
	PORTLAB_DOCKER_NAME=$JA_NAME PORTLAB_OTHER_NET=$JA_NET run -0 timeout 60 "${JA[@]}" "$LAB" down
	[[ "$output" == *"docker-lab: down した。"* ]]
	[ -z "$(docker ps -aq --filter "label=portlab.docker-lab=$JA_NAME")" ]
}

@test "down removes exactly what up made: no container, namespace, veth or NAT rule is left" {
	need_docker
	local veth
	up_output >/dev/null
	veth=$(sed -n 's/^  ip link add \([^ ]*\) type veth .*/\1/p' "$BATS_FILE_TMPDIR/up.out")
	[ -n "$veth" ]
	run -0 timeout 60 "$LAB" down
	[[ "$output" == *"docker rm -f $WEB"* ]]
	[[ "$output" == *"ip netns del $NETNS"* ]]
	[ -z "$(docker ps -aq --filter "label=portlab.docker-lab=$PORTLAB_DOCKER_NAME")" ]
	run ! ip link show dev "$veth"
	run ! grep -qxF "$NETNS" < <(ip netns list | awk '{ print $1 }')
	rules >"$BATS_TEST_TMPDIR/rules.after"
	diff "$BATS_FILE_TMPDIR/rules.before" "$BATS_TEST_TMPDIR/rules.after"
	[ ! -e /run/portlab-docker/"$PORTLAB_DOCKER_NAME" ]
	run -0 "$LAB" status
	[[ "$output" == "docker-lab: not up. Start it with: sudo "*"docker-lab up" ]]
	run -0 "$LAB" down
	[[ "$output" == *"nothing to remove"* ]]
}
