# linli — top-level commands. The real build is Meson + Ninja.
#   make demo    build, load the Pushan demo area into linli.db, serve on :8080
#                (LISTEN=ADDR:PORT, DB=URL, DEMO_FLAGS=--no-simulate to change it)
#   make test    build with ASan+UBSan and run every test
#   make bench   run the benchmarks in bench/ (not tests)
#   make format  clang-format every C file
#   make fuzz    build the libFuzzer targets (clang) and run each FUZZ_SECONDS
#   make soak    the crash test at length: 100 kill -9 trials on SQLite and PostgreSQL
#   make mutate  plant each bug in tests/mutations/ alone and check the tests catch it

MESON ?= meson
BUILD ?= build
TESTBUILD ?= build-asan
FUZZBUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
DB ?= sqlite:linli.db
LISTEN ?= 127.0.0.1:8080
DEMO_FLAGS ?=

.PHONY: all deps deps-run demo test soak mutate fuzz bench format format-check clean

# Building and running need only the runtime packages; the tests, fuzzing
# and benchmarks bring their own tools (scripts/deps.sh test).
all: deps-run $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps-run:
	@scripts/deps.sh run

deps:
	@scripts/deps.sh test

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=release -Db_ndebug=false >/dev/null

$(TESTBUILD)/build.ninja:
	$(MESON) setup $(TESTBUILD) -Dtests=enabled --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

# The sanitizers come from tests/fuzz/meson.build, not b_sanitize.
$(FUZZBUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZBUILD) -Dtests=enabled -Dfuzz=true -Db_lundef=false --buildtype=debug >/dev/null

demo: all
	$(BUILD)/linli demo --db $(DB) --listen $(LISTEN) $(DEMO_FLAGS)

test: deps $(TESTBUILD)/build.ninja
	ninja -C $(TESTBUILD)
	FUZZBUILD=$(FUZZBUILD) scripts/test.sh $(TESTBUILD)

soak: deps $(TESTBUILD)/build.ninja
	ninja -C $(TESTBUILD)
	LINLI_CRASH_TRIALS=$${LINLI_CRASH_TRIALS:-100} TESTS=http_crash scripts/test.sh $(TESTBUILD)

# Not part of `make test`: every mutation rebuilds and reruns its tests.
# MUTATE="id-or-prefix ..." runs only those.
mutate: deps
	scripts/mutate.py $(MUTATE)

fuzz: deps $(FUZZBUILD)/build.ninja
	ninja -C $(FUZZBUILD) fuzz
	@fail=0; for c in tests/fuzz/corpus/*/; do \
		tests/fuzz/run.sh $(FUZZBUILD) $(FUZZ_SECONDS) $$(basename $$c) || fail=1; \
	done; exit $$fail

# The district benchmark runs at a tenth of a district here (30 areas,
# 150,000 residents); the whole district (DISTRICT_SCALE=1) takes some
# 25 GB and half an hour to build: bench/district.sh on its own.
bench: deps all
	@export DISTRICT_SCALE=$${DISTRICT_SCALE:-0.1}; for b in bench/*.sh; do [ "$$b" = bench/lib.sh ] && continue; echo "== $$b"; $$b $(BUILD) || exit 1; done

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf $(BUILD) $(TESTBUILD) $(FUZZBUILD)
