#!/usr/bin/env bats
# Lab 04: bin/fdinspect, row by row against the real lsof.

load test_helper

# table_rows FILE: fdinspect's or lsof's rows as "FD TYPE NODE NAME" (NAME may hold spaces).
table_rows() {
	awk 'NR > 1 && NF >= 9 && $1 != "COMMAND" {
		name = $9; for (i = 10; i <= NF; i++) name = name " " $i
		print $4, $5, $8, name }' "$1"
}

# fdinspect's own table: the lines between its header and the first blank line.
own_table() {
	output_of fdi | awk '/^COMMAND /{on = 1} on && /^$/{exit} on'
}

@test "fdinspect --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/fdinspect" --help
	[[ "$output" == *"usage: fdinspect [--hold SECONDS]"* ]]
	[[ "$output" == *"Example:        bin/fdinspect"* ]]
	[[ "$output" == *"lsof -nP -p PID"* ]]
	run -0 "$BIN/fdinspect" --version
	[[ "$output" =~ ^fdinspect\ \(portlab\)\ [0-9.]+$ ]]
}

@test "bad options exit 2 with the usage line" {
	run -2 "$BIN/fdinspect" -p abc
	[[ "${lines[0]}" == "fdinspect: bad pid 'abc': a pid is a whole number, like 4242" ]]
	run -2 "$BIN/fdinspect" -i 8080
	[[ "${lines[0]}" == "fdinspect: bad -i '8080': the protocol is TCP or UDP, like TCP:8080. Write it as lsof does: [4|6][TCP|UDP][@HOST][:PORT], like -i :8080, -i TCP:8080, -i @127.0.0.1 or -i 6" ]]
	run -2 "$BIN/fdinspect" -i SCTP:80
	[[ "${lines[0]}" == *"the protocol is TCP or UDP"* ]]
	run -2 "$BIN/fdinspect" -i :70000
	[[ "${lines[0]}" == *"ports are 0-65535"* ]]
	run -2 "$BIN/fdinspect" -i :9000-8000
	[[ "${lines[0]}" == *"a range goes up"* ]]
	run -2 "$BIN/fdinspect" -i :no-such-service
	[[ "${lines[0]}" == *"no service has that name"* ]]
	run -2 "$BIN/fdinspect" -i @
	[[ "${lines[0]}" == *"after '@' give an address"* ]]
	run -2 "$BIN/fdinspect" -p 1 -i :80
	[[ "${lines[0]}" == "fdinspect: give -p or -i, not both" ]]
	run -2 "$BIN/fdinspect" extra
	[[ "${lines[0]}" == "fdinspect: unexpected argument 'extra'" ]]
}

@test "the teaching set opens one descriptor of each kind, numbered from 3, each explained" {
	start_bg fdi "$BIN/fdinspect" --hold 60
	wait_for fdi '^Try beside it:  lsof -nP -p '
	local t
	t=$(own_table)
	[[ "$t" =~ \ 3r\ +REG\ .*/portlab-fdinspect\.[A-Za-z0-9]+/ro\.txt ]]
	[[ "$t" =~ \ 4w\ +REG\ .*\ 6\ +[0-9]+\ /tmp/portlab-fdinspect\.[A-Za-z0-9]+/wo\.txt ]]
	[[ "$t" =~ \ 5u\ +REG\ .*/rw\.txt ]]
	[[ "$t" =~ \ 6r\ +FIFO\ .*\ pipe ]]
	[[ "$t" =~ \ 7w\ +FIFO\ .*\ pipe ]]
	[[ "$t" =~ \ 8u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:([0-9]+)\ \(LISTEN\) ]]
	local port=${BASH_REMATCH[1]}
	[[ "$t" =~ \ 9u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:[0-9]+-\>127\.0\.0\.1:$port\ \(ESTABLISHED\) ]]
	[[ "$t" =~ \ 10u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:$port-\>127\.0\.0\.1:[0-9]+\ \(ESTABLISHED\) ]]
	[[ "$t" =~ \ 11u\ +unix\ 0x[0-9a-f]+\ .*/demo\.sock\ type=STREAM\ \(LISTEN\) ]]
	[[ "$t" =~ \ cwd\ +DIR\  && "$t" =~ \ rtd\ +DIR\  && "$t" =~ \ txt\ +REG\ .*/fdinspect ]]
	output_of fdi | grep -qE '^  3r +descriptor 3, read-only \(r\): a regular file$'
	output_of fdi | grep -qE '^  6r +descriptor 6, read-only \(r\): one end of a pipe$'
	output_of fdi | grep -qE '^  8u +descriptor 8, read-write \(u\): a TCP socket listening for connections$'
	output_of fdi | grep -qE '^  cwd +not a descriptor: the current working directory$'
}

