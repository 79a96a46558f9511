#!/usr/bin/env bats
# Lab 05: bin/lsof-explain, fed the real lsof's output, recorded captures
# (tests/fixtures/lsof/, see its README.md) and inputs meant to break it.

load test_helper

FIXTURES=$BATS_TEST_DIRNAME/fixtures/lsof

# The ephemeral range, read here independently of the program under test.
read_range() {
	read -r RANGE_LOW RANGE_HIGH </proc/sys/net/ipv4/ip_local_port_range
}

# iana_words PORT: how the program names the IANA range of PORT.
iana_words() {
	if [ "$1" -le 1023 ]; then
		echo "well-known range (0-1023)"
	elif [ "$1" -le 49151 ]; then
		echo "registered range (1024-49151)"
	else
		echo "dynamic range (49152-65535)"
	fi
}

# ephemeral_words PORT: the verdict for one of our own ports, from the live range.
ephemeral_words() {
	read_range
	if [ "$1" -ge "$RANGE_LOW" ] && [ "$1" -le "$RANGE_HIGH" ]; then
		echo "inside this machine's ephemeral range ($RANGE_LOW-$RANGE_HIGH)"
	else
		echo "outside this machine's ephemeral range ($RANGE_LOW-$RANGE_HIGH)"
	fi
}

# rows_of: the lines of lsof-explain's output on stdin in lsof's layout (two
# spaces, then COMMAND and a PID), whatever the language of the lines around them.
rows_of() {
	awk '/^  [^ ]/ && $2 ~ /^[0-9]+$/'
}

# untranslated FILE: the lines lsof-explain prints in Japanese for FILE that
# hold no Japanese letter, apart from lsof's own notation: the rows echoed as
# they came, "    NAME: " with the row's NAME as it came, and a -F field
# whose meaning is one of lsof's column titles. Japanese letters and
# full-width punctuation (U+3000-U+9FFF) start with a byte 0xE3-0xE9 in
# UTF-8; the fixtures are ASCII.
untranslated() {
	local line rows
	rows=$(sed 's/[ \r]*$//; s/^/  /' "$1")
	ja "$BIN/lsof-explain" <"$1" | LC_ALL=C grep -v $'[\xe3-\xe9]' | while IFS= read -r line; do
		if [ -z "$line" ] || grep -qxF -- "$line" <<<"$rows"; then
			continue
		elif [[ "$line" == "    NAME: "* ]] && grep -qF -- "${line#    NAME: }" "$1"; then
			continue
		elif [[ "$line" =~ ^\ {6}[A-Za-z]\ .*\ (COMMAND|FD|NAME|PID|SIZE|TYPE)$ ]]; then
			continue
		fi
		printf '%s\n' "$line"
	done
}

need_services() {
	[ -f /etc/services ] && return 0
	[ -n "${CI:-}" ] && { echo "/etc/services is missing (Debian: netbase)" >&2; return 1; }
	skip "/etc/services is missing (Debian package netbase)"
}

# capture NAME LSOF-ARGS...: save the real lsof's output in $BATS_TEST_TMPDIR/NAME.
capture() {
	local name=$1
	shift
	lsof "$@" >"$BATS_TEST_TMPDIR/$name" 2>/dev/null || true
	[ -s "$BATS_TEST_TMPDIR/$name" ] || { echo "lsof $* printed nothing" >&2; return 1; }
}

# explain FILE: run lsof-explain on FILE with a deadline; sets output and status.
explain() {
	run timeout 20 "$BIN/lsof-explain" <"$1"
}

# every_row_echoed FILE: each row of FILE appears in $output as "  ROW".
every_row_echoed() {
	local row
	while IFS= read -r row; do
		row=${row%"${row##*[! ]}"}
		[[ "$row" == COMMAND* ]] && continue
		grep -qxF -- "  $row" <<<"$output" || { echo "row not explained: $row"; return 1; }
	done <"$1"
}

