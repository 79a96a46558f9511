#!/usr/bin/env bats
# Lab 01: bin/portinfo, checked against /proc and /etc/services.

load test_helper

# field PORT COLUMN: one column of portinfo's plain (piped) output for PORT.
# Columns: 1 port, 2 range, 3 rfc6335, 4 tcp, 5 udp, 6 ephemeral, 7 bind.
field() {
	awk -F'\t' -v p="$1" -v c="$2" '$1 == p { print $c }' <<<"$output"
}

need_services() {
	[ -f /etc/services ] && return 0
	[ -n "${CI:-}" ] && { echo "/etc/services is missing (Debian: netbase)" >&2; return 1; }
	skip "/etc/services is missing (Debian package netbase)"
}

@test "portinfo --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/portinfo" --help
	[[ "$output" == *"usage: portinfo [--table] PORT|SERVICE ..."* ]]
	[[ "$output" == *"Example:        bin/portinfo 22 443 5432 3000 33000 56234"* ]]
	[[ "$output" == *"lsof -nP -iTCP:443"* ]]
	run -0 "$BIN/portinfo" --version
	[[ "$output" =~ ^portinfo\ \(portlab\)\ [0-9.]+$ ]]
}

@test "no arguments or an unknown option exit 2 with the usage line" {
	run -2 "$BIN/portinfo"
	[[ "$output" == *"which ports?"*"usage: portinfo"* ]]
	run -2 "$BIN/portinfo" --ranges
	[[ "${lines[0]}" == "portinfo: unknown option '--ranges'" ]]
}

@test "the range boundaries fall in IANA's ranges, named as RFC 6335 names them" {
	run -0 "$BIN/portinfo" 0 1023 1024 49151 49152 65535
	[ "${lines[0]}" = "$(printf 'port\trange\trfc6335\ttcp\tudp\tephemeral\tbind')" ]
	[ "$(field 0 2) / $(field 0 3)" = "well-known / System Ports" ]
	[ "$(field 1023 2) / $(field 1023 3)" = "well-known / System Ports" ]
	[ "$(field 1024 2) / $(field 1024 3)" = "registered / User Ports" ]
	[ "$(field 49151 2) / $(field 49151 3)" = "registered / User Ports" ]
	[ "$(field 49152 2) / $(field 49152 3)" = "dynamic / Dynamic and/or Private Ports" ]
	[ "$(field 65535 2) / $(field 65535 3)" = "dynamic / Dynamic and/or Private Ports" ]
}

@test "service names come from the services database, and names work as arguments" {
	need_services
	run -0 "$BIN/portinfo" 22 80 443 5432 3306
	[ "$(field 22 4)" = ssh ]
	[ "$(field 80 4)" = "http (www)" ]
	[ "$(field 443 4)" = https ]
	[ "$(field 5432 4)" = "postgresql (postgres)" ]
	[ "$(field 3306 4)" = mysql ]
	# The same answers as the database itself.
	[ "$(getent services 22/tcp | awk '{print $1}')" = ssh ]
	run -0 "$BIN/portinfo" https ssh postgres
	[ "$(awk -F'\t' 'NR > 1 { print $1 }' <<<"$output" | tr '\n' ' ')" = "443 22 5432 " ]
}

@test "whether a port is ephemeral here follows the live range in /proc" {
	local low high
	read -r low high </proc/sys/net/ipv4/ip_local_port_range
	[ -z "$(tr -d '\n' </proc/sys/net/ipv4/ip_local_reserved_ports)" ] || skip "reserved ports are set on this machine"
	run -0 "$BIN/portinfo" $((low - 1)) "$low" "$high" $((high + 1))
	[ "$(field $((low - 1)) 6)" = no ]
	[ "$(field "$low" 6)" = yes ]
	[ "$(field "$high" 6)" = yes ]
	[ "$(field $((high + 1)) 6)" = no ]
}

@test "whether binding needs root follows ip_unprivileged_port_start" {
	local start
	start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
	[ "$start" -gt 1 ] || skip "every port is unprivileged here"
	run -0 "$BIN/portinfo" 0 $((start - 1)) "$start"
	[ "$(field 0 7)" = anyone ]
	[ "$(field $((start - 1)) 7)" = root ]
	[ "$(field "$start" 7)" = anyone ]
}

