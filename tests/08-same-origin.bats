#!/usr/bin/env bats
# Lab 08: bin/origin. Every expected origin and verdict below was checked
# against a WHATWG URL implementation (Node's new URL(u).origin) when
# written; the tests themselves need only bats.

load test_helper

# expect_origin URL SERIALIZED: one URL's origin, serialized as browsers do.
expect_origin() {
	run "$BIN/origin" "$1"
	[ "$status" -eq 0 ] || { echo "origin '$1': exit $status"; echo "$output"; return 1; }
	[[ "$output" == *"serialized as: $2"* ]] ||
		{ echo "origin '$1': expected $2"; echo "$output"; return 1; }
}

# expect_pair A B STATUS REGEX: the verdict on two URLs, exit status and wording.
expect_pair() {
	run "$BIN/origin" "$1" "$2"
	[ "$status" -eq "$3" ] || { echo "origin '$1' '$2': exit $status, expected $3"; echo "$output"; return 1; }
	[[ "$output" =~ $4 ]] || { echo "origin '$1' '$2': no match for /$4/"; echo "$output"; return 1; }
}

# expect_invalid URL REGEX: refused with exit 2, a reason and the usage line.
expect_invalid() {
	run "$BIN/origin" "$1"
	[ "$status" -eq 2 ] || { echo "origin '$1': exit $status, expected 2"; echo "$output"; return 1; }
	[[ "${lines[0]}" =~ ^origin:\ .*is\ not\ a\ valid\ URL:\ .*$2 ]] ||
		{ echo "origin '$1': no match for /$2/"; echo "$output"; return 1; }
	[ "${lines[1]}" = "usage: origin URL [URL]" ]
}

# expect_unsupported URL REGEX: origin exits 2 and says that the URL may be
# valid but this tool cannot find its origin, for a reason matching REGEX.
expect_unsupported() {
	run "$BIN/origin" "$1"
	[ "$status" -eq 2 ] || { echo "origin '$1': exit $status, expected 2"; echo "$output"; return 1; }
	[[ "${lines[0]}" =~ ^origin:\ .*may\ be\ a\ valid\ URL,\ but\ this\ tool\ cannot\ find\ its\ origin:\ .*$2.*\(a\ browser\ can\)$ ]] ||
		{ echo "origin '$1': no match for /$2/"; echo "$output"; return 1; }
	[ "${lines[1]}" = "usage: origin URL [URL]" ]
}

@test "origin --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/origin" --help
	[[ "$output" == *"usage: origin URL [URL]"* ]]
	[[ "$output" == *"Example:        bin/origin http://127.0.0.1:3000 http://localhost:3000"* ]]
	[[ "$output" == *"lsof -nP -iTCP:3000 -sTCP:LISTEN"* ]]
	run -0 "$BIN/origin" --version
	[[ "$output" =~ ^origin\ \(portlab\)\ [0-9.]+$ ]]
}

@test "no URL, three URLs or an unknown option exit 2 with the usage line" {
	run -2 "$BIN/origin"
	[[ "$output" == *"give a URL, or two to compare"*"usage: origin URL [URL]"* ]]
	run -2 "$BIN/origin" http://a http://b http://c
	[[ "${lines[0]}" == "origin: give at most two URLs to compare" ]]
	run -2 "$BIN/origin" --strict http://a
	[[ "${lines[0]}" == "origin: unknown option '--strict'" ]]
}

@test "one URL: the origin tuple, its serialization, and the default port in words" {
	run -0 "$BIN/origin" http://localhost:3000
	[[ "$output" == *"scheme:   http"*"host:     localhost"*"port:     3000"* ]]
	[[ "$output" == *"origin:   (http, localhost, 3000), serialized as: http://localhost:3000"* ]]
	run -0 "$BIN/origin" http://localhost:80/
	[[ "$output" == *"origin:   (http, localhost, null), serialized as: http://localhost"* ]]
	[[ "$output" == *"Port 80 is http's default, so it is left out"* ]]
}

@test "the memo's three pairs: port differs, host differs (same machine), default port is the same" {
	expect_pair http://localhost:3000 http://localhost:5173 1 'port +3000 +5173 +different'
	expect_pair http://localhost:3000 http://localhost:5173 1 'Different origins \(port\)'
	expect_pair http://127.0.0.1:3000 http://localhost:3000 1 'host +127\.0\.0\.1 +localhost +different: the same machine, but browsers compare host names as text'
	expect_pair http://127.0.0.1:3000 http://localhost:3000 1 'Different origins \(host\)'
	expect_pair http://localhost http://localhost:80 0 'Same origin: scheme, host and port all match'
}

