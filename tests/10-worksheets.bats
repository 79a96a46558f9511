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
# that the worksheet of lab TOPIC must name, one a line. Every worksheet also
# names 「疑問と解消まとめ」, whose questions its own questions take up.
memo_sections() {
	echo '疑問と解消まとめ'
	case $1 in
	01-port-numbers)
		printf '%s\n' 'ポート番号とは' '関連コマンドメモ' ;;
	02-listener | 03-ephemeral-client)
		printf '%s\n' 'クライアントとサーバーでのポートの使い方' '通信の流れの具体例' \
			'他の具体例' '裏で何が起きている' '開発者の場合は' ;;
	04-fd-inspector)
		printf '%s\n' 'lsof の出力解読メモ' 'よく見るFDの種類' '関連コマンドメモ' ;;
	05-reading-lsof)
		printf '%s\n' 'lsof の出力解読メモ' '出力例' 'lsof 活用例' '関連コマンドメモ' ;;
	06-background-talkers)
		printf '%s\n' 'Notes.app の正体' ;;
	07-port-forwarding)
		printf '%s\n' 'Dockerとポート' '-p 8080:80 の意味' '例：nginx サーバー' '見え方の違い' \
			'関連コマンドメモ' ;;
	08-same-origin)
		printf '%s\n' 'Same-Origin Policy（SOP）とCORSの基礎' '実例' ;;
	09-cors)
		printf '%s\n' 'Same-Origin Policy（SOP）とCORSの基礎' 'CORSとは' ;;
	09b-cors-credentials)
		printf '%s\n' 'Same-Origin Policy（SOP）とCORSの基礎' 'CORSとは' '実例' ;;
	*)
		echo "memo_sections: no sections listed for lab $1" >&2
		return 1 ;;
	esac
}

# MEMO_HEADINGS: the memo's section headings, kept in the repository so the
# tests need nothing beside it; MEMO: the memo itself, beside the tree in CI.
MEMO_HEADINGS=$BATS_TEST_DIRNAME/fixtures/memo-headings.txt
MEMO=$PORTLAB_ROOT/../shared/reference/network-notes.ja.md

# memo_headings: the memo's section headings, one a line, from MEMO_HEADINGS.
memo_headings() {
	grep -v '^#' "$MEMO_HEADINGS"
}

# headings_of_memo FILE: every ## and ### heading of the memo FILE, outside
# code blocks, as worksheets quote it: without the emoji, backquotes, a
# closing ？, … or ：, or a closing note in brackets (「通信の流れの具体例
# （HTTPSアクセス）」 is quoted as 「通信の流れの具体例」). The table of
# contents is left out.
headings_of_memo() {
	awk '/^```/ { inside = !inside; next } !inside && /^###? /' "$1" |
		LC_ALL=C.UTF-8 sed -E 's/^#+ +//; s/^[^[:alnum:]`-]+ *//; s/`//g; s/[？…：]+$//; s/（[^）]*）$//' |
		grep -vx '目次'
}

