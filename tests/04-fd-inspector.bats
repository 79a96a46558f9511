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
	[[ "${lines[0]}" == "fdinspect: bad -i '8080': the protocol is TCP or UDP, like TCP:8080. Write it as lsof does: [4|6][TCP|UDP][@HOST][:PORT], like -i :8080, -i TCP:8080, -i @127.0.0.1 or -i 6" ]]
	run -2 "$BIN/fdinspect" -i SCTP:80
	[[ "${lines[0]}" == *"the protocol is TCP or UDP"* ]]
	run -2 "$BIN/fdinspect" -i :70000
	[[ "${lines[0]}" == *"ports are 0-65535"* ]]
	run -2 "$BIN/fdinspect" -i :9000-8000
	[[ "${lines[0]}" == *"a range goes up"* ]]
	run -2 "$BIN/fdinspect" -i :no-such-service
	[[ "${lines[0]}" == *"no service has that name"* ]]
	run -2 "$BIN/fdinspect" -i @
	[[ "${lines[0]}" == *"after '@' give an address"* ]]
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
	[[ "$t" =~ \ 3r\ +REG\ .*/portlab-fdinspect\.[A-Za-z0-9]+/ro\.txt ]]
	[[ "$t" =~ \ 4w\ +REG\ .*\ 6\ +[0-9]+\ /tmp/portlab-fdinspect\.[A-Za-z0-9]+/wo\.txt ]]
	[[ "$t" =~ \ 5u\ +REG\ .*/rw\.txt ]]
	[[ "$t" =~ \ 6r\ +FIFO\ .*\ pipe ]]
	[[ "$t" =~ \ 7w\ +FIFO\ .*\ pipe ]]
	[[ "$t" =~ \ 8u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:([0-9]+)\ \(LISTEN\) ]]
	local port=${BASH_REMATCH[1]}
	[[ "$t" =~ \ 9u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:[0-9]+-\>127\.0\.0\.1:$port\ \(ESTABLISHED\) ]]
	[[ "$t" =~ \ 10u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:$port-\>127\.0\.0\.1:[0-9]+\ \(ESTABLISHED\) ]]
	[[ "$t" =~ \ 11u\ +unix\ 0x[0-9a-f]+\ .*/demo\.sock\ type=STREAM\ \(LISTEN\) ]]
	[[ "$t" =~ \ cwd\ +DIR\  && "$t" =~ \ rtd\ +DIR\  && "$t" =~ \ txt\ +REG\ .*/fdinspect ]]
	output_of fdi | grep -qE '^  3r +descriptor 3, read-only \(r\): a regular file$'
	output_of fdi | grep -qE '^  6r +descriptor 6, read-only \(r\): one end of a pipe$'
	output_of fdi | grep -qE '^  8u +descriptor 8, read-write \(u\): a TCP socket listening for connections$'
	output_of fdi | grep -qE '^  cwd +not a descriptor: the current working directory$'
}

@test "the table fdinspect prints about itself is, line for line, what lsof -nP -p prints" {
	need_tool lsof
	start_bg fdi "$BIN/fdinspect" --hold 60
	wait_for fdi '^Try beside it:  lsof -nP -p '
	own_table >"$BATS_TEST_TMPDIR/ours"
	lsof -nP -p "$fdi_PID" >"$BATS_TEST_TMPDIR/lsof" 2>/dev/null || true
	table_rows "$BATS_TEST_TMPDIR/ours" | sort >"$BATS_TEST_TMPDIR/ours.rows"
	table_rows "$BATS_TEST_TMPDIR/lsof" | sort >"$BATS_TEST_TMPDIR/lsof.rows"
	# Header, column widths, every row: the same bytes. (Its stdout and stderr
	# are a file that grows as it prints, so only their sizes may differ. NODE is
	# right-aligned: a small inode, as on a fresh tmpfs, has spaces before it.)
	diff <(sed 's/ *[0-9][0-9]* \( *[0-9][0-9]* [^ ]*fdi\.out\)$/ SIZE \1/' "$BATS_TEST_TMPDIR/lsof") \
		<(sed 's/ *[0-9][0-9]* \( *[0-9][0-9]* [^ ]*fdi\.out\)$/ SIZE \1/' "$BATS_TEST_TMPDIR/ours") ||
		{ echo "(< lsof, > fdinspect)"; false; }
	grep -q '^cwd ' "$BATS_TEST_TMPDIR/ours.rows" || { echo "no cwd row"; false; }
	grep -q '^txt ' "$BATS_TEST_TMPDIR/ours.rows"
}