@test "normalization: case, default ports of every special scheme, userinfo, path, query and fragment" {
	expect_origin HTTP://LOCALHOST:3000/Path http://localhost:3000
	expect_origin 'https://Example.COM:443/a?b#c' https://example.com
	expect_origin https://example.com:8443 https://example.com:8443
	expect_origin ws://chat.example:80 ws://chat.example
	expect_origin wss://chat.example:443 wss://chat.example
	expect_origin ftp://files.example:21 ftp://files.example
	expect_origin http://user:secret@localhost:3000/app http://localhost:3000
	expect_origin 'http:\\example.com' http://example.com
	expect_origin http:example.com http://example.com
	expect_origin ' http://localhost:3000 ' http://localhost:3000
	expect_origin $'http://local\thost:3000' http://localhost:3000
	expect_origin http://ex%41mple.com http://example.com
}

@test "IP address hosts are rewritten in the standard form: IPv4 shorthand and IPv6 compression" {
	expect_origin http://127.1:3000 http://127.0.0.1:3000
	expect_origin http://0x7f.0.0.1 http://127.0.0.1
	expect_origin http://2130706433/ http://127.0.0.1
	expect_origin http://0177.0.0.1 http://127.0.0.1
	expect_origin 'http://[0:0:0:0:0:0:0:1]:8080' 'http://[::1]:8080'
	expect_origin 'http://[::FFFF:127.0.0.1]' 'http://[::ffff:7f00:1]'
	expect_origin 'http://[1:0:0:2:0:0:0:3]' 'http://[1:0:0:2::3]'
	run -0 "$BIN/origin" http://2130706433/
	[[ "$output" == *"The host was written 2130706433, another way to write the IPv4 address 127.0.0.1."* ]]
}

@test "opaque origins: file:, data: and others serialize as null and are never the same, even as themselves" {
	expect_origin file:///etc/passwd null
	expect_origin data:text/plain,hi null
	expect_origin 'javascript:alert(1)' null
	expect_origin blob:https://a.com/uuid https://a.com
	expect_pair file:///etc/passwd file:///etc/passwd 1 'each has an opaque origin \(null\), which is never the same as any origin, not even another null'
	expect_pair data:text/plain,hi http://localhost 1 'A has an opaque origin'
	run -0 "$BIN/origin" localhost:3000
	[[ "$output" == *'so "localhost" was read as the scheme. Did you mean http://localhost:3000 ?'* ]]
}

@test "a table of pairs: same or different, and which part differs" {
	local a b want why
	while IFS='|' read -r a b want why; do
		expect_pair "$a" "$b" "$want" "$why"
	done <<'PAIRS'
http://localhost:3000|http://localhost:5173|1|Different origins \(port\)
http://localhost:3000|http://localhost:3000/other/page?x=1#y|0|Same origin
http://LOCALHOST:3000|http://localhost:3000|0|Same origin
HTTP://localhost:3000|http://localhost:3000|0|Same origin
http://localhost|http://localhost:80|0|Same origin
https://example.com|https://example.com:443|0|Same origin
https://example.com:443|https://example.com:8443|1|Different origins \(port\)
http://example.com|https://example.com|1|Different origins \(scheme\)
http://example.com:443|https://example.com|1|Different origins \(scheme, port\)
ws://example.com|http://example.com|1|Different origins \(scheme\)
http://127.0.0.1:3000|http://localhost:3000|1|the same machine
http://[::1]:3000|http://localhost:3000|1|the same machine
http://[::1]:3000|http://127.0.0.1:3000|1|Different origins \(host\)
http://127.0.0.1|http://127.1|0|Same origin
http://127.0.0.1|http://2130706433|0|Same origin
http://[::1]|http://[0:0:0:0:0:0:0:1]|0|Same origin
http://[::1]:80|http://[::1]|0|Same origin
http://user:pw@example.com|http://example.com|0|Same origin
http://alice@example.com|http://bob@example.com|0|Same origin
http://example.com/a|http://example.com/b|0|Same origin
http://example.com?x|http://example.com#y|0|Same origin
http://example.com|http://www.example.com|1|Different origins \(host\)
http://example.com.|http://example.com|1|a trailing dot makes it another host name
http://a.example.com:8080|https://b.example.com:8443|1|Different origins \(scheme, host, port\)
blob:https://a.com/uuid|https://a.com|0|Same origin
http://ex%41mple.com|http://example.com|0|Same origin
file:///etc/passwd|file:///etc/passwd|1|not even another null
file:///a|http://localhost|1|A has an opaque origin
about:blank|about:blank|1|not even another null
http://localhost:3000|ws://localhost:3000|1|Different origins \(scheme\)
PAIRS
}

