# tfmc: the two commands a fresh machine needs are `make demo` and
# `make check`; both install what is missing first.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
CMAKE ?= cmake

.PHONY: all deps configure build demo check bench docs format clean \
	asan-build check-asan fuzz difftest

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  $(CMAKE) -G Ninja -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

build: configure
	@$(CMAKE) --build $(BUILD_DIR)

# Main job on the bundled default model: compile the small GPT-2-style
# decoder in examples/models to an executable, run it, check it against
# ONNX Runtime.
demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

# Every test suite (lit + unit); ends with "N passed, N failed".
check: build
	@bash scripts/run-tests.sh $(BUILD_DIR)

# The sanitizer build (ASan + UBSan, and libFuzzer coverage) in its own
# folder; check-asan runs every test on it, fuzz runs the ONNX importer's
# fuzzer for FUZZ_SECONDS on every core.
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 300
# malloc returning NULL is what the runtime handles (ASan would abort).
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1 TFM_ORT_DIR=$(CURDIR)/$(BUILD_DIR)/deps/ort

asan-build:
	@bash scripts/install-deps.sh --sanitizers
	@if [ ! -f $(ASAN_BUILD_DIR)/build.ninja ]; then \
	  $(CMAKE) -G Ninja -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release \
	    -DTFM_SANITIZERS=address,undefined -DTFM_FUZZERS=ON; \
	fi
	@$(CMAKE) --build $(ASAN_BUILD_DIR)

check-asan: asan-build
	@$(ASAN_ENV) bash scripts/run-tests.sh $(ASAN_BUILD_DIR)

fuzz: asan-build
	@bash scripts/fuzz.sh $(ASAN_BUILD_DIR) $(FUZZ_SECONDS)

# The differential tester: DIFFTEST_GRAPHS random transformer-like graphs at
# -O0..-O3 against ONNX Runtime.
DIFFTEST_GRAPHS ?= 1000
difftest: build
	@/usr/bin/python3 scripts/difftest.py --graphs $(DIFFTEST_GRAPHS) \
	  --tfmc $(BUILD_DIR)/bin/tfmc --tfm-run $(BUILD_DIR)/bin/tfm-run

# tfmc against ONNX Runtime on BERT-base, MiniLM-L6 and GPT-2 small.
bench: build
	@bash bench/run.sh

# Regenerates the op and pass reference in docs/reference/ from ODS.
docs: build
	@$(CMAKE) --build $(BUILD_DIR) --target tfm-doc
	@cp $(BUILD_DIR)/docs/TfmDialect.md $(BUILD_DIR)/docs/TfmPasses.md \
	  $(BUILD_DIR)/docs/TfmConversionPasses.md \
	  $(BUILD_DIR)/docs/TfmCodegenPasses.md docs/reference/
	@echo "docs/reference/ updated"

format:
	@git ls-files '*.cpp' '*.h' '*.c' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
