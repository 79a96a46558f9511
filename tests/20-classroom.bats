#!/usr/bin/env bats
# The classroom runner: scripts/beside-lsof, scripts/lab, scripts/check-setup, make install.

load test_helper

# The tmux server a test talks to: one of its own (see start_tmux), or the
# one beside-lsof started (tmux -S SOCKET); teardown kills it.
TM=(false)

# start_tmux CMD...: run CMD in a detached tmux server of this test's own
# (tmux -L NAME, its socket under $BATS_TEST_TMPDIR, no user config), as a
# student's terminal of 200x50 in the portlab folder.
start_tmux() {
	export TMUX_TMPDIR=$BATS_TEST_TMPDIR
	TM=(tmux -L portlab-test)
	echo "$TMUX_TMPDIR/tmux-$(id -u)/portlab-test" >>"$BATS_TEST_TMPDIR/tmux"
	"${TM[@]}" -f /dev/null new-session -d -s t -x 200 -y 50 -c "$PORTLAB_ROOT" -- "$@"
}

# pane TARGET: what a tmux pane (session:window.pane) shows now.
pane() {
	"${TM[@]}" capture-pane -p -t "$1" 2>/dev/null
}

# wait_pane TARGET REGEX: wait (bounded) until the pane shows a line matching REGEX.
wait_pane() {
	local deadline=$((SECONDS + WAIT_SECONDS))
	until pane "$1" | grep -qE -- "$2"; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "pane $1 never showed /$2/; it shows:"; pane "$1"; return 1; }
		sleep 0.1
	done
}

# wait_gone PID...: wait (bounded) until each pid has ended (a zombie has ended too).
wait_gone() {
	local pid deadline=$((SECONDS + WAIT_SECONDS))
	for pid; do
		while kill -0 "$pid" 2>/dev/null && [[ "$(ps -o stat= -p "$pid")" != Z* ]]; do
			[ "$SECONDS" -lt "$deadline" ] || { echo "pid $pid is still running:"; ps -o pid,args -p "$pid"; return 1; }
			sleep 0.1
		done
	done
}

# listening_pid TARGET: "PORT PID" from bin/listen's "Listening on" line in the pane.
listening_pid() {
	pane "$1" | sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]*\) as pid \([0-9]*\)\..*/\1 \2/p'
}

@test "beside-lsof --help exits 0, and with no command exits 2" {
	run -0 "$PORTLAB_ROOT/scripts/beside-lsof" --help
	[[ "$output" == *"usage: beside-lsof [--server PORT] CMD [ARGS...]"* ]]
	[[ "$output" == *"lsof -nP -a -p PID -i"* ]]
	run -2 "$PORTLAB_ROOT/scripts/beside-lsof"
	[[ "$output" == *"which demo?"* ]]
}

@test "in tmux, three panes: the demo, lsof finding its socket, a free shell in the project; Ctrl-C then q leaves and ends all they ran" {
	need_tool tmux
	need_tool lsof
	local tmp=$BATS_TEST_TMPDIR/tmp w=t:portlab port pid shell job pane_pids tmux_pid
	mkdir "$tmp"
	# Inside tmux (the test's own server), beside-lsof opens a window of its own.
	# The free pane runs the user's $SHELL: sh here, which starts at once.
	start_tmux env TMPDIR="$tmp" SHELL=/bin/sh scripts/beside-lsof bin/listen 0
	wait_pane "$w.0" '^Listening on 127\.0\.0\.1:[0-9]+ as pid'
	read -r port pid <<<"$(listening_pid "$w.0")"
	echo "$pid" >>"$BATS_TEST_TMPDIR/pids"
	wait_pane "$w.1" "^listen +$pid .* TCP 127\.0\.0\.1:$port \(LISTEN\)\$"
	pane "$w.1" | grep -qF "lsof -nP -a -p $pid -i"
	# A student's command left running in the free shell ends with the rest.
	"${TM[@]}" send-keys -t "$w.2" 'sleep 600 & echo "shell $$ in $PWD, job $!"' Enter
	wait_pane "$w.2" "^shell [0-9]+ in $PORTLAB_ROOT, job [0-9]+\$"
	read -r shell job <<<"$(pane "$w.2" | sed -n 's/^shell \([0-9]*\) in .*, job \([0-9]*\)$/\1 \2/p')"
	echo "$job" >>"$BATS_TEST_TMPDIR/pids"
	pane_pids=$("${TM[@]}" list-panes -t "$w" -F '#{pane_pid}')
	# Each pane's first process runs its part: the demo and the shell are its children.
	[ "$(ps -o ppid= -p "$pid" | tr -d ' ')" = "$(sed -n 1p <<<"$pane_pids")" ]
	[[ "$(ps -o args= -p "$(sed -n 2p <<<"$pane_pids")")" == *"beside-lsof --pane lsof "* ]]
	[ "$(ps -o ppid= -p "$shell" | tr -d ' ')" = "$(sed -n 3p <<<"$pane_pids")" ]
	tmux_pid=$("${TM[@]}" display-message -p '#{pid}')
	"${TM[@]}" send-keys -t "$w.0" C-c
	wait_pane "$w.0" '^The demo has ended\. Enter runs it again'
	wait_pane "$w.1" 'the demo is not running'
	"${TM[@]}" send-keys -t "$w.0" q
	# The window was the session's last: the test's tmux server ends with it.
	wait_gone "$pid" "$shell" "$job" $pane_pids "$tmux_pid"
	[ -z "$(ls -A "$tmp")" ] || { ls -lA "$tmp"; false; }
}