@test "-p shows another process's table" {
	start_listen
	run -0 "$BIN/fdinspect" -p "$listen_PID"
	[[ "$output" =~ listen\ +$listen_PID\ .*\ 3u\ +IPv4\ .*\ TCP\ 127\.0\.0\.1:$LISTEN_PORT\ \(LISTEN\) ]]
	[[ "$output" =~ 3u\ +descriptor\ 3,\ read-write\ \(u\):\ a\ TCP\ socket\ listening\ for\ connections ]]
}

@test "-i prints lsof's own rows, for every form of -i that lsof accepts" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" -n 2 --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 2 connections'
	local spec next=$((LISTEN_PORT + 1))
	for spec in ":$LISTEN_PORT" "TCP:$LISTEN_PORT" "tcp:$LISTEN_PORT" "4TCP:$LISTEN_PORT" \
	    "@127.0.0.1:$LISTEN_PORT" "TCP@127.0.0.1:$LISTEN_PORT" ":$LISTEN_PORT-$next" \
	    ":$next,$LISTEN_PORT" "@localhost:$LISTEN_PORT"; do
		run -0 "$BIN/fdinspect" -i "$spec"
		diff <(lsof -nP -i "$spec") <(sed '/^$/,$d' <<<"$output") ||
			{ echo "-i $spec: (< lsof, > fdinspect)"; false; }
		[[ "$output" == *$'\n5 sockets. A LISTEN row is a server waiting on its port'* ]] ||
			{ echo "-i $spec: $output"; false; }
	done
	run -1 "$BIN/fdinspect" -i "UDP:$LISTEN_PORT"
	[[ "$output" == "No process we can see has a socket that -i UDP:$LISTEN_PORT selects."* ]]
	run -1 "$BIN/fdinspect" -i "6TCP:$LISTEN_PORT"
	[[ "$output" == "No process we can see has a socket that -i 6TCP:$LISTEN_PORT selects."* ]]
}

@test "-p on a process we may not read prints lsof's own Permission denied rows, and says only root can see more" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to start a process another user cannot read"
	need_tool setpriv
	need_tool lsof
	start_listen
	run -0 $(as_nobody fdinspect) -p "$listen_PID"
	printf '%s\n' "$output" | sed '/^$/,$d' >"$BATS_TEST_TMPDIR/ours"
	setpriv --reuid=nobody --regid=nogroup --clear-groups lsof -nP -p "$listen_PID" >"$BATS_TEST_TMPDIR/lsof" || true
	diff -u "$BATS_TEST_TMPDIR/lsof" "$BATS_TEST_TMPDIR/ours"
	grep -q "NOFD .*/proc/$listen_PID/fd (opendir: Permission denied)$" "$BATS_TEST_TMPDIR/ours"
	[[ "$output" == *"  NOFD   not a descriptor: lsof could not list the descriptors at all; NAME says why"* ]]
	[[ "$output" == *"(Permission denied: process $listen_PID belongs to another user. lsof prints these same rows: without root it sees where the descriptors are, not what they are. Try: sudo bin/fdinspect -p $listen_PID)" ]]
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

# ---- Japanese (po/ja.po): the prose changes, lsof's notation does not ----

# table_part: the lines of $output before the first blank one (lsof's table).
table_part() {
	sed '/^$/,$d' <<<"$output"
}