@test "lsof-explain --help exits 0 with the usage, an example and the lsof command" {
	run -0 "$BIN/lsof-explain" --help
	[ "${lines[0]}" = "usage: lsof-explain [--help] [--version] < LSOF-OUTPUT" ]
	[[ "$output" == *"Example:        lsof -nP -i | bin/lsof-explain"* ]]
	[[ "$output" == *"Try beside it:  lsof -nP -i"* ]]
	run -0 "$BIN/lsof-explain" -h
	run -0 "$BIN/lsof-explain" --version
	[[ "$output" =~ ^lsof-explain\ \(portlab\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "an unknown option or a file name exits 2 with one line saying why and the usage line" {
	run -2 "$BIN/lsof-explain" --frobnicate </dev/null
	[ "${lines[0]}" = "lsof-explain: unknown option '--frobnicate'" ]
	[ "${lines[1]}" = "usage: lsof-explain [--help] [--version] < LSOF-OUTPUT" ]
	[ "${#lines[@]}" -eq 2 ]
	run -2 "$BIN/lsof-explain" saved.txt </dev/null
	[ "${lines[0]}" = "lsof-explain: it reads lsof's output from stdin, not from 'saved.txt': lsof-explain < saved.txt" ]
}

@test "a read error on stdin exits 1 naming the error and what to feed it" {
	run -1 "$BIN/lsof-explain" </
	[[ "$output" == *"lsof-explain: read stdin: Is a directory [EISDIR]. Give it lsof's output, as in: lsof -nP -i | bin/lsof-explain"* ]]
}

@test "a terminal on stdin gets a one-line hint that it reads lsof output from a pipe, then it still reads" {
	need_tool script
	run -0 timeout 20 script -qec "$BIN/lsof-explain" /dev/null </dev/null
	[[ "$output" == *"lsof-explain: reading lsof's output from the terminal; paste it and end with Ctrl-D, or pipe it in: lsof -nP -i | bin/lsof-explain"* ]]
	[[ "$output" == *"No input came in."* ]]
	# Not on a terminal: no hint.
	run -0 "$BIN/lsof-explain" </dev/null
	[[ "$output" != *"from the terminal"* ]]
}

@test "the header is explained once, column by column, in plain words" {
	explain "$FIXTURES/linux-listen-connect.txt"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "The header line names lsof's columns:" ]
	local col
	for col in COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME; do
		grep -qE "^  $col +[a-z]" <<<"$output" || { echo "no words for $col"; false; }
	done
	[[ "$output" == *"  FD        the file descriptor: the process's number for an open file and how it is open (3u = descriptor 3, read and write)"* ]]
	[[ "$output" == *"  NAME      the most important column: "*"ours first (LOCAL->REMOTE), and the TCP state"* ]]
	# Two captures in a row: the second header adds nothing new.
	cat "$FIXTURES/linux-listen-connect.txt" "$FIXTURES/linux-listen-connect.txt" >"$BATS_TEST_TMPDIR/twice"
	explain "$BATS_TEST_TMPDIR/twice"
	[ "$(grep -c "^The header line names lsof's columns:" <<<"$output")" -eq 1 ]
	[ "$(grep -c "^Another header line: lsof's columns again" <<<"$output")" -eq 1 ]
}

@test "extra columns lsof can add (TID, TASKCMD, PPID, PGID) are explained, and rows with empty cells still parse" {
	explain "$FIXTURES/linux-threads.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  TID       the thread ID: this row belongs to one thread of the process (lsof -K lists threads)"* ]]
	[[ "$output" == *"  TASKCMD   the thread's own name"* ]]
	every_row_echoed "$FIXTURES/linux-threads.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"Descriptor 6, open for reading and writing (u), with a write lock on the whole file (W): a regular file (REG) of 0 bytes, in thread 5540."* ]]
	explain "$FIXTURES/linux-ppid-pgid.txt"
	[[ "$output" == *"  PPID      the parent process's ID: who started this process (lsof -R)"* ]]
	[[ "$output" == *"  PGID      the process group ID (lsof -g)"* ]]
	every_row_echoed "$FIXTURES/linux-ppid-pgid.txt"
}

@test "a listener's row from the real lsof names its fd, mode, port, IANA range, ephemeral verdict and LISTEN" {
	need_tool lsof
	start_listen
	capture listen.txt -nP -a -p "$listen_PID" -iTCP
	explain "$BATS_TEST_TMPDIR/listen.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$BATS_TEST_TMPDIR/listen.txt"
	[[ "$output" == *"Process listen (pid $listen_PID), run by user $(id -un):"* ]]
	[[ "$output" == *"    Descriptor ${LISTEN_FD%u}, open for reading and writing (u): an IPv4 network socket speaking TCP."* ]]
	[[ "$output" == *"    LISTEN: a server socket waiting for clients; "*" It listens on 127.0.0.1 (loopback: this machine only) port $LISTEN_PORT."* ]]
	[[ "$output" == *"    Our port $LISTEN_PORT"*": $(iana_words "$LISTEN_PORT")"*"; $(ephemeral_words "$LISTEN_PORT")"* ]]
	[[ "$output" == *"What lsof cannot see: without root, lsof lists only your own processes."*"sudo lsof -nP -i"* ]]
}

@test "a client's row names its OS-chosen local port inside the live ephemeral range, the server's port and ESTABLISHED" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	capture client.txt -nP -a -p "$client_PID" -iTCP
	# What lsof itself shows, read with awk: FD and the local port.
	local fd name lport
	read -r fd name < <(awk 'NR == 2 { print $4, $9 }' "$BATS_TEST_TMPDIR/client.txt")
	lport=${name%%->*}
	lport=${lport##*:}
	[ "$name" = "127.0.0.1:$lport->127.0.0.1:$LISTEN_PORT" ]

	explain "$BATS_TEST_TMPDIR/client.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"    Descriptor ${fd%u}, open for reading and writing (u): an IPv4 network socket speaking TCP."* ]]
	[[ "$output" == *"    ESTABLISHED: connected; data can flow both ways. Our end is 127.0.0.1 (loopback: this machine only) port $lport; the other end is 127.0.0.1, the same address, port $LISTEN_PORT."* ]]
	[[ "$output" == *"(lsof writes a connection from this process's own side: LOCAL->REMOTE, our end first.)"* ]]
	read_range
	[ "$lport" -ge "$RANGE_LOW" ] && [ "$lport" -le "$RANGE_HIGH" ] ||
		{ echo "local port $lport is outside $RANGE_LOW-$RANGE_HIGH"; false; }
	[[ "$output" == *"    Our port $lport"*": $(iana_words "$lport")"*"; inside this machine's ephemeral range ($RANGE_LOW-$RANGE_HIGH), where the OS picks ports for clients"* ]]
	[[ "$output" == *"    Their port $LISTEN_PORT"*": $(iana_words "$LISTEN_PORT")"* ]]

	# The server's side of the same connection: the same two ports, swapped.
	wait_for listen '^accept\(fd 3\) -> fd '
	capture server.txt -nP -a -p "$listen_PID" -iTCP
	explain "$BATS_TEST_TMPDIR/server.txt"
	[[ "$output" == *"Our end is 127.0.0.1 (loopback: this machine only) port $LISTEN_PORT; the other end is 127.0.0.1, the same address, port $lport."* ]]
	[[ "$output" == *"    Their port $lport"*": $(iana_words "$lport")"*"; inside this machine's ephemeral range ($RANGE_LOW-$RANGE_HIGH), so most likely a client's port, picked by its OS."* ]]

	# Both in one capture, the listener's row first: the client's remote port is that server's.
	capture both.txt -nP -a -p "$listen_PID,$client_PID" -iTCP
	explain "$BATS_TEST_TMPDIR/both.txt"
	[[ "$output" == *"    Their port $LISTEN_PORT"*"; a LISTEN row above listens on it, so the other end is that server."* ]]
}

@test "the full lsof -nP -p of a listener explains its cwd, rtd, txt and mem rows and standard descriptors" {
	need_tool lsof
	start_listen
	capture full.txt -nP -p "$listen_PID"
	explain "$BATS_TEST_TMPDIR/full.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$BATS_TEST_TMPDIR/full.txt"
	[[ "$output" == *"    cwd (its current working directory): a directory (DIR)."* ]]
	[[ "$output" == *"    rtd (its root directory, / unless it runs in a chroot or a container): a directory (DIR)."* ]]
	[[ "$output" == *"    txt (program text: the program's own file"*"    NAME: $BIN/listen"* ]]
	[[ "$output" == *"    mem (a file mapped into its memory, usually a shared library): a regular file (REG)"* ]]
	[[ "$output" == *"(cwd, rtd, txt, mem and the like are not descriptors the program opened"* ]]
	[[ "$output" == *"    Descriptor 0 (standard input), "* ]]
	[[ "$output" == *"    LISTEN: "*"port $LISTEN_PORT."* ]]
}

@test "a live capture without -nP has its host names explained and suggests -nP once" {
	need_tool lsof
	start_listen
	start_bg client "$BIN/connect" --hold 60 127.0.0.1 "$LISTEN_PORT"
	wait_for client '^Holding 1 connection open'
	capture names.txt -a -p "$listen_PID,$client_PID" -iTCP
	grep -q 'localhost:' "$BATS_TEST_TMPDIR/names.txt" ||
		skip "this machine has no name for 127.0.0.1, so lsof printed numbers anyway"
	explain "$BATS_TEST_TMPDIR/names.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$BATS_TEST_TMPDIR/names.txt"
	[[ "$output" == *"Our end is localhost (loopback: this machine only) port "* ]]
	[ "$(grep -c -- 'Run it again with -nP, as in lsof -nP -i, to see the numbers' <<<"$output")" -eq 1 ]
}

@test "service names without -P are turned back into port numbers with their ranges" {
	need_services
	explain "$FIXTURES/linux-names.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"It listens on localhost (loopback: this machine only) port http-alt."* ]]
	[[ "$output" == *"    Our port http-alt, a service name for port 8080 (-P shows the number): registered range (1024-49151); $(ephemeral_words 8080)"* ]]
	[[ "$output" == *"    Their port http-alt, a service name for port 8080 (-P shows the number): registered range (1024-49151)."* ]]
	[ "$(grep -c -- 'Run it again with -nP' <<<"$output")" -eq 1 ]
	explain "$FIXTURES/macos-names.txt"
	[[ "$output" == *"Our end is annes-mbp.local (a host name lsof looked up) port 49155; the other end is 17.248.185.8 port https."* ]]
	[[ "$output" == *"    Their port https, a service name for port 443 (-P shows the number): well-known range (0-1023)."* ]]
	[[ "$output" == *"    Our port mdns, a service name for port 5353"* ]]
	# With -nP nothing is suggested.
	explain "$FIXTURES/linux-listen-connect.txt"
	[[ "$output" != *"-nP, as in"* ]]
}

@test "a recorded Linux process shows every FD mode, lock and TYPE in words" {
	explain "$FIXTURES/linux-files.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/linux-files.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"    Descriptor 3, open for reading only (r): a regular file (REG) of 0 bytes."* ]]
	[[ "$output" == *"    Descriptor 4, open for writing only (w): a regular file (REG) of 6 bytes."* ]]
	[[ "$output" == *"    Descriptor 6, open for reading and writing (u), with a write lock on the whole file (W): a regular file (REG) of 0 bytes."* ]]
	[[ "$output" == *"    Descriptor 7, open for reading only (r): a pipe or named pipe (FIFO)."*"The rows with the same NODE (240389) are its two ends: r reads, w writes."* ]]
	[[ "$output" == *"    LISTEN: "*"It listens on [::1] (loopback: this machine only) port 55993."* ]]
	[[ "$output" == *"    UDP has no connection and no state: this socket takes the messages sent to 127.0.0.1 (loopback: this machine only) port 48373."* ]]
	[[ "$output" == *"    Its name is /tmp/lsof-helper/lab/demo.sock, a socket file that other processes connect to. type=STREAM: a byte stream, like TCP. LISTEN: a server waiting for clients."* ]]
	[[ "$output" == *"It has no file name: an unnamed socket"* ]]
	[[ "$output" == *"an anonymous inode (a_inode): a kernel object with no file behind it."*"    NAME: [eventpoll]: an epoll instance"* ]]
	[[ "$output" == *"    DEL (a memory mapping whose file is gone, Linux only: on a desktop nearly always shared memory (/memfd:..., /dev/zero, /SYSV...), not a file someone deleted): a regular file (REG)."* ]]
	[[ "$output" == *"    NAME: /tmp/lsof-helper/lab/gone.bin (deleted): the file was deleted, but it lives on while this descriptor holds it"* ]]
	[[ "$output" == *"    Descriptor 18, open for reading and writing (u): a socket of a kind lsof could not name."* ]]
}

@test "lsof +E endpoints are named as processes, not read as kernel addresses or unknown words" {
	explain "$FIXTURES/linux-endpoints.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/linux-endpoints.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" != *"kernel address 0x"*"->INO"* ]]
	[[ "$output" == *"The rows with the same NODE (1277184) are its two ends: r reads, w writes."$'\n'"    It is also open in (lsof +E): pid 14077 (python3) as 4w, pid 14119 (python3) as 3r, pid 14119 (python3) as 4w."* ]]
	[[ "$output" == *"type=STREAM: a byte stream, like TCP. It is connected to the socket whose NODE is 1277186 (lsof +E names the other end by its inode). CONNECTED: joined to another socket."*"The other end is open in (lsof +E): pid 14119 (python3) as 6u, pid 14077 (python3) as 6u."* ]]
	[[ "$output" == *"    NAME: [eventfd:2]: an eventfd, a counter one thread or process bumps to wake another; the number after the colon is its ID; the same ID in two rows is one eventfd"$'\n'"    It is also open in (lsof +E): pid 14119 (python3) as 7u."* ]]

	explain "$FIXTURES/linux-endpoints-tcp.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/linux-endpoints-tcp.txt"
	[[ "$output" == *"the other end is 127.0.0.1, the same address, port 58944."$'\n'"    The other end, here on this machine (lsof +E): pid 14126 (connect) as 3u."* ]]
	[[ "$output" == *"    The other end, here on this machine (lsof +E): pid 14120 (listen) as 4u."* ]]
	[[ "$output" == *"    Their port 37837: registered range (1024-49151), no service name; a LISTEN row above listens on it, so the other end is that server."* ]]
	[[ "$output" != *"a state this program does not know"* ]]
}

@test "lsof -T's queue sizes are explained, QR of a listener as its accept queue" {
	explain "$FIXTURES/linux-queues.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/linux-queues.txt"
	[[ "$output" != *"a state this program does not know"* ]]
	[[ "$output" == *"    LISTEN: a server socket"*$'\n'"    Queues (lsof -T): QR=0: connections the kernel has completed that the server has not accept()ed yet (on Linux); QS=0: bytes sent that the other end has not acknowledged yet."* ]]
	[[ "$output" == *"    ESTABLISHED: connected"*$'\n'"    Queues (lsof -T): QR=0: bytes that arrived and the program has not read yet; QS=0: bytes sent"* ]]
}

@test "lsof -t and lsof -F output is recognised and named, not reported line by line as not a row" {
	explain "$FIXTURES/linux-pids.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == "This is lsof -t output: process IDs only"*$'\n'"  Process ID 14120"$'\n'"  Process ID 14126"$'\n'* ]]
	[[ "$output" != *"not an lsof row"* ]]

	explain "$FIXTURES/linux-fields.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == "This is lsof -F output: one field per line"* ]]
	[[ "$output" != *"not an lsof row"* ]]
	[[ "$output" == *"  Process 14120:"*"    Descriptor 3:"*"      n 127.0.0.1:37837          NAME"*"      T ST=LISTEN                TCP detail"* ]]
	[[ "$output" == *"  Process 14126:"*"      c connect                  COMMAND"* ]]

	# -F0 ends each field with a NUL and puts a process's (or a file's) fields on one line.
	explain "$FIXTURES/linux-fields0.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  Process 14120:"*"      L root                     USER (the login name)"*"    Descriptor 3:"*"      a u                        mode"*"      P TCP                      protocol"* ]]
	[[ "$output" != *"not an lsof row"* && "$output" != *'\x00'* ]]

	# A table after a lone number still gets its rows explained: -t is only for a whole input.
	run timeout 20 "$BIN/lsof-explain" < <(printf '4242\n'; cat "$FIXTURES/linux-queues.txt")
	[[ "$output" == *"  Process ID 4242"*"Process listen (pid 14120)"* ]]
}

