# promdeck: one hand-written Makefile.
#
#   make            build ./promdeck (warnings shown, not fatal)
#   make demo       install missing build deps, build, run ./promdeck --demo
#   make check      install missing build deps, build with -Werror, then
#                   lint and the whole suite, TEST_JOBS (4) tests at a time;
#                   the suite replays each fuzz harness's seeds and
#                   regression inputs (tests/fuzz/run.sh --replay) through
#                   build/fuzz-replay/NAME, the harness linked with
#                   tests/fuzz/replay.c instead of libFuzzer: no clang needed
#   make asan       the suite again under AddressSanitizer + UBSan
#   make lint       the table of layers, one wrapper per C library, banned
#                   functions, headers that compile alone
#   make fuzz       build the libFuzzer harnesses tests/fuzz/fuzz_*.c with
#                   clang into build-fuzz/ (installing clang through
#                   .ci/deps.sh fuzz when missing) and replay their seeds
#                   and regression inputs (a crash found fuzzing goes, once
#                   fixed, into tests/data/fuzz/regress/NAME/)
#   make fuzz-run   then fuzz each harness for FUZZ_SECONDS (60) seconds
#   make bench      benchmarks (not part of check)
#   make bench-scale  promdeck beside Prometheus on 200 and 1,000 farm
#                   targets (SCALE_MINUTES=5 each; minutes, not seconds)
#   make install    binary, man pages, dashboards and themes under
#                   $(DESTDIR)$(PREFIX); make uninstall removes just those
#   make clean      remove the build folders
#
# Packagers' CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX and DESTDIR are used as
# given. WERROR=-Werror makes warnings fatal; make check, make asan and CI
# set it. pkg-config runs once per build folder and its answers are kept
# in $(BUILD)/pkg.mk (remove it, or make clean, after changing libraries).
# Objects depend on $(BUILD)/flags, which changes whenever the compiler,
# flags or PREFIX do, so a plain make followed by make check recompiles
# everything with -Werror and no warning slips through.
#
# Sources are found by wildcard: every .c under the module folders goes into
# the library, src/main.c into the binary, tests/test_*.c each into its own
# cmocka binary, tests/fuzz/fuzz_*.c each into its own libFuzzer harness
# (make fuzz) and its own replay binary (make check).

PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
SAN      ?=
WERROR   ?=
PKG_CONFIG ?= pkg-config
DATADIR   = $(PREFIX)/share/promdeck
MANDIR    = $(PREFIX)/share/man
PKGS      = ncursesw libcurl yaml-0.1 libpcre2-8 libmicrohttpd gnutls zlib \
            libxcrypt
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral $(WERROR)
# The installed themes and dashboards, for the code that looks for them.
DEFS       = -D_GNU_SOURCE -DPROMDECK_DATADIR="\"$(DATADIR)\""
ALL_CFLAGS = -std=c11 $(WARN) $(DEFS) -I. $(PKG_CFLAGS) $(CPPFLAGS) \
             $(CFLAGS) $(SAN)
LIBS       = $(PKG_LIBS) -lresolv -lm
LINK       = $(CC) $(ALL_CFLAGS) $(LDFLAGS)

MODULES   = src/base store scrape query ui src/config src/dash src/demo \
            src/rules src/api src/collect src
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
# The fake Docker Engine as a program, for the end-to-end tests.
FAKE_DOCKER = $(BUILD)/tests/fake-docker
BENCH_SRCS = $(wildcard tests/bench/bench_*.c)
BENCH_BINS = $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/bench/%)

# The fuzz harnesses (tests/fuzz/run.sh knows their seeds).
FUZZ_BUILD   = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_NAMES   = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=all
# Each harness linked with tests/fuzz/replay.c instead of libFuzzer, by
# the ordinary compiler: make check replays the seeds and regressions.
FUZZ_REPLAYS = $(FUZZ_NAMES:%=$(BUILD)/fuzz-replay/%)
# What the harnesses share (the dashboard model check), linked into each.
FUZZ_COMMON  = $(BUILD)/tests/fuzz/model_check.o

