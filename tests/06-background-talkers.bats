#!/usr/bin/env bats
# Lab 06: bin/talkers, checked against ss and lsof.

load test_helper

@test "talkers --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/talkers" --help
	[[ "$output" == *"usage: talkers [--watch SECONDS]"* ]]
	[[ "$output" == *"Example:        bin/talkers --watch 60"* ]]
	[[ "$output" == *"lsof -nP -i"* ]]
	run -2 "$BIN/talkers" --watch 0
	[[ "${lines[0]}" == "talkers: bad --watch '0': give whole seconds from 1 to 86400, like --watch 60" ]]
	run -2 "$BIN/talkers" now
	[[ "${lines[0]}" == "talkers: unexpected argument 'now'" ]]
}

@test "a listen and connect pair is listed under the right pids and ports, as ss and lsof see it" {
	need_tool ss
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	local cport
	cport=$(output_of client | sed -n 's/^  lsof: FD 3u .* NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p')
	run -0 "$BIN/talkers"
	# Grouped by process, in lsof's notation, with what each port is.
	[[ "$output" == *"listen (pid $listen_PID)"$'\n'"  3u    TCP  127.0.0.1:$LISTEN_PORT "*"LISTEN"$'\n'"  4u    TCP  127.0.0.1:$LISTEN_PORT->127.0.0.1:$cport "*"ESTABLISHED   (local :$LISTEN_PORT is our server port)"* ]]
	[[ "$output" == *"connect (pid $client_PID)"$'\n'"  3u    TCP  127.0.0.1:$cport->127.0.0.1:$LISTEN_PORT "*"ESTABLISHED   (local :$cport is ephemeral)"* ]]
	# ss agrees on the owner of each end.
	ss -tanpH "sport = :$cport" | grep -q "users:((\"connect\",pid=$client_PID,fd=3))"
	ss -tanpH "sport = :$LISTEN_PORT" | grep -q "users:((\"listen\",pid=$listen_PID,fd=4))"
	# lsof agrees on fd and NAME.
	lsof -nP -a -p "$client_PID" -i | grep -qE " 3u +IPv4 .* TCP 127\.0\.0\.1:$cport->127\.0\.0\.1:$LISTEN_PORT \(ESTABLISHED\)$"
}

@test "--watch reports a connection opened and closed while it watches, with the time" {
	start_listen
	start_bg watcher "$BIN/talkers" --watch 30
	wait_for watcher '^Watching for connections'
	# Hold it for 2 s: longer than the 0.5 s between looks.
	run -0 fresh timeout "$WAIT_SECONDS" "$BIN/connect" --hold 2 127.0.0.1 "$LISTEN_PORT"
	wait_for watcher "^- [0-9]{2}:[0-9]{2}:[0-9]{2}  connect +[0-9]+  3u +TCP  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$LISTEN_PORT .*closed$"
	output_of watcher | grep -qE "^\+ [0-9]{2}:[0-9]{2}:[0-9]{2}  connect +[0-9]+  3u +TCP  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$LISTEN_PORT .*ESTABLISHED.*opened$"
	output_of watcher | grep -qE "^\+ .*  listen +$listen_PID  4u +TCP  127\.0\.0\.1:$LISTEN_PORT->.*opened$"
}

@test "the summary counts processes and sockets and names the background-talker lesson" {
	start_listen
	run -0 "$BIN/talkers"
	[[ "$output" =~ [0-9]+\ process(es)?\ with\ [0-9]+\ sockets?:\ [0-9]+\ listening\ for\ connections ]]
	[[ "$output" == *"like macOS's Notes keeping a connection to iCloud (:443) open to sync."* ]]
}

@test "as another user, talkers counts the processes it cannot read and says sudo shows them; as root it never suggests sudo" {
	start_listen	# root's, so invisible to nobody
	run -0 $(as_nobody talkers)
	[[ "$output" =~ [0-9]+\ process(es)?\ could\ not\ be\ read:\ (they\ belong\ to\ other\ users|it\ belongs\ to\ another\ user)\.\ lsof\ -i\ leaves\ them\ out\ without\ a\ word\;\ sudo\ bin/talkers\ shows\ them\. ]]
	[[ "$output" != *":$LISTEN_PORT "* ]]
	run -0 "$BIN/talkers"
	[[ "$output" != *"sudo"* ]]
	[[ "$output" == *":$LISTEN_PORT"* ]]
}

