# portlab - build the lab programs into bin/.
#
#   make                 build common/libportlab.a and every program in bin/
#   make test            build, then run the bats suite in tests/
#   make deps            install what the tests need and this machine lacks (scripts/deps: apt-get or brew)
#   make check           make deps, then make test (the README's second command)
#   make SANITIZE=1 ...  the same with AddressSanitizer + UBSan
#   make WERROR=1        turn every warning into an error (CI does)
#   make worksheets      printable worksheets in build/worksheets/ (pandoc; PDFs with Chromium)
#   make bench           time the programs beside lsof, socat, python (scripts/bench)
#   make fuzz            run every parser's libFuzzer harness FUZZ_SECONDS each (clang)
#   make valgrind        run each program's normal case under valgrind
#   make lint            cppcheck and clang-tidy on common/ and labs/, lint-tests on tests/ (checks: below, .clang-tidy)
#   make check-macos     compile and link every program for macOS with zig cc
#   make install         programs as PREFIX/bin/portlab-NAME, documents in PREFIX/share/doc/portlab
#   make clean           remove what the build made

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wmissing-prototypes
# POSIX 2008 for sockets and getaddrinfo; Darwin's extras for sysctlbyname.
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DARWIN_C_SOURCE -Icommon

ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif

ALL_CFLAGS = $(WARN) $(CPPFLAGS) $(CFLAGS)

.DEFAULT_GOAL := all

# Where the build goes; check-macos points these elsewhere.
BIN   ?= bin
BUILD ?= build
LIB   ?= common/libportlab.a

# The programs, one per lab. Each line: program, its source, the headers it includes.
PROGRAMS = $(BIN)/portinfo $(BIN)/listen $(BIN)/connect $(BIN)/fdinspect $(BIN)/lsof-explain $(BIN)/talkers $(BIN)/forward $(BIN)/origin $(BIN)/cors-lab
$(BIN)/portinfo: labs/01-port-numbers/portinfo.c      common/msg.h common/port.h
$(BIN)/listen:  labs/02-listener/listen.c          common/addr.h common/fdtab.h common/hint.h common/mem.h common/msg.h common/num.h common/opt.h common/port.h
$(BIN)/connect: labs/03-ephemeral-client/connect.c common/addr.h common/fdtab.h common/msg.h common/num.h common/opt.h common/port.h
$(BIN)/fdinspect: labs/04-fd-inspector/fdinspect.c common/addr.h common/fdtab.h common/msg.h common/num.h common/opt.h common/port.h
$(BIN)/lsof-explain: labs/05-reading-lsof/lsof-explain.c common/lsofrow.h common/msg.h common/port.h
$(BIN)/talkers: labs/06-background-talkers/talkers.c common/addr.h common/fdtab.h common/msg.h common/opt.h common/port.h
$(BIN)/forward: labs/07-port-forwarding/forward.c common/addr.h common/fdtab.h common/fwd.h common/hint.h common/mem.h common/msg.h common/opt.h
$(BIN)/origin:  labs/08-same-origin/origin.c       common/msg.h common/url.h
$(BIN)/cors-lab: labs/09-cors/cors-lab.c labs/09-cors/cookie.c labs/09-cors/switches.c labs/09-cors/page.c labs/09-cors/cors-lab.h common/fdtab.h common/hint.h common/http.h common/mem.h common/msg.h common/opt.h common/port.h common/url.h

# The descriptor table has one backend per platform: /proc or libproc.
TARGET_OS ?= $(shell uname -s)
ifeq ($(TARGET_OS),Darwin)
FDTAB_SRC = common/fdtab_macos.c
else
FDTAB_SRC = common/fdtab_linux.c
endif

LIB_SRC = common/addr.c common/fdtab.c common/fwd.c common/hint.c common/http.c common/i18n.c common/lsofrow.c \
	common/mem.c common/msg.c common/num.c common/opt.c common/port.c common/url.c $(FDTAB_SRC)
LIB_OBJ = $(LIB_SRC:common/%.c=$(BUILD)/common/%.o) $(BUILD)/common/i18n_ja.o

# The Japanese messages: every _("...") in the sources (potool extract), and
# their translations in po/ja.po, compiled into the library (potool compile,
# which fails when one is missing, fuzzy, or takes other printf arguments).
# potool runs on the build machine, so it is built with HOSTCC.
HOSTCC   ?= cc
POTOOL    = $(BUILD)/potool
I18N_SRC  = $(sort $(wildcard common/*.c) $(wildcard labs/*/*.c))

# Rebuild everything when the compiler or flags change (e.g. SANITIZE=1).
FLAGS_STAMP = $(BUILD)/flags

BATS       ?= bats
BATS_FLAGS ?=

.PHONY: all test deps check bench clean install worksheets check-macos fuzz valgrind lint fakemac pot FORCE

all: $(PROGRAMS)

$(FLAGS_STAMP): FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS)' > $@

