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
