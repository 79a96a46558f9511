#!/usr/bin/env bats
# scripts/selfcheck: a teacher's check, before class, that every program
# prints the rows this machine's lsof prints. It is plain POSIX sh, so it
# runs here under dash and under bash --posix (macOS's /bin/sh is bash 3.2
# in POSIX mode).

load test_helper

SELFCHECK=$PORTLAB_ROOT/scripts/selfcheck

@test "selfcheck --help tells a teacher what it does and exits 0" {
	need_tool dash
	run -0 dash "$SELFCHECK" --help
	[[ "${lines[0]}" == "usage: selfcheck [-o FILE]" ]]
	[[ "$output" == *"Run this on a lab machine before class."* ]]
	[[ "$output" == *"(default ./portlab-selfcheck-HOSTNAME-YYYYMMDD.txt)"* ]]
	[[ "$output" == *"Exit status: 0 everything agrees, 1 something differs, 2 usage error"* ]]
}

@test "selfcheck's usage errors exit 2 with one line and the synopsis" {
	need_tool dash
	run -2 dash "$SELFCHECK" --bogus
	[[ "${lines[0]}" == "selfcheck: unknown argument: --bogus" ]]
	[[ "${lines[1]}" == "usage: selfcheck [-o FILE]" ]]
	run -2 dash "$SELFCHECK" -o
	[[ "${lines[0]}" == "selfcheck: -o needs a FILE" ]]
	run -2 dash "$SELFCHECK" -o "$BATS_TEST_TMPDIR/no/such/dir/report.txt"
	[[ "${lines[0]}" == "selfcheck: cannot write the report to $BATS_TEST_TMPDIR/no/such/dir/report.txt: choose another place with -o FILE" ]]
}

@test "selfcheck without the programs says to run make, and without lsof how to get it (exit 2)" {
	need_tool dash
	PORTLAB_BIN=$BATS_TEST_TMPDIR/empty run -2 dash "$SELFCHECK"
	[[ "$output" == "selfcheck: $BATS_TEST_TMPDIR/empty/listen is missing: run make in $PORTLAB_ROOT first (or set PORTLAB_BIN)" ]]
	PORTLAB_LSOF=$BATS_TEST_TMPDIR/no-lsof run -2 dash "$SELFCHECK"
	[[ "$output" == "selfcheck: lsof is missing: install it (Debian/Ubuntu: sudo apt-get install lsof; Fedora: sudo dnf install lsof)" ]]
}

@test "under dash every program agrees with lsof: exit 0, the report in . ends with the summary, nothing left behind" {
	need_tool dash
	need_tool lsof
	mkdir "$BATS_TEST_TMPDIR/tmp" "$BATS_TEST_TMPDIR/here"
	cd "$BATS_TEST_TMPDIR/here"
	export PORTLAB_BIN=$BIN TMPDIR=$BATS_TEST_TMPDIR/tmp
	run -0 fresh dash "$SELFCHECK"
	local report pid
	report=portlab-selfcheck-$(uname -n | sed 's/[^A-Za-z0-9._-]/_/g')-$(date +%Y%m%d).txt
	[[ "${lines[-1]}" == "Report written to ./$report" ]]
	[[ "${lines[-2]}" =~ ^selfcheck:\ 8\ checks,\ [0-9]+\ rows,\ 0\ differ$ ]]
	# The file holds what the screen showed, less the line naming the file.
	[ "$(cat "$report")" = "${output%$'\n'*}" ]
	grep -qE '^lsof:     [0-9][0-9.]* \(' "$report"
	grep -qE '^check 8: talkers: the processes this selfcheck started' "$report"
	# Its temporary directory is gone, and so is every program it started.
	run -0 ls -A "$BATS_TEST_TMPDIR/tmp"
	[ -z "$output" ]
	for pid in $(sed -n 's/^check 8: .*(pids \([0-9 ]*\))$/\1/p' "$report"); do
		if kill -0 "$pid" 2>/dev/null; then
			echo "pid $pid, started by selfcheck, is still running"
			false
		fi
	done
}

@test "under bash --posix a row lsof prints that a program does not is a difference: both rows shown, exit 1" {
	need_tool lsof
	# lsof with one more row for every process, as macOS's lsof adds dyld's.
	cat >"$BATS_TEST_TMPDIR/lsof" <<'EOF'
#!/bin/sh
lsof "$@" | awk '{ print } /^p/ { print "ftxt"; print "a "; print "l "; print "tREG"; print "n/usr/lib/dyld" }'
EOF
	chmod +x "$BATS_TEST_TMPDIR/lsof"
	export PORTLAB_BIN=$BIN PORTLAB_LSOF=$BATS_TEST_TMPDIR/lsof
	run -1 fresh bash --posix "$SELFCHECK" -o "$BATS_TEST_TMPDIR/report.txt"
	# One extra row per process in each check: 1 each, 2 in check 5, 6 in check 8.
	[[ "${lines[-2]}" =~ ^selfcheck:\ 8\ checks,\ [0-9]+\ rows,\ 14\ differ$ ]]
	[[ "${lines[-1]}" == "Report written to $BATS_TEST_TMPDIR/report.txt" ]]
	[[ "$output" == *$'\n'"  fdinspect beside lsof -nP -p "*$'\n'"  "[0-9]*" rows compared, "[0-9]*" equal, 1 differ:"$'\n'"  - lsof:       pid "[0-9]*"  txt  REG  /usr/lib/dyld"$'\n'"    fdinspect:  (no such row)"$'\n'* ]]
	grep -qE '^selfcheck: 8 checks, [0-9]+ rows, 14 differ$' "$BATS_TEST_TMPDIR/report.txt"
}