@test "UDP sockets that neither listen nor connect are counted as such in the summary" {
	need_tool socat
	start_bg udp socat -u UDP4-RECV:0,bind=127.0.0.1 /dev/null
	local deadline=$((SECONDS + WAIT_SECONDS))
	until ss -Huanp | grep -q "pid=$udp_PID,"; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "socat's UDP socket never appeared"; false; }
		sleep 0.05
	done
	run -0 "$BIN/talkers"
	[[ "$output" =~ connected\ to\ another\ end,\ [0-9]+\ neither\ \(UDP,\ not\ connected\)\. ]]
}

@test "a server that forks per client: the child's end is called a server port, since its parent listens there" {
	need_tool socat
	start_bg server socat TCP-LISTEN:0,fork,bind=127.0.0.1 EXEC:cat
	local port="" deadline=$((SECONDS + WAIT_SECONDS))
	until [ -n "$port" ]; do
		port=$(ss -Hltnp 2>/dev/null | awk -v pid="pid=$server_PID," 'index($0, pid) { sub(/.*:/, "", $4); print $4 }')
		[ "$SECONDS" -lt "$deadline" ] || { echo "socat never listened"; false; }
		[ -n "$port" ] || sleep 0.1
	done
	exec {sock}<>"/dev/tcp/127.0.0.1/$port"
	local child="" line
	until [ -n "$child" ]; do
		child=$(ss -Htnp state established "( sport = :$port )" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1)
		[ "$SECONDS" -lt "$deadline" ] || { echo "socat never forked a child"; false; }
		[ -n "$child" ] || sleep 0.1
	done
	run -0 "$BIN/talkers"
	line=$(grep -A1 "^socat (pid $child)" <<<"$output" | tail -n 1)
	[[ "$line" == *"127.0.0.1:$port->127.0.0.1:"*"ESTABLISHED   (local :$port is a server port; another process listens on it)" ]] ||
		{ echo "child's row: $line"; echo "$output"; false; }
	exec {sock}>&-
}

# ---- Japanese (po/ja.po): the notes and summaries change, the columns do not ----

# columns_of PID...: from talkers' listing on stdin, the rows of the processes
# PID... with only their aligned columns (FD, protocol, NAME, state: the first
# 73 bytes, trailing blanks cut), each after its pid. The headers' words differ
# by language ("listen (pid 42)", "listen（PID 42）"), so the pid is read from either.
columns_of() {
	awk -v pids=" $* " '
		/^[^ ]/ { pid = $0; sub(/\)$|）$/, "", pid); sub(/.*[^0-9]/, "", pid); keep = index(pids, " " pid " ") > 0 }
		/^  / && keep { row = substr($0, 1, 73); sub(/ +$/, "", row); print pid, row }'
}

@test "talkers in Japanese: the same columns as in English, byte for byte, the notes and summary in Japanese" {
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	local cport
	cport=$(output_of client | sed -n 's/^  lsof: FD 3u .* NAME 127\.0\.0\.1:\([0-9]*\)->.*/\1/p')
	run -0 "$BIN/talkers"
	columns_of "$listen_PID" "$client_PID" <<<"$output" >"$BATS_TEST_TMPDIR/en"
	run -0 ja "$BIN/talkers"
	columns_of "$listen_PID" "$client_PID" <<<"$output" >"$BATS_TEST_TMPDIR/ja"
	diff "$BATS_TEST_TMPDIR/en" "$BATS_TEST_TMPDIR/ja" || { echo "(< English, > Japanese)"; false; }
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ja")" -eq 3 ]
	# The whole lines, Japanese after the columns only.
	[[ "$output" == *"listen（PID $listen_PID）"$'\n'"  3u    TCP  127.0.0.1:$LISTEN_PORT "*"LISTEN"$'\n'"  4u    TCP  127.0.0.1:$LISTEN_PORT->127.0.0.1:$cport "*"ESTABLISHED   （自分の側の :$LISTEN_PORT は、自分が待ち受けるサーバーのポート）"$'\n'* ]] ||
		{ echo "$output"; false; }
	[[ "$output" == *"connect（PID $client_PID）"$'\n'"  3u    TCP  127.0.0.1:$cport->127.0.0.1:$LISTEN_PORT "*"ESTABLISHED   （自分の側の :$cport はエフェメラルポート）"$'\n'* ]]
	[[ "$output" =~ $'\n'[0-9]+\ 個のプロセスが\ [0-9]+\ 個のソケットを持っている。接続を待ち受けているものが\ [0-9]+\ 個、相手と接続しているものが\ [0-9]+\ 個 ]]
	grep -qxF "ここにあるプロセスのうち自分で起動していないものは、裏で通信しているプロセスだ。macOS の Notes（メモ）が、同期のために iCloud（:443）との接続を開いたままにしているのと同じ。" <<<"$output"
}