$(BUILD)/common/%.o: common/%.c common/%.h common/i18n.h $(FLAGS_STAMP)
	@mkdir -p $(BUILD)/common
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/common/fdtab_linux.o $(BUILD)/common/fdtab_macos.o: $(BUILD)/common/%.o: common/%.c common/fdtab.h common/addr.h common/i18n.h common/mem.h $(FLAGS_STAMP)
	@mkdir -p $(BUILD)/common
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(POTOOL): scripts/potool.c
	@mkdir -p $(BUILD)
	$(HOSTCC) -O2 -o $@ scripts/potool.c

$(BUILD)/portlab.pot: $(I18N_SRC) $(POTOOL)
	$(POTOOL) extract $(I18N_SRC) >$@.tmp && mv $@.tmp $@

$(BUILD)/common/i18n_ja.c: po/ja.po $(BUILD)/portlab.pot $(POTOOL)
	@mkdir -p $(BUILD)/common
	$(POTOOL) compile po/ja.po $(BUILD)/portlab.pot >$@.tmp && mv $@.tmp $@

$(BUILD)/common/i18n_ja.o: $(BUILD)/common/i18n_ja.c common/i18n.h $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# po/portlab.pot, the template a translator starts from: the sources' messages now.
pot: $(BUILD)/portlab.pot
	cp $(BUILD)/portlab.pot po/portlab.pot

$(BUILD)/common/port.o $(BUILD)/common/opt.o: common/num.h
$(BUILD)/common/port.o: common/mem.h
$(BUILD)/common/opt.o: common/msg.h
$(BUILD)/common/fwd.o: common/port.h
$(BUILD)/common/fdtab.o: common/addr.h
$(BUILD)/common/hint.o: common/addr.h common/fdtab.h common/msg.h common/port.h
$(BUILD)/common/url.o: common/msg.h

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(PROGRAMS): $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(BIN)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c,$^) $(LIB) $(LDFLAGS)

# Unit checks for the library, run by tests/00-common.bats.
UNIT_TEST = $(BUILD)/common-test
$(UNIT_TEST): tests/unit/common_test.c $(LIB) common/addr.h common/fdtab.h common/hint.h common/http.h common/mem.h common/msg.h common/num.h common/port.h $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -o $@ tests/unit/common_test.c $(LIB) $(LDFLAGS)

# A misbehaving client for the load and fault tests (tests/30-load.bats).
NETPOKE = $(BUILD)/netpoke
$(NETPOKE): tests/tools/netpoke.c $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -o $@ tests/tools/netpoke.c $(LDFLAGS)

# The macOS backend, run on Linux against a fake libproc (tests/fakemac/fakeproc.c)
# with Apple's own <sys/proc_info.h> from zig's macOS headers (scripts/get-zig):
# fdinspect and talkers built this way are what tests/16-macos-backend.bats runs.
FAKEMAC       = $(BUILD)/fakemac
FAKEMAC_FLAGS = -D_DEFAULT_SOURCE -include tests/fakemac/darwin.h -Itests/fakemac/include \
	-isystem $(FAKEMAC)/include
FAKEMAC_DEPS  = $(FAKEMAC)/fdtab_macos.o $(FAKEMAC)/fakeproc.o \
	$(filter-out $(BUILD)/common/fdtab_linux.o,$(LIB_OBJ))

$(FAKEMAC)/include/sys/proc_info.h:
	@mkdir -p $(@D)
	@zig=$$(scripts/get-zig) || exit 1; \
	cp "$$(dirname "$$zig")/lib/libc/include/any-macos.13-any/sys/proc_info.h" $@

$(FAKEMAC)/fdtab_macos.o: common/fdtab_macos.c common/fdtab.h common/addr.h common/mem.h \
    $(FAKEMAC)/include/sys/proc_info.h tests/fakemac/darwin.h tests/fakemac/include/libproc.h $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) $(FAKEMAC_FLAGS) -c -o $@ common/fdtab_macos.c

$(FAKEMAC)/fakeproc.o: tests/fakemac/fakeproc.c $(FAKEMAC)/include/sys/proc_info.h \
    tests/fakemac/darwin.h tests/fakemac/include/libproc.h $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) $(FAKEMAC_FLAGS) -c -o $@ tests/fakemac/fakeproc.c

$(FAKEMAC)/fdinspect: labs/04-fd-inspector/fdinspect.c $(FAKEMAC_DEPS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS)

$(FAKEMAC)/talkers: labs/06-background-talkers/talkers.c $(FAKEMAC_DEPS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS)

fakemac: $(FAKEMAC)/fdinspect $(FAKEMAC)/talkers

test: all $(UNIT_TEST) $(NETPOKE)
	@if scripts/get-zig --installed >/dev/null 2>&1; then $(MAKE) -s --no-print-directory fakemac; \
	else echo "make test: no zig yet (scripts/get-zig installs it), so the macOS backend test is skipped" >&2; fi
	@command -v $(BATS) >/dev/null || { echo "make test needs bats-core (and lsof, ss, curl, socat, chromium):" \
		"make check installs what is missing, then tests (scripts/deps --dry-run shows how)" >&2; exit 1; }
	$(BATS) $(BATS_FLAGS) tests