# What install puts where; uninstall removes the same list.
DASHBOARDS = $(wildcard dashboards/*.yaml)
THEMES     = $(wildcard themes/*.theme)
MANPAGES   = $(wildcard man/*.[1-9])
man_dir    = $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(1)))
INSTALLED  = $(DESTDIR)$(PREFIX)/bin/promdeck \
             $(DASHBOARDS:%=$(DESTDIR)$(DATADIR)/%) \
             $(THEMES:%=$(DESTDIR)$(DATADIR)/%) \
             $(foreach m,$(MANPAGES),$(call man_dir,$(m))/$(notdir $(m)))

.PHONY: all deps demo check test asan lint fuzz fuzz-bins fuzz-run bench bench-scale \
        clean install uninstall FORCE
# Keep the test objects, so make deletes nothing after the suite's total
# line (the last line of make check).
.SECONDARY:

all: promdeck $(if $(TOOL_BINS),tests/promql-conformance)

# pkg-config's answers, asked once per build folder. Goals that compile
# nothing themselves do not read them: check, demo, asan and fuzz install
# the deps first and then call make again, which asks.
NOPKG_GOALS = deps check demo asan fuzz fuzz-run clean uninstall
ifneq ($(filter-out $(NOPKG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/pkg.mk
endif

$(BUILD)/pkg.mk: Makefile
	@mkdir -p $(dir $@)
	@c=$$($(PKG_CONFIG) --cflags $(PKGS)) && \
	l=$$($(PKG_CONFIG) --libs $(PKGS)) || { \
	    echo "promdeck: $(PKG_CONFIG) does not find all of $(PKGS):" \
	        "run make deps, or install their development packages" >&2; \
	    exit 1; }; \
	t=$$($(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka); \
	printf 'PKG_CFLAGS := %s\nPKG_LIBS := %s\nTEST_LIBS := %s\n' \
	    "$$c" "$$l" "$$t" >$@.tmp && mv -f $@.tmp $@

# Rewritten only when its text changes, so its date says when the flags
# last changed.
FLAGS_NOW = $(LINK) $(LIBS) $(TEST_LIBS)
$(BUILD)/flags: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(FLAGS_NOW)' | cmp -s - $@ \
	    || printf '%s\n' '$(FLAGS_NOW)' >$@

deps:
	@sh .ci/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	./promdeck --demo

check: deps
	@$(MAKE) --no-print-directory WERROR=-Werror test

# The suite itself, without the bootstrap; lint runs first inside it.
test: all $(TEST_BINS) $(TOOL_BINS) $(FAKE_DOCKER) $(FUZZ_REPLAYS)
	@LINT_CC="$(CC)" LINT_CFLAGS="$(ALL_CFLAGS)" sh tests/run.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g" \
	    WERROR=-Werror SAN="-fsanitize=address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    build-asan/promdeck build-asan/tests/promql-conformance \
	    build-asan/tests/fake-docker \
	    $(TEST_SRCS:tests/%.c=build-asan/tests/%) \
	    $(FUZZ_NAMES:%=build-asan/fuzz-replay/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run.sh build-asan

lint:
	@sh tests/lint.sh "$(CC)" "$(ALL_CFLAGS)"

# The harnesses link against the whole library built by clang with
# libFuzzer's coverage, so a harness needs no list of sources. make fuzz
# ends by running each harness once over its seeds; make fuzz-run fuzzes.
fuzz:
	@sh .ci/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	    CFLAGS="-O1 -g" SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    fuzz-bins
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) 0

fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

fuzz-run: fuzz
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: all $(BENCH_BINS)
	@sh tests/bench/run.sh $(BUILD)

# promdeck's TUI beside the Debian Prometheus on the target farm, at the
# scales the design is built for: memory, CPU and key latency (minutes).
SCALE_MINUTES ?= 5
bench-scale: all
	@sh tests/bench/scale.sh 200 1000 5s $(SCALE_MINUTES)
	@sh tests/bench/scale.sh 1000 1000 10s $(SCALE_MINUTES)

# Copied by rename, so a promdeck still running does not block the build.
promdeck: $(BUILD)/promdeck
	cp $< $@.new && mv -f $@.new $@

tests/promql-conformance: $(BUILD)/tests/promql-conformance
	cp $< $@.new && mv -f $@.new $@

$(BUILD)/promdeck: $(BUILD)/src/main.o $(LIB)
	$(LINK) -o $@ $^ $(LIBS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/promql-conformance: $(BUILD)/tests/promql_conformance.o $(LIB)
	$(LINK) -o $@ $^ $(LIBS)

$(FAKE_DOCKER): $(BUILD)/tests/fake_docker.o $(TSUP) $(LIB)
	$(LINK) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(FUZZ_COMMON) $(LIB)
	@mkdir -p $(dir $@)
	$(LINK) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(BUILD)/fuzz-replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o \
                        $(FUZZ_COMMON) $(LIB)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(LIBS)

$(TSUP): $(TSUP_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

# The support archive comes before the library it calls into.
$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TSUP) $(LIB)
	$(LINK) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

install: promdeck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/dashboards \
	    $(DESTDIR)$(DATADIR)/themes
	install -m 755 promdeck $(DESTDIR)$(PREFIX)/bin/promdeck
	install -m 644 $(DASHBOARDS) $(DESTDIR)$(DATADIR)/dashboards/
	$(if $(THEMES),install -m 644 $(THEMES) $(DESTDIR)$(DATADIR)/themes/)
	$(foreach m,$(MANPAGES),install -d $(call man_dir,$(m)) && \
	    install -m 644 $(m) $(call man_dir,$(m))/ &&) true

# The files install wrote, then promdeck's own folders if that left them
# empty; bin/ and the man folders are shared, so they stay.
uninstall:
	rm -f $(INSTALLED)
	@for d in $(DESTDIR)$(DATADIR)/dashboards $(DESTDIR)$(DATADIR)/themes \
	    $(DESTDIR)$(DATADIR); do \
	    [ ! -d $$d ] || rmdir $$d 2>/dev/null || true; \
	done

clean:
	rm -rf build build-asan $(FUZZ_BUILD) promdeck tests/promql-conformance

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