@test "as another user, talkers in Japanese counts the processes it cannot read and says sudo shows them" {
	start_listen	# root's, so invisible to nobody
	run -0 ja $(as_nobody talkers)
	# Its line on the processes it cannot read (one on TCP sockets no process holds may follow).
	[[ "$(grep '個のプロセスは読めなかった' <<<"$output")" =~ ^[0-9]+\ 個のプロセスは読めなかった。ほかのユーザーのプロセスだからだ。lsof\ -i\ は、これらを何も言わずに省く。sudo\ bin/talkers\ なら表示される。$ ]] ||
		{ echo "$output"; false; }
}

@test "--watch in Japanese reports the same events in the same columns, and says why it stopped" {
	start_listen
	start_bg en_watch "$BIN/talkers" --watch 30
	start_bg ja_watch env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/talkers" --watch 30
	wait_for en_watch '^Watching for connections'
	wait_for ja_watch '^接続が開く（\+）、閉じる（-）、状態が変わる（~）のを 30 秒間監視する。'
	output_of ja_watch | grep -qxF "接続が開く（+）、閉じる（-）、状態が変わる（~）のを 30 秒間監視する。Ctrl-C で止まる。（見るのは1秒に2回なので、それより短い接続は見逃すことがある。）"
	start_bg client "$BIN/connect" --hold 2 127.0.0.1 "$LISTEN_PORT"
	local closed="^- [0-9:]{8}  connect +$client_PID  3u +TCP  127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$LISTEN_PORT "
	wait_for en_watch "$closed.*closed$"
	wait_for ja_watch "$closed.*  閉じた$"
	# listen may see its end close a moment later: wait for that too, on both screens.
	wait_for en_watch "^- [0-9:]{8}  listen +$listen_PID  4u .*closed$"
	wait_for ja_watch "^- [0-9:]{8}  listen +$listen_PID  4u .*  閉じた$"
	output_of ja_watch | grep -qE "^\+ [0-9:]{8}  connect +$client_PID  3u +TCP  127\.0\.0\.1:([0-9]+)->127\.0\.0\.1:$LISTEN_PORT +ESTABLISHED   （自分の側の :[0-9]+ はエフェメラルポート）  開いた$"
	output_of ja_watch | grep -qE "^\+ [0-9:]{8}  listen +$listen_PID  4u +TCP  127\.0\.0\.1:$LISTEN_PORT->.*（自分の側の :$LISTEN_PORT は、自分が待ち受けるサーバーのポート）  開いた$"
	# Each event of our two processes: its mark, command, pid and columns, without the time.
	local events='$4 == l || $4 == c { row = substr($0, 11, 94); sub(/ +$/, "", row); print substr($0, 1, 1) row }'
	# Sorted: the two watchers look at different moments, so two events one
	# sees in one look may come in two looks, in either order, for the other.
	output_of en_watch | awk -v l="$listen_PID" -v c="$client_PID" "$events" | sort >"$BATS_TEST_TMPDIR/en"
	output_of ja_watch | awk -v l="$listen_PID" -v c="$client_PID" "$events" | sort >"$BATS_TEST_TMPDIR/ja"
	diff "$BATS_TEST_TMPDIR/en" "$BATS_TEST_TMPDIR/ja" || { echo "(< English, > Japanese)"; false; }
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ja")" -eq 4 ]	# each end opened and closed
	kill -TERM "$ja_watch_PID"
	wait_exit "$ja_watch_PID"
	output_of ja_watch | tail -n 1 | grep -qxF "talkers: 監視を止めた（SIGTERM）。"
}

