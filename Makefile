# promdeck: one hand-written Makefile.
#
#   make demo     install missing build deps, build, run ./promdeck --demo
#   make check    install missing build deps, build, run the whole suite
#   make asan     the suite again under AddressSanitizer + UBSan
#   make lint     layering, header self-containment, banned functions
#   make bench    benchmarks (not part of check)
#
# Sources are found by wildcard: every .c under the module folders goes into
# the library, src/main.c into the binary, tests/test_*.c each into its own
# cmocka binary.

PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
SAN      ?=
PKGS      = ncursesw libcurl yaml-0.1 libpcre2-8
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral -Werror
# Recursive (=) so that pkg-config only runs once deps are installed.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = -std=c11 $(WARN) -D_GNU_SOURCE -I. $(PKG_CFLAGS) $(CFLAGS) $(SAN)
LIBS       = $(PKG_LIBS) -lresolv -lm
TEST_LIBS  = $(shell pkg-config --libs cmocka)

MODULES   = src/base store scrape query ui src/config src/dash src/demo src
LIB_SRCS  = $(filter-out src/main.c,$(wildcard $(addsuffix /*.c,$(MODULES))))
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB       = $(BUILD)/libpromdeck.a
TEST_SRCS = $(wildcard tests/test_*.c)
TEST_BINS = $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Fixture code shared by the tests (temp files, HTTP server, canvases, ...).
TSUP_SRCS = $(wildcard tests/support/*.c)
TSUP_OBJS = $(TSUP_SRCS:%.c=$(BUILD)/%.o)
TSUP      = $(BUILD)/tests/libtestsupport.a
TOOL_SRCS = $(wildcard tests/promql_conformance.c)
TOOL_BINS = $(TOOL_SRCS:tests/promql_conformance.c=$(BUILD)/tests/promql-conformance)
BENCH_SRCS = $(wildcard tests/bench/bench_*.c)
BENCH_BINS = $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps demo check test asan lint bench clean install
# Keep the test objects, so make deletes nothing after the suite's total
# line (the last line of make check).
.SECONDARY:

all: promdeck $(if $(TOOL_BINS),tests/promql-conformance)

deps:
	@sh .ci/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	./promdeck --demo

check: deps
	@$(MAKE) --no-print-directory test

# The suite itself, without the bootstrap (make asan reuses it).
test: all $(TEST_BINS) $(TOOL_BINS)
	@sh tests/run.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all" \
	    build-asan/promdeck build-asan/tests/promql-conformance \
	    $(TEST_SRCS:tests/%.c=build-asan/tests/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run.sh build-asan

lint:
	@sh tests/lint.sh $(CC) "$(ALL_CFLAGS)"

bench: all $(BENCH_BINS)
	@sh tests/bench/run.sh $(BUILD)

# Copied by rename, so a promdeck still running does not block the build.
promdeck: $(BUILD)/promdeck
	cp $< $@.new && mv -f $@.new $@

tests/promql-conformance: $(BUILD)/tests/promql-conformance
	cp $< $@.new && mv -f $@.new $@

$(BUILD)/promdeck: $(BUILD)/src/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/promql-conformance: $(BUILD)/tests/promql_conformance.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(TSUP): $(TSUP_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

# The support archive comes before the library it calls into.
$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TSUP) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

install: promdeck
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 promdeck $(DESTDIR)$(PREFIX)/bin/promdeck
	install -d $(DESTDIR)$(PREFIX)/share/promdeck/dashboards \
	    $(DESTDIR)$(PREFIX)/share/promdeck/themes
	install -m 644 dashboards/*.yaml $(DESTDIR)$(PREFIX)/share/promdeck/dashboards/
	for t in themes/*.theme; do \
	    [ -f "$$t" ] && install -m 644 $$t $(DESTDIR)$(PREFIX)/share/promdeck/themes/; \
	done; true
	for m in man/*.[1-9]; do \
	    d=$(DESTDIR)$(PREFIX)/share/man/man$${m##*.}; \
	    install -d $$d && install -m 644 $$m $$d/ || exit 1; \
	done

clean:
	rm -rf build build-asan promdeck tests/promql-conformance

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