@test "--range shows the range from /proc beside IANA's, and what the difference means" {
	local low high
	read -r low high </proc/sys/net/ipv4/ip_local_port_range
	run -0 "$BIN/portinfo" --range
	[ "${lines[0]}" = "This OS hands out ephemeral ports $low-$high ($((high - low + 1)) ports), read from /proc/sys/net/ipv4/ip_local_port_range." ]
	[ "${lines[1]}" = "IANA's dynamic/private range is 49152-65535 (16384 ports), RFC 6335." ]
	if [ "$low" -lt 49152 ]; then
		[[ "$output" == *"They differ: $low-"*"lies in IANA's registered range (1024-49151), so a client here can be given a port such as "* ]]
	fi
	if [ "$high" -lt 65535 ]; then
		[[ "$output" == *"This OS never hands out $((high + 1))-65535 by itself"* ]]
	fi
	[[ "${lines[-1]}" == "Change it (as root): sysctl -w net.ipv4.ip_local_port_range="* ]]
}

@test "--table prints an aligned table and a legend with RFC 6335's and the memo's names" {
	run -0 "$BIN/portinfo" --table 22 33000
	[[ "${lines[0]}" =~ ^PORT\ +IANA\ RANGE\ +SERVICE\ \(tcp\)\ +SERVICE\ \(udp\)\ +EPHEMERAL\ HERE\ +MAY\ BIND\ IT$ ]]
	[[ "${lines[1]}" =~ ^22\ +well-known\ + ]]
	[[ "$output" == *'"System Ports"'*"memo: ウェルノウンポート"* ]]
	[[ "$output" == *'"User Ports"'*"memo: 登録済みポート"* ]]
	[[ "$output" == *'"Dynamic and/or Private Ports"'*"memo: エフェメラルポート"* ]]
}

@test "bad arguments each get an error and exit 2, and the valid ones are still reported" {
	local long
	long=$(printf '9%.0s' {1..5000})
	run -2 --separate-stderr "$BIN/portinfo" 22 70000 -5 0x50 80.5 "" "$long" nosuchservice 443
	[ "$(awk -F'\t' 'NR > 1 { print $1 }' <<<"$output" | tr '\n' ' ')" = "22 443 " ]
	[ "${#stderr_lines[@]}" -eq 7 ]
	[ "${stderr_lines[0]}" = "portinfo: bad argument '70000': too large: ports are 16-bit: 0-65535" ]
	[ "${stderr_lines[1]}" = "portinfo: bad argument '-5': a port is never negative; ports are 16-bit: 0-65535" ]
	[ "${stderr_lines[2]}" = "portinfo: bad argument '0x50': write ports in decimal here (0x50 is 80 in decimal); ports are 16-bit: 0-65535" ]
	[[ "${stderr_lines[3]}" == "portinfo: bad argument '80.5': a port is a whole number"* ]]
	[[ "${stderr_lines[4]}" == "portinfo: bad argument '': empty: "* ]]
	[[ "${stderr_lines[5]}" == "portinfo: bad argument '99999999"*"...' (5000 characters): too large: ports are 16-bit: 0-65535" ]]
	[ "${#stderr_lines[5]}" -lt 200 ]
	[[ "${stderr_lines[6]}" == "portinfo: bad argument 'nosuchservice': not a port number, and no service has that name"* ]]
}

@test "a hexadecimal port gets its decimal value, and too large when it is past 0xffff" {
	run -2 --separate-stderr "$BIN/portinfo" 0xffff 0x10000 0XFFFFFFFFFFFFFFFFFFFF
	[ "${stderr_lines[0]}" = "portinfo: bad argument '0xffff': write ports in decimal here (0xffff is 65535 in decimal); ports are 16-bit: 0-65535" ]
	[ "${stderr_lines[1]}" = "portinfo: bad argument '0x10000': write ports in decimal here (0x10000 is 65536 in decimal, too large for a port); ports are 16-bit: 0-65535" ]
	[[ "${stderr_lines[2]}" == "portinfo: bad argument '0XFFFFFFFFFFFFFFFFFFFF': write ports in decimal here; "*"far too large for a port"* ]]
}

# ---- Japanese (issue 15): the prose in Japanese, the table and the commands as they are ----

# has_line LINE: $output holds LINE, whole.
has_line() {
	grep -Fxq -- "$1" <<<"$output" || { printf 'no line "%s" in:\n%s\n' "$1" "$output" >&2; false; }
}