@test "macOS rows are explained: cut command names, kernel addresses, PIPE, KQUEUE, systm and BSD state spellings" {
	explain "$FIXTURES/macos-i.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/macos-i.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"Process com.docke (pid 812), run by user ann:"* ]]
	[[ "$output" == *"(The name has 9 characters, lsof's limit, so it is probably cut: it is Docker Desktop's, com.docker.backend today (older versions ran com.docker.vpnkit or com.docker.slirp); lsof +c 0 shows names whole.)"* ]]
	[[ "$output" == *"(DEVICE 0x6a9d8b3b2f0e1111 is an address inside the kernel: an ID for this object, nothing to read.)"* ]]
	[[ "$output" == *"It listens on * (every address of this machine, so other computers can reach it too) port 8080."* ]]
	[[ "$output" == *"    FIN_WAIT_1: closing; we closed our side and wait for the other end to acknowledge it (FIN_WAIT_1 is the macOS and BSD spelling; Linux writes FIN_WAIT1). Our end is 192.168.0.2 port 49158; the other end is 17.248.185.8 port 443."* ]]
	[[ "$output" == *"    FIN_WAIT_2: closing; "*"(FIN_WAIT_2 is the macOS and BSD spelling; Linux writes FIN_WAIT2)"* ]]
	[[ "$output" == *"    SYN_RCVD: half open; "*"(SYN_RCVD is the macOS and BSD spelling; Linux writes SYN_RECV)"* ]]
	[[ "$output" == *"    CLOSED: closed; no connection"*"(CLOSED is the macOS and BSD spelling; Linux writes CLOSE)"* ]]
	[[ "$output" == *"    CLOSE_WAIT: the other end has closed; "*"Our end is [2001:db8::2] port 49170; the other end is [2001:db8::443] port 443."* ]]
	[[ "$output" == *"    Our port 49155: dynamic range (49152-65535)"* ]]
	[[ "$output" == *"    Their port 443"*": well-known range (0-1023)"* ]]
	[[ "$output" == *"(The ephemeral range is this machine's, read from "*"macOS uses 49152-65535.)"* ]]

	explain "$FIXTURES/macos-files.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/macos-files.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"    txt (program text: the program's own file, and on macOS the libraries it uses): a regular file (REG) of 2288832 bytes."*"    NAME: /usr/lib/dyld"* ]]
	[[ "$output" == *"    twd (the working directory of one thread, on macOS): a directory (DIR)."* ]]
	[[ "$output" == *"    Descriptor 3, open for reading and writing (u): a kqueue: macOS's way for a program to wait for many events at once."* ]]
	[[ "$output" == *"    Descriptor 4, no mode letter (macOS's lsof shows none for a PIPE, NPOLICY or FSEVENTS, nor for a descriptor it could not read): a pipe (PIPE, as macOS calls it)."* ]]
	[[ "$output" == *"    ->0x6a9d8b3b2f0e8802 is the kernel address of the pipe's other end: the row whose DEVICE is 0x6a9d8b3b2f0e8802 holds it."* ]]
	[[ "$output" == *"    It is connected to the socket at kernel address 0x6a9d8b3b2f0e8804"* ]]
	[[ "$output" == *"    Descriptor 7, open for reading and writing (u): a macOS system socket (systm), for talking to the kernel."* ]]
	[[ "$output" == *"a macOS network policy descriptor (NPOLICY)."* ]]
	[[ "$output" == *"macOS's file-system events device (FSEVENTS)."* ]]
	[[ "$output" == *"    A descriptor of 10000 or more that ends in 245 (lsof has room for 4 places, so it writes * and the last 3 digits), open for reading and writing (u)"* ]]
	[[ "$output" == *"    NAME: /Users/ann/Library/Group Containers/group.com.apple.notes/NoteStore.sqlite"* ]]

	explain "$FIXTURES/macos-c0.txt"
	[[ "$output" == *"Process Google\\x20Chrome\\x20Helper (pid 9120), run by user ann:"*"(\\x20 is how lsof writes a space in a name.)"* ]]
	[[ "$output" == *"Process com.docker.backend (pid 812)"* ]]
	[[ "$output" != *"probably cut"* ]]
}

@test "real macOS captures are read right: PIPE and NPOLICY without a mode, KQUEUE, systm, PSXSHM's size, v4-mapped IPv6" {
	explain "$FIXTURES/macos-telepresence.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/macos-telepresence.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"    Descriptor 4, no mode letter (macOS's lsof shows none for a PIPE, NPOLICY or FSEVENTS, nor for a descriptor it could not read): a pipe (PIPE, as macOS calls it)."* ]]
	[[ "$output" == *"    ->0x1ac3420f1be0c501 is the kernel address of the pipe's other end: the row whose DEVICE is 0x1ac3420f1be0c501 holds it."* ]]
	[[ "$output" == *"    NAME: count=0, state=0xa: a kqueue's pending events (count) and its internal state bits"* ]]
	[[ "$output" == *"    Descriptor 7, open for reading and writing (u): a macOS system socket (systm), for talking to the kernel."*"    NAME: [ctl com.apple.net.utun_control id 4 unit 4]: a macOS kernel control: "* ]]
	[[ "$output" == *"    Descriptor 11, no mode letter"*": a macOS network policy descriptor (NPOLICY)."* ]]
	[[ "$output" == *"    UDP has no connection and no state: this socket takes the messages sent to * (every address of this machine, so other computers can reach it too) port 51812."* ]]

	# Published without a header: each row split at its spaces, PSXSHM's size in SIZE/OFF, not DEVICE.
	explain "$FIXTURES/macos-node-noheader.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/macos-node-noheader.txt"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"    Descriptor 26, open for reading only (r): a POSIX shared memory object of 4096 bytes."* ]]
	[[ "$output" == *"    Descriptor 28, no mode letter"*": a macOS network policy descriptor (NPOLICY)."* ]]
	[[ "$output" == *"    NAME: [ctl com.apple.netsrc id 7 unit 34]"* ]]

	explain "$FIXTURES/macos-i6.txt"
	[ "$status" -eq 0 ]
	every_row_echoed "$FIXTURES/macos-i6.txt"
	[[ "$output" == *"(An IPv6 socket with IPv4 addresses: it serves IPv4 clients too, and lsof writes ::ffff:127.0.0.1 as plain 127.0.0.1.)"* ]]
	[[ "$output" == *"Our end is [fe80:8::aede:48ff:fe00:1122] port 64917; the other end is [fe80:8::aede:48ff:fe33:4455] port 49369."* ]]
}

