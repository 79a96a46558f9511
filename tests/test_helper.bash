# Shared helpers for portlab's bats tests. Every test file starts with
# `load test_helper`.
#
# Rules every test follows: ports come from the OS (port 0), addresses are
# loopback only, every wait polls against a deadline, and teardown kills
# only the pids a test started itself.

bats_require_minimum_version 1.5.0

# The programs speak the language LC_ALL, LC_MESSAGES or LANG names; the
# tests read English, so they run in it, keeping the user's character set.
# A test that wants Japanese runs its command through ja (below).
if [ -n "${LC_ALL:-}" ]; then
	export LC_CTYPE=$LC_ALL
	unset LC_ALL
fi
export LC_MESSAGES=C

PORTLAB_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BIN=$PORTLAB_ROOT/bin
# How long any one wait may take before the test fails instead of hanging.
WAIT_SECONDS=${WAIT_SECONDS:-15}

# ja CMD...: run CMD as a Japanese student's shell would, with only LANG set
# (the tests run in English otherwise: see the top of this file).
# "${JA[@]}" CMD... does the same where a command must be exec'd (start_bg).
JA=(env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8)
ja() {
	"${JA[@]}" "$@"
}

# notation FILE WORD...: the parts of FILE in lsof's notation, as the student
# compares them with lsof: the calls (up to "->"), the FD rows, accept()'s and
# connect()'s lines, recvfrom() calls, errno names and the commands to run; each WORD (a pid or
# an ephemeral port, different in every run) is written X. Used to check that
# a program prints the same notation in English and in Japanese.
notation() {
	local file=$1 word
	local -a mask=(-e '')
	shift
	for word; do
		mask+=(-e "s/\\b$word\\b/X/g")
	done
	sed -E "${mask[@]}" "$file" |
		grep -oE '^  [a-z]+\([^>]*->|^getaddrinfo\(.*|^  (lsof: )?FD .*|^((client|target) leg: )?(accept|connect)\(.*|\[E[A-Z]+\]|(bind|connect to) [0-9.:]+ port [0-9]+|lsof -nP( -[a-zA-Z]+(:[A-Z0-9]+)?( X| [0-9]+)?)*|^recvfrom\([^)]*\) ->|bin/(connect|listen) (--udp )?[0-9.: ]*[0-9]'
}

# need_tool TOOL: skip when TOOL is missing, except in CI, where it must be there.
need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ -n "${CI:-}" ]; then
		echo "$1 is not installed, but CI must run this test (.ci/run installs it)" >&2
		return 1
	fi
	skip "$1 is not installed"
}

# need_ipv6_loopback: skip when this machine has no ::1 (IPv6 turned off).
need_ipv6_loopback() {
	grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null ||
		skip "this machine has no IPv6 loopback address (::1)"
}

# close_extra_fds: close every descriptor above 2 in this (sub)shell. bats
# holds extra ones (3, 4, 10, ...) that a program would inherit, shifting
# every fd number it prints; a student's shell opens only 0, 1 and 2.
close_extra_fds() {
	local fd
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done
	return 0
}

# fresh CMD [ARGS]: run CMD with only stdin, stdout and stderr open.
fresh() {
	(close_extra_fds && exec "$@")
}

# start_bg NAME CMD [ARGS]: run CMD in the background with its output in
# $BATS_TEST_TMPDIR/NAME.out; record its pid for teardown and in NAME_PID
# (start_bg listen ... sets listen_PID).
start_bg() {
	local name=$1
	shift
	# One fork, then exec: $! is the program's own pid. Closing fd 3 also
	# matters to bats, which waits for every holder of fd 3 to finish.
	(close_extra_fds && exec "$@") >"$BATS_TEST_TMPDIR/$name.out" 2>&1 &
	echo "$!" >>"$BATS_TEST_TMPDIR/pids"
	printf -v "${name}_PID" '%s' "$!"
}

# output_of NAME: what the background program NAME has printed so far.
output_of() {
	cat "$BATS_TEST_TMPDIR/$1.out"
}

# nap SECONDS: sleep inside bash, starting no process: read -t on a pipe
# nothing writes to (opened once, on a descriptor above 9; start_bg and
# fresh close it). The tests poll thousands of times, and on a small machine
# starting sleep costs about as much as the nap itself.
nap() {
	[ -n "${NAP_FD:-}" ] || exec {NAP_FD}<> <(:)
	read -r -t "$1" -u "$NAP_FD" _ || :
}

# wait_for NAME REGEX [COUNT]: wait until NAME's output has COUNT lines
# (default 1) matching the extended REGEX; fail, showing the output, at the
# deadline. Read and matched in bash (mapfile, =~): no process per look.
wait_for() {
	local name=$1 regex=$2 want=${3:-1} deadline=$((SECONDS + WAIT_SECONDS))
	local file=$BATS_TEST_TMPDIR/$name.out n line
	local -a seen
	while :; do
		# Until the shell has made the file, there is nothing: 0, not a match.
		n=0
		if [ -f "$file" ]; then
			mapfile -t seen <"$file"
			for line in "${seen[@]}"; do
				[[ "$line" =~ $regex ]] && n=$((n + 1))
			done
		fi
		[ "$n" -lt "$want" ] || return 0
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "gave up after ${WAIT_SECONDS}s waiting for $want line(s) /$regex/ from $name; it printed:" >&2
			cat "$file" >&2
			return 1
		fi
		nap 0.05
	done
}

