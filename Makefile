# leakgate — build with pkg-config; see README.md.
#   make            build ./leakgate
#   make test       unit, fuzz-replay and end-to-end tests (prove), then again
#                   under ASan + UBSan (CHECK=0: the plain pass only)
#   make check      the sanitizer pass alone
#   make install    install to $(DESTDIR)$(PREFIX)/bin
#   make clean

PREFIX ?= /usr/local
PKGS := libgit2 libhs inih libpcre2-8 libdeflate
CC ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS := $(PKG_LIBS) -lm
BUILD ?= build
# The binary the tests run (make check builds its own).
BIN ?= leakgate

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/embed.o
# main.c and the command files (cmd_*.c) hold the CLI, not library code.
LIBOBJS := $(filter-out $(BUILD)/main.o $(BUILD)/cmd_%.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%.t)
# Fuzz targets (tests/fuzz/fuzz-NAME.c): a plain replay driver over the
# corpus tests/fuzz/corpus/NAME/ runs in make test; make fuzz builds them
# with libFuzzer (clang) and fuzzes each for FUZZ_TIME seconds.
FUZZ_NAMES := config scan extract escape
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz-%.t)
FUZZ_HDRS := $(wildcard tests/fuzz/*.h)

.PHONY: all test suite unit e2e check fuzz fuzz-bins valgrind clean install
all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in rules and file policy are embedded with the assembler's .incbin.
$(BUILD)/embed.o: src/embed.S config/rules.ini config/policy.ini | $(BUILD)
	$(CC) -c -o $@ src/embed.S

$(BUILD)/tests/%.t: tests/unit/%.c $(LIBOBJS) tests/unit/tap.h | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS)

$(BUILD)/tests/fuzz-%.t: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(FUZZ_HDRS) $(LIBOBJS) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Isrc -Itests/fuzz -DFUZZ_CORPUS='"$(abspath tests/fuzz/corpus/$*)"' \
		-o $@ $< tests/fuzz/replay.c $(LIBOBJS) $(LDLIBS)

$(BUILD):
	@mkdir -p $(BUILD)

PROVE ?= prove
PROVE_FLAGS ?= -j2
# make test: the whole suite, then the whole suite again under ASan+UBSan
# (make check), so CI (which runs make test) runs both. CHECK=0 skips the
# sanitizer pass, for a quick run while working; make suite is the plain pass.
CHECK ?= 1
test: suite
	@if [ "$(CHECK)" != 0 ]; then $(MAKE) --no-print-directory check; fi

suite: $(BIN) $(UNIT_BINS) $(FUZZ_BINS)
	@# Tests that run make themselves (t7200) must not inherit this one's
	@# command-line variables (make check's BUILD, BIN, CFLAGS...).
	unset BUILD BIN CFLAGS LDFLAGS MAKEFLAGS MFLAGS MAKELEVEL; \
	LEAKGATE=$(abspath $(BIN)) $(PROVE) $(PROVE_FLAGS) $(UNIT_BINS) $(FUZZ_BINS) tests/t/t*.sh

# The whole suite again, built with AddressSanitizer and UBSan in build-asan/
# (./leakgate is left alone). -fno-sanitize-recover makes UBSan fatal, but a
# fatal sanitizer error exits 1, which a hook test would read as "blocked":
# so every report goes to a log file under build-asan/san/ (also from
# processes run by git), and any log at all fails the check.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_DIR = $(abspath build-asan/san)
check:
	@rm -rf $(SAN_DIR) && mkdir -p $(SAN_DIR)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(SAN_DIR)/asan \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$(SAN_DIR)/ubsan \
	$(MAKE) BUILD=build-asan BIN=build-asan/leakgate CC="$(CC)" \
		CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" suite; \
	rc=$$?; \
	if [ -n "$$(ls -A $(SAN_DIR))" ]; then \
		echo "make check: sanitizer reports:"; cat $(SAN_DIR)/*; exit 1; fi; \
	exit $$rc

# valgrind memcheck over real commits (blocked, allowed, errors): slow.
valgrind: $(BIN)
	LEAKGATE=$(abspath $(BIN)) $(PROVE) -v tests/valgrind.sh

# libFuzzer: clang, objects in build-fuzz/ instrumented for coverage and
# ASan+UBSan. Each target starts from its stored corpus (decoded into
# build-fuzz/work/NAME, where libFuzzer also adds what it finds); crashes
# land in build-fuzz/crashes/. Keep a crash as a regression case with
#   build/tests/fuzz-NAME.t --xor build-fuzz/crashes/NAME tests/fuzz/corpus/NAME
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_FLAGS ?=
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz:
	$(MAKE) BUILD=build-fuzz LINK=dynamic CC=$(FUZZ_CC) CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		LDFLAGS="$(FUZZ_SAN)" fuzz-bins
	@bad=; for t in $(FUZZ_NAMES); do \
		mkdir -p build-fuzz/work build-fuzz/crashes/$$t; \
		build-fuzz/tests/fuzz-$$t.t --xor tests/fuzz/corpus/$$t build-fuzz/work/$$t; \
		case $$t in scan) ml=65536;; extract) ml=8192;; *) ml=4096;; esac; \
		echo "== fuzz-$$t for $(FUZZ_TIME)s"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		build-fuzz/fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) -max_len=$$ml \
			-timeout=10 -rss_limit_mb=4096 -close_fd_mask=2 -print_final_stats=1 \
			-artifact_prefix=build-fuzz/crashes/$$t/ $(FUZZ_FLAGS) build-fuzz/work/$$t \
			|| bad="$$bad $$t"; \
	done; \
	if [ -n "$$bad" ]; then echo "make fuzz: crashes in:$$bad (see build-fuzz/crashes/)"; exit 1; fi
fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz-%) $(FUZZ_BINS)
$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/libfuzzer.c $(FUZZ_HDRS) $(LIBOBJS)
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Isrc -Itests/fuzz -o $@ $< tests/fuzz/libfuzzer.c \
		$(LIBOBJS) $(LDLIBS)

install: leakgate
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 leakgate $(DESTDIR)$(PREFIX)/bin/leakgate

clean:
	rm -rf build build-asan build-fuzz leakgate

-include $(OBJS:.o=.d)

# --- Speed (issue 7) -------------------------------------------------------
# LINK=static (the default when the static libraries are installed) links
# libgit2, Hyperscan, PCRE2, inih and libgit2's own dependencies statically:
# that takes ~2.5 ms of dynamic symbol binding off every run, and lets
# src/static/linkshim.c drop libgit2's CA-bundle parsing (~3.5 ms), OpenSSL's
# start-up through libssh2 and the Kerberos dependency (leakgate never opens a
# remote). LINK=dynamic keeps the plain pkg-config link.
LINK ?= static
STATIC_LIBS := git2 mbedtls mbedx509 mbedcrypto http_parser ssh2 crypto z hs pcre2-8 inih deflate
static_missing := $(strip $(foreach l,$(STATIC_LIBS),\
	$(if $(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)),,$(l))))
# GNU ld options (-Bstatic, --wrap): Linux only.
ifeq ($(LINK):$(static_missing):$(shell uname -s),static::Linux)
LDLIBS := $(BUILD)/linkshim.o -Wl,--wrap=git_mbedtls_stream_global_init -Wl,--wrap=libssh2_init \
	-Wl,-Bstatic $(addprefix -l,$(STATIC_LIBS)) -lstdc++ -Wl,-Bdynamic -lm -lpthread
leakgate $(BIN) $(UNIT_BINS) $(FUZZ_BINS): $(BUILD)/linkshim.o
$(BUILD)/linkshim.o: src/static/linkshim.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
endif

# make bench: leakgate beside git on real repositories (tests/bench/run.sh;
# fixtures in $LEAKGATE_BENCH_DIR, default /var/tmp/leakgate-bench), then
# history-scanning throughput on a generated 20,000-commit history
# (tests/bench/history.sh; BENCH_HISTORY=0 leaves it out).
BENCH_HISTORY ?= 1
.PHONY: bench
bench: leakgate $(BUILD)/tests/test-fastindex.t
	tests/bench/run.sh
	@if [ "$(BENCH_HISTORY)" != 0 ]; then tests/bench/history.sh; fi

# Detection benchmark: recall and precision per provider on a labelled
# corpus generated at run time (tests/detect/). SEED=N for another corpus.
.PHONY: bench-detect
bench-detect: leakgate
	sh tests/detect/run.sh
