#!/usr/bin/env bats
# Setting up a fresh machine: scripts/deps (what make check installs before
# it runs the tests) and the repository needing nothing beside it. Nothing is
# installed for real: apt-get, sudo, brew, id and uname are fakes on a PATH
# of this test's own, which also hides the tools a test pretends are missing.

load test_helper

DEPS=$PORTLAB_ROOT/scripts/deps

# setup_file: $BATS_FILE_TMPDIR/bin, a PATH directory with every command of
# the real PATH, every tool scripts/deps looks for (fakes that do nothing), a
# fc-list that finds a Japanese font, and apt-get, sudo and brew that only
# write their arguments to $RAN. Each test copies it (fake_path).
setup_file() {
	local base=$BATS_FILE_TMPDIR/bin dir tool
	local -a real
	mkdir -p "$base"
	for dir in ${PATH//:/ }; do
		real=("$dir"/*)
		# The first of a name on PATH wins, as it does for the shell.
		[ ! -e "${real[0]}" ] || ln -s "${real[@]}" "$base"/ 2>/dev/null || true
	done
	# Links are removed before a fake takes their place: the real tool is never touched.
	while read -r tool; do
		write_cmd "$base/$tool" 'exit 0'
	done < <(sed -n "/^TOOLS='/,/^'/p" "$DEPS" | awk 'NF > 1 { print $1 }')
	write_cmd "$base/fc-list" 'echo "/usr/share/fonts/NotoSansCJK.ttc: Noto Sans CJK JP"'
	write_cmd "$base/apt-get" 'echo "apt-get $*" >>"$RAN"'
	write_cmd "$base/brew" 'echo "brew $*" >>"$RAN"'
	# sudo runs what it is given, as the real one would after its password.
	write_cmd "$base/sudo" 'echo "sudo $*" >>"$RAN"; exec "$@"'
}

setup() {
	export RAN=$BATS_TEST_TMPDIR/ran
}

# write_cmd PATH SCRIPT: PATH becomes a sh script (a link there is removed first).
write_cmd() {
	rm -f "$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$1"
	chmod +x "$1"
}

# fake_path HIDDEN...: a copy of setup_file's PATH directory for this test,
# $BATS_TEST_TMPDIR/bin, without HIDDEN, so scripts/deps finds those missing.
fake_path() {
	rm -rf "$BATS_TEST_TMPDIR/bin"
	cp -a "$BATS_FILE_TMPDIR/bin" "$BATS_TEST_TMPDIR/bin"
	rm -f "${@/#/$BATS_TEST_TMPDIR/bin/}"
	echo "$BATS_TEST_TMPDIR/bin"
}

# fake_cmd NAME SCRIPT: replace NAME on this test's fake PATH with a sh script.
fake_cmd() {
	write_cmd "$BATS_TEST_TMPDIR/bin/$1" "$2"
}

# services: "netbase" when this machine has no /etc/services (scripts/deps adds it).
services() {
	[ -f /etc/services ] || echo " netbase"
}

@test "deps --help exits 0, and a bad option exits 2" {
	run -0 "$DEPS" --help
	[[ "${lines[0]}" == "Usage: scripts/deps              install what is missing" ]]
	run -2 "$DEPS" --bogus
	[[ "${lines[0]}" == "deps: unknown option '--bogus'" ]]
}

@test "deps --missing and --dry-run name exactly the packages of the tools PATH hides, and install nothing" {
	local fake
	fake=$(fake_path socat tmux ss)
	run -0 env PATH="$fake" "$DEPS" --missing
	[ "$output" = "iproute2 socat tmux$(services)" ]
	fake_cmd id 'echo 0'
	run -0 env PATH="$fake" "$DEPS" --dry-run
	[ "${lines[0]}" = "deps: missing: iproute2 socat tmux$(services)" ]
	[ "${lines[1]}" = "apt-get update -qq" ]
	[ "${lines[2]}" = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 socat tmux$(services)" ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ] || { echo "dry-run ran:"; cat "$BATS_TEST_TMPDIR/ran"; false; }
}

@test "deps installs what is missing with apt-get through sudo, and says when nothing is" {
	local fake
	fake=$(fake_path bats)
	fake_cmd id 'echo 1000'
	run -0 env PATH="$fake" "$DEPS"
	[ "${lines[0]}" = "deps: missing: bats$(services)" ]
	run -0 cat "$BATS_TEST_TMPDIR/ran"
	[ "${lines[0]}" = "sudo apt-get update -qq" ]
	[ "${lines[1]}" = "apt-get update -qq" ]
	[ "${lines[2]}" = "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bats$(services)" ]
	[ -f /etc/services ] || skip "no /etc/services here, so something is always missing"
	fake=$(fake_path)
	rm "$BATS_TEST_TMPDIR/ran"
	run -0 env PATH="$fake" "$DEPS"
	[ "$output" = "deps: everything the tests need is installed" ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "deps fails with the command to run when it is not root and there is no sudo, or no apt-get" {
	local fake
	fake=$(fake_path lsof sudo)
	fake_cmd id 'echo 1000'
	run -1 env PATH="$fake" "$DEPS"
	[ "${lines[1]}" = "deps: not root and no sudo; as root, run: apt-get install lsof$(services)" ]
	rm "$fake/apt-get"
	run -1 env PATH="$fake" "$DEPS"
	[ "${lines[1]}" = "deps: no apt-get here; install these with your system's package manager: lsof$(services)" ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "deps on macOS installs Homebrew's packages, Docker Desktop only when asked, as a cask" {
	local fake
	fake=$(fake_path bats socat lsof docker)
	fake_cmd uname 'echo Darwin'
	run -0 env PATH="$fake" "$DEPS" --dry-run
	[ "${lines[1]}" = "brew install bats-core socat" ]
	run -0 env PATH="$fake" "$DEPS" --docker
	[ "${lines[0]}" = "deps: missing: bats-core socat cask:docker" ]
	run -0 cat "$BATS_TEST_TMPDIR/ran"
	[ "${lines[0]}" = "brew install bats-core socat" ]
	[ "${lines[1]}" = "brew install --cask docker" ]
	rm "$fake/brew"
	run -1 env PATH="$fake" "$DEPS"
	[[ "$output" == *"deps: Homebrew is not installed; install it from https://brew.sh"* ]]
}

@test "deps offers Docker's engine on Linux only with --docker" {
	local fake
	local -a hide=()
	fake=$(fake_path dockerd)
	if [ -x /usr/sbin/dockerd ]; then
		# deps looks there outside PATH: hide it under an empty /usr/sbin in a
		# mount namespace of the test's own (root only; CI installs docker.io).
		if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
			skip "/usr/sbin/dockerd is installed here, and only root can hide it"
		fi
		hide=(unshare -m sh -c 'mount -t tmpfs none /usr/sbin && exec "$@"' sh)
	fi
	run -0 "${hide[@]}" env PATH="$fake" "$DEPS" --missing
	[ "$output" = "$(services | sed 's/^ //')" ]
	run -0 "${hide[@]}" env PATH="$fake" "$DEPS" --missing --docker
	[ "$output" = "$(services | sed 's/^ //; s/$/ /')docker.io" ]
}

@test "make check runs deps, then the tests" {
	local fake
	fake=$(fake_path curl)
	fake_cmd id 'echo 0'
	# The real make and compiler, to build before the (fake) bats runs.
	rm "$fake/make" "$fake/cc"
	ln -s "$(command -v make)" "$fake/make"
	ln -s "$(command -v cc)" "$fake/cc"
	printf '#!/bin/sh\necho "bats ran: $*"\n' >"$BATS_TEST_TMPDIR/fake-bats"
	chmod +x "$BATS_TEST_TMPDIR/fake-bats"
	run -0 env PATH="$fake" make -s --no-print-directory -C "$PORTLAB_ROOT" check BATS="$BATS_TEST_TMPDIR/fake-bats"
	[[ "$output" == *"deps: missing: curl$(services)"* ]]
	[[ "$output" == *"bats ran: tests"* ]]
	run -0 cat "$BATS_TEST_TMPDIR/ran"
	[ "${lines[1]}" = "apt-get install -y -qq --no-install-recommends curl$(services)" ]
}

@test "nothing in the repository reads ../shared except the check that the memo's headings are current" {
	local line n
	run grep -rnF '../shared' "$PORTLAB_ROOT/Makefile" "$PORTLAB_ROOT/scripts" "$PORTLAB_ROOT/tests" "$PORTLAB_ROOT/.ci"
	[ "$status" -le 1 ]
	for line in "${lines[@]}"; do
		line=${line#"$PORTLAB_ROOT"/}
		case $line in
		tests/10-worksheets.bats:*:'MEMO=$PORTLAB_ROOT/../shared/reference/network-notes.ja.md') ;;
		tests/10-worksheets.bats:*:*'skip "no memo beside the tree'*) ;;
		tests/21-setup.bats:*) ;;
		*:*:'#'* | *:*:[[:space:]]*'#'*) ;; # a comment
		*) echo "reads ../shared: $line"; false ;;
		esac
	done
	n=$(grep -v '^#' "$PORTLAB_ROOT/tests/fixtures/memo-headings.txt" | grep -c .)
	[ "$n" -ge 20 ] || { echo "tests/fixtures/memo-headings.txt lists only $n headings"; false; }
}
