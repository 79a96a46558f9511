#!/usr/bin/env bats
# Japanese: the message catalogue (po/ja.po, compiled in by scripts/potool)
# and how the programs choose their language: LC_ALL, then LC_MESSAGES,
# then LANG; a value starting with "ja" means Japanese. No Japanese locale
# needs to be installed. Each lab's own test file checks its program's
# Japanese lines; this file checks the machinery.

load test_helper

POTOOL=$PORTLAB_ROOT/build/potool

@test "po/portlab.pot holds exactly the messages the sources mark (make pot writes it)" {
	[ -x "$POTOOL" ] || { echo "make builds build/potool" >&2; false; }
	local sources
	sources=$(cd "$PORTLAB_ROOT" && ls common/*.c labs/*/*.c | LC_ALL=C sort)
	# shellcheck disable=SC2086
	(cd "$PORTLAB_ROOT" && "$POTOOL" extract $sources) >"$BATS_TEST_TMPDIR/now.pot"
	diff -u "$PORTLAB_ROOT/po/portlab.pot" "$BATS_TEST_TMPDIR/now.pot" ||
		{ echo "po/portlab.pot is out of date: run make pot" >&2; false; }
}

@test "msgfmt --check accepts po/ja.po" {
	need_tool msgfmt
	run -0 msgfmt --check -o /dev/null "$PORTLAB_ROOT/po/ja.po"
}

@test "potool compile refuses a missing, a fuzzy, a stale and a wrongly formatted translation" {
	cd "$BATS_TEST_TMPDIR"
	printf '%s\n' 'int f(void) { printf(_("%s is %d\n"), "a", 1); puts(_("one")); puts(_("two")); return 0; }' >t.c
	"$POTOOL" extract t.c >t.pot
	cat >t.po <<-'PO'
	#, c-format
	msgid "%s is %d\n"
	msgstr "%2$d は %1$s\n"

	#, fuzzy
	msgid "one"
	msgstr "いち"

	msgid "gone"
	msgstr "もうない"
	PO
	run -1 "$POTOOL" compile t.po t.pot
	[[ "$output" == *'fuzzy, check it and remove the flag: "one"'* ]]
	[[ "$output" == *'no translation for "two"'* ]]
	[[ "$output" == *'no source marks this message any more'*'"gone"'* ]]
	[[ "$output" == *"potool: 3 problems in t.po"* ]]
	# A translation must take the English's arguments; reordering with %n$ is fine.
	printf '\n%s\n%s\n' 'msgid "two"' 'msgstr "%s"' >>t.po
	sed -i '/#, fuzzy/d; /msgid "gone"/,+1d' t.po
	run -1 "$POTOOL" compile t.po t.pot
	[[ "$output" == *"conversions do not take the English's arguments: \"two\""* ]]
	sed -i 's/^msgstr "%s"$/msgstr "に"/' t.po
	run -0 "$POTOOL" compile t.po t.pot
	[[ "$output" == *'{ "%s is %d\n",'*'"%2$d は %1$s\n" }'* ]]
}

@test "the language comes from LC_ALL, then LC_MESSAGES, then LANG, with no Japanese locale installed" {
	local english="listen: unknown option '--nope'" japanese="listen: 知らないオプション '--nope'"
	run -2 ja "$BIN/listen" --nope
	[ "${lines[0]}" = "$japanese" ]
	run -2 env -u LC_ALL LC_MESSAGES=ja_JP.UTF-8 LANG=en_US.UTF-8 "$BIN/listen" --nope
	[ "${lines[0]}" = "$japanese" ]
	run -2 env LC_ALL=ja_JP.UTF-8 LC_MESSAGES=C LANG=C "$BIN/listen" --nope
	[ "${lines[0]}" = "$japanese" ]
	run -2 env LC_ALL=C LANG=ja_JP.UTF-8 "$BIN/listen" --nope
	[ "${lines[0]}" = "$english" ]
	run -2 env -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 "$BIN/listen" --nope
	[ "${lines[0]}" = "$english" ]
	run -2 env -u LC_ALL -u LC_MESSAGES -u LANG "$BIN/listen" --nope
	[ "${lines[0]}" = "$english" ]
	# An empty variable is not set: LC_MESSAGES="" passes the choice on to LANG.
	run -2 env -u LC_ALL LC_MESSAGES= LANG=ja "$BIN/listen" --nope
	[ "${lines[0]}" = "$japanese" ]
}

@test "a bind error says the same thing in both languages: the call, the errno name and the command stay" {
	start_listen
	run -1 "$BIN/listen" "$LISTEN_PORT"
	local en=${lines[${#lines[@]} - 1]}
	run -1 ja "$BIN/listen" "$LISTEN_PORT"
	local jp=${lines[${#lines[@]} - 1]}
	[[ "$en" == "listen: bind 127.0.0.1 port $LISTEN_PORT: Address already in use [EADDRINUSE]. Port $LISTEN_PORT is held by pid $listen_PID (listen)"* ]]
	[[ "$jp" == "listen: bind 127.0.0.1 port $LISTEN_PORT: アドレスはすでに使用中 [EADDRINUSE]。ポート $LISTEN_PORT は PID $listen_PID（listen）が使っている。"* ]]
	[[ "$en" == *"lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN" ]]
	[[ "$jp" == *"lsof -nP -iTCP:$LISTEN_PORT -sTCP:LISTEN" ]]
}

# has_japanese: stdin holds a letter of Japanese (kana or kanji: UTF-8 lead bytes E3-E9).
has_japanese() {
	LC_ALL=C grep -q $'[\xe3-\xe9]'
}

@test "every program speaks Japanese: --help is Japanese prose around the same usage lines and options, and so is a usage error" {
	local prog name en help line
	for prog in "$BIN"/*; do
		name=${prog##*/}
		run -0 "$prog" --help
		en=$output
		run -0 ja "$prog" --help
		help=$output
		# Usage lines (the first, and those continuing it) and option names are command syntax.
		diff <(grep -E "^(usage:| +($name |\\[))" <<<"$en") <(grep -E "^(usage:| +($name |\\[))" <<<"$help") ||
			{ echo "$name: the usage lines differ"; false; }
		diff <(grep -o -- '--[a-z][a-z0-9-]*' <<<"$en" | LC_ALL=C sort -u) \
			<(grep -o -- '--[a-z][a-z0-9-]*' <<<"$help" | LC_ALL=C sort -u) ||
			{ echo "$name: the options differ"; false; }
		# Every other line that is not blank is Japanese.
		while IFS= read -r line; do
			has_japanese <<<"$line" || { echo "$name --help, English in Japanese: $line"; false; }
		done < <(grep -v -E -e "^(usage:| +($name |\\[))" -e '^ *$' <<<"$help")
		run -2 ja "$prog" --nope
		[ "${lines[0]}" = "$name: 知らないオプション '--nope'" ] || { echo "$output"; false; }
		[ "${lines[1]}" = "$(grep -m 1 '^usage:' <<<"$en")" ]
	done
}
