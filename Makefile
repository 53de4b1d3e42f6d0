# linli — top-level commands. The real build is Meson + Ninja.
#   make demo    build, load the Pushan demo area into linli.db, serve on :8080
#   make test    build with ASan+UBSan and run every test
#   make bench   run the benchmarks in bench/ (not tests)
#   make format  clang-format every C file

MESON ?= meson
BUILD ?= build
TESTBUILD ?= build-asan
DB ?= sqlite:linli.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps demo test bench format format-check clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=release -Db_ndebug=false >/dev/null

$(TESTBUILD)/build.ninja:
	$(MESON) setup $(TESTBUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

demo: all
	$(BUILD)/linli demo --db $(DB) --listen $(LISTEN)

test: deps $(TESTBUILD)/build.ninja
	ninja -C $(TESTBUILD)
	scripts/test.sh $(TESTBUILD)

bench: all
	@for b in bench/*.sh; do echo "== $$b"; $$b $(BUILD) || exit 1; done

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf $(BUILD) $(TESTBUILD)