@test "-p and -i print the same table in Japanese as in English, byte for byte, and explain it in Japanese" {
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	run -0 "$BIN/fdinspect" -p "$listen_PID"
	table_part >"$BATS_TEST_TMPDIR/en.p"
	run -0 ja "$BIN/fdinspect" -p "$listen_PID"
	table_part >"$BATS_TEST_TMPDIR/ja.p"
	diff "$BATS_TEST_TMPDIR/en.p" "$BATS_TEST_TMPDIR/ja.p" || { echo "(< English, > Japanese)"; false; }
	grep -q "^listen .* 3u .*TCP 127\.0\.0\.1:$LISTEN_PORT (LISTEN)$" "$BATS_TEST_TMPDIR/ja.p"
	[[ "$output" == *$'\n\n各行の意味：\n'* ]] || { echo "$output"; false; }
	grep -qxE '  cwd +ファイルディスクリプタではない：カレントディレクトリ' <<<"$output"
	grep -qxE '  txt +ファイルディスクリプタではない：実行中のプログラム本体のファイル' <<<"$output"
	grep -qxE '  0r +ファイルディスクリプタ 0（標準入力）、読み込み専用（r）：キャラクタデバイス（端末、/dev/null など）' <<<"$output"
	grep -qxE '  3u +ファイルディスクリプタ 3、読み書き（u）：接続を待ち受けている TCP ソケット' <<<"$output"
	grep -qxE '  4u +ファイルディスクリプタ 4、読み書き（u）：TCP の接続（NAME は自分の側が先：LOCAL->REMOTE）' <<<"$output"
	# The explanations name the same rows, in the same order, in both languages.
	diff <(run_fd_column en) <(run_fd_column ja)

	local spec=":$LISTEN_PORT"
	run -0 "$BIN/fdinspect" -i "$spec"
	table_part >"$BATS_TEST_TMPDIR/en.i"
	run -0 ja "$BIN/fdinspect" -i "$spec"
	table_part >"$BATS_TEST_TMPDIR/ja.i"
	diff "$BATS_TEST_TMPDIR/en.i" "$BATS_TEST_TMPDIR/ja.i" || { echo "(< English, > Japanese)"; false; }
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ja.i")" -eq 4 ]	# the header, LISTEN, and both ends of the connection
	grep -qxF "ソケットは 3 個。LISTEN の行は、ポートを開けて待ち受けているサーバー。ESTABLISHED の行は1本の接続の片方の端で、NAME はその行のプロセスの側が先に書かれる。" <<<"$output"
	run -1 ja "$BIN/fdinspect" -i "UDP:$LISTEN_PORT"
	[ "${lines[0]}" = "-i UDP:$LISTEN_PORT に当てはまるソケットを持つプロセスは、見える範囲にはない。" ]
}

# run_fd_column LANG: the FD column of fdinspect -p $listen_PID's explanations, in LANG (en or ja).
run_fd_column() {
	if [ "$1" = ja ]; then
		ja "$BIN/fdinspect" -p "$listen_PID"
	else
		"$BIN/fdinspect" -p "$listen_PID"
	fi | sed '1,/^$/d' | awk 'NR > 1 && /^  / { print $1 }'
}

@test "the teaching set in Japanese: the same kinds of rows, the narration in Japanese, the lsof command as it is" {
	start_bg en "$BIN/fdinspect" --hold 60
	start_bg jp env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/fdinspect" --hold 60
	wait_for en '^Try beside it:  lsof -nP -p '
	wait_for jp '^横で試す：lsof -nP -p '
	output_of jp | head -n 1 | grep -qxF "fdinspect（PID $jp_PID）は、ファイルディスクリプタ（プロセスが開いているファイルやパイプ、ソケットにつく番号）を種類ごとに1つずつ開いた。lsof と同じ列で表示する："
	output_of jp | grep -qxF "横で試す：lsof -nP -p $jp_PID"
	output_of jp | grep -qxF "見比べられるように、--hold の秒数だけ待つ。Ctrl-C で止まる。"
	output_of jp | grep -qxE '  3r +ファイルディスクリプタ 3、読み込み専用（r）：通常のファイル'
	output_of jp | grep -qxE '  6r +ファイルディスクリプタ 6、読み込み専用（r）：パイプの片方の端'
	output_of jp | grep -qxE '  11u +ファイルディスクリプタ 11、読み書き（u）：UNIX ドメインソケット（このマシンのプロセスどうしだけで使う）'
	# Same rows (FD and TYPE of each), same explained FDs, same command to run (its pid
	# aside). The mem rows are left out: they list the locale files the C library maps,
	# which depend on which locales this machine has installed, not on the language.
	diff <(output_of en | awk '/^COMMAND /{on = 1; next} on && /^$/{exit} on && $4 != "mem" { print $4, $5 }') \
		<(output_of jp | awk '/^COMMAND /{on = 1; next} on && /^$/{exit} on && $4 != "mem" { print $4, $5 }')
	diff <(output_of en | sed '1,/^$/d; 1,/^$/d' | awk '/^$/{exit} /^  / && $1 != "mem" { print $1 }') \
		<(output_of jp | sed '1,/^$/d; 1,/^$/d' | awk '/^$/{exit} /^  / && $1 != "mem" { print $1 }')
	diff <(output_of en | grep -o "lsof -nP -p $en_PID\$" | sed "s/$en_PID/PID/") \
		<(output_of jp | grep -o "lsof -nP -p $jp_PID\$" | sed "s/$jp_PID/PID/")
	kill -TERM "$jp_PID"
	wait_exit "$jp_PID"
	output_of jp | tail -n 1 | grep -qxF "fdinspect: SIGTERM で止まった。プロセスが終了すると、カーネルがファイルディスクリプタをすべて閉じる。"
}