@test "outside tmux, beside-lsof runs a tmux server of its own and --server's listener; Ctrl-C twice leaves and stops them" {
	need_tool tmux
	local tmp=$BATS_TEST_TMPDIR/tmp sock port server tmux_pid
	mkdir "$tmp"
	port=$(free_port)
	sock=$(cd "$PORTLAB_ROOT" && env -u TMUX TMPDIR="$tmp" PORTLAB_DETACH=1 \
		scripts/beside-lsof --server "$port" bin/connect -n 2 127.0.0.1 "$port")
	echo "$sock" >>"$BATS_TEST_TMPDIR/tmux"
	TM=(tmux -S "$sock")
	wait_pane portlab.0 "^2 connections to port $port from different local ports"
	server=$(pane portlab.0 | sed -n 's/^Started bin\/listen [0-9]* (pid \([0-9]*\)).*/\1/p')
	[ -n "$server" ] && echo "$server" >>"$BATS_TEST_TMPDIR/pids"
	tmux_pid=$("${TM[@]}" display-message -p '#{pid}')
	"${TM[@]}" send-keys -t portlab.0 C-c
	wait_pane portlab.0 '^The demo has ended\. Enter runs it again'
	"${TM[@]}" send-keys -t portlab.0 C-c
	wait_gone "$server" "$tmux_pid"
	[ -z "$(ls -A "$tmp")" ] || { ls -lA "$tmp"; false; }
	run -0 "$BIN/listen" --hold 0 "$port"
}

@test "without a terminal, beside-lsof runs the demo and says what to run beside it" {
	run -0 "$PORTLAB_ROOT/scripts/beside-lsof" "$BIN/listen" --hold 0 0
	[[ "${lines[1]}" == "so run this in a second terminal, with the PID the demo prints:  lsof -nP -a -p PID -i" ]]
	[[ "$output" == *"Listening on 127.0.0.1:"* ]]
}

@test "lab NN names the lab's worksheet and starts its first demo; a bad number exits 2" {
	run -0 "$PORTLAB_ROOT/scripts/lab" --help
	[[ "$output" == *"usage: lab NN"* ]]
	run -2 "$PORTLAB_ROOT/scripts/lab" 10
	[[ "${lines[0]}" == "lab: which lab? Give its number, 01 to 09" ]]
	run -0 "$PORTLAB_ROOT/scripts/lab" 01
	[[ "$output" == *"33000  registered"* || "$output" == *$'33000\tregistered'* ]]
	run -1 "$PORTLAB_ROOT/scripts/lab" 08
	[[ "$output" == *"Different origins (host)"* ]]
}

@test "lab 1 and lab 8 run what lab 01 and lab 08 run" {
	local short
	for n in 1 8; do
		run "$PORTLAB_ROOT/scripts/lab" "$n"
		short=$status:$output
		run "$PORTLAB_ROOT/scripts/lab" "0$n"
		[ "$short" = "$status:$output" ] || { echo "lab $n: $short"; echo "lab 0$n: $status:$output"; false; }
	done
	[[ "$output" == *"Different origins (host)"* ]]
}