@test "macOS rows without a header keep their cells: a PIPE's size, a FIFO's offset, error rows with no TYPE" {
	grep -v COMMAND "$BATS_TEST_DIRNAME/fixtures/fakemac/notes-p.txt" >"$BATS_TEST_TMPDIR/rows"
	explain "$BATS_TEST_TMPDIR/rows"
	[ "$status" -eq 0 ]
	every_row_echoed "$BATS_TEST_TMPDIR/rows"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"    Descriptor 18, open for reading only (r): a POSIX shared memory object of 1048576 bytes."* ]]
	[[ "$output" == *"    Descriptor 24, open for reading only (r): a pipe or named pipe (FIFO)."$'\n'"    A named pipe (FIFO) at /tmp/notes.fifo."* ]]
	[[ "$output" == *"    Descriptor 23, no mode letter"*"."$'\n'"    NAME: (revoked): macOS took the file away from this descriptor (revoked), as when a terminal window closes"* ]]
	[[ "$output" == *"    NAME: pipe: FD unavailable: the descriptor was closed while lsof looked at it"* ]]
	[[ "$output" == *"    NAME: no more information: macOS would not tell lsof more about this descriptor (EPERM)"* ]]
	[[ "$output" == *"    Descriptor 13, open for reading and writing (u): a macOS routing socket (rte)"* ]]
	[[ "$output" != *"TYPE (revoked)"* && "$output" != *"TYPE pipe:"* && "$output" != *"TYPE no,"* ]]
}