@test "errors in Japanese keep the errno name, the command and the usage lines as they are" {
	local pid
	pid=$(cat /proc/sys/kernel/pid_max)	# pids stay below pid_max
	run -1 ja "$BIN/fdinspect" -p "$pid"
	[ "$output" = "fdinspect: PID $pid のファイルディスクリプタの読み取り: そのようなプロセスはない [ESRCH]。PID $pid のプロセスはない。プロセスの一覧を見る：ps -e" ]
	run -2 ja "$BIN/fdinspect" -p abc
	[ "${lines[0]}" = "fdinspect: PID 'abc' は使えない。PID は 4242 のような整数で書く" ]
	local ja_usage=("${lines[@]:1}")
	run -2 "$BIN/fdinspect" -p abc
	[ "${#ja_usage[@]}" -eq 3 ]
	[ "${ja_usage[0]}" = "usage: fdinspect [--hold SECONDS]" ]
	[ "${lines[*]:1}" = "${ja_usage[*]}" ]
	run -2 ja "$BIN/fdinspect" -i 8080
	[ "${lines[0]}" = "fdinspect: -i '8080' は使えない。プロトコルは TCP か UDP で、TCP:8080 のように書く。形は lsof と同じ [4|6][TCP|UDP][@HOST][:PORT]（例：-i :8080、-i TCP:8080、-i @127.0.0.1、-i 6）" ]
	run -2 ja "$BIN/fdinspect" -p 1 -i :80
	[ "${lines[0]}" = "fdinspect: -p と -i は一緒に使えない。どちらか一方にする" ]
	run -2 ja "$BIN/fdinspect" extra
	[ "${lines[0]}" = "fdinspect: 余分な引数 'extra'" ]
	run -2 ja "$BIN/fdinspect" --hold forever
	[ "${lines[0]}" = "fdinspect: --hold 'forever' は使えない。0 から 86400 までの整数の秒数を、--hold 30 のように書く" ]
}

@test "-p on a process we may not read, in Japanese: lsof's own rows, then why in Japanese" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to start a process another user cannot read"
	need_tool setpriv
	start_listen
	local -a cmd
	read -r -a cmd <<<"$(as_nobody fdinspect)"
	run -0 "${cmd[@]}" -p "$listen_PID"
	table_part >"$BATS_TEST_TMPDIR/en"
	run -0 ja "${cmd[@]}" -p "$listen_PID"
	table_part >"$BATS_TEST_TMPDIR/ja"
	diff "$BATS_TEST_TMPDIR/en" "$BATS_TEST_TMPDIR/ja"
	grep -q "NOFD .*/proc/$listen_PID/fd (opendir: Permission denied)$" "$BATS_TEST_TMPDIR/ja"
	grep -qxE '  NOFD +ファイルディスクリプタではない：lsof がファイルディスクリプタを1つも一覧にできなかったことを示す行。理由は NAME 列にある' <<<"$output"
	[ "${lines[${#lines[@]} - 1]}" = "（Permission denied（アクセス拒否）。PID $listen_PID はほかのユーザーのプロセスなので読めない。lsof もこれと同じ行を表示する。root でなければ、ファイルディスクリプタがどこにあるかは見えても、それが何かは見えない。試す：sudo bin/fdinspect -p $listen_PID）" ]
}

@test "fdinspect --help in Japanese: the usage lines and options as they are, the prose in Japanese" {
	run -0 "$BIN/fdinspect" --help
	local en=$output
	run -0 ja "$BIN/fdinspect" --help
	# As many lines (blank ones too), the same usage lines and option names.
	[ "$(wc -l <<<"$output")" -eq "$(wc -l <<<"$en")" ]
	diff <(head -n 3 <<<"$en") <(head -n 3 <<<"$output")
	diff <(grep '^  -' <<<"$en" | cut -c 1-24) <(grep '^  -' <<<"$output" | cut -c 1-24)
	[ "${lines[3]}" = "オプションなしでは、ファイル（読み込み専用・書き込み専用・読み書き）、パイプ、" ]
	grep -qxF "  --hold SECONDS        SECONDS 秒たったら終了する（省略時は Ctrl-C まで）" <<<"$output"
	grep -qxF "                        書き方は lsof -i と同じ：[4|6][TCP|UDP][@HOST][:PORTS]" <<<"$output"
	grep -qxF "例：            bin/fdinspect" <<<"$output"
	[ "${lines[${#lines[@]} - 1]}" = "横で試す：      lsof -nP -p PID（fdinspect が自分の PID を表示する）" ]
}
