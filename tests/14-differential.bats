#!/usr/bin/env bats
# fdinspect (lab 04) and talkers (lab 06) beside the real lsof, row by row,
# on programs nobody here wrote: scripts/differential starts python3's
# http.server, node, socat and a process holding one descriptor of every
# kind, in a network namespace of its own, and compares every row.

load test_helper

@test "differential --help exits 0, and a bad argument exits 2 with the usage" {
	run -0 "$PORTLAB_ROOT/scripts/differential" --help
	[[ "$output" == "usage: differential [--bin DIR] [--report FILE]"* ]]
	run -2 "$PORTLAB_ROOT/scripts/differential" --no-such-option
	[[ "${lines[0]}" == "differential: unknown argument '--no-such-option'" ]]
	run -2 "$PORTLAB_ROOT/scripts/differential" --bin
	[[ "${lines[0]}" == "differential: --bin needs a value" ]]
}

@test "fdinspect -p, fdinspect -i and talkers print every row lsof prints for real programs" {
	need_tool lsof
	need_tool python3
	need_tool socat
	need_tool unshare
	need_tool ip
	# node is one more real server; CI installs it, elsewhere the script goes without.
	[ -z "${CI:-}" ] || need_tool node
	if ! unshare -n -i true 2>/dev/null && ! unshare -rni true 2>/dev/null; then
		if [ -n "${CI:-}" ]; then
			echo "CI runs as root, so unshare -n must work here" >&2
			return 1
		fi
		skip "cannot make a network namespace here (needs root, or user namespaces)"
	fi
	run fresh env WAIT_SECONDS="$WAIT_SECONDS" "$PORTLAB_ROOT/scripts/differential" \
	    --bin "$BIN" --report "$BATS_TEST_TMPDIR/report"
	if [ "$status" -ne 0 ]; then
		echo "scripts/differential found rows that differ from lsof's (exit $status):"
		echo "$output"
		return 1
	fi
	# The report is the table it printed, ending at 100%.
	grep -qE '^all +[0-9]+ +[0-9]+ +100\.0%$' "$BATS_TEST_TMPDIR/report"
	[ "$(cat "$BATS_TEST_TMPDIR/report")" = "$output" ]
}