@test "what lsof cannot see is said once at the end, and only when rows came in" {
	explain "$FIXTURES/linux-files.txt"
	[ "$(grep -c '^What lsof cannot see: ' <<<"$output")" -eq 1 ]
	[[ "${lines[-1]}" == "What lsof cannot see: without root, lsof lists only your own processes. Other users' processes, such as system services, are simply missing, and lsof does not warn you. To see them all: sudo lsof -nP -i"* ]]
	printf 'hello\n' >"$BATS_TEST_TMPDIR/hello"
	explain "$BATS_TEST_TMPDIR/hello"
	[ "$status" -eq 0 ]
	[[ "$output" != *"What lsof cannot see"* ]]
	head -n 1 "$FIXTURES/linux-files.txt" >"$BATS_TEST_TMPDIR/header-only"
	explain "$BATS_TEST_TMPDIR/header-only"
	[[ "$output" != *"What lsof cannot see"* ]]
	[[ "${lines[-1]}" == "No lsof rows came in. Feed it lsof's output: lsof -nP -i | bin/lsof-explain" ]]
}

@test "an empty input exits 0 and says what to feed it" {
	run -0 timeout 20 "$BIN/lsof-explain" </dev/null
	[ "$output" = "No input came in. Feed it lsof's output: lsof -nP -i | bin/lsof-explain" ]
}

