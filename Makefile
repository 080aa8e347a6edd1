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
# The binary the tests run (make check builds its own).
BIN ?= leakgate

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/embed.o
LIBOBJS := $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%.t)

.PHONY: all test unit e2e check clean install
all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in rules are embedded with the assembler's .incbin.
$(BUILD)/embed.o: src/embed.S config/rules.ini | $(BUILD)
	$(CC) -c -o $@ src/embed.S

$(BUILD)/tests/%.t: tests/unit/%.c $(LIBOBJS) tests/unit/tap.h | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS)

$(BUILD):
	@mkdir -p $(BUILD)

PROVE ?= prove
PROVE_FLAGS ?= -j2
test: $(BIN) $(UNIT_BINS)
	LEAKGATE=$(abspath $(BIN)) $(PROVE) $(PROVE_FLAGS) $(UNIT_BINS) tests/t/t*.sh

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
		CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" test; \
	rc=$$?; \
	if [ -n "$$(ls -A $(SAN_DIR))" ]; then \
		echo "make check: sanitizer reports:"; cat $(SAN_DIR)/*; exit 1; fi; \
	exit $$rc

install: leakgate
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 leakgate $(DESTDIR)$(PREFIX)/bin/leakgate

clean:
	rm -rf build build-asan leakgate

-include $(OBJS:.o=.d)
