#!/usr/bin/env bats
# The printed worksheets (worksheets/en, worksheets/ja) and their answer keys
# (worksheets/answers/en, worksheets/answers/ja): every command they show
# runs with options the program accepts, the English and Japanese sheets of a
# lab have the same steps and questions, and each names the memo sections it
# teaches.

load test_helper

WORKSHEETS=$PORTLAB_ROOT/worksheets

# sheets: every worksheet and answer key, one path a line.
sheets() {
	find "$WORKSHEETS" -name '*.md' -type f | sort
}

# sheet_commands FILE: the command lines inside FILE's ``` blocks that start
# with bin/ (or "$ bin/"), without the "$ ", a trailing "# comment" or "&".
sheet_commands() {
	awk '
		/^[ \t]*```/ { inside = !inside; next }
		inside {
			line = $0
			sub(/^[ \t]+/, "", line)
			sub(/^\$ /, "", line)
			if (line !~ /^bin\//)
				next
			sub(/[ \t]+#.*$/, "", line)
			sub(/[ \t]*&[ \t]*$/, "", line)
			print line
		}' "$1"
}

# numbered_items FILE HEADING: how many "N." items follow "## HEADING" up to
# the next "## " heading; fails when they do not run 1, 2, 3, ...
numbered_items() {
	awk -v heading="## $2" '
		$0 == heading { inside = 1; next }
		/^## / { inside = 0 }
		inside && /^[0-9]+\. / {
			n++
			if ($1 != n ".") { print FILENAME ": item " $1 " should be " n "." > "/dev/stderr"; bad = 1 }
		}
		END { if (bad) exit 1; print n + 0 }' "$1"
}

# memo_sections TOPIC: the memo's section titles (as in DESIGN.md's table)
# that the worksheet of lab TOPIC must name, one a line.
memo_sections() {
	case $1 in
	01-port-numbers)
		printf '%s\n' 'ポート番号とは' '関連コマンドメモ' ;;
	02-listener | 03-ephemeral-client)
		printf '%s\n' 'クライアントとサーバーでのポートの使い方' '通信の流れの具体例' \
			'他の具体例' '裏で何が起きている' '開発者の場合は' ;;
	esac
}

# try_command LINE: run one worksheet command cheaply. listen and connect get
# --hold 0; listen's port becomes 0 and connect's the port of this test's own
# listener. Prints what went wrong and fails when the program is missing, a
# port or a --hold is malformed, the program exits 2 (a usage error) or hangs.
try_command() {
	local line=$1 prog port rc i
	local -a words args
	read -ra words <<<"$line"
	prog=${words[0]#bin/}
	[ -x "$BIN/$prog" ] || { echo "no program bin/$prog for: $line"; return 1; }
	args=()
	for ((i = 1; i < ${#words[@]}; i++)); do
		if [ "${words[i]}" = --hold ]; then
			i=$((i + 1))
			[[ "${words[i]:-}" =~ ^[0-9]+$ ]] ||
				{ echo "--hold wants whole seconds, not '${words[i]:-}', in: $line"; return 1; }
		else
			args+=("${words[i]}")
		fi
	done
	case $prog in
	listen | connect)
		port=${args[${#args[@]} - 1]}
		if ! [[ "$port" =~ ^[0-9]{1,5}$ ]] || [ "$port" -gt 65535 ]; then
			echo "port '$port' is not 0-65535 in: $line"
			return 1
		fi
		if [ "$prog" = listen ]; then
			args[${#args[@]} - 1]=0
		elif [ "${args[${#args[@]} - 2]}" = ::1 ] && [ -n "${LISTEN6_PORT:-}" ]; then
			args[${#args[@]} - 1]=$LISTEN6_PORT
		else
			args[${#args[@]} - 1]=$LISTEN_PORT
		fi
		args=(--hold 0 "${args[@]}")
		;;
	*)
		"$BIN/$prog" --help 2>/dev/null | grep -q -- --hold && args=(--hold 0 "${args[@]}")
		;;
	esac
	rc=0
	timeout 10 "$BIN/$prog" "${args[@]}" >"$BATS_TEST_TMPDIR/command.out" 2>&1 </dev/null || rc=$?
	if [ "$rc" -eq 2 ] || [ "$rc" -ge 124 ]; then
		echo "exit $rc from: $line  (run as: bin/$prog ${args[*]})"
		cat "$BATS_TEST_TMPDIR/command.out"
		return 1
	fi
}

@test "every worksheet has an English and a Japanese version and an answer key in each language" {
	local sheet topic lang n=0
	for sheet in "$WORKSHEETS"/en/*.md; do
		topic=$(basename "$sheet")
		for lang in en ja; do
			[ -f "$WORKSHEETS/$lang/$topic" ] || { echo "missing worksheets/$lang/$topic"; false; }
			[ -f "$WORKSHEETS/answers/$lang/$topic" ] || { echo "missing worksheets/answers/$lang/$topic"; false; }
		done
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "every bin/ command a worksheet or answer key shows exists and accepts its options" {
	local sheet line n=0
	start_listen
	if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
		start_bg listen6 "$BIN/listen" --host ::1 0
		wait_for listen6 '^Waiting for clients'
		LISTEN6_PORT=$(output_of listen6 | sed -n 's/^Listening on .*:\([0-9]*\) as pid .*/\1/p')
	fi
	while read -r sheet; do
		while IFS= read -r line; do
			try_command "$line" || { echo "in ${sheet#"$PORTLAB_ROOT"/}"; false; }
			n=$((n + 1))
		done < <(sheet_commands "$sheet")
	done < <(sheets)
	[ "$n" -ge 10 ] || { echo "found only $n commands"; false; }
}

@test "the English and Japanese worksheets of a lab have the same number of steps and questions" {
	local sheet topic en ja
	for sheet in "$WORKSHEETS"/en/*.md; do
		topic=$(basename "$sheet")
		en=$(numbered_items "$sheet" Steps)
		ja=$(numbered_items "$WORKSHEETS/ja/$topic" 手順)
		[ "$en" -ge 3 ] && [ "$en" = "$ja" ] || { echo "$topic: $en steps in en, $ja in ja"; false; }
		en=$(numbered_items "$sheet" Questions)
		ja=$(numbered_items "$WORKSHEETS/ja/$topic" 問い)
		[ "$en" -ge 3 ] && [ "$en" -le 6 ] && [ "$en" = "$ja" ] ||
			{ echo "$topic: $en questions in en, $ja in ja (want 3-6)"; false; }
	done
}

@test "each worksheet names its memo sections in Japanese, in both languages" {
	local topic lang section
	for topic in 01-port-numbers 02-listener 03-ephemeral-client; do
		for lang in en ja; do
			while IFS= read -r section; do
				grep -qF "「$section" "$WORKSHEETS/$lang/$topic.md" ||
					{ echo "worksheets/$lang/$topic.md does not name 「$section」"; false; }
			done < <(memo_sections "$topic")
		done
	done
}

@test "each worksheet has the macOS and Linux box in its own language" {
	local sheet
	for sheet in "$WORKSHEETS"/en/*.md; do
		grep -q '^> \*\*macOS and Linux\*\*' "$sheet" || { echo "no box in $sheet"; false; }
	done
	for sheet in "$WORKSHEETS"/ja/*.md; do
		grep -q '^> \*\*macOS と Linux の違い\*\*' "$sheet" || { echo "no box in $sheet"; false; }
	done
}

@test "make worksheets builds HTML and a PDF of at most two A4 pages for every worksheet" {
	need_tool pandoc
	need_tool chromium
	need_tool pdfinfo
	run -0 make -s -C "$PORTLAB_ROOT" worksheets
	local lang file name pages
	for lang in en ja; do
		for file in "$PORTLAB_ROOT"/worksheets/$lang/[0-9]*.md; do
			name=$(basename "$file" .md)
			[ -s "$PORTLAB_ROOT/build/worksheets/$lang/$name.html" ] || { echo "no HTML for $lang/$name"; false; }
			pages=$(pdfinfo "$PORTLAB_ROOT/build/worksheets/$lang/$name.pdf" | awk '/^Pages:/ { print $2 }')
			[ "$pages" -ge 1 ] && [ "$pages" -le 2 ] || { echo "$lang/$name: $pages pages"; false; }
			[[ "$output" == *"build/worksheets/$lang/$name.pdf  $pages page(s)"* ]]
		done
		# The HTML is self-contained: nothing fetched from elsewhere when printed.
		! grep -qE '<(link|script)[^>]*(href|src)=' "$PORTLAB_ROOT/build/worksheets/worksheets-$lang.html"
	done
	grep -q 'lang="ja"' "$PORTLAB_ROOT/build/worksheets/ja/01-port-numbers.html"
}