@test "rows without a header (after grep) are split at spaces and still explained, with a note" {
	grep ESTABLISHED "$FIXTURES/linux-listen-connect.txt" >"$BATS_TEST_TMPDIR/grepped"
	grep -v COMMAND "$FIXTURES/macos-files.txt" >>"$BATS_TEST_TMPDIR/grepped"
	explain "$BATS_TEST_TMPDIR/grepped"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "(No header line came first, so each row is split at its spaces. grep and tail drop lsof's header; lsof -nP -i | head keeps it.)" ]
	every_row_echoed "$BATS_TEST_TMPDIR/grepped"
	[[ "$output" != *"is not an lsof row"* ]]
	[[ "$output" == *"ESTABLISHED: connected; data can flow both ways. Our end is 127.0.0.1 (loopback: this machine only) port 46462; the other end is 127.0.0.1, the same address, port 8080."* ]]
	[[ "$output" == *"    Descriptor 4, no mode letter (macOS's lsof shows none for a PIPE, NPOLICY or FSEVENTS, nor for a descriptor it could not read): a pipe (PIPE, as macOS calls it)."* ]]
	[[ "$output" == *"    NAME: count=0, state=0xa"* ]]
	[[ "$output" == *"    Descriptor 10, open for reading and writing (u): a regular file (REG) of 32768 bytes."* ]]
}

@test "lines that are not rows are echoed, escaped, with a note; truncated rows still say what they can" {
	{
		head -n 2 "$FIXTURES/linux-listen-connect.txt"
		echo 'hello world'
		echo 'listen  5488 ro'
		echo 'listen  5488 root    4u  IPv4 240265      0t0  TCP 127.0.0.1:8080->127.0'
		printf 'lsof: WARNING: can'"'"'t stat() fuse file system /run/user/1000/doc\n'
		printf 'bad\033[31m colour\n'
	} >"$BATS_TEST_TMPDIR/mixed"
	explain "$BATS_TEST_TMPDIR/mixed"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Line 3 is not an lsof row: too few columns; a row has at least COMMAND, PID, USER and FD. As it came:"$'\n'"  hello world"* ]]
	[[ "$output" == *"Line 4 is not an lsof row: "*$'\n'"  listen  5488 ro"* ]]
	[[ "$output" == *"    NAME: 127.0.0.1:8080->127.0 (not the HOST:PORT form lsof writes for a network socket; the row may be cut short)"* ]]
	[[ "$output" == *"Line 6 is not an lsof row: a message from lsof itself (on stderr), not a row. As it came:"* ]]
	[[ "$output" == *"  bad\\x1b[31m colour"* ]]
	[[ "$output" != *$'\033'* ]]
	[[ "${lines[-1]}" == "4 lines were not lsof rows; they are shown above as they came." ]]
}

@test "a NUL byte inside a row is data, shown as \\x00, not the end of the line" {
	{
		head -n 1 "$FIXTURES/linux-files.txt"
		printf 'python3 5498 root    3r      REG              254,0        0 10985778 /tmp/a\0b.txt\n'
		printf 'pyth\0on3 5498 root    3r\n'
	} >"$BATS_TEST_TMPDIR/nul"
	explain "$BATS_TEST_TMPDIR/nul"
	[ "$status" -eq 0 ]
	[[ "$output" == *"    NAME: /tmp/a\\x00b.txt"* ]]
	[[ "$output" == *"  pyth\\x00on3 5498 root    3r"* ]]
	# No NUL byte reaches the terminal (bash variables cannot hold one: count in a file).
	"$BIN/lsof-explain" <"$BATS_TEST_TMPDIR/nul" >"$BATS_TEST_TMPDIR/nul.out"
	[ "$(tr -d '\000' <"$BATS_TEST_TMPDIR/nul.out" | wc -c)" -eq "$(wc -c <"$BATS_TEST_TMPDIR/nul.out")" ]
}

@test "a 100 KB line is reported as too long and cut, and the next row is still explained" {
	{
		head -n 2 "$FIXTURES/linux-listen-connect.txt"
		head -c 100000 /dev/zero | tr '\0' 'x'
		echo
		tail -n 1 "$FIXTURES/linux-listen-connect.txt"
	} >"$BATS_TEST_TMPDIR/long"
	explain "$BATS_TEST_TMPDIR/long"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Line 3 is not an lsof row: line too long, cut (only its first 8192 bytes are shown; the rest was skipped). As it came:"* ]]
	# The cut line is shown once, no longer than the buffer.
	[ "$(grep -c '^  xxxx' <<<"$output")" -eq 1 ]
	[ "$(grep '^  xxxx' <<<"$output" | wc -c)" -le 8200 ]
	[[ "$output" == *"Process connect (pid 5490), run by user root:"* ]]
}

