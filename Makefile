# leakgate — build with pkg-config; see README.md.
#   make            build ./leakgate
#   make test       unit and end-to-end tests (prove)
#   make check      the same under ASan + UBSan
#   make install    install to $(DESTDIR)$(PREFIX)/bin
#   make clean

PREFIX ?= /usr/local
PKGS := libgit2 libhs inih libpcre2-8
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

# Detection benchmark: recall and precision per provider on a labelled
# corpus generated at run time (tests/detect/). SEED=N for another corpus.
.PHONY: bench-detect
bench-detect: leakgate
	sh tests/detect/run.sh
