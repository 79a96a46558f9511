#!/usr/bin/env bats
# The macOS backend (common/fdtab_macos.c), run on Linux: fdinspect and
# talkers built against a fake libproc (tests/fakemac/fakeproc.c) with
# Apple's own <sys/proc_info.h> layouts (make fakemac). What macOS's lsof
# prints for the fake's processes is in tests/fixtures/fakemac/, worked out
# from Apple's lsof sources; its README names the line that decides each
# row. This tests the logic only: what a real Mac returns, scripts/selfcheck
# checks on a Mac.

load test_helper

FAKEMAC=$PORTLAB_ROOT/build/fakemac
EXPECTED=$BATS_TEST_DIRNAME/fixtures/fakemac

# need_fakemac: the programs make fakemac builds (make test builds them once zig is there).
need_fakemac() {
	if [ -x "$FAKEMAC/fdinspect" ] && [ -x "$FAKEMAC/talkers" ]; then
		return 0
	fi
	if [ -n "${CI:-}" ]; then
		echo "build/fakemac is missing, but CI must run this test (.ci/run installs zig; make test builds it)" >&2
		return 1
	fi
	skip "build/fakemac is missing: run scripts/get-zig once, then make test"
}

# table FILE: the lines of FILE up to the first blank one (lsof's table, not our explanations).
table() {
	sed '/^$/,$d' "$1"
}

# same EXPECTED ACTUAL: equal, or the difference shown and a failure.
same() {
	diff -u "$1" "$2" || { echo "differs from what macOS's lsof prints (see tests/fixtures/fakemac/README.md)"; return 1; }
}

@test "fdinspect -p prints every kind of macOS descriptor exactly as macOS's lsof does" {
	need_fakemac
	run -0 "$FAKEMAC/fdinspect" -p 4242
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	table "$BATS_TEST_TMPDIR/out" >"$BATS_TEST_TMPDIR/notes"
	same "$EXPECTED/notes-p.txt" "$BATS_TEST_TMPDIR/notes"
	# Rows a Linux-minded reading would get wrong.
	grep -qE '^Notes +4242 root +4 +PIPE 0x9d3a6c1e5b2f4a01 +16384 +->0x9d3a6c1e5b2f4b81$' "$BATS_TEST_TMPDIR/notes"
	[ "$(grep -c ' txt ' "$BATS_TEST_TMPDIR/notes")" -eq 5 ]
	[[ "$output" == *"  4      descriptor 4, no mode letter (lsof does not ask this kind how it was opened): one end of a pipe"* ]]
	[[ "$output" == *"  txt    not a descriptor: another file mapped into its memory (macOS: dyld, a library, a font or data file)"* ]]
	[[ "$output" != *"read-write ( )"* ]]
	run ! grep -q 'cnt=' "$BATS_TEST_TMPDIR/notes"
}

@test "a real Mac's table, published with its source, comes out byte for byte from the same kernel answers" {
	need_fakemac
	run -0 "$FAKEMAC/fdinspect" -p 71881
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	table "$BATS_TEST_TMPDIR/out" >"$BATS_TEST_TMPDIR/telepresence"
	same "$EXPECTED/telepresence-p.txt" "$BATS_TEST_TMPDIR/telepresence"
}

@test "a 32-character process name, which has no NUL in pbi_name, is cut at 31 as lsof cuts it" {
	need_fakemac
	run -0 "$FAKEMAC/fdinspect" -p 4243
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	table "$BATS_TEST_TMPDIR/out" >"$BATS_TEST_TMPDIR/helper"
	same "$EXPECTED/helper-p.txt" "$BATS_TEST_TMPDIR/helper"
	[[ "$output" == *"lsof +c 0 shows it whole: com.apple.WebKit.Networking.Hel.)"* ]]
}

@test "fdinspect -i selects as macOS's lsof -i does: ICMP included, a v4-mapped socket is IPv6" {
	need_fakemac
	local spec
	: >"$BATS_TEST_TMPDIR/forms"
	for spec in :8080 TCP UDP 4 6 @127.0.0.1 TCP:5000 :5353; do
		echo "\$ lsof -nP -i $spec" >>"$BATS_TEST_TMPDIR/forms"
		run -0 "$FAKEMAC/fdinspect" -i "$spec"
		printf '%s\n' "$output" | sed '/^$/,$d' >>"$BATS_TEST_TMPDIR/forms"
	done
	same "$EXPECTED/i-forms.txt" "$BATS_TEST_TMPDIR/forms"
	run -1 "$FAKEMAC/fdinspect" -i :9
}

@test "talkers lists the fake Mac's sockets, ICMP too, and counts the process it may not read" {
	need_fakemac
	local low high port
	read -r low high </proc/sys/net/ipv4/ip_local_port_range
	for port in 50123 50124 50200; do
		if [ "$port" -lt "$low" ] || [ "$port" -gt "$high" ]; then
			skip "this machine's ephemeral range $low-$high does not hold $port, which the expected labels assume"
		fi
	done
	run -0 "$FAKEMAC/talkers"
	printf '%s\n' "$output" | sed '$d' >"$BATS_TEST_TMPDIR/talkers"
	sed '$d' "$EXPECTED/talkers.txt" >"$BATS_TEST_TMPDIR/expected"
	same "$BATS_TEST_TMPDIR/expected" "$BATS_TEST_TMPDIR/talkers"
	[[ "${lines[${#lines[@]} - 2]}" == "1 process could not be read"* ]]
	# libproc reaches sockets only through descriptors: no count, the command that shows them.
	[[ "${lines[${#lines[@]} - 1]}" == "lsof cannot show TCP sockets that no process holds "*"netstat -an -p tcp lists them." ]]
}

@test "the fake is consulted: pid 1 is refused and an unknown pid is gone, with lsof's words for each" {
	need_fakemac
	run -1 "$FAKEMAC/fdinspect" -p 1
	[[ "$output" == *"Permission denied [EACCES]"* ]]
	run -1 "$FAKEMAC/fdinspect" -p 999
	[[ "$output" == *"No such process [ESRCH]"* ]]
}