@test "1 MB of random bytes exits 0 within the deadline, never crashes, and prints only printable text" {
	head -c 1000000 /dev/urandom >"$BATS_TEST_TMPDIR/random"
	run timeout 20 "$BIN/lsof-explain" <"$BATS_TEST_TMPDIR/random"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^[0-9]+\ lines\ were\ not\ lsof\ rows ]] || [[ "$output" == *"What lsof cannot see"* ]]
	# Every byte it printed is printable ASCII or a newline.
	[ "$(LC_ALL=C grep -c '[^[:print:]]' <<<"$output")" -eq 0 ] || { echo "a line holds an unprintable byte"; false; }
}

@test "many lines take bounded time and memory: 200,000 rows and non-rows within the deadline" {
	local row
	row=$(sed -n 2p "$FIXTURES/linux-listen-connect.txt")
	head -n 1 "$FIXTURES/linux-listen-connect.txt" >"$BATS_TEST_TMPDIR/many"
	yes "$row"$'\n''a b c' | head -n 200000 >>"$BATS_TEST_TMPDIR/many"
	timeout 20 "$BIN/lsof-explain" <"$BATS_TEST_TMPDIR/many" >"$BATS_TEST_TMPDIR/many.out"
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/many.out")" = "100000 lines were not lsof rows; they are shown above as they came." ]
	[ "$(grep -c '^    LISTEN: ' "$BATS_TEST_TMPDIR/many.out")" -eq 100000 ]
}