@test "malformed URLs exit 2 with a reason: no scheme, bad port, empty host, spaces, control characters" {
	expect_invalid localhost 'no scheme'
	expect_invalid //localhost:3000 'no scheme'
	expect_invalid '' 'empty'
	expect_invalid http://h:99999 'the port 99999 is out of range: ports are 16-bit: 0-65535'
	expect_invalid http://h:8080x "the port '8080x' is not a number"
	expect_invalid http:// 'the host is missing'
	expect_invalid http://:80 'the host is missing'
	expect_invalid http://user@/ 'nothing follows the'
	expect_invalid 'http://exa mple.com' 'the host contains a space'
	expect_invalid $'http://a\x01b.com' 'the host contains the control byte 0x01'
	expect_invalid 'http://a%00b.com' 'the host contains the control byte 0x00'
	expect_invalid 'http://[::1' "an IPv6 address must be closed with '\]'"
	expect_invalid 'http://[::1%25eth0]' 'zone IDs'
	expect_invalid http://1.2.3.256 'not an IPv4 address'
	expect_invalid http://1.2.3.09 'a leading 0 means octal'
	expect_unsupported http://bücher.de 'non-ASCII host names'
}

@test "hostile bytes in a URL are shown escaped, never sent to the terminal raw" {
	run -2 "$BIN/origin" $'http://a\x1b[2Jb.com'
	[[ "$output" == *'http://a\x1b[2Jb.com'* ]]
	[[ "$output" != *$'\x1b'* ]]
	run -2 "$BIN/origin" "http://$(printf 'a%.0s' {1..300}).com"
	[[ "${lines[0]}" == *"cannot find its origin: hosts longer than 255 characters are not supported here"* ]]
	[ "${#lines[0]}" -lt 400 ]
	run -2 "$BIN/origin" "http://$(printf 'a%.0s' {1..5000}).com"
	[[ "${lines[0]}" == *"cannot find its origin: URLs longer than 4096 bytes are not supported here"* ]]
	[ "${#lines[0]}" -lt 400 ]
	run -2 "$BIN/origin" "$(printf 'a%.0s' {1..40})://x"
	[[ "${lines[0]}" == *"cannot find its origin: schemes longer than 31 characters are not supported here"* ]]
}

@test "156 recorded URLs get the origin a WHATWG parser (Node) gave them, or are refused where it refused" {
	local url want got checked=0
	while IFS=$'\t' read -r url want; do
		[[ "$url" == "#"* ]] && continue
		run "$BIN/origin" "$url"
		if [ "$want" = INVALID ]; then
			[ "$status" -eq 2 ] || { echo "'$url': expected invalid, got exit $status: $output"; return 1; }
		else
			got=$(sed -n 's/^origin: .*serialized as: //p; s/^   origin //p' <<<"$output" | head -n 1)
			[ "$status" -eq 0 ] && [ "$got" = "$want" ] ||
				{ echo "'$url': expected $want, got '$got' (exit $status)"; echo "$output"; return 1; }
		fi
		checked=$((checked + 1))
	done <"$BATS_TEST_DIRNAME/fixtures/whatwg-origins.tsv"
	[ "$checked" -eq 156 ]
}

@test "forms the standard allows but this tool does not implement are refused, not guessed" {
	expect_unsupported http://xn--nxasmq6b.com 'xn-- \(Punycode\) host names are not supported here'
	expect_unsupported 'https://ä.com' 'non-ASCII host names \(internationalized domain names\) are not supported here'
}

# ---- Japanese: the prose in Japanese, the notation (URLs, tuples, the table's columns) as in English ----

# has_line LINE: $output has LINE as a whole line.
has_line() {
	grep -qxF -- "$1" <<<"$output" || { echo "no line: $1"; echo "in:"; echo "$output"; return 1; }
}

