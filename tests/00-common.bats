#!/usr/bin/env bats
# The common library: unit checks for what the labs cannot easily show.

load test_helper

@test "the library's parsers and formatters pass their unit checks" {
	run -0 "$PORTLAB_ROOT/build/common-test"
	[ "${lines[-1]}" = "all checks passed" ]
}

@test "the library reads the same ephemeral range as /proc shows" {
	local low high
	read -r low high </proc/sys/net/ipv4/ip_local_port_range
	run -0 "$PORTLAB_ROOT/build/common-test"
	[[ "$output" == *"ephemeral range $low-$high from /proc/sys/net/ipv4/ip_local_port_range"* ]]
}

@test "no test line is an assertion bats cannot fail, and the check finds one that is" {
	run -0 "$PORTLAB_ROOT/scripts/lint-tests"
	printf '%s\n' '@test "x" {' '	! grep -q a b' '	[ 1 -ge 0 ] && [ 2 -le 1 ]' '	! true || echo fine' \
		'	! false' '}' >"$BATS_TEST_TMPDIR/dead.bats"
	run -1 "$PORTLAB_ROOT/scripts/lint-tests" "$BATS_TEST_TMPDIR/dead.bats"
	[[ "$output" == *"dead.bats:2: a failing \"! cmd\" is ignored here"* ]]
	[[ "$output" == *"dead.bats:3: the left side of && is never checked"* ]]
	# "! a || b" and a last "! cmd" do fail when they should.
	[[ "$output" != *"dead.bats:4:"* ]]
	[[ "$output" != *"dead.bats:5:"* ]]
}