@test "in Japanese, a Linux TCP connection's rows are explained in Japanese, whole line by whole line" {
	explain_ja() { run timeout 20 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" <"$1"; }
	explain_ja "$FIXTURES/linux-listen-connect.txt"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ヘッダー行には、lsof の列の名前が並んでいる。それぞれの意味：" ]
	[ "${lines[1]}" = "  COMMAND   プロセス名（実行中のプログラムの名前）。lsof +c 0 をつけないと 9 文字までで切られる" ]
	grep -qxF "  FD        ファイルディスクリプタ（ファイル記述子）。プロセスが開いているファイルにつけた番号と開き方（3u = 3 番で読み書き可能）、または cwd、txt、mem のような名前" <<<"$output"
	grep -qxF "プロセス connect（PID 5490）、実行ユーザーは root：" <<<"$output"
	grep -qxF "    ディスクリプタ 3 は読み書き（u）で開いている。種類は IPv4 のネットワークソケットで、TCP を使う。" <<<"$output"
	grep -qxF "    LISTEN：クライアントを待ち受けるサーバーのソケット。受け付けた（accept() した）クライアントには、それぞれ新しいディスクリプタができる。127.0.0.1（ループバック：このマシンの中だけ）のポート 8080 で待ち受けている。" <<<"$output"
	grep -qxF "    ESTABLISHED：接続済み。データは両方向に流れる。自分側は 127.0.0.1（ループバック：このマシンの中だけ）のポート 46462、相手側は 127.0.0.1（同じアドレス）のポート 8080。" <<<"$output"
	grep -qxF "    （lsof は接続を、このプロセスの側から書く。LOCAL->REMOTE の順で、自分側が先。）" <<<"$output"
	# The port classes in the memo's words; the range is this machine's, read here too.
	read_range
	local verdict="の外なので、プログラムが自分で bind() してこのポートを選んだ。"
	if [ 46462 -ge "$RANGE_LOW" ] && [ 46462 -le "$RANGE_HIGH" ]; then
		verdict="の中にある。OS がクライアントのポートや、ポート 0 に bind() したときのポートを選ぶ範囲だ。"
	fi
	grep -qxF "    自分側のポート 46462：IANA の区分では登録済みポート（1024-49151）で、サービス名はない。このマシンのエフェメラルポートの範囲（$RANGE_LOW-$RANGE_HIGH）$verdict" <<<"$output"
	[ "${lines[-1]}" = "lsof に見えないもの：root でなければ、lsof は自分のプロセスしか表示しない。システムのサービスなど、ほかのユーザーのプロセスは黙って抜け落ち、lsof は何も警告しない。すべてを見るには：sudo lsof -nP -i（この出力がもともと sudo lsof のものなら、隠れたものはない）。" ]
	# Well-known ports and BSD state spellings, from the macOS capture.
	explain_ja "$FIXTURES/macos-i.txt"
	grep -qxF "    相手側のポート 443（https）：IANA の区分ではウェルノウンポート（0-1023）。" <<<"$output"
	grep -qF "    FIN_WAIT_1：閉じている途中。自分側を閉じて、相手側がそれを確認するのを待っている（FIN_WAIT_1 は macOS と BSD での書き方。Linux では FIN_WAIT1 と書く）。" <<<"$output"
}

@test "in Japanese, macOS rows are explained in Japanese: PIPE's kernel address, KQUEUE, systm, NPOLICY" {
	run -0 timeout 20 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" <"$FIXTURES/macos-telepresence.txt"
	grep -qxF "プロセス teleprese（PID 71881）、実行ユーザーは root：" <<<"$output"
	grep -qxF "  （名前が lsof の上限の 9 文字なので、たぶん途中で切れている。lsof +c 0 なら名前が全部出る。）" <<<"$output"
	[[ "$output" == *"  teleprese 71881 root    4      PIPE 0xd904b24160bf46ff    16384                     ->0x1ac3420f1be0c501"$'\n'"    ディスクリプタ 4 はモードの文字がついていない（macOS の lsof は、PIPE、NPOLICY、FSEVENTS と、読めなかったディスクリプタにはモードを出さない）。種類はパイプ（macOS では PIPE と呼ぶ）。"$'\n'"    （DEVICE の 0xd904b24160bf46ff はカーネル内アドレス。このオブジェクトを見分けるための ID で、値そのものに意味はない。）"$'\n'"    ->0x1ac3420f1be0c501 は、パイプの反対側の端のカーネル内アドレス。DEVICE が 0x1ac3420f1be0c501 の行が、その端を持っている。"$'\n'* ]]
	grep -qxF "    NAME: count=0, state=0xa：kqueue が抱えているイベントの数（count）と、内部の状態ビット" <<<"$output"
	[[ "$output" == *"  teleprese 71881 root    7u    systm 0x4715bfb02f5e8bd7      0t0                     [ctl com.apple.net.utun_control id 4 unit 4]"$'\n'"    ディスクリプタ 7 は読み書き（u）で開いている。種類は macOS のシステムソケット（systm）。カーネルとやりとりするためのもの。"$'\n'"    NAME: [ctl com.apple.net.utun_control id 4 unit 4]：macOS のカーネルコントロール。やりとりするカーネルの部分の名前（com.apple.netsrc はネットワークの統計、utun_control は VPN のトンネル）、その id、このソケットのユニット番号"$'\n'* ]]
	grep -qxF "    ディスクリプタ 11 はモードの文字がついていない（macOS の lsof は、PIPE、NPOLICY、FSEVENTS と、読めなかったディスクリプタにはモードを出さない）。種類は macOS のネットワークポリシーのディスクリプタ（NPOLICY）。" <<<"$output"
	grep -qxF "    カーネル内アドレス 0x4715bfb02f9945a7 のソケットとつながっている（ほかの行の DEVICE 列で探す）。ファイル名はない。名前のないソケットで、socketpair の片方や、サーバーが受け付けた接続などがこれにあたる。" <<<"$output"
}

@test "the echoed rows are byte-identical in English and in Japanese, for every fixture" {
	local f en_rows ja_rows total=0
	for f in "$FIXTURES"/*.txt "$BATS_TEST_DIRNAME"/fixtures/fakemac/*.txt; do
		en_rows=$(timeout 20 "$BIN/lsof-explain" <"$f" | rows_of)
		ja_rows=$(timeout 20 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" <"$f" | rows_of)
		[ "$en_rows" = "$ja_rows" ] || { echo "the rows differ for $f:"; diff <(echo "$en_rows") <(echo "$ja_rows"); false; }
		total=$((total + $(grep -c . <<<"$en_rows" || true)))
	done
	# The filter did find rows: every fixture's rows, not none.
	[ "$total" -ge 300 ] || { echo "only $total rows found"; false; }
}

@test "in Japanese, no explanation is left in English: every line lsof-explain prints for every fixture holds Japanese, or is lsof's notation" {
	local f left
	for f in "$FIXTURES"/*.txt "$BATS_TEST_DIRNAME"/fixtures/fakemac/*.txt; do
		left=$(untranslated "$f")
		[ -z "$left" ] || { echo "English left in Japanese mode for $f:"; echo "$left"; false; }
	done
	# Lines that are not rows, too: the reasons, the count, lsof's own message.
	{
		head -n 2 "$FIXTURES/linux-listen-connect.txt"
		echo 'hello world'
		echo 'listen  5488 root    4u  IPv4 240265      0t0  TCP 127.0.0.1:8080->127.0'
		echo 'lsof: WARNING: can'"'"'t stat() fuse file system /run/user/1000/doc'
		echo 'x 1 root 3r FOO 1 2 3 /tmp/x'
		echo 'x 1 root 3r IPv4 1 0t0 TCP 10.0.0.1:5->10.0.0.2:6 (WEIRD)'
	} >"$BATS_TEST_TMPDIR/mixed"
	left=$(untranslated "$BATS_TEST_TMPDIR/mixed")
	[ -z "$left" ] || { echo "English left in Japanese mode:"; echo "$left"; false; }
	run -0 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" <"$BATS_TEST_TMPDIR/mixed"
	grep -qxF "3 行目は lsof の表の行ではない。列が足りない。表の行には少なくとも COMMAND、PID、USER、FD がある。届いたままを示す：" <<<"$output"
	grep -qxF "    NAME: 127.0.0.1:8080->127.0（lsof がネットワークのソケットに書く HOST:PORT の形ではない。この行は途中で切れているのかもしれない）" <<<"$output"
	[ "${lines[-1]}" = "2 行が lsof の表の行ではなかった。上に、届いたままの形で示してある。" ]
}

@test "lsof-explain --help and its usage errors in Japanese: the prose translated, the usage line and the commands as they are" {
	run -0 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" --help
	[ "${lines[0]}" = "usage: lsof-explain [--help] [--version] < LSOF-OUTPUT" ]
	[ "${lines[1]}" = "lsof の出力を標準入力から読み、わかりやすい言葉で説明する。まず" ]
	grep -qxF "  -h, --help   このヘルプを表示する" <<<"$output"
	grep -qxF "例：            lsof -nP -i | bin/lsof-explain" <<<"$output"
	grep -qxF "                lsof -nP -a -p PID -iTCP   （1 つのプロセスの TCP ソケット）" <<<"$output"
	# As many lines as in English.
	local ja_count=${#lines[@]}
	run -0 "$BIN/lsof-explain" --help
	[ "$ja_count" -eq "${#lines[@]}" ]
	run -2 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" saved.txt </dev/null
	[ "${lines[0]}" = "lsof-explain: lsof の出力は 'saved.txt' からではなく、標準入力から読む：lsof-explain < saved.txt" ]
	[ "${lines[1]}" = "usage: lsof-explain [--help] [--version] < LSOF-OUTPUT" ]
	run -0 env -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 "$BIN/lsof-explain" </dev/null
	[ "$output" = "入力が何もなかった。lsof の出力をパイプで渡す：lsof -nP -i | bin/lsof-explain" ]
}
