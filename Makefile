# leakgate — build with pkg-config; see README.md.
#   make            build ./leakgate
#   make test       unit and end-to-end tests (prove)
#   make check      the same under ASan + UBSan
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

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/embed.o
# main.c and the command files (cmd_*.c) hold the CLI, not library code.
LIBOBJS := $(filter-out $(BUILD)/main.o $(BUILD)/cmd_%.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%.t)

.PHONY: all test unit e2e check clean install
all: leakgate

leakgate: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in rules and file policy are embedded with the assembler's .incbin.
$(BUILD)/embed.o: src/embed.S config/rules.ini config/policy.ini | $(BUILD)
	$(CC) -c -o $@ src/embed.S

$(BUILD)/tests/%.t: tests/unit/%.c $(LIBOBJS) tests/unit/tap.h | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS)

$(BUILD):
	@mkdir -p $(BUILD)

PROVE ?= prove
PROVE_FLAGS ?= -j2
test: leakgate $(UNIT_BINS)
	$(PROVE) $(PROVE_FLAGS) $(UNIT_BINS) tests/t/t*.sh

# The whole suite again, built with AddressSanitizer and UBSan.
check:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" leakgate-asan
leakgate-asan: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o leakgate $(OBJS) $(LDLIBS)
	ASAN_OPTIONS=detect_leaks=1 $(MAKE) BUILD=$(BUILD) CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" test

install: leakgate
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 leakgate $(DESTDIR)$(PREFIX)/bin/leakgate

clean:
	rm -rf build build-asan leakgate

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
leakgate leakgate-asan $(UNIT_BINS): $(BUILD)/linkshim.o
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