@test "lab --port: PORTLAB_PORT=P stands for 8080, P+1 for 8081, P+2 for 3000, P+3 for 5173; PORTLAB_SHARED=1 takes P from the uid" {
	local p
	p=$(free_port)
	run -0 env PORTLAB_PORT="$p" "$PORTLAB_ROOT/scripts/lab" --port
	[ "${lines[0]}" = "Your ports (PORTLAB_PORT=$p): use them where the worksheet says" ]
	[ "${lines[1]}" = "  8080 -> $p" ]
	[ "${lines[2]}" = "  8081 -> $((p + 1))" ]
	[ "${lines[3]}" = "  3000 -> $((p + 2))" ]
	[ "${lines[4]}" = "  5173 -> $((p + 3))" ]
	run -0 env PORTLAB_PORT="$p" "$PORTLAB_ROOT/scripts/lab" --port 5173
	[ "$output" = "$((p + 3))" ]
	run -0 env -u PORTLAB_PORT PORTLAB_SHARED=1 "$PORTLAB_ROOT/scripts/lab" --port 8081
	[ "$output" = "$((20000 + $(id -u) % 1000 * 10 + 1))" ]
	run -0 env -u PORTLAB_PORT -u PORTLAB_SHARED "$PORTLAB_ROOT/scripts/lab" --port 8081
	[ "$output" = 8081 ]
	run -2 env PORTLAB_PORT=80 "$PORTLAB_ROOT/scripts/lab" 02
	[ "$output" = "lab: PORTLAB_PORT=80 is not a port from 1024 to 65532 (you use it and the next 3)" ]
	run -2 "$PORTLAB_ROOT/scripts/lab" --port 9999
}

@test "the runner speaks Japanese from a Japanese shell: its ports, errors and help; commands and ports as they are" {
	local p
	p=$(free_port)
	run -0 ja env PORTLAB_PORT="$p" "$PORTLAB_ROOT/scripts/lab" --port
	[ "${lines[0]}" = "自分のポート（PORTLAB_PORT=$p）。ワークシートの番号の代わりに使う：" ]
	[ "${lines[1]}" = "  8080 -> $p" ]
	run -2 ja "$PORTLAB_ROOT/scripts/lab" 10
	[ "${lines[0]}" = "lab: どの実習か。番号を 01 から 09 で書く" ]
	[[ "${lines[1]}" == "usage: lab NN "* ]]
	run -0 ja "$PORTLAB_ROOT/scripts/beside-lsof" --help
	[[ "${lines[0]}" == "usage: beside-lsof "* ]]
	[ "${lines[-1]}" = "横で試す：      lsof -nP -a -p PID -i   （右上のペインがこれを実行する）" ]
	run -2 ja "$PORTLAB_ROOT/scripts/beside-lsof"
	[ "${lines[0]}" = "beside-lsof: どのデモか。bin/listen 8080 のようにコマンドを書く" ]
}

@test "lab 2 in tmux runs lab 02's listener on PORTLAB_PORT, the free shell lists the ports; q in the lsof pane leaves it all" {
	need_tool tmux
	need_tool lsof
	local tmp=$BATS_TEST_TMPDIR/tmp w=t:portlab p pid pane_pids tmux_pid
	mkdir "$tmp"
	p=$(free_port)
	start_tmux env TMPDIR="$tmp" SHELL=/bin/sh PORTLAB_PORT="$p" scripts/lab 2
	wait_pane "$w.0" "^Listening on 127\.0\.0\.1:$p as pid [0-9]+\."
	read -r _ pid <<<"$(listening_pid "$w.0")"
	echo "$pid" >>"$BATS_TEST_TMPDIR/pids"
	wait_pane "$w.1" "^listen +$pid .* TCP 127\.0\.0\.1:$p \(LISTEN\)\$"
	wait_pane "$w.2" "^  8081 -> $((p + 1))\$"
	pane_pids=$("${TM[@]}" list-panes -t "$w" -F '#{pane_pid}')
	tmux_pid=$("${TM[@]}" display-message -p '#{pid}')
	"${TM[@]}" send-keys -t "$w.1" q
	wait_gone "$pid" $pane_pids "$tmux_pid"
	[ -z "$(ls -A "$tmp")" ] || { ls -lA "$tmp"; false; }
}

@test "check-setup lists what is present and how to install what is missing" {
	run "$PORTLAB_ROOT/scripts/check-setup"
	[ "$status" -le 1 ]
	[[ "$output" == "portlab setup on $(uname -s):"* ]]
	[[ "$output" =~ ok\ +lsof ]]
	if [[ "$output" == *MISSING* ]]; then
		[[ "$output" == *"sudo apt-get install "* || "$output" == *"brew install "* ]]
	fi
}

@test "make install puts the programs in PREFIX/bin as portlab-NAME and the documents in share/doc" {
	local dest
	dest=$(mktemp -d)
	echo "$dest" >>"$BATS_TEST_TMPDIR/dirs"
	run -0 make -s -C "$PORTLAB_ROOT" install DESTDIR="$dest" PREFIX=/usr
	for prog in portinfo listen connect fdinspect lsof-explain talkers forward origin cors-lab; do
		[ -x "$dest/usr/bin/portlab-$prog" ] || { echo "missing portlab-$prog"; false; }
	done
	run -0 "$dest/usr/bin/portlab-listen" --version
	[[ "$output" == "listen (portlab) "* ]]
	[ -f "$dest/usr/share/doc/portlab/README.md" ]
	[ -d "$dest/usr/share/doc/portlab/worksheets" ]
}