# notation: from origin's output on stdin, the lines that hold no prose, as
# they must read in both languages: the URLs and origins, the tuple, a
# number or bare null as the port, the table's header and its two columns,
# the usage line, and of an error line the URL or option it quotes.
notation() {
	awk '/^== / || /^exit [0-9]+$/ { print; next }	# the marks of each run (the every-URL test)
	     /^origin: [^ ]/ { print "origin: " (match($0, /\047[^\047]*\047/) ? substr($0, RSTART, RLENGTH) : ""); next }
	     /^(URL|scheme|host|origin): / || /^[AB]: / || /^   origin / || /^ +A +B$/ ||
	     /^usage: / || /^port: +([0-9]+|null)$/ { print; next }
	     /^(scheme|host|port)    / { print substr($0, 1, 64) }'
}

@test "in Japanese: the memo's two pairs, with the verdict and the host row's reason in Japanese and the table's columns as in English" {
	run -1 ja "$BIN/origin" http://127.0.0.1:3000 http://localhost:3000
	has_line "A: http://127.0.0.1:3000"
	has_line "   origin http://localhost:3000"
	has_line "          A                          B"
	has_line "scheme    http                       http                       same"
	has_line "host      127.0.0.1                  localhost                  different：同じマシンだが、ブラウザはホスト名を文字列として比べ、その名前がどこを指すかは調べない"
	has_line "port      3000                       3000                       same"
	has_line "別オリジン（host が違う）。相手のサーバーが CORS（Access-Control-Allow-Origin）で許可しない限り、片方から読み込んだページは、もう片方のレスポンスを読めない。"
	run -1 ja "$BIN/origin" http://localhost:3000 http://localhost:5173
	has_line "port      3000                       5173                       different"
	has_line "別オリジン（port が違う）。相手のサーバーが CORS（Access-Control-Allow-Origin）で許可しない限り、片方から読み込んだページは、もう片方のレスポンスを読めない。"
	run -0 ja "$BIN/origin" http://example.com http://example.com:80
	has_line "   ポート 80 は http のデフォルトなので省かれる。書いても書かなくても同じだ。"
	has_line "port      null (http default, 80)    null (http default, 80)    same"
	has_line "同一オリジン：スキーム、ホスト、ポートがすべて一致するので、片方から読み込んだページは、もう片方のレスポンスを読める。"
	run -1 ja "$BIN/origin" https://example.com http://example.com
	has_line "scheme    https                      http                       different：ホストとポートが同じでも、スキームが違えば別オリジン"
	has_line "port      null (https default, 443)  null (http default, 80)    same：どちらも null（それぞれのスキームのデフォルト）"
	run -1 ja "$BIN/origin" file:///etc/passwd file:///etc/passwd
	has_line "別オリジン：どちらも不透明なオリジン（null）だ。不透明なオリジンはどのオリジンとも同じにならず、null どうしでも同じではない。"
}