# try_command LINE: run one worksheet command cheaply, with ports and pids
# made safe for a shared machine:
#   listen, connect  --hold 0; listen's port becomes 0, connect's the port of
#                    this test's own listener;
#   forward          --hold 0; HOSTPORT becomes 0, TARGETPORT this test's
#                    listener's port;
#   cors-lab         --hold 0 --page-port 0 --api-port 0;
#   fdinspect -p N   N becomes this test's listener's pid;
#   talkers --watch  1 second;
#   lsof-explain     "< FILE" reads FILE (relative to the repo root), which
#                    must exist; without it, stdin is empty;
#   others           --hold 0 when their --help offers it.
# Prints what went wrong and fails when the program is missing, a port or a
# --hold is malformed, the program exits 2 (a usage error; for origin, exit 2
# is its answer "not a valid URL") or hangs.
declare -gA HOLDS	# try_command's memory: does bin/PROG's --help offer --hold?
try_command() {
	local line=$1 prog port rc i input=/dev/null
	local -a words args
	# Split as the shell would, quotes included ('http://a?x=1' is one word).
	mapfile -t words < <(xargs printf '%s\n' <<<"$line")
	[ ${#words[@]} -gt 0 ] || { echo "cannot split into words: $line"; return 1; }
	prog=${words[0]#bin/}
	[ -x "$BIN/$prog" ] || { echo "no program bin/$prog for: $line"; return 1; }
	args=()
	for ((i = 1; i < ${#words[@]}; i++)); do
		case ${words[i]} in
		--hold | --watch)
			[[ "${words[i + 1]:-}" =~ ^[0-9]+$ ]] ||
				{ echo "${words[i]} wants whole seconds, not '${words[i + 1]:-}', in: $line"; return 1; }
			[ "${words[i]}" = --watch ] && args+=(--watch 1)
			i=$((i + 1))
			;;
		--page-port | --api-port)
			i=$((i + 1))
			;;
		'<')
			input=$PORTLAB_ROOT/${words[i + 1]:-}
			[ -f "$input" ] || { echo "no file '${words[i + 1]:-}' for: $line"; return 1; }
			i=$((i + 1))
			;;
		*)
			args+=("${words[i]}")
			;;
		esac
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
	forward)
		# [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT, ports kept in place.
		local spec=${args[${#args[@]} - 1]}
		[[ "$spec" =~ ^(.*:)?([0-9]+):(.*:)?([0-9]+)$ ]] ||
			{ echo "'$spec' is not [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT in: $line"; return 1; }
		args[${#args[@]} - 1]="${BASH_REMATCH[1]}0:${BASH_REMATCH[3]}$LISTEN_PORT"
		args=(--hold 0 "${args[@]}")
		;;
	cors-lab)
		args=(--hold 0 --page-port 0 --api-port 0 "${args[@]}")
		;;
	fdinspect)
		for ((i = 0; i < ${#args[@]}; i++)); do
			[ "${args[i]}" = -p ] && args[i + 1]=$listen_PID
		done
		[ "${args[0]:-}" = -p ] || [ "${args[0]:-}" = -i ] || args=(--hold 0 "${args[@]}")
		;;
	*)
		# Asked once per program: 234 commands, and each process costs.
		[ -n "${HOLDS[$prog]:-}" ] ||
			HOLDS[$prog]=$("$BIN/$prog" --help 2>/dev/null | grep -qe --hold && echo yes || echo no)
		[ "${HOLDS[$prog]}" = no ] || args=(--hold 0 "${args[@]}")
		;;
	esac
	rc=0
	timeout 10 "$BIN/$prog" "${args[@]}" >"$BATS_TEST_TMPDIR/command.out" 2>&1 <"$input" || rc=$?
	if [ "$prog" = origin ] && [ "$rc" -eq 2 ] &&
		grep -qE 'is not a valid URL|cannot find its origin' "$BATS_TEST_TMPDIR/command.out"; then
		rc=0
	fi
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
		[ "$en" -ge 3 ] && [ "$en" -le 7 ] && [ "$en" = "$ja" ] ||
			{ echo "$topic: $en questions in en, $ja in ja (want 3-7)"; false; }
	done
}

@test "each worksheet names its memo sections in Japanese, in both languages" {
	local sheet topic lang section
	for sheet in "$WORKSHEETS"/en/*.md; do
		topic=$(basename "$sheet" .md)
		for lang in en ja; do
			while IFS= read -r section; do
				grep -qF "「$section" "$WORKSHEETS/$lang/$topic.md" ||
					{ echo "worksheets/$lang/$topic.md does not name 「$section」"; false; }
			done < <(memo_sections "$topic" || echo "(no list for $topic)")
		done
	done
}

@test "every section of the memo is named by a worksheet in each language" {
	local section lang n=0
	while IFS= read -r section; do
		for lang in en ja; do
			cat "$WORKSHEETS/$lang"/*.md | grep -qF "「$section" ||
				{ echo "no worksheets/$lang sheet names 「$section」"; false; }
		done
		n=$((n + 1))
	done < <(memo_headings)
	[ "$n" -ge 20 ] || { echo "read only $n headings from ${MEMO_HEADINGS#"$PORTLAB_ROOT"/}"; false; }
}

@test "the repository's list of memo headings is the memo's own, where the memo is beside the tree" {
	[ -f "$MEMO" ] || skip "no memo beside the tree (../shared/reference/network-notes.ja.md); the tests use tests/fixtures/memo-headings.txt"
	diff -u <(memo_headings) <(headings_of_memo "$MEMO") ||
		{ echo "the memo's headings changed: update tests/fixtures/memo-headings.txt (- the list, + the memo)"; false; }
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
	local lang file name pages total
	for lang in en ja; do
		total=0
		for file in "$PORTLAB_ROOT"/worksheets/$lang/[0-9]*.md; do
			name=$(basename "$file" .md)
			[ -s "$PORTLAB_ROOT/build/worksheets/$lang/$name.html" ] || { echo "no HTML for $lang/$name"; false; }
			pages=$(pdfinfo "$PORTLAB_ROOT/build/worksheets/$lang/$name.pdf" | awk '/^Pages:/ { print $2 }')
			[ "$pages" -ge 1 ] && [ "$pages" -le 2 ] || { echo "$lang/$name: $pages pages"; false; }
			[[ "$output" == *"build/worksheets/$lang/$name.pdf  $pages page(s)"* ]]
			total=$((total + pages))
		done
		# Each worksheet's PDF is cut from the whole: together they are all of it.
		pages=$(pdfinfo "$PORTLAB_ROOT/build/worksheets/worksheets-$lang.pdf" | awk '/^Pages:/ { print $2 }')
		[ "$total" -eq "$pages" ] || { echo "$lang: the worksheets have $total pages, the whole $pages"; false; }
		# The HTML is self-contained: nothing fetched from elsewhere when printed.
		if grep -qE '<(link|script)[^>]*(href|src)=' "$PORTLAB_ROOT/build/worksheets/worksheets-$lang.html"; then
			echo "worksheets-$lang.html fetches something from elsewhere"
			false
		fi
	done
	grep -q 'lang="ja"' "$PORTLAB_ROOT/build/worksheets/ja/01-port-numbers.html"
}

@test "the teacher's documents print: the cheat sheet on exactly one A4 page in each language" {
	need_tool pandoc
	local lang pages
	# make worksheets (the test above) printed them with the worksheets, in one browser run per
	# language: read its PDFs when they are there, rather than start the browser again.
	if [ -f "$PORTLAB_ROOT/build/worksheets/teacher/cheatsheet.ja.pdf" ] && command -v pdfinfo >/dev/null; then
		for lang in en ja; do
			pages=$(pdfinfo "$PORTLAB_ROOT/build/worksheets/teacher/cheatsheet.$lang.pdf" | awk '/^Pages:/ { print $2 }')
			[ "$pages" = 1 ] || { echo "cheatsheet.$lang: $pages pages, not 1"; false; }
		done
	elif [ -n "${CI:-}" ]; then
		echo "make worksheets printed no cheat sheet (build/worksheets/teacher/cheatsheet.ja.pdf)"
		false
	else
		skip "make worksheets (the test above) did not print here"
	fi
	grep -q 'lang="ja"' "$PORTLAB_ROOT/build/worksheets/teacher/cheatsheet.ja.html" ||
		{ echo "the Japanese cheat sheet's HTML is not marked lang=ja"; false; }
	run ! "$PORTLAB_ROOT/scripts/worksheets" --teacher no-such-sheet
}

# guide_commands FILE: every bin/ or scripts/ command FILE shows, in a ```
# block or `inline`, one a line, without "$ ", "sudo " or a trailing "&".
guide_commands() {
	{
		sheet_commands "$1"
		awk '/^[ \t]*```/ { inside = !inside; next } inside { sub(/^[ \t]+/, ""); sub(/^\$ /, ""); print }' "$1" |
			sed -n 's/^sudo //; /^scripts\//p'
		grep -v '^[ \t]*```' "$1" | grep -oE '`(sudo )?(PORTLAB_[A-Z]+=[^ `]+ )*(bin|scripts)/[^`]*`' |
			sed -E 's/^`//; s/`$//; s/^sudo //; s/^(PORTLAB_[A-Z]+=[^ ]+ )+//'
	} | sed -E 's/[ \t]+#.*$//; s/[ \t]*&[ \t]*$//' | sort -u
}

@test "every bin/ and scripts/ command the teacher's guide shows exists (and bin/ ones accept their options)" {
	local guide line prog n=0
	start_listen
	for guide in "$WORKSHEETS"/teacher/guide.*.md; do
		while IFS= read -r line; do
			prog=${line%% *}
			[ -x "$PORTLAB_ROOT/$prog" ] || { echo "${guide##*/}: no $prog for: $line"; false; }
			# A bare program name in the prose is only named; one with arguments is run.
			case $line in
			bin/*\ *) try_command "$line" || { echo "in ${guide##*/}"; false; } ;;
			scripts/lab*) [[ "$line" =~ ^scripts/lab\ (0?[1-9]|--port( [0-9]+)?)$ ]] ||
				{ echo "${guide##*/}: scripts/lab takes NN or --port [N], not: $line"; false; } ;;
			esac
			n=$((n + 1))
		done < <(guide_commands "$guide")
	done
	[ "$n" -ge 10 ] || { echo "found only $n commands in the guides"; false; }
}

@test "every diagram a worksheet shows is a file in worksheets/diagrams" {
	local sheet file n=0
	for sheet in "$WORKSHEETS"/en/*.md "$WORKSHEETS"/ja/*.md; do
		while IFS= read -r file; do
			[ -s "$WORKSHEETS/diagrams/$file" ] ||
				{ echo "${sheet#"$PORTLAB_ROOT"/} shows ../diagrams/$file, which is not there"; false; }
			grep -q '<svg' "$WORKSHEETS/diagrams/$file" ||
				{ echo "worksheets/diagrams/$file is not an SVG"; false; }
			n=$((n + 1))
		done < <(grep -o '](\.\./diagrams/[^)]*\.svg)' "$sheet" | sed 's|^](\.\./diagrams/||; s|)$||')
	done
	[ "$n" -ge 2 ] || { echo "found only $n diagrams in the worksheets"; false; }
}