# wait_exit PID: wait (bounded) for a background pid to end; prints nothing.
wait_exit() {
	local pid=$1 deadline=$((SECONDS + WAIT_SECONDS))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "pid $pid is still running after ${WAIT_SECONDS}s" >&2
			return 1
		fi
		nap 0.05
	done
}

# start_listen [ARGS]: start bin/listen on an OS-chosen port; sets listen_PID,
# LISTEN_PORT and LISTEN_FD (the FD column it printed for the listening socket).
start_listen() {
	start_bg listen "$BIN/listen" "$@" 0
	wait_for listen '^Waiting for clients'
	LISTEN_PORT=$(output_of listen | sed -n 's/^Listening on .*:\([0-9]*\) as pid .*/\1/p')
	LISTEN_FD=$(output_of listen | sed -n 's/^  FD \([^ ]*\) .*(LISTEN)$/\1/p')
	[ -n "$LISTEN_PORT" ] && [ -n "$LISTEN_FD" ]
}

# start_listen_udp [ARGS]: bin/listen --udp on an OS-chosen port; sets
# listen_PID, LISTEN_PORT and LISTEN_FD, as start_listen does.
start_listen_udp() {
	start_bg listen "$BIN/listen" --udp "$@" 0
	wait_for listen '^Waiting for datagrams'
	LISTEN_PORT=$(output_of listen | sed -n 's/^Receiving on .*:\([0-9]*\) as pid .*/\1/p')
	LISTEN_FD=$(output_of listen | sed -n 's/^  FD \([^ ]*\) .* NODE UDP .*/\1/p')
	[ -n "$LISTEN_PORT" ] && [ -n "$LISTEN_FD" ]
}

# free_port: a port nothing listens on, chosen by the OS (listen binds 0 and exits).
free_port() {
	"$BIN/listen" --hold 0 0 | sed -n 's/^Listening on .*:\([0-9]*\) as pid .*/\1/p'
}

# lsof_row PID FD: the fields "FD TYPE NODE NAME STATE" of lsof -nP's row
# for descriptor FD (a number) of process PID's TCP sockets.
lsof_row() {
	lsof -nP -a -p "$1" -iTCP 2>/dev/null |
		awk -v fd="$2" '$4 ~ "^" fd "[rwu]$" { print $4, $5, $8, $9, $10 }'
}

# as_nobody PROG: print a command prefix that runs bin/PROG as the unprivileged
# user nobody (a copy in a world-readable temp dir, since the checkout may not be).
as_nobody() {
	local dir
	dir=$(mktemp -d /tmp/portlab-test.XXXXXX)
	cp "$BIN/$1" "$dir/" && chmod 755 "$dir" "$dir/$1"
	echo "$dir" >>"$BATS_TEST_TMPDIR/dirs"
	echo "setpriv --reuid=nobody --regid=nogroup --clear-groups $dir/$1"
}

# run_in_netns_as_nobody START PROG [ARGS]: run bin/PROG as the user nobody
# inside a network namespace of its own whose ip_unprivileged_port_start is
# START, so a privileged-port test depends on nothing this machine has set.
# Sets status and output as bats' run does. Needs root, as CI has.
run_in_netns_as_nobody() {
	local start=$1 prog=$2
	local -a cmd
	shift 2
	[ "$(id -u)" -eq 0 ] || skip "needs root to make a network namespace"
	need_tool unshare || return 1
	need_tool setpriv || return 1
	read -r -a cmd <<<"$(as_nobody "$prog")"
	# The sysctl is per namespace: writing it here changes nothing outside.
	run timeout "$WAIT_SECONDS" unshare -n sh -c \
		'echo "$0" >/proc/sys/net/ipv4/ip_unprivileged_port_start && exec "$@"' \
		"$start" "${cmd[@]}" "$@"
}

teardown() {
	local pid
	[ -f "$BATS_TEST_TMPDIR/dirs" ] && xargs rm -rf <"$BATS_TEST_TMPDIR/dirs"
	# tmux servers a test started (their sockets; scripts/beside-lsof): ending one ends its panes.
	if [ -f "$BATS_TEST_TMPDIR/tmux" ]; then
		while read -r pid; do tmux -S "$pid" kill-server 2>/dev/null; done <"$BATS_TEST_TMPDIR/tmux"
	fi
	[ -f "$BATS_TEST_TMPDIR/pids" ] || return 0
	while read -r pid; do
		# CONT first: a stopped process acts on TERM only once it runs, and a
		# CONT sent after TERM would upset ASan's leak check as the program exits.
		kill -CONT "$pid" 2>/dev/null || continue
		kill -TERM "$pid" 2>/dev/null
		wait_exit "$pid" || kill -KILL "$pid" 2>/dev/null
	done <"$BATS_TEST_TMPDIR/pids"
	return 0
}