@test "talkers --help and errors in Japanese: the usage line and options as they are" {
	run -0 "$BIN/talkers" --help
	local en=$output
	run -0 ja "$BIN/talkers" --help
	[ "$(wc -l <<<"$output")" -eq "$(wc -l <<<"$en")" ]
	[ "${lines[0]}" = "usage: talkers [--watch SECONDS]" ]
	diff <(grep '^  -' <<<"$en" | cut -c 1-20) <(grep '^  -' <<<"$output" | cut -c 1-20)
	[ "${lines[1]}" = "ネットワークのソケットを持つプロセスをすべて、プロセスごとにまとめて表示する。" ]
	grep -qxF "  --watch SECONDS   続けて SECONDS 秒間、接続が開いたり閉じたりするたびに" <<<"$output"
	grep -qxF "例：            bin/talkers --watch 60" <<<"$output"
	[ "${lines[${#lines[@]} - 1]}" = "横で試す：      lsof -nP -i" ]
	run -2 ja "$BIN/talkers" --watch 0
	[ "${lines[0]}" = "talkers: --watch '0' は使えない。1 から 86400 までの整数の秒数を、--watch 60 のように書く" ]
	[ "${lines[1]}" = "usage: talkers [--watch SECONDS]" ]
	run -2 ja "$BIN/talkers" now
	[ "${lines[0]}" = "talkers: 余分な引数 'now'" ]
}

@test "with no socket to list (a network namespace of its own), talkers says so in a line, in both languages" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to make a network namespace"
	need_tool unshare
	run -0 timeout "$WAIT_SECONDS" unshare -n "$BIN/talkers"
	[ "${lines[0]}" = "No process we can see has a network socket." ]
	[[ "$output" != *"background talker"* ]]
	run -0 timeout "$WAIT_SECONDS" env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 unshare -n "$BIN/talkers"
	[ "${lines[0]}" = "ネットワークのソケットを持つプロセスは、見える範囲にはない。" ]
}

@test "a TIME_WAIT that no process holds: ss -tan shows it, lsof cannot, and talkers counts it and says why" {
	need_tool ss
	need_tool lsof
	start_listen
	# connect closes first, so its end of the connection waits in TIME_WAIT.
	run -0 timeout "$WAIT_SECONDS" "$BIN/connect" --hold 0 127.0.0.1 "$LISTEN_PORT"
	local port
	port=$(sed -n 's/^1 connection to port .* from one local port: \([0-9]*\)$/\1/p' <<<"$output")
	[ -n "$port" ]
	# The whole 4-tuple: an earlier test's TIME_WAIT may share the local port
	# with another server's port, since the OS reuses a port for a new tuple.
	run -0 ss -Htan state time-wait "( sport = :$port and dport = :$LISTEN_PORT )"
	[ "${#lines[@]}" -eq 1 ] || { echo "ss: $output"; false; }
	run -1 lsof -nP -iTCP:"$port"
	[ -z "$output" ]
	run -0 "$BIN/talkers"
	[[ "$output" =~ $'\n'"Sockets lsof cannot show: "([0-9]+)" TCP socket"s?" no process holds ("([0-9]+)" TIME_WAIT, " ]] ||
		{ echo "$output"; false; }
	[ "${BASH_REMATCH[2]}" -ge 1 ]
	[[ "${lines[${#lines[@]} - 1]}" == *"so lsof has no row for "*": ss -tan lists "* ]]
	run -0 ja "$BIN/talkers"
	[[ "${lines[${#lines[@]} - 1]}" =~ ^"lsof には出ないソケット：どのプロセスも持っていない TCP のソケットが "[0-9]+" 個ある（TIME_WAIT が "[0-9]+" 個、" ]] ||
		{ echo "$output"; false; }
}