@test "the table fdinspect prints about itself is, line for line, what lsof -nP -p prints" {
	need_tool lsof
	start_bg fdi "$BIN/fdinspect" --hold 60
	wait_for fdi '^Try beside it:  lsof -nP -p '
	own_table >"$BATS_TEST_TMPDIR/ours"
	lsof -nP -p "$fdi_PID" >"$BATS_TEST_TMPDIR/lsof" 2>/dev/null || true
	table_rows "$BATS_TEST_TMPDIR/ours" | sort >"$BATS_TEST_TMPDIR/ours.rows"
	table_rows "$BATS_TEST_TMPDIR/lsof" | sort >"$BATS_TEST_TMPDIR/lsof.rows"
	# Header, column widths, every row: the same bytes. (Its stdout and stderr
	# are a file that grows as it prints, so only their sizes may differ.)
	diff <(sed 's/ *[0-9]* \([0-9]* [^ ]*fdi\.out\)$/ SIZE \1/' "$BATS_TEST_TMPDIR/lsof") \
		<(sed 's/ *[0-9]* \([0-9]* [^ ]*fdi\.out\)$/ SIZE \1/' "$BATS_TEST_TMPDIR/ours") ||
		{ echo "(< lsof, > fdinspect)"; false; }
	grep -q '^cwd ' "$BATS_TEST_TMPDIR/ours.rows" || { echo "no cwd row"; false; }
	grep -q '^txt ' "$BATS_TEST_TMPDIR/ours.rows"
}

@test "-p shows another process's table" {
	start_listen
	run -0 "$BIN/fdinspect" -p "$listen_PID"
	[[ "$output" =~ listen\ +$listen_PID\ .*\ 3u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:$LISTEN_PORT\ \(LISTEN\) ]]
	[[ "$output" =~ 3u\ +descriptor\ 3,\ read-write\ \(u\):\ a\ TCP\ socket\ listening\ for\ connections ]]
}

@test "-i prints lsof's own rows, for every form of -i that lsof accepts" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" -n 2 --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 2 connections'
	local spec next=$((LISTEN_PORT + 1))
	for spec in ":$LISTEN_PORT" "TCP:$LISTEN_PORT" "tcp:$LISTEN_PORT" "4TCP:$LISTEN_PORT" \
	    "@127.0.0.1:$LISTEN_PORT" "TCP@127.0.0.1:$LISTEN_PORT" ":$LISTEN_PORT-$next" \
	    ":$next,$LISTEN_PORT" "@localhost:$LISTEN_PORT"; do
		run -0 "$BIN/fdinspect" -i "$spec"
		diff <(lsof -nP -i "$spec") <(sed '/^$/,$d' <<<"$output") ||
			{ echo "-i $spec: (< lsof, > fdinspect)"; false; }
		[[ "$output" == *$'\n5 sockets. A LISTEN row is a server waiting on its port'* ]] ||
			{ echo "-i $spec: $output"; false; }
	done
	run -1 "$BIN/fdinspect" -i "UDP:$LISTEN_PORT"
	[[ "$output" == "No process we can see has a socket that -i UDP:$LISTEN_PORT selects."* ]]
	run -1 "$BIN/fdinspect" -i "6TCP:$LISTEN_PORT"
	[[ "$output" == "No process we can see has a socket that -i 6TCP:$LISTEN_PORT selects."* ]]
}

@test "-p on a process we may not read prints lsof's own Permission denied rows, and says only root can see more" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to start a process another user cannot read"
	need_tool setpriv
	need_tool lsof
	start_listen
	run -0 $(as_nobody fdinspect) -p "$listen_PID"
	printf '%s\n' "$output" | sed '/^$/,$d' >"$BATS_TEST_TMPDIR/ours"
	setpriv --reuid=nobody --regid=nogroup --clear-groups lsof -nP -p "$listen_PID" >"$BATS_TEST_TMPDIR/lsof" || true
	diff -u "$BATS_TEST_TMPDIR/lsof" "$BATS_TEST_TMPDIR/ours"
	grep -q "NOFD .*/proc/$listen_PID/fd (opendir: Permission denied)$" "$BATS_TEST_TMPDIR/ours"
	[[ "$output" == *"  NOFD   not a descriptor: lsof could not list the descriptors at all; NAME says why"* ]]
	[[ "$output" == *"(Permission denied: process $listen_PID belongs to another user. lsof prints these same rows: without root it sees where the descriptors are, not what they are. Try: sudo bin/fdinspect -p $listen_PID)" ]]
}

@test "-p on a pid that does not exist exits 1" {
	local pid
	pid=$(cat /proc/sys/kernel/pid_max)	# pids stay below pid_max
	run -1 "$BIN/fdinspect" -p "$pid"
	[[ "$output" == "fdinspect: read the descriptors of pid $pid: No such process [ESRCH]. No process has pid $pid; list processes with: ps -e" ]]
}

@test "SIGTERM ends the teaching set and removes the files it made" {
	start_bg fdi "$BIN/fdinspect"
	wait_for fdi '^Try beside it:'
	local dir
	dir=$(own_table | sed -n 's|.* \(/tmp/portlab-fdinspect\.[A-Za-z0-9]*\)/ro\.txt$|\1|p')
	[ -d "$dir" ]
	kill -TERM "$fdi_PID"
	wait_exit "$fdi_PID"
	[ ! -e "$dir" ]
	output_of fdi | tail -n 1 | grep -qxF "fdinspect: stopped by SIGTERM; the kernel closes every descriptor as the process exits."
}