# What the tests need, installed where missing (apt-get, through sudo, or brew).
deps:
	@scripts/deps

# A fresh machine's test command: install what is missing, then test.
check: deps
	@$(MAKE) --no-print-directory test

# Printable worksheets (HTML, and PDFs with Chromium) in build/worksheets/.
worksheets:
	scripts/worksheets

# Speed beside lsof, side by side (never part of make test).
$(BUILD)/benchtime: scripts/benchtime.c $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -o $@ scripts/benchtime.c

bench: all $(BUILD)/benchtime
	scripts/bench

# libFuzzer harnesses, one per parser in common/ (tests/fuzz; clang and its
# runtime, Debian: libclang-rt-14-dev). Each is built with ASan and UBSan.
FUZZERS      = port fwd url http framing lsofrow procnet
FUZZ_SECONDS ?= 30
FUZZ_CC      ?= clang
FUZZ_SRC     = common/addr.c common/fdtab.c common/fdtab_linux.c common/fwd.c common/http.c common/i18n.c \
	common/lsofrow.c common/mem.c common/msg.c common/num.c common/port.c common/url.c
FUZZ_FLAGS   = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_SRC) $(filter-out %_linux.h,$(FUZZ_SRC:.c=.h)) \
    $(BUILD)/common/i18n_ja.c
	@mkdir -p $(BUILD)/fuzz
	$(FUZZ_CC) $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRC) $(BUILD)/common/i18n_ja.c

fuzz: $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)
	scripts/fuzz $(FUZZ_SECONDS) $(FUZZERS)

# Static analysis; any finding fails.
# - scripts/lint-tests: test lines bats cannot fail ("! cmd", or
#   "[ a ] && [ b ]", before the end of a test).
# - cppcheck: warning, style, performance and portability, except
#   variableScope (the house style declares variables at the top of a
#   function, as the man pages students read do) and missingIncludeSystem (it
#   need not read the system headers); --library=bsd tells it that err(3)'s
#   errx never returns.
# - clang-tidy: the checks in .clang-tidy, each exception with its reason.
#   It skips fdtab_macos.c, which needs macOS's headers (make check-macos
#   compiles it).
LINT_SRC = $(wildcard common/*.c) $(wildcard labs/*/*.c)
lint:
	scripts/lint-tests
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr --library=bsd \
		--enable=warning,style,performance,portability \
		--suppress=variableScope --suppress=missingIncludeSystem \
		-D_POSIX_C_SOURCE=200809L -Icommon $(LINT_SRC)
	clang-tidy --quiet $(filter-out common/fdtab_macos.c,$(LINT_SRC)) -- \
		$(WARN) $(CPPFLAGS)
	@echo "lint: cppcheck and clang-tidy found nothing in common/ and labs/, lint-tests nothing in tests/"

# Each program's normal run under valgrind: no memory errors, no definite leaks.
valgrind: all
	scripts/valgrind

# Cross-compile for both Mac architectures with zig cc, warnings as errors.
check-macos:
	@zig=$$(scripts/get-zig) || exit 1; \
	for target in aarch64-macos x86_64-macos; do \
		echo "check-macos: building for $$target"; \
		$(MAKE) -s --no-print-directory CC="$$zig cc -target $$target" AR="$$zig ar" TARGET_OS=Darwin \
			CFLAGS=-O2 WERROR=1 SANITIZE= BIN=$(BUILD)/$$target/bin \
			BUILD=$(BUILD)/$$target LIB=$(BUILD)/$$target/libportlab.a all || exit 1; \
		for prog in $(PROGRAMS:$(BIN)/%=%); do \
			magic=$$(od -An -tx1 -N4 $(BUILD)/$$target/bin/$$prog | tr -d ' '); \
			[ "$$magic" = cffaedfe ] || { echo "check-macos: $$prog is not a 64-bit Mach-O file"; exit 1; }; \
		done; \
	done; \
	echo "check-macos: every program compiles and links for aarch64-macos and x86_64-macos"

# Programs as portlab-NAME (listen and connect are common names), documents under share/doc.
PREFIX ?= /usr/local
DESTDIR ?=
install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/portlab
	for prog in $(PROGRAMS:$(BIN)/%=%); do \
		cp $(BIN)/$$prog $(DESTDIR)$(PREFIX)/bin/portlab-$$prog && \
		chmod 755 $(DESTDIR)$(PREFIX)/bin/portlab-$$prog || exit 1; \
	done
	cp README.md LICENSE $(DESTDIR)$(PREFIX)/share/doc/portlab/
	cp -R worksheets $(DESTDIR)$(PREFIX)/share/doc/portlab/

clean:
	rm -rf $(BIN) $(BUILD) $(LIB)