@test "portinfo --range in Japanese: the OS's range beside IANA's, in the memo's words" {
	local low high
	read -r low high </proc/sys/net/ipv4/ip_local_port_range
	run -0 ja "$BIN/portinfo" --range
	[ "${lines[0]}" = "この OS がエフェメラルポートとして割り当てるのは $low-$high（$((high - low + 1)) 個）。/proc/sys/net/ipv4/ip_local_port_range から読んだ値だ。" ]
	[ "${lines[1]}" = "IANA の区分（RFC 6335）では、動的・プライベートポート（メモでいうエフェメラルポート）は 49152-65535（16384 個）。" ]
	if [ "$low" -lt 49152 ]; then
		[[ "${lines[2]}" == "両者は食い違っている。この OS の範囲のうち $low-"*" は、IANA の区分では登録済みポート（1024-49151）に入る。そのため、この OS ではクライアントに "*" のような登録済みポートが割り当てられることもある。" ]]
	fi
	if [ "$high" -lt 65535 ]; then
		has_line "$((high + 1))-65535 は IANA の範囲に入っているが、この OS が自分から割り当てることはない。"
	fi
	[ "${lines[-1]}" = '変えるには（root で）：sysctl -w net.ipv4.ip_local_port_range="49152 65535"' ]
}

@test "portinfo --table in Japanese: the table is byte for byte the English one, the legend around it Japanese" {
	run -0 "$BIN/portinfo" --table 22 443 0 33000 56234
	local en=$output
	run -0 ja "$BIN/portinfo" --table 22 443 0 33000 56234
	# The table: every line up to the first empty one.
	[ "$(sed '/^$/q' <<<"$output")" = "$(sed '/^$/q' <<<"$en")" ]
	# The IANA rows, up to the memo's name (memo: / メモ：).
	[ "$(grep '^  [a-z-]* ' <<<"$output" | sed 's/ メモ：.*//')" = "$(grep '^  [a-z-]* ' <<<"$en" | sed 's/ memo: .*//')" ]
	has_line "IANA RANGE（IANA による区分、RFC 6335）："
	has_line '  well-known      0-1023   "System Ports"                   メモ：ウェルノウンポート'
	has_line '  dynamic     49152-65535  "Dynamic and/or Private Ports"   メモ：エフェメラルポート'
	has_line "ポート 0：このポートで待ち受けるサーバーはない。ポート 0 に bind() すると、空いているポートを OS が選ぶ。"
	[[ "$output" == *"EPHEMERAL HERE（この OS でエフェメラルポートか）：この OS が割り当てるのは "* ]]
	[[ "$output" == *"MAY BIND IT（bind できるのは）：ここでは "*" 未満のポート"* ]]
	# What scripts read, tab-separated, is the same in both languages.
	run -0 "$BIN/portinfo" 22 443 0 33000 56234
	en=$output
	run -0 ja "$BIN/portinfo" 22 443 0 33000 56234
	[ "$output" = "$en" ]
}

@test "portinfo's errors and --help in Japanese; the usage lines and commands stay as they are" {
	run -2 --separate-stderr ja "$BIN/portinfo" 22 -5 0x50 nosuchservice
	[ "${stderr_lines[0]}" = "portinfo: 引数 '-5' は使えない。ポートは負にならない。ポートは 16 ビットで、0-65535" ]
	[ "${stderr_lines[1]}" = "portinfo: 引数 '0x50' は使えない。ここではポートを 10 進数で書く（0x50 は 10 進数で 80）。ポートは 16 ビットで、0-65535" ]
	[ "${stderr_lines[2]}" = "portinfo: 引数 'nosuchservice' は使えない。ポート番号ではないし、/etc/services にもその名前のサービスはない" ]
	run -2 ja "$BIN/portinfo"
	[ "${lines[0]}" = "portinfo: ポートが指定されていない。22 443 や https のように、1つ以上書く" ]
	[ "${lines[1]}" = "usage: portinfo [--table] PORT|SERVICE ..." ]
	run -0 ja "$BIN/portinfo" --help
	[ "${lines[0]}" = "usage: portinfo [--table] PORT|SERVICE ..." ]
	[ "${lines[1]}" = "       portinfo --range" ]
	has_line "ポート番号かサービス名ごとに、IANA の区分、サービス名、この OS が"
	has_line "  --range      この OS のエフェメラルポートの範囲と、その値の出どころ"
	has_line "例：            bin/portinfo 22 443 5432 3000 33000 56234"
	has_line "横で試す：      lsof -nP -iTCP:443      （いまポート 443 を使っているのはだれか）"
}
