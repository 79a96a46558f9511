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
	[[ "${lines[0]}" == "fdinspect: bad -i '8080': write it as :PORT, TCP:PORT or UDP:PORT, like -i :8080" ]]
	run -2 "$BIN/fdinspect" -i SCTP:80
	[[ "${lines[0]}" == *"before the ':' give TCP, UDP or nothing" ]]
	run -2 "$BIN/fdinspect" -i :70000
	[[ "${lines[0]}" == *"ports are 16-bit: 0-65535" ]]
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
	[[ "$t" =~ \ 3r\ REG\ .*/portlab-fdinspect\.[A-Za-z0-9]+/ro\.txt ]]
	[[ "$t" =~ \ 4w\ REG\ .*\ 6\ +[0-9]+\ /tmp/portlab-fdinspect\.[A-Za-z0-9]+/wo\.txt ]]
	[[ "$t" =~ \ 5u\ REG\ .*/rw\.txt ]]
	[[ "$t" =~ \ 6r\ FIFO\ .*\ pipe ]]
	[[ "$t" =~ \ 7w\ FIFO\ .*\ pipe ]]
	[[ "$t" =~ \ 8u\ IPv4\ .*\ TCP\ 127\.0\.0\.1:([0-9]+)\ \(LISTEN\) ]]
	local port=${BASH_REMATCH[1]}
	[[ "$t" =~ \ 9u\ IPv4\ .*\ TCP\ 127\.0\.0\.1:[0-9]+-\>127\.0\.0\.1:$port\ \(ESTABLISHED\) ]]
	[[ "$t" =~ \ 10u\ IPv4\ .*\ TCP\ 127\.0\.0\.1:$port-\>127\.0\.0\.1:[0-9]+\ \(ESTABLISHED\) ]]
	[[ "$t" =~ \ 11u\ unix\ 0x[0-9a-f]+\ .*/demo\.sock\ type=STREAM\ \(LISTEN\) ]]
	[[ "$t" =~ \ cwd\ DIR\  && "$t" =~ \ rtd\ DIR\  && "$t" =~ \ txt\ REG\ .*/fdinspect ]]
	output_of fdi | grep -qE '^  3r +descriptor 3, read-only \(r\): a regular file$'
	output_of fdi | grep -qE '^  6r +descriptor 6, read-only \(r\): one end of a pipe$'
	output_of fdi | grep -qE '^  8u +descriptor 8, read-write \(u\): a TCP socket listening for connections$'
	output_of fdi | grep -qE '^  cwd +not a descriptor: the current working directory$'
}

@test "every row fdinspect prints about itself has lsof's FD, TYPE, NODE and NAME" {
	need_tool lsof
	start_bg fdi "$BIN/fdinspect" --hold 60
	wait_for fdi '^Try beside it:  lsof -nP -p '
	own_table >"$BATS_TEST_TMPDIR/ours"
	lsof -nP -p "$fdi_PID" >"$BATS_TEST_TMPDIR/lsof" 2>/dev/null || true
	table_rows "$BATS_TEST_TMPDIR/ours" | sort >"$BATS_TEST_TMPDIR/ours.rows"
	table_rows "$BATS_TEST_TMPDIR/lsof" | sort >"$BATS_TEST_TMPDIR/lsof.rows"
	# Every row we print is one of lsof's rows, to the character.
	local missing
	missing=$(comm -23 "$BATS_TEST_TMPDIR/ours.rows" "$BATS_TEST_TMPDIR/lsof.rows")
	[ -z "$missing" ] || { echo "rows lsof does not have:"; echo "$missing"; echo "lsof:"; cat "$BATS_TEST_TMPDIR/lsof"; false; }
	# And we left none of lsof's rows out.
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ours.rows")" -eq "$(wc -l <"$BATS_TEST_TMPDIR/lsof.rows")" ]
	grep -q '^cwd ' "$BATS_TEST_TMPDIR/ours.rows" && grep -q '^txt ' "$BATS_TEST_TMPDIR/ours.rows"
}

@test "-p shows another process's table" {
	start_listen
	run -0 "$BIN/fdinspect" -p "$listen_PID"
	[[ "$output" =~ listen\ +$listen_PID\ .*\ 3u\ IPv4\ .*\ TCP\ 127\.0\.0\.1:$LISTEN_PORT\ \(LISTEN\) ]]
	[[ "$output" =~ 3u\ +descriptor\ 3,\ read-write\ \(u\):\ a\ TCP\ socket\ listening\ for\ connections ]]
}

@test "-i :PORT names the same processes and fds as lsof -i :PORT" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" -n 2 --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 2 connections'
	run -0 "$BIN/fdinspect" -i ":$LISTEN_PORT"
	local ours theirs
	ours=$(awk '$1 == "listen" || $1 == "connect" { print $1, $2, $3, $6, $7 }' <<<"$output" | sort)
	theirs=$(lsof -nP -i ":$LISTEN_PORT" | awk 'NR > 1 { print $1, $2, $4, $9, $10 }' | sort)
	[ "$ours" = "$theirs" ] || { echo "ours:"; echo "$ours"; echo "lsof:"; echo "$theirs"; false; }
	[ "$(wc -l <<<"$ours")" -eq 5 ]
	[[ "$output" == *"5 sockets on port $LISTEN_PORT."* ]]
	run -0 "$BIN/fdinspect" -i "TCP:$LISTEN_PORT"
	[[ "$output" == *"5 sockets on port $LISTEN_PORT."* ]]
	run -1 "$BIN/fdinspect" -i "UDP:$LISTEN_PORT"
	[[ "$output" == "No process we can see uses port $LISTEN_PORT."* ]]
}

@test "-p on a process we may not read exits 1 and says that only root can" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to start a process another user cannot read"
	need_tool setpriv
	start_listen
	run -1 $(as_nobody fdinspect) -p "$listen_PID"
	[[ "$output" == "fdinspect: read the descriptors of pid $listen_PID: Permission denied [EACCES]. Process $listen_PID belongs to another user, and only root may see its descriptors. lsof has the same limit (on Linux its rows say Permission denied). Try: sudo bin/fdinspect -p $listen_PID" ]]
	# What it says of lsof, checked against lsof run as the same user.
	run setpriv --reuid=nobody --regid=nogroup --clear-groups lsof -nP -p "$listen_PID"
	[[ "$output" == *"Permission denied"* ]]
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