@test "in Japanese: one URL's tuple as in English, and what was lowercased or left out in Japanese" {
	run -0 ja "$BIN/origin" HTTPS://Example.COM:443/
	[ "$output" = "URL:      HTTPS://Example.COM:443/
scheme:   https
host:     example.com
port:     null（https のデフォルトは 443）
origin:   (https, example.com, null), serialized as: https://example.com
スキームは小文字に揃えて比べる（https）。
ホストは Example.COM と書かれていた。ホスト名は小文字に揃えて比べる。
ポート 443 は https のデフォルトなので省かれる。書いても書かなくても同じだ。
オリジンに入らない部分：/（パス、クエリ、フラグメント）。" ]
	run -0 ja "$BIN/origin" http://0x7f.1:3000
	has_line "ホストは 0x7f.1 と書かれていた。これは IPv4 アドレス 127.0.0.1 の別の書き方だ。"
	run -0 ja "$BIN/origin" localhost:3000
	has_line "origin:   opaque, serialized as: null"
	has_line '"localhost:" のあとに // がないので、"localhost" がスキームとして読まれた。http://localhost:3000 のつもりだったのでは？'
}

@test "in Japanese: a URL that is not valid, or not supported, gets its reason in Japanese, exit 2 and the usage line" {
	run -2 ja "$BIN/origin" http://localhost:99999
	[ "${lines[0]}" = "origin: 'http://localhost:99999' は正しい URL ではない。ポート 99999 は範囲外。ポートは 16 ビットで、0-65535" ]
	[ "${lines[1]}" = "usage: origin URL [URL]" ]
	run -2 ja "$BIN/origin" http://1.2.3.09
	[ "${lines[0]}" = "origin: 'http://1.2.3.09' は正しい URL ではない。'1.2.3.09' は最後の部分が数なので IPv4 アドレスのはずだが、'09' は数として読めない（先頭の 0 は 8 進数を表す。8 進数に 8 や 9 はない）" ]
	run -2 ja "$BIN/origin" localhost
	[ "${lines[0]}" = "origin: 'localhost' は正しい URL ではない。スキームがない。URL は http://localhost:3000 のようにスキームから始まる" ]
	run -2 ja "$BIN/origin" http://xn--nxasmq6b.com
	[ "${lines[0]}" = "origin: 'http://xn--nxasmq6b.com' は正しい URL かもしれないが、このツールではオリジンを求められない。xn-- の形（Punycode）のホスト名には対応していない（ブラウザなら求められる）" ]
	run -2 ja "$BIN/origin" http://a http://b http://c
	[ "${lines[0]}" = "origin: 比べる URL は2つまで" ]
	run -2 ja "$BIN/origin" --strict
	[ "${lines[0]}" = "origin: 知らないオプション '--strict'" ]
	[ "${lines[1]}" = "usage: origin URL [URL]" ]
	# Bytes from the URL are escaped in the Japanese reason too.
	run -2 ja "$BIN/origin" $'http://a\x1b[2Jb.com'
	[ "${lines[0]}" = "origin: 'http://a\\x1b[2Jb.com' は正しい URL ではない。ホストに制御文字 0x1b が入っている。ホスト名に制御文字は使えない" ]
	[[ "$output" != *$'\x1b'* ]]
}

@test "the URLs, tuples, table columns and exit status are the same in both languages, for every recorded URL and pair" {
	# Every run into one file per language, each under a "== URL" (or "== pair
	# A B") line and followed by "exit N" when N is not 0; then one notation
	# and one diff: a process or two per run, not seven, for 324 runs.
	local url want a b
	local en=$BATS_TEST_TMPDIR/en ja=$BATS_TEST_TMPDIR/ja
	while IFS=$'\t' read -r url want; do
		[[ "$url" == "#"* ]] && continue
		{ echo "== $url"; "$BIN/origin" "$url" || echo "exit $?"; } >>"$en.all" 2>&1
		{ echo "== $url"; ja "$BIN/origin" "$url" || echo "exit $?"; } >>"$ja.all" 2>&1
	done <"$BATS_TEST_DIRNAME/fixtures/whatwg-origins.tsv"
	[ "$(grep -c '^== ' "$en.all")" -eq 156 ]
	while IFS='|' read -r a b; do
		{ echo "== pair $a $b"; "$BIN/origin" "$a" "$b" || echo "exit $?"; } >>"$en.all" 2>&1
		{ echo "== pair $a $b"; ja "$BIN/origin" "$a" "$b" || echo "exit $?"; } >>"$ja.all" 2>&1
	done <<'PAIRS'
http://127.0.0.1:3000|http://localhost:3000
https://example.com|http://example.com:80
http://a.example.com:8080|https://b.example.com:8443
http://[::1]:80|http://[0:0::1]/
http://example.com.|http://example.com
file:///a|http://localhost
PAIRS
	notation <"$en.all" >"$en"
	notation <"$ja.all" >"$ja"
	diff "$en" "$ja" || { echo "(< English, > Japanese; each run under its == line)"; false; }
	# Each run gave something to compare besides its exit status, and each
	# pair a table, or the line that says an origin is null.
	awk 'function done() { if (run != "" && n < 1) { print "nothing to compare for " run; bad = 1 }
	                       if (run ~ /^== pair / && !table) { print "no table for " run; bad = 1 } }
	     /^== / { done(); run = $0; n = 0; table = 0; next }
	     /^exit / { next }
	     { n++ } /^ +A +B$|origin null/ { table = 1 }
	     END { done(); exit bad }' "$en"
}

@test "origin --help in Japanese: the usage and the commands as in English, the prose in Japanese" {
	run -0 ja "$BIN/origin" --help
	[ "${lines[0]}" = "usage: origin URL [URL]" ]
	has_line "URL が1つなら、そのオリジン (scheme, host, port) と、その書き方を表示する。"
	has_line "  -h, --help   このヘルプを表示する"
	has_line "例：            bin/origin http://127.0.0.1:3000 http://localhost:3000"
	has_line "横で試す：      lsof -nP -iTCP:3000 -sTCP:LISTEN   （ポート 3000 を使うプロセス）"
	local jp=$output
	run -0 "$BIN/origin" --help
	[ "${#lines[@]}" -eq "$(grep -c . <<<"$jp")" ]
}
