#!/usr/bin/env bats
# The classroom runner: scripts/beside-lsof, scripts/lab, scripts/check-setup, make install.

load test_helper

# pane SESSION N: what pane N of a tmux session shows now.
pane() {
	tmux capture-pane -p -t "$1.$2" 2>/dev/null
}

@test "beside-lsof --help exits 0, and with no command exits 2" {
	run -0 "$PORTLAB_ROOT/scripts/beside-lsof" --help
	[[ "$output" == *"usage: beside-lsof CMD [ARGS...]"* ]]
	[[ "$output" == *"lsof -nP -a -p PID -i"* ]]
	run -2 "$PORTLAB_ROOT/scripts/beside-lsof"
	[[ "$output" == *"which demo?"* ]]
}

@test "under tmux, the demo runs on one side and lsof finds its listening socket on the other" {
	need_tool tmux
	need_tool lsof
	local session port pid deadline=$((SECONDS + WAIT_SECONDS))
	session=$(cd "$PORTLAB_ROOT" && PORTLAB_DETACH=1 scripts/beside-lsof bin/listen 0)
	echo "$session" >>"$BATS_TEST_TMPDIR/tmux"
	until port=$(pane "$session" 0 | sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]*\) as pid \([0-9]*\)\..*/\1 \2/p') && [ -n "$port" ]; do
		[ "$SECONDS" -lt "$deadline" ] || { pane "$session" 0; false; }
		sleep 0.1
	done
	read -r port pid <<<"$port"
	echo "$pid" >>"$BATS_TEST_TMPDIR/pids"
	until pane "$session" 1 | grep -qE "^listen +$pid .* TCP 127\.0\.0\.1:$port \(LISTEN\)$"; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "lsof pane:"; pane "$session" 1; false; }
		sleep 0.2
	done
	pane "$session" 1 | grep -qF "lsof -nP -a -p $pid -i"
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
